"""KITOS: import exports or fetch from the API v2, then classify — the steps of `tuscan kitos import`
and `tuscan kitos fetch` (`tuscan.steps`), each as a Prefect task, for deployments (e.g. a nightly
fetch). Credentials for the fetch come from the environment of the process running the flow
(KITOS_EMAIL, KITOS_PASSWORD), never from flow parameters, so they never reach Prefect's database.
"""

from __future__ import annotations

from prefect import flow

from flows.steps import run_as_tasks
from tuscan import db as database
from tuscan import steps


@flow(name="kitos-import", log_prints=True)
def kitos_import_flow(files: list[str], db: str = database.DEFAULT_DB, wait: float = 0) -> dict:
    """Import KITOS exports (xlsx/CSV) into the inventory and classify."""
    summary = run_as_tasks(steps.kitos_import(files, db, wait=wait))["import-kitos-exports"]
    return {"run_id": summary.run_id, **summary.as_json()}


@flow(name="kitos-fetch", log_prints=True)
def kitos_fetch_flow(url: str, cvr: str, db: str = database.DEFAULT_DB, timeout: float = 30.0,
                     page_size: int = 250, wait: float = 0) -> dict:
    """Fetch the organisation's systems from the KITOS API v2 into the inventory and classify."""
    summary = run_as_tasks(steps.kitos_fetch(url, cvr, db, wait=wait, timeout=timeout,
                                             page_size=page_size))["fetch-kitos-api"]
    return {"run_id": summary.run_id, **summary.as_json()}
