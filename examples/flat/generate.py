"""Generate a flat folder of Korsbæk Kommune's scanned and e-mailed contracts.

    python examples/flat/generate.py --out DIR    # writes the folder to DIR (emptied first)
    python examples/flat/generate.py --expected   # rewrites examples/flat/expected.json

Many municipalities have no contract archive at all: someone scanned the paper contracts into one
folder ("Scan_20190312_0001.tif") and saved the ones that came by e-mail as .eml files with the
contract attached. Nothing in the file names says which system a document is about; the scans have
no text layer (only OCR reads them) and the login evidence of an e-mailed contract is in its PDF or
DOCX attachment, recorded as `mail.eml!attachment.pdf`. An amendment arrives by e-mail years after
the scanned contract it changes.

Output is byte-for-byte reproducible: the PDF/DOCX writers of examples/generate.py are reused, the
TIFF is written by Pillow without timestamps, and every e-mail has a fixed date, Message-ID and
MIME boundary.
"""

from __future__ import annotations

import importlib.util
import io
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED_FILE = HERE / "expected.json"


def _base():
    """examples/generate.py, for its deterministic PDF/DOCX writers."""
    name = "tuscan_example_base_generate"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE.parent / "generate.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up in sys.modules
        spec.loader.exec_module(module)
    return sys.modules[name]


base = _base()
Docx = base.Docx


@dataclass(frozen=True)
class Doc:
    path: str                 # file name in the folder, or "mail.eml!attachment" for an attachment
    kind: str                 # tiff, image_pdf, pdf, docx, eml
    content: object
    tu_evidence: bool = False
    system: str | None = None
    note: str = ""
    status: str = "ok"
    optional_system: str | None = None
    ocr: bool = False


@dataclass(frozen=True)
class System:
    name: str
    category: str
    vendor: str | None = None
    matched_list: str | None = None
    matched_name: str | None = None
    optional: bool = False
    note: str = ""


# Scanned pages: one tuple of lines per page (the first line is drawn larger, like a heading).
TABULEX_SCAN = (
    ("KONTRAKT", "om levering af Tabulex Børn", "", "mellem Korsbæk Kommune, Torvet 1, 4190 Korsbæk",
     "og Tabulex ApS, Rugårdsvej 55, 5000 Odense C", "", "1. Kontraktens genstand",
     "Leverandøren leverer Tabulex Børn til kommunens", "dagtilbud og skolefritidsordninger."),
    ("2. Adgang for forældre", "Forældre logger ind med MitID og ser", "deres barns dag, fravær og beskeder.",
     "Medarbejdere logger ind med UNI-login.", "", "Korsbæk, den 12. marts 2019"),
)
HAVNEBOOKING_SCAN = (
    "KONTRAKT", "vedrørende Korsbæk Havnebooking", "", "mellem Korsbæk Kommune",
    "og Bådplads Systemer ApS, Havnevej 2, 4190 Korsbæk", "",
    "Bådejere logger ind med MitID via NemLog-in", "og booker gæstepladser i Korsbæk Havn.",
    "Løsningen behandler navn, adresse og bådens navn.", "", "Korsbæk, den 12. marts 2019",
)
CLEANING_SCAN = (
    "RENGØRINGSAFTALE", "Aftale om rengøring af Korsbæk Bibliotek", "mellem Korsbæk Kommune og Glans Facility ApS",
    "", "Betaling sker til leverandørens NemKonto.", "", "Underskrevet med NemID via Penneo",
    "Lone Holm, Korsbæk Kommune",
)

BORGERBOOKING_CONTRACT = """Kontrakt vedrørende Borgerbooking

mellem Korsbæk Kommune og Frontdesk ApS, Åboulevarden 22, 8000 Aarhus C

1. Ydelsen
Leverandøren leverer Borgerbooking til Borgerservice og Jobcenter Korsbæk.

2. Brugere
Borgere booker tid til pas, kørekort og samtaler. Borgere, der vil se eller flytte deres tider,
logger ind med MitID via NemLog-in.
"""

HAVNE_ADDENDUM = """Tillæg nr. 2 til kontrakt om Korsbæk Havnebooking

Parter: Korsbæk Kommune og Bådplads Systemer ApS

Med dette tillæg udvides løsningen med et administrationsmodul. Havnefogeden og havnens
medarbejdere logger på administrationsmodulet med MitID Erhverv.

Korsbæk, den 4. oktober 2022
"""

PAYROLL_CONTRACT = Docx((
    ("h", "Kontrakt om levering af LønPlus"),
    ("p", "mellem Korsbæk Kommune og Lønservice Nord A/S, Søndergade 40, 9000 Aalborg"),
    ("p", "LønPlus er kommunens løn- og personalesystem. Lønkonsulenterne logger på med Windows-login "
          "(single sign-on)."),
    ("p", "Løn udbetales til medarbejdernes NemKonto."),
))

VIRK_TERMS = """Vilkår for myndigheders anvendelse af Virk.dk

Erhvervsstyrelsen, Langelinie Allé 17, 2100 København Ø
Korsbæk Kommune

Virk.dk er den fællesoffentlige indgang for virksomheder. Kommunens medarbejdere logger på Virk.dk
med MitID Erhverv for at indberette og for at administrere kommunens egne blanketter.
"""


def _email(subject: str, sender: str, body: str, attachment: str, data: bytes, maintype: str, subtype: str,
           number: int) -> bytes:
    msg = EmailMessage(policy=SMTP)
    msg["From"] = sender
    msg["To"] = "kontrakter@korsbaek.dk"
    msg["Subject"] = subject
    msg["Date"] = f"Tue, 0{number} Mar 2022 09:1{number}:00 +0100"
    msg["Message-ID"] = f"<korsbaek-flat-{number}@korsbaek.dk>"
    msg.set_content(body)
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=attachment)
    msg.set_boundary(f"==korsbaek-flat-{number}==")
    return msg.as_bytes()


def _font(name: str, size: int):
    """Bitstream Vera, bundled with reportlab: it has æ, ø and å (Pillow's default font does not), so
    OCR reads "Børn" rather than "BXrn", and it is the same file on every machine."""
    import reportlab
    from PIL import ImageFont

    return ImageFont.truetype(str(Path(reportlab.__file__).parent / "fonts" / name), size)


def _scan_page(lines: tuple[str, ...]):
    from PIL import Image, ImageDraw

    image = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi
    draw = ImageDraw.Draw(image)
    heading, body = _font("VeraBd.ttf", 44), _font("Vera.ttf", 32)
    y = 180
    for index, line in enumerate(lines):
        draw.text((120, y), line, fill=0, font=heading if index == 0 else body)
        y += 110 if index == 0 else 60
    return image


def tiff_bytes(pages: tuple[tuple[str, ...], ...]) -> bytes:
    images = [_scan_page(lines) for lines in pages]
    buf = io.BytesIO()
    images[0].save(buf, format="TIFF", save_all=True, append_images=images[1:], compression="tiff_deflate",
                   dpi=(150, 150))
    return buf.getvalue()


MAIL_BOOKING = "VS Underskrevet kontrakt.eml"
MAIL_ADDENDUM = "Fw Tillæg til aftale.eml"
MAIL_PAYROLL = "Kontrakt lønsystem.eml"
HAVNE, PAYROLL = "Korsbæk Havnebooking", "LønPlus"

DOCUMENTS: tuple[Doc, ...] = (
    Doc("Scan_20190312_0001.tif", "tiff", TABULEX_SCAN, True, "Tabulex Børn",
        "Two-page TIFF scan, text only by OCR; parents log in with MitID.", ocr=True),
    Doc("Scan_20190312_0002.pdf", "image_pdf", HAVNEBOOKING_SCAN, True, HAVNE,
        "Image-only PDF; own solution, MitID via NemLog-in.", ocr=True),
    Doc("Scan_20200511_0001.pdf", "image_pdf", CLEANING_SCAN, False, None,
        "Scanned cleaning contract: NemKonto and a Penneo signature line.", ocr=True),
    Doc(MAIL_BOOKING, "eml", ("VS: Underskrevet kontrakt", "Peter Dahl <pd@frontdesk.dk>",
                              "Hej Lone\n\nHermed den underskrevne kontrakt.\n\nVenlig hilsen\nPeter Dahl\n",
                              "Kontrakt.pdf", "pdf", BORGERBOOKING_CONTRACT, 1),
        status="container", note="E-mail: the body says nothing; the contract is the attachment."),
    Doc(f"{MAIL_BOOKING}!Kontrakt.pdf", "member", None, True, "Borgerbooking",
        "Attached contract; shared solution on KL's list."),
    Doc(MAIL_ADDENDUM, "eml", ("Fw: Tillæg til aftale", "Havnekontoret <havn@korsbaek.dk>",
                               "Til orientering - tillægget er underskrevet.\n\n/Havnekontoret\n",
                               "Tillæg nr. 2.pdf", "pdf", HAVNE_ADDENDUM, 2),
        status="container", note="E-mail forwarding an amendment."),
    Doc(f"{MAIL_ADDENDUM}!Tillæg nr. 2.pdf", "member", None, True, HAVNE,
        "Amendment of the scanned Havnebooking contract, three years later, by e-mail; MitID Erhverv."),
    Doc(MAIL_PAYROLL, "eml", ("Kontrakt lønsystem", "Lønservice Nord <salg@lonservice.dk>",
                              "Kære Korsbæk Kommune\n\nVedhæftet kontrakten til underskrift.\n",
                              "Kontrakt LønPlus.docx", "docx", PAYROLL_CONTRACT, 3),
        status="container", note="E-mail with a DOCX contract."),
    Doc(f"{MAIL_PAYROLL}!Kontrakt LønPlus.docx", "member", None, False, None,
        "Payroll system with Windows login; NemKonto is a trap.", optional_system=PAYROLL),
    Doc("20210405_kontrakt_final.pdf", "pdf", VIRK_TERMS, True, "Virk.dk",
        "Common public; owner Erhvervsstyrelsen; MitID Erhverv."),
)

SYSTEMS: tuple[System, ...] = (
    System("Tabulex Børn", "shared", "Tabulex ApS", "kl_shared_tu", "Tabulex",
           note="Named 'Tabulex Børn' in the scan."),
    System(HAVNE, "own", "Bådplads Systemer ApS", note="Scanned contract plus an e-mailed amendment."),
    System("Borgerbooking", "shared", "Frontdesk ApS", "kl_shared_tu", "Borgerbooking"),
    System("Virk.dk", "common_public", None, "kl_common_public", "Virk.dk"),
    System(PAYROLL, "not_tu", None, optional=True, note="Windows login; NemKonto trap."),
)


def _kind_bytes(kind: str, content, title: str) -> tuple[bytes, str, str]:
    if kind == "pdf":
        return base.pdf_bytes(content, title), "application", "pdf"
    if kind == "docx":
        return (base.docx_bytes(content, title), "application",
                "vnd.openxmlformats-officedocument.wordprocessingml.document")
    raise ValueError(f"unknown attachment kind {kind!r}")


def image_pdf_bytes(lines: tuple[str, ...], title: str) -> bytes:
    """A scanned page in a PDF: the text exists only as pixels."""
    from reportlab.lib.utils import ImageReader

    buf = io.BytesIO()
    c, (width, height) = base._new_canvas(buf, title)
    c.drawImage(ImageReader(_scan_page(lines)), 0, 0, width=width, height=height)
    c.showPage()
    c.save()
    return buf.getvalue()


def file_bytes(doc: Doc) -> bytes:
    title = Path(doc.path).stem
    if doc.kind == "tiff":
        return tiff_bytes(doc.content)
    if doc.kind == "image_pdf":
        return image_pdf_bytes(doc.content, title)
    if doc.kind == "pdf":
        return base.pdf_bytes(doc.content, title)
    if doc.kind == "eml":
        subject, sender, body, attachment, kind, content, number = doc.content
        data, maintype, subtype = _kind_bytes(kind, content, Path(attachment).stem)
        return _email(subject, sender, body, attachment, data, maintype, subtype, number)
    raise ValueError(f"unknown kind {doc.kind!r}")


def generate(out: Path) -> list[Path]:
    """Write the folder to `out` (emptied first); return the files written. Attachments are written
    inside their e-mails, not as files of their own."""
    return base.write_documents(out, DOCUMENTS, lambda doc, _built: None if doc.kind == "member" else file_bytes(doc))


def build_expected() -> dict:
    documents = []
    for d in DOCUMENTS:
        entry = {"path": d.path, "status": d.status, "tu_evidence": d.tu_evidence, "system": d.system,
                 "note": d.note}
        if d.optional_system:
            entry["optional_system"] = d.optional_system
        if d.ocr:
            entry["ocr"] = True
            entry["without_ocr"] = {"status": "no_text", "tu_evidence": False, "system": None}
        documents.append(entry)
    return {
        "about": "Expected findings for the flat folder written by examples/flat/generate.py. Paths are "
                 "file names in the folder given by --out; an e-mail attachment is 'mail.eml!attachment' "
                 "and the e-mail itself has status 'container' (its body holds no evidence). A system is "
                 "found in the inventory by its name (compared normalised) or by its matched list name. "
                 "An 'optional' system is not a TU-solution: it may be absent, and if listed it must be "
                 "not_tu. An 'ocr' document is read only by OCR ('without_ocr': without tesseract).",
        "documents": documents,
        "systems": [{"system": s.name, "category": s.category, "vendor": s.vendor,
                     "matched_list": s.matched_list, "matched_name": s.matched_name,
                     "optional": s.optional, "note": s.note} for s in SYSTEMS],
    }


def main(argv: list[str] | None = None) -> int:
    return base.expected_cli(__doc__, "folder", generate, build_expected, EXPECTED_FILE, argv)


if __name__ == "__main__":
    raise SystemExit(main())
