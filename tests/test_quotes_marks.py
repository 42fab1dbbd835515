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
