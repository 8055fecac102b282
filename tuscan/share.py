"""The file a municipality sends KL: its inventory without anything private.

One row per system: name, vendor, category, suggested level, flags, the KL list entry it matched, and
the *kinds* of source it was seen in. No paths, no snippets, no reasons (they quote documents), no
person names (`decided_by` says only rules/person). Names and vendors are CPR-masked in case a folder
was named after a citizen. A `schema_version` column lets `tuscan aggregate` read old files.
DuckDB writes the Parquet file (no pyarrow needed).
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from tuscan import db as database
from tuscan.errors import TuscanError
from tuscan.privacy import mask_cpr

SCHEMA_VERSION = 1

# (column, DuckDB type) — the contract with tuscan aggregate; add columns, never rename them.
SHARE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("schema_version", "INTEGER"),
    ("municipality", "VARCHAR"),
    ("municipality_code", "VARCHAR"),       # the three-digit kommunenummer, e.g. 101 København
    ("exported_at", "TIMESTAMP"),
    ("system", "VARCHAR"),
    ("vendor", "VARCHAR"),
    ("category", "VARCHAR"),                # own, shared, common_public, not_tu, unknown
    ("suggested_level", "VARCHAR"),
    ("flags", "VARCHAR[]"),
    ("matched_list", "VARCHAR"),
    ("matched_name", "VARCHAR"),
    ("match_score", "DOUBLE"),
    ("source_kinds", "VARCHAR[]"),          # document, kitos, web
    ("decided_by", "VARCHAR"),              # rules or person (never who)
)


class InvalidMunicipality(TuscanError):
    """The municipality name or code given to `tuscan share` is not usable."""


def share_rows(con: duckdb.DuckDBPyConnection, municipality: str, code: str) -> list[tuple]:
    municipality = municipality.strip()
    if not municipality:
        raise InvalidMunicipality("--municipality must name the municipality, e.g. 'Korsbæk Kommune'")
    if not re.fullmatch(r"\d{3}", code or ""):
        raise InvalidMunicipality(f"--code must be the three-digit kommunenummer (e.g. 101), not {code!r}")
    exported = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    rows = con.execute(
        "SELECT system, vendor, category, suggested_level, flags, matched_list, matched_name, match_score,"
        " sources, decided_by FROM inventory"
    ).fetchall()
    return [
        (SCHEMA_VERSION, municipality, code, exported, mask_cpr(system), mask_cpr(vendor) if vendor else None,
         category, level, list(flags or []), matched_list, matched_name, score, list(sources or []), decided_by)
        for system, vendor, category, level, flags, matched_list, matched_name, score, sources, decided_by in rows
    ]


def write_parquet(rows: list[tuple], columns: tuple[tuple[str, str], ...], out: str | os.PathLike) -> Path:
    """Write rows through an in-memory DuckDB (the inventory stays read-only)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    mem = duckdb.connect()
    try:
        mem.execute("CREATE TABLE t (" + ", ".join(f'"{n}" {t}' for n, t in columns) + ")")
        if rows:
            mem.executemany("INSERT INTO t VALUES (" + ", ".join("?" for _ in columns) + ")", rows)
        suffix = out.suffix.lower()
        fmt = "(FORMAT csv, HEADER)" if suffix == ".csv" else "(FORMAT parquet)"
        mem.execute(f"COPY t TO '{_quote(out)}' {fmt}")
    finally:
        mem.close()
    return out


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def export_share(db: str | os.PathLike, municipality: str, code: str, out: str | os.PathLike,
                 wait: float = 0) -> int:
    """Write the share file; returns the number of systems in it."""
    with database.reading(db, wait=wait) as con:
        rows = share_rows(con, municipality, code)
    write_parquet(rows, SHARE_COLUMNS, out)
    return len(rows)
