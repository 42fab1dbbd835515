"""Speakers for the quotes extractor: who an attribution's subject names, as the fullest name.

The people of a Doc are all registered before any attribution is resolved (named entities, then
the names that stand as subjects of reporting verbs), so resolving is a pure lookup and gives
the same answer whatever order the quotes are attributed in. Surnames and pronouns resolve to a
person mentioned earlier (pronouns only to people whose first name does not tell another
gender); groups and organisations are kept as written.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from healthclaims.components.common import QUOTE_CHARS, doc_text, surname_left_out
from healthclaims.components.quotes.gender import is_first_name, opens_full_name
from healthclaims.components.quotes.pronouns import POSSESSIVE_MARKS, PronounResolver
from healthclaims.components.quotes.people import People, Person, last_word, with_given_names
from healthclaims.components.quotes.rules import Lexicon
from healthclaims.components.quotes.sources import Resolved, SourceWords, as_written
from healthclaims.types import Mention

#: How many words before or after a name may describe the person.
_ROLE_REACH = 6
#: The most tokens two PERSON entities the tagger split may hold together ("Maria Valeria Canto - Soler").
_NAME_MAX_TOKENS = 6


class SpeakerBook(PronounResolver):
    """People named in one Doc, and what the subject of a reporting verb names.

    Args:
        doc: the parsed Doc.
        lexicon: the speaker words.
        masked: per token, whether it lies inside quotation marks (quoted names do not speak).
        excluded: character ranges whose names are not people of the article (cited authors).
        subjects: every token that may stand as a speaker (subjects of reporting verbs), so
            that names the tagger missed are registered before anything is resolved.
    """

    def __init__(
        self,
        doc: Doc,
        lexicon: Lexicon,
        masked: list[bool],
        excluded: list[tuple[int, int]],
        subjects: Iterable[Token] = (),
    ):
        self.doc, self.text, self.lex = doc, doc_text(doc), lexicon
        self.words = SourceWords(doc, lexicon, masked)
        self.people = People(doc_text(doc))
        self._masked = masked
        self._excluded = excluded
        ents = self._joined_names(doc)
        self._ent_of: dict[int, Span] = {i: ent for ent in ents for i in range(ent.start, ent.end)}
        for ent in ents:
            if (
                ent.label_ == "PERSON" and not masked[ent.start] and not self._in_citation(ent, excluded)
                and not self._quoted_term(ent)
            ):
                tokens = self._name_tokens(list(ent))
                longer = self._name_tokens(with_given_names(ent, masked))
                if len(longer) > len(tokens) and opens_full_name(longer):
                    tokens = longer
                if self._person_entity(tokens):
                    self.people.register(tokens)
        for tokens in self._aged_names(excluded):
            self.people.register(tokens)
        spoken = self._register_subjects(subjects)
        self._spoken = {key for _, key in spoken}
        self._index_mentions(spoken)
        for person in self.people.by_key.values():
            person.gender = self._gender(person)
            person.roles = self._role_words(person)

    # ---- registry (built once, before resolving) ----------------------------------------
    @staticmethod
    def _joined_names(doc: Doc) -> list[Span]:
        """The Doc's entities, with a PERSON split in two by the tagger joined again: given names
        right before a surname entity ("Maria Valeria" + "Canto-Soler") are one name, and so are a
        hyphenated given name and the surname left after it ("Jean-Yves" + "Reginster")."""
        out: list[Span] = []
        for ent in doc.ents:
            if ent.label_ == "PERSON" and surname_left_out(doc, ent.end):
                ent = Span(doc, ent.start, ent.end + 1, label="PERSON")  # "Jean-Yves" + "Reginster"
            prev = out[-1] if out else None
            if (
                prev is not None and ent.label_ == prev.label_ == "PERSON" and prev.end == ent.start
                and doc[prev.end - 1].whitespace_ == " " and is_first_name(prev[0].text)
                and ent.end - prev.start <= _NAME_MAX_TOKENS
            ):
                out[-1] = Span(doc, prev.start, ent.end, label="PERSON")
            else:
                out.append(ent)
        return out

    @staticmethod
    def _quoted_term(ent: Span) -> bool:
        """"'Female Viagra' gets mixed reviews": a name standing alone in quotation marks is a term, not a person."""
        doc = ent.doc
        before = doc[ent.start - 1].text if ent.start > 0 else ""
        # the tagger may take the closing mark into the entity ("Female Viagra'")
        after = ent[-1].text if ent[-1].text in QUOTE_CHARS else doc[ent.end].text if ent.end < len(doc) else ""
        return bool(before) and bool(after) and before in QUOTE_CHARS and after in QUOTE_CHARS

    @staticmethod
    def _in_citation(ent: Span, excluded: list[tuple[int, int]]) -> bool:
        # Authors of cited papers ("Kumar et al., 2013") are not people speaking in the article.
        following = ent.doc[ent.end : ent.end + 2].text.lower()
        if following.startswith(("et al", "and colleagues (")):
            return True
        return any(s < ent.end_char and ent.start_char < e for s, e in excluded)

    def _aged_names(self, excluded: list[tuple[int, int]]) -> list[list[Token]]:
        """Full names the tagger did not label PERSON but the article gives an age ("Jane Roe, 57,
        of Leeds"): news introduces patients and case studies that way, and only people have ages."""
        doc, found = self.doc, []
        for i in range(2, len(doc) - 2):
            comma, age, after = doc[i], doc[i + 1], doc[i + 2]
            if comma.text != "," or after.text != "," or not (age.like_num and age.text.isdigit() and len(age) <= 3):
                continue
            start = i
            while start > 0 and i - start < 3 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title:
                start -= 1
            tokens = self._name_tokens(list(doc[start:i]))
            if len(tokens) < 2 or self._masked[start] or doc[i - 1].ent_type_ == "PERSON":
                continue
            if any(s < doc[i - 1].idx + len(doc[i - 1]) and doc[start].idx < e for s, e in excluded):
                continue
            known = self._known(tokens)
            # ... or completes one known so far by surname alone ("Ms. Roe" in a caption before "Jane Roe, 76,")
            if self._person_entity(tokens) and (known is None or len(self.people[known].name.split()) < len(tokens)):
                found.append(tokens)
        return found

    def _person_entity(self, tokens: list[Token]) -> bool:
        """Whether the words of a PERSON entity name a new person of the article."""
        if not tokens or any(self.lex.has("organization", t.lower_) for t in tokens):
            return False  # the tagger labels some institutions PERSON ("... Cancer Center")
        if not self._one_word(tokens):
            # ... and some names of firms ("Innovative Laser Therapy"): a full name starts with a first name.
            return opens_full_name(tokens)
        # A lone first name after the full name ("Maya Roe ... Maya said") is that person.
        return self.people.by_first_name(tokens[0].lower_) is None

    def _name_tokens(self, tokens: list[Token]) -> list[Token]:
        """The words of a name without titles, role words, possessives and punctuation."""
        while tokens and (
            self.lex.has("title", tokens[0].lower_)
            or self.lex.has("role_word", tokens[0].lower_)
            or (len(tokens) > 1 and self.lex.has("person_noun", tokens[0].lower_))  # "Mom Jane Roe said"
            or not tokens[0].text[:1].isalpha()
        ):
            tokens = tokens[1:]
        while tokens and (tokens[-1].text in POSSESSIVE_MARKS or not tokens[-1].text[:1].isalnum()):
            tokens = tokens[:-1]
        while len(tokens) > 1 and self.lex.has("name_particle", tokens[0].text):
            tokens = tokens[1:]  # "van der Walt said": the surname's particles open no name
        particle = [self.lex.has("name_particle", t.text) for t in tokens]
        if not tokens or not all(t.text[:1].isupper() or p for t, p in zip(tokens, particle) if t.is_alpha and len(t) > 1):
            return []
        return tokens

    def _full(self, tokens: list[Token]) -> bool:
        return not self._one_word(tokens) and opens_full_name(tokens)

    def _one_word(self, tokens: list[Token]) -> bool:
        return last_word(self.text, tokens)[1] == 0  # "Roe", "Banta-Green"

    def _known(self, tokens: list[Token]) -> str | None:
        """The key of the registered person that name tokens stand for, or None."""
        surname, at = last_word(self.text, tokens)
        key = self.people.key_at(surname, tokens[-1].i, tokens[0].lower_ if at else None)
        if key is None and at:
            key = self.people.tail_key(surname, self.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1])])
        dropped = self.people.hyphen_dropped(self.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1])])
        if key is None and dropped is not None:
            key = self.people.key_at(dropped, tokens[-1].i)
        return key if key is not None or at else self.people.by_first_name(surname)

    def _register_subjects(self, subjects: Iterable[Token]) -> list[tuple[int, str]]:
        """Register the names standing as speakers that the tagger did not label PERSON.

        Every decision is taken against the named-entity registry alone, then all are added in
        text order, so the registry does not depend on the order the subjects come in. Returns
        ``(token index, key)`` of the subjects that name a person, for pronoun resolution.
        """
        decided: list[tuple[Token, list[Token], bool]] = []
        for subject in sorted(set(self._expand(subjects)), key=lambda t: t.i):
            low = subject.lower_
            if self.lex.has("vague", low) or self.lex.has("degree", low) or not self._looks_proper(subject):
                continue
            tokens = self.proper_name(subject)
            key = self._known(tokens) if tokens else None
            chosen = tokens if key is not None else self._new_person(subject, tokens) if tokens else None
            # A full name standing as a subject ("Niki Roe ... said") completes a person known so far
            # only by surname (the tagger labelled a later "Roe" alone).
            fuller = key is not None and " " not in self.people[key].name and self._full(tokens)
            if chosen:
                decided.append((tokens[-1], chosen, key is None or fuller))
        spoken = []
        for last, chosen, new in decided:
            key = self.people.register(chosen) if new else self._known(chosen)
            if key is not None:
                spoken.append((last.i, key))
        return spoken

    def _expand(self, subjects: Iterable[Token]) -> Iterable[Token]:
        # "the surgeon, Jane Roe, said" and "Roe and colleagues found" name a person through
        # the subject's apposition or conjunct head.
        for subject in subjects:
            yield subject
            for head in [subject, *subject.conjuncts]:
                yield from (c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN")
            if subject.dep_ == "conj" and subject.head.pos_ == "PROPN":
                yield subject.head

    def _new_person(self, subject: Token, tokens: list[Token]) -> list[Token] | None:
        """The name tokens to register for a proper-name subject not yet known, or None."""
        if self._one_word(tokens):
            # A surname alone: the article introduced the person earlier by full name, which
            # the tagger did not label PERSON.
            full = self._full_name(subject)
            if full:
                return full
        if self.institution(tokens, subject):
            return None
        return tokens if len(tokens) >= 2 or subject.ent_type_ == "PERSON" else None

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

    def _index_mentions(self, spoken: list[tuple[int, str]]) -> None:
        """Person mentions in text order, for pronoun resolution: every registered name's
        surname wherever it stands as a name, plus the subjects registered above."""
        strings = self.doc.vocab.strings
        wanted = {strings.add(name) for name in self.people.surnames()}
        at: dict[int, str] = dict(spoken)
        for i, low in enumerate(self.doc.to_array("LOWER").tolist()):
            if low in wanted and self._name_at(i):
                key = self.people.key_at(self.doc[i].lower_, i)
                if key is not None:
                    at[i] = key
        self._positions = sorted(at)
        self._keys = [at[i] for i in self._positions]
        self._plural_at = self.words.plural_subjects(self._masked)

    def _name_at(self, i: int) -> bool:
        doc = self.doc
        return not self._masked[i] and doc[i].text[:1].isupper() and (i + 1 >= len(doc) or doc[i + 1].pos_ != "PROPN")

    def _role_words(self, person: Person) -> set[str]:
        """Nouns written next to a person's name: before it ("Sen. Jane Roe", "lead researcher Jane
        Roe") and in an apposition after it ("Jane Roe, a cardiologist at X,")."""
        doc, words = self.doc, set()
        for start, end in person.spans:
            for tok in reversed(doc[max(start - _ROLE_REACH, 0) : start]):
                if not (tok.pos_ in ("NOUN", "PROPN", "ADJ") or self.lex.has("title", tok.lower_)):
                    break
                words.add(tok.lower_)
            # The nouns opening an apposition are the role: "Jane Roe, a cardiologist at X" -> cardiologist.
            if end < len(doc) and doc[end].text == ",":
                for tok in doc[end + 1 : end + 1 + _ROLE_REACH]:
                    if tok.is_punct or tok.pos_ in ("ADP", "VERB", "AUX", "PRON"):
                        break
                    if tok.pos_ == "NOUN":
                        words.add(tok.lower_)
        return {self.lex.means.get(w, w) for w in words}

    def _described(self, subject: Token) -> Resolved | None:
        """The person a definite description stands for: "the senator" after "Sen. Jane Roe"."""
        if subject.tag_ not in ("NN", "NNP") or not subject.is_lower:
            return None
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in subject.children):
            return None
        low = subject.lower_
        if any(self.lex.has(kind, low) for kind in ("document", "vague", "organization")):
            return None  # "the company says" is the company, even after "the company's CEO Jane Roe"
        for k in range(bisect_left(self._positions, subject.i) - 1, -1, -1):
            person = self.people[self._keys[k]]
            if low in person.roles:
                start, end = self.words.phrase(subject)
                return Resolved(f"p:{self._keys[k]}", person.name, "person", Mention.of(self.text, start, end))
        return None

    # ---- resolution (pure) ----------------------------------------------------------------
    def resolve(self, subject: Token, documents: bool = False) -> Resolved | None:
        """Resolve the subject token of a reporting verb to a speaker, or None for vague/unknown sources.

        With ``documents``, a document ("the report", "it") speaks too: it wrote the words quoted.
        """
        low = subject.lower_
        if self.lex.has("pronoun", low):
            return self._pronoun(subject, documents)
        if subject.pos_ == "PRON":
            return None
        if subject.tag_ == "CD":
            # "Five of the six co-authors disclosed": a count out of one definite team is that team, as written
            found = self.words.partitive(subject)
            return None if found is None else as_written(*found)
        if self.lex.has("degree", low):
            # "said David Roe, MD" is sometimes parsed with "MD" as the subject: the name before it speaks.
            name = next((t for t in reversed(self.doc[max(subject.i - 3, 0) : subject.i]) if t.pos_ == "PROPN"), None)
            return self.resolve(name, documents) if name is not None else None
        # a capitalised document word is a noun still (a title-case headline's "Study Reveals ...")
        if not self.lex.has("vague", low) and not self.lex.has("document", low) and self._looks_proper(subject):
            found = self._proper(subject)
            if found is not None and found.kind == "person":
                found = self._pair(subject, found) or found
            # The tagger calls some lower-case nouns proper ("the senator"): read them as nouns.
            if found is not None or subject.text[:1].isupper():
                return found
        # "the surgeon, Jane Roe, said", "founder and director Jane Roe says": the name is an apposition.
        for head in [subject, *subject.conjuncts]:
            for child in head.children:
                if child.dep_ == "appos" and child.pos_ == "PROPN":
                    named = self.resolve(child)
                    if named is not None:
                        return named
                    # "Scientists at X and spin-off company Y say": a name that is nobody's leaves the head noun to speak
        described = self._described(subject)
        if described is not None:
            return described
        found = self.words.common_noun(subject, documents)
        return None if found is None else as_written(*found)

    def _looks_proper(self, subject: Token) -> bool:
        # The tagger often reads an unfamiliar surname as a common noun ("Makunts said").
        capitalised = subject.text[:1].isupper()
        return subject.pos_ == "PROPN" or (capitalised and (subject.pos_ != "NOUN" or self.people.known(subject.lower_)))

    def proper_name(self, subject: Token) -> list[Token]:
        """The name words of a proper-noun subject: its PERSON entity, else its compound chain."""
        chain = [t for t in subject.lefts if t.dep_ in ("compound", "flat") and t.pos_ == "PROPN" and t.i >= subject.i - 4]
        ent = self._ent_of.get(subject.i) if subject.ent_type_ == "PERSON" else None
        tokens = list(ent) if ent is not None else chain + [subject]
        # the surname joined after a hyphenated given name ("Jean-Yves" + "Reginster") belongs to it
        last = ent.end - 1 if ent is not None and ent[-1].ent_type_ == "" else subject.i
        return self._name_tokens([t for t in tokens if t.i <= max(subject.i, last)])

    def _pair(self, subject: Token, first: Resolved) -> Resolved | None:
        """Two or more people named together as one subject ("Roe and Zell say"): they speak as one,
        written with their fullest names ("Jane Roe and Brian Zell"); None unless each is a person."""
        others = [c for c in subject.children if c.dep_ == "conj" and c.pos_ == "PROPN"]
        if not others:
            return None
        people = [first]
        for other in others:
            found = self._proper(other)
            if found is None or found.kind != "person" or any(found.key == p.key for p in people):
                return None
            people.append(found)
        mention = Mention.of(self.text, first.mention.start, people[-1].mention.end)
        name = ", ".join(p.name for p in people[:-1]) + " and " + people[-1].name
        return Resolved("g:" + "+".join(p.key for p in people), name, "group", mention)

    def _proper(self, subject: Token) -> Resolved | None:
        tokens = self.proper_name(subject)
        if not tokens:
            return None
        key = self._known(tokens)
        span = Mention.of(self.text, tokens[0].idx, tokens[-1].idx + len(tokens[-1]))
        if key is not None:
            return Resolved(f"p:{key}", self.people[key].name, "person", span)
        if self.institution(tokens, subject):
            ent = self._ent_of.get(subject.i)
            start, end = (ent.start_char, ent.end_char) if ent is not None else self.words.phrase(subject)
            # a title-case headline's entity can run on past the subject into the verb ("Study Reveals a Food")
            # ... but "The Academy of Example Surgeons" runs on past its head with no verb in it
            runs_on = ent is not None and any(t.tag_.startswith("VB") for t in self.doc[subject.i + 1 : ent.end])
            end = min(end, subject.idx + len(subject)) if runs_on else end
            # a dateline the parser hangs on the name ("CITY, St., date /Wire/ -- Firm") is no part of it
            for s, e in self._excluded:
                if s <= start < e < end:
                    start = e
            while start < end and not self.text[start].isalnum():
                start += 1
            return as_written("organization", Mention.of(self.text, start, end))
        return None

    def institution(self, tokens: list[Token], subject: Token) -> bool:
        """Whether a proper-name subject names an institution rather than a person."""
        if any(c.lower_ == "the" for c in subject.lefts) or subject.ent_type_ in ("NORP", "GPE", "FAC"):
            return True  # "the March of Dimes"
        if not self._one_word(tokens) and not opens_full_name(tokens):
            return True  # a person's full name starts with a first name ("Innovative Laser Therapy")
        if subject.ent_type_ != "ORG":
            return False
        # The tagger calls some two-word personal names ORG; institutions carry an institution
        # word or are acronyms.
        return len(tokens) < 2 or any(self.lex.has("organization", t.lower_) or t.is_upper for t in tokens)
