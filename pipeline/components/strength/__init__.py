"""Claim strength (causal, conditional causal, correlational, none)."""
