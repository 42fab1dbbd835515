"""The article-level summary a reviewer reads first: how the claims stand against the literature."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from healthclaims.records import models as R


def build_summary(record: R.Record) -> R.ArticleSummary:
    """Count the claims with resolved evidence, with only unresolved or ambiguous citations, and
    with no citation, and each check code (fields filled by other steps are kept)."""
    status = {c.id: (c.resolved.status if c.resolved else "unresolved") for c in record.citations}
    resolved = unresolved = uncited = 0
    codes: Counter[str] = Counter()
    for claim in record.claims:
        if not claim.citation_ids:
            uncited += 1
        elif any(status.get(cid) == "resolved" for cid in claim.citation_ids):
            resolved += 1
        else:
            unresolved += 1
        codes.update(check.code for check in claim.checks)
    previous = record.summary or R.ArticleSummary()
    headline, body, paper = strengths(record)
    return previous.model_copy(update={
        "claims": len(record.claims), "claims_with_resolved_evidence": resolved,
        "claims_with_unresolved_citation": unresolved, "claims_uncited": uncited,
        "check_counts": dict(sorted(codes.items())),
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
