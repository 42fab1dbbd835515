"""The techniques lexicon: its line models, validation on load, and the surface forms of a phrase.

A lexicon is one or more JSONL files (the hand-curated ``models/techniques.jsonl`` and the
generated ``models/techniques_mesh.jsonl``). Each line is a context rule, a spelling-variant set
or a technique; errors name ``[file:line]``. Within one file an id or a phrase may appear once;
across files the earlier file wins a shared phrase, so curated entries override generated ones.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from healthclaims.components.common import QUOTE_CHARS
from healthclaims.resources import ResourceError, load_jsonl, parse_jsonl, resource_path
from pydantic import BaseModel, ConfigDict, Discriminator, Field, RootModel, Tag, field_validator
from spacy.schemas import validate_token_pattern

#: The curated lexicon and the one generated from MeSH (tools/build_mesh_techniques.py).
LEXICON = "techniques.jsonl"
MESH_LEXICON = "techniques_mesh.jsonl"

Category = Literal[
    "manual_therapy",
    "exercise_therapy",
    "rehabilitation",
    "mind_body",
    "complementary",
    "psychological",
    "education",
    "physical_agent",
    "device",
    "injection",
    "surgery",
    "lifestyle",
    "supportive_care",
]
#: The fixed set of technique categories a lexicon entry may use.
CATEGORIES: tuple[str, ...] = get_args(Category)

ContextName = Literal[
    "not_before",
    "not_after",
    "not_after_of",
    "not_within",
    "not_before_hyphen",
    "during_activity",
    "not_elided",
    "control_arm",
    "role_verb",
    "role_object",
    "fold_filler",
    "fold_contrast",
    "caused_by",
    "intervention_verb",
    "intervention_noun",
    "intervention_conjunct",
]
CONTEXTS: tuple[str, ...] = get_args(ContextName)

#: Quote marks as tokens, the anchors of token patterns that start with {"IS_QUOTE": true}
#: (the tokenizer also emits the two-character TeX-style marks).
QUOTE_TOKENS: tuple[str, ...] = (*QUOTE_CHARS, "``", "''")


def anchor_words(token: dict[str, Any]) -> list[str]:
    """Lower-cased words one of which the first token of a token pattern must be ([] if unknown)."""
    if token.get("OP") not in (None, "1", "+"):
        return []
    for attr in ("LOWER", "ORTH", "TEXT"):
        value = token.get(attr)
        if isinstance(value, str):
            return [value.lower()]
        if isinstance(value, dict) and set(value) == {"IN"}:
            return [str(v).lower() for v in value["IN"]]
    if token.get("IS_QUOTE") is True:
        return list(QUOTE_TOKENS)
    return []


def _lower_words(words: list[str]) -> list[str]:
    for word in words:
        if not word.strip() or word != word.lower():
            raise ValueError(f"{word!r} must be non-empty and lower-case")
    return words


class ContextRule(BaseModel):
    """A list of words that vetoes a technique match in a given context."""

    model_config = ConfigDict(extra="forbid")

    context: ContextName
    words: list[str] = Field(min_length=1)
    why: str | None = None

    @field_validator("words")
    @classmethod
    def _check_words(cls, words: list[str]) -> list[str]:
        return _lower_words(words)


class Variants(BaseModel):
    """Interchangeable spellings of one word (behavioral / behavioural)."""

    model_config = ConfigDict(extra="forbid")

    variants: list[str] = Field(min_length=2)

    @field_validator("variants")
    @classmethod
    def _check_words(cls, words: list[str]) -> list[str]:
        return _lower_words(words)


def _check_pattern(pattern: str | list[dict[str, Any]]) -> None:
    if isinstance(pattern, str):
        if not pattern.strip() or pattern != pattern.lower() or "  " in pattern:
            raise ValueError(f"phrase {pattern!r} must be lower-case, non-empty, single-spaced")
        return
    errors = validate_token_pattern(pattern) if pattern else ["empty token pattern"]
    if errors:
        raise ValueError(f"token pattern {pattern!r}: {'; '.join(errors)}")
    if not anchor_words(pattern[0]):
        raise ValueError(f"token pattern {pattern!r} must start with a required token given by LOWER, ORTH or IS_QUOTE")


class Technique(BaseModel):
    """One lexicon entry: a technique with its canonical name and the patterns that find it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    canonical: str = Field(min_length=1)
    category: Category
    mesh_id: str | None = Field(pattern=r"^D\d{6}(\d{3})?$")
    patterns: list[str | list[dict[str, Any]]] = Field(min_length=1)
    abbreviations: list[str] = []
    defined_abbreviations: list[str] = []
    #: Specific techniques (ids) this generic one means when the text names one of them: "bilateral
    #: knee surgery" in a story about knee replacement is that replacement, not a second technique.
    folds_into: list[str] = []
    #: Words right before a match that make it a habit or a piece of advice, not a therapy given:
    #: "a daily exercise routine", "a recommended exercise program" (generic entries only).
    everyday_after: list[str] = []
    #: Phrases of everyday activities and outcomes ("walking", "weight loss", "a healthy diet") that
    #: are this technique only where the text gives or advises them: coordinated with another
    #: technique, the object of a verb of advice ("recommend", "include"), the subject of a verb
    #: of effect ("walking may aid ..."), or listed after "such as" under an intervention noun.
    intervention_only: list[str] = []

    @field_validator("canonical")
    @classmethod
    def _canonical_lower(cls, value: str) -> str:
        if value != value.lower() or value != value.strip():
            raise ValueError(f"canonical {value!r} must be lower-case without outer spaces")
        return value

    @field_validator("patterns")
    @classmethod
    def _valid_patterns(cls, patterns: list) -> list:
        for pattern in patterns:
            _check_pattern(pattern)
        return patterns

    @field_validator("everyday_after")
    @classmethod
    def _everyday_lower(cls, words: list[str]) -> list[str]:
        return _lower_words(words)

    @field_validator("intervention_only")
    @classmethod
    def _gated_phrases(cls, phrases: list[str]) -> list[str]:
        for phrase in phrases:
            _check_pattern(phrase)
        return phrases

    @field_validator("abbreviations", "defined_abbreviations")
    @classmethod
    def _abbreviations(cls, values: list[str]) -> list[str]:
        for value in values:
            if not value.strip() or " " in value:
                raise ValueError(f"abbreviation {value!r} must be one non-empty word")
        return values


class NamedRule(BaseModel):
    """Named programmes a lexicon cannot list one by one: a capitalised name before a head word
    ("the Quilby Technique", "the Zorb Method") in a sentence about therapy."""

    model_config = ConfigDict(extra="forbid")

    named: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    category: Category
    heads: list[str] = Field(min_length=1)
    cues: list[str] = Field(min_length=1)
    not_in_name: list[str] = []
    why: str | None = None

    @field_validator("heads", "cues", "not_in_name")
    @classmethod
    def _check_words(cls, words: list[str]) -> list[str]:
        return _lower_words(words)


class SuffixRule(BaseModel):
    """Procedures a lexicon cannot list one by one, told by the ending of one word: "-plasty",
    "-ectomy" ("subchondroplasty", "septoplasty"); the word, lower-cased and singular, is the canonical."""

    model_config = ConfigDict(extra="forbid")

    suffixed: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    category: Category
    suffixes: list[str] = Field(min_length=1)
    #: Words with such an ending that name no procedure ("dichotomy").
    not_words: list[str] = []
    #: The shortest word that counts.
    min_length: int = Field(default=8, ge=4)
    why: str | None = None

    @field_validator("suffixes", "not_words")
    @classmethod
    def _check_words(cls, words: list[str]) -> list[str]:
        return _lower_words(words)


class HeadRule(BaseModel):
    """Procedures named by a modifier and a head noun that no list can hold: the condition or the
    body part an operation treats ("zorbitis surgery"), or the way in ("the lateral approach"). The
    canonical is the modifier, lower-cased, and ``canonical_head``."""

    model_config = ConfigDict(extra="forbid")

    headed: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    category: Category
    heads: list[str] = Field(min_length=1)
    canonical_head: str = Field(min_length=1)
    #: The modifiers that count; empty: any common noun (one or two, lower-case in running text).
    modifiers: list[str] = []
    #: Nouns that say when, where or how urgently, not what is operated on ("emergency surgery").
    not_modifiers: list[str] = []
    #: Words one of which the sentence (or the one before) must hold; empty: no such condition.
    cues: list[str] = []
    #: When given, the modifier is one hyphenated compound ending in one of these words and nothing
    #: else ("soy-based diets", "fish-rich diet"); the word before the hyphen must be a plain lower-case word.
    compound_suffixes: list[str] = []
    why: str | None = None

    @field_validator("heads", "modifiers", "not_modifiers", "cues", "compound_suffixes")
    @classmethod
    def _check_words(cls, words: list[str]) -> list[str]:
        return _lower_words(words)


class VerbRule(BaseModel):
    """Operations told with a verb and its object ("surgeons replaced her hip", "had his gallbladder
    removed"): the object's words and the verb's noun ("hip replacement") are looked up as a phrase."""

    model_config = ConfigDict(extra="forbid")

    verbs: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    #: A verb's lemma -> the nouns it makes ("replace" -> "replacement").
    nominals: dict[str, list[str]] = Field(min_length=1)
    why: str | None = None

    @field_validator("nominals")
    @classmethod
    def _check_words(cls, nominals: dict[str, list[str]]) -> dict[str, list[str]]:
        _lower_words(list(nominals))
        for nouns in nominals.values():
            _lower_words(nouns)
        return nominals


def _line_kind(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    if "context" in value:
        return "context"
    if "named" in value:
        return "named"
    if "suffixed" in value:
        return "suffixed"
    if "verbs" in value:
        return "verbs"
    if "headed" in value:
        return "headed"
    if "variants" in value:
        return "variants"
    return "technique"


class LexiconLine(RootModel):
    """One line of the lexicon: a context rule, a spelling-variant set or a technique."""

    root: Annotated[
        Annotated[ContextRule, Tag("context")]
        | Annotated[Variants, Tag("variants")]
        | Annotated[NamedRule, Tag("named")]
        | Annotated[SuffixRule, Tag("suffixed")]
        | Annotated[VerbRule, Tag("verbs")]
        | Annotated[HeadRule, Tag("headed")]
        | Annotated[Technique, Tag("technique")],
        Discriminator(_line_kind),
    ]


@dataclass
class Lexicon:
    """The validated content of one or more techniques lexicon files."""

    techniques: list[Technique]
    context: dict[str, frozenset[str]]
    variants: dict[str, tuple[str, ...]]
    source: str = ""
    phrases: list[list[str]] = field(default_factory=list)  # expanded phrase strings per technique
    named: list[NamedRule] = field(default_factory=list)  # named-programme rules, in file order
    suffixed: list[SuffixRule] = field(default_factory=list)  # word-ending rules, in file order
    nominals: dict[str, list[str]] = field(default_factory=dict)  # verb lemma -> its nouns (VerbRule)
    headed: list[HeadRule] = field(default_factory=list)  # modifier + head-noun rules, in file order
    gated: list[frozenset[str]] = field(default_factory=list)  # per technique: its intervention_only forms


def build_lexicon(parts: Sequence[tuple[str, list[LexiconLine]]]) -> Lexicon:
    """Merge the validated lines of lexicon files, given as ``(source, lines)`` in precedence order.

    Raises:
        ResourceError: for an id used twice, or a phrase two techniques of one file share.
    """
    context: dict[str, set[str]] = {name: set() for name in CONTEXTS}
    variants: dict[str, tuple[str, ...]] = {}
    for _, lines in parts:  # spelling variants apply to every file, so they are read first
        for line in lines:
            if isinstance(line.root, Variants):
                variants.update({word: tuple(line.root.variants) for word in line.root.variants})
            elif isinstance(line.root, ContextRule):
                context[line.root.context].update(line.root.words)
    named = [line.root for _, lines in parts for line in lines if isinstance(line.root, NamedRule)]
    lexicon = Lexicon(
        [],
        {k: frozenset(v) for k, v in context.items()},
        variants,
        parts[0][0] if parts else "",
        named=named,
        suffixed=[line.root for _, lines in parts for line in lines if isinstance(line.root, SuffixRule)],
        headed=[line.root for _, lines in parts for line in lines if isinstance(line.root, HeadRule)],
        nominals={
            verb: nouns
            for _, lines in parts
            for line in lines
            if isinstance(line.root, VerbRule)
            for verb, nouns in line.root.nominals.items()
        },
    )
    ids: set[str] = set()
    owner: dict[str, str] = {}
    for source, lines in parts:
        mine: dict[str, str] = {}
        for technique in (line.root for line in lines if isinstance(line.root, Technique)):
            if technique.id in ids:
                raise ResourceError(f"[{source}] duplicate technique id {technique.id!r}")
            ids.add(technique.id)
            _add_technique(lexicon, technique, source, owner, mine)
        owner.update(mine)
    for technique in lexicon.techniques:
        unknown = [i for i in technique.folds_into if i not in ids]
        if unknown:
            raise ResourceError(f"[{lexicon.source}] {technique.id!r} folds into unknown technique ids {unknown}")
    return lexicon


def _add_technique(
    lexicon: Lexicon, technique: Technique, source: str, owner: dict[str, str], mine: dict[str, str]
) -> None:
    """Add one technique, leaving out the phrases an earlier file owns (and the technique, if none is left)."""
    expanded: set[str] = set()
    gated = {form for phrase in technique.intervention_only for form in expand_phrase(phrase, lexicon.variants)}
    gated -= owner.keys()
    for pattern in [*technique.patterns, *technique.intervention_only]:
        if isinstance(pattern, str):
            # A form an earlier (curated) file has is that file's; the rest of the entry still counts.
            expanded |= set(expand_phrase(pattern, lexicon.variants)) - owner.keys()
    for text in sorted(expanded):
        if mine.get(text, technique.id) != technique.id:
            raise ResourceError(
                f"[{source}] phrase {text!r} of {technique.id!r} is already a pattern of {mine[text]!r}"
            )
        mine[text] = technique.id
    if not expanded and all(isinstance(p, str) for p in technique.patterns) and not technique.abbreviations:
        return
    lexicon.techniques.append(technique)
    lexicon.phrases.append(sorted(expanded))
    lexicon.gated.append(frozenset(gated))


def parse_lexicon(texts: Sequence[tuple[str, str]]) -> Lexicon:
    """Validate and merge lexicon files given as ``(text, source)`` pairs, in precedence order."""
    return build_lexicon([(source, parse_jsonl(text, source, LexiconLine)) for text, source in texts])


def lexicon_path(name: str | Path) -> Path:
    """A bare file name means a file under ``models/``; anything else is a path."""
    path = Path(name)
    return path if path.is_absolute() or path.parent != Path(".") else resource_path(str(name))


def load_lexicon(*names: str | Path) -> Lexicon:
    """Load and validate lexicon files (bare names under ``models/``, or paths); default the curated one.

    Raises:
        ResourceError: for a malformed line (naming ``[file:line]``), a duplicate id, or a phrase
            that two techniques share.
    """
    paths = [lexicon_path(name) for name in names or (LEXICON,)]
    return build_lexicon([(str(path), load_jsonl(path, LexiconLine)) for path in paths])


def _plural(word: str) -> str | None:
    """English plural of a phrase's last word, or None where it would be odd or is already plural."""
    stem = word.rsplit("-", 1)[-1]
    if not stem.isalpha() or len(stem) < 3 or stem.endswith(("ing", "s", "ics")):
        return None
    if stem.endswith(("x", "ch", "sh", "z")):
        return word + "es"
    if stem.endswith("y") and stem[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


#: Plural last words whose singular names something else: "therapy groups" are group sessions,
#: a "therapy group" is mostly a trial's arm.
_NO_SINGULAR = frozenset({"groups"})


def _singular(word: str) -> str | None:
    """English singular of a phrase's plural last word ("compression sleeves"), or None."""
    stem = word.rsplit("-", 1)[-1]
    if stem in _NO_SINGULAR or not stem.isalpha() or len(stem) < 4 or not stem.endswith("s") or stem.endswith(("ss", "us", "is", "ics")):
        return None
    if stem.endswith("ies"):
        return word[:-3] + "y"
    if stem.endswith(("xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


#: Phrases of at most this many words also match with hyphens between their words.
_MAX_HYPHENATED_WORDS = 4
#: Words that are never hyphenated to their neighbours.
_UNHYPHENATED = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"}
)


def expand_phrase(phrase: str, variants: dict[str, tuple[str, ...]]) -> Iterator[str]:
    """Every surface form a phrase pattern stands for.

    British/American spellings come from ``variants``; the last word also matches its plural
    ("muscle energy techniques") and, in a phrase of two words or more, its singular ("compression
    sleeve"), and a hyphen matches a space and the other way round
    ("deep tissue massage", "cognitive-behavioral therapy").
    """
    words = phrase.split(" ")
    choices: list[list[str]] = []
    for position, word in enumerate(words):
        parts = [list(variants.get(part, (part,))) for part in word.split("-")]
        forms = ["-".join(combo) for combo in itertools.product(*parts)]
        if position == len(words) - 1:
            forms += [plural for form in forms if (plural := _plural(form))]
            # a phrase written in the plural ("compression sleeves") also names one ("a compression sleeve")
            if position:
                forms += [single for form in forms if (single := _singular(form))]
        choices.append(forms)
    # News hyphenates compound modifiers at will ("cognitive-behavioral therapy", "high-intensity
    # interval training"); one hyphenated gap at a time keeps the phrase count down.
    hyphenate = 1 < len(words) <= _MAX_HYPHENATED_WORDS
    gaps = [g for g, pair in enumerate(itertools.pairwise(words)) if not set(pair) & _UNHYPHENATED] if hyphenate else []
    joins = [tuple("-" if g == gap else " " for g in range(len(words) - 1)) for gap in gaps]
    seen: set[str] = set()
    for combo in itertools.product(*choices):
        text = " ".join(combo)
        forms = [text, text.replace("-", " ")]
        forms += ["".join(w + g for w, g in zip(combo, (*join, ""))) for join in joins]
        for form in forms:
            if form not in seen:
                seen.add(form)
                yield form
