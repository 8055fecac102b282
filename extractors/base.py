"""The one small interface every extractor implements: a file's bytes in, pages of text out.

Stages never touch the database and never raise for a bad file: a file that cannot be read becomes
an `Extraction` with a status and a specific reason (OSdatascanner's "failures become records").
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Document statuses as stored in `documents.status` and shown in `document_findings`.
OK = "ok"                    # text extracted (possibly from only some pages)
ERROR = "error"              # corrupt, encrypted, empty, over a limit, timed out …
UNSUPPORTED = "unsupported"  # a format tuscan has no reader for (legacy .doc/.xls, …)
NO_TEXT = "no_text"          # readable, but no text layer (scanned image) and no OCR available
CONTAINER = "container"      # a zip archive whose members are listed as documents of their own
STATUSES = (OK, ERROR, UNSUPPORTED, NO_TEXT, CONTAINER)


@dataclass
class Page:
    """Text of one page (PDF page, or the whole document for formats without pages)."""

    number: int                 # 1-based
    text: str
    ocr: bool = False           # text came from OCR, not a text layer
    ocr_confidence: float | None = None


@dataclass
class Extraction:
    """What an extractor made of one file (or one zip member)."""

    status: str = OK
    error: str | None = None    # one readable reason when status is not ok
    extractor: str | None = None
    pages: list[Page] = field(default_factory=list)
    title: str | None = None    # document title from metadata, when the format has one
    members: list[Member] = field(default_factory=list)  # zip archives only

    @classmethod
    def failed(cls, status: str, error: str, extractor: str | None = None) -> Extraction:
        return cls(status=status, error=error, extractor=extractor)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pages)


@dataclass
class Member:
    """One member of a container (zip): its name inside the container and its own extraction."""

    name: str                   # path inside the archive, '/' separators
    size: int
    sha256: str
    extraction: Extraction


class ExtractorError(Exception):
    """Raised inside an extractor for an unreadable file; the registry turns it into a record."""

    status = ERROR


class Unsupported(ExtractorError):
    """The file is of a format tuscan cannot read."""

    status = UNSUPPORTED
