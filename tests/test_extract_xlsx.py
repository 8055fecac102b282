"""XLSX: one page per sheet, cells joined with ' | '. Active once "xlsx" is in FORMAT_MODULES."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

import extractors
from extractors import extract
from extractors.base import ERROR, OK

pytestmark = pytest.mark.skipif(
    "xlsx" not in extractors.FORMAT_MODULES,
    reason="extractors/xlsx.py is not yet listed in extractors.FORMAT_MODULES (importing it here "
           "would change the registry that test_extractors_registry.py checks)")

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


def make_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Systemer"
    sheet.append(["System", "Login", "Antal"])
    sheet.append(["Selvbetjening Byg", "NemLog-in", 3.0])
    workbook.create_sheet("Tom")
    workbook.properties.title = "Systemliste"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_sheets_become_pages_with_rows_as_lines():
    result = extract(make_xlsx(), "systemer.xlsx")
    assert result.status == OK and result.extractor == "xlsx"
    assert [p.number for p in result.pages] == [1, 2]
    assert result.pages[0].text == "Systemer\nSystem | Login | Antal\nSelvbetjening Byg | NemLog-in | 3"
    assert result.pages[1].text == "Tom"
    assert result.title == "Systemliste"


def test_xlsx_without_suffix_is_read_as_xlsx():
    assert extract(make_xlsx(), "eksport").extractor == "xlsx"


def test_xlsx_with_entity_declaration_is_refused():
    from tests.test_extract_docx import rewrite_part

    data = rewrite_part(make_xlsx(), "xl/workbook.xml",
                        lambda raw: b'<!DOCTYPE x [<!ENTITY a "b">]>' + raw.split(b"?>", 1)[-1])
    result = extract(data, "lol.xlsx")
    assert result.status == ERROR and "XML DTD/entity declaration" in result.error


@pytest.mark.skipif(not (REALDATA / "kitos_and_systemlists").is_dir(), reason="../shared/realdata not present")
def test_real_kitos_contract_export():
    path = REALDATA / "kitos_and_systemlists" / "valid_it_contract_example.xlsx"
    result = extract(path.read_bytes(), path.name)
    assert result.status == OK
    assert "IT Kontrakt Navn (påkrævet)" in result.text
