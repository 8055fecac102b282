"""What storing page text costs the single DuckDB writer, per text compression.

    python bench/page_storage.py [--megabytes 100] [--no-append]

The writer stores every page's text (tuscan.scan.insert_rows, one transaction per batch, as a scan
does). DuckDB compresses text when it checkpoints, in the writer process, so that CPU is taken from
the extraction workers on a two-core machine. The benchmark corpus (bench/corpus.py) is made of
template copies whose text compresses unrealistically well; this script uses text that varies like
real contracts (words drawn from a large vocabulary, no two pages alike) and compares DuckDB's
default text compression with zstd (what migration 008 uses) and no compression. It prints CPU
seconds and file size per compression, and the time to read all text back. Then, with the writer's
DuckDB settings (a checkpoint every 64 MB), the writer's CPU for DuckDB's row group size, 16,384
and the writer's (`tuscan.db.ROW_GROUP_SIZE`): for pages of one size, for large pages first (1,000
of 40,000 characters, as a folder of DOCX read before the PDFs) and for eight times the text
(DuckDB's vacuum rewrites more of it the more there is); and the size of a database after many
small runs (vacuum's merging keeps it small, which is why the writer does not turn vacuum off).
Last, the writer's peak memory when it stores more and more text into a tuscan database (its
DuckDB settings, migration 008's table), which must level off, not grow with the archive. All go
to bench/results.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.run import RESULTS, commit, machine  # noqa: E402
from tuscan import db  # noqa: E402
from tuscan.archive.store import insert_pages  # noqa: E402
from tuscan.db import insert_rows  # noqa: E402

PAGES_PER_BATCH = 220        # one worker batch of 32 files of ~7 pages, as in a scan
WORDS_PER_PAGE = 700         # ~4,700 characters, a full page of a contract
LARGE_PAGES = 1000           # pages of ~40,000 characters (nine pages joined), stored first
DUCKDB_ROW_GROUP_SIZE = 122_880
ARCHIVE_COPIES = 8           # the row-group comparison also stores this many times the text
SMALL_RUNS = 500             # and runs that each write a few rows
COMPRESSIONS = {
    "DuckDB default (dictionary/FSST)": "",
    "zstd (migration 008)": " USING COMPRESSION zstd",
    "uncompressed": " USING COMPRESSION uncompressed",
}


def page_texts(count: int, seed: int = 8) -> list[str]:
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyzæøå"
    vocabulary = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 11))) for _ in range(5000)]
    return [" ".join(rng.choices(vocabulary, k=WORDS_PER_PAGE)) for _ in range(count)]


def insert_batches(con: duckdb.DuckDBPyConnection, texts: list[str]) -> None:
    """Insert `texts` into `pages`, one transaction per PAGES_PER_BATCH pages, as the scan's writer does."""
    for start in range(0, len(texts), PAGES_PER_BATCH):
        rows = [(f"{start:064d}", n, text, False, None)
                for n, text in enumerate(texts[start : start + PAGES_PER_BATCH], 1)]
        con.execute("BEGIN")
        insert_rows(con, "pages", ["sha256", "page", "text", "ocr", "ocr_confidence"], rows)
        con.execute("COMMIT")


def attached(path: Path, row_group_size: int, **settings: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the writer's settings (and `settings`) and `path` attached with
    `row_group_size`, as `tuscan.db` opens the inventory for writing."""
    con = duckdb.connect(config={**db.CONNECTION_CONFIG, **settings})
    con.execute(f"ATTACH '{path}' AS stored (ROW_GROUP_SIZE {row_group_size})")
    con.execute("USE stored")
    return con


def store(path: Path, compression: str, texts: list[str]) -> tuple[float, float, float]:
    """(writer CPU s, database MB, s to read all text back) for storing `texts` batch by batch."""
    con = duckdb.connect(str(path))
    con.execute(f"CREATE TABLE pages (sha256 VARCHAR NOT NULL, page INTEGER NOT NULL, text VARCHAR NOT NULL"
                f"{compression}, ocr BOOLEAN NOT NULL DEFAULT false, ocr_confidence DOUBLE)")
    cpu = time.process_time()
    insert_batches(con, texts)
    con.close()                                    # the last checkpoint is part of the cost
    cpu = time.process_time() - cpu
    size = path.stat().st_size / 2**20
    con = duckdb.connect(str(path), read_only=True)
    started = time.perf_counter()
    con.execute("SELECT sum(length(text)) FROM pages").fetchall()
    read = time.perf_counter() - started
    con.close()
    return cpu, size, read


def store_as_writer(path: Path, texts: list[str], row_group_size: int) -> tuple[float, float]:
    """(writer CPU s, database MB) for storing `texts` with the writer's DuckDB settings and a file
    attached with `row_group_size`, batch by batch, the last checkpoint included."""
    con = attached(path, row_group_size)
    con.execute("CREATE TABLE pages (sha256 VARCHAR NOT NULL, page INTEGER NOT NULL, text VARCHAR NOT NULL"
                " USING COMPRESSION zstd, ocr BOOLEAN NOT NULL DEFAULT false, ocr_confidence DOUBLE)")
    cpu = time.process_time()
    insert_batches(con, texts)
    con.close()
    return time.process_time() - cpu, path.stat().st_size / 2**20


def row_group_rows(texts: list[str]) -> list[str]:
    large = [" ".join(texts[i : i + 9]) for i in range(0, min(9 * LARGE_PAGES, len(texts) - 8), 9)]
    # An archive's worth of text: the pages again and again, each copy told apart by its number.
    archive = [f"{text} {copy}" for copy in range(ARCHIVE_COPIES) for text in texts]
    orders = {"pages of one size": texts, f"{LARGE_PAGES:,} large pages first": large + texts,
              f"{ARCHIVE_COPIES}× as many pages of one size": archive}
    lines = ["", "| pages stored (checkpoint every 64 MB) | MB | row group size | writer CPU s | database MB |",
             "|---|---:|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as work:
        for name, ordered in orders.items():
            for size in sorted({DUCKDB_ROW_GROUP_SIZE, 16_384, db.ROW_GROUP_SIZE}, reverse=True):
                cpu, megabytes = store_as_writer(Path(work) / f"{len(lines)}.duckdb", ordered, size)
                stored = sum(len(text.encode()) for text in ordered) / 2**20
                lines.append(f"| {name} | {stored:.0f} | {size:,} | {cpu:.2f} | {megabytes:.0f} |")
                print(lines[-1], flush=True)
    return lines


def small_runs(path: Path, row_group_size: int, vacuum: bool) -> tuple[float, int]:
    """(database MB, row groups of the documents table) after SMALL_RUNS runs that each add a run
    record and a few documents and checkpoint, as a daily rescan of an unchanged archive does."""
    con = attached(path, row_group_size, **({} if vacuum else {"max_vacuum_tasks": "0"}))
    con.execute("CREATE TABLE runs (run_id INTEGER, kind VARCHAR, started_at TIMESTAMP, summary VARCHAR)")
    con.execute("CREATE TABLE documents (path VARCHAR, last_seen_run INTEGER)")
    con.execute("INSERT INTO documents SELECT 'archive/' || range, 0 FROM range(100000)")
    con.execute("CHECKPOINT")
    for run in range(1, SMALL_RUNS + 1):
        con.execute("INSERT INTO runs VALUES (?, 'discover', now(), repeat('s', 200))", [run])
        con.execute("INSERT INTO documents SELECT 'new/' || ? || '/' || range, ? FROM range(20)", [run, run])
        con.execute("CHECKPOINT")
    groups = con.execute("SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('documents')").fetchone()[0]
    con.close()
    return path.stat().st_size / 2**20, groups


def small_run_rows() -> list[str]:
    lines = ["", f"| {SMALL_RUNS} small runs, a checkpoint each | row group size | database MB | row groups |",
             "|---|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as work:
        for name, size, vacuum in (("DuckDB's vacuum", DUCKDB_ROW_GROUP_SIZE, True),
                                   ("DuckDB's vacuum", db.ROW_GROUP_SIZE, True),
                                   ("vacuum turned off", DUCKDB_ROW_GROUP_SIZE, False)):
            megabytes, groups = small_runs(Path(work) / f"{len(lines)}.duckdb", size, vacuum)
            lines.append(f"| {name} | {size:,} | {megabytes:.1f} | {groups} |")
            print(lines[-1], flush=True)
    return lines


def writer_peak(megabytes: int) -> None:
    """In a process of its own: store `megabytes` of page text as the scan's writer does; print the
    process's peak RSS in MB."""
    texts = page_texts(2000)
    pages = megabytes * 2**20 // (WORDS_PER_PAGE * 7)
    with tempfile.TemporaryDirectory() as work, db.writing(Path(work) / "inventory.duckdb") as con:
        for start in range(0, pages, PAGES_PER_BATCH):
            rows = [(f"{start:064d}", n, f"{texts[(start + n) % len(texts)]} {start}", False, None)
                    for n in range(1, min(PAGES_PER_BATCH, pages - start) + 1)]
            con.execute("BEGIN")
            insert_pages(con, rows)
            con.execute("COMMIT")
    # VmHWM, not getrusage's ru_maxrss: that one keeps the parent's peak across fork and exec.
    status = Path("/proc/self/status").read_text()
    print(int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024)


def memory_rows(steps: list[int]) -> list[str]:
    lines = ["", "| page text stored MB | writer peak RSS MB |", "|---:|---:|"]
    for megabytes in steps:
        out = subprocess.run([sys.executable, __file__, "--writer-peak", str(megabytes)], check=True,
                             capture_output=True, text=True).stdout
        lines.append(f"| {megabytes} | {float(out.split()[-1]):.0f} |")
        print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=int, default=100, help="page text to store (default 100)")
    parser.add_argument("--memory-steps", default="100,300,700",
                        help="MB of page text for the writer-memory rows (default 100,300,700; empty: none)")
    parser.add_argument("--no-append", action="store_true", help=f"print only; do not append to {RESULTS}")
    parser.add_argument("--writer-peak", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.writer_peak:
        writer_peak(args.writer_peak)
        return
    texts = page_texts(max(1, args.megabytes * 2**20 // (WORDS_PER_PAGE * 7)))
    megabytes = sum(len(t.encode()) for t in texts) / 2**20
    lines = [
        f"## {dt.datetime.now():%Y-%m-%d %H:%M} — page text storage ({len(texts):,} pages, {megabytes:.0f} MB of "
        "varied text)",
        "",
        f"Machine: {machine()}. Commit: {commit()}. DuckDB {duckdb.__version__}. Command: "
        f"`python bench/page_storage.py {' '.join(sys.argv[1:])}`. One transaction per {PAGES_PER_BATCH} pages, "
        "as the scan's writer does; CPU is the writer process's, checkpoints included.",
        "",
        "| text compression | writer CPU s | CPU ms per MB | database MB | read all text back s |",
        "|---|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as work:
        for name, clause in COMPRESSIONS.items():
            cpu, size, read = store(Path(work) / f"{len(lines)}.duckdb", clause, texts)
            lines.append(f"| {name} | {cpu:.1f} | {1000 * cpu / megabytes:.0f} | {size:.0f} | {read:.2f} |")
            print(lines[-1], flush=True)
    lines += row_group_rows(texts)
    lines += small_run_rows()
    steps = [int(step) for step in args.memory_steps.split(",") if step]
    if steps:
        lines += memory_rows(steps)
    text = "\n".join(lines) + "\n"
    print("\n" + text)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write("\n" + text)


if __name__ == "__main__":
    main()
