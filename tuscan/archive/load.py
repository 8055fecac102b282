"""The archive source's steps: scan archives (folders, zip files), or files handed over by another
source (documents a crawl downloaded), into the inventory.

Plain functions without Prefect; `tuscan.steps` lists them per command. The database is opened
here, by path, so a step can run in a Prefect task as well as in the CLI.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from extractors import Limits
from tuscan import db as database
from tuscan.archive.pool import WorkerPool
from tuscan.archive.scan import ProgressFn, ScanSummary, SubmitFn, scan, scan_files
from tuscan.archive.walk import FileRef

#: Where extraction runs. "local": a pool of worker processes (one per core) with a deadline per
#: document; "inline": this process (debugging, tests); "tasks": a Prefect task per batch on the
#: flow's task runner; "dask": those tasks on a Dask cluster (see flows/discover.py).
RUNNERS = ("local", "inline", "tasks", "dask")
LOCAL_RUNNERS = ("local", "inline")


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ScanOptions:
    """How to scan: the same for an archive and for a crawl's documents."""

    workers: int | None = None
    runner: str = "local"
    wait: float = 0
    timeout: float = Limits.timeout_seconds
    max_file_bytes: int = Limits.max_file_bytes
    retry_failed: bool = False
    refind: bool = False
    follow_links: bool = False
    show_progress: bool = False

    @property
    def limits(self) -> Limits:
        return Limits(timeout_seconds=self.timeout, max_file_bytes=self.max_file_bytes)


def _run(options: ScanOptions, submit: SubmitFn | None, work: Callable[..., ScanSummary]) -> ScanSummary:
    """Call `work(submit=…, max_in_flight=…, timeout=…)` with the runner the options name. `work`
    opens the database itself: with the local runner, the workers' fork server is started first
    and imports the readers while the database opens (~0.2 s of start-up, on the other core)."""
    workers = options.workers or default_workers()
    if submit is not None:                       # Prefect tasks or Dask: no time limit enforced
        return work(submit=submit, max_in_flight=2 * workers, timeout=None)
    if options.runner == "inline":
        return work(submit=None, max_in_flight=0, timeout=None)
    if options.runner != "local":
        raise ValueError(f"runner {options.runner!r} needs Prefect tasks; use flows/discover.py")
    with WorkerPool(workers, limits=options.limits) as pool:   # survives hung or crashed readers
        pool.prepare()
        # Only the pool enforces a time limit: timed-out files are tried again under a larger one.
        return work(submit=pool.submit, max_in_flight=2 * workers, timeout=options.timeout)


def scan_archives(paths: list[str | os.PathLike], db: str | os.PathLike = database.DEFAULT_DB,
                  options: ScanOptions = ScanOptions(), *, submit: SubmitFn | None = None,
                  progress: ProgressFn | None = None) -> ScanSummary:
    """Scan archive folders and files into the inventory (a run of kind 'discover'). Progress goes
    to `progress`, or to a progress line on stderr with `options.show_progress`."""
    from tuscan.progress import ScanProgress

    line = ScanProgress() if options.show_progress and progress is None else None
    progress = progress or line
    workers = options.workers or default_workers()

    def work(**how) -> ScanSummary:
        with database.writing(db, wait=options.wait, command="discover") as con:
            return scan(con, paths, progress=progress, limits=options.limits, retry_failed=options.retry_failed,
                        refind_all=options.refind, refind_workers=workers, follow_links=options.follow_links,
                        **how)

    summary = _run(options, submit, work)
    if line:
        line.done(summary)
    return summary


def scan_documents(refs: list[FileRef], db: str | os.PathLike = database.DEFAULT_DB,
                   options: ScanOptions = ScanOptions(), *, kind: str = "scan", args: dict | None = None,
                   submit: SubmitFn | None = None) -> ScanSummary:
    """Scan files another source saved (`FileRef`s with their own root, path and origin)."""

    def work(**how) -> ScanSummary:
        with database.writing(db, wait=options.wait, command=kind) as con:
            return scan_files(con, refs, kind=kind, args=args, limits=options.limits, **how)

    return _run(options, submit, work)


def example_archive() -> Path:
    """The bundled example municipality's contract archive (package data of `tuscan.example`)."""
    from tuscan.example import archive

    return archive()
