"""The command line, through Click's CliRunner: exit codes, messages and outputs users see."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from healthclaims.cli.main import cli
from healthclaims.records.models import Record, record_json_schema, span_violations

ROOT = Path(__file__).resolve().parent.parent


def invoke(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.mark.parametrize("command", [[], ["run"], ["extract"], ["schema"], ["evaluate"]])
def test_every_command_has_help(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert len(result.output.splitlines()[2].strip()) > 10  # the docstring's first line


def test_run_sample_folder(nlp, tmp_path):
    out = tmp_path / "out"
    result = invoke("run", str(ROOT / "corpus"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "1 of 1 article(s) have records" in result.output
    record = Record.model_validate_json((out / "massage-chronic-back-pain.json").read_text())
    assert span_violations(record) == []
    rerun = invoke("run", str(ROOT / "corpus"), "-o", str(out), "--quiet")
    assert rerun.exit_code == 0 and rerun.output == ""


def test_run_with_a_failing_article_exits_1(nlp, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Title\n\nYoga eased pain in a trial.\n", encoding="utf-8")
    (folder / "blank.txt").write_text("   \n", encoding="utf-8")
    result = invoke("run", str(folder), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "1 failed" in result.output
    [error] = [json.loads(line) for line in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert error["path"].endswith("blank.txt") and error["error"] == "empty"


def test_run_folder_without_articles_exits_2(tmp_path):
    (tmp_path / "data.csv").write_text("x\n")
    result = invoke("run", str(tmp_path), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "no articles found" in result.output


def test_unknown_model_exits_2_and_says_how_to_install(tmp_path):
    result = invoke("run", str(ROOT / "corpus"), "-o", str(tmp_path / "out"), "--model", "en_core_web_nonexistent")
    assert result.exit_code == 2
    assert "pip install" in result.output and "en_core_web_nonexistent" in result.output


def test_extract_file_and_stdin(nlp, tmp_path):
    result = invoke("extract", str(ROOT / "corpus" / "massage-chronic-back-pain.txt"))
    assert result.exit_code == 0
    record = Record.model_validate_json(result.output)
    assert record.article.id == "massage-chronic-back-pain" and span_violations(record) == []
    piped = invoke("extract", "-", "--compact", input=b"Title\n\nAcupuncture eased pain, she said.\n")
    assert piped.exit_code == 0 and len(piped.output.strip().splitlines()) == 1
    assert Record.model_validate_json(piped.output).article.source == "-"


def test_extract_missing_file_exits_2(tmp_path):
    result = invoke("extract", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2
    assert "nope.txt: no such file" in result.output


def test_schema_matches_the_committed_file():
    result = invoke("schema")
    assert result.exit_code == 0
    assert json.loads(result.output) == record_json_schema()
    committed = json.loads((ROOT / "models" / "record.schema.json").read_text(encoding="utf-8"))
    assert committed == record_json_schema(), "run `make schema` and review the change"


def test_evaluate_requires_gold_files(tmp_path):
    result = invoke("evaluate", str(tmp_path))
    assert result.exit_code == 2
    assert "gold" in result.output
