"""Which system is a document about — on an archive filed differently from the example: vendor
folders under year folders, titles inside the text, annexes without the system in the file name,
copies in another folder, topic folders, and no Vendor/System structure at all."""

from __future__ import annotations

import pytest

from tuscan import db
from tuscan.identify import filename_name, is_generic_folder, name_signal, title_name
from tuscan.steps import run_discover

FILES = {
    "Kontrakter 2019/KMD A-S/Kontrakt vedr. KMD Nexus.txt":
        "KONTRAKT\nvedrørende KMD Nexus\n\nBorgere logger på omsorgsportalen med MitID via NemLog-in.",
    "Kontrakter 2019/KMD A-S/Bilag 3 Servicemål.txt":
        "Bilag 3 til kontrakt om KMD Nexus\n\nOppetid 99,5 %.",
    "Kontrakter 2019/Netcompany A-S/Licensaftale.txt":
        "Licensaftale vedrørende Borgbjerg Hallerne Booking\n\nForeninger logger ind med NemID eller MitID.",
    "Kontrakter 2019/Rengøringsservice ApS/Rengøringsaftale.txt":
        "Rengøringsaftale for Rådhuset. Betaling til NemKonto.\nUnderskrevet med MitID via Penneo.",
    "Beskæftigelse/Tilslutning.txt":
        "Aftale om anvendelse af Jobnet.dk\n\nSagsbehandlere logger ind med MitID Erhverv.",
    "Renovation/Aftale RenoWeb.txt":
        "Aftale om RenoWeb\n\nBorgere ser deres tømningskalender på Min side efter login med MitID.",
    "Aftale om levering af Borgbjerg Parkeringsapp.txt":
        "Parkeringsappen bruger MitID-login (NemLog-in3). Der behandles navn og adresse.",
    "Kopier/Kopi af parkeringsaftalen.txt":
        "Parkeringsappen bruger MitID-login (NemLog-in3). Der behandles navn og adresse.",
    "Økonomi/Kontrakt om levering af Lønsystem Silvan.txt":
        "Kontrakt om levering af Lønsystem Silvan\n\nBrugerne logger på med Windows-login (AD).",
}

EXPECTED = {  # system → category
    "KMD Nexus": "shared",
    "Borgbjerg Hallerne Booking": "own",
    "Jobnet.dk": "common_public",
    "RenoWeb": "shared",
    "Borgbjerg Parkeringsapp": "own",
}


@pytest.fixture(scope="module")
def inventory(tmp_path_factory):
    root = tmp_path_factory.mktemp("borgbjerg")
    for path, text in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    target = root.parent / "inventory.duckdb"
    run_discover([str(root)], str(target), runner="inline")
    with db.reading(target) as con:
        systems = dict(con.execute("SELECT system, category FROM inventory").fetchall())
        docs = dict(con.execute("SELECT path, system FROM document_findings").fetchall())
    return systems, docs


def test_each_system_once_with_the_right_category(inventory):
    systems, _ = inventory
    tu = {name: cat for name, cat in systems.items() if cat != "not_tu"}
    assert tu == EXPECTED


def test_annex_and_copy_join_their_contract(inventory):
    _, docs = inventory
    assert docs["Kontrakter 2019/KMD A-S/Bilag 3 Servicemål.txt"] == "KMD Nexus"
    assert docs["Kopier/Kopi af parkeringsaftalen.txt"] == "Borgbjerg Parkeringsapp"


def test_trap_contract_makes_no_system(inventory):
    systems, docs = inventory
    assert docs["Kontrakter 2019/Rengøringsservice ApS/Rengøringsaftale.txt"] is None
    assert "Lønsystem Silvan" not in {n for n, c in systems.items() if c != "not_tu"}


@pytest.mark.parametrize(("name", "generic"), [("Bilag", True), ("2021", True), ("Leverandøraftaler 2021", True),
                                               ("Aula", False), ("KMD", False)])
def test_generic_folders(name, generic):
    assert is_generic_folder(name) is generic


def test_titles_and_file_names():
    assert title_name("KONTRAKT\nom levering af Korsbæk Borgerportal\nmellem Korsbæk Kommune og X A/S") == \
        "Korsbæk Borgerportal"
    assert title_name('Aftale om drift af systemet "Sagsportalen" 2021') == "Sagsportalen"
    assert filename_name("KMD/Bilag 2 til kontrakt om KMD Nexus (underskrevet).pdf") == "KMD Nexus"
    assert filename_name("Databehandleraftale.pdf") is None


def test_vendor_folder_under_a_year_folder():
    signal = name_signal("Leverandøraftaler 2021/EG A-S/Serviceaftale EG Selvbetjening v2.docx", "")
    assert (signal.name, signal.vendor) == ("EG Selvbetjening", "EG A-S")


def test_identical_standard_document_in_two_system_folders_keeps_both_systems(tmp_path):
    template = "Standard databehandleraftale. Borgere logger ind med MitID."
    for folder in ("KMD A-S/KMD Nexus", "EG A-S/EG Sensum"):
        (tmp_path / "arkiv" / folder).mkdir(parents=True)
        (tmp_path / "arkiv" / folder / "Databehandleraftale.txt").write_text(template, encoding="utf-8")
    target = tmp_path / "inventory.duckdb"
    run_discover([str(tmp_path / "arkiv")], str(target), runner="inline")
    with db.reading(target) as con:
        systems = dict(con.execute("SELECT path, system FROM document_findings").fetchall())
    assert systems == {"KMD A-S/KMD Nexus/Databehandleraftale.txt": "KMD Nexus",
                       "EG A-S/EG Sensum/Databehandleraftale.txt": "EG Sensum"}
