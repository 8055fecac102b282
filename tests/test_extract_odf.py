"""OpenDocument text, spreadsheet and presentation, written here as zip + XML by hand, and one real .odt."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from extractors import extract
from extractors.base import ERROR, OK

FORMATS = Path(__file__).parent / "data" / "formats"
NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/" '
      'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
      'xmlns:xlink="http://www.w3.org/1999/xlink"')
MIMETYPES = {"odt": "application/vnd.oasis.opendocument.text",
             "ods": "application/vnd.oasis.opendocument.spreadsheet",
             "odp": "application/vnd.oasis.opendocument.presentation"}


def make_odf(kind: str, body: str, styles: str = "", title: str | None = None, content: str | None = None) -> bytes:
    """An ODF package as LibreOffice writes it: `mimetype` first and stored, then the XML parts."""
    office = {"odt": "text", "ods": "spreadsheet", "odp": "presentation"}[kind]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), MIMETYPES[kind], compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content or (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {NS}><office:body>'
            f'<office:{office}>{body}</office:{office}></office:body></office:document-content>'))
        zf.writestr("styles.xml", f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {NS}>'
                                  f'<office:master-styles>{styles}</office:master-styles></office:document-styles>')
        meta = f"<dc:title>{title}</dc:title>" if title else ""
        zf.writestr("meta.xml", f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {NS}>'
                                f'<office:meta>{meta}</office:meta></office:document-meta>')
        zf.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
                    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
    return out.getvalue()


TEXT_BODY = (
    '<text:sequence-decls><text:sequence-decl text:name="Table"/></text:sequence-decls>'
    '<text:h text:outline-level="1">Kontrakt om Byg og Miljø</text:h>'
    '<text:p>Borgerne logger ind med <text:span>Mit</text:span><text:span>ID</text:span>'
    '<text:note><text:note-body><text:p>Fodnote om NemLog-in</text:p></text:note-body></text:note>.</text:p>'
    '<text:p>To<text:s text:c="3"/>mellemrum<text:tab/>og<text:line-break/>linjeskift</text:p>'
    '<text:list><text:list-item><text:p>Punkt med medarbejdersignatur</text:p></text:list-item></text:list>'
    '<table:table table:name="T"><table:table-row><table:table-cell><text:p>System</text:p></table:table-cell>'
    '<table:table-cell><text:p>Login</text:p></table:table-cell></table:table-row>'
    '<table:table-row><table:table-cell><text:p>Byggesag</text:p></table:table-cell>'
    '<table:table-cell><text:p>MitID Erhverv</text:p></table:table-cell></table:table-row></table:table>'
    '<text:p><draw:frame><draw:text-box><text:p>Tekstboks om NemID</text:p></draw:text-box></draw:frame></text:p>'
)
STYLES = ('<style:master-page style:name="Standard"><style:header><text:p>Sidehoved: Leverandør A/S</text:p>'
          '</style:header><style:footer><text:p>Sidefod: fortroligt</text:p></style:footer></style:master-page>')


def test_odt_body_tables_notes_headers_and_footers():
    result = extract(make_odf("odt", TEXT_BODY, STYLES, title="Aftale 2024"), "aftale.odt")
    assert result.status == OK and result.extractor == "odf", result.error
    assert result.title == "Aftale 2024"
    lines = result.text.split("\n")
    assert lines[0] == "Sidehoved: Leverandør A/S" and lines[-1] == "Sidefod: fortroligt"
    assert "Kontrakt om Byg og Miljø" in lines
    assert "Borgerne logger ind med MitID (Fodnote om NemLog-in)." in lines   # spans joined, note inline
    assert "To   mellemrum\tog" in lines and "linjeskift" in lines
    assert "Punkt med medarbejdersignatur" in lines
    assert "System | Login" in lines and "Byggesag | MitID Erhverv" in lines
    assert "Tekstboks om NemID" in lines


def test_ods_one_page_per_sheet_without_expanding_repeated_empty_cells():
    body = ('<table:table table:name="Systemer"><table:table-row><table:table-cell><text:p>System</text:p>'
            '</table:table-cell><table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
            '<table:table-row><table:table-cell><text:p>Byg og Miljø</text:p></table:table-cell>'
            '<table:table-cell><text:p>NemLog-in</text:p></table:table-cell></table:table-row>'
            '<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
            'table:number-columns-repeated="16384"/></table:table-row></table:table>'
            '<table:table table:name="Ark2"><table:table-row><table:table-cell><text:p>MitID</text:p>'
            '</table:table-cell></table:table-row></table:table>')
    result = extract(make_odf("ods", body), "systemer.ods")
    assert result.status == OK, result.error
    assert [p.text for p in result.pages] == ["Systemer\nSystem\nByg og Miljø | NemLog-in", "Ark2\nMitID"]


def test_odp_one_page_per_slide_with_speaker_notes():
    body = ('<draw:page draw:name="1"><draw:frame><draw:text-box><text:p>Løsningsbeskrivelse</text:p>'
            '</draw:text-box></draw:frame><presentation:notes><draw:frame><draw:text-box>'
            '<text:p>Husk: login via NemLog-in</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>'
            '<draw:page draw:name="2"><draw:frame><draw:text-box><text:p>MitID Erhverv</text:p>'
            '</draw:text-box></draw:frame></draw:page>')
    result = extract(make_odf("odp", body), "oplæg.odp")
    assert [p.text for p in result.pages] == ["Løsningsbeskrivelse\nHusk: login via NemLog-in", "MitID Erhverv"]


def test_odf_with_wrong_suffix_is_one_document_not_a_zip_of_xml_parts():
    for name in ("aftale.zip", "aftale", "aftale.docx"):
        result = extract(make_odf("odt", TEXT_BODY), name)
        assert result.extractor == "odf" and result.members == [], name
        assert "Byggesag | MitID Erhverv" in result.text


def test_odf_xxe_and_billion_laughs_are_refused():
    xxe = (f'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           f'<office:document-content {NS}><office:body><office:text><text:p>&e;</text:p></office:text>'
           f'</office:body></office:document-content>')
    result = extract(make_odf("odt", "", content=xxe), "xxe.odt")
    assert result.status == ERROR and "DTD/entity declaration" in result.error
    assert "root:" not in (result.error or "")
    utf16 = xxe.replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", MIMETYPES["odt"])
        zf.writestr("content.xml", utf16)
    result = extract(out.getvalue(), "utf16.odt")
    assert result.status == ERROR and "DTD/entity declaration" in result.error


def test_odf_without_content_is_corrupt():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", MIMETYPES["odt"])
    result = extract(out.getvalue(), "tom.odt")
    assert result.status == ERROR and result.error == "corrupt ODF text: content.xml is missing"


def test_real_libreoffice_odt():
    result = extract((FORMATS / "standardized_text.odt").read_bytes(), "standardized_text.odt")
    assert result.status == OK and result.extractor == "odf"
    assert " ".join(result.text.split()) == "the quick brown fox jumps over the lazy dog"
