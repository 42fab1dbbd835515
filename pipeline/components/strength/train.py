"""Training and cross-validating the strength classifier on labelled sentences (CSV files with
``sentence`` and ``strength`` columns). One reproducible command:

    python -m healthclaims.components.strength.train ../shared/strength -o models/strength_classifier

prints 5-fold cross-validated figures per file, then trains on every sentence and saves the weights.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click
from healthclaims.components.strength.classifier import StrengthClassifier
from healthclaims.components.strength.rules import STRENGTHS, StrengthRules, feature_text
from spacy.language import Language


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


def featurise(nlp: Language, rules: StrengthRules, sentences: Sequence[str]) -> tuple[list[str], list[str]]:
    """Rule labels and classifier feature texts of each sentence."""
    docs = list(nlp.pipe(sentences, batch_size=64))
    return [rules.decide(d[:]).label for d in docs], [feature_text(rules, d[:]) for d in docs]


def cross_validate(corpora: dict[str, list[tuple[str, str]]], features: dict[str, list[str]], folds: int = 5,
                   seed: int = 0) -> dict[str, Scores]:
    """Per corpus: train on the other folds of it plus every other corpus, test on each fold."""
    results = {}
    for name, rows in corpora.items():
        order = list(range(len(rows)))
        random.Random(seed).shuffle(order)
        gold: list[str] = []
        pred: list[str] = []
        for fold in range(folds):
            test = order[fold::folds]
            held = set(test)
            train = [(features[name][i], rows[i][1]) for i in order if i not in held]
            for other, other_rows in corpora.items():
                if other != name:
                    train += [(features[other][i], r[1]) for i, r in enumerate(other_rows)]
            model = StrengthClassifier.untrained()
            model.train(train, seed=seed + fold)
            pred += model.predict([features[name][i] for i in test])
            gold += [rows[i][1] for i in test]
        results[name] = score(gold, pred)
    return results


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
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True)
@click.option("--model", default=None, help="Trained spaCy pipeline for the parse.")
def main(data_dir: Path, output: Path | None, folds: int, model: str | None) -> None:
    """Cross-validate the strength classifier on DATA_DIR/*.csv, then train it on all of them."""
    corpora = {p.stem: read_labelled(p) for p in sorted(data_dir.glob("*.csv"))}
    if not corpora:
        raise click.ClickException(f"{data_dir}: no *.csv files with sentence,strength columns")
    nlp, rules = load_rules_pipeline(model)
    features = {}
    for name, rows in corpora.items():
        rule_labels, features[name] = featurise(nlp, rules, [s for s, _ in rows])
        rules_scores = score([g for _s, g in rows], rule_labels)
        click.echo(format_scores(f"{name}: rules alone", rules_scores))
        click.echo(format_confusions(rules_scores))
    for name, s in cross_validate(corpora, features, folds).items():
        click.echo(format_scores(f"{name}: classifier ({folds}-fold)", s))
        click.echo(format_confusions(s))
    if output:
        final = StrengthClassifier.untrained()
        final.train([(features[n][i], r[1]) for n, rows in corpora.items() for i, r in enumerate(rows)])
        final.to_disk(output)
        click.echo(f"classifier trained on {sum(len(r) for r in corpora.values())} sentences, saved to {output}")


if __name__ == "__main__":
    main()
