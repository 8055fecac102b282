"""Files that went over the time limit or crashed their reader: remembered, not tried on every run.

`tuscan.archive.pool` kills a reader that takes longer than the per-document time limit or crashes, and
the file gets that reason as its error. Trying such a file again on every run costs the whole time
limit, or another crashed reader, each time, for the same result. So the scan records the failure
under the file's content hash (a `contents` row with status 'error' and `read_failure`, migration
007), and change detection leaves it alone like any stored content: an unchanged file (same size
and mtime), or the same bytes under another name, is not tried again and keeps its error; a changed
file is read again like any other.

A failed file is tried again only when the outcome can differ:
- `tuscan discover --retry-failed` (after upgrading tuscan, or on a machine with more memory for a
  reader the OOM killer stopped);
- a timed-out file, when the runner now enforces a larger time limit than the one it went over
  (`tuscan discover --timeout 600` after it failed under the default 120 s) — recorded as
  `contents.read_timeout`, so raising the limit is enough, no extra flag needed.
Transient errors — the file vanished, changed while it was read, or could not be opened — say
nothing about the content; they stay on the document (`documents.read_error`) and are retried on
every run (`tuscan.archive.scan`).
"""

from __future__ import annotations

from tuscan.archive.outcome import TIMEOUT


def should_retry(failure: str, failed_timeout: float | None, *, timeout: float | None,
                 retry_failed: bool) -> bool:
    """Whether a file that failed with `failure` is tried again. `timeout`: the time limit the
    current runner enforces, or None when it enforces none (inline, Prefect tasks, Dask) — then a
    timed-out file is tried again only on request, since nothing would stop it hanging again."""
    if retry_failed:
        return True
    return (failure == TIMEOUT and timeout is not None and failed_timeout is not None
            and timeout > failed_timeout)
