"""``run --parse fast``: the attribute ruler and lemmatizer worked out once per distinct token give the
trained components' annotations exactly, and the fast pipeline's records are valid and say so."""

from __future__ import annotations

import json

import jsonschema
import pytest
import spacy
from healthclaims.batch.runner import extract_one
from healthclaims.fastattrs import FastAttributeRuler, FastLemmatizer, Unsupported, make_fast_attributes
from healthclaims.io.textio import article_from_text, sha256_of
from healthclaims.nlp import load_pipeline, model_info

# The strength backend of the conftest's pipeline (bag-of-words), so records compare equal with the
# encoder extra installed too.
SAME_STRENGTH = {"healthclaims_strength": {"use_encoder": False}}
from healthclaims.records.models import record_json_schema, span_violations
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.tokens import Doc

ATTRS = [POS, MORPH, LEMMA, TAG, DEP, HEAD]
TEXT = (
    "The trial enrolled older adults with chronic pain. Dr. Maren Oakfield said it wasn't large, and "
    "there are gon na be more trials.\n\n\u201cWe were surprised,\u201d she said. Let's see: I told you it "
    "helps, but did it? Patients who exercised had less pain than those who did not."
)


def _ruled(patterns: list[dict]):
    """A blank English pipeline with an attribute ruler holding ``patterns`` (no statistical model)."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)
    return nlp, ruler


def _doc(nlp, words, tags, deps) -> Doc:
    return Doc(nlp.vocab, words=words, tags=tags, deps=deps, heads=[0] * len(words))


PATTERNS = [
    {"patterns": [[{"LOWER": "test"}]], "attrs": {"POS": "X"}},  # an earlier rule: the tag rule overrides it
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": "VBD"}]], "attrs": {"POS": "VERB", "MORPH": "Tense=Past|VerbForm=Fin"}},
    {"patterns": [[{"LOWER": "said", "TAG": "VBD"}]], "attrs": {"LEMMA": "say", "POS": "AUX"}},  # later: wins
    {"patterns": [[{"LOWER": {"IN": ["it", "this"]}, "DEP": "nsubj"}]], "attrs": {"MORPH": "Case=Nom"}},
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": 1},
    {"patterns": [[{"LOWER": {"REGEX": "^n'?t$"}}]], "attrs": {"LEMMA": "not", "POS": "PART"}},
]


def test_fast_ruler_sets_what_the_attribute_ruler_sets_on_a_hand_built_doc():
    words = ["It", "said", "gon", "na", "it", "n't", "test", "Said", "na"]
    tags = ["PRP", "VBD", "VB", "TO", "PRP", "RB", "NN", "VBD", "NN"]
    deps = ["nsubj", "ROOT", "aux", "aux", "dobj", "neg", "dobj", "conj", "dobj"]
    nlp, ruler = _ruled(PATTERNS)
    expected = ruler(_doc(nlp, words, tags, deps)).to_array(ATTRS)
    got = FastAttributeRuler(ruler)(_doc(nlp, words, tags, deps))
    assert (got.to_array(ATTRS) == expected).all()
    # the behaviour itself: a later rule wins (the word rule over the tag rule, the tag rule over an
    # earlier word rule); DEP decides the case;
    # a two-token rule reaches its second token only
    assert [got[1].pos_, got[1].lemma_, got[7].lemma_, got[6].pos_] == ["AUX", "say", "say", "NOUN"]
    assert str(got[0].morph) == "Case=Nom" and str(got[4].morph) == ""
    assert got[3].lemma_ == "to" and got[8].lemma_ == "" and got[8].pos_ == "NOUN"
    assert got[5].pos_ == "PART" and got[5].lemma_ == "not"


def test_a_ruler_with_quantifiers_is_kept_as_trained():
    nlp, ruler = _ruled([{"patterns": [[{"TAG": "NN", "OP": "+"}]], "attrs": {"POS": "NOUN"}}])
    with pytest.raises(Unsupported):
        FastAttributeRuler(ruler)
    assert make_fast_attributes(nlp).pipe_names == ["attribute_ruler"]


@pytest.fixture(scope="module")
def fast_nlp():
    return load_pipeline(parse="fast", config=SAME_STRENGTH)


def test_fast_pipeline_annotates_exactly_as_the_trained_one(nlp, fast_nlp, sample_text):
    assert "fast_attribute_ruler" in fast_nlp.pipe_names and "fast_lemmatizer" in fast_nlp.pipe_names
    assert "ner" in fast_nlp.pipe_names  # the whole-Doc NER: selective NER saves no CPU
    for text in (TEXT, sample_text):
        full, fast = nlp(text), fast_nlp(text)
        assert (full.to_array(ATTRS) == fast.to_array(ATTRS)).all()
        assert [t.lemma_ for t in full] == [t.lemma_ for t in fast]
        assert [(e.start, e.end, e.label_) for e in full.ents] == [(e.start, e.end, e.label_) for e in fast.ents]
        assert full.has_annotation("DEP") and fast.has_annotation("DEP")


def test_fast_lemmatizer_keeps_lemmas_already_set():
    nlp = spacy.blank("en")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "rule"})
    lemmatizer.lookups.set_table("lemma_rules", {"noun": [["s", ""]]})
    for table in ("lemma_index", "lemma_exc"):
        lemmatizer.lookups.set_table(table, {"noun": {}} if table == "lemma_exc" else {"noun": []})
    doc = Doc(nlp.vocab, words=["cats", "dogs"], pos=["NOUN", "NOUN"], lemmas=["", "hound"])
    FastLemmatizer(lemmatizer)(doc)
    assert [t.lemma_ for t in doc] == ["cat", "hound"]


def test_fast_records_are_valid_and_say_fast(nlp, fast_nlp, sample_text):
    assert model_info(fast_nlp)["parse"] == "fast"
    article = article_from_text(sample_text, "sample.txt", sha256_of(sample_text.encode("utf-8")))
    fast = extract_one(article, "sample", nlp=fast_nlp)
    full = extract_one(article, "sample", nlp=nlp)
    assert fast.model.parse == "fast" and full.model.parse == "full"
    assert span_violations(fast) == []
    jsonschema.validate(json.loads(fast.model_dump_json()), record_json_schema())
    assert fast.claims and fast.quotes and fast.citations
    assert fast.model_dump(exclude={"model"}) == full.model_dump(exclude={"model"})


def test_fast_lemmas_outlive_a_memory_zone(nlp, fast_nlp):
    text = "The zorblaxes were quibbling about the frumptions."  # words the vocabulary does not know
    with fast_nlp.memory_zone():
        first = [t.lemma_ for t in fast_nlp(text)]
    with fast_nlp.memory_zone():
        again = [t.lemma_ for t in fast_nlp(text)]
    assert again == first == [t.lemma_ for t in nlp(text)]
    assert first[1] == "zorblaxe" and first[3] == "quibble"
