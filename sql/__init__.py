"""The database's SQL, kept out of Python: numbered migrations, views, canned queries.

- `migrations/NNN_name.sql` run once each, in order, tracked in `schema_migrations`;
- `views/NN_name.sql` are `CREATE OR REPLACE VIEW` statements re-applied on every writable open,
  so a view change needs no migration;
- `queries/name.sql` are the canned DPO queries (`tuscan query`).
"""

from __future__ import annotations

import re
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent
_MIGRATION = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every migration file, in version order."""
    found = []
    for file in sorted((SQL_DIR / "migrations").glob("*.sql")):
        m = _MIGRATION.match(file.name)
        if not m:
            raise ValueError(f"migration file name must look like 001_name.sql: {file.name}")
        found.append((int(m.group(1)), m.group(2), file.read_text(encoding="utf-8")))
    versions = [v for v, _, _ in found]
    if len(versions) != len(set(versions)):
        raise ValueError(f"two migrations share a version number: {versions}")
    return found


def views() -> list[tuple[str, str]]:
    """(file name, sql) for every view file, in file-name order (dependencies first)."""
    return [(f.name, f.read_text(encoding="utf-8")) for f in sorted((SQL_DIR / "views").glob("*.sql"))]


def statements(script: str) -> list[str]:
    """Split a SQL script on semicolons that end a line (our SQL files keep one statement per
    block and never put ';' at a line end inside a string)."""
    parts = re.split(r";[ \t]*(?:--[^\n]*)?\n", script + "\n")
    return [p.strip() for p in parts if p.strip() and not all(
        line.strip().startswith("--") or not line.strip() for line in p.strip().splitlines())]
