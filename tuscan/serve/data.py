"""What the pages of `tuscan serve` read from the inventory: plain functions over one connection.

The fixed SQL lives in sql/views (`inventory`, `evidence`, `review_queue`, `decision_history`,
`checklist_current`) and sql/queries; here are only the small selects on top of them and the one
query that is built from the Systemer page's filters (each filter a bound parameter, the sort column
from a fixed list), paged in SQL so a page costs the same with 10,000 systems as with 10.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from tuscan.candidates import Evidence
from tuscan.decisions import checklist_state, decision_history
from tuscan.labels import CATEGORY_ORDER
from tuscan.queries import run_query
from tuscan.rules import CHECKLIST, DONE, NOT_RELEVANT, level_suggestion

PAGE_SIZE = 50

# Sort keys of the Systemer page → SQL (never user text in SQL).
SORTS = {
    "system": "lower(system)",
    "leverandoer": "lower(coalesce(vendor, ''))",
    "kategori": ("CASE category WHEN 'own' THEN 1 WHEN 'unknown' THEN 2 WHEN 'shared' THEN 3"
                 " WHEN 'common_public' THEN 4 ELSE 5 END"),
    "niveau": "coalesce(suggested_level, '')",
    "score": "coalesce(match_score, -1)",
    "evidens": "evidence_count",
    "afgjort": "decided_by",
}


def dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict]:
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def one(cursor: duckdb.DuckDBPyConnection) -> dict | None:
    rows = dicts(cursor)
    return rows[0] if rows else None


# --- Systemer ---------------------------------------------------------------------------------------
@dataclass
class SystemFilter:
    q: str = ""
    category: str = ""
    level: str = ""          # Lav, Betydelig, none (no level)
    flag: str = ""
    source: str = ""
    vendor: str = ""
    sort: str = "kategori"
    descending: bool = False
    page: int = 1

    def where(self) -> tuple[str, list]:
        clauses, params = [], []
        if self.q:
            # The search text is a literal: % and _ in it match themselves.
            clauses.append("(system ILIKE ? ESCAPE '!' OR vendor ILIKE ? ESCAPE '!' OR matched_name ILIKE ? ESCAPE '!')")
            like = "%" + self.q.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"
            params += [like, like, like]
        if self.category:
            clauses.append("category = ?")
            params.append(self.category)
        if self.level == "none":
            clauses.append("suggested_level IS NULL")
        elif self.level:
            clauses.append("suggested_level = ?")
            params.append(self.level)
        if self.flag:
            clauses.append("list_contains(flags, ?)")
            params.append(self.flag)
        if self.source:
            clauses.append("list_contains(sources, ?)")
            params.append(self.source)
        if self.vendor == "(ingen)":
            clauses.append("vendor IS NULL")
        elif self.vendor:
            clauses.append("vendor ILIKE ? ESCAPE '!'")
            params.append("%" + self.vendor.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


@dataclass
class SystemPage:
    rows: list[dict]
    total: int
    page: int
    pages: int
    filters: SystemFilter
    vendors: list[str] = field(default_factory=list)


def system_page(con: duckdb.DuckDBPyConnection, f: SystemFilter) -> SystemPage:
    where, params = f.where()
    total = con.execute(f"SELECT count(*) FROM inventory{where}", params).fetchone()[0]
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, f.page), pages)
    order = SORTS.get(f.sort, SORTS["kategori"]) + (" DESC" if f.descending else "")
    rows = dicts(con.execute(
        "SELECT system, system_key, vendor, category, suggested_level, flags, matched_name, match_score,"
        f" sources, evidence_count, decided_by FROM inventory{where} ORDER BY {order}, lower(system), system_key"
        " LIMIT ? OFFSET ?", [*params, PAGE_SIZE, (page - 1) * PAGE_SIZE]))
    return SystemPage(rows, total, page, pages, f)


# --- Oversigt ---------------------------------------------------------------------------------------
def overview(con: duckdb.DuckDBPyConnection) -> dict:
    by_category = dict.fromkeys(CATEGORY_ORDER, 0)
    by_category.update(dict(con.execute("SELECT category, count(*) FROM inventory GROUP BY category").fetchall()))
    levels = {"Betydelig": 0, "Lav": 0, None: 0}
    levels.update(dict(con.execute(
        "SELECT suggested_level, count(*) FROM inventory WHERE category = 'own' GROUP BY suggested_level").fetchall()))
    queue = con.execute("SELECT count(*) FROM review_queue").fetchone()[0]
    own = by_category.get("own", 0)
    settled = con.execute(
        "SELECT count(*) FROM checklist_current c JOIN inventory i ON i.system_key = c.system_key"
        " WHERE i.category = 'own' AND c.status IN (?, ?)", [DONE, NOT_RELEVANT]).fetchone()[0]
    in_progress = con.execute(
        "SELECT count(*) FROM checklist_current c JOIN inventory i ON i.system_key = c.system_key"
        " WHERE i.category = 'own' AND c.status = 'in_progress'").fetchone()[0]
    documents, with_tu = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE tu_evidence) FROM document_findings WHERE status <> 'missing'"
    ).fetchone()
    runs = dicts(con.execute(
        "SELECT run_id, kind, status, started_at, finished_at, error FROM runs ORDER BY run_id DESC LIMIT 8"))
    columns, rows = run_query(con, "unreadable_documents")
    unreadable = [dict(zip(columns, r, strict=True)) for r in rows]
    ids = dict(con.execute("SELECT path, document_id FROM document_findings"
                           " WHERE status IN ('error', 'unsupported', 'no_text')").fetchall())
    for u in unreadable:
        u["document_id"] = ids.get(u["path"])
    return {
        "by_category": by_category, "own_levels": levels, "queue": queue + len(orphaned_decisions(con)),
        "checklist_total": own * len(CHECKLIST), "checklist_settled": settled,
        "checklist_in_progress": in_progress, "systems": sum(by_category.values()), "documents": documents,
        "documents_with_tu": with_tu, "runs": runs, "unreadable": unreadable,
    }


# --- one system -------------------------------------------------------------------------------------
def system_detail(con: duckdb.DuckDBPyConnection, key: str) -> dict | None:
    system = one(con.execute("SELECT * FROM inventory WHERE system_key = ?", [key]))
    if system is None:
        return None
    system["evidence"] = dicts(con.execute(
        "SELECT source_kind, source_ref, page, kind, term, detail, snippet, document_id FROM evidence"
        " WHERE system_id = ? ORDER BY source_kind, source_ref, page NULLS LAST, kind", [system["system_id"]]))
    system["documents"] = dicts(con.execute(
        "SELECT document_id, path, status, error, keywords, pages FROM document_findings WHERE system = ?"
        " ORDER BY path", [system["system"]]))
    system["web"] = dicts(con.execute(
        "SELECT page_url, link_text, target_url, login_verified, verification FROM web_findings WHERE system = ?"
        " ORDER BY target_url, page_url", [system["system"]]))
    # Keyword hits in the system's documents that do not count (traps, negations, signature blocks),
    # with the reason: the DPO sees why a NemID in the text did not make it a TU-solution.
    system["excluded"] = dicts(con.execute(
        "SELECT d.document_id, d.path, h.page, h.term, h.matched, h.snippet, h.excluded_by"
        " FROM document_systems ds JOIN documents d ON d.document_id = ds.document_id"
        " JOIN hits h ON h.sha256 = d.sha256"
        " WHERE ds.system_id = ? AND h.excluded_by IS NOT NULL AND d.missing_since_run IS NULL"
        " ORDER BY d.path, h.page, h.\"offset\" LIMIT 200", [system["system_id"]]))
    system["history"] = decision_history(con, key)
    return system


def _evidence_objects(rows: list[dict]) -> list[Evidence]:
    return [Evidence(r["source_kind"], r["source_ref"], r["kind"], r["detail"] or "", r["term"], r["page"],
                     r["snippet"], r["document_id"]) for r in rows]


def checklist_detail(con: duckdb.DuckDBPyConnection, key: str) -> dict | None:
    system = system_detail(con, key)
    if system is None:
        return None
    suggestion = level_suggestion(_evidence_objects(system["evidence"]))
    system["suggestion"] = suggestion
    system["suggestion_evidence"] = [e for e in system["evidence"] if e["kind"] in ("sensitive", "ordinary_data")]
    state = checklist_state(con, key)
    items = []
    for item in CHECKLIST:
        entry = state.get(item.key, {})
        evidence = [e for e in system["evidence"] if item.flag and e["kind"] == item.flag]
        items.append({"item": item, "status": entry.get("status", "not_started"), "note": entry.get("note"),
                      "set_by": entry.get("set_by"), "set_at": entry.get("set_at"), "evidence": evidence,
                      "flagged": bool(item.flag and item.flag in (system["flags"] or []))})
    system["checklist"] = items
    in_force = [h for h in system["history"] if h["in_force"]]
    system["chosen_level"] = in_force[0]["level"] if in_force else None
    return system


def checklist_overview(con: duckdb.DuckDBPyConnection) -> list[dict]:
    columns, rows = run_query(con, "checklist_status")
    keys = dict(con.execute("SELECT system, system_key FROM inventory WHERE category = 'own'").fetchall())
    out = [dict(zip(columns, r, strict=True)) for r in rows]
    for row in out:
        row["system_key"] = keys.get(row["system"])
    return out


# --- Gennemgang -------------------------------------------------------------------------------------
def review_queue(con: duckdb.DuckDBPyConnection) -> list[dict]:
    return dicts(con.execute("SELECT * FROM review_queue ORDER BY position"))


def orphaned_decisions(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Decisions in force that the latest classification could not attach to a system (renamed,
    merged, gone), or that a newer decision on a merged system overruled: the canned query
    `orphaned_decisions`, which knows every way a decision attaches (names, earlier names, list
    entry, documents). A person should move or take back such a decision."""
    from tuscan.queries import run_query

    columns, rows = run_query(con, "orphaned_decisions")
    return [dict(zip(columns, row, strict=True)) for row in rows]


# --- Leverandører -----------------------------------------------------------------------------------
def vendors(con: duckdb.DuckDBPyConnection) -> list[dict]:
    return dicts(con.execute(
        "SELECT * FROM (SELECT coalesce(vendor, '(ingen)') AS vendor, count(*) AS systems,"
        " count(*) FILTER (WHERE category = 'own') AS own, count(*) FILTER (WHERE category = 'unknown') AS unknown,"
        " count(*) FILTER (WHERE category IN ('shared', 'common_public')) AS other_tu,"
        " count(*) FILTER (WHERE category IN ('own', 'unknown') AND len(flags) > 0) AS to_rebuild,"
        " list(system ORDER BY lower(system))[1:8] AS examples"
        " FROM inventory GROUP BY 1) ORDER BY own DESC, unknown DESC, lower(vendor)"))


def vendor_solutions(con: duckdb.DuckDBPyConnection, vendor: str) -> list[dict]:
    """The vendor's own and unresolved TU-solutions (what the municipality must go through with it)."""
    cond = "vendor IS NULL" if vendor == "(ingen)" else "vendor = ?"
    params = [] if vendor == "(ingen)" else [vendor]
    return dicts(con.execute(
        "SELECT system, system_key, category, suggested_level, flags FROM inventory"
        f" WHERE {cond} AND category IN ('own', 'unknown') ORDER BY category, lower(system)", params))
