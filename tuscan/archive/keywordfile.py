"""The keyword file in effect, compiled once per process and known by its fingerprint.

Users extend `reference/keywords.toml` (KL's keyword list in Delrapport 1 ends in "m.fl."): the file in
effect is that one, or the file named by the environment variable TUSCAN_KEYWORDS. Every content
records the fingerprint (sha256 of the file's bytes) its hits were found with, so text read before the
file changed is searched again (`tuscan.archive.refind`). Workers compute the fingerprint themselves
and it travels with their results, so a worker that used another keyword file (a Dask worker on
another machine, a worker started before the variable changed) is caught by the writer.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from extractors.keywords import KEYWORDS_FILE, KeywordFileError, Keywords, load_keywords
from tuscan.errors import TuscanError

KEYWORDS_ENV = "TUSCAN_KEYWORDS"


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


def keywords_at(file: str, fingerprint: str) -> Keywords:
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
