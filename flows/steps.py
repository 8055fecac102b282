"""A command's steps (`tuscan.steps`) run as Prefect tasks, one task per step, named after it, so a
flow run shows each step, its duration and its state, and logs the same lines the CLI prints."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from tuscan.steps import Results, Step


def run_as_tasks(steps: list[Step]) -> Results:
    """Run the steps in order, each as a task; returns every step's result by name."""
    results: Results = {}
    for step in steps:
        # No cache policy: a step's inputs are paths whose content changes between runs.
        as_task = task(_run_step, name=step.name, retries=step.retries, retry_delay_seconds=30,
                       cache_policy=NO_CACHE)
        results[step.name] = as_task(step, dict(results))
        line = step.describe(results[step.name])
        if line:
            print(line)   # the flows log prints (log_prints=True): the run's log has what the CLI prints
    return results


def _run_step(step: Step, results: Results):
    return step.run(results)
