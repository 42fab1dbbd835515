"""Direct-quote candidates: quotation marks paired paragraph by paragraph, with scare quotes,
terms and titles of works left out, and masks of the tokens that sit inside marks.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc

from healthclaims.components.common import CLOSE_DOUBLE, OPEN_DOUBLE, DocIndex, is_title_case
from healthclaims.components.quotes.rules import Lexicon
from healthclaims.types import Mention, overlaps_any

#: The double quotation marks that delimit quotes (single ones are nested quotes or apostrophes).
_DOUBLE = "".join(sorted(set(OPEN_DOUBLE + CLOSE_DOUBLE)))
#: Two single marks written for a closing double one ("“It works,’’ she said"), as some sites do.
_TWO_SINGLE_CLOSE = ("’’", "''")
_MARK = re.compile("|".join([*_TWO_SINGLE_CLOSE, f"[{re.escape(_DOUBLE)}]"]))
#: Single marks, which delimit quotes in a text printed in the British style (no double marks at all).
_SINGLE = "'‘’"
_SINGLE_MARK = re.compile(f"[{_SINGLE}]")
#: A single mark that opens speech in British style: at a paragraph's start or after a space or a colon,
#: before a capital ("He said: 'The test works.'").
_SINGLE_SPEECH = re.compile(r"(?:^|[\s(\[—–-])[‘'][\"“]?[A-Z0-9]", re.MULTILINE)
_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")
_OPEN_BEFORE = set("([{—–-/\u00a0")
_TITLE_MAX_WORDS = 8
_TITLE_SHARE = 0.85


@dataclass(frozen=True)
class Pair:
    """Two paired marks: ``open``/``close`` are mark offsets (-1 when absent), ``start``/``end`` the content."""

    open: int
    close: int
    start: int
    end: int
    from_previous: bool  # continues a quote left open at the end of the previous paragraph


@dataclass(frozen=True)
class Candidate:
    """Words between marks that may be a direct quote, before attribution."""

    start: int  # content, char offsets
    end: int
    open_tok: int  # token index of the opening mark (or first content token)
    close_tok: int  # token index of the closing mark (or last content token)
    para: int
    words: int
    closed: bool
    from_previous: bool


@dataclass
class Marks:
    """The quote candidates of a Doc and which tokens lie inside marks."""

    quotes: list[Candidate] = field(default_factory=list)
    mask: list[bool] = field(default_factory=list)  # inside any pair of marks, marks included
    direct_mask: list[bool] = field(default_factory=list)  # inside a real (long enough) quote
    opens: set[int] = field(default_factory=set)  # token indexes of opening marks


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return end if end >= 0 else len(text)


class _Pairer:
    """Pairs the quotation marks of one text, paragraph by paragraph."""

    def __init__(self, text: str, index: DocIndex):
        self.text, self.index = text, index
        self.pairs: list[Pair] = []
        self.open_at = -1
        self.para = -1
        self.carried = False  # the previous paragraph ended inside a quote
        self.carried_open = False  # the open quote continues one from the previous paragraph
        self.seen = False  # a mark was already seen in this paragraph
        self.para_start = 0

    def run(self) -> list[Pair]:
        single = british_style(self.text)
        for match in (_SINGLE_MARK if single else _MARK).finditer(self.text):
            i = match.start()
            role = self._single_role(i) if single else None
            if single and role is None:
                continue  # an apostrophe ("baby's", "patients' ")
            p = self.index.paragraph_at_char(i)
            if p != self.para:
                self._new_paragraph(i, p)
            if role == "open" if single else self._is_opener(i):
                self._open(i)
            elif self.open_at >= 0:
                self.pairs.append(Pair(self.open_at, i, self.open_at + 1, i, self.carried_open))
                self.open_at = -1
            elif self.carried and not self.seen:
                # A continued quote that was not reopened closes here.
                self.pairs.append(Pair(-1, i, self.para_start, i, True))
            self.seen = True
        if self.open_at >= 0:
            self._run_on()
        return self.pairs

    def _run_on(self) -> None:
        # News convention: a quote running on into the next paragraph has no closing mark; the
        # paragraph's content up to its end is one quote span.
        start = self.open_at
        self.pairs.append(Pair(start, -1, start + 1, _line_end(self.text, start), self.carried_open))

    def _new_paragraph(self, i: int, p: int) -> None:
        if self.open_at >= 0:
            self._run_on()
        self.carried = self.open_at >= 0 and p == self.para + 1
        self.open_at, self.para = -1, p
        self.para_start = self.text.rfind("\n", 0, i) + 1
        self.seen = False

    def _is_opener(self, i: int) -> bool:
        text = self.text
        if text.startswith(_TWO_SINGLE_CLOSE, i):
            return False
        mark = text[i]
        prev = text[i - 1] if i > 0 else "\n"
        nxt = text[i + 1] if i + 1 < len(text) else "\n"
        if mark in OPEN_DOUBLE and mark != '"':
            return not ((prev.isalnum() or prev in ".,!?;:") and (nxt.isspace() or nxt in ".,;:!?)"))
        if mark in CLOSE_DOUBLE and mark != '"':
            return (prev.isspace() or prev in _OPEN_BEFORE) and nxt.isalnum()
        if prev.isspace() and nxt.isspace():
            return self.open_at < 0
        if self.open_at < 0 and nxt.isalnum():
            return True  # a missing space before the mark ('... pregnancy."Many women ...') still opens
        return prev.isspace() or prev in _OPEN_BEFORE or i == self.para_start

    def _single_role(self, i: int) -> str | None:
        """A single mark in a British-style text: "open" before a word after a space, a colon or a
        paragraph's start; "close" after a word or punctuation while a quote is open; else an apostrophe."""
        text = self.text
        prev = text[i - 1] if i > 0 else "\n"
        nxt = text[i + 1] if i + 1 < len(text) else "\n"
        if (prev.isspace() or prev in _OPEN_BEFORE) and (nxt.isalnum() or nxt in "“\"."):
            return "open"
        if prev.isalnum() and nxt.isalnum():
            return None  # inside a word: "baby's", "don't"
        after = text[i + 2] if i + 2 < len(text) else "\n"
        if prev == "s" and nxt == " " and after.isalpha() and self.open_at >= 0 and len(_WORD.findall(text[self.open_at : i])) > 3:
            return None  # a plural possessive inside speech: 'Many patients' families ...'
        if not prev.isspace() and not nxt.isalnum() and (self.open_at >= 0 or self.carried):
            return "close"
        return None

    def _open(self, i: int) -> None:
        if self.open_at >= 0:
            # An unclosed quote before another opener ends at its last sentence end.
            cut = max(self.text.rfind(c, self.open_at, i) for c in ".!?")
            if cut > self.open_at:
                self.pairs.append(Pair(self.open_at, cut + 1, self.open_at + 1, cut + 1, self.carried_open))
        self.open_at, self.carried_open = i, self.carried and not self.seen


def pair_marks(text: str, index: DocIndex) -> list[Pair]:
    """Pair the quotation marks of ``text`` paragraph by paragraph (paragraphs from ``index``): the double
    marks, or in a text printed in the British style, the single ones."""
    return _Pairer(text, index).run()


def british_style(text: str) -> bool:
    """The text quotes speech in single marks ('He said: \'It works.\''): it has no double mark at all
    and a single mark opens speech before a capital at least twice."""
    if any(c in _DOUBLE for c in text):
        return False
    return len(_SINGLE_SPEECH.findall(text)) >= 2


def title_like(content: str) -> bool:
    """Titles of works and names ("Good Morning America") are capitalised word by word."""
    if content.endswith(","):
        return False  # a comma inside the marks belongs to speech: "At the end," said X
    words = _WORD.findall(content)
    if len(words) > _TITLE_MAX_WORDS:
        # Long headline-style titles of papers: nearly every long word capitalised.
        long = [w for w in words if len(w) > 3 and not w.isdigit()]
        return len(long) >= 4 and is_title_case(long, share=_TITLE_SHARE)
    # Short function words may stay lower case ("Pain in the Neck"); two real capitals at least.
    return is_title_case(words, share=1.0) and sum(1 for w in words if w[:1].isupper()) >= 2


def names_a_work(doc: Doc, open_tok: int, close_tok: int, marked: bool, lex: Lexicon) -> bool:
    """Whether the quoted words are the title of a work: `a paper titled "..."`, `"..." is published in`."""
    if marked and open_tok > 0 and lex.has("work_cue", doc[open_tok - 1].lower_):
        return True
    if marked and open_tok > 1 and doc[open_tok - 1].text == "," and lex.has("work_cue", doc[open_tok - 2].lower_):
        return True  # a title in apposition: 'The editorial, "Opioids in the Clinic," by ...'
    for tok in doc[close_tok + 1 : close_tok + 5]:
        if lex.has("work_after", tok.lower_):
            return True
        if not (tok.is_punct or tok.is_space or tok.pos_ == "AUX"):
            break
    return False


def names_a_term(doc: Doc, open_tok: int, lex: Lexicon) -> bool:
    """Whether the quoted words are a name or term the article introduces ('stances such as "white
    crane ..."', 'a condition called "..."'), not speech: a two-word cue, or a one-word cue that
    describes the noun before it ("she called it "..."" is speech)."""
    if open_tok < 2:
        return False
    prev = doc[open_tok - 1]
    if lex.has("term_cue", f"{doc[open_tok - 2].lower_} {prev.lower_}"):
        return True
    return lex.has("term_cue", prev.lower_) and prev.dep_ in ("acl", "amod")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_marks(doc: Doc, text: str, index: DocIndex, lex: Lexicon, min_words: int, skip: list[Mention]) -> Marks:
    """Quote candidates of ``doc``: paired marks holding ``min_words`` or more words, outside ``skip`` spans."""
    starts = doc.to_array("IDX").tolist()

    def tok_at(char: int) -> int:
        return max(bisect_right(starts, char) - 1, 0)

    marks = Marks(mask=[False] * len(doc), direct_mask=[False] * len(doc))
    for pair in pair_marks(text, index):
        cs, ce = _trim(text, pair.start, pair.end)
        if ce <= cs:
            continue
        a = tok_at(pair.open) if pair.open >= 0 else tok_at(cs)
        b = tok_at(pair.close) if pair.close >= 0 else tok_at(ce - 1)
        if pair.close >= 0 and text.startswith(_TWO_SINGLE_CLOSE, pair.close):
            b = tok_at(pair.close + 1)
        marks.opens.add(a)
        words = len(_WORD.findall(text, cs, ce))
        long_enough = words >= min_words
        for k in range(a, b + 1):
            marks.mask[k] = True
            marks.direct_mask[k] = marks.direct_mask[k] or long_enough
        if (
            long_enough
            and not overlaps_any(cs, ce, skip)
            and not title_like(text[cs:ce])
            and not names_a_work(doc, a, b, pair.open >= 0, lex)
            and not (pair.open >= 0 and names_a_term(doc, a, lex))
        ):
            para = index.paragraph_at_char(cs)
            marks.quotes.append(Candidate(cs, ce, a, b, para, words, pair.close >= 0, pair.from_previous))
    return marks
