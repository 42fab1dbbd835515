"""A named body's guideline, statement or dated report is a cited work (guidelines.py); so is a named
person's "own study"; and a work dated only against the article ("last year", "published Monday")
takes its year from the dateline or the page's published date, never a guess without one."""

from __future__ import annotations

import pytest
from healthclaims.batch.runner import extract_one
from healthclaims.io.textio import Article
from citation_helpers import cites




BODIES = [
    # (text, span, venue, year, study type)
    ("He reviewed the 2004 Quillby Academy of Pediatrics guidelines for treating ear pain.",
     "the 2004 Quillby Academy of Pediatrics guidelines", "Quillby Academy of Pediatrics", 2004, "guideline"),
    ("She co-wrote physician guidelines issued this fall by the American Society of Quill Surgeons on swelling.",
     "physician guidelines issued this fall by the American Society of Quill Surgeons",
     "American Society of Quill Surgeons", None, "guideline"),
    ("In 2014, treatment guidelines from the American College of Quillology said the diet showed promise.",
     "treatment guidelines from the American College of Quillology", "American College of Quillology", 2014, "guideline"),
    ("After reviewing the evidence, the American College of Quillers in May issued new guidelines for insomnia.",
     "the American College of Quillers in May issued new guidelines", "American College of Quillers", None, "guideline"),
    ("The Quill Academy of Orthopaedic Surgeons guidelines state that no one drug is better than another.",
     "The Quill Academy of Orthopaedic Surgeons guidelines", "Quill Academy of Orthopaedic Surgeons", None, "guideline"),
    ("Drugs come second, according to a consensus statement from the Quill Society of Sleep.",
     "consensus statement from the Quill Society of Sleep", "Quill Society of Sleep", None, "consensus statement"),
    ("The Quill Society of Hearts (QSH) met. Exercise helps, the QSH guidelines say.",
     "the QSH guidelines", "QSH", None, "guideline"),
    ("As the Centers for Quill Control concluded in its 2016 summary of the research, no good long-term studies exist.",
     "its 2016 summary", "Centers for Quill Control", 2016, None),
]


@pytest.mark.parametrize("text,span,venue,year,study_type", BODIES)
def test_a_named_bodys_document_is_a_cited_work_with_the_body_as_venue(nlp, text, span, venue, year, study_type):
    [hit] = cites(nlp, text)
    assert (hit.text, hit.venue, hit.year, hit.study_type) == (span, venue, year, study_type)


@pytest.mark.parametrize(
    "text",
    [
        "Current guidelines recommend that adults walk every day.",  # no body named: a vague appeal
        "The Quill Society is rewriting its guidelines for knee pain.",  # still to come
        "In 2014, IBS treatment guidelines said little.",  # a disease's initials are not a body
        "Roe AB, Doe CD, et al. Forecasting pain: A Policy Statement from the Quill Association. Circ Q. 2013;6:1-9.",
    ],
)
def test_no_document_of_a_named_body_no_guideline_citation(nlp, text):
    assert not [h for h in cites(nlp, text) if h.study_type in ("guideline", "consensus statement")]


@pytest.mark.parametrize(
    "text,venue",
    [
        ("A 2015 analysis by the CDC found that people who misuse painkillers often use heroin.", "CDC"),
        ("A 2019 report from the Quill Agency for Healthcare Research found that costs rose.",
         "Quill Agency for Healthcare Research"),
        ("A 2019 study by Quill University found that walking helps.", None),  # where it was done, no publisher
        ("A 2019 analysis by Quill University researchers found that walking helps.", None),
    ],
)
def test_a_bodys_own_report_has_the_body_as_venue_a_university_never(nlp, text, venue):
    [hit] = cites(nlp, text)
    assert hit.venue == venue


def test_a_guideline_told_next_as_published_in_a_journal_is_one_work(nlp):
    text = ("Migraine can be prevented, says Jane Roe, lead author of the guidelines from the Quill Academy of Neurology. "
            "They were presented at a meeting and published in the journal Quill Neurology.")
    [hit] = cites(nlp, text)
    assert (hit.venue, hit.study_type) == ("Quill Neurology", "guideline")


def test_a_named_persons_own_study_is_that_persons_work_beside_the_storys_study(nlp):
    text = ("The low-salt diet did not help, said the lead author, Dr. Jan Zorbis. The study was flawed, critics said. "
            "Dr. Mira Quellan said the new study is not the only one to find harm. "
            "His own study, with people who had high blood pressure, found that those who ate least salt died soonest.")
    hits = cites(nlp, text)
    own = [h for h in hits if h.text.startswith("His own study")]
    assert len(own) == 1 and own[0].first_author == "Quellan"
    assert len(hits) == 2  # the story's own study is still cited


DATED = "TUESDAY, June 3, 2014 (HealthDay News) -- Walking helps.\n\n"


@pytest.mark.parametrize(
    "body,year",
    [
        ("Last year, a large study of 3,000 adults found that walking cut the risk of falls.", 2013),
        ("Earlier this month, a trial of 300 adults found that walking cut falls.", 2014),
    ],
)
def test_a_study_dated_against_the_article_takes_the_datelines_year(nlp, body, year):
    [hit] = cites(nlp, DATED + body)
    assert hit.year == year


def _article(text: str, published: str | None) -> Article:
    return Article(source="page.html", sha256="0" * 64, encoding="utf-8", format="html", title="Walking",
                   text=text, extractor="trafilatura", published=published)


@pytest.mark.parametrize(
    "body,published,year",
    [
        ("Walking helps.\n\nLast year, a large study of 3,000 adults found that walking cut the risk of falls.",
         "2019-03-02", 2018),
        ("Walking helps.\n\nA study published Monday in the journal Quill Medicine found that walking cut falls.",
         "2019-03-02", 2019),
        ("Walking helps.\n\nLast year, a large study of 3,000 adults found that walking cut the risk of falls.", None, None),
    ],
)
def test_without_a_dateline_the_pages_published_date_gives_the_year_and_nothing_else_does(nlp, body, published, year):
    record = extract_one(_article(body, published), "walking", nlp=nlp)
    [citation] = record.citations
    assert citation.year == year
    if year is not None and citation.query is not None:
        assert f"{year}[dp]" in citation.query
