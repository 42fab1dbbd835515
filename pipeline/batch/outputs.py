"""The output folder: atomic writes, and the catalog of which record belongs to which input.

The catalog (``manifest.json``'s ``articles``, completed from the ``<id>.json`` records a
killed run left behind) keeps article ids stable across runs, stops a run over a subset of
the inputs from overwriting another article's record, and tells which records belong to
inputs that no longer exist (orphans, which ``--prune`` removes).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

RESERVED_OUTPUTS = {"records", "manifest", "errors"}


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
        self.count = 0

    def write(self, line: str) -> None:
        """Add one line."""
        self.fh.write(line.rstrip("\n") + "\n")
        self.count += 1

    def close(self) -> None:
        """Flush and rename into place."""
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.tmp, self.path)


def clear_temporary_files(outdir: Path) -> None:
    """Remove the temporary files a killed run left."""
    for stale in outdir.glob(".*.tmp"):
        stale.unlink(missing_ok=True)


@dataclass
class Entry:
    """One record in the output folder and the input it was made from."""

    id: str
    source: str  # the input path as given to the run that wrote the record
    path: str  # the same file, absolute and resolved
    sha256: str | None = None


def real(path: Path | str) -> str:
    """Absolute, link-resolved form of a path, for comparing inputs across runs."""
    return os.path.realpath(path)


class Catalog:
    """Which record in the folder belongs to which input file."""

    def __init__(self, outdir: Path, entries: dict[str, Entry] | None = None):
        self.outdir = outdir
        self.entries: dict[str, Entry] = entries or {}
        self.claimed: set[str] = set()  # ids of this run's articles

    @classmethod
    def load(cls, outdir: Path) -> Catalog:
        """The catalog of ``outdir``: the manifest's list, plus records it does not list yet."""
        entries: dict[str, Entry] = {}
        try:
            manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
            for item in manifest.get("articles", []):
                entries[item["id"]] = Entry(**item)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # no manifest yet, or one from an older version: the records tell
        for record_path in outdir.glob("*.json"):
            article_id = record_path.stem
            if record_path.name == "manifest.json" or article_id in entries:
                continue
            entry = _entry_from_record(record_path)
            if entry is not None:
                entries[article_id] = entry
        return cls(outdir, {i: e for i, e in entries.items() if (outdir / f"{i}.json").is_file()})

    def assign_ids(self, files: list[Path], default_ids: list[str]) -> list[str]:
        """Ids for this run's files: the id a file already has in the folder, else its default
        id unless another existing input owns it (then a numbered variant)."""
        by_path = {e.path: i for i, e in self.entries.items()}
        paths = [real(f) for f in files]
        ids: list[str | None] = [by_path.get(p) for p in paths]
        taken = {i.lower() for i in ids if i}
        mine = set(paths)
        owned = {i.lower() for i, e in self.entries.items() if e.path not in mine and os.path.exists(e.path)}
        for n, (default, current) in enumerate(zip(default_ids, ids)):
            if current:
                continue
            base = f"_{default}" if default.lower() in RESERVED_OUTPUTS else default
            candidate, k = base, 2
            while candidate.lower() in taken or candidate.lower() in owned:
                candidate, k = f"{base}-{k}", k + 1
            taken.add(candidate.lower())
            ids[n] = candidate
        return [i for i in ids if i is not None]

    def claim(self, article_id: str, source: str, sha256: str | None) -> None:
        """Record that ``article_id`` now holds the record of ``source``."""
        self.entries[article_id] = Entry(article_id, source, real(source), sha256)
        self.claimed.add(article_id)

    def drop(self, article_id: str) -> None:
        """Forget an article and delete its record (it failed, or its input is gone and pruned)."""
        self.entries.pop(article_id, None)
        self.claimed.discard(article_id)
        (self.outdir / f"{article_id}.json").unlink(missing_ok=True)

    def unclaimed(self) -> Iterator[tuple[Entry, bool]]:
        """Records this run did not write or check, sorted by id, with whether their input still exists."""
        for article_id in sorted(self.entries):
            if article_id not in self.claimed:
                entry = self.entries[article_id]
                yield entry, os.path.exists(entry.path)

    def as_list(self) -> list[dict[str, str | None]]:
        """The catalog as stored in ``manifest.json``."""
        return [asdict(self.entries[i]) for i in sorted(self.entries)]


def _entry_from_record(path: Path) -> Entry | None:
    """The entry of a record file written by a run whose manifest never got written (killed)."""
    try:
        article = json.loads(path.read_bytes())["article"]
        source, sha = article["source"], article.get("sha256")
    except (OSError, ValueError, KeyError, TypeError):
        return None  # not a healthclaims record: never touched
    if not isinstance(source, str) or source == "-":
        return None
    return Entry(path.stem, source, real(source), sha)


def compact_record(path: Path) -> str | None:
    """The record at ``path`` as one JSON line, or None when it is missing or unreadable."""
    try:
        return json.dumps(json.loads(path.read_bytes()), ensure_ascii=False, separators=(",", ":"))
    except (OSError, ValueError):
        return None
