"""The healthclaims_claims component: checkable health claims, one per sentence or direct quote.

Rules in ``models/claim_rules.jsonl`` score each sentence per claim type; filters drop questions, advice, anecdotes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from healthclaims.components.claims.links import check_worthiness, explicit_citations, link_citations
from healthclaims.resources import ResourceError, load_resource
from healthclaims.types import ClaimHit, Mention, ensure_extensions, results

#: Claim types, in the order that breaks a tie between equal scores (most specific first).
CLAIM_TYPES = ("regulatory", "safety", "efficacy", "prevalence", "statistic", "mechanism", "evidence")

#: Types that say what a claim is about; "statistic" is what a bare figure is, so a figure that measures
#: one of these (an efficacy result, a prevalence) takes that type instead.
CONTENT_TYPES = ("regulatory", "safety", "efficacy", "prevalence", "mechanism")
#: Below this score a content type is a passing word rather than the claim's topic.
TOPIC_SCORE = 0.6
#: Score labels where overlapping rules ("in the study", "the study", "study") count once.
DEDUPED = frozenset({"evidence"})
#: Units of a figure that only says how long something lasted ("for three weeks"), not what was measured.
DURATIONS = frozenset({"minutes", "hours", "days", "weeks", "months", "years"})
#: Added to a sentence's score when its subject is a health word and it has some other cue.
SUBJECT_BONUS = 0.4
#: Added when the main clause judges research ("the evidence is thin").
JUDGED_BONUS = 0.5
#: Head nouns of a subject that is research itself: "the evidence is thin", "research is mixed".
EVIDENCE_NOUNS = frozenset(
    {"evidence", "research", "study", "studies", "data", "findings", "results", "literature", "science", "proof",
     "trial", "trials", "review", "reviews", "analysis", "analyses", "meta-analysis"}
)  # fmt: skip

#: Labels of rules that are cues for the component rather than claim types.
CUE_LABELS = (
    "health",  # adds to the score but decides no type
    "finding",  # a finding verb ("found", "showed"): evidence, and keeps study-method sentences
    "reporting",  # a reporting verb: the sentence is a speaker's, not an anecdote
    "study_ref",  # "the study", "the authors": refers back to a cited work
    "cohort_ref",  # "the placebo group", "participants": continues a study's results already cited
    "outside",  # "who was not involved in the study": a study reference that is not the claim's source
    "vague_source",  # "studies show": names no work, never carries a citation
    "advice",
    "method",
    "publication",
    "disclosure",  # "funded by", "had no role in": funding and conflict notes, never a claim
    "judgment",  # "mixed", "preliminary", "more studies are needed": judges research, so a claim about research is evidence
    "plan",  # "hope to", "is underway": what researchers intend, not what they found
    "role",  # "director", "professor": with a copula and a person subject, a description of that person
    "experience",  # "tried", "finds": with "I/he/she" as subject, an anecdote
    "obligation",  # "should", "must": with an addressee subject, advice
    "addressee",  # "you", "patients", "people": whom advice is given to
)

RuleLabel = Literal[
    "efficacy", "safety", "evidence", "mechanism", "prevalence", "statistic", "regulatory",
    "health", "finding", "reporting", "study_ref", "cohort_ref", "outside", "vague_source", "advice", "method", "publication",
    "disclosure", "judgment", "plan", "role",
    "experience", "obligation", "addressee",
]  # fmt: skip

Pattern = str | list[dict[str, Any]]


class ClaimRule(BaseModel):
    """One line of ``claim_rules.jsonl``: a phrase or token pattern with its label and weight."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    label: RuleLabel
    pattern: Pattern
    weight: float = Field(default=1.0, gt=0, le=2)


class CueRule(BaseModel):
    """One line of ``hedge_cues.jsonl`` or ``negation_cues.jsonl``."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    pattern: Pattern


#: Cue labels that add to a claim type's score: a finding verb or a reference back to a study
#: makes a sentence a report of evidence; health words add to the score but decide no type.
SCORE_LABELS = {"finding": "evidence", "study_ref": "evidence", "health": "_health"}

#: Subjects that make a "found"/"tried" sentence a personal experience rather than a finding.
PERSONAL_PRONOUNS = frozenset({"i", "he", "she", "we", "my", "his", "her"})
#: "We found" is usually a research team speaking; "I/she found" a personal experience.
EXPERIENCERS = frozenset({"i", "he", "she"})
#: Subjects whose past-tense doings are a story about one person, not a finding about many.
STORY_SUBJECTS = frozenset({"i", "he", "she", "my", "his", "her"})
COPULAS = frozenset({"is", "was", "are", "were", "'s", "be", "been"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
NEGATING_DETS = frozenset({"no", "none", "neither", "nor", "nothing", "nobody", "never"})
ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "acomp", "oprd", "npadvmod"})
QUOTE_CHARS = "\"'“”‘’«»"


@dataclass
class _Hit:
    rule_id: str
    label: str
    weight: float
    start: int  # token indexes
    end: int


@dataclass
class _Unit:
    """A claim candidate: a sentence (trimmed of page furniture) or a direct quote inside it."""

    sent: int
    start: int  # char offsets
    end: int
    quote: int | None = None
    hits: list[_Hit] = field(default_factory=list)
    head: Any = None  # the main clause's root token, found once (see ``ClaimExtractor._root``)
    headless: bool = False


def _build_matchers(nlp: Language, rules: list[tuple[str, Pattern]]) -> tuple[Matcher, PhraseMatcher]:
    matcher = Matcher(nlp.vocab)
    phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
    for rule_id, pattern in rules:
        if isinstance(pattern, str):
            phrases.add(rule_id, [nlp.make_doc(pattern)])
        elif len(pattern) == 1 and set(pattern[0]) == {"LOWER"} and set(pattern[0]["LOWER"]) == {"IN"}:
            # A one-token word list is a set of phrases: the PhraseMatcher looks them up far faster
            # than the Matcher tests each pattern at each token.
            phrases.add(rule_id, [nlp.make_doc(word) for word in pattern[0]["LOWER"]["IN"]])
        else:
            matcher.add(rule_id, [pattern])
    return matcher, phrases


def _run(doc: Doc, matchers: tuple[Matcher, PhraseMatcher]) -> list[tuple[str, int, int]]:
    found = []
    for m in matchers:
        if not len(m):
            continue
        for key, start, end in m(doc):
            found.append((doc.vocab.strings[key], start, end))
    return found


class ClaimExtractor:
    """Finds checkable health claims and sets ``doc._.hc_claims`` (a list of ``ClaimHit`` sorted by start)."""

    def __init__(
        self,
        nlp: Language,
        name: str = "healthclaims_claims",
        rules_file: str = "claim_rules.jsonl",
        hedges_file: str = "hedge_cues.jsonl",
        negations_file: str = "negation_cues.jsonl",
        threshold: float = 1.0,
        min_words: int = 4,
    ) -> None:
        ensure_extensions()
        self.name = name
        self.threshold = threshold
        self.min_words = min_words
        rules = load_resource(rules_file, ClaimRule)
        hedges = load_resource(hedges_file, CueRule)
        negations = load_resource(negations_file, CueRule)
        # One Matcher and one PhraseMatcher hold the claim rules and both cue lists, so a Doc is scanned once.
        self.rule_info: dict[str, tuple[str, float]] = {}
        entries = [(rules_file, r.id, r.label, r.weight, r.pattern) for r in rules]
        entries += [(hedges_file, r.id, "hedge", 0.0, r.pattern) for r in hedges]
        entries += [(negations_file, r.id, "negation", 0.0, r.pattern) for r in negations]
        for source, rule_id, label, weight, _ in entries:
            known = self.rule_info.setdefault(rule_id, (label, weight))
            if known != (label, weight):
                raise ResourceError(f"[{source}] rule id {rule_id!r} is used with two labels or weights")
        self.matchers = _build_matchers(nlp, [(e[1], e[4]) for e in entries])

    def __call__(self, doc: Doc) -> Doc:
        """Match the rules, then store the claims on the Doc."""
        self.set_annotations(doc, self.match(doc))
        return doc

    # -- matching ---------------------------------------------------------------------------

    def match(self, doc: Doc) -> list[ClaimHit]:
        """Return the claims of ``doc``, sorted by start (reads citations, quotes and boilerplate)."""
        sents = [s for s in doc.sents]
        if not sents:
            return []
        sent_of = [0] * len(doc)
        for i, sent in enumerate(sents):
            for t in range(sent.start, sent.end):
                sent_of[t] = i
        text = doc.text  # built from the tokens on every access: read it once
        paragraph = self._paragraphs(text, sents)
        by_sent: dict[int, list[_Hit]] = defaultdict(list)
        hedges: dict[int, list] = defaultdict(list)
        negations: dict[int, list] = defaultdict(list)
        for rule_id, start, end in _run(doc, self.matchers):
            label, weight = self.rule_info[rule_id]
            if label == "hedge":
                hedges[sent_of[start]].append((rule_id, start, end))
            elif label == "negation":
                negations[sent_of[start]].append((rule_id, start, end))
            else:
                by_sent[sent_of[start]].append(_Hit(rule_id, label, weight, start, end))

        quotes = results(doc, "hc_quotes")
        citations = results(doc, "hc_citations")
        boilerplate = [(m.start, m.end) for m in results(doc, "hc_boilerplate")]
        named: set[int] = set()
        for technique in results(doc, "hc_techniques"):
            for m in technique.mentions:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None:
                    named.update(range(span.start, span.end))
        sent_cites = explicit_citations(sents, citations)
        sent_refs = explicit_citations(sents, citations, mentions=False)
        linked = link_citations(sents, paragraph, sent_cites, sent_refs, by_sent, citations)

        claims: list[ClaimHit] = []
        for i, sent in enumerate(sents):
            for unit in self._units(text, i, sent, quotes, boilerplate):
                unit.hits = [h for h in by_sent[i] if self._inside(doc, h.start, h.end, unit)]
                claim = self._claim(doc, text, sent, unit, sent_cites[i], named)
                if claim is None:
                    continue
                self._mark_hedges(doc, text, claim, unit, hedges[i])
                self._mark_negation(doc, text, claim, unit, negations[i])
                self._mark_speaker(doc, claim, unit, sent, quotes)
                claim.citations = list(linked[i])
                claim.check_worthiness = check_worthiness(claim, unit)
                claims.append(claim)
        claims.sort(key=lambda c: (c.start, c.end))
        return claims

    def set_annotations(self, doc: Doc, claims: list[ClaimHit]) -> None:
        """Store ``claims`` as ``doc._.hc_claims``."""
        doc._.hc_claims = claims

    # -- units ------------------------------------------------------------------------------

    @staticmethod
    def _paragraphs(text: str, sents: list[Span]) -> list[int]:
        """Paragraph number of each sentence: a line break between two sentences starts a new one."""
        numbers, current = [], 0
        for i, sent in enumerate(sents):
            if i and "\n" in text[sents[i - 1].end_char - 1 : sent.start_char]:
                current += 1
            numbers.append(current)
        return numbers

    @staticmethod
    def _inside(doc: Doc, start: int, end: int, unit: _Unit) -> bool:
        return doc[start].idx >= unit.start and doc[end - 1].idx + len(doc[end - 1]) <= unit.end

    def _units(self, text: str, index: int, sent: Span, quotes: list, boilerplate: list) -> list[_Unit]:
        start, end = sent.start_char, sent.end_char
        for b_start, b_end in boilerplate:
            if b_end <= start or b_start >= end:
                continue
            # Datelines and bylines run into the first sentence: keep the part after (or before) them.
            if b_start <= start:
                start = b_end
            elif b_end >= end:
                end = b_start
            else:
                return []
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start < 3:
            return []
        # A sentence that is mostly a direct quote gives the quote's words as the claim (ANNOTATION.md).
        pieces = []
        for q_index, quote in enumerate(quotes):
            if quote.kind != "direct" or quote.end <= start or quote.start >= end:
                continue
            q_start, q_end = max(start, quote.start), min(end, quote.end)
            if len(text[q_start:q_end].split()) >= 3:
                pieces.append(_Unit(index, q_start, q_end, q_index))
        if pieces and sum(p.end - p.start for p in pieces) >= 0.5 * (end - start):
            return pieces
        return [_Unit(index, start, end)]

    # -- deciding ---------------------------------------------------------------------------

    def _claim(
        self, doc: Doc, doc_text: str, sent: Span, unit: _Unit, cites: set[int], named: set[int]
    ) -> ClaimHit | None:
        text = doc_text[unit.start : unit.end]
        labels = {h.label for h in unit.hits}
        if self._rejected(doc, sent, unit, text, labels):
            return None
        scores: dict[str, float] = defaultdict(float)
        # Words inside a technique's name ("positional release", "relaxation massage") name a method
        # rather than assert an effect: they count towards being a claim but not towards its type.
        topic: dict[str, float] = defaultdict(float)
        triggers: list[str] = []
        # Each distinct word counts once, one rule adds at most twice its weight, and a token counts once
        # towards evidence (the heaviest rule on it wins), so "the study" is not scored again as "study": a
        # sentence repeating one word list or merely naming a study cannot outscore one with several cues.
        seen: set[tuple[str, str]] = set()
        per_rule: dict[str, float] = defaultdict(float)
        used: dict[str, set[int]] = defaultdict(set)
        for hit in sorted(unit.hits, key=lambda h: (-h.weight, h.start)):
            label = SCORE_LABELS.get(hit.label, hit.label)
            if label not in CLAIM_TYPES and label != "_health":
                continue
            words = doc_text[doc[hit.start].idx : doc[hit.end - 1].idx + len(doc[hit.end - 1])].lower()
            if (hit.rule_id, words) in seen or per_rule[hit.rule_id] >= 2 * hit.weight:
                continue
            tokens = set(range(hit.start, hit.end))
            if label in DEDUPED and tokens & used[label]:
                continue
            seen.add((hit.rule_id, words))
            used[label] |= tokens
            weight = hit.weight
            if hit.label == "finding" and any(c.dep_ == "ccomp" for c in doc[hit.start].children):
                weight += 0.4  # "analyses showed that X": a finding verb reporting a clause states a result
            per_rule[hit.rule_id] += hit.weight
            scores[label] += weight
            if not named.issuperset(tokens):
                topic[label] += weight
            if hit.rule_id not in triggers:
                triggers.append(hit.rule_id)
        triggers.sort(key=lambda t: next(h.start for h in unit.hits if h.rule_id == t))
        total = sum(scores.values())
        root = self._root(doc, unit)
        if root is not None and self._judges_research(root):
            # "The evidence for X is thin": a verdict on research is an evidence claim whatever its adjective.
            total += JUDGED_BONUS
            triggers.append("evidence:judged")
        if set(scores) - {"_health"} and self._health_subject(doc, unit, used["_health"]):
            # "Endometriosis is common": a statement whose subject is a condition, a body part or a
            # treatment is about health even when it is short and has only one other cue.
            total += SUBJECT_BONUS
            triggers.append("health:subject")
        if cites and unit.quote is None:
            # A sentence carrying its own reference is an assertion the article backs with a source.
            total += self.threshold
            triggers.append("evidence:citation")
        if total < self.threshold:
            return None
        kind = self._type(doc, unit, topic)
        return ClaimHit(unit.start, unit.end, text, kind, quote=unit.quote, triggers=triggers)

    def _health_subject(self, doc: Doc, unit: _Unit, health_tokens: set[int]) -> bool:
        """The main clause's subject (or a word compounded with it) is a health word."""
        root = self._root(doc, unit)
        if root is None:
            return False
        for child in root.children:
            if child.dep_ in {"nsubj", "nsubjpass"}:
                heads = {child.i} | {c.i for c in child.children if c.dep_ in {"compound", "amod"}}
                return bool(heads & health_tokens)
        return False

    def _type(self, doc: Doc, unit: _Unit, scores: dict[str, float]) -> str:
        """The claim's type: what it is about, not how it is reported.

        A sentence whose subject is research itself and whose predicate judges it ("research is mixed",
        "the evidence is thin") is evidence, and so is a verdict on research that is not itself the object
        of a finding verb ("the studies are preliminary", but not "authors found consistent evidence ..."). Otherwise what research found decides: a finding about
        efficacy is an efficacy claim even when "found" and "study" frame it; a figure takes the type of
        what it measures. Evidence is left for sentences about research with no such topic, statistic for
        bare figures, and descriptive for sentences whose cues are all weak.
        """
        root = self._root(doc, unit)
        if root is not None and self._judges_research(root):
            return "evidence"
        reports = root is not None and any(h.label == "finding" and h.start == root.i for h in unit.hits)
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

    @staticmethod
    def _judges_research(root) -> bool:
        """The main clause says how good, how much or how mixed research is: its subject (or, after
        "there is", its attribute) is a research noun and its predicate a copula or an adjective."""
        if root.lower_ not in COPULAS and root.pos_ != "ADJ":
            return False
        for child in root.children:
            if child.dep_ in {"nsubj", "nsubjpass"} and child.lower_ in EVIDENCE_NOUNS:
                return True
            if child.dep_ == "attr" and child.lower_ in EVIDENCE_NOUNS and any(c.dep_ == "expl" for c in root.children):
                return True
        return False

    def _rejected(self, doc: Doc, sent: Span, unit: _Unit, text: str, labels: set[str]) -> bool:
        """The filters: questions, short fragments, advice, imperatives, study methods, publication notes,
        person descriptions and anecdotes are not claims."""
        if text.rstrip(QUOTE_CHARS + " ,.").endswith("?"):
            return True
        if sum(1 for w in text.split() if any(c.isalpha() for c in w)) < self.min_words:
            return True
        if "advice" in labels:
            return True
        if labels & {"method", "disclosure", "plan"} and not labels & {"finding", "judgment"}:
            return True  # ("more evidence is needed to determine whether ..." judges research: a claim)
        root = self._root(doc, unit)
        if "publication" in labels and "finding" not in labels and self._about_publication(doc, unit, root):
            return True
        if "experience" in labels and "study_ref" not in labels:
            # "she finds that ...", "I tried ...": one person's experience is an anecdote, not evidence.
            for hit in unit.hits:
                if hit.label == "experience" and any(
                    c.dep_ in SUBJECT_DEPS and c.lower_ in EXPERIENCERS for c in doc[hit.start].children
                ):
                    return True
        span = doc.char_span(unit.start, unit.end, alignment_mode="expand")
        if span is not None and unit.sent > 0 and not any(t.pos_ in {"VERB", "AUX"} for t in span):
            return True  # no verb: a reference-list entry or a label, not an assertion (headlines may lack one)
        citations = results(doc, "hc_citations")
        covered = sum(max(0, min(c.end, unit.end) - max(c.start, unit.start)) for c in citations)
        if covered >= 0.5 * (unit.end - unit.start):
            return True  # the reference itself
        if span is not None and unit.sent > 0 and self._title_cased(span):
            return True  # the title of a paper or a section, not a sentence of the article
        if root is None:
            return False
        # "it didn't work": the parser may hang the subject on the auxiliary rather than on the verb.
        subjects = [c for c in root.children if c.dep_ in SUBJECT_DEPS] or [
            g for c in root.children if c.dep_ == "aux" for g in c.children if g.dep_ in SUBJECT_DEPS
        ]
        has_modal = any(c.tag_ == "MD" for c in root.children)
        if root.tag_ == "VB" and not subjects and not has_modal:
            return True  # an imperative: advice with no assertion
        if not subjects:
            return False
        subject = subjects[0]
        if self._story(subject, root, labels, unit):
            return True
        obliged = "obligation" in labels and any(
            c.dep_ == "aux" and h.label == "obligation" and h.start == c.i for c in root.children for h in unit.hits
        )
        addressed = any(h.label == "addressee" and h.start == subject.i for h in unit.hits)
        if obliged and addressed and root.tag_ == "VB":
            return True  # "patients should wear ...": advice to the reader
        # A title-cased headline can make the parser read "Magnet Therapy" as a person: a subject that
        # is itself a claim word is not one.
        named = subject.ent_type_ == "PERSON" and not any(
            h.start <= subject.i < h.end and SCORE_LABELS.get(h.label, h.label) in CLAIM_TYPES + ("_health",)
            for h in unit.hits
        )
        person = named or subject.lower_ in PERSONAL_PRONOUNS
        if not person:
            return False
        if root.lower_ in COPULAS and any(h.label == "role" for h in unit.hits):
            return True  # "Dr. X is director of ..."
        past = root.tag_ == "VBD" or any(c.dep_ == "aux" and c.tag_ == "VBD" for c in root.children)
        if named and (past or unit.sent > 0) and not labels & {"reporting", "finding", "study_ref"}:
            # A story about a named person, not a claim. In a title-cased headline the tagger takes
            # names of methods for people ("Tai Chi improves symptoms"): there only the past tense tells.
            return unit.quote is None
        return False

    @staticmethod
    def _about_publication(doc: Doc, unit: _Unit, root) -> bool:
        """A publication cue makes a note about where a study appeared only when it is the main clause
        ("The study was published in ..."); "X works, according to research presented at ..." is a claim."""
        if root is None or root.pos_ not in {"VERB", "AUX"}:
            return True  # a caption or a label around a publication note
        for hit in unit.hits:
            if hit.label != "publication":
                continue
            tokens = doc[hit.start : hit.end]
            if any(t.i == root.i or t.head.i == root.i for t in tokens):
                return True
        return False

    @staticmethod
    def _title_cased(span: Span) -> bool:
        """Most longer words capitalised, as in the title of a cited paper or a section heading."""
        words = [t for t in span if t.is_alpha and len(t) > 3]
        if len(words) < 4:
            return False
        return sum(1 for t in words if t.text[0].isupper()) >= 0.75 * len(words)

    @staticmethod
    def _story(subject, root, labels: set[str], unit: _Unit) -> bool:
        """What one person did ("She stepped onto the terrace", "My back pain went away") is an anecdote:
        a past-tense main verb whose subject is I/he/she or someone's own thing, in a sentence that
        reports no finding, no speech and no figure."""
        if root.tag_ != "VBD" and not any(c.dep_ == "aux" and c.tag_ == "VBD" for c in root.children):
            return False
        if labels & {"reporting", "finding", "study_ref", "cohort_ref"}:
            return False
        doc = root.doc
        if any(h.label == "statistic" and doc[h.end - 1].lower_ not in DURATIONS for h in unit.hits):
            return False  # a measured result ("his pace was twice as fast") is data, even about one patient
        if subject.lower_ in STORY_SUBJECTS:
            return True
        return any(c.dep_ == "poss" and c.lower_ in {"my", "his", "her"} for c in subject.children)

    @staticmethod
    def _root(doc: Doc, unit: _Unit):
        if unit.head is not None or unit.headless:
            return unit.head
        unit.head = ClaimExtractor._find_root(doc, unit)
        unit.headless = unit.head is None
        return unit.head

    @staticmethod
    def _find_root(doc: Doc, unit: _Unit):
        span = doc.char_span(unit.start, unit.end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        for token in span:
            outside = token.head == token or not (span.start <= token.head.i < span.end)
            if outside and not token.is_punct:
                return token
        return None

    # -- attributes -------------------------------------------------------------------------

    def _mark_hedges(self, doc: Doc, text: str, claim: ClaimHit, unit: _Unit, hedges: list) -> None:
        for rule_id, start, end in hedges:
            if self._inside(doc, start, end, unit):
                claim.hedge_cues.append(Mention.of(text, doc[start].idx, doc[end - 1].idx + len(doc[end - 1])))
                claim.triggers.append(rule_id)
        claim.hedged = bool(claim.hedge_cues)

    def _mark_negation(self, doc: Doc, text: str, claim: ClaimHit, unit: _Unit, negations: list) -> None:
        """A cue negates the claim when it sits on its main predicate (or on a main argument of it,
        or on the clause a finding or reporting verb introduces), not inside a side clause."""
        root = self._root(doc, unit)
        if root is None:
            return
        predicates = {root}
        for child in root.children:
            if child.dep_ in {"ccomp", "xcomp", "conj"} and child.pos_ in {"VERB", "AUX"}:
                predicates.add(child)
        # "X, researchers said" and "researchers found that X": the reported clause carries the claim.
        if root.dep_ == "ROOT":
            predicates |= {g for child in predicates for g in child.children if g.dep_ in {"ccomp", "xcomp"}}
        for rule_id, start, end in negations:
            if not self._inside(doc, start, end, unit):
                continue
            cue = doc[start]
            attached = cue.head in predicates or cue in predicates
            if not attached and cue.lower_ in NEGATING_DETS:
                attached = cue.head.dep_ in ARGUMENT_DEPS and cue.head.head in predicates
            if attached:
                claim.negation_cues.append(Mention.of(text, cue.idx, doc[end - 1].idx + len(doc[end - 1])))
                claim.triggers.append(rule_id)
        claim.negated = bool(claim.negation_cues)

    def _mark_speaker(self, doc: Doc, claim: ClaimHit, unit: _Unit, sent: Span, quotes: list) -> None:
        if unit.quote is not None:
            claim.speaker = quotes[unit.quote].speaker
            return
        best = None
        for q_index, quote in enumerate(quotes):
            overlap = min(quote.end, unit.end) - max(quote.start, unit.start)
            if overlap <= 0:
                continue
            if quote.kind == "indirect" and overlap >= 0.5 * (unit.end - unit.start):
                best = q_index
                break
            if best is None and quote.kind == "direct":
                best = q_index
        if best is not None:
            claim.quote = best
            claim.speaker = quotes[best].speaker
            return
        speakers = results(doc, "hc_speakers")
        for s_index, speaker in enumerate(speakers):
            for mention in speaker.mentions:
                if unit.start <= mention.start and mention.end <= unit.end:
                    token = doc.char_span(mention.start, mention.end, alignment_mode="expand")
                    if (
                        token is not None
                        and token.root.dep_ in SUBJECT_DEPS
                        and any(h.label == "reporting" and h.start == token.root.head.i for h in unit.hits)
                    ):
                        claim.speaker = s_index
                        return


@Language.factory(
    "healthclaims_claims",
    default_config={
        "rules_file": "claim_rules.jsonl",
        "hedges_file": "hedge_cues.jsonl",
        "negations_file": "negation_cues.jsonl",
        "threshold": 1.0,
        "min_words": 4,
    },
)
def make_claims(
    nlp: Language, name: str, rules_file: str, hedges_file: str, negations_file: str, threshold: float, min_words: int
) -> ClaimExtractor:
    """Build the claims component (rules are loaded and compiled once, here)."""
    return ClaimExtractor(nlp, name, rules_file, hedges_file, negations_file, threshold, min_words)
