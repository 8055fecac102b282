"""Named errors. Library code raises these; only the CLI turns them into a message and exit code."""

from __future__ import annotations


class TuscanError(Exception):
    """Base class: an error with a message meant for the user."""


class DatabaseLocked(TuscanError):
    """Another process is writing to the database file."""


class DatabaseMissing(TuscanError):
    """The database file does not exist yet (nothing has been scanned)."""


class NotADatabase(TuscanError):
    """The database path names something that is not a tuscan database (or cannot be written)."""


class SchemaTooNew(TuscanError):
    """The database was written by a newer tuscan."""


class NoSuchPath(TuscanError):
    """A path given to scan does not exist."""


class UnknownSystem(TuscanError):
    """A decision names a system that is not in the inventory."""


class InvalidValue(TuscanError):
    """A command-line value is not one of the allowed values."""
