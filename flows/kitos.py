"""KITOS: import exports or fetch from the API v2, then classify — thin flows over tuscan.kitos.load.

The CLI (`tuscan kitos import|fetch`) calls the same plain functions without Prefect; these flows
are for deployments (e.g. a nightly fetch). Credentials for the fetch come from the environment of
the process running the flow (KITOS_EMAIL, KITOS_PASSWORD), never from flow parameters, so they
never reach Prefect's database.
"""

from __future__ import annotations

from prefect import flow

from tuscan import db as database
from tuscan.kitos.load import fetch_into, import_exports


@flow(name="kitos-import", log_prints=True)
def kitos_import_flow(files: list[str], db: str = database.DEFAULT_DB, wait: float = 0) -> dict:
    """Import KITOS exports (xlsx/CSV) into the inventory and classify."""
    summary = import_exports(files, db, wait=wait)
    print(summary.describe())
    return {"run_id": summary.run_id, **summary.as_json()}


@flow(name="kitos-fetch", log_prints=True)
def kitos_fetch_flow(url: str, cvr: str, db: str = database.DEFAULT_DB, timeout: float = 30.0,
                     page_size: int = 250, wait: float = 0) -> dict:
    """Fetch the organisation's systems from the KITOS API v2 into the inventory and classify."""
    summary = fetch_into(db, url, cvr, timeout=timeout, page_size=page_size, wait=wait)
    print(summary.describe())
    return {"run_id": summary.run_id, **summary.as_json()}
