"""Images (scans and photos of documents): OCR with tesseract when it is installed, else `no_text`."""

from __future__ import annotations

import io

from PIL import Image, ImageSequence, UnidentifiedImageError

from extractors import Limits, extractor, ocr
from extractors.base import NO_TEXT, Extraction, ExtractorError, Page

MAX_PIXELS = 100_000_000   # ~A0 at 300 dpi; larger is a decompression bomb, not a scan


def _frames_as_png(data: bytes, limits: Limits):
    """Each frame (multi-page TIFF) as grayscale PNG bytes for tesseract."""
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ExtractorError(f"image is {image.width}x{image.height} pixels, more than the limit of "
                                 f"{MAX_PIXELS} (possible decompression bomb)")
        frames = getattr(image, "n_frames", 1)
        if frames > limits.max_pages:
            raise ExtractorError(f"image has {frames} pages, more than the limit of {limits.max_pages} (max_pages)")
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            buffer = io.BytesIO()
            frame.convert("L").save(buffer, format="PNG", compress_level=1)
            yield number, buffer.getvalue()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ExtractorError(f"corrupt or truncated image: {exc}") from exc


@extractor(
    "image",
    suffixes=(".png", ".jpg", ".jpeg", ".tif", ".tiff"),
    magic=(b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"),
)
def extract_image(data: bytes, name: str, limits: Limits) -> Extraction:
    if not ocr.available():
        return Extraction(status=NO_TEXT, error=f"image without a text layer; {ocr.unavailable_reason()}")
    results = ocr.ocr_images(_frames_as_png(data, limits))
    pages: list[Page] = []
    failures: list[str] = []
    for number in sorted(results):
        result = results[number]
        if isinstance(result, ocr.OcrError):
            failures.append(f"page {number}: {result}")
            pages.append(Page(number, "", ocr=True))
        else:
            text, confidence = result
            pages.append(Page(number, text, ocr=True, ocr_confidence=confidence))
    if any(p.text.strip() for p in pages):
        return Extraction(pages=pages)
    if failures:
        return Extraction(status=NO_TEXT, error=f"OCR failed ({'; '.join(failures[:3])})", pages=pages)
    return Extraction(status=NO_TEXT, error="OCR found no text in the image", pages=pages)
