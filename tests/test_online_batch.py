"""search_many: identical questions once, the rest concurrently, failures kept per citation."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from healthclaims.linking.online.batch import search_many
from healthclaims.linking.online.cache import ResponseCache
from healthclaims.linking.online.client import RetryPolicy
from healthclaims.linking.online.crossref import CrossrefSource
from healthclaims.linking.online.eutils import PubMedSource
from healthclaims.linking.paper import CitationEvidence, Paper
from healthclaims.linking.sources import SourceError
from online_server import FixtureServer, Reply, fixture


@pytest.fixture
def server():
    with FixtureServer() as srv:
        yield srv


def ev(cid: str, author: str, *words: str) -> CitationEvidence:
    return CitationEvidence(citation_id=cid, first_author=author, year=2024, topic_words=list(words))


def test_identical_questions_are_asked_once_and_answer_every_citation(server, tmp_path):
    server.add("/works", Reply(body=fixture("crossref_works.json")))
    source = CrossrefSource(cache=ResponseCache(tmp_path / "c.sqlite3"), base_url=server.url, rate=50)
    evidences = [ev("a1", "Okonkwo", "massage"), ev("a2", "Okonkwo", "massage"), ev("b1", "Haddad", "fibre"),
                 ev("a3", "Okonkwo", "massage"), ev("b2", "Haddad", "fibre")]
    result = search_many(source, evidences, max_workers=3)
    assert result.queries == 2 and len(server.requests("/works")) == 2
    assert set(result.papers) == {"a1", "a2", "a3", "b1", "b2"} and not result.errors
    assert result.papers["a1"][0].doi == "10.5555/jimt.2024.0201"
    assert result.papers["a1"] is not result.papers["a2"]  # each citation owns its list
    assert result.summary_line() is None


class SlowSource:
    """Records how many searches run at once."""

    name = "slow"

    def __init__(self):
        self.running = 0
        self.most = 0
        self.lock = threading.Lock()

    def search(self, evidence):
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(0.05)
        with self.lock:
            self.running -= 1
        return [Paper(source=self.name, title=evidence.first_author)]


def test_distinct_questions_run_concurrently_up_to_max_workers():
    source = SlowSource()
    result = search_many(source, [ev(f"c{i}", f"Author{i}") for i in range(8)], max_workers=3)
    assert source.most == 3
    assert [result.papers[f"c{i}"][0].title for i in range(8)] == [f"Author{i}" for i in range(8)]


def test_an_unreachable_source_is_one_summary_line_and_every_citation_unresolved(tmp_path):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    source = PubMedSource(cache=ResponseCache(tmp_path / "c.sqlite3"), base_url=f"http://127.0.0.1:{port}", rate=50,
                          retry=RetryPolicy(timeout=1, retries=1, backoff=0.01))
    evidences = [ev(f"c{i}", f"Author{i}", "massage", "pain", "trial") for i in range(6)]
    started = time.monotonic()
    result = search_many(source, evidences, max_workers=1)
    assert time.monotonic() - started < 5
    assert result.papers == {} and set(result.errors) == {f"c{i}" for i in range(6)}
    assert all(isinstance(e, SourceError) and e.source == "pubmed" for e in result.errors.values())
    line = result.summary_line()
    assert "\n" not in line
    assert line.startswith("pubmed: 6 of 6 citations left unresolved: ")
    assert f"cannot reach 127.0.0.1:{port}" in line
    assert source.http.requests == 2  # the first look-up and its retry; the rest were skipped


class BrokenSource:
    name = "broken"

    def search(self, evidence):
        if evidence.first_author == "Bad":
            raise KeyError("items")
        return []


def test_an_unexpected_exception_in_a_source_loses_no_other_citation():
    result = search_many(BrokenSource(), [ev("ok", "Good"), ev("bad", "Bad")])
    assert result.papers == {"ok": []}
    assert "unexpected KeyError" in result.errors["bad"].message
    assert result.summary_line() == "broken: 1 of 2 citations left unresolved: unexpected KeyError: 'items'"


def test_sources_without_query_key_dedupe_on_everything_but_the_citation_id():
    source = SlowSource()
    result = search_many(source, [ev("x", "Same"), ev("y", "Same"), ev("z", "Other")])
    assert result.queries == 2 and set(result.papers) == {"x", "y", "z"}
