"""Reasons as codes and values (tuscan/reasons.py): every code renders in Danish and English, the
rules give every outcome its code, the database keeps code + values, and the Danish report,
workbook and web app show no English reason or evidence sentence."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from extractors.keywords import load_keywords
from tuscan import db as database
from tuscan import reasons
from tuscan.candidates import Evidence
from tuscan.cli import main
from tuscan.reasons import CODES_BY_KIND, EVIDENCE, EXCLUSION_DA, REASONS, render
from tuscan.report import write_report
from tuscan.rules import COMMON_PUBLIC_LIST, KITOS_LIST, SHARED_LIST, Facts, ListMatch, classify_system

LOGIN = {"code": "doc_login", "values": {"term": "MitID", "page": 3, "file": "Kontrakt Borgerportal.pdf"}}
WHY = "a way to pay or approve a payment (netbank), not a login to this system"
# A value for every field a template uses; a few codes use a field name differently.
SAMPLE = {
    "term": "MitID", "page": 3, "file": "Kontrakt Borgerportal.pdf", "why": WHY, "list": "kl_shared_tu",
    "entry": "Aula", "score": 97.0, "names": ["KMD Social Pension", "KOMBIT Social Pension"], "category": "own",
    "note": "egen instans", "login": LOGIN, "more": 2, "where": "Systemer.xlsx, row 4", "n": 14,
    "organisations": "Aarhus Kommune, Odense Kommune", "holder": "Sundhedsdatastyrelsen",
    "data_type": "Følsomme personoplysninger", "authority": "Sundhedsdatastyrelsen",
    "url": "https://selvbetjening.korsbaek.dk/login", "verification": "MitID-knap på siden",
    "host": "www.borger.dk", "system": "Borger.dk", "seen": "not checked", "text": "en tekst som den står",
    "owner": {"code": "filed_under_authority", "values": {"authority": "Sundhedsdatastyrelsen"}},
    "signal": {"code": "kitos_used_by", "values": {"n": 14}},
    "weak": {"code": "doc_weak", "values": {"term": "MitID", "page": 2, "file": "Aftale.pdf", "why": WHY}},
    "tu_term": {"code": "doc_tu_term", "values": {"term": "NemLog-in", "page": 5, "file": "Bilag 2.pdf"}},
}
PER_CODE = {"web_national": {"owner": "Digitaliseringsstyrelsen"}}
# Plain values that must show in both languages as they stand.
SHOWN_AS_IS = {"term", "page", "file", "entry", "n", "organisations", "holder", "data_type", "authority", "url",
               "verification", "host", "system", "text", "note"}


def values_for(code: str) -> dict:
    return {f: PER_CODE.get(code, {}).get(f, SAMPLE[f]) for f in reasons.fields(code)}


def english_fragments() -> set[str]:
    """The literal parts of every English template that no Danish template shares: a Danish page
    that contains one shows an English sentence."""
    danish = " ".join(t.da for t in (REASONS | EVIDENCE).values())
    found = set()
    for template in (REASONS | EVIDENCE).values():
        for part in re.split(r"\{\w+\}", template.en):
            part = part.strip(" ;,:()'")
            if len(part) >= 8 and " " in part and part not in danish:
                found.add(part)
    return found


# Short English words the fragments above leave out ("Matched {list}", "{term} login on p. {page}").
ENGLISH = english_fragments() | {"Matched ", " on p. ", "Link to "}


def assert_danish(text: str) -> None:
    shown = [f for f in ENGLISH if f in text]
    assert not shown, f"English in a Danish page: {shown}"
    for english in EXCLUSION_DA:
        assert english not in text


@pytest.mark.parametrize("code", sorted(REASONS | EVIDENCE))
def test_every_code_renders_in_both_languages_with_its_values(code):
    values = values_for(code)
    da, en = render(code, values, "da"), render(code, values, "en")
    assert da and en and "{" not in da + en
    if code != "text":
        assert da != en
        assert_danish(da)
    for field in reasons.fields(code) & SHOWN_AS_IS:
        assert str(values[field]) in da and str(values[field]) in en, field
    # The stored form is JSON and renders the same after a round trip.
    assert render(code, json.dumps(values), "da") == da


def test_danish_words_of_the_glossary():
    own = render("own", {"login": LOGIN})
    assert own == "Ingen match på KL's lister; MitID-login på s. 3 i Kontrakt Borgerportal.pdf"
    assert render("own", {"login": LOGIN}, "en") == "No KL list match; MitID login on p. 3 of Kontrakt Borgerportal.pdf"
    common = render("common_public_list", {"list": COMMON_PUBLIC_LIST, "entry": "FMK", "score": 100, "login": None})
    assert common == ("Fundet på KL's liste over fællesoffentlige løsninger (Delrapport 2, Bilag 1): 'FMK' "
                      "(score 100); ingen evidens for login")
    assert "Kun svage omtaler af login" in render("weak_only", values_for("weak_only"))
    assert "(og 2 andre af samme slags)" in render("weak_only", values_for("weak_only"))
    assert "(og 1 anden af samme slags)" in render("weak_only", {**values_for("weak_only"), "more": 1})
    assert "(and 1 more such mention)" in render("weak_only", {**values_for("weak_only"), "more": 1}, "en")
    assert render("decided_by_person", {"category": "own", "note": None}) == "Afgjort af en person: egen TU-løsning"
    assert render("kitos_in_use", {"where": "Systemer.xlsx, row 4"}) == \
        "Registreret i KITOS som i brug (Systemer.xlsx, række 4)"


def test_an_unknown_code_or_missing_value_is_a_clear_error():
    with pytest.raises(reasons.UnknownReason, match="unknown reason code 'nope'"):
        render("nope", {})
    with pytest.raises(reasons.UnknownReason, match=r"needs values \['login'\]"):
        reasons.reason("own")


def _kind_of(code: str) -> str:
    return next(kind for kind, codes in CODES_BY_KIND.items() if code in codes)


@pytest.mark.parametrize("code", sorted(c for c in EVIDENCE if c not in ("text", "no_login_evidence")))
def test_evidence_details_are_found_again_from_their_english_text(code):
    values = values_for(code)
    english = render(code, values, "en")
    found = reasons.evidence_reason(_kind_of(code), english)
    assert found["code"] == code
    assert render(found["code"], found["values"], "en") == english
    assert render(found["code"], found["values"], "da") == render(code, values, "da")


def test_unrecognised_evidence_text_is_quoted_as_it_stands():
    found = reasons.evidence_reason("login", "Log ind med MitID")
    assert found == {"code": "text", "values": {"text": "Log ind med MitID"}}
    assert reasons.evidence_text({"kind": "login", "detail": "Log ind med MitID"}) == "Log ind med MitID"


def test_every_exclusion_reason_of_the_keyword_file_has_danish():
    keywords = load_keywords()
    stated = {rule.reason for rule in keywords.exclusions} | {t.trap_reason for t in keywords.terms if t.trap_reason}
    assert stated - set(EXCLUSION_DA) == set()
    assert reasons.exclusion_text(f"weak mention (payment): {WHY}") == (
        "svag omtale: en måde at betale eller godkende en betaling på (netbank), ikke login til dette system")
    assert reasons.exclusion_text("NemKonto is a bank account, not a login") == "NemKonto er en bankkonto, ikke et login"
    assert reasons.exclusion_text(f"weak mention (payment): {WHY}", "en") == f"weak mention (payment): {WHY}"


# --- the rules give every outcome its code ----------------------------------------------------------
def ev(kind: str, detail: str, source: str = "document") -> Evidence:
    return Evidence(source, "Aftale.pdf", kind, detail)


DOC_LOGIN = ev("login", "NemID login on p. 1 of Aftale.pdf")
WEAK = ev("weak_login", f"MitID on p. 2 of Aftale.pdf: {WHY}")
KITOS20 = {KITOS_LIST: ListMatch(KITOS_LIST, "Microsoft Office", 100)}
OUTCOMES = {
    "decided_by_person": dict(evidence=[DOC_LOGIN], decision=("own", "Lav", "Vi har egen instans")),
    "ambiguous_match": dict(ambiguous=[("kl_shared_tu:A", "KMD Social Pension", 95.0),
                                       ("kl_shared_tu:B", "KOMBIT Social Pension", 94.0)], evidence=[DOC_LOGIN]),
    "common_public_list": dict(matches={COMMON_PUBLIC_LIST: ListMatch(COMMON_PUBLIC_LIST, "FMK", 100)},
                               evidence=[DOC_LOGIN]),
    "authority_login": dict(evidence=[ev("common_public_signal", "KITOS: the rights holder Sundhedsdatastyrelsen "
                                         "is another public authority", "kitos"), DOC_LOGIN]),
    "shared_list": dict(matches={SHARED_LIST: ListMatch(SHARED_LIST, "Aula", 100)}, evidence=[DOC_LOGIN]),
    "kitos20_login": dict(matches=KITOS20, evidence=[DOC_LOGIN]),
    "used_by_many_login": dict(evidence=[ev("shared_signal", "KITOS: used by 14 organisations", "kitos"), DOC_LOGIN]),
    "own": dict(evidence=[DOC_LOGIN]),
    "foreign_web_host": dict(evidence=[ev("login_page", "NemLog-in/MitID login at https://x.leverandoer.dk/ "
                                          "(MitID-knap); linked as 'Log ind' from https://www.korsbaek.dk/", "web")]),
    "kitos_only": dict(evidence=[ev("mention", "Listed in KITOS as in use (KITOS API)", "kitos")]),
    "weak_only": dict(evidence=[WEAK, WEAK]),
    "tu_term_only": dict(evidence=[ev("tu_term", "NemLog-in TU term on p. 4 of Aftale.pdf")]),
    "kitos20_no_login": dict(matches=KITOS20, evidence=[]),
    "no_login": dict(evidence=[]),
}


def test_every_rule_outcome_has_its_code():
    assert set(OUTCOMES) == set(REASONS)


@pytest.mark.parametrize("code", sorted(OUTCOMES))
def test_a_verdict_carries_code_values_and_their_english_rendering(code):
    verdict = classify_system(Facts("System", **OUTCOMES[code]))
    assert verdict.reason_code == code
    assert verdict.reason == render(code, verdict.reason_values, "en")
    danish = verdict.reason_in("da")
    assert danish == render(code, json.loads(json.dumps(verdict.reason_values)), "da")
    assert_danish(danish)


def test_a_reason_that_quotes_its_evidence_is_danish_throughout():
    verdict = classify_system(Facts("System", **OUTCOMES["weak_only"]))
    assert verdict.reason_in("da") == (
        "Kun svage omtaler af login: MitID på s. 2 i Aftale.pdf: en måde at betale eller godkende en betaling "
        "på (netbank), ikke login til dette system (og 1 anden af samme slags); intet siger, at brugerne logger "
        "ind på dette system, så en person skal afgøre det")


# --- the example archive, end to end ----------------------------------------------------------------
def test_reasons_round_trip_through_the_database(example_db):
    with database.reading(example_db) as con:
        rows = con.execute("SELECT system, reason, reason_code, reason_values, reason_da FROM inventory").fetchall()
        details = con.execute("SELECT kind, detail, detail_da FROM evidence").fetchall()
    assert rows
    for system, reason, code, values, danish in rows:
        assert code in REASONS, system
        assert render(code, json.loads(values), "en") == reason
        assert render(code, values, "da") == danish
        assert_danish(danish)
    assert {r[2] for r in rows} >= {"own", "shared_list", "common_public_list", "no_login"}
    for kind, detail, detail_da in details:
        assert detail_da == reasons.evidence_text({"kind": kind, "detail": detail})
    # Every document's evidence is recognised (none is quoted in English as it stands).
    unparsed = [d for k, d, _ in details if reasons.evidence_reason(k, d)["code"] == "text"]
    assert unparsed == []


def test_the_danish_report_has_no_english_reason_and_english_on_request(example_db, tmp_path):
    write_report(example_db, html=tmp_path / "da.html", xlsx=tmp_path / "da.xlsx")
    text = lxml.html.document_fromstring((tmp_path / "da.html").read_text(encoding="utf-8")).text_content()
    assert "Ingen match på KL's lister; MitID-login på s. 1 i Kontrakt Korsbæk Selvbetjening.pdf" in text
    assert_danish(text)

    result = CliRunner().invoke(main, ["report", "--html", str(tmp_path / "en.html"), "--lang", "en",
                                       "--db", str(example_db)])
    assert result.exit_code == 0, result.output
    english = (tmp_path / "en.html").read_text(encoding="utf-8")
    assert "No KL list match; MitID login on p. 1 of Kontrakt Korsbæk Selvbetjening.pdf" in english
    with pytest.raises(ValueError, match="unknown report language 'fr'"):
        write_report(example_db, html=tmp_path / "fr.html", lang="fr")


def test_the_workbook_gives_reasons_and_evidence_in_danish(example_db, tmp_path):
    write_report(example_db, xlsx=tmp_path / "r.xlsx")
    book = load_workbook(tmp_path / "r.xlsx")
    cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    assert any(c.startswith("Ingen match på KL's lister; ") for c in cells)
    assert any(" på s. 1 i " in c for c in cells)
    assert_danish("\n".join(cells))


def test_the_web_app_shows_reasons_in_danish_and_english_on_request(example_db_copy):
    from starlette.testclient import TestClient

    from tuscan.serve.app import create_app

    c = TestClient(create_app(str(example_db_copy)), base_url="http://127.0.0.1:8765")
    for url in ("/system/korsbæk selvbetjening", "/system/aula", "/system/fmk", "/gennemgang"):
        page = c.get(url)
        assert page.status_code == 200, url
        assert_danish(lxml.html.document_fromstring(page.text).text_content())
    page = c.get("/system/korsbæk selvbetjening")
    reason = lxml.html.document_fromstring(page.text).get_element_by_id("reason").text_content()
    assert reason == "Ingen match på KL's lister; MitID-login på s. 1 i Kontrakt Korsbæk Selvbetjening.pdf"

    english = c.get("/system/korsbæk selvbetjening?lang=en")
    reason = lxml.html.document_fromstring(english.text).get_element_by_id("reason").text_content()
    assert reason == "No KL list match; MitID login on p. 1 of Kontrakt Korsbæk Selvbetjening.pdf"
    # The choice sticks for the next pages, and ?lang=da takes it back.
    assert "No KL list match" in c.get("/system/korsbæk selvbetjening").text
    assert "No KL list match" not in c.get("/system/korsbæk selvbetjening?lang=da").text
    assert "No KL list match" not in c.get("/system/korsbæk selvbetjening").text

    def why(url):
        return lxml.html.document_fromstring(c.get(url).text).get_element_by_id("suggestion-why").text_content()

    danish, english = why("/tjekliste/korsbæk støttekontakt"), why("/tjekliste/korsbæk støttekontakt?lang=en")
    assert danish.startswith(("Betydelig", "Lav efter en nærmere vurdering")) and " evidensen " in danish
    assert " evidence " in english and english != danish


def test_kitos_evidence_and_reasons_read_in_danish(example_db_copy, tmp_path):
    from tests.kitos_fixtures import write_exports
    from tuscan import steps

    exports = write_exports(tmp_path)
    steps.run_steps(steps.kitos_import([str(p) for p in exports.values()], example_db_copy))
    with database.reading(example_db_copy) as con:
        evidence = con.execute("SELECT kind, detail, detail_da FROM evidence WHERE source_kind = 'kitos'").fetchall()
        kitos_only = con.execute("SELECT reason_da FROM inventory WHERE system = 'Lokal Lokalebooking'").fetchone()
    assert {reasons.evidence_reason(k, d)["code"] for k, d, _ in evidence} >= {"kitos_in_use", "kitos_rights_holder"}
    for kind, detail, detail_da in evidence:
        assert reasons.evidence_reason(kind, detail)["code"] != "text", detail
        assert_danish(detail_da)
    assert kitos_only == ("Registreret i KITOS, men intet viser, om borgere eller virksomheder logger ind med "
                          "NemLog-in",)


def test_the_website_checks_verdicts_in_danish():
    assert reasons.verification_text("redirects to NemLog-in (login.nemlog-in.dk)") == \
        "viderestiller til NemLog-in (login.nemlog-in.dk)"
    assert reasons.verification_text("login button 'Log ind med MitID'") == "login-knap 'Log ind med MitID'"
    assert reasons.verification_text("no NemLog-in/MitID login found") == "intet NemLog-in/MitID-login fundet"
    assert reasons.verification_text("no NemLog-in/MitID login found", "en") == "no NemLog-in/MitID login found"
    assert reasons.verification_text(None) == ""
    link = render("web_link", {"host": "korsbaek.emply.net", "system": "Emply",
                               "where": "linked as a link from http://www.korsbaek.dk/job/ and 2 more pages",
                               "seen": "not checked"})
    assert link == ("Link til korsbaek.emply.net (Emply) linket som et link fra http://www.korsbaek.dk/job/ og 2 "
                    "sider mere; intet login set på målet: ikke tjekket")


def test_the_suggested_level_has_its_reason_in_both_languages():
    from tuscan.rules import level_suggestion

    sensitive = level_suggestion([Evidence("document", "A.pdf", "sensitive", "x", term="helbredsoplysninger")])
    assert sensitive.why == sensitive.why_in("da") == (
        "Betydelig: evidensen viser følsomme eller fortrolige oplysninger (helbredsoplysninger).")
    assert sensitive.why_in("en") == "Betydelig: the evidence shows sensitive or confidential data (helbredsoplysninger)."
    ordinary = level_suggestion([Evidence("document", "A.pdf", "ordinary_data", "x", term="navn og adresse")])
    assert ordinary.code == "level_ordinary" and "Lav after a closer assessment" in ordinary.why_in("en")
    assert level_suggestion([]).why_in("en").startswith("Betydelig directly: a municipal TU-solution")
