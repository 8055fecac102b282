"""Grouping documents into systems in an archive not filed by vendor: amendments in later cases,
annexes in the contract's case, a framework agreement's annexes, two products of one vendor."""

from __future__ import annotations

import pytest

from tuscan import db
from tuscan.steps import run_discover

ROOT = "Udtræk 2024"
FILES = {
    "2019-004512 Kontrakt - omsorg/Dok 0045120.txt":
        "KONTRAKT\nvedrørende KMD Nexus\n\nmellem Borgbjerg Kommune og KMD A/S\n\n"
        "Borgere logger på Nexus Borgerportal med MitID.",
    "2019-004512 Kontrakt - omsorg/Dok 0045121.txt": "Bilag 4 - Servicemål\n\nOppetid 99,5 %.",
    "2023-000123 Tillæg - omsorg/Dok 0001230.txt":
        "Tillæg nr. 1 til kontrakt om omsorgssystemet KMD Nexus\n\nPårørende logger også ind med MitID.",
    "2020-000111 Kontrakt - storskrald/Dok 0001110.txt":
        "Kontrakt om Borgbjerg Storskrald\n\nmellem Borgbjerg Kommune og Affaldsdata ApS\n\n"
        "Borgere bestiller afhentning efter login med MitID.",
    "2020-000112 Kontrakt - erhvervsaffald/Dok 0001120.txt":
        "Kontrakt om Borgbjerg Erhvervsaffald\n\nmellem Borgbjerg Kommune og Affaldsdata ApS\n\n"
        "Virksomheder logger ind med MitID Erhverv.",
    "2021-000200 Rammeaftale - selvbetjening/Dok 0002000.txt":
        "RAMMEAFTALE\nom digitale selvbetjeningsløsninger\n\nmellem Borgbjerg Kommune og Kodehuset A/S\n\n"
        "Bilag 1 Borgbjerg Hundeluft\nBilag 2 Borgbjerg Kolonihaver\n\n"
        "Alle løsninger skal understøtte login med MitID.",
    "2021-000200 Rammeaftale - selvbetjening/Bilag 1.txt":
        "Bilag 1 - Delaftale om Borgbjerg Hundeluft\n\nBorgere logger ind med MitID og booker en hundeskov.",
    "2021-000200 Rammeaftale - selvbetjening/Bilag 2.txt":
        "Bilag 2 - Delaftale om Borgbjerg Kolonihaver\n\nForeninger logger ind med MitID Erhverv.",
}


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    root = tmp_path_factory.mktemp("grouping")
    for path, text in FILES.items():
        target = root / "archive" / ROOT / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    database = root / "inventory.duckdb"
    run_discover([str(root / "archive")], str(database), runner="inline")
    with db.reading(str(database)) as con:
        findings = dict(con.execute("SELECT path, system FROM document_findings").fetchall())
        inventory = {r[0]: r[1:] for r in con.execute("SELECT system, vendor, category FROM inventory").fetchall()}
        evidence = con.execute("SELECT s.system, e.source_ref FROM system_evidence e JOIN systems s USING (system_id)"
                               " WHERE e.kind IN ('login', 'business_login')").fetchall()
    return {p.split("/", 1)[1]: s for p, s in findings.items()}, inventory, evidence


def test_amendment_with_more_words_and_annex_join_the_contract(scanned):
    findings, inventory, _ = scanned
    nexus = [findings[p] for p in FILES if "omsorg" in p]
    assert nexus == ["KMD Nexus"] * 3
    assert inventory["KMD Nexus"] == ("KMD A/S", "shared")


def test_two_products_of_one_vendor_stay_two(scanned):
    _, inventory, _ = scanned
    assert inventory["Borgbjerg Storskrald"] == ("Affaldsdata ApS", "own")
    assert inventory["Borgbjerg Erhvervsaffald"] == ("Affaldsdata ApS", "own")


def test_framework_annexes_are_separate_systems_with_their_own_evidence(scanned):
    findings, inventory, evidence = scanned
    assert findings["2021-000200 Rammeaftale - selvbetjening/Dok 0002000.txt"] is None
    refs = {}
    for system, ref in evidence:
        refs.setdefault(system, set()).add(ref.rsplit("/", 1)[-1])
    assert refs["Borgbjerg Hundeluft"] == {"Bilag 1.txt"}
    assert refs["Borgbjerg Kolonihaver"] == {"Bilag 2.txt"}
    # The vendor comes from the framework agreement's parties clause in the same case.
    assert inventory["Borgbjerg Hundeluft"][0] == inventory["Borgbjerg Kolonihaver"][0] == "Kodehuset A/S"


def test_no_system_is_named_after_the_filing(scanned):
    _, inventory, _ = scanned
    assert not [name for name in inventory if name[:4].isdigit() or "Udtræk" in name or name.startswith("Dok")]


def test_attachments_of_one_container_share_its_system(tmp_path):
    import zipfile

    folder = tmp_path / "flat"
    folder.mkdir()
    with zipfile.ZipFile(folder / "Mail fra leverandør.zip", "w") as archive:
        archive.writestr("Kontrakt.txt", "Kontrakt vedrørende Borgbjerg Hundeluft\n\nmellem Borgbjerg Kommune og "
                                         "Kodehuset A/S\n\nBorgere logger ind med MitID.")
        archive.writestr("Bilag 2.txt", "Bilag 2 - Priser\n\nLicens 10.000 kr. Login med MitID er inkluderet.")
    (folder / "Scan_0001.txt").write_text("Referat\n\nMitID-login blev drøftet.", encoding="utf-8")
    database = tmp_path / "inventory.duckdb"
    run_discover([str(folder)], str(database), runner="inline")
    with db.reading(str(database)) as con:
        findings = dict(con.execute("SELECT path, system FROM document_findings").fetchall())
        vendors = dict(con.execute("SELECT system, vendor FROM inventory").fetchall())
    assert findings["Mail fra leverandør.zip!Bilag 2.txt"] == "Borgbjerg Hundeluft"
    assert findings["Mail fra leverandør.zip!Kontrakt.txt"] == "Borgbjerg Hundeluft"
    assert findings["Scan_0001.txt"] != "Borgbjerg Hundeluft"
    assert vendors["Borgbjerg Hundeluft"] == "Kodehuset A/S"


def test_framework_in_a_flat_folder_is_no_system(tmp_path):
    folder = tmp_path / "flat"
    folder.mkdir()
    texts = {
        "Scan_0001.txt": "RAMMEAFTALE\nom digitale selvbetjeningsløsninger\n\nmellem Borgbjerg Kommune og Kodehuset A/S\n\n"
                         "Delaftaler: Borgbjerg Hundeluft og Borgbjerg Kolonihaver.\n"
                         "Alle løsninger skal understøtte login med MitID.",
        "Scan_0002.txt": "Delaftale om Borgbjerg Hundeluft\n\nBorgere logger ind med MitID.",
        "Scan_0003.txt": "Delaftale om Borgbjerg Kolonihaver\n\nForeninger logger ind med MitID Erhverv.",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    database = tmp_path / "inventory.duckdb"
    run_discover([str(folder)], str(database), runner="inline")
    with db.reading(str(database)) as con:
        findings = dict(con.execute("SELECT path, system FROM document_findings").fetchall())
        systems = {r[0] for r in con.execute("SELECT system FROM inventory").fetchall()}
    assert systems == {"Borgbjerg Hundeluft", "Borgbjerg Kolonihaver"}
    assert findings["Scan_0001.txt"] is None


def test_sbsys_export_with_kle_case_numbers_and_cover_sheets(tmp_path):
    root = tmp_path / "archive" / "SBSYS_Export_20240301"
    texts = {
        "27.69.48-G01-1-19 Omsorgssystem/Dokument 55120 - Kontrakt.txt":
            "Borgbjerg Kommune - Dokumentforside\nSagsnr.: 27.69.48-G01-1-19\nSagstitel: Omsorgssystem\n"
            "Dokumenttitel: Kontrakt underskrevet\nAkteret: 01.02.2019\n\f"
            "Kontrakt mellem Borgbjerg Kommune og KMD A/S om levering af KMD Nexus\n\n"
            "Borgere logger ind på borgerportalen med MitID.",
        "27.69.48-G01-1-19 Omsorgssystem/Dokument 55121 - Bilag 5.txt": "Bilag 5 Servicemål\nOppetid 99,7 %.",
        "13.05.00-G01-1-23 Egen løsning/Dokument 80000.txt":
            "Udviklingskontrakt vedr. Borgbjerg Havneportal\n\nmellem Borgbjerg Kommune og Kodehuset ApS\n\n"
            "Bådejere logger på med MitID via NemLog-in.",
        "13.05.00-G01-1-23 Egen løsning/Dokument 80001.txt": "Kravspecifikation\n\nBorgbjerg Havneportal\n\n"
                                                             "K1: Login med MitID.",
    }
    for path, text in texts.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    database = tmp_path / "inventory.duckdb"
    run_discover([str(tmp_path / "archive")], str(database), runner="inline")
    with db.reading(str(database)) as con:
        findings = {p.rsplit("/", 1)[-1]: s for p, s in con.execute("SELECT path, system FROM document_findings").fetchall()}
        inventory = {r[0]: r[1:] for r in con.execute("SELECT system, vendor, category FROM inventory").fetchall()}
    assert inventory == {"KMD Nexus": ("KMD A/S", "shared"), "Borgbjerg Havneportal": ("Kodehuset ApS", "own")}
    assert findings["Dokument 55121 - Bilag 5.txt"] == "KMD Nexus"
    assert findings["Dokument 80001.txt"] == "Borgbjerg Havneportal"
