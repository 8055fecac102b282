"""Scanning a contract archive: walk → (change detection) → extract → find → store.

Plain functions, callable without Prefect; `flows/discover.py` orchestrates them. Extraction and
keyword finding run in worker processes (`extract_file`, picklable input and output); everything that
touches the database runs in the calling process, the single writer, one transaction per few batches
(`WRITE_FILES`), so a killed run leaves only whole batches behind and the next run finishes the rest.

Change detection, cheapest first: a path whose size and mtime are unchanged and whose content is
stored is not read at all; otherwise its sha256 is computed, and content already stored under that
hash (a renamed, copied or touched file) is linked without being extracted again. A file that went
over the time limit or crashed its reader is stored as such a content too, so it is not tried again
while unchanged (`tuscan.failures`). After the files, hits found with another keyword file are found
again from the stored text (`tuscan.refind`).

A file that changes or disappears between the walk and the read is not stored half-read: it gets a
read error now and is read again on the next run (see `_changed_since_walk`). Stored paths are NFC
(archives copied from a Mac have NFD names) with CPR numbers masked (`tuscan.privacy.mask_path`);
the real name is kept only in memory, to open the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import stat
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import NamedTuple

import duckdb

from extractors import Limits, extract
from extractors.base import CONTAINER, ERROR, OK, Extraction
from extractors.keywords import Hit, Keywords, find_hits, prepare_text
from tuscan.errors import NoSuchPath
from tuscan.failures import classify_failure, should_retry
from tuscan.privacy import mask_cpr, mask_name, mask_path
from tuscan.refind import Refound, active_keywords, refind
from tuscan.runs import finish_run, start_run

BATCH_FILES = 32          # files per worker task: amortises task overhead, keeps results small
BATCH_BYTES = 64 << 20    # … or fewer files when they are large
# The writer stores the results of several batches in one transaction: each statement costs DuckDB
# 2–4 ms whether it carries 32 rows or 256 (profiled, bench/results.md), and the writer's CPU is
# taken from the workers. Bounded in files, text and time, so memory stays flat, progress keeps
# moving and a killed run loses only the last few seconds.
WRITE_FILES = 256
WRITE_TEXT_CHARS = 8 << 20
WRITE_SECONDS = 2.0
LOOKUP_CHUNK = 512        # paths looked up in the database per query


# ---------------------------------------------------------------------------------------------
# What moves between the walker, the workers and the writer


@dataclass
class FileRef:
    """A file found by the walker."""

    root: str          # the scanned root folder, absolute
    path: str          # relative to root, '/' separators, as stored: printable, NFC, CPR masked
    abs_path: str      # what to open (the real name)
    size: int
    mtime: float
    read_error: str | None = None  # the walker could not stat or open it


@dataclass
class ContentResult:
    """One file's (or zip member's) content, extracted and searched, ready to store."""

    sha256: str
    size: int
    status: str
    error: str | None
    extractor: str | None
    title: str | None
    pages: list[tuple[int, str, bool, float | None]]  # (page, text, ocr, ocr_confidence)
    hits: list[Hit]
    members: list[tuple[str, ContentResult]] = field(default_factory=list)
    keywords_version: str | None = None  # fingerprint of the keyword file the hits were found with
    read_failure: str | None = None      # 'timeout' or 'crash': not read (tuscan.failures)
    read_timeout: float | None = None    # for 'timeout': the time limit it went over


@dataclass
class ScanSummary:
    run_id: int
    files_seen: int = 0
    extracted: int = 0
    linked: int = 0          # known content under a new path or changed mtime
    unchanged: int = 0
    read_errors: int = 0
    missing: int = 0
    pages: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    skipped_failed: int = 0  # not tried: timed out or crashed a reader before, unchanged (also in unchanged/linked)
    refound: int = 0         # stored contents whose hits were found again (keyword file changed, or --refind)
    refound_changed: int = 0  # … of which the hits changed


ProgressFn = Callable[[ScanSummary, FileRef | None], None]
SubmitFn = Callable[[list[tuple[str, str, int]]], "Future[list[ContentResult | str]]"]


# ---------------------------------------------------------------------------------------------
# Walking


def printable(path: str) -> str:
    """A path as stored and shown: undecodable bytes in file names become \\xNN escapes."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


VANISHED = "file disappeared during the scan (it was listed, then gone before it was read)"
CHANGED = "file changed while it was read; will be read again next run"
SYMLINKED_FOLDER = ("symbolic link to a folder; not followed (avoids loops and scanning a folder twice)"
                    " — scan its target directly if it belongs to the archive")


def stored_names(names: list[str]) -> dict[str, str]:
    """Real name → stored name for the entries of one folder: printable, NFC, CPR masked.

    A name is NFC-normalised unless the folder also holds its NFC spelling as a separate entry
    (possible on Linux): then both keep their own spelling, so neither overwrites the other."""
    real = set(names)
    shown = {}
    for name in names:
        text = printable(name)
        nfc = unicodedata.normalize("NFC", text)
        if nfc != text and nfc in real:
            nfc = text
        shown[name] = mask_name(nfc)
    return shown


def stored_path(rel: str) -> str:
    """A relative path ('/' separators) as stored, for paths not listed by `walk` folder by folder."""
    return "/".join(stored_names([part])[part] for part in rel.split("/"))


def resolve_roots(paths: Iterable[str | os.PathLike]) -> list[tuple[str, str | None]]:
    """(root folder, single file name or None) for each path to scan; raises for a missing path."""
    roots = []
    for p in paths:
        ap = os.path.abspath(os.fspath(p))
        if os.path.isdir(ap):
            roots.append((ap, None))
        elif os.path.exists(ap):
            roots.append((os.path.dirname(ap), os.path.basename(ap)))
        else:
            raise NoSuchPath(f"{p}: no such file or folder")
    return roots


def walk(root: str, only: str | None = None) -> Iterator[FileRef]:
    """Yield every regular file under root (or just `only`), in a stable order, without following
    symlinked folders (no loops). Problems become FileRefs with a read_error, never exceptions."""
    if only is not None:
        yield _file_ref(root, os.path.join(root, only), stored_path(only))
        return
    errors: list[OSError] = []
    shown_folder = {root: ""}          # real folder → its stored relative path
    for folder, dirs, files in os.walk(root, onerror=errors.append):
        prefix = shown_folder.get(folder)
        if prefix is None:             # not reached through a listed name (cannot happen; be safe)
            prefix = stored_path(os.path.relpath(folder, root).replace(os.sep, "/"))
        shown = stored_names(dirs + files)
        dirs.sort()
        for name in list(dirs):
            abs_path = os.path.join(folder, name)
            rel = prefix + shown[name]
            if os.path.islink(abs_path):
                dirs.remove(name)
                yield FileRef(root, rel, abs_path, 0, 0.0, SYMLINKED_FOLDER)
            else:
                shown_folder[abs_path] = rel + "/"
        for name in sorted(files):
            yield _file_ref(root, os.path.join(folder, name), prefix + shown[name])
        yield from _folder_errors(root, errors, shown_folder)
    # os.walk reports a folder it cannot list only when it tries to, which may be after the last
    # folder it could list: collect those too.
    yield from _folder_errors(root, errors, shown_folder)


def _folder_errors(root: str, errors: list[OSError], shown_folder: dict[str, str]) -> Iterator[FileRef]:
    while errors:
        err = errors.pop(0)
        failed = err.filename or root
        rel = shown_folder.get(failed, "").rstrip("/") or stored_path(
            os.path.relpath(failed, root).replace(os.sep, "/"))
        yield FileRef(root, rel, failed, 0, 0.0, f"folder could not be read: {err.strerror or err}")


def _file_ref(root: str, abs_path: str, rel: str) -> FileRef:
    try:
        st = os.stat(abs_path)
    except FileNotFoundError:
        reason = "symlink loop or broken link" if os.path.islink(abs_path) else VANISHED
        return FileRef(root, rel, abs_path, 0, 0.0, f"file could not be read: {reason}")
    except OSError as exc:
        reason = "symlink loop or broken link" if os.path.islink(abs_path) else (exc.strerror or str(exc))
        return FileRef(root, rel, abs_path, 0, 0.0, f"file could not be read: {reason}")
    if not stat.S_ISREG(st.st_mode):
        return FileRef(root, rel, abs_path, 0, 0.0, "not a regular file (device, socket or pipe)")
    return FileRef(root, rel, abs_path, st.st_size, st.st_mtime)


def _changed_since_walk(ref: FileRef, size_read: int | None = None, read_limit: int | None = None) -> str | None:
    """Why the file as read may not be the file the walk listed (changed or gone), or None.

    Compared after reading, so a file being written while tuscan reads it (a copy into the archive
    that is still running) is not stored half-written; the next run reads it whole. A file over
    `read_limit` (Limits.max_file_bytes in effect) was read only in part, on purpose."""
    try:
        st = os.stat(ref.abs_path)
    except FileNotFoundError:
        return VANISHED
    except OSError as exc:
        return f"file could not be read: {exc.strerror or exc}"
    if st.st_size != ref.size or st.st_mtime != ref.mtime:
        return CHANGED
    limit = read_limit if read_limit is not None else Limits().max_file_bytes
    if size_read is not None and size_read != ref.size and ref.size <= limit:
        return CHANGED
    return None


# ---------------------------------------------------------------------------------------------
# Worker side: file → ContentResult (runs in worker processes; never touches the database)


def sha256_file(abs_path: str) -> str:
    digest = hashlib.sha256()
    with open(abs_path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def content_result(sha256: str, size: int, extraction: Extraction,
                   keywords: tuple[str, Keywords] | None = None) -> ContentResult:
    """Prepare pages (NFC, CPR masked) and find hits for one extraction, members included.
    `keywords`: (fingerprint, keywords) to search with; default the keyword file in effect."""
    fingerprint, compiled = keywords or active_keywords()
    pages, hits = [], []
    for page in extraction.pages:
        text = prepare_text(page.text)
        pages.append((page.number, text, page.ocr, page.ocr_confidence))
        hits.extend(find_hits(text, page.number, compiled))
    members = [
        (m.name, content_result(m.sha256 or _unread_member_key(sha256, m.name, m.extraction), m.size,
                                m.extraction, (fingerprint, compiled)))
        for m in extraction.members
    ]
    status = extraction.status
    return ContentResult(sha256, size, status, extraction.error, extraction.extractor,
                         extraction.title, pages, hits, members, keywords_version=fingerprint)


def failed_content(sha256: str, size: int, reason: str, failure: tuple[str, float | None],
                   keywords_version: str) -> ContentResult:
    """The record of a file that went over the time limit or crashed its reader: an error content
    under the hash the writer computed, so an unchanged file is not tried again (tuscan.failures)."""
    kind, seconds = failure
    return ContentResult(sha256, size, ERROR, reason, None, None, [], [], keywords_version=keywords_version,
                         read_failure=kind, read_timeout=seconds)


def _unread_member_key(container_sha: str, name: str, extraction: Extraction) -> str:
    """A zip member that could not be read (encrypted, over a limit) has no content hash; key its
    record by container, name and reason so two such members never collapse into one."""
    return "unread:" + hashlib.sha256(f"{container_sha}/{name}/{extraction.error}".encode()).hexdigest()


def extract_file(abs_path: str, name: str, limits: Limits | None = None) -> ContentResult | str:
    """Read, hash, extract and search one file. Returns the result, or a string: the reason the
    file could not be read (it changed, vanished or is not readable)."""
    limits = limits or Limits()
    try:
        with open(abs_path, "rb") as fh:
            data = fh.read(limits.max_file_bytes + 1)
    except FileNotFoundError:
        return VANISHED
    except OSError as exc:
        return f"file could not be read: {exc.strerror or exc}"
    sha = hashlib.sha256(data).hexdigest()
    extraction = extract(data, name, limits)
    return content_result(sha, len(data), extraction)


def extract_batch(items: list[tuple[str, str, int]], limits: Limits | None = None) -> list[ContentResult | str]:
    """Worker task: extract a batch of (abs_path, name, size) files."""
    return [extract_file(abs_path, name, limits) for abs_path, name, _size in items]


# ---------------------------------------------------------------------------------------------
# Writer side


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Bulk insert through UNNEST of column lists (orders of magnitude faster than executemany)."""
    if not rows:
        return
    cols = list(zip(*rows, strict=True))
    select = ", ".join("unnest(?)" for _ in columns)
    quoted = ", ".join(f'"{c}"' for c in columns)
    con.execute(f"INSERT INTO {table} ({quoted}) SELECT {select}", [list(c) for c in cols])


def insert_pages(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """Bulk insert of (sha256, page, text, ocr, ocr_confidence) rows through NumPy arrays: DuckDB
    takes page text from an object array 3× faster than from a list parameter (profiled: the page
    text is most of what a scan stores)."""
    if not rows:
        return
    # Imported here, not at the top: worker processes and start-up do not need it.
    import numpy as np

    sha256, page, text, ocr, confidence = zip(*rows, strict=True)
    con.register("_pages_batch", {
        "sha256": np.array(sha256, dtype=object), "page": np.array(page, dtype=np.int64),
        "text": np.array(text, dtype=object), "ocr": np.array(ocr, dtype=bool),
        "ocr_confidence": np.array(confidence, dtype=object),
    })
    try:
        con.execute("INSERT INTO pages (sha256, page, text, ocr, ocr_confidence)"
                    " SELECT sha256, page, text, ocr, ocr_confidence FROM _pages_batch")
    finally:
        con.unregister("_pages_batch")


def _flatten(content: ContentResult, prefix: str = "") -> Iterator[tuple[str, ContentResult]]:
    """(member path inside the outermost container, content) for every nested member."""
    for name, member in content.members:
        full = f"{prefix}{name}"
        yield full, member
        yield from _flatten(member, f"{full}!")


def _text_chars(content: ContentResult) -> int:
    return sum(len(p[1]) for p in content.pages) + sum(_text_chars(m) for _, m in content.members)


class ContentRows:
    """Rows of new contents collected over a batch, written with one INSERT per table.

    `failed`: stored failure records (sha256 → the run that recorded it) that a fresh result may
    replace: any result from a later run, or a successful read in the same run."""

    def __init__(self, failed: dict[str, int] | None = None) -> None:
        self.contents: list[tuple] = []
        self.pages: list[tuple] = []
        self.hits: list[tuple] = []
        self.members: list[tuple] = []
        self.failed = dict(failed or {})
        self.replaced: list[str] = []

    def add(self, content: ContentResult, run_id: int, known: set[str]) -> bool:
        """Collect a content (and its members) unless its hash is stored already. True if new."""
        if content.sha256 in known:
            failed_in = self.failed.get(content.sha256)
            if failed_in is None or (failed_in == run_id and content.read_failure is not None):
                return False
            del self.failed[content.sha256]
            self.replaced.append(content.sha256)   # deleted in write(), right before its new row
        known.add(content.sha256)
        ocr_pages = [p for p in content.pages if p[2]]
        confidence = sum(p[3] or 0 for p in ocr_pages) / len(ocr_pages) if ocr_pages else None
        self.contents.append((
            content.sha256, content.size, content.status, mask_cpr(content.error), content.extractor,
            sum(1 for p in content.pages if p[1].strip()), len(ocr_pages), confidence,
            mask_cpr(content.title), run_id, content.keywords_version, content.read_failure, content.read_timeout,
        ))
        self.pages.extend((content.sha256, n, text, ocr, conf) for n, text, ocr, conf in content.pages)
        ocr_by_page = {p[0] for p in ocr_pages}
        self.hits.extend(
            (content.sha256, h.page, h.offset, h.length, h.term, h.group, h.matched, h.snippet, h.login,
             h.excluded_by, h.page in ocr_by_page)
            for h in content.hits
        )
        self.members.extend(
            (content.sha256, mask_path(unicodedata.normalize("NFC", name)), m.sha256, m.size)
            for name, m in _flatten(content)
        )
        for _name, member in content.members:
            self.add(member, run_id, known)
        return True

    def write(self, con: duckdb.DuckDBPyConnection) -> None:
        if self.replaced:   # failure records only: they have no pages, hits or members
            con.execute("DELETE FROM contents WHERE read_failure IS NOT NULL AND sha256 IN (SELECT unnest(?))",
                        [self.replaced])
        insert_rows(con, "contents", ["sha256", "size", "status", "error", "extractor", "page_count", "ocr_pages",
                                      "ocr_confidence", "title", "extracted_run", "keywords_version",
                                      "read_failure", "read_timeout"], self.contents)
        insert_pages(con, self.pages)
        insert_rows(con, "hits", ["sha256", "page", "offset", "length", "term", "term_group", "matched", "snippet",
                                  "login", "excluded_by", "ocr"], self.hits)
        insert_rows(con, "members", ["container_sha256", "name", "sha256", "size"], self.members)


# (root, path, size, mtime, sha256, read_error, container, origin)
DocumentRow = tuple[str, str, int, float, "str | None", "str | None", "str | None", str]


def upsert_documents(con: duckdb.DuckDBPyConnection, run_id: int, rows: list[DocumentRow]) -> None:
    """Insert or update documents by (root, path) in one statement; first_seen_run is kept."""
    if not rows:
        return
    rows = [(r[0], r[1], r[2], r[3], r[4], mask_cpr(r[5]), r[6], r[7]) for r in rows]
    cols = [list(c) for c in zip(*rows, strict=True)]
    con.execute(
        """
        INSERT INTO documents (root, path, size, mtime, sha256, read_error, container, origin,
                               first_seen_run, last_seen_run)
        SELECT unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), ?, ?
        ON CONFLICT (root, path) DO UPDATE SET
            size = excluded.size, mtime = excluded.mtime, sha256 = excluded.sha256,
            read_error = excluded.read_error, container = excluded.container, origin = excluded.origin,
            last_seen_run = excluded.last_seen_run, missing_since_run = NULL
        """,
        [*cols, run_id, run_id],
    )


def member_rows(con: duckdb.DuckDBPyConnection, containers: list[tuple[FileRef, str]], origin: str = "archive"
                ) -> list[DocumentRow]:
    """Document rows for the members of containers (FileRef, container sha256), from `members`."""
    if not containers:
        return []
    by_sha: dict[str, list[tuple[str, str, int]]] = {}
    for container_sha, name, member_sha, size in con.execute(
        "SELECT container_sha256, name, sha256, size FROM members WHERE container_sha256 IN (SELECT unnest(?))"
        " ORDER BY name", [sorted({sha for _, sha in containers})]
    ).fetchall():
        by_sha.setdefault(container_sha, []).append((name, member_sha, size))
    return [(ref.root, f"{ref.path}!{name}", size, ref.mtime, member_sha, None, ref.path, origin)
            for ref, sha in containers for name, member_sha, size in by_sha.get(sha, [])]


def mark_gone_members(con: duckdb.DuckDBPyConnection, run_id: int, containers: list[FileRef]) -> None:
    """Members that were in an earlier version of a zip but are not any more."""
    for root in sorted({ref.root for ref in containers}):
        con.execute(
            "UPDATE documents SET missing_since_run = ? WHERE root = ? AND container IN (SELECT unnest(?))"
            " AND last_seen_run < ? AND missing_since_run IS NULL",
            [run_id, root, [ref.path for ref in containers if ref.root == root], run_id],
        )


Outcome = tuple[FileRef, "ContentResult | None", "str | None"]   # (file, content, read error)


def record_batch(con: duckdb.DuckDBPyConnection, run_id: int, outcomes: list[Outcome], known: set[str],
                 origin: str = "archive") -> int:
    """Store the outcomes of a batch of files with a handful of statements. Returns new contents.

    A fresh result for content stored as a failure (a retried file) replaces that record."""
    # Successes first: a content read in this batch wins over a failure of the same bytes in it.
    contents = sorted((c for _, c, _ in outcomes if c is not None), key=lambda c: c.read_failure is not None)
    hashes = [c.sha256 for c in contents] + [m.sha256 for c in contents for _, m in _flatten(c)]
    stored = _stored_statuses(con, sorted(set(hashes)))
    known.update(stored)
    rows = ContentRows({sha: c.extracted_run for sha, c in stored.items() if c.read_failure is not None})
    new = sum(rows.add(c, run_id, known) for c in contents)
    rows.write(con)
    documents: list[DocumentRow] = [
        (ref.root, ref.path, ref.size, ref.mtime, c.sha256 if c else None, err, None, origin)
        for ref, c, err in outcomes
    ]
    containers = [(ref, c.sha256) for ref, c, _ in outcomes if c is not None and c.status == CONTAINER]
    upsert_documents(con, run_id, documents + member_rows(con, containers, origin))
    mark_gone_members(con, run_id, [ref for ref, _ in containers])
    return new


def record_file(con: duckdb.DuckDBPyConnection, run_id: int, ref: FileRef, content: ContentResult | None,
                read_error: str | None, known: set[str], origin: str = "archive") -> bool:
    """Store one file's outcome. Returns True when content was newly stored."""
    return record_batch(con, run_id, [(ref, content, read_error)], known, origin) > 0


class StoredContent(NamedTuple):
    status: str
    read_failure: str | None      # 'timeout' or 'crash': a failure record (tuscan.failures)
    read_timeout: float | None
    extracted_run: int | None


class StoredDocument(NamedTuple):
    size: int
    mtime: float
    sha256: str | None
    read_error: str | None
    content: StoredContent | None   # None: no content stored under sha256


def _lookup(con: duckdb.DuckDBPyConnection, root: str, paths: list[str]) -> dict[str, StoredDocument]:
    rows = con.execute(
        "SELECT d.path, d.size, d.mtime, d.sha256, d.read_error,"
        " c.status, c.read_failure, c.read_timeout, c.extracted_run FROM documents d"
        " LEFT JOIN contents c ON c.sha256 = d.sha256"
        " WHERE d.root = ? AND d.path IN (SELECT unnest(?))",
        [root, paths],
    ).fetchall()
    return {r[0]: StoredDocument(*r[1:5], StoredContent(*r[5:]) if r[5] else None) for r in rows}


def _stored_statuses(con: duckdb.DuckDBPyConnection, hashes: list[str]) -> dict[str, StoredContent]:
    """sha256 → what is stored, for the hashes whose content is already stored."""
    if not hashes:
        return {}
    return {r[0]: StoredContent(*r[1:]) for r in con.execute(
        "SELECT sha256, status, read_failure, read_timeout, extracted_run FROM contents"
        " WHERE sha256 IN (SELECT unnest(?))", [hashes]).fetchall()}


def _touch(con: duckdb.DuckDBPyConnection, run_id: int, root: str, paths: list[str]) -> None:
    """Mark unchanged files (and the members of unchanged zips) as seen in this run."""
    if not paths:
        return
    con.execute(
        "UPDATE documents SET last_seen_run = ?, missing_since_run = NULL"
        " WHERE root = ? AND (path IN (SELECT unnest(?)) OR container IN (SELECT unnest(?)))"
        " AND (missing_since_run IS NULL OR path IN (SELECT unnest(?)) OR container IN (SELECT unnest(?)))",
        [run_id, root, paths, paths, paths, paths],
    )


def mark_missing(con: duckdb.DuckDBPyConnection, run_id: int, root: str, only: str | None) -> int:
    """Files under root not seen in this (complete) run are marked missing, never deleted."""
    scope = "AND (path = ? OR container = ?)" if only else ""
    params = [run_id, root, run_id] + ([only, only] if only else [])
    return con.execute(
        "UPDATE documents SET missing_since_run = ? WHERE root = ? AND last_seen_run < ?"
        f" AND missing_since_run IS NULL {scope}",
        params,
    ).fetchone()[0]


# ---------------------------------------------------------------------------------------------
# The pipeline


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
) -> ScanSummary:
    """Scan folders, files and zip archives into the database open on `con`.

    `submit(batch)` hands a batch of (abs_path, name, size) to a worker and returns a future of
    `extract_batch(batch)`; without it, extraction runs in this process. Results are stored in
    submission order, at most `max_in_flight` batches ahead, so memory stays bounded.

    `timeout`: the per-document time limit the runner enforces (None: none), `retry_failed`: try
    files that timed out or crashed before (see tuscan.failures); `refind_all`: find the hits of
    every stored content again, not only of those found with another keyword file (tuscan.refind),
    in `refind_workers` processes when there are many pages."""
    roots = resolve_roots(paths)
    read_limit = (limits or Limits()).max_file_bytes
    fingerprint, _keywords = active_keywords()   # an unreadable keyword file stops the run before it starts
    flags = {k: True for k, v in (("retry_failed", retry_failed), ("refind", refind_all)) if v}
    run_id = start_run(con, "discover", args or {"paths": [r for r, _ in roots], **flags})
    summary = ScanSummary(run_id)
    known: set[str] = set()
    pending: deque[tuple[list[FileRef], list[str], Future | list]] = deque()
    ready: list[Outcome] = []            # results not yet written
    ready_chars = 0
    last_write = time.monotonic()

    def write_ready() -> None:
        nonlocal ready_chars, last_write
        if ready:
            con.execute("BEGIN")
            record_batch(con, run_id, ready, known)
            con.execute("COMMIT")
            ready.clear()
        ready_chars, last_write = 0, time.monotonic()

    def retry(content: StoredContent) -> bool:
        """A failure record whose file is to be read again. Never twice in one run: a copy of a file
        that failed a moment ago gets the same record."""
        return (content.read_failure is not None and content.extracted_run != run_id
                and should_retry(content.read_failure, content.read_timeout, timeout=timeout,
                                 retry_failed=retry_failed))

    def drain(limit: int) -> None:
        nonlocal ready_chars
        while len(pending) > limit:
            batch, shas, future = pending.popleft()
            results = future if isinstance(future, list) else future.result()
            outcomes: list[Outcome] = []
            for ref, sha, result in zip(batch, shas, results, strict=True):
                if not isinstance(result, str):
                    result = _changed_since_walk(ref, result.size, read_limit) or result
                elif failure := classify_failure(result):
                    # Timed out or crashed the reader: remembered by content, unless the file changed
                    # meanwhile (then the hash is not the one that failed; read it next run).
                    result = _changed_since_walk(ref) or failed_content(sha, ref.size, result, failure, fingerprint)
                if isinstance(result, str):
                    outcomes.append((ref, None, result))
                    summary.read_errors += 1
                elif result.read_failure:
                    # The path keeps the reason too: if the same bytes were read fine elsewhere, that
                    # content is stored and this record is not, but this path still failed this run.
                    outcomes.append((ref, result, result.error))
                    summary.read_errors += 1
                else:
                    outcomes.append((ref, result, None))
                    summary.extracted += 1
                    summary.pages += len(result.pages)
                    summary.by_status[result.status] = summary.by_status.get(result.status, 0) + 1
            ready.extend(outcomes)
            ready_chars += sum(_text_chars(c) for _, c, _ in outcomes if c)
            if (len(ready) >= WRITE_FILES or ready_chars >= WRITE_TEXT_CHARS
                    or time.monotonic() - last_write >= WRITE_SECONDS):
                write_ready()
            if progress:
                progress(summary, batch[-1])
        if limit == 0:
            write_ready()

    def refound(done: Refound) -> None:
        summary.refound, summary.refound_changed = done.contents, done.changed
        if progress:
            progress(summary, None)

    try:
        for root, only in roots:
            for chunk in _chunks(walk(root, only), LOOKUP_CHUNK):
                write_ready()   # what is read is stored before looking up: a copy is linked, not read again
                stored = _lookup(con, root, [r.path for r in chunk])
                unchanged, to_hash = [], []
                con.execute("BEGIN")
                failed: list[Outcome] = []
                for ref in chunk:
                    summary.files_seen += 1
                    if ref.read_error:
                        failed.append((ref, None, ref.read_error))
                        continue
                    old = stored.get(ref.path)
                    # Unchanged: same size and mtime, content stored, and no error on the path other
                    # than the content's own failure record (tuscan.failures).
                    if (old and old.size == ref.size and old.mtime == ref.mtime and old.content
                            and (old.read_error is None or old.content.read_failure is not None)):
                        if retry(old.content):
                            to_hash.append(ref)           # failed before: try again
                        else:
                            unchanged.append(ref.path)
                            summary.skipped_failed += old.content.read_failure is not None
                    else:
                        to_hash.append(ref)
                _touch(con, run_id, root, unchanged)
                summary.unchanged += len(unchanged)
                # Changed or new: hash, and link content that is already stored.
                hashes: dict[str, str] = {}
                for ref in to_hash:
                    try:
                        sha = sha256_file(ref.abs_path)
                        problem = _changed_since_walk(ref)
                    except FileNotFoundError:
                        problem = VANISHED
                    except OSError as exc:
                        problem = f"file could not be read: {exc.strerror or exc}"
                    if problem:
                        failed.append((ref, None, problem))
                    else:
                        hashes[ref.path] = sha
                summary.read_errors += len(failed)
                record_batch(con, run_id, failed, known)
                present = {sha: c for sha, c in _stored_statuses(con, list(hashes.values())).items()
                           if not retry(c)}
                linked = [ref for ref in to_hash if hashes.get(ref.path) in present]
                to_extract = [ref for ref in to_hash if ref.path in hashes and hashes[ref.path] not in present]
                containers = [(ref, hashes[ref.path]) for ref in linked
                              if present[hashes[ref.path]].status == CONTAINER]
                upsert_documents(
                    con, run_id,
                    [(r.root, r.path, r.size, r.mtime, hashes[r.path], None, None, "archive") for r in linked]
                    + member_rows(con, containers),
                )
                mark_gone_members(con, run_id, [ref for ref, _ in containers])
                summary.linked += len(linked)
                summary.skipped_failed += sum(1 for ref in linked if present[hashes[ref.path]].read_failure)
                con.execute("COMMIT")
                if progress and (unchanged or not to_extract):
                    progress(summary, None)
                for batch in _batches(to_extract):
                    items = [(r.abs_path, r.path, r.size) for r in batch]
                    pending.append((batch, [hashes[r.path] for r in batch],
                                    submit(items) if submit else extract_batch(items, limits)))
                    drain(max_in_flight)
            drain(0)
            con.execute("BEGIN")
            summary.missing += mark_missing(con, run_id, root, only)
            con.execute("COMMIT")
        # Text read before the keyword file changed (or read by a worker with another keyword file):
        # its hits are found again from the stored pages, in batches of their own.
        done = refind(con, force=refind_all, progress=refound, workers=refind_workers)
        summary.refound, summary.refound_changed = done.contents, done.changed
        finish_run(con, run_id, "finished", summary=_summary_json(summary))
    except BaseException as exc:
        with contextlib.suppress(duckdb.Error):  # no transaction open is fine
            con.execute("ROLLBACK")
        status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
        finish_run(con, run_id, status, error=f"{type(exc).__name__}: {exc}")
        raise
    return summary


def _summary_json(s: ScanSummary) -> dict:
    return {
        "files_seen": s.files_seen, "extracted": s.extracted, "linked": s.linked,
        "unchanged": s.unchanged, "read_errors": s.read_errors, "missing": s.missing,
        "pages": s.pages, "by_status": s.by_status, "skipped_failed": s.skipped_failed,
        "refound": s.refound, "refound_changed": s.refound_changed, "host": socket.gethostname(),
    }


__all__ = ["scan", "walk", "extract_file", "extract_batch", "FileRef", "ContentResult", "ScanSummary", "OK"]
