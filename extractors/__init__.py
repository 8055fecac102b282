"""File → text. One module per format, each registering itself with `@extractor`.

    from extractors import extract
    result = extract(data, "Kontrakt.pdf")   # -> Extraction

Formats are looked up by file-name suffix first and by content (magic bytes) second, so a file
with a wrong or missing extension is still read. `registered()` lists what is registered; a test
checks that list, so registration does not depend on an unchecked import list.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from extractors.base import ERROR, UNSUPPORTED, Extraction, ExtractorError, Member, Page

__all__ = ["extract", "extractor", "registered", "Extraction", "Page", "Member", "Limits"]

ExtractFn = Callable[[bytes, str, "Limits"], Extraction]


@dataclass(frozen=True)
class Limits:
    """Resource limits for one extraction. See SECURITY.md for what each protects against."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_pages: int = 5000
    zip_max_members: int = 10_000
    zip_max_total_bytes: int = 1024 * 1024 * 1024
    zip_max_ratio: float = 100.0
    zip_max_depth: int = 3
    timeout_seconds: float = 120.0   # per document, enforced by the runner
    depth: int = 0                   # current zip nesting depth


@dataclass(frozen=True)
class Registration:
    name: str
    suffixes: tuple[str, ...]
    magic: tuple[bytes, ...]
    fn: ExtractFn


_BY_NAME: dict[str, Registration] = {}
_BY_SUFFIX: dict[str, Registration] = {}

# Modules that register formats. Listed here so that importing `extractors` registers all of them;
# tests/test_extractors_registry.py asserts the resulting registry.
FORMAT_MODULES = ("pdf", "docx", "text", "html", "zip", "legacy", "image", "xlsx")


def extractor(name: str, suffixes: tuple[str, ...] = (), magic: tuple[bytes, ...] = ()):
    """Register an extraction function for file suffixes (".pdf") and magic byte prefixes."""

    def register(fn: ExtractFn) -> ExtractFn:
        if name in _BY_NAME:
            raise ValueError(f"extractor {name!r} registered twice")
        reg = Registration(name, tuple(s.lower() for s in suffixes), magic, fn)
        for suffix in reg.suffixes:
            if suffix in _BY_SUFFIX:
                raise ValueError(f"suffix {suffix!r} registered twice ({_BY_SUFFIX[suffix].name}, {name})")
            _BY_SUFFIX[suffix] = reg
        _BY_NAME[name] = reg
        return fn

    return register


def registered() -> dict[str, tuple[str, ...]]:
    """Extractor name → the suffixes it handles."""
    return {name: reg.suffixes for name, reg in sorted(_BY_NAME.items())}


def _suffix(name: str) -> str:
    base = name.rsplit("/", 1)[-1].rsplit("!", 1)[-1]
    return "." + base.rsplit(".", 1)[-1].lower() if "." in base else ""


def find_extractor(data: bytes, name: str) -> Registration | None:
    """Pick the extractor by content first when the magic bytes are unambiguous, else by suffix."""
    head = data[:8]
    for reg in _BY_NAME.values():
        if any(head.startswith(m) for m in reg.magic):
            # ZIP magic is shared by docx/xlsx and plain zip: let the suffix decide between them.
            by_suffix = _BY_SUFFIX.get(_suffix(name))
            if by_suffix is not None and any(head.startswith(m) for m in by_suffix.magic):
                return by_suffix
            return reg
    return _BY_SUFFIX.get(_suffix(name))


def extract(data: bytes, name: str, limits: Limits | None = None) -> Extraction:
    """Extract the text of one file. Never raises for bad input: returns a status and reason."""
    limits = limits or Limits()
    if len(data) == 0:
        return Extraction.failed(ERROR, "empty file (0 bytes)")
    if len(data) > limits.max_file_bytes:
        return Extraction.failed(ERROR, f"file is larger than the {limits.max_file_bytes} byte limit")
    reg = find_extractor(data, name)
    if reg is None:
        return Extraction.failed(UNSUPPORTED, f"no reader for files like {name.rsplit('/', 1)[-1]!r}")
    try:
        result = reg.fn(data, name, limits)
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


for _module in FORMAT_MODULES:
    importlib.import_module(f"extractors.{_module}")
