"""The crawler end to end against the Korsbæk fixture site (tests/webfixture), served by a proxy on
127.0.0.1 that answers by host name: systems and categories, robots.txt, the one-hop rule, page and
depth limits, unreachable and slow hosts, and linked documents."""

from __future__ import annotations

import pytest

from tests.webfixture.proxy import proxied
from tests.webfixture.site import (
    DEAD_HOST,
    DOCUMENT_CAP,
    EXPECTED_SYSTEMS,
    NEWS_HOST,
    SITE,
    SLOW_HOST,
    START_URL,
    build_site,
)
from tuscan import db, steps
from tuscan.archive.load import ScanOptions
from tuscan.web.crawl import run_crawl

# No delays in tests; a slow host is one that takes longer than a second.
FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": "false", "DOWNLOAD_TIMEOUT": 2.5,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "LOG_LEVEL": "INFO"}
VERIFIED_HOSTS = {"korsbaek.renoweb.dk", "www.bygogmiljoe.dk", "www.netforvaltning.dk", "www.borger.dk", "virk.dk",
                  "www.mit.dk", "korsbaek.emply.net", "korsbaek.valghalla.dk", "selvbetjening.korsbaek.dk",
                  SLOW_HOST, DEAD_HOST}



@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """One full crawl with --documents; (database path, proxy, summary)."""
    path = tmp_path_factory.mktemp("crawl") / "inventory.duckdb"
    with proxied(build_site()) as proxy:
        options = steps.CrawlOptions(max_pages=50, max_depth=3, documents=True, document_max_bytes=DOCUMENT_CAP,
                                     settings=tuple(FAST.items()))
        summary = steps.run_steps(steps.crawl(START_URL, str(path), options, ScanOptions()))["crawl-website"]
    return path, proxy, summary


def query(path, sql, params=()):
    with db.reading(path) as con:
        return con.execute(sql, list(params)).fetchall()


def test_crawl_finishes_and_records_a_run(crawled):
    path, _proxy, summary = crawled
    assert summary.exit_code == 0
    assert query(path, "SELECT kind, status FROM runs WHERE run_id = ?", [summary.run_id]) == [("crawl", "finished")]
    assert summary.pages == len(query(path, "SELECT * FROM web_pages WHERE run_id = ?", [summary.run_id]))
    assert summary.pages >= 15


def test_expected_systems_and_categories(crawled):
    path, _proxy, _summary = crawled
    found = dict(query(path, "SELECT DISTINCT system, category FROM web_findings WHERE system IS NOT NULL"))
    assert found == EXPECTED_SYSTEMS
    reasons = dict(query(path, "SELECT system, reason FROM inventory"))
    assert "own domain" in reasons["selvbetjening.korsbaek.dk"]
    danish = dict(query(path, "SELECT system, reason_da FROM inventory"))
    assert danish["selvbetjening.korsbaek.dk"].startswith(
        "Ingen match på KL's lister; NemLog-in/MitID-login på kommunens eget domæne på "
        "http://selvbetjening.korsbaek.dk/parkering/ (viderestiller til NemLog-in (login.nemlog-in.dk)); linket som")


def test_web_evidence_reads_in_danish(crawled):
    """Every web evidence detail is recognised as a code with values (tuscan.reasons), so the Danish
    pages quote it in Danish."""
    from tests.test_reasons import assert_danish
    from tuscan.reasons import evidence_reason

    path, _proxy, _summary = crawled
    rows = query(path, "SELECT kind, detail, detail_da FROM evidence WHERE source_kind = 'web'")
    assert rows
    for kind, detail, detail_da in rows:
        assert evidence_reason(kind, detail)["code"] != "text", detail
        assert_danish(detail_da)
        assert "login found" not in detail_da and "redirects to" not in detail_da


def test_verified_logins(crawled):
    path, _proxy, _summary = crawled
    verified = dict(query(path, "SELECT target_host, login_verified FROM web_verifications"))
    assert verified == {
        "korsbaek.renoweb.dk": True,       # redirect to NemLog-in
        "www.bygogmiljoe.dk": True,        # "Log ind med MitID" button
        "www.netforvaltning.dk": True,     # SAML AuthnRequest form
        "www.borger.dk": True,             # "Log på" link to NemLog-in
        "virk.dk": True,
        "www.mit.dk": True,
        "korsbaek.valghalla.dk": True,
        "selvbetjening.korsbaek.dk": True,
        "korsbaek.emply.net": False,       # a job list, no login
        SITE: False,                       # the information page about MitID, the Selvbetjening hub
        SLOW_HOST: None,                   # timed out: recorded, not checked
        DEAD_HOST: None,                   # unreachable: recorded, not checked
    }
    info = query(path, "SELECT login_verified, evidence FROM web_verifications WHERE target_url = ?",
                 [f"http://{SITE}/borger/mitid-og-digital-post/"])
    assert info == [(False, "mentions MitID/NemID but offers no login (an information page)")]


def test_web_findings_columns_and_rows(crawled):
    path, _proxy, _summary = crawled
    with db.reading(path) as con:
        cols = [d[0] for d in con.execute("SELECT * FROM web_findings LIMIT 0").description]
    assert {"page_url", "link_text", "target_url", "target_host", "login_verified", "system"} <= set(cols)
    rows = query(path, "SELECT page_url, link_text, target_host, login_verified FROM web_findings"
                       " WHERE target_host = 'korsbaek.renoweb.dk' ORDER BY page_url")
    assert rows == [(f"http://{SITE}/borger/affald/", "Bestil storskrald", "korsbaek.renoweb.dk", True)]
    # The identity provider's own site is recorded as a link but is no system and is never requested.
    assert query(path, "SELECT system, login_verified FROM web_findings WHERE target_host = 'www.mitid.dk'") == [
        (None, None)]


def test_robots_disallowed_section_is_not_crawled(crawled):
    path, proxy, _summary = crawled
    assert not [p for p in proxy.paths(SITE) if p.startswith("/intern/")]
    assert "/robots.txt" in proxy.paths(SITE)
    assert query(path, "SELECT error FROM web_errors WHERE url = ?", [f"http://{SITE}/intern/"]) == [
        ("forbidden by robots.txt",)]
    assert not query(path, "SELECT * FROM web_links WHERE target_host = 'intra.korsbaek.dk'")


def test_off_site_hosts_get_one_request_only(crawled):
    _path, proxy, _summary = crawled
    hosts = {s.host for s in proxy.requests}
    assert hosts - {SITE} == VERIFIED_HOSTS
    for host in VERIFIED_HOSTS:
        paths = [p for p in proxy.paths(host) if p != "/robots.txt"]
        assert len(paths) == 1, (host, paths)
    # Never followed: redirects to NemLog-in, the news site, the MitID information site, https links.
    for host in ("login.nemlog-in.dk", "nemlog-in.mitid.dk", NEWS_HOST, "www.mitid.dk", "www.facebook.com"):
        assert host not in hosts
    assert [s.host for s in proxy.refused] == [DEAD_HOST]   # nothing else reached the proxy unexpectedly
    assert all(s.user_agent.startswith("tuscan/") for s in proxy.requests)


def test_unreachable_and_slow_hosts_are_recorded(crawled):
    path, _proxy, summary = crawled
    rows = dict(query(path, "SELECT target_host, error FROM web_verifications WHERE status = 'error'"))
    assert set(rows) == {SLOW_HOST, DEAD_HOST}
    assert rows[DEAD_HOST] == "HTTP 502"
    assert "timeout" in rows[SLOW_HOST].lower() or "took longer" in rows[SLOW_HOST].lower()
    assert summary.not_checked == 2


def test_documents_downloaded_scanned_and_oversized_skipped(crawled):
    path, _proxy, summary = crawled
    docs = dict(query(path, "SELECT url, status FROM web_documents"))
    base = f"http://{SITE}/filer/udbud/"
    assert docs == {base + "kontrakt-parkering.pdf": "saved", base + "bilag-1-kravspecifikation.docx": "saved",
                    base + "tegninger.pdf": "too_large", base + "prisliste.pdf": "wrong_type"}
    assert summary.documents_scanned == 2
    findings = {r[0]: r[1:] for r in query(
        path, "SELECT d.path, d.root, d.origin, c.status FROM documents d JOIN contents c USING (sha256)")}
    assert set(findings) == {"/filer/udbud/kontrakt-parkering.pdf", "/filer/udbud/bilag-1-kravspecifikation.docx"}
    for root, origin, status in findings.values():
        assert (root, origin, status) == (f"http://{SITE}", f"http://{SITE}/erhverv/udbud/", "ok")
    terms = {r[0] for r in query(path, "SELECT DISTINCT term FROM hits")}
    assert {"mitid", "nemlog-in"} & terms and {"medarbejdersignatur", "mitid erhverv"} & terms, terms
    # The oversized file was not written to the cache.
    assert not [p for p in (path.parent / (path.name + ".webcache") / "documents").iterdir() if "tegninger" in p.name]


def test_page_limit_holds(tmp_path):
    path = tmp_path / "inventory.duckdb"
    with proxied(build_site()) as proxy:
        summary = run_crawl(START_URL, str(path), max_pages=4, max_depth=5, settings=FAST)
    assert summary.pages == 4
    # Beyond the 4 pages, the site only saw the one-hop checks of candidate links (not crawled).
    checked = {r[0] for r in query(path, "SELECT target_url FROM web_verifications WHERE target_host = ?", [SITE])}
    crawled_pages = {r[0] for r in query(path, "SELECT url FROM web_pages")}
    requested = [f"http://{SITE}{p}" for p in proxy.paths(SITE) if p != "/robots.txt"]
    assert set(requested) <= crawled_pages | checked
    assert len(requested) == len(set(requested))


def test_depth_limit_holds(tmp_path):
    path = tmp_path / "inventory.duckdb"
    with proxied(build_site()) as proxy:
        run_crawl(START_URL, str(path), max_pages=100, max_depth=2, settings=FAST)
    depths = dict(query(path, "SELECT url, depth FROM web_pages"))
    assert max(depths.values()) == 2
    assert f"http://{SITE}/nyheder/arkiv/1/" in depths            # depth 2
    assert "/nyheder/arkiv/2/" not in proxy.paths(SITE)            # depth 3


@pytest.mark.parametrize("order, reports", [([0, 1, 2, 3], 3), ([3, 2, 1, 0], 2), ([2, 3, 0, 1], 1)])
def test_a_repeated_link_is_reported_until_its_best_page_is_seen(order, reports):
    """Pages arrive in any order; what the spider last reports for a link is its shallowest page,
    then the first by URL, and a worse page reports nothing."""
    from scrapy import Selector

    from spiders.municipality import MunicipalitySpider

    spider = MunicipalitySpider(START_URL)
    target = "http://korsbaek.renoweb.dk/Legacy/selvbetjening/mit_affald.aspx"
    anchor = Selector(text=f'<a href="{target}">Bestil  storskrald</a>').css("a")[0]
    pages = [(f"http://{SITE}/nyheder/2024/", 3), (f"http://{SITE}/selvbetjening/", 1),
             (f"http://{SITE}/borger/affald/", 1), (f"http://{SITE}/borger/", 2)]
    found = [spider.candidate_link(page, anchor, target, "korsbaek.renoweb.dk", False, depth)
             for page, depth in (pages[i] for i in order)]
    reported = [r for r in found if r]
    assert len(reported) == reports
    assert (reported[-1].page_url, reported[-1].depth, reported[-1].link_text) == (
        f"http://{SITE}/borger/affald/", 1, "Bestil storskrald")
    assert all((r.depth, r.page_url) > (1, f"http://{SITE}/borger/affald/") for r in reported[:-1])
