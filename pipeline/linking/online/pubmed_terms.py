"""ESearch terms built from what an article says about a cited work, strictest first.

PubMed field tags: ``[1au]`` first author, ``[au]`` any author, ``[ta]`` journal, ``[dp]``
publication date, ``[pt]`` publication type, ``[tiab]`` title/abstract words, ``[aid]`` an
article identifier such as a DOI. The strict term uses everything; the looser ones drop the
clauses most likely to be wrong in a news story (study type, venue, exact year).
"""

from __future__ import annotations

import re
from functools import cache

from healthclaims.linking.paper import CitationEvidence

#: At most this many topic words go into one term: more rarely all appear in one abstract.
MAX_TOPIC_WORDS = 3
_NOT_NAME = re.compile(r"^(?:dr|prof|professor|mr|mrs|ms|jr|sr|phd|md|ii|iii)\.?$", re.IGNORECASE)
_QUOTE = re.compile(r'["\[\]]')


@cache
def _publication_types() -> dict[str, str]:
    # The study design -> PubMed [pt] mapping is data in models/study_types.jsonl, read lazily:
    # its module belongs to the extractor, which building a query should not load early.
    from healthclaims.components.citations.data import StudyType
    from healthclaims.resources import load_resource

    return {s.study_type.lower(): s.pubmed for s in load_resource("study_types.jsonl", StudyType) if s.pubmed}


def publication_type(study_type: str | None) -> str | None:
    """The PubMed publication type for a study design the extractor names, if there is one."""
    if not study_type:
        return None
    return _publication_types().get(study_type.strip().lower())


def _phrase(text: str, tag: str) -> str:
    clean = " ".join(_QUOTE.sub(" ", text).split())
    return f'"{clean}"[{tag}]' if " " in clean else f"{clean}[{tag}]"


def author_term(name: str, tag: str = "au") -> str | None:
    """``Family Initials[tag]`` for a name as an article gives it ("Dr. Jane Q. Smith" -> Smith JQ).

    A single word is taken as a family name; "Smith et al." keeps "Smith".
    """
    words = [w for w in re.split(r"\s+", re.sub(r"\bet al\.?", "", name).strip(" ,.")) if w]
    words = [w for w in words if not _NOT_NAME.match(w)]
    if not words:
        return None
    if len(words) == 1:
        return _phrase(words[0], tag)
    # Lower-case particles before the last word belong to the family name ("de la Cruz").
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].islower():
        cut -= 1
    family = " ".join(words[cut:])
    initials = "".join(w[0] for w in words[:cut] if w[0].isalpha() and w[0].isupper())
    return _phrase(f"{family} {initials}" if initials else family, tag)


def _venue(venue: str) -> str:
    return _phrase(re.sub(r"^the\s+", "", venue.strip(), flags=re.IGNORECASE).replace("&", "and"), "ta")


def _date(evidence: CitationEvidence) -> str | None:
    if evidence.year is None:
        return None
    if evidence.year_from_article_date:
        # "Published last week" dates the news story; the paper may be from the year before.
        return f"{evidence.year - 1}:{evidence.year}[dp]"
    return f"{evidence.year}[dp]"


def _topics(evidence: CitationEvidence, count: int) -> list[str]:
    seen: list[str] = []
    for word in evidence.topic_words:
        word = word.strip()
        if len(word) >= 3 and word.lower() not in {s.lower() for s in seen}:
            seen.append(word)
        if len(seen) == count:
            break
    return [_phrase(w, "tiab") for w in seen]


def esearch_terms(evidence: CitationEvidence) -> list[str]:
    """ESearch terms for the evidence, strictest first, without repeats.

    Every term has an author or topic clause plus at least one more clause: a journal and
    year alone would match hundreds of papers.
    """
    first = evidence.first_author or (evidence.named_authors[0] if evidence.named_authors else None)
    au1 = author_term(first, "1au") if first else None
    family = _family(first) if first else None
    others = [author_term(n) for n in evidence.named_authors if _family(n) != family]
    venue = _venue(evidence.venue) if evidence.venue else None
    date = _date(evidence)
    pt = publication_type(evidence.study_type)
    ptype = _phrase(pt, "pt") if pt else None
    topics = _topics(evidence, MAX_TOPIC_WORDS)
    many_topics = len(topics) >= MAX_TOPIC_WORDS

    # (clauses, worth asking): each looser plan needs its own anchor, or it matches too much.
    plans = [
        ([au1, *others, venue, date, ptype, *topics], bool(au1 or topics)),
        ([au1, venue, date], bool(au1 and (venue or date))),
        ([au1, date, *topics[:2]], bool(au1 and topics)),
        ([venue, date, *topics], bool(venue and topics)),
        ([au1, *topics], bool(au1 and topics)),
        ([date, *topics], many_topics),
    ]
    terms: list[str] = []
    for plan, worth in plans:
        clauses = [c for c in plan if c]
        term = " AND ".join(clauses)
        if worth and len(clauses) >= 2 and term not in terms:
            terms.append(term)
    return terms


def _family(name: str | None) -> str | None:
    words = [w for w in re.sub(r"\bet al\.?", "", name or "").split() if not _NOT_NAME.match(w)]
    return words[-1].strip(" ,.").lower() if words else None


def identifier_term(dois: list[str]) -> str:
    """An ESearch term finding the papers with these DOIs."""
    return " OR ".join(f'"{d}"[aid]' for d in dois)
