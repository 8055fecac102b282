"""The Excel workbook (tuscan/report/xlsx.py)."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl import Workbook

from tests.output_fixtures import EVIL_PATH, build_output_db
from tuscan.labels import CATEGORY_ORDER, CATEGORY_SHEETS
from tuscan.report import write_report
from tuscan.report.xlsx import add_sheet

SHEETS = ["Oversigt", *(CATEGORY_SHEETS[c] for c in CATEGORY_ORDER), "Evidens", "Ulæselige dokumenter", "Ændringer"]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xlsx")
    db = build_output_db(folder / "inventory.duckdb")
    written = write_report(db, xlsx=folder / "report.xlsx")
    assert written == [folder / "report.xlsx"]
    return openpyxl.load_workbook(folder / "report.xlsx")


def _records(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_sheets_headers_and_filters(workbook):
    assert workbook.sheetnames == SHEETS
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert all(cell.font.bold for cell in sheet[1]), sheet.title


def test_rows_per_category(workbook):
    counts = {c: len(_records(workbook[CATEGORY_SHEETS[c]])) for c in CATEGORY_ORDER}
    assert counts == {"own": 3, "unknown": 1, "shared": 3, "common_public": 1, "not_tu": 1}
    own = {r["System"]: r for r in _records(workbook[CATEGORY_SHEETS["own"]])}
    assert own["Korsbæk Byggesag"]["Foreslået sikringsniveau"] == "Betydelig"
    assert own["Korsbæk Byggesag"]["Kategori"] == "Egen TU-løsning"
    assert "PID/RID" in own["Korsbæk Byggesag"]["Flag"]
    assert own["Korsbæk Kolonihaver"]["Afgjort af"] == "person"


def test_evidence_unreadable_and_overview(workbook):
    assert len(_records(workbook["Evidens"])) == 11
    unreadable = _records(workbook["Ulæselige dokumenter"])
    assert [r["Dokument"] for r in unreadable][0] == EVIL_PATH
    overview = {r["Kategori"]: r["Systemer"] for r in _records(workbook["Oversigt"])}
    assert overview["Egen TU-løsning"] == 3 and overview["I alt"] == 9
    assert len(_records(workbook["Ændringer"])) == 4


def test_text_starting_with_equals_is_not_a_formula(tmp_path):
    book = Workbook()
    book.remove(book.active)
    add_sheet(book, "S", ["Dokument"], [['=HYPERLINK("http://evil","klik")']])
    book.save(tmp_path / "s.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "s.xlsx")["S"]["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_example_inventory_workbook(example_db, tmp_path):
    write_report(example_db, xlsx=tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert len(_records(book[CATEGORY_SHEETS["own"]])) == 4
    assert len(_records(book["Ulæselige dokumenter"])) == 4
