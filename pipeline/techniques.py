"""The healthclaims_techniques component: finds named therapeutic methods and non-drug interventions.

Matches the lexicon ``models/techniques.jsonl`` and stores one ``TechniqueHit`` per technique on ``doc._.hc_techniques``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Discriminator, Field, RootModel, Tag, field_validator
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.schemas import validate_token_pattern
from spacy.tokens import Doc

from .resources import ResourceError, load_jsonl, load_resource, resource_path
from .types import Mention, TechniqueHit, ensure_extensions, results

LEXICON = "techniques.jsonl"

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
]
#: The fixed set of technique categories a lexicon entry may use.
CATEGORIES: tuple[str, ...] = get_args(Category)

#: How far back "<title> of" may sit before a match: "Journal of Bone & Joint Surgery".
_OF_LOOKBACK = 4
#: The prepositions that tie a title or a body to the discipline it is named after.
_OF_WORDS = frozenset({"of", "for"})
#: Parts of speech that may sit between "<title> of" and the match: modifiers and coordination.
_MODIFIER_POS = frozenset({"ADJ", "NOUN", "PROPN", "CCONJ", "NUM"})


#: Quote marks, the anchors of token patterns that start with {"IS_QUOTE": true}.
_QUOTES = ('"', "'", "“", "”", "‘", "’", "«", "»", "„", "``", "''")


def _anchor_words(token: dict[str, Any]) -> list[str]:
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
        return list(_QUOTES)
    return []


def _lower_words(words: list[str]) -> list[str]:
    for word in words:
        if not word.strip() or word != word.lower():
            raise ValueError(f"{word!r} must be non-empty and lower-case")
    return words


class ContextRule(BaseModel):
    """A list of words that vetoes a technique match in a given context."""

    model_config = ConfigDict(extra="forbid")

    context: Literal["not_before", "not_after", "not_after_of", "not_within"]
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
            if isinstance(pattern, str):
                if not pattern.strip() or pattern != pattern.lower() or "  " in pattern:
                    raise ValueError(f"phrase {pattern!r} must be lower-case, non-empty, single-spaced")
            else:
                errors = validate_token_pattern(pattern) if pattern else ["empty token pattern"]
                if errors:
                    raise ValueError(f"token pattern {pattern!r}: {'; '.join(errors)}")
                if not _anchor_words(pattern[0]):
                    raise ValueError(
                        f"token pattern {pattern!r} must start with a required token given by LOWER, ORTH or IS_QUOTE"
                    )
        return patterns

    @field_validator("abbreviations", "defined_abbreviations")
    @classmethod
    def _abbreviations(cls, values: list[str]) -> list[str]:
        for value in values:
            if not value.strip() or " " in value:
                raise ValueError(f"abbreviation {value!r} must be one non-empty word")
        return values


def _line_kind(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    if "context" in value:
        return "context"
    if "variants" in value:
        return "variants"
    return "technique"


class LexiconLine(RootModel):
    """One line of the lexicon: a context rule, a spelling-variant set or a technique."""

    root: Annotated[
        Annotated[ContextRule, Tag("context")]
        | Annotated[Variants, Tag("variants")]
        | Annotated[Technique, Tag("technique")],
        Discriminator(_line_kind),
    ]


@dataclass
class Lexicon:
    """The validated content of a techniques lexicon file."""

    techniques: list[Technique]
    context: dict[str, frozenset[str]]
    variants: dict[str, tuple[str, ...]]
    source: str = ""
    phrases: list[list[str]] = field(default_factory=list)  # expanded phrase strings per technique


def load_lexicon(name: str | Path = LEXICON) -> Lexicon:
    """Load and validate a techniques lexicon: a bare file name under ``models/``, or a path.

    Raises:
        ResourceError: for a malformed line (naming ``[file:line]``), a duplicate id, or a phrase
            that two techniques share.
    """
    path = Path(name)
    if path.is_absolute() or path.parent != Path("."):
        lines = load_jsonl(path, LexiconLine)
        source = str(path)
    else:
        lines = list(load_resource(str(name), LexiconLine))
        source = str(resource_path(str(name)))
    techniques: list[Technique] = []
    context: dict[str, set[str]] = {"not_before": set(), "not_after": set(), "not_after_of": set(), "not_within": set()}
    variants: dict[str, tuple[str, ...]] = {}
    for line in lines:
        item = line.root
        if isinstance(item, ContextRule):
            context[item.context].update(item.words)
        elif isinstance(item, Variants):
            for word in item.variants:
                variants[word] = tuple(item.variants)
        else:
            techniques.append(item)
    lexicon = Lexicon(techniques, {k: frozenset(v) for k, v in context.items()}, variants, source)
    _check_lexicon(lexicon)
    return lexicon


def _check_lexicon(lexicon: Lexicon) -> None:
    seen_ids: set[str] = set()
    owner: dict[str, str] = {}
    for technique in lexicon.techniques:
        if technique.id in seen_ids:
            raise ResourceError(f"[{lexicon.source}] duplicate technique id {technique.id!r}")
        seen_ids.add(technique.id)
        expanded = sorted(
            {text for p in technique.patterns if isinstance(p, str) for text in expand_phrase(p, lexicon.variants)}
        )
        for text in expanded:
            if owner.get(text, technique.id) != technique.id:
                raise ResourceError(
                    f"[{lexicon.source}] phrase {text!r} of {technique.id!r} is already a pattern of {owner[text]!r}"
                )
            owner[text] = technique.id
        lexicon.phrases.append(expanded)


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


def expand_phrase(phrase: str, variants: dict[str, tuple[str, ...]]) -> Iterator[str]:
    """Every surface form a phrase pattern stands for.

    British/American spellings come from ``variants``; the last word also matches its plural
    ("muscle energy techniques"), and a hyphen also matches a space ("deep tissue massage").
    """
    words = phrase.split(" ")
    choices: list[list[str]] = []
    for position, word in enumerate(words):
        parts = [list(variants.get(part, (part,))) for part in word.split("-")]
        forms = ["-".join(combo) for combo in itertools.product(*parts)]
        if position == len(words) - 1:
            forms += [plural for form in forms if (plural := _plural(form))]
        choices.append(forms)
    seen: set[str] = set()
    for combo in itertools.product(*choices):
        text = " ".join(combo)
        for form in (text, text.replace("-", " ")):
            if form not in seen:
                seen.add(form)
                yield form


@dataclass(frozen=True)
class _Rule:
    kind: str  # phrase | tokens | abbr | defabbr | stop
    index: int  # into Lexicon.techniques; -1 for stop phrases
    priority: int  # lower wins a tie between candidates of the same length


class TechniqueExtractor:
    """spaCy component: finds technique mentions and stores them grouped by technique."""

    def __init__(self, nlp: Language, lexicon: str | Path = LEXICON):
        ensure_extensions()
        self.lexicon = load_lexicon(lexicon)
        self.not_before = self.lexicon.context["not_before"]
        self.not_after = self.lexicon.context["not_after"]
        self.not_after_of = self.lexicon.context["not_after_of"]
        self.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.orth_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.matcher = Matcher(nlp.vocab)
        # The Matcher costs time on every token of every text; it runs only on short windows that
        # start at a token which can begin one of its patterns (found by a fast PhraseMatcher).
        self.anchor_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.window = 0
        self.rules: dict[int, _Rule] = {}
        self.defined: list[frozenset[str]] = []
        self._build(nlp)

    def _build(self, nlp: Language) -> None:
        tokenizer = nlp.tokenizer
        anchors: set[str] = set()

        def register(name: str, rule: _Rule) -> str:
            self.rules[nlp.vocab.strings.add(name)] = rule
            return name

        for index, (technique, phrases) in enumerate(zip(self.lexicon.techniques, self.lexicon.phrases)):
            if phrases:
                key = register(f"technique:{technique.id}", _Rule("phrase", index, 0))
                self.phrase_matcher.add(key, list(tokenizer.pipe(phrases)))
            token_patterns = [p for p in technique.patterns if not isinstance(p, str)]
            if token_patterns:
                key = register(f"technique:{technique.id}:tokens", _Rule("tokens", index, 1))
                self.matcher.add(key, token_patterns)
                anchors.update(word for pattern in token_patterns for word in _anchor_words(pattern[0]))
                self.window = max(self.window, *(len(pattern) for pattern in token_patterns))
            if technique.abbreviations:
                key = register(f"technique:{technique.id}:abbr", _Rule("abbr", index, 2))
                self.orth_matcher.add(key, list(tokenizer.pipe(technique.abbreviations)))
            if technique.defined_abbreviations:
                key = register(f"technique:{technique.id}:defabbr", _Rule("defabbr", index, 3))
                self.orth_matcher.add(key, list(tokenizer.pipe(technique.defined_abbreviations)))
            self.defined.append(frozenset(technique.defined_abbreviations))
        if anchors:
            self.anchor_matcher.add("anchor", [nlp.make_doc(word) for word in sorted(anchors)])
        stops = sorted(self.lexicon.context["not_within"])
        if stops:
            self.phrase_matcher.add(
                register("technique:not_within", _Rule("stop", -1, -1)), list(tokenizer.pipe(stops))
            )
        self.abbreviations = [
            frozenset(t.abbreviations) | frozenset(t.defined_abbreviations) for t in self.lexicon.techniques
        ]

    def __call__(self, doc: Doc) -> Doc:
        doc._.hc_techniques = self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[tuple[int, int, _Rule]]:
        """Candidate matches ``(start, end, rule)`` that survive the longest-match and context rules."""
        raw = [
            (start, end, self.rules[match_id])
            for matcher in (self.phrase_matcher, self.orth_matcher)
            for match_id, start, end in matcher(doc)
        ]
        for anchor in sorted({start for _, start, _ in self.anchor_matcher(doc)}):
            window = doc[anchor : anchor + self.window]
            raw.extend(
                (anchor, anchor + end, self.rules[match_id])
                for match_id, start, end in self.matcher(window)
                if start == 0
            )
        # An abbreviation such as "FES" or "ACT" is ambiguous until the text spells it out.
        defined = self._defined_abbreviations(doc, raw)
        raw = [c for c in raw if c[2].kind != "defabbr" or (c[2].index, doc[c[0] : c[1]].text) in defined]
        raw.sort(key=lambda c: (c[0] - c[1], c[2].priority, c[0]))
        taken = [False] * len(doc)
        chosen: list[tuple[int, int, _Rule]] = []
        for start, end, rule in raw:
            if any(taken[start:end]):
                continue
            taken[start:end] = [True] * (end - start)
            if rule.kind != "stop":
                chosen.append((start, end, rule))
        boilerplate = [(m.start, m.end) for m in results(doc, "hc_boilerplate")]
        kept = []
        for start, end, rule in chosen:
            span = doc[start:end]
            if self._vetoed(doc, start, end):
                continue
            if any(s < span.end_char and span.start_char < e for s, e in boilerplate):
                continue
            kept.append((start, end, rule))
        return sorted(kept, key=lambda c: c[0])

    def _defined_abbreviations(self, doc: Doc, raw: list[tuple[int, int, _Rule]]) -> set[tuple[int, str]]:
        found: set[tuple[int, str]] = set()
        for start, end, rule in raw:
            if rule.kind in ("phrase", "tokens") and self.defined[rule.index]:
                inside = self._parenthesised(doc, end)
                if inside in self.defined[rule.index]:
                    found.add((rule.index, inside))
        return found

    def _parenthesised(self, doc: Doc, end: int) -> str | None:
        """The word in "(X)" right after token ``end - 1``, if there is one."""
        if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
            return doc[end + 1].text
        return None

    def _vetoed(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the words around a match show it names a person, body, title or journal."""
        if end < len(doc) and doc[end].lower_ in self.not_before:
            return True
        if start > 0 and doc[start - 1].lower_ in self.not_after:
            return True
        # "professor of orthopedic surgery", "director of the physical therapy program",
        # "Journal of Bone & Joint Surgery", "Society for Acupuncture Research"
        for i in range(start - 1, max(start - 1 - _OF_LOOKBACK, -1), -1):
            token = doc[i]
            if token.lower_ in _OF_WORDS:
                return i > 0 and doc[i - 1].lower_ in self.not_after_of
            if token.text != "&" and token.pos_ not in _MODIFIER_POS:
                return False
        return False

    def set_annotations(self, doc: Doc, matches: list[tuple[int, int, _Rule]]) -> list[TechniqueHit]:
        """Group the matches by technique into ``TechniqueHit``s, sorted by first mention."""
        hits: dict[int, TechniqueHit] = {}
        text = doc.text  # Doc.text is rebuilt from the tokens on every access
        covered_to = 0
        for start, end, rule in matches:
            if start < covered_to:
                continue
            technique = self.lexicon.techniques[rule.index]
            # Keep "functional electrical stimulation (FES)" as one mention, as a reader would mark it.
            if self._parenthesised(doc, end) in self.abbreviations[rule.index]:
                end += 3
                covered_to = end
            span = doc[start:end]
            hit = hits.get(rule.index)
            if hit is None:
                hit = hits[rule.index] = TechniqueHit(
                    canonical=technique.canonical,
                    category=technique.category,
                    mesh_id=technique.mesh_id,
                    rule=technique.id,
                )
            hit.mentions.append(Mention.of(text, span.start_char, span.end_char))
        for hit in hits.values():
            hit.mentions.sort(key=lambda m: (m.start, m.end))
        return sorted(hits.values(), key=lambda h: h.mentions[0].start)


@Language.factory("healthclaims_techniques", default_config={"lexicon": LEXICON})
def make_techniques(nlp: Language, name: str, lexicon: str) -> TechniqueExtractor:
    """Build the techniques component from a lexicon under ``models/`` (or a path to one)."""
    return TechniqueExtractor(nlp, lexicon)
