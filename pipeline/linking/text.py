"""Words as the library index and the matcher see them: folded, stop words dropped, stemmed.

One function for both sides, so a stem in the index is the stem of the article's word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_][\w'-]*[^\W_]|[^\W\d_]", re.UNICODE)


def fold(text: str) -> str:
    """Lower case without accents ("Müller" -> "muller")."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer  # PyStemmer: the Snowball stemmers compiled

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English stop words (spaCy's list) and the words every health story uses."""
    from healthclaims.linking.config import load_config
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | frozenset(load_config().news_stop_words)


@lru_cache(maxsize=1)
def _spelling() -> list[tuple[re.Pattern[str], str]]:
    from healthclaims.linking.config import load_config

    return [(re.compile(p), r) for p, r in load_config().spelling]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball English stem of one folded word, spelled the American way first."""
    for pattern, replacement in _spelling():
        word = pattern.sub(replacement, word)
    return _stemmer().stemWord(word)


_ASCII_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")


def words(text: str | None) -> list[str]:
    """Folded words of a text, hyphenated words also split ("anti-inflammatory" -> 3 words)."""
    if not text:
        return []
    folded = fold(text)
    found = _ASCII_WORD.findall(folded) if folded.isascii() else [m.group(0) for m in _WORD.finditer(folded)]
    out: list[str] = []
    for word in found:
        if "'" in word:
            word = word.replace("'s", "").strip("'")
        out.append(word)
        if "-" in word:
            out.extend(p for p in word.split("-") if p)
    return out


def terms(text: str | None) -> list[str]:
    """Stems of the content words of a text, in order (repeats kept)."""
    stops = stop_words()
    return [stem(w) for w in words(text) if len(w) > 2 and w not in stops and "-" not in w]


def paper_stems(paper) -> dict[str, set[str]]:
    """The stem sets of a paper's title, abstract, MeSH and affiliations, computed once per paper.

    Kept on the paper object (``_hc_stems``): candidates are scored against many citations.
    """
    cached = getattr(paper, "_hc_stems", None)
    if cached is None:
        cached = {
            "title": set(terms(paper.title)),
            "abstract": set(terms(paper.abstract)),
            "mesh": set(terms(" ".join(paper.mesh + paper.keywords).replace("*", " ").replace("/", " "))),
            "affiliation": set(terms(" ".join(a.affiliation for a in paper.authors if a.affiliation))),
        }
        paper._hc_stems = cached
    return cached


_NOT_LETTER = re.compile(r"[^a-z]")


@lru_cache(maxsize=65536)  # every author of every candidate, for every person a citation names
def name_key(name: str | None) -> str:
    """A family name as compared: folded, letters only ("O'Brien" -> "obrien")."""
    return _NOT_LETTER.sub("", fold(name or ""))
