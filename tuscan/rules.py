"""The domain rules: what makes a system own, shared, common public or not a TU-solution.

This is the one module a DPO or KL reviewer can read top to bottom to check how tuscan decides.
Every rule cites where it comes from in KL's reports (seed `000_891c11fbe7986d61.txt`: lines
1–1108 "Delrapport 2", lines 1109–2276 "Delrapport 1"). Each outcome gives its reason as a code with
values (the list, the entry, the score, the evidence quoted); tuscan.reasons holds the Danish and
English sentences for every code, so the report and the web app can say it in the reader's language.

Glossary
- TU-løsning (tjenesteudbyderløsning): an IT system citizens reach by logging in with NemID/MitID,
  or businesses/employees with medarbejdersignatur/MitID Erhverv, through NemLog-in.
- egen TU-løsning (`own`): only this municipality uses it, built or bought; a subcontractor does not
  change that (Delrapport 1, "Definitioner").
- TU-løsning som flere kommuner anvender (`shared`): several users (municipalities, regions,
  companies) use the same system, e.g. Tabulex, Aula; KL's list is Delrapport 1, Bilag 3; KITOS's list
  of systems used by 20+ municipalities is Delrapport 1, Bilag 4.
- fællesoffentlig løsning (`common_public`): reached by the municipality's employees for tasks it is
  obliged to do, owned by another authority (FMK, Virk.dk). Not the municipality's TU-solution even
  though it has a login (Delrapport 2, Bilag 1).
- `not_tu`: no login by citizens or businesses through NemLog-in.
- `unknown` (uafklaret): conflicting or weak signals; a person decides (`tuscan decide`).
- sikringsniveau: NSIS assurance level; municipal TU-solutions are Lav or Betydelig, none Høj.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tuscan import reasons
from tuscan.candidates import (
    BUSINESS_LOGIN,
    COMMON_PUBLIC_SIGNAL,
    LOGIN,
    LOGIN_PAGE,
    ORDINARY_DATA,
    OWN_DOMAIN_LOGIN,
    PID_RID,
    SENSITIVE,
    SHARED_SIGNAL,
    SIGNING,
    TU_TERM,
    WEAK_LOGIN,
    Evidence,
)

OWN, SHARED, COMMON_PUBLIC, NOT_TU, UNKNOWN = "own", "shared", "common_public", "not_tu", "unknown"
CATEGORIES = (OWN, SHARED, COMMON_PUBLIC, NOT_TU, UNKNOWN)
LAV, BETYDELIG = "Lav", "Betydelig"

COMMON_PUBLIC_LIST = "kl_common_public"    # Delrapport 2, Bilag 1 – Fællesoffentlige løsninger
SHARED_LIST = "kl_shared_tu"               # Delrapport 1, Bilag 3 – TU-løsninger flere kommuner anvender
KITOS_LIST = "kitos_common_systems"        # Delrapport 1, Bilag 4 – KITOS: systemer i 20+ kommuner

# The lists' names in English; Danish (and these) in tuscan.reasons.LIST_NAMES.
LIST_LABELS = dict(reasons.LIST_NAMES[reasons.EN])


@dataclass(frozen=True)
class ListMatch:
    list: str
    name: str          # as written on the list
    score: float


@dataclass
class Facts:
    """Everything the rules look at for one system."""

    system: str
    matches: dict[str, ListMatch] = field(default_factory=dict)   # list → best match on it
    ambiguous: list[tuple[str, str, float]] = field(default_factory=list)  # close runner-ups
    evidence: list[Evidence] = field(default_factory=list)
    decision: tuple[str, str | None, str | None] | None = None    # (category, level, note)


@dataclass
class Verdict:
    category: str
    suggested_level: str | None
    flags: list[str]
    reason: str
    matched: ListMatch | None
    decided_by: str = "rules"
    # The reason as a code and values (tuscan.reasons), rendered in the reader's language; `reason`
    # is its English rendering.
    reason_code: str = ""
    reason_values: dict = field(default_factory=dict)

    def reason_in(self, lang: str = reasons.DA) -> str:
        return reasons.render(self.reason_code, self.reason_values, lang) if self.reason_code else self.reason


def _first(evidence: list[Evidence], kinds: set[str]) -> Evidence | None:
    return next((e for e in evidence if e.kind in kinds), None)


def _verdict(category: str, level: str | None, flags: list[str], code: str, values: dict,
             matched: ListMatch | None, decided_by: str = "rules") -> Verdict:
    """A verdict whose reason is `code` with `values` (tuscan.reasons); `reason` is its English text."""
    stored = reasons.reason(code, **values)
    return Verdict(category, level, flags, reasons.render(code, stored["values"], reasons.EN), matched,
                   decided_by, code, stored["values"])


def _list_values(m: ListMatch) -> dict:
    return {"list": m.list, "entry": m.name, "score": m.score}


@dataclass(frozen=True)
class LevelSuggestion:
    """The simple risk rule's suggestion for one system, with the rule that gave it (in Danish, the
    words a DPO signs off on) and the data evidence behind it."""

    level: str
    why: str
    evidence: tuple[Evidence, ...] = ()
    needs_assessment: bool = False      # Lav only "efter en nærmere vurdering"
    code: str = ""                      # `why` as a code and values (tuscan.reasons), for other languages
    values: dict = field(default_factory=dict, hash=False, compare=False)

    def why_in(self, lang: str = reasons.DA) -> str:
        return reasons.render(self.code, self.values, lang) if self.code else self.why


def _terms(evidence: list[Evidence]) -> str:
    return ", ".join(sorted({e.term or e.detail for e in evidence}))


def level_suggestion(evidence: list[Evidence]) -> LevelSuggestion:
    """Delrapport 1, "Simpel risikovurdering": most municipal solutions handle sensitive or
    confidential data, so to spare a detailed assessment of every one a municipal TU-solution "kan
    indplaceres direkte på sikringsniveau Betydelig". Only a solution that "kun behandler almindelige
    personoplysninger som navn, fødselsdag og adresseoplysninger" can be placed on Lav, and then
    "efter en nærmere vurdering". So: sensitive-data evidence → Betydelig; evidence of ordinary
    personal data and nothing sensitive → Lav, to be assessed; nothing known → Betydelig directly
    (no municipal TU-solution is expected on Høj)."""
    sensitive = [e for e in evidence if e.kind == SENSITIVE]
    ordinary = [e for e in evidence if e.kind == ORDINARY_DATA]
    if sensitive:
        values = {"terms": _terms(sensitive)}
        return LevelSuggestion(BETYDELIG, reasons.render("level_sensitive", values), tuple(sensitive),
                               code="level_sensitive", values=values)
    if ordinary:
        values = {"terms": _terms(ordinary)}
        return LevelSuggestion(LAV, reasons.render("level_ordinary", values), tuple(ordinary), needs_assessment=True,
                               code="level_ordinary", values=values)
    return LevelSuggestion(BETYDELIG, reasons.render("level_direct", {}), code="level_direct")


def suggested_level(evidence: list[Evidence]) -> str | None:
    """The level of `level_suggestion`: Lav only where the evidence shows ordinary personal data
    alone, otherwise Betydelig (Delrapport 1, "Simpel risikovurdering")."""
    return level_suggestion(evidence).level


def checklist_flags(evidence: list[Evidence]) -> list[str]:
    """Delrapport 1, "Tjekliste for egne løsninger": OCES document signing stops working with MitID
    and must be rebuilt (`signing`); integrations passing PID/RID must move to UUID (`pid_rid`)."""
    kinds = {e.kind for e in evidence}
    flags = []
    if SIGNING in kinds:
        flags.append("signing")
    if PID_RID in kinds:
        flags.append("pid_rid")
    return flags


@dataclass(frozen=True)
class ChecklistItem:
    key: str            # stored in checklist_status.item; never renamed
    number: int         # the task's number in Delrapport 1's list
    title: str          # what the municipality must do (Danish)
    question: str       # the same as a question to the vendor (the vendor letter)
    flag: str | None = None   # the checklist flag whose evidence bears on it


# Delrapport 1, "Tjekliste for egne løsninger": the tasks the municipality must go through for every
# own TU-solution, "evt. i samarbejde med leverandør". Numbered as in the report.
CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem("guidance", 1, "Orientér jer i Digitaliseringsstyrelsens vejledninger og guides om NemLog-in3 "
                  "(testmiljø, integrationer, krav til omlægning)",
                  "Hvilke af Digitaliseringsstyrelsens krav til omlægning til NemLog-in3 gælder for løsningen, "
                  "og hvornår er I klar?"),
    ChecklistItem("standard_integration", 2, "Bekræft om løsningen har almindeligt setup mod NemLog-in, så "
                  "Digitaliseringsstyrelsens centrale komponent oversætter MitID-login til NemID-login",
                  "Er løsningen koblet på NemLog-in med standardopsætningen (NemLog-in2 broker)?"),
    ChecklistItem("non_standard_integration", 3, "Har løsningen ikke almindeligt setup: vurder om den skal "
                  "omlægges til NemLog-in for at kunne håndtere MitID-login",
                  "Afviger integrationen fra standarden, og hvad skal der i så fald til for at håndtere "
                  "MitID-login?"),
    ChecklistItem("signing", 4, "Dokumentsignering virker ikke med MitID via den centrale løsning: en ny "
                  "signeringsfunktion skal udvikles",
                  "Kan man signere dokumenter i løsningen (OCES/NemID), og hvordan bygges det om til MitID?",
                  "signing"),
    ChecklistItem("pid_rid", 5, "Interne integrationer der sender PID/RID skal omlægges til UUID, og de interne "
                  "systemer skal kunne bruge den nye snitflade",
                  "Sender løsningen PID- eller RID-numre videre til andre systemer, og hvornår kan det ske "
                  "med UUID i stedet?", "pid_rid"),
    ChecklistItem("central_pid_rid", 6, "En central snitflade der kalder Digitaliseringsstyrelsens "
                  "PID/RID-tjeneste skal også omlægges",
                  "Kalder løsningen Digitaliseringsstyrelsens PID/RID-tjeneste (CPR-opslag), direkte eller "
                  "gennem en kommunal snitflade?"),
    ChecklistItem("risk_assessment", 7, "Gennemfør risikovurderingen og vælg sikringsniveau (Lav eller Betydelig)",
                  "Hvilke personoplysninger behandler løsningen (kun navn, adresse og fødselsdato, eller også "
                  "følsomme eller fortrolige oplysninger)?"),
    ChecklistItem("tu_agreement", 8, "Indgå ny tjenesteudbyderaftale med Digitaliseringsstyrelsen om opkobling "
                  "til NL3 Broker",
                  "Hvem indgår og vedligeholder tjenesteudbyderaftalen med Digitaliseringsstyrelsen for "
                  "opkoblingen til NL3 Broker?"),
)
CHECKLIST_KEYS = tuple(item.key for item in CHECKLIST)

# The status of one checklist item for one own solution.
NOT_STARTED, IN_PROGRESS, DONE, NOT_RELEVANT = "not_started", "in_progress", "done", "not_relevant"
CHECKLIST_STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, NOT_RELEVANT)


def classify_system(facts: Facts) -> Verdict:
    """Apply the rules in order; the first that fires decides."""
    ev = facts.evidence
    login = _first(ev, {LOGIN, BUSINESS_LOGIN, LOGIN_PAGE, OWN_DOMAIN_LOGIN})
    common = facts.matches.get(COMMON_PUBLIC_LIST)
    shared = facts.matches.get(SHARED_LIST)
    kitos20 = facts.matches.get(KITOS_LIST)
    level = suggested_level(ev)
    flags = checklist_flags(ev)

    # 1. A person's decision wins over every rule, and survives every re-run.
    if facts.decision:
        category, person_level, note = facts.decision
        best = common or shared or kitos20
        return _verdict(category, person_level or (level if category == OWN else None),
                        flags if category == OWN else [], "decided_by_person",
                        {"category": category, "note": note}, best, "person")

    # 2. Two list entries match almost equally well: say so rather than guess.
    if facts.ambiguous and not (common or shared):
        names = [n for _, n, _ in facts.ambiguous[:2]]
        return _verdict(UNKNOWN, None, [], "ambiguous_match", {"names": names}, None)

    # 3. Common public wins over the shared list: FMK, Virk.dk, Jobnet.dk, Sundhed.dk, Skat.dk and
    #    Tinglysning appear on both KL lists, and municipalities often misreport them as their own
    #    or shared (Delrapport 2, Bilag 1).
    if common:
        return _verdict(COMMON_PUBLIC, None, [], "common_public_list",
                        {**_list_values(common), "login": reasons.of_evidence(login)}, common)
    public_owner = _first(ev, {COMMON_PUBLIC_SIGNAL})
    if public_owner and login:
        return _verdict(COMMON_PUBLIC, None, [], "authority_login",
                        {"owner": reasons.of_evidence(public_owner), "login": reasons.of_evidence(login)}, None)

    # 4. KL's shared list decides on its own (Delrapport 1, Bilag 3: "TU-løsninger som flere kommuner
    #    anvender"; the municipality removes these from its own list).
    if shared:
        return _verdict(SHARED, None, [], "shared_list",
                        {**_list_values(shared), "login": reasons.of_evidence(login)}, shared)

    # 5. KITOS's 20+ list and KITOS usage counts hold Office and AutoCAD too: they make a system
    #    shared only together with login evidence (Delrapport 1, Bilag 4).
    used_by_many = _first(ev, {SHARED_SIGNAL})
    if login and (kitos20 or used_by_many):
        if kitos20:
            return _verdict(SHARED, None, [], "kitos20_login",
                            {**_list_values(kitos20), "login": reasons.of_evidence(login)}, kitos20)
        return _verdict(SHARED, None, [], "used_by_many_login",
                        {"signal": reasons.of_evidence(used_by_many), "login": reasons.of_evidence(login)}, None)

    # 6. Login evidence and no list: the municipality's own TU-solution, which it must risk-assess
    #    itself (Delrapport 1: what is left after removing the shared ones).
    if login:
        # A login seen only at a third-party web host that matches no list may be a vendor's shared
        # platform: a person decides. A login on the municipality's own domain, or in a contract,
        # is own.
        only_foreign_web = all(e.kind == LOGIN_PAGE for e in ev if e.kind in
                               {LOGIN, BUSINESS_LOGIN, LOGIN_PAGE, OWN_DOMAIN_LOGIN})
        if only_foreign_web:
            return _verdict(UNKNOWN, level, flags, "foreign_web_host", {"login": reasons.of_evidence(login)}, kitos20)
        return _verdict(OWN, level, flags, "own", {"login": reasons.of_evidence(login)}, kitos20)

    # 7. No login evidence.
    kitos_only = all(e.source_kind == "kitos" for e in ev) and bool(ev)
    if kitos_only:
        # KITOS has no login field: a KITOS-only system is unknown unless a KL list decides it.
        return _verdict(UNKNOWN, None, [], "kitos_only", {}, kitos20)
    # 8. Only weak mentions: a login keyword the text does not use as a login to this system —
    #    negated, a way to pay, a course topic, help at Borgerservice, a site in a list, NemLog-in's
    #    signing service. The keyword search KL recommends
    #    (Delrapport 1, "Identifikation af TU-løsninger") would list it; nothing says users log in,
    #    so a person decides: unknown, never own.
    weak = [e for e in ev if e.kind == WEAK_LOGIN]
    if weak:
        return _verdict(UNKNOWN, None, [], "weak_only",
                        {"weak": reasons.of_evidence(weak[0]), "more": len(weak) - 1}, kitos20)
    tu_term = _first(ev, {TU_TERM})
    if tu_term:
        return _verdict(UNKNOWN, None, [], "tu_term_only", {"tu_term": reasons.of_evidence(tu_term)}, kitos20)
    if kitos20:
        return _verdict(NOT_TU, None, [], "kitos20_no_login", _list_values(kitos20), kitos20)
    return _verdict(NOT_TU, None, [], "no_login", {}, None)
