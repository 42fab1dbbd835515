"""Time the healthclaims_techniques component alone on a folder of articles, and list what it finds.

The trained components and the extractors before techniques run once per article, untimed;
then the techniques component runs ``--repeat`` times on each finished Doc and the best time
per article counts (the machine is shared, so the minimum is the least noisy figure).

Usage: python benchmarks/techniques_timing.py [FOLDER] [--repeat 3] [--json FILE] [--without-mesh]
``--json`` writes ``{article: [[canonical, category, mention text], ...]}`` for hand-judging.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = ROOT.parent / "shared" / "corpus" / "pool"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--without-mesh", action="store_true", help="leave the generated MeSH lexicon out")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"no folder {args.folder}; nothing to time", file=sys.stderr)
        return 0
    from healthclaims.nlp import load_pipeline

    config = {"healthclaims_techniques": {"mesh_lexicon": None}} if args.without_mesh else None
    nlp = load_pipeline(config=config)
    component = nlp.get_pipe("healthclaims_techniques")
    files = sorted(args.folder.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in files]
    per_article: list[float] = []
    found: dict[str, list[list[str]]] = {}
    with nlp.select_pipes(disable=["healthclaims_techniques", "healthclaims_claims"]):
        docs = nlp.pipe(texts, batch_size=32)
        for path, doc in zip(files, docs):
            best = float("inf")
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                component(doc)
                best = min(best, time.perf_counter() - t0)
            per_article.append(best * 1000)
            found[path.stem] = [
                [hit.canonical, hit.category, m.text] for hit in doc._.hc_techniques for m in hit.mentions
            ]
    total = sum(per_article)
    print(
        f"{len(files)} articles: techniques component {total:.0f} ms in all, "
        f"mean {statistics.mean(per_article):.2f} ms, median {statistics.median(per_article):.2f} ms, "
        f"max {max(per_article):.2f} ms per article; "
        f"{sum(len({c for c, _, _ in v}) for v in found.values())} techniques found"
    )
    if args.json:
        args.json.write_text(json.dumps(found, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
