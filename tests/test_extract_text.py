"""TXT/CSV/MD: encodings (UTF-8, UTF-8 with BOM, UTF-16 with BOM, cp1252), binary detection."""

from __future__ import annotations

import codecs

import pytest

from extractors import extract
from extractors.base import OK, UNSUPPORTED

DANISH = "Løsningen kræver medarbejdersignatur; Æbelø Kommune"


@pytest.mark.parametrize(
    "raw",
    [
        DANISH.encode("utf-8"),
        codecs.BOM_UTF8 + DANISH.encode("utf-8"),
        codecs.BOM_UTF16_LE + DANISH.encode("utf-16-le"),
        DANISH.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "cp1252"],
)
def test_encodings_decode_to_the_same_text(raw):
    result = extract(raw, "noter.txt")
    assert result.status == OK and result.extractor == "text"
    assert result.text == DANISH


def test_csv_and_markdown_are_text():
    assert extract(b"system;login\r\nSelvbetjening;NemID\r\n", "liste.csv").text == (
        "system;login\nSelvbetjening;NemID\n")
    assert "# Bilag" in extract(b"# Bilag\n\nMitID", "bilag.md").text


def test_nul_bytes_mean_binary_not_text():
    result = extract(b"abc\x00\x01\x02def", "data.txt")
    assert result.status == UNSUPPORTED
    assert "NUL bytes" in result.error


def test_cp1252_smart_quotes():
    assert extract("“NemID” – log ind".encode("cp1252"), "q.txt").text == "“NemID” – log ind"
