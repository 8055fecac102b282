"""Hostile and broken inputs: each becomes a record with a specific status and reason, never a crash."""

from __future__ import annotations

import io
import struct
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from pypdf import PdfWriter

from extractors import Limits, extract
from extractors.base import CONTAINER, ERROR, OK, UNSUPPORTED
from tests.test_extract_docx import make_docx, rewrite_part
from tests.test_extract_pdf import encrypt, make_pdf
from tests.test_extract_zip import make_zip

FORMATS = Path(__file__).parent / "data" / "formats"


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def simple_docx() -> bytes:
    return make_docx(lambda d: d.add_paragraph("Login med NemID"))


def with_entity_declaration(doctype: bytes) -> bytes:
    return rewrite_part(simple_docx(), "word/document.xml",
                        lambda raw: raw.replace(b"?>\n", b"?>\n" + doctype + b"\n", 1))


XXE = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
BILLION_LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')


def nested_zip(levels: int) -> bytes:
    data = make_zip({"bund.txt": b"NemLog-in"})
    for level in range(levels):
        data = make_zip({f"niveau{level}.zip": data})
    return data


def set_encrypted_flag(data: bytes) -> bytes:
    """Mark every member as encrypted (general purpose flag bit 0) in local and central headers."""
    raw = bytearray(data)
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (pos := raw.find(signature, start)) >= 0:
            flags = struct.unpack_from("<H", raw, pos + flag_offset)[0]
            struct.pack_into("<H", raw, pos + flag_offset, flags | 0x1)
            start = pos + 4
    return bytes(raw)


def understate_size(data: bytes) -> bytes:
    """Make the central directory declare a smaller uncompressed size than the member has."""
    raw = bytearray(data)
    pos = raw.find(b"PK\x01\x02")
    size = struct.unpack_from("<I", raw, pos + 24)[0]
    struct.pack_into("<I", raw, pos + 24, size // 10)
    return bytes(raw)


def only_member(result):
    assert result.status == CONTAINER, result.error
    assert len(result.members) == 1
    return result.members[0].extraction


CASES = [
    # (id, make bytes, file name, limits, expected status, reason substring)
    ("empty-pdf", lambda: b"", "tom.pdf", None, ERROR, "empty file (0 bytes)"),
    ("empty-docx", lambda: b"", "tom.docx", None, ERROR, "empty file (0 bytes)"),
    ("empty-zip-file", lambda: b"", "tom.zip", None, ERROR, "empty file (0 bytes)"),
    ("truncated-pdf", lambda: make_pdf([["NemID"]] * 3)[:600], "halv.pdf", None, ERROR,
     "corrupt or truncated PDF"),
    ("garbage-pdf", lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8, "rod.pdf", None, ERROR,
     "corrupt or truncated PDF"),
    ("not-a-pdf", lambda: b"just some bytes", "falsk.pdf", None, ERROR, "not a PDF (no %PDF header)"),
    ("encrypted-pdf", lambda: encrypt(make_pdf([["Hemmelig NemID-aftale"]]), "kodeord"), "krypteret.pdf",
     None, ERROR, "encrypted PDF (password required)"),
    ("thousands-of-pages", lambda: blank_pdf(6000), "stor.pdf", None, ERROR,
     "6000 pages, more than the limit of 5000 (max_pages)"),
    ("pages-over-custom-limit", lambda: make_pdf([["side"]] * 11), "elleve.pdf", Limits(max_pages=10), ERROR,
     "more than the limit of 10 (max_pages)"),
    ("truncated-docx", lambda: simple_docx()[:2000], "halv.docx", None, ERROR,
     "corrupt or truncated DOCX: not a readable zip archive"),
    ("docx-without-document", lambda: make_zip({"word/styles.xml": b"<x/>"}), "tom.docx", None, ERROR,
     "corrupt DOCX: word/document.xml is missing"),
    ("docx-broken-xml", lambda: rewrite_part(simple_docx(), "word/document.xml", lambda raw: raw[:-40]),
     "brudt.docx", None, ERROR, "corrupt DOCX: XML part is not well-formed"),
    ("docx-xxe", lambda: with_entity_declaration(XXE), "xxe.docx", None, ERROR,
     "DOCX contains an XML DTD/entity declaration (possible XML bomb); not parsed"),
    ("docx-billion-laughs", lambda: with_entity_declaration(BILLION_LAUGHS), "lol.docx", None, ERROR,
     "XML DTD/entity declaration"),
    ("corrupt-zip", lambda: make_zip({"a.txt": b"NemID" * 100})[:-30], "brudt.zip", None, ERROR,
     "corrupt or truncated zip archive"),
    ("zip-member-count", lambda: make_zip({f"{i}.txt": b"x" for i in range(6)}), "mange.zip",
     Limits(zip_max_members=5), ERROR, "zip has 6 members, more than the limit of 5 (possible zip bomb)"),
    ("zip-total-size", lambda: make_zip({"a.txt": b"a" * 3000, "b.txt": b"b" * 3000}), "stor.zip",
     Limits(zip_max_total_bytes=5000), ERROR, "declares 6000 bytes uncompressed, more than the limit of 5000"),
    ("legacy-doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "gammel.doc", None, ERROR,
     "corrupt Word 97-2003 document (.doc): not a readable OLE2 compound file"),
    ("corrupt-image", lambda: b"\x89PNG\r\n\x1a\n" + b"\xff" * 100, "scan.png", None, ERROR,
     "corrupt or truncated image"),
    ("binary-as-text", lambda: b"\x00\x01\x02" * 100, "data.csv", None, UNSUPPORTED, "contains NUL bytes"),
    ("docx-xml-part-over-cap", simple_docx, "stor.docx", Limits(xml_max_bytes=500), ERROR,
     "DOCX has an XML part of"),
    ("truncated-odt", lambda: odt()[:300], "halv.odt", None, ERROR, "corrupt or truncated ODF text"),
    ("truncated-pptx", lambda: pptx()[:200], "halv.pptx", None, ERROR, "corrupt or truncated PPTX"),
    ("odt-billion-laughs", lambda: odt(content=BILLION_LAUGHS.decode() + "<x>&lol3;</x>"), "lol.odt", None, ERROR,
     "ODF text contains an XML DTD/entity declaration"),
    ("truncated-xls", lambda: (FORMATS / "standardized_text.xls").read_bytes()[:5000], "halv.xls", None, ERROR,
     "corrupt Excel 97-2003 workbook"),
    ("not-an-ole-msg", lambda: b"not a message at all", "besked.msg", None, ERROR, "corrupt Outlook message"),
    ("rtf-suffix-binary", lambda: b"\x00\xff" * 50, "a.rtf", None, ERROR, "corrupt RTF document"),
]


def odt(content: str | None = None) -> bytes:
    from tests.test_extract_odf import TEXT_BODY, make_odf

    return make_odf("odt", TEXT_BODY, content=content)


def pptx() -> bytes:
    from tests.test_extract_pptx import make_pptx_by_hand

    return make_pptx_by_hand(["MitID"])


@pytest.mark.parametrize(("make", "name", "limits", "status", "reason"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_bad_input_gets_specific_status_and_reason(make, name, limits, status, reason):
    result = extract(make(), name, limits)
    assert result.status == status
    assert reason in (result.error or "")
    assert result.pages == [] or status == OK


def test_zip_bomb_ratio_is_refused_per_member():
    bomb = make_zip({"nuller.txt": b"\0" * (10 * 1024 * 1024), "ok.txt": b"MitID"})
    members = {m.name: m.extraction for m in extract(bomb, "bombe.zip").members}
    assert members["nuller.txt"].status == ERROR
    assert "exceeds the limit of 100:1 (possible zip bomb)" in members["nuller.txt"].error
    assert members["ok.txt"].status == OK      # the rest of the archive is still read


def test_zip_header_understating_size_is_not_trusted():
    data = understate_size(make_zip({"a.txt": bytes(range(256)) * 400}))
    member = only_member(extract(data, "løgn.zip"))
    assert member.status == ERROR and "corrupt zip member" in member.error


def test_total_size_budget_is_shared_with_nested_archives():
    inner = make_zip({"a.txt": b"a" * 3000, "b.txt": b"b" * 3000}, zipfile.ZIP_STORED)
    outer = make_zip({"x.txt": b"x" * 3000, "inner.zip": inner}, zipfile.ZIP_STORED)
    result = extract(outer, "ydre.zip", Limits(zip_max_total_bytes=len(inner) + 4000))
    nested = {m.name: m.extraction for m in result.members}["inner.zip"]
    assert nested.status == ERROR and "more than the limit" in nested.error


def test_nested_zip_beyond_depth_limit():
    result = extract(nested_zip(5), "rusland.zip")            # default zip_max_depth = 3
    depth, extraction = 0, result
    while extraction.status == CONTAINER:
        extraction = extraction.members[0].extraction
        depth += 1
    assert depth == 4
    assert extraction.status == ERROR and extraction.error == "nested archive deeper than 3 levels"


def test_nesting_within_the_limit_is_read_to_the_bottom():
    extraction = extract(nested_zip(3), "ok.zip")
    while extraction.status == CONTAINER:
        extraction = extraction.members[0].extraction
    assert extraction.text == "NemLog-in"


def test_encrypted_zip_member_is_reported_not_skipped():
    data = set_encrypted_flag(make_zip({"hemmelig.txt": b"NemID"}))
    result = extract(data, "krypteret.zip")
    assert [m.name for m in result.members] == ["hemmelig.txt"]
    member = result.members[0]
    assert member.extraction.status == ERROR
    assert member.extraction.error == "encrypted zip member (password required)"
    assert member.size == 5


def test_very_long_lines_are_kept_whole():
    # One ~7 MB line; numbered so it does not compress like a zip bomb inside the DOCX.
    line = " ".join(f"NemID{i}" for i in range(700_000)).encode()
    assert len(extract(line, "lang.txt").text) == len(line)
    html = b"<html><body><p>" + line + b"</p></body></html>"
    assert extract(html, "lang.html").text == line.decode()
    docx_long = make_docx(lambda d: d.add_paragraph(line.decode()))
    assert len(extract(docx_long, "lang.docx").text) == len(line)


def test_mail_nested_beyond_the_depth_limit_keeps_its_text():
    data = b"Subject: bund\nFrom: a@b.dk\n\nNemLog-in i bunden"
    for level in range(6):
        msg = EmailMessage()
        msg["Subject"] = f"niveau {level}"
        msg["From"] = "a@b.dk"
        msg.set_content(f"Tekst på niveau {level}")
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=f"niveau{level}.eml")
        data = msg.as_bytes()
    extraction, depth = extract(data, "ydre.eml"), 0
    while extraction.members:
        extraction = extraction.members[0].extraction
        depth += 1
    assert depth == 4 and extraction.status == OK
    assert extraction.text.startswith("Subject: niveau 1")
    assert extraction.error == "attachments not read: nested archive deeper than 3 levels"


def test_mail_with_more_attachments_than_the_limit():
    msg = EmailMessage()
    msg["Subject"] = "mange"
    msg["From"] = "a@b.dk"
    msg.set_content("NemID")
    for i in range(6):
        msg.add_attachment(b"x", maintype="text", subtype="plain", filename=f"{i}.txt")
    result = extract(msg.as_bytes(), "mange.eml", Limits(zip_max_members=5))
    assert result.status == OK and "NemID" in result.text and result.members == []
    assert "e-mail has 6 attachments, more than the limit of 5" in result.error
