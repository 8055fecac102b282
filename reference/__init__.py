"""KL's reference lists of TU-solutions as package data (CSV), with loaders.

The CSVs are written by ``reference/curate.py`` from the seed (KL's Delrapport 1 and 2) and
``reference/curation_overrides.csv``; see that script for how each row was recovered.
A municipality can import a newer version of a list KL publishes (``tuscan lists import``, stored in
the inventory database); ``all_entries(replacements)`` then returns that version in place of the
bundled CSV, which stays the default.
``reference/authorities.csv`` (hand-written, with the seed line or the source of each row) lists the
authorities that own common-public solutions and the joint municipal bodies that own shared ones.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_HERE = Path(__file__).parent

# list name → CSV file; the order is the order all_entries() returns them in.
LISTS: dict[str, str] = {
    "kl_common_public": "kl_common_public.csv",
    "kl_shared_tu": "kl_shared_tu.csv",
    "kitos_common_systems": "kitos_common_systems.csv",
}


class UnknownList(KeyError):
    """The list name is not one of LISTS."""


@dataclass(frozen=True)
class ReferenceEntry:
    """One system name on one of KL's lists, with where it came from: the seed (``seed_line``), or
    an imported version of the list (``appendix`` names the file, ``seed_line`` is 0)."""

    name: str
    list: str
    appendix: str
    seed_line: int
    vendor: str = ""
    note: str = ""

    @property
    def key(self) -> str:
        """A stable key for matching: "<list>:<name>"."""
        return f"{self.list}:{self.name}"


@cache
def _load(list_name: str) -> tuple[ReferenceEntry, ...]:
    if list_name not in LISTS:
        raise UnknownList(list_name)
    with open(_HERE / LISTS[list_name], encoding="utf-8", newline="") as f:
        return tuple(
            ReferenceEntry(
                name=row["name"],
                list=row["list"],
                appendix=row["appendix"],
                seed_line=int(row["seed_line"]),
                vendor=row.get("vendor", ""),
                note=row.get("note", ""),
            )
            for row in csv.DictReader(f)
        )


def load_list(list_name: str) -> list[ReferenceEntry]:
    """The entries of one list: kl_common_public, kl_shared_tu or kitos_common_systems."""
    return list(_load(list_name))


def all_entries(replacements: dict[str, list[ReferenceEntry]] | None = None) -> list[ReferenceEntry]:
    """Every entry of every list (a name on two lists appears twice, once per list).

    ``replacements``: list name → entries that replace the bundled CSV of that list (an imported
    newer version); lists not named keep their bundled entries."""
    replacements = replacements or {}
    unknown = set(replacements) - set(LISTS)
    if unknown:
        raise UnknownList(", ".join(sorted(unknown)))
    return [entry for list_name in LISTS
            for entry in (replacements[list_name] if list_name in replacements else _load(list_name))]


@cache
def _aliases() -> tuple[tuple[str, str], ...]:
    with open(_HERE / "aliases.csv", encoding="utf-8", newline="") as f:
        return tuple((row["alias"], row["name"]) for row in csv.DictReader(f))


def load_aliases() -> dict[str, str]:
    """alias → canonical name as written on one of the lists (reference/aliases.csv)."""
    return dict(_aliases())


@dataclass(frozen=True)
class Authority:
    """A public authority or joint municipal body that owns or runs IT solutions municipalities use
    (reference/authorities.csv). ``common_public_owner``: its solutions are fællesoffentlige (Delrapport
    2, Bilag 1; Delrapport 1, "Fællesoffentlig løsning": the system "tilhører en anden myndighed").
    ``filing_signal``: a contract filed under its name (folder, vendor) is a signal for common public."""

    name: str
    abbreviations: tuple[str, ...]
    kind: str
    common_public_owner: bool
    filing_signal: bool
    owns: tuple[str, ...]
    seed_line: int | None
    source: str
    note: str = ""


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


@cache
def _authorities() -> tuple[Authority, ...]:
    with open(_HERE / "authorities.csv", encoding="utf-8", newline="") as f:
        return tuple(
            Authority(
                name=row["name"],
                abbreviations=_split(row["abbreviations"]),
                kind=row["kind"],
                common_public_owner=row["common_public_owner"] == "yes",
                filing_signal=row["filing_signal"] == "yes",
                owns=_split(row["owns"]),
                seed_line=int(row["seed_line"]) if row["seed_line"] else None,
                source=row["source"],
                note=row["note"],
            )
            for row in csv.DictReader(f)
        )


def load_authorities() -> list[Authority]:
    """Authorities that own common public solutions, and joint municipal bodies (KOMBIT, KL) that
    own none: names that are signals about a system's category, never a system's name."""
    return list(_authorities())


@cache
def _ordinary_words() -> tuple[str, ...]:
    with open(_HERE / "ordinary_words.txt", encoding="utf-8") as f:
        return tuple(line.strip() for line in f if line.strip() and not line.startswith("#"))


def ordinary_words() -> list[str]:
    """Ordinary Danish words that occur in the names on KL's lists (reference/ordinary_words.txt)."""
    return list(_ordinary_words())
