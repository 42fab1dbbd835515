"""A reference list under a heading, one entry per line, and the footnote markers that point to it.

Press releases end with "References:" (or "Sources", "Notes") and entries that each open a line
with a marker: a roman numeral ("ii Roe, J. (2001). Title. Journal, 35-45."), a number with or
without a stop, or glued to the first author ("2Roe, B. N. (2012) ..."), or "[3]". Each entry is
one work with its own first author, year and journal (never the dateline's year). In the text,
the markers are glued to the word they follow ("... the disease.ii", "in mice.3", "2015)1") or
grouped in parentheses ("(2,3)", "(4-7)"); each is a secondary mention of its entry's work.
"""

from __future__ import annotations

import re

from healthclaims.components.citations.lexicon import CitationRules
from healthclaims.components.citations.work import Work

_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def roman(numeral: str) -> int:
    """The value of a lower-case roman numeral ("iv" is 4)."""
    total = 0
    for k, ch in enumerate(numeral):
        value = _ROMAN[ch]
        total += -value if k + 1 < len(numeral) and _ROMAN[numeral[k + 1]] > value else value
    return total


def list_works(rules: CitationRules, text: str) -> list[Work]:
    """The entries of every marked reference list in ``text`` and the markers pointing to them."""
    works: list[Work] = []
    entry_rx = rules.first_regex("REFLIST_ENTRY")
    for heading in rules.first_regex("REFLIST_HEADING").finditer(text):
        entries, is_roman = _entries(rules, text, heading.end(), entry_rx)
        if not entries:
            continue
        works += entries
        works += _markers(rules, text, heading.start(), entries, is_roman)
    return works


def _entries(rules: CitationRules, text: str, at: int, entry_rx: re.Pattern[str]) -> tuple[list[Work], bool]:
    """The consecutive marked lines after a heading, numbered 1, 2, 3 ... (or i, ii, iii ...), and
    whether they are numbered in roman numerals."""
    entries: list[Work] = []
    roman_style: bool | None = None
    for line in re.finditer(r"[^\n]*", text[at:]):
        raw = line.group()
        if not raw.strip():
            continue
        m = entry_rx.match(raw)
        if m is None:
            break
        is_roman = m.group("roman") is not None
        number = roman(m.group("roman").lower()) if is_roman else int(m.group("num"))
        if (roman_style is not None and is_roman != roman_style) or number != len(entries) + 1:
            break
        roman_style = is_roman
        body = m.group("body").rstrip()
        if re.search(r"\s\[\d{1,3}\]\s", body):
            return [], False  # entries run together on one line: the one-line readings in formal.py take them
        start = at + line.start() + m.start("body")
        entries.append(_entry(rules, body, start, str(number)))
    return entries, bool(roman_style)


def _entry(rules: CitationRules, body: str, start: int, number: str) -> Work:
    """One entry's work: the first author, the entry's own year, its journal and identifiers."""
    work = Work(start, start + len(body), "numeric", rules.rule_id("REFLIST_ENTRY"), 3, number=number)
    for compiled in rules.regexes("REFLIST_AUTHOR"):
        am = compiled.regex.match(body)
        if am:
            work.first_author = am.group("author")
            work.et_al = "et al" in body[: am.end() + 40] or am.group("others") is not None
            break
    for compiled in rules.regexes("REFLIST_YEAR"):
        ym = compiled.regex.search(body)
        if ym:
            work.year = int(ym.group("year"))
            break
    work.year = work.year or rules.year_in(body)
    for compiled in [*rules.regexes("REFERENCE_VENUE"), *rules.regexes("REFLIST_VENUE")]:
        vm = compiled.regex.search(body)
        if vm:
            work.venue = vm.group("venue").strip()
            work.venue_key, work.journal = rules.venue_key(work.venue), compiled.rule.journal
            break
    for compiled in rules.regexes("DOI"):
        dm = compiled.regex.search(body)
        if dm:
            work.doi = dm.group("doi")
            break
    for compiled in rules.regexes("URL_PMID"):
        pm = compiled.regex.search(body)
        if pm:
            work.pmid = pm.group("pmid")
            break
    return work


def _markers(rules: CitationRules, text: str, end: int, entries: list[Work], is_roman: bool) -> list[Work]:
    """Footnote markers before the list that name its entries (all of them, or the marker is something
    else: "ages (4-17)"): secondary mentions of those works."""
    numbers = {int(w.number or 0) for w in entries}
    found: list[Work] = []
    for compiled in rules.regexes("REFLIST_MARKER"):
        for m in compiled.regex.finditer(text, 0, end):
            named = _marker_numbers(m.group("num"), is_roman)
            if named and set(named) <= numbers:
                for n in named:
                    found.append(
                        Work(m.start("num"), m.end("num"), "numeric", compiled.rule.id, 3, number=str(n), secondary=True)
                    )
    return found


def _marker_numbers(mark: str, is_roman: bool) -> list[int]:
    """The entry numbers a marker names: "ii" (a roman list only), "3", "2,3", "4-7"."""
    if mark.isalpha():
        return [roman(mark)] if is_roman and set(mark) <= set("ivx") else []
    if is_roman:
        return []
    out: list[int] = []
    for part in re.split(r"\s*,\s*", mark):
        lo, _, hi = part.partition("-") if "-" in part else part.partition("–")
        if not hi:
            out.append(int(lo))
        elif lo.isdigit() and hi.isdigit() and int(lo) < int(hi) <= int(lo) + 20:
            out += list(range(int(lo), int(hi) + 1))
        else:
            return []  # "(4-40)": no span of references
    return out
