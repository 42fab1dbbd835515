"""Documents of a named body cited as a work: guidelines, consensus and position statements, and a
body's dated report ("the 2004 Quill Academy guidelines", "guidelines issued by the Quill Society",
"the Quill College in May issued new guidelines", "the Quill Agency concluded in its 2016 summary").

ANNOTATION.md counts a pointer to a specific document a reader could look up: a body's guideline is
one, "current guidelines recommend" (no body named) is a vague appeal and is not. The body is the
work's publisher, so it is given as the venue, as for an organisation's figures.
"""

from __future__ import annotations

import re

from healthclaims.components.citations.lexicon import CitationRules
from healthclaims.components.citations.names import grow, is_name, is_recent
from healthclaims.components.citations.work import Work
from healthclaims.components.common import DocIndex, doc_index, doc_text
from spacy.tokens import Doc, Span, Token

#: A journal's year;volume of a reference entry ("2013;6:606-619").
_VOLUME = re.compile(r"\b(?:19|20)\d\d;\s?\d")

#: How far (in tokens) a guideline noun may stand from the body that issued it.
_REACH = 8


def guideline_works(rules: CitationRules, doc: Doc) -> list[Work]:
    """One candidate work per guideline, statement or dated report tied to a named body in its sentence."""
    works = []
    index = doc_index(doc)
    for tok in doc:
        if tok.text[:1].isupper() and not tok.is_sent_start:
            continue  # "... An Update of the 2013 Guideline for ...": a title inside a reference entry
        kind = _document_kind(rules, tok)
        dated_own = kind is None and _dated_own_report(rules, tok)
        if kind is None and not dated_own:
            continue
        sent = index.sentence_of_token(tok.i)
        if _reference_line(doc_text(doc), tok.idx):
            continue  # a reference entry's title ("Roe AB, et al. ...: a policy statement from the X Association. Circ 2013")
        if _planned(rules, sent, tok):
            continue  # "is rewriting its guidelines", "will issue a statement": nothing to look up yet
        found = _issuer(rules, doc, sent, tok, dated_own)
        if found is None:
            continue
        body, start, end = found
        work = Work(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), "prose", rules.rule_id("GUIDELINE_NOUNS"), 1)
        work.group = "guideline"
        work.study_type = kind
        _body_as_venue(rules, work, body)
        work.year = _year(rules, doc, sent, start, end, tok)
        work.recent, work.year_offset = is_recent(rules, sent)
        works.append(work)
    return works


def _body_as_venue(rules: CitationRules, work: Work, name: Span) -> None:
    """The issuing body as the work's venue (without a leading "the"): a publisher, not a journal."""
    work.venue = name[1:].text if name[0].lower_ == "the" else name.text
    work.venue_key, work.journal = rules.venue_key(work.venue), False


def _reference_line(text: str, at: int) -> bool:
    """Whether the line around ``at`` is a reference list's entry (an "et al." or a "2013;6:606" citation)."""
    line = text[text.rfind("\n", 0, at) + 1 : (text.find("\n", at) + 1 or len(text) + 1) - 1]
    return " et al" in line or _VOLUME.search(line) is not None


def _document_kind(rules: CitationRules, tok: Token) -> str | None:
    """The study type a guideline noun names ("guidelines", "consensus statement"), or None."""
    if tok.lower_ in rules.words("GUIDELINE_NOUNS"):
        return "guideline"
    if tok.lower_ in rules.words("STATEMENT_NOUNS") and tok.i > 0 and tok.doc[tok.i - 1].lower_ in rules.words("STATEMENT_KINDS"):
        return "consensus statement"
    return None


def _dated_own_report(rules: CitationRules, tok: Token) -> bool:
    """"its 2016 summary", "its 2019 report": a body's own dated document (the body is the subject)."""
    doc = tok.doc
    return (
        tok.lower_ in rules.words("BODY_REPORT_NOUNS")
        and tok.i >= 2
        and rules.first_regex("YEAR").fullmatch(doc[tok.i - 1].text) is not None
        and doc[tok.i - 2].lower_ == "its"
    )


def _planned(rules: CitationRules, sent: Span, tok: Token) -> bool:
    """A document still to come: a plan or future word before the noun in its sentence."""
    return any(t.lower_ in rules.words("GUIDELINE_PLANS") for t in tok.doc[sent.start : tok.i])


def _body(rules: CitationRules, name: Span) -> bool:
    """A name that is a body (society, college, agency...), not a person, place or journal."""
    heads = rules.words("ORGANISATION_HEADS")
    words = [t for t in name if t.lower_ != "the"]
    if not words or any(t.lower_ in rules.words("NEWS_OUTLET_HEADS") for t in words[-1:]):
        return False
    if any(t.ent_type_ in ("PERSON", "GPE", "DATE") for t in words):
        return False
    # A lone acronym is a body only where the article spells it out as one ("the Quill Society (QS)"):
    # "IBS treatment guidelines" name a disease.
    acronym = len(words) == 1 and words[0].is_upper and len(words[0]) >= 2 and f"({words[0].text})" in doc_text(name.doc)
    return acronym or any(t.lower_ in heads for t in words)


def _issuer(
    rules: CitationRules, doc: Doc, sent: Span, tok: Token, dated_own: bool
) -> tuple[Span, int, int] | None:
    """The body that issued the document at ``tok`` and the citation's token span, or None."""
    if dated_own:
        # The body is the subject of the sentence's verb before "its": "the X Agency concluded in its 2016 summary".
        for cand in reversed(list(doc[sent.start : tok.i - 2])):
            if cand.dep_ in ("nsubj", "nsubjpass") and is_name(rules, cand):
                i, j = grow(rules, doc, cand.i, cand.i + 1)
                i = max(i, cand.left_edge.i, sent.start)
                name = doc[i:j]
                return (name, tok.i - 2, tok.i + 1) if _body(rules, name) else None
        return None
    # "guidelines (issued this fall) from / by the X Society".
    for j in range(tok.i + 1, min(sent.end, tok.i + _REACH)):
        t = doc[j]
        if t.is_punct or t.lower_ in ("that", "which", "who", "and"):
            break
        if t.lower_ in ("from", "by", "of") and j + 1 < sent.end:
            n = j + 1 + (doc[j + 1].lower_ == "the")
            if n < sent.end and is_name(rules, doc[n]) and not doc[n].like_num:
                _i, e = grow(rules, doc, n, n + 1, left=False)
                name = doc[j + 1 : e]
                if _body(rules, name):
                    return name, _left_of_phrase(rules, doc, sent, tok.i), e
            if t.lower_ != "of":
                break
    # "the 2004 X Academy guidelines", "the X Society's statement": the name right before the noun.
    k = tok.i - 1
    while k > sent.start and doc[k].is_lower and doc[k].is_alpha and doc[k].lower_ not in rules.words("STATEMENT_KINDS") | {"the", "its", "their"} and tok.i - k <= 3:
        k -= 1  # "treatment", "practice" and "physician" guidelines
    if doc[k].lower_ in rules.words("STATEMENT_KINDS") and _document_kind(rules, tok) == "consensus statement":
        k -= 1
    if k >= sent.start and doc[k].lower_ in ("'s", "’s"):
        k -= 1
    if k >= sent.start and is_name(rules, doc[k]) and not doc[k].like_num:
        i = k
        while i - 1 >= sent.start and (is_name(rules, doc[i - 1]) or doc[i - 1].lower_ in ("of", "for", "and", "&") and i - 2 >= sent.start and is_name(rules, doc[i - 2])):
            i -= 1
        name = doc[i : k + 1]
        if _body(rules, name):
            start = _left_of_phrase(rules, doc, sent, i)
            return name, start, tok.i + 1
    # "the X College (in May) issued new guidelines": the body is the subject of the issuing verb.
    k = tok.i - 1
    while k > sent.start and tok.i - k <= 3 and doc[k].lower_ not in rules.words("ISSUE_VERBS"):
        k -= 1
    verb = doc[k]
    if verb.lower_ in rules.words("ISSUE_VERBS") and k < tok.i:
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and is_name(rules, subj):
            i, j = grow(rules, doc, subj.i, subj.i + 1)
            i = max(min(i, subj.left_edge.i), sent.start)
            name = doc[i:j]
            if _body(rules, name):
                return name, i, tok.i + 1
    return None


def _left_of_phrase(rules: CitationRules, doc: Doc, sent: Span, i: int) -> int:
    """The start of the document's noun phrase: back over a determiner, a year and lower-case modifiers."""
    k = i
    while k - 1 >= sent.start and tok_is_modifier(rules, doc[k - 1]) and i - k < 5:
        k -= 1
    return k


def tok_is_modifier(rules: CitationRules, tok: Token) -> bool:
    """A word that belongs to a document's noun phrase before its body's name ("the 2004", "new")."""
    return (
        tok.lower_ in ("the", "its", "their", "new", "updated", "revised", "latest", "current", "draft")
        or rules.first_regex("YEAR").fullmatch(tok.text) is not None
        or tok.is_lower and tok.is_alpha and tok.pos_ in ("NOUN", "ADJ")
    )


def _year(rules: CitationRules, doc: Doc, sent: Span, start: int, end: int, tok: Token) -> int | None:
    """The year written in the span, after the noun ("guidelines from 2004") or opening the sentence ("In 2014, ...")."""
    text = doc_text(doc)
    year = rules.year_in(text[doc[start].idx : doc[end - 1].idx + len(doc[end - 1])])
    if year is None and tok.i + 2 < sent.end and doc[tok.i + 1].lower_ in ("from", "of", "in"):
        year = rules.year_in(doc[tok.i + 2].text) if rules.first_regex("YEAR").fullmatch(doc[tok.i + 2].text) else None
    if year is None:
        lead = text[sent.start_char : doc[start].idx]
        year = rules.year_in(lead) if rules.first_regex("LEAD_YEAR").match(lead) else None
    return year


def body_publisher(rules: CitationRules, doc: Doc, work: Work) -> None:
    """"a 2015 analysis by the CDC", "a report from the Quill Agency": a body's own report, the body its venue.

    Only documents a body issues (BODY_REPORT_NOUNS) and only bodies, never a university or a hospital
    (NOT_VENUE_HEADS): "a study by Quill University" names where the work was done, not a publisher."""
    span = doc.char_span(work.start, work.end, alignment_mode="expand")
    if span is None or work.venue is not None:
        return
    nouns = [t for t in span if t.lower_ in rules.words("BODY_REPORT_NOUNS")]
    for tok in span:
        if tok.lower_ not in ("by", "from") or not nouns or tok.i < nouns[0].i or tok.head.i != nouns[0].i:
            continue
        n = tok.i + 1 + (tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "the")
        if n >= span.end or not is_name(rules, doc[n]):
            return
        _i, e = grow(rules, doc, n, n + 1, left=False)
        name = doc[tok.i + 1 : e]
        words = {t.lower_ for t in name}
        lone_acronym = len(name) - (name[0].lower_ == "the") == 1 and doc[n].is_upper and doc[n].ent_type_ == "ORG"
        if (lone_acronym or _body(rules, name)) and not words & rules.words("NOT_VENUE_HEADS"):
            _body_as_venue(rules, work, name)
        return


def body_work(rules: CitationRules, doc: Doc, s: int, e: int, work: Work) -> Work | None:
    """"an Academy of Quill Surgeons review of 40 studies": a study noun whose modifier is a body's name (with
    "of" or "for" inside it, which the plain pointer pattern cannot span) is the body's own work, the body its venue."""
    name = doc[s + 1 : e - 1]
    if not any(t.lower_ in ("of", "for", "on", "and", "&") for t in name) or name[-1].lower_ in ("of", "for", "on", "and", "&"):
        return None  # a name without "of" is a plain pointer's ("a Quill Society study of ..."), done there
    if not _body(rules, name) or {t.lower_ for t in name} & rules.words("NOT_VENUE_HEADS"):
        return None  # "a University of Quillby study": where the work was done, not who issued it
    _body_as_venue(rules, work, name)
    return work


def _told_of(index: DocIndex, cluster: list[Work], g_sent: int, news: bool) -> bool:
    """Whether ``cluster`` is a journal work told definitely ("They were published in X") in the guideline's
    sentence or the next, or (``news``) the story's main work while the guideline is its news."""
    members = [w for w in cluster if not w.secondary and w.kind == "prose"]
    if not members or any(w.introduced or w.other for w in members):
        return False
    return news or any(0 <= index.sent_of_char(w.start) - g_sent <= 1 and w.venue and w.journal for w in members)


def absorb_reported(doc: Doc, clusters: list[list[Work]], main: list[Work] | None, novelty: frozenset[str]) -> None:
    """A guideline whose journal is told next ("... the guidelines from the X Academy. They were published
    in the journal Y.") or that is the story's news ("the X Society has released a new statement", the
    main work told only definitely: "The full report, published in Y") is that journal work: one citation."""
    index = doc_index(doc)
    text = doc_text(doc)
    studies = [c for c in clusters if c[0].group == "study"]
    for g in [c for c in clusters if c[0].group == "guideline"]:
        g_sent = index.sent_of_char(g[0].start)
        new = bool(set(text[g[0].start : g[0].end].lower().split()) & novelty)

        target = next((c for c in studies if _told_of(index, c, g_sent, new and c is main)), None)
        if target is None:
            continue
        for w in g:
            w.secondary = True
        target.extend(g)
        clusters.remove(g)
