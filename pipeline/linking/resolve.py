"""Resolving the citations of records: library index first, then online sources for what it
leaves open (each distinct look-up made once, concurrently), then scoring and deciding, then
the claim checks and the article summary.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import astuple, dataclass, field
from pathlib import Path

from healthclaims.linking.config import config_digest, load_config
from healthclaims.linking.evidence import citation_evidence
from healthclaims.linking.index import LibraryIndex, build_index, library_digest
from healthclaims.linking.journals import in_lexicon
from healthclaims.linking.match import Scored, decide, rank
from healthclaims.linking.paper import CitationEvidence, Paper
from healthclaims.linking.readers import LibraryError, LibraryProblem
from healthclaims.linking.sources import PaperSource, SourceError
from healthclaims.records import models as R

_ONLINE_THREADS = 4


def default_cache_dir() -> Path:
    """Where library indexes and online responses are kept unless ``--cache`` says otherwise."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "healthclaims"


@dataclass
class ResolveCounts:
    """What resolution did, for the command's summary."""

    records: int = 0
    skipped: int = 0
    citations: int = 0
    resolved: int = 0
    ambiguous: int = 0
    unresolved: int = 0
    source_errors: int = 0
    checks: int = 0
    seconds: float = 0.0
    #: CPU seconds of the steps: library candidate retrieval, scoring and deciding, claim
    #: checks and summary (the rest of ``seconds`` is evidence gathering and online look-ups)
    search_cpu: float = 0.0
    score_cpu: float = 0.0
    checks_cpu: float = 0.0

    def add(self, other: ResolveCounts) -> None:
        for key in self.__dataclass_fields__:
            setattr(self, key, getattr(self, key) + getattr(other, key))


@dataclass
class _Job:
    record: R.Record
    citation: R.Citation
    evidence: CitationEvidence
    candidates: list[Paper] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ranked: list[Scored] = field(default_factory=list)


def _evidence_key(ev: CitationEvidence) -> str:
    values = astuple(ev)[1:]  # the citation id does not change what a source answers
    return hashlib.sha256(json.dumps(values, default=str).encode()).hexdigest()


class Resolver:
    """Library files and online sources, ready to resolve records.

    Args:
        libraries: library files (CSL-JSON, BibTeX, RIS, MEDLINE, PubMed XML), first wins.
        online: online sources (objects with ``name`` and ``search``), asked when the
            library leaves a citation unresolved.
        cache_dir: folder for the library index (default: the user cache folder).

    Raises:
        LibraryError: when a library file cannot be read at all.
    """

    def __init__(self, libraries: Sequence[Path | str] = (), online: Sequence[PaperSource] = (),
                 cache_dir: Path | None = None):
        self.libraries = [Path(p) for p in libraries]
        self.online = list(online)
        self.problems: list[LibraryProblem] = []
        self.index: LibraryIndex | None = None
        for path in self.libraries:
            if not path.is_file():
                raise LibraryError(f"{path}: no such library file")
        if self.libraries:
            self.library_digest = library_digest(self.libraries)
            folder = Path(cache_dir) if cache_dir else default_cache_dir()
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"library-{self.library_digest}.sqlite"
            problems_file = target.with_suffix(".problems.json")
            if not target.exists():
                self.problems = build_index(self.libraries, target)
                problems_file.write_text(json.dumps([p.__dict__ for p in self.problems]), encoding="utf-8")
            elif problems_file.exists():
                self.problems = [LibraryProblem(**p) for p in json.loads(problems_file.read_text(encoding="utf-8"))]
            self.index = LibraryIndex(target, name=", ".join(str(p) for p in self.libraries))
        else:
            self.library_digest = ""

    def digest(self) -> str:
        """Identity of everything that shapes a resolution: libraries, sources, weights."""
        parts = [self.library_digest, config_digest(), *sorted(s.name for s in self.online)]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]

    def info(self) -> R.LinkingInfo:
        """The record's note of what resolved it."""
        return R.LinkingInfo(
            libraries=[str(p) for p in self.libraries], online=[s.name for s in self.online],
            library_papers=self.index.size if self.index else 0, fingerprint=self.digest(),
        )

    @property
    def _idf(self):
        return self.index.idf_of if self.index else (lambda stem: 1.0)

    def _search_online(self, jobs: list[_Job]) -> int:
        """Ask every online source once per distinct evidence, concurrently; returns errors."""
        if not jobs or not self.online:
            return 0
        distinct: dict[str, CitationEvidence] = {}
        for job in jobs:
            distinct.setdefault(_evidence_key(job.evidence), job.evidence)
        tasks = [(source, key, ev) for source in self.online for key, ev in distinct.items()]

        def ask(task):
            source, key, ev = task
            try:
                return key, source.search(ev), None
            except SourceError as exc:
                return key, [], str(exc)
            except Exception as exc:  # noqa: BLE001 - a broken client must not stop the run
                return key, [], f"{source.name}: {type(exc).__name__}: {exc}"

        with ThreadPoolExecutor(max_workers=_ONLINE_THREADS) as pool:
            answers = list(pool.map(ask, tasks))
        found: dict[str, list[Paper]] = {}
        failed: dict[str, list[str]] = {}
        for key, papers, error in answers:
            found.setdefault(key, []).extend(papers)
            if error:
                failed.setdefault(key, []).append(error)
        errors = 0
        for job in jobs:
            key = _evidence_key(job.evidence)
            job.candidates += found.get(key, [])
            job.errors += failed.get(key, [])
            errors += bool(failed.get(key))
        return errors

    def _known_venue(self, venue: str | None) -> str | None:
        """The venue if it names a journal: one the venue lexicon or the library knows.

        An article's "published by Cell Press" or "figures released by MRSA" is no journal:
        taken as one, it would count against every candidate, the right paper too. Without a
        library (online sources only) there is no journal list to check against.
        """
        if not venue:
            return None
        words = venue.lower().split()
        if words and words[-1] in load_config().publisher_words:
            return None
        if self.index is None or in_lexicon(venue) or self.index.knows_venue(venue):
            return venue
        return None

    def resolve(self, records: Sequence[R.Record]) -> ResolveCounts:
        """Fill ``resolved`` on every citation, the claims' checks and the summary, in place."""
        from healthclaims.linking.checks import run_checks
        from healthclaims.records.summary import build_summary

        started = time.perf_counter()
        counts = ResolveCounts(records=len(records))
        jobs = [_Job(r, c, citation_evidence(r, c, self._known_venue)) for r in records for c in r.citations]
        open_jobs = []
        for job in jobs:
            if self.index is not None:
                tick = time.process_time()
                job.candidates = self.index.search(job.evidence)
                tock = time.process_time()
                job.ranked = rank(job.evidence, job.candidates, self._idf)
                counts.search_cpu += tock - tick
                counts.score_cpu += time.process_time() - tock
            if decide(job.ranked) != "resolved":
                open_jobs.append(job)
        if self.online:  # online candidates join the library's: rank again
            counts.source_errors = self._search_online(open_jobs)
            tick = time.process_time()
            for job in open_jobs:
                job.ranked = rank(job.evidence, job.candidates, self._idf)
            counts.score_cpu += time.process_time() - tick
        for job in jobs:
            job.citation.resolved = resolution(job.ranked, job.errors)
            setattr(counts, job.citation.resolved.status, getattr(counts, job.citation.resolved.status) + 1)
        counts.citations = len(jobs)
        info = self.info()
        tick = time.process_time()
        for record in records:
            record.linking = info.model_copy(update={"input": resolution_input(record)})
            counts.checks += run_checks(record)
            record.summary = build_summary(record)
        counts.checks_cpu = time.process_time() - tick
        counts.seconds = time.perf_counter() - started
        return counts


def _candidate(s: Scored) -> R.PaperCandidate:
    p = s.paper
    return R.PaperCandidate(pmid=p.pmid, doi=p.doi, title=p.title, journal=p.journal or p.journal_abbrev,
                            year=p.year, score=s.score)


def resolution(ranked: list[Scored], errors: Sequence[str] = ()) -> R.Resolution:
    """The record's ``resolved`` for a ranked list of candidates."""
    status = decide(ranked)
    candidates = [_candidate(s) for s in ranked[:3]]
    message = "; ".join(errors) or None
    if status != "resolved":
        if ranked and status == "ambiguous":
            lead = ranked[0].score - (ranked[1].score if len(ranked) > 1 else 0.0)
            why = f"best score {ranked[0].score:.2f}, {lead:.2f} ahead of the next"
        else:
            why = "no candidate paper" if not ranked else f"best score {ranked[0].score:.2f} is too low"
        return R.Resolution(status=status, score=ranked[0].score if ranked else 0.0, candidates=candidates,
                            message="; ".join(x for x in (why, message) if x))
    best = ranked[0]
    p = best.paper
    return R.Resolution(
        status="resolved", pmid=p.pmid, doi=p.doi, title=p.title, journal=p.journal or p.journal_abbrev,
        year=p.year, authors=[f"{a.family} {''.join(x[0] for x in (a.given or '').replace('-', ' ').split())}".strip()
                              for a in p.authors],
        publication_types=list(p.publication_types), mesh=list(p.mesh), abstract=p.abstract,
        retracted=p.retracted, corrected=p.corrected, source=p.source, score=best.score,
        evidence=[R.MatchEvidence(field=e.field, article_value=e.article_value, paper_value=e.paper_value,
                                  match=e.match, weight=round(e.weight, 3)) for e in best.evidence],
        candidates=candidates, message=message,
    )


def resolution_input(record: R.Record) -> str:
    """Hash of what resolution reads from a record (citations, claims, speakers, date), not its own output."""
    payload = {
        "citations": [c.model_dump(exclude={"resolved"}) for c in record.citations],
        "claims": [c.model_dump(exclude={"checks"}) for c in record.claims],
        "speakers": [s.model_dump() for s in record.speakers],
        "title": record.article.title, "published": record.article.published,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:16]


def is_current(record: R.Record, resolver: Resolver) -> bool:
    """True when the record was resolved by these sources from these citations."""
    info = record.linking
    return info is not None and info.fingerprint == resolver.digest() and info.input == resolution_input(record)

