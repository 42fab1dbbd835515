"""Reading the records of an output folder back: ``records.jsonl`` when present (it holds
exactly the records of the current inputs), else every ``<id>.json`` record file.

Both reviewer views (the HTML report and the database) read records only through here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from healthclaims.records.models import Record
from pydantic import ValidationError

#: Files an output folder holds besides the per-article records.
NOT_RECORDS = {"manifest.json", "records.jsonl", "errors.jsonl"}


class RecordsError(ValueError):
    """An output folder holds no records, or a record that does not validate."""


def record_files(outdir: Path) -> list[Path]:
    """The per-article record files of ``outdir`` (``<id>.json``), sorted by name."""
    return sorted(p for p in outdir.glob("*.json") if p.name not in NOT_RECORDS and not p.name.startswith("."))


def iter_records(outdir: Path | str) -> Iterator[Record]:
    """Yield every record of an output folder, validated, in the folder's order.

    Raises:
        RecordsError: the folder is missing or holds no records, or a record is invalid
            (the message names the file and line).
    """
    outdir = Path(outdir)
    if not outdir.is_dir():
        raise RecordsError(f"{outdir}: not a folder of records (run `healthclaims run INPUT -o {outdir}` first)")
    jsonl = outdir / "records.jsonl"
    if jsonl.is_file():
        with jsonl.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    yield Record.model_validate_json(line)
                except (ValidationError, ValueError) as exc:
                    raise RecordsError(f"{jsonl}:{lineno}: not a valid record: {_first_error(exc)}") from exc
        return
    files = record_files(outdir)
    if not files:
        raise RecordsError(f"{outdir}: no records.jsonl and no <id>.json records")
    for path in files:
        try:
            yield Record.model_validate_json(path.read_bytes())
        except (ValidationError, ValueError) as exc:
            raise RecordsError(f"{path}: not a valid record: {_first_error(exc)}") from exc


def record_digest(record: Record) -> str:
    """A hash of the record's whole content (a resolved citation changes it; the fingerprint may not)."""
    return hashlib.sha256(record.model_dump_json().encode()).hexdigest()[:32]


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        return f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
