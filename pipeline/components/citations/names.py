"""Token-level readings shared by the citation finders: names, years, recency and surnames."""

from __future__ import annotations

import re

from healthclaims.components.citations.lexicon import CitationRules
from healthclaims.components.common import doc_index, surname_left_out
from spacy.tokens import Doc, Span, Token


def is_name(rules: CitationRules, token: Token, allow_num: bool = False) -> bool:
    """A capitalised word that may belong to a name (a year too, with ``allow_num``)."""
    if allow_num and token.like_num and len(token.text) == 4:
        return True
    if not token.text[:1].isupper() or token.is_punct:
        return False
    # Months and weekdays are capitalised but end a journal title ("in the April issue").
    return token.lower_ not in rules.words("NAME_STOPS")


#: Apostrophes a surname may hold ("O’Donovan", "D'Amico").
_APOSTROPHES = re.compile("[’']")
#: Words that open a clause rather than a journal's subtitle after a colon.
_CLAUSE_OPENERS = frozenset({"the", "a", "an", "this", "these", "those", "it", "they", "we", "in", "for"})


def grow(rules: CitationRules, doc: Doc, i: int, j: int, left: bool = True, allow_num: bool = False) -> tuple[int, int]:
    """Extend the name ``doc[i:j]`` over capitalised words and inner connectors, within the sentence."""
    sent = doc_index(doc).sentence_of_token(i)
    connectors = rules.words("NAME_CONNECTORS")
    while j < sent.end:
        tok = doc[j]
        if (
            is_name(rules, tok, allow_num)
            or tok.text == "&"
            # a hyphenated name, joined without spaces ("Ben-Gurion University", "Wilkes-Barre")
            or tok.text == "-"
            and j > sent.start
            and is_name(rules, doc[j - 1])
            and not doc[j - 1].whitespace_
            and not tok.whitespace_
            and j + 1 < sent.end
            and is_name(rules, doc[j + 1])
            # two bodies joined without spaces, as on a joint guideline ("the X Association/Y College")
            or tok.text == "/"
            and j > i
            and not doc[j - 1].whitespace_
            and not tok.whitespace_
            and j + 1 < sent.end
            and is_name(rules, doc[j + 1])
            or tok.lower_ in connectors
            and tok.text.islower()
            and j + 1 < sent.end
            and (
                is_name(rules, doc[j + 1])
                or (doc[j + 1].lower_ == "the" and j + 2 < sent.end and is_name(rules, doc[j + 2]))
            )
            # a possessive inside a name after "of" or "and" ("Journal of Alzheimer's Disease", "Brigham and Women's
            # Hospital"), not a publisher's before its journal ("the X Society's Journal of Y", "Nature's Y Reports")
            or tok.text in ("'s", "’s")
            and j - 2 >= i
            and doc[j - 2].lower_ in connectors
            and doc[j - 2].text.islower()
            and not doc[j - 1].whitespace_
            and j + 1 < sent.end
            and is_name(rules, doc[j + 1])
            # a journal's subtitle after a colon ("Circulation: Heart Failure"), not a clause ("X: The ...")
            or tok.text == ":"
            and j > i
            and not doc[j - 1].whitespace_
            and j + 2 < sent.end
            and is_name(rules, doc[j + 1])
            and doc[j + 1].lower_ not in _CLAUSE_OPENERS
            and (is_name(rules, doc[j + 2]) or doc[j + 2].lower_ in connectors)
        ):
            j += 1
        else:
            break
    while left and i - 1 > sent.start and is_name(rules, doc[i - 1]):
        i -= 1
    while j > i + 1 and (doc[j - 1].lower_ in connectors or doc[j - 1].text == "&"):
        j -= 1
    return i, j


def is_recent(rules: CitationRules, sent: Span) -> tuple[bool, int]:
    """Whether the words date the publication relative to the article (and by how many years)."""
    cues = rules.words("RECENT_CUES")
    recent = any(t.lower_ in cues and (t.lower_ != "may" or t.text == "May") for t in sent)
    offset = -1 if any(c.regex.search(sent.text) for c in rules.regexes("LAST_YEAR")) else 0
    return recent or offset != 0, offset


def surname(rules: CitationRules, tokens: list[Token]) -> str | None:
    """The surname of a written name: its last word that is not a suffix or an initial.

    A hyphenated surname is one token or three ("Garcia-Lopez", "Garcia - Lopez"): kept whole.
    """
    suffixes = rules.words("NAME_SUFFIXES")
    # "O’Donovan", "D'Amico": an apostrophe inside a surname keeps it a word
    names = [t for t in tokens if t.lower_ not in suffixes and _APOSTROPHES.sub("", t.text).isalpha() and len(t.text) > 1]
    if not names:
        return None
    last = names[-1]
    doc = last.doc
    if surname_left_out(doc, last.i + 1):
        last = doc[last.i + 1]  # "Dr. Jean-Yves Reginster": the tagger ended the name at the given name
    k = last.i
    while k >= 2 and doc[k - 1].text in ("-", "‐") and not doc[k - 1].whitespace_ and not doc[k - 2].whitespace_:
        k -= 2
    return doc[k : last.i + 1].text


def name_after(rules: CitationRules, doc: Doc, k: int, end: int) -> list[Token]:
    """The capitalised run that names a person from token ``k`` (suffixes and commas skipped)."""
    suffixes = rules.words("NAME_SUFFIXES")
    while k < end and (doc[k].lower_ in suffixes or doc[k].text in {",", "and"}):
        k += 1
    run: list[Token] = []
    particles = rules.words("NAME_PARTICLES")
    # An acronym ("the lead researcher and ACME economist") is an organisation, not a person's name.
    while (
        k < end
        and (doc[k].text[:1].isupper() or _inner_hyphen(doc, k) and run or _particle(doc, k, end, particles) and run)
        and not (doc[k].is_upper and len(doc[k]) > 1 and doc[k].is_alpha)
        and (doc[k].pos_ in ("PROPN", "NOUN", "ADJ", "VERB") or _inner_hyphen(doc, k) or doc[k].lower_ in particles)
    ):
        run.append(doc[k])
        k += 1
    while run and run[-1].is_punct:
        run.pop()
    # "led by Quilby University", "led by Saint Zorb's University": an institution, not a person.
    places = rules.words("RESEARCH_PLACES")
    after = doc[k + 1] if k + 1 < end and doc[k].tag_ == "POS" else None
    if any(t.lower_ in places for t in run) or after is not None and after.lower_ in places:
        return []
    return run


def _particle(doc: Doc, i: int, end: int, particles: frozenset[str]) -> bool:
    """A lower-case surname particle inside a name ("Frank de Vocht", "Anneke van der Walt"):
    followed, after any further particles, by a capitalised word."""
    while i < end and doc[i].text.islower() and doc[i].lower_ in particles:
        i += 1
    return i < end and doc[i].text[:1].isupper() and doc[i].is_alpha


def _inner_hyphen(doc: Doc, i: int) -> bool:
    return (
        doc[i].text in ("-", "–", "‐")
        and 0 < i < len(doc) - 1
        and not doc[i - 1].whitespace_
        and not doc[i].whitespace_
    )


def inner_hyphen(doc: Doc, i: int) -> bool:
    """A hyphen inside a word ("active-duty"), which does not end a phrase."""
    return _inner_hyphen(doc, i)


def dateline_year(rules: CitationRules, text: str) -> int | None:
    """The year of the article's dateline near the top ("TUESDAY, June 3, 2014 (HealthDay News)")."""
    head = text[:1500]
    for compiled in rules.regexes("DATELINE"):
        for match in compiled.regex.finditer(head):
            line_start = head.rfind("\n", 0, match.start()) + 1
            # A dateline opens its line; a date deep inside a sentence is a study's date.
            if match.start() - line_start <= 40:
                return int(match.group("year"))
    return None


#: What a study under way is doing ("A trial is testing ...", "The study is recruiting ...").
_ONGOING = frozenset(
    {"test", "recruit", "enroll", "enrol", "evaluate", "assess", "investigate", "explore", "track", "examine", "seek"}
)


def planned(noun: Token, plan_verbs: frozenset[str]) -> bool:
    """"He is about to start a new study", "they plan to run a trial": a study still to come, no work to look up."""
    verb = noun.head
    progressive = verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.lower_ in ("is", "are", "'s", "’s") for c in verb.children)
    if noun.dep_ == "nsubj" and progressive and verb.lemma_ in _ONGOING:
        return True  # "A new trial is testing a cream": under way, no results to look up yet
    if noun.dep_ != "dobj":
        return False
    # "JDRF is funding a trial in Britain", "they are running a study": still under way, nothing to look up yet
    ongoing = verb.tag_ == "VBG" and verb.lemma_ in plan_verbs and any(
        c.dep_ == "aux" and c.lower_ in ("is", "are", "am", "'s", "’s") for c in verb.children
    )
    return ongoing or verb.lower_ in plan_verbs and verb.tag_ == "VB"


def topic_before_journal(doc: Doc, i: int) -> bool:
    """A lower-case word of the journal's field right before the word journal ("in the headache journal
    Cephalalgia", "the cancer journal X"): part of the lead to the name, not a name."""
    return (
        doc[i].is_alpha and doc[i].text.islower() and doc[i].pos_ in ("NOUN", "ADJ", "PROPN")
        and any(doc[k].lower_ == "journal" for k in range(i + 1, min(i + 3, len(doc))))
    )


def written_by(rules: CitationRules, noun: Token, end: int) -> str | None:
    """"a literature review by Jane Roe": the person after "by" in the study's own span is its author."""
    for child in noun.rights:
        if child.dep_ != "prep" or child.lower_ != "by" or child.i >= end:
            continue
        obj = next((c for c in child.children if c.dep_ == "pobj"), None)
        if obj is None or obj.ent_type_ != "PERSON":
            return None
        person = next(ent for ent in noun.doc.ents if ent.start <= obj.i < ent.end)
        return surname(rules, list(person))
    return None
