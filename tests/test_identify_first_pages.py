"""The first pages classification reads: the first two pages with text, wherever they are."""

from __future__ import annotations

import pytest

from tests.conftest import REPO
from tests.example_archives import load_generator, scan_generated
from tuscan import db
from tuscan.identify import _first_two_texts
from tuscan.titles import TITLE_WINDOW


def test_the_first_two_pages_with_text_are_found_past_blank_pages(tmp_path):
    documents = {
        "a": ["Aftale om Aula", "Side 2", "Side 3"],
        "b": ["", "   ", "Aftale om RenoWeb", "Side 4", "Side 5"],      # a scanned cover, a blank page
        "c": ["Kontrakt om Jobnet.dk"],
        "d": ["Dokumenttitel: Aftale", "", "Aftale om Momentum"],
        "e": ["", ""],                                                 # no text at all
        "f": [" " * 500 + "Aftale om KMD Nexus", "Side 2"],              # text only after 500 spaces
        "g": [" " * 300, "", "Kontrakt om FMK", "x" * 50_000],          # a long page after blank ones
        "h": ["Databehandleraftale " * 3_000],                          # one long page, as a DOCX is
    }
    with db.writing(tmp_path / "x.duckdb") as con:
        for sha, pages in documents.items():
            for number, text in enumerate(pages, start=1):
                con.execute("INSERT INTO pages (sha256, page, text) VALUES (?, ?, ?)", [sha, number, text])
        found = _first_two_texts(con, sorted(documents))
        nothing_asked = _first_two_texts(con, [])
    assert nothing_asked == {}
    assert found == {
        "a": ["Aftale om Aula", "Side 2"],
        "b": ["Aftale om RenoWeb", "Side 4"],
        "c": ["Kontrakt om Jobnet.dk"],
        "d": ["Dokumenttitel: Aftale", "Aftale om Momentum"],
        "f": [(" " * 500 + "Aftale om KMD Nexus")[:TITLE_WINDOW], "Side 2"],
        "g": ["Kontrakt om FMK", "x" * TITLE_WINDOW],
        "h": [("Databehandleraftale " * 3_000)[:TITLE_WINDOW]],
    }


def _candidates_by_chunk(path, monkeypatch, chunk: int) -> tuple[list, list[int]]:
    import tuscan.identify as identify
    from tuscan.classify import reference_matcher

    asked: list[int] = []

    def counting(con, hashes):
        asked.append(len(hashes))
        return _first_two_texts(con, hashes)

    monkeypatch.setattr(identify, "FIRST_PAGES_CHUNK", chunk)
    monkeypatch.setattr(identify, "_first_two_texts", counting)
    with db.reading(str(path)) as con:
        candidates = identify.document_candidates(con, known_names=reference_matcher(con))
    return sorted(candidates, key=lambda c: (c.name, c.document_ids)), asked


@pytest.mark.parametrize("example", ["esdh", "flat"])
def test_first_pages_read_a_chunk_at_a_time_name_the_same_systems(example, tmp_path, monkeypatch):
    """Classification holds the first pages of a chunk of documents at a time, not the archive's:
    an ESDH export (case folders, cover sheets, a framework agreement, a contract register, copies)
    and a flat folder of scans name the same systems, with the same documents, evidence and other
    names, whether the chunk is one document or all of them."""
    generator = load_generator(REPO / "examples" / example / "generate.py", f"{example}_generate_chunks")
    _findings, _inventory, path = scan_generated(generator, tmp_path, example)
    whole, asked_whole = _candidates_by_chunk(path, monkeypatch, 10_000)
    one_by_one, asked_one = _candidates_by_chunk(path, monkeypatch, 1)
    assert len(whole) >= 4
    assert one_by_one == whole
    assert max(asked_one) == 1 and len(asked_one) > len(asked_whole)
