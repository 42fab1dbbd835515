"""Client-side rate limiting shared by every thread that talks to one service.

NCBI allows 3 requests a second (10 with an API key) per user, Crossref advertises its limit
in response headers; both count requests from all of a user's threads together, so one
limiter per service and identity serves the whole process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """Spaces request starts at least ``1 / rate`` seconds apart, across threads.

    ``pause(seconds)`` holds every thread back (a 429 or Retry-After applies to the user, not
    to the one request that received it).

    Args:
        rate: requests per second.
        clock, sleep: injectable for tests; default ``time.monotonic`` and ``time.sleep``.
    """

    def __init__(self, rate: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        if rate <= 0:
            raise ValueError(f"rate must be positive, got {rate}")
        self._interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next = 0.0  # the earliest time the next request may start
        self._last = float("-inf")  # when the last granted request started

    @property
    def rate(self) -> float:
        """Requests per second now allowed."""
        return 1.0 / self._interval

    def set_rate(self, rate: float) -> None:
        """Change the allowed rate (a service announced its limit)."""
        if rate > 0:
            with self._lock:
                self._interval = 1.0 / rate
                # The request already granted counts under the new spacing too.
                self._next = max(self._next, self._last + self._interval)

    def acquire(self) -> float:
        """Wait for this thread's turn; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self._interval
            self._last = start
        wait = start - now
        if wait > 0:
            self._sleep(wait)
        return wait

    def pause(self, seconds: float) -> None:
        """Let no request start for ``seconds`` from now."""
        with self._lock:
            self._next = max(self._next, self._clock() + seconds)


_shared: dict[tuple[str, str], RateLimiter] = {}
_shared_lock = threading.Lock()


def shared_limiter(service: str, identity: str, rate: float) -> RateLimiter:
    """The one limiter of ``service`` for ``identity`` (an API key, or "" for none) in this process.

    Two sources built for the same service and identity share it, so their requests together
    stay within the limit. A later call with another ``rate`` does not change it.
    """
    with _shared_lock:
        limiter = _shared.get((service, identity))
        if limiter is None:
            limiter = _shared[(service, identity)] = RateLimiter(rate)
        return limiter


def parse_interval(value: str | None) -> float | None:
    """Seconds from a Crossref ``X-Rate-Limit-Interval`` header ("1s", "60s"), or None."""
    if not value:
        return None
    text = value.strip().lower()
    scale = 1.0
    if text.endswith("ms"):
        text, scale = text[:-2], 0.001
    elif text.endswith("s"):
        text = text[:-1]
    elif text.endswith("m"):
        text, scale = text[:-1], 60.0
    try:
        seconds = float(text) * scale
    except ValueError:
        return None
    return seconds if seconds > 0 else None
