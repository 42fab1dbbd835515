"""Tests for the indirect-quote finder's clause tests, on hand-built Docs (no statistical model)."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from healthclaims.components.quotes.indirect import closes_sentence, main_clause

VOCAB = spacy.blank("en").vocab


def build(rows: list[tuple[str, str, int]]) -> Doc:
    """A Doc from ``(word, dep, head)`` rows; heads are absolute token indexes."""
    words = [r[0] for r in rows]
    spaces = [i + 1 < len(rows) and rows[i + 1][0] not in ",." for i in range(len(rows))]
    tags = ["VBD" if r[0] in ("said", "works", "stimulate") else "NN" for r in rows]
    return Doc(VOCAB, words=words, spaces=spaces, tags=tags, deps=[r[1] for r in rows], heads=[r[2] for r in rows])


# "The device works better, unlike older devices that stimulate more, the researchers said."
# with "said" parsed as a relative clause of "devices", as the parser does on some long sentences
CLOSING = [
    ("The", "det", 1), ("device", "nsubj", 2), ("works", "ROOT", 2), ("better", "advmod", 2), (",", "punct", 2),
    ("unlike", "prep", 2), ("older", "amod", 7), ("devices", "pobj", 5), ("that", "nsubj", 9),
    ("stimulate", "relcl", 7), ("more", "dobj", 9), (",", "punct", 9), ("the", "det", 13),
    ("researchers", "nsubj", 14), ("said", "relcl", 7), (".", "punct", 2),
]


def test_a_closing_attribution_misparsed_as_a_relative_clause_reports():
    doc = build(CLOSING)
    assert closes_sentence(doc[14]) and main_clause(doc[14])


def test_a_relative_clause_that_goes_on_is_no_attribution():
    # "... older devices that, the researchers said, stimulate more." : words follow the verb
    rows = [*CLOSING[:14], ("said", "relcl", 7), ("stimulate", "relcl", 7), (".", "punct", 2)]
    doc = build(rows)
    assert not closes_sentence(doc[14])


def test_a_relative_clause_without_a_comma_before_its_subject_is_no_attribution():
    # "... unlike the devices researchers said." : no comma closes off the main sentence
    rows = [*CLOSING[:11], ("researchers", "nsubj", 12), ("said", "relcl", 7), (".", "punct", 2)]
    doc = build(rows)
    assert not closes_sentence(doc[12])
