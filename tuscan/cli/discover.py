"""`tuscan discover`, `tuscan classify`, `tuscan decide`."""

from __future__ import annotations

import contextlib
import os

import click

from extractors import Limits
from tuscan import db as database
from tuscan import steps
from tuscan.archive.load import RUNNERS, ScanOptions, example_archive
from tuscan.cli import main
from tuscan.cli.options import db_option, wait_option
from tuscan.cli.quiet_exit import silence_interpreter_teardown
from tuscan.cli.tracking import prefect_option, use_prefect
from tuscan.rules import CATEGORIES
from tuscan.steps import run_steps
from tuscan.summary import discover_summary


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@db_option
@wait_option
@click.option("--workers", type=int, default=None, help="Worker processes for extraction [default: all cores].")
@click.option("--timeout", type=float, default=Limits.timeout_seconds, show_default=True, metavar="SECONDS",
              help="Time limit for reading one document, all its pages included; a document over it is"
                   " recorded as an error (raise it for long scanned documents).")
@click.option("--retry-failed", is_flag=True,
              help="Read again the files that went over the time limit or crashed the reader in an earlier run"
                   " (otherwise an unchanged such file keeps its error and is skipped).")
@click.option("--refind", is_flag=True,
              help="Search the stored text of every document for keywords again (done automatically for"
                   " documents searched with an older keyword file).")
@click.option("--follow-links", is_flag=True,
              help="Read files that symbolic links lead to outside the scanned folders (by default such"
                   " links are recorded as skipped).")
@prefect_option
@click.option("--runner", type=click.Choice(RUNNERS), default=None,
              help="Where extraction runs: local worker processes [default], inline (one process), tasks"
                   " (a Prefect task per batch), dask (a Dask cluster through Prefect; see --dask).")
@click.option("--dask", "dask_address", metavar="ADDRESS", default=None,
              help="Extract on the Dask cluster at this scheduler address (implies --runner dask). The"
                   " workers need PREFECT_API_URL set to a running Prefect server; see docs/performance.md.")
def discover(paths: tuple[str, ...], db: str, wait: float, workers: int | None, prefect: bool | None,
             runner: str | None, dask_address: str | None, timeout: float, retry_failed: bool,
             refind: bool, follow_links: bool) -> None:
    """Scan contract archives (folders, zip files) and classify what they show.

    With no PATH, scans the bundled example archive. Re-runs are incremental: unchanged files are
    not read again, renamed files keep their findings, deleted files are marked missing. Files that
    cannot be read are listed; the command still exits 0 when the run itself finished. A file that
    went over --timeout or crashed the reader is not tried again while it is unchanged (unless
    --retry-failed, or a larger --timeout for a timed-out file). After reference/keywords.toml (or
    the file in $TUSCAN_KEYWORDS) changes, the stored text is searched again; no file is re-read.
    Symbolic links that lead out of the scanned folders are not followed (--follow-links).

    \b
    Example:
        tuscan discover /srv/kontrakter leverandoer-aftaler.zip --db inventory.duckdb
        tuscan discover /srv/kontrakter --dask tcp://10.0.0.5:8786
        tuscan discover /srv/kontrakter --timeout 600 --retry-failed
    """
    if dask_address:
        if runner not in (None, "dask"):
            raise click.UsageError(f"--dask needs --runner dask, not --runner {runner}")
        runner = "dask"
    runner = runner or "local"
    if prefect is False and runner in ("tasks", "dask"):
        raise click.UsageError(f"--runner {runner} runs extraction as Prefect tasks; it cannot be combined"
                               " with --no-prefect")
    targets = list(paths) or [str(example_archive())]
    for target in targets:
        if not os.path.exists(target) and not os.path.islink(target):
            raise click.BadParameter(f"{target}: no such file or folder", param_hint="PATH")
    as_flow = runner in ("tasks", "dask") or use_prefect(prefect)
    # Plain steps share one inventory connection for scan, classification and summary (`db.held`);
    # a flow's tasks open their own.
    with contextlib.nullcontext() if as_flow else database.held(db, wait=wait, command="discover"):
        if as_flow:
            from flows.discover import discover as discover_with_flow
            from tuscan.cli.heartbeats import without_unrequested_heartbeats

            with without_unrequested_heartbeats():
                discover_with_flow(targets, db=db, workers=workers, runner=runner, dask_address=dask_address,
                                   wait=wait, show_progress=True, timeout=timeout, retry_failed=retry_failed,
                                   refind=refind, follow_links=follow_links)
            silence_interpreter_teardown()
        else:
            options = ScanOptions(workers=workers, runner=runner, wait=wait, timeout=timeout,
                                  retry_failed=retry_failed, refind=refind, follow_links=follow_links,
                                  show_progress=True)
            run_steps(steps.discover(targets, db, options))
        with database.reading(db, wait=wait) as con:
            click.echo(discover_summary(con))


@main.command("classify")
@db_option
@wait_option
def classify_command(db: str, wait: float) -> None:
    """Re-run identification, matching and classification over what is stored.

    Use after importing KITOS data, editing the reference lists or upgrading tuscan. People's
    decisions (`tuscan decide`) are kept. Documents searched with an older keyword file are
    searched again first, from their stored text.

    \b
    Example:
        tuscan classify --db inventory.duckdb
    """
    run_steps(steps.classify(db, wait), echo=click.echo)


@main.command()
@click.argument("system")
@click.option("--category", required=True, type=click.Choice(CATEGORIES), help="The category you decided.")
@click.option("--level", type=click.Choice(["Lav", "Betydelig"]), default=None, help="Sikringsniveau.")
@click.option("--note", default=None, help="Why (kept with the decision).")
@click.option("--by", "decided_by", default=None, help="Who decided [default: your login name].")
@db_option
@wait_option
def decide(system: str, category: str, level: str | None, note: str | None, decided_by: str | None,
           db: str, wait: float) -> None:
    """Record a person's decision about a system. Decisions are kept forever and win over rules.

    \b
    Example:
        tuscan decide "Korsbæk Parkering" --category own --level Lav --note "Kun navn og nummerplade"
    """
    results = run_steps(steps.decide(db, system, category, level=level, note=note, decided_by=decided_by,
                                     wait=wait))
    click.echo(results["record-decision"])
