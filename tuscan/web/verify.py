"""Is this response a NemLog-in/MitID login? A pure function over one HTTP response.

The crawler requests each candidate link target once, without following redirects, and asks
`verify_response`. A login shows itself by one of:

- a redirect to a NemLog-in host (`reference/login_hosts.csv`, kind ``login``), or a redirect
  carrying a SAML ``SAMLRequest`` (the HTTP-Redirect binding of an AuthnRequest);
- a form holding a ``SAMLRequest`` field (the HTTP-POST binding), or posting to a NemLog-in host;
- a meta refresh or script redirect to a NemLog-in host;
- a button, submit or same-site link reading "Log ind med MitID/NemID", "Log på med MitID",
  "Login med NemLog-in" …, or a login-worded link to a NemLog-in host.

A page *about* MitID ("Sådan får du MitID", "Du logger ind med MitID på borger.dk") is not a login:
the words appear in headings and paragraphs, not on something one clicks to log in here. A link
reading "Log på Digital Post med dit MitID" that leads to another site is a pointer to that site's
login, not a login on this page — that site is checked on its own when it is a candidate.
(KL, Delrapport 1: a TU-solution is one citizens reach by logging in through NemLog-in.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

from parsel import Selector

from tuscan.web.hosts import host_of, is_login_host

# "Log ind med MitID", "Log på med NemID", "Login via NemLog-in", "Log ind med MitID Erhverv".
LOGIN_BUTTON = re.compile(
    r"\b(log\s*-?\s*(ind|på|paa|on|in)|login|logon)\b.{0,40}\b(mit\s*-?\s*id|nem\s*-?\s*id|nem\s*-?\s*log\s*-?\s*in)",
    re.IGNORECASE | re.DOTALL,
)
# Words that make a link to a NemLog-in host a login action rather than "read more about NemLog-in".
LOGIN_WORDS = re.compile(r"\b(log\s*-?\s*(ind|på|paa|on|in)|login|logon)\b", re.IGNORECASE)
MITID_MENTION = re.compile(r"\b(mit\s*-?\s*id|nem\s*-?\s*id|nem\s*-?\s*log\s*-?\s*in)\b", re.IGNORECASE)
SCRIPT_REDIRECT = re.compile(r"""location(?:\.href)?\s*(?:=|\.assign\(|\.replace\()\s*["']([^"']+)["']""")
MAX_BUTTON_TEXT = 80   # a button label, not a paragraph that happens to contain the words


@dataclass(frozen=True)
class LoginVerdict:
    login: bool
    evidence: str    # one readable sentence: what showed the login, or why it is not one


def _text(sel: Selector) -> str:
    parts = sel.xpath(".//text() | ./@value | ./@aria-label | ./@title | .//img/@alt").getall()
    return " ".join(" ".join(parts).split())


def verify_response(url: str, status: int, headers: Mapping[str, str] | None = None,
                    body: str | bytes = "", content_type: str = "") -> LoginVerdict:
    """Decide from one response (not followed further) whether `url` shows a NemLog-in/MitID login.

    `headers` needs only ``Location`` for redirects (case-insensitive keys are not assumed: pass
    the header as ``Location``)."""
    headers = headers or {}
    location = headers.get("Location") or headers.get("location")
    if 300 <= status < 400 and location:
        target = urljoin(url, location)
        if is_login_host(host_of(target)):
            return LoginVerdict(True, f"redirects to NemLog-in ({host_of(target)})")
        if "samlrequest=" in target.lower():
            return LoginVerdict(True, f"redirects with a SAML AuthnRequest to {host_of(target)}")
        return LoginVerdict(False, f"redirects to {host_of(target) or target} (not followed)")
    if status >= 400:
        return LoginVerdict(False, f"HTTP {status}")
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if content_type and "html" not in content_type.lower() and not body.lstrip().startswith("<"):
        return LoginVerdict(False, f"not a web page ({content_type})")
    return _verify_html(url, body)


def _verify_html(url: str, html: str) -> LoginVerdict:
    sel = Selector(text=html or "<html></html>")
    page_host = host_of(url)
    for form in sel.css("form"):
        action = urljoin(url, form.attrib.get("action", "") or url)
        if form.css("input[name=SAMLRequest], input[name=samlrequest]"):
            return LoginVerdict(True, f"SAML AuthnRequest form posting to {host_of(action)}")
        if is_login_host(host_of(action)):
            return LoginVerdict(True, f"form posting to NemLog-in ({host_of(action)})")
    for content in sel.css("meta[http-equiv]").xpath("@content").getall():
        if "url=" in content.lower():
            target = urljoin(url, content.split("=", 1)[1].strip(" '\""))
            if is_login_host(host_of(target)):
                return LoginVerdict(True, f"refreshes to NemLog-in ({host_of(target)})")
    for script in sel.css("script::text").getall():
        for target in SCRIPT_REDIRECT.findall(script):
            if is_login_host(host_of(urljoin(url, target))):
                return LoginVerdict(True, f"script redirects to NemLog-in ({host_of(urljoin(url, target))})")
    for el in sel.css("button, input[type=submit], input[type=button], a[href]"):
        label = _text(el)
        href = el.attrib.get("href")
        target_host = host_of(urljoin(url, href)) if href else page_host
        if href and is_login_host(target_host) and LOGIN_WORDS.search(label):
            return LoginVerdict(True, f"login link to NemLog-in ({target_host}): {label[:60]!r}")
        if len(label) <= MAX_BUTTON_TEXT and LOGIN_BUTTON.search(label) and target_host == page_host:
            return LoginVerdict(True, f"login button {label[:60]!r}")
    if MITID_MENTION.search(" ".join(sel.xpath("//body//text()").getall())):
        return LoginVerdict(False, "mentions MitID/NemID but offers no login (an information page)")
    return LoginVerdict(False, "no NemLog-in/MitID login found")
