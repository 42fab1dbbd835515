"""Output to an fsspec URL (``-o s3://bucket/prefix``): the run keeps its books in a local copy.

The folder's JSON files (records and manifest) are copied into a temporary folder, the run
works there as on any output folder, and what changed goes back: new and changed files,
deletions (failed or pruned records), ``records.jsonl``, ``errors.jsonl`` and the manifest
last. Dask workers write their records to the URL directly, never into the copy.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

from healthclaims.batch.runner import RunEvents, RunOptions, RunSummary, run

#: Written after every record, the manifest last, so that a reader never sees a manifest for records not yet there.
LAST = ("records.jsonl", "errors.jsonl", "manifest.json")


def is_url(output: str | Path) -> bool:
    """Whether ``-o`` names an fsspec URL rather than a folder on this machine."""
    text = str(output)
    return "://" in text and not text.startswith("file://")


def open_url(url: str) -> tuple[Any, str]:
    """``(fsspec filesystem, root path)`` of an output URL.

    Raises:
        ValueError: fsspec (or the URL's filesystem package) is not installed.
    """
    try:
        from fsspec.core import url_to_fs
    except ImportError as exc:
        raise ValueError(f"-o {url}: writing to a URL needs fsspec; pip install 'healthclaims[s3]'") from exc
    try:
        fs, root = url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise ValueError(f"-o {url}: {exc} (for s3:// URLs: pip install 'healthclaims[s3]')") from exc
    return fs, root.rstrip("/")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_at(inputs: list[Path], output: str | Path, options: RunOptions | None = None,
           events: RunEvents | None = None) -> RunSummary:
    """``runner.run`` into a folder or an fsspec URL (see the module docstring).

    Raises:
        ValueError: an URL whose filesystem is not installed; and whatever ``run`` raises.
    """
    options = options or RunOptions()
    if not is_url(output):
        return run(inputs, Path(str(output).removeprefix("file://")), options, events)
    url = str(output).rstrip("/")
    fs, root = open_url(url)
    with tempfile.TemporaryDirectory(prefix="healthclaims-stage-") as tmp:
        stage = Path(tmp)
        fs.makedirs(root, exist_ok=True)
        try:
            listing = fs.ls(root, detail=False)
        except FileNotFoundError:  # an object store has no empty folders: a new prefix
            listing = []
        remote = [p for p in listing if p.rsplit("/", 1)[-1].endswith(".json")]
        names = [p.rsplit("/", 1)[-1] for p in remote]
        if remote:
            fs.get(remote, [str(stage / n) for n in names])
        before = {n: _digest(stage / n) for n in names if (stage / n).is_file()}
        if options.dask is not None and options.records_url is None:
            options.records_url = url  # the workers write the records there, not into the copy
        summary = run(inputs, stage, options, events)
        _push(fs, root, url, stage, before)
    return summary


def _push(fs: Any, root: str, url: str, stage: Path, before: dict[str, str]) -> None:
    """Send back what the run changed in the local copy; the manifest names the URL, not the copy."""
    manifest = stage / "manifest.json"
    if manifest.is_file():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        data["output"] = url
        manifest.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    now = {p.name for p in stage.iterdir() if p.is_file() and not p.name.startswith(".")}
    for name in sorted(now - set(LAST)):
        if before.get(name) != _digest(stage / name):
            fs.put_file(str(stage / name), f"{root}/{name}")
    for name in sorted(set(before) - now):
        fs.rm_file(f"{root}/{name}")
    for name in LAST:
        if name in now:
            fs.put_file(str(stage / name), f"{root}/{name}")
