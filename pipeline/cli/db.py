"""``healthclaims db``: load an output folder's records into a SQLite database."""

from __future__ import annotations

from pathlib import Path

import click
from healthclaims.cli.main import UsageProblem, cli


@cli.command("db")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.argument("db_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--prune", is_flag=True, help="Also delete articles that are in the database but not in OUTDIR.")
@click.option("-q", "--quiet", is_flag=True, help="No summary line.")
def db_command(outdir: Path, db_file: Path, prune: bool, quiet: bool) -> None:
    """Load the records in OUTDIR into the SQLite database DB_FILE (created when missing).

    Tables: articles, claims, citations, claim_citations, quotes, speakers, techniques,
    technique_mentions and checks, keyed by article, with full-text search on claims.text
    and quotes.text (claims_fts, quotes_fts). Running it again after a re-run replaces the
    rows of changed articles only; articles no longer in OUTDIR stay unless --prune.
    Browse it with `datasette DB_FILE` (pip install 'healthclaims[browse]').
    """
    from healthclaims.records.reading import RecordsError
    from healthclaims.report.db import build_database

    try:
        summary = build_database(outdir, db_file, prune=prune)
    except RecordsError as exc:
        raise UsageProblem(str(exc)) from exc
    if not quiet:
        click.echo(
            f"{db_file}: {summary.articles} article(s): {summary.inserted} added, {summary.updated} updated, "
            f"{summary.unchanged} unchanged" + (f", {summary.pruned} pruned" if prune else "")
        )
