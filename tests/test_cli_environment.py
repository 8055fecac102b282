"""The command line on the machines municipalities have: behind a proxy that cannot reach this
machine, and on a laptop whose cores are busy with something else."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import duckdb
import pytest

from tests.conftest import REPO

DEAD_PROXY = "http://127.0.0.1:9"     # nothing listens on the discard port: every proxied request fails


def _tuscan(args: list[str], cwd, env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tuscan", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def _env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy") and k != "PREFECT_API_URL"}
    env.update(PYTHONPATH=str(REPO), PREFECT_HOME=str(tmp_path / "prefect"), DO_NOT_TRACK="1",
               PREFECT_SERVER_ANALYTICS_ENABLED="false", **extra)
    return env


def test_tuscan_sets_loopback_aside_from_the_proxy(monkeypatch):
    monkeypatch.setenv("no_proxy", "intranet.korsbaek.dk")
    monkeypatch.setenv("NO_PROXY", "")
    code = "import os, tuscan.cli; print(os.environ['no_proxy']); print(os.environ['NO_PROXY'])"
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(REPO)},
                         capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "intranet.korsbaek.dk,127.0.0.1,localhost,::1"
    assert out[1] == "127.0.0.1,localhost,::1"


@pytest.mark.slow
def test_a_flow_run_behind_a_dead_proxy_reaches_its_local_prefect_server(tmp_path):
    # `--prefect` with no server configured: Prefect starts a temporary one on 127.0.0.1 and checks
    # its health over HTTP; through the proxy that check got a 502 and the command crashed.
    archive = tmp_path / "arkiv"
    archive.mkdir()
    (archive / "Aftale.txt").write_text("Borgerne logger ind med MitID.", "utf-8")
    env = _env(tmp_path, http_proxy=DEAD_PROXY, https_proxy=DEAD_PROXY, HTTP_PROXY=DEAD_PROXY,
               HTTPS_PROXY=DEAD_PROXY, no_proxy="", NO_PROXY="")
    done = _tuscan(["discover", str(archive), "--db", str(tmp_path / "i.duckdb"), "--prefect"], tmp_path, env)
    assert done.returncode == 0, done.stderr[-3000:]
    with duckdb.connect(str(tmp_path / "i.duckdb"), read_only=True) as con:
        assert con.execute("SELECT tu_evidence FROM document_findings").fetchall() == [(True,)]


@pytest.mark.slow
def test_the_first_command_finishes_while_both_cores_are_busy(tmp_path):
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 2)]
    try:
        started = time.monotonic()
        done = _tuscan(["run"], tmp_path, _env(tmp_path), timeout=900)
        seconds = time.monotonic() - started
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "inventory.duckdb").exists() and (tmp_path / "tuscan-report.html").exists()
    print(f"tuscan run with every core busy: {seconds:.1f} s")   # shown with -s; not asserted
