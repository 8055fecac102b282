"""Images (scans and photos of documents): OCR with tesseract when it is installed, else `no_text`.

Pillow reads PNG, JPEG, TIFF, GIF and BMP and iterates the frames of a multi-page TIFF (a scanner's
usual output for a multi-page contract): every frame is OCR'd as a page of its own, up to
`Limits.image_max_frames` frames. Frames that cannot hold text are skipped without starting
tesseract: smaller than `MIN_TEXT_PIXELS` in either direction (a glyph needs ~10 pixels), or blank
(one grey level). So a hostile TIFF of a thousand blank 8x8 frames costs milliseconds, not a
tesseract process per frame, and the cap and what was skipped are named in the reason. No new
frame is started once 80% of the per-document time limit is used: the pages read so far are
kept, with the reason, rather than the whole image ending as a timeout.
"""

from __future__ import annotations

import io
import time

from PIL import Image, ImageSequence, UnidentifiedImageError

from extractors import extractor, ocr
from extractors.base import ERROR, NO_TEXT, Extraction, ExtractorError, Limits, Page

MAX_PIXELS = 100_000_000   # ~A0 at 300 dpi; larger is a decompression bomb, not a scan
MIN_TEXT_PIXELS = 16       # a frame narrower or lower than this holds no readable line of text
TIME_SHARE = 0.8           # of Limits.timeout_seconds that OCR of one image may use


class _Frames:
    """Frames of one image as grayscale PNG bytes for tesseract, counting what was skipped."""

    def __init__(self, data: bytes, limits: Limits) -> None:
        self.data = data
        self.limits = limits
        self.total = 0
        self.tiny = 0
        self.blank = 0
        self.stopped_at: int | None = None   # frame number where the time budget ran out

    def __iter__(self):
        try:
            image = Image.open(io.BytesIO(self.data))
            if image.width * image.height > MAX_PIXELS:
                raise ExtractorError(f"image is {image.width}x{image.height} pixels, more than the limit of "
                                     f"{MAX_PIXELS} (possible decompression bomb)")
            self.total = getattr(image, "n_frames", 1)
            if self.total > self.limits.max_pages:
                raise ExtractorError(f"image has {self.total} pages, more than the limit of "
                                     f"{self.limits.max_pages} (max_pages)")
            # Stop handing frames to tesseract once most of the document's time limit is used, so
            # the reader returns the pages it has instead of being killed with nothing.
            deadline = time.monotonic() + TIME_SHARE * self.limits.timeout_seconds
            for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                if number > self.limits.image_max_frames:
                    break
                if time.monotonic() >= deadline:
                    self.stopped_at = number
                    break
                if frame.width * frame.height > MAX_PIXELS:
                    raise ExtractorError(f"frame {number} is {frame.width}x{frame.height} pixels, more than "
                                         f"the limit of {MAX_PIXELS} (possible decompression bomb)")
                if frame.width < MIN_TEXT_PIXELS or frame.height < MIN_TEXT_PIXELS:
                    self.tiny += 1
                    continue
                gray = _on_white(frame)
                low, high = gray.getextrema()
                if low == high:
                    self.blank += 1
                    continue
                buffer = io.BytesIO()
                gray.save(buffer, format="PNG", compress_level=1)
                yield number, buffer.getvalue()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
                Image.DecompressionBombError) as exc:
            raise ExtractorError(f"corrupt or truncated image: {exc}") from exc

    def notes(self) -> list[str]:
        """What was not OCR'd, for the reason."""
        notes = []
        if self.total > self.limits.image_max_frames:
            notes.append(f"only the first {self.limits.image_max_frames} of {self.total} frames were read "
                         f"(limit image_max_frames)")
        if self.stopped_at is not None:
            notes.append(f"OCR stopped before frame {self.stopped_at} of {self.total}: "
                         f"{TIME_SHARE:.0%} of the {self.limits.timeout_seconds:g} s time limit used")
        if self.tiny:
            notes.append(f"{self.tiny} frame(s) smaller than {MIN_TEXT_PIXELS} pixels skipped")
        if self.blank:
            notes.append(f"{self.blank} blank frame(s) skipped")
        return notes


def _on_white(frame: Image.Image) -> Image.Image:
    """The frame in grayscale, transparent pixels white: a GIF or PNG with a transparent
    background would otherwise turn black, and black text on it invisible to OCR."""
    if frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info:
        rgba = frame.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("L")
    return frame.convert("L")


@extractor("image", formats=("image",))
def extract_image(data: bytes, name: str, limits: Limits) -> Extraction:
    if not ocr.available():
        return Extraction(status=NO_TEXT, error=f"image without a text layer; {ocr.unavailable_reason()}")
    frames = _Frames(data, limits)
    results = ocr.ocr_images(frames)
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
    notes = frames.notes()
    if any(p.text.strip() for p in pages):
        return Extraction(pages=pages, error="; ".join(notes) or None)
    if not pages and frames.stopped_at is not None:
        return Extraction.failed(ERROR, "; ".join(notes))        # nothing read: a time limit, not "no text"
    if failures:
        reason = f"OCR failed ({'; '.join(failures[:3])})"
    else:
        reason = "OCR found no text in the image"
    return Extraction(status=NO_TEXT, error="; ".join([reason, *notes]), pages=pages)
