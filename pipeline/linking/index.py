"""The library files as one SQLite index: an inverted index of the stemmed title, abstract,
MeSH and affiliations (each stem's papers, and its papers by title, as one list of ids each),
plus lookup tables for identifiers and author names, so a search never scans the library.

The index file is named by the digest of the library files and built once (atomically);
every later run, and every worker process, opens it read-only.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import sqlite3
import threading
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
from healthclaims.linking.journals import same_journal
from healthclaims.linking.paper import Author, CitationEvidence, Paper
from healthclaims.linking.readers import LibraryProblem, read_library
from healthclaims.linking.text import name_key, paper_stems, terms

INDEX_VERSION = "4"
_TOPIC_LIMIT = 40
#: the topical papers among which a common surname's or a named journal's papers are looked for
_WIDE_LIMIT = 400
#: the rarest topic stems a citation's search reads, and the postings it may read in all
_TOPIC_TERMS = 30
_POSTINGS_BUDGET = 60_000
#: repeats of a stem in the story that still add to its salience
_TF_CAP = 3
#: a stem in a paper's title counts this much more than one in its abstract, MeSH or affiliations
_TITLE_BONUS = 1.0  # measured: 2 and 6 lose gold papers among the generated near-copies
_NAME_LIMIT = 30
#: decoded papers kept per run (a few megabytes)
_PAPER_CACHE = 20_000


def library_digest(paths: Sequence[Path | str]) -> str:
    """Hash of the library files' bytes, in order (joins the record fingerprint)."""
    digest = hashlib.sha256(INDEX_VERSION.encode())
    for path in paths:
        digest.update(Path(path).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


_FIELDS = ("title", "abstract", "mesh", "affiliation")
#: a searchable word of a field's stems: letters and digits ("o'neil" is the words "o" and "neil")
_WORD = re.compile(r"[^\W_]+")
#: stems looked up in one query
_CHUNK = 500


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


def _pack(ids: array) -> bytes:
    """Ascending paper ids as 4-byte little-endian integers (read back without decoding)."""
    return np.frombuffer(ids, dtype=np.uintc).astype("<u4").tobytes()


def _unpack(blob: bytes) -> np.ndarray:
    """The paper ids ``_pack`` stored."""
    return np.frombuffer(blob, dtype="<u4")


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
            CREATE TABLE papers (id INTEGER PRIMARY KEY, pmid TEXT, doi TEXT, data TEXT NOT NULL,
                                 title TEXT, abstract TEXT, mesh TEXT, affiliation TEXT);
            CREATE TABLE names (name TEXT NOT NULL, paper INTEGER NOT NULL, position INTEGER NOT NULL);
            CREATE TABLE journals (journal TEXT, abbrev TEXT, paper INTEGER NOT NULL);
            CREATE TABLE terms (stem TEXT PRIMARY KEY, df INTEGER NOT NULL, tf INTEGER NOT NULL,
                                titles BLOB NOT NULL, papers BLOB NOT NULL);
            """
        )
        # Each stem's papers (any field) and its papers by title, in id order: a search reads
        # a stem's whole list in one row instead of walking a full-text index.
        everywhere: defaultdict[str, array] = defaultdict(lambda: array("I"))
        in_title: defaultdict[str, array] = defaultdict(lambda: array("I"))
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
                fields = paper_terms(paper)
                db.execute("INSERT INTO papers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (next_id, paper.pmid, paper.doi, _paper_json(paper), *(fields[k] for k in _FIELDS)))
                title_words = set(_WORD.findall(fields["title"]))
                for word in title_words.union(*(_WORD.findall(fields[k]) for k in _FIELDS[1:])):
                    everywhere[word].append(next_id)
                for word in title_words:
                    in_title[word].append(next_id)
                last = len(paper.authors) - 1
                db.executemany("INSERT INTO names VALUES (?, ?, ?)", [
                    (key, next_id, 0 if i == 0 else 2 if i == last else 1)
                    for i, a in enumerate(paper.authors) if (key := name_key(a.family))
                ])
                if paper.journal or paper.journal_abbrev:
                    db.execute("INSERT INTO journals VALUES (?, ?, ?)", (paper.journal, paper.journal_abbrev, next_id))
                next_id += 1
        empty = array("I")
        db.executemany("INSERT INTO terms VALUES (?, ?, ?, ?, ?)", (
            (word, len(ids), len(in_title.get(word, empty)), _pack(in_title.get(word, empty)), _pack(ids))
            for word, ids in everywhere.items()))
        db.executescript(
            """
            CREATE INDEX papers_pmid ON papers (pmid); CREATE INDEX papers_doi ON papers (doi);
            CREATE INDEX names_name ON names (name, paper); CREATE INDEX journals_name ON journals (journal, abbrev, paper);
            CREATE INDEX terms_counts ON terms (stem, df, tf);
            """
        )
        db.execute("INSERT INTO meta VALUES ('papers', ?)", (str(next_id - 1),))
        db.commit()
    finally:
        db.close()
    os.replace(tmp, target)
    return problems


class _Idf(dict):
    """Inverse document frequency by stem, worked out on first use; a dict, so that scoring's
    hundreds of thousands of look-ups per run are plain dictionary reads."""

    def __init__(self, index: LibraryIndex):
        super().__init__()
        self.index = index

    def __missing__(self, stem: str) -> float:
        n, size = self.index.document_frequency(stem), self.index.size
        value = self[stem] = math.log(1 + (size - n + 0.5) / (n + 0.5))
        return value


class LibraryIndex:
    """A ``PaperSource`` over an index built by ``build_index`` (thread-safe, read-only)."""

    def __init__(self, path: Path, name: str = "library"):
        self.path = Path(path)
        self.name = name
        self._local = threading.local()
        self.size = int(self._db().execute("SELECT value FROM meta WHERE key = 'papers'").fetchone()[0])
        self._counts: dict[str, tuple[int, int]] = {}
        self._idf = _Idf(self)
        #: ``idf`` as a dictionary read (what the matcher calls for every stem of every candidate)
        self.idf_of: Callable[[str], float] = self._idf.__getitem__
        self._topic_cache: dict[tuple, list[int]] = {}
        self._paper_cache: dict[int, Paper] = {}
        self._journal_names: list[tuple[str | None, str | None]] | None = None
        self._venue_cache: dict[str, list[tuple[str | None, str | None]]] = {}

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.db = db
        return db

    def _load_counts(self, stems: Iterable[str]) -> None:
        """Read the document counts of the stems not yet known, a few hundred per query."""
        missing = [s for s in dict.fromkeys(stems) if s not in self._counts]
        db = self._db()
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start:start + _CHUNK]
            for stem in chunk:
                self._counts[stem] = (0, 0)
            marks = ",".join("?" * len(chunk))
            for stem, df, tf in db.execute(f"SELECT stem, df, tf FROM terms WHERE stem IN ({marks})", chunk):
                self._counts[stem] = (df, tf)

    def document_frequency(self, stem: str) -> int:
        """How many papers of the library hold ``stem`` in any indexed field."""
        if stem not in self._counts:
            self._load_counts([stem])
        return self._counts[stem][0]

    def title_frequency(self, stem: str) -> int:
        """How many papers of the library hold ``stem`` in their title."""
        if stem not in self._counts:
            self._load_counts([stem])
        return self._counts[stem][1]

    def idf(self, stem: str) -> float:
        """Inverse document frequency of a stem in this library (BM25's form, never negative)."""
        return self._idf[stem]

    def _papers(self, ids: list[int]) -> list[Paper]:
        # Papers are decoded once per run: the stories of one study share their candidates, and
        # a paper keeps what scoring computed about it (stems, author keys, design).
        missing = [i for i in dict.fromkeys(ids) if i not in self._paper_cache]
        if missing:
            if len(self._paper_cache) + len(missing) > _PAPER_CACHE:
                self._paper_cache.clear()
            marks = ",".join("?" * len(missing))
            decoded = []
            for i, data, *stems in self._db().execute(
                    f"SELECT id, data, title, abstract, mesh, affiliation FROM papers WHERE id IN ({marks})", missing):
                paper = _paper_from_json(data)
                fields = {key: set(value.split()) for key, value in zip(_FIELDS, stems)}
                paper._hc_stems = fields  # see paper_stems
                self._paper_cache[i] = paper
                decoded.append(fields)
            # Scoring weighs every stem of every candidate: their counts in a few queries, not one each.
            self._load_counts(set().union(*(f[key] for f in decoded for key in ("title", "abstract", "mesh")))
                              .difference(self._counts))
        papers = [self._paper_cache.get(i) for i in ids]
        return [p for p in papers if p is not None]

    def _postings(self, chosen: list[tuple[str, bool]]) -> dict[str, tuple[np.ndarray, np.ndarray | None]]:
        """Each chosen stem's papers by title, and its papers (any field) when read everywhere."""
        found: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
        db = self._db()
        for everywhere in (True, False):
            stems = [s for s, e in chosen if e is everywhere]
            if stems:  # the title list comes first in a row: a title-only read stops before the long list
                marks = ",".join("?" * len(stems))
                for stem, titles, *papers in db.execute(
                        f"SELECT stem, titles{', papers' if everywhere else ''} FROM terms WHERE stem IN ({marks})", stems):
                    found[stem] = (_unpack(titles), _unpack(papers[0]) if papers else None)
        return found

    def _topic_ids(self, stems: list[str], limit: int) -> list[int]:
        """Papers holding the citation's rarest topic stems, best first (at most ``limit``).

        The story's ``_TOPIC_TERMS`` most salient stems are read (repeated and rare first), and
        no more postings than ``_POSTINGS_BUDGET`` in all, so a search costs the same however
        large the library: reading a stem everywhere costs its document frequency, while an OR
        query sorted by bm25 scores every paper holding any of thirty stems. A stem too common
        to read everywhere is read in the titles only. Each paper scores the idf of the stems
        it holds (``_TITLE_BONUS`` more in its title), summed in one array over the library's
        papers: about a millisecond for the whole budget, where grouping the rows in SQLite cost tens.
        """
        self._load_counts(stems)
        counts = Counter(s for s in stems if self.document_frequency(s))
        # One query per citation: the wide pool, of which the best ``limit`` are the topical candidates.
        key = tuple(sorted((s, min(n, _TF_CAP)) for s, n in counts.items()))
        cached = self._topic_cache.get(key)
        if cached is not None:
            return cached[:limit]
        # The story's salient stems first: repeated and rare (tf-idf). By rarity alone a large
        # library's budget goes on the story's incidental rare words ("kettle", "quietly").
        unique = sorted(counts, key=lambda s: (-min(counts[s], _TF_CAP) * self.idf(s), s))
        chosen: list[tuple[str, bool]] = []  # (stem, read in every field or only in titles)
        read = 0
        for s in unique:
            if len(chosen) >= _TOPIC_TERMS:
                break
            df, tf = self.document_frequency(s), self.title_frequency(s)
            if read + df + tf <= _POSTINGS_BUDGET:
                chosen.append((s, True))
                read += df + tf  # the stem's postings, and its title postings
            elif tf and (not chosen or read + tf <= _POSTINGS_BUDGET):
                # Too common to read everywhere in a large library, but a paper's title holds the
                # story's common salient words ("asthma", "children"), and titles are short.
                chosen.append((s, False))
                read += tf
        if not chosen:
            return []
        postings = self._postings(chosen)
        scores = np.zeros(self.size + 1)
        for s, everywhere in chosen:
            titles, papers = postings[s]
            if papers is not None:
                scores[papers] += self.idf(s)
            scores[titles] += self.idf(s) * (_TITLE_BONUS if everywhere else 1 + _TITLE_BONUS)
        pool = _best(scores, max(limit, _WIDE_LIMIT))
        if len(self._topic_cache) > 4096:  # one run's citations; a long batch must not grow it forever
            self._topic_cache.clear()
        self._topic_cache[key] = pool
        return pool[:limit]

    def _venue_journals(self, venue: str) -> list[tuple[str | None, str | None]]:
        """The library's (journal, abbreviation) pairs that the article's venue names."""
        if self._journal_names is None:  # a few hundred distinct journals, whatever the library's size
            self._journal_names = list(self._db().execute("SELECT DISTINCT journal, abbrev FROM journals"))
        found = self._venue_cache.get(venue)
        if found is None:
            found = self._venue_cache[venue] = [(j, a) for j, a in self._journal_names if same_journal(venue, j, a)]
        return found

    def knows_venue(self, venue: str) -> bool:
        """True when the article's venue names a journal the library holds papers of."""
        return bool(self._venue_journals(venue))

    def _venue_ids(self, venue: str, wide: list[int]) -> list[int]:
        """Papers of the venue's journal among the ``wide`` topical ones, best topical first."""
        pairs = self._venue_journals(venue)
        if not pairs or not wide:
            return []
        marks = ",".join("?" * len(wide))
        hits: set[int] = set()
        for journal, abbrev in pairs:
            hits |= {r[0] for r in self._db().execute(
                f"SELECT paper FROM journals WHERE journal IS ? AND abbrev IS ? AND paper IN ({marks})",
                (journal, abbrev, *wide))}
        return [i for i in wide if i in hits][:_NAME_LIMIT]

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
                wide = self._topic_ids(stems, _WIDE_LIMIT) if wide is None else wide
                marks = ",".join("?" * len(wide))
                hits = {r[0] for r in db.execute(
                    f"SELECT paper FROM names WHERE name = ? AND paper IN ({marks})", (key, *wide))} if wide else set()
                found = [i for i in wide if i in hits][:_NAME_LIMIT]
            ids += found
        if evidence.venue:
            # A named journal holds the paper: its papers on the topic are candidates, even
            # when the article's lay words rank the paper below the forty most topical.
            wide = self._topic_ids(stems, _WIDE_LIMIT) if wide is None else wide
            ids += self._venue_ids(evidence.venue, wide)
        ids += topical
        return self._papers(list(dict.fromkeys(ids)))


def _best(scores: np.ndarray, k: int) -> list[int]:
    """The ids of the ``k`` highest non-zero scores, best first, ties by lower id."""
    hit = np.flatnonzero(scores != 0)  # through a boolean array: several times faster on floats
    values = scores[hit]
    if len(hit) > k:  # only the scores that can rank among the best k are sorted
        keep = values >= np.partition(values, len(values) - k)[len(values) - k]
        hit, values = hit[keep], values[keep]
    return hit[np.lexsort((hit, -values))][:k].tolist()
