"""Client-side rate limiting: spacing across threads, pauses, announced limits."""

from __future__ import annotations

import threading
import time

import pytest
from healthclaims.linking.online.ratelimit import RateLimiter, parse_interval, shared_limiter


class FakeClock:
    def __init__(self):
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def test_requests_are_spaced_by_one_over_the_rate():
    clock = FakeClock()
    limiter = RateLimiter(4, clock=clock, sleep=clock.sleep)
    waits = [limiter.acquire() for _ in range(4)]
    assert waits == pytest.approx([0, 0.25, 0.5, 0.75])


def test_time_that_passed_counts_towards_the_spacing():
    clock = FakeClock()
    limiter = RateLimiter(2, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    clock.now += 10
    assert limiter.acquire() == 0


def test_pause_holds_back_the_next_request():
    clock = FakeClock()
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    limiter.pause(3)
    assert limiter.acquire() == pytest.approx(3)


def test_set_rate_changes_the_spacing():
    clock = FakeClock()
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep)
    limiter.set_rate(2)
    assert limiter.rate == pytest.approx(2)
    limiter.acquire()
    assert limiter.acquire() == pytest.approx(0.5)


def test_a_rate_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        RateLimiter(0)


def test_threads_together_stay_within_the_rate():
    limiter = RateLimiter(20)
    starts: list[float] = []
    lock = threading.Lock()

    def work():
        for _ in range(3):
            limiter.acquire()
            with lock:
                starts.append(time.monotonic())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    starts.sort()
    assert len(starts) == 12
    # Scheduled 1/20 s apart; a thread woken a few ms late on a busy machine shortens one gap,
    # never two in a row, and twelve starts take eleven intervals.
    assert min(c - a for a, c in zip(starts, starts[2:])) >= 0.05
    assert starts[-1] - starts[0] >= 11 * 0.05 - 0.02


def test_one_limiter_per_service_and_identity():
    a = shared_limiter("svc-test", "key-1", 3)
    assert shared_limiter("svc-test", "key-1", 3) is a
    assert shared_limiter("svc-test", "key-2", 3) is not a


@pytest.mark.parametrize(("text", "seconds"), [("1s", 1.0), ("60s", 60.0), ("500ms", 0.5), ("2", 2.0),
                                                ("", None), (None, None), ("soon", None), ("0s", None)])
def test_crossref_interval_header(text, seconds):
    assert parse_interval(text) == seconds


def test_a_slower_announced_rate_also_spaces_the_request_already_made():
    clock = FakeClock()
    limiter = RateLimiter(100, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    limiter.set_rate(2)  # the answer to that request announced 2 a second
    assert limiter.acquire() == pytest.approx(0.5)
