"""Reading KITOS web-UI exports: kind by content, columns by name, both UI generations, CSV, errors."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from tests.kitos_fixtures import (
    BOOKING_UUID,
    SUNDHED_UUID,
    catalog_table,
    contracts_table,
    usage_table,
    write_csv,
    write_xlsx,
)
from tuscan.kitos.exports import UnknownExport, UnreadableExport, read_export
from tuscan.kitos.headers import (
    CATALOG,
    CONTRACTS,
    USAGE,
    USAGE_LAYOUT,
    detect_kind,
    map_columns,
    normalise_header,
)

EXPECTED_USAGE = {
    # name: (rights holder, its CVR, vendor, data type, active, public rights holder)
    "Korsbæk Selvbetjening": ("Formularfabrikken A/S", "12345678", "Formularfabrikken A/S", "Almindelige persondata",
                              True, False),
    "Sygesikringsportalen": ("Sundhedsdatastyrelsen", "33257872", None, "Følsomme persondata", False, True),
    "Tabulex Børn": ("Tabulex ApS", "DK", "Tabulex ApS", "Almindelige persondata", False, False),
    "Lokal Lokalebooking": (None, None, None, None, True, None),
}


def _by_name(export):
    return {s.name: s for s in export.systems}


def test_header_normalisation_ignores_case_spaces_and_colons():
    assert normalise_header("IT System: Anvendes af") == normalise_header("it system anvendes af:")
    assert normalise_header("\ufeffLokal System ID") == normalise_header("Lokal System ID:")
    assert normalise_header("IT-System (UUID)") != normalise_header("IT System")


def test_real_usage_grid_titles_map_onto_every_usage_field(realdata):
    """The 68 column titles of the real KITOS usage grid export (header-only CSV from the KITOS
    frontend) are read as a usage export, and every field tuscan reads is found among them."""
    path = realdata / "kitos_and_systemlists" / "kitos_it_system_usage_export_columns.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        titles = next(csv.reader(handle, delimiter=";"))
    assert len(titles) == 68
    assert detect_kind(titles) == USAGE
    columns = map_columns(USAGE_LAYOUT, titles)
    assert set(columns) == set(USAGE_LAYOUT.fields)
    assert titles[columns["name"]] == "IT System"
    assert titles[columns["uuid"]] == "IT-System (UUID)"
    assert titles[columns["data_type"]] == "DataType"
    assert titles[columns["status"]] == "Status"
    # …and the file itself is an (empty) usage export.
    export = read_export(path)
    assert export.kind == USAGE and export.systems == [] and export.skipped == []


@pytest.mark.parametrize("generation", ["current", "old"])
@pytest.mark.parametrize("seed", [1, 2])
def test_usage_export_both_generations_shuffled_with_role_columns(tmp_path, generation, seed):
    headers, rows = usage_table(generation, seed=seed)
    # No ".xlsx": browsers and users drop it; the kind is detected from the content.
    export = read_export(write_xlsx(tmp_path / "IT Systemer Overblik", headers, rows))
    assert export.kind == USAGE
    systems = _by_name(export)
    assert set(systems) == set(EXPECTED_USAGE)
    for name, (holder, cvr, vendor, data_type, active, public) in EXPECTED_USAGE.items():
        s = systems[name]
        assert (s.rights_holder, s.rights_holder_cvr, s.vendor, s.data_type, s.active, s.rights_holder_public) == (
            holder, cvr, vendor, data_type, active, public), name
    assert systems["Sygesikringsportalen"].parent == "Sundhedsplatform"
    assert systems["Tabulex Børn"].contracts == ["Tabulex-aftale", "Rammeaftale 02.19"]
    assert export.skipped == ["row 6: no system name"]
    if generation == "current":
        assert systems["Lokal Lokalebooking"].uuid == BOOKING_UUID
    else:
        assert all(s.uuid is None for s in export.systems)
    # Role columns are not read into anything.
    assert "Anne Andersen" not in repr(export.systems)


@pytest.mark.parametrize("generation", ["current", "old"])
def test_catalog_export_count_and_organisations_in_either_generation(tmp_path, generation):
    headers, rows = catalog_table(generation)
    export = read_export(write_xlsx(tmp_path / "IT Systemkatalog Overblik.xlsx", headers, rows))
    assert export.kind == CATALOG
    systems = _by_name(export)
    tabulex = systems["Tabulex Børn"]
    # Current UI: "IT System: Anvendes af" is the count; pre-2025: "Antal anvendere" is, and
    # "IT System: Anvendes af" holds the names.
    assert tabulex.usage_count == 45
    assert tabulex.using_organisations == ["Aarhus Kommune", "Odense Kommune", "Korsbæk Kommune"]
    assert systems["Sygesikringsportalen"].rights_holder_public is True
    assert systems["Sygesikringsportalen"].active is False   # "(Ikke tilgængeligt)"
    assert systems["Hjemmeplejeplan"].in_use is False and tabulex.in_use is True
    if generation == "current":
        assert systems["Sygesikringsportalen"].uuid == SUNDHED_UUID


def test_contracts_export_with_excel_and_text_dates(tmp_path):
    headers, rows = contracts_table()
    export = read_export(write_xlsx(tmp_path / "IT Kontrakter Overblik.xlsx", headers, rows))
    assert export.kind == CONTRACTS
    contracts = {c.name: c for c in export.contracts}
    booking = contracts["Bookingaftale"]
    assert (booking.vendor, booking.vendor_cvr) == ("Bytorvet IT ApS", "87654321")
    assert booking.systems == ["Lokal Lokalebooking"] and booking.system_uuids == [BOOKING_UUID]
    assert (booking.valid_from, booking.valid_to) == (date(2021, 3, 1), date(2026, 12, 31))
    assert contracts["Selvbetjeningsaftale 2021"].valid_from == date(2021, 2, 1)
    assert contracts["Selvbetjeningsaftale 2021"].valid_to == date(2025, 1, 31)
    assert export.skipped == ["row 4: no contract name"]


@pytest.mark.parametrize(("delimiter", "encoding"), [(";", "utf-8-sig"), (",", "cp1252"), (";", "utf-8")])
def test_csv_saved_from_excel(tmp_path, delimiter, encoding):
    headers, rows = usage_table("current", seed=4)
    path = write_csv(tmp_path / "IT Systemer Overblik.csv", headers, rows, delimiter=delimiter, encoding=encoding)
    export = read_export(path)
    assert export.kind == USAGE
    assert set(_by_name(export)) == set(EXPECTED_USAGE)
    assert _by_name(export)["Tabulex Børn"].business_type == "Dagtilbud"

    headers, rows = contracts_table()
    export = read_export(write_csv(tmp_path / "k.csv", headers, rows, delimiter=delimiter, encoding=encoding))
    assert export.kind == CONTRACTS
    assert {c.name: c.valid_from for c in export.contracts}["Bookingaftale"] == date(2021, 3, 1)


def test_real_bulk_import_template_mixes_excel_serial_and_text_dates(realdata):
    """KITOS's own contract template (4 test rows): Excel dates next to dd-mm-yyyy text."""
    export = read_export(realdata / "kitos_and_systemlists" / "valid_it_contract_example.xlsx")
    assert export.kind == CONTRACTS
    contracts = {c.name: c for c in export.contracts}
    assert len(contracts) == 4 and export.skipped == []   # dozens of blank template rows are not "skipped"
    assert contracts["endnu en testkontrakt"].valid_from == date(2022, 3, 1)
    assert contracts["endnu en testkontrakt"].valid_to == date(2022, 3, 2)
    assert contracts["test-kommune testkontrakt1"].valid_from == date(2023, 2, 1)
    assert contracts["test-kommune testkontrakt2"].valid_to == date(2023, 3, 2)
    assert contracts["test-kommune testkontrakt1"].contract_id == "testkontrakt1"
    assert contracts["mettes testkontrakt"].valid_from is None
    empty = read_export(realdata / "kitos_and_systemlists" / "OS2KITOS IT Kontrakter.xlsx")
    assert empty.kind == CONTRACTS and empty.contracts == []


def test_unknown_export_names_the_expected_headers(tmp_path):
    path = write_xlsx(tmp_path / "budget.xlsx", ["Konto", "Beløb", "År"], [["1000", 5, 2024]])
    with pytest.raises(UnknownExport) as err:
        read_export(path)
    message = str(err.value)
    assert '"Konto"' in message
    for expected in ('"IT System"', '"IT systemnavn"', '"IT Kontrakt"', '"IT System: Anvendes af"'):
        assert expected in message


def test_files_that_are_no_table_are_refused_clearly(tmp_path):
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100))
    with pytest.raises(UnreadableExport, match="neither an xlsx"):
        read_export(binary)
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    with pytest.raises(UnreadableExport, match="save it as .xlsx"):
        read_export(xls)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UnreadableExport, match="not a readable xlsx"):
        read_export(broken)
