"""Pipeline: the whole run for one municipality (archives → KITOS → website → report) from a config
file, as Prefect subflows so each step shows up, and can be retried, on its own.

The steps and the config are `tuscan.pipeline`'s; this module only orders them.
"""

from __future__ import annotations

from prefect import flow, task

from flows.crawl import crawl_flow
from flows.discover import discover_flow
from flows.report import report_flow
from tuscan.pipeline import KitosConfig, import_kitos, load_config


@task(name="import-kitos", retries=2, retry_delay_seconds=30)
def import_kitos_task(kitos: KitosConfig, db: str) -> dict:
    """KITOS files and/or API (network I/O: retried)."""
    return import_kitos(kitos, db)


@flow(name="pipeline", log_prints=True)
def pipeline_flow(config_path: str | None = None, runner: str = "local") -> dict:
    """Run everything tuscan.toml configures; with no config, the bundled example archive."""
    config = load_config(config_path)
    db = str(config.db)
    steps: dict = {}
    if config.archives:
        steps["discover"] = discover_flow([str(p) for p in config.archives], db=db, runner=runner)
    if config.kitos:
        steps["kitos"] = import_kitos_task(config.kitos, db)
    if config.website:
        site = config.website
        limits = {k: v for k, v in (("max_pages", site.max_pages), ("max_depth", site.max_depth)) if v}
        steps["crawl"] = crawl_flow(site.url, db=db, allow_domains=list(site.allow_domains),
                                    documents=site.documents, **limits)
    if config.html or config.xlsx:
        steps["report"] = report_flow(db, html=str(config.html) if config.html else None,
                                      xlsx=str(config.xlsx) if config.xlsx else None)
    return steps
