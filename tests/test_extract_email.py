"""E-mail (.eml with the standard library, .msg with extract-msg): text of its own plus attachments as members."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from extractors import Limits, extract
from extractors.base import CONTAINER, ERROR, OK
from tests.test_extract_docx import make_docx
from tests.test_extract_pdf import make_pdf
from tests.test_extract_zip import make_zip

FORMATS = Path(__file__).parent / "data" / "formats"


def make_mail(subject: str = "Kontrakt om Byg og Miljø", body: str = "Se vedhæftede bilag.",
              attachments: list[tuple[str, bytes, str]] = (), html: str | None = None) -> bytes:
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = "Leverandør A/S <salg@leverandoer.dk>"
    msg["To"] = "kontrakter@kommune.dk"
    msg["Date"] = format_datetime(datetime(2024, 3, 1, 10, 30, tzinfo=UTC))
    msg.set_content(body)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for filename, data, mime in attachments:
        maintype, subtype = mime.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def test_headers_body_and_attachments_as_members():
    pdf = make_pdf([["Borgerne logger ind med MitID via NemLog-in"]])
    data = make_mail(attachments=[("Bilag 3.pdf", pdf, "application/pdf"),
                                  ("Bilag 4.docx", make_docx(lambda d: d.add_paragraph("Medarbejdersignatur")),
                                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document")])
    result = extract(data, "mail.eml")
    assert result.status == OK and result.extractor == "eml"
    assert result.title == "Kontrakt om Byg og Miljø"
    lines = result.text.split("\n")
    assert lines[:4] == ["Subject: Kontrakt om Byg og Miljø", "From: Leverandør A/S <salg@leverandoer.dk>",
                         "To: kontrakter@kommune.dk", "Date: Fri, 01 Mar 2024 10:30:00 +0000"]
    assert "Se vedhæftede bilag." in lines
    members = {m.name: m for m in result.members}
    assert list(members) == ["Bilag 3.pdf", "Bilag 4.docx"]
    assert members["Bilag 3.pdf"].extraction.extractor == "pdf"
    assert "MitID via NemLog-in" in members["Bilag 3.pdf"].extraction.text
    assert members["Bilag 3.pdf"].size == len(pdf)
    assert members["Bilag 4.docx"].extraction.text == "Medarbejdersignatur"


def test_html_only_body_is_visible_text_with_markup_targets():
    msg = EmailMessage()
    msg["Subject"] = "Login"
    msg["From"] = "a@b.dk"
    msg.set_content("<html><body><p>Log ind <a href='https://nemlog-in.mitid.dk/'>her</a></p>"
                    "<script>skjult()</script></body></html>", subtype="html")
    result = extract(msg.as_bytes(), "besked.eml")
    assert "Log ind her" in result.text and "skjult" not in result.text
    assert "[markup] link: https://nemlog-in.mitid.dk/" in result.text


def test_plain_body_preferred_over_html_alternative():
    result = extract(make_mail(body="Tekst med NemID", html="<p>HTML-udgave</p>"), "a.eml")
    assert "Tekst med NemID" in result.text and "HTML-udgave" not in result.text
    assert result.members == []           # the alternative body is not an attachment


def test_nested_zip_and_attached_message_are_read_recursively():
    inner_mail = make_mail(subject="Videresendt aftale",
                           attachments=[("aftale.txt", b"Login med MitID Erhverv", "text/plain")])
    zipped = make_zip({"bilag/kontrakt.txt": b"NemLog-in integration"})
    outer = EmailMessage()
    outer["Subject"] = "Fwd: aftale"
    outer["From"] = "a@kommune.dk"
    outer.set_content("Se nedenfor")
    outer.add_attachment(zipped, maintype="application", subtype="zip", filename="bilag.zip")
    from email import message_from_bytes, policy

    outer.add_attachment(message_from_bytes(inner_mail, policy=policy.default))
    result = extract(outer.as_bytes(), "fwd.eml")
    members = {m.name: m.extraction for m in result.members}
    assert set(members) == {"bilag.zip", "Videresendt aftale.eml"}
    assert members["bilag.zip"].status == CONTAINER
    assert members["bilag.zip"].members[0].extraction.text == "NemLog-in integration"
    forwarded = members["Videresendt aftale.eml"]
    assert forwarded.status == OK and forwarded.extractor == "eml"
    assert forwarded.members[0].name == "aftale.txt"
    assert forwarded.members[0].extraction.text == "Login med MitID Erhverv"


def test_encoded_headers_and_attachment_names_are_decoded():
    data = (b"Subject: =?utf-8?q?Bilag_til_l=C3=B8sning?=\r\nFrom: a@b.dk\r\nTo: c@d.dk\r\n"
            b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n"
            b"--XX\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            b"L=F8sningen bruger NemID\r\n"
            b"--XX\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename*=utf-8''Bilag%20%C3%86.txt\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\nTWl0SUQ=\r\n--XX--\r\n")
    result = extract(data, "x.eml")
    assert result.title == "Bilag til løsning"
    assert "Løsningen bruger NemID" in result.text
    assert [(m.name, m.extraction.text) for m in result.members] == [("Bilag Æ.txt", "MitID")]


def test_attachments_with_the_same_name_are_both_kept():
    data = make_mail(attachments=[("Bilag.txt", b"en", "text/plain"), ("Bilag.txt", b"to", "text/plain")])
    result = extract(data, "dubletter.eml")
    assert [(m.name, m.extraction.text) for m in result.members] == [("Bilag.txt", "en"), ("Bilag (2).txt", "to")]


def test_attachments_obey_the_container_limits():
    data = make_mail(attachments=[(f"{i}.txt", b"x", "text/plain") for i in range(4)])
    result = extract(data, "mange.eml", Limits(zip_max_members=3))
    assert result.status == OK and "Se vedhæftede bilag." in result.text      # the mail's own text is kept
    assert result.members == []
    assert result.error == ("attachments not read: e-mail has 4 attachments, more than the limit of 3 "
                            "(possible zip bomb)")
    big = make_mail(attachments=[("stor.txt", b"a" * 5000, "text/plain"), ("lille.txt", b"b", "text/plain")])
    members = {m.name: m.extraction for m in extract(big, "stor.eml", Limits(zip_max_total_bytes=4000)).members}
    assert members["stor.txt"].status == ERROR and "total uncompressed size limit of 4000" in members["stor.txt"].error
    assert members["lille.txt"].text == "b"


def test_mail_without_suffix_is_recognised_by_its_headers():
    result = extract(make_mail(), "journaliseret_besked")
    assert result.extractor == "eml" and result.title == "Kontrakt om Byg og Miljø"


def test_eml_without_mail_headers_is_corrupt():
    assert extract(b"\x00\x01 binary", "x.eml").status == ERROR


def test_outlook_msg_with_pdf_and_embedded_message():
    result = extract((FORMATS / "attachment_msg_pdf.msg").read_bytes(), "besked.msg")
    assert result.status == OK and result.extractor == "msg", result.error
    assert result.text.startswith("Subject: test email\nFrom: Nick Booth <nick.booth@pof.com.au>")
    assert "Test email with 1 msg attachment, 1 pdf" in result.text
    members = {m.name: m.extraction for m in result.members}
    assert set(members) == {"Test Attachment.msg", "smbprn.00009008.KdcPjl.pdf"}
    assert members["smbprn.00009008.KdcPjl.pdf"].extractor == "pdf"
    assert members["smbprn.00009008.KdcPjl.pdf"].status == OK
    assert members["Test Attachment.msg"].extractor == "msg"
    assert members["Test Attachment.msg"].text.startswith("Subject: Test Attachment")


def test_corrupt_msg_is_an_error():
    data = (FORMATS / "attachment_msg_pdf.msg").read_bytes()[:4000]
    result = extract(data, "halv.msg")
    assert result.status == ERROR and result.error.startswith("corrupt")


def test_web_page_saved_as_mht_is_read():
    data = (b"From: <Saved by Windows Internet Explorer 8>\r\nSubject: Selvbetjening\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/related; boundary=\"B\"; type=\"text/html\"\r\n\r\n--B\r\n"
            b"Content-Type: text/html; charset=\"utf-8\"\r\nContent-Location: https://kommune.dk/\r\n\r\n"
            b"<html><body><p>Log ind med MitID</p><form action=\"https://nemlog-in.mitid.dk/\"></form>"
            b"</body></html>\r\n--B--\r\n")
    result = extract(data, "side.mht")
    assert result.extractor == "eml" and "Log ind med MitID" in result.text
    assert "[markup] form action: https://nemlog-in.mitid.dk/" in result.text


def test_attachment_names_are_labels_without_paths_or_control_characters():
    data = make_mail(attachments=[("C:\\Users\\jens\\Bilag\x00 5.txt", b"a", "text/plain"),
                                  ("\x01\x02", b"b", "text/plain")])
    assert [m.name for m in extract(data, "a.eml").members] == ["Bilag_ 5.txt", "vedhæftning 2"]


def test_attachments_nested_in_a_signed_mail_are_found():
    data = (b'Subject: signeret\r\nFrom: a@b.dk\r\nTo: c@d.dk\r\nMIME-Version: 1.0\r\nContent-Type: multipart/signed; '
            b'protocol="application/pkcs7-signature"; micalg=sha-256; boundary="S"\r\n\r\n'
            b'--S\r\nContent-Type: multipart/mixed; boundary="M"\r\n\r\n--M\r\nContent-Type: text/plain; charset=utf-8'
            b'\r\n\r\nKontrakten bruger MitID\r\n--M\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; '
            b'filename="bilag.txt"\r\n\r\nNemLog-in\r\n--M--\r\n'
            b'--S\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Disposition: attachment; '
            b'filename="smime.p7s"\r\nContent-Transfer-Encoding: base64\r\n\r\nMIIB\r\n--S--\r\n')
    result = extract(data, "signeret.eml")
    assert result.text.endswith("\n\nKontrakten bruger MitID")
    assert [(m.name, m.extraction.status) for m in result.members] == [("bilag.txt", OK), ("smime.p7s", "unsupported")]
    assert result.members[0].extraction.text == "NemLog-in"
