"""Storing a crawl: the spider's JSON lines → web_* tables; the documents it saved → a list to scan.

Runs in the one writer process (the crawl subprocess never touches the database). A crawl is a run
of kind 'crawl' (tuscan.runs): `begin_crawl` records it before the spider starts, so a crawl that
is killed shows as interrupted; `load_crawl` stores what the spider wrote and finishes the run. The
documents the spider saved are read by the archive scanner, with its workers and limits, as
`SavedDocument`s keyed by web origin and URL path (`document_key`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

from tuscan.db import insert_rows, transaction
from tuscan.runs import finish_run, start_run
from tuscan.web.hosts import host_of, site_domain


@dataclass(frozen=True)
class SavedDocument:
    """A document the spider downloaded, as the scanner stores it: under its web origin and URL path,
    with the page that linked it as its origin."""

    root: str
    path: str
    cache_path: str
    page_url: str


@dataclass
class CrawlSummary:
    run_id: int
    start_url: str
    pages: int = 0
    page_errors: int = 0
    links: int = 0
    targets: int = 0                 # distinct link targets
    verified_logins: int = 0
    not_checked: int = 0             # unreachable, timed out or forbidden by robots.txt
    documents_saved: int = 0
    documents_skipped: dict[str, int] = field(default_factory=dict)   # status → count
    documents_scanned: int = 0
    documents_gone: int = 0          # stored by an earlier crawl, no longer linked: marked missing
    exit_code: int | None = None
    saved: list[SavedDocument] = field(default_factory=list)   # downloaded documents, for the scanner

    def as_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in ("run_id", "start_url", "saved")}


def read_items(path: str | os.PathLike) -> Iterator[dict]:
    """The spider's records. A half-written last line (a killed crawl) is skipped."""
    try:
        fh = open(path, encoding="utf-8")
    except FileNotFoundError:
        return
    with fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except ValueError:
                continue


def allowed_domains_for(start_url: str, extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The domains a crawl of start_url stays within (the spider computes the same)."""
    return list(dict.fromkeys([site_domain(start_url), *(d.strip().lower() for d in extra if d.strip())]))


def begin_crawl(con: duckdb.DuckDBPyConnection, start_url: str, *, allow_domains: list[str] | tuple[str, ...] = (),
                max_pages: int, max_depth: int, documents: bool) -> int:
    """Record a crawl run as started; returns its run id."""
    domains = allowed_domains_for(start_url, allow_domains)
    run_id = start_run(con, "crawl", {"start_url": start_url, "allowed_domains": domains, "max_pages": max_pages,
                                      "max_depth": max_depth, "documents": documents})
    con.execute(
        "INSERT INTO web_crawls (run_id, start_url, allowed_domains, max_pages, max_depth, documents)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [run_id, start_url, domains, max_pages, max_depth, documents],
    )
    return run_id


def load_items(con: duckdb.DuckDBPyConnection, run_id: int, start_url: str, items_path: str | os.PathLike
               ) -> tuple[CrawlSummary, list[dict]]:
    """Store the spider's records for one run, in one transaction. Returns the summary and the
    saved documents (for `scan_documents`)."""
    pages, verifications, errors, documents = [], [], [], []
    best_links: dict[tuple[str, str], tuple] = {}  # (target, text) -> row
    for item in read_items(items_path):
        kind = item.get("item")
        if kind == "PageItem":
            pages.append((run_id, item["url"], item["depth"], item["status"], item["content_type"], item["title"],
                          item["referer"]))
        elif kind == "LinkItem":
            # The spider reports a link again when it finds it on a better page (see
            # MunicipalitySpider.candidate_link): keep the shallowest page, then the first by URL.
            key = (item["target_url"], item["link_text"])
            row = (run_id, item["page_url"], item["link_text"], item["target_url"], item["target_host"],
                   item["on_site"], item["reason"], item["depth"])
            best = best_links.get(key)
            if best is None or (row[7], row[1]) < (best[7], best[1]):
                best_links[key] = row
        elif kind == "VerificationItem":
            verifications.append((run_id, item["target_url"], item["target_host"], item["status"],
                                  item["http_status"], item["login_verified"], item["evidence"], item["error"]))
        elif kind == "PageErrorItem":
            errors.append((run_id, item["url"], item["referer"], item["error"], item["http_status"]))
        elif kind == "DocumentItem":
            documents.append(item)
    links = list(best_links.values())
    summary = CrawlSummary(run_id, start_url, pages=len(pages), page_errors=len(errors), links=len(links),
                           targets=len({row[3] for row in links}),
                           verified_logins=sum(1 for v in verifications if v[5]),
                           not_checked=sum(1 for v in verifications if v[5] is None))
    for doc in documents:
        if doc["status"] == "saved":
            summary.documents_saved += 1
        else:
            summary.documents_skipped[doc["status"]] = summary.documents_skipped.get(doc["status"], 0) + 1
    with transaction(con):
        insert_rows(con, "web_pages", ["run_id", "url", "depth", "http_status", "content_type", "title", "referer"],
                    pages)
        insert_rows(con, "web_links", ["run_id", "page_url", "link_text", "target_url", "target_host", "on_site",
                                       "reason", "depth"], links)
        insert_rows(con, "web_verifications", ["run_id", "target_url", "target_host", "status", "http_status",
                                               "login_verified", "evidence", "error"], verifications)
        insert_rows(con, "web_errors", ["run_id", "url", "referer", "error", "http_status"], errors)
        insert_rows(con, "web_documents", ["run_id", "url", "page_url", "status", "content_type", "size",
                                           "cache_path", "error"],
                    [(run_id, d["url"], d["page_url"], d["status"], d["content_type"], d["size"], d["path"],
                      d["error"]) for d in documents])
    return summary, [d for d in documents if d["status"] == "saved"]


def document_key(url: str) -> tuple[str, str]:
    """(root, path) of a web document in the documents table: the web origin ('http://www.korsbaek.dk')
    and the URL's path (and query)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}", parts.path + (f"?{parts.query}" if parts.query else "")


def saved_documents(documents: list[dict]) -> list[SavedDocument]:
    """The spider's saved documents whose file is still in the cache."""
    found = []
    for doc in documents:
        if doc.get("path") and Path(doc["path"]).is_file():
            root, path = document_key(doc["url"])
            found.append(SavedDocument(root, path, doc["path"], doc["page_url"]))
    return found


def mark_gone_documents(con: duckdb.DuckDBPyConnection, run_id: int, allowed_domains: list[str],
                        linked_urls: list[str]) -> int:
    """Documents that earlier crawls stored from these sites and this crawl found no link to any
    more: marked missing (kept, with their evidence, as archive files that disappear are). Call only
    for a crawl that fetched documents and visited the whole site (not cut short by its page limit
    or an error), or documents on pages it never reached would be marked too. Returns how many."""
    linked = {document_key(url) for url in linked_urls}
    roots = [root for (root,) in con.execute(
        "SELECT DISTINCT root FROM documents WHERE root LIKE 'http%' AND missing_since_run IS NULL").fetchall()
        if any(host_of(root) == d or host_of(root).endswith("." + d) for d in allowed_domains)]
    if not roots:
        return 0
    gone = [(root, path) for root, path, container in con.execute(
        "SELECT root, path, container FROM documents WHERE root IN (SELECT unnest(?))"
        " AND missing_since_run IS NULL AND last_seen_run < ?", [roots, run_id]).fetchall()
        if (root, path) not in linked and (root, container) not in linked]
    for root in sorted({root for root, _ in gone}):
        con.execute("UPDATE documents SET missing_since_run = ? WHERE root = ? AND path IN (SELECT unnest(?))",
                    [run_id, root, [path for r, path in gone if r == root]])
    return len(gone)


def mark_gone_after(con: duckdb.DuckDBPyConnection, summary: CrawlSummary) -> None:
    """After a complete crawl that fetched documents, mark those no longer linked as missing."""
    max_pages, domains = con.execute("SELECT max_pages, allowed_domains FROM web_crawls WHERE run_id = ?",
                                     [summary.run_id]).fetchone()
    if summary.exit_code != 0 or summary.pages >= max_pages:
        return   # cut short: pages it did not reach may still link their documents
    urls = [url for (url,) in con.execute("SELECT url FROM web_documents WHERE run_id = ?",
                                          [summary.run_id]).fetchall()]
    with transaction(con):
        summary.documents_gone = mark_gone_documents(con, summary.run_id, list(domains), urls)


def finish_crawl(con: duckdb.DuckDBPyConnection, summary: CrawlSummary, *, error: str | None = None) -> None:
    con.execute("UPDATE web_crawls SET exit_code = ? WHERE run_id = ?", [summary.exit_code, summary.run_id])
    finish_run(con, summary.run_id, "failed" if error else "finished", summary=summary.as_json(), error=error)
