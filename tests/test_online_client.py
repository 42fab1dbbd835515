"""The HTTP session of the online sources against a local server: cache, retries, time-outs, offline."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from healthclaims.linking.online.cache import ResponseCache, request_key
from healthclaims.linking.online.client import HttpClient, RetryPolicy, retry_after_seconds
from healthclaims.linking.online.ratelimit import RateLimiter
from healthclaims.linking.sources import OfflineError, SourceError
from online_server import FixtureServer, Reply, fixture


@pytest.fixture
def server():
    with FixtureServer() as srv:
        yield srv


FAST = RetryPolicy(timeout=2, retries=2, backoff=0.01, jitter=0)


def make_client(tmp_path, **kwargs) -> tuple[HttpClient, list[float]]:
    slept: list[float] = []
    options = {"cache": ResponseCache(tmp_path / "cache.sqlite3"), "limiter": RateLimiter(1000), "retry": FAST,
               "sleep": slept.append, **kwargs}
    return HttpClient("pubmed", **options), slept


def test_a_cache_hit_makes_no_request_even_in_a_new_run(server, tmp_path):
    server.add("/esearch.fcgi", Reply(body=fixture("esearch_found.json")))
    client, _ = make_client(tmp_path, identity={"api_key": "SECRET-KEY", "email": "me@example.org"})
    first = client.get(f"{server.url}/esearch.fcgi", {"db": "pubmed", "term": "x[au]"})
    assert not first.from_cache and b"39000001" in first.body
    assert server.requests()[0].query["api_key"] == ["SECRET-KEY"]  # sent to the service...

    rerun, _ = make_client(tmp_path)  # a new process: same cache file, fresh client
    again = rerun.get(f"{server.url}/esearch.fcgi", {"term": "x[au]", "db": "pubmed"})
    assert again.from_cache and again.body == first.body
    assert len(server.requests()) == 1 and rerun.requests == 0
    assert b"SECRET-KEY" not in (tmp_path / "cache.sqlite3").read_bytes()  # ...never written to disk
    assert b"me@example.org" not in (tmp_path / "cache.sqlite3").read_bytes()


def test_a_429_backs_off_for_retry_after_then_succeeds(server, tmp_path):
    server.add("/esearch.fcgi", Reply(429, fixture("ncbi_429.json"), {"Retry-After": "2"}),
               Reply(body=fixture("esearch_found.json")))
    held: list[float] = []
    limiter = RateLimiter(1000, sleep=held.append)
    client, slept = make_client(tmp_path, limiter=limiter)
    answer = client.get(f"{server.url}/esearch.fcgi", {"term": "x"})
    assert answer.status == 200 and len(server.requests()) == 2
    # The service's Retry-After, not our own backoff, applied through the shared limiter so
    # that every thread of this service waits, not only the one that was told.
    assert held == [pytest.approx(2.0, abs=0.05)]
    assert slept == []


def test_a_real_429_wait_separates_the_two_requests(server, tmp_path):
    server.add("/w", Reply(429, fixture("ncbi_429.json"), {"Retry-After": "1"}), Reply(body=b"{}"))
    client = HttpClient("crossref", cache=None, limiter=RateLimiter(1000), retry=FAST)
    client.get(f"{server.url}/w", {})
    first, second = server.requests()
    assert second.at - first.at >= 0.95


def test_5xx_retries_with_exponential_backoff_and_is_not_cached(server, tmp_path):
    server.add("/efetch.fcgi", Reply(503, b"Service Unavailable", content_type="text/html"))
    policy = RetryPolicy(timeout=2, retries=3, backoff=0.01, jitter=0.5)
    client, slept = make_client(tmp_path, retry=policy)
    with pytest.raises(SourceError) as caught:
        client.get(f"{server.url}/efetch.fcgi", {"id": "1"})
    assert caught.value.source == "pubmed" and caught.value.retryable
    assert "HTTP 503" in caught.value.message and "after 4 attempts" in caught.value.message
    assert len(server.requests()) == 4
    assert len(slept) == 3
    assert all(0.01 * 2**i <= s <= 0.015 * 2**i for i, s in enumerate(slept))  # doubling, plus up to 50% jitter
    assert len(client.cache) == 0


def test_backoff_is_capped():
    policy = RetryPolicy(backoff=1, max_backoff=5, jitter=0)
    assert [policy.wait(i) for i in range(5)] == [1, 2, 4, 5, 5]


def test_a_retry_after_longer_than_a_run_should_wait_gives_up_at_once(server, tmp_path):
    server.add("/w", Reply(429, b"{}", {"Retry-After": "3600"}))
    client, slept = make_client(tmp_path)
    with pytest.raises(SourceError, match="asks to retry after 3600 s"):
        client.get(f"{server.url}/w", {})
    assert slept == [] and len(server.requests()) == 1


def test_a_timeout_gives_a_clear_message_and_later_requests_skip_the_source(server, tmp_path):
    server.add("/esearch.fcgi", Reply(body=b"{}", delay=1.5))
    client, _ = make_client(tmp_path, retry=RetryPolicy(timeout=0.2, retries=1, backoff=0.01))
    with pytest.raises(SourceError) as caught:
        client.get(f"{server.url}/esearch.fcgi", {"term": "a"})
    assert caught.value.message.startswith("no answer within 0.2 s from 127.0.0.1:")
    assert "after 2 attempts" in caught.value.message
    started = time.monotonic()
    with pytest.raises(SourceError, match="unreachable: no answer within 0.2 s"):
        client.get(f"{server.url}/esearch.fcgi", {"term": "b"})
    assert time.monotonic() - started < 0.1
    assert len(server.requests()) == 2  # the second look-up sent nothing
    assert len(client.cache) == 0


def test_a_refused_connection_names_the_host(tmp_path):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    client, slept = make_client(tmp_path)
    with pytest.raises(SourceError, match=rf"cannot reach 127.0.0.1:{port} .*after 3 attempts"):
        client.get(f"http://127.0.0.1:{port}/works", {})
    assert len(slept) == 2


def test_offline_answers_from_the_cache_and_never_asks(server, tmp_path):
    server.add("/w", Reply(body=b'{"status": "ok"}'))
    online, _ = make_client(tmp_path)
    online.get(f"{server.url}/w", {"q": "cached"})
    offline, _ = make_client(tmp_path, offline=True)
    assert offline.get(f"{server.url}/w", {"q": "cached"}).from_cache
    with pytest.raises(OfflineError, match="not in the cache"):
        offline.get(f"{server.url}/w", {"q": "never asked"})
    assert len(server.requests()) == 1 and offline.requests == 0


def test_an_error_answer_with_status_200_is_retried_and_not_cached(server, tmp_path):
    server.add("/esearch.fcgi", Reply(body=fixture("esearch_backend_error.json")),
               Reply(body=fixture("esearch_found.json")))

    def check(response):
        return "backend failed" if b"ERROR" in response.body else None

    client, slept = make_client(tmp_path)
    answer = client.get(f"{server.url}/esearch.fcgi", {"term": "z"}, check=check)
    assert b"39000001" in answer.body and len(slept) == 1
    stored = client.cache.get(request_key("GET", f"{server.url}/esearch.fcgi", {"term": "z"}))
    assert len(client.cache) == 1 and stored.body == fixture("esearch_found.json")  # the good answer only


def test_a_client_error_is_reported_at_once_with_the_service_text(server, tmp_path):
    server.add("/works", Reply(400, b'{"status":"failed","message-type":"validation-failure"}'))
    client, slept = make_client(tmp_path)
    with pytest.raises(SourceError, match="HTTP 400 from .*validation-failure"):
        client.get(f"{server.url}/works", {"filter": "bad"})
    assert slept == [] and len(client.cache) == 0


def test_not_found_is_an_answer_and_is_cached(server, tmp_path):
    client, _ = make_client(tmp_path)
    assert client.get(f"{server.url}/works/10.1/none", {}).status == 404
    assert client.get(f"{server.url}/works/10.1/none", {}).from_cache
    assert len(server.requests()) == 1


def test_the_user_agent_is_sent(server, tmp_path):
    server.add("/w", Reply(body=b"{}"))
    client, _ = make_client(tmp_path, user_agent="healthclaims/test (mailto:me@example.org)")
    client.get(f"{server.url}/w", {})
    assert server.requests()[0].headers["User-Agent"] == "healthclaims/test (mailto:me@example.org)"


class RecordingLimiter(RateLimiter):
    def __init__(self, rate):
        super().__init__(rate)
        self.grants: list[float] = []

    def acquire(self) -> float:
        waited = super().acquire()
        self.grants.append(time.monotonic())
        return waited


def test_concurrent_requests_keep_the_rate(server, tmp_path):
    server.add("/w", Reply(body=b"{}"))
    limiter = RecordingLimiter(10)
    client = HttpClient("pubmed", cache=None, limiter=limiter, retry=FAST)
    threads = [threading.Thread(target=lambda i=i: client.get(f"{server.url}/w", {"n": i})) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Every request of every thread went through the one limiter, which spaced them 1/10 s apart.
    assert len(limiter.grants) == len(server.requests()) == 6
    assert max(limiter.grants) - min(limiter.grants) >= 0.45
    # At the server the spacing shows too (loosely: a busy machine delays some sends).
    arrivals = sorted(s.at for s in server.requests())
    assert arrivals[-1] - arrivals[0] >= 0.25


@pytest.mark.parametrize(("value", "seconds"), [("3", 3.0), ("0", 0.0), ("", None), (None, None), ("later", None)])
def test_retry_after_seconds(value, seconds):
    assert retry_after_seconds(value) == seconds


def test_retry_after_as_an_http_date():
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412500.0) == pytest.approx(10.0)


def test_jitter_spreads_the_waits_of_clients_retrying_together():
    policy = RetryPolicy(backoff=1, jitter=0.5)
    assert policy.wait(2, rand=lambda: 0.0) == 4 and policy.wait(2, rand=lambda: 1.0) == 6
    assert len({policy.wait(0) for _ in range(20)}) > 1
