"""Shared by the citation tests: the citations the pipeline finds in a text, each span checked."""

from __future__ import annotations

from healthclaims.types import CitationHit


def cites(nlp, text: str) -> list[CitationHit]:
    """The citation hits of ``text``, in text order, each one's text exactly its span."""
    doc = nlp(text)
    hits = doc._.hc_citations
    for hit in hits:
        assert doc.text[hit.start : hit.end] == hit.text
    assert [h.start for h in hits] == sorted(h.start for h in hits)
    return hits
