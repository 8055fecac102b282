"""A pool of extraction workers that survives hostile files: a deadline per file, and a worker that
hangs or crashes is killed, replaced, and costs only the file it was reading.

`concurrent.futures.ProcessPoolExecutor` cannot do this: a parser stuck in a loop blocks its future
forever, and one worker killed by a segfault or the OOM killer breaks the whole pool
(BrokenProcessPool), taking the run down. Mature scanners (OSdatascanner, ClamAV's clamd) parse each
file in a worker process with a time limit for the same reason.

    with WorkerPool(workers=4) as pool:
        summary = scan(con, paths, submit=pool.submit)

`submit(items)` takes a batch of (abs_path, name, size) and returns a Future of one result per
item — `ContentResult`, or a `ReadFailure` saying why the file was not read — the shape
`tuscan.archive.scan` expects. A worker takes a whole batch (fewer round trips) but reports
after every file, so the parent always knows which file a worker is on and since when: when that
file's deadline passes, or the worker dies, only that file gets a failure; the rest of the batch is
handed to a fresh worker.

The deadline is a hard limit on a document's whole reading time. Workers send a heartbeat after each
OCR'd page, which shows they are alive, but it buys no time: a scan of a thousand tiny frames must end
at the limit like any other hung reader, or one document would hold a worker for hours.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import multiprocessing.forkserver
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait

from extractors import Limits, ocr
from extractors.ocr import OCR_PROCESSES_ENV
from tuscan.archive import allocator
from tuscan.archive.outcome import ReadFailure, crash_failure, timeout_failure
from tuscan.archive.reader import Item, extract_file
from tuscan.errors import TuscanError

TaskFn = Callable[[str, str, Limits], object]

HEARTBEAT = -1   # message index meaning "still working on the current file"
#: A worker that dies this many times in a row before finishing a single file is not a bad file:
#: the workers cannot run at all (e.g. an import error). The pool stops instead of looping.
MAX_STARTUP_FAILURES = 3


class WorkerPoolBroken(TuscanError):
    """The extraction workers cannot start or keep dying before reading any file."""


def timeout_message(seconds: float) -> ReadFailure:
    return timeout_failure(seconds)


def crash_message(exitcode: int | None) -> ReadFailure:
    return crash_failure(_death(exitcode))


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        number = -exitcode
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = "unknown"
        hint = "; killed, perhaps for using too much memory" if number == signal.SIGKILL else ""
        return f"the reader crashed (signal {number}, {name}){hint}"
    return f"the reader stopped unexpectedly (exit code {exitcode})"


def _worker_main(conn: Connection, task: TaskFn, limits: Limits, ocr_processes: int = 1,
                 preloaded: str | None = None) -> None:
    """Worker process: receive (job id, first index, items), send (job id, index, result) per file.
    `preloaded`: the allocator the fork server was started with, not passed on to programs run here."""
    allocator.forget(preloaded)
    # The workers share the cores: each runs its share of tesseract processes (one per core in all).
    os.environ[OCR_PROCESSES_ENV] = str(ocr_processes)
    # Ctrl-C goes to the whole process group; the parent decides what happens to the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A process group of its own, so a worker that is killed takes the programs it started with it
    # (tesseract, antiword …): they would otherwise go on using a core after their reader is gone.
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    conn.send((None, 0, "ready"))   # started and imported: from now on, a death is the file's fault
    current = {"job": None}
    send_lock = threading.Lock()     # OCR threads send heartbeats while the main thread sends results

    def heartbeat() -> None:
        with send_lock, contextlib.suppress(OSError, EOFError):
            conn.send((current["job"], HEARTBEAT, None))

    ocr.page_done = heartbeat
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        job_id, first, items = message
        current["job"] = job_id
        for index, (abs_path, name, _size) in enumerate(items, start=first):
            try:
                result = task(abs_path, name, limits)
            except Exception as exc:  # extract_file does not raise; a task bug must not lose the batch
                result = ReadFailure(f"the reader failed: {type(exc).__name__}: {exc}")
            try:
                with send_lock:
                    conn.send((job_id, index, result))
            except (BrokenPipeError, EOFError, OSError):
                return
            except Exception as exc:  # the result could not be pickled
                with send_lock:
                    conn.send((job_id, index,
                               ReadFailure(f"the reader's result could not be passed on: {type(exc).__name__}")))


@dataclass
class _Job:
    future: Future
    results: list
    remaining: int


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    job_id: int | None = None
    next_index: int = 0                # the file the worker is on (the first one it has not reported)
    last_index: int = 0                # one past the last file of its current task
    items: list[Item] = field(default_factory=list)
    started_file_at: float = 0.0
    heartbeats: int = 0                # OCR pages done on the current file (liveness, not time)
    ready: bool = False


class WorkerPool:
    """N worker processes reading files with a per-file deadline (see module docstring)."""

    def __init__(self, workers: int, *, limits: Limits | None = None, task: TaskFn | None = None,
                 context: str = "forkserver", timeout: float | None = None):
        self.limits = limits or Limits()
        self.timeout = timeout if timeout is not None else self.limits.timeout_seconds
        self.task = task or extract_file
        self.size = max(1, workers)
        self._ctx = multiprocessing.get_context(context)
        if context == "forkserver":
            # Workers fork from a server that has already imported the readers: cheap replacements.
            self._ctx.set_forkserver_preload(["tuscan.archive.reader", "extractors.readers"])
        self._preload = allocator.worker_preload() if context == "forkserver" else None
        self._lock = threading.Lock()
        self._queue: deque[tuple[int, int, list[Item]]] = deque()   # (job id, first index, items)
        self._jobs: dict[int, _Job] = {}
        self._ids = itertools.count()
        self._workers: list[_Worker] = []
        self._closed = False
        self._broken: str | None = None
        self._startup_failures = 0
        self.replaced = 0                  # workers killed or lost and replaced (for tests and logs)
        self._wake_r, self._wake_w = self._ctx.Pipe(duplex=False)
        # Workers start with the first file: a scan with nothing to read (an empty folder, an
        # unchanged rescan) does not pay ~0.1 s a worker for processes it never uses.
        self._thread: threading.Thread | None = None

    # -- public -----------------------------------------------------------------------------

    def submit(self, items: list[Item]) -> Future:
        future: Future = Future()
        items = list(items)
        if not items:
            future.set_result([])
            return future
        if self._thread is None and not self._closed:
            self._start()
        with self._lock:
            if self._broken:
                raise WorkerPoolBroken(self._broken)
            if self._closed:
                raise RuntimeError("the worker pool is closed")
            job_id = next(self._ids)
            self._jobs[job_id] = _Job(future, [None] * len(items), len(items))
            self._queue.append((job_id, 0, items))
        self._wake()
        return future

    def close(self) -> None:
        """Stop the workers (unfinished jobs fail). Safe to call twice."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout=10)
        for worker in self._workers:
            self._stop(worker, kill=worker.job_id is not None)
        with self._lock:
            for job in self._jobs.values():
                if not job.future.done():
                    job.future.set_exception(RuntimeError("the worker pool was closed"))
            self._jobs.clear()
        self._wake_r.close()
        self._wake_w.close()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- workers ------------------------------------------------------------------------------

    def prepare(self) -> None:
        """Start the fork server now (once per process; the workers still start with the first
        file): it imports the readers in its own process while this one goes on, and the workers
        fork from it with its allocator (`tuscan.archive.allocator`)."""
        if self._ctx.get_start_method() == "forkserver":
            with allocator.preloaded(self._preload):
                multiprocessing.forkserver.ensure_running()

    def _start(self) -> None:
        self.prepare()
        for _ in range(self.size):
            self._workers.append(self._start_worker())
        self._thread = threading.Thread(target=self._run, name="tuscan-workers", daemon=True)
        self._thread.start()

    def _start_worker(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        ocr_share = max(1, (os.cpu_count() or 1) // self.size)
        process = self._ctx.Process(target=_worker_main,
                                    args=(child, self.task, self.limits, ocr_share, self._preload),
                                    name="tuscan-reader", daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def _stop(self, worker: _Worker, *, kill: bool) -> None:
        with contextlib.suppress(OSError, ValueError):
            if kill:
                self._kill_group(worker)
            else:
                worker.conn.send(None)
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            self._kill_group(worker)
            worker.process.join(timeout=5)
        with contextlib.suppress(OSError):
            worker.conn.close()

    @staticmethod
    def _kill_group(worker: _Worker) -> None:
        """Kill the worker and every process it started (its process group, see `_worker_main`)."""
        pid = worker.process.pid
        try:
            if pid is not None and os.getpgid(pid) == pid:
                os.killpg(pid, signal.SIGKILL)
                return
        except OSError:
            pass
        with contextlib.suppress(OSError, ValueError):
            worker.process.kill()

    def _wake(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._wake_w.send_bytes(b"x")

    # -- the dispatcher thread ----------------------------------------------------------------

    def _run(self) -> None:
        try:
            while True:
                with self._lock:
                    if self._closed:
                        return
                    self._dispatch()
                now = time.monotonic()
                busy = [w for w in self._workers if w.job_id is not None]
                deadline = min((w.started_file_at + self.timeout for w in busy), default=now + 1.0)
                ready = wait([self._wake_r] + [w.conn for w in self._workers]
                             + [w.process.sentinel for w in self._workers],
                             timeout=max(0.0, deadline - now))
                if self._wake_r in ready:
                    with contextlib.suppress(EOFError, OSError):
                        while self._wake_r.poll():
                            self._wake_r.recv_bytes()
                for worker in list(self._workers):
                    self._service(worker, ready)
        except BaseException as exc:  # never leave futures hanging if the dispatcher itself fails
            self._fail_all(f"the worker pool stopped: {type(exc).__name__}: {exc}")

    def _dispatch(self) -> None:
        for worker in self._workers:
            if worker.ready and worker.job_id is None and self._queue:
                job_id, first, items = self._take()
                try:
                    worker.conn.send((job_id, first, items))
                except OSError:
                    self._queue.appendleft((job_id, first, items))
                    continue
                worker.job_id, worker.next_index = job_id, first
                worker.last_index, worker.items = first + len(items), items
                worker.started_file_at = time.monotonic()

    def _take(self) -> tuple[int, int, list[Item]]:
        """The next task from the queue: a whole batch while the queue holds a batch for every
        worker, else the worker's share of what is queued, so that at the end of a scan the workers
        finish together instead of one reading a whole batch while the others wait (on the
        generated benchmark corpus one worker went on alone for ~0.6 s). The rest stays first in
        the queue."""
        job_id, first, items = self._queue.popleft()
        queued = len(items) + sum(len(rest) for _job, _first, rest in self._queue)
        share = max(1, -(-queued // self.size))
        if share < len(items):
            self._queue.appendleft((job_id, first + share, items[share:]))
            items = items[:share]
        return job_id, first, items

    def _service(self, worker: _Worker, ready: list) -> None:
        # Results first: a worker that sent its last result and then died still delivered it.
        if worker.conn in ready:
            try:
                while worker.conn.poll():
                    job_id, index, result = worker.conn.recv()
                    if job_id is None:
                        worker.ready = True
                        self._startup_failures = 0
                    elif index == HEARTBEAT:   # alive (an OCR page done); buys no time
                        worker.heartbeats += 1
                    else:
                        self._deliver(worker, job_id, index, result)
            except (EOFError, OSError):
                pass
            except Exception as exc:   # a result that was pickled but cannot be read back here
                if worker.job_id is not None:
                    self._deliver(worker, worker.job_id, worker.next_index, ReadFailure(
                        f"the reader's result could not be read back: {type(exc).__name__}"))
        dead = not worker.process.is_alive()
        overdue = worker.job_id is not None and time.monotonic() - worker.started_file_at > self.timeout
        if dead or overdue:
            exitcode = None if overdue and not dead else worker.process.exitcode
            self._replace(worker, timeout_message(self.timeout) if exitcode is None else crash_message(exitcode),
                          exitcode)

    def _deliver(self, worker: _Worker, job_id: int, index: int, result) -> None:
        worker.next_index = index + 1
        worker.started_file_at = time.monotonic()
        worker.heartbeats = 0
        with self._lock:
            self._set_result(job_id, index, result)
        if worker.next_index >= worker.last_index:
            worker.job_id, worker.items = None, []

    def _set_result(self, job_id: int, index: int, result) -> None:
        job = self._jobs.get(job_id)
        if job is None or job.results[index] is not None:
            return
        job.results[index] = result
        job.remaining -= 1
        if job.remaining == 0:
            del self._jobs[job_id]
            job.future.set_result(job.results)

    def _replace(self, worker: _Worker, reason: ReadFailure, exitcode: int | None = None) -> None:
        """Kill a hung or dead worker, record `reason` for the file it was on, re-queue the rest of
        its task, and start a fresh worker in its place."""
        self._stop(worker, kill=True)
        self.replaced += 1
        if not worker.ready:
            self._startup_failures += 1
        with self._lock:
            if worker.job_id is not None:
                offset = worker.next_index - (worker.last_index - len(worker.items))
                self._set_result(worker.job_id, worker.next_index, reason)
                rest = worker.items[offset + 1:]
                if rest:
                    self._queue.appendleft((worker.job_id, worker.next_index + 1, rest))
            position = self._workers.index(worker)
            if self._startup_failures >= MAX_STARTUP_FAILURES:
                self._broken = (f"the extraction workers stopped {self._startup_failures} times before reading"
                                f" a file: {_death(exitcode)}. If you call tuscan from your own script, put the"
                                " call under `if __name__ == \"__main__\":` (workers import the script).")
                self._workers.pop(position)
            else:
                self._workers[position] = self._start_worker()
        if self._broken:
            self._fail_all(self._broken)
            raise WorkerPoolBroken(self._broken)

    def _fail_all(self, message: str) -> None:
        with self._lock:
            self._broken = self._broken or message
            for job in self._jobs.values():
                if not job.future.done():
                    job.future.set_exception(WorkerPoolBroken(message))
            self._jobs.clear()
            self._queue.clear()
