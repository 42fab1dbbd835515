"""Score HTML-to-text extraction against saved pages whose true article body is known.

For each page, the multiset of word tokens of the extracted text is compared with that of
the true body: precision and recall per page, then mean precision, mean recall and their F1
over pages (the measure of the public article-extraction benchmark). Also prints how many
pages lost their body (recall < 0.5) and, of those, how many healthclaims reports as an
error (``no_article_text``) instead of a near-empty record.

The folder holds ``pages/NAME.html[.gz]`` and ``ground-truth.json`` (``{NAME: {"articleBody": ...}}``).

With ``--claims``, also runs the pipeline on each extractor's text and reports the share of
claims and quotes whose text does not occur in the true body (white space normalised): the
ones that came from menus, trending boxes, related links or comments.

Usage: python benchmarks/html_extraction.py [FOLDER] [--extractor NAME ...] [--per-page] [--claims] [--json FILE]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = ROOT.parent / "shared" / "html"
TOKEN = re.compile(r"\w+", re.UNICODE)
LOST = 0.5  # recall below this: the page lost its body


def tokens(text: str) -> Counter:
    """Word tokens of a text, lower-cased, as a multiset."""
    return Counter(t.lower() for t in TOKEN.findall(text or ""))


def page_scores(extracted: str, truth: str) -> tuple[float, float]:
    """Token precision and recall of one page (an empty extraction of an empty body scores 1)."""
    got, want = tokens(extracted), tokens(truth)
    common = sum((got & want).values())
    precision = common / sum(got.values()) if got else float(not want)
    recall = common / sum(want.values()) if want else 1.0
    return precision, recall


def _healthclaims(html: bytes) -> str:
    from healthclaims.io.textio import ArticleError, read_article

    try:
        return read_article(Path("page.html"), "page.html", html).text
    except ArticleError:
        return ""


def _healthclaims_body(html: bytes) -> str:
    from healthclaims.io.textio import ArticleError, read_article

    try:
        article = read_article(Path("page.html"), "page.html", html)
    except ArticleError:
        return ""
    # the true bodies leave the headline out; article.text starts with it
    return article.text[len(article.title):] if article.title and article.text.startswith(article.title) else article.text


def _healthclaims_errors(html: bytes) -> str | None:
    from healthclaims.io.textio import ArticleError, read_article

    try:
        read_article(Path("page.html"), "page.html", html)
    except ArticleError as exc:
        return exc.kind
    return None


def _fallback(html: bytes) -> str:
    from healthclaims.io.htmltext import html_to_text
    from healthclaims.io.textio import decode_bytes

    return html_to_text(decode_bytes(html)[0])[0]


def _trafilatura(**options) -> Callable[[bytes], str]:
    def extract(html: bytes) -> str:
        import trafilatura

        return trafilatura.extract(html, **options) or ""

    return extract


def _readability(html: bytes) -> str:
    from lxml import html as lxml_html
    from readability import Document  # readability-lxml, not a healthclaims dependency

    summary = Document(html).summary(html_partial=True)
    return lxml_html.fromstring(summary).text_content() if summary.strip() else ""


EXTRACTORS: dict[str, Callable[[bytes], str]] = {
    "healthclaims": _healthclaims,
    "healthclaims-body": _healthclaims_body,
    "htmltext-fallback": _fallback,
    "trafilatura": _trafilatura(),
    "trafilatura-no-comments": _trafilatura(include_comments=False),
    "trafilatura-no-comments-no-tables": _trafilatura(include_comments=False, include_tables=False),
    "trafilatura-recall": _trafilatura(include_comments=False, favor_recall=True),
    "trafilatura-precision": _trafilatura(include_comments=False, favor_precision=True),
    "readability-lxml": _readability,
}


def _normal(text: str) -> str:
    return " ".join(text.split())


def outside_body(extract: Callable[[bytes], str], pages: list[tuple[str, bytes, str]], nlp) -> dict:
    """Claims and quotes found in the extracted text, and how many of them are not in the true body."""
    from healthclaims.batch.runner import extract_one
    from healthclaims.io.textio import ArticleError, article_from_text

    counts = {f"{kind}{part}": 0 for kind in ("claims", "quotes") for part in ("", "_outside", "_headline")}
    for name, html, truth in pages:
        try:
            article = article_from_text(extract(html), name, "0" * 64, fmt="text")
        except ArticleError:
            continue
        record = extract_one(article, name, nlp=nlp)
        body = _normal(truth)
        # the true bodies leave the headline out; healthclaims puts it first in article.text
        first = article.text.split("\n", 1)[0]
        headline = _normal(first) if _normal(first) not in body else ""
        for kind, items in (("claims", record.claims), ("quotes", record.quotes)):
            outside = [item for item in items if _normal(item.text) not in body]
            counts[kind] += len(items)
            counts[f"{kind}_outside"] += len(outside)
            counts[f"{kind}_headline"] += sum(bool(headline) and _normal(item.text) in headline for item in outside)
    return counts


def load_pages(folder: Path) -> list[tuple[str, bytes, str]]:
    """``(name, html bytes, true body)`` for every page with a ground truth, sorted by name."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for name in sorted(truth):
        for candidate in (folder / "pages" / f"{name}.html.gz", folder / "pages" / f"{name}.html"):
            if candidate.is_file():
                data = candidate.read_bytes()
                pages.append((name, gzip.decompress(data) if candidate.suffix == ".gz" else data, truth[name]["articleBody"]))
                break
    return pages


def score(extract: Callable[[bytes], str], pages: list[tuple[str, bytes, str]]) -> dict:
    """Mean precision, mean recall, F1, lost pages and seconds of one extractor over the pages."""
    per_page = {}
    started = time.perf_counter()
    for name, html, truth in pages:
        per_page[name] = page_scores(extract(html), truth)
    seconds = time.perf_counter() - started
    p = sum(s[0] for s in per_page.values()) / len(per_page)
    r = sum(s[1] for s in per_page.values()) / len(per_page)
    return {
        "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "lost": sorted(name for name, (_p, rec) in per_page.items() if rec < LOST),
        "seconds": seconds, "per_page": per_page,
    }


def main(argv: list[str] | None = None) -> int:
    """Print the extraction table; exit 0 (also when the folder is absent: nothing to measure)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--extractor", action="append", choices=sorted(EXTRACTORS), help="default: all installed")
    parser.add_argument("--per-page", action="store_true", help="also print each page's precision and recall")
    parser.add_argument("--claims", action="store_true", help="also measure claims and quotes from outside the body")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    if not (args.folder / "ground-truth.json").is_file():
        print(f"{args.folder}: no ground-truth.json, nothing to measure")
        return 0
    pages = load_pages(args.folder)
    print(f"{len(pages)} pages with known bodies in {args.folder}")
    print(f"{'extractor':<36}{'P':>7}{'R':>7}{'F1':>7}{'lost':>6}{'s':>7}")
    results = {}
    for name in args.extractor or EXTRACTORS:
        try:
            result = score(EXTRACTORS[name], pages)
        except ImportError as exc:
            print(f"{name:<36}  not installed ({exc.name})")
            continue
        results[name] = result
        print(f"{name:<36}{result['precision']:>7.3f}{result['recall']:>7.3f}{result['f1']:>7.3f}"
              f"{len(result['lost']):>6}{result['seconds']:>7.1f}")
        if args.per_page:
            for page, (p, r) in result["per_page"].items():
                print(f"    {page[:16]}  P {p:.3f}  R {r:.3f}")
    if args.claims:
        from healthclaims.nlp import load_pipeline

        nlp = load_pipeline()
        print("claims and quotes whose text is not in the true body (share; then without the headline's)")
        print(f"{'extractor':<36}{'claims':>8}{'outside':>9}{'share':>7}{'-head':>7}{'quotes':>8}{'outside':>9}{'share':>7}{'-head':>7}")
        for name, result in results.items():
            c = outside_body(EXTRACTORS[name], pages, nlp)
            result["outside_body"] = c

            def cells(kind: str, c: dict = c) -> str:
                n, out, head = c[kind], c[f"{kind}_outside"], c[f"{kind}_headline"]
                return f"{n:>8}{out:>9}{out / n if n else 0:>7.1%}{(out - head) / n if n else 0:>7.1%}"

            print(f"{name:<36}{cells('claims')}{cells('quotes')}")
    if "healthclaims" in results:
        lost = results["healthclaims"]["lost"]
        errors = {name: _healthclaims_errors(html) for name, html, _ in pages if name in lost}
        silent = [name for name, kind in errors.items() if kind is None]
        print(f"healthclaims: {len(lost)} page(s) lost their body, {len(silent)} of them without an error line")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
