"""Comparing a record's field values with the gold ones, as ANNOTATION.md "How extractions are scored"
says: names by surname, venues after case and punctuation, years as integers."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Titles and post-nominals carry no identity: "Dr. Jane Smith, MD" must match "Smith".
_TITLES = frozenset({"dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame", "rev"})
_SUFFIXES = frozenset(
    {"jr", "sr", "ii", "iii", "iv", "md", "phd", "mph", "msc", "rn", "dds", "dc", "dpt", "lac", "np", "facs", "frcs"}
)
_NON_WORD = re.compile(r"[^\w'\-]+")
_NON_ALNUM = re.compile(r"[^\w]+")



def _fold(value: str) -> str:
    text = unicodedata.normalize("NFKD", value.replace("\u2019", "'").replace("\u2018", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def _surname(name: str) -> str:
    # Periods go before splitting so that "M.D." and "Ph.D." read as the post-nominals "md", "phd".
    tokens = [t.strip("'-") for t in _NON_WORD.split(_fold(name).replace(".", ""))]
    tokens = [t for t in tokens if t and t not in _TITLES and t not in _SUFFIXES]
    return tokens[-1] if tokens else ""


def names_match(gold: str | None, predicted: str | None) -> bool:
    """True when both are null, equal after case-folding, or have the same surname(s)."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    if " ".join(_fold(gold).split()) == " ".join(_fold(predicted).split()):
        return True
    # "Gray and Rodriguez": compare the set of surnames, so one of two people is not a match.
    split = re.compile(r"\s+(?:and|&)\s+|\s*&\s*")
    gold_names = {_surname(part) for part in split.split(_fold(gold))} - {""}
    pred_names = {_surname(part) for part in split.split(_fold(predicted))} - {""}
    return bool(gold_names) and gold_names == pred_names


def _venue_key(venue: str) -> str:
    words = _NON_ALNUM.sub(" ", _fold(venue).replace("&", " and ")).split()
    # "the journal Pediatrics" and "Pediatrics" name the same venue.
    if words[:1] == ["the"]:
        words = words[1:]
    if words[:1] == ["journal"] and len(words) > 1:
        words = words[1:]
    return " ".join(words)


def venues_match(gold: str | None, predicted: str | None) -> bool:
    """True when the venues are equal after case-folding, punctuation and a leading "the"/"the journal"."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    return _venue_key(gold) == _venue_key(predicted)


def years_match(gold: Any, predicted: Any) -> bool:
    """True when both years are the same integer ("2013" equals 2013)."""
    try:
        return predicted is not None and int(gold) == int(predicted)
    except (TypeError, ValueError):
        return False
