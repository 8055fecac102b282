"""The KITOS API v2 client against a fake KITOS on 127.0.0.1: token, organisation, paging, retries,
refused credentials — and credentials that never reach the database, the runs or the logs."""

from __future__ import annotations

import logging

import duckdb
import pytest

from tests.kitos_fixtures import KORSBAEK_CVR, ORG_UUID, SUNDHED_UUID, TABULEX_UUID, FakeKitos
from tuscan.kitos.api import (
    KitosApiError,
    KitosAuthError,
    KitosCredentialsMissing,
    KitosOrganisationNotFound,
    credentials_from_env,
    fetch,
)
from tuscan.kitos.load import fetch_into


def test_fetch_pages_retries_and_reads_catalog_entries():
    with FakeKitos(fail_once={"/api/v2/it-system-usages": 500}) as fake:
        data = fetch(fake.url, KORSBAEK_CVR, fake.email, fake.password, page_size=2, backoff=0.01)
        usage_calls = fake.calls("/api/v2/it-system-usages")
    assert data.organisation.uuid == ORG_UUID and data.organisation.name == "Korsbæk Kommune"
    # page 0 answered 500 once, was retried, then page 1 (short) ended the list: two pages of usages.
    assert [c["page"] for c in usage_calls] == ["0", "0", "1"]
    assert all(c["pageSize"] == "2" and c["organizationUuid"] == ORG_UUID for c in usage_calls)
    assert data.retries == 1
    usages = {u.uuid: u for u in data.usages}
    assert len(usages) == 3
    sundhed = usages[SUNDHED_UUID]
    assert sundhed.name == "Sygesikringsportalen"          # "(Ikke tilgængeligt)" stripped
    assert sundhed.data_type == "Følsomme persondata"      # gdpr.dataSensitivityLevels: SensitiveData
    assert sundhed.rights_holder == "Sundhedsdatastyrelsen" and sundhed.rights_holder_public is True
    catalog = {c.uuid: c for c in data.catalog}
    assert catalog[TABULEX_UUID].usage_count == 3
    assert catalog[TABULEX_UUID].rights_holder_public is False   # organizationType Company
    assert catalog[SUNDHED_UUID].active is False                 # deactivated
    assert catalog[SUNDHED_UUID].parent == "Sundhedsplatform" == usages[SUNDHED_UUID].parent   # parentSystem
    assert len(catalog) == 3                                     # Hjemmeplejeplan is not used by Korsbæk
    # The catalog was asked for the organisation's systems by the parameters KITOS knows.
    system_calls = fake.calls("/api/v2/it-systems")
    assert system_calls and all(c["usedInOrganizationUuid"] == ORG_UUID and c["includeDeactivated"] == "true"
                                for c in system_calls)
    assert [(c["cvrContent"], c["page"]) for c in fake.calls("/api/v2/organizations")] == [(KORSBAEK_CVR, "0")]
    # The token went out as a bearer token on every GET.
    assert all(auth == f"Bearer {fake.token}" for method, _, _, auth in fake.requests if method == "GET")


def test_default_page_size_is_accepted_by_every_kitos_release():
    with FakeKitos(max_page_size=100) as fake:
        data = fetch(fake.url, KORSBAEK_CVR, fake.email, fake.password, backoff=0.01)
        assert {c["pageSize"] for _, p, c, _ in fake.requests if "page" in c} == {"100"}
    assert len(data.usages) == 3 and len(data.catalog) == 3


def test_a_page_size_older_kitos_refuses_falls_back_to_100():
    with FakeKitos(max_page_size=100) as fake:
        data = fetch(fake.url, KORSBAEK_CVR, fake.email, fake.password, page_size=250, backoff=0.01)
        organisation_calls = fake.calls("/api/v2/organizations")
        later = [c["pageSize"] for c in fake.calls("/api/v2/it-system-usages") + fake.calls("/api/v2/it-systems")]
    assert [c["pageSize"] for c in organisation_calls] == ["250", "100"]   # HTTP 400, then 100
    assert set(later) == {"100"}
    assert len(data.usages) == 3 and data.retries == 0


def test_an_unreadable_rights_holder_only_leaves_its_type_unknown():
    from tests.kitos_fixtures import STATE_UUID

    with FakeKitos(forbidden={STATE_UUID}) as fake:
        data = fetch(fake.url, KORSBAEK_CVR, fake.email, fake.password, backoff=0.01)
    catalog = {c.uuid: c for c in data.catalog}
    assert catalog[SUNDHED_UUID].rights_holder == "Sundhedsdatastyrelsen"
    assert catalog[SUNDHED_UUID].rights_holder_public is None
    assert catalog[TABULEX_UUID].rights_holder_public is False


def test_answers_are_read_tolerantly():
    from tuscan.kitos.api import catalog_row, usage_row

    # Enums as integers (KITOS' "serialize enums as integer" header) and PascalCase names.
    usage = usage_row({"Uuid": "u", "SystemContext": {"Uuid": "s", "Name": "Journal"},
                       "General": {"Validity": {"Valid": False}}, "GDPR": {"DataSensitivityLevels": [1, 2]}})
    assert (usage.name, usage.uuid, usage.active, usage.data_type) == ("Journal", "s", False, "Følsomme persondata")
    assert usage_row({"uuid": "u", "systemContext": None}) is None
    entry = catalog_row({"uuid": "s", "name": "Journal", "deactivated": False, "rightsHolder": None,
                         "usingOrganizations": [{"uuid": "o", "name": "Aarhus Kommune", "cvr": "55133018"}]}, {})
    assert (entry.usage_count, entry.using_organisations, entry.active) == (1, ["Aarhus Kommune"], True)


def test_retry_gives_up_with_a_clear_error():
    with FakeKitos(always_fail={"/api/v2/organizations": 503}) as fake:
        with pytest.raises(KitosApiError, match="HTTP 503 3 times"):
            fetch(fake.url, KORSBAEK_CVR, fake.email, fake.password, retries=2, backoff=0.01)
        assert len(fake.calls("/api/v2/organizations")) == 3


def test_wrong_password_is_a_clear_auth_error_without_the_password():
    with FakeKitos() as fake, pytest.raises(KitosAuthError) as err:
        fetch(fake.url, KORSBAEK_CVR, fake.email, "forkert-kodeord-99", backoff=0.01)
    text = str(err.value)
    assert "401" in text and "KITOS_EMAIL" in text
    assert "forkert-kodeord-99" not in text and fake.email not in text


def test_refused_token_is_an_auth_error_and_not_retried():
    with FakeKitos(always_fail={"/api/v2/it-system-usages": 403}) as fake:
        with pytest.raises(KitosAuthError, match="HTTP 403; it refused the token") as err:
            fetch(fake.url, KORSBAEK_CVR, fake.email, fake.password, backoff=0.01)
        assert len(fake.calls("/api/v2/it-system-usages")) == 1
        assert fake.token not in str(err.value)


def test_unknown_cvr():
    with FakeKitos() as fake, pytest.raises(KitosOrganisationNotFound, match="12121212"):
        fetch(fake.url, "12121212", fake.email, fake.password)


def test_credentials_come_from_the_environment():
    assert credentials_from_env({"KITOS_EMAIL": "a@b.dk", "KITOS_PASSWORD": "x"}) == ("a@b.dk", "x")
    with pytest.raises(KitosCredentialsMissing, match="KITOS_PASSWORD"):
        credentials_from_env({"KITOS_EMAIL": "a@b.dk"})


def _everything_stored(db) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        return "\n".join(repr(con.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables)
    finally:
        con.close()


def test_credentials_never_reach_the_database_or_the_logs(tmp_path, caplog, monkeypatch):
    db = tmp_path / "inventory.duckdb"
    caplog.set_level(logging.DEBUG)
    with FakeKitos(fail_once={"/api/v2/it-systems": 429}) as fake:
        monkeypatch.setenv("KITOS_EMAIL", fake.email)
        monkeypatch.setenv("KITOS_PASSWORD", fake.password)
        summary = fetch_into(db, fake.url, KORSBAEK_CVR, page_size=2, backoff=0.01)
        secrets = (fake.email, fake.password, fake.token)
        # A failing fetch (wrong password) records its run and error too.
        monkeypatch.setenv("KITOS_PASSWORD", "forkert-kodeord-99")
        with pytest.raises(KitosAuthError):
            fetch_into(db, fake.url, KORSBAEK_CVR, backoff=0.01)
    assert summary.files[0].imported == 3
    stored = _everything_stored(db)
    assert "Sygesikringsportalen" in stored and "refused the e-mail or password" in stored
    logs = caplog.text + "\n".join(repr(r.args) for r in caplog.records)
    assert "retrying" in caplog.text   # the 429 was logged…
    for secret in (*secrets, "forkert-kodeord-99"):
        assert secret not in stored, secret
        assert secret not in logs, secret   # …without credentials or token
    assert fake.password.encode() not in db.read_bytes()
    con = duckdb.connect(str(db), read_only=True)
    runs = con.execute("SELECT kind, status, args FROM runs WHERE kind = 'kitos' ORDER BY run_id").fetchall()
    con.close()
    assert [(k, s) for k, s, _ in runs] == [("kitos", "finished"), ("kitos", "failed")]
    assert '"cvr": "29189129"' in runs[0][2]
