"""What the crawler records, as dataclass items (Scrapy supports them natively).

Every item is written as one JSON line by `spiders.pipelines.JsonLinesPipeline`, with an extra
``"item"`` field naming its type; `tuscan.web.load` reads them into the tables of
sql/migrations/004_web.sql.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PageItem:
    """A page of the municipality's site that was crawled."""

    url: str
    depth: int                 # clicks from the start URL
    status: int                # HTTP status
    content_type: str
    title: str | None
    referer: str | None


@dataclass
class LinkItem:
    """A candidate self-service link on a crawled page."""

    page_url: str
    link_text: str             # the link's text, aria-label, title or image alt, whitespace-collapsed
    target_url: str           # absolute, without fragment
    target_host: str
    on_site: bool              # the target is within the crawl's allowed domains
    reason: str                # what made it a candidate: 'text: Log ind', 'host: renoweb.dk', or both
    depth: int                 # depth of the page it was found on


@dataclass
class VerificationItem:
    """The one request made to a candidate link's target, and whether it shows a login."""

    target_url: str
    target_host: str
    status: str                # checked, robots (forbidden by the target's robots.txt), error
    http_status: int | None
    login_verified: bool | None   # None when the target could not be checked
    evidence: str              # why it is (or is not) a login, or what went wrong
    error: str | None = None


@dataclass
class DocumentItem:
    """A PDF/DOCX linked from a crawled page (only with --documents)."""

    url: str
    page_url: str
    status: str                # saved, too_large, wrong_type, error
    content_type: str | None
    size: int | None
    path: str | None           # where it was saved in the cache folder
    error: str | None = None


@dataclass
class PageErrorItem:
    """A page of the site that could not be fetched (unreachable, timeout, HTTP error)."""

    url: str
    referer: str | None
    error: str
    http_status: int | None = None
