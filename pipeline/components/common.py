"""Lookups and heuristics every extractor shares: one index of sentences and paragraphs per Doc,
one title-case test, one set of quotation marks, one longest-match filter.

The index is built once per Doc and kept beside it (weakly, so it dies with the Doc), never
on a component: components stay stateless between Docs.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from spacy.tokens import Doc, Span

#: Every quotation mark the extractors recognise: straight, curly, low-9 and guillemets.
QUOTE_CHARS = "\"'“”‘’„«»"
#: Opening double quotation marks (a following mark of the same set closes them).
OPEN_DOUBLE = "\"“„«"
CLOSE_DOUBLE = "\"”»"

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")

T = TypeVar("T", bound=tuple[Any, ...])


def is_title_case(words: Sequence[str], share: float = 0.75) -> bool:
    """True when at least ``share`` of the alphabetic words start with a capital ("Text Neck Indicator").

    Short function words ("of", "and", "the") count for the title, as headline style has them lower case.
    """
    alpha = [w for w in words if w[:1].isalpha()]
    if not alpha:
        return False
    capitalised = sum(1 for w in alpha if w[:1].isupper() or (len(w) <= 3 and w.islower()))
    return capitalised >= share * len(alpha) and any(w[:1].isupper() for w in alpha)


def longest_first(matches: Iterable[T]) -> list[T]:
    """Keep the longest of overlapping ``(label, start, end, ...)`` matches, greedily by length then position.

    Returns the survivors sorted by start.
    """
    chosen: list[T] = []
    taken: list[tuple[int, int]] = []
    for m in sorted(matches, key=lambda m: (-(m[2] - m[1]), m[1])):
        if all(m[2] <= s or m[1] >= e for s, e in taken):
            chosen.append(m)
            taken.append((m[1], m[2]))
    return sorted(chosen, key=lambda m: (m[1], m[2]))


class DocIndex:
    """Sentences and paragraphs of one Doc, with character and token lookups."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.sents: list[Span] = list(doc.sents) if doc.has_annotation("SENT_START") or len(doc) == 0 else [doc[:]]
        self.sent_starts = [s.start for s in self.sents]
        self.sent_start_chars = [s.start_char for s in self.sents]
        # Paragraph breaks are blank lines; a paragraph is the text between two of them.
        self.para_breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(doc_text(doc))]
        self.sent_para = [self.paragraph_at_char(c) for c in self.sent_start_chars]

    def sent_of_token(self, i: int) -> int:
        """Index of the sentence holding token ``i``."""
        return max(bisect_right(self.sent_starts, i) - 1, 0)

    def sent_of_char(self, char: int) -> int:
        """Index of the sentence holding character ``char``."""
        return max(bisect_right(self.sent_start_chars, char) - 1, 0)

    def sentence_of_token(self, i: int) -> Span:
        return self.sents[self.sent_of_token(i)]

    def paragraph_at_char(self, char: int) -> int:
        """Paragraph number of character ``char`` (0-based; blank lines separate paragraphs)."""
        return bisect_right(self.para_breaks, char)

    def paragraph_of_token(self, i: int) -> int:
        return self.paragraph_at_char(self.doc[i].idx)


_INDEXES: weakref.WeakKeyDictionary[Doc, DocIndex] = weakref.WeakKeyDictionary()


_TEXTS: weakref.WeakKeyDictionary[Doc, str] = weakref.WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per Doc: spaCy rebuilds it from the tokens on every access, which made
    per-claim and per-cue reads of it a large share of the extractors' time on long articles.
    (A Doc's text never changes: the retokenizer merges and splits without changing characters.)"""
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text


def doc_index(doc: Doc) -> DocIndex:
    """The shared ``DocIndex`` of ``doc``, built on first use and rebuilt if the Doc's sentences changed."""
    index = _INDEXES.get(doc)
    if index is None or len(index.sents) and index.sents[-1].end != len(doc):
        index = _INDEXES[doc] = DocIndex(doc)
    return index


def surname_left_out(doc: Doc, end: int) -> bool:
    """Whether ``doc[end]`` is the surname the tagger left after a PERSON entity ending ``end`` in a
    hyphenated given name ("Dr. Jean-Yves" + "Reginster"): a capitalised proper noun with no entity."""
    if end < 3 or end >= len(doc):
        return False
    hyphen, surname = doc[end - 2], doc[end]
    hyphenated = hyphen.text in ("-", "‐") and not hyphen.whitespace_ and not doc[end - 3].whitespace_
    return (
        hyphenated and bool(doc[end - 1].whitespace_) and surname.pos_ == "PROPN" and surname.is_title
        and surname.ent_type_ == ""
    )
