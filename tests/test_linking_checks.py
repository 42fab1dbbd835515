"""Every claim check: (claim, paper, expected code), and the summary counts a reviewer reads first."""

from __future__ import annotations

import pytest
from healthclaims.linking.checks import CHECKS, run_checks
from healthclaims.records import models as R
from healthclaims.records.summary import build_summary


def _record(claim: str, paper: dict, *, study_type=None, venue=None, year=None, hedged=False,
            strength="none") -> R.Record:
    citation_text = "a study published in a journal"
    text = f"{claim} The finding comes from {citation_text}."
    start = text.index(citation_text)
    citation = R.Citation(id="cit-1", start=start, end=start + len(citation_text), text=citation_text, kind="prose",
                          study_type=study_type, venue=venue, year=year,
                          resolved=R.Resolution(status="resolved", score=0.9, **paper))
    claims = [R.Claim(id="claim-1", start=0, end=len(claim), text=claim, type="efficacy", hedged=hedged, cited=True,
                      citation_ids=["cit-1"], strength=strength),
              R.Claim(id="claim-2", start=len(claim) + 1, end=len(text), text=text[len(claim) + 1:], type="evidence")]
    return R.Record(pipeline_version="t", model=R.ModelInfo(name="m", version="1"),
                    article=R.Article(id="a", source="a", sha256="0", encoding="utf-8", text=text, word_count=1),
                    claims=claims, citations=[citation])


RCT = {"title": "Exercise and depression: a trial", "publication_types": ["Randomized Controlled Trial"],
       "abstract": "Adults with depression were assigned to exercise.", "mesh": ["Humans", "Exercise", "Depression"]}
COHORT = {"title": "Coffee drinking and liver cancer risk in a cohort", "publication_types": ["Journal Article"],
          "mesh": ["Humans", "Coffee", "Liver Neoplasms", "Cohort Studies"], "abstract": "Coffee intake and liver cancer."}
MICE = {"title": "Green tea extract and memory", "mesh": ["Animals", "Mice", "Tea", "Memory"],
        "abstract": "Mice given green tea extract learned a maze faster."}

WALK = {"title": "Walking and depression in older adults", "publication_types": ["Randomized Controlled Trial"],
        "mesh": ["Humans", "Walking", "Depression"],
        "abstract": "METHODS: Adults walked daily. CONCLUSIONS: Walking was associated with fewer depression symptoms."}

CASES = [
    # (claim, paper, article fields, expected codes)
    ("Exercise eases depression.", RCT, {"study_type": "meta-analysis"}, ["study_design"]),
    ("Exercise eases depression.", RCT, {"study_type": "randomized controlled trial"}, []),
    ("Exercise eases depression.", COHORT | {"title": "Exercise and depression"}, {"study_type": "systematic review"},
     ["study_design"]),
    ("Green tea improves memory in people.", MICE, {}, ["animal_or_cell"]),
    ("Green tea improves memory in mice.", MICE, {}, []),
    ("Coffee cuts the risk of liver cancer.", COHORT, {}, ["causal_on_observational"]),
    ("Coffee may cut the risk of liver cancer.", COHORT, {"hedged": True}, []),
    ("Coffee drinkers had lower rates of liver cancer.", COHORT, {}, []),
    ("Coffee cuts the risk of liver cancer.", RCT | {"title": "Coffee and liver cancer: a trial",
                                                       "abstract": "coffee liver cancer"}, {}, []),
    ("Acupuncture relieves migraine headaches.", RCT, {}, ["topic_absent"]),
    ("Exercise relieves depression.", RCT, {}, []),
    ("Exercise eases depression.", RCT | {"year": 2009}, {"year": 2015}, ["year_mismatch"]),
    ("Exercise eases depression.", RCT | {"year": 2014}, {"year": 2015}, []),
    ("Exercise eases depression.", RCT | {"journal": "Lancet"}, {"venue": "The BMJ"}, ["journal_mismatch"]),
    ("Exercise eases depression.", RCT | {"journal": "BMJ"}, {"venue": "the British Medical Journal"}, []),
    ("Exercise eases depression.", RCT | {"retracted": True}, {}, ["retracted"]),
    ("Exercise eases depression.", RCT | {"corrected": True}, {}, ["corrected"]),
    # claim strength against the abstract's conclusion
    ("Walking eases depression.", WALK, {"strength": "causal"}, ["overstated_strength"]),
    ("Walking may ease depression.", WALK, {"strength": "conditional_causal", "hedged": True}, ["overstated_strength"]),
    ("Walkers were less often depressed.", WALK, {"strength": "correlational"}, []),
    ("Walking eases depression.", WALK | {"abstract": "CONCLUSIONS: Walking reduced depression scores."},
     {"strength": "causal"}, []),
    ("Walking eases depression.", WALK | {"abstract": None}, {"strength": "causal"}, []),
]


@pytest.mark.parametrize(("claim", "paper", "fields", "expected"), CASES)
def test_check_codes(claim, paper, fields, expected):
    fields = dict(fields)
    hedged = fields.pop("hedged", False)
    record = _record(claim, dict(paper), hedged=hedged, **fields)
    run_checks(record)
    assert [c.code for c in record.claims[0].checks] == expected
    assert record.claims[1].checks == []  # a claim that relies on no citation is never checked
    for check in record.claims[0].checks:
        assert check.citation_id == "cit-1" and check.message and "\n" not in check.message
        for ev in check.evidence:
            if ev.kind == "article":
                assert record.article.text[ev.start:ev.end] == ev.text


def test_every_registered_code_has_a_case():
    tested = {code for *_, codes in CASES for code in codes}
    assert {code for code, _ in CHECKS} <= tested


def test_causal_wording_evidence_points_at_the_words():
    record = _record("Coffee cuts the risk of liver cancer.", dict(COHORT))
    run_checks(record)
    [check] = record.claims[0].checks
    assert [e.text for e in check.evidence if e.field == "causal_wording"] == ["cuts the risk"]
    assert any(e.kind == "paper" and "Cohort Studies" in e.text for e in check.evidence)


def test_an_unresolved_citation_gets_no_checks_and_the_summary_counts_it():
    record = _record("Coffee cuts the risk of liver cancer.", dict(COHORT))
    record.citations[0].resolved = R.Resolution(status="ambiguous", score=0.4)
    run_checks(record)
    assert record.claims[0].checks == []
    summary = build_summary(record)
    assert (summary.claims, summary.claims_with_resolved_evidence, summary.claims_with_unresolved_citation,
            summary.claims_uncited) == (2, 0, 1, 1)


def test_summary_counts_each_check_code():
    record = _record("Coffee cuts the risk of liver cancer.", dict(COHORT) | {"retracted": True})
    run_checks(record)
    summary = build_summary(record)
    assert summary.check_counts == {"causal_on_observational": 1, "retracted": 1}
    assert summary.claims_with_resolved_evidence == 1


def test_summary_sets_headline_body_and_paper_strength():
    headline = "Walking Cures Depression"
    record = _record("Walking eases depression.", dict(WALK), strength="causal")
    text = f"{headline}\n\n{record.article.text}"
    shift = len(headline) + 2
    record.article = record.article.model_copy(update={"text": text, "title": headline})
    for item in [*record.claims, *record.citations]:
        item.start, item.end = item.start + shift, item.end + shift
    record.claims[1].strength = "correlational"
    record.claims.insert(0, R.Claim(id="claim-0", start=0, end=len(headline), text=headline, type="efficacy",
                                    strength="causal"))
    summary = build_summary(record)
    assert (summary.headline_strength, summary.body_strength, summary.paper_strength) == ("causal", "causal", "correlational")
    record.claims.pop(0)
    assert build_summary(record).headline_strength is None
