"""A contract register exported to a spreadsheet, read as a source of system names and vendors.

ESDH and contract-management systems export their contract register (Kontrakt-ID, Titel, Leverandør,
System, Status, Start, Slut) next to the documents. The register is not a system itself
(`tuscan.titles.is_register` keeps it out of the inventory), but it says which systems the
municipality has contracts for and who supplies them: its system names are spotted in documents
that name no KL-list system (an own solution "Kulturpas Korsbæk" mentioned in an annex), and a
system whose documents name no vendor takes the register's.

The exported text is one row per line, cells separated by " | " (tuscan's XLSX/ODS reader), ";",
tab or ","; plain splitting is enough for that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tuscan.names import normalise

_SEPARATORS = (" | ", "\t", ";", ",")
_COLUMNS = {
    "system": re.compile(r"^(?:it-?)?system(?:navn)?$|^løsning$|^produkt$", re.IGNORECASE),
    "vendor": re.compile(r"^leverandør(?:navn)?$|^leverandor$|^supplier$|^vendor$", re.IGNORECASE),
    "title": re.compile(r"^titel$|^kontrakttitel$|^aftale$|^beskrivelse$|^title$", re.IGNORECASE),
}
MIN_NAME = 4   # shorter register names ("IT", "Løn") are ordinary words in running text


@dataclass(frozen=True)
class RegisterEntry:
    title: str
    vendor: str | None
    system: str | None


def _split(line: str) -> list[str]:
    for sep in _SEPARATORS:
        if sep in line:
            return [cell.strip() for cell in line.split(sep)]
    return [line.strip()]


def parse_register(text: str) -> list[RegisterEntry]:
    """The rows of a register's text, from its header row on; [] when no header names a system or
    vendor column."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        cells = _split(line)
        index = {}
        for key, pattern in _COLUMNS.items():
            index[key] = next((n for n, cell in enumerate(cells) if pattern.match(cell)), None)
        if index["system"] is None and index["vendor"] is None:
            continue
        entries = []
        for row in lines[i + 1:]:
            values = _split(row)

            def cell(key: str, values=values, index=index) -> str | None:
                n = index[key]
                value = values[n].strip() if n is not None and n < len(values) else ""
                return value or None

            if any(v for v in values):
                entries.append(RegisterEntry(cell("title") or "", cell("vendor"), cell("system")))
        return entries
    return []


class RegisterNames:
    """System names and vendors from every register in an archive."""

    def __init__(self, entries: list[RegisterEntry]):
        self.vendors: dict[str, str] = {}
        self.names: list[str] = []
        self.entries = [e for e in entries if e.system and normalise(e.system)]
        for entry in entries:
            if entry.system and normalise(entry.system):
                key = normalise(entry.system)
                if entry.vendor:
                    self.vendors.setdefault(key, entry.vendor)
                if len(entry.system) >= MIN_NAME and entry.system not in self.names:
                    self.names.append(entry.system)
        self.names.sort(key=len, reverse=True)
        self._patterns = [(name, re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")) for name in self.names]

    def __bool__(self) -> bool:
        return bool(self.names or self.vendors)

    def find_in_text(self, text: str) -> list[str]:
        """Register system names written in text as the register writes them (case-sensitive: names
        are proper nouns), longest first, each place counted once."""
        found, taken = [], []
        for name, pattern in self._patterns:
            for m in pattern.finditer(text):
                if not any(a < m.end() and m.start() < b for a, b in taken):
                    taken.append((m.start(), m.end()))
                    if name not in found:
                        found.append(name)
        return found

    def vendor_for(self, name: str) -> str | None:
        return self.vendors.get(normalise(name))

    def system_for(self, name: str, vendor: str | None = None) -> str | None:
        """The register's system name for a name found in a document: the row whose title is that
        name ("FirstAgenda Prepare" → "FirstAgenda"), or the longest register system name contained
        word by word in it, from the same vendor when both are known. None when no row fits."""
        tokens = normalise(name).split()
        if not tokens:
            return None
        best = None
        for entry in self.entries:
            if entry.title and normalise(entry.title) == " ".join(tokens):
                return entry.system
            system = normalise(entry.system).split()
            if len(entry.system) < MIN_NAME or not _contains(tokens, system):
                continue
            if vendor and entry.vendor and _company(vendor) != _company(entry.vendor):
                continue
            if best is None or len(system) > len(normalise(best).split()):
                best = entry.system
        return best


def _contains(tokens: list[str], part: list[str]) -> bool:
    return any(tokens[i:i + len(part)] == part for i in range(len(tokens) - len(part) + 1))


def _company(name: str) -> str:
    return re.sub(r"(?<!\w)(?:a/s|aps|i/s|p/s|k/s|as|ab|ltd|gmbh|inc)\.?$", "", name.casefold()).strip(" ,.")
