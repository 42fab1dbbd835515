"""Finding the candidate citations of a Doc: formal ones by regex, prose ones by token patterns,
later mentions ("the study") and author cues ("lead author"), outside page furniture.
"""

from __future__ import annotations

from dataclasses import dataclass

from healthclaims.components.citations import formal, guidelines, prose, sources
from healthclaims.components.citations.lexicon import CitationRules
from healthclaims.components.citations.names import is_name, topic_before_journal
from healthclaims.components.citations.work import Work
from healthclaims.components.common import doc_index, doc_text, longest_first
from healthclaims.types import Mention, overlaps_any, results
from spacy.tokens import Doc

Match = tuple[str, int, int, str]  # (label, start token, end token, rule id): longest_first's shape


@dataclass
class Candidates:
    """What ``find_candidates`` found: works, later mentions and first-author cues."""

    works: list[Work]
    mentions: list[tuple[int, int]]
    cues: list[tuple[str, int, int]]  # (rule id, start token, end token)


class _Taken:
    """Character ranges already claimed by an accepted candidate, and the page furniture to avoid."""

    def __init__(self, blocked: list[Mention]):
        self.blocked = blocked
        self.spans: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return not overlaps_any(start, end, self.blocked)

    def overlaps(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.spans)

    def take(self, work: Work) -> bool:
        if not self.free(work.start, work.end) or self.overlaps(work.start, work.end):
            return False
        self.spans.append((work.start, work.end))
        return True


def token_matches(rules: CitationRules, doc: Doc) -> dict[str, list[tuple[str, int, int]]]:
    """The token-pattern matches of ``doc`` grouped by label, each ``(rule id, start, end)``."""
    by_label: dict[str, list[tuple[str, int, int]]] = {}
    for match_id, s, e in rules.matcher(doc):
        rule = rules.by_id[doc.vocab.strings[match_id]]
        if rule.head_in is not None and doc[s].head.lower_ not in rules.words(rule.head_in):
            continue
        if rule.label == "PUB_IN":
            s = _name_after_lead(rules, doc, s)
            if s is None:
                continue
            e = s + 1
        by_label.setdefault(rule.label, []).append((rule.id, s, e))
    return by_label


def _name_after_lead(rules: CitationRules, doc: Doc, prep: int) -> int | None:
    """The token that starts a capitalised name after "published ... in", lower-case lead words skipped."""
    nxt = prep + 1
    lead = rules.words("VENUE_LEAD")
    # Lead words are skipped only in lower case: "in Scientific Reports" is the name itself.
    while nxt < len(doc) - 1 and (
        (doc[nxt].lower_ in lead and (doc[nxt].text[:1].islower() or doc[nxt].text == "The"))
        or topic_before_journal(doc, nxt)
    ):
        nxt += 1
    index = doc_index(doc)
    if nxt < len(doc) and is_name(rules, doc[nxt]) and index.sent_of_token(nxt) == index.sent_of_token(prep):
        return nxt
    return None


def longest(matches: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The longest of overlapping token matches (greedy, by length then position), sorted by start."""
    kept = longest_first(("", s, e, rid) for rid, s, e in matches)
    return [(rid, s, e) for _label, s, e, rid in kept]


def find_candidates(rules: CitationRules, doc: Doc, organisation_sources: bool = True) -> Candidates:
    """Find candidate citations, later mentions ("the study") and author cues in ``doc``."""
    text = doc_text(doc)
    taken = _Taken(results(doc, "hc_boilerplate"))
    accepted = [
        w
        for w in sorted(formal.formal_works(rules, text), key=lambda w: (w.start, -(w.end - w.start)))
        # a footnote marker ("(2,3)") is a secondary mention of each entry it names: it claims no words
        if (w.secondary and taken.free(w.start, w.end)) or taken.take(w)
    ]
    by_label = token_matches(rules, doc)
    # A second, overlapping reading of the same words is dropped: the strongest reading keeps them.
    # A named study or dataset keeps its whole name before a pointer reaching into it ("their analysis of the X (XS) study").
    prose_works = _prose_works(rules, doc, by_label, organisation_sources)
    for work in sorted(prose_works, key=lambda w: (-w.strength, w.group != "dataset", w.start)):
        if taken.take(work):
            accepted.append(work)
    # "the cancer research community": a study noun that only modifies another noun names no work.
    nouns = rules.words("WORK_NOUNS")
    mentions = [
        (doc[s].idx, doc[e - 1].idx + len(doc[e - 1]))
        for _rid, s, e in longest(by_label.get("MENTION", []))
        if not (doc[e - 1].lower_ in nouns and doc[e - 1].dep_ == "compound" and doc[e - 1].head.i > e - 1)
    ]
    mentions = [(s, e) for s, e in mentions if taken.free(s, e) and not taken.overlaps(s, e)]
    # "a small study", "a review": an indefinite noun brings in a work of its own, unless it is "a new study".
    indefinite, novelty = rules.words("INDEFINITE"), rules.words("NOVELTY")
    mentions = [
        (s, e)
        for s, e in mentions
        if text[s:e].split()[0].lower() not in indefinite or set(text[s:e].lower().split()) & novelty
    ]
    cues = [(rid, s, e) for rid, s, e in by_label.get("AUTHOR_CUE", []) if taken.free(doc[s].idx, doc[e - 1].idx + 1)]
    return Candidates(accepted, mentions, cues)


def _prose_works(
    rules: CitationRules, doc: Doc, by_label: dict[str, list[tuple[str, int, int]]], organisation_sources: bool
) -> list[Work]:
    found: list[Work] = []
    venue_spans = prose.venue_spans(rules, doc, by_label)
    for vspan, vid in venue_spans:
        work = prose.prose_from_venue(rules, doc, vspan, vid)
        if work is not None:
            found.append(work)
    known_venues = [(vspan, vid) for vspan, vid in venue_spans if vid]
    met: set[int] = set()
    # One verb may reach several "at"s ("presented ... at the hospital at the annual meeting"): the nearest meeting wins.
    for rid, s, e in sorted(by_label.get("MEETING", []), key=lambda m: (m[1], m[2])):
        work = sources.meeting(rules, doc, rules.by_id[rid], s, e) if s not in met else None
        if work is not None:
            met.add(s)
            found.append(work)
    for rid, s, e in longest(by_label.get("EDITORIAL", [])):
        found.append(sources.editorial(rules, doc, rules.by_id[rid], s, e))
    for rid, s, e in longest(by_label.get("YEAR_STUDY", [])):
        work = sources.dated_study(rules, doc, rules.by_id[rid], s, e)
        prose.venue_inside(rules, work, known_venues)
        guidelines.body_publisher(rules, doc, work)
        found.append(work)
    for rid, s, e in longest(by_label.get("STUDY_PUBLISHED", [])):
        published = sources.published_study(rules, doc, rules.by_id[rid], s, e)
        if published is not None:
            prose.venue_inside(rules, published, known_venues)
            found.append(published)
    for rid, s, e in longest(by_label.get("POINTER", [])):
        pointer = sources.study_pointer(rules, doc, rules.by_id[rid], s, e)
        if pointer is not None:
            prose.venue_inside(rules, pointer, known_venues)
            guidelines.body_publisher(rules, doc, pointer)
            found.append(pointer)
    for rid, s, e in longest(by_label.get("BODY_WORK", [])):
        body = guidelines.body_work(rules, doc, s, e, sources.dated_study(rules, doc, rules.by_id[rid], s, e))
        if body is not None:
            found.append(body)
    # "a study in 2001": after the pointers, so "Roe published a study in 2007" keeps its author
    for rid, s, e in longest(by_label.get("STUDY_IN_YEAR", [])):
        dated = sources.dated_study(rules, doc, rules.by_id[rid], s, e)
        twin = next((w for w in found if w.start == dated.start and w.year is None), None)
        if twin is not None:
            # the same words read as a pointer ("a study in 2001, ..."): the pointer is dated
            twin.year, twin.end = dated.year, max(twin.end, dated.end)
            continue
        prose.venue_inside(rules, dated, known_venues)
        found.append(dated)
    found.extend(guidelines.guideline_works(rules, doc))
    for rid, s, e in longest(by_label.get("NAMED_STUDY", [])):
        named = sources.named_study(rules, doc, rules.by_id[rid], s, e)
        if named is not None:
            found.append(named)
    same_venue(doc, found)
    if organisation_sources:
        found.extend(sources.source_line_bodies(rules, doc_text(doc)))
        for rid, s, e in longest(by_label.get("ORG_SOURCE", [])):
            org = sources.org_source(rules, doc, rules.by_id[rid], s, e)
            if org is not None:
                found.append(org)
    return found


def same_venue(doc: Doc, found: list[Work]) -> None:
    """ "Another study in the same journal", "a second trial, published in the same journal": a work
    without a venue of its own takes the venue of the nearest work named before it."""
    for work in found:
        if work.venue is not None or work.group != "study":
            continue
        span = doc.char_span(work.start, work.end, alignment_mode="expand")
        if span is None or not sources.same_venue_words(span):
            continue
        before = [w for w in found if w.venue and w.group == "study" and w.end <= work.start]
        if before:
            named = max(before, key=lambda w: w.end)
            work.venue, work.venue_key, work.journal = named.venue, named.venue_key, named.journal
