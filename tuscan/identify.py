"""Which system is a document about?

Contract archives are usually filed by vendor and system ("EG/NetForvaltning Sundhed/Aftale …pdf");
titles say "Aftale om …" / "Kontrakt vedr. …"; file names carry the system name next to words such as
"Kontrakt", "Bilag 2" or "Databehandleraftale". This module turns those signals into one system name
per document, and groups the main contract, its annexes, its data-processing agreement and copies
into one candidate system — KL saw municipalities report "100+ TU-solutions" that were forms of one
(Delrapport 1), so counting each document as a system would be wrong.

Signals, strongest first:
1. folder: the folder under a vendor folder (Vendor/System/…);
2. title: "Aftale om X", "Kontrakt vedr. X", "Databehandleraftale vedrørende X" on the first page;
3. a known system name (KL lists, KITOS) as the only one in the file name, or else on the first
   page;
4. a single folder that is neither a vendor nor generic ("Bilag", "Arkiv", "2021");
5. the file name, with contract words and annex numbers removed.
A copy (same content) takes the strongest signal of any of its paths.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import duckdb

from extractors.keywords import WEAK_MENTION, is_weak
from tuscan.candidates import GROUP_TO_KIND, WEAK_LOGIN, Candidate, Evidence
from tuscan.names import LEADING_VENDORS, NameMatcher, normalise

# Folders that organise an archive but name no system or vendor.
GENERIC_FOLDERS = frozenset({
    "bilag", "bilag og tillæg", "tillæg", "underbilag", "kontrakter", "kontrakt", "aftaler", "aftale",
    "arkiv", "arkiveret", "diverse", "div", "andet", "øvrige", "scannet", "scanninger", "kopi", "kopier",
    "copies", "old", "gammel", "gamle", "tidligere", "historik", "udløbne", "aktive", "igangværende",
    "databehandleraftaler", "databehandleraftale", "dba", "leverandører", "leverandoeraftaler",
    "leverandøraftaler", "it", "it-kontrakter", "it kontrakter", "udbud", "tilbud", "korrespondance",
    "documents", "dokumenter", "misc", "archive", "contracts",
})
_YEAR = re.compile(r"^(19|20)\d\d([-_ ]\d\d?)?$")
_COMPANY_FORM = re.compile(r"(?<!\w)(a/s|a-s|a\.s\.|aps|i/s|p/s|k/s|as|ltd|gmbh|ab|oy|inc)$", re.IGNORECASE)
# Vendor names beyond the leading vendor words tuscan.names strips from system names.
KNOWN_VENDORS = frozenset(v.lower() for v in LEADING_VENDORS) | frozenset({
    "netcompany", "visma", "atea", "fujitsu", "cgi", "nets", "itelligence", "globeteam", "miracle",
    "digital identity", "formpipe", "acadre", "workzone", "sbsys", "tabulex", "sundhedsdatastyrelsen",
    "erhvervsstyrelsen", "digitaliseringsstyrelsen", "udbetaling danmark", "styrelsen for it og læring",
})

_CONTRACT_WORDS = (
    r"aftale|kontrakt|licensaftale|serviceaftale|driftsaftale|leveranceaftale|rammeaftale|"
    r"tilslutningsaftale|databehandleraftale|databehandleraftalen|dba|tillæg|tillægsaftale|"
    r"ændringsbilag|allonge|bilag|underbilag|vilkår|brugervilkår|tilbud|ordrebekræftelse|"
    r"kopi|copy|udkast|draft|final|endelig|underskrevet|signeret|scannet|scan|version|ver|rev"
)
# "Aftale om levering af X", "Kontrakt vedr. X", "Databehandleraftale vedrørende X".
_TITLE = re.compile(
    rf"(?<!\w)(?:{_CONTRACT_WORDS})\s+(?:om|vedr\.?|vedrørende|angående|for|til)\s+"
    r"(?:(?:levering|køb|drift|anvendelse|brug|licens|implementering)\s+(?:af|til)\s+)?"
    r"(?:(?:systemet|løsningen|it-systemet|platformen)\s+)?"
    r"[\"'“”«]?(?P<name>[^\n\"'“”»,.;:()]{3,60})",
    re.IGNORECASE,
)
_FILENAME_NOISE = re.compile(
    rf"(?<!\w)(?:{_CONTRACT_WORDS}|nr|no|v\d+|\d+[a-z]?|[a-z]\d*|om|vedr|vedrørende|af|til|for|med|"
    r"og|mellem|the|of|levering|køb|drift|licens|implementering|anskaffelse)(?!\w)",
    re.IGNORECASE,
)
_COPY = re.compile(r"(?<!\w)(kopi|kopier|copy|dublet)(?!\w)", re.IGNORECASE)
_TITLE_STOP = re.compile(r"\s+(?:mellem|between|indgået|af\s+\d|pr\.|dateret|\d{1,2}\.\s)", re.IGNORECASE)

# Signal strengths, in the order of the module docstring; a copy takes its strongest path's signal.
SYSTEM_FOLDER, TITLE, MENTION, FOLDER, FILENAME = 5, 4, 3, 2, 1
SIGNAL_NAMES = {SYSTEM_FOLDER: "vendor/system folder", TITLE: "title", MENTION: "text mention",
                FOLDER: "folder", FILENAME: "file name"}


@dataclass
class NameSignal:
    name: str | None
    vendor: str | None
    strength: int          # SYSTEM_FOLDER … FILENAME, or 0 for no name
    structured: bool       # filed as Vendor/System: a system even without TU evidence


def is_generic_folder(name: str) -> bool:
    """Folders such as "Bilag", "2021" or "Leverandøraftaler 2021" organise an archive; they name
    neither a system nor a vendor."""
    folded = name.strip().lower()
    without_years = re.sub(r"(?<!\d)(19|20)\d\d(?!\d)", " ", folded).strip(" -_.")
    return (folded in GENERIC_FOLDERS or without_years in GENERIC_FOLDERS or bool(_YEAR.match(folded))
            or not any(ch.isalpha() for ch in folded))


def looks_like_vendor(name: str) -> bool:
    folded = name.strip().lower()
    return folded in KNOWN_VENDORS or bool(_COMPANY_FORM.search(folded))


def folder_parts(path: str) -> list[str]:
    """The folders a document is filed in (a zip member is filed where its zip is)."""
    folders = path.split("!")[0].split("/")[:-1]
    return [f for f in folders if f and not is_generic_folder(f)]


def clean_title(raw: str) -> str | None:
    name = _TITLE_STOP.split(raw, maxsplit=1)[0].strip(" -–_")
    return name if normalise(name) and len(name) >= 3 else None


TITLE_WINDOW = 1500   # characters at the top of the first page where a title phrase counts


def title_name(first_page: str) -> str | None:
    """The system named by the first "Aftale om X" phrase near the top of the first page."""
    m = _TITLE.search(first_page[:TITLE_WINDOW])
    return clean_title(m.group("name")) if m else None


def filename_name(path: str) -> str | None:
    stem = re.sub(r"\([^)]*\)", " ", file_stem(path))
    cleaned = _FILENAME_NOISE.sub(" ", stem.replace("_", " "))
    cleaned = re.sub(r"\s+[-–]\s+", " - ", re.sub(r"\s+", " ", cleaned)).strip(" -–_.")
    return cleaned if len(cleaned) >= 3 and normalise(cleaned) else None


def folder_signal(path: str) -> NameSignal | None:
    """The Vendor/System folder signal, when the path has one (no text needed)."""
    folders = folder_parts(path)
    if folders and (len(folders) >= 2 or looks_like_vendor(folders[0])):
        # Vendor/System/…: the first folder is the vendor, the next one that is not a company the system.
        systems = [f for f in folders[1:] if not _COMPANY_FORM.search(f.strip())]
        if systems:
            return NameSignal(systems[0], folders[0], SYSTEM_FOLDER, True)
    return None


def name_signal(path: str, first_page: str, find_names: Callable[[str], list[str]] | None = None
                ) -> NameSignal:
    """Derive the system name for one document from its path, title and text. `find_names` returns
    the known system names (KL lists, KITOS) mentioned in a text; it is only called when needed."""
    by_folder = folder_signal(path)
    if by_folder:
        return by_folder
    folders = folder_parts(path)
    vendor = folders[0] if folders and looks_like_vendor(folders[0]) else None
    title = title_name(first_page)
    if title:
        return NameSignal(title, vendor, TITLE, False)
    find_names = find_names or (lambda _text: [])
    for text in (file_stem(path), first_page):
        mentioned = set(find_names(text))
        if len(mentioned) == 1:
            return NameSignal(mentioned.pop(), vendor, MENTION, False)
    if len(folders) == 1 and vendor is None:
        # A single folder that is neither a vendor nor generic may be a system ("Aula/") or a topic
        # ("Renovation/"): weaker than a title or a known name, stronger than a file name.
        return NameSignal(folders[0], None, FOLDER, False)
    from_file = filename_name(path)
    if from_file:
        return NameSignal(from_file, vendor, FILENAME, False)
    return NameSignal(None, vendor, 0, False)


_MAIN_CONTRACT = re.compile(r"^(?:kontrakt|aftale|licensaftale|serviceaftale|driftsaftale|leveranceaftale|"
                            r"tilslutningsaftale|rammeaftale)(?!\w)", re.IGNORECASE)


def is_main_contract(path: str) -> bool:
    """A file named like the contract itself ("Kontrakt Aula.pdf"), not an annex or a DPA."""
    return bool(_MAIN_CONTRACT.match(file_stem(path)))


def file_stem(path: str) -> str:
    name = path.rsplit("!", 1)[-1].rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


# -------------------------------------------------------------------------------------------------

TERM_LABELS = {
    "nemid": "NemID", "mitid": "MitID", "nemlog-in": "NemLog-in", "mitid erhverv": "MitID Erhverv",
    "nemid erhverv": "NemID Erhverv", "medarbejdersignatur": "medarbejdersignatur",
    "erhvervssignatur": "erhvervssignatur", "virksomhedssignatur": "virksomhedssignatur",
    "oces": "OCES", "pid": "PID", "rid": "RID",
}
KIND_WORDS = {
    "login": "login", "business_login": "login", "tu_term": "TU term", "signing": "signing",
    "pid_rid": "PID/RID", "sensitive": "sensitive data", "ordinary_data": "ordinary personal data",
}
EVIDENCE_PER_TERM = 3   # hits kept as evidence per document and term; the rest are counted in hits


def term_label(term: str) -> str:
    return TERM_LABELS.get(term, term)


def _documents(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        """
        SELECT d.document_id, d.path, d.sha256, c.status
        FROM documents d LEFT JOIN contents c ON c.sha256 = d.sha256
        WHERE d.missing_since_run IS NULL AND COALESCE(c.status, 'error') <> 'container'
        ORDER BY d.path
        """
    ).fetchall()


def _first_pages(con: duckdb.DuckDBPyConnection, hashes: list[str], chunk: int = 2000) -> dict[str, str]:
    """The start of the first page with text, for the documents whose folder names no system."""
    found: dict[str, str] = {}
    for i in range(0, len(hashes), chunk):
        rows = con.execute(
            "SELECT sha256, substr(arg_min(text, page), 1, ?) FROM pages"
            " WHERE sha256 IN (SELECT unnest(?)) AND length(trim(text)) > 0 GROUP BY sha256",
            [TITLE_WINDOW, hashes[i : i + chunk]],
        ).fetchall()
        found.update(rows)
    return found


def _hits(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Per content, the hits that count and the weak login mentions (`extractors.keywords.is_weak`):
    (page, term, group, snippet, login, excluded_by), at most EVIDENCE_PER_TERM of each kind per term,
    so a weak mention early in a document never crowds out a login statement later in it."""
    rows = con.execute(
        """
        SELECT sha256, page, term, term_group, snippet, login, excluded_by FROM (
            SELECT *, row_number() OVER (PARTITION BY sha256, term, excluded_by IS NULL
                                         ORDER BY page, "offset") AS n
            FROM hits WHERE excluded_by IS NULL OR (login AND starts_with(excluded_by, ?))
        )
        WHERE n <= ? ORDER BY sha256, page, "offset"
        """,
        [f"{WEAK_MENTION} (", EVIDENCE_PER_TERM],
    ).fetchall()
    by_sha: dict[str, list[tuple]] = defaultdict(list)
    for sha, *rest in rows:
        by_sha[sha].append(tuple(rest))
    return by_sha


def document_evidence(document_id: int, path: str, hits: Iterable[tuple]) -> list[Evidence]:
    """Evidence from one document's hits: (page, term, group, snippet, login[, excluded_by]). A weak
    login mention becomes WEAK_LOGIN evidence whose detail says why it is not a login."""
    file_name = path.rsplit("!", 1)[-1].rsplit("/", 1)[-1]
    evidence = []
    for page, term, group, snippet, login, *rest in hits:
        excluded_by = rest[0] if rest else None
        if excluded_by is not None:
            if not (login and is_weak(excluded_by)):
                continue
            why = excluded_by.split(": ", 1)[-1]
            evidence.append(Evidence(
                "document", path, WEAK_LOGIN,
                f"{term_label(term)} on p. {page} of {file_name}: {why}",
                term=term, page=page, snippet=snippet, document_id=document_id,
            ))
            continue
        kind = GROUP_TO_KIND.get(group)
        if kind is None:
            continue
        evidence.append(Evidence(
            "document", path, kind,
            f"{term_label(term)} {KIND_WORDS[kind]} on p. {page} of {file_name}",
            term=term, page=page, snippet=snippet, document_id=document_id,
        ))
    return evidence


def document_candidates(con: duckdb.DuckDBPyConnection, known_names: NameMatcher | None = None
                        ) -> list[Candidate]:
    """One candidate per system the archive shows, with the documents and hits behind it."""
    hits = _hits(con)
    docs = _documents(con)
    signals: dict[int, NameSignal] = {}
    # Most archives are filed Vendor/System/: those documents need no text at all.
    unfiled = []
    for document_id, path, sha, _status in docs:
        by_folder = folder_signal(path)
        if by_folder:
            signals[document_id] = by_folder
        else:
            unfiled.append((document_id, path, sha))
    first_pages = _first_pages(con, sorted({sha for _, _, sha in unfiled if sha}))
    def find_names(text: str) -> list[str]:
        return [m.name for m in known_names.find_in_text(text)] if known_names else []

    for document_id, path, sha in unfiled:
        signals[document_id] = name_signal(path, first_pages.get(sha, ""), find_names)
    # A copy filed without a system name joins the system of its original: a path takes the
    # strongest signal among the paths of the same content when its own is weaker, or as strong
    # but the file is called a copy ("Kopi af …"). A path filed as Vendor/System keeps its own:
    # identical standard documents (a template data-processing agreement) belong to many systems.
    by_sha: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for document_id, path, sha, _status in docs:
        if sha:
            by_sha[sha].append((document_id, path))
    for paths in by_sha.values():
        best = max(paths, key=lambda p: (signals[p[0]].strength, signals[p[0]].structured,
                                         not _COPY.search(p[1]), p[1]))
        strongest = signals[best[0]]
        for document_id, path in paths:
            own = signals[document_id]
            if own.strength < strongest.strength or (
                    own.strength == strongest.strength and not own.structured and _COPY.search(path)):
                signals[document_id] = strongest
    # Group documents by the system they name; a group becomes a candidate when it is filed as a
    # system (Vendor/System) or any of its documents has TU evidence.
    groups: dict[str, list[tuple]] = defaultdict(list)
    for doc in docs:
        signal = signals[doc[0]]
        if signal.name:
            groups[normalise(signal.name)].append((doc, signal))
    candidates = []
    for members in groups.values():
        evidence = []
        # The main contract first, so the reason a DPO reads points at it rather than at an annex.
        members.sort(key=lambda m: (not is_main_contract(m[0][1]), m[0][1]))
        for (document_id, path, sha, _status), _signal in members:
            evidence.extend(document_evidence(document_id, path, hits.get(sha, [])))
        structured = any(s.structured for _, s in members)
        has_login = any(e.kind in ("login", "business_login") for e in evidence)
        if not (structured or has_login):
            continue
        best = max((s for _, s in members), key=lambda s: s.strength)
        vendor = next((s.vendor for _, s in members if s.vendor), None)
        candidates.append(Candidate(
            name=best.name, source_kind="document", vendor=vendor, evidence=evidence,
            document_ids=[doc[0] for doc, _ in members], name_signal=SIGNAL_NAMES[best.strength],
            other_names=other_names(best.name, vendor, members, first_pages, find_names, known_names),
        ))
    return candidates


def other_names(name: str, vendor: str | None, members: list[tuple], first_pages: dict[str, str],
                find_names: Callable[[str], list[str]], known_names: NameMatcher | None) -> list[str]:
    """Further name signals of a system, strongest first, for matching against KL's lists: the titles
    of its documents filed without Vendor/System; their folders and the file names of its main
    contracts when they name a list entry (not annexes: "Bilag 5 Integration til FMK" is about an
    integration; a topic folder "Økonomi" names nothing); vendor + product ("EG" + "NetForvaltning
    Sundhed"); and the one known name its first pages mention — only for a system that no title or
    Vendor/System folder names (else the mention is an integration) and no signal above matches."""
    names: list[str] = []

    def add(candidate: str | None, *, only_listed: bool = False) -> None:
        if not candidate or candidate == name or candidate in names:
            return
        if only_listed and (known_names is None or known_names.match_name(candidate) is None):
            return
        names.append(candidate)

    for (_document_id, _path, sha, _status), signal in members:
        if not signal.structured:
            add(title_name(first_pages.get(sha, "")))
    for (_document_id, path, _sha, _status), signal in members:
        if not signal.structured:
            for folder in folder_parts(path):
                if not looks_like_vendor(folder):
                    add(folder, only_listed=True)
        if is_main_contract(path) or signal.strength == FILENAME:
            add(filename_name(path), only_listed=True)
    if vendor and normalise(vendor) and normalise(vendor) not in normalise(name):
        add(f"{vendor} {name}")
    named_well = any(signal.strength >= TITLE for _member, signal in members)
    if known_names is not None and not named_well and not any(known_names.match_names([name, *names])):
        mentioned = {found for (_d, path, sha, _s), signal in members if not signal.structured
                     for text in (file_stem(path), first_pages.get(sha, "")) for found in find_names(text)}
        if len(mentioned) == 1:
            add(mentioned.pop())
    return names
