"""Batch runs over folders of articles: discovery, fingerprints, workers, atomic outputs."""
