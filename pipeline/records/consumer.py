"""Turning processed Docs into a ``Record``: the one step between spaCy results and output.

Explicit field lists (medspaCy's DocConsumer habit); ids are assigned here, in text order,
so the same input always gives the same record. A long article arrives as several chunk
Docs with their offsets into the whole text; their results are shifted and merged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from healthclaims.io.textio import Article
from healthclaims.records import models as R
from healthclaims.records.summary import build_summary
from healthclaims.types import CitationHit, Mention, results

if TYPE_CHECKING:
    from spacy.tokens import Doc


def _span(m: Mention, shift: int) -> R.Span:
    return R.Span(start=m.start + shift, end=m.end + shift, text=m.text)


def _with_year(query: str | None, year: int) -> str | None:
    """``query`` with the publication year added after its author, as the citations component's ``pubmed_query`` places it
    (not imported from there: that would load spaCy's components where only records are built)."""
    if query is None or "[doi]" in query or "[pmid]" in query or "[dp]" in query:
        return query
    parts = query.split(" AND ")
    at = 1 if parts[0].endswith("[au]") else 0
    return " AND ".join([*parts[:at], f"{year}[dp]", *parts[at:]])


def _dated_by_article(hit: CitationHit, article: Article) -> tuple[int | None, str | None]:
    """A citation's year and query: a work the text dates only against the article ("published Monday",
    "last year") takes its year from the page's publication date, when the page gives one."""
    year = int(article.published[:4]) if article.published and article.published[:4].isdigit() else None
    if hit.year is not None or hit.article_year_offset is None or year is None:
        return hit.year, hit.query
    year += hit.article_year_offset
    return year, _with_year(hit.query, year)


def word_count(text: str) -> int:
    """Number of white-space separated words."""
    return len(text.split())


def build_record(
    chunks: Sequence[tuple[int, Doc]],
    article: Article,
    article_id: str,
    *,
    pipeline_version: str,
    model: dict[str, str],
    fingerprint: str | None = None,
) -> R.Record:
    """Build the record of one article from its chunk Docs (``(offset, doc)`` pairs)."""
    boilerplate: list[R.Span] = []
    citations: list[R.Citation] = []
    speakers: list[R.Speaker] = []
    speaker_by_name: dict[tuple[str, str], int] = {}
    quotes: list[R.Quote] = []
    techniques: dict[str, R.Technique] = {}
    claims: list[R.Claim] = []

    for shift, doc in chunks:
        boilerplate.extend(_span(m, shift) for m in results(doc, "hc_boilerplate"))

        cit_ids = []
        for c in results(doc, "hc_citations"):
            cid = f"cit-{len(citations) + 1}"
            cit_ids.append(cid)
            year, query = _dated_by_article(c, article)
            citations.append(
                R.Citation(
                    id=cid, start=c.start + shift, end=c.end + shift, text=c.text, kind=c.kind,
                    first_author=c.first_author, et_al=c.et_al, year=year, venue=c.venue,
                    study_type=c.study_type, doi=c.doi, pmid=c.pmid, url=c.url, query=query, rule=c.rule,
                    mentions=[_span(m, shift) for m in c.mentions],
                )
            )

        spk_ids = []
        for s in results(doc, "hc_speakers"):
            key = (s.kind, s.name.casefold())
            if key in speaker_by_name:  # the same person quoted again in a later chunk
                existing = speakers[speaker_by_name[key]]
                existing.mentions.extend(_span(m, shift) for m in s.mentions)
                existing.role = existing.role or s.role
                existing.affiliation = existing.affiliation or s.affiliation
                existing.experience = existing.experience or s.experience
            else:
                speaker_by_name[key] = len(speakers)
                speakers.append(
                    R.Speaker(
                        id=f"spk-{len(speakers) + 1}", name=s.name, kind=s.kind, role=s.role,
                        affiliation=s.affiliation, experience=s.experience,
                        mentions=[_span(m, shift) for m in s.mentions],
                    )
                )
            spk_ids.append(speakers[speaker_by_name[key]].id)

        quote_ids = []
        for q in results(doc, "hc_quotes"):
            qid = f"quote-{len(quotes) + 1}"
            quote_ids.append(qid)
            cue_span = None
            if q.cue_start is not None and q.cue_end is not None:
                cue_span = R.Span(start=q.cue_start + shift, end=q.cue_end + shift, text=doc.text[q.cue_start : q.cue_end])
            quotes.append(
                R.Quote(
                    id=qid, start=q.start + shift, end=q.end + shift, text=q.text, kind=q.kind,
                    speaker_id=spk_ids[q.speaker] if q.speaker is not None else None,
                    cue=q.cue, cue_span=cue_span,
                    speaker_mention=_span(q.speaker_mention, shift) if q.speaker_mention else None,
                )
            )

        for t in results(doc, "hc_techniques"):
            entry = techniques.get(t.canonical)
            if entry is None:
                entry = techniques[t.canonical] = R.Technique(
                    id="", canonical=t.canonical, category=t.category, mesh_id=t.mesh_id, mentions=[]
                )
            entry.mentions.extend(_span(m, shift) for m in t.mentions)

        for k in results(doc, "hc_claims"):
            claims.append(
                R.Claim(
                    id=f"claim-{len(claims) + 1}", start=k.start + shift, end=k.end + shift, text=k.text, type=k.type,
                    hedged=k.hedged, hedge_cues=[_span(m, shift) for m in k.hedge_cues],
                    negated=k.negated, negation_cues=[_span(m, shift) for m in k.negation_cues],
                    cited=bool(k.citations), citation_ids=[cit_ids[i] for i in k.citations],
                    speaker_id=spk_ids[k.speaker] if k.speaker is not None else None,
                    quote_id=quote_ids[k.quote] if k.quote is not None else None,
                    check_worthiness=round(min(max(k.check_worthiness, 0.0), 1.0), 3), triggers=list(k.triggers),
                    strength=k.strength, strength_cues=[_span(m, shift) for m in k.strength_cues],
                )
            )

    ordered = sorted(techniques.values(), key=lambda t: (min(m.start for m in t.mentions) if t.mentions else 0, t.canonical))
    for n, tech in enumerate(ordered, 1):
        tech.id = f"tech-{n}"
        tech.mentions.sort(key=lambda m: (m.start, m.end))

    record = R.Record(
        pipeline_version=pipeline_version,
        fingerprint=fingerprint,
        model=R.ModelInfo.model_validate(model),
        article=R.Article(
            id=article_id, source=article.source, sha256=article.sha256, encoding=article.encoding,
            # Article (io) keeps plain strings; pydantic checks them against the record's literals.
            format=cast(R.ArticleFormat, article.format), title=article.title, text=article.text, word_count=word_count(article.text),
            boilerplate=boilerplate, extractor=cast("R.Extractor | None", article.extractor), published=article.published,
            authors=list(article.authors), site=article.site, url=article.url,
        ),
        claims=claims, citations=citations, quotes=quotes, speakers=speakers, techniques=ordered,
    )
    # Every record has its summary; resolving citations later recounts it with the papers.
    record.summary = build_summary(record)
    return record
