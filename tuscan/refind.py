"""Keyword hits found again from stored text when the keyword file changes.

Users extend `reference/keywords.toml` (the seed's keyword list ends in "m.fl.", DESIGN.md §3), but
a rescan does not read unchanged files again, so text read before the change would never be searched
for the new terms. Every content therefore records the fingerprint of the keyword set its hits were
found with (`contents.keywords_version`, migration 006): the sha256 of the keyword file's bytes.
`tuscan discover` finds the hits again, from the stored page text (already NFC and CPR-masked), for
every content whose fingerprint differs from the keyword file in effect — no file is read again,
no page OCR'd again — and `tuscan discover --refind` does it for every content.

The keyword file in effect is `reference/keywords.toml`, or the file named by the environment
variable TUSCAN_KEYWORDS. Workers compute the fingerprint themselves and it travels with their
results, so a worker that used another keyword file (a Dask worker on another machine, a worker
started before the variable changed) is caught here and its hits are found again by the writer.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from extractors.keywords import KEYWORDS_FILE, KeywordFileError, Keywords, find_hits, load_keywords
from tuscan.errors import TuscanError

KEYWORDS_ENV = "TUSCAN_KEYWORDS"
REFIND_PAGES = 2000       # pages searched per transaction: bounds memory; a bigger document is one batch
REFIND_LOOKUP = 512       # contents looked up per query
HIT_COLUMNS = ["sha256", "page", "offset", "length", "term", "term_group", "matched", "snippet", "login",
               "excluded_by", "ocr"]


class KeywordsUnreadable(TuscanError):
    """The keyword file in effect cannot be read or is malformed."""


def keywords_file() -> Path:
    """The keyword file in effect: $TUSCAN_KEYWORDS, or the bundled reference/keywords.toml."""
    return Path(os.environ.get(KEYWORDS_ENV) or KEYWORDS_FILE)


_compiled: dict[str, tuple[str, Keywords]] = {}   # file → (fingerprint, keywords compiled from it)


def active_keywords() -> tuple[str, Keywords]:
    """(fingerprint, compiled keywords) of the keyword file in effect.

    Reads the file on every call (a few kB) so an edit is seen at once, and compiles it again only
    when its bytes changed; the fingerprint always names the bytes that were compiled."""
    file = keywords_file()
    for _attempt in range(3):
        data = _read(file)
        fingerprint = hashlib.sha256(data).hexdigest()
        cached = _compiled.get(str(file))
        if cached and cached[0] == fingerprint:
            return cached
        # load_keywords caches by path: a file edited since it was compiled must be compiled again.
        load_keywords.cache_clear()
        try:
            keywords = load_keywords(str(file))
        except KeywordFileError as exc:
            raise KeywordsUnreadable(f"{exc} (fix it, or unset {KEYWORDS_ENV} to use the bundled file)") from None
        if _read(file) == data:   # not edited while it was compiled
            _compiled[str(file)] = (fingerprint, keywords)
            return fingerprint, keywords
    raise KeywordsUnreadable(f"keyword file {file} keeps changing while it is read; try again when it is saved")


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
           progress: Callable[[Refound], None] | None = None) -> Refound:
    """Find hits again from stored page text for every content found with another keyword set
    (or for every content, with `force`). Hits are replaced only where they changed, one
    transaction per batch of about REFIND_PAGES pages, so a killed run keeps whole batches and the
    next run finishes the rest. Call with no transaction open."""
    fingerprint, keywords = active_keywords()
    done = Refound()
    after = ""
    while True:
        stale = con.execute(
            "SELECT sha256, coalesce(page_count, 0) FROM contents WHERE sha256 > ?"
            + ("" if force else " AND keywords_version IS DISTINCT FROM ?")
            + " ORDER BY sha256 LIMIT ?",
            [after] + ([] if force else [fingerprint]) + [REFIND_LOOKUP],
        ).fetchall()
        if not stale:
            return done
        after = stale[-1][0]
        for batch in _page_batches(stale):
            done.contents += len(batch)
            done.changed += _refind_batch(con, batch, fingerprint, keywords)
            if progress:
                progress(done)


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


def _refind_batch(con: duckdb.DuckDBPyConnection, shas: list[str], fingerprint: str, keywords: Keywords) -> int:
    """Search one batch's stored pages; replace the hits of the contents whose hits changed.
    Returns how many changed."""
    from tuscan.scan import insert_rows  # here: tuscan.scan imports this module

    old: dict[str, Counter] = {sha: Counter() for sha in shas}
    for row in con.execute(f"SELECT {_quoted(HIT_COLUMNS)} FROM hits WHERE sha256 IN (SELECT unnest(?))",
                           [shas]).fetchall():
        old[row[0]][row] += 1
    new: dict[str, list[tuple]] = {sha: [] for sha in shas}
    for sha, number, text, ocr in con.execute(
        "SELECT sha256, page, text, ocr FROM pages WHERE sha256 IN (SELECT unnest(?))", [shas]
    ).fetchall():
        # Page text is stored as prepared (NFC, CPR masked), which is what find_hits expects.
        new[sha].extend((sha, h.page, h.offset, h.length, h.term, h.group, h.matched, h.snippet, h.login,
                         h.excluded_by, ocr) for h in find_hits(text, number, keywords))
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
    return len(changed)


def _quoted(columns: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)
