"""Paragraph-aware sentence starts: a line break always ends a sentence, and a line is not split
right after a word the parser misreads.

Runs before the parser, which keeps the boundaries it is given; titles, bylines and list
items have no final punctuation, and without this the parser glues them to the next line.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token


@Language.component("healthclaims_paragraphs", assigns=["token.is_sent_start"], requires=[])
def set_paragraph_starts(doc: Doc) -> Doc:
    """Mark the first token after any line break as a sentence start, and no token on the same line right
    after a word when either is in lower case: a sentence ends at a mark, and the parser otherwise splits a
    line at a word it misreads ("SLEEPYHEADS | who struggle ...", a British tabloid's opening capitals;
    "Love of physical activity may start in | the womb", a headline), nor between two words in capitals. A
    capitalised word after a capitalised one may still start a sentence: a heading that runs into its paragraph
    ("Side Effects The drug ...")."""
    after_break = True
    for token in doc:
        if token.is_space:
            if "\n" in token.text:
                after_break = True
            continue
        if after_break or (token.i > 0 and "\n" in doc[token.i - 1].whitespace_):
            if token.i > 0:
                token.is_sent_start = True
        elif _after_word(doc[token.i - 1]) and (
            token.text[:1].islower() or doc[token.i - 1].text.islower() or _capitals(doc[token.i - 1]) and _capitals(token)
        ):
            token.is_sent_start = False
        after_break = False
    return doc


def _after_word(prev: Token) -> bool:
    """The token before is a word or a number, with no line break after it: no sentence ends there."""
    return (prev.is_alpha or prev.like_num) and "\n" not in prev.whitespace_


def _capitals(token: Token) -> bool:
    """A word in capitals ("HEART ATTACK patients ..."): a run of them is one phrase."""
    return len(token.text) >= 2 and token.text.isalpha() and token.text.isupper()
