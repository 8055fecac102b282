"""Cell values of KITOS exports → Python values.

KITOS writes names with suffixes for systems that are no longer available, organisations as
"Navn (CVR)", dates as "dd-MM-yyyy" text or as Excel dates, lists joined with ", ", and Ja/Nej.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

# " (Ikke tilgængeligt)": the system was deactivated in the catalog; " (udgået)": phased out.
_INACTIVE_SUFFIX = re.compile(r"\s*\((?:ikke tilgængeligt|ikke tilgængelig|udgået)\)\s*$", re.IGNORECASE)
# The last brackets of "Navn (CVR)": 8 CVR digits, or a foreign id (a country code, maybe with digits).
_NAME_CVR = re.compile(
    r"^(?P<name>.*\S)\s*\((?P<cvr>\d{6,12}|[A-Z]{2}|[A-Z]{2}[ -]?[0-9A-Z]*\d[0-9A-Z]*)\)\s*$")
_DATE_FORMATS = ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%y")
_EXCEL_EPOCH = date(1899, 12, 30)
# State authorities and regions: KITOS's organisation type "Anden offentlig myndighed"
# (OtherPublicAuthority). Municipalities and KOMBIT are deliberately not matched: another
# municipality's system is shared at most, not fællesoffentlig (KL Delrapport 2, Bilag 1).
PUBLIC_AUTHORITY_WORDS = re.compile(
    r"(styrelsen\b|ministeriet\b|direktoratet\b|agenturet\b|rigsarkivet|rigspolitiet|udbetaling danmark|"
    r"skatteforvaltningen|^region\b|\bregion [a-zæøå]+$|\batp\b|^statens\b|danmarks statistik)",
    re.IGNORECASE,
)


def text(value: object) -> str | None:
    """A stripped string, or None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = str(value).replace("\u00a0", " ").strip()
    return result or None


def clean_name(value: object) -> tuple[str | None, bool]:
    """(name without the inactive suffix, whether the suffix said the system is unavailable)."""
    name = text(value)
    if name is None:
        return None, False
    stripped = _INACTIVE_SUFFIX.sub("", name)
    inactive = stripped != name
    while True:  # "X (udgået) (Ikke tilgængeligt)"
        again = _INACTIVE_SUFFIX.sub("", stripped)
        if again == stripped:
            break
        stripped = again
    return stripped.strip() or None, inactive


def split_name_cvr(value: object) -> tuple[str | None, str | None]:
    """'Netcompany A/S (14814833)' → ('Netcompany A/S', '14814833'); 'Microsoft (US)' → ('Microsoft', 'US').
    Brackets that do not hold an id ('Kommune (Teknik og Miljø)') stay part of the name."""
    name, _ = clean_name(value)
    if name is None:
        return None, None
    m = _NAME_CVR.match(name)
    if not m:
        return name, None
    return m.group("name").strip(), m.group("cvr").replace(" ", "")


def split_list(value: object) -> list[str]:
    """'A, B (Ikke tilgængeligt), C' → ['A', 'B', 'C'] (KITOS joins lists with ', ')."""
    raw = text(value)
    if raw is None:
        return []
    items = []
    for part in re.split(r",(?:\s+|$)|\n|;\s*", raw):
        name, _ = clean_name(part)
        if name:
            items.append(name)
    return items


def yes_no(value: object) -> bool | None:
    raw = (text(value) or "").lower()
    if raw in ("ja", "yes", "true", "sand", "1", "x"):
        return True
    if raw in ("nej", "no", "false", "falsk", "0"):
        return False
    return None


def to_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    raw = text(value)
    if raw and re.fullmatch(r"\d+", raw.replace(".", "")):
        return int(raw.replace(".", ""))
    return None


def to_date(value: object) -> date | None:
    """A cell as a date: an Excel date, an Excel serial number, or 'dd-MM-yyyy' text (also with a
    time, '.' or '/', or ISO). Unparseable text gives None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _EXCEL_EPOCH + timedelta(days=int(value)) if 1 <= value < 2958466 else None
    raw = text(value)
    if raw is None:
        return None
    if re.fullmatch(r"\d{4,5}(?:[.,]\d+)?", raw):   # a serial number saved as text (CSV)
        return _EXCEL_EPOCH + timedelta(days=int(float(raw.replace(",", "."))))
    head = raw.split()[0].split("T")[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(head, fmt).date()
        except ValueError:
            continue
    return None


def is_inactive_status(value: object) -> bool:
    raw = (text(value) or "").lower()
    return raw in ("ikke aktiv", "ikke aktivt", "ikke gyldig", "inaktiv", "deaktiveret", "nej", "false",
                   "ikke tilgængeligt", "udgået")


def looks_like_public_authority(name: str | None) -> bool | None:
    """Exports do not carry the rights holder's organisation type (the API does): a name such as
    'Sundhedsdatastyrelsen' or 'Region Midtjylland' is taken as a public authority. None: no name."""
    if not name:
        return None
    return bool(PUBLIC_AUTHORITY_WORDS.search(name))
