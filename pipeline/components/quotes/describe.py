"""The speaker records of the quotes extractor: fullest name, role, affiliation, experience and
every mention, read from the words around each name ("lead author Jane Roe", "Jane Roe, a
cardiologist at X", "Jane Roe, of X, said").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc

from healthclaims.components.common import doc_text
from healthclaims.components.quotes.rules import Lexicon
from healthclaims.components.quotes.sources import Resolved
from healthclaims.components.quotes.speakers import SpeakerBook
from healthclaims.types import Mention, SpeakerHit

_APPOSITION_END = {",", ".", ";", "(", "—", "--", ")"}
_RELATIVE = {"who", "which", "that"}
_FINITE = {"VBD", "VBZ", "VBP", "MD"}
_AFFILIATION_MARKERS = (" at ", " of the ", " of ", " for ", " with ", " from ")
#: A description before a name ("a heart specialist at X, Jane Roe") starts at most this many tokens before it.
_DESCRIPTION_REACH = 12


def build_speakers(
    book: SpeakerBook, resolved: Iterable[tuple[Resolved, bool]], verbs: Iterable[str]
) -> list[SpeakerHit]:
    """One ``SpeakerHit`` per distinct speaker key, in the order of ``resolved`` (text order).

    Args:
        book: the Doc's people.
        resolved: the speaker of each quote in text order, and whether its words name the
            speaker there (an inherited speaker's do not).
        verbs: reporting-verb forms, where an apposition ends ("Jane Roe, a cardiologist, said").
    """
    describer = _Describer(book.doc, book.lex, frozenset(verbs))
    hits: dict[str, SpeakerHit] = {}
    mentions: dict[str, dict[tuple[int, int], Mention]] = {}
    for r, named in resolved:
        if r.key not in hits:
            hits[r.key] = SpeakerHit(name=r.name, kind=r.kind)
            mentions[r.key] = {}
        if named:
            mentions[r.key][(r.mention.start, r.mention.end)] = r.mention
    for key, hit in hits.items():
        person = book.people.by_key.get(key[2:]) if hit.kind == "person" else None
        if person is not None:
            hit.name = person.name
            for start, end in person.spans:
                m = describer.mention(start, end)
                mentions[key][(m.start, m.end)] = m
                describer.describe(hit, start, end)
        hit.mentions = [mentions[key][k] for k in sorted(mentions[key])]
    return list(hits.values())


class _Describer:
    """Reads a speaker's role, affiliation and experience around one name mention."""

    def __init__(self, doc: Doc, lex: Lexicon, verbs: frozenset[str]):
        self.doc, self.text, self.lex, self.verbs = doc, doc_text(doc), lex, verbs

    def mention(self, start: int, end: int) -> Mention:
        doc = self.doc
        return Mention.of(self.text, doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))

    def describe(self, hit: SpeakerHit, start: int, end: int) -> None:
        """Fill what ``hit`` still lacks from the words around the name at tokens ``start:end``."""
        doc = self.doc
        if hit.role is None:
            hit.role = self.role_before(start)
        # "For Jane Roe, the search ...": a name opening a sentence after a preposition is framing,
        # and what follows its comma is the sentence, not an apposition.
        framed = start > 0 and doc[start - 1].pos_ == "ADP" and doc[start - 1].is_sent_start
        if (hit.role is None or hit.affiliation is None) and not framed:
            for role, affiliation in (self.apposition(end), self.predicate(end), (None, self.affiliation_after(end))):
                hit.role = hit.role or role
                hit.affiliation = hit.affiliation or affiliation
        if hit.role is None:
            hit.role, before = self.noun_before(start)
            hit.affiliation = hit.affiliation or before
        if hit.experience is None:
            sent = doc[start].sent
            for pattern in self.lex.experience:
                match = pattern.search(sent.text)
                if match:
                    hit.experience = match.group(1)
                    break

    def role_before(self, start: int) -> str | None:
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
            # "co-lead researcher" comes as "co", "-", "lead"; "NuPathe CEO Jane Roe".
            role_word = self.lex.has("role_word", tok.lower_)
            if not (tok.is_lower or role_word or tok.text == "-" or (tok.is_sent_start and tok.pos_ != "PROPN")):
                break
            first = i
            i -= 1
        # A hyphenated word the parser attached in pieces ("co" "-" "author") is kept whole.
        while first > 1 and doc[first].text == "-" and not doc[first - 1].whitespace_:
            first -= 1
        words = [t for t in doc[first:start] if not self.lex.has("title", t.lower_)]
        if not any(t.pos_ == "NOUN" or self.lex.has("role_word", t.lower_) for t in words):
            return None
        text = self.text[words[0].idx : words[-1].idx + len(words[-1])]
        # A sentence-initial capital is no part of the role; an acronym's capitals are ("CEO").
        return text[0].lower() + text[1:] if text[1:2].islower() else text

    def _apposition_end(self, i: int, verb_first: bool = False) -> int:
        """Where a description starting at token ``i`` ends: punctuation, a relative pronoun or a
        finite verb ("Jane Roe of X and colleagues recruited ...") closes it."""
        doc = self.doc
        stop = i
        while (
            stop < len(doc)
            and (doc[stop].text not in _APPOSITION_END or self._listed_in_name(stop) or self._campus(stop))
            and doc[stop].lower_ not in _RELATIVE
            and not (doc[stop].tag_.startswith("VB") and doc[stop].lower_ in self.verbs)
            and not (doc[stop].tag_ in _FINITE and not (verb_first and stop == i))
            and "\n" not in doc[stop].text
        ):
            stop += 1
        return stop

    def _campus(self, i: int) -> bool:
        """A comma inside a university's name that a place ends: "the University of California,
        Los Angeles", followed by the end of the description."""
        doc = self.doc
        if doc[i].text != "," or i + 1 >= len(doc) or doc[i + 1].ent_type_ != "GPE" or doc[i + 1].ent_iob_ != "B":
            return False
        if not any(t.lower_ in _CAMPUS_HEADS and t.is_title for t in doc[max(0, i - 6) : i]):
            return False
        k = i + 2
        while k < len(doc) and doc[k].ent_iob_ == "I":
            k += 1
        return k == len(doc) or doc[k].text in ",.;"

    def _listed_in_name(self, i: int) -> bool:
        """A comma inside a capitalised name that lists its parts: "the Division of Bone,
        Reproductive, and Urologic Products" runs on to its "and" and the capitalised word after it."""
        doc = self.doc
        if doc[i].text != "," or i == 0 or not doc[i - 1].is_title:
            return False
        k = i + 1
        if k + 1 < len(doc) and doc[k].lower_ in ("and", "&") and doc[k + 1].is_title:
            # the serial comma of "Bone, Reproductive, and Urologic": a comma of the list came just before
            return any(
                doc[j].text == "," and doc[j - 1].is_title and all(doc[m].is_title for m in range(j + 1, i))
                for j in range(max(1, i - 4), i - 1)
            )
        for _ in range(4):  # the listed parts, at most a few capitalised words each
            while k < len(doc) and doc[k].is_title and doc[k].is_alpha:
                k += 1
            if k < len(doc) and doc[k].text == ",":
                k += 1
            if k + 1 < len(doc) and doc[k].lower_ in ("and", "&") and doc[k + 1].is_title and k > i + 1:
                return True
            if k >= len(doc) or doc[k].text == "," or not doc[k].is_title:
                return False
        return False

    def apposition(self, end: int) -> tuple[str | None, str | None]:
        """Role and affiliation from "Jane Roe, a cardiologist at X," or "Jane Roe, of X,"."""
        doc = self.doc
        if end + 1 >= len(doc) or doc[end].text != ",":
            return None, None
        i = end + 1
        while i < len(doc) and (doc[i].text == "," or self.lex.has("degree", doc[i].lower_)):
            i += 1
        described = self._after_who(i)
        verb_first = described == i + 1  # "who led the study": the relative's own verb is the role's
        i = described
        stop = self._apposition_end(i, verb_first)
        if stop <= i:
            return None, None
        if doc[i].lower_ in ("of", "from", "at", "with"):
            body = doc[i + 1 : stop]
            return None, _cut_role(_without_article(body.text)) if len(body) else None
        if doc[i].lower_ in ("a", "an", "the"):
            i += 1
        modified = self.modified_role(i, stop)
        if modified[0] is not None:
            return modified
        # "Jane Roe, President and CEO of X": a capitalised role word opens a role too.
        opens_role = doc[i].is_lower or self.lex.has("role_word", doc[i].lower_) if i < stop else False
        if i >= stop or not (opens_role and doc[i].pos_ in ("NOUN", "ADJ", "VERB", "PROPN")):
            return None, None
        # "a study led by Jane Roe, published in 2011, showed": a participle phrase about the work,
        # no role; a role names what the person is before any preposition ("director of X").
        head = next((k for k in range(i, stop) if doc[k].pos_ == "ADP"), stop)
        if not any(doc[k].pos_ in ("NOUN", "PROPN") for k in range(i, head)):
            return None, None
        # "Jane Roe, the pain specialist trial participants trust most, ...": a finite verb or a
        # subject inside makes a clause, not an apposition.
        first_checked = i + 1 if verb_first else i
        if any(
            doc[k].tag_ in ("VBD", "VBZ", "VBP", "MD") or doc[k].dep_.startswith("nsubj") for k in range(first_checked, stop)
        ):
            return None, None
        role = _tidy(self.text[doc[i].idx : doc[stop - 1].idx + len(doc[stop - 1])])
        return role, affiliation_in(role)


    def modified_role(self, i: int, stop: int) -> tuple[str | None, str | None]:
        """"a Mercy Hospital internist", "a Stanford epidemiologist": a role noun after proper-noun words
        that name where the person works; the role is the noun, the affiliation the proper-noun words
        (a place alone, "a Boston nurse", is no affiliation)."""
        doc = self.doc
        k = i
        while k < stop and doc[k].pos_ == "PROPN" and doc[k].text[:1].isupper():
            k += 1
        if k == i or k >= stop or not doc[k].is_lower or doc[k].pos_ not in ("NOUN", "ADJ"):
            return None, None
        head = next((j for j in range(k, stop) if doc[j].pos_ == "ADP"), stop)
        if not any(doc[j].pos_ == "NOUN" for j in range(k, head)):
            return None, None
        role = _tidy(self.text[doc[k].idx : doc[stop - 1].idx + len(doc[stop - 1])])
        place = all(doc[j].ent_type_ in ("GPE", "LOC", "NORP") for j in range(i, k))
        own = None if place else self.text[doc[i].idx : doc[k - 1].idx + len(doc[k - 1])]
        return role, affiliation_in(role) or own

    def noun_before(self, start: int) -> tuple[str | None, str | None]:
        """Role and affiliation of a description the name stands in apposition to: "a Stanford
        epidemiologist, Jane Roe, said", "a heart specialist at Mercy Hospital, Dr. Jane Roe" (the name
        after the description and a comma)."""
        doc = self.doc
        while start > 0 and self.lex.has("title", doc[start - 1].lower_):
            start -= 1  # "..., Dr. Jane Roe"
        if start < 3 or doc[start - 1].text != ",":
            return None, None
        noun = doc[start - 2]
        while noun.pos_ != "NOUN" and noun.head.i < noun.i and noun.head.i > start - _DESCRIPTION_REACH:
            noun = noun.head  # "a specialist at Mercy Hospital": from the institution up to the role
        if noun.pos_ != "NOUN" or not any(c.dep_ == "appos" and start <= c.i for c in noun.children):
            return None, None
        first = noun.left_edge.i
        # an indefinite description introduces the person ("a specialist, Jane Roe"); after "the" the
        # parser often hangs a name on a thing ("the editorial accompanying the study, Jane Roe, said")
        if doc[first].lower_ not in ("a", "an", "one", "another") or first + 1 > noun.i:
            return None, None
        first += 1
        # "one cardiologist who treats athletes, Jane Roe": the relative clause describes, the noun is the role
        end = next((k for k in range(first, start - 1) if doc[k].lower_ in _RELATIVE), start - 1)
        modified = self.modified_role(first, end)
        if modified[0] is not None or not doc[first].is_lower or end <= first:
            return modified
        role = _tidy(self.text[doc[first].idx : doc[end - 1].idx + len(doc[end - 1])])
        return role, affiliation_in(role)

    def _after_who(self, i: int) -> int:
        """Where the description starts in "Jane Roe, who is vice president of X," / "who led the study"."""
        doc = self.doc
        if i + 1 >= len(doc) or doc[i].lower_ != "who":
            return i
        if doc[i + 1].lower_ in ("is", "was", "'s", "’s"):
            return i + 2
        verb = doc[i + 1]
        return i + 1 if verb.tag_ in ("VBZ", "VBD") and verb.lower_ not in self.verbs else i

    def predicate(self, end: int) -> tuple[str | None, str | None]:
        """Role and affiliation from "Jane Roe is a cardiologist at X." (the name as subject of "is")."""
        doc = self.doc
        name = doc[end - 1]
        verb = name.head
        if not name.dep_.startswith("nsubj") or verb.lower_ not in ("is", "was") or verb.i != end:
            return None, None
        attrs = [c for c in verb.children if c.dep_ == "attr" and c.pos_ == "NOUN"]
        if not attrs:
            return None, None
        first = next((t for t in attrs[0].subtree if t.dep_ != "det"), attrs[0])
        stop = self._apposition_end(first.i)
        if stop <= first.i or not first.is_lower:
            return None, None
        role = self.text[first.idx : doc[stop - 1].idx + len(doc[stop - 1])]
        return role, affiliation_in(role)

    def affiliation_after(self, end: int) -> str | None:
        """An institution right after the name: "Jane Roe from Mercy Hospital, who led the study"."""
        doc = self.doc
        if end + 2 >= len(doc) or doc[end].lower_ not in ("from", "of", "at") or not doc[end + 1].is_alpha:
            return None  # "contact Dr. Roe at jane.roe@example.org" names no institution
        if not (doc[end + 1].pos_ == "PROPN" or (doc[end + 1].lower_ == "the" and doc[end + 2].pos_ == "PROPN")):
            return None
        stop = self._apposition_end(end + 1)
        return _cut_role(_without_article(doc[end + 1 : stop].text)) if stop > end + 1 else None


#: Institutions whose names may end in a place after a comma ("University of California, Los Angeles").
_CAMPUS_HEADS = frozenset({"university", "college"})


def affiliation_in(role: str) -> str | None:
    """The institution a role names ("professor of medicine at Stanford" -> "Stanford",
    "researcher at the University of Leeds" -> "University of Leeds")."""
    for marker in _AFFILIATION_MARKERS:
        cut = role.find(marker)
        while cut > 0:
            rest = _without_article(role[cut + len(marker) :])
            if rest[:1].isupper():
                return _cut_role(rest)
            cut = role.find(marker, cut + 1)
    return None


def _tidy(role: str) -> str:
    """A role without a dangling conjunction ("headed the re-analysis and")."""
    return re.sub(r"(?:,|\s+(?:and|or|but))+$", "", role)


def _cut_role(institution: str) -> str:
    # "... at the Center for X and lead author of the study", "X University and colleagues":
    # what follows "and" and a lower-case word is no part of the institution.
    more = re.search(r" and (?:an? |the )?[a-z]", institution)
    return institution[: more.start()] if more else institution


def _without_article(text: str) -> str:
    return text[4:] if text.startswith("the ") and text[4:5].isupper() else text
