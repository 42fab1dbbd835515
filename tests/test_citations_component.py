"""The citations component as a spaCy component: spans on the Doc, required annotations,
saving and loading its rules with the pipeline, and rule ids that are names only.
"""

from __future__ import annotations

import re

import pytest
import spacy
from healthclaims.components.base import MissingAnnotation
from healthclaims.resources import resource_path
from spacy.tokens import Doc

TEXT = (
    "Yoga Eases Neck Pain\n\n"
    "A small trial published Tuesday found that yoga eased neck pain in 40 adults (Okafor et al., 2014). "
    "The findings appear in the journal Pain Medicine, said lead author Dr. Maria Garcia-Lopez.\n"
)


def test_citations_are_spans_labelled_with_their_kind(nlp):
    doc = nlp(TEXT)
    hits = doc._.hc_citations
    spans = list(doc.spans["citations"])
    assert [(s.start_char, s.end_char, s.label_) for s in spans] == [(h.start, h.end, h.kind) for h in hits]
    assert {s.label_ for s in spans} == {"author_year", "prose"}


def test_hyphenated_first_author_is_whole(nlp):
    doc = nlp(TEXT)
    prose = [h for h in doc._.hc_citations if h.kind == "prose"]
    assert [(h.venue, h.first_author) for h in prose] == [("Pain Medicine", "Garcia-Lopez")]


def test_a_doc_without_a_parse_is_refused(nlp):
    component = nlp.get_pipe("healthclaims_citations")
    doc = Doc(nlp.vocab, words=["A", "study", "in", "Cell", "."])
    with pytest.raises(MissingAnnotation, match="healthclaims_citations needs"):
        component(doc)


def test_factory_declares_what_it_assigns(nlp):
    meta = nlp.get_pipe_meta("healthclaims_citations")
    assert "doc._.hc_citations" in meta.assigns and "doc.spans" in meta.assigns
    assert "token.dep" in meta.requires


def test_rules_travel_with_the_saved_pipeline(nlp, tmp_path):
    component = nlp.get_pipe("healthclaims_citations")
    before = [(h.text, h.venue, h.first_author) for h in nlp(TEXT)._.hc_citations]
    nlp.to_disk(tmp_path / "pipeline")
    saved = (tmp_path / "pipeline" / "healthclaims_citations" / "citation_patterns.jsonl").read_text(encoding="utf-8")
    assert saved == resource_path("citation_patterns.jsonl").read_text(encoding="utf-8")
    loaded = spacy.load(tmp_path / "pipeline")
    assert [(h.text, h.venue, h.first_author) for h in loaded(TEXT)._.hc_citations] == before
    clone = type(component).__new__(type(component))
    clone.nlp = nlp
    clone.organisation_sources = True
    clone.from_bytes(component.to_bytes())
    assert clone.rule_texts == component.rule_texts


def test_renaming_every_rule_changes_only_the_rule_names(nlp, tmp_path, monkeypatch):
    """Behaviour hangs on labels and fields, never on a rule's id."""
    models = tmp_path / "models"
    models.mkdir()
    for path in resource_path("citation_patterns.jsonl").parent.iterdir():
        if path.is_file():
            (models / path.name).write_bytes(path.read_bytes())
    text = resource_path("citation_patterns.jsonl").read_text(encoding="utf-8")
    (models / "citation_patterns.jsonl").write_text(
        re.sub(r'^\{"id": "([^"]+)"', r'{"id": "renamed_\1"', text, flags=re.MULTILINE), encoding="utf-8"
    )
    sample = TEXT + (
        "\nThe data were presented at the annual meeting of the American Academy of Neurology. "
        "About 1 in 8 women get it, the American Cancer Society estimates. Lead author Tom Berg agreed.\n"
    )
    original = nlp(sample)._.hc_citations
    from healthclaims.nlp import load_pipeline

    monkeypatch.setenv("HEALTHCLAIMS_MODELS", str(models))
    renamed = load_pipeline()(sample)._.hc_citations
    assert all(h.rule.startswith("renamed_") for h in renamed)
    strip = [(h.text, h.kind, h.venue, h.year, h.first_author, h.study_type) for h in renamed]
    assert strip == [(h.text, h.kind, h.venue, h.year, h.first_author, h.study_type) for h in original]
    assert len(original) >= 4


def test_a_study_published_the_same_day_is_the_main_study(nlp):
    text = (
        "A small trial published Tuesday found that stretching eased back pain in 40 adults. "
        "The findings appear in the journal Pain Medicine."
    )
    hits = nlp(text)._.hc_citations
    assert [(h.text, h.venue) for h in hits] == [("appear in the journal Pain Medicine", "Pain Medicine")]
    assert "A small trial published Tuesday" in [m.text for m in hits[0].mentions]
