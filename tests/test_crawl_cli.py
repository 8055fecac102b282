"""`tuscan crawl`: the command against the fixture site (and the Prefect flow, once)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.webfixture.proxy import proxied
from tests.webfixture.site import START_URL, build_site
from tuscan import db
from tuscan.cli import main

FAST = ["--scrapy-setting", "DOWNLOAD_DELAY=0", "--scrapy-setting", "AUTOTHROTTLE_ENABLED=false",
        "--scrapy-setting", "DOWNLOAD_TIMEOUT=2.5", "--scrapy-setting", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def test_crawl_command_shows_a_summary(tmp_path):
    path = tmp_path / "inventory.duckdb"
    with proxied(build_site()):
        result = CliRunner().invoke(main, ["crawl", START_URL, "--max-pages", "30", "--max-depth", "3",
                                           "--no-prefect", "--db", str(path), *FAST])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Crawl run 1 of http://www.korsbaek.dk/: finished" in out
    assert "verified NemLog-in/MitID logins: 8" in out
    assert "RenoWeb" in out and "selvbetjening.korsbaek.dk" in out
    assert "http://tid.korsbaek-booking.dk/borgerservice:" in out          # the slow host, listed
    assert "pages " in out                                                 # the progress line (stderr)
    with db.reading(path) as con:
        assert con.execute("SELECT count(*) FROM web_findings").fetchone()[0] > 10


def test_crawl_rejects_a_non_http_url(tmp_path):
    result = CliRunner().invoke(main, ["crawl", "www.korsbaek.dk", "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 2 and "expected an http:// or https:// URL" in result.output


def test_crawl_help_has_an_example():
    result = CliRunner().invoke(main, ["crawl", "--help"])
    assert "Example:" in result.output and "tuscan crawl https://" in result.output


@pytest.mark.slow
def test_crawl_flow_under_prefect(prefect_harness, tmp_path):
    from flows.crawl import crawl_flow

    path = tmp_path / "inventory.duckdb"
    settings = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": "false", "DOWNLOAD_TIMEOUT": 2.5}
    with proxied(build_site(), no_proxy="127.0.0.1,localhost"):
        result = crawl_flow(START_URL, db=str(path), max_pages=10, max_depth=1, settings=settings)
    assert result["exit_code"] == 0 and result["pages"] == 10
