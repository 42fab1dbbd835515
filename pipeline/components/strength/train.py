"""Training and cross-validating the strength classifiers on labelled sentences (CSV files with
``sentence`` and ``strength`` columns). One reproducible command each:

    python -m healthclaims.components.strength.train ../shared/strength -o models/strength_classifier
    python -m healthclaims.components.strength.train ../shared/strength --encoder -e models/strength_encoder

prints the rules alone, then 5-fold cross-validated figures per file for the bag-of-words classifier
(and, with ``--encoder``, for the fine-tuned sentence encoder: ``healthclaims[encoder]``), then trains
on every sentence and saves the weights.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from healthclaims.components.strength.classifier import StrengthClassifier
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
                   seed: int = 0) -> dict[str, Scores]:
    """The bag-of-words classifier, cross-validated per corpus (``folds_of``)."""
    def fit_predict(fold: int, train: list[tuple[str, int]], name: str, test: list[int]) -> list[str]:
        model = StrengthClassifier.untrained()
        model.train([(features[c][i], corpora[c][i][1]) for c, i in train], seed=seed + fold)
        return model.predict([features[name][i] for i in test])

    return _cross_validate(corpora, fit_predict, folds, seed)


def cross_validate_encoder(corpora: dict[str, list[tuple[str, str]]], encoder: Any, states: dict[str, list[Any]],
                           feats: dict[str, list[set[str]]], folds: int = 5, seed: int = 0,
                           epochs: int = 4, lr: float = 2e-4) -> dict[str, Scores]:
    """The fine-tuned encoder, cross-validated per corpus (``folds_of``) on precomputed lower states;
    ``lr`` is the fine-tuned layers' learning rate."""
    def fit_predict(fold: int, train: list[tuple[str, int]], name: str, test: list[int]) -> list[str]:
        encoder.fit([states[c][i] for c, i in train], [feats[c][i] for c, i in train],
                    [corpora[c][i][1] for c, i in train], epochs=epochs, lr=lr, seed=seed + fold)
        return encoder.predict_states([states[name][i] for i in test], [feats[name][i] for i in test])

    return _cross_validate(corpora, fit_predict, folds, seed)


def _cross_validate(corpora, fit_predict, folds: int, seed: int) -> dict[str, Scores]:
    gold: dict[str, list[str]] = {name: [] for name in corpora}
    pred: dict[str, list[str]] = {name: [] for name in corpora}
    for name, fold, test, train in folds_of(corpora, folds, seed):
        pred[name] += fit_predict(fold, train, name, test)
        gold[name] += [corpora[name][i][1] for i in test]
    return {name: score(gold[name], pred[name]) for name in corpora}


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
@click.option("--layers", type=click.IntRange(1, 5), default=2, show_default=True,
              help="Encoder: how many of MiniLM's six layers are fine-tuned (each adds about 3.5 MB of weights).")
@click.option("--lr", type=click.FloatRange(min=0.0, min_open=True), default=2e-4, show_default=True,
              help="Encoder: learning rate of the fine-tuned layers (the head's stays 1e-3).")
@click.option("--threads", type=click.IntRange(1, 64), default=2, show_default=True, help="Torch CPU threads.")
@click.option("--model", default=None, help="Trained spaCy pipeline for the parse.")
def main(data_dir: Path, output: Path | None, with_encoder: bool, encoder_output: Path | None, cv: bool, folds: int,
         epochs: int, layers: int, lr: float, threads: int, model: str | None) -> None:
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
    if cv:
        for name, s in cross_validate(corpora, features, folds).items():
            click.echo(format_scores(f"{name}: rules + bag-of-words ({folds}-fold)", s))
            click.echo(format_confusions(s))
    if output:
        final = StrengthClassifier.untrained()
        final.train([(features[n][i], r[1]) for n, rows in corpora.items() for i, r in enumerate(rows)])
        final.to_disk(output)
        click.echo(f"classifier trained on {sum(len(r) for r in corpora.values())} sentences, saved to {output}")
    if with_encoder or encoder_output:
        _encoder(corpora, rules, spans, encoder_output, cv and with_encoder, folds, epochs, threads, layers, lr)


def _encoder(corpora: dict[str, list[tuple[str, str]]], rules: StrengthRules, spans: dict[str, list[Span]],
             output: Path | None, cv: bool, folds: int, epochs: int, threads: int, layers: int = 2,
             lr: float = 2e-4) -> None:
    from healthclaims.components.strength.encoder import EncoderClassifier, rule_feature_names, rule_features
    from healthclaims.extras import encoder_installed

    if not encoder_installed():
        raise click.ClickException('the sentence encoder needs the extra: pip install "healthclaims[encoder]"')
    import torch

    torch.set_num_threads(threads)
    encoder = EncoderClassifier(rule_feature_names(rules), layers=layers)
    # The frozen lower layers give the same output in every fold: computed once per sentence.
    states = {n: encoder.lower_states([s for s, _ in rows]) for n, rows in corpora.items()}
    feats = {n: [rule_features(rules, span) for span in spans[n]] for n in corpora}
    if cv:
        for name, s in cross_validate_encoder(corpora, encoder, states, feats, folds, epochs=epochs, lr=lr).items():
            click.echo(format_scores(f"{name}: rules + encoder ({folds}-fold)", s))
            click.echo(format_confusions(s))
    if output:
        items = [(n, i) for n, rows in corpora.items() for i in range(len(rows))]
        encoder.fit([states[n][i] for n, i in items], [feats[n][i] for n, i in items],
                    [corpora[n][i][1] for n, i in items], epochs=epochs, lr=lr, seed=0)
        encoder.to_disk(output)
        click.echo(f"encoder trained on {len(items)} sentences, saved to {output}")


if __name__ == "__main__":
    main()
