"""tuscan.names: normalisation, aliases, fuzzy matching and names in running text."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

import reference
from tuscan import names
from tuscan.names import NameMatcher, normalise, same_system, split_vendor

PAIRS = Path(__file__).parent / "data" / "name_pairs.csv"
HARD_NEGATIVES = [
    ("KMD Nexus", "KMD Opus"),
    ("EG Netforvaltning Sundhed", "EG Sensum"),
    ("KMD", "KMD Nexus"),
    ("KMD", "KMD Opus"),
    ("EG Netforvaltning Sundhed", "EG Netforvaltning Vielse"),
    ("NemKonto", "NemKonto Tilslutning"),
    ("KMD Social Pension", "KOMBIT Social Pension"),
    ("Microsoft Windows 7", "Microsoft Windows 10"),
    ("CPR-selvbetjening", "EG Selvbetjening"),
]


def read_pairs() -> list[tuple[str, str, bool]]:
    with open(PAIRS, encoding="utf-8", newline="") as f:
        return [(row["a"], row["b"], row["same"] == "1") for row in csv.DictReader(f)]


@pytest.fixture(scope="module")
def matcher() -> NameMatcher:
    return NameMatcher((entry.key, entry.name) for entry in reference.all_entries())


# --- normalise ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw, expected",
    [
        ("KMD Nexus", "nexus"),
        ("AULA", "aula"),
        ("Jobnet.dk", "jobnet"),
        ("www.jobnet.dk", "jobnet"),
        ("Front Desk ApS", "front desk"),
        ("Renoweb A/S", "renoweb"),
        ("LER (Ledningsejerregistret)", "ler"),
        ("E-boks", "eboks"),
        ("Hjernen & Hjertet", "hjernen og hjertet"),
        ("Lægeskift - Scandihealth", "lægeskift"),
        ("Anmeld flytning til udlandet (udrejse) fra DXC", "anmeld flytning til udlandet"),
        ("KMD", ""),
        ("EG", ""),
        ("Schultz KOMBIT Systematic Netcompany DXC", ""),
        ("  Sundhed.dk  ", "sundhed"),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


def test_normalise_is_nfc():
    decomposed = "Ba\u030adregistrering"  # "å" as a + combining ring, as some PDFs deliver it
    assert normalise(decomposed) == normalise("Bådregistrering") == "bådregistrering"


def test_netforvaltning_spellings_normalise_alike():
    assert normalise("NetForvaltning – Sundhed") == normalise("EG Netforvaltning Sundhed")


def test_split_vendor_maps_old_vendor_names():
    assert split_vendor("E-flyt - Scandihealth") == ("DXC", "eflyt")
    assert split_vendor("Aula") == (None, "aula")


# --- same_system and the labelled pairs ---------------------------------------------------------
@pytest.mark.parametrize("a, b", HARD_NEGATIVES)
def test_hard_negatives_are_different_systems(a, b):
    assert not same_system(a, b)
    assert not same_system(b, a)


def test_labelled_pairs_have_hard_negatives_and_enough_rows():
    pairs = read_pairs()
    assert len(pairs) >= 60
    labelled = {(a, b): same for a, b, same in pairs}
    for a, b in HARD_NEGATIVES[:4]:
        assert labelled[(a, b)] is False


def test_chosen_threshold_keeps_every_negative_out_with_good_recall():
    pairs = read_pairs()
    false_positives = [(a, b) for a, b, same in pairs if not same and same_system(a, b)]
    positives = [(a, b) for a, b, same in pairs if same]
    recall = sum(same_system(a, b) for a, b in positives) / len(positives)
    assert false_positives == []
    assert recall >= 0.9


def test_token_set_ratio_would_let_kmd_match_kmd_nexus():
    # Why SCORER is not token_set_ratio/WRatio (rapidfuzz >= 3 has no default processor either).
    assert fuzz.token_set_ratio("KMD Nexus", "KMD") == 100
    assert fuzz.WRatio("KMD Nexus", "KMD") >= 90
    assert names.SCORER is fuzz.ratio


def test_aliases_apply_on_both_sides():
    assert same_system("FMK", "Fælles Medicinkort")
    assert same_system("Fælles Medicinkort (FMK)", "FMK - Fælles Medicinkort")
    assert same_system("Aula", "AULA")
    assert same_system("Valghalla 2.0", "OS2Valghalla")


def test_custom_aliases_replace_the_default_table():
    assert not same_system("Sikker post", "Digital Post", aliases={})
    assert same_system("Sikker post", "Digital Post", aliases={"Sikker post": "Digital Post"})


# --- NameMatcher.match ---------------------------------------------------------------------------
def test_match_returns_the_list_entry(matcher):
    match = matcher.match("NetForvaltning – Sundhed")
    assert match is not None and not match.ambiguous
    assert match.name == "EG Netforvaltning Sundhed"
    assert match.score == 100
    assert set(match.keys) == {
        "kl_shared_tu:EG Netforvaltning Sundhed",
        "kitos_common_systems:EG Netforvaltning Sundhed",
    }


def test_match_via_alias(matcher):
    match = matcher.match("Fælles Medicinkort")
    assert match.key == "kl_common_public:FMK - Fælles Medicinkort"
    assert "kitos_common_systems:Fælles Medicinkort (FMK)" in match.keys


def test_vendor_alone_matches_nothing(matcher):
    assert matcher.match("KMD") is None
    assert matcher.match("EG A/S") is None
    assert matcher.match("") is None


def test_hard_negatives_do_not_match_each_other():
    matcher = NameMatcher(
        [("opus", "KMD Opus"), ("sensum", "EG Sensum"), ("vielse", "EG Netforvaltning Vielse")]
    )
    assert matcher.match("KMD Nexus") is None
    assert matcher.match("EG Netforvaltning Sundhed") is None


def test_fuzzy_spelling_variant(matcher):
    match = matcher.match("OS2 Indberetning")
    assert match.name == "OS2Indberetning"
    assert names.THRESHOLD <= match.score < 100


def test_two_close_candidates_are_ambiguous(matcher):
    match = matcher.match("Min Sag Dataprocess")
    assert match.ambiguous
    assert {match.name, match.runner_up[1]} == {"Min Sag. Dataproces", "MinSag - Dataprocess"}


def test_same_name_from_two_vendors_without_vendor_is_ambiguous(matcher):
    match = matcher.match("Social Pension")
    assert match.ambiguous
    assert {match.name, match.runner_up[1]} == {"KMD Social Pension", "KOMBIT Social Pension"}
    kombit = matcher.match("KOMBIT Social Pension")
    assert kombit.name == "KOMBIT Social Pension" and not kombit.ambiguous


def test_vendor_in_query_must_agree():
    matcher = NameMatcher([("a", "KMD Nexus")])
    assert matcher.match("Nexus").key == "a"
    assert matcher.match("EG Nexus") is None


def test_a_clear_winner_is_not_ambiguous():
    matcher = NameMatcher([("a", "Borgerbooking"), ("b", "Borgeronline.dk")])
    match = matcher.match("Borgerbooking")
    assert (match.key, match.ambiguous, match.runner_up) == ("a", False, None)


def test_match_many_agrees_with_match(matcher):
    names_ = [entry.name for entry in reference.all_entries()]
    rng = random.Random(7)
    queries = [rng.choice(names_) + rng.choice(["", " A/S", "x", " system"]) for _ in range(300)] + [
        "KMD",
        "",
    ]
    batch = matcher.match_many(queries)
    assert batch == [matcher.match(query) for query in queries]
    assert batch[-1] is None and batch[-2] is None


def test_every_listed_name_matches_itself(matcher):
    for entry in reference.all_entries():
        match = matcher.match(entry.name)
        if normalise(entry.name) == "":
            assert match is None, entry  # "KMD", "EG": vendor only
        else:
            assert match is not None and entry.key in match.keys, entry


# --- find_in_text ---------------------------------------------------------------------------------
def test_find_in_text_finds_names_with_offsets(matcher):
    text = "Leverandøren drifter KMD Nexus og Hjernen & Hjertet. Medicin registreres i FMK."
    mentions = matcher.find_in_text(text)
    assert [m.name for m in mentions] == ["KMD Nexus", "Hjernen og Hjertet", "FMK - Fælles Medicinkort"]
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.matched_text
    assert mentions[1].matched_text == "Hjernen & Hjertet"


def test_find_in_text_is_case_insensitive_and_joins_hyphenation(matcher):
    mentions = matcher.find_in_text("Systemet OS2-\nfaktor og SBSys bruges")
    assert [m.name for m in mentions] == ["OS2faktor", "SBSYS"]
    # written all in lower case, list names are ordinary words ("aula" is a school hall)
    assert matcher.find_in_text("navn og adresse vises i aulaen og i aula") == []


def test_find_in_text_needs_whole_words(matcher):
    assert matcher.find_in_text("Aulaen er booket; nexusforbindelse") == []


def test_find_in_text_prefers_the_longest_name(matcher):
    (mention,) = matcher.find_in_text("Adgang til EG Netforvaltning Sundhed via MitID")
    assert mention.name == "EG Netforvaltning Sundhed"


@pytest.mark.parametrize(
    "text",
    [
        "KMD leverer systemet.",  # vendor alone
        "Valg af leverandør sker efter tidsbestilling.",  # common words: KMD Valg, Tidsbestilling
        "Beløbet udbetales til NemKonto og brev sendes med Digital Post til e-Boks.",  # infrastructure
        "Klage kan indgives via borger.dk; CVR-nummer findes på virk.dk.",  # a trap: not a login
        "Kræver Microsoft Windows 10 og Google Chrome.",  # desktop software
        "Sundhed og skat er vigtige emner.",  # .dk-stripped names that are words
    ],
)
def test_find_in_text_skips_generic_names(matcher, text):
    assert matcher.find_in_text(text) == []


# Text as documents write it around system names: Danish letters, ß (folds to two letters), U+0345
# (folds from a non-word into a word character), hyphens at line ends, "&", underscores, digits.
_PIECES = st.sampled_from(["KMD", "Nexus", "nexus", "OS2", "faktor", "Hjernen", "&", "Hjertet", "FMK", "Aula",
                           "SBSys", "EG", "Netforvaltning", "Sundhed", "Straße", "\u0345", "æøå", "ÆØÅ",
                           "-", "‐", "–", "•", "-\n", "- \n  ", "\n", " ", "  ", "_", ".", ",", "2024", "x"])
_TEXTS = st.lists(_PIECES, max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_folded_words_are_the_words_of_folded_tokens(text):
    words = names.folded_words(text)
    if words is not None:
        assert words == [word for word, _start, _end in names.folded_tokens(text)]
    else:
        assert len(text.casefold()) != len(text) or "\u0345" in text


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_the_shortcut_never_hides_a_mention(matcher, text):
    """find_in_text looks for names only where `_may_mention` lets it; without the shortcut it
    finds the same mentions."""
    found = matcher.find_in_text(text)
    matcher._may_mention = lambda _text: True
    try:
        assert matcher.find_in_text(text) == found
    finally:
        del matcher._may_mention


def test_the_shortcut_lets_through_every_text_with_a_form(matcher):
    for text in ["Leverandøren drifter KMD Nexus.", "Systemet OS2-\nfaktor bruges", "Hjernen & Hjertet",
                 "EG Netforvaltning Sundhed", "i aula"]:     # lower case: looked at, then not a mention
        assert matcher._may_mention(text)
    assert not matcher._may_mention("Leverandøren leverer en løsning til kommunen.")


def test_generic_rules_are_explicit():
    assert names.is_generic_text_form("kmd")
    assert names.is_generic_text_form("min sag")
    assert names.is_generic_text_form("digital post")
    assert not names.is_generic_text_form("sundhed dk")
    assert not names.is_generic_text_form("kmd valg")


REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(path)
    cells = (cell.text for table in document.tables for row in table.rows for cell in row.cells)
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


@pytest.mark.skipif(not REALDATA.exists(), reason="../shared/realdata not available")
def test_find_in_text_on_real_documents(matcher):
    exit_strategy = docx_text(REALDATA / "contracts_positive" / "OS2faktor Login - Exit Strategi.docx")
    assert {m.name for m in matcher.find_in_text(exit_strategy)} >= {"OS2faktor"}
    for negative in [
        "DA 2 - Leverancekontrakt Konsulentydelser.docx",
        "DA2 - Persondataunderretning 24-28.docx",
    ]:
        assert matcher.find_in_text(docx_text(REALDATA / "contracts_negative" / negative)) == []
