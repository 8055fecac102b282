"""Loading the spider's JSON lines (`tuscan.web.load`) and turning links into candidates
(`tuscan.web.candidates`), without running Scrapy."""

from __future__ import annotations

import json

from tuscan import db
from tuscan.candidates import COMMON_PUBLIC_SIGNAL, LOGIN_PAGE, MENTION, OWN_DOMAIN_LOGIN
from tuscan.runs import finish_run
from tuscan.web.candidates import own_system_name, web_candidates
from tuscan.web.load import begin_crawl, finish_crawl, load_items

START = "https://www.korsbaek.dk/"


def link(page, text, target, host, on_site=False):
    return {"item": "LinkItem", "page_url": page, "link_text": text, "target_url": target, "target_host": host,
            "on_site": on_site, "reason": "text", "depth": 1}


def checked(target, host, login, evidence="x"):
    return {"item": "VerificationItem", "target_url": target, "target_host": host, "status": "checked",
            "http_status": 200, "login_verified": login, "evidence": evidence, "error": None}


ITEMS = [
    {"item": "PageItem", "url": START, "depth": 0, "status": 200, "content_type": "text/html", "title": "Forside",
     "referer": None},
    link(START, "Bestil storskrald", "https://korsbaek.renoweb.dk/a", "korsbaek.renoweb.dk"),
    link(START + "affald/", "Storskrald", "https://korsbaek.renoweb.dk/b", "korsbaek.renoweb.dk"),
    checked("https://korsbaek.renoweb.dk/a", "korsbaek.renoweb.dk", True, "redirects to NemLog-in"),
    checked("https://korsbaek.renoweb.dk/b", "korsbaek.renoweb.dk", False),
    link(START, "Ansøg om beboerlicens", "https://selvbetjening.korsbaek.dk/p", "selvbetjening.korsbaek.dk", True),
    checked("https://selvbetjening.korsbaek.dk/p", "selvbetjening.korsbaek.dk", True),
    link(START, "Min side", "https://www.korsbaek.dk/minside/login", "www.korsbaek.dk", True),
    checked("https://www.korsbaek.dk/minside/login", "www.korsbaek.dk", True),
    link(START, "Selvbetjening", "https://www.korsbaek.dk/selvbetjening/", "www.korsbaek.dk", True),
    checked("https://www.korsbaek.dk/selvbetjening/", "www.korsbaek.dk", False),
    link(START, "borger.dk", "https://www.borger.dk/", "www.borger.dk"),
    checked("https://www.borger.dk/", "www.borger.dk", False),
    link(START, "Book tid", "https://booking.example.dk/", "booking.example.dk"),
    checked("https://booking.example.dk/", "booking.example.dk", False),
    link(START, "Læs om MitID", "https://www.mitid.dk/", "www.mitid.dk"),
]


def write_items(path, items, torn_tail=False):
    text = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items)
    if torn_tail:
        text += '{"item": "LinkItem", "page_url": "htt'      # a crawl killed mid-line
    path.write_text(text, encoding="utf-8")


def loaded(tmp_path, items=ITEMS, torn_tail=False):
    out = tmp_path / "crawl.jsonl"
    write_items(out, items, torn_tail)
    path = tmp_path / "inventory.duckdb"
    with db.writing(path) as con:
        run_id = begin_crawl(con, START, max_pages=10, max_depth=2, documents=False)
        summary, saved = load_items(con, run_id, START, out)
        summary.exit_code = 0
        finish_crawl(con, summary)
    return path, summary


def test_load_counts_and_torn_last_line(tmp_path):
    path, summary = loaded(tmp_path, torn_tail=True)
    assert (summary.pages, summary.links, summary.targets, summary.verified_logins) == (1, 8, 8, 3)
    with db.reading(path) as con:
        assert con.execute("SELECT count(*) FROM web_links").fetchone()[0] == 8
        assert con.execute("SELECT kind, status FROM runs").fetchall() == [("crawl", "finished")]
        assert con.execute("SELECT allowed_domains FROM web_crawls").fetchone()[0] == ["korsbaek.dk"]


def test_candidates_from_links(tmp_path):
    path, _ = loaded(tmp_path)
    with db.reading(path) as con:
        candidates = {c.name: c for c in web_candidates(con)}
    assert set(candidates) == {"RenoWeb", "selvbetjening.korsbaek.dk", "korsbaek.dk/minside", "Borger.dk"}
    renoweb = candidates["RenoWeb"]
    assert sorted(e.kind for e in renoweb.evidence) == [LOGIN_PAGE, MENTION]
    login = next(e for e in renoweb.evidence if e.kind == LOGIN_PAGE)
    assert (login.source_kind, login.source_ref, login.term, login.snippet) == (
        "web", START, "https://korsbaek.renoweb.dk/a", "Bestil storskrald")
    assert [e.kind for e in candidates["selvbetjening.korsbaek.dk"].evidence] == [OWN_DOMAIN_LOGIN]
    assert [e.kind for e in candidates["korsbaek.dk/minside"].evidence] == [OWN_DOMAIN_LOGIN]
    # A national solution: the owner signal makes it common public, whatever the login check said.
    assert [e.kind for e in candidates["Borger.dk"].evidence] == [COMMON_PUBLIC_SIGNAL, MENTION]


def test_only_the_latest_finished_crawl_counts(tmp_path):
    path, _ = loaded(tmp_path)
    with db.writing(path) as con:
        run_id = begin_crawl(con, START, max_pages=10, max_depth=2, documents=False)
        finish_run(con, run_id, "failed", error="boom")         # a failed re-crawl changes nothing
        assert len(list(web_candidates(con))) == 4
        out = tmp_path / "second.jsonl"
        write_items(out, ITEMS[:4])
        summary, _ = load_items(con, (run2 := begin_crawl(con, START, max_pages=10, max_depth=2, documents=False)),
                                START, out)
        summary.exit_code = 0
        finish_crawl(con, summary)
        assert [c.name for c in web_candidates(con)] == ["RenoWeb"]
        assert con.execute("SELECT DISTINCT run_id FROM web_findings").fetchall() == [(run2,)]


def test_a_link_on_several_pages_is_stored_once_on_the_shallowest_then_first_page(tmp_path):
    target, host = "https://korsbaek.renoweb.dk/a", "korsbaek.renoweb.dk"
    found_on = [(START + "nyheder/2024/", 3), (START + "selvbetjening/", 1), (START + "borger/affald/", 1),
                (START + "borger/", 2)]
    reports = [dict(link(page, "Bestil storskrald", target, host), depth=depth) for page, depth in found_on]
    first = loaded(tmp_path, [ITEMS[0], *reports])
    reports.reverse()
    (tmp_path / "again").mkdir()
    second = loaded(tmp_path / "again", [ITEMS[0], *reports])
    for path, summary in (first, second):
        assert (summary.links, summary.targets) == (1, 1)
        with db.reading(path) as con:
            assert con.execute("SELECT page_url, depth FROM web_links").fetchall() == [(START + "borger/affald/", 1)]


def test_own_system_names():
    starts = ["https://www.korsbaek.dk/"]
    assert own_system_name("https://www.korsbaek.dk/minside/login", starts) == "korsbaek.dk/minside"
    assert own_system_name("https://www.korsbaek.dk/", starts) == "korsbaek.dk"
    assert own_system_name("https://selvbetjening.korsbaek.dk/p/q", starts) == "selvbetjening.korsbaek.dk"


def test_documents_no_longer_linked_are_marked_missing_after_a_complete_crawl(tmp_path):
    from tuscan import steps
    from tuscan.archive.load import ScanOptions
    from tuscan.web.crawl import load_crawl, prepare_crawl

    cache = tmp_path / "cache"
    cache.mkdir()
    db_path = tmp_path / "inventory.duckdb"

    def document(name, status="saved"):
        path = cache / name
        path.write_text(f"Borgerne logger ind med MitID i {name}.", "utf-8")
        return {"item": "DocumentItem", "url": f"https://www.korsbaek.dk/filer/{name}", "page_url": START,
                "status": status, "content_type": "text/plain", "size": path.stat().st_size,
                "path": str(path) if status == "saved" else None, "error": None}

    def crawl(docs, pages=1, max_pages=10):
        run_id, out, log = prepare_crawl(db_path, START, max_pages=max_pages, documents=True)
        page = {"item": "PageItem", "url": START, "depth": 0, "status": 200, "content_type": "text/html",
                "title": "Forside", "referer": None}
        write_items(out, [page] * pages + docs)
        log.write_text("", "utf-8")
        summary = load_crawl(db_path, run_id, START, out, 0, log, documents=True)
        steps.scan_saved_documents(summary, db_path, ScanOptions(runner="inline"))
        return summary

    def statuses():
        with db.reading(db_path) as con:
            return dict(con.execute("SELECT path, status FROM document_findings").fetchall())

    crawl([document("a.txt"), document("b.txt"), document("c.txt")])
    assert statuses() == {"/filer/a.txt": "ok", "/filer/b.txt": "ok", "/filer/c.txt": "ok"}

    # Cut short by its page limit: documents on pages it did not reach are not marked.
    cut = crawl([document("a.txt")], pages=3, max_pages=3)
    assert cut.documents_gone == 0 and set(statuses().values()) == {"ok"}

    # Complete: b is linked no more; c is linked but was not downloaded this time (too large).
    done = crawl([document("a.txt"), document("c.txt", status="too_large")])
    assert done.documents_gone == 1
    assert statuses() == {"/filer/a.txt": "ok", "/filer/b.txt": "missing", "/filer/c.txt": "ok"}

    # Linked again: no longer missing.
    crawl([document("a.txt"), document("b.txt")])
    assert statuses()["/filer/b.txt"] == "ok"
