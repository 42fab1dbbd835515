"""What is not a claim: questions, fragments, advice, notes about publication, references, headings,
descriptions of people and anecdotes (ANNOTATION.md, "Not claims"); study methods, plans and funding
notes are in ``design``.
"""

from __future__ import annotations

import re
import weakref

from healthclaims.components.claims.design import COPULAS, SUBJECT_DEPS, designs, main_heads, past_tense
from healthclaims.components.claims.rules import CLAIM_TYPES
from healthclaims.components.claims.units import Unit, root, span_of
from healthclaims.components.common import QUOTE_CHARS, doc_text, is_title_case
from healthclaims.components.quotes.rules import default_rules
from healthclaims.types import CitationHit, results
from spacy.tokens import Doc, Token

#: Subjects that make a "found"/"tried" sentence a personal experience rather than a finding.
PERSONAL_PRONOUNS = frozenset({"i", "he", "she", "we", "my", "his", "her"})
#: "We found" is usually a research team speaking; "I/she found" a personal experience.
EXPERIENCERS = frozenset({"i", "he", "she"})
#: Subjects whose past-tense doings are a story about one person, not a finding about many.
STORY_SUBJECTS = frozenset({"i", "he", "she", "my", "his", "her"})
#: Determiners that make such a noun one particular person.
ONE_OF = frozenset({"a", "an", "the", "this", "that", "one"})
#: Words a roman numeral follows ("Schedule I", "Phase I", "Type I"): there "I" is no speaker.
NUMBERED = frozenset({"schedule", "class", "phase", "type", "stage", "grade", "level", "category", "tier", "part", "war"})
#: Whom a story's teller told something ("doctors told her the operation had caused ..."): one person's story.
TOLD = frozenset({"her", "him"})
#: Labels whose rules say a sentence reports research or speech, which no anecdote filter overrides.
REPORTS = frozenset({"reporting", "finding", "study_ref"})
#: Characters a sentence of running text ends with (a heading ends with none of them).
CLOSING = tuple(".!?:;)…") + tuple(QUOTE_CHARS)
#: Titles before a surname that make it a person's name.
PERSON_TITLES = frozenset({"dr.", "dr", "mr.", "mr", "mrs.", "mrs", "ms.", "ms", "prof.", "professor"})
#: Marks that set off a clause of its own after an imperative ("don't give up - it is possible").
DASHES = frozenset({"-", "—", "–", ":", ";"})
#: The lines under a headline ("deck") fit in this many characters, each in DECK_LINE.
DECK_CHARS = 600
DECK_LINE = 160
#: Labels of cues that assert something: outside a citation's span, they make a claim of the sentence.
ASSERTING = frozenset({"efficacy", "safety", "prevalence", "mechanism", "regulatory", "finding"})


def rejected(doc: Doc, unit: Unit, text: str, citations: list[CitationHit], min_words: int) -> bool:
    """True when the unit is not a claim, whatever its score."""
    labels = unit.labels()
    return (
        _surface(unit, text, labels, min_words)
        or designs(doc, unit, labels)
        or _not_prose(doc, unit, citations)
        or _by_subject(doc, unit, labels)
    )


def _surface(unit: Unit, text: str, labels: set[str], min_words: int) -> bool:
    """Questions, fragments, advice, and notes on method, funding and plans (by their words alone)."""
    if text.rstrip(QUOTE_CHARS + " ,.").endswith("?"):
        return True
    if sum(1 for w in text.split() if any(c.isalpha() for c in w)) < min_words:
        return True
    if "advice" in labels:
        return True
    if unit.quote is None and text.rstrip().endswith(":") and not _finds(unit) and not _has_figure(unit):
        return True  # "The recommendations include:": a lead-in to a list, whose items carry the claims
    # "this could change everything", "sessions are free of charge": rhetoric and services
    return any(h.rule is not None and h.rule.rejects for h in unit.hits) and not _finds(unit) and not (
        _has_figure(unit) and not any(h.label == "commerce" for h in unit.hits)
    )


def _finds(unit: Unit) -> bool:
    """A finding cue, other than the verb that only reports a price ("X estimates the drug costs $10 a dose")."""
    commerce = any(h.label == "commerce" for h in unit.hits)
    return any(
        h.label == "finding" and not (commerce and any(r.label == "reporting" and r.start == h.start for r in unit.hits))
        for h in unit.hits
    )


def _not_prose(doc: Doc, unit: Unit, citations: list[CitationHit]) -> bool:
    """Publication notes, labels without a verb, reference entries and title-cased headings."""
    labels = unit.labels()
    head = root(doc, unit)
    if "publication" in labels and "finding" not in labels and about_publication(doc, unit, head):
        return True
    # ... "she found that the group that trained had 33 percent less risk": a researcher's finding on a study's group
    if "experience" in labels and "study_ref" not in labels and not {"cohort_ref", "statistic"} <= labels and _experienced(doc, unit):
        return True
    if "outside" in labels and "finding" not in labels and _not_involved(doc, unit, head):
        return True
    span = span_of(doc, unit)
    if span is not None and unit.sent > 0 and not any(t.pos_ in {"VERB", "AUX"} for t in span):
        return True  # no verb: a reference-list entry or a label, not an assertion (headlines may lack one)
    if _mostly_reference(doc, unit, citations):
        return True  # the reference itself
    if span is not None and unit.sent > 0:
        words = [t.text for t in span if t.is_alpha and len(t) > 3]
        if len(words) >= 4 and is_title_case(words):
            return True  # the title of a paper or a section, not a sentence of the article
    text = doc_text(doc)
    return unit.sent > 0 and unit.quote is None and _heading(text, unit) and not _in_deck(text, unit)


def _heading(text: str, unit: Unit) -> bool:
    """A line of its own without closing punctuation after the headline: a section heading
    ("Scorpion venom may lead to new treatments"), whatever its case."""
    own_line = (unit.start == 0 or text[unit.start - 1] == "\n") and text[unit.end : unit.end + 1] in ("", "\n")
    return own_line and not text[unit.start : unit.end].rstrip().endswith(CLOSING)


def _in_deck(text: str, unit: Unit) -> bool:
    """The unit is one of the lines under the headline that sum up the story before its first paragraph
    ("Keeping weight off keeps the condition away"): a headline of its own, not a section heading. Every
    line before it is then a short line without closing punctuation (headline, bylines)."""
    before = text[: unit.start]
    if len(before) > DECK_CHARS:
        return False
    lines = [line.strip() for line in before.split("\n") if line.strip()]
    return bool(lines) and all(len(line) <= DECK_LINE and not line.endswith(CLOSING) for line in lines)


#: Words of a mention that place a work in a journal or at a meeting ("published today in the journal X").
_PLACED = re.compile(r"\b(?:published|presented|appears?|appeared|journal)\b", re.IGNORECASE)


def _mostly_reference(doc: Doc, unit: Unit, citations: list[CitationHit]) -> bool:
    """Most of the unit is a citation span and nothing outside it asserts a result: a reference entry
    or a note on a paper, not "A study of 1,108 teenagers published in May found that ... reduced ...".
    A later mention of a cited work that says where it appeared counts too ("Their results are published
    today in the journal X." when the work's own span is its reference entry), not "the recent trial"."""
    spans = [(c.start, c.end) for c in citations] + [
        (m.start, m.end) for c in citations for m in c.mentions if _PLACED.search(m.text)
    ]
    inside = [(s, e) for s, e in spans if s < unit.end and unit.start < e]
    covered = sum(min(e, unit.end) - max(s, unit.start) for s, e in inside)
    if covered < 0.5 * (unit.end - unit.start):
        return False
    for hit in unit.hits:
        start, end = doc[hit.start].idx, doc[hit.end - 1].idx + len(doc[hit.end - 1])
        if any(s < end and start < e for s, e in inside):
            continue
        if hit.label in ASSERTING:
            return False
    return True


def _experienced(doc: Doc, unit: Unit) -> bool:
    """"she finds that ...", "I tried ...": one person's experience is an anecdote, not evidence."""
    return any(
        hit.label == "experience"
        and any(c.dep_ in SUBJECT_DEPS and c.lower_ in EXPERIENCERS for c in doc[hit.start].children)
        for hit in unit.hits
    )


def _not_involved(doc: Doc, unit: Unit, head: Token | None) -> bool:
    """"He was not involved in the new study", "Roe is not one of the researchers behind it": the main clause
    says who took no part in a study, a note on a person; "X, who was not involved, said it works" keeps its claim."""
    if head is None or not any(_is_person(s) or _speaker_name(s) for s in subjects_of(head)):
        return False
    return any(
        hit.label == "outside" and any(t.i == head.i or t.head.i == head.i for t in doc[hit.start : hit.end])
        for hit in unit.hits
    )


def subjects_of(head: Token) -> list[Token]:
    """The subjects of a clause; the parser may hang them on the auxiliary ("it didn't work")."""
    return [c for c in head.children if c.dep_ in SUBJECT_DEPS] or [
        g for c in head.children if c.dep_ == "aux" for g in c.children if g.dep_ in SUBJECT_DEPS
    ]


def _by_subject(doc: Doc, unit: Unit, labels: set[str]) -> bool:
    """Imperatives, advice to the reader, anecdotes and descriptions of people (by the main clause)."""
    head = root(doc, unit)
    if head is None:
        return False
    subjects = subjects_of(head)
    has_modal = any(c.tag_ == "MD" for c in head.children)
    if head.tag_ == "VB" and not subjects and not has_modal and not _asserts_clause(head):
        return True  # an imperative: advice with no assertion
    if _told_in_first_person(doc, unit, labels) or _narrated(head, unit):
        return True
    if _practice(doc, unit, labels) or _aged_person(doc, unit, labels) or _testimonial(head, unit, labels):
        return True
    if not subjects:
        return False
    subject = subjects[0]
    if story(subject, head, labels, unit) or _reported_story(head, unit, labels):
        return True
    # advice in the main clause, or in the clause one person reports ("he says adults should start slowly");
    # what a panel or a majority of experts says patients should do is a guideline, a claim
    clauses = main_heads(doc, unit) if any(_is_person(s) for s in subjects) else {head.i}
    if any(_advises(doc[i], unit, labels) for i in clauses):
        return True
    return _about_person(subject, head, labels, unit)


def _advises(head: Token, unit: Unit, labels: set[str]) -> bool:
    """The clause tells an addressee what to do: "patients should wear ...", "parents need to weigh ..."."""
    subjects = subjects_of(head)
    if not subjects or "addressee" not in labels:
        return False
    subject = subjects[0]
    obliged = "obligation" in labels and any(
        c.dep_ == "aux" and h.label == "obligation" and h.start == c.i for c in head.children for h in unit.hits
    )
    addressed = any(h.label == "addressee" and h.start == subject.i for h in unit.hits)
    if obliged and addressed and head.tag_ == "VB":
        return True  # "patients should wear ...": advice to the reader
    return addressed and _needs_to(head, unit)  # "parents need to weigh the benefits ...": no modal


def _asserts_clause(head: Token) -> bool:
    """An imperative that carries a statement of its own: "don't forget that 70% of ... do not have it",
    "don't give up - improvement is possible" (a that-clause, or a clause with its own subject after a dash)."""
    for child in head.children:
        if child.dep_ == "ccomp" and any(g.dep_ == "mark" and g.lower_ == "that" for g in child.children):
            return True
        own_subject = child.dep_ in {"parataxis", "ccomp"} and any(g.dep_ in SUBJECT_DEPS for g in child.children)
        if own_subject and child.i > head.i and any(t.text in DASHES for t in head.doc[head.i : child.i]):
            return True
        # a clause with its own subject before a dash or colon: "the outlook is grim: a third die within a year"
        # (the parser takes the verb after the colon for an imperative)
        if own_subject and child.i < head.i and any(t.text in DASHES for t in head.doc[child.i : head.i]):
            return True
    return False


def _practice(doc: Doc, unit: Unit, labels: set[str]) -> bool:
    """"Dr. X performs both knees at once", "he doesn't operate on patients over 80": one clinician's way of
    working, told in the present tense with I/he/she or a named person as subject, reports no finding."""
    if "finding" in labels or _has_figure(unit):
        return False
    for hit in unit.hits:
        if hit.label != "habit":
            continue
        verb = doc[hit.start]
        present = verb.tag_ in {"VBZ", "VBP"} or (
            verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ in {"does", "do"} for c in verb.children)
        )
        if present and verb.pos_ in {"VERB", "AUX"} and any(_is_person(c) for c in subjects_of(verb)):
            return True
    return False


def _is_person(token: Token) -> bool:
    """I/he/she, or a person's name (not "we": a research team speaks as "we"); the tagger often misses a
    surname after a title ("Dr. Ferno"), so a title makes a name a person's."""
    if token.lower_ in EXPERIENCERS:
        return True
    titled = token.i > 0 and token.doc[token.i - 1].lower_ in PERSON_TITLES
    return token.pos_ == "PROPN" and (token.ent_type_ == "PERSON" or titled)


def _aged_person(doc: Doc, unit: Unit, labels: set[str]) -> bool:
    """"Jo Roe, 63, had both knees replaced": a person introduced with their age is a patient in a story;
    what they did or said is an anecdote wherever their name is the subject, unless it reports a finding
    or a measured result ("Roe went from two steps to walking 30 yards")."""
    if "finding" in labels or _has_figure(unit):
        return False
    aged = _aged_names(doc)
    if not aged:
        return False
    head = root(doc, unit)
    heads = [head] if head is not None else []
    heads += [c for h in heads for c in h.children if c.dep_ == "conj"]
    # the subject, or whose it is ("Roe's doctor suggested a brace"), or who a patient is ("one of them is Jo Roe, 63")
    people = [s for h in heads for s in subjects_of(h)]
    people += [c for h in heads if h.lower_ in COPULAS for c in h.children if c.dep_ == "attr"]
    people += [c for s in people for c in s.children if c.dep_ == "poss"]
    return any(s.pos_ == "PROPN" and s.text in aged for s in people)


def _testimonial(head: Token, unit: Unit, labels: set[str]) -> bool:
    """"The gas helped Jo Roe after she fell": what a treatment once did for one named person (the past
    tense, a person's name as object) is a testimonial, not evidence."""
    if "finding" in labels or _has_figure(unit) or not _past_or_perfect(head):
        return False
    return any(c.dep_ == "dobj" and c.pos_ == "PROPN" and _is_person(c) for c in head.children)


def _aged_names(doc: Doc) -> set[str]:
    """The names of people the article gives an age right after their name ("Jo Roe, 63,"), read from the
    parse (the tagger often takes such a name for something else than a person), once per Doc."""
    if doc not in _AGED:
        _AGED[doc] = {
            t.text
            for t in doc
            if t.pos_ == "PROPN"
            and t.i + 2 < len(doc)
            and doc[t.i + 1].text == ","
            and any(_an_age(c, t) for c in t.children if c.dep_ == "appos")
        }
    return _AGED[doc]


def _an_age(appos: Token, name: Token) -> bool:
    """The apposition right after a name gives an age: "Jo Roe, 63," or "Jo Roe, a 63-year-old nurse,"."""
    if appos.i == name.i + 2 and appos.is_digit:
        return 0 < int(appos.text) < 120
    return _YEARS_OLD.match(appos.doc[name.i + 2 : appos.i + 1].text) is not None


_YEARS_OLD = re.compile(r"an? \d{1,3}[- ]years?[- ]old\b", re.IGNORECASE)
_AGED: weakref.WeakKeyDictionary[Doc, set[str]] = weakref.WeakKeyDictionary()  # every claim unit asks


def _told_in_first_person(doc: Doc, unit: Unit, labels: set[str]) -> bool:
    """"For six weeks, I had to sleep on my back", "it gave me relief": a speaker telling what happened to
    them is an anecdote wherever the parser puts the root (long coordinations often hang "I had" under
    another verb)."""
    span = span_of(doc, unit)
    if span is None or not _reports_nothing(doc, unit, labels):
        return False
    # "I had", "my pain went away", or what something did to the speaker ("it gave me relief")
    return any(
        (
            (_is_i(t) or any(c.dep_ == "poss" and c.lower_ == "my" for c in t.children)) and t.dep_ in SUBJECT_DEPS
            or t.lower_ == "me" and t.dep_ in {"dobj", "dative", "iobj"}
        )
        and _past_or_perfect(t.head)
        for t in span
    )


def _narrated(head: Token, unit: Unit) -> bool:
    """The writer telling their own story outside any quote: "I get them less often now", "my body changed",
    "but it worked for me". The main clause has "I" or "my X" as subject, or "me" after its verb; a reporting
    verb ("surgeons I contacted say", "she told me") or a that-clause ("I am sure that ...") carries what
    someone else says or found, and a study's people make it a result."""
    if unit.quote is not None or any(h.label in {"reporting", "cohort_ref"} for h in unit.hits) or _has_figure(unit):
        return False  # a figure keeps a clinician's count a result ("I treated 40 patients and 30 percent ...")
    heads = [head] + [c for c in head.children if c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"}]
    if any(t.dep_ == "mark" and t.lower_ == "that" for h in heads for t in h.subtree):
        return False
    for verb in heads:
        for c in verb.children:
            if c.dep_ in SUBJECT_DEPS and (_is_i(c) or any(g.dep_ == "poss" and g.lower_ == "my" for g in c.children)):
                return True
            if c.dep_ in {"dobj", "dative"} and c.lower_ == "me":
                return True
            if c.dep_ in {"prep", "dative"} and c.lower_ in {"for", "to"} and any(g.lower_ == "me" for g in c.children):
                return True
    return False


def _is_i(token: Token) -> bool:
    """The pronoun "I", not the roman numeral of "Schedule I", "Phase I", "Type I"."""
    return token.lower_ == "i" and not (token.i > 0 and token.doc[token.i - 1].lower_ in NUMBERED)


def _past_or_perfect(verb: Token) -> bool:
    """What has happened: a past tense ("I had", "he was asked"), or a present perfect ("my pain has gone away")."""
    if past_tense(verb):
        return True
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ in {"has", "have", "'ve", "'s"} for c in verb.children)


def _reports_nothing(doc: Doc, unit: Unit, labels: set[str]) -> bool:
    """No finding, speech or study group, and no figure beyond how long or how often something lasted
    ("three times weekly" is a frequency even where a figure rule also matches "three times"). A reporting
    verb with an object and no clause ("he suggested changes") is something done, not speech."""
    if labels & ((REPORTS - {"reporting"}) | {"cohort_ref"}):
        return False
    if any(h.label == "reporting" and _speaks(doc[h.start]) for h in unit.hits):
        return False
    return not _has_figure(unit)


def _speaks(verb: Token) -> bool:
    """A reporting verb used for speech: it reports a clause or has no direct object ("..., he said")."""
    children = list(verb.children)
    if any(c.dep_ in {"ccomp", "parataxis"} for c in children):
        return True
    return not any(c.dep_ == "dobj" for c in children)


def _has_figure(unit: Unit) -> bool:
    """A statistic cue that is not (inside) a duration or a frequency."""
    spans = [(h.start, h.end) for h in unit.hits if h.rule is not None and h.rule.duration]
    return any(
        h.label == "statistic"
        and not (h.rule is not None and h.rule.duration)
        and not any(s <= h.start and h.end <= e for s, e in spans)
        for h in unit.hits
    )


def _needs_to(head: Token, unit: Unit) -> bool:
    """The main verb is an obligation word governing a bare infinitive ("need to weigh", "needs to
    understand"): what someone ought to do, not what is so."""
    if not any(h.label == "obligation" and h.start == head.i for h in unit.hits):
        return False
    doc = head.doc
    # the infinitive right after "need to" ("need to weigh", "need to be better trained"): "need dialysis ... to
    # survive" states a need, not a duty
    return any(
        c.dep_ in {"xcomp", "ccomp"} and c.tag_ in {"VB", "VBN"} and c.left_edge.i == head.i + 1 and doc[head.i + 1].lower_ == "to"
        for c in head.children
    )


def _about_person(subject: Token, head: Token, labels: set[str], unit: Unit) -> bool:
    """"Dr. X is director of ...", "X moved to Boston": a description of a person or a story about them."""
    # A title-cased headline can make the parser read "Magnet Therapy" as a person: a subject that
    # is itself a claim word is not one.
    entity = subject.ent_type_ == "PERSON"
    named = (entity or _speaker_name(subject)) and not any(
        h.start <= subject.i < h.end and h.score_label in CLAIM_TYPES + ("_health",) for h in unit.hits
    )
    if not (named or subject.lower_ in PERSONAL_PRONOUNS):
        return False
    if head.lower_ in COPULAS and any(h.label == "role" for h in unit.hits) and "finding" not in labels:
        return True  # (but "X is the lead author of a study that found ..." reports the finding)
    past = head.tag_ == "VBD" or any(c.dep_ == "aux" and c.tag_ == "VBD" for c in head.children)
    if named and (past or (entity and unit.sent > 0)) and not labels & REPORTS:
        # A story about a named person, not a claim. In a title-cased headline the tagger takes
        # names of methods for people ("Tai Chi improves symptoms"): there only the past tense tells.
        return unit.quote is None
    return False


def _speaker_name(token: Token) -> bool:
    """The token is the surname of a person the article quotes (the tagger often misses a foreign name)."""
    return token.pos_ == "PROPN" and any(
        s.kind == "person" and s.name.split() and s.name.split()[-1] == token.text for s in results(token.doc, "hc_speakers")
    )


def about_publication(doc: Doc, unit: Unit, head: Token | None) -> bool:
    """A publication cue makes a note about where a study appeared only when it is the main clause
    ("The study was published in ..."); "X works, according to research presented at ..." is a claim."""
    if head is None or head.pos_ not in {"VERB", "AUX"}:
        return True  # a caption or a label around a publication note
    for hit in unit.hits:
        if hit.label != "publication":
            continue
        if any(t.i == head.i or t.head.i == head.i for t in doc[hit.start : hit.end]):
            return True
    return False


def story(subject: Token, head: Token, labels: set[str], unit: Unit) -> bool:
    """What one person did ("She stepped onto the terrace", "My back pain went away") is an anecdote:
    a past-tense main verb whose subject is I/he/she or someone's own thing, in a sentence that
    reports no finding, no speech and no figure."""
    if not _past_or_perfect(head):
        return False
    if not _reports_nothing(head.doc, unit, labels):
        return False  # a measured result ("his pace was twice as fast") is data, even about one patient
    return _one_person(subject)


def _one_person(subject: Token) -> bool:
    """I/he/she, someone's own thing ("my back pain"), or one particular person ("a woman who ...", "the man")."""
    if subject.lower_ in STORY_SUBJECTS:
        return True
    if any(c.dep_ == "poss" and c.lower_ in {"my", "his", "her"} for c in subject.children):
        return True
    return subject.tag_ == "NN" and subject.lower_ in person_nouns() and any(
        c.dep_ == "det" and c.lower_ in ONE_OF for c in subject.children
    )


def person_nouns() -> frozenset[str]:
    """Nouns for one person ("a woman who dislocated her shoulder asked ...", "the man had also suffered ..."):
    the quotes extractor's ``person_noun`` words (models/speaker_titles.jsonl), the one list of them."""
    return default_rules().lex.words.get("person_noun", frozenset())


def _reported_story(head: Token, unit: Unit, labels: set[str]) -> bool:
    """A story told by a speaker: "she got suddenly better, her doctor said", "since then, he said, he has treated
    a dozen patients", "a woman who ... asked not to be given opioids, X said", "doctors told her the operation
    had caused it". The clause reported (or the one a parenthetical "he said" sits in) has one person as subject
    and a past or perfect verb; a finding, a study's people or a figure keep the sentence a claim."""
    if labels & {"finding", "study_ref", "cohort_ref"} or _has_figure(unit):
        return False
    reporting = {h.start for h in unit.hits if h.label == "reporting"}
    if head.i in reporting:
        if _past_or_perfect(head) and any(c.dep_ in {"dobj", "dative"} and c.lower_ in TOLD for c in head.children):
            return True
        clauses = [c for c in head.children if c.dep_ == "ccomp"]
    elif any(head.doc[i].dep_ == "parataxis" for i in reporting):
        # "his pain eased, he said, but by evening he was back in bed": the clauses around the parenthesis
        clauses = [head] + [c for c in head.children if c.dep_ in {"ccomp", "conj"}]
    else:
        return False
    return any(_past_or_perfect(c) and any(_one_person(s) for s in subjects_of(c)) for c in clauses)
