"""Shared fixtures: the full healthclaims pipeline is loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "massage-chronic-back-pain.txt"
SHARED = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def nlp():
    from healthclaims.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_doc(nlp, sample_text):
    return nlp(sample_text)
