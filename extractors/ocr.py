"""Tesseract OCR for pages without a text layer (scanned contracts, images in archives).

Calls the `tesseract` CLI (Debian: `tesseract-ocr` + `tesseract-ocr-dan`) rather than a binding, so
there is nothing to install in the venv and a hung page can be killed by a timeout. Each call runs
one single-threaded tesseract process (`OMP_THREAD_LIMIT=1`): measured here, tesseract's own
threading is ~3x slower on 2 cores than one process per core, so callers parallelise over pages
and `_slots()` caps the processes in this Python process at `workers()`.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-dan"
PAGE_TIMEOUT_SECONDS = 60.0
RENDER_DPI = 300            # tesseract is trained on ~300 dpi scans

OCR_PROCESSES_ENV = "TUSCAN_OCR_PROCESSES"   # set by tuscan's worker pool: its share of the cores

# Called after each OCR'd page. tuscan's worker pool sets it to a heartbeat, so a long scanned
# contract (a page every few seconds) is not mistaken for a hung reader by the per-document deadline.
page_done: Callable[[], None] | None = None


class OcrError(Exception):
    """Tesseract failed or timed out on one image."""


def workers() -> int:
    """How many pages to OCR at once in this process: one tesseract process per core, or this
    process's share of the cores when several extraction workers run side by side."""
    share = os.environ.get(OCR_PROCESSES_ENV, "")
    return int(share) if share.isdigit() and int(share) > 0 else (os.cpu_count() or 1)


@functools.cache
def _slots() -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(workers())


@functools.cache
def _languages() -> str | None:
    """The `-l` argument, or None when tesseract is missing. Danish first: the contracts are Danish."""
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    installed = {line.strip() for line in out.splitlines()[1:]}
    wanted = [lang for lang in ("dan", "eng") if lang in installed]
    return "+".join(wanted) if wanted else None


def available() -> bool:
    """True when tesseract and at least Danish or English language data are installed."""
    return _languages() is not None


def unavailable_reason() -> str:
    return f"OCR not available: {INSTALL_HINT}"


def ocr_image(image_bytes: bytes, timeout: float = PAGE_TIMEOUT_SECONDS) -> tuple[str, float | None]:
    """OCR one image (PNG, JPEG, TIFF, PNM bytes) → (text, mean word confidence 0–100 or None)."""
    langs = _languages()
    if langs is None:
        raise OcrError(unavailable_reason())
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with _slots():
        try:
            proc = subprocess.run(
                ["tesseract", "stdin", "stdout", "-l", langs, "--psm", "3", "tsv"],
                input=image_bytes, capture_output=True, timeout=timeout, env=env,
            )
        except subprocess.TimeoutExpired as exc:
            raise OcrError(f"OCR timed out after {timeout:g} s") from exc
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"tesseract failed: {message[-1] if message else proc.returncode}")
    if page_done is not None:
        page_done()
    return parse_tsv(proc.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> tuple[str, float | None]:
    """Rebuild lines from tesseract's TSV (one row per word) and average the word confidences."""
    lines: dict[tuple[int, int, int, int], list[str]] = {}
    confidences: list[float] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":      # level 5 = word
            continue
        word = cols[11].strip()
        if not word:
            continue
        key = (int(cols[1]), int(cols[2]), int(cols[3]), int(cols[4]))  # page, block, par, line
        lines.setdefault(key, []).append(word)
        conf = float(cols[10])
        if conf >= 0:
            confidences.append(conf)
    text_lines: list[str] = []
    previous_par = None
    for key in sorted(lines):
        if previous_par is not None and key[:3] != previous_par:
            text_lines.append("")                  # blank line between paragraphs
        text_lines.append(" ".join(lines[key]))
        previous_par = key[:3]
    confidence = round(sum(confidences) / len(confidences), 1) if confidences else None
    return "\n".join(text_lines), confidence


def ocr_images(
    images: Iterable[tuple[int, bytes]], timeout: float = PAGE_TIMEOUT_SECONDS
) -> dict[int, tuple[str, float | None] | OcrError]:
    """OCR (page number, image bytes) pairs in parallel, one tesseract per core.

    `images` is consumed lazily in the calling thread (PDFium rendering is not thread-safe) and at
    most two images per worker are held in memory, so a 500-page scan does not render all at once.
    """
    results: dict[int, tuple[str, float | None] | OcrError] = {}
    pending: dict[Future, int] = {}

    def collect(done: Iterable[Future]) -> None:
        for future in done:
            number = pending.pop(future)
            try:
                results[number] = future.result()
            except OcrError as exc:
                results[number] = exc

    with ThreadPoolExecutor(max_workers=workers()) as pool:
        for number, image in images:
            if len(pending) >= 2 * workers():
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                collect(done)
            pending[pool.submit(ocr_image, image, timeout)] = number
        collect(list(pending))
    return results
