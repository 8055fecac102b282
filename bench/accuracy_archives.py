"""Accuracy of discover + classify on example archives filed in different ways.

    .venv/bin/python bench/accuracy_archives.py                 # every archive, appends to bench/accuracy.md
    .venv/bin/python bench/accuracy_archives.py esdh --no-append
    .venv/bin/python bench/accuracy_archives.py --show-errors   # list every wrong document and system

For each archive (examples/archive filed Vendor/System, examples/esdh an ESDH export, examples/flat a
flat folder of scans and e-mails) it runs the archive's committed generator into a temporary folder,
runs `run_discover(..., runner="inline")` on it, and scores the result against the archive's
expected.json:

- document precision / recall / F1 of `document_findings.tu_evidence` (a TU-evidence document is a
  positive; containers are not scored);
- documents attributed to the right system;
- systems in the right category, two ways: *by documents* (the inventory category of the system its
  documents were attributed to, by majority) and *by name* (the inventory row whose name, compared
  normalised, or whose matched KL-list name equals the expected one). An `optional` expected system
  (not a TU-solution) counts as right when it is absent or listed as not_tu;
- inventory rows that match no expected system (spurious systems).

Accuracy, not speed: nothing here is timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tuscan import db  # noqa: E402
from tuscan.names import normalise  # noqa: E402
from tuscan.steps import run_discover  # noqa: E402

ARCHIVES = {
    "vendor-folders": (ROOT / "examples" / "generate.py", ROOT / "examples" / "expected.json"),
    "esdh": (ROOT / "examples" / "esdh" / "generate.py", ROOT / "examples" / "esdh" / "expected.json"),
    "flat": (ROOT / "examples" / "flat" / "generate.py", ROOT / "examples" / "flat" / "expected.json"),
}
RESULTS = ROOT / "bench" / "accuracy.md"


def _load_generator(path: Path):
    name = f"accuracy_gen_{path.parent.name}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def generate(name: str, out: Path) -> None:
    generator, _ = ARCHIVES[name]
    module = _load_generator(generator)
    module.generate(out)


def _key(name: str | None) -> str:
    return (normalise(name) or (name or "").casefold()) if name else ""


def find_row(want: dict, inventory: dict[str, dict]) -> dict | None:
    """The inventory row for an expected system: same name (normalised) or same matched list name."""
    for row in inventory.values():
        if _key(row["system"]) == _key(want["system"]):
            return row
    if want.get("matched_name"):
        for row in inventory.values():
            if row["matched_name"] == want["matched_name"]:
                return row
    return None


def score(expected: dict, findings: dict[str, dict], inventory: dict[str, dict]) -> dict:
    docs = [d for d in expected["documents"] if d["status"] != "container"]
    tp = fp = fn = 0
    right_system = 0
    systems = {s["system"]: s for s in expected["systems"]}
    rows_for = {name: find_row(s, inventory) for name, s in systems.items()}
    wrong_docs = []
    for doc in docs:
        got = findings.get(doc["path"])
        got_tu = bool(got and got["tu_evidence"])
        tp += got_tu and doc["tu_evidence"]
        fp += got_tu and not doc["tu_evidence"]
        fn += doc["tu_evidence"] and not got_tu
        got_system = got["system"] if got else None
        want = doc["system"]
        ok_names = set()
        if want:
            row = rows_for.get(want)
            ok_names = {row["system"]} if row else set()
        else:
            ok_names = {None}
            # A not-TU system the document may be listed under; an unreadable file's folder system.
            for other in (doc.get("optional_system"), doc.get("folder_system")):
                if other and rows_for.get(other):
                    ok_names.add(rows_for[other]["system"])
        if got_system in ok_names:
            right_system += 1
        else:
            wrong_docs.append(f"{doc['path']}: system {got_system!r}, want {want!r}"
                              + ("" if got else " (no row)"))
        if got and got_tu != doc["tu_evidence"]:
            wrong_docs.append(f"{doc['path']}: tu_evidence {got_tu}, want {doc['tu_evidence']}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    by_docs = by_name = 0
    wrong_systems = []
    for name, want in systems.items():
        row = rows_for[name]
        if want.get("optional"):
            ok_name = row is None or row["category"] == "not_tu"
        else:
            ok_name = row is not None and row["category"] == want["category"]
        by_name += ok_name
        if not ok_name:
            wrong_systems.append(f"{name}: {row['system'] + ' ' + row['category'] if row else 'no row'}, "
                                 f"want {want['category']}")
        attributed = Counter(findings[d["path"]]["system"] for d in docs
                             if d["system"] == name and d["path"] in findings and findings[d["path"]]["system"])
        if attributed:
            got_category = inventory[attributed.most_common(1)[0][0]]["category"]
            by_docs += got_category == want["category"]
        else:
            by_docs += bool(want.get("optional"))
    matched_rows = {r["system"] for r in rows_for.values() if r}
    spurious = sorted(set(inventory) - matched_rows)
    return {
        "documents": len(docs), "precision": precision, "recall": recall, "f1": f1,
        "right_system": right_system / len(docs) if docs else 1.0,
        "systems": len(systems), "by_docs": by_docs / len(systems), "by_name": by_name / len(systems),
        "spurious": spurious, "wrong_docs": wrong_docs, "wrong_systems": wrong_systems,
    }


def run_archive(name: str, work: Path) -> dict:
    _, expected_file = ARCHIVES[name]
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    archive = work / name / "archive"
    generate(name, archive)
    database = work / name / "inventory.duckdb"
    run_discover([str(archive)], str(database), runner="inline")
    with db.reading(str(database)) as con:
        findings = {r[0]: {"tu_evidence": r[1], "system": r[2]} for r in
                    con.execute("SELECT path, tu_evidence, system FROM document_findings").fetchall()}
        cols = [d[0] for d in con.execute("SELECT * FROM inventory LIMIT 0").description]
        inventory = {r[0]: dict(zip(cols, r, strict=True)) for r in con.execute("SELECT * FROM inventory").fetchall()}
    return score(expected, findings, inventory)


def _commit() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
        return rev + (" + uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def table(results: dict[str, dict]) -> str:
    lines = ["| archive | documents | precision | recall | F1 | right system | systems | right category "
             "(by documents) | right category (by name) | spurious systems |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for name, r in results.items():
        spurious = ", ".join(r["spurious"]) or "–"
        lines.append(f"| {name} | {r['documents']} | {r['precision']:.2f} | {r['recall']:.2f} | {r['f1']:.2f} | "
                     f"{r['right_system']:.2f} | {r['systems']} | {r['by_docs']:.2f} | {r['by_name']:.2f} | "
                     f"{spurious} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archives", nargs="*", help=f"archives to score: {', '.join(ARCHIVES)} (default: all)")
    parser.add_argument("--no-append", action="store_true", help=f"do not append to {RESULTS.name}")
    parser.add_argument("--show-errors", action="store_true", help="list wrong documents and systems")
    args = parser.parse_args(argv)
    names = args.archives or list(ARCHIVES)
    unknown = sorted(set(names) - set(ARCHIVES))
    if unknown:
        parser.error(f"unknown archive(s): {', '.join(unknown)}; choose from {', '.join(ARCHIVES)}")
    results = {}
    with tempfile.TemporaryDirectory(prefix="tuscan-accuracy-") as tmp:
        for name in names:
            results[name] = run_archive(name, Path(tmp))
    text = table(results)
    print(text)
    if args.show_errors:
        for name, r in results.items():
            for line in r["wrong_docs"] + r["wrong_systems"]:
                print(f"{name}: {line}")
    if not args.no_append:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
        header = "" if RESULTS.exists() else ("# Accuracy on example archives\n\nAppended by "
                                              "`bench/accuracy_archives.py`; newest last.\n")
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(f"{header}\n## {stamp} — commit {_commit()}\n\n{text}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
