"""A small bag-of-words spaCy text classifier for claim strength, over the sentence's words and
what the strength rules saw in it (``rules.feature_text``). CPU only; its weights are component
data (``models/strength_classifier/``), trained by ``python -m healthclaims.components.strength.train``.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from pathlib import Path

import spacy
import srsly
from healthclaims.components.strength.rules import STRENGTHS
from spacy.language import Language
from spacy.training import Example

#: Bag-of-words over unigrams and bigrams; 2**18 hashed rows keep the weights near 4 MB.
TEXTCAT_CONFIG = {
    "model": {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": True,
        "ngram_size": 2,
        "no_output_layer": False,
        "length": 262144,
    }
}


class StrengthClassifier:
    """Predicts one of ``STRENGTHS`` from a feature text."""

    def __init__(self, nlp: Language):
        self.nlp = nlp

    @classmethod
    def untrained(cls) -> StrengthClassifier:
        nlp = spacy.blank("en")
        textcat = nlp.add_pipe("textcat", config=TEXTCAT_CONFIG)
        for label in STRENGTHS:
            textcat.add_label(label)
        return cls(nlp)

    @classmethod
    def from_disk(cls, path: str | Path) -> StrengthClassifier:
        """Load a classifier saved with ``to_disk``."""
        # Most of the load is the English tokenizer's special cases, which spaCy builds from the
        # language defaults and then builds again from the saved tokenizer. The saved one is read
        # only when it differs from the defaults (it has not, for the shipped model).
        nlp = spacy.load(path, exclude=["tokenizer"])
        saved = Path(path) / "tokenizer"
        if saved.is_file() and srsly.msgpack_loads(saved.read_bytes()) != srsly.msgpack_loads(
            nlp.tokenizer.to_bytes(exclude=["vocab"])
        ):
            nlp.tokenizer.from_disk(saved)
        return cls(nlp)

    def to_disk(self, path: str | Path) -> None:
        # The bag-of-words features are hashes of the words: the string store (every word seen in
        # training) is not needed to predict, and is left out so no training text ships.
        self.nlp.to_disk(path, exclude=["vocab"])

    def train(self, items: Sequence[tuple[str, str]], epochs: int = 12, seed: int = 0, batch: int = 16) -> None:
        """Train on ``(feature_text, label)`` pairs (deterministic for a given seed)."""
        spacy.util.fix_random_seed(seed)
        rng = random.Random(seed)
        examples = [
            Example.from_dict(self.nlp.make_doc(text), {"cats": {k: float(k == label) for k in STRENGTHS}})
            for text, label in items
        ]
        optimizer = self.nlp.initialize(lambda: examples)
        for _epoch in range(epochs):
            rng.shuffle(examples)
            for i in range(0, len(examples), batch):
                self.nlp.update(examples[i : i + batch], sgd=optimizer, drop=0.2)

    def predict(self, texts: Iterable[str]) -> list[str]:
        """The most probable label of each feature text."""
        return [max(doc.cats, key=doc.cats.get) for doc in self.nlp.pipe(texts, batch_size=256)]

    def proba(self, texts: Iterable[str]) -> list[list[float]]:
        """Each feature text's probability of each of ``STRENGTHS`` (in that order)."""
        return [[doc.cats[label] for label in STRENGTHS] for doc in self.nlp.pipe(texts, batch_size=256)]
