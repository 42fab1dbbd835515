"""Checks of a claim against the paper its citation resolved to: each check is one small
function registered in ``CHECKS``, given the claim, the citation and its resolution, and
returning a ``Check`` (code, one-line message, evidence from the article and the paper) or None.

A new check is one more function decorated with ``@check``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from healthclaims.linking.config import load_config
from healthclaims.linking.designs import agrees, animal_or_cell, article_design, paper_design
from healthclaims.linking.journals import same_journal
from healthclaims.linking.paper import Paper
from healthclaims.linking.text import fold, terms
from healthclaims.records import models as R

if TYPE_CHECKING:  # spaCy and the strength rules load only when a check needs them
    from healthclaims.components.strength.overstatement import PaperStrength


@dataclass
class CheckContext:
    """Everything a check may look at."""

    record: R.Record
    claim: R.Claim
    citation: R.Citation
    resolution: R.Resolution
    paper: Paper  # the resolution as a Paper, for the shared design helpers


CheckFn = Callable[[CheckContext], "R.Check | None"]
CHECKS: list[tuple[str, CheckFn]] = []


def check(code: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check function under its code (the order of registration is the order of output)."""

    def register(fn: CheckFn) -> CheckFn:
        CHECKS.append((code, fn))
        return fn

    return register


def _article(field: str, start: int, end: int, text: str) -> R.CheckEvidence:
    return R.CheckEvidence(kind="article", field=field, text=text[start:end], start=start, end=end)


def _claim_span(ctx: CheckContext) -> R.CheckEvidence:
    return _article("claim", ctx.claim.start, ctx.claim.end, ctx.record.article.text)


def _citation_span(ctx: CheckContext) -> R.CheckEvidence:
    return _article("citation", ctx.citation.start, ctx.citation.end, ctx.record.article.text)


def _paper(field: str, text: str) -> R.CheckEvidence:
    return R.CheckEvidence(kind="paper", field=field, text=text)


def _phrase_in(text: str, phrases: list[str]) -> re.Match[str] | None:
    folded = fold(text)
    for phrase in sorted(phrases, key=len, reverse=True):
        found = re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", folded)
        if found:
            return found
    return None


def _new(ctx: CheckContext, code: str, message: str, evidence: list[R.CheckEvidence]) -> R.Check:
    return R.Check(code=code, message=message, citation_id=ctx.citation.id, evidence=evidence)


@check("study_design")
def study_design(ctx: CheckContext) -> R.Check | None:
    """The article's study type is not what the paper's publication types say."""
    family = article_design(ctx.citation.study_type)
    design = paper_design(ctx.paper)
    if family is None or not design.families or agrees(family, design.families):
        return None
    designs = load_config().designs
    if design.field not in ("publication_types", "mesh"):
        return None  # words of an abstract are not enough to contradict the article
    what = ", ".join(sorted(design.families))
    secondary = designs[family].secondary and not any(designs[f].secondary for f in design.families)
    message = (f"the article calls it a {ctx.citation.study_type}, but the paper is a primary study ({what})" if secondary
               else f"the article calls it a {ctx.citation.study_type}; the paper's {design.field.replace('_', ' ')} say {what}")
    return _new(ctx, "study_design", message, [_citation_span(ctx), _paper(design.field, design.value)])


@check("animal_or_cell")
def animal_or_cell_work(ctx: CheckContext) -> R.Check | None:
    """Animal or cell work reported as a finding about people."""
    found = animal_or_cell(ctx.paper)
    if found is None:
        return None
    cues = load_config().animal
    if _phrase_in(ctx.claim.text, cues.claim_animal):
        return None  # the claim itself says it was mice or cells
    people = _phrase_in(ctx.claim.text, cues.claim_people)
    if people is None:
        return None
    kind, field, value = found
    start = ctx.claim.start + people.start()
    message = f"the claim speaks of {people.group(0)}, but the paper is {kind} work ({value})"
    evidence = [_claim_span(ctx), _article("claim_subject", start, ctx.claim.start + people.end(), ctx.record.article.text),
                _paper(field, value)]
    return _new(ctx, "animal_or_cell", message, evidence)


@check("causal_on_observational")
def causal_on_observational(ctx: CheckContext) -> R.Check | None:
    """Causal wording ("cuts the risk", "causes") on a study that could only show association."""
    design = paper_design(ctx.paper)
    designs = load_config().designs
    if not design.families or not all(designs[f].observational for f in design.families):
        return None
    if ctx.claim.hedged:
        return None  # "may cut the risk" already says it is not shown
    cue = _phrase_in(ctx.claim.text, load_config().causal_cues)
    if cue is None:
        return None
    start, end = ctx.claim.start + cue.start(), ctx.claim.start + cue.end()
    message = f"'{ctx.record.article.text[start:end]}' states a cause, but the paper is an observational study"
    return _new(ctx, "causal_on_observational", message,
                [_claim_span(ctx), _article("causal_wording", start, end, ctx.record.article.text),
                 _paper(design.field, design.value)])


def _claim_key_terms(ctx: CheckContext) -> list[tuple[str, str]]:
    """(stem, as written) of the claim's techniques and its longer content words."""
    text = ctx.record.article.text
    out: list[tuple[str, str]] = []
    for tech in ctx.record.techniques:
        for m in tech.mentions:
            if ctx.claim.start <= m.start and m.end <= ctx.claim.end:
                out += [(s, m.text) for s in terms(tech.canonical)[:1]]
    for word in re.findall(r"[A-Za-z][A-Za-z-]{4,}", text[ctx.claim.start:ctx.claim.end]):
        stems = terms(word)
        if stems:
            out.append((stems[0], word))
    return list({s: (s, w) for s, w in out}.values())


@check("topic_absent")
def topic_absent(ctx: CheckContext) -> R.Check | None:
    """None of the claim's intervention and outcome terms appear in the paper's title, abstract or MeSH."""
    paper = ctx.paper
    if not paper.title or not (paper.abstract or paper.mesh):
        return None  # a title alone is too short to say a term is absent
    key_terms = _claim_key_terms(ctx)
    if len(key_terms) < 2:
        return None
    held = set(terms(" ".join([paper.title, paper.abstract or "", " ".join(paper.mesh).replace("/", " ")])))
    if any(s in held for s, _ in key_terms):
        return None
    shown = ", ".join(f"'{w}'" for _, w in key_terms[:5])
    return _new(ctx, "topic_absent", f"none of the claim's terms ({shown}) appear in the paper's title, abstract or MeSH",
                [_claim_span(ctx), _paper("title", paper.title)])


@check("year_mismatch")
def year_mismatch(ctx: CheckContext) -> R.Check | None:
    """The article's year for the study is not the paper's (one year apart is allowed: online first)."""
    year, paper_year = ctx.citation.year, ctx.resolution.year
    if year is None or paper_year is None or abs(year - paper_year) <= 1:
        return None
    return _new(ctx, "year_mismatch", f"the article says {year}; the paper is from {paper_year}",
                [_citation_span(ctx), _paper("year", str(paper_year))])


@check("journal_mismatch")
def journal_mismatch(ctx: CheckContext) -> R.Check | None:
    """The article names another journal than the paper's."""
    venue, journal = ctx.citation.venue, ctx.resolution.journal
    if not venue or not journal or same_journal(venue, journal, None) is not False:
        return None
    return _new(ctx, "journal_mismatch", f"the article names {venue}; the paper is in {journal}",
                [_citation_span(ctx), _paper("journal", journal)])


@check("retracted")
def retracted(ctx: CheckContext) -> R.Check | None:
    """The paper was retracted (PubMed 'Retracted Publication', Crossref update-to)."""
    if not ctx.resolution.retracted:
        return None
    return _new(ctx, "retracted", "the cited paper has been retracted",
                [_claim_span(ctx), _paper("publication_types", "; ".join(ctx.resolution.publication_types) or "retracted")])


@check("corrected")
def corrected(ctx: CheckContext) -> R.Check | None:
    """The paper has a published correction (erratum) the claim may predate."""
    if not ctx.resolution.corrected:
        return None
    return _new(ctx, "corrected", "the cited paper has a published correction: check the claim against it",
                [_claim_span(ctx), _paper("publication_types", "; ".join(ctx.resolution.publication_types) or "corrected")])


def paper_of(resolution: R.Resolution) -> Paper:
    """A resolution as a ``Paper`` (the fields a record keeps)."""
    return Paper(source=resolution.source or "", pmid=resolution.pmid, doi=resolution.doi, title=resolution.title,
                 journal=resolution.journal, year=resolution.year, publication_types=list(resolution.publication_types),
                 mesh=list(resolution.mesh), abstract=resolution.abstract, retracted=resolution.retracted,
                 corrected=resolution.corrected)


def run_checks(record: R.Record) -> int:
    """Set ``checks`` on every claim that relies on a resolved citation; returns how many were found."""
    by_id = {c.id: c for c in record.citations}
    total = 0
    for claim in record.claims:
        claim.checks = []
        for cid in claim.citation_ids:
            citation = by_id.get(cid)
            if citation is None or citation.resolved is None or citation.resolved.status != "resolved":
                continue
            ctx = CheckContext(record, claim, citation, citation.resolved, paper_of(citation.resolved))
            for _code, fn in CHECKS:
                found = fn(ctx)
                if found is not None:
                    claim.checks.append(found)
        total += len(claim.checks)
    return total


@functools.lru_cache(maxsize=512)
def _conclusion_strength(abstract: str) -> PaperStrength | None:
    """Strength of an abstract's conclusion, through the default trained pipeline (loaded once)."""
    from healthclaims.components.strength.api import _default_nlp
    from healthclaims.components.strength.overstatement import paper_strength

    return paper_strength(abstract, _default_nlp(None))


@check("overstated_strength")
def overstated_strength(ctx: CheckContext) -> R.Check | None:
    """The claim asserts a stronger relationship than the paper's own conclusion (causal on an association)."""
    from healthclaims.components.strength.overstatement import is_overstated

    if ctx.claim.strength not in ("causal", "conditional_causal") or not ctx.resolution.abstract:
        return None
    paper = _conclusion_strength(ctx.resolution.abstract)
    if paper is None or not is_overstated(ctx.claim.strength, paper):
        return None
    wording = "causal" if ctx.claim.strength == "causal" else "conditionally causal"
    return _new(ctx, "overstated_strength",
                f"the claim is {wording}, but the paper concludes only a {paper.label.replace('_', ' ')} relationship",
                [_claim_span(ctx), *[_article("strength_cue", c.start, c.end, ctx.record.article.text) for c in ctx.claim.strength_cues],
                 _paper("abstract_conclusion", paper.sentence)])
