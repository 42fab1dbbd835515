"""Prose citations that need no known venue: meetings, organisations' figures, editorials,
dated studies ("a 2019 Cochrane review") and indefinite studies "published" somewhere.
"""

from __future__ import annotations

import itertools
import re

from healthclaims.components.citations.data import CitationRule
from healthclaims.components.citations.lexicon import CitationRules
from healthclaims.components.citations.names import (
    grow,
    inner_hyphen,
    is_name,
    is_recent,
    name_after,
    planned,
    surname,
    written_by,
)
from healthclaims.components.citations.work import Work
from healthclaims.components.common import CLOSE_DOUBLE, OPEN_DOUBLE, doc_index
from spacy.tokens import Doc, Span, Token

#: A meeting's ordinal number written in figures ("12th", "3rd").
_ORDINAL = re.compile(r"\d{1,3}(?:st|nd|rd|th)")


def meeting(rules: CitationRules, doc: Doc, rule: CitationRule, s: int, e: int) -> Work | None:
    """A presentation at a named meeting: "presented at the 2015 annual ACR meeting"."""
    sent = doc_index(doc).sentence_of_token(s)
    words = rules.words("MEETING_WORDS")
    connectors = rules.words("NAME_CONNECTORS")

    def part(k: int) -> bool:
        return k < sent.end and (
            is_name(rules, doc[k], allow_num=True)
            or doc[k].lower_ in words
            or _ORDINAL.fullmatch(doc[k].lower_) is not None  # "the Society's 12th International Conference"
            or doc[k].text == "&"
            # "Advances in Alzheimer's Therapy": a possessive inside a capitalised name; "the Society of
            # Interventional Radiology's annual meeting", "... Radiology's 2018 Annual Meeting": a society's meeting.
            or doc[k].lower_ in ("'s", "’s")
            and k + 1 < sent.end
            and (is_name(rules, doc[k + 1]) or doc[k + 1].lower_ in words or _ORDINAL.fullmatch(doc[k + 1].lower_)
                 or rules.first_regex("YEAR").fullmatch(doc[k + 1].text) is not None or _acronym_at(k + 1))
        )

    def _acronym_at(k: int) -> bool:
        # "the Society for X's (SX) Annual Meeting": the body's initials in parentheses inside the name
        return k + 3 < sent.end and doc[k].text == "(" and doc[k + 1].is_upper and doc[k + 2].text == ")" and part(k + 3)

    j = e - 1
    while j < sent.end:
        if _acronym_at(j):
            j += 3  # "Advances in Alzheimer's Therapy (AAT) congress": an acronym inside the name
            continue
        if (
            part(j)
            or doc[j].text in ("/", "-")
            and not doc[j - 1].whitespace_
            and not doc[j].whitespace_
            and part(j + 1)
            or doc[j].lower_ in connectors
            and doc[j].text.islower()
            and doc[j + 1].ent_type_ not in ("GPE", "LOC")
            and (part(j + 1) or (doc[j + 1].lower_ == "the" and part(j + 2)) if j + 1 < sent.end else False)
        ):
            j += 1
        else:
            break
    while j > e - 1 and (doc[j - 1].lower_ in connectors or doc[j - 1].text == "&"):
        j -= 1
    if j - 2 > e and doc[j - 2].lower_ in connectors and doc[j - 1].like_num:
        j -= 2  # "... in Computing Systems in 2012": the year after "in" dates the meeting
    name = doc[e - 1 : j]
    if name and name[0].lower_ == "the":
        name = name[1:]
    # "presented at Harvard" names a place, not a meeting: the name must say meeting, congress...
    if not name or not any(_meeting_noun(t.text, rules.words("MEETING_NOUNS")) for t in name):
        return None
    work = Work(
        doc[s].idx,
        doc[j - 1].idx + len(doc[j - 1]),
        "prose",
        rule.id,
        2,
        venue=name.text,
        venue_key=rules.venue_key(name.text),
        journal=rule.journal,
        meeting=True,
    )
    work.year = rules.year_in(name.text)
    work.recent, work.year_offset = is_recent(rules, sent)
    return work


def _meeting_noun(word: str, nouns: frozenset[str]) -> bool:
    """A meeting noun, alone or closing a name written as one word ("ObesityWeek", "CardioSummit")."""
    low = word.lower()
    return low in nouns or any(
        low.endswith(n) and len(word) > len(n) + 2 and word[-len(n)].isupper() and word[:1].isupper() for n in nouns
    )


def _person_named(doc: Doc, name: Span) -> bool:
    """Whether ``name`` is a person the story names elsewhere: its words are the last words of a
    person's name ("Roe" or "Jane Roe" after "Dr. Jane Roe said")."""
    words = [t.text for t in name]
    for ent in doc.ents:
        if ent.label_ == "PERSON" and not (ent.start <= name.start < ent.end):
            tail = [t.text for t in ent][-len(words) :]
            if len(ent) > len(words) and tail == words:
                return True
    return False


#: Nouns after a name that make it a study's ("the PARADIGM-HF trial"), not a body's.
_STUDY_NOUNS = frozenset({"trial", "trials", "study", "studies", "cohort"})


def org_source(rules: CitationRules, doc: Doc, rule: CitationRule, s: int, e: int) -> Work | None:
    """A named organisation given as the source of a figure ("according to the American Cancer Society")."""
    heads = rules.words("ORGANISATION_HEADS")
    outlets = rules.words("NEWS_OUTLET_HEADS")
    if rule.org_name in ("after", "bare"):
        first = e - 1
        sent_end = doc_index(doc).sentence_of_token(s).end
        _i, j = grow(rules, doc, first + 1, first + 1, left=False) if first + 1 < sent_end else (first, first + 1)
        j = max(j, first + 1)
        name = doc[first:j]
        following = doc[name[-1].i + 1] if name[-1].i + 1 < len(doc) else None
        document = following is not None and following.lower_ in rules.words("ORG_DOCUMENT_NOUNS")
        if following is not None and following.pos_ in ("NOUN", "PROPN") and following.text.islower() and not document:
            return None  # "according to the Harvard researchers": a group of people, not an organisation
        if any(t.lower_ in _STUDY_NOUNS for t in doc[name.end : min(name.end + 4, sent_end)] if not t.is_punct):
            return None  # "data from the PARADIGM-HF trial": a study's data, the study a work of its own
        if doc[first - 1].lower_ in ("a", "an") and not document:
            return None  # "according to a Quill official": only a body's document, not one of its people
        if name[-1].lower_ in outlets:
            return None  # "according to the Washington Post": a news report, not a cited source
        if name[-1].lower_ in rules.words("RESEARCH_GROUPS"):
            return None  # "According to Quill University Researchers" (a title-case line): people, not a body
        is_org = (
            any(t.ent_type_ == "ORG" for t in name)
            or any(t.lower_ in heads for t in name)
            or (len(name) == 1 and name[0].is_upper)
        )
        if not is_org and len(name) < 3:
            return None
        if _person_named(doc, name):
            return None  # "according to Roe", where the story names Jane Roe: a person, not a body
        if rule.org_name == "bare" and (
            not is_org or any(t.ent_type_ in ("PERSON", "GPE", "NORP", "DATE") or t.lower_ in ("dr.", "dr") for t in name)
        ):
            return None  # "according to Jane Roe", "according to Quillville": without "the", only a body's name
        # "a Quill Medical School newsletter": the span runs through the document, the cited work
        span_end = following.i + 1 if following is not None and document else name.end
    else:
        verb = doc[s]
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is None or not (subj.lower_ in heads or subj.ent_type_ == "ORG") or not subj.text[:1].isupper():
            return None
        # A newspaper or a company "reported" news; only a named body (Society, Institute...) gives a figure.
        if subj.lower_ in outlets or (verb.lower_ in rules.words("REPORT_VERBS") and subj.lower_ not in heads):
            return None
        s = subj.left_edge.i
        last = subj.i
        # "The Agency for Healthcare Research and Quality (AHRQ) reported": the name runs to its parenthesis.
        for k in range(subj.i + 1, min(subj.right_edge.i + 1, verb.i)):
            if doc[k].text == "(":
                break
            last = k
        name = doc[s + (doc[s].lower_ == "the") : last + 1]
        if not name or any(t.is_punct for t in name):
            return None
        span_end = verb.i + 1
    venue = name.text
    return Work(
        doc[s].idx,
        doc[span_end - 1].idx + len(doc[span_end - 1]),
        "prose",
        rule.id,
        0,
        group="org",
        venue=venue,
        venue_key="org:" + rules.venue_key(venue),
    )


def named_study(rules: CitationRules, doc: Doc, rule: CitationRule, s: int, e: int) -> Work | None:
    """A study known by its own name ("the Quill Nurses' Health Study", "the Roe Follow-Up Study"): a dataset
    or cohort a reader can look up, its own work beside the story's, one work for all its mentions."""
    name = doc[s + 1 : e]
    words = {t.lower_ for t in name}
    if words & (rules.words("JOURNAL_TITLE_WORDS") | rules.words("NEWS_OUTLET_HEADS")):
        return None  # "the Journal of Quill Study", "the Quill Times study": a venue's name, not a study's
    if s > 0 and doc[s - 1].lower_ in ("for", "of") and doc[e - 1].is_title:
        return None  # "the Institute for the Advanced Study": part of a body's name
    if e < len(doc) and doc[e].is_title and not doc[e].is_sent_start:
        return None  # "the Quill Study Group Study Scale": the name goes on, a scale's or a body's
    work = Work(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), "prose", rule.id, 1, group="dataset")
    work.venue_key = "dataset:" + rules.venue_key(name.text)
    work.other = True
    return work


def editorial(rules: CitationRules, doc: Doc, rule: CitationRule, s: int, e: int) -> Work:
    """An editorial or commentary accompanying the study: its own work, its writer the first author."""
    work = Work(
        doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), "prose", rule.id, 2, group="editorial", study_type="editorial"
    )
    noun = next((t for t in doc[s:e] if t.lower_ in rules.words("EDITORIAL_NOUNS") | {"editorials", "commentaries"}), doc[s])
    verb = noun.head
    if verb.dep_ == "prep" and verb.head.pos_ == "VERB":
        verb = verb.head  # "Roe says in an accompanying editorial", "In an accompanying commentary, Roe notes"
    if verb.pos_ == "VERB":
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.lower_ in rules.words("RELATIVE") and verb.dep_ == "relcl":
            subj = verb.head
            if subj.ent_type_ != "PERSON":
                # "Dr. Ann Roe, a professor at the X School, who wrote ...": the person the clause describes
                sent = doc_index(doc).sentence_of_token(s)
                people = [ent for ent in sent.ents if ent.label_ == "PERSON" and ent.end <= subj.i]
                subj = people[-1][-1] if people else subj
        if subj is not None and subj.pos_ == "PROPN":
            work.first_author = subj.text
    if work.first_author is None and s >= 2 and doc[s - 1].lower_ == "of" and doc[s - 2].lower_ in ("author", "writer"):
        # "Dr. Jane Roe, a professor at X, and the author of an editorial accompanying the study, said"
        sent = doc_index(doc).sentence_of_token(s)
        people = [ent for ent in sent.ents if ent.label_ == "PERSON" and ent.end <= s - 2]
        work.first_author = surname(rules, list(people[-1])) if people else None
    if doc[e - 1].text in OPEN_DOUBLE:
        _titled(rules, doc, work, e)
    return work


def _titled(rules: CitationRules, doc: Doc, work: Work, e: int) -> None:
    """'The editorial, "Title," by Jane Roe, MD': the span runs through the quoted title, and the person
    after "by" wrote it."""
    sent = doc_index(doc).sentence_of_token(e - 1)
    close = next((t.i for t in doc[e : sent.end] if t.text in CLOSE_DOUBLE), None)
    if close is None:
        return
    work.end = doc[close].idx + len(doc[close])
    k = close + 1
    while k < sent.end and doc[k].is_punct:
        k += 1
    if k + 1 < sent.end and doc[k].lower_ == "by" and work.first_author is None:
        run = name_after(rules, doc, k + 1, sent.end)
        if any(t.ent_type_ == "PERSON" for t in run):
            work.first_author = surname(rules, run)


def dated_study(rules: CitationRules, doc: Doc, rule: CitationRule, s: int, e: int) -> Work:
    """A study dated by its year ("a 2019 Cochrane review of the evidence"), through its complement."""
    noun = doc[e - 1]
    end = e
    for child in noun.rights:
        if child.dep_ == "prep" and child.lower_ in rules.words("STUDY_PREPS"):
            end = max(end, child.right_edge.i + 1)
    end = _cut_clause(rules, doc, e, end)
    work = Work(doc[s].idx, doc[end - 1].idx + len(doc[end - 1]), "prose", rule.id, 1, pointer=True)
    work.year = rules.year_in(doc[s:e].text)
    work.introduced = doc[s].lower_ in rules.words("INDEFINITE")
    work.other = any(t.lower_ in rules.words("OTHER_WORK") for t in doc[s:e])
    return work


def _cut_clause(rules: CitationRules, doc: Doc, start: int, end: int) -> int:
    """End a study's span before a relative clause or a finite verb ("a study of 13 students that found ...")."""
    for k in range(start, end):
        if doc[k].lower_ in rules.words("RELATIVE") or doc[k].tag_ in ("VBD", "VBZ", "VBP", "MD") or doc[k].text in (";", ":"):
            end = k
            break
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in rules.words("NAME_CONNECTORS") or doc[end - 1].is_stop):
        end -= 1
    return max(end, start)


def study_pointer(rules: CitationRules, doc: Doc, rule: CitationRule, s: int, e: int) -> Work | None:
    """A study the text points to without a venue: "a study of 20,055 newborns", "the study, led by X".

    The span is the noun phrase through its complement ("of 20,055 newborns", "led by the
    University of Edinburgh"), within its sentence and at most 16 tokens.
    """
    nouns = rules.words("POINTER_NOUNS")
    sourced = doc[s].lower_ == "according"
    if sourced:
        s += 2  # "according to one review": the work starts at its determiner
    verb = doc[s] if doc[s].pos_ in ("VERB", "AUX") else None
    if verb is not None:
        s += 1  # "Roe published a statistical analysis of ...": the study starts at its determiner
    noun = next((t for t in reversed(doc[s:e]) if t.lower_ in nouns), None)
    if noun is None or planned(noun, rules.words("PLAN_VERBS")):
        return None
    if noun.text[:1].isupper() and not noun.is_sent_start and s > 0 and doc[s - 1].lower_ in ("for", "of"):
        return None  # "the Center for the Study of Aging": a capitalised study noun inside a body's name
    sent = doc_index(doc).sentence_of_token(s)
    if any(cue in sent.text.lower().replace("’", "'") for cue in rules.words("UNPUBLISHED_CUES")):
        return None  # "an unpublished, company-funded study": nothing a reader could look up
    end = noun.i + 1
    for child in noun.rights:
        # "another study, this one financed by X and published in 2004": "one" stands for the study
        stand_in = child.dep_ == "appos" and child.lower_ == "one"
        if (child.dep_ in ("prep", "acl") or stand_in) and child.i <= e:
            end = max(end, min(child.right_edge.i + 1, sent.end, s + 20 if stand_in else s + 16))
    end = _cut_clause(rules, doc, noun.i + 1, end)
    author, dated_end = _publisher_of(rules, doc, verb, end)
    doer, doer_author = _doer(rules, doc, verb)
    if not doer:
        doer, doer_author = _doer(rules, doc, _results_verb(noun))
    author = author or written_by(rules, noun, end) or doer_author
    end = dated_end or end
    first = doc[s].lower_
    complement = doc[noun.i + 1 : end]
    novel = first in rules.words("NOVELTY") or any(t.lower_ in rules.words("NOVELTY") for t in doc[s : noun.i])
    # "His own study, with people who ...": the study of the person just named is one work a reader can find.
    own = first in ("his", "her") and s + 1 < noun.i and doc[s + 1].lower_ == "own"
    if own and author is None:
        author = _last_person(rules, doc, s)
        own = author is not None
    # "a study of probiotics" may be any study; a count, a name or a publishing verb makes it one,
    # and so does a named person or a year publishing it ("Roe published a small study in 2007").
    # "one Japanese study", "a study of middle-aged Finnish men": a nationality names the work's place or people.
    national = any(t.ent_type_ == "NORP" for t in doc[s:end])
    # "a previous study", "according to one review": one work, however little the story says of it
    single = sourced or any(t.lower_ in rules.words("SINGLE_WORK_CUES") for t in doc[s : noun.i])
    # "another study in the same journal": the venue named before (see matching.same_venue)
    single = single or same_venue_words(complement)
    if not single and not novel and not own and not national and not doer and author is None and dated_end is None and not any(
        t.like_num or t.pos_ == "PROPN" or t.lower_ in rules.words("PUBLICATION_VERBS") or t.dep_ == "acl"
        for t in complement
    ):
        return None
    work = Work(doc[s].idx, doc[end - 1].idx + len(doc[end - 1]), "prose", rule.id, 1, pointer=True)
    work.introduced = first in rules.words("INDEFINITE") or first in rules.words("NOVELTY") or rule.introduces
    work.definite = not work.introduced
    work.own = own
    work.other = own or any(t.lower_ in rules.words("OTHER_WORK") for t in doc[s : noun.i + 1])
    work.year = rules.year_in(doc[s : noun.i + 1].text) or (rules.year_in(doc[s:end].text) if dated_end else None)
    work.year = work.year or _published_year(rules, doc[noun.i + 1 : end])
    work.recent = novel
    # Dated against the article ("Last year, a study of ..."), but not made the article's new study by it.
    work.relative_date, work.year_offset = _dated_against_article(rules, doc, sent, s, end)
    work.first_author = author
    if doer and work.year is None:
        # "In 2013, Roe presented the results of a study of ...": the year opening the sentence dates it
        lead = doc[sent.start : s].text
        work.year = rules.year_in(lead) if rules.first_regex("LEAD_YEAR").match(lead) else None
    if noun.lower_ == "book":
        # a book is a work of its own: never the story's study, nor the study its pointers and mentions join
        work.study_type, work.group, work.pointer = "book", "book", False
    return work


def _published_year(rules: CitationRules, complement: Span) -> int | None:
    """"a study, funded by X and published in 2004": the year of a publishing verb inside the study's complement."""
    verbs = rules.words("PUBLICATION_VERBS")
    for token in complement:
        if token.lower_ in verbs and token.pos_ == "VERB":
            for prep in token.rights:
                if prep.dep_ == "prep" and prep.lower_ == "in" and prep.right_edge.i < complement.end:
                    phrase = complement.doc[prep.i : prep.right_edge.i + 1]
                    if len(phrase) <= 3:
                        return rules.year_in(phrase.text)
    return None


def _results_verb(noun: Token) -> Token | None:
    """"Roe presented the results of a study": the verb whose object is the results of the study noun."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "of" or prep.head.lower_ not in ("results", "findings", "data"):
        return None
    results = prep.head
    return results.head if results.dep_ == "dobj" else None


def _doer(rules: CitationRules, doc: Doc, verb: Token | None) -> tuple[bool, str | None]:
    """"Roe conducted a study", "he had run a trial", "researchers at X published a study", "Roe has written a
    book": a named person or a research team that did the work makes it one work; a person is its author
    ("he" or "she" the last person named). A coordinated verb shares its subject ("he treated ... and conducted")."""
    if verb is None or verb.lower_ not in rules.words("DOER_VERBS") or verb.tag_ in ("VB", "VBG"):
        return False, None
    head = verb
    while head.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children):
        head = head.head
    subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return False, None
    if subj.ent_type_ == "PERSON" and subj.pos_ == "PROPN":
        person = next(ent for ent in doc.ents if ent.start <= subj.i < ent.end)
        return True, surname(rules, list(person))
    if subj.pos_ == "PROPN" and any(
        ent.label_ == "PERSON" and ent.end <= subj.i and ent[-1].text == subj.text for ent in doc.ents
    ):
        return True, subj.text  # "Roe presented ...": the surname of a person named earlier
    if subj.lower_ in ("he", "she"):
        author = _last_person(rules, doc, subj.i)
        return author is not None, author
    return subj.lower_ in rules.words("DOER_GROUPS"), None


def _dated_against_article(rules: CitationRules, doc: Doc, sent: Span, s: int, end: int) -> tuple[bool, int]:
    """"Last year, a large study of ...", "a study of 300 adults last month": a pointer dated only against the
    article (its year is the article's, or the one before), by words opening its sentence or in its own span."""
    lead = doc[sent.start : s].text
    own = doc[s:end].text
    for compiled in rules.regexes("LAST_YEAR"):
        if any((m.start() == 0) if text is lead else True for text in (lead, own) for m in compiled.regex.finditer(text)):
            return True, -1
    for compiled in rules.regexes("RELATIVE_DATE"):
        if compiled.regex.match(lead) or compiled.regex.search(own):
            return True, 0
    return False, 0


def _last_person(rules: CitationRules, doc: Doc, s: int) -> str | None:
    """The surname of the last person named before token ``s`` in its sentence or the one before ("Dr. Roe said ... His own study")."""
    index = doc_index(doc)
    first = index.sentence_of_token(s).start
    if first > 0:
        first = index.sentence_of_token(first - 1).start
    people = [ent for ent in doc.ents if ent.label_ == "PERSON" and first <= ent.start and ent.end <= s]
    return surname(rules, list(people[-1])) if people else None


def _publisher_of(rules: CitationRules, doc: Doc, verb: Token | None, end: int) -> tuple[str | None, int | None]:
    """For "<person> published a study in <year>": the person's name and the end of the year phrase.

    The year of a publishing verb attaches to the verb, not to the study noun, so the noun's own
    complement never holds it; a person as the verb's subject is the work's author.
    """
    if verb is None or verb.lower_ not in rules.words("PUBLICATION_VERBS"):
        return None, None
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    author = subj.text if subj is not None and subj.pos_ == "PROPN" and subj.ent_type_ == "PERSON" else None
    for child in verb.rights:
        phrase = doc[child.i : child.right_edge.i + 1]
        if child.dep_ == "prep" and child.i == end and len(phrase) <= 4 and rules.year_in(phrase.text) is not None:
            return author, child.right_edge.i + 1
    return author, None


def published_study(rules: CitationRules, doc: Doc, rule: CitationRule, s: int, e: int) -> Work | None:
    """An indefinite study "published" some time ("a 40-patient trial published last month")."""
    sent = doc_index(doc).sentence_of_token(s)
    words = {t.lower_ for t in doc[s : e - 1]}
    if words & rules.words("NOVELTY") and not any(t.like_num for t in doc[s:e]):
        return None  # "a new study published ..." is the article's main study, named elsewhere
    end = e
    relative = rules.words("RELATIVE")
    # The time phrase after "published" ends the span: stop at punctuation, a clause or a finite verb.
    while (
        end < sent.end
        and (not doc[end].is_punct or inner_hyphen(doc, end))
        and doc[end].lower_ not in relative
        and doc[end].tag_ not in ("VBD", "VBZ", "VBP", "MD")
    ):
        end += 1
    work = Work(doc[s].idx, doc[end - 1].idx + len(doc[end - 1]), "prose", rule.id, 1)
    work.year = rules.year_in(doc[s:end].text)
    work.recent, work.year_offset = is_recent(rules, doc[e - 1 : end])
    when = {t.lower_ for t in doc[e - 1 : end]}
    # "published earlier this month" dates another, earlier work, not the article's own study.
    work.same_day = bool(when & rules.words("SAME_DAY_CUES")) and not when & rules.words("EARLIER_CUES")
    return work


def same_venue_words(span: Span) -> bool:
    """Whether ``span`` points back to a venue named before: "in the same journal", "the same issue"."""
    words = [t.lower_ for t in span]
    return any(a == "same" and b in ("journal", "issue") for a, b in itertools.pairwise(words))


def source_line_bodies(rules: CitationRules, text: str) -> list[Work]:
    """The bodies a sidebar's "Source:" / "Sources:" line names ("Source: National Institute of X",
    "Sources: Quill Heart Association; Zorb Clinic"): each a source like "according to the X".

    Only names of a body (an organisation's or a research place's head word, no figures), one to a
    part split by semicolons; a line that cites a paper is read by the formal source-line rule first.
    """
    heads = rules.words("ORGANISATION_HEADS") | rules.words("RESEARCH_PLACES")
    works: list[Work] = []
    for line_rule in rules.regexes("SOURCE_LINE"):
        for line in line_rule.regex.finditer(text):
            if "\n" in line.group("body").strip():
                continue  # a box of several lines holds references, not bare names
            offset = line.start("body")
            for part in re.finditer(r"[^;]+", line.group("body")):
                name = part.group().strip().rstrip(".")
                words = name.split()
                if not 2 <= len(words) <= 12 or not name[:1].isupper() or any(c.isdigit() for c in name):
                    continue
                if not any(w.lower().strip(",") in heads for w in words):
                    continue
                start = offset + part.start() + part.group().find(name)
                works.append(
                    Work(start, start + len(name), "prose", line_rule.rule.id, 0, group="org", venue=name,
                         venue_key="org:" + rules.venue_key(name))
                )
    return works
