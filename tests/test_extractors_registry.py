"""The registry of formats: exactly these extractors, format ids and suffixes, each registered once."""

from __future__ import annotations

import pytest

import extractors
from extractors import extract, extractor, registered, registered_formats

EXPECTED = {
    "doc": (".doc", ".dot"),
    "docx": (".docx", ".docm", ".dotx", ".dotm"),
    "eml": (".eml", ".mht", ".mhtml"),
    "html": (".html", ".htm", ".xhtml"),
    "image": (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif", ".bmp"),
    "legacy": (),
    "msg": (".msg",),
    "odf": (".odt", ".ott", ".ods", ".ots", ".odp", ".otp"),
    "pdf": (".pdf",),
    "ppt": (".ppt", ".pps", ".pot"),
    "pptx": (".pptx", ".pptm", ".ppsx", ".potx"),
    "rtf": (".rtf",),
    "text": (".txt", ".csv", ".tsv", ".md"),
    "xls": (".xls", ".xlt"),
    "xlsx": (".xlsx", ".xlsm", ".xltx", ".xltm"),
    "zip": (".zip",),
}
EXPECTED_FORMATS = {
    "doc": ("doc",), "docx": ("docx",), "eml": ("eml",), "html": ("html",), "image": ("image",),
    "legacy": ("ole-encrypted", "ole", "ooxml"), "msg": ("msg",), "odf": ("odt", "ods", "odp"), "pdf": ("pdf",),
    "ppt": ("ppt",), "pptx": ("pptx",), "rtf": ("rtf",), "text": ("text",), "xls": ("xls",),
    "xlsx": ("xlsx",), "zip": ("zip",),
}


def test_registry_is_exactly_the_format_modules():
    assert registered() == EXPECTED
    assert registered_formats() == EXPECTED_FORMATS


def test_every_format_module_registers_itself():
    assert set(extractors.FORMAT_MODULES) == set(EXPECTED)


def test_registering_a_name_suffix_or_format_twice_fails():
    with pytest.raises(ValueError, match="registered twice"):
        extractor("pdf")(lambda data, name, limits: None)
    with pytest.raises(ValueError, match="suffix '.pdf' registered twice"):
        extractor("other-pdf", suffixes=(".pdf",))(lambda data, name, limits: None)
    with pytest.raises(ValueError, match="format 'pdf' registered twice"):
        extractor("third-pdf", formats=("pdf",))(lambda data, name, limits: None)
    assert "other-pdf" not in registered() and "third-pdf" not in registered()


def test_unknown_format_is_unsupported():
    result = extract(b"\x7fELF\x02\x01", "program")
    assert result.status == "unsupported"
    assert result.error == ("no reader for this kind of file (not PDF, Office, OpenDocument, e-mail, RTF, HTML, "
                            "image, zip or text; it starts with 7f 45 4c 46 02 01)")
    assert "program" not in result.error      # the record is shared by every file with these bytes


def test_text_without_a_suffix_is_read_as_text():
    result = extract("Aftalen forudsætter login med MitID.\n".encode(), "LÆSMIG")
    assert result.status == "ok" and result.extractor == "text" and "MitID" in result.text


def test_readers_never_import_the_registry_for_members():
    """Container readers hand raw members back; only extractors/__init__.py calls extract()."""
    import ast
    from pathlib import Path

    package = Path(extractors.__file__).parent
    for path in package.glob("*.py"):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "extractors":
                names = {alias.name for alias in node.names}
                assert "extract" not in names and "registered" not in names, path.name


def test_package_imports_nothing_from_tuscan_but_the_keyword_finder():
    import ast
    from pathlib import Path

    package = Path(extractors.__file__).parent
    for path in package.glob("*.py"):
        if path.name in ("keywords.py", "cpr.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(m == "tuscan" or m.startswith("tuscan.") for m in modules), path.name


def test_a_registration_with_a_content_test_is_tried_before_the_sniffer(monkeypatch):
    from extractors.base import Extraction, Page

    # Registered into copies of the registry, so the real one is unchanged after the test.
    extractors.load_readers()
    monkeypatch.setattr(extractors, "_BY_NAME", dict(extractors._BY_NAME))
    monkeypatch.setattr(extractors, "_BY_FORMAT", dict(extractors._BY_FORMAT))
    monkeypatch.setattr(extractors, "_SUFFIX_OWNER", dict(extractors._SUFFIX_OWNER))
    monkeypatch.setattr(extractors, "_TESTED", list(extractors._TESTED))

    @extractor("sdo", formats=("sdo",), suffixes=(".sdo",), test=lambda data, name: data.startswith(b"SDO1"))
    def read_sdo(data, name, limits):
        return Extraction(pages=[Page(1, data[4:].decode())])

    assert registered()["sdo"] == (".sdo",)
    result = extract(b"SDO1Login med MitID", "uden endelse.txt")     # content test beats the .txt suffix
    assert result.extractor == "sdo" and result.text == "Login med MitID"
    assert extract(b"almindelig tekst", "noter.txt").extractor == "text"
