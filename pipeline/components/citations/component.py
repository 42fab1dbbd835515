"""The healthclaims_citations component: pointers to studies a reader could look up.

Finds author-year, numbered, DOI, PMID, link, source-line and prose citations, merges mentions of one work, fills fields and a PubMed query.
"""

from __future__ import annotations

import re

import numpy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from healthclaims.components.citations.data import (
    VENUE_LEAD,
    WS,
    CitationRule,
    StudyType,
    Venue,
    Work,
    expand_first,
    merge_fields,
    pubmed_query,
)
from healthclaims.resources import load_resource
from healthclaims.types import CitationHit, Mention, ensure_extensions, overlaps_any, results

_WORD = re.compile(r"[A-Za-z][\w'’-]*|\d\w*")


class CitationExtractor:
    """Find citations and store them, sorted by start, as ``doc._.hc_citations``."""

    def __init__(
        self,
        nlp: Language,
        patterns_file: str = "citation_patterns.jsonl",
        venues_file: str = "venues.jsonl",
        study_types_file: str = "study_types.jsonl",
        organisation_sources: bool = True,
    ):
        ensure_extensions()
        self._sent_doc: Doc | None = None
        self._sent_spans: list[Span] = []
        self._sent_of: list[int] = []
        self._doc_text = ""
        self.organisation_sources = organisation_sources
        rules = load_resource(patterns_file, CitationRule)
        self.words: dict[str, frozenset[str]] = {r.id: frozenset(r.words) for r in rules if r.words is not None}
        self.regexes: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        for rule in rules:
            if rule.regex is not None:
                compiled = re.compile(rule.regex, re.IGNORECASE if rule.ignore_case else 0)
                self.regexes.setdefault(rule.label, []).append((rule.id, compiled))
        self.matcher = Matcher(nlp.vocab)
        self.rule_label: dict[str, str] = {}
        for rule in rules:
            if rule.pattern is not None:
                self.matcher.add(rule.id, expand_first(rule.pattern))
                self.rule_label[rule.id] = rule.label

        self.venues = {v.id: v for v in load_resource(venues_file, Venue)}
        self.venue_by_name: dict[str, str] = {}
        self.venue_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for venue in self.venues.values():
            names = [venue.name, *venue.aliases]
            for name in names:
                self.venue_by_name[self._key_text(name)] = venue.id
            self.venue_matcher.add(venue.id, [nlp.make_doc(n) for n in names])

        self.study_types = {s.id: s for s in load_resource(study_types_file, StudyType)}
        self.type_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.type_patterns = Matcher(nlp.vocab)
        for st in self.study_types.values():
            if st.cues:
                self.type_matcher.add(st.id, [nlp.make_doc(c) for c in st.cues])
            if st.patterns:
                self.type_patterns.add(st.id, [p for pattern in st.patterns for p in expand_first(pattern)])

    # ------------------------------------------------------------------ helpers
    def _sent(self, doc: Doc, i: int) -> Span:
        """The sentence of token ``i``; ``Token.sent`` rescans the Doc on every call, so cache per Doc."""
        self._prepare(doc)
        return self._sent_spans[self._sent_of[i]]

    def _prepare(self, doc: Doc) -> None:
        if self._sent_doc is not doc:
            self._doc_text = doc.text
            self._sent_spans = list(doc.sents) if len(doc) else []
            self._sent_of = [0] * len(doc)
            for n, sent in enumerate(self._sent_spans):
                for k in range(sent.start, sent.end):
                    self._sent_of[k] = n
            self._sent_doc = doc

    def _text(self, doc: Doc) -> str:
        """``doc.text``, which spaCy rebuilds from the tokens on every access, cached per Doc."""
        self._prepare(doc)
        return self._doc_text

    @staticmethod
    def _key_text(name: str) -> str:
        key = WS.sub(" ", name.strip().lower())
        key = key.removeprefix("the ")
        return key.replace(" and ", " & ")

    def _venue_key(self, name: str) -> str:
        key = self._key_text(name)
        return self.venue_by_name.get(key, key)

    def _is_name(self, token: Token, allow_num: bool = False) -> bool:
        if allow_num and token.like_num and len(token.text) == 4:
            return True
        text = token.text
        if not text[:1].isupper() or token.is_punct:
            return False
        # Months and weekdays are capitalised but end a journal title ("in the April issue").
        return token.lower_ not in self.words["name_stops"]

    def _grow(self, doc: Doc, i: int, j: int, left: bool = True, allow_num: bool = False) -> tuple[int, int]:
        """Extend the name ``doc[i:j]`` over capitalised words and inner connectors, within the sentence."""
        sent = self._sent(doc, i)
        connectors = self.words["name_connectors"]
        while j < sent.end:
            tok = doc[j]
            if (
                self._is_name(tok, allow_num)
                or tok.text == "&"
                or tok.lower_ in connectors
                and tok.text.islower()
                and j + 1 < sent.end
                and (
                    self._is_name(doc[j + 1])
                    or (doc[j + 1].lower_ == "the" and j + 2 < sent.end and self._is_name(doc[j + 2]))
                )
            ):
                j += 1
            else:
                break
        while left and i - 1 > sent.start and self._is_name(doc[i - 1]):
            i -= 1
        while j > i + 1 and (doc[j - 1].lower_ in connectors or doc[j - 1].text == "&"):
            j -= 1
        return i, j

    def _year_in(self, text: str) -> int | None:
        for _rid, regex in self.regexes["YEAR"]:
            match = regex.search(text)
            if match:
                return int(match.group("year"))
        return None

    def _is_recent(self, sent: Span) -> tuple[bool, int]:
        """Whether the sentence dates the publication relative to the article (and by how many years)."""
        cues = self.words["recent_cues"]
        recent = any(t.lower_ in cues and (t.lower_ != "may" or t.text == "May") for t in sent)
        offset = -1 if any(rx.search(sent.text) for _rid, rx in self.regexes["LAST_YEAR"]) else 0
        return recent or offset != 0, offset

    def _surname(self, tokens: list[Token]) -> str | None:
        suffixes = self.words["name_suffixes"]
        names = [t for t in tokens if t.lower_ not in suffixes and t.is_alpha and len(t.text) > 1]
        return names[-1].text if names else None

    def _name_after(self, doc: Doc, k: int, end: int) -> list[Token]:
        suffixes = self.words["name_suffixes"]
        while k < end and (doc[k].lower_ in suffixes or doc[k].text in {",", "and"}):
            k += 1
        run: list[Token] = []
        # An acronym ("the lead researcher and ACME economist") is an organisation, not a person's name.
        while (
            k < end
            and doc[k].text[:1].isupper()
            and not (doc[k].is_upper and len(doc[k]) > 1 and doc[k].is_alpha)
            and doc[k].pos_ in ("PROPN", "NOUN", "ADJ", "VERB")
        ):
            run.append(doc[k])
            k += 1
        return run

    def _dateline_year(self, text: str) -> int | None:
        head = text[:1500]
        for _rid, regex in self.regexes["DATELINE"]:
            for match in regex.finditer(head):
                line_start = head.rfind("\n", 0, match.start()) + 1
                # A dateline opens its line; a date deep inside a sentence is a study's date.
                if match.start() - line_start <= 40:
                    return int(match.group("year"))
        return None

    # ------------------------------------------------------------------ regex citations
    def _regex_works(self, text: str) -> list[Work]:
        works: list[Work] = []
        for rid, line_rx in self.regexes["SOURCE_LINE"]:
            for line in line_rx.finditer(text):
                base = line.start("body")
                for eid, entry_rx in self.regexes["SOURCE_ENTRY"]:
                    for m in entry_rx.finditer(line.group("body")):
                        venue = m.group("venue").strip()
                        venue = re.sub(r"^(?:and|&)\s+", "", venue)
                        v_start = base + m.start("venue") + m.group("venue").find(venue)
                        start = base + m.start("url") if m.group("url") else v_start
                        works.append(
                            Work(
                                start,
                                base + m.end(),
                                "url" if m.group("url") else "prose",
                                rid,
                                3,
                                venue=venue,
                                venue_key=self._venue_key(venue),
                                year=int(m.group("year")),
                                url=m.group("url"),
                                recent=True,
                            )
                        )
        for rid, rx in self.regexes["REFERENCE"]:
            for m in rx.finditer(text):
                body = m.group("body")
                work = Work(
                    m.start("body"),
                    m.end("body"),
                    "numeric" if m.group("num") else "author_year",
                    rid,
                    3,
                    first_author=m.group("author"),
                    et_al="et al" in body,
                    year=int(m.group("year")),
                )
                if m.group("num"):
                    work.number = re.sub(r"\D", "", m.group("num")) or None
                if m.groupdict().get("venue"):
                    work.venue = m.group("venue").strip()
                    work.venue_key = self._venue_key(work.venue)
                for _vid, vrx in [] if work.venue else self.regexes["REFERENCE_VENUE"]:
                    vm = vrx.search(body)
                    if vm:
                        work.venue = vm.group("venue").strip()
                        work.venue_key = self._venue_key(work.venue)
                        work.journal = _vid != "reference_presented_at"
                        break
                works.append(work)
        for rid, rx in self.regexes["DOI"]:
            for m in rx.finditer(text):
                works.append(Work(m.start(), m.end(), "doi", rid, 3, doi=m.group("doi")))
        for rid, rx in self.regexes["PMID"]:
            for m in rx.finditer(text):
                works.append(Work(m.start(), m.end(), "pmid", rid, 3, pmid=m.group("pmid")))
        hosts = [rx for _hid, rx in self.regexes["URL_HOST"]]
        for rid, rx in self.regexes["URL"]:
            for m in rx.finditer(text):
                if any(h.match(m.group("url")) for h in hosts):
                    works.append(Work(m.start(), m.end(), "url", rid, 3, url=m.group("url")))
        for rid, rx in self.regexes["NUMERIC"]:
            for m in rx.finditer(text):
                work = Work(m.start(), m.end(), "numeric", rid, 3)
                if m.group("num").isdigit():
                    work.number = m.group("num")  # "[2]" twice is one work; "[1-4]" is several
                works.append(work)
        item_rx = self.regexes["AUTHOR_YEAR_ITEM"][0][1]
        for rid, rx in self.regexes["AUTHOR_YEAR_GROUP"]:
            for m in rx.finditer(text):
                base = m.start("items")
                for part in re.finditer(r"[^;]+", m.group("items")):
                    item = item_rx.fullmatch(part.group().strip())
                    if item:
                        s = base + part.start() + (len(part.group()) - len(part.group().lstrip()))
                        works.append(self._author_year(s, s + len(item.group()), item, rid))
        for rid, rx in self.regexes["AUTHOR_YEAR"]:
            for m in rx.finditer(text):
                works.append(self._author_year(m.start(), m.end(), m, rid))
        return works

    def _author_year(self, start: int, end: int, m: re.Match[str], rid: str) -> Work:
        groups = m.groupdict()
        year = groups.get("year") or groups.get("year2")
        etal = groups.get("etal") or ""
        return Work(
            start,
            end,
            "author_year",
            rid,
            3,
            first_author=m.group("author"),
            et_al="et al" in etal,
            year=int(year) if year else None,
        )

    # ------------------------------------------------------------------ prose citations
    def _venue_spans(self, doc: Doc, by_label: dict[str, list[tuple[str, int, int]]]) -> list[tuple[Span, str | None]]:
        spans: list[Span] = []
        keys: dict[tuple[int, int], str] = {}
        for match_id, s, e in self.venue_matcher(doc):
            vid = doc.vocab.strings[match_id]
            if s > self._sent(doc, s).start and doc[s - 1].text == "The":
                s -= 1
            spans.append(doc[s:e])
            keys[(s, e)] = vid
        for _rid, s, _e in by_label.get("VENUE_GENERIC", []):
            i, j = self._grow(doc, s, s + 1)
            if j - i > 1:
                spans.append(doc[i:j])
        for rid, s, e in by_label.get("VENUE_NAMED", []):
            if rid == "venue_journal_of":
                _i, j = self._grow(doc, e - 1, e, left=False)
                spans.append(doc[s:j])
            else:
                i, j = self._grow(doc, e - 1, e, left=False)
                spans.append(doc[i:j])
        for _rid, s, e in by_label.get("PUB_IN", []):
            i, j = self._grow(doc, e - 1, e, left=False)
            if doc[i].ent_type_ not in ("GPE", "LOC", "DATE", "PERSON", "NORP"):
                spans.append(doc[i:j])
        out = []
        for span in filter_spans(spans):
            vid = keys.get((span.start, span.end))
            out.append((span, vid))
        return out

    def _publication_context(self, prep: Token, strict: bool) -> bool:
        verbs = self.words["publication_verbs"]
        nouns = self.words["work_nouns"]
        head = prep.head
        for _ in range(5):
            low = head.lower_
            if low in verbs or low in ("issue", "edition", "online", "supplement"):
                return True
            if not strict and low in nouns:
                return True
            if head.head is head:
                return False
            head = head.head
        return False

    def _prose_from_venue(self, doc: Doc, vspan: Span, vid: str | None) -> Work | None:
        sent = self._sent(doc, vspan.start)
        ambiguous = bool(vid and self.venues[vid].ambiguous)
        i = vspan.start
        named = vspan[0].lower_.startswith("journal")
        while i - 1 >= sent.start and doc[i - 1].lower_ in VENUE_LEAD:
            named = named or doc[i - 1].lower_.startswith("journal")
            i -= 1
        after = doc[vspan.end] if vspan.end < sent.end else None
        venue_text = vspan.text
        if vspan[0].text == "the":
            venue_text = vspan[1:].text
        key = vid or self._venue_key(venue_text)
        if after is not None and after.lower_ in self.words["venue_modified_nouns"] and not ambiguous:
            # "a JAMA study", "The New England Journal study's authors": the venue modifies a study noun.
            start = min(after.left_edge.i, vspan.start)
            work = Work(
                doc[start].idx,
                after.idx + len(after),
                "prose",
                "prose_venue_modifier",
                1,
                venue=venue_text,
                venue_key=key,
            )
            work.year = self._year_in(doc[start : after.i].text)  # "one 2014 JAMA study"
            return work
        prep = doc[i - 1] if i - 1 >= sent.start else None
        if prep is None:
            return None
        if after is not None and after.pos_ in ("NOUN", "ADJ") and after.text.islower() and after.lower_ != "journal":
            return None  # "in American Diabetes Association scientific journals": the name is a modifier, not a venue
        if prep.lower_ == "in":
            if not (named or self._publication_context(prep, strict=ambiguous)):
                return None
            if ambiguous and after is not None and after.pos_ in ("NOUN", "PROPN") and not named:
                return None
        elif prep.lower_ == "of" and prep.head.lower_ in ("issue", "issues", "edition", "supplement", "volume"):
            pass
        else:
            return None
        return self._prose_span(doc, prep, vspan, venue_text, key)

    def _prose_span(self, doc: Doc, prep: Token, vspan: Span, venue_text: str, key: str) -> Work:
        """Choose the span of a prose citation: the study noun phrase or the publishing verb, through the venue."""
        nouns = self.words["work_nouns"]
        verbs = self.words["publication_verbs"]
        sent = self._sent(doc, vspan.start)
        noun: Token | None = None
        verb: Token | None = None
        is_subject = False
        if prep.lower_ == "of" and prep.head.head.lower_ == "in":
            prep = prep.head.head  # "in the June 2014 issue of X": the preposition leads the span
        head = prep.head
        for _ in range(5):
            if head.lower_ in nouns and head.pos_ in ("NOUN", "PROPN"):
                noun = head
                break
            if head.lower_ in verbs and head.pos_ in ("VERB", "AUX"):
                verb = head
                if verb.dep_ in ("acl", "relcl"):
                    owner = verb.head
                    # "a trial of 300 adults published in X": the participle hangs off the study's complement.
                    if owner.lower_ not in nouns and owner.dep_ == "pobj" and owner.head.head.lower_ in nouns:
                        owner = owner.head.head
                    noun = owner if owner.lower_ in nouns else None
                else:
                    for child in verb.children:
                        if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ in nouns:
                            noun, is_subject = child, True
                break
            if head.head is head:
                break
            head = head.head
        if noun is not None and noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ in nouns:
            noun = noun.head.head
        author = None
        if noun is not None:
            for child in noun.children:
                if child.dep_ == "poss" and child.pos_ == "PROPN":
                    author = child.text
        if (
            noun is not None
            and (is_subject or self._specific(noun))
            and (verb is None or verb.i - noun.left_edge.i <= 15)
        ):
            start = noun.left_edge.i
        elif verb is not None:
            start = verb.i
        elif noun is not None:
            start = noun.left_edge.i
        else:
            start = prep.i
        start = max(start, sent.start)
        end = vspan.end
        if end < sent.end and doc[end].lower_ == "journal":
            end += 1
        if end + 1 < sent.end and doc[end].lower_ == "in" and re.fullmatch(r"(19|20)\d\d", doc[end + 1].text):
            end += 2
        work = Work(
            doc[start].idx,
            doc[end - 1].idx + len(doc[end - 1]),
            "prose",
            "prose_published_in",
            2,
            venue=venue_text,
            venue_key=key,
            first_author=author,
        )
        # "Another study, published last year in X": the span starts at the verb, the noun still introduces a work.
        work.introduced = noun is not None and any(
            c.dep_ == "det" and c.lower_ in ("a", "an", "another", "one") for c in noun.children
        )
        work.year = self._year_in(self._text(doc)[work.start : work.end])
        if work.year is None:
            lead = self._text(doc)[sent.start_char : work.start]
            work.year = self._year_in(lead) if re.match(r"\s*In (19|20)\d\d,", lead) else None
        work.recent, work.year_offset = self._is_recent(sent)
        return work

    @staticmethod
    def _specific(noun: Token) -> bool:
        """A study noun phrase worth keeping in the span: indefinite, counted or modified, not a bare 'the study'."""
        for child in noun.children:
            if child.dep_ == "det" and child.lower_ in ("a", "an", "one"):
                return True
            if child.dep_ not in ("det", "punct", "acl", "relcl", "prep", "cc", "conj"):
                return True
        return False

    def _meeting(self, doc: Doc, s: int, e: int) -> Work | None:
        """A presentation at a named meeting: "presented at the 2015 annual ACR meeting"."""
        sent = self._sent(doc, s)
        words = self.words["meeting_words"]
        connectors = self.words["name_connectors"]

        def part(k: int) -> bool:
            return k < sent.end and (
                self._is_name(doc[k], allow_num=True)
                or doc[k].lower_ in words
                or doc[k].text == "&"
                # "Advances in Alzheimer's Therapy": a possessive inside a capitalised name.
                or doc[k].lower_ in ("'s", "’s")
                and k + 1 < sent.end
                and self._is_name(doc[k + 1])
            )

        j = e - 1
        while j < sent.end:
            if (
                doc[j].text == "("
                and j + 3 < sent.end
                and doc[j + 1].is_upper
                and doc[j + 2].text == ")"
                and part(j + 3)
            ):
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
        name = doc[e - 1 : j]
        if name and name[0].lower_ == "the":
            name = name[1:]
        # "presented at Harvard" names a place, not a meeting: the name must say meeting, congress...
        if not name or not any(t.lower_ in self.words["meeting_nouns"] for t in name):
            return None
        work = Work(
            doc[s].idx,
            doc[j - 1].idx + len(doc[j - 1]),
            "prose",
            "meeting_presented_at",
            2,
            venue=name.text,
            venue_key=self._venue_key(name.text),
            journal=False,
        )
        work.year = self._year_in(name.text)
        work.recent, work.year_offset = self._is_recent(sent)
        return work

    def _org_source(self, doc: Doc, rid: str, s: int, e: int) -> Work | None:
        heads = self.words["organisation_heads"]
        if rid == "org_according_to":
            first = e - 1
            _i, j = (
                self._grow(doc, first + 1, first + 1, left=False)
                if first + 1 < self._sent(doc, s).end
                else (first, first + 1)
            )
            j = max(j, first + 1)
            name = doc[first:j]
            if (
                name[-1].i + 1 < len(doc)
                and doc[name[-1].i + 1].pos_ in ("NOUN", "PROPN")
                and doc[name[-1].i + 1].text.islower()
            ):
                return None  # "according to the Harvard researchers": a group of people, not an organisation
            if name[-1].lower_ in self.words["news_outlet_heads"]:
                return None  # "according to the Washington Post": a news report, not a cited source
            is_org = (
                any(t.ent_type_ == "ORG" for t in name)
                or any(t.lower_ in heads for t in name)
                or (len(name) == 1 and name[0].is_upper)
            )
            if not is_org and len(name) < 3:
                return None
            span_end = name.end
        else:
            verb = doc[s]
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is None or not (subj.lower_ in heads or subj.ent_type_ == "ORG") or not subj.text[:1].isupper():
                return None
            # A newspaper or a company "reported" news; only a named body (Society, Institute...) gives a figure.
            if subj.lower_ in self.words["news_outlet_heads"] or (
                verb.lower_ in ("reports", "reported") and subj.lower_ not in heads
            ):
                return None
            s = subj.left_edge.i
            name = doc[s + (doc[s].lower_ == "the") : subj.i + 1]
            if not name or any(t.is_punct for t in name):
                return None
            span_end = verb.i + 1
        venue = name.text
        return Work(
            doc[s].idx,
            doc[span_end - 1].idx + len(doc[span_end - 1]),
            "prose",
            rid,
            0,
            group="org",
            venue=venue,
            venue_key="org:" + self._venue_key(venue),
        )

    def _editorial(self, doc: Doc, s: int, e: int) -> Work:
        work = Work(
            doc[s].idx,
            doc[e - 1].idx + len(doc[e - 1]),
            "prose",
            "prose_editorial",
            2,
            group="editorial",
            study_type="editorial",
        )
        noun = next((t for t in doc[s:e] if t.lower_ in ("editorial", "commentary")), doc[s])
        verb = noun.head
        if verb.pos_ == "VERB":
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
                subj = verb.head
            if subj is not None and subj.pos_ == "PROPN":
                work.first_author = subj.text
        return work

    # ------------------------------------------------------------------ the component
    def __call__(self, doc: Doc) -> Doc:
        works, mentions, cues = self.match(doc)
        self.set_annotations(doc, works, mentions, cues)
        return doc

    def match(self, doc: Doc) -> tuple[list[Work], list[tuple[int, int]], list[tuple[str, int, int]]]:
        """Find candidate citations, later mentions ("the study") and author cues in ``doc``."""
        text = self._text(doc)
        blocked = results(doc, "hc_boilerplate")

        def free(start: int, end: int) -> bool:
            return not overlaps_any(start, end, blocked)

        taken: list[tuple[int, int]] = []

        def overlaps(start: int, end: int) -> bool:
            return any(s < end and start < e for s, e in taken)

        accepted: list[Work] = []
        for work in sorted(self._regex_works(text), key=lambda w: (w.start, -(w.end - w.start))):
            if free(work.start, work.end) and not overlaps(work.start, work.end):
                accepted.append(work)
                taken.append((work.start, work.end))

        by_label: dict[str, list[tuple[str, int, int]]] = {}
        for match_id, s, e in self.matcher(doc):
            rid = doc.vocab.strings[match_id]
            by_label.setdefault(self.rule_label[rid], []).append((rid, s, e))
        # Unknown journals: a capitalised name right after "published ... in".
        in_hash = doc.vocab.strings.add("in")
        for i in numpy.flatnonzero(doc.to_array("LOWER") == in_hash) if len(doc) else []:
            t = doc[int(i)]
            if t.i + 1 < len(doc) and t.head.lower_ in self.words["publication_in_verbs"]:
                nxt = t.i + 1
                # Lead words are skipped only in lower case: "in Scientific Reports" is the name itself.
                while (
                    nxt < len(doc) - 1
                    and doc[nxt].lower_ in VENUE_LEAD
                    and (doc[nxt].text[:1].islower() or doc[nxt].text == "The")
                ):
                    nxt += 1
                if (
                    nxt < len(doc)
                    and self._is_name(doc[nxt])
                    and self._sent(doc, nxt).start == self._sent(doc, t.i).start
                ):
                    by_label.setdefault("PUB_IN", []).append(("prose_published_in", nxt, nxt + 1))

        prose: list[Work] = []
        venue_spans = self._venue_spans(doc, by_label)
        for vspan, vid in venue_spans:
            work = self._prose_from_venue(doc, vspan, vid)
            if work is not None:
                prose.append(work)
        known_venues = [(vspan, vid) for vspan, vid in venue_spans if vid]
        met: set[int] = set()
        # One verb may reach several "at"s ("presented ... at the hospital at the annual meeting"): the nearest meeting wins.
        for _rid, s, e in sorted(by_label.get("MEETING", []), key=lambda m: (m[1], m[2])):
            work = self._meeting(doc, s, e) if s not in met else None
            if work is not None:
                met.add(s)
                prose.append(work)
        for _rid, s, e in self._longest(by_label.get("EDITORIAL", [])):
            prose.append(self._editorial(doc, s, e))
        for rid, s, e in self._longest(by_label.get("YEAR_STUDY", [])):
            noun = doc[e - 1]
            end = e
            for child in noun.rights:
                if child.dep_ == "prep" and child.lower_ in ("of", "on", "in", "at", "from", "by"):
                    end = max(end, child.right_edge.i + 1)
            work = Work(doc[s].idx, doc[end - 1].idx + len(doc[end - 1]), "prose", rid, 1)
            work.year = self._year_in(doc[s:e].text)
            self._venue_inside(work, known_venues)
            prose.append(work)
        for rid, s, e in self._longest(by_label.get("STUDY_PUBLISHED", [])):
            sent = self._sent(doc, s)
            words = {t.lower_ for t in doc[s : e - 1]}
            if words & {"new", "latest", "recent"} and not any(t.like_num for t in doc[s:e]):
                continue  # "a new study published ..." is the article's main study, named elsewhere
            end = e
            # The time phrase after "published" ends the span: stop at punctuation, a clause or a finite verb.
            while (
                end < sent.end
                and (not doc[end].is_punct or self._inner_hyphen(doc, end))
                and doc[end].lower_ not in ("that", "which", "who")
                and doc[end].tag_ not in ("VBD", "VBZ", "VBP", "MD")
            ):
                end += 1
            work = Work(doc[s].idx, doc[end - 1].idx + len(doc[end - 1]), "prose", rid, 1)
            work.year = self._year_in(doc[s:end].text)
            work.recent, work.year_offset = self._is_recent(doc[e - 1 : end])
            when = {t.lower_ for t in doc[e - 1 : end]}
            # "published earlier this month" dates another, earlier work, not the article's own study.
            work.same_day = bool(when & self.words["same_day_cues"]) and not when & self.words["earlier_cues"]
            self._venue_inside(work, known_venues)
            prose.append(work)
        if self.organisation_sources:
            for rid, s, e in self._longest(by_label.get("ORG_SOURCE", [])):
                work = self._org_source(doc, rid, s, e)
                if work is not None:
                    prose.append(work)

        for work in sorted(prose, key=lambda w: (-w.strength, w.start)):
            if not free(work.start, work.end):
                continue
            if overlaps(work.start, work.end):
                # A second, overlapping reading of the same words: keep only venue-bearing members for merging.
                continue
            accepted.append(work)
            taken.append((work.start, work.end))

        mentions = [
            (doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for _rid, s, e in self._longest(by_label.get("MENTION", []))
        ]
        mentions = [(s, e) for s, e in mentions if free(s, e) and not overlaps(s, e)]
        cues = [(rid, s, e) for rid, s, e in by_label.get("AUTHOR_CUE", []) if free(doc[s].idx, doc[e - 1].idx + 1)]
        return accepted, mentions, cues

    def _venue_inside(self, work: Work, known: list[tuple[Span, str | None]]) -> None:
        """Give a dated or published study the known journal its own words name ("a 2009 review by the Cochrane Library")."""
        for vspan, _vid in known:
            if work.start <= vspan.start_char and vspan.end_char <= work.end:
                work.venue = vspan[1:].text if vspan[0].text == "the" else vspan.text
                work.venue_key = self._venue_key(work.venue)
                return

    @staticmethod
    def _inner_hyphen(doc: Doc, i: int) -> bool:
        """A hyphen inside a word ("active-duty"), which does not end a phrase."""
        return doc[i].text in ("-", "–") and i > 0 and not doc[i - 1].whitespace_ and not doc[i].whitespace_

    @staticmethod
    def _longest(matches: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
        """Keep the longest of overlapping token matches (greedy, by length then position)."""
        out: list[tuple[str, int, int]] = []
        used: set[int] = set()
        for rid, s, e in sorted(matches, key=lambda m: (m[1] - m[2], m[1])):
            if not used.intersection(range(s, e)):
                out.append((rid, s, e))
                used.update(range(s, e))
        return sorted(out, key=lambda m: m[1])

    # ------------------------------------------------------------------ merging and fields
    def set_annotations(
        self, doc: Doc, works: list[Work], mentions: list[tuple[int, int]], cues: list[tuple[str, int, int]]
    ) -> None:
        """Merge candidates into one citation per work, fill fields and store ``doc._.hc_citations``."""
        clusters = self._cluster(doc, sorted(works, key=lambda w: w.start))
        studies = [c for c in clusters if c[0].group == "study"]
        main = self._main(studies)
        for cluster in list(studies):
            if main is not None and cluster is not main and len(cluster) == 1 and cluster[0].same_day:
                # "a small trial published Tuesday" and the venue named later are one work.
                cluster[0].strength = -1
                main.append(cluster[0])
                studies.remove(cluster)
                clusters.remove(cluster)
        self._attach_identifier(clusters, studies, main)
        for start, end in mentions:
            target = self._nearest(studies, start, main, self._text(doc)[start:end].lower())
            if target is not None:
                target.append(Work(start, end, "mention", "mention", -1))
        self._apply_authors(doc, cues, studies, main)
        dateline = self._dateline_year(self._text(doc))
        type_cues = self._type_cues(doc)
        hits = []
        for cluster in clusters:
            rep = max((w for w in cluster if w.strength >= 0), key=Work.score)
            merged = merge_fields(rep, cluster)
            if merged.group == "editorial" and main is not None:
                main_rep = max((w for w in main if w.strength >= 0), key=Work.score)
                merged.venue = merged.venue or main_rep.venue
                merged.year = merged.year or main_rep.year or (dateline if main_rep.recent else None)
            # Gold fills an implied year from the dateline for works published "online April 16" or "Monday".
            recent = any(w.recent for w in cluster if w.strength >= 0) or (
                cluster is main and rep.kind != "author_year"
            )
            if merged.year is None and merged.group != "org" and dateline is not None and recent:
                merged.year = dateline + merged.year_offset
            if merged.study_type is None and merged.group == "study":
                merged.study_type = self._study_type(cluster, type_cues)
            hits.append(self._hit(self._text(doc), merged, cluster, rep))
        doc._.hc_citations = sorted(hits, key=lambda h: h.start)

    def _cluster(self, doc: Doc, works: list[Work]) -> list[list[Work]]:
        """Group the candidates into one list per cited work (same journal, same number, same author-year)."""
        text = self._text(doc)
        clusters: list[list[Work]] = []
        by_key: dict[str, list[list[Work]]] = {}
        sent_of = {}
        for w in works:
            span = doc.char_span(w.start, w.end, alignment_mode="expand")
            sent_of[id(w)] = self._sent(doc, span.start).start if span is not None and len(span) else -1
        author_year_sents: dict[int, list[list[Work]]] = {}
        for w in works:
            num_key = f"num|{w.number}" if w.number else None
            keys = [f"{w.group}|{w.venue_key}"] if w.venue_key else []
            keys += [f"{w.group}|acronym|{a}" for a in self._acronyms(w.venue)]
            # The same reference number is one work; otherwise the same journal (or its acronym:
            # "the NAMS meeting", "the North American Menopause Society meeting"), unless two formal references.
            target = next((c for c in reversed(by_key.get(num_key, [])) if self._compatible(text, w, c)), None)
            for key in keys if target is None else []:
                target = next(
                    (
                        c
                        for c in reversed(by_key.get(key, []))
                        if self._compatible(text, w, c) and not (w.strength >= 3 and any(x.strength >= 3 for x in c))
                    ),
                    None,
                )
                if target is not None:
                    break
            if target is not None:
                target.append(w)
                for k in [num_key, *keys]:
                    if k and all(c is not target for c in by_key.get(k, [])):
                        by_key.setdefault(k, []).append(target)
                continue
            if w.kind == "author_year":
                # Same author and year twice is one work; a prose venue in the same sentence describes it.
                same = next(
                    (
                        c
                        for c in clusters
                        if c[0].kind == "author_year" and c[0].first_author == w.first_author and c[0].year == w.year
                    ),
                    None,
                )
                if same is not None:
                    same.append(w)
                    continue
            cluster = [w]
            clusters.append(cluster)
            for k in [num_key, *keys]:
                if k:
                    by_key.setdefault(k, []).append(cluster)
            if w.kind == "author_year":
                author_year_sents.setdefault(sent_of[id(w)], []).append(cluster)
        # A prose citation sharing its sentence with exactly one author-year citation describes that work.
        out = []
        for cluster in clusters:
            head = cluster[0]
            group = author_year_sents.get(sent_of[id(head)], [])
            if (
                head.kind == "prose"
                and head.group == "study"
                and len(group) == 1
                and all(w.kind == "prose" for w in cluster)
            ):
                for w in cluster:
                    w.strength = min(w.strength, 2)
                group[0].extend(cluster)
                continue
            out.append(cluster)
        return self._meeting_and_journal(out, sent_of)

    def _meeting_and_journal(self, clusters: list[list[Work]], sent_of: dict[int, int]) -> list[list[Work]]:
        """Findings presented at a meeting and published in a journal in the same sentence are one work."""
        journal_sents: dict[int, list[list[Work]]] = {}
        for cluster in clusters:
            for w in cluster:
                if w.kind == "prose" and w.group == "study" and w.venue and w.journal:
                    journal_sents.setdefault(sent_of[id(w)], []).append(cluster)
        out = []
        for cluster in clusters:
            if all(w.rule and w.rule.startswith("meeting_") for w in cluster):
                hosts = {id(c): c for w in cluster for c in journal_sents.get(sent_of[id(w)], []) if c is not cluster}
                if len(hosts) == 1:
                    for w in cluster:
                        w.strength = min(w.strength, 1)  # the journal is what a reader looks up
                    next(iter(hosts.values())).extend(cluster)
                    continue
            out.append(cluster)
        return out

    @staticmethod
    def _acronyms(venue: str | None) -> set[str]:
        """Short forms a venue may go by: its own capitalised acronyms and the initials of its capitalised words."""
        if not venue:
            return set()
        words = _WORD.findall(venue)
        found = {w for w in words if w.isupper() and 3 <= len(w) <= 8}
        # Initials of each run of capitalised words ("International Neuromodulation Society 12th World Congress"
        # gives INS), connectors inside a run skipped ("Journal of Orthopaedic & Sports ..." gives JOSPT).
        runs: list[list[str]] = [[]]
        for w in [*words, "."]:
            if w[:1].isupper() and w not in ("The", "A") and not w.isupper():
                runs[-1].append(w)
            elif w.lower() not in ("of", "and", "&", "the", "for", "in", "on") or not runs[-1]:
                runs.append([])
        for run in runs:
            if len(run) >= 3:
                found.add("".join(w[0] for w in run))
        return found

    @staticmethod
    def _compatible(text: str, w: Work, cluster: list[Work]) -> bool:
        """Whether ``w`` may name the same work as ``cluster``: no other year or first author, not a second "a study"."""
        members = [x for x in cluster if x.strength >= 0]
        for x in members:
            if w.number and x.number and w.number != x.number:
                return False
            if w.year and x.year and w.year != x.year:
                return False
            if not w.journal and not x.journal and w.year_offset != x.year_offset:
                return False  # "last year's meeting" is not this year's
            if w.first_author and x.first_author and w.first_author != x.first_author:
                return False

        def introduces(x: Work) -> bool:
            # Each indefinite "a study in X" / "another trial in X" brings in a new work, even in the same journal.
            first = text[x.start : x.start + 12].split(maxsplit=1)
            return x.introduced or (
                x.kind == "prose" and bool(first) and first[0].lower() in ("a", "an", "another", "one")
            )

        return not (introduces(w) and any(introduces(x) for x in members))

    @staticmethod
    def _attach_identifier(clusters: list[list[Work]], studies: list[list[Work]], main: list[Work] | None) -> None:
        """A press release's lone DOI or PMID, after the study is described, identifies that study.

        Only when the article has no reference apparatus (numbered or author-year references),
        where a DOI could belong to any entry, and the main study names its journal.
        """
        ids = [c for c in studies if all(w.kind in ("doi", "pmid") for w in c)]
        formal = any(w.kind in ("numeric", "author_year") for c in clusters for w in c)
        if len(ids) != 1 or formal or main is None or main is ids[0]:
            return
        lone = ids[0]
        if any(w.doi or w.pmid for w in main) or not any(w.venue and w.journal for w in main):
            return
        if lone[0].start < min(w.start for w in main if w.strength >= 0):
            return
        for w in lone:
            w.strength = min(w.strength, 2)  # the identifier fills a field; the prose mention keeps the span
        main.extend(lone)
        studies.remove(lone)
        clusters.remove(lone)

    @staticmethod
    def _main(studies: list[list[Work]]) -> list[Work] | None:
        """The article's main study: a news-wire SOURCE line, else the first recent venue, else the first work."""
        for cluster in studies:
            if any(w.rule == "source_line" for w in cluster):
                return cluster
        for cluster in studies:
            if any(w.recent and w.venue for w in cluster):
                return cluster
        with_venue = [c for c in studies if any(w.venue for w in c)]
        return with_venue[0] if with_venue else (studies[0] if studies else None)

    @staticmethod
    def _nearest(studies: list[list[Work]], start: int, main: list[Work] | None, text: str) -> list[Work] | None:
        if main is not None and any(w in text for w in ("new ", "latest ", "recent ")):
            return main
        best, best_pos = None, -1
        for cluster in studies:
            for w in cluster:
                if best_pos < w.start <= start and start - w.start < 1500:
                    best, best_pos = cluster, w.start
        return best or main

    def _apply_authors(
        self, doc: Doc, cues: list[tuple[str, int, int]], studies: list[list[Work]], main: list[Work] | None
    ) -> None:
        for rid, s, e in cues:
            sent = self._sent(doc, s)
            if s >= 2 and doc[s - 1].text in ("-", "–") and doc[s - 2].lower_ == "co":
                continue  # a "co-lead" author shares the lead and need not be listed first
            if rid == "author_authors_listed":
                run = self._name_after(doc, e - 1, sent.end)
            else:
                run = (
                    self._name_after(doc, e, sent.end)
                    if not (e < sent.end and doc[e].lower_ in ("of", "on", "for", "in"))
                    else []
                )
                if not run:
                    persons = [ent for ent in sent.ents if ent.label_ == "PERSON" and ent.end <= s]
                    run = list(persons[-1]) if persons else []
            people = [t for t in run if t.ent_type_ == "PERSON"]
            # "lead author Epidemiologist Jane Roe": a capitalised job title before the name is not the name.
            surname = self._surname(people or run)
            if surname is None:
                continue
            target = None
            for cluster in studies:
                if any(sent.start_char <= w.start < sent.end_char for w in cluster):
                    target = cluster
                    break
            target = target or main
            if target is None or any(w.first_author for w in target if w.strength >= 0):
                continue
            target.append(Work(doc[s].idx, doc[s].idx, "cue", rid, -1, first_author=surname))

    def _type_cues(self, doc: Doc) -> list[tuple[str, int]]:
        found = [(doc.vocab.strings[m], doc[s].idx) for m, s, _e in self.type_matcher(doc)]
        found += [(doc.vocab.strings[m], doc[s].idx) for m, s, _e in self.type_patterns(doc)]
        return found

    def _study_type(self, cluster: list[Work], cues: list[tuple[str, int]]) -> str | None:
        """The highest-ranked design named inside the citation, else near any of its mentions."""
        members = [w for w in cluster if w.kind != "cue"]
        inside = [c for c in cues if any(w.start <= c[1] < w.end for w in members)]
        near = inside or [c for c in cues if any(abs(c[1] - w.start) < 400 for w in members)]
        if not near:
            return None
        best = max(near, key=lambda c: self.study_types[c[0]].rank)
        return self.study_types[best[0]].study_type

    def _hit(self, text: str, work: Work, cluster: list[Work], rep: Work) -> CitationHit:
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
            query=pubmed_query(work, self.venues, self.study_types),
            rule=rep.rule,
            mentions=[Mention.of(text, s, e) for s, e in mentions],
        )


@Language.factory(
    "healthclaims_citations",
    default_config={
        "patterns_file": "citation_patterns.jsonl",
        "venues_file": "venues.jsonl",
        "study_types_file": "study_types.jsonl",
        "organisation_sources": True,
    },
)
def make_citations(
    nlp: Language, name: str, patterns_file: str, venues_file: str, study_types_file: str, organisation_sources: bool
) -> CitationExtractor:
    """Build the citations component (data files are read from ``models/``)."""
    return CitationExtractor(nlp, patterns_file, venues_file, study_types_file, organisation_sources)
