"""``healthclaims db``: the records of an output folder as a SQLite database (sqlite-utils),
with keys, the spans' offsets and text, and full-text search on claims and quotes.

Rows are keyed by article: an article whose record is unchanged keeps its rows untouched; a
changed one has its rows replaced; articles no longer in the folder are left alone (the
database may gather several runs), unless ``prune`` is asked for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils
from healthclaims.records.models import Record
from healthclaims.records.reading import iter_records, record_digest
from healthclaims.records.summary import claim_counts

#: Child tables, in the order rows are deleted (children of children first).
CHILD_TABLES = ("checks", "claim_citations", "claims", "quotes", "citations", "speakers", "technique_mentions", "techniques")


@dataclass
class DbSummary:
    """What one ``healthclaims db`` did."""

    articles: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    pruned: int = 0


def _key(article_id: str, item_id: str) -> str:
    return f"{article_id}/{item_id}"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def create_schema(db: sqlite_utils.Database) -> None:
    """Create every table with its keys (idempotent), and the full-text indexes."""
    db.execute("PRAGMA foreign_keys = ON")
    if "articles" in db.table_names():
        return
    db["articles"].create(
        {
            "id": str, "source": str, "title": str, "published": str, "authors": str, "site": str, "url": str,
            "format": str, "extractor": str, "encoding": str, "sha256": str, "word_count": int, "text": str,
            "schema_version": str, "pipeline_version": str, "fingerprint": str, "model": str, "digest": str,
            "claims": int, "claims_cited": int, "claims_resolved": int, "claims_uncited": int,
            "citations": int, "quotes": int, "speakers": int, "techniques": int, "check_counts": str,
        },
        pk="id",
    )
    fk_article = [("article_id", "articles", "id")]
    db["speakers"].create(
        {"pk": str, "article_id": str, "id": str, "name": str, "kind": str, "role": str, "affiliation": str,
         "experience": str, "mentions": int},
        pk="pk", foreign_keys=fk_article,
    )
    db["citations"].create(
        {"pk": str, "article_id": str, "id": str, "start": int, "end": int, "text": str, "kind": str,
         "first_author": str, "et_al": int, "year": int, "venue": str, "study_type": str, "doi": str, "pmid": str,
         "url": str, "query": str, "rule": str, "status": str, "paper_pmid": str, "paper_doi": str,
         "paper_title": str, "paper_journal": str, "paper_year": int, "paper_publication_types": str,
         "paper_mesh": str, "paper_source": str, "score": float, "retracted": int},
        pk="pk", foreign_keys=fk_article,
    )
    db["quotes"].create(
        {"pk": str, "article_id": str, "id": str, "start": int, "end": int, "text": str, "kind": str,
         "speaker_pk": str, "cue": str},
        pk="pk", foreign_keys=[*fk_article, ("speaker_pk", "speakers", "pk")],
    )
    db["claims"].create(
        {"pk": str, "article_id": str, "id": str, "start": int, "end": int, "text": str, "type": str,
         "hedged": int, "hedge_cues": str, "negated": int, "negation_cues": str, "cited": int, "strength": str,
         "check_worthiness": float, "speaker_pk": str, "quote_pk": str, "triggers": str, "checks": int},
        pk="pk", foreign_keys=[*fk_article, ("speaker_pk", "speakers", "pk"), ("quote_pk", "quotes", "pk")],
    )
    db["claim_citations"].create(
        {"claim_pk": str, "citation_pk": str, "article_id": str},
        pk=("claim_pk", "citation_pk"),
        foreign_keys=[("claim_pk", "claims", "pk"), ("citation_pk", "citations", "pk"), *fk_article],
    )
    db["checks"].create(
        {"pk": str, "article_id": str, "claim_pk": str, "citation_pk": str, "code": str, "message": str,
         "evidence": str},
        pk="pk", foreign_keys=[*fk_article, ("claim_pk", "claims", "pk"), ("citation_pk", "citations", "pk")],
    )
    db["techniques"].create(
        {"pk": str, "article_id": str, "id": str, "canonical": str, "category": str, "mesh_id": str, "mentions": int},
        pk="pk", foreign_keys=fk_article,
    )
    db["technique_mentions"].create(
        {"technique_pk": str, "article_id": str, "start": int, "end": int, "text": str},
        pk=("technique_pk", "start"), foreign_keys=[("technique_pk", "techniques", "pk"), *fk_article],
    )
    for table in CHILD_TABLES:
        db[table].create_index(["article_id"], if_not_exists=True)
    db["claims"].create_index(["type"], if_not_exists=True)
    db["citations"].create_index(["paper_journal"], if_not_exists=True)
    db["claims"].enable_fts(["text"], create_triggers=True, tokenize="porter")
    db["quotes"].enable_fts(["text"], create_triggers=True, tokenize="porter")


def article_rows(record: Record, digest: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of one record, by table."""
    a = record.article
    aid = a.id
    counts = claim_counts(record)
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in ("articles", *CHILD_TABLES)}
    rows["articles"].append({
        "id": aid, "source": a.source, "title": a.title, "published": a.published, "authors": _json(a.authors),
        "site": a.site, "url": a.url, "format": a.format, "extractor": a.extractor, "encoding": a.encoding,
        "sha256": a.sha256, "word_count": a.word_count, "text": a.text, "schema_version": record.schema_version,
        "pipeline_version": record.pipeline_version, "fingerprint": record.fingerprint,
        "model": f"{record.model.name} {record.model.version}", "digest": digest,
        "claims": len(record.claims), "claims_cited": sum(1 for c in record.claims if c.cited),
        "claims_resolved": counts.resolved, "claims_uncited": counts.uncited,
        "citations": len(record.citations), "quotes": len(record.quotes), "speakers": len(record.speakers),
        "techniques": len(record.techniques), "check_counts": _json(counts.check_counts),
    })
    for s in record.speakers:
        rows["speakers"].append({
            "pk": _key(aid, s.id), "article_id": aid, "id": s.id, "name": s.name, "kind": s.kind, "role": s.role,
            "affiliation": s.affiliation, "experience": s.experience, "mentions": len(s.mentions),
        })
    for c in record.citations:
        r = c.resolved
        paper = r if r and r.status == "resolved" else None
        rows["citations"].append({
            "pk": _key(aid, c.id), "article_id": aid, "id": c.id, "start": c.start, "end": c.end, "text": c.text,
            "kind": c.kind, "first_author": c.first_author, "et_al": int(c.et_al), "year": c.year, "venue": c.venue,
            "study_type": c.study_type, "doi": c.doi, "pmid": c.pmid, "url": c.url, "query": c.query, "rule": c.rule,
            "status": r.status if r else None,
            "paper_pmid": paper.pmid if paper else None, "paper_doi": paper.doi if paper else None,
            "paper_title": paper.title if paper else None, "paper_journal": paper.journal if paper else None,
            "paper_year": paper.year if paper else None,
            "paper_publication_types": _json(paper.publication_types) if paper else None,
            "paper_mesh": _json(paper.mesh) if paper else None, "paper_source": paper.source if paper else None,
            "score": r.score if r else None, "retracted": int(bool(paper and paper.retracted)),
        })
    for q in record.quotes:
        rows["quotes"].append({
            "pk": _key(aid, q.id), "article_id": aid, "id": q.id, "start": q.start, "end": q.end, "text": q.text,
            "kind": q.kind, "speaker_pk": _key(aid, q.speaker_id) if q.speaker_id else None, "cue": q.cue,
        })
    for k in record.claims:
        pk = _key(aid, k.id)
        rows["claims"].append({
            "pk": pk, "article_id": aid, "id": k.id, "start": k.start, "end": k.end, "text": k.text, "type": k.type,
            "hedged": int(k.hedged), "hedge_cues": _json([s.text for s in k.hedge_cues]), "negated": int(k.negated),
            "negation_cues": _json([s.text for s in k.negation_cues]), "cited": int(k.cited), "strength": k.strength,
            "check_worthiness": k.check_worthiness, "speaker_pk": _key(aid, k.speaker_id) if k.speaker_id else None,
            "quote_pk": _key(aid, k.quote_id) if k.quote_id else None, "triggers": _json(k.triggers),
            "checks": len(k.checks),
        })
        for cid in k.citation_ids:
            rows["claim_citations"].append({"claim_pk": pk, "citation_pk": _key(aid, cid), "article_id": aid})
        for n, check in enumerate(k.checks, 1):
            rows["checks"].append({
                "pk": f"{pk}/{n}", "article_id": aid, "claim_pk": pk,
                "citation_pk": _key(aid, check.citation_id) if check.citation_id else None,
                "code": check.code, "message": check.message,
                "evidence": _json([e.model_dump() for e in check.evidence]),
            })
    for t in record.techniques:
        tpk = _key(aid, t.id)
        rows["techniques"].append({
            "pk": tpk, "article_id": aid, "id": t.id, "canonical": t.canonical, "category": t.category,
            "mesh_id": t.mesh_id, "mentions": len(t.mentions),
        })
        rows["technique_mentions"].extend(
            {"technique_pk": tpk, "article_id": aid, "start": m.start, "end": m.end, "text": m.text} for m in t.mentions
        )
    return rows


def _delete_article(db: sqlite_utils.Database, article_id: str) -> None:
    for table in CHILD_TABLES:
        db[table].delete_where("article_id = ?", [article_id])
    db["articles"].delete_where("id = ?", [article_id])


def _insert_rows(db: sqlite_utils.Database, rows: dict[str, list[dict[str, Any]]]) -> None:
    # Parents before children, so every foreign key holds as rows arrive.
    for table in ("articles", "speakers", "citations", "quotes", "claims", "claim_citations", "checks",
                  "techniques", "technique_mentions"):
        if rows[table]:
            db[table].insert_all(rows[table])


def build_database(outdir: Path | str, db_path: Path | str, *, prune: bool = False,
                   records: Iterable[Record] | None = None, progress=None) -> DbSummary:
    """Insert or update the rows of every record in ``outdir`` into the database at ``db_path``.

    Args:
        outdir: an output folder of ``healthclaims run``.
        db_path: the SQLite file (created when missing).
        prune: also delete articles that are in the database but not in ``outdir``.
        records: the records to load, when already read (default: read ``outdir``).
        progress: optional callable, called once per record.

    Raises:
        RecordsError: the folder holds no records or an invalid one.
    """
    db = sqlite_utils.Database(db_path)
    # sqlite-utils commits after every insert; in WAL mode with synchronous=NORMAL a commit does not
    # wait for the disk, which makes loading 300 articles take seconds instead of most of a minute.
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    create_schema(db)
    known = {row["id"]: row["digest"] for row in db.query("select id, digest from articles")}
    summary = DbSummary()
    seen: set[str] = set()
    with db.conn:
        for record in records if records is not None else iter_records(outdir):
            aid = record.article.id
            seen.add(aid)
            summary.articles += 1
            digest = record_digest(record)
            if known.get(aid) == digest:
                summary.unchanged += 1
            else:
                if aid in known:
                    _delete_article(db, aid)
                    summary.updated += 1
                else:
                    summary.inserted += 1
                _insert_rows(db, article_rows(record, digest))
            if progress:
                progress(record)
        if prune:
            for aid in set(known) - seen:
                _delete_article(db, aid)
                summary.pruned += 1
    return summary


def foreign_key_violations(db_path: Path | str) -> list[tuple]:
    """Rows whose foreign keys do not hold (``PRAGMA foreign_key_check``); empty when all hold."""
    db = sqlite_utils.Database(db_path)
    return list(db.execute("PRAGMA foreign_key_check").fetchall())


def iter_table(db_path: Path | str, table: str) -> Iterator[dict[str, Any]]:
    """Rows of one table (for tests and small scripts)."""
    yield from sqlite_utils.Database(db_path)[table].rows
