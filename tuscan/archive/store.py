"""The writer side of a scan: outcomes → `contents`, `pages`, `hits`, `members`, `documents`.

Runs in the one process that holds the database. Text and hits belong to a file's content (sha256);
documents are paths pointing at content, so a renamed or copied file keeps its findings without
being read again. Rows are written a batch at a time with a handful of statements (each statement
costs DuckDB a few milliseconds whatever its size). The caller holds the transaction.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

import duckdb

from tuscan.archive.outcome import ContentResult, ReadFailure
from tuscan.archive.walk import FileRef
from tuscan.db import insert_rows
from tuscan.privacy import mask_cpr, mask_path


class Outcome(NamedTuple):
    """One file's result in a scan: its content, or why it was not read (or both, for a failure
    record stored under the file's hash)."""

    ref: FileRef
    content: ContentResult | None
    error: str | None


def insert_pages(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """Bulk insert of (sha256, page, text, ocr, ocr_confidence) rows: the page text is most of what
    a scan stores."""
    insert_rows(con, "pages", ["sha256", "page", "text", "ocr", "ocr_confidence"], rows)


def flatten(content: ContentResult, prefix: str = "") -> Iterator[tuple[str, ContentResult]]:
    """(member path inside the outermost container, content) for every nested member."""
    for name, member in content.members:
        full = f"{prefix}{name}"
        yield full, member
        yield from flatten(member, f"{full}!")


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
        ocr_pages = [p for p in content.pages if p.ocr]
        confidence = sum(p.ocr_confidence or 0 for p in ocr_pages) / len(ocr_pages) if ocr_pages else None
        self.contents.append((
            content.sha256, content.size, content.status, mask_cpr(content.error), content.extractor,
            sum(1 for p in content.pages if p.text.strip()), len(ocr_pages), confidence,
            mask_cpr(content.title), run_id, content.keywords_version, content.read_failure, content.read_timeout,
        ))
        self.pages.extend((content.sha256, p.number, p.text, p.ocr, p.ocr_confidence) for p in content.pages)
        ocr_by_page = {p.number for p in ocr_pages}
        self.hits.extend(
            (content.sha256, h.page, h.offset, h.length, h.term, h.group, h.matched, h.snippet, h.login,
             h.excluded_by, h.page in ocr_by_page)
            for h in content.hits
        )
        self.members.extend(
            (content.sha256, mask_path(unicodedata.normalize("NFC", name)), m.sha256, m.size)
            for name, m in flatten(content)
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


class DocumentRow(NamedTuple):
    root: str
    path: str
    size: int
    mtime: float
    sha256: str | None
    read_error: str | None
    container: str | None
    origin: str
    skipped: bool = False


def document_row(ref: FileRef, sha256: str | None, read_error: str | None = None) -> DocumentRow:
    return DocumentRow(ref.root, ref.path, ref.size, ref.mtime, sha256, read_error, None, ref.origin, ref.skipped)


def upsert_documents(con: duckdb.DuckDBPyConnection, run_id: int, rows: list[DocumentRow]) -> None:
    """Insert or update documents by (root, path) in one statement; first_seen_run is kept."""
    if not rows:
        return
    rows = [r._replace(read_error=mask_cpr(r.read_error)) for r in rows]
    cols = [list(c) for c in zip(*rows, strict=True)]
    con.execute(
        """
        INSERT INTO documents (root, path, size, mtime, sha256, read_error, container, origin, skipped,
                               first_seen_run, last_seen_run)
        SELECT unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), unnest(?),
               ?, ?
        ON CONFLICT (root, path) DO UPDATE SET
            size = excluded.size, mtime = excluded.mtime, sha256 = excluded.sha256,
            read_error = excluded.read_error, container = excluded.container, origin = excluded.origin,
            skipped = excluded.skipped, last_seen_run = excluded.last_seen_run, missing_since_run = NULL
        """,
        [*cols, run_id, run_id],
    )


def member_rows(con: duckdb.DuckDBPyConnection, containers: list[tuple[FileRef, str]]) -> list[DocumentRow]:
    """Document rows for the members of contents that have members (zip archives, e-mails with
    attachments), from the `members` table: (FileRef, content sha256) pairs."""
    if not containers:
        return []
    by_sha: dict[str, list[tuple[str, str, int]]] = {}
    for container_sha, name, member_sha, size in con.execute(
        "SELECT container_sha256, name, sha256, size FROM members WHERE container_sha256 IN (SELECT unnest(?))"
        " ORDER BY name", [sorted({sha for _, sha in containers})]
    ).fetchall():
        by_sha.setdefault(container_sha, []).append((name, member_sha, size))
    return [DocumentRow(ref.root, f"{ref.path}!{name}", size, ref.mtime, member_sha, None, ref.path, ref.origin)
            for ref, sha in containers for name, member_sha, size in by_sha.get(sha, [])]


def mark_gone_members(con: duckdb.DuckDBPyConnection, run_id: int, containers: list[FileRef]) -> None:
    """Members that were in an earlier version of a container but are not any more."""
    for root in sorted({ref.root for ref in containers}):
        con.execute(
            "UPDATE documents SET missing_since_run = ? WHERE root = ? AND container IN (SELECT unnest(?))"
            " AND last_seen_run < ? AND missing_since_run IS NULL",
            [run_id, root, [ref.path for ref in containers if ref.root == root], run_id],
        )


def link_documents(con: duckdb.DuckDBPyConnection, run_id: int, linked: list[tuple[FileRef, str]]) -> None:
    """Paths whose content is already stored (copies, renames, touched files): document rows
    pointing at that content, its members listed again under the new path."""
    upsert_documents(con, run_id, [document_row(ref, sha) for ref, sha in linked] + member_rows(con, linked))
    mark_gone_members(con, run_id, [ref for ref, _ in linked])


def record_batch(con: duckdb.DuckDBPyConnection, run_id: int, outcomes: list[Outcome], known: set[str]) -> int:
    """Store the outcomes of a batch of files with a handful of statements. Returns new contents.

    A fresh result for content stored as a failure (a retried file) replaces that record."""
    # Successes first: a content read in this batch wins over a failure of the same bytes in it.
    contents = sorted((o.content for o in outcomes if o.content is not None),
                      key=lambda c: c.read_failure is not None)
    hashes = [c.sha256 for c in contents] + [m.sha256 for c in contents for _, m in flatten(c)]
    stored = stored_contents(con, sorted(set(hashes)))
    known.update(stored)
    rows = ContentRows({sha: c.extracted_run for sha, c in stored.items() if c.read_failure is not None})
    new = sum(rows.add(c, run_id, known) for c in contents)
    rows.write(con)
    read = [(o.ref, o.content.sha256) for o in outcomes if o.content is not None]
    upsert_documents(con, run_id, [document_row(o.ref, o.content.sha256 if o.content else None, o.error)
                                   for o in outcomes] + member_rows(con, read))
    mark_gone_members(con, run_id, [ref for ref, _ in read])
    return new


def record_file(con: duckdb.DuckDBPyConnection, run_id: int, ref: FileRef, result: ContentResult | ReadFailure,
                known: set[str]) -> bool:
    """Store one file's outcome. Returns True when content was newly stored."""
    outcome = Outcome(ref, None, str(result)) if isinstance(result, ReadFailure) else Outcome(ref, result, None)
    return record_batch(con, run_id, [outcome], known) > 0


class StoredContent(NamedTuple):
    status: str
    read_failure: str | None      # TIMEOUT or CRASH: a failure record (tuscan.archive.failures)
    read_timeout: float | None
    extracted_run: int | None


class StoredDocument(NamedTuple):
    size: int
    mtime: float
    sha256: str | None
    read_error: str | None
    content: StoredContent | None   # None: no content stored under sha256


def look_up(con: duckdb.DuckDBPyConnection, root: str, paths: list[str]) -> dict[str, StoredDocument]:
    """What is stored for these paths under root."""
    rows = con.execute(
        "SELECT d.path, d.size, d.mtime, d.sha256, d.read_error,"
        " c.status, c.read_failure, c.read_timeout, c.extracted_run FROM documents d"
        " LEFT JOIN contents c ON c.sha256 = d.sha256"
        " WHERE d.root = ? AND d.path IN (SELECT unnest(?))",
        [root, paths],
    ).fetchall()
    return {r[0]: StoredDocument(*r[1:5], StoredContent(*r[5:]) if r[5] else None) for r in rows}


def stored_contents(con: duckdb.DuckDBPyConnection, hashes: list[str]) -> dict[str, StoredContent]:
    """sha256 → what is stored, for the hashes whose content is already stored."""
    if not hashes:
        return {}
    return {r[0]: StoredContent(*r[1:]) for r in con.execute(
        "SELECT sha256, status, read_failure, read_timeout, extracted_run FROM contents"
        " WHERE sha256 IN (SELECT unnest(?))", [hashes]).fetchall()}


def stored_sizes(con: duckdb.DuckDBPyConnection, sizes: list[int]) -> set[int]:
    """Those of these byte sizes that some stored content has."""
    if not sizes:
        return set()
    return {r[0] for r in con.execute(
        "SELECT DISTINCT size FROM contents WHERE size IN (SELECT unnest(?))", [sorted(set(sizes))]).fetchall()}


def touch(con: duckdb.DuckDBPyConnection, run_id: int, root: str, paths: list[str]) -> None:
    """Mark unchanged files (and the members of unchanged containers) as seen in this run."""
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
