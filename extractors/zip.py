"""ZIP archives: every member is extracted as a document of its own (`archive.zip!member`).

This module lists members and reads them safely; `extractors.container` applies the shared
limits and extracts each member. Office documents are zips too, but `extractors.sniff` sends
those to their own readers, which use `open_zip` and `read_member` from here. Nothing is ever written to disk; member names are labels only, so absolute or `..` names are
harmless. Zip bombs are stopped by limits on member count, total uncompressed size (shared by
nested archives), per-member compression ratio and nesting depth. Members with the same name
are all kept, under distinct names (see extractors.container). Sizes in the zip headers can lie,
so members are read in chunks and reading stops at the limit (`read_member`).
"""

from __future__ import annotations

import io
import zipfile
import zlib

from extractors import extractor
from extractors.base import CONTAINER, NO_TEXT, Extraction, ExtractorError, Limits, RawMember
from extractors.container import check_depth
from extractors.sniff import ZIP_MAGIC

__all__ = ["ZIP_MAGIC", "extract_zip", "member_label", "open_zip", "read_member"]
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
    return name.replace("\\", "/") or "(unnamed member)"


@extractor("zip", formats=("zip",))
def extract_zip(data: bytes, name: str, limits: Limits) -> Extraction:
    """List the members; extractors.container reads and extracts them under the shared limits."""
    check_depth(limits)
    zf = open_zip(data, "zip archive")
    # Not ZipInfo.is_dir(): it fails on a member with an empty name (a hostile archive's trick).
    infos = [info for info in zf.infolist() if not info.filename.endswith("/")]
    if not infos:
        # An archive with nothing in it is still a file of the archive: it keeps a row of its own.
        return Extraction(status=NO_TEXT, error="empty zip archive: it holds no files")
    return Extraction(status=CONTAINER, raw_members=[_raw(zf, info, limits) for info in infos])


def _raw(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> RawMember:
    return RawMember(member_label(info), info.file_size,
                     read=lambda cap: read_member(zf, info, cap, limits.zip_max_ratio))
