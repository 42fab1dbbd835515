"""PubMed through NCBI's E-utilities: ESearch (JSON) for PMIDs, EFetch (PubMed XML) for the records.

NCBI asks every caller for a ``tool`` name and an ``email``, and allows 3 requests a second
per user, 10 with an API key (``NCBI_API_KEY``); the limit is shared by all threads.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from healthclaims.linking.online.cache import CachedResponse, ResponseCache
from healthclaims.linking.online.client import HttpClient, RetryPolicy
from healthclaims.linking.online.pubmed_terms import esearch_terms, identifier_term
from healthclaims.linking.online.pubmed_xml import parse_pubmed_xml
from healthclaims.linking.online.ratelimit import RateLimiter, shared_limiter
from healthclaims.linking.paper import CitationEvidence, Paper
from healthclaims.linking.sources import SourceError

EUTILS_BASE = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
#: PMIDs per EFetch request (NCBI recommends POST beyond ~200).
EFETCH_BATCH = 200


def _esearch_problem(response: CachedResponse) -> str | None:
    try:
        data = json.loads(response.body)
    except ValueError:
        return "ESearch answer is not JSON"
    result = data.get("esearchresult") if isinstance(data, dict) else None
    if not isinstance(result, dict):
        return "ESearch answer has no esearchresult"
    if "ERROR" in result:  # e.g. "Search Backend failed": NCBI's transient failures come as 200s
        return str(result["ERROR"])[:160]
    return None


def _efetch_problem(response: CachedResponse) -> str | None:
    tail = response.body.rstrip()[-40:]
    if b"<PubmedArticleSet" not in response.body[:2000] or not tail.endswith(b"</PubmedArticleSet>"):
        return "EFetch answer is not a complete PubmedArticleSet"
    return None


class PubMedSource:
    """A ``Source`` that searches PubMed for each citation and returns full PubMed records.

    Args:
        cache: where answers are kept (None: nothing kept).
        base_url: the E-utilities base; tests point it at a local server.
        api_key: NCBI API key (raises the rate limit to 10/s); never stored in the cache.
        email: contact address NCBI asks for; sent with every request, never stored.
        tool: the tool name NCBI asks for.
        retmax: PMIDs fetched for one search.
        offline: answer from the cache alone.
        rate: requests a second (default 3, or 10 with a key).
        retry: time-outs and retries.
    """

    name = "pubmed"

    def __init__(self, *, cache: ResponseCache | None, base_url: str = EUTILS_BASE, api_key: str | None = None,
                 email: str | None = None, tool: str = "healthclaims", retmax: int = 5, offline: bool = False,
                 rate: float | None = None, retry: RetryPolicy | None = None, limiter: RateLimiter | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.base_url = base_url.rstrip("/")
        self.retmax = retmax
        rate = rate or (10.0 if api_key else 3.0)
        limiter = limiter or shared_limiter("ncbi", f"{self.base_url} {api_key or ''} {rate}", rate)
        identity = {"tool": tool, "email": email or "", "api_key": api_key or ""}
        self.http = HttpClient(self.name, cache=cache, limiter=limiter, retry=retry, offline=offline,
                               identity=identity, max_concurrency=max(1, int(rate)), sleep=sleep)

    def query_key(self, evidence: CitationEvidence) -> tuple:
        """What ``search`` would ask for this evidence: equal keys give equal answers."""
        return (evidence.pmid, (evidence.doi or "").lower(), tuple(esearch_terms(evidence)))

    def search(self, evidence: CitationEvidence) -> list[Paper]:
        """Candidates for one citation: by PMID or DOI when the article gives one, else by fields.

        Tries the ESearch terms strictest first and returns the records of the first that
        finds anything (at most ``retmax``, PubMed's relevance order).

        Raises:
            SourceError: PubMed could not be asked or gave no readable answer.
        """
        if evidence.pmid or evidence.doi:
            found = self.lookup_ids([evidence.pmid] if evidence.pmid else None,
                                    [evidence.doi] if evidence.doi else None)
            if found:
                return found
        for term in esearch_terms(evidence):
            pmids = self.esearch(term)
            if pmids:
                return self.efetch(pmids)
        return []

    def lookup_ids(self, pmids: list[str] | None = None, dois: list[str] | None = None) -> list[Paper]:
        """The PubMed records of these PMIDs and DOIs (unknown ones are left out)."""
        wanted = [p.strip() for p in pmids or [] if p and p.strip().isdigit()]
        if dois:
            wanted += [p for p in self.esearch(identifier_term(sorted({d.lower() for d in dois})),
                                               retmax=len(dois) * 2) if p not in wanted]
        return self.efetch(wanted) if wanted else []

    def esearch(self, term: str, retmax: int | None = None) -> list[str]:
        """The PMIDs ESearch finds for ``term``, most relevant first."""
        params = {"db": "pubmed", "term": term, "retmode": "json", "retmax": retmax or self.retmax,
                  "sort": "relevance"}
        response = self.http.get(f"{self.base_url}/esearch.fcgi", params, check=_esearch_problem)
        if response.status != 200:
            raise SourceError(self.name, f"HTTP {response.status} from esearch.fcgi", retryable=True)
        result = json.loads(response.body)["esearchresult"]
        return [str(p) for p in result.get("idlist", [])]

    def efetch(self, pmids: list[str]) -> list[Paper]:
        """The full PubMed records of ``pmids``, in that order."""
        papers: dict[str, Paper] = {}
        for start in range(0, len(pmids), EFETCH_BATCH):
            batch = pmids[start:start + EFETCH_BATCH]
            params = {"db": "pubmed", "id": ",".join(batch), "retmode": "xml"}
            response = self.http.get(f"{self.base_url}/efetch.fcgi", params, check=_efetch_problem)
            if response.status != 200:
                raise SourceError(self.name, f"HTTP {response.status} from efetch.fcgi", retryable=True)
            try:
                papers.update((p.pmid, p) for p in parse_pubmed_xml(response.body))
            except ValueError as exc:
                self.http.forget(f"{self.base_url}/efetch.fcgi", params)  # never serve it again
                raise SourceError(self.name, f"unreadable EFetch answer: {exc}") from exc
        return [papers[p] for p in pmids if p in papers]

    def close(self) -> None:
        """Close the network connections."""
        self.http.close()
