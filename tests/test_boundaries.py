"""What a scan will not do: leave the scanned folders through a link, overflow on a deep tree, write
through a planted link, open something that is not a database, or print raw control characters."""

from __future__ import annotations

import os

import duckdb
import pytest
from click.testing import CliRunner

from tuscan import db
from tuscan.archive.scan import scan
from tuscan.archive.walk import LINK_OUTSIDE, walk
from tuscan.cli import main
from tuscan.display import terminal_safe
from tuscan.errors import NotADatabase


def findings(path) -> dict[str, tuple]:
    with db.reading(path) as con:
        return {p: (s, e) for p, s, e in con.execute("SELECT path, status, error FROM document_findings").fetchall()}


def test_links_out_of_the_scanned_folder_are_skipped_not_read(tmp_path):
    outside = tmp_path / "udenfor"
    outside.mkdir()
    (outside / "hemmelig.txt").write_text("HEMMELIG-MARKØR borgerne logger ind med MitID", "utf-8")
    root = tmp_path / "arkiv"
    (root / "sub").mkdir(parents=True)
    (root / "Aftale.txt").write_text("Aftale om drift", "utf-8")
    os.symlink(outside / "hemmelig.txt", root / "link ud.txt")
    os.symlink("/etc/passwd", root / "sub" / "passwd.txt")
    os.symlink(root / "Aftale.txt", root / "sub" / "link ind.txt")      # stays inside: read
    path = tmp_path / "i.duckdb"
    with db.writing(path) as con:
        summary = scan(con, [root])
        stored = " ".join(t for (t,) in con.execute("SELECT text FROM pages").fetchall())
    rows = findings(path)
    assert rows["link ud.txt"] == ("skipped", LINK_OUTSIDE)
    assert rows["sub/passwd.txt"] == ("skipped", LINK_OUTSIDE)
    assert rows["sub/link ind.txt"][0] == "ok"
    assert "HEMMELIG" not in stored and "root:" not in stored
    assert summary.skipped == 2


def test_following_links_out_is_the_users_choice(tmp_path):
    outside = tmp_path / "udenfor"
    outside.mkdir()
    (outside / "delt.txt").write_text("Delt aftale", "utf-8")
    root = tmp_path / "arkiv"
    root.mkdir()
    os.symlink(outside / "delt.txt", root / "delt.txt")
    with db.writing(tmp_path / "i.duckdb") as con:
        scan(con, [root], follow_links=True)
    assert findings(tmp_path / "i.duckdb")["delt.txt"][0] == "ok"


def test_a_deep_tree_is_walked_without_recursion(tmp_path):
    folder = tmp_path / "arkiv"
    deepest = folder
    folder.mkdir()
    for i in range(1500):            # one at a time: os.makedirs itself recurses
        deepest = deepest / f"{i % 10}"
        deepest.mkdir()
    (deepest / "Aftale.txt").write_text("dybt", "utf-8")
    try:
        refs = list(walk(str(folder)))
        assert [r.path.count("/") for r in refs] == [1500] and refs[0].read_error is None
    finally:
        _remove_deep(folder)


def _remove_deep(folder):
    """Delete a deep tree without recursion (pytest's clean-up of its tmp folders, shutil.rmtree and
    os.walk all recurse and would fail on it): go down to the deepest folder, then up."""
    path = str(folder)
    while True:
        entries = list(os.scandir(path))
        subfolders = [e.path for e in entries if e.is_dir(follow_symlinks=False)]
        if subfolders:
            path = subfolders[0]
            continue
        for entry in entries:
            os.unlink(entry.path)
        if path == str(folder):
            os.rmdir(path)
            return
        os.rmdir(path)
        path = os.path.dirname(path)


def test_a_lock_note_that_is_a_link_is_not_written_through(tmp_path):
    victim = tmp_path / "vigtig.txt"
    victim.write_text("må ikke ændres", "utf-8")
    path = tmp_path / "inventory.duckdb"
    note = tmp_path / "inventory.duckdb.writer.json"
    os.symlink(victim, note)
    with db.writing(path):
        assert not note.is_symlink() and '"pid"' in note.read_text("utf-8")
    assert victim.read_text("utf-8") == "må ikke ændres"


@pytest.mark.parametrize("content", [b"%PDF-1.7\n" + b"x" * 5000, b"", b"SQLite format 3\x00" + b"\x00" * 100])
def test_a_file_that_is_not_a_database_is_refused_and_left_unchanged(tmp_path, content):
    path = tmp_path / "kontrakt.pdf"
    path.write_bytes(content)
    with pytest.raises(NotADatabase):
        db.connect(path)
    result = CliRunner().invoke(main, ["query", "own_needing_risk_assessment", "--db", str(path)])
    assert result.exit_code == 1 and result.output.startswith("Error: ") and "Traceback" not in result.output
    assert "\n" not in result.output.strip()
    assert path.read_bytes() == content


def test_a_database_in_a_read_only_folder_gets_a_one_line_error(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    with pytest.raises((NotADatabase, duckdb.Error)):
        db.connect(folder / "inventory.duckdb")


def test_control_characters_in_names_are_shown_escaped():
    assert terminal_safe("Aftale\x1b[2J\x07\tny\nlinje\u202efdp.exe") == "Aftale\\x1b[2J\\x07\\tny\\nlinje\\u202efdp.exe"
    assert terminal_safe("Kontrakt æøå – 2021.pdf") == "Kontrakt æøå – 2021.pdf"


def test_the_summary_escapes_control_characters(tmp_path):
    root = tmp_path / "arkiv"
    root.mkdir()
    (root / "tom\x1b[31m.pdf").write_bytes(b"")
    result = CliRunner().invoke(main, ["discover", str(root), "--db", str(tmp_path / "i.duckdb"), "--no-prefect",
                                       "--runner", "inline"])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "tom\\x1b[31m.pdf" in result.output
