"""The people of one article, keyed by surname: fullest names, name mentions, shortened double
surnames, and people who share a surname (a patient and her mother, two unrelated Smiths).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span, Token


@dataclass
class Person:
    """One person of the article: fullest name, name mentions (token ranges), gender if known."""

    name: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    gender: str | None = None
    roles: set[str] = field(default_factory=set)  # nouns that describe them ("senator", "researcher")

    @property
    def first(self) -> str | None:
        """The first name, lower case, when the name has one ("Jane Roe" -> "jane")."""
        words = self.name.split()
        return words[0].lower() if len(words) > 1 else None


def same_person(a: str | None, b: str | None) -> bool:
    """Whether two first names can be one person's: equal, an initial ("J."), or a short form ("Rob")."""
    if a is None or b is None:
        return True
    a, b = a.rstrip("."), b.rstrip(".")
    if len(a) == 1 or len(b) == 1:
        return a[:1] == b[:1]
    return a.startswith(b) or b.startswith(a)


#: A generational suffix after a name, closed by punctuation ("Roe, Jr., a professor", "Roe III.").
_SUFFIX = re.compile(r",? (Jr\.?|Sr\.?|II|III|IV)(?=[,;:)]|\.|\s*$)")


def hyphenated_start(text: str, start: int) -> int:
    """Where the word at ``start`` begins when hyphenated parts come before it ("Jean-|Yves", "Banta-|Green"):
    the tagger and the tokenizer often leave those parts out of a name."""
    while start > 1 and text[start - 1] == "-" and text[start - 2].isalpha():
        start -= 1
        while start > 0 and text[start - 1].isalpha():
            start -= 1
    return start


def last_word(text: str, tokens: list[Token]) -> tuple[str, int]:
    """The last word of name tokens, lower case and whole when hyphenated ("Banta-Green" comes
    as "Banta", "-", "Green"), and the index of the first of ``tokens`` inside it."""
    start = hyphenated_start(text, tokens[-1].idx)
    first = next(j for j, tok in enumerate(tokens) if tok.idx >= start)
    return text[start : tokens[-1].idx + len(tokens[-1])].lower(), first


def with_given_names(ent: Span, masked: list[bool]) -> list[Token]:
    """A PERSON entity's tokens with the given names the tagger left out before it ("Ana Isabel
    Roe" labelled only "Roe"): title-case proper nouns compounded onto the name, outside any
    other entity and outside quotation marks."""
    doc, start = ent.doc, ent.start
    while start > 0 and ent.start - start < 3:
        prev = doc[start - 1]
        if not (prev.pos_ == "PROPN" and prev.is_title and not prev.ent_type_ and not masked[prev.i]
                and prev.dep_ in ("compound", "flat") and ent.start <= prev.head.i < ent.end):
            break
        start -= 1
    return list(doc[start : ent.end])


class People:
    """Registry of the people named in one Doc."""

    def __init__(self, text: str):
        self.text = text
        self.by_key: dict[str, Person] = {}
        self._alias: dict[str, str] = {}  # short surname -> surname ("lopez" -> "lopez-garcia")
        self._homonyms: dict[str, list[str]] = {}  # surname -> keys of everyone with it

    def __contains__(self, key: str) -> bool:
        return key in self.by_key

    def __getitem__(self, key: str) -> Person:
        return self.by_key[key]

    def surname(self, low: str) -> str:
        """The registry surname of a lower-case surname (a shortened double surname maps to the whole)."""
        return self._alias.get(low, low)

    def known(self, low: str) -> bool:
        """Whether anyone has the lower-case surname ``low``."""
        return self.surname(low) in self._homonyms

    def surnames(self) -> dict[str, str]:
        """Every lower-case surname and short form, mapped to its registry surname."""
        return {s: s for s in self._homonyms} | dict(self._alias)

    def key_at(self, low: str, i: int, first: str | None = None) -> str | None:
        """The key of the person surnamed ``low`` meant at token ``i``: the one whose first name is
        ``first``, else the one named in full most recently before ``i``."""
        keys = self._homonyms.get(self.surname(low), [])
        if first is not None:
            keys = [k for k in keys if same_person(self.by_key[k].first, first)]
        if len(keys) <= 1:
            return keys[0] if keys else None
        before = [(max((s for s, _ in self.by_key[k].spans if s < i), default=-1), k) for k in keys]
        return max(before)[1]

    def register(self, tokens: list[Token]) -> str:
        """Add a name mention (name tokens, titles stripped); returns the person's key."""
        start = hyphenated_start(self.text, tokens[0].idx)  # "Jean-Yves Roe", the first part left out
        end = tokens[-1].idx + len(tokens[-1])
        suffix = _SUFFIX.match(self.text, end)
        # "Dr. H. Ralph Roe, Jr.": the generational suffix belongs to the fullest name
        name = self.text[start : suffix.end(1) if suffix else end]
        # "Gracia Marco" after "Luis Gracia-Marco" writes that person's double surname without its hyphen.
        dropped = self.hyphen_dropped(name)
        surname = dropped or self.surname(last_word(self.text, tokens)[0])
        # A bare surname is a mention of whoever had it in full most recently, not a new person.
        bare = None if len(name.split()) > 1 and dropped is None else self.key_at(surname, tokens[0].i)
        key = bare or self.tail_key(surname, name) or self._key_for(surname, name)
        person = self.by_key[key]
        if dropped is None and len(name.split()) > len(person.name.split()):
            person.name = name
        span = (tokens[0].i, tokens[-1].i + 1)
        if span not in person.spans:
            person.spans.append(span)
        return key

    def _key_for(self, surname: str, name: str) -> str:
        keys = self._homonyms.setdefault(surname, [])
        first = name.split()[0].lower() if len(name.split()) > 1 else None
        for key in keys:
            if same_person(self.by_key[key].first, first):
                return key
        key = surname if not keys else f"{surname}~{len(keys)}"
        keys.append(key)
        self.by_key[key] = Person(name)
        # Double surnames are often shortened to one part on later mentions (mostly the first).
        for short in dict.fromkeys(surname.split("-")):
            if short != surname and len(short) > 2 and short not in self._homonyms and short not in self._alias:
                self._alias[short] = surname
        return key

    def tail_key(self, surname: str, name: str) -> str | None:
        """The person whose name this one ends, or ends with: "Van Dam" after "Lena Van Dam" (a surname
        of two words is no first name and a surname), or "Lena Van Dam" after "Van Dam"."""
        low = name.lower()
        for key in self._homonyms.get(self.surname(surname), []):
            known = self.by_key[key].name.lower()
            if known != low and (known.endswith(" " + low) or low.endswith(" " + known)):
                return key
        return None

    def hyphen_dropped(self, name: str) -> str | None:
        """The registered double surname that a name writes without its hyphen, or None."""
        words = name.lower().split()
        joined = "-".join(words[-2:]) if len(words) >= 2 else ""
        return joined if joined in self._homonyms else None

    def by_first_name(self, low: str) -> str | None:
        """The one person whose first name is ``low`` (children are often called by first name)."""
        keys = [k for k, p in self.by_key.items() if p.first == low]
        return keys[0] if len(keys) == 1 else None
