"""What every healthclaims component shares: rule data that saves and loads with the pipeline,
and a clear error when an upstream annotation the component needs is missing.

A component whose behaviour is its rule files keeps their text (not their path), so that
``nlp.to_disk(path)`` writes them beside the component and ``spacy.load(path)`` in another
process, with no repository on the path, rebuilds the same matchers from that copy.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import srsly
from healthclaims.resources import parse_jsonl, resource_path
from pydantic import BaseModel
from spacy.tokens import Doc

M = TypeVar("M", bound=BaseModel)

#: What each requirement means, how to test a Doc for it, and which trained component gives it.
_ANNOTATIONS: dict[str, tuple[Callable[[Doc], bool], str]] = {
    "sentences": (lambda doc: doc.has_annotation("SENT_START"), "sentence boundaries (a parser or senter)"),
    "parse": (lambda doc: doc.has_annotation("DEP"), "a dependency parse (the trained 'parser')"),
    "entities": (lambda doc: doc.has_annotation("ENT_IOB"), "named entities (the trained 'ner')"),
    "tags": (lambda doc: doc.has_annotation("TAG") or doc.has_annotation("POS"), "part-of-speech tags (the 'tagger')"),
    "lemmas": (lambda doc: doc.has_annotation("LEMMA"), "lemmas (the trained 'lemmatizer')"),
}


class MissingAnnotation(ValueError):
    """A component ran on a Doc without an annotation it needs (no parser or NER upstream)."""


def require(doc: Doc, component: str, needs: Iterable[str]) -> None:
    """Raise ``MissingAnnotation`` naming ``component`` and what it needs when ``doc`` lacks it.

    An empty Doc passes: there is nothing to annotate.
    """
    if len(doc) == 0:
        return
    missing = [label for key in needs for test, label in [_ANNOTATIONS[key]] if not test(doc)]
    if missing:
        raise MissingAnnotation(
            f"{component} needs {', '.join(missing)} before it in the pipeline; "
            f"add it (e.g. spacy.load('en_core_web_sm')) or use healthclaims.load_pipeline()"
        )


class RuleData:
    """Mixin for a component built from rule files under ``models/``.

    Subclasses call ``self.init_rules({key: file_name, ...})`` in ``__init__`` and implement
    ``load_rules()``, which builds matchers from ``self.rules(key, Model)``; the text of each
    file travels with ``to_disk``/``from_disk`` and ``to_bytes``/``from_bytes``.
    """

    rule_files: dict[str, str]
    rule_texts: dict[str, str]
    rule_sources: dict[str, str]  # where each text was read from, for [file:line] errors

    def init_rules(self, files: dict[str, str]) -> None:
        """Read the rule files named in the component's config and build the rules."""
        self.rule_files = dict(files)
        self.rule_texts, self.rule_sources = {}, {}
        for key, name in self.rule_files.items():
            path = resource_path(name)
            self.rule_sources[key] = str(path)
            try:
                self.rule_texts[key] = path.read_text(encoding="utf-8")
            except OSError as exc:
                from healthclaims.resources import ResourceError

                raise ResourceError(f"[{path}] cannot read: {exc.strerror or exc}") from exc
        self.load_rules()

    def rules(self, key: str, model: type[M]) -> list[M]:
        """The validated lines of rule file ``key`` (errors name ``[file:line]``)."""
        return parse_jsonl(self.rule_texts[key], self.rule_sources.get(key, self.rule_files[key]), model)

    def load_rules(self) -> None:  # pragma: no cover - every subclass implements it
        raise NotImplementedError

    # spaCy serialization: the rule files' text, under their own names.
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "rule_files.json").write_text(json.dumps(self.rule_files, indent=2), encoding="utf-8")
        for key, name in self.rule_files.items():
            (path / name).write_text(self.rule_texts[key], encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> RuleData:
        path = Path(path)
        self.rule_files = json.loads((path / "rule_files.json").read_text(encoding="utf-8"))
        self.rule_texts = {key: (path / name).read_text(encoding="utf-8") for key, name in self.rule_files.items()}
        self.rule_sources = {key: str(path / name) for key, name in self.rule_files.items()}
        self.load_rules()
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        data: bytes = srsly.msgpack_dumps({"files": self.rule_files, "texts": self.rule_texts})
        return data

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> RuleData:
        msg = srsly.msgpack_loads(data)
        self.rule_files, self.rule_texts = dict(msg["files"]), dict(msg["texts"])
        self.rule_sources = dict(self.rule_files)
        self.load_rules()
        return self
