"""OLE2 compound files (the container of legacy .doc, .xls, .ppt and .msg): opening and checks.

olefile (pure Python, maintained by the oletools author, used by extract-msg) reads the
directory and streams; the format readers use it to tell an encrypted file from a corrupt one
before running their tool.
"""

from __future__ import annotations

import io
import struct

from extractors.base import Encrypted, ExtractorError, require

__all__ = ["open_ole", "word_is_encrypted"]


def open_ole(data: bytes, what: str):
    """An olefile.OleFileIO for `data`, or ExtractorError naming what the file should have been."""
    olefile = require("olefile", what, "olefile")
    try:
        # Always a stream: olefile takes short bytes for a file name.
        return olefile.OleFileIO(io.BytesIO(data))
    except Exception as exc:   # olefile raises OSError, struct.error, IndexError … on broken files
        detail = f" ({exc})" if 0 < len(str(exc)) <= 100 else ""    # olefile's long messages dump numbers
        raise ExtractorError(f"corrupt {what}: not a readable OLE2 compound file{detail}") from exc


def word_is_encrypted(ole) -> bool:
    """The FIB's fEncrypted bit (bit 8 of the flags at offset 10 of the WordDocument stream)."""
    try:
        head = ole.openstream("WordDocument").read(12)
    except Exception:
        return False
    return len(head) >= 12 and bool(struct.unpack_from("<H", head, 10)[0] & 0x0100)


def refuse_encrypted(what: str) -> None:
    raise Encrypted(f"encrypted (password-protected) {what}; remove the password or export it to PDF")
