"""Averaging the encoder's and the bag-of-words classifier's probabilities: the combination, the
choice of its weight, and that cross-validation never chooses a fold's weight on that fold's labels."""

from __future__ import annotations

import pytest
from healthclaims.components.strength.ensemble import choose_weight, combine, labels_of
from healthclaims.components.strength.train import nested_ensemble, score

NONE, CORR, COND, CAUSAL = ([float(j == k) for j in range(4)] for k in range(4))


def _macro(gold, pred):
    return score(gold, pred).macro_f1


def test_combine_weighs_the_bag_of_words_and_labels_take_the_most_probable():
    encoder = [[0.1, 0.6, 0.2, 0.1]]
    bow = [[0.1, 0.1, 0.1, 0.7]]
    assert combine(encoder, bow, 0.0) == encoder
    assert combine(encoder, bow, 0.5)[0] == pytest.approx([0.1, 0.35, 0.15, 0.4])
    assert labels_of(combine(encoder, bow, 0.3)) == ["correlational"]
    assert labels_of(combine(encoder, bow, 0.5)) == ["causal"]
    with pytest.raises(ValueError, match="outside"):
        combine(encoder, bow, 1.5)


def test_choose_weight_follows_the_model_that_is_right():
    gold = ["causal", "none", "correlational", "conditional_causal"]
    right, wrong = [CAUSAL, NONE, CORR, COND], [NONE, CAUSAL, COND, CORR]
    # Every weight below an even average keeps the right model's labels: of those, the one nearest 0.5.
    assert choose_weight(gold, right, wrong, _macro) == 0.4
    assert choose_weight(gold, wrong, right, _macro) == 0.6
    assert labels_of(combine(right, wrong, 0.4)) == gold
    # Both right at every weight: the even average, the least fitted choice.
    assert choose_weight(gold, right, right, _macro) == 0.5


def test_nested_ensemble_never_reads_the_held_out_folds_labels():
    # Corpus "a": the bag-of-words is right on every row, the encoder wrong; corpus "b" the other way
    # round. Changing the labels of a held-out fold must not change the weight chosen for that fold.
    labels = ["none", "correlational", "conditional_causal", "causal"]
    rows = [(f"s{i}", labels[i % 4]) for i in range(20)]
    corpora = {"a": rows, "b": rows}
    onehot = [[float(j == i % 4) for j in range(4)] for i in range(20)]
    shifted = [[float(j == (i + 1) % 4) for j in range(4)] for i in range(20)]
    enc, bow = {"a": shifted, "b": onehot}, {"a": onehot, "b": shifted}
    _probs, weights = nested_ensemble(corpora, enc, bow, folds=5)
    assert set(weights) == {(n, f) for n in "ab" for f in range(5)}
    relabelled = {"a": [(s, "none") for s, _ in rows], "b": rows}
    probs_relabelled, weights_relabelled = nested_ensemble(relabelled, enc, bow, folds=5)
    from healthclaims.components.strength.train import fold_ids

    ids = fold_ids(corpora, 5)
    # Relabelling all of "a" changes every weight; relabelling only its fold 0 changes none of a/0's.
    partial = {"a": [(s, "none") if ids["a"][i] == 0 else (s, g) for i, (s, g) in enumerate(rows)], "b": rows}
    _p, weights_partial = nested_ensemble(partial, enc, bow, folds=5)
    assert weights_partial[("a", 0)] == weights[("a", 0)]
    assert weights_relabelled != weights
    assert len(probs_relabelled["a"]) == 20 and all(len(p) == 4 for p in probs_relabelled["a"])
