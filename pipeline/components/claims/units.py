"""Claim candidates: a sentence trimmed of page furniture, or the direct quotes that make it up.

A unit knows its rule hits and its main clause's root (found once); every later step reads these.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from healthclaims.components.claims.rules import RuleHit
from healthclaims.types import Mention, QuoteHit, outside_spans
from spacy.tokens import Doc, Span, Token

#: A quoted stretch shorter than this many words is a phrase inside a sentence, not a claim of its own.
MIN_QUOTE_WORDS = 3


@dataclass
class Unit:
    """A claim candidate: a sentence (trimmed of page furniture) or a direct quote inside it."""

    sent: int
    start: int  # char offsets
    end: int
    quote: int | None = None
    hits: list[RuleHit] = field(default_factory=list)
    head: Token | None = None  # the main clause's root token, found once (see ``root``)
    headless: bool = False

    def labels(self) -> set[str]:
        """The labels of the rules that matched inside the unit."""
        return {h.label for h in self.hits}


def inside(doc: Doc, start: int, end: int, unit: Unit) -> bool:
    """True when tokens ``start:end`` lie within the unit's characters."""
    return doc[start].idx >= unit.start and doc[end - 1].idx + len(doc[end - 1]) <= unit.end


#: Labels of verb cues that state a result only when finite: "to find a way" names a goal.
GOAL_LABELS = frozenset({"finding", "experience"})


def is_goal(doc: Doc, hit: RuleHit) -> bool:
    """A finding verb that states no result: a bare infinitive ("we wanted to find a way", "a study to
    show whether"), what someone set out to do; a participle describing a noun ("fractures found on
    X-rays", "an estimated 2 million adults"), how something was seen or counted; or an impersonal
    present passive ("it is estimated to affect ..."), a background figure no one in the story found."""
    token = doc[hit.start]
    if hit.label not in GOAL_LABELS:
        return False
    if token.tag_ == "VB" and token.i > 0 and doc[token.i - 1].lower_ == "to":
        return True
    if token.tag_ == "VBN" and token.dep_ == "amod":
        return True
    if _impersonal(token):
        return True
    # the tagger often reads the second of two such participles as a past tense ("reported ... or found in")
    participle = token.tag_ == "VBN" and token.dep_ == "acl"
    joined = token.tag_ in {"VBN", "VBD"} and token.dep_ == "conj" and token.head.dep_ == "acl" and token.head.tag_ == "VBN"
    return (participle or joined) and not any(c.dep_ == "ccomp" for c in token.children)


def _impersonal(verb: Token) -> bool:
    """"It is estimated that ...", "it is thought to ...": a present passive whose subject is a bare "it"."""
    present = any(c.dep_ == "auxpass" and c.tag_ in {"VBZ", "VBP"} for c in verb.children)
    return verb.tag_ == "VBN" and present and any(c.dep_ == "nsubjpass" and c.lower_ == "it" for c in verb.children)


def units_of(text: str, index: int, sent: Span, quotes: list[QuoteHit], boilerplate: list[Mention]) -> list[Unit]:
    """The claim candidates of sentence ``index``.

    A sentence that is mostly direct quotation gives the quoted words as its candidates (ANNOTATION.md:
    for a quote, the claim is the quoted span); a quote running over several sentences is cut at the
    sentence boundaries, so each quoted sentence is a candidate of its own.
    """
    bounds = outside_spans(text, sent.start_char, sent.end_char, boilerplate)
    if bounds is None:
        return []
    start, end = bounds
    pieces = []
    for q_index, quote in enumerate(quotes):
        if quote.kind != "direct" or quote.end <= start or quote.start >= end:
            continue
        q_start, q_end = max(start, quote.start), min(end, quote.end)
        while q_end > q_start and text[q_end - 1].isspace():
            q_end -= 1
        if len(text[q_start:q_end].split()) >= MIN_QUOTE_WORDS:
            pieces.append(Unit(index, q_start, q_end, q_index))
    if pieces and sum(p.end - p.start for p in pieces) >= 0.5 * (end - start):
        return pieces
    return [Unit(index, start, end)]


def span_of(doc: Doc, unit: Unit) -> Span | None:
    """The tokens covering the unit (expanded to token boundaries)."""
    return doc.char_span(unit.start, unit.end, alignment_mode="expand")


def root(doc: Doc, unit: Unit) -> Token | None:
    """The unit's main-clause root: its first token whose head lies outside it (cached on the unit)."""
    if unit.head is not None or unit.headless:
        return unit.head
    span = span_of(doc, unit)
    found = None
    if span is not None and len(span):
        for token in span:
            outside = token.head == token or not (span.start <= token.head.i < span.end)
            if outside and not token.is_punct:
                found = token
                break
    unit.head, unit.headless = found, found is None
    return found
