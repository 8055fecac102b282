"""Scale-out: the discover flow with extraction on a Dask cluster (prefect-dask's DaskTaskRunner) stores
the same `document_findings` as the local path, while the flow process stays the only DuckDB writer.

Dask worker processes need a real Prefect API, so the test starts `prefect server start` on
127.0.0.1 and a `distributed.LocalCluster` of two worker processes with PREFECT_API_URL in their
environment, and stops both (docs/performance.md "Scaling out")."""

from __future__ import annotations

import pytest

from bench.prefect_server import prefect_server
from tests.conftest import EXAMPLE_ARCHIVE, REPO
from tuscan import db

FINDINGS = "SELECT path, status, error, tu_evidence, keywords, system FROM document_findings ORDER BY path"


@pytest.mark.slow
def test_dask_cluster_gives_the_same_findings_as_local(example_db, tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    pytest.importorskip("prefect_dask")
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.discover import discover

    target = tmp_path / "dask.duckdb"
    with prefect_server(tmp_path / "prefect-server-home") as api_url:
        worker_env = {"PREFECT_API_URL": api_url, "PYTHONPATH": str(REPO), "DO_NOT_TRACK": "1",
                      "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "WARNING"}
        for name, value in worker_env.items():
            monkeypatch.setenv(name, value)   # inherited by the cluster's processes, read by this one
        with temporary_settings(updates={PREFECT_API_URL: api_url}), distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", env=worker_env,
        ) as cluster:
            result = discover([str(EXAMPLE_ARCHIVE)], db=str(target), runner="dask",
                              dask_address=cluster.scheduler_address)
            with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
                # The batches really ran on the cluster's workers, not in this process.
                ran = client.run(lambda dask_worker: len(dask_worker.state.log))
    assert result["files"] == 30 and result["extracted"] > 0 and result["errors"] == 0, result
    assert sum(ran.values()) > 0, ran
    with db.reading(target) as con:
        from_dask = con.execute(FINDINGS).fetchall()
    with db.reading(example_db) as con:
        local = con.execute(FINDINGS).fetchall()
    assert from_dask == local


def test_runner_choice_is_checked():
    from flows.discover import UnknownRunner, flow_for_runner, run_discover

    with pytest.raises(UnknownRunner):
        flow_for_runner("threads")
    with pytest.raises(UnknownRunner):
        run_discover(["."], "unused.duckdb", runner="threads")
    assert flow_for_runner("local").name == "discover"
    dask_flow = flow_for_runner("dask", "tcp://127.0.0.1:8786")
    assert type(dask_flow.task_runner).__name__ == "DaskTaskRunner"
    assert dask_flow.task_runner.address == "tcp://127.0.0.1:8786"
