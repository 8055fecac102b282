"""Page text is stored zstd-compressed (migration 008); a database from before upgrades with its text."""

from __future__ import annotations

import pytest

import sql
from tuscan import db
from tuscan.archive.scan import scan


def _pages_sql(con) -> str:
    return con.execute("SELECT sql FROM duckdb_tables() WHERE table_name = 'pages'").fetchone()[0]


def test_new_database_stores_page_text_with_zstd(tmp_path):
    with db.writing(tmp_path / "i.duckdb") as con:
        assert "USING COMPRESSION ZSTD" in _pages_sql(con).upper()


def test_database_from_before_migration_8_keeps_its_page_text(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "Aftale.txt").write_text("Borgerne logger ind med MitID.\n" * 50, "utf-8")
    path = tmp_path / "old.duckdb"
    known = sql.migrations()
    with pytest.MonkeyPatch.context() as patch:
        # Before migration 8, plus the columns today's scanner writes (migration 10).
        patch.setattr(sql, "migrations", lambda: [m for m in known if m[0] < 8 or m[1] == "skipped"])
        patch.setattr(sql, "views", lambda: [])   # today's views need today's columns
        with db.writing(path) as con:
            scan(con, [archive])
            before = con.execute("SELECT sha256, page, text, ocr FROM pages ORDER BY ALL").fetchall()
            assert "ZSTD" not in _pages_sql(con).upper()
    assert before and "MitID" in before[0][2]
    with db.writing(path) as con:
        assert "USING COMPRESSION ZSTD" in _pages_sql(con).upper()
        assert con.execute("SELECT sha256, page, text, ocr FROM pages ORDER BY ALL").fetchall() == before
        hits = con.execute("SELECT count(*) FROM hits h JOIN pages p USING (sha256, page)").fetchone()[0]
    assert hits == 50
