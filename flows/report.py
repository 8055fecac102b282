"""Report: the HTML report and the Excel workbook from the inventory — the step of `tuscan report`
as a Prefect task."""

from __future__ import annotations

from prefect import flow

from flows.steps import run_as_tasks
from tuscan import db as database
from tuscan import steps


@flow(name="report", log_prints=True)
def report_flow(db: str = database.DEFAULT_DB, html: str | None = "tuscan-report.html",
                xlsx: str | None = "tuscan-report.xlsx") -> list[str]:
    """Write the DPO report (self-contained HTML) and workbook (Excel) from the inventory."""
    return run_as_tasks([steps.report_step(db, html, xlsx)])["write-report"]
