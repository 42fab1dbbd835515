"""Which citations each sentence names: its citation spans and mentions, the works that are a body's
figures rather than studies ("according to the agency"), and the nearest work cited before a sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

from healthclaims.components.claims.rules import RuleHit
from healthclaims.types import CitationHit
from spacy.tokens import Doc, Span


def explicit_citations(sents: Sequence[Span], citations: list[CitationHit], mentions: bool = True) -> list[set[int]]:
    """Citations whose span (or, with ``mentions``, one of whose mentions) lies in each sentence."""
    found: list[set[int]] = [set() for _ in sents]
    for i, spans in enumerate(citation_spans(sents, citations, mentions)):
        found[i] = {c for c, _, _ in spans}
    return found


def citation_spans(sents: Sequence[Span], citations: list[CitationHit], mentions: bool = True) -> list[list[tuple]]:
    """``(citation, start, end)`` of every citation span (and mention) overlapping each sentence."""
    spans = []
    for c_index, citation in enumerate(citations):
        spans.append((citation.start, citation.end, c_index))
        if mentions:
            spans.extend((m.start, m.end, c_index) for m in citation.mentions)
    spans.sort()
    found: list[list[tuple]] = [[] for _ in sents]
    j = 0
    for i, sent in enumerate(sents):
        while j < len(spans) and spans[j][1] <= sent.start_char:
            j += 1
        k = j
        while k < len(spans) and spans[k][0] < sent.end_char:
            if spans[k][1] > sent.start_char:
                found[i].append((spans[k][2], spans[k][0], spans[k][1]))
            k += 1
    return found


def nearest_citation(i: int, sent_cites: Sequence[set[int]], forward: bool = False) -> int:
    """The citation last mentioned before sentence ``i`` (or, when none is, the first one after).

    With ``forward`` ("a new study" introduces a work the article names later) the search goes
    forward first.
    """
    before = [max(sent_cites[j]) for j in range(i - 1, -1, -1) if sent_cites[j]]
    after = [min(sent_cites[j]) for j in range(i + 1, len(sent_cites)) if sent_cites[j]]
    order = (after + before) if forward else (before + after)
    return order[0] if order else 0


def own_citations(
    sents: Sequence[Span], hits: dict[int, list[RuleHit]], citations: list[CitationHit], sources: set[int]
) -> list[set[int]]:
    """Citations named in each sentence, leaving out mentions inside a vague or generic appeal, and
    the mention of an organisation source in a sentence that says a source lacks the figure ("the
    agency doesn't break out data, but studies indicate ...")."""
    doc = sents[0].doc if sents else None
    found: list[set[int]] = []
    for i, spans in enumerate(citation_spans(sents, citations)):
        sent_hits = hits.get(i, [])
        # "new research has shown": an appeal inside a specific study reference names that study
        generic = [chars(doc, h) for h in sent_hits if generic_ref(h) and not inside_study_ref(h, sent_hits)]
        lacking = any(h.label == "no_data" for h in sent_hits)
        found.append(
            {
                c
                for c, s, e in spans
                if not any(s < ge and gs < e for gs, ge in generic)
                and not (lacking and c in sources and (s, e) != (citations[c].start, citations[c].end))
            }
        )
    return found


def generic_ref(hit: RuleHit) -> bool:
    """Research in general ("studies show") or a generic study reference: names no work."""
    return hit.label == "vague_source" or (hit.rule is not None and hit.label == "study_ref" and hit.rule.refers == "generic")


def inside_study_ref(hit: RuleHit, hits: list[RuleHit]) -> bool:
    """A vague appeal inside a specific study reference ("new research suggests"): it names that study,
    not research in general."""
    return hit.label == "vague_source" and any(
        h.label == "study_ref" and not generic_ref(h) and h.start < hit.end and hit.start < h.end for h in hits
    )


def chars(doc: Doc | None, hit: RuleHit) -> tuple[int, int]:
    """The character offsets of a rule hit."""
    assert doc is not None
    return doc[hit.start].idx, doc[hit.end - 1].idx + len(doc[hit.end - 1])


def organisation_sources(sents: Sequence[Span], hits: dict[int, list[RuleHit]], citations: list[CitationHit]) -> set[int]:
    """Citations that name a body rather than a study: no author, year or identifier, no journal for a
    venue, and no research word ("study", "trial", "report") or publication cue ("published in") inside them
    outside the body's name ("the American Heart Association" is a body, "an association" a finding)."""
    if not sents:
        return set()
    doc = sents[0].doc
    research: list[tuple[int, int]] = [
        chars(doc, h)
        for sent_hits in hits.values()
        for h in sent_hits
        if h.score_label == "evidence" or h.label == "publication"
    ]
    sources = set()
    for c_index, c in enumerate(citations):
        if c.first_author or c.year or c.study_type or c.doi or c.pmid or c.url:
            continue
        if c.query and "[journal]" in c.query:
            continue  # "the journal Nature Medicine reports": a journal's paper, not a body's figure
        name = _name_span(c)
        # a research word in the body's own name ("Association", "Research Council") is not a research cue
        if not any(c.start < e and s < c.end and not (name[0] <= s and e <= name[1]) for s, e in research):
            sources.add(c_index)
    return sources


def _name_span(citation: CitationHit) -> tuple[int, int]:
    """The character span of the body's name (the venue) inside the citation, or an empty span."""
    at = citation.text.find(citation.venue) if citation.venue else -1
    if at < 0:
        return (0, 0)
    return (citation.start + at, citation.start + at + len(citation.venue or ""))


def attributions(
    sents: Sequence[Span], hits: dict[int, list[RuleHit]], citations: list[CitationHit], sources: set[int]
) -> set[int]:
    """Organisation sources cited by a reporting cue ("according to the agency", "the agency says"):
    a figure attributed to the body in one sentence, not a work the story goes on reporting. A past
    reporting verb ("reported last month in JOURNAL") publishes a work rather than attributes a figure."""
    if not sents:
        return set()
    doc = sents[0].doc
    cues = [
        chars(doc, h)
        for sent_hits in hits.values()
        for h in sent_hits
        if h.label == "reporting" and doc[h.start].tag_ not in {"VBD", "VBN"}
    ]
    return {c for c in sources if any(citations[c].start < e and s < citations[c].end for s, e in cues)}
