"""The persistent on-disk cache of online answers: one SQLite file, one row per normalised request.

A re-run asks the cache first and makes no request for anything it has; only answers are
stored (2xx and definite 4xx such as a DOI Crossref does not know), never failures.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

#: Parameters that identify the caller rather than the question: two users asking the same
#: thing share one cache entry, and no key or address is ever written into the cache file.
IDENTITY_PARAMS = frozenset({"api_key", "email", "tool", "mailto"})

SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    status INTEGER NOT NULL,
    content_type TEXT,
    body BLOB NOT NULL,
    fetched_at REAL NOT NULL
)
"""


@dataclass(frozen=True)
class CachedResponse:
    """One stored answer."""

    status: int
    body: bytes
    content_type: str | None
    fetched_at: float  # seconds since the epoch
    from_cache: bool = True

    def text(self) -> str:
        """The body decoded as UTF-8 (both services answer in UTF-8)."""
        return self.body.decode("utf-8", errors="replace")


def request_key(method: str, url: str, params: dict[str, object] | None = None) -> str:
    """The cache key of a request: method, URL and its sorted parameters, identity removed.

    List values keep their order (an id list is part of the question); ``None`` values are
    dropped as the HTTP client drops them.
    """
    items: list[tuple[str, str]] = []
    for name in sorted(params or {}):
        if name in IDENTITY_PARAMS:
            continue
        value = (params or {})[name]
        if value is None:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        items.extend((name, str(v)) for v in values)
    query = urlencode(items)
    return f"{method.upper()} {url.rstrip('?')}" + (f"?{query}" if query else "")


class ResponseCache:
    """A thread-safe SQLite store of answers keyed by ``request_key``.

    Several threads (and processes: the file is in WAL mode) may read and write at once.

    Args:
        path: the SQLite file; its folder is created when missing.
        max_age: seconds after which an answer counts as absent (None keeps answers forever).
    """

    def __init__(self, path: str | Path, max_age: float | None = None):
        self.path = Path(path)
        self.max_age = max_age
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(SCHEMA)
            self._db.commit()
        except sqlite3.DatabaseError as exc:
            raise ValueError(f"{self.path}: not a usable response cache ({exc})") from exc

    def get(self, key: str) -> CachedResponse | None:
        """The stored answer for ``key``, or None when absent or older than ``max_age``."""
        with self._lock:
            row = self._db.execute(
                "SELECT status, body, content_type, fetched_at FROM responses WHERE key = ?", (key,)
            ).fetchone()
        if row is None:
            return None
        status, body, content_type, fetched_at = row
        if self.max_age is not None and time.time() - fetched_at > self.max_age:
            return None
        return CachedResponse(status, bytes(body), content_type, fetched_at)

    def put(self, key: str, source: str, url: str, status: int, body: bytes, content_type: str | None) -> None:
        """Store an answer (replacing an older one for the same key)."""
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO responses (key, source, url, status, content_type, body, fetched_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (key, source, url, status, content_type, body, time.time()),
            )
            self._db.commit()

    def delete(self, key: str) -> None:
        """Forget one answer (a stored body that later proved unreadable)."""
        with self._lock:
            self._db.execute("DELETE FROM responses WHERE key = ?", (key,))
            self._db.commit()

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0]

    def close(self) -> None:
        """Close the database file."""
        with self._lock:
            self._db.close()
