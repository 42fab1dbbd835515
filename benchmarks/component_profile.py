"""Per-component CPU profile of ``healthclaims run``: where the time of one worker goes.

Runs the healthclaims pipeline component by component over a seeded sample of articles, in
batches as ``process_texts`` does, and times each step with ``time.process_time`` (CPU time
of this process, so other load on a shared machine matters less than with wall time):
tokenizer, every trained component (tok2vec, tagger, parser, ...), every healthclaims
component, record building and writing. Prints one row per step with its share of the total.

Usage: python benchmarks/component_profile.py [FOLDER] [--sample 80] [--seed 1] [--parse full|selective]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = ROOT.parent / "shared" / "corpus" / "pool"


def sample_files(folder: Path, n: int, seed: int) -> list[Path]:
    """A seeded sample of ``n`` article files (all of them when ``n`` is 0 or larger than the folder)."""
    files = sorted(p for p in folder.rglob("*") if p.suffix in {".txt", ".md"})
    if 0 < n < len(files):
        files = sorted(random.Random(seed).sample(files, n))
    return files


def profile(files: list[Path], parse: str = "full", batch_size: int = 32) -> dict[str, float]:
    """CPU seconds per pipeline step over ``files`` (keys in pipeline order)."""
    from healthclaims.batch.runner import write_atomic
    from healthclaims.io.textio import read_article
    from healthclaims.nlp import load_pipeline, model_info, split_chunks
    from healthclaims.records.consumer import build_record

    kwargs = {} if parse == "full" else {"parse": parse}
    nlp = load_pipeline(**kwargs)
    info = model_info(nlp)
    times: dict[str, float] = defaultdict(float)
    articles = [read_article(p) for p in files]
    with tempfile.TemporaryDirectory(prefix="hc-profile-") as tmp:
        for start in range(0, len(articles), batch_size):
            batch = articles[start : start + batch_size]
            pieces = [(n, off, chunk) for n, a in enumerate(batch) for off, chunk in split_chunks(a.text, min(50_000, nlp.max_length))]
            t = time.process_time()
            docs = [nlp.make_doc(chunk) for _, _, chunk in pieces]
            times["tokenizer"] += time.process_time() - t
            for name, proc in nlp.pipeline:
                t = time.process_time()
                docs = list(proc.pipe(docs, batch_size=batch_size)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
                times[name] += time.process_time() - t
            by_article: dict[int, list] = defaultdict(list)
            for (n, off, _), doc in zip(pieces, docs):
                by_article[n].append((off, doc))
            for n, article in enumerate(batch):
                t = time.process_time()
                try:
                    record = build_record(by_article[n], article, f"a{start + n}", pipeline_version="profile", model=info)
                except ValueError as exc:  # one bad record must not sink the profile (the run reports it too)
                    print(f"record of {files[start + n].name} failed: {exc}".splitlines()[0], file=sys.stderr)
                    continue
                finally:
                    times["record building"] += time.process_time() - t
                t = time.process_time()
                write_atomic(Path(tmp) / f"a{start + n}.json", record.model_dump_json(indent=2))
                times["writing"] += time.process_time() - t
    return dict(times)


def print_profile(times: dict[str, float], label: str = "") -> None:
    """One row per step: CPU seconds and share of the total."""
    total = sum(times.values()) or 1.0
    print(f"profile{(' (' + label + ')') if label else ''}: CPU seconds per step, time.process_time")
    for name, seconds in times.items():
        print(f"  {name:<28} {seconds:8.2f} s  {100 * seconds / total:5.1f} %")
    print(f"  {'total':<28} {total:8.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--sample", type=int, default=80, help="articles to profile (0: all)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--parse", default="full")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead")
    args = parser.parse_args()
    if not args.folder.is_dir():
        print(f"profile folder {args.folder} not found; nothing measured (skipped)")
        return
    times = profile(sample_files(args.folder, args.sample, args.seed), args.parse)
    if args.json:
        json.dump(times, sys.stdout)
    else:
        print_profile(times, f"{args.sample} articles, parse={args.parse}")


if __name__ == "__main__":
    main()
