"""Office files that are no document tuscan reads: encrypted OOXML packages, unknown OLE2 and OOXML kinds.

A password-protected .docx/.xlsx/.pptx is an OLE2 file holding an `EncryptedPackage` stream: that
is an error ("encrypted"), not an unsupported format. Other compound files (Thumbs.db, .msi,
Visio, Publisher) and OOXML packages other than Word, Excel and PowerPoint XML (.xlsb, .vsdx,
.xps) are reported as unsupported with a conversion hint, as one document each. The readable legacy
formats have readers of their own (doc.py, xls.py, ppt.py, msg.py, rtf.py).
"""

from __future__ import annotations

from extractors import extractor
from extractors.base import Encrypted, Extraction, Limits, Unsupported
from extractors.sniff import OLE2_MAGIC

__all__ = ["OLE2_MAGIC", "extract_ole"]
CONVERT_HINT = "convert it to PDF or DOCX (e.g. libreoffice --headless --convert-to pdf FILE) and scan again"


@extractor("legacy", formats=("ole-encrypted", "ole", "ooxml"))
def extract_ole(data: bytes, name: str, limits: Limits) -> Extraction:
    from extractors.sniff import sniff

    kind = sniff(data, name)
    if kind == "ooxml":
        raise Unsupported(f"Office Open XML package of a kind tuscan cannot read (not a Word, Excel or "
                          f"PowerPoint XML document, e.g. .xlsb or .vsdx); {CONVERT_HINT}")
    if kind == "ole-encrypted":
        raise Encrypted("encrypted (password-protected) Office document; remove the password or export it to PDF")
    raise Unsupported(f"OLE2 compound file of a kind tuscan cannot read (not Word, Excel, PowerPoint or "
                      f"Outlook); {CONVERT_HINT}")
