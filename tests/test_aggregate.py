"""KL's cross-municipal list (tuscan/aggregate.py, `tuscan aggregate`) from three synthetic shares."""

from __future__ import annotations

from datetime import datetime

import duckdb
import openpyxl
import pytest
from click.testing import CliRunner

from tests.output_fixtures import build_output_db
from tuscan.aggregate import (
    DuplicateMunicipality,
    ShareFileError,
    UnsupportedOutput,
    aggregate,
    aggregate_files,
    cluster_names,
    read_shares,
)
from tuscan.cli import main
from tuscan.share import SHARE_COLUMNS, export_share, write_parquet

# (system, vendor, category, level, flags, matched_list, matched_name)
MUNICIPALITIES = {
    ("Aabæk Kommune", "101"): [
        ("Korsbæk Parkering", "Parkeringsfirma", "own", "Lav", [], None, None),
        ("EG Netforvaltning Sundhed", "EG", "shared", None, [], "kl_shared_tu", "EG Netforvaltning Sundhed"),
        ("FMK", None, "own", "Betydelig", [], None, None),                      # misreported
        ("Aula", "KOMBIT", "shared", None, [], "kl_shared_tu", "Aula"),
    ],
    ("Bøgelund Kommune", "147"): [
        ("Korsbaek Parkering", None, "own", "Lav", ["signing"], None, None),     # spelled differently
        ("NetForvaltning – Sundhed", "EG", "shared", None, [], "kl_shared_tu", "EG Netforvaltning Sundhed"),
        ("FMK - Fælles Medicinkort", "Sundhedsdatastyrelsen", "common_public", None, [], "kl_common_public",
         "FMK - Fælles Medicinkort"),
        ("AULA", "KOMBIT", "shared", None, [], "kl_shared_tu", "Aula"),
        ("KMD Social Pension", "KMD", "shared", None, [], "kl_shared_tu", "KMD Social Pension"),
    ],
    ("Cedersted Kommune", "151"): [
        ("Fælles Medicinkort", None, "common_public", None, [], "kl_common_public", "FMK - Fælles Medicinkort"),
        ("Aula", "KOMBIT", "own", "Lav", [], None, None),                        # classified differently
        ("KOMBIT Social Pension", "KOMBIT", "shared", None, [], None, None),     # a different system
        ("Byens Bookingsystem", None, "unknown", None, [], None, None),
    ],
}


def _write_share(path, municipality, code, systems):
    now = datetime(2025, 1, 1)
    rows = [(1, municipality, code, now, system, vendor, category, level, flags, matched_list, matched_name,
             100.0 if matched_name else None, ["document"], "rules")
            for system, vendor, category, level, flags, matched_list, matched_name in systems]
    return write_parquet(rows, SHARE_COLUMNS, path)


@pytest.fixture
def shares(tmp_path):
    return [_write_share(tmp_path / f"{code}.parquet", name, code, systems)
            for (name, code), systems in MUNICIPALITIES.items()]


def test_clusters_counts_and_flags(shares):
    summaries = {s.system: s for s in aggregate(read_shares(shares))}
    assert set(summaries) == {"Aula", "FMK - Fælles Medicinkort", "EG Netforvaltning Sundhed", "Korsbæk Parkering",
                              "KMD Social Pension", "KOMBIT Social Pension", "Byens Bookingsystem"}
    counts = {name: s.municipalities for name, s in summaries.items()}
    assert counts == {"Aula": 3, "FMK - Fælles Medicinkort": 3, "EG Netforvaltning Sundhed": 2,
                      "Korsbæk Parkering": 2, "KMD Social Pension": 1, "KOMBIT Social Pension": 1,
                      "Byens Bookingsystem": 1}

    aula = summaries["Aula"]
    assert (aula.votes["shared"], aula.votes["own"]) == (2, 1)
    assert aula.inconsistencies == ["own_but_shared", "classified_differently"]
    assert aula.suggested_category == "shared"
    assert aula.names_used == ["AULA", "Aula"]

    fmk = summaries["FMK - Fælles Medicinkort"]
    assert (fmk.votes["common_public"], fmk.votes["own"]) == (2, 1)
    assert fmk.inconsistencies == ["own_but_shared", "common_public_reported_locally", "classified_differently"]
    assert fmk.suggested_category == "common_public"
    assert fmk.names_used == ["FMK", "FMK - Fælles Medicinkort", "Fælles Medicinkort"]

    parkering = summaries["Korsbæk Parkering"]
    assert parkering.inconsistencies == ["own_but_shared"]           # both say own: consistent, but shared
    assert parkering.suggested_category == "shared"
    assert parkering.flags == ["signing"] and parkering.levels == {"Lav": 2}

    assert summaries["EG Netforvaltning Sundhed"].inconsistencies == []
    assert summaries["EG Netforvaltning Sundhed"].votes["shared"] == 2
    assert summaries["Byens Bookingsystem"].inconsistencies == []
    assert summaries["Byens Bookingsystem"].suggested_category == "unknown"
    # Sorted most widespread first.
    assert [s.municipalities for s in aggregate(read_shares(shares))] == [3, 3, 2, 2, 1, 1, 1]


def test_cluster_names_uses_the_matching_rules():
    clusters = cluster_names(["EG Netforvaltning Sundhed", "NetForvaltning – Sundhed", "KMD Social Pension",
                              "KOMBIT Social Pension", "FMK", "Fælles Medicinkort", "Aula", "Aula Admin"])
    assert clusters["EG Netforvaltning Sundhed"] == clusters["NetForvaltning – Sundhed"]
    assert clusters["FMK"] == clusters["Fælles Medicinkort"]                 # the alias table
    assert clusters["KMD Social Pension"] != clusters["KOMBIT Social Pension"]   # different vendors
    assert clusters["Aula"] != clusters["Aula Admin"]


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".xlsx"])
def test_outputs(shares, tmp_path, suffix):
    out = tmp_path / f"kl-liste{suffix}"
    aggregate_files(shares, out)
    if suffix == ".xlsx":
        book = openpyxl.load_workbook(out)
        assert book.sheetnames == ["TU-løsninger", "Uoverensstemmelser", "Alle systemer", "Kommuner"]
        rows = list(book["Alle systemer"].iter_rows(values_only=True))
        header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
        assert "Antal kommuner" in header and first["Antal kommuner"] == 3
        assert len(list(book["Uoverensstemmelser"].iter_rows())) == 1 + 3   # Aula, FMK, Parkering
        assert len(list(book["Kommuner"].iter_rows())) == 1 + 3
        assert book["Alle systemer"].freeze_panes == "A2"
        return
    reader = "read_parquet" if suffix == ".parquet" else "read_csv_auto"
    con = duckdb.connect()
    rows = con.execute(f"SELECT system, municipalities, votes_own, inconsistencies FROM {reader}(?)"
                       " ORDER BY municipalities DESC, system", [str(out)]).fetchall()
    assert len(rows) == 7
    assert rows[0][:3] == ("Aula", 3, 1)
    flags = rows[0][3] if suffix == ".parquet" else rows[0][3].split("; ")
    assert list(flags) == ["own_but_shared", "classified_differently"]


def test_bad_inputs(shares, tmp_path):
    with pytest.raises(DuplicateMunicipality, match="municipality 101 is in both"):
        again = _write_share(tmp_path / "again.parquet", "Aabæk Kommune", "101", MUNICIPALITIES[("Aabæk Kommune", "101")])
        read_shares([shares[0], again])
    not_parquet = tmp_path / "x.parquet"
    not_parquet.write_text("hello")
    with pytest.raises(ShareFileError, match="not a Parquet share file"):
        read_shares([not_parquet])
    newer = tmp_path / "newer.parquet"
    write_parquet([(99, "X", "123", None, "S", None, "own", None, [], None, None, None, [], "rules")], SHARE_COLUMNS,
                  newer)
    with pytest.raises(ShareFileError, match="schema version 99 is newer"):
        read_shares([newer])
    with pytest.raises(UnsupportedOutput):
        aggregate_files(shares, tmp_path / "out.json")


def test_cli_aggregate_with_a_real_share(tmp_path, shares):
    db = build_output_db(tmp_path / "inventory.duckdb")
    export_share(db, "Korsbæk Kommune", "999", tmp_path / "999.parquet")
    out = tmp_path / "kl.xlsx"
    result = CliRunner().invoke(main, ["aggregate", *map(str, shares), str(tmp_path / "999.parquet"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "from 4 files" in result.output
    rows = list(openpyxl.load_workbook(out)["Alle systemer"].iter_rows(values_only=True))
    by_name = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_name["Aula"]["Antal kommuner"] == 4
    assert by_name["FMK - Fælles Medicinkort"]["Antal kommuner"] == 4
