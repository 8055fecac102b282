"""Fixture builders for the KITOS tests: exports that look like the real ones, and a fake KITOS API.

Exports are built in code from one table of systems, written with either UI generation's headers,
in a shuffled column order, with per-role and unknown columns mixed in — as users' "all columns" /
"shown columns" exports are. `FakeKitos` is a KITOS API v2 stand-in on 127.0.0.1 (http.server in a
thread) with a token endpoint, organisation lookup, paged usages and catalog, and injectable faults.
Its request parameters and answer shapes follow the KITOS source (github.com/os2kitos/kitos):
TokenAuthenticationController.GetToken (HTTP 200, ApiReturnDTO{msg, response: GetTokenResponseDTO}),
OrganizationV2Controller (cvrContent; OrganizationResponseDTO), ItSystemUsageV2Controller
(organizationUuid; ItSystemUsageResponseDTO), ItSystemV2Controller (usedInOrganizationUuid,
includeDeactivated; ItSystemResponseDTO) and BoundedPaginationQuery (page, pageSize 1–250, or 1–100
in older releases: HTTP 400 above), all serialised camelCase with enums as strings.
"""

from __future__ import annotations

import csv
import json
import random
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import openpyxl

SELVBETJENING_UUID = "0b8f7d0e-1111-4c1a-9a55-000000000001"
SUNDHED_UUID = "0b8f7d0e-2222-4c1a-9a55-000000000002"
TABULEX_UUID = "0b8f7d0e-3333-4c1a-9a55-000000000003"
BOOKING_UUID = "0b8f7d0e-4444-4c1a-9a55-000000000004"

# The systems in use (canonical field → value); the CVR forms and suffixes are what KITOS writes.
USAGE = [
    {"name": "Korsbæk Selvbetjening", "uuid": SELVBETJENING_UUID, "parent": "", "local_id": "KB-17",
     "business_type": "Selvbetjening", "rights_holder": "Formularfabrikken A/S (12345678)",
     "vendor": "Formularfabrikken A/S (12345678)", "data_type": "Almindelige persondata",
     "contracts": "Selvbetjeningsaftale 2021", "status": "Aktiv"},
    {"name": "Sygesikringsportalen (Ikke tilgængeligt)", "uuid": SUNDHED_UUID, "parent": "Sundhedsplatform (udgået)",
     "local_id": "", "business_type": "Sundhed", "rights_holder": "Sundhedsdatastyrelsen (33257872)",
     "vendor": "", "data_type": "Følsomme persondata", "contracts": "", "status": "Aktiv"},
    {"name": "Tabulex Børn", "uuid": TABULEX_UUID, "parent": "", "local_id": "",
     "business_type": "Dagtilbud", "rights_holder": "Tabulex ApS (DK)", "vendor": "Tabulex ApS (DK)",
     "data_type": "Almindelige persondata", "contracts": "Tabulex-aftale, Rammeaftale 02.19",
     "status": "Ikke aktiv"},
    {"name": "Lokal Lokalebooking", "uuid": BOOKING_UUID, "parent": "", "local_id": "BK-2",
     "business_type": "Booking", "rights_holder": "", "vendor": "", "data_type": "",
     "contracts": "Bookingaftale", "status": "Aktiv"},
    {"name": "", "uuid": "", "parent": "", "local_id": "X-9", "business_type": "", "rights_holder": "",
     "vendor": "", "data_type": "", "contracts": "", "status": ""},   # no system name: skipped
]

USAGE_HEADERS = {
    "current": {"name": "IT System", "uuid": "IT-System (UUID)", "parent": "Overordnet IT System",
                "local_id": "Lokal System ID", "business_type": "Forretningstype", "rights_holder": "Rettighedshaver",
                "vendor": "Leverandør", "data_type": "DataType", "contracts": "IT Kontrakter", "status": "Status"},
    # The pre-2025 UI (no UUID column, other spellings; "Lokal System ID:" with a colon).
    "old": {"name": "It System", "parent": "Overordnet It System", "local_id": "Lokal System ID:",
            "business_type": "Forretningstype", "rights_holder": "Rettighedshaver", "vendor": "Leverandør",
            "data_type": "Datatype", "contracts": "IT Kontrakter", "status": "Status"},
}

# Per-role and other columns users export that tuscan must ignore.
ROLE_COLUMNS = {"Systemejer": "Anne Andersen", "Systemansvarlig": "Bo Berg", "Noter": "Se sag 17",
                "Sidst redigeret: Bruger": "Carl Clausen"}

CATALOG = [
    {"name": "Tabulex Børn", "uuid": TABULEX_UUID, "rights_holder": "Tabulex ApS (DK)", "count": 45,
     "orgs": ["Aarhus Kommune", "Odense Kommune", "Korsbæk Kommune"], "in_use": "Ja", "visibility": "Offentlig"},
    {"name": "Sygesikringsportalen (Ikke tilgængeligt)", "uuid": SUNDHED_UUID,
     "rights_holder": "Sundhedsdatastyrelsen (33257872)", "count": 98, "orgs": ["Aarhus Kommune", "Korsbæk Kommune"],
     "in_use": "Ja", "visibility": "Offentlig"},
    {"name": "Korsbæk Selvbetjening", "uuid": SELVBETJENING_UUID, "rights_holder": "Formularfabrikken A/S (12345678)",
     "count": 1, "orgs": ["Korsbæk Kommune"], "in_use": "Ja", "visibility": "Lokal"},
    {"name": "Hjemmeplejeplan", "uuid": "0b8f7d0e-5555-4c1a-9a55-000000000005", "rights_holder": "Omsorgsdata A/S (11223344)",
     "count": 12, "orgs": ["Aarhus Kommune"], "in_use": "Nej", "visibility": "Offentlig"},
]

CONTRACTS = [
    {"name": "Bookingaftale", "vendor": "Bytorvet IT ApS (87654321)", "systems": "Lokal Lokalebooking",
     "uuids": BOOKING_UUID, "from": datetime(2021, 3, 1), "to": "31-12-2026"},
    {"name": "Selvbetjeningsaftale 2021", "vendor": "Formularfabrikken A/S (12345678)",
     "systems": "Korsbæk Selvbetjening", "uuids": SELVBETJENING_UUID, "from": "01-02-2021", "to": datetime(2025, 1, 31)},
    {"name": "", "vendor": "Ukendt (99999999)", "systems": "", "uuids": "", "from": "", "to": ""},  # skipped
]


def _shuffled(headers: list[str], rows: list[list], seed: int) -> tuple[list[str], list[list]]:
    order = list(range(len(headers)))
    random.Random(seed).shuffle(order)
    return [headers[i] for i in order], [[row[i] for i in order] for row in rows]


def usage_table(generation: str = "current", *, roles: bool = True, seed: int = 7) -> tuple[list[str], list[list]]:
    names = USAGE_HEADERS[generation]
    headers = list(names.values()) + (list(ROLE_COLUMNS) if roles else [])
    rows = [[system[field] for field in names] + (list(ROLE_COLUMNS.values()) if roles else []) for system in USAGE]
    return _shuffled(headers, rows, seed)


def catalog_table(generation: str = "current", seed: int = 3) -> tuple[list[str], list[list]]:
    if generation == "current":
        headers = ["IT systemnavn", "UUID", "Rettighedshaver", "IT System: Anvendes af",
                   "IT System: Anvendes af organisationer", "Anvendes", "Synlighed", "Systemejer"]
        rows = [[c["name"], c["uuid"], c["rights_holder"], c["count"], ", ".join(c["orgs"]), c["in_use"],
                 c["visibility"], "Anne Andersen"] for c in CATALOG]
    else:   # pre-2025: a separate count, "Anvendes af" holds the names
        headers = ["It System", "Rettighedshaver", "Antal anvendere", "IT System: Anvendes af", "Anvendes"]
        rows = [[c["name"], c["rights_holder"], c["count"], ", ".join(c["orgs"]), c["in_use"]] for c in CATALOG]
    return _shuffled(headers, rows, seed)


def contracts_table(seed: int = 5) -> tuple[list[str], list[list]]:
    headers = ["IT Kontrakt", "Leverandør", "IT Systemer", "IT Systemer (UUID)", "Gyldig fra", "Gyldig til",
               "Kontraktrolle: Kontraktansvarlig"]
    rows = [[c["name"], c["vendor"], c["systems"], c["uuids"], c["from"], c["to"], "Dorte Dahl"] for c in CONTRACTS]
    return _shuffled(headers, rows, seed)


def write_xlsx(path: Path, headers: list[str], rows: list[list], *, sheet: str = "Export") -> Path:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append([None if value == "" else value for value in row])
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, datetime):
                cell.number_format = "dd-mm-yyyy"
    workbook.save(path)
    return path


def write_csv(path: Path, headers: list[str], rows: list[list], *, delimiter: str = ";",
              encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([v.strftime("%d-%m-%Y") if isinstance(v, datetime) else v for v in row])
    return path


# --- a fake KITOS API v2 ------------------------------------------------------------------------

ORG_UUID = "7a6b5c4d-0000-4000-8000-000000000029"
KORSBAEK_CVR = "29189129"
STATE_UUID = "7a6b5c4d-0000-4000-8000-000000000033"
COMPANY_UUID = "7a6b5c4d-0000-4000-8000-000000000012"


def api_usages() -> list[dict]:
    def usage(n: int, uuid: str, name: str, levels: list[str], valid: bool = True) -> dict:
        return {"uuid": f"usage-{n}", "systemContext": {"uuid": uuid, "name": name},
                "organizationContext": {"uuid": ORG_UUID, "name": "Korsbæk Kommune", "cvr": KORSBAEK_CVR},
                "general": {"localCallName": None, "localSystemId": f"L{n}", "validity": {"valid": valid}},
                "gdpr": {"dataSensitivityLevels": levels}}

    return [
        usage(1, SELVBETJENING_UUID, "Korsbæk Selvbetjening", ["PersonData"]),
        usage(2, SUNDHED_UUID, "Sygesikringsportalen (Ikke tilgængeligt)", ["PersonData", "SensitiveData"]),
        usage(3, TABULEX_UUID, "Tabulex Børn", ["PersonData"]),
    ]


def api_systems() -> list[dict]:
    def org(uuid: str, name: str, cvr: str) -> dict:
        return {"uuid": uuid, "name": name, "cvr": cvr}

    kommune = org(ORG_UUID, "Korsbæk Kommune", KORSBAEK_CVR)
    aarhus = org("o-2", "Aarhus Kommune", "55133018")
    return [
        # Not used by Korsbæk: usedInOrganizationUuid leaves it out.
        {"uuid": "0b8f7d0e-5555-4c1a-9a55-000000000005", "name": "Hjemmeplejeplan", "deactivated": False,
         "parentSystem": None, "rightsHolder": org("o-9", "Omsorgsdata A/S", "11223344"),
         "usingOrganizations": [aarhus], "businessType": None},
        {"uuid": SELVBETJENING_UUID, "name": "Korsbæk Selvbetjening", "deactivated": False,
         "rightsHolder": org(COMPANY_UUID, "Formularfabrikken A/S", "12345678"), "usingOrganizations": [kommune],
         "businessType": {"uuid": "bt-1", "name": "Selvbetjening"}},
        {"uuid": SUNDHED_UUID, "name": "Sygesikringsportalen", "deactivated": True,
         "rightsHolder": org(STATE_UUID, "Sundhedsdatastyrelsen", "33257872"),
         "usingOrganizations": [kommune, aarhus], "parentSystem": {"uuid": "ps-1", "name": "Sundhedsplatform"},
         "businessType": {"uuid": "bt-2", "name": "Sundhed"}},
        {"uuid": TABULEX_UUID, "name": "Tabulex Børn", "deactivated": False,
         "rightsHolder": org(COMPANY_UUID, "Formularfabrikken A/S", "12345678"),
         "usingOrganizations": [kommune, aarhus, org("o-3", "Odense Kommune", "35209115")],
         "businessType": None},
    ]


class FakeKitos:
    """A KITOS API v2 on 127.0.0.1. `fail_once` maps a path to an HTTP status answered the first time
    it is requested (then it succeeds), `always_fail` to a status answered every time; every request
    is recorded in `requests`."""

    def __init__(self, email: str = "api@korsbaek.dk", password: str = "hemmeligt-kodeord-42",
                 token: str = "eyJhbGciOiJIUzI1NiJ9.fake-kitos-token.signature", fail_once: dict | None = None,
                 always_fail: dict | None = None, max_page_size: int = 250, forbidden: set | None = None):
        self.email, self.password, self.token = email, password, token
        self.max_page_size = max_page_size      # 250 in current KITOS, 100 in older releases
        self.forbidden = set(forbidden or ())   # organisation UUIDs this user may not read (HTTP 403)
        self.fail_once = dict(fail_once or {})
        self.always_fail = dict(always_fail or {})
        self.requests: list[tuple[str, str, dict, str | None]] = []
        self.usages = api_usages()
        self.systems = api_systems()
        self.organisations = {
            ORG_UUID: {"uuid": ORG_UUID, "name": "Korsbæk Kommune", "cvr": KORSBAEK_CVR, "organizationType": "Municipality"},
            STATE_UUID: {"uuid": STATE_UUID, "name": "Sundhedsdatastyrelsen", "cvr": "33257872",
                         "organizationType": "OtherPublicAuthority"},
            COMPANY_UUID: {"uuid": COMPANY_UUID, "name": "Formularfabrikken A/S", "cvr": "12345678",
                           "organizationType": "Company"},
        }
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):   # keep test output quiet
                pass

            def _reply(self, status: int, body) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append(("POST", self.path, {}, self.headers.get("Authorization")))
                if self.path != "/api/authorize/GetToken":
                    return self._reply(404, {"msg": "not found"})
                if body.get("email") != fake.email or body.get("password") != fake.password:
                    return self._reply(401, {"msg": "Unauthorized", "response": {}})
                return self._reply(200, {"msg": "", "response": {"token": fake.token, "email": fake.email,
                                                                  "loginSuccessful": True,
                                                                  "expires": "2025-01-02T10:00:00Z"}})

            def do_GET(self):
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                fake.requests.append(("GET", parts.path, query, self.headers.get("Authorization")))
                if self.headers.get("Authorization") != f"Bearer {fake.token}":
                    return self._reply(401, {"msg": "Unauthorized"})
                if parts.path in fake.always_fail:
                    return self._reply(fake.always_fail[parts.path], {"msg": "Service unavailable"})
                if parts.path in fake.fail_once:
                    return self._reply(fake.fail_once.pop(parts.path), {"msg": "Internal error"})
                page, size = int(query.get("page", 0)), int(query.get("pageSize", 100))
                if not 1 <= size <= fake.max_page_size:   # BoundedPaginationQuery's [Range]
                    return self._reply(400, {"msg": f"pageSize must be between 1 and {fake.max_page_size}"})

                def paged(items):
                    return self._reply(200, items[page * size:(page + 1) * size])

                if parts.path == "/api/v2/organizations":
                    cvr = query.get("cvrContent", "")
                    return paged([o for o in fake.organisations.values() if cvr and cvr in o["cvr"]])
                if parts.path.startswith("/api/v2/organizations/"):
                    uuid = parts.path.rsplit("/", 1)[1]
                    if uuid in fake.forbidden:
                        return self._reply(403, {"msg": "Forbidden"})
                    org = fake.organisations.get(uuid)
                    return self._reply(200, org) if org else self._reply(404, {"msg": "not found"})
                if parts.path == "/api/v2/it-system-usages":
                    if query.get("organizationUuid") != ORG_UUID:
                        return paged([])
                    return paged(fake.usages)
                if parts.path == "/api/v2/it-systems":
                    systems = fake.systems
                    if query.get("includeDeactivated") != "true":
                        systems = [s for s in systems if not s["deactivated"]]
                    if "usedInOrganizationUuid" in query:
                        used_in = query["usedInOrganizationUuid"]
                        systems = [s for s in systems if any(o["uuid"] == used_in for o in s["usingOrganizations"])]
                    return paged(systems)
                if parts.path.startswith("/api/v2/it-systems/"):
                    found = [s for s in fake.systems if s["uuid"] == parts.path.rsplit("/", 1)[1]]
                    return self._reply(200, found[0]) if found else self._reply(404, {"msg": "not found"})
                return self._reply(404, {"msg": "not found"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeKitos:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def calls(self, path: str) -> list[dict]:
        return [q for _, p, q, _ in self.requests if p == path]


def write_exports(folder: Path, *, usage_name: str = "IT Systemer Overblik.xlsx", catalog: str = "current",
                  contracts_encoding: str = "utf-8-sig") -> dict[str, Path]:
    """The three KITOS exports (usage, catalog, contracts) as a municipality downloads them."""
    return {
        "usage": write_xlsx(folder / usage_name, *usage_table("current")),
        "catalog": write_xlsx(folder / "IT Systemkatalog Overblik.xlsx", *catalog_table(catalog)),
        "contracts": write_csv(folder / "IT Kontrakter Overblik.csv", *contracts_table(),
                               encoding=contracts_encoding),
    }
