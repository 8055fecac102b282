"""HTML: the visible text (no script, style or head), title from <title>."""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from extractors import Limits, extractor
from extractors.base import Extraction, Page
from extractors.text import decode_text

_HIDDEN = {"script", "style", "head", "template", "noscript"}
# Elements that start a new line in a browser; the rest (span, b, a …) flow inline.
_BLOCK = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "tbody", "tfoot", "thead", "tr", "ul", "option",
}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0
        self.title: str | None = None
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        elif tag in _HIDDEN:
            self.hidden_depth += 1
        elif tag in ("td", "th"):
            self.parts.append(" | ")
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in _HIDDEN:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag in _BLOCK and tag not in _VOID:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title = ((self.title or "") + data).strip() or None
        elif not self.hidden_depth:
            self.parts.append(data)


def decode_html(data: bytes) -> str:
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        declared = _CHARSET.search(data[:4096])
        if declared:
            try:
                return data.decode(declared.group(1).decode("ascii"), errors="replace")
            except LookupError:
                pass
    return decode_text(data)


def visible_text(html: str) -> tuple[str, str | None]:
    """(visible text with one line per block, title)."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    lines = []
    for line in "".join(parser.parts).split("\n"):
        line = re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip(" |")
        line = line.strip()
        if line:
            lines.append(line)
    return "\n".join(lines), parser.title


@extractor("html", suffixes=(".html", ".htm"), magic=(b"<!DOCTYP", b"<!doctyp", b"<html", b"<HTML"))
def extract_html(data: bytes, name: str, limits: Limits) -> Extraction:
    text, title = visible_text(decode_html(data))
    return Extraction(pages=[Page(1, text)], title=title)
