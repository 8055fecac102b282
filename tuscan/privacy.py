"""Masking of personal identifiers before anything is stored or shown.

A CPR number is ddmmyy-xxxx; contracts and annexes also write it without the hyphen, with a space,
or with spaces between the digit pairs (copied from forms). Masking keeps the text's length so that
offsets of keyword hits stay valid: every digit becomes "X".
"""

from __future__ import annotations

import re

_SEP = r"[ \t\u00a0]?"
_CPR = re.compile(
    rf"(?<![\dA-Za-z])([0-3]\d){_SEP}([01]\d){_SEP}(\d\d)(?:{_SEP}-{_SEP}|[ \t\u00a0]|)(\d{{4}})(?![\d])"
)


def _plausible(match: re.Match[str]) -> bool:
    day, month = int(match.group(1)), int(match.group(2))
    # Day 01–31 (+60 for replacement numbers would be 61–91; those start with 6–9 and are not
    # matched by [0-3]); month 01–12.
    return 1 <= day <= 31 and 1 <= month <= 12


def mask_cpr(text: str) -> str:
    """Replace the digits of every CPR-like number with X, keeping length and separators."""
    if not text or not any(ch.isdigit() for ch in text):
        return text

    def repl(match: re.Match[str]) -> str:
        if not _plausible(match):
            return match.group(0)
        return re.sub(r"\d", "X", match.group(0))

    return _CPR.sub(repl, text)


def contains_cpr(text: str) -> bool:
    """True when text holds an unmasked CPR-like number (used by tests and the share export)."""
    return any(_plausible(m) for m in _CPR.finditer(text or ""))
