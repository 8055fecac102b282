"""Page text from poppler inside the reading process, through its GLib interface (libpoppler-glib).

Why: on dense pages poppler costs ~1.45 ms of CPU a page against PDFium's ~2.2 ms, but running
`pdftotext` costs ~6 ms a file just to start (it loads some 30 libraries) plus a pipe for the
document and its text; in the reading process the same poppler reads the same pages with neither
(bench/pdf_readers.py, bench/results.md). There is no poppler binding on PyPI that installs without
a compiler, so this is a thin ctypes binding to the C interface Debian ships as `libpoppler-glib8`:
open a document from memory, count its pages, get a page's text. When the library is missing or
fails to load, `available()` is False and `extractors.pdf` runs `pdftotext` instead.

The text is poppler's text selection of the whole page, word for word what `pdftotext -raw`
prints for a page (checked on the dense, word-processor and real-document corpora of bench/): lines
end with a newline, and an end-of-line hyphen stays with its line break ("Nem-⏎ID"), which the
keyword finder joins. Poppler's own state is shared between threads, so calls hold one lock.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading

_LOCK = threading.Lock()
_LIBRARIES = {"poppler": "libpoppler-glib.so.8", "gobject": "libgobject-2.0.so.0", "glib": "libglib-2.0.so.0"}


class _GError(ctypes.Structure):
    _fields_ = [("domain", ctypes.c_uint32), ("code", ctypes.c_int), ("message", ctypes.c_char_p)]


class _Binding:
    """The handful of libpoppler-glib, GObject and GLib functions used, with their C types."""

    def __init__(self) -> None:
        poppler, gobject, glib = (_library(name) for name in ("poppler", "gobject", "glib"))
        self.new_from_data = poppler.poppler_document_new_from_data
        self.new_from_data.restype = ctypes.c_void_p
        self.new_from_data.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p,
                                       ctypes.POINTER(ctypes.POINTER(_GError))]
        self.n_pages = poppler.poppler_document_get_n_pages
        self.n_pages.restype = ctypes.c_int
        self.n_pages.argtypes = [ctypes.c_void_p]
        self.get_page = poppler.poppler_document_get_page
        self.get_page.restype = ctypes.c_void_p
        self.get_page.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self.get_text = poppler.poppler_page_get_text
        self.get_text.restype = ctypes.c_void_p     # a char* the caller frees: not c_char_p
        self.get_text.argtypes = [ctypes.c_void_p]
        self.unref = gobject.g_object_unref
        self.unref.restype = None
        self.unref.argtypes = [ctypes.c_void_p]
        self.free = glib.g_free
        self.free.restype = None
        self.free.argtypes = [ctypes.c_void_p]
        self.error_free = glib.g_error_free
        self.error_free.restype = None
        self.error_free.argtypes = [ctypes.POINTER(_GError)]


def _library(name: str) -> ctypes.CDLL:
    """Debian's library by its soname; else wherever the system says it is (`find_library` runs
    ldconfig, a process, so it is only the fallback)."""
    try:
        return ctypes.CDLL(_LIBRARIES[name])
    except OSError:
        found = ctypes.util.find_library(_LIBRARIES[name].removeprefix("lib").split(".so")[0])
        if found is None:
            raise
        return ctypes.CDLL(found)


_binding: _Binding | None = None
_load_error: str | None = None
_kept: tuple | None = None   # (buffer, document) of `_keep_global_parameters`, never freed


def _load() -> _Binding | None:
    global _binding, _load_error
    if _binding is None and _load_error is None:
        try:
            binding = _Binding()
        except (OSError, AttributeError) as exc:   # not installed, or too old to have a function
            _load_error = f"libpoppler-glib could not be loaded ({exc}); install Debian's libpoppler-glib8"
        else:
            _keep_global_parameters(binding)
            _binding = binding
    return _binding


def _keep_global_parameters(binding: _Binding) -> None:
    """Keep one small document open for the life of the process. Poppler's global parameters (its
    encoding tables, the glyph-name-to-Unicode map) are created with the first open document and
    freed with the last, so a process that reads one PDF after another built them again for each:
    ~0.9 of the ~1 ms it took to open a document (py-spy on the generated benchmark corpus: 1.03 →
    0.10 ms an open). If the document does not open, every open just costs that again."""
    global _kept
    data = _minimal_pdf()
    buffer = ctypes.create_string_buffer(data, len(data))
    error = ctypes.POINTER(_GError)()
    with _LOCK:
        document = binding.new_from_data(buffer, len(data), None, ctypes.byref(error))
    if document:
        _kept = (buffer, document)
    elif error:
        binding.error_free(error)


def _minimal_pdf() -> bytes:
    """A valid one-page PDF of a few hundred bytes, cross-reference table included."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def available() -> bool:
    return _load() is not None


def unavailable_reason() -> str | None:
    _load()
    return _load_error


class PopplerError(Exception):
    """Poppler could not open the document (broken, encrypted); the caller reads it another way."""


def page_texts(data: bytes, first: int, last: int, expected_pages: int | None = None) -> list[str]:
    """Text of pages first..last (1-based, inclusive), as poppler selects it. Raises PopplerError
    when the library is missing, the document does not open, or its page count differs from
    `expected_pages` (what PDFium counted: the two must agree on which page is which)."""
    binding = _load()
    if binding is None:
        raise PopplerError(_load_error or "libpoppler-glib is not available")
    # Poppler reads the document from this buffer without copying it: it lives until the unref.
    buffer = ctypes.create_string_buffer(data, len(data))
    error = ctypes.POINTER(_GError)()
    with _LOCK:
        document = binding.new_from_data(buffer, len(data), None, ctypes.byref(error))
        if not document:
            message = "poppler could not open the document"
            if error:
                message = f"{message}: {(error.contents.message or b'').decode('utf-8', 'replace')}"
                binding.error_free(error)
            raise PopplerError(message)
        try:
            count = binding.n_pages(document)
            if expected_pages is not None and count != expected_pages:
                raise PopplerError(f"poppler counts {count} pages, PDFium {expected_pages}")
            if not 1 <= first <= last <= count:
                raise PopplerError(f"pages {first}..{last} asked of a {count}-page document")
            return [_page_text(binding, document, index) for index in range(first - 1, last)]
        finally:
            binding.unref(document)


def _page_text(binding: _Binding, document: int, index: int) -> str:
    page = binding.get_page(document, index)
    if not page:
        raise PopplerError(f"poppler could not load page {index + 1}")
    try:
        text = binding.get_text(page)
        if not text:
            return ""
        try:
            return ctypes.string_at(text).decode("utf-8", errors="replace")
        finally:
            binding.free(text)
    finally:
        binding.unref(page)
