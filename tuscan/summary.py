"""The summary printed at the end of `tuscan discover`: documents by status, TU evidence, keywords,
systems by category, and the files that could not be read."""

from __future__ import annotations

import json

import duckdb

from tuscan.archive.refind import describe_refound
from tuscan.display import terminal_safe
from tuscan.runs import last_run

UNREADABLE_SHOWN = 20


def _table(rows: list[tuple], headers: tuple[str, ...]) -> str:
    rows = [tuple(terminal_safe(v) for v in r) for r in rows]
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    line = "  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def _run_notes(run: dict) -> list[str]:
    """What the run did besides reading files: keyword hits found again, failed files skipped."""
    counts = json.loads(run["summary"]) if isinstance(run.get("summary"), str) else (run.get("summary") or {})
    notes = []
    if counts.get("refound"):
        notes.append(describe_refound(counts["refound"], counts.get("refound_changed", 0)))
    if counts.get("skipped_failed"):
        notes.append(f"Skipped {counts['skipped_failed']} unchanged file(s) that went over the time limit or crashed"
                     " the reader before; they keep that error (--retry-failed reads them again).")
    return notes


def discover_summary(con: duckdb.DuckDBPyConnection) -> str:
    parts = []
    run = last_run(con, "discover")
    if run:
        parts.append(f"Run {run['run_id']}: {run['status']}" + "".join(f"\n{line}" for line in _run_notes(run)))
    status = con.execute(
        "SELECT status, count(*), count(*) FILTER (WHERE tu_evidence) FROM document_findings"
        " GROUP BY status ORDER BY count(*) DESC"
    ).fetchall()
    if status:
        parts.append(_table(status, ("status", "documents", "with TU evidence")))
    keywords = con.execute(
        "SELECT k, count(*) AS n FROM (SELECT unnest(keywords) AS k FROM document_findings"
        " WHERE status <> 'missing') GROUP BY k ORDER BY n DESC, k LIMIT 10"
    ).fetchall()
    if keywords:
        parts.append(_table(keywords, ("top keywords", "documents")))
    categories = con.execute(
        "SELECT category, count(*) FROM inventory GROUP BY category ORDER BY count(*) DESC"
    ).fetchall()
    if categories:
        parts.append(_table(categories, ("category", "systems")))
    if line := orphaned_line(con):
        parts.append(line)
    unreadable = con.execute(
        "SELECT path, status, error FROM document_findings WHERE status IN ('error', 'unsupported', 'no_text')"
        " ORDER BY path"
    ).fetchall()
    if unreadable:
        shown = [(p, s, (e or "")[:90]) for p, s, e in unreadable[:UNREADABLE_SHOWN]]
        more = f"\n… and {len(unreadable) - UNREADABLE_SHOWN} more (tuscan query unreadable_documents)" \
            if len(unreadable) > UNREADABLE_SHOWN else ""
        parts.append("Could not be read:\n" + _table(shown, ("path", "status", "reason")) + more)
        if any("tesseract" in (e or "") for _, _, e in unreadable):
            parts.append("Scanned documents need OCR: apt-get install tesseract-ocr tesseract-ocr-dan")
    return "\n\n".join(parts)


def orphaned_line(con: duckdb.DuckDBPyConnection) -> str | None:
    """"N decisions could not be attached …" when the latest classification left people's
    decisions without a system (or overruled by a newer one on a merged system); None otherwise."""
    from tuscan.queries import run_query

    columns, rows = run_query(con, "orphaned_decisions")
    if not rows:
        return None
    why = columns.index("why")
    overruled = sum(1 for r in rows if r[why] == "overruled")
    detail = f" ({overruled} set aside for a newer decision on a merged system)" if overruled else ""
    noun = "decision" if len(rows) == 1 else "decisions"
    return (f"{len(rows)} {noun} could not be attached to a system in this run{detail}; they are kept:"
            " see tuscan query orphaned_decisions")


def headline(con: duckdb.DuckDBPyConnection) -> dict:
    """The figures an operator looks for after a run: documents, unreadable ones, systems per category."""
    documents, unreadable, with_tu = con.execute(
        "SELECT count(*) FILTER (WHERE status <> 'missing'),"
        " count(*) FILTER (WHERE status IN ('error', 'unsupported', 'no_text')),"
        " count(*) FILTER (WHERE tu_evidence) FROM document_findings").fetchone()
    categories = dict(con.execute("SELECT category, count(*) FROM inventory GROUP BY category").fetchall())
    return {"documents": documents, "unreadable": unreadable, "with_tu_evidence": with_tu,
            "systems": sum(categories.values()), "by_category": categories}


def headline_line(figures: dict) -> str:
    """One line: "Inventory: 12 systems (own 4, shared 3, …); 30 documents, 4 could not be read"."""
    counts = ", ".join(f"{k} {v}" for k, v in sorted(figures["by_category"].items(), key=lambda kv: -kv[1]))
    return (f"Inventory: {figures['systems']} systems ({counts or 'none'}); {figures['documents']} documents,"
            f" {figures['with_tu_evidence']} with TU evidence, {figures['unreadable']} could not be read")
