"""Grouping candidate citations into one cluster per cited work.

The same reference number, the same author and year, or the same journal (unless the text
introduces a new work with "a study" / "another trial") is one work; a prose mention sharing its
sentence with one author-year citation describes it; a same-day study joins the main study.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from healthclaims.components.citations.lexicon import CitationRules
from healthclaims.components.citations.work import Work, primary
from healthclaims.components.common import doc_index, doc_text
from spacy.tokens import Doc

WS = re.compile(r"\s+")
_WORD = re.compile(r"[A-Za-z][\w'’-]*|\d\w*")
Cluster = list[Work]


def sentence_of(doc: Doc, works: list[Work]) -> dict[int, int]:
    """The index of the sentence each work starts in, keyed by ``id(work)``."""
    index = doc_index(doc)
    return {id(w): index.sent_of_char(w.start) for w in works}


def cluster_works(rules: CitationRules, doc: Doc, works: list[Work]) -> list[Cluster]:
    """Group the candidates into one list per cited work (same journal, same number, same author-year)."""
    text = doc_text(doc)
    indefinite = rules.words("INDEFINITE")
    skip = rules.words("ACRONYM_SKIP")
    clusters: list[Cluster] = []
    by_key: dict[str, list[Cluster]] = {}
    sent_of = sentence_of(doc, works)
    author_year_sents: dict[int, list[Cluster]] = {}
    for w in works:
        num_key = f"num|{w.number}" if w.number else None
        keys = [f"{w.group}|{w.venue_key}"] if w.venue_key else []
        keys += [f"{w.group}|acronym|{a}" for a in acronyms(w.venue, skip)]
        # The same reference number is one work; otherwise the same journal (or its acronym:
        # "the NAMS meeting", "the North American Menopause Society meeting"), unless two formal references.
        # One DOI or PMID is one work: a reference entry and the identifier printed after it.
        id_keys = ([f"doi|{w.doi.lower()}"] if w.doi else []) + ([f"pmid|{w.pmid}"] if w.pmid else [])
        target = next((by_key[k][-1] for k in id_keys if k in by_key), None)
        if target is None:
            target = next((c for c in reversed(by_key.get(num_key or "", [])) if compatible(text, w, c, indefinite)), None)
        for key in keys if target is None else []:
            target = next(
                (
                    c
                    for c in reversed(by_key.get(key, []))
                    if compatible(text, w, c, indefinite) and not (w.strength >= 3 and any(x.strength >= 3 for x in c))
                ),
                None,
            )
            if target is not None:
                break
        if target is not None and keys:
            target = _just_introduced(text, w, target, clusters, sent_of, indefinite) or target
        if target is None and w.kind == "author_year":
            # Same author and year twice is one work.
            target = next(
                (
                    c
                    for c in clusters
                    if c[0].kind == "author_year" and c[0].first_author == w.first_author and c[0].year == w.year
                ),
                None,
            )
            if target is not None:
                target.append(w)
                continue
        if target is not None:
            target.append(w)
            for k in [num_key, *keys, *id_keys]:
                if k and all(c is not target for c in by_key.get(k, [])):
                    by_key.setdefault(k, []).append(target)
            continue
        cluster = [w]
        clusters.append(cluster)
        for k in [num_key, *keys, *id_keys]:
            if k:
                by_key.setdefault(k, []).append(cluster)
        if w.kind == "author_year":
            author_year_sents.setdefault(sent_of[id(w)], []).append(cluster)
    merged = meeting_and_journal(_prose_describing_author_year(clusters, author_year_sents, sent_of), sent_of)
    return meeting_again(text, meeting_then_journal(text, merged, indefinite), indefinite)


def _just_introduced(
    text: str, w: Work, target: Cluster, clusters: list[Cluster], sent_of: dict[int, int], indefinite: frozenset[str]
) -> Cluster | None:
    """The work a sentence has just introduced, when ``w`` names its venue right after it.

    "Last year, a large study compared ... The study, published in X, included ...": the venue
    is that new study's, even when an earlier work in X was cited ("a 2013 study in X").
    """
    if w.kind != "prose" or introduces(text, w, indefinite):
        return None
    last = max(x.start for x in primary(target))
    for cluster in reversed(clusters):
        p = cluster[0]
        if (
            len(cluster) == 1
            and p.pointer
            and introduces(text, p, indefinite)
            and last < p.start < w.start
            and 0 <= sent_of[id(w)] - sent_of[id(p)] <= 1
            and not (p.year and target[0].year and p.year == target[0].year)
        ):
            return cluster
    return None


def _prose_describing_author_year(
    clusters: list[Cluster], author_year_sents: dict[int, list[Cluster]], sent_of: dict[int, int]
) -> list[Cluster]:
    """A prose citation sharing its sentence with exactly one author-year citation describes that work."""
    out = []
    for cluster in clusters:
        head = cluster[0]
        group = author_year_sents.get(sent_of[id(head)], [])
        if head.kind == "prose" and head.group == "study" and len(group) == 1 and all(w.kind == "prose" for w in cluster):
            for w in cluster:
                w.strength = min(w.strength, 2)
            group[0].extend(cluster)
            continue
        out.append(cluster)
    return out


def meeting_and_journal(clusters: list[Cluster], sent_of: dict[int, int]) -> list[Cluster]:
    """Findings presented at a meeting and published in a journal in the same sentence are one work."""
    journal_sents: dict[int, list[Cluster]] = {}
    for cluster in clusters:
        for w in cluster:
            if w.kind == "prose" and w.group == "study" and w.venue and w.journal:
                journal_sents.setdefault(sent_of[id(w)], []).append(cluster)
    out = []
    for cluster in clusters:
        if all(w.meeting for w in cluster):
            hosts = {id(c): c for w in cluster for c in journal_sents.get(sent_of[id(w)], []) if c is not cluster}
            if len(hosts) == 1:
                for w in cluster:
                    w.strength = min(w.strength, 1)  # the journal is what a reader looks up
                next(iter(hosts.values())).extend(cluster)
                continue
        out.append(cluster)
    return out


def meeting_then_journal(text: str, clusters: list[Cluster], indefinite: frozenset[str]) -> list[Cluster]:
    """Findings presented at a meeting, then said to be (or to be going to be) published in a journal by a
    definite mention ("The guidelines will be published in X", "The findings appear in X"), with no other
    work named between the two, are one work: the journal is what a reader looks up."""
    out = list(clusters)
    for cluster in clusters:
        if cluster not in out or not all(w.meeting for w in cluster):
            continue
        start = min(w.start for w in cluster)
        later = sorted(
            (c for c in out if c is not cluster and min(w.start for w in primary(c) or c) > start), key=lambda c: min(w.start for w in primary(c) or c)
        )
        if not later:
            continue
        nxt = later[0]
        head = min(primary(nxt) or nxt, key=lambda w: w.start)
        if not (
            head.kind == "prose" and head.group == "study" and head.venue and head.journal and not head.pointer
            and not introduces(text, head, indefinite) and compatible(text, cluster[0], nxt, indefinite)
        ):
            continue
        for w in cluster:
            w.strength = min(w.strength, 1)
        nxt.extend(cluster)
        out.remove(cluster)
    return out


#: A presentation of results already reported: "will present the results at the X meeting".
_PRESENTS_AGAIN = re.compile(r"\w+\s+(?:the|their|these|those|its|his|her)\s+(?:results|findings|data|study|work|research)\s+at\b", re.IGNORECASE)


def meeting_again(text: str, clusters: list[Cluster], indefinite: frozenset[str]) -> list[Cluster]:
    """A later presentation of "the results" at a meeting is the one meeting work named before it
    ("reported at the Quill Society's Annual Conference ... will present the results at the QS meeting"),
    however the story shortens the meeting's name."""
    out = list(clusters)
    for cluster in clusters:
        if len(cluster) != 1 or not cluster[0].meeting or not _PRESENTS_AGAIN.match(text, cluster[0].start):
            continue
        w = cluster[0]
        earlier = [c for c in out if c is not cluster and any(x.meeting and x.end <= w.start for x in c)]
        if len(earlier) == 1 and compatible(text, w, earlier[0], indefinite):
            w.strength = min(w.strength, 1)
            earlier[0].append(w)
            out.remove(cluster)
    return out


def acronyms(venue: str | None, skip: frozenset[str] = frozenset()) -> set[str]:
    """Short forms a venue may go by: its own capitalised acronyms and the initials of its capitalised words."""
    if not venue:
        return set()
    words = _WORD.findall(venue)
    found = {w for w in words if w.isupper() and 3 <= len(w) <= 8}
    # Initials of each run of capitalised words ("International Neuromodulation Society 12th World Congress"
    # gives INS), connectors inside a run skipped ("Journal of Orthopaedic & Sports ..." gives JOSPT).
    runs: list[list[str]] = [[]]
    for w in [*words, "."]:
        if w[:1].isupper() and w not in ("The", "A") and not w.isupper():
            runs[-1].append(w)
        elif w.lower() not in skip or not runs[-1]:
            runs.append([])
    for run in runs:
        if len(run) >= 3:
            found.add("".join(w[0] for w in run))
    return found


def introduces(text: str, x: Work, indefinite: frozenset[str]) -> bool:
    """Whether a mention brings in a new work: an indefinite "a study in X" / "another trial in X"."""
    first = text[x.start : x.start + 12].split(maxsplit=1)
    return x.introduced or (x.kind == "prose" and bool(first) and first[0].lower() in indefinite)


def compatible(text: str, w: Work, cluster: Cluster, indefinite: frozenset[str]) -> bool:
    """Whether ``w`` may name the same work as ``cluster``: no other year or first author, not a second "a study"."""
    members = primary(cluster)
    for x in members:
        if w.number and x.number and w.number != x.number:
            return False
        if w.year and x.year and w.year != x.year:
            return False
        if not w.journal and not x.journal and w.year_offset != x.year_offset:
            return False  # "last year's meeting" is not this year's
        if w.first_author and x.first_author and w.first_author != x.first_author:
            return False
    if w.other and introduces(text, w, indefinite):
        return False  # "another study in the same journal", "a separate trial in X": set apart from what came before
    return not (introduces(text, w, indefinite) and any(introduces(text, x, indefinite) for x in members))


def older_than_news(text: str, dateline: int | None, cues: frozenset[str]) -> Callable[[Work], bool]:
    """Whether a work's stated year puts it before the story's news: earlier than the dateline's
    year, or, with no dateline, named as the source of one fact ("according to a 2008 report")."""

    def older(work: Work) -> bool:
        if work.year is None or work.recent:
            return False
        return work.year < dateline if dateline is not None else named_as_source(text, work, cues)

    return older


def named_as_source(text: str, work: Work, cues: frozenset[str]) -> bool:
    """Whether the story names a work as the source of one fact ("according to a 2008 report")."""
    before = WS.sub(" ", text[max(0, work.start - 40) : work.start]).lower().rstrip()
    return any(before.endswith(cue) for cue in cues)


def source_aside(doc: Doc, cues: frozenset[str], other: frozenset[str] = frozenset()) -> Callable[[Work, int], bool]:
    """Whether a work is named as the source of one fact ("according to a 2008 report"), or set apart from
    the story's ("She noted a second study in X", ``other`` words), and a mention at a character offset
    lies outside that work's paragraph, where the story has moved on."""
    text = doc_text(doc)
    index = doc_index(doc)

    def set_apart(work: Work) -> bool:
        # indefinite only: "another study", "a second trial" bring in a work beside the story's; "the second
        # study" may be one the story goes on to report
        words = text[work.start : work.end].lower().split()[:2]
        return bool(words) and (words[0] in other or len(words) == 2 and words[0] in ("a", "an") and words[1] in other)

    def outside(work: Work, start: int) -> bool:
        if not (named_as_source(text, work, cues) or set_apart(work)):
            return False
        return index.paragraph_at_char(start) != index.paragraph_at_char(work.start)

    return outside


def dated_earlier(cluster: Cluster) -> bool:
    """Whether the story dates a work in the past ("a 2008 report in X"): a stated year, and no
    word that makes it today's news ("new", "published Monday")."""
    members = primary(cluster)
    return (
        any(w.year for w in members)
        and not any(w.recent or w.same_day or w.main_study for w in members)
        and not any(w.kind in ("numeric", "author_year") for w in members)
    )


def main_study(studies: list[Cluster]) -> Cluster | None:
    """The article's main study: a news-wire SOURCE line, else the first recent venue, else the first work
    (a work set apart as another's, "a separate study in X", only when no other names a venue).

    A study dated like the article ("a heart study presented Sunday") is the story's news rather than
    a work the story dates in the past ("a 2008 report in X"), even when only the older one names a venue.
    """
    for cluster in studies:
        if any(w.main_study for w in cluster):
            return cluster
    # "An unrelated study, published July 5 in X" / "another trial in X" is set apart from the story's own
    own = [c for c in studies if not all(w.other for w in primary(c))]
    for cluster in own:
        if any(w.recent and w.venue for w in cluster):
            return cluster
    with_venue = [c for c in own if any(w.venue for w in c)] or [c for c in studies if any(w.venue for w in c)]
    chosen = with_venue[0] if with_venue else (studies[0] if studies else None)
    if chosen is not None and dated_earlier(chosen):
        today = [c for c in studies if len(c) == 1 and c[0].same_day]
        return today[0] if today else chosen
    return chosen


def merge_same_day(clusters: list[Cluster], studies: list[Cluster], main: Cluster | None) -> None:
    """A lone study dated like the article ("a small trial published Tuesday") is the main study.

    It joins the main study as a secondary member: its words fill fields, the main study keeps its span.
    """
    if main is None:
        return
    for cluster in list(studies):
        if cluster is not main and len(cluster) == 1 and cluster[0].same_day:
            cluster[0].secondary = True
            main.append(cluster[0])
            studies.remove(cluster)
            clusters.remove(cluster)


def attach_identifier(clusters: list[Cluster], studies: list[Cluster], main: Cluster | None) -> None:
    """A press release's lone DOI, PMID or link to the paper, after the study is described, identifies
    that study, and as its most specific mention gives the citation's span.

    Only when the article has no reference apparatus (numbered or author-year references),
    where a DOI could belong to any entry, and the main study names its journal.
    """
    ids = [c for c in studies if all(w.kind in ("doi", "pmid") or (w.kind == "url" and w.venue is None) for w in c)]
    formal_refs = any(w.kind in ("numeric", "author_year") for c in clusters for w in c)
    if len(ids) != 1 or formal_refs or main is None or main is ids[0]:
        return
    lone = ids[0]
    if any(w.doi or w.pmid for w in main) or not any(w.venue and w.journal for w in main):
        return
    if lone[0].start < min(w.start for w in primary(main)):
        return
    main.extend(lone)
    studies.remove(lone)
    clusters.remove(lone)


def nearest(
    studies: list[Cluster],
    start: int,
    main: Cluster | None,
    text: str,
    novelty: frozenset[str],
    aside: Callable[[Work, int], bool] | None = None,
) -> Cluster | None:
    """The work a later mention ("the study") refers to: the main one for "the new study", else the last before it.

    A work named by its author's possessive ("roe's review") is the one that author is first author of,
    and no work when the story cites none by that author.
    A work named only as the source of one fact while the story reports its main study ("...,
    according to a 2008 report in X") is not what the story goes on about: ``aside(work, start)``
    says when a mention at ``start`` lies beyond such a work's reach, and the main study gets it.
    """
    words = text.lower().split()
    if main is not None and any(w in novelty for w in words):
        return main
    # "Roe's review" opens with its author's name; "the study's authors" names no one
    before = text.replace("’s", "'s").split("'s")[0].split() if "'s" in text.replace("’s", "'s") else []
    possessor = [before[0].lower()] if len(before) == 1 and before[0][:1].isupper() else []
    for cluster in studies:
        # "Roe's review" is the work Roe is first author of, wherever it was named
        if possessor and any(w.first_author and w.first_author.lower() == possessor[0] for w in primary(cluster)):
            return cluster
    if possessor:
        return None  # "Harvard's study", "Roe's review" of a work the story does not cite: no mention
    best, best_work, best_pos = None, None, -1
    for cluster in studies:
        for w in cluster:
            if best_pos < w.start <= start and start - w.start < 1500:
                best, best_work, best_pos = cluster, w, w.start
    if (
        best is not None
        and best_work is not None
        and main is not None
        and best is not main
        and aside is not None
        and len(primary(best)) == 1
        and any(w.start < best_pos for w in main)
        and aside(primary(best)[0], start)
    ):
        return main
    return best or main
