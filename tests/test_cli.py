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
    assert f"1 record(s) in {out / 'records.jsonl'}: 1 written, 0 unchanged" in result.output
    assert "1 article(s) found, 0 failed" in result.output and "words/s" in result.output
    record = Record.model_validate_json((out / "massage-chronic-back-pain.json").read_text())
    assert span_violations(record) == []
    rerun = invoke("run", str(ROOT / "corpus"), "-o", str(out))
    assert rerun.exit_code == 0
    assert f"all 1 records up to date in {out}/" in rerun.output and "words/s" not in rerun.output
    quiet = invoke("run", str(ROOT / "corpus"), "-o", str(out), "--quiet")
    assert quiet.exit_code == 0 and quiet.output == ""


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


def article(i: int) -> str:
    return f"Article {i}\n\nTai chi improved balance in trial number {i}, researchers said.\n"


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(1, 5):
        (folder / f"a{i}.txt").write_text(article(i), encoding="utf-8")
    return folder


def jsonl_ids(out: Path) -> list[str]:
    return sorted(json.loads(line)["article"]["id"] for line in (out / "records.jsonl").read_text().splitlines())


def record_files(out: Path) -> list[str]:
    return sorted(p.stem for p in out.glob("*.json") if p.name != "manifest.json")


def test_symlink_loop_and_non_articles_are_counted_and_do_not_fail_the_run(nlp, folder, tmp_path):
    import os

    os.symlink(folder, folder / "loop")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    out = tmp_path / "out"
    result = invoke("run", str(folder), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "4 article(s) found, 0 failed, 2 skipped (link loop: 1, non article: 1)" in result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["counts"]["skipped_kinds"] == {"link_loop": 1, "non_article": 1}
    assert manifest["skipped"] == [{"path": str(folder / "loop"), "kind": "link_loop"}]
    assert (out / "errors.jsonl").read_text() == ""


def test_a_subset_into_an_existing_folder_does_not_shrink_records_jsonl(nlp, folder, tmp_path):
    out = tmp_path / "out"
    invoke("run", str(folder), "-o", str(out))
    (folder / "a2.txt").write_text(article(22), encoding="utf-8")
    result = invoke("run", str(folder / "a2.txt"), "-o", str(out))
    assert result.exit_code == 0
    assert "4 record(s)" in result.output and "1 written, 0 unchanged, 3 kept from earlier runs" in result.output
    assert jsonl_ids(out) == record_files(out) == ["a1", "a2", "a3", "a4"]
    assert json.loads((out / "manifest.json").read_text())["counts"]["records"] == 4


def test_a_deleted_input_is_reported_then_pruned(nlp, folder, tmp_path):
    out = tmp_path / "out"
    invoke("run", str(folder), "-o", str(out))
    (folder / "a3.txt").unlink()
    result = invoke("run", str(folder), "-o", str(out))
    assert result.exit_code == 0
    assert "1 record(s) in" in result.output and "belong to inputs that no longer exist" in result.output
    assert jsonl_ids(out) == ["a1", "a2", "a4"] and "a3" in record_files(out)
    pruned = invoke("run", str(folder), "-o", str(out), "--prune")
    assert pruned.exit_code == 0 and "1 record(s) of inputs that no longer exist were deleted (--prune)" in pruned.output
    assert jsonl_ids(out) == record_files(out) == ["a1", "a2", "a4"]


def test_a_moved_folder_gets_its_new_sources_without_re_extraction(nlp, folder, tmp_path):
    out = tmp_path / "out"
    invoke("run", str(folder), "-o", str(out))
    moved = tmp_path / "moved"
    folder.rename(moved)
    result = invoke("run", str(moved), "-o", str(out))
    assert result.exit_code == 0 and "all 4 records up to date" in result.output
    sources = sorted(json.loads(line)["article"]["source"] for line in (out / "records.jsonl").read_text().splitlines())
    assert sources == [str(moved / f"a{i}.txt") for i in range(1, 5)]
    assert json.loads((out / "a1.json").read_text())["article"]["source"] == str(moved / "a1.txt")


def test_ctrl_c_summary_counts_equal_the_records_on_disk(nlp, folder, tmp_path, monkeypatch):
    import signal

    from healthclaims.batch import writer

    real_write = writer.write_atomic
    calls = {"n": 0}

    def write_then_ctrl_c(path, data):
        real_write(path, data)
        calls["n"] += 1
        if calls["n"] == 2:  # Ctrl-C arrives while the second record is being written
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(writer, "write_atomic", write_then_ctrl_c)
    out = tmp_path / "out"
    result = invoke("run", str(folder), "-o", str(out), "--batch-size", "1")
    assert result.exit_code == 130
    assert "INTERRUPTED: 2 record(s)" in result.output and "2 article(s) not reached" in result.output
    assert jsonl_ids(out) == record_files(out) == ["a1", "a2"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert (manifest["counts"]["written"], manifest["counts"]["pending"], manifest["counts"]["records"]) == (2, 2, 2)


PAGE = ("<!DOCTYPE html><html><head><title>Walking study</title></head><body><nav>Home News</nav><article>"
        "<h1>Walking study</h1><p>Brisk walking lowered blood pressure in a trial of 400 older adults, the researchers reported.</p>"
        "<p>The effect faded when people stopped walking after the trial had ended, they added.</p></article></body></html>")


@pytest.mark.parametrize(
    "data, args, fmt, extractor, absent",
    [
        (PAGE, [], "html", "trafilatura", "<p>"),
        ("# Walking\n\nA trial in *The Lancet* found [walking](https://example.org) lowered blood pressure.\n",
         [], "markdown", "markdown", "*"),
        ("Walking\n\nA trial found that walking lowered blood pressure.\n", [], "text", "text", None),
        (PAGE, ["--format", "text"], "text", "text", None),
    ],
)
def test_extract_stdin_sniffs_or_takes_the_format(nlp, data, args, fmt, extractor, absent):
    result = invoke("extract", "-", *args, input=data.encode("utf-8"))
    assert result.exit_code == 0, result.output
    record = Record.model_validate_json(result.output)
    assert (record.article.format, record.article.extractor) == (fmt, extractor)
    if absent:
        assert absent not in record.article.text
        assert not [c for c in record.claims if absent in c.text]


def test_evaluate_help_describes_the_gold_format():
    text = invoke("evaluate", "--help").output
    assert "NAME.gold.json" in text and "NAME.txt" in text and "start, end, text" in text
    assert "ANNOTATION.md" not in text


def test_evaluate_with_no_matching_record_exits_2(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "story.txt").write_text("Story\n\nYoga helps.\n", encoding="utf-8")
    (gold / "story.gold.json").write_text('{"claims": []}', encoding="utf-8")
    records = tmp_path / "records"
    records.mkdir()
    (records / "other.json").write_text("{}", encoding="utf-8")
    result = invoke("evaluate", str(gold), "--records", str(records))
    assert result.exit_code == 2
    assert "no record in" in result.output and "story.json" in result.output


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_line_shows_model_loading_and_an_eta_from_extraction_alone(monkeypatch, jobs):
    import io

    from healthclaims.cli import progress

    clock = {"now": 100.0}
    monkeypatch.setattr(progress.time, "monotonic", lambda: clock["now"])
    stream = io.StringIO()
    line = progress.ProgressLine(stream)
    line.started(found=30, to_extract=10)  # 20 are up to date and never reach the model
    line.status("loading en_core_web_sm…")
    assert line.line() == "healthclaims  loading en_core_web_sm…"
    clock["now"] += 30  # the model takes 30 s to load
    if jobs == 1:  # this process: the load ends before the first batch
        line.status(None)
        clock["now"] += 10
        line.advanced(done=22, extracted=2)  # 20 unchanged pass with the first batch
    else:  # workers: the first results end the load; their batch is not timed
        line.advanced(done=22, extracted=2)
        line.status(None)
        clock["now"] += 10
        line.advanced(done=2, extracted=2)
    extracted = line.extracted
    assert line.eta() == pytest.approx((10 - extracted) * 10 / 2)  # 2 articles per 10 s, load time left out
    assert f"{extracted}/10 extracted" in line.line() and "ETA 0:00:" in line.line()
