"""A contract register (tuscan.register): a source of system names and vendors, never a system."""

from __future__ import annotations

from tuscan.identify import name_signal
from tuscan.register import RegisterNames, parse_register

XLSX_TEXT = """Kontrakt-ID | Titel | Leverandør | System | Status | Start | Slut
K-2019-002 | Kontrakt vedrørende KMD Nexus | KMD A/S | KMD Nexus | Aktiv | 2019-01-01 | 2026-12-31
K-2021-003 | Udviklingsaftale Kulturpas | Webhuset Bryggen ApS | Kulturpas Borgbjerg | Aktiv | 2021-01-15 |
K-2022-019 | FirstAgenda Prepare | FirstAgenda ApS | FirstAgenda | Aktiv | 2022-03-01 |
K-2022-027 | Rengøring rådhuset | Glans Facility ApS |  | Aktiv | 2022-09-01 |
K-2022-030 | Lønsystem | Lønservice A/S | Løn | Aktiv | 2022-09-01 |"""

CSV_TEXT = "Kontraktnr;Titel;Leverandør;IT-system;Udløbsdato\n17;Aftale Aula;KOMBIT A/S;Aula;\n"


def test_rows_are_read_from_the_header_on():
    entries = parse_register("Eksporteret 2024-02-29\n" + XLSX_TEXT)
    assert len(entries) == 5
    assert (entries[0].title, entries[0].vendor, entries[0].system) == (
        "Kontrakt vedrørende KMD Nexus", "KMD A/S", "KMD Nexus")
    assert entries[3].system is None
    csv = parse_register(CSV_TEXT)
    assert [(e.vendor, e.system) for e in csv] == [("KOMBIT A/S", "Aula")]
    assert parse_register("Ydelse | Pris\nLicens | 1000") == []


def test_names_vendors_and_system_names():
    register = RegisterNames(parse_register(XLSX_TEXT))
    assert register.vendor_for("Kulturpas Borgbjerg") == "Webhuset Bryggen ApS"
    assert register.vendor_for("KMD Nexus") == "KMD A/S"
    assert register.vendor_for("Aula") is None
    # The row whose title is the contract's name, or a register system contained word by word.
    assert register.system_for("FirstAgenda Prepare") == "FirstAgenda"
    assert register.system_for("Kulturpas Borgbjerg for unge") == "Kulturpas Borgbjerg"
    # … but not from another vendor, and not when nothing fits.
    assert register.system_for("Kulturpas Borgbjerg for unge", "Netcompany A/S") is None
    assert register.system_for("Borgbjerg Havnebooking") is None
    # Mentions: as written (proper nouns), short names ignored, each place once.
    assert register.find_in_text("Integration til KMD Nexus og Kulturpas Borgbjerg.") == ["Kulturpas Borgbjerg",
                                                                                        "KMD Nexus"]
    assert register.find_in_text("kulturpas borgbjerg") == []
    assert register.find_in_text("Løn udbetales månedligt.") == []


def test_a_register_names_no_system_even_with_titles_in_it():
    assert name_signal("Eksport/Kontraktregister.xlsx", XLSX_TEXT).name is None
    assert name_signal("Kontrakter.csv", CSV_TEXT).name is None
