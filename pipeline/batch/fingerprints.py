"""Record fingerprints: what, besides the input bytes, shapes a record, so that a re-run
knows which records are still up to date without loading a model."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from healthclaims import __version__
from healthclaims.extras import encoder_present
from healthclaims.io.textio import reader_versions
from healthclaims.modelref import model_identity
from healthclaims.records.models import SCHEMA_VERSION, Record
from healthclaims.resources import resource_path


def rules_digest() -> str:
    """Hash of every data file under ``models/`` that drives extraction."""
    digest = hashlib.sha256()
    folder = resource_path("")
    # Rule files, and the weights of trained component data (the strength classifier).
    paths = [*folder.glob("*.jsonl"), *(p for p in folder.glob("*_classifier/**/*") if p.is_file()),
             *(p for p in folder.glob("*_encoder/**/*") if p.is_file())]
    for path in sorted(paths):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Hash of the package's own source: an edited extractor (an editable install, a patched
    release) makes new records even where the version number stayed the same."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fingerprint_settings(model_ref: str, fmt: str = "auto", resolver=None, parse: str = "full") -> dict[str, Any]:
    """Everything besides the input bytes that shapes a record (the fingerprint's other half):
    versions, rules, the package's code, model, the readers that turn files into text, and a
    forced input format.

    With a ``Resolver`` (``run --library``) its digest (library files' bytes, matcher weights)
    joins in, so a changed library redoes the records it affects. A parse mode other than
    ``full`` joins in too (only then, so that full-parse records stay up to date).
    """
    settings = {
        "pipeline_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "rules": rules_digest(),
        "code": code_digest(),
        "model": model_identity(model_ref),
        "readers": reader_versions(),
    }
    if fmt != "auto":
        settings["format"] = fmt
    if resolver is not None:
        settings["linking"] = resolver.digest()
    if parse != "full":
        settings["parse"] = parse
    # Installing or removing the encoder extra changes who labels strength (only then, as for parse).
    if encoder_present(resource_path("strength_encoder")):
        settings["strength"] = "encoder"
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
