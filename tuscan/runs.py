"""Runs: every command that writes records a row, so an interrupted run is visible afterwards."""

from __future__ import annotations

import contextlib
import json
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb


def start_run(con: duckdb.DuckDBPyConnection, kind: str, args: dict) -> int:
    """Record a new run as running. Runs still marked running belong to processes that died
    (this process holds the write lock), so they are marked interrupted first."""
    con.execute(
        "UPDATE runs SET status = 'interrupted', finished_at = current_timestamp,"
        " error = coalesce(error, 'the process stopped before the run finished')"
        " WHERE status = 'running'"
    )
    return con.execute(
        "INSERT INTO runs (kind, status, pid, host, args) VALUES (?, 'running', ?, ?, ?) RETURNING run_id",
        [kind, os.getpid(), socket.gethostname(), json.dumps(args, default=str)],
    ).fetchone()[0]


def finish_run(con: duckdb.DuckDBPyConnection, run_id: int, status: str, *, summary: dict | None = None,
               error: str | None = None) -> None:
    con.execute(
        "UPDATE runs SET status = ?, finished_at = current_timestamp, summary = ?, error = ? WHERE run_id = ?",
        [status, json.dumps(summary, default=str) if summary is not None else None, error, run_id],
    )


def last_run(con: duckdb.DuckDBPyConnection, kind: str | None = None) -> dict | None:
    row = con.execute(
        "SELECT run_id, kind, status, started_at, finished_at, summary, error FROM runs"
        + (" WHERE kind = ?" if kind else "") + " ORDER BY run_id DESC LIMIT 1",
        [kind] if kind else [],
    ).fetchone()
    if not row:
        return None
    keys = ["run_id", "kind", "status", "started_at", "finished_at", "summary", "error"]
    return dict(zip(keys, row, strict=True))


@dataclass
class RecordedRun:
    """A run in progress: `summary` is stored with it when the block finishes."""

    run_id: int
    summary: dict | None = None


@contextlib.contextmanager
def recorded_run(con: duckdb.DuckDBPyConnection, kind: str, args: dict) -> Iterator[RecordedRun]:
    """`with recorded_run(con, "classify", {}) as run:` — the run is recorded as running, then as
    finished with `run.summary`; as interrupted on Ctrl-C or SIGTERM, as failed on any other error
    (an open transaction is rolled back first, so the failure itself can be recorded)."""
    run = RecordedRun(start_run(con, kind, args))
    try:
        yield run
    except BaseException as exc:
        with contextlib.suppress(duckdb.Error):   # no transaction open is fine
            con.execute("ROLLBACK")
        status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
        finish_run(con, run.run_id, status, error=f"{type(exc).__name__}: {exc}")
        raise
    finish_run(con, run.run_id, "finished", summary=run.summary)
