"""Legacy Office (OLE2) and RTF: recognised, reported as unsupported with a conversion hint."""

from __future__ import annotations

import pytest

from extractors import extract
from extractors.base import ERROR, UNSUPPORTED
from extractors.legacy import OLE2_MAGIC


def ole2(stream: str) -> bytes:
    """Just enough of a compound file for format sniffing: magic + a directory entry name."""
    return OLE2_MAGIC + b"\x00" * 504 + (stream + "\0").encode("utf-16-le") + b"\x00" * 1024


@pytest.mark.parametrize(
    ("data", "name", "label"),
    [
        (ole2("WordDocument"), "kontrakt.doc", "Word 97-2003 document (.doc)"),
        (ole2("Workbook"), "systemer.xls", "Excel 97-2003 workbook (.xls)"),
        (ole2("PowerPoint Document"), "oplæg.ppt", "PowerPoint 97-2003 presentation (.ppt)"),
        (ole2("WordDocument"), "kontrakt.bin", "Word 97-2003 document (.doc)"),   # by content
        (b"{\\rtf1\\ansi NemID}", "aftale.rtf", "RTF document (.rtf)"),
    ],
)
def test_legacy_formats_are_unsupported_with_the_format_named(data, name, label):
    result = extract(data, name)
    assert result.status == UNSUPPORTED and result.extractor == "legacy"
    assert label in result.error
    assert "convert it to PDF or DOCX" in result.error


def test_password_protected_docx_is_an_error_not_unsupported():
    result = extract(ole2("EncryptedPackage"), "hemmelig.docx")   # encrypted OOXML is an OLE2 file
    assert result.status == ERROR
    assert "encrypted (password-protected) Office document" in result.error


def test_doc_suffix_without_ole2_content_is_corrupt():
    result = extract(b"this is not a word file", "kontrakt.doc")
    assert result.status == ERROR and "corrupt Word 97-2003 document" in result.error
