"""`tuscan serve` over plain HTTP (Starlette's TestClient): every page answers in Danish, forms need
the CSRF token, the document route stays inside the scanned root, a locked database is reported and
a form then refused, binding a non-loopback address needs a secret, and decisions made in the app are
the same rows `tuscan decide` writes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.output_fixtures import EVIL_NAME, build_output_db
from tuscan import db as database
from tuscan.classify import classify
from tuscan.cli import main
from tuscan.decisions import record_decision
from tuscan.serve import ServeRefused, check_bind, is_loopback

warnings.filterwarnings("ignore", message=".*httpx.*")   # Starlette prefers httpx2; httpx works
from starlette.testclient import TestClient  # noqa: E402

from tuscan.serve.app import create_app  # noqa: E402

PAGES = ["/", "/systemer", "/systemer?kategori=own&sort=score&retning=ned&q=kors", "/system/aula", "/gennemgang",
         "/gennemgang?nr=2", "/tjekliste", "/leverandoerer", "/eksport"]


@pytest.fixture
def fixture_db(tmp_path) -> Path:
    """A private copy of the output fixture, for tests that write."""
    return build_output_db(tmp_path / "inventory.duckdb")


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory) -> Path:
    """The output fixture shared by the tests that only read (or whose writes must be refused)."""
    return build_output_db(tmp_path_factory.mktemp("serve-http") / "inventory.duckdb")


BASE = "http://127.0.0.1:8765"


def client(db, **kwargs) -> TestClient:
    c = TestClient(create_app(str(db), **kwargs), base_url=BASE)
    c.get("/eksport")           # the first page sets the CSRF cookie
    return c


def token(c: TestClient) -> str:
    return c.cookies.get("tuscan_csrf")


def inventory_row(db, system):
    with database.reading(db) as con:
        return con.execute("SELECT category, suggested_level, decided_by FROM inventory WHERE system = ?",
                           [system]).fetchone()


# --- pages ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_in_danish(shared_db, url):
    r = client(shared_db).get(url)
    assert r.status_code == 200
    assert '<html lang="da">' in r.text
    assert "Oversigt" in r.text and "Gennemgang" in r.text and "Leverandører" in r.text
    for english in ("Systems", "Review", "Vendors", "Checklist", "Export</"):
        assert f">{english}<" not in r.text


def test_pages_on_a_real_inventory(example_db_copy):
    c = client(example_db_copy)
    for url in PAGES[:2] + ["/system/korsbæk støttekontakt", "/tjekliste/korsbæk støttekontakt", "/gennemgang"]:
        r = c.get(url)
        assert r.status_code == 200, url
    page = c.get("/tjekliste/korsbæk støttekontakt").text
    assert 'id="suggested-level">Betydelig<' in page
    assert page.count('class="checklist-item"') == 8


def test_security_headers_and_cookies(shared_db):
    app = create_app(str(shared_db))
    r = TestClient(app, base_url=BASE).get("/")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    cookie = r.headers["set-cookie"]
    assert "tuscan_csrf=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    # No inline script or style anywhere (the CSP would block them).
    assert not re.search(r"<script(?![^>]*\bsrc=)", r.text) and " style=" not in r.text


def test_hostile_text_is_escaped(shared_db):
    c = client(shared_db)
    page = c.get("/system/korsbæk booking").text + c.get("/").text
    assert EVIL_NAME not in page and "<script>alert(2)" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in page
    assert "Log ind med <mark>MitID</mark> &lt;script&gt;" in page


def test_systemer_pages_in_sql_with_10000_systems(tmp_path):
    db = tmp_path / "big.duckdb"
    with database.writing(db) as con:
        con.execute("INSERT INTO systems (system_id, system, system_key, vendor, category, suggested_level, flags,"
                    " reason, sources, evidence_count, decided_by) SELECT i, 'System ' || lpad(i::VARCHAR, 5, '0'),"
                    " 'system ' || lpad(i::VARCHAR, 5, '0'), 'Leverandør ' || (i % 40),"
                    " CASE WHEN i % 5 = 0 THEN 'own' ELSE 'not_tu' END, CASE WHEN i % 5 = 0 THEN 'Betydelig' END,"
                    " CASE WHEN i % 10 = 0 THEN ['signing'] ELSE [] END, 'test', ['document'], 1, 'rules'"
                    " FROM range(1, 10001) t(i)")
    c = client(db)
    r = c.get("/systemer?side=150&sort=system")
    assert 'id="total">10000<' in r.text and "side 150 af 200" in r.text
    names = re.findall(r'<a href="/system/[^"]+">(System \d+)</a>', r.text)
    assert names == [f"System {i:05d}" for i in range(7451, 7501)]
    r = c.get("/systemer?kategori=own&flag=signing&leverandoer=Leverandør 10&sort=system&retning=ned")
    names = re.findall(r'<a href="/system/[^"]+">(System \d+)</a>', r.text)
    assert names[:2] == ["System 09970", "System 09930"] and 'id="total">250<' in r.text
    assert 'id="total">1<' in c.get("/systemer?q=System 01234").text
    assert 'id="total">0<' in c.get("/systemer?q=%25").text       # a literal %, not a wildcard


# --- forms ------------------------------------------------------------------------------------------
POSTS = [("/beslutning/aula", {"category": "own"}), ("/fortryd/1", {}),
         ("/tjekliste/korsbæk parkering", {"item": "signing", "status": "done"}), ("/login", {"password": "x"})]


@pytest.mark.parametrize(("url", "form"), POSTS)
def test_a_post_without_or_with_a_wrong_csrf_token_is_refused(shared_db, url, form):
    c = client(shared_db)
    assert c.post(url, data=form).status_code == 403
    r = c.post(url, data={**form, "csrf": "0" * 64})
    assert r.status_code == 403 and "CSRF" in r.text
    with database.reading(shared_db) as con:
        assert con.execute("SELECT count(*) FROM decisions").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM checklist_status").fetchone()[0] == 0


def test_decision_in_the_app_is_a_person_decision_in_the_inventory_and_can_be_undone(example_db_copy):
    c = client(example_db_copy)
    r = c.post("/beslutning/tabulex", data={"csrf": token(c), "category": "own", "level": "Lav", "note": "Egen instans",
                                            "who": "Anne DPO"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/system/tabulex"
    assert inventory_row(example_db_copy, "Tabulex") == ("own", "Lav", "person")
    page = c.get("/system/tabulex").text
    assert "Anne DPO" in page and "Egen instans" in page and "Gælder" in page
    # The CLI writes the same row through the same function.
    result = CliRunner().invoke(main, ["decide", "Tabulex", "--category", "shared", "--by", "cli",
                                       "--db", str(example_db_copy)])
    assert result.exit_code == 0, result.output
    with database.reading(example_db_copy) as con:
        rows = con.execute("SELECT system, system_key, category, level, note, decided_by FROM decisions"
                           " ORDER BY decision_id").fetchall()
        latest = con.execute("SELECT max(decision_id) FROM decisions").fetchone()[0]
    assert rows == [("Tabulex", "tabulex", "own", "Lav", "Egen instans", "Anne DPO"),
                    ("Tabulex", "tabulex", "shared", None, None, "cli")]
    assert inventory_row(example_db_copy, "Tabulex")[0] == "shared"
    # Undo the CLI's decision: the app's earlier one counts again; undo that too: the rules decide.
    c.post(f"/fortryd/{latest}", data={"csrf": token(c), "who": "Anne DPO"})
    assert inventory_row(example_db_copy, "Tabulex") == ("own", "Lav", "person")
    c.post(f"/fortryd/{latest - 1}", data={"csrf": token(c), "who": "Anne DPO"})
    assert inventory_row(example_db_copy, "Tabulex") == ("shared", None, "rules")
    with database.reading(example_db_copy) as con:
        assert con.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0
        assert con.execute("SELECT count(*), min(undone_by) FROM decision_undos").fetchone() == (2, "Anne DPO")
    page = c.get("/system/tabulex").text
    assert page.count("Fortrudt af Anne DPO") == 2
    # Undoing again is a clear message, not a crash.
    r = c.post(f"/fortryd/{latest}", data={"csrf": token(c)})
    assert r.status_code == 400 and "ikke gemt" in r.text.lower()


def test_checklist_items_are_recorded_with_who(fixture_db):
    c = client(fixture_db)
    r = c.post("/tjekliste/korsbæk byggesag", data={"csrf": token(c), "item": "signing", "status": "in_progress",
                                                     "note": "Leverandøren spurgt", "who": "Bo"},
               headers={"HX-Request": "true"})
    assert r.status_code == 200 and r.text.lstrip().startswith('<tr id="punkt-signing"')
    assert "I gang" in r.text and "Bo" in r.text and "Leverandøren spurgt" in r.text
    c.post("/tjekliste/korsbæk byggesag", data={"csrf": token(c), "item": "signing", "status": "done", "who": "Bo"})
    overview = c.get("/tjekliste").text
    assert re.search(r"Korsbæk Byggesag</a>.*?<td class=\"num\">1</td>", overview, re.S)
    r = c.post("/tjekliste/korsbæk byggesag", data={"csrf": token(c), "item": "nonsense", "status": "done"})
    assert r.status_code == 400 and "checklist item must be one of" in r.text


# --- the database held by another process -------------------------------------------------------------
HOLDER = textwrap.dedent("""
    import sys, time
    from tuscan import db
    with db.writing(sys.argv[1], command="discover"):
        print("holding", flush=True)
        sys.stdin.readline()
""")


def test_locked_database_is_reported_and_a_form_refused_not_lost(fixture_db, monkeypatch):
    import tuscan.serve.app as serve_app

    monkeypatch.setattr(serve_app, "WRITE_WAIT", 0.2)
    c = client(fixture_db)
    csrf = token(c)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(fixture_db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env={**os.environ})
    try:
        assert holder.stdout.readline().strip() == "holding"
        r = c.get("/systemer")
        assert r.status_code == 503 and "Databasen er optaget" in r.text and "tuscan discover" in r.text
        r = c.post("/beslutning/aula", data={"csrf": csrf, "category": "own", "note": "vigtig note"})
        assert r.status_code == 503 and "ikke gemt" in r.text and "vigtig note" in r.text
    finally:
        holder.stdin.close()
        holder.wait(30)
    with database.reading(fixture_db) as con:
        assert con.execute("SELECT count(*) FROM decisions WHERE system = 'Aula'").fetchone()[0] == 0
    assert c.get("/systemer").status_code == 200


def test_missing_database_is_a_danish_message(tmp_path):
    c = client(tmp_path / "none.duckdb")
    r = c.get("/")
    assert r.status_code == 503 and "Databasen findes ikke endnu" in r.text
    r = c.post("/beslutning/aula", data={"csrf": token(c), "category": "own"})
    assert r.status_code == 503 and not (tmp_path / "none.duckdb").exists()


# --- the document route ---------------------------------------------------------------------------
def _add_documents(db, root: Path, paths: list[str]) -> list[int]:
    with database.writing(db) as con:
        ids = []
        for i, p in enumerate(paths, start=100):
            con.execute("INSERT INTO documents (document_id, root, path, first_seen_run, last_seen_run)"
                        " VALUES (?, ?, ?, 1, 1)", [i, str(root), p])
            ids.append(i)
        return ids


def test_document_route_serves_stored_files_inside_the_root_only(fixture_db, tmp_path):
    root = tmp_path / "arkiv"
    (root / "Leverandør").mkdir(parents=True)
    (root / "Leverandør" / "Kontrakt.pdf").write_bytes(b"%PDF-1.4 test")
    (root / "Leverandør" / "side.html").write_text("<script>alert(1)</script>")
    secret = tmp_path / "hemmelig.txt"
    secret.write_text("hemmeligt")
    (root / "link.txt").symlink_to(secret)
    (root / "indeni").symlink_to(root / "Leverandør")
    ok, html, dotdot, absolute, link, inside_link, gone = _add_documents(fixture_db, root, [
        "Leverandør/Kontrakt.pdf", "Leverandør/side.html", "../hemmelig.txt", str(secret), "link.txt",
        "indeni/Kontrakt.pdf", "Leverandør/væk.pdf"])
    c = client(fixture_db)
    r = c.get(f"/dokument/{ok}")
    assert r.status_code == 200 and r.content == b"%PDF-1.4 test"
    assert r.headers["content-type"] == "application/pdf" and r.headers["content-disposition"].startswith("inline")
    r = c.get(f"/dokument/{html}")
    assert r.headers["content-disposition"].startswith("attachment") and "sandbox" in r.headers["content-security-policy"]
    assert r.headers["content-type"] == "application/octet-stream"
    for refused in (dotdot, absolute, link):
        r = c.get(f"/dokument/{refused}")
        assert r.status_code == 403 and "uden for den scannede mappe" in r.text and "hemmeligt" not in r.text
    assert c.get(f"/dokument/{inside_link}").status_code == 200      # a link that stays inside is fine
    assert c.get(f"/dokument/{gone}").status_code == 404
    for url in ("/dokument/..%2F..%2Fetc%2Fpasswd", "/dokument/999999", "/static/..%2F..%2Fapp.py"):
        r = c.get(url)
        assert r.status_code == 404 and "import" not in r.text


def test_document_route_opens_members_of_zip_files(fixture_db, tmp_path):
    import hashlib
    import io
    import zipfile

    root = tmp_path / "arkiv"
    root.mkdir()
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("Bilag/Aftale.pdf", b"%PDF-1.4 indre")
    with zipfile.ZipFile(root / "pakke.zip", "w") as z:
        z.writestr("Kontrakt.pdf", b"%PDF-1.4 ydre")
        z.writestr("bilag.zip", inner.getvalue())
        z.writestr("../../udenfor.txt", b"navnet er kun en etiket")
    rows = [(200, "pakke.zip!Kontrakt.pdf", b"%PDF-1.4 ydre"), (201, "pakke.zip!bilag.zip!Bilag/Aftale.pdf",
            b"%PDF-1.4 indre"), (202, "pakke.zip!../../udenfor.txt", b"navnet er kun en etiket"),
            (203, "pakke.zip!Mangler.pdf", b"")]
    with database.writing(fixture_db) as con:
        for doc_id, path, body in rows:
            con.execute("INSERT INTO documents (document_id, root, path, container, sha256, first_seen_run,"
                        " last_seen_run) VALUES (?, ?, ?, 'pakke.zip', ?, 1, 1)",
                        [doc_id, str(root), path, hashlib.sha256(body).hexdigest()])
    c = client(fixture_db)
    r = c.get("/dokument/200")
    assert r.status_code == 200 and r.content == b"%PDF-1.4 ydre" and r.headers["content-type"] == "application/pdf"
    assert c.get("/dokument/201").content == b"%PDF-1.4 indre"
    r = c.get("/dokument/202")            # read from inside the zip, never from the disk
    assert r.status_code == 200 and r.content == b"navnet er kun en etiket"
    assert c.get("/dokument/203").status_code == 404          # no such member
    with database.writing(fixture_db) as con:
        con.execute("UPDATE documents SET sha256 = 'ab' WHERE document_id = 200")
    assert c.get("/dokument/200").status_code == 404          # not what tuscan scanned


def test_pdf_evidence_links_open_at_the_page(shared_db):
    page = client(shared_db).get("/system/korsbæk byggesag").text
    assert 'href="/dokument/2#page=3"' in page


# --- binding, password ------------------------------------------------------------------------------
def test_binding_a_non_loopback_address_needs_a_secret(monkeypatch, tmp_path):
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    with pytest.raises(ServeRefused, match="refusing to listen on 0.0.0.0"):
        check_bind("0.0.0.0", None)
    monkeypatch.delenv("TUSCAN_SERVE_PASSWORD", raising=False)
    started = []
    monkeypatch.setattr("tuscan.serve.serve", lambda db, **kw: started.append(kw))
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 1 and started == []
    assert "Error: refusing to listen on 0.0.0.0" in result.output and "--password" in result.output
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--db", str(tmp_path / "x.duckdb")],
                                env={"TUSCAN_SERVE_PASSWORD": "hemmelig"})
    assert result.exit_code == 0, result.output
    assert started == [{"host": "0.0.0.0", "port": 8765, "password": None}]
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 0 and "http://127.0.0.1:8765/" in result.output


def test_password_guards_every_page(shared_db):
    c = TestClient(create_app(str(shared_db), password="hemmelig"), base_url="http://192.168.1.5:8765")
    r = c.get("/systemer", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    page = c.get("/login")
    assert "Adgangskode" in page.text
    assert c.post("/login", data={"csrf": token(c), "password": "forkert"}).status_code == 401
    assert c.get(f"/dokument/{1}", follow_redirects=False).status_code == 303
    r = c.post("/login", data={"csrf": token(c), "password": "hemmelig", "next": "/systemer"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/systemer"
    assert "HttpOnly" in r.headers["set-cookie"]
    assert c.get("/systemer").status_code == 200


def test_vendor_letter_lists_solutions_and_asks_the_checklist(shared_db):
    import io

    from docx import Document

    r = client(shared_db).get("/leverandoerer/brev?leverandoer=Bytorvet IT&kommune=Korsbæk Kommune")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert "Korsbæk Byggesag" in cells and "Egen TU-løsning" in cells
    assert "Korsbæk Kommune" in text and "PID- eller RID-numre" in text and "NL3 Broker" in text


def test_exports_reuse_report_and_share(shared_db):
    c = client(shared_db)
    r = c.get("/eksport/rapport.html")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"] and "Korsbæk Byggesag" in r.text
    assert c.get("/eksport/rapport.xlsx").content[:2] == b"PK"
    assert c.get("/eksport/kl.parquet?kommune=Korsbæk Kommune&kode=101").content[:4] == b"PAR1"
    r = c.get("/eksport/kl.parquet?kommune=Korsbæk&kode=1")
    assert r.status_code == 400 and "kommunenummer" in r.text


def test_only_loopback_names_are_answered_without_a_secret(shared_db):
    rebound = TestClient(create_app(str(shared_db)), base_url="http://angriber.example:8765")
    r = rebound.get("/systemer")
    assert r.status_code == 400 and "Korsbæk" not in r.text and "127.0.0.1" in r.text
    assert TestClient(create_app(str(shared_db)), base_url="http://localhost:8765").get("/").status_code == 200


def test_a_post_from_another_site_is_refused_even_with_the_token(shared_db):
    c = client(shared_db)
    r = c.post("/beslutning/aula", data={"csrf": token(c), "category": "own"},
               headers={"Origin": "http://angriber.example"})
    assert r.status_code == 403 and "anden hjemmeside" in r.text
    with database.reading(shared_db) as con:
        assert con.execute("SELECT count(*) FROM decisions WHERE system = 'Aula'").fetchone()[0] == 0


def test_orphaned_decisions_are_in_the_review_queue(example_db_copy):
    with database.writing(example_db_copy) as con:
        record_decision(con, "Tabulex", "shared", decided_by="anne")
        # A decision whose system a later run no longer finds (renamed, merged, gone).
        con.execute("INSERT INTO decisions (system, system_key, category, decided_by)"
                    " VALUES ('Gammelt Fagsystem', 'gammelt fagsystem', 'own', 'anne')")
        orphan = con.execute("SELECT max(decision_id) FROM decisions").fetchone()[0]
        classify(con)
    c = client(example_db_copy)
    page = c.get("/gennemgang").text
    assert "Beslutninger uden system (1)" in page and "<td>Gammelt Fagsystem</td>" in page
    assert "<td>Tabulex</td>" not in page                  # its system is there: not an orphan
    assert 'id="fig-queue">1<' in c.get("/").text
    c.post(f"/fortryd/{orphan}", data={"csrf": token(c), "next": "/gennemgang"})
    assert "Beslutninger uden system (0)" in c.get("/gennemgang").text


def test_the_app_works_offline_with_its_vendored_htmx():
    from tuscan.serve.app import HERE, HTMX

    assert (HERE / "static" / HTMX).read_text(encoding="utf-8").startswith("var htmx=function()")
    assert "Zero-Clause BSD" in (HERE / "static" / "htmx-LICENSE.txt").read_text(encoding="utf-8")
    for template in (HERE / "templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"(src|href)=\"(https?:)?//", text), template.name     # nothing from the network
        assert " style=" not in text and "<style" not in text, template.name       # the CSP allows no inline style
