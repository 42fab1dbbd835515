"""Batch runs: find articles, skip unchanged ones, extract the rest (optionally in parallel),
and write one record per article, ``records.jsonl``, ``errors.jsonl`` and ``manifest.json``.

Every output file is written atomically; records stream to disk in input order, so memory
stays flat however many articles there are; one failing article never stops the batch.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from healthclaims import __version__
from healthclaims.modelref import model_identity, resolve_model
from healthclaims.records.models import SCHEMA_VERSION, Record
from healthclaims.resources import resource_path
from healthclaims.io.textio import ARTICLE_SUFFIXES, ArticleError, assign_ids, read_article, sha256_of

RESERVED_OUTPUTS = {"records", "manifest", "errors"}


class NoArticles(ValueError):
    """The inputs hold no article files."""


@dataclass
class RunOptions:
    """What a run does; everything that changes records goes into the fingerprint."""

    model: str | None = None
    jobs: int = 1
    force: bool = False
    batch_size: int = 32  # articles handed to nlp.pipe at once (per worker)
    parse: str = "full"  # healthclaims.nlp.PARSE_MODES; "selective" runs NER only where names can appear
    libraries: list[Path] = field(default_factory=list)  # library files citations are resolved against
    cache_dir: Path | None = None  # where the library index is kept (default: the user cache)


@dataclass
class RunSummary:
    """Counts and timings of a run (also the core of ``manifest.json``)."""

    found: int = 0
    processed: int = 0
    unchanged: int = 0
    failed: int = 0
    ignored_files: int = 0
    words: int = 0
    claims: int = 0
    citations: int = 0
    quotes: int = 0
    speakers: int = 0
    techniques: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    error_kinds: dict[str, int] = field(default_factory=dict)
    resolved: int = 0  # citations resolved to a paper (runs with --library)
    ambiguous: int = 0
    resolve_seconds: float = 0.0
    library_problems: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- discovery


def discover(inputs: Iterable[Path]) -> tuple[list[tuple[Path, Path | None]], list[dict[str, str]], int]:
    """Expand files and folders (recursively, following links once) into article files.

    Returns ``(files as (path, root), problems, ignored_count)``; problems are unreadable
    folders and link loops, reported like failed articles.
    """
    files: list[tuple[Path, Path | None]] = []
    problems: list[dict[str, str]] = []
    ignored = 0
    seen_files: set[str] = set()
    for item in inputs:
        item = Path(item)
        if item.is_file():
            if str(item.resolve()) not in seen_files:
                seen_files.add(str(item.resolve()))
                files.append((item, None))
            continue
        if not item.is_dir():
            problems.append({"path": str(item), "error": "missing", "message": "no such file or folder"})
            continue
        visited: set[str] = set()

        def onerror(exc: OSError) -> None:
            problems.append({"path": str(exc.filename), "error": "unreadable", "message": f"cannot list folder: {exc.strerror}"})

        for dirpath, dirnames, filenames in os.walk(item, followlinks=True, onerror=onerror):
            real = os.path.realpath(dirpath)
            if real in visited:
                problems.append({"path": dirpath, "error": "link_loop", "message": "symbolic link loop: folder already visited"})
                dirnames[:] = []
                continue
            visited.add(real)
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                path = Path(dirpath) / name
                if name.startswith(".") or path.suffix.lower() not in ARTICLE_SUFFIXES:
                    ignored += 1
                    continue
                key = os.path.realpath(path)
                if key in seen_files:
                    continue
                seen_files.add(key)
                files.append((path, item))
    return files, problems, ignored


# ----------------------------------------------------------------------------- writing


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a file through a temporary file in the same folder and a rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class AtomicLines:
    """A JSON Lines file built in a temporary file and renamed into place on ``close``."""

    def __init__(self, path: Path):
        self.path = path
        self.tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self.fh = open(self.tmp, "w", encoding="utf-8")  # noqa: SIM115 - closed (and renamed) in close()

    def write(self, line: str) -> None:
        self.fh.write(line.rstrip("\n") + "\n")

    def close(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.tmp, self.path)


# ----------------------------------------------------------------------------- fingerprints


def rules_digest() -> str:
    """Hash of every data file under ``models/`` that drives extraction."""
    digest = hashlib.sha256()
    folder = resource_path("")
    for path in sorted(folder.glob("*.jsonl")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fingerprint_settings(model_ref: str, resolver=None, parse: str = "full") -> dict[str, Any]:
    """Everything besides the input bytes that shapes a record (the fingerprint's other half).

    With a ``Resolver`` (``run --library``) its digest (library files' bytes, matcher weights)
    joins in, so a changed library redoes the records it affects.
    """
    settings = {
        "pipeline_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "rules": rules_digest(),
        "model": model_identity(model_ref),
    }
    if resolver is not None:
        settings["linking"] = resolver.digest()
    if parse != "full":  # only then, so that full-parse records made before the option stay up to date
        settings["parse"] = parse
    return settings


def fingerprint(sha256: str, settings: dict[str, Any]) -> str:
    """Identity of an article's record: input bytes plus everything that shapes the output."""
    payload = json.dumps({"sha256": sha256, **settings}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def existing_record(path: Path, expected: str) -> Record | None:
    """The record at ``path`` if present, valid and made from the same fingerprint."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if expected.encode() not in data:  # cheap rejection before a full validation
        return None
    try:
        record = Record.model_validate_json(data)
    except ValueError:
        return None
    return record if record.fingerprint == expected else None


# ----------------------------------------------------------------------------- workers

_NLP = None
_RESOLVER = None
_SETTINGS: dict[str, Any] = {}


def _worker_init(settings: dict[str, Any]) -> None:
    global _SETTINGS
    # Ctrl-C goes to the parent, which stops the pool and writes the manifest.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _SETTINGS = settings


def _get_nlp(settings: dict[str, Any]):
    global _NLP
    # Keyed by model and parse mode: one process may run both modes (a single-job run, tests).
    key = (settings["model_ref"], settings.get("parse", "full"))
    if _NLP is None or _NLP[0] != key:
        from healthclaims.nlp import load_pipeline

        _NLP = (key, load_pipeline(key[0], parse=key[1]))
    return _NLP[1]


def _get_resolver(settings: dict[str, Any]):
    """The worker's resolver over the index the parent built (opened once per process)."""
    global _RESOLVER
    # Keyed by process and libraries: a forked worker must not share its parent's SQLite connection.
    key = (os.getpid(), tuple(settings["libraries"]), str(settings["cache_dir"]))
    if _RESOLVER is None or _RESOLVER[0] != key:
        from healthclaims.linking.resolve import Resolver

        _RESOLVER = (key, Resolver(settings["libraries"], cache_dir=settings["cache_dir"]))
    return _RESOLVER[1]


def process_batch(items: list[tuple], settings: dict[str, Any] | None = None) -> list[tuple]:
    """Extract the records of a batch of ``("process", id, Article, fingerprint, path)`` items.

    Other items pass through unchanged. Returns one result per item, in order:
    ``("ok", id, record_json_line, counts)`` or ``("error", id, source, kind, message)``.
    """
    settings = settings or _SETTINGS
    todo = [(i, item) for i, item in enumerate(items) if item[0] == "process"]
    out: list[tuple] = list(items)
    if not todo:
        return out
    from healthclaims.records.consumer import build_record
    from healthclaims.nlp import model_info, process_texts

    nlp = _get_nlp(settings)
    info = model_info(nlp)

    def finish(index: int, item: tuple, chunks: list) -> tuple:
        _, article_id, article, fp, target = item
        record = build_record(chunks, article, article_id, pipeline_version=settings["pipeline_version"], model=info, fingerprint=fp)
        counts = {
            "words": record.article.word_count, "claims": len(record.claims), "citations": len(record.citations),
            "quotes": len(record.quotes), "speakers": len(record.speakers), "techniques": len(record.techniques),
        }
        if settings.get("libraries"):
            done = _get_resolver(settings).resolve([record])
            counts.update(resolved=done.resolved, ambiguous=done.ambiguous, resolve_seconds=done.seconds)
        write_atomic(Path(target), record.model_dump_json(indent=2))
        return ("ok", article_id, record.model_dump_json(), counts)

    # Strings and lexemes a batch adds to the vocabulary are freed after it, so memory stays
    # flat over tens of thousands of distinct articles (spaCy's memory zones).
    with nlp.memory_zone():
        try:
            stream = process_texts(nlp, ((item[2].text, (i, item)) for i, item in todo), batch_size=settings.get("batch_size", 32))
            for chunks, (i, item) in stream:
                out[i] = finish(i, item, chunks)
        except Exception:  # noqa: BLE001 - one bad article must not sink its batch: redo one by one
            for i, item in todo:
                if out[i][0] != "process":
                    continue
                try:
                    [(chunks, _)] = list(process_texts(nlp, [(item[2].text, None)]))
                    out[i] = finish(i, item, chunks)
                except Exception as exc:  # noqa: BLE001
                    out[i] = ("error", item[1], item[2].source, "extraction", f"extraction failed: {type(exc).__name__}: {exc}")
    return out


# ----------------------------------------------------------------------------- the run


def _batched(iterable: Iterable, size: int) -> Iterator[list]:
    it = iter(iterable)
    while batch := list(islice(it, size)):
        yield batch


def run(
    inputs: list[Path],
    outdir: Path,
    options: RunOptions | None = None,
    progress: Callable[[int], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> RunSummary:
    """Run healthclaims over files and folders, writing records into ``outdir``.

    Args:
        inputs: article files and folders (searched recursively).
        outdir: output folder, created when missing.
        options: model, jobs, force, batch size.
        progress: called with the number of articles finished since the last call.
        on_start: called once with the number of article files found.

    Raises:
        NoArticles: when the inputs hold no article file.
        ModelNotFound: when the model is not installed.
    """
    options = options or RunOptions()
    started = time.time()
    started_iso = datetime.now(UTC).isoformat(timespec="seconds")
    files, problems, ignored = discover(inputs)
    if not files:
        where = ", ".join(str(p) for p in inputs)
        raise NoArticles(
            f"no articles found in {where}: looked for {', '.join(sorted(ARTICLE_SUFFIXES))} files"
            + (f" ({ignored} other file(s) ignored)" if ignored else "")
        )
    model_ref = resolve_model(options.model)
    resolver = None
    if options.libraries:  # built here, once: the workers open the same index
        from healthclaims.linking.resolve import Resolver

        resolver = Resolver(options.libraries, cache_dir=options.cache_dir)
    fp_settings = fingerprint_settings(model_ref, resolver, options.parse)
    settings = {**fp_settings, "model_ref": model_ref, "batch_size": options.batch_size,
                "libraries": [str(p) for p in options.libraries], "cache_dir": options.cache_dir}
    outdir.mkdir(parents=True, exist_ok=True)
    for stale in outdir.glob(".*.tmp"):  # left by a run that was killed
        stale.unlink(missing_ok=True)
    ids = assign_ids(files)
    ids = [f"_{i}" if i.lower() in RESERVED_OUTPUTS else i for i in ids]
    summary = RunSummary(found=len(files), ignored_files=ignored,
                         library_problems=[str(p) for p in resolver.problems] if resolver else [])
    if on_start:
        on_start(len(files))

    records_out = AtomicLines(outdir / "records.jsonl")
    errors_out = AtomicLines(outdir / "errors.jsonl")

    def error(path: str, kind: str, message: str, article_id: str | None = None) -> None:
        summary.failed += 1
        summary.error_kinds[kind] = summary.error_kinds.get(kind, 0) + 1
        errors_out.write(json.dumps({"path": path, "id": article_id, "error": kind, "message": message}, ensure_ascii=False))

    for problem in problems:
        error(problem["path"], problem["error"], problem["message"])

    def tasks() -> Iterator[tuple]:
        for (path, _root), article_id in zip(files, ids):
            target = outdir / f"{article_id}.json"
            try:
                data = path.read_bytes()
            except OSError as exc:
                reason = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
                yield ("error", article_id, str(path), "unreadable", f"cannot read: {reason}")
                continue
            fp = fingerprint(sha256_of(data), fp_settings)
            if not options.force:
                record = existing_record(target, fp)
                if record is not None:
                    yield ("unchanged", article_id, record.model_dump_json(), {"words": record.article.word_count})
                    continue
            try:
                article = read_article(path, str(path), data)
            except ArticleError as exc:
                yield ("error", article_id, str(path), exc.kind, str(exc))
                continue
            yield ("process", article_id, article, fp, str(target))

    batch_size = options.batch_size if options.jobs <= 1 else max(4, options.batch_size // 4)
    batches = _batched(tasks(), batch_size)
    pool = None
    try:
        if options.jobs > 1:
            methods = multiprocessing.get_all_start_methods()
            ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            pool = ctx.Pool(options.jobs, initializer=_worker_init, initargs=(settings,))
            results = pool.imap(process_batch, batches)
        else:
            results = (process_batch(batch, settings) for batch in batches)
        for batch in results:
            for item in batch:
                status = item[0]
                if status == "ok":
                    summary.processed += 1
                    records_out.write(item[2])
                    for key, value in item[3].items():
                        setattr(summary, key, getattr(summary, key) + value)
                elif status == "unchanged":
                    summary.unchanged += 1
                    summary.words += item[3]["words"]
                    records_out.write(item[2])
                else:
                    error(item[2], item[3], item[4], item[1])
            if progress:
                progress(len(batch))
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        if pool is not None:
            if summary.interrupted:
                pool.terminate()
            else:
                pool.close()
            pool.join()
        records_out.close()
        errors_out.close()
        summary.seconds = round(time.time() - started, 3)
        manifest = {
            "healthclaims_version": __version__,
            "schema_version": SCHEMA_VERSION,
            "status": "interrupted" if summary.interrupted else "complete",
            "started": started_iso,
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "inputs": [str(p) for p in inputs],
            "output": str(outdir),
            "model": settings["model"],
            "rules": settings["rules"],
            "options": {"model": options.model, "jobs": options.jobs, "force": options.force, "batch_size": options.batch_size},
            "counts": {k: v for k, v in asdict(summary).items()
                       if k not in ("seconds", "interrupted", "resolve_seconds", "library_problems")},
            "libraries": [str(p) for p in options.libraries],
            "timings": {
                "seconds": summary.seconds,
                "resolve_seconds": round(summary.resolve_seconds, 3),
                "words_per_second": round(summary.words / summary.seconds, 1) if summary.seconds else None,
                "articles_per_second": round((summary.processed + summary.unchanged) / summary.seconds, 2) if summary.seconds else None,
            },
        }
        write_atomic(outdir / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return summary


def extract_one(article, article_id: str, model: str | None = None, nlp=None) -> Record:
    """Extract the record of a single already-read article (``healthclaims extract``)."""
    from healthclaims.records.consumer import build_record
    from healthclaims.nlp import load_pipeline, model_info, process_texts

    model_ref = resolve_model(model)
    nlp = nlp or load_pipeline(model_ref)
    settings = fingerprint_settings(model_ref)
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
    from healthclaims.records.consumer import build_record
    from healthclaims.nlp import load_pipeline, model_info, process_texts

    nlp = nlp or load_pipeline(resolve_model(model))
    info = model_info(nlp)
    articles = [(article_id, read_article(path)) for article_id, path in paths]
    stream = process_texts(nlp, ((article.text, (article_id, article)) for article_id, article in articles))
    for chunks, (article_id, article) in stream:
        yield article_id, build_record(chunks, article, article_id, pipeline_version=__version__, model=info)
