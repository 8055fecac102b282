"""`discover` on the flat example folder (examples/flat/generate.py, written into a temporary
folder): scanned contracts read only by OCR and contracts attached to e-mails, no folder names —
checked against examples/flat/expected.json."""

from __future__ import annotations

import json

import pytest

from extractors import ocr
from tests.conftest import REPO
from tests.example_archives import load_generator, scan_generated
from tuscan.names import normalise

HERE = REPO / "examples" / "flat"
EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
DOCUMENTS = [d for d in EXPECTED["documents"] if d["status"] != "container"]
SYSTEMS = EXPECTED["systems"]
@pytest.fixture(scope="module")
def generator():
    return load_generator(HERE / "generate.py", "flat_generate")


@pytest.fixture(scope="module")
def scanned(generator, tmp_path_factory):
    findings, inventory, _path = scan_generated(generator, tmp_path_factory.mktemp("flat"), "folder")
    return findings, inventory


def expected_document(doc: dict) -> dict:
    if doc.get("ocr") and not ocr.available():
        return {**doc, **doc["without_ocr"]}
    return doc


def find_row(want: dict, inventory: dict) -> dict | None:
    for row in inventory.values():
        if normalise(row["system"]) == normalise(want["system"]):
            return row
    return next((r for r in inventory.values() if want["matched_name"] and r["matched_name"] == want["matched_name"]),
                None)


def test_generator_is_reproducible_and_expected_json_is_current(generator, tmp_path):
    first = [p.read_bytes() for p in generator.generate(tmp_path / "a")]
    second = [p.read_bytes() for p in generator.generate(tmp_path / "b")]
    assert first == second
    assert generator.build_expected() == EXPECTED


def _row(findings: dict, path: str) -> dict:
    assert path in findings, f"{path} has no row; rows: {sorted(findings)}"
    return findings[path]


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[d["path"] for d in DOCUMENTS])
def test_document_row(scanned, doc):
    findings, inventory = scanned
    want = expected_document(doc)
    got = _row(findings, doc["path"])
    assert got["status"] == want["status"]
    assert got["tu_evidence"] == want["tu_evidence"]
    if want["system"]:
        row = find_row(next(s for s in SYSTEMS if s["system"] == want["system"]), inventory)
        assert row is not None and got["system"] == row["system"], (got, sorted(inventory))
    else:
        assert got["system"] in {None, doc.get("optional_system")}


@pytest.mark.parametrize("want", SYSTEMS, ids=[s["system"] for s in SYSTEMS])
def test_inventory_row(scanned, want):
    findings, inventory = scanned
    row = find_row(want, inventory)
    if want["optional"]:
        assert row is None or row["category"] == "not_tu"
        return
    docs = [d for d in DOCUMENTS if d["system"] == want["system"]]
    if not ocr.available() and all(d.get("ocr") for d in docs):
        pytest.skip("tesseract is not installed: the scans have no text")
    assert all(d["path"] in findings for d in docs), sorted(findings)
    assert row is not None, sorted(inventory)
    assert row["category"] == want["category"], row["reason"]
    if want["vendor"]:
        assert row["vendor"] == want["vendor"]


def test_the_folder_is_what_it_claims(generator, tmp_path):
    """Read back without tuscan: scans without a text layer, a two-page TIFF, e-mails with attachments."""
    import email
    from email import policy

    from PIL import Image
    from pypdf import PdfReader

    folder = tmp_path / "folder"
    generator.generate(folder)
    assert all(f.is_file() for f in folder.iterdir())  # flat: no subfolders
    for scan in ("Scan_20190312_0002.pdf", "Scan_20200511_0001.pdf"):
        assert not "".join(page.extract_text() or "" for page in PdfReader(folder / scan).pages).strip()
    with Image.open(folder / "Scan_20190312_0001.tif") as tiff:
        assert tiff.n_frames == 2
    for doc in EXPECTED["documents"]:
        if "!" in doc["path"]:
            mail, attachment = doc["path"].split("!")
            message = email.message_from_bytes((folder / mail).read_bytes(), policy=policy.default)
            assert [part.get_filename() for part in message.iter_attachments()] == [attachment]
