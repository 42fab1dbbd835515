"""The healthclaims_quotes component: direct quotes (paired quotation marks) and indirect quotes
(reported speech), each attributed to a speaker resolved to the fullest name in the article.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from healthclaims.resources import load_resource
from healthclaims.components.quotes.speakers import ReportingVerb, Resolved, SpeakerBook, load_lexicon
from healthclaims.types import Mention, QuoteHit, ensure_extensions, overlaps_any, results

_BREAK = re.compile(r"\n\s*")
_MARK = re.compile(r"[\"“”„]")
_WORD = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*")
_OPEN_BEFORE = set("([{—–-/\u00a0")
# Verbs whose attribution or report hangs off the main clause; relative and adverbial
# clauses ("who researchers believe is ...") describe someone rather than report speech.
_REPORT_DEPS = {"ROOT", "parataxis", "conj", "ccomp"}
_SENT_END = {".", "!", "?"}
_INNER_CLOSE = "'’\"”)]"  # a nested quote or bracket can close after the sentence's own end
# Quoted words with no speaker anywhere near are more often hypotheticals, slogans or
# sayings than quotes; only a full sentence's worth is kept as a quote of unknown source.
_UNATTRIBUTED_MIN_WORDS = 8
_TITLE_MAX_WORDS = 8
_TITLE_SHARE = 0.85


@dataclass
class _Quote:
    """A pair of marks and what is between them, before attribution."""

    start: int  # content, char offsets
    end: int
    open_tok: int  # token index of the opening mark (or first content token)
    close_tok: int  # token index of the closing mark (or last content token)
    para: int
    words: int
    closed: bool
    from_previous: bool  # continues a quote left open at the end of the previous paragraph
    speaker: Resolved | None = None
    cue: Token | None = None
    cue_last: Token | None = None  # last word of a two-word cue ("according to")
    attributed: bool = False


@Language.factory(
    "healthclaims_quotes",
    default_config={"min_words": 3, "min_content_words": 3, "min_mixed_words": 6, "according_to_indirect": True},
)
def make_quotes(
    nlp: Language, name: str, min_words: int, min_content_words: int, min_mixed_words: int, according_to_indirect: bool
):
    """Build the quotes component (see ``QuoteExtractor``)."""
    return QuoteExtractor(nlp, name, min_words, min_content_words, min_mixed_words, according_to_indirect)


class QuoteExtractor:
    """Finds direct and indirect quotes and their speakers; stores ``doc._.hc_quotes``/``hc_speakers``.

    Args:
        min_words: fewer words than this between marks is a scare quote or a term, not a quote.
        min_content_words: words a sentence needs outside quotes and attribution to be reported speech.
        min_mixed_words: the same for a sentence that also holds a direct quote, where a few framing
            words (`In each patient, "..." said X`) do not make the sentence reported speech.
        according_to_indirect: treat "according to <person/group/organisation>" as an indirect quote
            (the dev gold does; ANNOTATION.md says it has no reporting verb).
    """

    def __init__(
        self,
        nlp: Language,
        name: str,
        min_words: int = 3,
        min_content_words: int = 3,
        min_mixed_words: int = 6,
        according_to_indirect: bool = True,
    ):
        ensure_extensions()
        self.name = name
        self.min_words = min_words
        self.min_content_words = min_content_words
        self.min_mixed_words = min_mixed_words
        self.according_to_indirect = according_to_indirect
        self.verbs = {v.form.lower(): v for v in load_resource("reporting_verbs.jsonl", ReportingVerb)}
        self.lex = load_lexicon()
        strings = nlp.vocab.strings
        self.cue_hashes = {strings.add(form) for form in self.verbs} | {strings.add("according")}

    # ---- marks ---------------------------------------------------------------------------
    def _pair_marks(self, text: str, para_of: Callable[[int], int]) -> list[tuple[int, int, int, int, bool]]:
        """Pair quotation marks paragraph by paragraph.

        Returns ``(open_char, close_char, content_start, content_end, from_previous)``; a close
        char of -1 means the quote runs to the end of its paragraph.
        """
        pairs: list[tuple[int, int, int, int, bool]] = []
        open_at = -1
        para = -1
        carried = False  # the previous paragraph ended inside a quote
        para_start = 0
        carried_open = seen = False
        for match in _MARK.finditer(text):
            i = match.start()
            p = para_of(i)
            if p != para:
                if open_at >= 0:
                    # News convention: a quote running on into the next paragraph has no closing
                    # mark; the paragraph's content up to its end is one quote span.
                    end = text.find("\n", open_at)
                    pairs.append((open_at, -1, open_at + 1, end, carried_open))
                carried = open_at >= 0 and p == para + 1
                open_at, para = -1, p
                para_start = text.rfind("\n", 0, i) + 1
                seen = False
            mark = text[i]
            prev = text[i - 1] if i > 0 else "\n"
            nxt = text[i + 1] if i + 1 < len(text) else "\n"
            if mark == "“" or mark == "„":
                opener = not ((prev.isalnum() or prev in ".,!?;:") and (nxt.isspace() or nxt in ".,;:!?)"))
            elif mark == "”":
                opener = (prev.isspace() or prev in _OPEN_BEFORE) and nxt.isalnum()
            else:
                opener = prev.isspace() or prev in _OPEN_BEFORE or i == para_start
                if prev.isspace() and nxt.isspace():
                    opener = open_at < 0
            if opener:
                if open_at >= 0:
                    # An unclosed quote before another opener ends at its last sentence end.
                    cut = max(text.rfind(c, open_at, i) for c in ".!?")
                    if cut > open_at:
                        pairs.append((open_at, cut + 1, open_at + 1, cut + 1, carried_open))
                open_at, carried_open = i, carried and not seen
                seen = True
            elif open_at >= 0:
                pairs.append((open_at, i, open_at + 1, i, carried_open))
                open_at = -1
            elif carried and not seen:
                # A continued quote that was not reopened closes here.
                pairs.append((-1, i, para_start, i, True))
            seen = True
        if open_at >= 0:
            end = text.find("\n", open_at)
            pairs.append((open_at, -1, open_at + 1, end if end >= 0 else len(text), carried_open))
        return pairs

    # ---- attribution ---------------------------------------------------------------------
    def _verb(self, token: Token, direct: bool) -> ReportingVerb | None:
        entry = self.verbs.get(token.lower_)
        if entry is None or not token.tag_.startswith("VB") or not (entry.direct if direct else entry.indirect):
            return None
        if entry.particle:
            doc = token.doc
            nxt = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else ""
            if nxt != entry.particle and not any(
                c.dep_ == "prt" and c.lower_ == entry.particle for c in token.children
            ):
                return None
        return entry

    @staticmethod
    def _subjects(verb: Token) -> list[Token]:
        """Candidate subjects of a reporting verb, best first (the parser often mislabels them)."""
        found = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        found += [
            c
            for c in verb.rights
            if c.dep_ in ("dobj", "attr", "npadvmod", "appos", "oprd", "dative") and c.pos_ in ("PROPN", "NOUN", "PRON")
        ]
        if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
            found += [c for c in verb.head.children if c.dep_ == "nsubj"]
        doc = verb.doc
        # "As a rule Dr Roe recommended ..." can leave the name outside any subject relation.
        if not found and verb.i > 0 and doc[verb.i - 1].pos_ in ("PROPN", "PRON"):
            found.append(doc[verb.i - 1])
        if not found:
            # "..., another specialist, Jane Roe, Ph.D. of X, notes that ...": a long apposition
            # can leave the name attached anywhere; take the nearest person with no verb between.
            j, first = verb.i - 1, verb.sent.start
            while j >= first and doc[j].pos_ not in ("VERB", "AUX") and doc[j].ent_type_ != "PERSON":
                j -= 1
            if j >= first and doc[j].ent_type_ == "PERSON":
                found.append(doc[j])
        j = verb.i + 1
        # "said Dr. Jane Roe" sometimes parses Roe as anything but a subject: take the name that follows.
        while j < len(doc) and j < verb.i + 6 and (doc[j].pos_ == "PROPN" or doc[j].lower_ in ("dr.", "dr")):
            if j + 1 >= len(doc) or doc[j + 1].pos_ != "PROPN":
                found.append(doc[j])
                break
            j += 1
        return found

    def _resolve(
        self, subjects: list[Token], book: SpeakerBook, mask: list[bool]
    ) -> tuple[Resolved | None, Token | None]:
        """The first candidate subject outside quotation marks that names a speaker."""
        for subject in subjects:
            if not mask[subject.i]:
                resolved = book.resolve(subject)
                if resolved is not None:
                    return resolved, subject
        return None, None

    def _according_to(self, tok: Token, end: int, authored: bool = False) -> Token | None:
        """The source of "according to X" when X can speak (not "according to the study").

        With ``authored``, a document's named author is the source (`"...," according to the
        report by Jane Roe`): quoted words from a paper are its authors' words.
        """
        doc = tok.doc
        if tok.lower_ != "according" or tok.i + 1 >= end or doc[tok.i + 1].lower_ != "to":
            return None
        objects = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
        if not objects:
            return None
        if self.lex.has("document", objects[0].lower_):
            if not authored:
                return None
            authors = [a for p in objects[0].children if p.dep_ == "prep" and p.lower_ == "by" for a in p.children]
            return authors[0] if authors and authors[0].ent_type_ == "PERSON" else None
        return objects[0]

    def _attribute(
        self, doc: Doc, q: _Quote, book: SpeakerBook, mask: list[bool], opens: set[int], para_of_tok: list[int]
    ) -> None:
        """Find the reporting verb and speaker of a direct quote: right after it, else before it in its sentence."""
        after: list[Token] = []
        j = q.close_tok + 1
        while j < len(doc) and len(after) < 16 and para_of_tok[j] == q.para:
            tok = doc[j]
            if j in opens or (tok.text in _SENT_END and not mask[j]):
                break
            if not tok.is_space:
                after.append(tok)
            j += 1
        # A quote that ends its sentence ("... about.” The next ...") is attributed after only
        # by a lower-case continuation ("... about,” he said").
        if book.text[q.start : q.end].rstrip(_INNER_CLOSE)[-1:] == "." and after and not after[0].is_lower:
            after = []
        before: list[Token] = []
        j = q.open_tok - 1
        while j >= 0 and len(before) < 40 and para_of_tok[j] == q.para and not mask[j]:
            tok = doc[j]
            if tok.text in _SENT_END:
                break
            before.append(tok)
            j -= 1
        for tok in after[:4] + before + after[4:]:
            if mask[tok.i]:
                continue
            source = self._according_to(tok, len(doc), authored=True)
            if source is not None:
                q.attributed, q.cue, q.cue_last = True, tok, doc[tok.i + 1]
                q.speaker, _ = self._resolve([source], book, mask)
                return
            if self._verb(tok, direct=True) is None:
                continue
            q.attributed, q.cue = True, tok
            q.speaker, _ = self._resolve(self._subjects(tok), book, mask)
            return

    # ---- indirect --------------------------------------------------------------------------
    def _indirect(
        self,
        doc: Doc,
        cues: list[int],
        start: int,
        end: int,
        book: SpeakerBook,
        mask: list[bool],
        direct_mask: list[bool],
    ) -> tuple[Resolved, Token, Mention] | None:
        """The speaker and cue of a sentence of reported speech, or None."""
        has_quote = any(direct_mask[start:end])
        needed = self.min_mixed_words if has_quote else self.min_content_words
        for i in cues:
            if mask[i]:
                continue
            tok = doc[i]
            excluded: set[int] = set()
            source = self._according_to(tok, end) if self.according_to_indirect else None
            if source is not None:
                resolved, subject = self._resolve([source], book, mask)
                excluded.update((tok.i, tok.i + 1))
                cue = Mention.of(book.text, tok.idx, doc[tok.i + 1].idx + len(doc[tok.i + 1]))
            else:
                entry = self._verb(tok, direct=False)
                if entry is None or not self._main_clause(tok):
                    continue
                resolved, subject = self._resolve(self._subjects(tok), book, mask)
                if resolved is None:
                    continue
                clause = any(c.dep_ == "ccomp" for c in tok.children) or tok.dep_ in ("parataxis", "advcl")
                # "The researchers found a 41 percent drop in visits": a team reports findings as objects too.
                if (
                    entry.needs_clause
                    and not clause
                    and not (
                        entry.reports_object
                        and self._definite_group(resolved, subject)
                        and any(c.dep_ == "dobj" for c in tok.children)
                    )
                ):
                    continue
                excluded.add(tok.i)
                excluded.update(
                    c.i
                    for c in tok.children
                    if c.dep_ in ("aux", "neg", "advmod", "prt", "auxpass", "cc", "mark") and c.i > tok.i - 4
                )
                last = doc[tok.i + 1] if entry.particle else tok
                cue = Mention.of(book.text, tok.idx, last.idx + len(last))
            if resolved is None or subject is None:
                continue
            excluded.update(t.i for t in subject.subtree)
            sent = tok.sent
            if subject.i > tok.i and source is None:
                # "..., says Dr. Jane Roe, a cardiologist who ...": all that follows describes the speaker.
                excluded.update(range(tok.i, sent.end))
            # Only the cue's own sentence counts: a fragment glued on by the splitter is no report.
            content = sum(
                1
                for t in doc[max(start, sent.start) : min(end, sent.end)]
                if t.i not in excluded and not direct_mask[t.i] and (t.is_alpha or t.like_num)
            )
            if content >= needed:
                return resolved, tok, cue
        return None

    @staticmethod
    def _main_clause(verb: Token) -> bool:
        """Whether a reporting verb heads the sentence's report rather than a relative or adverbial clause."""
        if verb.dep_ in _REPORT_DEPS:
            return True
        if verb.dep_ == "advcl":  # "..., says Dr. Roe" is sometimes parsed as an adverbial clause
            return verb.i > 0 and verb.doc[verb.i - 1].text == ","
        # "She finds that X is Y" is sometimes parsed with "finds" as the clausal subject of "is".
        return verb.dep_ == "csubj" and any(c.dep_ == "nsubj" for c in verb.children)

    @staticmethod
    def _definite_group(resolved: Resolved, subject: Token) -> bool:
        # "The researchers found a 41 percent drop in visits" reports a finding; bare "authors
        # found consistent evidence" more often summarises a cited paper in the writer's voice;
        # "they" resolved to such a team is as definite as the team.
        return resolved.kind == "group" and (
            subject.pos_ == "PRON" or any(c.dep_ in ("det", "poss") for c in subject.children)
        )

    # ---- component -------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        # Paragraph index of a character: blank lines separate paragraphs but are not ones.
        breaks = [m.end() for m in _BREAK.finditer(text)]

        def para_of(char: int) -> int:
            return bisect_right(breaks, char)

        starts = doc.to_array("IDX").tolist()
        para_of_tok = [para_of(c) for c in starts]
        lowers = doc.to_array("LOWER").tolist()
        cue_tokens = [i for i, low in enumerate(lowers) if low in self.cue_hashes]
        boiler_spans = results(doc, "hc_boilerplate")
        excluded_chars = [(m.start, m.end) for m in boiler_spans] + [(c.start, c.end) for c in results(doc, "hc_citations") if c.kind == "author_year"]

        def tok_at(char: int) -> int:
            return max(bisect_right(starts, char) - 1, 0)

        def in_boiler(s: int, e: int) -> bool:
            return overlaps_any(s, e, boiler_spans)

        quotes: list[_Quote] = []
        mask = [False] * len(doc)  # inside any pair of marks, marks included
        direct_mask = [False] * len(doc)  # inside a real (long enough) quote
        opens: set[int] = set()
        for open_c, close_c, cs, ce, from_prev in self._pair_marks(text, para_of):
            while cs < ce and text[cs].isspace():
                cs += 1
            while ce > cs and text[ce - 1].isspace():
                ce -= 1
            if ce <= cs:
                continue
            a = tok_at(open_c) if open_c >= 0 else tok_at(cs)
            b = tok_at(close_c) if close_c >= 0 else tok_at(ce - 1)
            opens.add(a)
            words = len(_WORD.findall(text, cs, ce))
            for k in range(a, b + 1):
                mask[k] = True
                if words >= self.min_words:
                    direct_mask[k] = True
            if (
                words >= self.min_words
                and not in_boiler(cs, ce)
                and not self._title_like(text[cs:ce])
                and not self._names_a_work(doc, a, b, open_c >= 0)
            ):
                quotes.append(_Quote(cs, ce, a, b, para_of(cs), words, close_c >= 0, from_prev))

        book = SpeakerBook(doc, text, self.lex, mask, excluded_chars)
        # Events (token index, paragraph, speaker) from which unattributed quotes take a speaker.
        events: list[tuple[int, int, Resolved]] = []
        hits: list[tuple[QuoteHit, Resolved | None]] = []
        for q in quotes:
            self._attribute(doc, q, book, mask, opens - {q.open_tok}, para_of_tok)
            if q.speaker is not None:
                events.append((q.open_tok, q.para, q.speaker))

        for sent_start, sent_end in self._sentence_units(doc, para_of_tok):
            s_char, e_char = doc[sent_start].idx, doc[sent_end - 1].idx + len(doc[sent_end - 1])
            if in_boiler(s_char, e_char):
                continue
            lo, hi = bisect_left(cue_tokens, sent_start), bisect_left(cue_tokens, sent_end)
            if lo == hi:
                continue
            found = self._indirect(doc, cue_tokens[lo:hi], sent_start, sent_end, book, mask, direct_mask)
            if found is None:
                continue
            resolved, cue_tok, cue = found
            while e_char > s_char and text[e_char - 1].isspace():
                e_char -= 1
            hit = QuoteHit(
                s_char,
                e_char,
                text[s_char:e_char],
                "indirect",
                cue=cue.text,
                cue_start=cue.start,
                cue_end=cue.end,
                speaker_mention=resolved.mention,
            )
            hits.append((hit, resolved))
            events.append((cue_tok.i, para_of_tok[cue_tok.i], resolved))
        events.sort(key=lambda e: e[0])

        for q in quotes:
            if not q.attributed:
                q.speaker = self._inherit(q, events)
                if q.speaker is None and q.words < _UNATTRIBUTED_MIN_WORDS:
                    continue
            cue = q.cue
            hit = QuoteHit(q.start, q.end, text[q.start : q.end], "direct")
            if cue is not None:
                last = q.cue_last or cue
                hit.cue_start, hit.cue_end = cue.idx, last.idx + len(last)
                hit.cue = text[hit.cue_start : hit.cue_end]
            if q.speaker is not None and q.attributed:
                hit.speaker_mention = q.speaker.mention
            hits.append((hit, q.speaker))

        hits.sort(key=lambda h: (h[0].start, h[0].kind))
        speakers = []
        index: dict[str, int] = {}
        for hit, resolved in hits:
            if resolved is None:
                continue
            if hit.speaker_mention is not None:
                book.note(Resolved(resolved.key, resolved.name, resolved.kind, hit.speaker_mention))
        for hit, resolved in hits:
            if resolved is None:
                continue
            if resolved.key not in index:
                index[resolved.key] = len(speakers)
                speakers.append(book.build(resolved.key, resolved))
            hit.speaker = index[resolved.key]
        doc._.hc_speakers = speakers
        doc._.hc_quotes = [h for h, _ in hits]
        return doc

    @staticmethod
    def _inherit(q: _Quote, events: list[tuple[int, int, Resolved]]) -> Resolved | None:
        """Speaker of an unattributed quote: the nearest attribution in its paragraph, preferring
        the previous one, else the last of the previous paragraph (news quotes run on)."""
        if not q.closed:
            # A quote left open at its paragraph's end runs on: the next paragraph's speaker says it.
            following = [e for e in events if e[1] == q.para + 1]
            if following:
                return following[0][2]
        same = [e for e in events if e[1] == q.para]
        previous = [e for e in same if e[0] < q.open_tok]
        if previous:
            return previous[-1][2]
        if same:
            return same[0][2]
        earlier = [e for e in events if e[1] == q.para - 1 or (q.from_previous and e[1] < q.para)]
        return earlier[-1][2] if earlier else None

    @staticmethod
    def _title_like(content: str) -> bool:
        """Titles of works and names ("Good Morning America") are capitalised word by word."""
        words = _WORD.findall(content)
        if content.endswith(","):
            return False  # a comma inside the marks belongs to speech: "At the end," said X
        if len(words) > _TITLE_MAX_WORDS:
            # Long headline-style titles of papers: nearly every long word capitalised.
            long = [w for w in words if len(w) > 3 and not w.isdigit()]
            return len(long) >= 4 and sum(1 for w in long if w[:1].isupper()) >= _TITLE_SHARE * len(long)
        capitalised = sum(1 for w in words if w[:1].isupper())
        return capitalised >= 2 and all(w[:1].isupper() or w.isdigit() or len(w) <= 3 for w in words)

    def _names_a_work(self, doc: Doc, open_tok: int, close_tok: int, marked: bool) -> bool:
        """Whether the quoted words are the title of a work: `a paper titled "..."`, `"..." is published in`."""
        if marked and open_tok > 0 and self.lex.has("work_cue", doc[open_tok - 1].lower_):
            return True
        j = close_tok + 1
        while j < len(doc) and j <= close_tok + 4:
            tok = doc[j]
            if self.lex.has("work_after", tok.lower_):
                return True
            if not (tok.is_punct or tok.is_space or tok.pos_ == "AUX"):
                break
            j += 1
        return False

    @staticmethod
    def _sentence_units(doc: Doc, para_of_tok: list[int]) -> list[tuple[int, int]]:
        """Sentences, with a fragment the parser split off ("... options,” said X.") glued back."""
        units: list[list[int]] = []
        for sent in doc.sents:
            first = next((t for t in sent if not t.is_space), None)
            if first is None:
                continue
            if (
                units
                and para_of_tok[first.i] == para_of_tok[units[-1][1] - 1]
                and (first.is_lower or first.text in ",”’;:)")
            ):
                units[-1][1] = sent.end
            else:
                units.append([first.i, sent.end])
        out = []
        for s, e in units:
            while e > s and doc[e - 1].is_space:
                e -= 1
            if e > s:
                out.append((s, e))
        return out
