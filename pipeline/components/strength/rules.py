"""Claim strength from the parse: which relationship a sentence asserts, and how strongly.

Labels (after the causal-language studies of science news): ``causal`` ("X reduces Y"),
``conditional_causal`` (a hedged causal statement: "X may reduce Y", "suggests X protects"),
``correlational`` ("X is associated with Y", "more likely"), ``none`` (no relationship).
Negation keeps the label: "did not reduce" reports a causal test; "no association" a correlational one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

Kind = Literal["causal", "correlational", "hedge", "negation", "agenda", "blocker"]
STRENGTHS = ("none", "correlational", "conditional_causal", "causal")

#: Dependency labels of a word that modifies a noun rather than heading its own clause.
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "poss", "nummod", "det"})
#: Main verbs of a recommendation or a stated need: what follows is an aim, not a finding.
_RECOMMEND = frozenset({"should", "must", "need", "recommend", "require", "warrant", "urge", "call", "encourage", "advise", "aim", "plan", "propose", "seek", "attempt", "try", "hope", "want", "wish"})
#: Verbs of research: an aim only when not finite ("to examine whether X reduces Y", "aimed at
#: assessing"), or when they ask a question ("we examined whether X reduces Y"); a finite one reports a
#: finding ("we confirmed that X reduces Y", "the study reports that X is linked to Y").
_RESEARCH = frozenset({"explore", "investigate", "examine", "assess", "evaluate", "determine", "test", "study", "design", "consider",
                       "compare", "analyze", "analyse", "measure", "review", "describe", "report",
                       "confirm", "delineate", "clarify", "elucidate", "understand", "establish"})
_QUESTION_MARKS = frozenset({"whether", "if", "how"})
#: How far up the parse a hedge may sit and still govern a causal verb ("suggest that X may help reduce").
_HEDGE_REACH = 3


class StrengthCue(BaseModel):
    """One line of ``models/strength_cues.jsonl``."""

    model_config = ConfigDict(extra="forbid")

    id: str
    kind: Kind
    pattern: str | list[dict] = Field(description="A lower-case phrase or a spaCy Matcher token pattern.")
    predicate: bool = Field(default=False, description="Counts only as a predicate, never as a noun modifier.")
    focus: int | None = Field(default=None, ge=0, description="For a token pattern that also matches its neighbours: "
                              "the index of the one token that is the cue.")

    @model_validator(mode="after")
    def _focus_in_fixed_pattern(self) -> StrengthCue:
        fixed = isinstance(self.pattern, list) and not any("OP" in t for t in self.pattern)
        if self.focus is not None and not (fixed and self.focus < len(self.pattern)):
            raise ValueError(f"cue {self.id}: focus needs a token pattern without OP and an index inside it")
        return self


@dataclass
class Decision:
    """A strength label with the cue tokens (``(start, end)`` token offsets in the Doc) that decided it."""

    label: str
    cues: list[tuple[int, int]]
    negated: bool = False


class StrengthRules:
    """Matches the strength cues and decides a span's label from them and its parse."""

    def __init__(self, vocab: Vocab, cues: list[StrengthCue]):
        self.cues = {cue.id: cue for cue in cues}
        self.matcher = Matcher(vocab)
        for cue in cues:
            pattern = cue.pattern if isinstance(cue.pattern, list) else [{"LOWER": w} for w in cue.pattern.split()]
            self.matcher.add(cue.id, [pattern])
        # The matches of the spans of the last Doc: deciding, the classifier's features and explaining
        # all read them, and the Matcher is most of the component's time.
        self._memo_doc: Doc | None = None
        self._memo: dict[tuple[int, int], dict[str, list[tuple[int, int, StrengthCue]]]] = {}

    def matches(self, span: Span) -> dict[str, list[tuple[int, int, StrengthCue]]]:
        """Cue matches inside ``span`` by kind, as Doc token offsets, longest first where they overlap."""
        doc = span.doc
        if doc is not self._memo_doc:
            self._memo_doc, self._memo = doc, {}
        found = self._memo.get((span.start, span.end))
        if found is None:
            found = self._memo[(span.start, span.end)] = self._matches(span)
        return {kind: list(items) for kind, items in found.items()}  # callers replace the lists

    def forget(self) -> None:
        """Drop the remembered matches (a Doc whose annotations changed is matched again)."""
        self._memo_doc, self._memo = None, {}

    def _matches(self, span: Span) -> dict[str, list[tuple[int, int, StrengthCue]]]:
        found: dict[str, list[tuple[int, int, StrengthCue]]] = {}
        doc = span.doc
        for match_id, start, end in self.matcher(span):
            cue = self.cues[doc.vocab.strings[match_id]]
            start, end = start + span.start, end + span.start
            if cue.focus is not None:
                start, end = start + cue.focus, start + cue.focus + 1
            if cue.predicate and not _is_predicate(doc[start]):
                continue
            if cue.kind in ("causal", "correlational") and not _asserted(doc[start]):
                continue
            found.setdefault(cue.kind, []).append((start, end, cue))
        for kind, items in found.items():
            items.sort(key=lambda m: (m[0], -(m[1] - m[0])))
            kept: list[tuple[int, int, StrengthCue]] = []
            for item in items:
                if not kept or item[0] >= kept[-1][1]:
                    kept.append(item)
            found[kind] = kept
        return found

    def decide(self, span: Span) -> Decision:
        """The strength of ``span`` and the cues that decided it."""
        found = self.matches(span)
        doc = span.doc
        # Research still to be done asserts nothing yet: an agenda voids the cues of its own clause
        # ("further studies are needed to test whether X reduces Y"), not a finding the sentence
        # states beside it ("X did not reduce Y, though longer follow-up is warranted").
        agendas = [doc[s:e] for s, e, _ in found.get("agenda", [])]
        blocked = [(s, e) for s, e, _ in found.get("blocker", [])]
        for kind in ("causal", "correlational"):
            found[kind] = [m for m in found.get(kind, []) if not any(s <= m[0] < e for s, e in blocked)
                           and not any(_in_clause_of(doc[m[0]], a) for a in agendas)]
        hedges = [doc[s:e] for s, e, _ in found.get("hedge", [])]
        negated = bool(found.get("negation"))
        causal = [(s, e) for s, e, _ in found.get("causal", []) if not _inside_association(doc[s], found)]
        correlational = [(s, e) for s, e, _ in found.get("correlational", [])]
        plain = [c for c in causal if not _hedged(doc[c[0]], hedges)]
        if plain:
            return Decision("causal", plain, negated)
        if causal:
            cues = causal + [(h.start, h.end) for h in hedges if any(_governs(h, doc[c[0]]) for c in causal)]
            return Decision("conditional_causal", sorted(set(cues)), negated)
        if correlational:
            return Decision("correlational", correlational, negated)
        return Decision("none", [], negated)


def _in_clause_of(token: Token, agenda: Span) -> bool:
    """The token sits in the clause of the agenda phrase: its verb is the agenda's verb or below it.
    A fragment with no verb above the agenda (a headline) gives no clause boundary: all of it."""
    head = agenda.root
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    if head.pos_ not in ("VERB", "AUX"):
        return True
    return head == token or head in token.ancestors


def _is_predicate(token: Token) -> bool:
    """A verb that heads a clause (not "reduced risk", not a noun compound). A present-tense verb tag
    outvotes a modifier arc: headlines drop the articles that the parser leans on, and "Walnuts lower
    cholesterol" is parsed with "lower" (tagged VBP) as a modifier of "cholesterol"."""
    if token.tag_ in ("VBZ", "VBP") and token.dep_ in ("amod", "compound"):
        return True
    if token.dep_ in _MODIFIER_DEPS:
        return False
    if token.tag_ == "VBN" and token.dep_ in ("acl",) and token.head.pos_ in ("NOUN", "PROPN"):
        return False  # "the risk reduced by exercise" still asserts; "patients treated with X" does not
    return token.pos_ in ("VERB", "AUX")


def _asserted(token: Token) -> bool:
    """False for a verb that names an aim, a purpose or a need ("efforts to improve", "for improving",
    "to predict risk", "should aim at reducing") instead of reporting what happens."""
    head = token.head
    if token.tag_ in ("VB", "VBG") and token.dep_ in ("pcomp", "acl", "advcl", "relcl", "xcomp", "pobj", "csubj"):
        if token.dep_ in ("pcomp", "pobj", "csubj"):
            return False
        if token.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN", "PRON"):
            return False
        if token.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
            return False
        if token.dep_ == "xcomp" and head.pos_ == "ADJ" and head.lemma_.lower() not in ("likely", "able", "unlikely"):
            return False
    chain = [token, *_ancestors(token, 3)]
    for depth, anc in enumerate(chain):
        if anc is not token and anc.pos_ in ("VERB", "AUX") and _names_aim(anc, chain[depth - 1]):
            return False
        if any(c.dep_ == "aux" and c.lower_ in ("should", "must") for c in anc.children):
            return False
    return True


def _names_aim(verb: Token, below: Token) -> bool:
    """A verb above a cue that makes it an aim: a need or recommendation, or a research verb that is
    not finite or asks a question about the clause below it."""
    lemma = verb.lemma_.lower()
    if lemma in _RECOMMEND:
        return True
    if lemma not in _RESEARCH:
        return False
    if verb.tag_ in ("VB", "VBG") or any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return True
    return any(c.dep_ == "mark" and c.lower_ in _QUESTION_MARKS for c in below.children)


def _ancestors(token: Token, reach: int) -> list[Token]:
    chain = []
    while token.head.i != token.i and len(chain) < reach:
        token = token.head
        chain.append(token)
    return chain


def _governs(hedge: Span, target: Token) -> bool:
    """The hedge sits on the causal word, on a word above it, or is a modal/adverb child of either."""
    heads = [target, *_ancestors(target, _HEDGE_REACH)]
    for tok in hedge:
        if tok in heads or tok.head in heads:
            return True
    return False


def _hedged(token: Token, hedges: list[Span]) -> bool:
    return any(_governs(h, token) for h in hedges)


def _inside_association(token: Token, found: dict[str, list[tuple[int, int, StrengthCue]]]) -> bool:
    """A causal word that only qualifies an association ("associated with improved survival")."""
    # A word the causal cues accepted as a verb is not also the comparative that opens an association
    # span: "Smoking increased risk of X", "Oats lower cholesterol".
    spans = [(s, e) for s, e, _ in found.get("correlational", []) if s != token.i]
    return any(s <= anc.i < e for anc in [token, *_ancestors(token, 3)] for s, e in spans)


def feature_text(rules: StrengthRules, span: Span, decision: Decision | None = None) -> str:
    """The span's words followed by what the rules saw, as tokens a bag-of-words classifier can weigh:
    the rule decision, each cue id, negation, the root verb's lemma and the modals. ``decision`` is
    the rules' decision for ``span`` when the caller already has it."""
    found = rules.matches(span)
    decision = decision if decision is not None else rules.decide(span)
    feats = [f"zzrule{decision.label}"]
    feats += [f"zzcue{cue.id.replace(':', '').replace('_', '')}" for items in found.values() for _s, _e, cue in items]
    if decision.negated:
        feats.append("zzneg")
    feats += [f"zzroot{t.lemma_.lower()}" for t in span if t.dep_ == "ROOT"]
    feats += [f"zzmd{t.lower_}" for t in span if t.tag_ == "MD"]
    return f"{span.text} {' '.join(feats)}"



def explain(rules: StrengthRules, span: Span, label: str, decision: Decision) -> Decision:
    """The cues that support ``label`` (decided by a classifier) among those the rules found."""
    if label == decision.label:
        return decision
    found = rules.matches(span)
    causal = [(s, e) for s, e, _ in found.get("causal", [])]
    if label == "causal":
        cues = causal
    elif label == "conditional_causal":
        cues = causal + [(s, e) for s, e, _ in found.get("hedge", [])]
    elif label == "correlational":
        cues = [(s, e) for s, e, _ in found.get("correlational", [])]
    else:
        cues = []
    return Decision(label, sorted(set(cues)), decision.negated)
