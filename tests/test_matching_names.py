"""Matching every name signal against KL's lists: names with extra words, vendor-only names,
authorities, and the labelled name variants (tests/data/name_variants.csv)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import reference
from reference.evaluate_matching import judge_variants, read_variants, score_variants
from tuscan.classify import match_lists, reference_matcher
from tuscan.names import authority_of, containment_guard, strip_wrappers

VARIANTS = Path(__file__).parent / "data" / "name_variants.csv"


@pytest.fixture(scope="module")
def matcher():
    return reference_matcher()


def _entry(matcher, name: str) -> tuple[str | None, str | None]:
    match = matcher.match_name(name)
    return (match.name, match.how) if match else (None, None)


# --- failure class: an extracted name carries extra words ----------------------------------------
@pytest.mark.parametrize(("written", "entry"), [
    ("Medarbejderadgang til Arbejdsmarkedsportalen", "Arbejdsmarkedsportalen (STAR løsning)"),
    ("Kommunens brug af Genoptræn.dk", "Genoptræn.dk"),
    ("Emento Sikker Dialog hjemmeplejen", "Emento Sikker Dialog"),
    ("Licensaftale FirstAgenda Prepare", "FirstAgenda"),
    ("Aftale om drift af Borgerbooking", "Borgerbooking"),
    ("Tillæg nr. 3 til kontrakt om KMD Nexus", "KMD Nexus"),
    ("2017-118203 Aftale - digital pladsanvisning", "Digital Pladsanvisning"),
    ("Adgang til FMK for sygeplejen", "FMK - Fælles Medicinkort"),
    ("Serviceaftale SD Løn 2021", "SD løn"),  # as KL's Bilag 3 spells it
])
def test_a_list_name_inside_a_longer_name_matches(matcher, written, entry):
    assert _entry(matcher, written)[0] == entry


def test_how_the_name_met_the_entry_is_recorded(matcher):
    assert _entry(matcher, "FirstAgenda")[1] == "whole"
    assert _entry(matcher, "Aftale om drift af Borgerbooking")[1] == "stripped"
    assert _entry(matcher, "Licensaftale FirstAgenda Prepare")[1] == "contained"


def test_strip_wrappers_keeps_names_without_wrappers():
    assert strip_wrappers("FirstAgenda") is None
    assert strip_wrappers("Licensaftale") is None           # nothing left
    assert strip_wrappers("Kontrakt vedrørende levering af Aula (underskrevet)") == "Aula"


# --- guards ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("written", ["KMD", "EG", "Schultz", "KOMBIT", "KMD A/S", "Schultz Information A/S"])
def test_vendor_alone_matches_nothing(matcher, written):
    assert matcher.match_name(written) is None


def test_kmd_nexus_is_not_kmd_opus(matcher):
    assert _entry(matcher, "KMD Nexus")[0] == "KMD Nexus"
    assert _entry(matcher, "KMD Opus")[0] == "KMD Opus"
    assert _entry(matcher, "Kontrakt om KMD Nexus Borgerportal")[0] == "KMD Nexus"
    assert matcher.match_name("KMD Nexus Opus") is None     # two products, not one system
    assert matcher.match_name("EG Opus") is None            # a KMD product with EG in front


@pytest.mark.parametrize("written", [
    "Renovering af aula",            # "aula": a school hall
    "Fokus på borgeren",
    "Valg af leverandør",
    "Udbetaling til NemKonto",       # infrastructure mentioned in passing
    "Integration til Digital Post",
    "Breve sendes i e-Boks",
    "CVR-opslag",
])
def test_ordinary_words_and_infrastructure_inside_a_name_match_nothing(matcher, written):
    assert matcher.match_name(written) is None


def test_ordinary_word_names_count_inside_a_name_in_capitals(matcher):
    assert _entry(matcher, "Kontrakt AULA-forældreintra")[0] == "Aula"
    assert matcher.match_name("Kontrakt aula-forældreintra") is None


@pytest.mark.parametrize("written", [
    "Integration mellem Korsbæk Borgerportal og Serviceplatformen",
    "Snitflade til FMK fra omsorgssystemet",
    "Webservice-opkobling til Jobnet",
])
def test_a_name_about_a_link_to_a_listed_system_is_not_that_system(matcher, written):
    assert matcher.match_name(written) is None


@pytest.mark.parametrize(("form", "guard"), [
    ("kmd", "vendor only"), ("dafolo", "vendor only"), ("nemkonto", "infrastructure"),
    ("e boks", "infrastructure"), ("min sag", "ordinary words"), ("aula", "caps"), ("fmk", "caps"),
    ("firstagenda", None), ("byg og miljø", "case"), ("kmd nexus", None), ("emento sikker dialog", "case"), ("microsoft office word", "desktop software"),
])
def test_containment_guards(form, guard):
    assert containment_guard(form) == guard


def test_wrong_vendor_blocks_a_contained_name(matcher):
    assert _entry(matcher, "Serviceaftale Schultz FASIT")[0] == "Schultz FASIT"
    assert matcher.match_name("Serviceaftale KMD FASIT") is None


# --- every name signal, strongest first --------------------------------------------------------------
def test_every_signal_is_matched_and_a_whole_name_beats_a_contained_one(matcher):
    matches, _ = match_lists(matcher, ["Korsbæk Projekt", "Licensaftale FirstAgenda Prepare"])
    assert {m.name for m in matches.values()} == {"FirstAgenda"}
    # A further signal that is a list name decides over a name that only contains one.
    matches, _ = match_lists(matcher, ["Aftale KMD Nexus og Aula", "KMD Nexus"])
    assert {m.name for m in matches.values()} == {"KMD Nexus"}


def test_an_ordinary_word_as_a_further_signal_is_no_list_name(matcher):
    # A topic folder "Sundhed" is not Sundhed.dk; the same word as the system's own name still is.
    assert match_lists(matcher, ["Korsbæk Træningsportal", "Sundhed"])[0] == {}
    assert match_lists(matcher, ["Sundhed.dk"])[0]


# --- authorities -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("written", "authority", "owner"), [
    ("Sundhedsdatastyrelsen", "Sundhedsdatastyrelsen", True),
    ("STAR", "Styrelsen for Arbejdsmarked og Rekruttering", True),
    ("Styrelsen for Arbejdsmarked og Rekruttering (STAR)", "Styrelsen for Arbejdsmarked og Rekruttering", True),
    ("Erhvervsstyrelsen - aftaler", "Erhvervsstyrelsen", True),
    ("Domstolsstyrelsen", "Domstolsstyrelsen", True),
    ("KOMBIT", "KOMBIT", False),
])
def test_authorities_are_recognised(written, authority, owner):
    found = authority_of(written)
    assert found is not None and found.name == authority and found.common_public_owner is owner


def test_a_name_that_mentions_an_authority_is_not_one():
    assert authority_of("SEI (Sundhedsdatastyrelsens Elektroniske Indberetningssystem)") is None
    assert authority_of("Husdyrgodkendelse - Miljøstyrelsen") is None


def test_authorities_match_no_list_entry(matcher):
    for authority in reference.load_authorities():
        assert matcher.match_name(authority.name) is None, authority.name


def test_authority_list_has_provenance():
    authorities = reference.load_authorities()
    assert {a.name for a in authorities} >= {"Sundhedsdatastyrelsen", "Erhvervsstyrelsen", "Domstolsstyrelsen",
                                             "Digitaliseringsstyrelsen", "Udbetaling Danmark",
                                             "Styrelsen for Arbejdsmarked og Rekruttering", "KOMBIT"}
    seed = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_891c11fbe7986d61.txt"
    lines = seed.read_text(encoding="utf-8").splitlines() if seed.exists() else []
    for authority in authorities:
        assert authority.source, authority
        if authority.seed_line and lines:
            window = " ".join(lines[authority.seed_line - 3 : authority.seed_line + 2])
            assert authority.name[:6] in window or any(a in window for a in authority.abbreviations) \
                or any(o.split()[0] in window for o in authority.owns), authority.name


# --- the labelled variants ---------------------------------------------------------------------------
def test_the_labelled_variants_are_enough_and_point_at_listed_names():
    variants = read_variants(VARIANTS)
    keys = {entry.key for entry in reference.all_entries()}
    assert len(variants) >= 150
    negatives = [v for v in variants if not v.list]
    assert len(negatives) >= 40
    for variant in variants:
        assert not variant.list or variant.key in keys, variant
    notes = " ".join(v.note for v in variants)
    for kind in ("vendor only", "another product of the same vendor", "ordinary word", "infrastructure",
                 "authority", "typo", "lower case", ".dk dropped", "abbreviation"):
        assert kind in notes, kind


def test_the_chosen_guards_on_the_labelled_variants():
    score = score_variants(judge_variants(read_variants(VARIANTS)))
    assert score.precision >= 0.99, [(r.variant.written, r.predicted) for r in score.false_positives]
    assert score.recall >= 0.95, [r.variant.written for r in score.false_negatives]


def test_variants_file_has_the_documented_columns():
    with open(VARIANTS, encoding="utf-8", newline="") as f:
        assert csv.DictReader(f).fieldnames == ["written", "list", "name", "note"]


def test_names_of_ordinary_words_count_inside_a_name_only_written_as_a_name(matcher):
    assert containment_guard("digital signatur") == "case"
    assert matcher.match_name("Aftale om digital signatur til selvbetjening") is None
    assert _entry(matcher, "Kontrakt Digital Signatur og Selvbetjening")[0] == "Digital Signatur"
    assert _entry(matcher, "KMD Opus løn")[0] == "KMD Opus"
    assert matcher.match_name("kmd opus løn") is None


@pytest.mark.parametrize("written", ["Selvbetjening", "Booking", "Sag", "Institution"])
def test_an_ordinary_word_is_no_vendor_product_without_the_vendor(matcher, written):
    assert matcher.match_name(written) is None
    assert matcher.match_name(f"KMD {written}" if written in ("Sag", "Institution") else
                              {"Selvbetjening": "EG Selvbetjening", "Booking": "Schultz Booking"}[written])


@pytest.mark.parametrize(("written", "entry"), [
    ("FirstAgenda - politisk mødesystem", "FirstAgenda"),
    ("Virk.dk – erhvervsportal", "Virk.dk"),
    ("SpeedAdmin: Kulturskolen", "SpeedAdmin"),
])
def test_a_name_in_parts_matches_the_part_that_is_a_list_name(matcher, written, entry):
    assert _entry(matcher, written) == (entry, "stripped")


@pytest.mark.parametrize("written", ["Aula - Tabulex", "Korsbæk Borgerportal - integration til Serviceplatformen"])
def test_parts_naming_two_entries_or_a_link_match_nothing(matcher, written):
    assert matcher.match_name(written) is None
