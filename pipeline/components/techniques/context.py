"""Context vetoes: the words around a technique match that show it names something else.

A person or body ("massage therapists", "American Physical Therapy Association"), a title or an
affiliation ("professor of orthopedic surgery"), a journal ("the journal Brain Stimulation"), a
condition ("swimming-induced pulmonary edema"), the control arm of a trial ("the non-yoga group"),
or a longer proper name (a clinic, a study, a journal) are not mentions of the technique.
"""

from __future__ import annotations

import re

from healthclaims.components.common import doc_index
from healthclaims.components.techniques.lexicon import Lexicon
from spacy.tokens import Doc, Token

#: How far back "while" may sit before a gerund of a coordinated list: "while swimming and lifting weights".
_DURING_LOOKBACK = 6
#: What may sit between "while" and a later gerund of the list it heads.
_DURING_GAP_POS = frozenset({"VERB", "NOUN", "CCONJ", "PUNCT", "ADV"})
#: How far back "<title> of" may sit before a match: "Journal of Bone & Joint Surgery".
_OF_LOOKBACK = 4
#: The prepositions that tie a title or a body to the discipline it is named after.
_OF_WORDS = frozenset({"of", "for"})
#: Parts of speech that may sit between "<title> of" and the match: modifiers and coordination.
_MODIFIER_POS = frozenset({"ADJ", "NOUN", "PROPN", "CCONJ", "NUM"})
#: What may sit between a role verb and the programme it governs: "directs the hospital's new rehab program".
_ROLE_GAP_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "PART", "NUM"})
#: How far back the role verb may sit before a match.
_ROLE_LOOKBACK = 4
#: A line whose longer words are mostly capitalised is a headline, where capitals name nothing.
_HEADLINE_SHARE = 0.6
#: The longer words that _HEADLINE_SHARE counts.
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
#: Words that join two capitalised parts of one name: "Plastic and Reconstructive Surgery".
_NAME_JOINERS = ("and", "&")
#: Small words that run inside a name before a capitalised match: "Technology at the Neural Interface".
_NAME_LINKS = frozenset({*_NAME_JOINERS, "at", "of", "the", "for", "in", "on"})
#: Most such words in a row.
_MAX_LINK_WORDS = 2
#: How many characters after a control-arm cue a match is still what the controls received
#: ("the control group received a heart health education program").
_CONTROL_REACH = 80
#: How close before "as a control" a match must end: "a stretching program served as the control".
_CONTROL_BEFORE = 30


class ContextVetoes:
    """The lexicon's context rules, applied to one match at a time."""

    def __init__(self, lexicon: Lexicon):
        self.not_before = lexicon.context["not_before"]
        self.not_after = lexicon.context["not_after"]
        self.not_after_of = lexicon.context["not_after_of"]
        self.not_before_hyphen = lexicon.context["not_before_hyphen"]
        self.during_activity = lexicon.context["during_activity"]
        self.role_verbs = lexicon.context["role_verb"]
        self.role_objects = lexicon.context["role_object"]
        self.caused_by = [tuple(p.split(" ")) for p in lexicon.context["caused_by"]]
        self.intervention_verbs = lexicon.context["intervention_verb"]
        self.intervention_nouns = lexicon.context["intervention_noun"]
        self.intervention_conjuncts = lexicon.context["intervention_conjunct"]
        cues = sorted(lexicon.context["control_arm"], key=len, reverse=True)
        self.control_cue = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\b") if cues else None

    def control_cues(self, text: str) -> list[tuple[int, int, bool]]:
        """``(start, end, trailing)`` of every control-arm cue in ``text``; trailing for "as a control"."""
        if self.control_cue is None:
            return []
        return [(m.start(), m.end(), m.group().startswith("as ")) for m in self.control_cue.finditer(text.lower())]

    def in_control_arm(self, doc: Doc, start: int, end: int, cues: list[tuple[int, int, bool]]) -> bool:
        """Whether ``doc[start:end]`` is what a trial's control arm received (``cues`` from ``control_cues``)."""
        span = doc[start:end]
        index = doc_index(doc)
        sentence = index.sent_of_char(span.start_char)
        for cue_start, cue_end, trailing in cues:
            if index.sent_of_char(cue_start) != sentence:
                continue
            if trailing and 0 <= cue_start - span.end_char <= _CONTROL_BEFORE:
                return True
            if not trailing and 0 <= span.start_char - cue_end <= _CONTROL_REACH:
                return True
        return False

    def vetoed(self, doc: Doc, start: int, end: int, text: str, taken: list[bool]) -> bool:
        """Whether the words around ``doc[start:end]`` show it names a person, body, title or journal.

        ``text`` is ``doc.text``; ``taken`` marks the tokens other matches cover.
        """
        if end < len(doc) and doc[end].lower_ in self.not_before:
            return True
        if start > 0 and doc[start - 1].lower_ in self.not_after:
            return True
        # "swimming-induced pulmonary edema" names a condition, not the exercise
        if end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].lower_ in self.not_before_hyphen:
            return True
        if _inside_compound(doc, start, end) or _acts_on_object(doc, start, end):
            return True
        if self._during_activity(doc, start) or self._after_cause(doc, start):
            return True
        if self._run_by_someone(doc, start, end):
            return True
        return self._in_proper_name(doc, start, end, text, taken) or self._after_title_of(doc, start)

    def _during_activity(self, doc: Doc, start: int) -> bool:
        """ "it hurt while swimming and lifting weights", "unsteady when walking": a gerund after
        "while" or "when" (or later in the list of gerunds it heads) is the activity during which
        something happens, not a therapy given."""
        if not self.during_activity or doc[start].tag_ != "VBG":
            return False
        for i in range(start - 1, max(start - 1 - _DURING_LOOKBACK, -1), -1):
            token = doc[i]
            if token.lower_ in self.during_activity:
                return True
            if token.pos_ not in _DURING_GAP_POS or token.text in (".", ";", ":"):
                return False
        return False

    def _after_cause(self, doc: Doc, start: int) -> bool:
        """ "symptoms brought on by swimming", "caused by surgery": the match is what set off a
        condition, not a therapy given."""
        for words in self.caused_by:
            first = start - len(words)
            if first >= 0 and tuple(t.lower_ for t in doc[first:start]) == words:
                return True
        return False

    def given_as_intervention(self, doc: Doc, start: int, end: int, others: list[bool]) -> bool:
        """Whether an everyday activity or outcome ("walking", "weight loss") is given or advised here.

        It is when it is coordinated with another technique match (``others`` marks their tokens:
        "weight loss and strengthening exercises") or with a treatment the lexicon leaves out (an
        ``intervention_conjunct``: "surgery, chemotherapy and radiation"), the object of a verb of advice
        ("should include weight loss", "weight loss is recommended"), or listed after "such as" under an
        intervention noun ("lifestyle modifications such as weight loss"). A phrase set off by ", or ... ,"
        is none of these. A gerund's object stands for the gerund ("eating a healthy diet").
        """
        if _set_off_alternative(doc, start, end):
            return False
        own = doc[start:end].root
        gerund = own.head if own.dep_ == "dobj" and own.head.tag_ == "VBG" and own.head.i < start else own
        for head in dict.fromkeys((own, gerund)):
            first = _first_conjunct(head)
            conjuncts = [t for t in (first, *first.conjuncts) if not start <= t.i < end]
            if any(others[t.i] or t.lower_ in self.intervention_conjuncts for t in conjuncts):
                return True
        # a gerund's own verb says what the gerund does, not the match ("starting exercise reduced ...")
        first = _first_conjunct(own)
        if first.dep_ in ("dobj", "nsubjpass", "xcomp") and first.head.lemma_.lower() in self.intervention_verbs:
            return True
        if first.dep_ == "pobj":
            prep = first.head
            if prep.lower_ == "as" and prep.head.lemma_.lower() in self.intervention_nouns:
                return True
            if prep.lower_ == "as" and prep.head.lower_ == "such" and prep.head.head.lemma_.lower() in self.intervention_nouns:
                return True
            if prep.head.pos_ == "VERB" and prep.head.lemma_.lower() in self.intervention_verbs:
                return True
        return False

    def _run_by_someone(self, doc: Doc, start: int, end: int) -> bool:
        """ "she directs the sports rehabilitation program", "he founded a yoga therapy service": a
        programme or a service someone runs is their affiliation, not the therapy given."""
        if not self.role_verbs or not (
            doc[end - 1].lower_ in self.role_objects or (end < len(doc) and doc[end].lower_ in self.role_objects)
        ):
            return False
        for i in range(start - 1, max(start - 1 - _ROLE_LOOKBACK, -1), -1):
            token = doc[i]
            if token.lower_ in self.role_verbs and token.pos_ in ("VERB", "AUX"):
                return True
            if token.pos_ not in _ROLE_GAP_POS:
                return False
        return False

    def _after_title_of(self, doc: Doc, start: int) -> bool:
        """ "professor of orthopedic surgery", "director of the physical therapy program",
        "Journal of Bone & Joint Surgery", "Society for Acupuncture Research"."""
        for i in range(start - 1, max(start - 1 - _OF_LOOKBACK, -1), -1):
            token = doc[i]
            if token.lower_ in _OF_WORDS:
                return i > 0 and doc[i - 1].lower_ in self.not_after_of
            if token.text != "&" and token.pos_ not in _MODIFIER_POS:
                return False
        return False

    def _in_proper_name(self, doc: Doc, start: int, end: int, text: str, taken: list[bool]) -> bool:
        """Whether a capitalised match is one part of a longer name: a clinic, a study, a journal.

        "Peled Plastic Surgery", "the Lifestyle Interventions and Independence for Elders study",
        "Plastic and Reconstructive Surgery": the capitals run on past the technique in running text.
        Headlines capitalise every word and are left alone.
        """
        words = [t for t in doc[start:end] if t.is_alpha]
        if not words or not all(t.is_title for t in words):
            return False
        joined = start
        while joined > 0 and start - joined < _MAX_LINK_WORDS and doc[joined - 1].lower_ in _NAME_LINKS:
            joined -= 1
        before = _capitalised(doc, start - 1, start, taken) or (
            joined < start and _capitalised(doc, joined - 1, start, taken)
        )
        # a title's subtitle: "Neuromodulation: Technology at the ..."
        # (the parser may end a sentence at the colon, so the subtitle's word is its own anchor)
        after = _capitalised(doc, end, end - 1, taken) or (
            end < len(doc)
            and (
                (doc[end].lower_ in _NAME_JOINERS and _capitalised(doc, end + 1, end - 1, taken))
                or (doc[end].text == ":" and _capitalised(doc, end + 1, end + 1, taken))
            )
        )
        return (before or after) and not in_headline(doc[start:end], text)


def _first_conjunct(token: Token) -> Token:
    """The first of the conjuncts ``token`` is one of (itself if none)."""
    while token.dep_ in ("conj", "appos") and token.head.i < token.i:
        token = token.head
    return token


def _acts_on_object(doc: Doc, start: int, end: int) -> bool:
    """A technique named by a verb is the exercise only when someone does it ("take a break and
    stretch", "stretch your hamstrings"); a verb acting on an object nobody owns is a manoeuvre
    ("surgeons stretch the muscles aside"), not the technique."""
    if end - start != 1 or doc[start].pos_ != "VERB":
        return False
    objects = [c for c in doc[start].children if c.dep_ == "dobj"]
    return any(not any(g.dep_ == "poss" for g in o.children) for o in objects)


def _inside_compound(doc: Doc, start: int, end: int) -> bool:
    """A match glued between hyphens is one word of a longer compound or of a link's slug:
    "the non-yoga-practicing group"."""
    return (
        0 < start
        and end < len(doc)
        and doc[start - 1].text == doc[end].text == "-"
        and not doc[start - 1].whitespace_
        and not doc[end - 1].whitespace_
    )


def _capitalised(doc: Doc, i: int, anchor: int, taken: list[bool]) -> bool:
    """Token ``i`` is a capitalised word of the same sentence as token ``anchor``, and no other match's."""
    if not (0 <= i < len(doc) and doc[i].is_alpha and doc[i].is_title) or taken[i]:
        return False
    # "I", and the capitalised little words of a headline ("Neurofeedback For ADHD"), name nothing
    if len(doc[i]) == 1 or doc[i].is_stop:
        return False
    index = doc_index(doc)
    if index.sent_of_token(i) != index.sent_of_token(anchor):
        return False
    # a sentence's first word is capitalised anyway, and counts only when it is a name (the parser
    # also starts a sentence after a title's colon, where the capital is the subtitle's)
    return not doc[i].is_sent_start or doc[i].pos_ == "PROPN" or (i > 0 and doc[i - 1].text == ":")


def in_headline(span, text: str) -> bool:
    """Most longer words of the span's line, the span left out, are capitalised.

    The line, not the sentence, because the parser splits bylines and names ("Dr. Ann Lee of ...")
    into short sentences.
    """
    line_start = text.rfind("\n", 0, span.start_char) + 1
    line_end = text.find("\n", span.end_char)
    line = text[line_start : span.start_char] + " " + text[span.end_char : line_end if line_end >= 0 else len(text)]
    words = _LONG_WORD.findall(line)
    return sum(word[0].isupper() for word in words) >= _HEADLINE_SHARE * len(words)


def _set_off_alternative(doc: Doc, start: int, end: int) -> bool:
    """ "bariatric, or weight loss, surgery": a phrase set off by ", or ... ," is another name for the
    modifier before it, not a conjunct of the word after it (which the parser often takes it for)."""
    return (
        start >= 2
        and end < len(doc)
        and doc[start - 1].lower_ == "or"
        and doc[start - 2].text == ","
        and doc[end].text == ","
    )
