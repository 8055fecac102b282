"""The one hardened XML parser for every document format built from XML parts (DOCX, XLSX, PPTX, ODF).

Office files are untrusted input. An XML part that declares a DTD can pull in external entities
(XXE: `file:///etc/passwd` read into the text) or expand a few bytes into gigabytes (billion
laughs), and no genuine OOXML or OpenDocument part ever declares one. So a part is refused, not
parsed, when it declares a DTD or an entity, or is larger than the size cap.

The standard library's C-accelerated ElementTree does the parsing (fast, no dependency); the
declaration check runs on the text first. It looks at the decoded text, not only the raw bytes,
because a part encoded as UTF-16 would hide `<!DOCTYPE` from a byte search.
"""

from __future__ import annotations

import codecs
import xml.etree.ElementTree as ET

from extractors.base import ExtractorError

__all__ = ["HostileXml", "check", "parse", "local", "DEFAULT_MAX_BYTES"]

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")


class HostileXml(ExtractorError):
    """An XML part declares a DTD or entities (XXE / billion-laughs); it is not parsed."""


def local(tag: str) -> str:
    """An element's name without its namespace: '{urn:…}p' → 'p'."""
    return tag.rsplit("}", 1)[-1]


def _wide(raw: bytes) -> bool:
    """UTF-16/32 text (BOM or NUL bytes among the first characters), where byte checks see nothing."""
    return raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in raw[:4]


def check(raw: bytes, what: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes | str:
    """Refuse a part over `max_bytes` or with a DTD/entity declaration; return it ready to parse.

    For readers that hand the part to a library's own parser (openpyxl streams worksheets), so
    a million-row sheet is checked without building its tree here.
    """
    if len(raw) > max_bytes:
        raise ExtractorError(f"{what} has an XML part of {len(raw)} bytes, more than the limit of "
                             f"{max_bytes} bytes")
    source: bytes | str = raw
    if _wide(raw):
        try:
            source = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ExtractorError(f"corrupt {what}: XML part is not well-formed ({exc})") from exc
        probe = source.encode("utf-8")
    else:
        probe = raw
    if any(marker in probe for marker in _DECLARATIONS):
        raise HostileXml(f"{what} contains an XML DTD/entity declaration (possible XML bomb); not parsed")
    return source


def parse(raw: bytes, what: str, max_bytes: int = DEFAULT_MAX_BYTES) -> ET.Element:
    """Parse one XML part of a `what` file ("DOCX", "ODF text" …) into an element tree.

    Raises HostileXml for a DTD/entity declaration and ExtractorError for a part over `max_bytes`
    or one that is not well-formed, each naming `what`.
    """
    source = check(raw, what, max_bytes)
    try:
        return ET.fromstring(source)
    except ET.ParseError as exc:
        raise ExtractorError(f"corrupt {what}: XML part is not well-formed ({exc})") from exc
