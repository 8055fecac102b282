"""PDFium against poppler per page, by characters per page: where `extractors.pdf` switches readers.

    .venv/bin/python bench/pdf_readers.py                # ~2 min; appends to bench/results.md
    .venv/bin/python bench/pdf_readers.py --no-append --repeat 1
    .venv/bin/python bench/pdf_readers.py --allocator system   # glibc's malloc instead of the workers'

For generated 6- and 24-page documents of 1,000 to 6,900 characters a page (reportlab, one text object per
line, embedded TrueType), the word-processor export and the real documents of ../shared/realdata,
it times `extractors.pdf.extract_pdf` in this process with TUSCAN_PDF_READER=pdfium (PDFium reads
every page), =pdftotext (PDFium reads page 1, `pdftotext -raw` the rest, one process per file) and
=poppler (PDFium reads page 1, poppler in this process through libpoppler-glib the rest), best of
--repeat runs, and checks that all give the same keyword hits. The smallest density at which poppler
is cheaper is what `POPPLER_MIN_CHARS` should be near.

The readers run in the extraction workers under TCMalloc where it is installed
(`tuscan.archive.allocator`), and poppler gains more from it than PDFium; so by default this script
starts itself again with the workers' allocator preloaded, and the results name the allocator used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.corpus import (  # noqa: E402
    REAL_DOCUMENTS,
    chars_per_page,
    make_template,
    render_pdf,
    soffice,
)
from bench.run import RESULTS, commit, machine  # noqa: E402

DENSITIES = ((12, 92), (20, 92), (30, 92), (40, 92), (50, 92), (62, 98), (66, 100))   # lines, characters


def timed(data: bytes, reader: str, repeat: int):
    from extractors.base import Limits
    from extractors.keywords import find_hits
    from extractors.pdf import extract_pdf

    os.environ["TUSCAN_PDF_READER"] = reader
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = extract_pdf(data, "x.pdf", Limits())
        best = min(best, time.perf_counter() - started)
    hits = [(p.number, h.term, h.matched) for p in result.pages for h in find_hits(p.text)]
    return best, len(result.pages), hits


def documents(per_row: int, seed: int = 3) -> list[tuple[str, list[bytes]]]:
    rng = random.Random(seed)
    out = []
    for pages in (6, 24):
        for lines, width in DENSITIES:
            docs = [render_pdf(make_template(rng, pages, True, lines_per_page=lines, line_chars=width),
                               font_size=7.5 if lines > 50 else 8.5, leading=12.5 if lines > 50 else 15,
                               top=40 if lines > 50 else 50) for _ in range(per_row)]
            out.append((f"generated, {pages} pages of {lines} lines", docs))
    if soffice():
        import tempfile

        from bench.corpus import generate_wordproc

        with tempfile.TemporaryDirectory() as folder:
            manifest = generate_wordproc(Path(folder) / "wp", "tiny")
            docs = [(Path(folder) / "wp" / rel).read_bytes() for rel in list(manifest["files"])[: 2 * per_row]]
        out.append(("word processor (LibreOffice)", docs))
    real = sorted(REAL_DOCUMENTS.rglob("*.pdf")) if REAL_DOCUMENTS.is_dir() else []
    if real:
        out.append(("real documents (realdata)", [path.read_bytes() for path in real]))
    return out


def with_workers_allocator(choice: str) -> str:
    """The allocator this process runs under; with `workers`, first start this script again with the
    library the extraction workers preload (when it is installed and not preloaded yet)."""
    from tuscan.archive.allocator import forget, tcmalloc_path

    library = tcmalloc_path() if choice == "workers" else None
    if library is None:
        return "glibc malloc"
    if library not in os.environ.get("LD_PRELOAD", "").split():
        env = dict(os.environ, LD_PRELOAD=" ".join(filter(None, [os.environ.get("LD_PRELOAD"), library])))
        os.execve(sys.executable, [sys.executable, *sys.argv], env)
    forget(library)   # as in a worker: the pdftotext processes start with the system's allocator
    return f"TCMalloc ({library}, as the workers)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--docs", type=int, default=6, help="generated documents per row (word processor: twice that)")
    parser.add_argument("--allocator", choices=("workers", "system"), default="workers")
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()
    allocator = with_workers_allocator(args.allocator)
    load_start = os.getloadavg()[0]
    rows = []
    for name, docs in documents(args.docs):
        density = chars_per_page(docs)
        totals = {"pdfium": 0.0, "pdftotext": 0.0, "poppler": 0.0}
        pages = 0
        same = True
        for data in docs:
            results = {reader: timed(data, reader, args.repeat) for reader in totals}
            for reader, (seconds, _, _) in results.items():
                totals[reader] += seconds
            pages += results["pdfium"][1]
            same &= results["pdfium"][2] == results["poppler"][2] == results["pdftotext"][2]
        pdfium_ms, pdftotext_ms, poppler_ms = (1000 * totals[r] / pages for r in ("pdfium", "pdftotext", "poppler"))
        rows.append(f"| {name} | {density:,.0f} | {pages} | {pdfium_ms:.2f} | {pdftotext_ms:.2f} | "
                    f"{100 * (1 - pdftotext_ms / pdfium_ms):+.0f}% | {poppler_ms:.2f} | "
                    f"{100 * (1 - poppler_ms / pdfium_ms):+.0f}% | {'yes' if same else 'NO'} |")
        print(rows[-1], flush=True)
    text = "\n".join([
        f"## {dt.datetime.now():%Y-%m-%d %H:%M} — PDF readers by characters per page", "",
        f"Machine: {machine()}. Commit: {commit()}. Command: `python bench/pdf_readers.py "
        f"{' '.join(sys.argv[1:])}`. Load average (1 min) at start {load_start:.1f}, at end "
        f"{os.getloadavg()[0]:.1f}. Allocator: {allocator}. One process, best of {args.repeat} per document; poppler's column is "
        "PDFium for page 1 and one `pdftotext -raw` process for the rest (*pdftotext*), or poppler in this "
        "process through libpoppler-glib for the rest (*poppler*), as `extractors.pdf` does.", "",
        "| documents | characters a page | pages | PDFium ms/page | pdftotext ms/page | pdftotext saves "
        "| poppler ms/page | poppler saves | same hits |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|", *rows, ""])
    print("\n" + text)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write("\n" + text)


if __name__ == "__main__":
    main()
