"""Title pages, parties clauses, ESDH case folders and contract registers (tuscan.titles and the
folder rules of tuscan.identify), on phrasings beyond those in the example archives."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuscan import titles
from tuscan.identify import case_folder, case_title, is_case_folder, is_generic_folder, name_signal
from tuscan.titles import (
    is_amendment,
    is_cover_sheet,
    is_register,
    parties_vendor,
    past_cover_sheet,
    title_name,
)


@pytest.mark.parametrize(("text", "name"), [
    ("AFTALE\nom levering af KMD Digital Pladsanvisning\n\nmellem", "KMD Digital Pladsanvisning"),
    ("KONTRAKT\n\nvedrørende Borgbjerg Bookingportal\n", "Borgbjerg Bookingportal"),
    ("Tilslutningsaftale om anvendelse af Det Fælles Medicinkort (FMK)", "Det Fælles Medicinkort"),
    ("Vilkår for jobcentrenes brug af Jobnet.dk\n", "Jobnet.dk"),
    ("Aftale om anvendelse af Virk.dk. Aftalen gælder fra 2020.", "Virk.dk"),
    ("Tillæg nr. 3\ntil kontrakt af 12. juni 2017 om digital pladsanvisning\n", "digital pladsanvisning"),
    ("Tillæg nr. 2 til kontrakt om Borgbjerg Havnebooking\n", "Borgbjerg Havnebooking"),
    ("Tillæg 4 til driftsaftalen vedr. Sagsportalen\n", "Sagsportalen"),
    ("Forlængelse af kontrakt om Fokus Økonomi til 2024", "Fokus Økonomi"),
    ("Udviklingsaftale vedrørende Kulturpas Borgbjerg\n", "Kulturpas Borgbjerg"),
    ("Kravspecifikation for Ungeportalen\nUdbud 2020", "Ungeportalen"),
    ("Bilag 1 til rammeaftale\nDelaftale om Borgbjerg Beboerparkering\n", "Borgbjerg Beboerparkering"),
    ("Bilag 2 – Delaftale: Borgbjerg Storskrald\n", "Borgbjerg Storskrald"),
    ("RAMMEAFTALE\nom udvikling og drift af digitale selvbetjeningsløsninger\n", "digitale selvbetjeningsløsninger"),
    ("AGREEMENT\nfor the supply of FirstAgenda Prepare\nbetween", "FirstAgenda Prepare"),
    ("Licence agreement for Emento Sikker Dialog\n", "Emento Sikker Dialog"),
    ("Contract regarding the Harbour Booking System between", "Harbour Booking System"),
    ('Aftale om drift af systemet "Sagsportalen" 2021', "Sagsportalen"),
])
def test_title_phrases(text, name):
    assert title_name(text) == name


@pytest.mark.parametrize("text", [
    "Bilag til rammeaftale\n\nServicemål og svartider.",
    "Aftalens genstand er beskrevet i bilag 2.",
    "Kontrakten omfatter drift og support.",
    "Referat af styregruppemøde 4. maj",
])
def test_no_title_phrase(text):
    assert title_name(text) is None


@pytest.mark.parametrize(("text", "vendor"), [
    ("AFTALE\nmellem\n\nKorsbæk Kommune\nTorvet 1\n\nog\n\nKMD A/S\nLautrupparken 40", "KMD A/S"),
    ("mellem KOMBIT A/S, Halfdansgade 8, og Korsbæk Kommune", "KOMBIT A/S"),
    ("indgået mellem Korsbæk Kommune, Torvet 1, 4190 Korsbæk og Webhuset Bryggen ApS, Havnegade 4", "Webhuset Bryggen ApS"),
    ("between Borgbjerg Municipality and FirstAgenda ApS, Kystvejen 29", "FirstAgenda ApS"),
    ("Parterne: Region Nord og Sundhedsplatformen I/S", "Sundhedsplatformen I/S"),
    ("mellem Sundhedsdatastyrelsen og Korsbæk Kommune", "Sundhedsdatastyrelsen"),
])
def test_parties_clause_names_the_vendor(text, vendor):
    assert parties_vendor(text) == vendor


def test_no_parties_clause_no_vendor():
    assert parties_vendor("Løsningen er for unge mellem 15 og 25 år.") is None
    assert parties_vendor("Leverandøren KMD A/S leverer systemet.") is None


@pytest.mark.parametrize(("name", "case"), [
    ("2017-118203 Aftale - digital pladsanvisning", True),
    ("2019-004512 Kontrakt - omsorgssystem", True),
    ("23-004512 Kontrakt", False),
    ("2021/0034 Tilslutning til Aula", True),
    ("2022-51-02-00017 Rammeaftale", True),
    ("KMD A-S", False),
    ("Aula", False),
])
def test_case_folders(name, case):
    assert is_case_folder(name) is case
    if case:
        assert is_generic_folder(name)


@pytest.mark.parametrize("name", ["Acadre eksport 2024-02-29", "SBSYS udtræk", "WorkZone export 2023",
                                  "SBSYS_Export_20240301", "Scannede kontrakter", "E-mails med kontrakter 2021",
                                  "Journaliserede kopier"])
def test_export_roots_and_journal_folders_are_generic(name):
    assert is_generic_folder(name)


@pytest.mark.parametrize("name", ["Aula", "Kolonihaver", "KMD Nexus", "Renovation", "Skoleintra"])
def test_named_folders_are_not_generic(name):
    assert not is_generic_folder(name)


def test_case_folder_and_title_of_a_nested_document():
    path = "Eksport/2017-118203 Aftale - digital pladsanvisning/Journaliserede kopier/Dok 1182031.pdf"
    assert case_folder(path) == "Eksport/2017-118203 Aftale - digital pladsanvisning"
    assert case_title(path) == "Aftale - digital pladsanvisning"
    assert case_title("Leverandører/KMD/Kontrakt.pdf") is None


def test_register_spreadsheet_is_recognised_by_its_header():
    header = "Kontrakt-ID | Titel | Leverandør | System | Status | Start | Slut\nK-1 | Aftale om levering af Aula | KOMBIT A/S"
    assert is_register("Eksport/Kontraktregister.xlsx", header)
    assert is_register("kontrakter.csv", "Kontraktnr;Titel;Leverandør;Udløbsdato")
    assert not is_register("Eksport/Kontraktregister.pdf", header)
    assert not is_register("Prisbilag.xlsx", "Ydelse | Pris | Antal\nLicens | 1000 | 2")


def test_register_is_no_system_and_dok_numbers_are_no_names():
    register = "Kontrakt-ID | Titel | Leverandør | System | Status\nK-1 | Aftale om levering af Aula | KOMBIT A/S"
    assert name_signal("Eksport/Kontraktregister.xlsx", register).name is None
    signal = name_signal("Eksport/2019-004512 Kontrakt - omsorgssystem/Dok 0045133.pdf", "Servicemål: 99,5 %")
    assert signal.name is None
    contract = "KONTRAKT\nvedrørende KMD Nexus\n\nmellem Korsbæk Kommune og KMD A/S"
    signal = name_signal("Eksport/2019-004512 Kontrakt - omsorgssystem/Dok 0045120.pdf", contract)
    assert (signal.name, signal.vendor, signal.structured) == ("KMD Nexus", "KMD A/S", False)


def test_known_name_in_the_case_title_is_a_weak_hint():
    signal = name_signal("Eksport/2018-071190 Tilslutning - Aula/Dok 1.pdf", "Servicemål og priser.",
                         lambda text: ["Aula"] if "Aula" in text else [])
    assert signal.name == "Aula"


@pytest.mark.parametrize(("text", "name"), [
    ("KONTRAKT\n\nKMD Nexus\n\nmellem Korsbæk Kommune og KMD A/S", "KMD Nexus"),
    ("Databehandleraftale\nBorgbjerg Bookingportal\n", "Borgbjerg Bookingportal"),
    ("AGREEMENT\n\nHarbour Booking\n\nbetween", "Harbour Booking"),
])
def test_contract_word_alone_then_the_name(text, name):
    assert title_name(text) == name


@pytest.mark.parametrize("text", [
    "AFTALE\nmellem\nKorsbæk Kommune",
    "KONTRAKT\nKorsbæk Kommune og KMD A/S",
    "Bilag\nServicemål og svartider",
    "Kontrakt\n1. Aftalens genstand",
    "Aftale\nDenne aftale gælder fra 1. januar.",
])
def test_contract_word_alone_then_no_name(text):
    assert title_name(text) is None


@pytest.mark.parametrize(("text", "amendment"), [
    ("Tillæg nr. 3\ntil kontrakt om X", True), ("  TILLÆGSAFTALE 2 om X", True),
    ("Forlængelse af kontrakt om X", True), ("Amendment No. 1 to the Agreement", True),
    ("Kontrakt om X\nTillæg kan aftales", False), ("Bilag 3 til kontrakt om X", False),
])
def test_amendments_are_recognised_by_their_first_line(text, amendment):
    assert is_amendment(text) is amendment


@pytest.mark.parametrize("name", ["00.01.00-A00-1-21 Kontrakt om Aula", "19/12345 Tilslutning FMK",
                                  "2019-0004512 Kontrakt"])
def test_other_case_number_styles(name):
    assert is_case_folder(name)


@pytest.mark.parametrize("text", [
    'says the IdP "has an agreement on use of NemID" that must be transferred',
    "Tilslutningsaftale til MitID Erhverv",
    "NemID tjenesteudbyderaftale til produktionsmiljøet",
    "Aftale om driften",
])
def test_login_infrastructure_and_ordinary_words_are_no_system_names(text):
    assert title_name(text) is None


@pytest.mark.parametrize(("text", "name"), [
    ("Kontrakt mellem Borgbjerg Kommune og KMD A/S om levering af KMD Nexus", "KMD Nexus"),
    ("LEVERINGSAFTALE\n\nmellem\nBorgbjerg Kommune\nog\nNetcompany A/S\n\nvedrørende\n\nBorgbjerg Selvbetjening\n",
     "Borgbjerg Selvbetjening"),
    ("Agreement between Borgbjerg Kommune and Emento ApS for the supply of Emento Sikker Dialog\n",
     "Emento Sikker Dialog"),
])
def test_parties_before_the_title(text, name):
    assert title_name(text) == name


COVER = ("Borgbjerg Kommune - Dokumentforside\nSagsnr.: 2019-004512\nSagstitel: Kontrakt - omsorgssystem\n"
         "Dokumenttitel: Kontrakt KMD Nexus underskrevet\nAkteret: 12.03.2019\nSagsbehandler: LHO\n")


def test_an_esdh_cover_sheet_is_skipped_for_the_title_page():
    assert is_cover_sheet(COVER)
    assert not is_cover_sheet("KONTRAKT\nvedrørende KMD Nexus\nSagsnr.: 2019-004512")
    first = past_cover_sheet([COVER, "KONTRAKT\nvedrørende KMD Nexus\n\nmellem"])
    assert first.startswith("Kontrakt KMD Nexus underskrevet\n\nKONTRAKT")
    assert title_name(first) == "KMD Nexus"
    assert past_cover_sheet(["KONTRAKT\nom Aula", "side 2"]) == "KONTRAKT\nom Aula"
    assert past_cover_sheet([COVER]) == COVER


@pytest.mark.parametrize(("text", "name"), [
    ("DATABEHANDLERAFTALE\n\nmellem\nBorgbjerg Kommune\nog\nKMD A/S\n\nom behandling af personoplysninger\n", None),
    ("Databehandleraftale om behandling af personoplysninger i forbindelse med KMD Nexus\n", "KMD Nexus"),
    ("Aftale om levering\n\nLeverandøren leverer", None),
])
def test_data_processing_agreements_name_their_system_or_none(text, name):
    assert title_name(text) == name


@pytest.mark.parametrize(("text", "name"), [
    ("Bilag vedrørende servicemål og svartider\n", None),
    ("Bilag til kontrakt om Borgbjerg Bookingportal\n", "Borgbjerg Bookingportal"),
    ("Tilbud på levering af Borgbjerg Bookingportal\n", "Borgbjerg Bookingportal"),
])
def test_annex_topics_are_no_names(text, name):
    assert title_name(text) == name


def test_every_document_word_holds_a_core():
    # phrase_starts only looks where a core is: a document word added without one would never match.
    for alternative in titles._DOCUMENT_WORDS.split("|"):
        word = re.sub(r"\\w\*|\[n\]\?|\(\?:en\)\?", "", alternative).replace(r"\s+", " ")
        assert any(core in word for core in titles._DOCUMENT_CORES), alternative


def _overlapping_search(pattern, text):
    pos, found = 0, []
    while (m := pattern.search(text, pos)) is not None:
        found.append((m.span(), m.group("name")))
        pos = m.start() + 1
    return found


# Title-page fragments in the cases and joins municipalities write them, with characters that a
# case-insensitive regex and lower case treat differently ("ſ", "İ", "K" the Kelvin sign).
FRAGMENTS = ["Aftale", "AFTALE", "aftalen", "Tilslutningsaftale", "driftsaftalen", "Kontrakt", "KONTRAKTEN",
             "Tillæg", "tillægsaftale", "Ændringsbilag", "underbilag", "Bilag", "Brugervilkår", "Tilbud",
             "Kravspecifikationen", "Agreement", "CONTRACT", "Requirements", "specification", "Terms",
             "Annex", "nr. 3", "af 12. juni 2017", "om", "vedr.", "vedrørende", "for", "til", "regarding",
             "mellem", "between", "Borgbjerg Kommune", "KMD A/S", "levering af", "systemet", "Aula",
             "KMD Nexus", '"Sagsportalen"', ":", " – ", "-", ",", "\n", "\n\n", "  ", "2021", "_x",
             "ſchedule", "İ", "\u212aontrakt", "Straße", "æøå"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=30), st.sampled_from(["", " ", "x"]))
def test_phrase_starts_find_what_the_plain_search_finds(parts, glue):
    text = glue.join(parts) if glue else " ".join(parts)
    starts = titles.phrase_starts(text)
    for pattern in (titles._TITLE, titles._HEADING, titles._PARTIES_FIRST):
        found = [(m.span(), m.group("name")) for m in titles.phrases(pattern, text, starts)]
        assert found == _overlapping_search(pattern, text)
