"""Selective NER (``run --parse selective``): which sentences get NER, and that its entities there are exact."""

from __future__ import annotations

import pytest
import spacy
from healthclaims.batch.fingerprints import fingerprint_settings
from healthclaims.nlp import load_pipeline, model_info

# The strength backend of the conftest's pipeline (bag-of-words), so records compare equal with the
# encoder extra installed too.
SAME_STRENGTH = {"healthclaims_strength": {"use_encoder": False}}
from healthclaims.selective import candidate_runs, is_candidate
from spacy.tokens import Doc

NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}


def _doc(words: list[str], tags: list[str], starts: list[int]) -> Doc:
    doc = Doc(spacy.blank("en").vocab, words=words, tags=tags)  # English stop words
    for i, token in enumerate(doc):
        token.is_sent_start = i in starts
    return doc


def test_a_sentence_of_common_words_gets_no_ner():
    doc = _doc(["The", "study", "found", "no", "effect", "."], ["DT", "NN", "VBD", "DT", "NN", "."], [0])
    assert not is_candidate(next(doc.sents))
    assert candidate_runs(doc) == []


@pytest.mark.parametrize("words,tags", [
    (["Patients", "in", "Ohio", "improved", "."], ["NNS", "IN", "NNP", "VBD", "."]),  # a name inside
    (["Novartis", "makes", "it", "."], ["NN", "VBZ", "PRP", "."]),  # first word, mis-tagged, not a stop word
    (["\u201c", "Smith", "said", "so", "."], ["``", "NNP", "VBD", "RB", "."]),  # a name after an opening quote
    (["The", "U.S.", "agency", "agreed", "."], ["DT", "NNP", "NN", "VBD", "."]),  # an abbreviation with dots
])
def test_a_sentence_that_may_hold_a_name_gets_ner(words, tags):
    assert is_candidate(next(_doc(words, tags, [0]).sents))


def test_adjacent_candidate_sentences_form_one_run():
    words = ["Lee", "spoke", ".", "Kim", "agreed", ".", "it", "rained", ".", "Ada", "left", "."]
    tags = ["NNP", "VBD", ".", "NNP", "VBD", ".", "PRP", "VBD", ".", "NNP", "VBD", "."]
    assert candidate_runs(_doc(words, tags, [0, 3, 6, 9])) == [(0, 6), (9, 12)]


TEXT = (
    "The trial enrolled older adults with chronic pain. Dr. Maren Oakfield, a researcher at the "
    "Northvale Institute in Boston, said the effect was modest. it was not large, and the benefit faded "
    "after six months. \u201cWe were surprised,\u201d said Oakfield. the results appear in the Journal of "
    "Pain Studies. Patients who exercised twice a week reported less pain than those who did not."
)


@pytest.fixture(scope="module")
def selective_nlp():
    return load_pipeline(parse="selective", config=SAME_STRENGTH)


def test_selective_entities_equal_the_full_run_in_candidate_sentences(nlp, selective_nlp):
    full, fast = nlp(TEXT), selective_nlp(TEXT)
    assert [t.is_sent_start for t in full] == [t.is_sent_start for t in fast]  # the parser still sees it all
    runs = candidate_runs(fast)
    inside = [(e.start, e.end, e.label_) for e in full.ents if any(s <= e.start and e.end <= t for s, t in runs)]
    assert [(e.start, e.end, e.label_) for e in fast.ents] == inside
    names = {e.text for e in fast.ents if e.label_ in NAME_LABELS}
    capitalised = {e.text for e in full.ents if e.label_ in NAME_LABELS and any(t.text[:1].isupper() for t in e)}
    assert capitalised <= names
    assert "Maren Oakfield" in names


def test_selective_records_equal_full_records_on_the_sample(nlp, selective_nlp, sample_text):
    full, fast = nlp(sample_text), selective_nlp(sample_text)
    for attr in ("hc_citations", "hc_speakers", "hc_quotes", "hc_claims", "hc_techniques"):
        assert getattr(full._, attr) or attr == "hc_techniques"  # the comparison is not of empty lists
        assert repr(getattr(full._, attr)) == repr(getattr(fast._, attr)), attr


def test_the_record_and_the_fingerprint_say_which_mode_made_it(nlp, selective_nlp):
    assert model_info(nlp)["parse"] == "full"
    assert model_info(selective_nlp)["parse"] == "selective"
    full = fingerprint_settings("en_core_web_sm")
    assert "parse" not in full  # full-parse records made before the option stay up to date
    assert fingerprint_settings("en_core_web_sm", parse="selective") != full


def test_an_unknown_parse_mode_is_refused():
    with pytest.raises(ValueError, match="unknown parse mode 'turbo'"):
        load_pipeline(parse="turbo")
