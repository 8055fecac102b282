"""Write a folder of hostile and broken inputs, each with the outcome tuscan must record for it.

    inputs = generate(root, outside)      # root: the folder to scan; outside: a sibling folder
    for item in inputs:
        item.kind, item.expect            # what it is; the rows it must get in document_findings

Every input is small on disk (the 20 GB file is sparse; the bombs are compressed). Each `Expect`
names a path as tuscan stores it (relative to the scanned root, '/' separators, NFC, zip members as
`archive.zip!member`), the statuses it may get and a regular expression its reason (`error` column,
'' when there is none) must match (`re.search`). Where two inputs must both be kept but tuscan is
free to choose how it names them apart (duplicate zip members, names equal after NFC), the path is
a regular expression and `rows` says how many rows must match it.

`outside` gets a file holding `SECRET_MARKER`; links, XML entities and zip members point at it and
at /etc, so a test can check that no byte from outside the scanned folder is stored.

Why by hand and not with the writing libraries: most of these files are ones no library would
write (a page tree that loops, an xref that points at itself, a zip whose headers lie), so the
bytes are put together here with `struct` and `zlib`; Pillow writes the valid images, pypdf only
encrypts, `zipfile` writes the zips that are then patched.
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
import struct
import unicodedata
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

SECRET_MARKER = "HEMMELIG-UDENFOR-ARKIVET-7f3a9c"   # text of the file outside the scanned folder
LOGIN = "Borgerne logger ind med MitID via NemLog-in."

# A name that clears the screen, sets the window title, rings the bell and reverses the text after
# it, if printed raw. None of these characters may reach tuscan's output unescaped.
TERMINAL_TRAP = "\x1b[2J\x1b]0;tuscan\x07\x1b[31mkaput\x1b[0m \u202efdp.exe"
TERMINAL_CONTROLS = ("\x1b", "\x07", "\u202e", "\x08")

OK = frozenset({"ok"})
NONE = r"^$"
# Statuses a file that is not read may be recorded with: a read error shows as 'error'; a fix may
# add a separate status for what is deliberately not followed.
NOT_READ = frozenset({"error", "skipped"})
LINK_OUT = r"(?i)outside|out of|link"
NOT_REGULAR = r"(?i)not a regular file|device|pipe|socket|outside|link"


@dataclass(frozen=True)
class Expect:
    path: str                       # stored path, or a regular expression when `pattern`
    statuses: frozenset[str]
    reason: str                     # regular expression (re.search) on the reason, '' when none
    rows: int = 1                   # rows that must match (names that must be kept apart)
    pattern: bool = False


@dataclass
class Input:
    kind: str
    note: str
    expect: list[Expect] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Byte builders


def pdf_bytes(objects: list[bytes], *, header: bytes = b"%PDF-1.7", trailer: bytes = b"") -> bytes:
    """A PDF from object bodies numbered 1…n (object 1 the catalog), with a correct xref table."""
    out = bytearray(header + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"


def text_content(text: str) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td (" + text.encode("latin-1") + b") Tj ET"


def text_pdf(text: str = LOGIN) -> bytes:
    return pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      PAGE, stream(text_content(text)), FONT])


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(width: int, height: int, rows: bytes, bit_depth: int = 8, colour: int = 0) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", rows)
            + png_chunk(b"IEND", b""))


def deflate_repeated(piece: bytes, count: int) -> bytes:
    """zlib stream of `piece` * count without holding the whole in memory."""
    packer = zlib.compressobj(9)
    out = [packer.compress(piece) for _ in range(count)]
    out.append(packer.flush())
    return b"".join(out)


def tiff_header_only(width: int, height: int) -> bytes:
    """A little-endian TIFF whose header claims width×height 1-bit pixels over one tiny strip."""
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 1), (259, 3, 1, 1), (262, 3, 1, 0),
               (273, 4, 1, 8 + 2 + 12 * 8 + 4), (278, 4, 1, height), (279, 4, 1, 16)]
    ifd = struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHII", *e) for e in entries) + b"\0\0\0\0"
    return b"II*\x00" + struct.pack("<I", 8) + ifd + b"\xff" * 16


def tiff_frames(count: int, side: int = 8) -> bytes:
    """A little-endian TIFF of `count` blank side×side 1-bit frames (Pillow's writer is quadratic in
    the frame count)."""
    row_bytes = (side + 7) // 8
    strip = b"\0" * (row_bytes * side)          # WhiteIsZero: all white
    ifd_size = 2 + 8 * 12 + 4
    out = bytearray(b"II*\x00" + struct.pack("<I", 8))
    for index in range(count):
        start = len(out)
        data_at = start + ifd_size
        next_ifd = data_at + len(strip) if index + 1 < count else 0
        entries = [(256, 3, 1, side), (257, 3, 1, side), (258, 3, 1, 1), (259, 3, 1, 1), (262, 3, 1, 0),
                   (273, 4, 1, data_at), (278, 3, 1, side), (279, 4, 1, len(strip))]
        out += struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHII", *e) for e in entries)
        out += struct.pack("<I", next_ifd) + strip
    return bytes(out)


def zip_bytes(entries: list[tuple[str | zipfile.ZipInfo, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # "Duplicate name": that is the point
        with zipfile.ZipFile(out, "w", method) as zf:
            for name, data in entries:
                info = name if isinstance(name, zipfile.ZipInfo) else zipfile.ZipInfo(name, (2024, 1, 2, 3, 4, 5))
                info.compress_type = method
                zf.writestr(info, data)
    return out.getvalue()


def patch_zip_headers(data: bytes, fn) -> bytes:
    """Apply fn(raw, offset, kind) to every local ('local') and central ('central') header."""
    raw = bytearray(data)
    for signature, kind in ((b"PK\x03\x04", "local"), (b"PK\x01\x02", "central")):
        start = 0
        while (pos := raw.find(signature, start)) >= 0:
            fn(raw, pos, kind)
            start = pos + 4
    return bytes(raw)


def _set_flag(raw: bytearray, pos: int, kind: str, bit: int) -> None:
    offset = pos + (6 if kind == "local" else 8)      # general purpose flags
    struct.pack_into("<H", raw, offset, struct.unpack_from("<H", raw, offset)[0] | bit)


def encrypted_flag(raw: bytearray, pos: int, kind: str) -> None:
    _set_flag(raw, pos, kind, 0x1)


def utf8_flag(raw: bytearray, pos: int, kind: str) -> None:
    _set_flag(raw, pos, kind, 0x800)                   # "the name is UTF-8"


def central_size(size: int):
    def patch(raw: bytearray, pos: int, kind: str) -> None:
        if kind == "central":
            struct.pack_into("<I", raw, pos + 24, size)
    return patch


def docx_bytes(document_xml: bytes) -> bytes:
    types = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
             b'officedocument.wordprocessingml.document.main+xml"/></Types>')
    return zip_bytes([("[Content_Types].xml", types), ("word/document.xml", document_xml)])


W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def word_xml(body: bytes, doctype: bytes = b"") -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + doctype
            + b"<w:document " + W + b"><w:body>" + body + b"</w:body></w:document>")


def paragraph(text: bytes) -> bytes:
    return b"<w:p><w:r><w:t>" + text + b"</w:t></w:r></w:p>"


XLSX_TYPES = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
              b'<Default Extension="xml" ContentType="application/xml"/>'
              b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
              b'spreadsheetml.sheet.main+xml"/>'
              b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
              b'officedocument.spreadsheetml.worksheet+xml"/>'
              b"</Types>")
SHARED_STRINGS_TYPE = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                       b'officedocument.spreadsheetml.sharedStrings+xml"/>')
RELS_NS = b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def xlsx_bytes(sheet_rows: bytes, shared_strings: bytes | None = None, doctype: bytes = b"") -> bytes:
    rels = (b'<?xml version="1.0"?><Relationships ' + RELS_NS + b'><Relationship Id="rId1" Type="' + REL
            + b'/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    workbook = (b'<?xml version="1.0"?><workbook ' + SHEET_NS + b' xmlns:r="' + REL + b'"><sheets>'
                b'<sheet name="Ark1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    workbook_rels = (b'<?xml version="1.0"?><Relationships ' + RELS_NS + b'><Relationship Id="rId1" Type="'
                     + REL + b'/worksheet" Target="worksheets/sheet1.xml"/>'
                     + (b'<Relationship Id="rId2" Type="' + REL + b'/sharedStrings" Target="sharedStrings.xml"/>'
                        if shared_strings is not None else b"") + b"</Relationships>")
    sheet = b'<?xml version="1.0"?>' + doctype + b"<worksheet " + SHEET_NS + b"><sheetData>" + sheet_rows + b"</sheetData></worksheet>"
    types = XLSX_TYPES if shared_strings is None else XLSX_TYPES.replace(b"</Types>", SHARED_STRINGS_TYPE + b"</Types>")
    entries = [("[Content_Types].xml", types), ("_rels/.rels", rels), ("xl/workbook.xml", workbook),
               ("xl/_rels/workbook.xml.rels", workbook_rels), ("xl/worksheets/sheet1.xml", sheet)]
    if shared_strings is not None:
        entries.append(("xl/sharedStrings.xml", shared_strings))
    return zip_bytes(entries)


# ---------------------------------------------------------------------------------------------
# The generator


class _Writer:
    """Writes inputs into root; `add` closes one input (the entries written since the last `add`).
    With `kinds`, inputs of other kinds are removed again right after they are written."""

    def __init__(self, root: Path, outside: Path, kinds: set[str] | None = None) -> None:
        self.root, self.outside, self.kinds = root, outside, kinds
        self.inputs: list[Input] = []
        self.all_kinds: list[str] = []
        self._before = set(os.listdir(root))

    def add(self, kind: str, note: str, *expect: Expect) -> None:
        if kind in self.all_kinds:
            raise ValueError(f"kind {kind!r} generated twice")
        self.all_kinds.append(kind)
        written = set(os.listdir(self.root)) - self._before
        if self.kinds is None or kind in self.kinds:
            self.inputs.append(Input(kind, note, list(expect)))
            self._before |= written
        else:
            for name in written:
                remove_tree(os.path.join(self.root, name))

    def file(self, name: str | bytes, data: bytes | str) -> Path:
        """Write root/name; a bytes name is written byte for byte (not valid UTF-8, say)."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        path = os.path.join(os.fsencode(self.root), name) if isinstance(name, bytes) else self.root / name
        with open(path, "wb") as fh:
            fh.write(data)
        return Path(os.fsdecode(path))

    def simple(self, kind: str, name: str, data: bytes | str, statuses: frozenset[str], reason: str,
               note: str, stored: str | None = None) -> None:
        self.file(name, data)
        self.add(kind, note, Expect(stored or unicodedata.normalize("NFC", name), statuses, reason))

    def link(self, name: str, target: str | os.PathLike) -> None:
        os.symlink(target, self.root / name)


def remove_tree(path: str) -> None:
    """Delete a file, link or folder tree without recursion (the 1,500-deep folder)."""
    stack = [path]
    while stack:
        top = stack[-1]
        if os.path.islink(top) or not os.path.isdir(top):
            os.unlink(top)
            stack.pop()
            continue
        os.chmod(top, 0o700)
        entries = os.listdir(top)
        if entries:
            stack.extend(os.path.join(top, e) for e in entries)
        else:
            os.rmdir(top)
            stack.pop()


def all_kinds() -> list[str]:
    """Every kind `generate` writes, in order (written once into a temporary folder and removed)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, "root"))
        return _generate(Path(tmp) / "root", Path(tmp) / "outside", set()).all_kinds


def generate(root: Path, outside: Path, kinds: set[str] | None = None) -> list[Input]:
    """Fill `root` (which must exist and be empty) with hostile inputs; `outside` gets the secret.
    `kinds`: generate only these, to find which input a failure comes from (a few links point at
    other inputs: link-inside at plain-text, link-to-fifo at fifo, link-two-hops-outside at
    link-outside-absolute)."""
    return _generate(Path(root), Path(outside), kinds).inputs


def _generate(root: Path, outside: Path, kinds: set[str] | None) -> _Writer:
    outside.mkdir(parents=True, exist_ok=True)
    secret = outside / "hemmelig.txt"
    secret.write_text(f"{SECRET_MARKER}\nLogin med MitID: denne fil ligger uden for arkivet.\n", "utf-8")
    (outside / "mappe").mkdir(exist_ok=True)
    (outside / "mappe" / "ude.txt").write_text(f"{SECRET_MARKER} NemID", "utf-8")
    w = _Writer(root, outside, set(kinds) if kinds is not None else None)
    w.file("Kontrakt.txt", LOGIN)
    w.add("plain-text", "an ordinary file, so the run has something to read", Expect("Kontrakt.txt", OK, NONE))
    _pdfs(w)
    _sizes(w)
    _images(w)
    _office(w)
    _zips(w)
    _special_files(w)
    _links(w, secret)
    _names(w)
    _suffixes(w)
    _text(w)
    if kinds is not None and (unknown := set(kinds) - set(w.all_kinds)):
        raise ValueError(f"no such kinds: {sorted(unknown)}")
    return w



def _pdfs(w: _Writer) -> None:
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
    w.simple("pdf-page-tree-loop", "pdf-sidetrae-loop.pdf", pdf_bytes([
        catalog, b"<< /Type /Pages /Kids [3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 6 0 R] /Count 2 >>", stream(text_content(LOGIN)), FONT,
        PAGE.replace(b"/Parent 2 0 R", b"/Parent 3 0 R")]),
        frozenset({"ok", "error", "no_text"}), r"(?i)^$|corrupt|page|loop|cycle|nested|deep",
        "the page tree's Kids point back at the root Pages node")
    base = text_pdf()
    update = b"7 0 obj\n<< /Filler true >>\nendobj\n"
    update_xref = len(base) + len(update)
    cycle = base + update + (b"xref\n7 1\n%010d 00000 n \ntrailer\n<< /Size 8 /Root 1 0 R /Prev %d >>\n"
                             b"startxref\n%d\n%%%%EOF\n" % (len(base), update_xref, update_xref))
    w.simple("pdf-xref-cycle", "pdf-xref-cyklus.pdf", cycle, frozenset({"ok", "error"}),
             r"(?i)^$|corrupt|xref|cycle|loop", "an incremental update whose /Prev points at its own xref")
    kids = b"3 0 R " * 100_000
    w.simple("pdf-100000-pages", "pdf-100000-sider.pdf", pdf_bytes([
        catalog, b"<< /Type /Pages /Kids [" + kids + b"] /Count 100000 >>", PAGE, stream(text_content(LOGIN)),
        FONT]), frozenset({"error"}), r"100000 pages|100\.?000.*limit|max_pages",
        "100,000 pages, all one shared page object (600 kB on disk)")
    w.simple("pdf-count-lie", "pdf-count-loegn.pdf", pdf_bytes([
        catalog, b"<< /Type /Pages /Kids [3 0 R] /Count 2000000000 >>", PAGE, stream(text_content(LOGIN)), FONT]),
        frozenset({"ok", "error"}), r"(?i)^$|pages|limit|corrupt", "/Count says two billion, one kid")
    w.simple("pdf-truncated", "pdf-afkortet.pdf", base[: len(base) // 2], frozenset({"error", "no_text", "ok"}),
             r"(?i)^$|corrupt|truncated|no pages|no text", "cut in the middle of the content stream")
    w.simple("pdf-invalid-header", "pdf-forkert-hoved.pdf", b"%PDX-9.9 not really\n" + base[9:],
             frozenset({"error", "ok"}), r"(?i)^$|not a PDF|corrupt", "a PDF body behind a broken %PDF header")
    w.simple("pdf-encrypted", "pdf-krypteret.pdf", _encrypted_pdf(base), frozenset({"error"}),
             r"(?i)encrypted|password", "RC4 with a user password")
    deep = b"[" * 200_000 + b"]" * 200_000
    w.simple("pdf-deep-nesting", "pdf-dyb-indlejring.pdf", pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R /Junk 6 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE,
        stream(text_content(LOGIN)), FONT, deep]), frozenset({"ok", "error"}),
        r"(?i)^$|nested|deep|corrupt", "an array nested 200,000 levels deep")
    w.simple("pdf-no-pages", "pdf-ingen-sider.pdf", pdf_bytes([catalog, b"<< /Type /Pages /Kids [] /Count 0 >>"]),
             frozenset({"error", "no_text"}), r"(?i)no pages|no text|corrupt", "an empty page tree")
    bomb = deflate_repeated(b" " * 1024, 40 * 1024)   # 40 MiB of spaces, ~40 kB compressed
    w.simple("pdf-stream-bomb", "pdf-stroem-bombe.pdf", pdf_bytes([
        catalog, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE, stream(bomb, b"/Filter /FlateDecode "), FONT]),
        frozenset({"ok", "error", "no_text"}), r"(?i)^$|limit|bomb|OCR|no text|too",
        "a content stream that inflates to 40 MiB of spaces")
    w.simple("pdf-javascript", "pdf-javascript.pdf", pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.launchURL\\('http://10.0.0.1/'\\)) >>"
        b" >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE, stream(text_content(LOGIN)), FONT]),
        OK, NONE, "an /OpenAction script: read as text, never run")


def _encrypted_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(data)).pages:
        writer.add_page(page)
    writer.encrypt(user_password="kodeord", owner_password="ejer", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _sizes(w: _Writer) -> None:
    path = w.file("kaempe-sparse.pdf", b"%PDF-1.7\n")
    os.truncate(path, 20 * 1024 ** 3)
    w.add("sparse-20gb", "20 GB, all hole but the header: must be refused by size, not hashed in full",
          Expect("kaempe-sparse.pdf", frozenset({"error"}), r"(?i)larger than|limit|too large|size"))
    line = "Leverandør;System;Kontaktperson;Telefon;Bemærkning uden nøgleord\n".encode()
    with open(w.root / "gentaget-linje.csv", "wb") as fh:
        block = line * 16384
        for _ in range(50 * 1024 * 1024 // len(block)):
            fh.write(block)
        fh.write(b"Sidste linje: login med MitID\n")
    w.add("csv-50mb-repeated-line", "50 MB of one CSV line, a keyword on the last",
          Expect("gentaget-linje.csv", frozenset({"ok", "error"}), r"(?i)^$|larger than|limit|longer than"))
    w.simple("text-hit-flood", "mitid-hver-linje.txt", "MitID\n" * 100_000, OK, NONE,
             "a keyword on each of 100,000 lines")


def _images(w: _Writer) -> None:
    from PIL import Image

    w.simple("png-decompression-bomb", "png-bombe.png",
             png_bytes(100_000, 100_000, zlib.compress(b"\0" * 12_501 * 64), bit_depth=1),
             frozenset({"error"}), r"(?i)pixels|bomb|limit", "10 gigapixels declared, a few rows of data")
    white_row = b"\0" + b"\xff" * 9000
    w.simple("png-large-blank", "png-stor-hvid.png", png_bytes(9000, 9000, deflate_repeated(white_row, 9000)),
             frozenset({"error", "no_text"}), r"(?i)pixels|bomb|limit|OCR|no text|longer than|memory",
             "81 megapixels of white, just under the pixel limits, 80 kB on disk")
    w.simple("tiff-huge-header", "tiff-kaempe.tif", tiff_header_only(300_000, 300_000), frozenset({"error"}),
             r"(?i)pixels|bomb|limit|corrupt", "a TIFF header claiming 300000×300000 pixels")
    for count in (1000, 4000):
        # Blank frames hold no text: `no_text` is honest, if the reason says the frames were capped.
        w.simple(f"tiff-{count}-frames", f"tiff-{count}-rammer.tif", tiff_frames(count),
                 frozenset({"error", "no_text"}), r"(?i)frames|pages|limit|longer than",
                 f"{count} blank 8×8 frames: a frame limit or the document's total deadline must end it")
    jpeg = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 10, 10)).save(jpeg, format="JPEG")
    w.simple("jpeg-truncated", "jpeg-afkortet.jpg", jpeg.getvalue()[: len(jpeg.getvalue()) // 2],
             frozenset({"error", "no_text"}), r"(?i)corrupt|truncated|OCR|no text", "half a JPEG")
    w.simple("png-garbage", "png-affald.png", b"\x89PNG\r\n\x1a\n" + os.urandom(64), frozenset({"error"}),
             r"(?i)corrupt|truncated", "a PNG signature and noise")


def _office(w: _Writer) -> None:
    w.simple("docx-xxe-passwd", "docx-xxe-passwd.docx",
             docx_bytes(word_xml(paragraph(b"&xxe;"), b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')),
             frozenset({"error"}), r"(?i)DTD|entity", "an external entity naming /etc/passwd")
    secret_uri = (w.outside / "hemmelig.txt").as_uri().encode()
    w.simple("docx-xxe-outside", "docx-xxe-udenfor.docx",
             docx_bytes(word_xml(paragraph(b"&xxe;"), b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "' + secret_uri
                                 + b'">]>')), frozenset({"error"}), r"(?i)DTD|entity",
             "an external entity naming the file outside the archive")
    laughs = b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1)) * 10) for i in range(1, 10))
    w.simple("docx-billion-laughs", "docx-milliard-grin.docx",
             docx_bytes(word_xml(paragraph(b"&lol9;"), b'<!DOCTYPE w:document [<!ENTITY lol0 "lol">' + laughs + b"]>")),
             frozenset({"error"}), r"(?i)DTD|entity", "nine levels of tenfold entities")
    w.simple("docx-truncated", "docx-afkortet.docx", docx_bytes(word_xml(paragraph(LOGIN.encode())))[:300],
             frozenset({"error"}), r"(?i)corrupt|truncated", "the first 300 bytes of a DOCX")
    w.simple("docx-really-pdf", "docx-der-er-pdf.docx", text_pdf(), OK, NONE, "a PDF named .docx")
    big = io.BytesIO()
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        with zf.open("word/document.xml", "w") as fh:
            fh.write(word_xml(b"<w:p><w:r><w:t>"))
            for _ in range(150):
                fh.write(b" " * (1 << 20))
            fh.write(b"</w:t></w:r></w:p>")
    w.simple("docx-zip-bomb", "docx-bombe.docx", big.getvalue(), frozenset({"error"}),
             r"(?i)ratio|bomb|limit", "word/document.xml inflates to 150 MiB")
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i % 10)
                    for i in range(1, 1_000_001))
    w.simple("xlsx-million-rows", "xlsx-million-raekker.xlsx", xlsx_bytes(rows), frozenset({"ok", "error"}),
             r"(?i)^$|rows|limit|longer than|ratio|bomb", "1,000,000 numbered rows")
    huge = ("Leverandøren leverer systemet efter aftale " * 23_000)[:1_000_000].encode()
    strings = (b'<?xml version="1.0"?><sst ' + SHEET_NS + b' count="1" uniqueCount="1"><si><t>' + huge
               + b"</t></si></sst>")
    cells = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>' % (i, i) for i in range(1, 1001))
    w.simple("xlsx-shared-strings-bomb", "xlsx-delte-strenge-bombe.xlsx", xlsx_bytes(cells, strings),
             frozenset({"ok", "error"}), r"(?i)^$|limit|bomb|too|text|longer than|memory",
             "1,000 cells all naming one 1 MB shared string: 1 GB of text from 20 kB")
    w.simple("xlsx-xxe", "xlsx-xxe.xlsx",
             xlsx_bytes(b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>',
                        doctype=b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'),
             frozenset({"error"}), r"(?i)DTD|entity", "a worksheet with an external entity naming /etc/passwd")


def _zips(w: _Writer) -> None:
    member = LOGIN.encode()
    w.file("sti-udenfor.zip", zip_bytes([("../../etc/x", member), ("a/../../../b.txt", member)]))
    w.add("zip-traversal-names", "members named ../../etc/x: labels only, nothing written",
          Expect(r"^sti-udenfor\.zip!.*etc/x$", frozenset({"ok", "unsupported"}), r"^$|no reader", pattern=True),
          Expect(r"^sti-udenfor\.zip!.*b\.txt$", frozenset({"ok", "unsupported"}), r"^$|no reader", pattern=True))
    w.file("absolut.zip", zip_bytes([("/etc/passwd", member), ("/tmp/x.txt", member)]))
    w.add("zip-absolute-names", "members named /etc/passwd and /tmp/x.txt",
          Expect(r"^absolut\.zip!/?etc/passwd$", frozenset({"ok", "unsupported"}), r"^$|no reader", pattern=True),
          Expect(r"^absolut\.zip!/?tmp/x\.txt$", OK, NONE, pattern=True))
    w.file("dubletter.zip", zip_bytes([("Kontrakt.txt", b"Version 1: login med NemID"),
                                      ("Kontrakt.txt", b"Version 2: login med MitID")]))
    w.add("zip-duplicate-names", "two members both named Kontrakt.txt, different contents: both kept",
          Expect(r"^dubletter\.zip!.*Kontrakt", OK, NONE, rows=2, pattern=True))
    nfc, nfd = "Bilag é.txt", unicodedata.normalize("NFD", "Bilag é.txt")
    w.file("nfc-navne.zip", zip_bytes([(nfc, b"NFC: login med NemID"), (nfd, b"NFD: login med MitID")]))
    w.add("zip-names-equal-after-nfc", "members 'Bilag é.txt' in NFC and in NFD: both kept",
          Expect(r"^nfc-navne\.zip!.*Bilag", OK, NONE, rows=2, pattern=True))
    w.file("under-angivet.zip", patch_zip_headers(zip_bytes([("a.txt", member * 1000)]), central_size(100)))
    w.add("zip-understated-size", "the central directory says 100 bytes for a 45 kB member",
          Expect("under-angivet.zip!a.txt", frozenset({"ok", "error"}), r"(?i)^$|corrupt|size|CRC|bomb"))
    w.file("over-angivet.zip", patch_zip_headers(zip_bytes([("a.txt", member)]), central_size(0xFFFFFFF0)))
    w.add("zip-overstated-size", "the central directory says 4 GB for a 45-byte member",
          Expect(r"^over-angivet\.zip(!a\.txt)?$", frozenset({"ok", "error"}), r"(?i)^$|corrupt|size|limit|bomb",
                 pattern=True))
    w.file("zip-bombe.zip", zip_bytes([("bombe.txt", b"\0" * (60 << 20)), ("ok.txt", member)]))
    w.add("zip-bomb", "a member inflating 1000:1 to 60 MiB, and an ordinary one",
          Expect("zip-bombe.zip!bombe.txt", frozenset({"error"}), r"(?i)ratio|bomb|limit"),
          Expect("zip-bombe.zip!ok.txt", OK, NONE))
    data = zip_bytes([("bund.txt", member)])
    for level in range(6):
        data = zip_bytes([(f"niveau{level}.zip", data)])
    w.file("dybde.zip", data)
    w.add("zip-nested-depth", "zips nested six deep: the level past the limit is an error",
          Expect(r"^dybde\.zip!(niveau\d\.zip!)*niveau\d\.zip$", frozenset({"error"}), r"(?i)nested|deep|depth",
                 pattern=True))
    w.file("krypteret.zip", patch_zip_headers(zip_bytes([("hemmelig.txt", member)]), encrypted_flag))
    w.add("zip-encrypted-member", "a member flagged as encrypted",
          Expect("krypteret.zip!hemmelig.txt", frozenset({"error"}), r"(?i)encrypted|password"))
    w.file("mange.zip", zip_bytes([(f"f{i:05}.txt", b"") for i in range(20_000)], zipfile.ZIP_STORED))
    w.add("zip-too-many-members", "20,000 empty members, over the member limit",
          Expect("mange.zip", frozenset({"error"}), r"(?i)members|limit|bomb"))
    w.file("afkortet.zip", zip_bytes([("a.txt", member * 50)])[:-40])
    w.add("zip-truncated", "the end of the central directory cut off",
          Expect("afkortet.zip", frozenset({"error"}), r"(?i)corrupt|truncated"))
    info = zipfile.ZipInfo("link-til-passwd.txt", (2024, 1, 2, 3, 4, 5))
    info.create_system = 3
    info.external_attr = (0o120777 << 16)
    w.file("symlink-medlem.zip", zip_bytes([(info, b"/etc/passwd")]))
    w.add("zip-symlink-member", "a member stored as a Unix symlink to /etc/passwd: only its 11 bytes are text",
          Expect("symlink-medlem.zip!link-til-passwd.txt", frozenset({"ok", "error", "unsupported", "skipped"}),
                 r"(?i)^$|link"))
    w.file("tom.zip", b"PK\x05\x06" + b"\0" * 18)
    w.add("zip-empty", "an empty archive (only the end record): still one row",
          Expect("tom.zip", frozenset({"ok", "error", "no_text", "unsupported"}), r"(?i)^$|empty|no members"))
    ansi = "Kontrakt \x1b[31mRØD\x1b[0m\x07.txt"
    w.file("styretegn.zip", zip_bytes([(ansi, member)]))
    w.add("zip-control-chars-in-member-name", "a member name with ANSI escapes and BEL",
          Expect(r"^styretegn\.zip!.*Kontrakt", OK, NONE, pattern=True))
    placeholder = zip_bytes([("XX.txt", member)])
    w.file("ugyldigt-navn.zip", patch_zip_headers(placeholder.replace(b"XX.txt", b"\xff\xfe.txt"), utf8_flag))
    w.add("zip-invalid-utf8-member-name", "a member name flagged UTF-8 that is not",
          Expect(r"^ugyldigt-navn\.zip", frozenset({"ok", "error"}), r"(?i)^$|corrupt|name|utf", pattern=True))
    w.file("tomt-navn.zip", zip_bytes([("", member), ("ok.txt", member)]))
    w.add("zip-empty-member-name", "a member whose name is empty",
          Expect(r"^tomt-navn\.zip", frozenset({"ok", "error"}), r"(?i)^$|corrupt|name|empty", pattern=True))
    w.file("kollision.zip", zip_bytes([("inde.txt", b"i zip'en: NemID")]))
    w.file("kollision.zip!inde.txt", "en fil med ! i navnet: MitID")
    w.add("zip-member-path-collides-with-file", "a file named 'kollision.zip!inde.txt' beside kollision.zip holding"
          " inde.txt: two documents, two rows", Expect(r"^kollision\.zip.*inde\.txt$", OK, NONE, rows=2, pattern=True))
    w.file("zip-som.pdf", zip_bytes([("a.txt", member)]))
    w.add("zip-named-pdf", "a zip archive named .pdf: read by its content",
          Expect(r"^zip-som\.pdf(!a\.txt)?$", frozenset({"ok", "error"}), r"(?i)^$|not a PDF|corrupt", pattern=True))


def _special_files(w: _Writer) -> None:
    os.mkfifo(w.root / "fifo.pdf")
    w.add("fifo", "a named pipe nobody writes to", Expect("fifo.pdf", NOT_READ, NOT_REGULAR))
    with contextlib.chdir(w.root), socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind("sokkel.txt")
    w.add("unix-socket", "a Unix socket left on disk", Expect("sokkel.txt", NOT_READ, NOT_REGULAR))
    w.link("nul.pdf", "/dev/zero")
    w.add("link-dev-zero", "a symlink to /dev/zero", Expect("nul.pdf", NOT_READ, NOT_REGULAR))
    w.link("tilfaeldig.txt", "/dev/urandom")
    w.add("link-dev-urandom", "a symlink to /dev/urandom", Expect("tilfaeldig.txt", NOT_READ, NOT_REGULAR))
    w.link("link-fifo.txt", "fifo.pdf")
    w.add("link-to-fifo", "a symlink to the FIFO inside the archive", Expect("link-fifo.txt", NOT_READ, NOT_REGULAR))
    path = w.file("mode-000.txt", LOGIN)
    path.chmod(0)
    # Root reads a mode-000 file anyway; another user gets a read error. Either is a record.
    w.add("mode-000-file", "a file with mode 000", Expect("mode-000.txt", frozenset({"ok", "error"}),
                                                         r"(?i)^$|permission"))
    folder = w.root / "laast-mappe"
    folder.mkdir()
    (folder / "inde.txt").write_text(LOGIN, "utf-8")
    folder.chmod(0)
    w.add("mode-000-folder", "a folder with mode 000 holding a file",
          Expect(r"^laast-mappe(/inde\.txt)?$", frozenset({"ok", "error"}), r"(?i)^$|permission", pattern=True))
    path = w.file("mtime-negativ.txt", LOGIN)
    os.utime(path, (0, -1e9))
    w.add("mtime-negative", "modified in 1938", Expect("mtime-negativ.txt", OK, NONE))
    path = w.file("mtime-fremtid.txt", LOGIN)
    os.utime(path, (0, 32503680000.0))
    w.add("mtime-far-future", "modified in the year 3000", Expect("mtime-fremtid.txt", OK, NONE))
    parts = ["d"] * 1500
    deep = str(w.root)
    for part in parts:              # one level at a time: os.makedirs and Path.mkdir recurse
        deep = os.path.join(deep, part)
        os.mkdir(deep)
    with open(os.path.join(deep, "bund.txt"), "w", encoding="utf-8") as fh:
        fh.write(LOGIN)
    w.add("folders-1500-deep", "1,500 nested folders, a path of ~3 kB", Expect("/".join(parts) + "/bund.txt", OK, NONE))


def _links(w: _Writer, secret: Path) -> None:
    for kind, name, target in [
        ("link-etc-passwd", "link-passwd.txt", "/etc/passwd"),
        ("link-etc-shadow", "link-shadow.txt", "/etc/shadow"),
        ("link-outside-absolute", "link-hemmelig.txt", secret),
        ("link-outside-relative", "link-relativ.txt", os.path.relpath(secret, w.root)),
        ("link-proc-self-status", "link-proc-status.txt", "/proc/self/status"),
    ]:
        w.link(name, target)
        w.add(kind, f"a symlink to {target}: not followed out of the archive", Expect(name, NOT_READ, LINK_OUT))
    w.link("link-via-link.txt", "link-hemmelig.txt")
    w.add("link-two-hops-outside", "a link to a link that leads outside",
          Expect("link-via-link.txt", NOT_READ, LINK_OUT))
    w.link("mappe-udenfor", w.outside / "mappe")
    w.add("link-folder-outside", "a symlink to a folder outside", Expect("mappe-udenfor", NOT_READ, LINK_OUT))
    w.link("mappe-loop", ".")
    w.add("link-folder-to-root", "a symlink to the scanned folder itself", Expect("mappe-loop", NOT_READ, LINK_OUT))
    w.link("link-inde.txt", "Kontrakt.txt")
    w.add("link-inside", "a symlink to a file inside the archive",
          Expect("link-inde.txt", frozenset({"ok", "error", "skipped"}), r"(?i)^$|link"))
    w.link("loop-a.txt", "loop-b.txt")
    w.link("loop-b.txt", "loop-a.txt")
    w.add("link-loop", "two links pointing at each other",
          Expect("loop-a.txt", NOT_READ, r"(?i)loop|link"), Expect("loop-b.txt", NOT_READ, r"(?i)loop|link"))
    w.link("loop-selv.pdf", "loop-selv.pdf")
    w.add("link-self", "a link to itself", Expect("loop-selv.pdf", NOT_READ, r"(?i)loop|link"))
    w.link("brudt-link.pdf", "findes-ikke.pdf")
    w.add("link-broken", "a link to nothing", Expect("brudt-link.pdf", NOT_READ, r"(?i)broken|link|missing"))


def _names(w: _Writer) -> None:
    for kind, name in [
        ("name-tab", "Kon\ttrakt.txt"),
        ("name-newline", "Kon\ntrakt.txt"),
        ("name-carriage-return", "Kon\rtrakt.txt"),
        ("name-ansi-escape", "\x1b[2J\x1b[31mRød kontrakt\x1b[0m.txt"),
        ("name-bel", "klokke\x07.txt"),
        ("name-bidi-override", "kontrakt\u202etxt.exe.txt"),
        ("name-leading-dashes", "--help.txt"),
        ("name-backslash", "mappe\\fil.txt"),
        ("name-very-long", "K" * 251 + ".txt"),
        ("name-very-long-multibyte", "æ" * 125 + ".txt"),
    ]:
        w.simple(kind, name, LOGIN, OK, NONE, f"a file named {name[:40]!r}")
    # Unreadable, so the run's summary lists it: its name must reach the terminal escaped.
    w.simple("name-control-chars-unreadable", TERMINAL_TRAP + ".pdf", b"%PDF-1.7\n" + os.urandom(512),
             frozenset({"error"}), r"(?i)corrupt|truncated|not a PDF", "a broken PDF whose name holds terminal controls")
    w.file(b"Aftale \xe6\xf8\xe5.txt", LOGIN)
    w.add("name-invalid-utf8", "a name in Latin-1 bytes, not UTF-8: stored escaped",
          Expect("Aftale \\xe6\\xf8\\xe5.txt", OK, NONE))
    w.file("Aftale 010203-1234.txt", LOGIN)
    w.add("name-with-cpr", "a CPR number in the name: masked, with a tag",
          Expect(r"^Aftale XXXXXX-XXXX~[0-9a-f]{4}\.txt$", OK, NONE, pattern=True))


def _suffixes(w: _Writer) -> None:
    for suffix in ("pdf", "txt", "docx", "xlsx", "zip"):
        w.simple(f"empty-{suffix}", f"tom.{suffix}" if suffix != "zip" else "tom-fil.zip", b"", frozenset({"error"}),
                 r"(?i)empty", f"an empty .{suffix}")
    w.simple("pdf-named-txt", "pdf-som.txt", text_pdf(), OK, NONE, "a PDF named .txt")
    blank = io.BytesIO()
    from PIL import Image

    Image.new("L", (64, 64), 255).save(blank, format="PNG")
    w.simple("png-named-pdf", "png-som.pdf", blank.getvalue(), frozenset({"no_text", "error"}),
             r"(?i)OCR|no text|not a PDF", "a blank PNG named .pdf")
    w.simple("text-named-pdf", "tekst-som.pdf", LOGIN, frozenset({"error", "ok"}), r"(?i)^$|not a PDF",
             "plain text named .pdf")
    w.simple("no-suffix", "uden-endelse", LOGIN, frozenset({"unsupported", "ok"}), r"(?i)^$|no reader",
             "text without a suffix")
    w.simple("binary-named-txt", "binaer.txt", os.urandom(2048) + b"\0", frozenset({"unsupported", "error"}),
             r"(?i)binary|NUL", "random bytes named .txt")
    w.simple("legacy-doc", "gammel.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1536,
             frozenset({"unsupported", "error"}), r"(?i)legacy|cannot read|corrupt", "an OLE header, nothing else")
    w.simple("zip-named-docx", "zip-som.docx", zip_bytes([("noter.txt", LOGIN.encode())]),
             frozenset({"ok", "error"}), r"(?i)^$|corrupt|document\.xml",
             "a plain zip named .docx", stored="zip-som.docx")


def _text(w: _Writer) -> None:
    line = "<p>" + "Lorem ipsum dolor sit amet " * 150_000 + "Login med NemID" + " consectetur" * 150_000 + "</p>"
    w.simple("html-huge-single-line", "en-linje.html", "<html><body>" + line + "</body></html>", OK, NONE,
             "8 MB of HTML on one line, a keyword in the middle")
    w.simple("html-entities", "entiteter.html",
             '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html><body><p>&xxe; Login med NemID</p>'
             "</body></html>", OK, NONE, "an HTML file declaring an external entity: never resolved")
    w.simple("text-utf16-no-bom", "utf16-uden-bom.txt", LOGIN.encode("utf-16-le"), frozenset({"ok", "unsupported"}),
             r"(?i)^$|NUL|binary|encoding", "UTF-16LE text without a byte order mark")
    w.simple("text-utf16-bom", "utf16-med-bom.txt", LOGIN.encode("utf-16"), OK, NONE, "UTF-16 with a BOM")
    w.simple("text-cp1252", "cp1252.txt", "Leverandør: login med MitID".encode("cp1252"), OK, NONE,
             "Windows-1252 text")
    w.simple("text-control-chars", "styretegn.txt", "\x1b[2J\x1b]0;hacked\x07" + LOGIN + "\x1b[0m", OK, NONE,
             "text holding terminal escape sequences")
