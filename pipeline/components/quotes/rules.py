"""The quotes component's word lists: reporting verbs and speaker words, validated on load.

``reporting_verbs.jsonl`` is the one list of reporting verbs; ``speaker_titles.jsonl`` holds the
words that name, describe or rule out a speaker (titles, pronouns, groups, documents).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict
from spacy.tokens import Token

from healthclaims.resources import PARTICLES_FILE, NameParticle, load_resource

VERBS_FILE = "reporting_verbs.jsonl"
SPEAKERS_FILE = "speaker_titles.jsonl"


class ReportingVerb(BaseModel):
    """One line of ``models/reporting_verbs.jsonl``."""

    model_config = ConfigDict(extra="forbid")
    form: str
    lemma: str
    particle: str | None = None
    direct: bool = True
    indirect: bool = True
    needs_clause: bool = False
    reports_object: bool = False
    addressee: bool = False  # its object is the one spoken to, never the speaker ("told Reuters")
    # Constructions besides a clause through which a needs_clause verb reports: "infinitive" ("urged
    # them to rest", "claimed to have cured"), "as" ("described the risk as small"), "complement" ("called
    # the drug a breakthrough"), "advice" (a person's noun object: "recommended a second injection"),
    # "findings" (a document noun as object: "presented the results"), "for" ("called for a ban"),
    # "from" (a gerund one is kept from: "discouraged patients from using it").
    frames: tuple[Literal["infinitive", "as", "complement", "advice", "findings", "for", "from"], ...] = ()


class SpeakerWord(BaseModel):
    """One line of ``models/speaker_titles.jsonl``."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal[
        "title",
        "role_word",
        "role_modifier",
        "pronoun",
        "group",
        "person_noun",
        "organization",
        "vague",
        "document",
        "experience",
        "work_cue",
        "work_after",
        "term_cue",
        "degree",
    ]
    word: str
    gender: Literal["m", "f", "x"] | None = None
    plural: bool = False
    bare: bool = False  # a group word that names a study team even without "the" ("researchers found")
    means: str | None = None  # the full word an abbreviation stands for ("sen." -> "senator")


@dataclass(frozen=True)
class Lexicon:
    """The speaker word lists, grouped by kind."""

    words: dict[str, frozenset[str]]
    plural: frozenset[str]  # plural pronouns, and plurals of people that a numeral makes definite
    bare_groups: frozenset[str]
    experience: tuple[re.Pattern[str], ...]
    genders: dict[str, str]  # pronouns and titles that tell a gender ("she", "mrs.") -> m | f
    means: dict[str, str]  # abbreviations -> full words ("sen." -> "senator")

    def has(self, kind: str, word: str) -> bool:
        """Whether ``word`` (lower case) is listed under ``kind``."""
        return word in self.words.get(kind, frozenset())


def build_lexicon(entries: Iterable[SpeakerWord], particles: Iterable[NameParticle] = ()) -> Lexicon:
    """Group validated speaker words by kind; surname particles are kind ``name_particle``."""
    grouped: dict[str, set[str]] = {}
    plural: set[str] = set()
    bare: set[str] = set()
    genders: dict[str, str] = {}
    means: dict[str, str] = {}
    patterns: list[re.Pattern[str]] = []
    for entry in entries:
        if entry.kind == "experience":
            patterns.append(re.compile(entry.word, re.IGNORECASE))
            continue
        word = entry.word.lower()
        grouped.setdefault(entry.kind, set()).add(word)
        if entry.plural:
            plural.add(word)
        if entry.bare:
            bare.add(word)
        if entry.gender in ("m", "f"):
            genders[word] = entry.gender
        if entry.means:
            means[word] = entry.means.lower()
    grouped.setdefault("name_particle", set()).update(p.word.lower() for p in particles)
    return Lexicon(
        {k: frozenset(v) for k, v in grouped.items()}, frozenset(plural), frozenset(bare), tuple(patterns), genders, means
    )


@dataclass(frozen=True)
class QuoteRules:
    """Everything the quote finders look up: reporting verbs by form, and the speaker lexicon."""

    verbs: dict[str, ReportingVerb]
    lex: Lexicon

    def verb(self, token: Token, direct: bool) -> ReportingVerb | None:
        """The reporting verb ``token`` is, for a direct quote or for reported speech, or None."""
        entry = self.verbs.get(token.lower_)
        if entry is None or not token.tag_.startswith("VB") or not (entry.direct if direct else entry.indirect):
            return None
        if token.dep_ == "amod":
            return None  # a participle before a noun reports nothing ("an estimated 2 million", "the reported cases")
        doc = token.doc
        if token.i + 2 < len(doc) and doc[token.i + 1].lower_ in ("no", "yes") and doc[token.i + 2].lower_ == "to":
            return None  # "an FDA panel said no to the patch": a decision, not speech
        if entry.particle:
            nxt = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
            if nxt != entry.particle and not any(
                c.dep_ == "prt" and c.lower_ == entry.particle for c in token.children
            ):
                return None
        return entry

    def is_cue_word(self, low: str) -> bool:
        """Whether a lower-case word can be a reporting verb (whatever its tag)."""
        return low in self.verbs


def make_rules(
    verbs: Iterable[ReportingVerb], words: Iterable[SpeakerWord], particles: Iterable[NameParticle] = ()
) -> QuoteRules:
    """Index validated rule lines into ``QuoteRules``."""
    return QuoteRules({v.form.lower(): v for v in verbs}, build_lexicon(words, particles))


@cache
def default_rules() -> QuoteRules:
    """The rules from the shipped files (for code outside a pipeline, and other components)."""
    return make_rules(
        load_resource(VERBS_FILE, ReportingVerb),
        load_resource(SPEAKERS_FILE, SpeakerWord),
        load_resource(PARTICLES_FILE, NameParticle),
    )


def reporting_forms() -> frozenset[str]:
    """Every reporting-verb form of the shipped list, lower case (for other components' cues)."""
    return frozenset(default_rules().verbs)
