"""``python -m healthclaims``: the healthclaims command line."""

from healthclaims.cli.main import cli

cli(prog_name="healthclaims")
