"""Speakers that are not named people: study teams, unnamed individuals, organisations and
documents, given as the article writes them ("the researchers", "a spokesperson for the FDA",
"all three experts", "the report").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from healthclaims.components.common import doc_text
from healthclaims.components.quotes.rules import Lexicon
from healthclaims.types import Mention

# Subject phrases stop before clauses and appositions that describe rather than name the source.
_PHRASE_STOP = {"relcl", "acl", "appos", "punct", "advcl", "cc", "conj"}
#: Verbs by which a bare group tells a result it reached ("scientists found", "scientists have reported").
_RESULT_VERBS = frozenset({"find", "discover", "report", "show", "demonstrate", "conclude", "identify", "reveal", "uncover", "establish"})
#: Participles that name whose team a group is ("a team led by Roe", "researchers based at X").
_NAMING_PARTICIPLES = {"lead", "led", "head", "headed", "base", "based", "direct", "directed"}
# Determiners that make a plural of people one definite set ("the experts", "all three experts").
_DEFINITE = {"the", "all", "both", "these", "those"}
#: How far back (in tokens) "it" looks for the document or organisation it stands for.
_IT_REACH = 60


@dataclass(frozen=True)
class Resolved:
    """A speaker found at one attribution: its registry key, name, kind and the words naming it."""

    key: str
    name: str
    kind: str
    mention: Mention


def at_institution(subject: Token) -> bool:
    """Whether a group noun is placed at a named institution ("scientists at the University of X"), or
    named by the journal its report appeared in ("researchers publishing in the X Journal")."""
    return any(
        child.dep_ == "prep" and child.lower_ in ("at", "from") and pobj.pos_ == "PROPN"
        for child in subject.children
        for pobj in child.children
        if pobj.dep_ == "pobj"
    ) or any(
        child.lemma_.lower() in _PUBLISHING and pobj.pos_ == "PROPN"
        for child in _participles(subject)
        for prep in child.children
        if prep.dep_ == "prep" and prep.lower_ == "in"
        for pobj in prep.children
        if pobj.dep_ == "pobj"
    )


#: "Researchers publishing in the X Journal", "scientists writing in Y": a team named by its paper's venue.
_PUBLISHING = frozenset({"publish", "write", "report"})


def _participles(subject: Token) -> list[Token]:
    """The participles describing a group noun: its own ("researchers writing in X said"), or the one the
    parser made the clause's subject with the noun as its subject ("researchers publishing in X have found")."""
    own = [c for c in subject.children if c.dep_ == "acl" and c.tag_ == "VBG"]  # not "studies published in X"
    head = subject.head
    made_subject = subject.dep_ == "nsubj" and head.tag_ == "VBG" and head.dep_ == "csubj"
    return own + ([head] if made_subject else [])


def joint_names(subject: Token) -> bool:
    """People named together as one subject ("Jane Roe and Brian Zell wrote"): "they" may stand for them."""
    return subject.pos_ == "PROPN" and any(c.dep_ == "conj" and c.pos_ == "PROPN" for c in subject.children)


def _before_aside(child: Token) -> Token:
    """The last word of ``child``'s phrase before a relative clause set off inside it ("researchers from the
    X Centre, who question ..., suggest": the clause hangs on "Centre" and describes the group)."""
    doc = child.doc
    for tok in child.subtree:
        if tok.dep_ == "relcl" and tok.i != child.i:
            opening = tok.left_edge.i - 1
            if opening > child.i and doc[opening].text == ",":
                return doc[opening - 1]
    return child.right_edge


def as_written(kind: str, written: Mention) -> Resolved:
    """A speaker given as the article writes it ("the researchers", "a spokesperson for the FDA")."""
    return Resolved(f"{kind[0]}:{written.text.lower()}", written.text, kind, written)


class SourceWords:
    """What a common noun (or "it") standing as the subject of a reporting verb names."""

    def __init__(self, doc: Doc, lexicon: Lexicon, masked: list[bool]):
        self.doc, self.text, self.lex, self.masked = doc, doc_text(doc), lexicon, masked

    def phrase(self, head: Token) -> tuple[int, int]:
        """Character range of a common-noun subject phrase, cut before clauses and appositions."""
        end = head.idx + len(head)
        last = head
        for child in head.rights:
            # "Scientists at X and spin-off company Y": an apposition the parser hangs on the subject
            # with no comma before it is the end of the phrase (a name, a conjunct), not an aside
            unmarked = child.dep_ == "appos" and child.left_edge.i == last.i + 1
            # "a team led by Quilby University": the participle that says whose team it is belongs to the name
            named_by = child.dep_ == "acl" and child.tag_ == "VBN" and child.lemma_.lower() in _NAMING_PARTICIPLES
            if child.dep_ in _PHRASE_STOP and not (unmarked or named_by):
                break
            last = _before_aside(child)
            end = last.idx + len(last)
            if last.i < child.right_edge.i:
                break
        start = head.left_edge.idx
        # the parser hangs a line break after a headline's last word on it ("..., say researchers\n\n"),
        # and a comma closing a place on the phrase ("Researchers at X in Temple, Texas, found")
        while end > start and (self.text[end - 1].isspace() or self.text[end - 1] in ",;:"):
            end -= 1
        return start, end

    def _written(self, head: Token) -> Mention:
        start, end = self.phrase(head)
        return Mention.of(self.text, start, end)

    def common_noun(self, subject: Token, documents: bool = False) -> tuple[str, Mention] | None:
        """``(kind, words)`` of a common-noun source, or None for a vague appeal ("experts say").

        With ``documents``, a document is a source too: quoted words from "the report" are its own.
        """
        low = subject.lower_
        determiners = [c for c in subject.children if c.dep_ in ("det", "poss", "amod", "nummod", "predet")]
        if self.lex.has("vague", low):
            # "all three experts said" and "experts at the University of X say" are definite sets of people;
            # "experts say" an appeal.
            definite = self._definite_people(subject, determiners) or at_institution(subject)
            return ("group", self._written(subject)) if definite else None
        if any(self.lex.has("vague", c.lower_) for c in determiners):
            return None  # "some scientists say", "many doctors think"
        if self.lex.has("group", low) or self.team_of(subject):
            if not (low in self.lex.bare_groups or self.specific_group(subject) or self._tells_result(subject)):
                return None  # "scientists say" is a vague appeal, "the scientists" a specific team
            return "group", self._written(subject)
        if self.lex.has("document", low):
            # "a review concludes": a document's findings are no reported speech; its quoted words are its own.
            return ("document", self._written(subject)) if documents and determiners else None
        for kind in ("person_noun", "organization"):
            if self.lex.has(kind, low):
                return ("person" if kind == "person_noun" else kind), self._written(subject)
        if self.lex.has("role_word", low) and subject.tag_ in ("NN", "NNP") and subject.is_lower and determiners:
            return "person", self._written(subject)  # "the senator said", "the director of the CDC said"
        return None

    @staticmethod
    def _tells_result(subject: Token) -> bool:
        """A bare plural group telling a result ("scientists found that ...", "scientists have reported"):
        in a news story, the team of the study it reports; "scientists say" or "believe" stays an appeal."""
        verb = subject.head
        return (
            subject.dep_ == "nsubj"
            and subject.tag_ == "NNS"
            and verb.pos_ == "VERB"
            and verb.tag_ in ("VBD", "VBN")
            and verb.lemma_.lower() in _RESULT_VERBS
        )

    def partitive(self, subject: Token) -> tuple[str, Mention] | None:
        """A numeral subject out of one definite study team ("five of the six co-authors", "two of
        the researchers"): that team, as written; "two of 10 doctors" stays no speaker."""
        for prep in subject.children:
            if prep.dep_ != "prep" or prep.lower_ != "of":
                continue
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and self.lex.has("group", pobj.lower_) and self.specific_group(pobj):
                    return "group", self._written(subject)
        return None

    def _definite_people(self, subject: Token, determiners: list[Token]) -> bool:
        if subject.tag_ not in ("NNS", "NNPS") or subject.lower_ not in self.lex.plural:
            return False
        # "all three experts", "the doctors", and "her doctors" / "Roe's doctors": people one can name
        return any(c.lower_ in _DEFINITE or c.dep_ == "nummod" or self._personal_possessive(c) for c in determiners)

    def _personal_possessive(self, tok: Token) -> bool:
        """"her doctors", "Roe's doctors": a person's own people (not "its practitioners", "their doctors")."""
        if tok.dep_ != "poss":
            return False
        return tok.pos_ == "PROPN" or self.lex.genders.get(tok.lower_) in ("m", "f")

    def specific_group(self, subject: Token) -> bool:
        """Whether a group noun means one team: "the team", "a team led by Roe", "a group of researchers",
        "scientists at the University of X"."""
        for child in subject.children:
            if child.dep_ in ("det", "poss") or (child.dep_ == "acl" and child.lower_ == "led"):
                return True
        return self.team_of(subject) or at_institution(subject)

    def team_of(self, subject: Token) -> bool:
        """Whether a noun is "a group/team of <study team noun>" ("a group of researchers")."""
        return any(
            child.dep_ == "prep" and child.lower_ == "of" and self.lex.has("group", pobj.lower_)
            for child in subject.children
            for pobj in child.children
            if pobj.dep_ == "pobj"
        )

    def it_source(self, token: Token) -> Resolved | None:
        """What "it" said: the nearest document or organisation subject before it, as written there."""
        doc = self.doc
        for cand in reversed(doc[max(token.i - _IT_REACH, 0) : token.i]):
            if self.masked[cand.i] or not cand.dep_.startswith("nsubj") or cand.pos_ not in ("NOUN", "PROPN"):
                continue
            low = cand.lower_
            if self.lex.has("document", low) or self.lex.has("organization", low):
                kind = "document" if self.lex.has("document", low) else "organization"
                return as_written(kind, self._written(cand))
            return None  # another singular subject in between takes "it" over
        return as_written("document", Mention.of(self.text, token.idx, token.idx + len(token)))

    def plural_subjects(self, masked: list[bool]) -> list[int]:
        """Token indexes of plural subjects and study-team nouns outside quotes: what "they" can stand for."""
        doc = self.doc
        strings = doc.vocab.strings
        plural_tags = {strings.add("NNS"), strings.add("NNPS")}
        subject_deps = {strings.add("nsubj"), strings.add("nsubjpass")}
        groups = {strings.add(word) for word in self.lex.words.get("group", ())}
        lowers, tags, deps = (doc.to_array(a).tolist() for a in ("LOWER", "TAG", "DEP"))
        return [
            i
            for i, low in enumerate(lowers)
            if not masked[i] and (low in groups or (tags[i] in plural_tags and deps[i] in subject_deps) or (
                deps[i] in subject_deps and joint_names(doc[i])
            ))
        ]
