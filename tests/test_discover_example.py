"""`discover` on the bundled example archive: the expected document_findings and inventory rows
(examples/expected.json is written by examples/generate.py next to the archive it describes)."""

from __future__ import annotations

import json

import pytest

from extractors import ocr
from tests.conftest import REPO
from tuscan import db

EXPECTED = json.loads((REPO / "examples" / "expected.json").read_text(encoding="utf-8"))


def expected_document(doc: dict) -> dict:
    if doc.get("ocr") and not ocr.available():
        return {**doc, **doc["without_ocr"]}
    return doc


@pytest.fixture(scope="module")
def findings(example_db):
    with db.reading(example_db) as con:
        rows = con.execute(
            "SELECT path, status, error, tu_evidence, system, keywords FROM document_findings"
        ).fetchall()
    return {r[0]: dict(zip(["path", "status", "error", "tu_evidence", "system", "keywords"], r, strict=True))
            for r in rows}


@pytest.fixture(scope="module")
def inventory(example_db):
    with db.reading(example_db) as con:
        cols = [d[0] for d in con.execute("SELECT * FROM inventory LIMIT 0").description]
        return {r[0]: dict(zip(cols, r, strict=True)) for r in con.execute("SELECT * FROM inventory").fetchall()}


DOCUMENTS = [d for d in EXPECTED["documents"] if d["status"] != "container"]


def test_every_document_is_listed_once(findings):
    assert sorted(findings) == sorted(d["path"] for d in DOCUMENTS)


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[d["path"] for d in DOCUMENTS])
def test_document_findings_row(findings, doc):
    want = expected_document(doc)
    got = findings[doc["path"]]
    assert got["status"] == want["status"], got["error"]
    assert got["tu_evidence"] == want["tu_evidence"]
    assert set(want["keywords"]) <= set(got["keywords"])
    if want["status"] == "ok":
        assert got["system"] == want["system"]
    else:
        # Unreadable files are attributed to the system they are filed under, or to none.
        assert got["system"] in (None, want.get("folder_system")), got
        assert got["error"], "an unreadable document must say why"


def test_no_trap_document_has_tu_evidence(findings):
    for doc in DOCUMENTS:
        if not doc["tu_evidence"]:
            assert not findings[doc["path"]]["tu_evidence"], doc["note"]


SYSTEMS = EXPECTED["systems"]


def test_one_inventory_row_per_expected_system(inventory):
    assert sorted(inventory) == sorted(s["system"] for s in SYSTEMS)


@pytest.mark.parametrize("want", SYSTEMS, ids=[s["system"] for s in SYSTEMS])
def test_inventory_row(inventory, want):
    got = inventory[want["system"]]
    assert got["category"] == want["category"], got["reason"]
    assert got["suggested_level"] == want["suggested_level"], got["reason"]
    assert sorted(got["flags"]) == sorted(want["flags"])
    assert got["vendor"] == want["vendor"]
    assert got["matched_list"] == want["matched_list"]
    assert got["matched_name"] == want["matched_name"]
    assert got["decided_by"] == "rules"
    assert got["reason"] and "\n" not in got["reason"]
    if want["category"] in ("own", "shared", "common_public"):
        assert got["evidence_count"] > 0
        assert any(word in got["reason"] for word in ("NemID", "MitID", "NemLog-in", "medarbejdersignatur"))


def test_reason_names_the_document_and_page(inventory):
    reason = inventory["NetForvaltning Sundhed"]["reason"]
    assert reason.startswith("Matched KL's shared list 'EG Netforvaltning Sundhed' (score ")
    assert " on p. 1 of " in reason


def test_evidence_is_stored_for_every_tu_system(example_db):
    with db.reading(example_db) as con:
        rows = con.execute(
            "SELECT system, count(*) FILTER (WHERE kind IN ('login', 'business_login')) FROM evidence"
            " GROUP BY system"
        ).fetchall()
    logins = dict(rows)
    for want in SYSTEMS:
        if want["category"] != "not_tu":
            assert logins.get(want["system"], 0) > 0, want["system"]
        else:
            assert logins.get(want["system"], 0) == 0, want["system"]


def test_cpr_numbers_are_masked_in_stored_text_and_snippets(example_db):
    with db.reading(example_db) as con:
        texts = [r[0] for r in con.execute("SELECT text FROM pages").fetchall()]
        snippets = [r[0] for r in con.execute("SELECT snippet FROM hits UNION ALL SELECT snippet FROM "
                                              "system_evidence WHERE snippet IS NOT NULL").fetchall()]
    assert any("XXXXXX-XXXX" in t for t in texts), "the example archive holds a fake CPR number"
    assert not any("010203-1234" in t for t in texts + snippets)


def test_reason_points_at_the_main_contract_not_an_annex(inventory):
    assert inventory["Korsbæk Selvbetjening"]["reason"] == \
        "No KL list match; MitID login on p. 1 of Kontrakt Korsbæk Selvbetjening.pdf"
    # The same reason in Danish, as the report and the web app show it (tuscan.reasons).
    assert inventory["Korsbæk Selvbetjening"]["reason_da"] == \
        "Ingen match på KL's lister; MitID-login på s. 1 i Kontrakt Korsbæk Selvbetjening.pdf"
    assert inventory["Korsbæk Selvbetjening"]["reason_code"] == "own"
