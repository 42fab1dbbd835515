"""The claims component's rule files: their pydantic line models, labels and compiled matchers.

``claim_rules.jsonl`` scores sentences per claim type and gives the cues the filters and the
citation linking read; ``hedge_cues.jsonl`` and ``negation_cues.jsonl`` list softeners and negators.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal

from healthclaims.components.common import DocIndex
from healthclaims.resources import ResourceError
from pydantic import BaseModel, ConfigDict, Field
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

#: Claim types, in the order that breaks a tie between equal scores (most specific first).
CLAIM_TYPES = ("regulatory", "safety", "efficacy", "prevalence", "statistic", "mechanism", "evidence")

#: Labels of rules that are cues for the component rather than claim types.
CUE_LABELS = (
    "health",  # adds to the score but decides no type
    "finding",  # a finding verb ("found", "showed"): evidence, and keeps study-method sentences
    "reporting",  # a reporting verb: the sentence is a speaker's, not an anecdote
    "study_ref",  # "the study", "the authors": refers back to a cited work
    "cohort_ref",  # "the placebo group", "participants": continues a study's results already cited
    "outside",  # "who was not involved in the study": a study reference that is not the claim's source
    "vague_source",  # "studies show": names no work, never carries a citation
    "advice",
    "method",
    "publication",
    "disclosure",  # "funded by", "had no role in": funding and conflict notes, never a claim
    "judgment",  # "mixed", "preliminary", "more studies are needed": judges research, so a claim about research is evidence
    "plan",  # "hope to", "is underway": what researchers intend, not what they found
    "role",  # "director", "professor": with a copula and a person subject, a description of that person
    "experience",  # "tried", "finds": with "I/he/she" as subject, an anecdote
    "obligation",  # "should", "must": with an addressee subject, advice
    "addressee",  # "you", "patients", "people": whom advice is given to
    "opinion",  # "could change everything", "I think": a speaker's view or a prediction, not a checkable fact
    "commerce",  # "costs $", "free of charge", "offers classes": prices and service descriptions
    "practice",  # "he recommends", "performs": a speaker's own recommendation or practice, not a study's result
    "no_data",  # "doesn't break out data": a source said not to have the figure is not the sentence's source
    "caption",  # "(left)", "handout photo": the sentence describes a picture or a graphic
    "habit",  # "performs", "operates": with I/he/she or a named person in the present tense, one person's way of working
    "paraphrase",  # "In other words", "Put another way": opening a sentence, it restates the sentence before
    "names_study",  # "study finds", "trial shows": a headline that names a study as its source is tied to the story's study
    "finding_source",  # "That finding comes from": opening a sentence, it gives the source of the sentence before
)

RuleLabel = Literal[
    "efficacy", "safety", "evidence", "mechanism", "prevalence", "statistic", "regulatory",
    "health", "finding", "reporting", "study_ref", "cohort_ref", "outside", "vague_source", "advice", "method", "publication",
    "disclosure", "judgment", "plan", "role",
    "experience", "obligation", "addressee", "opinion", "commerce", "practice", "no_data", "caption", "habit",
    "paraphrase", "names_study", "finding_source",
]  # fmt: skip

#: What a study reference does for citation linking (the ``refers`` field of a study_ref rule).
Refers = Literal["back", "earlier", "introduces", "generic", "uncited"]

Pattern = str | list[dict[str, Any]]


class ClaimRule(BaseModel):
    """One line of ``claim_rules.jsonl``: a phrase or token pattern with its label and weight.

    Fields beyond ``label`` carry the behaviour of one rule, so that a reviewer changes it in the file:
    ``scores_as`` counts a cue towards a claim type; ``clause_bonus`` is added when the matched verb
    reports a clause ("showed that ..."); ``duration`` marks a figure that only says how long something
    lasted; ``refers`` says whether a study reference points back to the study under discussion (``earlier``:
    only to one already cited, never to one named later), introduces a new one, names research in general, or
    (``uncited``) a study not yet published, which no reader can look up; ``person`` marks a reference to one of a study's people
    ("lead author"), whose surname then keeps referring to the study; ``background`` marks how common a condition is in a population, which beside a figure and no result cue is
    background to a study, not its result; ``writes`` marks a verb of writing, with
    which a cited work's first author ("a review by Jane Roe" ... "Roe wrote") speaks for that work; ``rejects`` makes a sentence with the
    cue no claim unless it also reports a finding or a figure (rhetoric, prices, services); ``comparison`` marks a
    cohort cue that only compares with a population ("compared with women"), which in the present tense is background.
    """

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    label: RuleLabel
    pattern: Pattern
    weight: float = Field(default=1.0, gt=0, le=2)
    scores_as: Literal["evidence", "_health"] | None = None
    clause_bonus: float = Field(default=0.0, ge=0, le=1)
    duration: bool = False
    refers: Refers = "back"
    person: bool = False
    writes: bool = False
    background: bool = False
    rejects: bool = False
    comparison: bool = False


class CueRule(BaseModel):
    """One line of ``hedge_cues.jsonl`` or ``negation_cues.jsonl``."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    pattern: Pattern


@dataclass
class RuleHit:
    """One match of a claim rule in a sentence (token indexes)."""

    rule_id: str
    label: str
    weight: float
    start: int
    end: int
    rule: ClaimRule | None = None

    @property
    def score_label(self) -> str:
        """The claim type (or ``_health``) this hit counts towards, if any."""
        if self.rule is not None and self.rule.scores_as:
            return self.rule.scores_as
        return self.label


@dataclass
class SentenceHits:
    """The matches of one Doc, by sentence: claim rules, hedge cues and negation cues."""

    rules: dict[int, list[RuleHit]]
    hedges: dict[int, list[tuple[str, int, int]]]
    negations: dict[int, list[tuple[str, int, int]]]


class RuleSet:
    """The three rule files compiled into one Matcher and one PhraseMatcher, so a Doc is scanned once."""

    def __init__(
        self, nlp: Language, rules: list[ClaimRule], hedges: list[CueRule], negations: list[CueRule], sources: list[str]
    ) -> None:
        self.info: dict[str, tuple[str, float]] = {}
        self.by_id: dict[str, ClaimRule] = {}
        entries: list[tuple[str, str, str, float, Pattern]] = [
            (sources[0], r.id, r.label, r.weight, r.pattern) for r in rules
        ]
        entries += [(sources[1], r.id, "hedge", 0.0, r.pattern) for r in hedges]
        entries += [(sources[2], r.id, "negation", 0.0, r.pattern) for r in negations]
        for source, rule_id, label, weight, _ in entries:
            known = self.info.setdefault(rule_id, (label, weight))
            if known != (label, weight):
                raise ResourceError(f"[{source}] rule id {rule_id!r} is used with two labels or weights")
        for rule in rules:
            known_rule = self.by_id.setdefault(rule.id, rule)
            if known_rule.model_dump(exclude={"pattern"}) != rule.model_dump(exclude={"pattern"}):
                raise ResourceError(f"[{sources[0]}] rule id {rule.id!r} is used with two sets of fields")
        self.matcher = Matcher(nlp.vocab)
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        for _, rule_id, _, _, pattern in entries:
            self._add(nlp, rule_id, pattern)

    def _add(self, nlp: Language, rule_id: str, pattern: Pattern) -> None:
        if isinstance(pattern, str):
            self.phrases.add(rule_id, [nlp.make_doc(pattern)])
        elif len(pattern) == 1 and set(pattern[0]) == {"LOWER"} and set(pattern[0]["LOWER"]) == {"IN"}:
            # A one-token word list is a set of phrases: the PhraseMatcher looks them up far faster
            # than the Matcher tests each pattern at each token.
            self.phrases.add(rule_id, [nlp.make_doc(word) for word in pattern[0]["LOWER"]["IN"]])
        else:
            self.matcher.add(rule_id, [pattern])

    def match(self, doc: Doc, index: DocIndex) -> SentenceHits:
        """Every match in ``doc``, grouped by the sentence it starts in."""
        found = SentenceHits(defaultdict(list), defaultdict(list), defaultdict(list))
        for m in (self.matcher, self.phrases):
            if not len(m):
                continue
            for key, start, end in m(doc):
                rule_id = doc.vocab.strings[key]
                label, weight = self.info[rule_id]
                sent = index.sent_of_token(start)
                if label == "hedge":
                    found.hedges[sent].append((rule_id, start, end))
                elif label == "negation":
                    found.negations[sent].append((rule_id, start, end))
                else:
                    found.rules[sent].append(RuleHit(rule_id, label, weight, start, end, self.by_id.get(rule_id)))
        return found
