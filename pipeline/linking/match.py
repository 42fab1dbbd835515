"""Scoring candidate papers against a citation's evidence, field by field, and deciding.

Each field adds evidence points (negative when the article and the paper disagree); the
score is ``1 - exp(-points / scale)``, so strong independent agreements add up while no
single weak one decides. A citation is resolved only when the best score reaches the
threshold and leads the runner-up by the margin: a wrong paper misleads more than none.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from healthclaims.linking.config import load_config
from healthclaims.linking.designs import agrees, article_design, paper_design
from healthclaims.linking.journals import same_journal
from healthclaims.linking.paper import CitationEvidence, Paper
from healthclaims.linking.text import fold, name_key, paper_stems, terms

Idf = Callable[[str], float]


@dataclass
class FieldMatch:
    """How one field compared (becomes a record's ``MatchEvidence``)."""

    field: str
    article_value: str | None
    paper_value: str | None
    match: str  # exact | partial | mismatch
    weight: float


@dataclass
class Scored:
    """A candidate paper with its score and the fields that made it."""

    paper: Paper
    score: float
    points: float
    evidence: list[FieldMatch] = field(default_factory=list)


def _initial_ok(person: str, given: str | None) -> bool:
    parts = person.split()
    if len(parts) < 2 or not given:
        return True  # nothing to contradict
    first = fold(parts[0])
    if first[:1] == fold(given)[:1]:
        return True
    # Someone known by a middle name ("J Ross" on the paper, "Ross" in the story) has that
    # name written out after the initial; an initial alone is no such evidence.
    return any(len(name) > 1 and fold(name) == first for name in re.split(r"[\s.-]+", given)[1:])


def _author_keys(paper: Paper) -> dict[str, list[int]]:
    keys = getattr(paper, "_hc_author_keys", None)
    if keys is None:  # kept on the paper: it is compared with every person of every citation
        keys = {}
        for i, author in enumerate(paper.authors):
            # A family name with particles ("de Vocht", "van der Walt") is also found by its last
            # word, the surname a story's "Frank de Vocht" or "Dr Vocht" gives.
            words = (author.family or "").split()
            for key in dict.fromkeys((name_key(author.family), name_key(words[-1]) if words else "")):
                if key:
                    keys.setdefault(key, []).append(i)
        paper._hc_author_keys = keys
    return keys


def _author_index(paper: Paper, person: str) -> int | None:
    parts = person.split()
    key = name_key(parts[-1]) if parts else ""
    for i in _author_keys(paper).get(key, []) if key else []:
        if _initial_ok(person, paper.authors[i].given):
            return i
    return None


def _authors(ev: CitationEvidence, paper: Paper) -> list[FieldMatch]:
    w = load_config().weights
    out: list[FieldMatch] = []
    if ev.first_author and paper.authors:
        i = _author_index(paper, ev.first_author)
        first = paper.authors[0].family
        if i == 0:
            out.append(FieldMatch("first_author", ev.first_author, first, "exact", w.first_author))
        elif i is not None:
            out.append(FieldMatch("first_author", ev.first_author, paper.authors[i].family, "partial", w.first_author_in_list))
        else:
            out.append(FieldMatch("first_author", ev.first_author, first, "mismatch", -w.first_author_in_list))
    counted = {name_key(ev.first_author or "")}
    for kind, people, weight in (("author", ev.named_authors, w.named_author), ("person", ev.other_people, w.other_person)):
        matched = 0
        for person in people:
            key = name_key(person.split()[-1]) if person.split() else ""
            if key in counted or not paper.authors:
                continue
            i = _author_index(paper, person)
            if i is None:
                continue
            counted.add(key)
            matched += 1
            if matched > 2:  # a third matching name adds nothing a reviewer needs
                break
            bonus = w.named_author_first_or_last if kind == "author" and i in (0, len(paper.authors) - 1) else 0.0
            a = paper.authors[i]
            out.append(FieldMatch(kind, person, f"{a.family} {a.given or ''}".strip(), "exact", weight + bonus))
    # The people the article calls the study's authors ("who led the study") are on its paper:
    # a candidate with none of them is most likely another team's (a first author already
    # counted against it is not counted twice).
    if (ev.named_authors and paper.authors and w.named_author_mismatch
            and not any(e.field == "author" or e.field == "first_author" for e in out)):
        out.append(FieldMatch("author", ", ".join(ev.named_authors), None, "mismatch", w.named_author_mismatch))
    return out


def _affiliation(ev: CitationEvidence, paper: Paper) -> list[FieldMatch]:
    theirs = [a.affiliation for a in paper.authors if a.affiliation]
    if not ev.affiliations or not theirs:
        return []
    their_stems = paper_stems(paper)["affiliation"]
    best, best_name = 0.0, None
    for name in ev.affiliations:
        stems = set(terms(name))
        if stems:
            share = len(stems & their_stems) / len(stems)
            if share > best:
                best, best_name = share, name
    if best < 0.5 or best_name is None:
        return []
    weight = load_config().weights.affiliation * best
    return [FieldMatch("affiliation", best_name, theirs[0][:200], "exact" if best == 1 else "partial", weight)]


def _venue(ev: CitationEvidence, paper: Paper) -> list[FieldMatch]:
    if not ev.venue:
        return []
    same = same_journal(ev.venue, paper.journal, paper.journal_abbrev)
    if same is None:
        return []
    w = load_config().weights
    value = paper.journal or paper.journal_abbrev
    if same:
        return [FieldMatch("venue", ev.venue, value, "exact", w.venue)]
    return [FieldMatch("venue", ev.venue, value, "mismatch", w.venue_mismatch)]


def _year(ev: CitationEvidence, paper: Paper) -> list[FieldMatch]:
    if ev.year is None or paper.year is None:
        return []
    w = load_config().weights
    gap = ev.year - paper.year
    name = "year (article date)" if ev.year_from_article_date else "year"
    if ev.year_from_article_date:  # "published today": the paper's year is the article's or the one before
        ok = gap in (0, 1)
        return [FieldMatch(name, str(ev.year), str(paper.year), "exact" if ok else "mismatch",
                           w.year_article_date if ok else w.year_article_date_off)]
    if gap == 0:
        return [FieldMatch(name, str(ev.year), str(paper.year), "exact", w.year)]
    if abs(gap) == 1:  # online-first and print years differ by one
        return [FieldMatch(name, str(ev.year), str(paper.year), "partial", w.year / 3)]
    return [FieldMatch(name, str(ev.year), str(paper.year), "mismatch", w.year_mismatch)]


def _study_type(ev: CitationEvidence, paper: Paper) -> list[FieldMatch]:
    family = article_design(ev.study_type)
    if family is None:
        return []
    design = paper_design(paper)
    if not design.families:
        return []
    w = load_config().weights
    if agrees(family, design.families):
        return [FieldMatch("study_type", ev.study_type, design.value, "exact", w.study_type)]
    return [FieldMatch("study_type", ev.study_type, design.value, "mismatch", w.study_type_mismatch)]


@dataclass
class TopicQuery:
    """The article's topic words prepared once per citation: the set, and the 25 most specific."""

    words: set[str]
    top: list[str]
    top_weight: float

    @classmethod
    def of(cls, ev_terms: list[str], idf: Idf) -> TopicQuery:
        words = set(ev_terms)
        top = sorted(words, key=lambda s: (-idf(s), s))[:25]
        return cls(words, top, sum(idf(s) for s in top) or 1.0)


#: how many of the paper's rarest abstract-only stems the article is asked to use
_SPECIFIC_ABSTRACT = 20


def _specific_abstract(paper: Paper, abstract: set[str], title: set[str], idf: Idf) -> set[str]:
    """The paper's ``_SPECIFIC_ABSTRACT`` rarest abstract stems not in its title.

    Kept on the paper for the run's ``idf`` (``_hc_specific``): sorting a long abstract's stems
    for each of the citations a candidate is scored against cost more than the rest of scoring.
    """
    cached = getattr(paper, "_hc_specific", None)
    if cached is None or cached[0] is not idf:
        cached = (idf, set(sorted(abstract - title, key=lambda s: (-idf(s), s))[:_SPECIFIC_ABSTRACT]))
        paper._hc_specific = cached
    return cached[1]


def topic_similarity(query: TopicQuery, paper: Paper, idf: Idf) -> tuple[float, list[str]]:
    """How much of the paper's title, MeSH and most specific abstract words the article's words cover (0-1), and the shared words.

    Measured on the paper's side: a story about a paper uses most of the specific words of its
    title, while the story's own words are many and mostly not the paper's.
    """
    ours = query.words
    stems = paper_stems(paper)
    title, mesh, abstract = stems["title"], stems["mesh"], stems["abstract"]
    if not title:
        return 0.0, []

    def cover(stems: set[str]) -> float:
        total = sum(map(idf, stems))
        return sum(map(idf, stems & ours)) / total if total else 0.0

    parts = [(cover(title), 0.4)]
    if mesh:
        parts.append((cover(mesh), 0.2))
    if abstract:
        # The abstract is long: what counts is how many of the article's specific words it holds.
        held = sum(idf(s) for s in query.top if s in abstract or s in title or s in mesh)
        parts.append((held / query.top_weight, 0.4))
        # Measured on the paper's side, like the title: a story reporting the paper uses some of
        # its abstract's most specific words (its population, exposure, measure), which the
        # title may not hold; a paper that merely shares the story's topic uses others.
        specific = _specific_abstract(paper, abstract, title, idf)
        parts.append((cover(specific), 0.2))
    weight = sum(w for _, w in parts)
    shared = sorted(ours & (title | mesh), key=lambda s: (-idf(s), s))
    return sum(v * w for v, w in parts) / weight, shared


def score_paper(ev: CitationEvidence, paper: Paper, idf: Idf, query: TopicQuery | None = None) -> Scored:
    """Score one candidate paper against the evidence (0-1) with its per-field evidence."""
    w = load_config().weights
    query = query or TopicQuery.of(ev.topic_words, idf)
    evidence: list[FieldMatch] = []
    for key, weight in (("pmid", w.pmid), ("doi", w.doi)):
        ours, theirs = getattr(ev, key), getattr(paper, key)
        if ours and theirs:
            same = ours.lower() == theirs.lower()
            evidence.append(FieldMatch(key, ours, theirs, "exact" if same else "mismatch", weight if same else -weight / 2))
    evidence += _authors(ev, paper) + _affiliation(ev, paper) + _venue(ev, paper) + _year(ev, paper) + _study_type(ev, paper)
    similarity, shared = topic_similarity(query, paper, idf)
    if similarity > 0:
        evidence.append(FieldMatch("topic", " ".join(shared[:12]) or None, (paper.title or "")[:200],
                                   "exact" if similarity >= 0.5 else "partial", w.topic * similarity))
    elif query.words and paper.title and w.topic_mismatch:
        # A story tells its paper's subject: a paper sharing none of its words (found by an
        # author's name or a journal alone) is most likely that author's or journal's other paper.
        evidence.append(FieldMatch("topic", None, paper.title[:200], "mismatch", w.topic_mismatch))
    points = sum(e.weight for e in evidence)
    return Scored(paper, points_to_score(points, w.scale), points, evidence)


def points_to_score(points: float, scale: float) -> float:
    """A candidate's evidence points as a 0-1 score (saturating: more evidence adds less and less)."""
    return round(1 - math.exp(-max(points, 0.0) / scale), 4)


def rank(ev: CitationEvidence, papers: list[Paper], idf: Idf) -> list[Scored]:
    """Candidates scored and sorted best first (ties broken by PMID/DOI for determinism)."""
    seen: set[str] = set()
    unique = []
    for p in papers:
        key = p.pmid or p.doi or f"{p.source}:{p.title}"
        if key not in seen:
            seen.add(key)
            unique.append(p)
    query = TopicQuery.of(ev.topic_words, idf)
    scored = sorted((score_paper(ev, p, idf, query) for p in unique), key=_order)
    if len(scored) > 1 and _siblings(scored[0].paper, scored[1].paper):
        _tell_apart(scored[0], scored[1], query, idf)
        scored.sort(key=_order)
    return scored


def _order(s: Scored) -> tuple[float, str]:
    return -s.score, s.paper.pmid or s.paper.doi or ""


#: Two papers sharing this many authors are one team's: their shared words say nothing between them.
_SIBLING_AUTHORS = 2


def _siblings(a: Paper, b: Paper) -> bool:
    """True when the two papers share at least two authors (or every author of a shorter list)."""
    ours, theirs = set(_author_keys(a)) - {""}, set(_author_keys(b)) - {""}
    common = len(ours & theirs)
    return common >= min(_SIBLING_AUTHORS, len(ours), len(theirs)) and common > 0


def _distinct_cover(query: TopicQuery, mine: dict[str, set[str]], theirs: dict[str, set[str]], idf: Idf) -> float:
    """How much of the words only this paper's title and topics have the article uses (0-1),
    plus the share of the article's specific words only this paper's abstract holds.

    Only fields both papers have are compared: a record without MeSH or an abstract says
    nothing about its words, so the other's MeSH or abstract words are not its own.
    """
    both_mesh = bool(mine["mesh"]) and bool(theirs["mesh"])
    own = (mine["title"] | (mine["mesh"] if both_mesh else set())) - (theirs["title"] | (theirs["mesh"] if both_mesh else set()))
    total = sum(idf(s) for s in own)
    cover = sum(idf(s) for s in own & query.words) / total if total else 0.0
    held = 0.0
    if mine["abstract"] and theirs["abstract"]:
        held = sum(idf(s) for s in query.top if s in mine["abstract"] and s not in theirs["abstract"])
    return (cover + held / query.top_weight) / 2


def _tell_apart(first: Scored, second: Scored, query: TopicQuery, idf: Idf) -> None:
    """Between two close papers of one team, points to the one whose own words the article uses.

    A team's two papers share its authors, institution and most topic words, so the scores tie;
    the words only one of them has (its population, its method) are what the article can tell.
    """
    w = load_config().weights
    a, b = paper_stems(first.paper), paper_stems(second.paper)
    gap = _distinct_cover(query, a, b, idf) - _distinct_cover(query, b, a, idf)
    if w.sibling_topic <= 0 or gap == 0:
        return
    winner, loser = (first, second) if gap > 0 else (second, first)
    points = w.sibling_topic * abs(gap)
    winner.evidence.append(FieldMatch("topic (vs same team's paper)", None, (loser.paper.title or "")[:200],
                                      "exact", points))
    winner.points += points
    winner.score = points_to_score(winner.points, w.scale)


def clear_lead(best: float, runner_up: float, threshold: float | None = None, margin: float | None = None) -> bool:
    """True when a best score decides: it reaches the threshold and leads the runner-up by the
    margin, or it reaches the low threshold and the runner-up scores at most a set share of it.

    The second way takes a story whose lay words cover the paper only weakly but cover no
    other paper nearly as well: a relative lead, where an absolute margin would refuse it.
    """
    decision = load_config().decision
    threshold = decision.threshold if threshold is None else threshold
    margin = decision.margin if margin is None else margin
    if best >= threshold and best - runner_up >= margin:
        return True
    return best >= decision.low_threshold and runner_up <= decision.runner_up_ratio * best


def decide(ranked: list[Scored], threshold: float | None = None, margin: float | None = None) -> str:
    """``resolved`` (a clear lead, see ``clear_lead``), ``ambiguous`` or ``unresolved``."""
    threshold = load_config().decision.threshold if threshold is None else threshold
    if not ranked:
        return "unresolved"
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    if clear_lead(ranked[0].score, runner_up, threshold, margin):
        return "resolved"
    return "ambiguous" if ranked[0].score >= threshold / 2 else "unresolved"
