"""Keyword hits found again from stored text when the keyword file changes.

A rescan does not read unchanged files again, so text read before the keyword file changed would
never be searched for new terms. Every content records the fingerprint of the keyword file its hits
were found with (`contents.keywords_version`; `tuscan.archive.keywordfile`). The refind step, which
every command runs before it classifies, finds the hits again from the stored page text (already
NFC and CPR-masked) for every content whose fingerprint differs from the keyword file in effect — no
file is read again, no page OCR'd again; `tuscan discover --refind` does it for every content.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

import duckdb

from extractors.keywords import Keywords, find_hits
from tuscan.archive.keywordfile import active_keywords, keywords_at, keywords_file
from tuscan.db import insert_rows, transaction

REFIND_PAGES = 2000       # pages searched per transaction: bounds memory; a bigger document is one batch
REFIND_LOOKUP = 512       # contents looked up per query
REFIND_PARALLEL_PAGES = 20_000   # fewer pages are searched in this process: starting workers costs ~1 s
HIT_COLUMNS = ["sha256", "page", "offset", "length", "term", "term_group", "matched", "snippet", "login",
               "excluded_by", "ocr"]


@dataclass
class Refound:
    contents: int = 0    # contents whose hits were found again
    changed: int = 0     # … and whose hits differ from what was stored

    def describe(self) -> str:
        return describe_refound(self.contents, self.changed)


def describe_refound(contents: int, changed: int) -> str:
    return (f"Searched the stored text of {contents} document(s) for keywords again, without reading the"
            f" files; hits changed in {changed}.")


def refind(con: duckdb.DuckDBPyConnection, *, force: bool = False,
           progress: Callable[[Refound], None] | None = None, workers: int = 1) -> Refound:
    """Find hits again from stored page text for every content found with another keyword set
    (or for every content, with `force`). Hits are replaced only where they changed, one
    transaction per batch of about REFIND_PAGES pages, so a killed run keeps whole batches and the
    next run finishes the rest. Call with no transaction open.

    With `workers` > 1 and at least REFIND_PARALLEL_PAGES pages to search, the searching runs in
    that many processes (~1 ms a page on one core); this process still does all the writing."""
    fingerprint, keywords = active_keywords()
    done = Refound()
    batches = _stale_batches(con, fingerprint, force)
    if workers > 1 and _stale_pages(con, fingerprint, force) >= REFIND_PARALLEL_PAGES:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver")) as pool:
            in_flight: deque = deque()
            for batch in batches:
                pages = _pages(con, batch)
                in_flight.append((batch, pool.submit(_search_pages, pages, (str(keywords_file()), fingerprint))))
                if len(in_flight) > 2 * workers:
                    _store(con, *_result(in_flight.popleft()), fingerprint, done, progress)
            while in_flight:
                _store(con, *_result(in_flight.popleft()), fingerprint, done, progress)
        return done
    for batch in batches:
        _store(con, batch, _search_pages(_pages(con, batch), keywords), fingerprint, done, progress)
    return done


def _stale_where(force: bool) -> str:
    return "" if force else " AND keywords_version IS DISTINCT FROM ?"


def _stale_pages(con: duckdb.DuckDBPyConnection, fingerprint: str, force: bool) -> int:
    return con.execute("SELECT coalesce(sum(page_count), 0) FROM contents WHERE true" + _stale_where(force),
                       [] if force else [fingerprint]).fetchone()[0]


def _stale_batches(con: duckdb.DuckDBPyConnection, fingerprint: str, force: bool) -> Iterator[list[str]]:
    """Batches of content hashes to search, about REFIND_PAGES pages each, in hash order."""
    after = ""
    while True:
        stale = con.execute(
            "SELECT sha256, coalesce(page_count, 0) FROM contents WHERE sha256 > ?" + _stale_where(force)
            + " ORDER BY sha256 LIMIT ?",
            [after] + ([] if force else [fingerprint]) + [REFIND_LOOKUP],
        ).fetchall()
        if not stale:
            return
        after = stale[-1][0]
        yield from _page_batches(stale)


def _page_batches(contents: list[tuple[str, int]]) -> list[list[str]]:
    batches: list[list[str]] = [[]]
    pages = 0
    for sha, count in contents:
        if batches[-1] and pages + count > REFIND_PAGES:
            batches.append([])
            pages = 0
        batches[-1].append(sha)
        pages += count
    return batches


PageRow = tuple[str, int, str, bool]     # (sha256, page, text, ocr)


def _pages(con: duckdb.DuckDBPyConnection, shas: list[str]) -> list[PageRow]:
    return con.execute("SELECT sha256, page, text, ocr FROM pages WHERE sha256 IN (SELECT unnest(?))",
                       [shas]).fetchall()


def _search_pages(pages: list[PageRow], keywords: Keywords | tuple[str, str]) -> list[tuple]:
    """Hit rows (HIT_COLUMNS) for stored pages, with compiled keywords or, in a worker process,
    (keyword file, fingerprint): the file is compiled there and must still have that fingerprint."""
    if isinstance(keywords, tuple):
        keywords = keywords_at(*keywords)
    # Page text is stored as prepared (NFC, CPR masked), which is what find_hits expects.
    return [(sha, h.page, h.offset, h.length, h.term, h.group, h.matched, h.snippet, h.login, h.excluded_by, ocr)
            for sha, number, text, ocr in pages for h in find_hits(text, number, keywords, explain=False)]


def _result(item: tuple[list[str], Future]) -> tuple[list[str], list[tuple]]:
    batch, future = item
    return batch, future.result()


def _store(con: duckdb.DuckDBPyConnection, shas: list[str], rows: list[tuple], fingerprint: str, done: Refound,
           progress: Callable[[Refound], None] | None) -> None:
    """Replace the hits of the contents of one batch whose hits changed; mark the batch searched."""
    old: dict[str, Counter] = {sha: Counter() for sha in shas}
    for row in con.execute(f"SELECT {_quoted(HIT_COLUMNS)} FROM hits WHERE sha256 IN (SELECT unnest(?))",
                           [shas]).fetchall():
        old[row[0]][row] += 1
    new: dict[str, list[tuple]] = {sha: [] for sha in shas}
    for row in rows:
        new[row[0]].append(row)
    changed = sorted(sha for sha in shas if Counter(new[sha]) != old[sha])
    with transaction(con):
        if changed:
            con.execute("DELETE FROM hits WHERE sha256 IN (SELECT unnest(?))", [changed])
            insert_rows(con, "hits", HIT_COLUMNS, [row for sha in changed for row in new[sha]])
        con.execute("UPDATE contents SET keywords_version = ? WHERE sha256 IN (SELECT unnest(?))",
                    [fingerprint, shas])
    done.contents += len(shas)
    done.changed += len(changed)
    if progress:
        progress(done)


def _quoted(columns: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)
