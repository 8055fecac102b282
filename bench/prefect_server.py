"""Start a real Prefect API server on 127.0.0.1 for a benchmark or test, and stop it again.

Dask worker processes (and any second process) need a real Prefect API: without PREFECT_API_URL
each process starts its own temporary server (~10 s each on a 2-core machine).

    with prefect_server(home) as api_url:
        env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_API_URL": api_url}
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path


class PrefectServerDidNotStart(RuntimeError):
    """`prefect server start` did not answer its health check in time."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(home: Path, api_url: str | None = None) -> dict[str, str]:
    """Environment for Prefect processes: private home, no telemetry, optionally a real API."""
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "DO_NOT_TRACK": "1", "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
           "PREFECT_LOGGING_LEVEL": "WARNING"}
    env.pop("PREFECT_API_URL", None)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


@contextlib.contextmanager
def prefect_server(home: Path, timeout: float = 90) -> Iterator[str]:
    """Run `prefect server start` with PREFECT_HOME=home; yield its API URL; stop it on exit."""
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    prefect = Path(sys.executable).with_name("prefect")
    command = [str(prefect)] if prefect.exists() else [sys.executable, "-m", "prefect"]
    log = open(home / "server.log", "wb")  # noqa: SIM115 (closed in finally)
    process = subprocess.Popen(
        [*command, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=server_env(home), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    api_url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise PrefectServerDidNotStart(f"prefect server exited with {process.returncode}; "
                                               f"see {home / 'server.log'}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            if time.monotonic() > deadline:
                raise PrefectServerDidNotStart(f"no answer from {api_url}/health in {timeout:g} s")
            time.sleep(0.3)
        yield api_url
    finally:
        # The server runs in its own session: stop its whole process group (uvicorn, services).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
