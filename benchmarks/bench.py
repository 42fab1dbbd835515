"""Throughput and memory benchmark: healthclaims against bare spaCy on the same texts.

Prints words/s and articles/s for (1) bare ``nlp.pipe`` of the trained pipeline (and,
as 1b, of just the trained components healthclaims runs, at its batch size), (2)
``healthclaims run`` single process, (3) ``--jobs 2`` and ``--jobs N``, (4) a re-run on the
unchanged folder, (5) peak RSS on the folder and on the folder repeated, and (6) ``--dask
local:2`` (a LocalCluster of two worker processes, when the dask extra is installed) against
``--jobs 2`` and ``--jobs 1``, with ratios. Every figure is a ratio against a baseline measured in
the same run, on the same machine.

Usage: python benchmarks/bench.py [FOLDER] [--repeat 10] [--jobs N] [--sample N] [--parallel-only] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = ROOT.parent / "shared" / "corpus" / "pool"

BASELINE = r"""
import sys, time, spacy
from pathlib import Path
from healthclaims.modelref import resolve_model
files = sorted(p for p in Path(sys.argv[1]).rglob("*") if p.suffix in {".txt", ".md"})
t0 = time.perf_counter()
if len(sys.argv) > 2:  # the trained components healthclaims runs, at its batch size: extraction overhead alone
    nlp = spacy.load(resolve_model(None), exclude=["lemmatizer"])
    kwargs = {"batch_size": int(sys.argv[2])}
else:
    nlp = spacy.load(resolve_model(None))
    kwargs = {}
texts = [p.read_text(encoding="utf-8") for p in files]
n = sum(1 for _ in nlp.pipe(texts, **kwargs))
print(time.perf_counter() - t0)
"""

MEASURE = r"""
import resource, subprocess, sys, time
t0 = time.perf_counter()
code = subprocess.run(sys.argv[1:]).returncode
elapsed = time.perf_counter() - t0
print(f"{elapsed} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss} {code}")
"""


def measure(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of a command, in a fresh process."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], stdout=subprocess.PIPE, text=True, cwd=ROOT, check=True)
    seconds, rss, code = out.stdout.strip().splitlines()[-1].split()
    if int(code) not in (0, 1):
        raise SystemExit(f"command failed ({code}): {' '.join(cmd)}")
    return float(seconds), int(rss)


def corpus_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.suffix in {".txt", ".md"}]
    words = sum(len(p.read_text(encoding="utf-8", errors="replace").split()) for p in files)
    return len(files), words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--repeat", type=int, default=10, help="copies of the folder for the memory run (0 skips it)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers for the all-cores run")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    parser.add_argument("--sample", type=int, default=0, help="measure only the first N articles of the folder")
    parser.add_argument("--parallel-only", action="store_true",
                        help="only -j1, -j2 and --dask local:2 (row 6), for a machine shared with others")
    args = parser.parse_args()
    if not args.folder.is_dir():
        print(f"benchmark folder {args.folder} not found; nothing measured (skipped)")
        return
    with tempfile.TemporaryDirectory(prefix="hc-sample-") as sample_dir:
        if args.sample:
            files = sorted(p for p in args.folder.rglob("*") if p.suffix in {".txt", ".md"})[: args.sample]
            for path in files:
                shutil.copy(path, Path(sample_dir) / path.name)
            args.folder = Path(sample_dir)
        if args.parallel_only:
            parallel_rows(args)
        else:
            all_rows(args)


def dask_available() -> bool:
    return subprocess.run([sys.executable, "-c", "import distributed"], capture_output=True, check=False).returncode == 0


def parallel_rows(args: argparse.Namespace) -> None:
    """-j1, -j2 and --dask local:2 on the same folder, one after another in one run (row 6)."""
    hc = [sys.executable, "-m", "healthclaims", "run", "--quiet"]
    articles, words = corpus_size(args.folder)
    print(f"corpus: {args.folder} ({articles} articles, {words:,} words)")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    rows: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="hc-bench-") as tmp:
        for name, extra in (("2 healthclaims run -j1", []), ("3 healthclaims run -j2", ["--jobs", "2"]),
                            ("6 healthclaims run --dask local:2", ["--dask", "local:2"])):
            if "--dask" in extra and not dask_available():
                print("  (dask extra not installed: row 6 skipped)")
                continue
            seconds, _rss = measure([*hc, str(args.folder), "-o", str(Path(tmp) / name.split()[0]), *extra])
            rows[name] = {"seconds": seconds, "words_per_s": words / seconds, "articles_per_s": articles / seconds}
            print(f"  {name:<34} {seconds:8.2f} s {words / seconds:10,.0f} words/s {articles / seconds:7.2f} articles/s",
                  flush=True)
    ratios = {"jobs2_vs_jobs1": rows["3 healthclaims run -j2"]["words_per_s"] / rows["2 healthclaims run -j1"]["words_per_s"]}
    if "6 healthclaims run --dask local:2" in rows:
        dask = rows["6 healthclaims run --dask local:2"]["words_per_s"]
        ratios["dask_local2_vs_jobs2 (target >= 0.9)"] = dask / rows["3 healthclaims run -j2"]["words_per_s"]
        ratios["dask_local2_vs_jobs1"] = dask / rows["2 healthclaims run -j1"]["words_per_s"]
    print("ratios:")
    for name, value in ratios.items():
        print(f"  {name:<44} {value:6.2f}")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "ratios": ratios}, indent=2))


def all_rows(args: argparse.Namespace) -> None:
    """Every row, 1 to 6."""
    hc = [sys.executable, "-m", "healthclaims", "run", "--quiet"]
    articles, words = corpus_size(args.folder)
    print(f"corpus: {args.folder} ({articles} articles, {words:,} words)")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    rows: dict[str, dict[str, float]] = {}

    def row(name: str, seconds: float, rss: int, n_articles: int = articles, n_words: int = words) -> None:
        rows[name] = {"seconds": seconds, "words_per_s": n_words / seconds, "articles_per_s": n_articles / seconds, "peak_rss_mib": rss / 1024}
        print(f"  {name:<28} {seconds:8.2f} s {n_words / seconds:10,.0f} words/s {n_articles / seconds:7.2f} articles/s  peak RSS {rss / 1024:7.0f} MiB", flush=True)

    with tempfile.TemporaryDirectory(prefix="hc-bench-") as tmp:
        tmpdir = Path(tmp)
        row("1 baseline nlp.pipe", *measure([sys.executable, "-c", BASELINE, str(args.folder)]))
        row("1b same parts, batch 32", *measure([sys.executable, "-c", BASELINE, str(args.folder), "32"]))
        out = tmpdir / "out1"
        row("2 healthclaims run -j1", *measure([*hc, str(args.folder), "-o", str(out)]))
        row("3 healthclaims run -j2", *measure([*hc, str(args.folder), "-o", str(tmpdir / "out2"), "--jobs", "2"]))
        if args.jobs > 2:
            row(f"3b healthclaims run -j{args.jobs}", *measure([*hc, str(args.folder), "-o", str(tmpdir / "outN"), "--jobs", str(args.jobs)]))
        row("4 re-run, unchanged", *measure([*hc, str(args.folder), "-o", str(out)]))
        if dask_available():
            row("6 healthclaims run --dask local:2", *measure([*hc, str(args.folder), "-o", str(tmpdir / "outD"),
                                                               "--dask", "local:2"]))
        if args.repeat > 1:
            big = tmpdir / "big"
            for i in range(args.repeat):
                shutil.copytree(args.folder, big / f"copy{i:02d}")
            row(f"5 run on {args.repeat}x folder", *measure([*hc, str(big), "-o", str(tmpdir / "outbig")]),
                n_articles=articles * args.repeat, n_words=words * args.repeat)
            errors = (tmpdir / "outbig" / "errors.jsonl").read_text().count("\n")
            records = (tmpdir / "outbig" / "records.jsonl").read_text().count("\n")
            print(f"     {args.repeat}x run: {records} records, {errors} errors")

    base, e2e, par, rerun = (rows[k] for k in ("1 baseline nlp.pipe", "2 healthclaims run -j1", "3 healthclaims run -j2", "4 re-run, unchanged"))
    ratios = {
        "end_to_end_vs_baseline (target >= 0.85)": e2e["words_per_s"] / base["words_per_s"],
        "end_to_end_vs_same_parts_batch_32": e2e["words_per_s"] / rows["1b same parts, batch 32"]["words_per_s"],
        "jobs2_vs_jobs1 (target >= 1.7)": par["words_per_s"] / e2e["words_per_s"],
        "rerun_speedup (target >= 20)": e2e["seconds"] / rerun["seconds"],
    }
    if "6 healthclaims run --dask local:2" in rows:
        ratios["dask_local2_vs_jobs2 (target >= 0.9)"] = rows["6 healthclaims run --dask local:2"]["words_per_s"] / par["words_per_s"]
    big_key = next((k for k in rows if k.startswith("5 ")), None)
    if big_key:
        ratios[f"peak_rss_{args.repeat}x_vs_1x (target <= 1.10)"] = rows[big_key]["peak_rss_mib"] / e2e["peak_rss_mib"]
    print("ratios:")
    for name, value in ratios.items():
        print(f"  {name:<44} {value:6.2f}")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "ratios": ratios}, indent=2))


if __name__ == "__main__":
    main()
