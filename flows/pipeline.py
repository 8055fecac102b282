"""Pipeline: the whole run for one municipality (archives → KITOS → website → classify → report) from
its config file — the steps of `tuscan run` (`tuscan.steps.pipeline`), each as a Prefect task."""

from __future__ import annotations

from prefect import flow

from flows.discover import task_submitter
from flows.steps import run_as_tasks
from flows.summary import publish
from tuscan import steps
from tuscan.archive.load import ScanOptions
from tuscan.pipeline import load_config


@flow(name="pipeline", log_prints=True)
def pipeline_flow(config: str | None = None, runner: str = "local", config_path: str | None = None) -> dict:
    """Run everything the municipality's tuscan.toml configures (`config`; `config_path` is its
    earlier name); with no config, the bundled example archive."""
    settings = load_config(config or config_path)
    options = ScanOptions(runner=runner)
    results = run_as_tasks(steps.pipeline(settings, options, submit=task_submitter(options)))
    publish(settings.db, results.get("write-report", []))
    return {name: _jsonable(result) for name, result in results.items()}


def _jsonable(result):
    if hasattr(result, "as_json"):
        return result.as_json()
    if hasattr(result, "describe"):
        return result.describe()
    return result
