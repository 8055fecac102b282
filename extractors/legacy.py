"""OLE2 compound files that are no document tuscan reads: encrypted OOXML packages, unknown kinds.

A password-protected .docx/.xlsx/.pptx is an OLE2 file holding an `EncryptedPackage` stream: that
is an error ("encrypted"), not an unsupported format. Other compound files (Thumbs.db, .msi,
Visio, Publisher) are reported as unsupported with a conversion hint. The readable legacy
formats have readers of their own (doc.py, xls.py, ppt.py, msg.py, rtf.py).
"""

from __future__ import annotations

from extractors import extractor
from extractors.base import Encrypted, Extraction, Limits, Unsupported
from extractors.sniff import OLE2_MAGIC

__all__ = ["OLE2_MAGIC", "extract_ole"]
CONVERT_HINT = "convert it to PDF or DOCX (e.g. libreoffice --headless --convert-to pdf FILE) and scan again"


@extractor("legacy", formats=("ole-encrypted", "ole"))
def extract_ole(data: bytes, name: str, limits: Limits) -> Extraction:
    from extractors.sniff import sniff

    if sniff(data, name) == "ole-encrypted":
        raise Encrypted("encrypted (password-protected) Office document; remove the password or export it to PDF")
    raise Unsupported(f"OLE2 compound file of a kind tuscan cannot read (not Word, Excel, PowerPoint or "
                      f"Outlook); {CONVERT_HINT}")
