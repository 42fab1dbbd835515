"""Crossref's REST API: ``/works?query.bibliographic=...`` for a citation, ``/works/{doi}`` for a DOI.

Crossref asks for a contact address (``mailto``, which also selects its "polite" pool) and
announces its rate limit in ``X-Rate-Limit-Limit`` / ``X-Rate-Limit-Interval`` headers; the
client slows to whatever the latest answer announced.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping
from urllib.parse import quote

from healthclaims import __version__
from healthclaims.linking.online.cache import CachedResponse, ResponseCache
from healthclaims.linking.online.client import HttpClient, RetryPolicy
from healthclaims.linking.online.crossref_map import items_to_papers
from healthclaims.linking.online.ratelimit import RateLimiter, parse_interval, shared_limiter
from healthclaims.linking.paper import CitationEvidence, Paper
from healthclaims.linking.sources import SourceError

CROSSREF_BASE = "https://api.crossref.org"
#: Topic words put into one bibliographic query (more dilute Crossref's scoring).
MAX_TOPIC_WORDS = 6


def bibliographic_query(evidence: CitationEvidence) -> str | None:
    """The ``query.bibliographic`` text for the evidence: authors, venue, topic words, year.

    None when the evidence has neither an author nor topic words: a venue and a year alone
    would rank arbitrary papers.
    """
    authors = [evidence.first_author] if evidence.first_author else []
    authors += [n for n in evidence.named_authors if n not in authors]
    topics = [w for w in evidence.topic_words if len(w.strip()) >= 3][:MAX_TOPIC_WORDS]
    if not authors and not topics:
        return None
    parts = [re.sub(r"\bet al\.?", "", a).strip() for a in authors]
    parts += [evidence.venue or "", *topics]
    if evidence.year and not evidence.year_from_article_date:
        parts.append(str(evidence.year))
    return " ".join(" ".join(p.split()) for p in parts if p.strip())


def year_filter(evidence: CitationEvidence) -> str | None:
    """The ``filter`` restricting the publication year, wider when the year is the article's."""
    if evidence.year is None:
        return None
    first = evidence.year - 1 if evidence.year_from_article_date else evidence.year
    return f"from-pub-date:{first},until-pub-date:{evidence.year}"


def _works_problem(response: CachedResponse) -> str | None:
    try:
        data = json.loads(response.body)
    except ValueError:
        return "Crossref answer is not JSON"
    if not isinstance(data, dict) or data.get("status") != "ok" or not isinstance(data.get("message"), dict):
        return f"Crossref answer status {data.get('status') if isinstance(data, dict) else '?'}"
    return None


class CrossrefSource:
    """A ``Source`` that asks Crossref for each citation and for exact DOIs.

    Args:
        cache: where answers are kept (None: nothing kept).
        base_url: the API base; tests point it at a local server.
        mailto: contact address for the polite pool; sent, never stored in the cache.
        rows: works asked for one citation.
        offline: answer from the cache alone.
        rate: requests a second until Crossref announces its own limit.
        max_concurrency: requests in flight at once (Crossref limits concurrency too).
        retry: time-outs and retries.
    """

    name = "crossref"

    def __init__(self, *, cache: ResponseCache | None, base_url: str = CROSSREF_BASE, mailto: str | None = None,
                 rows: int = 5, offline: bool = False, rate: float | None = None, max_concurrency: int | None = None,
                 retry: RetryPolicy | None = None, limiter: RateLimiter | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.base_url = base_url.rstrip("/")
        self.rows = rows
        rate = rate or (10.0 if mailto else 5.0)
        self.limiter = limiter or shared_limiter("crossref", f"{self.base_url} {mailto or ''} {rate}", rate)
        agent = f"healthclaims/{__version__} (health article citation checker" + (f"; mailto:{mailto})" if mailto else ")")
        self.http = HttpClient(self.name, cache=cache, limiter=self.limiter, retry=retry, offline=offline,
                               user_agent=agent, identity={"mailto": mailto or ""},
                               max_concurrency=max_concurrency or (3 if mailto else 1),
                               on_headers=self._announced_limit, sleep=sleep)

    def _announced_limit(self, headers: Mapping[str, str]) -> None:
        try:
            limit = float(headers.get("X-Rate-Limit-Limit", ""))
        except ValueError:
            return
        interval = parse_interval(headers.get("X-Rate-Limit-Interval"))
        if limit > 0 and interval:
            self.limiter.set_rate(limit / interval)

    def query_key(self, evidence: CitationEvidence) -> tuple:
        """What ``search`` would ask for this evidence: equal keys give equal answers."""
        return ((evidence.doi or "").lower(), bibliographic_query(evidence), year_filter(evidence))

    def search(self, evidence: CitationEvidence) -> list[Paper]:
        """Candidates for one citation: the DOI's work when given and known, else a bibliographic query.

        A year filter that leaves nothing is dropped once (news stories misdate papers).

        Raises:
            SourceError: Crossref could not be asked or gave no readable answer.
        """
        if evidence.doi:
            found = self.lookup_ids(dois=[evidence.doi])
            if found:
                return found
        query = bibliographic_query(evidence)
        if query is None:
            return []
        years = year_filter(evidence)
        papers = self.works(query, years)
        if not papers and years:
            papers = self.works(query, None)
        return papers

    def works(self, query: str, filters: str | None = None) -> list[Paper]:
        """The works ``/works?query.bibliographic=query`` ranks first."""
        params = {"query.bibliographic": query, "rows": self.rows, "filter": filters}
        data = self._json(f"{self.base_url}/works", params)
        if data is None:
            return []
        return items_to_papers(data["message"].get("items", []))

    def lookup_ids(self, pmids: list[str] | None = None, dois: list[str] | None = None) -> list[Paper]:
        """The works of these DOIs (Crossref knows no PMIDs; unknown DOIs are left out)."""
        papers = []
        for doi in dict.fromkeys(d.strip().lower() for d in dois or [] if d and d.strip()):
            data = self._json(f"{self.base_url}/works/{quote(doi, safe='/')}", {})
            if data is not None:
                papers.extend(items_to_papers([data["message"]]))
        return papers

    def _json(self, url: str, params: dict) -> dict | None:
        response = self.http.get(url, params, check=_works_problem)
        if response.status in (404, 410):
            return None  # Crossref has no such DOI: an answer, not a failure
        if response.status != 200:
            raise SourceError(self.name, f"HTTP {response.status} from {url}", retryable=True)
        return json.loads(response.body)

    def close(self) -> None:
        """Close the network connections."""
        self.http.close()
