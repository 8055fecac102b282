"""Reasons as codes and values, rendered in the reader's language (Danish by default, English on request).

A verdict's reason (why tuscan put a system in its category) and an evidence row's detail (what was
found where) are stored as a *code* plus *values* — a list name, an entry, a score, a term, a page,
a file name, a count — and turned into a sentence only where a person reads it: the web app, the
HTML report and the Excel workbook speak Danish; `tuscan report --lang en` and the app's `?lang=en`
speak English. The English rendering is also what the `reason` column and the evidence `detail`
have always held, so scripts that read those keep working.

The words are the glossary's (tuscan.rules): egen TU-løsning, TU-løsning som flere kommuner
anvender, fællesoffentlig løsning, sikringsniveau, and the names of KL's lists as the reports give
them (Delrapport 2, Bilag 1; Delrapport 1, Bilag 3 and 4).

Plain `str.format` templates, no i18n framework: there are two languages and a few dozen fixed
sentences, and gettext catalogues would add a build step for no gain. Evidence written by other
modules (KITOS, the website crawl, the authority signal) carries an English `detail` only; its code
and values are recovered by matching the English templates below, which are those modules' exact
sentences, and anything unrecognised is quoted as it stands (code `text`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from tuscan.labels import LIST_LABELS_DA

DA, EN = "da", "en"
LANGUAGES = (DA, EN)

# KL's lists by the names the reports give them.
LIST_NAMES = {
    DA: LIST_LABELS_DA,
    EN: {
        "kl_common_public": "KL's list of common public solutions",
        "kl_shared_tu": "KL's shared list",
        "kitos_common_systems": "KITOS's list of systems used by 20+ municipalities",
    },
}

# Category keys as a person's decision names them (English keeps the stored key, as it always has).
CATEGORY_WORDS = {
    DA: {"own": "egen TU-løsning", "shared": "TU-løsning som flere kommuner anvender",
         "common_public": "fællesoffentlig løsning", "not_tu": "ikke TU-løsning", "unknown": "uafklaret"},
    EN: {},
}

# Why a keyword hit does not count: the English `reason` of every trap and exclusion in
# reference/keywords.toml (stored in hits.excluded_by, quoted in weak-mention evidence) → Danish. A
# test checks that every reason in the data file has a translation here.
EXCLUSION_DA = {
    "NemKonto is a bank account, not a login": "NemKonto er en bankkonto, ikke et login",
    "NemHandel is e-invoicing, not a login": "NemHandel er elektronisk fakturering, ikke et login",
    "says how the contract was signed, not how a system is reached":
        "siger hvordan kontrakten blev underskrevet, ikke hvordan man kommer ind i et system",
    "Penneo signature block: says how the contract was signed (its PID/serial numbers are not integrations)":
        "Penneos underskriftsblok: siger hvordan kontrakten blev underskrevet (dens PID-/serienumre er ikke "
        "integrationer)",
    "a form's field for an employee's signature, not medarbejdersignatur":
        "et felt i en blanket til en medarbejders underskrift, ikke medarbejdersignatur",
    "'nem login' written apart in lower case is the adjective 'nem' (easy), not NemLog-in":
        "'nem login' skrevet i to ord med små bogstaver er tillægsordet 'nem', ikke NemLog-in",
    "the text says the data is not processed": "teksten siger, at oplysningerne ikke behandles",
    "the text says users log in, get access or are identified with it":
        "teksten siger, at brugerne logger ind, får adgang eller identificeres med det",
    "the text says the system is connected to NemLog-in as a service provider":
        "teksten siger, at systemet er koblet på NemLog-in som tjenesteudbyder",
    "the text says the system does not use it for login (or no longer does)":
        "teksten siger, at systemet ikke (længere) bruger det til login",
    "NemLog-in's signing or signature-validation service, which is signing, not login":
        "NemLog-ins signerings- eller signaturvalideringstjeneste, dvs. signering, ikke login",
    "a way to pay or approve a payment (netbank), not a login to this system":
        "en måde at betale eller godkende en betaling på (netbank), ikke login til dette system",
    "a course or teaching topic, not a login to this system":
        "et kursus- eller undervisningsemne, ikke login til dette system",
    "MitID/NemID as something people get, renew or are helped with (Borgerservice), not a login to this system":
        "MitID/NemID som noget man får, fornyer eller får hjælp til (Borgerservice), ikke login til dette system",
    "about renewing or blocking a person's own MitID/NemID, not a login to this system":
        "om at forny eller spærre en persons eget MitID/NemID, ikke login til dette system",
    "named among websites or services people may visit, not a login to this system":
        "nævnt blandt hjemmesider eller tjenester man kan besøge, ikke login til dette system",
    "a statement about MitID/NemID in general (its history, how many use it), not about this system":
        "en udtalelse om MitID/NemID generelt (historik, hvor mange der bruger det), ikke om dette system",
    "MitID/NemLog-in as the subject of a question, guide or piece of information, not a login to this system":
        "MitID/NemLog-in som emne for et spørgsmål, en vejledning eller en information, ikke login til dette system",
}


@dataclass(frozen=True)
class Template:
    da: str
    en: str


# --- reasons: one code per outcome of tuscan.rules.classify_system ----------------------------------
REASONS: dict[str, Template] = {
    "decided_by_person": Template("Afgjort af en person: {category}{note}", "Decided by a person: {category}{note}"),
    "ambiguous_match": Template(
        "Navnet passer lige godt på to listeposter ({names}); en person skal vælge",
        "Name matches two list entries equally well ({names}); a person must choose"),
    "common_public_list": Template(
        "Fundet på {list}: '{entry}' (score {score}); {login}",
        "Matched {list} '{entry}' (score {score}); {login}"),
    "authority_login": Template("{owner}; {login}", "{owner}; {login}"),
    "shared_list": Template(
        "Fundet på {list}: '{entry}' (score {score}); {login}",
        "Matched {list} '{entry}' (score {score}); {login}"),
    "kitos20_login": Template(
        "Fundet på {list}: '{entry}' (score {score}); {login}",
        "Matched {list} '{entry}' (score {score}); {login}"),
    "used_by_many_login": Template("{signal}; {login}", "{signal}; {login}"),
    "own": Template("Ingen match på KL's lister; {login}", "No KL list match; {login}"),
    "foreign_web_host": Template(
        "{login}, på en vært uden for kommunens domæne, som ikke findes på KL's lister; undersøg om andre "
        "kommuner bruger den",
        "{login}, on a host outside the municipality's domain that matches no KL list; "
        "check whether other municipalities use it"),
    "kitos_only": Template(
        "Registreret i KITOS, men intet viser, om borgere eller virksomheder logger ind med NemLog-in",
        "Listed in KITOS, but nothing shows whether citizens or businesses log in with NemLog-in"),
    "weak_only": Template(
        "Kun svage omtaler af login: {weak}{more}; intet siger, at brugerne logger ind på dette system, så en "
        "person skal afgøre det",
        "Only weak mentions of login: {weak}{more}; nothing says that users log in to this system, so a "
        "person must decide"),
    "tu_term_only": Template(
        "{tu_term}, men intet login med NemID/MitID/medarbejdersignatur blev fundet",
        "{tu_term}, but no NemID/MitID/medarbejdersignatur login was found"),
    "kitos20_no_login": Template(
        "Fundet på {list}: '{entry}' (score {score}), men ingen evidens for login",
        "Matched {list} '{entry}' (score {score}), but no login evidence"),
    "no_login": Template(
        "Intet login med NemID, MitID, NemLog-in eller medarbejdersignatur i systemets dokumenter",
        "No NemID, MitID, NemLog-in or medarbejdersignatur login in its documents"),
}

# --- the simple risk rule's suggested sikringsniveau (tuscan.rules.level_suggestion) ----------------
LEVEL_REASONS: dict[str, Template] = {
    "level_sensitive": Template(
        "Betydelig: evidensen viser følsomme eller fortrolige oplysninger ({terms}).",
        "Betydelig: the evidence shows sensitive or confidential data ({terms})."),
    "level_ordinary": Template(
        "Lav efter en nærmere vurdering: evidensen viser kun almindelige personoplysninger ({terms}). Bekræft at "
        "løsningen ikke behandler andet end navn, adresse og fødselsdato.",
        "Lav after a closer assessment: the evidence shows ordinary personal data only ({terms}). Confirm that "
        "the solution processes nothing but name, address and date of birth."),
    "level_direct": Template(
        "Betydelig direkte: en kommunal TU-løsning kan indplaceres direkte på Betydelig, og intet i evidensen "
        "viser, at den kun behandler almindelige personoplysninger (navn, adresse, fødselsdato).",
        "Betydelig directly: a municipal TU-solution may be placed directly on Betydelig, and nothing in the "
        "evidence shows that it processes ordinary personal data only (name, address, date of birth)."),
}

# --- evidence details -------------------------------------------------------------------------------
EVIDENCE: dict[str, Template] = {
    "doc_login": Template("{term}-login på s. {page} i {file}", "{term} login on p. {page} of {file}"),
    "doc_tu_term": Template("TU-begrebet {term} på s. {page} i {file}", "{term} TU term on p. {page} of {file}"),
    "doc_signing": Template("signering ({term}) på s. {page} i {file}", "{term} signing on p. {page} of {file}"),
    "doc_pid_rid": Template("PID/RID ({term}) på s. {page} i {file}", "{term} PID/RID on p. {page} of {file}"),
    "doc_sensitive": Template("følsomme oplysninger ({term}) på s. {page} i {file}",
                              "{term} sensitive data on p. {page} of {file}"),
    "doc_ordinary_data": Template("almindelige personoplysninger ({term}) på s. {page} i {file}",
                                  "{term} ordinary personal data on p. {page} of {file}"),
    "doc_weak": Template("{term} på s. {page} i {file}: {why}", "{term} on p. {page} of {file}: {why}"),
    "kitos_in_use_inactive": Template("Registreret i KITOS som i brug ({where}); markeret som ikke aktiv i KITOS",
                                      "Listed in KITOS as in use ({where}); marked not active in KITOS"),
    "kitos_in_use": Template("Registreret i KITOS som i brug ({where})", "Listed in KITOS as in use ({where})"),
    "kitos_used_by_named": Template("KITOS: anvendes af {n} organisationer ({organisations})",
                                    "KITOS: used by {n} organisations ({organisations})"),
    "kitos_used_by": Template("KITOS: anvendes af {n} organisationer", "KITOS: used by {n} organisations"),
    "kitos_rights_holder": Template("KITOS: rettighedshaveren {holder} er en anden offentlig myndighed",
                                    "KITOS: the rights holder {holder} is another public authority"),
    "kitos_data_type": Template("KITOS-datatype: {data_type}", "KITOS DataType: {data_type}"),
    "filed_under_authority": Template(
        "Arkiveret under {authority}, en offentlig myndighed der ejer fællesoffentlige løsninger",
        "Filed under {authority}, a public authority that owns common public solutions"),
    "supplied_by_authority": Template(
        "Leveret af {authority}, en offentlig myndighed der ejer fællesoffentlige løsninger",
        "Supplied by {authority}, a public authority that owns common public solutions"),
    "web_own_domain_login": Template(
        "NemLog-in/MitID-login på kommunens eget domæne på {url} ({verification}); {where}",
        "NemLog-in/MitID login on the municipality's own domain at {url} ({verification}); {where}"),
    "web_login": Template("NemLog-in/MitID-login på {url} ({verification}); {where}",
                          "NemLog-in/MitID login at {url} ({verification}); {where}"),
    "web_link": Template("Link til {host} ({system}) {where}; intet login set på målet: {seen}",
                         "Link to {host} ({system}) {where}; no login seen at the target: {seen}"),
    "web_national": Template("{host} er en national løsning ejet af {owner} (reference/login_hosts.csv)",
                             "{host} is a national solution owned by {owner} (reference/login_hosts.csv)"),
    "no_login_evidence": Template("ingen evidens for login", "no login evidence"),
    "text": Template("{text}", "{text}"),
}

# Which evidence codes an evidence kind may have (the English detail is matched against these only).
CODES_BY_KIND = {
    "login": ("doc_login",), "business_login": ("doc_login",), "tu_term": ("doc_tu_term",),
    "signing": ("doc_signing",), "pid_rid": ("doc_pid_rid",), "sensitive": ("doc_sensitive", "kitos_data_type"),
    "ordinary_data": ("doc_ordinary_data",), "weak_login": ("doc_weak",),
    "mention": ("kitos_in_use_inactive", "kitos_in_use", "web_link"),
    "shared_signal": ("kitos_used_by_named", "kitos_used_by"),
    "common_public_signal": ("kitos_rights_holder", "filed_under_authority", "supplied_by_authority",
                             "web_national"),
    "own_domain_login": ("web_own_domain_login",), "login_page": ("web_login",),
}
DOCUMENT_CODES = {"login": "doc_login", "business_login": "doc_login", "tu_term": "doc_tu_term",
                  "signing": "doc_signing", "pid_rid": "doc_pid_rid", "sensitive": "doc_sensitive",
                  "ordinary_data": "doc_ordinary_data"}

_NUMBER_FIELDS = {"page", "n"}
_FIELD = re.compile(r"\{(\w+)\}")


class UnknownReason(ValueError):
    """A reason or evidence code that is not in the catalogue."""


def _template(code: str) -> Template:
    template = REASONS.get(code) or EVIDENCE.get(code) or LEVEL_REASONS.get(code)
    if template is None:
        known = ", ".join(sorted(REASONS | EVIDENCE | LEVEL_REASONS))
        raise UnknownReason(f"unknown reason code {code!r}; known: {known}")
    return template


@cache
def fields(code: str) -> frozenset[str]:
    """The values a code's templates use (both languages use the same); asked for every evidence
    row classification writes, so remembered per code."""
    return frozenset(_FIELD.findall(_template(code).en))


def _lang(lang: str | None) -> str:
    return EN if (lang or "").lower().startswith("en") else DA


def _evidence_value(value: Any, lang: str) -> str:
    if isinstance(value, dict) and "code" in value:
        return render(value["code"], value.get("values") or {}, lang)
    if value is None:
        return render("no_login_evidence", {}, lang)
    return str(value)


def _danish_where(where: str) -> str:
    """KITOS's "Fil.xlsx, row 12" and the crawl's "linked as 'x' from URL and 2 more pages"."""
    where = re.sub(r", row (\d+)$", r", række \1", where)
    m = re.fullmatch(r"linked as (.+) from (\S+?)(?: and (\d+) more pages)?", where)
    if m:
        shown = "et link" if m.group(1) == "a link" else m.group(1)
        more = f" og {m.group(3)} sider mere" if m.group(3) else ""
        return f"linket som {shown} fra {m.group(2)}{more}"
    return where


# The website check's verdicts (tuscan.web.verify), stored in English → Danish.
_VERIFICATION_DA = (
    (r"redirects to NemLog-in \((.*)\)", r"viderestiller til NemLog-in (\1)"),
    (r"redirects with a SAML AuthnRequest to (.*)", r"viderestiller med en SAML AuthnRequest til \1"),
    (r"redirects to (.*) \(not followed\)", r"viderestiller til \1 (ikke fulgt)"),
    (r"HTTP (\d+)", r"HTTP \1"),
    (r"not a web page \((.*)\)", r"ikke en hjemmeside (\1)"),
    (r"SAML AuthnRequest form posting to (.*)", r"SAML AuthnRequest-formular der sendes til \1"),
    (r"form posting to NemLog-in \((.*)\)", r"formular der sendes til NemLog-in (\1)"),
    (r"refreshes to NemLog-in \((.*)\)", r"skifter til NemLog-in (\1)"),
    (r"script redirects to NemLog-in \((.*)\)", r"et script viderestiller til NemLog-in (\1)"),
    (r"login link to NemLog-in \((.*?)\): (.*)", r"login-link til NemLog-in (\1): \2"),
    (r"login button (.*)", r"login-knap \1"),
    (r"mentions MitID/NemID but offers no login \(an information page\)",
     r"nævner MitID/NemID, men tilbyder intet login (en informationsside)"),
    (r"no NemLog-in/MitID login found", r"intet NemLog-in/MitID-login fundet"),
    (r"not checked", r"ikke tjekket"),
)


def _danish_verification(text: str) -> str:
    for pattern, danish in _VERIFICATION_DA:
        if re.fullmatch(pattern, text, re.DOTALL):
            return re.sub(pattern, danish, text, count=1, flags=re.DOTALL)
    return text


def verification_text(text: str | None, lang: str = DA) -> str:
    """The website check's verdict on a login page (tuscan.web.verify) in the reader's language."""
    return _danish_verification(text or "") if _lang(lang) == DA else (text or "")


def _prepare(code: str, values: dict, lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key in fields(code):
        value = values.get(key)
        if key in ("login", "owner", "signal", "weak", "tu_term"):
            out[key] = _evidence_value(value, lang)
        elif key == "list":
            out[key] = LIST_NAMES[lang].get(value, str(value))
        elif key == "score":
            out[key] = f"{float(value):.0f}" if value is not None else "?"
        elif key == "names":
            out[key] = " / ".join(f"'{n}'" for n in (value or []))
        elif key == "category":
            out[key] = CATEGORY_WORDS[lang].get(value, str(value))
        elif key == "note":
            out[key] = f" ({value})" if value else ""
        elif key == "more":
            n = int(value or 0)
            if n <= 0:
                out[key] = ""
            elif lang == DA:
                out[key] = f" (og {n} {'anden' if n == 1 else 'andre'} af samme slags)"
            else:
                out[key] = f" (and {n} more such mention{'s' if n > 1 else ''})"
        elif key == "why" and lang == DA:
            out[key] = EXCLUSION_DA.get(str(value), str(value))
        elif key == "where" and lang == DA:
            out[key] = _danish_where(str(value))
        elif key in ("seen", "verification") and lang == DA:
            out[key] = _danish_verification(str(value or ""))
        else:
            out[key] = "" if value is None else str(value)
    return out


def render(code: str, values: dict | str | None = None, lang: str = DA) -> str:
    """The sentence for a reason or evidence code with its values, in Danish (`da`) or English (`en`).
    `values` may be the stored JSON text."""
    if isinstance(values, str):
        values = json.loads(values) if values else {}
    values = values or {}
    lang = _lang(lang)
    template = _template(code)
    text = template.da if lang == DA else template.en
    return text.format(**_prepare(code, values, lang))


def reason(code: str, **values) -> dict:
    """A reason as stored: {"code": ..., "values": {...}}; checks the code and its values."""
    missing = fields(code) - set(values) - {"note", "more"}
    if missing:
        raise UnknownReason(f"reason {code!r} needs values {sorted(missing)}")
    return {"code": code, "values": values}


# --- evidence ---------------------------------------------------------------------------------------
def _pattern(code: str) -> re.Pattern[str]:
    parts = _FIELD.split(EVIDENCE[code].en)
    regex = "".join(re.escape(p) if i % 2 == 0 else
                    (rf"(?P<{p}>\d+)" if p in _NUMBER_FIELDS else rf"(?P<{p}>.+?)") for i, p in enumerate(parts))
    return re.compile(regex, re.DOTALL)


_PATTERNS = {code: _pattern(code) for code in EVIDENCE if code not in ("text", "no_login_evidence")}


def document_detail(kind: str, term: str, page: int, file: str, why: str | None = None) -> dict:
    """The code and values of a document's evidence (tuscan.identify.document_evidence)."""
    if why is not None:
        return {"code": "doc_weak", "values": {"term": term, "page": page, "file": file, "why": why}}
    return {"code": DOCUMENT_CODES[kind], "values": {"term": term, "page": page, "file": file}}


def evidence_reason(kind: str | None, detail: str | None) -> dict:
    """An evidence row's code and values, from its kind and English detail; unrecognised text is
    kept as it stands (code `text`)."""
    detail = detail or ""
    for code in CODES_BY_KIND.get(kind or "", ()):
        m = _PATTERNS[code].fullmatch(detail)
        if m:
            values: dict[str, Any] = m.groupdict()
            for key in _NUMBER_FIELDS & set(values):
                values[key] = int(values[key])
            return {"code": code, "values": values}
    return {"code": "text", "values": {"text": detail}}


def of_evidence(ev) -> dict | None:
    """The code and values of a tuscan.candidates.Evidence (or None for none)."""
    if ev is None:
        return None
    return evidence_reason(ev.kind, ev.detail)


def evidence_text(row: dict, lang: str = DA) -> str:
    """An evidence row (from the `evidence` view, or an Evidence's fields) in the reader's language."""
    found = evidence_reason(row.get("kind"), row.get("detail"))
    return render(found["code"], found["values"], lang)


def exclusion_text(excluded_by: str | None, lang: str = DA) -> str:
    """A hit's `excluded_by` ("weak mention (payment): a way to pay …", "signature block: says …", or
    a trap's bare reason) in the reader's language."""
    text = excluded_by or ""
    if _lang(lang) == EN:
        return text
    _prefix, sep, why = text.partition(": ")
    danish = EXCLUSION_DA[why] if sep and why in EXCLUSION_DA else EXCLUSION_DA.get(text, text)
    return f"svag omtale: {danish}" if text.startswith("weak mention (") else danish


def reason_text(row: dict, lang: str = DA) -> str:
    """A systems/inventory row's reason in the reader's language; a row written before reasons had
    codes shows its stored English `reason`."""
    code = row.get("reason_code")
    if not code:
        return row.get("reason") or ""
    try:
        return render(code, row.get("reason_values"), lang)
    except (UnknownReason, ValueError, KeyError, TypeError):
        # A newer tuscan's code in an older reader: the stored sentence is still right.
        return (row.get("reason_da") if _lang(lang) == DA else None) or row.get("reason") or ""


__all__ = ["render", "reason", "reason_text", "evidence_text", "evidence_reason", "of_evidence", "document_detail",
           "exclusion_text", "verification_text", "fields", "REASONS", "EVIDENCE", "LEVEL_REASONS", "LIST_NAMES",
           "EXCLUSION_DA", "UnknownReason"]
