"""Merging candidates into systems by every name signal: KITOS and documents in one row, the name a
DPO sees, and authorities as a signal for common public rather than a system."""

from __future__ import annotations

import pytest

from tests.kitos_fixtures import write_csv
from tuscan import db, steps
from tuscan.candidates import COMMON_PUBLIC_SIGNAL, LOGIN, MENTION, Candidate, Evidence
from tuscan.classify import merge, reference_matcher
from tuscan.rules import Facts, classify_system
from tuscan.steps import run_discover


@pytest.fixture(scope="module")
def matcher():
    return reference_matcher()


def doc(name: str, *, vendor: str | None = None, other_names: tuple[str, ...] = (), login: bool = True) -> Candidate:
    evidence = [Evidence("document", f"{name}.pdf", LOGIN, f"MitID login on p. 1 of {name}.pdf", term="mitid",
                         page=1)] if login else []
    return Candidate(name, "document", vendor=vendor, evidence=evidence, other_names=list(other_names))


def kitos(name: str, vendor: str | None = None) -> Candidate:
    return Candidate(name, "kitos", vendor=vendor,
                     evidence=[Evidence("kitos", name, MENTION, "Listed in KITOS as in use")])


def verdict(system):
    return classify_system(Facts(system.name, system.matches, system.ambiguous, system.evidence))


def test_kitos_system_merges_with_a_contract_whose_title_adds_words(matcher):
    systems = merge([doc("Licensaftale FirstAgenda Prepare"), kitos("FirstAgenda")], matcher)
    assert len(systems) == 1
    assert systems[0].name == "FirstAgenda"
    assert verdict(systems[0]).category == "shared"


def test_the_list_spelling_replaces_a_title_in_capitals(matcher):
    (system,) = merge([doc("FIRSTAGENDA")], matcher)
    assert system.name == "FirstAgenda"
    (system,) = merge([doc("Aftale om drift af Borgerbooking")], matcher)
    assert system.name == "Borgerbooking"


def test_a_name_that_is_the_list_entry_keeps_its_own_spelling(matcher):
    (system,) = merge([doc("FMK", vendor="Sundhedsdatastyrelsen")], matcher)
    assert system.name == "FMK" and system.matches["kl_common_public"].name == "FMK - Fælles Medicinkort"
    (system,) = merge([doc("NetForvaltning Sundhed", vendor="EG")], matcher)
    assert system.name == "NetForvaltning Sundhed"


def test_in_house_solution_in_kitos_merges_with_its_project_description(matcher):
    systems = merge([doc("Projektbeskrivelse Korsbæk Borgerportal"), kitos("Korsbæk Borgerportal", "Korsbæk Kommune")],
                    matcher)
    assert len(systems) == 1 and systems[0].name == "Korsbæk Borgerportal"
    # Either order.
    systems = merge([kitos("Korsbæk Borgerportal"), doc("Projektbeskrivelse Korsbæk Borgerportal")], matcher)
    assert len(systems) == 1 and systems[0].name == "Korsbæk Borgerportal"


def test_two_products_of_one_vendor_stay_two(matcher):
    systems = merge([doc("KMD Nexus"), doc("KMD Opus"), kitos("KMD Opus")], matcher)
    assert sorted(s.name for s in systems) == ["KMD Nexus", "KMD Opus"]


def test_two_documents_are_not_merged_by_containment(matcher):
    # Grouping documents is tuscan.identify's job; a name inside another across two documents
    # ("Borgerportal" and "Korsbæk Borgerportal Plus") may be two systems.
    systems = merge([doc("Korsbæk Borgerportal"), doc("Korsbæk Borgerportal Plus")], matcher)
    assert len(systems) == 2


def test_a_topic_folder_among_further_signals_merges_nothing(matcher):
    systems = merge([doc("Korsbæk Træningsportal", other_names=("Sundhed",)),
                     doc("Korsbæk Tandbooking", other_names=("Sundhed",))], matcher)
    assert len(systems) == 2 and all(not s.matches for s in systems)


def test_further_signals_find_the_list_entry(matcher):
    (system,) = merge([doc("Dok 1234567", other_names=("2017-118203 Aftale - digital pladsanvisning",))], matcher)
    assert system.matches["kl_shared_tu"].name == "Digital Pladsanvisning"
    assert system.name == "Digital Pladsanvisning"


def test_an_authority_is_a_signal_for_common_public_not_the_system(matcher):
    (system,) = merge([doc("Styrelsen for Arbejdsmarked og Rekruttering")], matcher)
    assert system.name == "Løsning fra Styrelsen for Arbejdsmarked og Rekruttering"
    assert any(e.kind == COMMON_PUBLIC_SIGNAL for e in system.evidence)
    assert verdict(system).category == "common_public"


def test_an_authority_name_with_a_further_signal_takes_the_system_from_it(matcher):
    (system,) = merge([doc("Sundhedsdatastyrelsen", other_names=("Aftale om adgang til FMK",))], matcher)
    assert system.name == "FMK - Fælles Medicinkort"
    assert verdict(system).category == "common_public"


def test_a_system_supplied_by_an_authority_is_common_public_with_a_login(matcher):
    (system,) = merge([doc("Sygesikringsportalen", vendor="Sundhedsdatastyrelsen")], matcher)
    assert verdict(system).category == "common_public"
    assert "Sundhedsdatastyrelsen" in verdict(system).reason
    (system,) = merge([doc("Sygesikringsportalen", vendor="Sundhedsdatastyrelsen", login=False)], matcher)
    assert verdict(system).category != "common_public"   # a signal, not a verdict: a login is needed too


def test_kombit_and_digitaliseringsstyrelsen_filing_is_no_common_public_signal(matcher):
    # KOMBIT's systems are shared by the municipalities; under Digitaliseringsstyrelsen municipalities
    # file their own solutions' NemLog-in agreements.
    for vendor in ("KOMBIT", "Digitaliseringsstyrelsen"):
        (system,) = merge([doc("Korsbæk Selvbetjening", vendor=vendor)], matcher)
        assert not any(e.kind == COMMON_PUBLIC_SIGNAL for e in system.evidence), vendor
        assert verdict(system).category == "own"


def test_two_candidates_named_after_one_authority_are_not_merged_by_that_name(matcher):
    systems = merge([doc("Sundhedsdatastyrelsen", other_names=("Aftale om adgang til FMK",)),
                     doc("Sundhedsdatastyrelsen", other_names=("SEI indberetning",))], matcher)
    assert sorted(s.name for s in systems) == ["FMK - Fælles Medicinkort",
                                               "SEI (Sundhedsdatastyrelsens Elektroniske Indberetningssystem)"]


# --- end to end: an archive and a KITOS export ------------------------------------------------------
FILES = {
    "2019-004512 Kontrakt - mødesystem/Dok 1234567.txt":
        "AFTALE OM FIRSTAGENDA PREPARE\n\nPolitikere og borgere logger ind med MitID via NemLog-in.",
    "Styrelsen for Arbejdsmarked og Rekruttering/Tilslutning.txt":
        "Sagsbehandlere i jobcentret logger ind med MitID Erhverv.",
    "Projektbeskrivelse Korsbæk Borgerportal.txt":
        "Borgere logger ind på portalen med MitID. Der behandles navn og adresse.",
    # Its title names it; the mention of a list name on its first page is an integration.
    "Hjemmepleje/Kontrakt.txt":
        "Kontrakt om levering af Korsbæk Hjemmehjælpsportal\n\nPortalen henter data fra Serviceplatformen."
        " Borgere logger ind med MitID.",
}


@pytest.fixture(scope="module")
def inventory(tmp_path_factory):
    root = tmp_path_factory.mktemp("arkiv")
    for path, text in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    work = tmp_path_factory.mktemp("inventory")   # its own folder: other modules' fixtures share root.parent
    target = work / "inventory.duckdb"
    run_discover([str(root)], str(target), runner="inline")
    usage = write_csv(work / "IT Systemer.csv", ["IT System", "Rettighedshaver", "Leverandør", "Status"], [
        ["FirstAgenda", "FirstAgenda ApS", "FirstAgenda ApS", "Aktiv"],
        ["Korsbæk Borgerportal", "Korsbæk Kommune", "", "Aktiv"],
    ])
    steps.run_steps(steps.kitos_import([str(usage)], target))   # imports, then classifies
    with db.reading(target) as con:
        rows = con.execute("SELECT system, category, sources FROM inventory").fetchall()
    return {name: (category, sorted(sources)) for name, category, sources in rows}


def test_each_kitos_system_is_one_row_with_its_documents(inventory):
    assert inventory["FirstAgenda"] == ("shared", ["document", "kitos"])
    assert inventory["Korsbæk Borgerportal"] == ("own", ["document", "kitos"])


def test_no_row_is_named_after_the_authority(inventory):
    assert "Styrelsen for Arbejdsmarked og Rekruttering" not in inventory
    assert inventory["Løsning fra Styrelsen for Arbejdsmarked og Rekruttering"][0] == "common_public"


def test_a_system_named_by_its_title_is_not_the_list_name_its_text_mentions(inventory):
    assert inventory["Korsbæk Hjemmehjælpsportal"] == ("own", ["document"])


def test_nothing_else_in_the_inventory(inventory):
    assert len(inventory) == 4, inventory



def test_document_candidates_carry_their_further_name_signals(tmp_path):
    from tuscan.identify import document_candidates

    files = {
        "2017-118203 Aftale - digital pladsanvisning/Dok 1234567.txt":
            "Kontrakt om levering af pladsanvisningsløsning\n\nForældre logger ind med MitID.",
        "EG A-S/NetForvaltning Sundhed/Kontrakt.txt": "Borgere logger ind med MitID.",
    }
    root = tmp_path / "arkiv"
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    target = tmp_path / "inventory.duckdb"
    run_discover([str(root)], str(target), runner="inline")
    with db.reading(target) as con:
        candidates = {c.name: c for c in document_candidates(con, known_names=reference_matcher())}
    esdh = next(c for c in candidates.values() if any("pladsanvisning" in n for n in [c.name, *c.other_names]))
    # No text names it: the case title's words are its name (matched to KL's list when classified).
    assert esdh.name == "digital pladsanvisning"
    assert "EG A-S NetForvaltning Sundhed" in candidates["NetForvaltning Sundhed"].other_names


def test_a_title_in_capitals_with_no_other_spelling_is_written_as_a_name(matcher):
    (system,) = merge([doc("KORSBÆK BORGERPORTAL TIL IT")], matcher)
    assert system.name == "Korsbæk Borgerportal til IT"
