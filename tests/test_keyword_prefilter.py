"""The exclusion rules' literal prefilter (`extractors.keywords.necessary_literals`) only skips
searches that could not match: hits are the same with and without it."""

from __future__ import annotations

import csv
import dataclasses
import re
from pathlib import Path

import pytest

from extractors import extract
from extractors.keywords import find_hits, load_keywords, necessary_literals, prepare_text

HERE = Path(__file__).resolve().parent
REALDATA = HERE.parent.parent / "shared" / "realdata"


def without_prefilter(keywords):
    def plain(rule):
        return dataclasses.replace(rule, pattern_literals=None, after_literals=None, unless_literals=None)

    return dataclasses.replace(keywords, exclusions=tuple(map(plain, keywords.exclusions)),
                               statements=tuple(map(plain, keywords.statements)))


@pytest.mark.parametrize(("regex", "expected"), [
    (r"(?<!\w)(ikke|ingen|Uden)\s+(?:[\w/-]+\s+){0,5}$", {"ikke", "ingen", "uden"}),
    (r"penneo", {"penneo"}),
    (r"for\s+eksempel", {"eksempel"}),                       # the longest piece every match has
    (r"(?<!\w)(hjælp|bistand)\b[^.]{0,60}$|(?<!\w)vejledning\s+i\s+$", {"hjælp", "bistand", "vejledning"}),
    (r"(?:login|log-in)+", {"log"}),                         # re's parser takes the common start out
    (r"(?:ikke)?\s+krav", {"krav"}),
    (r"\w+\s+$", None),                                      # no literal in it
    (r"(ikke|)\s+", None),                                   # an empty branch needs nothing
    (r"x*", None),
    (r"(?-i:Ikke) krav", {" krav"}),                         # a case-sensitive part is not used
])
def test_necessary_literals(regex, expected):
    found = necessary_literals(re.compile(regex, re.IGNORECASE))
    assert (found if found is None else set(found)) == expected


def test_a_case_sensitive_regex_has_no_prefilter():
    assert necessary_literals(re.compile("penneo")) is None
    assert necessary_literals(None) is None


def test_every_exclusion_of_the_keyword_file_has_a_prefilter_where_its_regex_allows():
    keywords = load_keywords()
    with_literals = [rule.name for rule in keywords.exclusions if rule.pattern_literals]
    assert len(with_literals) >= len(keywords.exclusions) - 3
    for rule in keywords.exclusions + keywords.statements:
        for literals in (rule.pattern_literals, rule.after_literals, rule.unless_literals):
            assert literals is None or (literals and all(lit == lit.lower() and lit for lit in literals))


def _texts() -> list[str]:
    texts = [row["text"] for row in csv.DictReader((HERE / "data" / "keyword_contexts.csv").open(encoding="utf-8"))]
    # Case-insensitive matching that lower case cannot stand in for: the long s and dotless i.
    texts += ["Dokumentet er underſkrevet med NemID af begge parter.",
              "Løsningen understøtter IKKE login med MitID.", "Vi tilbyder hjælp ı brug af MitID."]
    if REALDATA.is_dir():
        for path in sorted(REALDATA.rglob("*.pdf")) + sorted(REALDATA.rglob("*.docx")):
            texts += [page.text for page in extract(path.read_bytes(), path.name).pages]
    return [prepare_text(text) for text in texts]


def test_hits_are_the_same_with_and_without_the_prefilter():
    keywords = load_keywords()
    plain = without_prefilter(keywords)
    texts = _texts()
    total = 0
    for text in texts:
        hits = find_hits(text, 1, keywords)
        assert hits == find_hits(text, 1, plain), text[:200]
        total += len(hits)
    excluded = {hit.excluded_by for text in texts for hit in find_hits(text, 1, keywords) if hit.excluded_by}
    assert total > 300 and len(excluded) >= 8          # the rules really ran on these texts


def test_the_long_s_is_still_excluded_as_a_signature_block():
    hits = find_hits(prepare_text("Dokumentet er underſkrevet med NemID af begge parter."))
    assert [h.excluded_by.split(":")[0] for h in hits] == ["signature block"]
