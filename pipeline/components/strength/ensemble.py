"""Averaging the sentence encoder's and the bag-of-words classifier's label probabilities.

The two make different errors (the encoder reads the sentence in context, the bag-of-words weighs
its words and the rule features one by one), so a weighted average of their probabilities is better
than either. The weight of the bag-of-words is chosen on cross-validated predictions
(``python -m healthclaims.components.strength.train``) and saved in the encoder's ``meta.json``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from healthclaims.components.strength.rules import STRENGTHS

#: Candidate weights of the bag-of-words (0 = the encoder alone, 1 = the bag-of-words alone).
GRID = tuple(i / 10 for i in range(11))

Probs = Sequence[Sequence[float]]


def combine(encoder: Probs, bow: Probs, weight: float) -> list[list[float]]:
    """``(1 - weight) * encoder + weight * bow`` for each item (probabilities in ``STRENGTHS`` order)."""
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"bag-of-words weight {weight} is outside 0..1")
    return [[(1 - weight) * e + weight * b for e, b in zip(pe, pb)] for pe, pb in zip(encoder, bow)]


def labels_of(probs: Probs) -> list[str]:
    """The most probable label of each item."""
    return [STRENGTHS[max(range(len(p)), key=p.__getitem__)] for p in probs]


def choose_weight(gold: Sequence[str], encoder: Probs, bow: Probs, metric: Callable[[Sequence[str], Sequence[str]], float],
                  grid: Sequence[float] = GRID) -> float:
    """The weight of ``grid`` whose combined labels score best by ``metric(gold, predicted)``; of equal
    scores, the one nearest an even average (the least fitted to these items)."""
    return max(grid, key=lambda w: (metric(gold, labels_of(combine(encoder, bow, w))), -abs(w - 0.5)))
