"""``python -m healthclaims``: the healthclaims command line."""

from healthclaims.cli.main import cli

# Guarded: processes started with "spawn" (Dask's LocalCluster workers) import this module again.
if __name__ == "__main__":
    cli(prog_name="healthclaims")
