"""Masking of personal identifiers before anything is stored or shown.

A CPR number is ddmmyy-xxxx; contracts and annexes also write it without the hyphen, with spaces
("CPR: 010203 - 1234"), with an en dash (word processors' autocorrect), with spaces between the digit
pairs (copied from forms), or broken across a line ("010203-⏎1234" in a PDF's text layer). Masking
keeps the text's length so that offsets of keyword hits stay valid: every digit becomes "X".

Masking errs on the side of masking: any ten digits in that shape with a plausible day and month are
masked, even if they are, say, a contract number. Losing a number from a snippet costs little;
an unmasked CPR number in an inventory that is passed around costs a lot.

File and folder names are masked too (`mask_path`): municipal archives name files after the citizen
("Aftale 010203-1234.pdf"). A masked name gets a short tag from the original name, so two files
whose names differ only in the CPR number stay two documents (the tag is 16 bits: far too few to
recover a CPR number from, enough to keep names in one folder apart).
"""

from __future__ import annotations

import hashlib
import posixpath
import re

_SPACE = r"[ \t\u00a0\u2009\u202f]"
# Between two groups: nothing, a few spaces, or a line break with indentation around it.
_GAP = rf"(?:{_SPACE}{{0,3}}\r?\n{_SPACE}{{0,3}}|{_SPACE}{{0,2}})"
_DASH = r"[-\u2010\u2011\u2012\u2013\u2014\u2212]"
# "Not preceded by a digit" is checked after the first digit, `\d(?<!\d\d)`, rather than before it,
# `(?<!\d)\d`: a pattern that starts with a character class lets the regex engine skip ahead to the
# next digit, and a page is masked in a third of the time (profiled on the benchmark corpus, issue 8).
_CPR = re.compile(
    rf"(\d(?<!\d\d)\d){_GAP}(\d\d){_GAP}(\d\d)(?:{_GAP}{_DASH}{_GAP}|{_GAP})(\d\d){_GAP}(\d\d)(?!\d)"
)


def _plausible(match: re.Match[str]) -> bool:
    day, month = int(match.group(1)), int(match.group(2))
    # Day 01–31, or 61–91 for replacement numbers (erstatningspersonnumre: day + 60); month 01–12.
    return (1 <= day <= 31 or 61 <= day <= 91) and 1 <= month <= 12


def mask_cpr(text: str) -> str:
    """Replace the digits of every CPR-like number with X, keeping length and separators."""
    if not text:
        return text

    def repl(match: re.Match[str]) -> str:
        if not _plausible(match):
            return match.group(0)
        return re.sub(r"\d", "X", match.group(0))

    return _CPR.sub(repl, text)


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
