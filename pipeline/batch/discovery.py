"""Finding the article files under a run's inputs (files and folders, searched recursively).

Non-article files and symbolic-link loops are skipped and counted by kind (neither is a
failure); a folder that cannot be listed is a problem reported like a failed article.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from healthclaims.io.textio import ARTICLE_SUFFIXES


@dataclass
class Discovery:
    """What the inputs hold: article files as ``(path, root)``, problems, and what was skipped."""

    files: list[tuple[Path, Path | None]] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)  # {"path", "error", "message"}: failures
    skipped: dict[str, int] = field(default_factory=dict)  # kind -> count: non_article, link_loop, broken_link
    skipped_paths: list[dict[str, str]] = field(default_factory=list)  # {"path", "kind"} of each link loop or broken link

    def skip(self, kind: str, path: str | None = None) -> None:
        """Count one skipped item (and remember its path when it is worth showing)."""
        self.skipped[kind] = self.skipped.get(kind, 0) + 1
        if path is not None:
            self.skipped_paths.append({"path": path, "kind": kind})


def discover(inputs: Iterable[Path]) -> Discovery:
    """Expand files and folders into article files (recursively, following each link once)."""
    found = Discovery()
    seen_files: set[str] = set()
    for item in map(Path, inputs):
        if item.is_file():
            key = os.path.realpath(item)
            if key not in seen_files:
                seen_files.add(key)
                found.files.append((item, None))
        elif item.is_dir():
            _walk(item, found, seen_files)
        else:
            found.problems.append({"path": str(item), "error": "missing", "message": "no such file or folder"})
    return found


def _walk(folder: Path, found: Discovery, seen_files: set[str]) -> None:
    visited: set[str] = set()

    def onerror(exc: OSError) -> None:
        found.problems.append({"path": str(exc.filename), "error": "unreadable", "message": f"cannot list folder: {exc.strerror}"})

    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True, onerror=onerror):
        real = os.path.realpath(dirpath)
        if real in visited:
            found.skip("link_loop", dirpath)
            dirnames[:] = []
            continue
        visited.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith(".") or path.suffix.lower() not in ARTICLE_SUFFIXES:
                found.skip("non_article")
                continue
            try:
                os.stat(path)
            except OSError as exc:  # a link to itself, or to nothing: not an article, not a failure
                found.skip("link_loop" if exc.errno == errno.ELOOP else "broken_link", str(path))
                continue
            key = os.path.realpath(path)
            if key not in seen_files:
                seen_files.add(key)
                found.files.append((path, folder))
