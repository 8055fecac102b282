"""People's decisions survive a re-run that names, merges or splits systems differently: each stays
attached to its system (by name, an earlier name, the KL-list entry, or the documents behind it) or
is listed as orphaned (`tuscan query orphaned_decisions`, the discover summary) — never dropped."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from tuscan import db
from tuscan.candidates import Candidate
from tuscan.classify import DecisionBook, System, _Decision, classify
from tuscan.decisions import record_decision
from tuscan.queries import run_query
from tuscan.rules import ListMatch
from tuscan.steps import run_discover
from tuscan.summary import discover_summary

LOGIN = "Borgerne logger ind med MitID via NemLog-in i {name}, og sagsbehandlerne med MitID Erhverv.\n"


def _decide(path: Path, system: str, category: str, **kwargs) -> None:
    """What `tuscan decide` does: record, then classify."""
    with db.writing(path) as con:
        record_decision(con, system, category, **kwargs)
        classify(con)


def _write(root: Path, vendor: str, folder: str, file: str, name: str) -> Path:
    path = root / vendor / folder / file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{file}\n\n" + LOGIN.format(name=name), encoding="utf-8")
    return path


def _scan(archive: Path, path: Path) -> None:
    run_discover([str(archive)], str(path), runner="inline")


def _inventory(path: Path) -> dict[str, tuple]:
    with db.reading(path) as con:
        return {r[0]: r[1:] for r in con.execute("SELECT system, category, decided_by, reason FROM inventory").fetchall()}


def _orphans(path: Path) -> list[dict]:
    with db.reading(path) as con:
        columns, rows = run_query(con, "orphaned_decisions")
    return [dict(zip(columns, r, strict=True)) for r in rows]


def _move(archive: Path, source: str, target: str) -> None:
    (archive / target).parent.mkdir(parents=True, exist_ok=True)
    shutil.move(archive / source, archive / target)


def test_a_renamed_system_keeps_its_decision(tmp_path):
    archive, path = tmp_path / "archive", tmp_path / "inventory.duckdb"
    _write(archive, "Nordsoft", "Parkering", "kontrakt.txt", "Parkering")
    _scan(archive, path)
    _decide(path, "Parkering", "not_tu", note="Kun medarbejdere på intranettet", decided_by="dpo")
    # The next run names the system by a better title: the folder is now the system's full name.
    _move(archive, "Nordsoft/Parkering", "Nordsoft/Korsbæk Parkeringsportal")
    _scan(archive, path)
    inventory = _inventory(path)
    assert "Parkering" not in inventory
    category, decided_by, reason = inventory["Korsbæk Parkeringsportal"]
    assert (category, decided_by) == ("not_tu", "person")
    assert "Kun medarbejdere på intranettet" in reason
    assert _orphans(path) == []
    # A second rename still finds it (through the name it went by in between, and its documents).
    _move(archive, "Nordsoft/Korsbæk Parkeringsportal", "Nordsoft/Parkeringsportalen Korsbæk")
    _scan(archive, path)
    assert _inventory(path)["Parkeringsportalen Korsbæk"][:2] == ("not_tu", "person")
    # A person who still uses the old name decides on the system it is now.
    _decide(path, "Parkering", "own", level="Lav", decided_by="dpo")
    assert _inventory(path)["Parkeringsportalen Korsbæk"][:2] == ("own", "person")


def test_merged_systems_keep_the_newest_decision_and_report_the_other(tmp_path):
    archive, path = tmp_path / "archive", tmp_path / "inventory.duckdb"
    _write(archive, "Nordsoft", "Kolonihaver", "aftale.txt", "Kolonihaver")
    _write(archive, "Nordsoft", "Haveportal", "tillaeg.txt", "Haveportal")
    _scan(archive, path)
    _decide(path, "Haveportal", "shared", decided_by="anne")
    _decide(path, "Kolonihaver", "own", level="Lav", decided_by="bo")     # the newer one
    # The amendment turns out to belong to Kolonihaver: the two systems are one.
    _move(archive, "Nordsoft/Haveportal/tillaeg.txt", "Nordsoft/Kolonihaver/tillaeg.txt")
    _scan(archive, path)
    inventory = _inventory(path)
    assert "Haveportal" not in inventory
    category, decided_by, reason = inventory["Kolonihaver"]
    assert (category, decided_by) == ("own", "person")
    assert "set aside: Haveportal → shared (by anne)" in reason
    orphans = _orphans(path)
    assert [(o["system"], o["why"], o["now_part_of"]) for o in orphans] == [("Haveportal", "overruled", "Kolonihaver")]
    with db.reading(path) as con:
        kolonihaver = con.execute("SELECT decision_id FROM decisions WHERE system = 'Kolonihaver'").fetchone()[0]
        assert con.execute("SELECT count(*) FROM decisions").fetchone()[0] == 2       # nothing deleted
        assert "1 decision could not be attached" in discover_summary(con)
    assert orphans[0]["overruled_by"] == kolonihaver


def test_merged_systems_that_agree_report_nothing(tmp_path):
    archive, path = tmp_path / "archive", tmp_path / "inventory.duckdb"
    _write(archive, "Nordsoft", "Kolonihaver", "aftale.txt", "Kolonihaver")
    _write(archive, "Nordsoft", "Haveportal", "tillaeg.txt", "Haveportal")
    _scan(archive, path)
    _decide(path, "Haveportal", "shared", decided_by="anne")
    _decide(path, "Kolonihaver", "shared", decided_by="bo")
    _move(archive, "Nordsoft/Haveportal/tillaeg.txt", "Nordsoft/Kolonihaver/tillaeg.txt")
    _scan(archive, path)
    assert _inventory(path)["Kolonihaver"][:2] == ("shared", "person")
    assert _orphans(path) == []


def test_a_split_system_keeps_its_decision_on_the_part_that_holds_its_documents(tmp_path):
    archive, path = tmp_path / "archive", tmp_path / "inventory.duckdb"
    _write(archive, "Nordsoft", "Borgerportal", "kontrakt.txt", "portalen")
    _write(archive, "Nordsoft", "Borgerportal", "bilag 1.txt", "portalen")
    _write(archive, "Nordsoft", "Borgerportal", "bilag 2.txt", "portalen")
    _scan(archive, path)
    _decide(path, "Borgerportal", "not_tu", decided_by="dpo")
    # Better identification: two of the documents are Selvbetjening Byggesag, one is Booking.
    _move(archive, "Nordsoft/Borgerportal/kontrakt.txt", "Nordsoft/Selvbetjening Byggesag/kontrakt.txt")
    _move(archive, "Nordsoft/Borgerportal/bilag 1.txt", "Nordsoft/Selvbetjening Byggesag/bilag 1.txt")
    _move(archive, "Nordsoft/Borgerportal/bilag 2.txt", "Nordsoft/Lokalebooking/bilag 2.txt")
    _scan(archive, path)
    inventory = _inventory(path)
    assert inventory["Selvbetjening Byggesag"][:2] == ("not_tu", "person")
    assert inventory["Lokalebooking"][1] == "rules"
    assert _orphans(path) == []


def test_a_decision_whose_system_is_gone_is_listed_not_deleted(tmp_path):
    archive, path = tmp_path / "archive", tmp_path / "inventory.duckdb"
    _write(archive, "Nordsoft", "Kolonihaver", "aftale.txt", "Kolonihaver")
    _write(archive, "Omsorgsdata", "Støttekontakt", "aftale.txt", "Støttekontakt")
    _scan(archive, path)
    _decide(path, "Støttekontakt", "own", note="Egen løsning", decided_by="dpo")
    shutil.rmtree(archive / "Omsorgsdata")
    _scan(archive, path)
    orphans = _orphans(path)
    assert [(o["system"], o["why"], o["category"], o["note"], o["last_attached"]) for o in orphans] == [
        ("Støttekontakt", "no_system", "own", "Egen løsning", "Støttekontakt")]
    with db.reading(path) as con:
        summary = discover_summary(con)
        assert con.execute("SELECT count(*) FROM decisions").fetchone()[0] == 1
    assert "1 decision could not be attached to a system" in summary
    assert "tuscan query orphaned_decisions" in summary
    # The system comes back: the decision applies again and the orphan is gone.
    _write(archive, "Omsorgsdata", "Støttekontakt", "aftale.txt", "Støttekontakt")
    _scan(archive, path)
    assert _inventory(path)["Støttekontakt"][:2] == ("own", "person")
    assert _orphans(path) == []


def _decision(i: int, name: str, category: str, **subject) -> _Decision:
    from tuscan.names import normalise

    return _Decision(i, name, normalise(name), category, None, None, dt.datetime(2026, 1, i), "dpo",
                     names={normalise(name)}, **subject)


def _system(name: str, *, documents=(), matches=None, vendor=None) -> System:
    return System(candidates=[Candidate(name, "document", vendor=vendor, document_ids=list(documents))],
                  matches=matches or {})


def test_a_decision_follows_its_list_entry_when_the_name_changes():
    decision = _decision(1, "Aula Forældreintra", "shared", list_key="kl_shared_tu:AULA")
    aula = _system("Aula", matches={"kl_shared_tu": ListMatch("kl_shared_tu", "AULA", 100.0)})
    other = _system("Aula Forældreintra Kopi")          # no list entry, no shared name
    book = DecisionBook([decision], [other, aula])
    assert book.decision_for(aula) == ("shared", None, None)
    assert book.decision_for(other) is None
    assert book.orphaned == []


def test_a_name_claim_beats_a_document_claim():
    decision = _decision(1, "Booking", "own", documents={7, 8})
    by_name = _system("Booking", documents=[9])
    by_documents = _system("Lokaler", documents=[7, 8])
    book = DecisionBook([decision], [by_documents, by_name])
    assert book.decision_for(by_name) is not None and book.decision_for(by_documents) is None


def test_a_decision_nothing_claims_is_orphaned():
    decision = _decision(1, "Gammelt Fagsystem", "own", documents={3}, list_key="kl_shared_tu:Gammelt")
    book = DecisionBook([decision], [_system("Nyt Fagsystem", documents=[4])])
    assert [d.system for d in book.orphaned] == ["Gammelt Fagsystem"]


def test_a_decision_under_an_alias_finds_the_system_under_the_lists_name():
    decision = _decision(1, "Fælles Medicinkort", "common_public")
    fmk = _system("FMK - Fælles Medicinkort")
    book = DecisionBook([decision], [fmk])
    assert book.decision_for(fmk) == ("common_public", None, None)
