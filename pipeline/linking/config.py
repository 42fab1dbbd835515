"""The word lists and weights of citation resolution (``models/linking.json``), validated on load."""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache

from healthclaims.resources import ResourceError, resource_path
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

CONFIG_FILE = "linking.json"


class Weights(BaseModel):
    """Evidence points of each field (negative for a disagreement); ``scale`` maps points to 0-1."""

    model_config = ConfigDict(extra="forbid")

    pmid: float
    doi: float
    first_author: float
    first_author_in_list: float
    named_author: float
    named_author_first_or_last: float
    other_person: float
    #: points against a paper that has none of the people the article calls the study's authors (a negative)
    named_author_mismatch: float = Field(default=0.0, le=0.0)
    affiliation: float
    venue: float
    venue_mismatch: float
    year: float
    year_mismatch: float
    year_article_date: float
    year_article_date_off: float
    study_type: float
    study_type_mismatch: float
    topic: float
    #: points against a paper that shares not one of the article's topic words (given as a negative)
    topic_mismatch: float = Field(default=0.0, le=0.0)
    #: between two close candidates by the same team, points for covering the words that tell them apart
    sibling_topic: float = 0.0
    scale: float = Field(gt=0)


class Decision(BaseModel):
    """A citation is resolved when its best score reaches ``threshold`` and leads by ``margin``,
    or, lower, reaches ``low_threshold`` with the runner-up at most ``runner_up_ratio`` of it."""

    model_config = ConfigDict(extra="forbid")

    threshold: float = Field(ge=0, le=1)
    margin: float = Field(ge=0, le=1)
    #: a weak best score still decides when nothing else comes close (0.30 against 0.12)
    low_threshold: float = Field(default=1.0, ge=0, le=1)
    runner_up_ratio: float = Field(default=0.0, ge=0, le=1)


class Design(BaseModel):
    """A family of study designs and how an article, PubMed and a paper's words name it."""

    model_config = ConfigDict(extra="forbid")

    article: list[str]
    publication_types: list[str]
    mesh: list[str] = []
    words: list[str] = []
    secondary: bool = False  # reviews and meta-analyses: not a primary study
    #: narrower families an article's word for this one also covers (a "review" may be a meta-analysis)
    includes: list[str] = []
    observational: bool = False  # no intervention assigned: cannot show cause


class AnimalCues(BaseModel):
    """What marks animal or cell work in a paper, and what marks a claim as being about people."""

    model_config = ConfigDict(extra="forbid")

    mesh_animal: list[str]
    mesh_human: list[str]
    words_animal: list[str]
    words_cell: list[str]
    claim_people: list[str]
    claim_animal: list[str]


class LinkingConfig(BaseModel):
    """Everything in ``models/linking.json``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    comment: str = Field(default="", alias="_comment")

    @field_validator("spelling")
    @classmethod
    def _compiles(cls, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        for pattern, _ in pairs:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"spelling pattern {pattern!r}: {exc}") from exc
        return pairs
    #: (regex, replacement) pairs applied to every folded word on both sides, so British and
    #: American spellings meet ("leukaemia"/"leukemia", "tumour"/"tumor", "randomised"/"randomized")
    spelling: list[tuple[str, str]]
    news_stop_words: list[str]
    author_role_cues: list[str]
    published_now_cues: list[str]
    institution_words: list[str]
    #: institution words of a research place: a quoted researcher's one there is evidence for a story's one study
    research_place_words: list[str]
    #: institutions holding such a word that are professional bodies, not research places ("Royal College")
    not_research_places: list[str]
    #: roles that speak for an institution rather than work at its research ("spokeswoman for X")
    not_research_roles: list[str] = []
    @field_validator("research_team_words")
    @classmethod
    def _single_lower_words(cls, words: list[str]) -> list[str]:
        for word in words:
            if not re.fullmatch(r"[a-z]+", word):
                raise ValueError(f"research_team_words: {word!r} is not one lower-case word")
        return words
    #: words for a study's team: an institution they are "at" or "from" (or named before them:
    #: "X University scientists") in a one-study story's lead is the study's
    research_team_words: list[str] = Field(default_factory=list)
    #: a venue's last word that makes it a publisher, not a journal ("Cell Press")
    publisher_words: list[str] = Field(default_factory=list)
    weights: Weights
    decision: Decision
    designs: dict[str, Design]
    animal: AnimalCues
    causal_cues: list[str]


    @model_validator(mode="after")
    def _included_designs_exist(self) -> LinkingConfig:
        for name, design in self.designs.items():
            unknown = [f for f in design.includes if f not in self.designs]
            if unknown:
                raise ValueError(f"designs.{name}.includes: no design family {', '.join(unknown)}")
        return self


@lru_cache(maxsize=1)
def load_config() -> LinkingConfig:
    """The linking configuration (cached).

    Raises:
        ResourceError: when the file is missing or does not validate.
    """
    path = resource_path(CONFIG_FILE)
    try:
        return LinkingConfig.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise ResourceError(f"[{path}] cannot read: {exc}") from exc
    except (json.JSONDecodeError, ValidationError) as exc:
        raise ResourceError(f"[{path}] invalid linking configuration: {exc}") from exc


def config_digest() -> str:
    """Hash of ``models/linking.json`` (joins the fingerprint when resolution runs)."""
    return hashlib.sha256(resource_path(CONFIG_FILE).read_bytes()).hexdigest()[:16]
