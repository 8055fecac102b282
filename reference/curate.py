"""Curate KL's three lists of systems from the seed text into reference/*.csv.

    .venv/bin/python reference/curate.py [--seed PATH]

The seed is pdftotext output of KL's reports. Its tables had two columns, and the text merged each row
into one line ("ACmatch CPRWeb", "CVR NemId.nu"); long names wrap over two lines ("SEI
(Sundhedsdatastyrelsens Elektroniske ⏎ Indberetningssystem)"). No rule recovers the column border
reliably, so every merged or wrapped row is split by hand in ``curation_overrides.csv``:

    list,seed_line,span,names,note
    kl_shared_tu,1901,1,ACmatch | CPRWeb,

``span`` seed lines starting at ``seed_line`` hold the names separated by " | ". The script checks
that the names, joined, are exactly the text of those lines (whitespace aside), so an override can
only split text, never edit it. A name written "-as" is dropped (noted why). Every other non-blank
line in a table is one name. Names repeated within a list (case-insensitively) are kept once, at their
first line. Running the script twice gives identical files.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_SEED = REPO.parent / "shared" / "seeds" / "000_891c11fbe7986d61.txt"
OVERRIDES = HERE / "curation_overrides.csv"
COLUMNS = ["name", "list", "appendix", "seed_line", "vendor", "note"]


@dataclass(frozen=True)
class Table:
    """Where one list sits in the seed: its heading line and the first and last line of its rows."""

    list_name: str
    appendix: str
    heading_line: int
    heading: str
    first_line: int
    last_line: int


# Line numbers refer to seed 000_891c11fbe7986d61.txt; the headings are checked so a different seed
# fails loudly instead of producing wrong lists.
TABLES = (
    Table(
        "kl_common_public",
        "Delrapport 2, Bilag 1 – Fællesoffentlige løsninger",
        876,
        "Bilag 1 – Fællesoffentlige løsninger",
        887,
        915,
    ),
    Table(
        "kl_shared_tu",
        "Delrapport 1, Bilag 3: Total liste over alle TU-løsninger som flere kommuner anvender",
        1891,
        "Bilag 3: Total liste over alle TU-løsninger som flere kommuner anvender",
        1901,
        2069,
    ),
    Table(
        "kitos_common_systems",
        "Delrapport 1, Bilag 4: Liste fra KITOS samarbejdet med IT-systemer (20+ kommuner)",
        2070,
        "Bilag 4: Liste fra KITOS samarbejdet med IT-systemer",
        2084,
        2259,
    ),
)


class CurationError(Exception):
    """The seed or the override table does not fit together."""


@dataclass(frozen=True)
class Override:
    list_name: str
    seed_line: int
    span: int
    names: tuple[str, ...]
    note: str


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def read_overrides(path: Path = OVERRIDES) -> dict[tuple[str, int], Override]:
    overrides = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            override = Override(
                list_name=row["list"],
                seed_line=int(row["seed_line"]),
                span=int(row["span"]),
                names=tuple(name.strip() for name in row["names"].split(" | ")),
                note=row["note"].strip(),
            )
            key = (override.list_name, override.seed_line)
            if key in overrides:
                raise CurationError(f"override for {key} given twice")
            overrides[key] = override
    return overrides


def _vendor(name: str) -> str:
    from tuscan.names import vendor_of

    return vendor_of(name) or ""


def curate_table(lines: list[str], table: Table, overrides: dict[tuple[str, int], Override]) -> list[dict]:
    """The rows of one table: one dict per system name, in seed order."""
    heading = lines[table.heading_line - 1].strip()
    if heading != table.heading:
        raise CurationError(f"seed line {table.heading_line} is {heading!r}, expected {table.heading!r}")
    rows: list[dict] = []
    seen: set[str] = set()
    line_no = table.first_line
    while line_no <= table.last_line:
        override = overrides.get((table.list_name, line_no))
        if override:
            source = " ".join(lines[line_no - 1 : line_no - 1 + override.span])
            if _squash(source) != _squash("".join(n.lstrip("-") for n in override.names)):
                raise CurationError(
                    f"{table.list_name} line {line_no}: override {override.names} != seed text {source!r}"
                )
            names = [n for n in override.names if not n.startswith("-")]
            note, step = override.note, override.span
        else:
            text = lines[line_no - 1].strip()
            names = [text] if text and text != "•" else []
            note, step = "", 1
        for name in names:
            name = " ".join(name.split())
            if name.casefold() in seen:
                continue  # KL repeats a few names ("Jobnet.dk", "skat.dk"); keep the first
            seen.add(name.casefold())
            rows.append(
                {
                    "name": name,
                    "list": table.list_name,
                    "appendix": table.appendix,
                    "seed_line": line_no,
                    "vendor": _vendor(name),
                    "note": note,
                }
            )
        line_no += step
    unused = [
        k for k in overrides if k[0] == table.list_name and not table.first_line <= k[1] <= table.last_line
    ]
    if unused:
        raise CurationError(f"overrides outside the table {table.list_name}: {unused}")
    return rows


def write_csv(rows: list[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def curate(seed: Path, out_dir: Path = HERE, overrides_path: Path = OVERRIDES) -> dict[str, int]:
    """Write the three CSVs; return the row count per list."""
    lines = seed.read_text(encoding="utf-8").splitlines()
    overrides = read_overrides(overrides_path)
    counts = {}
    for table in TABLES:
        rows = curate_table(lines, table, overrides)
        write_csv(rows, out_dir / f"{table.list_name}.csv")
        counts[table.list_name] = len(rows)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=Path, default=DEFAULT_SEED, help="the KL seed text file")
    parser.add_argument("--out", type=Path, default=HERE, help="directory for the CSV files")
    args = parser.parse_args(argv)
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    for list_name, count in curate(args.seed, args.out).items():
        print(f"{list_name}: {count} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
