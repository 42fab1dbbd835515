"""How much a fact-checker gains from checking a claim: a transparent sum of its features."""

from __future__ import annotations

from healthclaims.components.claims.units import Unit
from healthclaims.types import ClaimHit


def check_worthiness(claim: ClaimHit, unit: Unit) -> float:
    """A score in [0, 1], rounded to two places.

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
