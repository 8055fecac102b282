"""Canned DPO queries (sql/queries, tuscan/queries.py, `tuscan query`)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from tests.output_fixtures import EVIL_PATH, build_output_db
from tuscan import db as database
from tuscan.cli import main
from tuscan.queries import QueryParameterError, UnknownQuery, list_queries, load_query, run_query

ALL_QUERIES = {
    "own_needing_risk_assessment", "solutions_to_rebuild", "systems_needing_review", "system_evidence",
    "vendor_summary", "common_public_solutions", "unreadable_documents", "changes_since_previous_run",
    "checklist_status", "decisions_this_month", "orphaned_decisions",
}


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    return build_output_db(tmp_path_factory.mktemp("queries") / "inventory.duckdb")


def _run(db, name, **params):
    with database.reading(db) as con:
        columns, rows = run_query(con, name, params)
    return [dict(zip(columns, r, strict=True)) for r in rows]


def test_every_query_has_a_header_that_names_its_columns(fixture_db):
    queries = list_queries()
    assert {q.name for q in queries} == ALL_QUERIES
    for q in queries:
        assert q.title and len(q.description) > 40, q.name
        params = {p.name: "x" for p in q.params if p.required}
        with database.reading(fixture_db) as con:
            columns, _ = run_query(con, q.name, params)
        assert [c for c, _ in q.columns] == columns, q.name
        assert all(desc for _, desc in q.columns), q.name


def test_own_needing_risk_assessment(fixture_db):
    rows = _run(fixture_db, "own_needing_risk_assessment")
    assert [(r["system"], r["suggested_level"]) for r in rows] == [
        ("Korsbæk Byggesag", "Betydelig"), ("Korsbæk Kolonihaver", "Lav"), ("Korsbæk Parkering", "Lav")]
    reasons = {r["system"]: r["level_reason"] for r in rows}
    assert reasons["Korsbæk Byggesag"] == "Følsomme eller fortrolige oplysninger: helbredsoplysninger"
    assert reasons["Korsbæk Parkering"] == ("Kun almindelige personoplysninger (Lav efter en nærmere vurdering): "
                                            "navn og adresse")
    assert reasons["Korsbæk Kolonihaver"] == "Valgt af en person"


def test_solutions_to_rebuild(fixture_db):
    rows = _run(fixture_db, "solutions_to_rebuild")
    assert [(r["system"], r["category"], sorted(r["flags"])) for r in rows] == [
        ("Korsbæk Booking", "unknown", ["signing"]), ("Korsbæk Byggesag", "own", ["pid_rid", "signing"])]
    byggesag = rows[1]
    assert "OCES" in byggesag["what_to_do"] and "UUID" in byggesag["what_to_do"]
    assert byggesag["documents"] == "Bytorvet IT/Kontrakt Byggesag.pdf"


def test_systems_needing_review(fixture_db):
    rows = _run(fixture_db, "systems_needing_review")
    assert [(r["system"], r["why_review"]) for r in rows] == [
        ("Korsbæk Booking", "uafklaret"), ("Netforvaltning", "lav score"), ("Social Pension", "tvetydigt match")]
    # A stricter threshold adds Social Pension's 97 as a low score too; a person's decision is never shown.
    stricter = _run(fixture_db, "systems_needing_review", min_score="99")
    assert dict((r["system"], r["why_review"]) for r in stricter)["Social Pension"] == "tvetydigt match, lav score"
    assert "Korsbæk Kolonihaver" not in {r["system"] for r in stricter}


def test_system_evidence(fixture_db):
    rows = _run(fixture_db, "system_evidence", system="korsbæk byggesag")
    assert len(rows) == 4
    assert {r["kind"] for r in rows} == {"login", "sensitive", "signing", "pid_rid"}
    assert any("XXXXXX-XXXX" in (r["snippet"] or "") for r in rows)
    assert len(_run(fixture_db, "system_evidence", system="Korsbæk%")) == 9
    assert _run(fixture_db, "system_evidence", system="No Such System") == []


def test_vendor_summary(fixture_db):
    rows = {r["vendor"]: r for r in _run(fixture_db, "vendor_summary")}
    assert len(rows) == 8
    assert rows["(ukendt)"]["systems"] == 2 and rows["(ukendt)"]["unknown"] == 1
    assert rows["(ukendt)"]["to_rebuild"] == 1
    assert rows["Bytorvet IT"]["own"] == 1 and rows["Bytorvet IT"]["to_rebuild"] == 1
    assert rows["Sundhedsdatastyrelsen"]["common_public"] == 1


def test_common_public_solutions(fixture_db):
    rows = _run(fixture_db, "common_public_solutions")
    assert [(r["system"], r["kl_name"], r["employee_login"]) for r in rows] == [
        ("FMK", "FMK - Fælles Medicinkort", True)]


def test_unreadable_documents(fixture_db):
    rows = _run(fixture_db, "unreadable_documents")
    assert [(r["path"], r["status"]) for r in rows] == [
        (EVIL_PATH, "error"), ("Scanninger/Aftale uden tekst.pdf", "no_text"),
        ("Fenix/Kontrakt Fenix 2009.doc", "unsupported")]


def test_changes_since_previous_run(fixture_db):
    rows = _run(fixture_db, "changes_since_previous_run")
    assert {(r["change"], r["system"]) for r in rows} == {
        ("new", "Korsbæk Booking"), ("gone", "Gammelt Fagsystem"),
        ("changed", "Korsbæk Byggesag"), ("changed", "Korsbæk Parkering")}
    parkering = next(r for r in rows if r["system"] == "Korsbæk Parkering")
    assert (parkering["previous_category"], parkering["category"]) == ("unknown", "own")
    assert {r["previous_run_id"] for r in rows} == {1} and {r["run_id"] for r in rows} == {3}


def test_parameters_are_checked():
    with pytest.raises(QueryParameterError, match="needs --param system=VALUE"):
        from tuscan.queries import bind_params

        bind_params(load_query("system_evidence"), {})
    with pytest.raises(QueryParameterError, match="does not take colour"):
        bind_params(load_query("vendor_summary"), {"colour": "red"})
    with pytest.raises(UnknownQuery, match="no query named 'nope'"):
        load_query("nope")
    with pytest.raises(UnknownQuery):
        load_query("../migrations/001_core")


def test_cli_list_and_formats(fixture_db):
    runner = CliRunner()
    listed = runner.invoke(main, ["query", "--list"])
    assert listed.exit_code == 0, listed.output
    for name in ALL_QUERIES:
        assert name in listed.output
    assert "--param system=…" in listed.output

    as_json = runner.invoke(main, ["query", "own_needing_risk_assessment", "--db", str(fixture_db), "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert [r["system"] for r in json.loads(as_json.output)][0] == "Korsbæk Byggesag"

    as_csv = runner.invoke(main, ["query", "system_evidence", "--param", "system=Korsbæk Byggesag",
                                  "--db", str(fixture_db), "--format", "csv"])
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert len(rows) == 4 and rows[0]["system"] == "Korsbæk Byggesag"

    table = runner.invoke(main, ["query", "unreadable_documents", "--db", str(fixture_db)])
    assert table.exit_code == 0 and "(3 rows)" in table.output

    missing = runner.invoke(main, ["query", "system_evidence", "--db", str(fixture_db)])
    assert missing.exit_code == 1
    assert "Error: query system_evidence needs --param system=VALUE" in missing.output


# --- on the real example inventory (examples/archive, classified by tuscan) -----------------------------
def test_queries_on_the_example_inventory(example_db):
    own = _run(example_db, "own_needing_risk_assessment")
    assert {r["system"]: r["suggested_level"] for r in own} == {
        "Korsbæk Kolonihaver": "Lav", "Korsbæk Selvbetjening": "Lav", "Korsbæk Støttekontakt": "Betydelig",
        "Korsbæk Torvehandel": "Lav"}
    rebuild = {r["system"]: sorted(r["flags"]) for r in _run(example_db, "solutions_to_rebuild")}
    assert rebuild == {"Korsbæk Kolonihaver": ["signing"], "Korsbæk Torvehandel": ["pid_rid"]}
    assert {r["system"] for r in _run(example_db, "common_public_solutions")} == {"FMK", "Virk.dk"}
    unreadable = {r["path"] for r in _run(example_db, "unreadable_documents")}
    assert "Fenix Systemer/Fenix Økonomi/Kontrakt Fenix 2009.doc" in unreadable
    assert "Omsorgsdata/Korsbæk Støttekontakt/Prisbilag (beskyttet).pdf" in unreadable
    assert len(_run(example_db, "system_evidence", system="Aula")) > 0
    changes = _run(example_db, "changes_since_previous_run")
    assert len(changes) == 12 and {r["change"] for r in changes} == {"new"}   # first run: all new
    vendors = {r["vendor"] for r in _run(example_db, "vendor_summary")}
    assert {"KOMBIT", "EG", "Formularfabrikken"} <= vendors


def test_csv_output_does_not_let_excel_run_formulas():
    from tuscan.queries import format_rows

    out = format_rows(["path", "score"], [("=HYPERLINK(\"http://x\")", -3.5), ("@SUM(A1)", 2)], "csv")
    assert out.splitlines()[1:] == ["\"'=HYPERLINK(\"\"http://x\"\")\",-3.5", "'@SUM(A1),2"]
