"""Classification: candidates from every source → one inventory row per system.

    classify(con)  # rebuilds systems, system_evidence, document_systems; keeps decisions

Steps: collect candidates (documents, KITOS, web), match each against KL's lists, merge candidates
that are the same system (same list entry, or the same name by `tuscan.names.same_system`), apply
`tuscan.rules.classify_system`, write the result and a snapshot for "what changed since the
previous run". People's decisions (`decisions` table) are read, never written here: each is attached
to the system it was about (`DecisionBook`), and which system that was is recorded per run
(`decision_links`), so a decision whose system is gone is listed, not lost.
"""

from __future__ import annotations

import importlib
import json
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import duckdb
from rapidfuzz import fuzz, process

import reference
from tuscan.candidates import COMMON_PUBLIC_SIGNAL, Candidate, Evidence, registered_sources
from tuscan.db import insert_rows, transaction
from tuscan.identify import document_candidates
from tuscan.names import (
    SCORER,
    THRESHOLD,
    NameMatcher,
    authority_of,
    canonical,
    containment_guard,
    fold,
    is_generic_text_form,
    normalise,
    same_system,
    vendor_of,
)
from tuscan.reasons import DA, evidence_text
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
    # Candidate names that are a list entry's name, spelled some way (not just containing one).
    whole_names: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        """The name a DPO sees. In order: a candidate's own name that is a list entry's name (keeps
        "FMK", "NetForvaltning Sundhed"); the municipality's KITOS spelling; the matched list entry's
        spelling (for "Licensaftale FirstAgenda Prepare" or "FIRSTAGENDA": "FirstAgenda"); else the
        best candidate's name. Never an authority's name (Sundhedsdatastyrelsen owns FMK; it is not
        a system) and never an ALL-CAPS title when another spelling is known."""
        ranked = sorted(self.candidates, key=lambda c: (SOURCE_PREFERENCE.get(c.source_kind, 9), -len(c.evidence)))
        named = [c for c in ranked if authority_of(c.name) is None]
        for cand in named:
            if cand.name in self.whole_names and not _shouting(cand.name):
                return cand.name
        for cand in named:
            if cand.source_kind == "kitos" and not _shouting(cand.name):
                return cand.name
        listed = sorted(self.matches.values(), key=lambda m: (-m.score, LIST_ORDER.get(m.list, 9)))
        for match in listed:
            if not _shouting(match.name):
                return match.name
        if listed:
            return listed[0].name
        for cand in named:
            if not _shouting(cand.name):
                return cand.name
        if named:
            return _unshout(named[0].name)
        authority = authority_of(ranked[0].name)
        return f"Løsning fra {authority.name}" if authority else ranked[0].name

    @property
    def vendor(self) -> str | None:
        vendors = [c.vendor for c in sorted(self.candidates, key=lambda c: SOURCE_PREFERENCE.get(c.source_kind, 9))
                   if c.vendor]
        return vendors[0] if vendors else None

    @property
    def evidence(self) -> list[Evidence]:
        return [e for c in self.candidates for e in c.evidence]


LIST_ORDER = {COMMON_PUBLIC_LIST: 0, SHARED_LIST: 1, KITOS_LIST: 2}
# A name written in capitals only is a title's typography ("FIRSTAGENDA"), not the system's
# spelling; acronyms up to this many letters ("FMK", "SBSYS") are spelt that way.
ACRONYM_LETTERS = 5


def _shouting(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) > ACRONYM_LETTERS and all(c.isupper() for c in letters)


def _unshout(name: str) -> str:
    """"KORSBÆK BORGERPORTAL TIL IT" → "Korsbæk Borgerportal til IT": small Danish words in lower
    case, other short words stay acronyms ("KMD", "IT")."""
    return " ".join(word.lower() if word.lower() in _SMALL_WORDS else word if len(word) <= 3 else word.capitalize()
                    for word in name.split(" "))


_SMALL_WORDS = frozenset("af og i til for på med om fra ved".split())


@dataclass
class ClassifyResult:
    run_id: int
    systems: int
    by_category: dict[str, int]

    def describe(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.by_category.items()))
        return f"Classified {self.systems} systems ({counts})."


def reference_matcher(con: duckdb.DuckDBPyConnection | None = None) -> NameMatcher:
    """KL's lists to match against: the bundled CSVs, or, given the inventory, the newest version of
    each list imported into it (`tuscan lists import`) in place of the bundled one."""
    replacements = {}
    if con is not None:
        from tuscan.lists import imported_entries

        replacements = imported_entries(con)
    return NameMatcher((e.key, e.name) for e in reference.all_entries(replacements))


def match_lists(matcher: NameMatcher, names: list[str]) -> tuple[dict[str, ListMatch], list[tuple[str, str, float]]]:
    """Best match per KL list over all the names a system goes by, and ambiguous runner-ups."""
    best, ambiguous, _whole = _match_names(matcher, names)
    return best, ambiguous


def _match_names(matcher: NameMatcher, names: list[str]
                 ) -> tuple[dict[str, ListMatch], list[tuple[str, str, float]], set[str]]:
    """match_lists, and which of the names are a list entry's name as they stand (for System.name).

    Every name signal is matched (tuscan.names.NameMatcher.match_names: whole, without contract and
    user words, or a list name contained in it). `names` come strongest first: the candidate's
    name, then further signals (titles, folders, file names, vendor + product, a mention). A name
    that is a list entry's name counts from any signal, except a further signal that is an ordinary
    word ("Sundhed" as a folder is not Sundhed.dk); a list name contained in a longer name counts
    only when no signal is a list name, and then from the strongest signal that contains one."""
    best: dict[str, ListMatch] = {}
    ambiguous: list[tuple[str, str, float]] = []
    whole: set[str] = set()
    contained: list = []
    for i, (name, match) in enumerate(zip(names, matcher.match_names(names), strict=True)):
        if match is None:
            continue
        if match.how == "contained":
            contained.append(match)
            continue
        if i > 0 and is_generic_text_form(fold(name)):
            continue
        if match.ambiguous and match.runner_up:
            ambiguous.append((match.key, match.name, match.score))
            ambiguous.append(match.runner_up)
            continue
        if match.how == "whole":
            whole.add(name)
        _keep_best(best, match)
    if not best and contained:
        _keep_best(best, contained[0])
    return best, ambiguous, whole


def _keep_best(best: dict[str, ListMatch], match) -> None:
    for key in match.keys or (match.key,):
        list_name, _, entry_name = key.partition(":")
        current = best.get(list_name)
        if current is None or match.score > current.score:
            best[list_name] = ListMatch(list_name, entry_name, match.score)


class NameIndex:
    """Names of the systems merged so far, for the fuzzy look-up of a new candidate's names.

    Grows one name at a time, so it cannot be a NameMatcher (built once from a fixed list): a
    rapidfuzz pre-filter on the canonical forms, confirmed by `same_system` (vendor rules). Across
    sources (a KITOS name, a document's title) one name contained token by token in the other is
    the same system too: KITOS "Borgerportalen" and the project description "Projektbeskrivelse
    Borgerportalen", when the contained name is specific enough (tuscan.names.containment_guard)."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.systems: list[System] = []
        self.kinds: list[str] = []
        self.whole: dict[tuple[str, ...], list[int]] = {}      # folded tokens of a name → entries
        self.windows: dict[tuple[str, ...], list[int]] = {}    # every run of tokens of a name → entries
        self.by_length: dict[int, tuple[list[str], list[int]]] = {}   # canonical forms by length

    def add(self, name: str, system: System, source_kind: str = "") -> None:
        form = canonical(name)
        if form:
            i = len(self.names)
            self.names.append(name)
            self.systems.append(system)
            self.kinds.append(source_kind)
            forms, entries = self.by_length.setdefault(len(form), ([], []))
            forms.append(form)
            entries.append(i)
            for tokens in _token_forms(name):
                self.whole.setdefault(tokens, []).append(i)
                for length in range(1, len(tokens) + 1):
                    for start in range(len(tokens) - length + 1):
                        self.windows.setdefault(tokens[start : start + length], []).append(i)

    def find(self, names: list[str], source_kind: str = "") -> System | None:
        for name in names:
            form = canonical(name)
            if not form or not self.names:
                continue
            for i in self._closest(form):
                if same_system(name, self.names[i]):
                    return self.systems[i]
        for name in names:
            found = self._find_contained(name, source_kind)
            if found is not None:
                return found
        return None

    def _closest(self, form: str) -> list[int]:
        """The (up to) three earlier names scoring at least THRESHOLD against `form`, best first and
        by index among equals, as `process.extract` over all of them gives them. fuzz.ratio can reach
        THRESHOLD only between lengths close enough (`_lengths_can_match`), so only those are
        compared; comparing every new name with every earlier one grows with the square of the
        systems (the look-ups of 10,000 KITOS systems: 4.6 s → 2.6 s, `bench/scale.py classify`)."""
        found = []
        for length, (forms, entries) in self.by_length.items():
            if _lengths_can_match(len(form), length):
                for _choice, score, j in process.extract(form, forms, scorer=SCORER, score_cutoff=THRESHOLD, limit=3):
                    found.append((-score, entries[j]))
        found.sort()
        return [i for _score, i in found[:3]]

    def _find_contained(self, name: str, source_kind: str) -> System | None:
        if not source_kind or authority_of(name):
            return None
        for tokens in _token_forms(name):
            # This name inside an earlier one …
            if containment_guard(" ".join(tokens)) is None:
                for i in self.windows.get(tokens, []):
                    if self._joinable(i, source_kind, name, self.names[i]):
                        return self.systems[i]
            # … or an earlier name inside this one.
            for length in range(len(tokens) - 1, 0, -1):
                for start in range(len(tokens) - length + 1):
                    window = tokens[start : start + length]
                    if containment_guard(" ".join(window)) is not None:
                        continue
                    for i in self.whole.get(window, []):
                        if self._joinable(i, source_kind, self.names[i], name):
                            return self.systems[i]
        return None

    def _joinable(self, i: int, source_kind: str, short: str, long: str) -> bool:
        """Only across sources (documents are grouped by tuscan.identify, which keeps two products
        of one vendor apart), and only when no explicit vendors differ."""
        if self.kinds[i] == source_kind or authority_of(self.names[i]):
            return False
        vendor_short, vendor_long = vendor_of(short), vendor_of(long)
        return not (vendor_short and vendor_long and vendor_short != vendor_long)


def _lengths_can_match(a: int, b: int) -> bool:
    """Whether strings of lengths a and b can score THRESHOLD: fuzz.ratio is 100 · (1 − d / (a + b))
    with an edit distance d of at least |a − b|. Any other scorer compares every length."""
    if SCORER is not fuzz.ratio or a + b == 0:
        return True
    return 100 * (1 - abs(a - b) / (a + b)) >= THRESHOLD - 1e-9


def _token_forms(name: str) -> list[tuple[str, ...]]:
    """A name's folded tokens, with vendor words and ".dk" dropped (canonical) and as written."""
    forms = []
    for form in (canonical(name), fold(name)):
        tokens = tuple(form.split())
        if tokens and tokens not in forms:
            forms.append(tokens)
    return forms


def _owner_signal(cand: Candidate) -> Evidence | None:
    """A candidate named or filed after an authority that owns common public solutions (KL,
    Delrapport 2, Bilag 1; Delrapport 1, "Fællesoffentlig løsning": FMK is owned by
    Sundhedsdatastyrelsen) carries a common-public signal; tuscan.rules needs login evidence too."""
    as_name = authority_of(cand.name)
    as_vendor = authority_of(cand.vendor)
    ref = cand.evidence[0].source_ref if cand.evidence else cand.name
    if as_name is not None and as_name.common_public_owner and as_name.filing_signal:
        authority, what = as_name, f"Filed under {as_name.name}"
    elif as_vendor is not None and as_vendor.common_public_owner and as_vendor.filing_signal:
        authority, what = as_vendor, f"Supplied by {as_vendor.name}"
    else:
        return None
    return Evidence(cand.source_kind, ref, COMMON_PUBLIC_SIGNAL,
                    f"{what}, a public authority that owns common public solutions", term=authority.name)


def merge(candidates: list[Candidate], matcher: NameMatcher) -> list[System]:
    """Group candidates naming the same system: the same KL list entry, or names that match.

    Every name signal of a candidate is matched against the lists; a document's further signals
    (titles, folders, file names) are used for the lists only, so that two systems filed in one
    topic folder are not merged by it. An authority's name is never a key: it is a signal for
    common public (`_owner_signal`), not a system."""
    systems: list[System] = []
    by_key: dict[str, System] = {}
    index = NameIndex()
    for cand in candidates:
        names = [cand.name, *cand.other_names]
        matches, ambiguous, whole = _match_names(matcher, names)
        own_names = [cand.name] + (cand.other_names if cand.source_kind != "document" else [])
        own_names = [n for n in own_names if authority_of(n) is None]
        signal = _owner_signal(cand)
        if signal is not None and not any(e.kind == COMMON_PUBLIC_SIGNAL for e in cand.evidence):
            cand.evidence.append(signal)
        keys = [f"list:{normalise(m.name)}" for m in matches.values()] + [f"name:{normalise(n)}" for n in own_names]
        keys = [k for k in keys if k.partition(":")[2]]
        target = next((by_key[k] for k in keys if k in by_key), None) or index.find(own_names, cand.source_kind)
        if target is None:
            target = System()
            systems.append(target)
        target.candidates.append(cand)
        target.whole_names.update(whole)
        for list_name, m in matches.items():
            if list_name not in target.matches or m.score > target.matches[list_name].score:
                target.matches[list_name] = m
        target.ambiguous.extend(ambiguous)
        for k in keys:
            by_key.setdefault(k, target)
        for n in own_names:
            index.add(n, target, cand.source_kind)
    return systems


@dataclass
class _Decision:
    """A decision in force (the newest per system key), with what it was about."""

    decision_id: int
    system: str
    key: str
    category: str
    level: str | None
    note: str | None
    decided_at: object
    decided_by: str | None = None
    list_key: str | None = None
    names: set[str] = field(default_factory=set)     # the key, recorded names, names it was attached under
    vendor: str | None = None
    documents: set[str] = field(default_factory=set)      # sha256 of the documents behind it

    def as_fact(self, note: str | None = None) -> tuple[str, str | None, str | None]:
        return self.category, self.level, note if note is not None else self.note


# How strongly a decision claims a system, strongest first: the system still goes by the name it
# was decided under; by a name it went by earlier; it matched the same KL-list entry; it holds
# documents the decided system held (a rename by a better title, a split).
_HOW = {"name": 4, "earlier_name": 3, "list_entry": 2, "documents": 1}


class DecisionBook:
    """People's decisions, each attached to at most one system of this run.

    Attaching is done once for all systems, so that a decision goes to the system that claims it
    most strongly (`_HOW`), and a system that two decisions reach (two decided systems merged) takes
    the newest; an older one that disagrees is `overruled` and reported, never dropped. Decisions
    that reach no system are orphaned: kept, and listed by `tuscan query orphaned_decisions`."""

    def __init__(self, decisions: list[_Decision], systems: list[System],
                 document_hashes: dict[int, str] | None = None) -> None:
        self.decisions = decisions
        self.attached: dict[int, tuple[_Decision, str]] = {}          # id(system) → winning decision, how
        self.links: list[tuple[_Decision, System, str, int | None]] = []
        self.notes: dict[int, str] = {}                                # id(system) → the reason's note
        claims: dict[int, list[tuple[_Decision, str]]] = {}
        by_id = {id(s): s for s in systems}
        forms = {id(s): _system_forms(s, document_hashes or {}) for s in systems}
        for decision in decisions:
            best = None
            for system in systems:
                claim = _claim(decision, system, forms[id(system)])
                if claim is not None and (best is None or claim[0] > best[0][0]):
                    best = (claim, system)
            if best is not None:
                (_score, how), system = best[0], best[1]
                claims.setdefault(id(system), []).append((decision, how))
        for sid, claimed in claims.items():
            claimed.sort(key=lambda dh: (dh[0].decided_at, dh[0].decision_id), reverse=True)
            winner, how = claimed[0]
            self.attached[sid] = (winner, how)
            self.links.append((winner, by_id[sid], how, None))
            overruled = []
            for decision, other_how in claimed[1:]:
                if (decision.category, decision.level) == (winner.category, winner.level):
                    self.links.append((decision, by_id[sid], other_how, None))
                else:
                    overruled.append(decision)
                    self.links.append((decision, by_id[sid], "overruled", winner.decision_id))
            if overruled:
                others = "; ".join(f"{d.system} → {d.category} (by {d.decided_by or 'unknown'})" for d in overruled)
                self.notes[sid] = ((winner.note + "; " if winner.note else "")
                                   + f"the newest of {len(claimed)} decisions on systems now merged into this one;"
                                   f" set aside: {others} (tuscan query orphaned_decisions)")

    def decision_for(self, system: System) -> tuple | None:
        found = self.attached.get(id(system))
        if found is None:
            return None
        return found[0].as_fact(self.notes.get(id(system)))

    @property
    def orphaned(self) -> list[_Decision]:
        linked = {d.decision_id for d, _s, _how, _by in self.links}
        return [d for d in self.decisions if d.decision_id not in linked]


def _with_aliases(names: set[str]) -> set[str]:
    """The names and, for a known alias ("FMK", "Aula"), the name it stands for on KL's lists."""
    aliases = _alias_forms()
    return names | {aliases[n] for n in names if n in aliases}


@cache
def _alias_forms() -> dict[str, str]:
    return {normalise(a): normalise(n) for a, n in reference.load_aliases().items()}


def _system_forms(system: System, hashes: dict[int, str]) -> tuple[set[str], set[str], set, set[str]]:
    """(normalised names, list keys, documents, vendors) of a system of this run. A document is
    its sha256 where known (the same file moved or renamed is a new document row)."""
    names = {normalise(c.name) for c in system.candidates} | {normalise(n) for c in system.candidates
                                                                for n in c.other_names}
    names |= {normalise(m.name) for m in system.matches.values()} | {normalise(system.name)}
    list_keys = {f"{m.list}:{m.name}" for m in system.matches.values()}
    documents = {hashes.get(d, d) for c in system.candidates for d in c.document_ids}
    vendors = {normalise(c.vendor) for c in system.candidates if c.vendor}
    return _with_aliases(names - {""}), list_keys, documents, vendors


def _claim(decision: _Decision, system: System, forms) -> tuple[tuple, str] | None:
    """(sort key, how) when the decision may be this system's, else None."""
    names, list_keys, documents, vendors = forms
    shared_documents = len(decision.documents & documents)
    same_vendor = bool(decision.vendor and normalise(decision.vendor) in vendors)
    if _with_aliases({decision.key}) & names:
        how = "name"
    elif _with_aliases(decision.names) & names:
        how = "earlier_name"
    elif decision.list_key and decision.list_key in list_keys:
        how = "list_entry"
    elif shared_documents:
        how = "documents"
    else:
        return None
    return (_HOW[how], shared_documents, same_vendor), how


def _decisions(con: duckdb.DuckDBPyConnection, systems: list[System] | None = None) -> DecisionBook:
    """The decisions in force (the newest per system key), attached to this run's systems."""
    rows = con.execute(
        "SELECT d.decision_id, d.system, d.system_key, d.category, d.level, d.note, d.decided_at, d.decided_by,"
        " s.list_key, s.names, s.vendor, s.documents"
        " FROM decisions d LEFT JOIN decision_subjects s USING (decision_id)"
        " ORDER BY d.decided_at, d.decision_id").fetchall()
    latest: dict[str, _Decision] = {}
    for did, name, key, category, level, note, at, by, list_key, names, vendor, documents in rows:
        latest[key] = _Decision(did, name, key, category, level, note, at, by, list_key,
                                {key, *(names or [])}, vendor, set(documents or []))
    # Names a decision was attached under in earlier runs are its system's earlier names.
    by_id = {d.decision_id: d for d in latest.values()}
    for did, key in con.execute("SELECT DISTINCT decision_id, system_key FROM decision_links"
                                " WHERE how <> 'overruled'").fetchall():
        if did in by_id:
            by_id[did].names.add(key)
    hashes = dict(con.execute("SELECT document_id, sha256 FROM documents WHERE sha256 IS NOT NULL").fetchall())
    return DecisionBook(list(latest.values()), systems or [], hashes)


def _decision_for(decisions: DecisionBook, system: System) -> tuple | None:
    return decisions.decision_for(system)


def _record_links(con: duckdb.DuckDBPyConnection, run_id: int, decisions: DecisionBook) -> None:
    """Which system each decision was attached to in this run (for orphaned_decisions and for the
    earlier names of the next run)."""
    insert_rows(con, "decision_links", ["run_id", "decision_id", "system", "system_key", "how", "overruled_by"],
                [(run_id, d.decision_id, s.name, normalise(s.name), how, by) for d, s, how, by in decisions.links])


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
        matcher = reference_matcher(con)
        systems = merge(collect_candidates(con, matcher), matcher)
        decisions = _decisions(con, systems)
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
                         matched.score if matched else None, bool(system.ambiguous), verdict.reason,
                         verdict.reason_code or None, json.dumps(verdict.reason_values, ensure_ascii=False),
                         verdict.reason_in(DA), sources, len(evidence), verdict.decided_by, run.run_id))
            evidence_rows.extend((system_id, e.source_kind, e.source_ref, e.document_id, e.page, e.kind, e.term,
                                  e.detail, e.detail_da or evidence_text({"kind": e.kind, "detail": e.detail}, DA),
                                  e.snippet)
                                 for e in evidence)
            doc_rows.extend((d, system_id, c.name_signal) for c in system.candidates for d in c.document_ids)
            history.append((run.run_id, system.name, key, verdict.category, verdict.suggested_level, verdict.flags,
                            verdict.decided_by))
        with transaction(con):
            con.execute("DELETE FROM systems")
            con.execute("DELETE FROM system_evidence")
            con.execute("DELETE FROM document_systems")
            insert_rows(con, "systems", ["system_id", "system", "system_key", "vendor", "category", "suggested_level",
                                         "flags", "matched_list", "matched_name", "match_score", "ambiguous",
                                         "reason", "reason_code", "reason_values", "reason_da", "sources",
                                         "evidence_count", "decided_by", "classified_run"], rows)
            insert_rows(con, "system_evidence", ["system_id", "source_kind", "source_ref", "document_id", "page",
                                                 "kind", "term", "detail", "detail_da", "snippet"], evidence_rows)
            insert_rows(con, "document_systems", ["document_id", "system_id", "signal"], doc_rows)
            insert_rows(con, "inventory_history", ["run_id", "system", "system_key", "category", "suggested_level",
                                                   "flags", "decided_by"], history)
            _record_links(con, run.run_id, decisions)
        by_category = Counter(r[4] for r in rows)
        run.summary = {"systems": len(rows), "by_category": dict(by_category)}
    return ClassifyResult(run.run_id, len(rows), dict(by_category))


__all__ = ["classify", "ClassifyResult", "COMMON_PUBLIC_LIST", "SHARED_LIST", "KITOS_LIST"]
