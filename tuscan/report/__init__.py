"""The report a DPO reads: what the inventory holds, as a self-contained HTML page and an Excel
workbook. Both are built from the same `ReportData`, read once from the database.

`write_report(db, html=..., xlsx=...)` is what `tuscan report`, `flows/report.py` and `tuscan run` call.
Reasons and evidence details are rendered from their codes (tuscan.reasons) in Danish, or in English
with `lang="en"` (`tuscan report --lang en`); the rest of the report is Danish.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from tuscan import db as database
from tuscan import reasons
from tuscan.labels import CATEGORY_ORDER
from tuscan.queries import run_query

DEFAULT_HTML = "tuscan-report.html"
DEFAULT_XLSX = "tuscan-report.xlsx"


@dataclass
class ReportData:
    title: str
    generated_at: datetime
    systems: list[dict]                    # inventory rows, each with its evidence under "evidence"
    evidence: list[dict]                   # every evidence row
    unreadable: list[dict]                 # documents that could not be read
    changes: list[dict]                    # what changed since the previous classification run
    documents: int                         # documents scanned (zip members included)
    documents_with_tu: int                 # of which with TU evidence
    by_category: Counter = field(default_factory=Counter)
    own_by_level: Counter = field(default_factory=Counter)
    lang: str = reasons.DA                 # the language reasons and evidence are rendered in

    def reason(self, system: dict) -> str:
        return reasons.reason_text(system, self.lang)

    def evidence_detail(self, row: dict) -> str:
        return reasons.evidence_text(row, self.lang)

    @property
    def to_rebuild(self) -> int:
        return sum(1 for s in self.systems if s["category"] in ("own", "unknown")
                   and ({"signing", "pid_rid"} & set(s["flags"] or [])))


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict]:
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def collect(con: duckdb.DuckDBPyConnection, title: str = "TU-løsninger", lang: str = reasons.DA) -> ReportData:
    """Read everything the report shows."""
    systems = _dicts(con.execute("SELECT * FROM inventory"))
    evidence = _dicts(con.execute("SELECT * FROM evidence"))
    by_system: dict[int, list[dict]] = {}
    for row in evidence:
        by_system.setdefault(row["system_id"], []).append(row)
    for system in systems:
        system["evidence"] = by_system.get(system["system_id"], [])
    columns, rows = run_query(con, "unreadable_documents")
    unreadable = [dict(zip(columns, r, strict=True)) for r in rows]
    columns, rows = run_query(con, "changes_since_previous_run")
    changes = [dict(zip(columns, r, strict=True)) for r in rows]
    documents, with_tu = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE tu_evidence) FROM document_findings WHERE status <> 'missing'"
    ).fetchone()
    by_category = Counter({c: 0 for c in CATEGORY_ORDER})
    by_category.update(s["category"] for s in systems)
    own_by_level = Counter({"Betydelig": 0, "Lav": 0, None: 0})
    own_by_level.update(s["suggested_level"] for s in systems if s["category"] == "own")
    return ReportData(title=title, generated_at=datetime.now().astimezone().replace(microsecond=0),
                      systems=systems, evidence=evidence, unreadable=unreadable, changes=changes,
                      documents=documents, documents_with_tu=with_tu, by_category=by_category,
                      own_by_level=own_by_level, lang=_language(lang))


def _language(lang: str | None) -> str:
    if (lang or reasons.DA) not in reasons.LANGUAGES:
        raise ValueError(f"unknown report language {lang!r}; use one of: {', '.join(reasons.LANGUAGES)}")
    return lang or reasons.DA


def write_report(db: str | os.PathLike = database.DEFAULT_DB, *, html: str | os.PathLike | None = None,
                 xlsx: str | os.PathLike | None = None, title: str = "TU-løsninger", wait: float = 0,
                 lang: str = reasons.DA) -> list[Path]:
    """Write the HTML report and/or the workbook; with neither given, both under their default names.
    `lang` is the language of reasons and evidence: "da" (default) or "en"."""
    from tuscan.report.html import render_html
    from tuscan.report.xlsx import write_workbook

    lang = _language(lang)
    if html is None and xlsx is None:
        html, xlsx = DEFAULT_HTML, DEFAULT_XLSX
    with database.reading(db, wait=wait) as con:
        data = collect(con, title=title, lang=lang)
    written = []
    if html is not None:
        path = Path(html)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_html(data), encoding="utf-8")
        written.append(path)
    if xlsx is not None:
        path = Path(xlsx)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_workbook(data, path)
        written.append(path)
    return written
