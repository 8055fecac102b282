"""How well the keyword finder tells login statements from weak mentions, on labelled contexts.

    .venv/bin/python bench/accuracy_contexts.py               # table, appended to bench/accuracy.md
    .venv/bin/python bench/accuracy_contexts.py --show-hits   # also every login hit and why
    .venv/bin/python bench/accuracy_contexts.py --errors --no-append

`tests/data/keyword_contexts.csv` holds Danish (and some English) sentences of the kinds contracts,
requirement specifications, privacy notices, guides and municipal web pages contain, each labelled
`login` (users log in to the system the text is about) or `not_login`, with a class saying what kind
of context it is (negation, helped_with, course, payment, passing_list, signing_service,
signature_block, trap, employee_signature, other, or login). A context is predicted `login` when
`find_hits` gives it at least one counted login hit (`has_tu_evidence`).

Precision and recall are for the `login` label; per class the table shows how many contexts got the
right label, and for the not-login classes how many of them were recognised as *weak* mentions (a
person decides) rather than as no login at all. The exclusion rules in reference/keywords.toml were
chosen on the `train` rows; the `holdout` rows were written before the rules and not tuned on, so
their numbers are the honest estimate. This is a measurement, not a test: tests/test_keyword_contexts.py
asserts the behaviour per class.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import platform
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.keywords import find_hits, has_tu_evidence, prepare_text  # noqa: E402

CONTEXTS = ROOT / "tests" / "data" / "keyword_contexts.csv"
RESULTS = ROOT / "bench" / "accuracy.md"
WEAK_CLASSES = {"negation", "helped_with", "course", "payment", "passing_list", "signing_service"}


def load(path: Path = CONTEXTS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def predict(text: str) -> tuple[str, list]:
    hits = find_hits(prepare_text(text))
    return ("login" if has_tu_evidence(hits) else "not_login"), hits


def score(rows: list[dict[str, str]]) -> dict:
    tp = fp = fn = 0
    by_class: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])   # rows, right, weak
    errors = []
    for row in rows:
        predicted, hits = predict(row["text"])
        cls = by_class[row["class"]]
        cls[0] += 1
        cls[1] += predicted == row["expected"]
        login_hits = [h for h in hits if h.login]
        cls[2] += bool(login_hits) and all(h.weak for h in login_hits)
        tp += predicted == "login" == row["expected"]
        fp += predicted == "login" != row["expected"]
        fn += predicted == "not_login" != row["expected"]
        if predicted != row["expected"]:
            errors.append((row, hits))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"n": len(rows), "precision": precision, "recall": recall, "by_class": dict(by_class),
            "errors": errors}


def _hit_lines(hits) -> list[str]:
    return [f"      {h.term!r} {'counts: ' + h.counts_because if h.excluded_by is None else 'excluded: ' + h.excluded_by}"
            for h in hits if h.login or h.group == "traps"]


def table(results: dict[str, dict]) -> str:
    classes = sorted({c for r in results.values() for c in r["by_class"]}, key=lambda c: (c != "login", c))
    lines = ["| split | contexts | login precision | login recall | " + " | ".join(classes) + " |",
             "|---|---|---|---|" + "---|" * len(classes)]
    for split, r in results.items():
        cells = []
        for c in classes:
            n, right, weak = r["by_class"].get(c, (0, 0, 0))
            cell = f"{right}/{n}" if n else "–"
            if n and c in WEAK_CLASSES:
                cell += f" (weak {weak})"
            cells.append(cell)
        lines.append(f"| {split} | {r['n']} | {r['precision']:.2f} | {r['recall']:.2f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contexts", type=Path, default=CONTEXTS)
    parser.add_argument("--errors", action="store_true", help="list the contexts labelled wrongly")
    parser.add_argument("--show-hits", action="store_true", help="list every context's login hits and why")
    parser.add_argument("--split", choices=("train", "holdout"), help="list hits/errors of this split only")
    parser.add_argument("--no-append", action="store_true", help=f"do not append to {RESULTS.name}")
    args = parser.parse_args(argv)
    rows = load(args.contexts)
    results = {split: score([r for r in rows if r["split"] == split]) for split in ("train", "holdout")}
    results["all"] = score(rows)
    out = table(results)
    print(out)
    if args.errors or args.show_hits:
        print()
        for row in rows:
            if args.split and row["split"] != args.split:
                continue
            predicted, hits = predict(row["text"])
            wrong = predicted != row["expected"]
            if args.show_hits or wrong:
                mark = "WRONG" if wrong else "ok   "
                print(f"{mark} [{row['split']}/{row['class']}] expected {row['expected']}: {row['text']!r}")
                print("\n".join(_hit_lines(hits)))
    if not args.no_append:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip() or "?"
        header = not RESULTS.exists()
        with RESULTS.open("a", encoding="utf-8") as f:
            if header:
                f.write("# Accuracy measurements\n\nAppended by the bench/accuracy_*.py scripts.\n")
            f.write(f"\n## Keyword contexts — {datetime.date.today()} — commit {commit} — "
                    f"Python {platform.python_version()}\n\n"
                    f"{args.contexts.name}: login precision/recall; per class contexts labelled right "
                    "(for not-login classes, how many were recognised as weak mentions).\n\n"
                    f"{out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
