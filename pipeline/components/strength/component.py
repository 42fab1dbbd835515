"""The ``healthclaims_strength`` component: how strongly each claim asserts a relationship.

Runs after ``healthclaims_claims`` and sets ``strength`` and ``strength_cues`` on every
``ClaimHit``; rules come from ``models/strength_cues.jsonl``. When a trained classifier is
present (``models/strength_classifier/``) it decides the label and the rules supply the cues.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from healthclaims.components.base import RuleData, require
from healthclaims.components.common import doc_text
from healthclaims.components.strength.rules import Decision, StrengthCue, StrengthRules, explain, feature_text
from healthclaims.resources import resource_path
from healthclaims.types import Mention, ensure_extensions, results
from spacy.language import Language
from spacy.tokens import Doc, Span

CLASSIFIER_DIR = "strength_classifier"


class StrengthComponent(RuleData):
    """Labels every claim ``none``, ``correlational``, ``conditional_causal`` or ``causal``."""

    def __init__(self, nlp: Language, name: str = "healthclaims_strength", cues_file: str = "strength_cues.jsonl",
                 use_classifier: bool = True):
        ensure_extensions()
        self.name = name
        self.vocab = nlp.vocab
        self.use_classifier = use_classifier
        self.classifier = None
        self.init_rules({"cues": cues_file})
        if use_classifier:
            self._load_classifier(resource_path(CLASSIFIER_DIR))

    def load_rules(self) -> None:
        self.strength_rules = StrengthRules(self.vocab, self.rules("cues", StrengthCue))

    def _load_classifier(self, path: Path) -> None:
        from healthclaims.components.strength.classifier import StrengthClassifier

        self.classifier = StrengthClassifier.from_disk(path) if (path / "meta.json").is_file() else None

    def decide_spans(self, spans: list[Span]) -> list[Decision]:
        """The strength of each span (sentences or claims of parsed Docs)."""
        self.strength_rules.forget()
        decisions = [self.strength_rules.decide(span) for span in spans]
        if self.classifier is None or not spans:
            return decisions
        labels = self.classifier.predict([feature_text(self.strength_rules, s) for s in spans])
        return [explain(self.strength_rules, span, label, d) for span, label, d in zip(spans, labels, decisions)]

    def __call__(self, doc: Doc) -> Doc:
        claims = results(doc, "hc_claims")
        if not claims:
            return doc
        require(doc, self.name, ["parse", "lemmas"])
        spans = [doc.char_span(c.start, c.end, alignment_mode="expand") or doc[0:0] for c in claims]
        for claim, decision in zip(claims, self.decide_spans(spans)):
            claim.strength = decision.label
            claim.strength_cues = [Mention.of(doc_text(doc), doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for s, e in decision.cues]
        return doc

    # The classifier travels with the rule files when the pipeline is saved.
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        super().to_disk(path, exclude=exclude)
        if self.classifier is not None:
            self.classifier.to_disk(Path(path) / CLASSIFIER_DIR)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> StrengthComponent:
        super().from_disk(path, exclude=exclude)
        self.classifier = None
        if self.use_classifier:
            self._load_classifier(Path(path) / CLASSIFIER_DIR)
        return self


@Language.factory(
    "healthclaims_strength",
    default_config={"cues_file": "strength_cues.jsonl", "use_classifier": True},
    assigns=["doc._.hc_claims"],
    requires=["doc._.hc_claims", "token.dep", "token.pos", "token.lemma"],
)
def make_strength(nlp: Language, name: str, cues_file: str, use_classifier: bool) -> StrengthComponent:
    """Factory of the ``healthclaims_strength`` component (runs after ``healthclaims_claims``)."""
    return StrengthComponent(nlp, name, cues_file, use_classifier)
