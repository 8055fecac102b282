"""PDF extraction: per-page text with pypdfium2, hyphen markers, titles, passwords, no text layer."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractors import extract
from extractors.base import NO_TEXT, OK
from extractors.pdf import clean_page_text, extract_text_pdfplumber

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


def make_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A text PDF: one list of lines per page."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    if title:
        pdf.setTitle(title)
    for lines in pages:
        y = 780
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 14
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_image_only_pdf() -> bytes:
    """A 'scanned' page: an image of text, no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1700, 400), 255)
    ImageDraw.Draw(image).text((60, 150), "Aftale om medarbejdersignatur", fill=0,
                               font=ImageFont.load_default(size=72))
    png = io.BytesIO()
    image.save(png, format="PNG")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    from reportlab.lib.utils import ImageReader

    pdf.drawImage(ImageReader(io.BytesIO(png.getvalue())), 40, 500, width=510, height=120)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def encrypt(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="ejer", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_text_per_page_with_page_numbers():
    result = extract(make_pdf([["Kontrakt om drift"], ["Login med NemID"], ["Bilag 3"]]), "k.pdf")
    assert result.status == OK and result.extractor == "pdf"
    assert [p.number for p in result.pages] == [1, 2, 3]
    assert "Login med NemID" in result.pages[1].text
    assert "NemID" not in result.pages[0].text
    assert not any(p.ocr for p in result.pages)


def test_end_of_line_hyphen_marker_becomes_hyphen_and_newline():
    result = extract(make_pdf([["Login med Nem-", "ID og medarbejder-", "signatur."]]), "h.pdf")
    text = result.pages[0].text
    assert "\ufffe" not in text and "\x02" not in text
    assert "Nem-\nID" in text and "medarbejder-\nsignatur" in text


def test_clean_page_text_handles_both_markers_and_crlf():
    assert clean_page_text("Nem\ufffeID\r\nmedarbejder\x02signatur") == "Nem-\nID\nmedarbejder-\nsignatur"


def test_danish_letters_survive():
    result = extract(make_pdf([["Kommunens tjenesteudbyderløsning på Æbelø"]]), "dk.pdf")
    assert "tjenesteudbyderløsning på Æbelø" in result.text


def test_title_from_metadata():
    assert extract(make_pdf([["x"]], title="Leverancekontrakt"), "t.pdf").title == "Leverancekontrakt"


def test_empty_user_password_is_tried_like_readers_do():
    result = extract(encrypt(make_pdf([["Aftale om NemLog-in"]]), user_password=""), "e.pdf")
    assert result.status == OK
    assert "NemLog-in" in result.text


def test_wrong_extension_is_read_by_content():
    result = extract(make_pdf([["MitID Erhverv"]]), "kontrakt.dat")
    assert result.extractor == "pdf" and "MitID Erhverv" in result.text


def test_tight_spacing_keeps_spaces_in_pdfplumber_layout_path():
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont("Helvetica", 10)
    x = 72.0
    for word in ["Login", "med", "medarbejdersignatur"]:
        pdf.drawString(x, 700, word)
        x += pdf.stringWidth(word, "Helvetica", 10) + 2.2   # narrower than pdfplumber's default tolerance
    pdf.showPage()
    pdf.save()
    assert extract_text_pdfplumber(buffer.getvalue()) == ["Login med medarbejdersignatur"]
    assert "Login med medarbejdersignatur" in extract(buffer.getvalue(), "tight.pdf").text


def test_image_only_pdf_without_ocr_is_no_text_with_install_hint(monkeypatch):
    monkeypatch.setattr("extractors.ocr.available", lambda: False)
    result = extract(make_image_only_pdf(), "scan.pdf")
    assert result.status == NO_TEXT
    assert "no text layer" in result.error and "apt-get install tesseract-ocr tesseract-ocr-dan" in result.error


def test_mixed_pdf_without_ocr_keeps_text_pages(monkeypatch):
    monkeypatch.setattr("extractors.ocr.available", lambda: False)
    text_pdf = PdfReader(io.BytesIO(make_pdf([["Aftale om NemID"]])))
    scan_pdf = PdfReader(io.BytesIO(make_image_only_pdf()))
    writer = PdfWriter()
    writer.add_page(text_pdf.pages[0])
    writer.add_page(scan_pdf.pages[0])
    out = io.BytesIO()
    writer.write(out)
    result = extract(out.getvalue(), "mixed.pdf")
    assert result.status == OK
    assert "NemID" in result.pages[0].text and result.pages[1].text.strip() == ""


@pytest.mark.skipif(not (REALDATA / "docs_positive").is_dir(), reason="../shared/realdata not present")
def test_real_signaturcentral_pdf_mentions_medarbejdersignatur():
    path = REALDATA / "docs_positive" / "SOFD Core - Signaturcentral indlaesningsintegration.pdf"
    result = extract(path.read_bytes(), path.name)
    assert result.status == OK and len(result.pages) == 4
    assert "medarbejdersignatur" in result.text.lower()
