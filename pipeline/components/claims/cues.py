"""Hedges, negation and speakers of a claim: the cues that qualify it and who makes it.

Hedges count anywhere in the claim; a negation only when it sits on the main predicate (or the
clause a finding or reporting verb introduces), not inside a side clause.
"""

from __future__ import annotations

from healthclaims.components.claims.design import SUBJECT_DEPS
from healthclaims.components.claims.units import Unit, inside, root
from healthclaims.components.common import doc_text
from healthclaims.types import ClaimHit, Mention, QuoteHit, SpeakerHit
from spacy.tokens import Doc

NEGATING_DETS = frozenset({"no", "none", "neither", "nor", "nothing", "nobody", "never"})
ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "acomp", "oprd", "npadvmod"})

Cue = tuple[str, int, int]  # rule id, token start, token end


def _mention(doc: Doc, start: int, end: int) -> Mention:
    return Mention.of(doc_text(doc), doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))


def mark_hedges(doc: Doc, claim: ClaimHit, unit: Unit, hedges: list[Cue]) -> None:
    """Record every hedge cue inside the unit on the claim (``hedged``, ``hedge_cues``, triggers)."""
    for rule_id, start, end in hedges:
        if inside(doc, start, end, unit):
            claim.hedge_cues.append(_mention(doc, start, end))
            claim.triggers.append(rule_id)
    claim.hedged = bool(claim.hedge_cues)


def mark_negation(doc: Doc, claim: ClaimHit, unit: Unit, negations: list[Cue]) -> None:
    """Record the negation cues that attach to the claim's main predicates."""
    head = root(doc, unit)
    if head is None:
        return
    predicates = {head}
    for child in head.children:
        if child.dep_ in {"ccomp", "xcomp", "conj"} and child.pos_ in {"VERB", "AUX"}:
            predicates.add(child)
    # "X, researchers said" and "researchers found that X": the reported clause carries the claim.
    if head.dep_ == "ROOT":
        predicates |= {g for child in predicates for g in child.children if g.dep_ in {"ccomp", "xcomp"}}
    for rule_id, start, end in negations:
        if not inside(doc, start, end, unit):
            continue
        cue = doc[start]
        attached = cue.head in predicates or cue in predicates
        if not attached and cue.lower_ in NEGATING_DETS:
            attached = cue.head.dep_ in ARGUMENT_DEPS and cue.head.head in predicates
        if attached:
            claim.negation_cues.append(_mention(doc, start, end))
            claim.triggers.append(rule_id)
    claim.negated = bool(claim.negation_cues)


def mark_speaker(doc: Doc, claim: ClaimHit, unit: Unit, quotes: list[QuoteHit], speakers: list[SpeakerHit]) -> None:
    """Who makes the claim: the speaker of its quote, of an indirect quote covering it, or the named
    subject of its reporting verb."""
    if unit.quote is not None:
        claim.speaker = quotes[unit.quote].speaker
        return
    best = None
    for q_index, quote in enumerate(quotes):
        overlap = min(quote.end, unit.end) - max(quote.start, unit.start)
        if overlap <= 0:
            continue
        if quote.kind == "indirect" and overlap >= 0.5 * (unit.end - unit.start):
            best = q_index
            break
        if best is None and quote.kind == "direct":
            best = q_index
    if best is not None:
        claim.quote = best
        claim.speaker = quotes[best].speaker
        return
    claim.speaker = _reporting_subject(doc, unit, speakers)


def _reporting_subject(doc: Doc, unit: Unit, speakers: list[SpeakerHit]) -> int | None:
    for s_index, speaker in enumerate(speakers):
        for mention in speaker.mentions:
            if not (unit.start <= mention.start and mention.end <= unit.end):
                continue
            token = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if (
                token is not None
                and token.root.dep_ in SUBJECT_DEPS
                and any(h.label == "reporting" and h.start == token.root.head.i for h in unit.hits)
            ):
                return s_index
    return None
