"""What a worker hands back for one file: its content, extracted and searched, or why it was not read.

Both are typed values, so the writer never parses messages: a `ReadFailure` says whether the file
went over the time limit, crashed its reader, or could not be read for a passing reason (it changed,
vanished or could not be opened). Everything here is picklable: it crosses process boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from extractors.keywords import Hit

TIMEOUT = "timeout"       # the reader went over the per-document time limit
CRASH = "crash"           # the reader process died (a parser crash, the OOM killer)
TRANSIENT = "transient"   # the file changed, vanished or could not be opened: says nothing about its content


class PageText(NamedTuple):
    """One page of a document as stored: NFC, CPR numbers masked."""

    number: int
    text: str
    ocr: bool
    ocr_confidence: float | None


@dataclass(frozen=True)
class ReadFailure:
    """Why a file was not read. `kind` TIMEOUT or CRASH is remembered with the file's content hash,
    so an unchanged file is not tried again on every run (`tuscan.archive.failures`); `seconds` is
    the time limit a timed-out file went over."""

    reason: str
    kind: str = TRANSIENT
    seconds: float | None = None

    def __str__(self) -> str:
        return self.reason

    @property
    def remembered(self) -> bool:
        return self.kind in (TIMEOUT, CRASH)


@dataclass
class ContentResult:
    """One file's (or container member's) content, extracted and searched, ready to store."""

    sha256: str
    size: int
    status: str
    error: str | None
    extractor: str | None
    title: str | None
    pages: list[PageText]
    hits: list[Hit]
    members: list[tuple[str, ContentResult]] = field(default_factory=list)
    keywords_version: str | None = None  # fingerprint of the keyword file the hits were found with
    read_failure: str | None = None      # TIMEOUT or CRASH: a failure record, not a reading
    read_timeout: float | None = None    # for TIMEOUT: the time limit it went over

    def text_chars(self) -> int:
        return sum(len(p.text) for p in self.pages) + sum(m.text_chars() for _, m in self.members)


ReadResult = ContentResult | ReadFailure


def timeout_failure(seconds: float) -> ReadFailure:
    return ReadFailure(f"parsing took longer than {seconds:g} s; skipped (--timeout allows more)", TIMEOUT, seconds)


def crash_failure(description: str) -> ReadFailure:
    return ReadFailure(f"{description}; skipped", CRASH)
