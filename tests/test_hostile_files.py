"""Hostile and broken inputs at the level of the walk and the read: every one becomes a document with
a specific status and reason, and the run goes on. (Hostile *contents* — zip bombs, XXE, encrypted
or huge PDFs — are tested in test_extract_hostile.py; hung and crashing readers in test_workers.py.)
All inputs are generated here."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import unicodedata
import zipfile
from concurrent.futures import Future
from pathlib import Path

import pytest

import tuscan.archive.scan as scan_module
from tuscan import db
from tuscan.archive.reader import extract_batch
from tuscan.archive.scan import scan
from tuscan.archive.walk import CHANGED, NOT_REGULAR, SYMLINKED_FOLDER, VANISHED
from tuscan.privacy import contains_cpr

LOGIN = "Borgerne logger ind med MitID via NemLog-in."


def findings(db_path) -> dict[str, tuple]:
    with db.reading(db_path) as con:
        rows = con.execute("SELECT path, status, error, tu_evidence FROM document_findings").fetchall()
    return {r[0]: r[1:] for r in rows}


def run(db_path, root, **kwargs):
    with db.writing(db_path) as con:
        summary = scan(con, [root], **kwargs)
        status = con.execute("SELECT status FROM runs WHERE run_id = ?", [summary.run_id]).fetchone()[0]
    assert status == "finished"
    return summary


@pytest.fixture
def root(tmp_path):
    path = tmp_path / "archive"
    path.mkdir()
    (path / "Kontrakt.txt").write_text(LOGIN, "utf-8")
    return path


def test_very_long_line(tmp_path, root):
    line = "x" * 3_000_000 + " Login med NemID " + "y" * 3_000_000
    (root / "lang linje.txt").write_text(line, "utf-8")
    run(tmp_path / "i.duckdb", root)
    assert findings(tmp_path / "i.duckdb")["lang linje.txt"] == ("ok", None, True)
    with db.reading(tmp_path / "i.duckdb") as con:
        snippet = con.execute("SELECT max(length(snippet)) FROM hits").fetchone()[0]
    assert snippet < 400


def test_non_utf8_file_name_is_stored_escaped_and_read(tmp_path, root):
    raw = os.fsencode(root) + b"/Aftale \xe6\xf8\xe5 latin-1.txt"   # 'æøå' in Latin-1: not UTF-8
    with open(raw, "wb") as fh:
        fh.write(LOGIN.encode())
    run(tmp_path / "i.duckdb", root)
    assert findings(tmp_path / "i.duckdb")["Aftale \\xe6\\xf8\\xe5 latin-1.txt"] == ("ok", None, True)


def test_nfd_names_are_stored_nfc_and_opened_by_their_real_name(tmp_path, root):
    folder = root / unicodedata.normalize("NFD", "Rengøring Århus")
    folder.mkdir()
    (folder / unicodedata.normalize("NFD", "Tillæg é.txt")).write_text(LOGIN, "utf-8")
    first = run(tmp_path / "i.duckdb", root)
    second = run(tmp_path / "i.duckdb", root)
    rows = findings(tmp_path / "i.duckdb")
    assert rows["Rengøring Århus/Tillæg é.txt"] == ("ok", None, True)
    assert all(unicodedata.is_normalized("NFC", p) for p in rows)
    assert (first.extracted, second.unchanged, second.missing) == (2, 2, 0)


def test_nfc_and_nfd_spellings_of_one_name_stay_two_documents(tmp_path, root):
    (root / unicodedata.normalize("NFC", "Aftale å.txt")).write_text(LOGIN, "utf-8")
    (root / unicodedata.normalize("NFD", "Aftale å.txt")).write_text("Priser", "utf-8")
    run(tmp_path / "i.duckdb", root)
    rows = findings(tmp_path / "i.duckdb")
    assert len(rows) == 3
    assert rows[unicodedata.normalize("NFC", "Aftale å.txt")] == ("ok", None, True)
    assert rows[unicodedata.normalize("NFD", "Aftale å.txt")] == ("ok", None, False)


def test_over_long_names(tmp_path, root):
    longest = "æ" * 125 + ".txt"                      # 254 bytes: the longest name Linux allows
    (root / longest).write_text(LOGIN, "utf-8")
    # A folder chain deeper than PATH_MAX (4096 bytes) cannot be opened by its path at all.
    deep = os.open(root, os.O_RDONLY)
    try:
        for level in range(20):
            name = f"{level:02d}" + "d" * 240
            os.mkdir(name, dir_fd=deep)
            inner = os.open(name, os.O_RDONLY, dir_fd=deep)
            os.close(deep)
            deep = inner
        with open(os.open("dyb.txt", os.O_WRONLY | os.O_CREAT, dir_fd=deep), "w") as fh:
            fh.write(LOGIN)
    finally:
        os.close(deep)
    run(tmp_path / "i.duckdb", root)
    rows = findings(tmp_path / "i.duckdb")
    assert rows[longest] == ("ok", None, True)
    too_long = [(p, r) for p, r in rows.items() if p.startswith("00d")]
    assert too_long and all(r[:2] == ("error", "folder could not be read: File name too long") for _, r in too_long)


def test_symlink_loops_and_broken_links(tmp_path, root):
    (root / "sub").mkdir()
    os.symlink("loop-b", root / "loop-a")
    os.symlink("loop-a", root / "loop-b")
    os.symlink("..", root / "sub" / "op")              # a folder link back up: a loop if followed
    os.symlink("findes-ikke.pdf", root / "brudt.pdf")
    os.symlink("Kontrakt.txt", root / "genvej.txt")    # a link to a file is read
    run(tmp_path / "i.duckdb", root)
    rows = findings(tmp_path / "i.duckdb")
    assert rows["loop-a"] == rows["loop-b"] == ("error", "file could not be read: symlink loop or broken link", False)
    assert rows["brudt.pdf"] == ("error", "file could not be read: symlink loop or broken link", False)
    assert rows["sub/op"] == ("skipped", SYMLINKED_FOLDER, False)
    assert rows["genvej.txt"] == ("ok", None, True)


def test_named_pipe_is_not_opened(tmp_path, root):
    os.mkfifo(root / "rør.pdf")
    run(tmp_path / "i.duckdb", root)
    assert findings(tmp_path / "i.duckdb")["rør.pdf"][:2] == ("skipped", NOT_REGULAR)


@contextlib.contextmanager
def as_user(uid: int):
    os.setegid(uid)
    os.seteuid(uid)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def test_unreadable_file_and_folder():
    # Root reads everything, so as root the scan runs with the effective uid of 'nobody'; the
    # folders are outside pytest's tmp (which only root may enter).
    base = Path(tempfile.mkdtemp(prefix="tuscan-perm-"))
    try:
        os.chmod(base, 0o777)
        root = base / "archive"
        (root / "lukket mappe").mkdir(parents=True)
        (root / "Kontrakt.txt").write_text(LOGIN, "utf-8")
        (root / "lukket.txt").write_text(LOGIN, "utf-8")
        (root / "lukket mappe" / "inde.txt").write_text(LOGIN, "utf-8")
        os.chmod(root / "lukket.txt", 0)
        os.chmod(root / "lukket mappe", 0)
        db_path = base / "i.duckdb"
        if os.geteuid() == 0:
            run(base / "warm-up.duckdb", root)       # import every module while root may still read them
            os.chmod(root, 0o777)
            os.chmod(base / "warm-up.duckdb", 0o666)
            with as_user(65534):
                run(db_path, root)
        else:
            run(db_path, root)
        rows = findings(db_path)
        assert rows["Kontrakt.txt"] == ("ok", None, True)
        assert rows["lukket.txt"] == ("error", "file could not be read: Permission denied", False)
        assert rows["lukket mappe"] == ("error", "folder could not be read: Permission denied", False)
    finally:
        for folder in (base / "archive", base / "archive" / "lukket mappe"):
            with contextlib.suppress(OSError):
                os.chmod(folder, 0o755)
        shutil.rmtree(base, ignore_errors=True)


def submitting(before_read):
    """A `submit` that runs `before_read(items)` — the world changing between walk and read — and then
    extracts in this process."""
    def submit(items):
        before_read(items)
        future: Future = Future()
        future.set_result(extract_batch(items))
        return future
    return submit


def test_file_that_changes_while_it_is_read(tmp_path, root):
    def grow(items):
        for abs_path, _name, _size in items:
            with open(abs_path, "a", encoding="utf-8") as fh:
                fh.write(" Tilføjet under læsningen.")
    run(tmp_path / "i.duckdb", root, submit=submitting(grow))
    assert findings(tmp_path / "i.duckdb")["Kontrakt.txt"] == ("error", CHANGED, False)
    again = run(tmp_path / "i.duckdb", root)
    assert again.extracted == 1
    assert findings(tmp_path / "i.duckdb")["Kontrakt.txt"] == ("ok", None, True)


def test_file_that_vanishes_before_it_is_read(tmp_path, root):
    (root / "Bilag.txt").write_text("Priser", "utf-8")
    run(tmp_path / "i.duckdb", root)
    (root / "Kontrakt.txt").write_text(LOGIN + " Ændret.", "utf-8")

    def delete(items):
        for abs_path, _name, _size in items:
            os.unlink(abs_path)
    summary = run(tmp_path / "i.duckdb", root, submit=submitting(delete))
    rows = findings(tmp_path / "i.duckdb")
    # Seen in this run, so not 'missing' yet; it is missing once a complete run no longer finds it.
    assert rows["Kontrakt.txt"] == ("error", VANISHED, False)
    assert rows["Bilag.txt"][0] == "ok" and summary.missing == 0
    run(tmp_path / "i.duckdb", root)
    assert findings(tmp_path / "i.duckdb")["Kontrakt.txt"][0] == "missing"


def test_file_that_vanishes_before_it_is_hashed(tmp_path, root, monkeypatch):
    run(tmp_path / "i.duckdb", root)
    real = scan_module.sha256_file

    def vanish(abs_path):
        os.unlink(abs_path)
        return real(abs_path)
    monkeypatch.setattr(scan_module, "sha256_file", vanish)
    # Touched: same size as the stored content, so the writer hashes it to see whether it changed.
    os.utime(root / "Kontrakt.txt", ns=(1_000_000_000, 1_000_000_000))
    run(tmp_path / "i.duckdb", root)
    assert findings(tmp_path / "i.duckdb")["Kontrakt.txt"] == ("error", VANISHED, False)


def test_zip_holding_a_file_an_earlier_run_stored(tmp_path, root):
    run(tmp_path / "i.duckdb", root)
    with zipfile.ZipFile(root / "Samlet.zip", "w") as z:
        z.write(root / "Kontrakt.txt", "Kontrakt.txt")
    run(tmp_path / "i.duckdb", root)
    rows = findings(tmp_path / "i.duckdb")
    assert rows["Samlet.zip!Kontrakt.txt"] == rows["Kontrakt.txt"] == ("ok", None, True)


def test_cpr_numbers_in_file_names_are_masked_and_names_stay_apart(tmp_path, root):
    (root / "Sag 010203-1234").mkdir()
    (root / "Sag 010203-1234" / "Aftale 010203-1234.txt").write_text(LOGIN, "utf-8")
    (root / "Sag 010203-1234" / "Aftale 020304-5678.txt").write_text("Priser", "utf-8")
    with zipfile.ZipFile(root / "Bilag.zip", "w") as z:
        z.writestr("Borger 0102031234.txt", LOGIN)
    run(tmp_path / "i.duckdb", root)
    second = run(tmp_path / "i.duckdb", root)
    rows = findings(tmp_path / "i.duckdb")
    assert not any(contains_cpr(p) for p in rows)
    aftaler = sorted(p for p in rows if p.startswith("Sag XXXXXX-XXXX~"))
    assert len(aftaler) == 2 and all(p.endswith(".txt") for p in aftaler)
    assert sorted(rows[p][0] for p in aftaler) == ["ok", "ok"]
    assert [rows[p][2] for p in rows if p.startswith("Bilag.zip!Borger XXXXXXXXXX~")] == [True]
    assert second.extracted == 0 and second.missing == 0


@pytest.mark.parametrize("runner", ["local", "inline"])
def test_a_file_over_the_size_limit_is_recorded_as_too_large_not_as_changed(tmp_path, runner):
    """Only the first max_file_bytes + 1 bytes of a file are read; that short read is the limit at
    work, not a file that changed while it was read (which would be retried on every run)."""
    from extractors import Limits
    from tuscan.steps import run_discover

    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "Stor.txt").write_text(LOGIN * 100, "utf-8")
    (archive / "Lille.txt").write_text(LOGIN, "utf-8")
    run_discover([str(archive)], str(tmp_path / "i.duckdb"), runner=runner, workers=1,
                 limits=Limits(max_file_bytes=1000))
    found = findings(tmp_path / "i.duckdb")
    assert found["Lille.txt"][2] is True
    assert "larger than the 1000 byte limit" in found["Stor.txt"][1]
