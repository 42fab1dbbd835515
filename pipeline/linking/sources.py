"""The interface every paper source plugs into: a library file index, PubMed, Crossref.

A source is any object with a ``name`` and a ``search(evidence)`` method that returns the
papers it considers candidates for one citation. The matcher scores them; a source never
decides. A source that cannot answer (network down, bad response, rate limit exhausted)
raises ``SourceError``, which the resolver records on the citation and counts, so one
failing source never stops a run.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from healthclaims.linking.paper import CitationEvidence, Paper


class SourceError(Exception):
    """A source could not answer a search (network, HTTP status, malformed response).

    Args:
        source: the source's ``name`` ("pubmed", "crossref", a library file path).
        message: what went wrong, for a reviewer ("HTTP 503 from esearch").
        retryable: True when trying again later may succeed (time-outs, 429, 5xx).
    """

    def __init__(self, source: str, message: str, *, retryable: bool = False):
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message
        self.retryable = retryable


class OfflineError(SourceError):
    """A source was asked to use the network in a run started with ``--offline``."""

    def __init__(self, source: str, what: str | None = None):
        detail = f" ({what})" if what else ""
        super().__init__(source, f"network use refused{detail}: the run is --offline", retryable=False)


@runtime_checkable
class PaperSource(Protocol):
    """What the resolver asks of a source.

    ``name`` is what a resolved citation records as its ``source`` for papers that carry
    none of their own; ``search`` returns candidates (most relevant first, at most a few
    dozen), raising ``SourceError`` when it cannot answer. It must be safe to call from
    several threads at once: the resolver runs the online sources' look-ups concurrently.
    """

    name: str

    def search(self, evidence: CitationEvidence) -> list[Paper]:
        """Candidate papers for one citation's evidence (empty when none)."""
        ...


# ----------------------------------------------------------------------------- online sources

#: The online sources ``--online`` accepts, in the order they are asked.
ONLINE_SOURCES = ("pubmed", "crossref")


def build_online_source(name: str, *, cache_dir: str | None = None, offline: bool = False) -> PaperSource:
    """The online source called ``name``, from ``healthclaims.linking.online``.

    The contract with that package: it provides ``build_source(name, *, cache_dir, offline)``
    returning a ``PaperSource`` whose responses are kept in an SQLite cache under
    ``cache_dir`` (a default user cache folder when None). With ``offline=True`` it answers
    from the cache alone and raises ``OfflineError`` on a miss, opening no socket.

    Raises:
        ValueError: when ``name`` is not one of ``ONLINE_SOURCES`` or the package is absent.
    """
    if name not in ONLINE_SOURCES:
        raise ValueError(f"unknown online source {name!r}: choose from {', '.join(ONLINE_SOURCES)}")
    try:
        from healthclaims.linking import online
    except ImportError as exc:  # the online clients are an optional part of the package
        raise ValueError(f"online source {name!r} is not available: {exc}") from exc
    return online.build_source(name, cache_dir=cache_dir, offline=offline)


class no_network:
    """Refuse every non-loopback connection in this process while active (``--offline``).

    A guarantee that does not rest on each client honouring its ``offline`` flag: a socket
    connect to anything but 127.0.0.0/8 or ::1 raises ``OfflineError``. Local test servers
    keep working.
    """

    def __enter__(self) -> no_network:  # noqa: PYI034 - a plain context manager, never subclassed
        import socket

        self._socket = socket
        self._connect = socket.socket.connect
        self._connect_ex = socket.socket.connect_ex
        self._create = socket.create_connection
        self._getaddrinfo = socket.getaddrinfo
        original_connect, original_connect_ex = self._connect, self._connect_ex
        original_create, original_getaddrinfo = self._create, self._getaddrinfo

        def loopback(address) -> bool:
            host = address[0] if isinstance(address, tuple) else address
            if isinstance(host, bytes):
                host = host.decode()
            if not isinstance(host, str):  # AF_UNIX paths are local by definition
                return True
            return host in ("localhost", "::1") or host.startswith(("127.", "/"))

        def connect(sock, address):
            if sock.family in (socket.AF_INET, socket.AF_INET6) and not loopback(address):
                raise OfflineError("network", f"socket to {address!r}")
            return original_connect(sock, address)

        def connect_ex(sock, address):
            if sock.family in (socket.AF_INET, socket.AF_INET6) and not loopback(address):
                raise OfflineError("network", f"socket to {address!r}")
            return original_connect_ex(sock, address)

        def create_connection(address, *args, **kwargs):
            if not loopback(address):
                raise OfflineError("network", f"connection to {address!r}")
            return original_create(address, *args, **kwargs)

        def getaddrinfo(host, *args, **kwargs):
            # A name look-up is network use too (DNS), and precedes every connection.
            if host is not None and not loopback((host,)):
                raise OfflineError("network", f"name look-up of {host!r}")
            return original_getaddrinfo(host, *args, **kwargs)

        socket.socket.connect = connect
        socket.socket.connect_ex = connect_ex
        socket.create_connection = create_connection
        socket.getaddrinfo = getaddrinfo
        return self

    def __exit__(self, *exc) -> None:
        socket = self._socket
        socket.socket.connect = self._connect
        socket.socket.connect_ex = self._connect_ex
        socket.create_connection = self._create
        socket.getaddrinfo = self._getaddrinfo


@runtime_checkable
class Source(PaperSource, Protocol):
    """A paper source that can also fetch papers by exact identifier (PubMed, Crossref).

    ``lookup_ids`` returns the papers it finds for the PMIDs and DOIs given (any order, none
    for an identifier the source does not know), raising ``SourceError`` when it cannot answer.
    """

    def lookup_ids(self, pmids: list[str] | None = None, dois: list[str] | None = None) -> list[Paper]:
        """The papers with these exact identifiers."""
        ...
