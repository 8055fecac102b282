"""DOCX extraction: body order, tables, headers/footers, split runs, text boxes, titles."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from extractors import extract
from extractors.base import OK

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


def make_docx(build) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rewrite_part(data: bytes, part: str, transform) -> bytes:
    """Copy a DOCX, replacing one part's bytes with transform(old bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            raw = src.read(info)
            dst.writestr(info.filename, transform(raw) if info.filename == part else raw)
    return out.getvalue()


def test_body_tables_headers_and_footers_in_reading_order():
    def build(d):
        d.core_properties.title = "Driftsaftale"
        d.sections[0].header.paragraphs[0].text = "Bilag 2 – NemLog-in integration"
        d.sections[0].footer.paragraphs[0].text = "Fortroligt – side 1"
        d.add_paragraph("Indledning")
        table = d.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "System"
        table.cell(0, 1).text = "Login"
        table.cell(1, 0).text = "Selvbetjening"
        table.cell(1, 1).text = "MitID"
        d.add_paragraph("Afslutning")

    result = extract(make_docx(build), "aftale.docx")
    assert result.status == OK and result.extractor == "docx"
    lines = result.text.split("\n")
    assert lines.index("Bilag 2 – NemLog-in integration") < lines.index("Indledning")
    assert lines.index("Indledning") < lines.index("System | Login") < lines.index("Selvbetjening | MitID")
    assert lines.index("Selvbetjening | MitID") < lines.index("Afslutning") < lines.index("Fortroligt – side 1")
    assert result.title == "Driftsaftale"


def test_keyword_split_across_formatting_runs_is_joined():
    def build(d):
        p = d.add_paragraph("Brugerne logger ind med ")
        p.add_run("medarbejder").bold = True
        p.add_run("signatur").italic = True
        p.add_run("\tvia NemLog-in")

    result = extract(make_docx(build), "runs.docx")
    assert "Brugerne logger ind med medarbejdersignatur\tvia NemLog-in" in result.text


def test_line_breaks_and_tab_stop_definitions():
    def build(d):
        p = d.add_paragraph("Første linje")
        p.add_run().add_break()
        p.add_run("Anden linje")
        p.paragraph_format.tab_stops.add_tab_stop(docx.shared.Inches(1))  # a w:tab in w:pPr, not text

    text = extract(make_docx(build), "br.docx").text
    assert text == "Første linje\nAnden linje"


def test_text_box_content_is_read_once():
    body = (
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>'
        '<w:p><w:r><w:t>Tekstboks om NemID</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>'
        '<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Tekstboks om NemID</w:t></w:r></w:p>'
        "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    # python-docx's template already declares the mc: namespace.
    data = rewrite_part(make_docx(lambda d: d.add_paragraph("x")), "word/document.xml",
                        lambda raw: raw.replace(b"<w:body>", b"<w:body>" + body.encode()))
    result = extract(data, "box.docx")
    assert result.status == OK, result.error
    text = result.text
    assert text.count("Tekstboks om NemID") == 1


def test_zip_without_document_part_and_no_docx_suffix_is_read_as_zip():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("note.txt", "NemKonto")
    result = extract(out.getvalue(), "bilag")        # no suffix: the docx reader gets it by magic
    assert result.status == "container" and result.extractor == "zip"
    assert result.members[0].extraction.text == "NemKonto"


@pytest.mark.skipif(not (REALDATA / "docs_positive").is_dir(), reason="../shared/realdata not present")
def test_real_signaturcentral_docx_mentions_medarbejdersignatur():
    path = REALDATA / "docs_positive" / "SOFD Core - Signaturcentral indlaesningsintegration.docx"
    result = extract(path.read_bytes(), path.name)
    assert result.status == OK
    assert "medarbejdersignatur" in result.text.lower()
