"""What a flow run says when it ends: the inventory's headline figures in its log (the same line the
CLI's summary starts from) and as a Prefect markdown artifact, with links to the report files, so an
operator sees in the Prefect UI what the run found without opening the database. A run that hit
unreadable files is Completed and says how many; a run that could not do its job raised, and is
Failed."""

from __future__ import annotations

import os
from pathlib import Path

from prefect.artifacts import create_markdown_artifact
from prefect.context import FlowRunContext

from tuscan import db as database
from tuscan.summary import headline, headline_line


def publish(db: str | os.PathLike, written: list[str] | None = None, key: str = "tuscan-inventory") -> dict:
    with database.reading(db) as con:
        figures = headline(con)
    print(headline_line(figures))
    if FlowRunContext.get() is None:     # called as a plain function (flow.fn): no run to attach to
        return figures
    rows = "\n".join(f"| {category} | {count} |" for category, count in sorted(figures["by_category"].items()))
    files = "\n".join(f"- [{Path(p).name}]({Path(p).resolve().as_uri()}) ({p})" for p in written or [])
    create_markdown_artifact(key=key, description=headline_line(figures), markdown=(
        f"# tuscan: {figures['systems']} systems\n\n"
        f"Inventory: `{Path(db).resolve()}`\n\n"
        f"| category | systems |\n|---|---|\n{rows}\n\n"
        f"Documents: {figures['documents']} ({figures['with_tu_evidence']} with TU evidence,"
        f" {figures['unreadable']} could not be read)\n\n" + (f"Report:\n{files}\n" if files else "")))
    return figures
