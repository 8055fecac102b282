"""HTML: the visible text (no script, style or head), title from <title>, and the markup's targets.

The standard library's HTMLParser is lenient with broken markup and needs no dependency.

A login can live only in markup: a form that posts to a NemLog-in host, a button linking to
MitID, a meta refresh to the broker. So besides the visible text the reader collects the targets
of links (`a`/`area` href), form actions (`form` action, `button`/`input` formaction), `meta
refresh` redirects, frames (`iframe`/`frame` src) and images (`img` src and alt), and returns them
as a second page in which every line starts with `[markup]`, e.g.
`[markup] form action: https://nemlog-in.mitid.dk/login`, and `Page.markup` set. A hit on that
page (page 2 of an HTML document), or a snippet starting with "[markup]", comes from markup, not
from text a reader sees.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from extractors import extractor
from extractors.base import Extraction, Limits, Page
from extractors.text import decode_text

_HIDDEN = {"script", "style", "head", "template", "noscript"}
# Elements that start a new line in a browser; the rest (span, b, a …) flow inline.
_BLOCK = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "tbody", "tfoot", "thead", "tr", "ul", "option",
}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
MARKUP_PREFIX = "[markup]"
# (tag, attribute) → label in the markup page.
_TARGETS = {
    ("a", "href"): "link", ("area", "href"): "link", ("form", "action"): "form action",
    ("button", "formaction"): "form action", ("input", "formaction"): "form action",
    ("iframe", "src"): "frame", ("frame", "src"): "frame", ("img", "src"): "image", ("img", "alt"): "image alt",
}
# In-page anchors, scripts and inline data (a base64 image can be megabytes) are no targets.
_NOT_TARGETS = ("#", "javascript:", "data:")
_MAX_TARGET_CHARS = 2000
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"]+)", re.IGNORECASE)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0
        self.title: str | None = None
        self._in_title = False
        self.markup: list[str] = []
        self._seen: set[str] = set()

    def _targets(self, tag, attrs):
        for attr, value in attrs:
            if not value or not value.strip() or value.lstrip().lower().startswith(_NOT_TARGETS):
                continue
            label = _TARGETS.get((tag, attr))
            if label is None and tag == "meta" and attr == "content":
                if any(a == "http-equiv" and (v or "").lower() == "refresh" for a, v in attrs):
                    match = _REFRESH_URL.search(value)
                    label, value = ("redirect", match.group(1)) if match else (None, value)
            if label is not None:
                line = f"{MARKUP_PREFIX} {label}: {' '.join(value.split())[:_MAX_TARGET_CHARS]}"
                if line not in self._seen:
                    self._seen.add(line)
                    self.markup.append(line)

    def handle_starttag(self, tag, attrs):
        self._targets(tag, attrs)
        if tag == "title":
            self._in_title = True
        elif tag in _HIDDEN:
            self.hidden_depth += 1
        elif tag in ("td", "th"):
            self.parts.append(" | ")
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        self._targets(tag, attrs)
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
    text, title, _markup = read_html(html)
    return text, title


def read_html(html: str) -> tuple[str, str | None, list[str]]:
    """(visible text with one line per block, title, markup lines starting with "[markup]")."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    lines = []
    for line in "".join(parser.parts).split("\n"):
        line = re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip(" |")
        line = line.strip()
        if line:
            lines.append(line)
    return "\n".join(lines), parser.title, parser.markup


@extractor("html", formats=("html",))
def extract_html(data: bytes, name: str, limits: Limits) -> Extraction:
    text, title, markup = read_html(decode_html(data))
    pages = [Page(1, text)]
    if markup:
        pages.append(Page(2, "\n".join(markup), markup=True))
    return Extraction(pages=pages, title=title)
