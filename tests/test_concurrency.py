"""One writer at a time: a second writer is told who holds the database and since when, or waits with
--wait; readers work while nobody writes and say clearly when somebody does."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from tests.conftest import REPO
from tuscan import db
from tuscan.cli import main
from tuscan.errors import DatabaseLocked

HOLD = """
import sys, time
from tuscan import db
with db.writing(sys.argv[1], command="discover"):
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_writer(db_path, seconds: float) -> subprocess.Popen:
    """Another process holding the database for writing, as `tuscan discover` does."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db_path), str(seconds)], cwd=REPO,
                            env=dict(os.environ, PYTHONPATH=str(REPO)), stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


@pytest.fixture
def held(tmp_path):
    path = tmp_path / "i.duckdb"
    db.connect(path).close()
    proc = hold_writer(path, 60)
    yield path, proc
    proc.kill()
    proc.wait()


def test_second_writer_is_told_who_holds_the_database_and_since_when(held):
    path, proc = held
    with pytest.raises(DatabaseLocked) as caught:
        db.connect(path, command="classify")
    message = str(caught.value)
    assert f"in use by tuscan discover (PID {proc.pid} on " in message
    assert ", since 20" in message and "--wait SECONDS" in message
    assert "cannot be written by two processes at once" in message


def test_reader_says_clearly_that_a_writer_holds_the_database(held):
    path, proc = held
    with pytest.raises(DatabaseLocked, match=rf"tuscan discover \(PID {proc.pid} .*cannot be read while it is"
                                             r" being written"):
        db.connect(path, read_only=True)


def test_cli_writer_gets_the_message_and_exit_code_1(held):
    path, proc = held
    result = CliRunner().invoke(main, ["classify", "--db", str(path)])
    assert result.exit_code == 1
    assert f"Error: {path} is in use by tuscan discover (PID {proc.pid}" in result.output
    assert "Traceback" not in result.output


def test_wait_gets_the_database_once_the_writer_is_done(tmp_path):
    path = tmp_path / "i.duckdb"
    db.connect(path).close()
    proc = hold_writer(path, 1.5)
    started = time.monotonic()
    with db.writing(path, wait=20, command="classify") as con:
        waited = time.monotonic() - started
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 0
    proc.wait()
    assert 0.3 < waited < 15


def test_wait_that_runs_out_still_names_the_holder(held):
    path, proc = held
    started = time.monotonic()
    with pytest.raises(DatabaseLocked, match=f"PID {proc.pid}"):
        db.connect(path, wait=1.0)
    assert time.monotonic() - started >= 1.0


def test_readers_share_the_database_when_nobody_writes(tmp_path):
    path = tmp_path / "i.duckdb"
    db.connect(path).close()
    with db.reading(path) as one, db.reading(path) as two:
        assert one.execute("SELECT count(*) FROM document_findings").fetchone() == (0,)
        assert two.execute("SELECT count(*) FROM inventory").fetchone() == (0,)


def test_note_left_by_a_killed_writer_is_not_blamed_on_another_process(tmp_path):
    path = tmp_path / "i.duckdb"
    db.connect(path).close()
    proc = hold_writer(path, 60)
    try:
        # A tuscan killed earlier left its note; the process now holding the file is someone else.
        (tmp_path / "i.duckdb.writer.json").write_text(
            '{"pid": 999999, "host": "x", "command": "discover", "since": "yesterday"}', "utf-8")
        with pytest.raises(DatabaseLocked) as caught:
            db.connect(path)
    finally:
        proc.kill()
        proc.wait()
    assert f"in use by another process (PID {proc.pid})" in str(caught.value)
    assert "yesterday" not in str(caught.value)
