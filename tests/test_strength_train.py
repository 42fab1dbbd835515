"""Training and measuring the strength classifier: the scores the benchmark prints, the labelled-file
reader's errors, and that training is reproducible for a seed."""

from __future__ import annotations

import pytest
from healthclaims.components.strength.classifier import StrengthClassifier
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
