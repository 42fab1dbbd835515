"""``healthclaims resolve OUTDIR``: resolve the citations of records already written, rewriting
each changed record atomically and skipping those resolved from the same citations and sources.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from healthclaims.linking.resolve import ResolveCounts, Resolver, is_current
from healthclaims.records.models import Record

_OUTPUTS = {"records.json", "manifest.json", "errors.json"}


class NoRecords(ValueError):
    """The folder holds no record files."""


def record_files(outdir: Path) -> list[Path]:
    """The ``<article-id>.json`` records of an output folder, in ``records.jsonl`` order when present."""
    files = sorted(p for p in outdir.glob("*.json") if p.name not in _OUTPUTS and not p.name.startswith("."))
    return files


def resolve_folder(
    outdir: Path,
    resolver: Resolver,
    *,
    force: bool = False,
    on_start: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
    batch: int = 16,
) -> tuple[ResolveCounts, list[str]]:
    """Resolve every record in ``outdir``; returns the counts and the files that could not be read.

    Records are handled a batch at a time so the online look-ups of a batch run together.

    Raises:
        NoRecords: when ``outdir`` has no record file.
    """
    from healthclaims.batch.runner import write_atomic

    files = record_files(outdir)
    if not files:
        raise NoRecords(f"no records in {outdir}: run `healthclaims run INPUT -o {outdir}` first")
    if on_start:
        on_start(len(files))
    total = ResolveCounts()
    bad: list[str] = []
    changed: dict[str, str] = {}
    for start in range(0, len(files), batch):
        records: list[tuple[Path, Record]] = []
        for path in files[start:start + batch]:
            try:
                record = Record.model_validate_json(path.read_bytes())
            except (OSError, ValueError) as exc:
                bad.append(f"{path}: not a healthclaims record ({str(exc).splitlines()[0]})")
                continue
            if not force and is_current(record, resolver):
                total.skipped += 1
                continue
            records.append((path, record))
        if records:
            counts = resolver.resolve([r for _, r in records])
            total.add(counts)
            for path, record in records:
                write_atomic(path, record.model_dump_json(indent=2))
                changed[record.article.id] = record.model_dump_json()
        if progress:
            progress(len(files[start:start + batch]))
    total.records = len(files)
    _rewrite_jsonl(outdir, changed)
    return total, bad


def _rewrite_jsonl(outdir: Path, changed: dict[str, str]) -> None:
    """Keep ``records.jsonl`` the same as the record files (its order, the new lines)."""
    from healthclaims.batch.outputs import AtomicLines

    path = outdir / "records.jsonl"
    if not changed or not path.is_file():
        return
    out = AtomicLines(path)
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                try:
                    article_id = json.loads(line)["article"]["id"]
                except (ValueError, KeyError, TypeError):
                    out.write(line)
                    continue
                out.write(changed.get(article_id, line))
    finally:
        out.close()
