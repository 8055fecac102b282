"""Column maps of the three KITOS web-UI exports, for both UI generations.

Users export "all columns" or only the "shown columns", in their own order, so columns are found by
header name, never by position. Headers are compared after `normalise_header` (case, spaces, ':',
'-' and the bulk-import template's "(påkrævet)" ignored). Unknown columns — per-role columns such as
"Systemejer", free-text notes — are ignored.

Exports (file names as KITOS suggests them):
- usage     "IT Systemer Overblik": the systems the municipality uses (current UI: "IT System",
            "IT-System (UUID)", …; pre-2025 UI: "It System", "Datatype", …).
- catalog   "IT Systemkatalog Overblik": every system in KITOS, with how many organisations use it
            (current UI: "IT System: Anvendes af" is a count and "… organisationer" the names;
            pre-2025 UI: "Antal anvendere" is the count and "IT System: Anvendes af" the names).
- contracts "IT Kontrakter Overblik": contracts, their vendor and systems. The bulk-import template
            ("IT Kontrakt Navn (påkrævet)", "Indgået", "Udløbsdato") is read as contracts too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

USAGE, CATALOG, CONTRACTS = "usage", "catalog", "contracts"
KINDS = (USAGE, CATALOG, CONTRACTS)

_DROP = re.compile(r"[\s:\-_.]+|\(påkrævet\)")


def normalise_header(text: object) -> str:
    """'IT-System (UUID)' → 'itsystem(uuid)'; 'IT System: Anvendes af' → 'itsystemanvendesaf'."""
    if text is None:
        return ""
    return _DROP.sub("", str(text).replace("\ufeff", "").strip().lower())


@dataclass(frozen=True)
class ExportLayout:
    kind: str
    title: str                           # what KITOS calls the export
    fields: dict[str, tuple[str, ...]]   # field → header names (either generation) as KITOS writes them
    name_field: str                      # the column a row cannot do without
    distinctive: tuple[str, ...]         # fields only this export has (decide the kind)

    def expected_headers(self) -> list[str]:
        """The current UI's names of the columns tuscan reads (first alias of each field)."""
        return [aliases[0] for aliases in self.fields.values()]

    def lookup(self) -> dict[str, str]:
        """normalised header → field."""
        return {normalise_header(alias): field for field, aliases in self.fields.items() for alias in aliases}


USAGE_LAYOUT = ExportLayout(
    kind=USAGE,
    title="IT Systemer Overblik (IT-systemer i anvendelse)",
    fields={
        "name": ("IT System", "It System", "IT-system", "Systemnavn"),
        "uuid": ("IT-System (UUID)", "IT System UUID", "UUID"),
        "parent": ("Overordnet IT System", "Overordnet It System", "Overordnet system"),
        "local_id": ("Lokal System ID", "Lokal system-ID"),
        "local_name": ("Lokal kaldenavn",),
        "business_type": ("Forretningstype",),
        "rights_holder": ("Rettighedshaver",),
        "vendor": ("Leverandør",),
        "data_type": ("DataType", "Datatype", "Klassifikation af data i systemet"),
        "contracts": ("IT Kontrakter", "IT Kontrakt", "Kontrakt"),
        "status": ("Status", "Gyldig/Ikke gyldig", "Status (Datofelter)"),
    },
    name_field="name",
    distinctive=("local_id", "local_name", "contracts", "vendor"),
)

CATALOG_LAYOUT = ExportLayout(
    kind=CATALOG,
    title="IT Systemkatalog Overblik (IT-systemkatalog)",
    fields={
        "name": ("IT systemnavn", "It System", "IT System", "Systemnavn"),
        "uuid": ("UUID", "IT-System (UUID)"),
        "parent": ("Overordnet IT System", "Overordnet It System"),
        "rights_holder": ("Rettighedshaver",),
        "business_type": ("Forretningstype",),
        # Current UI: a count. Pre-2025 UI: the organisations' names. Told apart by value.
        "used_by": ("IT System: Anvendes af",),
        "using_organisations": ("IT System: Anvendes af organisationer",),
        "usage_count": ("Antal anvendere", "Anvendes af (antal)"),
        "in_use": ("Anvendes", "Anvendt"),
        "visibility": ("Synlighed",),
        "status": ("Status", "Aktiv"),
    },
    name_field="name",
    distinctive=("used_by", "using_organisations", "usage_count", "in_use", "visibility"),
)

CONTRACTS_LAYOUT = ExportLayout(
    kind=CONTRACTS,
    title="IT Kontrakter Overblik (IT-kontrakter)",
    fields={
        "name": ("IT Kontrakt", "IT Kontrakt Navn", "Kontraktnavn", "It Kontrakt"),
        "contract_id": ("IT Kontrakt Id", "Kontrakt ID", "KontraktID"),
        "vendor": ("Leverandør", "Leverandor"),
        "systems": ("IT Systemer", "It Systemer", "IT System"),
        "system_uuids": ("IT Systemer (UUID)", "IT System (UUID)"),
        "valid_from": ("Gyldig fra", "Indgået", "Startdato"),
        "valid_to": ("Gyldig til", "Udløbsdato", "Slutdato"),
    },
    name_field="name",
    distinctive=("contract_id", "systems", "system_uuids", "valid_from", "valid_to"),
)

LAYOUTS = {layout.kind: layout for layout in (USAGE_LAYOUT, CATALOG_LAYOUT, CONTRACTS_LAYOUT)}


def map_columns(layout: ExportLayout, headers: list[object]) -> dict[str, int]:
    """field → column index (first column wins when a header repeats)."""
    lookup = layout.lookup()
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        field = lookup.get(normalise_header(header))
        if field and field not in found:
            found[field] = index
    return found


def detect_kind(headers: list[object]) -> str | None:
    """The export these headers belong to, or None. The name column is required; the export whose
    distinctive columns are present wins (the usage and catalog exports share several columns)."""
    best: tuple[int, int, str] | None = None
    for layout in LAYOUTS.values():
        columns = map_columns(layout, headers)
        if layout.name_field not in columns:
            continue
        score = (sum(f in columns for f in layout.distinctive), len(columns), layout.kind)
        if score[0] == 0 and len(columns) < 2:
            continue
        if best is None or score[:2] > best[:2]:
            best = score
    return best[2] if best else None
