"""The healthclaims_techniques component: finds named therapeutic methods and non-drug interventions.

Matches the lexicon ``models/techniques.jsonl`` and stores one ``TechniqueHit`` per technique on ``doc._.hc_techniques``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Discriminator, Field, RootModel, Tag, field_validator
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.schemas import validate_token_pattern
from spacy.tokens import Doc

from healthclaims.resources import ResourceError, load_jsonl, load_resource, resource_path
from healthclaims.types import Mention, TechniqueHit, ensure_extensions, overlaps_any, results

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
#: Most words a pair of scare quotes may hold inside a technique name: Swedish "relaxation" massage.
_SCARE_QUOTE_WORDS = 2
#: Words that join the modifiers of one shared head noun: "occupational, speech and physical therapy".
_COORDINATORS = frozenset({"and", "or", "&", "/", ","})
#: A line whose longer words are mostly capitalised is a headline, where capitals name nothing.
_HEADLINE_SHARE = 0.6
#: The longer words that _HEADLINE_SHARE counts.
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


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

    context: Literal["not_before", "not_after", "not_after_of", "not_within", "not_before_hyphen", "not_elided"]
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
    context: dict[str, set[str]] = {name: set() for name in get_args(ContextRule.model_fields["context"].annotation)}
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


#: Phrases of at most this many words also match with hyphens between their words.
_MAX_HYPHENATED_WORDS = 4
#: Words that are never hyphenated to their neighbours.
_UNHYPHENATED = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"}
)


def expand_phrase(phrase: str, variants: dict[str, tuple[str, ...]]) -> Iterator[str]:
    """Every surface form a phrase pattern stands for.

    British/American spellings come from ``variants``; the last word also matches its plural
    ("muscle energy techniques"), and a hyphen matches a space and the other way round
    ("deep tissue massage", "cognitive-behavioral therapy").
    """
    words = phrase.split(" ")
    choices: list[list[str]] = []
    for position, word in enumerate(words):
        parts = [list(variants.get(part, (part,))) for part in word.split("-")]
        forms = ["-".join(combo) for combo in itertools.product(*parts)]
        if position == len(words) - 1:
            forms += [plural for form in forms if (plural := _plural(form))]
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
        self.not_before_hyphen = self.lexicon.context["not_before_hyphen"]
        self.not_elided = self.lexicon.context["not_elided"]
        # Lower-cased token tuples of every phrase, for the matches a PhraseMatcher cannot make:
        # names split by scare quotes and modifiers that share one head noun.
        self.phrase_index: dict[tuple[str, ...], int] = {}
        self.longest_phrase = 0
        self.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.orth_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.matcher = Matcher(nlp.vocab)
        # The Matcher costs time on every token of every text; it runs only on short windows that
        # start at a token which can begin one of its patterns (found by a fast PhraseMatcher).
        self.anchor_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.quote_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
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
                docs = list(tokenizer.pipe(phrases))
                self.phrase_matcher.add(key, docs)
                for phrase_doc in docs:
                    self.phrase_index[tuple(t.lower_ for t in phrase_doc)] = index
                    self.longest_phrase = max(self.longest_phrase, len(phrase_doc))
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
        self.quote_matcher.add("quote", [nlp.make_doc(mark) for mark in _QUOTES])
        stops = sorted(self.lexicon.context["not_within"])
        if stops:
            self.phrase_matcher.add(
                register("technique:not_within", _Rule("stop", -1, -1)), list(tokenizer.pipe(stops))
            )
        self.abbreviations = [
            frozenset(t.abbreviations) | frozenset(t.defined_abbreviations) for t in self.lexicon.techniques
        ]

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # Doc.text is rebuilt from the tokens on every access
        doc._.hc_techniques = self.set_annotations(doc, self.match(doc, text), text)
        return doc

    def match(self, doc: Doc, text: str | None = None) -> list[tuple[int, int, _Rule]]:
        """Candidate matches ``(start, end, rule)`` that survive the longest-match and context rules.

        ``text`` is ``doc.text``, when the caller has it already.
        """
        text = doc.text if text is None else text
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
        raw.extend(self._scare_quoted(doc))
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
        boilerplate = results(doc, "hc_boilerplate")
        kept = []
        for start, end, rule in chosen:
            span = doc[start:end]
            if self._vetoed(doc, start, end, text, taken):
                continue
            if overlaps_any(span.start_char, span.end_char, boilerplate):
                continue
            kept.append((start, end, rule))
        kept.extend(self._elided(doc, kept, taken))
        return sorted(kept, key=lambda c: c[0])

    def _scare_quoted(self, doc: Doc) -> list[tuple[int, int, _Rule]]:
        """Phrases interrupted by scare quotes: 'sleep "hygiene" education', '“expressive” writing'."""
        quotes = sorted({start for _, start, _ in self.quote_matcher(doc)})
        found: list[tuple[int, int, _Rule]] = []
        for left, right in itertools.pairwise(quotes):
            inside = doc[left + 1 : right]
            if not 0 < len(inside) <= _SCARE_QUOTE_WORDS or not all(t.is_alpha for t in inside):
                continue
            # The words of the phrase around the marks, the marks left out, with their doc positions.
            lo, hi = max(left - self.longest_phrase, 0), min(right + self.longest_phrase + 1, len(doc))
            words = [t for t in doc[lo:hi] if t.i not in (left, right)]
            lowers = [t.lower_ for t in words]
            best: tuple[int, int, int] | None = None
            for i, first in enumerate(words):
                for j in range(min(len(words), i + self.longest_phrase), i, -1):
                    last = words[j - 1]
                    # Only phrases that straddle a mark; the PhraseMatcher finds the others.
                    straddles = first.i < left < last.i or first.i < right < last.i
                    index = self.phrase_index.get(tuple(lowers[i:j])) if straddles else None
                    if index is not None and (best is None or last.i - first.i > best[1] - best[0]):
                        best = (first.i - (first.i == left + 1), last.i + 1 + (last.i == right - 1), index)
            if best is not None:
                found.append((best[0], best[1], _Rule("phrase", best[2], 0)))
        return found

    def _elided(self, doc: Doc, kept: list[tuple[int, int, _Rule]], taken: list[bool]) -> list[tuple[int, int, _Rule]]:
        """Techniques whose head noun a coordinated match shares: "behavioral and physical therapy".

        The elided technique's mention runs from its own modifier to the end of the shared head,
        as a reader would mark it ("occupational, speech and physical therapy" for occupational therapy).
        """
        found: list[tuple[int, int, _Rule]] = []
        for start, end, rule in kept:
            if end - start < 2 or rule.kind not in ("phrase", "tokens"):
                continue
            head = tuple(t.lower_ for t in doc[start + 1 : end])
            cursor = start
            while cursor > 1 and doc[cursor - 1].lower_ in _COORDINATORS:
                for width in (2, 1):
                    first = cursor - 1 - width
                    modifier = doc[first : cursor - 1] if first >= 0 else None
                    if (
                        modifier is None
                        or any(taken[first : cursor - 1])
                        or not all(t.is_alpha or t.text == "-" for t in modifier)
                        or modifier[-1].lower_ in self.not_elided
                        or doc[first].lower_ in _COORDINATORS
                    ):
                        continue
                    index = self.phrase_index.get(tuple(t.lower_ for t in modifier) + head)
                    if index is not None and index != rule.index:
                        found.append((first, end, _Rule("phrase", index, 0)))
                        cursor = first
                        break
                else:
                    break
        return found

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

    def _vetoed(self, doc: Doc, start: int, end: int, text: str, taken: list[bool]) -> bool:
        """Whether the words around a match show it names a person, body, title or journal."""
        if end < len(doc) and doc[end].lower_ in self.not_before:
            return True
        if start > 0 and doc[start - 1].lower_ in self.not_after:
            return True
        # "swimming-induced pulmonary edema" names a condition, not the exercise
        if end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].lower_ in self.not_before_hyphen:
            return True
        # a match glued between hyphens is one word of a longer compound or of a link's slug
        if (
            0 < start
            and end < len(doc)
            and doc[start - 1].text == doc[end].text == "-"
            and not doc[start - 1].whitespace_
            and not doc[end - 1].whitespace_
        ):
            return True
        if self._in_proper_name(doc, start, end, text, taken):
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

    def _in_proper_name(self, doc: Doc, start: int, end: int, text: str, taken: list[bool]) -> bool:
        """Whether a capitalised match is one part of a longer name: a clinic, a study, a journal.

        "Peled Plastic Surgery", "the Lifestyle Interventions and Independence for Elders study",
        "Plastic and Reconstructive Surgery": the capitals run on past the technique in running text.
        Headlines capitalise every word and are left alone.
        """
        words = [t for t in doc[start:end] if t.is_alpha]
        if not words or not all(t.is_title for t in words):
            return False

        def capitalised(i: int, step: int) -> bool:
            """Token ``i`` is a capitalised word of the match's sentence (``step`` -1 before it, 1 after)."""
            if not (0 <= i < len(doc) and doc[i].is_alpha and doc[i].is_title) or taken[i]:
                return False
            # "I", and the capitalised little words of a headline ("Neurofeedback For ADHD"), name nothing
            if len(doc[i]) == 1 or doc[i].is_stop:
                return False
            # no sentence boundary may lie between the word and the match
            if any(doc[k].is_sent_start for k in (range(i + 1, start + 1) if step < 0 else range(end, i + 1))):
                return False
            # a sentence's first word is capitalised anyway, and counts only when it is a name
            return not doc[i].is_sent_start or doc[i].pos_ == "PROPN"

        joined = ("and", "&")
        before = capitalised(start - 1, -1) or (
            start > 0 and doc[start - 1].lower_ in joined and capitalised(start - 2, -1)
        )
        after = capitalised(end, 1) or (end < len(doc) and doc[end].lower_ in joined and capitalised(end + 1, 1))
        if not (before or after):
            return False
        # Headline case: most longer words of the line are capitalised. The line, not the sentence,
        # because the parser splits bylines and names ("Dr. Ann Lee of ...") into short sentences.
        span = doc[start:end]
        line_start = text.rfind("\n", 0, span.start_char) + 1
        line_end = text.find("\n", span.end_char)
        line = text[line_start : span.start_char] + " " + text[span.end_char : line_end if line_end >= 0 else len(text)]
        words = _LONG_WORD.findall(line)
        return sum(word[0].isupper() for word in words) < _HEADLINE_SHARE * len(words)

    def set_annotations(
        self, doc: Doc, matches: list[tuple[int, int, _Rule]], text: str | None = None
    ) -> list[TechniqueHit]:
        """Group the matches by technique into ``TechniqueHit``s, sorted by first mention."""
        hits: dict[int, TechniqueHit] = {}
        text = doc.text if text is None else text
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
