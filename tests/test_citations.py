"""Tests of the healthclaims_citations component: kinds, fields, merging and negatives."""

from __future__ import annotations

import pytest

from healthclaims.components.citations.data import CitationRule, expand_first
from healthclaims.resources import ResourceError, load_jsonl
from citation_helpers import cites




def test_sample_gives_the_two_gold_citations(sample_doc):
    hits = sample_doc._.hc_citations
    assert [(h.start, h.end, h.text, h.kind) for h in hits] == [
        (473, 491, "Kumar et al., 2013", "author_year"),
        (1088, 1108, "Cherkin et al., 2009", "author_year"),
    ]
    kumar, cherkin = hits
    assert (kumar.first_author, kumar.et_al, kumar.year) == ("Kumar", True, 2013)
    assert kumar.venue == "International Journal of General Medicine"
    assert kumar.study_type == "systematic review"
    assert kumar.query == (
        'Kumar[au] AND 2013[dp] AND "International Journal of General Medicine"[journal] AND "systematic review"[pt]'
    )
    assert (cherkin.first_author, cherkin.et_al, cherkin.year, cherkin.venue) == ("Cherkin", True, 2009, None)
    assert cherkin.query == "Cherkin[au] AND 2009[dp]"


KINDS = [
    ("Massage eased pain in one trial (Smith and Jones, 2019).", "Smith and Jones, 2019", "author_year", "Smith", 2019),
    ("Lee et al. (2017) found that yoga improved balance.", "Lee et al. (2017)", "author_year", "Lee", 2017),
    ("As Park & Cho 2018 reported, stretching helped.", "Park & Cho 2018", "author_year", "Park", 2018),
    ("Two reviews agree (Ng et al., 2015; Ortiz, 2016).", "Ng et al., 2015", "author_year", "Ng", 2015),
    ("Acupuncture reduced pain in two trials [3].", "[3]", "numeric", None, None),
    ("Earlier work disagrees [1-4].", "[1-4]", "numeric", None, None),
    ("The paper is at doi:10.1001/jama.2019.1234 for anyone.", "doi:10.1001/jama.2019.1234", "doi", None, None),
    ("See PMID: 23456789 for the abstract.", "PMID: 23456789", "pmid", None, None),
    (
        "Read it at https://pubmed.ncbi.nlm.nih.gov/23456789/ today.",
        "https://pubmed.ncbi.nlm.nih.gov/23456789/",
        "url",
        None,
        None,
    ),
    (
        "1. Doe J, Roe R, et al. Yoga for neck pain. Spine. 2016;41:1-8.",
        "Doe J, Roe R, et al. Yoga for neck pain. Spine. 2016;41:1-8.",
        "numeric",
        "Doe",
        2016,
    ),
    (
        "Walking helped, according to a 2019 Cochrane review of the evidence.",
        "a 2019 Cochrane review of the evidence",
        "prose",
        None,
        2019,
    ),
    (
        "SOURCE: bit.ly/xYz12 The Lancet, online March 3, 2015.",
        "bit.ly/xYz12 The Lancet, online March 3, 2015",
        "url",
        None,
        2015,
    ),
]


@pytest.mark.parametrize(("text", "span", "kind", "author", "year"), KINDS)
def test_each_kind(nlp, text, span, kind, author, year):
    hits = cites(nlp, text)
    assert hits, text
    hit = hits[0]
    assert (hit.text, hit.kind, hit.first_author, hit.year) == (span, kind, author, year)
    assert hit.rule


def test_identifiers_build_exact_queries(nlp):
    doi, pmid = cites(nlp, "See doi:10.1001/jama.2019.1234 and PMID: 23456789 here.")
    assert (doi.doi, doi.query) == ("10.1001/jama.2019.1234", "10.1001/jama.2019.1234[doi]")
    assert (pmid.pmid, pmid.query) == ("23456789", "23456789[pmid]")


PROSE = [
    # (text, span, venue, year, study_type)
    (
        "The findings were published Wednesday in the journal Pediatrics.",
        "published Wednesday in the journal Pediatrics",
        "Pediatrics",
        None,
        None,
    ),
    (
        "A trial of 300 adults published in the Scandinavian Journal of Pain Medicine found no benefit.",
        "A trial of 300 adults published in the Scandinavian Journal of Pain Medicine",
        "Scandinavian Journal of Pain Medicine",
        None,
        None,
    ),
    (
        "Results of the study appear in the March issue of Obstetrics & Gynecology.",
        "appear in the March issue of Obstetrics & Gynecology",
        "Obstetrics & Gynecology",
        None,
        None,
    ),
    (
        "In a 2012 study published in The New England Journal of Medicine, patients were randomly assigned to surgery.",
        "a 2012 study published in The New England Journal of Medicine",
        "The New England Journal of Medicine",
        2012,
        "randomized controlled trial",
    ),
    (
        "Her team's analysis was published in Brain Research Bulletin in 2014.",
        "Her team's analysis was published in Brain Research Bulletin in 2014",
        "Brain Research Bulletin",
        2014,
        None,
    ),
    (
        "The data were presented at the annual meeting of the American Academy of Neurology.",
        "presented at the annual meeting of the American Academy of Neurology",
        "annual meeting of the American Academy of Neurology",
        None,
        None,
    ),
    (
        "About 1 in 8 women will get the disease, according to the American Cancer Society.",
        "according to the American Cancer Society",
        "American Cancer Society",
        None,
        None,
    ),
]


@pytest.mark.parametrize(("text", "span", "venue", "year", "study_type"), PROSE)
def test_prose_citations_name_their_venue(nlp, text, span, venue, year, study_type):
    hits = cites(nlp, text)
    assert len(hits) == 1, [h.text for h in hits]
    hit = hits[0]
    assert (hit.text, hit.kind, hit.venue, hit.year, hit.study_type) == (span, "prose", venue, year, study_type)


HEALTHDAY = (
    "Yoga Eases Neck Pain\n\n"
    "TUESDAY, May 5, 2015 (HealthDay News) -- Yoga may ease chronic neck pain, a new study suggests.\n\n"
    "Researchers randomly assigned 120 adults to yoga classes or to usual care, said lead researcher "
    "Dr. Maria Gonzalez, of the University of Texas.\n\n"
    "The study found that pain fell by a third in the yoga group.\n\n"
    "The report was published online May 5 in JAMA Internal Medicine.\n"
)


def test_one_work_many_mentions_with_implied_fields(nlp):
    hits = cites(nlp, HEALTHDAY)
    assert len(hits) == 1
    hit = hits[0]
    assert hit.text == "The report was published online May 5 in JAMA Internal Medicine"
    assert (hit.venue, hit.year, hit.first_author) == ("JAMA Internal Medicine", 2015, "Gonzalez")
    assert hit.study_type == "randomized controlled trial"
    assert hit.query == (
        'Gonzalez[au] AND 2015[dp] AND "JAMA Internal Medicine"[journal] AND "randomized controlled trial"[pt]'
    )
    mentioned = {m.text for m in hit.mentions}
    assert {"a new study", "The study"} <= mentioned


def test_no_dateline_no_implied_year(nlp):
    hits = cites(nlp, "The report was published online May 5 in JAMA Internal Medicine.")
    assert [(h.venue, h.year) for h in hits] == [("JAMA Internal Medicine", None)]


def test_editorial_is_a_separate_work(nlp):
    text = (
        "The trial was published Monday in the journal Circulation. "
        '"It is a careful study," said Dr. Paul Reyes, who wrote an editorial published with the study.'
    )
    study, editorial = cites(nlp, text)
    assert study.venue == "Circulation"
    assert (editorial.text, editorial.study_type, editorial.first_author, editorial.venue) == (
        "an editorial published with the study",
        "editorial",
        "Reyes",
        "Circulation",
    )


NEGATIVES = [
    "Research shows that regular exercise lowers blood pressure.",
    "Studies suggest that sleep matters for memory.",
    "Experts say yoga is safe for most people.",
    '"It helps," said Dr. Ann Lee, a professor of medicine at Harvard Medical School.',
    "She is an editor of the New England Journal of Medicine.",
    "Watch the video at https://youtu.be/abc123 to see the stretch.",
    "Cancer patients in the study were given massage in March.",
    "The clinic is in Boston, according to the researchers.",
    "By Jane Smith, HealthDay Reporter",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_citations(nlp, text):
    assert cites(nlp, text) == []


def test_organisation_sources_can_be_switched_off():
    from healthclaims.nlp import load_pipeline

    nlp = load_pipeline(config={"healthclaims_citations": {"organisation_sources": False}})
    assert nlp("Most cases are mild, according to the American Cancer Society.")._.hc_citations == []


def test_expand_first_splits_leading_word_sets():
    pattern = [{"LOWER": {"IN": ["a", "an"]}}, {"LOWER": "study"}]
    assert expand_first(pattern) == [[{"LOWER": "a"}, {"LOWER": "study"}], [{"LOWER": "an"}, {"LOWER": "study"}]]
    assert expand_first([{"POS": "NOUN"}]) == [[{"POS": "NOUN"}]]


def test_bad_rule_line_names_file_and_line(tmp_path):
    path = tmp_path / "rules.jsonl"
    path.write_text('# comment\n{"id": "x", "label": "DOI", "regex": "(", "words": ["a"]}\n', encoding="utf-8")
    with pytest.raises(ResourceError, match=r"rules.jsonl:2"):
        load_jsonl(path, CitationRule)


# --- causes of errors found on unseen health news (each row a sentence written for the test) ---

MEETINGS = [
    # (text, span, venue, year)
    (
        "The team will present the data on Friday Oct. 3, 2014 at the 2014 ASA/ESA Annual Meeting in Denver.",
        "present the data on Friday Oct. 3, 2014 at the 2014 ASA/ESA Annual Meeting",
        "2014 ASA/ESA Annual Meeting",
        2014,
    ),
    (
        "The trial was a late-breaking presentation at the Frontiers in Parkinson's Care (FPC) congress.",
        "presentation at the Frontiers in Parkinson's Care (FPC) congress",
        "Frontiers in Parkinson's Care (FPC) congress",
        None,
    ),
    (
        "Earlier work presented at last year's ORS Annual Meeting showed a higher risk.",
        "presented at last year's ORS Annual Meeting",
        "ORS Annual Meeting",
        None,
    ),
]


@pytest.mark.parametrize(("text", "span", "venue", "year"), MEETINGS)
def test_meetings_across_dates_possessives_and_acronyms(nlp, text, span, venue, year):
    hits = cites(nlp, text)
    assert [(h.text, h.venue, h.year) for h in hits] == [(span, venue, year)]


NOT_CITATIONS_EITHER = [
    "The results were presented at Stanford University last week.",
    "She presented the findings to colleagues at the Mount Sinai Hospital.",
    "The Chicago Tribune reported that many runners use the brace.",
    "According to the New York Times, the clinic closed in May.",
    "Acme Pharmaceuticals reported that the pill cut pain by half.",
    "Sales of the device rose sharply (March, 2015).",
    "It was described in the Best Practice Guide at the clinic.",
]


@pytest.mark.parametrize("text", NOT_CITATIONS_EITHER)
def test_places_outlets_companies_and_dates_are_not_citations(nlp, text):
    assert cites(nlp, text) == []


FIELDS = [
    # (text, span, venue, first_author)
    (
        "Researchers from the institute publishing in the Scandinavian Journal of Pain found the drug was underused.",
        "in the Scandinavian Journal of Pain",
        "Scandinavian Journal of Pain",
        None,
    ),
    (
        "The study appears in the journal Pain Medicine, said lead study author Dr. Maria Olsen of Oslo University.",
        "The study appears in the journal Pain Medicine",
        "Pain Medicine",
        "Olsen",
    ),
    (
        (
            'The trial was published in BMJ Open. "It works," said Dr. Ann Lee, the co-lead researcher and ACME '
            "senior economist. Tom Berg, first author of the paper, agreed."
        ),
        "The trial was published in BMJ Open",
        "BMJ Open",
        "Berg",
    ),
    (
        "The work was published May 3 in Scientific Reports.",
        "published May 3 in Scientific Reports",
        "Scientific Reports",
        None,
    ),
    ("The trial was published in PLOS ONE on Aug. 4.", "The trial was published in PLOS ONE", "PLOS ONE", None),
]


@pytest.mark.parametrize(("text", "span", "venue", "author"), FIELDS)
def test_verbs_cues_and_venue_names(nlp, text, span, venue, author):
    hits = cites(nlp, text)
    assert [(h.text, h.venue, h.first_author) for h in hits] == [(span, venue, author)]


def test_same_reference_number_is_one_work(nlp):
    hits = cites(
        nlp, "About 5 million adults have the disease [2]. The number may double by 2050 [2]. Care costs rose [3]."
    )
    assert [(h.text, len(h.mentions)) for h in hits] == [("[2]", 1), ("[3]", 0)]


def test_lone_doi_fills_the_main_study(nlp):
    text = (
        "A new study published in the April 2016 issue of the Journal of Hand Therapy found that splints helped.\n\n"
        "The study had 80 patients.\n\n###\n\nThe full reference is doi:10.1016/j.jht.2016.01.002"
    )
    (hit,) = cites(nlp, text)
    # the DOI is the work's most specific mention (ANNOTATION.md): it gives the span, the prose the fields
    assert hit.text == "doi:10.1016/j.jht.2016.01.002"
    assert hit.mentions[0].text.startswith("A new study published in the April 2016 issue")
    assert (hit.venue, hit.year, hit.doi) == ("Journal of Hand Therapy", 2016, "10.1016/j.jht.2016.01.002")
    assert hit.query == "10.1016/j.jht.2016.01.002[doi]"


SEPARATE_WORKS = [
    (
        "Another study, published last year in the Journal of the American Medical Association, found benefit. "
        "One 2014 JAMA study found fewer deaths."
    ),
    (
        "A 2010 study in the journal Pediatrics found that sleep fell. Another study, published in Pediatrics in 2015, "
        "found the opposite."
    ),
    "A study in the Journal of Pain found relief. A second trial, published in the Journal of Pain, found none.",
]


@pytest.mark.parametrize("text", SEPARATE_WORKS)
def test_two_studies_in_one_journal_stay_two(nlp, text):
    assert len(cites(nlp, text)) == 2


SAME_WORK = [
    # (text, span of the one citation)
    (
        (
            "Dr. Kay will present the results Monday at the European Stroke Conference in Nice; the study will appear "
            "online in the New England Journal of Medicine at the same time."
        ),
        "the study will appear online in the New England Journal of Medicine",
    ),
    (
        (
            "The data were presented in Denver at the annual meeting of the Pacific Spine Research Society. In all, the "
            "team presented three posters at the PSRS meeting."
        ),
        "presented in Denver at the annual meeting of the Pacific Spine Research Society",
    ),
    (
        (
            "The trial was published in the Journal of Pain Research.\n\nReference:\n\n"
            "Okafor BN, Lindqvist E, Van Dijk J, et al. Green tea and joint pain: a pilot trial. "
            "Journal of Pain Research. 2016;9:101-109."
        ),
        (
            "Okafor BN, Lindqvist E, Van Dijk J, et al. Green tea and joint pain: a pilot trial. "
            "Journal of Pain Research. 2016;9:101-109."
        ),
    ),
]


@pytest.mark.parametrize(("text", "span"), SAME_WORK)
def test_mentions_of_one_work_merge(nlp, text, span):
    hits = cites(nlp, text)
    assert [h.text for h in hits] == [span]
    assert hits[0].mentions


def test_reference_entry_fields(nlp):
    (hit,) = cites(
        nlp,
        "Okafor BN, Lindqvist E, Van Dijk J, et al. Green tea and joint pain. Journal of Pain Research. 2016;9:101-9.",
    )
    assert (hit.first_author, hit.et_al, hit.year, hit.venue) == ("Okafor", True, 2016, "Journal of Pain Research")


def test_source_line_with_journal_on_the_next_line(nlp):
    text = (
        "The study appeared in the Journal of Pain.\n\nSOURCE: bit.ly/abc123\n\nJournal of Pain, online May 3, 2014.\n"
    )
    (hit,) = cites(nlp, text)
    assert (hit.kind, hit.venue, hit.year) == ("url", "Journal of Pain", 2014)
    assert hit.text == "bit.ly/abc123\n\nJournal of Pain, online May 3, 2014"


def test_a_study_published_earlier_this_month_is_another_work(nlp):
    text = (
        "The new trial was published Monday in the journal Pain Medicine. A study published earlier this month "
        "of 70 active-duty soldiers found that daily stretching eased back pain."
    )
    hits = cites(nlp, text)
    assert [h.text for h in hits] == [
        "The new trial was published Monday in the journal Pain Medicine",
        "A study published earlier this month of 70 active-duty soldiers",
    ]


def test_a_known_journal_inside_a_dated_study(nlp):
    (hit,) = cites(nlp, "A 2011 review of trials by the Cochrane Library found that heat wraps helped.")
    assert (hit.text, hit.year, hit.venue) == (
        "A 2011 review of trials by the Cochrane Library",
        2011,
        "Cochrane Library",
    )


def test_a_dated_venue_modifier_keeps_its_year(nlp):
    (hit,) = cites(nlp, "Critics cite one 2014 JAMA study of state laws.")
    assert (hit.text, hit.venue, hit.year) == ("one 2014 JAMA study", "JAMA", 2014)
