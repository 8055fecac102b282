"""Keyword hits found again from stored text when the keyword file changes.

Users extend `reference/keywords.toml` (the seed's keyword list ends in "m.fl.", DESIGN.md §3), but
a rescan does not read unchanged files again, so text read before the change would never be searched
for the new terms. Every content therefore records the fingerprint of the keyword set its hits were
found with (`contents.keywords_version`, migration 006): the sha256 of the keyword file's bytes.
`tuscan discover`, and every other command before it classifies (`tuscan.classify.classify_current`),
finds the hits again, from the stored page text (already NFC and CPR-masked), for every content
whose fingerprint differs from the keyword file in effect — no file is read again, no page OCR'd
again — and `tuscan discover --refind` does it for every content.

The keyword file in effect is `reference/keywords.toml`, or the file named by the environment
variable TUSCAN_KEYWORDS. Workers compute the fingerprint themselves and it travels with their
results, so a worker that used another keyword file (a Dask worker on another machine, a worker
started before the variable changed) is caught here and its hits are found again by the writer.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from extractors.keywords import KEYWORDS_FILE, KeywordFileError, Keywords, find_hits, load_keywords
from tuscan.errors import TuscanError

KEYWORDS_ENV = "TUSCAN_KEYWORDS"
REFIND_PAGES = 2000       # pages searched per transaction: bounds memory; a bigger document is one batch
REFIND_LOOKUP = 512       # contents looked up per query
REFIND_PARALLEL_PAGES = 20_000   # fewer pages are searched in this process: starting workers costs ~1 s
HIT_COLUMNS = ["sha256", "page", "offset", "length", "term", "term_group", "matched", "snippet", "login",
               "excluded_by", "ocr"]


class KeywordsUnreadable(TuscanError):
    """The keyword file in effect cannot be read or is malformed."""


def keywords_file() -> Path:
    """The keyword file in effect: $TUSCAN_KEYWORDS, or the bundled reference/keywords.toml."""
    return Path(os.environ.get(KEYWORDS_ENV) or KEYWORDS_FILE)


_compiled: dict[str, tuple[str, Keywords]] = {}   # file → (fingerprint, keywords compiled from it)
_stamps: dict[str, tuple[int, int]] = {}           # file → (size, mtime in ns) when it was compiled


def active_keywords() -> tuple[str, Keywords]:
    """(fingerprint, compiled keywords) of the keyword file in effect.

    Workers ask for every file they read, so an unchanged keyword file (same size and mtime) costs
    one stat; otherwise it is read, and compiled again only when its bytes changed. The fingerprint
    always names the bytes that were compiled."""
    file = keywords_file()
    stamp = _stamp(file)
    cached = _compiled.get(str(file))
    if cached and stamp is not None and _stamps.get(str(file)) == stamp:
        return cached
    for _attempt in range(3):
        data = _read(file)
        fingerprint = hashlib.sha256(data).hexdigest()
        cached = _compiled.get(str(file))
        if cached and cached[0] == fingerprint:
            _stamps[str(file)] = stamp
            return cached
        # load_keywords caches by path: a file edited since it was compiled must be compiled again.
        load_keywords.cache_clear()
        try:
            keywords = load_keywords(str(file))
        except KeywordFileError as exc:
            raise KeywordsUnreadable(f"{exc} (fix it, or unset {KEYWORDS_ENV} to use the bundled file)") from None
        if _read(file) == data:   # not edited while it was compiled
            _compiled[str(file)] = (fingerprint, keywords)
            _stamps[str(file)] = stamp
            return fingerprint, keywords
        stamp = _stamp(file)
    raise KeywordsUnreadable(f"keyword file {file} keeps changing while it is read; try again when it is saved")


def _stamp(file: Path) -> tuple[int, int] | None:
    try:
        st = file.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def keyword_fingerprint() -> str:
    """The fingerprint of the keyword file in effect (what `contents.keywords_version` is compared with)."""
    return active_keywords()[0]


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        hint = f" (set by {KEYWORDS_ENV})" if os.environ.get(KEYWORDS_ENV) else ""
        raise KeywordsUnreadable(f"cannot read keyword file {file}{hint}: {exc.strerror or exc}") from None


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
        keywords = _keywords_at(*keywords)
    # Page text is stored as prepared (NFC, CPR masked), which is what find_hits expects.
    return [(sha, h.page, h.offset, h.length, h.term, h.group, h.matched, h.snippet, h.login, h.excluded_by, ocr)
            for sha, number, text, ocr in pages for h in find_hits(text, number, keywords)]


def _keywords_at(file: str, fingerprint: str) -> Keywords:
    """The keywords of `file`, compiled in this process, provided its bytes have `fingerprint`.
    (A worker is given the file by name: its environment may predate a change of TUSCAN_KEYWORDS.)"""
    cached = _compiled.get(file)
    if cached and cached[0] == fingerprint:
        return cached[1]
    if hashlib.sha256(_read(Path(file))).hexdigest() != fingerprint:
        raise KeywordsUnreadable(f"the keyword file {file} changed during the search; run again")
    load_keywords.cache_clear()
    keywords = load_keywords(file)
    _compiled[file] = (fingerprint, keywords)
    return keywords


def _result(item: tuple[list[str], Future]) -> tuple[list[str], list[tuple]]:
    batch, future = item
    return batch, future.result()


def _store(con: duckdb.DuckDBPyConnection, shas: list[str], rows: list[tuple], fingerprint: str, done: Refound,
           progress: Callable[[Refound], None] | None) -> None:
    """Replace the hits of the contents of one batch whose hits changed; mark the batch searched."""
    from tuscan.scan import insert_rows  # here: tuscan.scan imports this module

    old: dict[str, Counter] = {sha: Counter() for sha in shas}
    for row in con.execute(f"SELECT {_quoted(HIT_COLUMNS)} FROM hits WHERE sha256 IN (SELECT unnest(?))",
                           [shas]).fetchall():
        old[row[0]][row] += 1
    new: dict[str, list[tuple]] = {sha: [] for sha in shas}
    for row in rows:
        new[row[0]].append(row)
    changed = sorted(sha for sha in shas if Counter(new[sha]) != old[sha])
    con.execute("BEGIN")
    try:
        if changed:
            con.execute("DELETE FROM hits WHERE sha256 IN (SELECT unnest(?))", [changed])
            insert_rows(con, "hits", HIT_COLUMNS, [row for sha in changed for row in new[sha]])
        con.execute("UPDATE contents SET keywords_version = ? WHERE sha256 IN (SELECT unnest(?))",
                    [fingerprint, shas])
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    done.contents += len(shas)
    done.changed += len(changed)
    if progress:
        progress(done)


def _quoted(columns: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)
