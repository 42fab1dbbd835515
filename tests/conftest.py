"""Shared fixtures: the full healthclaims pipeline is loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "massage-chronic-back-pain.txt"
SHARED = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def nlp():
    # Strength by the bag-of-words classifier whether or not the encoder extra is installed, so the
    # golden record and the labels asserted across the suite do not depend on the environment; the
    # encoder backend is tested in test_strength_encoder.py.
    from healthclaims.nlp import load_pipeline

    return load_pipeline(config={"healthclaims_strength": {"use_encoder": False}})


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_doc(nlp, sample_text):
    return nlp(sample_text)


# ----------------------------------------------------------------------------- no network in tests
# Every test runs with socket connections limited to this machine (pytest-socket): a test that
# reached for PubMed, Crossref or any other host fails with SocketConnectBlockedError instead.
# The online clients are tested against local servers on 127.0.0.1; Unix sockets (used by
# multiprocessing) stay allowed, and tests that run the CLI in a subprocess are unaffected.
LOCAL_HOSTS = ["127.0.0.1", "localhost", "::1"]
_resolved: dict[str, set[str]] = {}


def pytest_runtest_setup(item):
    from pytest_socket import socket_allow_hosts

    socket_allow_hosts(LOCAL_HOSTS, allow_unix_socket=True, resolution_cache=_resolved)
