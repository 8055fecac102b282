"""PPTX (PowerPoint 2007+; vendors' system presentations): one page per slide, notes and tables included.

Reads the PresentationML parts directly with the shared hardened parser (extractors.xmlsafe), like
DOCX, instead of python-pptx (which parses with lxml outside that parser and offers nothing more
for plain text). Slides come in presentation order (`p:sldIdLst` in ppt/presentation.xml and its
relationships), falling back to slide number order. Per slide: every text body's paragraphs
(shapes, groups, placeholders) with runs joined and `a:br` as a line break, tables one line per
row with cells separated by ' | ', SmartArt text (its diagram data part), then the speaker notes
(the notes slide's body placeholder).
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile

from extractors import extractor
from extractors.base import Extraction, ExtractorError, Limits, Page
from extractors.xmlsafe import local, parse
from extractors.zip import open_zip, read_member

WHAT = "PPTX"
PRESENTATION_PART = "ppt/presentation.xml"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SLIDE = re.compile(r"^ppt/slides/slide(\d+)\.xml$")
_CELL_SEPARATOR = " | "


def _paragraph(p: ET.Element) -> str:
    out: list[str] = []
    for elem in p.iter():
        tag = local(elem.tag)
        if tag == "t":
            out.append(elem.text or "")
        elif tag == "br":
            out.append("\n")
        elif tag == "tab":
            out.append("\t")
    return "".join(out)


def _text_lines(elem: ET.Element, out: list[str], placeholder_types: set[str] | None = None) -> None:
    """Paragraphs of text bodies and table rows under `elem`, in document order."""
    for child in elem:
        tag = local(child.tag)
        if tag == "tbl":
            for tr in (r for r in child.iter() if local(r.tag) == "tr"):
                cells = []
                for tc in (c for c in tr if local(c.tag) == "tc"):
                    cells.append(" ".join(_paragraph(p).strip() for p in tc.iter() if local(p.tag) == "p"
                                          and _paragraph(p).strip()))
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    out.append(_CELL_SEPARATOR.join(cells))
        elif tag == "txBody":
            out.extend(_paragraph(p) for p in child if local(p.tag) == "p")
        elif tag == "sp" and placeholder_types is not None:
            kind = next((ph.get("type", "body") for ph in child.iter() if local(ph.tag) == "ph"), None)
            if kind in placeholder_types:
                _text_lines(child, out)
        elif tag == "Fallback":            # mc:AlternateContent: the Choice carries the same text
            continue
        else:
            _text_lines(child, out, placeholder_types)


def _rels(zf: zipfile.ZipFile, part: str, limits: Limits) -> dict[str, tuple[str, str]]:
    """Relationship id → (type's last word, target part path) for one part."""
    folder, base = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", base + ".rels")
    try:
        info = zf.getinfo(rels_part)
    except KeyError:
        return {}
    root = parse(read_member(zf, info, limits.max_file_bytes, limits.zip_max_ratio), WHAT, limits.xml_max_bytes)
    rels = {}
    for rel in root:
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        rels[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], path)
    return rels


def _slide_order(zf: zipfile.ZipFile, names: set[str], limits: Limits) -> list[str]:
    numbered = sorted((int(m.group(1)), n) for n in names if (m := _SLIDE.match(n)))
    fallback = [n for _, n in numbered]
    try:
        info = zf.getinfo(PRESENTATION_PART)
    except KeyError:
        return fallback
    root = parse(read_member(zf, info, limits.max_file_bytes, limits.zip_max_ratio), WHAT, limits.xml_max_bytes)
    rels = _rels(zf, PRESENTATION_PART, limits)
    ordered = []
    for elem in root.iter():
        if local(elem.tag) == "sldId":
            rel = rels.get(elem.get(f"{{{_REL_NS}}}id", ""))
            if rel and rel[1] in names and rel[1] not in ordered:
                ordered.append(rel[1])
    # Slides the list leaves out (hidden from the order by a broken file) are still read, at the end.
    return ordered + [n for n in fallback if n not in ordered]


@extractor("pptx", formats=("pptx",))
def extract_pptx(data: bytes, name: str, limits: Limits) -> Extraction:
    zf = open_zip(data, WHAT)
    names = set(zf.namelist())
    if PRESENTATION_PART not in names:
        raise ExtractorError(f"corrupt PPTX: {PRESENTATION_PART} is missing")
    slides = _slide_order(zf, names, limits)
    if len(slides) > limits.max_pages:
        raise ExtractorError(f"PPTX has {len(slides)} slides, more than the limit of {limits.max_pages} (max_pages)")
    pages = []
    for number, part in enumerate(slides, start=1):
        root = parse(read_member(zf, zf.getinfo(part), limits.max_file_bytes, limits.zip_max_ratio), WHAT,
                     limits.xml_max_bytes)
        lines: list[str] = []
        _text_lines(root, lines)
        related = _rels(zf, part, limits).values()
        for kind, target in related:
            if kind == "diagramData" and target in names:       # SmartArt: its text lives in its own part
                diagram = parse(read_member(zf, zf.getinfo(target), limits.max_file_bytes, limits.zip_max_ratio),
                                WHAT, limits.xml_max_bytes)
                lines.extend(_paragraph(p) for p in diagram.iter() if local(p.tag) == "p")
        for kind, target in related:
            if kind == "notesSlide" and target in names:
                notes = parse(read_member(zf, zf.getinfo(target), limits.max_file_bytes, limits.zip_max_ratio),
                              WHAT, limits.xml_max_bytes)
                _text_lines(notes, lines, placeholder_types={"body"})
        pages.append(Page(number, "\n".join(line for line in lines if line.strip())))
    return Extraction(pages=pages, title=_title(zf, limits))


def _title(zf: zipfile.ZipFile, limits: Limits) -> str | None:
    try:
        info = zf.getinfo("docProps/core.xml")
    except KeyError:
        return None
    root = parse(read_member(zf, info, limits.max_file_bytes, limits.zip_max_ratio), WHAT, limits.xml_max_bytes)
    for elem in root:
        if local(elem.tag) == "title" and (elem.text or "").strip():
            return elem.text.strip()
    return None
