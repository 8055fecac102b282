"""`tuscan decide`: a person's decision is kept forever and wins over the rules on every re-run."""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLE_ARCHIVE
from tuscan import db
from tuscan.classify import classify
from tuscan.decisions import record_decision
from tuscan.errors import InvalidValue, UnknownSystem
from tuscan.steps import run_discover


def row(path, system):
    with db.reading(path) as con:
        return con.execute("SELECT category, suggested_level, decided_by, reason FROM inventory WHERE system = ?",
                           [system]).fetchone()


def test_decision_survives_classify_and_discover(example_db_copy):
    with db.writing(example_db_copy) as con:
        message = record_decision(con, "tabulex", "own", level="Lav", note="Egen instans", decided_by="dpo")
        classify(con)
    assert message == "Recorded: Tabulex → own, Lav (by dpo)"
    assert row(example_db_copy, "Tabulex")[:3] == ("own", "Lav", "person")
    with db.writing(example_db_copy) as con:
        classify(con)
    run_discover([str(EXAMPLE_ARCHIVE)], str(example_db_copy), runner="inline")
    category, level, decided_by, reason = row(example_db_copy, "Tabulex")
    assert (category, level, decided_by) == ("own", "Lav", "person")
    assert "Egen instans" in reason


def test_latest_decision_counts(example_db_copy):
    with db.writing(example_db_copy) as con:
        record_decision(con, "Fenix Økonomi", "own", decided_by="a")
        record_decision(con, "Fenix Økonomi", "not_tu", note="Windows-login", decided_by="b")
        classify(con)
        assert con.execute("SELECT count(*) FROM decisions").fetchone()[0] == 2
    assert row(example_db_copy, "Fenix Økonomi")[:3] == ("not_tu", None, "person")


def test_unknown_system_is_a_clear_error(example_db_copy):
    with db.writing(example_db_copy) as con, pytest.raises(UnknownSystem, match="no system called 'Ukendt'"):
        record_decision(con, "Ukendt", "own")


def test_invalid_level_is_refused(example_db_copy):
    with db.writing(example_db_copy) as con, pytest.raises(InvalidValue, match="Lav or Betydelig"):
        record_decision(con, "Tabulex", "own", level="Høj")
