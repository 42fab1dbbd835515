"""Causes of citation errors found on unseen news (round 9), one invented sentence for each.

A reference line written "Surname, I et al. Title. Journal; 18 Oct 2016; DOI", doctors' or
experts' opinions at an institution, research still to be presented, a meeting with an ordinal
in its name and a shortened name later, study mentions with a design or topic word ("the pilot
study"), and "who led the study" as the first author's cue.
"""

from __future__ import annotations

import pytest
from citation_helpers import cites

REFERENCE_BOX = (
    "Naps may ease low mood, study suggests\n\n"
    "The team found that naps helped. Their results are published today in the journal Quill Psychiatry.\n\n"
    "Dr Alan Smith, who led the study, says more work is needed.\n\n"
    "Reference\n\n"
    "Roe, J et al. Naps and mood: a systematic review of trials. Quill Psychiatry; 18 Oct 2016; DOI: 10.1234/qp.2016.167\n"
)


def test_a_reference_line_with_comma_initials_is_the_work_and_gives_its_fields(nlp):
    # The footer's entry is the most specific mention: its first author beats "who led the study".
    (hit,) = cites(nlp, REFERENCE_BOX)
    assert hit.text.startswith("Roe, J et al. Naps and mood") and hit.text.endswith("10.1234/qp.2016.167")
    assert (hit.first_author, hit.et_al, hit.year, hit.venue, hit.doi) == (
        "Roe", True, 2016, "Quill Psychiatry", "10.1234/qp.2016.167")
    assert any(m.text.startswith("published today") for m in hit.mentions)


def test_a_reference_line_with_several_comma_initial_authors(nlp):
    text = "Walking helps.\n\nRoe, J., Doe, K. Walking and pain in adults. Quill Medicine; 3 May 2014; 12: 1-9.\n"
    (hit,) = cites(nlp, text)
    assert (hit.first_author, hit.year, hit.venue) == ("Roe", 2014, "Quill Medicine")


@pytest.mark.parametrize("text", [
    "A gel could help some people avoid knee surgery, Quilby State University doctors say.",
    "Experts at the Quilby Institute believe that naps help.",
])
def test_doctors_or_experts_giving_an_opinion_are_no_citation(nlp, text):
    assert cites(nlp, text) == []


@pytest.mark.parametrize("text,span", [
    ("A gel could help some people avoid knee surgery, Quilby State University researchers say.",
     "Quilby State University researchers say"),
    ("Doctors at Quilby University Hospital have found that a gel eases knee pain.",
     "Doctors at Quilby University Hospital have found"),
])
def test_researchers_saying_or_doctors_finding_still_report_research(nlp, text, span):
    assert [(h.text, h.rule) for h in cites(nlp, text)] == [(span, "research_report")]


def test_research_still_to_be_presented_is_no_citation(nlp):
    text = "The group will present new research on sleep and memory at its annual meeting, which starts July 2."
    assert cites(nlp, text) == []


MEETING = (
    "Men having radiation can benefit from yoga, researchers at the Quilby School of Medicine reported at the "
    "Society of Example Oncology's 12th International Conference.\n\n"
    "The new study, led by Jane Roe, MD, found that quality of life was stable.\n\n"
    "\"It works,\" said Alan Smith, a researcher who will present the results at the ESO meeting."
)


def test_a_meeting_name_with_an_ordinal_and_its_later_short_name_are_one_work(nlp):
    (hit,) = cites(nlp, MEETING)
    assert hit.text == "reported at the Society of Example Oncology's 12th International Conference"
    assert (hit.venue, hit.first_author) == ("Society of Example Oncology's 12th International Conference", "Roe")
    assert "present the results at the ESO meeting" in [m.text for m in hit.mentions]


@pytest.mark.parametrize("text,span", [
    ("Tai chi may ease pain. The fibromyalgia study used one style. Dr. Ann Roe said it was cheap.",
     "The fibromyalgia study"),
])
def test_a_lone_study_is_cited_at_its_first_mention_with_a_design_or_topic_word(nlp, text, span):
    assert [h.text for h in cites(nlp, text)] == [span]


def test_a_study_noun_modifying_another_noun_is_no_mention(nlp):
    assert cites(nlp, "The cancer research community was pleased, said Dr. Alan Smith.") == []


@pytest.mark.parametrize("text,span", [
    ("Tai chi may ease pain. The pilot study used one style.\n\nDr. Jane Roe, a rheumatologist who led the study, said "
     + "the results were good.", "The pilot study"),
    ("A new study in the journal Quill Medicine found naps help. Dr. Jane Roe, who led the study, told reporters "
     + "that naps matter.", "A new study in the journal Quill Medicine"),
])
def test_the_person_who_led_the_study_is_its_first_author(nlp, text, span):
    (hit,) = cites(nlp, text)
    assert (hit.text, hit.first_author) == (span, "Roe")


def test_a_publication_note_that_became_a_mention_is_still_no_claim(nlp):
    # With the reference entry as the work's span, "published today in the journal X" is only its mention:
    # the sentence is still a note on where the paper appeared, not a claim.
    doc = nlp(REFERENCE_BOX)
    texts = [c.text for c in doc._.hc_claims]
    assert not any(t.startswith("Their results are published") for t in texts)
    assert any(t.startswith("The team found that naps helped") for t in texts)


@pytest.mark.parametrize("name", ["O’Quorn", "O'Quorn", "D'Zell"])
def test_a_surname_with_an_apostrophe_is_the_first_author_whole(nlp, name):
    text = (
        "A paper published January 9 in the Journal of Example Medicine found gains.\n\n"
        f"“Fitness reduces your risk,” says Gary {name}, a researcher at Quilby University and lead author of the paper.\n"
    )
    (hit,) = cites(nlp, text)
    assert hit.first_author == name


FULL_NAMES_BOX = (
    "Acupressure app eases period pain, trial finds\n\n"
    "A new study by researchers from Quilby University, published in the Journal of Example Gynecology*, "
    "found that an app helped women with period pain.\n\n"
    "*Susi Quell, Dan Roe, Sanna von Zorn-Rothe, Claudia M. Witt: Effectiveness of app-based self-acupressure: "
    "a randomized pragmatic trial. In: Journal of Example Gynecology, Volume 218, Issue 2, February 2018, "
    "Pages 227-229. DOI: 10.1016/j.jeg.2017.11.570.\n"
)


def test_a_reference_line_of_full_names_is_the_work_and_gives_its_fields(nlp):
    (hit,) = cites(nlp, FULL_NAMES_BOX)
    assert hit.text.startswith("Susi Quell, Dan Roe") and hit.text.endswith("10.1016/j.jeg.2017.11.570.")
    assert (hit.first_author, hit.et_al, hit.year, hit.venue, hit.doi) == (
        "Quell", True, 2018, "Journal of Example Gynecology", "10.1016/j.jeg.2017.11.570")
    assert any(m.text.startswith("A new study") for m in hit.mentions)


def test_a_journal_before_first_published_and_an_acronym_in_the_body_are_one_work(nlp):
    text = (
        "Cocoa may sharpen the mind, study finds\n\n"
        "This second study, just published in the JEN, found that cocoa helped older adults.\n\n"
        "Reference:\n\n"
        "Jane Quorn, Alan Zell, Maria Carmela Vos, and Pia van der Berg. Cocoa and the aging mind: a randomized "
        "controlled trial, Journal of Example Nutrition, First published ahead of print December 17, 2014 as doi: "
        "10.1234/jen.114.092189.\n"
    )
    (hit,) = cites(nlp, text)
    assert (hit.first_author, hit.year, hit.venue) == ("Quorn", 2014, "Journal of Example Nutrition")


def test_capitalised_words_with_commas_are_no_author_list(nlp):
    text = "Patients, Doctors, Nurses and Others. The team said in 2014 that the program works for most people.\n"
    assert cites(nlp, text) == []


@pytest.mark.parametrize("text,span", [
    # a quoted title named as the paper is the work's most specific mention
    ('Walking helps. The study, "Daily Walking and Knee Pain in Older Adults," is out today. It had 90 people.',
     "Daily Walking and Knee Pain in Older Adults"),
    ("In a previous study, the authors had shown that fish oil lowered pain.", "a previous study"),
    ("According to one systematic review, yoga eases back pain.", "one systematic review"),
    ("Researchers drew on the multi-site Effects of Aspirin in Older Adults (EAOA) study to look at bleeding.",
     "the multi-site Effects of Aspirin in Older Adults (EAOA) study"),
    ("The team used the Effects of Aspirin in Older Adults (EAOA) study to look at bleeding.",
     "the Effects of Aspirin in Older Adults (EAOA) study"),
    # a link printed with spaces in its host is read whole; an ordinary one ends at its first space
    ("The paper is at http://jama. jamanetwork. com/ article. aspx?articleid= 2484345 online.",
     "http://jama. jamanetwork. com/ article. aspx?articleid= 2484345"),
    ("Read it at https://pubmed.ncbi.nlm.nih.gov/23456789/ today.", "https://pubmed.ncbi.nlm.nih.gov/23456789/"),
])
def test_one_work_named_by_its_title_its_acronym_a_spaced_link_or_a_single_work_cue(nlp, text, span):
    assert [h.text for h in cites(nlp, text)] == [span]


def test_a_title_labelled_article_and_its_doi_are_the_story_s_study(nlp):
    text = (
        "A new study in the journal Pain found that walking helps knees. The study had 90 people.\n\n"
        'Article: "Daily Walking and Knee Pain: A Randomized Trial" (doi: 10.1000/xyz123)\n'
    )
    (hit,) = cites(nlp, text)
    assert (hit.text, hit.venue, hit.doi) == ("Daily Walking and Knee Pain: A Randomized Trial", "Pain", "10.1000/xyz123")


def test_according_to_a_person_the_story_names_is_no_organisation_source(nlp):
    assert cites(nlp, "Dr. Jane Roe studies sleep. According to Roe, most adults sleep too little.") == []


def test_a_later_mention_dates_the_issue_the_work_appears_in(nlp):
    (hit,) = cites(nlp, "A study in the journal Pain found benefit. The full paper will be published in the January 2016 issue.")
    assert (hit.venue, hit.year) == ("Pain", 2016)


@pytest.mark.parametrize("text,doi", [
    ("The paper is at https:/ / doi. org/ 10. 1371/ journal. pone. 0182155 online.", "10.1371/journal.pone.0182155"),
    ("See http://www. annals. org/ article. aspx?doi= 10. 7326/ M15-0667. The study was small.", "10.7326/M15-0667"),
    ("Read https://onlinelibrary.wiley.com/doi/10.1111/add.13349/abstract now.", "10.1111/add.13349"),
])
def test_the_doi_inside_a_link_to_the_paper_is_its_doi(nlp, text, doi):
    (hit,) = cites(nlp, text)
    assert (hit.kind, hit.doi) == ("url", doi)


def test_a_link_to_a_site_rather_than_a_page_is_no_citation(nlp):
    assert cites(nlp, "Trials are listed at http://www. clinicaltrials. gov and at https://www.nejm.org/ online.") == []


def test_a_commentary_named_by_its_journal_is_a_work_of_its_writer(nlp):
    text = "The result is robust, said Dr. Ann Quilby, author of an Archives commentary and a physician in Ohio."
    (hit,) = cites(nlp, text)
    assert (hit.text, hit.first_author, hit.study_type) == ("an Archives commentary", "Quilby", "editorial")


@pytest.mark.parametrize("text,venue", [
    ("Figures from Health Quill Scotland show cases of infection are now at their lowest level.", "Health Quill Scotland"),
    ("Data from the Quill Agency for Disease Control show a rise in cases.", "Quill Agency for Disease Control"),
])
def test_a_named_bodys_figures_are_its_source(nlp, text, venue):
    (hit,) = cites(nlp, text)
    assert hit.venue == venue and hit.text.split()[0] in ("Figures", "Data")


def test_a_trials_data_are_no_organisation_source(nlp):
    assert cites(nlp, "Data from the trial show a benefit.") == []
    # a trial's name is no body: "data from the QUILL-HF trial" gives no organisation named QUILL
    assert not any(c.venue == "QUILL" for c in cites(nlp, "Researchers used data from the QUILL-HF trial to model the costs."))


def test_the_journal_of_a_name_is_that_name(nlp):
    (hit,) = cites(nlp, "The study, published in the journal of Quillomagnetics, looked at cancer rates.")
    assert hit.venue == "Quillomagnetics"
