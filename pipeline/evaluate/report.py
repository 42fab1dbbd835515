"""Reading gold folders, checking floors and formatting the scores of ``healthclaims evaluate``."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from healthclaims.evaluate.scorer import ScoreError


def load_gold_dir(path: str | Path) -> list[tuple[str, Path, dict[str, Any]]]:
    """Return (id, text path, gold) for every ``NAME.gold.json`` in a folder, sorted by name.

    Raises:
        ValueError: the folder does not exist, holds no ``*.gold.json``, a gold file is not a JSON
            object, or its ``NAME.txt`` is missing.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise ValueError(f"gold folder {str(folder)!r} does not exist or is not a folder")
    files = sorted(folder.glob("*.gold.json"))
    if not files:
        raise ValueError(f"no gold files (NAME.gold.json beside NAME.txt) in {str(folder)!r}")
    out = []
    for gold_path in files:
        name = gold_path.name[: -len(".gold.json")]
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{gold_path}: not valid JSON: {exc}") from exc
        if not isinstance(gold, dict):
            # A malformed file is a bad input value: the CLI reports ValueError to the user.
            raise ValueError(f"{gold_path}: a gold file must hold a JSON object")  # noqa: TRY004
        txt = gold_path.with_name(f"{name}.txt")
        if not txt.is_file():
            raise ValueError(f"{gold_path}: its article {txt.name!r} is missing")
        out.append((name, txt, gold))
    return out


def check_floors(summary: dict[str, dict[str, Any]], floors: dict[str, float]) -> list[str]:
    """Return a message for each figure below its floor (``{"claims.f1": 0.8, ...}``); [] when all pass.

    An undefined figure (an accuracy with nothing scored) is below any floor.

    Raises:
        ValueError: a key is not ``category.figure`` of the summary, or a floor is not a number.
    """
    failures = []
    for key, floor in floors.items():
        category, _, figure = key.partition(".")
        if category not in summary or figure not in summary[category]:
            allowed = ", ".join(f"{c}.{f}" for c in summary for f in summary[c])
            raise ValueError(f"unknown floor {key!r}; allowed: {allowed}")
        if isinstance(floor, bool) or not isinstance(floor, (int, float)) or math.isnan(floor):
            raise ValueError(f"floor {key!r} must be a number, got {floor!r}")
        value = summary[category][figure]
        if value is None:
            failures.append(f"{key} is undefined (nothing scored), floor {floor:.3f}")
        elif value < floor:
            failures.append(f"{key} = {value:.3f} is below its floor {floor:.3f}")
    return failures


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_table(summary: dict[str, dict[str, Any]]) -> str:
    """A fixed-width table of a summary: one row per category, attribute accuracies at the end."""
    lines = [f"{'':<16}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}  accuracy"]
    for cat, fig in summary.items():
        accs = "  ".join(f"{k[: -len('_accuracy')]} {_fmt(v)}" for k, v in fig.items() if k.endswith("_accuracy"))
        lines.append(
            f"{cat:<16}{fig['precision']:>7.3f}{fig['recall']:>7.3f}{fig['f1']:>7.3f}"
            f"{fig['tp']:>6}{fig['fp']:>6}{fig['fn']:>6}  {accs}".rstrip()
        )
    return "\n".join(lines)


def format_errors(errors: Iterable[ScoreError], width: int = 90) -> str:
    """One line per error, grouped under each article id: kind, span, text, gold vs predicted."""
    lines: list[str] = []
    current = None
    for e in errors:
        if e.article != current:
            current = e.article
            lines.append(f"== {current}")
        text = " ".join(e.text.split())
        text = text if len(text) <= width else text[: width - 1] + "…"
        values = "" if e.error in ("miss", "false_positive") else f"  gold={e.gold!r} predicted={e.predicted!r}"
        label = f"{e.category} {e.error}"
        if e.category == "techniques" and e.error in ("miss", "false_positive"):
            values = f"  [{e.gold if e.error == 'miss' else e.predicted}]"
        lines.append(f"  {label:<30}{e.start:>6}-{e.end:<6} {text!r}{values}")
    return "\n".join(lines)
