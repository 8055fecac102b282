"""OCR with tesseract: scanned pages and images get text; only pages without text are OCR'd."""

from __future__ import annotations

import io
import subprocess

import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter

from extractors import extract, ocr
from extractors.base import NO_TEXT, OK
from tests.test_extract_pdf import make_image_only_pdf, make_pdf
from tests.test_extract_zip import make_zip

needs_tesseract = pytest.mark.skipif(
    not ocr.available(), reason="tesseract not installed: apt-get install tesseract-ocr tesseract-ocr-dan")


def scanned_png(text: str = "Aftale om medarbejdersignatur") -> bytes:
    image = Image.new("L", (1800, 300), 255)
    ImageDraw.Draw(image).text((40, 100), text, fill=0, font=ImageFont.load_default(size=64))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@needs_tesseract
def test_scanned_image_is_ocrd_with_confidence():
    result = extract(scanned_png(), "scan.png")
    assert result.status == OK and result.extractor == "image"
    page = result.pages[0]
    assert page.ocr is True
    assert "medarbejdersignatur" in page.text.lower()
    assert page.ocr_confidence is not None and 50 < page.ocr_confidence <= 100


@needs_tesseract
def test_image_only_pdf_is_ocrd():
    result = extract(make_image_only_pdf(), "scannet_kontrakt.pdf")
    assert result.status == OK
    assert result.pages[0].ocr is True
    assert "medarbejdersignatur" in result.pages[0].text.lower()


@needs_tesseract
def test_only_pages_without_text_are_ocrd():
    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(make_pdf([["Tekstlag med NemID og mere tekst her"]]))).pages[0])
    writer.add_page(PdfReader(io.BytesIO(make_image_only_pdf())).pages[0])
    out = io.BytesIO()
    writer.write(out)
    pages = extract(out.getvalue(), "blandet.pdf").pages
    assert pages[0].ocr is False and pages[0].ocr_confidence is None
    assert pages[0].text.strip() == "Tekstlag med NemID og mere tekst her"
    assert pages[1].ocr is True and "medarbejdersignatur" in pages[1].text.lower()


@needs_tesseract
def test_image_inside_zip_is_ocrd():
    member = extract(make_zip({"scan/side1.png": scanned_png()}), "scanninger.zip").members[0]
    assert member.extraction.pages[0].ocr is True
    assert "medarbejdersignatur" in member.extraction.text.lower()


def test_without_tesseract_images_are_no_text_with_install_hint(monkeypatch):
    monkeypatch.setattr("extractors.ocr.available", lambda: False)
    result = extract(scanned_png(), "scan.jpg")
    assert result.status == NO_TEXT
    assert "apt-get install tesseract-ocr tesseract-ocr-dan" in result.error


def test_tesseract_runs_single_threaded_with_danish(monkeypatch):
    seen = {}

    def fake_run(args, **kwargs):
        seen.update(args=args, env=kwargs["env"], timeout=kwargs["timeout"])
        tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tl\tt\tw\th\tconf\ttext\n" \
              "5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t90\tNemID\n"
        return subprocess.CompletedProcess(args, 0, tsv.encode(), b"")

    monkeypatch.setattr(ocr, "_languages", lambda: "dan+eng")
    monkeypatch.setattr(ocr.subprocess, "run", fake_run)
    assert ocr.ocr_image(b"png", timeout=7) == ("NemID", 90.0)
    assert seen["env"]["OMP_THREAD_LIMIT"] == "1"
    assert seen["args"][seen["args"].index("-l") + 1] == "dan+eng"
    assert seen["timeout"] == 7


def test_page_timeout_becomes_a_reason(monkeypatch):
    def hang(args, **kwargs):
        raise subprocess.TimeoutExpired(args, kwargs["timeout"])

    monkeypatch.setattr(ocr, "_languages", lambda: "dan")
    monkeypatch.setattr("extractors.ocr.available", lambda: True)
    monkeypatch.setattr(ocr.subprocess, "run", hang)
    result = extract(scanned_png(), "scan.png")
    assert result.status == NO_TEXT
    assert "page 1: OCR timed out after 60 s" in result.error


def test_tsv_lines_paragraphs_and_mean_confidence():
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tl\tt\tw\th\tconf\ttext"
    rows = [
        "5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t90\tLog",
        "5\t1\t1\t1\t1\t2\t0\t0\t1\t1\t80\tind",
        "5\t1\t1\t1\t2\t1\t0\t0\t1\t1\t70\tNem-",
        "4\t1\t1\t1\t2\t0\t0\t0\t1\t1\t-1\t",
        "5\t1\t1\t1\t3\t1\t0\t0\t1\t1\t60\tID",
        "5\t1\t2\t1\t1\t1\t0\t0\t1\t1\t-1\t ",
        "5\t1\t2\t1\t1\t2\t0\t0\t1\t1\t100\tBilag",
    ]
    text, confidence = ocr.parse_tsv("\n".join([header, *rows]))
    assert text == "Log ind\nNem-\nID\n\nBilag"
    assert confidence == 80.0


def multi_frame_tiff(frames: list[Image.Image]) -> bytes:
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate")
    return out.getvalue()


def scanned_frame(text: str) -> Image.Image:
    return Image.open(io.BytesIO(scanned_png(text))).convert("L")


def test_tiny_and_blank_frames_never_start_tesseract(monkeypatch):
    calls = []
    monkeypatch.setattr("extractors.ocr.available", lambda: True)
    monkeypatch.setattr("extractors.ocr.ocr_image", lambda image, timeout=None: calls.append(image) or ("", None))
    tiny = [Image.new("L", (8, 8), 255) for _ in range(1000)]
    result = extract(multi_frame_tiff(tiny), "tom.tif")
    assert calls == []
    assert result.status == NO_TEXT
    assert result.error == ("OCR found no text in the image; only the first 100 of 1000 frames were read "
                            "(limit image_max_frames); 100 frame(s) smaller than 16 pixels skipped")
    blank = [Image.new("L", (600, 800), 255) for _ in range(3)]
    result = extract(multi_frame_tiff(blank), "hvid.tif")
    assert calls == [] and result.error == "OCR found no text in the image; 3 blank frame(s) skipped"


def test_frame_cap_is_a_limit(monkeypatch):
    from extractors import Limits

    seen = []
    monkeypatch.setattr("extractors.ocr.available", lambda: True)
    monkeypatch.setattr("extractors.ocr.ocr_image", lambda image, timeout=None: seen.append(1) or ("NemID", 90.0))
    frames = [scanned_frame(f"side {n}") for n in range(5)]
    result = extract(multi_frame_tiff(frames), "scan.tif", Limits(image_max_frames=3))
    assert len(seen) == 3 and [p.number for p in result.pages] == [1, 2, 3]
    assert result.status == OK
    assert result.error == "only the first 3 of 5 frames were read (limit image_max_frames)"


@needs_tesseract
def test_every_frame_of_a_multi_page_tiff_is_ocrd():
    frames = [scanned_frame("Aftale om medarbejdersignatur"), Image.new("L", (600, 800), 255),
              scanned_frame("Login med NemLog-in")]
    result = extract(multi_frame_tiff(frames), "kontrakt.tif")
    assert result.status == OK and [p.number for p in result.pages] == [1, 3]
    assert "medarbejdersignatur" in result.pages[0].text.lower()
    assert "nemlog-in" in result.pages[1].text.lower()
    assert result.error == "1 blank frame(s) skipped"


def test_no_frame_is_started_after_the_time_budget(monkeypatch):
    from extractors import Limits

    monkeypatch.setattr("extractors.ocr.available", lambda: True)
    monkeypatch.setattr("extractors.ocr.ocr_image", lambda image, timeout=None: ("NemID", 90.0))
    frames = [scanned_frame(f"side {n}") for n in range(3)]
    result = extract(multi_frame_tiff(frames), "scan.tif", Limits(timeout_seconds=0))
    assert result.status == "error" and result.pages == []
    assert result.error == "OCR stopped before frame 1 of 3: 80% of the 0 s time limit used"


def test_blank_pdf_pages_never_start_tesseract(monkeypatch):
    from tests.test_extract_hostile import blank_pdf

    calls = []
    monkeypatch.setattr("extractors.ocr.available", lambda: True)
    monkeypatch.setattr("extractors.ocr.ocr_image", lambda image, timeout=None: calls.append(1) or ("", None))
    result = extract(blank_pdf(50), "tom.pdf")
    assert calls == [] and result.status == NO_TEXT and len(result.pages) == 50
    assert result.error == "no text on any page (blank pages, nothing to OCR)"


@needs_tesseract
def test_no_pdf_page_is_ocrd_after_the_time_budget():
    from extractors import Limits

    result = extract(make_image_only_pdf(), "scannet.pdf", Limits(timeout_seconds=0))
    assert result.status == "error" and result.pages[0].ocr is False
    assert result.error == "OCR stopped before page 1 of 1: 80% of the 0 s time limit used"


@needs_tesseract
def test_black_text_on_a_transparent_background_is_read():
    image = Image.new("RGBA", (1800, 300), (0, 0, 0, 0))         # transparent black: black when flattened
    ImageDraw.Draw(image).text((40, 100), "Aftale om medarbejdersignatur", fill=(0, 0, 0, 255),
                               font=ImageFont.load_default(size=64))
    out = io.BytesIO()
    image.save(out, format="PNG")
    result = extract(out.getvalue(), "logo.png")
    assert result.status == OK and "medarbejdersignatur" in result.text.lower()
