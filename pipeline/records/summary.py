"""The article-level summary a reviewer reads first: how the claims stand against the literature."""

from __future__ import annotations

from collections import Counter

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
    return previous.model_copy(update={
        "claims": len(record.claims), "claims_with_resolved_evidence": resolved,
        "claims_with_unresolved_citation": unresolved, "claims_uncited": uncited,
        "check_counts": dict(sorted(codes.items())),
    })
