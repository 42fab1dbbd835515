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

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"invalid regular expression: {exc}") from exc
        return value


_LINE = re.compile(r"[^\n]*")


SPAN_GROUP = "boilerplate"


class Boilerplate(RuleData):
    """Find boilerplate spans line by line and store them as ``doc._.hc_boilerplate``."""

    def __init__(self, rules_file: str = "boilerplate.jsonl"):
        ensure_extensions()
        self._compiled: list[tuple[BoilerplateRule, re.Pattern[str]]] = []
        self.init_rules({"rules": rules_file})

    def load_rules(self) -> None:
        """Compile the line rules (called on construction and again by from_disk/from_bytes)."""
        self._compiled = [
            (rule, re.compile(rule.pattern, re.IGNORECASE if rule.ignore_case else 0))
            for rule in self.rules("rules", BoilerplateRule)
        ]

    def find(self, text: str) -> list[Mention]:
        """Return the merged boilerplate spans of ``text``."""
        lines = [(m.start(), m.group()) for m in _LINE.finditer(text) if m.group().strip()]
        hits: list[tuple[int, int]] = []
        for index, (offset, line) in enumerate(lines):
            stripped = line.strip()
            lead = offset + len(line) - len(line.lstrip())
            for rule, regex in self._compiled:
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
                    end = lead + len(stripped)
                    if rule.scope == "block" and index + 1 < len(lines):
                        # The heading's footer paragraph: "More information" / "About X" then one text block.
                        next_offset, next_line = lines[index + 1]
                        end = next_offset + len(next_line.rstrip())
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
