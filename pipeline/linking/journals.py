"""Journal names compared across the forms articles and records use: full titles ("International
Journal of General Medicine"), MEDLINE/ISO 4 abbreviations ("Int J Gen Med") and short names
("The BMJ" / "BMJ").

Abbreviations come from the ISSN centre's List of Title Word Abbreviations (the ``pyiso4``
package), which MEDLINE's abbreviations follow, and from the venue lexicon's aliases
(``models/venues.jsonl``: renamed journals, "NEJM"); no journal is typed here.
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
def _abbreviator():
    from pyiso4.ltwa import Abbreviate

    return Abbreviate.create()


@lru_cache(maxsize=4096)
def iso4(name: str) -> str:
    """The ISO 4 abbreviation of a full title, normalised ("plos pathogens" -> "plos pathog")."""
    try:
        return normalise(_abbreviator()(name, remove_part=True))
    except Exception:  # noqa: BLE001 - the abbreviator fails on odd strings; the name stands for itself
        return normalise(name)


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
    """Every normalised form of a journal name: itself, its ISO 4 abbreviation, its aliases'."""
    base: set[str] = set()
    for bare in _bare(name):
        base |= {bare} | set(_aliases().get(bare, ()))
    return frozenset(base | {iso4(f) for f in base})


def _abbreviates(short: str, full: str) -> bool:
    """True when each word of ``short`` starts the matching word of ``full`` ("eur hear j" / "eur heart j")."""
    a, b = short.split(), full.split()
    return len(a) == len(b) and all(y.startswith(x) or x.startswith(y) for x, y in zip(a, b))


@lru_cache(maxsize=4096)
def _paper_forms(journal: str | None, abbrev: str | None) -> frozenset[str]:
    theirs: set[str] = set()
    if journal:
        theirs |= forms(journal)
    if abbrev:  # already abbreviated: only its aliases, no ISO 4 pass
        bare = normalise(abbrev)
        theirs |= {bare} | set(_aliases().get(bare, ()))
    return frozenset(theirs)


def same_journal(article_venue: str, journal: str | None, abbrev: str | None) -> bool | None:
    """Whether the article's venue names the paper's journal (None when the paper has no journal)."""
    theirs = _paper_forms(journal, abbrev)
    if not theirs:
        return None
    ours = forms(article_venue)
    return any(x == y or _abbreviates(x, y) for x in ours for y in theirs)
