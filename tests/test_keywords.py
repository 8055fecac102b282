"""The Danish keyword finder: every spelling variant and every trap of Danish contract text."""

from __future__ import annotations

import pytest

from extractors.keywords import find_hits, has_tu_evidence, join_hyphenation, load_keywords, prepare_text


def counted(text: str) -> list[str]:
    return [h.term for h in find_hits(prepare_text(text)) if h.excluded_by is None]


# (text, terms that must be found and counted)
VARIANTS = [
    ("Borgeren logger ind med NemID.", ["nemid"]),
    ("Log ind med Nem ID", ["nemid"]),
    ("Log ind med Nem-ID", ["nemid"]),
    ("LOG IND MED NEMID", ["nemid"]),
    ("NemID-løsningen udfases", ["nemid"]),
    ("NemIDs nøglekort", ["nemid"]),
    ("MitID-login for borgere", ["mitid"]),
    ("Adgang med MitID Erhverv", ["mitid erhverv"]),
    ("via NemLog-in3", ["nemlog-in"]),
    ("via Nemlogin", ["nemlog-in"]),
    ("via Nem Log-in", ["nemlog-in"]),
    ("medarbejdersignaturen skal fornyes", ["medarbejdersignatur"]),
    ("med medarbejdercertifikat", ["medarbejdersignatur"]),
    ("erhvervssignatur", ["erhvervssignatur"]),
    ("tjenesteudbyderaftalen med Digitaliseringsstyrelsen", ["tjenesteudbyder"]),
    ("TU-løsningen", ["tu-løsning"]),
    ("OCES-signering af dokumenter", ["oces", "signering"]),
    ("integrationen sender PID/RID-numre", ["pid", "rid"]),
    ("behandler helbredsoplysninger og CPR-nummer", ["helbredsoplysninger", "cpr-nummer"]),
    # hyphenation across line breaks, with indentation and the blank lines OCR puts inside words
    ("Borgerne logger ind med Nem-\nID", ["nemid"]),
    ("medarbejder-\n   signatur", ["medarbejdersignatur"]),
    ("medarbejder-\n\n  signaturen", ["medarbejdersignatur"]),
    ("NemLog-\nin", ["nemlog-in"]),
    ("Nem\ufffeID (pypdfium2's end-of-line hyphen)", ["nemid"]),
    ("Nem\u00adID med blødt bindestreg", ["nemid"]),
    ("Me\u0301dborger", []),
    # NFD input is normalised: "tjenesteudbyderløsning" with a decomposed ø still matches
    ("tjenesteudbyderl\u00f8sning".replace("\u00f8", "o\u0338"), ["tjenesteudbyder"]),
]


@pytest.mark.parametrize(("text", "expected"), VARIANTS)
def test_variants_are_found(text, expected):
    assert counted(text) == expected


# (text, terms that must NOT be counted, whether the text has TU evidence)
TRAPS = [
    ("Betaling til NemKonto", ["nemkonto"]),
    ("Fakturaer sendes via NemHandel", ["nemhandel"]),
    ("Aftalen er underskrevet med NemID via Penneo", ["nemid"]),
    ("Underskrevet digitalt med MitID af begge parter", ["mitid"]),
    ("Dokumentet er signeret med MitID", ["mitid"]),
    ("Penneo dokumentnøgle: ABCD. PID: 9208-2002-2-123456", ["pid"]),
    ("medarbejderens signatur på timesedlen", []),
    ("en proces for godkendelse", []),            # "oces" inside "proces"
    ("ridebanen og rideskolen", []),              # "rid" inside words
    ("en nem identifikation af sagen", []),       # "nem id…" in ordinary Danish
    ("mit idé er", []),
    ("Der behandles ikke følsomme personoplysninger", ["følsomme personoplysninger"]),
    ("Klage kan indgives via www.borger.dk", []),
]


@pytest.mark.parametrize(("text", "not_counted"), TRAPS)
def test_traps_do_not_count(text, not_counted):
    hits = find_hits(prepare_text(text))
    for term in not_counted:
        found = [h for h in hits if h.term == term]
        assert found, f"{term} should be recorded (as excluded) in {text!r}"
        assert all(h.excluded_by for h in found), f"{term} must be excluded in {text!r}"
    assert not has_tu_evidence(hits)


def test_login_outside_signature_block_still_counts():
    text = "Borgerne logger ind med MitID.\n\nAftalen er underskrevet med NemID via Penneo."
    hits = find_hits(prepare_text(text))
    assert has_tu_evidence(hits)
    assert [h.term for h in hits if h.excluded_by is None] == ["mitid"]


def test_hit_offsets_and_snippets_point_into_the_stored_text():
    text = prepare_text("Indledning. " * 20 + "Borgere bruger Nem-\nID her. CPR 010203-1234 " + "slut. " * 20)
    [hit] = [h for h in find_hits(text, page=3) if h.term == "nemid"]
    assert hit.page == 3
    assert text[hit.offset : hit.offset + hit.length] == "Nem-\nID"
    assert hit.matched == "Nem-\nID"
    assert "XXXXXX-XXXX" in hit.snippet and "010203" not in hit.snippet
    assert len(hit.snippet) <= 2 * 80 + len(hit.matched)


def test_join_hyphenation_maps_offsets_back():
    joined, index = join_hyphenation("ab Nem-\n  ID cd")
    assert joined == "ab NemID cd"
    assert "ab Nem-\n  ID cd"[index[joined.index("I")]] == "I"


def test_longest_term_wins_where_terms_overlap():
    assert counted("MitID Erhverv") == ["mitid erhverv"]


def test_keyword_file_is_extensible(tmp_path):
    extra = tmp_path / "keywords.toml"
    extra.write_text(
        '[groups.citizen_login]\nlogin = true\nterms = [{ term = "kommunelogin", spellings = ["kommune|login"] }]\n',
        encoding="utf-8",
    )
    keywords = load_keywords(str(extra))
    hits = find_hits(prepare_text("Brug Kommune-login"), keywords=keywords)
    assert [h.term for h in hits] == ["kommunelogin"] and has_tu_evidence(hits)


def test_every_group_in_the_bundled_file_has_terms():
    keywords = load_keywords()
    groups = {t.group for t in keywords.terms}
    assert {"citizen_login", "business_login", "tu_terms", "signing", "pid_rid", "sensitive", "traps"} <= groups


def test_matching_at_start_literals_finds_what_a_full_scan_finds():
    """find_hits tries each term's regex only where one of its start literals occurs (for speed); on
    random text made of the spellings' pieces it must find exactly the matches of a full scan."""
    import random

    from extractors.keywords import _term_matches

    keywords = load_keywords()
    pieces = sorted({w for t in keywords.terms for p in t.starts + t.prefixes for w in (p, p.upper(), p.title())})
    pieces += ["id", "ID", "in", "log", "erhverv", "løsning", "signatur", "en", "-", " ", "\n", ".", ",", "x"]
    rng = random.Random(8)
    compared = matched = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", "-", "\n", ""]) for _ in range(rng.randint(1, 12)))
        lower = text.lower()
        for term in keywords.terms:
            expected = [m.span() for m in term.pattern.finditer(text)]
            assert [m.span() for m in _term_matches(term, text, lower)] == expected, (term.term, text)
            compared += 1
            matched += bool(expected)
    assert matched > 1000 and compared > matched


def test_hits_survive_pickling_field_for_field():
    # Workers pickle hits to the writer (Hit.__reduce__ lists the fields in order).
    import dataclasses
    import pickle

    text = prepare_text("Borgerne logger ind med MitID. Aftalen er underskrevet med NemID af begge parter.")
    hits = find_hits(text)
    assert {h.excluded_by is None for h in hits} == {True, False}
    for hit in hits:
        copy = pickle.loads(pickle.dumps(hit))
        assert all(getattr(copy, f.name) == getattr(hit, f.name) for f in dataclasses.fields(hit)), hit
