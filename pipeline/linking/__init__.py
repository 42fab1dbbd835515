"""Resolving citations to papers (reference libraries, PubMed, Crossref) and checking claims against them."""
