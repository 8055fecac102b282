"""Re-runs are incremental: unchanged files are not read again, renamed and copied files keep their
findings without being extracted again, deleted files are marked missing, never forgotten."""

from __future__ import annotations

import os
import shutil

import pytest

from tuscan import db
from tuscan.archive.scan import scan


@pytest.fixture
def archive(tmp_path):
    root = tmp_path / "archive"
    (root / "KMD" / "Nexus").mkdir(parents=True)
    (root / "KMD" / "Nexus" / "Kontrakt.txt").write_text("Borgerne logger ind med MitID via NemLog-in.", "utf-8")
    (root / "KMD" / "Nexus" / "Bilag 1.txt").write_text("Servicemål og priser.", "utf-8")
    (root / "Rengøring.txt").write_text("Betaling til NemKonto.", "utf-8")
    return root


def run(db_path, root):
    with db.writing(db_path) as con:
        summary = scan(con, [root])
        rows = con.execute("SELECT path, status, tu_evidence, keywords, first_seen_run, last_seen_run"
                           " FROM document_findings ORDER BY path").fetchall()
        extracted = con.execute("SELECT count(*) FROM contents").fetchone()[0]
    return summary, rows, extracted


def test_unchanged_rescan_reads_nothing(tmp_path, archive):
    first, rows1, contents1 = run(tmp_path / "i.duckdb", archive)
    second, rows2, contents2 = run(tmp_path / "i.duckdb", archive)
    assert first.extracted == 3
    assert (second.extracted, second.linked, second.unchanged) == (0, 0, 3)
    assert contents2 == contents1
    assert [r[:4] for r in rows2] == [r[:4] for r in rows1]
    assert all(r[5] == second.run_id for r in rows2)


def test_touched_file_is_hashed_not_extracted(tmp_path, archive):
    run(tmp_path / "i.duckdb", archive)
    target = archive / "KMD" / "Nexus" / "Kontrakt.txt"
    os.utime(target, (1_000_000_000, 1_000_000_000))
    summary, _rows, _ = run(tmp_path / "i.duckdb", archive)
    assert (summary.extracted, summary.linked, summary.unchanged) == (0, 1, 2)


def test_changed_file_is_extracted_again(tmp_path, archive):
    run(tmp_path / "i.duckdb", archive)
    (archive / "Rengøring.txt").write_text("Medarbejdere bruger medarbejdersignatur.", "utf-8")
    summary, rows, _ = run(tmp_path / "i.duckdb", archive)
    assert summary.extracted == 1
    assert dict((r[0], r[2]) for r in rows)["Rengøring.txt"] is True


def test_moved_file_keeps_its_findings_and_old_path_is_marked_missing(tmp_path, archive):
    _, rows1, contents1 = run(tmp_path / "i.duckdb", archive)
    (archive / "Arkiv").mkdir()
    shutil.move(archive / "KMD" / "Nexus" / "Kontrakt.txt", archive / "Arkiv" / "Kontrakt Nexus.txt")
    summary, rows2, contents2 = run(tmp_path / "i.duckdb", archive)
    assert summary.extracted == 0 and summary.linked == 1 and summary.missing == 1
    assert contents2 == contents1
    by_path = {r[0]: r for r in rows2}
    old = dict((r[0], r) for r in rows1)["KMD/Nexus/Kontrakt.txt"]
    assert by_path["Arkiv/Kontrakt Nexus.txt"][1:4] == old[1:4] == ("ok", True, ["mitid", "nemlog-in"])
    assert by_path["KMD/Nexus/Kontrakt.txt"][1] == "missing"


def test_file_that_comes_back_is_no_longer_missing(tmp_path, archive):
    run(tmp_path / "i.duckdb", archive)
    saved = (archive / "Rengøring.txt").read_bytes()
    (archive / "Rengøring.txt").unlink()
    run(tmp_path / "i.duckdb", archive)
    (archive / "Rengøring.txt").write_bytes(saved)
    _, rows, _ = run(tmp_path / "i.duckdb", archive)
    assert dict((r[0], r[1]) for r in rows)["Rengøring.txt"] == "ok"


def test_duplicate_content_is_extracted_once(tmp_path, archive):
    shutil.copy(archive / "KMD" / "Nexus" / "Kontrakt.txt", archive / "Kopi af kontrakt.txt")
    summary, rows, contents = run(tmp_path / "i.duckdb", archive)
    assert len(rows) == 4 and contents == 3
    with db.reading(tmp_path / "i.duckdb") as con:
        hits = con.execute("SELECT count(*) FROM hits WHERE term = 'mitid'").fetchone()[0]
    assert hits == 1


def test_scanning_a_single_file_does_not_mark_its_neighbours_missing(tmp_path, archive):
    run(tmp_path / "i.duckdb", archive)
    with db.writing(tmp_path / "i.duckdb") as con:
        summary = scan(con, [archive / "Rengøring.txt"])
    assert summary.missing == 0 and summary.unchanged == 1


def test_zip_members_follow_their_archive(tmp_path, archive):
    import zipfile

    with zipfile.ZipFile(archive / "Tillæg.zip", "w") as z:
        z.writestr("Tillæg 1.txt", "Login med MitID Erhverv")
        z.writestr("Tillæg 2.txt", "Priser")
    _, rows, _ = run(tmp_path / "i.duckdb", archive)
    assert {"Tillæg.zip!Tillæg 1.txt", "Tillæg.zip!Tillæg 2.txt"} <= {r[0] for r in rows}
    summary, rows2, _ = run(tmp_path / "i.duckdb", archive)
    assert summary.extracted == 0
    members = [r for r in rows2 if r[0].startswith("Tillæg.zip!")]
    assert len(members) == 2 and all(r[1] == "ok" and r[5] == summary.run_id for r in members)
    shutil.move(archive / "Tillæg.zip", archive / "Tillæg 2024.zip")
    summary, rows3, _ = run(tmp_path / "i.duckdb", archive)
    assert summary.extracted == 0
    paths = {r[0]: r[1] for r in rows3}
    assert paths["Tillæg 2024.zip!Tillæg 1.txt"] == "ok"
    assert paths["Tillæg.zip!Tillæg 1.txt"] == "missing"


def classify_runs(db_path) -> int:
    with db.reading(db_path) as con:
        return con.execute("SELECT count(*) FROM runs WHERE kind = 'classify'").fetchone()[0]


def test_unchanged_rescans_do_not_classify_again_until_something_changes(tmp_path, archive):
    from tuscan.steps import run_discover

    db_path = tmp_path / "i.duckdb"
    run_discover([str(archive)], db_path, runner="inline")
    assert classify_runs(db_path) == 1
    for _ in range(3):                      # every unchanged scan, not only the first after a classify
        run_discover([str(archive)], db_path, runner="inline")
    assert classify_runs(db_path) == 1
    (archive / "Rengøring.txt").write_text("Borgerne logger ind med MitID.", "utf-8")
    run_discover([str(archive)], db_path, runner="inline")
    assert classify_runs(db_path) == 2
    # A classification that did not finish leaves the inventory stale: the next scan classifies.
    with db.writing(db_path) as con:
        con.execute("INSERT INTO runs (kind, status) VALUES ('classify', 'failed')")
    run_discover([str(archive)], db_path, runner="inline")
    assert classify_runs(db_path) == 4
    run_discover([str(archive)], db_path, runner="inline")
    assert classify_runs(db_path) == 4


def test_the_writer_hashes_only_files_that_may_be_copies_of_stored_content(tmp_path, archive, monkeypatch):
    from tuscan.archive import scan as scan_module

    hashed = []
    real = scan_module.sha256_file
    monkeypatch.setattr(scan_module, "sha256_file", lambda path: hashed.append(os.path.basename(path)) or real(path))
    first, _rows, _contents = run(tmp_path / "i.duckdb", archive)
    assert first.extracted == 3 and hashed == []          # a first scan: the readers hash what they read
    shutil.copy(archive / "KMD" / "Nexus" / "Kontrakt.txt", archive / "Kopi af kontrakt.txt")
    (archive / "Ny aftale.txt").write_text("En helt ny aftale om rengøring og vinduespudsning.", "utf-8")
    second, rows, _contents = run(tmp_path / "i.duckdb", archive)
    # The copy has a stored content's size: hashed, linked, not read. The new file has no such size.
    assert hashed == ["Kopi af kontrakt.txt"]
    assert (second.linked, second.extracted, second.unchanged) == (1, 1, 3)
    found = {r[0]: r[1:4] for r in rows}
    assert found["Kopi af kontrakt.txt"] == found["KMD/Nexus/Kontrakt.txt"]
