"""The classification rules (tuscan/rules.py), one fact pattern at a time."""

from __future__ import annotations

from tuscan.candidates import Evidence
from tuscan.rules import (
    COMMON_PUBLIC_LIST,
    KITOS_LIST,
    SHARED_LIST,
    Facts,
    ListMatch,
    classify_system,
)


def ev(kind: str, source: str = "document", detail: str | None = None) -> Evidence:
    return Evidence(source, "Aftale.pdf", kind, detail or f"{kind} on p. 1 of Aftale.pdf")


LOGIN = ev("login", detail="NemID login on p. 1 of Aftale.pdf")


def verdict(**kw):
    return classify_system(Facts("System", **kw))


def test_login_evidence_without_list_match_is_own():
    v = verdict(evidence=[LOGIN])
    assert v.category == "own" and v.reason == "No KL list match; NemID login on p. 1 of Aftale.pdf"


def test_common_public_wins_over_the_shared_list():
    both = {COMMON_PUBLIC_LIST: ListMatch(COMMON_PUBLIC_LIST, "FMK", 100),
            SHARED_LIST: ListMatch(SHARED_LIST, "FMK", 100)}
    v = verdict(matches=both, evidence=[LOGIN])
    assert v.category == "common_public" and v.matched.list == COMMON_PUBLIC_LIST


def test_shared_list_decides_on_its_own():
    v = verdict(matches={SHARED_LIST: ListMatch(SHARED_LIST, "Aula", 100)}, evidence=[LOGIN])
    assert v.category == "shared"
    assert v.reason.startswith("Matched KL's shared list 'Aula' (score 100)")


def test_kitos_20_plus_list_needs_login_evidence():
    kitos = {KITOS_LIST: ListMatch(KITOS_LIST, "Microsoft Office", 100)}
    assert verdict(matches=kitos, evidence=[]).category == "not_tu"
    assert verdict(matches=kitos, evidence=[LOGIN]).category == "shared"


def test_kitos_usage_by_many_is_shared_only_with_login():
    many = ev("shared_signal", "kitos", "KITOS: used by 14 organisations")
    assert verdict(evidence=[many]).category == "unknown"
    assert verdict(evidence=[many, LOGIN]).category == "shared"


def test_kitos_only_system_without_login_is_unknown():
    v = verdict(evidence=[ev("mention", "kitos", "Listed in KITOS as in use")])
    assert v.category == "unknown"


def test_public_authority_rights_holder_with_login_is_common_public():
    owner = ev("common_public_signal", "kitos", "KITOS: rights holder Sundhedsdatastyrelsen is a public authority")
    assert verdict(evidence=[owner, LOGIN]).category == "common_public"


def test_no_login_evidence_is_not_tu():
    assert verdict(evidence=[ev("sensitive")]).category == "not_tu"
    assert verdict(evidence=[]).category == "not_tu"


def test_tu_term_without_login_is_unknown():
    assert verdict(evidence=[ev("tu_term")]).category == "unknown"


def test_ambiguous_match_is_not_a_guess():
    v = verdict(ambiguous=[("kl_shared_tu:KMD Social Pension", "KMD Social Pension", 95.0),
                           ("kl_shared_tu:KOMBIT Social Pension", "KOMBIT Social Pension", 94.0)],
                evidence=[LOGIN])
    assert v.category == "unknown" and "KMD Social Pension" in v.reason


def test_login_only_on_a_foreign_web_host_is_unknown_but_on_own_domain_is_own():
    foreign = ev("login_page", "web", "MitID login at selvbetjening.leverandoer.dk")
    own_domain = ev("own_domain_login", "web", "MitID login at selvbetjening.korsbaek.dk")
    assert verdict(evidence=[foreign]).category == "unknown"
    assert verdict(evidence=[own_domain]).category == "own"


def test_simple_risk_rule_levels():
    assert verdict(evidence=[LOGIN, ev("sensitive")]).suggested_level == "Betydelig"
    assert verdict(evidence=[LOGIN, ev("ordinary_data")]).suggested_level == "Lav"
    assert verdict(evidence=[LOGIN, ev("ordinary_data"), ev("sensitive")]).suggested_level == "Betydelig"
    # Nothing known about the data: an own solution may go directly on Betydelig (Delrapport 1).
    assert verdict(evidence=[LOGIN]).suggested_level == "Betydelig"


def test_checklist_flags():
    assert verdict(evidence=[LOGIN, ev("signing"), ev("pid_rid")]).flags == ["signing", "pid_rid"]


def test_a_persons_decision_wins():
    v = verdict(matches={SHARED_LIST: ListMatch(SHARED_LIST, "Aula", 100)}, evidence=[LOGIN],
                decision=("own", "Lav", "Vi har egen instans"))
    assert (v.category, v.suggested_level, v.decided_by) == ("own", "Lav", "person")
    assert "Vi har egen instans" in v.reason


WEAK = ev("weak_login", detail="MitID on p. 2 of Aftale.pdf: a way to pay or approve a payment (netbank), "
          "not a login to this system")


def test_only_weak_mentions_make_a_system_unknown_with_a_reason_a_person_understands():
    v = verdict(evidence=[WEAK, ev("sensitive")])
    assert v.category == "unknown" and v.suggested_level is None and v.flags == []
    assert v.reason == ("Only weak mentions of login: MitID on p. 2 of Aftale.pdf: a way to pay or approve a "
                        "payment (netbank), not a login to this system; nothing says that users log in to "
                        "this system, so a person must decide")
    two = verdict(evidence=[WEAK, WEAK]).reason
    assert "(and 1 more such mention)" in two
    assert "(and 2 more such mentions)" in verdict(evidence=[WEAK, WEAK, WEAK]).reason


def test_weak_mentions_never_make_a_system_own_or_shared():
    kitos = {KITOS_LIST: ListMatch(KITOS_LIST, "Microsoft Office", 100)}
    assert verdict(matches=kitos, evidence=[WEAK]).category == "unknown"       # not "shared", not "not_tu"
    many = ev("shared_signal", "kitos", "KITOS: used by 14 organisations")
    assert verdict(evidence=[WEAK, many]).category == "unknown"
    owner = ev("common_public_signal", "kitos", "KITOS: rights holder Sundhedsdatastyrelsen is a public authority")
    assert verdict(evidence=[WEAK, owner]).category == "unknown"


def test_a_login_statement_beside_weak_mentions_still_decides():
    assert verdict(evidence=[WEAK, LOGIN]).category == "own"
    both = {COMMON_PUBLIC_LIST: ListMatch(COMMON_PUBLIC_LIST, "Virk.dk", 100)}
    assert verdict(matches=both, evidence=[WEAK]).category == "common_public"


def test_weak_only_archive_system_is_unknown_in_the_inventory(tmp_path):
    """End to end: the finder marks the mentions weak, identification keeps them as weak evidence, and
    the rules make the system unknown; a signature block alone stays not_tu."""
    from flows.discover import run_discover
    from tuscan import db

    files = {
        "Korsbæk Data A-S/Kontingentmodulet/Kontrakt.txt":
            "Kontrakt om Kontingentmodulet\n\nMedlemmer betaler via netbank med MitID. "
            "Systemet kræver ikke log ind med NemID.",
        "Korsbæk Data A-S/Mødebookeren/Kontrakt.txt":
            "Kontrakt om Mødebookeren\n\nBetal via netbank med MitID. Borgerne logger ind med MitID.",
        "Vinduespudser ApS/Vinduespudsning/Aftale.txt":
            "Aftale om vinduespudsning. Underskrevet med MitID via Penneo.",
    }
    for path, text in files.items():
        (tmp_path / "arkiv" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "arkiv" / path).write_text(text, encoding="utf-8")
    target = tmp_path / "inventory.duckdb"
    run_discover([str(tmp_path / "arkiv")], str(target), runner="inline")
    with db.reading(target) as con:
        rows = {s: (c, r) for s, c, r in con.execute("SELECT system, category, reason FROM inventory").fetchall()}
        kinds = con.execute("SELECT system, list(DISTINCT kind ORDER BY kind) FROM evidence GROUP BY system").fetchall()
        tu = dict(con.execute("SELECT path, tu_evidence FROM document_findings").fetchall())
    category, reason = rows["Kontingentmodulet"]
    assert category == "unknown"
    assert reason.startswith("Only weak mentions of login: MitID on p. 1 of Kontrakt.txt: a way to pay")
    assert "(and 1 more such mention)" in reason and reason.endswith("a person must decide")
    assert rows["Mødebookeren"][0] == "own"
    assert rows["Vinduespudsning"][0] == "not_tu"
    assert dict(kinds)["Kontingentmodulet"] == ["weak_login"]
    assert not tu["Korsbæk Data A-S/Kontingentmodulet/Kontrakt.txt"]
