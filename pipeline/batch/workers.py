"""Turning batches of tasks into results, in this process or in a pool of workers.

A worker reads the article file, runs the pipeline and returns the record as JSON; it
never writes into the output folder. The parent writes, so that what it has counted is
exactly what is on disk, however the run ends. A backend is anything with
``map(batches) -> iterator of result lists`` and ``close(interrupted)``; a new one (Dask,
say) only has to provide those two.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthclaims.io.textio import ArticleError, read_article


@dataclass
class Task:
    """An article to extract: read ``path`` (reported as ``source``) as ``fmt``."""

    id: str
    path: str
    source: str
    fingerprint: str
    fmt: str = "auto"
    data: bytes | None = None  # the file's bytes, shipped to workers that cannot see ``path``


@dataclass
class Result:
    """What became of one article. ``status``: written, unchanged or failed."""

    status: str
    id: str
    source: str
    sha256: str | None = None
    line: str | None = None  # the record as one JSON line (records.jsonl)
    document: str | None = None  # the record as indented JSON (<id>.json), when the file must be (re)written
    counts: dict[str, Any] = field(default_factory=dict)
    kind: str | None = None  # failed: the error kind
    message: str | None = None


_NLP = None
_NLP_KEY: tuple[str, str] | None = None
_RESOLVER = None
_SETTINGS: dict[str, Any] = {}


def load_model(settings: dict[str, Any]):
    """The pipeline of this process, loaded on first use."""
    global _NLP, _NLP_KEY
    # Keyed by model and parse mode: one process may run both modes (a single-job run, tests).
    key = (settings["model_ref"], settings.get("parse", "full"))
    if _NLP is None or _NLP_KEY != key:
        from healthclaims.nlp import load_pipeline

        _NLP = load_pipeline(key[0], parse=key[1])
        _NLP_KEY = key
    return _NLP


def _get_resolver(settings: dict[str, Any]):
    """The process's resolver over the index the parent built (opened once per process)."""
    global _RESOLVER
    # Keyed by process and libraries: a forked worker must not share its parent's SQLite connection.
    key = (os.getpid(), tuple(settings["libraries"]), str(settings["cache_dir"]))
    if _RESOLVER is None or _RESOLVER[0] != key:
        from healthclaims.linking.resolve import Resolver

        _RESOLVER = (key, Resolver(settings["libraries"], cache_dir=settings["cache_dir"]))
    return _RESOLVER[1]


def _worker_init(settings: dict[str, Any]) -> None:
    global _SETTINGS
    # Ctrl-C goes to the parent, which stops the pool and writes the manifest.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _SETTINGS = settings
    load_model(settings)  # at start, so that the first batch does not carry the load time


def _record_result(task: Task, article, chunks, nlp, settings: dict[str, Any]) -> Result:
    from healthclaims.nlp import model_info
    from healthclaims.records.consumer import build_record

    record = build_record(chunks, article, task.id, pipeline_version=settings["pipeline_version"], model=model_info(nlp),
                          fingerprint=task.fingerprint)
    counts: dict[str, Any] = {
        "words": record.article.word_count, "claims": len(record.claims), "citations": len(record.citations),
        "quotes": len(record.quotes), "speakers": len(record.speakers), "techniques": len(record.techniques),
    }
    if settings.get("libraries"):  # run --library: citations resolved to papers before the record is written
        done = _get_resolver(settings).resolve([record])
        counts.update(resolved=done.resolved, ambiguous=done.ambiguous, resolve_seconds=done.seconds)
    return Result("written", task.id, task.source, article.sha256, record.model_dump_json(),
                  record.model_dump_json(indent=2), counts)


def _read(task: Task) -> Any:
    try:
        return read_article(Path(task.path), task.source, data=task.data, fmt=task.fmt)
    except ArticleError as exc:
        return Result("failed", task.id, task.source, kind=exc.kind, message=str(exc))


def process_batch(items: list[Task | Result], settings: dict[str, Any] | None = None, nlp=None) -> list[Result]:
    """Extract the records of a batch's tasks; results already known pass through. One result per item, in order.
    ``nlp``: a pipeline already loaded (a Dask worker's), else this process's own."""
    from healthclaims.nlp import process_texts

    settings = settings or _SETTINGS
    out: list[Any] = [_read(item) if isinstance(item, Task) else item for item in items]
    todo = [(i, items[i], article) for i, article in enumerate(out) if not isinstance(article, Result)]
    if not todo:
        return out
    nlp = nlp or load_model(settings)
    # Strings and lexemes a batch adds to the vocabulary are freed after it, so memory stays
    # flat over tens of thousands of distinct articles (spaCy's memory zones).
    with nlp.memory_zone():
        try:
            stream = process_texts(nlp, ((a.text, (i, t, a)) for i, t, a in todo), batch_size=settings.get("batch_size", 32))
            for chunks, (i, task, article) in stream:
                out[i] = _record_result(task, article, chunks, nlp, settings)
        except Exception:  # noqa: BLE001 - one bad article must not sink its batch: redo one by one
            for i, task, article in todo:
                if isinstance(out[i], Result):
                    continue
                try:
                    [(chunks, _)] = list(process_texts(nlp, [(article.text, None)]))
                    out[i] = _record_result(task, article, chunks, nlp, settings)
                except Exception as exc:  # noqa: BLE001
                    out[i] = Result("failed", task.id, task.source, kind="extraction",
                                    message=f"extraction failed: {type(exc).__name__}: {exc}")
    return out


class SerialBackend:
    """Batches processed one after another in this process (the model loads before the first task)."""

    def __init__(self, settings: dict[str, Any], on_status: Callable[[str | None], None] | None = None):
        self.settings = settings
        self.on_status = on_status or (lambda _text: None)

    def map(self, batches: Iterable[list[Task | Result]]) -> Iterator[list[Result]]:
        """Results of each batch, in order."""
        for batch in batches:
            if _NLP is None and any(isinstance(item, Task) for item in batch):
                self.on_status(f"loading {Path(self.settings['model_ref']).name}…")
                load_model(self.settings)
                self.on_status(None)
            yield process_batch(batch, self.settings)

    def close(self, interrupted: bool) -> None:
        """Nothing to release."""


class PoolBackend:
    """Batches spread over worker processes, each loading the model once; results in order."""

    def __init__(self, settings: dict[str, Any], jobs: int, on_status: Callable[[str | None], None] | None = None):
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        if on_status:
            on_status(f"loading {Path(settings['model_ref']).name} in {jobs} workers…")
        self.pool = ctx.Pool(jobs, initializer=_worker_init, initargs=(settings,))

    def map(self, batches: Iterable[list[Task | Result]]) -> Iterator[list[Result]]:
        """Results of each batch, in input order."""
        return self.pool.imap(process_batch, batches)

    def close(self, interrupted: bool) -> None:
        """Stop the workers: at once after Ctrl-C, else when they are done."""
        if interrupted:
            self.pool.terminate()
        else:
            self.pool.close()
        self.pool.join()


def open_backend(jobs: int, settings: dict[str, Any], on_status: Callable[[str | None], None] | None = None):
    """The backend for ``jobs`` worker processes (1: this process)."""
    return SerialBackend(settings, on_status) if jobs <= 1 else PoolBackend(settings, jobs, on_status)
