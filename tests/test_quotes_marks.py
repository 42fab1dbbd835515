"""Tests for pairing quotation marks (no statistical model): paragraphs, run-on and unclosed quotes, titles."""

from __future__ import annotations

import pytest
import spacy

from healthclaims.components.common import doc_index
from healthclaims.components.quotes.marks import pair_marks, title_like

NLP = spacy.blank("en")


def contents(text: str) -> list[str]:
    doc = NLP(text)
    return [text[p.start : p.end] for p in pair_marks(text, doc_index(doc))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ('She said "it works well" and left.', ["it works well"]),
        ("“It works,” she said, “for most people.”", ["It works,", "for most people."]),
        # a quote running on into the next paragraph has no closing mark there
        ("“First part of it.\n\n“Second part,” she said.", ["First part of it.", "Second part,"]),
        # an unclosed quote before another opener ends at its last sentence end
        ("“One. Two. Roe said. “Three,” she added.", ["One. Two. Roe said.", "Three,"]),
        # curly marks pair even when the closing one is typed as an opening one
        ("“It works“ she said.", ["It works"]),
        # guillemets are marks too
        ("«It works for most,» she said.", ["It works for most,"]),
        ("No marks at all.", []),
    ],
)
def test_pair_marks(text, expected):
    assert contents(text) == expected


@pytest.mark.parametrize(
    "content, expected",
    [
        ("Good Morning America", True),
        ("Pain in the Neck", True),
        ("Exercise and Memory in Older Adults: A Randomised Trial of Walking Groups", True),
        ("At the End,", False),
        ("the drug works for most people", False),
        ("We saw the biggest change in the first two weeks", False),
    ],
)
def test_title_like(content, expected):
    assert title_like(content) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a text printed in the British style quotes in single marks; apostrophes inside words stay apostrophes
        ("He said: 'The baby's test is quick.'\n\n'It's painless,' she added.", ["The baby's test is quick.", "It's painless,"]),
        # a plural possessive inside speech is no closing mark; a short single-marked term closes where it ends
        ("Roe said: 'Most of the patients' families like it.'\n\n'Good,' she said of 'the genes' way'.",
         ["Most of the patients' families like it.", "Good,", "the genes"]),
        # a quote left open at its paragraph's end runs on to it
        ("He said: 'A probe is put on the hand.\n\nThat's it.\n\n'We would like all babies tested.'", [
            "A probe is put on the hand.", "We would like all babies tested."]),
    ],
)
def test_single_marks_delimit_quotes_in_british_style(text, expected):
    assert contents(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # one single-marked phrase is a term, not the British style
        "Researchers called it the 'master switch' of the disease.",
        # a text with double marks keeps its single ones for nested quotes and apostrophes
        "He said: \"The 'trigger' was found.\"\n\n'Two' of them said so.\n\n'Three' more.",
    ],
)
def test_single_marks_are_no_quotes_outside_british_style(text):
    assert all("'" not in c[:1] for c in contents(text))
    assert len(contents(text)) <= 1
