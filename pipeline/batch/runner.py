"""Batch runs: find articles, skip unchanged ones, extract the rest (optionally in parallel),
and write one record per article, ``records.jsonl``, ``errors.jsonl`` and ``manifest.json``.

A run has four steps, each a small function: ``discover`` the inputs, ``_plan`` which
articles need extracting, hand the work to a backend (``workers.open_backend``), and let
``writer.ResultWriter`` put every result on disk and keep the counts. Every output file is written
atomically by this process; one failing article never stops the batch; after the run,
``records.jsonl`` lists every record in the folder whose input still exists.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from healthclaims import __version__
from healthclaims.batch.discovery import Discovery, discover
from healthclaims.batch.fingerprints import existing_record, fingerprint, fingerprint_settings, rules_digest
from healthclaims.batch.outputs import (
    RESERVED_OUTPUTS,
    Catalog,
    clear_temporary_files,
    write_atomic,
)
from healthclaims.batch.workers import Result, Task, open_backend, process_batch
from healthclaims.batch.writer import ResultWriter, interrupts_between_results
from healthclaims.io.textio import ARTICLE_SUFFIXES, FORMATS, assign_ids, read_article, sha256_of
from healthclaims.modelref import resolve_model
from healthclaims.records.models import SCHEMA_VERSION, Record

__all__ = [
    "RESERVED_OUTPUTS", "NoArticles", "RunEvents", "RunOptions", "RunSummary", "discover", "existing_record",
    "extract_one", "fingerprint", "fingerprint_settings", "process_batch", "records_for", "rules_digest", "run",
    "write_atomic",
]


class NoArticles(ValueError):
    """The inputs hold no article files."""


@dataclass
class RunOptions:
    """What a run does; everything that changes records goes into the fingerprint."""

    model: str | None = None
    jobs: int = 1
    force: bool = False
    batch_size: int = 32  # articles handed to nlp.pipe at once (per worker)
    format: str = "auto"  # auto (by suffix) | text | markdown | html
    parse: str = "full"  # healthclaims.nlp.PARSE_MODES; "selective" runs NER only where names can appear
    prune: bool = False  # delete the records of inputs that no longer exist
    libraries: list[Path] = field(default_factory=list)  # library files citations are resolved against
    cache_dir: Path | None = None  # where the library index is kept (default: the user cache)
    # A Dask scheduler address, local:N, or an open ``distributed.DaskCluster``; None: this machine (``jobs``).
    dask: Any = None
    # Where Dask workers write the records when it is not the output folder itself (an fsspec URL the
    # folder stages, see ``remote.run_at``).
    records_url: str | None = None


@dataclass
class RunSummary:
    """The counts of a run: the same figures in the summary, ``manifest.json`` and the exit status.

    ``found == written + unchanged + failed articles + pending``; ``records`` (lines of
    ``records.jsonl``) ``== written + unchanged + kept``.
    """

    found: int = 0  # article files under the inputs
    written: int = 0  # records extracted and written by this run
    unchanged: int = 0  # records already up to date, not redone
    failed: int = 0  # articles or folders that could not be processed (errors.jsonl)
    skipped: int = 0  # non-article files, link loops, broken links: not failures
    kept: int = 0  # records of earlier runs for inputs this run did not reach, still listed
    orphaned: int = 0  # records whose input no longer exists (not in records.jsonl)
    pruned: int = 0  # orphaned records deleted (--prune)
    pending: int = 0  # articles not reached before an interruption
    records: int = 0  # records listed in records.jsonl
    skipped_kinds: dict[str, int] = field(default_factory=dict)
    error_kinds: dict[str, int] = field(default_factory=dict)
    words: int = 0
    claims: int = 0
    citations: int = 0
    quotes: int = 0
    speakers: int = 0
    techniques: int = 0
    resolved: int = 0  # citations resolved to a paper (runs with --library)
    ambiguous: int = 0
    resolve_seconds: float = 0.0
    library_problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def up_to_date(self) -> bool:
        """Nothing needed extracting and nothing failed."""
        return not self.written and not self.failed and not self.interrupted


class RunEvents:
    """Hooks through which a front end follows a run; the default does nothing."""

    def started(self, found: int, to_extract: int) -> None:
        """The plan is made: ``to_extract`` of ``found`` articles need the model."""

    def status(self, text: str | None) -> None:
        """What the run is doing when it is not extracting (loading the model); None when that is over."""

    def advanced(self, done: int, extracted: int) -> None:
        """``done`` more articles are finished, ``extracted`` of them by the model."""


# ----------------------------------------------------------------------------- planning


def _plan(found: Discovery, ids: list[str], outdir: Path, settings: dict[str, Any], options: RunOptions) -> list[Task | Result]:
    """A task for every article whose record is missing or out of date; a result for the rest."""
    plan: list[Task | Result] = []
    for (path, _root), article_id in zip(found.files, ids):
        try:
            data = path.read_bytes()
        except OSError as exc:
            reason = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
            plan.append(Result("failed", article_id, str(path), kind="unreadable", message=f"cannot read: {reason}"))
            continue
        sha = sha256_of(data)
        fp = fingerprint(sha, settings)
        if not options.force and existing_record(outdir / f"{article_id}.json", fp) is not None:
            plan.append(Result("unchanged", article_id, str(path), sha))
        else:
            plan.append(Task(article_id, str(path), str(path), fp, options.format))
    return plan


def _batched(iterable: Iterable, size: int) -> Iterator[list]:
    it = iter(iterable)
    while batch := list(islice(it, size)):
        yield batch


# ----------------------------------------------------------------------------- the run


def run(inputs: list[Path], outdir: Path, options: RunOptions | None = None, events: RunEvents | None = None) -> RunSummary:
    """Run healthclaims over files and folders, writing records into ``outdir``.

    Args:
        inputs: article files and folders (searched recursively).
        outdir: output folder, created when missing.
        options: model, jobs, force, batch size, input format, prune, citation libraries.
        events: hooks that follow the run (progress display).

    Raises:
        NoArticles: when the inputs hold no article file.
        ModelNotFound: when the model is not installed.
        LibraryError: a library file cannot be read.
        ValueError: an unknown input format.
    """
    options, events = options or RunOptions(), events or RunEvents()
    if options.format not in FORMATS:
        raise ValueError(f"unknown format {options.format!r}; allowed: {', '.join(FORMATS)}")
    started, started_iso = time.time(), datetime.now(UTC).isoformat(timespec="seconds")
    found = discover(inputs)
    if not found.files:
        raise NoArticles(_no_articles_message(inputs, found))
    model_ref = resolve_model(options.model)
    resolver = _resolver(options)
    fp_settings = fingerprint_settings(model_ref, options.format, resolver, options.parse)
    settings = {**fp_settings, "model_ref": model_ref, "batch_size": options.batch_size,
                "libraries": [str(p) for p in options.libraries], "cache_dir": options.cache_dir}
    outdir.mkdir(parents=True, exist_ok=True)
    clear_temporary_files(outdir)
    catalog = Catalog.load(outdir)
    ids = catalog.assign_ids([path for path, _root in found.files], assign_ids(found.files))
    summary = RunSummary(found=len(found.files), skipped=sum(found.skipped.values()), skipped_kinds=dict(found.skipped),
                         library_problems=[str(p) for p in resolver.problems] if resolver else [])
    plan = _plan(found, ids, outdir, fp_settings, options)
    to_extract = sum(isinstance(item, Task) for item in plan)
    events.started(len(plan), to_extract)
    writer = ResultWriter(outdir, catalog, summary)
    for problem in found.problems:
        writer.error(problem["path"], problem["error"], problem["message"])
    backend = None
    try:
        with interrupts_between_results() as guard:
            if to_extract:
                backend = _open_backend(options, settings, outdir, events)
                parallel = options.jobs > 1 or options.dask is not None
                batch_size = max(4, options.batch_size // 4) if parallel else options.batch_size
                batches: Iterable[list[Result]] = backend.map(_batched(plan, batch_size))
            else:
                batches = _batched(plan, 256)  # type: ignore[arg-type] - all results, nothing to extract
            for batch in batches:
                for result in batch:
                    with guard():
                        writer.add(result)
                events.advanced(len(batch), sum(r.status == "written" for r in batch))
                events.status(None)  # after the first results: the workers have loaded the model
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        if backend is not None:
            backend.close(summary.interrupted)
        writer.finish(options.prune)
        summary.pending = summary.found - summary.written - summary.unchanged - (summary.failed - len(found.problems))
        summary.seconds = round(time.time() - started, 3)
        manifest = _manifest(summary, inputs, outdir, options, settings, started_iso, found, catalog, writer.orphans)
        write_atomic(outdir / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return summary


def _open_backend(options: RunOptions, settings: dict[str, Any], outdir: Path, events: RunEvents):
    if options.dask is not None:
        # Imported here only: without --dask nothing about Dask is imported.
        from healthclaims.batch.distributed import open_dask_backend

        return open_dask_backend(options.dask, settings, options.records_url or str(outdir.resolve()), events.status)
    return open_backend(options.jobs, settings, events.status)


def _resolver(options: RunOptions):
    """The citation resolver of ``run --library``, built here once: the workers open the same index."""
    if not options.libraries:
        return None
    from healthclaims.linking.resolve import Resolver

    return Resolver(options.libraries, cache_dir=options.cache_dir)


def _no_articles_message(inputs: list[Path], found: Discovery) -> str:
    where = ", ".join(str(p) for p in inputs)
    skipped = sum(found.skipped.values())
    return (f"no articles found in {where}: looked for {', '.join(sorted(ARTICLE_SUFFIXES))} files"
            + (f" ({skipped} other file(s) skipped)" if skipped else ""))


def _manifest(summary: RunSummary, inputs: list[Path], outdir: Path, options: RunOptions, settings: dict[str, Any],
              started_iso: str, found: Discovery, catalog: Catalog, orphans: list[dict[str, str]]) -> dict[str, Any]:
    extracted_rate = summary.written and summary.seconds
    return {
        "healthclaims_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "status": "interrupted" if summary.interrupted else "complete",
        "started": started_iso,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "inputs": [str(p) for p in inputs],
        "output": str(outdir),
        "model": settings["model"],
        "rules": settings["rules"],
        "readers": settings["readers"],
        "options": {"model": options.model, "jobs": options.jobs, "force": options.force,
                    "batch_size": options.batch_size, "format": options.format, "prune": options.prune,
                    "dask": None if options.dask is None else str(getattr(options.dask, "scheduler_address", options.dask))},
        "counts": {k: v for k, v in asdict(summary).items()
                   if k not in ("seconds", "interrupted", "resolve_seconds", "library_problems")},
        "libraries": [str(p) for p in options.libraries],
        "timings": {
            "seconds": summary.seconds,
            "resolve_seconds": round(summary.resolve_seconds, 3),
            "words_per_second": round(summary.words / summary.seconds, 1) if extracted_rate else None,
            "articles_per_second": round(summary.written / summary.seconds, 2) if extracted_rate else None,
        },
        "skipped": found.skipped_paths,
        "orphans": orphans,
        "articles": catalog.as_list(),
    }


# ----------------------------------------------------------------------------- single articles


def extract_one(article, article_id: str, model: str | None = None, nlp=None, fmt: str = "auto") -> Record:
    """Extract the record of a single already-read article (``healthclaims extract``; ``fmt``: the
    format it was read as when forced, which is part of the fingerprint as in ``run``)."""
    from healthclaims.nlp import load_pipeline, model_info, process_texts
    from healthclaims.records.consumer import build_record

    model_ref = resolve_model(model)
    nlp = nlp or load_pipeline(model_ref)
    settings = fingerprint_settings(model_ref, fmt)
    [(chunks, _)] = list(process_texts(nlp, [(article.text, None)]))
    return build_record(
        chunks, article, article_id, pipeline_version=__version__, model=model_info(nlp),
        fingerprint=fingerprint(article.sha256, settings),
    )


def records_for(paths: list[tuple[str, Path]], model: str | None = None, nlp=None) -> Iterator[tuple[str, Record]]:
    """Extract records for ``(article_id, path)`` pairs in memory (for ``evaluate``), in order.

    Raises:
        ArticleError: when a file cannot be read as an article.
    """
    from healthclaims.nlp import load_pipeline, model_info, process_texts
    from healthclaims.records.consumer import build_record

    nlp = nlp or load_pipeline(resolve_model(model))
    info = model_info(nlp)
    articles = [(article_id, read_article(path)) for article_id, path in paths]
    stream = process_texts(nlp, ((article.text, (article_id, article)) for article_id, article in articles))
    for chunks, (article_id, article) in stream:
        yield article_id, build_record(chunks, article, article_id, pipeline_version=__version__, model=info)
