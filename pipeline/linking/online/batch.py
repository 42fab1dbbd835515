"""Asking one source about many citations: identical questions once, the rest concurrently.

The source's own rate limiter keeps the threads within the service's limit; a failing
question leaves its citations unresolved with the reason, and never stops the others.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from healthclaims.linking.paper import CitationEvidence, Paper
from healthclaims.linking.sources import PaperSource, SourceError


@dataclass
class BatchResult:
    """What one source answered for a batch of citations.

    ``papers`` holds the candidates of every citation the source answered (an empty list
    is an answer: nothing found); ``errors`` the citations it could not answer, and why.
    """

    source: str
    papers: dict[str, list[Paper]] = field(default_factory=dict)
    errors: dict[str, SourceError] = field(default_factory=dict)
    queries: int = 0  # distinct questions asked

    def summary_line(self) -> str | None:
        """One line for the run summary when citations were left unresolved, else None.

        "pubmed: 3 of 12 citations left unresolved: unreachable: cannot reach ... (3 times)".
        """
        if not self.errors:
            return None
        total = len(self.papers) + len(self.errors)
        reasons = Counter(e.message for e in self.errors.values())
        reason, count = reasons.most_common(1)[0]
        more = f"; {len(reasons) - 1} other reason{'s' if len(reasons) > 2 else ''}" if len(reasons) > 1 else ""
        return (f"{self.source}: {len(self.errors)} of {total} citation{'s' if total != 1 else ''} "
                f"left unresolved: {reason}" + (f" ({count} times)" if count > 1 else "") + more)


def _hashable(value):
    return tuple(_hashable(v) for v in value) if isinstance(value, list | tuple) else value


def _default_key(evidence: CitationEvidence) -> tuple:
    return _hashable(dataclasses.astuple(dataclasses.replace(evidence, citation_id="")))


def query_key(source: PaperSource, evidence: CitationEvidence) -> tuple:
    """The key under which two citations ask ``source`` the same question."""
    key = getattr(source, "query_key", None)
    return key(evidence) if callable(key) else _default_key(evidence)


def search_many(source: PaperSource, evidences: list[CitationEvidence], max_workers: int = 4) -> BatchResult:
    """``source.search`` for every evidence, each distinct question asked once, up to ``max_workers`` at once.

    Never raises for a failing question: its citations go into ``errors``. An unexpected
    exception inside a source is reported the same way, as a bug of that source.
    """
    result = BatchResult(source=source.name)
    groups: dict[tuple, list[CitationEvidence]] = {}
    for evidence in evidences:
        groups.setdefault(query_key(source, evidence), []).append(evidence)
    result.queries = len(groups)

    def ask(evidence: CitationEvidence) -> list[Paper] | SourceError:
        try:
            return source.search(evidence)
        except SourceError as exc:
            return exc
        except Exception as exc:  # noqa: BLE001 - one bad answer must not lose the other citations
            return SourceError(source.name, f"unexpected {type(exc).__name__}: {exc}")

    firsts = [members[0] for members in groups.values()]
    with ThreadPoolExecutor(max_workers=max(1, max_workers), thread_name_prefix=f"hc-{source.name}") as pool:
        answers = list(pool.map(ask, firsts))
    for members, answer in zip(groups.values(), answers, strict=True):
        for evidence in members:
            if isinstance(answer, SourceError):
                result.errors[evidence.citation_id] = answer
            else:
                result.papers[evidence.citation_id] = list(answer)
    return result
