"""The Excel workbook: an overview, a sheet per category, the evidence and the unreadable documents;
every sheet has a frozen header row and filters. Text that starts with "=" is stored as text, never
as a formula (a document could be named "=HYPERLINK(…)")."""

from __future__ import annotations

import os

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from tuscan.labels import (
    CATEGORY_LABELS,
    CATEGORY_ORDER,
    CATEGORY_SHEETS,
    category_label,
    evidence_kind_label,
    flag_label,
    level_label,
    list_label,
    source_label,
)
from tuscan.report import ReportData

HEADER_FILL = PatternFill("solid", fgColor="DDE4EA")
MAX_WIDTH = 60


def _value(value):
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)
    return value


def add_sheet(workbook: Workbook, title: str, headers: list[str], rows: list[list]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row in rows:
        sheet.append([_value(v) for v in row])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"      # text, not a formula
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, sheet.max_row)}"
    for index, header in enumerate(headers, start=1):
        longest = max([len(str(header))] + [len(str(r[index - 1] or "")) for r in rows[:500]])
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, longest + 2)


SYSTEM_HEADERS = ["System", "Leverandør", "Kategori", "Foreslået sikringsniveau", "Flag", "KL-liste",
                  "Navn på listen", "Match-score", "Tvetydig", "Kilder", "Evidens (antal)", "Afgjort af",
                  "Begrundelse"]


def _system_row(s: dict, data: ReportData) -> list:
    return [s["system"], s.get("vendor"), category_label(s["category"]), level_label(s.get("suggested_level")),
            [flag_label(f) for f in (s.get("flags") or [])], list_label(s.get("matched_list")) or None,
            s.get("matched_name"),
            s.get("match_score"), "ja" if s.get("ambiguous") else "", [source_label(k) for k in s.get("sources") or []],
            s.get("evidence_count"), "person" if s.get("decided_by") == "person" else "regler", data.reason(s)]


def write_workbook(data: ReportData, path: str | os.PathLike) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    add_sheet(workbook, "Oversigt", ["Kategori", "Systemer"],
              [[CATEGORY_LABELS[c], data.by_category[c]] for c in CATEGORY_ORDER]
              + [["I alt", len(data.systems)], ["Skal ombygges (signering, PID/RID)", data.to_rebuild],
                 ["Dokumenter gennemsøgt", data.documents], ["Dokumenter der ikke kunne læses", len(data.unreadable)]])
    for category in CATEGORY_ORDER:
        add_sheet(workbook, CATEGORY_SHEETS[category], SYSTEM_HEADERS,
                  [_system_row(s, data) for s in data.systems if s["category"] == category])
    add_sheet(workbook, "Evidens",
              ["System", "Kategori", "Kilde", "Dokument / side / KITOS", "Side", "Art", "Term", "Beskrivelse", "Uddrag"],
              [[e["system"], category_label(e["category"]), source_label(e["source_kind"]), e["source_ref"], e["page"],
                evidence_kind_label(e["kind"]), e["term"], data.evidence_detail(e), e["snippet"]] for e in data.evidence])
    add_sheet(workbook, "Ulæselige dokumenter", ["Dokument", "Status", "Hvorfor", "System", "Rod", "Størrelse"],
              [[d["path"], d["status"], d["error"], d["system"], d["root"], d["size"]] for d in data.unreadable])
    add_sheet(workbook, "Ændringer", ["Ændring", "System", "Kategori", "Kategori før", "Niveau", "Niveau før",
                                      "Flag", "Flag før"],
              [[c["change"], c["system"], category_label(c["category"]), category_label(c["previous_category"]),
                c["suggested_level"], c["previous_level"], c["flags"], c["previous_flags"]] for c in data.changes])
    workbook.save(path)
