"""Classification: candidates from every source → one inventory row per system.

    classify(con)  # rebuilds systems, system_evidence, document_systems; keeps decisions

Steps: collect candidates (documents, KITOS, web), match each against KL's lists, merge candidates
that are the same system (same list entry, or the same name by `tuscan.names.same_system`), apply
`tuscan.rules.classify_system`, write the result and a snapshot for "what changed since the
previous run". People's decisions (`decisions` table) are read, never written here.
"""

from __future__ import annotations

import importlib
from collections import Counter
from dataclasses import dataclass, field

import duckdb
from rapidfuzz import process

import reference
from tuscan.candidates import Candidate, Evidence, registered_sources
from tuscan.db import insert_rows, transaction
from tuscan.identify import document_candidates
from tuscan.names import SCORER, THRESHOLD, NameMatcher, canonical, normalise, same_system
from tuscan.rules import COMMON_PUBLIC_LIST, KITOS_LIST, SHARED_LIST, Facts, ListMatch, classify_system
from tuscan.runs import recorded_run

# Modules that register further candidate sources (KITOS, website). Listed explicitly; a test
# checks the registry.
SOURCE_MODULES = ("tuscan.kitos.candidates", "tuscan.web.candidates")
SOURCE_PREFERENCE = {"document": 0, "kitos": 1, "web": 2}   # whose name to show for a merged system


def load_sources() -> dict:
    for module in SOURCE_MODULES:
        importlib.import_module(module)
    return registered_sources()


@dataclass
class System:
    """Candidates merged into one system."""

    candidates: list[Candidate] = field(default_factory=list)
    matches: dict[str, ListMatch] = field(default_factory=dict)
    ambiguous: list[tuple[str, str, float]] = field(default_factory=list)

    @property
    def name(self) -> str:
        best = min(self.candidates, key=lambda c: (SOURCE_PREFERENCE.get(c.source_kind, 9), -len(c.evidence)))
        return best.name

    @property
    def vendor(self) -> str | None:
        vendors = [c.vendor for c in sorted(self.candidates, key=lambda c: SOURCE_PREFERENCE.get(c.source_kind, 9))
                   if c.vendor]
        return vendors[0] if vendors else None

    @property
    def evidence(self) -> list[Evidence]:
        return [e for c in self.candidates for e in c.evidence]


@dataclass
class ClassifyResult:
    run_id: int
    systems: int
    by_category: dict[str, int]

    def describe(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.by_category.items()))
        return f"Classified {self.systems} systems ({counts})."


def reference_matcher() -> NameMatcher:
    return NameMatcher((e.key, e.name) for e in reference.all_entries())


def match_lists(matcher: NameMatcher, names: list[str]) -> tuple[dict[str, ListMatch], list[tuple[str, str, float]]]:
    """Best match per KL list over all the names a system goes by, and ambiguous runner-ups."""
    best: dict[str, ListMatch] = {}
    ambiguous: list[tuple[str, str, float]] = []
    for match in matcher.match_many(names):
        if match is None:
            continue
        if match.ambiguous and match.runner_up:
            ambiguous.append((match.key, match.name, match.score))
            ambiguous.append(match.runner_up)
            continue
        for key in match.keys or (match.key,):
            list_name, _, entry_name = key.partition(":")
            current = best.get(list_name)
            if current is None or match.score > current.score:
                best[list_name] = ListMatch(list_name, entry_name, match.score)
    return best, ambiguous


class NameIndex:
    """Names of the systems merged so far, for the fuzzy look-up of a new candidate's names.

    Grows one name at a time, so it cannot be a NameMatcher (built once from a fixed list): a
    rapidfuzz pre-filter on the canonical forms, confirmed by `same_system` (vendor rules)."""

    def __init__(self) -> None:
        self.canonical: list[str] = []
        self.names: list[str] = []
        self.systems: list[System] = []

    def add(self, name: str, system: System) -> None:
        form = canonical(name)
        if form:
            self.canonical.append(form)
            self.names.append(name)
            self.systems.append(system)

    def find(self, names: list[str]) -> System | None:
        for name in names:
            form = canonical(name)
            if not form or not self.canonical:
                continue
            for _choice, _score, i in process.extract(form, self.canonical, scorer=SCORER,
                                                      score_cutoff=THRESHOLD, limit=3):
                if same_system(name, self.names[i]):
                    return self.systems[i]
        return None


def merge(candidates: list[Candidate], matcher: NameMatcher) -> list[System]:
    """Group candidates naming the same system: the same KL list entry, or names that match."""
    systems: list[System] = []
    by_key: dict[str, System] = {}
    index = NameIndex()
    for cand in candidates:
        names = [cand.name, *cand.other_names]
        matches, ambiguous = match_lists(matcher, names)
        keys = [f"list:{normalise(m.name)}" for m in matches.values()] + [f"name:{normalise(n)}" for n in names]
        target = next((by_key[k] for k in keys if k in by_key), None) or index.find(names)
        if target is None:
            target = System()
            systems.append(target)
        target.candidates.append(cand)
        for list_name, m in matches.items():
            if list_name not in target.matches or m.score > target.matches[list_name].score:
                target.matches[list_name] = m
        target.ambiguous.extend(ambiguous)
        for k in keys:
            by_key.setdefault(k, target)
        for n in names:
            index.add(n, target)
    return systems


def _decisions(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str | None, str | None]]:
    """The latest decision per system key."""
    rows = con.execute(
        "SELECT system_key, category, level, note FROM decisions ORDER BY decided_at, decision_id"
    ).fetchall()
    return {key: (category, level, note) for key, category, level, note in rows}


def _decision_for(decisions: dict, system: System) -> tuple | None:
    keys = {normalise(c.name) for c in system.candidates} | {normalise(n) for c in system.candidates
                                                               for n in c.other_names}
    keys |= {normalise(m.name) for m in system.matches.values()}
    for key in keys:
        if key in decisions:
            return decisions[key]
    return None


def collect_candidates(con: duckdb.DuckDBPyConnection, matcher: NameMatcher) -> list[Candidate]:
    # The archive's candidates need the known names (KL lists) to spot mentions; the other sources
    # bring their own names.
    candidates = document_candidates(con, known_names=matcher)
    for _name, source in sorted(load_sources().items()):
        candidates.extend(source(con))
    return candidates


def classify(con: duckdb.DuckDBPyConnection) -> ClassifyResult:
    """Rebuild the inventory from stored findings, as a run of its own. Idempotent; decisions are kept."""
    with recorded_run(con, "classify", {}) as run:
        matcher = reference_matcher()
        systems = merge(collect_candidates(con, matcher), matcher)
        decisions = _decisions(con)
        rows, evidence_rows, doc_rows, history = [], [], [], []
        for system_id, system in enumerate(sorted(systems, key=lambda s: normalise(s.name)), start=1):
            facts = Facts(system.name, system.matches, system.ambiguous, system.evidence,
                          _decision_for(decisions, system))
            verdict = classify_system(facts)
            evidence = system.evidence
            sources = sorted({c.source_kind for c in system.candidates})
            matched = verdict.matched
            key = normalise(system.name)
            rows.append((system_id, system.name, key, system.vendor, verdict.category, verdict.suggested_level,
                         verdict.flags, matched.list if matched else None, matched.name if matched else None,
                         matched.score if matched else None, bool(system.ambiguous), verdict.reason, sources,
                         len(evidence), verdict.decided_by, run.run_id))
            evidence_rows.extend((system_id, e.source_kind, e.source_ref, e.document_id, e.page, e.kind, e.term,
                                  e.detail, e.snippet) for e in evidence)
            doc_rows.extend((d, system_id, c.name_signal) for c in system.candidates for d in c.document_ids)
            history.append((run.run_id, system.name, key, verdict.category, verdict.suggested_level, verdict.flags,
                            verdict.decided_by))
        with transaction(con):
            con.execute("DELETE FROM systems")
            con.execute("DELETE FROM system_evidence")
            con.execute("DELETE FROM document_systems")
            insert_rows(con, "systems", ["system_id", "system", "system_key", "vendor", "category", "suggested_level",
                                         "flags", "matched_list", "matched_name", "match_score", "ambiguous",
                                         "reason", "sources", "evidence_count", "decided_by", "classified_run"], rows)
            insert_rows(con, "system_evidence", ["system_id", "source_kind", "source_ref", "document_id", "page",
                                                 "kind", "term", "detail", "snippet"], evidence_rows)
            insert_rows(con, "document_systems", ["document_id", "system_id", "signal"], doc_rows)
            insert_rows(con, "inventory_history", ["run_id", "system", "system_key", "category", "suggested_level",
                                                   "flags", "decided_by"], history)
        by_category = Counter(r[4] for r in rows)
        run.summary = {"systems": len(rows), "by_category": dict(by_category)}
    return ClassifyResult(run.run_id, len(rows), dict(by_category))


__all__ = ["classify", "ClassifyResult", "COMMON_PUBLIC_LIST", "SHARED_LIST", "KITOS_LIST"]
