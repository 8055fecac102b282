"""Legacy Excel 97-2003 workbooks (.xls): one page per sheet with xlrd.

xlrd is the maintained reader for the BIFF format (its 2.x line reads only .xls, which is what
it is used for here); pure Python, no system tool. Measured on textract's sample workbook it
reads every cell. Rows become lines with cells separated by ' | ', as for XLSX.
"""

from __future__ import annotations

from extractors import extractor
from extractors.base import Encrypted, Extraction, ExtractorError, Limits, Page, require

WHAT = "Excel 97-2003 workbook (.xls)"
MAX_CELLS = 5_000_000      # a workbook larger than this is a bomb, not a system list


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@extractor("xls", formats=("xls",))
def extract_xls(data: bytes, name: str, limits: Limits) -> Extraction:
    xlrd = require("xlrd", WHAT, "xlrd")
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=_Quiet())
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise Encrypted(f"encrypted (password-protected) {WHAT}; remove the password or export it "
                            f"to PDF") from exc
        raise ExtractorError(f"corrupt {WHAT}: {exc}") from exc
    except Exception as exc:   # xlrd raises struct.error, IndexError, AssertionError … on broken files
        raise ExtractorError(f"corrupt {WHAT}: {type(exc).__name__}: {exc}") from exc
    try:
        if book.nsheets > limits.max_pages:
            raise ExtractorError(f"{WHAT} has {book.nsheets} sheets, more than the limit of "
                                 f"{limits.max_pages} (max_pages)")
        pages = []
        cells = 0
        for number in range(book.nsheets):
            sheet = book.sheet_by_index(number)
            cells += sheet.nrows * sheet.ncols
            if cells > MAX_CELLS:
                raise ExtractorError(f"{WHAT} has more than {MAX_CELLS} cells (possible bomb)")
            lines = [sheet.name]
            for row in range(sheet.nrows):
                values = [_cell(v) for v in sheet.row_values(row)]
                while values and not values[-1]:
                    values.pop()
                if values:
                    lines.append(" | ".join(values))
            pages.append(Page(number + 1, "\n".join(lines)))
            book.unload_sheet(number)
    finally:
        book.release_resources()
    return Extraction(pages=pages)


class _Quiet:
    """xlrd writes warnings to a log file object; tuscan records reasons, not console noise."""

    def write(self, _text: str) -> None:
        pass
