"""KITOS cell values: inactive suffixes, "Navn (CVR)", dates, lists, Ja/Nej, public authorities."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tuscan.kitos.values import (
    clean_name,
    looks_like_public_authority,
    split_list,
    split_name_cvr,
    to_date,
    yes_no,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("Aula (Ikke tilgængeligt)", ("Aula", True)),
    ("SBSYS (udgået)", ("SBSYS", True)),
    ("KMD Nexus (udgået) (Ikke tilgængeligt)", ("KMD Nexus", True)),
    ("  Tabulex Børn ", ("Tabulex Børn", False)),
    ("Booking (Teknik)", ("Booking (Teknik)", False)),
    (None, (None, False)),
])
def test_clean_name(raw, expected):
    assert clean_name(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("Netcompany A/S (14814833)", ("Netcompany A/S", "14814833")),
    ("Microsoft Corporation (US)", ("Microsoft Corporation", "US")),
    ("Visma Enterprise AB (SE5560000000)", ("Visma Enterprise AB", "SE5560000000")),
    ("KMD A/S (26911745) (udgået)", ("KMD A/S", "26911745")),
    ("Region Midt (Vejle)", ("Region Midt (Vejle)", None)),   # brackets that are no id stay in the name
    ("Formularfabrikken", ("Formularfabrikken", None)),
    ("", (None, None)),
])
def test_split_name_cvr_on_the_last_brackets(raw, expected):
    assert split_name_cvr(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("01-03-2022", date(2022, 3, 1)),
    ("1.3.2022", date(2022, 3, 1)),
    ("2022-03-01", date(2022, 3, 1)),
    ("01-03-2022 13:45:00", date(2022, 3, 1)),
    (datetime(2023, 2, 1, 0, 0), date(2023, 2, 1)),
    (44927, date(2023, 1, 1)),          # an Excel serial number (cell without a date format)
    ("44927", date(2023, 1, 1)),        # … saved as text in a CSV
    ("snart", None),
    ("", None),
])
def test_to_date(raw, expected):
    assert to_date(raw) == expected


def test_lists_and_yes_no():
    assert split_list("Aarhus Kommune, Odense Kommune (Ikke tilgængeligt), ") == ["Aarhus Kommune", "Odense Kommune"]
    assert split_list(None) == []
    assert (yes_no("Ja"), yes_no("nej"), yes_no("måske")) == (True, False, None)


def test_public_authority_names():
    assert looks_like_public_authority("Sundhedsdatastyrelsen")
    assert looks_like_public_authority("Region Midtjylland")
    assert looks_like_public_authority("Udbetaling Danmark")
    # Other municipalities and companies are not "another public authority" in KITOS's sense.
    assert not looks_like_public_authority("Aarhus Kommune")
    assert not looks_like_public_authority("KMD A/S")
    assert looks_like_public_authority(None) is None
