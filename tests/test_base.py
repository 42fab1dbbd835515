"""The component base: rule data that travels with to_disk/to_bytes, [file:line] errors, clear missing-annotation errors."""

from __future__ import annotations

import json

import pytest
from healthclaims.components.base import MissingAnnotation, RuleData, require
from healthclaims.resources import ResourceError
from pydantic import BaseModel, ConfigDict
from spacy.tokens import Doc
from spacy.vocab import Vocab


class WordRule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    word: str


class WordList(RuleData):
    """The smallest RuleData component: a set of words read from one rule file."""

    def __init__(self, words_file: str = "words.jsonl"):
        self.loads = 0
        self.init_rules({"words": words_file})

    def load_rules(self) -> None:
        self.loads += 1
        self.words = {r.word for r in self.rules("words", WordRule)}


@pytest.fixture
def models_dir(tmp_path, monkeypatch):
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "words.jsonl").write_text('# words\n{"word": "massage"}\n{"word": "yoga"}\n', encoding="utf-8")
    (folder / "other.jsonl").write_text('{"word": "cupping"}\n', encoding="utf-8")
    monkeypatch.setenv("HEALTHCLAIMS_MODELS", str(folder))
    return folder


def test_rules_are_read_and_built_on_construction(models_dir):
    component = WordList()
    assert component.words == {"massage", "yoga"}
    assert component.rule_sources == {"words": str(models_dir / "words.jsonl")}


def test_to_bytes_from_bytes_restores_the_saved_rules(models_dir):
    data = WordList().to_bytes()
    other = WordList("other.jsonl")
    assert other.words == {"cupping"}
    assert other.from_bytes(data) is other
    assert other.words == {"massage", "yoga"} and other.rule_files == {"words": "words.jsonl"}
    assert other.loads == 2  # rebuilt from the bytes, not left with the old matchers


def test_to_disk_from_disk_uses_the_saved_copy_not_models(models_dir, tmp_path):
    saved = tmp_path / "saved" / "words"
    WordList().to_disk(saved)
    assert json.loads((saved / "rule_files.json").read_text()) == {"words": "words.jsonl"}
    (models_dir / "words.jsonl").write_text('{"word": "changed"}\n', encoding="utf-8")  # models/ moves on
    restored = WordList("other.jsonl").from_disk(saved)
    assert restored.words == {"massage", "yoga"}
    assert restored.rule_sources == {"words": str(saved / "words.jsonl")}


def test_bad_rule_line_names_file_and_line(models_dir):
    (models_dir / "words.jsonl").write_text('{"word": "ok"}\n\n{"word": "x", "extra": 1}\n', encoding="utf-8")
    with pytest.raises(ResourceError, match=r"\[.*words\.jsonl:3\] extra: Extra inputs"):
        WordList()


def test_bad_line_in_a_saved_copy_names_the_saved_file(models_dir, tmp_path):
    saved = tmp_path / "saved"
    WordList().to_disk(saved)
    (saved / "words.jsonl").write_text('{"word": "ok"}\nnot json\n', encoding="utf-8")
    with pytest.raises(ResourceError, match=rf"\[{saved / 'words.jsonl'}:2\] invalid JSON"):
        WordList().from_disk(saved)


def test_missing_rule_file_is_a_clear_error(models_dir):
    with pytest.raises(ResourceError, match=r"nowhere\.jsonl\] cannot read"):
        WordList("nowhere.jsonl")


WORDS = ["Massage", "helps", ".", "Yoga", "too", "."]


@pytest.mark.parametrize(
    "needs, message",
    [
        (["parse"], "healthclaims_x needs a dependency parse"),
        (["entities"], "healthclaims_x needs named entities"),
        (["sentences", "parse"], "needs sentence boundaries .*, a dependency parse"),
        (["tags"], "part-of-speech tags"),
    ],
)
def test_require_names_what_is_missing(needs, message):
    doc = Doc(Vocab(), words=WORDS)
    with pytest.raises(MissingAnnotation, match=message):
        require(doc, "healthclaims_x", needs)


def test_require_passes_when_the_annotation_is_there():
    doc = Doc(Vocab(), words=WORDS, sent_starts=[True, False, False, True, False, False],
              heads=[1, 1, 1, 4, 4, 4], deps=["nsubj", "ROOT", "punct", "nsubj", "ROOT", "punct"],
              ents=["O"] * 6, tags=["NN", "VBZ", ".", "NN", "RB", "."])
    require(doc, "healthclaims_x", ["sentences", "parse", "entities", "tags"])
    require(Doc(Vocab(), words=[]), "healthclaims_x", ["parse"])  # nothing to annotate
    with pytest.raises(MissingAnnotation):
        require(Doc(Vocab(), words=WORDS, sent_starts=[True] + [False] * 5), "healthclaims_x", ["parse"])
