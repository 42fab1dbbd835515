"""Which citations each sentence relies on: its own, the study "the authors" / "the study" refers to,
the one an adjacent sentence cites, and the study a paragraph keeps reporting.

Linking reads only sentences, citation spans and rule hits, so it works on any Doc with sentences.
"""

from __future__ import annotations

from collections.abc import Sequence

from healthclaims.components.claims.rules import RuleHit
from healthclaims.types import CitationHit
from spacy.tokens import Span


def explicit_citations(sents: Sequence[Span], citations: list[CitationHit], mentions: bool = True) -> list[set[int]]:
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


def nearest_citation(i: int, sent_cites: Sequence[set[int]]) -> int:
    """The citation last mentioned before sentence ``i`` (or, when none is, the first one after)."""
    for j in range(i - 1, -1, -1):
        if sent_cites[j]:
            return max(sent_cites[j])
    for j in range(i + 1, len(sent_cites)):
        if sent_cites[j]:
            return min(sent_cites[j])
    return 0


def link_citations(
    sents: Sequence[Span],
    paragraph: Sequence[int],
    hits: dict[int, list[RuleHit]],
    citations: list[CitationHit],
) -> list[list[int]]:
    """Citations each sentence relies on, in reading order.

    A sentence's own citation comes first; then a study reference ("the authors", "the
    trial") resolved to the nearest cited work; then a citation (its main span, not a mere
    "the study" mention) in the adjacent sentence of the same paragraph. A paragraph that reports a
    cited study's results keeps citing it sentence after sentence, and a later paragraph picks it up
    again when it talks about the study's groups ("the placebo group", "participants"). Vague appeals
    ("studies show") name no work and break the chain.
    """
    linked: list[list[int]] = [[] for _ in sents]
    if not citations:
        return linked
    sent_cites = explicit_citations(sents, citations)
    sent_refs = explicit_citations(sents, citations, mentions=False)
    active: list[int] = []
    active_para = -1
    for i in range(len(sents)):
        labels = {h.label for h in hits.get(i, ())}
        own: list[int] = sorted(sent_cites[i])
        if not own and "study_ref" in labels and "outside" not in labels:
            own = [nearest_citation(i, sent_cites)]
        if not own and "vague_source" in labels:
            active = []
            continue
        if not own:
            own = _adjacent(i, paragraph, sent_refs)
        if not own and active and (paragraph[i] == active_para or "cohort_ref" in labels):
            own = active
        if own:
            active, active_para = own, paragraph[i]
        linked[i] = own
    return linked


def _adjacent(i: int, paragraph: Sequence[int], sent_refs: Sequence[set[int]]) -> list[int]:
    """Citations in the sentences just before and after ``i`` within its paragraph."""
    adjacent: set[int] = set()
    for j in (i - 1, i + 1):
        if 0 <= j < len(paragraph) and paragraph[j] == paragraph[i]:
            adjacent |= sent_refs[j]
    return sorted(adjacent)
