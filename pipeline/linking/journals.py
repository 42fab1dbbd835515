"""Journal names compared across the forms articles and records use: full titles ("International
Journal of General Medicine"), MEDLINE/ISO 4 abbreviations ("Int J Gen Med") and short names
("The BMJ" / "BMJ").

An abbreviation meets a full title the way ISO 4 (which MEDLINE follows) abbreviates: the
title's function words dropped, each remaining word cut or contracted to letters of its own,
in order, from its first ("Natl" for "National", "Behav" for "Behaviour"). Renamed journals
and short names ("NEJM") come from the venue lexicon's aliases (``models/venues.jsonl``); no
journal is typed here. (Abbreviating with the ISSN centre's word list cost seconds of loading
on every run, most of a small run's resolution time, for no match the rule misses on dev.)
"""

from __future__ import annotations

import re
from functools import lru_cache

from healthclaims.linking.text import fold

_LEAD = re.compile(r"^(?:the\s+)?(?:(?:online|medical|scientific|leading|respected|prestigious|peer[- ]reviewed|"
                   r"american|british|us|uk)\s+)*(?:journal|magazine|publication)\s+(?!of\b)(?=\S)")
_TRAIL = re.compile(r"\s+(?:medical|science|scientific|online|research)?\s*(?:journal|magazine)$")


def normalise(name: str | None) -> str:
    """A journal name as compared: folded, punctuation and a leading "the" dropped."""
    text = re.sub(r"[^\w&]+", " ", fold(name or "")).strip()
    text = re.sub(r"\s+", " ", text.replace("&", " and "))
    return re.sub(r"^the ", "", text)


def _bare(venue: str) -> list[str]:
    """The name as written, and the journal's own name inside "the journal Nature", "The Lancet
    medical journal" (both kept: "European Heart Journal" ends in "journal" too)."""
    name = _LEAD.sub("", normalise(venue))
    stripped = _TRAIL.sub("", name)
    return [n for n in dict.fromkeys([name, stripped]) if n and n != "journal"]


@lru_cache(maxsize=1)
def _aliases() -> dict[str, frozenset[str]]:
    from healthclaims.components.citations.data import Venue
    from healthclaims.resources import load_resource

    groups: dict[str, frozenset[str]] = {}
    for venue in load_resource("venues.jsonl", Venue):
        if venue.kind != "journal":
            continue
        forms = frozenset(normalise(f) for f in [venue.name, *venue.aliases])
        for form in forms:
            groups[form] = groups.get(form, frozenset()) | forms
    return groups


@lru_cache(maxsize=4096)
def forms(name: str) -> frozenset[str]:
    """Every normalised form of a journal name: itself and its aliases'."""
    base: set[str] = set()
    for bare in _bare(name):
        base |= {bare} | set(_aliases().get(bare, ()))
    return frozenset(base)


_FUNCTION_WORDS = frozenset({"of", "the", "and", "in", "for", "on", "a", "an", "to", "at", "with"})


def _contracts(short: str, full: str) -> bool:
    """True when ``short`` (a word of an abbreviation) cuts or contracts ``full``: same first
    letter, then its letters in order ("natl" / "national", "psychiat" / "psychiatry")."""
    if not short or not full or short[0] != full[0] or len(short) > len(full):
        return False
    rest = iter(full[1:])
    return all(letter in rest for letter in short[1:])


def _abbreviates(short: str, full: str) -> bool:
    """True when each word of one name abbreviates the matching word of the other, function words
    of the full title dropped ("int j gen med" / "international journal of general medicine")."""
    a, b = short.split(), full.split()
    if len(a) != len(b):
        a, b = [w for w in a if w not in _FUNCTION_WORDS], [w for w in b if w not in _FUNCTION_WORDS]
    if len(a) != len(b) or not a:
        return False
    return all(_contracts(x, y) or _contracts(y, x) for x, y in zip(a, b))


@lru_cache(maxsize=4096)
def _paper_forms(journal: str | None, abbrev: str | None) -> frozenset[str]:
    theirs: set[str] = set()
    if journal:
        theirs |= forms(journal)
    if abbrev:  # already abbreviated: its aliases too
        bare = normalise(abbrev)
        theirs |= {bare} | set(_aliases().get(bare, ()))
    return frozenset(theirs)


def _acronym(short: str, full: str) -> bool:
    """True when a one-word name spells the initials of a full title ("jci", "pnas", "nejm"),
    with or without its function words."""
    if " " in short or len(short) < 3 or " " not in full:
        return False
    words = full.split()
    return short in ("".join(w[0] for w in words),
                     "".join(w[0] for w in words if w not in _FUNCTION_WORDS))


def _inside(short: str, full: str) -> bool:
    """True when a record's short journal name is one of the article's longer name's words
    ("reviews" in "quantum sleep reviews", "proceedings" in "proceedings of the zorbic society"):
    record sources cut titles that way."""
    if " " in short or len(short) <= 3 or short in _FUNCTION_WORDS or short not in full.split():
        return False
    # A one-word name that is a journal of its own ("Nature", "Cell") is that journal, not a cut
    # title: "Nature Genetics" is not "Nature".
    return short not in _aliases()


def in_lexicon(venue: str) -> bool:
    """True when the venue lexicon lists the name (or its bare form) as a journal."""
    return any(bare in _aliases() for bare in _bare(venue))


@lru_cache(maxsize=65536)  # asked for every candidate of every citation naming a journal
def same_journal(article_venue: str, journal: str | None, abbrev: str | None) -> bool | None:
    """Whether the article's venue names the paper's journal (None when the paper has no journal)."""
    theirs = _paper_forms(journal, abbrev)
    if not theirs:
        return None
    ours = forms(article_venue)
    return any(x == y or _abbreviates(x, y) or _acronym(y, x) or _inside(y, x) for x in ours for y in theirs)
