"""Content decides the format, the suffix only breaks ties; no file ever disappears into its members."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from extractors import extract
from extractors.base import CONTAINER, OK
from extractors.sniff import sniff
from tests.test_extract_docx import make_docx
from tests.test_extract_email import make_mail
from tests.test_extract_odf import TEXT_BODY, make_odf
from tests.test_extract_pdf import make_pdf
from tests.test_extract_pptx import make_pptx_by_hand
from tests.test_extract_rtf import RTF
from tests.test_extract_zip import make_zip


def make_xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["System", "NemLog-in"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def docx_with_macro_suffix() -> bytes:
    return make_docx(lambda d: d.add_paragraph("Login med MitID"))


DOCUMENTS = {
    "docx": (lambda: make_docx(lambda d: d.add_paragraph("Login med MitID")), "Login med MitID"),
    "xlsx": (make_xlsx, "System | NemLog-in"),
    "pptx": (lambda: make_pptx_by_hand(["MitID Erhverv"]), "MitID Erhverv"),
    "odf": (lambda: make_odf("odt", TEXT_BODY), "Byggesag | MitID Erhverv"),
    "pdf": (lambda: make_pdf([["Medarbejdersignatur"]]), "Medarbejdersignatur"),
    "rtf": (lambda: RTF, "NemID"),
    "eml": (make_mail, "Kontrakt om Byg og Miljø"),
    "html": (lambda: b"<!DOCTYPE html><html><body>NemLog-in</body></html>", "NemLog-in"),
}


@pytest.mark.parametrize("kind", DOCUMENTS)
@pytest.mark.parametrize("name", ["Bilag 3", "Bilag 3.zip", "Bilag 3.txt", "Bilag 3.xls", "Bilag 3.bin"])
def test_documents_are_read_by_content_whatever_their_suffix(kind, name):
    make, words = DOCUMENTS[kind]
    result = extract(make(), name)
    assert result.extractor == kind, (kind, name, result.error)
    assert result.status == OK and words in result.text
    assert result.members == []           # never a folder of XML parts


def test_office_documents_inside_a_zip_are_one_member_each():
    data = make_zip({"a.odt": make_odf("odt", TEXT_BODY), "b": make_pptx_by_hand(["MitID"]),
                     "c.zip": docx_with_macro_suffix(), "d.xlsx": make_xlsx()})
    result = extract(data, "samling.zip")
    assert result.status == CONTAINER
    assert {m.name: m.extraction.extractor for m in result.members} == {
        "a.odt": "odf", "b": "pptx", "c.zip": "docx", "d.xlsx": "xlsx"}
    assert all(m.extraction.members == [] for m in result.members)


def test_plain_zip_stays_a_container():
    assert sniff(make_zip({"a.txt": b"x"}), "bilag.docx") == "docx"   # the DOCX reader then says corrupt
    assert sniff(make_zip({"a.txt": b"x"}), "bilag") == "zip"
    assert sniff(make_zip({"a.txt": b"x"}), "bilag.zip") == "zip"


@pytest.mark.parametrize(("mimetype", "kind"), [
    ("application/vnd.oasis.opendocument.text", "odt"),
    ("application/vnd.oasis.opendocument.spreadsheet", "ods"),
    ("application/vnd.oasis.opendocument.presentation", "odp"),
    ("application/vnd.oasis.opendocument.text-template", "odt"),
])
def test_odf_kind_from_the_mimetype_member(mimetype, kind):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", mimetype)
        zf.writestr("content.xml", "<x/>")
    assert sniff(out.getvalue(), "fil") == kind


def test_ooxml_kind_from_content_types_when_the_main_part_has_another_name():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", '<Types><Override PartName="/word/main.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    assert sniff(out.getvalue(), "x") == "docx"


@pytest.mark.parametrize(("data", "expected"), [
    (b"<html><body>x</body></html>", "html"),
    (b"\xef\xbb\xbf<!DOCTYPE html>\n<html>", "html"),
    (b"<?xml version='1.0'?>\n<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0//EN' 'x'><html>", "html"),
    (b"Received: from x\r\nFrom: a@b.dk\r\nSubject: s\r\n\r\nbody", "eml"),
    (b"From: a@b.dk\nTo: c@d.dk\n\tfolded\nSubject: s\n\nbody", "eml"),
    (b"Navn: Jens\nAdresse: Vej 1\n\nbrev", "text"),    # header-like lines, but no mail headers
    (b"\x89PNG\r\n\x1a\n....", "image"),
    (b"%PDF-1.7\n", "pdf"),
    (b"{\\rtf1 x}", "rtf"),
    (b"\x7fELF\x02\x01\x01\x00\x00", None),
])
def test_sniff_without_suffix(data, expected):
    assert sniff(data, "uden_endelse") == expected


def test_a_text_that_mentions_a_pdf_header_is_not_a_pdf():
    assert sniff(b"Noter\nFilen starter med %PDF-1.7 som alle PDF-filer\n", "noter.txt") == "text"
    assert sniff(b"junk from a mail gateway\r\n%PDF-1.4\n", "bilag.pdf") == "pdf"
    assert sniff(b"junk\r\n%PDF-1.4\n", "bilag") == "pdf"


def test_suffix_breaks_the_tie_when_content_says_nothing():
    assert sniff(b"just bytes", "kontrakt.pdf") == "pdf"     # the PDF reader says "not a PDF"
    assert sniff(b"a;b;c\n1;2;3\n", "liste.csv") == "text"
    assert sniff(b"<p>fragment</p>", "side.htm") == "html"


def test_other_ooxml_packages_are_one_unsupported_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", '<Types><Override PartName="/xl/workbook.bin" ContentType="application/'
                    'vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>')
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")
    result = extract(out.getvalue(), "regneark.xlsb")
    assert result.status == "unsupported" and result.members == []
    assert "Office Open XML package of a kind tuscan cannot read" in result.error
