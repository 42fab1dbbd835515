"""Speakers for the quotes extractor: who an attribution's subject names, as the fullest name.

Surnames and pronouns resolve to the most recent person mention; groups and organisations are kept as written.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict
from spacy.tokens import Doc, Span, Token

from .resources import load_resource
from .types import Mention, SpeakerHit


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


class SpeakerWord(BaseModel):
    """One line of ``models/speaker_titles.jsonl``."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["title", "pronoun", "group", "person_noun", "organization", "vague", "document", "experience"]
    word: str
    gender: Literal["m", "f", "x"] | None = None
    plural: bool = False
    bare: bool = False  # a group word that names a study team even without "the" ("researchers found")


@dataclass(frozen=True)
class Lexicon:
    """The speaker word lists, grouped by kind."""

    words: dict[str, frozenset[str]]
    plural_pronouns: frozenset[str]
    bare_groups: frozenset[str]
    experience: tuple[re.Pattern[str], ...]

    def has(self, kind: str, word: str) -> bool:
        """Whether ``word`` (lower case) is listed under ``kind``."""
        return word in self.words.get(kind, frozenset())


@cache
def load_lexicon() -> Lexicon:
    """Load and group ``models/speaker_titles.jsonl`` (cached)."""
    grouped: dict[str, set[str]] = {}
    plural: set[str] = set()
    bare: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for entry in load_resource("speaker_titles.jsonl", SpeakerWord):
        if entry.kind == "experience":
            patterns.append(re.compile(entry.word, re.IGNORECASE))
            continue
        grouped.setdefault(entry.kind, set()).add(entry.word.lower())
        if entry.plural:
            plural.add(entry.word.lower())
        if entry.bare:
            bare.add(entry.word.lower())
    return Lexicon({k: frozenset(v) for k, v in grouped.items()}, frozenset(plural), frozenset(bare), tuple(patterns))


#: How far back (in tokens) "they" looks for the study team it stands for.
_GROUP_REACH = 150
_POSSESSIVE = ("'s", "’s", "'", "’")
# Subject phrases stop before clauses and appositions that describe rather than name the source.
_PHRASE_STOP = {"relcl", "acl", "appos", "punct", "advcl", "cc", "conj"}


@dataclass
class Resolved:
    """A speaker found at one attribution: its registry key, name, kind and the words naming it."""

    key: str
    name: str
    kind: str
    mention: Mention


@dataclass
class _Person:
    name: str
    spans: list[tuple[int, int]] = field(default_factory=list)  # token ranges of name mentions


class SpeakerBook:
    """People named in one Doc, and the speakers resolved at attributions."""

    def __init__(self, doc: Doc, text: str, lexicon: Lexicon, masked: list[bool], excluded: list[tuple[int, int]]):
        self.doc = doc
        self.text = text  # doc.text, which spaCy rebuilds on every access
        self.lex = lexicon
        self.people: dict[str, _Person] = {}
        self.mentions: dict[str, list[Mention]] = {}
        self._groups: list[tuple[int, Resolved]] = []  # group subjects by token index, for "they"
        self._ent_of: dict[int, Span] = {}
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                self._ent_of[i] = ent
            if ent.label_ != "PERSON" or masked[ent.start] or self._in_citation(ent, excluded):
                continue
            tokens = self._name_tokens(list(ent))
            # The tagger labels some institutions PERSON ("... Cancer Center").
            if tokens and not any(self.lex.has("organization", t.lower_) for t in tokens):
                self._register(tokens)
        # Person mentions in text order, for pronoun resolution: names plus bare surnames the
        # tagger labelled otherwise ("Black said" tagged ORG).
        self._positions: list[int] = []
        self._keys: list[str] = []
        strings = doc.vocab.strings
        wanted = {strings.add(key) for key in self.people}
        lowers = doc.to_array("LOWER").tolist()
        n = len(doc)
        for i, low in enumerate(lowers):
            if low in wanted and not masked[i] and (i + 1 >= n or doc[i + 1].pos_ != "PROPN"):
                token = doc[i]
                if token.text[:1].isupper():
                    self._positions.append(i)
                    self._keys.append(token.lower_)

    @staticmethod
    def _in_citation(ent: Span, excluded: list[tuple[int, int]]) -> bool:
        # Authors of cited papers ("Kumar et al., 2013") are not people speaking in the article.
        following = ent.doc[ent.end : ent.end + 2].text.lower()
        if following.startswith(("et al", "and colleagues (")):
            return True
        return any(s < ent.end_char and ent.start_char < e for s, e in excluded)

    def _name_tokens(self, tokens: list[Token]) -> list[Token]:
        while tokens and (self.lex.has("title", tokens[0].lower_) or not tokens[0].text[:1].isalpha()):
            tokens = tokens[1:]
        while tokens and (tokens[-1].text in _POSSESSIVE or not tokens[-1].text[:1].isalnum()):
            tokens = tokens[:-1]
        if not tokens or not all(t.text[:1].isupper() for t in tokens if t.is_alpha and len(t) > 1):
            return []
        return tokens

    def _register(self, tokens: list[Token]) -> str:
        key = tokens[-1].text.lower()
        name = self.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1])]
        person = self.people.get(key)
        if person is None:
            self.people[key] = person = _Person(name)
        elif len(name.split()) > len(person.name.split()):
            person.name = name
        person.spans.append((tokens[0].i, tokens[-1].i + 1))
        return key

    def _phrase(self, head: Token) -> tuple[int, int]:
        """Character range of a common-noun subject phrase, cut before clauses and appositions."""
        end = head.idx + len(head)
        for child in head.rights:
            if child.dep_ in _PHRASE_STOP:
                break
            last = child.right_edge
            end = last.idx + len(last)
        return head.left_edge.idx, end

    def _person_before(self, token: Token) -> str | None:
        # A pronoun refers back to someone the article introduced by full name; single-word
        # PERSON entities are often products or misreadings ("devices such as Alex").
        at = bisect_left(self._positions, token.i)
        for k in range(at - 1, max(at - 12, -1), -1):
            key = self._keys[k]
            if " " in self.people[key].name:
                return key
        return None

    def _group_before(self, token: Token) -> Resolved | None:
        for i, group in reversed(self._groups):
            if i < token.i:
                return group if token.i - i < _GROUP_REACH else None
        return None

    def resolve(self, subject: Token) -> Resolved | None:
        """Resolve the subject token of a reporting verb to a speaker, or None for vague/unknown sources."""
        low = subject.lower_
        mention = Mention.of(self.text, subject.idx, subject.idx + len(subject))
        if self.lex.has("pronoun", low):
            if low in self.lex.plural_pronouns:
                return self._group_before(subject)
            key = self._person_before(subject)
            return Resolved(f"p:{key}", self.people[key].name, "person", mention) if key else None
        if subject.pos_ == "PRON" or self.lex.has("vague", low):
            return None
        if subject.pos_ == "PROPN" or (subject.text[:1].isupper() and subject.pos_ != "NOUN"):
            chain = [
                t
                for t in subject.lefts
                if t.dep_ in ("compound", "flat") and t.pos_ == "PROPN" and t.i >= subject.i - 4
            ]
            if subject.ent_type_ == "PERSON":
                ent = self._ent_of.get(subject.i)
                tokens = list(ent) if ent is not None else chain + [subject]
            else:
                tokens = chain + [subject]
            tokens = self._name_tokens([t for t in tokens if t.i <= subject.i])
            if tokens:
                key = tokens[-1].text.lower()
                span = Mention.of(self.text, tokens[0].idx, tokens[-1].idx + len(tokens[-1]))
                if key in self.people:
                    return Resolved(f"p:{key}", self.people[key].name, "person", span)
                # "the March of Dimes": a proper name after "the" is an institution, not a person.
                if self._institution(tokens, subject):
                    ent = self._ent_of.get(subject.i)
                    start, end = (ent.start_char, ent.end_char) if ent is not None else self._phrase(subject)
                    return self._as_written("organization", Mention.of(self.text, start, end))
                if len(tokens) >= 2 or subject.ent_type_ == "PERSON":
                    key = self._register(tokens)
                    self._add_position(tokens[-1].i, key)
                    return Resolved(f"p:{key}", self.people[key].name, "person", span)
            return None
        for child in subject.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                return self.resolve(child)
        start, end = self._phrase(subject)
        written = Mention.of(self.text, start, end)
        determiners = [c for c in subject.children if c.dep_ in ("det", "poss", "amod", "nummod")]
        if any(self.lex.has("vague", c.lower_) for c in determiners):
            return None  # "some scientists say", "many doctors think"
        if self.lex.has("group", low):
            if low not in self.lex.bare_groups and not any(c.dep_ in ("det", "poss") for c in subject.children):
                return None  # "scientists say" is a vague appeal, "the scientists" a specific team
            resolved = self._as_written("group", written)
            at = bisect_left([i for i, _ in self._groups], subject.i)
            if at >= len(self._groups) or self._groups[at][0] != subject.i:
                self._groups.insert(at, (subject.i, resolved))
            return resolved
        if self.lex.has("person_noun", low):
            return self._as_written("person", written)
        if self.lex.has("organization", low):
            return self._as_written("organization", written)
        return None

    def _institution(self, tokens: list[Token], subject: Token) -> bool:
        """Whether a proper-name subject names an institution rather than a person."""
        if any(c.lower_ == "the" for c in subject.lefts) or subject.ent_type_ in ("NORP", "GPE", "FAC"):
            return True  # "the March of Dimes"
        if subject.ent_type_ != "ORG":
            return False
        # The tagger calls some two-word personal names ORG; institutions carry an institution
        # word or are acronyms.
        return len(tokens) < 2 or any(self.lex.has("organization", t.lower_) or t.is_upper for t in tokens)

    def _add_position(self, i: int, key: str) -> None:
        at = bisect_left(self._positions, i)
        if at >= len(self._positions) or self._positions[at] != i:
            self._positions.insert(at, i)
            self._keys.insert(at, key)

    def _as_written(self, kind: str, written: Mention) -> Resolved:
        return Resolved(f"{kind[0]}:{written.text.lower()}", written.text, kind, written)

    def note(self, resolved: Resolved) -> None:
        """Record the words naming a speaker at an attribution."""
        found = self.mentions.setdefault(resolved.key, [])
        if all(m.start != resolved.mention.start for m in found):
            found.append(resolved.mention)

    def build(self, key: str, resolved: Resolved) -> SpeakerHit:
        """The SpeakerHit of a quoted speaker: fullest name, role, affiliation, experience, mentions."""
        hit = SpeakerHit(name=resolved.name, kind=resolved.kind)
        mentions = list(self.mentions.get(key, []))
        person = self.people.get(key[2:]) if resolved.kind == "person" else None
        if person is not None:
            hit.name = person.name
            for start, end in person.spans:
                mentions.append(
                    Mention.of(self.text, self.doc[start].idx, self.doc[end - 1].idx + len(self.doc[end - 1]))
                )
                self._describe(hit, start, end)
        unique = {(m.start, m.end): m for m in mentions}
        hit.mentions = [unique[k] for k in sorted(unique)]
        return hit

    def _describe(self, hit: SpeakerHit, start: int, end: int) -> None:
        doc = self.doc
        if hit.role is None:
            hit.role = self._role_before(start)
        if hit.role is None or hit.affiliation is None:
            role, affiliation = self._apposition(end)
            hit.role = hit.role or role
            hit.affiliation = hit.affiliation or affiliation
        if hit.experience is None:
            sent = doc[start].sent
            for pattern in self.lex.experience:
                match = pattern.search(sent.text)
                if match:
                    hit.experience = match.group(1)
                    break

    def _role_before(self, start: int) -> str | None:
        """A role written before the name: "massage therapist Jane Roe", "lead author Jane Roe"."""
        doc = self.doc
        i = start - 1
        while i >= 0 and self.lex.has("title", doc[i].lower_):
            i -= 1
        first = i + 1
        while i >= 0 and i > start - 6:
            tok = doc[i]
            if tok.dep_ not in ("compound", "amod", "nmod") or tok.pos_ not in ("NOUN", "ADJ", "PROPN"):
                break
            if not (tok.is_lower or (tok.is_sent_start and tok.pos_ != "PROPN")):
                break
            first = i
            i -= 1
        words = doc[first:start]
        words = [t for t in words if not self.lex.has("title", t.lower_)]
        if not any(t.pos_ == "NOUN" for t in words):
            return None
        text = self.text[words[0].idx : words[-1].idx + len(words[-1])]
        return text[0].lower() + text[1:]

    def _apposition(self, end: int) -> tuple[str | None, str | None]:
        """Role and affiliation from "Jane Roe, a cardiologist at X," or "Jane Roe, of X,"."""
        doc = self.doc
        if end + 1 >= len(doc) or doc[end].text != ",":
            return None, None
        i = end + 1
        while i < len(doc) and doc[i].lower_ in ("md", "m.d.", "phd", "ph.d.", ","):
            i += 1
        stop = i
        while (
            stop < len(doc)
            and doc[stop].text not in (",", ".", ";", "(", "—", "--")
            and doc[stop].lower_ not in ("who", "which", "said", "says")
            and "\n" not in doc[stop].text
        ):
            stop += 1
        if stop <= i:
            return None, None
        first = doc[i]
        if first.lower_ in ("of", "from"):
            body = doc[i + 1 : stop]
            return None, body.text if len(body) else None
        if first.lower_ in ("a", "an", "the"):
            i += 1
        if i >= stop or not (doc[i].is_lower and doc[i].pos_ in ("NOUN", "ADJ", "VERB")):
            return None, None
        role = self.text[doc[i].idx : doc[stop - 1].idx + len(doc[stop - 1])]
        affiliation = None
        for marker in (" at ", " of the ", " for "):
            cut = role.find(marker)
            if cut > 0 and role[cut + len(marker) : cut + len(marker) + 1].isupper():
                affiliation = role[cut + len(marker) :]
                break
        return role, affiliation
