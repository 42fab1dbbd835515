"""The sample article's record: what a careful reviewer extracts, and the committed golden record.

A change to ``tests/golden/*.record.json`` is a reviewed change: regenerate it with
``healthclaims extract corpus/massage-chronic-back-pain.txt`` and read the diff. The record is the
bag-of-words strength backend's (the ``nlp`` fixture pins it): regenerate it where the
``healthclaims[encoder]`` extra is not installed, or its strengths will be the encoder's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from healthclaims.batch.runner import extract_one
from healthclaims.io.textio import read_article
from healthclaims.records.models import Record, span_violations

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "massage-chronic-back-pain.record.json"


@pytest.fixture(scope="module")
def record(nlp) -> Record:
    article = read_article(ROOT / "corpus" / "massage-chronic-back-pain.txt", source="corpus/massage-chronic-back-pain.txt")
    return extract_one(article, "massage-chronic-back-pain", nlp=nlp)


@pytest.fixture(scope="module")
def golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_spans_exact(record):
    assert span_violations(record) == []


@pytest.mark.parametrize("section", ["article", "citations", "quotes", "speakers", "techniques", "claims", "model"])
def test_matches_golden_record_field_by_field(record, golden, section):
    produced = json.loads(record.model_dump_json())[section]
    expected = golden[section]
    if isinstance(expected, list):
        assert len(produced) == len(expected)
        for got, want in zip(produced, expected):
            for field in want:
                assert got[field] == want[field], f"{section} {want.get('id')} field {field}"
    else:
        for field in expected:
            assert produced[field] == expected[field], f"{section}.{field}"


def test_citations(record):
    kumar, cherkin = record.citations
    assert (kumar.text, kumar.start, kumar.end, kumar.kind) == ("Kumar et al., 2013", 473, 491, "author_year")
    assert (kumar.first_author, kumar.et_al, kumar.year) == ("Kumar", True, 2013)
    assert (kumar.venue, kumar.study_type) == ("International Journal of General Medicine", "systematic review")
    assert "Kumar[au]" in kumar.query and "2013[dp]" in kumar.query and "International Journal of General Medicine" in kumar.query
    assert (cherkin.text, cherkin.first_author, cherkin.et_al, cherkin.year) == ("Cherkin et al., 2009", "Cherkin", True, 2009)
    assert "Cherkin[au]" in cherkin.query


def test_quotes_and_speaker(record):
    [speaker] = record.speakers
    assert (speaker.name, speaker.role, speaker.experience) == ("Victoria VanDam", "massage therapist", "two decades")
    direct = [(q.start, q.end, q.cue) for q in record.quotes if q.kind == "direct"]
    indirect = [(q.start, q.end, q.cue) for q in record.quotes if q.kind == "indirect"]
    assert direct == [(2070, 2137, "explains"), (2364, 2414, "explains"), (2539, 2615, "explained")]
    assert indirect == [(1952, 2067, "emphasizes"), (2430, 2537, "finds")]
    assert all(q.speaker_id == speaker.id for q in record.quotes)
    assert not {"relaxation", "structural", "let go"} & {q.text for q in record.quotes}


def test_techniques(record):
    assert {t.canonical for t in record.techniques} == {
        "massage therapy", "swedish massage", "lymphatic drainage massage", "trigger point therapy",
        "muscle energy technique", "positional release", "strain-counterstrain", "cross-friction massage",
        "proprioceptive neuromuscular facilitation", "chiropractic adjustment", "physical therapy",
        "cupping therapy", "myofascial release",
    }
    by_name = {t.canonical: t for t in record.techniques}
    assert [m.text for m in by_name["swedish massage"].mentions] == ["Swedish “relaxation” massage"]
    assert [m.text for m in by_name["myofascial release"].mentions] == ["release the fascia", "releasing the fascia"]
    assert by_name["cupping therapy"].mesh_id == "D000079742" and by_name["massage therapy"].mesh_id == "D008405"


# (start, end, cited, hedged, negated) of the gold claims.
GOLD_CLAIMS = [
    (52, 159, False, False, False), (160, 312, False, False, False), (313, 389, False, True, False),
    (390, 602, True, False, False), (604, 737, True, False, False), (738, 1110, True, False, False),
    (1112, 1319, False, False, False), (1790, 1950, False, False, False), (1952, 2067, False, False, False),
    (2153, 2274, False, True, False), (2275, 2361, False, False, True), (2539, 2615, False, False, False),
    (2632, 2768, False, False, False), (2770, 2859, False, True, False), (2860, 2967, False, True, False),
]


def test_claims(record):
    assert [(c.start, c.end, c.cited, c.hedged, c.negated) for c in record.claims] == GOLD_CLAIMS
    kumar, cherkin = (c.id for c in record.citations)
    assert [c.citation_ids for c in record.claims if c.cited] == [[kumar], [kumar], [cherkin]]
    quoted = next(c for c in record.claims if c.start == 2539)
    assert quoted.speaker_id == "spk-1" and quoted.quote_id is not None
    texts = " ".join(c.text for c in record.claims)
    assert "Should You Consider" not in texts and "ask the therapist" not in texts and "Leave a Reply" not in texts
    assert [b.text for b in record.article.boilerplate] == ["Leave a Reply\n\nYour email address will not be published."]
