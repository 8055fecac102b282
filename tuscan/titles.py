"""What a contract's first page says about its system and vendor: title phrases and parties clause.

When an archive is not filed by vendor and system — an ESDH export of case folders with documents
called "Dok 1234567.pdf", a flat folder of scans, e-mailed attachments — the system must come from
the text. Contracts say it on their title page, in a few fixed ways:

- "Aftale om levering af X", "Kontrakt vedrørende X", "Tilslutningsaftale om anvendelse af X",
  "Udviklingsaftale vedrørende X", "Delaftale om X", "Kravspecifikation for X", "Vilkår for
  jobcentrenes brug af X"; an amendment "Tillæg nr. 3 til kontrakt af 12. juni 2017 om X" names the
  X of the contract it changes; a heading "Delaftale: X";
- English: "Agreement for the supply of X", "Contract regarding X", "Licence agreement for X".

The parties clause names the vendor: "mellem Korsbæk Kommune og Y A/S", "between … and Y ApS",
"Parterne: Korsbæk Kommune og Y A/S" — the party that is not a municipality or region.

A contract register exported to a spreadsheet (Kontrakt-ID, Titel, Leverandør, System, …) lists
many contracts' titles: it is recognised by its header so that it never becomes a system itself.

Plain regular expressions: the phrases are few and fixed, and a reviewer can read them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from extractors.keywords import lower_alike
from tuscan.names import normalise

TITLE_WINDOW = 1500   # characters at the top of the first page where a title phrase counts

# Any word ending in aftale/kontrakt is a contract ("Udviklingsaftale", "Tilslutningsaftale",
# "Delaftale", "Rammeaftale", "Databehandleraftale", "Driftskontrakt").
_DOCUMENT_WORDS = (
    r"\w*aftale[n]?|\w*kontrakt(?:en)?|tillæg|tillægsaftale|ændringsbilag|allonge|bilag|underbilag|"
    r"vilkår|brugervilkår|tilbud|ordrebekræftelse|kravspecifikation(?:en)?|kravsspecifikation|"
    r"løsningsbeskrivelse|forlængelse|fornyelse|opsigelse|"
    r"agreement|contract|amendment|addendum|annex|appendix|schedule|terms|requirements\s+specification"
)
_CONNECTOR = r"om|vedr\.?|vedrørende|angående|for|til|på|of|on|regarding|concerning|re\.?"
# "Tillæg nr. 3 til kontrakt af 12. juni 2017 om X": a number or a date between the words.
_NUMBER = r"(?:\s+(?:nr\.?|no\.?)\s*\d+)?"
_DATE = (r"(?:\s+(?:af|fra|dateret|dated|of)\s+(?:\d{1,2}\.?\s*(?:[a-zæøå]+\.?|\d{1,2}\.?)\s*\d{4}"
         r"|\d{4}-\d\d-\d\d|\d{4}))?")
# Every word of _DOCUMENT_WORDS holds one of these ("underbilag" holds "bilag"): a title phrase can
# only start at the start of a word that holds one (tests/test_identify_titles.py checks both).
_DOCUMENT_CORES = (
    "aftale", "kontrakt", "tillæg", "bilag", "allonge", "vilkår", "tilbud", "ordrebekræftelse",
    "kravspecifikation", "kravsspecifikation", "løsningsbeskrivelse", "forlængelse", "fornyelse", "opsigelse",
    "agreement", "contract", "amendment", "addendum", "annex", "appendix", "schedule", "terms", "requirements",
)
# "drift af systemet \"Sagsportalen\"": the filler words before a quoted name.
_FILLER = (r"(?:(?:levering|køb|drift|anvendelse|brug|licens|implementering)\s+(?:af|til)\s+)?"
           r"(?:(?:systemet|løsningen|it-systemet|platformen)\s+)?")
# "Kontrakt mellem Borgbjerg Kommune og KMD A/S om levering af KMD Nexus": the parties first.
_PARTIES_FIRST = re.compile(
    rf"(?<!\w)(?:{_DOCUMENT_WORDS})\s+(?:mellem|between)\s[^§]{{3,200}}?\s(?:om|vedrørende|vedr\.?|angående|"
    rf"regarding|concerning|for\s+the\s+supply\s+of)\s+{_FILLER}[\"'“”«]?(?P<name>[^\n\"“”»,;:()]{{3,80}})",
    re.IGNORECASE,
)
_TITLE = re.compile(
    rf"(?<!\w)(?:{_DOCUMENT_WORDS}){_NUMBER}{_DATE}\s+(?:{_CONNECTOR})\s+{_FILLER}[\"'“”«]?(?P<name>[^\n\"“”»,;:()]{{3,80}})",
    re.IGNORECASE,
)
# A heading "Delaftale: X" / "Kontrakt – X" on one line.
_HEADING = re.compile(
    rf"(?<!\w)(?:{_DOCUMENT_WORDS})[ \t]*(?::|[ \t][-–—])[ \t]*[\"'“”«]?(?P<name>[^\n\"“”»,;:()]{{3,80}})",
    re.IGNORECASE,
)
# A title page with the contract word alone on a line and the system on the next one:
# "KONTRAKT\n\nKMD Nexus\n\nmellem …". Only main-contract words: "Bilag\nServicemål" names no system.
_ALONE = re.compile(
    r"^[ \t]*(?:\w*aftale|\w*kontrakt|agreement|contract|kravspecifikation|requirements\s+specification)"
    r"[ \t]*\n\s*(?P<name>[A-ZÆØÅ\"“«][^\n]{2,60})[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_NOT_A_NAME = re.compile(r"(?<!\w)(?:mellem|between|kommune|region|municipality|indgået|parterne|side\s+\d)(?!\w)"
                         r"|[.!?]$|^\W*\d", re.IGNORECASE)
# Words in front of the system's name: "levering af", "udvikling og drift af", "the supply of",
# "jobcentrenes brug af", "anvendelse af systemet".
_LEADING = re.compile(
    r"^(?:(?:the\s+)?(?:levering|køb|drift|anvendelse|brug|licens|licenser|implementering|udvikling|"
    r"vedligeholdelse|hosting|support|videreudvikling|tilslutning|adgang|supply|delivery|provision|use|"
    r"purchase|licen[cs]es?|operation|development|implementation|access)"
    r"(?:\s+(?:og|and|samt)\s+\w+)?\s+(?:af|til|of|for|to)\s+"
    r"|\w+s\s+(?:brug|anvendelse)\s+af\s+|the\s+"
    # A data-processing agreement "om behandling af personoplysninger i forbindelse med X".
    r"|(?:behandling\s+af\s+)?personoplysninger\s+(?:i\s+forbindelse\s+med|vedrørende|vedr\.?|i|for|til|ved)\s+"
    r"|(?:processing\s+of\s+)?personal\s+data\s+(?:in\s+connection\s+with|for|in)\s+"
    r"|(?:det\s+nye\s+|the\s+|a\s+|an\s+)?(?:systemet|løsningen|it-systemet|platformen|programmet|"
    r"system|solution|platform|software)\s+)",
    re.IGNORECASE,
)
_STOP = re.compile(
    r"\s+(?:mellem|between|indgået|entered|af\s+\d|pr\.|dateret|dated|\d{1,2}\.\s|med\s+virkning|"
    r"gældende|herefter|(?:til|fra|from|until)\s+(?:og\s+med\s+)?\d)|\s+[-–—]\s+(?:bilag|version|udkast|underskrevet)",
    re.IGNORECASE,
)
_ANNEX_WORDS = ("bilag", "underbilag", "annex", "appendix", "schedule")
# A name that is itself a contract word ("Bilag til rammeaftale") names no system.
_ONLY_DOCUMENT_WORD = re.compile(rf"^(?:{_DOCUMENT_WORDS})(?:\s|$)", re.IGNORECASE)
# ".dk", ".nu", ".com" belong to names (Virk.dk, Jobnet.dk); any other full stop ends the title.
_SENTENCE_END = re.compile(r"\.(?!(?:dk|nu|com|eu|org|net)(?!\w))")


# The login and signing infrastructure a contract is about using ("Aftale om anvendelse af NemID",
# "agreement on use of NemLog-in") is not the system a municipality has: it is what makes a
# system a TU-solution.
INFRASTRUCTURE = frozenset({
    "nemid", "nem id", "mitid", "mit id", "nemlog in", "nemlogin", "nemlog in3", "nemlogin3", "mitid erhverv",
    "nemid erhverv", "medarbejdersignatur", "medarbejdersignaturen", "oces", "nemkonto", "nemhandel", "penneo",
    "unilogin", "uni login", "digital signatur", "tjenesteudbyder", "tjenesteudbyderaftale",
})


# What a contract is about when it is about no system.
GENERIC_SUBJECTS = frozenset({
    "behandling af personoplysninger", "personoplysninger", "databehandling", "processing of personal data",
    "personal data", "levering", "leverancen", "ydelsen", "ydelserne", "tjenesten", "løsningen", "systemet",
    "the services", "services", "the solution",
})


def clean_title(raw: str) -> str | None:
    name = _SENTENCE_END.split(raw, maxsplit=1)[0]
    name = _STOP.split(name, maxsplit=1)[0].strip(" -–_")
    for _ in range(3):
        stripped = _LEADING.sub("", name, count=1)
        if stripped == name:
            break
        name = stripped
    name = name.strip(" -–_\"'")
    if len(name) < 3 or not normalise(name) or _ONLY_DOCUMENT_WORD.match(name) or normalise(name) in INFRASTRUCTURE:
        return None
    if normalise(name) in GENERIC_SUBJECTS:
        return None
    if " " not in name and name == name.lower():
        # One word in lower case is an ordinary Danish word ("produktionsmiljøet", "driften"), not a
        # system's name; several ("digital pladsanvisning") may be a name written in running text.
        return None
    return name


def title_name(first_page: str) -> str | None:
    """The system named by the first title phrase near the top of the first page."""
    return _title_name(first_page[:TITLE_WINDOW])


def phrase_starts(text: str) -> list[int] | None:
    """Where a title phrase may start: the start of every word holding a document word, left to
    right; None where lower case cannot stand in for the phrases' case-insensitive matching.

    The phrases begin with a look-behind and `\\w*aftale`, so `re.search` tries every position of
    the text and backtracks through every word (~0.45 ms a first page, ~30% of classifying
    25,000 documents, bench/scale.py); `str.find` of the few literals and one match at each start
    gives the same matches ~7× faster."""
    lowered = lower_alike(text)
    if lowered is None:
        return None
    starts = set()
    for core in _DOCUMENT_CORES:
        at = lowered.find(core)
        while at >= 0:
            start = at
            while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):   # regex \w
                start -= 1
            starts.add(start)
            at = lowered.find(core, at + 1)
    return sorted(starts)


def phrases(pattern: re.Pattern[str], text: str, starts: list[int] | None) -> Iterator[re.Match[str]]:
    """The matches of `pattern` at successive start positions (overlapping: each one starts after
    the previous one's start), as repeated `pattern.search(text, previous start + 1)` finds them."""
    if starts is None:
        pos = 0
        while (m := pattern.search(text, pos)) is not None:
            yield m
            pos = m.start() + 1
        return
    for start in starts:
        m = pattern.match(text, start)
        if m:
            yield m


# Classification asks for each document's title twice (its name signal, the system's other names),
# and copies and standard documents share first pages: remembered per text.
@lru_cache(maxsize=8192)
def _title_name(text: str) -> str | None:
    found = []
    starts = phrase_starts(text)
    for pattern in (_TITLE, _HEADING, _PARTIES_FIRST):
        # Overlapping search: in "Tillæg nr. 3 til kontrakt om X" the first phrase names "kontrakt",
        # which is no name; the next one, starting inside it, names X.
        for m in phrases(pattern, text, starts):
            word = m.group(0).lower()
            # A tjenesteudbyderaftale is the agreement with NemLog-in, not about the system's name.
            name = None if word.startswith(("tjenesteudbyder", "tu-")) else clean_title(m.group("name"))
            # "Bilag vedrørende servicemål og svartider": an annex's subject in lower case is a topic.
            if name and name == name.lower() and word.startswith(_ANNEX_WORDS):
                name = None
            if name:
                found.append((m.start(), name))
                break
    if not found:
        for m in _ALONE.finditer(text):
            line = m.group("name").strip()
            if len(line.split()) <= 6 and not _NOT_A_NAME.search(line):
                name = clean_title(line)
                if name:
                    found.append((m.start(), name))
                    break
    return min(found)[1] if found else None


# --- ESDH cover sheets ----------------------------------------------------------------------------

# An ESDH system prints a cover sheet (dokumentforside, journalark) in front of a journalised document.
_COVER_FIELDS = re.compile(
    r"(?im)^[ \t]*(sagsnr|sagsnummer|sagstitel|dokumentnr|dokumentnummer|dokumenttitel|dokumentdato|"
    r"journalnr|journalnummer|akteret|aktnr|sagsbehandler|kle-nr|kle|registreret)\.?[ \t]*:"
)
_COVER_TITLE = re.compile(r"(?im)^[ \t]*(?:dokumenttitel|dokumentets titel|titel)[ \t]*:[ \t]*(?P<title>[^\n]+)$")


def is_cover_sheet(page: str) -> bool:
    """A page of ESDH metadata fields (Sagsnr.:, Dokumenttitel:, Akteret: …), at least three."""
    return len({m.group(1).lower() for m in _COVER_FIELDS.finditer(page)}) >= 3


def past_cover_sheet(pages: list[str]) -> str:
    """The first page of a document, or — when it is an ESDH cover sheet — its document title on a
    line of its own followed by the next page."""
    if not pages:
        return ""
    if len(pages) > 1 and is_cover_sheet(pages[0]):
        title = _COVER_TITLE.search(pages[0])
        return (title.group("title").strip() + "\n\n" if title else "") + pages[1]
    return pages[0]


# --- amendments ------------------------------------------------------------------------------------

_AMENDMENT = re.compile(
    r"^\W*(?:tillæg|tillægsaftale|ændringsbilag|ændringsaftale|allonge|forlængelse|fornyelse|genforhandling|"
    r"addendum|amendment|renewal|extension|change\s+order)(?!\w)",
    re.IGNORECASE,
)


_FRAMEWORK = re.compile(r"^\W*(?:rammeaftale|rammekontrakt|framework\s+agreement)(?!\w)", re.IGNORECASE)


def is_framework(first_page: str) -> bool:
    """The document is a framework agreement (rammeaftale): its first line says so."""
    return bool(_FRAMEWORK.match(first_page.lstrip()))


def is_amendment(first_page: str) -> bool:
    """The document is an amendment or renewal of a contract: its first line says so."""
    return bool(_AMENDMENT.match(first_page.lstrip()))


# --- parties --------------------------------------------------------------------------------------

_PARTIES = re.compile(r"(?<!\w)(?:mellem|between|parterne|parter|parties)(?!\w)", re.IGNORECASE)
_COMPANY = re.compile(
    r"(?<![\w&])(?P<name>(?:[A-ZÆØÅ0-9][\w&.'-]*[ \t]+){0,4}?[A-ZÆØÅ][\w&.'-]*)[ \t]+"
    r"(?P<form>A/S|ApS|I/S|P/S|K/S|IVS|AS|AB|Oy|Ltd\.?|GmbH|Inc\.?|BV|SE)(?!\w)"
)
# Public authorities that are parties (owners of common public solutions): "Sundhedsdatastyrelsen",
# "KOMBIT" is an A/S and found above.
_AUTHORITY = re.compile(r"(?<!\w)(?P<name>[A-ZÆØÅ]\w*styrelsen|Udbetaling Danmark|KL)(?!\w)")
_MUNICIPALITY = re.compile(r"(?<!\w)(?:kommune|region|kommunes)(?!\w)", re.IGNORECASE)
PARTIES_WINDOW = 600


def parties_vendor(first_page: str) -> str | None:
    """The vendor named in the parties clause: the party that is not the municipality ("mellem
    Korsbæk Kommune og KMD A/S" → "KMD A/S"), or None when the first page has no parties clause."""
    text = first_page[:TITLE_WINDOW + PARTIES_WINDOW]
    m = _PARTIES.search(text)
    if not m:
        return None
    window = text[m.end(): m.end() + PARTIES_WINDOW]
    hits = []
    for pattern in (_COMPANY, _AUTHORITY):
        for hit in pattern.finditer(window):
            name = hit.group(0).strip()
            # "Korsbæk Kommune og KMD A/S": a company name starts after the municipality and "og".
            name = re.split(r"(?i)(?<!\w)(?:og|and|samt)\s+", name)[-1].strip()
            if name and not _MUNICIPALITY.search(name):
                hits.append((hit.start(), name))
    return min(hits)[1] if hits else None


# --- contract register ----------------------------------------------------------------------------

_REGISTER_COLUMNS = re.compile(
    r"(?<!\w)(kontrakt-?id|kontraktnr\.?|kontraktnummer|aftale-?id|titel|leverandør|leverandor|system|"
    r"it-system|status|start|startdato|slut|slutdato|udløb|udløbsdato|ophør|kontraktejer|ansvarlig)(?!\w)",
    re.IGNORECASE,
)
_SPREADSHEET = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


def is_spreadsheet(path: str) -> bool:
    """Whether a document (a container's member too: "mail.eml!Register.xlsx") is a spreadsheet."""
    return path.rsplit("!", 1)[-1].lower().endswith(_SPREADSHEET)


def is_register(path: str, first_page: str) -> bool:
    """A contract register exported to a spreadsheet: a header row naming at least four register
    columns (Kontrakt-ID, Titel, Leverandør, System, Status, Start, Slut …)."""
    if not is_spreadsheet(path):
        return False
    for line in first_page.splitlines()[:5]:
        if len({m.group(1).lower() for m in _REGISTER_COLUMNS.finditer(line)}) >= 4:
            return True
    return False
