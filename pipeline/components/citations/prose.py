"""Prose citations built around a venue: "a study published in JAMA", "the March issue of Cell",
"a JAMA study"; the span runs from the study noun or the publishing verb through the venue.
"""

from __future__ import annotations

from healthclaims.components.citations.lexicon import CitationRules
from healthclaims.components.citations.names import grow, is_recent, topic_before_journal, written_by
from healthclaims.components.citations.work import Work
from healthclaims.components.common import doc_index, doc_text
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

#: Entity types of a capitalised name after "in" that is a place, a date or a person, not a journal.
NOT_VENUE_ENTITIES = ("GPE", "LOC", "DATE", "PERSON", "NORP")

Match = tuple[str, int, int]  # (rule id, start token, end token)


def venue_spans(
    rules: CitationRules, doc: Doc, by_label: dict[str, list[Match]]
) -> list[tuple[Span, str | None]]:
    """Names of venues: known ones from the lexicon (with their id) and names grown from rule matches."""
    index = doc_index(doc)
    spans: list[Span] = []
    keys: dict[tuple[int, int], str] = {}
    for match_id, s, e in rules.venue_matcher(doc):
        vid = doc.vocab.strings[match_id]
        if _inside_longer_name(rules, doc, s, e, index.sentence_of_token(s)):
            continue  # "Quill Research UK", "the British Quill Foundation": a charity named like a journal
        if s > index.sentence_of_token(s).start and doc[s - 1].text == "The":
            s -= 1
        spans.append(doc[s:e])
        keys[(s, e)] = vid
    for _rid, s, _e in by_label.get("VENUE_GENERIC", []):
        i, j = grow(rules, doc, s, s + 1)
        if j - i > 1:
            spans.append(doc[i:j])
    for rid, s, e in by_label.get("VENUE_NAMED", []):
        i, j = grow(rules, doc, e - 1, e, left=False)
        spans.append(doc[s:j] if rules.by_id[rid].venue_from == "match" else doc[i:j])
    for _rid, s, e in by_label.get("VENUE_BEFORE", []):
        # The name ends at the first title-case token of the match; grow it leftwards.
        k = s
        while k + 1 < e and doc[k + 1].is_title:
            k += 1
        i, j = grow(rules, doc, k, k + 1)
        if doc[i].ent_type_ not in NOT_VENUE_ENTITIES and doc[i].lower_ != "journal":
            spans.append(doc[i:j])
    for _rid, s, e in by_label.get("PUB_IN", []):
        i, j = grow(rules, doc, e - 1, e, left=False)
        i, j = _owned_journal(rules, doc, i, j)
        if doc[i].ent_type_ not in NOT_VENUE_ENTITIES:
            spans.append(doc[i:j])
    return [(span, keys.get((span.start, span.end))) for span in filter_spans(spans)]


def _inside_longer_name(rules: CitationRules, doc: Doc, s: int, e: int, sent: Span) -> bool:
    """Whether a journal's name ``doc[s:e]`` is only part of a longer capitalised name: a word of a
    name right before it (not the sentence's first word, not "The") or right after it (not a date:
    "published in Quill Tuesday")."""
    dates = rules.words("RECENT_CUES")

    def name_word(tok: Token) -> bool:
        return ((tok.is_title or tok.is_upper and len(tok) > 1) and tok.is_alpha and tok.lower_ not in dates
                and tok.ent_type_ not in ("DATE", "TIME"))

    before = doc[s - 1] if s - 1 > sent.start else None
    if before is not None and before.text != "The" and name_word(before):
        return True
    return e < sent.end and name_word(doc[e])


def _owned_journal(rules: CitationRules, doc: Doc, i: int, j: int) -> tuple[int, int]:
    """"the Endocrine Society's Journal of Clinical Endocrinology": the journal after a publisher's
    possessive is the venue, not the publisher."""
    if j + 1 >= len(doc) or doc[j].lower_ not in ("'s", "’s") or not doc[j + 1].is_title:
        return i, j
    k, m = grow(rules, doc, j + 1, j + 2, left=False)
    if any(t.lower_ in rules.words("JOURNAL_TITLE_WORDS") for t in doc[k:m]):
        return k, m
    return i, j


def publication_context(rules: CitationRules, prep: Token, strict: bool) -> bool:
    """Whether a preposition before a venue hangs off a publishing verb (or, unless strict, a study noun)."""
    verbs = rules.words("PUBLICATION_VERBS") | rules.words("PUBLICATION_HEADS")
    nouns = rules.words("WORK_NOUNS")
    head = prep.head
    for _ in range(5):
        if head.lower_ in verbs or not strict and head.lower_ in nouns:
            return True
        if head.head is head:
            return False
        head = head.head
    return False


def prose_from_venue(rules: CitationRules, doc: Doc, vspan: Span, vid: str | None) -> Work | None:
    """A prose citation whose venue is ``vspan``, or None when the name is not cited as a venue here."""
    sent = doc_index(doc).sentence_of_token(vspan.start)
    ambiguous = bool(vid and rules.venues[vid].ambiguous)
    lead = rules.words("VENUE_LEAD")
    i = vspan.start
    named = vspan[0].lower_.startswith("journal")
    while i - 1 >= sent.start and (doc[i - 1].lower_ in lead or topic_before_journal(doc, i - 1)):
        named = named or doc[i - 1].lower_.startswith("journal")
        i -= 1
    if i - 2 >= sent.start and doc[i - 1].lower_ in ("'s", "’s") and doc[i - 2].is_title:
        # "in the Endocrine Society's Journal of ...": the publisher's name stands between "in" and the journal
        i = grow(rules, doc, i - 2, i - 1)[0]
        while i - 1 >= sent.start and doc[i - 1].lower_ in lead:
            i -= 1
    if named and i - 1 > sent.start and doc[i].lower_ == "journal" and doc[i - 1].is_title:
        # "the Royal Quilby Society journal X": the publisher's name stands before the word journal
        i = grow(rules, doc, i - 1, i)[0]
        while i - 1 >= sent.start and doc[i - 1].lower_ in lead:
            i -= 1
    after = doc[vspan.end] if vspan.end < sent.end else None
    venue_text = vspan[1:].text if vspan[0].text == "the" else vspan.text
    if venue_text.startswith("journal of ") and venue_text[11:12].isupper() and not vid:
        venue_text = venue_text[len("journal of ") :]  # "the journal of Bioelectromagnetics": the journal is the name after
    key = vid or rules.venue_key(venue_text)
    # "The Lancet medical journal", "Investigational New Drugs journal": the word after names it a journal.
    k = vspan.end
    while k < sent.end and doc[k].lower_ in lead and doc[k].text.islower() and doc[k].lower_ != "journal":
        k += 1
    journal_after = k < sent.end and doc[k].lower_ == "journal"
    named = named or journal_after
    if after is not None and after.lower_ in rules.words("VENUE_MODIFIED_NOUNS") and not ambiguous:
        if vid is None and not _venue_like(rules, vspan):
            return None  # "Cambridge University research" names an institution's work, not a journal
        # "a JAMA study", "The New England Journal study's authors": the venue modifies a study noun.
        start = min(after.left_edge.i, vspan.start)
        work = Work(doc[start].idx, after.idx + len(after), "prose", rules.rule_id("VENUE_MODIFIED_NOUNS"), 1)
        work.venue, work.venue_key = venue_text, key
        work.year = rules.year_in(doc[start : after.i].text)  # "one 2014 JAMA study"
        return work
    prep = doc[i - 1] if i - 1 >= sent.start else None
    subject = _venue_as_subject(rules, doc, vspan, i, named or vid is not None)
    if subject is not None:
        subject.venue, subject.venue_key = venue_text, key
        return subject
    if prep is None:
        return None
    if after is not None and after.pos_ in ("NOUN", "ADJ") and after.text.islower() and not journal_after:
        return None  # "in American Diabetes Association scientific journals": the name is a modifier, not a venue
    if prep.lower_ == "in":
        if vid is None and not _venue_like(rules, vspan):
            return None
        if not (named or publication_context(rules, prep, strict=ambiguous)):
            return None
        if ambiguous and after is not None and after.pos_ in ("NOUN", "PROPN") and not named:
            return None
    elif prep.lower_ == "by":
        # "published online by JAMA", "a report published by the Royal College of Physicians in 2010".
        if prep.head.lower_ not in rules.words("PUBLICATION_VERBS"):
            return None
        if any(t.lower_ in ("journal", "journals") for t in doc[sent.start : prep.i]):
            return None  # "in the November issue of X, official journal of the Y, published by Z": Z publishes the journal
    elif prep.lower_ == "to":
        # "In a letter to the Lancet medical journal, a team ... warns"; "..., according to the journal X"
        # (a name called a journal, not a publisher whose journal is named after it: "the X Society journal Y").
        source = prep.head.lower_ in rules.words("SOURCE_HEADS") and named and not (
            journal_after and k + 1 < sent.end and doc[k + 1].is_title)
        if not (source or prep.head.lower_ in rules.words("LETTER_NOUNS") and (named or vid is not None)):
            return None
    elif not (prep.lower_ == "of" and prep.head.lower_ in rules.words("ISSUE_NOUNS")):
        return None
    elif vid is None and not _dated_issue(rules, prep.head):
        return None  # "the issue of Medicare costs": an unknown name after "issue of" is a journal only in a dated issue
    return prose_span(rules, doc, prep, vspan, venue_text, key)


def _dated_issue(rules: CitationRules, issue: Token) -> bool:
    """"the November issue", "the current online issue", "the 2014 issue": an issue of a journal, not a question."""
    dates = rules.words("RECENT_CUES") | rules.words("ISSUE_DATES")
    return any(t.lower_ in dates or rules.first_regex("YEAR").fullmatch(t.text) for t in issue.lefts)


def _venue_like(rules: CitationRules, vspan: Span) -> bool:
    """A grown name that may be a journal: not an institution ("Cambridge University") unless it has a journal word."""
    words = {t.lower_ for t in vspan}
    return not (words & rules.words("NOT_VENUE_HEADS")) or bool(words & rules.words("JOURNAL_TITLE_WORDS"))


def _venue_as_subject(rules: CitationRules, doc: Doc, vspan: Span, lead: int, named: bool) -> Work | None:
    """A journal that itself reports the study: "the journal Molecular Psychiatry reports", "..., the Journal of X reports."."""
    root = vspan.root
    if lead < vspan.start and root.dep_ in ("appos", "compound") and root.head.lower_ == "journal":
        root = root.head  # "the journal Molecular Psychiatry reports": the word journal is the subject
    verbs = rules.words("VENUE_SUBJECT_VERBS")
    nxt = vspan.end
    # "..., the journal X reports." closes the sentence; the parser often misses that subject.
    closing = (
        nxt < len(doc)
        and doc[nxt].lower_ in verbs
        and (nxt + 1 >= len(doc) or doc[nxt + 1].is_punct or doc[nxt + 1].is_space)
    )
    if not named or not (closing or root.dep_ in ("nsubj", "nsubjpass") and root.head.lower_ in verbs):
        return None
    verb = doc[nxt] if closing else root.head
    if verb.i < vspan.start:
        return None
    start = lead if lead < vspan.start and doc[lead].lower_ in ("the", "journal") else vspan.start
    while start > 0 and doc[start - 1].lower_ in rules.words("VENUE_LEAD") and doc[start - 1].text.islower():
        start -= 1
    end = verb.i + 1
    return Work(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), "prose", rules.rule_id("VENUE_SUBJECT_VERBS"), 2)


def _study_noun(rules: CitationRules, prep: Token) -> tuple[Token | None, Token | None, bool]:
    """The study noun and the publishing verb a venue's preposition hangs off, and whether the noun is the subject."""
    nouns = rules.words("WORK_NOUNS")
    verbs = rules.words("PUBLICATION_VERBS")
    noun: Token | None = None
    verb: Token | None = None
    head = prep.head
    for _ in range(5):
        if head.lower_ in nouns and head.pos_ in ("NOUN", "PROPN"):
            return head, None, False
        if head.lower_ in verbs and head.pos_ in ("VERB", "AUX"):
            verb = head
            if verb.dep_ in ("acl", "relcl"):
                owner = verb.head
                # "a trial of 300 adults published in X", "a study of 401 patients with back pain, published in X":
                # the participle hangs off the study's complement, one or two phrases down.
                for _ in range(2):
                    if owner.lower_ in nouns or owner.dep_ != "pobj":
                        break
                    owner = owner.head.head
                noun = owner if owner.lower_ in nouns else None
                return noun, verb, False
            for child in verb.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ in nouns:
                    return child, verb, True
            return None, verb, False
        if head.head is head:
            break
        head = head.head
    return noun, verb, False


#: Words the parser may take for a verb at the head of a study noun phrase ("one randomized controlled trial").
_RANDOMIZED = frozenset({"randomized", "randomised"})


def prose_span(rules: CitationRules, doc: Doc, prep: Token, vspan: Span, venue_text: str, key: str) -> Work:
    """Choose the span of a prose citation: the study noun phrase or the publishing verb, through the venue."""
    nouns = rules.words("WORK_NOUNS")
    sent = doc_index(doc).sentence_of_token(vspan.start)
    if prep.lower_ == "of" and prep.head.head.lower_ == "in":
        prep = prep.head.head  # "in the June 2014 issue of X": the issue's preposition leads the span
    noun, verb, is_subject = _study_noun(rules, prep)
    if noun is not None and noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ in nouns:
        noun = noun.head.head
    author = None
    if noun is not None:
        for child in noun.children:
            if child.dep_ == "poss" and child.pos_ == "PROPN":
                author = child.text
        # "A study by Ann Roe, published in X": the person after "by" before the venue wrote it
        author = author or written_by(rules, noun, vspan.start)
    if noun is not None and (is_subject or specific(rules, noun)) and (verb is None or verb.i - noun.left_edge.i <= 15):
        start = noun.left_edge.i
    elif verb is not None:
        start = verb.i
    elif noun is not None:
        start = noun.left_edge.i
    else:
        start = prep.i
    if prep.lower_ == "to":
        start = prep.head.left_edge.i
    start = max(start, sent.start)
    opened = False
    # "One randomized controlled trial published in X": the parser reads "randomized" as a verb and
    # leaves it and its subject out of the noun phrase, which they open
    if noun is not None and start == noun.left_edge.i and start - 1 >= sent.start and doc[start - 1].lower_ in _RANDOMIZED:
        start -= 1
        if start - 1 >= sent.start and doc[start - 1].lower_ in rules.words("INDEFINITE") | {"the", "this"}:
            start -= 1
            opened = doc[start].lower_ in rules.words("INDEFINITE")
    end = vspan.end
    k = end
    while k < sent.end and doc[k].lower_ in rules.words("VENUE_LEAD") and doc[k].text.islower() and doc[k].lower_ != "journal":
        k += 1
    if k < sent.end and doc[k].lower_ == "journal":
        end = k + 1
    if end + 1 < sent.end and doc[end].lower_ == "in" and rules.first_regex("YEAR").fullmatch(doc[end + 1].text):
        end += 2
    work = Work(
        doc[start].idx,
        doc[end - 1].idx + len(doc[end - 1]),
        "prose",
        rules.rule_id("PUB_IN"),
        2,
        venue=venue_text,
        venue_key=key,
        first_author=author,
    )
    # "Another study, published last year in X": the span starts at the verb, the noun still introduces a work.
    work.introduced = opened or noun is not None and any(
        c.dep_ == "det" and c.lower_ in rules.words("INDEFINITE") for c in noun.children
    )
    # "An unrelated study of 401 patients, published in X": set apart from the story's study
    work.other = noun is not None and any(t.lower_ in rules.words("OTHER_WORK") for t in doc[noun.left_edge.i : noun.i])
    text = doc_text(doc)
    work.year = rules.year_in(text[work.start : work.end])
    if work.year is None:
        lead = text[sent.start_char : work.start]
        work.year = rules.year_in(lead) if rules.first_regex("LEAD_YEAR").match(lead) else None
    work.recent, work.year_offset = is_recent(rules, sent)
    if any(t.lower_ in rules.words("EDITORIAL_NOUNS") for t in doc[start:end]):
        # "An accompanying editorial in Mayo Clinic Proceedings" is the editorial, not the study.
        work.group, work.study_type = "editorial", "editorial"
    return work


def specific(rules: CitationRules, noun: Token) -> bool:
    """A study noun phrase worth keeping in the span: indefinite, counted or modified, not a bare 'the study'."""
    for child in noun.children:
        if child.dep_ == "det" and child.lower_ in rules.words("INDEFINITE"):
            return True
        if child.dep_ not in ("det", "punct", "acl", "relcl", "prep", "cc", "conj"):
            return True
    return False


def venue_inside(rules: CitationRules, work: Work, known: list[tuple[Span, str | None]]) -> None:
    """Give a dated or published study the known journal its own words name ("a 2009 review by the Cochrane Library")."""
    for vspan, _vid in known:
        if work.start <= vspan.start_char and vspan.end_char <= work.end:
            work.venue = vspan[1:].text if vspan[0].text == "the" else vspan.text
            work.venue_key = rules.venue_key(work.venue)
            return
