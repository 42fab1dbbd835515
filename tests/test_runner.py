"""Batch runs: records, resumable re-runs, failures that cost nothing else, atomic outputs, and an
output folder whose records.jsonl always matches the records of the inputs that exist."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from healthclaims.batch.runner import NoArticles, RunOptions, discover, run
from healthclaims.records.models import Record, span_violations

GOOD = "A study title\n\nMassage therapy reduced pain in a trial, researchers said.\n"


def read_records(outdir: Path) -> list[Record]:
    """Every record a run wrote, validated, with the span invariant checked."""
    records = []
    for line in (outdir / "records.jsonl").read_text(encoding="utf-8").splitlines():
        record = Record.model_validate_json(line)
        assert span_violations(record) == []
        assert (outdir / f"{record.article.id}.json").is_file()
        records.append(record)
    return records


@pytest.fixture
def corpus(tmp_path, sample_text):
    folder = tmp_path / "in"
    (folder / "nested").mkdir(parents=True)
    (folder / "sample.txt").write_text(sample_text, encoding="utf-8")
    (folder / "nested" / "short.md").write_text("# Short\n\nYoga may ease back pain.\n", encoding="utf-8")
    (folder / "notes.csv").write_text("a,b\n", encoding="utf-8")
    return folder


def test_run_writes_one_valid_record_per_article(nlp, corpus, tmp_path):
    out = tmp_path / "out"
    summary = run([corpus], out)
    assert (summary.found, summary.written, summary.failed, summary.skipped, summary.records) == (2, 2, 0, 1, 2)
    assert summary.skipped_kinds == {"non_article": 1}
    records = read_records(out)
    assert [r.article.id for r in records] == ["sample", "nested__short"]
    assert records[0].article.title == "Should You Consider Massage for Chronic Back Pain?"
    assert [r.article.extractor for r in records] == ["text", "markdown"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["counts"]["written"] == 2
    assert manifest["counts"]["found"] == 2 and manifest["counts"]["records"] == 2
    assert (out / "errors.jsonl").read_text() == ""
    assert not list(out.glob(".*.tmp"))


def test_rerun_skips_unchanged_and_redoes_changed(nlp, corpus, tmp_path):
    out = tmp_path / "out"
    run([corpus], out)
    before = (out / "sample.json").read_bytes()
    again = run([corpus], out)
    assert (again.written, again.unchanged, again.up_to_date) == (0, 2, True)
    assert (out / "sample.json").read_bytes() == before
    assert len(read_records(out)) == 2
    (corpus / "nested" / "short.md").write_text("# Short\n\nTai chi may ease back pain.\n", encoding="utf-8")
    changed = run([corpus], out)
    assert (changed.written, changed.unchanged) == (1, 1)
    assert "Tai chi" in (out / "nested__short.json").read_text()
    forced = run([corpus], out, RunOptions(force=True))
    assert (forced.written, forced.unchanged) == (2, 0)


def test_an_edited_extractor_redoes_the_records(nlp, corpus, tmp_path, monkeypatch):
    # the version number stays, the code does not (an editable install after an edit)
    from healthclaims.batch import fingerprints

    out = tmp_path / "out"
    run([corpus], out)
    assert run([corpus], out).unchanged == 2
    monkeypatch.setattr(fingerprints, "code_digest", lambda: "edited")
    assert (run([corpus], out).written, run([corpus], out).unchanged) == (2, 2)


def test_a_corrupt_record_is_redone(nlp, corpus, tmp_path):
    out = tmp_path / "out"
    run([corpus], out)
    (out / "sample.json").write_text('{"truncated": ', encoding="utf-8")
    summary = run([corpus], out)
    assert (summary.written, summary.unchanged) == (1, 1)
    assert len(read_records(out)) == 2


def test_bad_articles_are_reported_and_others_still_done(nlp, corpus, tmp_path, monkeypatch):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (corpus / "locked.txt").write_text("Some text.", encoding="utf-8")
    real = Path.read_bytes

    def deny(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    out = tmp_path / "out"
    summary = run([corpus], out)
    assert (summary.written, summary.failed, summary.found) == (2, 3, 5)
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    by_name = {Path(e["path"]).name: e for e in errors}
    assert by_name["empty.txt"]["error"] == "empty"
    assert by_name["image.txt"]["error"] == "binary" and "PNG" in by_name["image.txt"]["message"]
    assert by_name["locked.txt"]["error"] == "unreadable" and "permission denied" in by_name["locked.txt"]["message"]
    assert len(read_records(out)) == 2


def test_symlink_loops_are_skipped_not_followed_forever_nor_failures(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    os.symlink(folder, folder / "loop")
    os.symlink(folder / "self.txt", folder / "self.txt")  # a file link to itself
    os.symlink(folder / "gone.txt", folder / "dangling.txt")
    found = discover([folder])
    assert [f.name for f, _root in found.files] == ["a.txt"]
    assert found.problems == []
    assert found.skipped == {"link_loop": 2, "broken_link": 1}


def test_no_articles_is_an_error(tmp_path):
    (tmp_path / "x.csv").write_text("a\n")
    with pytest.raises(NoArticles, match="no articles found"):
        run([tmp_path], tmp_path / "out")


def test_ids_never_overwrite_outputs_or_each_other(nlp, tmp_path):
    folder = tmp_path / "in"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    for path in (folder / "manifest.txt", folder / "a" / "x.txt", folder / "b" / "x.txt", folder / "x.txt", folder / "x.md"):
        path.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    summary = run([folder], out)
    assert summary.written == 5
    names = sorted(p.name for p in out.glob("*.json"))
    assert names == ["_manifest.json", "a__x.json", "b__x.json", "manifest.json", "x_md.json", "x_txt.json"]


def test_long_article_is_chunked_with_exact_offsets(nlp, monkeypatch, tmp_path):
    import healthclaims.nlp

    monkeypatch.setattr(healthclaims.nlp, "MAX_CHUNK_CHARS", 400)
    paragraph = "“Massage can reduce pain in the short term,” said Dr. Ann Lee, a physician at Example Hospital.\n\n"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "long.txt").write_text("Long article\n\n" + paragraph * 12, encoding="utf-8")
    out = tmp_path / "out"
    run([folder], out)
    [record] = read_records(out)
    starts = [q.start for q in record.quotes if q.kind == "direct"]
    assert len(starts) == 12
    assert all(record.article.text[s : s + 7] == "Massage" for s in starts)


def article(i: int) -> str:
    return f"Article {i}\n\nTai chi improved balance in trial number {i}, researchers said.\n"


@pytest.fixture
def three(tmp_path) -> Path:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for name, i in (("a.txt", 1), ("b.txt", 2), ("sub/c.txt", 3)):
        (folder / name).write_text(article(i), encoding="utf-8")
    return folder


def listed(out: Path) -> list[str]:
    return sorted(r.article.id for r in read_records(out))


def test_a_subset_run_keeps_the_other_records_listed(nlp, three, tmp_path):
    out = tmp_path / "out"
    run([three], out)
    (three / "a.txt").write_text(article(10), encoding="utf-8")
    summary = run([three / "a.txt"], out)
    assert (summary.found, summary.written, summary.kept, summary.records) == (1, 1, 2, 3)
    assert listed(out) == ["a", "b", "sub__c"]
    assert "trial number 10" in (out / "a.json").read_text()


def test_a_subset_with_another_root_keeps_ids_and_never_takes_another_inputs_id(nlp, three, tmp_path):
    out = tmp_path / "out"
    run([three], out)
    (three / "sub" / "a.txt").write_text(article(4), encoding="utf-8")  # would be "a" from root sub/
    summary = run([three / "sub"], out)
    assert (summary.written, summary.unchanged, summary.kept) == (1, 1, 2)
    assert listed(out) == ["a", "a-2", "b", "sub__c"]
    assert json.loads((out / "a.json").read_text())["article"]["source"] == str(three / "a.txt")
    assert "trial number 4" in (out / "a-2.json").read_text()


def test_records_of_deleted_inputs_are_reported_and_pruned(nlp, three, tmp_path):
    out = tmp_path / "out"
    run([three], out)
    (three / "b.txt").unlink()
    summary = run([three], out)
    assert (summary.found, summary.unchanged, summary.orphaned, summary.records) == (2, 2, 1, 2)
    assert listed(out) == ["a", "sub__c"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["orphans"] == [{"id": "b", "source": str(three / "b.txt")}]
    assert (out / "b.json").is_file()
    pruned = run([three], out, RunOptions(prune=True))
    assert (pruned.orphaned, pruned.pruned) == (1, 1)
    assert not (out / "b.json").exists()
    assert run([three], out).orphaned == 0


def test_a_moved_folder_refreshes_sources_without_extracting(nlp, three, tmp_path):
    out = tmp_path / "out"
    run([three], out)
    moved = tmp_path / "elsewhere"
    three.rename(moved)
    summary = run([moved], out)
    assert (summary.written, summary.unchanged, summary.orphaned, summary.records) == (0, 3, 0, 3)
    sources = {r.article.id: r.article.source for r in read_records(out)}
    assert sources == {"a": str(moved / "a.txt"), "b": str(moved / "b.txt"), "sub__c": str(moved / "sub" / "c.txt")}
    assert json.loads((out / "sub__c.json").read_text())["article"]["source"] == str(moved / "sub" / "c.txt")


def test_an_article_that_now_fails_loses_its_old_record(nlp, three, tmp_path):
    out = tmp_path / "out"
    run([three], out)
    (three / "b.txt").write_text("  \n", encoding="utf-8")
    summary = run([three], out)
    assert (summary.failed, summary.records) == (1, 2)
    assert not (out / "b.json").exists() and listed(out) == ["a", "sub__c"]


def test_files_in_the_output_folder_that_are_not_records_are_left_alone(nlp, three, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.json").write_text('{"mine": true}', encoding="utf-8")
    run([three], out, RunOptions(prune=True))
    assert (out / "notes.json").read_text() == '{"mine": true}'
    assert listed(out) == ["a", "b", "sub__c"]


def test_a_page_without_article_text_is_an_error_line_with_sizes(nlp, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text(GOOD, encoding="utf-8")
    links = "".join(f'<li><a href="/{i}">Section {i}</a></li>' for i in range(150))
    (folder / "index.html").write_text(f"<html><body><nav><ul>{links}</ul></nav></body></html>", encoding="utf-8")
    out = tmp_path / "out"
    summary = run([folder], out)
    assert (summary.written, summary.failed) == (1, 1)
    [error] = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert error["error"] == "no_article_text" and "bytes of HTML" in error["message"]


def test_two_workers_give_the_same_records_as_one(nlp, three, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    run([three], one)
    summary = run([three], two, RunOptions(jobs=2, batch_size=1))
    assert (summary.written, summary.records) == (3, 3)
    for name in ("a.json", "b.json", "sub__c.json"):
        assert (one / name).read_text() == (two / name).read_text()


def test_a_forced_format_reads_every_file_that_way(nlp, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.txt").write_text("Title\n\nA trial in *The Lancet* found that yoga eased pain.\n", encoding="utf-8")
    out = tmp_path / "out"
    run([folder], out)
    assert "*The Lancet*" in read_records(out)[0].article.text
    summary = run([folder], out, RunOptions(format="markdown"))
    assert summary.written == 1  # a forced format is part of the fingerprint
    [record] = read_records(out)
    assert record.article.format == "markdown" and "*" not in record.article.text
