"""Claim links and scores: which citations a claim relies on, and how check-worthy it is.

Split from ``claims.py`` (which decides what is a claim): linking walks sentences in reading
order and follows "the authors" / "the study" back to a cited work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from healthclaims.types import ClaimHit

if TYPE_CHECKING:
    from spacy.tokens import Span

    from healthclaims.components.claims.component import _Unit


# -- citations --------------------------------------------------------------------------


def explicit_citations(sents: list[Span], citations: list, mentions: bool = True) -> list[set[int]]:
    """Citations whose span (or, with ``mentions``, one of whose mentions) lies in each sentence."""
    spans = []
    for c_index, citation in enumerate(citations):
        spans.append((citation.start, citation.end, c_index))
        if mentions:
            spans.extend((m.start, m.end, c_index) for m in citation.mentions)
    spans.sort()
    found: list[set[int]] = [set() for _ in sents]
    j = 0
    for i, sent in enumerate(sents):
        while j < len(spans) and spans[j][1] <= sent.start_char:
            j += 1
        k = j
        while k < len(spans) and spans[k][0] < sent.end_char:
            if spans[k][1] > sent.start_char:
                found[i].add(spans[k][2])
            k += 1
    return found


def link_citations(sents, paragraph, sent_cites, sent_refs, by_sent, citations) -> list[list[int]]:
    """Citations each sentence relies on, in reading order.

    A sentence's own citation comes first; then a study reference ("the authors", "the
    trial") resolved to the nearest cited work; then a citation (its main span, not a mere
    "the study" mention) in the adjacent sentence of the same paragraph. A paragraph that reports a cited study's results keeps citing it
    sentence after sentence, and a later paragraph picks it up again when it talks about the
    study's groups ("the placebo group", "participants"). Vague appeals ("studies show")
    name no work and break the chain.
    """
    linked: list[list[int]] = [[] for _ in sents]
    if not citations:
        return linked
    active: list[int] = []
    active_para = -1
    for i in range(len(sents)):
        labels = {h.label for h in by_sent[i]}
        own: list[int] = sorted(sent_cites[i])
        if not own and "study_ref" in labels and "outside" not in labels:
            own = [nearest_citation(i, sents, sent_cites)]
        if not own and "vague_source" in labels:
            active = []
            continue
        if not own:
            adjacent: set[int] = set()
            for j in (i - 1, i + 1):
                if 0 <= j < len(sents) and paragraph[j] == paragraph[i]:
                    adjacent |= sent_refs[j]
            own = sorted(adjacent)
        if not own and active and (paragraph[i] == active_para or "cohort_ref" in labels):
            own = active
        if own:
            active, active_para = own, paragraph[i]
        linked[i] = own
    return linked


def nearest_citation(i: int, sents, sent_cites) -> int:
    """The citation last mentioned before sentence ``i`` (or, when none is, the first one after)."""
    for j in range(i - 1, -1, -1):
        if sent_cites[j]:
            return max(sent_cites[j])
    for j in range(i + 1, len(sents)):
        if sent_cites[j]:
            return min(sent_cites[j])
    return 0


# -- score ------------------------------------------------------------------------------


def check_worthiness(claim: ClaimHit, unit: _Unit) -> float:
    """How much a fact-checker gains from checking the claim: a transparent sum, capped at 1.

    0.3 for any claim; +0.2 when it states a number; +0.2 for an efficacy, safety or
    regulatory claim; +0.15 when it is cited (checkable against its source); +0.1 when
    a named speaker makes it; -0.1 when it is hedged (it commits to less).
    """
    score = 0.3
    if any(h.label == "statistic" for h in unit.hits):
        score += 0.2
    if claim.type in {"efficacy", "safety", "regulatory"}:
        score += 0.2
    if claim.citations:
        score += 0.15
    if claim.speaker is not None:
        score += 0.1
    if claim.hedged:
        score -= 0.1
    return round(min(1.0, max(0.0, score)), 2)
