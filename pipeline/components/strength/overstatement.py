"""Overstatement: a claim that asserts a stronger relationship than the paper it cites.

The paper's strength is that of its abstract's conclusion (the labelled CONCLUSION section, or
else the abstract's last two sentences); a causal claim on a paper that concludes only an
association, or a conditional one, is overstated (Sumner et al. 2014's measure of exaggeration).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from healthclaims.components.strength.api import _component
from healthclaims.components.strength.rules import STRENGTHS
from spacy.language import Language

RANK = {label: i for i, label in enumerate(STRENGTHS)}
#: Paper strengths against which a stronger claim is an overstatement ("none" states no relationship
#: to exaggerate: a conclusion about methods or feasibility is not compared).
COMPARABLE = frozenset({"correlational", "conditional_causal"})

_CONCLUSION = re.compile(
    r"(?:^|\n|\s)(?:CONCLUSIONS?|INTERPRETATION|CONCLUSIONS? AND RELEVANCE|IMPLICATIONS?)\s*[:.]\s*(.+?)(?=\n[A-Z][A-Z /&-]{3,}\s*[:.]|\Z)",
    re.DOTALL,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


@dataclass
class PaperStrength:
    label: str
    sentence: str


def conclusion_sentences(abstract: str) -> list[str]:
    """The conclusion of an abstract as sentences: its labelled section, else its last two sentences."""
    abstract = abstract.strip()
    if not abstract:
        return []
    match = _CONCLUSION.search(abstract)
    text = match.group(1) if match else abstract
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    return sentences if match else sentences[-2:]


def paper_strength(abstract: str, nlp: Language) -> PaperStrength | None:
    """The strongest relationship the abstract's conclusion asserts, with its sentence."""
    sentences = conclusion_sentences(abstract)
    if not sentences:
        return None
    component = _component(nlp)
    decisions = component.decide_spans([doc[:] for doc in nlp.pipe(sentences)])
    best = max(range(len(sentences)), key=lambda i: RANK[decisions[i].label])
    return PaperStrength(decisions[best].label, sentences[best])


def is_overstated(claim_strength: str, paper: PaperStrength | None) -> bool:
    """True when the claim asserts more than the paper's conclusion does."""
    return paper is not None and paper.label in COMPARABLE and RANK[claim_strength] > RANK[paper.label]
