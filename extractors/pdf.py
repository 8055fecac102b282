"""PDF: text per page with pypdfium2 (fast path), poppler for dense pages, OCR for pages without text.

pypdfium2 ships with pdfplumber and is ~40x faster than `pdfplumber.extract_text()` on the archive
(measured on the benchmark corpus, bench/). pdfplumber stays as the fallback for files PDFium cannot open and for callers that need
layout (`extract_text_pdfplumber`). PDFium is not thread-safe, so all PDFium calls in this process
hold `_PDFIUM_LOCK`; OCR (a separate process per page) and poppler run outside it.

Dense pages: PDFium's text page (`FPDFText_LoadPage`, the only way to its text) builds a record per
character, so its cost grows with the characters on a page (~2.2 ms of CPU at 6,300); poppler's
grows less (~1.45 ms there), and on light pages the two cost about the same. So when the first page
holds at least `POPPLER_MIN_CHARS` characters and the rest of the document (estimated as the first
page's characters times the pages left) at least `POPPLER_MIN_REST_CHARS`, poppler reads pages 2..:
in this process through libpoppler-glib (`extractors.poppler`, Debian libpoppler-glib8), or, where
that library is missing, by `pdftotext -raw` (Debian poppler-utils) — one process per file costs
~7 ms to start, so that path waits for denser and longer documents (`PDFTOTEXT_MIN_CHARS`,
`PDFTOTEXT_MIN_REST_CHARS`). Whenever poppler fails,
or counts the pages differently, PDFium reads the pages as before; a page poppler finds (nearly)
empty is read by PDFium too, so scanned pages are still OCR'd. On real documents (~2,000 characters
a page, more fonts and images) PDFium was as fast or faster at every length measured.

Both poppler paths leave an end-of-line hyphen and its line break alone ("Nem-⏎ID"), which the
keyword finder joins; poppler's text selection (in process) orders lines as poppler reads the page,
so a running header may come after the body where `-raw` and PDFium keep the content-stream order;
the keyword hits were identical on the dense, generated and real-document corpora. The thresholds
and the comparison are in bench/results.md (`bench/pdf_readers.py`). The environment variable
TUSCAN_PDF_READER (`auto`, the default; `pdfium`; `poppler`; `pdftotext`, poppler by the program
only) forces one reader, for the benchmark.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import subprocess
import threading
import time

import pypdfium2 as pdfium

from extractors import extractor, ocr, poppler
from extractors.base import ERROR, NO_TEXT, OK, Extraction, ExtractorError, Limits, Page

_PDFIUM_LOCK = threading.RLock()
# A scanned page sometimes carries a few characters of real text (a page number, a stamp).
_MIN_TEXT_CHARS = 20
OCR_TIME_SHARE = 0.8          # of Limits.timeout_seconds that OCR of one document may use
PDFPLUMBER_X_TOLERANCE = 1.5   # pdfplumber's default (3) glues words of tightly spaced PDFs together
# Poppler for the rest of a document whose first page has this many characters (see the docstring;
# below it PDFium is as fast or faster, measured in bench/results.md): in this process …
POPPLER_MIN_CHARS = 2500
# … and by `pdftotext`, whose page costs more on light pages (2.1 against PDFium's 1.3 ms at 2,500) …
PDFTOTEXT_MIN_CHARS = 4000
# … when the rest holds about this many (first page's characters × pages left). In this process
# poppler only opens the document a second time (~1.3 ms with its first page's fonts, against ~0.9 ms
# saved a page at 4,800 characters): 4- and 5-page documents of 4,800 characters a page gain 11-15%,
# word-processor ones of 2,500-3,300 characters 5-7%; no real document has such a first page and
# so few pages (bench/results.md, 2026-12-04) …
POPPLER_MIN_REST_CHARS = 10_000
# … and by `pdftotext` (no libpoppler-glib) enough to pay ~7 ms of process start-up against ~0.15 µs
# saved a character, with a margin (break-even ~50,000).
PDFTOTEXT_MIN_REST_CHARS = 60_000
READER_ENV = "TUSCAN_PDF_READER"
READERS = ("auto", "pdfium", "poppler", "pdftotext")


# PDFium replaces an end-of-line hyphen *and* the line break after it with one marker character
# (U+FFFE from get_text_range, U+0002 from get_text_bounded). Restore both so the keyword finder's
# hyphen join sees "Nem-\nID" (keywords split by hyphenation across line breaks).
def clean_page_text(text: str) -> str:
    # str.replace, not str.translate: translating to two-character strings costs ~0.2 ms a page,
    # replace a few µs (profiled on the benchmark corpus in bench/).
    if "\ufffe" in text:
        text = text.replace("\ufffe", "-\n")
    if "\x02" in text:
        text = text.replace("\x02", "-\n")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _open(data: bytes) -> pdfium.PdfDocument:
    """Open with PDFium, trying the empty user password as readers do; raise a specific reason."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" not in str(exc).lower():
            raise
    try:
        return pdfium.PdfDocument(data, password="")
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ExtractorError("encrypted PDF (password required)") from exc
        raise


def _has_images(page: pdfium.PdfPage) -> bool:
    from pypdfium2 import raw

    return any(True for _ in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=2))


def _has_objects(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(max_depth=1))


def _render_png(page: pdfium.PdfPage) -> bytes:
    image = page.render(scale=ocr.RENDER_DPI / 72, grayscale=True).to_pil()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


@extractor("pdf", formats=("pdf",))
def extract_pdf(data: bytes, name: str, limits: Limits) -> Extraction:
    try:
        with _PDFIUM_LOCK:
            pdf = _open(data)
    except pdfium.PdfiumError as exc:
        return _fallback_pdfplumber(data, limits, exc)
    try:
        return _extract_open(pdf, limits, data)
    finally:
        with _PDFIUM_LOCK:
            pdf.close()


def reader_choice() -> str:
    """`auto`, `pdfium`, `poppler` or `pdftotext` from TUSCAN_PDF_READER (anything else is `auto`)."""
    choice = os.environ.get(READER_ENV, "auto").strip().lower()
    return choice if choice in READERS else "auto"


def _in_process(choice: str) -> bool:
    """Whether poppler runs in this process (libpoppler-glib) rather than as `pdftotext`."""
    return choice != "pdftotext" and poppler.available()


def use_poppler(first_page_chars: int, page_count: int, choice: str | None = None) -> bool:
    """Whether pages 2.. of a document are read by poppler (the rule in the module docstring)."""
    choice = choice or reader_choice()
    if choice == "pdfium" or page_count < 2:
        return False
    in_process = _in_process(choice)
    if not in_process and shutil.which("pdftotext") is None:
        return False
    if choice in ("poppler", "pdftotext"):
        return True
    min_chars, min_rest = ((POPPLER_MIN_CHARS, POPPLER_MIN_REST_CHARS) if in_process
                           else (PDFTOTEXT_MIN_CHARS, PDFTOTEXT_MIN_REST_CHARS))
    return first_page_chars >= min_chars and first_page_chars * (page_count - 1) >= min_rest


def poppler_pages(data: bytes, first: int, last: int, timeout: float, page_count: int | None = None,
                  choice: str | None = None) -> list[str] | None:
    """Text of pages first..last (1-based) by poppler, cleaned like PDFium's: in this process
    (`extractors.poppler`) when libpoppler-glib is installed, else by `pdftotext -raw`. None when
    poppler is missing or fails (the caller then reads the pages with PDFium). `page_count`: the
    document's pages as PDFium counts them; poppler must count the same."""
    if not _in_process(choice or reader_choice()):
        return pdftotext_pages(data, first, last, timeout)
    try:
        texts = poppler.page_texts(data, first, last, expected_pages=page_count)
    except poppler.PopplerError:
        return None
    return [clean_page_text(text) for text in texts]


def _leads_process_group() -> bool:
    return os.getpgrp() == os.getpid()


def pdftotext_pages(data: bytes, first: int, last: int, timeout: float) -> list[str] | None:
    """Text of pages first..last (1-based) by `pdftotext -raw`, cleaned like PDFium's; None when
    pdftotext is missing, fails, times out or splits the pages differently. The PDF goes through a
    pipe: pdftotext reads standard input as a file."""
    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    command = [exe, "-q", "-raw", "-enc", "UTF-8", "-f", str(first), "-l", str(last), "-", "-"]
    # A worker that overruns its deadline is killed. The scan's worker pool kills the worker's whole
    # process group, pdftotext with it; a worker that leads no group of its own (a Prefect or Dask
    # task) would leave pdftotext running as an orphan, so there coreutils' timeout kills it on its
    # own (one more process per file: ~1.5 ms, measured on the dense benchmark corpus).
    killer = None if _leads_process_group() else shutil.which("timeout")
    if killer:
        command = [killer, "-s", "KILL", f"{math.ceil(timeout) + 1}", *command]
    try:
        proc = subprocess.run(command, input=data, capture_output=True, timeout=timeout, env=env, check=False)
    except (subprocess.TimeoutExpired, OSError):
        return None
    if proc.returncode != 0:      # e.g. 3: text copying forbidden by the owner password; PDFium reads it
        return None
    parts = proc.stdout.decode("utf-8", errors="replace").split("\f")
    wanted = last - first + 1
    # pdftotext ends every page with a form feed; a form feed inside a page's text would shift them.
    if len(parts) != wanted + 1 or parts[-1].strip():
        return None
    # Each line ends with a newline in pdftotext's output; PDFium's page text has none at its end.
    return [clean_page_text(part[:-1] if part.endswith("\n") else part) for part in parts[:wanted]]


def _read_page(pdf: pdfium.PdfDocument, index: int, text: str | None = None) -> tuple[str, bool]:
    """(text, needs OCR) of one page; `text` read elsewhere (poppler) is kept unless it is too short,
    when PDFium reads the page and looks for images, as for every page it reads. Hold _PDFIUM_LOCK."""
    if text is not None and len(text.strip()) >= _MIN_TEXT_CHARS:
        return text, False
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        text = clean_page_text(textpage.get_text_range())
        textpage.close()
        # A page with no objects at all is blank: no tesseract run for it (a 4,000-page
        # blank PDF must not cost 4,000 OCR processes). No text but drawings may be text
        # converted to outlines, so those are OCR'd.
        needs = len(text.strip()) < _MIN_TEXT_CHARS and (_has_images(page) or
                                                         (not text.strip() and _has_objects(page)))
    finally:
        page.close()
    return text, needs


def _extract_open(pdf: pdfium.PdfDocument, limits: Limits, data: bytes | None = None) -> Extraction:
    with _PDFIUM_LOCK:
        count = len(pdf)
        if count == 0:
            raise ExtractorError("PDF has no pages")
        if count > limits.max_pages:
            raise ExtractorError(f"PDF has {count} pages, more than the limit of {limits.max_pages} (max_pages)")
        # One metadata key, not the dictionary of all eight (~70 µs a document).
        title = (pdf.get_metadata_value("Title") or "").strip() or None
        first_text, first_ocr = _read_page(pdf, 0)
    texts: list[str | None] = [first_text] + [None] * (count - 1)
    extractor_name = None
    if data is not None and use_poppler(len(first_text), count):
        # Outside the lock: other threads' PDFs go on while pdftotext runs.
        rest = poppler_pages(data, 2, count, limits.timeout_seconds, page_count=count)
        if rest is not None:
            texts[1:] = rest
            extractor_name = "pdf:poppler"
    pages: list[Page] = [Page(1, first_text)]
    needs_ocr: list[int] = [0] if first_ocr else []
    with _PDFIUM_LOCK:
        for index in range(1, count):
            text, needs = _read_page(pdf, index, texts[index])
            if needs:
                needs_ocr.append(index)
            pages.append(Page(index + 1, text))
    if not needs_ocr:
        if not any(p.text.strip() for p in pages):
            return Extraction(status=NO_TEXT, error="no text on any page (blank pages, nothing to OCR)",
                              pages=pages, title=title)
        return Extraction(pages=pages, title=title, extractor=extractor_name)
    if not ocr.available():
        if any(p.text.strip() for p in pages):
            return Extraction(pages=pages, title=title, extractor=extractor_name)
        return Extraction(status=NO_TEXT, error=f"no text layer (scanned?); {ocr.unavailable_reason()}",
                          pages=pages, title=title)
    result = _ocr_pages(pdf, pages, needs_ocr, title, limits)
    result.extractor = result.extractor or extractor_name
    return result


def _ocr_pages(pdf: pdfium.PdfDocument, pages: list[Page], indexes: list[int], title: str | None,
               limits: Limits) -> Extraction:
    # No page is started once most of the per-document time limit is used: the pages read so far
    # are kept, with the reason, instead of the document ending as a timeout with nothing.
    deadline = time.monotonic() + OCR_TIME_SHARE * limits.timeout_seconds
    stopped: list[int] = []

    def rendered():
        for index in indexes:
            if time.monotonic() >= deadline:
                stopped.append(index)
                return
            with _PDFIUM_LOCK:       # held per page, so other threads' PDFs are not blocked by OCR
                page = pdf[index]
                try:
                    image = _render_png(page)
                finally:
                    page.close()
            yield index, image

    results = ocr.ocr_images(rendered())
    failures = []
    for index, result in results.items():
        if isinstance(result, ocr.OcrError):
            failures.append(f"page {index + 1}: {result}")
            continue
        text, confidence = result
        if text.strip():
            pages[index] = Page(index + 1, text, ocr=True, ocr_confidence=confidence)
    note = None
    if stopped:
        note = (f"OCR stopped before page {stopped[0] + 1} of {len(pages)}: {OCR_TIME_SHARE:.0%} of the "
                f"{limits.timeout_seconds:g} s time limit used")
    if any(p.text.strip() for p in pages):
        return Extraction(status=OK, pages=pages, title=title, error=note)
    reason = "no text layer and OCR found no text"
    if failures:
        reason = f"no text layer and OCR failed ({'; '.join(failures[:3])})"
    if note:
        return Extraction(status=ERROR, error=note, pages=pages, title=title)
    return Extraction(status=NO_TEXT, error=reason, pages=pages, title=title)


def extract_text_pdfplumber(data: bytes, x_tolerance: float = PDFPLUMBER_X_TOLERANCE) -> list[str]:
    """Text per page with pdfplumber (slow; for layout-sensitive use and as fallback)."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as doc:
        return [page.extract_text(x_tolerance=x_tolerance) or "" for page in doc.pages]


def _fallback_pdfplumber(data: bytes, limits: Limits, pdfium_error: Exception) -> Extraction:
    """PDFium could not open the file; pdfminer is more forgiving with some broken files."""
    if b"%PDF" not in data[:1024]:
        raise ExtractorError("not a PDF (no %PDF header)")
    try:
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as doc:
            if len(doc.pages) > limits.max_pages:
                raise ExtractorError(f"PDF has {len(doc.pages)} pages, more than the limit of "
                                     f"{limits.max_pages} (max_pages)")
            texts = [page.extract_text(x_tolerance=PDFPLUMBER_X_TOLERANCE) or "" for page in doc.pages]
    except ExtractorError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for broken files
        raise ExtractorError(f"corrupt or truncated PDF ({pdfium_error})") from exc
    if not texts:
        raise ExtractorError(f"corrupt or truncated PDF ({pdfium_error})")
    pages = [Page(i + 1, text) for i, text in enumerate(texts)]
    if not any(t.strip() for t in texts):
        return Extraction(status=NO_TEXT, error="no text layer (read by the pdfplumber fallback)", pages=pages)
    return Extraction(pages=pages, extractor="pdf:pdfplumber")
