"""Running a crawl: record the run, run the spider in a subprocess, load what it wrote.

Plain functions, the steps of `tuscan crawl` (`tuscan.steps` lists them; the CLI runs them directly
and `flows/crawl.py` as Prefect tasks). The spider runs as `python -m spiders.run …` in a
subprocess: the Twisted reactor cannot be restarted in one process, and the crawl must not hold the
database while it runs (the database is opened twice, briefly: to record the run, and to store the
results). The documents it saves are scanned afterwards by the archive scanner.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tuscan import db as database
from tuscan.runs import finish_run
from tuscan.web.load import (
    CrawlSummary,
    begin_crawl,
    finish_crawl,
    load_items,
    mark_gone_after,
    saved_documents,
)

REPO_ROOT = Path(__file__).resolve().parents[2]   # where the `spiders` package lives
DEFAULT_MAX_PAGES = 200
DEFAULT_MAX_DEPTH = 3
DEFAULT_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


@dataclass
class CrawlProgress:
    pages: int = 0
    links: int = 0
    verified: int = 0
    documents: int = 0
    errors: int = 0


ProgressFn = Callable[[CrawlProgress], None]


class CrawlProgressLine:
    """Pages crawled and links found, on one line on a terminal (stderr, so stdout stays clean)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.last = None

    def __call__(self, counts) -> None:
        line = (f"pages {counts.pages} · self-service links {counts.links} · verified logins {counts.verified}"
                f" · documents {counts.documents} · errors {counts.errors}")
        if line == self.last:
            return
        self.last = line
        self.stream.write(("\r" + line.ljust(100)) if self.tty else line + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.tty and self.last:
            self.stream.write("\n")


def cache_dir(db: str | os.PathLike) -> Path:
    """`<db>.webcache/`: the spider's output and downloaded documents, beside the database."""
    db = Path(db)
    return db.with_name(db.name + ".webcache")


def spider_command(start_url: str, out: str | os.PathLike, *, max_pages: int, max_depth: int,
                   allow_domains: list[str] | tuple[str, ...] = (), documents: bool = False,
                   document_dir: str | os.PathLike | None = None,
                   document_max_bytes: int = DEFAULT_DOCUMENT_MAX_BYTES, contact: str | None = None,
                   settings: dict | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "spiders.run", start_url, "--out", str(out), "--max-pages", str(max_pages),
           "--max-depth", str(max_depth)]
    for domain in allow_domains:
        cmd += ["--allow-domain", domain]
    if documents:
        cmd += ["--documents", "--document-dir", str(document_dir), "--document-max-bytes", str(document_max_bytes)]
    if contact:
        cmd += ["--contact", contact]
    for name, value in (settings or {}).items():
        cmd += ["--set", f"{name}={value}"]
    return cmd


def run_spider(cmd: list[str], out: str | os.PathLike, log: str | os.PathLike,
               progress: ProgressFn | None = None, poll: float = 0.2) -> int:
    """Run the spider subprocess to the end, reporting progress from its output file."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    counts = CrawlProgress()
    position = 0
    with open(log, "w", encoding="utf-8") as log_file:
        proc = subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT, env=env)
        try:
            while True:
                finished = proc.poll() is not None
                if progress:
                    position = _count_new(out, position, counts)
                    progress(counts)
                if finished:
                    return proc.returncode
                time.sleep(poll)
        except BaseException:
            proc.terminate()
            proc.wait(10)
            raise


def _count_new(path: str | os.PathLike, position: int, counts: CrawlProgress) -> int:
    try:
        with open(path, "rb") as fh:
            fh.seek(position)
            chunk = fh.read()
    except FileNotFoundError:
        return position
    complete = chunk[: chunk.rfind(b"\n") + 1]
    for line in complete.decode("utf-8", "replace").splitlines():
        if '"item": "PageItem"' in line:
            counts.pages += 1
        elif '"item": "LinkItem"' in line:
            counts.links += 1
        elif '"item": "VerificationItem"' in line and '"login_verified": true' in line:
            counts.verified += 1
        elif '"item": "DocumentItem"' in line:
            counts.documents += 1
        elif '"item": "PageErrorItem"' in line:
            counts.errors += 1
    return position + len(complete)


def _log_tail(log: str | os.PathLike, lines: int = 5) -> str:
    try:
        text = Path(log).read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-lines:])


def load_crawl(db: str | os.PathLike, run_id: int, start_url: str, out: str | os.PathLike, exit_code: int,
               log: str | os.PathLike, *, documents: bool, wait: float = 0) -> CrawlSummary:
    """Store the crawl's records and finish the run; `summary.saved` lists the downloaded documents
    (for the scanner)."""
    with database.writing(db, wait=wait, command="crawl") as con:
        try:
            summary, saved = load_items(con, run_id, start_url, out)
            summary.exit_code = exit_code
            if documents:
                summary.saved = saved_documents(saved)
                mark_gone_after(con, summary)
            error = None if exit_code == 0 else f"the crawler stopped with exit code {exit_code}: {_log_tail(log)}"
            finish_crawl(con, summary, error=error)
        except BaseException as exc:
            finish_run(con, run_id, "failed", error=f"{type(exc).__name__}: {exc}")
            raise
    return summary


def prepare_crawl(db: str | os.PathLike, start_url: str, *, allow_domains: list[str] | tuple[str, ...] = (),
                  max_pages: int = DEFAULT_MAX_PAGES, max_depth: int = DEFAULT_MAX_DEPTH, documents: bool = False,
                  wait: float = 0) -> tuple[int, Path, Path]:
    """Record the crawl run; returns (run id, the spider's output file, its log file)."""
    with database.writing(db, wait=wait, command="crawl") as con:
        run_id = begin_crawl(con, start_url, allow_domains=allow_domains, max_pages=max_pages,
                             max_depth=max_depth, documents=documents)
    work = cache_dir(db)
    work.mkdir(parents=True, exist_ok=True)
    return run_id, work / f"crawl-{run_id}.jsonl", work / f"crawl-{run_id}.log"


def run_crawl(start_url: str, db: str | os.PathLike = database.DEFAULT_DB, *, max_pages: int = DEFAULT_MAX_PAGES,
              max_depth: int = DEFAULT_MAX_DEPTH, allow_domains: list[str] | tuple[str, ...] = (),
              documents: bool = False, document_max_bytes: int = DEFAULT_DOCUMENT_MAX_BYTES,
              contact: str | None = None, settings: dict | None = None, wait: float = 0,
              progress: ProgressFn | None = None) -> CrawlSummary:
    """Record the run, crawl and store the records (documents are scanned by the next step)."""
    run_id, out, log = prepare_crawl(db, start_url, allow_domains=allow_domains, max_pages=max_pages,
                                     max_depth=max_depth, documents=documents, wait=wait)
    cmd = spider_command(start_url, out, max_pages=max_pages, max_depth=max_depth, allow_domains=allow_domains,
                         documents=documents, document_dir=cache_dir(db) / "documents",
                         document_max_bytes=document_max_bytes, contact=contact, settings=settings)
    exit_code = run_spider(cmd, out, log, progress)
    return load_crawl(db, run_id, start_url, out, exit_code, log, documents=documents, wait=wait)
