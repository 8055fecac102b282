"""Discover: scan contract archives, then identify, match and classify.

Thin orchestration over plain functions (`tuscan.scan.scan`, `tuscan.classify.classify`). The flow
process is the single DuckDB writer; extraction runs in worker processes: a local process pool by
default, or Prefect tasks on the flow's task runner (`runner="tasks"`, e.g. a DaskTaskRunner for a
cluster — see README "Scaling out").
"""

from __future__ import annotations

import os

from prefect import flow, task

from tuscan import db as database
from tuscan.classify import classify
from tuscan.progress import ScanProgress
from tuscan.scan import ScanSummary, extract_batch, scan
from tuscan.workers import WorkerPool


@task(name="extract-batch", retries=0)
def extract_batch_task(items: list[tuple[str, str, int]]):
    """Extract and search a batch of files (runs wherever the task runner puts it)."""
    return extract_batch(items)


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def run_discover(paths: list[str], db: str = database.DEFAULT_DB, *, workers: int | None = None,
                 runner: str = "local", wait: float = 0, progress=None) -> ScanSummary:
    """Scan and classify. `runner`: "local" (process pool), "tasks" (Prefect tasks on the current
    flow's task runner) or "inline" (no parallelism; for debugging)."""
    workers = workers or default_workers()
    with database.writing(db, wait=wait, command="discover") as con:
        if runner == "tasks":
            summary = scan(con, paths, submit=lambda items: extract_batch_task.submit(items),
                           max_in_flight=2 * workers, progress=progress)
        elif runner == "inline" or workers == 1:
            summary = scan(con, paths, progress=progress)
        else:
            with WorkerPool(workers) as pool:   # per-file deadline; survives hung or crashed readers
                summary = scan(con, paths, submit=pool.submit, max_in_flight=2 * workers, progress=progress)
        classify(con)
    return summary


@flow(name="discover", log_prints=True)
def discover_flow(paths: list[str], db: str = database.DEFAULT_DB, workers: int | None = None,
                  runner: str = "local", wait: float = 0, show_progress: bool = False) -> dict:
    """Scan contract archives (folders, zip files) into the inventory and classify the systems."""
    progress = ScanProgress() if show_progress else None
    summary = run_discover(paths, db, workers=workers, runner=runner, wait=wait, progress=progress)
    if progress:
        progress.done(summary)
    return {"run_id": summary.run_id, "files": summary.files_seen, "extracted": summary.extracted,
            "errors": summary.read_errors, "pages": summary.pages}
