"""Which spaCy pipeline to use, and its identity in the record fingerprint."""

from __future__ import annotations

import json

import pytest
from healthclaims.modelref import ModelNotFound, model_identity, resolve_model


def _saved(tmp_path):
    folder = tmp_path / "saved"
    (folder / "healthclaims_boilerplate").mkdir(parents=True)
    (folder / "meta.json").write_text(json.dumps({"name": "core_web_sm", "version": "3.8.0"}), encoding="utf-8")
    (folder / "config.cfg").write_text("[nlp]\n", encoding="utf-8")
    return folder


def test_pipeline_folder_resolves_to_itself(tmp_path):
    folder = _saved(tmp_path)
    assert resolve_model(str(folder)) == str(folder)
    with pytest.raises(ModelNotFound, match="not installed and is not a pipeline folder"):
        resolve_model(str(tmp_path / "missing"))


def test_identity_of_a_saved_folder_follows_its_rule_files(tmp_path):
    folder = _saved(tmp_path)
    plain = model_identity(str(folder))
    assert plain == {"ref": str(folder.resolve()), "version": "3.8.0"}
    rules = folder / "healthclaims_boilerplate" / "boilerplate.jsonl"
    rules.write_text('{"id": "a", "scope": "line", "pattern": "x"}\n', encoding="utf-8")
    first = model_identity(str(folder))
    assert first["version"] == "3.8.0" and len(first["rules"]) == 16
    # Editing the saved rules changes the identity, so a re-run redoes the articles.
    rules.write_text('{"id": "a", "scope": "line", "pattern": "y"}\n', encoding="utf-8")
    assert model_identity(str(folder))["rules"] != first["rules"]


def test_identity_of_an_installed_package():
    identity = model_identity(resolve_model(None))
    assert identity["ref"].startswith("en_core_web_sm") and identity["version"] == "3.8.0"
