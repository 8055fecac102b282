"""Discover: scan contract archives, then classify — the steps of `tuscan discover`
(`tuscan.steps.discover`), each as a Prefect task.

The flow process is always the single DuckDB writer; only extraction and keyword finding move, by
`runner` (`tuscan.archive.load.RUNNERS`): "local" worker processes with a deadline per document,
"inline" in this process, "tasks" a Prefect task per batch of files on the flow's task runner, or
"dask": those tasks on a `prefect_dask.DaskTaskRunner` — a Dask cluster at `dask_address`, or a
temporary local one. Dask workers need a real Prefect API (PREFECT_API_URL), otherwise each starts
its own temporary server. See docs/performance.md "Scaling out".
"""

from __future__ import annotations

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from extractors import Limits
from flows.steps import run_as_tasks
from flows.summary import publish
from tuscan import db as database
from tuscan import steps
from tuscan.archive.load import RUNNERS, ScanOptions, default_workers
from tuscan.archive.reader import Item, extract_batch
from tuscan.pipeline import ConfigError, load_config


class UnknownRunner(ValueError):
    """The runner name is not one of RUNNERS."""


# No cache policy: a batch's inputs are file paths, whose content may change between runs (change
# detection is the scan's job), and hashing inputs per task would only cost time.
@task(name="extract-batch", retries=0, cache_policy=NO_CACHE)
def extract_batch_task(items: list[Item], limits: Limits | None = None):
    """Extract and search a batch of files (runs wherever the task runner puts it). The size and
    page limits apply; the per-document time limit needs the local runner's worker pool."""
    return extract_batch(items, limits)


def task_submitter(options: ScanOptions):
    """For the "tasks" and "dask" runners: hand each batch to a Prefect task (call inside a flow)."""
    if options.runner not in RUNNERS:
        raise UnknownRunner(f"unknown runner {options.runner!r}; choose one of {', '.join(RUNNERS)}")
    if options.runner not in ("tasks", "dask"):
        return None
    limits = options.limits

    def submit(items: list[Item]):
        return extract_batch_task.submit(items, limits)

    return submit


def run_discover(paths: list[str], db: str = database.DEFAULT_DB, *, workers: int | None = None,
                 runner: str = "local", **options):
    """`tuscan.steps.run_discover` with every runner: "tasks" and "dask" hand each batch to a
    Prefect task on the current flow's task runner (call inside a flow)."""
    submit = task_submitter(ScanOptions(runner=runner))
    return steps.run_discover(paths, db, workers=workers, runner="local" if submit else runner, submit=submit,
                              **options)


@flow(name="discover", log_prints=True)
def discover_flow(paths: list[str] | None = None, db: str | None = None, workers: int | None = None,
                  runner: str = "local", wait: float = 0, show_progress: bool = False,
                  timeout: float | None = None, retry_failed: bool = False, refind: bool = False,
                  follow_links: bool = False, config: str | None = None) -> dict:
    """Scan contract archives (folders, zip files) into the inventory and classify the systems.
    `config`: the municipality's tuscan.toml, for the inventory and the archives unless given;
    `timeout`: seconds allowed for reading one document; `retry_failed`: read files that timed out
    or crashed a reader before; `refind`: find the keyword hits of every stored document again."""
    settings = load_config(config) if config else None
    db = db or (str(settings.db) if settings else database.DEFAULT_DB)
    paths = paths or ([str(p) for p in settings.archives] if settings else [])
    if not paths:
        raise ConfigError("nothing to scan: give paths, or a config whose `archives` lists the archives")
    options = ScanOptions(workers=workers, runner=runner, wait=wait, show_progress=show_progress,
                          timeout=timeout or Limits.timeout_seconds, retry_failed=retry_failed, refind=refind,
                          follow_links=follow_links)
    results = run_as_tasks(steps.discover(paths, db, options, submit=task_submitter(options)))
    summary = results["scan-archives"]
    publish(db)
    return {"run_id": summary.run_id, "files": summary.files_seen, "extracted": summary.extracted,
            "errors": summary.read_errors, "pages": summary.pages, "skipped_failed": summary.skipped_failed,
            "refound": summary.refound}


def dask_worker_threads(address: str) -> int:
    """Worker threads of the Dask cluster at `address` (how many batches it can extract at once)."""
    from distributed import Client

    with Client(address, set_as_default=False, timeout=30) as client:
        return max(1, sum(client.nthreads().values()))


def flow_for_runner(runner: str = "local", dask_address: str | None = None):
    """`discover_flow` with the task runner `runner` needs: a DaskTaskRunner for "dask" (connected to
    `dask_address`, or a temporary local cluster of one process per core), else the default."""
    if runner not in RUNNERS:
        raise UnknownRunner(f"unknown runner {runner!r}; choose one of {', '.join(RUNNERS)}")
    if runner != "dask":
        return discover_flow
    from prefect_dask import DaskTaskRunner

    if dask_address:
        task_runner = DaskTaskRunner(address=dask_address)
    else:
        task_runner = DaskTaskRunner(cluster_kwargs={"n_workers": default_workers(), "threads_per_worker": 1,
                                                     "processes": True})
    return discover_flow.with_options(task_runner=task_runner)


def discover(paths: list[str], db: str = database.DEFAULT_DB, *, workers: int | None = None,
             runner: str = "local", dask_address: str | None = None, wait: float = 0,
             show_progress: bool = False, timeout: float | None = None, retry_failed: bool = False,
             refind: bool = False, follow_links: bool = False) -> dict:
    """Run the discover flow on the task runner `runner` needs (what `tuscan discover --prefect` calls)."""
    if runner == "dask" and dask_address and workers is None:
        workers = dask_worker_threads(dask_address)
    return flow_for_runner(runner, dask_address)(paths, db=db, workers=workers, runner=runner, wait=wait,
                                                 show_progress=show_progress, timeout=timeout,
                                                 retry_failed=retry_failed, refind=refind,
                                                 follow_links=follow_links)
