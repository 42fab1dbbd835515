"""The healthclaims_paragraphs component: a line break ends a sentence, and the parser never splits a line
right after a word when either word is in lower case (a tabloid's opening capitals, a headline)."""

from __future__ import annotations

import pytest


def sentences(nlp, text: str) -> list[str]:
    return [s.text.strip() for s in nlp(text).sents if s.text.strip()]


def test_a_line_break_ends_a_sentence(nlp):
    assert sentences(nlp, "Walking helps the heart\n\nA new study of 300 adults says so.") == [
        "Walking helps the heart",
        "A new study of 300 adults says so.",
    ]


@pytest.mark.parametrize(
    "lede",
    [
        "SLEEPYHEADS who struggle to get out of bed in the morning may have inherited their laziness, new research has shown.",
        "EGGS are better than chocolate for an energy boost, say experts.",
        "BREAST cancer screening may cause more harm than good, according to a study.",
        "HEART ATTACK patients who walk daily recover faster, doctors found.",
    ],
)
def test_a_paragraph_opening_in_capitals_is_one_sentence(nlp, lede):
    assert sentences(nlp, "Headline\n\n" + lede + "\n\nIt says so.") == ["Headline", lede, "It says so."]


def test_capitals_that_end_a_sentence_still_end_it(nlp):
    assert sentences(nlp, "Headline\n\nThe drug was approved by the FDA. Doctors welcomed it.") == [
        "Headline",
        "The drug was approved by the FDA.",
        "Doctors welcomed it.",
    ]


def test_a_headline_is_not_split_at_a_word_the_parser_misreads(nlp):
    assert sentences(nlp, "Love of physical activity may start in the womb\n\nPregnant mice ran more.") == [
        "Love of physical activity may start in the womb",
        "Pregnant mice ran more.",
    ]
