"""Plain text, CSV and Markdown: decode UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252.

Danish files from older Windows programs are cp1252; a file that is valid UTF-8 is almost never
cp1252 by accident, so UTF-8 is tried first. NUL bytes mean the file is binary, not text. A file without a known suffix is read as text when
extractors.sniff finds it decodes cleanly (a README, a mail export without suffix).
"""

from __future__ import annotations

import codecs

from extractors import extractor
from extractors.base import Extraction, Limits, Page, Unsupported


def decode_text(data: bytes) -> str:
    """Decode text bytes: UTF-8 BOM, UTF-16 BOM, UTF-8, cp1252 (undefined bytes replaced)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):   # Notepad's "Unicode"
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@extractor("text", formats=("text",))
def extract_text(data: bytes, name: str, limits: Limits) -> Extraction:
    is_utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not is_utf16 and b"\x00" in data[:65536]:
        raise Unsupported("binary file with a text suffix (contains NUL bytes)")
    return Extraction(pages=[Page(1, normalise_newlines(decode_text(data)))])
