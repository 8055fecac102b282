"""Discover without Prefect: scan archives, then classify — what the flow and `--no-prefect` run.

Kept free of Prefect imports so `tuscan discover --no-prefect` starts in about a second.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from extractors import Limits
from tuscan import db as database
from tuscan.classify import classify
from tuscan.scan import ScanSummary, SubmitFn, scan
from tuscan.workers import WorkerPool

LOCAL_RUNNERS = ("local", "inline")
# The bundled example municipality's contract archive: what `tuscan discover` and `tuscan run` scan
# when given nothing else.
EXAMPLE_ARCHIVE = Path(__file__).resolve().parents[1] / "examples" / "archive"


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def inventory_is_current(con: duckdb.DuckDBPyConnection, run_id: int) -> bool:
    """True when the last run before `run_id` was a finished classification: every writing command
    ends by classifying, so then nothing the inventory depends on has changed since."""
    row = con.execute(
        "SELECT kind, status FROM runs WHERE run_id < ? ORDER BY run_id DESC LIMIT 1", [run_id]
    ).fetchone()
    return row == ("classify", "finished")


def scan_changed_nothing(summary: ScanSummary) -> bool:
    # Hits found again with a changed keyword file are a change like a newly read file.
    return (summary.extracted == summary.linked == summary.missing == summary.read_errors
            == summary.refound_changed == 0)


def run_discover(paths: list[str], db: str = database.DEFAULT_DB, *, workers: int | None = None,
                 runner: str = "local", submit: SubmitFn | None = None, wait: float = 0, progress=None,
                 limits: Limits | None = None, retry_failed: bool = False, refind: bool = False) -> ScanSummary:
    """Scan and classify.

    runner "local": a pool of worker processes (`workers`, default one per core) with a deadline per
    file (`limits.timeout_seconds`); "inline": everything in this process. `submit`, when given,
    hands batches elsewhere instead (the flow passes a Prefect task's `.submit` for Dask).
    `retry_failed`: read files that timed out or crashed a reader before (tuscan.failures);
    `refind`: find the keyword hits of every stored document again (tuscan.refind)."""
    if runner not in LOCAL_RUNNERS and submit is None:
        raise ValueError(f"runner must be one of {', '.join(LOCAL_RUNNERS)}, or pass submit=")
    workers = workers or default_workers()
    limits = limits or Limits()
    options = {"progress": progress, "retry_failed": retry_failed, "refind_all": refind, "limits": limits}
    with database.writing(db, wait=wait, command="discover") as con:
        if submit is not None:
            summary = scan(con, paths, submit=submit, max_in_flight=2 * workers, **options)
        elif runner == "inline":
            summary = scan(con, paths, **options)
        else:
            with WorkerPool(workers, limits=limits) as pool:  # survives hung or crashed readers
                # Only the pool enforces a time limit: timed-out files are tried again under a larger one.
                summary = scan(con, paths, submit=pool.submit, max_in_flight=2 * workers,
                               timeout=limits.timeout_seconds, refind_workers=workers, **options)
        # An unchanged rescan leaves the inventory as it is: classifying again would only repeat work.
        if not (scan_changed_nothing(summary) and inventory_is_current(con, summary.run_id)):
            classify(con)
    return summary
