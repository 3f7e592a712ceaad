"""Vietnamese analysis and the query grammar (no database)."""

from __future__ import annotations

import unicodedata

import pytest

from search.analysis import exact, fold, folded_word_pattern
from search.highlight import snippet
from search.query import Code, Phrase, Word, parse


@pytest.mark.parametrize(
    ("old", "new"),
    [("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("Hoà Bình", "hòa bình"), ("tuỳ", "tùy")],
)
def test_both_tone_placements_normalise_to_one(old, new):
    assert exact(old) == exact(new) == new


def test_a_pair_followed_by_a_final_consonant_is_left_alone():
    assert exact("hoàn thành") == "hoàn thành"
    assert exact("quý") == "quý"  # the u of "qu" is part of the consonant


def test_folding_removes_every_diacritic_and_folds_d_stroke():
    assert fold("ĐƯỜNG Đường đương dương") == "duong duong duong duong"
    assert fold("Kiểm soát tài liệu") == "kiem soat tai lieu"


def test_decomposed_input_is_composed_first():
    decomposed = unicodedata.normalize("NFD", "Quy trình kiểm soát")
    assert fold(decomposed) == "quy trinh kiem soat"
    assert exact(decomposed) == "quy trình kiểm soát"


def test_folding_keeps_one_character_for_one():
    text = "Sở GD&ĐT Hoà Bình — ỨNG DỤNG"
    assert len(fold(text)) == len(text)


def test_control_characters_and_nul_bytes_become_spaces():
    assert fold("kiểm\x00soát\x1b") == "kiem soat "


def test_folded_word_pattern_finds_every_spelling():
    import re

    pattern = re.compile(folded_word_pattern("duong"))
    assert [m.group() for m in pattern.finditer("ĐƯỜNG, đường, dương, duong")] == [
        "ĐƯỜNG",
        "đường",
        "dương",
        "duong",
    ]


def test_the_query_grammar():
    parsed = parse('Đường "kiểm soát tài liệu" QT-VP -hồ kiem*')
    assert parsed.clauses == [
        Word(folded="duong", exact="đường"),
        Phrase(folded=("kiem", "soat", "tai", "lieu"), exact=("kiểm", "soát", "tài", "liệu")),
        Code(folded="qt-vp", parts=("qt", "vp")),
        Word(folded="ho", exact="hồ", negate=True),
        Word(folded="kiem", prefix=True),
    ]
    assert parsed.exact_words == ["đường", "kiểm", "soát", "tài", "liệu"]


@pytest.mark.parametrize("query", ["", '"', "AND", "OR NOT", "-", "*", "-kiem", "\x00", "((("])
def test_queries_without_a_positive_word_are_empty_with_a_message(query):
    parsed = parse(query)
    assert parsed.is_empty and parsed.messages


def test_an_unbalanced_quote_searches_the_words():
    assert parse('"kiem soat').clauses == [Word("kiem"), Word("soat")]


def test_snippet_escapes_and_marks():
    html = snippet("a <b>Đường</b> & dương", {"duong"})
    assert html == "a &lt;b&gt;<mark>Đường</mark>&lt;/b&gt; &amp; <mark>dương</mark>"
