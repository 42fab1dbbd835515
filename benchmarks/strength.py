"""Claim strength on expert-labelled sentences: accuracy, per-label F1 and macro-F1 per file,
for the rules alone and for the classifier (cross-validated), with the confusions that remain.

    python benchmarks/strength.py [DATA_DIR]     (default ../shared/strength; skips when absent)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "strength"
    if not any(data.glob("*.csv")):
        print(f"{data}: no labelled strength sentences here; benchmark skipped")
        return 0
    from healthclaims.components.strength.train import main as train_main

    train_main.main([str(data)], standalone_mode=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
