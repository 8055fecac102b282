"""Read a KITOS export (xlsx, or CSV saved from Excel) into typed rows.

    export = read_export(path)   # → KitosExport(kind, systems | contracts, skipped)

The kind is decided by the content, never by the file name (users rename files and browsers drop
".xlsx"): a zip file is read as xlsx, an old binary .xls is refused with a hint, anything else is tried
as CSV (";" or ",", UTF-8 with or without BOM, or cp1252). The header is row 1; columns are found by
name (`tuscan.kitos.headers`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tuscan.errors import TuscanError
from tuscan.kitos import values
from tuscan.kitos.headers import CATALOG, CONTRACTS, LAYOUTS, USAGE, detect_kind, map_columns

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"   # Excel 97–2003 .xls


class KitosExportError(TuscanError):
    """A KITOS export could not be read."""


class UnknownExport(KitosExportError):
    """The file is readable but is none of the KITOS exports tuscan knows (its headers do not match)."""


class UnreadableExport(KitosExportError):
    """The file is not an xlsx workbook or a CSV text file (or it is damaged)."""


@dataclass
class KitosSystemRow:
    record_kind: str                      # usage | catalog
    name: str
    uuid: str | None = None
    parent: str | None = None
    local_id: str | None = None
    local_name: str | None = None
    rights_holder: str | None = None
    rights_holder_cvr: str | None = None
    rights_holder_public: bool | None = None
    vendor: str | None = None
    vendor_cvr: str | None = None
    business_type: str | None = None
    data_type: str | None = None
    usage_count: int | None = None
    using_organisations: list[str] = field(default_factory=list)
    contracts: list[str] = field(default_factory=list)
    status: str | None = None
    active: bool | None = None
    in_use: bool | None = None
    source_row: int | None = None


@dataclass
class KitosContractRow:
    name: str
    contract_id: str | None = None
    vendor: str | None = None
    vendor_cvr: str | None = None
    systems: list[str] = field(default_factory=list)
    system_uuids: list[str] = field(default_factory=list)
    valid_from: object = None             # datetime.date | None
    valid_to: object = None
    source_row: int | None = None


@dataclass
class KitosExport:
    path: str
    kind: str                             # usage | catalog | contracts
    systems: list[KitosSystemRow] = field(default_factory=list)
    contracts: list[KitosContractRow] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)   # "row 7: no system name"
    columns: list[str] = field(default_factory=list)   # fields found

    @property
    def imported(self) -> int:
        return len(self.systems) + len(self.contracts)


def expected_headers_text() -> str:
    return "; ".join(f"{layout.title}: " + ", ".join(f'"{h}"' for h in layout.expected_headers())
                     for layout in LAYOUTS.values())


def content_sha256(path: str | Path) -> tuple[str, int]:
    """(sha256 hex digest, size) of the file's bytes: an export is recognised by what it holds, since
    browsers save a second download as "… (1).xlsx" and users rename files."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256")
            return digest.hexdigest(), handle.tell()
    except OSError as exc:
        raise UnreadableExport(f"{path}: cannot open ({exc.strerror or exc})") from None


def read_table(path: str | Path) -> list[list[object]]:
    """All rows of the first sheet (xlsx) or of the CSV file, header first."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise UnreadableExport(f"{path}: cannot open ({exc.strerror or exc})") from None
    if head.startswith(ZIP_MAGIC):
        return _read_xlsx(path)
    if head.startswith(OLE_MAGIC):
        raise UnreadableExport(f"{path}: an old Excel 97–2003 (.xls) file; open it in Excel and save it as .xlsx")
    return _read_csv(path)


def _read_xlsx(path: Path) -> list[list[object]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    # A file object, not the path: openpyxl refuses paths without an xlsx extension, and browsers
    # and users drop it.
    with path.open("rb") as handle:
        try:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
            raise UnreadableExport(f"{path}: a zip file but not a readable xlsx workbook "
                                   f"({type(exc).__name__})") from None
        try:
            sheet = workbook.worksheets[0]
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()


def _read_csv(path: Path) -> list[list[object]]:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise UnreadableExport(f"{path}: neither an xlsx workbook nor a CSV text file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            content = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise UnreadableExport(f"{path}: text in an unknown encoding")
    first_line = content.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)]


def read_export(path: str | Path) -> KitosExport:
    """Read one export file. Raises UnknownExport (naming the expected headers) or UnreadableExport."""
    rows = read_table(path)
    header_index = next((i for i, row in enumerate(rows[:5]) if any(values.text(c) for c in row)), None)
    headers = rows[header_index] if header_index is not None else []
    kind = detect_kind(headers)
    if kind is None:
        shown = ", ".join(f'"{values.text(h)}"' for h in headers if values.text(h))[:300] or "no header row"
        raise UnknownExport(f"{path}: not a KITOS export tuscan knows (found {shown}). Expected the headers of "
                            f"one of: {expected_headers_text()}")
    columns = map_columns(LAYOUTS[kind], headers)
    export = KitosExport(str(path), kind, columns=sorted(columns))
    for offset, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        if not any(values.text(c) for c in row):
            continue   # blank rows (templates carry dozens) are not data
        cells = {f: (row[i] if i < len(row) else None) for f, i in columns.items()}
        if kind == CONTRACTS:
            contract = contract_row(cells, offset)
            if contract is None:
                export.skipped.append(f"row {offset}: no contract name")
            else:
                export.contracts.append(contract)
        else:
            system = system_row(kind, cells, offset)
            if system is None:
                export.skipped.append(f"row {offset}: no system name")
            else:
                export.systems.append(system)
    return export


def system_row(kind: str, cells: dict[str, object], row_number: int | None) -> KitosSystemRow | None:
    name, unavailable = values.clean_name(cells.get("name"))
    if not name:
        return None
    rights_holder, rights_cvr = values.split_name_cvr(cells.get("rights_holder"))
    vendor, vendor_cvr = values.split_name_cvr(cells.get("vendor"))
    parent, _ = values.clean_name(cells.get("parent"))
    status = values.text(cells.get("status"))
    using = values.split_list(cells.get("using_organisations"))
    count = values.to_int(cells.get("usage_count"))
    used_by = cells.get("used_by")
    # "IT System: Anvendes af": a count in the current UI, the organisations' names before 2025.
    if values.to_int(used_by) is not None:
        count = values.to_int(used_by) if count is None else count
    elif values.text(used_by):
        using = using or values.split_list(used_by)
    if count is None and using:
        count = len(using)
    active = not (unavailable or values.is_inactive_status(status)) if (status or unavailable) else None
    return KitosSystemRow(
        record_kind=USAGE if kind == USAGE else CATALOG,
        name=name,
        uuid=values.text(cells.get("uuid")),
        parent=parent,
        local_id=values.text(cells.get("local_id")),
        local_name=values.text(cells.get("local_name")),
        rights_holder=rights_holder,
        rights_holder_cvr=rights_cvr,
        rights_holder_public=values.looks_like_public_authority(rights_holder),
        vendor=vendor,
        vendor_cvr=vendor_cvr,
        business_type=values.text(cells.get("business_type")),
        data_type=values.text(cells.get("data_type")),
        usage_count=count,
        using_organisations=using,
        contracts=values.split_list(cells.get("contracts")),
        status=status,
        active=active,
        in_use=values.yes_no(cells.get("in_use")),
        source_row=row_number,
    )


def contract_row(cells: dict[str, object], row_number: int | None) -> KitosContractRow | None:
    name, _ = values.clean_name(cells.get("name"))
    if not name:
        return None
    vendor, vendor_cvr = values.split_name_cvr(cells.get("vendor"))
    return KitosContractRow(
        name=name,
        contract_id=values.text(cells.get("contract_id")),
        vendor=vendor,
        vendor_cvr=vendor_cvr,
        systems=values.split_list(cells.get("systems")),
        system_uuids=[u for u in (values.text(x) for x in values.split_list(cells.get("system_uuids"))) if u],
        valid_from=values.to_date(cells.get("valid_from")),
        valid_to=values.to_date(cells.get("valid_to")),
        source_row=row_number,
    )
