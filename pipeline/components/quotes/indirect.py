"""Indirect quotes: sentences of reported speech ("Roe said the drug ...", "..., she found.")
whose reporting verb heads the sentence and whose subject names a speaker.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from spacy.tokens import Token

from healthclaims.components.quotes.attribution import Context, according_source, first_resolved, misread_role, subjects
from healthclaims.components.quotes.rules import Lexicon, ReportingVerb
from healthclaims.components.quotes.sources import Resolved, at_institution
from healthclaims.types import Mention

# Verbs whose attribution or report hangs off the main clause; relative and adverbial
# clauses ("who researchers believe is ...") describe someone rather than report speech.
_REPORT_DEPS = {"ROOT", "parataxis", "conj", "ccomp"}
#: Verbs of plain speech by which a document speaks as written ("the report said", "the study noted").
_DOCUMENT_SPEECH = frozenset({"say", "note", "state", "write", "add"})
_DEFINITE = frozenset({"the", "this", "that", "its", "their"})
# Words of the cue itself, not of the report: "did not say", "also noted", "points out".
_CUE_DEPS = ("aux", "neg", "advmod", "prt", "auxpass", "cc", "mark")
#: Prepositions after a reporting verb that give what was said, not where or when ("warned of", "caution about").
_TOPIC_PREPS = frozenset({"about", "against", "of"})


@dataclass(frozen=True)
class Settings:
    """How much reported content a sentence needs, and whether "according to X" reports speech."""

    min_content_words: int = 3
    min_mixed_words: int = 4
    according_to_indirect: bool = False
    woven_quote_indirect: bool = False


@dataclass(frozen=True)
class Report:
    """One sentence of reported speech: its speaker, the cue token and the cue's words."""

    speaker: Resolved
    cue_tok: Token
    cue: Mention


def sentence_units(ctx: Context) -> list[tuple[int, int]]:
    """Sentences as token ranges, with a fragment the parser split off ("... options,” said X.") glued back."""
    units: list[list[int]] = []
    for sent in ctx.index.sents:
        first = next((t for t in sent if not t.is_space), None)
        if first is None:
            continue
        if (
            units
            and ctx.para_of_tok[first.i] == ctx.para_of_tok[units[-1][1] - 1]
            and (first.is_lower or first.text in ",”’;:)")
        ):
            units[-1][1] = sent.end
        else:
            units.append([first.i, sent.end])
    out = []
    for s, e in units:
        while e > s and ctx.doc[e - 1].is_space:
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def main_clause(verb: Token) -> bool:
    """Whether a reporting verb heads the sentence's report rather than a relative or adverbial clause."""
    if verb.dep_ in _REPORT_DEPS:
        return True
    if verb.tag_ == "VBG" and verb.dep_ in ("acl", "advcl", "xcomp"):
        # "..., saying that", "issued a statement saying": a participle of the main clause's subject.
        # It reports only with a clause of its own ("adding to the mixed results" reports nothing).
        head = verb.head if verb.head.pos_ in ("VERB", "AUX") else verb.head.head
        reports = any(c.dep_ == "ccomp" for c in verb.children)
        return reports and head.dep_ in ("ROOT", "conj") and head.pos_ in ("VERB", "AUX")
    if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.head.dep_ == "prep":
        # "she tempered the hope by noting that ...": the main clause's subject reports through it.
        head = verb.head.head
        return any(c.dep_ == "ccomp" for c in verb.children) and head.dep_ == "ROOT" and head.pos_ in ("VERB", "AUX")
    if verb.dep_ == "relcl" and _person_inside(verb):
        return True
    if verb.dep_ == "advcl":  # "..., says Dr. Roe" is sometimes parsed as an adverbial clause
        # "... because the government says that ...": a reason given as someone's report
        because = any(c.dep_ == "mark" and c.lower_ in ("because", "since") for c in verb.children)
        return (verb.i > 0 and verb.doc[verb.i - 1].text == ",") or (
            because and any(c.dep_ == "ccomp" for c in verb.children)
        )
    if closes_sentence(verb):
        return True
    # "She finds that X is Y" is sometimes parsed with "finds" as the clausal subject of "is".
    return verb.dep_ == "csubj" and any(c.dep_ == "nsubj" for c in verb.children)


def _person_inside(verb: Token) -> bool:
    """"the older approach, which he says has been reliable": a person of its own inside a
    relative clause reports on what the clause describes ("who researchers believe is the
    first" only describes someone)."""
    return any(c.dep_ == "ccomp" for c in verb.children) and any(
        c.dep_ == "nsubj" and c.tag_ not in ("WDT", "WP") and (c.pos_ in ("PRON", "PROPN") or c.is_title)
        for c in verb.children
    )


def _set_off_subject(verb: Token) -> bool:
    """The verb's nearest subject before it opens after a comma inside its sentence ("..., the researchers said")."""
    subject = next((c for c in reversed(list(verb.lefts)) if c.dep_ == "nsubj"), None)  # the nearest
    if subject is None or subject.left_edge.i <= verb.sent.start:
        return False
    return verb.doc[subject.left_edge.i - 1].text == ","


def closes_sentence(verb: Token) -> bool:
    """Whether the verb is a sentence's closing attribution ("..., the researchers said."), which the
    parser sometimes hangs off a noun of a long sentence as a relative clause."""
    after = verb.doc[verb.i + 1 : verb.sent.end]
    return _set_off_subject(verb) and all(t.is_punct or t.is_space for t in after)


def definite_group(resolved: Resolved, subject: Token) -> bool:
    """Whether a group speaker is one definite team ("the researchers", "scientists at Quilby
    University", or "they" standing for one)."""
    # "The researchers found a 41 percent drop in visits" reports a finding; bare "authors
    # found consistent evidence" more often summarises a cited paper in the writer's voice.
    return resolved.kind == "group" and (
        subject.pos_ == "PRON" or any(c.dep_ in ("det", "poss") for c in subject.children) or at_institution(subject)
    )


def _frame(entry: ReportingVerb, tok: Token, resolved: Resolved, lex: Lexicon) -> bool:
    """Whether a verb reports through one of its listed constructions other than a clause."""
    kids = list(tok.children)
    objects = [c for c in kids if c.dep_ == "dobj"]
    has_object = bool(objects)
    if "findings" in entry.frames and any(lex.has("document", o.lower_) for o in objects):
        # "Roe reported disappointing results", "Roe presented the findings of a trial"
        return resolved.kind in ("person", "group")
    if "for" in entry.frames and any(c.dep_ == "prep" and c.lower_ == "for" for c in kids):
        return True  # "Roe called for allowing nurses to prescribe it"
    if "infinitive" in entry.frames and any(_infinitive(c) for c in kids):
        return True  # "Roe urged patients to rest", "Roe claimed to have cured it", "told me not to use it"
    if "from" in entry.frames and has_object and any(_from_doing(c) for c in kids):
        return True  # "the authors discourage patients from getting this treatment"
    if "as" in entry.frames and has_object and any(c.dep_ == "prep" and c.lower_ == "as" for c in kids):
        return True  # "Roe described the risk as small"
    complement = any(c.dep_ == "oprd" for c in kids) or (has_object and any(c.dep_ in ("xcomp", "ccomp") for c in kids))
    if "complement" in entry.frames and complement:
        return True  # "Roe called the drug a breakthrough"
    # "Dr. Roe recommended a second injection", "the Academy recommends 400 units a day": a person's or a body's
    # advice; "the guidelines recommend ..." is a document's
    return "advice" in entry.frames and has_object and resolved.kind in ("person", "organization")


def _from_doing(child: Token) -> bool:
    """ "from getting this treatment": a "from" phrase holding a gerund, what someone is kept from doing."""
    return child.dep_ == "prep" and child.lower_ == "from" and any(
        g.dep_ in ("pcomp", "pobj") and g.tag_ == "VBG" for g in child.children
    )


def _closing(verb: Token) -> bool:
    """A closing attribution followed only by where or how it was said ("..., Roe testified, in a critique.")."""
    if not _set_off_subject(verb):
        return False
    after = [c for c in verb.rights if not c.is_punct]
    nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    return not after or (nxt is not None and nxt.text == "," and all(c.dep_ == "prep" for c in after))


def _named_examples(subject: Token) -> list[Token]:
    """The people a common-noun subject names by example ("specialists such as Dr. Jane Roe")."""
    return [
        p
        for prep in subject.children
        if prep.dep_ == "prep" and prep.lower_ == "as" and prep.i > 0 and prep.doc[prep.i - 1].lower_ == "such"
        for p in prep.children
        if p.dep_ == "pobj" and (p.ent_type_ == "PERSON" or p.pos_ == "PROPN" or p.is_title)
    ]


def _framed_part(child: Token, entry: ReportingVerb | None) -> bool:
    """A child of a frame verb that holds what it reports: its object (not one spoken to: "told Reuters"),
    complement, "as" or "for" phrase."""
    addressed = entry is not None and entry.addressee
    return (child.dep_ == "dobj" and not addressed) or child.dep_ == "oprd" or (
        child.dep_ == "prep" and child.lower_ in ("as", "for", "from")
    )


def _clause_after_addressee(verb: Token) -> bool:
    """"Roe reminded doctors that statins are safe": the parser often reads the clause after the one spoken
    to as a relative clause on it; one with "that" as its mark and a subject of its own is what was said."""
    return any(
        c.dep_ == "relcl" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        and any(s.dep_ in ("nsubj", "nsubjpass") for s in c.children)
        for o in verb.children
        if o.dep_ == "dobj"
        for c in o.children
    )


def _perfect(verb: Token) -> bool:
    """The verb is in the perfect ("have found", "has long suspected")."""
    return any(c.dep_ == "aux" and c.lower_ in ("have", "has", "'ve") for c in verb.children)


def _infinitive(tok: Token) -> bool:
    return tok.dep_ in ("xcomp", "ccomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


class IndirectFinder:
    """Finds the report, if any, of each sentence of a Doc."""

    def __init__(self, ctx: Context, settings: Settings):
        self.ctx, self.settings = ctx, settings

    def find(self, cue_tokens: list[int], start: int, end: int) -> Report | None:
        """The report of the sentence at tokens ``start:end``, from its candidate cue tokens."""
        mask, direct = self.ctx.marks.mask, self.ctx.marks.direct_mask
        mixed = any(direct[start:end])
        needed = self.settings.min_mixed_words if mixed else self.settings.min_content_words
        if mixed and self.settings.woven_quote_indirect and self._woven(start, end):
            needed = 1  # 'Roe added that "..."', 'The surgery "had ...," Roe said': reported speech quoting its clause
        lo, hi = bisect_left(cue_tokens, start), bisect_left(cue_tokens, end)
        for i in cue_tokens[lo:hi]:
            if mask[i]:
                continue
            found = self._according(self.ctx.doc[i], end) or self._verb(self.ctx.doc[i], start)
            if found is None:
                continue
            report, subject, excluded = found
            if self._only_setting(report.cue_tok, subject, excluded):
                continue
            if self._content(report.cue_tok, subject, excluded, start, end, mixed) >= needed:
                return report
        return None

    def _woven(self, start: int, end: int) -> bool:
        """Whether a direct quote runs on from the sentence's own words ('Roe added that "from ...',
        'The surgery "had a ... effect," Roe said'): the report's clause is quoted, not merely
        attributed ('"...," Roe said' and 'Roe said: "..."' are a direct quote alone)."""
        doc, mask = self.ctx.doc, self.ctx.marks.mask
        for q in self.ctx.marks.quotes:
            if not (start < q.open_tok < end) or not self.ctx.marks.direct_mask[min(q.open_tok + 1, end - 1)]:
                continue
            j = q.open_tok - 1
            while j > start and doc[j].is_space:
                j -= 1
            if not mask[j] and (doc[j].is_alpha or doc[j].like_num):
                return True
        return False

    @staticmethod
    def _only_setting(cue: Token, subject: Token, excluded: set[int]) -> bool:
        """Whether a sentence's reporting verb has nothing but where or when it spoke ("Roe explains on
        Lunch Break.", a video's caption; "she said in an interview."): no report at all."""
        if cue.dep_ != "ROOT":
            return False
        rest = [c for c in cue.children if c.i not in excluded and c.i != subject.i and not c.is_punct and not c.is_space]
        # "the authors caution about the overuse of ...", "warned of", "cautioned against": a topic, not a setting
        return bool(rest) and all(c.dep_ in ("prep", "npadvmod") and c.lower_ not in _TOPIC_PREPS for c in rest)

    def _according(self, tok: Token, end: int) -> tuple[Report, Token, set[int]] | None:
        if not self.settings.according_to_indirect:
            return None
        source = according_source(tok, end, self.ctx.rules)
        if source is None:
            return None
        resolved, subject = first_resolved([source], self._book, self.ctx.marks.mask)
        if resolved is None or subject is None:
            return None
        last = self.ctx.doc[tok.i + 1]
        cue = Mention.of(self.ctx.text, tok.idx, last.idx + len(last))
        return Report(resolved, tok, cue), subject, {tok.i, tok.i + 1}

    @property
    def _book(self):
        assert self.ctx.book is not None
        return self.ctx.book

    def _verb(self, tok: Token, start: int) -> tuple[Report, Token, set[int]] | None:
        entry = self.ctx.rules.verb(tok, direct=False)
        if entry is None or not main_clause(tok) or (entry.needs_clause and self._documents(tok)):
            return None
        if tok.dep_ == "ccomp" and any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in tok.children):
            return None  # "I ask Roe whether she would recommend it": a question put to her, not her report
        if (
            tok.dep_ == "ccomp"
            and tok.head.i > tok.i
            and self.ctx.rules.verb(tok.head, direct=False) is not None
            and main_clause(tok.head)
        ):
            return None  # "They think it will help, Roe said": the belief is Roe's report, Roe the speaker
        # A subject before the sentence's start is a dateline's place the parser made the subject
        # ("CITY, St., date /Wire/ -- Firm, a maker of ..., announced"): the firm in apposition speaks.
        candidates = [
            c for subject in subjects(tok, self.ctx.rules, entry.addressee)
            for c in ([subject] if subject.i >= start else [a for a in subject.children if a.dep_ == "appos" and a.i >= start])
        ]
        # "The third group was advised to follow a diet": the subject of a passive is the one spoken to or of
        # ("He's said it is unclear": "'s" is "has", the tagger's passive notwithstanding)
        has_said = any(c.dep_ == "auxpass" and c.lower_ in ("'s", "’s") for c in tok.children)
        candidates = [c for c in candidates if has_said or not (c.dep_ == "nsubjpass" and c.head.i == tok.i)]
        candidates += [n for c in candidates for n in _named_examples(c)]
        # a document that says or notes something speaks as written ("..., the study said"); one that finds or
        # shows it reports a finding, no speech ("the study found that ...")
        says = tok.lemma_.lower() in _DOCUMENT_SPEECH
        resolved, subject = first_resolved(candidates, self._book, self.ctx.marks.mask, documents=says)
        if resolved is None or subject is None or not self._reports(entry, tok, resolved, subject, self.ctx.rules.lex):
            return None
        if resolved.kind == "document" and not any(c.dep_ in ("det", "poss") and c.lower_ in _DEFINITE for c in subject.children):
            return None  # "a study out this week says it may help" introduces a study, it does not quote one
        if resolved.kind == "group" and not definite_group(resolved, subject) and _perfect(tok):
            return None  # "Researchers have long suspected that ...": what a field knows, not one team's report
        excluded = {tok.i} | {c.i for c in tok.children if c.dep_ in _CUE_DEPS and c.i > tok.i - 4}
        if subject.i > tok.i:
            # "..., says Dr. Jane Roe, a cardiologist who ...": all that follows describes the speaker,
            # unless the report goes on after the name ("The problem, said Roe, is that ...").
            after = subject.right_edge.i
            closed = after + 1 < len(self.ctx.doc) and self.ctx.doc[after + 1].text == ","
            # '"...," said Dr. Roe, lead author of ...': after a closing quote the name's words describe her
            closed = closed and not (tok.i > 0 and self.ctx.marks.mask[tok.i - 1])
            goes_on = closed and (
                (tok.dep_ == "parataxis" and tok.head.i > after) or any(c.dep_ == "ccomp" and c.i > after for c in tok.children)
            )
            excluded.update(range(tok.i, after + 1 if goes_on else tok.sent.end))
        last = self.ctx.doc[tok.i + 1] if entry.particle else tok
        return Report(resolved, tok, Mention.of(self.ctx.text, tok.idx, last.idx + len(last))), subject, excluded

    def _documents(self, tok: Token) -> bool:
        """A participle right after a document its subject produced: "Roe published a study in 2007 suggesting
        that ..." is the study's finding ("Roe published a study, saying that ..." is Roe's report; a verb of
        plain saying is the subject's: "the company issued a statement saying it would appeal")."""
        if tok.tag_ != "VBG" or tok.dep_ not in ("acl", "advcl") or self.ctx.doc[tok.i - 1].is_punct:
            return False
        lex = self.ctx.rules.lex
        if tok.dep_ == "acl":
            return lex.has("document", tok.head.lower_)
        objects = [c for c in tok.head.children if c.dep_ == "dobj" and c.i < tok.i]
        return any(lex.has("document", o.lower_) for o in objects)

    @staticmethod
    def _reports(entry: ReportingVerb, tok: Token, resolved: Resolved, subject: Token, lex: Lexicon) -> bool:
        """Whether a verb that reports only through a clause ("found that") does so here."""
        if not entry.needs_clause:
            return True
        if any(c.dep_ == "ccomp" for c in tok.children) or tok.dep_ in ("parataxis", "advcl"):
            return True
        if any(c.dep_ == "dobj" and c.lower_ == "that" and c.tag_ == "IN" for c in tok.children):
            return True  # "the authors had shown that 72 hours after birth, ...": a complementizer the parser made the object
        if entry.addressee and _clause_after_addressee(tok):
            return True
        if any(c.dep_ == "xcomp" and c.tag_ == "VBG" for c in tok.children):
            return True  # "Roe recommended taking a class": what to do, as a gerund clause
        if entry.frames and _frame(entry, tok, resolved, lex=lex):
            return True
        if _closing(tok):
            return True  # "..., pharmacologist Jane Roe testified, in a critique."
        # "The researchers found a 41 percent drop in visits": a team reports findings as objects too.
        return (
            entry.reports_object
            and definite_group(resolved, subject)
            and any(c.dep_ == "dobj" for c in tok.children)
        )

    def _content(self, cue: Token, subject: Token, excluded: set[int], start: int, end: int, mixed: bool) -> int:
        """Words of reported content: outside the cue, the speaker's words and any direct quote.

        Beside a direct quote only the cue's reported clause counts: in '"...," Roe said, referring
        to a 2019 trial' the words after the quote describe, they do not report.
        """
        excluded = excluded | {t.i for t in subject.subtree}
        sent = cue.sent
        direct = self.ctx.marks.direct_mask
        reported = self._reported_clause(cue) if mixed else None
        # Only the cue's own sentence counts: a fragment glued on by the splitter is no report.
        return sum(
            1
            for t in self.ctx.doc[max(start, sent.start) : min(end, sent.end)]
            if t.i not in excluded
            and not direct[t.i]
            and (t.is_alpha or t.like_num)
            and (reported is None or t.i in reported)
        )

    def _reported_clause(self, cue: Token) -> set[int]:
        """Token indexes of what a cue reports: its clausal complements, a reporting participle's
        ("..., adding that ..."), or, for a sentence-final "..., she said", the clause it closes."""
        found: set[int] = set()
        entry = self.ctx.rules.verb(cue, direct=False)
        framed = entry is not None and bool(entry.frames)
        for child in cue.children:
            if misread_role(child, self.ctx.rules) is not None:
                continue  # '"...," Roe, lead author of the study, said': the role describes Roe
            if child.dep_ in ("ccomp", "xcomp") or (framed and _framed_part(child, entry)):
                # "Roe called for treating it as "a disease"", "The academy describes the risk as minimal"
                found.update(t.i for t in child.subtree)
            elif child.tag_ == "VBG" and self.ctx.rules.verb(child, direct=False) is not None:
                found.update(t.i for c in child.children if c.dep_ == "ccomp" for t in c.subtree)
        if cue.dep_ in ("parataxis", "ccomp", "advcl", "conj") and cue.head is not cue:
            inside = {t.i for t in cue.subtree}
            found.update(t.i for t in cue.head.subtree if t.i not in inside)
        return found
