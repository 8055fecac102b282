"""System names: normalisation, aliases and fuzzy matching against KL's lists.

Municipalities, vendors and KL write the same system many ways: "KMD Nexus" / "Nexus",
"FMK - Fælles Medicinkort" / "Fælles Medicinkort (FMK)", "NetForvaltning – Sundhed" /
"EG Netforvaltning Sundhed", "Aula" / "AULA", "Jobnet.dk" / "Jobnet". This module turns a name into
a comparable form (:func:`normalise`), applies the alias table (``reference/aliases.csv``) and
matches with rapidfuzz.

Names taken from titles, folders and file names carry extra words ("Licensaftale FirstAgenda
Prepare", "Aftale om drift af Borgerbooking", "Emento Sikker Dialog hjemmeplejen"):
:meth:`NameMatcher.match_names` also matches them without the contract and user words
(:func:`strip_wrappers`) and finds a list name contained token by token in them
(:meth:`NameMatcher.match_contained`), with guards for vendor-only names, ordinary Danish words and
infrastructure (:func:`containment_guard`). rapidfuzz's token_set_ratio, partial_ratio and WRatio
would do containment too, but score "KMD Nexus" against "KMD" at 100; the token-run look-up here
knows which words may stand alone. The authorities that own common-public solutions
(``reference/authorities.csv``) are recognised by :func:`authority_of`: signals, never system names.

The scorer and threshold were chosen on the labelled pairs in ``tests/data/name_pairs.csv``; run
``python reference/evaluate_matching.py`` to see precision and recall per scorer and threshold.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

# numpy is not imported here: rapidfuzz loads it when `process.cdist` first runs, so a command that
# matches no name (a scan of an unchanged or empty archive) does not pay its ~60 ms import.
from rapidfuzz import fuzz, process

# --- matching parameters ---------------------------------------------------------------------------
# Chosen with reference/evaluate_matching.py on tests/data/name_pairs.csv (133 labelled pairs, 71 same,
# 62 different incl. the hard negatives; run the script to reproduce):
# - fuzz.ratio (Indel similarity of the whole normalised string) at 90-92: precision 1.000, recall 0.944.
#   Below 90 it lets "CPR-selvbetjening" ~ "EG Selvbetjening" (89.7) in; above 92 it loses spelling
#   variants ("Danmarks Adresseregister" ~ "DAR - Danmarks AdresseRegister", 92.3). 91 is the middle
#   of that plateau.
# - token_sort_ratio is never better (recall 0.901 without false positives).
# - token_set_ratio, partial_ratio and WRatio score a name against any name it contains at 100
#   ("KMD Nexus" vs "KMD", "NemKonto" vs "NemKonto Tilslutning", "Digital Post" vs "Digital Post
#   Administrationsportal"), so they never get rid of those false positives (WRatio needs 96 and then
#   recalls 0.901, token_set/partial stay below 0.8 precision).
# The four pairs ratio misses need an alias ("KMD Sygedagpenge" ~ KSD) or are containment
# ("SBSYS ESDH" ~ "SBSYS", found by NameMatcher.match_contained) — add an alias in
# reference/aliases.csv when one matters.
# On the labelled name variants (tests/data/name_variants.csv, 250 rows; bench/accuracy_names.py
# sweeps the threshold) 91 gives precision 1.000, recall 0.985; 90 would add one typo
# ("Firstagende", 90.9) and sit 0.3 above the pairs' false positive, so 91 stays.
SCORER: Callable[..., float] = fuzz.ratio
THRESHOLD: float = 91.0
# Two candidates closer than this are reported as ambiguous instead of guessing between them; 5 points
# is about one differing character in a 20-character name.
AMBIGUITY_MARGIN: float = 5.0

# --- vendor words ---------------------------------------------------------------------------------
# Leading vendor words are dropped before comparing ("KMD Nexus" ≈ "Nexus"), but remembered: two names
# with *different* explicit vendors are never the same system ("KMD Social Pension" is not "KOMBIT
# Social Pension"). A name that is only a vendor ("KMD") normalises to "" and matches nothing.
LEADING_VENDORS: dict[str, str] = {
    "kmd": "KMD",
    "eg": "EG",
    "schultz": "Schultz",
    "kombit": "KOMBIT",
    "dxc": "DXC",
    "systematic": "Systematic",
    "netcompany": "Netcompany",
    "emento": "Emento",
    "fujitsu": "Fujitsu",
}
# Vendors written after the name: "Lægeskift - Scandihealth", "Anmeld flytning ... fra DXC".
# CSC Scandihealth became DXC, so both are one vendor.
TRAILING_VENDORS: dict[str, str] = {
    **LEADING_VENDORS,
    "scandihealth": "DXC",
    "csc": "DXC",
    "dafolo": "Dafolo",
    "solteq": "Solteq",
    "sweco": "Sweco",
    "rambøll": "Rambøll",
    "ditmer": "Ditmer",
    "fujitsu": "Fujitsu",
}

_HYPHENS = "-‐‑–—•"
_PARENTHETICAL = re.compile(r"\([^()]*\)")
_COMPANY_SUFFIX = re.compile(r"(?<!\w)(?:a/s|aps|i/s)(?!\w)")
_DOMAIN = re.compile(r"(?<!\w)www\.|\.dk(?!\w)")
_TRAILING_VENDOR = re.compile(
    r"\s*(?:[-–—]\s*|\s+fra\s+)(" + "|".join(map(re.escape, TRAILING_VENDORS)) + r")\s*$"
)
# A hyphen between two word characters joins them ("E-boks" = "eBoks", "Nem-ID" = "NemID"); a line
# break after the hyphen is PDF hyphenation ("Nem-⏎ID").
_HYPHEN_JOIN = rf"[{_HYPHENS}](?:[ \t]*\n\s*)?"
# The pattern starts with the hyphen, not with the look-behind for the letter before it: a leading
# look-behind makes the regex engine try every position (9× slower on a page).
_JOINING_HYPHEN = re.compile(rf"[{_HYPHENS}](?<=[^\W_][{_HYPHENS}])(?:[ \t]*\n\s*)?(?=[^\W_])")


def _fold(text: str) -> str:
    """Case-fold, join hyphenated words, '&' → 'og', other punctuation → space, collapse spaces."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = _JOINING_HYPHEN.sub("", text)
    text = text.replace("&", " og ")
    text = re.sub(r"[^\w]+|_", " ", text)
    return " ".join(text.split())


def fold(text: str) -> str:
    """A written name as comparable tokens, vendor words and ".dk" kept: "Genoptræn.dk" →
    "genoptræn dk", "FMK-online" → "fmkonline"."""
    return _fold(text)


def split_vendor(name: str) -> tuple[str | None, str]:
    """Return (vendor, normalised name without vendor words); vendor is None when none is written.

    >>> split_vendor("KMD Nexus")
    ('KMD', 'nexus')
    >>> split_vendor("Lægeskift - Scandihealth")
    ('DXC', 'lægeskift')
    """
    text = unicodedata.normalize("NFC", name).strip()
    without_notes = _PARENTHETICAL.sub(" ", text)
    if without_notes.strip(" -–"):  # a name that is only a note keeps the note
        text = without_notes
    text = text.casefold()
    text = _COMPANY_SUFFIX.sub(" ", text)
    text = _DOMAIN.sub(" ", text)
    vendor = None
    trailing = _TRAILING_VENDOR.search(text.strip())
    if trailing:
        vendor = TRAILING_VENDORS[trailing.group(1)]
        text = text.strip()[: trailing.start()]
    tokens = _fold(text).split()
    while tokens and tokens[0] in LEADING_VENDORS:
        vendor = vendor or LEADING_VENDORS[tokens[0]]
        tokens.pop(0)
    return vendor, " ".join(tokens)


def normalise(name: str) -> str:
    """The comparable form of a system name: NFC, case-folded, without punctuation, "A/S"/"ApS",
    ".dk", parenthetical notes and vendor words ("KMD", "EG", ... see LEADING_VENDORS).

    >>> normalise("NetForvaltning – Sundhed") == normalise("EG Netforvaltning Sundhed")
    True
    >>> normalise("KMD")
    ''
    """
    return split_vendor(name)[1]


def vendor_of(name: str) -> str | None:
    """The vendor written in the name itself ("KMD Opus" → "KMD"), or None."""
    return split_vendor(name)[0]


_ACRONYM_FIRST = re.compile(r"^([A-ZÆØÅ][A-ZÆØÅ0-9]{1,5})\s*(?:[-–]\s+|\()(.{4,}?)\)?$")
_ACRONYM_LAST = re.compile(r"^(.{4,}?)\s*(?:\s[-–]\s*|\(|,\s*)([A-ZÆØÅ][A-ZÆØÅ0-9]{1,5})\)?$")


def _acronym_forms(name: str) -> list[str]:
    """A list name written as acronym and long form, "DDB - Danskernes Digitale Bibliotek",
    "Anden Aktor Portal (AAP)", "WorkForce Planner - WFP": each part on its own, normalised
    (municipalities write one or the other)."""
    text = unicodedata.normalize("NFC", name).strip()
    forms = []
    for pattern in (_ACRONYM_FIRST, _ACRONYM_LAST):
        m = pattern.match(text)
        if m:
            for part in m.groups():
                if part.strip().casefold() in TRAILING_VENDORS:
                    return []  # "Byg og Miljø - KOMBIT": the vendor, not an acronym
                form = normalise(part)
                if form and len(form) >= 2:
                    forms.append(form)
    return forms


def _ascii(text: str) -> str:
    """A folded form in ASCII, as file names and old systems write Danish: æ → ae, ø → oe, å → aa,
    accents dropped."""
    text = text.casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


# --- aliases --------------------------------------------------------------------------------------
def _alias_map(aliases: dict[str, str] | None) -> dict[str, str]:
    """Normalised alias → normalised canonical name."""
    if aliases is None:
        aliases = _default_aliases()
    mapping = {}
    for alias, canonical in aliases.items():
        alias_norm, canonical_norm = normalise(alias), normalise(canonical)
        if alias_norm and canonical_norm and alias_norm != canonical_norm:
            mapping[alias_norm] = canonical_norm
    return mapping


@lru_cache(maxsize=1)
def _default_aliases() -> dict[str, str]:
    from reference import load_aliases  # reference/ is package data of the same distribution

    return load_aliases()


@lru_cache(maxsize=1)
def _default_alias_map() -> dict[str, str]:
    return _alias_map(None)


def _canonical(name: str, alias_map: dict[str, str]) -> tuple[str | None, str]:
    vendor, norm = split_vendor(name)
    return vendor, alias_map.get(norm, norm)


def canonical(name: str) -> str:
    """The comparable form of a name after the bundled aliases ("Fælles Medicinkort" and "FMK" give
    the same string); what matching and cross-municipal clustering compare."""
    return _canonical(name, _default_alias_map())[1]


def _numbers(norm: str) -> frozenset[str]:
    """Stand-alone numbers in a normalised name: versions and editions ("windows 7", "arkibas 5")."""
    return frozenset(token for token in norm.split() if token.isdigit())


def _compatible(vendor_a: str | None, norm_a: str, vendor_b: str | None, norm_b: str) -> bool:
    """Different explicit vendors or different version numbers mean different systems, however
    similar the rest of the name ("KMD Social Pension" / "KOMBIT Social Pension", "Microsoft Windows 7"
    / "Microsoft Windows 10")."""
    if vendor_a and vendor_b and vendor_a != vendor_b:
        return False
    numbers_a, numbers_b = _numbers(norm_a), _numbers(norm_b)
    return not (numbers_a and numbers_b and numbers_a != numbers_b)


# --- pairwise -------------------------------------------------------------------------------------
def same_system(
    a: str,
    b: str,
    *,
    scorer: Callable[..., float] = SCORER,
    threshold: float = THRESHOLD,
    aliases: dict[str, str] | None = None,
) -> bool:
    """True when two names very likely denote the same system (same rules as NameMatcher.match)."""
    alias_map = _default_alias_map() if aliases is None else _alias_map(aliases)
    vendor_a, norm_a = _canonical(a, alias_map)
    vendor_b, norm_b = _canonical(b, alias_map)
    if not norm_a or not norm_b or not _compatible(vendor_a, norm_a, vendor_b, norm_b):
        return False
    return scorer(norm_a, norm_b) >= threshold


# --- matcher --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Match:
    """The best entry for a name. ``keys`` lists every entry key that shares the matched name
    (e.g. "Virk.dk" on both KL lists); ``key``/``name`` is the preferred one."""

    key: str
    name: str
    score: float
    ambiguous: bool
    runner_up: tuple[str, str, float] | None
    keys: tuple[str, ...] = field(default=())
    # How the name met the entry: "whole" (the name is the entry's name, spelled some way),
    # "stripped" (after removing contract and user words, see strip_wrappers) or "contained" (the
    # entry's name inside a longer name, see NameMatcher.match_contained).
    how: str = "whole"


@dataclass(frozen=True)
class TextMention:
    """A known system name found in a document's text; start/end index the NFC-normalised text."""

    key: str
    name: str
    matched_text: str
    start: int
    end: int


@dataclass
class _Group:
    """Entries whose names normalise (after aliases) to the same string."""

    canonical: str
    entries: list[tuple[str, str, str | None]] = field(default_factory=list)  # key, name, vendor

    def pick(self, vendor: str | None) -> tuple[str, str]:
        for key, name, entry_vendor in self.entries:
            if vendor and entry_vendor == vendor:
                return key, name
        return self.entries[0][0], self.entries[0][1]


# find_in_text skips names that are too generic to say which system a document is about.
# 1) Forms shorter than 3 characters ("EG", "KY") — they hit abbreviations and noise.
MIN_TEXT_FORM_LENGTH = 3
# 2) Forms made only of everyday Danish words: KL's Bilag 3 lists services by description
#    ("Tidsbestilling", "Skift kode", "Min Sag"), and ".dk"/vendor stripping turns "Sundhed.dk" into
#    "sundhed" and "KMD Valg" into "valg". The full written form ("sundhed dk", "kmd valg") is still
#    searched; only the bare common word is not. Also company names KL listed as entries ("CSC",
#    "Dafolo", "Netic") and "POC" (proof of concept in tender texts).
COMMON_WORDS = frozenset(
    """
    af app borger booking care admin dagpenge digital for fra fokus frame i indkomst institution
    intranet kode læge med min mine mit og password portal post på reset sag selvbetjening side skat
    skift sundhed sundhedstjenesten sygesikring til tidsbestilling tinglysning tinglysningen
    udbetaling valg arkivering tandpleje pladsanvisning easy open løsninger borgerbooking
    medarbejderadgang indsigsret sygefravær betalingsoverblik kommune kommunebetaling
    aktiv boliglån børneydelse connect distributionscenter earkiv genoptræn indkøbsanalyse
    klientbetaling lægeskift lægevalg momentum optagelse selvbetjeningsautomater tidsadministration
    vagtplan vejviser ydelsesrefusion csc dafolo netic poc navn adresse pas kørekort
    """.split()
)
# 3) Infrastructure every municipal contract mentions in passing (payments to NemKonto, letters via
#    Digital Post/e-Boks, CPR/CVR look-ups, borger.dk in complaint notices).
#    A mention says nothing about which system the document is about.
INFRASTRUCTURE_NAMES = frozenset(
    _fold(name)
    for name in (
        "Borger.dk",
        "borger dk",
        "Virk.dk",
        "Virk",
        "Digital Post",
        "E-boks",
        "NemKonto",
        "CPR",
        "CVR",
        "CPR/Folkeregister",
        "NemID",
    )
)
# 4) Office and desktop software from the KITOS list (Microsoft Office, Google Chrome, Citrix ...):
#    contracts name them as technical prerequisites, not as the system delivered.
DESKTOP_SOFTWARE_PREFIXES = ("microsoft", "micosoft", "adobe", "google", "citrix", "vmware", "cisco")


def is_generic_text_form(form: str) -> bool:
    """True when a folded name form is too generic to count as evidence in a document (see above)."""
    tokens = form.split()
    if len(form.replace(" ", "")) < MIN_TEXT_FORM_LENGTH:
        return True
    if all(token in LEADING_VENDORS for token in tokens):
        return True
    if all(token in COMMON_WORDS for token in tokens):
        return True
    return form in INFRASTRUCTURE_NAMES or tokens[0] in DESKTOP_SOFTWARE_PREFIXES


class NameMatcher:
    """Match names against a fixed set of (key, display name) entries.

    Keys are opaque (e.g. "kl_shared_tu:Aula" or an inventory system id). Aliases apply on both sides.
    """

    def __init__(self, entries: Iterable[tuple[str, str]], aliases: dict[str, str] | None = None):
        self._alias_map = _default_alias_map() if aliases is None else _alias_map(aliases)
        self._groups: list[_Group] = []
        index: dict[str, int] = {}
        for key, name in entries:
            vendor, canonical = _canonical(name, self._alias_map)
            if not canonical:
                continue  # vendor-only names ("KMD") are no evidence of any system
            if canonical not in index:
                index[canonical] = len(self._groups)
                self._groups.append(_Group(canonical))
            self._groups[index[canonical]].entries.append((key, name, vendor))
        self._choices = [group.canonical for group in self._groups]
        self._all_choices = list(self._choices)
        self._choice_groups = list(range(len(self._groups)))
        # A part that is another entry's name stays that entry's ("TK2 - Borgerbooking" does not
        # make "Borgerbooking" ambiguous).
        taken = set(self._choices) | set(self._alias_map)
        for g, group in enumerate(self._groups):
            for _key, name, _vendor in group.entries:
                for form in _acronym_forms(name):
                    if form not in taken and form not in self._all_choices:
                        self._all_choices.append(form)
                        self._choice_groups.append(g)
        self._ascii_choices = [_ascii(choice) for choice in self._all_choices]
        self._text_forms = self._build_text_forms(entries=[e for g in self._groups for e in g.entries])
        lengths: dict[str, set[int]] = {}
        for form in self._text_forms:
            lengths.setdefault(form[0], set()).add(len(form))
        self._form_lengths = {word: sorted(found, reverse=True) for word, found in lengths.items()}
        self._first_words = frozenset(self._form_lengths)
        self._contain_forms = self._build_contain_forms()
        self._matched_names: dict[str, Match | None] = {}   # match_name's answers (Match is frozen)

    def __len__(self) -> int:
        return len(self._groups)

    # -- fuzzy matching ----------------------------------------------------------------------------
    def match(self, name: str) -> Match | None:
        """The best entry for one name, or None when nothing scores at least THRESHOLD."""
        return self.match_many([name])[0]

    def match_many(self, names: Sequence[str]) -> list[Match | None]:
        """Match many names at once (one rapidfuzz.process.cdist call)."""
        return self._match_many(names, ascii_only=False)

    def _match_many(self, names: Sequence[str], ascii_only: bool) -> list[Match | None]:
        results: list[Match | None] = [None] * len(names)
        if not self._groups or not names:
            return results
        queries = [_canonical(name, self._alias_map) for name in names]
        rows = [i for i, (_, norm) in enumerate(queries) if norm]
        if not rows:
            return results
        # Each group is compared by its canonical name and by the acronym and long form of names
        # such as "DDB - Danskernes Digitale Bibliotek" (_acronym_forms); with ascii_only, all in
        # ASCII ("Koereproevebooking" ~ "Køreprøvebooking": file names written without æ, ø, å).
        choices = self._ascii_choices if ascii_only else self._all_choices
        scores = process.cdist(
            [_ascii(queries[i][1]) if ascii_only else queries[i][1] for i in rows],
            choices,
            scorer=SCORER,
            score_cutoff=THRESHOLD,
            dtype="float32",
            workers=-1,
        )
        for row, i in enumerate(rows):
            vendor, norm = queries[i]
            per_group: dict[int, float] = {}
            for c in (scores[row] >= THRESHOLD).nonzero()[0]:
                g = self._choice_groups[int(c)]
                per_group[g] = max(per_group.get(g, 0.0), float(scores[row, c]))
            ranked = sorted(
                ((score, g) for g, score in per_group.items() if self._group_accepts(g, vendor, norm)),
                key=lambda hit: (-hit[0], hit[1]),
            )
            if ranked:
                results[i] = self._make_match(ranked, vendor)
        return results

    def _group_accepts(self, g: int, vendor: str | None, norm: str) -> bool:
        group = self._groups[g]
        # "Selvbetjening", "Booking", "Valg" alone are ordinary words; "EG Selvbetjening", "Schultz
        # Booking", "KMD Valg" are told apart from them by the vendor only. Without a vendor in the
        # name, such an entry does not match (an entry listed without a vendor, "Tidsbestilling", does).
        if vendor is None and _ordinary_name(group.canonical) and all(e[2] for e in group.entries):
            return False
        return any(
            _compatible(vendor, norm, entry_vendor, group.canonical) for _, _, entry_vendor in group.entries
        )

    def _make_match(self, ranked: list[tuple[float, int]], vendor: str | None) -> Match:
        best_score, best = ranked[0]
        runner_up = None
        ambiguous = False
        if len(ranked) > 1:
            second_score, second = ranked[1]
            key, name = self._groups[second].pick(vendor)
            runner_up = (key, name, round(second_score, 2))
            # An exact (normalised) hit is only ambiguous against another exact hit.
            ambiguous = second_score == best_score or (
                best_score < 100 and best_score - second_score < AMBIGUITY_MARGIN
            )
        group = self._groups[best]
        key, name = group.pick(vendor)
        # "Social Pension" fits "KMD Social Pension" and "KOMBIT Social Pension" equally: without a
        # vendor in the query, a group holding only different explicit vendors is a tie, not a match.
        group_vendors = {entry_vendor for _, _, entry_vendor in group.entries}
        if vendor is None and None not in group_vendors and len(group_vendors) > 1:
            other = next(e for e in group.entries if e[2] != group.entries[0][2])
            runner_up, ambiguous = (other[0], other[1], round(best_score, 2)), True
        return Match(
            key=key,
            name=name,
            score=round(best_score, 2),
            ambiguous=ambiguous,
            runner_up=runner_up,
            keys=tuple(k for k, _, _ in group.entries),
        )

    # -- names with extra words --------------------------------------------------------------------
    def _build_contain_forms(self) -> dict[int, dict[str, tuple[int, str | None]]]:
        """Token count → folded form → (group, guard) for every list-name form that may be found
        inside a longer name (containment_guard says which need capitals, which never count)."""
        aliases_by_canonical: dict[str, list[str]] = {}
        for alias, canonical_form in self._alias_map.items():
            aliases_by_canonical.setdefault(canonical_form, []).append(alias)
        by_length: dict[int, dict[str, tuple[int, str | None]]] = {}
        for g, group in enumerate(self._groups):
            forms = {group.canonical, *aliases_by_canonical.get(group.canonical, [])}
            for _key, name, _vendor in group.entries:
                for written in (name, _PARENTHETICAL.sub(" ", name)):
                    forms.update({_fold(written), _fold(_hyphens_as_spaces(written))})
            for form in forms:
                guard = containment_guard(form) if form else "empty"
                if guard in (None, "caps", "case"):
                    by_length.setdefault(len(form.split()), {}).setdefault(form, (g, guard))
        return by_length

    def match_contained(self, name: str) -> Match | None:
        """The list entry whose name is contained, token by token, in a longer name: the longest
        such list name; None when there is none, or two different entries are equally long.

        A contained one-word name that is an ordinary Danish word or shorter than
        MIN_CONTAINED_WORD counts only when written in capitals; vendor names, infrastructure
        (NemKonto, Digital Post) and names made of ordinary words never count (containment_guard),
        nor does anything in a name about a link between systems (LINK_WORD_STEMS).
        An explicit vendor in the name must be the entry's vendor ("EG" + "Opus" is not "KMD Opus").
        """
        best: tuple[int, int, float] | None = None
        found: dict[int, tuple[float, list[str], int, int]] = {}   # group → score, tokens, start, length
        streams = _query_tokens(name)
        if any(token.startswith(LINK_WORD_STEMS) for stream in streams for token, _ in stream):
            return None
        for stream in streams:
            folded = [t for t, _ in stream]
            vendors = _vendor_tokens(folded)
            numbers = frozenset(t for t in folded if t.isdigit())
            for length in sorted(self._contain_forms, reverse=True):
                if length > len(stream):
                    continue
                forms = self._contain_forms[length]
                windows = [(i, " ".join(folded[i : i + length])) for i in range(len(stream) - length + 1)]
                exact = [(i, w, forms[w], 100.0) for i, w in windows if w in forms]
                fuzzy = []
                if not exact:
                    long_windows = [(i, w) for i, w in windows if len(w.replace(" ", "")) >= 8]
                    if long_windows:
                        choices = list(forms)
                        scores = process.cdist([w for _, w in long_windows], choices, scorer=SCORER,
                                               score_cutoff=THRESHOLD, dtype="float32")
                        for row, (i, w) in enumerate(long_windows):
                            col = int(scores[row].argmax())
                            if scores[row, col] >= THRESHOLD and forms[choices[col]][1] is None:
                                fuzzy.append((i, w, forms[choices[col]], float(scores[row, col])))
                for i, w, (g, guard), score in exact + fuzzy:
                    written = " ".join(x for _, x in stream[i : i + length])
                    if guard == "caps" and not _written_in_capitals(written):
                        continue
                    if guard == "case" and not _written_as_a_name(written):
                        continue
                    if not self._contained_compatible(g, vendors, numbers):
                        continue
                    rank = (length, len(w), score)
                    if best is None or rank > best:
                        best, found = rank, {g: (score, folded, i, length)}
                    elif rank == best:
                        found.setdefault(g, (score, folded, i, length))
                if best is not None and best[0] == length:
                    break
        if best is None or len(found) != 1:
            return None
        g, (score, folded, start, length) = next(iter(found.items()))
        if self._names_another(g, folded[:start] + folded[start + length :]):
            return None
        group = self._groups[g]
        vendor = next(iter(_vendor_tokens(folded)), None)
        key, entry_name = group.pick(vendor)
        return Match(key=key, name=entry_name, score=round(score, 2), ambiguous=False, runner_up=None,
                     keys=tuple(k for k, _, _ in group.entries), how="contained")

    def _names_another(self, g: int, rest: list[str]) -> bool:
        """True when the words around a contained list name name another entry too — "KMD Nexus
        Opus" is two products, not KMD Nexus — also an ordinary-word name ("opus") with the name's
        vendor in front ("kmd opus")."""
        vendors = [t for t in rest if t in TRAILING_VENDORS]
        rest = [t for t in rest if t not in TRAILING_VENDORS]
        prefixes = [""] + [f"{v} " for v in vendors]
        for length in range(1, len(rest) + 1):
            for start in range(len(rest) - length + 1):
                run = " ".join(rest[start : start + length])
                for prefix in prefixes or [""]:
                    form = prefix + run
                    hit = self._contain_forms.get(len(form.split()), {}).get(form)
                    if hit is not None and hit[0] != g:
                        return True
        return False

    def _contained_compatible(self, g: int, vendors: set[str], numbers: frozenset[str]) -> bool:
        group = self._groups[g]
        entry_numbers = _numbers(group.canonical)
        if entry_numbers and numbers and not entry_numbers <= numbers:
            return False
        return any(entry_vendor is None or not vendors or entry_vendor in vendors
                   for _, _, entry_vendor in group.entries)

    def match_name(self, name: str) -> Match | None:
        """Every way one name signal can meet a list entry, strongest first: the whole name, the
        name without contract and user words (strip_wrappers), a list name inside it. Remembered
        per name: an archive asks for the same folder and file names once per document in them
        (profiled: 1,000 documents in ten folders, 0.9 s → a few ms)."""
        if name not in self._matched_names:
            self._matched_names[name] = self.match_names([name])[0]
        return self._matched_names[name]

    def match_names(self, names: Sequence[str]) -> list[Match | None]:
        """match_name for many names; whole names are matched in one rapidfuzz call."""
        results = self.match_many(names)
        unmatched = [i for i, result in enumerate(results) if result is None]
        for i, match in zip(unmatched, self._match_many([names[i] for i in unmatched], ascii_only=True), strict=True):
            results[i] = match
        stripped = {i: strip_wrappers(name) for i, name in enumerate(names) if results[i] is None}
        stripped = {i: s for i, s in stripped.items() if s}
        if stripped:
            order = list(stripped)
            for i, match in zip(order, self.match_many([stripped[i] for i in order]), strict=True):
                if match is not None:
                    results[i] = replace(match, how="stripped")
        for i, name in enumerate(names):
            if results[i] is None:
                results[i] = self._match_parts(name)
        for i, name in enumerate(names):
            if results[i] is None:
                results[i] = self.match_contained(name)
        return results

    def _match_parts(self, name: str) -> Match | None:
        """A name in parts, "FirstAgenda - politisk mødesystem", "Virk.dk – erhvervsportal",
        "SpeedAdmin: Kulturskolen": the one list entry a part is (whole or without contract words);
        None when no part is, or parts are different entries, or the name is about a link."""
        parts = [p.strip() for p in _PARTS.split(unicodedata.normalize("NFC", name)) if p.strip()]
        if len(parts) < 2 or any(t.startswith(LINK_WORD_STEMS) for t in _fold(_hyphens_as_spaces(name)).split()):
            return None
        found: dict[tuple[str, ...], Match] = {}
        for part in parts:
            match = self.match_many([part])[0] or self.match_many([strip_wrappers(part) or ""])[0]
            if match is not None and not match.ambiguous:
                found.setdefault(match.keys or (match.key,), match)
        if len(found) != 1:
            return None
        return replace(next(iter(found.values())), how="stripped")

    # -- names in running text ---------------------------------------------------------------------
    def _build_text_forms(self, entries: list[tuple[str, str, str | None]]) -> dict[tuple[str, ...], tuple]:
        """Token tuple → (key, name) for every searchable written form of every entry."""
        forms: dict[tuple[str, ...], tuple[str, str]] = {}
        aliases_by_canonical: dict[str, list[str]] = {}
        for alias, canonical in self._alias_map.items():
            aliases_by_canonical.setdefault(canonical, []).append(alias)
        for key, name, _vendor in entries:
            canonical = _canonical(name, self._alias_map)[1]
            candidates = {
                _fold(name),
                _fold(_PARENTHETICAL.sub(" ", name)),
                canonical,
                *aliases_by_canonical.get(canonical, []),
            }
            for form in candidates:
                if form and not is_generic_text_form(form):
                    forms.setdefault(tuple(form.split()), (key, name))
        return forms

    def find_in_text(self, text: str) -> list[TextMention]:
        """Known names mentioned in text: whole words, case-insensitive, longest form first."""
        text = unicodedata.normalize("NFC", text)
        if not self._may_mention(text):
            return []
        tokens = folded_tokens(text)
        words = [token for token, _, _ in tokens]
        mentions: list[TextMention] = []
        i = 0
        while i < len(tokens):
            # Only the lengths of the forms that start with this word are tried, longest first.
            for length in self._form_lengths.get(words[i], ()):
                if length > len(tokens) - i:
                    continue
                hit = self._text_forms.get(tuple(words[i : i + length]))
                if hit:
                    start, end = tokens[i][1], tokens[i + length - 1][2]
                    written = text[start:end]
                    # System names are proper nouns: "Aula", "RenoWeb", "Jobnet.dk". Written all in
                    # lower case the words are ordinary Danish ("aula" is a school hall, "navn og
                    # adresse" a data category), not a mention of the system.
                    if written != written.lower():
                        mentions.append(TextMention(hit[0], hit[1], written, start, end))
                    i += length
                    break
            else:
                i += 1
        return mentions

    def _may_mention(self, text: str) -> bool:
        """False only when no searchable form is among the words of `text`. Most first pages name no
        known system, and tokenising a text with spans costs ~1 µs a word in Python; this looks only
        where a form's first word is (first pages of the bench/scale.py archives: ~100–240 µs → ~60–150
        µs a text; classifying 100,000 documents 18.5 s → 16.5–17 s)."""
        words = folded_words(text)
        if words is None:
            return True
        for first in self._first_words.intersection(words):
            lengths = self._form_lengths[first]
            at = words.index(first)
            while True:
                if any(tuple(words[at : at + length]) in self._text_forms for length in lengths):
                    return True
                try:
                    at = words.index(first, at + 1)
                except ValueError:
                    break
        return False


# A token of folded text: a run of letters and digits, also across a hyphen that joins two words
# ("NemLog-in", "Nem-⏎ID"), or "&" (folded to "og"); anything else separates tokens.
_TOKEN = re.compile(rf"[^\W_]+(?:{_HYPHEN_JOIN}[^\W_]+)*|&")
_JOINED_HYPHEN = re.compile(_HYPHEN_JOIN)
_WORD = re.compile(r"[^\W_]+")


def folded_tokens(text: str) -> list[tuple[str, int, int]]:
    """The tokens `_fold` makes of a text, each with the span of the text it was folded from:
    (token, start, end). One regex pass instead of a loop over the characters (classification of
    6,250 documents: 6 s → 0.3 s in this function, bench/scale.py)."""
    tokens = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        if word == "&":
            word = "og"
        elif not word.isalnum():     # hyphens joined two or more words
            word = _JOINED_HYPHEN.sub("", word)
        tokens.append((word.casefold(), m.start(), m.end()))
    return tokens


def folded_words(text: str) -> list[str] | None:
    """The words of `folded_tokens(text)` without their spans, made by whole-text calls alone; None
    where that could differ: case folding changes the text's length (ß → ss), or the text holds
    U+0345, the one character that folds from a non-word into a word character (checked over all
    of Unicode). Otherwise folding the text first folds every character in place."""
    folded = text.casefold()
    if len(folded) != len(text) or "\u0345" in text:
        return None
    if any(hyphen in folded for hyphen in _HYPHENS):
        folded = _JOINING_HYPHEN.sub("", folded)
    return _WORD.findall(folded.replace("&", " og "))


# --- names with extra words -----------------------------------------------------------------------
# A name taken from a title, a folder or a file name often wraps the system's name in words about the
# contract or its users: "Licensaftale FirstAgenda Prepare", "Aftale om drift af Borgerbooking",
# "Medarbejderadgang til Arbejdsmarkedsportalen", "Kommunens brug af Genoptræn.dk", "Emento Sikker
# Dialog hjemmeplejen", an ESDH case folder "2017-118203 Aftale - digital pladsanvisning". Two ways
# find the list name inside: strip the wrapper words and match the rest whole (strip_wrappers), or
# find a list name contained token by token in the longer name (NameMatcher.match_contained), with
# the guards below.

_CONTRACT_NOUN = (
    r"(?:licens|service|drifts|leverance|tilslutnings|ramme|databehandler|support|vedligeholdelses|"
    r"hosting|abonnements|samarbejds|tillægs|udviklings|implementerings|ændrings)?"
    r"(?:aftale|aftalen|kontrakt|kontrakten|kontrakter|aftaler|overenskomst)"
)
_WRAPPER_LEAD = re.compile(
    r"^(?:"
    r"\d{4}[-‐–]\d{3,}\s*|"                                   # ESDH case number "2017-118203"
    r"(?:dok(?:ument)?\.?\s*(?:nr\.?\s*)?\d+\s*[-–:]?\s*)|"    # "Dok 1234567 -"
    r"(?:tillæg|allonge|bilag|underbilag)\s*(?:nr\.?\s*)?\d*[a-z]?\s*(?:til\s+)?|"
    rf"{_CONTRACT_NOUN}\s*(?:nr\.?\s*\d+\s*)?(?:[-–:]\s*)?"
    r"(?:(?:om|vedr\.?|vedrørende|angående|for|til|på|med)\s+)?|"
    r"(?:kravspecifikation|kravspec|projektbeskrivelse|projektgrundlag|løsningsbeskrivelse|"
    r"ydelsesbeskrivelse|systembeskrivelse|servicebeskrivelse|leverancebeskrivelse|driftsbeskrivelse|"
    r"servicemål|serviceniveau|sla|prisbilag|tilbud|ordrebekræftelse|udbud|opgavebeskrivelse)"
    r"\s*(?:[-–:]\s*)?(?:(?:om|vedr\.?|vedrørende|for|til|på)\s+)?|"
    r"(?:kommunens|vores|\w+\s+kommunes)\s+|"                # "Kommunens brug af", "Aarhus Kommunes …"
    r"(?:medarbejder|bruger|borger)?adgang(?:e)?\s+(?:til\s+)?|"
    r"(?:tilslutning|tilmelding|opkobling)\s+(?:til|af|på)\s+|"
    r"licens(?:er)?\s+(?:til\s+)?|"
    r"(?:levering|køb|drift|anvendelse|brug|brugen|licens|implementering|indførelse|support|"
    r"vedligeholdelse|hosting|udvikling|videreudvikling|opgradering|fornyelse|forlængelse)"
    r"\s+(?:af|til|på)\s+|"
    r"(?:systemet|løsningen|it-systemet|it-løsningen|platformen|portalen|applikationen|appen)\s+"
    r")",
    re.IGNORECASE,
)
# Who uses it, where, and which copy: "X - hjemmeplejen", "X (underskrevet)", "X 2021", "X v2".
_WRAPPER_TAIL = re.compile(
    r"(?:"
    r"\s*[-–,]?\s*(?:i|til|for|på)?\s*(?:hjemmeplejen|hjemmesygeplejen|sygeplejen|plejecentre(?:ne)?|"
    r"ældreområdet|jobcentre(?:t)?|jobcenter|borgerservice|skoleområdet|skolerne|dagtilbud(?:dene)?|"
    r"sundhedsplejen|tandplejen|forvaltningen|kommunen|administrationen|socialområdet|"
    r"myndighedsafdelingen|biblioteke(?:rne|t)?|handicapområdet|voksenområdet)|"
    r"\s*[-–]?\s*(?:underskrevet|signeret|scannet|kopi|endelig|final|udkast|draft)|"
    r"\s*[-–]?\s*(?:v(?:ersion)?\.?\s*\d+(?:\.\d+)*)|"
    r"\s*[-–]?\s*(?:19|20)\d\d(?:[-–](?:19|20)?\d\d)?|"
    r"\s*[-–]?\s*(?:aftale|aftalen|kontrakt|kontrakten|licensaftale|serviceaftale|databehandleraftale)|"
    r"\s*\([^()]*\)"
    r")\s*$",
    re.IGNORECASE,
)


# Where a name falls into parts: "X - description", "X – department", "X: note", "X | Y".
_PARTS = re.compile(r"\s+[-–—|]\s+|\s*:\s+")


def strip_wrappers(name: str) -> str | None:
    """The name without the contract and user words around it, or None when nothing was stripped
    or nothing is left.

    >>> strip_wrappers("Aftale om drift af Borgerbooking")
    'Borgerbooking'
    >>> strip_wrappers("2017-118203 Aftale - digital pladsanvisning")
    'digital pladsanvisning'
    """
    text = " ".join(unicodedata.normalize("NFC", name).split())
    original = text
    for _ in range(6):  # wrappers nest: "Tillæg nr. 3 til kontrakt om levering af X"
        stripped = _WRAPPER_LEAD.sub("", text, count=1).strip(" -–:_.,")
        if stripped == text:
            break
        text = stripped
    for _ in range(4):
        stripped = _WRAPPER_TAIL.sub("", text, count=1).strip(" -–:_.,")
        if stripped == text:
            break
        text = stripped
    if text == original or not normalise(text):
        return None
    return text


# Guards for a list name found inside a longer name.
# - Single words that are ordinary Danish words (the wdanish word list, checked once by hand against
#   every one-word list name) or first names: "Aula" (a school hall), "Opus", "Prisme", "Kube",
#   "Flis", "Diadem", "Ler", "Los", "Virk", "Lara", "Liva", "Sofus", "Feliks", "Vitas", "Bom". Inside
#   a longer name they count only when written in capitals ("AULA-integration"); the whole name
#   ("Aula", "Aftale om Aula") still matches.
ORDINARY_WORD_NAMES = frozenset(
    "aula autocad bom cicero diadem feliks flis kube lara ler liva los opus prisme sofus virk vitas "
    "mermaid kingo rosy".split()
)
# - List entries that are company names, not systems (KL's Bilag 3 lists "CSC", "Dafolo", "Netic",
#   "Signaturgruppen", "KMD løsninger"): a vendor-only name matches nothing inside a longer name.
VENDOR_NAMES = frozenset(
    _fold(name)
    for name in (
        "CSC", "Dafolo", "Netic", "Signaturgruppen", "DXC Technologi Scandihealth", "Systematic",
        "Netcompany", "Fujitsu", "Rambøll", "Sweco", "Solteq", "Ditmer", "Scandihealth", "DXC",
        "Schultz", "KOMBIT", "KMD", "EG", "Visma", "Atea", "Formpipe",
    )
)
# - Small words that sit between the words of a name and say nothing about the system.
STOP_WORDS = frozenset("af og i til for på med om fra the of and dk www".split())
# - Words saying the name is about *another* system's link to the listed one: "Integration mellem
#   Korsbæk Borgerportal og Serviceplatformen", "Snitflade til FMK", "Migrering fra SBSYS". A list
#   name inside such a name is not the system (the name as a whole, or without contract words, may be).
LINK_WORD_STEMS = ("integration", "snitflade", "grænseflade", "adapter", "connector", "dataudveksling",
                   "migrering", "konvertering", "webservice", "kobling", "opkobling")
# - The shortest single word that counts inside a longer name: shorter ones ("BBR", "FMK", "SEI")
#   only when written in capitals, as acronyms are.
MIN_CONTAINED_WORD = 4


def _vendor_tokens(tokens: Iterable[str]) -> set[str]:
    return {TRAILING_VENDORS[t] for t in tokens if t in TRAILING_VENDORS}


_INFRASTRUCTURE_FORMS = INFRASTRUCTURE_NAMES | {name.replace(" ", "") for name in INFRASTRUCTURE_NAMES}


def containment_guard(form: str) -> str | None:
    """Why a folded list-name form may not be found inside a longer name, or None when it may.
    "caps" means: only when written in capitals."""
    tokens = form.split()
    core = [t for t in tokens if t not in TRAILING_VENDORS and t not in ("dk", "www")]
    if not core:
        return "vendor only"
    if form in VENDOR_NAMES or " ".join(core) in VENDOR_NAMES:
        return "vendor only"
    if {form, " ".join(core), form.replace(" ", ""), "".join(core)} & _INFRASTRUCTURE_FORMS:
        return "infrastructure"
    if tokens[0] in DESKTOP_SOFTWARE_PREFIXES:
        return "desktop software"
    if all(t in COMMON_WORDS or t in STOP_WORDS for t in core):
        return "ordinary words"
    if len(tokens) == 1:
        word = tokens[0]
        if len(word) < 3:
            return "too short"
        if word in ORDINARY_WORD_NAMES or (len(word) < MIN_CONTAINED_WORD and not any(c.isdigit() for c in word)):
            return "caps"
    elif all(t in _ordinary_words() or t in STOP_WORDS for t in core):
        # "Digital Signatur", "Social Pension", "Kontakt Lægen", "KMD Opus": ordinary words that
        # are a name only when written as one ("Aftale om digital signatur" is about signing).
        return "case"
    return None


# Ordinary words that name a system on KL's lists only with the vendor in front: "KMD Sag",
# "EG Selvbetjening", "Schultz Booking", "KMD Care" (listed by hand from the one-word names left
# when the vendor is dropped; "Opus", "Cicero", "Momentum", "Lægeskift" are left out: municipalities
# write those products' names alone).
VENDOR_DISTINGUISHED_WORDS = frozenset(
    "admin aktiv arkivering boliglån booking care connect dagpenge indkomst institution løsninger sag "
    "selvbetjening tandpleje udbetaling vagtplan vejviser valg".split()
)


def _ordinary_name(form: str) -> bool:
    """A normalised name that is one ordinary word only a vendor makes a system name ("sag", "booking")."""
    return form in VENDOR_DISTINGUISHED_WORDS


@lru_cache(maxsize=1)
def _ordinary_words() -> frozenset[str]:
    """The ordinary Danish words among the words of KL's list names (reference/ordinary_words.txt)."""
    from reference import ordinary_words

    return frozenset(ordinary_words())


def _written_as_a_name(written: str) -> bool:
    """A run of words written as a name: a capital after the first word ("Digital Signatur"), or
    all in capitals."""
    words = written.split()
    return _written_in_capitals(written) or any(w[:1].isupper() for w in words[1:])


def _hyphens_as_spaces(text: str) -> str:
    return re.sub(f"[{_HYPHENS}/]", " ", text)


def _query_tokens(name: str) -> list[list[tuple[str, str]]]:
    """Token streams of a name, each token as (folded, written): once with joined hyphens
    ("FMK-online" → "fmkonline"), once with hyphens as spaces ("Aula-integration" → "aula",
    "integration")."""
    streams = []
    for text in (name, _hyphens_as_spaces(name)):
        text = unicodedata.normalize("NFC", text)
        stream = [(token, text[start:end]) for token, start, end in folded_tokens(text)]
        if stream and stream not in streams:
            streams.append(stream)
    return streams


def _written_in_capitals(written: str) -> bool:
    letters = [c for c in written if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


# --- authorities ----------------------------------------------------------------------------------
# The authority that owns a common-public solution (Sundhedsdatastyrelsen owns FMK, Delrapport 1,
# "Fællesoffentlig løsning") is a signal *for* common public, never the system's name; KOMBIT and KL
# own the municipalities' shared systems and are vendors. reference/authorities.csv lists them.
@lru_cache(maxsize=1)
def _authority_forms() -> dict[str, object]:
    from reference import load_authorities

    forms: dict[str, object] = {}
    for authority in load_authorities():
        for written in (authority.name, *authority.abbreviations):
            forms.setdefault(_fold(_COMPANY_SUFFIX.sub(" ", written.casefold())), authority)
    return forms


@lru_cache(maxsize=8192)
def authority_of(name: str | None):
    """The authority (reference.Authority) a name *is* — "Sundhedsdatastyrelsen", "STAR",
    "Styrelsen for Arbejdsmarked og Rekruttering (STAR)", "Erhvervsstyrelsen - aftaler" — or None.
    A name that only mentions an authority ("SEI (Sundhedsdatastyrelsens …)") is not one."""
    if not name:
        return None
    forms = _authority_forms()
    text = unicodedata.normalize("NFC", name)
    for written in (text, _PARENTHETICAL.sub(" ", text), strip_wrappers(text) or ""):
        folded = _fold(_COMPANY_SUFFIX.sub(" ", written.casefold()))
        folded = re.sub(r"(?:\s+(?:aftaler|aftale|kontrakter|kontrakt|dokumenter|(?:19|20)\d\d))+$", "", folded)
        if folded in forms:
            return forms[folded]
    return None
