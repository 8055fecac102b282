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
