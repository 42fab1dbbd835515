"""Causes of citation errors on unseen news, one sentence written for each (no article's text).

Publication phrasing, venue-less study pointers, reference markers and source lines, merging
of one work reported twice, and design words that must not leak from one work into another.
"""

from __future__ import annotations

import pytest
from citation_helpers import cites




PHRASING = [
    # (text, span, venue, year)
    (
        "The report was published in the journal Quill: Cardiac Quality and Outcomes. It was small.",
        "The report was published in the journal Quill: Cardiac Quality and Outcomes",
        "Quill: Cardiac Quality and Outcomes",
        None,
    ),
    ("It was published in the Quill Journal: The authors found that mice slept.", "published in the Quill Journal",
     "Quill Journal", None),
    (
        "Patients lost twice the weight, according to new research presented today at CardioWeek 2016 in Boston.",
        "presented today at CardioWeek 2016",
        "CardioWeek 2016",
        2016,
    ),
    (
        "The findings were published in an online edition of The Zorbic medical journal.",
        "published in an online edition of The Zorbic medical journal",
        "The Zorbic",
        None,
    ),
    ("Doctors improved it, they said in Quarterly Bone Notes journal.", "in Quarterly Bone Notes journal", "Quarterly Bone Notes", None),
    (
        "Half of the effect is genetic, the journal Molecular Sleep Studies reports.",
        "the journal Molecular Sleep Studies reports",
        "Molecular Sleep Studies",
        None,
    ),
    (
        "In a letter to the Lancet medical journal, a team warns of cuts.",
        "a letter to the Lancet medical journal",
        "Lancet",
        None,
    ),
    (
        "The study was published online by JAMA Pediatrics on Monday.",
        "The study was published online by JAMA Pediatrics",
        "JAMA Pediatrics",
        None,
    ),
    (
        "A report published by the Royal College of Nurses in 2010 found the same.",
        "A report published by the Royal College of Nurses in 2010",
        "Royal College of Nurses",
        2010,
    ),
    (
        "Another study, funded by the Wellcome Trust and published in 2009, found no effect.",
        "Another study, funded by the Wellcome Trust and published in 2009",
        None,
        2009,
    ),
    ("Two trials agreed. One, published in 2012, found a benefit.", "One, published in 2012", None, 2012),
    (
        "The study was also presented at the recent annual meeting of the American Academy of Hip Surgeons.",
        "presented at the recent annual meeting of the American Academy of Hip Surgeons",
        "annual meeting of the American Academy of Hip Surgeons",
        None,
    ),
    (
        "A review published in the Zorbic Society's Journal of Bone Health & Sleep covers care.",
        "A review published in the Zorbic Society's Journal of Bone Health & Sleep",
        "Journal of Bone Health & Sleep",
        None,
    ),
    (
        "Eye size grew with latitude, according to the journal Quill Bone Letters.",
        "according to the journal Quill Bone Letters",
        "Quill Bone Letters",
        None,
    ),
    (
        "Eye size grew with latitude, according to the Royal Zorbic Society journal Quill Letters.",
        "according to the Royal Zorbic Society journal Quill Letters",
        "Quill Letters",
        None,
    ),
    (
        "The results were presented Monday at the Society of Knee Radiology's annual meeting, in Leeds.",
        "presented Monday at the Society of Knee Radiology's annual meeting",
        "Society of Knee Radiology's annual meeting",
        None,
    ),
]


PHRASING += [
    # a dated issue names its journal, known or not; the journal's own publisher is no venue
    (("An implant helps, reports a clinical trial in the November issue of Quillsurgery, official journal of the "
      "Congress of Quill Surgeons, published by Quillers Kluwen."),
     "a clinical trial in the November issue of Quillsurgery", "Quillsurgery", None),
    ("Results are in the current online issue of Quill Reproduction.",
     "in the current online issue of Quill Reproduction", "Quill Reproduction", None),
    # a word of the journal's field before "journal" leads to the name
    ("Roe and her colleagues reported in the headache journal Quillalgia that 39% of patients improved.",
     "reported in the headache journal Quillalgia", "Quillalgia", None),
    # a society's initials in parentheses inside its meeting's name
    (("Knee pain is hard to treat, according to researchers presenting their work today at the American Society "
      "for Knee Medicine's (ASKM) Annual Meeting in Boston."),
     "presenting their work today at the American Society for Knee Medicine's (ASKM) Annual Meeting",
     "American Society for Knee Medicine's (ASKM) Annual Meeting", None),
]


@pytest.mark.parametrize(("text", "span", "venue", "year"), PHRASING)
def test_publication_phrasing(nlp, text, span, venue, year):
    assert [(h.text, h.venue, h.year) for h in cites(nlp, text)] == [(span, venue, year)]


NOT_VENUES = [
    "The results were shared as Cambridge University research news.",
    "She told the Daily Mail newspaper that it worked.",
    "Patients in the study of probiotics improved.",
]


@pytest.mark.parametrize("text", NOT_VENUES)
def test_institutions_and_vague_studies_are_not_citations(nlp, text):
    assert cites(nlp, text) == []


@pytest.mark.parametrize(("text", "venues"), [
    # a charity named like a journal: the journal's name is only part of a longer name
    ("The study, funded by Cancer Research Zorbia, was small.", [None]),
    ("The trial, funded by Brain UK, was small.", [None]),
    ("The trial, funded by the Zorbic Heart Foundation, was small.", [None]),
    # the journal itself still is one, also next to such a name or before a weekday
    ("The Zorbic Heart Foundation funded a study published in Heart.", ["Heart"]),
    ("The work, funded by Cancer Research Zorbia, was published in the journal Cancer Research.", ["Cancer Research"]),
    ("The trial was published in the journal Brain Monday.", ["Brain"]),
])
def test_a_journal_name_inside_a_longer_name_is_no_venue(nlp, text, venues):
    assert [h.venue for h in cites(nlp, text)] == venues


def test_a_study_with_no_venue_is_still_cited(nlp):
    text = (
        "A study of 20,055 newborns showed the oxygen test found more heart defects.\n\n"
        "Dr Ann Roe, who led the study at the University of Leeds, said it was quick."
    )
    (hit,) = cites(nlp, text)
    assert (hit.text, hit.kind, hit.venue) == ("A study of 20,055 newborns", "prose", None)


def test_a_pointer_and_the_venue_named_later_are_one_work(nlp):
    text = (
        "A trial of 300 adults found that the drug cut pain.\n\n"
        "The findings were published in the journal Pain Medicine. A separate study of 40 mice found no effect."
    )
    hits = cites(nlp, text)
    assert [(h.text, h.venue) for h in hits] == [
        ("published in the journal Pain Medicine", "Pain Medicine"),
        ("A separate study of 40 mice", None),
    ]
    assert "A trial of 300 adults" in [m.text for m in hits[0].mentions]


def test_researchers_who_published_and_a_dated_study_later_are_one_work(nlp):
    text = (
        "Researchers who published in the journal Pediatrics found that sleep fell. "
        "A 2014 study of 300 children found the same."
    )
    assert [(h.venue, h.year) for h in cites(nlp, text)] == [("Pediatrics", 2014)]


def test_reference_markers_and_list_entries(nlp):
    text = (
        "Tea eased joint pain in a trial (1). Most patients improved (2). We list (1) apples and (2) pears.\n\n"
        "References\n\n"
        "1. Okafor BN, Lind E, et al. Tea and pain. J Pain Res. 2016;9:101-9. doi:10.2147/JPR.S1234\n"
        "2. Doe J, Roe R, et al. Yoga for neck pain. Spine. 2016;41:1-8.\n"
    )
    hits = cites(nlp, text)
    assert [(h.first_author, h.doi, [m.text for m in h.mentions]) for h in hits] == [
        ("Okafor", "10.2147/JPR.S1234", ["(1)"]),
        ("Doe", None, ["(2)"]),
    ]


def test_source_line_after_a_sentence_and_author_without_year(nlp):
    text = "It helped, as Nakamura et al. showed. Source: Okafor B, Journal of Pain, online May 3, 2014."
    hits = cites(nlp, text)
    assert [(h.text, h.first_author, h.year, h.venue) for h in hits] == [
        ("Nakamura et al.", "Nakamura", None, None),
        ("Journal of Pain, online May 3, 2014", "Okafor", 2014, "Journal of Pain"),
    ]


def test_pmid_inside_a_pubmed_link(nlp):
    (hit,) = cites(nlp, "The abstract is at https://pubmed.ncbi.nlm.nih.gov/23456789/ for readers.")
    assert (hit.kind, hit.pmid, hit.query) == ("url", "23456789", "23456789[pmid]")


def test_a_design_word_stays_with_its_own_work(nlp):
    text = (
        "A study published in the journal Pain Medicine tracked a cohort of 50 nurses.\n\n"
        "Another study, published in 2012 in the journal Spine Care, randomly assigned 80 adults to yoga."
    )
    first, second = cites(nlp, text)
    assert (first.venue, first.study_type) == ("Pain Medicine", "cohort study")
    assert (second.venue, second.study_type) == ("Spine Care", "randomized controlled trial")
    assert "randomized" not in (first.query or "")


def test_a_title_after_lead_author_is_not_the_name(nlp):
    text = (
        "A meta-analysis published in the journal Heart Notes found a lower risk, said Dr. Dominik Alexander, "
        "lead author and Principal Epidemiologist for the firm."
    )
    (hit,) = cites(nlp, text)
    assert hit.first_author == "Alexander"


def test_organisation_name_runs_to_its_acronym(nlp):
    (hit,) = cites(nlp, "The Agency for Healthcare Research and Quality (AHRQ) reported fewer deaths.")
    assert hit.venue == "Agency for Healthcare Research and Quality"


def test_an_editorial_read_through_its_venue_is_an_editorial(nlp):
    text = (
        "A meta-analysis published in the Annals of Heart Care pooled 20 trials. "
        "An accompanying editorial in the Annals of Heart Care urged caution."
    )
    study, editorial = cites(nlp, text)
    assert (study.study_type, editorial.study_type) == ("meta-analysis", "editorial")


def test_doi_with_parentheses_is_whole(nlp):
    (hit,) = cites(nlp, "Surgery helped. Doi:10.1016/S1091-255X(03)00047-7. More work is needed.")
    assert hit.doi == "10.1016/S1091-255X(03)00047-7"


LONE_MENTIONS = [
    # (text, the one citation's span): a story that names no work but speaks of its study
    ("Dr Ann Blorp of Quilby University, who led the study, said the drug worked.", "the study"),
    ("Study leader Dr Ann Blorp said: \"The drug worked in most patients.\"", "Study leader"),
    ("Walking cut pain by half. Professor Tam Orrin, who led the research, said it was cheap.", "the research"),
]


@pytest.mark.parametrize("text,span", LONE_MENTIONS)
def test_a_story_naming_no_work_cites_the_study_it_speaks_of(nlp, text, span):
    assert [h.text for h in cites(nlp, text)] == [span]


def test_the_study_is_a_mention_of_a_work_the_story_names(nlp):
    text = (
        "A trial published in the journal Pain Medicine found that walking cut pain. "
        "Dr Ann Blorp, who led the study, said it was cheap."
    )
    hits = cites(nlp, text)
    assert [h.text for h in hits] == ["A trial published in the journal Pain Medicine"]
    assert "the study" in [m.text for m in hits[0].mentions]


def test_vague_research_is_no_citation_even_alone(nlp):
    assert cites(nlp, "Research shows that walking helps, experts say. Studies suggest it is cheap.") == []


RESEARCH_REPORTS = [
    # (text, the one citation's span): a story naming no work tells of its paper as a team's finding
    ("Walking eases back pain. Researchers at Quilby University discovered that a short walk helped.",
     "Researchers at Quilby University discovered"),
    ("A Quilby University team found that the drug shrank tumours in mice.", "A Quilby University team found"),
    ("Men act on impulse because of a brain chemical, Quilby University scientists have shown.",
     "Quilby University scientists have shown"),
    ("Fat is stored around the organs, say the Quilby Institute team.", "say the Quilby Institute team"),
    ("A new treatment has been pioneered by scientists at the Quilby Institute of Science.",
     "pioneered by scientists at the Quilby Institute of Science"),
]


@pytest.mark.parametrize("text,span", RESEARCH_REPORTS)
def test_a_story_naming_no_work_cites_the_research_it_reports(nlp, text, span):
    (hit,) = cites(nlp, text)
    assert (hit.text, hit.kind, hit.rule) == (span, "prose", "research_report")


@pytest.mark.parametrize("text", [
    "Scientists say that walking helps, and experts believe it is cheap.",  # no institution, no result
    "Researchers at Quilby University, who run the clinic, are planning a trial.",  # no finding
    "Scientists will test whether walking helps next year.",  # a plan, not a result
])
def test_a_vague_or_findingless_research_group_is_no_citation(nlp, text):
    assert cites(nlp, text) == []


@pytest.mark.parametrize("text,span", [
    ("Scientists have found that walking helps, and experts say it is cheap.", "Scientists have found"),
    ("DOCTORS have developed a score that tells gout sufferers how long a flare lasts.", "DOCTORS have developed"),
    ("Scientists say walking is good. Researchers have discovered that sauerkraut calms gout.",
     "Researchers have discovered"),
])
def test_a_story_naming_no_work_or_institution_cites_a_result_its_researchers_reached(nlp, text, span):
    # With nothing else cited, "scientists have found that ..." reports the story's one study.
    assert [(h.text, h.rule) for h in cites(nlp, text)] == [(span, "research_report")]


def test_a_double_space_does_not_break_a_study_mention(nlp):
    text = "Dr Ann Roe, who led  the  study, said walking cut gout flares by half."
    assert [h.text for h in cites(nlp, text)] == ["the  study"]


def test_a_research_report_gives_way_to_a_named_work(nlp):
    text = (
        "Researchers at Quilby University found that walking cut pain. "
        "The study was published in the journal Pain Medicine."
    )
    assert [h.text for h in cites(nlp, text)] == ["The study was published in the journal Pain Medicine"]


@pytest.mark.parametrize("text,span", [
    ("A team co-led by scientists at Quilby University has developed a new drug.",
     "A team co-led by scientists at Quilby University has developed"),
    ("A new drug has been pioneered by scientists at Quilby university.", "pioneered by scientists at Quilby university"),
    ("A new drug has been pioneered by scientists at Saint Zorb's university in Quilby.",
     "pioneered by scientists at Saint Zorb's university in Quilby"),
])
def test_the_institution_of_a_research_report_may_lead_its_team_or_be_in_lower_case(nlp, text, span):
    assert [h.text for h in cites(nlp, text)] == [span]


def test_a_person_publishing_a_study_in_a_year_is_its_author(nlp):
    # The year hangs on the verb, not on the study noun: the noun phrase alone looks like any study.
    text = (
        "Ann Roe, a professor of biology at Zorbic University, published a small study in 2007 "
        "suggesting that the drills helped older people. Others disagree."
    )
    assert [(h.text, h.first_author, h.year) for h in cites(nlp, text)] == [("a small study in 2007", "Roe", 2007)]


def test_a_design_with_a_comma_is_still_a_study_pointer(nlp):
    text = "The agency sponsored a randomized, controlled trial of 36 subjects. The results come out in May."
    assert [h.text for h in cites(nlp, text)] == ["a randomized, controlled trial of 36 subjects"]


def test_a_quoted_title_and_its_publisher_are_a_book_of_its_own(nlp):
    # "(Penguin, 2009)" after a title names a publisher, not an author; and a book is no reference
    # list into which the studies the story describes in prose would fold.
    text = (
        "Bo Lee published a small study in 2009 suggesting that drills sped up reading. "
        "Dr. Ann Roe, the author of “The Zorbic Mind” (Penguin, 2009), said drills helped."
    )
    hits = cites(nlp, text)
    assert [(h.text, h.first_author, h.venue, h.year) for h in hits] == [
        ("a small study in 2009", "Lee", None, 2009),
        ("Penguin, 2009", None, "Penguin", 2009),
    ]


@pytest.mark.parametrize("text", [
    "A study led by Saint Zorb's University found that sauerkraut calmed gout. The trial lasted a year.",
    "A study led by Quilby University found that sauerkraut calmed gout. The trial lasted a year.",
])
def test_a_study_led_by_an_institution_has_no_first_author(nlp, text):
    assert [h.first_author for h in cites(nlp, text)] == [None]


def test_a_study_presented_today_is_not_folded_into_an_older_dated_report(nlp):
    # The story's news is the study presented today; "a 2009 report" is an older work cited for one
    # fact, and "the study" further on is the news study again, not the report named just before.
    text = (
        "A gout study presented Sunday found that sauerkraut eased flares.\n\n"
        "The study enrolled 300 adults at 12 clinics.\n\n"
        "Some patients have been harmed by sauerkraut binges, according to a 2009 report in "
        "the Quilby Journal of Gout.\n\n"
        "Even the study's lead author says the result may be due to chance."
    )
    hits = cites(nlp, text)
    assert [(h.text, h.year) for h in hits] == [
        ("A gout study presented Sunday", None),
        ("a 2009 report in the Quilby Journal of Gout", 2009),
    ]
    assert "the study" in [m.text for m in hits[0].mentions]
    assert hits[0].mentions[-1].start > text.index("Even")
    assert [m.text for m in hits[1].mentions] == []


def test_the_study_right_after_a_sourced_report_is_that_report(nlp):
    text = (
        "A gout study presented Sunday found that sauerkraut eased flares.\n\n"
        "Some patients have been harmed, according to a 2009 report in the Quilby Journal of Gout. "
        "The study counted 30 such cases."
    )
    hits = cites(nlp, text)
    assert [m.text for m in hits[1].mentions] == ["The study"]


def test_a_review_by_a_named_author_after_another_work_is_its_own_work(nlp):
    # An indefinite study naming its own author, once the story has named a work without her, brings in
    # a new work; it is not the earlier one described again.
    text = (
        "Earlier this year, essays published in the Quilby Journal of Pet Science said the field was young. "
        "A recent literature review by Ann Okafor, a Zorbic University student, found mixed evidence."
    )
    hits = cites(nlp, text)
    assert [(h.venue, h.first_author) for h in hits] == [("Quilby Journal of Pet Science", None), (None, "Okafor")]
    assert hits[1].text.startswith("A recent literature review by Ann Okafor")


def test_a_study_by_a_named_author_then_its_journal_stay_one_work(nlp):
    text = (
        "A new study by Ann Okafor found that sauerkraut eased gout in 300 adults. "
        "The findings were published in the Quilby Journal of Gout."
    )
    hits = cites(nlp, text)
    assert [(h.venue, h.first_author) for h in hits] == [("Quilby Journal of Gout", "Okafor")]


def test_a_work_named_by_its_authors_possessive_is_her_work(nlp):
    text = (
        "A recent literature review by Ann Okafor, a Zorbic University student, found mixed evidence.\n\n"
        "A 2012 report in the Quilby Journal of Gout found the same.\n\n"
        "Most trials were small, according to Okafor's review and Quilby's study."
    )
    hits = cites(nlp, text)
    # a recent review is not folded into a work the story dates in the past
    assert [(h.first_author, h.year) for h in hits] == [("Okafor", None), (None, 2012)]
    okafor = [h for h in hits if h.first_author == "Okafor"]
    assert "Okafor's review" in [m.text for h in okafor for m in h.mentions]
    # a possessive naming no cited author points to no work
    assert "Quilby's study" not in [m.text for h in hits for m in h.mentions]


@pytest.mark.parametrize("plan", ["is about to start a new study of", "plans to run a trial of", "will launch a study of"])
def test_a_study_still_to_come_is_no_work(nlp, plan):
    text = f"Sauerkraut may ease gout, Dr. Ann Roe said. Now she {plan} 40 adults with gout."
    assert cites(nlp, text) == []


def test_a_quoted_title_published_on_a_date_gives_the_study_its_year(nlp):
    text = (
        "Ibuprofen eased pain in children better than morphine, according to a trial published in the "
        "Quilby Medical Journal.\n\n"
        "The children were followed for a week.\n\n"
        "\u201cIbuprofen versus morphine at home for pain in children: a randomized trial\u201d is published "
        "October 10, 2017."
    )
    hits = cites(nlp, text)
    assert [(h.text, h.venue, h.year) for h in hits] == [
        ("a trial published in the Quilby Medical Journal", "Quilby Medical Journal", 2017)
    ]


def test_an_unpublished_study_is_no_work(nlp):
    text = (
        "Sauerkraut may ease gout, Dr. Ann Roe said. In an unpublished study of 83 women, "
        "most reported fewer flares."
    )
    assert cites(nlp, text) == []


def test_a_reference_box_gives_its_first_listed_author(nlp):
    # The box's author list, not the professor quoted or leading the team, names the first author.
    text = (
        "A new study led by Professor Ann Quill found that the diet worked.\n\n"
        "The study was published today in Zorb Care.\n\n"
        "REFERENCE: Low calorie diet and weight in adults: changes in responders. Lena Okafor, Karl G Zorb, "
        "Ahmad Al-Quilby, Ann Quill.\n\n"
        "Zorb Care. Doi: 10.2337/zc15-9422\n"
    )
    (hit,) = cites(nlp, text)
    assert (hit.venue, hit.first_author, hit.doi) == ("Zorb Care", "Okafor", "10.2337/zc15-9422")


def test_a_source_box_reference_in_words_is_a_citation(nlp):
    text = (
        "Meditation helped anxious teens, a new study found.\n\n"
        "Source: Okafor JR, Zorb S, Quill CM, et al. Brain function after therapy in anxious teens. "
        "Journal of Zorbic Psychiatry. 2016."
    )
    (hit,) = cites(nlp, text)
    assert (hit.first_author, hit.year, hit.venue) == ("Okafor", 2016, "Journal of Zorbic Psychiatry")


def test_first_author_beats_the_lab_head(nlp):
    text = (
        "A group of researchers led by Dr. Ann Quill at Zorb College has found that the venom helps.\n\n"
        "“The venom blocks the channel in these cells,” said first author Dr. Lena Okafor, a student in the lab.\n\n"
        "The study appears in the Journal of Zorbic Therapeutics."
    )
    (hit,) = cites(nlp, text)
    assert (hit.venue, hit.first_author) == ("Journal of Zorbic Therapeutics", "Okafor")


def test_two_people_reporting_the_work_give_its_first_author(nlp):
    text = (
        "After 12 weeks of the exercise, all the women had closed the gap, Okafor and Quill reported at "
        "the Zorb Society's annual meeting."
    )
    (hit,) = cites(nlp, text)
    assert (hit.venue, hit.first_author) == ("Zorb Society's annual meeting", "Okafor")


def test_a_study_introduced_then_named_by_its_journal_is_not_an_older_one_there(nlp):
    text = (
        "A 2013 study in the Journal of Zorbic Surgery estimated the cost at $43,401.\n\n"
        "Last year, a large study comparing the two operations found more complications. "
        "The study, published in the Journal of Zorbic Surgery, included 24,574 operations."
    )
    hits = cites(nlp, text)
    assert [(h.year, h.venue) for h in hits] == [(2013, "Journal of Zorbic Surgery"), (None, "Journal of Zorbic Surgery")]
    assert "a large study comparing the two operations" in [m.text for m in hits[1].mentions]


def test_a_trial_still_under_way_is_no_mention_of_the_reported_study(nlp):
    text = (
        "A new study published today in Zorb Care shows the diet works.\n\n"
        "A larger trial involving 280 patients is already underway."
    )
    (hit,) = cites(nlp, text)
    assert hit.venue == "Zorb Care"
    assert not any("280" in m.text for m in hit.mentions)


@pytest.mark.parametrize(("opening", "year"), [("TUESDAY, Oct. 16, 2018 (HealthDay News) -- ", 2018), ("", None)])
def test_an_older_report_given_as_the_source_of_a_fact_is_not_the_news(nlp, opening, year):
    # a dated report named for one figure is a work of its own, and its year is not the news's
    text = (
        opening + "A nerve stimulator eased chronic back pain, new research suggests.\n\n"
        "The devices can cost $50,000, according to a 2008 report funded by a state agency.\n\n"
        "The findings were presented Sunday at the annual meeting of the American Society of Anesthesiologists."
    )
    hits = cites(nlp, text)
    assert [(h.text, h.year) for h in hits] == [
        ("a 2008 report", 2008),
        ("presented Sunday at the annual meeting of the American Society of Anesthesiologists", year),
    ]
    assert "a 2008 report" not in [m.text for m in hits[1].mentions]


def test_a_reference_list_run_together_on_one_line(nlp):
    # press releases often print "[1] ... [2] ... [3] ..." as one paragraph; each entry's DOI or
    # PubMed link is that entry's, not a work of its own
    text = (
        "Obesity raises the risk of early death.[1][2] Surgery has become safer.[3]\n\n"
        "[1] Office of the Health Board. (2004). Overweight and its costs. Accessed 2013. "
        "[2] Okafor, B. N. (2003). Body weight regulation and obesity. Journal of Weight Studies. 7(4) pp. 443-51. "
        "Doi:10.1016/S1091-255X(03)00047-7. [3] Lindqvist, W. E., et al. (2009). Recent gains in bariatric surgery "
        "outcomes. Arch Surg. 144(4) pp. 328-34. http://www.ncbi.nlm.nih.gov/pubmed/19318998\n"
    )
    hits = {h.text: h for h in cites(nlp, text)}
    okafor = next(h for h in hits.values() if h.first_author == "Okafor")
    assert (okafor.year, okafor.doi) == (2003, "10.1016/S1091-255X(03)00047-7")
    assert "[2]" in [m.text for m in okafor.mentions]
    lindqvist = next(h for h in hits.values() if h.first_author == "Lindqvist")
    assert (lindqvist.year, lindqvist.pmid) == (2009, "19318998")
    assert not any(h.kind in ("doi", "url") for h in hits.values())


@pytest.mark.parametrize(("role", "first"), [("senior author", None), ("lead author", "Lambert")])
def test_the_senior_author_and_colleagues_name_no_first_author(nlp, role, first):
    text = (
        "You can live longer, according to new research in the Journal of the American Bone Society. "
        f'"The paradigm needs to shift," says {role} Andrea Lambert, professor of family medicine at the '
        "University of California San Diego.\n\nFor the study, Lambert and her colleagues asked 6,000 women to "
        "wear trackers for seven days."
    )
    assert [(h.venue, h.first_author) for h in cites(nlp, text)] == [("Journal of the American Bone Society", first)]


def test_an_issue_of_something_undated_is_no_journal(nlp):
    assert cites(nlp, "He raised the issue of Medicare at the hearing.") == []


def test_conducted_by_a_person_after_a_role_names_the_first_author_not_a_parent_studys_leader(nlp):
    text = ("The study was conducted by recent graduate Linda Moreno and her advisor Brian Walsh. Their findings are "
            "based on a secondary analysis of the multi-site QUAIL study. It is led by Enzo Marlow of the National "
            "Institute of Quill. Results are in the current online issue of Quill Reproduction.")
    [hit] = cites(nlp, text)
    assert (hit.venue, hit.first_author) == ("Quill Reproduction", "Moreno")


def test_the_named_author_of_an_accompanying_editorial_is_its_first_author(nlp):
    text = ("The study was published in the journal Quill Medicine. Dr. Grant W. Morley, a professor of surgery at "
            "the Quill Cancer Institute, and the author of an editorial accompanying the study, said it did harm.")
    study, editorial = cites(nlp, text)
    assert (study.first_author, editorial.first_author, editorial.study_type) == (None, "Morley", "editorial")


def test_a_numbered_apa_entry_takes_the_journal_after_its_title_never_an_access_note(nlp):
    text = ("Obesity raises risk.[1][2]\n\n"
            "[1] Roe, J. A. (2003). Body weight and the gut. Journal of Quill Surgery. 7(4) pp. 443-51. "
            "[2] Doe, B., et al. (2009). Safety of the gut operation. Quill Journal of Medicine. 361 pp.445-454. "
            "Accessed October 2013 from http://example.org/x")
    venues = {h.first_author: h.venue for h in cites(nlp, text) if h.first_author}
    assert venues == {"Roe": "Journal of Quill Surgery", "Doe": "Quill Journal of Medicine"}


def test_a_societys_dated_annual_meeting_is_the_venue(nlp):
    text = "Knee pain fell, according to new research presented today at the Society of Quill Radiology's 2018 Annual Scientific Meeting."
    [hit] = cites(nlp, text)
    assert (hit.venue, hit.year) == ("Society of Quill Radiology's 2018 Annual Scientific Meeting", 2018)


@pytest.mark.parametrize(
    "text,span",
    [
        ("People who sat in a sauna had lower blood pressure, one Quillish study reported.", "one Quillish study"),
        ("One long-term study of middle-aged Finnish men found those who used a sauna had fewer heart attacks.",
         "One long-term study of middle-aged Finnish men"),
    ],
)
def test_a_study_named_by_its_nationality_points_to_one_work(nlp, text, span):
    assert [h.text for h in cites(nlp, text)] == [span]


def test_studies_of_a_nationality_in_general_are_no_work(nlp):
    assert cites(nlp, "American studies show that saunas help.") == []


def test_a_roman_numbered_reference_list_gives_each_entry_its_own_fields_and_glued_markers(nlp):
    # press releases end with "References:" entries marked i, ii, iii; the text's markers are glued to the
    # word before them ("mood.i"); each entry is its work, with its own year (never the dateline's)
    text = (
        "BOSTON, May 3, 2016 /PRNewswire/ -- Walking lifts mood in older adults.i A second trial found that "
        "sleep improved,ii which helps memory.\n\n"
        "References:\n"
        "i Maria Lund Okafor, Peter Brandt, and Ann Kell. The Journal of Quill Walking. March 2011, 12(3): 101-109. "
        "doi:10.1000/qw.2011.01.\n"
        "ii Brandt, P., Kell, A., & Okafor, M. (2008). Sleep after walking. Quill Review of Sleep, 35-45.\n"
    )
    hits = cites(nlp, text)
    assert [(h.first_author, h.year, h.venue, h.doi, [m.text for m in h.mentions]) for h in hits] == [
        ("Okafor", 2011, "The Journal of Quill Walking", "10.1000/qw.2011.01", ["i"]),
        ("Brandt", 2008, "Quill Review of Sleep", None, ["ii"]),
    ]


def test_a_numbered_reference_list_with_glued_numbers_and_grouped_markers(nlp):
    # "2Doe, B. N." glues the number to the author; "(2,3)" points to two entries; "(4-17)" is no marker
    text = (
        "Children aged (4-17) ate the bar. It lowered weight, the team reports today.1 Earlier trials agree (2,3).\n\n"
        "References\n\n"
        "1 Roe, J. A., Doe, B. N., and Poe, C. (2015) A bar lowers weight. The Quill Journal, in press (March, 2016).\n"
        "2Doe, B. N., Roe, J. A. (2012) A bar raises HDL in a two-week trial. Quill J 26, 3515-3527.\n"
        "3 Poe, C. (2009) Bars and triage: is a lack linked to aging? Am J Quill Nutr 90, 889-907.\n"
    )
    hits = cites(nlp, text)
    assert [(h.first_author, h.year, h.venue, [m.text for m in h.mentions if m.text[0].isdigit()]) for h in hits] == [
        ("Roe", 2015, "The Quill Journal", ["1"]),
        ("Doe", 2012, "Quill J", ["2,3"]),
        ("Poe", 2009, "Am J Quill Nutr", ["2,3"]),
    ]


@pytest.mark.parametrize(
    ("text", "year", "venue"),
    [
        (('Roe and colleagues report in their paper, "Weekly Magnets Ease Pain" (Quill Neuromodulation: Technology '
          "of the Nerve: April 23, 2015)[1] that the effect lasts."), 2015, "Quill Neuromodulation: Technology of the Nerve"),
        ("In 2014, a review[2] suggested that magnets probably ease nerve pain.", 2014, None),
    ],
)
def test_fields_written_right_before_a_numbered_marker_are_its_work(nlp, text, year, venue):
    [hit] = cites(nlp, text)
    assert (hit.text[0], hit.year, hit.venue) == ("[", year, venue)


@pytest.mark.parametrize(
    ("text", "span", "year"),
    [
        ("In a study in 2004, just 9% of such patients were alive after two years.", "a study in 2004", 2004),
        ("One review from 2009 found the pump safe.", "One review from 2009", 2009),
    ],
)
def test_a_study_dated_after_its_noun_is_a_citation(nlp, text, span, year):
    [hit] = cites(nlp, text)
    assert (hit.text, hit.year) == (span, year)


def test_a_study_with_a_year_is_not_the_undated_storys_news_published_this_month(nlp):
    text = ("Data from the 300-patient study, published this month in the Quill Journal of Medicine, show the pump "
            "works. In a study in 2004, just 9% of such patients were alive after two years.")
    assert [(h.venue, h.year) for h in cites(nlp, text)] == [("Quill Journal of Medicine", None), (None, 2004)]


@pytest.mark.parametrize(
    ("text", "author"),
    [
        (("The study was published in the journal Quill Medicine. Dr. Ann Roe says in an accompanying editorial that "
          "the two trials settle the question."), "Roe"),
        (("The study was published in the journal Quill Medicine. In an accompanying commentary, Bo Lind and others "
          "note that the trial was small."), "Lind"),
        (("The study was published in the journal Quill Medicine. Dr. Ann Roe, a professor at the Quill School, who "
          "wrote an accompanying editorial in the journal, called it convincing."), "Roe"),
    ],
)
def test_an_accompanying_editorial_is_its_own_work_with_its_writer(nlp, text, author):
    study, editorial = cites(nlp, text)
    assert (study.venue, editorial.study_type, editorial.first_author, editorial.venue) == (
        "Quill Medicine", "editorial", author, "Quill Medicine")


def test_a_dated_study_is_not_the_undated_storys_study_of_today(nlp):
    text = ("Tai chi may ease back pain, a small new study shows. Doctors randomly assigned 66 patients to a class, "
            "according to a study in today's Quill Journal. A study in 2007 from the National Quill Institute found "
            "that 2 million adults had tried it.")
    assert [h.year for h in cites(nlp, text)] == [None, 2007]


def test_findings_presented_at_a_meeting_then_published_in_a_journal_are_one_work(nlp):
    text = ("Roe was the lead author of new headache guidelines presented Monday at the annual meeting of the Quill "
            "Academy of Neurology in Boston. Most patients improved.\n\nThe guidelines will be published in Tuesday's "
            "edition of the journal Quill Neurology.")
    [hit] = cites(nlp, text)
    assert (hit.venue, [m.text[:9] for m in hit.mentions]) == ("Quill Neurology", ["presented"])


def test_a_design_the_work_is_said_not_to_be_is_not_its_type(nlp):
    text = ("The study, published in the Quill Journal of Addiction, surveyed 600 people. It is based on an online "
            "survey, not the kind of randomized trial that is the gold standard.")
    [hit] = cites(nlp, text)
    assert hit.study_type == "survey"


@pytest.mark.parametrize(("aside", "first"), [
    # a job title at an institution is no authorship: the team's head named by "headed by" is the first author
    ("a senior investigator at Quilby Health Research Institute", "Cherkin"),
    # ... but the study's senior author is its last author, never its first
    ("the senior author", None),
])
def test_a_senior_investigator_at_an_institution_is_a_job_title(nlp, aside, first):
    text = (
        "Now, a study in the July 5 issue of the Annals of Internal Medicine shows that massage eases back pain.\n\n"
        f"Researchers headed by epidemiologist Daniel Cherkin, {aside}, enrolled 401 people with back pain."
    )
    assert [(h.venue, h.first_author) for h in cites(nlp, text)] == [("Annals of Internal Medicine", first)]


@pytest.mark.parametrize("written", ["Dr. Gert Quorvath", "Gert Quorvath, a chiropractor,"])
def test_and_colleagues_names_the_first_author_the_tagger_missed(nlp, written):
    # an unusual surname opening a sentence is often no PERSON to the tagger; the article names it elsewhere
    text = (
        "Spinal manipulation eased neck pain, according to a trial published in the Quill Journal of Medicine. "
        f"The trial was run by {written} at a clinic in Quillton.\n\n"
        "Quorvath and colleagues compared manipulation with medication in 272 adults."
    )
    assert [h.first_author for h in cites(nlp, text)] == ["Quorvath"]
    # a capitalised word before the cue that the article never writes as a name names no one
    plain = text.replace(f"by {written} at", "at")
    assert [h.first_author for h in cites(nlp, plain)] == [None]


@pytest.mark.parametrize(
    ("text", "venue"),
    [
        (
            (
                "Meditation may help, according to a new article published in an early online version of the "
                "Journal of Quill's Disease."
            ),
            "Journal of Quill's Disease",
        ),
        # a publisher's possessive before its journal is not part of the journal's name
        ("The trial was published in the Quill Thoracic Society's Quillby Journal of Lungs.", "Quillby Journal of Lungs"),
    ],
)
def test_an_online_version_and_a_possessive_inside_a_journals_name(nlp, text, venue):
    assert [h.venue for h in cites(nlp, text)] == [venue]


def test_a_research_word_inside_a_foundations_name_is_no_lone_study(nlp):
    text = ('"We have studied memory for 20 years," said Dr. Ann Roe, president of the Quill Research and Prevention '
            "Foundation.\n\nThe study found that memory improved.")
    assert [h.text for h in cites(nlp, text)] == ["The study"]
    assert cites(nlp, text.split("\n\n")[0]) == []


@pytest.mark.parametrize(
    "text,expected",
    [
        # research credited to a named person is that person's work, beside the story's study
        (
            "Research by Ann Quillby, a professor of medicine at Zorb University, has found that some people sleep less.",
            [("Research by Ann Quillby, a professor of medicine at Zorb University", "Quillby", None)],
        ),
        (
            ("A study published in the journal Quill Gut found that sugars matter. Research by Ann Quillby has found that some "
            "people sleep less."),
            [("A study published in the journal Quill Gut", None, "Quill Gut"), ("Research by Ann Quillby", "Quillby", None)],
        ),
        # the person after "by" writes the work whose venue follows
        (
            "A study by Ann Quillby, published in the journal Quill Gut, has found that some people sleep less.",
            [("A study by Ann Quillby, published in the journal Quill Gut", "Quillby", "Quill Gut")],
        ),
        # "the same journal" is the venue named before; "another" sets the work apart
        (
            ("One randomized controlled trial published in the Annals of Quill Medicine found that yoga eased pain. "
            "Another study in the same journal showed that yoga improved sleep."),
            [
                ("One randomized controlled trial published in the Annals of Quill Medicine", None, "Annals of Quill Medicine"),
                ("Another study in the same journal", None, "Annals of Quill Medicine"),
            ],
        ),
        (
            ("A trial published in the Annals of Quill Medicine found that yoga eased pain. Another study, published in "
            "the Annals of Quill Medicine in 2012, showed that yoga improved sleep."),
            [
                ("A trial published in the Annals of Quill Medicine", None, "Annals of Quill Medicine"),
                ("Another study, published in the Annals of Quill Medicine in 2012", None, "Annals of Quill Medicine"),
            ],
        ),
    ],
)
def test_research_by_a_person_and_another_study_in_the_same_journal(nlp, text, expected):
    assert [(h.text, h.first_author, h.venue) for h in cites(nlp, text)] == expected


def test_a_later_mention_past_an_aside_study_is_the_storys(nlp):
    text = (
        "The trial, published Wednesday in the journal Quill Eyes, regrew lenses in 12 babies.\n\n"
        "She noted a second study in Quill Eyes that used grown tissue to treat corneas.\n\n"
        "Other experts saw great promise in the research."
    )
    hits = cites(nlp, text)
    assert [h.text for h in hits] == ["The trial, published Wednesday in the journal Quill Eyes", "a second study in Quill Eyes"]
    mentions = {h.text: [m.text for m in h.mentions] for h in hits}
    assert "the research" in mentions["The trial, published Wednesday in the journal Quill Eyes"]
    assert "the research" not in mentions["a second study in Quill Eyes"]


def test_a_sidebars_source_line_names_its_bodies(nlp):
    text = "Migraines affect one in seven adults.\n\nSources: Quill Migraine Foundation; Zorb Clinic\n"
    assert [(h.text, h.venue) for h in cites(nlp, text)] == [
        ("Quill Migraine Foundation", "Quill Migraine Foundation"),
        ("Zorb Clinic", "Zorb Clinic"),
    ]
    # a person is no body
    assert cites(nlp, "It helps.\n\nSource: Ann Roe, an interview with the author\n") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "this one" stands for the study; the year of its publishing verb dates it
        (
            ("Still another study, this one financed by the Quill Institutes of Health and published in 2004, found that "
             "acupuncture eased knee pain."),
            [("another study, this one financed by the Quill Institutes of Health and published in 2004", 2004)],
        ),
        (
            "A third trial, sponsored by the Zorb Foundation and published in 2011, found no effect.",
            [("A third trial, sponsored by the Zorb Foundation and published in 2011", 2011)],
        ),
    ],
)
def test_a_study_funded_by_a_body_and_published_in_a_year(nlp, text, expected):
    assert [(h.text, h.year) for h in cites(nlp, text)] == expected


def test_bulleted_reference_lines_with_initials_and_no_commas_between_authors(nlp):
    text = (
        "Red berries eased insulin response.\n\n"
        "* Quillby, D. Zorn, Y. Park, E. and Roe-Marsh, B. Red Berries and Insulin Action. The Quill Journal, "
        "April 2017, vol. 31 no. 1 Supplement 973.9.\n"
        "* Zorn, L. Quillby, D. and Roe-Marsh, B. The Effect of Red Berries on Satiety. The Quill Journal, "
        "April 2017, vol. 31 no. 1 Supplement 794.8.\n"
    )
    assert [(h.first_author, h.year, h.venue) for h in cites(nlp, text)] == [
        ("Quillby", 2017, "The Quill Journal"),
        ("Zorn", 2017, "The Quill Journal"),
    ]


def test_a_vancouver_list_run_together_after_page_ranges(nlp):
    # the text extractor lost the list's line breaks: each entry starts after the previous one's pages
    text = (
        "References\n\nQuillby TE, Hodge DO, Herges RM, et al. Trends in heart failure with preserved ejection fraction. "
        "Quill Med J. 2006;355:251-259. Zorn VL, Weston SA, Redfield MM, et al. Trends in heart failure incidence. "
        "Quill J. 2004;292:344-350 Levanto D, Kenchaiah S, Larson MG, et al. Long term trends in heart failure. "
        "Quill Med J. 2002;347(18):1397-1422. Weir LM, Pfuntner A, Allen LA , et al. Facts and figures on hospital "
        "care, 2009. Rockville, MD : Agency for Healthcare Research and Quality, 2011.\n"
    )
    assert [(h.first_author, h.year) for h in cites(nlp, text)] == [
        ("Quillby", 2006), ("Zorn", 2004), ("Levanto", 2002), ("Weir", 2009),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Its update appeared in the Journal of the Quill College of Cardiology (2016), online.",
        "The figures come from the Agency for Healthcare Research and Quality, 2011.",
    ],
)
def test_the_last_words_of_a_longer_name_are_no_author(nlp, text):
    assert [h.first_author for h in cites(nlp, text) if h.kind == "author_year"] == []


def test_an_author_year_citation_opening_a_sentence_is_kept(nlp):
    hits = cites(nlp, "It works. In Quillby et al. (2019) the effect was large. As Roe and Zorn, 2011 showed, it lasts.")
    assert [(h.first_author, h.year) for h in hits] == [("Quillby", 2019), ("Roe", 2011)]


@pytest.mark.parametrize(
    ("text", "author"),
    [
        (("A study published Monday in Quill Pediatrics found that teens slept less. \"It matters,\" said study author "
         "Marc Zorbsky, a surgeon at Quill Children's Hospital."), "Zorbsky"),
        # one of several authors: not surely the first
        (("A study published Monday in Quill Pediatrics found that teens slept less. \"It matters,\" said Rachel Zorbsky, "
         "a study author and professor at Quill University."), None),
    ],
)
def test_the_study_author_a_story_names_is_its_first_author(nlp, text, author):
    assert [h.first_author for h in cites(nlp, text)] == [author]


def test_an_unrelated_study_published_this_week_is_not_the_storys(nlp):
    text = (
        "WEDNESDAY, July 6, 2011 -- For people with back pain, no therapy is best, a new study suggests.\n\n"
        "\"No single therapy is better than another,\" said study author Sidney Quillstein, a fellow at Zorb University.\n\n"
        "The study was recently published in the journal Quill Spine.\n\n"
        "An unrelated study of 401 patients with back pain, published July 5 in Annals of Quill Medicine, found that "
        "yoga helped."
    )
    hits = cites(nlp, text)
    assert [(h.venue, h.first_author) for h in hits] == [("Quill Spine", "Quillstein"), ("Annals of Quill Medicine", None)]
    assert "a new study" in [m.text for m in hits[0].mentions]


def test_a_hyphenated_given_name_leaves_the_surname_the_first_author(nlp):
    # the tagger ends the name at "Jean-Yves"; the surname after it is the author
    text = (
        "Dr. Jean-Luc Regenster of Zorb State University in Belgium and colleagues tested the supplement, "
        "according to the report in Annals of the Quill Diseases."
    )
    assert [h.first_author for h in cites(nlp, text)] == ["Regenster"]


def test_an_editorial_named_by_its_quoted_title_and_writer(nlp):
    text = (
        "A study published Tuesday in Quill Medicine found that ibuprofen worked as well as opioids. "
        "The editorial, \u201cOpioid vs Nonopioid Pain Care in the Emergency Room,\u201d by Demetrios Quillou, MD, "
        "is also available."
    )
    hits = cites(nlp, text)
    assert [(h.text, h.first_author, h.study_type) for h in hits[1:]] == [
        ("The editorial, \u201cOpioid vs Nonopioid Pain Care in the Emergency Room,\u201d", "Quillou", "editorial")
    ]
