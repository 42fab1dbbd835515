"""How a sentence reads for citation linking, from its tense, figures, subjects and words: whether it
goes on reporting a study's results (past-tense findings about the study's people, in figures or
comparisons) rather than background (present-tense general statements).

News stories about one study report its results in one-sentence paragraphs that name the study no
more ("Patients who walked had 20 percent fewer falls."); background between them is written in the
present tense ("The condition affects millions.") or dated history ("In 2010, ...").
"""

from __future__ import annotations

import re

from healthclaims.components.claims.rules import RuleHit
from spacy.tokens import Span, Token

#: Rule labels whose content, stated in the past tense, is what a study measured.
OUTCOMES = frozenset({"efficacy", "safety", "mechanism", "statistic", "cohort_ref", "finding"})
#: Labels that make a sentence something other than a result: a speaker's view, research in general, a
#: source outside the study, advice, a plan, a speaker's own practice or recommendation.
NOT_RESULTS = frozenset({"opinion", "vague_source", "outside", "advice", "plan", "practice", "commerce"})
#: Reporting verbs whose clause, not the verb itself, carries the sentence's tense ("Smith said X fell").
_REPORTING_DEPS = frozenset({"ccomp", "xcomp"})
#: A calendar year: results of the study under discussion are not dated; history and trends are.
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
#: Subjects that make a sentence one person's story.
_ONE_PERSON = frozenset({"he", "she", "i", "his", "her", "my"})


#: Verbs that only report: the reported clause carries the sentence's tense.
_REPORTING_LEMMAS = frozenset({"say", "tell", "report", "add", "explain", "note"})
#: Their inflections, read when there is no parse.
_REPORTING_FORMS = frozenset(
    {"said", "says", "told", "tells", "reported", "reports", "added", "adds", "explained", "explains", "noted", "notes"}
)


def main_verb(sent: Span) -> Token | None:
    """The verb that carries the sentence's tense: the root (or, when the root only reports, the verb
    of the reported clause); without a parse, the first verb."""
    if sent.doc.has_annotation("DEP"):
        return reported_clause(sent) or sent.root
    return next((t for t in sent if t.tag_.startswith("VB") or t.tag_ == "MD"), None)


def reported_clause(sent: Span) -> Token | None:
    """The verb of the clause a reporting root reports ("Lee noted [the pain fell]"); None when the root
    reports nothing ("Lee cited several reasons"), or without a parse the clause after a reporting verb."""
    if not sent.doc.has_annotation("DEP"):
        tokens = list(sent)
        for k, t in enumerate(tokens):
            if t.text.lower() in _REPORTING_FORMS:
                return next((v for v in tokens[k + 1 :] if v.tag_.startswith("VB") or v.tag_ == "MD"), None)
        return None
    verb = sent.root
    if verb.lemma_ not in _REPORTING_LEMMAS:
        return None
    return next((c for c in verb.children if c.dep_ in _REPORTING_DEPS), None)


def past_tense(sent: Span) -> bool:
    """The main verb is in the past ("had", "fell", "were found", "had reversed"), not the present or
    the present perfect ("has been used")."""
    verb = main_verb(sent)
    if verb is None:
        return False
    auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    if any(a.tag_ in {"VBZ", "VBP", "MD"} for a in auxes):
        return False
    if verb.tag_ == "VBN" and not auxes and any(c.dep_ == "nsubj" for c in verb.children):
        return True  # "Ratings improved from 20 to 71 percent": a finite past the tagger read as a participle
    return verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes)


def dated(sent: Span) -> bool:
    """The sentence names a calendar year ("from 2000 through 2010"): history or a trend. A year in a
    participle on how a study was run ("The tests, conducted between 2008 and 2009, detected ...") dates
    the study's own work, not history."""
    return any(_YEAR.match(t.text) and not _when_run(t) for t in sent)


#: Participles that tell when a study's work was done ("conducted", "carried out", "run", "enrolled").
_RUN_VERBS = frozenset({"conduct", "carry", "run", "hold", "perform", "enroll", "enrol", "recruit", "collect", "gather"})


def _when_run(year: Token) -> bool:
    for ancestor in year.ancestors:
        if ancestor.dep_ in ("acl", "relcl") and ancestor.lemma_.lower() in _RUN_VERBS:
            return True
        if ancestor.dep_ in ("ROOT", "ccomp"):
            return False
    return False


def reports_result(sent: Span, labels: set[str]) -> bool:
    """A past-tense statement of what was measured ("most patients had less pain", "complications
    occurred in 39 percent"), with no cue that it is a view, advice, research in general or history."""
    if labels & NOT_RESULTS or not labels & OUTCOMES:
        return False
    return past_tense(sent) and not dated(sent) and not about_one_person(sent) and not modal(sent)


def modal(sent: Span) -> bool:
    """The main clause has a modal verb ("may be difficult", "could help"): a possibility, not a
    measurement (and a guard against a parse that takes a participle for the main verb)."""
    verb = main_verb(sent)
    if verb is None or not sent.doc.has_annotation("DEP"):
        return any(t.tag_ == "MD" for t in sent)
    verbs = [verb] + [c for c in verb.children if c.dep_ == "conj"]
    return any(c.tag_ == "MD" for v in verbs for c in v.children)


def about_one_person(sent: Span) -> bool:
    """The main verb's subject is one person ("he", "she", "I"): an anecdote or a speaker's account,
    not a group's result."""
    verb = main_verb(sent)
    if verb is None:
        return False
    if sent.doc.has_annotation("DEP"):
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    else:
        subjects = [t for t in sent[: verb.i - sent.start]]
    return any(t.text.lower() in _ONE_PERSON for t in subjects)


def regulator_acts(sent: Span, hits: list[RuleHit]) -> bool:
    """The main verb's subject is a regulator ("The FDA approved the drug last year", "the agency asked the maker
    for more studies"): what a regulator did is the drug's history, not what a study measured."""
    verb = main_verb(sent)
    if verb is None or not sent.doc.has_annotation("DEP"):
        return False
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return any(h.label == "regulatory" and h.start <= s.i < h.end for h in hits for s in subjects)


#: Determiners of a class a definition puts its subject in ("X is a protein", "Y is an enzyme").
_INDEFINITE = frozenset({"a", "an"})


def defines(sent: Span) -> bool:
    """The sentence says in the present what something is ("NGS is a technique that ...", "Hyaluronic acid is
    a lubricating fluid found in the knee"): a definition, background to a study rather than its result."""
    if not sent.doc.has_annotation("DEP"):
        return False
    root = sent.root
    if root.lemma_ != "be" or root.tag_ not in {"VBZ", "VBP"}:
        return False
    if not any(c.dep_ == "nsubj" for c in root.children):
        return False
    return any(
        c.dep_ == "attr" and c.pos_ in {"NOUN", "PROPN"} and any(d.dep_ == "det" and d.lower_ in _INDEFINITE for d in c.children)
        for c in root.children
    )


def background_hit(hits: list[RuleHit]) -> bool:
    """One of the sentence's cues says how common a condition is in a population ("Americans")."""
    return any(h.rule is not None and h.rule.background for h in hits)


def carried_labels(sent: Span, hits: list[RuleHit], labels: set[str]) -> set[str]:
    """The labels that carry a study's results into a later paragraph, less two that read as background
    in the present tense: a comparison with a population ("Compared with women who ..., women with
    cancer are at greater risk", a ``comparison`` cohort rule) and a finding stated in the present
    perfect passive ("it has been shown to increase pain"), what is known rather than what the study found."""
    if past_tense(sent):
        return labels
    carried = set(labels)
    cohorts = [h for h in hits if h.label == "cohort_ref"]
    if cohorts and all(h.rule is not None and h.rule.comparison for h in cohorts):
        carried.discard("cohort_ref")
    findings = [h for h in hits if h.label == "finding"]
    if findings and all(_known(sent.doc[h.start]) for h in findings):
        carried.discard("finding")
    return carried


def _known(verb: Token) -> bool:
    """"has been shown", "have been linked": a present-perfect passive states what is known."""
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    return verb.tag_ == "VBN" and "been" in aux and bool(aux & {"has", "have"})
