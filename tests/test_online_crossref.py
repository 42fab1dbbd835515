"""Crossref's REST API against a local server answering with works-JSON fixtures."""

from __future__ import annotations

import pytest
from healthclaims.linking.online.cache import ResponseCache
from healthclaims.linking.online.client import RetryPolicy
from healthclaims.linking.online.crossref import CrossrefSource, bibliographic_query, year_filter
from healthclaims.linking.online.crossref_map import jats_text
from healthclaims.linking.paper import CitationEvidence
from healthclaims.linking.sources import SourceError
from online_server import FixtureServer, Reply, fixture

FAST = RetryPolicy(timeout=2, retries=1, backoff=0.01, jitter=0)
EMPTY = b'{"status":"ok","message-type":"work-list","message-version":"1.0.0","message":{"total-results":0,"items":[]}}'


@pytest.fixture
def server():
    with FixtureServer() as srv:
        yield srv


def crossref(server, tmp_path, **kwargs) -> CrossrefSource:
    options = {"cache": ResponseCache(tmp_path / "cache.sqlite3"), "base_url": server.url, "rate": 50,
               "retry": FAST, "mailto": "reviewer@example.org"}
    return CrossrefSource(**{**options, **kwargs})


def evidence(**fields) -> CitationEvidence:
    return CitationEvidence(citation_id=fields.pop("citation_id", "c1"), **fields)


TRIAL = {'first_author': "Okonkwo", 'year': 2024, 'venue': "Journal of Invented Musculoskeletal Therapies",
             'topic_words': ["massage", "low back pain"]}


def test_search_sends_a_bibliographic_query_with_a_year_filter_and_mailto(server, tmp_path):
    server.add("/works", Reply(body=fixture("crossref_works.json")))
    crossref(server, tmp_path).search(evidence(**TRIAL))
    seen = server.requests("/works")[0]
    assert seen.query["query.bibliographic"] == [
        "Okonkwo Journal of Invented Musculoskeletal Therapies massage low back pain 2024"]
    assert seen.query["filter"] == ["from-pub-date:2024,until-pub-date:2024"]
    assert seen.query["rows"] == ["5"] and seen.query["mailto"] == ["reviewer@example.org"]
    assert "mailto:reviewer@example.org" in seen.headers["User-Agent"]


def test_items_become_papers_with_every_field(server, tmp_path):
    server.add("/works", Reply(body=fixture("crossref_works.json")))
    paper = crossref(server, tmp_path).search(evidence(**TRIAL))[0]
    assert paper.source == "crossref" and paper.doi == "10.5555/jimt.2024.0201"
    assert paper.title == "Weekly structured massage for chronic low back pain: a randomized controlled trial"
    assert paper.journal == "Journal of Invented Musculoskeletal Therapies"
    assert paper.journal_abbrev == "J Invent Musculoskelet Ther" and paper.year == 2024
    assert [(a.family, a.given) for a in paper.authors] == [
        ("Okonkwo", "Adaeze N."), ("Lindqvist", "Per"), ("Invented Back Pain Trial Group", None)]
    assert paper.authors[0].affiliation == "Department of Rehabilitation, Example University, Springfield, USA"
    assert paper.publication_types == ["journal-article"]
    assert paper.abstract.splitlines() == [
        "Background: Massage is widely used for chronic low back pain.",
        "Methods: We randomly assigned 240 adults to weekly structured massage or usual care.",
        "Results: Function improved more with massage (mean difference 2.1 points; 95% CI 1.0\u20133.2).",
    ]
    assert paper.corrected and not paper.retracted  # its updated-by lists a correction


def test_a_retraction_notice_in_the_answer_marks_the_paper_it_retracts(server, tmp_path):
    server.add("/works", Reply(body=fixture("crossref_works.json")))
    papers = {p.doi: p for p in crossref(server, tmp_path).search(evidence(**TRIAL))}
    assert papers["10.5555/ircm.2021.033"].retracted  # no updated-by of its own: the notice's update-to says so
    notice = papers["10.5555/ircm.2023.002"]
    assert "Retraction of Publication" in notice.publication_types and not notice.retracted


def test_lookup_by_doi_reads_a_single_work_and_its_retraction(server, tmp_path):
    server.add("/works/10.5555/iojn.2022.1203", Reply(body=fixture("crossref_work.json")))
    papers = crossref(server, tmp_path).lookup_ids(pmids=["123"], dois=["10.5555/IOJN.2022.1203"])
    assert [p.doi for p in papers] == ["10.5555/iojn.2022.1203"]
    assert papers[0].retracted and papers[0].year == 2022  # updated-by from Retraction Watch
    assert papers[0].abstract == "Older adults who ate more dietary fibre reported better sleep quality."


def test_a_doi_crossref_does_not_know_is_an_empty_answer_kept_in_the_cache(server, tmp_path):
    server.add("/works", Reply(body=EMPTY))
    source = crossref(server, tmp_path)
    assert source.lookup_ids(dois=["10.5555/unknown"]) == []
    assert source.lookup_ids(dois=["10.5555/unknown"]) == []
    assert len(server.requests("/works/10.5555/unknown")) == 1


def test_a_doi_in_the_article_is_looked_up_before_any_query(server, tmp_path):
    server.add("/works/10.5555/iojn.2022.1203", Reply(body=fixture("crossref_work.json")))
    papers = crossref(server, tmp_path).search(evidence(doi="10.5555/iojn.2022.1203", **TRIAL))
    assert papers[0].doi == "10.5555/iojn.2022.1203" and server.requests("/works") == []


def test_a_year_filter_that_leaves_nothing_is_dropped_once(server, tmp_path):
    server.add("/works", Reply(body=EMPTY), Reply(body=fixture("crossref_works.json")))
    papers = crossref(server, tmp_path).search(evidence(**TRIAL))
    first, second = server.requests("/works")
    assert "filter" in first.query
    assert "filter" not in second.query and "filter=" not in second.raw_query
    assert papers


def test_the_announced_rate_limit_is_honoured(server, tmp_path):
    server.add("/works", Reply(body=fixture("crossref_works.json"),
                               headers={"X-Rate-Limit-Limit": "4", "X-Rate-Limit-Interval": "2s"}))
    source = crossref(server, tmp_path)
    source.search(evidence(**TRIAL))
    assert source.limiter.rate == pytest.approx(2.0)
    source.search(evidence(first_author="Haddad", topic_words=["fibre", "sleep"]))
    first, second = server.requests("/works")
    assert second.at - first.at >= 0.45  # 2 a second now


def test_an_error_status_is_a_source_error_naming_crossref(server, tmp_path):
    server.add("/works", Reply(400, b'{"status":"failed","message-type":"validation-failure","message":[]}'))
    with pytest.raises(SourceError) as caught:
        crossref(server, tmp_path).search(evidence(**TRIAL))
    assert caught.value.source == "crossref" and "HTTP 400" in str(caught.value)


def test_no_author_and_no_topic_words_asks_nothing(server, tmp_path):
    assert crossref(server, tmp_path).search(evidence(venue="JAMA", year=2020)) == []
    assert server.requests() == []


def test_the_polite_defaults_without_a_mailto_are_slower(tmp_path):
    cache = ResponseCache(tmp_path / "c.sqlite3")
    assert CrossrefSource(cache=cache, base_url="http://127.0.0.1:9").limiter.rate == pytest.approx(5)
    assert CrossrefSource(cache=cache, base_url="http://127.0.0.1:9", mailto="a@b.c").limiter.rate == pytest.approx(10)


def test_query_and_filter_for_a_year_taken_from_the_article_date():
    e = evidence(first_author="Smith et al.", year=2020, year_from_article_date=True, topic_words=["sleep", "ab"])
    assert bibliographic_query(e) == "Smith sleep"  # the year is the story's, so it does not score
    assert year_filter(e) == "from-pub-date:2019,until-pub-date:2020"


@pytest.mark.parametrize(("jats", "text"), [
    ("<jats:p>One <jats:italic>two</jats:italic> three.</jats:p>", "One two three."),
    ("<jats:title>Abstract</jats:title><jats:p>Plain.</jats:p>", "Abstract: Plain."),
    ("<p>A &amp; B</p><p>C</p>", "A & B\nC"),
    ("No markup at all", "No markup at all"),
    ("", None),
])
def test_jats_abstracts_become_plain_text(jats, text):
    assert jats_text(jats) == text
