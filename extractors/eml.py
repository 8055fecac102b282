"""E-mail messages (.eml, RFC 5322; web pages saved as .mht): headers and body as text, attachments as members.

The standard library's `email` package with `policy.default` parses MIME, decodes encoded
headers (`=?utf-8?q?Bilag_3?=`) and transfer encodings and picks the body (`get_body`): plain
text, else HTML turned into visible text by extractors.html. Contracts reach municipalities as
attachments, so each attachment is a member named by its file name (`mail.eml!Bilag 3.pdf`) and
extracted under the same limits as zip members (extractors.container); an attached message
(message/rfc822) is a member `<subject>.eml` read the same way, recursively.

The page holds "Subject:", "From:", "To:", "Cc:", "Date:" lines, a blank line and the body.
"""

from __future__ import annotations

import mimetypes
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser

from extractors import extractor
from extractors.base import Extraction, ExtractorError, Limits, Page, RawMember
from extractors.container import attachment_name
from extractors.html import read_html

HEADERS = ("Subject", "From", "To", "Cc", "Date")


def _header(msg: Message, key: str) -> str:
    try:
        value = str(msg.get(key) or "")
    except Exception:                      # a malformed header the policy cannot parse
        try:
            value = str(msg.get_all(key, failobj=[""])[0])
        except Exception:
            value = ""
    return " ".join(value.split())


def _body(msg: EmailMessage, part: Message | None) -> str:
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):   # unknown charset, broken encoding
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    if not isinstance(content, str):
        return ""
    if part.get_content_type() == "text/html":
        text, _title, markup = read_html(content)
        return text + ("\n\n" + "\n".join(markup) if markup else "")
    return content.replace("\r\n", "\n")


def _attachments(msg: Message, body: Message | None):
    """Every part that is not the body: files wherever they sit in the MIME tree (a signed or
    forwarded mail nests them in multiparts), attached messages whole. The text or HTML
    alternatives of the body without a file name are the body again, not attachments."""
    for part in msg.iter_parts():
        if part is body:
            continue
        if part.get_content_type() == "message/rfc822":
            yield part
        elif part.is_multipart():
            yield from _attachments(part, body)
        elif (part.get_content_type() in ("text/plain", "text/html") and not part.get_filename()
              and part.get_content_disposition() != "attachment"):
            continue
        else:
            yield part


def _attachment_name(part: Message, number: int) -> str:
    try:
        filename = part.get_filename()
    except Exception:
        filename = None
    if filename:
        return attachment_name(" ".join(filename.split()), f"vedhæftning {number}")
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        subject = _header(inner[0], "Subject") if isinstance(inner, list) and inner else ""
        return attachment_name(f"{(subject or f'besked {number}').replace('/', '-')}.eml", f"besked {number}.eml")
    extension = mimetypes.guess_extension(part.get_content_type()) or ".bin"
    return f"vedhæftning {number}{extension}"


def _attachment_bytes(part: Message) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner:
            return inner[0].as_bytes(policy=policy.default.clone(linesep="\r\n"))
        return b""
    payload = part.get_payload(decode=True)
    if payload is None:
        raise ExtractorError("attachment has no readable content")
    return payload


def _raw(part: Message, number: int) -> RawMember:
    name = _attachment_name(part, number)

    def read(cap: int) -> bytes:
        try:
            data = _attachment_bytes(part)
        except ExtractorError:
            raise
        except Exception as exc:           # broken base64/quoted-printable, a malformed inner message
            raise ExtractorError(f"corrupt attachment: {type(exc).__name__}: {exc}") from exc
        if len(data) > cap:
            raise ExtractorError(f"uncompressed size {len(data)} bytes is over the limit of {cap} bytes")
        return data

    return RawMember(name, 0, read=read)


@extractor("eml", formats=("eml",))
def extract_eml(data: bytes, name: str, limits: Limits) -> Extraction:
    try:
        msg = BytesParser(policy=policy.default).parsebytes(data)
    except Exception as exc:               # the parser is lenient; this is a last resort
        raise ExtractorError(f"corrupt e-mail: {type(exc).__name__}: {exc}") from exc
    lines = [f"{key}: {value}" for key in HEADERS if (value := _header(msg, key))]
    try:
        body_part = msg.get_body(preferencelist=("plain", "html"))
        body = _body(msg, body_part)
        attachments = list(_attachments(msg, body_part)) if msg.is_multipart() else []
    except ExtractorError:
        raise
    except Exception as exc:               # a multipart without parts, a broken boundary
        raise ExtractorError(f"corrupt e-mail: {type(exc).__name__}: {exc}") from exc
    if not msg.keys() or (not lines and not body.strip() and not attachments):
        raise ExtractorError("corrupt e-mail: no mail headers (Subject, From, To, Date, MIME-Version …)")
    text = "\n".join(lines) + "\n\n" + body.strip("\n") if lines else body.strip("\n")
    raw = [_raw(part, number) for number, part in enumerate(attachments, start=1)]
    return Extraction(pages=[Page(1, text)], title=_header(msg, "Subject") or None, raw_members=raw)
