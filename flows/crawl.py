"""Crawl: the municipality's website → self-service links, verified logins, linked documents — the
steps of `tuscan crawl` (`tuscan.steps.crawl`), each as a Prefect task: crawl the site (network
I/O, retried on its own), scan the documents it saved, search stored text again, classify."""

from __future__ import annotations

from prefect import flow

from flows.steps import run_as_tasks
from flows.summary import publish
from tuscan import db as database
from tuscan import steps
from tuscan.archive.load import ScanOptions
from tuscan.pipeline import ConfigError, load_config
from tuscan.web.crawl import DEFAULT_DOCUMENT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_PAGES


@flow(name="crawl", log_prints=True)
def crawl_flow(start_url: str | None = None, db: str | None = None, max_pages: int = DEFAULT_MAX_PAGES,
               max_depth: int = DEFAULT_MAX_DEPTH, allow_domains: list[str] | None = None, documents: bool = False,
               contact: str | None = None, settings: dict | None = None, wait: float = 0,
               show_progress: bool = False, document_max_bytes: int = DEFAULT_DOCUMENT_MAX_BYTES,
               config: str | None = None) -> dict:
    """Crawl a municipality's website for self-service logins and classify what it finds.
    `config`: the municipality's tuscan.toml, for the inventory and its [website] unless given."""
    municipality = load_config(config) if config else None
    db = db or (str(municipality.db) if municipality else database.DEFAULT_DB)
    site = municipality.website if municipality else None
    if start_url is None and site is not None:
        start_url, documents = site.url, site.documents or documents
        max_pages, max_depth = site.max_pages or max_pages, site.max_depth or max_depth
        allow_domains = allow_domains or list(site.allow_domains)
    if not start_url:
        raise ConfigError("no website: give start_url, or a config with [website]")
    options = steps.CrawlOptions(max_pages=max_pages, max_depth=max_depth, allow_domains=tuple(allow_domains or ()),
                                 documents=documents, document_max_bytes=document_max_bytes, contact=contact,
                                 settings=tuple((settings or {}).items()), show_progress=show_progress)
    results = run_as_tasks(steps.crawl(start_url, db, options, ScanOptions(wait=wait)))
    summary = results["crawl-website"]
    print(f"Crawled {summary.pages} page(s): {summary.links} self-service link(s), {summary.verified_logins}"
          f" verified login(s)")
    publish(db)
    return {"run_id": summary.run_id, **summary.as_json()}
