"""``python -m pipeline``: the healthclaims command line."""

from .cli import cli

cli(prog_name="healthclaims")
