"""One fixture builder for the output tests (queries, report, share): a small inventory written
directly into the tables, with the cases the outputs must handle — every category, an ambiguous and
a low-score match, a person's decision, two classification runs (new / changed / gone), unreadable
documents, and hostile text (an HTML-tag file name, a script in a snippet, a masked CPR number).
"""

from __future__ import annotations

import json
from pathlib import Path

from tuscan import db as database
from tuscan import reasons

EVIL_NAME = "<img src=x onerror=alert(1)>.pdf"
EVIL_PATH = f"Ukendt leverandør/{EVIL_NAME}"
EVIL_SNIPPET = "Log ind med MitID <script>alert(2)</script> på portalen"
CPR_SNIPPET = "Borgerens CPR-nummer XXXXXX-XXXX vises efter login med MitID"
ROOT = "/srv/kontrakter"

# (system_id, system, key, vendor, category, level, flags, list, list name, score, ambiguous, reason,
#  sources, decided_by)
SYSTEMS = [
    (1, "Korsbæk Parkering", "korsbæk parkering", "Parkeringsfirma A/S", "own", "Lav", [], None, None, None, False,
     "No KL list match; MitID login on p. 1 of Kontrakt Parkering.pdf", ["document", "web"], "rules"),
    (2, "Korsbæk Byggesag", "korsbæk byggesag", "Bytorvet IT", "own", "Betydelig", ["signing", "pid_rid"], None,
     None, None, False, "No KL list match; NemID login on p. 2 of Kontrakt Byggesag.pdf", ["document"], "rules"),
    (3, "Korsbæk Kolonihaver", "korsbæk kolonihaver", "Nordlys Software", "own", "Lav", [], None, None, None,
     False, "Decided by a person: kun navn og adresse", ["document"], "person"),
    (4, "Aula", "aula", "KOMBIT", "shared", None, [], "kl_shared_tu", "Aula", 100.0, False,
     "Matched KL's shared list 'Aula' (score 100)", ["document"], "rules"),
    (5, "Netforvaltning", "netforvaltning", "EG", "shared", None, [], "kl_shared_tu", "EG Netforvaltning Sundhed",
     92.0, False, "Matched KL's shared list 'EG Netforvaltning Sundhed' (score 92)", ["document"], "rules"),
    (6, "Social Pension", "social pension", None, "shared", None, [], "kl_shared_tu", "KMD Social Pension", 97.0,
     True, "Matched KL's shared list 'KMD Social Pension' (score 97); also close to 'KOMBIT Social Pension'",
     ["kitos"], "rules"),
    (7, "FMK", "fmk", "Sundhedsdatastyrelsen", "common_public", None, [], "kl_common_public",
     "FMK - Fælles Medicinkort", 100.0, False, "Matched KL's list of common public solutions", ["document"],
     "rules"),
    (8, "Korsbæk Booking", "korsbæk booking", None, "unknown", None, ["signing"], None, None, None, False,
     "A login link on the website, but no document says who uses it", ["web"], "rules"),
    (9, "Fenix Økonomi", "fenix økonomi", "Fenix Systemer", "not_tu", None, [], None, None, None, False,
     "No NemID, MitID, NemLog-in or medarbejdersignatur login in its documents", ["document"], "rules"),
]

# (document_id, path, sha256, status, error, system_id)
DOCUMENTS = [
    (1, "Parkeringsfirma/Kontrakt Parkering.pdf", "a1", "ok", None, 1),
    (2, "Bytorvet IT/Kontrakt Byggesag.pdf", "a2", "ok", None, 2),
    (3, "KOMBIT/Aula/Kontrakt Aula.pdf", "a3", "ok", None, 4),
    (4, EVIL_PATH, "a4", "error", "corrupt or truncated PDF", 8),
    (5, "Fenix/Kontrakt Fenix 2009.doc", "a5", "unsupported", "Word 97-2003 document (.doc)", 9),
    (6, "Scanninger/Aftale uden tekst.pdf", "a6", "no_text", "no text layer (OCR not installed)", None),
]

# (system_id, source_kind, source_ref, document_id, page, kind, term, detail, snippet)
EVIDENCE = [
    (1, "document", DOCUMENTS[0][1], 1, 1, "login", "mitid", "MitID login on p. 1", "Borgere logger på med MitID"),
    (1, "document", DOCUMENTS[0][1], 1, 1, "ordinary_data", "navn og adresse", "navn og adresse ordinary data",
     "Løsningen behandler navn og adresse"),
    (1, "web", "https://www.korsbaek.dk/parkering", None, None, "login", "https://parkering.korsbaek.dk",
     "Log ind med MitID", None),
    (2, "document", DOCUMENTS[1][1], 2, 2, "login", "nemid", "NemID login on p. 2 of Kontrakt Byggesag.pdf",
     CPR_SNIPPET),
    (2, "document", DOCUMENTS[1][1], 2, 3, "sensitive", "helbredsoplysninger",
     "helbredsoplysninger sensitive data on p. 3 of Kontrakt Byggesag.pdf", "Sagen kan indeholde helbredsoplysninger"),
    (2, "document", DOCUMENTS[1][1], 2, 3, "signing", "oces", "OCES signing on p. 3 of Kontrakt Byggesag.pdf",
     "Ansøgninger underskrives med OCES"),
    (2, "document", DOCUMENTS[1][1], 2, 4, "pid_rid", "pid", "PID PID/RID on p. 4 of Kontrakt Byggesag.pdf",
     "PID overføres til fagsystemet"),
    (4, "document", DOCUMENTS[2][1], 3, 1, "login", "mitid", "MitID login on p. 1", "Forældre logger på med MitID"),
    (7, "document", "Sundhedsdatastyrelsen/FMK.txt", None, 1, "business_login", "medarbejdersignatur",
     "medarbejdersignatur login", "Medarbejdere logger på FMK med medarbejdersignatur"),
    (8, "document", EVIL_PATH, 4, 1, "login", "mitid", "MitID login", EVIL_SNIPPET),
    (8, "document", EVIL_PATH, 4, 1, "signing", "signering", "signing", "Aftaler signeres digitalt"),
]

# Reasons stored as code + values (tuscan.reasons), as classification writes them; the other rows
# hold only an English `reason`, as a database classified before reasons had codes does.
REASON_CODES = {
    2: ("own", {"login": {"code": "doc_login",
                          "values": {"term": "NemID", "page": 2, "file": "Kontrakt Byggesag.pdf"}}}),
    9: ("no_login", {}),
}

# The previous classification run (run 1): Korsbæk Parkering was unknown, Korsbæk Byggesag was Lav
# with only 'signing', "Gammelt Fagsystem" existed, Korsbæk Booking did not.
HISTORY_RUN_1 = [
    ("Korsbæk Parkering", "korsbæk parkering", "unknown", None, []),
    ("Korsbæk Byggesag", "korsbæk byggesag", "own", "Lav", ["signing"]),
    ("Korsbæk Kolonihaver", "korsbæk kolonihaver", "own", "Lav", []),
    ("Aula", "aula", "shared", None, []),
    ("Netforvaltning", "netforvaltning", "shared", None, []),
    ("Social Pension", "social pension", "shared", None, []),
    ("FMK", "fmk", "common_public", None, []),
    ("Fenix Økonomi", "fenix økonomi", "not_tu", None, []),
    ("Gammelt Fagsystem", "gammelt fagsystem", "own", "Lav", []),
]


def build_output_db(path: str | Path) -> Path:
    """Write the fixture inventory to `path` (a new file) and return it."""
    path = Path(path)
    with database.writing(path, command="test-fixture") as con:
        con.execute("INSERT INTO runs (run_id, kind, status) VALUES (1, 'classify', 'finished'),"
                    " (2, 'discover', 'finished'), (3, 'classify', 'finished')")
        for doc_id, doc_path, sha, status, error, _system in DOCUMENTS:
            con.execute("INSERT INTO contents (sha256, size, status, error, page_count) VALUES (?, ?, ?, ?, ?)",
                        [sha, 1000 + doc_id, status, error, 4 if status == "ok" else None])
            con.execute("INSERT INTO documents (document_id, root, path, size, sha256, first_seen_run, last_seen_run)"
                        " VALUES (?, ?, ?, ?, ?, 2, 2)", [doc_id, ROOT, doc_path, 1000 + doc_id, sha])
        for row in SYSTEMS:
            evidence_count = sum(1 for e in EVIDENCE if e[0] == row[0])
            con.execute("INSERT INTO systems (system_id, system, system_key, vendor, category, suggested_level, flags,"
                        " matched_list, matched_name, match_score, ambiguous, reason, sources, decided_by,"
                        " evidence_count, classified_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 3)",
                        [*row, evidence_count])
        for system_id, (code, values) in REASON_CODES.items():
            con.execute("UPDATE systems SET reason_code = ?, reason_values = ?, reason_da = ? WHERE system_id = ?",
                        [code, json.dumps(values), reasons.render(code, values, "da"), system_id])
        for row in EVIDENCE:
            con.execute("INSERT INTO system_evidence (system_id, source_kind, source_ref, document_id, page, kind, term,"
                        " detail, snippet) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", list(row))
        for doc_id, _p, sha, _s, _e, system_id in DOCUMENTS:
            if system_id:
                con.execute("INSERT INTO document_systems VALUES (?, ?, 'folder')", [doc_id, system_id])
            if doc_id in (1, 2, 3):
                con.execute("INSERT INTO hits VALUES (?, 1, 0, 5, 'mitid', 'citizen_login', 'MitID', 'MitID', true,"
                            " NULL, false)", [sha])
        con.execute("INSERT INTO decisions (system, system_key, category, level, note, decided_by)"
                    " VALUES ('Korsbæk Kolonihaver', 'korsbæk kolonihaver', 'own', 'Lav', 'kun navn og adresse', 'dpo')")
        for system, key, category, level, flags in HISTORY_RUN_1:
            con.execute("INSERT INTO inventory_history VALUES (1, ?, ?, ?, ?, ?, 'rules')",
                        [system, key, category, level, flags])
        for row in SYSTEMS:
            con.execute("INSERT INTO inventory_history VALUES (3, ?, ?, ?, ?, ?, ?)",
                        [row[1], row[2], row[4], row[5], row[6], row[13]])
    return path
