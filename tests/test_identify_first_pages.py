"""The first pages classification reads: the first two pages with text, wherever they are."""

from __future__ import annotations

from tuscan import db
from tuscan.identify import _first_two_texts


def test_the_first_two_pages_with_text_are_found_past_blank_pages(tmp_path):
    documents = {
        "a": ["Aftale om Aula", "Side 2", "Side 3"],
        "b": ["", "   ", "Aftale om RenoWeb", "Side 4", "Side 5"],      # a scanned cover, a blank page
        "c": ["Kontrakt om Jobnet.dk"],
        "d": ["Dokumenttitel: Aftale", "", "Aftale om Momentum"],
        "e": ["", ""],                                                 # no text at all
    }
    with db.writing(tmp_path / "x.duckdb") as con:
        for sha, pages in documents.items():
            for number, text in enumerate(pages, start=1):
                con.execute("INSERT INTO pages (sha256, page, text) VALUES (?, ?, ?)", [sha, number, text])
        found = _first_two_texts(con, sorted(documents))
    assert found == {
        "a": ["Aftale om Aula", "Side 2"],
        "b": ["Aftale om RenoWeb", "Side 4"],
        "c": ["Kontrakt om Jobnet.dk"],
        "d": ["Dokumenttitel: Aftale", "Aftale om Momentum"],
    }
