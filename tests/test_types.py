"""The Doc results serialize: doc.to_bytes() and DocBin(store_user_data=True) give back equal objects."""

from __future__ import annotations

from functools import cache

import pytest
import spacy
import srsly
from healthclaims.types import (
    EXTENSIONS,
    CitationHit,
    ClaimHit,
    Mention,
    QuoteHit,
    SpeakerHit,
    TechniqueHit,
    decode_hit,
    encode_hit,
    ensure_extensions,
    results,
)
from spacy.language import Language
from spacy.tokens import Doc, DocBin

TEXT = "Massage helped, Dr. Lee said (Kumar et al., 2013)."


@cache
def _blank() -> Language:
    return spacy.blank("en")


def _filled_doc() -> Doc:
    ensure_extensions()
    doc = _blank()(TEXT)
    m = Mention.of(TEXT, 0, 7)
    doc._.hc_boilerplate = [Mention.of(TEXT, 30, 49)]
    doc._.hc_citations = [
        CitationHit(30, 48, TEXT[30:48], "author_year", first_author="Kumar", et_al=True, year=2013, mentions=[m])
    ]
    doc._.hc_speakers = [SpeakerHit("Dr. Lee", role="physician", mentions=[Mention.of(TEXT, 16, 23)])]
    doc._.hc_quotes = [QuoteHit(0, 14, TEXT[:14], "indirect", speaker=0, cue="said", cue_start=24, cue_end=28,
                                speaker_mention=Mention.of(TEXT, 16, 23))]
    doc._.hc_techniques = [TechniqueHit("massage therapy", "manual_therapy", mentions=[m], rule="massage")]
    doc._.hc_claims = [ClaimHit(0, 14, TEXT[:14], "efficacy", hedge_cues=[m], citations=[0], speaker=0, quote=0,
                                check_worthiness=0.5, triggers=["efficacy:verb:help"], strength="causal")]
    return doc


def test_doc_to_bytes_round_trip_keeps_every_result():
    doc = _filled_doc()
    back = Doc(doc.vocab).from_bytes(doc.to_bytes())
    for name in EXTENSIONS:
        assert getattr(back._, name) == getattr(doc._, name), name
    assert type(back._.hc_quotes[0].speaker_mention) is Mention


def test_docbin_round_trip_keeps_every_result_and_lists():
    doc = _filled_doc()
    data = DocBin(store_user_data=True, docs=[doc]).to_bytes()
    [back] = DocBin().from_bytes(data).get_docs(doc.vocab)
    for name in EXTENSIONS:
        assert results(back, name) == results(doc, name), name
    # DocBin decodes arrays as tuples: the results' list fields come back as lists.
    claim = back._.hc_claims[0]
    assert isinstance(claim.citations, list) and isinstance(claim.hedge_cues, list) and isinstance(claim.triggers, list)
    assert claim.cited  # a property computed from the restored list


def test_results_is_a_list_whatever_was_stored():
    doc = _filled_doc()
    doc._.hc_claims = tuple(doc._.hc_claims)
    assert isinstance(results(doc, "hc_claims"), list)
    doc._.hc_claims = None
    assert results(doc, "hc_claims") == []


def test_encoder_passes_other_values_down_the_chain():
    seen = []
    assert encode_hit(3j, chain=lambda obj: seen.append(obj) or "chained") == "chained"
    assert seen == [3j]
    assert decode_hit({"a": 1}) == {"a": 1}
    assert decode_hit({"a": 1}, chain=lambda obj: "chained") == "chained"


def test_unknown_result_type_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown healthclaims result type 'Nope'"):
        srsly.msgpack_loads(srsly.msgpack_dumps({"__healthclaims__": "Nope", "start": 1}))
