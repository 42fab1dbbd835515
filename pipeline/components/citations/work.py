"""A candidate cited work while a Doc is read, and how mentions of one work pool their fields."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

#: The fields of a work that a mention may fill when the chosen mention lacks them.
FIELDS = ("venue", "year", "first_author", "study_type", "doi", "pmid", "url")


@dataclass
class Work:
    """A candidate citation (character offsets into the Doc's text) or a mention of one."""

    start: int
    end: int
    kind: str  # author_year | numeric | doi | pmid | url | prose | mention | cue
    rule: str
    strength: int  # 3 formal reference, 2 prose naming a venue, 1 weaker prose, 0 organisation
    group: str = "study"  # study | org | editorial
    venue: str | None = None
    venue_key: str | None = None
    year: int | None = None
    first_author: str | None = None
    et_al: bool = False
    study_type: str | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    recent: bool = False
    journal: bool = True  # the venue is a journal (not a meeting): it goes into the query as [journal]
    meeting: bool = False  # a presentation at a meeting, which a journal article in its sentence supersedes
    main_study: bool = False  # from a rule that names the article's main study (a news wire's SOURCE line)
    same_day: bool = False  # dated like the article itself ("published Monday"): likely the main study
    year_offset: int = 0
    own: bool = False  # "his own study": a named person's work beside the story's, which it does not name
    relative_date: bool = False  # a pointer dated only against the article ("Last year, a study of ..."), not new
    dated_by_article: bool = False  # dated only against the article, which has no dateline: see CitationHit
    introduced: bool = False  # an indefinite noun ("a study", "another trial") brings in a new work
    pointer: bool = False  # a study noun phrase with no venue ("a study of 300 adults"): placed by pointers.py
    definite: bool = False  # a pointer with a definite determiner ("the study, led by ..."): a citation only alone
    other: bool = False  # the words set the work apart from the main one ("another study", "a separate trial")
    title: bool = False  # the paper's quoted title: a definite mention that still gives the citation's span
    number: str | None = None  # the number of a numbered reference ("[2]", "2. Smith J ...")
    #: A secondary member only fills fields and links claims: it never gives the citation's span,
    #: and its fields never keep another mention out of the work (a later "the study", an author
    #: cue, or a same-day study merged into the main one).
    secondary: bool = False
    members: list[tuple[int, int]] = field(default_factory=list)

    def score(self) -> tuple[int, int, int]:
        """How specific this mention is; the highest-scoring member gives the span."""
        return (
            self.strength,
            (self.venue is not None) + (self.year is not None) + (self.first_author is not None),
            -self.start,
        )


def primary(cluster: list[Work]) -> list[Work]:
    """The members of a cluster that may give its span and its fields' conflicts."""
    return [w for w in cluster if not w.secondary]


def representative(cluster: list[Work]) -> Work:
    """The most specific primary member of ``cluster``: its span is the citation's."""
    return max(primary(cluster) or cluster, key=Work.score)


def merge_fields(rep: Work, cluster: list[Work]) -> Work:
    """A copy of ``rep`` with the fields it lacks taken from the other mentions, strongest first."""
    merged = Work(**{f.name: getattr(rep, f.name) for f in fields(rep) if f.name != "members"})
    for w in sorted(cluster, key=lambda x: (x.secondary, -x.strength)):
        for name in FIELDS:
            if getattr(merged, name) is None and getattr(w, name) is not None:
                setattr(merged, name, getattr(w, name))
                if name == "venue":
                    merged.venue_key, merged.journal = w.venue_key, w.journal
        merged.et_al = merged.et_al or w.et_al
        if merged.year_offset == 0:
            merged.year_offset = w.year_offset
    return merged
