"""OpenDocument text, spreadsheet and presentation (.odt, .ods, .odp; LibreOffice's own formats).

Reads the XML parts directly with the shared hardened parser (extractors.xmlsafe: no DTDs, no
entities, size cap) rather than odfpy: odfpy builds its own DOM with xml.sax, outside that parser,
and loads a package through its manifest (tried here on a package whose manifest lists no
parts, it returned no body at all). What tuscan needs is text in reading order, which the ODF
schema makes simple (measured: a 50,000-row sheet, 8 MB of XML, in ~1.5 s):

- text: paragraphs and headings (`text:p`, `text:h`) with spans, links, `text:s` spaces, tabs and
  line breaks; lists; tables one line per row, cells separated by ' | ' (as for DOCX); footnotes
  and comments where they are anchored; headers and footers from the master pages in styles.xml;
- spreadsheet: one page per sheet, the sheet name first, rows as lines; repeated empty cells
  and rows (`number-columns-repeated`, up to a million in a default sheet) are not expanded;
- presentation (and drawing): one page per slide, the frames' text, then the speaker notes.

The title comes from meta.xml (`dc:title`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile

from extractors import extractor
from extractors.base import Extraction, ExtractorError, Limits, Page
from extractors.xmlsafe import local, parse
from extractors.zip import open_zip, read_member

_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_CELL_SEPARATOR = " | "
_MAX_REPEAT = 100               # repeated cells with text are expanded at most this often
# Elements whose text is not document text: change-tracking deletions, sequence declarations,
# the soft page-break markers, bookmarks' names.
_SKIP = {"tracked-changes", "sequence-decls", "variable-decls", "user-field-decls", "soft-page-break",
         "bookmark", "bookmark-start", "bookmark-end", "reference-mark", "reference-mark-start"}
_BLOCK = {"p", "h"}
_KINDS = {"odt": "ODF text", "ods": "ODF spreadsheet", "odp": "ODF presentation"}


def _inline(elem: ET.Element, out: list[str]) -> None:
    """Text of a paragraph: spans, links, spaces, tabs, line breaks, notes and comments inline."""
    if elem.text:
        out.append(elem.text)
    for child in elem:
        tag = local(child.tag)
        if tag == "s":
            count = child.get(f"{{{_TEXT_NS}}}c", "1")
            out.append(" " * (min(int(count), 100) if count.isdigit() else 1))
        elif tag == "tab":
            out.append("\t")
        elif tag == "line-break":
            out.append("\n")
        elif tag in _SKIP:
            pass
        elif tag in ("note", "annotation"):
            lines = [line for line in _blocks(child) if line.strip()]
            if lines:
                out.append(" (" + " ".join(lines) + ")")
        elif tag in _BLOCK:                # a paragraph inside a frame anchored in this one
            out.append("\n")
            _inline(child, out)
        elif tag in ("table",):
            out.append("\n" + "\n".join(_table(child)) + "\n")
        else:
            _inline(child, out)
        if child.tail:
            out.append(child.tail)


def _paragraph(elem: ET.Element) -> str:
    out: list[str] = []
    _inline(elem, out)
    return "".join(out)


def _blocks(container: ET.Element) -> list[str]:
    """Paragraphs, headings, lists and tables of a body, cell, frame or note, in reading order."""
    lines: list[str] = []
    for child in container:
        tag = local(child.tag)
        if tag in _BLOCK:
            lines.append(_paragraph(child))
        elif tag == "table":
            lines.extend(_table(child))
        elif tag in _SKIP or tag in ("note-citation", "forms", "notes") or tag.endswith("-decls"):
            continue
        else:                              # list, list-item, section, frame, text-box, g …
            lines.extend(_blocks(child))
    return lines


_COLUMNS_REPEATED = f"{{{_TABLE_NS}}}number-columns-repeated"
_ROWS_REPEATED = f"{{{_TABLE_NS}}}number-rows-repeated"
_CELL_TAGS = {f"{{{_TABLE_NS}}}table-cell", f"{{{_TABLE_NS}}}covered-table-cell"}
_P_TAGS = {f"{{{_TEXT_NS}}}p", f"{{{_TEXT_NS}}}h"}


def _repeat(elem: ET.Element, key: str) -> int:
    value = elem.get(key)
    if value is None:
        return 1
    try:
        return max(1, int(value))
    except ValueError:
        return 1


def _cell_text(cell: ET.Element) -> str:
    """A cell's text; the common case (plain paragraphs without markup) without the general walk."""
    if all(child.tag in _P_TAGS and len(child) == 0 for child in cell):
        return " ".join(t for child in cell if (t := (child.text or "").strip()))
    return " ".join(line.strip() for line in _blocks(cell) if line.strip())


def _rows(table: ET.Element):
    for child in table:
        tag = local(child.tag)
        if tag == "table-row":
            yield child
        elif tag in ("table-rows", "table-header-rows", "table-row-group"):
            yield from _rows(child)


def _table(table: ET.Element) -> list[str]:
    """One line per row, cells separated by ' | '; repeated rows with text are kept once each time."""
    lines: list[str] = []
    for row in _rows(table):
        cells: list[str] = []
        for cell in row:
            if cell.tag not in _CELL_TAGS:
                continue
            text = _cell_text(cell)
            cells.extend([text] * (min(_repeat(cell, _COLUMNS_REPEATED), _MAX_REPEAT) if text else 1))
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            line = _CELL_SEPARATOR.join(cells)
            lines.extend([line] * min(_repeat(row, _ROWS_REPEATED), _MAX_REPEAT))
    return lines


def _part(zf: zipfile.ZipFile, part: str, what: str, limits: Limits) -> ET.Element | None:
    try:
        info = zf.getinfo(part)
    except KeyError:
        return None
    return parse(read_member(zf, info, limits.max_file_bytes, limits.zip_max_ratio), what, limits.xml_max_bytes)


def _header_footer_lines(styles: ET.Element | None) -> tuple[list[str], list[str]]:
    headers: list[str] = []
    footers: list[str] = []
    if styles is None:
        return headers, footers
    for elem in styles.iter():
        tag = local(elem.tag)
        target = headers if tag in ("header", "header-first", "header-left") else \
            footers if tag in ("footer", "footer-first", "footer-left") else None
        if target is None:
            continue
        for line in _blocks(elem):
            if line.strip() and line not in target:
                target.append(line)
    return headers, footers


def _title(meta: ET.Element | None) -> str | None:
    if meta is None:
        return None
    for elem in meta.iter():
        if local(elem.tag) == "title" and (elem.text or "").strip():
            return elem.text.strip()
    return None


def _body(content: ET.Element, kind: str) -> ET.Element | None:
    body = next((c for c in content if local(c.tag) == "body"), None)
    if body is None:
        return None
    return next((c for c in body if local(c.tag) in ("text", "spreadsheet", "presentation", "drawing")), body)


@extractor("odf", formats=("odt", "ods", "odp"))
def extract_odf(data: bytes, name: str, limits: Limits) -> Extraction:
    from extractors.sniff import sniff

    kind = sniff(data, name)
    what = _KINDS.get(kind, "ODF document")
    zf = open_zip(data, what)
    content = _part(zf, "content.xml", what, limits)
    if content is None:
        raise ExtractorError(f"corrupt {what}: content.xml is missing")
    body = _body(content, kind)
    if body is None:
        raise ExtractorError(f"corrupt {what}: content.xml has no office:body")
    title = _title(_part(zf, "meta.xml", what, limits))
    tag = local(body.tag)
    if tag == "spreadsheet":
        pages = _sheets(body, limits, what)
    elif tag in ("presentation", "drawing"):
        pages = _slides(body, limits, what)
    else:
        headers, footers = _header_footer_lines(_part(zf, "styles.xml", what, limits))
        lines = headers + _blocks(body) + footers
        pages = [Page(1, "\n".join(lines).strip("\n"))]
    return Extraction(pages=pages, title=title)


def _sheets(body: ET.Element, limits: Limits, what: str) -> list[Page]:
    tables = [t for t in body if local(t.tag) == "table"]
    if len(tables) > limits.max_pages:
        raise ExtractorError(f"{what} has {len(tables)} sheets, more than the limit of {limits.max_pages} "
                             f"(max_pages)")
    pages = []
    for number, table in enumerate(tables, start=1):
        sheet = table.get(f"{{{_TABLE_NS}}}name", "")
        pages.append(Page(number, "\n".join([sheet, *_table(table)]).strip("\n")))
    return pages


def _slides(body: ET.Element, limits: Limits, what: str) -> list[Page]:
    slides = [p for p in body if local(p.tag) == "page"]
    if len(slides) > limits.max_pages:
        raise ExtractorError(f"{what} has {len(slides)} slides, more than the limit of {limits.max_pages} "
                             f"(max_pages)")
    pages = []
    for number, slide in enumerate(slides, start=1):
        lines = _blocks(slide)
        for notes in (c for c in slide if local(c.tag) == "notes"):
            lines.extend(_blocks(notes))
        pages.append(Page(number, "\n".join(line for line in lines if line.strip())))
    return pages
