"""A person's decisions about systems: stored in their own tables, never overwritten by a flow.

`tuscan decide` and the web app (`tuscan serve`) both record through these functions, so a decision
made in either place is the same row. Besides decisions (category, level, note) a person records the
status of each own solution's checklist items (Delrapport 1, "Tjekliste for egne løsninger"), and can
take a decision back (undo): the undone decision moves to `decision_undos`, so classification no longer
sees it and the history still shows it.

A decision is keyed by the system's normalised name, but names change when a later run identifies
systems better (a clearer title, a KITOS spelling, two systems merged or one split). So each
decision also stores what it was about (`decision_subjects`): the KL-list entry the system matched,
the names it went by, its vendor and the documents behind it. Classification uses these to find
the decision's system again (`tuscan.classify`), and lists the decisions it could not attach
(`tuscan query orphaned_decisions`); no decision is ever deleted by a run.
"""

from __future__ import annotations

import getpass

import duckdb

from tuscan.db import transaction
from tuscan.errors import InvalidValue, UnknownSystem
from tuscan.names import NameMatcher, normalise
from tuscan.rules import BETYDELIG, CATEGORIES, CHECKLIST_KEYS, CHECKLIST_STATUSES, LAV


def _find_system(con: duckdb.DuckDBPyConnection, system: str) -> tuple[str, str]:
    """(system name, system key) of the inventory system the person meant."""
    rows = con.execute("SELECT system, system_key, matched_name FROM systems").fetchall()
    key = normalise(system)
    for name, system_key, matched_name in rows:
        if key and (key == system_key or (matched_name and key == normalise(matched_name))):
            return name, system_key
    renamed = _renamed_to(con, key)
    if renamed:
        return renamed
    matcher = NameMatcher((r[1], r[0]) for r in rows)
    match = matcher.match(system)
    if match and not match.ambiguous:
        return match.name, match.key
    close = ", ".join(sorted(r[0] for r in rows if key and key[:3] in r[1])[:5])
    hint = f" Did you mean: {close}?" if close else " See `tuscan query --list` / the inventory view for names."
    raise UnknownSystem(f"no system called {system!r} in the inventory.{hint}")


def _renamed_to(con: duckdb.DuckDBPyConnection, key: str) -> tuple[str, str] | None:
    """The system now known under an earlier name `key`: a decision the person made on `key` was
    attached to it by the latest classification (better identification renamed or merged it)."""
    if not key:
        return None
    return con.execute(
        "SELECT now.system, now.system_key FROM decision_links earlier"
        " JOIN decision_links now ON now.decision_id = earlier.decision_id"
        " JOIN systems s ON s.system_key = now.system_key"
        " WHERE earlier.system_key = ? AND now.how <> 'overruled'"
        "   AND now.run_id = (SELECT max(run_id) FROM decision_links)"
        " ORDER BY now.run_id DESC LIMIT 1", [key]).fetchone()


def _subject(con: duckdb.DuckDBPyConnection, key: str, written: str) -> tuple:
    """(list key, names, vendor, documents' sha256) of the inventory system `key` as it stands now.

    The names include the earlier names of the system: those of decisions that the latest
    classification attached to it, so a system renamed twice is still found."""
    row = con.execute("SELECT system_id, system, matched_list, matched_name, vendor FROM systems"
                      " WHERE system_key = ? ORDER BY system_id LIMIT 1", [key]).fetchone()
    if row is None:
        return None, [key], None, []
    system_id, name, matched_list, matched_name, vendor = row
    names = [key, normalise(name), normalise(written)] + ([normalise(matched_name)] if matched_name else [])
    earlier = con.execute(
        "SELECT s.names FROM decision_links l JOIN decision_subjects s USING (decision_id)"
        " WHERE l.system_key = ? AND l.run_id = (SELECT max(run_id) FROM decision_links)", [key]).fetchall()
    names += [n for (listed,) in earlier for n in listed or []]
    documents = [d for (d,) in con.execute(
        "SELECT DISTINCT d.sha256 FROM document_systems ds JOIN documents d USING (document_id)"
        " WHERE ds.system_id = ? AND d.sha256 IS NOT NULL ORDER BY 1", [system_id]).fetchall()]
    list_key = f"{matched_list}:{matched_name}" if matched_list and matched_name else None
    return list_key, list(dict.fromkeys(n for n in names if n)), vendor, documents


def find_system(con: duckdb.DuckDBPyConnection, system: str) -> tuple[str, str]:
    """(system name, system key) of the inventory system a person meant; UnknownSystem if none."""
    return _find_system(con, system)


def record_decision(con: duckdb.DuckDBPyConnection, system: str, category: str, *, level: str | None = None,
                    note: str | None = None, decided_by: str | None = None) -> str:
    """Store a decision; returns a one-line confirmation. The inventory must know the system."""
    if category not in CATEGORIES:
        raise InvalidValue(f"category must be one of {', '.join(CATEGORIES)}")
    if level not in (None, LAV, BETYDELIG):
        raise InvalidValue("level must be Lav or Betydelig (no municipal TU-solution is expected on Høj)")
    name, key = _find_system(con, system)
    who = decided_by or getpass.getuser()
    subject = _subject(con, key, system)
    with transaction(con):
        decision_id = con.execute(
            "INSERT INTO decisions (system, system_key, category, level, note, decided_by) VALUES (?, ?, ?, ?, ?, ?)"
            " RETURNING decision_id", [name, key, category, level, note, who]).fetchone()[0]
        con.execute("INSERT INTO decision_subjects (decision_id, list_key, names, vendor, documents)"
                    " VALUES (?, ?, ?, ?, ?)", [decision_id, *subject])
    return f"Recorded: {name} → {category}" + (f", {level}" if level else "") + f" (by {who})"


def decision_history(con: duckdb.DuckDBPyConnection, system_key: str) -> list[dict]:
    """Every decision recorded for a system key, newest first, with who/when and whether it was
    taken back (`in_force` marks the one that counts)."""
    cursor = con.execute(
        "SELECT decision_id, system, category, level, note, decided_by, decided_at, undone_by, undone_at, in_force"
        " FROM decision_history WHERE system_key = ? ORDER BY decided_at DESC, decision_id DESC", [system_key])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def undo_decision(con: duckdb.DuckDBPyConnection, decision_id: int, *, undone_by: str | None = None) -> str:
    """Take a decision back: it leaves `decisions` (so the rules, or the person's earlier decision,
    apply at the next classification) and is kept in `decision_undos`. Returns a confirmation."""
    row = con.execute("SELECT decision_id, system, system_key, category, level, note, decided_by, decided_at"
                      " FROM decisions WHERE decision_id = ?", [decision_id]).fetchone()
    if row is None:
        raise InvalidValue(f"no decision {decision_id} in force (it may have been taken back already)")
    who = undone_by or getpass.getuser()
    with transaction(con):
        con.execute("INSERT INTO decision_undos (decision_id, system, system_key, category, level, note, decided_by,"
                    " decided_at, undone_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [*row, who])
        con.execute("DELETE FROM decisions WHERE decision_id = ?", [decision_id])
    return f"Undone: {row[1]} → {row[3]} (decided by {row[6]}; undone by {who})"


def record_checklist(con: duckdb.DuckDBPyConnection, system: str, item: str, status: str, *,
                     note: str | None = None, set_by: str | None = None) -> str:
    """Set the status of one checklist item (Delrapport 1, "Tjekliste for egne løsninger") of a system.
    Every change is a new row; the newest counts (view `checklist_current`)."""
    if item not in CHECKLIST_KEYS:
        raise InvalidValue(f"checklist item must be one of {', '.join(CHECKLIST_KEYS)}")
    if status not in CHECKLIST_STATUSES:
        raise InvalidValue(f"checklist status must be one of {', '.join(CHECKLIST_STATUSES)}")
    name, key = _find_system(con, system)
    who = set_by or getpass.getuser()
    con.execute("INSERT INTO checklist_status (system, system_key, item, status, note, set_by) VALUES (?, ?, ?, ?, ?, ?)",
                [name, key, item, status, note or None, who])
    return f"Recorded: {name}, {item} → {status} (by {who})"


def checklist_state(con: duckdb.DuckDBPyConnection, system_key: str) -> dict[str, dict]:
    """The current entry per checklist item of a system (items nobody touched are absent)."""
    cursor = con.execute("SELECT item, status, note, set_by, set_at FROM checklist_current WHERE system_key = ?",
                         [system_key])
    return {row[0]: {"status": row[1], "note": row[2], "set_by": row[3], "set_at": row[4]}
            for row in cursor.fetchall()}
