"""The healthclaims_citations component: pointers to studies a reader could look up.

Finds author-year, numbered, DOI, PMID, link, source-line and prose citations, merges the
mentions of one work, fills its fields and a PubMed query; results go to ``doc._.hc_citations``
and, as spans labelled with their kind, to ``doc.spans["citations"]``.
"""

from __future__ import annotations

from healthclaims.components.base import RuleData, require
from healthclaims.components.citations import fields, guidelines, merging, pointers, reports
from healthclaims.components.citations.data import CitationRule, StudyType, Venue
from healthclaims.components.citations.lexicon import CitationRules
from healthclaims.components.citations.matching import Candidates, find_candidates
from healthclaims.components.citations.names import dateline_year
from healthclaims.components.citations.work import Work
from healthclaims.components.common import doc_index, doc_text
from healthclaims.resources import PARTICLES_FILE, NameParticle
from healthclaims.types import CitationHit, ensure_extensions
from spacy.language import Language
from spacy.tokens import Doc

NAME = "healthclaims_citations"
SPANS_KEY = "citations"


class CitationExtractor(RuleData):
    """Find citations and store them, sorted by start, as ``doc._.hc_citations`` and ``doc.spans["citations"]``."""

    def __init__(
        self,
        nlp: Language,
        patterns_file: str = "citation_patterns.jsonl",
        venues_file: str = "venues.jsonl",
        study_types_file: str = "study_types.jsonl",
        organisation_sources: bool = True,
        particles_file: str = PARTICLES_FILE,
    ):
        ensure_extensions()
        self.nlp = nlp
        self.organisation_sources = organisation_sources
        self.init_rules(
            {"patterns": patterns_file, "venues": venues_file, "study_types": study_types_file, "particles": particles_file}
        )

    def load_rules(self) -> None:
        """Validate the rule files' text and compile the matchers."""
        self.compiled = CitationRules(
            self.nlp,
            self.rules("patterns", CitationRule),
            self.rules("venues", Venue),
            self.rules("study_types", StudyType),
            particles=[p.word for p in self.rules("particles", NameParticle)],
            source=self.rule_sources.get("patterns", self.rule_files["patterns"]),
        )

    def __call__(self, doc: Doc) -> Doc:
        require(doc, NAME, ["sentences", "parse", "tags", "entities"])
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> Candidates:
        """Find candidate citations, later mentions ("the study") and author cues in ``doc``."""
        return find_candidates(self.compiled, doc, self.organisation_sources)

    def set_annotations(self, doc: Doc, found: Candidates) -> None:
        """Merge candidates into one citation per work, fill fields and store them on ``doc``."""
        doc._.hc_citations = citations_of(self.compiled, doc, found)
        spans = []
        for hit in doc._.hc_citations:
            span = doc.char_span(hit.start, hit.end, label=hit.kind, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[SPANS_KEY] = spans


def citations_of(rules: CitationRules, doc: Doc, found: Candidates) -> list[CitationHit]:
    """One ``CitationHit`` per cited work, sorted by start."""
    text = doc_text(doc)
    clusters = merging.cluster_works(rules, doc, sorted(found.works, key=lambda w: w.start))
    studies = [c for c in clusters if c[0].group == "study"]
    main = merging.main_study(studies)
    merging.merge_same_day(clusters, studies, main)
    dateline = dateline_year(rules, text)
    older = merging.older_than_news(text, dateline, rules.words("SOURCE_CUES"))
    main = pointers.place_pointers(clusters, studies, main, older, undated=dateline is None)
    merging.attach_identifier(clusters, studies, main)
    guidelines.absorb_reported(doc, clusters, main, rules.words("NOVELTY") | {"updated"})
    lone = pointers.lone_mention(
        clusters,
        studies,
        found.mentions,
        doc,
        rules.words("LONE_STUDY_NOUNS"),
        rules.words("STUDY_ROLES"),
        rules.words("PLAN_VERBS"),
    )
    lone = lone or reports.research_report(rules, doc, clusters, studies)
    main = lone or main
    novelty = rules.words("NOVELTY")
    aside = merging.source_aside(doc, rules.words("SOURCE_CUES"), rules.words("ASIDE_WORK"))
    for start, end in found.mentions:
        if lone is not None and lone[0].start == start:
            continue
        target = merging.nearest(studies, start, main, text[start:end], novelty, aside)
        if target is not None:
            target.append(Work(start, end, "mention", "mention", 0, secondary=True, year=_issue_year(rules, doc, end)))
    fields.apply_authors(rules, doc, found.cues, studies, main)
    fields.apply_reporters(rules, doc, studies)
    owned = fields.assign_type_cues(clusters, fields.type_cues(rules, doc))
    hits = []
    for cluster in clusters:
        rep, merged = fields.fill(rules, cluster, main, dateline, owned.get(id(cluster), []))
        hits.append(fields.to_hit(rules, text, merged, cluster, rep))
    return sorted(hits, key=lambda h: h.start)


def _issue_year(rules: CitationRules, doc: Doc, end: int) -> int | None:
    """The year of the issue a later mention's sentence says the work appears in ("The full paper
    will be published in the January 2016 issue"), read after the mention."""
    index = doc_index(doc)
    sent = index.sents[index.sent_of_char(end)]
    rest = doc_text(doc)[end : sent.end_char]
    for compiled in rules.regexes("ISSUE_DATE"):
        m = compiled.regex.search(rest)
        if m:
            return int(m.group("year"))
    return None


@Language.factory(
    NAME,
    default_config={
        "patterns_file": "citation_patterns.jsonl",
        "venues_file": "venues.jsonl",
        "study_types_file": "study_types.jsonl",
        "organisation_sources": True,
        "particles_file": PARTICLES_FILE,
    },
    assigns=["doc._.hc_citations", "doc.spans"],
    requires=["doc.sents", "token.dep", "token.pos", "doc.ents"],
)
def make_citations(
    nlp: Language,
    name: str,
    patterns_file: str,
    venues_file: str,
    study_types_file: str,
    organisation_sources: bool,
    particles_file: str,
) -> CitationExtractor:
    """Build the citations component (data files are read from ``models/``)."""
    return CitationExtractor(nlp, patterns_file, venues_file, study_types_file, organisation_sources, particles_file)
