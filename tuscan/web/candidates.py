"""Website candidates: stored links (latest crawl of each start URL) → systems, with evidence.

Links are grouped by target into systems:
- a target on a known self-service host (reference/login_hosts.csv, kind ``selfservice``) is the
  system the list names (``korsbaek.renoweb.dk`` → RenoWeb), with LOGIN_PAGE evidence when the one
  request to it showed a NemLog-in/MitID login and MENTION evidence otherwise; a host whose owner
  column names a public authority (borger.dk, virk.dk, mit.dk …) also gets COMMON_PUBLIC_SIGNAL
  evidence: a national solution is fællesoffentlig, not the municipality's (KL Delrapport 2, Bilag 1);
- a verified login on a host within the crawl's own domains is OWN_DOMAIN_LOGIN evidence for a
  system named after the host (``selvbetjening.korsbaek.dk``; on the main site, host and first
  path segment: ``korsbaek.dk/minside``);
- a verified login on any other host is LOGIN_PAGE evidence for a system named after that host;
- NemLog-in and MitID themselves (kind ``login``/``info``) and unverified links to unknown hosts
  are recorded in web_findings but are not systems: an identity provider is not a TU-solution, and
  a "Bestil" link to an unknown page is too weak to show a DPO (precision matters as much as recall).

Each distinct target URL is one piece of evidence: source_ref = the first page linking to it
(shallowest, then alphabetical), term = the target URL (web_findings joins on it), snippet = the
link text. The KL list matching and the category are `tuscan.classify`'s and `tuscan.rules`'.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

import duckdb

from tuscan.candidates import (
    COMMON_PUBLIC_SIGNAL,
    LOGIN_PAGE,
    MENTION,
    OWN_DOMAIN_LOGIN,
    Candidate,
    Evidence,
    candidate_source,
)
from tuscan.web.hosts import INFO, LOGIN, host_of, match_host

TARGETS_SQL = """
SELECT l.target_url, l.target_host, bool_or(l.on_site) AS on_site,
       arg_min(l.page_url, lpad(coalesce(l.depth, 0)::VARCHAR, 4, '0') || l.page_url) AS page_url,
       arg_min(l.link_text, lpad(coalesce(l.depth, 0)::VARCHAR, 4, '0') || l.page_url) AS link_text,
       count(DISTINCT l.page_url) AS pages,
       bool_or(v.login_verified) AS login_verified,
       any_value(v.evidence) AS verification,
       list(DISTINCT c.start_url) AS start_urls
FROM web_links l
JOIN web_current_crawls c ON c.run_id = l.run_id
LEFT JOIN web_verifications v ON v.run_id = l.run_id AND v.target_url = l.target_url
GROUP BY l.target_url, l.target_host
ORDER BY l.target_url
"""


def own_system_name(target_url: str, start_urls: list[str]) -> str:
    """A name for a system on the municipality's own domain: the host (without 'www.'), plus the
    first path segment when the host is the crawled site itself (many apps share www.)."""
    host = host_of(target_url)
    short = host[4:] if host.startswith("www.") else host
    if host in {host_of(u) for u in start_urls}:
        segment = next((s for s in urlsplit(target_url).path.split("/") if s), "")
        return f"{short}/{segment}" if segment else short
    return short


def _shown(text: str | None) -> str:
    text = (text or "").strip()
    return f"'{text[:80]}'" if text else "a link"


@candidate_source("web")
def web_candidates(con: duckdb.DuckDBPyConnection) -> Iterable[Candidate]:
    rows = con.execute(TARGETS_SQL).fetchall()
    by_name: dict[str, Candidate] = {}
    for target_url, host, on_site, page_url, link_text, pages, verified, verification, start_urls in rows:
        known = None if on_site else match_host(host)
        if known and known.kind in (LOGIN, INFO):
            continue
        where = f"linked as {_shown(link_text)} from {page_url}" + (f" and {pages - 1} more pages" if pages > 1 else "")
        if verified and on_site:
            name, kind = own_system_name(target_url, start_urls), OWN_DOMAIN_LOGIN
            detail = f"NemLog-in/MitID login on the municipality's own domain at {target_url} ({verification}); {where}"
        elif verified:
            name, kind = (known.system if known else (host[4:] if host.startswith("www.") else host)), LOGIN_PAGE
            detail = f"NemLog-in/MitID login at {target_url} ({verification}); {where}"
        elif known:
            name, kind = known.system, MENTION
            seen = verification or "not checked"
            detail = f"Link to {host} ({known.system}) {where}; no login seen at the target: {seen}"
        else:
            continue
        candidate = by_name.get(name)
        if candidate is None:
            candidate = by_name[name] = Candidate(name, "web", name_signal=f"web host {host}")
            if known and known.owner:
                candidate.evidence.append(Evidence(
                    "web", page_url, COMMON_PUBLIC_SIGNAL,
                    f"{host} is a national solution owned by {known.owner} (reference/login_hosts.csv)",
                    term=target_url, snippet=link_text))
        candidate.evidence.append(Evidence("web", page_url, kind, detail, term=target_url, snippet=link_text))
    return list(by_name.values())
