"""CPR numbers are masked everywhere evidence is stored or shown: page text, snippets, titles, errors,
file and member names — with and without the hyphen, spaced out, or broken across a line."""

from __future__ import annotations

import re
import zipfile

import pytest
from docx import Document

from tuscan import db
from tuscan.archive.scan import scan
from tuscan.privacy import contains_cpr, mask_cpr, mask_path

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


@pytest.mark.parametrize(("text", "masked"), [
    ("CPR 010203-1234", "CPR XXXXXX-XXXX"),
    ("cpr.nr. 0102031234.", "cpr.nr. XXXXXXXXXX."),
    ("CPR: 010203 - 1234", "CPR: XXXXXX - XXXX"),
    ("CPR: 010203 1234", "CPR: XXXXXX XXXX"),
    ("01 02 03-1234", "XX XX XX-XXXX"),
    ("01 02 03 12 34", "XX XX XX XX XX"),
    ("010203–1234 (en dash)", "XXXXXX–XXXX (en dash)"),
    ("født 010203-\n1234 i Korsbæk", "født XXXXXX-\nXXXX i Korsbæk"),
    ("CPR 010203\n  1234", "CPR XXXXXX\n  XXXX"),
    ("CPR-nr.0102031234", "CPR-nr.XXXXXXXXXX"),
    ("erstatningsnummer 610203-1234", "erstatningsnummer XXXXXX-XXXX"),
    ("310199\u00a01234", "XXXXXX\u00a0XXXX"),
])
def test_cpr_forms_are_masked_keeping_length(text, masked):
    assert mask_cpr(text) == masked
    assert len(mask_cpr(text)) == len(text)
    assert contains_cpr(text) and not contains_cpr(mask_cpr(text))


@pytest.mark.parametrize("text", [
    "Tlf. 12 34 56 78",                  # a phone number: eight digits
    "Kontonr. 1234-5678901234",          # a bank account: the 'date' is no date
    "Faktura 320199-1234",               # day 32
    "Periode 2023-2027, pris 1.234.567 kr.",
    "CVR 12345678",
    "0102031234567",                     # thirteen digits: an EAN number, not a CPR number
    "NemLog-in3 og MitID",
])
def test_other_numbers_are_left_alone(text):
    assert mask_cpr(text) == text


def test_masked_paths_keep_extension_and_stay_apart():
    one, two = mask_path("Sag 010203-1234/Aftale 010203-1234.pdf"), mask_path("Sag 010203-1234/Aftale 020304-5678.pdf")
    assert one != two and one.endswith(".pdf") and two.endswith(".pdf")
    assert one.split("/")[0] == two.split("/")[0]
    assert not contains_cpr(one) and mask_path(one) == one
    assert mask_path("Kontrakt 2024.pdf") == "Kontrakt 2024.pdf"


def test_nothing_stored_holds_a_cpr_number(tmp_path):
    root = tmp_path / "archive"
    root.mkdir()
    (root / "Ansøgning 010203-1234.txt").write_text(
        "Borgeren (CPR: 010203 - 1234) logger ind med MitID.\nSe også 020304-\n5678 og 0304051234.", "utf-8")
    document = Document()
    document.core_properties.title = "Aftale for 050607-8901"
    document.add_paragraph("Medarbejdere logger ind med medarbejdersignatur. CPR 06 07 08 9012.")
    document.save(root / "Aftale.docx")
    with zipfile.ZipFile(root / "Bilag.zip", "w") as z:
        z.writestr("Borger 0708091234.txt", "Login med NemID. cpr.nr. 080910-1234")
    with db.writing(tmp_path / "i.duckdb") as con:
        scan(con, [root])
        assert con.execute("SELECT count(*) FILTER (WHERE tu_evidence) FROM document_findings").fetchone()[0] == 3
        leaks = []
        for table, column in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE data_type = 'VARCHAR' AND table_schema = 'main'"
        ).fetchall():
            for (value,) in con.execute(f'SELECT DISTINCT "{column}" FROM "{table}"').fetchall():
                # A SHA-256 digest of a file's bytes holds no number from its text, but its hex digits
                # can look like one (the DOCX's timestamp changes the digest on every run).
                if value and not _SHA256_HEX.fullmatch(value) and contains_cpr(value):
                    leaks.append((table, column, value))
        titles = [r[0] for r in con.execute("SELECT title FROM contents WHERE title IS NOT NULL").fetchall()]
    assert leaks == []
    assert titles == ["Aftale for XXXXXX-XXXX"]
    raw = (tmp_path / "i.duckdb").read_bytes()
    for digits in (b"010203", b"0102031234", b"020304", b"0304051234", b"050607", b"0708091234", b"080910"):
        assert digits not in raw, digits


def test_masking_agrees_with_the_plain_lookbehind_pattern():
    """The CPR pattern checks "no digit before" after its first digit (for speed); on random text of
    digits, separators and letters it must mask exactly what the plain `(?<!\\d)` form masks."""
    import random
    import re

    from tuscan import privacy

    reference = re.compile(privacy._CPR.pattern.replace(r"(\d(?<!\d\d)\d)", r"(?<!\d)(\d\d)", 1))
    assert reference.pattern != privacy._CPR.pattern

    def mask_reference(text: str) -> str:
        return reference.sub(
            lambda m: re.sub(r"\d", "X", m.group(0)) if privacy._plausible(m) else m.group(0), text)

    rng = random.Random(8)
    alphabet = "0123456789" * 4 + " -\n\u2013ab"
    masked = 0
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(8, 30)))
        expected = mask_reference(text)
        assert mask_cpr(text) == expected, text
        masked += expected != text
    assert masked > 100   # the sample holds many CPR-like numbers, so the comparison means something
