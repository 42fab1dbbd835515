"""Tests for the claims component as a spaCy component: spans, declared attributes, missing
annotations, and rule data that travels with the pipeline."""

from __future__ import annotations

import pytest
from healthclaims.components.base import MissingAnnotation
from healthclaims.components.claims.component import ClaimExtractor
from healthclaims.components.claims.rules import ClaimRule
from healthclaims.resources import ResourceError
from spacy.tokens import DocBin

TEXT = (
    "Yoga eases back pain\n\n"
    "Daily walking reduced blood pressure in older adults with hypertension. "
    "The vaccine caused serious side effects in a small number of children.\n\n"
    "Ask your doctor whether the treatment is safe for you."
)


def test_claims_are_spans_labelled_with_their_type(nlp):
    doc = nlp(TEXT)
    spans = doc.spans["claims"]
    assert [(s.text, s.label_) for s in spans] == [(c.text, c.type) for c in doc._.hc_claims]
    assert ("The vaccine caused serious side effects in a small number of children.", "safety") in [
        (s.text, s.label_) for s in spans
    ]
    # The spans survive a DocBin round trip, which the in-Doc results do not need to.
    restored = next(iter(DocBin(docs=[doc]).get_docs(nlp.vocab)))
    assert [(s.text, s.label_) for s in restored.spans["claims"]] == [(s.text, s.label_) for s in spans]


def test_factory_declares_what_it_assigns_and_requires(nlp):
    meta = nlp.get_pipe_meta("healthclaims_claims")
    assert {"doc._.hc_claims", "doc.spans"} <= set(meta.assigns)
    assert {"doc._.hc_citations", "doc._.hc_quotes", "token.dep"} <= set(meta.requires)


def test_missing_parse_is_a_clear_error(nlp):
    doc = nlp.make_doc("Daily walking reduced blood pressure in older adults.")
    with pytest.raises(MissingAnnotation, match="healthclaims_claims needs"):
        nlp.get_pipe("healthclaims_claims")(doc)


def test_rule_data_travels_with_the_component(nlp, tmp_path, monkeypatch):
    saved = tmp_path / "saved"
    nlp.get_pipe("healthclaims_claims").to_disk(saved)
    # A component built from other rule files, then loaded from the saved copy, finds the same claims.
    other = tmp_path / "other"
    other.mkdir()
    (other / "claim_rules.jsonl").write_text('{"id": "x", "label": "safety", "pattern": "weather"}\n', encoding="utf-8")
    (other / "hedge_cues.jsonl").write_text('{"id": "h", "pattern": "may"}\n', encoding="utf-8")
    (other / "negation_cues.jsonl").write_text('{"id": "n", "pattern": "not"}\n', encoding="utf-8")
    monkeypatch.setenv("HEALTHCLAIMS_MODELS", str(other))
    fresh = ClaimExtractor(nlp)
    doc = nlp(TEXT)
    expected = [(c.start, c.end, c.type) for c in doc._.hc_claims]
    assert [(c.start, c.end) for c in fresh(doc)._.hc_claims] == []
    fresh.from_disk(saved)
    assert [(c.start, c.end, c.type) for c in fresh(doc)._.hc_claims] == expected
    again = ClaimExtractor(nlp).from_bytes(nlp.get_pipe("healthclaims_claims").to_bytes())
    assert [(c.start, c.end, c.type) for c in again(doc)._.hc_claims] == expected


def test_rule_id_with_two_sets_of_fields_is_rejected(nlp, tmp_path, monkeypatch):
    (tmp_path / "rules.jsonl").write_text(
        '{"id": "a", "label": "study_ref", "pattern": "the study"}\n'
        '{"id": "a", "label": "study_ref", "pattern": "a new study", "refers": "introduces"}\n',
        encoding="utf-8",
    )
    (tmp_path / "hedges.jsonl").write_text('{"id": "h", "pattern": "may"}\n', encoding="utf-8")
    (tmp_path / "negations.jsonl").write_text('{"id": "n", "pattern": "not"}\n', encoding="utf-8")
    monkeypatch.setenv("HEALTHCLAIMS_MODELS", str(tmp_path))
    with pytest.raises(ResourceError, match="two sets of fields"):
        ClaimExtractor(nlp, rules_file="rules.jsonl", hedges_file="hedges.jsonl", negations_file="negations.jsonl")


def test_rule_fields_are_validated():
    with pytest.raises(ValueError):
        ClaimRule(id="a", label="study_ref", pattern="the study", refers="sideways")


@pytest.mark.parametrize("text", [
    "Women may also experience severe anxiety or feel disconnected from the baby.",
    "Fever is another area where acetaminophen can help, said Moore.",
])
def test_the_default_threshold_keeps_a_modest_claim_a_stricter_one_drops(nlp, text):
    # 0.85 was chosen on dev and training gold, where recall was the weaker side; the setting still rules
    assert [c.text for c in nlp(text)._.hc_claims] == [text]
    strict = ClaimExtractor(nlp, "strict", threshold=1.0)
    assert strict(nlp(text))._.hc_claims == []
