"""Properties of the keyword finder and of CPR masking that hold for any text (Hypothesis).

The example-based tests in test_keywords.py, test_keyword_contexts.py and test_privacy.py pin down
known cases; these generate text the authors did not think of: words split by hyphenation anywhere,
hits next to arbitrary punctuation, line breaks and digits, CPR numbers in every written form.
"""

from __future__ import annotations

import re

import re2
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from extractors import cpr
from extractors.cpr import mask_cpr
from extractors.keywords import (
    SNIPPET_RADIUS,
    find_hits,
    join_hyphenation,
    load_keywords,
    prepare_text,
    present_literals,
)
from tuscan.privacy import contains_cpr

SETTINGS = settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])

# Words with no keyword in them, to build sentences around the terms.
FILLER = ["Borgeren", "kontrakten", "systemet", "og", "for", "Leverandøren", "aftale", "bilag", "side", "data",
          "kommunen", "løsningen", "skal", "kan", "ved", "i", "på", "til", "med"]
# Whole terms as written in contracts; each must be found however it is split at a line end.
TERMS = {"NemID": "nemid", "MitID": "mitid", "NemLog-in": "nemlog-in", "medarbejdersignatur": "medarbejdersignatur",
         "tjenesteudbyder": "tjenesteudbyder", "helbredsoplysninger": "helbredsoplysninger",
         "erhvervssignatur": "erhvervssignatur"}
LINE_END_HYPHENS = ["-\n", "-\n   ", "-\n\n  ", "\u00ad", "\ufffe\n", "\ufffe", "\u2010\n"]

sentence = st.lists(st.sampled_from(FILLER), min_size=0, max_size=8).map(" ".join)
# Text made of the pieces that matter to the finder: term pieces, punctuation, line breaks, digits.
pieces = st.sampled_from(
    ["Nem", "ID", "Mit", "Log", "-in", "in", "medarbejder", "signatur", "erhverv", "NemKonto", "ikke", "med",
     "log ind", "betal", "netbank", "fx", "borger.dk", "og", "Penneo", "underskrevet", "-", " ", "\n", "\n\n",
     ".", ",", "\u00ad", "\ufffe", "010203", "-1234", "12", " 34", "æøå", "x"])
messy_text = st.lists(pieces, min_size=0, max_size=40).map("".join)


@SETTINGS
@given(messy_text)
def test_join_hyphenation_maps_every_character_back(text):
    joined, index = join_hyphenation(text)
    assert len(index) == len(joined) + 1 and index[-1] == len(text)
    assert all(a < b for a, b in zip(index, index[1:], strict=False)), "offsets must increase"
    assert all(joined[i] == text[index[i]] for i in range(len(joined)))
    # only hyphens, soft hyphens, U+FFFE and whitespace around line ends are ever dropped
    dropped = set(range(len(text))) - set(index[:-1])
    assert all(text[i] in "-\u2010\u00ad\ufffe" or text[i].isspace() for i in dropped)


@SETTINGS
@given(messy_text)
def test_join_breakpoints_map_offsets_as_the_full_index_does(text):
    """find_hits maps hit offsets back through the joins' breakpoints, not a list per character."""
    from extractors.keywords import _join_lines, _original_offset

    joined, index = join_hyphenation(text)
    same, joins = _join_lines(text)
    assert same == joined
    assert [_original_offset(joins, at) for at in range(len(joined))] == index[:-1]


@SETTINGS
@given(st.sampled_from(sorted(TERMS)), st.data(), st.sampled_from(LINE_END_HYPHENS), sentence, sentence)
def test_a_term_split_anywhere_at_a_line_end_is_found_where_it_is_written(word, data, hyphen, before, after):
    cut = data.draw(st.integers(1, len(word) - 1), label="cut")
    assume(word[cut - 1] != "-" and word[cut] != "-")     # "NemLog-in" split at its own hyphen
    written = word[:cut] + hyphen + word[cut:]
    text = prepare_text(f"{before} {written} {after}.")
    found = [h for h in find_hits(text) if h.term == TERMS[word]]
    assert len(found) == 1, (text, found)
    hit = found[0]
    # terms are open at the end ("helbreds|oplysning" in "helbredsoplysninger"): the hit starts where
    # the word is written and is the word's beginning once a line end inside it is joined
    assert hit.offset == text.index(written)
    assert text[hit.offset : hit.offset + hit.length] == hit.matched and written.startswith(hit.matched)
    assert word.lower().startswith(join_hyphenation(hit.matched)[0].lower())
    assert " ".join(hit.matched.split()) in hit.snippet


@SETTINGS
@given(messy_text, st.integers(1, 500))
def test_hits_point_into_the_text_and_say_why(raw, page):
    text = prepare_text(raw)
    hits = find_hits(text, page=page)
    ends = -1
    for hit in hits:
        assert hit.page == page
        assert 0 <= hit.offset and hit.offset + hit.length <= len(text)
        assert text[hit.offset : hit.offset + hit.length] == hit.matched
        assert hit.offset >= ends, "hits are in order and do not overlap"
        ends = hit.offset + hit.length
        assert len(hit.snippet) <= 2 * SNIPPET_RADIUS + hit.length
        assert not contains_cpr(hit.snippet)
        assert (hit.excluded_by is None) != (hit.counts_because is None), hit
        assert not hit.weak or hit.login
    assert find_hits(text, page=page) == hits


@SETTINGS
@given(messy_text, sentence, sentence)
def test_a_hit_is_judged_by_its_own_paragraph_only(raw, far_before, far_after):
    """Exclusions look at a bounded window cut at the paragraph: text in other paragraphs never
    changes whether a hit counts (and so the cost per hit does not grow with the page)."""
    text = prepare_text(raw)
    alone = find_hits(text)
    padding = f"{far_before} penneo {far_before}.\n\n"
    padded = prepare_text(padding + raw + f"\n\n{far_after} penneo ikke betal fx.")
    shifted = [h for h in find_hits(padded) if len(padding) <= h.offset < len(padding) + len(text)]
    assert [(h.offset - len(padding), h.term, h.excluded_by) for h in shifted] == \
        [(h.offset, h.term, h.excluded_by) for h in alone]


def test_the_bundled_rules_look_only_at_a_bounded_window():
    keywords = load_keywords()
    assert all(before <= 300 and after <= 300 for before, after in keywords.widths.values())


# ---- CPR masking

digits_and_separators = st.text(alphabet="0123456789 -\n\t\u2013\u00a0abc.:/", max_size=60)


@SETTINGS
@given(digits_and_separators)
def test_masking_keeps_length_and_every_non_digit_and_is_idempotent(text):
    masked = mask_cpr(text)
    assert len(masked) == len(text)
    for original, new in zip(text, masked, strict=True):
        assert new == original or (original.isdigit() and new == "X")
    assert mask_cpr(masked) == masked
    assert not contains_cpr(masked)


@st.composite
def cpr_numbers(draw):
    day = draw(st.one_of(st.integers(1, 31), st.integers(61, 91)))
    month = draw(st.integers(1, 12))
    year, serial = draw(st.integers(0, 99)), draw(st.integers(0, 9999))
    dd, mm, yy, ssss = f"{day:02d}", f"{month:02d}", f"{year:02d}", f"{serial:04d}"
    form = draw(st.sampled_from(["{d}{m}{y}-{s}", "{d}{m}{y}{s}", "{d}{m}{y} - {s}", "{d}{m}{y} {s}",
                                 "{d} {m} {y}-{s}", "{d}{m}{y}\u2013{s}", "{d}{m}{y}-\n{s}",
                                 "{d} {m} {y} {s2} {s3}"]))
    return form.format(d=dd, m=mm, y=yy, s=ssss, s2=ssss[:2], s3=ssss[2:])


@SETTINGS
@given(cpr_numbers(), st.sampled_from(["CPR ", "cpr.nr. ", "født ", "(", "Borger: ", ""]),
       st.sampled_from([".", " i Korsbæk", ")", "", "\n"]))
def test_every_written_form_of_a_cpr_number_is_masked(number, before, after):
    text = before + number + after
    masked = mask_cpr(text)
    assert not re.search(r"\d", masked[len(before) : len(before) + len(number)]), masked
    assert not contains_cpr(masked)
    # and the keyword finder stores the page masked, whatever surrounds the number
    page = prepare_text(f"Borgeren logger ind med MitID. {text}")
    assert not contains_cpr(page)
    assert all(not contains_cpr(h.snippet) for h in find_hits(page))


# ---- the RE2 prefilters give what the plain Python definitions give

# Digits of other scripts (Python's `\d` matches every Unicode decimal digit), the gaps and dashes the
# CPR pattern allows, a carriage return, and a lone surrogate (which a UTF-8 encoding refuses).
cpr_like_text = st.text(alphabet="0123456789 -\n\r\t\u2013\u2212\u00a0\u2009\u202f\u0663\uff11ab.\udcff", max_size=80)


@SETTINGS
@given(st.one_of(cpr_like_text, st.builds(lambda a, n, b: a + n + b, cpr_like_text, cpr_numbers(), cpr_like_text)))
def test_masking_with_the_re2_check_masks_what_the_pattern_alone_masks(text):
    assert mask_cpr(text) == cpr._mask_every(text)


def test_every_digit_python_knows_is_a_digit_to_the_re2_check():
    # The check is a superset of `_CPR` only if its `\p{Nd}` covers Python's `\d`.
    digits = "".join(chr(code) for code in range(0x110000) if chr(code).isdecimal())
    assert re.fullmatch(r"\d+", digits)
    assert re2.compile(r"\p{Nd}+").fullmatch(digits)


LITERALS = frozenset(load_keywords().literals) | {"ø", "æøå", "-in", "a.b", "x"}


@SETTINGS
@given(st.lists(st.sampled_from(sorted(LITERALS) + ["a", "b", ".", "\udcff", "ß", "\n"]), max_size=30).map("".join))
def test_present_literals_finds_the_literals_a_substring_test_finds(text):
    assert present_literals(text, LITERALS) == {literal for literal in LITERALS if literal in text}
    assert present_literals("", LITERALS) == set()
