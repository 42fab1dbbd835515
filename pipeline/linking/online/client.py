"""The HTTP session every online source talks through: cache first, then rate limit, timeout, retries.

Answers are stored in the ``ResponseCache``; failures never are. After a source proved
unreachable (connection refused, time-outs, 5xx after every retry) the rest of the run gets
the same one-line ``SourceError`` at once instead of waiting out each request again.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from healthclaims import __version__
from healthclaims.linking.online.cache import CachedResponse, ResponseCache, request_key
from healthclaims.linking.online.ratelimit import RateLimiter
from healthclaims.linking.sources import OfflineError, SourceError

EXTRA_HINT = "install the online extra: pip install 'healthclaims[online]'"

#: Statuses worth another try: the service is busy or briefly broken.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
#: Final answers that are stored: found, and "no such work" (Crossref's 404 for an unknown DOI).
CACHED_STATUSES = frozenset({200, 203, 404, 410})
#: Exhausted requests in a row after which a source counts as down for the rest of the run.
DOWN_AFTER = 3


class MissingExtra(ImportError, ValueError):
    """An optional dependency of the online sources is not installed."""


def import_optional(module: str, purpose: str):
    """Import ``module`` or raise ``MissingExtra`` naming the extra that brings it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtra(f"{purpose} needs the Python package '{module}': {EXTRA_HINT}") from exc


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait for an answer and how often to try again.

    Args:
        timeout: seconds to wait for a connection and for each read.
        retries: further attempts after the first, on time-outs, connection errors, 429 and 5xx.
        backoff: the first wait in seconds, doubled at each retry (plus up to ``jitter`` of it).
        max_backoff: the longest single wait.
        max_retry_after: a ``Retry-After`` longer than this gives up at once (the service asks
            for more patience than a run should spend on one request).
    """

    timeout: float = 20.0
    retries: int = 4
    backoff: float = 1.0
    max_backoff: float = 30.0
    jitter: float = 0.5
    max_retry_after: float = 120.0

    def wait(self, attempt: int, rand: Callable[[], float] = random.random) -> float:
        """Seconds before retry number ``attempt`` (0 for the first retry)."""
        base = min(self.max_backoff, self.backoff * 2**attempt)
        return base * (1 + self.jitter * rand())


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class HttpClient:
    """GET requests for one source through its cache, rate limiter and retry policy.

    Args:
        source: the source's name, used in every error message and cache row.
        cache: the response cache, or None to keep nothing.
        limiter: the rate limiter shared by every thread using this service.
        retry: time-outs and retries.
        offline: answer from the cache alone; a miss raises ``OfflineError`` and no socket opens.
        user_agent: the ``User-Agent`` header (services ask for a contact address in it).
        identity: parameters added to every request but not to the cache key (tool, email, api_key).
        max_concurrency: requests in flight at once (Crossref limits concurrency as well as rate).
        on_headers: called with the headers of each network answer (rate-limit announcements).
        sleep: injectable for tests.
    """

    def __init__(self, source: str, *, cache: ResponseCache | None, limiter: RateLimiter,
                 retry: RetryPolicy | None = None, offline: bool = False, user_agent: str | None = None,
                 identity: Mapping[str, str] | None = None, max_concurrency: int = 3,
                 on_headers: Callable[[Mapping[str, str]], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.source = source
        self.cache = cache
        self.limiter = limiter
        self.retry = retry or RetryPolicy()
        self.offline = offline
        self.user_agent = user_agent or f"healthclaims/{__version__}"
        self.identity = {k: v for k, v in (identity or {}).items() if v}
        self.on_headers = on_headers
        self._sleep = sleep
        self._slots = threading.BoundedSemaphore(max(1, max_concurrency))
        self._lock = threading.Lock()
        self._http = None  # the httpx.Client, made on first network use
        self._failures = 0
        self.down: str | None = None  # the message of the failure that took the source down
        self.requests = 0  # requests sent over the network (each retry counts)

    def get(self, url: str, params: Mapping[str, object] | None = None, *,
            check: Callable[[CachedResponse], str | None] | None = None) -> CachedResponse:
        """The answer to ``GET url?params``, from the cache when it has it.

        Args:
            check: inspects a 2xx answer; a returned message means the service answered with
                an error page (NCBI's "Search Backend failed"), which is retried, never cached.

        Raises:
            OfflineError: offline and not in the cache.
            SourceError: no answer after every retry, or a status that is not an answer.
        """
        params = {k: v for k, v in (params or {}).items() if v is not None}  # httpx would send "k="
        key = request_key("GET", url, params)
        if self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None and (check is None or hit.status != 200 or check(hit) is None):
                return hit
        if self.offline:
            raise OfflineError(self.source, f"{_short(url)} is not in the cache")
        if self.down is not None:
            raise SourceError(self.source, self.down, retryable=True)
        response = self._fetch(url, params, check)
        if self.cache is not None and response.status in CACHED_STATUSES:
            self.cache.put(key, self.source, url, response.status, response.body, response.content_type)
        return response

    def forget(self, url: str, params: Mapping[str, object] | None = None) -> None:
        """Drop a cached answer that proved unreadable, so the next run asks again."""
        if self.cache is not None:
            self.cache.delete(request_key("GET", url, dict(params or {})))

    def _client(self):
        with self._lock:
            if self._http is None:
                httpx = import_optional("httpx", "going online")
                self._http = httpx.Client(
                    timeout=httpx.Timeout(self.retry.timeout),
                    headers={"User-Agent": self.user_agent},
                    follow_redirects=True,
                )
            return self._http

    def _fetch(self, url: str, params: dict[str, object], check) -> CachedResponse:
        import httpx  # _client() has checked it is installed

        client = self._client()
        problem, wait = "", 0.0
        for attempt in range(self.retry.retries + 1):
            if attempt and wait > 0:
                self._sleep(wait)
            self.limiter.acquire()
            try:
                with self._slots:
                    with self._lock:
                        self.requests += 1
                    answer = client.get(url, params={**params, **self.identity})
            except httpx.TimeoutException:
                problem, wait = f"no answer within {self.retry.timeout:g} s from {_short(url)}", self.retry.wait(attempt)
                continue
            except httpx.TransportError as exc:
                problem, wait = f"cannot reach {_host(url)} ({_reason(exc)})", self.retry.wait(attempt)
                continue
            if self.on_headers is not None:
                self.on_headers(answer.headers)
            if answer.status_code in RETRY_STATUSES:
                problem = f"HTTP {answer.status_code} from {_short(url)}"
                asked = retry_after_seconds(answer.headers.get("Retry-After"))
                if asked is not None and asked > self.retry.max_retry_after:
                    problem += f" (asks to retry after {asked:g} s)"
                    break
                wait = asked if asked is not None else self.retry.wait(attempt)
                if answer.status_code == 429:
                    # The limit is the user's, not this request's: hold every thread back, and
                    # let the limiter do this thread's waiting too.
                    self.limiter.pause(wait)
                    wait = 0.0
                continue
            response = CachedResponse(answer.status_code, answer.content,
                                      answer.headers.get("Content-Type"), time.time(), from_cache=False)
            if 200 <= answer.status_code < 300 and check is not None:
                bad = check(response)
                if bad:
                    problem, wait = f"error answer from {_short(url)}: {bad}", self.retry.wait(attempt)
                    continue
            if answer.status_code not in CACHED_STATUSES:
                raise SourceError(self.source, f"HTTP {answer.status_code} from {_short(url)}: {_snippet(answer.text)}")
            with self._lock:
                self._failures = 0
            return response
        attempts = attempt + 1
        message = f"{problem} after {attempts} attempt{'s' if attempts > 1 else ''}"
        with self._lock:
            self._failures += 1
            if self._failures >= DOWN_AFTER or problem.startswith(("cannot reach", "no answer")):
                self.down = f"unreachable: {message}; later look-ups skipped"
        raise SourceError(self.source, message, retryable=True)

    def close(self) -> None:
        """Close the network connections."""
        with self._lock:
            if self._http is not None:
                self._http.close()
                self._http = None


def _short(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}"


def _host(url: str) -> str:
    return urlsplit(url).netloc


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:160]


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat[:160] + ("..." if len(flat) > 160 else "")
