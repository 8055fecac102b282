"""The tuscan benchmark: tuscan discover against pdfgrep, pdftotext and pdfplumber, in one run, on the
same files.

    .venv/bin/python bench/run.py --size small              # ~2,000 PDF pages + 100 DOCX, ~3 min
    .venv/bin/python bench/run.py --size large              # ~21,000 PDF pages + 1,000 DOCX
    .venv/bin/python bench/run.py --size small --modes no-prefect --no-append   # quick check
    .venv/bin/python bench/run.py --size large --real       # copies of the real documents, ≥ 20,000 pages
    .venv/bin/python bench/run.py --size large --kind dense # 20,000 pages of ~6,000 characters
    .venv/bin/python bench/run.py --size small --kind wordproc   # exported by LibreOffice

Steps, each a separate command timed from outside (wall time including interpreter and Prefect
start-up) while the peak RSS of its whole process tree is sampled:

1. generate the corpus (bench/corpus.py) into --work (kept between runs of the same size); with
   --real, copies of the public documents in ../shared/realdata instead of generated pages;
2. for each mode — `default` (`tuscan discover` with no flag and no Prefect server configured: plain
   steps), `pdfium` (the same with TUSCAN_PDF_READER=pdfium: PDFium reads every page, poppler is
   never used — the comparison for the dense-page reader), `no-prefect` (`--no-prefect`), `prefect`
   (`--prefect`: the Prefect flow with its temporary server) and `prefect-server` (no flag,
   PREFECT_API_URL pointing at a running `prefect server start`, so the command runs as a flow;
   warmed up by one unmeasured run) —
   a discover of an empty folder (the fixed start-up cost; median of three runs), the first scan,
   an unchanged rescan, and a rescan after touching 1% of the files; the scan phase alone is read
   from the `runs` table;
   for the first mode also a first scan of the corpus's `pdf/` folder alone, the files pdfgrep and
   pdftotext read (the whole corpus adds the DOCX, which they skip);
3. `pdfgrep -r -i -c` with the same keywords; then `--cache` twice (fill, then cached);
4. `pdftotext` over every PDF on all cores (`xargs -P`), the practical bound for extraction;
5. plain sequential `pdfplumber.extract_text()` on a sample of PDFs;
6. keyword recall of tuscan and pdfgrep against the generator's known occurrences, hyphen-split
   occurrences separately; for the real corpus, which has none, their hits per term side by side;
7. with --repeat N, N − 1 more alternating pairs of the first mode's first scan (and its PDFs-only
   scan) and `pdfgrep -r -i -c`, and the median of the N ratios: on a shared machine the speed of
   both moves by ±25% between minutes, which one pair cannot tell from a change in tuscan.

It prints a table and appends it, with the machine and commit, to bench/results.md. pdfgrep and
poppler-utils are installed from Debian (apt-get) when missing and the script runs as root.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from bench.corpus import (  # noqa: E402
    KINDS,
    PDFGREP_PATTERNS,
    REAL_DOCUMENTS,
    chars_per_page,
    generate,
    generate_real,
    load_manifest,
    recall,
    term_of_match,
)
from bench.prefect_server import prefect_server, server_env  # noqa: E402
from extractors.pdf import POPPLER_MIN_CHARS  # noqa: E402

RESULTS = HERE / "results.md"
MODES = ("default", "pdfium", "no-prefect", "prefect", "prefect-server")
DEFAULT_MODES = ("default", "prefect-server")
PDFPLUMBER_SAMPLE_FILES = 8
STARTUP_RUNS = 3


# ---------------------------------------------------------------------------------------------
# Measuring one command


@dataclass
class Measured:
    label: str
    wall: float
    peak_tree_mb: float          # sum of RSS over the process and its children, sampled every 50 ms
    peak_process_mb: float       # the largest single process
    returncode: int
    cpu_command: float = 0.0     # CPU seconds of the command's own process (tuscan: the DuckDB writer)
    cpu_others: float = 0.0      # … and of its child processes (extraction workers, servers)
    scan_phase: float | None = None   # tuscan: from the runs table (scan only, no start-up/classify)
    extra: dict = field(default_factory=dict)


def measure(label: str, command: list[str], env: dict | None = None, stdout=None) -> Measured:
    log = tempfile.TemporaryFile()
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=stdout or log, stderr=log)
    root = psutil.Process(process.pid)
    peak_tree = peak_one = 0
    cpu: dict[int, float] = {}   # CPU time per process, last seen (a process's last 50 ms are not seen)
    while process.poll() is None:
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        total = 0
        for proc in procs:
            try:
                rss = proc.memory_info().rss
                times = proc.cpu_times()
                cpu[proc.pid] = times.user + times.system
            except psutil.Error:
                continue
            total += rss
            peak_one = max(peak_one, rss)
        peak_tree = max(peak_tree, total)
        time.sleep(0.05)
    process.wait()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        log.seek(0)
        print(f"[{label}] exit {process.returncode}:\n{log.read().decode(errors='replace')[-3000:]}",
              file=sys.stderr)
    # The children's CPU two ways, the larger one counts: sampled per process (misses processes
    # shorter than 50 ms, such as each pdftotext), and as the kernel accounts the tree when processes
    # are reaped (misses processes nobody waited for, such as tuscan's workers under the forkserver).
    own = cpu.pop(process.pid, 0.0)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    tree = (after.ru_utime - reaped.ru_utime) + (after.ru_stime - reaped.ru_stime)
    return Measured(label, wall, peak_tree / 2**20, peak_one / 2**20, process.returncode, own,
                    max(sum(cpu.values()), tree - own))


# ---------------------------------------------------------------------------------------------
# tuscan


def tuscan_command(paths: list[Path], db: Path, mode: str) -> list[str]:
    command = [sys.executable, "-m", "tuscan", "discover", *map(str, paths), "--db", str(db)]
    return command + {"no-prefect": ["--no-prefect"], "prefect": ["--prefect"]}.get(mode, [])


def last_scan_seconds(db: Path) -> float | None:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("SELECT epoch(finished_at) - epoch(started_at) FROM runs WHERE kind = 'discover'"
                          " ORDER BY run_id DESC LIMIT 1").fetchone()
    finally:
        con.close()
    return float(row[0]) if row and row[0] is not None else None


def tuscan_found(db: Path) -> tuple[dict, dict]:
    """{path: {term: hits}} and the same for hyphen-split hits only (the match spans a line end)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT d.path, h.term, count(*), count(*) FILTER (WHERE h.matched LIKE '%' || chr(10) || '%')"
            " FROM documents d JOIN hits h ON h.sha256 = d.sha256 GROUP BY ALL").fetchall()
    finally:
        con.close()
    found: dict = defaultdict(dict)
    hyphen: dict = defaultdict(dict)
    for path, term, count, split in rows:
        found[path][term] = count
        hyphen[path][term] = split
    return found, hyphen


def touch_one_percent(corpus: Path) -> int:
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".pdf", ".docx"))
    chosen = files[::100]
    now = time.time()
    for path in chosen:
        os.utime(path, (now, now))
    return len(chosen)


def run_tuscan(mode: str, corpus: Path, work: Path, env: dict, pdf_only: bool = False) -> dict[str, Measured]:
    empty = work / "empty"
    empty.mkdir(exist_ok=True)
    db = work / f"{mode}.duckdb"
    for stale in (db, work / f"{mode}-empty.duckdb"):
        stale.unlink(missing_ok=True)
    # The fixed start-up cost varies by a few tenths of a second between runs: the median of three.
    startups = [measure(f"{mode} empty", tuscan_command([empty], work / f"{mode}-empty.duckdb", mode), env)
                for _ in range(STARTUP_RUNS)]
    out = {"empty": sorted(startups, key=lambda m: m.wall)[len(startups) // 2]}
    for step in ("first", "unchanged", "touched"):
        if step == "touched":
            touch_one_percent(corpus)
        result = measure(f"{mode} {step}", tuscan_command([corpus], db, mode), env)
        result.scan_phase = last_scan_seconds(db)
        out[step] = result
        print(f"  {mode:15} {step:10} {result.wall:7.1f} s  scan {result.scan_phase or 0:6.1f} s  "
              f"peak {result.peak_tree_mb:5.0f} MB", flush=True)
    out["first"].extra["found"] = tuscan_found(db)
    if pdf_only:   # the files pdfgrep and pdftotext read, and nothing else: a like-for-like comparison
        db = work / f"{mode}-pdf.duckdb"
        db.unlink(missing_ok=True)
        result = measure(f"{mode} pdf only", tuscan_command([corpus / "pdf"], db, mode), env)
        result.scan_phase = last_scan_seconds(db)
        out["pdf only"] = result
        print(f"  {mode:15} {'PDFs only':10} {result.wall:7.1f} s  scan {result.scan_phase or 0:6.1f} s  "
              f"peak {result.peak_tree_mb:5.0f} MB", flush=True)
    return out


def plain_env(home: Path, mode: str) -> dict:
    """The environment of a mode that needs no running Prefect server."""
    env = server_env(home)
    if mode == "pdfium":
        env["TUSCAN_PDF_READER"] = "pdfium"   # PDFium for every page: the dense-page reader's comparison
    return env


def repeat_pairs(mode: str, corpus: Path, work: Path, env: dict, steps: dict[str, Measured], grep: Measured,
                 repeat: int, pdf_only: bool) -> dict[str, list[tuple[float, float]]]:
    """(tuscan, pdfgrep) wall times of `repeat` alternating pairs, the measured run's first: the
    whole corpus, and its PDFs alone where it has DOCX too."""
    pairs = {"whole": [(steps["first"].wall, grep.wall)]}
    if pdf_only:
        pairs["pdf only"] = [(steps["pdf only"].wall, grep.wall)]
    for n in range(2, repeat + 1):
        times = {}
        for what, target in (("whole", corpus), ("pdf only", corpus / "pdf")):
            if what in pairs:
                db = work / f"{mode}-repeat.duckdb"
                db.unlink(missing_ok=True)
                times[what] = measure(f"{mode} repeat", tuscan_command([target], db, mode), env).wall
        again = measure("pdfgrep repeat", pdfgrep_command(corpus, "-c"), stdout=subprocess.DEVNULL).wall
        for what, wall in times.items():
            pairs[what].append((wall, again))
        print(f"  repeat {n}: tuscan " + ", ".join(f"{w} {t:.1f} s" for w, t in times.items())
              + f"; pdfgrep {again:.1f} s", flush=True)
    return pairs


# ---------------------------------------------------------------------------------------------
# pdfgrep, pdftotext, pdfplumber


def ensure_tools() -> None:
    missing = [tool for tool in ("pdfgrep", "pdftotext") if shutil.which(tool) is None]
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit(f"missing {', '.join(missing)}: apt-get install -y pdfgrep poppler-utils")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "pdfgrep", "poppler-utils"], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def pdfgrep_command(corpus: Path, *options: str) -> list[str]:
    patterns = [arg for p in PDFGREP_PATTERNS.values() for arg in ("-e", p)]
    return ["pdfgrep", "-r", "-i", *options, *patterns, str(corpus)]


def run_pdfgrep(corpus: Path, work: Path, cache_runs: bool = True) -> dict[str, Measured]:
    cache_home = work / "xdg-cache"
    shutil.rmtree(cache_home, ignore_errors=True)
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    out = {"first": measure("pdfgrep", pdfgrep_command(corpus, "-c"), env, stdout=subprocess.DEVNULL)}
    if cache_runs:
        out["cache fill"] = measure("pdfgrep --cache (fill)", pdfgrep_command(corpus, "-c", "--cache"), env,
                                    stdout=subprocess.DEVNULL)
        out["cached"] = measure("pdfgrep --cache (cached)", pdfgrep_command(corpus, "-c", "--cache"), env,
                                stdout=subprocess.DEVNULL)
    for step, result in out.items():
        print(f"  pdfgrep {step:10} {result.wall:7.1f} s  peak {result.peak_tree_mb:5.0f} MB", flush=True)
    # Recall: every match (-o) with its file (-H); from the cache, so it costs little. One pattern per
    # call: with several -e, pdfgrep -o prints only some of a line's matches, which would understate it.
    found: dict = defaultdict(lambda: defaultdict(int))
    prefix = str(corpus).rstrip("/") + "/"
    for pattern in PDFGREP_PATTERNS.values():
        listing = subprocess.run(["pdfgrep", "-r", "-i", "-o", "-H", "--cache", "-e", pattern, str(corpus)],
                                 env=env, capture_output=True, text=True, errors="replace").stdout
        for line in listing.splitlines():
            path, _, matched = line.rpartition(":")
            term = term_of_match(matched)
            if term and path.startswith(prefix):
                found[path[len(prefix):]][term] += 1
    out["first"].extra["found"] = found
    return out


def run_pdftotext(corpus: Path, cores: int) -> Measured:
    files = "\0".join(str(p) for p in sorted(corpus.rglob("*.pdf")))
    script = 'for f; do pdftotext -q "$f" /dev/null; done'
    listing = tempfile.NamedTemporaryFile("w", delete=False)
    listing.write(files)
    listing.close()
    try:
        result = measure("pdftotext", ["sh", "-c", f"xargs -0 -P {cores} -n 25 sh -c '{script}' _ < {listing.name}"])
    finally:
        os.unlink(listing.name)
    print(f"  pdftotext -P{cores}     {result.wall:7.1f} s", flush=True)
    return result


def run_pdfplumber(corpus: Path, manifest: dict) -> tuple[float, int]:
    """Seconds and pages for sequential pdfplumber.extract_text() over a sample of PDFs."""
    import pdfplumber

    sample = sorted(rel for rel in manifest["files"] if rel.endswith(".pdf"))[:PDFPLUMBER_SAMPLE_FILES]
    pages = 0
    started = time.perf_counter()
    for rel in sample:
        with pdfplumber.open(corpus / rel) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    seconds = time.perf_counter() - started
    print(f"  pdfplumber sample   {seconds:7.1f} s  ({pages} pages)", flush=True)
    return seconds, pages


# ---------------------------------------------------------------------------------------------
# Report


def machine() -> str:
    model = ""
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = psutil.virtual_memory().total / 2**30
    return f"{platform.node()}: {model}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, {platform.platform()}"


def commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    # The results file itself is appended to between the runs of one session: not a code change.
    changed = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results.md")
    return head + (" + uncommitted changes" if changed else "")


def rate(amount: float, seconds: float | None) -> str:
    return f"{amount / seconds:,.0f}" if seconds else "–"


def report(args, manifest: dict, tuscan: dict[str, dict[str, Measured]], grep: dict[str, Measured] | None,
           pdftotext: Measured | None, plumber: tuple[float, int] | None,
           repeats: dict[str, list[tuple[float, float]]] | None = None) -> str:
    pages, files = manifest["pdf_pages"], manifest["pdf_files"] + manifest["docx_files"]
    megabytes = manifest["bytes"] / 1e6
    kind = {"real": "real-document", "dense": "dense-page", "wordproc": "word-processor (LibreOffice)"}.get(
        manifest.get("kind", ""), "generated")
    density = f", {manifest['chars_per_page']:,.0f} characters a page" if manifest.get("chars_per_page") else ""
    lines = [
        f"## {dt.datetime.now():%Y-%m-%d %H:%M} — {args.size} {kind} corpus ({manifest['pdf_files']} PDFs, "
        f"{pages:,} pages{density}; {manifest['docx_files']} DOCX; {megabytes:.0f} MB)",
        "",
        f"Machine: {machine()}. Commit: {commit()}. Command: `python bench/run.py {' '.join(sys.argv[1:])}`. "
        f"Load average (1 min) at start {args.load_start:.1f}, at end {os.getloadavg()[0]:.1f} "
        "(other processes on the machine slow every step alike).",
        "",
        "Pages/s count the PDF pages; tuscan also reads the DOCX in the same time (pdfgrep skips them). "
        "*wall* is the whole command from outside, start-up included; *scan* is tuscan's scan phase "
        "from the `runs` table; *peak RSS* is the whole process tree (sum) and its largest process; "
        "*CPU* is the command's own process (for tuscan the single DuckDB writer) and all its "
        "descendants (extraction workers; Prefect's server when it starts one).",
        "",
        "| step | wall s | scan s | pages/s (wall) | docs/s | MB/s | peak RSS tree / largest MB | CPU s own / children |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def row(name: str, m: Measured, count_pages: bool = True) -> None:
        lines.append(
            f"| {name} | {m.wall:.1f} | {m.scan_phase:.1f} |" if m.scan_phase is not None
            else f"| {name} | {m.wall:.1f} | |")
        lines[-1] += (f" {rate(pages, m.wall) if count_pages else ''} | {rate(files, m.wall) if count_pages else ''}"
                      f" | {rate(megabytes, m.wall) if count_pages else ''} | {m.peak_tree_mb:.0f} / "
                      f"{m.peak_process_mb:.0f} | {m.cpu_command:.1f} / {m.cpu_others:.1f} |")

    for mode, steps in tuscan.items():
        row(f"tuscan {mode}: empty folder (start-up, median of {STARTUP_RUNS})", steps["empty"], count_pages=False)
        row(f"tuscan {mode}: first scan", steps["first"])
        row(f"tuscan {mode}: unchanged rescan", steps["unchanged"], count_pages=False)
        row(f"tuscan {mode}: rescan, 1% touched", steps["touched"], count_pages=False)
        if "pdf only" in steps:
            row(f"tuscan {mode}: first scan of the PDFs only (pdf/)", steps["pdf only"])
    if grep:
        row("pdfgrep -r -i -c", grep["first"])
        if "cached" in grep:
            row("pdfgrep --cache (filling)", grep["cache fill"])
            row("pdfgrep --cache (cached)", grep["cached"], count_pages=False)
    if pdftotext:
        row(f"pdftotext, {args.cores} processes (xargs -P)", pdftotext)
    if plumber:
        lines.append(f"| pdfplumber.extract_text(), sequential, {plumber[1]} pages sample | {plumber[0]:.1f} | "
                     f"| {plumber[1] / plumber[0]:,.0f} | | | | |")
    lines += ["", "Ratios and targets:", ""]
    for mode, steps in tuscan.items():
        first, empty, unchanged = steps["first"], steps["empty"], steps["unchanged"]
        work = max(first.wall - empty.wall, 1e-9)

        def beyond(m: Measured, empty: Measured = empty) -> float:
            return max(0.0, m.wall - empty.wall)    # a rescan can beat the empty-folder run by noise

        items = [f"start-up {empty.wall:.1f} s",
                 f"unchanged rescan beyond start-up {100 * beyond(unchanged) / work:.1f}% of the "
                 f"first scan's (target ≤ 3%; whole rescan {100 * unchanged.wall / first.wall:.0f}% "
                 f"≤ 5%)",
                 f"1%-touched rescan beyond start-up {100 * beyond(steps['touched']) / work:.1f}%",
                 f"peak RSS {first.peak_tree_mb:.0f} MB (target ≤ 500)"]
        if grep:
            items.insert(0, f"first scan vs pdfgrep: whole command {grep['first'].wall / first.wall:.2f}× "
                            f"(target ≥ 2.5×), scan phase {grep['first'].wall / first.scan_phase:.2f}× "
                            f"(target ≥ 2×)")
        if pdftotext:
            items.insert(1, f"scan phase at {100 * pdftotext.wall / first.scan_phase:.0f}% of pdftotext's "
                            f"{args.cores}-core pages/s (target ≥ 85%)")
        lines.append(f"- tuscan {mode}: " + "; ".join(items) + ".")
        if "pdf only" in steps and (grep or pdftotext):
            pdf = steps["pdf only"]
            same = []
            if grep:
                same.append(f"whole command {grep['first'].wall / pdf.wall:.2f}× pdfgrep's (target ≥ 2.5×)")
            if pdftotext:
                same.append(f"scan phase at {100 * pdftotext.wall / pdf.scan_phase:.0f}% of pdftotext's "
                            f"{args.cores}-core pages/s (target ≥ 85%)")
            lines.append(f"- tuscan {mode}, the PDFs only (the same files as pdfgrep and pdftotext): "
                         + "; ".join(same) + ".")
    if "default" in tuscan and "pdfium" in tuscan:
        auto, only = tuscan["default"]["first"], tuscan["pdfium"]["first"]
        lines.append(f"- PDF reader: the default (poppler for documents whose first page has ≥ {POPPLER_MIN_CHARS:,}"
                     " characters and long enough a rest) "
                     f"scan phase {auto.scan_phase:.1f} s (whole command {auto.wall:.1f} s); PDFium for every "
                     f"page {only.scan_phase:.1f} s ({only.wall:.1f} s): "
                     f"{100 * (1 - auto.scan_phase / only.scan_phase):+.0f}% scan time saved. (CPU of the "
                     "short pdftotext processes is not in the CPU column: neither sampled nor reaped by tuscan.)")
    if repeats:
        for what, pairs in repeats.items():
            ratios = sorted(g / t for t, g in pairs)
            lines.append(f"- {len(pairs)} alternating pairs ({'the PDFs only' if what == 'pdf only' else 'whole corpus'}"
                         f", tuscan then pdfgrep): whole command "
                         + ", ".join(f"{t:.1f} / {g:.1f} s" for t, g in pairs)
                         + f"; ratio median {statistics.median(ratios):.2f}× (min {ratios[0]:.2f}×, max "
                         f"{ratios[-1]:.2f}×; target ≥ 2.5×).")
    if manifest["docx_files"] and (grep or pdftotext):
        lines.append("- The first-scan ratios of the whole corpus include tuscan's reading of the DOCX, which "
                     "pdfgrep and pdftotext skip; the PDFs-only line compares the same files.")
    if grep and "cached" in grep:
        lines.append(f"- pdfgrep --cache second run: {100 * grep['cached'].wall / grep['first'].wall:.0f}% of its "
                     "first run.")
    if plumber and pdftotext:
        lines.append(f"- pdfplumber sequential: {plumber[1] / plumber[0]:,.0f} pages/s "
                     f"(pdftotext on {args.cores} cores: {pages / pdftotext.wall:,.0f} pages/s).")
    if manifest.get("kind") == "real":
        return "\n".join(lines + hits_side_by_side(manifest, tuscan, grep)) + "\n"
    recall_lines = []
    for name, found in (("tuscan", next(iter(tuscan.values()))["first"].extra.get("found")),
                        ("pdfgrep", grep["first"].extra.get("found") if grep else None)):
        if found is None:
            continue
        if name == "tuscan":
            found, hyphen = found
        else:
            hyphen = found    # pdfgrep matches never span a line end: any credit here is an error
        hit, total = recall(manifest, found, suffix=".pdf")
        split_hit, split_total = recall(manifest, {} if name == "pdfgrep" else hyphen, hyphen_only=True,
                                        suffix=".pdf")
        recall_lines.append(f"- recall {name} (PDFs): {hit}/{total} = {100 * hit / max(total, 1):.1f}% of known "
                            f"occurrences; hyphen-split {split_hit}/{split_total} = "
                            f"{100 * split_hit / max(split_total, 1):.1f}%.")
        if name == "tuscan":
            all_hit, all_total = recall(manifest, found)
            recall_lines[-1] = recall_lines[-1][:-1] + f"; PDFs + DOCX {all_hit}/{all_total}."
    return "\n".join(lines + recall_lines) + "\n"


def hits_side_by_side(manifest: dict, tuscan: dict[str, dict[str, Measured]],
                      grep: dict[str, Measured] | None) -> list[str]:
    """Real documents have no known occurrences: tuscan's hits and pdfgrep's matches per term, in
    the PDFs both read."""
    totals: dict[str, dict[str, int]] = {}
    first_mode = next(iter(tuscan.values()))["first"].extra.get("found")
    for name, found in (("tuscan", first_mode[0] if first_mode else None),
                        ("pdfgrep", grep["first"].extra.get("found") if grep else None)):
        if found is None:
            continue
        counts: dict[str, int] = defaultdict(int)
        for rel, terms in found.items():
            if rel.endswith(".pdf") and rel in manifest["files"]:
                for term, count in terms.items():
                    counts[term] += count
        totals[name] = counts
    if not totals:
        return []
    others = sum(count for term, count in totals.get("tuscan", {}).items() if term not in PDFGREP_PATTERNS)
    return ["", "Keyword hits in the PDFs, for the terms pdfgrep is given (real documents have no known "
            "occurrences to compute recall against):", ""] + [
        f"- {name}: " + ", ".join(f"{term} {counts.get(term, 0):,}" for term in PDFGREP_PATTERNS) + "."
        for name, counts in totals.items()] + (
        [f"- tuscan's other keyword-file terms, which pdfgrep is not given: {others:,} hits."]
        if "tuscan" in totals else [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=("tiny", "small", "large"), default="small")
    parser.add_argument("--real", nargs="?", type=Path, const=REAL_DOCUMENTS, metavar="DOCUMENTS",
                        help=f"a corpus of copies of real documents (default: {REAL_DOCUMENTS})")
    parser.add_argument("--kind", choices=KINDS, default="generated", help="kind of generated corpus")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "tuscan-bench")
    parser.add_argument("--modes", default=",".join(DEFAULT_MODES), help=f"comma-separated subset of {MODES}")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1, help="processes for pdftotext")
    parser.add_argument("--skip", default="", help="comma-separated: pdfgrep,pdfgrep-cache,pdftotext,pdfplumber")
    parser.add_argument("--no-append", action="store_true", help=f"print only; do not append to {RESULTS}")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="alternate tuscan's first scan and pdfgrep N times in all; report the median ratio")
    args = parser.parse_args()
    args.load_start = os.getloadavg()[0]
    modes = [m for m in args.modes.split(",") if m]
    skip = set(filter(None, args.skip.split(",")))
    unknown = set(modes) - set(MODES)
    if unknown:
        parser.error(f"unknown modes: {', '.join(sorted(unknown))}")
    if args.repeat > 1 and modes and modes[0] == "prefect-server":
        parser.error("--repeat alternates the first mode without a server; put another mode first")

    name = "real" if args.real else None if args.kind == "generated" else args.kind
    corpus = args.work / (f"corpus-{name}-{args.size}" if name else f"corpus-{args.size}")
    if not (corpus / "manifest.json").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        started = time.perf_counter()
        if args.real:
            generate_real(corpus, args.size, args.real)
        else:
            generate(corpus, args.size, kind=args.kind)
        print(f"generated {corpus} in {time.perf_counter() - started:.1f} s", flush=True)
    manifest = load_manifest(corpus)
    if "chars_per_page" not in manifest:    # a corpus generated before manifests recorded it
        sample = sorted(rel for rel in manifest["files"] if rel.endswith(".pdf"))[:: max(1, manifest["pdf_files"] // 40)]
        manifest["chars_per_page"] = chars_per_page([(corpus / rel).read_bytes() for rel in sample])
    if "pdfgrep" not in skip or "pdftotext" not in skip:
        ensure_tools()

    tuscan: dict[str, dict[str, Measured]] = {}
    for mode in modes:
        home = args.work / f"prefect-home-{mode}"
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        if mode == "prefect-server":
            with prefect_server(home) as api_url:
                # A freshly started server answers its first flow run ~1 s slower than a running
                # one (its own lazy start-up); one unmeasured run keeps that out of tuscan's start-up.
                warm_up = args.work / "prefect-server-warm-up.duckdb"
                warm_up.unlink(missing_ok=True)
                (args.work / "empty").mkdir(exist_ok=True)
                subprocess.run(tuscan_command([args.work / "empty"], warm_up, mode), env=server_env(home, api_url),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
                tuscan[mode] = run_tuscan(mode, corpus, args.work, server_env(home, api_url),
                                          pdf_only=mode == modes[0] and manifest["docx_files"] > 0)
        else:
            tuscan[mode] = run_tuscan(mode, corpus, args.work, plain_env(home, mode), pdf_only=mode == modes[0] and
                                      manifest["docx_files"] > 0)
    grep = run_pdfgrep(corpus, args.work, "pdfgrep-cache" not in skip) if "pdfgrep" not in skip else None
    pdftotext = run_pdftotext(corpus, args.cores) if "pdftotext" not in skip else None
    plumber = run_pdfplumber(corpus, manifest) if "pdfplumber" not in skip else None
    repeats = None
    if grep and modes and args.repeat > 1:
        mode = modes[0]
        repeats = repeat_pairs(mode, corpus, args.work, plain_env(args.work / f"prefect-home-{mode}", mode),
                               tuscan[mode], grep["first"], args.repeat, pdf_only="pdf only" in tuscan[mode])

    text = report(args, manifest, tuscan, grep, pdftotext, plumber, repeats)
    print("\n" + text)
    if not args.no_append:
        if not RESULTS.exists():
            RESULTS.write_text("# Benchmark results\n\nAppended by `bench/run.py`; newest last.\n\n",
                               encoding="utf-8")
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write("\n" + text)


if __name__ == "__main__":
    main()
