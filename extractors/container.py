"""Members of containers (zip archives, e-mail attachments) become documents of their own.

A container reader only lists its members (`RawMember`: a name and a way to read the bytes); this
module applies the limits every container shares and calls the extract function it is handed for
each member, so no reader imports the registry. The limits (member count, total uncompressed
bytes, nesting depth) are budgets shared with nested containers, so a zip in an e-mail in a zip
cannot multiply them.

Member names are labels only (nothing is written to disk). Two members whose names are equal, or
equal after Unicode NFC normalisation (macOS writes "ø" decomposed, Windows composed), are both
kept: the second gets " (2)" before its extension ("Bilag.pdf", "Bilag (2).pdf"), the third " (3)",
the way file managers name copies, so each member has a distinct row of its own.
"""

from __future__ import annotations

import hashlib
import posixpath
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

from extractors.base import ERROR, ExtractFn, Extraction, ExtractorError, Limits, Member, RawMember

__all__ = ["Budget", "attachment_name", "check_depth", "expand_members", "unique_name"]

_CONTROL = {code: "_" for code in range(32)} | {0x7F: "_"}


@dataclass
class Budget:
    """What nested containers may still use: bytes to inflate and members to list."""

    bytes_left: int
    members_left: int


def check_depth(limits: Limits) -> None:
    """Refuse a container nested deeper than `zip_max_depth` levels."""
    if limits.depth > limits.zip_max_depth:
        raise ExtractorError(f"nested archive deeper than {limits.zip_max_depth} levels")


def attachment_name(name: str, fallback: str) -> str:
    """An attachment's file name as a member label: its last path part, control characters as '_'.

    Mail clients send whatever name the sender's program chose (a full Windows path, NULs from a
    broken encoder); the label keeps what a person would recognise and nothing that breaks a row.
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1].translate(_CONTROL).strip(" _")
    return base or fallback


def unique_name(name: str, taken: set[str]) -> str:
    """`name`, or `name` with " (2)", " (3)" … before the extension when it (NFC-normalised) is taken."""
    candidate = name
    number = 1
    while unicodedata.normalize("NFC", candidate) in taken:
        number += 1
        folder, base = posixpath.split(name)
        stem, dot, ext = base.rpartition(".")
        if not stem:                       # no extension, or a dot file like ".profile"
            stem, dot, ext = base, "", ""
        candidate = posixpath.join(folder, f"{stem} ({number}){dot}{ext}")
    taken.add(unicodedata.normalize("NFC", candidate))
    return candidate


def expand_members(raw_members: Iterable[RawMember], container_name: str, limits: Limits,
                   extract: ExtractFn, kind: str = "zip") -> list[Member]:
    """Read and extract every member under the shared limits; a member that fails becomes a record.

    `kind` names the container in reasons ("zip", "e-mail").
    """
    check_depth(limits)
    raw = list(raw_members)
    noun = "members" if kind == "zip" else "attachments"
    if len(raw) > limits.zip_max_members:
        raise ExtractorError(f"{kind} has {len(raw)} {noun}, more than the limit of "
                             f"{limits.zip_max_members} (possible zip bomb)")
    declared = sum(m.size for m in raw)
    if declared > limits.zip_max_total_bytes:
        raise ExtractorError(f"{kind} declares {declared} bytes uncompressed, more than the limit of "
                             f"{limits.zip_max_total_bytes} bytes (possible zip bomb)")
    budget = Budget(limits.zip_max_total_bytes, limits.zip_max_members - len(raw))
    taken: set[str] = set()
    members: list[Member] = []
    for member in raw:
        label = unique_name(member.name, taken)
        if member.read is None:
            members.append(Member(label, member.size, "",
                                  Extraction.failed(ERROR, member.reason or "member could not be read")))
            continue
        cap = min(limits.max_file_bytes, budget.bytes_left)
        try:
            content = member.read(cap)
            if len(content) > cap:         # readers that cannot stop early (decoded attachments)
                raise ExtractorError(f"uncompressed size {len(content)} bytes is over the limit of {cap} bytes")
        except ExtractorError as exc:
            reason = str(exc)
            if budget.bytes_left < limits.max_file_bytes and "over the limit" in reason:
                reason = (f"not read: the archive's total uncompressed size limit of "
                          f"{limits.zip_max_total_bytes} bytes was reached")
            members.append(Member(label, member.size, "", Extraction.failed(ERROR, reason)))
            continue
        budget.bytes_left -= len(content)
        child_limits = replace(limits, depth=limits.depth + 1, zip_max_total_bytes=budget.bytes_left,
                               zip_max_members=max(budget.members_left, 0))
        extraction = extract(content, f"{container_name}!{label}", child_limits)
        used_bytes, used_members = _nested_usage(extraction)
        budget.bytes_left -= used_bytes
        budget.members_left -= used_members
        members.append(Member(label, len(content), hashlib.sha256(content).hexdigest(), extraction))
    return members


def _nested_usage(extraction: Extraction) -> tuple[int, int]:
    """Bytes inflated and members listed inside a nested container (recursively)."""
    size = count = 0
    for member in extraction.members:
        nested_size, nested_count = _nested_usage(member.extraction)
        size += member.size + nested_size
        count += 1 + nested_count
    return size, count
