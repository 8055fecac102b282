"""Start the Prefect server and worker exactly as the systemd units in deploy/systemd/ do, on
127.0.0.1, for a test or a machine without systemd.

    python deploy/run_services.py --checkout . --state /tmp/tuscan-state --port 4200

The units' `WorkingDirectory`, `Environment` and `ExecStartPre`/`ExecStart` lines are read from the
unit files and run with the install folder (/opt/tuscan) replaced by `--checkout`, the state folder
(/var/lib/tuscan) by `--state` and port 4200 by `--port`, so the test checks the units themselves.
Runs until Ctrl-C (or, as a library, until `Services.stop()`).
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

UNITS = Path(__file__).resolve().parent / "systemd"
SERVER_UNIT = UNITS / "tuscan-prefect-server.service"
WORKER_UNIT = UNITS / "tuscan-prefect-worker.service"
INSTALL_DIR, STATE_DIR, PORT = "/opt/tuscan", "/var/lib/tuscan", "4200"


@dataclass
class Unit:
    working_directory: str
    environment: dict[str, str]
    start_pre: list[list[str]]          # (commands whose failure is ignored when they start with "-")
    start: list[str]


def read_unit(path: Path, checkout: Path, state: Path, port: int) -> Unit:
    def local(value: str) -> str:
        return (value.replace(INSTALL_DIR, str(checkout)).replace(STATE_DIR, str(state))
                .replace(f"127.0.0.1:{PORT}", f"127.0.0.1:{port}").replace(f"--port {PORT}", f"--port {port}"))

    environment: dict[str, str] = {}
    start_pre: list[list[str]] = []
    start: list[str] = []
    working = str(checkout)
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if not sep or line.startswith("#"):
            continue
        value = local(value.strip())
        if key == "WorkingDirectory":
            working = value
        elif key == "Environment":
            name, _, setting = value.partition("=")
            environment[name] = setting
        elif key == "ExecStartPre":
            start_pre.append(shlex.split(value))
        elif key == "ExecStart":
            start = shlex.split(value)
    return Unit(working, environment, start_pre, start)


@dataclass
class Services:
    checkout: Path
    state: Path
    port: int
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def _env(self, unit: Unit) -> dict[str, str]:
        env = {**os.environ, **unit.environment, **self.extra_env}
        env["no_proxy"] = env["NO_PROXY"] = ",".join(filter(None, [env.get("no_proxy", ""), "127.0.0.1,localhost"]))
        return env

    def start(self, timeout: float = 180) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        server = read_unit(SERVER_UNIT, self.checkout, self.state, self.port)
        log = open(self.state / "server.log", "w", encoding="utf-8")  # noqa: SIM115 (closed with the process)
        self.processes.append(subprocess.Popen(server.start, cwd=server.working_directory, env=self._env(server),
                                               stdout=log, stderr=subprocess.STDOUT))
        self.wait_for_api(timeout)
        worker = read_unit(WORKER_UNIT, self.checkout, self.state, self.port)
        for command in worker.start_pre:
            optional = command[0].startswith("-")
            command = [command[0].lstrip("-"), *command[1:]]
            done = subprocess.run(command, cwd=worker.working_directory, env=self._env(worker),
                                  capture_output=True, text=True, timeout=120)
            if done.returncode and not optional:
                raise RuntimeError(f"{' '.join(command)} failed: {done.stdout}{done.stderr}")
        log = open(self.state / "worker.log", "w", encoding="utf-8")  # noqa: SIM115
        self.processes.append(subprocess.Popen(worker.start, cwd=worker.working_directory, env=self._env(worker),
                                               stdout=log, stderr=subprocess.STDOUT))

    def wait_for_api(self, timeout: float) -> None:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.processes and self.processes[0].poll() is not None:
                raise RuntimeError(f"the Prefect server stopped: {(self.state / 'server.log').read_text()[-2000:]}")
            try:
                with opener.open(self.api_url + "/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"the Prefect server did not answer within {timeout:g} s")

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", type=Path, default=Path.cwd())
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--port", type=int, default=int(PORT))
    args = parser.parse_args()
    services = Services(args.checkout.resolve(), args.state.resolve(), args.port)
    services.start()
    print(f"Prefect API at {services.api_url}; worker on pool tuscan-local. Ctrl-C stops both.", flush=True)
    try:
        while all(p.poll() is None for p in services.processes):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        services.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
