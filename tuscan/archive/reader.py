"""The worker side of a scan: one file → its content, extracted and searched, or a `ReadFailure`.

Runs in worker processes (`tuscan.archive.pool`, Prefect or Dask tasks) and never touches the
database; input and output are picklable. Page text is prepared here as it is stored (NFC, CPR
numbers masked), so the writer only writes.
"""

from __future__ import annotations

import hashlib

from extractors import Limits, extract
from extractors.base import Extraction
from extractors.keywords import Keywords, find_hits, prepare_text
from tuscan.archive.keywordfile import active_keywords
from tuscan.archive.outcome import ContentResult, PageText, ReadFailure, ReadResult
from tuscan.archive.walk import VANISHED

Item = tuple[str, str, int]            # (abs_path, name as stored, size): one file for a worker


def sha256_file(abs_path: str) -> str:
    digest = hashlib.sha256()
    with open(abs_path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def content_result(sha256: str, size: int, extraction: Extraction,
                   keywords: tuple[str, Keywords] | None = None) -> ContentResult:
    """Prepare pages (NFC, CPR masked) and find hits for one extraction, members included.
    `keywords`: (fingerprint, keywords) to search with; default the keyword file in effect."""
    fingerprint, compiled = keywords or active_keywords()
    pages, hits = [], []
    for page in extraction.pages:
        text = prepare_text(page.text)
        pages.append(PageText(page.number, text, page.ocr, page.ocr_confidence))
        hits.extend(find_hits(text, page.number, compiled, explain=False))
    members = [
        (m.name, content_result(m.sha256 or _unread_member_key(sha256, m.name, m.extraction), m.size,
                                m.extraction, (fingerprint, compiled)))
        for m in extraction.members
    ]
    return ContentResult(sha256, size, extraction.status, extraction.error, extraction.extractor,
                         extraction.title, pages, hits, members, keywords_version=fingerprint)


def _unread_member_key(container_sha: str, name: str, extraction: Extraction) -> str:
    """A container member that could not be read (encrypted, over a limit) has no content hash; key
    its record by container, name and reason so two such members never collapse into one."""
    return "unread:" + hashlib.sha256(f"{container_sha}/{name}/{extraction.error}".encode()).hexdigest()


def extract_file(abs_path: str, name: str, limits: Limits | None = None) -> ReadResult:
    """Read, hash, extract and search one file."""
    limits = limits or Limits()
    try:
        with open(abs_path, "rb") as fh:
            data = fh.read(limits.max_file_bytes + 1)
    except FileNotFoundError:
        return ReadFailure(VANISHED)
    except OSError as exc:
        return ReadFailure(f"file could not be read: {exc.strerror or exc}")
    sha = hashlib.sha256(data).hexdigest()
    extraction = extract(data, name, limits)
    return content_result(sha, len(data), extraction)


def extract_batch(items: list[Item], limits: Limits | None = None) -> list[ReadResult]:
    """Worker task: extract a batch of (abs_path, name, size) files."""
    return [extract_file(abs_path, name, limits) for abs_path, name, _size in items]
