"""Sources named without a journal: a study known by its own name ("the Quill Health Study"), a body
given bare as a figure's source ("according to FDA"), a body's recommendation, and findings a team
will "report" at a named meeting."""

from __future__ import annotations

import pytest
from citation_helpers import cites


def test_a_study_known_by_its_name_is_a_cited_work_of_its_own(nlp):
    hits = cites(
        nlp,
        "The team analysed data from two cohorts: the Quillby Nurses Follow-Up Study, which tracked 40,000 women, "
        "and the Doctors' Health Study that followed 20,000 men.",
    )
    assert [h.text for h in hits] == ["the Quillby Nurses Follow-Up Study", "the Doctors' Health Study"]


def test_two_mentions_of_one_named_study_are_one_work(nlp):
    hits = cites(nlp, "Data came from the Quill Heart Study. Women in the Quill Heart Study slept less.")
    assert [h.text for h in hits] == ["the Quill Heart Study"]


@pytest.mark.parametrize(
    "text",
    [
        "He works at the Institute for the Advanced Study in Quillton.",
        "She studies at the Quill Center for the Study of Aging.",
    ],
)
def test_a_study_word_inside_a_bodys_name_is_no_citation(nlp, text):
    assert cites(nlp, text) == []


@pytest.mark.parametrize(
    "text,span,venue",
    [
        ("There are about 20,000 prescribers in the state, according to FDA.", "according to FDA", "FDA"),
        ("About 300 clinics bought the pump last year, according to Quillton Health Services.",
         "according to Quillton Health Services", "Quillton Health Services"),
    ],
)
def test_a_body_named_without_the_is_a_figures_source(nlp, text, span, venue):
    [hit] = cites(nlp, text)
    assert (hit.text, hit.venue) == (span, venue)


@pytest.mark.parametrize(
    "text",
    [
        "The drug works, according to Jane Roe, a nurse in Ohio.",
        "Sales rose, according to Dr. Smith.",
        "Prices doubled, according to Boston officials.",
        "The rates fell, according to Reuters.",
        "According to Roe, the pain eased within weeks.",
    ],
)
def test_a_person_place_or_outlet_after_according_to_is_no_citation(nlp, text):
    assert cites(nlp, text) == []


@pytest.mark.parametrize(
    "text,span",
    [
        ("Despite a recommendation from the American Quill Association that it be tried first, few get the drug.",
         "recommendation from the American Quill Association"),
        ("The program has been given a Class 1A recommendation by the American Quill Association for prevention.",
         "recommendation by the American Quill Association"),
    ],
)
def test_a_named_bodys_recommendation_is_a_guideline(nlp, text, span):
    [hit] = cites(nlp, text)
    assert (hit.text, hit.venue, hit.study_type) == (span, "American Quill Association", "guideline")


@pytest.mark.parametrize(
    "text",
    ["Her doctor's recommendation was to rest for a week.", "He followed a recommendation from his doctor to walk daily."],
)
def test_a_persons_recommendation_is_no_guideline(nlp, text):
    assert cites(nlp, text) == []


def test_findings_to_be_reported_at_a_named_meeting_are_a_citation(nlp):
    [hit] = cites(
        nlp, "He and his colleagues plan to report their findings Tuesday at the Quill Society annual meeting, in Boston."
    )
    assert hit.text == "report their findings Tuesday at the Quill Society annual meeting"
    assert hit.venue == "Quill Society annual meeting"


@pytest.mark.parametrize(
    "text,span,author",
    [
        ("Dr. Alan Smith said he had treated 500 children and had conducted a clinical study, finding large gains.",
         "a clinical study", "Smith"),
        ("Researchers at the University of Quillby published a study in May in which they gave 70 adults the drug.",
         "a study", None),
        ("A team at Quill State University has nearly completed a pilot study of the device for migraine.",
         "a pilot study of the device for migraine", None),
    ],
)
def test_a_study_a_person_or_team_did_is_one_work(nlp, text, span, author):
    [hit] = cites(nlp, text)
    assert (hit.text, hit.first_author) == (span, author)


def test_a_book_a_person_wrote_is_its_own_work(nlp):
    hits = cites(
        nlp,
        "Jane Roe has written a book about living with pain called Quiet Nerves. "
        "Separately, a team at Quill State University published a study in May of 70 adults.",
    )
    assert len(hits) == 2
    assert (hits[0].text, hits[0].first_author, hits[0].study_type) == (
        "a book about living with pain called Quiet Nerves", "Roe", "book")


@pytest.mark.parametrize(
    "text",
    [
        "They plan to conduct a study next year.",
        "The company conducted a survey of its customers.",
        "Jane Roe will publish a paper next month.",
        # under way: the story's trial has no results to look up yet, and its later "the trial" is that one
        "Eczema is common. A new clinical trial is testing a cream. The trial uses a cream with bacteria.",
    ],
)
def test_a_planned_study_or_a_companys_survey_is_no_citation(nlp, text):
    assert cites(nlp, text) == []


@pytest.mark.parametrize(
    "text,span",
    [
        ("The Quill Heart Association recommends that adults walk 30 minutes a day.",
         "The Quill Heart Association recommends"),
        ("The American Quill Society says about 1 in 8 women will develop the disease.", "The American Quill Society says"),
    ],
)
def test_a_named_bodys_standing_position_is_a_source(nlp, text, span):
    [hit] = cites(nlp, text)
    assert hit.text == span


def test_a_company_saying_something_is_no_source(nlp):
    assert cites(nlp, "Quillco says its pill is safe.") == []


@pytest.mark.parametrize(
    "text",
    [
        "The charity is funding a trial in Britain to see if the drug will prevent the disease.",
        "Researchers are running a study of 300 adults in Quillton to test the idea.",
    ],
)
def test_a_study_still_under_way_is_no_citation(nlp, text):
    assert cites(nlp, text) == []


def test_a_study_done_is_a_citation(nlp):
    [hit] = cites(nlp, "The charity funded a trial in Britain that found the drug prevented the disease.")
    assert hit.text == "a trial in Britain"


def test_a_bodys_named_review_is_its_work_with_the_body_as_venue(nlp):
    [hit] = cites(nlp, "An Academy of Quill Surgeons review of about 40 published studies showed that 2% had nerve injuries.")
    assert (hit.text, hit.venue) == ("An Academy of Quill Surgeons review of about 40 published studies", "Academy of Quill Surgeons")


def test_a_universitys_named_study_names_no_publisher(nlp):
    assert all(h.venue is None for h in cites(nlp, "A University of Quillby study of 300 adults found the same."))


def test_a_joint_recommendation_names_both_bodies(nlp):
    [hit] = cites(
        nlp, "The program has a Class 1A recommendation by the American Quill Association/American College of Quillology."
    )
    assert hit.venue == "American Quill Association/American College of Quillology"


@pytest.mark.parametrize(
    "text,span,venue",
    [
        ("According to a Quillton Medical School newsletter, tai chi is seen as medicine in motion.",
         "According to a Quillton Medical School newsletter", "Quillton Medical School"),
        ("Rates rose, according to the Quill Foundation report.", "according to the Quill Foundation report", "Quill Foundation"),
        ("Rates rose, according to CDC data.", "according to CDC data", "CDC"),
        # a hyphenated name is one name ("Quill", a fragment, is no body)
        ("Pain fell by half in 900 patients, according to the Quill-Barrow Cancer Society.",
         "according to the Quill-Barrow Cancer Society", "Quill-Barrow Cancer Society"),
    ],
)
def test_a_bodys_document_after_according_to_is_its_source(nlp, text, span, venue):
    [hit] = cites(nlp, text)
    assert (hit.text, hit.venue) == (span, venue)


@pytest.mark.parametrize(
    "text",
    [
        "Rates rose, according to a Quill Foundation official.",
        "Rates rose, according to the Harvard researchers.",
        "Cannabis Safer Than Opioids, According to Quill-Barrow University Researchers",  # a title-case line
    ],
)
def test_a_bodys_people_after_according_to_are_no_source(nlp, text):
    assert cites(nlp, text) == []


def test_the_person_presenting_a_studys_results_is_its_author_and_the_lead_year_dates_it(nlp):
    hits = cites(nlp, "Dr. Jane Roe studies the drug. In 2013, Roe presented the results of a study of about 15,000 people.")
    assert [(h.text, h.first_author, h.year) for h in hits] == [("a study of about 15,000 people", "Roe", 2013)]
