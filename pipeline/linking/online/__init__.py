"""Online literature sources, used only when asked: PubMed (NCBI E-utilities) and Crossref.

Every answer is kept in one SQLite cache, so a re-run makes no request; ``offline=True``
answers from that cache alone and never opens a socket. Settings come from the environment:

- ``NCBI_API_KEY``: NCBI API key (10 requests a second instead of 3).
- ``NCBI_EMAIL`` / ``CROSSREF_MAILTO`` / ``HEALTHCLAIMS_MAILTO``: the contact address both
  services ask for (the service's own variable first, then the shared one).
- ``HEALTHCLAIMS_EUTILS_URL`` / ``HEALTHCLAIMS_CROSSREF_URL``: other base URLs (tests, mirrors).
- ``HEALTHCLAIMS_CACHE_DIR``: the cache folder when none is given (default: the user cache folder).
- ``HEALTHCLAIMS_HTTP_TIMEOUT``: seconds to wait for an answer (default 20).

The network client (httpx) and PubMed's XML parser (Biopython) come with the ``online`` extra:
``pip install 'healthclaims[online]'``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from pathlib import Path

from healthclaims.linking.online.batch import BatchResult, search_many
from healthclaims.linking.online.cache import ResponseCache
from healthclaims.linking.online.client import MissingExtra, RetryPolicy, import_optional
from healthclaims.linking.online.crossref import CROSSREF_BASE, CrossrefSource
from healthclaims.linking.online.eutils import EUTILS_BASE, PubMedSource

__all__ = [
    "BatchResult", "CrossrefSource", "MissingExtra", "PubMedSource", "ResponseCache", "RetryPolicy",
    "build_source", "default_cache_dir", "search_many",
]

CACHE_FILE = "online-responses.sqlite3"
_caches: dict[Path, ResponseCache] = {}
_caches_lock = threading.Lock()


def default_cache_dir(env: Mapping[str, str] = os.environ) -> Path:
    """``HEALTHCLAIMS_CACHE_DIR``, else ``$XDG_CACHE_HOME/healthclaims``, else ``~/.cache/healthclaims``."""
    if env.get("HEALTHCLAIMS_CACHE_DIR"):
        return Path(env["HEALTHCLAIMS_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "healthclaims"


def _cache(cache_dir: str | Path | None, env: Mapping[str, str]) -> ResponseCache:
    path = (Path(cache_dir) if cache_dir else default_cache_dir(env)) / CACHE_FILE
    with _caches_lock:
        if path not in _caches:
            _caches[path] = ResponseCache(path)
        return _caches[path]


def _timeout(env: Mapping[str, str]) -> RetryPolicy:
    text = env.get("HEALTHCLAIMS_HTTP_TIMEOUT")
    if not text:
        return RetryPolicy()
    try:
        seconds = float(text)
    except ValueError:
        raise ValueError(f"HEALTHCLAIMS_HTTP_TIMEOUT must be a number of seconds, got {text!r}") from None
    if seconds <= 0:
        raise ValueError(f"HEALTHCLAIMS_HTTP_TIMEOUT must be positive, got {text!r}")
    return RetryPolicy(timeout=seconds)


def build_source(name: str, *, cache_dir: str | Path | None = None, offline: bool = False,
                 env: Mapping[str, str] = os.environ) -> PubMedSource | CrossrefSource:
    """The online source ``name`` ("pubmed" or "crossref"), configured from ``env``.

    Sources built for one cache folder share one cache file; sources of one service share
    one rate limiter, so concurrent threads stay within its limit together.

    Raises:
        ValueError: an unknown name or a bad setting.
        MissingExtra: (also a ValueError) the ``online`` extra is not installed.
    """
    if name not in ("pubmed", "crossref"):
        raise ValueError(f"unknown online source {name!r}: choose from pubmed, crossref")
    if not offline:
        import_optional("httpx", f"the {name} source")
    retry = _timeout(env)
    shared_mail = env.get("HEALTHCLAIMS_MAILTO") or None
    if name == "pubmed":
        import_optional("Bio.Entrez", "the pubmed source")
        return PubMedSource(cache=_cache(cache_dir, env), base_url=env.get("HEALTHCLAIMS_EUTILS_URL") or EUTILS_BASE,
                            api_key=env.get("NCBI_API_KEY") or None, email=env.get("NCBI_EMAIL") or shared_mail,
                            offline=offline, retry=retry)
    return CrossrefSource(cache=_cache(cache_dir, env), base_url=env.get("HEALTHCLAIMS_CROSSREF_URL") or CROSSREF_BASE,
                          mailto=env.get("CROSSREF_MAILTO") or shared_mail, offline=offline, retry=retry)
