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
