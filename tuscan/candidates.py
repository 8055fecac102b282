"""Candidates: the systems each source says exist, with the evidence for each.

Every source — the contract archive (`tuscan.identify`), KITOS (`tuscan.kitos`), the website
(`tuscan.web`) — turns what it stored into `Candidate`s. Classification (`tuscan.classify`) merges
candidates that name the same system, matches them against KL's lists and applies the rules in
`tuscan.rules`. The archive's candidates are built first (they need the KL names to spot mentions);
further sources register with `@candidate_source(name)`; `registered_sources()` lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import duckdb

# Evidence kinds. Keyword groups of reference/keywords.toml map onto the first six.
LOGIN = "login"                      # citizen login: NemID, MitID, NemLog-in
BUSINESS_LOGIN = "business_login"    # medarbejdersignatur, MitID Erhverv
TU_TERM = "tu_term"                  # tjenesteudbyder(aftale), TU-løsning
SIGNING = "signing"                  # OCES, digital signatur, signering
PID_RID = "pid_rid"                  # PID/RID numbers in integrations
SENSITIVE = "sensitive"              # helbredsoplysninger, følsomme personoplysninger, CPR-nummer …
ORDINARY_DATA = "ordinary_data"      # only ordinary personal data (navn, adresse)
SHARED_SIGNAL = "shared_signal"      # KITOS: used by 2+ organisations
COMMON_PUBLIC_SIGNAL = "common_public_signal"  # KITOS: rights holder is another public authority
OWN_DOMAIN_LOGIN = "own_domain_login"  # web: verified login on a host of the municipality's own domain
LOGIN_PAGE = "login_page"            # web: a verified NemLog-in/MitID login at the link target
MENTION = "mention"                  # the source names the system (KITOS row, web link) without more
WEAK_LOGIN = "weak_login"            # a login keyword where the text does not say users log in (negated,
                                     # a way to pay, a course topic …): alone, it makes a system unknown

LOGIN_KINDS = frozenset({LOGIN, BUSINESS_LOGIN, LOGIN_PAGE, OWN_DOMAIN_LOGIN})

GROUP_TO_KIND = {
    "citizen_login": LOGIN,
    "business_login": BUSINESS_LOGIN,
    "tu_terms": TU_TERM,
    "signing": SIGNING,
    "pid_rid": PID_RID,
    "sensitive": SENSITIVE,
    "ordinary_data": ORDINARY_DATA,
}


@dataclass
class Evidence:
    source_kind: str                 # document | kitos | web
    source_ref: str                  # document path, KITOS system/uuid, page URL
    kind: str                        # one of the kinds above
    detail: str                      # readable, used in reasons: "NemID login on p. 1 of Aftale.pdf"
    term: str | None = None
    page: int | None = None
    snippet: str | None = None
    document_id: int | None = None
    detail_da: str | None = None     # the detail in Danish, where the source wrote it from a code


@dataclass
class Candidate:
    name: str                        # the best name the source has for the system
    source_kind: str                 # document | kitos | web
    vendor: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)   # documents attributed to this system
    other_names: list[str] = field(default_factory=list)    # further names to match on
    name_signal: str = ""            # how the name was found: folder, title, file name, KITOS, host …

    def kinds(self) -> set[str]:
        return {e.kind for e in self.evidence}


CandidateSource = Callable[[duckdb.DuckDBPyConnection], Iterable[Candidate]]
_SOURCES: dict[str, CandidateSource] = {}


def candidate_source(name: str) -> Callable[[CandidateSource], CandidateSource]:
    """Register a function that turns stored findings into candidates."""

    def register(fn: CandidateSource) -> CandidateSource:
        if name in _SOURCES:
            raise ValueError(f"candidate source {name!r} registered twice")
        _SOURCES[name] = fn
        return fn

    return register


def registered_sources() -> dict[str, CandidateSource]:
    return dict(_SOURCES)
