"""load_pipeline: every healthclaims component exactly once, on a trained pipeline or on a saved healthclaims one."""

from __future__ import annotations

import pytest
import spacy
from healthclaims.nlp import EXTRACTORS, add_components, load_pipeline


def factories(nlp) -> list[str]:
    return [nlp.get_pipe_meta(name).factory for name in nlp.pipe_names]


def test_trained_pipeline_gets_every_component_once_in_order(nlp):
    names = factories(nlp)
    ours = [f for f in names if f.startswith("healthclaims_")]
    assert ours == ["healthclaims_paragraphs", *EXTRACTORS]
    # Sentence starts at line breaks must be set before the parser, which keeps them.
    assert names.index("healthclaims_paragraphs") < names.index("parser")


@pytest.fixture(scope="module")
def partial_pipeline(tmp_path_factory):
    """A saved pipeline that already has some healthclaims components (no trained ones: fast to load)."""
    nlp = spacy.blank("en")
    for factory in ("healthclaims_paragraphs", "healthclaims_boilerplate", "healthclaims_claims"):
        nlp.add_pipe(factory)
    path = tmp_path_factory.mktemp("partial") / "pipeline"
    nlp.to_disk(path)
    return path


def test_saved_pipeline_gets_only_the_missing_components_in_order(partial_pipeline, monkeypatch):
    import healthclaims.nlp

    # Without the techniques lexicon (the slowest component to build); the order logic is the same.
    monkeypatch.setattr(healthclaims.nlp, "EXTRACTORS", tuple(f for f in EXTRACTORS if f != "healthclaims_techniques"))
    nlp = load_pipeline(str(partial_pipeline))
    assert factories(nlp) == [
        "healthclaims_paragraphs", "healthclaims_boilerplate", "healthclaims_citations", "healthclaims_quotes",
        "healthclaims_claims", "healthclaims_strength",
    ]
    assert add_components(nlp) is nlp and len(nlp.pipe_names) == 6  # nothing is added twice


def test_config_for_a_component_the_saved_pipeline_has_is_an_error(partial_pipeline):
    with pytest.raises(ValueError, match="already has healthclaims_boilerplate; a saved component keeps the config"):
        load_pipeline(str(partial_pipeline), config={"healthclaims_boilerplate": {"rules_file": "other.jsonl"}})


def test_components_that_read_names_share_one_particle_list(nlp, tmp_path):
    # Surname particles ("van der", "de la") live in one file; the citations and quotes components each
    # read it and save their own copy with the pipeline, so neither keeps a list of its own.
    from healthclaims.resources import PARTICLES_FILE, resource_path

    shipped = resource_path(PARTICLES_FILE).read_text(encoding="utf-8")
    for name in ("healthclaims_citations", "healthclaims_quotes"):
        component = nlp.get_pipe(name)
        assert component.rule_files["particles"] == PARTICLES_FILE
        component.to_disk(tmp_path / name)
        assert (tmp_path / name / PARTICLES_FILE).read_text(encoding="utf-8") == shipped
    assert "van" in nlp.get_pipe("healthclaims_citations").compiled.words("NAME_PARTICLES")
    assert nlp.get_pipe("healthclaims_quotes").quote_rules.lex.has("name_particle", "van")
