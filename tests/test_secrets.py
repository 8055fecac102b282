"""KITOS credentials and tokens never end up in the database, the logs, the command's output, error
messages or the report. Runs `tuscan kitos fetch` against a fake KITOS server with marker strings as
credentials and token, then searches everything tuscan wrote or printed for the markers."""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from tuscan import db
from tuscan.cli import main

EMAIL = "marker-email-7f3a@example.invalid"
PASSWORD = "marker-password-Qz81!x"
TOKEN = "marker-token-c0ffee9d1e"
MARKERS = (EMAIL, PASSWORD, TOKEN, "marker-password", "marker-token")
ORGANIZATION = "5e6f1b2c-0000-4000-8000-000000000001"


class FakeKitos(BaseHTTPRequestHandler):
    """Just enough of KITOS API v2: a token for the marker credentials, one organisation and one
    system usage; everything it was sent is kept in `requests`."""

    requests: list[dict] = []
    reject = False

    def log_message(self, *args):   # keep the test output clean
        pass

    def _reply(self, status: int, body) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        FakeKitos.requests.append({"method": self.command, "path": self.path, "body": body,
                                   "headers": dict(self.headers)})
        path = self.path.lower()
        if "token" in path or "authorize" in path:
            if FakeKitos.reject or EMAIL not in body or PASSWORD not in body:
                return self._reply(401, {"msg": "Invalid credentials", "response": None})
            return self._reply(200, {"msg": "", "response": {"token": TOKEN, "email": EMAIL,
                                                             "loginSuccessful": True,
                                                             "expires": "2099-01-01T00:00:00Z"},
                                     "token": TOKEN, "access_token": TOKEN})
        if TOKEN not in self.headers.get("Authorization", ""):
            return self._reply(401, {"msg": "Missing token"})
        if "organization" in path and "usage" not in path:
            return self._reply(200, [{"uuid": ORGANIZATION, "name": "Korsbæk Kommune", "cvr": "29189994"}])
        if "page=0" in path or "page=" not in path:
            if "usage" in path:
                return self._reply(200, [{
                    "uuid": "5e6f1b2c-0000-4000-8000-000000000002",
                    "systemContext": {"uuid": "5e6f1b2c-0000-4000-8000-000000000003", "name": "Korsbæk Parkering"},
                    "organizationContext": {"uuid": ORGANIZATION, "name": "Korsbæk Kommune", "cvr": "29189994"},
                    "general": {"localCallName": "Parkering", "validity": {"valid": True}},
                }])
        return self._reply(200, [])

    do_GET = do_POST = _handle


@pytest.fixture
def kitos_server():
    FakeKitos.requests = []
    FakeKitos.reject = False
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeKitos)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


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
    return CliRunner().invoke(main, ["kitos", "fetch", "--url", url, "--cvr", "29189994",
                                     "--db", str(tmp_path / "i.duckdb")])


def test_credentials_and_token_are_not_stored_logged_or_reported(tmp_path, kitos_server, monkeypatch, caplog):
    require_kitos_fetch()
    result = fetch(tmp_path, kitos_server, monkeypatch, caplog)
    # The fetch really used the secrets (otherwise this test would prove nothing).
    assert any(EMAIL in r["body"] for r in FakeKitos.requests), FakeKitos.requests
    assert any(TOKEN in r["headers"].get("Authorization", "") for r in FakeKitos.requests)
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


def test_rejected_credentials_are_not_echoed(tmp_path, kitos_server, monkeypatch, caplog):
    require_kitos_fetch()
    FakeKitos.reject = True
    result = fetch(tmp_path, kitos_server, monkeypatch, caplog)
    assert result.exit_code != 0
    assert leaked(result.output) == []
    assert leaked(caplog.text) == []
    assert leaked(repr(result.exception)) == []
    if (tmp_path / "i.duckdb").exists():
        assert leaked((tmp_path / "i.duckdb").read_bytes()) == []
