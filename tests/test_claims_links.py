"""Tests for claim citation linking on hand-built Docs (no statistical model): own citations, study
references resolved to the nearest cited work, adjacent sentences, and cohort continuation."""

from __future__ import annotations

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


def test_an_organisation_source_lends_its_link_to_no_neighbour():
    doc = build([["Herbs are sold widely .", "They do not work , according to the Society ."]])
    citations = [cite(doc, "according to the Society", year=None)]
    assert links(doc, citations, {}) == [[], [0]]


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
    assert links(doc, citations, {"Study finds": "study_ref"})[0] == [0]
    assert links(doc, citations, {})[0] == []  # a headline that names no study is not


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
    assert linked[2] == [0]  # with no topic left, "the study" falls back to the nearest citation


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
