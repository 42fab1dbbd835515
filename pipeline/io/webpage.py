"""Saved web pages to article text: main-content extraction with trafilatura, page metadata.

trafilatura finds the article body (menus, trending boxes, related links and comments
left out) and the page's title, date, byline, site and canonical URL. Its tree is rendered
here as paragraphs separated by a blank line (headings, list items and block quotes are
paragraphs too) so that the sentence and quote components see the page's paragraphs. When
trafilatura finds nothing, the simple converter in ``htmltext`` is the fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from healthclaims.io.htmltext import flush_paragraph, html_to_text

#: Chosen on 60 saved news pages with known bodies (benchmarks/html_extraction.py):
#: leaving comments out gains 0.015 F1 over trafilatura's default; favor_precision another
#: 0.004 at a small cost in recall; tables change nothing there but carry study figures,
#: so they stay in.
TRAFILATURA_OPTIONS: dict[str, Any] = {"include_comments": False, "include_tables": True, "favor_precision": True}

_BLOCKS = {"p", "head", "quote", "item", "list", "table", "row", "code", "div", "body"}
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BYLINE = re.compile(r"^(by|written by|words by|story by|reporting by|posted by)\s", re.IGNORECASE)
_DATELINE = re.compile(
    r"^((published|updated|posted|last updated)\s*:?\s*)?((mon|tue|wed|thu|fri|sat|sun)\w*,?\s+)?"
    r"((jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\w*\.?\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}(st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\w*\.?,?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})"
    r"([\s,|at]+\d{1,2}[:.]\d{2}\s*([ap]\.?m\.?)?(\s*[A-Z]{2,4})?)?\s*$",
    re.IGNORECASE,
)


@dataclass
class PageText:
    """The text of a page and what the page says about itself."""

    text: str
    title: str | None
    extractor: str  # trafilatura | htmltext
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    site: str | None = None
    url: str | None = None


def trafilatura_version() -> str:
    """The installed trafilatura version (part of the records' fingerprint)."""
    from importlib.metadata import version

    return version("trafilatura")


def extract_page(html: str) -> PageText:
    """The main text and metadata of an HTML document.

    The byline and date stay out of the text (they are in ``authors`` and ``published``):
    a byline is not a speaker, and a date line is not a sentence.
    """
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, **TRAFILATURA_OPTIONS)
    fallback_text, fallback_title = None, None
    paragraphs = render(doc.body) if doc is not None and doc.body is not None else []
    meta = _metadata(doc)
    paragraphs = _drop_byline_and_date(paragraphs, meta["authors"])
    extractor = "trafilatura"
    if not paragraphs:
        fallback_text, fallback_title = html_to_text(html)
        paragraphs = [p for p in fallback_text.split("\n\n") if p.strip()]
        extractor = "htmltext"
    title = meta["title"] or fallback_title
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    text = "\n\n".join(([title] if title else []) + paragraphs)
    return PageText(text=text, title=title, extractor=extractor, published=meta["published"], authors=meta["authors"],
                    site=meta["site"], url=meta["url"])


def render(body) -> list[str]:
    """Paragraphs of a trafilatura body tree: one per paragraph, heading, list item, quote paragraph, table row."""
    paragraphs: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        flush_paragraph(buffer, paragraphs, _SPACES)

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag in _BLOCKS
        if block:
            flush()
        if tag == "lb":
            buffer.append("\n")
        elif tag == "cell" and len(buffer):
            buffer.append("\t")
        if el.text and tag != "lb":
            buffer.append(el.text)
        for child in el:
            walk(child)
        if block:
            flush()
        if el.tail:
            buffer.append(el.tail)

    walk(body)
    flush()
    return paragraphs


def _clean(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None


def _metadata(doc) -> dict[str, Any]:
    if doc is None:
        return {"title": None, "published": None, "authors": [], "site": None, "url": None}
    authors = [a.strip() for a in re.split(r";|\band\b", doc.author or "") if a.strip()]
    site = _clean(doc.sitename) or _clean(doc.hostname)
    return {
        "title": _without_site(_clean(doc.title), site),
        "published": _clean(doc.date),
        "authors": authors,
        "site": site,
        "url": _clean(doc.url),
    }


def _without_site(title: str | None, site: str | None) -> str | None:
    """'Headline - Site' and 'Headline | Site' become 'Headline': the site is in ``site``."""
    if not title or not site:
        return title
    for sep in (" - ", " | ", " – ", " — ", " :: "):
        if title.casefold().endswith((sep + site).casefold()) and len(title) > len(sep + site):
            return title[: -len(sep + site)].strip()
    return title


def _drop_byline_and_date(paragraphs: list[str], authors: list[str]) -> list[str]:
    """Leave out byline and date lines near the top and bottom of the body."""
    names = {a.casefold() for a in authors}

    def furniture(par: str) -> bool:
        if len(par.split()) > 14 or "\n" in par and len(par) > 160:
            return False
        plain = par.strip().rstrip(".").casefold()
        if _DATELINE.match(par.strip()):
            return True
        if plain in names:
            return True
        if _BYLINE.match(par.strip()) and not par.rstrip().endswith(("?", "!")):
            return len(par.split()) <= 12
        return False

    keep = list(paragraphs)
    edge = 3  # bylines and dates sit at the start or the end of the body
    head = [i for i in range(min(edge, len(keep))) if furniture(keep[i])]
    tail = [i for i in range(max(edge, len(keep) - 2), len(keep)) if furniture(keep[i])]
    drop = set(head) | set(tail)
    return [p for i, p in enumerate(keep) if i not in drop]
