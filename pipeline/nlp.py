"""Building the healthclaims spaCy pipeline and running it over article texts.

``load_pipeline`` loads a trained English pipeline (never downloading) and adds the
healthclaims components (``add_components`` adds them to a pipeline you already have);
``process_texts`` streams texts through it, splitting any text longer than the pipeline
accepts into chunks at paragraph boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import spacy
from healthclaims.modelref import ModelNotFound, resolve_model  # noqa: F401 (re-exported)
from healthclaims.types import ensure_extensions
from spacy.language import Language
from spacy.tokens import Doc

#: The trained components the extractors do not read; excluded to save time. (The lemmatizer is
#: read by the strength rules and costs under 2% of the parse.)
UNUSED_COMPONENTS: tuple[str, ...] = ()

#: Our components, in the order they run after the trained ones.
EXTRACTORS = (
    "healthclaims_boilerplate",
    "healthclaims_citations",
    "healthclaims_quotes",
    "healthclaims_techniques",
    "healthclaims_claims",
    "healthclaims_strength",
)

#: Longest text handed to spaCy in one Doc; longer articles are chunked at paragraph breaks.
#: Measured: 50,000-character chunks parse a long article about 25% faster than 200,000 (the
#: trained tok2vec and some per-doc scans grow faster than linearly with Doc length).
MAX_CHUNK_CHARS = 50_000


def _register_components() -> None:
    # Importing the modules registers their factories with spaCy.
    from healthclaims import components  # noqa: F401


#: How the trained annotation is made: ``full`` (every trained component on every sentence, the
#: default), ``selective`` (NER only on sentences that may hold a name; see ``healthclaims.selective``)
#: or ``fast`` (every trained component on every sentence, but the attribute ruler and lemmatizer
#: worked out once per distinct token, with the same output; see ``healthclaims.fastattrs``).
#: Measured: selective NER costs as much CPU as the whole-Doc NER (nearly every news sentence holds
#: a capitalised word, and the windows are copied), so ``fast`` does not use it.
PARSE_MODES = ("full", "selective", "fast")


def load_pipeline(model: str | None = None, config: dict[str, dict[str, Any]] | None = None,
                  parse: str = "full") -> Language:
    """Load a trained pipeline and add the healthclaims components it does not have yet.

    A plain trained pipeline (``en_core_web_sm``, your own) gets every healthclaims component;
    a pipeline saved with ``nlp.to_disk()`` after this function already has them, with the rule
    data it was saved with, and comes back as it was saved.

    Args:
        model: an installed pipeline's package name or a pipeline folder; ``None`` for the default.
        config: optional per-component config overrides, keyed by factory name; only for
            components this function adds.
        parse: one of ``PARSE_MODES``; ``selective`` trades a little recall of entities the
            extractors never read for less CPU; ``fast`` gives the ``full`` annotations with a cheaper
            attribute ruler and lemmatizer.

    Raises:
        ModelNotFound: the pipeline is not installed and is not a pipeline folder.
        ValueError: ``config`` names a component the loaded pipeline already has, or an unknown ``parse``.
    """
    if parse not in PARSE_MODES:
        raise ValueError(f"unknown parse mode {parse!r}; expected one of {', '.join(PARSE_MODES)}")
    name = resolve_model(model)
    nlp = add_components(spacy.load(name, exclude=list(UNUSED_COMPONENTS)), config)
    if parse == "selective":
        from healthclaims.selective import make_selective

        make_selective(nlp)
    if parse == "fast":
        from healthclaims.fastattrs import make_fast_attributes

        make_fast_attributes(nlp)
    return nlp


def add_components(nlp: Language, config: dict[str, dict[str, Any]] | None = None) -> Language:
    """Add to ``nlp`` (in place) every healthclaims component it lacks, in pipeline order, and return it.

    ``healthclaims_paragraphs`` goes before the parser; the extractors go after the trained
    components, or, when ``nlp`` already has some of them, in their place among those.

    Raises:
        ValueError: ``config`` names a component ``nlp`` already has (its config is fixed).
    """
    ensure_extensions()
    _register_components()
    config = config or {}
    present = set(nlp.pipe_factories.values())
    fixed = sorted(present & set(config))
    if fixed:
        raise ValueError(
            f"the pipeline already has {', '.join(fixed)}; a saved component keeps the config it was "
            "saved with (edit its config.cfg, or build from a trained pipeline without healthclaims components)"
        )
    if "healthclaims_paragraphs" not in present:
        # Before the parser, which keeps the sentence starts it is given.
        where: dict[str, Any] = {"before": "parser"} if "parser" in nlp.pipe_names else {"first": True}
        nlp.add_pipe("healthclaims_paragraphs", **where)
    for i, factory in enumerate(EXTRACTORS):
        if factory in present:
            continue
        # A pipeline holding only some of them: keep the extractors' order (claims read citations).
        later = [n for n in nlp.pipe_names if nlp.get_pipe_meta(n).factory in EXTRACTORS[i + 1 :]]
        nlp.add_pipe(factory, config=config.get(factory, {}), before=later[0] if later else None)
    return nlp


def model_info(nlp: Language) -> dict[str, str]:
    """Name and version of the trained pipeline, as in its meta (``en_core_web_sm``, ``3.8.0``), the parse
    mode, and what labels claim strength (the strength component's ``backend``)."""
    info = {
        "name": f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'unknown')}",
        "version": str(nlp.meta.get("version", "")),
        "parse": parse_mode(nlp),
    }
    if "healthclaims_strength" in nlp.pipe_names:
        info["strength"] = getattr(nlp.get_pipe("healthclaims_strength"), "backend", "bag-of-words")
    return info


def parse_mode(nlp: Language) -> str:
    """Which of ``PARSE_MODES`` a pipeline built by ``load_pipeline`` runs (read from its pipe names)."""
    if "fast_lemmatizer" in nlp.pipe_names or "fast_attribute_ruler" in nlp.pipe_names:
        return "fast"
    return "selective" if "selective_ner" in nlp.pipe_names else "full"


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def split_chunks(text: str, limit: int = MAX_CHUNK_CHARS) -> list[tuple[int, str]]:
    """Split ``text`` into ``(offset, chunk)`` pieces of at most ``limit`` characters.

    Cuts fall after a paragraph break where there is one, else after a line break, else
    at a space, so that offsets stay exact: ``text[offset:offset + len(chunk)] == chunk``.
    """
    if len(text) <= limit:
        return [(0, text)]
    chunks: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = -1
        for match in _PARAGRAPH_BREAK.finditer(window):
            cut = match.end()
        if cut <= 0:
            cut = window.rfind("\n") + 1
        if cut <= 0:
            cut = window.rfind(" ") + 1
        if cut <= 0:
            cut = limit
        chunks.append((start, text[start : start + cut]))
        start += cut
    chunks.append((start, text[start:]))
    return chunks


def process_texts(
    nlp: Language, items: Iterable[tuple[str, Any]], batch_size: int = 64
) -> Iterator[tuple[list[tuple[int, Doc]], Any]]:
    """Run the pipeline over ``(text, context)`` pairs, streaming.

    Yields ``([(offset, doc), ...], context)`` per input text, in input order: one Doc for
    most texts, several for a text longer than ``MAX_CHUNK_CHARS``.
    """
    limit = min(MAX_CHUNK_CHARS, nlp.max_length)

    def pieces() -> Iterator[tuple[str, tuple[int, int, int, Any]]]:
        for index, (text, context) in enumerate(items):
            chunks = split_chunks(text, limit)
            for n, (offset, chunk) in enumerate(chunks):
                yield chunk, (index, offset, len(chunks) - n - 1, context)

    current: list[tuple[int, Doc]] = []
    for doc, (_index, offset, remaining, context) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size):
        current.append((offset, doc))
        if remaining == 0:
            yield current, context
            current = []
