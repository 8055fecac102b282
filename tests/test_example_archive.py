"""Tests of the example archive generator (examples/generate.py) and its expected.json.

They read the generated files back with pypdf and python-docx (not with tuscan's own extractors), so
they check the archive itself: every file is there, the file problems are real, and every keyword,
spelling variant and trap sits where expected.json says.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import re
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from pypdf.errors import PdfReadError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXPECTED = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))
DOCS = {d["path"]: d for d in EXPECTED["documents"]}

# Surface forms per canonical keyword, matched against lower-cased text with hyphenation joined and
# whitespace collapsed. Deliberately independent of extractors/keywords.py.
KEYWORD_FORMS = {
    "nemid": r"(?<!\w)nem[ -]?id",
    "mitid": r"(?<!\w)mitid",
    "mitid erhverv": r"(?<!\w)mitid erhverv",
    "nemlog-in": r"(?<!\w)nem ?log-?in",
    "medarbejdersignatur": r"(?<!\w)medarbejdersignatur",
    "erhvervssignatur": r"(?<!\w)erhvervssignatur",
    "tjenesteudbyder": r"(?<!\w)tjenesteudbyder",
    "tu-løsning": r"(?<!\w)tu-løsning",
    "oces": r"(?<!\w)oces",
    "digital signatur": r"(?<!\w)digital signatur",
    "signering": r"(?<!\w)signering",
    "pid": r"(?<!\w)pid(?!\w)",
    "rid": r"(?<!\w)rid(?!\w)",
    "helbredsoplysninger": r"(?<!\w)helbredsoplysninger",
    "følsomme personoplysninger": r"(?<!\w)følsomme personoplysninger",
    "cpr-nummer": r"(?<!\w)cpr-nummer",
    "sociale forhold": r"(?<!\w)sociale forhold",
}
LOGIN_TERMS = ("nemid", "mitid", "nemlog-in", "medarbejdersignatur", "erhvervssignatur")
# Text that looks like a login term but is not one (traps).
TRAP_PHRASES = (r"underskrevet med nemid via penneo", r"serienummer: pid:[\d-]+")


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("example_generate", EXAMPLES / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up in sys.modules
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def archive(generator, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("korsbaek") / "archive"
    generator.main(["--out", str(out)])
    return out


def read_bytes(root: Path, path: str) -> bytes:
    if "!" in path:
        container, member = path.split("!", 1)
        with zipfile.ZipFile(root / container) as archive:
            return archive.read(member)
    return (root / path).read_bytes()


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def raw_text(path: str, data: bytes) -> str:
    suffix = Path(path).suffix.lower()
    if suffix == ".pdf":
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    if suffix == ".docx":
        return docx_text(data)
    if suffix == ".txt":
        return data.decode("utf-8")
    raise AssertionError(f"no reader for {path}")


def normalise(text: str) -> str:
    joined = re.sub(r"-[ \t]*\n[ \t]*", "", text)  # "Nem-⏎ID" → "NemID"
    return " ".join(joined.lower().split())


def test_generator_writes_every_listed_file_and_nothing_else(archive):
    written = {p.relative_to(archive).as_posix() for p in archive.rglob("*") if p.is_file()}
    listed = {path.split("!", 1)[0] for path in DOCS}
    assert written == listed
    assert len(DOCS) >= 30
    assert sum((archive / p).stat().st_size for p in written) < 1_000_000


def test_generator_output_is_reproducible_and_matches_the_committed_archive(generator, archive, tmp_path):
    def digests(root: Path) -> dict[str, str]:
        return {
            p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*")
            if p.is_file()
        }

    generator.generate(tmp_path / "again")
    assert digests(tmp_path / "again") == digests(archive)
    assert digests(EXAMPLES / "archive") == digests(archive), "run `python examples/generate.py`"


def test_expected_json_is_what_the_generator_declares(generator):
    assert EXPECTED == generator.build_expected()


def test_every_expected_path_exists_in_the_committed_archive():
    for path in DOCS:
        read_bytes(EXAMPLES / "archive", path)  # raises when a file or zip member is missing


def test_expected_systems_are_consistent():
    systems = {s["system"]: s for s in EXPECTED["systems"]}
    assert 10 <= len(systems) <= 12
    assert {s["category"] for s in systems.values()} == {"own", "shared", "common_public", "not_tu"}
    for doc in EXPECTED["documents"]:
        assert doc["system"] is None or doc["system"] in systems, doc["path"]
        assert doc["status"] in {"ok", "error", "unsupported", "no_text", "container"}
    # most systems have several documents: grouping documents into systems is part of the test
    counts = {name: sum(d["system"] == name for d in EXPECTED["documents"]) for name in systems}
    assert all(n >= 1 for n in counts.values()), counts
    assert sum(n >= 2 for n in counts.values()) >= 8, counts
    own = [s for s in systems.values() if s["category"] == "own"]
    assert {"signing", "pid_rid"} <= {f for s in own for f in s["flags"]}
    assert {s["suggested_level"] for s in own} == {"Lav", "Betydelig"}
    for s in systems.values():
        assert (s["matched_list"] is None) == (s["category"] in {"own", "not_tu"}), s["system"]


def test_file_problems_are_real(archive):
    assert (archive / "KOMBIT/Aula/Bilag 4 Servicemål.pdf").read_bytes() == b""
    assert (archive / "Fenix Systemer/Fenix Økonomi/Kontrakt Fenix 2009.doc").read_bytes()[:8] == bytes.fromhex(
        "D0CF11E0A1B11AE1"
    )
    corrupt = (archive / "Tabulex ApS/Tabulex/Tillæg 2 Tabulex.pdf").read_bytes()
    assert corrupt.startswith(b"%PDF") and b"%%EOF" not in corrupt
    with pytest.raises((PdfReadError, ValueError, KeyError)):
        _ = PdfReader(io.BytesIO(corrupt)).pages[0].extract_text()
    encrypted = PdfReader(archive / "Omsorgsdata/Korsbæk Støttekontakt/Prisbilag (beskyttet).pdf")
    assert encrypted.is_encrypted
    assert encrypted.decrypt("").value == 0  # no empty user password: cannot be opened without it
    assert encrypted.decrypt("korsbaek-2023").value != 0
    assert "helbredsoplysninger" in "".join(page.extract_text() for page in encrypted.pages)
    original = (archive / "KOMBIT/Aula/Databehandleraftale Aula.pdf").read_bytes()
    assert (archive / "Databehandleraftaler/Databehandleraftale Aula.pdf").read_bytes() == original
    with zipfile.ZipFile(archive / "EG/NetForvaltning Sundhed/Tillæg 2023.zip") as z:
        assert sorted(z.namelist()) == ["Bilag A - Servicebeskrivelse.docx", "Tillæg 1 - MitID.pdf"]


def test_scanned_pdf_has_an_image_and_no_text_layer(archive):
    reader = PdfReader(archive / "Erhvervsstyrelsen/Virk.dk/Aftale om medarbejdersignatur (scannet).pdf")
    assert len(reader.pages) == 1
    assert (reader.pages[0].extract_text() or "").strip() == ""
    assert len(reader.pages[0].images) == 1


def test_multi_page_pdfs():
    pages = PdfReader(EXAMPLES / "archive/Omsorgsdata/Korsbæk Støttekontakt/Aftale Korsbæk Støttekontakt.pdf").pages
    assert len(pages) == 3


@pytest.mark.parametrize(
    "path",
    [p for p, d in DOCS.items() if d["status"] == "ok" and not d.get("ocr")],
)
def test_declared_keywords_appear_in_the_document(archive, path):
    text = normalise(raw_text(path, read_bytes(archive, path)))
    for keyword in DOCS[path]["keywords"]:
        assert re.search(KEYWORD_FORMS[keyword], text), f"{keyword!r} not in {path}"
    has_login = any(re.search(KEYWORD_FORMS[k], _without_traps(text)) for k in LOGIN_TERMS)
    assert has_login == DOCS[path]["tu_evidence"], path


def _without_traps(text: str) -> str:
    for phrase in TRAP_PHRASES:
        text = re.sub(phrase, " ", text)
    return text


# (document, text as written) — every spelling variant and trap somewhere on purpose.
PLACED = [
    ("Formularfabrikken/Korsbæk Selvbetjening/Kontrakt Korsbæk Selvbetjening.pdf", "Nem-\nID"),
    ("Nordlys Software/Korsbæk Kolonihaver/Ændringsbilag MitID.txt", "Nem-\nID"),
    ("Sundhedsdatastyrelsen/FMK/Tilslutningsaftale FMK.pdf", "medarbejder-\nsignatur"),
    ("Bytorvet IT/Korsbæk Torvehandel/Bilag 2 Integrationsbeskrivelse.txt", "medarbejder-\nsignatur"),
    ("EG/NetForvaltning Sundhed/Aftale NetForvaltning - Sundhed.pdf", "NemID"),
    ("Nordlys Software/Korsbæk Kolonihaver/Aftale Korsbæk Kolonihaver.pdf", "Nem ID"),
    ("KOMBIT/Aula/Kontrakt Aula.pdf", "Nem ID"),
    ("Nordlys Software/Korsbæk Kolonihaver/Ændringsbilag MitID.txt", "NEMID"),
    ("Sundhedsdatastyrelsen/FMK/Brugeradministration FMK.txt", "NEMID"),
    ("Omsorgsdata/Korsbæk Støttekontakt/Aftale Korsbæk Støttekontakt.pdf", "MitID"),
    ("Erhvervsstyrelsen/Virk.dk/Vilkår for Virk.dk.pdf", "MitID Erhverv"),
    ("Formularfabrikken/Korsbæk Selvbetjening/Kontrakt Korsbæk Selvbetjening.pdf", "NemLog-in"),
    ("KOMBIT/Aula/Kontrakt Aula.pdf", "Nemlogin"),
    ("Nordlys Software/Korsbæk Kolonihaver/Ændringsbilag MitID.txt", "Nemlogin"),
    ("Formularfabrikken/Korsbæk Selvbetjening/Kontrakt Korsbæk Selvbetjening.pdf", "NemLog-in3"),
    ("EG/NetForvaltning Sundhed/Tillæg 2023.zip!Tillæg 1 - MitID.pdf", "NemLog-in3"),
    ("Sundhedsdatastyrelsen/FMK/Brugeradministration FMK.txt", "medarbejdersignatur"),
    ("Sundhedsdatastyrelsen/FMK/Tilslutningsaftale FMK.pdf", "medarbejdersignaturen"),
    ("Nordlys Software/Korsbæk Kolonihaver/Ændringsbilag MitID.txt", "NemID-løsningen"),
    ("Nordlys Software/Korsbæk Kolonihaver/Aftale Korsbæk Kolonihaver.pdf", "MitID-login"),
    ("EG/NetForvaltning Sundhed/Tillæg 2023.zip!Bilag A - Servicebeskrivelse.docx", "MitID-login"),
    ("Formularfabrikken/Korsbæk Selvbetjening/Kontrakt Korsbæk Selvbetjening.pdf", "tjenesteudbyderaftale"),
    ("Bytorvet IT/Korsbæk Torvehandel/Kontrakt Korsbæk Torvehandel.docx", "TU-løsning"),
    ("Nordlys Software/Korsbæk Kolonihaver/Aftale Korsbæk Kolonihaver.pdf", "OCES-signatur"),
    ("Nordlys Software/Korsbæk Kolonihaver/Aftale Korsbæk Kolonihaver.pdf", "digital signatur"),
    ("Bytorvet IT/Korsbæk Torvehandel/Kontrakt Korsbæk Torvehandel.docx", "RID-nummer"),
    ("Omsorgsdata/Korsbæk Støttekontakt/Aftale Korsbæk Støttekontakt.pdf", "helbredsoplysninger"),
    ("Omsorgsdata/Korsbæk Støttekontakt/Databehandleraftale Korsbæk Støttekontakt.pdf", "010203-1234"),
    # traps
    ("Fenix Systemer/Fenix Økonomi/Kontrakt Fenix Økonomi.pdf", "NemKonto"),
    ("Fenix Systemer/Fenix Økonomi/Kontrakt Fenix Økonomi.pdf", "NemHandel"),
    ("Bilagsservice/Bilagsservice Fakturascanning/Aftale Fakturascanning.txt", "NemKonto"),
    ("Bilagsservice/Bilagsservice Fakturascanning/Aftale Fakturascanning.txt", "NemHandel"),
    ("Fenix Systemer/Fenix Økonomi/Kontrakt Fenix Økonomi.pdf", "Underskrevet med NemID via Penneo"),
    ("Korsbæk Rengøring/Rengøringsaftale Rådhuset.pdf", "Underskrevet med NemID via Penneo"),
    ("Korsbæk Rengøring/Rengøringsaftale Rådhuset.pdf", "medarbejderens signatur"),
    ("Tidspunkt/Tidspunkt Tidsregistrering/Kontrakt Tidspunkt.docx", "medarbejderens signatur"),
    ("Diverse/Oplysningspligt - behandling af personoplysninger.txt", "borger.dk"),
    ("Fenix Systemer/Fenix Økonomi/Kontrakt Fenix Økonomi.pdf", "Windows-login"),
]


@pytest.mark.parametrize(("path", "written"), PLACED)
def test_variant_or_trap_is_written_as_placed(archive, path, written):
    assert path in DOCS
    text = raw_text(path, read_bytes(archive, path))
    if "\n" not in written:  # a phrase may wrap at a space; hyphenation splits are checked exactly
        text = " ".join(text.split())
    assert written in text


def test_docx_keywords_sit_in_headers_footers_tables_and_split_runs(archive):
    tabulex = docx.Document(archive / "Tabulex ApS/Tabulex/Kontrakt Tabulex.docx")
    assert "NemID" in tabulex.sections[0].footer.paragraphs[0].text
    assert "NemID" not in "".join(p.text for p in tabulex.paragraphs)  # body has only the split "Nem"+"-ID"
    assert any([r.text for r in p.runs][1:3] == ["Nem", "-ID"] for p in tabulex.paragraphs)
    torv = docx.Document(archive / "Bytorvet IT/Korsbæk Torvehandel/Kontrakt Korsbæk Torvehandel.docx")
    assert "TU-løsning" in torv.sections[0].header.paragraphs[0].text
    assert any([r.text for r in p.runs][1:3] == ["medarbejder", "signaturen"] for p in torv.paragraphs)
    assert "medarbejdersignatur / MitID Erhverv" in [c.text for c in torv.tables[0].columns[1].cells]
    nfs_dpa = docx.Document(archive / "EG/NetForvaltning Sundhed/Databehandleraftale EG NetForvaltning Sundhed.docx")
    assert "NemLog-in" in nfs_dpa.sections[0].footer.paragraphs[0].text
    assert "NemLog-in" not in "".join(p.text for p in nfs_dpa.paragraphs)


def test_not_tu_documents_hold_traps_and_no_real_login_term(archive):
    not_tu = {s["system"] for s in EXPECTED["systems"] if s["category"] == "not_tu"}
    trap_docs = [d for d in EXPECTED["documents"] if d["status"] == "ok" and d["system"] in not_tu | {None}]
    assert len(trap_docs) >= 6
    for doc in trap_docs:
        assert doc["traps"] and not doc["tu_evidence"], doc["path"]
