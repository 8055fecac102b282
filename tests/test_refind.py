"""A changed keyword file reaches text read before the change: `discover` finds the hits again from
the stored pages (no file is read again) and classifies with them; `--refind` forces it."""

from __future__ import annotations

import os
import shutil
from concurrent.futures import Future

import pytest
from click.testing import CliRunner

import tuscan.archive.refind as refind_module
from extractors.keywords import KEYWORDS_FILE
from tuscan import db
from tuscan.archive.keywordfile import KEYWORDS_ENV, keyword_fingerprint
from tuscan.archive.reader import extract_batch
from tuscan.archive.scan import scan
from tuscan.cli import main
from tuscan.privacy import contains_cpr
from tuscan.steps import run_discover

SYSTEM = "Parkeringsfirmaet/Korsbæk Parkering"
NEW_TERM = '  { term = "kommunelogin", spellings = ["kommune|login"] },\n'


@pytest.fixture
def keywords(tmp_path, monkeypatch):
    """A private copy of the bundled keyword file, in effect through TUSCAN_KEYWORDS."""
    copy = tmp_path / "keywords.toml"
    shutil.copy(KEYWORDS_FILE, copy)
    monkeypatch.setenv(KEYWORDS_ENV, str(copy))
    return copy


def add_login_term(path) -> None:
    """Add 'Kommune-login' to the citizen-login group, as a user extending the list would."""
    text = path.read_text("utf-8")
    anchor = '  { term = "nemid", spellings = ["nem|id"] },\n'
    assert anchor in text
    path.write_text(text.replace(anchor, anchor + NEW_TERM), "utf-8")


@pytest.fixture
def archive(tmp_path):
    root = tmp_path / "arkiv"
    (root / SYSTEM).mkdir(parents=True)
    (root / SYSTEM / "Kontrakt.txt").write_text(
        "Borgerne logger ind med Kommune-login og betaler for parkering.\n"
        "Kontaktperson CPR 010190-1234 skal kunne logge ind med Kommune-login.", "utf-8")
    (root / "Rengøring.txt").write_text("Rengøring af rådhuset. Betaling til NemKonto.", "utf-8")
    return root


def state(db_path) -> dict:
    with db.reading(db_path) as con:
        return {
            "doc": con.execute("SELECT tu_evidence, keywords FROM document_findings WHERE path = ?",
                               [f"{SYSTEM}/Kontrakt.txt"]).fetchone(),
            "category": con.execute("SELECT category FROM inventory WHERE system = 'Korsbæk Parkering'").fetchone(),
            "extracted_runs": con.execute("SELECT sha256, extracted_run FROM contents ORDER BY sha256").fetchall(),
            "versions": {r[0] for r in con.execute("SELECT DISTINCT keywords_version FROM contents").fetchall()},
            "snippets": [r[0] for r in con.execute("SELECT snippet FROM hits").fetchall()],
            "classify_runs": con.execute("SELECT count(*) FROM runs WHERE kind = 'classify'").fetchone()[0],
        }


def test_new_keyword_is_found_in_stored_text_without_reading_again(tmp_path, archive, keywords, monkeypatch):
    db_path = tmp_path / "i.duckdb"
    first = run_discover([str(archive)], str(db_path), runner="inline")
    before = state(db_path)
    assert first.extracted == 2 and first.refound == 0
    assert before["doc"] == (False, [])
    assert before["category"] in (None, ("not_tu",), ("unknown",))
    assert before["versions"] == {keyword_fingerprint()}

    add_login_term(keywords)
    monkeypatch.setattr(refind_module, "REFIND_PAGES", 1)   # one content per transaction: batching works
    second = run_discover([str(archive)], str(db_path), runner="inline")
    after = state(db_path)

    assert (second.extracted, second.linked, second.unchanged) == (0, 0, 2)   # nothing read again
    assert after["extracted_runs"] == before["extracted_runs"]
    assert (second.refound, second.refound_changed) == (2, 1)
    assert after["doc"] == (True, ["kommunelogin"])
    assert after["category"] == ("own",)                                       # classify ran with them
    assert after["classify_runs"] == before["classify_runs"] + 1
    assert after["versions"] == {keyword_fingerprint()} != before["versions"]
    assert after["snippets"] and not any(contains_cpr(s) for s in after["snippets"])

    # Nothing changed since: the next run searches nothing again and does not classify.
    third = run_discover([str(archive)], str(db_path), runner="inline")
    assert (third.refound, third.extracted) == (0, 0)
    assert state(db_path)["classify_runs"] == after["classify_runs"]


def test_refind_forces_a_search_of_everything(tmp_path, archive, keywords):
    db_path = tmp_path / "i.duckdb"
    run_discover([str(archive)], str(db_path), runner="inline")
    before = state(db_path)
    forced = run_discover([str(archive)], str(db_path), runner="inline", refind=True)
    assert (forced.refound, forced.refound_changed, forced.extracted) == (2, 0, 0)
    assert state(db_path)["extracted_runs"] == before["extracted_runs"]
    assert state(db_path)["classify_runs"] == before["classify_runs"]       # same hits: nothing to classify


def test_contents_from_before_the_upgrade_are_searched_once(tmp_path, archive, keywords):
    db_path = tmp_path / "i.duckdb"
    run_discover([str(archive)], str(db_path), runner="inline")
    # Make the database look like one written before migration 006, then open it with this tuscan.
    with db.writing(db_path) as con:
        con.execute("ALTER TABLE contents DROP COLUMN keywords_version")
        con.execute("DELETE FROM schema_migrations WHERE version = 6")
    add_login_term(keywords)
    with db.writing(db_path) as con:
        assert con.execute("SELECT count(*) FROM contents WHERE keywords_version IS NULL").fetchone()[0] == 2
    upgraded = run_discover([str(archive)], str(db_path), runner="inline")
    assert (upgraded.refound, upgraded.refound_changed, upgraded.extracted) == (2, 1, 0)
    assert state(db_path)["doc"] == (True, ["kommunelogin"])
    assert run_discover([str(archive)], str(db_path), runner="inline").refound == 0


def test_hits_found_by_a_worker_with_another_keyword_file_are_found_again(tmp_path, archive, keywords):
    # A Dask worker on another machine (or a worker started earlier) may search with another keyword
    # file; its results say which, and the writer searches them again with the file in effect.
    add_login_term(keywords)

    def stale_worker(items):
        os.environ[KEYWORDS_ENV] = str(KEYWORDS_FILE)   # the bundled file: no 'kommunelogin'
        try:
            future: Future = Future()
            future.set_result(extract_batch(items))
            return future
        finally:
            os.environ[KEYWORDS_ENV] = str(keywords)

    db_path = tmp_path / "i.duckdb"
    with db.writing(db_path) as con:
        summary = scan(con, [archive], submit=stale_worker)
    assert summary.extracted == 2 and summary.refound == 2 and summary.refound_changed == 1
    after = state(db_path)
    assert after["doc"] == (True, ["kommunelogin"])
    assert after["versions"] == {keyword_fingerprint()}


def test_cli_refind_and_classify_report_what_they_searched(tmp_path, archive, keywords):
    db_path = str(tmp_path / "i.duckdb")
    runner = CliRunner()
    result = runner.invoke(main, ["discover", str(archive), "--db", db_path, "--no-prefect", "--refind"])
    assert result.exit_code == 0, result.output
    assert "Searched the stored text of 2 document(s) for keywords again" in result.output

    add_login_term(keywords)
    result = runner.invoke(main, ["classify", "--db", db_path])
    assert result.exit_code == 0, result.output
    assert "Searched the stored text of 2 document(s) for keywords again, without reading the files;" \
           " hits changed in 1." in result.output
    assert state(db_path)["category"] == ("own",)


def test_unreadable_keyword_file_stops_the_run_before_it_starts(tmp_path, archive, monkeypatch):
    monkeypatch.setenv(KEYWORDS_ENV, str(tmp_path / "findes-ikke.toml"))
    result = CliRunner().invoke(main, ["discover", str(archive), "--db", str(tmp_path / "i.duckdb"), "--no-prefect"])
    assert result.exit_code == 1
    assert "cannot read keyword file" in result.output and KEYWORDS_ENV in result.output


def test_searching_in_worker_processes_gives_the_same_hits(tmp_path, archive, keywords, monkeypatch):
    """Many pages to search: the search runs in worker processes; the hits are those of a search
    in the writer process."""
    import shutil

    from tuscan import db
    from tuscan.archive.refind import refind

    serial, parallel = tmp_path / "serial.duckdb", tmp_path / "parallel.duckdb"
    run_discover([str(archive)], str(serial), runner="inline")
    shutil.copy(serial, parallel)
    add_login_term(keywords)
    monkeypatch.setattr(refind_module, "REFIND_PAGES", 1)            # one batch per content
    monkeypatch.setattr(refind_module, "REFIND_PARALLEL_PAGES", 1)   # workers even for two pages
    found = {}
    for path, workers in ((serial, 1), (parallel, 2)):
        with db.writing(path) as con:
            done = refind(con, workers=workers)
            found[workers] = (done.contents, done.changed,
                              con.execute("SELECT * FROM hits ORDER BY ALL").fetchall(),
                              con.execute("SELECT DISTINCT keywords_version FROM contents").fetchall())
    assert found[2] == found[1]
    assert found[2][:2] == (2, 1)
    assert any(row[4] == "kommunelogin" for row in found[2][2])


def _decide(db_path, tmp_path):
    result = CliRunner().invoke(main, ["decide", "Korsbæk Booking", "--category", "own", "--by", "test",
                                       "--db", str(db_path)])
    assert result.exit_code == 0, result.output


def _import_kitos(db_path, tmp_path):
    from tests.kitos_fixtures import write_exports

    (tmp_path / "kitos").mkdir()
    files = [str(p) for p in write_exports(tmp_path / "kitos").values()]
    result = CliRunner().invoke(main, ["kitos", "import", *files, "--db", str(db_path)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("command", [_decide, _import_kitos], ids=["decide", "kitos import"])
def test_every_command_that_classifies_uses_the_keyword_file_in_effect(tmp_path, archive, keywords, command):
    """Not only discover and classify: a command that classifies after the keyword file changed
    searches the stored text again first, so the inventory does not depend on which command ran last."""
    booking = archive / "Bookingfirmaet" / "Korsbæk Booking"
    booking.mkdir(parents=True)
    (booking / "Kontrakt.txt").write_text("Borgerne booker lokaler og logger ind med MitID.", "utf-8")
    db_path = tmp_path / "i.duckdb"
    run_discover([str(archive)], str(db_path), runner="inline")
    assert state(db_path)["doc"] == (False, [])

    add_login_term(keywords)
    command(db_path, tmp_path)
    after = state(db_path)
    assert after["doc"] == (True, ["kommunelogin"])
    assert after["category"] == ("own",)
    assert after["versions"] == {keyword_fingerprint()}
