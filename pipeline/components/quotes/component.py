"""The healthclaims_quotes spaCy component: direct quotes (paired quotation marks) and indirect
quotes (reported speech), each attributed to a speaker resolved to the fullest name in the article.

Results: ``doc.spans["quotes"]`` (label ``direct`` or ``indirect``), and ``doc._.hc_quotes`` /
``doc._.hc_speakers`` with cues, speaker mentions, roles and affiliations.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from healthclaims.components.base import RuleData, require
from healthclaims.components.common import doc_index, doc_text
from healthclaims.components.quotes.attribution import (
    Attribution,
    Context,
    Event,
    attribute,
    embedded,
    inherit,
    introductions,
    speaker_candidates,
    subject_speaker,
)
from healthclaims.components.quotes.describe import build_speakers
from healthclaims.components.quotes.indirect import IndirectFinder, Settings, sentence_units
from healthclaims.components.quotes.marks import Candidate, find_marks
from healthclaims.components.quotes.rules import VERBS_FILE, SPEAKERS_FILE, ReportingVerb, SpeakerWord, make_rules
from healthclaims.components.quotes.sources import Resolved
from healthclaims.components.quotes.speakers import SpeakerBook
from healthclaims.resources import PARTICLES_FILE, NameParticle
from healthclaims.types import QuoteHit, ensure_extensions, outside_spans, results

NAME = "healthclaims_quotes"
SPANS_KEY = "quotes"
# Quoted words with no speaker anywhere near are more often hypotheticals, slogans or
# sayings than quotes; only a full sentence's worth is kept as a quote of unknown source.
_UNATTRIBUTED_MIN_WORDS = 8


@Language.factory(
    NAME,
    default_config={
        "verbs_file": VERBS_FILE,
        "speakers_file": SPEAKERS_FILE,
        "particles_file": PARTICLES_FILE,
        "min_words": 3,
        "min_content_words": 3,
        "min_mixed_words": 4,
        "according_to_indirect": False,
        "woven_quote_indirect": False,
    },
    assigns=["doc.spans", "doc._.hc_quotes", "doc._.hc_speakers"],
    requires=["token.dep", "token.pos", "token.tag", "doc.ents", "doc.sents"],
)
def make_quotes(
    nlp: Language,
    name: str,
    verbs_file: str,
    speakers_file: str,
    particles_file: str,
    min_words: int,
    min_content_words: int,
    min_mixed_words: int,
    according_to_indirect: bool,
    woven_quote_indirect: bool,
) -> QuoteExtractor:
    """Build the quotes component (see ``QuoteExtractor``)."""
    return QuoteExtractor(
        nlp,
        name,
        min_words=min_words,
        min_content_words=min_content_words,
        min_mixed_words=min_mixed_words,
        according_to_indirect=according_to_indirect,
        woven_quote_indirect=woven_quote_indirect,
        verbs_file=verbs_file,
        speakers_file=speakers_file,
        particles_file=particles_file,
    )


class QuoteExtractor(RuleData):
    """Finds direct and indirect quotes and their speakers.

    Args:
        min_words: fewer words than this between marks is a scare quote or a term, not a quote.
        min_content_words: words a sentence needs outside quotes and attribution to be reported speech.
        min_mixed_words: words a sentence that also holds a direct quote needs in the clause its
            reporting verb governs, outside the quote (`"...," she said, adding that the trial
            will go on` reports; `"...," she said, referring to a 2019 trial` does not).
        according_to_indirect: treat "according to <person/group/organisation>" as an indirect quote
            (ANNOTATION.md says it is none: it has no reporting verb).
        woven_quote_indirect: a sentence whose reported clause is quoted from a word of its own
            (`Roe added that "..."`, `The program "has helped ...," she said`) is an indirect quote
            too, not only a direct one. Off by default: the development gold gives such sentences
            the direct quote alone; a literal reading of ANNOTATION.md's mixed-sentence rule turns it on.
        verbs_file, speakers_file, particles_file: the rule files under ``models/``.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = NAME,
        *,
        min_words: int = 3,
        min_content_words: int = 3,
        min_mixed_words: int = 4,
        according_to_indirect: bool = False,
        woven_quote_indirect: bool = False,
        verbs_file: str = VERBS_FILE,
        speakers_file: str = SPEAKERS_FILE,
        particles_file: str = PARTICLES_FILE,
    ):
        ensure_extensions()
        self.name = name
        self.vocab = nlp.vocab
        self.min_words = min_words
        self.settings = Settings(min_content_words, min_mixed_words, according_to_indirect, woven_quote_indirect)
        self.init_rules({"verbs": verbs_file, "speakers": speakers_file, "particles": particles_file})

    def load_rules(self) -> None:
        """Index the reporting verbs and speaker words (called again after ``from_disk``)."""
        self.quote_rules = make_rules(
            self.rules("verbs", ReportingVerb), self.rules("speakers", SpeakerWord), self.rules("particles", NameParticle)
        )
        strings = self.vocab.strings
        self.cue_hashes = {strings.add(form) for form in self.quote_rules.verbs} | {strings.add("according")}

    def __call__(self, doc: Doc) -> Doc:
        require(doc, NAME, ["parse", "entities"])
        ctx = self._context(doc)
        cue_tokens = [i for i, low in enumerate(doc.to_array("LOWER").tolist()) if low in self.cue_hashes]
        excluded = [(m.start, m.end) for m in results(doc, "hc_boilerplate")] + [
            (c.start, c.end) for c in results(doc, "hc_citations") if c.kind == "author_year"
        ]
        ctx.book = SpeakerBook(doc, self.quote_rules.lex, ctx.marks.mask, excluded, speaker_candidates(ctx, cue_tokens))
        direct = [(q, attribute(ctx, q)) for q in ctx.marks.quotes]
        indirect = self._indirect_hits(ctx, cue_tokens)
        events: list[Event] = [(q.open_tok, q.para, a.speaker) for q, a in direct if a.speaker is not None]
        events += [(cue, ctx.para_of_tok[cue], speaker) for _, speaker, cue in indirect]
        events += introductions(ctx, direct)
        events.sort(key=lambda e: e[0])
        found = [(hit, speaker) for hit, speaker, _ in indirect] + self._direct_hits(ctx, direct, events)
        found.sort(key=lambda h: (h[0].start, h[0].kind))
        self.set_annotations(doc, found, ctx.book)
        return doc

    def _context(self, doc: Doc) -> Context:
        index = doc_index(doc)
        para_of_tok = [index.paragraph_at_char(c) for c in doc.to_array("IDX").tolist()]
        marks = find_marks(doc, doc_text(doc), index, self.quote_rules.lex, self.min_words, results(doc, "hc_boilerplate"))
        return Context(doc, doc_text(doc), index, self.quote_rules, marks, para_of_tok)

    def _indirect_hits(self, ctx: Context, cue_tokens: list[int]) -> list[tuple[QuoteHit, Resolved, int]]:
        """Sentences of reported speech as ``(hit, speaker, cue token index)``."""
        finder = IndirectFinder(ctx, self.settings)
        boilerplate = results(ctx.doc, "hc_boilerplate")
        text, doc = ctx.text, ctx.doc
        out = []
        for start, end in sentence_units(ctx):
            # a dateline running into the sentence is cut off; furniture inside it drops the sentence
            bounds = outside_spans(text, doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), boilerplate)
            if bounds is None:
                continue
            s_char, e_char = bounds
            while doc[start].idx < s_char:
                start += 1
            report = finder.find(cue_tokens, start, end)
            if report is None:
                continue
            cue = report.cue
            hit = QuoteHit(s_char, e_char, text[s_char:e_char], "indirect", cue=cue.text, cue_start=cue.start, cue_end=cue.end)
            hit.speaker_mention = report.speaker.mention
            out.append((hit, report.speaker, report.cue_tok.i))
        return out

    @staticmethod
    def _direct_hits(
        ctx: Context, direct: list[tuple[Candidate, Attribution]], events: list[Event]
    ) -> list[tuple[QuoteHit, Resolved | None]]:
        """Direct quotes with their speakers; a quote with no cue of its own inherits one."""
        out: list[tuple[QuoteHit, Resolved | None]] = []
        speakers: list[Resolved | None] = []
        for q, a in direct:
            if a.attributed:
                speakers.append(a.speaker)
            else:
                inside = embedded(ctx, q)
                speakers.append((subject_speaker(ctx, q) if inside else None) or inherit(q, events, inside))
        said = [(_words(ctx.text[q.start : q.end]), r) for (q, _a), r in zip(direct, speakers) if r is not None]
        for (q, a), speaker in zip(direct, speakers):
            if speaker is None and not a.attributed:
                # 'hailed as "the start of real change"' in a lede: the words of a quote the story gives in full later
                speaker = _echoed(_words(ctx.text[q.start : q.end]), said)
            if speaker is None and not a.attributed and q.words < _UNATTRIBUTED_MIN_WORDS:
                continue
            hit = QuoteHit(q.start, q.end, ctx.text[q.start : q.end], "direct")
            if a.cue is not None:
                last = a.cue_last or a.cue
                hit.cue_start, hit.cue_end = a.cue.idx, last.idx + len(last)
                hit.cue = ctx.text[hit.cue_start : hit.cue_end]
            if a.attributed and a.speaker is not None:
                hit.speaker_mention = a.speaker.mention
            out.append((hit, speaker))
        return out

    def set_annotations(self, doc: Doc, found: list[tuple[QuoteHit, Resolved | None]], book: SpeakerBook) -> None:
        """Store the quotes (text order) and their speakers on the Doc."""
        named = [(r, hit.speaker_mention is not None) for hit, r in found if r is not None]
        speakers = build_speakers(book, named, self.quote_rules.verbs)
        index = {key: i for i, key in enumerate(dict.fromkeys(r.key for r, _ in named))}
        for hit, r in found:
            hit.speaker = index[r.key] if r is not None else None
        doc._.hc_speakers = speakers
        doc._.hc_quotes = [hit for hit, _ in found]
        spans = [doc.char_span(h.start, h.end, label=h.kind, alignment_mode="expand") for h in doc._.hc_quotes]
        doc.spans[SPANS_KEY] = [s for s in spans if s is not None]


def _words(text: str) -> str:
    """Quoted words compared without case, punctuation or spacing."""
    return " ".join(re.findall(r"[^\W_]+(?:['’][^\W_]+)?", text.lower()))


#: An echo is at least this many words long: shorter ones are common phrases.
_ECHO_MIN_WORDS = 3


def _echoed(words: str, said: list[tuple[str, Resolved]]) -> Resolved | None:
    """The one speaker of a longer, attributed quote that holds these quoted words whole."""
    if len(words.split()) < _ECHO_MIN_WORDS:
        return None
    speakers = {r.key: r for full, r in said if f" {words} " in f" {full} " and full != words}
    return next(iter(speakers.values())) if len(speakers) == 1 else None

