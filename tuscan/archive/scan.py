"""Scanning a contract archive: walk → change detection → extract (workers) → store (the writer).

Plain functions, callable without Prefect. Extraction and keyword finding run in worker processes
(`tuscan.archive.reader`); everything that touches the database runs here, in the single writer, one
transaction per few batches (`WRITE_FILES`), so a killed run leaves only whole batches behind and the
next run finishes the rest. Results are stored in the order they finish, so one slow document holds
back only its own batch while the other workers go on.

Change detection, cheapest first: a path whose size and mtime are unchanged and whose content is
stored is not read at all; otherwise its sha256 is computed, and content already stored under that
hash (a renamed, copied or touched file) is linked without being extracted again. A file that went
over the time limit or crashed its reader is stored as such a content too, so it is not tried again
while unchanged (`tuscan.archive.failures`). A file larger than the size limit is recorded without
being hashed or read. After the files, hits found with another keyword file are found again from the
stored text (`tuscan.archive.refind`).

A file that changes or disappears between the walk and the read is not stored half-read: it gets a
read error now and is read again on the next run (`changed_since_walk`).
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import asdict, dataclass, field

import duckdb

from extractors import Limits
from tuscan.archive.failures import should_retry
from tuscan.archive.keywordfile import active_keywords
from tuscan.archive.outcome import ContentResult, ReadFailure, ReadResult
from tuscan.archive.reader import Item, extract_batch, sha256_file
from tuscan.archive.refind import Refound, refind
from tuscan.archive.store import (
    Outcome,
    StoredContent,
    link_documents,
    look_up,
    mark_missing,
    record_batch,
    stored_contents,
    stored_sizes,
    touch,
)
from tuscan.archive.walk import VANISHED, Boundary, FileRef, changed_since_walk, resolve_roots, walk
from tuscan.db import transaction
from tuscan.runs import recorded_run

BATCH_FILES = 32          # files per worker task: amortises task overhead, keeps results small
BATCH_BYTES = 64 << 20    # … or fewer files when they are large
# The writer stores the results of several batches in one transaction: each statement costs DuckDB
# 2–4 ms whether it carries 32 rows or 256 (profiled, bench/results.md), a whole write of small
# files ~70 ms (~8 statements, a commit), and the writer's CPU is taken from the workers. Bounded in
# files, text and time, so memory stays flat, progress keeps moving and a killed run loses only the
# last few seconds. Files: a lookup chunk's worth or more (256 → 1,024: archives of small files
# 4% faster, bench/results.md); each chunk's lookup writes what is ready first anyway.
WRITE_FILES = 1024
WRITE_TEXT_CHARS = 8 << 20
WRITE_SECONDS = 2.0
LOOKUP_CHUNK = 512        # paths looked up in the database per query


@dataclass
class ScanSummary:
    run_id: int
    files_seen: int = 0
    extracted: int = 0
    linked: int = 0          # known content under a new path or changed mtime
    unchanged: int = 0
    read_errors: int = 0
    skipped: int = 0         # not read on purpose (links out of the roots, devices …)
    missing: int = 0
    pages: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    skipped_failed: int = 0  # not tried: timed out or crashed a reader before, unchanged (also in unchanged/linked)
    refound: int = 0         # stored contents whose hits were found again (keyword file changed, or --refind)
    refound_changed: int = 0  # … of which the hits changed

    def as_json(self) -> dict:
        return {**{k: v for k, v in asdict(self).items() if k != "run_id"}, "host": socket.gethostname()}

    def changed_nothing(self) -> bool:
        """Nothing the inventory depends on changed (hits found again count as a change)."""
        return all(getattr(self, name) == 0 for name in _CHANGES)


# The counts of a scan that change what the inventory depends on.
_CHANGES = ("extracted", "linked", "missing", "read_errors", "refound_changed")


def summary_changed_nothing(recorded: str | dict | None) -> bool:
    """`changed_nothing` of a scan's summary as the runs table keeps it (JSON); False when it is
    missing or lacks a count."""
    if isinstance(recorded, str):
        try:
            recorded = json.loads(recorded)
        except ValueError:
            return False
    return isinstance(recorded, dict) and all(recorded.get(name) == 0 for name in _CHANGES)


ProgressFn = Callable[[ScanSummary, FileRef | None], None]
SubmitFn = Callable[[list[Item]], "Future[list[ReadResult]]"]


def _chunks(refs: Iterable[FileRef], size: int) -> Iterator[list[FileRef]]:
    chunk: list[FileRef] = []
    for ref in refs:
        chunk.append(ref)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _batches(items: list[FileRef]) -> Iterator[list[FileRef]]:
    batch: list[FileRef] = []
    size = 0
    for ref in items:
        batch.append(ref)
        size += ref.size
        if len(batch) >= BATCH_FILES or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _failed_content(sha256: str, size: int, failure: ReadFailure, keywords_version: str) -> ContentResult:
    """The record of a file that went over the time limit or crashed its reader: an error content
    under the hash the writer computed, so an unchanged file is not tried again."""
    return ContentResult(sha256, size, "error", failure.reason, None, None, [], [], keywords_version=keywords_version,
                         read_failure=failure.kind, read_timeout=failure.seconds)


class Scanner:
    """One scan's state: what is in flight, what is read but not yet written, the counts so far.

    `submit(batch)` hands a batch of (abs_path, name, size) to a worker and returns a future of
    `extract_batch(batch)`; without it, extraction runs in this process."""

    def __init__(self, con: duckdb.DuckDBPyConnection, run_id: int, *, submit: SubmitFn | None = None,
                 max_in_flight: int = 8, progress: ProgressFn | None = None, limits: Limits | None = None,
                 timeout: float | None = None, retry_failed: bool = False):
        self.con = con
        self.run_id = run_id
        self.submit = submit
        self.max_in_flight = max_in_flight
        self.progress = progress
        self.limits = limits or Limits()
        self.timeout = timeout
        self.retry_failed = retry_failed
        self.fingerprint = active_keywords()[0]
        self.summary = ScanSummary(run_id)
        self.known: set[str] = set()
        self.pending: list[tuple[list[FileRef], list[str], Future | list]] = []
        self.ready: list[Outcome] = []            # results not yet written
        self.ready_chars = 0
        self.last_write = time.monotonic()

    # -- what to read -------------------------------------------------------------------------

    def retry(self, content: StoredContent) -> bool:
        """A failure record whose file is to be read again. Never twice in one run: a copy of a file
        that failed a moment ago gets the same record."""
        return (content.read_failure is not None and content.extracted_run != self.run_id
                and should_retry(content.read_failure, content.read_timeout, timeout=self.timeout,
                                 retry_failed=self.retry_failed))

    def files(self, root: str, refs: Iterable[FileRef]) -> None:
        """Scan these files (all under `root`), looking them up a chunk at a time."""
        for chunk in _chunks(refs, LOOKUP_CHUNK):
            self.write_ready()   # what is read is stored before looking up: a copy is linked, not read again
            with transaction(self.con):
                to_extract, hashes = self._sort_out(root, chunk)
            if self.progress and len(to_extract) < len(chunk):
                self.progress(self.summary, None)
            for batch in _batches(to_extract):
                items = [(r.abs_path, r.path, r.size) for r in batch]
                future = self.submit(items) if self.submit else extract_batch(items, self.limits)
                self.pending.append((batch, [hashes.get(r.path) for r in batch], future))
                self.drain(self.max_in_flight)

    def _sort_out(self, root: str, chunk: list[FileRef]) -> tuple[list[FileRef], dict[str, str]]:
        """Store what needs no reading (unchanged, unreadable, skipped, copies of stored content)
        and return the files to extract with the hashes computed here.

        A file is hashed here only when some stored content has its size, since only then can it
        be a copy of one (a moved, renamed or touched file): the worker that reads a file hashes
        the bytes it reads anyway, and hashing every file of a first scan here as well cost the one
        writer process ~1.2 s of CPU a GB (the real-document benchmark corpus) while the workers
        wait for it."""
        summary = self.summary
        stored = look_up(self.con, root, [r.path for r in chunk])
        unchanged, to_hash, failed = [], [], []
        for ref in chunk:
            summary.files_seen += 1
            if ref.read_error:
                failed.append(Outcome(ref, None, ref.read_error))
                if ref.skipped:
                    summary.skipped += 1
                else:
                    summary.read_errors += 1
                continue
            old = stored.get(ref.path)
            # Unchanged: same size and mtime, content stored, and no error on the path other
            # than the content's own failure record.
            if (old and old.size == ref.size and old.mtime == ref.mtime and old.content
                    and (old.read_error is None or old.content.read_failure is not None)):
                if self.retry(old.content):
                    to_hash.append(ref)           # failed before: try again
                else:
                    unchanged.append(ref.path)
                    summary.skipped_failed += old.content.read_failure is not None
            elif ref.size > self.limits.max_file_bytes:
                # Not even hashed: a 20 GB file (or a sparse one claiming to be) costs nothing.
                failed.append(Outcome(ref, None, f"file is larger than the {self.limits.max_file_bytes} byte limit"
                                                 f" ({ref.size} bytes); not read"))
                summary.read_errors += 1
            else:
                to_hash.append(ref)
        touch(self.con, self.run_id, root, unchanged)
        summary.unchanged += len(unchanged)
        hashes: dict[str, str] = {}
        sizes = stored_sizes(self.con, [ref.size for ref in to_hash])
        for ref in to_hash:
            if ref.size not in sizes:
                continue
            try:
                sha = sha256_file(ref.abs_path)
                problem = changed_since_walk(ref)
            except FileNotFoundError:
                problem = VANISHED
            except OSError as exc:
                problem = f"file could not be read: {exc.strerror or exc}"
            if problem:
                failed.append(Outcome(ref, None, problem))
                summary.read_errors += 1
            else:
                hashes[ref.path] = sha
        record_batch(self.con, self.run_id, failed, self.known)
        present = {sha: c for sha, c in stored_contents(self.con, list(hashes.values())).items()
                   if not self.retry(c)}
        linked = [(ref, hashes[ref.path]) for ref in to_hash if hashes.get(ref.path) in present]
        link_documents(self.con, self.run_id, linked)
        summary.linked += len(linked)
        summary.skipped_failed += sum(1 for _, sha in linked if present[sha].read_failure)
        unreadable = {o.ref.path for o in failed}
        to_extract = [ref for ref in to_hash if ref.path not in unreadable and hashes.get(ref.path) not in present]
        return to_extract, hashes

    # -- results --------------------------------------------------------------------------------

    def _next_done(self) -> int:
        """Index of a finished batch in `pending`: the first to finish, when the futures allow
        waiting for any (concurrent.futures); else the oldest."""
        futures = [f for _, _, f in self.pending if isinstance(f, Future)]
        if len(futures) == len(self.pending):
            done, _ = wait(futures, return_when=FIRST_COMPLETED)
            return next(i for i, (_, _, f) in enumerate(self.pending) if f in done)
        return next((i for i, (_, _, f) in enumerate(self.pending) if isinstance(f, list)), 0)

    def drain(self, limit: int) -> None:
        """Store finished batches until at most `limit` are in flight."""
        while len(self.pending) > limit:
            batch, shas, future = self.pending.pop(self._next_done())
            results = future if isinstance(future, list) else future.result()
            outcomes = [self._outcome(ref, sha, result) for ref, sha, result in zip(batch, shas, results, strict=True)]
            self.ready.extend(outcomes)
            self.ready_chars += sum(o.content.text_chars() for o in outcomes if o.content)
            if (len(self.ready) >= WRITE_FILES or self.ready_chars >= WRITE_TEXT_CHARS
                    or time.monotonic() - self.last_write >= WRITE_SECONDS):
                self.write_ready()
            if self.progress:
                self.progress(self.summary, batch[-1])
        if limit == 0:
            self.write_ready()

    def _outcome(self, ref: FileRef, sha: str | None, result: ReadResult) -> Outcome:
        summary = self.summary
        if isinstance(result, ContentResult):
            changed = changed_since_walk(ref, result.size, self.limits.max_file_bytes)
            if changed is None:
                summary.extracted += 1
                summary.pages += len(result.pages)
                summary.by_status[result.status] = summary.by_status.get(result.status, 0) + 1
                return Outcome(ref, result, None)
            result = ReadFailure(changed)
        summary.read_errors += 1
        if result.remembered:
            # Timed out or crashed the reader: remembered by content, unless the file changed
            # meanwhile (then the hash is not the one that failed; read it next run). The path keeps
            # the reason too: if the same bytes were read fine elsewhere, that content is stored and
            # this record is not, but this path still failed this run.
            if sha is None:        # not hashed before reading (no stored content had its size)
                try:
                    sha = sha256_file(ref.abs_path)
                except OSError:
                    return Outcome(ref, None, result.reason)
            changed = changed_since_walk(ref)
            if changed is None:
                return Outcome(ref, _failed_content(sha, ref.size, result, self.fingerprint), result.reason)
            return Outcome(ref, None, changed)
        return Outcome(ref, None, result.reason)

    def write_ready(self) -> None:
        if self.ready:
            with transaction(self.con):
                record_batch(self.con, self.run_id, self.ready, self.known)
            self.ready.clear()
        self.ready_chars, self.last_write = 0, time.monotonic()

    def search_again(self, *, force: bool = False, workers: int = 1) -> None:
        """Hits found with another keyword file (or all, with `force`) are found again."""
        def refound(done: Refound) -> None:
            self.summary.refound, self.summary.refound_changed = done.contents, done.changed
            if self.progress:
                self.progress(self.summary, None)

        done = refind(self.con, force=force, progress=refound, workers=workers)
        self.summary.refound, self.summary.refound_changed = done.contents, done.changed


def scan(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[str | os.PathLike],
    *,
    submit: SubmitFn | None = None,
    max_in_flight: int = 8,
    progress: ProgressFn | None = None,
    args: dict | None = None,
    limits: Limits | None = None,
    timeout: float | None = None,
    retry_failed: bool = False,
    refind_all: bool = False,
    refind_workers: int = 1,
    follow_links: bool = False,
) -> ScanSummary:
    """Scan folders, files and zip archives into the database open on `con`, as a run of its own.

    `timeout`: the per-document time limit the runner enforces (None: none), `retry_failed`: try
    files that timed out or crashed before; `refind_all`: find the hits of every stored content
    again, not only of those found with another keyword file, in `refind_workers` processes when
    there are many pages; `follow_links`: read files that symbolic links lead to outside the roots."""
    roots = resolve_roots(paths)
    active_keywords()   # an unreadable keyword file stops the run before it starts
    flags = {k: True for k, v in (("retry_failed", retry_failed), ("refind", refind_all),
                                  ("follow_links", follow_links)) if v}
    boundary = Boundary([root for root, only in roots if only is None], follow_links)
    with recorded_run(con, "discover", args or {"paths": [r for r, _ in roots], **flags}) as run:
        scanner = Scanner(con, run.run_id, submit=submit, max_in_flight=max_in_flight, progress=progress,
                          limits=limits, timeout=timeout, retry_failed=retry_failed)
        for root, only in roots:
            scanner.files(root, walk(root, only, boundary))
            scanner.drain(0)
            with transaction(con):
                scanner.summary.missing += mark_missing(con, run.run_id, root, only)
        scanner.search_again(force=refind_all, workers=refind_workers)
        run.summary = scanner.summary.as_json()
    return scanner.summary


def scan_files(con: duckdb.DuckDBPyConnection, refs: list[FileRef], *, kind: str = "scan", args: dict | None = None,
               submit: SubmitFn | None = None, max_in_flight: int = 8, limits: Limits | None = None,
               timeout: float | None = None) -> ScanSummary:
    """Scan files that were not found by walking a folder (documents a crawl downloaded), as a run
    of kind `kind`: the same change detection, workers and limits as an archive; each file keeps
    the root, path and origin it is given. Files not given are not marked missing."""
    with recorded_run(con, kind, args or {"files": len(refs)}) as run:
        scanner = Scanner(con, run.run_id, submit=submit, max_in_flight=max_in_flight, limits=limits,
                          timeout=timeout)
        by_root: dict[str, list[FileRef]] = {}
        for ref in refs:
            by_root.setdefault(ref.root, []).append(ref)
        for root, group in sorted(by_root.items()):
            scanner.files(root, group)
            scanner.drain(0)
        run.summary = scanner.summary.as_json()
    return scanner.summary
