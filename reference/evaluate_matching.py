"""Precision and recall of name matching per rapidfuzz scorer and threshold.

    .venv/bin/python reference/evaluate_matching.py [--pairs tests/data/name_pairs.csv]

Every pair in the labelled file is judged with tuscan.names.same_system (normalisation, aliases,
vendor and version rules) using each scorer and threshold below. The chosen SCORER/THRESHOLD in
tuscan/names.py is the lowest threshold of the best scorer with no false positive; the script marks it.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from rapidfuzz import fuzz  # noqa: E402

from tuscan import names  # noqa: E402

SCORERS = {
    "ratio": fuzz.ratio,
    "token_sort_ratio": fuzz.token_sort_ratio,
    "token_set_ratio": fuzz.token_set_ratio,
    "partial_ratio": fuzz.partial_ratio,
    "WRatio": fuzz.WRatio,
}
THRESHOLDS = (*range(70, 86, 4), *range(86, 101))
DEFAULT_PAIRS = REPO / "tests" / "data" / "name_pairs.csv"


@dataclass(frozen=True)
class Result:
    scorer: str
    threshold: float
    precision: float
    recall: float
    false_positives: tuple[tuple[str, str], ...]
    false_negatives: tuple[tuple[str, str], ...]


def read_pairs(path: Path = DEFAULT_PAIRS) -> list[tuple[str, str, bool]]:
    with open(path, encoding="utf-8", newline="") as f:
        return [(row["a"], row["b"], row["same"] == "1") for row in csv.DictReader(f)]


def evaluate(pairs, scorer_name: str, threshold: float) -> Result:
    scorer = SCORERS[scorer_name]
    predicted = [
        (a, b, same, names.same_system(a, b, scorer=scorer, threshold=threshold)) for a, b, same in pairs
    ]
    tp = sum(1 for _, _, same, pred in predicted if same and pred)
    fp = tuple((a, b) for a, b, same, pred in predicted if pred and not same)
    fn = tuple((a, b) for a, b, same, pred in predicted if same and not pred)
    precision = tp / (tp + len(fp)) if tp + len(fp) else 1.0
    recall = tp / (tp + len(fn)) if tp + len(fn) else 1.0
    return Result(scorer_name, threshold, precision, recall, fp, fn)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=DEFAULT_PAIRS)
    parser.add_argument("--verbose", action="store_true", help="list the misjudged pairs")
    args = parser.parse_args(argv)
    pairs = read_pairs(args.pairs)
    positives = sum(1 for *_, same in pairs if same)
    print(f"{len(pairs)} labelled pairs: {positives} same, {len(pairs) - positives} different")
    print(f"{'scorer':<18} {'thr':>4} {'precision':>9} {'recall':>7} {'FP':>3} {'FN':>3}")
    chosen_scorer = next(k for k, v in SCORERS.items() if v is names.SCORER)
    for scorer_name in SCORERS:
        for threshold in THRESHOLDS:
            result = evaluate(pairs, scorer_name, threshold)
            mark = "  <- chosen" if (scorer_name, threshold) == (chosen_scorer, names.THRESHOLD) else ""
            print(
                f"{scorer_name:<18} {threshold:>4} {result.precision:>9.3f} {result.recall:>7.3f}"
                f" {len(result.false_positives):>3} {len(result.false_negatives):>3}{mark}"
            )
            if args.verbose and mark:
                for a, b in result.false_positives:
                    print(f"    false positive: {a!r} ~ {b!r}")
                for a, b in result.false_negatives:
                    print(f"    missed:         {a!r} ~ {b!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
