"""The library files as one SQLite index: FTS5 over stemmed title, abstract and MeSH, plus
lookup tables for identifiers and author names, so a search never scans the library.

The index file is named by the digest of the library files and built once (atomically);
every later run, and every worker process, opens it read-only.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

from healthclaims.linking.paper import Author, CitationEvidence, Paper
from healthclaims.linking.readers import LibraryProblem, read_library
from healthclaims.linking.text import name_key, paper_stems, terms

INDEX_VERSION = "1"
#: FTS5 column weights for bm25(): the title says what a paper is about more than its abstract
_BM25_WEIGHTS = "8.0, 1.0, 3.0, 2.0"
_TOPIC_LIMIT = 40
_NAME_LIMIT = 30


def library_digest(paths: Sequence[Path | str]) -> str:
    """Hash of the library files' bytes, in order (joins the record fingerprint)."""
    digest = hashlib.sha256(INDEX_VERSION.encode())
    for path in paths:
        digest.update(Path(path).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


_FIELDS = ("title", "abstract", "mesh", "affiliation")


def paper_terms(paper: Paper) -> dict[str, str]:
    """The stemmed text of each indexed field of a paper (space-separated stems)."""
    return {key: " ".join(sorted(stems)) for key, stems in paper_stems(paper).items()}


def _paper_json(paper: Paper) -> str:
    data = {k: v for k, v in vars(paper).items() if not k.startswith("_")}
    data["authors"] = [vars(a) for a in paper.authors]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _paper_from_json(text: str) -> Paper:
    data = json.loads(text)
    data["authors"] = [Author(**a) for a in data["authors"]]
    return Paper(**data)


def build_index(paths: Sequence[Path | str], target: Path) -> list[LibraryProblem]:
    """Read the library files and write their index to ``target`` (through a temporary file).

    Returns the entries skipped as malformed. Raises ``LibraryError`` for an unreadable file.
    """
    problems: list[LibraryProblem] = []
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    try:
        db.executescript(
            """
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE papers (id INTEGER PRIMARY KEY, pmid TEXT, doi TEXT, data TEXT NOT NULL);
            CREATE TABLE names (name TEXT NOT NULL, paper INTEGER NOT NULL, position INTEGER NOT NULL);
            CREATE VIRTUAL TABLE fts USING fts5(title, abstract, mesh, affiliation, tokenize = 'unicode61');
            CREATE VIRTUAL TABLE vocab USING fts5vocab(fts, row);
            """
        )
        seen_pmids: set[str] = set()
        seen_dois: set[str] = set()
        next_id = 1
        for path in paths:
            papers, skipped = read_library(path)
            problems.extend(skipped)
            for paper in papers:
                # The first file that has a paper wins: a reviewer lists their own library first.
                if (paper.pmid and paper.pmid in seen_pmids) or (paper.doi and paper.doi in seen_dois):
                    continue
                seen_pmids.add(paper.pmid or "")
                seen_dois.add(paper.doi or "")
                db.execute("INSERT INTO papers VALUES (?, ?, ?, ?)", (next_id, paper.pmid, paper.doi, _paper_json(paper)))
                fields = paper_terms(paper)
                db.execute("INSERT INTO fts (rowid, title, abstract, mesh, affiliation) VALUES (?, ?, ?, ?, ?)",
                           (next_id, fields["title"], fields["abstract"], fields["mesh"], fields["affiliation"]))
                last = len(paper.authors) - 1
                db.executemany("INSERT INTO names VALUES (?, ?, ?)", [
                    (key, next_id, 0 if i == 0 else 2 if i == last else 1)
                    for i, a in enumerate(paper.authors) if (key := name_key(a.family))
                ])
                next_id += 1
        db.executescript(
            """
            CREATE INDEX papers_pmid ON papers (pmid); CREATE INDEX papers_doi ON papers (doi);
            CREATE INDEX names_name ON names (name);
            INSERT INTO fts (fts) VALUES ('optimize');
            """
        )
        db.execute("INSERT INTO meta VALUES ('papers', ?)", (str(next_id - 1),))
        db.commit()
    finally:
        db.close()
    os.replace(tmp, target)
    return problems


class LibraryIndex:
    """A ``PaperSource`` over an index built by ``build_index`` (thread-safe, read-only)."""

    def __init__(self, path: Path, name: str = "library"):
        self.path = Path(path)
        self.name = name
        self._local = threading.local()
        self.size = int(self._db().execute("SELECT value FROM meta WHERE key = 'papers'").fetchone()[0])
        self._df: dict[str, int] = {}
        self._idf: dict[str, float] = {}

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.db = db
        return db

    def document_frequency(self, stem: str) -> int:
        """How many papers of the library hold ``stem`` in any indexed field."""
        if stem not in self._df:
            row = self._db().execute("SELECT doc FROM vocab WHERE term = ?", (stem,)).fetchone()
            self._df[stem] = row[0] if row else 0
        return self._df[stem]

    def idf(self, stem: str) -> float:
        """Inverse document frequency of a stem in this library (BM25's form, never negative)."""
        value = self._idf.get(stem)
        if value is None:
            n = self.document_frequency(stem)
            value = self._idf[stem] = math.log(1 + (self.size - n + 0.5) / (n + 0.5))
        return value

    def _papers(self, ids: list[int]) -> list[Paper]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = {row[0]: row[1:] for row in self._db().execute(
            f"SELECT p.id, p.data, f.title, f.abstract, f.mesh, f.affiliation FROM papers p "
            f"JOIN fts f ON f.rowid = p.id WHERE p.id IN ({marks})", ids)}
        papers = []
        for i in ids:
            if i in rows:
                data, *stems = rows[i]
                paper = _paper_from_json(data)
                paper._hc_stems = {key: set(value.split()) for key, value in zip(_FIELDS, stems)}  # see paper_stems
                papers.append(paper)
        return papers

    def _topic_ids(self, stems: list[str], limit: int) -> list[int]:
        # Rare words first: an OR query of the thirty most specific stems keeps FTS5 fast and
        # lets bm25 rank by the words that tell papers apart.
        unique = sorted(set(stems), key=lambda s: (self.document_frequency(s) or self.size, s))
        chosen = [s for s in unique if self.document_frequency(s)][:30]
        if not chosen:
            return []
        query = " OR ".join(f'"{s}"' for s in chosen)
        rows = self._db().execute(
            f"SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, {_BM25_WEIGHTS}) LIMIT ?", (query, limit)
        ).fetchall()
        return [r[0] for r in rows]

    def search(self, evidence: CitationEvidence) -> list[Paper]:
        """Candidates for one citation: by identifier, by every named person, and by topic."""
        db = self._db()
        ids: list[int] = []
        if evidence.pmid:
            ids += [r[0] for r in db.execute("SELECT id FROM papers WHERE pmid = ?", (evidence.pmid,))]
        if evidence.doi:
            ids += [r[0] for r in db.execute("SELECT id FROM papers WHERE doi = ?", (evidence.doi.lower(),))]
        if ids:  # an identifier that is in the library settles the search
            return self._papers(list(dict.fromkeys(ids)))
        stems = list(evidence.topic_words) + [s for a in evidence.affiliations for s in terms(a)]
        topical = self._topic_ids(stems, _TOPIC_LIMIT)
        wide: list[int] | None = None
        named = [evidence.first_author, *evidence.named_authors]
        for person in dict.fromkeys([*named, *evidence.other_people]):
            key = name_key(person.split()[-1]) if person and person.split() else ""
            if len(key) < 2:
                continue
            found = [r[0] for r in db.execute("SELECT paper FROM names WHERE name = ? LIMIT ?", (key, _NAME_LIMIT + 1))]
            if len(found) > _NAME_LIMIT or person not in named:
                # A common surname, or a quoted person the article does not call an author: only
                # their papers that are also on the topic are worth scoring.
                wide = self._topic_ids(stems, 400) if wide is None else wide
                marks = ",".join("?" * len(wide))
                hits = {r[0] for r in db.execute(
                    f"SELECT paper FROM names WHERE name = ? AND paper IN ({marks})", (key, *wide))} if wide else set()
                found = [i for i in wide if i in hits][:_NAME_LIMIT]
            ids += found
        ids += topical
        return self._papers(list(dict.fromkeys(ids)))
