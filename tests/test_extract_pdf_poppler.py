"""Dense PDF pages are read by poppler when it is installed (in the reading process through
libpoppler-glib, else by `pdftotext -raw`), with the same pages, hyphen marks and keyword hits as
PDFium; without poppler, or when it fails, PDFium reads them."""

from __future__ import annotations

import io
import random
import shutil

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractors import extract, poppler
from extractors import pdf as pdf_module
from extractors.base import OK
from extractors.keywords import find_hits
from extractors.pdf import POPPLER_MIN_CHARS, poppler_pages, use_poppler

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="pdftotext (Debian poppler-utils) not installed")


@pytest.fixture(params=["in-process", "pdftotext"])
def poppler_path(request, monkeypatch):
    """Each test that uses it runs for both ways to poppler: libpoppler-glib in this process, and
    the `pdftotext` program (what runs where libpoppler-glib is not installed)."""
    if request.param == "in-process":
        if not poppler.available():
            pytest.skip(poppler.unavailable_reason() or "libpoppler-glib not installed")
    else:
        monkeypatch.setattr(poppler, "available", lambda: False)
    return request.param

WORDS = ("aftalen leverandøren kunden ydelsen systemet driften vedligeholdelse support servicemål "
         "opsigelse betaling faktura måned kvartal pris licens bruger data behandling sikkerhed").split()


def dense_pdf(pages: int = 12, seed: int = 1) -> bytes:
    """Pages of ~6,000 characters, one text object per line (as reportlab and system-generated
    letters write them), with keywords whole and split by a hyphen at a line end."""
    rng = random.Random(seed)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for number in range(1, pages + 1):
        lines = [" ".join(rng.choice(WORDS) for _ in range(14))[:98] for _ in range(62)]
        lines[0] = f"Brev side {number}"
        lines[10] = lines[10][:60] + " login med NemID og MitID"
        lines[20] = lines[20][:70] + " adgang via Nem-"
        lines[21] = "ID " + lines[21]
        lines[30] = lines[30][:70] + " log ind på NemLog-"
        lines[31] = "in " + lines[31]
        pdf.setFont("Helvetica", 7.5)
        y = A4[1] - 40
        for line in lines:
            pdf.drawString(30, y, line)
            y -= 12.5
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def hits(result) -> list[tuple[int, str, str]]:
    return [(page.number, h.term, h.matched) for page in result.pages for h in find_hits(page.text)]


@needs_poppler
def test_dense_pages_are_read_by_poppler_with_pdfiums_pages_and_hits(monkeypatch, poppler_path):
    data = dense_pdf()
    monkeypatch.setenv("TUSCAN_PDF_READER", "pdfium")
    by_pdfium = extract(data, "brev.pdf")
    monkeypatch.setenv("TUSCAN_PDF_READER", "auto")
    auto = extract(data, "brev.pdf")
    assert len(by_pdfium.pages[0].text) >= POPPLER_MIN_CHARS
    assert by_pdfium.extractor == "pdf" and auto.extractor == "pdf:poppler"
    assert auto.status == by_pdfium.status == OK
    assert [p.number for p in auto.pages] == list(range(1, 13))
    # Same words in the same order on every page (whitespace may differ between the readers).
    assert [p.text.split() for p in auto.pages] == [p.text.split() for p in by_pdfium.pages]
    assert hits(auto) == hits(by_pdfium)
    split = [h for h in hits(auto) if "\n" in h[2]]
    assert {h[1] for h in split} == {"nemid", "nemlog-in"} and len(split) == 24   # 2 per page


@needs_poppler
def test_poppler_keeps_the_hyphen_and_line_break_that_pdftotexts_default_mode_would_join(poppler_path):
    texts = poppler_pages(dense_pdf(pages=3), 2, 3, timeout=30)
    assert texts is not None and len(texts) == 2
    assert all("NemLog-\nin" in text and "Nem-\nID" in text for text in texts)
    assert texts[0].startswith("Brev side 2") and texts[1].startswith("Brev side 3")
    assert not texts[0].endswith("\n")


@needs_poppler
def test_a_page_split_that_does_not_match_is_refused(poppler_path):
    data = dense_pdf(pages=3)
    assert poppler_pages(data, 2, 3, timeout=30) is not None
    assert poppler_pages(data, 2, 4, timeout=30) is None     # poppler stops at page 3: one page short
    assert poppler_pages(b"%PDF-1.4 not really", 2, 3, timeout=30) is None
    if poppler_path == "in-process":     # PDFium and poppler must agree on the pages
        assert poppler_pages(data, 2, 3, timeout=30, page_count=4) is None


def test_sparse_or_short_documents_stay_with_pdfium_in_process(monkeypatch):
    monkeypatch.setattr(poppler, "available", lambda: True)
    assert not use_poppler(1500, 400, "auto")           # real documents: ~1,000-2,500 characters a page
    assert not use_poppler(2400, 400, "auto")
    assert use_poppler(2600, 5, "auto") and not use_poppler(2600, 4, "auto")   # word-processor pages: the rest decides
    assert not use_poppler(6000, 2, "auto")             # opening the document twice costs more than it saves
    assert use_poppler(6000, 3, "auto") and use_poppler(4000, 4, "auto")
    assert not use_poppler(6000, 20, "pdfium") and use_poppler(100, 20, "poppler")
    assert not use_poppler(6000, 1, "poppler")


def test_sparse_or_short_documents_stay_with_pdfium_without_libpoppler_glib(monkeypatch):
    monkeypatch.setattr(poppler, "available", lambda: False)
    monkeypatch.setattr(pdf_module.shutil, "which", lambda tool: "/usr/bin/" + tool)
    assert not use_poppler(1500, 400, "auto")           # real documents: ~1,000-2,500 characters a page
    assert not use_poppler(6000, 5, "auto")             # starting pdftotext costs more than it saves
    assert not use_poppler(4000, 14, "auto") and use_poppler(4000, 16, "auto")
    assert use_poppler(6000, 20, "auto") and use_poppler(6000, 11, "auto")
    assert not use_poppler(6000, 20, "pdfium") and use_poppler(100, 20, "poppler")
    assert not use_poppler(6000, 1, "poppler")


def test_without_poppler_pdfium_reads_every_page(monkeypatch):
    monkeypatch.setattr(pdf_module.shutil, "which", lambda tool: None)
    monkeypatch.setattr(poppler, "available", lambda: False)
    monkeypatch.setenv("TUSCAN_PDF_READER", "poppler")
    result = extract(dense_pdf(pages=3), "brev.pdf")
    assert result.status == OK and result.extractor == "pdf" and len(result.pages) == 3
    assert sum(h[1] == "nemid" for h in hits(result)) == 3 * 2


@needs_poppler
def test_a_failing_pdftotext_falls_back_to_pdfium(monkeypatch, tmp_path):
    fake = tmp_path / "pdftotext"
    fake.write_text("#!/bin/sh\necho 'Syntax Error: broken' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}")
    monkeypatch.setattr(poppler, "available", lambda: False)
    result = extract(dense_pdf(pages=3), "brev.pdf")
    assert result.status == OK and result.extractor == "pdf" and len(result.pages) == 3
    assert "Nem-\nID" in result.pages[2].text


@needs_poppler
def test_a_scanned_page_in_a_dense_document_is_still_found_for_ocr(monkeypatch, poppler_path):
    """Poppler returns no text for an image page: PDFium looks at that page as before, so it is
    OCR'd (here: recorded as needing OCR, with tesseract reported missing)."""
    from tests.test_extract_pdf import make_image_only_pdf

    monkeypatch.setattr("extractors.ocr.available", lambda: True)
    seen = {}

    def fake_ocr(pages, indexes, title, limits, pdf=None):
        seen["indexes"] = list(indexes)
        return pdf_module.Extraction(pages=pages, title=title)

    monkeypatch.setattr(pdf_module, "_ocr_pages", lambda pdf, pages, indexes, title, limits:
                        fake_ocr(pages, indexes, title, limits))
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(dense_pdf())).pages:
        writer.add_page(page)
    writer.insert_page(PdfReader(io.BytesIO(make_image_only_pdf())).pages[0], index=2)
    out = io.BytesIO()
    writer.write(out)
    result = extract(out.getvalue(), "brev.pdf")
    assert result.extractor == "pdf:poppler" and len(result.pages) == 13
    assert seen["indexes"] == [2]
    assert result.pages[2].text.strip() == "" and "NemID" in result.pages[3].text


@needs_poppler
def test_a_pdf_that_forbids_copying_text_is_read_alike_by_both(monkeypatch, poppler_path):
    """Owner-password restrictions (no copying) with an empty user password: PDFium reads such files,
    and so must the poppler path, with the same hits."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(dense_pdf())))
    writer.encrypt(user_password="", owner_password="ejer", permissions_flag=0, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    monkeypatch.setenv("TUSCAN_PDF_READER", "pdfium")
    by_pdfium = extract(out.getvalue(), "brev.pdf")
    monkeypatch.setenv("TUSCAN_PDF_READER", "auto")
    auto = extract(out.getvalue(), "brev.pdf")
    assert auto.status == by_pdfium.status == OK and auto.extractor == "pdf:poppler"
    assert hits(auto) == hits(by_pdfium) and len(hits(auto)) == 12 * 4


@needs_poppler
@pytest.mark.parametrize("leads_group", [True, False])
def test_pdftotext_is_wrapped_in_timeout_only_outside_a_process_group_of_its_own(monkeypatch, leads_group):
    # A pool worker leads its process group and is killed with it, pdftotext included; a worker
    # run by someone else (a Prefect or Dask task) must not leave pdftotext behind when killed.
    commands = []
    real_run = pdf_module.subprocess.run

    def recording_run(command, **kwargs):
        commands.append(command)
        return real_run(command, **kwargs)

    monkeypatch.setattr(pdf_module, "_leads_process_group", lambda: leads_group)
    monkeypatch.setattr(pdf_module.subprocess, "run", recording_run)
    texts = pdf_module.pdftotext_pages(dense_pdf(pages=3), 2, 3, timeout=30)
    assert texts is not None and len(texts) == 2
    wrapped = [c for c in commands if "pdftotext" in " ".join(c)]
    assert len(wrapped) == 1
    assert wrapped[0][0].endswith("timeout") is (not leads_group)
    assert wrapped[0][0].endswith("pdftotext") is leads_group


def test_a_document_libpoppler_glib_cannot_open_is_read_by_pdfium(monkeypatch):
    if not poppler.available():
        pytest.skip(poppler.unavailable_reason() or "libpoppler-glib not installed")

    def refuse(*args, **kwargs):
        raise poppler.PopplerError("poppler could not open the document: test")

    monkeypatch.setattr(poppler, "page_texts", refuse)
    result = extract(dense_pdf(pages=6), "brev.pdf")
    assert result.status == OK and result.extractor == "pdf" and len(result.pages) == 6
    assert sum(h[1] == "nemid" for h in hits(result)) == 6 * 2


def test_libpoppler_glib_reports_a_broken_document_and_a_missing_library(monkeypatch):
    if poppler.available():
        with pytest.raises(poppler.PopplerError, match="could not open"):
            poppler.page_texts(b"%PDF-1.4 not really", 1, 1)
        with pytest.raises(poppler.PopplerError, match="counts 3 pages, PDFium 4"):
            poppler.page_texts(dense_pdf(pages=3), 1, 3, expected_pages=4)
    monkeypatch.setattr(poppler, "_binding", None)
    monkeypatch.setattr(poppler, "_load_error", None)
    monkeypatch.setattr(poppler, "_LIBRARIES", {k: "libnot-there.so.0" for k in poppler._LIBRARIES})
    monkeypatch.setattr(poppler.ctypes.util, "find_library", lambda name: None)
    assert not poppler.available()
    assert "libpoppler-glib8" in poppler.unavailable_reason()
    with pytest.raises(poppler.PopplerError, match="libpoppler-glib"):
        poppler.page_texts(dense_pdf(pages=2), 1, 2)


def test_libpoppler_glib_keeps_one_small_document_open_for_the_process():
    # Poppler builds its global parameters with the first open document and frees them with the
    # last: the document held open keeps them for every document read after it.
    if not poppler.available():
        pytest.skip(poppler.unavailable_reason() or "libpoppler-glib not installed")
    assert poppler._kept is not None
    assert poppler.page_texts(poppler._minimal_pdf(), 1, 1, expected_pages=1) == [""]
    texts = poppler.page_texts(dense_pdf(pages=3), 1, 3, expected_pages=3)
    assert len(texts) == 3 and all("NemID" in text for text in texts)
