"""XLSX workbooks (KITOS exports, system lists attached to contracts): one page per sheet.

Rows become lines with cells separated by ' | '. openpyxl's read-only mode streams the sheets; the
zip and XML parts are checked first with the shared hardened parser (extractors.xmlsafe: bomb
limits, no DTD/entity declarations) before openpyxl parses anything.
"""

from __future__ import annotations

import io
import zipfile

from extractors import extractor
from extractors.base import Extraction, ExtractorError, Limits, Page
from extractors.xmlsafe import check
from extractors.zip import open_zip, read_member


def _check_parts(zf: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse bombs and DTDs before openpyxl parses anything."""
    for info in zf.infolist():
        if info.filename.endswith((".xml", ".rels")):
            check(read_member(zf, info, limits.max_file_bytes, limits.zip_max_ratio), "XLSX")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@extractor("xlsx", formats=("xlsx",))
def extract_xlsx(data: bytes, name: str, limits: Limits) -> Extraction:
    from openpyxl import load_workbook

    zf = open_zip(data, "XLSX")
    if "xl/workbook.xml" not in zf.namelist():
        raise ExtractorError("corrupt XLSX: xl/workbook.xml is missing")
    _check_parts(zf, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, TypeError … for broken parts
        raise ExtractorError(f"corrupt XLSX: {type(exc).__name__}: {exc}") from exc
    try:
        if len(workbook.sheetnames) > limits.max_pages:
            raise ExtractorError(f"XLSX has {len(workbook.sheetnames)} sheets, more than the limit of "
                                 f"{limits.max_pages} (max_pages)")
        pages = []
        for number, sheet in enumerate(workbook.worksheets, start=1):
            lines = [sheet.title]
            for row in sheet.iter_rows(values_only=True):
                cells = [_cell(v) for v in row]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    lines.append(" | ".join(cells))
            pages.append(Page(number, "\n".join(lines)))
        title = (workbook.properties.title or "").strip() or None
    finally:
        workbook.close()
    return Extraction(pages=pages, title=title)
