"""The source interface: the Protocol online clients implement, SourceError, and --offline's socket guard."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.request import urlopen

import pytest
from healthclaims.linking.paper import CitationEvidence, Paper
from healthclaims.linking.sources import (
    OfflineError,
    PaperSource,
    SourceError,
    build_online_source,
    no_network,
)


class FakeSource:
    name = "fake"

    def search(self, evidence: CitationEvidence) -> list[Paper]:
        return [Paper(source=self.name, pmid="1")]


def test_an_object_with_name_and_search_is_a_source():
    assert isinstance(FakeSource(), PaperSource)
    assert not isinstance(object(), PaperSource)


def test_source_error_names_the_source_and_says_whether_to_retry():
    exc = SourceError("pubmed", "HTTP 503 from esearch", retryable=True)
    assert str(exc) == "pubmed: HTTP 503 from esearch"
    assert exc.retryable and exc.source == "pubmed"
    assert isinstance(OfflineError("crossref"), SourceError)
    assert "--offline" in str(OfflineError("crossref"))


def test_unknown_online_source_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="pubmed, crossref"):
        build_online_source("scholar")


def test_no_network_refuses_outside_addresses_before_any_look_up():
    before = (socket.socket.connect, socket.create_connection, socket.getaddrinfo)
    with no_network():
        with pytest.raises(OfflineError, match="name look-up"):
            socket.getaddrinfo("example.org", 443)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            with pytest.raises(OfflineError):
                sock.connect(("192.0.2.1", 80))  # TEST-NET-1: never contacted, refused first
        finally:
            sock.close()
        with pytest.raises(OfflineError):
            socket.create_connection(("192.0.2.1", 80), timeout=0.1)
    # restored afterwards (to whatever was there: the suite's own loopback-only guard)
    assert (socket.socket.connect, socket.create_connection, socket.getaddrinfo) == before


def test_no_network_lets_local_test_servers_work():
    class Hello(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Hello)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    try:
        with no_network():
            assert urlopen(f"http://127.0.0.1:{server.server_port}/", timeout=5).read() == b"ok"
    finally:
        thread.join(5)
        server.server_close()
