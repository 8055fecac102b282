"""A file that went over the time limit or crashed the reader is not tried again on every run: an
unchanged one keeps its error and is skipped, a changed one is read again, `--retry-failed` and a
larger time limit try again. Transient read errors are still retried every run."""

from __future__ import annotations

import pickle
from concurrent.futures import Future

import pytest
from click.testing import CliRunner

from tests.test_workers import misbehaving_reader
from tuscan import db
from tuscan.archive.failures import should_retry
from tuscan.archive.outcome import CRASH, TIMEOUT, TRANSIENT, ReadFailure
from tuscan.archive.pool import WorkerPool, crash_message, timeout_message
from tuscan.archive.reader import extract_file
from tuscan.archive.scan import scan
from tuscan.archive.walk import VANISHED
from tuscan.cli import main
from tuscan.summary import discover_summary

SEGFAULT = "the reader crashed (signal 11, SIGSEGV); skipped"


@pytest.fixture
def archive(tmp_path):
    root = tmp_path / "arkiv"
    root.mkdir()
    # Different bytes each: failures are remembered by content.
    for name in ("Aftale.txt", "hang Bilag.txt", "segfault Tillæg.txt", "Kontrakt.txt"):
        (root / name).write_text(f"{name}: borgerne logger ind med NemID", "utf-8")
    return root


def run(db_path, root, *, timeout=1.0, task=misbehaving_reader, **kwargs):
    """Scan with a pool whose reader hangs on 'hang*' and segfaults on 'segfault*' files."""
    with db.writing(db_path) as con, WorkerPool(2, task=task, timeout=timeout) as pool:
        summary = scan(con, [root], submit=pool.submit, timeout=timeout, **kwargs)
        summary.replaced = pool.replaced    # readers killed: files that were really tried and failed
        rows = dict(con.execute("SELECT path, status || ': ' || coalesce(error, '') FROM document_findings")
                    .fetchall())
        failures = dict(con.execute("SELECT read_failure, read_timeout FROM contents WHERE read_failure IS NOT NULL")
                        .fetchall())
        summary.text = discover_summary(con)
    return summary, rows, failures


def test_failed_files_are_not_tried_again_while_unchanged(tmp_path, archive):
    db_path = tmp_path / "i.duckdb"
    first, rows1, failures = run(db_path, archive)
    assert first.replaced == 2 and first.read_errors == 2
    assert rows1["hang Bilag.txt"] == "error: " + str(timeout_message(1.0))
    assert rows1["segfault Tillæg.txt"] == "error: " + SEGFAULT
    assert failures == {TIMEOUT: 1.0, CRASH: None}

    second, rows2, _ = run(db_path, archive)
    assert second.replaced == 0                            # no reader hung or crashed: nothing tried
    assert (second.extracted, second.unchanged, second.skipped_failed, second.read_errors) == (0, 4, 2, 0)
    assert rows2 == rows1                                  # they keep their recorded error
    assert "Skipped 2 unchanged file(s) that went over the time limit or crashed the reader" in second.text
    assert "--retry-failed" in second.text


def test_a_copy_under_another_name_is_not_tried_but_a_changed_file_is(tmp_path, archive):
    db_path = tmp_path / "i.duckdb"
    run(db_path, archive)
    (archive / "hang Bilag kopi.txt").write_bytes((archive / "hang Bilag.txt").read_bytes())   # same sha256
    (archive / "segfault Tillæg.txt").write_text("Tillæg 2, nu med MitID", "utf-8")            # changed
    summary, rows, _ = run(db_path, archive)
    assert summary.replaced == 1                           # only the changed file was tried (and crashed)
    assert summary.linked == 1 and summary.skipped_failed == 2
    assert rows["hang Bilag kopi.txt"] == "error: " + str(timeout_message(1.0))


def test_retry_failed_tries_them_again(tmp_path, archive):
    db_path = tmp_path / "i.duckdb"
    run(db_path, archive)
    again, rows, failures = run(db_path, archive, retry_failed=True)
    assert again.replaced == 2 and again.read_errors == 2 and again.skipped_failed == 0
    assert rows["segfault Tillæg.txt"] == "error: " + SEGFAULT
    assert failures == {TIMEOUT: 1.0, CRASH: None}

    # A reader that copes now (say, a fixed tuscan): the files are read, the failure records replaced.
    fixed, rows, failures = run(db_path, archive, retry_failed=True, task=None)
    assert fixed.replaced == 0 and fixed.extracted == 2 and fixed.read_errors == 0
    assert rows["hang Bilag.txt"] == rows["segfault Tillæg.txt"] == "ok: "
    assert failures == {}
    with db.reading(db_path) as con:
        assert con.execute("SELECT tu_evidence FROM document_findings WHERE path = 'hang Bilag.txt'").fetchone()[0]
    assert run(db_path, archive)[0].extracted == 0         # and are ordinary stored content from then on


def test_a_larger_time_limit_retries_timed_out_files_only(tmp_path, archive):
    db_path = tmp_path / "i.duckdb"
    run(db_path, archive, timeout=1.0)
    larger, rows, failures = run(db_path, archive, timeout=1.5)
    assert larger.replaced == 1 and larger.skipped_failed == 1     # the hang again; not the crash
    assert rows["hang Bilag.txt"] == "error: " + str(timeout_message(1.5))
    assert failures == {TIMEOUT: 1.5, CRASH: None}
    same, _, _ = run(db_path, archive, timeout=1.5)
    assert same.replaced == 0 and same.skipped_failed == 2


def test_transient_read_errors_are_retried_every_run(tmp_path, archive):
    tried: list[str] = []

    def submit(items):   # 'Aftale.txt' is locked away on every run
        tried.extend(name for _, name, _ in items)
        future: Future = Future()
        future.set_result([ReadFailure(VANISHED) if name == "Aftale.txt" else extract_file(path, name)
                           for path, name, _ in items])
        return future

    db_path = tmp_path / "i.duckdb"
    for _ in range(2):
        tried.clear()
        with db.writing(db_path) as con:
            summary = scan(con, [archive], submit=submit)
        assert "Aftale.txt" in tried and summary.read_errors == 1 and summary.skipped_failed == 0


def test_failures_say_what_kind_they_are():
    assert (timeout_message(120).kind, timeout_message(120).seconds) == (TIMEOUT, 120.0)
    assert (timeout_message(0.5).kind, timeout_message(0.5).seconds) == (TIMEOUT, 0.5)
    assert crash_message(-9).kind == crash_message(3).kind == CRASH
    assert timeout_message(1).remembered and crash_message(3).remembered
    assert ReadFailure(VANISHED).kind == TRANSIENT and not ReadFailure(VANISHED).remembered
    # A failure keeps its kind when pickled (results cross processes).
    again = pickle.loads(pickle.dumps(timeout_message(7.5)))
    assert (again.kind, again.seconds, str(again)) == (TIMEOUT, 7.5, str(timeout_message(7.5)))
    assert pickle.loads(pickle.dumps(crash_message(-9))) == crash_message(-9)
    assert should_retry(TIMEOUT, 120.0, timeout=600.0, retry_failed=False)
    assert not should_retry(TIMEOUT, 120.0, timeout=120.0, retry_failed=False)
    assert not should_retry(TIMEOUT, 120.0, timeout=None, retry_failed=False)   # no limit enforced: could hang
    assert not should_retry(CRASH, None, timeout=600.0, retry_failed=False)
    assert should_retry(CRASH, None, timeout=None, retry_failed=True)


def test_cli_has_retry_failed(tmp_path, archive):
    result = CliRunner().invoke(main, ["discover", str(archive), "--db", str(tmp_path / "i.duckdb"),
                                       "--no-prefect", "--runner", "inline", "--retry-failed"])
    assert result.exit_code == 0, result.output
    with db.reading(tmp_path / "i.duckdb") as con:
        args = con.execute("SELECT args FROM runs WHERE kind = 'discover'").fetchone()[0]
    assert '"retry_failed": true' in args
