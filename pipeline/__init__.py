"""healthclaims: structured records of the claims, citations, quotes and techniques in health articles.

``healthclaims.load_pipeline()`` gives the spaCy ``Language`` with every component. Library
names are imported on first use, so that ``import healthclaims`` (and a re-run that skips
every article) does not pay for importing spaCy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> module that defines it, imported on first access (PEP 562).
_LAZY = {
    "load_pipeline": "healthclaims.nlp",
    "add_components": "healthclaims.nlp",
    "process_texts": "healthclaims.nlp",
    "MissingAnnotation": "healthclaims.components.base",
    "ModelNotFound": "healthclaims.modelref",
    "Record": "healthclaims.records.models",
    "claim_strength": "healthclaims.components.strength.api",
}

__all__ = [
    "MissingAnnotation", "ModelNotFound", "Record", "__version__", "add_components", "claim_strength", "load_pipeline",
    "process_texts",
]

if TYPE_CHECKING:
    from healthclaims.components.base import MissingAnnotation
    from healthclaims.components.strength.api import claim_strength
    from healthclaims.modelref import ModelNotFound
    from healthclaims.nlp import add_components, load_pipeline, process_texts
    from healthclaims.records.models import Record


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'healthclaims' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
