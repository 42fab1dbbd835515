"""Laying an article's extracted spans over its text for the report: a tree of nested pieces.

Claims are the top level and never split (one highlighted element per claim); citations,
quotes, techniques and cues nest inside, and a span that crosses another's edge is cut in
two pieces that share its id, so the HTML always nests properly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from healthclaims.records.models import Record

#: Inner kinds, outermost first: a quote holds citations, a citation holds a technique name.
INNER_ORDER = ("boilerplate", "quote", "citation", "technique", "speaker", "cue")


@dataclass
class Mark:
    """One highlighted item: its kind, id (anchor of its table row), and why it was extracted."""

    kind: str  # claim | quote | citation | technique | speaker | cue | boilerplate
    start: int
    end: int
    item_id: str
    label: str
    why: str


@dataclass
class Piece:
    """Text (``mark`` is None) or a highlighted element holding further pieces."""

    start: int
    end: int
    text: str = ""
    mark: Mark | None = None
    children: list[Piece] = field(default_factory=list)


def _join(items: list[str]) -> str:
    return ", ".join(i for i in items if i)


def marks_of(record: Record) -> list[Mark]:
    """Every span of the record as a ``Mark`` with its reason."""
    speakers = {s.id: s for s in record.speakers}
    citations = {c.id: c for c in record.citations}
    marks: list[Mark] = []
    for k in record.claims:
        cited = _join([citations[c].text for c in k.citation_ids if c in citations])
        why = [f"claim ({k.type})", f"rules: {_join(k.triggers)}" if k.triggers else ""]
        if k.hedged:
            why.append("hedged: " + _join([c.text for c in k.hedge_cues]))
        if k.negated:
            why.append("negated: " + _join([c.text for c in k.negation_cues]))
        if k.strength != "none":
            why.append(f"strength: {k.strength}")
        why.append(f"cites: {cited}" if cited else "cites nothing")
        if k.checks:
            why.append("checks: " + _join([c.code for c in k.checks]))
        marks.append(Mark("claim", k.start, k.end, k.id, k.type, "; ".join(w for w in why if w)))
    for c in record.citations:
        fields = _join([c.first_author or "", str(c.year or ""), c.venue or "", c.study_type or ""])
        status = f"; {c.resolved.status}" if c.resolved else ""
        marks.append(Mark("citation", c.start, c.end, c.id, c.kind, f"citation ({c.kind}, rule {c.rule}): {fields}{status}"))
        for m in c.mentions:
            marks.append(Mark("citation", m.start, m.end, c.id, "mention", f"mention of {c.id}: {c.text}"))
    for q in record.quotes:
        who = speakers[q.speaker_id].name if q.speaker_id in speakers else "unattributed"
        marks.append(Mark("quote", q.start, q.end, q.id, q.kind, f"{q.kind} quote, cue '{q.cue or '-'}', speaker: {who}"))
        if q.cue_span:
            marks.append(Mark("cue", q.cue_span.start, q.cue_span.end, q.id, "cue", f"reporting verb of {q.id}"))
    for s in record.speakers:
        for m in s.mentions:
            marks.append(Mark("speaker", m.start, m.end, s.id, s.kind, f"speaker: {s.name}" + (f", {s.role}" if s.role else "")))
    for b in record.article.boilerplate:
        marks.append(Mark("boilerplate", b.start, b.end, "boilerplate", "boilerplate", "page furniture: not extracted"))
    for t in record.techniques:
        for m in t.mentions:
            marks.append(Mark("technique", m.start, m.end, t.id, t.category, f"technique: {t.canonical} ({t.category})"))
    return marks


def _nest(text: str, start: int, end: int, marks: list[Mark]) -> list[Piece]:
    """Pieces of ``text[start:end]`` with ``marks`` (already clipped to it) nested; crossing marks are cut."""
    rank = {k: i for i, k in enumerate(INNER_ORDER)}
    todo = sorted(marks, key=lambda m: (m.start, -m.end, rank.get(m.kind, 99)))
    pieces: list[Piece] = []
    at = start
    while todo:
        mark = todo.pop(0)
        if mark.start < at:  # overlaps the previous sibling: keep only what lies past it
            if mark.end <= at:
                continue
            mark = Mark(mark.kind, at, mark.end, mark.item_id, mark.label, mark.why)
        if mark.start > at:
            pieces.append(Piece(at, mark.start, text[at : mark.start]))
        inner: list[Mark] = []
        rest: list[Mark] = []
        for other in todo:
            if other.start >= mark.end:
                rest.append(other)
            elif other.end <= mark.end:
                inner.append(other)
            else:  # crosses the end: the inside part nests, the rest waits for the next sibling
                inner.append(Mark(other.kind, other.start, mark.end, other.item_id, other.label, other.why))
                rest.append(Mark(other.kind, mark.end, other.end, other.item_id, other.label, other.why))
        todo = sorted(rest, key=lambda m: (m.start, -m.end, rank.get(m.kind, 99)))
        pieces.append(Piece(mark.start, mark.end, mark=mark, children=_nest(text, mark.start, mark.end, inner)))
        at = mark.end
    if at < end:
        pieces.append(Piece(at, end, text[at:end]))
    return [p for p in pieces if p.end > p.start]


def layout(record: Record) -> list[Piece]:
    """The article text as pieces: claim elements at the top level, every other span nested inside."""
    text = record.article.text
    marks = [m for m in marks_of(record) if 0 <= m.start < m.end <= len(text)]
    claims = sorted((m for m in marks if m.kind == "claim"), key=lambda m: (m.start, -m.end))
    others = [m for m in marks if m.kind != "claim"]
    regions: list[tuple[int, int, Mark | None]] = []
    at = 0
    for claim in claims:
        if claim.start < at:  # claims do not overlap; if two ever do, the later one starts where the first ends
            if claim.end <= at:
                continue
            claim = Mark(claim.kind, at, claim.end, claim.item_id, claim.label, claim.why)
        if claim.start > at:
            regions.append((at, claim.start, None))
        regions.append((claim.start, claim.end, claim))
        at = claim.end
    if at < len(text):
        regions.append((at, len(text), None))
    pieces: list[Piece] = []
    for start, end, claim in regions:
        inside = [
            Mark(m.kind, max(m.start, start), min(m.end, end), m.item_id, m.label, m.why)
            for m in others if m.start < end and m.end > start
        ]
        children = _nest(text, start, end, inside)
        pieces.extend([Piece(start, end, mark=claim, children=children)] if claim else children)
    return pieces
