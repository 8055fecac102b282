"""`tuscan serve` in a real headless browser (Debian's chromium, driven by Playwright for Python):
a decision made in the browser shows in the `inventory` view as decided by a person; the review queue
is worked through with the keyboard; checklist items are ticked (htmx swaps the row); a POST without
the CSRF token is refused; `../` and symlink tricks on the document route are refused; a hostile file
name stays text; and no page logs a script error or a Content-Security-Policy violation.

Playwright rather than Selenium: it needs no separate driver binary (Debian's chromium-driver must
match the browser's version exactly), it talks to the system chromium through `executable_path`, and
its locators wait for what a page shows instead of sleeping.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.browser import launched, needs_chromium, watched_page
from tests.output_fixtures import EVIL_NAME, build_output_db
from tuscan import db as database

pytestmark = needs_chromium
sync_api = pytest.importorskip("playwright.sync_api")


class Server:
    """The app under uvicorn in a thread, on a free loopback port."""

    def __init__(self, db: Path):
        import uvicorn

        from tuscan.serve.app import create_app

        self.app = create_app(str(db))
        self.db = db
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                pytest.fail("uvicorn did not start")
            time.sleep(0.05)

    def query(self, sql: str, params=()):
        # The app opens the file per request under this lock; the test reads between requests.
        with self.app.state.tuscan.lock, database.reading(self.db) as con:
            return con.execute(sql, params).fetchall()

    def stop(self):
        self.server.should_exit = True
        self.thread.join(10)
        self.socket.close()


@pytest.fixture(scope="module")
def browser():
    with launched(sync_api) as b:
        yield b


@pytest.fixture
def page(browser):
    pg = watched_page(browser, locale="da-DK")
    yield pg
    pg.context.close()


@pytest.fixture(scope="module")
def example_server(example_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("serve-example") / "inventory.duckdb"
    shutil.copy(example_db, db)
    server = Server(db)
    yield server
    server.stop()


# Three more systems next to the example archive, for the review queue: one unresolved (a TU term, no
# login) and two own solutions resting on one login each.
EXTRA = {
    "Nordlys Software/Korsbæk Hundeskat/Kontrakt Hundeskat.txt":
        "Kontrakt om Korsbæk Hundeskat\n\nLeverandøren skal indgå en tjenesteudbyderaftale for løsningen.\n",
    "Bytorvet IT/Korsbæk Affaldsportal/Kontrakt Affaldsportal.txt":
        "Kontrakt om Korsbæk Affaldsportal\n\nBorgere logger ind i portalen med MitID og kan bestille skraldespande.\n",
    "Bytorvet IT/Korsbæk Skolefoto/Kontrakt Skolefoto.txt":
        "Kontrakt om Korsbæk Skolefoto\n\nForældre logger på med NemID. Løsningen behandler navn og adresse.\n",
}


@pytest.fixture(scope="module")
def review_server(tmp_path_factory):
    from flows.discover import run_discover
    from tests.conftest import EXAMPLE_ARCHIVE

    folder = tmp_path_factory.mktemp("serve-review")
    for path, text in EXTRA.items():
        (folder / "extra" / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / "extra" / path).write_text(text, encoding="utf-8")
    db = folder / "inventory.duckdb"
    run_discover([str(EXAMPLE_ARCHIVE), str(folder / "extra")], str(db), runner="inline")
    server = Server(db)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def fixture_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve-fixture")
    db = build_output_db(folder / "inventory.duckdb")
    root = folder / "arkiv"
    root.mkdir()
    (root / "Kontrakt.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "hemmelig.txt").write_text("hemmeligt indhold")
    (root / "genvej.txt").symlink_to(folder / "hemmelig.txt")
    with database.writing(db) as con:
        for doc_id, path in ((101, "../hemmelig.txt"), (102, "genvej.txt"), (103, "Kontrakt.pdf")):
            con.execute("INSERT INTO documents (document_id, root, path, first_seen_run, last_seen_run)"
                        " VALUES (?, ?, ?, 1, 1)", [doc_id, str(root), path])
    server = Server(db)
    yield server
    server.stop()


def test_decision_in_the_browser_changes_the_inventory(page, example_server):
    expect = sync_api.expect
    page.goto(example_server.url + "/systemer?q=tabulex")
    page.get_by_role("link", name="Tabulex", exact=True).click()
    expect(page.locator("#decided-by")).to_have_text("reglerne")
    page.get_by_label("Egen TU-løsning").check()
    page.locator("#level").select_option("Lav")
    page.get_by_label("Begrundelse").fill("Kommunens egen instans")
    page.get_by_label("Dit navn").fill("Anne DPO")
    page.get_by_role("button", name="Gem beslutning").click()
    expect(page.locator("#decided-by")).to_have_text("en person")
    expect(page.locator("#category")).to_have_text("Egen TU-løsning")
    expect(page.locator(".history tr.in-force")).to_contain_text("Anne DPO")
    assert example_server.query("SELECT category, suggested_level, decided_by FROM inventory WHERE system = 'Tabulex'"
                                ) == [("own", "Lav", "person")]
    page.goto(example_server.url + "/systemer?kategori=own")
    expect(page.locator('#systems-table tr[data-decided="person"]')).to_contain_text("Tabulex")
    # Undo from the history: the rules decide again.
    page.goto(example_server.url + "/system/tabulex")
    page.locator(".history tr.in-force").get_by_role("button", name="Fortryd").click()
    expect(page.locator("#decided-by")).to_have_text("reglerne")
    expect(page.locator(".history")).to_contain_text("Fortrudt af Anne DPO")
    assert example_server.query("SELECT decided_by FROM inventory WHERE system = 'Tabulex'") == [("rules",)]
    assert page.errors == []


def test_work_through_the_review_queue_with_the_keyboard(page, review_server):
    expect = sync_api.expect
    queue = [r[0] for r in review_server.query("SELECT system FROM review_queue ORDER BY position")]
    assert sorted(queue) == ["Korsbæk Affaldsportal", "Korsbæk Hundeskat", "Korsbæk Skolefoto"]
    page.goto(review_server.url + "/gennemgang")
    expect(page.locator("#position")).to_have_text("1 af 3")
    expect(page.locator("#queue-system")).to_have_text(queue[0])
    page.keyboard.press("j")
    expect(page.locator("#position")).to_have_text("2 af 3")
    expect(page.locator("#queue-system")).to_have_text(queue[1])
    page.keyboard.press("k")
    expect(page.locator("#position")).to_have_text("1 af 3")
    # Decide the first with the keyboard (1–5 pick the category): it leaves the queue.
    page.keyboard.press("5")      # CATEGORY_ORDER[4] = not_tu
    expect(page.get_by_label("Ikke TU-løsning")).to_be_checked()
    page.get_by_label("Begrundelse").fill("Kun medarbejderlogin med Windows")
    page.get_by_role("button", name="Gem beslutning").click()
    expect(page.locator("#position")).to_have_text("1 af 2")
    expect(page.locator("#queue-system")).to_have_text(queue[1])
    assert review_server.query("SELECT category, decided_by FROM inventory WHERE system = ?", [queue[0]]
                               ) == [("not_tu", "person")]
    # The rest, one after the other, without going back to the list.
    for expected_left in (1, 0):
        page.keyboard.press("1")      # CATEGORY_ORDER[0] = own
        page.get_by_role("button", name="Gem beslutning").click()
        if expected_left:
            expect(page.locator("#position")).to_have_text(f"1 af {expected_left}")
    expect(page.locator("#queue-empty")).to_be_visible()
    assert review_server.query("SELECT count(*) FROM review_queue") == [(0,)]
    assert review_server.query("SELECT system, decided_by FROM inventory WHERE system IN (?, ?) ORDER BY system",
                               queue[1:]) == sorted((name, "person") for name in queue[1:])
    assert page.errors == []


def test_tick_checklist_items(page, fixture_server):
    expect = sync_api.expect
    page.goto(fixture_server.url + "/tjekliste")
    page.get_by_role("link", name="Korsbæk Byggesag").click()
    expect(page.locator("#suggested-level")).to_have_text("Betydelig")
    row = page.locator("#punkt-signing")
    expect(row).to_contain_text("Evidensen peger på dette punkt")
    row.get_by_label("Status").select_option("done")
    row.get_by_label("Note").fill("Ny signering bestilt")
    row.get_by_role("button", name="Gem").click()
    expect(page.locator("#punkt-signing .who")).to_contain_text("Afklaret")     # swapped in place by htmx
    page.locator("#punkt-tu_agreement").get_by_label("Status").select_option("in_progress")
    page.locator("#punkt-tu_agreement").get_by_role("button", name="Gem").click()
    expect(page.locator("#punkt-tu_agreement .who")).to_contain_text("I gang")
    assert fixture_server.query("SELECT item, status, note FROM checklist_current WHERE system = 'Korsbæk Byggesag'"
                                " ORDER BY item") == [("signing", "done", "Ny signering bestilt"),
                                                      ("tu_agreement", "in_progress", None)]
    page.reload()
    expect(page.locator("#punkt-signing .who")).to_contain_text("Afklaret")
    page.goto(fixture_server.url + "/")
    expect(page.locator("#fig-checklist")).to_have_text("4 %")      # 1 of 3 × 8 items settled
    assert page.errors == []


def test_a_post_without_csrf_token_is_refused(page, fixture_server):
    page.goto(fixture_server.url + "/system/aula")
    before = fixture_server.query("SELECT count(*) FROM decisions")
    response = page.request.post(fixture_server.url + "/beslutning/aula", form={"category": "own"})
    assert response.status == 403 and "CSRF" in response.text()
    # A form another site could plant: the browser sends the cookie, but not the token.
    page.evaluate("""() => { const f = document.querySelector('form.decision');
                             f.querySelector('[name=csrf]').remove();
                             f.querySelector('[value=own]').checked = true; f.submit(); }""")
    sync_api.expect(page.locator("h1")).to_have_text("Afvist")
    assert fixture_server.query("SELECT count(*) FROM decisions") == before


def test_document_route_refuses_traversal_and_symlinks(page, fixture_server):
    for doc_id in (101, 102):
        response = page.goto(f"{fixture_server.url}/dokument/{doc_id}")
        assert response.status == 403
        sync_api.expect(page.locator(".message")).to_contain_text("uden for den scannede mappe")
        assert "hemmeligt indhold" not in page.content()
    response = page.goto(f"{fixture_server.url}/dokument/..%2F..%2F..%2Fetc%2Fpasswd")
    assert response.status == 404 and "root:" not in page.content()
    response = page.request.get(f"{fixture_server.url}/dokument/103")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"


def test_hostile_file_name_shows_as_text(page, fixture_server):
    page.goto(fixture_server.url + "/system/korsb%C3%A6k%20booking")
    link = page.locator("a.doc").first
    sync_api.expect(link).to_contain_text(EVIL_NAME)
    assert page.locator("main img").count() == 0
    sync_api.expect(page.locator("td.snippet mark").first).to_have_text("MitID")
    assert page.evaluate("() => document.querySelectorAll('main script').length") == 0
    assert page.errors == []


HOLDER = """
import sys
from tuscan import db
with db.writing(sys.argv[1], command="discover"):
    print("holding", flush=True)
    sys.stdin.readline()
"""


def test_a_checklist_change_while_another_process_writes_is_refused_visibly(page, fixture_server, monkeypatch):
    import os
    import subprocess
    import sys

    import tuscan.serve.app as serve_app

    monkeypatch.setattr(serve_app, "WRITE_WAIT", 0.2)
    page.goto(fixture_server.url + "/tjekliste/korsb%C3%A6k%20parkering")
    before = fixture_server.query("SELECT count(*) FROM checklist_status")
    row = page.locator("#punkt-central_pid_rid")
    with fixture_server.app.state.tuscan.lock:      # the holder must not meet an open connection of ours
        holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(fixture_server.db)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True, env={**os.environ})
        assert holder.stdout.readline().strip() == "holding"
    try:
        row.get_by_label("Status").select_option("done")
        row.get_by_role("button", name="Gem").click()
        sync_api.expect(page.locator("#flash")).to_contain_text("ikke gemt")
        sync_api.expect(row.locator(".who")).to_contain_text("Ikke startet")       # the row was not swapped
    finally:
        holder.stdin.close()
        holder.wait(30)
    assert fixture_server.query("SELECT count(*) FROM checklist_status") == before
    row.get_by_role("button", name="Gem").click()                                 # once it is done: stored
    sync_api.expect(page.locator("#punkt-central_pid_rid .who")).to_contain_text("Afklaret")
    sync_api.expect(page.locator("#flash")).to_have_count(0)
