"""In-Doc results of the healthclaims components: plain dataclasses with exact character offsets.

Each extractor stores a list of these on the Doc (``doc._.hc_<name>``); ``healthclaims.records.consumer``
turns them into the pydantic records. Offsets always index ``doc.text``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass
from typing import TYPE_CHECKING, Any

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


#: ``doc.spans`` groups the components fill, for displaCy and ``DocBin`` users (labels: kind/type).
SPAN_GROUPS = ("boilerplate", "citations", "quotes", "techniques", "claims")


def ensure_extensions() -> None:
    """Register the Doc extensions and their msgpack serializers (idempotent).

    Defaults are None, never a shared list.
    """
    import srsly
    from spacy.tokens import Doc

    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    # The package's srsly entry points register these too (under the same name, so they apply
    # once); registering here as well covers a source checkout that was never pip-installed.
    srsly.msgpack_encoders.register("healthclaims", func=encode_hit)
    srsly.msgpack_decoders.register("healthclaims", func=decode_hit)


def results(doc: Doc, name: str) -> list[Any]:
    """Return the list stored under ``doc._.<name>``, or an empty list when unset.

    A Doc read back from a ``DocBin`` holds a tuple there (spaCy decodes its user data with
    ``use_list=False``); it comes back as a list.
    """
    value = getattr(doc._, name)
    if value is None:
        return []
    return value if isinstance(value, list) else list(value)


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


def outside_spans(text: str, start: int, end: int, spans: list[Mention]) -> tuple[int, int] | None:
    """``[start, end)`` with any of ``spans`` at its start or end cut off, and spaces trimmed; None when
    a span sits inside it or too little is left. Datelines and bylines run into an article's first sentence."""
    for span in spans:
        if span.end <= start or span.start >= end:
            continue
        if span.start <= start:
            start = span.end
        elif span.end >= end:
            end = span.start
        else:
            return None
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end - start >= 3 else None


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
    #: Set when the text dates the work only against the article ("published Monday" 0, "last year" -1) and
    #: the text has no dateline: the record takes the year from ``Article.published`` (never a guess without one).
    article_year_offset: int | None = None


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


# ----------------------------------------------------------------------------- serialization
# ``doc.to_bytes()`` and ``DocBin(store_user_data=True)`` write the ``doc._`` values with srsly's msgpack, which knows nothing of dataclasses; these two hooks
# (registered as srsly entry points, so they work in any process with healthclaims installed)
# turn each result into a tagged dict and back. Fields are copied shallowly so that nested
# ``Mention``s go through the same hook.

_TAG = "__healthclaims__"
#: Every dataclass of this module, so that a result type added here serializes too.
_TYPES: dict[str, Any] = {
    name: obj for name, obj in list(globals().items()) if is_dataclass(obj) and obj.__module__ == __name__
}


def encode_hit(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    """srsly msgpack encoder: a healthclaims result becomes ``{"__healthclaims__": type, field: value...}``."""
    name = type(obj).__name__
    if _TYPES.get(name) is type(obj) and is_dataclass(obj):
        return {_TAG: name, **{f.name: getattr(obj, f.name) for f in fields(obj)}}
    return obj if chain is None else chain(obj)


def decode_hit(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    """srsly msgpack decoder: the inverse of ``encode_hit``; other values pass through unchanged."""
    if isinstance(obj, dict) and _TAG in obj:
        # DocBin decodes arrays as tuples; every sequence field of the results is a list.
        data = {key: list(value) if isinstance(value, tuple) else value for key, value in obj.items()}
        tag = str(data.pop(_TAG))
        cls = _TYPES.get(tag)
        if cls is None:
            raise ValueError(f"serialized Doc data holds an unknown healthclaims result type {tag!r}")
        return cls(**data)
    return obj if chain is None else chain(obj)
