"""The gender a first name tells, from the name statistics that the nomquamgender package ships.

Importing nomquamgender parses its 22 MB table at import time (seconds per process), so the
table is read here as bytes and searched by bisection: its keys are sorted, one lookup is a
few microseconds, and a name it does not know, or knows as used by both, stays unknown.
"""

from __future__ import annotations

import importlib.util
import json
import math
import mmap
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

#: The package's own default: a name is gendered when p(female) is within 0.1 of 0 or 1.
_THRESHOLD = 0.1
_MIN_SOURCES = 2
_TABLE = "name_data.json"
_SEP = b', "'
_KEY_END = b'": ['


class NameTable:
    """Lookups in a JSON object of ``name -> [sources, counts, p_female, ...]`` with sorted keys."""

    def __init__(self, data: bytes | mmap.mmap):
        self.data = data

    @classmethod
    def from_path(cls, path: Path) -> NameTable:
        """Map the table's file into memory (pages are read as lookups touch them)."""
        with path.open("rb") as handle:
            return cls(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))

    def _key_after(self, pos: int, hi: int) -> tuple[int, str] | None:
        sep = self.data.find(_SEP, pos, hi)
        if sep < 0:
            return None
        end = self.data.find(_KEY_END, sep + 3)
        return sep, json.loads(b'"' + self.data[sep + 3 : end] + b'"')

    def p_female(self, name: str) -> float | None:
        """The share of women among the bearers of ``name`` (lower case ASCII), or None if unknown."""
        lo, hi = 0, len(self.data)
        while hi - lo > 2048:
            mid = (lo + hi) // 2
            found = self._key_after(mid, hi)
            if found is None or found[1] > name:
                hi = mid if found is None else found[0]
            elif found[1] < name:
                lo = found[0] + 3
            else:
                return self._value(found[0] + 3)
        want = b'"' + name.encode() + _KEY_END
        at = self.data.find(want, max(lo - 3, 0), hi + len(want) + 3)
        return self._value(at + 1) if at >= 0 and self.data[at - 1 : at] in (b" ", b"{") else None

    def _value(self, key_start: int) -> float | None:
        start = self.data.find(b"[", key_start)
        end = self.data.find(_SEP, start)
        raw = self.data[start : end if end >= 0 else self.data.rfind(b"}")]
        sources, _, p = json.loads(raw)[:3]
        # A name only one source lists is as often a misparse or a surname as a first name.
        return float(p) if p is not None and sources >= _MIN_SOURCES else None


def _fold(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().strip()


@cache
def _table() -> NameTable | None:
    spec = importlib.util.find_spec("nomquamgender")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / _TABLE
    return NameTable.from_path(path) if path.is_file() else None


def is_first_name(word: str, table: NameTable | None = None) -> bool:
    """Whether ``word`` is listed as a first name (of any gender); True when no table is installed."""
    table = table if table is not None else _table()
    key = _fold(word)
    if table is None:
        return True
    return len(key) > 1 and key.replace("-", "").isalpha() and table.p_female(key) is not None


def opens_full_name(tokens: Sequence[Token], table: NameTable | None = None) -> bool:
    """Whether a name of several words starts as a person's name does: a first name, or an initial
    before more name words ("M. James Roe", "J. Roe"), which no institution's name starts with."""
    first = tokens[0].text
    if len(tokens) > 1 and len(first) == 2 and first[0].isupper() and first[1] == ".":
        return True
    if len(first) > 1 and first.isupper():
        return False  # an acronym the tagger calls a person ("NYU Langone"), not a first name
    return is_first_name(first, table)


def gender_of_first_name(first: str, table: NameTable | None = None) -> str | None:
    """``"f"`` or ``"m"`` when the first name is clearly used by one gender, else None (unknown)."""
    table = table if table is not None else _table()
    key = _fold(first)
    if table is None or len(key) < 2 or not key.replace("-", "").isalpha():
        return None
    p = table.p_female(key)
    if p is None or math.isnan(p):  # listed without an estimate
        return None
    if p >= 1 - _THRESHOLD:
        return "f"
    if p <= _THRESHOLD:
        return "m"
    return None
