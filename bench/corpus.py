"""Generate a benchmark corpus of Danish contract PDFs (and DOCX) with known keyword occurrences.

    python bench/corpus.py --size small --out /tmp/tuscan-bench/small     # ~2,000 PDF pages + 100 DOCX
    python bench/corpus.py --size large --out /tmp/tuscan-bench/large     # ~22,000 PDF pages + 1,000 DOCX
    python bench/corpus.py --size large --real --out /tmp/tuscan-bench/real  # copies of real documents
    python bench/corpus.py --size large --kind dense --out /tmp/tuscan-bench/dense   # ~6,000 chars a page
    python bench/corpus.py --size small --kind wordproc --out /tmp/tuscan-bench/wp   # LibreOffice export

Fast by construction: a few dozen *template* documents are laid out with reportlab (invariant=1), and
every file of the corpus is a template copy whose case number (in the document information, which
reportlab writes uncompressed) is replaced by a unique number of the same length. The bytes of each
file differ (so tuscan cannot link copies by content hash and must extract every file) and the
cross-reference offsets stay valid. The pages are like those of a real text PDF: ~50 full lines in
an embedded subset TrueType font (Bitstream Vera, shipped with reportlab) with a ToUnicode map, in
Flate-compressed content streams.

A second corpus, `generate_real`, is built from real public documents instead: the PDFs and DOCX
of ../shared/realdata (see MANIFEST.md there), copied until the size's page count is reached. Each
copy is made unique without changing what it reads as: a PDF gets a comment line after its %%EOF, a
DOCX a zip-archive comment. A page of these real contracts and specifications costs poppler
(pdfgrep, pdftotext) about 1.5 times what a generated page costs, and PDFium about the same, so the
comparison with those tools differs between the two corpora; bench/results.md reports both. The
real corpus has no known occurrences: the report compares tuscan's hits with pdfgrep's instead.

Two more kinds of generated corpus (`--kind`), with the same known occurrences:

- `dense`: 20-page letters of ~6,000 characters a page (62 lines of ~98 characters, 7.5 pt), one text
  object per line, as reportlab and many system-generated letters write them. PDFium's cost grows
  with the characters on a page; poppler's hardly does (bench/results.md).
- `wordproc`: the templates as DOCX (one paragraph per page, a manual line break after the hyphen of
  a split form, a page break after each page) exported to PDF by LibreOffice
  (`soffice --headless --convert-to pdf`, Debian libreoffice-writer-nogui): text laid out by a word
  processor, per-word positioning, embedded subset fonts. A template page (26 lines) fits one page
  of the export, so the pages and the occurrences per file stay known; LibreOffice wraps the lines
  itself, and where it wraps an unsplit "Nem-ID" at its hyphen the file has one more hyphen-split
  occurrence than the manifest says (recall counts at most the known ones). Copies are made unique
  like the real documents' (a comment after %%EOF).

Every manifest records `chars_per_page` (PDFium's characters per PDF page, over the templates or the
source documents), which the benchmark report prints for each corpus.

The templates hold the keyword spellings Danish contracts use, including words split by hyphenation
across line breaks ("Nem-⏎ID", "medarbejder-⏎signaturen"): a line-based grep cannot see those.
`manifest.json` in the corpus folder records, per file, the known occurrences per canonical term
(the term names of reference/keywords.toml) and how many of them are hyphen-split; `recall()`
compares any finder's counts with it.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

SIZES = {
    # name: (PDF files, DOCX files); templates average 10 pages
    "tiny": (12, 4),
    "small": (200, 100),
    "large": (2200, 1000),
}
# Real corpus: (PDF pages at least, DOCX files) per size.
REAL_SIZES = {
    "tiny": (150, 10),
    "small": (2000, 100),
    "large": (20000, 1000),
}
REAL_DOCUMENTS = Path(__file__).resolve().parent.parent.parent / "shared" / "realdata"
TEMPLATES = 24
CASE_TOKEN = b"2024-000000"
CASE_FORMAT = "2024-{:06d}"
LINES_PER_PAGE = 50
LINE_CHARS = 92
KINDS = ("generated", "dense", "wordproc")
# Dense letters: (PDF files) per size, DENSE_PAGES pages each.
DENSE_SIZES = {"tiny": 6, "small": 100, "large": 1000}
DENSE_PAGES = 20
DENSE_LINES = 62
DENSE_LINE_CHARS = 98
WORDPROC_LINES = 26

# Filler vocabulary: ordinary contract Danish that matches no keyword of reference/keywords.toml
# (tests/test_bench_corpus.py checks that), so every hit in the corpus is a known occurrence.
FILLER = (
    "aftalen leverandøren kunden ydelsen systemet driften vedligeholdelse support servicemål "
    "opsigelse betaling faktura måned kvartal år pris licens bruger brugere data behandling "
    "databehandler sikkerhed backup adgang rettigheder ansvar erstatning misligholdelse bod "
    "levering test godkendelse implementering projekt fase milepæl ændringer version opdatering "
    "fejl rettelse hverdage åbningstid telefon henvendelse kommunen parterne bilag punkt jf. "
    "gælder indtil med for af til og i på at som er skal kan vil ved efter inden under mellem "
    "samt eller ikke hvis når der den det de en et denne dette disse øvrige herunder særskilt "
    "vederlag timepris rejsetid konsulent uddannelse dokumentation rapport møde styregruppe "
    "kontaktperson eskalering tvist voldgift dansk ret værneting ikrafttræden varighed forlængelse"
).split()


@dataclass(frozen=True)
class Form:
    """One way a keyword is written. `split` is where a line break falls (after the hyphen)."""

    term: str          # canonical term, as stored in hits.term
    text: str
    split: int | None = None


FORMS = (
    Form("nemid", "NemID"), Form("nemid", "Nem ID"), Form("nemid", "NEMID"), Form("nemid", "Nem-ID"),
    Form("nemid", "NemID-løsningen"), Form("mitid", "MitID"), Form("mitid", "MitID-login"),
    Form("nemlog-in", "NemLog-in"), Form("nemlog-in", "Nemlogin"),
    Form("medarbejdersignatur", "medarbejdersignaturen"), Form("medarbejdersignatur", "medarbejdersignatur"),
    Form("tjenesteudbyder", "tjenesteudbyderløsning"),
    # Hyphen-split at a line end: the first part ends a line, the rest starts the next.
    Form("nemid", "Nem-ID", split=4), Form("mitid", "Mit-ID", split=4),
    Form("nemlog-in", "NemLog-in", split=7),
    Form("medarbejdersignatur", "medarbejder-signaturen", split=12),
    Form("tjenesteudbyder", "tjeneste-udbyderløsning", split=9),
)

# What a municipality would give pdfgrep for the seed's keywords (one regular expression per term;
# pdfgrep matches within a line, so hyphen-split words cannot match).
PDFGREP_PATTERNS = {
    "nemid": r"nem[ -]?id",
    "mitid": r"mit[ -]?id",
    "nemlog-in": r"nem[ -]?log[ -]?in",
    "medarbejdersignatur": r"medarbejdersignatur",
    "tjenesteudbyder": r"tjenesteudbyder",
}


def term_of_match(matched: str) -> str | None:
    """The canonical term a pdfgrep match stands for."""
    text = re.sub(r"[\s\-]", "", matched.lower())
    for term in ("nemlogin", "nemid", "mitid", "medarbejdersignatur", "tjenesteudbyder"):
        if text.startswith(term):
            return "nemlog-in" if term == "nemlogin" else term
    return None


@dataclass
class Template:
    pages: list[list[str]]                      # lines per page
    known: dict[str, int] = field(default_factory=dict)
    hyphen: dict[str, int] = field(default_factory=dict)


def _filler_line(rng: random.Random, width: int = LINE_CHARS) -> str:
    words: list[str] = []
    length = 0
    while length < width:
        word = rng.choice(FILLER)
        words.append(word)
        length += len(word) + 1
    return " ".join(words)


def make_template(rng: random.Random, page_count: int, with_keywords: bool, lines_per_page: int = LINES_PER_PAGE,
                  line_chars: int = LINE_CHARS) -> Template:
    template = Template([])
    for page_number in range(1, page_count + 1):
        lines = [_filler_line(rng, line_chars) for _ in range(lines_per_page)]
        lines[0] = f"Kontrakt om levering af it-system   Sagsnr. {CASE_TOKEN.decode()}   side {page_number}"
        if with_keywords:
            # Lines 2..LINES-2 so a split form always has a next line on the same page.
            for line_no in rng.sample(range(2, lines_per_page - 2, 3), rng.randint(0, 3)):
                form = rng.choice(FORMS)
                if form.split is None:
                    words = lines[line_no].split()
                    at = rng.randint(1, len(words) - 1)
                    lines[line_no] = " ".join(words[:at] + [form.text] + words[at:])
                else:
                    head, tail = form.text[: form.split], form.text[form.split :]
                    lines[line_no] = " ".join(lines[line_no].split()[:-3] + [head])
                    lines[line_no + 1] = tail + " " + lines[line_no + 1]
                    template.hyphen[form.term] = template.hyphen.get(form.term, 0) + 1
                template.known[form.term] = template.known.get(form.term, 0) + 1
        template.pages.append(lines)
    return template


def render_pdf(template: Template, font_size: float = 8.5, leading: float = 15, top: float = 50,
               left: float = 45) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    pdf.setTitle("Kontrakt")
    pdf.setSubject(f"Sagsnr. {CASE_TOKEN.decode()}")
    for lines in template.pages:
        pdf.setFont("Vera", font_size)
        y = A4[1] - top
        for line in lines:
            pdf.drawString(left, y, line)     # one text object (BT … ET) per line
            y -= leading
        pdf.showPage()
    pdf.save()
    data = buffer.getvalue()
    assert data.count(CASE_TOKEN) == 1, "the case number must be in the (uncompressed) document info"
    return data


def render_docx(template: Template) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = "Databehandleraftale"
    for lines in template.pages:
        # DOCX has no line breaks inside a paragraph here: a split form is written whole.
        document.add_paragraph(" ".join(lines))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_variant(data: bytes, number: int) -> bytes:
    """Same DOCX with another case number in word/document.xml (fixed zip timestamps)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/document.xml":
                body = body.replace(CASE_TOKEN, CASE_FORMAT.format(number).encode())
            member = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, body)
    return out.getvalue()


def _docx_template(template: Template) -> Template:
    """The DOCX form of a template: split forms are joined (a paragraph has no line ends)."""
    joined = Template([[" ".join(lines).replace("- ", "-")] for lines in template.pages])
    return Template(joined.pages, dict(template.known), {})


def generate(out: Path, size: str = "small", seed: int = 2024, kind: str = "generated") -> dict:
    """Write the corpus into `out` (created; must be empty or absent) and return the manifest."""
    if kind == "dense":
        return generate_dense(out, size, seed)
    if kind == "wordproc":
        return generate_wordproc(out, size, seed)
    if kind != "generated":
        raise ValueError(f"unknown corpus kind {kind!r} (one of {', '.join(KINDS)})")
    pdf_files, docx_files = SIZES[size]
    rng = random.Random(seed)
    _empty_folder(out)
    # Templates of 4..16 pages (mean 10); one in three mentions no login keyword at all.
    templates = [make_template(rng, 4 + (i * 7) % 13, with_keywords=i % 3 != 0) for i in range(TEMPLATES)]
    pdf_bytes = [render_pdf(t) for t in templates]
    docx_bytes: list[bytes] = []
    manifest: dict = {"size": size, "seed": seed, "files": {}, "pdf_pages": 0, "pdf_files": 0,
                      "docx_files": 0, "bytes": 0}
    number = 0
    for index in range(pdf_files):
        t = index % TEMPLATES
        number += 1
        rel = f"pdf/leverandoer-{index // 100:03d}/kontrakt-{index:05d}.pdf"
        data = pdf_bytes[t].replace(CASE_TOKEN, CASE_FORMAT.format(number).encode())
        _write(out / rel, data)
        manifest["files"][rel] = {"pages": len(templates[t].pages), "known": templates[t].known,
                                  "hyphen": templates[t].hyphen}
        manifest["pdf_pages"] += len(templates[t].pages)
        manifest["bytes"] += len(data)
    manifest["pdf_files"] = pdf_files
    if docx_files:
        docx_templates = [_docx_template(t) for t in templates[:6]]
        docx_bytes = [render_docx(t) for t in docx_templates]
    for index in range(docx_files):
        t = index % len(docx_bytes)
        number += 1
        rel = f"docx/leverandoer-{index // 100:03d}/databehandleraftale-{index:05d}.docx"
        data = _docx_variant(docx_bytes[t], number)
        _write(out / rel, data)
        manifest["files"][rel] = {"pages": 1, "known": docx_templates[t].known, "hyphen": {}}
        manifest["bytes"] += len(data)
    manifest["docx_files"] = docx_files
    manifest["chars_per_page"] = chars_per_page(pdf_bytes)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=0, sort_keys=True), encoding="utf-8")
    return manifest


def _empty_folder(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise SystemExit(f"{out} is not empty")


def chars_per_page(pdfs: list[bytes]) -> float:
    """PDFium's characters per page over these PDFs (the measure poppler's use is decided by)."""
    import pypdfium2 as pdfium

    chars = pages = 0
    for data in pdfs:
        document = pdfium.PdfDocument(data)
        try:
            for index in range(len(document)):
                page = document[index]
                textpage = page.get_textpage()
                chars += len(textpage.get_text_range())
                textpage.close()
                page.close()
                pages += 1
        finally:
            document.close()
    return round(chars / max(pages, 1), 1)


def _copies(out: Path, manifest: dict, templates: list[Template], pdf_bytes: list[bytes], files: int,
            folder: str, stem: str, unique) -> None:
    """`files` copies of the rendered templates in turn, each made unique by `unique(data, number)`."""
    from pypdfium2 import PdfDocument

    page_counts = []
    for data in pdf_bytes:
        document = PdfDocument(data)
        page_counts.append(len(document))
        document.close()
    for index in range(files):
        t = index % len(templates)
        rel = f"pdf/{folder}-{index // 100:03d}/{stem}-{index:05d}.pdf"
        data = unique(pdf_bytes[t], index + 1)
        _write(out / rel, data)
        manifest["files"][rel] = {"pages": page_counts[t], "known": templates[t].known,
                                  "hyphen": templates[t].hyphen}
        manifest["pdf_pages"] += page_counts[t]
        manifest["pdf_files"] += 1
        manifest["bytes"] += len(data)


def generate_dense(out: Path, size: str = "small", seed: int = 2024) -> dict:
    """Dense letters: DENSE_PAGES pages of ~6,000 characters, one text object per line."""
    rng = random.Random(seed)
    _empty_folder(out)
    templates = [make_template(rng, DENSE_PAGES, with_keywords=i % 3 != 0, lines_per_page=DENSE_LINES,
                               line_chars=DENSE_LINE_CHARS) for i in range(TEMPLATES // 2)]
    pdf_bytes = [render_pdf(t, font_size=7.5, leading=12.5, top=40, left=30) for t in templates]
    manifest: dict = {"size": size, "seed": seed, "kind": "dense", "files": {}, "pdf_pages": 0, "pdf_files": 0,
                      "docx_files": 0, "bytes": 0}
    _copies(out, manifest, templates, pdf_bytes, DENSE_SIZES[size], "afsender", "brev",
            lambda data, number: data.replace(CASE_TOKEN, CASE_FORMAT.format(number).encode()))
    manifest["chars_per_page"] = chars_per_page(pdf_bytes)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=0, sort_keys=True), encoding="utf-8")
    return manifest


def wordproc_docx(template: Template) -> bytes:
    """The template as a word processor's document: one paragraph per page, its lines joined by
    spaces except that a split form's hyphen ends a line (a manual line break), a page break after
    each page."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.core_properties.title = "Kontrakt"
    for number, lines in enumerate(template.pages):
        paragraph = document.add_paragraph()
        for index, line in enumerate(lines):
            run = paragraph.add_run(line)
            if line.endswith("-") and index + 1 < len(lines):
                run.add_break(WD_BREAK.LINE)
            elif index + 1 < len(lines):
                paragraph.add_run(" ")
        if number + 1 < len(template.pages):
            paragraph.add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_count(data: bytes) -> int:
    from pypdfium2 import PdfDocument

    document = PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def soffice() -> str | None:
    import shutil

    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(docx_files: list[Path], outdir: Path) -> None:
    import subprocess
    import tempfile

    exe = soffice()
    if exe is None:
        raise SystemExit("the wordproc corpus needs LibreOffice: apt-get install -y libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="tuscan-lo-") as profile:
        subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(outdir), *map(str, docx_files)], check=True, capture_output=True,
                       timeout=600)


def generate_wordproc(out: Path, size: str = "small", seed: int = 2024) -> dict:
    """The generated templates written as DOCX and exported to PDF by LibreOffice."""
    import tempfile

    pdf_files, _ = SIZES[size]
    rng = random.Random(seed)
    _empty_folder(out)
    # A template page must fit one page of the export (11 pt, ~3,000 characters): an occurrence
    # split by a page break would be on two pages, where no page-based reader can find it.
    templates = [make_template(rng, 4 + (i * 7) % 13, with_keywords=i % 3 != 0, lines_per_page=WORDPROC_LINES)
                 for i in range(TEMPLATES)]
    with tempfile.TemporaryDirectory(prefix="tuscan-wordproc-") as folder:
        sources = []
        for index, template in enumerate(templates):
            path = Path(folder) / f"kontrakt-{index:02d}.docx"
            path.write_bytes(wordproc_docx(template))
            sources.append(path)
        convert_with_libreoffice(sources, Path(folder))
        pdf_bytes = [path.with_suffix(".pdf").read_bytes() for path in sources]
    for template, data in zip(templates, pdf_bytes, strict=True):
        if _page_count(data) != len(template.pages):
            raise SystemExit("LibreOffice laid a template page out on more than one page")
    manifest: dict = {"size": size, "seed": seed, "kind": "wordproc", "files": {}, "pdf_pages": 0,
                      "pdf_files": 0, "docx_files": 0, "bytes": 0}
    _copies(out, manifest, templates, pdf_bytes, pdf_files, "leverandoer", "kontrakt", unique_pdf)
    manifest["chars_per_page"] = chars_per_page(pdf_bytes)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=0, sort_keys=True), encoding="utf-8")
    return manifest


def unique_pdf(data: bytes, number: int) -> bytes:
    """The PDF with a comment line after its end: readers find the cross-reference table from the
    last `startxref`, which stays within the file's last kilobyte."""
    return data + b"\n%% tuscan-bench copy %06d\n" % number


def unique_docx(data: bytes, number: int) -> bytes:
    """The DOCX with its zip-archive comment set (the end-of-central-directory record's last field)."""
    comment = b"tuscan-bench copy %06d" % number
    end = data.rfind(b"PK\x05\x06")
    if end < 0 or end + 22 > len(data):
        raise ValueError("not a zip archive (no end-of-central-directory record)")
    return data[: end + 20] + len(comment).to_bytes(2, "little") + comment


def generate_real(out: Path, size: str = "small", documents: Path = REAL_DOCUMENTS) -> dict:
    """Write a corpus of copies of the real PDFs and DOCX under `documents` into `out` (created;
    must be empty or absent) and return the manifest. Whole rounds of the PDFs are copied until the
    page count of `size` is reached; the DOCX are copied in turn up to its file count."""
    import pypdfium2 as pdfium

    pdf_pages_wanted, docx_files = REAL_SIZES[size]
    pdf_sources = sorted(documents.rglob("*.pdf"))
    docx_sources = sorted(documents.rglob("*.docx"))
    if not pdf_sources:
        raise SystemExit(f"no PDFs under {documents}: the real corpus needs the public documents there")
    for sources in (pdf_sources, docx_sources):
        names = [path.name for path in sources]
        if len(set(names)) < len(names):   # copies of one round share a folder
            raise SystemExit(f"two documents under {documents} have the same file name")
    _empty_folder(out)
    pdfs = []
    for path in pdf_sources:
        data = path.read_bytes()
        document = pdfium.PdfDocument(data)
        pdfs.append((path, data, len(document)))
        document.close()
    manifest: dict = {"size": size, "kind": "real", "source": str(documents), "files": {}, "pdf_pages": 0,
                      "pdf_files": 0, "docx_files": 0, "bytes": 0}
    number = 0
    while manifest["pdf_pages"] < pdf_pages_wanted:
        round_no = manifest["pdf_files"] // len(pdfs)
        for path, data, pages in pdfs:
            number += 1
            rel = f"pdf/kopi-{round_no:03d}/{path.name}"
            copy = unique_pdf(data, number)
            _write(out / rel, copy)
            manifest["files"][rel] = {"pages": pages, "source": str(path.relative_to(documents))}
            manifest["pdf_pages"] += pages
            manifest["pdf_files"] += 1
            manifest["bytes"] += len(copy)
    docx = [(path, path.read_bytes()) for path in docx_sources]
    for index in range(docx_files if docx else 0):
        path, data = docx[index % len(docx)]
        number += 1
        rel = f"docx/kopi-{index // len(docx):03d}/{path.name}"
        copy = unique_docx(data, number)
        _write(out / rel, copy)
        manifest["files"][rel] = {"pages": 1, "source": str(path.relative_to(documents))}
        manifest["docx_files"] += 1
        manifest["bytes"] += len(copy)
    manifest["chars_per_page"] = chars_per_page([data for _, data, _ in pdfs])
    (out / "manifest.json").write_text(json.dumps(manifest, indent=0, sort_keys=True), encoding="utf-8")
    return manifest


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def load_manifest(corpus: Path) -> dict:
    return json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))


def recall(manifest: dict, found: dict[str, dict[str, int]], *, hyphen_only: bool = False,
           suffix: str | None = None) -> tuple[int, int]:
    """(found, known) keyword occurrences. `found` maps a corpus path to {term: count} as a finder
    reported them; a finder gets credit for at most the known count per file and term (extra hits
    are not recall). With hyphen_only, only hyphen-split occurrences count (`found` must then hold
    the finder's hyphen-split hits). `suffix` limits to files ending so (e.g. ".pdf")."""
    hit = total = 0
    for rel, entry in manifest["files"].items():
        if suffix and not rel.endswith(suffix):
            continue
        known = entry["hyphen"] if hyphen_only else entry["known"]
        got = found.get(rel, {})
        for term, count in known.items():
            total += count
            hit += min(count, got.get(term, 0))
    return hit, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--kind", choices=KINDS, default="generated")
    parser.add_argument("--real", nargs="?", type=Path, const=REAL_DOCUMENTS, metavar="DOCUMENTS",
                        help=f"copy real documents instead of generating pages (default: {REAL_DOCUMENTS})")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.real:
        manifest = generate_real(args.out, args.size, args.real)
    else:
        manifest = generate(args.out, args.size, args.seed, args.kind)
    print(f"{args.out}: {manifest['pdf_files']} PDFs ({manifest['pdf_pages']} pages, "
          f"{manifest['chars_per_page']:,.0f} characters a page), "
          f"{manifest['docx_files']} DOCX, {manifest['bytes'] / 1e6:.1f} MB "
          f"in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
