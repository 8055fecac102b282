"""Legacy Office (OLE2 .doc, .xls, .ppt), recognised by their streams and read with real tools.

The sample files are real documents from Apache POI's and textract's test suites (see
tests/data/formats/README.md). antiword, catdoc and catppt are Debian packages; without them a file
is `unsupported` with the install hint.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractors import extract, tools
from extractors.base import ERROR, OK, UNSUPPORTED
from extractors.legacy import OLE2_MAGIC

FORMATS = Path(__file__).parent / "data" / "formats"
needs_antiword = pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword not installed")
needs_catdoc = pytest.mark.skipif(shutil.which("catdoc") is None, reason="catdoc not installed")
needs_catppt = pytest.mark.skipif(shutil.which("catppt") is None, reason="catppt (catdoc) not installed")


def sample(name: str) -> bytes:
    return (FORMATS / name).read_bytes()


@needs_antiword
@needs_catdoc
def test_word_97_document_body_and_header():
    result = extract(sample("HeaderFooterUnicode.doc"), "kontrakt.doc")
    assert result.status == OK and result.extractor == "doc", result.error
    assert "L'Avare ou l'École du mensonge" in result.text          # body, accents decoded as UTF-8
    assert "Les Précieuses ridicules" in result.text
    assert "This is a simple header, with a € euro symbol in it." in result.text   # from catdoc


@needs_catdoc
def test_word_6_document_is_read_by_catdoc_when_antiword_refuses_it():
    result = extract(sample("Word6.doc"), "gammel.doc")
    assert result.status == OK and "The quick brown fox jumps over the lazy dog" in result.text


@needs_antiword
def test_doc_with_wrong_suffix_is_recognised_by_its_streams():
    result = extract(sample("HeaderFooterUnicode.doc"), "bilag_uden_endelse.bin")
    assert result.extractor == "doc" and "Molière" in result.text


def test_encrypted_doc_and_ppt_are_errors_saying_encrypted():
    for name, label in (("PasswordProtected.doc", "Word 97-2003 document (.doc)"),
                        ("Password_Protected-hello.ppt", "PowerPoint 97-2003 presentation (.ppt)")):
        result = extract(sample(name), name)
        assert result.status == ERROR
        assert result.error.startswith(f"encrypted (password-protected) {label}")


@needs_catppt
def test_powerpoint_97_slides():
    result = extract(sample("basic_test_ppt_file.ppt"), "oplæg.ppt")
    assert result.status == OK and result.extractor == "ppt", result.error
    assert "This is the title on page 2" in result.text and "It has several blocks of text" in result.text
    assert "\f" not in result.text and "\v" not in result.text


def test_excel_97_workbook_one_page_per_sheet():
    result = extract(sample("standardized_text.xls"), "systemer.xls")
    assert result.status == OK and result.extractor == "xls", result.error
    assert [p.number for p in result.pages] == [1]
    assert result.pages[0].text.split("\n")[:2] == ["Sheet1", "the | quick | brown | fox"]


def test_missing_tool_is_unsupported_with_install_hint(monkeypatch):
    monkeypatch.setattr(tools.shutil, "which", lambda _name: None)
    result = extract(sample("basic_test_ppt_file.ppt"), "oplæg.ppt")
    assert result.status == UNSUPPORTED
    assert result.error == ("no reader for PowerPoint 97-2003 presentation (.ppt): install catppt "
                            "(apt-get install catdoc)")
    result = extract(sample("HeaderFooterUnicode.doc"), "kontrakt.doc")
    assert result.status == UNSUPPORTED and "install antiword (apt-get install antiword)" in result.error


def test_password_protected_ooxml_is_an_error_not_unsupported():
    # A minimal compound file with an EncryptedPackage stream, as Office writes a protected .docx.
    data = _compound_file({"EncryptedPackage": b"\0" * 64, "EncryptionInfo": b"\0" * 64})
    result = extract(data, "hemmelig.docx")
    assert result.status == ERROR
    assert "encrypted (password-protected) Office document" in result.error


def test_hand_written_compound_file_is_read_by_olefile():
    import io

    import olefile

    with olefile.OleFileIO(io.BytesIO(_compound_file({"Workbook": b"x", "Other": b"y"}))) as ole:
        assert sorted(e[0] for e in ole.listdir()) == ["Other", "Workbook"]


def test_doc_suffix_without_ole2_content_is_corrupt():
    result = extract(b"\x01\x02\x03 this is not a word file", "kontrakt.doc")
    assert result.status == ERROR and "corrupt Word 97-2003 document" in result.error


def test_truncated_compound_file_is_corrupt():
    result = extract(sample("HeaderFooterUnicode.doc")[:3000], "halv.doc")
    assert result.status == ERROR and result.error.startswith("corrupt Word 97-2003 document (.doc)")


def test_unknown_compound_file_is_unsupported():
    result = extract(_compound_file({"Thumbnails": b"x" * 64}), "Thumbs.db")
    assert result.status == UNSUPPORTED and "OLE2 compound file of a kind tuscan cannot read" in result.error


def _compound_file(streams: dict[str, bytes]) -> bytes:
    """A valid OLE2 file holding the given streams: the 512-byte-sector layout olefile reads.

    Written by hand (version 3, one FAT sector, streams in regular sectors) because no library in
    the venv writes compound files; every stream is padded to 4096 bytes so the mini stream is
    not needed.
    """
    import struct

    sector = 512
    names = list(streams)
    datas = [streams[n].ljust(4096, b"\0") for n in names]
    # Sector layout: 0 = FAT, 1 = directory, then each stream's 8 sectors.
    chains: list[int] = []
    fat = [0xFFFFFFFD, 0xFFFFFFFE]                 # FAT sector, directory (one sector: 4 entries)
    start = 2
    for data in datas:
        count = len(data) // sector
        chains.append(start)
        fat.extend(list(range(start + 1, start + count)) + [0xFFFFFFFE])
        start += count
    fat += [0xFFFFFFFF] * (128 - len(fat))
    header = bytearray(sector)
    header[:8] = OLE2_MAGIC
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 40, 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE)
    struct.pack_into("<I", header, 68, 0)           # no DIFAT sectors
    struct.pack_into("<I", header, 72, 0)
    struct.pack_into("<I", header, 76, 0)           # first DIFAT entry: FAT in sector 0
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, 0xFFFFFFFF)

    def entry(name: str, kind: int, child: int, left: int, right: int, first: int, size: int) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        raw[:len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, left, right, child)
        struct.pack_into("<II", raw, 116, first, size)
        return bytes(raw)

    none = 0xFFFFFFFF
    entries = [entry("Root Entry", 5, 1, none, none, 0xFFFFFFFE, 0)]
    for i, (_name, data) in enumerate(zip(names, datas, strict=True)):
        right = i + 2 if i + 1 < len(names) else none
        entries.append(entry(names[i], 2, none, none, right, chains[i], len(data)))
    directory = b"".join(entries).ljust(sector, b"\0")
    fat_sector = struct.pack(f"<{128}I", *fat)
    return bytes(header) + fat_sector + directory + b"".join(datas)


def test_missing_library_is_unsupported_with_the_package_to_install(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "xlrd", None)          # import xlrd now raises ImportError
    result = extract(sample("standardized_text.xls"), "systemer.xls")
    assert result.status == UNSUPPORTED
    assert result.error == ("no reader for Excel 97-2003 workbook (.xls): install the Python package xlrd "
                            "(pip install xlrd)")
