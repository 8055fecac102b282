"""RTF documents (.rtf, and Word files saved as RTF under a .doc name): the text via striprtf.

striprtf is a small, maintained pure-Python converter: it honours the code page (`\\ansicpg1252`,
so Danish letters written as `\\'f8` come out as "ø"), `\\u` Unicode escapes, font-specific
encodings, skips pictures and the ignorable destinations (font and style tables, `\\*` groups),
and keeps hyperlink targets. Measured on textract's sample RTF files it returns exactly the
text; unrtf (the alternative) is a system tool and prints a banner of its own.
"""

from __future__ import annotations

import re

from extractors import extractor
from extractors.base import Extraction, ExtractorError, Limits, Page, require
from extractors.text import normalise_newlines

_CODEPAGE = re.compile(rb"\\ansicpg(\d+)")


@extractor("rtf", formats=("rtf",))
def extract_rtf(data: bytes, name: str, limits: Limits) -> Extraction:
    rtf_to_text = require("striprtf.striprtf", "RTF document (.rtf)", "striprtf").rtf_to_text
    if not data.lstrip().startswith(b"{\\rtf"):
        raise ExtractorError("corrupt RTF document: no {\\rtf header")
    codepage = _CODEPAGE.search(data[:4096])
    encoding = f"cp{int(codepage.group(1))}" if codepage else "cp1252"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1252"
    # RTF is 7-bit with escapes; latin-1 maps any stray 8-bit byte to one character, losslessly.
    try:
        text = rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace")
    except (ValueError, IndexError, KeyError) as exc:
        raise ExtractorError(f"corrupt RTF document: {type(exc).__name__}: {exc}") from exc
    return Extraction(pages=[Page(1, normalise_newlines(text).strip("\n"))])
