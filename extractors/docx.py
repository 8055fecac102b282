"""DOCX (Word 2007+): body in reading order, tables row by row, headers, footers, foot- and endnotes.

Parses the WordprocessingML parts directly (python-docx alone misses headers, text boxes and content
controls). Keywords sit in tables, headers and footers and are split across formatting runs,
so runs are joined per paragraph and table cells are kept on one line per row.
Parts are parsed with the shared hardened parser (extractors.xmlsafe: no DTDs, no entities, size cap).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile

from extractors import extractor
from extractors.base import Extraction, ExtractorError, Limits, Page
from extractors.xmlsafe import HostileXml, parse
from extractors.xmlsafe import local as _local
from extractors.zip import open_zip, read_member

__all__ = ["HostileXml", "extract_docx", "parse_part"]

DOCUMENT_PART = "word/document.xml"
# Property subtrees whose <w:tab> are tab-stop definitions, not text; Fallback duplicates Choice.
_SKIP = {"pPr", "rPr", "tblPr", "trPr", "tcPr", "sectPr", "Fallback", "delText", "instrText"}
_CELL_SEPARATOR = " | "


def parse_part(raw: bytes, what: str = "DOCX", max_bytes: int = Limits.xml_max_bytes) -> ET.Element:
    """Parse one WordprocessingML part with the shared hardened parser."""
    return parse(raw, what, max_bytes)


def _inline_text(elem: ET.Element, out: list[str]) -> None:
    """Text of a paragraph's runs in document order: w:t joined, w:tab → tab, w:br/w:cr → newline."""
    for child in elem:
        tag = _local(child.tag)
        if tag in _SKIP:
            continue
        if tag == "t":
            out.append(child.text or "")
        elif tag == "tab":
            out.append("\t")
        elif tag in ("br", "cr"):
            out.append("\n")
        elif tag == "noBreakHyphen":
            out.append("-")
        elif tag == "p":                       # a paragraph inside a text box anchored here
            out.append("\n")
            _inline_text(child, out)
        elif tag == "tbl":
            out.append("\n" + "\n".join(_table_lines(child)) + "\n")
        else:
            _inline_text(child, out)


def _paragraph(elem: ET.Element) -> str:
    out: list[str] = []
    _inline_text(elem, out)
    return "".join(out)


def _block_lines(container: ET.Element) -> list[str]:
    """Paragraphs and tables of a body, cell, header or note, in reading order."""
    lines: list[str] = []
    for child in container:
        tag = _local(child.tag)
        if tag == "p":
            lines.append(_paragraph(child))
        elif tag == "tbl":
            lines.extend(_table_lines(child))
        elif tag in _SKIP:
            continue
        else:                                  # w:sdt/w:sdtContent, w:customXml, w:ins … wrap blocks
            lines.extend(_block_lines(child))
    return lines


def _rows(tbl: ET.Element):
    for child in tbl:
        tag = _local(child.tag)
        if tag == "tr":
            yield child
        elif tag not in _SKIP and tag not in ("tblGrid",):
            yield from _rows(child)            # rows wrapped in content controls


def _cells(tr: ET.Element):
    for child in tr:
        tag = _local(child.tag)
        if tag == "tc":
            yield child
        elif tag not in _SKIP:
            yield from _cells(child)


def _table_lines(tbl: ET.Element) -> list[str]:
    """One line per row, cells separated by ' | ', so a row's label and value stay together."""
    lines = []
    for tr in _rows(tbl):
        cells = [" ".join(line.strip() for line in _block_lines(tc) if line.strip()) for tc in _cells(tr)]
        if any(cells):
            lines.append(_CELL_SEPARATOR.join(cells))
    return lines


def _numbered(names: list[str], prefix: str) -> list[str]:
    """word/header1.xml, word/header2.xml … in numeric order."""
    pattern = re.compile(rf"^word/{prefix}(\d*)\.xml$")
    found = [(int(m.group(1) or 0), n) for n in names if (m := pattern.match(n))]
    return [n for _, n in sorted(found)]


def _title(zf: zipfile.ZipFile, limits: Limits) -> str | None:
    try:
        info = zf.getinfo("docProps/core.xml")
    except KeyError:
        return None
    root = parse_part(read_member(zf, info, limits.max_file_bytes, limits.zip_max_ratio), "DOCX", limits.xml_max_bytes)
    for elem in root:
        if _local(elem.tag) == "title" and (elem.text or "").strip():
            return elem.text.strip()
    return None


@extractor("docx", formats=("docx",))
def extract_docx(data: bytes, name: str, limits: Limits) -> Extraction:
    zf = open_zip(data, "DOCX")
    names = zf.namelist()
    if DOCUMENT_PART not in names:
        raise ExtractorError(f"corrupt DOCX: {DOCUMENT_PART} is missing")

    def part_lines(part: str) -> list[str]:
        raw = read_member(zf, zf.getinfo(part), limits.max_file_bytes, limits.zip_max_ratio)
        root = parse_part(raw, "DOCX", limits.xml_max_bytes)
        body = next((c for c in root if _local(c.tag) == "body"), root)
        return _block_lines(body)

    sections: list[str] = []
    seen: set[str] = set()
    for part in _numbered(names, "header"):
        for line in part_lines(part):
            if line.strip() and line not in seen:   # first-page/even headers often repeat
                seen.add(line)
                sections.append(line)
    sections.extend(part_lines(DOCUMENT_PART))
    for part in ("word/footnotes.xml", "word/endnotes.xml", *_numbered(names, "footer")):
        if part in names:
            for line in part_lines(part):
                if line.strip() and line not in seen:
                    seen.add(line)
                    sections.append(line)
    text = "\n".join(sections).strip("\n")
    return Extraction(pages=[Page(1, text)], title=_title(zf, limits))
