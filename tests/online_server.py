"""A local HTTP server on 127.0.0.1 for the online-source tests, answering from fixtures.

Each path has a queue of replies (the last one repeats); every request is recorded with its
query, headers and arrival time, so tests can count requests and measure their spacing.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "online"


def fixture(name: str) -> bytes:
    """The bytes of one response fixture under tests/fixtures/online/."""
    return (FIXTURES / name).read_bytes()


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (time-out tests)
    content_type: str = "application/json; charset=UTF-8"


@dataclass
class Seen:
    path: str
    query: dict[str, list[str]]
    raw_query: str
    headers: dict[str, str]
    at: float  # time.monotonic() on arrival


#: Crossref's answer for a DOI it does not know; any path without a route gets it.
NOT_FOUND = Reply(404, fixture("crossref_404.txt"), content_type="text/plain")


class FixtureServer:
    """Serves queued ``Reply`` objects per path on 127.0.0.1 (an unknown path answers 404)."""

    def __init__(self):
        self.routes: dict[str, list[Reply]] = {}
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                with server._lock:
                    server.seen.append(Seen(parts.path, parse_qs(parts.query), parts.query, dict(self.headers), time.monotonic()))
                    queue = server.routes.get(parts.path)
                    reply = (queue.pop(0) if len(queue) > 1 else queue[0]) if queue else NOT_FOUND
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (time-out tests)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def add(self, path: str, *replies: Reply) -> None:
        """Queue replies for ``path``; the last one answers every later request."""
        self.routes.setdefault(path, []).extend(replies)

    def requests(self, path: str | None = None) -> list[Seen]:
        """The requests received (for ``path`` only when given)."""
        with self._lock:
            return [s for s in self.seen if path is None or s.path == path]

    def start(self) -> FixtureServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
