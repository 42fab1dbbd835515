"""Paragraph-aware sentence starts: a line break always ends a sentence.

Runs before the parser, which keeps the boundaries it is given; titles, bylines and list
items have no final punctuation, and without this the parser glues them to the next line.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("healthclaims_paragraphs", assigns=["token.is_sent_start"], requires=[])
def set_paragraph_starts(doc: Doc) -> Doc:
    """Mark the first token after any line break as a sentence start."""
    after_break = False
    for token in doc:
        if token.is_space:
            if "\n" in token.text:
                after_break = True
            continue
        if after_break or (token.i > 0 and "\n" in doc[token.i - 1].whitespace_):
            token.is_sent_start = True
        after_break = False
    return doc
