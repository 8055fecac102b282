"""File → text. One module per format, each registering itself with `@extractor`.

    from extractors import extract
    result = extract(data, "Kontrakt.pdf")   # -> Extraction

`extractors.sniff` recognises the format by content (the suffix only breaks ties) and gives a
format id; each reader registers for format ids (and may add a content test of its own, tried
first). Containers (zip archives, e-mails) return their members unread (`RawMember`); `extract`
hands them with itself to `extractors.container.expand_members`, so readers never import the
registry. `registered()` lists what is registered; a test checks that list, so registration does
not depend on an unchecked import list.

The reader modules are imported on first use (`load_readers`: the first lookup, listing or
registration), not with the package: the scanner's writer process needs only `Limits` and the
keyword finder from here, and PDFium, Pillow and the e-mail parser cost it ~0.1 s of start-up
(`python -X importtime`). The workers' fork server preloads `extractors.readers`, which loads them.

This package is a leaf: it imports nothing from `tuscan` (except `keywords.py`, the keyword finder,
which is not a reader).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass

from extractors import sniff as _sniff
from extractors.base import (
    ERROR,
    OK,
    UNSUPPORTED,
    ExtractFn,
    Extraction,
    ExtractorError,
    Limits,
    Member,
    Page,
)
from extractors.container import expand_members

__all__ = ["extract", "extractor", "registered", "find_extractor", "load_readers", "Extraction", "Page", "Member", "Limits"]

ContentTest = Callable[[bytes, str], bool]


@dataclass(frozen=True)
class Registration:
    name: str
    formats: tuple[str, ...]         # format ids from extractors.sniff
    suffixes: tuple[str, ...]        # the suffixes that name these formats
    test: ContentTest | None
    fn: ExtractFn


_BY_NAME: dict[str, Registration] = {}
_BY_FORMAT: dict[str, Registration] = {}
_TESTED: list[Registration] = []     # registrations with a content test of their own
_SUFFIX_OWNER: dict[str, str] = {}

# Modules that register formats. Listed here so that `load_readers` registers all of them;
# tests/test_extractors_registry.py asserts the resulting registry.
FORMAT_MODULES = ("pdf", "docx", "xlsx", "pptx", "odf", "text", "html", "zip", "eml", "msg", "rtf", "doc", "xls", "ppt",
                  "legacy", "image")


def extractor(name: str, formats: tuple[str, ...] = (), suffixes: tuple[str, ...] = (),
              test: ContentTest | None = None):
    """Register an extraction function for format ids (see extractors.sniff).

    `suffixes` adds file suffixes for a format the sniffer does not know; `test(data, name)` is a
    content test tried before the sniffer (for a format it does not recognise).
    """

    load_readers()   # a name taken by a bundled reader is refused even before the first lookup

    def register(fn: ExtractFn) -> ExtractFn:
        if name in _BY_NAME:
            raise ValueError(f"extractor {name!r} registered twice")
        own = tuple(s.lower() for s in suffixes)
        known = tuple(s for s, f in _sniff.SUFFIX_FORMATS.items() if f in formats)
        all_suffixes = tuple(dict.fromkeys(known + own))
        for fmt in formats:
            if fmt in _BY_FORMAT:
                raise ValueError(f"format {fmt!r} registered twice ({_BY_FORMAT[fmt].name}, {name})")
        for suffix in all_suffixes:
            if suffix in _SUFFIX_OWNER:
                raise ValueError(f"suffix {suffix!r} registered twice ({_SUFFIX_OWNER[suffix]}, {name})")
        reg = Registration(name, tuple(formats), all_suffixes, test, fn)
        for suffix in all_suffixes:
            _SUFFIX_OWNER[suffix] = name
        for fmt in formats:
            _BY_FORMAT[fmt] = reg
        if test is not None:
            _TESTED.append(reg)
        _BY_NAME[name] = reg
        return fn

    return register


def registered() -> dict[str, tuple[str, ...]]:
    """Extractor name → the suffixes it handles."""
    load_readers()
    return {name: reg.suffixes for name, reg in sorted(_BY_NAME.items())}


def registered_formats() -> dict[str, tuple[str, ...]]:
    """Extractor name → the format ids it reads."""
    load_readers()
    return {name: reg.formats for name, reg in sorted(_BY_NAME.items())}


def find_extractor(data: bytes, name: str) -> Registration | None:
    """The reader for a file: a registration's own content test, else the sniffed format, else its suffix."""
    load_readers()
    for reg in _TESTED:
        try:
            if reg.test(data, name):
                return reg
        except Exception:                  # a content test must not break the lookup
            continue
    fmt = _sniff.sniff(data, name)
    if fmt is not None and fmt in _BY_FORMAT:
        return _BY_FORMAT[fmt]
    owner = _SUFFIX_OWNER.get(_sniff.suffix_of(name))
    return _BY_NAME.get(owner) if owner else None


def extract(data: bytes, name: str, limits: Limits | None = None) -> Extraction:
    """Extract the text of one file. Never raises for bad input: returns a status and reason."""
    limits = limits or Limits()
    if len(data) == 0:
        return Extraction.failed(ERROR, "empty file (0 bytes)")
    if len(data) > limits.max_file_bytes:
        return Extraction.failed(ERROR, f"file is larger than the {limits.max_file_bytes} byte limit")
    try:
        reg = find_extractor(data, name)
    except RecursionError:
        return Extraction.failed(ERROR, "file structure nested too deeply to parse")
    if reg is None:
        # Said from the content alone: records are shared by every file with the same bytes.
        return Extraction.failed(UNSUPPORTED, "no reader for this kind of file (not PDF, Office, OpenDocument, "
                                              f"e-mail, RTF, HTML, image, zip or text; it starts with "
                                              f"{data[:8].hex(' ')})")
    try:
        result = reg.fn(data, name, limits)
        if result.raw_members is not None:
            _expand(result, name, limits, _CONTAINER_KINDS.get(reg.name, reg.name))
    except ExtractorError as exc:
        return Extraction.failed(exc.status, str(exc), reg.name)
    except RecursionError:
        return Extraction.failed(ERROR, "file structure nested too deeply to parse", reg.name)
    except MemoryError:
        return Extraction.failed(ERROR, "file needs too much memory to parse", reg.name)
    except Exception as exc:  # a parser bug on one hostile file must not stop the run
        return Extraction.failed(ERROR, f"{reg.name} could not read the file: {type(exc).__name__}: {exc}", reg.name)
    result.extractor = result.extractor or reg.name
    return result


_CONTAINER_KINDS = {"eml": "e-mail", "msg": "Outlook message"}


def _expand(result: Extraction, name: str, limits: Limits, kind: str) -> None:
    """Turn a reader's raw members into extracted members (in place)."""
    raw, result.raw_members = result.raw_members, None
    try:
        result.members = expand_members(raw, name, limits, extract, kind)
    except ExtractorError as exc:
        if result.status != OK or not result.pages:
            raise
        # A document with text of its own (an e-mail) keeps its text when its attachments cannot be read.
        result.members = []
        result.error = f"attachments not read: {exc}"


_readers = {"loaded": False, "loading": False}
_readers_lock = threading.RLock()


def load_readers() -> None:
    """Import every module of FORMAT_MODULES, which registers its readers; once per process.
    The modules call `extractor` while they load (the same thread, which the re-entrant lock lets
    through); another thread waits until all are registered."""
    if _readers["loaded"]:
        return
    with _readers_lock:
        if _readers["loaded"] or _readers["loading"]:
            return
        _readers["loading"] = True
        try:
            for module in FORMAT_MODULES:
                importlib.import_module(f"extractors.{module}")
            _readers["loaded"] = True
        finally:
            _readers["loading"] = False
