"""Report: the HTML report and the Excel workbook from the inventory — the step of `tuscan report`
as a Prefect task."""

from __future__ import annotations

from prefect import flow

from flows.steps import run_as_tasks
from flows.summary import publish
from tuscan import db as database
from tuscan import steps
from tuscan.pipeline import load_config
from tuscan.report import DEFAULT_HTML, DEFAULT_XLSX


@flow(name="report", log_prints=True)
def report_flow(db: str | None = None, html: str | None = DEFAULT_HTML, xlsx: str | None = DEFAULT_XLSX,
                config: str | None = None) -> list[str]:
    """Write the DPO report (self-contained HTML) and workbook (Excel) from the inventory; None or
    "" skips a file. `config`: the municipality's tuscan.toml, for the inventory and the report's
    file names (its [report] section) where these are left at their defaults."""
    settings = load_config(config) if config else None
    db = db or (str(settings.db) if settings else database.DEFAULT_DB)
    if settings:
        html = str(settings.html or "") if html == DEFAULT_HTML else html
        xlsx = str(settings.xlsx or "") if xlsx == DEFAULT_XLSX else xlsx
    written = run_as_tasks([steps.report_step(db, html or None, xlsx or None)])["write-report"]
    publish(db, written)
    return written
