"""A person's decisions about systems: stored in their own table, never overwritten by a flow."""

from __future__ import annotations

import getpass

import duckdb

from tuscan.errors import InvalidValue, UnknownSystem
from tuscan.names import NameMatcher, normalise
from tuscan.rules import BETYDELIG, CATEGORIES, LAV


def _find_system(con: duckdb.DuckDBPyConnection, system: str) -> tuple[str, str]:
    """(system name, system key) of the inventory system the person meant."""
    rows = con.execute("SELECT system, system_key, matched_name FROM systems").fetchall()
    key = normalise(system)
    for name, system_key, matched_name in rows:
        if key and (key == system_key or (matched_name and key == normalise(matched_name))):
            return name, system_key
    matcher = NameMatcher((r[1], r[0]) for r in rows)
    match = matcher.match(system)
    if match and not match.ambiguous:
        return match.name, match.key
    close = ", ".join(sorted(r[0] for r in rows if key and key[:3] in r[1])[:5])
    hint = f" Did you mean: {close}?" if close else " See `tuscan query --list` / the inventory view for names."
    raise UnknownSystem(f"no system called {system!r} in the inventory.{hint}")


def record_decision(con: duckdb.DuckDBPyConnection, system: str, category: str, *, level: str | None = None,
                    note: str | None = None, decided_by: str | None = None) -> str:
    """Store a decision; returns a one-line confirmation. The inventory must know the system."""
    if category not in CATEGORIES:
        raise InvalidValue(f"category must be one of {', '.join(CATEGORIES)}")
    if level not in (None, LAV, BETYDELIG):
        raise InvalidValue("level must be Lav or Betydelig (no municipal TU-solution is expected on Høj)")
    name, key = _find_system(con, system)
    who = decided_by or getpass.getuser()
    con.execute(
        "INSERT INTO decisions (system, system_key, category, level, note, decided_by) VALUES (?, ?, ?, ?, ?, ?)",
        [name, key, category, level, note, who],
    )
    return f"Recorded: {name} → {category}" + (f", {level}" if level else "") + f" (by {who})"
