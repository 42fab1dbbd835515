"""Placing study pointers, the venue-less study noun phrases ("a study of 20,055 newborns",
"a 2009 trial of 300 patients", "the study, led by the University of Edinburgh").

An indefinite pointer introduces a work. It is the same work as a citation the text ties it to:
the main study described only definitely ("The findings were published in The Lancet"), or a
venue named by "researchers who published in X" with no study noun of its own. A pointer that
sets itself apart ("another study", "a separate trial") is always its own work. A definite
pointer ("the study, led by ...") is a citation only when the story names no other work.
"""

from __future__ import annotations

from collections.abc import Callable

from healthclaims.components.citations.merging import dated_earlier
from healthclaims.components.citations.names import planned
from healthclaims.components.citations.work import Work, primary
from spacy.tokens import Doc

Cluster = list[Work]

#: How far apart (in characters) two mentions of one work may be for a pointer to join it.
TIE_DISTANCE = 5000


def _is_pointer(cluster: Cluster) -> bool:
    return len(cluster) == 1 and cluster[0].pointer


def _definite_venue(cluster: Cluster) -> bool:
    """A work with a prose mention of its venue that introduces no study ("The findings were published in X")."""
    return any(w.kind == "prose" and w.venue and not w.introduced and not w.pointer for w in primary(cluster))


def _compatible(p: Work, cluster: Cluster) -> bool:
    return all(not (p.year and w.year and p.year != w.year) for w in primary(cluster))


def _news(cluster: Cluster) -> bool:
    """A work the story dates as its news ("presented Sunday", "a new study")."""
    return any(w.recent or w.same_day or w.main_study for w in primary(cluster))


def _dated_apart(p: Work, cluster: Cluster, news: bool = True) -> bool:
    """"In a study in 2001, ..." in an undated story whose news is dated only against it ("published this
    month", or, with ``news`` False, the story's own study however it is dated): the stated year sets the
    pointer apart from a work whose own year the story never gives."""
    undated_host = not any(w.year for w in primary(cluster)) and (_news(cluster) or not news)
    return p.year is not None and not p.recent and undated_host


def _authored_after(p: Work, others: list[Cluster]) -> bool:
    """"A recent review by Jane Roe", after the story has named another work without her: a work of its own."""
    if p.first_author is None:
        return False
    earlier = [c for c in others if any(w.start < p.start for w in primary(c))]
    return bool(earlier) and all(all(w.first_author != p.first_author for w in primary(c)) for c in earlier)


def _absorb(target: Cluster, pointer_cluster: Cluster, clusters: list[Cluster], studies: list[Cluster]) -> None:
    for w in pointer_cluster:
        # a quoted title is the work's most specific mention: it stays primary and gives the span
        w.secondary = not w.title
        target.append(w)
    clusters.remove(pointer_cluster)
    studies.remove(pointer_cluster)


def place_pointers(
    clusters: list[Cluster], studies: list[Cluster], main: Cluster | None, older: Callable[[Work], bool] = lambda w: False,
    undated: bool = False,
) -> Cluster | None:
    """Merge or keep each pointer as the docstring says; returns the (possibly new) main study.

    ``older(pointer)`` says when a pointer's stated year puts it before the story's news ("according
    to a 2008 report" in a 2018 story): such a pointer is never tied to the work the story dates as news.
    In an ``undated`` story (no dateline), neither is a pointer with a year beside news the story never dates.
    """
    pointers = [c for c in studies if _is_pointer(c)]
    if not pointers:
        return main
    others = [c for c in studies if not _is_pointer(c)]
    definite = [c for c in pointers if c[0].definite]
    introduced = [c for c in pointers if not c[0].definite]
    formal = [c for c in others if any(w.kind in ("numeric", "author_year") for w in c)]
    tied: set[int] = set()
    for pc in introduced:
        p = pc[0]
        if p.other or _authored_after(p, others):
            continue
        if formal and p.year is None:
            # With references in the text, a study described in prose is one of them: the nearest.
            host = min(formal, key=lambda c: min(abs(w.start - p.start) for w in primary(c)))
            _absorb(host, pc, clusters, studies)
            continue
        if (
            main is not None
            and main in others
            and (p.recent or any(w.main_study for w in main))
            and (p.year is None or p.year in {w.year for w in primary(main)})
            and not (p.recent and dated_earlier(main))
        ):
            # "a new study of ..." is the article's own study; so is every study of a wire story with a SOURCE line;
            # but not a work the story dates in the past ("a 2012 report in X").
            _absorb(main, pc, clusters, studies)
            continue
        hosts = [
            c
            for c in others
            if id(c) not in tied
            and _definite_venue(c)
            and _compatible(p, c)
            and not (_news(c) and older(p))
            and not (undated and _dated_apart(p, c))
            and min(abs(w.start - p.start) for w in primary(c)) < TIE_DISTANCE
        ]
        if hosts:
            host = min(hosts, key=lambda c: min(abs(w.start - p.start) for w in primary(c)))
            tied.add(id(host))
            _absorb(host, pc, clusters, studies)
    remaining = [c for c in introduced if c in clusters]
    if not others:
        # The story names no venue, author or year: its first pointer is the study it reports,
        # and further pointers are that study unless they set themselves apart.
        lead = remaining[0] if remaining else (definite[0] if definite else None)
        if lead is None:
            return main
        lead[0].secondary = False
        for pc in [*remaining[1:], *(d for d in definite if d is not lead)]:
            if not pc[0].other and _compatible(pc[0], lead) and not (undated and _dated_apart(pc[0], lead, news=False)):
                _absorb(lead, pc, clusters, studies)
        return lead if main is None or main not in clusters else main
    # Other works exist: a definite pointer is a mention of the nearest work before it.
    for pc in definite:
        p = pc[0]
        before = [c for c in studies if c is not pc and any(w.start < p.start for w in primary(c))]
        target = max(before, key=lambda c: max(w.start for w in primary(c) if w.start < p.start), default=main)
        if target is None or target is pc:
            continue
        _absorb(target, pc, clusters, studies)
    return main if main in clusters else (studies[0] if studies else None)


def lone_mention(
    clusters: list[Cluster], studies: list[Cluster], mentions: list[tuple[int, int]], doc: Doc, nouns: frozenset[str],
    roles: frozenset[str], plans: frozenset[str] = frozenset(),
) -> Cluster | None:
    """A story that names no work but speaks of "the study" ("Dr X, who led the study, said") reports one study.

    Its first definite mention of a study noun ("the study", "the research", "study leader")
    becomes that study's citation, so its claims and its authors' words can be tied to it.
    A study that is only a place ("patients in the study of probiotics") is not pointed to,
    unless it is a person's ("the lead author of the study"). With any other work named,
    mentions stay mentions of that work (see ``nearest``). A study still to come ("about to start a
    new study", ``plans`` the verbs that say so) is none. A story whose only works are set apart from
    its own ("his own study") still reports one.
    """
    # A person's "own study" beside the story's does not name the story's study.
    if any(not all(w.own for w in primary(c)) for c in studies):
        return None
    for start, end in mentions:
        if any(w.start <= start < w.end for c in studies for w in c):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        noun = next((t for t in reversed(span) if t.lower_ in nouns), None) if span is not None else None
        if noun is None or noun.text[:1].isupper() and not noun.is_sent_start:
            continue  # ... or a word of a name ("the Quill Research and Prevention Foundation")
        if planned(noun, plans):
            return None  # the story's study is under way or still to come: its later "the trial" is that one
        if noun.dep_ == "pobj" and noun.head.head.lower_ not in roles:
            continue
        cluster = [Work(start, end, "prose", "lone_study_mention", 1, pointer=True, definite=True)]
        clusters.append(cluster)
        studies.append(cluster)
        return cluster
    return None
