"""Known login and self-service hosts (reference/login_hosts.csv) and domain helpers.

A host pattern matches the host itself and every subdomain of it, on a dot boundary:
``renoweb.dk`` matches ``korsbaek.renoweb.dk`` but not ``notrenoweb.dk``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import reference

LOGIN_HOSTS_CSV = Path(reference.__file__).resolve().parent / "login_hosts.csv"

LOGIN = "login"              # an identity provider: a redirect or form to it means "login here"
SELFSERVICE = "selfservice"  # a self-service system used by many municipalities or nationally
INFO = "info"                # information about a login (www.mitid.dk): recorded, never a system


@dataclass(frozen=True)
class KnownHost:
    pattern: str
    kind: str       # login | selfservice | info
    system: str     # the system name hint, as written on KL's lists where it is on one
    owner: str = ""  # the public authority owning a national solution (→ common public), or ''
    notes: str = ""


@cache
def known_hosts(path: str | None = None) -> tuple[KnownHost, ...]:
    with open(path or LOGIN_HOSTS_CSV, encoding="utf-8", newline="") as f:
        return tuple(
            KnownHost(row["host"].strip().lower(), row["kind"].strip(), row["system"].strip(),
                      (row.get("owner") or "").strip(), row.get("notes") or "")
            for row in csv.DictReader(f)
        )


def host_of(url: str) -> str:
    """The lower-case host name of a URL ('' when it has none)."""
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def within(host: str, domain: str) -> bool:
    """True when host is domain or a subdomain of it."""
    host, domain = host.lower().rstrip("."), domain.lower().strip(".")
    return bool(domain) and (host == domain or host.endswith("." + domain))


def match_host(host: str, hosts: tuple[KnownHost, ...] | None = None) -> KnownHost | None:
    """The most specific known-host entry covering host, or None."""
    best = None
    for entry in hosts if hosts is not None else known_hosts():
        if within(host, entry.pattern) and (best is None or len(entry.pattern) > len(best.pattern)):
            best = entry
    return best


def is_login_host(host: str) -> bool:
    entry = match_host(host)
    return entry is not None and entry.kind == LOGIN


def site_domain(url: str) -> str:
    """The domain a crawl of this start URL stays within: the host without a leading 'www.'
    (so www.korsbaek.dk allows selvbetjening.korsbaek.dk too)."""
    host = host_of(url)
    return host[4:] if host.startswith("www.") else host
