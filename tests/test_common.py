"""The shared heuristics: one Doc index of sentences and paragraphs, title case, longest match, on hand-built Docs."""

from __future__ import annotations

import pytest
from healthclaims.components.common import QUOTE_CHARS, DocIndex, doc_index, doc_text, is_title_case, longest_first
from spacy.tokens import Doc
from spacy.vocab import Vocab

# "Title\n\nOne two. Three four.\n\nFive." : three paragraphs, four sentences.
WORDS = ["Title", "\n\n", "One", "two", ".", "Three", "four", ".", "\n\n", "Five", "."]
SPACES = [False, False, True, False, True, True, False, False, False, False, False]
STARTS = [True, False, True, False, False, True, False, False, False, True, False]


@pytest.fixture
def doc() -> Doc:
    return Doc(Vocab(), words=WORDS, spaces=SPACES, sent_starts=STARTS)


def test_index_sentences_and_paragraphs(doc):
    assert doc.text == "Title\n\nOne two. Three four.\n\nFive."
    index = DocIndex(doc)
    assert [s.text for s in index.sents] == ["Title\n\n", "One two.", "Three four.\n\n", "Five."]
    assert index.sent_para == [0, 1, 1, 2]
    assert [index.sent_of_token(i) for i in (0, 2, 4, 5, 9, 10)] == [0, 1, 1, 2, 3, 3]
    assert index.sentence_of_token(6).text == "Three four.\n\n"
    assert [index.paragraph_of_token(i) for i in (0, 2, 5, 9)] == [0, 1, 1, 2]


@pytest.mark.parametrize(
    "char, sentence, paragraph",
    [(0, 0, 0), (4, 0, 0), (7, 1, 1), (16, 2, 1), (29, 3, 2), (33, 3, 2)],
)
def test_char_lookups(doc, char, sentence, paragraph):
    index = DocIndex(doc)
    assert index.sent_of_char(char) == sentence
    assert index.paragraph_at_char(char) == paragraph


def test_doc_without_sentences_is_one_sentence():
    doc = Doc(Vocab(), words=["No", "parser", "here"])
    index = DocIndex(doc)
    assert [s.text for s in index.sents] == ["No parser here"]
    assert index.sent_of_token(2) == 0


def test_index_is_shared_per_doc(doc):
    assert doc_index(doc) is doc_index(doc)
    other = Doc(Vocab(), words=WORDS, spaces=SPACES, sent_starts=STARTS)
    assert doc_index(other) is not doc_index(doc)


@pytest.mark.parametrize(
    "words, expected",
    [
        (["Text", "Neck", "Indicator"], True),
        (["Journal", "of", "the", "American", "Medical", "Association"], True),  # short function words count
        (["the", "study", "found", "a", "small", "effect"], False),
        (["of", "and", "the"], False),  # needs at least one capital
        (["Massage", "helps", "people", "with", "back", "pain"], False),
        (["2013", "Cochrane", "Review"], True),  # non-alphabetic words are ignored
        ([], False),
    ],
)
def test_is_title_case(words, expected):
    assert is_title_case(words) is expected


def test_is_title_case_share():
    words = ["Back", "Pain", "in", "older", "adults"]
    assert not is_title_case(words)
    assert is_title_case(words, share=0.6)


@pytest.mark.parametrize(
    "matches, expected",
    [
        ([("a", 0, 2), ("b", 1, 4), ("c", 4, 5)], [("b", 1, 4), ("c", 4, 5)]),
        ([("short", 3, 4), ("long", 0, 6)], [("long", 0, 6)]),
        ([("x", 0, 2), ("y", 2, 4)], [("x", 0, 2), ("y", 2, 4)]),  # touching is not overlapping
        ([("late", 5, 7), ("early", 1, 3)], [("early", 1, 3), ("late", 5, 7)]),  # sorted by start
        ([("first", 0, 2), ("second", 1, 3)], [("first", 0, 2)]),  # same length: the earlier wins
        ([], []),
    ],
)
def test_longest_first(matches, expected):
    assert longest_first(matches) == expected


def test_quote_chars_cover_curly_and_guillemets():
    assert set("\"'“”‘’„«»") <= set(QUOTE_CHARS)


def test_doc_text_is_the_docs_text_joined_once(doc):
    assert doc_text(doc) == doc.text
    assert doc_text(doc) is doc_text(doc)  # the same string object: not rebuilt from the tokens
