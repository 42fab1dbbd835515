"""Item-by-item comparison of the records two parse modes give the same articles.

Copies a seeded sample of articles (by default from ../shared/corpus/pool, leaving out those
of ../shared/corpus/dev, which the quality guard scores already), runs ``healthclaims run`` once
per mode, and counts per kind (claims, citations, quotes, speakers, techniques) the items only
one mode found; for claims both modes found, how many differ in strength and in any other field.
``--show N`` prints up to N differing items of each kind.

Usage: python benchmarks/compare_modes.py [FOLDER] [--sample 40] [--seed 14] [--modes full fast] [--show 5]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = ROOT.parent / "shared" / "corpus" / "pool"
DEV = ROOT.parent / "shared" / "corpus" / "dev"
KINDS = ("claims", "citations", "quotes", "speakers", "techniques")
#: Fields that number items within a record: equal items may get other numbers when one is missing.
NUMBERING = ("id", "citation_ids", "speaker_id", "quote_id")


def run_mode(folder: Path, outdir: Path, mode: str) -> dict[str, dict]:
    """The records ``healthclaims run --parse MODE`` writes for ``folder``, by article id."""
    subprocess.run([sys.executable, "-m", "healthclaims", "run", str(folder), "-o", str(outdir), "--parse", mode,
                    "--quiet"], check=False, cwd=ROOT)
    records = {}
    for path in sorted(outdir.glob("*.json")):
        if path.name != "manifest.json":
            records[path.stem] = json.loads(path.read_text(encoding="utf-8"))
    return records


def _key(item: dict) -> str:
    return json.dumps({k: v for k, v in item.items() if k not in NUMBERING}, sort_keys=True)


def compare(a: dict[str, dict], b: dict[str, dict]) -> tuple[Counter, dict[str, list[str]]]:
    """Counts of items per kind found by both, only by ``a``, only by ``b``; and examples of the differences."""
    counts: Counter = Counter({"strength differs (same claim span)": 0})
    examples: dict[str, list[str]] = {k: [] for k in (*KINDS, "strength")}
    for article in sorted(set(a) | set(b)):
        ra, rb = a.get(article, {}), b.get(article, {})
        for kind in KINDS:
            ka = {_key(i): i for i in ra.get(kind, [])}
            kb = {_key(i): i for i in rb.get(kind, [])}
            counts[f"{kind} same"] += len(ka.keys() & kb.keys())
            for label, only in (("only A", ka.keys() - kb.keys()), ("only B", kb.keys() - ka.keys())):
                counts[f"{kind} {label}"] += len(only)
                examples[kind] += [f"{article} {label}: {k[:300]}" for k in sorted(only)]
        by_span_a = {(c["start"], c["end"]): c for c in ra.get("claims", [])}
        for c in rb.get("claims", []):
            other = by_span_a.get((c["start"], c["end"]))
            if other is not None and other.get("strength") != c.get("strength"):
                counts["strength differs (same claim span)"] += 1
                examples["strength"].append(f"{article} {c['text'][:120]!r}: {other.get('strength')} -> {c.get('strength')}")
    return counts, examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--modes", nargs=2, default=["full", "fast"], metavar=("A", "B"))
    parser.add_argument("--show", type=int, default=5, help="differing items printed per kind")
    args = parser.parse_args()
    if not args.folder.is_dir():
        print(f"folder {args.folder} not found; nothing compared (skipped)")
        return
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from component_profile import sample_files

    dev = {p.stem for p in DEV.glob("*.txt")} if DEV.is_dir() else set()
    files = [p for p in sample_files(args.folder, 0, args.seed) if p.stem not in dev]
    files = sorted(random.Random(args.seed).sample(files, min(args.sample, len(files))))
    with tempfile.TemporaryDirectory(prefix="hc-compare-") as tmp:
        sample = Path(tmp) / "sample"
        sample.mkdir()
        for path in files:
            shutil.copy(path, sample / path.name)
        a, b = (run_mode(sample, Path(tmp) / mode, mode) for mode in args.modes)
    counts, examples = compare(a, b)
    print(f"{len(files)} articles (seed {args.seed}, not in dev); A = --parse {args.modes[0]} ({len(a)} records), "
          f"B = --parse {args.modes[1]} ({len(b)} records)")
    for name in sorted(counts):
        print(f"  {name:<40} {counts[name]:6d}")
    for kind, lines in examples.items():
        for line in lines[: args.show]:
            print(f"  [{kind}] {line}")


if __name__ == "__main__":
    main()
