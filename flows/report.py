"""Report: the HTML report and the Excel workbook from the inventory (a thin flow over
`tuscan.report.write_report`)."""

from __future__ import annotations

from prefect import flow

from tuscan import db as database
from tuscan.report import write_report


@flow(name="report", log_prints=True)
def report_flow(db: str = database.DEFAULT_DB, html: str | None = "tuscan-report.html",
                xlsx: str | None = "tuscan-report.xlsx") -> list[str]:
    """Write the DPO report (self-contained HTML) and workbook (Excel) from the inventory."""
    written = [str(p) for p in write_report(db, html=html, xlsx=xlsx)]
    for path in written:
        print(f"Wrote {path}")
    return written
