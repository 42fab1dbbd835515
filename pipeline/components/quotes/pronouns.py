"""Pronouns for the quotes extractor's speakers: "she" and "he" to the nearest person of that
gender the article introduced by full name (a subject over a possessive in between), "they" to
the study team it stands for, "it" to a document or organisation, never a person.

``PronounResolver`` is a part of ``speakers.SpeakerBook``: it reads the book's Doc, lexicon,
people and their mention positions, and resolves what a team noun names through the book.
"""

from __future__ import annotations

from bisect import bisect_left
from spacy.tokens import Doc, Token

from healthclaims.components.quotes.gender import gender_of_first_name
from healthclaims.components.quotes.people import People, Person
from healthclaims.components.quotes.rules import Lexicon
from healthclaims.components.quotes.sources import Resolved, SourceWords, joint_names
from healthclaims.types import Mention

#: How far back (in tokens) "they" looks for the study team it stands for.
_GROUP_REACH = 150
#: How far before a possessive or object mention a subject mention still wins a pronoun.
_SUBJECT_REACH = 40
#: How many person mentions back a pronoun looks.
_PRONOUN_REACH = 12
POSSESSIVE_MARKS = ("'s", "’s", "'", "’")


class PronounResolver:
    """Pronoun resolution over a SpeakerBook's registered people (see the module docstring)."""

    doc: Doc
    text: str
    lex: Lexicon
    words: SourceWords
    people: People
    _positions: list[int]
    _keys: list[str]
    _plural_at: list[int]
    _spoken: set[str]  # people who stand as the subject of a reporting verb somewhere

    def _gender(self, person: Person) -> str | None:
        """The gender a title ("Mrs.") before a mention, else the article's own pronoun for them,
        else the first name, tells; None if none does."""
        for start, _ in person.spans:
            if start > 0 and self.doc[start - 1].lower_ in self.lex.genders:
                return self.lex.genders[self.doc[start - 1].lower_]
        told = self._gender_told(person)
        if told is not None:
            return told
        words = person.name.split()
        firsts = [w for w in words[:-1] if len(w) > 1 and not w.endswith(".")]
        return gender_of_first_name(firsts[0]) if firsts else None

    def _gender_told(self, person: Person) -> str | None:
        """The gender of the first subject pronoun after the person's first mention, in that
        sentence or the next, before anyone else is named ("Alex Roe, 25, ran. Then she ..."),
        when that mention is its sentence's subject (after "Roe met Lee.", "She" is Roe's): the
        article's word beats a guess from a first name used by both."""
        if not person.spans:
            return None
        doc = self.doc
        start, end = min(person.spans)
        if not any(t.dep_ in ("nsubj", "nsubjpass") for t in doc[start:end]):
            return None
        stop = doc[start].sent.end
        if stop < len(doc):
            stop = doc[stop].sent.end
        for k in range(bisect_left(self._positions, end), len(self._positions)):
            if self.people[self._keys[k]] is not person:
                stop = min(stop, self._positions[k])
                break
        for tok in doc[end:stop]:
            if tok.ent_type_ == "PERSON" and not any(s <= tok.i < e for s, e in person.spans):
                return None
            low = tok.lower_
            if self.words.masked[tok.i] or not tok.dep_.startswith("nsubj") or not self.lex.has("pronoun", low):
                continue
            gender = self.lex.genders.get(low)
            return gender if gender in ("m", "f") else None
        return None

    def _pronoun(self, subject: Token, documents: bool) -> Resolved | None:
        low = subject.lower_
        if low in self.lex.plural:
            return self._group_before(subject)
        gender = self.lex.genders.get(low)
        if gender is None:  # "it": a document or organisation, never a person
            return self.words.it_source(subject) if documents else None
        key = self._person_before(subject, gender)
        if key is None:
            return None
        mention = Mention.of(self.text, subject.idx, subject.idx + len(subject))
        return Resolved(f"p:{key}", self.people[key].name, "person", mention)

    def _person_before(self, token: Token, gender: str | None) -> str | None:
        # A pronoun refers back to someone the article introduced by full name; single-word
        # PERSON entities are often products or misreadings ("devices such as Alex"), unless the
        # article has them speak ("Roe, 52, told reporters").
        at = bisect_left(self._positions, token.i)
        nearest: str | None = None
        nearest_at = 0
        for k in range(at - 1, max(at - _PRONOUN_REACH, -1), -1):
            person = self.people[self._keys[k]]
            if (" " not in person.name and not self._titled(person) and self._keys[k] not in self._spoken) or (
                gender and person.gender and person.gender != gender
            ):
                continue
            i = self._positions[k]
            if nearest is None:
                if not self._possessive(i):
                    return self._keys[k]
                nearest, nearest_at = self._keys[k], i
            elif nearest_at - i > _SUBJECT_REACH:
                break
            elif self.doc[i].dep_.startswith("nsubj"):
                # A subject pronoun continues the last person in subject position: a name seen as a
                # possessive in between ("she left Roe's office") rarely takes it over.
                return self._keys[k]
        return nearest

    def _titled(self, person: Person) -> bool:
        """A one-word name written after a personal title ("Dr. Roe") is a person the story
        introduced elsewhere (a later page of it), not a product or a misreading."""
        return any(start > 0 and self.lex.has("title", self.doc[start - 1].lower_) for start, _ in person.spans)

    def _possessive(self, i: int) -> bool:
        doc = self.doc
        return doc[i].dep_ == "poss" or (i + 1 < len(doc) and doc[i + 1].text in POSSESSIVE_MARKS)

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
            if joint_names(cand):
                # "Jane Roe and Brian Zell said ... they wrote": the people named together, when each is a person
                together = self.resolve(cand)
                return together if together is not None and together.kind == "group" else None
            # Other plural subjects take "they" over ("Patients were asked ... They said"), except
            # those of a clause the team reports ("the team found that patients improved").
            head = cand.head
            if head.dep_ != "ccomp" or not any(
                c.dep_.startswith("nsubj") and (self.lex.has("group", c.lower_) or joint_names(c)) for c in head.head.children
            ):
                break
        if found is None:
            return None
        if found.dep_ == "conj" and found.head.pos_ == "PROPN":
            return self.resolve(found.head)  # "Roe and colleagues ... They note"
        return self.resolve(found)
