"""Legacy Office (OLE2: .doc, .xls, .ppt, .msg) and RTF: recognised and reported, not read.

tuscan has no reader for these yet; they are reported as `unsupported` with the format named, so a
contract manager can convert them and re-run. A password-protected .docx/.xlsx is also an OLE2 file
(an encrypted package); that is an error, not an unsupported format.
"""

from __future__ import annotations

from extractors import Limits, extractor
from extractors.base import Extraction, ExtractorError, Unsupported

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_MAGIC = b"{\\rtf"
CONVERT_HINT = "convert it to PDF or DOCX (e.g. libreoffice --headless --convert-to docx FILE) and scan again"

# Stream names in the OLE2 directory (UTF-16LE) that identify the application.
# Directory names are NUL-terminated, which keeps document text that mentions a name from matching.
_OLE_STREAMS = (
    ("WordDocument\0", "Word 97-2003 document (.doc)"),
    ("Workbook\0", "Excel 97-2003 workbook (.xls)"),
    ("PowerPoint Document\0", "PowerPoint 97-2003 presentation (.ppt)"),
    ("__substg1.0_", "Outlook message (.msg)"),
    ("EncryptedPackage\0", None),
    ("Book\0", "Excel 5.0/95 workbook (.xls)"),
)
_BY_SUFFIX = {
    ".doc": "Word 97-2003 document (.doc)",
    ".dot": "Word 97-2003 template (.dot)",
    ".xls": "Excel 97-2003 workbook (.xls)",
    ".ppt": "PowerPoint 97-2003 presentation (.ppt)",
    ".msg": "Outlook message (.msg)",
    ".rtf": "RTF document (.rtf)",
}


def _ole_format(data: bytes, name: str) -> str:
    for stream, label in _OLE_STREAMS:
        if stream.encode("utf-16-le") in data:
            if label is None:
                raise ExtractorError("encrypted (password-protected) Office document; "
                                     "remove the password or export it to PDF")
            return label
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return _BY_SUFFIX.get(suffix, "legacy Office (OLE2) file")


@extractor("legacy", suffixes=tuple(_BY_SUFFIX), magic=(OLE2_MAGIC, RTF_MAGIC))
def extract_legacy(data: bytes, name: str, limits: Limits) -> Extraction:
    if data.startswith(RTF_MAGIC):
        label = "RTF document (.rtf)"
    elif data.startswith(OLE2_MAGIC):
        label = _ole_format(data, name)
    else:
        suffix = "." + name.rsplit(".", 1)[-1].lower()
        raise ExtractorError(f"corrupt {_BY_SUFFIX.get(suffix, 'legacy file')}: "
                             "neither an OLE2 compound file nor RTF")
    raise Unsupported(f"{label} is a legacy format tuscan cannot read; {CONVERT_HINT}")
