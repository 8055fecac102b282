"""The self-contained HTML report (tuscan/report/html.py)."""

from __future__ import annotations

import html

import lxml.html
import pytest
from click.testing import CliRunner

from tests.output_fixtures import EVIL_NAME, EVIL_PATH, EVIL_SNIPPET, build_output_db
from tuscan.cli import main
from tuscan.labels import CATEGORY_LABELS
from tuscan.report import write_report


@pytest.fixture(scope="module")
def report_html(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("report")
    db = build_output_db(folder / "inventory.duckdb")
    out = folder / "report.html"
    write_report(db, html=out)
    return out.read_text(encoding="utf-8")


def _figure(doc, ident: str) -> int:
    return int(doc.get_element_by_id(ident).find_class("num")[0].text_content())


def test_headline_numbers_and_tables(report_html):
    doc = lxml.html.document_fromstring(report_html)
    assert _figure(doc, "n-systems") == 9
    assert {c: _figure(doc, f"n-{c}") for c in CATEGORY_LABELS} == {
        "own": 3, "shared": 3, "common_public": 1, "not_tu": 1, "unknown": 1}
    assert _figure(doc, "n-rebuild") == 2
    assert _figure(doc, "n-unreadable") == 3
    assert _figure(doc, "n-documents") == 6
    rows = doc.get_element_by_id("systems-table").xpath("./tbody/tr")
    assert len(rows) == 9
    assert sorted(r.get("data-category") for r in rows).count("own") == 3
    assert len(doc.get_element_by_id("unreadable-table").xpath("./tbody/tr")) == 3
    assert len(doc.get_element_by_id("changes-table").xpath("./tbody/tr")) == 4


def test_charts_per_category_and_level(report_html):
    doc = lxml.html.document_fromstring(report_html)
    bars = {b.get("data-label"): int(b.get("data-count")) for b in doc.get_element_by_id("chart-category").iter("g")}
    assert bars == {CATEGORY_LABELS["own"]: 3, CATEGORY_LABELS["unknown"]: 1, CATEGORY_LABELS["shared"]: 3,
                    CATEGORY_LABELS["common_public"]: 1, CATEGORY_LABELS["not_tu"]: 1}
    levels = {b.get("data-label"): int(b.get("data-count")) for b in doc.get_element_by_id("chart-level").iter("g")}
    assert levels == {"Betydelig": 1, "Lav": 2, "Ikke vurderet": 0}


def test_danish_labels_reasons_and_snippets(report_html):
    for label in CATEGORY_LABELS.values():
        assert label in report_html
    doc = lxml.html.document_fromstring(report_html)
    byggesag = next(r for r in doc.get_element_by_id("systems-table").xpath("./tbody/tr")
                    if r.xpath("./td")[0].text_content() == "Korsbæk Byggesag")
    text = byggesag.text_content()
    # The reason and the evidence in Danish, rendered from their codes (tuscan.reasons).
    assert "Ingen match på KL's lister; NemID-login på s. 2 i Kontrakt Byggesag.pdf" in text
    assert "følsomme oplysninger (helbredsoplysninger) på s. 3 i Kontrakt Byggesag.pdf" in text
    assert "No KL list match" not in text and "sensitive data on p." not in text
    assert "Sagen kan indeholde helbredsoplysninger" in text
    assert "Dokumentsignering" in text and "PID/RID" in text


def test_text_from_documents_is_escaped(report_html):
    assert EVIL_NAME not in report_html
    assert html.escape(EVIL_PATH) in report_html
    assert "<script>alert(2)" not in report_html
    doc = lxml.html.document_fromstring(report_html)
    assert doc.xpath("//img") == []
    assert len(doc.xpath("//script")) == 1            # only the report's own script
    assert EVIL_SNIPPET in doc.text_content()          # shown as text
    assert EVIL_PATH in doc.get_element_by_id("unreadable-table").text_content()


def test_self_contained(report_html):
    doc = lxml.html.document_fromstring(report_html)
    assert doc.xpath("//*[@src]") == []
    assert doc.xpath("//link") == []
    assert doc.xpath("//style") and "default-src 'none'" in report_html


def test_example_inventory_report(example_db, tmp_path):
    result = CliRunner().invoke(main, ["report", "--db", str(example_db), "--html", str(tmp_path / "r.html"),
                                       "--title", "Korsbæk <Kommune>"])
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output and not (tmp_path / "r.xlsx").exists()
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    doc = lxml.html.document_fromstring(text)
    assert doc.findtext(".//title") == "Korsbæk <Kommune>" and "Korsbæk &lt;Kommune&gt;" in text
    assert _figure(doc, "n-systems") == 12
    assert _figure(doc, "n-own") == 4 and _figure(doc, "n-common_public") == 2
    assert _figure(doc, "n-unreadable") == 4 and _figure(doc, "n-rebuild") == 2
