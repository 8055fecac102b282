"""Real public documents (../shared/realdata, see its MANIFEST.md): files marked TU+ get
tu_evidence, TU- and HARD ones do not. TU? files may go either way and are only scanned."""

from __future__ import annotations

import pytest

from tuscan import db
from tuscan.steps import run_discover

# Verdicts from MANIFEST.md. TU? ("SOFD Core - Produktbeskrivelse.docx") is left out on purpose.
TU_POSITIVE = [
    "contracts_positive/OS2faktor Login - Exit Strategi.docx",
    "contracts_positive/OS2faktor MFA - Exit Strategi.docx",
    "contracts_positive/DA 1 - Bilag 1A Systembeskrivelse - PPT.md",
    "docs_positive/OS2faktor Login - AD FS konverteringsguide.docx",
    "docs_positive/OS2faktor Login - CoreData API.docx",
    "docs_positive/OS2faktor - Brugervejledning til klienter.docx",
    "docs_positive/OS2faktor - Windows Credential Providers.docx",
    "docs_positive/OS2faktor - Implementeringsvejledning.docx",
    "docs_positive/Rollekataloget - Brugermanual.docx",
    "docs_positive/SOFD Core - Signaturcentral indlaesningsintegration.pdf",
    "docs_positive/SOFD Core - Signaturcentral indlaesningsintegration.docx",
    "docs_positive/Vejleding til tilmelding.docx",
    "docs_positive/Vejledning til Partiansvarlig.docx",
    "docs_positive/[NEMLOGIN-STS].pdf",
]
TU_NEGATIVE = [
    "contracts_negative/DA 2 - Leverancekontrakt Konsulentydelser.docx",
    "contracts_negative/DA 2 Miniudbudsbetingelser.docx",
    "contracts_negative/DA 2 - Bilag 1 - Kundens behov.docx",
    "contracts_negative/DA 2 - Bilag 2 Leverandørens besvarelse.docx",
    "contracts_negative/DA2 - Persondataunderretning 24-28.docx",        # HARD: borger.dk
    "contracts_negative/DA 1 - Leverancekontrakt Udvikling og vedligehold - PPT.md",
    "contracts_negative/DA 1 - Bilag 7 Databehandleraftale - PPT.md",
    "contracts_negative/Region Sjaelland - Kontrakt juridisk raadgivning (udkast).pdf",
    "contracts_negative/Oplysningserklaering - Korsbaek Kommune.docx",
    "docs_negative/SOFD Core - AD replikator.pdf",
    "docs_negative/SOFD Core - Datamodel.pdf",
    "docs_negative/SOFD Core - OPUS indlaesningsintegration.pdf",
    "docs_negative/SOFD-Telephony-API.docx",
    "docs_negative/Rollekataloget - Anmod Godkend Vejledning.docx",
    "docs_negative/auditlog-api.pdf",
    "docs_negative/Rollekataloget - Sikkerhed.docx",                    # HARD: sikringsniveau
]


@pytest.fixture(scope="module")
def realdata_findings(realdata, tmp_path_factory):
    path = tmp_path_factory.mktemp("realdata") / "inventory.duckdb"
    folders = [str(realdata / f) for f in ("contracts_positive", "contracts_negative", "docs_positive",
                                           "docs_negative")]
    run_discover(folders, str(path), runner="inline")
    with db.reading(path) as con:
        rows = con.execute(
            "SELECT regexp_replace(root, '.*/', '') || '/' || path, status, error, tu_evidence, keywords"
            " FROM document_findings"
        ).fetchall()
        login_hits = con.execute(
            "SELECT regexp_replace(f.root, '.*/', '') || '/' || f.path, h.term, h.excluded_by, h.snippet"
            " FROM document_findings f JOIN documents d ON d.path = f.path AND d.root = f.root JOIN hits h ON h.sha256 = d.sha256"
            " WHERE h.login"
        ).fetchall()
    findings = {r[0]: r[1:] for r in rows}
    findings["__login_hits__"] = login_hits
    return findings


@pytest.mark.parametrize("name", TU_POSITIVE)
def test_tu_positive_documents_have_tu_evidence(realdata_findings, name):
    status, error, tu_evidence, keywords = realdata_findings[name]
    assert status == "ok", error
    assert tu_evidence, f"no login keyword found; keywords: {keywords}"


@pytest.mark.parametrize("name", TU_NEGATIVE)
def test_tu_negative_and_hard_documents_have_no_tu_evidence(realdata_findings, name):
    status, error, tu_evidence, keywords = realdata_findings[name]
    assert status == "ok", error
    assert not tu_evidence, f"false TU evidence; keywords: {keywords}"


def test_pdf_and_docx_of_the_same_document_agree(realdata_findings):
    pdf = realdata_findings["docs_positive/SOFD Core - Signaturcentral indlaesningsintegration.pdf"]
    docx = realdata_findings["docs_positive/SOFD Core - Signaturcentral indlaesningsintegration.docx"]
    assert "medarbejdersignatur" in pdf[3] and "medarbejdersignatur" in docx[3]


def test_every_real_document_is_read(realdata_findings):
    unreadable = {k: v for k, v in realdata_findings.items() if k != "__login_hits__" and v[0] != "ok"}
    assert not unreadable


def test_the_evidence_strength_rules_leave_the_real_login_statements_alone(realdata_findings):
    """The weak-mention rules were chosen on labelled sentences, not on these documents: here they must
    leave almost every login hit of the TU+ documents counted, and the few they exclude must be weak
    mentions (a person decides), never the "no login at all" rules (signature block, 'nem', fields)."""
    hits = realdata_findings["__login_hits__"]
    positive = [h for h in hits if h[0] in TU_POSITIVE]
    assert len(positive) > 100
    excluded = [(name, why, snippet) for name, _term, why, snippet in positive if why is not None]
    assert len(excluded) <= 0.03 * len(positive), excluded
    assert all(why.startswith("weak mention (") for _, why, _ in excluded), excluded
