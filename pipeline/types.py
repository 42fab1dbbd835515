"""In-Doc results of the healthclaims components: plain dataclasses with exact character offsets.

Each extractor stores a list of these on the Doc (``doc._.hc_<name>``); ``healthclaims.records.consumer``
turns them into the pydantic records. Offsets always index ``doc.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported only where a Doc is really used (re-runs skip it)
    from spacy.tokens import Doc

#: Doc extensions set by the components, in pipeline order.
EXTENSIONS = (
    "hc_boilerplate",  # list[Mention]: page furniture, excluded from extraction
    "hc_citations",  # list[CitationHit]
    "hc_speakers",  # list[SpeakerHit]
    "hc_quotes",  # list[QuoteHit]
    "hc_techniques",  # list[TechniqueHit]
    "hc_claims",  # list[ClaimHit]
)


def ensure_extensions() -> None:
    """Register the Doc extensions (idempotent). Defaults are None, never a shared list."""
    from spacy.tokens import Doc

    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def results(doc: Doc, name: str) -> list:
    """Return the list stored under ``doc._.<name>``, or an empty list when unset."""
    value = getattr(doc._, name)
    return value if value is not None else []


@dataclass
class Mention:
    """A span of the text: ``text == doc.text[start:end]``."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Mention:
        return cls(start, end, text[start:end])


def overlaps_any(start: int, end: int, spans: list[Mention]) -> bool:
    """True when ``[start, end)`` overlaps any of ``spans`` (extractors use it to skip boilerplate)."""
    return any(start < span.end and span.start < end for span in spans)


@dataclass
class CitationHit:
    start: int
    end: int
    text: str
    kind: str  # author_year | numeric | doi | pmid | url | prose
    first_author: str | None = None
    et_al: bool = False
    year: int | None = None
    venue: str | None = None
    study_type: str | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    query: str | None = None  # PubMed search string built from what the article states
    rule: str | None = None  # id of the pattern that found it
    #: other mentions of the same work ("the study", "a new study", "the authors"), for claim linking
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class SpeakerHit:
    name: str  # fullest form in the article
    kind: str = "person"  # person | group | organization
    role: str | None = None
    affiliation: str | None = None
    experience: str | None = None
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class QuoteHit:
    start: int
    end: int
    text: str  # direct: content inside the marks; indirect: the whole sentence
    kind: str  # direct | indirect
    speaker: int | None = None  # index into doc._.hc_speakers
    cue: str | None = None  # reporting verb as written
    cue_start: int | None = None
    cue_end: int | None = None
    speaker_mention: Mention | None = None  # the words that name the speaker at this quote ("she", "Malfliet")


@dataclass
class TechniqueHit:
    canonical: str
    category: str
    mesh_id: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    rule: str | None = None  # lexicon entry id


@dataclass
class ClaimHit:
    start: int
    end: int
    text: str
    type: str  # efficacy | safety | evidence | mechanism | prevalence | statistic | regulatory | descriptive
    hedged: bool = False
    hedge_cues: list[Mention] = field(default_factory=list)
    negated: bool = False
    negation_cues: list[Mention] = field(default_factory=list)
    citations: list[int] = field(default_factory=list)  # indexes into doc._.hc_citations
    speaker: int | None = None  # index into doc._.hc_speakers
    quote: int | None = None  # index into doc._.hc_quotes
    check_worthiness: float = 0.0
    triggers: list[str] = field(default_factory=list)  # ids of the claim rules that fired
    strength: str = "none"  # none | correlational | conditional_causal | causal (healthclaims_strength)
    strength_cues: list[Mention] = field(default_factory=list)

    @property
    def cited(self) -> bool:
        return bool(self.citations)
