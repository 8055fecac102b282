"""prefect.yaml: it parses, has a deployment per flow on the local process pool, and every
entrypoint imports to a Prefect flow."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def deployments() -> list[dict]:
    config = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    assert config["name"] == "tuscan"
    return config["deployments"]


def test_a_deployment_per_flow(deployments):
    entrypoints = {d["entrypoint"] for d in deployments}
    assert entrypoints == {"flows/discover.py:discover_flow", "flows/kitos.py:kitos_import_flow",
                           "flows/kitos.py:kitos_fetch_flow", "flows/crawl.py:crawl_flow",
                           "flows/report.py:report_flow", "flows/pipeline.py:pipeline_flow"}
    assert len({d["name"] for d in deployments}) == len(deployments)
    for d in deployments:
        assert d["work_pool"]["name"] == "tuscan-local", d["name"]
        assert d.get("description"), d["name"]
    schedules = [s for d in deployments for s in d.get("schedules") or []]
    assert schedules and all(s["cron"] and s["timezone"] == "Europe/Copenhagen" for s in schedules)


def test_every_entrypoint_imports(deployments):
    from prefect import Flow

    for d in deployments:
        path, function = d["entrypoint"].split(":")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        flow = getattr(module, function)
        assert isinstance(flow, Flow), d["entrypoint"]
        parameters = set(flow.parameters.properties)
        assert set(d.get("parameters") or {}) <= parameters, (d["entrypoint"], parameters)


def test_report_flow_fn(tmp_path):
    from flows.report import report_flow
    from tests.output_fixtures import build_output_db

    db = build_output_db(tmp_path / "inventory.duckdb")
    written = report_flow.fn(str(db), html=str(tmp_path / "r.html"), xlsx=None)
    assert written == [str(tmp_path / "r.html")] and (tmp_path / "r.html").stat().st_size > 5000


@pytest.mark.slow
def test_pipeline_flow_on_the_example(tmp_path, monkeypatch, prefect_harness):
    from flows.pipeline import pipeline_flow

    monkeypatch.chdir(tmp_path)
    steps = pipeline_flow(None, runner="inline")
    assert steps["scan-archives"]["files_seen"] == 30
    assert [Path(p).resolve() for p in steps["write-report"]] == [tmp_path / "tuscan-report.html",
                                                            tmp_path / "tuscan-report.xlsx"]
    assert (tmp_path / "inventory.duckdb").exists()
