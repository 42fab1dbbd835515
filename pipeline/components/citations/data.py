"""The citations extractor's rule files as validated pydantic models.

``citation_patterns.jsonl`` holds word lists, token patterns and regular expressions; every
behaviour that differs between rules of one label is a field of the rule here, never its id
tested in Python, so renaming a rule changes only the ``rule`` string of the records.
"""

from __future__ import annotations

import re
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
    #: Token patterns only: the matched first token's syntactic head must be in this word list
    #: (the label of a words rule), as "in" must hang off "published" to lead to a journal.
    head_in: str | None = None
    #: VENUE_NAMED: "match" when the name starts at the match ("Journal of the X"), "end" when it
    #: starts at the last matched token ("the journal X").
    venue_from: Literal["match", "end"] = "end"
    #: REFERENCE_VENUE and MEETING: whether the venue found is a journal, searched as [journal].
    journal: bool = True
    #: SOURCE_LINE: the works on such a line are the article's main study (a news wire's source box).
    main_study: bool = False
    #: ORG_SOURCE: where the organisation's name is: "after" the match ("according to the X"),
    #: or the "subject" of the matched verb ("the X estimates"); "bare" is "after" with no "the"
    #: ("according to FDA"), where only a name that is surely a body (not a person) counts.
    org_name: Literal["after", "bare", "subject"] = "after"
    #: AUTHOR_CUE: where the first author's name starts: "after" the cue ("lead author Jane Roe")
    #: or at its "last" token ("authors, Jane Roe and ...").
    name_at: Literal["after", "last"] = "after"
    #: AUTHOR_CUE: how surely the cue names the first author; a higher rank is read first, so
    #: "first author Jane Roe" wins over "a team led by Bob Doe" (the lab head) for one work.
    rank: int = 0
    #: AUTHOR_CUE: the cue names the first author only after "the" or no article: "a study author"
    #: is one of several (while "a lead author" still leads).
    definite: bool = False
    #: POINTER: the match brings in a work of its own though no indefinite word opens it
    #: ("Research by Ann Roe has found ...": Roe's work, not a later mention of the story's study).
    introduces: bool = False

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
        if self.head_in is not None and self.pattern is None:
            raise ValueError("head_in applies to token patterns only")
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


#: A step matching any run of whitespace tokens ("the  study" with two spaces has a SPACE token).
_SPACES: dict[str, Any] = {"IS_SPACE": True, "OP": "*"}


def space_tolerant(pattern: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The pattern with an optional run of whitespace tokens allowed between its steps.

    spaCy makes a token of every extra space or line break, so a double space between "the"
    and "research" would otherwise break every two-word pattern.
    """
    out: list[dict[str, Any]] = []
    for k, step in enumerate(pattern):
        if k and not step.get("IS_SPACE") and not out[-1].get("IS_SPACE"):
            out.append(dict(_SPACES))
        out.append(step)
    return out
