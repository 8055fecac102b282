"""Opening the database: numbered migrations applied once and tracked, views documented."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

import sql
from tuscan import db
from tuscan.errors import DatabaseMissing


def test_migrations_are_applied_once_and_tracked(tmp_path):
    path = tmp_path / "i.duckdb"
    with db.writing(path) as con:
        versions = [r[0] for r in con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()]
        assert versions == [v for v, _, _ in sql.migrations()]
        assert db.migrate(con) == []          # nothing left to apply
    with db.reading(path) as con:
        assert con.execute("SELECT count(*) FROM document_findings").fetchone()[0] == 0


def test_reading_a_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(DatabaseMissing, match="run `tuscan discover`"):
        db.connect(tmp_path / "nothing.duckdb", read_only=True)


def test_writer_note_is_removed_on_close(tmp_path):
    path = tmp_path / "i.duckdb"
    with db.writing(path, command="discover"):
        assert (tmp_path / "i.duckdb.writer.json").exists()
    assert not (tmp_path / "i.duckdb.writer.json").exists()


@pytest.mark.parametrize(("name", "script"), sql.views())
def test_every_view_column_is_documented(tmp_path, name, script):
    header = "\n".join(line for line in script.splitlines() if line.startswith("--"))
    view = re.search(r"CREATE OR REPLACE VIEW (\w+)", script).group(1)
    with db.writing(tmp_path / "i.duckdb") as con:
        columns = [d[0] for d in con.execute(f"SELECT * FROM {view} LIMIT 0").description]
    undocumented = [c for c in columns if not re.search(rf"--\s+{c}\b|[ ,]{c}[ ,]", header)]
    assert not undocumented, f"{name}: document these columns in the header comment: {undocumented}"


def test_design_contract_columns_exist(tmp_path):
    with db.writing(tmp_path / "i.duckdb") as con:
        findings = {d[0] for d in con.execute("SELECT * FROM document_findings LIMIT 0").description}
        inventory = {d[0] for d in con.execute("SELECT * FROM inventory LIMIT 0").description}
    assert {"path", "status", "error", "tu_evidence", "system", "keywords"} <= findings
    assert {"system", "vendor", "category", "suggested_level", "flags", "matched_list", "matched_name",
            "match_score", "reason", "sources", "evidence_count", "decided_by"} <= inventory


def test_held_shares_one_writable_connection_and_releases_it(tmp_path):
    path = tmp_path / "i.duckdb"
    with db.held(path, command="discover"):
        assert not db._holder_file(path).exists()            # opened at the first use, not before
        with db.writing(path) as first:
            first.execute("CREATE TABLE t (x INTEGER)")
        with db.writing(path) as second, db.reading(path) as third:
            assert second is first and third is first
            second.execute("INSERT INTO t VALUES (1)")
        assert db._holder_file(path).exists()
    assert not db._holder_file(path).exists()               # released when the block ends
    with db.reading(path) as con:                            # and the lock is free for anyone
        assert con.execute("SELECT x FROM t").fetchall() == [(1,)]


def test_held_is_released_when_a_step_fails_and_not_shared_with_other_threads(tmp_path):
    import threading

    path = tmp_path / "i.duckdb"
    with pytest.raises(RuntimeError), db.held(path):
        with db.writing(path) as con:
            con.execute("CREATE TABLE t (x INTEGER)")
            seen = {}

            def other_thread():
                with db.writing(path) as own:
                    seen["same"] = own is con

            worker = threading.Thread(target=other_thread)
            worker.start()
            worker.join()
            assert seen == {"same": False}
        raise RuntimeError("a step failed")
    with db.writing(path) as con:                            # the held connection was closed
        assert con.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_writable_opens_in_one_process_share_the_file_until_the_last_is_released(tmp_path):
    # The writer attaches the file to an in-memory DuckDB (for its row group size); a second
    # writable open in the same process must work alongside it, as DuckDB's own sharing did, and
    # the file must be free for another process once every connection is released.
    path = tmp_path / "i.duckdb"
    first = db.connect(path)
    second = db.connect(path)
    first.execute("CREATE TABLE t (x INTEGER)")
    second.execute("INSERT INTO t VALUES (1)")
    db.release(first, path)                        # the second still works after the first goes
    assert second.execute("SELECT count(*) FROM t").fetchone() == (1,)
    third = db.connect(path)
    db.release(second, path)
    third.execute("INSERT INTO t VALUES (2)")
    db.release(third, path)
    out = subprocess.run([sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]);"
                          " print(c.execute('SELECT sum(x) FROM t').fetchone()[0])", str(path)],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "3"
    assert not db._holder_file(path).exists()


def test_the_writer_stores_row_groups_of_its_own_size(tmp_path):
    path = tmp_path / "i.duckdb"
    with db.writing(path) as con:
        con.execute("CREATE TABLE t AS SELECT range AS x FROM range(40000)")
    with db.reading(path) as con:
        rows = con.execute("SELECT DISTINCT row_group_id, count FROM pragma_storage_info('t')").fetchall()
    full, rest = divmod(40000, db.ROW_GROUP_SIZE)
    assert db.ROW_GROUP_SIZE < 122_880 and full >= 2           # not DuckDB's one row group of 122,880
    assert sorted(count for _, count in rows) == sorted([db.ROW_GROUP_SIZE] * full + [rest] * bool(rest))
