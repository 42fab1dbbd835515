"""The article-level summary a reviewer reads first: how the claims stand against the literature."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from healthclaims.records import models as R


@dataclass
class ClaimCounts:
    """How an article's claims stand against the literature (the summary, the report and the database share it)."""

    resolved: int = 0  # claims with at least one citation resolved to a paper
    unresolved: int = 0  # cited claims whose citations are all unresolved or ambiguous
    uncited: int = 0
    check_counts: dict[str, int] = field(default_factory=dict)


def claim_counts(record: R.Record) -> ClaimCounts:
    """Count the claims with resolved evidence, with only unresolved or ambiguous citations, and
    with no citation, and each check code."""
    status = {c.id: (c.resolved.status if c.resolved else "unresolved") for c in record.citations}
    counts = ClaimCounts()
    codes: Counter[str] = Counter()
    for claim in record.claims:
        if not claim.citation_ids:
            counts.uncited += 1
        elif any(status.get(cid) == "resolved" for cid in claim.citation_ids):
            counts.resolved += 1
        else:
            counts.unresolved += 1
        codes.update(check.code for check in claim.checks)
    counts.check_counts = dict(sorted(codes.items()))
    return counts


def build_summary(record: R.Record) -> R.ArticleSummary:
    """The record's summary: its claim counts and the headline, body and paper strengths."""
    counts = claim_counts(record)
    headline, body, paper = strengths(record)
    previous = record.summary or R.ArticleSummary()
    return previous.model_copy(update={
        "claims": len(record.claims), "claims_with_resolved_evidence": counts.resolved,
        "claims_with_unresolved_citation": counts.unresolved, "claims_uncited": counts.uncited,
        "check_counts": counts.check_counts,
        "headline_strength": headline, "body_strength": body, "paper_strength": paper,
    })


_RANK = {"none": 0, "correlational": 1, "conditional_causal": 2, "causal": 3}


def strengths(record: R.Record) -> tuple[str | None, str | None, str | None]:
    """The strength of the headline's claim, the strongest body claim, and the strongest conclusion of
    the papers the claims resolve to (None where there is no headline claim, no claim, or no abstract)."""
    title_end = len(record.article.title or "") if record.article.text.startswith(record.article.title or "\0") else 0
    headline = [c.strength for c in record.claims if c.end <= title_end]
    body = [c.strength for c in record.claims if c.start >= title_end]
    papers = []
    for c in record.citations:
        r = c.resolved
        if r and r.status == "resolved" and r.abstract:
            from healthclaims.linking.checks import _conclusion_strength

            found = _conclusion_strength(r.abstract)
            if found is not None:
                papers.append(found.label)
    return _strongest(headline), _strongest(body), _strongest(papers)


def _strongest(labels: Sequence[str]) -> str | None:
    return max(labels, key=_RANK.__getitem__) if labels else None
