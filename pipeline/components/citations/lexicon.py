"""The compiled rules of the citations extractor: word lists, regexes and matchers by label.

Built once from the validated rule files; the extractor's modules ask for a label ("NAME_STOPS",
"DOI"), never a rule id, and a rule file missing a label they need fails on load, naming it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from healthclaims.components.citations.data import CitationRule, StudyType, Venue, expand_first, space_tolerant
from healthclaims.resources import ResourceError
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher

WS = re.compile(r"\s+")

#: Word lists and regexes the code reads; each must be in citation_patterns.jsonl
#: (NAME_PARTICLES, the surname particles, comes from name_particles.jsonl).
REQUIRED_WORDS = (
    "NAME_STOPS", "NAME_CONNECTORS", "NAME_SUFFIXES", "RECENT_CUES", "SAME_DAY_CUES", "EARLIER_CUES",
    "PUBLICATION_VERBS", "PUBLICATION_HEADS", "WORK_NOUNS", "VENUE_MODIFIED_NOUNS", "VENUE_LEAD",
    "ISSUE_NOUNS", "MEETING_WORDS", "MEETING_NOUNS", "ORGANISATION_HEADS", "NEWS_OUTLET_HEADS",
    "REPORT_VERBS", "INDEFINITE", "NOVELTY", "RELATIVE", "STUDY_PREPS", "EDITORIAL_NOUNS",
    "ACRONYM_SKIP", "OTHER_WORK", "ASIDE_WORK", "NOT_VENUE_HEADS", "JOURNAL_TITLE_WORDS", "VENUE_SUBJECT_VERBS", "LETTER_NOUNS",
    "POINTER_NOUNS", "LONE_STUDY_NOUNS", "STUDY_ROLES", "SOURCE_HEADS", "SOURCE_CUES", "PLAN_VERBS",
    "UNPUBLISHED_CUES", "DOER_VERBS", "DOER_GROUPS", "ORG_DOCUMENT_NOUNS",
    "RESEARCH_GROUPS", "RESEARCH_FINDING_VERBS", "RESEARCH_RESULT_VERBS", "RESEARCH_PLACES",
)  # fmt: skip
REQUIRED_REGEXES = (
    "YEAR", "LEAD_YEAR", "LAST_YEAR", "DATELINE", "DOI", "PMID", "URL", "URL_HOST", "NUMERIC",
    "AUTHOR_YEAR_GROUP", "AUTHOR_YEAR_ITEM", "AUTHOR_YEAR", "REFERENCE", "REFERENCE_VENUE",
    "SOURCE_LINE", "SOURCE_ENTRY", "NUMERIC_PAREN", "URL_PMID", "TITLE_PUBLISHED", "SENIOR_AUTHOR",
)  # fmt: skip


@dataclass
class CompiledRegex:
    """A regex rule ready to run, with the rule it came from."""

    rule: CitationRule
    regex: re.Pattern[str]


def venue_key_text(name: str) -> str:
    """A venue name folded for lookups: lower case, single spaces, no leading "the", "and" as "&"."""
    key = WS.sub(" ", name.strip().lower())
    key = key.removeprefix("the ")
    return key.replace(" and ", " & ")


class CitationRules:
    """Everything the extractor knows, compiled: look rules up by label."""

    def __init__(
        self,
        nlp: Language,
        rules: list[CitationRule],
        venues: list[Venue],
        study_types: list[StudyType],
        source: str = "citation_patterns.jsonl",
        particles: Iterable[str] = (),
    ):
        self.by_id = {r.id: r for r in rules}
        self._first_id: dict[str, str] = {}
        for rule in rules:
            self._first_id.setdefault(rule.label, rule.id)
        # surname particles come from their own file, shared with the quotes component
        self._words: dict[str, frozenset[str]] = {"NAME_PARTICLES": frozenset(w.lower() for w in particles)}
        for rule in rules:
            if rule.words is not None:
                self._words[rule.label] = self._words.get(rule.label, frozenset()) | frozenset(rule.words)
        self._regexes: dict[str, list[CompiledRegex]] = {}
        for rule in rules:
            if rule.regex is not None:
                flags = re.IGNORECASE if rule.ignore_case else 0
                self._regexes.setdefault(rule.label, []).append(CompiledRegex(rule, re.compile(rule.regex, flags)))
        missing = [w for w in REQUIRED_WORDS if w not in self._words]
        missing += [r for r in REQUIRED_REGEXES if r not in self._regexes]
        unknown = [r.head_in for r in rules if r.head_in is not None and r.head_in not in self._words]
        if missing or unknown:
            raise ResourceError(
                f"[{source}] "
                + "; ".join(
                    ([f"no rule with label {', '.join(missing)}"] if missing else [])
                    + ([f"head_in names no word list: {', '.join(unknown)}"] if unknown else [])
                )
            )
        self.matcher = Matcher(nlp.vocab)
        for rule in rules:
            if rule.pattern is not None:
                self.matcher.add(rule.id, [space_tolerant(p) for p in expand_first(rule.pattern)])

        self.venues = {v.id: v for v in venues}
        self.venue_by_name: dict[str, str] = {}
        self.venue_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for venue in venues:
            names = [venue.name, *venue.aliases]
            for name in names:
                self.venue_by_name[venue_key_text(name)] = venue.id
            self.venue_matcher.add(venue.id, [nlp.make_doc(n) for n in names])

        self.study_types = {s.id: s for s in study_types}
        self.type_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.type_patterns = Matcher(nlp.vocab)
        for st in study_types:
            if st.cues:
                self.type_matcher.add(st.id, [nlp.make_doc(c) for c in st.cues])
            if st.patterns:
                self.type_patterns.add(st.id, [space_tolerant(p) for pattern in st.patterns for p in expand_first(pattern)])

    def words(self, label: str) -> frozenset[str]:
        """The lower-case words of every word list with ``label``."""
        return self._words.get(label, frozenset())

    def regexes(self, label: str) -> list[CompiledRegex]:
        """The regex rules with ``label``, in file order."""
        return self._regexes.get(label, [])

    def first_regex(self, label: str) -> re.Pattern[str]:
        """The first regex with ``label`` (for labels that have exactly one rule)."""
        return self._regexes[label][0].regex

    def rule_id(self, label: str) -> str:
        """The id of the first rule with ``label``: the ``rule`` of citations that label's code builds."""
        return self._first_id[label]

    def venue_key(self, name: str) -> str:
        """The venue id of a known journal's name or alias, else the folded name itself."""
        key = venue_key_text(name)
        return self.venue_by_name.get(key, key)

    def year_in(self, text: str) -> int | None:
        """The first publication year written in ``text``."""
        for compiled in self.regexes("YEAR"):
            match = compiled.regex.search(text)
            if match:
                return int(match.group("year"))
        return None
