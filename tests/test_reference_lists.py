"""KL's reference lists (reference/*.csv) and the curation script that writes them."""

from __future__ import annotations

import csv
import filecmp
import re
from pathlib import Path

import pytest

import reference
from reference import curate

SEED = curate.DEFAULT_SEED
needs_seed = pytest.mark.skipif(not SEED.exists(), reason="seed text not available")

EXPECTED_COUNTS = {"kl_common_public": 51, "kl_shared_tu": 304, "kitos_common_systems": 342}


def names(list_name: str) -> set[str]:
    return {entry.name for entry in reference.load_list(list_name)}


@pytest.mark.parametrize("list_name, count", EXPECTED_COUNTS.items())
def test_row_counts(list_name, count):
    entries = reference.load_list(list_name)
    assert len(entries) == count
    assert {entry.list for entry in entries} == {list_name}


def test_all_entries_is_the_three_lists():
    assert len(reference.all_entries()) == sum(EXPECTED_COUNTS.values())


def test_unknown_list_is_refused():
    with pytest.raises(reference.UnknownList):
        reference.load_list("kl_own")


def test_provenance_points_into_the_right_appendix():
    ranges = {
        "kl_common_public": (887, 915),
        "kl_shared_tu": (1901, 2069),
        "kitos_common_systems": (2084, 2259),
    }
    for entry in reference.all_entries():
        first, last = ranges[entry.list]
        assert first <= entry.seed_line <= last, entry
        assert "Bilag" in entry.appendix


@pytest.mark.parametrize(
    "merged",
    [
        "ACmatch CPRWeb",
        "CVR NemId.nu",
        "OS2KITOS KMD Børneydelse",
        "Jobnet.dk Virk.dk",
        "KMD AKTIV KMD Structura",
    ],
)
def test_known_merged_rows_are_split(merged):
    all_names = {entry.name for entry in reference.all_entries()}
    assert merged not in all_names
    left, right = merged.split(" ", 1) if merged.count(" ") == 1 else (None, None)
    if left:
        assert left in all_names and right in all_names


# KL lists the vendors "KMD" and "EG" as entries of their own, so "EG Netblanket" = "EG" + "Netblanket"
# is a real name, not a merged row.
VENDOR_ENTRIES = {"KMD", "EG"}


def test_no_name_is_two_listed_names_glued_together():
    for list_name in EXPECTED_COUNTS:
        listed = names(list_name)
        for name in listed:
            words = name.split()
            for cut in range(1, len(words)):
                left, right = " ".join(words[:cut]), " ".join(words[cut:])
                assert left in VENDOR_ENTRIES or not (left in listed and right in listed), (
                    f"{list_name}: {name!r} = {left!r} + {right!r}"
                )


# A vendor word in the middle of a name usually marks the start of the next column's name
# ("OS2KITOS KMD Børneydelse"). These names legitimately carry one mid-name.
VENDOR_MID_NAME_OK = {"KMD Gennemstilling via KMD-net", "KMD Kommunikationskapacitet til KMD-net"}


def test_no_vendor_word_starts_a_second_name():
    pattern = re.compile(r"(?<!^)(?<![-–/] )(?<!fra )\b(KMD|EG|Schultz|KOMBIT|Tabulex|NOTUS|Microsoft)\b")
    suspicious = [
        entry.name
        for entry in reference.all_entries()
        if pattern.search(re.sub(r"\([^)]*\)", "", entry.name)) and entry.name not in VENDOR_MID_NAME_OK
    ]
    assert suspicious == []


@pytest.mark.parametrize(
    "list_name, name",
    [
        ("kl_common_public", "SEI (Sundhedsdatastyrelsens Elektroniske Indberetningssystem)"),
        ("kl_shared_tu", "SEI (Sundhedsdatastyrelsens Elektroniske Indberetningssystem)"),
        ("kl_shared_tu", "FLIS (Fælleskommunalt LedelsesInformationsSystem)"),
        ("kl_shared_tu", "EG Speciallæge- og Psykologdatabasen MediConnect"),
        ("kitos_common_systems", "EG Speciallæge- og Psykologdatabasen MediConnect"),
        ("kitos_common_systems", "DUBU (digitalisering udsatte børn og unge)"),
    ],
)
def test_wrapped_names_are_whole(list_name, name):
    assert name in names(list_name)


def test_no_fragments_of_wrapped_names():
    all_names = {entry.name for entry in reference.all_entries()}
    for fragment in [
        "Indberetningssystem)",
        "LedelsesInformationsSystem) KMD MinUddannelse",
        "Database",
        "MediConnect",
    ]:
        assert fragment not in all_names


def test_every_row_is_one_clean_name():
    for entry in reference.all_entries():
        assert entry.name == " ".join(entry.name.split()) and entry.name
        assert "|" not in entry.name and entry.name not in {"•", "as"}


def test_common_public_names_from_the_design_brief():
    common = names("kl_common_public")
    for name in ["FMK - Fælles Medicinkort", "Virk.dk", "Jobnet.dk", "Sundhed.dk", "Skat.dk", "Tinglysning"]:
        assert name in common


def test_repeated_names_are_kept_once_per_list():
    for list_name in EXPECTED_COUNTS:
        folded = [entry.name.casefold() for entry in reference.load_list(list_name)]
        assert len(folded) == len(set(folded)), list_name


def test_vendor_column_is_recovered_from_the_name():
    by_name = {entry.name: entry for entry in reference.load_list("kl_shared_tu")}
    assert by_name["KMD Nexus"].vendor == "KMD"
    assert by_name["Lægeskift - Scandihealth"].vendor == "DXC"
    assert by_name["Aula"].vendor == ""


def test_aliases_point_to_listed_names():
    all_names = {entry.name for entry in reference.all_entries()}
    aliases = reference.load_aliases()
    assert aliases["FMK"] == "FMK - Fælles Medicinkort"
    assert set(aliases.values()) <= all_names


def test_aliases_csv_has_the_documented_columns():
    with open(Path(reference.__file__).parent / "aliases.csv", encoding="utf-8") as f:
        assert next(csv.reader(f)) == ["alias", "name"]


@needs_seed
def test_curation_reproduces_the_committed_csvs(tmp_path):
    counts = curate.curate(SEED, tmp_path)
    assert counts == EXPECTED_COUNTS
    for list_name in EXPECTED_COUNTS:
        committed = Path(reference.__file__).parent / f"{list_name}.csv"
        assert filecmp.cmp(tmp_path / f"{list_name}.csv", committed, shallow=False), list_name
    again = tmp_path / "again"
    again.mkdir()
    curate.curate(SEED, again)
    for list_name in EXPECTED_COUNTS:
        assert (again / f"{list_name}.csv").read_bytes() == (tmp_path / f"{list_name}.csv").read_bytes()


@needs_seed
def test_an_override_that_edits_text_is_refused(tmp_path):
    overrides = tmp_path / "overrides.csv"
    text = curate.OVERRIDES.read_text(encoding="utf-8").replace("ACmatch | CPRWeb", "ACmatch | CPR Web 2")
    overrides.write_text(text, encoding="utf-8")
    with pytest.raises(curate.CurationError, match="1901"):
        curate.curate(SEED, tmp_path, overrides)


@needs_seed
def test_a_different_seed_fails_loudly(tmp_path):
    seed = tmp_path / "seed.txt"
    seed.write_text("nothing here\n" * 3000, encoding="utf-8")
    with pytest.raises(curate.CurationError, match="expected"):
        curate.curate(seed, tmp_path)
