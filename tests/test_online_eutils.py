"""PubMed through the E-utilities, against a local server answering with recorded-format fixtures."""

from __future__ import annotations

import pytest
from healthclaims.linking.online.cache import ResponseCache
from healthclaims.linking.online.client import RetryPolicy
from healthclaims.linking.online.eutils import PubMedSource
from healthclaims.linking.online.pubmed_terms import author_term, esearch_terms, publication_type
from healthclaims.linking.online.pubmed_xml import parse_pubmed_xml
from healthclaims.linking.paper import CitationEvidence
from healthclaims.linking.sources import OfflineError, SourceError
from online_server import FixtureServer, Reply, fixture

FAST = RetryPolicy(timeout=2, retries=1, backoff=0.01, jitter=0)
XML = "application/xml; charset=UTF-8"


@pytest.fixture
def server():
    with FixtureServer() as srv:
        yield srv


def pubmed(server, tmp_path, **kwargs) -> PubMedSource:
    options = {"cache": ResponseCache(tmp_path / "cache.sqlite3"), "base_url": server.url, "rate": 50,
               "retry": FAST, "email": "reviewer@example.org"}
    return PubMedSource(**{**options, **kwargs})


def evidence(**fields) -> CitationEvidence:
    return CitationEvidence(citation_id=fields.pop("citation_id", "c1"), **fields)


TRIAL = {"first_author": "Okonkwo", "year": 2024, "venue": "Journal of Invented Musculoskeletal Therapies",
             "study_type": "randomized controlled trial", "topic_words": ["massage", "low back pain", "function"]}


def test_search_falls_back_to_a_looser_term_and_fills_the_paper(server, tmp_path):
    server.add("/esearch.fcgi", Reply(body=fixture("esearch_empty.json")), Reply(body=fixture("esearch_found.json")))
    server.add("/efetch.fcgi", Reply(body=fixture("efetch_pubmed.xml"), content_type=XML))
    papers = pubmed(server, tmp_path).search(evidence(**TRIAL))

    searches = server.requests("/esearch.fcgi")
    strict, looser = (s.query["term"][0] for s in searches)
    assert "Okonkwo[1au]" in strict and '"randomized controlled trial"[pt]' in strict and "massage[tiab]" in strict
    assert "[pt]" not in looser and "Okonkwo[1au]" in looser
    assert server.requests("/efetch.fcgi")[0].query["id"] == ["39000001"]

    paper = papers[0]
    assert [p.pmid for p in papers] == ["39000001"]  # in ESearch's order, only the ids asked for
    assert paper.source == "pubmed" and paper.doi == "10.5555/jimt.2024.0201"
    assert paper.title == "Weekly structured massage for chronic low back pain: a randomized controlled trial."
    assert paper.journal == "Journal of invented musculoskeletal therapies"
    assert paper.journal_abbrev == "J Invent Musculoskelet Ther" and paper.year == 2024
    assert [(a.family, a.given) for a in paper.authors] == [
        ("Okonkwo", "Adaeze N"), ("Lindqvist", "Per"), ("Invented Back Pain Trial Group", None)]
    assert paper.authors[0].affiliation.startswith("Department of Rehabilitation, Example University")
    assert paper.publication_types == ["Journal Article", "Randomized Controlled Trial"]
    assert paper.mesh == ["Humans", "*Low Back Pain", "*Massage", "Chronic Pain"]
    assert paper.keywords == ["massage therapy", "low back pain"]
    assert paper.abstract.splitlines()[0] == "BACKGROUND: Massage is widely used for chronic low back pain."
    assert paper.abstract.splitlines()[3].startswith("CONCLUSIONS: ")
    assert not paper.retracted and not paper.corrected


def test_every_request_names_the_tool_and_email_and_asks_for_json(server, tmp_path):
    server.add("/esearch.fcgi", Reply(body=fixture("esearch_empty.json")))
    pubmed(server, tmp_path, api_key="KEY-123").search(evidence(**TRIAL))
    for seen in server.requests():
        assert seen.query["tool"] == ["healthclaims"] and seen.query["email"] == ["reviewer@example.org"]
        assert seen.query["api_key"] == ["KEY-123"] and seen.query["db"] == ["pubmed"]
        assert seen.query["retmode"] == ["json"] and seen.query["sort"] == ["relevance"]


def test_nothing_found_by_any_term_is_an_empty_answer(server, tmp_path):
    server.add("/esearch.fcgi", Reply(body=fixture("esearch_empty.json")))
    assert pubmed(server, tmp_path).search(evidence(**TRIAL)) == []
    assert len(server.requests("/esearch.fcgi")) == len(esearch_terms(evidence(**TRIAL)))
    assert server.requests("/efetch.fcgi") == []


def test_a_rerun_is_answered_from_the_cache(server, tmp_path):
    server.add("/esearch.fcgi", Reply(body=fixture("esearch_found.json")))
    server.add("/efetch.fcgi", Reply(body=fixture("efetch_pubmed.xml"), content_type=XML))
    first = pubmed(server, tmp_path).search(evidence(**TRIAL))
    sent = len(server.requests())
    again = pubmed(server, tmp_path, offline=True).search(evidence(**TRIAL))
    assert again == first and len(server.requests()) == sent


def test_offline_with_an_empty_cache_refuses_without_a_request(server, tmp_path):
    with pytest.raises(OfflineError):
        pubmed(server, tmp_path, offline=True).search(evidence(**TRIAL))
    assert server.requests() == []


def test_rate_is_three_a_second_without_a_key_and_ten_with_one(tmp_path):
    cache = ResponseCache(tmp_path / "c.sqlite3")
    assert PubMedSource(cache=cache, base_url="http://127.0.0.1:9").http.limiter.rate == pytest.approx(3)
    assert PubMedSource(cache=cache, base_url="http://127.0.0.1:9", api_key="k").http.limiter.rate == pytest.approx(10)


def test_sources_of_one_identity_share_one_limiter(tmp_path):
    cache = ResponseCache(tmp_path / "c.sqlite3")
    a = PubMedSource(cache=cache, base_url="http://127.0.0.1:9", api_key="k")
    b = PubMedSource(cache=cache, base_url="http://127.0.0.1:9", api_key="k")
    assert a.http.limiter is b.http.limiter


def test_a_pmid_in_the_article_is_fetched_directly(server, tmp_path):
    server.add("/efetch.fcgi", Reply(body=fixture("efetch_pubmed.xml"), content_type=XML))
    papers = pubmed(server, tmp_path).search(evidence(pmid="39000002", **TRIAL))
    assert server.requests("/esearch.fcgi") == []
    assert papers[0].pmid == "39000002"


def test_lookup_by_doi_searches_the_article_identifier_field(server, tmp_path):
    server.add("/esearch.fcgi", Reply(body=fixture("esearch_ids.json")))
    server.add("/efetch.fcgi", Reply(body=fixture("efetch_pubmed.xml"), content_type=XML))
    papers = pubmed(server, tmp_path).lookup_ids(dois=["10.5555/JIMT.2024.0201", "10.5555/ircm.2021.033"])
    term = server.requests("/esearch.fcgi")[0].query["term"][0]
    assert term == '"10.5555/ircm.2021.033"[aid] OR "10.5555/jimt.2024.0201"[aid]'
    assert [p.pmid for p in papers] == ["39000001", "39000002", "39000003"]


def test_retracted_and_corrected_papers_are_marked(server, tmp_path):
    server.add("/efetch.fcgi", Reply(body=fixture("efetch_pubmed.xml"), content_type=XML))
    found = {p.pmid: p for p in pubmed(server, tmp_path).lookup_ids(pmids=["39000001", "39000002", "39000003"])}
    assert found["39000002"].retracted and not found["39000002"].corrected  # "Retracted Publication" + RetractionIn
    assert found["39000003"].corrected and not found["39000003"].retracted  # ErratumIn
    assert not found["39000001"].retracted


def test_a_medline_date_gives_the_year():
    paper = parse_pubmed_xml(fixture("efetch_pubmed.xml"))[1]
    assert paper.year == 2021  # <MedlineDate>2021 Nov-Dec</MedlineDate>
    assert paper.mesh == ["*Manipulation, Spinal"]


def test_a_newer_dtd_than_biopython_ships_parses_without_downloading():
    body = fixture("efetch_pubmed.xml").replace(b"pubmed_250101.dtd", b"pubmed_990101.dtd")
    # Sockets are blocked in tests: a download attempt would fail this test.
    assert [p.pmid for p in parse_pubmed_xml(body)] == ["39000001", "39000002", "39000003"]


def test_a_truncated_efetch_answer_is_retried_then_reported_and_not_cached(server, tmp_path):
    server.add("/efetch.fcgi", Reply(body=fixture("efetch_pubmed.xml")[:3000], content_type=XML))
    source = pubmed(server, tmp_path)
    with pytest.raises(SourceError, match="not a complete PubmedArticleSet after 2 attempts"):
        source.lookup_ids(pmids=["39000001"])
    assert len(source.http.cache) == 0


def test_an_esearch_backend_error_is_retried(server, tmp_path):
    server.add("/esearch.fcgi", Reply(body=fixture("esearch_backend_error.json")), Reply(body=fixture("esearch_found.json")))
    assert pubmed(server, tmp_path).esearch("x[au]") == ["39000001"]


def test_not_pubmed_xml_is_a_value_error():
    with pytest.raises(ValueError, match="not PubMed XML"):
        parse_pubmed_xml(b"<html><body>Service down</body></html>")


# ----------------------------------------------------------------------------- ESearch terms

@pytest.mark.parametrize(("name", "term"), [
    ("Smith", "Smith[au]"),
    ("Smith et al.", "Smith[au]"),
    ("Dr. Jane Q. Smith", '"Smith JQ"[au]'),
    ("Prof Ana de la Cruz", '"de la Cruz A"[au]'),
    ("Ludwig van Beethoven", '"van Beethoven L"[au]'),
    ("Dr.", None),
])
def test_author_term(name, term):
    assert author_term(name) == term


def test_the_strict_term_uses_every_field_and_looser_ones_drop_some():
    terms = esearch_terms(evidence(named_authors=["Dr. Adaeze Okonkwo", "Per Lindqvist"], **TRIAL))
    assert terms[0] == ('Okonkwo[1au] AND "Lindqvist P"[au] AND "Journal of Invented Musculoskeletal Therapies"[ta]'
                        ' AND 2024[dp] AND "randomized controlled trial"[pt] AND massage[tiab]'
                        ' AND "low back pain"[tiab] AND function[tiab]')
    assert terms[1] == 'Okonkwo[1au] AND "Journal of Invented Musculoskeletal Therapies"[ta] AND 2024[dp]'
    assert len(terms) == len(set(terms)) and all(" AND " in t for t in terms)


def test_a_year_from_the_article_date_also_allows_the_year_before():
    terms = esearch_terms(evidence(first_author="Okonkwo", year=2024, year_from_article_date=True, venue="X"))
    assert terms == ["Okonkwo[1au] AND X[ta] AND 2023:2024[dp]"]


def test_a_journal_and_year_alone_are_not_searched():
    assert esearch_terms(evidence(venue="JAMA", year=2020)) == []
    assert esearch_terms(evidence(first_author="Smith")) == []


def test_the_named_lead_author_stands_in_for_a_missing_first_author():
    assert esearch_terms(evidence(named_authors=["Jane Smith"], year=2019))[0] == '"Smith J"[1au] AND 2019[dp]'


def test_study_types_map_to_pubmed_publication_types_from_the_rule_file():
    assert publication_type("Randomized Controlled Trial") == "randomized controlled trial"
    assert publication_type("case report") == "case reports"
    assert publication_type("a study") is None and publication_type(None) is None
