"""Finding technique candidates in a Doc: lexicon phrases, token patterns, abbreviations,
names split by scare quotes, and techniques whose head noun a coordinated one shares.

Everything here is about the words of a name; whether the context lets a match count is
``context.py``'s business.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from healthclaims.components.techniques.lexicon import QUOTE_TOKENS, Lexicon, Technique, anchor_words
from healthclaims.components.techniques.phrases import PhraseTokens
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.symbols import VERB
from spacy.tokens import Doc

#: Most words a pair of scare quotes may hold inside a technique name: Swedish "relaxation" massage.
_SCARE_QUOTE_WORDS = 2
#: Words that join the modifiers of one shared head noun: "occupational, speech and physical therapy".
_COORDINATORS = frozenset({"and", "or", "&", "/", ","})


@dataclass(frozen=True)
class Rule:
    """What kind of lexicon pattern made a match, and for which technique."""

    kind: str  # phrase | tokens | abbr | defabbr | stop
    index: int  # into Lexicon.techniques; -1 for stop phrases
    priority: int  # lower wins a tie between candidates of the same span


#: A candidate match: ``(rule, start token, end token)``, the shape ``common.longest_first`` takes.
Candidate = tuple[Rule, int, int]


class TechniqueMatcher:
    """The matchers built from a lexicon, and the candidate matches they find in a Doc."""

    def __init__(self, nlp: Language, lexicon: Lexicon):
        self.lexicon = lexicon
        self.not_elided = lexicon.context["not_elided"]
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
        self.rules: dict[int, Rule] = {}
        self.defined = [frozenset(t.defined_abbreviations) for t in lexicon.techniques]
        self.abbreviations = [
            frozenset(t.abbreviations) | frozenset(t.defined_abbreviations) for t in lexicon.techniques
        ]
        # Patterns as token hashes, not Docs: a Doc per phrase variant was most of the start-up time.
        self.tokens = PhraseTokens(nlp)
        anchors: set[str] = set()
        for index, (technique, phrases) in enumerate(zip(lexicon.techniques, lexicon.phrases)):
            anchors |= self._add_technique(nlp, index, technique, phrases)
        if anchors:
            self.anchor_matcher.add("anchor", [nlp.make_doc(word) for word in sorted(anchors)])
        self.quote_matcher.add("quote", [nlp.make_doc(mark) for mark in QUOTE_TOKENS])
        stops = sorted(lexicon.context["not_within"])
        if stops:
            self.phrase_matcher.add(
                self._key(nlp, "technique:not_within", Rule("stop", -1, -1)), [self.tokens.keys(s) for s in stops]
            )

    def _key(self, nlp: Language, name: str, rule: Rule) -> str:
        self.rules[nlp.vocab.strings.add(name)] = rule
        return name

    def _add_technique(self, nlp: Language, index: int, technique: Technique, phrases: list[str]) -> set[str]:
        """Register one technique's patterns; returns the words its token patterns may start with."""
        if phrases:
            lowers = [self.tokens.lower_words(phrase) for phrase in phrases]
            patterns = [self.tokens.hashes(words) for words in lowers]
            self.phrase_matcher.add(self._key(nlp, f"technique:{technique.id}", Rule("phrase", index, 0)), patterns)
            for words in lowers:
                self.phrase_index[tuple(words)] = index
                self.longest_phrase = max(self.longest_phrase, len(words))
        for kind, priority, forms in (
            ("abbr", 2, technique.abbreviations),
            ("defabbr", 3, technique.defined_abbreviations),
        ):
            if forms:
                key = self._key(nlp, f"technique:{technique.id}:{kind}", Rule(kind, index, priority))
                self.orth_matcher.add(key, [self.tokens.keys(form, "ORTH") for form in forms])
        token_patterns = [p for p in technique.patterns if not isinstance(p, str)]
        if not token_patterns:
            return set()
        self.matcher.add(self._key(nlp, f"technique:{technique.id}:tokens", Rule("tokens", index, 1)), token_patterns)
        self.window = max(self.window, *(len(pattern) for pattern in token_patterns))
        return {word for pattern in token_patterns for word in anchor_words(pattern[0])}

    def candidates(self, doc: Doc) -> list[Candidate]:
        """Every candidate match, overlapping ones included; stop phrases come as ``kind == "stop"``."""
        raw: list[Candidate] = [
            (self.rules[match_id], start, end)
            for matcher in (self.phrase_matcher, self.orth_matcher)
            for match_id, start, end in matcher(doc)
        ]
        for anchor in sorted({start for _, start, _ in self.anchor_matcher(doc)}):
            window = doc[anchor : anchor + self.window]
            raw.extend(
                (self.rules[match_id], anchor + start, anchor + end)
                for match_id, start, end in self.matcher(window)
                if start == 0
            )
        raw.extend(self._scare_quoted(doc))
        # An abbreviation such as "FES" or "ACT" is ambiguous until the text spells it out.
        defined = self._defined_abbreviations(doc, raw)
        raw = [c for c in raw if c[0].kind != "defabbr" or (c[0].index, doc[c[1] : c[2]].text) in defined]
        # Of two candidates on the same span the rule of lower priority wins (a phrase over a token pattern).
        best: dict[tuple[int, int], Candidate] = {}
        for candidate in sorted(raw, key=lambda c: c[0].priority, reverse=True):
            best[candidate[1], candidate[2]] = candidate
        return list(best.values())

    def _scare_quoted(self, doc: Doc) -> list[Candidate]:
        """Phrases interrupted by scare quotes: 'sleep "hygiene" education', '“expressive” writing'."""
        quotes = sorted({start for _, start, _ in self.quote_matcher(doc)})
        found: list[Candidate] = []
        for left, right in itertools.pairwise(quotes):
            inside = doc[left + 1 : right]
            if 0 < len(inside) <= _SCARE_QUOTE_WORDS and all(t.is_alpha for t in inside):
                best = self._straddling_phrase(doc, left, right)
                if best is not None:
                    found.append((Rule("phrase", best[2], 0), best[0], best[1]))
        return found

    def _straddling_phrase(self, doc: Doc, left: int, right: int) -> tuple[int, int, int] | None:
        """The longest phrase whose words run across the quote marks at ``left`` and ``right``."""
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
        return best

    def elided(self, doc: Doc, kept: list[Candidate], taken: list[bool]) -> list[Candidate]:
        """Techniques whose head noun a coordinated match shares: "behavioral and physical therapy".

        The elided technique's mention runs from its own modifier to the end of the shared head,
        as a reader would mark it ("occupational, speech and physical therapy" for occupational therapy).
        """
        found: list[Candidate] = []
        for rule, start, end in kept:
            if end - start < 2 or rule.kind not in ("phrase", "tokens"):
                continue
            head = tuple(t.lower_ for t in doc[start + 1 : end])
            cursor = start
            # "the Mediterranean or healthy Nordic diet": an adjective of the last conjunct's own
            if cursor > 2 and doc[cursor - 1].pos_ == "ADJ" and doc[cursor - 2].lower_ in _COORDINATORS and not taken[cursor - 1]:
                cursor -= 1
            while cursor > 1 and doc[cursor - 1].lower_ in _COORDINATORS:
                match = self._coordinated_modifier(doc, cursor, (head, end), rule.index, taken)
                if match is None:
                    break
                found.append(match)
                cursor = match[1]
        return found

    def _coordinated_modifier(
        self, doc: Doc, cursor: int, shared: tuple[tuple[str, ...], int], index: int, taken: list[bool]
    ) -> Candidate | None:
        """The technique named by the one or two words before the coordinator at ``cursor - 1`` and the
        ``shared`` head (its lower-cased words and its end token), other than technique ``index``."""
        head, end = shared
        for width in (2, 1):
            first = cursor - 1 - width
            if first < 0 or any(taken[first : cursor - 1]):
                continue
            modifier = doc[first : cursor - 1]
            if (
                not all(t.is_alpha or t.text == "-" for t in modifier)
                or modifier[-1].lower_ in self.not_elided
                or doc[first].lower_ in _COORDINATORS
            ):
                continue
            other = self.phrase_index.get(tuple(t.lower_ for t in modifier) + head)
            if other is not None and other != index:
                return (Rule("phrase", other, 0), first, end)
        return None

    def _defined_abbreviations(self, doc: Doc, raw: list[Candidate]) -> set[tuple[int, str]]:
        found: set[tuple[int, str]] = set()
        for rule, _, end in raw:
            if rule.kind in ("phrase", "tokens") and self.defined[rule.index]:
                inside = parenthesised(doc, end)
                if inside in self.defined[rule.index]:
                    found.add((rule.index, inside))
        return found


def parenthesised(doc: Doc, end: int) -> str | None:
    """The word in "(X)" right after token ``end - 1``, if there is one."""
    if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
        return doc[end + 1].text
    return None


#: Dependency labels of a verb's object: "replaced her hip", "her knee was replaced".
_OBJECT_DEPS = frozenset({"dobj", "nsubjpass"})


def told_by_verb(doc: Doc, nominals: dict[str, list[str]], phrases: dict[tuple[str, ...], int], taken: list[bool]) -> list[Candidate]:
    """Operations told with a verb: the object's words and the verb's noun make a lexicon phrase
    ("surgeons replaced her hip": hip replacement; "he had his gallbladder removed": gallbladder removal).

    The mention runs from the verb to its object, or from the object to the verb, as written.
    """
    found: list[Candidate] = []
    for verb in doc:
        if verb.pos != VERB:
            continue
        nouns = nominals.get(verb.lemma_.lower())
        if not nouns or taken[verb.i]:
            continue
        objects = [c for c in verb.children if c.dep_ in _OBJECT_DEPS]
        # "had his gallbladder removed": the object is the subject of the clause under "have"
        if not objects and verb.dep_ in ("ccomp", "xcomp") and verb.head.lemma_ == "have":
            objects = [c for c in verb.children if c.dep_ == "nsubj"]
        for obj in objects:
            if obj.pos_ not in ("NOUN", "PROPN"):
                continue
            compounds = [c for c in obj.children if c.dep_ == "compound" and c.i < obj.i]
            first = compounds[0].i if compounds else obj.i
            start, end = min(verb.i, first), max(verb.i, obj.i) + 1
            if any(taken[start:end]):
                continue
            heads = ([obj.lemma_.lower()], [obj.lower_])
            modifiers = tuple(c.lower_ for c in compounds)
            keys = [modifiers + (head[0], noun) for head in heads for noun in nouns]
            # "replaced the damaged hip joint": the part the object's modifiers name ("hip
            # replacement") before the object's own noun ("joint replacement")
            keys += [modifiers + (noun,) for noun in nouns] if modifiers else []
            keys += [(head[0], noun) for head in heads for noun in nouns]
            index = next((phrases[k] for k in keys if k in phrases), None)
            if index is not None:
                found.append((Rule("phrase", index, 0), start, end))
                break
    return found
