"""The two sides of citation resolution: a ``Paper`` (from a library file, PubMed or Crossref)
and the ``CitationEvidence`` an article gives about the work it cites.

Every reader and every source produces ``Paper``; every matcher consumes ``CitationEvidence``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Author:
    family: str
    given: str | None = None  # given names or initials, as the source has them
    affiliation: str | None = None


@dataclass
class Paper:
    """One bibliographic record, normalised across sources."""

    source: str  # library file path, "pubmed" or "crossref"
    pmid: str | None = None
    doi: str | None = None  # lower case, no "https://doi.org/" prefix
    title: str | None = None
    journal: str | None = None  # full title where known
    journal_abbrev: str | None = None  # MEDLINE/ISO abbreviation where known
    year: int | None = None
    authors: list[Author] = field(default_factory=list)
    publication_types: list[str] = field(default_factory=list)
    mesh: list[str] = field(default_factory=list)  # "*" prefix marks a major topic
    keywords: list[str] = field(default_factory=list)
    abstract: str | None = None
    retracted: bool = False
    corrected: bool = False
    position: str | None = None  # where in its file the entry was ("entry 12", "line 340")


@dataclass
class CitationEvidence:
    """What the article says about one cited work: every field optional."""

    citation_id: str
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    first_author: str | None = None
    et_al: bool = False
    #: people the article names as the study's authors ("lead author Dr Jane Smith, of X")
    named_authors: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    #: other people the article quotes (a study's authors are often quoted without a role)
    other_people: list[str] = field(default_factory=list)
    venue: str | None = None
    year: int | None = None  # stated, or resolved from the article's date ("published Monday")
    year_from_article_date: bool = False
    study_type: str | None = None
    #: content words of the claims that rely on the citation, and of the citation's own sentence
    topic_words: list[str] = field(default_factory=list)
