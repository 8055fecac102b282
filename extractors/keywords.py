"""Text → keyword hits: the Danish keyword finder.

The terms live in `reference/keywords.toml` so users can extend them (the seed's list ends in
"m.fl."). Matching is built for how Danish contracts are really written:

- case-insensitive and NFC-normalised;
- words split by hyphenation at a line end are joined first ("Nem-⏎ID", also with blank lines in
  between as OCR produces, pypdfium2's U+FFFE marker and soft hyphens);
- a hyphen or space may sit inside a term where the data file marks it ("Nem ID", "Nem-ID");
- each term is anchored at the start of a word but open at the end, so inflections match
  ("medarbejdersignaturen", "NemID-løsningen") while "oces" inside "proces" does not;
- traps (NemKonto, NemHandel) and signature-block context ("underskrevet med NemID", Penneo) are
  recorded as excluded hits, so a reader can see why they did not count.

KL recommends searching all agreements for these keywords to find "de aftaler der indeholder en
TU-løsning" (Delrapport 1, "Identifikation af TU-løsninger"); a search finds every mention, so a
login keyword is login evidence only where the text says users log in to the system. Contexts where
it is not — a negation ("understøtter ikke login med MitID"), MitID as something people get, are
helped with or taught, MitID as a way to pay, a site in a list of sites, NemLog-in's signing and
signature-validation services — are *weak* exclusions: the hit does not count, and its
`excluded_by` starts with "weak mention (", so classification can tell "only weak mentions, a
person decides" from "no login at all". Every hit says why: `excluded_by` when it does not count,
`counts_because` when it does (not stored: a scan asks `find_hits` to leave it out, and a reader
who wants it can search the stored text again).

Exclusions and login statements are data (`reference/keywords.toml`). Each looks only at a bounded
window of text on either side of the hit, cut at the sentence or paragraph it sits in, so the cost
per page grows with the number of hits, never with the page's length times the number of hits.
"""

from __future__ import annotations

import bisect
import math
import re
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import re2

from extractors.cpr import mask_cpr

KEYWORDS_FILE = Path(__file__).resolve().parent.parent / "reference" / "keywords.toml"
SNIPPET_RADIUS = 80

# Where the data file writes "|", the text may have a hyphen, whitespace or nothing.
_FLEX = r"[\s\-\u2010\u2011\u2013]*"
# Hyphenation at a line end: "-" (or U+FFFE from pypdfium2) + newline(s) and indentation; also soft
# hyphens anywhere. The joined text is what terms are matched against. Written to start with a
# character class, so the regex engine skips ahead to the next hyphen (3× faster than an alternation).
_JOIN = re.compile(r"[\-\u2010\u00ad\ufffe](?:\s*\n\s*|(?<=[\u00ad\ufffe]))")
_LINE_END_HYPHEN = re.compile(r"-\s*\n")   # the commonest of `_JOIN`'s cases, found by its first character


# Characters that a case-insensitive regex matches to an ASCII letter although their lower case is
# another character ("ſ" to "s", "ı" to "i"): a context holding one is always searched.
try:
    from re import _casefix

    _CASE_SPECIALS = frozenset(chr(code) for key, others in _casefix._EXTRA_CASES.items()
                               for code in (key, *others) if code >= 0x80)
except (ImportError, AttributeError):   # another Python's internals: no prefilter, search everything
    _CASE_SPECIALS = frozenset(chr(code) for code in range(0x80, 0x250))
# Looked for with a character class: 3× faster than `isdisjoint` over the text's characters.
_CASE_SPECIAL = re.compile("[" + "".join(re.escape(c) for c in sorted(_CASE_SPECIALS)) + "]")


def lower_alike(text: str) -> str | None:
    """`text.lower()` where it can stand in, character for character, for what a case-insensitive
    regex sees in `text` (so `str.find` on it may choose where such a regex is tried); None when
    lower-casing changed the length or the text holds a character such a regex matches to another
    letter."""
    lowered = text.lower()
    if len(lowered) != len(text) or (not lowered.isascii() and _CASE_SPECIAL.search(lowered)):
        return None
    return lowered


def necessary_literals(pattern: re.Pattern[str] | None) -> frozenset[str] | None:
    """Lower-case literals one of which every match of a case-insensitive regex contains, from its
    parsed form; None when there are none to rely on (a branch without a literal, flags changed
    inside, a case-sensitive regex): "(ikke|ingen) +…$" gives {"ikke", "ingen"}."""
    return _literals_of(pattern, _sequence_literals)


def start_literals(pattern: re.Pattern[str] | None) -> frozenset[str] | None:
    """Lower-case literals one of which every match of a case-insensitive regex starts with, after
    any zero-width assertion (a look-behind, a word boundary); None when unknown (a match may start
    with a class, an optional part …): "(?<!\\w)(ikke|ingen)\\s+…" gives {"ikke", "ingen"}."""
    return _literals_of(pattern, _sequence_starts)


def _literals_of(pattern: re.Pattern[str] | None, analyse) -> frozenset[str] | None:
    if pattern is None or not pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return None
    try:
        from re import _constants, _parser

        found = analyse(_parser.parse(pattern.pattern, pattern.flags).data, _constants)
    except Exception:   # an internal API of `re`: when it differs, go without the prefilter
        return None
    if not found or "" in found:
        return None
    return frozenset(literal.lower() for literal in found)


def _sequence_starts(items, c) -> frozenset[str] | None:
    """For a sequence of regex items: the literals one of which every match of it starts with."""
    run: list[str] = []
    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            break
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue                           # zero width: the match starts with what follows
        return _item_literals(op, av, c, _sequence_starts)
    return frozenset({"".join(run)}) if run else None


def _sequence_literals(items, c) -> frozenset[str] | None:
    """For a sequence of regex items: the best literal set any one item (or run of literal
    characters) requires — the one whose shortest literal is longest."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            candidates.append(frozenset({"".join(run)}))
            run = []
        found = _item_literals(op, av, c, _sequence_literals)
        if found:
            candidates.append(found)
    if run:
        candidates.append(frozenset({"".join(run)}))
    return max(candidates, key=lambda found: min(map(len, found))) if candidates else None


def _item_literals(op, av, c, sequence) -> frozenset[str] | None:
    """What `sequence` (`_sequence_literals` or `_sequence_starts`) finds in one regex item that
    holds sequences: a group, alternatives (every one must give some), a repeat that occurs at
    least once."""
    if op is c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else sequence(sub.data, c)
    if op is c.BRANCH:
        branches = [sequence(branch.data, c) for branch in av[1]]
        return None if any(not b for b in branches) else frozenset().union(*branches)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)):
        low, _high, sub = av
        return sequence(sub.data, c) if low >= 1 else None
    return None   # a class, any character, an anchor, a look-around, a back reference …


@dataclass(frozen=True)
class Term:
    term: str          # canonical lower-case name, stored in hits.term
    group: str
    pattern: re.Pattern[str]
    login: bool
    trap_reason: str | None
    prefixes: tuple[str, ...]  # per spelling, a literal any match contains: none in the page, no hit
    starts: tuple[str, ...]    # per spelling, the literal every match starts with (empty: unknown)


@dataclass(frozen=True)
class Exclusion:
    name: str
    reason: str
    pattern: re.Pattern[str] | None   # searched in the text before the hit (None: not looked at)
    before: int
    after: int
    applies_to: frozenset[str]
    scope: str            # "sentence" or "paragraph": the context never reaches past it
    after_pattern: re.Pattern[str] | None = None  # searched after the hit (default: `pattern`, if after > 0)
    unless: re.Pattern[str] | None = None     # searched before the hit: when found, the rule does not apply
    matched: re.Pattern[str] | None = None    # case-sensitive, on the matched text: the rule applies only then
    weak: bool = False    # a weak login mention (a person decides), not "no login at all"
    both: bool = False    # the rule applies only when `pattern` and `after_pattern` are both found
    # Per regex, literals one of which every match contains (lower case; None: unknown): a context
    # with none of them is not searched (`_may_match`).
    pattern_literals: frozenset[str] | None = None
    after_literals: frozenset[str] | None = None
    unless_literals: frozenset[str] | None = None
    # Per regex, literals one of which every match starts with (None: unknown): the regex is tried
    # only where one of them is (`_search`).
    pattern_starts: frozenset[str] | None = None
    after_starts: frozenset[str] | None = None
    unless_starts: frozenset[str] | None = None

    def describe(self) -> str:
        """The hit's `excluded_by`: weak mentions are marked so classification can find them."""
        return f"{WEAK_MENTION} ({self.name}): {self.reason}" if self.weak else f"{self.name}: {self.reason}"


WEAK_MENTION = "weak mention"   # how a weak exclusion's `excluded_by` starts


def is_weak(excluded_by: str | None) -> bool:
    """True for the `excluded_by` of a weak login mention (negated, a way to pay, a course topic …)."""
    return bool(excluded_by) and excluded_by.startswith(WEAK_MENTION + " (")


@dataclass(frozen=True)
class Hit:
    page: int
    offset: int        # character offset in the page text as stored (NFC, CPR-masked)
    length: int
    term: str
    group: str
    matched: str       # the text as written, e.g. "Nem-\nID"
    snippet: str       # ±80 characters around the hit, CPR numbers masked
    login: bool
    excluded_by: str | None = None  # a readable reason when this hit does not count
    counts_because: str | None = None  # a readable reason when it does (not stored)

    @property
    def weak(self) -> bool:
        """A login keyword in a context that is not a login statement: weak evidence, a person decides."""
        return is_weak(self.excluded_by)

    def __reduce__(self):
        # Pickled as its fields in order rather than as a dictionary: hits cross from the reading
        # processes to the writer by the hundred thousand (pickling and unpickling a generated
        # benchmark PDF's results 0.36 → 0.26 ms).
        return (Hit, (self.page, self.offset, self.length, self.term, self.group, self.matched, self.snippet,
                      self.login, self.excluded_by, self.counts_because))


@dataclass(frozen=True)
class Keywords:
    terms: tuple[Term, ...]
    exclusions: tuple[Exclusion, ...]
    groups: dict[str, str]   # group → description
    statements: tuple[Exclusion, ...] = ()  # login statements: why a counted login hit counts

    @cached_property
    def literals(self) -> frozenset[str]:
        """Every term's prefilter literals, all looked for in one pass over a page (`present_literals`)."""
        return frozenset(p for term in self.terms for p in term.prefixes)

    @cached_property
    def widths(self) -> dict[str, tuple[int, int]]:
        """Per scope, the widest context any exclusion or statement looks at, before and after."""
        return _widths(self.exclusions + self.statements)

    @cached_property
    def context_literals(self) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
        """Per scope, every literal some rule's regex needs before and after a hit (`_Window.found`)."""
        return _context_literals(self.exclusions + self.statements)


class KeywordFileError(Exception):
    """The keyword data file is malformed."""


def _spelling_regex(spelling: str, whole_word: bool) -> str:
    parts = [re.escape(p).replace(r"\ ", r"\s+") for p in spelling.split("|")]
    end = r"(?!\w)" if whole_word else ""
    if len(parts) == 1:
        return rf"(?<!\w){parts[0]}{end}"
    joined = "".join(parts)
    gapped = _FLEX.join(parts)
    if len(spelling.split("|")[-1]) <= 3 and not whole_word:
        # "Nem ID" written apart must end there: "nem identifikation" and "mit idé" are ordinary
        # Danish ("easy identification", "my idea"), not NemID/MitID. A genitive s may follow
        # ("NemLog-ins signeringstjeneste"); it is not part of the match.
        return rf"(?<!\w)(?:{joined}|{gapped}(?=s(?![^\W\d_])|(?![^\W\d_])))"
    return rf"(?<!\w){gapped}{end}"


def _start_literal(spelling: str) -> str:
    """The literal (lower case) every match of a spelling starts with: its first word up to a '|'
    or a space ("nem|id" → "nem", "mitid erhverv" → "mitid"). Empty when there is none."""
    words = spelling.lower().split("|")[0].split()
    return words[0] if words and not spelling[:1].isspace() else ""


def _required_literal(spelling: str) -> str:
    """The longest piece of a spelling that every match contains verbatim (lower case), used to skip
    the term's regex on pages that cannot match: "tu|løsning" needs "løsning", "nem|id" needs "nem"."""
    pieces = [w for part in spelling.lower().split("|") for w in part.split()]
    return max(pieces, key=len)


def _starts(spellings: list[str]) -> tuple[str, ...]:
    starts = {_start_literal(sp) for sp in spellings}
    return () if "" in starts else tuple(sorted(starts))


@lru_cache(maxsize=8)
def load_keywords(path: str | None = None) -> Keywords:
    """Load and compile a keyword file (default: the bundled `reference/keywords.toml`)."""
    file = Path(path) if path else KEYWORDS_FILE
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise KeywordFileError(f"cannot read keyword file {file}: {exc}") from exc
    terms: list[Term] = []
    groups: dict[str, str] = {}
    for group, spec in data.get("groups", {}).items():
        groups[group] = spec.get("description", group)
        for entry in spec.get("terms", []):
            if "term" not in entry:
                raise KeywordFileError(f"{file}: a term in group {group!r} has no 'term'")
            spellings = entry.get("spellings") or [entry["term"]]
            regex = "|".join(_spelling_regex(s.lower(), entry.get("whole_word", False)) for s in spellings)
            terms.append(
                Term(
                    term=entry["term"],
                    group=group,
                    pattern=re.compile(regex, re.IGNORECASE),
                    login=bool(spec.get("login", False)),
                    trap_reason=entry.get("reason") if spec.get("trap") else None,
                    prefixes=tuple(sorted({_required_literal(sp) for sp in spellings})),
                    starts=_starts(spellings),
                )
            )
    exclusions = tuple(_rule(file, e) for e in data.get("exclusions", []))
    statements = tuple(_rule(file, e) for e in data.get("statements", []))
    return Keywords(tuple(terms), exclusions, groups, statements)


def _rule(file: Path, spec: dict) -> Exclusion:
    """One [[exclusions]] or [[statements]] entry of the keyword file, compiled."""
    name = spec.get("name", "?")

    def compiled(key: str, flags: int = re.IGNORECASE) -> re.Pattern[str] | None:
        if spec.get(key) is None:
            return None
        try:
            return re.compile(spec[key], flags)
        except re.error as exc:
            raise KeywordFileError(f"{file}: rule {name!r} has a bad {key}: {exc}") from exc

    try:
        scope = spec.get("scope", "sentence")
        if scope not in _BOUNDARY:
            raise KeywordFileError(f"{file}: rule {name!r} has scope {scope!r}; use 'sentence' or 'paragraph'")
        before, after = int(spec.get("before", 0)), int(spec.get("after", 0))
        pattern = compiled("pattern")
        if pattern is None and spec.get("after_pattern") is None and spec.get("matched") is None:
            raise KeywordFileError(f"{file}: rule {name!r} needs a pattern, an after_pattern or a matched")
        after_pattern = compiled("after_pattern") or (pattern if after else None)
        unless = compiled("unless")
        return Exclusion(
            spec["name"], spec["reason"], pattern, before, after,
            frozenset(spec.get("applies_to", ["citizen_login", "business_login"])), scope,
            after_pattern=after_pattern, unless=unless, matched=compiled("matched", 0),
            weak=bool(spec.get("weak", False)), both=bool(spec.get("both", False)),
            pattern_literals=necessary_literals(pattern), after_literals=necessary_literals(after_pattern),
            unless_literals=necessary_literals(unless), pattern_starts=start_literals(pattern),
            after_starts=start_literals(after_pattern), unless_starts=start_literals(unless),
        )
    except KeyError as exc:
        raise KeywordFileError(f"{file}: rule {name!r} has no {exc.args[0]!r}") from None
    except (TypeError, ValueError) as exc:
        raise KeywordFileError(f"{file}: rule {name!r}: {exc}") from None


def join_hyphenation(text: str) -> tuple[str, list[int]]:
    """Join words split across line ends; return the joined text and, for each of its characters,
    the offset of that character in the original text."""
    joined, joins = _join_lines(text)
    index: list[int] = []
    for (at, shift), following in zip(joins, [*joins[1:], (len(joined), 0)], strict=True):
        index.extend(range(at + shift, following[0] + shift))
    index.append(len(text))  # one past the end, so an end offset maps too
    return joined, index


def _may_join(text: str) -> bool:
    """Whether `_JOIN` may find anything in `text`; a few searches for a single character, each far
    cheaper than `_JOIN`'s character class tried at every position of a page (~6 ns a character)."""
    return ("-" in text and _LINE_END_HYPHEN.search(text) is not None) or "\u00ad" in text or "\ufffe" in text \
        or "\u2010" in text


def _join_lines(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The joined text (as `join_hyphenation`), and where it moved: (position in the joined text,
    characters removed before it), from 0 on, increasing. A page needs its offsets mapped back only
    at its hits, so this is what `find_hits` keeps; a list of every character's offset costs ~6 µs
    per 1,000 characters (profiled on the benchmark's DOCX)."""
    pieces: list[str] = []
    joins = [(0, 0)]
    pos = removed = 0
    for m in _JOIN.finditer(text):
        pieces.append(text[pos : m.start()])
        removed += m.end() - m.start()
        joins.append((m.end() - removed, removed))
        pos = m.end()
    pieces.append(text[pos:])
    return "".join(pieces), joins


def _original_offset(joins: list[tuple[int, int]], at: int) -> int:
    """The offset in the original text of character `at` of the joined text."""
    return at + joins[bisect.bisect_right(joins, (at, math.inf)) - 1][1]


def prepare_text(text: str) -> str:
    """The form in which page text is stored: NFC-normalised with CPR numbers masked."""
    if not unicodedata.is_normalized("NFC", text):   # the check is much cheaper than normalising
        text = unicodedata.normalize("NFC", text)
    return mask_cpr(text)


_BOUNDARY = {
    "sentence": re.compile(r"[.!?](?=\s)|\n\s*\n"),
    "paragraph": re.compile(r"\n[ \t]*\n"),
}
# Danish contracts are full of abbreviations with a full stop ("bl.a.", "jf. pkt. 3", "f.eks."): a
# full stop right after one of these does not end the sentence.
_ABBREVIATION = re.compile(
    r"(?<![^\W\d_])(?:bl\.a|f\.eks|m\.fl|m\.v|m\.m|jf|fx|nr|ca|mv|pkt|inkl|ekskl|evt|ift|vedr|dvs|osv|mht|iht|"
    r"stk|kl|tlf|e\.g|i\.e|etc|vs|p\.t)$",
    re.IGNORECASE,
)


def _ends_sentence(text: str, at: int) -> bool:
    """Whether the boundary match found at `at` in `text` really ends a sentence."""
    return text[at] != "." or not _ABBREVIATION.search(text, max(0, at - 6), at)


def _context(text: str, start: int, end: int, before: int, after: int, scope: str) -> tuple[str, str]:
    """The text before and after a hit, cut at the sentence or paragraph it sits in."""
    boundary = _BOUNDARY[scope]
    begin = max(0, start - before)
    left = text[begin:start]
    cuts = [m for m in boundary.finditer(left) if _ends_sentence(text, begin + m.start())]
    if cuts:
        left = left[cuts[-1].end() :]
    right = text[end : end + after]
    cut = next((m for m in boundary.finditer(right) if _ends_sentence(text, end + m.start())), None)
    if cut:
        right = right[: cut.start()]
    return left, right


class _Window:
    """The context of one hit, cut once per scope at the widest window any rule asks for; a rule
    with a smaller window takes the end of `left` and the start of `right`."""

    def __init__(self, text: str, start: int, end: int, keywords: Keywords):
        self.text, self.start, self.end = text, start, end
        self.widths, self.literals = keywords.widths, keywords.context_literals
        self.cut: dict[str, tuple[str, str]] = {}
        self.lowered: dict[str, tuple[str, str] | None] = {}
        self.found_in: dict[str, tuple[set[str], set[str]] | None] = {}

    def _scope(self, scope: str) -> tuple[str, str]:
        if scope not in self.cut:
            before, after = self.widths[scope]
            self.cut[scope] = _context(self.text, self.start, self.end, before, after, scope)
        return self.cut[scope]

    def _lower(self, scope: str) -> tuple[str, str] | None:
        if scope not in self.lowered:
            low_left, low_right = (lower_alike(side) for side in self._scope(scope))
            usable = low_left is not None and low_right is not None
            self.lowered[scope] = (low_left, low_right) if usable else None
        return self.lowered[scope]

    def sides(self, rule: Exclusion) -> tuple[str, str]:
        return _rule_sides(rule, *self._scope(rule.scope))

    def lower_sides(self, rule: Exclusion) -> tuple[str, str] | None:
        """`sides` in lower case, for the literal prefilter; None where lower case cannot stand in
        for the regex's case-insensitive matching (see `_may_match`)."""
        lowered = self._lower(rule.scope)
        return None if lowered is None else _rule_sides(rule, *lowered)

    def found(self, scope: str) -> tuple[set[str], set[str]] | None:
        """Which of the rules' literals (`Keywords.context_literals`) are in this hit's widest
        context before and after it; None where lower case cannot stand in for the regexes'
        case-insensitive matching. Looked for once per hit rather than once per rule: a rule needs
        a literal that is in its own, narrower context, so one none of whose literals is found here
        is passed over without cutting its context (`_possible`)."""
        if scope not in self.found_in:
            lowered = self._lower(scope)
            if lowered is None:
                self.found_in[scope] = None
            else:
                (left_literals, right_literals), (low_left, low_right) = self.literals[scope], lowered
                self.found_in[scope] = (present_literals(low_left, left_literals),
                                        present_literals(low_right, right_literals))
        return self.found_in[scope]


def _rule_sides(rule: Exclusion, left: str, right: str) -> tuple[str, str]:
    """The end of `left` and the start of `right` that a rule with a smaller window looks at."""
    return (left[-rule.before :] if rule.before else ""), right[: rule.after]


def _may_match(literals: frozenset[str] | None, lowered: str | None) -> bool:
    """False only when a regex with these necessary literals cannot match the text: none of them is
    in it. Searching a context of ~100 characters with a rule's regex costs ~5 µs, because its
    branches start with a look-behind and the engine tries every position; most rules' words are
    not there at all (profiled on the dense benchmark corpus: ~24 searches a hit). A plain loop, as
    ~200 literals are looked for per hit: a third faster than `any()` over a generator."""
    if literals is None or lowered is None:
        return True
    for literal in literals:
        if literal in lowered:
            return True
    return False


def _applies(rule: Exclusion, window: _Window, matched: str) -> bool:
    """Whether a rule applies to a hit: its own patterns match around it and its `unless` does not.
    `unless` is searched last, only for a rule that would apply: most rules apply to few hits, and
    an `unless` without literals to prefilter on ("site in a list") was searched for almost every
    hit (profiled on the word-processor benchmark corpus: rules 132 → 113 µs a hit)."""
    if rule.matched and not rule.matched.search(matched):
        return False
    if not _possible(rule, window):
        return False
    left, right = window.sides(rule)
    low_left, low_right = window.lower_sides(rule) or (None, None)
    if rule.pattern is not None or rule.after_pattern is not None:
        found_before = bool(rule.pattern and rule.before and _may_match(rule.pattern_literals, low_left)
                            and _search(rule.pattern, rule.pattern_starts, left, low_left))
        if rule.both:
            found = found_before and bool(rule.after_pattern and _may_match(rule.after_literals, low_right)
                                          and _search(rule.after_pattern, rule.after_starts, right, low_right))
        else:
            found = found_before or bool(rule.after_pattern and rule.after
                                         and _may_match(rule.after_literals, low_right)
                                         and _search(rule.after_pattern, rule.after_starts, right, low_right))
        if not found:
            return False
    # (with neither pattern, the matched text alone decides: "nem login", the adjective "nem", easy)
    return not (rule.unless and _may_match(rule.unless_literals, low_left)
                and _search(rule.unless, rule.unless_starts, left, low_left))


def _search(pattern: re.Pattern[str], starts: frozenset[str] | None, text: str, lowered: str | None) -> bool:
    """Whether `pattern.search(text)` finds a match, the regex tried only where one of the literals
    every match starts with is (`start_literals`). A search tries the regex at every position, and
    the rules' regexes start with a look-behind and end at the context's end ("…){0,5}$"), so each
    try costs (profiled on the generated benchmark corpus: 16–65 µs a search of a ~100-character
    context). `lowered`: `text` as `lower_alike` gives it, None when it cannot stand in."""
    if starts is None or lowered is None:
        return pattern.search(text) is not None
    for literal in starts:
        at = lowered.find(literal)
        while at >= 0:
            if pattern.match(text, at):
                return True
            at = lowered.find(literal, at + 1)
    return False


def _possible(rule: Exclusion, window: _Window) -> bool:
    """False when a rule's patterns cannot match around a hit because none of their necessary
    literals is anywhere in the hit's widest context: two set operations, where cutting the rule's
    own context and looking for its literals there cost ~20 times as much. Most rules fail here
    (keyword finding 4% faster on the generated benchmark corpus's pages)."""
    if rule.pattern is None and rule.after_pattern is None:
        return True
    found = window.found(rule.scope)
    if found is None:
        return True
    left, right = found
    before = bool(rule.pattern and rule.before) and (rule.pattern_literals is None
                                                     or not rule.pattern_literals.isdisjoint(left))
    after = bool(rule.after_pattern) and (rule.after_literals is None or not rule.after_literals.isdisjoint(right))
    return (before and after) if rule.both else (before or (after and bool(rule.after)))


def _context_literals(rules: tuple[Exclusion, ...]) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    literals: dict[str, tuple[set[str], set[str]]] = {}
    for rule in rules:
        left, right = literals.setdefault(rule.scope, (set(), set()))
        if rule.pattern is not None and rule.before and rule.pattern_literals:
            left |= rule.pattern_literals
        if rule.after_pattern is not None and rule.after_literals:
            right |= rule.after_literals
    return {scope: (frozenset(left), frozenset(right)) for scope, (left, right) in literals.items()}


def _widths(rules: tuple[Exclusion, ...]) -> dict[str, tuple[int, int]]:
    widths: dict[str, tuple[int, int]] = {}
    for rule in rules:
        before, after = widths.get(rule.scope, (0, 0))
        widths[rule.scope] = (max(before, rule.before), max(after, rule.after))
    return widths


def _excluded(keywords: Keywords, group: str, text: str, start: int, end: int,
              window: _Window | None = None) -> str | None:
    """The first exclusion rule that applies to a hit, as its `excluded_by`; None when none does."""
    window = window or _Window(text, start, end, keywords)
    matched = text[start:end]
    for rule in keywords.exclusions:
        if group in rule.applies_to and _applies(rule, window, matched):
            return rule.describe()
    return None


def _counts_because(keywords: Keywords, term: Term, window: _Window, matched: str) -> str:
    for rule in keywords.statements:
        if term.group in rule.applies_to and _applies(rule, window, matched):
            return f"{rule.name}: {rule.reason}"
    if term.login:
        return "login keyword; nothing around it says it is not a login"
    return "no exclusion applies"


def present_literals(lowered: str, literals: frozenset[str]) -> set[str]:
    """The `literals` (lower case) that occur in `lowered`, found in one pass by RE2's set matcher.

    Why RE2 (google-re2, Google's own binding): the same test as `{l for l in literals if l in
    lowered}`, but that scans the page once per literal, ~0.6 ns a character each, and the keyword
    file's 27 literals made it half of all keyword finding (17 ns a character); a set of literal
    patterns is one DFA pass, 2.3 ns a character (profiled on the generated benchmark corpus's
    DOCX and PDFs). Python's `re` has no multi-literal search: an alternation of the literals costs
    47 ns a character."""
    matcher, ordered = _literal_matcher(literals)
    # As UTF-8 for RE2; "surrogatepass" lets a lone surrogate through as bytes no literal matches.
    found = matcher.Match(lowered.encode("utf-8", "surrogatepass"))
    return {ordered[index] for index in found} if found else set()


@lru_cache(maxsize=16)
def _literal_matcher(literals: frozenset[str]) -> tuple[re2.Set, tuple[str, ...]]:
    options = re2.Options()
    options.literal = True   # the literals are text, not patterns: nothing to escape
    matcher = re2.Set.SearchSet(options)
    ordered = tuple(sorted(literals))
    for literal in ordered:
        matcher.Add(literal)
    matcher.Compile()
    return matcher, ordered


def _find_all(text: str, literal: str) -> Iterator[int]:
    at = text.find(literal)
    while at >= 0:
        yield at
        at = text.find(literal, at + 1)


def _term_matches(term: Term, joined: str, lower: str,
                  found_at: dict[str, list[int]] | None = None) -> Iterator[re.Match[str]]:
    """The matches `term.pattern.finditer(joined)` gives, found faster.

    A term's regex starts with a look-behind, so scanning a page with it tries every character
    (~50 µs a page per term). Every match starts with one of the term's start literals, so the regex
    is tried only where `str.find` sees one, left to right, skipping starts inside the previous
    match, as finditer does (profiled on the benchmark corpus, bench/results.md). `lower` must line up with
    `joined` character for character; when lower-casing changed the length, scan the plain way.
    `found_at` keeps each literal's places for the page: terms share start literals ("nem" starts
    five of them)."""
    if not term.starts or len(lower) != len(joined):
        yield from term.pattern.finditer(joined)
        return
    if found_at is None:
        found_at = {}
    places = []
    for literal in term.starts:
        if literal not in found_at:
            found_at[literal] = list(_find_all(lower, literal))
        places.extend(found_at[literal])
    if len(term.starts) > 1:
        places = sorted(set(places))
    end = -1
    for at in places:
        if at < end:
            continue
        m = term.pattern.match(joined, at)
        if m:
            yield m
            end = m.end()


def find_hits(text: str, page: int = 1, keywords: Keywords | None = None, *, explain: bool = True) -> list[Hit]:
    """Find keyword hits in one page of text that has already been through `prepare_text`.
    `explain=False` leaves `counts_because` empty: a scan stores no such reason, and looking for the
    login statements behind every counted hit costs ~9% of the finding (profiled on the generated
    benchmark corpus)."""
    keywords = keywords or load_keywords()
    if _may_join(text):
        joined, joins = _join_lines(text)
    else:
        joined, joins = text, None   # nothing to join: offsets are the text's own
    # Each term's regex runs only on pages that contain a literal piece of one of its spellings; most
    # pages contain few of the ~30 terms, so most regexes never run (profiled: 4× faster).
    lower = joined.lower()
    present = present_literals(lower, keywords.literals)
    found: list[tuple[int, int, Term]] = []
    found_at: dict[str, list[int]] = {}
    for term in keywords.terms:
        if present.isdisjoint(term.prefixes):
            continue
        for m in _term_matches(term, joined, lower, found_at):
            found.append((m.start(), m.end(), term))
    # Where terms overlap ("MitID Erhverv" and "MitID"), keep the longest match at each place.
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    hits: list[Hit] = []
    last_end = -1
    for start, end, term in found:
        if start < last_end:
            continue
        last_end = end
        o_start, o_end = ((_original_offset(joins, start), _original_offset(joins, end - 1) + 1) if joins
                          else (start, end))
        window = _Window(joined, start, end, keywords)
        excluded = term.trap_reason or _excluded(keywords, term.group, joined, start, end, window)
        because = None if excluded or not explain else _counts_because(keywords, term, window, joined[start:end])
        s_from, s_to = max(0, o_start - SNIPPET_RADIUS), min(len(text), o_end + SNIPPET_RADIUS)
        snippet = " ".join(text[s_from:s_to].split())
        hits.append(
            Hit(
                page=page,
                offset=o_start,
                length=o_end - o_start,
                term=term.term,
                group=term.group,
                matched=text[o_start:o_end],
                snippet=mask_cpr(snippet),
                login=term.login,
                excluded_by=excluded,
                counts_because=because,
            )
        )
    return hits


def has_tu_evidence(hits: list[Hit]) -> bool:
    """A document has TU evidence when it has a login hit that is not excluded."""
    return any(h.login and h.excluded_by is None for h in hits)
