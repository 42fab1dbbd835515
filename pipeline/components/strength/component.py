"""The ``healthclaims_strength`` component: how strongly each claim asserts a relationship.

Runs after ``healthclaims_claims`` and sets ``strength`` and ``strength_cues`` on every
``ClaimHit``; rules come from ``models/strength_cues.jsonl``. A trained model decides the label and
the rules supply the cues: the fine-tuned sentence encoder (``models/strength_encoder/``, averaged
with the bag-of-words classifier by the weight its ``meta.json`` holds) when the
``healthclaims[encoder]`` extra is installed, else the bag-of-words classifier
(``models/strength_classifier/``), else the rules alone. ``backend`` says which (the record's
``model.strength``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from healthclaims.components.base import RuleData, require
from healthclaims.components.common import doc_text
from healthclaims.components.strength.encoder import rule_features
from healthclaims.components.strength.ensemble import combine, labels_of
from healthclaims.components.strength.rules import Decision, StrengthCue, StrengthRules, explain, feature_text
from healthclaims.resources import resource_path
from healthclaims.types import Mention, ensure_extensions, results
from spacy.language import Language
from spacy.tokens import Doc, Span

CLASSIFIER_DIR = "strength_classifier"
ENCODER_DIR = "strength_encoder"
#: What decides the label, best first.
BACKENDS = ("encoder", "bag-of-words", "rules")


class StrengthComponent(RuleData):
    """Labels every claim ``none``, ``correlational``, ``conditional_causal`` or ``causal``."""

    def __init__(self, nlp: Language, name: str = "healthclaims_strength", cues_file: str = "strength_cues.jsonl",
                 use_classifier: bool = True, use_encoder: bool = True):
        ensure_extensions()
        self.name = name
        self.vocab = nlp.vocab
        self.use_classifier = use_classifier
        self.use_encoder = use_classifier and use_encoder
        self.classifier = None
        self.init_rules({"cues": cues_file})
        self._load_models(resource_path(""))

    @property
    def backend(self) -> str:
        """Which of ``BACKENDS`` decides the label."""
        if self._encoder_dir is not None:
            return "encoder"
        return "bag-of-words" if self.classifier is not None else "rules"

    def load_rules(self) -> None:
        self.strength_rules = StrengthRules(self.vocab, self.rules("cues", StrengthCue))

    def _load_models(self, folder: Path) -> None:
        """The models saved under ``folder``. The encoder (torch and its weights, about 2 s) loads
        on the first claims, so a pipeline that never sees one does not pay for it."""
        from healthclaims.components.strength.classifier import StrengthClassifier
        from healthclaims.extras import encoder_present

        self.classifier, self._encoder, self._encoder_dir = None, None, None
        if not self.use_classifier:
            return
        if self.use_encoder and encoder_present(folder / ENCODER_DIR):
            self._encoder_dir = folder / ENCODER_DIR
        path = folder / CLASSIFIER_DIR
        self.classifier = StrengthClassifier.from_disk(path) if (path / "meta.json").is_file() else None

    @property
    def encoder(self):  # -> EncoderClassifier | None
        """The sentence encoder, loaded on first use; ``None`` when ``backend`` is not ``encoder``."""
        if self._encoder is None and self._encoder_dir is not None:
            from healthclaims.components.strength.encoder import EncoderClassifier

            self._encoder = EncoderClassifier.from_disk(self._encoder_dir)
        return self._encoder

    def decide_spans(self, spans: list[Span]) -> list[Decision]:
        """The strength of each span (sentences or claims of parsed Docs)."""
        self.strength_rules.forget()
        decisions = [self.strength_rules.decide(span) for span in spans]
        if not spans or self.backend == "rules":
            return decisions
        if self.backend == "encoder":
            features = [rule_features(self.strength_rules, s, d) for s, d in zip(spans, decisions)]
            probs = self.encoder.proba([s.text for s in spans], features)
            weight = self.encoder.bow_weight if self.classifier is not None else 0.0
            if weight:
                # The two models' errors differ: their weighted average beats either (``ensemble``).
                bow = self.classifier.proba([feature_text(self.strength_rules, s, d) for s, d in zip(spans, decisions)])
                probs = combine(probs, bow, weight)
            labels = labels_of(probs)
        else:
            labels = self.classifier.predict([feature_text(self.strength_rules, s, d) for s, d in zip(spans, decisions)])
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

    # The models travel with the rule files when the pipeline is saved (the encoder's base stays in
    # its package: only the fine-tuned layers and the head are saved).
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        super().to_disk(path, exclude=exclude)
        if self.classifier is not None:
            self.classifier.to_disk(Path(path) / CLASSIFIER_DIR)
        if self.encoder is not None:
            self.encoder.to_disk(Path(path) / ENCODER_DIR)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> StrengthComponent:
        super().from_disk(path, exclude=exclude)
        self._load_models(Path(path))
        return self


@Language.factory(
    "healthclaims_strength",
    default_config={"cues_file": "strength_cues.jsonl", "use_classifier": True, "use_encoder": True},
    assigns=["doc._.hc_claims"],
    requires=["doc._.hc_claims", "token.dep", "token.pos", "token.lemma"],
)
def make_strength(nlp: Language, name: str, cues_file: str, use_classifier: bool, use_encoder: bool) -> StrengthComponent:
    """Factory of the ``healthclaims_strength`` component (runs after ``healthclaims_claims``).
    ``use_encoder=False`` keeps the bag-of-words classifier even when the encoder extra is installed."""
    return StrengthComponent(nlp, name, cues_file, use_classifier, use_encoder)
