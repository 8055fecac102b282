"""The worker pool's supervision, tested directly: readers that block in a system call, die, flood
memory, return what cannot be passed back, or keep sending heartbeats without ever finishing. Each
must end as a recorded failure for its own file only, while the other files of the batch get their
results and the pool keeps serving.

The misbehaving readers are module-level functions so the pool's worker processes can import them.
Every wait on a result has a bound (`RESULT_BOUND`): a pool that never answers fails the test
instead of hanging it; the bound is far above the pool's own deadline, so it measures no speed.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import signal
import subprocess
import threading
import time

import pytest

from extractors import Limits
from tuscan import db
from tuscan.archive.outcome import ContentResult, ReadFailure
from tuscan.archive.pool import WorkerPool
from tuscan.archive.reader import extract_file
from tuscan.archive.scan import scan

DEADLINE = 2.0          # the pool's per-document time limit in these tests
RESULT_BOUND = 30.0     # hang detector for waiting on a batch (15 × the deadline)


def _refuse_to_unpickle():
    raise ValueError("this result cannot be rebuilt")


class ExplodesWhenUnpickled:
    """Pickles fine in the worker; rebuilding it in the parent raises."""

    def __reduce__(self):
        return _refuse_to_unpickle, ()


class ExitsWhenPickled:
    """Pickling it raises SystemExit, which `except Exception` does not catch."""

    def __reduce__(self):
        raise SystemExit(3)


def _flood_memory() -> None:
    # Cap this worker's address space a little above what it uses now, so the flood ends in a
    # MemoryError within a second instead of taking the machine's RAM (or waking the OOM killer).
    with open("/proc/self/statm") as fh:
        used = int(fh.read().split()[0]) * resource.getpagesize()
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (used + (256 << 20), hard))
    hog = []
    while True:
        hog.append(bytes(32 << 20))          # calloc: address space, pages untouched


def hostile_reader(abs_path: str, name: str, limits: Limits):
    """Misbehaves according to the file's name; reads every other file normally."""
    base = os.path.basename(name).rsplit(".", 1)[0]
    if base == "read-blocked":
        read_end, _write_end = os.pipe()    # the write end stays open here: no EOF, ever
        os.read(read_end, 1)
    elif base == "sigstop":
        os.kill(os.getpid(), signal.SIGSTOP)
    elif base == "ignores-sigterm":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        time.sleep(3600)
    elif base == "exit":
        os._exit(7)
    elif base == "sigkill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif base == "abort":
        os.abort()
    elif base == "sysexit":
        raise SystemExit(0)
    elif base == "keyboard-interrupt":
        raise KeyboardInterrupt
    elif base == "memory":
        _flood_memory()
    elif base == "unpicklable":
        return threading.Lock()
    elif base == "unpickle-fails":
        return ExplodesWhenUnpickled()
    elif base == "pickle-exits":
        return ExitsWhenPickled()
    elif base == "closes-pipe":
        os.closerange(3, 4096)              # includes the worker's connection to the pool
        return extract_file(abs_path, name, limits) if os.path.exists(abs_path) else "gone"
    elif base == "heartbeats":
        from extractors import ocr

        while True:                         # "a page done" forever: alive, but never finishing
            ocr.page_done()
            time.sleep(0.05)
    elif base == "child-hangs":
        child = subprocess.Popen(["sleep", "3600"])
        with open(abs_path + ".pid", "w") as fh:
            fh.write(str(child.pid))
        child.wait()
    return extract_file(abs_path, name, limits)


@pytest.fixture
def files(tmp_path):
    def make(*names: str) -> list[tuple[str, str, int]]:
        items = []
        for name in names:
            path = tmp_path / name
            if name.startswith("fifo"):
                os.mkfifo(path)              # nobody writes: a real reader's open() blocks
            else:
                path.write_text(f"{name}: borgere logger ind med MitID", "utf-8")
            items.append((str(path), name, path.stat().st_size))
        return items
    return make


TIMED_OUT = r"longer than 2 s"
CASES = [
    # (file name, what the recorded failure must say)
    ("fifo.pdf", TIMED_OUT),                       # the real reader, blocked in open()
    ("read-blocked.txt", TIMED_OUT),               # blocked in read() on a pipe
    ("sigstop.txt", TIMED_OUT),                    # stopped: alive, never scheduled
    ("ignores-sigterm.txt", TIMED_OUT),
    ("heartbeats.txt", TIMED_OUT),                 # heartbeats prove liveness, not progress
    ("exit.txt", r"exit code 7"),
    ("sigkill.txt", r"signal 9"),
    ("abort.txt", r"signal 6"),
    ("sysexit.txt", r"stopped unexpectedly|exit code 0"),
    ("keyboard-interrupt.txt", r"stopped unexpectedly|crashed|KeyboardInterrupt"),
    ("memory.txt", r"(?i)memory"),
    ("unpicklable.txt", r"(?i)could not be passed on|pickl"),
    ("unpickle-fails.txt", r"(?i)could not be passed on|pickl|result"),
    ("pickle-exits.txt", r"(?i)stopped unexpectedly|exit code 3|could not be passed on"),
    ("closes-pipe.txt", r"(?i)stopped unexpectedly|crashed|could not be passed on"),
]


@pytest.mark.parametrize(("name", "reason"), CASES, ids=[c[0].rsplit(".", 1)[0] for c in CASES])
def test_a_misbehaving_reader_costs_only_its_own_file(files, name, reason):
    items = files("a.txt", name, "c.txt", "d.txt")
    with WorkerPool(1, task=hostile_reader, timeout=DEADLINE) as pool:
        results = pool.submit(items).result(timeout=RESULT_BOUND)
        # The pool keeps serving after it.
        later = pool.submit(files("e.txt")).result(timeout=RESULT_BOUND)
    failure = results[1]
    assert isinstance(failure, ReadFailure), f"{name}: expected a recorded failure, got {failure!r}"
    assert re.search(reason, str(failure)), failure
    assert [r.status for i, r in enumerate(results) if i != 1] == ["ok"] * 3
    assert isinstance(later[0], ContentResult) and later[0].status == "ok"


def test_many_misbehaving_readers_in_one_batch_on_two_workers(files):
    names = ["a.txt", "fifo.pdf", "exit.txt", "b.txt", "unpicklable.txt", "heartbeats.txt", "memory.txt",
             "sigkill.txt", "c.txt", "read-blocked.txt", "d.txt"]
    bad = {n for n in names if n not in ("a.txt", "b.txt", "c.txt", "d.txt")}
    items = files(*names)
    with WorkerPool(2, task=hostile_reader, timeout=DEADLINE) as pool:
        first = pool.submit(items[:6])
        second = pool.submit(items[6:])
        results = first.result(timeout=RESULT_BOUND) + second.result(timeout=RESULT_BOUND)
    for name, result in zip(names, results, strict=True):
        if name in bad:
            assert isinstance(result, ReadFailure), f"{name}: {result!r}"
        else:
            assert isinstance(result, ContentResult) and result.status == "ok", f"{name}: {result!r}"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_timed_out_readers_child_process_does_not_outlive_it(files):
    # Readers run helper programs (tesseract, one per OCR'd page); killing a hung worker must not
    # leave its children running on a busy machine.
    items = files("child-hangs.txt", "b.txt")
    with WorkerPool(1, task=hostile_reader, timeout=DEADLINE) as pool:
        results = pool.submit(items).result(timeout=RESULT_BOUND)
    pid = int(open(items[0][0] + ".pid").read())
    try:
        for _ in range(100):                 # up to 10 s for the child to be reaped or killed
            if not _alive(pid):
                break
            time.sleep(0.1)
        assert not _alive(pid), f"the reader's child (pid {pid}) still runs after its reader timed out"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)     # the `sleep` this test started, by its id
    assert re.search(TIMED_OUT, str(results[0]))
    assert results[1].status == "ok"


def test_the_scan_goes_on_past_misbehaving_readers(tmp_path):
    root = tmp_path / "archive"
    root.mkdir()
    names = ["Aftale.txt", "heartbeats.txt", "unpickle-fails.txt", "memory.txt", "Kontrakt.txt"]
    for name in names:
        (root / name).write_text("Login med NemID", "utf-8")
    with db.writing(tmp_path / "i.duckdb") as con:
        done: dict = {}
        pool = WorkerPool(2, task=hostile_reader, timeout=DEADLINE)

        def run():
            done["summary"] = scan(con, [root], submit=pool.submit)

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        try:
            worker.join(RESULT_BOUND)
            finished = not worker.is_alive()
        finally:
            pool.close()                     # fails what is still waiting, so the scan thread ends
            worker.join(30)
        assert finished, "the scan did not finish"
        summary = done["summary"]
        rows = dict(con.execute("SELECT path, status FROM document_findings").fetchall())
        status = con.execute("SELECT status FROM runs WHERE run_id = ?", [summary.run_id]).fetchone()[0]
    assert status == "finished"
    assert rows == {"Aftale.txt": "ok", "Kontrakt.txt": "ok", "heartbeats.txt": "error",
                    "unpickle-fails.txt": "error", "memory.txt": "error"}



def test_workers_start_with_the_first_file_and_not_before(files):
    # An empty folder or an unchanged rescan reads nothing: it must not pay for starting workers.
    with WorkerPool(2, timeout=DEADLINE) as pool:
        assert pool.submit([]).result(timeout=RESULT_BOUND) == []
        assert pool._workers == [] and pool._thread is None
        results = pool.submit(files("a.txt", "b.txt")).result(timeout=RESULT_BOUND)
        assert len(pool._workers) == 2 and all(w.process.is_alive() for w in pool._workers)
    assert [r.status for r in results] == ["ok", "ok"]
    assert not any(w.process.is_alive() for w in pool._workers)
