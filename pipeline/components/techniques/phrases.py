"""Turning lexicon phrases into PhraseMatcher patterns without a Doc per phrase.

The PhraseMatcher compares the attribute hashes of token sequences, so a pattern must tokenize
exactly as ``nlp.tokenizer`` would tokenize the same text. Building one Doc per phrase through
the tokenizer (about 16,000 variants in the shipped lexicons) was most of the pipeline's
start-up cost (a Doc and new lexemes for every phrase); here each space-separated chunk is
tokenized once, and the patterns are handed to the PhraseMatcher as hash sequences, which it takes
as they are. A chunk that no special case, prefix, suffix, token or URL rule touches is split at
its infixes the way ``Tokenizer._attach_tokens`` does; any other chunk goes through the tokenizer.

Why the chunks add up to the tokenizer's answer: spaCy's tokenizer splits a text at single spaces
and tokenizes every chunk on its own (special cases, prefixes, suffixes, infixes, token and URL
matches all work inside one chunk); the one rule that looks across chunks is a special case whose
tokens run over a space (its tokens, joined, spell the special case's text without spaces). A
phrase in which a run of tokens might spell such a text, or whose whitespace is not single spaces
between words, goes through the tokenizer as before. ``tests/test_techniques_phrases.py`` checks
every phrase of the shipped lexicons against ``nlp.tokenizer``.
"""

from __future__ import annotations

import itertools

from spacy.attrs import LOWER
from spacy.language import Language


class PhraseTokens:
    """The tokens ``nlp.tokenizer`` makes of a phrase, and their hashes for a PhraseMatcher."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self._rules = nlp.tokenizer.rules or {}
        # Every special case's text without its spaces (what a run of tokens must spell to be
        # matched as one), and every piece of such a text: a run of two or more tokens can spell a
        # special case only if each two neighbouring tokens, joined, are a piece of one.
        self._specials = {key.replace(" ", "") for key in self._rules} - {""}
        self._pieces = {
            text[i:j] for text in self._specials for i in range(len(text)) for j in range(i + 2, len(text) + 1)
        }
        self._chunks: dict[str, list[str]] = {}
        self._lower = nlp.vocab.lex_attr_getters.get(LOWER, str.lower)
        self._strings = nlp.vocab.strings

    def words(self, phrase: str) -> list[str]:
        """The token texts ``nlp.tokenizer(phrase)`` would give."""
        chunks = phrase.split(" ")
        # Leading, trailing or repeated spaces, tabs, newlines, other whitespace or control
        # characters (not printable) make whitespace tokens and the like: those go to the tokenizer.
        if all(chunk and chunk.isprintable() for chunk in chunks):
            words = [word for chunk in chunks for word in self._chunk(chunk)]
            if len(chunks) == 1 or not self._may_spell_special(words):
                return words
        return [t.text for t in self.nlp.tokenizer(phrase)]

    def lower_words(self, phrase: str) -> list[str]:
        """The lower-case forms (each token's ``lower_``) of the tokens of ``phrase``."""
        lower = self._lower
        return [lower(word) for word in self.words(phrase)]

    def hashes(self, words: list[str]) -> list[int]:
        """A PhraseMatcher pattern: the string-store hash of each token's text (of the matcher's attribute)."""
        add = self._strings.add
        return [add(word) for word in words]

    def keys(self, phrase: str, attr: str = "LOWER") -> list[int]:
        """The phrase's pattern for a PhraseMatcher on ``attr`` (``LOWER`` or ``ORTH``).

        A token's LOWER and ORTH are the string store's hashes of its lower-cased and its own
        text (spaCy's special cases may set only ORTH and NORM, so LOWER always follows the text).
        """
        if attr == "LOWER":
            return self.hashes(self.lower_words(phrase))
        if attr == "ORTH":
            return self.hashes(self.words(phrase))
        raise ValueError(f"unsupported PhraseMatcher attribute {attr!r}")

    def _chunk(self, chunk: str) -> list[str]:
        """The tokens of one chunk (no whitespace), worked out once and remembered."""
        words = self._chunks.get(chunk)
        if words is None:
            words = _infix_split(self.nlp.tokenizer, chunk) if chunk not in self._rules else None
            # The tokenizer matches the special cases over the tokens afterwards, which may change them.
            if words is None or (len(words) > 1 and self._may_spell_special(words)):
                words = [t.text for t in self.nlp.tokenizer(chunk)]
            self._chunks[chunk] = words
        return words

    def _may_spell_special(self, words: list[str]) -> bool:
        """Whether a run of ``words`` might spell a special case (a cheap test that may say yes wrongly)."""
        specials, pieces = self._specials, self._pieces
        return any(word in specials for word in words) or any(a + b in pieces for a, b in itertools.pairwise(words))


def _infix_split(tokenizer, chunk: str) -> list[str] | None:
    """The tokens of ``chunk`` if no prefix, suffix, token or URL rule applies to it, else None.

    Such a chunk is split at its infixes only (``cognitive-behavioral`` into three tokens), the way
    spaCy's ``Tokenizer._attach_tokens`` does it; the caller has made sure it is no special case.
    """
    prefix, suffix = tokenizer.prefix_search, tokenizer.suffix_search
    if (prefix is not None and prefix(chunk)) or (suffix is not None and suffix(chunk)):
        return None
    infixes = list(tokenizer.infix_finditer(chunk)) if tokenizer.infix_finditer is not None else []
    if not infixes:
        # One token, whatever the token and URL matches say.
        return [chunk]
    if any(match is not None and match(chunk) for match in (tokenizer.token_match, tokenizer.url_match)):
        return None
    words: list[str] = []
    start = 0
    for infix in infixes:
        if infix.start() == 0:  # an infix at the very start is no split (spaCy skips it too)
            continue
        if infix.start() != start:
            words.append(chunk[start : infix.start()])
        if infix.start() != infix.end():
            words.append(chunk[infix.start() : infix.end()])
        start = infix.end()
    if chunk[start:]:
        words.append(chunk[start:])
    return words
