"""Selective named-entity recognition: the trained NER runs only where names can appear.

NER is the most expensive trained component of ``en_core_web_sm`` (about 30% of a run's CPU),
yet the extractors read only name-like entities (PERSON, ORG, GPE, LOC, NORP, FAC, and DATE
on a candidate venue word), and such an entity always holds a capitalised word. So in
``parse="selective"`` mode a sentence gets NER only when it holds a capitalised word other
than a sentence-initial common word; the other sentences keep no entities.

Exactness: each run of adjacent candidate sentences is copied (``Span.as_doc``) with
``CONTEXT`` tokens of its neighbours on both sides, and only the entities inside the
candidate sentences are copied back. The NER's own embedding sees 4 tokens either way, its
state features reach one token back, and entities never cross a sentence start, so inside a
candidate sentence the entities equal those of a whole-Doc run (tests check this).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

#: Tokens of context copied on each side of a run of candidate sentences (NER window is 4, +1 state).
CONTEXT = 8

#: Tags of a sentence-initial word that may start a name (other capitalised first words are not names).
_NAME_TAGS = frozenset({"NNP", "NNPS"})


def is_candidate(sent: Span) -> bool:
    """Whether a sentence may hold a name-like entity: a capitalised word other than a first stop word.

    "The study found ..." is no candidate; "Novartis is ...", "U.S. sales ..." and "He told
    Reuters ..." are.
    """
    first = True
    for token in sent:
        text = token.text
        if not any(c.isalpha() for c in text):
            continue
        if text[0].isupper() and not (first and token.is_stop and token.tag_ not in _NAME_TAGS):
            return True
        first = False
    return False


def candidate_runs(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges ``(start, end)`` of maximal runs of adjacent candidate sentences."""
    runs: list[tuple[int, int]] = []
    for sent in doc.sents:
        if not is_candidate(sent):
            continue
        if runs and runs[-1][1] == sent.start:
            runs[-1] = (runs[-1][0], sent.end)
        else:
            runs.append((sent.start, sent.end))
    return runs


class SelectiveNER:
    """Runs a trained ``ner`` pipe on candidate sentences only and writes its entities back."""

    def __init__(self, ner=None, name: str = "selective_ner"):
        self.ner = ner  # the trained pipe, set by ``make_selective``
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        """Add the entities of one Doc."""
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """Add the entities of a batch of Docs (one NER pass over all their candidate windows)."""
        for batch in minibatch(docs, size=batch_size):
            yield from self._batch(list(batch), batch_size)

    def _batch(self, docs: list[Doc], batch_size: int) -> Iterator[Doc]:
        pieces: list[tuple[int, int, int, int]] = []  # (doc index, window start, run start, run end)
        windows: list[Doc] = []
        for n, doc in enumerate(docs):
            for start, end in candidate_runs(doc):
                lo, hi = max(0, start - CONTEXT), min(len(doc), end + CONTEXT)
                pieces.append((n, lo, start, end))
                windows.append(doc[lo:hi].as_doc())
        found: list[list[Span]] = [[] for _ in docs]
        for (n, lo, start, end), window in zip(pieces, self.ner.pipe(windows, batch_size=batch_size)):
            doc = docs[n]
            for ent in window.ents:
                s, e = ent.start + lo, ent.end + lo
                if start <= s and e <= end:
                    found[n].append(Span(doc, s, e, label=ent.label))
        for doc, ents in zip(docs, found):
            doc.set_ents(ents, default="outside")
            yield doc


@Language.factory("healthclaims_selective_ner")
def _make_selective_ner(nlp: Language, name: str) -> SelectiveNER:
    return SelectiveNER(name=name)


def make_selective(nlp: Language) -> Language:
    """Swap the pipeline's trained ``ner`` for its selective wrapper, at the same place (in place)."""
    if "ner" not in nlp.pipe_names:
        return nlp
    index = nlp.pipe_names.index("ner")
    _, ner = nlp.remove_pipe("ner")
    before = nlp.pipe_names[index] if index < len(nlp.pipe_names) else None
    wrapper = nlp.add_pipe("healthclaims_selective_ner", name="selective_ner", before=before)
    wrapper.ner = ner
    return nlp
