"""Walking a contract archive: every file under the scanned roots, named as it is stored.

The walk is iterative (a stack, not recursion), so a deep tree of folders never overflows the
stack. It never leaves the scanned roots: a symbolic link to a folder is not followed (no loops, no
folder scanned twice), and a symbolic link to a file is read only when the file it leads to lies
inside a scanned root — an archive on a file share can hold a link to anything, `/etc/shadow`
included — unless the caller allows links out (`follow_links`). Devices, pipes and sockets are not
opened. Everything the walk cannot or will not read becomes a `FileRef` with a reason, never an
exception, so every entry gets its row.

Stored paths are relative to the root with '/' separators, printable (undecodable bytes as \\xNN),
NFC (archives copied from a Mac have NFD names) and CPR-masked (`tuscan.privacy.mask_name`); the
real name is kept only in memory, to open the file.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tuscan.errors import NoSuchPath
from tuscan.privacy import mask_name

VANISHED = "file disappeared during the scan (it was listed, then gone before it was read)"
CHANGED = "file changed while it was read; will be read again next run"
SYMLINKED_FOLDER = ("symbolic link to a folder; not followed (avoids loops and scanning a folder twice)"
                    " — scan its target directly if it belongs to the archive")
LINK_OUTSIDE = ("symbolic link to a file outside the scanned folders; not followed"
                " (tuscan discover --follow-links reads such files)")
NOT_REGULAR = "not a regular file (device, socket or pipe); not read"
BROKEN_LINK = "symlink loop or broken link"


@dataclass
class FileRef:
    """A file found by the walker (or handed to the scanner, such as a document a crawl saved)."""

    root: str          # the scanned root folder, absolute (or a web origin)
    path: str          # relative to root, '/' separators, as stored: printable, NFC, CPR masked
    abs_path: str      # what to open (the real name)
    size: int
    mtime: float
    read_error: str | None = None  # the walker could not or would not read it
    skipped: bool = False          # not read on purpose (a link out of the roots, a device …)
    origin: str = "archive"        # 'archive', or the web page that linked the document


def printable(path: str) -> str:
    """A path as stored and shown: undecodable bytes in file names become \\xNN escapes."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def stored_names(names: list[str]) -> dict[str, str]:
    """Real name → stored name for the entries of one folder: printable, NFC, CPR masked, and "!"
    written as "\\!" — a stored path's "!" separates a container from its members
    ("Bilag.zip!Aftale.pdf"), so a real file named "Bilag.zip!Aftale.pdf" must not take that row.

    A name is NFC-normalised unless the folder also holds its NFC spelling as a separate entry
    (possible on Linux): then both keep their own spelling, so neither overwrites the other."""
    real = set(names)
    shown = {}
    for name in names:
        text = printable(name)
        nfc = unicodedata.normalize("NFC", text)
        if nfc != text and nfc in real:
            nfc = text
        shown[name] = mask_name(nfc).replace("!", "\\!")
    return shown


def stored_path(rel: str) -> str:
    """A relative path ('/' separators) as stored, for paths not listed by `walk` folder by folder."""
    return "/".join(stored_names([part])[part] for part in rel.split("/"))


def resolve_roots(paths: Iterable[str | os.PathLike]) -> list[tuple[str, str | None]]:
    """(root folder, single file name or None) for each path to scan; raises for a missing path."""
    roots = []
    for p in paths:
        ap = os.path.abspath(os.fspath(p))
        if os.path.isdir(ap):
            roots.append((ap, None))
        elif os.path.exists(ap) or os.path.islink(ap):
            roots.append((os.path.dirname(ap), os.path.basename(ap)))
        else:
            raise NoSuchPath(f"{p}: no such file or folder")
    return roots


class Boundary:
    """The folders a walk may read files from: the real paths of the scanned roots."""

    def __init__(self, roots: Iterable[str], follow_links: bool = False):
        self.real_roots = tuple(os.path.realpath(r) for r in roots)
        self.follow_links = follow_links

    def allows(self, target: str) -> bool:
        if self.follow_links:
            return True
        return any(target == r or target.startswith(r.rstrip(os.sep) + os.sep) for r in self.real_roots)


def walk(root: str, only: str | None = None, boundary: Boundary | None = None) -> Iterator[FileRef]:
    """Yield every file under root (or just `only`, a file the user named), folders in sorted
    order, files before subfolders, as `os.walk` top-down would."""
    boundary = boundary or Boundary([root])
    if only is not None:
        # A file the user named is what they pointed at: a link there is followed.
        yield _file_ref(root, os.path.join(root, only), stored_path(only), Boundary([], follow_links=True))
        return
    stack: list[tuple[str, str]] = [(root, "")]      # (real folder, its stored path + "/")
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            rel = prefix.rstrip("/") or "."
            yield FileRef(root, rel, folder, 0, 0.0, f"folder could not be read: {exc.strerror or exc}")
            continue
        shown = stored_names([e.name for e in entries])
        folders: list[os.DirEntry] = []
        links: list[os.DirEntry] = []
        files: list[os.DirEntry] = []
        for entry in entries:
            try:
                if entry.is_symlink() and os.path.isdir(entry.path):
                    links.append(entry)
                elif entry.is_dir(follow_symlinks=False):
                    folders.append(entry)
                else:
                    files.append(entry)
            except OSError:
                files.append(entry)
        for entry in sorted(links, key=lambda e: e.name):
            yield FileRef(root, prefix + shown[entry.name], entry.path, 0, 0.0, SYMLINKED_FOLDER, skipped=True)
        for entry in sorted(files, key=lambda e: e.name):
            yield _file_ref(root, entry.path, prefix + shown[entry.name], boundary)
        for entry in sorted(folders, key=lambda e: e.name, reverse=True):
            stack.append((entry.path, prefix + shown[entry.name] + "/"))


def _file_ref(root: str, abs_path: str, rel: str, boundary: Boundary) -> FileRef:
    is_link = os.path.islink(abs_path)
    if is_link and not boundary.allows(os.path.realpath(abs_path)):
        if not os.path.exists(abs_path):
            return FileRef(root, rel, abs_path, 0, 0.0, f"file could not be read: {BROKEN_LINK}")
        return FileRef(root, rel, abs_path, 0, 0.0, LINK_OUTSIDE, skipped=True)
    try:
        st = os.stat(abs_path)
    except FileNotFoundError:
        reason = BROKEN_LINK if is_link else VANISHED
        return FileRef(root, rel, abs_path, 0, 0.0, f"file could not be read: {reason}")
    except OSError as exc:
        reason = BROKEN_LINK if is_link else (exc.strerror or str(exc))
        return FileRef(root, rel, abs_path, 0, 0.0, f"file could not be read: {reason}")
    if not stat.S_ISREG(st.st_mode):
        return FileRef(root, rel, abs_path, 0, 0.0, NOT_REGULAR, skipped=True)
    return FileRef(root, rel, abs_path, st.st_size, st.st_mtime)


def changed_since_walk(ref: FileRef, size_read: int | None = None, read_limit: int | None = None) -> str | None:
    """Why the file as read may not be the file the walk listed (changed or gone), or None.

    Compared after reading, so a file being written while tuscan reads it (a copy into the archive
    that is still running) is not stored half-written; the next run reads it whole. A file over
    `read_limit` was read only in part, on purpose."""
    try:
        st = os.stat(ref.abs_path)
    except FileNotFoundError:
        return VANISHED
    except OSError as exc:
        return f"file could not be read: {exc.strerror or exc}"
    if st.st_size != ref.size or st.st_mtime != ref.mtime:
        return CHANGED
    if size_read is not None and size_read != ref.size and (read_limit is None or ref.size <= read_limit):
        return CHANGED
    return None
