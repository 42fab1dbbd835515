"""The lexicon phrases become PhraseMatcher patterns that tokenize exactly as ``nlp.tokenizer`` does."""

from __future__ import annotations

import pytest
import spacy
from healthclaims.components.techniques.lexicon import LEXICON, MESH_LEXICON, load_lexicon
from healthclaims.components.techniques.phrases import PhraseTokens


def _as_tokenizer(nlp, phrase):
    doc = nlp.tokenizer(phrase)
    return [t.text for t in doc], [t.lower for t in doc], [t.orth for t in doc]


def _as_patterns(tokens, phrase):
    return tokens.words(phrase), tokens.keys(phrase), tokens.keys(phrase, "ORTH")


def test_every_shipped_phrase_tokenizes_as_the_tokenizer_does(nlp):
    # A pattern that splits a phrase differently from the tokenizer never matches an article.
    lexicon = load_lexicon(LEXICON, MESH_LEXICON)
    forms = [p for phrases in lexicon.phrases for p in phrases]
    forms += [f for t in lexicon.techniques for f in (*t.abbreviations, *t.defined_abbreviations)]
    forms += sorted(lexicon.context["not_within"])
    tokens = PhraseTokens(nlp)
    differ = [f for f in forms if _as_patterns(tokens, f) != _as_tokenizer(nlp, f)]
    assert len(forms) > 10_000
    assert differ == []


@pytest.mark.parametrize(
    "phrase",
    [
        "cognitive-behavioral therapy",
        "risk-reducing salpingo-oophorectomy",
        "don't",
        "e.g. massage",
        "(CBT) therapy",
        "high-intensity interval training (HIIT)",
        "10km run",
        "Tai Chi",
        "cell  and tissue therapy",
        " leading space",
        "trailing space ",
        "tab\tseparated",
        "www.example.com therapy",
        "U.S. diet",
        "mother's milk",
        "-leading hyphen",
        "",
    ],
)
def test_tricky_phrases_tokenize_as_the_tokenizer_does(phrase):
    nlp = spacy.blank("en")
    assert _as_patterns(PhraseTokens(nlp), phrase) == _as_tokenizer(nlp, phrase)


def test_special_case_across_a_space_is_respected():
    # A special case whose text holds a space joins tokens of two chunks; the chunks alone would not.
    nlp = spacy.blank("en")
    nlp.tokenizer.add_special_case("tai chi", [{"ORTH": "tai chi"}])
    nlp.tokenizer.add_special_case("yoga-nidra", [{"ORTH": "yoga"}, {"ORTH": "-nidra"}])
    tokens = PhraseTokens(nlp)
    assert tokens.words("tai chi qigong") == ["tai chi", "qigong"]
    assert tokens.words("yoga-nidra practice") == ["yoga", "-nidra", "practice"]
    for phrase in ("tai chi qigong", "yoga-nidra practice", "restorative yoga-nidra"):
        assert _as_patterns(tokens, phrase) == _as_tokenizer(nlp, phrase)


def test_unsupported_attribute_is_refused():
    with pytest.raises(ValueError, match="NORM"):
        PhraseTokens(spacy.blank("en")).keys("massage", "NORM")
