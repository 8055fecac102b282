"""CPR numbers in text: finding and masking them, with no dependency outside the extractors.

A CPR number is ddmmyy-xxxx; contracts and annexes also write it without the hyphen, with spaces
("CPR: 010203 - 1234"), with an en dash (word processors' autocorrect), with spaces between the digit
pairs (copied from forms), or broken across a line ("010203-⏎1234" in a PDF's text layer). Masking
keeps the text's length so that offsets of keyword hits stay valid: every digit becomes "X".

Masking errs on the side of masking: any ten digits in that shape with a plausible day and month are
masked, even if they are, say, a contract number. Losing a number from a snippet costs little;
an unmasked CPR number in an inventory that is passed around costs a lot.

The keyword finder masks page text and snippets with this module before anything is stored; it lives
in `extractors` so that the readers and the finder need nothing from the `tuscan` package (a Dask
worker or another tool can use them alone). `tuscan.privacy` builds file-name masking on it.
"""

from __future__ import annotations

import re

import re2

_SPACE = r"[ \t\u00a0\u2009\u202f]"
# Between two groups: nothing, a few spaces, or a line break with indentation around it.
_GAP = rf"(?:{_SPACE}{{0,3}}\r?\n{_SPACE}{{0,3}}|{_SPACE}{{0,2}})"
_DASH = r"[-\u2010\u2011\u2012\u2013\u2014\u2212]"
# "Not preceded by a digit" is checked after the first digit, `\d(?<!\d\d)`, rather than before it,
# `(?<!\d)\d`: a pattern that starts with a character class lets the regex engine skip ahead to the
# next digit, and a page is masked in a third of the time (profiled on the benchmark corpus).
_CPR = re.compile(
    rf"(\d(?<!\d\d)\d){_GAP}(\d\d){_GAP}(\d\d)(?:{_GAP}{_DASH}{_GAP}|{_GAP})(\d\d){_GAP}(\d\d)(?!\d)"
)
_DIGIT = re.compile(r"\d")
# The same shape without the look-arounds RE2 lacks, so every `_CPR` match is also a match of this:
# a page with none has no CPR number. RE2 (google-re2, also behind the keyword finder's literal
# search) answers that in one pass at ~1.3 ns a character where `_CPR` costs ~7.4, because Python's
# engine tries the pattern at every digit of dates, amounts and clause numbers (profiled on the
# benchmark corpora's pages, 4 in 3,177 of which hold a CPR-like number). Python's `\d` is any
# Unicode decimal digit: `\p{Nd}` here.
_RE2_SPACE, _RE2_DIGIT = r"[ \t\x{a0}\x{2009}\x{202f}]", r"\p{Nd}"
_RE2_GAP = rf"(?:{_RE2_SPACE}{{0,3}}\r?\n{_RE2_SPACE}{{0,3}}|{_RE2_SPACE}{{0,2}})"
_RE2_DASH = r"[-\x{2010}\x{2011}\x{2012}\x{2013}\x{2014}\x{2212}]"
_RE2_PAIR = _RE2_DIGIT * 2
_MAY_HOLD_CPR = re2.compile(
    rf"{_RE2_PAIR}{_RE2_GAP}{_RE2_PAIR}{_RE2_GAP}{_RE2_PAIR}(?:{_RE2_GAP}{_RE2_DASH}{_RE2_GAP}|{_RE2_GAP})"
    rf"{_RE2_PAIR}{_RE2_GAP}{_RE2_PAIR}"
)


def _plausible(match: re.Match[str]) -> bool:
    day, month = int(match.group(1)), int(match.group(2))
    # Day 01–31, or 61–91 for replacement numbers (erstatningspersonnumre: day + 60); month 01–12.
    return (1 <= day <= 31 or 61 <= day <= 91) and 1 <= month <= 12


def mask_cpr(text: str) -> str:
    """Replace the digits of every CPR-like number with X, keeping length and separators."""
    # As UTF-8 for RE2; "surrogatepass" lets a lone surrogate through as bytes no pattern matches.
    if not text or _MAY_HOLD_CPR.search(text.encode("utf-8", "surrogatepass")) is None:
        return text
    return _mask_every(text)


def _mask_every(text: str) -> str:
    """`mask_cpr` without the RE2 check: every `_CPR` match in `text` masked."""
    return _CPR.sub(_masked, text)


def _masked(match: re.Match[str]) -> str:
    if not _plausible(match):
        return match.group(0)
    return _DIGIT.sub("X", match.group(0))
