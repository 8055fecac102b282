"""Text from an archive shown on a terminal: file names can hold anything a file system allows.

A name with an ANSI escape sequence can rewrite the terminal (move the cursor, hide the lines
before it), a bell rings, a tab or newline breaks the summary table, and a right-to-left override
(U+202E) shows "Kontrakt‮fdp.exe" as "Kontraktexe.pdf". So every control character, and the
Unicode bidirectional controls, are shown escaped (\\x1b, \\t, \\u202e), as ripgrep and fd do. The
stored text is not changed: this is for showing only.
"""

from __future__ import annotations

import unicodedata

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# Bidirectional embeddings, overrides and isolates; the marks that reorder text around them.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}


def _escaped(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: object) -> str:
    """`text` with control, format-control and bidi characters escaped; ordinary text unchanged."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(_escaped(ch) if ch in _BIDI or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
                   else ch for ch in text)
