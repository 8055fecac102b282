"""What the review app records and suggests, as library functions: the simple risk rule as
Delrapport 1 states it, the checklist of "Tjekliste for egne løsninger", checklist status and
decision history with undo, and the two canned queries over them."""

from __future__ import annotations

import pytest

from tests.output_fixtures import build_output_db
from tuscan import db as database
from tuscan.candidates import Evidence
from tuscan.decisions import (
    checklist_state,
    decision_history,
    record_checklist,
    record_decision,
    undo_decision,
)
from tuscan.errors import InvalidValue, UnknownSystem
from tuscan.queries import list_queries, run_query
from tuscan.rules import CHECKLIST, CHECKLIST_KEYS, level_suggestion, suggested_level


def ev(kind, term=None):
    return Evidence("document", "Kontrakt.pdf", kind, f"{kind} on p. 1", term, 1)


def test_simple_risk_rule_as_delrapport_1_states_it():
    # Nothing known about the data: an own solution may be placed on Betydelig directly.
    direct = level_suggestion([ev("login", "mitid")])
    assert direct.level == "Betydelig" and "direkte" in direct.why and not direct.needs_assessment
    # Ordinary personal data alone: Lav, but only after a closer assessment.
    lav = level_suggestion([ev("login"), ev("ordinary_data", "navn og adresse")])
    assert lav.level == "Lav" and lav.needs_assessment and "efter en nærmere vurdering" in lav.why
    assert "navn og adresse" in lav.why and [e.term for e in lav.evidence] == ["navn og adresse"]
    # Anything sensitive wins.
    both = level_suggestion([ev("ordinary_data", "navn og adresse"), ev("sensitive", "helbredsoplysninger")])
    assert both.level == "Betydelig" and "helbredsoplysninger" in both.why
    assert suggested_level([ev("login")]) == "Betydelig"


def test_checklist_has_delrapport_1s_eight_tasks():
    assert [item.number for item in CHECKLIST] == list(range(1, 9))
    assert len(set(CHECKLIST_KEYS)) == 8
    assert {item.flag for item in CHECKLIST if item.flag} == {"signing", "pid_rid"}
    assert all(item.title and item.question.endswith("?") for item in CHECKLIST)


@pytest.fixture
def fixture_db(tmp_path):
    return build_output_db(tmp_path / "inventory.duckdb")


def test_checklist_status_is_a_log_whose_newest_entry_counts(fixture_db):
    with database.writing(fixture_db) as con:
        record_checklist(con, "Korsbæk Byggesag", "signing", "in_progress", set_by="bo")
        message = record_checklist(con, "korsbæk byggesag", "signing", "done", note="Ny signering", set_by="anne")
        assert message == "Recorded: Korsbæk Byggesag, signing → done (by anne)"
        state = checklist_state(con, "korsbæk byggesag")
        assert {k: (v["status"], v["note"], v["set_by"]) for k, v in state.items()} == {
            "signing": ("done", "Ny signering", "anne")}
        assert con.execute("SELECT count(*) FROM checklist_status").fetchone()[0] == 2
        with pytest.raises(InvalidValue, match="checklist status must be one of"):
            record_checklist(con, "Korsbæk Byggesag", "signing", "finished")
        with pytest.raises(InvalidValue, match="checklist item must be one of"):
            record_checklist(con, "Korsbæk Byggesag", "coffee", "done")
        with pytest.raises(UnknownSystem):
            record_checklist(con, "Ukendt System", "signing", "done")
        columns, rows = run_query(con, "checklist_status")
    table = {r[0]: dict(zip(columns, r, strict=True)) for r in rows}
    assert set(table) == {"Korsbæk Parkering", "Korsbæk Byggesag", "Korsbæk Kolonihaver"}
    assert (table["Korsbæk Byggesag"]["done"], table["Korsbæk Byggesag"]["not_started"]) == (1, 7)
    assert table["Korsbæk Byggesag"]["changed_by"] == "anne"
    assert table["Korsbæk Kolonihaver"]["chosen_level"] == "Lav"       # the person's decision


def test_decision_history_and_undo(fixture_db):
    with database.writing(fixture_db) as con:
        record_decision(con, "Aula", "own", level="Betydelig", decided_by="anne")
        record_decision(con, "Aula", "shared", note="KL's liste", decided_by="bo")
        history = decision_history(con, "aula")
        assert [(h["category"], h["decided_by"], h["in_force"]) for h in history] == [
            ("shared", "bo", True), ("own", "anne", False)]
        message = undo_decision(con, history[0]["decision_id"], undone_by="anne")
        assert message == "Undone: Aula → shared (decided by bo; undone by anne)"
        history = decision_history(con, "aula")
        assert [(h["category"], h["in_force"], h["undone_by"]) for h in history] == [
            ("shared", False, "anne"), ("own", True, None)]
        assert con.execute("SELECT category FROM decisions WHERE system_key = 'aula'").fetchall() == [("own",)]
        with pytest.raises(InvalidValue, match="no decision .* in force"):
            undo_decision(con, history[0]["decision_id"])
        columns, rows = run_query(con, "decisions_this_month")
        assert [dict(zip(columns, r, strict=True))["system"] for r in rows].count("Aula") == 2
        _, none = run_query(con, "decisions_this_month", {"month": "2001-01"})
        assert none == []


def test_new_queries_have_headers_that_name_their_columns(fixture_db):
    queries = {q.name: q for q in list_queries()}
    for name in ("checklist_status", "decisions_this_month"):
        assert queries[name].title and len(queries[name].description) > 40
        with database.reading(fixture_db) as con:
            columns, _ = run_query(con, name)
        assert [c for c, _ in queries[name].columns] == columns
