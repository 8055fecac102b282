"""The HTML report in a real headless browser (Debian's chromium, driven by Playwright for Python, as
the `tuscan serve` browser tests are): the filter narrows the table, the category select and sorting
work, and no script error is logged."""

from __future__ import annotations

import pytest

from tests.browser import launched, needs_chromium, watched_page
from tests.output_fixtures import build_output_db
from tuscan.report import write_report

pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    with launched(sync_api) as b:
        yield b


@pytest.fixture
def page(browser):
    pg = watched_page(browser)
    yield pg
    pg.context.close()


@pytest.fixture(scope="module")
def report_url(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("browser-report")
    db = build_output_db(folder / "inventory.duckdb")
    out = folder / "report.html"
    write_report(db, html=out)
    return out.as_uri()


ROWS = "#systems-table tbody tr"


def visible_names(page) -> list[str]:
    return page.locator(ROWS).evaluate_all("rows => rows.filter(r => !r.hidden).map(r => r.cells[0].textContent)")


def test_filter_narrows_rows_without_script_errors(page, report_url):
    expect = sync_api.expect
    page.goto(report_url)
    assert len(visible_names(page)) == 9
    page.locator("#system-filter").fill("korsbæk")
    expect(page.locator("[data-count-for=systems-table]")).to_have_text("4")
    assert sorted(visible_names(page)) == [
        "Korsbæk Booking", "Korsbæk Byggesag", "Korsbæk Kolonihaver", "Korsbæk Parkering"]
    page.locator("#category-filter").select_option("own")
    expect(page.locator("[data-count-for=systems-table]")).to_have_text("3")
    page.locator("#system-filter").fill("")
    assert len(visible_names(page)) == 3          # the category filter still applies
    page.locator("#category-filter").select_option("")
    assert len(visible_names(page)) == 9
    # The hostile file name stayed text: nothing ran, no image element was made.
    assert page.locator("img").count() == 0
    assert page.errors == []


def test_sorting_and_filter_link(page, report_url):
    page.goto(report_url + "#filter=aula")
    assert visible_names(page) == ["Aula"]
    page.goto("about:blank")      # a new document (a hash-only change would not load the page again)
    page.goto(report_url)
    header = page.locator("#systems-table thead th").first
    header.click()
    names = visible_names(page)
    assert names == sorted(names, key=lambda n: n.casefold().replace("æ", "{").replace("ø", "|"))
    assert names[0] == "Aula"
    header.click()
    assert visible_names(page)[0] == "Social Pension"
    assert page.errors == []
