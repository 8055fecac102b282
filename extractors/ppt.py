"""Legacy PowerPoint 97-2003 presentations (.ppt, .pps, .pot): the text via catppt.

catppt (Debian package `catdoc`) prints the text of every slide, notes and master text included;
measured on Apache POI's sample presentations it reads titles, body text and footers. It runs as
a separate process with a timeout. An `EncryptedSummary` stream marks a password-protected
presentation, which catppt would silently print nothing for.
"""

from __future__ import annotations

from extractors import extractor
from extractors.base import NO_TEXT, Extraction, ExtractorError, Limits, Page
from extractors.ole import open_ole, refuse_encrypted
from extractors.text import normalise_newlines
from extractors.tools import ToolFailed, run_tool

WHAT = "PowerPoint 97-2003 presentation (.ppt)"


@extractor("ppt", formats=("ppt",))
def extract_ppt(data: bytes, name: str, limits: Limits) -> Extraction:
    with open_ole(data, WHAT) as ole:
        if not ole.exists("PowerPoint Document"):
            raise ExtractorError(f"corrupt {WHAT}: the PowerPoint Document stream is missing")
        if ole.exists("EncryptedSummary"):
            refuse_encrypted(WHAT)
    try:
        text = run_tool("catppt", ["-d", "utf-8"], data, ".ppt", WHAT, "catdoc", limits.external_timeout_seconds)
    except ToolFailed as exc:
        raise ExtractorError(f"corrupt {WHAT}: {exc}") from exc
    # catppt separates slides with form feeds and soft line breaks with vertical tabs.
    text = normalise_newlines(text).replace("\f", "\n").replace("\v", "\n").strip("\n")
    if not text.strip():
        return Extraction(status=NO_TEXT, error=f"no text found in the {WHAT} (only pictures, or a "
                                                f"PowerPoint 95 or older file catppt cannot read)",
                          pages=[Page(1, text)])
    return Extraction(pages=[Page(1, text)])
