"""Re-importing a KITOS export: recognised by its content (sha256), not its file name.

The same bytes saved as "IT Systemer Overblik (1).xlsx" (a browser's second download) are reported as
already imported and store nothing; a changed export replaces the earlier export of its kind, so rows
and evidence never double; databases from before migration 005 upgrade and behave the same.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner

import sql
from tests.kitos_fixtures import (
    KORSBAEK_CVR,
    FakeKitos,
    usage_table,
    write_csv,
    write_exports,
    write_xlsx,
)
from tuscan import db as database
from tuscan.candidates import MENTION
from tuscan.cli import main
from tuscan.kitos.candidates import kitos_candidates
from tuscan.kitos.exports import read_export
from tuscan.kitos.load import fetch_into, import_exports
from tuscan.kitos.store import replace_origin
from tuscan.runs import finish_run, start_run

WHEN = r"on \d{4}-\d\d-\d\d \d\d:\d\d"


@pytest.fixture
def exports(tmp_path):
    return write_exports(tmp_path)


def changed_usage(path):
    """A later usage export: Lokal Lokalebooking gone, a new vendor for Korsbæk Selvbetjening, a new system."""
    headers, rows = usage_table("current")
    name, vendor, uuid = (headers.index(h) for h in ("IT System", "Leverandør", "IT-System (UUID)"))
    rows = [list(r) for r in rows if r[name] != "Lokal Lokalebooking"]
    for row in rows:
        if row[name] == "Korsbæk Selvbetjening":
            row[vendor] = "Nye Formularer ApS (23456789)"
    added = [""] * len(headers)
    added[name], added[uuid] = "Korsbæk Parkering", "0b8f7d0e-6666-4c1a-9a55-000000000006"
    return write_xlsx(path, headers, [*rows, added])


def counts(db) -> dict[str, int]:
    with database.reading(db) as con:
        return {
            "usage": con.execute("SELECT count(*) FROM kitos_systems WHERE record_kind = 'usage'").fetchone()[0],
            "catalog": con.execute("SELECT count(*) FROM kitos_systems WHERE record_kind = 'catalog'").fetchone()[0],
            "contracts": con.execute("SELECT count(*) FROM kitos_contracts").fetchone()[0],
            "duplicates": con.execute("SELECT count(*) FROM (SELECT record_kind, name FROM kitos_systems"
                                      " GROUP BY ALL HAVING count(*) > 1)").fetchone()[0],
        }


def candidates(db) -> dict:
    with database.reading(db) as con:
        return {c.name: c for c in kitos_candidates(con)}


def test_same_bytes_under_another_name_store_nothing_and_say_so(tmp_path, exports):
    db = tmp_path / "inventory.duckdb"
    import_exports(list(exports.values()), db)
    before, names_before = counts(db), set(candidates(db))
    assert before == {"usage": 4, "catalog": 4, "contracts": 2, "duplicates": 0}
    copy = shutil.copy(exports["usage"], tmp_path / "IT Systemer Overblik (1).xlsx")

    summary = import_exports([copy], db)

    (result,) = summary.files
    assert result.outcome == "already_imported" and result.imported == 0 and not result.error
    assert result.same_as.origin == str(exports["usage"].resolve()) and result.same_as.kind == "usage"
    text = summary.describe()
    assert re.search(r'^IT Systemer Overblik \(1\)\.xlsx: already imported: the same content as '
                     rf'"IT Systemer Overblik\.xlsx" \(usage export, 4 systems in use\), imported {WHEN}; '
                     r"nothing stored again$", text, re.M), text
    assert counts(db) == before
    found = candidates(db)
    assert set(found) == names_before
    assert all([e.kind for e in c.evidence].count(MENTION) == 1 for c in found.values())
    with database.reading(db) as con:
        load = con.execute("SELECT origin, kind, imported, outcome, same_as, sha256 FROM kitos_loads"
                           " WHERE run_id = ?", [summary.run_id]).fetchone()
        run = con.execute("SELECT status, summary FROM runs WHERE run_id = ?", [summary.run_id]).fetchone()
        stored = con.execute("SELECT origin FROM kitos_exports WHERE kind = 'usage'").fetchall()
    assert load[:5] == (str(copy.resolve()), "usage", 0, "already_imported", str(exports["usage"].resolve()))
    assert re.fullmatch(r"[0-9a-f]{64}", load[5])
    assert run[0] == "finished"
    assert json.loads(run[1])["files"][0]["outcome"] == "already_imported"
    assert stored == [(str(exports["usage"].resolve()),)]   # the rows stay with the first file


def test_the_same_file_again_is_already_imported_and_unchanged(tmp_path, exports):
    db = tmp_path / "inventory.duckdb"
    import_exports([exports["usage"]], db)
    summary = import_exports([exports["usage"]], db)
    assert summary.files[0].outcome == "already_imported"
    assert re.fullmatch(rf"IT Systemer Overblik\.xlsx: already imported {WHEN} and unchanged since "
                        r"\(usage export, 4 systems in use\); nothing stored again", summary.files[0].describe())
    assert counts(db)["usage"] == 4


def test_a_changed_export_under_a_new_name_replaces_the_old_one(tmp_path, exports):
    db = tmp_path / "inventory.duckdb"
    import_exports(list(exports.values()), db)
    newer = changed_usage(tmp_path / "IT Systemer Overblik (1).xlsx")

    summary = import_exports([newer], db)

    (result,) = summary.files
    assert result.outcome == "imported" and result.imported == 4
    assert [r.origin for r in result.replaced] == [str(exports["usage"].resolve())]
    assert re.search(rf'; replaces "IT Systemer Overblik\.xlsx" \(imported {WHEN}\)$', result.describe())
    # No row twice; the other kinds are untouched.
    assert counts(db) == {"usage": 4, "catalog": 4, "contracts": 2, "duplicates": 0}
    with database.reading(db) as con:
        origins = con.execute("SELECT DISTINCT origin FROM kitos_systems WHERE record_kind = 'usage'").fetchall()
        vendor = con.execute("SELECT vendor FROM kitos_systems WHERE name = 'Korsbæk Selvbetjening'"
                             " AND record_kind = 'usage'").fetchall()
        exported = con.execute("SELECT kind, origin FROM kitos_exports ORDER BY kind").fetchall()
        load = con.execute("SELECT outcome, replaced FROM kitos_loads WHERE run_id = ?", [summary.run_id]).fetchone()
    assert origins == [(str(newer.resolve()),)]
    assert vendor == [("Nye Formularer ApS",)]
    assert [k for k, _ in exported] == ["catalog", "contracts", "usage"]
    assert ("usage", str(newer.resolve())) in exported
    assert load == ("imported", [str(exports["usage"].resolve())])
    # The newest export is the truth for the candidates: the new vendor wins, the removed system goes.
    found = candidates(db)
    assert found["Korsbæk Selvbetjening"].vendor == "Nye Formularer ApS"
    assert "Korsbæk Parkering" in found and "Lokal Lokalebooking" not in found
    assert all([e.kind for e in c.evidence].count(MENTION) == 1 for c in found.values())
    assert "IT Systemer Overblik (1).xlsx" in found["Korsbæk Selvbetjening"].evidence[0].detail


def test_the_old_export_imported_again_becomes_the_truth_again(tmp_path, exports):
    """Its rows were replaced, so importing it is not a no-op: the latest import wins."""
    db = tmp_path / "inventory.duckdb"
    import_exports([exports["usage"]], db)
    newer = changed_usage(tmp_path / "IT Systemer Overblik (1).xlsx")
    import_exports([newer], db)
    summary = import_exports([exports["usage"]], db)
    assert summary.files[0].outcome == "imported"
    assert [r.origin for r in summary.files[0].replaced] == [str(newer.resolve())]
    assert counts(db)["usage"] == 4 and counts(db)["duplicates"] == 0
    assert "Lokal Lokalebooking" in candidates(db)


def test_a_changed_file_under_the_same_name_replaces_what_it_imported(tmp_path, exports):
    db = tmp_path / "inventory.duckdb"
    import_exports([exports["usage"]], db)
    changed_usage(exports["usage"])
    summary = import_exports([exports["usage"]], db)
    assert summary.files[0].outcome == "imported"
    assert re.search(rf"; replaces what this file imported {WHEN}$", summary.files[0].describe())
    assert counts(db)["usage"] == 4 and counts(db)["duplicates"] == 0
    assert candidates(db)["Korsbæk Selvbetjening"].vendor == "Nye Formularer ApS"


def test_exports_in_one_command_add_up_and_a_copy_among_them_is_skipped(tmp_path, exports):
    db = tmp_path / "inventory.duckdb"
    headers, rows = usage_table("old", seed=9)
    other = write_csv(tmp_path / "gammel.csv", headers, rows)
    copy = shutil.copy(exports["usage"], tmp_path / "kitos (1).xlsx")
    summary = import_exports([exports["usage"], copy, other], db)
    assert [f.outcome for f in summary.files] == ["imported", "already_imported", "imported"]
    assert summary.files[2].replaced == []
    assert "2 usage exports in this import: their rows add up" in summary.describe()
    assert counts(db)["usage"] == 8


def test_force_reads_the_same_content_again_without_doubling(tmp_path, exports):
    db = tmp_path / "inventory.duckdb"
    import_exports([exports["usage"]], db)
    copy = shutil.copy(exports["usage"], tmp_path / "kitos (1).xlsx")
    summary = import_exports([copy, copy], db, force=True)
    # Read again and replacing the first file's rows; given twice in one command, still stored once.
    assert [f.outcome for f in summary.files] == ["imported", "already_imported"]
    assert [r.origin for r in summary.files[0].replaced] == [str(exports["usage"].resolve())]
    assert counts(db) == {"usage": 4, "catalog": 0, "contracts": 0, "duplicates": 0}


def test_a_file_import_leaves_the_api_fetch_alone(tmp_path, exports):
    db = tmp_path / "inventory.duckdb"
    with FakeKitos() as fake:
        fetch_into(db, fake.url, KORSBAEK_CVR, email=fake.email, password=fake.password)
    import_exports([exports["usage"]], db)
    import_exports([changed_usage(tmp_path / "kitos (1).xlsx")], db)
    with database.reading(db) as con:
        api = con.execute("SELECT count(*) FROM kitos_systems WHERE origin LIKE 'api:%' AND record_kind = 'usage'"
                          ).fetchone()[0]
        files = con.execute("SELECT count(*) FROM kitos_systems WHERE origin NOT LIKE 'api:%'").fetchone()[0]
        outcomes = con.execute("SELECT outcome FROM kitos_loads ORDER BY run_id").fetchall()
    assert api == 3 and files == 4
    assert outcomes == [("imported",), ("imported",), ("imported",)]


def test_cli_says_already_imported_and_exits_0(tmp_path, exports):
    db = tmp_path / "inventory.duckdb"
    runner = CliRunner()
    first = runner.invoke(main, ["kitos", "import", str(exports["usage"]), "--db", str(db)])
    assert first.exit_code == 0, first.output
    copy = shutil.copy(exports["usage"], tmp_path / "IT Systemer Overblik (1).xlsx")
    again = runner.invoke(main, ["kitos", "import", str(copy), "--db", str(db)])
    assert again.exit_code == 0, again.output
    assert re.search(r'IT Systemer Overblik \(1\)\.xlsx: already imported: the same content as '
                     rf'"IT Systemer Overblik\.xlsx" \(usage export, 4 systems in use\), imported {WHEN}; '
                     "nothing stored again", again.output), again.output
    changed = runner.invoke(main, ["kitos", "import", str(changed_usage(tmp_path / "kitos (2).xlsx")),
                                   "--db", str(db)])
    assert changed.exit_code == 0, changed.output
    assert re.search(r'kitos \(2\)\.xlsx: usage export, 4 systems in use imported, 1 skipped \(row 5: no system name\); '
                     rf'replaces "IT Systemer Overblik\.xlsx" \(imported {WHEN}\)', changed.output), changed.output
    forced = runner.invoke(main, ["kitos", "import", str(copy), "--db", str(db), "--force"])
    assert forced.exit_code == 0 and 'replaces "kitos (2).xlsx"' in forced.output, forced.output
    assert counts(db)["usage"] == 4 and counts(db)["duplicates"] == 0


def _legacy_database(db, monkeypatch, usage) -> None:
    """A database as tuscan wrote it before migration 005: schema 001–004 and one import of `usage`."""
    with monkeypatch.context() as patch:
        known = sql.migrations()
        patch.setattr(sql, "migrations", lambda: [m for m in known if m[0] < 5])
        patch.setattr(sql, "views", lambda: [])   # today's views need today's columns
        with database.writing(db) as con:
            export = read_export(usage)
            origin = str(usage.resolve())
            run_id = start_run(con, "kitos", {"action": "import", "files": [origin]})
            replace_origin(con, origin, run_id, systems=export.systems, contracts=export.contracts)
            con.execute("INSERT INTO kitos_loads (run_id, origin, kind, imported, skipped, error, skipped_why)"
                        " VALUES (?, ?, 'usage', ?, ?, NULL, ?)",
                        [run_id, origin, export.imported, len(export.skipped), export.skipped])
            finish_run(con, run_id, "finished")
            assert con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == 4


def test_a_database_from_before_the_migration_upgrades_and_does_not_double(tmp_path, exports, monkeypatch):
    db = tmp_path / "inventory.duckdb"
    _legacy_database(db, monkeypatch, exports["usage"])
    copy = shutil.copy(exports["usage"], tmp_path / "IT Systemer Overblik (1).xlsx")

    # No hash is known for the old import: the copy is read, and replaces it (same kind) instead of doubling.
    summary = import_exports([copy], db)
    assert summary.files[0].outcome == "imported"
    assert [r.origin for r in summary.files[0].replaced] == [str(exports["usage"].resolve())]
    assert re.search(rf'replaces "IT Systemer Overblik\.xlsx" \(imported {WHEN}\)', summary.describe())
    assert counts(db)["usage"] == 4 and counts(db)["duplicates"] == 0
    # From now on the content is known.
    again = import_exports([exports["usage"]], db)
    assert again.files[0].outcome == "already_imported"
    assert counts(db)["usage"] == 4
    with database.reading(db) as con:
        versions = [v for (v,) in con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()]
        loads = con.execute("SELECT outcome, sha256 IS NULL FROM kitos_loads ORDER BY run_id").fetchall()
    assert versions[:5] == [1, 2, 3, 4, 5]   # (and any later migrations)
    assert loads == [(None, True), ("imported", False), ("already_imported", False)]
