"""KITOS credentials and tokens never end up in the database, the logs, the command's output, error
messages or the report. Runs `tuscan kitos fetch` against the fake KITOS server of
tests/kitos_fixtures.py with marker strings as credentials and token, then searches everything tuscan
wrote or printed for the markers."""

from __future__ import annotations

import logging

import pytest
from click.testing import CliRunner

from tests.kitos_fixtures import KORSBAEK_CVR, FakeKitos
from tuscan import db
from tuscan.cli import main

EMAIL = "marker-email-7f3a@example.invalid"
PASSWORD = "marker-password-Qz81!x"
TOKEN = "marker-token-c0ffee9d1e"
MARKERS = (EMAIL, PASSWORD, TOKEN, "marker-password", "marker-token")


@pytest.fixture
def kitos_server():
    """The KITOS contributor's fake KITOS API v2 (tests/kitos_fixtures.py), with marker secrets."""
    with FakeKitos(email=EMAIL, password=PASSWORD, token=TOKEN) as fake:
        yield fake


@pytest.fixture
def rejecting_server():
    with FakeKitos(email=EMAIL, password="a-different-password", token=TOKEN) as fake:
        yield fake


def require_kitos_fetch() -> None:
    kitos = main.commands.get("kitos")
    if kitos is None or "fetch" not in getattr(kitos, "commands", {}):
        pytest.skip("`tuscan kitos fetch` is not built yet (KITOS contributor); nothing to check")


def leaked(text: str | bytes) -> list[str]:
    if isinstance(text, bytes):
        return [m for m in MARKERS if m.encode() in text]
    return [m for m in MARKERS if m in text]


def fetch(tmp_path, url, monkeypatch, caplog):
    monkeypatch.setenv("KITOS_EMAIL", EMAIL)
    monkeypatch.setenv("KITOS_PASSWORD", PASSWORD)
    caplog.set_level(logging.DEBUG)          # requests/urllib3 log URLs at DEBUG: a token in a URL would show
    return CliRunner().invoke(main, ["kitos", "fetch", "--url", url, "--cvr", KORSBAEK_CVR,
                                     "--db", str(tmp_path / "i.duckdb")])


def test_credentials_and_token_are_not_stored_logged_or_reported(tmp_path, kitos_server, monkeypatch, caplog):
    require_kitos_fetch()
    result = fetch(tmp_path, kitos_server.url, monkeypatch, caplog)
    # The fetch really logged in and used the token (otherwise this test would prove nothing).
    assert ("POST", "/api/authorize/GetToken") in [(r[0], r[1]) for r in kitos_server.requests]
    assert any(r[3] == f"Bearer {TOKEN}" for r in kitos_server.requests)
    assert result.exit_code == 0, result.output
    assert leaked(result.output) == []
    assert leaked(caplog.text) == []
    assert leaked(repr(result.exception)) == []

    db_file = tmp_path / "i.duckdb"
    assert leaked(db_file.read_bytes()) == []
    with db.reading(db_file) as con:
        for table, column in con.execute("SELECT table_name, column_name FROM information_schema.columns"
                                         " WHERE table_schema = 'main'").fetchall():
            values = con.execute(f'SELECT DISTINCT CAST("{column}" AS VARCHAR) FROM "{table}"').fetchall()
            assert leaked("\n".join(str(v[0]) for v in values)) == [], f"{table}.{column}"

    try:
        from tuscan.report import write_report
    except ImportError:
        pytest.skip("the report is not built yet; DB, output and logs were checked")
    html = tmp_path / "report.html"
    write_report(db_file, html=html)
    assert leaked(html.read_bytes()) == []


def test_rejected_credentials_are_not_echoed(tmp_path, rejecting_server, monkeypatch, caplog):
    require_kitos_fetch()
    result = fetch(tmp_path, rejecting_server.url, monkeypatch, caplog)
    assert result.exit_code != 0
    assert leaked(result.output) == []
    assert leaked(caplog.text) == []
    assert leaked(repr(result.exception)) == []
    if (tmp_path / "i.duckdb").exists():
        assert leaked((tmp_path / "i.duckdb").read_bytes()) == []
