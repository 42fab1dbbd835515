"""Attribution of direct quotes: the reporting verb next to the quote, its subject, and the
speaker that subject names; quotes with no verb of their own take the paragraph's speaker.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from healthclaims.components.common import QUOTE_CHARS, DocIndex
from healthclaims.components.quotes.marks import Candidate, Marks
from healthclaims.components.quotes.rules import QuoteRules
from healthclaims.components.quotes.sources import Resolved
from healthclaims.components.quotes.speakers import SpeakerBook

_SENT_END = {".", "!", "?"}
_INNER_CLOSE = QUOTE_CHARS + ")]"  # a nested quote or bracket can close after the sentence's own end
# Tokens after a quote searched for its attribution: enough for a long apposition between the
# speaker and the verb ('"...," Jane Roe, a senior analyst at a long-named institute, told X.').
_AFTER_MAX = 40
_AFTER_FIRST = 4  # ... of which the first few win over anything before the quote
_BEFORE_MAX = 40
_OBJECT_DEPS = ("dobj", "attr", "npadvmod", "appos", "oprd", "dative")
# Participles and clauses that hang off another verb ("..., saying", "issued a statement saying")
# take the subject of the verb they hang off.
_DEPENDENT_DEPS = ("advcl", "xcomp", "acl", "conj", "pcomp")


@dataclass
class Context:
    """What the finders share for one Doc."""

    doc: Doc
    text: str
    index: DocIndex
    rules: QuoteRules
    marks: Marks
    para_of_tok: list[int]
    book: SpeakerBook | None = None


@dataclass
class Attribution:
    """What attributes one direct quote: its speaker, and the cue ("said", "according to")."""

    speaker: Resolved | None = None
    cue: Token | None = None
    cue_last: Token | None = None  # last word of a two-word cue ("according to")
    attributed: bool = False  # a cue was found, whether or not its subject names a speaker


def _main_verb_subjects(verb: Token) -> list[Token]:
    """Subjects of the verb a participle or dependent clause hangs off ("..., adding that")."""
    head, steps = verb.head, 0
    while head.pos_ not in ("VERB", "AUX") and head.head is not head and steps < 3:
        head, steps = head.head, steps + 1
    if head is verb or head.pos_ not in ("VERB", "AUX"):
        return []
    found = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not found and head.dep_ == "conj":
        found = [c for c in head.head.children if c.dep_ == "nsubj"]
    return found


def misread_role(tok: Token, rules: QuoteRules) -> Token | None:
    """The name before a role the parser read as that name's verb ("Jane Roe, lead author of the study,
    said": "lead" a clause of "said" with Roe its subject), or None: the role describes Roe, it reports nothing."""
    doc = tok.doc
    if not rules.lex.has("role_modifier", tok.lower_):
        return None
    if tok.i == 0 or doc[tok.i - 1].text != "," or tok.i + 1 >= len(doc) or doc[tok.i + 1].pos_ not in ("NOUN", "PROPN"):
        return None
    if tok.dep_ in ("amod", "compound"):
        # '"...," Roe, lead author of the study said': the role is the verb's subject, Roe hangs off "lead"
        if tok.head.i != tok.i + 1:
            return None
    elif tok.dep_ not in ("ccomp", "conj", "parataxis", "advcl") or doc[tok.i + 1].head.i != tok.i:
        return None
    return next((c for c in tok.children if c.dep_ == "nsubj" and c.i < tok.i and c.pos_ == "PROPN"), None)


def _named_before_roles(tok: Token, rules: QuoteRules) -> list[Token]:
    """The names before the misread roles that hang off ``tok`` from its left (see ``misread_role``): on a
    reporting verb, its speakers; on a role subject ("Roe, lead author ... said"), the person it describes."""
    found = [misread_role(c, rules) for c in tok.children if c.i < tok.i]
    return [t for t in found if t is not None]


def _role_then_name(found: list[Token]) -> list[Token]:
    """Subjects with a person's name first when the parser split a role from the name right after it
    ("Mayo Clinic Alzheimer's expert Dr. Jane Roe said": "expert" and "Roe" both subjects)."""
    names = [t for t in found if t.ent_type_ == "PERSON" and t.pos_ == "PROPN"]
    if not names or len(found) < 2:
        return found
    first = names[0]
    roles = [t for t in found if t.pos_ == "NOUN" and t.i < first.i and all(w.pos_ == "PROPN" for w in t.doc[t.i + 1 : first.i])]
    return [first] + [t for t in found if t.i != first.i] if roles else found


def _nearest_person_before(verb: Token) -> list[Token]:
    # "..., another specialist, Jane Roe, Ph.D. of X, notes that ...": a long apposition can leave
    # the name attached anywhere; take the nearest person with no verb between.
    doc = verb.doc
    j, first = verb.i - 1, verb.sent.start
    while j >= first and doc[j].pos_ not in ("VERB", "AUX") and doc[j].ent_type_ != "PERSON":
        j -= 1
    return [doc[j]] if j >= first and doc[j].ent_type_ == "PERSON" else []


def _described_by(tok: Token) -> Token:
    """The noun a prepositional phrase ending at ``tok`` describes: "expert Jane Roe of Mercy Hospital
    told X" is said by Roe, not by the hospital (the parser often leaves such a name unattached)."""
    at = tok
    while at.dep_ == "pobj" and at.head.dep_ == "prep" and at.ent_type_ != "PERSON":
        at = at.head.head
        if at.ent_type_ == "PERSON":
            return at
    return tok


def _name_after(verb: Token, rules: QuoteRules) -> list[Token]:
    # "said Dr. Jane Roe" sometimes parses Roe as anything but a subject: take the name that follows.
    doc = verb.doc
    j = verb.i + 1
    while j < len(doc) and j < verb.i + 6 and (doc[j].pos_ == "PROPN" or doc[j].lower_ in ("dr.", "dr")):
        if j + 1 >= len(doc) or doc[j + 1].pos_ != "PROPN":
            # "says Serada does not appear ...": the subject of the reported clause is no speaker.
            # "says Serada does not appear ...": the subject of the reported clause is no speaker
            # (but in "said Jane Roe, a ..., told Reuters" the name's own verb reports too).
            # A comma after the name opens a description ("said Roe, who was not involved"), not a clause.
            head = doc[j].head
            reported = doc[j].dep_.startswith("nsubj") and head is not verb and rules.verb(head, True) is None
            reported = reported and not (j + 1 < len(doc) and doc[j + 1].text == ",")
            return [] if reported else [doc[j]]
        j += 1
    return []


def subjects(verb: Token, rules: QuoteRules, addressed: bool = False) -> list[Token]:
    """Candidate subjects of a reporting verb, best first (the parser often mislabels them).

    With ``addressed`` (a verb like "told"), the object is the one spoken to, never the speaker.
    """
    found = _role_then_name(
        [(_named_before_roles(c, rules) or [c])[0] for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    )
    # "Researchers publishing in X have found ...": the parser makes the participle the subject, and
    # the team the participle's own subject
    found = found or [
        g for c in verb.children if c.dep_ == "csubj" and c.tag_ == "VBG"
        for g in c.children if g.dep_ == "nsubj" and g.i < c.i
    ]
    if not found and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        found = [c for c in verb.head.children if c.dep_ == "nsubj"]  # "X published ... and finds ..."
    if found:
        # A verb with a subject of its own is not said by its object; a name right after it may
        # still be the speaker when the parser took the subject wrong ("..., said Roe").
        return found + _name_after(verb, rules)
    if verb.tag_ == "VBG" and verb.dep_ in _DEPENDENT_DEPS:
        found = _main_verb_subjects(verb)
    found = found or _named_before_roles(verb, rules)
    if not addressed:
        # "said Dr. Jane Roe" is often parsed with the name as an object of "said".
        found += [c for c in verb.rights if c.dep_ in _OBJECT_DEPS and c.pos_ in ("PROPN", "NOUN", "PRON")]
    doc = verb.doc
    # "As a rule Dr Roe recommended ..." can leave the name outside any subject relation.
    # ... but a place after a preposition is nobody's subject ("findings out of X in Houston suggesting ...")
    before = doc[verb.i - 1] if verb.i > 0 else None
    place = before is not None and before.dep_ == "pobj" and before.ent_type_ in ("GPE", "LOC", "FAC")
    if not found and before is not None and before.pos_ in ("PROPN", "PRON") and not place:
        found.append(_described_by(before))
    if not found:
        found += _nearest_person_before(verb)
    return found + _name_after(verb, rules)


def according_source(tok: Token, end: int, rules: QuoteRules, authored: bool = False) -> Token | None:
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
    if rules.lex.has("document", objects[0].lower_):
        if not authored:
            return None
        authors = [a for p in objects[0].children if p.dep_ == "prep" and p.lower_ == "by" for a in p.children]
        return authors[0] if authors and authors[0].ent_type_ == "PERSON" else None
    return objects[0]


def first_resolved(
    candidates: list[Token], book: SpeakerBook, mask: list[bool], documents: bool = False
) -> tuple[Resolved | None, Token | None]:
    """The first candidate subject outside quotation marks that names a speaker."""
    for subject in candidates:
        if not documents and _names_a_document(subject, book):
            return None, None
        if not mask[subject.i]:
            resolved = book.resolve(subject, documents)
            if resolved is not None:
                return resolved, subject
            if not documents and subject.pos_ == "NOUN" and book.lex.has("document", subject.lower_):
                # "a study ... published in the journal X Y found": the study is the subject; a second
                # subject the parser finds (the journal's name) says nothing
                return None, None
    return None, None


def _names_a_document(subject: Token, book: SpeakerBook) -> bool:
    """"An Academy of Surgeons review of 40 studies showed": the parser makes the body the subject, but
    its noun phrase ends in a document word right after a name, so the document reports, not the body."""
    doc = subject.doc
    for i in range(subject.left_edge.i + 1, subject.right_edge.i + 1):
        tok = doc[i]
        if tok.is_punct or tok.pos_ in ("VERB", "AUX"):
            return False  # past the noun phrase ("Roe, who led the Harvard study, said")
        if tok.pos_ == "NOUN" and tok.dep_ != "compound" and doc[i - 1].pos_ == "PROPN" and book.lex.has("document", tok.lower_):
            return True
    return False


def _window(ctx: Context, q: Candidate) -> list[Token]:
    """Tokens where a quote's attribution may stand: a few after it, then its sentence before it, then the rest after."""
    doc, mask, para = ctx.doc, ctx.marks.mask, q.para
    opens = ctx.marks.opens - {q.open_tok}
    after: list[Token] = []
    j = q.close_tok + 1
    while j < len(doc) and len(after) < _AFTER_MAX and ctx.para_of_tok[j] == para:
        tok = doc[j]
        if j in opens or (tok.text in _SENT_END and not mask[j]):
            break
        if not tok.is_space:
            after.append(tok)
        j += 1
    # A quote that ends its sentence ("... about.” The next ...") is attributed after only
    # by a lower-case continuation ("... about,” he said").
    if ctx.text[q.start : q.end].rstrip(_INNER_CLOSE)[-1:] == "." and after and not after[0].is_lower:
        after = []
    before: list[Token] = []
    j = q.open_tok - 1
    while j >= 0 and len(before) < _BEFORE_MAX and ctx.para_of_tok[j] == para and not mask[j]:
        if doc[j].text in _SENT_END:
            break
        before.append(doc[j])
        j -= 1
    return after[:_AFTER_FIRST] + before + after[_AFTER_FIRST:]


def attribute(ctx: Context, q: Candidate) -> Attribution:
    """Find the reporting verb and speaker of a direct quote: right after it, else before it in its sentence."""
    assert ctx.book is not None
    doc, mask = ctx.doc, ctx.marks.mask
    for tok in _window(ctx, q):
        # A relative clause describes the speaker ("Roe, who wrote the guidelines, said").
        if mask[tok.i] or tok.dep_ == "relcl":
            continue
        source = according_source(tok, len(doc), ctx.rules, authored=True)
        if source is not None:
            speaker, _ = first_resolved([source], ctx.book, mask, documents=True)
            return Attribution(speaker, tok, doc[tok.i + 1], True)
        entry = ctx.rules.verb(tok, direct=True)
        if entry is not None:
            speaker, _ = first_resolved(subjects(tok, ctx.rules, entry.addressee), ctx.book, mask, documents=True)
            return Attribution(speaker, tok, None, True)
    return Attribution()


#: (token index, paragraph, speaker) of an attribution, from which unattributed quotes inherit.
Event = tuple[int, int, Resolved]


#: Words of its own sentence before a quote that make it a fragment inside someone else's sentence.
_EMBEDDED_MIN_WORDS = 3
#: Relations through which a subject names a person ("candidates such as Gov. Jane Roe", "Roe and Lee").
_NAMING_DEPS = ("appos", "conj", "prep", "pobj", "compound", "flat")


def embedded(ctx: Context, q: Candidate) -> bool:
    """The quote stands inside a sentence of the article's own ('... are calling it "a disease, not a failing."')."""
    doc, mask = ctx.doc, ctx.marks.mask
    sent = ctx.index.sentence_of_token(q.open_tok)
    lead = [t for t in doc[sent.start : q.open_tok] if not mask[t.i]]
    words = [t for t in lead if t.is_alpha]
    if len(words) < _EMBEDDED_MIN_WORDS:
        return False
    # An adverbial lead-in with no subject of its own before a quote that opens a sentence is no
    # sentence of the article's ('To make matters worse, "Past studies have ..."'): the quote runs on.
    opens = doc[min(q.open_tok + 1, len(doc) - 1)]
    return not (
        lead[-1].text == "," and opens.is_title and not any(_finite_subject(t) for t in lead)
    )


def _finite_subject(tok: Token) -> bool:
    """The token is the subject of a finite verb (a clause), not of a small clause ("make matters worse")."""
    return tok.dep_ in ("nsubj", "nsubjpass", "expl") and "Fin" in tok.head.morph.get("VerbForm")


def subject_speaker(ctx: Context, q: Candidate) -> Resolved | None:
    """The person an embedded quote's sentence has as its subject, when the subject names one
    ("presidential candidates such as Gov. Jane Roe are calling for ..."); None otherwise."""
    assert ctx.book is not None
    doc, mask, lex = ctx.doc, ctx.marks.mask, ctx.book.lex
    sent = ctx.index.sentence_of_token(q.open_tok)
    inner = doc[min(q.open_tok + 1, sent.end - 1)]
    # The nearest clause's subject first: in "Roe expects the "..." and Poe "would be ..."", the
    # second fragment is Poe's, whose verb is a conjunct of the sentence's root.
    clauses = [inner, *inner.ancestors] if inner.sent.start == sent.start else [sent.root]
    subjects = [c for clause in clauses for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < q.open_tok]
    colon = q.open_tok - 1
    if colon > sent.start and doc[colon].text == ":":
        # A quote a colon introduces is said by the subject of the clause before it, nearest first
        # ("..., she had a chat with her doctor: "I told her ..."" even when the parser hangs that clause on the quote).
        before = [t for t in doc[sent.start : colon] if t.dep_ in ("nsubj", "nsubjpass") and t.head.i < colon]
        subjects += before[::-1]
    for subject in subjects:
        todo = [subject]
        while todo:
            tok = todo.pop()
            # the tagger leaves many surnames without a PERSON label; the book knows the article's people
            # ... and "she had a chat with her doctor: "I told her ..."" is hers as much as a name's
            personal = lex.has("pronoun", tok.lower_) and lex.genders.get(tok.lower_) in ("m", "f")
            if (tok.ent_type_ == "PERSON" or tok.pos_ == "PROPN" or personal) and not mask[tok.i]:
                resolved = ctx.book.resolve(tok)
                if resolved is not None and resolved.kind == "person":
                    return resolved
            todo.extend(c for c in tok.children if c.dep_ in _NAMING_DEPS)
    return None


def inherit(q: Candidate, events: list[Event], inside: bool = False) -> Resolved | None:
    """Speaker of an unattributed quote: the nearest attribution in its paragraph, preferring
    the previous one, else the last of the previous paragraph (news quotes run on). A quote
    ``inside`` a sentence of the article's own only continues the speaker before it in its paragraph."""
    if not q.closed:
        # A quote left open at its paragraph's end runs on: the next paragraph's speaker says it.
        following = [e for e in events if e[1] == q.para + 1]
        if following:
            return following[0][2]
    same = [e for e in events if e[1] == q.para]
    previous = [e for e in same if e[0] < q.open_tok]
    if previous:
        return previous[-1][2]
    if inside:
        return None  # a fragment of the article's own sentence is not said by a speaker who comes later
    if same:
        return same[0][2]
    earlier = [e for e in events if e[1] == q.para - 1 or (q.from_previous and e[1] < q.para)]
    return earlier[-1][2] if earlier else None


#: A paragraph of its own that introduces the next paragraph's speaker is at most this many tokens long.
_INTRO_MAX = 12


def introductions(ctx: Context, direct: list[tuple[Candidate, Attribution]]) -> list[Event]:
    """"Dr. Roe disagrees." as a paragraph of its own, right before a paragraph that opens with a quote
    attributed to no one: the person it names says that quote (news gives them the next paragraph)."""
    assert ctx.book is not None
    mask, para_of = ctx.marks.mask, ctx.para_of_tok
    out: list[Event] = []
    firsts: dict[int, tuple[Candidate, Attribution]] = {}
    for q, a in direct:
        firsts.setdefault(q.para, (q, a))
    for sent in ctx.index.sents:
        para = para_of[sent.start]
        nxt = firsts.get(para + 1)
        if nxt is None or nxt[1].attributed or not _opens_paragraph(ctx, nxt[0]):
            continue
        words = [t for t in sent if not t.is_space]
        if len(words) > _INTRO_MAX or any(mask[t.i] for t in words) or not _own_paragraph(ctx, sent.start, sent.end):
            continue
        subject = next((t for t in words if t.dep_ == "nsubj" and t.head.dep_ == "ROOT"), None)
        resolved = ctx.book.resolve(subject) if subject is not None else None
        if subject is not None and resolved is not None and resolved.kind == "person":
            out.append((subject.i, para, resolved))
    return out


def _opens_paragraph(ctx: Context, q: Candidate) -> bool:
    """Nothing but space stands before the quote's opening mark in its paragraph."""
    j = q.open_tok - 1
    while j >= 0 and ctx.doc[j].is_space:
        j -= 1
    return j < 0 or ctx.para_of_tok[j] != q.para


def _own_paragraph(ctx: Context, start: int, end: int) -> bool:
    """Tokens ``start:end`` are the whole of their paragraph."""
    para = ctx.para_of_tok[start]
    before = next((t for t in reversed(ctx.doc[:start]) if not t.is_space), None)
    after = next((t for t in ctx.doc[end:] if not t.is_space), None)
    return (before is None or ctx.para_of_tok[before.i] != para) and (after is None or ctx.para_of_tok[after.i] != para)


def speaker_candidates(ctx: Context, cue_tokens: list[int]) -> list[Token]:
    """Every token that may stand as a speaker in the Doc: subjects of reporting verbs and
    sources of "according to", for the speaker book to register before resolving."""
    doc, found = ctx.doc, []
    for i in cue_tokens:
        tok = doc[i]
        source = according_source(tok, len(doc), ctx.rules, authored=True)
        if source is not None:
            found.append(source)
        else:
            entry = ctx.rules.verb(tok, direct=True) or ctx.rules.verb(tok, direct=False)
            if entry is not None:
                found.extend(subjects(tok, ctx.rules, entry.addressee))
    return found
