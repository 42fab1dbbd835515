"""Data shapes of the citations extractor: its rule files, a candidate work, and its PubMed query.

Kept apart from ``citations.py`` (which finds and merges the works) so the record-facing
parts, field merging and the query a reviewer pastes into PubMed, read on their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator


class CitationRule(BaseModel):
    """One line of ``models/citation_patterns.jsonl``: a token pattern, a regex or a word list."""

    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    pattern: list[dict[str, Any]] | None = None
    regex: str | None = None
    ignore_case: bool = False
    words: list[str] | None = None

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"invalid regular expression: {exc}") from exc
        return value

    @model_validator(mode="after")
    def _one_body(self) -> CitationRule:
        if sum(x is not None for x in (self.pattern, self.regex, self.words)) != 1:
            raise ValueError("give exactly one of pattern, regex, words")
        return self


class Venue(BaseModel):
    """One line of ``models/venues.jsonl``: a journal, database or meeting as health news names it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    aliases: list[str] = []
    kind: Literal["journal", "database", "preprint", "meeting", "publisher"] = "journal"
    ambiguous: bool = False


class StudyType(BaseModel):
    """One line of ``models/study_types.jsonl``: a study design and the words that reveal it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    study_type: str
    cues: list[str] = []
    patterns: list[list[dict[str, Any]]] = []
    pubmed: str | None = None
    rank: int = 0


@dataclass
class Work:
    """A candidate citation while the document is being read (token or char based)."""

    start: int
    end: int
    kind: str
    rule: str
    strength: int  # 3 formal reference, 2 prose naming a venue, 1 weaker prose, 0 organisation
    group: str = "study"  # study | org | editorial
    venue: str | None = None
    venue_key: str | None = None
    year: int | None = None
    first_author: str | None = None
    et_al: bool = False
    study_type: str | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    recent: bool = False
    journal: bool = True  # the venue is a journal (not a meeting): it goes into the query as [journal]
    same_day: bool = False  # dated like the article itself ("published Monday"): likely the main study
    year_offset: int = 0
    introduced: bool = False  # an indefinite noun ("a study", "another trial") brings in a new work
    number: str | None = None  # the number of a numbered reference ("[2]", "2. Smith J ...")
    members: list[tuple[int, int]] = field(default_factory=list)

    def score(self) -> tuple[int, int, int]:
        """How specific this mention is; the highest-scoring member gives the span."""
        return (
            self.strength,
            (self.venue is not None) + (self.year is not None) + (self.first_author is not None),
            -self.start,
        )


WS = re.compile(r"\s+")

#: Words between "published in" and a journal's name ("in the peer-reviewed medical journal \"Cell\"").
VENUE_LEAD = frozenset(
    [
        "the",
        "journal",
        "journals",
        "scientific",
        "medical",
        "peer",
        "-",
        "reviewed",
        "peer-reviewed",
        "online",
        '"',
        "“",
        "‘",
        "'",
    ]
)


def expand_first(pattern: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Split a leading ``{"LOWER"|"ORTH": {"IN": [...]}}`` into one pattern per word.

    The Matcher tests every token against each pattern's first step; a plain attribute value is
    compared in C, while an IN set calls back into Python, which made the component slow.
    """
    first = pattern[0]
    if len(first) != 1:
        return [pattern]
    ((attr, value),) = first.items()
    if attr not in ("LOWER", "ORTH") or not isinstance(value, dict) or set(value) != {"IN"}:
        return [pattern]
    return [[{attr: word}, *pattern[1:]] for word in value["IN"]]


def merge_fields(rep: Work, cluster: list[Work]) -> Work:
    """A copy of ``rep`` with the fields it lacks taken from the other mentions, strongest first."""
    merged = Work(**{k: getattr(rep, k) for k in rep.__dataclass_fields__ if k != "members"})
    for w in sorted(cluster, key=lambda x: -x.strength):
        for name in ("venue", "year", "first_author", "study_type", "doi", "pmid", "url"):
            if getattr(merged, name) is None and getattr(w, name) is not None:
                setattr(merged, name, getattr(w, name))
                if name == "venue":
                    merged.venue_key, merged.journal = w.venue_key, w.journal
        merged.et_al = merged.et_al or w.et_al
        if merged.year_offset == 0:
            merged.year_offset = w.year_offset
    return merged


def pubmed_query(work: Work, venues: dict[str, Venue], study_types: dict[str, StudyType]) -> str | None:
    """A PubMed search string built only from what the article states about the work."""
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
