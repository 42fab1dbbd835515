"""Citation coverage on news stories that each report one paper (``../shared/linking/dev``).

For every story: does the citations extractor give at least one citation to a study, does one
carry a venue, and does that venue agree with the journal of the paper the story reports
(its MEDLINE abbreviation in ``library.csl.json``, compared word by word as ISO 4 abbreviates:
"N Engl J Med" agrees with "New England Journal of Medicine"). Also the share with a study
type, a year, and a first author that is one of the paper's authors.

Usage: python benchmarks/citation_coverage.py [FOLDER] [--misses] [--json FILE]
Skips (exit 0, a message) when the folder is absent.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = ROOT.parent / "shared" / "linking" / "dev"
_STOP = {"the", "of", "and", "in", "for", "on", "a", "an", "&", "journal"}


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [w for w in re.findall(r"[a-z0-9]+", text) if w not in _STOP]


def venue_agrees(predicted: str, abbreviation: str) -> bool:
    """True when each word of the MEDLINE abbreviation starts a word of the venue, in order (or acronyms agree)."""
    pred, abbr = _words(predicted), _words(abbreviation)
    if not pred or not abbr:
        return False
    if "".join(pred) == "".join(abbr) or "".join(w[0] for w in pred) == "".join(abbr):
        return True  # "BMJ" / "British Medical Journal" style acronyms, or the same words
    k = 0
    for word in pred:
        if k < len(abbr) and word.startswith(abbr[k]):
            k += 1
    return k == len(abbr) and len(pred) <= len(abbr) + 1


def main(argv: list[str] | None = None) -> int:
    """Run the pipeline over the stories and print the coverage shares."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(DEFAULT_FOLDER))
    parser.add_argument("--misses", action="store_true", help="list stories without a citation or a venue")
    parser.add_argument("--json", help="write the per-story results here")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    gold_path = folder / "gold.json"
    if not gold_path.is_file():
        print(f"skipped: no {gold_path} (the shared linking data is absent)")
        return 0
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    library_path = folder.parent / "library.csl.json"
    papers = {}
    if library_path.is_file():
        papers = {str(p.get("PMID")): p for p in json.loads(library_path.read_text(encoding="utf-8"))}

    from healthclaims.nlp import load_pipeline

    nlp = load_pipeline()
    names = sorted(gold)
    texts = [(folder / f"{name}.txt").read_text(encoding="utf-8") for name in names]
    rows = []
    for name, doc in zip(names, nlp.pipe(texts, batch_size=16), strict=True):
        paper = papers.get(str(gold[name]["pmid"]), {})
        journal = paper.get("container-title-short", "")
        authors = {a.get("family", "").lower() for a in paper.get("author", [])}
        hits = [h for h in doc._.hc_citations if h.rule not in ("org_according_to", "org_estimates")]
        venues = [h.venue for h in hits if h.venue]
        rows.append(
            {
                "name": name,
                "citations": len(hits),
                "venue": bool(venues),
                "venue_right": any(venue_agrees(v, journal) for v in venues) if journal else None,
                "study_type": any(h.study_type for h in hits),
                "year": any(h.year for h in hits),
                "author_right": any(h.first_author and h.first_author.lower() in authors for h in hits),
                "venues": venues,
                "journal": journal,
            }
        )
    n = len(rows)

    def share(key: str) -> float:
        return sum(1 for r in rows if r[key]) / n if n else 0.0

    print(f"stories: {n} ({folder})")
    for key, label in [
        ("citations", "with a citation"),
        ("venue", "with a citation naming a venue"),
        ("venue_right", "venue agrees with the paper's journal"),
        ("study_type", "with a study type"),
        ("year", "with a year"),
        ("author_right", "first author is one of the paper's authors"),
    ]:
        print(f"  {label:45s} {share(key):.3f}")
    if args.misses:
        for r in rows:
            if not r["citations"] or not r["venue_right"]:
                print(f"  miss {r['name']}: venues={r['venues']} journal={r['journal']!r}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
