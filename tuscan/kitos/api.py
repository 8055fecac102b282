"""KITOS API v2 client: the municipality's systems in use and their catalog entries.

    data = fetch("https://kitos.dk", "29189129", email, password)

- token: `POST /api/authorize/GetToken` with {"email", "password"} → a 24-hour JWT, sent as
  `Authorization: Bearer …`. Credentials come from the environment (KITOS_EMAIL, KITOS_PASSWORD; see
  `credentials_from_env`); neither they nor the token are ever logged, stored or put in an error text.
- organisation: `GET /api/v2/organizations?cvrContent=CVR`;
- systems in use: `GET /api/v2/it-system-usages?organizationUuid=…`;
- catalog entries of those systems: `GET /api/v2/it-systems?usedByOrganizationUuid=…` (fields uuid,
  name, rightsHolder{name,cvr}, usingOrganizations[…], businessType, deactivated); a system the
  listing missed is fetched by `GET /api/v2/it-systems/{uuid}`;
- rights holders' organisation type: `GET /api/v2/organizations/{uuid}` (OtherPublicAuthority → a
  common-public signal).
Lists are paged with `page` (0-based) and `pageSize` (≤ 250) until a short page. Requests time out,
429 and 5xx answers (and dropped connections) are retried with exponential backoff; 401/403 raise
KitosAuthError.
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
MAX_PAGE_SIZE = 250
DEFAULT_TIMEOUT = 30.0
PUBLIC_AUTHORITY_TYPES = {"OtherPublicAuthority", "AndenOffentligMyndighed", "4"}
SENSITIVITY_LABELS = {      # API v2 gdpr.dataSensitivityLevels → the usage export's DataType
    "SensitiveData": "Følsomme persondata",
    "LegalData": "Straffedomme og lovovertrædelser",
    "PersonData": "Almindelige persondata",
    "None": "Ingen persondata",
}


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
                 retries: int = 4, backoff: float = 0.5, page_size: int = MAX_PAGE_SIZE):
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
              authorised: bool = True) -> requests.Response:
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
            # KITOS wraps answers of its v1 endpoints: {"msg": …, "response": {"token": …}}.
            inner = body.get("response") if isinstance(body.get("response"), dict) else body
            token = inner.get("token")
        if not token:
            raise KitosAuthError("KITOS gave no token for these credentials")
        self._token = token
        log.info("KITOS: signed in at %s", self.base)

    def get(self, path: str, params: dict | None = None):
        response = self._send("GET", path, params=params)
        if response.status_code == 404:
            return None
        return self._json(response, f"GET {path}")

    def pages(self, path: str, params: dict | None = None):
        """Every item of a paged list (page 0, 1, … until a page shorter than pageSize)."""
        page = 0
        while True:
            items = self.get(path, {**(params or {}), "page": page, "pageSize": self.page_size})
            if items is None:
                return
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
        exact = [o for o in found if str(o.get("cvr") or "").strip() == wanted] or (found if len(found) == 1 else [])
        if not exact:
            raise KitosOrganisationNotFound(f"no KITOS organisation has CVR {wanted}"
                                            + (f" ({len(found)} partial matches)" if found else ""))
        org = exact[0]
        return KitosOrganisation(org["uuid"], org.get("name") or wanted, org.get("cvr"))

    def organisation_type(self, uuid: str) -> str | None:
        org = self.get(f"/api/v2/organizations/{uuid}")
        if not isinstance(org, dict):
            return None
        kind = org.get("organizationType")
        return str(kind) if kind is not None else None


def _named(obj) -> tuple[str | None, str | None]:
    if not isinstance(obj, dict):
        return None, None
    return obj.get("name"), obj.get("uuid")


def usage_row(usage: dict) -> KitosSystemRow | None:
    """One `it-system-usages` item → a usage row (None when it names no system)."""
    system = usage.get("systemContext") or {}
    name, _ = clean_name(system.get("name"))
    if not name:
        return None
    general = usage.get("general") or {}
    validity = general.get("validity") or {}
    levels = (usage.get("gdpr") or {}).get("dataSensitivityLevels") or []
    data_type = next((SENSITIVITY_LABELS[k] for k in SENSITIVITY_LABELS if k in levels), None)
    valid = validity.get("valid")
    return KitosSystemRow(
        record_kind="usage",
        name=name,
        uuid=system.get("uuid"),
        local_id=general.get("localSystemId"),
        local_name=general.get("localCallName"),
        data_type=data_type,
        status=None if valid is None else ("Gyldig" if valid else "Ikke gyldig"),
        active=valid,
    )


def catalog_row(system: dict, public_types: dict[str, bool | None]) -> KitosSystemRow | None:
    name, _ = clean_name(system.get("name"))
    if not name:
        return None
    holder = system.get("rightsHolder") or {}
    using = [o.get("name") for o in system.get("usingOrganizations") or [] if isinstance(o, dict) and o.get("name")]
    deactivated = system.get("deactivated")
    parent, _ = _named(system.get("parentSystem"))
    business, _ = _named(system.get("businessType"))
    return KitosSystemRow(
        record_kind="catalog",
        name=name,
        uuid=system.get("uuid"),
        parent=parent,
        rights_holder=holder.get("name"),
        rights_holder_cvr=holder.get("cvr"),
        rights_holder_public=public_types.get(holder.get("uuid")) if holder.get("uuid") else None,
        business_type=business,
        usage_count=len(system.get("usingOrganizations") or []),
        using_organisations=using,
        active=None if deactivated is None else not deactivated,
        status=None if deactivated is None else ("Deaktiveret" if deactivated else "Aktiv"),
        in_use=True,
    )


def fetch(url: str, cvr: str, email: str, password: str, session: requests.Session | None = None, *,
          timeout: float = DEFAULT_TIMEOUT, page_size: int = MAX_PAGE_SIZE, retries: int = 4,
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
            data.skipped.append(f"usage {item.get('uuid') if isinstance(item, dict) else item!r}: no system name")
        else:
            usages.append(row)
    wanted = {u.uuid for u in usages if u.uuid}
    systems: dict[str, dict] = {}
    for item in client.pages("/api/v2/it-systems", {"usedByOrganizationUuid": org.uuid, "includeDeactivated": "true"}):
        if isinstance(item, dict) and item.get("uuid") in wanted:
            systems[item["uuid"]] = item
    for uuid in sorted(wanted - systems.keys()):
        item = client.get(f"/api/v2/it-systems/{uuid}")
        if isinstance(item, dict):
            systems[uuid] = item
    public_types: dict[str, bool | None] = {}
    for holder in {(s.get("rightsHolder") or {}).get("uuid") for s in systems.values()} - {None}:
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
