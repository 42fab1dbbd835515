"""TEMPORARY scaffold for the healthclaims_claims component: replaced by the real extractor."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .types import ensure_extensions


@Language.factory("healthclaims_claims", default_config={})
def make_component(nlp: Language, name: str):
    ensure_extensions()

    def component(doc: Doc) -> Doc:
        doc._.hc_claims = []
        return doc

    return component
