"""``healthclaims report``: a static HTML audit report built from an output folder's records.

Pages are Jinja2 templates with autoescaping (every article string is escaped); the style
sheet and script ship inside the package, so the report opens from disk with no server and
no network. Re-running rewrites only the pages of articles whose record changed.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from healthclaims import __version__
from healthclaims.batch.outputs import write_atomic
from healthclaims.io.textio import safe_id
from healthclaims.records.models import Record
from healthclaims.records.reading import RecordsError, iter_records, record_digest
from healthclaims.records.summary import claim_counts
from healthclaims.report.layout import layout

STATE_FILE = ".report-state.json"
CLAIM_TYPES = ("efficacy", "safety", "evidence", "mechanism", "prevalence", "statistic", "regulatory", "descriptive")
COLUMNS = [  # (key, heading, numeric)
    ("title", "Title", False), ("source", "Source", False), ("words", "Words", True), ("claims", "Claims", True),
    ("cited", "Cited", True), ("resolved", "Resolved", True), ("uncited", "Uncited", True), ("quotes", "Quotes", True),
    ("speakers", "Speakers", True), ("techniques", "Techniques", True), ("checks", "Check flags", True),
]


@dataclass
class ReportSummary:
    """What one ``healthclaims report`` wrote."""

    articles: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    index: Path | None = None


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("healthclaims.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _template_digest() -> str:
    # A change to the templates or static files (a new healthclaims version) redoes every page.
    import hashlib

    digest = hashlib.sha256(__version__.encode())
    base = resources.files("healthclaims.report")
    for folder in ("templates", "static"):
        for item in sorted(base.joinpath(folder).iterdir(), key=lambda p: p.name):
            digest.update(item.name.encode())
            digest.update(item.read_bytes())
    return digest.hexdigest()[:16]


def page_name(article_id: str) -> str:
    """File name of an article's page (ids are already safe file names)."""
    return f"{safe_id(article_id)}.html"


def article_row(record: Record) -> dict[str, Any]:
    """The index row of one article."""
    a = record.article
    counts = claim_counts(record)
    unresolved = [c for c in record.citations if not (c.resolved and c.resolved.status == "resolved")]
    title = a.title or a.id
    search = " ".join([title, a.source, *(s.name for s in record.speakers), *(t.canonical for t in record.techniques)])
    return {
        "title": title, "source": a.source, "page": page_name(a.id), "words": a.word_count,
        "claims": len(record.claims), "cited": sum(1 for c in record.claims if c.cited),
        "resolved": counts.resolved, "uncited": counts.uncited,
        "hedged": sum(1 for c in record.claims if c.hedged), "unresolved": len(unresolved),
        "quotes": len(record.quotes), "speakers": len(record.speakers), "techniques": len(record.techniques),
        "checks": sum(counts.check_counts.values()), "check_codes": list(counts.check_counts.items()), "search": search.lower(),
        "types": Counter(c.type for c in record.claims),
    }


def _type_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    totals = Counter()
    for row in rows:
        totals.update(row["types"])
    peak = max(totals.values(), default=0) or 1
    bars = [{"label": t, "value": totals.get(t, 0), "y": i * 24, "w": round(300 * totals.get(t, 0) / peak, 1)}
            for i, t in enumerate(CLAIM_TYPES)]
    return {"bars": bars, "width": 460, "height": len(CLAIM_TYPES) * 24, "label_width": 100}


def _cite_chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    height, width = 120, 600
    col = max(width / max(len(rows), 1), 1.0)
    peak = max((r["claims"] for r in rows), default=0) or 1
    columns = []
    for i, r in enumerate(rows):
        h_cited = height * r["cited"] / peak
        h_uncited = height * r["uncited"] / peak
        columns.append({
            "title": r["title"], "cited": r["cited"], "uncited": r["uncited"], "x": round(i * col, 2),
            "y_cited": round(height - h_cited, 2), "h_cited": round(h_cited, 2),
            "y_uncited": round(height - h_cited - h_uncited, 2), "h_uncited": round(h_uncited, 2),
        })
    return {"columns": columns, "width": round(col * max(len(rows), 1), 2), "height": height,
            "col_width": round(max(col - 0.5, 0.5), 2), "count": len(rows)}


def _totals(rows: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    keys = [("Articles", None), ("Words", "words"), ("Claims", "claims"), ("Cited claims", "cited"),
            ("With resolved paper", "resolved"), ("Uncited claims", "uncited"), ("Quotes", "quotes"),
            ("Speakers", "speakers"), ("Techniques", "techniques"), ("Check flags", "checks")]
    return [(label, len(rows) if key is None else f"{sum(r[key] for r in rows):,}") for label, key in keys]


def render_article(env: jinja2.Environment, record: Record, generated: str) -> str:
    """The HTML page of one article."""
    quotes_by_speaker: dict[str, list] = {}
    for q in record.quotes:
        if q.speaker_id:
            quotes_by_speaker.setdefault(q.speaker_id, []).append(q)
    return env.get_template("article.html").render(
        root="../", version=__version__, generated=generated, title=record.article.title or record.article.id,
        a=record.article, summary=record.summary, pieces=layout(record), claims=record.claims,
        citations={c.id: c for c in record.citations}, citation_list=record.citations, speakers=record.speakers,
        quotes_by_speaker=quotes_by_speaker, unattributed=[q for q in record.quotes if not q.speaker_id],
        techniques=record.techniques,
    )


def build_report(outdir: Path | str, report_dir: Path | str | None = None, *, force: bool = False,
                 progress=None) -> ReportSummary:
    """Write the report of ``outdir``'s records into ``report_dir`` (default ``OUTDIR/report``).

    Raises:
        RecordsError: the folder holds no records or an invalid one.
    """
    outdir = Path(outdir)
    records = iter_records(outdir)
    first = next(records, None)  # a folder without records fails here, before anything is written
    if first is None:
        raise RecordsError(f"{outdir}: records.jsonl holds no records")
    report_dir = Path(report_dir) if report_dir else outdir / "report"
    pages = report_dir / "articles"
    pages.mkdir(parents=True, exist_ok=True)
    env = _environment()
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    state_path = report_dir / STATE_FILE
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    templates = _template_digest()
    old_pages: dict[str, str] = state.get("pages", {}) if state.get("templates") == templates and not force else {}
    new_pages: dict[str, str] = {}
    summary = ReportSummary()
    rows = []
    for record in itertools.chain([first], records):
        summary.articles += 1
        name = page_name(record.article.id)
        digest = record_digest(record)
        rows.append(article_row(record))
        if old_pages.get(name) == digest and (pages / name).is_file():
            summary.unchanged += 1
        else:
            write_atomic(pages / name, render_article(env, record, generated))
            summary.written += 1
        new_pages[name] = digest
        if progress:
            progress(record)
    for stale in set(state.get("pages", {})) - set(new_pages):  # articles no longer in the folder
        (pages / stale).unlink(missing_ok=True)
        summary.removed += 1
    _copy_static(report_dir / "static")
    index = env.get_template("index.html").render(
        root="", version=__version__, generated=generated, rows=rows, columns=COLUMNS, totals=_totals(rows),
        type_chart=_type_chart(rows), cite_chart=_cite_chart(rows),
    )
    write_atomic(report_dir / "index.html", index)
    write_atomic(state_path, json.dumps({"templates": templates, "pages": new_pages}, indent=1))
    summary.index = report_dir / "index.html"
    return summary


def _copy_static(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for item in resources.files("healthclaims.report").joinpath("static").iterdir():
        data = item.read_bytes()
        dest = target / item.name
        if not dest.is_file() or dest.read_bytes() != data:
            write_atomic(dest, data)


__all__ = ["ReportSummary", "article_row", "build_report", "page_name", "render_article"]
