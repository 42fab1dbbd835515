"""Named programmes the lexicon cannot list one by one: "the Quilby Technique", "Roe's Zorb Method";
one-word procedures told by their ending ("-plasty", "-ectomy": ``suffixed`` lexicon lines); and
procedures told by a modifier and a head noun ("zorbitis surgery", "the lateral approach":
``headed`` lexicon lines).

A capitalised name of one to three words before a capitalised head word (``heads`` of a
``{"named": ...}`` lexicon line) is a technique when its sentence, or the one before, speaks of
therapy (``cues``), and no word of the name says it is an institution or a body system
(``not_in_name``: "the Mayo Clinic Health System", "the Immune System").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from healthclaims.components.common import doc_index
from healthclaims.components.techniques.context import in_headline
from healthclaims.components.techniques.lexicon import HeadRule, NamedRule, SuffixRule
from spacy.tokens import Doc

#: Most words a programme's own name has before its head: "the Quilby Zorb Method".
_MAX_NAME_WORDS = 3
#: Most words of a head rule's modifier: "lymph node surgery", "the direct anterior approach".
_MAX_MODIFIER_WORDS = 2


@dataclass(frozen=True)
class NamedMatch:
    """One named-programme mention: its rule, token span and lower-cased name (its canonical)."""

    rule: NamedRule
    start: int
    end: int
    canonical: str


def _name_word(doc: Doc, i: int) -> bool:
    token = doc[i]
    # "MuTu" has inner capitals; "The", "Our" and a sentence's plain first word name nothing.
    return (
        token.is_alpha
        and token.text[:1].isupper()
        and not token.is_stop
        and len(token) > 1
        and (not token.is_sent_start or token.pos_ == "PROPN")
    )


def _start_of_name(doc: Doc, head: int) -> int | None:
    """The first token of the capitalised name before ``head``, or None (no name, or a longer one)."""
    start = head
    while start > 0 and head - start < _MAX_NAME_WORDS and _name_word(doc, start - 1):
        start -= 1
    if start == head:
        return None
    # "the Zorb 6-Month System", "Roe-Doe Method": a name glued by a hyphen is part of a longer one.
    if start > 0 and doc[start - 1].text in ("-", "–") and not doc[start - 1].whitespace_:
        return None
    # A fourth capitalised word makes it part of a longer proper name, not a programme's own.
    if start > 0 and _name_word(doc, start - 1):
        return None
    return start


def _spoken_of_as_therapy(doc: Doc, start: int, end: int, cues: frozenset[str]) -> bool:
    """Whether the sentence of ``doc[start:end]``, or the one before, has a therapy cue outside the name."""
    index = doc_index(doc)
    sent = index.sentence_of_token(start)
    first = index.sentence_of_token(sent.start - 1).start if sent.start > 0 else sent.start
    return any(doc[k].lower_ in cues for k in range(first, sent.end) if not start <= k < end)


def named_programmes(doc: Doc, text: str, rules: list[NamedRule], taken: list[bool]) -> list[NamedMatch]:
    """Every named-programme mention in ``doc`` that no lexicon match covers, in text order.

    ``text`` is ``doc.text``; ``taken`` marks the tokens lexicon matches cover.
    """
    found: list[NamedMatch] = []
    for rule in rules:
        heads, cues, banned = frozenset(rule.heads), frozenset(rule.cues), frozenset(rule.not_in_name)
        for token in doc:
            if token.lower_ not in heads or not token.is_title or token.is_sent_start:
                continue
            start = _start_of_name(doc, token.i)
            end = token.i + 1
            if start is None or any(taken[start:end]):
                continue
            name = doc[start:end]
            # "the Zorb System of care", "the Quilby Method Foundation": the head is inside a longer name.
            after = doc[end] if end < len(doc) else None
            if after is not None and (after.text[:1].isupper() and after.is_alpha or after.lower_ == "of"):
                continue
            if any(t.lower_ in banned for t in name) or in_headline(name, text):
                continue
            if _spoken_of_as_therapy(doc, start, end, cues):
                found.append(NamedMatch(rule, start, end, name.text.lower()))
    return sorted(found, key=lambda m: m.start)


def _singular(word: str) -> str:
    return word[:-3] + "y" if word.endswith("ies") else word


def suffixed_procedures(
    doc: Doc, text: str, rules: list[SuffixRule], taken: list[bool]
) -> list[tuple[SuffixRule, int, str]]:
    """``(rule, token, canonical)`` for every one-word procedure name told by its ending
    ("subchondroplasty") that no lexicon match covers, in text order. ``text`` is ``doc.text``."""
    found: list[tuple[SuffixRule, int, str]] = []
    # One search of the text for the endings, not a look at every token; a case-blind search is
    # three times slower than one of the lower-cased text (when lower-casing keeps the offsets).
    lowered = text.lower()
    flags = 0 if len(lowered) == len(text) else re.IGNORECASE
    searched = lowered if not flags else text
    for rule in rules:
        banned = frozenset(rule.not_words)
        ending = "|".join(re.escape(s) for s in rule.suffixes)
        for match in re.finditer(rf"(?:{ending})\b", searched, flags):
            start = match.start()
            while start > 0 and text[start - 1].isalpha():
                start -= 1
            span = doc.char_span(start, match.end())
            word = text[start : match.end()].lower()
            if span is None or len(span) != 1 or taken[span.start] or len(word) < rule.min_length or word in banned:
                continue
            found.append((rule, span.start, _singular(word)))
    return sorted(found, key=lambda f: f[1])


def _plain_noun(doc: Doc, i: int, head: int, text: str) -> bool:
    """Token ``i`` is a common noun that modifies the noun phrase of ``head``, written in lower case
    (a capital is a name's: "JAMA Surgery", "the Zorb Surgery Center"; a headline's and a sentence's
    first capital do not count)."""
    token = doc[i]
    # the tagger calls a rare noun before another one an adjective, but still a compound ("tinnitus")
    noun = token.pos_ in ("NOUN", "PROPN") or (token.pos_ == "ADJ" and token.dep_ == "compound")
    if not (token.is_alpha and noun and not token.is_stop and len(token) > 2):
        return False
    if not (i < token.head.i <= head):
        return False
    if token.text == token.lower_:
        return token.pos_ != "PROPN"
    if token.text[1:] != token.text[1:].lower():
        return False
    # the tagger reads a headline's capitalised nouns as names
    return (token.is_sent_start and token.pos_ != "PROPN") or in_headline(doc[i : head + 1], text)


def _modifier_start(doc: Doc, head: int, rule: HeadRule, banned: frozenset[str], text: str) -> int | None:
    """The first token of the modifier before ``head`` that ``rule`` allows, or None."""
    if rule.compound_suffixes:
        # "soy-based diets": word, hyphen, suffix, glued together
        first = head - 3
        if first < 0:
            return None
        word, hyphen, suffix = doc[first], doc[first + 1], doc[head - 1]
        glued = not word.whitespace_ and not hyphen.whitespace_
        if not (glued and hyphen.text == "-" and suffix.lower_ in rule.compound_suffixes):
            return None
        if not (word.is_alpha and word.text == word.lower_ and len(word) > 2) or word.lower_ in banned:
            return None
        return first
    if rule.modifiers:
        allowed = frozenset(rule.modifiers)
        for width in range(_MAX_MODIFIER_WORDS, 0, -1):
            first = head - width
            if first >= 0 and text[doc[first].idx : doc[head - 1].idx + len(doc[head - 1])].lower() in allowed:
                return first
        return None
    start = head
    while start > 0 and head - start < _MAX_MODIFIER_WORDS and _plain_noun(doc, start - 1, head, text):
        start -= 1
    if start == head or any(doc[k].lower_ in banned for k in range(start, head)):
        return None
    return start


def headed_procedures(
    doc: Doc, text: str, rules: list[HeadRule], taken: list[bool]
) -> list[tuple[HeadRule, int, int, str]]:
    """``(rule, start, end, canonical)`` for every procedure told by a modifier and a head noun
    ("zorbitis surgery") that no lexicon match covers, in text order. ``text`` is ``doc.text``."""
    found: list[tuple[HeadRule, int, int, str]] = []
    for rule in rules:
        heads, banned, cues = frozenset(rule.heads), frozenset(rule.not_modifiers), frozenset(rule.cues)
        for token in doc:
            if token.lower_ not in heads or token.pos_ != "NOUN" or taken[token.i]:
                continue
            start = _modifier_start(doc, token.i, rule, banned, text)
            if start is None or any(taken[start : token.i]):
                continue
            if cues and not _spoken_of_as_therapy(doc, start, token.i + 1, cues):
                continue
            modifier = text[doc[start].idx : doc[token.i - 1].idx + len(doc[token.i - 1])].lower()
            found.append((rule, start, token.i + 1, f"{modifier} {rule.canonical_head}"))
    return sorted(found, key=lambda f: f[1])
