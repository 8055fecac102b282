"""`tuscan crawl`: the municipality's website → self-service links, verified logins, systems."""

from __future__ import annotations

import click

from tuscan import db as database
from tuscan.cli import main
from tuscan.cli.options import db_option, wait_option
from tuscan.cli.tracking import prefect_option, use_prefect
from tuscan.steps import run_steps


def _settings(pairs: tuple[str, ...]) -> dict:
    settings = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise click.BadParameter(f"{pair}: expected NAME=VALUE", param_hint="--scrapy-setting")
        settings[name.strip()] = value
    return settings


@main.command()
@click.argument("url")
@click.option("--max-pages", type=click.IntRange(1), default=200, show_default=True,
              help="Crawl at most this many pages of the site.")
@click.option("--max-depth", type=click.IntRange(0), default=3, show_default=True,
              help="Follow links at most this many clicks from URL.")
@click.option("--documents", is_flag=True,
              help="Also download linked PDF/DOCX files (allowed domains only) and scan them like an archive.")
@click.option("--allow-domain", "allow_domains", multiple=True, metavar="DOMAIN",
              help="A further domain to crawl (repeatable); the start host's domain is always allowed.")
@click.option("--contact", default=None, metavar="EMAIL_OR_URL",
              help="Who to contact about the crawl; added to the User-Agent.")
@click.option("--scrapy-setting", "scrapy_settings", multiple=True, metavar="NAME=VALUE", hidden=True,
              help="Override a Scrapy setting (for tests and debugging).")
@prefect_option
@db_option
@wait_option
def crawl(url: str, max_pages: int, max_depth: int, documents: bool, allow_domains: tuple[str, ...],
          contact: str | None, scrapy_settings: tuple[str, ...], prefect: bool | None, db: str, wait: float) -> None:
    """Crawl the municipality's website for citizen and business self-service logins.

    Follows links within the site's domain (robots.txt obeyed, politely throttled), records links
    that look like self-service ("Log ind med MitID", "Selvbetjening", "Ansøg", links to RenoWeb,
    Byg og Miljø, borger.dk …), requests each link target once to check for a NemLog-in/MitID
    login, and sorts what it finds into the inventory. Honours http_proxy/https_proxy.

    \b
    Example:
        tuscan crawl https://www.korsbaek.dk/ --max-pages 500 --max-depth 4 --documents
    """
    if not url.startswith(("http://", "https://")):
        raise click.BadParameter(f"{url}: expected an http:// or https:// URL", param_hint="URL")
    settings = _settings(scrapy_settings)
    if use_prefect(prefect):
        from flows.crawl import crawl_flow
        from tuscan.cli.heartbeats import without_unrequested_heartbeats
        from tuscan.web.load import CrawlSummary

        with without_unrequested_heartbeats():
            result = crawl_flow(url, db=db, max_pages=max_pages, max_depth=max_depth,
                                allow_domains=list(allow_domains), documents=documents, contact=contact,
                                settings=settings, wait=wait, show_progress=True)
        summary = CrawlSummary(result.pop("run_id"), url, **result)
    else:
        from tuscan import steps
        from tuscan.archive.load import ScanOptions

        options = steps.CrawlOptions(max_pages=max_pages, max_depth=max_depth, allow_domains=allow_domains,
                                     documents=documents, contact=contact, settings=tuple(settings.items()),
                                     show_progress=True)
        summary = run_steps(steps.crawl(url, db, options, ScanOptions(wait=wait)))["crawl-website"]
    from tuscan.web.summary import crawl_summary

    with database.reading(db, wait=wait) as con:
        click.echo(crawl_summary(con, summary))
