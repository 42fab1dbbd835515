"""The record written for each article: pydantic models, the one source of the JSON Schema.

``SCHEMA_VERSION`` changes whenever a field is renamed, removed or changes meaning; adding
an optional field is a minor change ("1.x").
"""

from __future__ import annotations

from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Final = "1.1"

ClaimType = Literal[
    "efficacy", "safety", "evidence", "mechanism", "prevalence", "statistic", "regulatory", "descriptive"
]
CitationKind = Literal["author_year", "numeric", "doi", "pmid", "url", "prose"]
QuoteKind = Literal["direct", "indirect"]
SpeakerKind = Literal["person", "group", "organization", "document"]
Strength = Literal["none", "correlational", "conditional_causal", "causal"]
ResolutionStatus = Literal["resolved", "ambiguous", "unresolved"]
Extractor = Literal["text", "markdown", "trafilatura", "htmltext"]
ArticleFormat = Literal["text", "markdown", "html"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """A piece of the article text: ``article.text[start:end] == text``."""

    start: int = Field(ge=0, description="Character offset (Python string index) where the span starts.")
    end: int = Field(ge=0, description="Character offset just past the span's end.")
    text: str = Field(description="The article text between start and end, exactly.")


class ModelInfo(_Model):
    """The trained spaCy pipeline that parsed the article."""

    name: str
    version: str
    parse: Literal["full", "selective", "fast"] = Field(
        "full",
        description="How much the trained NER saw: every sentence (full) or only sentences that may hold a name "
        "(selective); fast is full with the attribute ruler and lemmatizer worked out once per distinct token "
        "(same annotations).",
    )
    strength: Literal["encoder", "bag-of-words", "rules"] = Field(
        "bag-of-words",
        description="What labelled the claims' strength: the fine-tuned sentence encoder (the healthclaims[encoder] "
        "extra), the bag-of-words classifier, or the strength rules alone.",
    )


class Article(_Model):
    """The article as read: every offset in the record indexes ``text``."""

    id: str = Field(description="Safe file-name id: the file's stem, or its relative path joined with '__'.")
    source: str = Field(description="The input path as given.")
    sha256: str = Field(description="SHA-256 of the file's raw bytes.")
    encoding: str = Field(description="The text encoding the bytes were decoded with.")
    format: ArticleFormat = "text"
    title: str | None = Field(default=None, description="The article's title (first line of a text file, <title> of HTML).")
    text: str = Field(description="The article text that every offset indexes.")
    word_count: int = Field(ge=0)
    boilerplate: list[Span] = Field(
        default_factory=list, description="Page furniture excluded from extraction (comment forms, ads, datelines...)."
    )
    extractor: Extractor | None = Field(
        default=None, description="What produced `text`: plain text, the Markdown parser, trafilatura, or the fallback HTML converter."
    )
    published: str | None = Field(default=None, description="Publication date (ISO 8601) from the page's metadata.")
    authors: list[str] = Field(default_factory=list, description="The byline's authors (not speakers).")
    site: str | None = Field(default=None, description="The site or publisher name from the page's metadata.")
    url: str | None = Field(default=None, description="The page's canonical URL.")


class MatchEvidence(_Model):
    """How one field of the article's citation compared with a candidate paper."""

    field: str = Field(description="doi | pmid | first_author | author | venue | year | study_type | topic | title ...")
    article_value: str | None = Field(default=None, description="What the article says.")
    paper_value: str | None = Field(default=None, description="What the paper's record says.")
    match: Literal["exact", "partial", "mismatch"] = "exact"
    weight: float = Field(default=0.0, description="This field's contribution to the score.")


class PaperCandidate(_Model):
    """A paper considered for a citation, with its score."""

    pmid: str | None = None
    doi: str | None = None
    title: str | None = None
    journal: str | None = None
    year: int | None = None
    score: float = Field(ge=0.0, le=1.0)


class Resolution(_Model):
    """The paper a citation was resolved to, or why it was not."""

    status: ResolutionStatus
    pmid: str | None = None
    doi: str | None = None
    title: str | None = None
    journal: str | None = None
    year: int | None = None
    authors: list[str] = Field(default_factory=list, description="'Family Initials' of each author, in order.")
    publication_types: list[str] = Field(default_factory=list)
    mesh: list[str] = Field(default_factory=list, description="MeSH headings (a '*' marks a major topic).")
    abstract: str | None = None
    retracted: bool = False
    corrected: bool = False
    source: str | None = Field(default=None, description="The library file, 'pubmed' or 'crossref' the paper came from.")
    score: float = Field(default=0.0, ge=0.0, le=1.0)
    evidence: list[MatchEvidence] = Field(default_factory=list, description="Which fields matched, and how.")
    candidates: list[PaperCandidate] = Field(default_factory=list, description="The best candidates (at most three).")
    message: str | None = Field(default=None, description="Why it is unresolved or ambiguous (e.g. a source error).")


class Citation(Span):
    """A pointer to a specific study or dataset a reader could look up."""

    id: str
    kind: CitationKind
    first_author: str | None = None
    et_al: bool = False
    year: int | None = None
    venue: str | None = Field(default=None, description="Journal or publisher, as named.")
    study_type: str | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    query: str | None = Field(default=None, description="A PubMed search string built from what the article states.")
    rule: str | None = Field(default=None, description="Id of the pattern that found the citation.")
    mentions: list[Span] = Field(default_factory=list, description="Other references to the same work ('the study').")
    resolved: Resolution | None = Field(default=None, description="The paper this citation resolves to (when resolution ran).")


class Speaker(_Model):
    """A person (or a study team / organisation) that the article quotes."""

    id: str
    name: str = Field(description="The fullest form of the name in the article.")
    kind: SpeakerKind = "person"
    role: str | None = None
    affiliation: str | None = None
    experience: str | None = None
    mentions: list[Span] = Field(default_factory=list)


class Quote(Span):
    """Direct (inside quotation marks: the content) or indirect (reported speech: the sentence)."""

    id: str
    kind: QuoteKind
    speaker_id: str | None = None
    cue: str | None = Field(default=None, description="The reporting verb as written.")
    cue_span: Span | None = None
    speaker_mention: Span | None = Field(default=None, description="The words naming the speaker at this quote.")


class Technique(_Model):
    """A therapeutic method, modality or non-drug intervention, with all its mentions."""

    id: str
    canonical: str
    category: str
    mesh_id: str | None = None
    mentions: list[Span] = Field(default_factory=list)


class CheckEvidence(_Model):
    """One piece of evidence for a check: a span of the article or a field of the paper."""

    kind: Literal["article", "paper"]
    field: str = Field(description="For the article: claim, citation, study_type...; for the paper: title, abstract, mesh...")
    text: str
    start: int | None = Field(default=None, description="Offsets into article.text, for article evidence.")
    end: int | None = None


class Check(_Model):
    """Something a reviewer should look at: the claim and its paper disagree."""

    code: str = Field(description="study_design | animal_or_cell | causal_on_observational | topic_absent | "
                      "year_mismatch | journal_mismatch | retracted | corrected | overstated_strength")
    message: str
    citation_id: str | None = None
    evidence: list[CheckEvidence] = Field(default_factory=list)


class Claim(Span):
    """A checkable assertion about health: a sentence, or for a quote the quoted span."""

    id: str
    type: ClaimType
    hedged: bool = False
    hedge_cues: list[Span] = Field(default_factory=list)
    negated: bool = False
    negation_cues: list[Span] = Field(default_factory=list)
    cited: bool = False
    citation_ids: list[str] = Field(default_factory=list)
    speaker_id: str | None = None
    quote_id: str | None = None
    check_worthiness: float = Field(default=0.0, ge=0.0, le=1.0)
    triggers: list[str] = Field(default_factory=list, description="Ids of the claim rules that fired.")
    strength: Strength = Field(default="none", description="How strongly the claim asserts a relationship.")
    strength_cues: list[Span] = Field(default_factory=list, description="The words that decided `strength`.")
    checks: list[Check] = Field(default_factory=list, description="Disagreements between the claim and its resolved papers.")


class ArticleSummary(_Model):
    """What a reviewer reads first about an article."""

    claims: int = 0
    claims_with_resolved_evidence: int = 0
    claims_with_unresolved_citation: int = Field(default=0, description="Cited claims whose citations are all unresolved or ambiguous.")
    claims_uncited: int = 0
    check_counts: dict[str, int] = Field(default_factory=dict)
    headline_strength: Strength | None = None
    body_strength: Strength | None = Field(default=None, description="The strongest claim strength in the body.")
    paper_strength: Strength | None = Field(default=None, description="The strength of the cited papers' conclusions.")


class LinkingInfo(_Model):
    """What resolved the record's citations (``healthclaims resolve`` skips a record resolved by the same)."""

    libraries: list[str] = Field(default_factory=list, description="The library files, in the order given.")
    library_papers: int = Field(default=0, description="Papers in the library index.")
    online: list[str] = Field(default_factory=list, description="Online sources asked: pubmed, crossref.")
    fingerprint: str = Field(description="Hash of the library files' bytes, the online sources and the matcher's weights.")
    input: str | None = Field(default=None, description="Hash of the citations, claims and speakers that were resolved.")


class Record(_Model):
    """Everything healthclaims extracted from one article."""

    schema_version: Literal["1.1"] = SCHEMA_VERSION
    pipeline_version: str
    fingerprint: str | None = Field(
        default=None,
        description="Hash of the input bytes, pipeline version, rules, model and options that produced this record; "
        "`healthclaims run` skips an article whose fingerprint is unchanged.",
    )
    model: ModelInfo
    article: Article
    claims: list[Claim] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    speakers: list[Speaker] = Field(default_factory=list)
    techniques: list[Technique] = Field(default_factory=list)
    summary: ArticleSummary | None = None
    linking: LinkingInfo | None = Field(default=None, description="Present when the citations were resolved.")


def record_json_schema() -> dict[str, Any]:
    """The JSON Schema of ``Record``, as committed in ``models/record.schema.json``."""
    schema = Record.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://healthclaims.invalid/schema/record-{SCHEMA_VERSION}.json"
    return schema


def span_violations(record: Record) -> list[str]:
    """Every span of ``record`` whose ``text`` is not ``article.text[start:end]`` (empty when all exact)."""
    text = record.article.text
    problems: list[str] = []

    def check(where: str, span: Span | None) -> None:
        if span is None:
            return
        if not (0 <= span.start <= span.end <= len(text)) or text[span.start : span.end] != span.text:
            problems.append(f"{where} [{span.start}:{span.end}] {span.text[:40]!r}")

    for i, span in enumerate(record.article.boilerplate):
        check(f"article.boilerplate[{i}]", span)
    for claim in record.claims:
        check(claim.id, claim)
        for span in claim.hedge_cues + claim.negation_cues + claim.strength_cues:
            check(f"{claim.id} cue", span)
    for citation in record.citations:
        check(citation.id, citation)
        for span in citation.mentions:
            check(f"{citation.id} mention", span)
    for quote in record.quotes:
        check(quote.id, quote)
        check(f"{quote.id} cue_span", quote.cue_span)
        check(f"{quote.id} speaker_mention", quote.speaker_mention)
    for speaker in record.speakers:
        for span in speaker.mentions:
            check(f"{speaker.id} mention", span)
    for technique in record.techniques:
        for span in technique.mentions:
            check(f"{technique.id} mention", span)
    return problems
