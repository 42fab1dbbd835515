"""The PubMed search string of a citation, built only from what the article states about the work."""

from __future__ import annotations

import re

from healthclaims.components.citations.data import StudyType, Venue
from healthclaims.components.citations.work import Work


def pubmed_query(work: Work, venues: dict[str, Venue], study_types: dict[str, StudyType]) -> str | None:
    """A PubMed query a reviewer can paste: identifiers alone, else author, year, journal and design.

    None for an organisation's figures, and when neither an author nor a journal narrows the search.
    """
    if work.doi:
        return f"{work.doi}[doi]"
    if work.pmid:
        return f"{work.pmid}[pmid]"
    if work.group == "org":
        return None
    parts = []
    if work.first_author:
        parts.append(f"{work.first_author}[au]")
    if work.year:
        parts.append(f"{work.year}[dp]")
    known = venues.get(work.venue_key or "")
    if work.venue and (known.kind == "journal" if known else work.journal):
        name = re.sub(r"^(?:the|The)\s+", "", work.venue).replace("&", "and")
        parts.append(f'"{name}"[journal]')
    study = next((s for s in study_types.values() if s.study_type == work.study_type), None)
    if study is not None and study.pubmed:
        parts.append(f'"{study.pubmed}"[pt]')
    if not work.first_author and not any("[journal]" in p for p in parts):
        return None
    return " AND ".join(parts)
