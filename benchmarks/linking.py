"""News-to-paper linking benchmark: healthclaims with a library over stories with a gold PMID.

Runs the pipeline over every story of FOLDER (the story's date from gold.json given as the
article's published date, since the stories are plain text), resolves the citations against
the library, and prints top-1 accuracy (the story's best-scored resolved citation is the gold
paper), the share of stories answered, the share answered wrongly, the accuracy/coverage
trade-off over thresholds and margins, and per-citation resolution time with its steps
(candidate retrieval, scoring, claim checks and summary, other). With --scale N it also
builds a library N times larger (generated from the real one: each real paper gets N-1
distractors mixing its title and abstract words with another paper's, and other authors)
and measures resolution time and accuracy against it.

With --failures it also lists every story not answered rightly: its gold PMID, and each citation
with its status and best three candidates (score, * for the gold paper).

Usage: python benchmarks/linking.py [FOLDER] [--library FILE] [--scale 100] [--json FILE] [--failures]
Skips (exit 0) when the shared data is absent.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "linking"


def extract(folder: Path, gold: dict) -> tuple[list, float]:
    """Records of every story with a gold entry, and the extraction seconds."""
    from healthclaims import __version__
    from healthclaims.io.textio import read_article
    from healthclaims.nlp import load_pipeline, model_info, process_texts
    from healthclaims.records.consumer import build_record

    nlp = load_pipeline()
    info = model_info(nlp)
    articles = []
    for path in sorted(folder.glob("*.txt")):
        if path.stem in gold:
            article = read_article(path)
            article.published = gold[path.stem].get("news_date")
            articles.append((path.stem, article))
    started = time.process_time()  # CPU seconds: the machine is shared, wall time is noise
    records = [build_record(chunks, article, name, pipeline_version=__version__, model=info)
               for chunks, (name, article) in process_texts(nlp, ((a.text, (n, a)) for n, a in articles))]
    return records, time.process_time() - started


def citation_scores(record) -> list[tuple[float, float, str | None, str]]:
    """(best score, runner-up score, best PMID, status) of each citation of a resolved record."""
    out = []
    for c in record.citations:
        r = c.resolved
        scores = [k.score for k in r.candidates] + [0.0, 0.0]
        out.append((scores[0], scores[1], r.candidates[0].pmid if r.candidates else None, r.status))
    return out


def measure(records, gold, threshold=None, margin=None) -> dict:
    """Top-1, answered and wrong shares over all stories, at the configured or given decision rule."""
    from healthclaims.linking.config import load_config
    from healthclaims.linking.match import clear_lead

    decision = load_config().decision
    threshold = decision.threshold if threshold is None else threshold
    margin = decision.margin if margin is None else margin
    right = answered = with_citation = ranked_first = 0
    for record in records:
        cits = citation_scores(record)
        with_citation += bool(cits)
        if cits and max(cits)[2] == gold[record.article.id]["pmid"]:
            ranked_first += 1
        resolved = [c for c in cits if clear_lead(c[0], c[1], threshold, margin)]
        if resolved:
            answered += 1
            right += max(resolved)[2] == gold[record.article.id]["pmid"]
    n = len(records) or 1
    return {"stories": len(records), "with_citation": with_citation, "top1": round(right / n, 3),
            "answered": round(answered / n, 3), "wrong": round((answered - right) / n, 3),
            "top1_of_cited": round(right / (with_citation or 1), 3),
            "wrong_of_answered": round((answered - right) / (answered or 1), 3),
            "best_candidate_is_gold": round(ranked_first / n, 3), "threshold": threshold, "margin": margin}


def failures(records, gold) -> list[str]:
    """One block of lines per story whose best resolved citation is not the gold paper (or that has none)."""
    from healthclaims.linking.match import clear_lead

    lines = []
    for record in records:
        want = gold[record.article.id]["pmid"]
        resolved = [c for c in citation_scores(record) if clear_lead(c[0], c[1])]
        best = max(resolved)[2] if resolved else None
        if best == want:
            continue
        lines.append(f"{'WRONG' if best else 'NONE '} {record.article.id}  gold {want}  answered {best}")
        if not record.citations:
            lines.append("    no citation found")
        for c in record.citations:
            shown = ", ".join(f"{k.pmid}{'*' if k.pmid == want else ''} {k.score:.3f}" for k in c.resolved.candidates)
            lines.append(f"    {c.resolved.status:10} {c.text[:60]!r}: {shown or 'no candidate'}")
    return lines


def resolve(records, library: Path, cache: Path):
    """Resolve copies of the records; returns them, the CPU seconds, the counts (with each step's CPU) and the index build seconds."""
    from healthclaims.linking.resolve import Resolver

    started = time.process_time()
    resolver = Resolver([library], cache_dir=cache)
    built = time.process_time() - started
    copies = [r.model_copy(deep=True) for r in records]
    started = time.process_time()
    counts = resolver.resolve(copies)
    return copies, time.process_time() - started, counts, built


def steps(counts, seconds: float) -> dict[str, float]:
    """CPU milliseconds per citation of each resolution step; ``other`` is evidence gathering."""
    n = counts.citations or 1
    parts = {"candidates": counts.search_cpu, "scoring": counts.score_cpu, "checks": counts.checks_cpu}
    parts["other"] = seconds - sum(parts.values())
    return {key: round(1000 * value / n, 1) for key, value in parts.items()}


def breakdown(ms: dict[str, float]) -> str:
    """The step figures as one line ("candidates 4.1 ms, scoring 3.0 ms, ...")."""
    return ", ".join(f"{key} {value} ms" for key, value in ms.items())


def scaled_library(library: Path, factor: int, target: Path, seed: int = 7) -> Path:
    """A CSL-JSON library ``factor`` times larger: the real papers plus generated distractors."""
    items = json.loads(library.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    with open(target, "w", encoding="utf-8") as out:
        out.write("[\n")
        first = True
        for item in items:
            for k in range(factor):
                if k == 0:
                    new = item
                else:
                    other = items[rng.randrange(len(items))]
                    mine, theirs = item["title"].split(), other["title"].split()
                    cut = max(1, len(mine) // 2)
                    new = {"id": f"gen:{k}:{item['id']}", "type": "article-journal", "PMID": f"9{k:02d}{item['PMID']}",
                           "title": " ".join(mine[:cut] + theirs[len(theirs) // 2:]),
                           "container-title-short": other.get("container-title-short"),
                           "author": other.get("author", [])[:6],
                           "abstract": (item.get("abstract", "")[:300] + " " + other.get("abstract", "")[300:700]).strip(),
                           "keyword": other.get("keyword", "")}
                out.write(("" if first else ",\n") + json.dumps(new, ensure_ascii=False))
                first = False
        out.write("\n]\n")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=SHARED / "dev")
    parser.add_argument("--library", type=Path, default=SHARED / "library.csl.json")
    parser.add_argument("--gold", type=Path, default=None, help="gold.json [default: FOLDER/gold.json]")
    parser.add_argument("--scale", type=int, default=0, help="also measure against a library this many times larger")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here too")
    parser.add_argument("--failures", action="store_true", help="list the stories not answered rightly")
    args = parser.parse_args(argv)
    gold_path = args.gold or args.folder / "gold.json"
    if not (args.folder.is_dir() and gold_path.is_file() and args.library.is_file()):
        print(f"skipped: {args.folder} / {gold_path} / {args.library} not found")
        return 0
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    records, extract_s = extract(args.folder, gold)
    figures: dict = {"extract_seconds": round(extract_s, 2)}
    with tempfile.TemporaryDirectory() as tmp:
        resolved, seconds, counts, built = resolve(records, args.library, Path(tmp))
        citations = counts.citations
        figures["small"] = {**measure(resolved, gold), "papers": "library", "index_build_seconds": round(built, 2),
                            "resolve_seconds": round(seconds, 2), "citations": citations,
                            "ms_per_citation": round(1000 * seconds / (citations or 1), 1),
                            "resolution_share_of_run": round(seconds / (seconds + extract_s), 3),
                            "steps_ms_per_citation": steps(counts, seconds)}
        figures["curve"] = [measure(resolved, gold, t, m) for m in (0.0, 0.06, 0.12, 0.2)
                            for t in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)]
        failed = failures(resolved, gold) if args.failures else []
        if args.scale > 1:
            big = scaled_library(args.library, args.scale, Path(tmp) / "big.csl.json")
            big_resolved, big_seconds, big_counts, big_built = resolve(records, big, Path(tmp))
            if args.failures:
                failed += ["", f"{args.scale}x library:", *failures(big_resolved, gold)]
            figures["large"] = {**measure(big_resolved, gold), "scale": args.scale, "index_build_seconds": round(big_built, 1),
                                "resolve_seconds": round(big_seconds, 2),
                                "ms_per_citation": round(1000 * big_seconds / (citations or 1), 1),
                                "steps_ms_per_citation": steps(big_counts, big_seconds)}
    small = figures["small"]
    print(f"{small['stories']} stories ({small['with_citation']} with a citation found), {citations} citations")
    print(f"top-1 {small['top1']:.3f}   answered {small['answered']:.3f}   wrong {small['wrong']:.3f}   "
          f"(of stories with a citation: top-1 {small['top1_of_cited']:.3f}; best candidate is gold "
          f"{small['best_candidate_is_gold']:.3f})")
    print(f"resolution {small['ms_per_citation']} ms/citation, {small['resolution_share_of_run']:.1%} of run time "
          f"(CPU time; extraction {extract_s:.1f} s, index build {small['index_build_seconds']} s)")
    print(f"  per citation: {breakdown(small['steps_ms_per_citation'])}")
    from healthclaims.linking.config import load_config

    low = load_config().decision
    print(f"\nthreshold margin  top-1  answered  wrong   (each row also resolves a best score >= "
          f"{low.low_threshold} with the runner-up <= {low.runner_up_ratio} of it)")
    for row in figures["curve"]:
        print(f"  {row['threshold']:.2f}    {row['margin']:.2f}   {row['top1']:.3f}   {row['answered']:.3f}   {row['wrong']:.3f}")
    if "large" in figures:
        large = figures["large"]
        print(f"\n{args.scale}x library: {large['ms_per_citation']} ms/citation (index build {large['index_build_seconds']} s), "
              f"top-1 {large['top1']:.3f} answered {large['answered']:.3f} wrong {large['wrong']:.3f}")
        print(f"  per citation: {breakdown(large['steps_ms_per_citation'])}; "
              f"{large['ms_per_citation'] / (small['ms_per_citation'] or 1):.2f}x the small library's time")
    if failed:
        print("\nnot answered rightly:\n" + "\n".join(failed))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
