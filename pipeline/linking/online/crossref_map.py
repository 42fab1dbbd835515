"""Crossref works JSON (``message.items[]`` or one ``message``) to ``Paper``.

Retractions and corrections come two ways: the paper's own ``updated-by`` list (publishers'
and Retraction Watch's notices), or a notice in the same answer whose ``update-to`` names
the paper's DOI. A notice itself is marked with PubMed's words for one ("Retraction of
Publication", "Published Erratum") so matchers treat both sources alike.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from healthclaims.linking.paper import Author, Paper

RETRACTION_UPDATES = frozenset({"retraction", "withdrawal", "removal"})
CORRECTION_UPDATES = frozenset({"correction", "corrigendum", "erratum", "addendum", "clarification",
                                "partial-retraction"})
NOTICE_TYPES = {"retraction": "Retraction of Publication", "withdrawal": "Retraction of Publication",
                "removal": "Retraction of Publication"}
CORRECTION_NOTICE = "Published Erratum"
#: Date fields in order of preference: the first publication the reader could see.
DATE_FIELDS = ("published", "published-print", "published-online", "issued")

_MARKUP = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")


class _JatsText(HTMLParser):
    """Plain text of a JATS abstract: ``<jats:title>`` becomes a "Label:" before its section."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections: list[list[str]] = []
        self.label: str | None = None
        self._in_title = False
        self._buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        name = tag.split(":")[-1]
        if name == "title":
            self._flush()
            self._in_title = True
        elif name in ("p", "sec"):
            self._flush()

    def handle_endtag(self, tag):
        name = tag.split(":")[-1]
        if name == "title":
            self.label = " ".join("".join(self._buffer).split()).rstrip(":") or None
            self._buffer = []
            self._in_title = False
        elif name in ("p", "sec"):
            self._flush()

    def handle_data(self, data):
        self._buffer.append(data)

    def _flush(self):
        text = " ".join("".join(self._buffer).split())
        self._buffer = []
        if text and not self._in_title:
            self.sections.append([self.label, text] if self.label else [text])
            self.label = None

    def text(self) -> str | None:
        self._flush()
        lines = [f"{s[0]}: {s[1]}" if len(s) == 2 else s[0] for s in self.sections]
        return "\n".join(lines) or None


def jats_text(abstract: str | None) -> str | None:
    """A Crossref JATS abstract as plain text, labelled sections on their own lines."""
    if not abstract:
        return None
    parser = _JatsText()
    parser.feed(abstract)
    parser.close()
    return parser.text()


def _first(values) -> str | None:
    if isinstance(values, list):
        values = next((v for v in values if v), None)
    if not values:
        return None
    text = " ".join(html.unescape(_MARKUP.sub("", str(values))).split())
    return text or None


def _year(item: dict) -> int | None:
    for name in DATE_FIELDS:
        parts = (item.get(name) or {}).get("date-parts") or []
        if parts and parts[0] and isinstance(parts[0][0], int):
            return parts[0][0]
    return None


def _author(entry: dict) -> Author | None:
    affiliation = "; ".join(a["name"] for a in entry.get("affiliation", []) if a.get("name")) or None
    if entry.get("family"):
        return Author(family=entry["family"], given=entry.get("given") or None, affiliation=affiliation)
    if entry.get("name"):  # an organisation as author
        return Author(family=entry["name"], affiliation=affiliation)
    return None


def _update_type(update: dict) -> str:
    return str(update.get("type", "")).lower().replace("_", "-")


def item_to_paper(item: dict) -> Paper:
    """One Crossref work as a ``Paper`` (retraction/correction from its own ``updated-by``)."""
    updates = {_update_type(u) for u in item.get("updated-by", [])}
    types = [item["type"]] if item.get("type") else []
    for update in item.get("update-to", []):
        kind = _update_type(update)
        notice = NOTICE_TYPES.get(kind) or (CORRECTION_NOTICE if kind in CORRECTION_UPDATES else None)
        if notice and notice not in types:
            types.append(notice)
    return Paper(
        source="crossref",
        doi=(item.get("DOI") or "").lower() or None,
        title=_first(item.get("title")),
        journal=_first(item.get("container-title")),
        journal_abbrev=_first(item.get("short-container-title")),
        year=_year(item),
        authors=[a for a in (_author(x) for x in item.get("author", [])) if a is not None],
        publication_types=types,
        abstract=jats_text(item.get("abstract")),
        retracted=bool(updates & RETRACTION_UPDATES),
        corrected=bool(updates & CORRECTION_UPDATES),
    )


def items_to_papers(items: list[dict]) -> list[Paper]:
    """Works of one answer as papers, marking those that a notice in the same answer updates."""
    papers = [item_to_paper(i) for i in items]
    by_doi = {p.doi: p for p in papers if p.doi}
    for item in items:
        for update in item.get("update-to", []):
            target = by_doi.get(str(update.get("DOI", "")).lower())
            kind = _update_type(update)
            if target is not None and target.doi != (item.get("DOI") or "").lower():
                target.retracted = target.retracted or kind in RETRACTION_UPDATES
                target.corrected = target.corrected or kind in CORRECTION_UPDATES
    return papers
