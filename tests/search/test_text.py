"""Typed words become plain terms; highlighted text is escaped before it is marked."""

import pytest

from search.text import (
    MARK_END,
    MARK_START,
    MAX_QUERY_CHARACTERS,
    MAX_TERMS,
    clean_text,
    highlighted,
    plain_terms,
)


@pytest.mark.parametrize(
    "typed, words",
    [
        ("Revalidation", ("revalidation",)),
        ('"responsible officer"', ("responsible", "officer")),
        ("clinic*", ("clinic",)),
        ("NEAR(board chair, 3)", ("near", "board", "chair", "3")),
        ("-governance", ("governance",)),
        ("title:appraisal", ("title", "appraisal")),
        ("x AND y OR NOT z", ("x", "y", "z")),
        ("The role of the Medical Director", ("role", "medical", "director")),
        ("the and of", ()),
        ("board & !chair | (ned)", ("board", "chair", "ned")),
        ("snake_case", ("snake", "case")),
        ("board board BOARD", ("board",)),
        ("Médecin-chef", ("médecin", "chef")),
        ("", ()),
        ('"*:-()^', ()),
        ("\x00\x1f", ()),
    ],
)
def test_only_plain_words_are_searched_for(typed, words):
    assert plain_terms(typed).words == words


def test_none_is_no_words():
    assert not plain_terms(None)


def test_a_long_query_is_cut_and_says_so():
    terms = plain_terms(" ".join(f"word{number}" for number in range(100)))
    assert len(terms.words) == MAX_TERMS
    assert terms.shortened
    assert not plain_terms("board chair").shortened


def test_only_the_first_characters_are_read():
    terms = plain_terms("a" * 10 + " " + "x" * MAX_QUERY_CHARACTERS + " tail")
    assert "tail" not in terms.words
    assert terms.shortened


def test_highlighting_escapes_the_text_before_marking_it():
    text = f"<script>alert(1)</script> and {MARK_START}board{MARK_END} & {MARK_START}chair"
    html = str(highlighted(text))
    assert html == "&lt;script&gt;alert(1)&lt;/script&gt; and <mark>board</mark> &amp; chair"


def test_indexed_text_cannot_carry_the_match_markers():
    assert clean_text(f"one{MARK_START}two{MARK_END}\nthree\x00") == "one two three"
