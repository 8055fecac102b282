"""The HTML report in a real headless browser (Debian's chromium): the filter narrows the table, the
category select and sorting work, and no script error is logged. Driven over the Chrome DevTools
Protocol with the `websockets` client (installed with Prefect)."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.output_fixtures import build_output_db
from tuscan.report import write_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")]
websockets_sync = pytest.importorskip("websockets.sync.client")


class Browser:
    """Just enough CDP: evaluate JavaScript and collect exceptions and console errors."""

    def __init__(self, profile: Path):
        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                pytest.fail("chromium did not start its DevTools endpoint")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websockets_sync.connect(page["webSocketDebuggerUrl"], max_size=None)
        self.ids = itertools.count(1)
        self.errors: list[str] = []
        self.events: list[dict] = []
        for method in ("Runtime.enable", "Log.enable", "Page.enable"):
            self.call(method)

    def _record(self, message: dict) -> None:
        method = message.get("method")
        if method == "Runtime.exceptionThrown":
            self.errors.append(json.dumps(message["params"]["exceptionDetails"])[:500])
        elif method == "Runtime.consoleAPICalled" and message["params"]["type"] == "error":
            self.errors.append(json.dumps(message["params"]["args"])[:500])
        elif method == "Log.entryAdded" and message["params"]["entry"]["level"] == "error":
            self.errors.append(message["params"]["entry"]["text"])
        self.events.append(message)

    def call(self, method: str, **params) -> dict:
        ident = next(self.ids)
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv(timeout=30))
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._record(message)

    def open(self, url: str) -> None:
        if url != "about:blank":
            self.open("about:blank")    # a new document each time (a hash-only change fires no load event)
        self.events.clear()
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + 30
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            if time.monotonic() > deadline:
                pytest.fail(f"{url} did not load")
            self._record(json.loads(self.ws.recv(timeout=30)))

    def js(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self) -> None:
        if getattr(self, "ws", None):
            self.ws.close()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    b = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()


@pytest.fixture(scope="module")
def report_url(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("browser-report")
    db = build_output_db(folder / "inventory.duckdb")
    out = folder / "report.html"
    write_report(db, html=out)
    return out.as_uri()


VISIBLE = "Array.from(document.querySelectorAll('#systems-table tbody tr')).filter(r => !r.hidden)"


def _type(browser, selector: str, value: str) -> None:
    browser.js(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.value = {json.dumps(value)};"
               " e.dispatchEvent(new Event('input', {bubbles: true})); })()")


def test_filter_narrows_rows_without_script_errors(browser, report_url):
    browser.open(report_url)
    assert browser.js(f"{VISIBLE}.length") == 9
    _type(browser, "#system-filter", "korsbæk")
    assert browser.js(f"{VISIBLE}.map(r => r.cells[0].textContent).sort()") == [
        "Korsbæk Booking", "Korsbæk Byggesag", "Korsbæk Kolonihaver", "Korsbæk Parkering"]
    assert browser.js("document.querySelector('[data-count-for=systems-table]').textContent") == "4"
    browser.js("(() => { const s = document.getElementById('category-filter'); s.value = 'own';"
               " s.dispatchEvent(new Event('change')); })()")
    assert browser.js(f"{VISIBLE}.length") == 3
    _type(browser, "#system-filter", "")
    assert browser.js(f"{VISIBLE}.length") == 3          # the category filter still applies
    browser.js("(() => { const s = document.getElementById('category-filter'); s.value = '';"
               " s.dispatchEvent(new Event('change')); })()")
    assert browser.js(f"{VISIBLE}.length") == 9
    # The hostile file name stayed text: nothing ran, no image element was made.
    assert browser.js("document.querySelectorAll('img').length") == 0
    assert browser.errors == []


def test_sorting_and_filter_link(browser, report_url):
    browser.open(report_url + "#filter=aula")
    assert browser.js(f"{VISIBLE}.map(r => r.cells[0].textContent)") == ["Aula"]
    browser.open(report_url)
    browser.js("document.querySelector('#systems-table thead th').click()")
    names = browser.js("Array.from(document.querySelectorAll('#systems-table tbody tr')).map(r => r.cells[0].textContent)")
    assert names == sorted(names, key=lambda n: n.casefold().replace("æ", "{").replace("ø", "|"))
    assert names[0] == "Aula"
    browser.js("document.querySelector('#systems-table thead th').click()")
    assert browser.js("document.querySelector('#systems-table tbody tr').cells[0].textContent") == "Social Pension"
    assert browser.errors == []
