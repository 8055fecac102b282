"""Write KITOS rows to kitos_systems / kitos_contracts (sql/migrations/003_kitos.sql, 005_kitos_content.sql).

Rows are keyed by their origin (a file's absolute path, or 'api:<url>#<cvr>'): storing an origin
again replaces its rows, so re-fetching never duplicates anything. Export files are also known by
their content (kitos_exports.sha256): the same bytes under another name are found with
`find_content` and not stored again, and `store_export` replaces every export of the same kind that
an earlier command imported (an export names no organisation; one database is one municipality, so
the newest export of a kind is the truth).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from tuscan.db import insert_rows, transaction
from tuscan.kitos.exports import KitosContractRow, KitosExport, KitosSystemRow

SYSTEM_COLUMNS = ["record_kind", "uuid", "name", "parent", "local_id", "local_name", "rights_holder",
                  "rights_holder_cvr", "rights_holder_public", "vendor", "vendor_cvr", "business_type", "data_type",
                  "usage_count", "using_organisations", "contracts", "status", "active", "in_use", "source_row"]
CONTRACT_COLUMNS = ["name", "contract_id", "vendor", "vendor_cvr", "systems", "system_uuids", "valid_from", "valid_to",
                    "source_row"]


def api_origin(url: str, cvr: str) -> str:
    return f"api:{url.rstrip('/')}#{cvr}"


def replace_origin(con: duckdb.DuckDBPyConnection, origin: str, run_id: int, *,
                   systems: list[KitosSystemRow] = (), contracts: list[KitosContractRow] = ()) -> None:
    """Replace everything stored from `origin` with these rows (one transaction)."""
    with transaction(con):
        con.execute("DELETE FROM kitos_systems WHERE origin = ?", [origin])
        con.execute("DELETE FROM kitos_contracts WHERE origin = ?", [origin])
        _insert(con, origin, run_id, systems, contracts)


@dataclass(frozen=True)
class StoredExport:
    """An export file whose rows are stored (or were, until an import replaced them)."""
    origin: str
    kind: str
    imported_at: datetime | None
    run_id: int | None
    rows: int | None = None

    def name(self, beside: str | None = None) -> str:
        """The file name; the whole path when `beside` (another origin) has the same file name."""
        short = Path(self.origin).name
        return self.origin if beside and beside != self.origin and Path(beside).name == short else short

    def when(self) -> str:
        """'on 2025-03-04 10:15' (the database's local time, as runs.started_at)."""
        return f"on {self.imported_at:%Y-%m-%d %H:%M}" if self.imported_at else f"in run {self.run_id}"


# Exports stored now: those hashed since 005, and (for databases imported into before it) the file
# origins of stored rows, whose kind is their record_kind or 'contracts'.
STORED_SQL = """
WITH stored AS (
    SELECT origin, kind, run_id, imported_at FROM kitos_exports
    UNION ALL
    SELECT DISTINCT origin, record_kind, imported_run, NULL FROM kitos_systems WHERE origin NOT LIKE 'api:%'
    UNION ALL
    SELECT DISTINCT origin, 'contracts', imported_run, NULL FROM kitos_contracts WHERE origin NOT LIKE 'api:%'
)
SELECT s.origin, any_value(s.kind), max(coalesce(s.imported_at, r.started_at)) AS stored_at, max(s.run_id)
FROM stored s LEFT JOIN runs r ON r.run_id = s.run_id
WHERE s.origin = $origin OR (s.kind = $kind AND s.run_id IS DISTINCT FROM $run)
GROUP BY s.origin
ORDER BY stored_at, s.origin
"""


def find_content(con: duckdb.DuckDBPyConnection, sha256: str) -> StoredExport | None:
    """The stored export holding exactly these bytes, if any."""
    row = con.execute("SELECT origin, kind, imported_at, run_id, row_count FROM kitos_exports WHERE sha256 = ?"
                      " ORDER BY imported_at DESC LIMIT 1", [sha256]).fetchone()
    return StoredExport(*row) if row else None


def superseded(con: duckdb.DuckDBPyConnection, origin: str, kind: str, run_id: int) -> list[StoredExport]:
    """What storing `origin` (an export of `kind`) in run `run_id` replaces: whatever the same path
    held, and every export of the same kind from earlier runs. Exports of one run add up (a user
    who gives two usage exports in one command means both)."""
    rows = con.execute(STORED_SQL, {"origin": origin, "kind": kind, "run": run_id}).fetchall()
    return [StoredExport(*row) for row in rows]


def store_export(con: duckdb.DuckDBPyConnection, origin: str, run_id: int, export: KitosExport, sha256: str,
                 size: int) -> list[StoredExport]:
    """Store an export file's rows in place of the exports it supersedes (one transaction); returns
    those, for the user to see what was replaced."""
    with transaction(con):
        replaced = superseded(con, origin, export.kind, run_id)
        for old in {origin, *(r.origin for r in replaced)}:
            for table in ("kitos_systems", "kitos_contracts", "kitos_exports"):
                con.execute(f"DELETE FROM {table} WHERE origin = ?", [old])
        _insert(con, origin, run_id, export.systems, export.contracts)
        con.execute("INSERT INTO kitos_exports (origin, kind, sha256, size, row_count, run_id) VALUES (?, ?, ?, ?, ?, ?)",
                    [origin, export.kind, sha256, size, export.imported, run_id])
    return replaced


def _insert(con: duckdb.DuckDBPyConnection, origin: str, run_id: int, systems: list[KitosSystemRow],
            contracts: list[KitosContractRow]) -> None:
    insert_rows(con, "kitos_systems", [*SYSTEM_COLUMNS, "origin", "imported_run"],
                [(*(getattr(s, c) for c in SYSTEM_COLUMNS), origin, run_id) for s in systems])
    insert_rows(con, "kitos_contracts", [*CONTRACT_COLUMNS, "origin", "imported_run"],
                [(*(getattr(c, col) for col in CONTRACT_COLUMNS), origin, run_id) for c in contracts])


def record_load(con: duckdb.DuckDBPyConnection, run_id: int, origin: str, kind: str | None, imported: int,
                skipped: list[str], error: str | None = None, *, sha256: str | None = None,
                outcome: str | None = None, same_as: str | None = None, replaced: list[str] = ()) -> None:
    """One kitos_loads row: what a file (or fetch) did in this run. The outcome is 'refused' when the
    file was not read, 'already_imported' when its content was stored before, else 'imported'."""
    outcome = outcome or ("refused" if error else "imported")
    con.execute("INSERT INTO kitos_loads (run_id, origin, kind, imported, skipped, error, skipped_why, sha256,"
                " outcome, same_as, replaced) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [run_id, origin, kind, imported, len(skipped), error, skipped, sha256, outcome, same_as,
                 list(replaced)])
