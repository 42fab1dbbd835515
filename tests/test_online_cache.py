"""The SQLite response cache: keys, persistence across runs, expiry, bad files."""

from __future__ import annotations

import threading

import pytest
from healthclaims.linking.online.cache import ResponseCache, request_key


def test_key_ignores_parameter_order_and_caller_identity():
    a = request_key("GET", "http://x/esearch.fcgi", {"term": "a[au]", "db": "pubmed", "api_key": "K1", "email": "a@b"})
    b = request_key("get", "http://x/esearch.fcgi", {"db": "pubmed", "term": "a[au]", "tool": "t", "mailto": "c@d"})
    assert a == b
    assert "K1" not in a and "a@b" not in a


@pytest.mark.parametrize(
    ("params_a", "params_b"),
    [
        ({"term": "a[au]"}, {"term": "b[au]"}),
        ({"id": ["1", "2"]}, {"id": ["2", "1"]}),  # an id list's order is part of the question
        ({"rows": 5}, {"rows": 6}),
    ],
)
def test_key_differs_when_the_question_differs(params_a, params_b):
    assert request_key("GET", "http://x/w", params_a) != request_key("GET", "http://x/w", params_b)


def test_none_parameters_are_dropped_as_the_client_drops_them():
    assert request_key("GET", "http://x/w", {"filter": None, "rows": 5}) == request_key("GET", "http://x/w", {"rows": 5})


def test_an_answer_survives_reopening_the_file(tmp_path):
    path = tmp_path / "sub" / "cache.sqlite3"
    cache = ResponseCache(path)
    cache.put("k", "pubmed", "http://x/e", 200, b"<xml/>", "text/xml")
    cache.close()
    again = ResponseCache(path)
    hit = again.get("k")
    assert hit is not None and hit.status == 200 and hit.body == b"<xml/>" and hit.from_cache
    assert hit.content_type == "text/xml" and hit.fetched_at > 0
    assert again.get("other") is None
    assert len(again) == 1


def test_old_answers_count_as_absent_past_max_age(tmp_path):
    cache = ResponseCache(tmp_path / "c.sqlite3", max_age=60)
    cache.put("k", "crossref", "http://x/w", 200, b"{}", None)
    assert cache.get("k") is not None
    cache._db.execute("UPDATE responses SET fetched_at = fetched_at - 120")
    assert cache.get("k") is None


def test_delete_forgets_one_answer(tmp_path):
    cache = ResponseCache(tmp_path / "c.sqlite3")
    cache.put("a", "s", "u", 200, b"1", None)
    cache.put("b", "s", "u", 200, b"2", None)
    cache.delete("a")
    assert cache.get("a") is None and cache.get("b").body == b"2"


def test_a_file_that_is_not_sqlite_is_a_clear_error(tmp_path):
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ValueError, match="c.sqlite3: not a usable response cache"):
        ResponseCache(path)


def test_threads_can_write_and_read_at_once(tmp_path):
    cache = ResponseCache(tmp_path / "c.sqlite3")

    def work(n):
        for i in range(20):
            cache.put(f"{n}-{i}", "s", "u", 200, str(i).encode(), None)
            assert cache.get(f"{n}-{i}").body == str(i).encode()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(cache) == 80
