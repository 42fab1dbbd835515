"""Filling a cited work's fields from all its mentions: first author from cues, study type from
design words near any mention, year from the dateline, and the hit stored on the Doc.
"""

from __future__ import annotations

from healthclaims.components.citations.lexicon import CitationRules
from healthclaims.components.citations.names import name_after, surname
from healthclaims.components.citations.query import pubmed_query
from healthclaims.components.citations.work import Work, merge_fields, primary, representative
from healthclaims.components.common import DocIndex, doc_index, doc_text
from healthclaims.types import CitationHit, Mention
from spacy.tokens import Doc, Span, Token

Cluster = list[Work]


def apply_authors(
    rules: CitationRules, doc: Doc, cues: list[tuple[str, int, int]], studies: list[Cluster], main: Cluster | None
) -> None:
    """Give each work the first author a cue in its sentence names ("lead author Dr. Jane Roe")."""
    index = doc_index(doc)
    unpublished = rules.words("UNPUBLISHED_CUES")
    text = doc_text(doc)
    senior = {m.group("name") for c in rules.regexes("SENIOR_AUTHOR") for m in c.regex.finditer(text)}
    for rid, s, e in sorted(cues, key=lambda c: -rules.by_id[c[0]].rank):
        sent = _cue_sentence(doc, index, s, e)
        if s >= 2 and doc[s - 1].text in ("-", "–") and doc[s - 2].lower_ == "co":
            continue  # a "co-lead" author shares the lead and need not be listed first
        if rules.by_id[rid].definite and s >= 1 and doc[s - 1].lower_ in ("a", "an", "one", "another"):
            continue  # "Jane Roe, a study author and professor": one of several authors, not surely the first
        if s >= 1 and doc[s - 1].lower_ == "being" or any(c in sent.text.lower() for c in unpublished):
            continue  # "a third trial is being led by Jane Roe": a study under way, not the one cited
        if rules.by_id[rid].name_at == "last":
            run = name_after(rules, doc, e - 1, sent.end)
        else:
            run = name_after(rules, doc, e, sent.end) if not (e < sent.end and doc[e].lower_ in ("of", "on", "for", "in")) else []
            if not run:
                # "conducted by recent graduate Jane Roe": a person after a lower-case role; else "Jane Roe and colleagues".
                after = [ent for ent in sent.ents if ent.label_ == "PERSON" and e <= ent.start <= e + 3
                         and all(t.is_lower for t in doc[e : ent.start])]
                persons = after or [ent for ent in sent.ents if ent.label_ == "PERSON" and ent.end <= s][-1:]
                run = list(persons[0]) if persons else _named_elsewhere(doc, s)
        appositive = [ent for ent in sent.ents if ent.label_ == "PERSON" and s - 2 <= ent.end <= s]
        if appositive and e < sent.end and doc[e].lower_ in ("and", ","):
            # "Dr. Dominik Alexander, lead author and Principal Epidemiologist": the name is the one before.
            run = list(appositive[-1])
        people = [t for t in run if t.ent_type_ == "PERSON"]
        if run and not people:
            # "Dr. Dominik Alexander, lead author and Principal Epidemiologist": the title is no name.
            before = [ent for ent in sent.ents if ent.label_ == "PERSON" and s - 3 <= ent.end <= s]
            run = list(before[-1]) if before else run
            people = list(run) if before else []
        # "lead author Epidemiologist Jane Roe": a capitalised job title before the name is not the name.
        name = surname(rules, people or run)
        if name is None or (name in senior and rules.by_id[rid].rank < 1):
            continue  # "senior author Jane Roe ... Roe and her colleagues": the last author, not the first
        # A work cited in the cue's sentence, before one only mentioned there ("the findings").
        in_sent = [c for c in studies if any(sent.start_char <= w.start < sent.end_char for w in c)]
        cited_here = [c for c in in_sent if any(sent.start_char <= w.start < sent.end_char for w in primary(c))]
        target = (cited_here or in_sent or [main])[0]
        if target is None or any(w.first_author for w in primary(target)):
            continue
        target.append(Work(doc[s].idx, doc[s].idx, "cue", rid, 0, first_author=name, secondary=True))


def _named_elsewhere(doc: Doc, s: int) -> list[Token]:
    """"Bronfort and colleagues compared ...": the capitalised word right before the cue, which the tagger
    missed as a name, when the article writes it elsewhere after a first name or a title ("Dr. Gert Bronfort")."""
    if s < 1 or not (doc[s - 1].is_title and doc[s - 1].is_alpha) or doc[s - 1].is_stop:
        return []
    word = doc[s - 1].text
    for tok in doc:
        if tok.text == word and tok.i != s - 1 and tok.i >= 1:
            before = doc[tok.i - 1]
            if before.text.rstrip(".") in ("Dr", "Prof", "Professor"):
                return [doc[s - 1]]
            if before.is_title and before.is_alpha and not before.is_stop and before.ent_type_ in ("", "PERSON"):
                return [doc[s - 1]]
    return []


def _cue_sentence(doc: Doc, index: DocIndex, s: int, e: int) -> Span:
    """The sentence of the cue; when the parser ended a sentence inside the cue's own line ("Lead |
    researcher Prof Jane Roe said: ..."), that line's sentences together, for the name comes after."""
    sent = index.sentence_of_token(s)
    end = sent.end
    while end <= e and end < len(doc) and "\n" not in doc[end - 1].text and "\n" not in doc[end - 1].whitespace_:
        end = index.sentence_of_token(end).end
    return doc[sent.start : max(end, sent.end)]


def apply_reporters(rules: CitationRules, doc: Doc, studies: list[Cluster]) -> None:
    """"Roe and Doe reported at the X meeting": two people publishing the work name its first author.

    The subject of the publishing verb that opens a prose mention, when it is a pair (or more)
    of people's names, gives the first of them; a work that already has a first author keeps it.
    A single person "presenting" findings may be the lab head or a spokesperson, and gives none.
    """
    verbs = rules.words("PUBLICATION_VERBS")
    for cluster in studies:
        members = primary(cluster)
        if any(w.first_author for w in members):
            continue
        for w in members:
            span = doc.char_span(w.start, w.end, alignment_mode="expand") if w.kind == "prose" else None
            verb = span[0] if span is not None and len(span) else None
            if verb is None or verb.lower_ not in verbs or verb.pos_ not in ("VERB", "AUX"):
                continue
            name = _pair_before(rules, doc, verb.i)
            if name is not None:
                cluster.append(Work(verb.idx, verb.idx, "cue", "reporting_subject", 0, first_author=name, secondary=True))
                break


def _pair_before(rules: CitationRules, doc: Doc, verb: int) -> str | None:
    """The first surname of "Roe and Doe" right before the verb, the pair opening its clause.

    Read from the words, not the parse: after a long quote or clause the parser often attaches
    the pair to the object before it ("..., Roe and Doe reported").
    """
    def run_before(k: int) -> int:
        while k > 0 and doc[k - 1].pos_ == "PROPN" and doc[k - 1].is_title and verb - k < 6:
            k -= 1
        return k

    second = run_before(verb)
    if second == verb or second < 2 or doc[second - 1].lower_ not in ("and", "&"):
        return None
    first = run_before(second - 1)
    if first == second - 1:
        return None
    opening = first == 0 or doc[first - 1].is_punct or doc[first].is_sent_start
    return surname(rules, list(doc[first : second - 1])) if opening else None


def type_cues(rules: CitationRules, doc: Doc) -> list[tuple[str, int]]:
    """Every study-design cue of ``doc``: ``(study type id, character offset)``."""
    matches = [*rules.type_matcher(doc), *rules.type_patterns(doc)]
    return [(doc.vocab.strings[m], doc[s].idx) for m, s, _e in matches if not _negated(rules, doc, s)]


#: How many tokens before a design cue a negation still denies it ("not the kind of randomized trial").
_NEGATION_REACH = 4


def _negated(rules: CitationRules, doc: Doc, start: int) -> bool:
    """Whether a design cue is denied by a negation just before it, in its sentence."""
    sent_start = doc[start].sent.start
    window = doc[max(sent_start, start - _NEGATION_REACH) : start]
    return any(t.lower_ in rules.words("TYPE_NEGATORS") for t in window)


def _distance(cue: int, w: Work) -> int:
    return 0 if w.start <= cue < w.end else min(abs(cue - w.start), abs(cue - w.end))


def assign_type_cues(clusters: list[Cluster], cues: list[tuple[str, int]]) -> dict[int, list[tuple[str, int]]]:
    """Each design cue goes to the one work with the nearest mention, so a design never leaks into another work."""
    owned: dict[int, list[tuple[str, int]]] = {}
    # A story about one study describes its design anywhere ("Researchers randomly assigned ..."
    # three paragraphs after "a new study"): the reach grows when there is no other work to confuse.
    reach = 1500 if sum(1 for c in clusters if c and c[0].group == "study") == 1 else 400
    for cue in cues:
        best = min(
            ((min(_distance(cue[1], w) for w in c if w.kind != "cue"), n) for n, c in enumerate(clusters) if c),
            default=None,
        )
        if best is not None and best[0] < reach:
            owned.setdefault(id(clusters[best[1]]), []).append(cue)
    return owned


def study_type(rules: CitationRules, cluster: Cluster, cues: list[tuple[str, int]]) -> str | None:
    """The highest-ranked design named inside the citation, else near any of its mentions.

    ``cues`` are the cues this work owns (``assign_type_cues``).
    """
    members = [w for w in cluster if w.kind != "cue"]
    inside = [c for c in cues if any(w.start <= c[1] < w.end for w in members)]
    near = inside or cues
    if not near:
        return None
    best = max(near, key=lambda c: rules.study_types[c[0]].rank)
    return rules.study_types[best[0]].study_type


def fill(
    rules: CitationRules,
    cluster: Cluster,
    main: Cluster | None,
    dateline: int | None,
    cues: list[tuple[str, int]],
) -> tuple[Work, Work]:
    """The representative mention of a work and its merged fields, with implied year and study type."""
    rep = representative(cluster)
    merged = merge_fields(rep, cluster)
    if merged.group == "editorial" and main is not None:
        main_rep = representative(main)
        merged.venue = merged.venue or main_rep.venue
        merged.year = merged.year or main_rep.year or (dateline if main_rep.recent else None)
        merged.dated_by_article = merged.year is None and main_rep.recent and dateline is None
    # Gold fills an implied year from the dateline for works published "online April 16" or "Monday".
    recent = any(w.recent or w.relative_date for w in primary(cluster)) or (cluster is main and rep.kind != "author_year")
    if merged.year is None and merged.group != "org" and recent:
        if dateline is not None:
            merged.year = dateline + merged.year_offset
        else:
            merged.dated_by_article = True
    if merged.study_type is None and merged.group == "study":
        merged.study_type = study_type(rules, cluster, cues)
    return rep, merged


def to_hit(rules: CitationRules, text: str, work: Work, cluster: Cluster, rep: Work) -> CitationHit:
    """The stored citation: the representative's span, the merged fields, the other mentions."""
    mentions = sorted({(w.start, w.end) for w in cluster if w is not rep and w.kind != "cue" and w.end > w.start})
    return CitationHit(
        start=rep.start,
        end=rep.end,
        text=text[rep.start : rep.end],
        kind=rep.kind,
        first_author=work.first_author,
        et_al=work.et_al,
        year=work.year,
        venue=work.venue,
        study_type=work.study_type,
        doi=work.doi,
        pmid=work.pmid,
        url=work.url,
        query=pubmed_query(work, rules.venues, rules.study_types),
        rule=rep.rule,
        mentions=[Mention.of(text, s, e) for s, e in mentions],
        article_year_offset=work.year_offset if work.dated_by_article else None,
    )
