"""`tuscan lists import`: a list KL publishes becomes a new version of one list, with provenance;
classification uses it instead of the bundled CSV, and the systems whose category changed are listed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tuscan import db
from tuscan.aggregate import aggregate, write_aggregate
from tuscan.classify import reference_matcher
from tuscan.cli import main
from tuscan.lists import ListImportError, import_list, imported_entries, read_list
from tuscan.steps import run_discover

LOGIN = "{name}\n\nBorgerne logger ind med MitID via NemLog-in i {name}.\n"


@pytest.fixture
def archive_db(tmp_path) -> Path:
    """Two own-looking systems: "Kolonihaveportal" and "Hundetegn Online" (on no bundled list)."""
    archive = tmp_path / "archive"
    for vendor, name in (("Nordsoft", "Kolonihaveportal"), ("Dyreregister ApS", "Hundetegn Online")):
        folder = archive / vendor / name
        folder.mkdir(parents=True)
        (folder / "kontrakt.txt").write_text(LOGIN.format(name=name), encoding="utf-8")
    path = tmp_path / "inventory.duckdb"
    run_discover([str(archive)], str(path), runner="inline")
    return path


def _categories(path: Path) -> dict[str, str]:
    with db.reading(path) as con:
        return dict(con.execute("SELECT system, category FROM inventory").fetchall())


def _invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_csv_import_is_a_new_version_with_provenance_and_reclassifies(archive_db, tmp_path):
    assert _categories(archive_db) == {"Kolonihaveportal": "own", "Hundetegn Online": "own"}
    # As Excel saves it in a Danish locale: a title row, ";" separators, Windows-1252.
    csv_file = tmp_path / "TU-løsninger 2027.csv"
    csv_file.write_bytes("KL: TU-løsninger som flere kommuner anvender\n\nLøsning;Leverandør;Bemærkning\n"
                         "Kolonihaveportal;Nordsoft;ny i 2027\nAula;KOMBIT;\n;;tom række\n".encode("cp1252"))
    result = _invoke("lists", "import", str(csv_file), "--list", "shared", "--source", "kl.dk, januar 2027",
                     "--db", str(archive_db))
    assert result.exit_code == 0, result.output
    assert "Imported 2 systems from TU-løsninger 2027.csv (column 'Løsning') as version 1 of kl_shared_tu" \
        in result.output
    assert "skipped 1 row(s): no name" in result.output
    # 2 systems in place of the 304 bundled ones: probably a partial file, and the user is told so.
    assert "the list in use until now had 304 systems; a version replaces the whole list" in result.output
    assert "1 system(s) changed category:\n  Kolonihaveportal: own → shared" in result.output
    assert _categories(archive_db) == {"Kolonihaveportal": "shared", "Hundetegn Online": "own"}
    with db.reading(archive_db) as con:
        version = con.execute("SELECT list, file_name, sha256, source, name_column, row_count,"
                              " imported_at::DATE = current_date FROM list_versions").fetchall()
        entries = con.execute("SELECT name, vendor, row_number FROM list_entries ORDER BY row_number").fetchall()
        matched = con.execute("SELECT matched_list, matched_name FROM systems WHERE system = 'Kolonihaveportal'"
                              ).fetchone()
        assert imported_entries(con)["kl_shared_tu"][0].key == "kl_shared_tu:Kolonihaveportal"
        match = reference_matcher(con).match("Kolonihaveportal")
    assert match is not None and match.key == "kl_shared_tu:Kolonihaveportal"
    assert version == [("kl_shared_tu", "TU-løsninger 2027.csv", hashlib.sha256(csv_file.read_bytes()).hexdigest(),
                        "kl.dk, januar 2027", "Løsning", 2, True)]
    assert entries == [("Kolonihaveportal", "Nordsoft", 1), ("Aula", "KOMBIT", 2)]
    assert matched == ("kl_shared_tu", "Kolonihaveportal")
    shown = _invoke("lists", "show", "--db", str(archive_db)).output
    assert "in use: version 1, TU-løsninger 2027.csv (2 systems)" in shown and "source: kl.dk, januar 2027" in shown
    assert "kl_common_public" in shown and "bundled with tuscan" in shown


def test_a_newer_version_replaces_the_older_one(archive_db, tmp_path):
    first, second = tmp_path / "v1.csv", tmp_path / "v2.csv"
    first.write_text("System\nKolonihaveportal\n", encoding="utf-8")
    second.write_text("System\nHundetegn Online\n", encoding="utf-8")
    assert _invoke("lists", "import", str(first), "--list", "shared", "--db", str(archive_db)).exit_code == 0
    result = _invoke("lists", "import", str(second), "--list", "shared", "--db", str(archive_db))
    assert "Kolonihaveportal: shared → own" in result.output and "Hundetegn Online: own → shared" in result.output
    assert "until now had" not in result.output       # 1 system in place of 1: no note
    assert _categories(archive_db) == {"Kolonihaveportal": "own", "Hundetegn Online": "shared"}
    again = _invoke("lists", "import", str(second), "--list", "shared", "--db", str(archive_db))
    assert "already version 2 of kl_shared_tu" in again.output and "No system changed category." in again.output
    shown = _invoke("lists", "show", "--db", str(archive_db)).output
    assert "in use: version 2, v2.csv" in shown and "earlier: version 1, v1.csv" in shown


def test_xlsx_with_a_title_row_as_common_public(archive_db, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Bilag 1 – Fællesoffentlige løsninger"])
    sheet.append([])
    sheet.append(["Nr.", "Løsningens navn", "Myndighed"])
    sheet.append([1, "Hundetegn Online", "Fødevarestyrelsen"])
    sheet.append([2, "Virk.dk", "Erhvervsstyrelsen"])
    path = tmp_path / "faellesoffentlige.xlsx"
    workbook.save(path)
    result = _invoke("lists", "import", str(path), "--list", "common_public", "--db", str(archive_db))
    assert result.exit_code == 0, result.output
    assert "(column 'Løsningens navn') as version 1 of kl_common_public" in result.output
    assert "Hundetegn Online: own → common_public" in result.output
    assert _categories(archive_db)["Hundetegn Online"] == "common_public"


def _aggregate_summaries():
    rows = []
    for code, municipality in (("101", "Aabæk Kommune"), ("147", "Bøgelund Kommune")):
        for system, category in (("Kolonihaveportal", "shared"), ("Hundetegn Online", "own"), ("FMK", "common_public")):
            if system == "Hundetegn Online" and code != "101":
                continue                                  # one municipality's own solution
            rows.append({"schema_version": 1, "municipality": municipality, "municipality_code": code,
                         "exported_at": None, "system": system, "vendor": None, "category": category,
                         "suggested_level": None, "flags": [], "matched_list": None, "matched_name": None,
                         "match_score": None, "source_kinds": ["document"], "decided_by": "rules"})
    return aggregate(rows)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_the_output_of_tuscan_aggregate_keeps_the_lists_category(tmp_path, suffix):
    out = write_aggregate(_aggregate_summaries(), tmp_path / f"kl-liste{suffix}", ["101 Aabæk", "147 Bøgelund"])
    column, entries, skipped = read_list(out, "kl_shared_tu")
    assert column.lower() == "system"
    assert [name for name, _vendor, _row in entries] == ["Kolonihaveportal"]
    assert sum(skipped.values()) >= 2 and "category is not shared" in skipped
    _column, public, _skipped = read_list(out, "kl_common_public")
    assert [name for name, _vendor, _row in public] == ["FMK"]
    # KITOS 20+: two municipalities are fewer than twenty.
    with pytest.raises(ListImportError, match="fewer than 20 municipalities"):
        read_list(out, "kitos_common_systems")


def test_aggregate_output_imported_through_the_command(archive_db, tmp_path):
    out = write_aggregate(_aggregate_summaries(), tmp_path / "kl-liste.csv", ["101 Aabæk", "147 Bøgelund"])
    result = _invoke("lists", "import", str(out), "--list", "shared", "--db", str(archive_db))
    assert result.exit_code == 0, result.output
    assert "Kolonihaveportal: own → shared" in result.output


def test_a_file_without_a_name_column_is_a_clear_error(archive_db, tmp_path):
    path = tmp_path / "priser.csv"
    path.write_text("Kontrakt-ID;Beløb;Dato\n17;1000;2027-01-01\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lists", "import", str(path), "--list", "shared", "--db", str(archive_db)])
    assert result.exit_code == 1
    assert "priser.csv: no column with system names" in result.output
    assert "Kontrakt-ID, Beløb, Dato" in result.output
    assert "Traceback" not in result.output
    with db.reading(archive_db) as con:
        assert con.execute("SELECT count(*) FROM list_versions").fetchone()[0] == 0


def test_other_files_are_refused_with_a_reason(tmp_path):
    empty = tmp_path / "tom.csv"
    empty.write_text("System;Leverandør\n;\n", encoding="utf-8")
    with pytest.raises(ListImportError, match="tom.csv: no system names in column 'System'"):
        read_list(empty, "kl_shared_tu")
    pdf = tmp_path / "liste.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(ListImportError, match="give an Excel"):
        read_list(pdf, "kl_shared_tu")
    broken = tmp_path / "liste.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ListImportError, match="not a readable Excel file"):
        read_list(broken, "kl_shared_tu")


def test_import_list_refuses_an_unknown_list(archive_db, tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("System\nAula\n", encoding="utf-8")
    with db.writing(archive_db) as con, pytest.raises(ListImportError, match="--list must be one of"):
        import_list(con, path, "egen")
