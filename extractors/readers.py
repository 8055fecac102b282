"""Importing this module registers every reader (`extractors.load_readers`): the scanner's fork
server preloads it, so that the workers forked from it start with the readers imported."""

from extractors import load_readers

load_readers()
