"""Recognise a file's format by its content, once, in one place; the suffix only breaks ties.

Archives name files freely: a contract saved as `Bilag 3` without a suffix, a `.doc` that Word
wrote as RTF, an `.xls` that is really an HTML table, a `.odt` that a zip tool would list as XML
parts. So the content decides wherever it can:

- `%PDF-` → pdf;
- a ZIP is OOXML when it has `[Content_Types].xml` (docx/docm/dotx, xlsx/xlsm, pptx by the main
  part; another OOXML package such as .xlsb or .vsdx is `ooxml`), OpenDocument when its
  `mimetype` member says so (odt/ods/odp), else a plain zip — an office document is one
  document, never a folder of XML members;
- an OLE2 compound file (`D0 CF 11 E0`) is doc, xls, ppt or msg by its streams (read with olefile),
  and a password-protected OOXML package (an `EncryptedPackage` stream) is `ole-encrypted`;
- `{\\rtf` → rtf; PNG, JPEG, TIFF, GIF, BMP → image;
- markup and mail: HTML (`<!DOCTYPE html`/`<html` at the start), e-mail (RFC 5322 header lines);
- then the suffix (a `.pdf` that is not a PDF goes to the PDF reader, which says it is corrupt);
- last, text that decodes cleanly → text.

`sniff()` returns a format id; the registry (`extractors/__init__.py`) maps ids to readers.
"""

from __future__ import annotations

import io
import re
import zipfile

__all__ = ["sniff", "suffix_of", "SUFFIX_FORMATS", "OLE2_MAGIC", "ZIP_MAGIC"]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")   # local file header; end of central directory (empty zip)
RTF_MAGIC = b"{\\rtf"
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF87a", b"GIF89a", b"BM")

# Suffix → format id: the tie-breaker when the content does not decide.
SUFFIX_FORMATS: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx", ".docm": "docx", ".dotx": "docx", ".dotm": "docx",
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".xltx": "xlsx", ".xltm": "xlsx",
    ".pptx": "pptx", ".pptm": "pptx", ".ppsx": "pptx", ".potx": "pptx",
    ".odt": "odt", ".ott": "odt", ".ods": "ods", ".ots": "ods", ".odp": "odp", ".otp": "odp",
    ".zip": "zip",
    ".doc": "doc", ".dot": "doc", ".xls": "xls", ".xlt": "xls", ".ppt": "ppt", ".pps": "ppt", ".pot": "ppt",
    ".msg": "msg", ".eml": "eml", ".mht": "eml", ".mhtml": "eml", ".rtf": "rtf",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
    ".gif": "image", ".bmp": "image",
    ".txt": "text", ".csv": "text", ".tsv": "text", ".md": "text",
}

_ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.text-template": "odt",
    "application/vnd.oasis.opendocument.text-master": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.spreadsheet-template": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/vnd.oasis.opendocument.presentation-template": "odp",
    "application/vnd.oasis.opendocument.graphics": "odp",     # drawings: pages of frames, as slides
}
# OLE2 stream (top-level) → format. Checked in this order.
_OLE_STREAMS = (
    ("EncryptedPackage", "ole-encrypted"),
    ("WordDocument", "doc"),
    ("Workbook", "xls"),
    ("Book", "xls"),
    ("PowerPoint Document", "ppt"),
    ("__properties_version1.0", "msg"),
)
_HTML_START = re.compile(rb"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.I | re.S)
_HEADER_LINE = re.compile(rb"([!-9;-~]+):[ \t]?(.*)")
_MAIL_HEADERS = {b"from", b"to", b"subject", b"date", b"message-id", b"received", b"mime-version",
                 b"return-path", b"delivered-to", b"cc", b"reply-to", b"x-mailer", b"content-type"}


def suffix_of(name: str) -> str:
    """'.pdf' for 'mappe/Kontrakt.PDF' and for a member 'a.zip!Bilag.pdf'; '' without a suffix."""
    base = name.rsplit("/", 1)[-1].rsplit("!", 1)[-1]
    return "." + base.rsplit(".", 1)[-1].lower() if "." in base else ""


def sniff(data: bytes, name: str) -> str | None:
    """The format id of a file from its bytes, with its name's suffix as the tie-breaker."""
    suffix_format = SUFFIX_FORMATS.get(suffix_of(name))
    head = data[:1024]
    pdf_at = head.find(b"%PDF-")
    # Readers accept a PDF header anywhere in the first KiB (after a mail gateway's junk); a text
    # or mail file that merely mentions "%PDF-" is not a PDF.
    if pdf_at == 0 or (pdf_at > 0 and suffix_format in ("pdf", None)):
        return "pdf"
    if data.startswith(ZIP_MAGIC):
        return _zip_format(data, suffix_format)
    if data.startswith(OLE2_MAGIC):
        return _ole_format(data, suffix_format)
    if data.startswith(RTF_MAGIC):
        return "rtf"
    if data.startswith(IMAGE_MAGIC) and (not data.startswith(b"BM") or suffix_format == "image"):
        return "image"
    if suffix_format in ("html", "eml"):
        return suffix_format
    if _HTML_START.match(_strip_bom(head)):
        return "html"
    if looks_like_mail(data):
        return "eml"
    if suffix_format is not None:
        return suffix_format
    if _looks_like_text(data):
        return "text"
    return None


def _strip_bom(head: bytes) -> bytes:
    return head[3:] if head.startswith(b"\xef\xbb\xbf") else head


def looks_like_mail(data: bytes) -> bool:
    """RFC 5322 header lines at the start, at least two of them ones that mail always has."""
    known = 0
    for number, line in enumerate(_strip_bom(data[:8192]).split(b"\n")):
        line = line.rstrip(b"\r")
        if not line:
            return known >= 2 and number >= 2
        if line[:1] in (b" ", b"\t"):          # a folded header continues
            continue
        if number == 0 and line.startswith(b"From "):   # mbox separator line
            continue
        match = _HEADER_LINE.fullmatch(line)
        if match is None:
            return False
        known += match.group(1).lower() in _MAIL_HEADERS
        if number > 200:
            break
    return known >= 2


def _looks_like_text(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return False
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if len(data) <= len(sample) or exc.start < len(sample) - 4:   # not a character cut by the sample
            return False
        text = sample[:exc.start].decode("utf-8")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls <= len(text) // 100


def _zip_format(data: bytes, suffix_format: str | None) -> str:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        # Unreadable: let the reader its suffix names say "corrupt DOCX" (or "corrupt zip").
        return suffix_format if suffix_format in _ZIP_BASED else "zip"
    if "[Content_Types].xml" in names or "word/document.xml" in names or "xl/workbook.xml" in names:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "ppt/presentation.xml" in names:
            return "pptx"
        kind = _ooxml_main_part(zf)
        if kind:
            return kind
        if suffix_format in ("docx", "xlsx", "pptx"):
            return suffix_format           # its reader reports the missing main part
        if "[Content_Types].xml" in names and suffix_format != "zip":
            return "ooxml"                 # .xlsb, .vsdx, .xps …: one document, not a folder of parts
    if "mimetype" in names:
        info = zf.getinfo("mimetype")
        if info.file_size < 200 and not info.flag_bits & 0x1:
            try:
                mimetype = zf.read(info).decode("ascii", "replace").strip()
            except Exception:              # a broken member: decide by the other signs
                mimetype = ""
            if mimetype in _ODF_MIMETYPES:
                return _ODF_MIMETYPES[mimetype]
    if "content.xml" in names and "META-INF/manifest.xml" in names:
        return suffix_format if suffix_format in ("odt", "ods", "odp") else "odt"
    if suffix_format in _ZIP_BASED:
        return suffix_format               # the reader reports the missing main part
    return "zip"


_ZIP_BASED = {"docx", "xlsx", "pptx", "odt", "ods", "odp", "zip"}


def _ooxml_main_part(zf: zipfile.ZipFile) -> str | None:
    """docx/xlsx/pptx from the content type overrides when the main part has an unusual name."""
    try:
        info = zf.getinfo("[Content_Types].xml")
        if info.file_size > 1024 * 1024 or info.flag_bits & 0x1:
            return None
        types = zf.read(info)
    except Exception:                      # missing or broken: no opinion
        return None
    for marker, kind in ((b"wordprocessingml.document.main", "docx"), (b"wordprocessingml.template.main", "docx"),
                         (b"spreadsheetml.sheet.main", "xlsx"), (b"spreadsheetml.template.main", "xlsx"),
                         (b"presentationml.presentation.main", "pptx"), (b"presentationml.slideshow.main", "pptx"),
                         (b"presentationml.template.main", "pptx")):
        if marker in types:
            return kind
    return None


def _ole_format(data: bytes, suffix_format: str | None) -> str:
    try:
        import olefile
    except ImportError:                    # the readers then say which package to install
        olefile = None
    try:
        if olefile is None:
            raise LookupError("olefile is not installed")
        with olefile.OleFileIO(io.BytesIO(data)) as ole:   # bytes could be taken for a path
            # Directory names compare case-insensitively in compound files.
            streams = {entry[0].lower() for entry in ole.listdir(streams=True, storages=True) if entry}
    except Exception:                      # olefile raises OSError, struct.error … for broken files
        if suffix_format in ("doc", "xls", "ppt", "msg"):
            return suffix_format           # its reader says "corrupt Word 97-2003 document" …
        streams = {stream.lower() for stream, _ in _OLE_STREAMS if (stream + "\0").encode("utf-16-le") in data}
    for stream, kind in _OLE_STREAMS:
        if stream.lower() in streams:
            return kind
    if any(s.startswith("__substg1.0_") for s in streams):
        return "msg"
    if suffix_format in ("doc", "xls", "ppt", "msg"):
        return suffix_format
    return "ole"
