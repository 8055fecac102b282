"""What `tuscan crawl` prints at the end: counts, the systems found on the website, and what could
not be fetched or checked."""

from __future__ import annotations

import duckdb

from tuscan.summary import _table
from tuscan.web.load import CrawlSummary

SHOWN = 15


def crawl_summary(con: duckdb.DuckDBPyConnection, summary: CrawlSummary) -> str:
    s = summary
    run = s.run_id
    status = con.execute("SELECT status, error FROM runs WHERE run_id = ?", [run]).fetchone()
    parts = [f"Crawl run {run} of {s.start_url}: {status[0]}" + (f" ({status[1]})" if status[1] else "")]
    parts.append(f"Pages crawled: {s.pages}; could not be fetched: {s.page_errors}.")
    parts.append(f"Self-service links: {s.links} to {s.targets} targets; verified NemLog-in/MitID logins: "
                 f"{s.verified_logins}; targets that could not be checked: {s.not_checked}.")
    if s.documents_saved or s.documents_skipped:
        skipped = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(s.documents_skipped.items()))
        parts.append(f"Linked documents: {s.documents_saved} downloaded, {s.documents_scanned} scanned"
                     + (f"; skipped: {skipped}" if skipped else "") + ".")
    if s.documents_gone:
        parts.append(f"Documents an earlier crawl stored and no page links any more: {s.documents_gone}, marked"
                     " missing (their evidence is kept).")
    systems = con.execute(
        "SELECT system, any_value(category), count(DISTINCT target_url), bool_or(coalesce(login_verified, false))"
        " FROM web_findings WHERE run_id = ? AND system IS NOT NULL GROUP BY system ORDER BY system",
        [run],
    ).fetchall()
    if systems:
        parts.append(_table([(n, c or "", t, "yes" if v else "no") for n, c, t, v in systems],
                            ("system (website)", "category", "targets", "login verified")))
    problems = con.execute(
        "SELECT target_url, coalesce(error, evidence) FROM web_verifications WHERE run_id = ?"
        " AND login_verified IS NULL ORDER BY target_url", [run]).fetchall()
    problems += con.execute("SELECT url, error FROM web_errors WHERE run_id = ? ORDER BY url", [run]).fetchall()
    if problems:
        parts.append("Not fetched or not checked:\n" + "\n".join(f"  {u}: {e}" for u, e in problems[:SHOWN])
                     + (f"\n  … and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""))
    parts.append("Details: SELECT * FROM web_findings;")
    return "\n\n".join(parts)
