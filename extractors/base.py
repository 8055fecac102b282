"""The one small interface every extractor implements: a file's bytes in, pages of text out.

Stages never touch the database and never raise for a bad file: a file that cannot be read becomes
an `Extraction` with a status and a specific reason (OSdatascanner's "failures become records").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# Document statuses as stored in `documents.status` and shown in `document_findings`.
OK = "ok"                    # text extracted (possibly from only some pages)
ERROR = "error"              # corrupt, encrypted, empty, over a limit, timed out …
UNSUPPORTED = "unsupported"  # a format tuscan has no reader for (legacy .doc/.xls, …)
NO_TEXT = "no_text"          # readable, but no text layer (scanned image) and no OCR available
CONTAINER = "container"      # a zip archive whose members are listed as documents of their own
# An e-mail is OK with pages of its own *and* members (its attachments); only a pure container is CONTAINER.
STATUSES = (OK, ERROR, UNSUPPORTED, NO_TEXT, CONTAINER)


@dataclass(frozen=True)
class Limits:
    """Resource limits for one extraction. See SECURITY.md for what each protects against.

    The zip_* limits apply to every container: zip members and e-mail attachments alike.
    """

    max_file_bytes: int = 200 * 1024 * 1024
    max_pages: int = 5000
    zip_max_members: int = 10_000
    zip_max_total_bytes: int = 1024 * 1024 * 1024
    zip_max_ratio: float = 100.0
    zip_max_depth: int = 3
    timeout_seconds: float = 120.0   # per document, enforced by the runner
    depth: int = 0                   # current container nesting depth
    image_max_frames: int = 100      # frames of one image (multi-page TIFF) that are OCR'd
    external_timeout_seconds: float = 60.0   # one run of antiword, catdoc or catppt
    # One XML part parsed into a tree (DOCX, PPTX, ODF): the tree takes ~10x the bytes in memory.
    xml_max_bytes: int = 64 * 1024 * 1024


@dataclass
class Page:
    """Text of one page (PDF page, or the whole document for formats without pages)."""

    number: int                 # 1-based
    text: str
    ocr: bool = False           # text came from OCR, not a text layer
    ocr_confidence: float | None = None
    markup: bool = False        # text from markup (an HTML page's link and form targets), not visible text


@dataclass
class Extraction:
    """What an extractor made of one file (or one zip member)."""

    status: str = OK
    error: str | None = None    # one readable reason when status is not ok
    extractor: str | None = None
    pages: list[Page] = field(default_factory=list)
    title: str | None = None    # document title from metadata, when the format has one
    members: list[Member] = field(default_factory=list)  # zip members, e-mail attachments
    # Set by a container reader, consumed by the registry (extractors.container.expand_members),
    # which turns it into `members`; never pickled or stored.
    raw_members: Iterable[RawMember] | None = field(default=None, repr=False, compare=False)

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


@dataclass
class RawMember:
    """A member as a container reader sees it, before limits and extraction.

    `read(max_bytes)` returns the member's bytes or raises ExtractorError (over the limit, corrupt,
    encrypted); `reason` is set instead when the reader already knows the member cannot be read.
    """

    name: str
    size: int = 0                              # declared size; 0 when the container does not say
    read: Callable[[int], bytes] | None = None
    reason: str | None = None


ExtractFn = Callable[[bytes, str, Limits], Extraction]


class ExtractorError(Exception):
    """Raised inside an extractor for an unreadable file; the registry turns it into a record."""

    status = ERROR


class Unsupported(ExtractorError):
    """The file is of a format tuscan cannot read."""

    status = UNSUPPORTED


class Encrypted(ExtractorError):
    """The file is password-protected; the reason starts with "encrypted"."""


class NoReader(Unsupported):
    """The format is known but the system tool or library that reads it is not installed."""

    def __init__(self, what: str, install: str) -> None:
        super().__init__(f"no reader for {what}: install {install}")


def require(module: str, what: str, package: str):
    """Import an optional reader library, or raise NoReader naming the package to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise NoReader(what, f"the Python package {package} (pip install {package})") from exc
