"""KL's cross-municipal list: many municipalities' share files → one list of systems with counts.

The same system is written differently by different municipalities ("EG Netforvaltning Sundhed",
"NetForvaltning – Sundhed"), so names are clustered with the same rules the KL-list matching uses
(`tuscan.names`: normalisation, aliases, vendor words, fuzzy ratio): distinct names are compared
pairwise (rapidfuzz's cdist as a fast pre-filter, `same_system` to confirm), and names that matched
the same entry on a KL list are the same system. Clusters are joined transitively.

Per cluster the list counts municipalities, shows each category's votes and flags what KL's reports
warn about (Delrapport 1 and 2):

- own_but_shared: called *own* by a municipality, but found in two or more municipalities;
- common_public_reported_locally: a common public solution (on KL's list, or called so by some
  municipality) that another municipality reports as own or shared — "common public wins";
- classified_differently: municipalities put the same system in different categories ("unknown" is
  not a classification and is not counted).
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
from rapidfuzz import process

from tuscan import names
from tuscan.errors import TuscanError
from tuscan.labels import CATEGORY_ORDER, category_label
from tuscan.share import SCHEMA_VERSION, SHARE_COLUMNS, write_parquet


class ShareFileError(TuscanError):
    """A file given to `tuscan aggregate` is not a readable tuscan share file."""


class DuplicateMunicipality(TuscanError):
    """Two share files are from the same municipality code."""


class UnsupportedOutput(TuscanError):
    """The --out file's extension is not .xlsx, .parquet or .csv."""


INCONSISTENCY_TEXT = {
    "own_but_shared": "kaldt egen løsning, men findes i flere kommuner",
    "common_public_reported_locally": "fællesoffentlig løsning indberettet som egen eller fælles TU-løsning",
    "classified_differently": "kommunerne har placeret systemet i forskellige kategorier",
}

REQUIRED = {"schema_version", "municipality", "municipality_code", "system", "category"}


def read_shares(files: list[str | os.PathLike]) -> list[dict]:
    """All rows of all share files; one municipality per code."""
    if not files:
        raise ShareFileError("give at least one share file (made with tuscan share)")
    rows: list[dict] = []
    seen: dict[str, str] = {}
    con = duckdb.connect()
    try:
        for file in files:
            path = Path(file)
            if not path.is_file():
                raise ShareFileError(f"{path}: no such file")
            try:
                cursor = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
            except duckdb.Error as exc:
                raise ShareFileError(f"{path}: not a Parquet share file ({exc})") from None
            columns = [d[0] for d in cursor.description]
            missing = REQUIRED - set(columns)
            if missing:
                raise ShareFileError(f"{path}: not a tuscan share file (missing {', '.join(sorted(missing))})")
            file_rows = [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]
            for row in file_rows:
                if row["schema_version"] is None or row["schema_version"] > SCHEMA_VERSION:
                    raise ShareFileError(f"{path}: schema version {row['schema_version']} is newer than this "
                                         f"tuscan reads ({SCHEMA_VERSION}); upgrade tuscan")
            for code in {r["municipality_code"] for r in file_rows}:
                if code in seen and seen[code] != str(path):
                    raise DuplicateMunicipality(f"municipality {code} is in both {seen[code]} and {path}")
                seen[code] = str(path)
            rows.extend(file_rows)
    finally:
        con.close()
    return rows


# --- clustering -------------------------------------------------------------------------------------
class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _comparable(name: str) -> str:
    """The normalised name with the alias table applied ("FMK" → "fmk fælles medicinkort"), so the
    pre-filter sees alias pairs as equal. Uses tuscan.names' alias helpers: the same table as matching."""
    canonical = names.canonical(name)
    return canonical or name.casefold()


def cluster_names(system_names: list[str], same_entry: list[list[str]] = ()) -> dict[str, int]:
    """Name → cluster number. `same_entry` lists groups of names known to be one system (they matched
    the same KL list entry)."""
    distinct = sorted(set(system_names))
    index = {name: i for i, name in enumerate(distinct)}
    uf = _UnionFind(len(distinct))
    norms = [_comparable(n) for n in distinct]
    if distinct:
        # Pre-filter with the matcher's scorer on the normalised names, then confirm with the full
        # rules (aliases, vendor words, version numbers).
        scores = process.cdist(norms, norms, scorer=names.SCORER, score_cutoff=names.THRESHOLD,
                               dtype=np.uint8, workers=-1)
        for i, j in zip(*np.nonzero(scores), strict=True):
            if i < j and names.same_system(distinct[i], distinct[j]):
                uf.union(int(i), int(j))
    for group in same_entry:
        members = [index[n] for n in group if n in index]
        for other in members[1:]:
            uf.union(members[0], other)
    return {name: uf.find(i) for name, i in index.items()}


@dataclass
class ClusterSummary:
    system: str
    vendors: list[str]
    municipalities: int
    municipality_names: list[str]
    votes: dict[str, int]
    suggested_category: str
    levels: dict[str, int]
    flags: list[str]
    kl_list: str | None
    kl_name: str | None
    names_used: list[str]
    inconsistencies: list[str]


def _most_common(values: list[str]) -> str | None:
    values = [v for v in values if v]
    if not values:
        return None
    counts = Counter(values)
    return sorted(counts, key=lambda v: (-counts[v], len(v), v))[0]


def summarise(rows: list[dict]) -> ClusterSummary:
    by_municipality: dict[str, set[str]] = defaultdict(set)
    municipality_names: dict[str, str] = {}
    for r in rows:
        by_municipality[r["municipality_code"]].add(r["category"])
        municipality_names[r["municipality_code"]] = r["municipality"]
    # A municipality votes once per category it used for the system.
    votes = {c: sum(1 for cats in by_municipality.values() if c in cats) for c in CATEGORY_ORDER}
    count = len(by_municipality)
    kl_list = _most_common([r.get("matched_list") for r in rows])
    is_common_public = votes["common_public"] > 0 or any(r.get("matched_list") == "kl_common_public" for r in rows)
    flags = []
    if votes["own"] and count >= 2:
        flags.append("own_but_shared")
    if is_common_public and (votes["own"] or votes["shared"]):
        flags.append("common_public_reported_locally")
    if len({c for cats in by_municipality.values() for c in cats} - {"unknown"}) > 1:
        flags.append("classified_differently")
    # What KL would list it as: common public wins; used by several → shared (Delrapport 2, Bilag 1; Delrapport 1, Bilag 3).
    if is_common_public:
        suggested = "common_public"
    elif votes["shared"] or (count >= 2 and (votes["own"] or votes["unknown"])):
        suggested = "shared"
    elif votes["own"]:
        suggested = "own"
    elif votes["not_tu"] and not votes["unknown"]:
        suggested = "not_tu"
    else:
        suggested = "unknown"
    levels = Counter(r.get("suggested_level") for r in rows if r.get("suggested_level"))
    return ClusterSummary(
        system=_most_common([r.get("matched_name") for r in rows]) or _most_common([r["system"] for r in rows]),
        vendors=sorted({r["vendor"] for r in rows if r.get("vendor")}),
        municipalities=count,
        municipality_names=sorted(municipality_names.values()),
        votes=votes,
        suggested_category=suggested,
        levels=dict(sorted(levels.items())),
        flags=sorted({f for r in rows for f in (r.get("flags") or [])}),
        kl_list=kl_list,
        kl_name=_most_common([r.get("matched_name") for r in rows]),
        names_used=sorted({r["system"] for r in rows}),
        inconsistencies=flags,
    )


def aggregate(rows: list[dict]) -> list[ClusterSummary]:
    """Cluster the systems of all municipalities and summarise each cluster, most widespread first."""
    entries: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in rows:
        if r.get("matched_list") and r.get("matched_name"):
            entries[(r["matched_list"], r["matched_name"])].append(r["system"])
    cluster_of = cluster_names([r["system"] for r in rows], list(entries.values()))
    clusters: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        clusters[cluster_of[r["system"]]].append(r)
    summaries = [summarise(members) for members in clusters.values()]
    return sorted(summaries, key=lambda s: (-s.municipalities, s.system.casefold()))


# --- output -----------------------------------------------------------------------------------------
AGGREGATE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("system", "VARCHAR"),
    ("vendors", "VARCHAR[]"),
    ("municipalities", "INTEGER"),
    ("suggested_category", "VARCHAR"),
    *((f"votes_{c}", "INTEGER") for c in CATEGORY_ORDER),
    ("levels", "VARCHAR[]"),
    ("flags", "VARCHAR[]"),
    ("kl_list", "VARCHAR"),
    ("kl_name", "VARCHAR"),
    ("names_used", "VARCHAR[]"),
    ("municipality_names", "VARCHAR[]"),
    ("inconsistencies", "VARCHAR[]"),
    ("schema_version", "INTEGER"),
)


def _row(s: ClusterSummary) -> tuple:
    return (s.system, s.vendors, s.municipalities, s.suggested_category, *(s.votes[c] for c in CATEGORY_ORDER),
            [f"{k}: {v}" for k, v in s.levels.items()], s.flags, s.kl_list, s.kl_name, s.names_used,
            s.municipality_names, s.inconsistencies, SCHEMA_VERSION)


def _flat(value) -> object:
    return "; ".join(str(v) for v in value) if isinstance(value, list) else value


def write_aggregate(summaries: list[ClusterSummary], out: str | os.PathLike, municipalities: list[str]) -> Path:
    out = Path(out)
    suffix = out.suffix.lower()
    rows = [_row(s) for s in summaries]
    if suffix == ".parquet":
        return write_parquet(rows, AGGREGATE_COLUMNS, out)
    if suffix == ".csv":
        flat_columns = tuple((n, "VARCHAR" if t.endswith("[]") else t) for n, t in AGGREGATE_COLUMNS)
        return write_parquet([tuple(_flat(v) for v in r) for r in rows], flat_columns, out)
    if suffix == ".xlsx":
        return _write_xlsx(summaries, out, municipalities)
    raise UnsupportedOutput(f"--out must end in .xlsx, .parquet or .csv, not {out.name!r}")


def _write_xlsx(summaries: list[ClusterSummary], out: Path, municipalities: list[str]) -> Path:
    from openpyxl import Workbook

    from tuscan.report.xlsx import add_sheet

    workbook = Workbook()
    workbook.remove(workbook.active)
    headers = ["System", "Leverandør", "Antal kommuner", "Forslag til kategori",
               *(f"Stemmer: {category_label(c)}" for c in CATEGORY_ORDER), "Sikringsniveauer", "Flag", "KL-liste",
               "Navne brugt", "Kommuner", "Uoverensstemmelser"]

    def row(s: ClusterSummary) -> list:
        return [s.system, _flat(s.vendors), s.municipalities, category_label(s.suggested_category),
                *(s.votes[c] for c in CATEGORY_ORDER), _flat([f"{k}: {v}" for k, v in s.levels.items()]),
                _flat(s.flags), s.kl_name or s.kl_list, _flat(s.names_used), _flat(s.municipality_names),
                _flat([INCONSISTENCY_TEXT[i] for i in s.inconsistencies])]

    add_sheet(workbook, "TU-løsninger", headers,
              [row(s) for s in summaries if s.suggested_category not in ("not_tu",)])
    add_sheet(workbook, "Uoverensstemmelser", headers, [row(s) for s in summaries if s.inconsistencies])
    add_sheet(workbook, "Alle systemer", headers, [row(s) for s in summaries])
    add_sheet(workbook, "Kommuner", ["Kommune"], [[m] for m in municipalities])
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return out


def aggregate_files(files: list[str | os.PathLike], out: str | os.PathLike) -> list[ClusterSummary]:
    """Read share files, aggregate, write the list; returns the summaries."""
    if Path(out).suffix.lower() not in (".xlsx", ".parquet", ".csv"):
        raise UnsupportedOutput(f"--out must end in .xlsx, .parquet or .csv, not {Path(out).name!r}")
    rows = read_shares(files)
    summaries = aggregate(rows)
    municipalities = sorted({f"{r['municipality_code']} {r['municipality']}" for r in rows})
    write_aggregate(summaries, out, municipalities)
    return summaries


__all__ = ["SHARE_COLUMNS", "aggregate", "aggregate_files", "cluster_names", "read_shares"]
