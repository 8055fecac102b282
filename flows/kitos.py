"""KITOS: import exports or fetch from the API v2, then classify — the steps of `tuscan kitos import`
and `tuscan kitos fetch` (`tuscan.steps`), each as a Prefect task, for deployments (e.g. a nightly
fetch). Credentials for the fetch come from the environment of the process running the flow
(KITOS_EMAIL, KITOS_PASSWORD), never from flow parameters, so they never reach Prefect's database.
"""

from __future__ import annotations

from prefect import flow

from flows.steps import run_as_tasks
from flows.summary import publish
from tuscan import db as database
from tuscan import steps
from tuscan.pipeline import ConfigError, load_config


@flow(name="kitos-import", log_prints=True)
def kitos_import_flow(files: list[str] | None = None, db: str | None = None, wait: float = 0,
                      config: str | None = None) -> dict:
    """Import KITOS exports (xlsx/CSV) into the inventory and classify. `config`: the
    municipality's tuscan.toml, for the inventory and [kitos] files unless given."""
    settings = load_config(config) if config else None
    db = db or (str(settings.db) if settings else database.DEFAULT_DB)
    files = files or ([str(p) for p in settings.kitos.files] if settings and settings.kitos else [])
    if not files:
        raise ConfigError("nothing to import: give files, or a config whose [kitos] lists files")
    summary = run_as_tasks(steps.kitos_import(files, db, wait=wait))["import-kitos-exports"]
    publish(db)
    return {"run_id": summary.run_id, **summary.as_json()}


@flow(name="kitos-fetch", log_prints=True)
def kitos_fetch_flow(url: str | None = None, cvr: str | None = None, db: str | None = None, timeout: float = 30.0,
                     page_size: int = 250, wait: float = 0, config: str | None = None) -> dict:
    """Fetch the organisation's systems from the KITOS API v2 into the inventory and classify.
    `config`: the municipality's tuscan.toml, for the inventory and [kitos.api] unless given."""
    settings = load_config(config) if config else None
    db = db or (str(settings.db) if settings else database.DEFAULT_DB)
    api = settings.kitos if settings and settings.kitos else None
    url, cvr = url or (api.api_url if api else None), cvr or (api.cvr if api else None)
    if not (url and cvr):
        raise ConfigError("no KITOS API: give url and cvr, or a config with [kitos.api]")
    summary = run_as_tasks(steps.kitos_fetch(url, cvr, db, wait=wait, timeout=timeout,
                                             page_size=page_size))["fetch-kitos-api"]
    publish(db)
    return {"run_id": summary.run_id, **summary.as_json()}
