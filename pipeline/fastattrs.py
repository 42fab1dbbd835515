"""The trained attribute ruler and lemmatizer, with the same output for a fraction of the CPU.

In ``en_core_web_sm`` the ``attribute_ruler`` (tag map and exceptions: POS, MORPH, some lemmas)
and the rule ``lemmatizer`` cost about 17% of a ``healthclaims run`` (measured: 1.9 s and 1.2 s of
17.8 s over 60 pool articles), nearly all of it Python work per token: a Matcher of 179 patterns,
a Span per match, a lemma looked up token by token. Yet what they assign to a token depends on a
few of its attributes only, so ``parse="fast"`` computes it once per distinct combination and
writes whole arrays back:

* ``FastAttributeRuler``: every single-token pattern of the trained ruler tests only a token's
  LOWER, TAG, DEP and IS_SPACE, so the attributes it ends up with are a function of those four
  (cached); the few multi-token patterns ("gon na", "let 's") still go through a Matcher of their
  own, and a token they touch gets every matching rule applied in the ruler's order, as before.
* ``FastLemmatizer``: the rule lemmatizer's answer is a function of (ORTH, POS, MORPH), the key
  of its own cache (which it fills only for inflected words: base forms are worked out again at
  every token); only tokens still without a lemma get one, as in the trained component, and the
  rules run on a copy of its tables whose word lists are sets.

Tests check that both give exactly the trained components' annotations on the sample articles.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG  # type: ignore[import-not-found]
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

#: The token attributes a single-token pattern may test for the ruler to be compiled (else: unsupported).
KEY_ATTRS = ("LOWER", "TAG", "DEP", "IS_SPACE")
_KEY_IDS = [LOWER, TAG, DEP, IS_SPACE]
#: Attributes written as whole arrays; any other (TAG, DEP of space tokens) is set token by token.
_ARRAY_ATTRS = (POS, MORPH, LEMMA)


class Unsupported(ValueError):
    """A trained attribute ruler uses a pattern this module cannot evaluate per token."""


def _predicate(attr: str, spec: Any) -> Callable[[Any], bool]:
    """A test of one attribute's string value (``bool`` for IS_SPACE), as the Matcher reads ``spec``."""
    if attr not in KEY_ATTRS:
        raise Unsupported(f"pattern tests {attr}")
    if not isinstance(spec, dict):
        return lambda value: value == spec
    if set(spec) == {"IN"}:
        allowed = frozenset(spec["IN"])
        return lambda value: value in allowed
    if set(spec) == {"NOT_IN"}:
        banned = frozenset(spec["NOT_IN"])
        return lambda value: value not in banned
    if set(spec) == {"REGEX"}:
        regex = re.compile(spec["REGEX"])
        return lambda value: bool(regex.search(value))
    raise Unsupported(f"pattern operator {sorted(spec)} on {attr}")


def _words(spec: Any) -> list[str]:
    """The words a LOWER test names (a string or an IN list)."""
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, dict) and "IN" in spec:
        return list(spec["IN"])
    return []


class FastAttributeRuler:
    """Applies a trained ``AttributeRuler``'s rules to whole Docs at once (same result, see the module doc)."""

    def __init__(self, ruler: Any = None, name: str = "fast_attribute_ruler"):
        self.name = name
        self.ruler: Any = None
        if ruler is not None:
            self.compile(ruler)

    def compile(self, ruler: Any) -> None:
        """Split ``ruler``'s rules into per-token tests and a Matcher of the multi-token ones.

        Raises:
            Unsupported: a pattern has a quantifier or tests an attribute outside ``KEY_ATTRS``.
        """
        self.ruler = ruler
        self.vocab = ruler.vocab
        self.single: list[tuple[int, list[tuple[int, Any]]]] = []  # (rule id, [(key position, test)])
        self.multi = Matcher(ruler.vocab)
        self._all_words = False
        for rule_id, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                if any("OP" in token for token in pattern):
                    raise Unsupported("pattern with a quantifier")
                if len(pattern) == 1:
                    tests = [(KEY_ATTRS.index(a), _predicate(a, v)) for a, v in pattern[0].items()]
                    lower = pattern[0].get("LOWER")
                    self._all_words |= isinstance(lower, dict) and "NOT_IN" in lower
                    self.single.append((rule_id, tests))
                else:
                    self.multi.add(str(rule_id), [pattern])
        # Most words are named by no rule: their attributes then depend on TAG, DEP and IS_SPACE only,
        # so their LOWER is replaced by 0 in the cache key (a few hundred keys instead of one per word).
        self._named = frozenset(
            w for entry in ruler.patterns for pattern in entry["patterns"] if len(pattern) == 1
            for w in _words(pattern[0].get("LOWER"))
        )
        self._regexes = [
            re.compile(token["LOWER"]["REGEX"]) for entry in ruler.patterns for pattern in entry["patterns"]
            if len(pattern) == 1 for token in pattern if isinstance(token.get("LOWER"), dict) and "REGEX" in token["LOWER"]
        ]
        self._all_words |= any(r.search("") for r in self._regexes)
        self._lower_key: dict[int, int] = {}
        self._cache: dict[tuple[int, ...], tuple[list[int], dict[int, int]]] = {}

    def _key(self, row: list[int]) -> tuple[int, ...]:
        """The cache key of a token's (LOWER, TAG, DEP, IS_SPACE) values."""
        lower = row[0]
        kept = self._lower_key.get(lower)
        if kept is None:
            word = self.vocab.strings[lower]
            # NOT_IN on LOWER would make every word matter: then keep them all.
            named = self._all_words or word in self._named or any(r.search(word) for r in self._regexes)
            kept = self._lower_key[lower] = lower if named else 0
        return (kept, row[1], row[2], row[3])

    def _rules_for(self, key: tuple[int, ...]) -> tuple[list[int], dict[int, int]]:
        """The rules matching a token with these key attribute values, and the attributes they leave."""
        found = self._cache.get(key)
        if found is None:
            strings = self.vocab.strings
            # A LOWER of 0 stands for "a word no rule names": it fails every LOWER test, as ``''`` does.
            values = (strings[key[0]], strings[key[1]], strings[key[2]], bool(key[3]))
            rules = [r for r, tests in self.single if all(test(values[i]) for i, test in tests)]
            final: dict[int, int] = {}
            for r in rules:  # later rules win, as in the ruler
                final.update(self.ruler.attrs[r])
            found = self._cache[key] = (rules, final)
        return found

    def __call__(self, doc: Doc) -> Doc:
        """Set the ruler's attributes on one Doc."""
        if not len(doc):
            return doc
        keys = doc.to_array(_KEY_IDS).tolist()
        values = doc.to_array(list(_ARRAY_ATTRS))
        touched = self._multi_matches(doc)
        slow: list[int] = []
        for i, key in enumerate(keys):
            if i in touched:
                continue
            final = self._rules_for(self._key(key))[1]
            for attr, value in final.items():
                if attr in _ARRAY_ATTRS:
                    values[i, _ARRAY_ATTRS.index(attr)] = value
                else:
                    slow.append(i)
        doc.from_array(list(_ARRAY_ATTRS), cast(Any, values))
        for i in slow:  # TAG/DEP of whitespace tokens: rare, set as the ruler does
            final = self._rules_for(self._key(keys[i]))[1]
            set_token_attrs(doc[i], {a: v for a, v in final.items() if a not in _ARRAY_ATTRS})
        for i, extra in touched.items():
            rules = sorted(set(self._rules_for(self._key(keys[i]))[0]) | extra)
            for r in rules:
                set_token_attrs(doc[i], self.ruler.attrs[r])
        return doc

    def _multi_matches(self, doc: Doc) -> dict[int, set[int]]:
        """Tokens a multi-token rule applies to, with those rules' ids."""
        touched: dict[int, set[int]] = {}
        if not len(self.multi):
            return touched
        for match_id, start, end in self.multi(doc, allow_missing=True):
            rule = int(self.vocab.strings[match_id])
            index = self.ruler.indices[rule]
            target = (start if index >= 0 else end) + index
            if start <= target < end:
                touched.setdefault(target, set()).add(rule)
        return touched

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """Set the attributes of a stream of Docs."""
        for doc in docs:
            yield self(doc)


class FastLemmatizer:
    """Gives tokens without a lemma the trained rule lemmatizer's lemma, one lookup per distinct token."""

    def __init__(self, lemmatizer: Any = None, name: str = "fast_lemmatizer"):
        self.name = name
        self._cache: dict[tuple[int, int, int], tuple[int, str]] = {}  # (ORTH, POS, MORPH) -> lemma
        self.lemmatizer = lemmatizer

    @property
    def lemmatizer(self) -> Any:
        """The trained lemmatizer whose lemmas this one gives."""
        return self._lemmatizer

    @lemmatizer.setter
    def lemmatizer(self, lemmatizer: Any) -> None:
        self._lemmatizer = self._rules = lemmatizer
        self._cache.clear()
        if lemmatizer is not None and lemmatizer.lookups.has_table("lemma_index"):
            # The same rules, but each part of speech's word index as a set: the trained tables hold
            # lists, and the rules test every candidate form against them ("form in index").
            self._rules = copy.copy(lemmatizer)
            self._rules.cache = {}
            self._rules.lookups = Lookups()
            for table_name in lemmatizer.lookups.tables:
                table = lemmatizer.lookups.get_table(table_name)
                shadow = self._rules.lookups.add_table(table_name)
                for key, value in table.items():
                    shadow[key] = frozenset(value) if table_name == "lemma_index" else value

    def __call__(self, doc: Doc) -> Doc:
        """Lemmatize one Doc."""
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        overwrite = bool(getattr(self._lemmatizer, "overwrite", False))
        strings = doc.vocab.strings
        used: set[str] = set()
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            found = self._cache.get(key)
            if found is None:
                word = self._rules.lemmatize(doc[i])[0]
                found = self._cache[key] = (strings.add(word), word)
            lemmas[i] = found[0]
            used.add(found[1])
        # A lemma first seen in an earlier memory zone (one batch of ``healthclaims run``) left the
        # StringStore with it: add back every lemma this Doc uses.
        for word in used:
            strings.add(word)
        doc.from_array([LEMMA], cast(Any, numpy.asarray(lemmas, dtype=rows.dtype).reshape(-1, 1)))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """Lemmatize a stream of Docs."""
        for doc in docs:
            yield self(doc)


@Language.factory("healthclaims_fast_attribute_ruler")
def _make_fast_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    return FastAttributeRuler(name=name)


@Language.factory("healthclaims_fast_lemmatizer")
def _make_fast_lemmatizer(nlp: Language, name: str) -> FastLemmatizer:
    return FastLemmatizer(name=name)


def make_fast_attributes(nlp: Language) -> Language:
    """Swap ``attribute_ruler`` and ``lemmatizer`` for their fast equivalents, in place.

    A pipeline whose ruler uses a pattern the fast ruler cannot evaluate keeps its trained one.
    """
    if "attribute_ruler" in nlp.pipe_names:
        try:
            FastAttributeRuler(nlp.get_pipe("attribute_ruler"))  # can every rule be evaluated per token?
        except Unsupported:
            pass
        else:
            new, old = _swap(nlp, "attribute_ruler", "healthclaims_fast_attribute_ruler", "fast_attribute_ruler")
            new.compile(old)
    if "lemmatizer" in nlp.pipe_names and getattr(nlp.get_pipe("lemmatizer"), "mode", "") == "rule":
        new, old = _swap(nlp, "lemmatizer", "healthclaims_fast_lemmatizer", "fast_lemmatizer")
        new.lemmatizer = old
    return nlp


def _swap(nlp: Language, name: str, factory: str, new_name: str) -> tuple[Any, Any]:
    """Replace pipe ``name`` by a new ``factory`` pipe at its place; ``(new pipe, old pipe)``."""
    index = nlp.pipe_names.index(name)
    _, old = nlp.remove_pipe(name)
    before = nlp.pipe_names[index] if index < len(nlp.pipe_names) else None
    return nlp.add_pipe(factory, name=new_name, before=before), old
