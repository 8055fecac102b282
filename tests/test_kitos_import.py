"""`tuscan kitos import|fetch`: storing, re-importing, KITOS candidates and merging with the archive."""

from __future__ import annotations

import duckdb
import pytest
from click.testing import CliRunner

from tests.kitos_fixtures import (
    BOOKING_UUID,
    KORSBAEK_CVR,
    FakeKitos,
    usage_table,
    write_csv,
    write_exports,
)
from tuscan import db as database
from tuscan import steps
from tuscan.candidates import COMMON_PUBLIC_SIGNAL, MENTION, SENSITIVE, SHARED_SIGNAL
from tuscan.cli import main
from tuscan.kitos.candidates import kitos_candidates
from tuscan.kitos.load import import_exports


@pytest.fixture
def exports(tmp_path):
    # An export saved without its extension, the older catalog layout and a cp1252 CSV.
    return write_exports(tmp_path, usage_name="IT Systemer Overblik", catalog="old", contracts_encoding="cp1252")


def _count(db, sql: str) -> int:
    with database.reading(db) as con:
        return con.execute(sql).fetchone()[0]


def test_import_stores_rows_and_reimport_replaces_them(tmp_path, exports):
    db = tmp_path / "inventory.duckdb"
    summary = import_exports(list(exports.values()), db)
    assert [(f.kind, f.imported, len(f.skipped)) for f in summary.files] == [
        ("usage", 4, 1), ("catalog", 4, 0), ("contracts", 2, 1)]
    assert _count(db, "SELECT count(*) FROM kitos_systems") == 8
    assert _count(db, "SELECT count(*) FROM kitos_contracts") == 2
    import_exports([exports["usage"]], db)
    assert _count(db, "SELECT count(*) FROM kitos_systems WHERE record_kind = 'usage'") == 4
    assert _count(db, "SELECT count(*) FROM kitos_systems") == 8
    assert _count(db, "SELECT count(*) FROM runs WHERE kind = 'kitos' AND status = 'finished'") == 2
    assert _count(db, "SELECT count(*) FROM kitos_loads") == 4
    with database.reading(db) as con:
        row = con.execute("SELECT valid_from, valid_to, systems FROM kitos_contracts WHERE name = 'Bookingaftale'"
                          ).fetchone()
    assert str(row[0]) == "2021-03-01" and str(row[1]) == "2026-12-31" and row[2] == ["Lokal Lokalebooking"]


def test_candidates_carry_the_kitos_signals(tmp_path, exports):
    db = tmp_path / "inventory.duckdb"
    import_exports(list(exports.values()), db)
    with database.reading(db) as con:
        candidates = {c.name: c for c in kitos_candidates(con)}
    # Systems in use (catalog "Hjemmeplejeplan" is not in use: no candidate).
    assert set(candidates) == {"Korsbæk Selvbetjening", "Sygesikringsportalen", "Tabulex Børn", "Lokal Lokalebooking"}
    assert all(c.source_kind == "kitos" and MENTION in c.kinds() for c in candidates.values())
    # The old catalog export has no UUIDs: joined by name. 45 users → shared signal.
    assert SHARED_SIGNAL in candidates["Tabulex Børn"].kinds()
    assert SHARED_SIGNAL not in candidates["Korsbæk Selvbetjening"].kinds()   # used by 1
    sundhed = candidates["Sygesikringsportalen"]
    assert {COMMON_PUBLIC_SIGNAL, SENSITIVE, SHARED_SIGNAL} <= sundhed.kinds()
    assert SENSITIVE not in candidates["Tabulex Børn"].kinds()
    # No vendor in the usage export: the contract listing the system names it.
    assert candidates["Lokal Lokalebooking"].vendor == "Bytorvet IT ApS"
    assert candidates["Lokal Lokalebooking"].evidence[0].source_ref == BOOKING_UUID
    assert "IT Systemer Overblik, row 5" in candidates["Lokal Lokalebooking"].evidence[0].detail


def test_the_same_system_from_two_exports_is_one_candidate(tmp_path, exports):
    db = tmp_path / "inventory.duckdb"
    headers, rows = usage_table("old", seed=9)    # no UUIDs: joined to the current export by name
    old = write_csv(tmp_path / "gammel.csv", headers, rows)
    import_exports([exports["usage"], old], db)
    with database.reading(db) as con:
        names = [c.name for c in kitos_candidates(con)]
    assert sorted(names) == sorted({"Korsbæk Selvbetjening", "Sygesikringsportalen", "Tabulex Børn",
                                    "Lokal Lokalebooking"})


def test_merged_with_the_example_archive(example_db_copy, exports):
    """A system in both the archive and KITOS is one inventory row with both sources; a KITOS-only
    system without login evidence is unknown."""
    results = steps.run_steps(steps.kitos_import([str(p) for p in exports.values()], example_db_copy))
    assert results["classify"].describe().startswith("Classified")
    with database.reading(example_db_copy) as con:
        rows = con.execute("SELECT system, category, sources, vendor FROM inventory").fetchall()
        evidence = con.execute("SELECT kind FROM evidence WHERE system = 'Korsbæk Selvbetjening'"
                               " AND source_kind = 'kitos'").fetchall()
    by_name = {r[0]: r for r in rows}
    selvbetjening = [r for r in rows if r[0] == "Korsbæk Selvbetjening"]
    assert len(selvbetjening) == 1
    assert selvbetjening[0][2] == ["document", "kitos"]
    assert selvbetjening[0][1] == "own"      # the archive's login evidence still decides
    assert (MENTION,) in evidence
    assert by_name["Lokal Lokalebooking"][1] == "unknown"
    assert by_name["Lokal Lokalebooking"][2] == ["kitos"]


def test_cli_import_prints_imported_and_skipped(tmp_path, exports):
    db = tmp_path / "inventory.duckdb"
    junk = tmp_path / "budget.csv"
    junk.write_text("Konto;Beløb\n1000;5\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["kitos", "import", *map(str, exports.values()), str(junk), "--db", str(db)])
    out = result.output
    assert "IT Systemer Overblik: usage export, 4 systems in use imported, 1 skipped (row 6: no system name)" in out
    assert "IT Systemkatalog Overblik.xlsx: catalog export, 4 catalog entries imported, 0 skipped" in out
    assert "IT Kontrakter Overblik.csv: contracts export, 2 contracts imported, 1 skipped" in out
    assert 'budget.csv: not imported: not a KITOS export tuscan knows (found "Konto", "Beløb")' in out
    assert '"IT System"' in out
    assert result.exit_code == 1 and "1 of 4 files were not imported" in out
    assert _count(db, "SELECT count(*) FROM kitos_systems") == 8    # the good files are in


def test_cli_fetch_with_credentials_from_the_environment(tmp_path, monkeypatch):
    db = tmp_path / "inventory.duckdb"
    runner = CliRunner()
    monkeypatch.delenv("KITOS_EMAIL", raising=False)
    monkeypatch.delenv("KITOS_PASSWORD", raising=False)
    with FakeKitos() as fake:
        missing = runner.invoke(main, ["kitos", "fetch", "--url", fake.url, "--cvr", KORSBAEK_CVR, "--db", str(db)])
        assert missing.exit_code == 1 and "set KITOS_EMAIL and KITOS_PASSWORD" in missing.output
        env = {"KITOS_EMAIL": fake.email, "KITOS_PASSWORD": fake.password}
        result = runner.invoke(main, ["kitos", "fetch", "--url", fake.url, "--cvr", KORSBAEK_CVR, "--db", str(db),
                                      "--page-size", "2", "--timeout", "5"], env=env)
        assert result.exit_code == 0, result.output
        assert f"KITOS API {fake.url} (CVR {KORSBAEK_CVR}): 3 systems in use imported, 0 skipped" in result.output
        assert "Korsbæk Kommune (CVR 29189129): 3 systems in use, 3 catalog entries" in result.output
        assert fake.password not in result.output
        wrong = runner.invoke(main, ["kitos", "fetch", "--url", fake.url, "--cvr", KORSBAEK_CVR, "--db", str(db)],
                              env={**env, "KITOS_PASSWORD": "nej"})
        assert wrong.exit_code == 1 and "Error:" in wrong.output and "401" in wrong.output
    # Re-fetching replaced, not duplicated; the failed fetch kept the previous rows.
    assert _count(db, "SELECT count(*) FROM kitos_systems WHERE record_kind = 'usage'") == 3


def test_flows_call_the_same_functions(tmp_path, exports):
    pytest.importorskip("prefect")
    from flows.kitos import kitos_import_flow

    db = tmp_path / "inventory.duckdb"
    result = kitos_import_flow.fn([str(p) for p in exports.values()], str(db))
    assert [f["kind"] for f in result["files"]] == ["usage", "catalog", "contracts"]
    assert _count(db, "SELECT count(*) FROM kitos_contracts") == 2
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM runs WHERE kind = 'kitos'").fetchone()[0] == 1
    finally:
        con.close()


def test_fetch_flow(tmp_path, monkeypatch):
    pytest.importorskip("prefect")
    from flows.kitos import kitos_fetch_flow

    db = tmp_path / "inventory.duckdb"
    with FakeKitos() as fake:
        monkeypatch.setenv("KITOS_EMAIL", fake.email)
        monkeypatch.setenv("KITOS_PASSWORD", fake.password)
        result = kitos_fetch_flow.fn(fake.url, KORSBAEK_CVR, str(db), page_size=2)
    assert result["files"][0]["imported"] == 3
    assert _count(db, "SELECT count(*) FROM kitos_systems WHERE record_kind = 'catalog'") == 3
