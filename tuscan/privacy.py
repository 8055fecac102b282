"""Masking of personal identifiers before anything is stored or shown.

CPR numbers in text are found and masked by `extractors.cpr` (the forms it knows, and why it errs on
the side of masking, are described there); `mask_cpr` is re-exported here for the rest of tuscan.

File and folder names are masked too (`mask_path`): municipal archives name files after the citizen
("Aftale 010203-1234.pdf"). A masked name gets a short tag from the original name, so two files
whose names differ only in the CPR number stay two documents (the tag is 16 bits: far too few to
recover a CPR number from, enough to keep names in one folder apart).
"""

from __future__ import annotations

import hashlib
import posixpath

from extractors.cpr import _CPR, _plausible, mask_cpr


def contains_cpr(text: str) -> bool:
    """True when text holds an unmasked CPR-like number (used by tests and the share export)."""
    return any(_plausible(m) for m in _CPR.finditer(text or ""))


def _tag(original: str) -> str:
    return hashlib.sha256(original.encode("utf-8", "surrogatepass")).hexdigest()[:4]


def mask_name(name: str) -> str:
    """One file or folder name with CPR numbers masked; a masked name gets a tag (see module doc)
    before its extension, so the extension still tells which reader to use."""
    masked = mask_cpr(name)
    if masked == name:
        return name
    stem, ext = posixpath.splitext(masked)
    return f"{stem}~{_tag(name)}{ext}"


def mask_path(path: str) -> str:
    """A stored path ('folder/file', 'archive.zip!member/inner') with CPR numbers masked per name."""
    if not contains_cpr(path):
        return path
    return "!".join("/".join(mask_name(name) for name in part.split("/")) for part in path.split("!"))
