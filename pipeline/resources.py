"""Loading the rule and lexicon data files under ``models/``, validated on load.

Every file is JSON Lines (one object per line, ``#`` comments and blank lines allowed) and is
checked against a pydantic model; a bad line raises ``ResourceError`` naming ``[file:line]``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError


def _models_dir() -> Path:
    # Installed from a wheel the rule files sit inside the package (healthclaims/models/);
    # in the repository (editable install) they are the top-level models/ folder.
    here = Path(__file__).resolve().parent
    packaged = here / "models"
    return packaged if packaged.is_dir() else here.parent / "models"


MODELS_DIR = _models_dir()

M = TypeVar("M", bound=BaseModel)


class ResourceError(ValueError):
    """A data file under models/ is missing or malformed."""


#: The one list of lower-case words inside a family name, read by every component that reads
#: names (citations for first authors, quotes for speakers); each saves its own copy.
PARTICLES_FILE = "name_particles.jsonl"


class NameParticle(BaseModel):
    """One line of ``models/name_particles.jsonl``: a lower-case word inside a surname ("van", "de")."""

    model_config = ConfigDict(extra="forbid")
    word: str


def resource_path(name: str) -> Path:
    """Return the path of a data file under ``models/`` (``HEALTHCLAIMS_MODELS`` may override the folder)."""
    import os

    base = Path(os.environ.get("HEALTHCLAIMS_MODELS", MODELS_DIR))
    return base / name


def load_jsonl(path: Path | str, model: type[M]) -> list[M]:
    """Read a JSONL data file and validate every line against ``model``.

    Raises:
        ResourceError: naming ``[file:line]`` and what is wrong.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ResourceError(f"[{path}] cannot read: {exc.strerror or exc}") from exc
    return parse_jsonl(text, str(path), model)


def parse_jsonl(text: str, source: str, model: type[M]) -> list[M]:
    """Validate every line of JSONL ``text`` against ``model``; errors name ``[source:line]``.

    Raises:
        ResourceError: naming ``[source:line]`` and what is wrong.
    """
    items: list[M] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise ResourceError(f"[{source}:{lineno}] invalid JSON: {exc.msg}") from exc
        try:
            items.append(model.model_validate(data))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or '<line>'}: {err['msg']}" for err in exc.errors()
            )
            raise ResourceError(f"[{source}:{lineno}] {problems}") from exc
    return items


@cache
def load_resource(name: str, model: type[M]) -> tuple[M, ...]:
    """Cached ``load_jsonl`` of ``models/<name>``."""
    return tuple(load_jsonl(resource_path(name), model))
