"""PPTX: one page per slide in presentation order, tables row by row, speaker notes; hardened XML."""

from __future__ import annotations

import io
import zipfile

import pytest

from extractors import extract
from extractors.base import ERROR, OK

P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def make_pptx_by_hand(slides: list[str], order: list[int] | None = None, slide_xml=None) -> bytes:
    """A minimal PresentationML package: content types, presentation.xml with its slide list, slides."""
    order = order or list(range(1, len(slides) + 1))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"><Override PartName="/ppt/presentation.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>')
        ids = "".join(f'<p:sldId id="{255 + n}" r:id="rId{n}"/>' for n in order)
        zf.writestr("ppt/presentation.xml", f'<?xml version="1.0"?><p:presentation xmlns:p="{P}" xmlns:r="{R}">'
                    f'<p:sldIdLst>{ids}</p:sldIdLst></p:presentation>')
        rels = "".join(f'<Relationship Id="rId{n}" Type="{R}/slide" Target="slides/slide{n}.xml"/>'
                       for n in range(1, len(slides) + 1))
        zf.writestr("ppt/_rels/presentation.xml.rels", f'<?xml version="1.0"?><Relationships xmlns="{REL}">'
                    f'{rels}</Relationships>')
        for n, text in enumerate(slides, start=1):
            xml = slide_xml(text) if slide_xml else (
                f'<?xml version="1.0"?><p:sld xmlns:p="{P}" xmlns:a="{A}"><p:cSld><p:spTree><p:sp><p:txBody>'
                f'<a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>')
            zf.writestr(f"ppt/slides/slide{n}.xml", xml)
    return out.getvalue()


def test_slides_follow_the_presentation_order_not_the_part_names():
    result = extract(make_pptx_by_hand(["Første del", "Anden del", "Tredje del"], order=[3, 1, 2]), "oplæg.pptx")
    assert result.status == OK and result.extractor == "pptx", result.error
    assert [p.text for p in result.pages] == ["Tredje del", "Første del", "Anden del"]


def test_pptx_with_wrong_suffix_is_one_document_not_a_zip_of_xml_parts():
    for name in ("oplæg.zip", "oplæg", "oplæg.odp"):
        result = extract(make_pptx_by_hand(["MitID Erhverv"]), name)
        assert result.extractor == "pptx" and result.members == [] and result.text == "MitID Erhverv", name


def test_pptx_xxe_is_refused():
    def hostile(_text):
        return (f'<?xml version="1.0"?><!DOCTYPE p:sld [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                f'<p:sld xmlns:p="{P}" xmlns:a="{A}"><a:t>&x;</a:t></p:sld>')

    result = extract(make_pptx_by_hand(["x"], slide_xml=hostile), "xxe.pptx")
    assert result.status == ERROR and "PPTX contains an XML DTD/entity declaration" in result.error


def test_pptx_without_presentation_part_is_corrupt():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
    result = extract(out.getvalue(), "tom.pptx")
    assert result.status == ERROR and result.error == "corrupt PPTX: ppt/presentation.xml is missing"


def test_python_pptx_presentation_with_table_and_notes():
    pptx = pytest.importorskip("pptx")
    from pptx.util import Inches

    prs = pptx.Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Løsningsbeskrivelse"
    slide.placeholders[1].text_frame.text = "Borgerne logger ind med MitID"
    slide.notes_slide.notes_text_frame.text = "Husk NemLog-in integrationen"
    second = prs.slides.add_slide(prs.slide_layouts[5])
    second.shapes.title.text = "Systemer"
    table = second.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1)).table
    for (row, col), text in {(0, 0): "System", (0, 1): "Login", (1, 0): "Byggesag", (1, 1): "MitID Erhverv"}.items():
        table.cell(row, col).text = text
    prs.core_properties.title = "Oplæg 2024"
    out = io.BytesIO()
    prs.save(out)
    result = extract(out.getvalue(), "oplæg.pptx")
    assert result.status == OK and result.title == "Oplæg 2024"
    assert [p.number for p in result.pages] == [1, 2]
    assert result.pages[0].text.split("\n") == ["Løsningsbeskrivelse", "Borgerne logger ind med MitID",
                                                "Husk NemLog-in integrationen"]
    assert result.pages[1].text.split("\n") == ["Systemer", "System | Login", "Byggesag | MitID Erhverv"]


def test_smartart_text_is_read_from_its_diagram_part():
    data = io.BytesIO(make_pptx_by_hand(["Forløb"]))
    with zipfile.ZipFile(data, "a") as zf:
        zf.writestr("ppt/slides/_rels/slide1.xml.rels", f'<?xml version="1.0"?><Relationships xmlns="{REL}">'
                    f'<Relationship Id="rId2" Type="{R}/diagramData" Target="../diagrams/data1.xml"/>'
                    f'</Relationships>')
        zf.writestr("ppt/diagrams/data1.xml", '<?xml version="1.0"?><dgm:dataModel xmlns:dgm="http://schemas.'
                    f'openxmlformats.org/drawingml/2006/diagram" xmlns:a="{A}"><dgm:ptLst><dgm:pt><dgm:t><a:p>'
                    '<a:r><a:t>Borger logger ind med MitID</a:t></a:r></a:p></dgm:t></dgm:pt></dgm:ptLst>'
                    '</dgm:dataModel>')
    result = extract(data.getvalue(), "forløb.pptx")
    assert result.pages[0].text == "Forløb\nBorger logger ind med MitID"
