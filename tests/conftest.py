"""Shared test set-up: Prefect isolated in a temporary home, and one example inventory.

Every test that needs the example inventory uses the session fixture `example_db` (built once by
scanning examples/archive without Prefect); tests that change a database copy it first.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_ARCHIVE = REPO / "examples" / "archive"
REALDATA = REPO.parent / "shared" / "realdata"

# Prefect must never touch the user's ~/.prefect or phone home from tests.
_PREFECT_HOME = tempfile.mkdtemp(prefix="tuscan-prefect-")
os.environ.setdefault("PREFECT_HOME", _PREFECT_HOME)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture(scope="session")
def example_db(tmp_path_factory) -> Path:
    """A database holding a scan of the example archive (read-only use: copy before writing)."""
    from tuscan.steps import run_discover

    path = tmp_path_factory.mktemp("example") / "inventory.duckdb"
    run_discover([str(EXAMPLE_ARCHIVE)], str(path), runner="inline")
    return path


@pytest.fixture
def example_db_copy(example_db, tmp_path) -> Path:
    """A private, writable copy of the example inventory."""
    target = tmp_path / "inventory.duckdb"
    shutil.copy(example_db, target)
    return target


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for every flow test in the session (starting one costs ~10 s)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture(scope="session")
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip(f"real documents not found at {REALDATA}")
    return REALDATA


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_PREFECT_HOME, ignore_errors=True)


def pytest_unconfigure(config):
    # After Prefect flows ran in-process, DuckDB's bindings print harmless "leaked instance" lines
    # at interpreter exit; keep them from burying pytest's summary (see tuscan/cli/quiet_exit.py).
    from tuscan.cli.quiet_exit import silence_interpreter_teardown

    silence_interpreter_teardown()
