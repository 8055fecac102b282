"""ZIP archives: every member is extracted as a document of its own (`archive.zip!member`).

Nothing is ever written to disk; member names are labels only, so absolute or `..` names are
harmless. Zip bombs are stopped by limits on member count, total uncompressed size (shared by
nested archives), per-member compression ratio and nesting depth. Sizes in the zip headers can lie,
so members are read in chunks and reading stops at the limit (`read_member`).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from dataclasses import replace

from extractors import Limits, extractor
from extractors.base import CONTAINER, ERROR, Extraction, ExtractorError, Member

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")   # local file header; end of central directory (empty zip)
# Below this size a high compression ratio is harmless (a 1 MiB page of spaces compresses 1000:1).
RATIO_FLOOR_BYTES = 1024 * 1024
_CHUNK = 1024 * 1024


def open_zip(data: bytes, what: str) -> zipfile.ZipFile:
    """Open zip bytes or raise ExtractorError naming what the file was supposed to be."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ExtractorError(f"corrupt or truncated {what}: not a readable zip archive ({exc})") from exc


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int, max_ratio: float) -> bytes:
    """Read one member, stopping as soon as it exceeds `max_bytes` or `max_ratio`:1.

    Checks the declared sizes first, then counts the bytes actually inflated, because a hostile
    archive can declare a small size and inflate to gigabytes.
    """
    if info.flag_bits & 0x1:
        raise ExtractorError("encrypted zip member (password required)")
    ratio_cap = max(RATIO_FLOOR_BYTES, int(info.compress_size * max_ratio))
    if info.file_size > max_bytes:
        raise ExtractorError(f"uncompressed size {info.file_size} bytes is over the limit of {max_bytes} bytes")
    if info.file_size > ratio_cap:
        raise ExtractorError(_ratio_reason(info.file_size, info.compress_size, max_ratio))
    cap = min(max_bytes, ratio_cap)
    chunks: list[bytes] = []
    total = 0
    try:
        with zf.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                total += len(chunk)
                if total > cap:
                    if total > max_bytes:
                        raise ExtractorError(f"inflates to more than the limit of {max_bytes} bytes "
                                             f"(declared {info.file_size}; possible zip bomb)")
                    raise ExtractorError(_ratio_reason(total, info.compress_size, max_ratio))
                chunks.append(chunk)
    except NotImplementedError as exc:
        raise ExtractorError(f"zip member uses an unsupported compression method ({info.compress_type})") from exc
    except RuntimeError as exc:     # zipfile's "File ... is encrypted, password required"
        raise ExtractorError("encrypted zip member (password required)") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise ExtractorError(f"corrupt zip member: {exc}") from exc
    return b"".join(chunks)


def _ratio_reason(size: int, compressed: int, max_ratio: float) -> str:
    ratio = size / max(compressed, 1)
    return (f"compression ratio over {ratio:.0f}:1 exceeds the limit of {max_ratio:g}:1 "
            f"(possible zip bomb)")


def member_label(info: zipfile.ZipInfo) -> str:
    """The member's path with '/' separators, decoded the way Danish Windows tools write names."""
    name = info.filename
    if not info.flag_bits & 0x800:            # no UTF-8 flag: zipfile decoded the raw bytes as cp437
        raw = name.encode("cp437", errors="replace")
        try:
            name = raw.decode("utf-8")        # many tools write UTF-8 without setting the flag
        except UnicodeDecodeError:
            name = raw.decode("cp850")        # Windows Explorer in Denmark uses the OEM code page 850
    return name.replace("\\", "/")


@extractor("zip", suffixes=(".zip",), magic=ZIP_MAGIC)
def extract_zip(data: bytes, name: str, limits: Limits) -> Extraction:
    from extractors import extract  # the registry imports this module; import late to avoid a cycle

    if limits.depth > limits.zip_max_depth:
        raise ExtractorError(f"nested archive deeper than {limits.zip_max_depth} levels")
    zf = open_zip(data, "zip archive")
    office = _office_package(data, name, limits, zf.namelist())
    if office is not None:
        return office
    infos = [info for info in zf.infolist() if not info.is_dir()]
    if len(infos) > limits.zip_max_members:
        raise ExtractorError(f"zip has {len(infos)} members, more than the limit of "
                             f"{limits.zip_max_members} (possible zip bomb)")
    declared = sum(info.file_size for info in infos)
    if declared > limits.zip_max_total_bytes:
        raise ExtractorError(f"zip declares {declared} bytes uncompressed, more than the limit of "
                             f"{limits.zip_max_total_bytes} bytes (possible zip bomb)")
    # Budgets shared with nested archives, so nesting cannot multiply the limits.
    bytes_left = limits.zip_max_total_bytes
    members_left = limits.zip_max_members - len(infos)
    members: list[Member] = []
    for info in infos:
        label = member_label(info)
        try:
            content = read_member(zf, info, min(limits.max_file_bytes, bytes_left), limits.zip_max_ratio)
        except ExtractorError as exc:
            reason = str(exc)
            if bytes_left < limits.max_file_bytes and "over the limit" in reason:
                reason = (f"not read: the archive's total uncompressed size limit of "
                          f"{limits.zip_max_total_bytes} bytes was reached")
            members.append(Member(label, info.file_size, "", Extraction.failed(ERROR, reason)))
            continue
        bytes_left -= len(content)
        child_limits = replace(limits, depth=limits.depth + 1, zip_max_total_bytes=bytes_left,
                               zip_max_members=max(members_left, 0))
        extraction = extract(content, f"{name}!{label}", child_limits)
        used_bytes, used_members = _nested_usage(extraction)
        bytes_left -= used_bytes
        members_left -= used_members
        members.append(Member(label, len(content), hashlib.sha256(content).hexdigest(), extraction))
    return Extraction(status=CONTAINER, members=members)


def _office_package(data: bytes, name: str, limits: Limits, names: list[str]) -> Extraction | None:
    """A DOCX/XLSX without its suffix (ZIP magic is shared): read it as the document it is."""
    from extractors import registered

    if "word/document.xml" in names and "docx" in registered():
        from extractors.docx import extract_docx

        result = extract_docx(data, name, limits)
    elif "xl/workbook.xml" in names and "xlsx" in registered():
        from extractors.xlsx import extract_xlsx

        result = extract_xlsx(data, name, limits)
    else:
        return None
    result.extractor = result.extractor or ("docx" if "word/document.xml" in names else "xlsx")
    return result


def _nested_usage(extraction: Extraction) -> tuple[int, int]:
    """Bytes inflated and members listed inside a nested archive (recursively)."""
    size = count = 0
    for member in extraction.members:
        nested_size, nested_count = _nested_usage(member.extraction)
        size += member.size + nested_size
        count += 1 + nested_count
    return size, count
