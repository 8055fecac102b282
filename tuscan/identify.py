"""Which system is a document about?

Contract archives are filed in many ways. Filed by vendor and system ("EG/NetForvaltning Sundhed/
Aftale …pdf") the folders say it; titles say "Aftale om …" / "Kontrakt vedr. …"; file names carry the
system name next to words such as "Kontrakt", "Bilag 2" or "Databehandleraftale". Exported from an
ESDH or contract-management system, documents sit in case folders ("2017-118203 Aftale - digital
pladsanvisning") under an export root ("Acadre eksport 2024-02-29") and are called "Dok 1234567.pdf":
then neither folder nor file name is the system, and the title page and parties clause
(`tuscan.titles`) and a contract register (`tuscan.register`) say it. This module turns those
signals into one system name per document, and groups the main contract, its annexes, its
data-processing agreement, amendments and copies into one candidate system — KL saw municipalities
report "100+ TU-solutions" that were forms of one (Delrapport 1), so counting each document as a
system would be wrong.

Signals, strongest first:
1. folder: the folder under a vendor folder (Vendor/System/…);
2. title: "Aftale om X", "Kontrakt vedr. X", "Tillæg nr. 3 til kontrakt om X", "Agreement for the
   supply of X" on the first page (`tuscan.titles`); the vendor from the parties clause;
3. a known system name (KL lists, KITOS, a contract register) as the only one in the file name, or
   else on the first page;
4. a known system name in an ESDH case title, or a single folder that is neither a vendor nor
   generic ("Bilag", "Arkiv", "2021", case folders, export roots, "Journaliserede kopier");
5. the file name, with contract words, annex and document numbers removed.
A copy (same content) takes the strongest signal of any of its paths. In an ESDH case a document
naming no system takes the one its case names (if the case names exactly one), and the case's
vendor; a framework agreement's annexes each keep their own. An amendment that names its system
with extra words joins the system whose name it contains. A contract register is about no system.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import duckdb

from extractors.keywords import WEAK_MENTION, is_weak
from tuscan import reasons
from tuscan.candidates import GROUP_TO_KIND, WEAK_LOGIN, Candidate, Evidence
from tuscan.names import LEADING_VENDORS, NameMatcher, normalise
from tuscan.register import RegisterNames, parse_register
from tuscan.titles import (
    TITLE_WINDOW,
    clean_title,
    is_amendment,
    is_framework,
    is_register,
    is_spreadsheet,
    parties_vendor,
    past_cover_sheet,
    title_name,
)

__all__ = ["TITLE_WINDOW", "clean_title", "title_name", "name_signal", "document_candidates"]

# Folders that organise an archive but name no system or vendor.
GENERIC_FOLDERS = frozenset({
    "bilag", "bilag og tillæg", "tillæg", "underbilag", "kontrakter", "kontrakt", "aftaler", "aftale",
    "arkiv", "arkiveret", "diverse", "div", "andet", "øvrige", "scannet", "scanninger", "kopi", "kopier",
    "copies", "old", "gammel", "gamle", "tidligere", "historik", "udløbne", "aktive", "igangværende",
    "databehandleraftaler", "databehandleraftale", "dba", "leverandører", "leverandoeraftaler",
    "leverandøraftaler", "it", "it-kontrakter", "it kontrakter", "udbud", "tilbud", "korrespondance",
    "documents", "dokumenter", "misc", "archive", "contracts", "journaliserede kopier", "journaliseret",
    "journaliserede", "journal", "journalark", "akter", "sagsakter", "dokumentation", "eksport", "export",
})
# Words that organise an archive; a folder made only of them (and years) names nothing:
# "Scannede kontrakter", "Kontrakter og aftaler 2019", "E-mails med kontrakter".
GENERIC_WORDS = frozenset(w for f in GENERIC_FOLDERS for w in f.split()) | frozenset({
    "scannede", "indscannede", "scans", "scan", "mails", "mail", "e-mails", "emails", "e-mail", "post", "indbakke",
    "nye", "alle", "samlet", "samlede", "og", "med", "fra", "til", "af", "i", "the", "of", "and", "signed",
    "underskrevne", "underskrevet", "originaler", "original", "pdf", "word", "eksporterede", "leverandøraftaler",
    "kontraktarkiv", "kontraktmappe", "fællesdrev", "drev", "mappe", "ny", "gl", "gammelt", "afsluttede",
})
# ESDH / contract-management exports file each case as "2017-118203 Aftale - digital pladsanvisning"
# (year, case number, case title): the folder is a case, not a vendor or a system.
# Case numbers: "2017-118203" (year-number), "19/12345" (Acadre), "27.69.48-G01-1-17" (KLE
# journal number, SBSYS); then the case title.
_CASE_FOLDER = re.compile(
    r"^(?:(?:19|20)\d\d[-./ ]\d{2,7}(?:[-./]\d{1,7})*|\d\d/\d{3,7}|\d\d\.\d\d(?:\.\d\d)?-[A-ZÆØÅ]\d\d-\d+-\d\d)"
    r"(?:\s+|$)(?P<title>.*)$")
# The folder an ESDH export is written to: "Acadre eksport 2024-02-29", "SBSYS udtræk", "WorkZone export".
# "_" separates words here ("SBSYS_Export_20240301").
_EXPORT_ROOT = re.compile(r"(?<![a-zæøå0-9])(?:eksport|export|udtræk|udtraek|dump)(?![a-zæøå])", re.IGNORECASE)
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
    r"kopi|copy|udkast|draft|final|endelig|underskrevet|signeret|scannet|scan|version|ver|rev|"
    r"dok|dokument|doc|document|journalnr|sagsnr|akt|aktnr|bilagsnr"
)
_FILENAME_NOISE = re.compile(
    rf"(?<!\w)(?:{_CONTRACT_WORDS}|nr|no|v\d+|\d+[a-z]?|[a-z]\d*|om|vedr|vedrørende|af|til|for|med|"
    r"og|mellem|the|of|levering|køb|drift|licens|implementering|anskaffelse)(?!\w)",
    re.IGNORECASE,
)
_COPY = re.compile(r"(?<!\w)(kopi|kopier|copy|dublet)(?!\w)", re.IGNORECASE)

# Signal strengths, in the order of the module docstring; a copy takes its strongest path's signal.
SYSTEM_FOLDER, TITLE, MENTION, FOLDER, FILENAME = 5, 4, 3, 2, 1
REGISTER = -1   # a contract register: names many systems, is about none
SIGNAL_NAMES = {SYSTEM_FOLDER: "vendor/system folder", TITLE: "title", MENTION: "text mention",
                FOLDER: "folder", FILENAME: "file name"}


@dataclass
class NameSignal:
    name: str | None
    vendor: str | None
    strength: int          # SYSTEM_FOLDER … FILENAME, 0 for no name, REGISTER for a contract register
    structured: bool       # filed as Vendor/System: a system even without TU evidence
    amendment: bool = False  # an amendment or renewal ("Tillæg nr. 3 til kontrakt om X")
    framework: bool = False  # a framework agreement (rammeaftale), whose annexes name the systems


# Asked for every folder of every document's path (three times a document): an archive has far
# fewer folders than documents.
@lru_cache(maxsize=16384)
def is_generic_folder(name: str) -> bool:
    """Folders such as "Bilag", "2021", "Leverandøraftaler 2021", an ESDH case folder
    ("2019-004512 Kontrakt - omsorgssystem") or an export root ("Acadre eksport 2024-02-29")
    organise an archive; they name neither a system nor a vendor."""
    folded = name.strip().lower()
    without_years = re.sub(r"(?<!\d)(19|20)\d\d(?!\d)", " ", folded).strip(" -_.")
    words = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", folded)
    return (folded in GENERIC_FOLDERS or without_years in GENERIC_FOLDERS or bool(_YEAR.match(folded))
            or (bool(words) and all(w in GENERIC_WORDS for w in words))
            or not any(ch.isalpha() for ch in folded) or is_case_folder(name)
            or bool(_EXPORT_ROOT.search(folded)))


def is_case_folder(name: str) -> bool:
    """An ESDH case folder: year and case number, then the case title."""
    return bool(_CASE_FOLDER.match(name.strip()))


def case_folder(path: str) -> str | None:
    """The path of the innermost ESDH case folder a document is filed in, or None."""
    folders = path.split("!")[0].split("/")[:-1]
    for i in range(len(folders) - 1, -1, -1):
        if is_case_folder(folders[i]):
            return "/".join(folders[: i + 1])
    return None


def container_of(path: str) -> str | None:
    """The e-mail or zip file a document belongs to: the path before "!" for a member, the path
    itself for an e-mail (its body); None for other files."""
    if "!" in path:
        return path.split("!", 1)[0]
    return path if path.lower().endswith((".eml", ".msg")) else None


def case_title(path: str) -> str | None:
    """The case title of the document's ESDH case folder ("Tilslutning - Aula"), or None."""
    folder = case_folder(path)
    if not folder:
        return None
    m = _CASE_FOLDER.match(folder.rsplit("/", 1)[-1].strip())
    return m.group("title").strip() or None if m else None


def looks_like_vendor(name: str) -> bool:
    folded = name.strip().lower()
    return folded in KNOWN_VENDORS or bool(_COMPANY_FORM.search(folded))


def folder_parts(path: str) -> list[str]:
    """The folders a document is filed in (a zip member is filed where its zip is)."""
    folders = path.split("!")[0].split("/")[:-1]
    return [f for f in folders if f and not is_generic_folder(f)]


def describe_case(case: str) -> str | None:
    """A case title without its contract words ("Aftale - digital pladsanvisning" → "digital
    pladsanvisning"), or None when nothing but such words is left."""
    cleaned = _FILENAME_NOISE.sub(" ", case.replace("_", " "))
    cleaned = re.sub(r"\s+[-–]\s+", " - ", re.sub(r"\s+", " ", cleaned)).strip(" -–_.")
    return cleaned if len(cleaned) >= 3 and normalise(cleaned) else None


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
    the known system names (KL lists, KITOS, a contract register) mentioned in a text; it is only
    called when needed. The vendor is the vendor folder's, else the parties clause's."""
    by_folder = folder_signal(path)
    if by_folder:
        return by_folder
    folders = folder_parts(path)
    folder_vendor = folders[0] if folders and looks_like_vendor(folders[0]) else None
    if is_register(path, first_page):
        # A contract register lists every contract's title and system: it is about none of them.
        return NameSignal(None, None, REGISTER, False)
    vendor = folder_vendor or parties_vendor(first_page)
    title = title_name(first_page)
    if title:
        return NameSignal(title, vendor, TITLE, False, is_amendment(first_page), is_framework(first_page))
    find_names = find_names or (lambda _text: [])
    for text in (file_stem(path), first_page):
        mentioned = set(find_names(text))
        if len(mentioned) == 1:
            return NameSignal(mentioned.pop(), vendor, MENTION, False)
    # An ESDH case title ("Tilslutning - Aula") is written by a case worker, not the contract: a
    # known system name in it is a folder-strength hint, the rest of its words are not a name.
    case = case_title(path)
    if case:
        mentioned = set(find_names(case))
        if len(mentioned) == 1:
            return NameSignal(mentioned.pop(), vendor, FOLDER, False)
    if len(folders) == 1 and folder_vendor is None:
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


FIRST_PAGES_CHUNK = 2000   # documents whose first pages are read (and held) at a time


def _first_pages(con: duckdb.DuckDBPyConnection, hashes: list[str]) -> dict[str, str]:
    """The start of the first page with text of each document. An ESDH cover sheet (Sagsnr.,
    Dokumenttitel, …) in front of the contract is replaced by its document title and the start of
    the next page, where the contract's title page is."""
    return {sha: past_cover_sheet(pages) for sha, pages in _first_two_texts(con, hashes).items()}


class FirstPage(NamedTuple):
    """What classification still needs of a document's first page once the document has its name
    signal, kept instead of the text: first pages are read a chunk at a time, so memory does not
    grow with the archive's text (on 100,000 small documents the writer's peak fell from 405 to
    292 MB, bench/results.md)."""

    title: str | None                 # the title it gives (`title_name`), for other_names
    mentions: tuple[str, ...] = ()    # known names on it, where it gives no title (other_names)
    framework_text: str = ""          # the text itself, of a framework agreement (drop_frameworks)


_NO_PAGE = FirstPage(None)            # a document without text, or filed as Vendor/System


def first_page_facts(first_page: str, find_names: Callable[[str], list[str]]) -> FirstPage:
    title = title_name(first_page)
    if title is None:
        return FirstPage(None, tuple(find_names(first_page)) if first_page else ())
    return FirstPage(title, framework_text=first_page if is_framework(first_page) else "")


# The top of pages 1 and 2 (or of every page), and whether each has text (its trimmed text is not
# empty). The test is a column, not a WHERE condition: DuckDB pushes a condition into the scan, which
# then decompresses and trims every page of the archive for each chunk of documents (0.37 s per 2,000
# documents of a 100,000-file archive, against 0.08 s; bench/results.md). It looks at the page's start
# first, since trimming a whole page costs as much as the page is long (a DOCX is one page); CASE,
# unlike OR in a column, evaluates its ELSE only for the rows that reach it.
_PAGE_TOPS = """
    SELECT sha256, page, substr(text, 1, ?),
           CASE WHEN trim(substr(text, 1, 200)) <> '' THEN true ELSE trim(text) <> '' END
    FROM pages WHERE sha256 IN (SELECT unnest(?)) {pages}
"""


def _first_two_with_text(rows: list[tuple[str, int, str, bool]]) -> dict[str, list[str]]:
    """Of (sha256, page, top, has text) rows: the tops of each document's first two pages with
    text, by page number — the title page, or an ESDH cover sheet and the page after it."""
    found: dict[str, list[str]] = {}
    for sha, _page, top, has_text in sorted(rows, key=lambda row: (row[0], row[1])):
        if has_text:
            tops = found.setdefault(sha, [])
            if len(tops) < 2:
                tops.append(top)
    return found


def _first_two_texts(con: duckdb.DuckDBPyConnection, hashes: list[str]) -> dict[str, list[str]]:
    """Pages 1 and 2 answer for almost every document, and reading only them keeps DuckDB from
    reading every page of the archive (a dense corpus: 0.7 s → 0.1 s for 1,000 documents, bench/).
    The documents with fewer than two pages of text there and pages beyond (scanned covers, blank
    pages) are asked again over all their pages."""
    if not hashes:
        return {}      # `IN (SELECT unnest([]))` would still read every page
    found = _first_two_with_text(con.execute(_PAGE_TOPS.format(pages="AND page <= 2"),
                                             [TITLE_WINDOW, hashes]).fetchall())
    beyond = {sha for (sha,) in con.execute(
        "SELECT DISTINCT sha256 FROM pages WHERE sha256 IN (SELECT unnest(?)) AND page > 2", [hashes]).fetchall()}
    again = [sha for sha in hashes if sha in beyond and len(found.get(sha, ())) < 2]
    if again:
        found.update(_first_two_with_text(con.execute(_PAGE_TOPS.format(pages=""), [TITLE_WINDOW, again]).fetchall()))
    return found


def _register_entries(con: duckdb.DuckDBPyConnection, unfiled: list[tuple]) -> list:
    """The rows of every contract register among the documents (spreadsheets whose first rows name
    register columns), read from all their pages."""
    sheets = sorted({sha for _, path, sha in unfiled if sha and is_spreadsheet(path)})
    first_pages = _first_pages(con, sheets)
    shas = sorted({sha for _, path, sha in unfiled if sha in first_pages and is_register(path, first_pages[sha])})
    entries = []
    for sha in shas:
        row = con.execute("SELECT string_agg(text, chr(10) ORDER BY page) FROM pages WHERE sha256 = ?",
                          [sha]).fetchone()
        entries.extend(parse_register(row[0] or "") if row else [])
    return entries


def with_register_names(names: list[str], register: RegisterNames, text: str) -> list[str]:
    """Known names found in a text plus the register's system names found there, one per system."""
    if not register:
        return names
    seen = {normalise(n) for n in names}
    for name in register.find_in_text(text):
        if normalise(name) not in seen:
            seen.add(normalise(name))
            names.append(name)
    return names


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
    login mention becomes WEAK_LOGIN evidence whose detail says why it is not a login. Details are
    written from tuscan.reasons templates, so they can be shown in Danish."""
    file_name = path.rsplit("!", 1)[-1].rsplit("/", 1)[-1]
    evidence = []
    for page, term, group, snippet, login, *rest in hits:
        excluded_by = rest[0] if rest else None
        if excluded_by is not None:
            if not (login and is_weak(excluded_by)):
                continue
            why = excluded_by.split(": ", 1)[-1]
            detail = reasons.document_detail(WEAK_LOGIN, term_label(term), page, file_name, why)
            evidence.append(_rendered(detail, "document", path, WEAK_LOGIN, term=term, page=page, snippet=snippet,
                                      document_id=document_id))
            continue
        kind = GROUP_TO_KIND.get(group)
        if kind is None:
            continue
        detail = reasons.document_detail(kind, term_label(term), page, file_name)
        evidence.append(_rendered(detail, "document", path, kind, term=term, page=page, snippet=snippet,
                                  document_id=document_id))
    return evidence


def _rendered(detail: dict, *args, **fields) -> Evidence:
    """Evidence whose detail is the English rendering of a code and values (tuscan.reasons), which
    the report and the web app show in Danish ("NemID-login på s. 1 i Aftale.pdf"): rendered in both
    here, so classification need not read the code back out of the English."""
    code, values = detail["code"], detail["values"]
    return Evidence(*args, reasons.render(code, values, reasons.EN), **fields,
                    detail_da=reasons.render(code, values, reasons.DA))


def drop_frameworks(groups: dict[str, list[tuple]], facts: dict[str, FirstPage]) -> None:
    """A framework agreement filed without a case folder (a flat folder of scans) that names two or
    more of the archive's other systems is about none of them: its documents leave the inventory
    unattributed, the systems keep only their own annexes' evidence."""
    for key in list(groups):
        members = groups[key]
        if not all(s.framework for _, s in members):
            continue
        text = " " + normalise(" ".join(facts.get(doc[2], _NO_PAGE).framework_text for doc, _ in members)) + " "
        others = [k for k in groups if k != key and k and f" {k} " in text]
        if len(others) >= 2:
            del groups[key]


def join_amendments(groups: dict[str, list[tuple]]) -> None:
    """An amendment or renewal that names its system with more words than the contract does
    ("Tillæg til kontrakt om omsorgssystemet KMD Nexus") joins the system whose name it contains
    word by word (the longest such name); other documents never join a shorter name, because
    "Korsbæk Storskrald" and "Korsbæk Storskrald Erhverv" may be two products."""
    keys = sorted(groups, key=lambda k: -len(k.split()))
    for key in keys:
        members = groups.get(key)
        if not members or not all(s.amendment for _, s in members):
            continue
        tokens = key.split()
        targets = [k for k in groups if k != key and k.split() and _contains(tokens, k.split())
                   and not all(s.amendment for _, s in groups[k])]
        if targets:
            target = max(targets, key=lambda k: len(k.split()))
            groups[target].extend(groups.pop(key))


def _contains(tokens: list[str], part: list[str]) -> bool:
    return any(tokens[i:i + len(part)] == part for i in range(len(tokens) - len(part) + 1))


def inherit_case_signals(docs: list[tuple], signals: dict[int, NameSignal]) -> None:
    """In an ESDH export a case folder holds one contract and its annexes ("Bilag 2.pdf"): a document
    whose own text names no system takes the system of its case when the case's documents name
    exactly one; a document without a vendor takes the case's vendor when the case names one.
    A case whose documents name several systems (a framework agreement and its annexes) passes
    nothing on: each annex keeps its own system and evidence. Outside case folders an e-mail or a
    zip file is such a case for its body and attachments ("mail.eml", "mail.eml!Kontrakt.pdf")."""
    by_case: dict[str, list[int]] = defaultdict(list)
    for document_id, path, _sha, _status in docs:
        folder = case_folder(path) or container_of(path)
        if folder and not signals[document_id].structured:
            by_case[folder].append(document_id)
    for folder, members in by_case.items():
        named = [signals[d] for d in members if signals[d].name and signals[d].strength >= MENTION]
        names = {normalise(s.name) for s in named}
        # A framework agreement whose case holds annexes for two or more systems is about none of
        # them: its general requirements ("the solutions must support MitID") are no system's evidence.
        annexes = {normalise(s.name) for s in named if not s.framework}
        if len(annexes) >= 2:
            for document_id in members:
                if signals[document_id].framework:
                    signals[document_id] = NameSignal(None, signals[document_id].vendor, 0, False)
            named = [s for s in named if not s.framework]
            names = annexes
        vendors = {s.vendor for s in (signals[d] for d in members) if s.vendor}
        # No document of the case names a system: the case title's own words ("Aftale - digital
        # pladsanvisning" → "digital pladsanvisning") are the best name there is. Weak (folder
        # strength), but documents with login evidence must not be lost for want of a name, and
        # list matching may still recognise the words.
        described = describe_case(case_title(folder + "/x") or "") if not names else None
        for document_id in members:
            own = signals[document_id]
            if len(names) == 1 and REGISTER < own.strength < MENTION:
                source = max(named, key=lambda s: s.strength)
                own = NameSignal(source.name, own.vendor or source.vendor, source.strength, False)
            elif described and own.name is None and own.strength > REGISTER:
                own = NameSignal(described, own.vendor, FOLDER, False)
            if own.vendor is None and len(vendors) == 1:
                own = NameSignal(own.name, next(iter(vendors)), own.strength, own.structured)
            signals[document_id] = own


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
    register = RegisterNames(_register_entries(con, unfiled))

    def find_names(text: str) -> list[str]:
        names = [m.name for m in known_names.find_in_text(text)] if known_names else []
        return with_register_names(names, register, text)

    facts = _name_unfiled(con, unfiled, signals, find_names)
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
    inherit_case_signals(docs, signals)
    # Group documents by the system they name; a group becomes a candidate when it is filed as a
    # system (Vendor/System) or any of its documents has TU evidence.
    groups: dict[str, list[tuple]] = defaultdict(list)
    for doc in docs:
        signal = signals[doc[0]]
        if signal.name:
            groups[normalise(signal.name)].append((doc, signal))
    join_amendments(groups)
    drop_frameworks(groups, facts)
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
        # The strongest signal; among equals the contract's own name rather than an amendment's, and
        # a name written as a name ("KMD Digital Pladsanvisning") rather than in running text.
        best = max((s for _, s in members),
                   key=lambda s: (s.strength, not s.amendment, s.name != s.name.lower(), len(s.name)))
        vendor = next((s.vendor for _, s in members if s.vendor), None) or register.vendor_for(best.name)
        # A contract register's system column names the system as the municipality knows it.
        name = (register.system_for(best.name, vendor) if register else None) or best.name
        candidates.append(Candidate(
            name=name, source_kind="document", vendor=vendor, evidence=evidence,
            document_ids=[doc[0] for doc, _ in members], name_signal=SIGNAL_NAMES[best.strength],
            other_names=other_names(best.name, vendor, members, facts, find_names, known_names),
        ))
    return candidates


def _name_unfiled(con: duckdb.DuckDBPyConnection, unfiled: list[tuple], signals: dict[int, NameSignal],
                  find_names: Callable[[str], list[str]]) -> dict[str, FirstPage]:
    """Name signals of the documents whose folders name no system, from their first pages, read
    `FIRST_PAGES_CHUNK` documents at a time; returns what later steps need of each first page."""
    by_sha: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for document_id, path, sha in unfiled:
        if sha:
            by_sha[sha].append((document_id, path))
        else:
            signals[document_id] = name_signal(path, "", find_names)
    found: dict[str, list[str]] = {}     # name_signal and first_page_facts ask about the same texts

    def find_once(text: str) -> list[str]:
        if text not in found:
            found[text] = find_names(text)
        return found[text]

    facts: dict[str, FirstPage] = {}
    hashes = sorted(by_sha)
    for i in range(0, len(hashes), FIRST_PAGES_CHUNK):
        first_pages = _first_pages(con, hashes[i : i + FIRST_PAGES_CHUNK])
        found.clear()
        for sha in hashes[i : i + FIRST_PAGES_CHUNK]:
            first_page = first_pages.get(sha, "")
            for document_id, path in by_sha[sha]:
                signals[document_id] = name_signal(path, first_page, find_once)
            facts[sha] = first_page_facts(first_page, find_once)
    return facts


def other_names(name: str, vendor: str | None, members: list[tuple], facts: dict[str, FirstPage],
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
            add(facts.get(sha, _NO_PAGE).title)
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
                     for found in (*find_names(file_stem(path)), *facts.get(sha, _NO_PAGE).mentions)}
        if len(mentioned) == 1:
            add(mentioned.pop())
    return names
