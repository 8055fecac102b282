"""The memory allocator of the reading processes: TCMalloc where Debian's libtcmalloc-minimal4 is
installed, glibc's malloc otherwise.

Why: reading a dense PDF page, poppler (and PDFium) allocate a record per character and word and
free them all at the end of the page. Under glibc's malloc that churn is ~17% of poppler's CPU
(`perf` on the dense benchmark corpus: `_int_malloc`, `_int_free`, `malloc_consolidate`); with
TCMalloc, Google's allocator with per-size free lists, poppler reads the same pages with ~16% less
CPU, where raising glibc's own cache (`glibc.malloc.tcache_count`) saves ~6% (bench/results.md,
issue 18 notes). The keyword finder and PDFium gain a little too.

An allocator can only be chosen when a program starts, before its first allocation (loading one
later would hand glibc's blocks to the other's `free`). The workers fork from multiprocessing's fork
server, so the pool starts that server with `LD_PRELOAD` naming the library; each worker then takes
the name out of its environment again (`forget`), so the programs it runs (tesseract, antiword,
pdftotext) start as they would anywhere else. The library is only named when its file is there: a
missing one would make the loader print an error for every process.

TUSCAN_WORKER_ALLOCATOR=system keeps glibc's malloc (to compare, or where TCMalloc misbehaves).
"""

from __future__ import annotations

import contextlib
import os
import sysconfig
from collections.abc import Iterator
from pathlib import Path

ALLOCATOR_ENV = "TUSCAN_WORKER_ALLOCATOR"
TCMALLOC = "libtcmalloc_minimal.so.4"
_PRELOAD = "LD_PRELOAD"
_LIBRARY_DIRS = ("/usr/lib", "/usr/lib64", "/lib", "/usr/local/lib")


def tcmalloc_path() -> str | None:
    """Where libtcmalloc_minimal is installed (Debian's multiarch folder first), or None."""
    multiarch = sysconfig.get_config_var("MULTIARCH")
    folders = [f"/usr/lib/{multiarch}", f"/lib/{multiarch}"] if multiarch else []
    for folder in (*folders, *_LIBRARY_DIRS):
        candidate = Path(folder) / TCMALLOC
        if candidate.is_file():
            return str(candidate)
    return None


def worker_preload() -> str | None:
    """The library the reading processes preload: TCMalloc when installed and not turned off."""
    if os.environ.get(ALLOCATOR_ENV, "auto").strip().lower() == "system":
        return None
    return tcmalloc_path()


@contextlib.contextmanager
def preloaded(library: str | None) -> Iterator[None]:
    """`LD_PRELOAD` names `library` (after any the user set) for processes started in the block."""
    if library is None:
        yield
        return
    before = os.environ.get(_PRELOAD)
    os.environ[_PRELOAD] = f"{before} {library}" if before else library
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(_PRELOAD, None)
        else:
            os.environ[_PRELOAD] = before


def forget(library: str | None) -> None:
    """Take `library` out of this process's `LD_PRELOAD` (in a worker: for the programs it starts)."""
    if not library or _PRELOAD not in os.environ:
        return
    rest = [name for name in os.environ[_PRELOAD].split() if name != library]
    if rest:
        os.environ[_PRELOAD] = " ".join(rest)
    else:
        del os.environ[_PRELOAD]

