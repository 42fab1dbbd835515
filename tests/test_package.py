"""healthclaims as a spaCy package: entry points, a cheap import, a saved pipeline that loads with plain
spacy.load() in a fresh process, declared assigns/requires, clear errors without a parser, and results
that survive DocBin.

The wheel itself (built, installed alone, run from another folder) is checked by ``.ci/wheel-check``,
which needs pip and a fresh virtual environment and so is a CI step rather than a test.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import healthclaims
import pytest
import spacy
from healthclaims.batch.runner import extract_one
from healthclaims.components.base import MissingAnnotation
from healthclaims.io.textio import read_article
from healthclaims.types import EXTENSIONS, ClaimHit, results
from spacy import displacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.util import registry

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SAMPLE = ROOT / "corpus" / "massage-chronic-back-pain.txt"
ARTICLE_ID = "massage-chronic-back-pain"

#: factory -> (Doc extension it fills, doc.spans group it fills)
FACTORIES = {
    "healthclaims_paragraphs": (None, None),
    "healthclaims_boilerplate": ("hc_boilerplate", "boilerplate"),
    "healthclaims_citations": ("hc_citations", "citations"),
    "healthclaims_quotes": ("hc_quotes", "quotes"),
    "healthclaims_techniques": ("hc_techniques", "techniques"),
    "healthclaims_claims": ("hc_claims", "claims"),
    "healthclaims_strength": ("hc_claims", None),  # sets strength on the claims' ClaimHits
}
#: Further Doc extensions a factory fills.
MORE_EXTENSIONS = {"healthclaims_quotes": ("hc_speakers",)}

# ----------------------------------------------------------------------------- packaging metadata


def test_spacy_factories_entry_points_name_the_registered_factories():
    declared = PYPROJECT["project"]["entry-points"]["spacy_factories"]
    assert set(declared) == set(FACTORIES)
    nlp = spacy.blank("en")
    for name, target in declared.items():
        module, _, attr = target.partition(":")
        obj = getattr(importlib.import_module(module), attr)
        factory = registry.factories.get(Language.get_factory_name(name))
        # @Language.factory registers the function itself; @Language.component wraps it.
        assert factory is obj or factory(nlp, name) is obj, f"{name} -> {target} is not its factory"
    installed = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="spacy_factories")}
    assert {name: installed.get(name) for name in declared} == declared, "reinstall: `pip install -e .`"


def test_srsly_entry_points_name_the_result_serializers():
    groups = PYPROJECT["project"]["entry-points"]
    assert groups["srsly_msgpack_encoders"] == {"healthclaims": "healthclaims.types:encode_hit"}
    assert groups["srsly_msgpack_decoders"] == {"healthclaims": "healthclaims.types:decode_hit"}


def test_every_subpackage_ships_in_the_wheel():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {
        ".".join(("healthclaims", *init.parent.relative_to(ROOT / "pipeline").parts))
        for init in (ROOT / "pipeline").rglob("__init__.py")
    }
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"


def test_import_is_cheap_and_exports_load_pipeline():
    # A re-run that skips every article goes through the CLI and the runner: no spaCy import.
    code = (
        "import sys, healthclaims, healthclaims.cli.main, healthclaims.batch.runner;"
        "print(sorted(m for m in ('spacy', 'srsly', 'thinc') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
    from healthclaims.nlp import load_pipeline

    assert healthclaims.load_pipeline is load_pipeline
    assert "load_pipeline" in dir(healthclaims)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        healthclaims.nope  # noqa: B018


# ----------------------------------------------------------------------------- save and load


CHILD = r"""
import json, sys
from pathlib import Path
import spacy
saved, sample, article_id = sys.argv[1:4]
nlp = spacy.load(saved)  # plain spaCy: the factories come from the entry points
import healthclaims
from healthclaims.batch.runner import extract_one
from healthclaims.io.textio import read_article
from healthclaims.nlp import model_info
from healthclaims.records.consumer import build_record
article = read_article(Path(sample), source="corpus/massage-chronic-back-pain.txt")
doc = nlp(article.text)
plain = build_record([(0, doc)], article, article_id, pipeline_version=healthclaims.__version__, model=model_info(nlp))
factories = [nlp.get_pipe_meta(n).factory for n in nlp.pipe_names]
# `healthclaims extract --model SAVED` is extract_one(..., SAVED): load_pipeline = spacy.load + add_components.
again = healthclaims.add_components(nlp)
json.dump({
    "plain": plain.model_dump(mode="json"),
    "extract": extract_one(article, article_id, saved, nlp=again).model_dump(mode="json"),
    "factories": factories,
    "factories_again": [again.get_pipe_meta(n).factory for n in again.pipe_names],
    "sources": {n: getattr(p, "rule_sources", None) for n, p in nlp.pipeline},
    "sys_path": sys.path,
    "module": healthclaims.__file__,
}, sys.stdout)
"""


@pytest.fixture(scope="module")
def saved(nlp, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("saved") / "pipeline"
    nlp.to_disk(path)
    return path


@pytest.fixture(scope="module")
def fresh(saved) -> dict:
    """What a fresh interpreter, outside the repository and with no repository path, gets from the saved folder."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "HEALTHCLAIMS_MODELS"}}
    out = subprocess.run(
        [sys.executable, "-I", "-c", CHILD, str(saved), str(SAMPLE), ARTICLE_ID],
        capture_output=True, text=True, cwd=saved.parent, env=env, timeout=300, check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def in_process(nlp) -> dict:
    article = read_article(SAMPLE, source="corpus/massage-chronic-back-pain.txt")
    return extract_one(article, ARTICLE_ID, nlp=nlp).model_dump(mode="json")


def _without_fingerprint(record: dict) -> dict:
    return {k: v for k, v in record.items() if k != "fingerprint"}


def test_saved_pipeline_gives_the_same_record_in_a_fresh_process(fresh, in_process):
    assert not any(p and Path(p).resolve() == ROOT for p in fresh["sys_path"])
    assert _without_fingerprint(fresh["plain"]) == _without_fingerprint(in_process)
    assert in_process["claims"] and in_process["quotes"]  # the comparison is not of two empty records


def test_extract_model_saved_adds_nothing_twice(fresh, in_process, nlp):
    assert fresh["factories_again"] == fresh["factories"] == [nlp.get_pipe_meta(n).factory for n in nlp.pipe_names]
    assert _without_fingerprint(fresh["extract"]) == _without_fingerprint(in_process)


@pytest.mark.parametrize("factory", [f for f in FACTORIES if f != "healthclaims_paragraphs"])
def test_rule_data_is_saved_with_the_pipeline_and_read_back_from_there(factory, saved, fresh):
    folder = saved / factory
    rule_files = json.loads((folder / "rule_files.json").read_text(encoding="utf-8"))
    assert rule_files and all((folder / name).is_file() for name in rule_files.values())
    sources = fresh["sources"][factory]
    assert sources and all(Path(s).parent == folder for s in sources.values())


# ----------------------------------------------------------------------------- spaCy-native components


@pytest.mark.parametrize("factory", list(FACTORIES))
def test_analyze_pipes_shows_what_each_component_assigns_and_requires(factory, nlp):
    analysis = nlp.analyze_pipes()
    summary = analysis["summary"][factory]
    extension, group = FACTORIES[factory]
    if factory == "healthclaims_paragraphs":
        assert summary["assigns"] == ["token.is_sent_start"]
        assert summary["requires"] == []
    else:
        for name in (extension, *MORE_EXTENSIONS.get(factory, ())):
            assert f"doc._.{name}" in summary["assigns"]
        assert ("doc.spans" in summary["assigns"]) is (group is not None)
    if factory not in {"healthclaims_paragraphs", "healthclaims_boilerplate"}:
        assert summary["requires"], "extractors read the parse or entities and must say so"
    # Every requirement is assigned upstream, except the POS tags that the trained attribute_ruler
    # sets without declaring them.
    assert set(analysis["problems"][factory]) <= {"token.pos"}


TEXT = (
    "Researchers found that massage reduced back pain by 30% (Smith et al., 2020), said Dr. Jane Roe.\n\n"
    "“It works well for most people with chronic pain,” she said.\n\nAdvertisement\n\nMore body text."
)


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


@pytest.mark.parametrize("factory", list(FACTORIES))
def test_without_a_trained_pipeline(factory, blank):
    for name in list(blank.pipe_names):
        blank.remove_pipe(name)
    nlp = blank
    nlp.add_pipe(factory)
    if factory == "healthclaims_paragraphs":  # needs nothing: it runs before the parser
        doc = nlp(TEXT)
        assert [t.text for t in doc if t.is_sent_start] == ["Researchers", "“", "Advertisement", "More"]
    elif factory == "healthclaims_boilerplate":  # reads lines of text only
        assert [m.text for m in nlp(TEXT)._.hc_boilerplate] == ["Advertisement"]
    elif factory == "healthclaims_strength":  # reads claims, which need a parser of their own
        doc = nlp.make_doc(TEXT)
        doc._.hc_claims = [ClaimHit(0, 45, TEXT[:45], "efficacy")]
        with pytest.raises(MissingAnnotation, match=rf"{factory} needs .*dependency parse"):
            nlp.get_pipe(factory)(doc)
    else:
        with pytest.raises(MissingAnnotation, match=rf"{factory} needs .*add it"):
            nlp(TEXT)


@pytest.mark.parametrize("factory", [f for f in FACTORIES if FACTORIES[f][1]])
def test_span_group_survives_docbin_and_renders(factory, sample_doc, nlp):
    extension, group = FACTORIES[factory]
    found = results(sample_doc, extension)
    spans = sample_doc.spans.get(group, [])
    assert found and len(spans) > 0
    assert all(sample_doc.text[s.start_char : s.end_char] == s.text for s in spans)
    [back] = DocBin(store_user_data=True, docs=[sample_doc]).from_bytes(
        DocBin(store_user_data=True, docs=[sample_doc]).to_bytes()
    ).get_docs(nlp.vocab)
    assert [(s.start, s.end, s.label_) for s in back.spans[group]] == [(s.start, s.end, s.label_) for s in spans]
    html = displacy.render(back, style="span", options={"spans_key": group})
    assert spans[0][0].text in html


def test_every_result_survives_docbin_and_to_bytes(sample_doc, nlp):
    data = DocBin(store_user_data=True, docs=[sample_doc]).to_bytes()
    [back] = DocBin().from_bytes(data).get_docs(nlp.vocab)
    again = Doc(nlp.vocab).from_bytes(sample_doc.to_bytes())
    for name in EXTENSIONS:
        assert results(sample_doc, name), f"the sample has {name}"
        assert results(back, name) == results(sample_doc, name), name
        assert results(again, name) == results(sample_doc, name), name
