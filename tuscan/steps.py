"""One list of steps per command: what `tuscan discover`, `kitos`, `crawl`, `decide`, `classify`,
`lists import`, `report` and `run` do, in order — scan or import, then classify once, then outputs.

The CLI runs a list directly (`run_steps`); the Prefect flows in `flows/` run the same list, each
step as a task (`flows.steps.run_as_tasks`), so the two can never drift apart. A step is a plain
function of the results of the steps before it; it opens the database by path itself (one writer
at a time, held only while the step runs), so it can run in a Prefect task as well.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from tuscan import db as database

Results = dict[str, object]     # step name → what the step returned


@dataclass(frozen=True)
class Step:
    name: str                                # shown as the Prefect task name: says what the step does
    run: Callable[[Results], object]
    retries: int = 0                         # network I/O steps are retried in deployments
    describe: Callable[[object], str | None] = field(default=lambda _result: None)


def run_steps(steps: list[Step], echo: Callable[[str], None] | None = None) -> Results:
    """Run the steps in order in this process; returns every step's result by name."""
    results: Results = {}
    for step in steps:
        results[step.name] = step.run(results)
        if echo and (line := step.describe(results[step.name])):
            echo(line)
    return results


# --- the steps ---------------------------------------------------------------------------------------

def scan_archives_step(paths: list[str], db: str | os.PathLike, options, submit=None, progress=None) -> Step:
    from tuscan.archive.load import scan_archives

    return Step("scan-archives", lambda _r: scan_archives([str(p) for p in paths], db, options, submit=submit,
                                                          progress=progress), describe=describe_scan)


def describe_scan(s) -> str:
    return (f"Scanned {s.files_seen} file(s): {s.extracted} read, {s.linked + s.unchanged} known already,"
            f" {s.read_errors} could not be read, {s.skipped} skipped, {s.missing} gone since the last run")


def refind_step(db: str | os.PathLike, wait: float = 0) -> Step:
    """Text read with an older keyword file is searched again before classifying, so the inventory
    never depends on which command classified last."""
    def refind_stored(_results: Results):
        from tuscan.archive.load import default_workers
        from tuscan.archive.refind import refind

        with database.writing(db, wait=wait, command="classify") as con:
            return refind(con, workers=default_workers())

    return Step("search-stored-text-again", refind_stored,
                describe=lambda done: done.describe() if done.contents else None)


def refresh_inventory(con, workers: int = 1):
    """Search stored text again where the keyword file changed, then classify, on an open writable
    connection: what every command does after it changed what the inventory depends on (the web
    app after a decision, too). Returns the classification's result."""
    from tuscan.archive.refind import refind
    from tuscan.classify import classify

    refind(con, workers=workers)
    return classify(con)


def classify_step(db: str | os.PathLike, wait: float = 0, *, unless_unchanged: str | None = None) -> Step:
    """Classify once. `unless_unchanged`: the name of a scan step whose run changed nothing, after
    which the inventory (classified after the run before it) is already current."""
    def classify_stored(results: Results):
        from tuscan.classify import classify

        with database.writing(db, wait=wait, command="classify") as con:
            scanned = results.get(unless_unchanged) if unless_unchanged else None
            if scanned is not None and scanned.changed_nothing() and _classified_before(con, scanned.run_id):
                return None
            return classify(con)

    return Step("classify", classify_stored, describe=lambda result: result.describe() if result else None)


def _classified_before(con, run_id: int) -> bool:
    """The inventory was classified after everything the runs before `run_id` changed: the newest
    earlier run that is not a finished archive scan that changed nothing is a finished
    classification (so repeated unchanged scans skip classifying, every one of them)."""
    from tuscan.archive.scan import summary_changed_nothing

    runs = con.execute("SELECT kind, status, summary FROM runs WHERE run_id < ? ORDER BY run_id DESC", [run_id])
    while (row := runs.fetchone()) is not None:   # newest first, as far back as needed
        kind, status, summary = row
        if kind == "discover" and status == "finished" and summary_changed_nothing(summary):
            continue
        return (kind, status) == ("classify", "finished")
    return False


# --- per command ---------------------------------------------------------------------------------------

def discover(paths: list[str], db: str | os.PathLike, options, submit=None, progress=None) -> list[Step]:
    return [scan_archives_step(paths, db, options, submit, progress),
            classify_step(db, options.wait, unless_unchanged="scan-archives")]


def run_discover(paths: list[str], db: str | os.PathLike = database.DEFAULT_DB, *, workers: int | None = None,
                 runner: str = "local", wait: float = 0, timeout: float | None = None,
                 max_file_bytes: int | None = None, retry_failed: bool = False, refind: bool = False,
                 follow_links: bool = False, progress=None, submit=None, limits=None):
    """`tuscan discover` as a library call: scan, then classify, in this process. Returns the scan's
    summary. `limits` (extractors.Limits) sets the time and size limits at once."""
    from tuscan.archive.load import ScanOptions

    if limits is not None:
        timeout, max_file_bytes = limits.timeout_seconds, limits.max_file_bytes
    options = ScanOptions(workers=workers, runner=runner, wait=wait, retry_failed=retry_failed, refind=refind,
                          follow_links=follow_links,
                          **{k: v for k, v in (("timeout", timeout), ("max_file_bytes", max_file_bytes)) if v})
    return run_steps(discover(paths, db, options, submit, progress))["scan-archives"]


def classify(db: str | os.PathLike, wait: float = 0) -> list[Step]:
    return [refind_step(db, wait), classify_step(db, wait)]


def decide(db: str | os.PathLike, system: str, category: str, *, level: str | None, note: str | None,
           decided_by: str | None, wait: float = 0) -> list[Step]:
    def record(_results: Results):
        from tuscan.decisions import record_decision

        with database.writing(db, wait=wait, command="decide") as con:
            return record_decision(con, system, category, level=level, note=note, decided_by=decided_by)

    return [Step("record-decision", record, describe=str), *classify(db, wait)]


def kitos_import(files: list[str], db: str | os.PathLike, *, wait: float = 0, force: bool = False) -> list[Step]:
    def import_files(_results: Results):
        from tuscan.kitos.load import import_exports

        return import_exports(files, db, wait=wait, force=force)

    return [Step("import-kitos-exports", import_files, describe=lambda s: s.describe()), *classify(db, wait)]


def kitos_fetch(url: str, cvr: str, db: str | os.PathLike, *, wait: float = 0, timeout: float | None = None,
                page_size: int | None = None, email: str | None = None, password: str | None = None) -> list[Step]:
    """Credentials come from the arguments or the environment, never from step results or logs."""
    def fetch(_results: Results):
        from tuscan.kitos.load import fetch_into

        return fetch_into(db, url, cvr, email=email, password=password, timeout=timeout, page_size=page_size,
                          wait=wait)

    return [Step("fetch-kitos-api", fetch, retries=2, describe=lambda s: s.describe()), *classify(db, wait)]


def lists_import(file: str | os.PathLike, choice: str, db: str | os.PathLike, *, source: str | None = None,
                 wait: float = 0) -> list[Step]:
    """`tuscan lists import`: store the file as a new version of a KL list, classify again, list the
    systems whose category changed."""
    def import_file(_results: Results):
        from tuscan.lists import import_list

        with database.writing(db, wait=wait, command="lists import") as con:
            return import_list(con, file, choice, source=source)

    def changed(results: Results):
        from tuscan.lists import category_changes

        with database.reading(db, wait=wait) as con:
            return category_changes(con, results["classify"].run_id)

    def describe_changes(changes) -> str:
        from tuscan.lists import describe_changes as describe

        return describe(changes)

    return [Step("import-kl-list", import_file, describe=lambda r: r.describe()), *classify(db, wait),
            Step("list-category-changes", changed, describe=describe_changes)]


@dataclass(frozen=True)
class CrawlOptions:
    max_pages: int = 200
    max_depth: int = 3
    allow_domains: tuple[str, ...] = ()
    documents: bool = False
    document_max_bytes: int = 20 * 1024 * 1024
    contact: str | None = None
    settings: tuple[tuple[str, str], ...] = ()
    show_progress: bool = False


def crawl_steps(url: str, db: str | os.PathLike, crawl: CrawlOptions, scan_options, submit=None) -> list[Step]:
    """Crawl the site, store what the spider found, scan the documents it saved (the archive
    scanner, with its workers and limits), without classifying."""
    def crawl_site(_results: Results):
        from tuscan.web.crawl import CrawlProgressLine, run_crawl

        progress = CrawlProgressLine() if crawl.show_progress else None
        summary = run_crawl(url, db, max_pages=crawl.max_pages, max_depth=crawl.max_depth,
                            allow_domains=crawl.allow_domains, documents=crawl.documents,
                            document_max_bytes=crawl.document_max_bytes, contact=crawl.contact,
                            settings=dict(crawl.settings), wait=scan_options.wait, progress=progress)
        if progress:
            progress.done()
        return summary

    def scan_saved(results: Results):
        return scan_saved_documents(results["crawl-website"], db, scan_options, submit=submit)

    steps = [Step("crawl-website", crawl_site, retries=1)]
    if crawl.documents:
        steps.append(Step("scan-linked-documents", scan_saved))
    return steps


def scan_saved_documents(crawled, db: str | os.PathLike, scan_options, submit=None):
    """The documents a crawl saved, scanned by the archive scanner under their web origin and URL
    path, with the page that linked them as origin."""
    from tuscan.archive.load import scan_documents
    from tuscan.archive.walk import FileRef

    refs = []
    for doc in crawled.saved:
        st = os.stat(doc.cache_path)
        refs.append(FileRef(doc.root, doc.path, doc.cache_path, st.st_size, st.st_mtime, origin=doc.page_url))
    scanned = scan_documents(refs, db, scan_options, kind="crawl-documents",
                             args={"crawl_run": crawled.run_id, "documents": len(refs)}, submit=submit)
    crawled.documents_scanned = scanned.extracted + scanned.linked + scanned.unchanged
    return scanned


def crawl(url: str, db: str | os.PathLike, crawl: CrawlOptions, scan_options, submit=None) -> list[Step]:
    return [*crawl_steps(url, db, crawl, scan_options, submit), *classify(db, scan_options.wait)]


def report_step(db: str | os.PathLike, html: str | os.PathLike | None, xlsx: str | os.PathLike | None) -> Step:
    def write(_results: Results):
        from tuscan.report import write_report

        return [str(p) for p in write_report(db, html=html, xlsx=xlsx)]

    return Step("write-report", write, describe=lambda written: "\n".join(f"Wrote {p}" for p in written) or None)


def pipeline(config, scan_options, submit=None) -> list[Step]:
    """`tuscan run`: every configured source, then classify once, then the report."""
    db = config.db
    steps: list[Step] = []
    if config.archives:
        steps.append(scan_archives_step([str(p) for p in config.archives], db, scan_options, submit))
    if config.kitos:
        if config.kitos.files:
            steps += kitos_import([str(p) for p in config.kitos.files], db, wait=scan_options.wait)[:1]
        if config.kitos.api_url:
            steps += kitos_fetch(config.kitos.api_url, config.kitos.cvr, db, wait=scan_options.wait)[:1]
    if config.website:
        site = config.website
        options = CrawlOptions(**{k: v for k, v in (("max_pages", site.max_pages), ("max_depth", site.max_depth))
                                  if v}, allow_domains=tuple(site.allow_domains), documents=site.documents)
        steps += crawl_steps(site.url, db, options, scan_options, submit)
    steps += classify(db, scan_options.wait)
    if config.html or config.xlsx:
        steps.append(report_step(db, config.html, config.xlsx))
    return steps
