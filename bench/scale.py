"""Scale benchmarks: how tuscan's time and memory grow with the size of what it is given.

    .venv/bin/python bench/scale.py classify aggregate      # 10,000 systems; 98 municipalities
    .venv/bin/python bench/scale.py archive --archive-files 100000
    .venv/bin/python bench/scale.py ocr --ocr-pages 40

Each part is measured at 1×, 4× and 16× of a base size whose 16× is KL's scale (or at the factors
given with --factors), every step a separate command timed from outside with the peak RSS of its
process tree (bench/run.py's `measure`), and the growth from one size to the next is printed as the
ratio of times against the ratio of sizes (linear growth: 4.0× time for 4× the input).

- `classify`: a KITOS export (CSV, the UI's current headers) of N systems in use — generated names,
  one in ten a KL list entry's name, one in twenty a spelling variant of another row — imported with
  `tuscan kitos import` (which classifies), then `tuscan classify` alone, timed; 16× = 10,000.
- `aggregate`: share files (Parquet, the share schema) of M municipalities with ~400 systems each,
  drawn from a common pool of 3,000 names written the ways municipalities write them (case,
  suffixes like " (udgået)", vendor prefixes), then `tuscan aggregate`; 16× = 98 municipalities.
- `archive`: a mixed archive of small files (1-page PDF, DOCX, TXT, e-mail .eml; one in ten mentions
  NemID) and a first `tuscan discover`, plain steps; 16× = --archive-files (default 100,000; the
  factors can be lowered when the machine's time does not allow the full size).
- `ocr`: image-only PDF pages (the generated contract pages rendered at 150 dpi and stored as
  images, as a scanner writes them) through `tuscan discover` on all cores: pages per second, recall
  of the pages' known keyword occurrences, and an unchanged rescan (which must OCR nothing).

Results are appended to bench/results.md with the machine, commit and load.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from bench.corpus import FILLER, make_template, recall, render_pdf, unique_docx, unique_pdf  # noqa: E402
from bench.run import RESULTS, commit, last_scan_seconds, machine, measure, tuscan_found  # noqa: E402

FACTORS = (1, 4, 16)
SYSTEMS_AT_16 = 10_000
MUNICIPALITIES_AT_16 = 98
SYSTEMS_PER_MUNICIPALITY = 400
NAME_POOL = 3_000

WORDS = ("Borger Sag Løn Plan Skole Dagtilbud Jobcenter Ydelse Byg Miljø Vej Park Kultur Bibliotek Sundhed "
         "Pleje Omsorg Journal Booking Portal Service Data Doku Arkiv Økonomi Indkøb Faktura Bolig Affald "
         "Trafik Kort Geo Tilsyn Handicap Familie Ungdom Elev Vikar Vagt Tid Rejse Kursus Kontakt").split()
VENDORS = ("KMD", "Netcompany", "Systematic", "EG", "Fujitsu", "Visma", "Schultz", "Formpipe", "Nordic Insight",
           "Digital Identity", "IT Minds", "Bluegarden", "Tabulex", "Unit4", "Cordura")
KITOS_HEADERS = ("IT System", "IT-System (UUID)", "Overordnet IT System", "Lokal System ID", "Forretningstype",
                 "Rettighedshaver", "Leverandør", "DataType", "IT Kontrakter", "Status")


def tuscan(*args: str) -> list[str]:
    return [sys.executable, "-m", "tuscan", *args]


def env() -> dict[str, str]:
    """No Prefect server configured: the default command's plain steps."""
    home = Path(tempfile.gettempdir()) / "tuscan-scale-prefect-home"
    home.mkdir(exist_ok=True)
    out = {**os.environ, "PREFECT_HOME": str(home), "DO_NOT_TRACK": "1"}
    out.pop("PREFECT_API_URL", None)
    return out


def system_name(rng: random.Random, index: int) -> str:
    return f"{rng.choice(WORDS)}{rng.choice(WORDS).lower()} {rng.choice(('Pro', 'Online', 'Web', 'Mobil', 'Plus', 'Basis'))} {index}"


def growth(rows: list[tuple[int, float]]) -> str:
    """'4× input → 3.9× time, 4× input → 4.2× time' for consecutive (size, seconds)."""
    parts = []
    for (size_a, time_a), (size_b, time_b) in zip(rows, rows[1:], strict=False):
        parts.append(f"{size_b / size_a:.0f}× input → {time_b / max(time_a, 1e-9):.1f}× time")
    return ", ".join(parts)


# ---------------------------------------------------------------------------------------------
# classification of N systems


def kitos_export(path: Path, systems: int, seed: int = 7) -> None:
    import reference

    rng = random.Random(seed)
    listed = [entry.name for entry in reference.all_entries()]
    names: list[str] = []
    for index in range(systems):
        if index % 10 == 0 and listed:
            names.append(listed[index // 10 % len(listed)])
        elif index % 20 == 5 and names:
            names.append(rng.choice(names).upper() + " (udgået)")    # a variant spelling of another row
        else:
            names.append(system_name(rng, index))
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(KITOS_HEADERS)
        for index, name in enumerate(names):
            vendor = rng.choice(VENDORS)
            writer.writerow((name, f"00000000-0000-4000-8000-{index:012d}", "", f"L-{index}", rng.choice(WORDS),
                             f"{vendor} A/S", f"{vendor} A/S", "Almindelige persondata", "", "Aktiv"))


def bench_classify(work: Path, factors: tuple[int, ...]) -> list[str]:
    rows, lines = [], []
    for factor in factors:
        systems = SYSTEMS_AT_16 * factor // 16
        export = work / f"kitos-{systems}.csv"
        db = work / f"classify-{systems}.duckdb"
        db.unlink(missing_ok=True)
        kitos_export(export, systems)
        imported = measure(f"kitos import {systems}", tuscan("kitos", "import", str(export), "--db", str(db)), env())
        classified = measure(f"classify {systems}", tuscan("classify", "--db", str(db)), env())
        count = _scalar(db, "SELECT count(*) FROM systems")
        print(f"  classify {systems:6} systems: import+classify {imported.wall:6.1f} s, classify "
              f"{classified.wall:6.1f} s, {count} inventory rows, peak {classified.peak_tree_mb:.0f} MB", flush=True)
        rows.append((systems, classified.wall))
        lines.append(f"| classify | {factor}× | {systems:,} systems in use (KITOS CSV) → {count:,} inventory rows | "
                     f"{classified.wall:.1f} | {classified.peak_tree_mb:.0f} | import + classify {imported.wall:.1f} s "
                     f"(rc {imported.returncode}/{classified.returncode}) |")
    lines.append(f"| classify | growth | | {growth(rows)} | | |")
    return lines


def _scalar(db: Path, sql: str):
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


# ---------------------------------------------------------------------------------------------
# tuscan aggregate of M municipalities' share files


def share_files(folder: Path, municipalities: int, seed: int = 11) -> list[Path]:
    from tuscan.share import SCHEMA_VERSION, SHARE_COLUMNS, write_parquet

    rng = random.Random(seed)
    pool = [(system_name(rng, i), rng.choice(VENDORS)) for i in range(NAME_POOL)]
    categories = ("own", "shared", "common_public", "not_tu", "unknown")
    now = dt.datetime(2026, 12, 1, 12, 0, 0)
    files = []
    for number in range(municipalities):
        code = f"{101 + number * 8:03d}"
        rows = []
        for name, vendor in rng.sample(pool, SYSTEMS_PER_MUNICIPALITY):
            written = rng.choice((name, name.lower(), f"{vendor} {name}", f"{name} (udgået)"))
            rows.append((SCHEMA_VERSION, f"Kommune {code}", code, now, written, f"{vendor} A/S",
                         rng.choice(categories), rng.choice(("lav", "betydelig", "høj", None)), [],
                         None, None, None, ["kitos"], "rules"))
        path = folder / f"share-{code}.parquet"
        write_parquet(rows, SHARE_COLUMNS, path)
        files.append(path)
    return files


def bench_aggregate(work: Path, factors: tuple[int, ...]) -> list[str]:
    rows, lines = [], []
    for factor in factors:
        count = max(1, round(MUNICIPALITIES_AT_16 * factor / 16))
        folder = work / f"shares-{count}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        files = share_files(folder, count)
        out = work / f"aggregate-{count}.xlsx"
        result = measure(f"aggregate {count}", tuscan("aggregate", *map(str, files), "--out", str(out)), env())
        print(f"  aggregate {count:3} municipalities: {result.wall:6.1f} s, peak {result.peak_tree_mb:.0f} MB "
              f"(rc {result.returncode})", flush=True)
        rows.append((count, result.wall))
        lines.append(f"| aggregate | {factor}× | {count} municipalities × {SYSTEMS_PER_MUNICIPALITY} systems "
                     f"({count * SYSTEMS_PER_MUNICIPALITY:,} rows) | {result.wall:.1f} | {result.peak_tree_mb:.0f} | "
                     f"rc {result.returncode} |")
    lines.append(f"| aggregate | growth | | {growth(rows)} | | |")
    return lines


# ---------------------------------------------------------------------------------------------
# a mixed archive of small files


def small_templates(seed: int = 5) -> dict[str, list[bytes]]:
    """A few small documents of each kind; one in ten mentions NemID."""
    import docx

    rng = random.Random(seed)
    out: dict[str, list[bytes]] = defaultdict(list)
    for index in range(10):
        words = " ".join(rng.choice(FILLER) for _ in range(120))
        if index == 0:
            words += " Borgeren logger ind med NemID eller MitID."
        template = make_template(rng, 1, with_keywords=False)
        template.pages[0][5] = words[:90]
        out["pdf"].append(render_pdf(template))
        document = docx.Document()
        document.add_paragraph(words)
        buffer = io.BytesIO()
        document.save(buffer)
        out["docx"].append(buffer.getvalue())
        out["txt"].append(f"Notat {index}\n\n{words}\n".encode())
        out["eml"].append((f"From: sagsbehandler@kommune.dk\nTo: leverandoer@example.dk\nSubject: Aftale {index}\n"
                           f"Date: Mon, 1 Dec 2025 10:00:00 +0100\nMIME-Version: 1.0\n"
                           f"Content-Type: text/plain; charset=utf-8\n\n{words}\n").encode())
    return out


def mixed_archive(folder: Path, files: int) -> int:
    templates = small_templates()
    kinds = ("pdf", "docx", "txt", "eml")
    for index in range(files):
        kind = kinds[index % 4]
        data = templates[kind][index // 4 % 10]
        if kind == "pdf":
            data = unique_pdf(data, index)
        elif kind == "docx":
            data = unique_docx(data, index)
        else:
            data = data + f"\nJournalnr. {index:07d}\n".encode()
        path = folder / f"mappe-{index // 1000:03d}" / f"dok-{index:06d}.{kind}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def bench_archive(work: Path, factors: tuple[int, ...], full: int) -> list[str]:
    rows, lines = [], []
    for factor in factors:
        files = full * factor // 16
        folder = work / f"archive-{files}"
        if not (folder / ".complete").exists():
            shutil.rmtree(folder, ignore_errors=True)
            started = time.perf_counter()
            mixed_archive(folder, files)
            (folder / ".complete").write_text("")
            print(f"  generated {files:,} files in {time.perf_counter() - started:.0f} s", flush=True)
        db = work / f"archive-{files}.duckdb"
        db.unlink(missing_ok=True)
        result = measure(f"archive {files}", tuscan("discover", str(folder), "--db", str(db)), env())
        result.scan_phase = last_scan_seconds(db)
        documents = _scalar(db, "SELECT count(*) FROM documents")
        print(f"  archive {files:7,} files: {result.wall:6.1f} s (scan {result.scan_phase or 0:.1f} s), "
              f"{documents:,} documents, peak tree {result.peak_tree_mb:.0f} MB", flush=True)
        rows.append((files, result.wall))
        lines.append(f"| archive | {factor}× | {files:,} files (PDF, DOCX, TXT, EML; {documents:,} documents read) | "
                     f"{result.wall:.1f} | {result.peak_tree_mb:.0f} | scan phase {result.scan_phase or 0:.1f} s, "
                     f"{files / result.wall:,.0f} files/s, largest process {result.peak_process_mb:.0f} MB, "
                     f"rc {result.returncode} |")
    lines.append(f"| archive | growth | | {growth(rows)} | | |")
    return lines


# ---------------------------------------------------------------------------------------------
# OCR


def scanned_pdf(text_pdf: bytes, dpi: int = 150) -> bytes:
    """Every page of `text_pdf` as a grayscale image in a new PDF (no text layer)."""
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    source = pdfium.PdfDocument(text_pdf)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for index in range(len(source)):
        image = source[index].render(scale=dpi / 72, grayscale=True).to_pil()
        png = io.BytesIO()
        image.save(png, format="PNG")
        pdf.drawImage(ImageReader(io.BytesIO(png.getvalue())), 0, 0, width=A4[0], height=A4[1])
        pdf.showPage()
    source.close()
    pdf.save()
    return buffer.getvalue()


def bench_ocr(work: Path, pages_wanted: int) -> list[str]:
    rng = random.Random(2024)
    folder = work / f"scanned-{pages_wanted}"
    shutil.rmtree(folder, ignore_errors=True)
    manifest: dict = {"files": {}}
    pages = 0
    index = 0
    while pages < pages_wanted:
        template = make_template(rng, min(5, pages_wanted - pages), with_keywords=True)
        rel = f"scan-{index:03d}.pdf"
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(scanned_pdf(render_pdf(template)))
        manifest["files"][rel] = {"pages": len(template.pages), "known": template.known, "hyphen": template.hyphen}
        pages += len(template.pages)
        index += 1
    db = work / "scanned.duckdb"
    db.unlink(missing_ok=True)
    first = measure("ocr first", tuscan("discover", str(folder), "--db", str(db)), env())
    first.scan_phase = last_scan_seconds(db)
    ocr_pages = _scalar(db, "SELECT count(*) FROM pages WHERE ocr") if _has_column(db, "pages", "ocr") else None
    found, hyphen = tuscan_found(db)
    hit, total = recall(manifest, found)
    split_hit, split_total = recall(manifest, hyphen, hyphen_only=True)
    rescan = measure("ocr rescan", tuscan("discover", str(folder), "--db", str(db)), env())
    rescan.scan_phase = last_scan_seconds(db)
    cores = os.cpu_count() or 1
    print(f"  ocr {pages} pages: {first.wall:.1f} s (scan {first.scan_phase or 0:.1f} s), recall {hit}/{total}, "
          f"rescan {rescan.wall:.1f} s", flush=True)
    return [
        f"| ocr | – | {pages} scanned pages (150 dpi images, {index} PDFs){_ocr_note(ocr_pages)} | {first.wall:.1f} | "
        f"{first.peak_tree_mb:.0f} | {pages / (first.scan_phase or first.wall):.2f} pages/s in the scan phase on "
        f"{cores} cores ({pages / first.wall:.2f} whole command); recall {hit}/{total} = "
        f"{100 * hit / max(total, 1):.1f}% of known occurrences, hyphen-split {split_hit}/{split_total}; "
        f"unchanged rescan {rescan.wall:.1f} s (scan {rescan.scan_phase or 0:.1f} s, CPU of children "
        f"{rescan.cpu_others:.1f} s: no page OCR'd again) |",
    ]


def _ocr_note(count) -> str:
    return f"; {count} pages stored as OCR'd" if count is not None else ""


def _has_column(db: Path, table: str, column: str) -> bool:
    return bool(_scalar(db, f"SELECT count(*) FROM information_schema.columns WHERE table_name = '{table}' "
                            f"AND column_name = '{column}'"))


# ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("parts", nargs="+", choices=("classify", "aggregate", "archive", "ocr"))
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "tuscan-scale")
    parser.add_argument("--factors", default="1,4,16", help="sizes as factors of 1/16 of KL's scale")
    parser.add_argument("--archive-files", type=int, default=100_000, help="files of the archive at 16×")
    parser.add_argument("--ocr-pages", type=int, default=40)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()
    factors = tuple(int(f) for f in args.factors.split(","))
    args.work.mkdir(parents=True, exist_ok=True)
    for part in args.parts:     # one section per part, appended as soon as it is measured
        load_start = os.getloadavg()[0]
        print(f"{part}:", flush=True)
        if part == "classify":
            lines = bench_classify(args.work, factors)
        elif part == "aggregate":
            lines = bench_aggregate(args.work, factors)
        elif part == "archive":
            lines = bench_archive(args.work, factors, args.archive_files)
        else:
            lines = bench_ocr(args.work, args.ocr_pages)
        text = "\n".join([
            f"## {dt.datetime.now():%Y-%m-%d %H:%M} — scale: {part}", "",
            f"Machine: {machine()}. Commit: {commit()}. Command: `python bench/scale.py {' '.join(sys.argv[1:])}`. "
            f"Load average (1 min) at start {load_start:.1f}, at end {os.getloadavg()[0]:.1f}. Each step is the "
            "default command (plain steps, no Prefect server configured), timed from outside; peak RSS is the "
            "whole process tree.", "",
            "| part | size | input | wall s | peak RSS tree MB | notes |",
            "|---|---|---|---:|---:|---|",
            *lines, ""])
        print("\n" + text, flush=True)
        if not args.no_append:
            with RESULTS.open("a", encoding="utf-8") as fh:
                fh.write("\n" + text)


if __name__ == "__main__":
    main()
