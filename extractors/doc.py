"""Legacy Word 97-2003 documents (.doc, .dot): the text via antiword, catdoc as the fallback.

Measured on public sample files (Apache POI and textract test documents): antiword gives clean
paragraphs (hyperlink field codes resolved, tables as rows, `-w 0` keeps a paragraph on one line,
so a keyword is not split by re-wrapping) in ~2 ms, but leaves out headers and footers and
refuses Word 6/95 files. catdoc reads both, with some noise (field codes, stray characters). So
antiword gives the text and catdoc adds the lines antiword did not have (headers, footers, text
boxes); when antiword fails, catdoc's text is used alone. Both are small Debian packages
(`antiword`, `catdoc`) and run as separate processes with a timeout. Encrypted documents are
recognised from the FIB before any tool runs.
"""

from __future__ import annotations

from extractors import extractor
from extractors.base import NO_TEXT, Extraction, ExtractorError, Limits, Page
from extractors.ole import open_ole, refuse_encrypted, word_is_encrypted
from extractors.text import normalise_newlines
from extractors.tools import ToolFailed, available, run_tool

WHAT = "Word 97-2003 document (.doc)"


@extractor("doc", formats=("doc",))
def extract_doc(data: bytes, name: str, limits: Limits) -> Extraction:
    with open_ole(data, WHAT) as ole:
        if not ole.exists("WordDocument"):
            raise ExtractorError(f"corrupt {WHAT}: the WordDocument stream is missing")
        if word_is_encrypted(ole):
            refuse_encrypted(WHAT)
    text = None
    failure = None
    if available("antiword") or not available("catdoc"):
        try:
            text = run_tool("antiword", ["-w", "0", "-m", "UTF-8.txt"], data, ".doc", WHAT, "antiword",
                            limits.external_timeout_seconds)
        except ToolFailed as exc:
            failure = exc
    if available("catdoc"):
        try:
            other = run_tool("catdoc", ["-d", "utf-8", "-w"], data, ".doc", WHAT, "catdoc",
                             limits.external_timeout_seconds)
        except ToolFailed as exc:
            other = None
            failure = failure or exc
        if other is not None:
            text = other if not (text or "").strip() else text + "\n" + "\n".join(_missing_lines(text, other))
    if text is None:
        raise ExtractorError(f"corrupt {WHAT}: {failure}")
    text = normalise_newlines(text).strip("\n")
    if not text.strip():
        return Extraction(status=NO_TEXT, error=f"no text found in the {WHAT} (only pictures or shapes?)",
                          pages=[Page(1, text)])
    return Extraction(pages=[Page(1, text)])


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _missing_lines(text: str, other: str) -> list[str]:
    """Lines of `other` (catdoc) with real words that `text` (antiword) does not contain."""
    have = _squeeze(text)
    missing = []
    for line in normalise_newlines(other).split("\n"):
        line = _squeeze(line)
        if sum(ch.isalpha() for ch in line) >= 3 and line not in have and "HYPERLINK" not in line:
            missing.append(line)
            have += " " + line
    return missing
