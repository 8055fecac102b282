"""The discover flow under Prefect gives the same findings as the plain functions."""

from __future__ import annotations

from flows.discover import discover_flow
from tests.conftest import EXAMPLE_ARCHIVE
from tuscan import db

FINDINGS = "SELECT path, status, tu_evidence, keywords, system FROM document_findings ORDER BY path"


def test_discover_flow_matches_plain_run(prefect_harness, example_db, tmp_path):
    target = tmp_path / "flow.duckdb"
    result = discover_flow([str(EXAMPLE_ARCHIVE)], db=str(target), workers=2)
    assert result["files"] == 30 and result["errors"] == 0
    with db.reading(target) as con:
        from_flow = con.execute(FINDINGS).fetchall()
    with db.reading(example_db) as con:
        plain = con.execute(FINDINGS).fetchall()
    assert from_flow == plain


def test_task_runner_passes_the_limits_to_its_workers(prefect_harness, tmp_path):
    """With runner="tasks" (as with Dask) batches run as Prefect tasks; the size limit still applies."""
    from prefect import flow

    from extractors import Limits
    from flows.discover import run_discover

    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "Stor aftale.txt").write_text("Borgerne logger ind med MitID. " * 100, "utf-8")
    (archive / "Lille aftale.txt").write_text("Borgerne logger ind med MitID.", "utf-8")

    @flow
    def scan_with_tasks():
        return run_discover([str(archive)], str(tmp_path / "t.duckdb"), runner="tasks",
                            limits=Limits(max_file_bytes=1000))

    scan_with_tasks()
    with db.reading(tmp_path / "t.duckdb") as con:
        rows = dict(con.execute("SELECT path, error FROM document_findings").fetchall())
    assert rows["Lille aftale.txt"] is None
    assert "larger than the 1000 byte limit" in rows["Stor aftale.txt"]
