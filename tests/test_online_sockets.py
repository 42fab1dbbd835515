"""The suite-wide socket block (tests/conftest.py): only this machine can be reached from a test."""

from __future__ import annotations

import socket

import pytest
from online_server import FixtureServer, Reply
from pytest_socket import SocketConnectBlockedError


def test_connections_are_guarded_during_tests():
    # Checked first, so that the next test can never send a packet anywhere if the guard were missing.
    assert socket.socket.connect.__name__ == "guarded_connect"


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_a_connection_to_another_host_is_refused_before_any_packet():
    assert socket.socket.connect.__name__ == "guarded_connect"
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(SocketConnectBlockedError, match="192.0.2.1"):  # TEST-NET-1, never routed
        sock.connect(("192.0.2.1", 80))


def test_loopback_servers_still_work():
    import httpx

    with FixtureServer() as server:
        server.add("/ping", Reply(body=b"pong"))
        assert httpx.get(f"{server.url}/ping").text == "pong"
