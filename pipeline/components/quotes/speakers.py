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

from healthclaims.resources import load_resource
from healthclaims.types import Mention, SpeakerHit


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
    kind: Literal[
        "title",
        "role_word",
        "pronoun",
        "group",
        "person_noun",
        "organization",
        "vague",
        "document",
        "experience",
        "work_cue",
        "work_after",
    ]
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
#: How far before a possessive or object mention a subject mention still wins a pronoun.
_SUBJECT_REACH = 40
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
        self._alias: dict[str, str] = {}  # short surname -> registry key ("torre" -> "torre-amione")
        self.mentions: dict[str, list[Mention]] = {}
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
        wanted = {strings.add(key) for key in self.people} | {strings.add(alias) for alias in self._alias}
        lowers = doc.to_array("LOWER").tolist()
        self._lowers, self._masked = lowers, masked
        for i, low in enumerate(lowers):
            if low in wanted and self._name_at(i):
                self._positions.append(i)
                self._keys.append(self._key(doc[i].lower_))
        # Plural subjects and study-team nouns in text order: what "they" can stand for.
        plural_tags = {strings.add("NNS"), strings.add("NNPS")}
        subject_deps = {strings.add("nsubj"), strings.add("nsubjpass")}
        groups = {strings.add(word) for word in lexicon.words.get("group", ())}
        tags = doc.to_array("TAG").tolist()
        deps = doc.to_array("DEP").tolist()
        self._plural_at: list[int] = [
            i
            for i, low in enumerate(lowers)
            if not masked[i] and (low in groups or (tags[i] in plural_tags and deps[i] in subject_deps))
        ]

    @staticmethod
    def _in_citation(ent: Span, excluded: list[tuple[int, int]]) -> bool:
        # Authors of cited papers ("Kumar et al., 2013") are not people speaking in the article.
        following = ent.doc[ent.end : ent.end + 2].text.lower()
        if following.startswith(("et al", "and colleagues (")):
            return True
        return any(s < ent.end_char and ent.start_char < e for s, e in excluded)

    def _name_tokens(self, tokens: list[Token]) -> list[Token]:
        while tokens and (
            self.lex.has("title", tokens[0].lower_)
            or self.lex.has("role_word", tokens[0].lower_)
            or not tokens[0].text[:1].isalpha()
        ):
            tokens = tokens[1:]
        while tokens and (tokens[-1].text in _POSSESSIVE or not tokens[-1].text[:1].isalnum()):
            tokens = tokens[:-1]
        if not tokens or not all(t.text[:1].isupper() for t in tokens if t.is_alpha and len(t) > 1):
            return []
        return tokens

    def _key(self, low: str) -> str:
        return self._alias.get(low, low)

    def _register(self, tokens: list[Token]) -> str:
        key = self._key(tokens[-1].text.lower())
        name = self.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1])]
        person = self.people.get(key)
        if person is None:
            self.people[key] = person = _Person(name)
            # Double surnames are often shortened to their first part on later mentions.
            first = name.split()[-1].split("-")[0].lower()
            if first != key and len(first) > 2 and first not in self.people:
                self._alias[first] = key
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
        nearest: str | None = None
        nearest_at = 0
        for k in range(at - 1, max(at - 12, -1), -1):
            key = self._keys[k]
            if " " not in self.people[key].name:
                continue
            i = self._positions[k]
            if nearest is None:
                if not self._possessive(i):
                    return key
                nearest, nearest_at = key, i
            elif nearest_at - i > _SUBJECT_REACH:
                break
            elif self.doc[i].dep_.startswith("nsubj"):
                # A subject pronoun continues the last person in subject position: a name seen as a
                # possessive in between ("she left Roe's office") rarely takes it over.
                return key
        return nearest

    def _possessive(self, i: int) -> bool:
        doc = self.doc
        return doc[i].dep_ == "poss" or (i + 1 < len(doc) and doc[i + 1].text in _POSSESSIVE)

    def _group_before(self, token: Token) -> Resolved | None:
        """What "they" stands for: the nearest plural subject or study-team noun, when it names a team."""
        found = None
        for k in range(bisect_left(self._plural_at, token.i) - 1, -1, -1):
            cand = self.doc[self._plural_at[k]]
            if token.i - cand.i > _GROUP_REACH:
                break
            if self.lex.has("group", cand.lower_):
                found = cand
                break
            # Other plural subjects take "they" over ("Patients were asked ... They said"), except
            # those of a clause the team reports ("the team found that patients improved").
            head = cand.head
            if head.dep_ != "ccomp" or not any(
                c.dep_.startswith("nsubj") and self.lex.has("group", c.lower_) for c in head.head.children
            ):
                break
        if found is None:
            return None
        if found.dep_ == "conj" and found.head.pos_ == "PROPN":
            return self.resolve(found.head)  # "Roe and colleagues ... They note"
        return self.resolve(found)

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
        capitalised = subject.text[:1].isupper()
        # The tagger often reads an unfamiliar surname as a common noun ("Makunts said").
        if subject.pos_ == "PROPN" or (capitalised and (subject.pos_ != "NOUN" or self._key(low) in self.people)):
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
                key = self._key(tokens[-1].text.lower())
                span = Mention.of(self.text, tokens[0].idx, tokens[-1].idx + len(tokens[-1]))
                if key in self.people:
                    # Later pronouns may refer back to this mention (the tagger may have missed it).
                    self._add_position(tokens[-1].i, key)
                    return Resolved(f"p:{key}", self.people[key].name, "person", span)
                if len(tokens) == 1:
                    # A surname alone: the article introduced the person earlier by full name,
                    # which the tagger did not label PERSON.
                    full = self._full_name(subject)
                    if full:
                        key = self._register(full)
                        self._index_person(key)
                        return Resolved(f"p:{key}", self.people[key].name, "person", span)
                # "the March of Dimes": a proper name after "the" is an institution, not a person.
                if self._institution(tokens, subject):
                    ent = self._ent_of.get(subject.i)
                    start, end = (ent.start_char, ent.end_char) if ent is not None else self._phrase(subject)
                    return self._as_written("organization", Mention.of(self.text, start, end))
                if len(tokens) >= 2 or subject.ent_type_ == "PERSON":
                    key = self._register(tokens)
                    self._add_position(tokens[-1].i, key)
                    self._index_person(key)
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
        if self.lex.has("group", low) or self._team_of(subject):
            if not (low in self.lex.bare_groups or self._specific_group(subject)):
                return None  # "scientists say" is a vague appeal, "the scientists" a specific team
            return self._as_written("group", written)
        if self.lex.has("person_noun", low):
            return self._as_written("person", written)
        if self.lex.has("organization", low):
            return self._as_written("organization", written)
        return None

    def _specific_group(self, subject: Token) -> bool:
        """Whether a group noun means one team: "the team", "a team led by Roe", "a group of researchers"."""
        for child in subject.children:
            if child.dep_ in ("det", "poss") or (child.dep_ == "acl" and child.lower_ == "led"):
                return True
        return self._team_of(subject)

    def _team_of(self, subject: Token) -> bool:
        """Whether a noun is "a group/team of <study team noun>" ("a group of researchers")."""
        return any(
            child.dep_ == "prep" and child.lower_ == "of" and self.lex.has("group", pobj.lower_)
            for child in subject.children
            for pobj in child.children
            if pobj.dep_ == "pobj"
        )

    def _full_name(self, surname: Token) -> list[Token] | None:
        """An earlier "First Last" mention of a bare surname, as name tokens, or None."""
        doc = self.doc
        low = surname.lower_
        for tok in doc[: surname.i]:
            if tok.lower_ != low or tok.i == 0:
                continue
            first = doc[tok.i - 1]
            if first.pos_ == "PROPN" and first.is_title and first.ent_type_ in ("PERSON", ""):
                start = tok.i - 1
                while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title and start > tok.i - 3:
                    start -= 1
                tokens = self._name_tokens(list(doc[start : tok.i + 1]))
                if len(tokens) >= 2:
                    return tokens
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

    def _name_at(self, i: int) -> bool:
        doc = self.doc
        return not self._masked[i] and doc[i].text[:1].isupper() and (i + 1 >= len(doc) or doc[i + 1].pos_ != "PROPN")

    def _index_person(self, key: str) -> None:
        """Add every mention of a person registered at an attribution, for pronouns that follow."""
        wanted = {self.doc.vocab.strings.add(k) for k, v in self._alias.items() if v == key}
        wanted.add(self.doc.vocab.strings.add(key))
        for i, low in enumerate(self._lowers):
            if low in wanted and self._name_at(i):
                self._add_position(i, key)

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
        # "For Jane Roe, the search ...": a name opening a sentence after a preposition is framing,
        # and what follows its comma is the sentence, not an apposition.
        framed = start > 0 and doc[start - 1].pos_ == "ADP" and doc[start - 1].is_sent_start
        if (hit.role is None or hit.affiliation is None) and not framed:
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
        # "Jane Roe, the pain specialist trial participants trust most, ...": a finite verb or a
        # subject inside makes a clause, not an apposition.
        if any(doc[k].tag_ in ("VBD", "VBZ", "VBP", "MD") or doc[k].dep_.startswith("nsubj") for k in range(i, stop)):
            return None, None
        role = self.text[doc[i].idx : doc[stop - 1].idx + len(doc[stop - 1])]
        affiliation = None
        for marker in (" at ", " of the ", " for "):
            cut = role.find(marker)
            if cut > 0 and role[cut + len(marker) : cut + len(marker) + 1].isupper():
                affiliation = role[cut + len(marker) :]
                break
        return role, affiliation
