"""Putting a run's results on disk: each record, its ``records.jsonl`` or ``errors.jsonl`` line, and
the catalog of which record belongs to which input, with Ctrl-C held off while one result is written
(so the run's counts always equal what is on disk)."""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from healthclaims.batch.outputs import AtomicLines, Catalog, compact_record, write_atomic
from healthclaims.batch.workers import Result

if TYPE_CHECKING:
    from healthclaims.batch.runner import RunSummary


class ResultWriter:
    """Puts each result on disk and counts it; what it has counted is what is on disk."""

    def __init__(self, outdir: Path, catalog: Catalog, summary: RunSummary):
        self.outdir, self.catalog, self.summary = outdir, catalog, summary
        self.records = AtomicLines(outdir / "records.jsonl")
        self.errors = AtomicLines(outdir / "errors.jsonl")
        self.orphans: list[dict[str, str]] = []

    def add(self, result: Result) -> None:
        """Write one result: its record, its records.jsonl line or its errors.jsonl line."""
        target = self.outdir / f"{result.id}.json"
        if result.status == "written":
            if result.document is not None:  # None: a Dask worker has written the record already
                write_atomic(target, result.document)
            self._list(result, result.line or "")
            self.summary.written += 1
            for key, value in result.counts.items():
                setattr(self.summary, key, getattr(self.summary, key) + value)
        elif result.status == "unchanged":
            line = refresh_source(target, result.source)
            if line is None:  # the record vanished since it was checked
                self.error(result.source, "unreadable", "its up-to-date record could not be read back", result.id)
                return
            self._list(result, line)
            self.summary.unchanged += 1
        else:
            self.error(result.source, result.kind or "extraction", result.message or "", result.id)

    def _list(self, result: Result, line: str) -> None:
        self.records.write(line)
        self.catalog.claim(result.id, result.source, result.sha256)

    def error(self, path: str, kind: str, message: str, article_id: str | None = None) -> None:
        """An errors.jsonl line; a failed article's earlier record goes (it no longer describes the input)."""
        self.summary.failed += 1
        self.summary.error_kinds[kind] = self.summary.error_kinds.get(kind, 0) + 1
        self.errors.write(json.dumps({"path": path, "id": article_id, "error": kind, "message": message}, ensure_ascii=False))
        if article_id is not None:
            self.catalog.drop(article_id)

    def finish(self, prune: bool) -> None:
        """List the records this run did not reach, report (or prune) orphans, close the files."""
        for entry, exists in self.catalog.unclaimed():
            if not exists:
                self.summary.orphaned += 1
                if prune:
                    self.catalog.drop(entry.id)
                    self.summary.pruned += 1
                else:
                    self.orphans.append({"id": entry.id, "source": entry.source})
                continue
            line = compact_record(self.outdir / f"{entry.id}.json")
            if line is None:
                self.catalog.entries.pop(entry.id, None)
                continue
            self.records.write(line)
            self.summary.kept += 1
        self.summary.records = self.records.count
        self.records.close()
        self.errors.close()


def refresh_source(target: Path, source: str) -> str | None:
    """The record's records.jsonl line; when its input moved, the record first gets the new path."""
    try:
        data = json.loads(target.read_bytes())
    except (OSError, ValueError):
        return None
    if data.get("article", {}).get("source") != source:
        data["article"]["source"] = source
        write_atomic(target, json.dumps(data, indent=2, ensure_ascii=False))
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@contextmanager
def interrupts_between_results() -> Iterator[Callable[[], AbstractContextManager[None]]]:
    """Ctrl-C stops the run, but never halfway through writing one result (so the counts
    stay equal to what is on disk). Yields a context manager guarding each write."""
    state = {"critical": False, "pending": False}

    def handler(_signum: int, _frame: FrameType | None) -> None:
        if state["critical"]:
            state["pending"] = True
        else:
            raise KeyboardInterrupt

    @contextmanager
    def guard() -> Iterator[None]:
        state["critical"] = True
        try:
            yield
        finally:
            state["critical"] = False
        if state["pending"]:
            raise KeyboardInterrupt

    previous: Any = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, handler)
    try:
        yield guard
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
