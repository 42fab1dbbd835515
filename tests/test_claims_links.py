"""Tests for claim citation linking on hand-built Docs (no statistical model): own citations, study
references resolved to the nearest cited work, adjacent sentences, and cohort continuation."""

from __future__ import annotations

from dataclasses import replace

import pytest
from healthclaims.components.claims.links import LinkInput, explicit_citations, link_citations, nearest_citation
from healthclaims.components.claims.rules import ClaimRule, RuleHit
from healthclaims.components.common import doc_index
from healthclaims.types import CitationHit, Mention
from spacy.tokens import Doc
from spacy.vocab import Vocab


def build(paragraphs: list[list[str]]) -> Doc:
    """A Doc of sentences (words split on spaces), paragraphs separated by a blank line."""
    words, spaces, starts = [], [], []
    for p, sentences in enumerate(paragraphs):
        for s, sentence in enumerate(sentences):
            tokens = sentence.split()
            for t, token in enumerate(tokens):
                words.append(token)
                starts.append(t == 0)
                spaces.append(True)
            if s == len(sentences) - 1 and p < len(paragraphs) - 1:
                words.append("\n\n")
                starts.append(False)
                spaces.append(False)
    spaces[-1] = False
    return Doc(Vocab(), words=words, spaces=spaces, sent_starts=starts)


def cite(doc: Doc, piece: str, mentions: tuple[str, ...] = (), year: int | None = 2021) -> CitationHit:
    start = doc.text.index(piece)
    found = [Mention.of(doc.text, doc.text.index(m), doc.text.index(m) + len(m)) for m in mentions]
    return CitationHit(start, start + len(piece), piece, "author_year", year=year, mentions=found)


def hits(doc: Doc, marks: dict[str, str], fields: dict[str, dict] | None = None) -> dict[int, list[RuleHit]]:
    """Rule hits by sentence: ``{phrase: label}``, each phrase matched at its first occurrence."""
    index = doc_index(doc)
    found: dict[int, list[RuleHit]] = {}
    for phrase, label in marks.items():
        char = doc.text.index(phrase)
        span = doc.char_span(char, char + len(phrase))
        rule = ClaimRule(id=f"{label}:test", label=label, pattern=phrase, **(fields or {}).get(phrase, {}))
        found.setdefault(index.sent_of_token(span.start), []).append(
            RuleHit(rule.id, label, 0.5, span.start, span.end, rule)
        )
    return found


def links(
    doc: Doc, citations: list[CitationHit], marks: dict[str, str], fields=None, speakers=None, groups=frozenset()
) -> list[list[int]]:
    index = doc_index(doc)
    return link_citations(
        LinkInput(index.sents, index.sent_para, hits(doc, marks, fields), citations, speakers or [], groups)
    )


def test_paragraphs_of_a_hand_built_doc():
    doc = build([["A b c .", "D e f ."], ["G h i ."]])
    assert doc_index(doc).sent_para == [0, 0, 1]


def test_own_citation_and_adjacent_sentence_of_the_same_paragraph():
    doc = build([["Yoga helped ( Okafor 2021 ) .", "Pain fell too ."], ["Massage is popular ."]])
    citations = [cite(doc, "Okafor 2021")]
    assert links(doc, citations, {}) == [[0], [0], []]


def test_nearest_citation_lookup_picks_the_study_last_mentioned():
    doc = build(
        [
            ["Yoga helped ( Okafor 2021 ) ."],
            ["Tai chi helped ( Lee 2019 ) ."],
            ["Massage is popular ."],
            ["The authors proposed a mechanism ."],
        ]
    )
    citations = [cite(doc, "Okafor 2021"), cite(doc, "Lee 2019")]
    # "the authors" two paragraphs later points to Lee, the study last cited, not to the first one.
    assert links(doc, citations, {"The authors": "study_ref"})[3] == [1]


def test_nearest_citation_looks_forward_when_nothing_was_cited_before():
    sent_cites = [set(), set(), {2}, {0}]
    assert nearest_citation(0, sent_cites) == 2
    assert nearest_citation(3, sent_cites) == 2


def test_cohort_continuation_across_paragraphs():
    doc = build(
        [
            ["Yoga cut pain ( Okafor 2021 ) .", "Pain fell by half ."],
            ["The placebo group improved less ."],
            ["Massage is popular ."],
        ]
    )
    citations = [cite(doc, "Okafor 2021")]
    linked = links(doc, citations, {"The placebo group": "cohort_ref"})
    assert linked[2] == [0]  # the study's groups continue its results in a new paragraph
    assert linked[3] == []  # a new paragraph about something else does not


def test_vague_source_breaks_the_chain():
    doc = build([["Yoga cut pain ( Okafor 2021 ) .", "Pain fell by half .", "Studies show massage helps .", "It helps sleep ."]])
    citations = [cite(doc, "Okafor 2021")]
    linked = links(doc, citations, {"Studies show": "vague_source"})
    assert linked == [[0], [0], [], []]


def test_outside_reference_is_not_the_claims_source():
    doc = build([["Yoga cut pain ( Okafor 2021 ) ."], ["Massage is popular ."], ["Smith , not involved in the study , said it works ."]])
    citations = [cite(doc, "Okafor 2021")]
    linked = links(doc, citations, {"the study": "study_ref", "not involved": "outside"})
    assert linked[2] == []


def test_mentions_count_as_the_sentences_own_citation():
    doc = build([["A new trial found benefits ."], ["Nothing here ."], ["It appeared in ( Okafor 2021 ) ."]])
    citations = [cite(doc, "Okafor 2021", mentions=("A new trial",))]
    assert explicit_citations(doc_index(doc).sents, citations) == [{0}, set(), {0}]
    assert explicit_citations(doc_index(doc).sents, citations, mentions=False) == [set(), set(), {0}]


def test_no_citations_links_nothing():
    doc = build([["The authors found benefits ."]])
    assert links(doc, [], {"The authors": "study_ref"}) == [[]]


@pytest.mark.parametrize("label", ["study_ref", "cohort_ref"])
def test_links_need_a_cited_study(label):
    doc = build([["Massage is popular ."], ["The authors found benefits ."]])
    assert links(doc, [], {"The authors": label}) == [[], []]


def test_the_study_stays_the_topic_across_paragraphs_until_another_is_introduced():
    doc = build(
        [
            ["Yoga helped ( Okafor 2021 ) ."],
            ["Massage is popular ."],
            ["The UK study also measured sleep ."],
            ["Tai chi helped ( Lee 2019 ) ."],
            ["The researchers saw gains ."],
        ]
    )
    citations = [cite(doc, "Okafor 2021"), cite(doc, "Lee 2019", year=2019)]
    linked = links(doc, citations, {"The UK study": "study_ref", "The researchers": "study_ref"})
    assert linked[2] == [0]
    assert linked[4] == [1]


def test_a_new_study_points_to_the_work_cited_next():
    doc = build([["Yoga helped ( Okafor 2021 ) ."], ["A new study says tai chi helps ."], ["It appeared in ( Lee 2019 ) ."]])
    citations = [cite(doc, "Okafor 2021"), cite(doc, "Lee 2019", year=2019)]
    marks, fields = {"A new study": "study_ref"}, {"A new study": {"refers": "introduces"}}
    assert links(doc, citations, marks, fields)[1] == [1]


def test_findings_continue_the_study_into_the_next_paragraph_only():
    doc = build(
        [
            ["Yoga cut pain ( Okafor 2021 ) ."],
            ["Pain scores were found to fall ."],
            ["Sleep was found to improve ."],
            ["Massage is popular ."],
            ["Walking was found to help ."],
        ]
    )
    citations = [cite(doc, "Okafor 2021")]
    marks = {"found to fall": "finding", "found to improve": "finding", "found to help": "finding"}
    assert links(doc, citations, marks) == [[0], [0], [0], [], []]


def test_the_lead_authors_surname_keeps_pointing_to_the_study():
    doc = build(
        [
            ["Yoga cut pain ( Okafor 2021 ) , said lead author Ann Okafor ."],
            ["Massage is popular ."],
            ["Pain scores fell by half , Okafor said ."],
            ["Sleep matters a lot , Okafor said ."],
        ]
    )
    citations = [cite(doc, "Okafor 2021")]
    marks = {"lead author": "study_ref", "by half": "statistic"}
    speakers = [{0}, set(), {0}, {0}]
    linked = links(doc, citations, marks, {"lead author": {"person": True}}, speakers)
    assert linked[2] == [0]  # the author reporting a result speaks for the study
    assert linked[3] == []  # the author's background remark does not
    assert links(doc, citations, marks, None, speakers)[2] == []  # only a study's people count


def test_how_common_the_condition_is_stays_background_to_the_study():
    doc = build(
        [
            ["Yoga cut pain ( Okafor 2021 ) , said lead author Ann Okafor ."],
            ["The condition affects 5 percent of adults , Okafor said .", "Most of them are women ."],
            ["Pain scores fell by 5 percent , Okafor said .", "Most of them slept better ."],
        ]
    )
    citations = [cite(doc, "Okafor 2021")]
    marks = {"lead author": "study_ref", "affects": "prevalence", "5 percent of adults": "statistic",
             "fell by 5 percent": "statistic", "Most of them are": "prevalence"}
    speakers = [{0}, {0}, set(), {0}, set()]
    fields = {"lead author": {"person": True}, "affects": {"background": True}}
    linked = links(doc, citations, marks, fields, speakers)
    # the author's figure for how common the condition is, and what follows it, are background
    assert linked[1:3] == [[], []]
    # the author's figure for a result speaks for the study, and the paragraph goes on with it
    assert linked[3:5] == [[0], [0]]
    # "most of them" alone says nothing of a population: without the population cue the figure is the study's
    assert links(doc, citations, marks, {"lead author": {"person": True}}, speakers)[1] == [0]


def test_a_works_first_author_speaks_for_it_once_it_is_cited():
    doc = build(
        [
            ["Pain is common , Okafor writes ."],
            ["A review by Ann Okafor found mixed evidence ."],
            ["Massage is popular ."],
            ["Most trials were small , Okafor wrote ."],
            ["Massage is popular ."],
            ["Most trials were short , Okafor said ."],
        ]
    )
    citations = [cite(doc, "A review by Ann Okafor", year=None)]
    citations[0].first_author = "Okafor"
    index = doc_index(doc)
    marks = hits(
        doc,
        {"Pain is common": "evidence", "Most trials were small": "evidence", "wrote": "reporting",
         "writes": "reporting", "Most trials were short": "evidence"},
        {"wrote": {"writes": True}, "writes": {"writes": True}},
    )
    speakers = [{0}, {0}, set(), {0}, set(), {0}]

    def run(authors):
        return link_citations(LinkInput(index.sents, index.sent_para, marks, citations, speakers, frozenset(), authors))

    linked = run({0: [0]})
    assert linked[3] == [0]  # the review's author reporting on the evidence speaks for the review
    assert linked[0] == []  # not before the review is cited
    assert linked[5] == []  # talking to the reporter, the author may be giving a view, not the review's
    assert run({})[3] == []


def test_findings_not_yet_published_end_the_study_under_discussion():
    doc = build(
        [
            ["Yoga cut pain ( Okafor 2021 ) ."],
            ["She would not reveal the findings before they are published .", "They may show that yoga helps ."],
        ]
    )
    citations = [cite(doc, "Okafor 2021", mentions=("the findings",))]
    marks = {"before they are published": "study_ref"}
    assert links(doc, citations, marks, {"before they are published": {"refers": "uncited"}})[1:3] == [[], []]
    # without the cue, the mention links the sentence and the paragraph goes on with it
    assert links(doc, citations, {})[1:3] == [[0], [0]]


def test_a_group_that_spoke_for_the_study_goes_on_speaking_for_it():
    doc = build(
        [
            ["The study ( Okafor 2021 ) was small , but the authors say it helped ."],
            ["If they are right , they say , cases would halve .", "Walkers gained most ."],
            ["Massage is popular , its fans say ."],
        ]
    )
    citations = [cite(doc, "Okafor 2021")]
    speakers = [{0}, {0}, set(), {1}]
    linked = links(doc, citations, {}, None, speakers, groups=frozenset({0, 1}))
    # "they say" in the next paragraph is the authors' voice, and the paragraph goes on with it
    assert linked[1:3] == [[0], [0]]
    assert linked[3] == []  # a group never named with the study speaks for no study
    assert links(doc, citations, {}, None, speakers)[1] == []  # a person's remark needs a result or a role


def test_an_organisation_source_lends_its_link_to_its_neighbour_but_to_no_chain():
    # ANNOTATION.md: cited = tied to a citation in the same or an adjacent sentence
    doc = build([["Herbs are sold in 40 percent of shops .", "They do not work , according to the Society ."], ["Sales rose 10 percent ."]])
    citations = [cite(doc, "according to the Society", year=None)]
    assert links(doc, citations, {"according to": "reporting", "10 percent": "statistic"}) == [[0], [0], []]
    said = build([["Herbs are sold widely , Lee said .", "They do not work , according to the Society ."]])
    citations = [cite(said, "according to the Society", year=None)]
    assert links(said, citations, {"according to": "reporting", "said": "reporting"}) == [[], [0]]  # Lee's own words


def test_a_mention_inside_research_in_general_is_no_link():
    doc = build([["Yoga cut pain ( Okafor 2021 ) ."], ["Several new studies show cupping helps ."]])
    citations = [cite(doc, "Okafor 2021", mentions=("new studies",))]
    assert links(doc, citations, {"Several new studies": "vague_source"})[1] == []
    assert links(doc, citations, {})[1] == [0]


def test_a_source_outside_the_study_does_not_rely_on_it():
    doc = build([["Yoga cut pain ( Okafor 2021 ) ."], ["Smith , not involved in the study , praised it ."]])
    citations = [cite(doc, "Okafor 2021", mentions=("the study",))]
    assert links(doc, citations, {"not involved": "outside"})[1] == []
    assert links(doc, citations, {})[1] == [0]


def test_an_opinion_inherits_no_link():
    doc = build([["Yoga cut pain ( Okafor 2021 ) .", "My feeling is that it helps ."]])
    citations = [cite(doc, "Okafor 2021")]
    assert links(doc, citations, {"My feeling": "opinion"}) == [[0], []]


def test_a_headline_naming_a_study_is_linked_to_the_study_the_body_introduces():
    doc = build([["Study finds yoga eases pain"], ["Massage is popular ."], ["Yoga cut pain ( Okafor 2021 ) ."]])
    citations = [cite(doc, "Okafor 2021")]
    assert links(doc, citations, {"Study finds": "names_study"})[0] == [0]
    assert links(doc, citations, {})[0] == []  # a headline that names no study is not


def test_a_headline_or_deck_line_is_linked_only_when_it_names_a_study():
    doc = build(
        [
            ["Yoga eases back pain"],
            ["Researchers say the poses help millions"],
            ["Massage is popular .", "Yoga cut pain ( Okafor 2021 ) ."],
        ]
    )
    citations = [cite(doc, "Okafor 2021")]
    # "the researchers" in a line under the headline is no tie to the study: only "study finds" would be
    assert links(doc, citations, {"Researchers say": "study_ref"})[:2] == [[], []]
    named = build([["Yoga eases back pain"], ["Pain eases with yoga , trial shows"], ["Yoga cut pain ( Okafor 2021 ) ."]])
    assert links(named, [cite(named, "Okafor 2021")], {"trial shows": "names_study"})[:2] == [[], [0]]
    # a body sentence (closing punctuation) naming a study is linked as before, not as a headline
    body = build([["Yoga eases back pain"], ["A trial shows yoga helps ."], ["Yoga cut pain ( Okafor 2021 ) ."]])
    assert links(body, [cite(body, "Okafor 2021")], {"Yoga eases": "health"})[1] == []


def test_a_bodys_figures_cover_a_run_of_figure_sentences_but_not_a_general_statement():
    doc = build(
        [
            [
                "Gout affects 9 million adults .",
                "It strikes 3 million women .",
                "It causes 2 percent of visits , according to the Society .",
            ],
            ["Gout can cause severe pain .", "It affects 4 percent of adults , according to the Agency ."],
        ]
    )
    citations = [cite(doc, "according to the Society", year=None), cite(doc, "according to the Agency", year=None)]
    marks = {"according to the Society": "reporting", "according to the Agency": "reporting", "can cause": "safety"}
    linked = links(doc, citations, marks)
    assert linked[:3] == [[0], [0], [0]]  # two sentences of figures before the source are its figures too
    assert linked[3:] == [[], [1]]  # what the condition does, beside the figure, is not the body's


def test_a_general_statement_beside_a_study_sentence_is_background():
    doc = build_tagged(
        [["Walking cut/VBD falls ( Okafor 2021 ) .", "Falls can/MD cause/VB fractures ."]]
    )
    citations = [cite(doc, "Okafor 2021")]
    assert links(doc, citations, {"cause": "mechanism"})[1] == []
    # what a treatment does in general ("Such changes make it a useful marker.") is background too ...
    plain = build_tagged([["Walking cut/VBD falls ( Okafor 2021 ) .", "Walking makes/VBZ bones strong ."]])
    assert links(plain, [cite(plain, "Okafor 2021")], {"strong": "efficacy"})[1] == []
    # ... but a possible benefit beside it ("The combination may be effective.") is the study's conclusion
    assert links(doc, citations, {"cause": "efficacy"})[1] == [0]
    # a result cue, a figure or a past tense keeps it the study's
    assert links(doc, citations, {"cause": "mechanism", "fractures": "cohort_ref"})[1] == [0]


def test_a_study_authors_quoted_view_in_the_present_speaks_for_no_result():
    doc = build_tagged(
        [
            ["Walking cut/VBD falls ( Okafor 2021 ) ."],
            ["“ Falls are/VBP a burden for the old , ” said lead author Ann Okafor ."],
            ["“ Walkers fell/VBD less often , ” said lead author Ann Okafor ."],
            ["“ We show/VBP walking prevents falls , ” said lead author Ann Okafor ."],
        ]
    )
    citations = [cite(doc, "Okafor 2021")]
    fields = {"lead author": {"person": True}}
    speakers = [set(), {0}, {0}, {0}]
    index = doc_index(doc)
    marks = hits(doc, {"lead author": "study_ref"}, fields)
    for i in (2, 3):  # the same cue in the later sentences
        sent = index.sents[i]
        start = next(t.i for t in sent if t.text == "lead")
        marks.setdefault(i, []).append(RuleHit("study_ref:test", "study_ref", 0.5, start, start + 2, marks[1][0].rule))
    linked = link_citations(LinkInput(index.sents, index.sent_para, marks, citations, speakers))
    assert linked[1:] == [[], [0], [0]]


def test_a_study_the_article_does_not_cite_takes_no_link_and_ends_the_topic():
    doc = build(
        [
            ["Yoga cut pain ( Okafor 2021 ) ."],
            ["A recent Canadian study looked at tai chi ."],
            ["The study found gains ."],
        ]
    )
    citations = [cite(doc, "Okafor 2021")]
    marks = {"A recent Canadian study": "study_ref", "The study": "study_ref"}
    fields = {"A recent Canadian study": {"refers": "introduces"}}
    linked = links(doc, citations, marks, fields)
    assert linked[1] == []
    # "the study" is the Canadian one just introduced, not the work cited before it
    assert linked[2] == []


def test_studies_in_the_plural_never_point_to_a_work_named_later():
    doc = build(
        [["Vitamins for all"], ["These studies were small ."], ["Massage is popular ."], ["The study ( Okafor 2021 ) was large ."]]
    )
    citations = [cite(doc, "Okafor 2021")]
    earlier = {"These studies": {"refers": "earlier"}}
    assert links(doc, citations, {"These studies": "study_ref"}, earlier)[1] == []
    # a singular back reference before the work is named still finds it ("the study" in a lede)
    assert links(doc, citations, {"These studies": "study_ref"})[1] == [0]


def test_studies_in_the_plural_point_back_to_the_work_cited_before():
    doc = build([["A review ( Okafor 2021 ) pooled trials ."], ["Massage is popular ."], ["These trials were small ."]])
    citations = [cite(doc, "Okafor 2021")]
    assert links(doc, citations, {"These trials": "study_ref"}, {"These trials": {"refers": "earlier"}})[2] == [0]


def build_tagged(paragraphs: list[list[str]]) -> Doc:
    """Like ``build``, with a fine-grained tag after each word ("had/VBD"); untagged words get none."""
    plain = build([[" ".join(w.split("/")[0] for w in s.split()) for s in p] for p in paragraphs])
    tags = [w.split("/")[1] if "/" in w else "" for p in paragraphs for s in p for w in s.split()]
    words = [t for t in plain if t.text != "\n\n"]
    for token, tag in zip(words, tags, strict=True):
        token.tag_ = tag
    return plain


def test_a_result_in_the_past_tense_keeps_the_study_into_the_next_paragraph():
    doc = build_tagged(
        [
            ["Walking cut/VBD falls ( Okafor 2021 ) ."],
            ["Patients who walked had/VBD 20 percent fewer falls ."],
            ["Those walkers also slept/VBD better , by 30 percent ."],
        ]
    )
    citations = [cite(doc, "Okafor 2021")]
    marks = {"20 percent": "statistic", "30 percent": "statistic"}
    # each result paragraph keeps the study under discussion for the next one
    assert links(doc, citations, marks)[1:] == [[0], [0]]
    # without a figure, comparison or finding, a past-tense sentence is not known to be a result
    assert links(doc, citations, {})[1:] == [[], []]


@pytest.mark.parametrize(
    "sentence",
    [
        "Falls are/VBP common , 20 percent of adults fall .",  # present tense: background
        "In 2010 , falls rose/VBD 20 percent .",  # dated: history or a trend
        "She fell/VBD 20 percent less often .",  # one person: an anecdote
        "Falls may/MD have fallen/VBN 20 percent .",  # a possibility, not a measurement
    ],
)
def test_background_after_a_study_paragraph_takes_no_link(sentence):
    doc = build_tagged([["Walking cut/VBD falls ( Okafor 2021 ) ."], [sentence]])
    citations = [cite(doc, "Okafor 2021")]
    assert links(doc, citations, {"20 percent": "statistic"})[1] == []


def test_a_past_tense_result_does_not_jump_over_an_unlinked_paragraph_or_sentence():
    doc = build_tagged(
        [
            ["Walking cut/VBD falls ( Okafor 2021 ) ."],
            ["Falls are/VBP common ."],
            ["Patients had/VBD 20 percent fewer falls ."],
            ["Gyms are/VBP popular .", "Members had/VBD 30 percent fewer falls ."],
        ]
    )
    citations = [cite(doc, "Okafor 2021")]
    linked = links(doc, citations, {"20 percent": "statistic", "30 percent": "statistic"})
    assert linked[2] == [] and linked[4] == []


def test_an_interviewees_past_tense_figure_is_not_the_studys():
    doc = build_tagged([["Walking cut/VBD falls ( Okafor 2021 ) ."], ["Patients had/VBD 20 percent fewer falls , Roe said ."]])
    citations = [cite(doc, "Okafor 2021")]
    assert links(doc, citations, {"20 percent": "statistic"}, None, [set(), {0}])[1] == []
    assert links(doc, citations, {"20 percent": "statistic"}, None, [set(), set()])[1] == [0]


def test_a_headline_that_repeats_a_lead_sentence_is_not_tied_to_its_citation():
    # ANNOTATION.md: a claim is cited when the article ties it to a citation in the same or an adjacent
    # sentence; a headline (and a line under it) sums up the story, and news gold leaves it uncited
    doc = build([["Walking cuts falls in older adults"], ["Walking cut falls among older adults ( Okafor 2021 ) ."]])
    assert links(doc, [cite(doc, "Okafor 2021")], {})[0] == []
    deck = build(
        [
            ["Leaf extract eases muscle pain"],
            ["Scientists in Spain say it can lessen anxiety too"],
            ["Leaf extract eased muscle pain in rats ( Okafor 2021 ) ."],
        ]
    )
    assert links(deck, [cite(deck, "Okafor 2021")], {})[:2] == [[], []]


def test_a_paraphrase_relies_on_what_the_sentence_it_restates_relied_on():
    doc = build([["Walkers had less pain ( Okafor 2021 ) ."], ["In other words , a walk may be as good as a pill ."]])
    citations = [cite(doc, "Okafor 2021")]
    assert links(doc, citations, {"In other words": "paraphrase"})[1] == [0]
    assert links(doc, citations, {})[1] == []  # a new paragraph is not the study's without the cue


def test_a_study_authors_own_words_on_what_they_saw_speak_for_the_study():
    doc = build_tagged(
        [
            ["Walking cut/VBD falls ( Okafor 2021 ) , said/VBD first author Ann Okafor ."],
            ["Gyms are/VBP popular ."],
            ['" It was/VBD striking to see that walkers kept their balance , " Okafor said .'],
            ["It was/VBD striking to see that walkers kept their balance , Okafor said ."],
        ]
    )
    citations = [cite(doc, "Okafor 2021")]
    speakers = [{0}, set(), {0}, {0}]
    linked = links(doc, citations, {"first author": "study_ref", "balance": "efficacy"}, {"first author": {"person": True}}, speakers)
    assert linked[2] == [0]  # her own words, in the past tense, about the study's outcome
    assert linked[3] == []  # reported in the writer's words, the cue is too weak


def test_a_study_authors_own_recommendation_is_not_the_studys_result():
    doc = build([["Walking cut falls ( Okafor 2021 ) ."], ["Study co-author Ann Lee says she recommends walking daily ."]])
    citations = [cite(doc, "Okafor 2021")]
    fields = {"co-author": {"person": True}}
    assert links(doc, citations, {"co-author": "study_ref", "recommends": "practice"}, fields)[1] == []
    assert links(doc, citations, {"co-author": "study_ref"}, fields)[1] == [0]


def test_a_source_said_to_lack_the_figure_is_not_the_sentences_source():
    doc = build(
        [["Falls doubled , according to the Agency .", "Rates rose 5 percent again ."], ["The Agency does n't break out data , but falls rose ."]]
    )
    citations = [cite(doc, "according to the Agency", mentions=("The Agency",), year=None)]
    marks = {"according to": "reporting"}
    assert links(doc, citations, {**marks, "does n't break out": "no_data"}) == [[0], [0], []]
    assert links(doc, citations, marks)[2] == [0]  # naming the source otherwise is relying on it


def test_research_references_never_point_to_a_figure_attributed_to_a_body():
    doc = build(
        [
            ["Falls doubled , according to the Agency ."],
            ["Massage is popular ."],
            ["The researchers say the cause is unclear ."],
            ["Yoga helped ( Okafor 2021 ) ."],
        ]
    )
    citations = [cite(doc, "according to the Agency", year=None), cite(doc, "Okafor 2021")]
    marks = {"The researchers": "study_ref"}
    # neither the body's figure before it nor, past the lede, a work named later
    assert links(doc, citations, {**marks, "according to": "reporting"})[2] == []
    assert links(doc, citations, marks)[2] == [0]  # a body's own report, not a passing attribution, is a work


def test_a_work_reported_in_a_journal_goes_on_being_reported():
    doc = build_tagged([["Bones grew/VBD denser , as reported/VBN in the Bulletin ."], ["Hips improved/VBD by 5 percent ."]])
    citations = [cite(doc, "reported in the Bulletin", year=None)]
    assert links(doc, citations, {"reported": "reporting", "5 percent": "statistic"})[1] == [0]


def test_a_paragraph_reporting_one_study_does_not_borrow_the_next_sentences_other_study():
    doc = build([["Yoga helped ( Okafor 2021 ) .", "Sleep improved too .", "In another study ( Lee 2019 ) , tai chi helped ."]])
    citations = [cite(doc, "Okafor 2021"), cite(doc, "Lee 2019", year=2019)]
    assert links(doc, citations, {}) == [[0], [0], [1]]
    # with nothing reported before it, a sentence takes the next sentence's citation
    lone = build([["Sleep improved too .", "In another study ( Lee 2019 ) , tai chi helped ."]])
    assert links(lone, [cite(lone, "Lee 2019", year=2019)], {}) == [[0], [0]]


def test_a_research_word_in_a_bodys_name_does_not_make_it_a_study():
    doc = build_tagged(
        [["Herbs are sold in 40 percent of shops .", "They do not work , according to the Heart Association ."], ["Sales rose/VBD 10 percent ."]]
    )
    body = cite(doc, "according to the Heart Association", year=None)
    marks = {"according to": "reporting", "Association": "evidence", "10 percent": "statistic"}
    # the body's figures cover the sentence beside them, and no chain carries them further
    assert links(doc, [replace(body, venue="Heart Association")], marks) == [[0], [0], []]
    # an "association" outside any body's name is a finding: the work goes on being reported
    assert links(doc, [body], marks) == [[0], [0], [0]]


def test_a_study_author_giving_a_view_is_still_one_of_the_studys_people():
    doc = build_tagged(
        [
            ["Yoga cut/VBD pain ( Okafor 2021 ) ."],
            ['" Pain is/VBZ common , " said/VBD senior author Ann Okafor .'],
            ["Massage is/VBZ popular ."],
            ["Okafor noted/VBD pain scores fell/VBD by half ."],
        ]
    )
    citations = [cite(doc, "Okafor 2021")]
    marks = {"senior author": "study_ref", "by half": "statistic"}
    speakers = [set(), {0}, set(), {0}]
    linked = links(doc, citations, marks, {"senior author": {"person": True}}, speakers)
    assert linked[1] == []  # the author's view is not the study's result
    assert linked[3] == [0]  # ... but she speaks for the study when she reports one
    assert links(doc, citations, marks, None, speakers)[3] == []  # only a study's people count


def test_an_outcome_a_study_author_noted_is_the_studys_but_an_explanation_is_not():
    doc = build_tagged(
        [
            ["Yoga cut/VBD pain ( Okafor 2021 ) , said/VBD lead author Ann Okafor ."],
            ["Massage is/VBZ popular ."],
            ["Okafor noted/VBD the patients slept/VBD better ."],
        ]
    )
    citations = [cite(doc, "Okafor 2021")]
    fields = {"lead author": {"person": True}}
    speakers = [{0}, set(), {0}]
    outcome = {"lead author": "study_ref", "slept better": "efficacy"}
    assert links(doc, citations, outcome, fields, speakers)[2] == [0]
    mechanism = {"lead author": "study_ref", "slept better": "mechanism"}  # "Okafor cited several reasons"
    assert links(doc, citations, mechanism, fields, speakers)[2] == []


def test_a_quoted_we_found_is_the_study_under_discussion():
    doc = build(
        [
            ["Yoga cut pain ( Okafor 2021 ) ."],
            ['" Few studies looked at it , " said Ann Okafor .'],
            ['" After six months , we found pain fell . "'],
        ]
    )
    next(t for t in doc if t.text == "we").dep_ = "nsubj"
    citations = [cite(doc, "Okafor 2021")]
    marks = {"Few studies": "vague_source", "found": "finding"}
    speakers = [set(), {0}, {0}]
    assert links(doc, citations, marks, None, speakers)[2] == [0]
    # an outsider's own work ("..., said Lee, who was not involved") is not the study's
    outside = {**marks, "After six months": "outside"}
    assert links(doc, citations, outside, None, speakers)[2] == []
    earlier = {**marks, "After six months": "vague_source"}  # "In previous work, we found ..."
    assert links(doc, citations, earlier, None, speakers)[2] == []


def test_an_interviewees_general_view_beside_the_study_is_theirs_unless_they_go_on_about_it():
    doc = build(
        [
            ["Running helps ( Okafor 2021 ) ."],
            ["In the study , men who ran had better sperm .", "Roe also says exercise can improve circulation ."],
            ['" The study is small , " says Lee .', '" We cannot say it has proven its efficacy . "'],
        ]
    )
    citations = [cite(doc, "Okafor 2021")]
    marks = {"the study": "study_ref", "improve circulation": "prevalence", "The study is": "study_ref"}
    marks["proven its efficacy"] = "efficacy"
    speakers = [set(), set(), {0}, {1}, {1}]
    linked = links(doc, citations, marks, None, speakers)
    assert linked[1] == [0]
    assert linked[2] == []  # Roe, who has not spoken for the study, gives his own view
    assert linked[4] == [0]  # Lee goes on about the study his previous sentence spoke of
    # with no speaker, the sentence beside the study's result goes on reporting it
    assert links(doc, citations, marks, None, [set(), set(), set(), {1}, {1}])[2] == [0]
