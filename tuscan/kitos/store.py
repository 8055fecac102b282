"""Write KITOS rows to kitos_systems / kitos_contracts (sql/migrations/003_kitos.sql).

Rows are keyed by their origin (a file's absolute path, or 'api:<url>#<cvr>'): storing an origin
again replaces its rows, so re-importing a file or re-fetching never duplicates anything.
"""

from __future__ import annotations

import duckdb

from tuscan.kitos.exports import KitosContractRow, KitosSystemRow
from tuscan.scan import insert_rows

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
    con.execute("BEGIN")
    try:
        con.execute("DELETE FROM kitos_systems WHERE origin = ?", [origin])
        con.execute("DELETE FROM kitos_contracts WHERE origin = ?", [origin])
        insert_rows(con, "kitos_systems", [*SYSTEM_COLUMNS, "origin", "imported_run"],
                    [(*(getattr(s, c) for c in SYSTEM_COLUMNS), origin, run_id) for s in systems])
        insert_rows(con, "kitos_contracts", [*CONTRACT_COLUMNS, "origin", "imported_run"],
                    [(*(getattr(c, col) for col in CONTRACT_COLUMNS), origin, run_id) for c in contracts])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def record_load(con: duckdb.DuckDBPyConnection, run_id: int, origin: str, kind: str | None, imported: int,
                skipped: list[str], error: str | None = None) -> None:
    con.execute("INSERT INTO kitos_loads (run_id, origin, kind, imported, skipped, error, skipped_why)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)", [run_id, origin, kind, imported, len(skipped), error, skipped])
