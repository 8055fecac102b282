"""Precision and recall of name matching per rapidfuzz scorer and threshold.

    .venv/bin/python reference/evaluate_matching.py [--pairs tests/data/name_pairs.csv]
    .venv/bin/python reference/evaluate_matching.py --variants [--verbose]

Every pair in the labelled file is judged with tuscan.names.same_system (normalisation, aliases,
vendor and version rules) using each scorer and threshold below. The chosen SCORER/THRESHOLD in
tuscan/names.py is the lowest threshold of the best scorer with no false positive; the script marks it.

With --variants, the labelled name variants (tests/data/name_variants.csv: how municipalities write
the names on KL's lists, with hard negatives) are matched against the lists the way classification
does (every way a name can meet a list entry, tuscan.classify.match_lists), and precision and recall
are printed per way ("whole", "stripped", "contained") and in total; bench/accuracy_names.py records them.
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
DEFAULT_VARIANTS = REPO / "tests" / "data" / "name_variants.csv"


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


@dataclass(frozen=True)
class Variant:
    written: str
    list: str       # "" for a hard negative
    name: str       # as written on the list
    note: str

    @property
    def key(self) -> str:
        return f"{self.list}:{self.name}" if self.list else ""


@dataclass(frozen=True)
class VariantResult:
    variant: Variant
    predicted: tuple[str, ...]   # "<list>:<name>" for every list matched
    how: str | None              # whole | stripped | contained | None
    correct: bool


@dataclass(frozen=True)
class VariantScore:
    positives: int
    negatives: int
    true_positives: int
    false_positives: tuple[VariantResult, ...]
    false_negatives: tuple[VariantResult, ...]
    by_way: dict[str, tuple[int, int]]   # way → (right, wrong) among the predictions made that way

    @property
    def precision(self) -> float:
        made = self.true_positives + len(self.false_positives)
        return self.true_positives / made if made else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.positives if self.positives else 1.0


def read_variants(path: Path = DEFAULT_VARIANTS) -> list[Variant]:
    with open(path, encoding="utf-8", newline="") as f:
        return [Variant(row["written"], row["list"], row["name"], row["note"]) for row in csv.DictReader(f)]


def judge_variants(variants: list[Variant], matcher=None) -> list[VariantResult]:
    """Match every written variant as classification does; right when the expected entry is among
    the matches (or, for a hard negative, nothing matched)."""
    from tuscan.classify import match_lists, reference_matcher

    matcher = matcher or reference_matcher()
    results = []
    for variant in variants:
        matches, _ambiguous = match_lists(matcher, [variant.written])
        single = matcher.match_name(variant.written)
        predicted = tuple(sorted(f"{m.list}:{m.name}" for m in matches.values()))
        if variant.list:
            want = names.canonical(variant.name)
            correct = variant.key in predicted or any(names.canonical(m.name) == want for m in matches.values())
        else:
            correct = not predicted
        results.append(VariantResult(variant, predicted, single.how if single and predicted else None, correct))
    return results


def score_variants(results: list[VariantResult]) -> VariantScore:
    positives = [r for r in results if r.variant.list]
    by_way: dict[str, list[int]] = {}
    for r in results:
        if r.predicted:
            right_wrong = by_way.setdefault(r.how or "?", [0, 0])
            right_wrong[0 if r.correct else 1] += 1
    return VariantScore(
        positives=len(positives),
        negatives=len(results) - len(positives),
        true_positives=sum(1 for r in positives if r.correct),
        false_positives=tuple(r for r in results if r.predicted and not r.correct),
        false_negatives=tuple(r for r in positives if not r.predicted),
        by_way={k: (v[0], v[1]) for k, v in sorted(by_way.items())},
    )


def print_variant_score(score: VariantScore, verbose: bool = False, out=sys.stdout) -> None:
    print(f"{score.positives + score.negatives} labelled variants: {score.positives} name a list entry,"
          f" {score.negatives} hard negatives", file=out)
    print(f"precision {score.precision:.3f}  recall {score.recall:.3f}  "
          f"(TP {score.true_positives}, FP {len(score.false_positives)}, FN {len(score.false_negatives)})", file=out)
    for way, (right, wrong) in score.by_way.items():
        print(f"  {way:<10} {right:>4} right {wrong:>3} wrong", file=out)
    if verbose:
        for r in score.false_positives:
            print(f"    wrong:  {r.variant.written!r} -> {', '.join(r.predicted)} ({r.how}); "
                  f"want {r.variant.key or 'nothing'}", file=out)
        for r in score.false_negatives:
            print(f"    missed: {r.variant.written!r} -> want {r.variant.key} ({r.variant.note})", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=DEFAULT_PAIRS)
    parser.add_argument("--variants", nargs="?", type=Path, const=DEFAULT_VARIANTS, default=None,
                        help="score the labelled name variants instead of the pairs")
    parser.add_argument("--verbose", action="store_true", help="list the misjudged pairs")
    args = parser.parse_args(argv)
    if args.variants:
        print_variant_score(score_variants(judge_variants(read_variants(args.variants))), args.verbose)
        return 0
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
