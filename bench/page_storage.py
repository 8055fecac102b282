"""What storing page text costs the single DuckDB writer, per text compression.

    python bench/page_storage.py [--megabytes 100] [--no-append]

The writer stores every page's text (tuscan.scan.insert_rows, one transaction per batch, as a scan
does). DuckDB compresses text when it checkpoints, in the writer process, so that CPU is taken from
the extraction workers on a two-core machine. The benchmark corpus (bench/corpus.py) is made of
template copies whose text compresses unrealistically well; this script uses text that varies like
real contracts (words drawn from a large vocabulary, no two pages alike) and compares DuckDB's
default text compression with zstd (what migration 008 uses) and no compression. It prints CPU
seconds and file size per compression, and the time to read all text back, and appends them to
bench/results.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.run import RESULTS, commit, machine  # noqa: E402
from tuscan.scan import insert_rows  # noqa: E402

PAGES_PER_BATCH = 220        # one worker batch of 32 files of ~7 pages, as in a scan
WORDS_PER_PAGE = 700         # ~4,700 characters, a full page of a contract
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


def store(path: Path, compression: str, texts: list[str]) -> tuple[float, float, float]:
    """(writer CPU s, database MB, s to read all text back) for storing `texts` batch by batch."""
    con = duckdb.connect(str(path))
    con.execute(f"CREATE TABLE pages (sha256 VARCHAR NOT NULL, page INTEGER NOT NULL, text VARCHAR NOT NULL"
                f"{compression}, ocr BOOLEAN NOT NULL DEFAULT false, ocr_confidence DOUBLE)")
    cpu = time.process_time()
    for start in range(0, len(texts), PAGES_PER_BATCH):
        rows = [(f"{start:064d}", n, text, False, None)
                for n, text in enumerate(texts[start : start + PAGES_PER_BATCH], 1)]
        con.execute("BEGIN")
        insert_rows(con, "pages", ["sha256", "page", "text", "ocr", "ocr_confidence"], rows)
        con.execute("COMMIT")
    con.close()                                    # the last checkpoint is part of the cost
    cpu = time.process_time() - cpu
    size = path.stat().st_size / 2**20
    con = duckdb.connect(str(path), read_only=True)
    started = time.perf_counter()
    con.execute("SELECT sum(length(text)) FROM pages").fetchall()
    read = time.perf_counter() - started
    con.close()
    return cpu, size, read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=int, default=100, help="page text to store (default 100)")
    parser.add_argument("--no-append", action="store_true", help=f"print only; do not append to {RESULTS}")
    args = parser.parse_args()
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
    text = "\n".join(lines) + "\n"
    print("\n" + text)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write("\n" + text)


if __name__ == "__main__":
    main()
