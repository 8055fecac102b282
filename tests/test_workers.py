"""The worker pool: a deadline per file, and a hung or crashed reader costs only its own file."""

from __future__ import annotations

import os
import signal
import time

import pytest

from extractors import Limits
from tuscan import db
from tuscan.archive.outcome import ContentResult
from tuscan.archive.pool import WorkerPool, WorkerPoolBroken, crash_message, timeout_message
from tuscan.archive.reader import extract_file
from tuscan.archive.scan import scan


def misbehaving_reader(abs_path: str, name: str, limits: Limits):
    """A reader that hangs, segfaults or exits on files named so, and reads every other file."""
    base = os.path.basename(name)
    if base.startswith("hang"):
        time.sleep(3600)
    if base.startswith("segfault"):
        os.kill(os.getpid(), signal.SIGSEGV)
    if base.startswith("exit"):
        os._exit(3)
    if base.startswith("slow-ocr"):
        # A long scanned contract: each page takes a while, but pages keep getting done.
        from extractors import ocr

        for _page in range(6):
            time.sleep(0.4)
            ocr.page_done()
    return extract_file(abs_path, name, limits)


@pytest.fixture
def files(tmp_path):
    def make(*names: str) -> list[tuple[str, str, int]]:
        items = []
        for name in names:
            path = tmp_path / name
            path.write_text(f"{name}: borgere logger ind med MitID", "utf-8")
            items.append((str(path), name, path.stat().st_size))
        return items
    return make


def test_batch_results_come_back_in_order(files):
    items = files("a.txt", "b.txt", "c.txt")
    with WorkerPool(2) as pool:
        results = pool.submit(items).result(timeout=30)
    assert [type(r) for r in results] == [ContentResult] * 3
    assert [r.status for r in results] == ["ok"] * 3
    assert all(any(h.term == "mitid" for h in r.hits) for r in results)


def slow_reader_pid(abs_path: str, name: str, limits: Limits) -> int:
    """Which worker process read the file, after a while."""
    time.sleep(0.3)
    return os.getpid()


def test_the_last_batch_is_shared_between_the_workers(files):
    # A batch alone in the queue (the end of a scan) is split, so the workers finish together
    # instead of one reading all of it while the other waits.
    items = files(*(f"{n}.txt" for n in range(8)))
    with WorkerPool(2, task=slow_reader_pid) as pool:
        pids = pool.submit(items).result(timeout=60)
    assert len(pids) == 8 and all(isinstance(pid, int) for pid in pids)
    assert len(set(pids)) == 2


def test_a_hanging_reader_costs_only_its_file(files):
    items = files("a.txt", "hang.txt", "c.txt", "d.txt")
    with WorkerPool(1, task=misbehaving_reader, timeout=1.0) as pool:
        started = time.monotonic()
        results = pool.submit(items).result(timeout=30)
        elapsed = time.monotonic() - started
        assert pool.replaced == 1
        # The replacement worker keeps serving later batches.
        assert pool.submit(files("e.txt")).result(timeout=30)[0].status == "ok"
    assert results[1] == timeout_message(1.0)
    assert "parsing took longer than 1 s; skipped" in str(results[1])
    assert [r.status for i, r in enumerate(results) if i != 1] == ["ok"] * 3
    assert elapsed < 10


@pytest.mark.parametrize(("name", "reason"), [
    ("segfault.txt", "the reader crashed (signal 11, SIGSEGV); skipped"),
    ("exit.txt", "the reader stopped unexpectedly (exit code 3); skipped"),
])
def test_a_crashing_reader_costs_only_its_file(files, name, reason):
    items = files("a.txt", name, "c.txt")
    with WorkerPool(2, task=misbehaving_reader) as pool:
        first = pool.submit(items[:2])
        second = pool.submit(items[2:])
        results = first.result(timeout=30) + second.result(timeout=30)
    assert str(results[1]) == reason
    assert results[0].status == results[2].status == "ok"


def test_oom_kill_is_named():
    assert str(crash_message(-signal.SIGKILL)) == (
        "the reader crashed (signal 9, SIGKILL); killed, perhaps for using too much memory; skipped")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_real_reader_blocked_on_a_file_is_timed_out(tmp_path, files):
    # A named pipe nobody writes to blocks open() forever: a real, unmodified reader that hangs.
    fifo = tmp_path / "blocked.pdf"
    os.mkfifo(fifo)
    items = [(str(fifo), "blocked.pdf", 0)] + files("ok.txt")
    with WorkerPool(1, timeout=1.0) as pool:
        results = pool.submit(items).result(timeout=30)
    assert results[0] == timeout_message(1.0)
    assert results[1].status == "ok"


def test_scan_records_the_hung_file_and_finishes(tmp_path):
    root = tmp_path / "archive"
    root.mkdir()
    for name in ("Aftale.txt", "hang Bilag.txt", "segfault Tillæg.txt", "Kontrakt.txt"):
        (root / name).write_text("Login med NemID", "utf-8")
    with db.writing(tmp_path / "i.duckdb") as con, WorkerPool(2, task=misbehaving_reader, timeout=1.0) as pool:
        summary = scan(con, [root], submit=pool.submit)
        rows = dict(con.execute("SELECT path, status || ': ' || coalesce(error, '') FROM document_findings")
                    .fetchall())
        status = con.execute("SELECT status FROM runs WHERE run_id = ?", [summary.run_id]).fetchone()[0]
    assert status == "finished"
    assert rows["Aftale.txt"] == rows["Kontrakt.txt"] == "ok: "
    assert rows["hang Bilag.txt"] == "error: " + str(timeout_message(1.0))
    assert rows["segfault Tillæg.txt"] == "error: the reader crashed (signal 11, SIGSEGV); skipped"
    assert summary.read_errors == 2


def test_workers_that_cannot_start_stop_the_pool_with_a_clear_error(tmp_path, files, monkeypatch):
    # A reader whose module the workers cannot import: every worker dies before its first file.
    # That is not a hostile file; retrying forever would hang the run, so the pool gives up.
    module = tmp_path / "vanishing_reader.py"
    module.write_text("def read(abs_path, name, limits):\n    return 'never'\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import vanishing_reader

    module.unlink()
    with WorkerPool(1, task=vanishing_reader.read, context="spawn") as pool:
        future = pool.submit(files("a.txt"))
        with pytest.raises(WorkerPoolBroken, match="stopped 3 times before reading a file"):
            future.result(timeout=60)
        with pytest.raises(WorkerPoolBroken):
            pool.submit(files("b.txt"))


def test_ocr_heartbeats_do_not_buy_time(files):
    # 6 pages × 0.4 s = 2.4 s in all: a page is done (and a heartbeat sent) every 0.4 s, but the
    # document's whole reading time is over the 1 s deadline. It ends at the deadline; the next
    # file is still read.
    items = files("slow-ocr.txt", "b.txt")
    with WorkerPool(1, task=misbehaving_reader, timeout=1.0) as pool:
        results = pool.submit(items).result(timeout=30)
        assert pool.replaced == 1
    assert results[0] == timeout_message(1.0)
    assert results[1].status == "ok"
