"""Training and measuring the strength classifier: the scores the benchmark prints, the labelled-file
reader's errors, and that training is reproducible for a seed."""

from __future__ import annotations

import pytest
from healthclaims.components.strength.classifier import StrengthClassifier
from healthclaims.components.strength.rules import STRENGTHS
from healthclaims.components.strength.train import format_confusions, read_labelled, score


def test_score_gives_accuracy_per_label_f1_and_every_confusion():
    gold = ["causal", "causal", "none", "correlational", "conditional_causal", "none"]
    pred = ["causal", "none", "none", "none", "conditional_causal", "correlational"]
    s = score(gold, pred)
    assert s.accuracy == pytest.approx(3 / 6)
    assert s.f1["causal"] == pytest.approx(2 / 3)  # tp 1, fn 1
    assert s.f1["none"] == pytest.approx(0.4)  # tp 1, fp 2, fn 1
    assert s.f1["correlational"] == 0.0 and s.f1["conditional_causal"] == 1.0
    assert s.macro_f1 == pytest.approx((2 / 3 + 0.4 + 0.0 + 1.0) / 4)
    line = format_confusions(s)
    for pair in ("causal->none 1", "correlational->none 1", "none->correlational 1"):
        assert pair in line


def test_read_labelled_names_the_file_and_the_bad_label(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("sentence,strength\nAspirin prevents strokes.,causal\n", encoding="utf-8")
    assert read_labelled(good) == [("Aspirin prevents strokes.", "causal")]
    bad = tmp_path / "bad.csv"
    bad.write_text("sentence,strength\nAspirin prevents strokes.,strong\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.csv.*strong"):
        read_labelled(bad)


TOY = [
    ("Aspirin prevents strokes.", "causal"), ("Walking reduces pain.", "causal"),
    ("Tea may reduce stroke risk.", "conditional_causal"), ("Sleep might improve memory.", "conditional_causal"),
    ("Coffee is linked to long life.", "correlational"), ("Obesity is associated with gout.", "correlational"),
    ("We recruited 300 adults.", "none"), ("The trial ran for two years.", "none"),
]


def test_training_is_reproducible_for_a_seed_and_fits_its_examples(tmp_path):
    first, second = StrengthClassifier.untrained(), StrengthClassifier.untrained()
    first.train(TOY, epochs=20, seed=3)
    second.train(TOY, epochs=20, seed=3)
    texts = [t for t, _ in TOY]
    assert first.predict(texts) == second.predict(texts) == [label for _, label in TOY]
    first.to_disk(tmp_path / "clf")
    assert StrengthClassifier.from_disk(tmp_path / "clf").predict(texts) == first.predict(texts)


def _tokens(classifier, text):
    return [t.text for t in classifier.nlp.tokenizer(text)]


def test_shipped_classifier_tokenizes_as_its_saved_tokenizer():
    # The default tokenizer stands in for the saved one only when the two are the same.
    import spacy
    from healthclaims.resources import resource_path

    path = resource_path("strength_classifier")
    loaded = StrengthClassifier.from_disk(path)
    reference = spacy.blank("en").tokenizer.from_disk(path / "tokenizer")
    text = "Dr. Smith's trial (n=300) didn't show e.g. U.S. adults' risk fell 10% - or 2x."
    assert _tokens(loaded, text) == [t.text for t in reference(text)]


def test_saved_tokenizer_that_differs_from_the_defaults_is_loaded(tmp_path):
    classifier = StrengthClassifier.untrained()
    classifier.train(TOY[:4], epochs=1, seed=0)
    classifier.nlp.tokenizer.add_special_case("walkingreduces", [{"ORTH": "walking"}, {"ORTH": "reduces"}])
    classifier.to_disk(tmp_path / "clf")
    loaded = StrengthClassifier.from_disk(tmp_path / "clf")
    assert _tokens(loaded, "walkingreduces pain") == ["walking", "reduces", "pain"]
    assert loaded.predict(["walkingreduces pain"]) == classifier.predict(["walkingreduces pain"])


class _RecordingEncoder:
    """Stands in for EncoderClassifier: records each fit and predicts the first label it was fitted on."""

    def __init__(self):
        self.fits = []

    def fit(self, states, feats, labels, epochs, lr, seed, balanced=False):
        self.fits.append({"n": len(states), "epochs": epochs, "lr": lr, "seed": seed, "first": labels[0],
                          "balanced": balanced})

    def proba_states(self, states, feats):
        first = STRENGTHS.index(self.fits[-1]["first"])
        return [[float(j == first) for j in range(len(STRENGTHS))] for _ in states]


def test_encoder_cross_validation_passes_epochs_learning_rate_and_a_seed_per_fold():
    from healthclaims.components.strength.train import cross_validate_encoder

    corpora = {"a": TOY, "b": TOY[:5]}
    states = {n: [object()] * len(rows) for n, rows in corpora.items()}
    feats = {n: [set()] * len(rows) for n, rows in corpora.items()}
    encoder = _RecordingEncoder()
    probs = cross_validate_encoder(corpora, encoder, states, feats, folds=2, seed=7, epochs=3, lr=3e-4)
    # One probability row per sentence, from the fold that held it out.
    assert {n: len(p) for n, p in probs.items()} == {"a": len(TOY), "b": 5}
    assert all(len(row) == len(STRENGTHS) for p in probs.values() for row in p)
    assert [(f["epochs"], f["lr"], f["seed"]) for f in encoder.fits] == [(3, 3e-4, 7), (3, 3e-4, 8)] * 2
    assert not any(f["balanced"] for f in encoder.fits)
    # Training is the other folds of the corpus plus all of the other corpus.
    assert [f["n"] for f in encoder.fits] == [4 + 5, 4 + 5, 2 + 8, 3 + 8]
    cross_validate_encoder(corpora, encoder, states, feats, folds=2, balanced=True)
    assert all(f["balanced"] for f in encoder.fits[4:])


def test_train_command_passes_layers_and_learning_rate_to_the_encoder(nlp, tmp_path, monkeypatch):
    from click.testing import CliRunner
    from healthclaims.components.strength import train
    from healthclaims.components.strength.component import StrengthComponent

    data = tmp_path / "data"
    data.mkdir()
    (data / "toy.csv").write_text("sentence,strength\n" + "\n".join(f"{s},{g}" for s, g in TOY) + "\n", encoding="utf-8")
    monkeypatch.setattr(train, "load_rules_pipeline",
                        lambda model=None: (nlp, StrengthComponent(nlp, use_classifier=False).strength_rules))
    calls = []
    monkeypatch.setattr(train, "_encoder", lambda *args: calls.append(args))
    runner = CliRunner()
    out = tmp_path / "enc"
    result = runner.invoke(train.main, [str(data), "--no-cv", "-e", str(out), "--layers", "3", "--lr", "5e-5"])
    assert result.exit_code == 0, result.output
    assert "toy: rules alone" in result.output
    options = calls[0][-2]
    assert (options.epochs, options.layers, options.lr, options.root_lemma, options.balanced) == (4, 3, 5e-5, False, False)
    result = runner.invoke(train.main, [str(data), "--no-cv", "-e", str(out), "--balanced"])
    assert result.exit_code == 0, result.output
    assert calls.pop()[-2].balanced is True
    result = runner.invoke(train.main, [str(data), "--no-cv", "-e", str(out)])
    assert calls[1][-2] == train.EncoderOptions()  # the shipped weights' settings: 2 layers, 2e-4, no ensemble
    assert (calls[1][-2].layers, calls[1][-2].lr, calls[1][-2].bow_weight) == (2, 2e-4, 0.0)
    result = runner.invoke(train.main, [str(data), "--no-cv", "-e", str(out), "--root-lemma", "--bow-weight", "0.4"])
    assert (calls[2][-2].root_lemma, calls[2][-2].bow_weight) == (True, 0.4)
    result = runner.invoke(train.main, [str(data), "--no-cv", "--layers", "7"])
    assert result.exit_code != 0 and "--layers" in result.output
