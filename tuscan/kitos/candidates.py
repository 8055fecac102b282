"""KITOS candidates: every system the municipality has in use → a candidate with KITOS evidence.

A system is in use when a usage row lists it (usage export or API), or when a catalog row says
"Anvendes: Ja". Rows naming the same system (same KITOS UUID, else the same name) — from several
files or a fetch — are one candidate. The catalog entry (same UUID, else same name) adds what the
usage row lacks. Evidence kinds (`tuscan.candidates`):

- MENTION always: "Listed in KITOS as in use" (KITOS has no login field, so a KITOS-only system with
  no login evidence stays `unknown` unless a KL list decides it — tuscan.rules, step 7);
- SHARED_SIGNAL when the catalog says 2+ organisations use it (Delrapport 1, Bilag 4 is KITOS's
  list of systems used by 20+ municipalities; the rules need login evidence too);
- COMMON_PUBLIC_SIGNAL when the rights holder is another public authority (API organisation type
  OtherPublicAuthority; in exports, a state-authority or region name) — fællesoffentlig, KL
  Delrapport 2, Bilag 1;
- SENSITIVE when DataType is "Følsomme persondata" (Delrapport 1, "Simpel risikovurdering": not Lav).
The vendor is the usage row's Leverandør, else the vendor of a contract that lists the system.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb

from tuscan.candidates import (
    COMMON_PUBLIC_SIGNAL,
    MENTION,
    SENSITIVE,
    SHARED_SIGNAL,
    Candidate,
    Evidence,
    candidate_source,
)
from tuscan.names import normalise

SYSTEMS_SQL = """
SELECT record_kind, uuid, name, local_name, rights_holder, rights_holder_public, vendor, data_type, usage_count,
       using_organisations, active, in_use, origin, source_row
FROM kitos_systems
ORDER BY imported_run DESC, origin, source_row
"""
CONTRACTS_SQL = "SELECT name, vendor, systems, system_uuids FROM kitos_contracts WHERE vendor IS NOT NULL " \
                "ORDER BY imported_run DESC, origin, source_row"
SENSITIVE_DATA = "følsomme"      # "Følsomme persondata" (also "Følsomme personoplysninger")


@dataclass
class _System:
    name: str
    uuid: str | None = None
    local_names: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)     # usage rows (newest import first)
    catalog: list[tuple] = field(default_factory=list)  # catalog rows


def _key(uuid: str | None, name: str) -> str:
    return f"uuid:{uuid.lower()}" if uuid else f"name:{normalise(name)}"


def _where(origin: str, row: int | None) -> str:
    if origin.startswith("api:"):
        return "KITOS API"
    short = origin.replace("\\", "/").rsplit("/", 1)[-1]
    return f"{short}, row {row}" if row else short


def _first(rows: list[tuple], index: int):
    return next((r[index] for r in rows if r[index] not in (None, [], "")), None)


@candidate_source("kitos")
def kitos_candidates(con: duckdb.DuckDBPyConnection) -> Iterable[Candidate]:
    rows = con.execute(SYSTEMS_SQL).fetchall()
    catalog_by_uuid: dict[str, list[tuple]] = {}
    catalog_by_name: dict[str, list[tuple]] = {}
    systems: dict[str, _System] = {}
    # A row without a UUID joins the system of the same name that has one (whatever the row order).
    name_to_key = {normalise(r[2]): _key(r[1], r[2]) for r in reversed(rows) if r[1] and (r[0] == "usage" or r[11])}
    for row in rows:
        kind, uuid, name, local_name, *_rest, in_use = row[:12]
        if kind == "catalog":
            if uuid:
                catalog_by_uuid.setdefault(uuid.lower(), []).append(row)
            catalog_by_name.setdefault(normalise(name), []).append(row)
        if kind == "usage" or in_use:
            key = _key(uuid, name) if uuid else name_to_key.get(normalise(name), _key(None, name))
            system = systems.setdefault(key, _System(name, uuid))
            name_to_key.setdefault(normalise(name), key)
            if kind == "usage":
                system.rows.append(row)
            else:
                system.catalog.append(row)
            if local_name and local_name not in system.local_names and normalise(local_name) != normalise(name):
                system.local_names.append(local_name)

    vendors_by_system: dict[str, str] = {}
    for _contract, vendor, names, uuids in con.execute(CONTRACTS_SQL).fetchall():
        for uuid in uuids or []:
            vendors_by_system.setdefault(f"uuid:{uuid.lower()}", vendor)
        for name in names or []:
            vendors_by_system.setdefault(f"name:{normalise(name)}", vendor)

    candidates = []
    for key, system in systems.items():
        catalog = list(system.catalog)
        if system.uuid:
            catalog += catalog_by_uuid.get(system.uuid.lower(), [])
        if not catalog:
            catalog = catalog_by_name.get(normalise(system.name), [])
        candidates.append(_candidate(key, system, catalog, vendors_by_system))
    return candidates


def _candidate(key: str, system: _System, catalog: list[tuple], vendors: dict[str, str]) -> Candidate:
    both = system.rows + catalog
    ref = system.uuid or system.name
    first = system.rows[0] if system.rows else catalog[0]
    where = _where(first[12], first[13])
    inactive = all(r[10] is False for r in system.rows) and bool(system.rows)
    detail = f"Listed in KITOS as in use ({where})" + ("; marked not active in KITOS" if inactive else "")
    evidence = [Evidence("kitos", ref, MENTION, detail)]

    count = max((r[8] for r in both if r[8] is not None), default=None)
    organisations = _first(catalog, 9) or _first(system.rows, 9) or []
    if (count or 0) >= 2 or len(organisations) >= 2:
        n = max(count or 0, len(organisations))
        detail = f"KITOS: used by {n} organisations"
        if organisations:
            detail += " (" + ", ".join(organisations[:3]) + (", …" if len(organisations) > 3 else "") + ")"
        evidence.append(Evidence("kitos", ref, SHARED_SIGNAL, detail, term=str(n)))

    holder = _first(both, 4)
    if any(r[5] for r in both) and holder:
        evidence.append(Evidence("kitos", ref, COMMON_PUBLIC_SIGNAL,
                                 f"KITOS: the rights holder {holder} is another public authority", term=holder))

    data_type = next((r[7] for r in both if r[7] and SENSITIVE_DATA in r[7].lower()), None)
    if data_type:
        evidence.append(Evidence("kitos", ref, SENSITIVE, f"KITOS DataType: {data_type}", term=data_type))

    vendor = _first(system.rows, 6) or vendors.get(key) or vendors.get(f"name:{normalise(system.name)}")
    return Candidate(system.name, "kitos", vendor=vendor, evidence=evidence, other_names=list(system.local_names),
                     name_signal="KITOS")
