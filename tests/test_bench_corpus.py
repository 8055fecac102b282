"""The benchmark corpus generator: its known keyword occurrences are what tuscan really finds in the
files it writes, hyphen splits included, and recall is computed right."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.corpus import FILLER, FORMS, generate, recall, term_of_match
from extractors.keywords import find_hits
from tuscan.archive.reader import extract_file


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    return out, generate(out, "tiny")


def test_filler_holds_no_keyword():
    """Every hit in the corpus is a planted occurrence: the filler vocabulary matches no term."""
    assert find_hits(" ".join(FILLER)) == []


def test_every_file_differs_so_none_is_linked_by_hash(tiny_corpus):
    out, manifest = tiny_corpus
    contents = {(out / rel).read_bytes() for rel in manifest["files"]}
    assert len(contents) == len(manifest["files"]) == 16


def test_known_occurrences_are_what_tuscan_finds(tiny_corpus):
    out, manifest = tiny_corpus
    assert manifest["pdf_pages"] == sum(e["pages"] for r, e in manifest["files"].items() if r.endswith(".pdf"))
    split_total = 0
    for rel, entry in manifest["files"].items():
        result = extract_file(str(out / rel), rel)
        assert not isinstance(result, str) and result.status == "ok", (rel, result)
        if rel.endswith(".pdf"):
            assert len(result.pages) == entry["pages"]
        assert dict(Counter(h.term for h in result.hits)) == entry["known"], rel
        split = Counter(h.term for h in result.hits if "\n" in h.matched)
        assert dict(split) == entry["hyphen"], rel
        split_total += sum(entry["hyphen"].values())
    assert split_total > 0, "the tiny corpus must contain hyphen-split keywords"


def test_forms_cover_every_pdfgrep_term():
    assert {f.term for f in FORMS} == {"nemid", "mitid", "nemlog-in", "medarbejdersignatur", "tjenesteudbyder"}
    assert {term_of_match(f.text) for f in FORMS if f.split is None} == {f.term for f in FORMS}
    assert term_of_match("Nem-ID") == "nemid" and term_of_match("NEMLOGIN") == "nemlog-in"
    assert term_of_match("kommunen") is None


def test_recall_counts_at_most_the_known_occurrences():
    manifest = {"files": {
        "a.pdf": {"known": {"nemid": 2, "mitid": 1}, "hyphen": {"nemid": 1}},
        "b.pdf": {"known": {"nemid": 1}, "hyphen": {}},
        "c.docx": {"known": {"mitid": 3}, "hyphen": {}},
    }}
    found = {"a.pdf": {"nemid": 5}, "b.pdf": {"mitid": 1}, "c.docx": {"mitid": 3}}
    assert recall(manifest, found) == (2 + 0 + 0 + 3, 7)        # extra hits and wrong terms earn nothing
    assert recall(manifest, found, suffix=".pdf") == (2, 4)
    assert recall(manifest, {}, hyphen_only=True) == (0, 1)
    assert recall(manifest, {"a.pdf": {"nemid": 1}}, hyphen_only=True) == (1, 1)


def test_real_corpus_copies_read_like_their_sources(tmp_path, realdata):
    """Each copy of a real document has its own bytes (so it is read, not linked by hash) and reads
    as its source does: the same pages, text and hits."""
    from bench.corpus import generate_real

    manifest = generate_real(tmp_path, "tiny", realdata)
    pdfs = [rel for rel in manifest["files"] if rel.endswith(".pdf")]
    docx = [rel for rel in manifest["files"] if rel.endswith(".docx")]
    assert manifest["pdf_pages"] >= 150 and len(docx) == manifest["docx_files"] == 10
    assert len({(tmp_path / rel).read_bytes() for rel in manifest["files"]}) == len(manifest["files"])
    for rel in pdfs[:7] + docx[:3]:
        entry = manifest["files"][rel]
        copy, source = extract_file(str(tmp_path / rel), rel), extract_file(str(realdata / entry["source"]), rel)
        assert copy.status == source.status == "ok", (rel, copy.error)
        assert copy.pages == source.pages
        assert copy.hits == source.hits
        if rel.endswith(".pdf"):
            assert len(copy.pages) == entry["pages"]


def _check_known(out, manifest):
    """Every file's hits are its known occurrences (per term; hyphen-split ones separately)."""
    readers = Counter()
    for rel, entry in manifest["files"].items():
        result = extract_file(str(out / rel), rel)
        assert not isinstance(result, str) and result.status == "ok", (rel, result)
        assert len(result.pages) == entry["pages"], rel
        assert dict(Counter(h.term for h in result.hits)) == entry["known"], rel
        split = Counter(h.term for h in result.hits if "\n" in h.matched)
        # A word processor may wrap an unsplit "Nem-ID" at its hyphen: more splits, never fewer.
        assert all(split[term] >= count for term, count in entry["hyphen"].items()), rel
        readers[result.extractor] += 1
    return readers


def test_dense_corpus_has_6000_characters_a_page_and_its_known_occurrences(tmp_path):
    import shutil

    manifest = generate(tmp_path, "tiny", kind="dense")
    assert manifest["kind"] == "dense" and manifest["pdf_files"] == 6
    assert 5500 <= manifest["chars_per_page"] <= 7000
    assert sum(sum(e["hyphen"].values()) for e in manifest["files"].values()) > 0
    readers = _check_known(tmp_path, manifest)
    if shutil.which("pdftotext"):      # dense pages are what poppler is used for
        assert readers == {"pdf:poppler": 6}


def test_wordproc_corpus_is_a_libreoffice_export_with_its_known_occurrences(tmp_path):
    from bench.corpus import soffice

    if soffice() is None:
        pytest.skip("LibreOffice (libreoffice-writer-nogui) not installed")
    manifest = generate(tmp_path, "tiny", kind="wordproc")
    assert manifest["kind"] == "wordproc" and manifest["pdf_files"] == 12
    assert 1500 <= manifest["chars_per_page"] <= 3500
    import pypdfium2 as pdfium

    first = pdfium.PdfDocument(tmp_path / next(iter(manifest["files"])))
    assert first.get_metadata_dict()["Producer"].startswith("LibreOffice")
    first.close()
    _check_known(tmp_path, manifest)
