"""``healthclaims report``: the static HTML audit report of an output folder."""

from __future__ import annotations

from pathlib import Path

import click
from healthclaims.cli.main import UsageProblem, cli


@cli.command("report")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", "report_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the report [default: OUTDIR/report].")
@click.option("--force", is_flag=True, help="Rewrite every page, even those whose record is unchanged.")
@click.option("-q", "--quiet", is_flag=True, help="No summary line.")
def report_command(outdir: Path, report_dir: Path | None, force: bool, quiet: bool) -> None:
    """Write a static HTML report of the records in OUTDIR: an index of every article
    (sortable, filterable) and one page per article with its claims, citations, quotes,
    speakers and techniques highlighted in the text. Opens from disk: no server, no network.
    Only pages of articles whose record changed are rewritten (see --force).
    """
    from healthclaims.records.reading import RecordsError
    from healthclaims.report.html import build_report

    try:
        summary = build_report(outdir, report_dir, force=force)
    except RecordsError as exc:
        raise UsageProblem(str(exc)) from exc
    if not quiet:
        click.echo(f"{summary.index}: {summary.articles} article page(s), {summary.written} written, "
                   f"{summary.unchanged} unchanged" + (f", {summary.removed} removed" if summary.removed else ""))
