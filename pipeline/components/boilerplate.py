"""The healthclaims_boilerplate component: marks page furniture so no extractor reads it.

Line rules in ``models/boilerplate.jsonl`` (comment forms, ads, share prompts, bylines,
datelines, "More information" and "About ..." blocks); adjacent hits merge into one span,
stored as ``doc._.hc_boilerplate`` and as the ``doc.spans["boilerplate"]`` group. The rules
are saved with the pipeline (``RuleData``), so a saved pipeline keeps the rules it was built with.
"""

from __future__ import annotations

import re
from typing import Literal

from healthclaims.components.base import RuleData
from healthclaims.components.common import doc_text
from healthclaims.types import Mention, ensure_extensions, results
from pydantic import BaseModel, ConfigDict, field_validator
from spacy.language import Language
from spacy.tokens import Doc


class BoilerplateRule(BaseModel):
    """One line of ``models/boilerplate.jsonl``."""

    model_config = ConfigDict(extra="forbid")

    id: str
    scope: Literal["line", "prefix", "inline", "block"]
    pattern: str
    ignore_case: bool = False
    max_chars: int = 200
    #: block: a heading that also matches this (searched, any case) is article text ("About the study").
    unless: str | None = None
    #: block: the heading and its first paragraph must contain this (searched, any case), e.g. what
    #: says an organisation describes itself ("a non-profit", "we"), so "About Heart Failure" stays article.
    requires: str | None = None
    #: block: the block runs on over the following paragraphs up to the next heading, not one paragraph.
    extends: bool = False
    #: line: the next line must match this in full (or the line is the last one), e.g. an end mark.
    before: str | None = None
    #: extended block: the run stops before a paragraph that starts with a match of this, e.g. a numbered
    #: reference list after a press release's safe-harbour notice.
    until: str | None = None

    @field_validator("pattern", "unless", "requires", "before", "until")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"invalid regular expression: {exc}") from exc
        return value


_LINE = re.compile(r"[^\n]*")
#: A heading line: short, with no closing punctuation (an extended block stops before the next one).
HEADING_CHARS = 80
_CLOSING = tuple(".!?;,)\"”’'")


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) <= HEADING_CHARS and not stripped.endswith(_CLOSING)


class _Compiled:
    """A rule with its regular expressions compiled once."""

    def __init__(self, rule: BoilerplateRule) -> None:
        self.rule = rule
        self.regex = re.compile(rule.pattern, re.IGNORECASE if rule.ignore_case else 0)
        self.unless = re.compile(rule.unless, re.IGNORECASE) if rule.unless else None
        self.requires = re.compile(rule.requires, re.IGNORECASE) if rule.requires else None
        self.before = re.compile(rule.before) if rule.before else None
        self.until = re.compile(rule.until) if rule.until else None


SPAN_GROUP = "boilerplate"


class Boilerplate(RuleData):
    """Find boilerplate spans line by line and store them as ``doc._.hc_boilerplate``."""

    def __init__(self, rules_file: str = "boilerplate.jsonl"):
        ensure_extensions()
        self._compiled: list[_Compiled] = []
        self.init_rules({"rules": rules_file})

    def load_rules(self) -> None:
        """Compile the line rules (called on construction and again by from_disk/from_bytes)."""
        self._compiled = [_Compiled(rule) for rule in self.rules("rules", BoilerplateRule)]

    def find(self, text: str) -> list[Mention]:
        """Return the merged boilerplate spans of ``text``."""
        lines = [(m.start(), m.group()) for m in _LINE.finditer(text) if m.group().strip()]
        hits: list[tuple[int, int]] = []
        for index, (offset, line) in enumerate(lines):
            stripped = line.strip()
            lead = offset + len(line) - len(line.lstrip())
            for compiled in self._compiled:
                rule, regex = compiled.rule, compiled.regex
                if rule.scope == "inline":
                    hits.extend((lead + m.start(), lead + m.end()) for m in regex.finditer(stripped))
                    continue
                if len(stripped) > rule.max_chars and rule.scope != "prefix":
                    continue
                if rule.scope == "prefix":
                    match = regex.match(stripped)
                    if match:
                        hits.append((lead, lead + match.end()))
                        break
                elif regex.fullmatch(stripped):
                    end = _block_end(compiled, lines, index, lead + len(stripped))
                    if end is None:
                        continue
                    hits.append((lead, end))
                    break
        return [Mention.of(text, start, end) for start, end in _merge(text, hits)]

    def __call__(self, doc: Doc) -> Doc:
        existing = results(doc, "hc_boilerplate")
        found = self.find(doc_text(doc))
        doc._.hc_boilerplate = sorted(existing + found, key=lambda m: (m.start, m.end)) if existing else found
        # Token spans for displaCy/DocBin users; "expand" because a hit may start inside a token.
        spans = [doc.char_span(m.start, m.end, label=SPAN_GROUP, alignment_mode="expand") for m in doc._.hc_boilerplate]
        doc.spans[SPAN_GROUP] = [span for span in spans if span is not None]
        return doc


def _block_end(compiled: _Compiled, lines: list[tuple[int, str]], index: int, end: int) -> int | None:
    """Where the span of a rule that matched line ``index`` ends, or None when the rule's conditions fail.

    A block is its heading plus the paragraph after it ("More information", "About X"), or, for an
    ``extends`` rule, every paragraph up to the next heading (an organisation's profile runs over several).
    """
    rule = compiled.rule
    following = lines[index + 1][1] if index + 1 < len(lines) else None
    if rule.scope == "line":
        if compiled.before is not None and following is not None and not compiled.before.fullmatch(following.strip()):
            return None
        return end
    if rule.scope != "block" or following is None:
        return end
    heading = lines[index][1]
    if compiled.unless is not None and compiled.unless.search(heading):
        return None
    if compiled.requires is not None and not compiled.requires.search(heading + "\n" + following):
        return None
    last = index + 1
    while rule.extends and last + 1 < len(lines) and not _is_heading(lines[last + 1][1]):
        if compiled.until is not None and compiled.until.match(lines[last + 1][1].strip()):
            break
        last += 1
    next_offset, next_line = lines[last]
    return next_offset + len(next_line.rstrip())


def _merge(text: str, hits: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping hits and hits separated only by white space."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(hits):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@Language.factory(
    "healthclaims_boilerplate",
    default_config={"rules_file": "boilerplate.jsonl"},
    assigns=["doc._.hc_boilerplate", "doc.spans"],
    requires=[],
)
def make_boilerplate(nlp: Language, name: str, rules_file: str) -> Boilerplate:
    """Factory of the ``healthclaims_boilerplate`` component."""
    return Boilerplate(rules_file)
