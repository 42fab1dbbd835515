"""Unit tests of the citations extractor's parts, on plain text, hand-built Docs and candidate works.

No statistical model: the rules are compiled against a blank English vocabulary.
"""

from __future__ import annotations

import pytest
import spacy
from healthclaims.components.citations import formal, merging
from healthclaims.components.citations.data import CitationRule, StudyType, Venue
from healthclaims.components.citations.lexicon import CitationRules
from healthclaims.components.citations.names import name_after, surname
from healthclaims.components.citations.query import pubmed_query
from healthclaims.components.citations.work import Work, merge_fields, representative
from healthclaims.resources import PARTICLES_FILE, NameParticle, ResourceError, load_resource, parse_jsonl, resource_path
from spacy.tokens import Doc


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


@pytest.fixture(scope="module")
def rules(blank) -> CitationRules:
    return CitationRules(
        blank,
        list(load_resource("citation_patterns.jsonl", CitationRule)),
        list(load_resource("venues.jsonl", Venue)),
        list(load_resource("study_types.jsonl", StudyType)),
        particles=[p.word for p in load_resource(PARTICLES_FILE, NameParticle)],
    )


# ----------------------------------------------------------------- rule files


def test_a_missing_word_list_is_named_on_load(blank):
    text = resource_path("citation_patterns.jsonl").read_text(encoding="utf-8")
    kept = "\n".join(line for line in text.splitlines() if '"label": "NAME_STOPS"' not in line)
    with pytest.raises(ResourceError, match="NAME_STOPS"):
        CitationRules(blank, parse_jsonl(kept, "patterns.jsonl", CitationRule), [], [])


def test_head_in_must_name_a_word_list(blank):
    text = resource_path("citation_patterns.jsonl").read_text(encoding="utf-8")
    text += '\n{"id": "x", "label": "PUB_IN", "pattern": [{"LOWER": "in"}], "head_in": "NO_SUCH_LIST"}\n'
    with pytest.raises(ResourceError, match="NO_SUCH_LIST"):
        CitationRules(blank, parse_jsonl(text, "patterns.jsonl", CitationRule), [], [])


def test_behaviour_fields_are_validated():
    with pytest.raises(ValueError, match="head_in"):
        CitationRule(id="x", label="DOI", regex="10", head_in="NAME_STOPS")
    with pytest.raises(ValueError):
        CitationRule(id="x", label="ORG_SOURCE", pattern=[{"LOWER": "a"}], org_name="before")


# ----------------------------------------------------------------- formal citations on plain text

FORMAL = [
    # (text, kind, first_author, year, doi)
    ("Smith et al. (2019) found it.", "author_year", "Smith", 2019, None),
    ("It worked (Garcia-Lopez et al., 2018).", "author_year", "Garcia-Lopez", 2018, None),
    (
        "1. Okafor BN, Lind E, et al. Tea and pain. J Pain Res. 2016;9:101-9. doi:10.2147/JPR.S1234\n",
        "numeric",
        "Okafor",
        2016,
        "10.2147/JPR.S1234",
    ),
    ("See PMID: 23456789.", "pmid", None, None, None),
]


@pytest.mark.parametrize(("text", "kind", "author", "year", "doi"), FORMAL)
def test_formal_works_read_fields_from_the_text(rules, text, kind, author, year, doi):
    works = sorted(formal.formal_works(rules, text), key=lambda w: (w.start, -(w.end - w.start)))
    first = works[0]
    assert (first.kind, first.first_author, first.year, first.doi) == (kind, author, year, doi)


def test_source_line_names_the_main_study(rules):
    (work,) = formal.source_lines(rules, "Body.\n\nSOURCE: The Lancet, online March 3, 2015.\n")
    assert (work.venue, work.year, work.main_study) == ("The Lancet", 2015, True)


# ----------------------------------------------------------------- names on hand-built Docs


def test_hyphenated_surname_is_kept_whole(blank, rules):
    words = ["lead", "author", "Maria", "Garcia", "-", "Lopez", "said"]
    spaces = [True, True, True, False, False, True, False]
    pos = ["ADJ", "NOUN", "PROPN", "PROPN", "PUNCT", "PROPN", "VERB"]
    doc = Doc(blank.vocab, words=words, spaces=spaces, pos=pos)
    run = name_after(rules, doc, 2, len(doc))
    assert [t.text for t in run] == ["Maria", "Garcia", "-", "Lopez"]
    assert surname(rules, run) == "Garcia-Lopez"


def test_a_surname_particle_stays_inside_the_name(blank, rules):
    # "lead researcher Dr Anka van der Molen, an expert ...": the name runs over its particles.
    words = ["researcher", "Anka", "van", "der", "Molen", ",", "an", "expert"]
    pos = ["NOUN", "PROPN", "PROPN", "PROPN", "PROPN", "PUNCT", "DET", "NOUN"]
    doc = Doc(blank.vocab, words=words, spaces=[True, True, True, True, False, True, True, False], pos=pos)
    run = name_after(rules, doc, 1, len(doc))
    assert [t.text for t in run] == ["Anka", "van", "der", "Molen"]
    assert surname(rules, run) == "Molen"
    # a particle that no capitalised word follows ends the name
    tail = Doc(blank.vocab, words=["Anka", "de", "said"], spaces=[True, True, False], pos=["PROPN", "X", "VERB"])
    assert [t.text for t in name_after(rules, tail, 0, len(tail))] == ["Anka"]


def test_suffixes_and_initials_are_not_the_surname(blank, rules):
    doc = Doc(blank.vocab, words=["Jane", "Q", "Roe", "Jr."], spaces=[True, True, True, False])
    assert surname(rules, list(doc)) == "Roe"


# ----------------------------------------------------------------- merging on candidate works


def _work(start, end, **kw) -> Work:
    kw.setdefault("kind", "prose")
    kw.setdefault("rule", "r")
    kw.setdefault("strength", 2)
    return Work(start, end, **kw)


def test_a_same_day_study_joins_the_main_study_without_taking_its_span():
    main = [_work(100, 160, venue="Pain Medicine", venue_key="pain medicine", recent=True)]
    same_day = [_work(0, 30, strength=1, same_day=True, year=2015)]
    other = [_work(300, 330, strength=1)]
    clusters = [same_day, main, other]
    studies = list(clusters)
    merging.merge_same_day(clusters, studies, main)
    assert clusters == [main, other] and studies == [main, other]
    assert representative(main).start == 100
    merged = merge_fields(representative(main), main)
    assert (merged.venue, merged.year) == ("Pain Medicine", 2015)


def test_a_study_dated_otherwise_stays_its_own_work():
    main = [_work(100, 160, venue="Pain Medicine", venue_key="pain medicine")]
    earlier = [_work(0, 30, strength=1, same_day=False)]
    clusters = [earlier, main]
    merging.merge_same_day(clusters, list(clusters), main)
    assert clusters == [earlier, main]


def test_secondary_members_never_block_a_merge():
    cluster = [_work(0, 10, year=2015), _work(20, 30, year=2012, secondary=True)]
    w = _work(50, 60, year=2015)
    assert merging.compatible("x" * 100, w, cluster, frozenset({"a"}))
    assert not merging.compatible("x" * 100, _work(50, 60, year=2012), cluster, frozenset({"a"}))


def test_two_indefinite_studies_are_two_works():
    text = "A study in X found it. A trial in X found none."
    first = _work(0, 10, venue_key="x")
    second = _work(23, 33, venue_key="x")
    assert not merging.compatible(text, second, [first], frozenset({"a", "an", "another", "one"}))


def test_acronyms_of_a_venue():
    found = merging.acronyms("Journal of Orthopaedic & Sports Physical Therapy", frozenset({"of", "&"}))
    assert "JOSPT" in found
    assert merging.acronyms("the NAMS meeting") == {"NAMS"}


def test_main_study_prefers_a_source_line():
    a = [_work(0, 10, venue="A", recent=True)]
    b = [_work(50, 60, kind="url", venue="B", main_study=True)]
    assert merging.main_study([a, b]) is b
    assert merging.main_study([[_work(0, 5)], a]) is a


def test_query_never_mixes_in_a_meeting_or_an_organisation(rules):
    meeting = _work(0, 5, venue="Annual Meeting", journal=False, first_author="Roe", year=2014)
    assert pubmed_query(meeting, rules.venues, rules.study_types) == "Roe[au] AND 2014[dp]"
    org = _work(0, 5, group="org", venue="American Cancer Society")
    assert pubmed_query(org, rules.venues, rules.study_types) is None


def test_a_cue_the_parser_cut_off_from_its_name_reads_on_within_its_line(blank):
    from healthclaims.components.citations.fields import _cue_sentence
    from healthclaims.components.common import doc_index

    words = ["The", "scan", "works", ".", "\n\n", "Lead", "researcher", "Prof", "Ann", "Roe", "said", "so", ".", "\n\n", "Next", "."]
    starts = [True, False, False, False, False, True, True, False, False, False, False, False, False, False, True, False]
    spaces = [True, True, False, False, False, True, True, True, True, True, True, False, False, False, False, False]
    doc = Doc(blank.vocab, words=words, spaces=spaces, sent_starts=starts)
    index = doc_index(doc)
    # the parser ended a sentence after "Lead": the cue "Lead researcher" reads on to the end of its line
    assert _cue_sentence(doc, index, 5, 7).text.startswith("Lead researcher Prof Ann Roe said so.")
    assert "Next" not in _cue_sentence(doc, index, 5, 7).text
    # a cue inside its sentence keeps that sentence
    assert _cue_sentence(doc, index, 1, 2).text.startswith("The scan works.")
