"""``claim_strength(sentences)``: the strength of plain sentences, for users who have sentences
rather than articles. Same logic as the ``healthclaims_strength`` component, batched through spaCy.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from functools import cache

from healthclaims.components.strength.component import StrengthComponent
from spacy.language import Language


@cache
def _default_nlp(model: str | None) -> Language:
    import spacy
    from healthclaims.modelref import resolve_model

    return spacy.load(resolve_model(model), exclude=["ner"])


def claim_strength(sentences: Iterable[str], *, nlp: Language | None = None, model: str | None = None,
                   batch_size: int = 64) -> list[str]:
    """Label each sentence ``none``, ``correlational``, ``conditional_causal`` or ``causal``.

    Args:
        sentences: plain sentences (a longer text is labelled as one unit).
        nlp: a trained spaCy pipeline with a parser (default: the healthclaims default model,
            loaded once).
        model: an installed pipeline name or folder, when ``nlp`` is not given.
        batch_size: texts per ``nlp.pipe`` batch.
    """
    nlp = nlp or _default_nlp(model)
    component = _component(nlp)
    texts = list(sentences)
    docs = list(nlp.pipe(texts, batch_size=batch_size)) if texts else []
    return [d.label for d in component.decide_spans([doc[:] for doc in docs])]


_COMPONENTS: weakref.WeakKeyDictionary[Language, StrengthComponent] = weakref.WeakKeyDictionary()


def _component(nlp: Language) -> StrengthComponent:
    """The pipeline's own strength component, or one built once for it."""
    if "healthclaims_strength" in nlp.pipe_names:
        return nlp.get_pipe("healthclaims_strength")
    if nlp not in _COMPONENTS:
        _COMPONENTS[nlp] = StrengthComponent(nlp)
    return _COMPONENTS[nlp]
