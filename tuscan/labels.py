"""Danish labels for what tuscan shows people: categories, levels, flags, source kinds.

The one place these words live, so the report, the workbook and the KL list say the same thing. The
category names are KL's (Delrapport 1 and 2): *egen TU-løsning*, *TU-løsning som flere kommuner
anvender*, *fællesoffentlig løsning*.
"""

from __future__ import annotations

# In the order a DPO reads them: what needs work first.
CATEGORY_ORDER: tuple[str, ...] = ("own", "unknown", "shared", "common_public", "not_tu")

CATEGORY_LABELS: dict[str, str] = {
    "own": "Egen TU-løsning",
    "shared": "TU-løsning som flere kommuner anvender",
    "common_public": "Fællesoffentlig løsning",
    "not_tu": "Ikke TU-løsning",
    "unknown": "Uafklaret",
}

# Excel limits sheet names to 31 characters, so the workbook uses short names (full label in A1's note).
CATEGORY_SHEETS: dict[str, str] = {
    "own": "Egne TU-løsninger",
    "shared": "Flere kommuner",
    "common_public": "Fællesoffentlige",
    "not_tu": "Ikke TU-løsninger",
    "unknown": "Uafklarede",
}

LEVEL_LABELS: dict[str | None, str] = {"Lav": "Lav", "Betydelig": "Betydelig", None: "Ikke vurderet"}

# Checklist for own solutions (Delrapport 1, "Tjekliste for egne løsninger").
FLAG_LABELS: dict[str, str] = {
    "signing": "Dokumentsignering (skal ombygges til MitID)",
    "pid_rid": "PID/RID i integration (skal over på UUID)",
}

SOURCE_LABELS: dict[str, str] = {"document": "Dokument", "kitos": "KITOS", "web": "Hjemmeside"}


def category_label(category: str | None) -> str:
    return CATEGORY_LABELS.get(category or "", category or "")


def level_label(level: str | None) -> str:
    return LEVEL_LABELS.get(level, level or "")


def flag_label(flag: str) -> str:
    return FLAG_LABELS.get(flag, flag)


def source_label(kind: str) -> str:
    return SOURCE_LABELS.get(kind, kind)


# The status of a checklist item (Delrapport 1, "Tjekliste for egne løsninger"), as `tuscan serve` shows it.
CHECKLIST_STATUS_LABELS: dict[str, str] = {
    "not_started": "Ikke startet",
    "in_progress": "I gang",
    "done": "Afklaret",
    "not_relevant": "Ikke relevant",
}

# What a piece of evidence is (system_evidence.kind).
EVIDENCE_KIND_LABELS: dict[str, str] = {
    "login": "Borgerlogin (NemID/MitID/NemLog-in)",
    "business_login": "Erhvervslogin (medarbejdersignatur/MitID Erhverv)",
    "tu_term": "Nævner tjenesteudbyder/TU-løsning",
    "signing": "Dokumentsignering",
    "pid_rid": "PID/RID",
    "sensitive": "Følsomme oplysninger",
    "ordinary_data": "Almindelige personoplysninger",
    "shared_signal": "Bruges af flere organisationer (KITOS)",
    "common_public_signal": "Ejes af en anden myndighed (KITOS)",
    "own_domain_login": "Login på kommunens eget domæne",
    "login_page": "Login-side hos tredjepart",
    "mention": "Omtale uden mere",
    "weak_login": "Svag omtale af login (en person afgør)",
}

# KL's and KITOS's reference lists (inventory.matched_list), by the names the reports give them; the
# reasons (tuscan.reasons) quote the same names.
LIST_LABELS_DA: dict[str, str] = {
    "kl_common_public": "KL's liste over fællesoffentlige løsninger (Delrapport 2, Bilag 1)",
    "kl_shared_tu": "KL's liste over TU-løsninger som flere kommuner anvender (Delrapport 1, Bilag 3)",
    "kitos_common_systems": "KITOS' liste over systemer, der anvendes af 20+ kommuner (Delrapport 1, Bilag 4)",
}

# document_findings.status
DOCUMENT_STATUS_LABELS: dict[str, str] = {
    "ok": "Læst", "error": "Fejl", "unsupported": "Formatet kan ikke læses", "no_text": "Ingen tekst",
    "missing": "Forsvundet", "container": "Arkiv",
}

# runs.kind and runs.status
RUN_KIND_LABELS: dict[str, str] = {
    "discover": "Scanning", "classify": "Klassifikation", "kitos": "KITOS-import", "crawl": "Hjemmeside",
}
RUN_STATUS_LABELS: dict[str, str] = {
    "running": "Kører", "finished": "Færdig", "failed": "Fejlet", "interrupted": "Afbrudt",
}


def checklist_status_label(status: str | None) -> str:
    return CHECKLIST_STATUS_LABELS.get(status or "not_started", status or "")


def evidence_kind_label(kind: str) -> str:
    return EVIDENCE_KIND_LABELS.get(kind, kind)


def list_label(name: str | None) -> str:
    return LIST_LABELS_DA.get(name or "", name or "")
