"""System names: normalisation, aliases and fuzzy matching against KL's lists.

Municipalities, vendors and KL write the same system many ways: "KMD Nexus" / "Nexus",
"FMK - Fælles Medicinkort" / "Fælles Medicinkort (FMK)", "NetForvaltning – Sundhed" /
"EG Netforvaltning Sundhed", "Aula" / "AULA", "Jobnet.dk" / "Jobnet". This module turns a name into
a comparable form (:func:`normalise`), applies the alias table (``reference/aliases.csv``) and
matches with rapidfuzz.

The scorer and threshold were chosen on the labelled pairs in ``tests/data/name_pairs.csv``; run
``python reference/evaluate_matching.py`` to see precision and recall per scorer and threshold.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
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
# ("SBSYS ESDH" ~ "SBSYS") — add an alias in reference/aliases.csv when one matters.
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
# break after the hyphen is PDF hyphenation ("Nem-⏎ID", DESIGN §3 "Danish text").
_JOINING_HYPHEN = re.compile(rf"(?<=\w)[{_HYPHENS}](?:[ \t]*\n\s*)?(?=\w)")


def _fold(text: str) -> str:
    """Case-fold, join hyphenated words, '&' → 'og', other punctuation → space, collapse spaces."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = _JOINING_HYPHEN.sub("", text)
    text = text.replace("&", " og ")
    text = re.sub(r"[^\w]+|_", " ", text)
    return " ".join(text.split())


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
#    Digital Post/e-Boks, CPR/CVR look-ups, borger.dk in complaint notices — DESIGN §3 "Traps").
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
        self._text_forms = self._build_text_forms(entries=[e for g in self._groups for e in g.entries])

    def __len__(self) -> int:
        return len(self._groups)

    # -- fuzzy matching ----------------------------------------------------------------------------
    def match(self, name: str) -> Match | None:
        """The best entry for one name, or None when nothing scores at least THRESHOLD."""
        return self.match_many([name])[0]

    def match_many(self, names: Sequence[str]) -> list[Match | None]:
        """Match many names at once (one rapidfuzz.process.cdist call)."""
        results: list[Match | None] = [None] * len(names)
        if not self._groups or not names:
            return results
        queries = [_canonical(name, self._alias_map) for name in names]
        rows = [i for i, (_, norm) in enumerate(queries) if norm]
        if not rows:
            return results
        scores = process.cdist(
            [queries[i][1] for i in rows],
            self._choices,
            scorer=SCORER,
            score_cutoff=THRESHOLD,
            dtype=np.float32,
            workers=-1,
        )
        for row, i in enumerate(rows):
            vendor, norm = queries[i]
            hits = np.nonzero(scores[row] >= THRESHOLD)[0]
            ranked = sorted(
                ((float(scores[row, g]), int(g)) for g in hits if self._group_accepts(int(g), vendor, norm)),
                key=lambda hit: (-hit[0], hit[1]),
            )
            if ranked:
                results[i] = self._make_match(ranked, vendor)
        return results

    def _group_accepts(self, g: int, vendor: str | None, norm: str) -> bool:
        group = self._groups[g]
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
        folded, offsets = _fold_with_offsets(text)
        tokens = [(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", folded)]
        longest = max((len(form) for form in self._text_forms), default=0)
        mentions: list[TextMention] = []
        i = 0
        while i < len(tokens):
            for length in range(min(longest, len(tokens) - i), 0, -1):
                hit = self._text_forms.get(tuple(t for t, _, _ in tokens[i : i + length]))
                if hit:
                    start = offsets[tokens[i][1]]
                    end = offsets[tokens[i + length - 1][2] - 1] + 1
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


def _fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Like _fold, keeping for every output character the index of its source character in text."""
    skip = set()
    for m in _JOINING_HYPHEN.finditer(text):
        skip.update(range(m.start(), m.end()))
    out: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for i, ch in enumerate(text):
        if i in skip:
            continue
        if ch == "&":
            piece = " og "
        elif ch.isalnum():
            piece = ch.casefold()
        else:
            piece = " "
        for c in piece:
            if c == " ":
                pending_space = bool(out)
                continue
            if pending_space:
                out.append(" ")
                offsets.append(i)
                pending_space = False
            out.append(c)
            offsets.append(i)
    return "".join(out), offsets
