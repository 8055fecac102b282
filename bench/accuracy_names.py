"""Precision and recall of matching names against KL's lists, on the labelled name variants.

    .venv/bin/python bench/accuracy_names.py              # print, and append to bench/accuracy.md
    .venv/bin/python bench/accuracy_names.py --no-append --verbose

tests/data/name_variants.csv holds how municipalities write the names on KL's lists (vendor prefixes,
product words, ".dk" dropped, abbreviations, lower case, typos, contract and user words around the
name) and hard negatives (vendor only, another product of the same vendor, ordinary Danish words,
infrastructure, authorities). Each variant is matched the way classification matches a system's
name signals (tuscan.classify.match_lists); the script prints precision and recall for the chosen
threshold, per way the name met the entry (whole, stripped of contract words, contained), and for
the neighbouring thresholds, so the choice in tuscan/names.py can be checked. Not a timed test.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from reference.evaluate_matching import (  # noqa: E402
    DEFAULT_VARIANTS,
    judge_variants,
    print_variant_score,
    read_variants,
    score_variants,
)
from tuscan import names  # noqa: E402
from tuscan.names import NameMatcher  # noqa: E402

ACCURACY = REPO / "bench" / "accuracy.md"
SWEEP = (86, 88, 89, 90, 91, 92, 93, 95)


def _matcher() -> NameMatcher:
    import reference

    return NameMatcher((entry.key, entry.name) for entry in reference.all_entries())


def sweep(variants) -> list[tuple[float, float, float]]:
    """(threshold, precision, recall) with names.THRESHOLD set to each value in turn."""
    chosen = names.THRESHOLD
    rows = []
    try:
        for threshold in SWEEP:
            names.THRESHOLD = float(threshold)
            score = score_variants(judge_variants(variants, _matcher()))
            rows.append((float(threshold), score.precision, score.recall))
    finally:
        names.THRESHOLD = chosen
    return rows


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=Path, default=DEFAULT_VARIANTS)
    parser.add_argument("--no-append", action="store_true", help=f"do not append to {ACCURACY.name}")
    parser.add_argument("--verbose", action="store_true", help="list the misjudged variants")
    args = parser.parse_args(argv)
    variants = read_variants(args.variants)
    score = score_variants(judge_variants(variants, _matcher()))
    out = io.StringIO()
    print(f"## Name matching — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {_commit()}", file=out)
    print("", file=out)
    print(f"{args.variants.relative_to(REPO) if args.variants.is_relative_to(REPO) else args.variants}, "
          f"scorer {names.SCORER.__name__}, threshold {names.THRESHOLD:g}:", file=out)
    print("", file=out)
    print("```", file=out)
    print_variant_score(score, verbose=True, out=out)
    print("", file=out)
    print(f"{'threshold':>9} {'precision':>9} {'recall':>7}", file=out)
    for threshold, precision, recall in sweep(variants):
        mark = "  <- chosen" if threshold == names.THRESHOLD else ""
        print(f"{threshold:>9g} {precision:>9.3f} {recall:>7.3f}{mark}", file=out)
    print("```", file=out)
    text = out.getvalue()
    if args.verbose:
        print(text)
    else:
        print("\n".join(line for line in text.splitlines() if not line.startswith(("    wrong", "    missed"))))
    if not args.no_append:
        with ACCURACY.open("a", encoding="utf-8") as f:
            if f.tell() == 0:
                f.write("# Accuracy benchmarks\n\nAppended by bench/accuracy_*.py; newest last.\n\n")
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
