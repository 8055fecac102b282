"""The municipality spider: crawl the site, record self-service links, check each target once.

From a start URL the spider follows links within the allowed domains (the start host without
'www.', plus any `allow_domains`), up to `max_depth` clicks and `max_pages` pages. On every page it
records *candidate* self-service links: link texts such as "Log ind med MitID", "Selvbetjening",
"Ansøg", "Bestil", "Book", "Tilmeld", and links to known self-service or login hosts
(reference/login_hosts.csv). Each candidate target is requested exactly once, without following
redirects or links from it (the only request ever made off the allowed domains), and
`tuscan.web.verify` decides whether it shows a NemLog-in/MitID login. With `documents`, PDF and
DOCX files linked from the site (allowed domains only) are saved to a cache folder, size-capped and
content-type checked, for the archive extractors.
"""

from __future__ import annotations

import hashlib
import os
import re
from urllib.parse import unquote, urldefrag, urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from spiders.items import DocumentItem, LinkItem, PageErrorItem, PageItem, VerificationItem
from tuscan.web.hosts import INFO, LOGIN, host_of, match_host, site_domain, within
from tuscan.web.verify import verify_response

# Link texts that make a link a candidate (Danish, as municipal sites write them; inflected forms
# included: "Ansøg om …", "Bestil tid", "Tilmelding", "Log på", "Selvbetjeningsløsning").
LINK_KEYWORDS = re.compile(
    r"\b(log\s*-?\s*(ind|på|paa|on)|login|logon|mit\s*-?\s*id|nem\s*-?\s*id|nem\s*-?\s*log\s*-?\s*in"
    r"|selvbetjening\w*|ansøg\w*|ansoeg\w*|bestil\w*|book\w*|tilmeld\w*|min\s+side|mine\s+sider)",
    re.IGNORECASE,
)
DOCUMENT_TYPES = {
    ".pdf": ("application/pdf",),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
}
# Servers often send documents as application/octet-stream; then the file's first bytes decide.
GENERIC_TYPES = ("application/octet-stream", "binary/octet-stream", "application/download")
MAGIC = {".pdf": b"%PDF", ".docx": b"PK\x03\x04"}
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "#", "sms:")
# Links to files that are not web pages: not crawled as pages (documents are handled above).
NOT_PAGES = (".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".ico", ".zip", ".xlsx", ".xls", ".doc",
             ".pptx", ".ppt", ".mp3", ".mp4", ".mov", ".avi", ".ics", ".xml", ".rss", ".css", ".js")
VERIFY_MAXSIZE = 2 * 1024 * 1024   # a login page is small; do not download more to look at one


def _bool(value) -> bool:
    return str(value).lower() in {"1", "true", "yes", "on"}


def _label(sel) -> str:
    parts = sel.xpath(".//text() | ./@aria-label | ./@title | .//img/@alt").getall()
    return " ".join(" ".join(parts).split())


def _document_ext(url: str) -> str | None:
    path = urlsplit(url).path.lower()
    return next((ext for ext in DOCUMENT_TYPES if path.endswith(ext)), None)


class MunicipalitySpider(scrapy.Spider):
    name = "municipality"

    def __init__(self, start_url: str, allow_domains: str = "", max_pages: int = 200, max_depth: int = 3,
                 documents: bool | str = False, document_dir: str | None = None,
                 document_max_bytes: int = 20 * 1024 * 1024, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [start_url]
        extra = [d.strip().lower() for d in str(allow_domains).split(",") if d.strip()]
        self.allowed_domains = list(dict.fromkeys([site_domain(start_url), *extra]))
        self.max_pages = int(max_pages)
        self.max_depth = int(max_depth)
        self.documents = _bool(documents)
        self.document_dir = document_dir
        self.document_max_bytes = int(document_max_bytes)
        self.pages_requested: set[str] = set()
        self.targets_checked: set[str] = set()
        self.documents_requested: set[str] = set()
        # (target, text) -> (depth, page) of the page it is recorded on; see candidate_link.
        self.links_seen: dict[tuple[str, str], tuple[int, str]] = {}

    # -- helpers ---------------------------------------------------------------------------------

    def on_site(self, host: str) -> bool:
        return any(within(host, domain) for domain in self.allowed_domains)

    def reserve_page(self, url: str, depth: int) -> bool:
        """Count url as a page to crawl, unless it was seen or the page or depth limit is reached."""
        if url in self.pages_requested or len(self.pages_requested) >= self.max_pages or depth > self.max_depth:
            return False
        self.pages_requested.add(url)
        return True

    def page_request(self, url: str, depth: int, referer: str | None = None) -> scrapy.Request | None:
        """A request for a page of the site, or None when it was seen or a limit is reached."""
        if not self.reserve_page(url, depth):
            return None
        return scrapy.Request(url, callback=self.parse, errback=self.page_failed,
                              meta={"page_depth": depth, "referer_url": referer})

    async def start(self):
        for url in self.start_urls:
            request = self.page_request(url, 0)
            if request:
                yield request

    # -- pages -------------------------------------------------------------------------------------

    def parse(self, response):
        depth = response.meta.get("page_depth", 0)
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        title = response.css("title::text").get() if isinstance(response, TextResponse) else None
        yield PageItem(response.url, depth, response.status, content_type,
                       " ".join(title.split()) if title else None, response.meta.get("referer_url"))
        if not isinstance(response, TextResponse) or "html" not in content_type.lower():
            return
        for anchor in response.css("a[href]"):
            href = (anchor.attrib.get("href") or "").strip()
            if not href or href.lower().startswith(SKIP_SCHEMES):
                continue
            url = urldefrag(response.urljoin(href))[0]
            if urlsplit(url).scheme not in ("http", "https"):
                continue
            host = host_of(url)
            on_site = self.on_site(host)
            if _document_ext(url):
                if self.documents and on_site:
                    yield from self.document_request(url, response.url)
                continue
            candidate = self.candidate_link(response.url, anchor, url, host, on_site, depth)
            if candidate:
                yield candidate
            if on_site and urlsplit(url).path.lower().endswith(NOT_PAGES):
                continue
            if candidate and url not in self.targets_checked and url not in self.pages_requested:
                yield from self.verification_request(url, on_site, depth + 1, response.url)
            elif on_site:
                request = self.page_request(url, depth + 1, response.url)
                if request:
                    yield request

    def page_failed(self, failure):
        request = failure.request
        status = failure.value.response.status if failure.check(HttpError) else None
        error = f"HTTP {status}" if status else self._failure_text(failure)
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            self.logger.info("Not crawled (robots.txt): %s", request.url)
            error = "forbidden by robots.txt"
        yield PageErrorItem(request.url, request.meta.get("referer_url"), error, status)

    @staticmethod
    def _failure_text(failure) -> str:
        text = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        return text[:300]

    # -- candidate links and their one-hop verification --------------------------------------------

    def candidate_link(self, page_url: str, anchor, url: str, host: str, on_site: bool, depth: int
                       ) -> LinkItem | None:
        """A LinkItem when the link looks like self-service. A link repeated with the same text on
        many pages (a menu or footer) is recorded on one of them: the shallowest, and of those the
        first by URL. Pages arrive in no fixed order, so a link is reported again when a better page
        for it turns up, and `tuscan.web.load` keeps the best report; the choice then does not
        depend on which response came first."""
        text = _label(anchor)
        keyword = LINK_KEYWORDS.search(text)
        known = None if on_site else match_host(host)
        if not keyword and not known:
            return None
        recorded = self.links_seen.get((url, text))
        if recorded is not None and recorded <= (depth, page_url):
            return None
        self.links_seen[(url, text)] = (depth, page_url)
        reasons = ([f"text: {keyword.group(0)}"] if keyword else []) + ([f"host: {known.pattern}"] if known else [])
        return LinkItem(page_url, text[:300], url, host, on_site, "; ".join(reasons), depth)

    def verification_request(self, url: str, on_site: bool, depth: int, referer: str):
        """The one request to a candidate's target: redirects are not followed, nothing linked from
        it is requested, it is not retried. An on-site target that is also a page to crawl is
        crawled from this same response (no second request). Off-site targets are not subject to
        their robots.txt: the verification is a single request to a link the municipality itself
        publishes, not a crawl of that host, and fetching robots.txt would be a second request."""
        known = None if on_site else match_host(host_of(url))
        if known and known.kind in (LOGIN, INFO):
            return  # the identity provider itself (or information about it): nothing to verify there
        if len(self.targets_checked) >= self.max_pages:
            return
        self.targets_checked.add(url)
        crawl_page = on_site and self.reserve_page(url, depth)
        yield scrapy.Request(
            url, callback=self.verified, errback=self.verification_failed, dont_filter=True,
            meta={"allow_offsite": True, "dont_redirect": True, "handle_httpstatus_all": True,
                  "dont_retry": True, "dont_obey_robotstxt": not on_site, "download_maxsize": VERIFY_MAXSIZE,
                  "target_url": url, "crawl_page": crawl_page, "page_depth": depth, "referer_url": referer},
        )

    def verified(self, response):
        location = response.headers.get("Location")
        headers = {"Location": location.decode("latin-1")} if location else {}
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        body = response.text if isinstance(response, TextResponse) else response.body[:65536]
        url = response.meta["target_url"]
        if response.status >= 500:
            # The host (or a proxy in front of it) failed: that says nothing about a login.
            yield VerificationItem(url, host_of(url), "error", response.status, None, "could not be checked",
                                   f"HTTP {response.status}")
        else:
            verdict = verify_response(url, response.status, headers, body, content_type)
            yield VerificationItem(url, host_of(url), "checked", response.status, verdict.login, verdict.evidence)
        if not response.meta.get("crawl_page"):
            return
        depth = response.meta.get("page_depth", 0)
        if 300 <= response.status < 400 and location:
            target = urldefrag(response.urljoin(headers["Location"]))[0]
            if self.on_site(host_of(target)):
                request = self.page_request(target, depth, url)
                if request:
                    yield request
        elif response.status >= 400:
            yield PageErrorItem(url, response.meta.get("referer_url"), f"HTTP {response.status}", response.status)
        else:
            yield from self.parse(response)

    def verification_failed(self, failure):
        url = failure.request.meta["target_url"]
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            yield VerificationItem(url, host_of(url), "robots", None, None, "forbidden by the target's robots.txt")
            return
        error = self._failure_text(failure)
        yield VerificationItem(url, host_of(url), "error", None, None, "could not be checked", error)
        if failure.request.meta.get("crawl_page"):
            yield PageErrorItem(url, failure.request.meta.get("referer_url"), error)

    # -- linked documents --------------------------------------------------------------------------

    def document_request(self, url: str, page_url: str):
        if url in self.documents_requested or len(self.documents_requested) >= self.max_pages:
            return
        self.documents_requested.add(url)
        yield scrapy.Request(url, callback=self.save_document, errback=self.document_failed,
                             meta={"download_maxsize": self.document_max_bytes, "page_url": page_url,
                                   "document_url": url})

    def save_document(self, response):
        url, page_url = response.meta["document_url"], response.meta["page_url"]
        ext = _document_ext(url)
        content_type = response.headers.get("Content-Type", b"").decode("latin-1").split(";")[0].strip().lower()
        body = response.body
        accepted = content_type in DOCUMENT_TYPES[ext] or (
            content_type in GENERIC_TYPES and body.startswith(MAGIC[ext]))
        if not accepted:
            yield DocumentItem(url, page_url, "wrong_type", content_type, len(body), None,
                               f"expected {ext[1:].upper()}, the server sent {content_type or 'no content type'}")
            return
        os.makedirs(self.document_dir, exist_ok=True)
        name = os.path.basename(unquote(urlsplit(url).path)) or f"document{ext}"
        safe = re.sub(r"[^\w.\-]+", "_", name)[-80:]
        path = os.path.join(self.document_dir, f"{hashlib.sha256(url.encode()).hexdigest()[:16]}-{safe}")
        with open(path, "wb") as fh:
            fh.write(body)
        yield DocumentItem(url, page_url, "saved", content_type, len(body), path)

    def document_failed(self, failure):
        request = failure.request
        text = str(failure.value)
        status = "too_large" if "max size" in text else "error"
        if failure.check(HttpError):
            text = f"HTTP {failure.value.response.status}"
        elif failure.check(IgnoreRequest) and "robots.txt" in text:
            text = "forbidden by robots.txt"
        else:
            text = self._failure_text(failure)
        yield DocumentItem(request.meta["document_url"], request.meta["page_url"], status, None, None, None, text)
