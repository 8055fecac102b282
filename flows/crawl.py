"""Crawl: the municipality's website → self-service links, verified logins, linked documents.

A thin flow over the plain functions in `tuscan.web.crawl`: record the run, run the Scrapy spider
in a subprocess (network I/O, its own task so it can be retried on its own), then store, scan the
linked documents and classify (the one writer).
"""

from __future__ import annotations

from prefect import flow, task

from tuscan import db as database
from tuscan.web.crawl import (
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_PAGES,
    CrawlProgressLine,
    cache_dir,
    load_crawl,
    prepare_crawl,
    run_spider,
    spider_command,
)


@task(name="begin-crawl")
def begin_crawl_task(db: str, start_url: str, allow_domains: list[str], max_pages: int, max_depth: int,
                     documents: bool, wait: float):
    return prepare_crawl(db, start_url, allow_domains=allow_domains, max_pages=max_pages, max_depth=max_depth,
                         documents=documents, wait=wait)


@task(name="crawl-site")
def crawl_site_task(cmd: list[str], out: str, log: str, show_progress: bool = False) -> int:
    """Run the spider subprocess; returns its exit code."""
    progress = CrawlProgressLine() if show_progress else None
    exit_code = run_spider(cmd, out, log, progress)
    if progress:
        progress.done()
    return exit_code


@task(name="load-crawl")
def load_crawl_task(db: str, run_id: int, start_url: str, out: str, exit_code: int, log: str, documents: bool,
                    wait: float):
    """Store the crawl's records, scan linked documents, classify."""
    return load_crawl(db, run_id, start_url, out, exit_code, log, documents=documents, wait=wait)


@flow(name="crawl", log_prints=True)
def crawl_flow(start_url: str, db: str = database.DEFAULT_DB, max_pages: int = DEFAULT_MAX_PAGES,
               max_depth: int = DEFAULT_MAX_DEPTH, allow_domains: list[str] | None = None, documents: bool = False,
               contact: str | None = None, settings: dict | None = None, wait: float = 0,
               show_progress: bool = False) -> dict:
    """Crawl a municipality's website for self-service logins and classify what it finds."""
    allow = list(allow_domains or [])
    run_id, out, log = begin_crawl_task(db, start_url, allow, max_pages, max_depth, documents, wait)
    cmd = spider_command(start_url, out, max_pages=max_pages, max_depth=max_depth, allow_domains=allow,
                         documents=documents, document_dir=cache_dir(db) / "documents", contact=contact,
                         settings=settings)
    exit_code = crawl_site_task(cmd, str(out), str(log), show_progress)
    summary = load_crawl_task(db, run_id, start_url, str(out), exit_code, str(log), documents, wait)
    return {"run_id": summary.run_id, **summary.as_json()}
