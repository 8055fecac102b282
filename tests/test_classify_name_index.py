"""The merge step's index of names seen so far: its fuzzy look-up compares only names of lengths
that can reach the threshold, and gives what comparing against every name gives."""

from __future__ import annotations

import random

from rapidfuzz import process

from tuscan.classify import NameIndex, _lengths_can_match
from tuscan.names import SCORER, THRESHOLD, canonical

BASE = ["Borgerportalen", "KMD Nexus", "Aula", "SBSYS", "Momentum", "FMK", "Jobnet", "OS2faktor",
        "Fenix Økonomi", "NetForvaltning Sundhed", "Digital Pladsanvisning"]


def _variant(rng: random.Random, name: str) -> str:
    """A name as another source writes it: a typo or two, a suffix, a number."""
    chars = list(name)
    for _ in range(rng.randint(0, 3)):
        at = rng.randrange(len(chars))
        roll = rng.random()
        if roll < 0.4:
            chars.insert(at, rng.choice("abeæøå "))
        elif roll < 0.8 and len(chars) > 1:
            del chars[at]
        else:
            chars[at] = rng.choice("xyz")
    suffix = rng.choice(["", "", " 2", " Pro", " Online", f" {rng.randint(1, 300)}"])
    return "".join(chars) + suffix


def test_closest_names_are_those_of_a_comparison_with_every_name():
    rng = random.Random(18)
    index, forms = NameIndex(), []
    compared = 0
    for _ in range(3000):
        name = _variant(rng, rng.choice(BASE))
        form = canonical(name)
        if form and forms:
            everything = [i for _c, _s, i in process.extract(form, forms, scorer=SCORER,
                                                             score_cutoff=THRESHOLD, limit=3)]
            assert index._closest(form) == everything, name
            compared += bool(everything)
        index.add(name, system=None)
        if form:
            forms.append(form)
    assert compared > 1000          # most look-ups find earlier names, ties among them included


def test_lengths_that_cannot_reach_the_threshold_are_skipped():
    assert _lengths_can_match(10, 10) and _lengths_can_match(10, 11)
    assert not _lengths_can_match(4, 40)
    # the bound is fuzz.ratio's best case: one string inside the other
    for a in range(1, 60):
        for b in range(1, 60):
            best = SCORER("x" * a, "x" * b)
            assert _lengths_can_match(a, b) == (best >= THRESHOLD), (a, b)
