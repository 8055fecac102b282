"""Outlook messages (.msg): headers and body as text, attachments as members, with extract-msg.

extract-msg is the maintained Python reader for the Outlook OLE2 message format (built on
olefile): it decodes the property streams, the sender and recipients, the date, the plain,
HTML or RTF-encapsulated body and every attachment, embedded messages included. Measured on
Apache POI's and textract's sample messages it returns subject, sender, recipients, body and
attachments (a PDF and an embedded message). Attachments are members named by their file name
(`besked.msg!Bilag 3.pdf`) and extracted under the same limits as zip members; an embedded
message becomes a member `<subject>.msg`, read the same way.
"""

from __future__ import annotations

import logging

from extractors import extractor
from extractors.base import Encrypted, Extraction, ExtractorError, Limits, Page, RawMember, require
from extractors.container import attachment_name
from extractors.html import read_html

WHAT = "Outlook message (.msg)"
logging.getLogger("extract_msg").setLevel(logging.CRITICAL)   # it logs every odd property


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return " ".join(str(value).split())


def _body(msg) -> str:
    try:
        body = msg.body
    except Exception:                      # a body stream in an unexpected encoding
        body = None
    if body and body.strip():
        return body.replace("\r\n", "\n")
    try:
        html = msg.htmlBody
    except Exception:
        html = None
    if html:
        text, _title, markup = read_html(html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html)
        return text + ("\n\n" + "\n".join(markup) if markup else "")
    return ""


def _raw(attachment, number: int) -> RawMember:
    data = getattr(attachment, "data", None)
    embedded = data is not None and not isinstance(data, bytes | bytearray)
    name = ""
    for attr in ("longFilename", "shortFilename", "displayName", "name"):
        try:
            name = _text(getattr(attachment, attr, None))
        except Exception:
            name = ""
        if name:
            break
    if embedded:
        subject = _text(getattr(data, "subject", None)) or f"besked {number}"
        name = f"{subject.replace('/', '-')}.msg" if not name.lower().endswith(".msg") else name
    name = attachment_name(name, f"vedhæftning {number}")

    def read(cap: int) -> bytes:
        if data is None:
            raise ExtractorError("attachment has no content (a link or an unsupported attachment type)")
        try:
            content = data.exportBytes() if embedded else bytes(data)
        except Exception as exc:
            raise ExtractorError(f"corrupt attachment: {type(exc).__name__}: {exc}") from exc
        if len(content) > cap:
            raise ExtractorError(f"uncompressed size {len(content)} bytes is over the limit of {cap} bytes")
        return content

    return RawMember(name, 0, read=read)


@extractor("msg", formats=("msg",))
def extract_msg_file(data: bytes, name: str, limits: Limits) -> Extraction:
    extract_msg = require("extract_msg", WHAT, "extract-msg")
    if len(data) < 1536:                   # smaller than any compound file; extract-msg would take it for a path
        raise ExtractorError(f"corrupt {WHAT}: too short for an OLE2 compound file ({len(data)} bytes)")
    try:
        msg = extract_msg.openMsg(data, delayAttachments=False, errorBehavior=extract_msg.enums.ErrorBehavior.SUPPRESS_ALL)
    except Exception as exc:               # extract-msg raises its own errors, OSError, struct.error …
        reason = str(exc)
        if "encrypt" in reason.lower():
            raise Encrypted(f"encrypted {WHAT}") from exc
        raise ExtractorError(f"corrupt {WHAT}: {type(exc).__name__}: {reason}") from exc
    try:
        fields = [("Subject", getattr(msg, "subject", None)), ("From", getattr(msg, "sender", None)),
                  ("To", getattr(msg, "to", None)), ("Cc", getattr(msg, "cc", None)),
                  ("Date", getattr(msg, "date", None))]
        lines = [f"{key}: {_text(value)}" for key, value in fields if _text(value)]
        text = "\n".join(lines) + "\n\n" + _body(msg).strip("\n")
        attachments = list(getattr(msg, "attachments", []) or [])
        raw = [_raw(att, number) for number, att in enumerate(attachments, start=1)]
        # Read the attachments now: the message is closed when this function returns.
        raw = [_preload(member) for member in raw]
        title = _text(getattr(msg, "subject", None)) or None
    finally:
        try:
            msg.close()
        except Exception:
            pass
    return Extraction(pages=[Page(1, text.strip())], title=title, raw_members=raw)


def _preload(member: RawMember) -> RawMember:
    """Read the bytes while the message is open (no cap yet: the file itself was under the size limit)."""
    try:
        content = member.read(1 << 62)
    except ExtractorError as exc:
        return RawMember(member.name, 0, reason=str(exc))
    return RawMember(member.name, len(content), read=lambda cap: content)
