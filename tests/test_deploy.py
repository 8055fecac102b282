"""The operator's path of README "Running on a schedule", for real: the Prefect server and worker
started as the systemd units in deploy/ start them (on 127.0.0.1), `prefect --no-prompt deploy --all`,
then the pipeline deployment and the report deployment, which must both complete against the one
inventory the municipality's tuscan.toml names, and the pipeline run's log must say what it found."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import urllib.request

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "deploy"))
from run_services import SERVER_UNIT, WORKER_UNIT, Services, read_unit  # noqa: E402

PREFECT = REPO / ".venv" / "bin" / "prefect"
OUTPUTS = [REPO / "examples" / name for name in ("inventory.duckdb", "inventory.duckdb.wal", "tuscan-report.html",
                                                 "tuscan-report.xlsx")]


def _flow_run_log(api_url: str, flow_run_id: str) -> str:
    """The messages a flow run logged, from the API (what the UI's run page shows)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    body = json.dumps({"logs": {"flow_run_id": {"any_": [flow_run_id]}}, "limit": 200}).encode()
    request = urllib.request.Request(f"{api_url}/logs/filter", data=body, headers={"Content-Type": "application/json"})
    with opener.open(request, timeout=30) as response:
        return "\n".join(entry["message"] for entry in json.load(response))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_units_run_prefect_from_the_checkouts_venv_on_loopback(tmp_path):
    server = read_unit(SERVER_UNIT, REPO, tmp_path, 4321)
    worker = read_unit(WORKER_UNIT, REPO, tmp_path, 4321)
    assert server.start == [str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", "4321"]
    assert worker.start == [str(PREFECT), "worker", "start", "--pool", "tuscan-local"]
    assert worker.environment["PREFECT_API_URL"] == "http://127.0.0.1:4321/api"
    assert server.environment["PREFECT_HOME"] == worker.environment["PREFECT_HOME"] == f"{tmp_path}/prefect"
    assert server.working_directory == worker.working_directory == str(REPO)


@pytest.mark.slow
@pytest.mark.skipif(not PREFECT.exists(), reason="needs the checkout's .venv (README command 1)")
def test_pipeline_then_report_deployment_on_one_inventory(tmp_path):
    created = [p for p in OUTPUTS if not p.exists()]
    services = Services(REPO, tmp_path / "state", _free_port(),
                        extra_env={"PREFECT_WORKER_QUERY_SECONDS": "2"})
    env_for = {"PREFECT_API_URL": services.api_url, "PREFECT_HOME": str(tmp_path / "state" / "prefect")}

    def prefect(*args: str, timeout: float = 300) -> str:
        done = subprocess.run([str(PREFECT), *args], cwd=REPO, env=services._env(
            read_unit(WORKER_UNIT, REPO, tmp_path / "state", services.port)) | env_for,
            capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, f"prefect {' '.join(args)}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        return done.stdout + done.stderr

    try:
        services.start()
        deployed = prefect("--no-prompt", "deploy", "--all")
        assert "pipeline/korsbaek" in deployed and "report/dpo-report" in deployed
        pipeline = prefect("deployment", "run", "pipeline/korsbaek", "--watch", timeout=600)
        assert "Completed" in pipeline
        report = prefect("deployment", "run", "report/dpo-report", "--watch", timeout=300)
        assert "Completed" in report
        run_id = re.search(r"UUID:\s*([0-9a-f-]{36})", pipeline).group(1)
        log = _flow_run_log(services.api_url, run_id)
        assert re.search(r"Inventory: 12 systems \(", log), log[-3000:]
        assert "Scanned 30 file(s)" in log and "Classified 12 systems" in log
        # The report deployment read the pipeline's inventory: the one the config names.
        html = (REPO / "examples" / "tuscan-report.html").read_text(encoding="utf-8")
        assert (REPO / "examples" / "inventory.duckdb").exists() and "Korsbæk Selvbetjening" in html
        schedules = prefect("deployment", "inspect", "pipeline/korsbaek")
        assert "'active': False" in schedules or '"active": false' in schedules
    finally:
        services.stop()
        for path in created:
            path.unlink(missing_ok=True)
