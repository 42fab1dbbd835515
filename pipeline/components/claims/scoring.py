"""Whether a candidate is a claim, by the weight of its cues, and what type of claim it is.

Rules add their weights per claim type; a few parse-based bonuses (a health subject, a verdict on
research, a sentence's own citation) lift short assertions; the type is what the claim is about.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from healthclaims.components.claims.rules import CLAIM_TYPES, RuleHit
from healthclaims.components.claims.units import Unit, root
from healthclaims.components.common import doc_text
from spacy.tokens import Doc, Token

#: Types that say what a claim is about; "statistic" is what a bare figure is, so a figure that measures
#: one of these (an efficacy result, a prevalence) takes that type instead.
CONTENT_TYPES = ("regulatory", "safety", "efficacy", "prevalence", "mechanism")
#: Below this score a content type is a passing word rather than the claim's topic.
TOPIC_SCORE = 0.6
#: Score labels where overlapping rules ("in the study", "the study", "study") count once.
DEDUPED = frozenset({"evidence"})
#: Added to a sentence's score when its subject is a health word and it has some other cue.
SUBJECT_BONUS = 0.4
#: Added when the main clause judges research ("the evidence is thin").
JUDGED_BONUS = 0.5
#: Head nouns of a subject that is research itself: "the evidence is thin", "research is mixed".
EVIDENCE_NOUNS = frozenset(
    {"evidence", "research", "study", "studies", "data", "findings", "results", "literature", "science", "proof",
     "trial", "trials", "review", "reviews", "analysis", "analyses", "meta-analysis"}
)  # fmt: skip
COPULAS = frozenset({"is", "was", "are", "were", "'s", "be", "been"})
#: Modals that say what can happen, as opposed to what someone should do.
POSSIBILITY = frozenset({"may", "might", "can", "could", "will", "would", "'ll", "ca"})


@dataclass
class Score:
    """The weight of a unit's cues: the total, per type, per type outside technique names, and why."""

    total: float = 0.0
    by_type: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    topic: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    health_tokens: set[int] = field(default_factory=set)
    triggers: list[str] = field(default_factory=list)
    clause: float = 0.0  # bonus of a reporting verb with a clause ("X, she said"), counted with other cues
    clause_rule: str = ""


def _reports_clause(doc: Doc, hit: RuleHit) -> bool:
    """The hit is a verb with a bonus for reporting a clause, and it has one."""
    return bool(hit.rule and hit.rule.clause_bonus) and any(c.dep_ == "ccomp" for c in doc[hit.start].children)


def rule_score(doc: Doc, unit: Unit, named: set[int]) -> Score:
    """Add up the unit's claim-type rules.

    Each distinct word counts once, one rule adds at most twice its weight, and a token counts once
    towards evidence (the heaviest rule on it wins), so "the study" is not scored again as "study": a
    sentence repeating one word list or merely naming a study cannot outscore one with several cues.
    Words inside a technique's name (``named``: "positional release", "relaxation massage") name a
    method rather than assert an effect: they count towards being a claim but not towards its type.
    """
    score = Score()
    seen: set[tuple[str, str]] = set()
    per_rule: dict[str, float] = defaultdict(float)
    used: dict[str, set[int]] = defaultdict(set)
    text = doc_text(doc)
    for hit in sorted(unit.hits, key=lambda h: (-h.weight, h.start)):
        label = hit.score_label
        if label not in CLAIM_TYPES and label != "_health":
            if _reports_clause(doc, hit) and not score.clause:
                score.clause = hit.rule.clause_bonus if hit.rule else 0.0
                score.clause_rule = hit.rule_id
            continue
        words = text[doc[hit.start].idx : doc[hit.end - 1].idx + len(doc[hit.end - 1])].lower()
        tokens = set(range(hit.start, hit.end))
        if (hit.rule_id, words) in seen or per_rule[hit.rule_id] >= 2 * hit.weight:
            continue
        if label in DEDUPED and tokens & used[label]:
            continue
        seen.add((hit.rule_id, words))
        used[label] |= tokens
        weight = hit.weight
        if _reports_clause(doc, hit):
            weight += hit.rule.clause_bonus if hit.rule else 0.0  # "analyses showed that X" states a result
        per_rule[hit.rule_id] += hit.weight
        score.by_type[label] += weight
        if not named.issuperset(tokens):
            score.topic[label] += weight
        if hit.rule_id not in score.triggers:
            score.triggers.append(hit.rule_id)
    score.triggers.sort(key=lambda t: next(h.start for h in unit.hits if h.rule_id == t))
    score.total = sum(score.by_type.values())
    score.health_tokens = used["_health"]
    return score


def unit_score(doc: Doc, unit: Unit, named: set[int], cited: bool, citation_bonus: float) -> Score:
    """The rules' score plus the bonuses that read the parse and the unit's own citation."""
    score = rule_score(doc, unit, named)
    if score.clause and set(score.by_type) - {"_health"}:
        # "It's rarely used for back pain, she said": a speaker reporting a statement about health.
        score.total += score.clause
        score.triggers.append(score.clause_rule)
    head = root(doc, unit)
    if head is not None and judges_research(head):
        # "The evidence for X is thin": a verdict on research is an evidence claim whatever its adjective.
        score.total += JUDGED_BONUS
        score.triggers.append("evidence:judged")
    if set(score.by_type) - {"_health"} and health_subject(doc, unit, score.health_tokens):
        # "Endometriosis is common": a statement whose subject is a condition, a body part or a
        # treatment is about health even when it is short and has only one other cue.
        score.total += SUBJECT_BONUS
        score.triggers.append("health:subject")
    elif score.health_tokens and set(score.by_type) - {"_health"} and _quoted_topic(doc, unit, head):
        # "Walking is cheap. It cuts pain by a third.": inside a quote running over several sentences,
        # "it" goes on about what the speaker is talking about; its sentence is a claim of its own.
        score.total += SUBJECT_BONUS
        score.triggers.append("health:quoted_topic")
    elif len(score.health_tokens) >= 2 and general(head) and health_subject(doc, unit, score.health_tokens):
        # "A hernia may require surgery": a general statement (present tense or a modal) that ties a
        # condition to another health word is background knowledge a reader can check.
        score.total += SUBJECT_BONUS
        score.triggers.append("health:general")
    if cited and unit.quote is None:
        # A sentence carrying its own reference is an assertion the article backs with a source.
        score.total += citation_bonus
        score.triggers.append("evidence:citation")
    return score


#: Subjects that go on about the topic of the sentence before.
TOPIC_PRONOUNS = frozenset({"it", "this", "they", "these"})


def _quoted_topic(doc: Doc, unit: Unit, head: Token | None) -> bool:
    """The unit is a later sentence of a direct quote (quoted words stand right before it) whose subject
    is a pronoun in the present tense or with a modal: it continues the quote's topic."""
    if unit.quote is None or head is None or not general(head):
        return False
    text = doc_text(doc)
    before = text[max(unit.start - 3, 0) : unit.start]
    if not before.strip(" ") or before.rstrip(" ")[-1:] not in ".!?":
        return False  # the first sentence of the quote (after its opening mark) names its own subject
    return any(c.dep_ == "nsubj" and c.lower_ in TOPIC_PRONOUNS for c in head.children)


def general(head: Token | None) -> bool:
    """The main verb states what is generally so: a present tense or a modal of possibility, not a past event
    or what someone should do ("patients should be told ...")."""
    if head is None:
        return False
    return head.tag_ in {"VBZ", "VBP"} or any(c.tag_ == "MD" and c.lower_ in POSSIBILITY for c in head.children)


def health_subject(doc: Doc, unit: Unit, health_tokens: set[int]) -> bool:
    """The main clause's subject (or a word compounded with it) is a health word."""
    head = root(doc, unit)
    if head is None:
        return False
    for child in head.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            heads = {child.i} | {c.i for c in child.children if c.dep_ in {"compound", "amod"}}
            return bool(heads & health_tokens)
    return False


def judges_research(head: Token) -> bool:
    """The main clause says how good, how much or how mixed research is: its subject (or, after
    "there is", its attribute) is a research noun and its predicate a copula or an adjective."""
    if head.lower_ not in COPULAS and head.pos_ != "ADJ":
        return False
    for child in head.children:
        if child.dep_ in {"nsubj", "nsubjpass"} and child.lower_ in EVIDENCE_NOUNS:
            return True
        if child.dep_ == "attr" and child.lower_ in EVIDENCE_NOUNS and any(c.dep_ == "expl" for c in head.children):
            return True
    return False


def claim_type(doc: Doc, unit: Unit, scores: dict[str, float]) -> str:
    """The claim's type: what it is about, not how it is reported.

    A sentence whose subject is research itself and whose predicate judges it ("research is mixed",
    "the evidence is thin") is evidence, and so is a verdict on research that is not itself the object
    of a finding verb ("the studies are preliminary", but not "authors found consistent evidence ...").
    Otherwise what research found decides: a finding about efficacy is an efficacy claim even when
    "found" and "study" frame it; a figure takes the type of what it measures. Evidence is left for
    sentences about research with no such topic, statistic for bare figures, and descriptive for
    sentences whose cues are all weak.
    """
    head = root(doc, unit)
    if head is not None and judges_research(head):
        return "evidence"
    reports = head is not None and any(h.label == "finding" and h.start == head.i for h in unit.hits)
    judged = any(h.label == "judgment" for h in unit.hits)
    if judged and not reports and scores.get("evidence", 0.0) >= TOPIC_SCORE / 2:
        return "evidence"  # "studies are preliminary", "no good evidence that ...": a verdict on research
    content = {t: scores[t] for t in CONTENT_TYPES if scores.get(t, 0.0) >= TOPIC_SCORE}
    if content:
        best = max(content.values())
        return next(t for t in CONTENT_TYPES if content.get(t) == best)
    for kind in ("statistic", "evidence"):
        if scores.get(kind, 0.0) >= TOPIC_SCORE:
            return kind
    typed = {t: v for t, v in scores.items() if t in CLAIM_TYPES and v >= TOPIC_SCORE / 2}
    if typed:
        best = max(typed.values())
        return next(t for t in CLAIM_TYPES if typed.get(t) == best)
    return "descriptive"
