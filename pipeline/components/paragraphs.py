"""Paragraph-aware sentence starts: a line break always ends a sentence.

Runs before the parser, which keeps the boundaries it is given; titles, bylines and list
items have no final punctuation, and without this the parser glues them to the next line.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token


@Language.component("healthclaims_paragraphs", assigns=["token.is_sent_start"], requires=[])
def set_paragraph_starts(doc: Doc) -> Doc:
    """Mark the first token after any line break as a sentence start; a paragraph that opens with a word
    in capitals ("EGGS are better ...", a British tabloid's style) goes on after it: the parser would
    take the capitals for a sentence of their own."""
    after_break = True
    for token in doc:
        if token.is_space:
            if "\n" in token.text:
                after_break = True
            continue
        if after_break or (token.i > 0 and "\n" in doc[token.i - 1].whitespace_):
            if token.i > 0:
                token.is_sent_start = True
            _run_on_after_capitals(doc, token)
        after_break = False
    return doc


def _run_on_after_capitals(doc: Doc, first: Token) -> None:
    """"SLEEPYHEADS who struggle ...": the words after a paragraph's opening capitals are its sentence."""
    caps = first
    while caps.i + 1 < len(doc) and _capitals(caps) and _capitals(doc[caps.i + 1]):
        caps = doc[caps.i + 1]
    nxt = doc[caps.i + 1] if caps.i + 1 < len(doc) else None
    if _capitals(caps) and nxt is not None and nxt.text[:1].islower() and "\n" not in caps.whitespace_:
        for tok in doc[first.i + 1 : nxt.i + 1]:
            tok.is_sent_start = False


def _capitals(token: Token) -> bool:
    return len(token.text) >= 2 and token.text.isalpha() and token.text.isupper()
