"""The privacy-safe share file a municipality sends KL (tuscan/share.py, `tuscan share`)."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from click.testing import CliRunner

from tests.output_fixtures import DOCUMENTS, EVIDENCE, ROOT, build_output_db
from tuscan import db as database
from tuscan.cli import main
from tuscan.privacy import contains_cpr
from tuscan.share import SCHEMA_VERSION, SHARE_COLUMNS, InvalidMunicipality, export_share


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    return build_output_db(tmp_path_factory.mktemp("share") / "inventory.duckdb")


def _read(path) -> tuple[list[str], list[tuple]]:
    con = duckdb.connect()
    cursor = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
    return [d[0] for d in cursor.description], cursor.fetchall()


def _strings(value):
    if isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif value is not None:
        yield str(value)


def test_share_has_systems_and_nothing_private(fixture_db, tmp_path):
    out = tmp_path / "korsbaek.parquet"
    assert export_share(fixture_db, "Korsbæk Kommune", "999", out) == 9
    columns, rows = _read(out)
    assert columns == [name for name, _ in SHARE_COLUMNS]
    assert not {"path", "snippet", "reason", "source_ref", "detail"} & set(columns)
    records = [dict(zip(columns, r, strict=True)) for r in rows]
    assert {r["schema_version"] for r in records} == {SCHEMA_VERSION}
    assert {r["municipality_code"] for r in records} == {"999"}
    byggesag = next(r for r in records if r["system"] == "Korsbæk Byggesag")
    assert byggesag["category"] == "own" and byggesag["suggested_level"] == "Betydelig"
    assert sorted(byggesag["flags"]) == ["pid_rid", "signing"]
    parkering = next(r for r in records if r["system"] == "Korsbæk Parkering")
    assert sorted(parkering["source_kinds"]) == ["document", "web"]
    assert next(r for r in records if r["system"] == "FMK")["matched_name"] == "FMK - Fælles Medicinkort"
    assert next(r for r in records if r["system"] == "Korsbæk Kolonihaver")["decided_by"] == "person"

    values = [s for r in rows for v in r for s in _strings(v)]
    forbidden = [ROOT] + [d[1] for d in DOCUMENTS] + [e[8] for e in EVIDENCE if e[8]] + ["dpo"]
    for value in values:
        assert not contains_cpr(value), value
        for secret in forbidden:
            assert secret not in value, (secret, value)


def test_cpr_in_a_system_name_is_masked(fixture_db, tmp_path):
    db = tmp_path / "inventory.duckdb"
    shutil.copy(fixture_db, db)
    with database.writing(db) as con:
        con.execute("INSERT INTO systems (system_id, system, system_key, category, reason, evidence_count, decided_by)"
                    " VALUES (99, 'Aftale 010203-1234', 'aftale', 'unknown', 'folder', 0, 'rules')")
    export_share(db, "Korsbæk Kommune", "999", tmp_path / "s.parquet")
    _, rows = _read(tmp_path / "s.parquet")
    names = [r[4] for r in rows]
    assert "Aftale XXXXXX-XXXX" in names
    assert not any(contains_cpr(s) for r in rows for v in r for s in _strings(v))


@pytest.mark.parametrize("municipality,code,message", [
    ("Korsbæk Kommune", "12", "three-digit kommunenummer"),
    ("Korsbæk Kommune", "abc", "three-digit kommunenummer"),
    ("  ", "101", "must name the municipality"),
])
def test_invalid_municipality(fixture_db, tmp_path, municipality, code, message):
    with pytest.raises(InvalidMunicipality, match=message):
        export_share(fixture_db, municipality, code, tmp_path / "s.parquet")
    assert not (tmp_path / "s.parquet").exists()


def test_cli_share(example_db, tmp_path):
    out = tmp_path / "share.parquet"
    result = CliRunner().invoke(main, ["share", "--municipality", "Korsbæk Kommune", "--code", "999",
                                       "--out", str(out), "--db", str(example_db)])
    assert result.exit_code == 0, result.output
    assert "12 systems" in result.output
    columns, rows = _read(out)
    assert len(rows) == 12
    bad = CliRunner().invoke(main, ["share", "--municipality", "K", "--code", "1", "--out", str(out),
                                    "--db", str(example_db)])
    assert bad.exit_code == 1 and "Error: --code must be the three-digit kommunenummer" in bad.output
