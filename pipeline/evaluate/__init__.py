"""Scoring records against gold annotations, as ANNOTATION.md defines."""
