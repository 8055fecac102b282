"""KL's lists as data a municipality can update: import a newer version of a list, see the versions.

KL revises its lists of shared TU-solutions (Delrapport 1, Bilag 3), common public solutions
(Delrapport 2, Bilag 1) and the KITOS list of systems 20+ municipalities use (Delrapport 1, Bilag 4).
A municipality imports the file KL publishes (Excel or CSV), or the output of `tuscan aggregate`,
as a new version of one list; the inventory database keeps every version with its provenance (file
name, sha256, date, source, row count), and classification uses the newest version of each list in
place of the bundled CSV (`tuscan.classify.reference_matcher`).

The column holding the system names is found by its header ("System", "Løsning", "Navn", …), in the
first rows of the sheet, since KL's spreadsheets often start with a title row. Excel files are read
with openpyxl (already used for the KITOS exports); CSV with the standard library, sniffing the
delimiter Excel wrote (";" in a Danish locale).
"""

from __future__ import annotations

import csv
import getpass
import hashlib
import io
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

import reference
from tuscan.db import transaction
from tuscan.errors import TuscanError
from tuscan.names import fold

# --list value → the list's name in the reference data and in list keys ("kl_shared_tu:Aula").
LIST_CHOICES: dict[str, str] = {
    "shared": "kl_shared_tu",
    "common_public": "kl_common_public",
    "kitos20": "kitos_common_systems",
}
LIST_TITLES: dict[str, str] = {
    "kl_shared_tu": "TU-løsninger som flere kommuner anvender (Delrapport 1, Bilag 3)",
    "kl_common_public": "Fællesoffentlige løsninger (Delrapport 2, Bilag 1)",
    "kitos_common_systems": "IT-systemer fra KITOS, 20+ kommuner (Delrapport 1, Bilag 4)",
}
# `tuscan aggregate` output: the category a row must have to be on a list, and (KITOS 20+) how many
# municipalities must use the system.
AGGREGATE_CATEGORY = {"kl_shared_tu": "shared", "kl_common_public": "common_public"}
KITOS_MUNICIPALITIES = 20

# Headers that hold the system's name, best first (folded: lower case, no accents).
NAME_HEADERS = ("system", "systemnavn", "system navn", "it-system", "it system", "løsning", "losning",
                "løsningens navn", "tu-løsning", "tu-losning", "navn", "name", "kl_name", "produkt")
NAME_WORDS = ("system", "løsning", "losning", "navn", "name")
# Header words that make a column about something else even when it says "system" ("Systemejer").
NOT_NAME_WORDS = ("ejer", "leverandør", "leverandor", "vendor", "antal", "kategori", "category", "id",
                  "type", "url", "kommune", "stemmer", "votes", "brugt", "used", "niveau", "dato")
VENDOR_HEADERS = ("leverandør", "leverandor", "leverandører", "vendor", "vendors", "leverandørnavn")
CATEGORY_HEADERS = ("suggested_category", "forslag til kategori", "kategori", "category")
COUNT_HEADERS = ("municipalities", "antal kommuner", "kommuner i alt")
HEADER_ROWS_SEARCHED = 10
AGGREGATE_SHEETS = ("Alle systemer", "TU-løsninger")


#: A new version with fewer than half the entries of the list it replaces is probably a partial file.
SHRINK_WARNING = 2


class ListImportError(TuscanError):
    """A file given to `tuscan lists import` cannot be read as a list of systems."""


@dataclass
class ListImport:
    """What one import stored (or why it stored nothing new)."""

    list: str
    file_name: str
    sha256: str
    name_column: str
    version_id: int | None = None
    rows: int = 0
    skipped: dict[str, int] = field(default_factory=dict)   # why → rows
    unchanged_version: int | None = None                    # the same file is already the newest version
    replaced_rows: int = 0                                  # entries of the version in use until now

    def describe(self) -> str:
        if self.unchanged_version is not None:
            return (f"{self.file_name} is already version {self.unchanged_version} of {self.list}"
                    " (same content); nothing stored.")
        skipped = "".join(f"; skipped {n} row(s): {why}" for why, n in sorted(self.skipped.items()))
        line = (f"Imported {self.rows} systems from {self.file_name} (column {self.name_column!r}) as version"
                f" {self.version_id} of {self.list}{skipped}.")
        if self.rows * SHRINK_WARNING < self.replaced_rows:
            line += (f"\nNote: the list in use until now had {self.replaced_rows} systems; a version replaces the"
                     " whole list, so the others no longer count. If the file holds only new or changed"
                     " entries, import the complete list instead.")
        return line


# --- reading ------------------------------------------------------------------------------------------

def _header(cell) -> str:
    return " ".join(fold(str(cell or "")).replace("_", " ").split()) if cell is not None else ""


def _raw_header(cell) -> str:
    return " ".join(str(cell or "").split())


def _name_column(headers: list[str]) -> int | None:
    folded = [_header(h) for h in headers]
    for wanted in NAME_HEADERS:
        target = _header(wanted)
        if target in folded:
            return folded.index(target)
    # A header merely containing a name word ("Løsningens navn", "Navn på system") counts only in a
    # row of several headers: a title row above the table ("KL's liste over TU-løsninger") is no header.
    if sum(1 for h in folded if h) < 2:
        return None
    for i, h in enumerate(folded):
        if len(h.split()) > 4:
            continue
        words = h.replace("-", " ").split()
        if any(w.startswith(n) or w.endswith(n) for w in words for n in NAME_WORDS) and \
                not any(bad in w for w in words for bad in NOT_NAME_WORDS):
            return i
    return None


def _column(headers: list[str], wanted: tuple[str, ...]) -> int | None:
    folded = [_header(h) for h in headers]
    for w in wanted:
        if _header(w) in folded:
            return folded.index(_header(w))
    return None


def _read_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    # Excel writes ";" in a Danish locale, "," elsewhere; a title row above the header has neither,
    # so the delimiter is the one used most in the first lines (csv.Sniffer gives up on such files).
    head = text[:8192]
    delimiter = max(";\t,", key=head.count) if any(d in head for d in ";\t,") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _read_xlsx(path: Path) -> list[tuple[str, list[list]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with open(path, "rb") as handle:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
            sheets = [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in workbook.worksheets]
            workbook.close()
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ListImportError(f"{path.name}: not a readable Excel file ({exc})") from exc
    # `tuscan aggregate`'s workbook: every system is on "Alle systemer".
    preferred = [s for s in sheets if s[0] in AGGREGATE_SHEETS]
    return sorted(preferred, key=lambda s: AGGREGATE_SHEETS.index(s[0])) + [s for s in sheets if s not in preferred]


def _read_parquet(path: Path) -> list[list]:
    try:
        con = duckdb.connect()
        cursor = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
        rows = [[d[0] for d in cursor.description], *[list(r) for r in cursor.fetchall()]]
        con.close()
    except duckdb.Error as exc:
        raise ListImportError(f"{path.name}: not a readable Parquet file ({exc})") from exc
    return rows


def _tables(path: Path, data: bytes) -> list[tuple[str, list[list]]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return [("", _read_csv(data))]
    if suffix == ".parquet":
        return [("", _read_parquet(path))]
    raise ListImportError(f"{path.name}: give an Excel (.xlsx), CSV or Parquet file (tuscan aggregate's"
                          f" output), not {suffix or 'a file without an extension'}")


def _locate(tables: list[tuple[str, list[list]]]) -> tuple[str, int, list[str], list[list]]:
    """(sheet, header row index, headers, data rows) of the first table with a name column."""
    seen: list[str] = []
    for sheet, rows in tables:
        for i, row in enumerate(rows[:HEADER_ROWS_SEARCHED]):
            headers = [_raw_header(c) for c in row]
            if _name_column(headers) is not None:
                return sheet, i, headers, rows[i + 1:]
            if not seen and any(headers):
                seen = [h for h in headers if h]
    found = f" The first row has: {', '.join(seen[:12])}." if seen else " The file has no rows."
    raise ListImportError("no column with system names (expected a header such as \"System\", \"Løsning\" or"
                          f" \"Navn\" in the first {HEADER_ROWS_SEARCHED} rows).{found}")


def read_list(path: str | os.PathLike, list_name: str) -> tuple[str, list[tuple[str, str | None, int]], dict]:
    """(name column, [(name, vendor, row number)], {why skipped: rows}) of a list file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ListImportError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    try:
        _sheet, _at, headers, rows = _locate(_tables(path, data))
    except ListImportError as exc:
        raise ListImportError(f"{path.name}: {exc}") from None
    name_i = _name_column(headers)
    vendor_i = _column(headers, VENDOR_HEADERS)
    category_i = _column(headers, CATEGORY_HEADERS)
    count_i = _column(headers, COUNT_HEADERS)
    wanted_category = AGGREGATE_CATEGORY.get(list_name)
    entries: list[tuple[str, str | None, int]] = []
    skipped: dict[str, int] = {}
    seen: set[str] = set()

    def skip(why: str) -> None:
        skipped[why] = skipped.get(why, 0) + 1

    for number, row in enumerate(rows, start=1):
        cell = row[name_i] if name_i < len(row) else None
        name = " ".join(str(cell).split()) if cell is not None else ""
        if not name:
            skip("no name")
            continue
        if category_i is not None and wanted_category and category_i < len(row):
            category = _category(row[category_i])
            if category and category != wanted_category:
                skip(f"category is not {wanted_category}")
                continue
        if count_i is not None and list_name == "kitos_common_systems" and count_i < len(row):
            count = _number(row[count_i])
            if count is not None and count < KITOS_MUNICIPALITIES:
                skip(f"used by fewer than {KITOS_MUNICIPALITIES} municipalities")
                continue
        if fold(name) in seen:
            skip("the same name again")
            continue
        seen.add(fold(name))
        vendor = row[vendor_i] if vendor_i is not None and vendor_i < len(row) else None
        vendor = str(vendor).split(";")[0].strip() or None if vendor not in (None, "") else None
        entries.append((name, vendor, number))
    if not entries:
        raise ListImportError(f"{path.name}: no system names in column {headers[name_i]!r}"
                              + "".join(f"; {n} row(s) skipped: {why}" for why, n in sorted(skipped.items())))
    return headers[name_i], entries, skipped


def _category(value) -> str | None:
    """A category as `tuscan aggregate` writes it: the code (CSV, Parquet) or the Danish label (xlsx)."""
    from tuscan.labels import CATEGORY_LABELS

    text = str(value or "").strip()
    if not text:
        return None
    by_label = {fold(label): code for code, label in CATEGORY_LABELS.items()}
    return by_label.get(fold(text), text)


def _number(value) -> int | None:
    try:
        return int(float(str(value).strip()))
    except (TypeError, ValueError):
        return None


# --- storing ------------------------------------------------------------------------------------------

def import_list(con: duckdb.DuckDBPyConnection, path: str | os.PathLike, choice: str, *,
                source: str | None = None, imported_by: str | None = None) -> ListImport:
    """Store the file's systems as a new version of the list `choice` (shared, common_public, kitos20)."""
    if choice not in LIST_CHOICES:
        raise ListImportError(f"--list must be one of {', '.join(LIST_CHOICES)}, not {choice!r}")
    list_name = LIST_CHOICES[choice]
    path = Path(path)
    name_column, entries, skipped = read_list(path, list_name)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    result = ListImport(list_name, path.name, digest, name_column, rows=len(entries), skipped=skipped)
    newest = con.execute("SELECT version_id, sha256 FROM list_versions WHERE list = ?"
                         " ORDER BY version_id DESC LIMIT 1", [list_name]).fetchone()
    if newest and newest[1] == digest:
        result.unchanged_version = newest[0]
        return result
    result.replaced_rows = (
        con.execute("SELECT count(*) FROM list_entries WHERE version_id = ?", [newest[0]]).fetchone()[0]
        if newest else len(reference.load_list(list_name)))
    with transaction(con):
        result.version_id = con.execute(
            "INSERT INTO list_versions (list, file_name, sha256, source, name_column, row_count, imported_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING version_id",
            [list_name, path.name, digest, source, name_column, len(entries),
             imported_by or getpass.getuser()]).fetchone()[0]
        con.executemany("INSERT INTO list_entries (version_id, name, vendor, row_number) VALUES (?, ?, ?, ?)",
                        [(result.version_id, name, vendor, number) for name, vendor, number in entries])
    return result


def imported_entries(con: duckdb.DuckDBPyConnection) -> dict[str, list[reference.ReferenceEntry]]:
    """list name → the entries of its newest imported version (lists never imported are absent)."""
    newest = con.execute("SELECT list, max(version_id) FROM list_versions GROUP BY list").fetchall()
    out: dict[str, list[reference.ReferenceEntry]] = {}
    for list_name, version_id in newest:
        file_name, imported_at = con.execute("SELECT file_name, imported_at FROM list_versions WHERE version_id = ?",
                                             [version_id]).fetchone()
        appendix = f"{LIST_TITLES.get(list_name, list_name)}; imported from {file_name} on {imported_at:%Y-%m-%d}"
        out[list_name] = [reference.ReferenceEntry(name=name, list=list_name, appendix=appendix, seed_line=0,
                                                   vendor=vendor or "", note=f"version {version_id}, row {number}")
                          for name, vendor, number in con.execute(
                              "SELECT name, vendor, row_number FROM list_entries WHERE version_id = ?"
                              " ORDER BY row_number", [version_id]).fetchall()]
    return out


def list_versions(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every imported version, newest first per list, with `in_use` on the one classification uses."""
    cursor = con.execute(
        "SELECT version_id, list, file_name, row_count, source, imported_by, imported_at, sha256,"
        " version_id = max(version_id) OVER (PARTITION BY list) AS in_use"
        " FROM list_versions ORDER BY list, version_id DESC")
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]


def describe_versions(con: duckdb.DuckDBPyConnection) -> str:
    """What `tuscan lists show` prints: per list, the version in use and the earlier ones."""
    versions = list_versions(con)
    lines = []
    for list_name in reference.LISTS:
        mine = [v for v in versions if v["list"] == list_name]
        lines.append(f"{list_name}: {LIST_TITLES.get(list_name, '')}")
        if not mine:
            lines.append(f"  in use: bundled with tuscan (reference/{reference.LISTS[list_name]},"
                         f" {len(reference.load_list(list_name))} systems)")
        for v in mine:
            state = "in use" if v["in_use"] else "earlier"
            source = f", source: {v['source']}" if v["source"] else ""
            lines.append(f"  {state}: version {v['version_id']}, {v['file_name']} ({v['row_count']} systems),"
                         f" imported {v['imported_at']:%Y-%m-%d %H:%M} by {v['imported_by']}{source},"
                         f" sha256 {v['sha256'][:12]}")
    return "\n".join(lines)


# --- what changed ---------------------------------------------------------------------------------------

def category_changes(con: duckdb.DuckDBPyConnection, run_id: int) -> list[tuple[str, str | None, str | None]]:
    """(system, category before, category now) for systems whose category differs between the
    classification `run_id` and the one before it (None: the system is new or gone)."""
    previous = con.execute("SELECT max(run_id) FROM inventory_history WHERE run_id < ?", [run_id]).fetchone()[0]
    if previous is None:
        return []
    return con.execute(
        "SELECT coalesce(n.system, b.system), b.category, n.category"
        " FROM (SELECT * FROM inventory_history WHERE run_id = ?) n"
        " FULL OUTER JOIN (SELECT * FROM inventory_history WHERE run_id = ?) b ON b.system_key = n.system_key"
        " WHERE n.category IS DISTINCT FROM b.category ORDER BY lower(coalesce(n.system, b.system))",
        [run_id, previous]).fetchall()


def describe_changes(changes: list[tuple[str, str | None, str | None]]) -> str:
    if not changes:
        return "No system changed category."
    lines = [f"{len(changes)} system(s) changed category:"]
    for system, before, now in changes:
        lines.append(f"  {system}: {before or '(not in the inventory)'} → {now or '(no longer in the inventory)'}")
    return "\n".join(lines)
