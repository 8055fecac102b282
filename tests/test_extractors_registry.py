"""The registry of formats: exactly these extractors and suffixes, each registered once."""

from __future__ import annotations

import pytest

import extractors
from extractors import extract, extractor, registered

EXPECTED = {
    "docx": (".docx", ".docm"),
    "html": (".html", ".htm"),
    "image": (".png", ".jpg", ".jpeg", ".tif", ".tiff"),
    "legacy": (".doc", ".dot", ".xls", ".ppt", ".msg", ".rtf"),
    "pdf": (".pdf",),
    "text": (".txt", ".csv", ".tsv", ".md"),
    "zip": (".zip",),
}
if "xlsx" in extractors.FORMAT_MODULES:    # extractors/xlsx.py exists; the lead lists it in FORMAT_MODULES
    EXPECTED["xlsx"] = (".xlsx", ".xlsm")


def test_registry_is_exactly_the_format_modules():
    assert registered() == EXPECTED


def test_every_format_module_registers_itself():
    assert set(extractors.FORMAT_MODULES) == set(EXPECTED)


def test_registering_a_name_or_suffix_twice_fails():
    with pytest.raises(ValueError, match="registered twice"):
        extractor("pdf")(lambda data, name, limits: None)
    with pytest.raises(ValueError, match="suffix '.pdf' registered twice"):
        extractor("other-pdf", suffixes=(".pdf",))(lambda data, name, limits: None)


def test_unknown_format_is_unsupported():
    result = extract(b"\x7fELF\x02\x01", "program")
    assert result.status == "unsupported" and "no reader for files like 'program'" in result.error
