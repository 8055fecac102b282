"""KITOS API v2 client: the municipality's systems in use and their catalog entries.

    data = fetch("https://kitos.dk", "29189129", email, password)

Checked against the KITOS source (github.com/os2kitos/kitos, Presentation.Web): JSON property names
are the C# DTO properties in camelCase (CamelCasePropertyNamesContractResolver), and v2 enums are
strings (StringEnumConverter; integers only if a client asks for them by header — tolerated too).

- token: `POST /api/authorize/GetToken` with {"email", "password"} (UserCredentialsDTO) → HTTP 200
  `{"msg": "", "response": {"token", "email", "loginSuccessful", "expires"}}` (the v1 ApiReturnDTO
  wrapper around GetTokenResponseDTO; refused credentials are HTTP 401). The token is a 24-hour JWT
  sent as `Authorization: Bearer …`. Credentials come from the environment (KITOS_EMAIL,
  KITOS_PASSWORD; see `credentials_from_env`); neither they nor the token are ever logged, stored or
  put in an error text.
- organisation: `GET /api/v2/organizations?cvrContent=CVR` → [{uuid, name, cvr, organizationType}];
- systems in use: `GET /api/v2/it-system-usages?organizationUuid=…` → [{uuid, systemContext{uuid,
  name}, organizationContext, general{localSystemId, localCallName, validity{valid, …}},
  gdpr{dataSensitivityLevels: None|PersonData|SensitiveData|LegalData}, …}];
- catalog entries of those systems: `GET /api/v2/it-systems?usedInOrganizationUuid=…&includeDeactivated=true`
  → [{uuid, name, parentSystem{uuid,name}, rightsHolder{uuid,name,cvr}, usingOrganizations[{uuid,name,
  cvr}], businessType{uuid,name}, deactivated, …}]; a system the listing missed is fetched by
  `GET /api/v2/it-systems/{uuid}`;
- rights holders' organisation type: `GET /api/v2/organizations/{uuid}` → {…, organizationType:
  Municipality|CommunityOfInterest|Company|OtherPublicAuthority} (OtherPublicAuthority → a
  common-public signal; rightsHolder itself carries no type).
Lists are paged with `page` (0-based) and `pageSize` until a short page. KITOS allows pageSize 1–250
(BoundedPaginationQuery; older releases 1–100 and answer 400 above that, so the default is 100 and a
400 for a larger page size falls back to 100). Requests time out, 429 and 5xx answers (and dropped
connections) are retried with exponential backoff; 401/403 raise KitosAuthError (except a 403 for a
rights holder's organisation, which only leaves its type unknown).
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

from tuscan.errors import TuscanError
from tuscan.kitos.exports import KitosSystemRow
from tuscan.kitos.values import clean_name

log = logging.getLogger("tuscan.kitos")

ENV_EMAIL = "KITOS_EMAIL"
ENV_PASSWORD = "KITOS_PASSWORD"
MAX_PAGE_SIZE = 250          # BoundedPaginationQuery's upper bound in current KITOS
SAFE_PAGE_SIZE = 100         # the upper bound in older KITOS releases (PagingContraints.MaxPageSize)
DEFAULT_PAGE_SIZE = SAFE_PAGE_SIZE
DEFAULT_TIMEOUT = 30.0
# OrganizationType (Presentation.Web/Models/API/V2/Types/Organization/OrganizationType.cs):
# Municipality = 1, CommunityOfInterest = 2, Company = 3, OtherPublicAuthority = 4.
PUBLIC_AUTHORITY_TYPES = {"OtherPublicAuthority", "AndenOffentligMyndighed", "4"}
SENSITIVITY_LABELS = {      # API v2 gdpr.dataSensitivityLevels → the usage export's DataType
    "SensitiveData": "Følsomme persondata",
    "LegalData": "Straffedomme og lovovertrædelser",
    "PersonData": "Almindelige persondata",
    "None": "Ingen persondata",
}
# DataSensitivityLevelChoice as integers (None = 0, PersonData = 1, SensitiveData = 2, LegalData = 3).
SENSITIVITY_NUMBERS = {"0": "None", "1": "PersonData", "2": "SensitiveData", "3": "LegalData"}


class KitosApiError(TuscanError):
    """The KITOS API could not be used (network, unexpected answer)."""


class KitosAuthError(KitosApiError):
    """KITOS refused the credentials or the token (HTTP 401/403)."""


class KitosCredentialsMissing(KitosApiError):
    """KITOS_EMAIL / KITOS_PASSWORD are not set."""


class KitosOrganisationNotFound(KitosApiError):
    """No KITOS organisation has the given CVR number."""


@dataclass
class KitosOrganisation:
    uuid: str
    name: str
    cvr: str | None


@dataclass
class KitosData:
    """What one fetch found: the organisation, its systems in use and their catalog entries."""

    organisation: KitosOrganisation
    systems: list[KitosSystemRow] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    requests: int = 0
    retries: int = 0

    @property
    def usages(self) -> list[KitosSystemRow]:
        return [s for s in self.systems if s.record_kind == "usage"]

    @property
    def catalog(self) -> list[KitosSystemRow]:
        return [s for s in self.systems if s.record_kind == "catalog"]


def credentials_from_env(environ: dict | None = None) -> tuple[str, str]:
    env = os.environ if environ is None else environ
    email, password = env.get(ENV_EMAIL), env.get(ENV_PASSWORD)
    if not email or not password:
        raise KitosCredentialsMissing(
            f"set {ENV_EMAIL} and {ENV_PASSWORD} to the KITOS API user's e-mail and password "
            "(tuscan reads them from the environment and never stores them)")
    return email, password


class KitosClient:
    """A requests session against one KITOS server, with the token and retry policy."""

    def __init__(self, url: str, *, session: requests.Session | None = None, timeout: float = DEFAULT_TIMEOUT,
                 retries: int = 4, backoff: float = 0.5, page_size: int = DEFAULT_PAGE_SIZE):
        parts = urlsplit(url if "://" in url else f"https://{url}")
        if not parts.netloc:
            raise KitosApiError(f"not a KITOS address: {url!r}")
        self.base = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
        self.session = session or requests.Session()
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.page_size = max(1, min(MAX_PAGE_SIZE, page_size))
        self._token: str | None = None
        self.requests = 0
        self.retried = 0

    # -- transport ---------------------------------------------------------------------------

    def _send(self, method: str, path: str, *, params: dict | None = None, json_body: dict | None = None,
              authorised: bool = True, passthrough: frozenset[int] = frozenset()) -> requests.Response:
        """One request with retries. 404 and the statuses in `passthrough` are returned to the caller."""
        headers = {"Accept": "application/json"}
        if authorised:
            headers["Authorization"] = f"Bearer {self._token}"
        attempt = 0
        while True:
            self.requests += 1
            try:
                response = self.session.request(method, self.base + path, params=params, json=json_body,
                                                headers=headers, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt >= self.retries:
                    raise KitosApiError(f"{method} {path}: no answer from {self.base} after {attempt + 1} "
                                        f"attempts ({type(exc).__name__})") from None
                self._wait(attempt, None, f"{type(exc).__name__}", method, path)
                attempt += 1
                continue
            status = response.status_code
            if status in passthrough:
                return response
            if status in (401, 403):
                what = "the e-mail or password" if not authorised else "the token"
                raise KitosAuthError(f"{method} {path}: KITOS answered HTTP {status}; it refused {what}. Check "
                                     f"{ENV_EMAIL}/{ENV_PASSWORD} and that the user has API access")
            if status == 429 or status >= 500:
                if attempt >= self.retries:
                    raise KitosApiError(f"{method} {path}: KITOS answered HTTP {status} "
                                        f"{attempt + 1} times; try again later")
                self._wait(attempt, response.headers.get("Retry-After"), f"HTTP {status}", method, path)
                attempt += 1
                continue
            if status == 404:
                return response
            if status >= 400:
                raise KitosApiError(f"{method} {path}: KITOS answered HTTP {status}")
            return response

    def _wait(self, attempt: int, retry_after: str | None, why: str, method: str, path: str) -> None:
        delay = self.backoff * (2 ** attempt)
        if retry_after and retry_after.strip().isdigit():
            delay = max(delay, min(float(retry_after), 60.0))
        self.retried += 1
        log.info("KITOS %s %s: %s, retrying in %.1f s", method, path, why, delay)
        time.sleep(delay)

    def _json(self, response: requests.Response, what: str):
        try:
            return response.json()
        except ValueError:
            raise KitosApiError(f"{what}: KITOS did not answer with JSON (HTTP {response.status_code})") from None

    # -- API -----------------------------------------------------------------------------------

    def authorise(self, email: str, password: str) -> None:
        response = self._send("POST", "/api/authorize/GetToken", json_body={"email": email, "password": password},
                              authorised=False)
        if response.status_code == 404:
            raise KitosApiError(f"{self.base} has no /api/authorize/GetToken; is this a KITOS server?")
        body = self._json(response, "GetToken")
        token = None
        if isinstance(body, dict):
            # KITOS wraps answers of its v1 endpoints (ApiReturnDTO): {"msg": …, "response": {"token": …,
            # "email": …, "loginSuccessful": …, "expires": …}}; a bare or PascalCase body is accepted too.
            inner = _field(body, "response")
            inner = inner if isinstance(inner, dict) else body
            token = _field(inner, "token")
        if not token or not isinstance(token, str):
            raise KitosAuthError("KITOS gave no token for these credentials")
        self._token = token
        log.info("KITOS: signed in at %s", self.base)

    def get(self, path: str, params: dict | None = None, *, passthrough: frozenset[int] = frozenset()):
        """The JSON answer of a GET; None for 404 (and for the statuses in `passthrough`)."""
        response = self._send("GET", path, params=params, passthrough=passthrough)
        if response.status_code == 404 or response.status_code in passthrough:
            return None
        return self._json(response, f"GET {path}")

    def pages(self, path: str, params: dict | None = None):
        """Every item of a paged list (page 0, 1, … until a page shorter than pageSize)."""
        page = 0
        while True:
            query = {**(params or {}), "page": page, "pageSize": self.page_size}
            response = self._send("GET", path, params=query, passthrough=frozenset({400}))
            if response.status_code == 400:
                if page == 0 and self.page_size > SAFE_PAGE_SIZE:
                    # Older KITOS releases accept pageSize 1–100 only (newer 1–250).
                    log.info("KITOS GET %s: pageSize %d refused (HTTP 400), using %d", path, self.page_size,
                             SAFE_PAGE_SIZE)
                    self.page_size = SAFE_PAGE_SIZE
                    continue
                raise KitosApiError(f"GET {path}: KITOS answered HTTP 400 (bad request)")
            if response.status_code == 404:
                return
            items = self._json(response, f"GET {path}")
            if not isinstance(items, list):
                raise KitosApiError(f"GET {path}: expected a list, got {type(items).__name__}")
            log.info("KITOS GET %s page %d: %d items", path, page, len(items))
            yield from items
            if len(items) < self.page_size:
                return
            page += 1

    def organisation(self, cvr: str) -> KitosOrganisation:
        wanted = "".join(ch for ch in str(cvr) if ch.isalnum())
        found = list(self.pages("/api/v2/organizations", {"cvrContent": wanted}))
        found = [o for o in found if isinstance(o, dict) and _field(o, "uuid")]
        exact = ([o for o in found if str(_field(o, "cvr") or "").strip() == wanted]
                 or (found if len(found) == 1 else []))
        if not exact:
            raise KitosOrganisationNotFound(f"no KITOS organisation has CVR {wanted}"
                                            + (f" ({len(found)} partial matches)" if found else ""))
        org = exact[0]
        return KitosOrganisation(str(_field(org, "uuid")), _field(org, "name") or wanted, _field(org, "cvr"))

    def organisation_type(self, uuid: str) -> str | None:
        """The organisation's OrganizationType (e.g. "OtherPublicAuthority"); None when unknown or not
        readable (a 403 here only means this user may not read that organisation)."""
        org = self.get(f"/api/v2/organizations/{uuid}", passthrough=frozenset({403}))
        if not isinstance(org, dict):
            return None
        kind = _field(org, "organizationType")
        return str(kind) if kind is not None else None


def _field(obj, name: str):
    """obj[name] for the camelCase name KITOS sends, tolerating PascalCase and all-caps spellings."""
    if not isinstance(obj, dict):
        return None
    for key in (name, name[:1].upper() + name[1:], name.upper()):
        if key in obj:
            return obj[key]
    return None


def _named(obj) -> tuple[str | None, str | None]:
    if not isinstance(obj, dict):
        return None, None
    return _field(obj, "name"), _field(obj, "uuid")


def _levels(values) -> set[str]:
    """gdpr.dataSensitivityLevels as enum names (strings, or integers if KITOS sent those)."""
    names = set()
    for value in values if isinstance(values, list) else []:
        text = str(value).strip()
        names.add(SENSITIVITY_NUMBERS.get(text, text))
    return names


def usage_row(usage: dict) -> KitosSystemRow | None:
    """One `it-system-usages` item (ItSystemUsageResponseDTO) → a usage row (None when it names no system)."""
    system = _field(usage, "systemContext") or {}
    name, _ = clean_name(_field(system, "name"))
    if not name:
        return None
    general = _field(usage, "general") or {}
    validity = _field(general, "validity") or {}
    levels = _levels(_field(_field(usage, "gdpr") or {}, "dataSensitivityLevels"))
    data_type = next((SENSITIVITY_LABELS[k] for k in SENSITIVITY_LABELS if k in levels), None)
    valid = _field(validity, "valid")
    valid = valid if isinstance(valid, bool) else None
    return KitosSystemRow(
        record_kind="usage",
        name=name,
        uuid=_field(system, "uuid"),
        local_id=_field(general, "localSystemId"),
        local_name=_field(general, "localCallName"),
        data_type=data_type,
        status=None if valid is None else ("Gyldig" if valid else "Ikke gyldig"),
        active=valid,
    )


def catalog_row(system: dict, public_types: dict[str, bool | None]) -> KitosSystemRow | None:
    """One `it-systems` item (ItSystemResponseDTO) → a catalog row (None when it has no name)."""
    name, _ = clean_name(_field(system, "name"))
    if not name:
        return None
    holder = _field(system, "rightsHolder") or {}
    holder_uuid = _field(holder, "uuid")
    organisations = _field(system, "usingOrganizations")
    organisations = organisations if isinstance(organisations, list) else []
    using = [_field(o, "name") for o in organisations if _field(o, "name")]
    deactivated = _field(system, "deactivated")
    deactivated = deactivated if isinstance(deactivated, bool) else None
    parent, _ = _named(_field(system, "parentSystem"))
    business, _ = _named(_field(system, "businessType"))
    return KitosSystemRow(
        record_kind="catalog",
        name=name,
        uuid=_field(system, "uuid"),
        parent=parent,
        rights_holder=_field(holder, "name"),
        rights_holder_cvr=_field(holder, "cvr"),
        rights_holder_public=public_types.get(holder_uuid) if holder_uuid else None,
        business_type=business,
        usage_count=len(organisations),
        using_organisations=using,
        active=None if deactivated is None else not deactivated,
        status=None if deactivated is None else ("Deaktiveret" if deactivated else "Aktiv"),
        in_use=True,
    )


def fetch(url: str, cvr: str, email: str, password: str, session: requests.Session | None = None, *,
          timeout: float = DEFAULT_TIMEOUT, page_size: int = DEFAULT_PAGE_SIZE, retries: int = 4,
          backoff: float = 0.5) -> KitosData:
    """Sign in, find the organisation by CVR, and read its systems in use with their catalog entries."""
    client = KitosClient(url, session=session, timeout=timeout, retries=retries, backoff=backoff,
                         page_size=page_size)
    client.authorise(email, password)
    org = client.organisation(cvr)
    data = KitosData(org)
    usages = []
    for item in client.pages("/api/v2/it-system-usages", {"organizationUuid": org.uuid}):
        row = usage_row(item) if isinstance(item, dict) else None
        if row is None:
            data.skipped.append(f"usage {_field(item, 'uuid') if isinstance(item, dict) else item!r}: no system name")
        else:
            usages.append(row)
    wanted = {u.uuid for u in usages if u.uuid}
    systems: dict[str, dict] = {}
    if wanted:
        # usedInOrganizationUuid: systems taken into use by the organisation (ItSystemV2Controller.GetItSystems).
        for item in client.pages("/api/v2/it-systems", {"usedInOrganizationUuid": org.uuid,
                                                         "includeDeactivated": "true"}):
            uuid = _field(item, "uuid")
            if uuid in wanted:
                systems[uuid] = item
                if len(systems) == len(wanted):
                    break   # all found: do not page on (a server ignoring the filter lists the whole catalog)
    for uuid in sorted(wanted - systems.keys()):
        item = client.get(f"/api/v2/it-systems/{uuid}")
        if isinstance(item, dict):
            systems[uuid] = item
    public_types: dict[str, bool | None] = {}
    for holder in {_field(_field(s, "rightsHolder") or {}, "uuid") for s in systems.values()} - {None}:
        kind = client.organisation_type(holder)
        public_types[holder] = None if kind is None else kind in PUBLIC_AUTHORITY_TYPES
    catalog = [row for row in (catalog_row(s, public_types) for s in systems.values()) if row]
    by_uuid = {c.uuid: c for c in catalog}
    for usage in usages:
        entry = by_uuid.get(usage.uuid)
        if entry:   # the usage export shows these catalog columns too
            usage.rights_holder, usage.rights_holder_cvr = entry.rights_holder, entry.rights_holder_cvr
            usage.rights_holder_public, usage.business_type = entry.rights_holder_public, entry.business_type
            usage.parent = entry.parent
    data.systems = usages + catalog
    data.requests, data.retries = client.requests, client.retried
    return data
