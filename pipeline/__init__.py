"""healthclaims: structured records of the claims, citations, quotes and techniques in health articles."""

__version__ = "0.1.0"
