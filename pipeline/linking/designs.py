"""Study designs on both sides: the family of an article's study type, and what a paper's
publication types, MeSH headings or (lacking both) title and abstract say it is.

Shared by the matcher (study type against publication type) and the claim checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from healthclaims.linking.config import Design, load_config
from healthclaims.linking.paper import Paper
from healthclaims.linking.text import fold


def _bare_mesh(term: str) -> str:
    return term.lstrip("*").split("/")[0].strip().casefold()


@lru_cache(maxsize=4096)
def _phrase(phrase: str) -> re.Pattern[str]:
    # Compiled once: the design words are tried on every candidate's title and abstract, more
    # phrases than the ``re`` module's own cache keeps.
    return re.compile(rf"(?<![\w-]){re.escape(phrase.casefold())}(?![\w-])")


def _has_phrase(text: str, phrase: str) -> bool:
    # The substring test first: most phrases are nowhere in the text, and it costs far less.
    return phrase.casefold() in text and _phrase(phrase).search(text) is not None


def article_design(study_type: str | None) -> str | None:
    """The design family of the extractor's ``study_type`` ("cohort study" -> "observational")."""
    if not study_type:
        return None
    for family, design in load_config().designs.items():
        if study_type.casefold() in (a.casefold() for a in design.article):
            return family
    return None


def agrees(family: str, families: set[str]) -> bool:
    """Whether an article's design family fits a paper's families: the same one, or one the
    article's word also covers (a "review" that is a meta-analysis)."""
    design = load_config().designs.get(family)
    return family in families or design is not None and bool(families & set(design.includes))


@dataclass
class PaperDesign:
    """The design families a paper shows, and the field that showed them."""

    families: set[str]
    field: str  # publication_types | mesh | title | abstract | "" when nothing tells
    value: str  # the words that told


def paper_design(paper: Paper) -> PaperDesign:
    """What kind of study the paper is, from the most reliable field it has.

    Kept on the paper (``_hc_design``): a candidate is compared with many citations.
    """
    designs = load_config().designs
    cached = getattr(paper, "_hc_design", None)
    if cached is None or cached[0] is not designs:
        cached = (designs, _paper_design(paper, designs))
        vars(paper)["_hc_design"] = cached  # a cache beside the declared fields, not one of them
    return cached[1]


def _paper_design(paper: Paper, designs: dict[str, Design]) -> PaperDesign:
    types = {t.casefold() for t in paper.publication_types}
    found = {f for f, d in designs.items() if types & {t.casefold() for t in d.publication_types}}
    if found:
        return PaperDesign(found, "publication_types", "; ".join(paper.publication_types))
    mesh = {_bare_mesh(m) for m in paper.mesh}
    found = {f for f, d in designs.items() if mesh & {m.casefold() for m in d.mesh}}
    if found:
        told = [m for m in paper.mesh if _bare_mesh(m) in {x.casefold() for d in designs.values() for x in d.mesh}]
        return PaperDesign(found, "mesh", "; ".join(told))
    for field in ("title", "abstract"):
        text = fold(getattr(paper, field) or "")
        hits = {f: w for f, d in designs.items() for w in d.words if _has_phrase(text, w)}
        if hits:
            # A title naming a trial is a trial even when it also says "associated".
            order = ["meta-analysis", "randomized trial", "review", "observational", "case report", "editorial"]
            best = min(hits, key=lambda f: order.index(f) if f in order else len(order))
            return PaperDesign({best}, field, hits[best])
    return PaperDesign(set(), "", "")


def animal_or_cell(paper: Paper) -> tuple[str, str, str] | None:
    """``(kind, field, value)`` when the paper is animal or cell work without human subjects."""
    cues = load_config().animal
    mesh = {_bare_mesh(m) for m in paper.mesh}
    animal_mesh = [m for m in paper.mesh if _bare_mesh(m) in {x.casefold() for x in cues.mesh_animal}]
    if mesh and not (mesh & {x.casefold() for x in cues.mesh_human}):
        if animal_mesh:
            return "animal", "mesh", "; ".join(animal_mesh)
        cell = [m for m in paper.mesh if "cell line" in _bare_mesh(m) or "cells, cultured" in _bare_mesh(m)]
        if cell:
            return "cell", "mesh", "; ".join(cell)
    if not mesh:  # no indexing: the title says what was studied
        title = fold(paper.title or "")
        for kind, words in (("animal", cues.words_animal), ("cell", cues.words_cell)):
            hit = next((w for w in words if _has_phrase(title, w)), None)
            if hit and not _has_phrase(title, "human") and not _has_phrase(title, "patients"):
                return kind, "title", hit
    return None
