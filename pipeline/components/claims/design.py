"""What a study did rather than found: methods, plans, funding and author notes, and what a study is
("the study is the latest research from ..."). Not claims (ANNOTATION.md)."""

from __future__ import annotations

import bisect
import re
import weakref

from healthclaims.components.claims.rules import RuleHit
from healthclaims.components.claims.units import Unit, root, span_of
from healthclaims.components.common import doc_text
from spacy.tokens import Doc, Token

COPULAS = frozenset({"is", "was", "are", "were", "'s", "be", "been"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
#: Nouns that name a piece of research (for "the study is the latest research from ...").
RESEARCH_NOUNS = frozenset({"study", "studies", "research", "trial", "trials", "paper", "work", "review", "analysis", "report"})
#: Labels that make a sentence about a study's participants a result ("the participants had less pain").
RESULT_LABELS = frozenset({"efficacy", "safety", "finding", "statistic", "prevalence", "mechanism", "regulatory"})
#: Headings of a section on how a study was done ("Methods", "How the study worked", "About the X-50 trial").
METHODS_HEADING = re.compile(
    r"((research|study|trial) )?(methods?|methodology|design)|(study|trial) (design|details|methods|overview)"
    r"|how the (study|trial|research) (was done|worked|was conducted|was run)|the (study|trial)"
    r"|about (the|this) [^\n]{0,40}?\b(study|studies|trial|trials|programme|program)",
    re.IGNORECASE,
)
#: Labels that keep a past-tense sentence of a methods section a result ("they found", "pain fell").
METHOD_RESULTS = frozenset({"finding", "efficacy", "safety", "regulatory"})
#: A heading line: short, on its own, with no closing punctuation (before any closing quote mark:
#: "Trying to be 'bite safe'" is a heading, a line ending in 'said."' is not).
HEADING_CHARS = 80
_CLOSING = tuple(".!?;,)")
_QUOTES = "\"'”’"


def designs(doc: Doc, unit: Unit, labels: set[str]) -> bool:
    """Notes on funding and authors, and study methods and plans: a method or plan cue on the main clause
    ("the team surveyed 900 patients", or the clause a speaker reports: "she says she is working to ...");
    one inside a modifier ("70 percent of the patients surveyed reported improvement") leaves the result a
    claim. A verdict on research keeps a method sentence ("more evidence is needed to determine whether ...")
    but not a plan ("she is planning a larger study")."""
    if (
        _describes_study(doc, unit, labels) or _describes_cohort(doc, unit, labels) or _told_method(doc, unit, labels)
        or _labelled_method(doc, unit, labels)
    ):
        return True
    if not labels & {"method", "disclosure", "plan"}:
        return False
    if "finding" in labels:
        return False
    heads = main_heads(doc, unit)
    relative = _result_in_relative(doc, unit)
    for hit in unit.hits:
        if hit.label == "disclosure":
            return True
        on_main = not heads or any(t.i in heads or t.head.i in heads for t in doc[hit.start : hit.end])
        if hit.label == "method" and _in_adverbial(doc, hit, heads):
            # "there were fewer falls once all patients were analysed": a method word in a clause of time or condition
            # beside the main clause says when the result holds, not that the sentence is about the method
            on_main = False
        if on_main and (hit.label == "plan" or (hit.label == "method" and "judgment" not in labels and not relative)):
            return True
    return False


def _in_adverbial(doc: Doc, hit: RuleHit, heads: set[int]) -> bool:
    """The hit is the verb of an adverbial clause (with its own conjunction: "once", "when", "after") of the main clause."""
    verb = doc[hit.start]
    return verb.dep_ == "advcl" and verb.head.i in heads and verb.i not in heads and any(
        c.dep_ == "mark" for c in verb.children
    )


def _result_in_relative(doc: Doc, unit: Unit) -> bool:
    """"Patients were given opioids, which contributed to delirium in 80% of them": a relative clause that
    states an effect with a figure is a result, whatever the method words of the main clause (not a plan's)."""
    span = span_of(doc, unit)
    effects = [h.start for h in unit.hits if h.label in {"efficacy", "safety", "mechanism"}]
    figures = [h.start for h in unit.hits if h.label == "statistic" and not (h.rule is not None and h.rule.duration)]
    if span is None or not effects or not figures:
        return False
    for token in span:
        if token.dep_ == "relcl":
            inside = {t.i for t in token.subtree}
            if inside.intersection(effects) and inside.intersection(figures):
                return True
    return False


def main_heads(doc: Doc, unit: Unit) -> set[int]:
    """The main clause's root and, when that root is a reporting verb ("she says"), the clause it reports."""
    head = root(doc, unit)
    if head is None:
        return set()
    heads = {head.i}
    if any(h.label == "reporting" and h.start == head.i for h in unit.hits):
        heads |= {c.i for c in head.children if c.dep_ == "ccomp"}
    return heads


def _describes_study(doc: Doc, unit: Unit, labels: set[str]) -> bool:
    """"The study, published today, is the latest research from ...": a copula whose subject and
    attribute are both the research itself says what the study is, not what it found."""
    head = root(doc, unit)
    if head is None or head.lower_ not in COPULAS or "finding" in labels:
        return False
    subject = any(c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ in RESEARCH_NOUNS for c in head.children)
    attribute = any(c.dep_ == "attr" and c.lower_ in RESEARCH_NOUNS for c in head.children)
    return subject and attribute


def _describes_cohort(doc: Doc, unit: Unit, labels: set[str]) -> bool:
    """"All study participants led active lifestyles", "the volunteers were office workers": a study's
    participants as subject, a past-tense main verb and no cue of a result or a figure describe who took
    part, not what happened to them ("the participants had less pain" keeps its efficacy cue)."""
    if "cohort_ref" not in labels or labels & RESULT_LABELS:
        return False
    head = root(doc, unit)
    if head is None or unit.quote is not None:
        return False
    if not past_tense(head):
        return False
    subjects = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return any(h.label == "cohort_ref" and h.start <= s.i < h.end for h in unit.hits for s in subjects)


def _told_method(doc: Doc, unit: Unit, labels: set[str]) -> bool:
    """Under a heading such as "Methods" or "How the study worked", what was done in the past tense ("nine adults
    drank the juice daily", "the team assessed cells in the spinal cord") is how the study was run; a finding,
    an effect or a harm ("they found a decrease", "pain fell") is a result, and the present tense is background
    ("cholesterol does not cross into the brain")."""
    if labels & METHOD_RESULTS or unit.quote is not None:
        return False
    head = root(doc, unit)
    if head is None or not past_tense(head):
        return False
    heading = _section_heading(doc, unit.start)
    return heading is not None and METHODS_HEADING.fullmatch(heading.strip().rstrip(":")) is not None


#: A label opening a sentence, as structured study summaries write them ("How (Study Design): ...",
#: "What (Study Measures): ...", "Methods: ..."): its words, and those in its parentheses.
_INLINE_LABEL = re.compile(r"\s*([A-Z][A-Za-z ]{0,30}?)?\s*(?:\(([A-Za-z ,&]{3,50})\))?\s*:\s")
#: What such a label may name besides a methods heading: what was measured and who took part.
_METHOD_LABEL = re.compile(r"((study|trial) )?(measures?|outcomes?|interventions?( and measures)?|participants|setting|population)",
                           re.IGNORECASE)


def _labelled_method(doc: Doc, unit: Unit, labels: set[str]) -> bool:
    """ "How (Study Design): This was a randomized clinical trial.", "What (Study Measures): the difference in
    pain after two hours": a sentence under an inline methods label says how the study was done (a finding or
    an effect under it is still a result)."""
    if labels & METHOD_RESULTS or unit.quote is not None:
        return False
    m = _INLINE_LABEL.match(doc_text(doc), unit.start)
    if m is None:
        return False
    parts = [p.strip() for p in (m.group(1), m.group(2)) if p and p.strip()]
    return any(METHODS_HEADING.fullmatch(p) or _METHOD_LABEL.fullmatch(p) for p in parts)


def past_tense(verb: Token) -> bool:
    """A simple past ("drank"), or a past auxiliary ("was given", "had been asked")."""
    return verb.tag_ == "VBD" or any(c.dep_ in {"aux", "auxpass"} and c.tag_ == "VBD" for c in verb.children)


def _section_heading(doc: Doc, start: int) -> str | None:
    """The heading line of the section the character ``start`` lies in (none before the first heading; the
    headline does not count)."""
    if doc not in _HEADINGS:
        text = doc_text(doc)
        found: list[tuple[int, str]] = []
        offset = 0
        for number, line in enumerate(text.split("\n")):
            stripped = line.strip()
            heading = len(stripped) <= HEADING_CHARS and not stripped.rstrip(_QUOTES).endswith(_CLOSING)
            if number > 0 and stripped and heading:
                found.append((offset, stripped))
            offset += len(line) + 1
        _HEADINGS[doc] = ([o for o, _ in found], [h for _, h in found])
    offsets, headings = _HEADINGS[doc]
    at = bisect.bisect_right(offsets, start) - 1
    return headings[at] if at >= 0 else None


#: Each Doc's heading lines (their offsets, their text), worked out once: every claim unit asks.
_HEADINGS: weakref.WeakKeyDictionary[Doc, tuple[list[int], list[str]]] = weakref.WeakKeyDictionary()
