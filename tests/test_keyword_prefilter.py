"""The exclusion rules' prefilters only skip searches that could not match: hits are the same with
and without them. Each regex needs a literal (`necessary_literals`), looked for in the rule's own
context and, once per hit, in the widest context (`_possible`); and it is tried only where a literal
every match starts with is (`start_literals`)."""

from __future__ import annotations

import csv
import dataclasses
import re
from pathlib import Path

import pytest

from extractors import extract
from extractors import keywords as keyword_module
from extractors.keywords import find_hits, load_keywords, necessary_literals, prepare_text, start_literals

HERE = Path(__file__).resolve().parent
REALDATA = HERE.parent.parent / "shared" / "realdata"


def without_prefilter(keywords):
    def plain(rule):
        return dataclasses.replace(rule, pattern_literals=None, after_literals=None, unless_literals=None,
                                   pattern_starts=None, after_starts=None, unless_starts=None)

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


@pytest.mark.parametrize(("regex", "expected"), [
    (r"(?<!\w)(ikke|ingen|Uden)\s+(?:[\w/-]+\s+){0,5}$", {"ikke", "ingen", "uden"}),
    (r"\bpenneo\b", {"penneo"}),                           # zero-width assertions come first
    (r"(?<!\w)(signer\w*|signatur\w*)\s+med\s+$|(?<!\w)(signatur\w*|signature)\s*\(\s*$",
     {"sign", "signatur"}),                                 # re's parser takes the common start out
    (r"(?:log)+ind", {"log"}),
    (r"(?:ikke)?\s+krav", None),                           # a match may start with the space
    (r"\w\.(dk|nu)\s*$", None),                           # … or with any letter
    (r"^[\w-]*\s+(ikke|not)\b", None),
    (r"(ikke|)\s+", None),
    (r"(?-i:Ikke) krav", None),
])
def test_start_literals(regex, expected):
    found = start_literals(re.compile(regex, re.IGNORECASE))
    assert (found if found is None else set(found)) == expected


def test_a_case_sensitive_regex_has_no_prefilter():
    assert necessary_literals(re.compile("penneo")) is None
    assert necessary_literals(None) is None
    assert start_literals(re.compile("penneo")) is None


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


def test_hits_are_the_same_without_the_widest_context_check(monkeypatch):
    keywords = load_keywords()
    texts = _texts()
    with_check = [find_hits(text, 1, keywords) for text in texts]
    monkeypatch.setattr(keyword_module, "_possible", lambda rule, window: True)
    assert [find_hits(text, 1, keywords) for text in texts] == with_check


def test_a_search_tried_only_at_start_literals_finds_what_search_finds():
    # Every context of the labelled sentences, searched with every rule's regex both ways.
    keywords = load_keywords()
    rules = [rule for rule in keywords.exclusions + keywords.statements if rule.pattern_starts]
    tried = found = 0
    for text in _texts():
        for at in range(0, len(text), 7):
            left = text[max(0, at - 110):at]
            lowered = keyword_module.lower_alike(left)
            for rule in rules:
                expected = rule.pattern.search(left) is not None
                assert keyword_module._search(rule.pattern, rule.pattern_starts, left, lowered) == expected, \
                    (rule.name, left)
                tried += 1
                found += expected
    assert tried > 10_000 and found > 100


def test_a_scan_leaves_out_only_why_a_hit_counts():
    keywords = load_keywords()
    for text in _texts():
        explained = find_hits(text, 1, keywords)
        plain = find_hits(text, 1, keywords, explain=False)
        assert plain == [dataclasses.replace(hit, counts_because=None) for hit in explained]
        assert all(hit.counts_because is None for hit in plain)


def test_the_long_s_is_still_excluded_as_a_signature_block():
    hits = find_hits(prepare_text("Dokumentet er underſkrevet med NemID af begge parter."))
    assert [h.excluded_by.split(":")[0] for h in hits] == ["signature block"]
