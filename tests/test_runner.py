"""Batch runs: records, resumable re-runs, failures that cost nothing else, atomic outputs."""

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
    assert (summary.found, summary.processed, summary.failed, summary.ignored_files) == (2, 2, 0, 1)
    records = read_records(out)
    assert [r.article.id for r in records] == ["sample", "nested__short"]
    assert records[0].article.title == "Should You Consider Massage for Chronic Back Pain?"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["counts"]["processed"] == 2
    assert (out / "errors.jsonl").read_text() == ""
    assert not list(out.glob(".*.tmp"))


def test_rerun_skips_unchanged_and_redoes_changed(nlp, corpus, tmp_path):
    out = tmp_path / "out"
    run([corpus], out)
    before = (out / "sample.json").read_bytes()
    again = run([corpus], out)
    assert (again.processed, again.unchanged) == (0, 2)
    assert (out / "sample.json").read_bytes() == before
    assert len(read_records(out)) == 2
    (corpus / "nested" / "short.md").write_text("# Short\n\nTai chi may ease back pain.\n", encoding="utf-8")
    changed = run([corpus], out)
    assert (changed.processed, changed.unchanged) == (1, 1)
    assert "Tai chi" in (out / "nested__short.json").read_text()
    forced = run([corpus], out, RunOptions(force=True))
    assert (forced.processed, forced.unchanged) == (2, 0)


def test_a_corrupt_record_is_redone(nlp, corpus, tmp_path):
    out = tmp_path / "out"
    run([corpus], out)
    (out / "sample.json").write_text('{"truncated": ', encoding="utf-8")
    summary = run([corpus], out)
    assert (summary.processed, summary.unchanged) == (1, 1)
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
    assert (summary.processed, summary.failed) == (2, 3)
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    by_name = {Path(e["path"]).name: e for e in errors}
    assert by_name["empty.txt"]["error"] == "empty"
    assert by_name["image.txt"]["error"] == "binary" and "PNG" in by_name["image.txt"]["message"]
    assert by_name["locked.txt"]["error"] == "unreadable" and "permission denied" in by_name["locked.txt"]["message"]
    assert len(read_records(out)) == 2


def test_symlink_loop_is_reported_not_followed_forever(nlp, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    os.symlink(folder, folder / "loop")
    files, problems, _ = discover([folder])
    assert [f.name for f, _root in files] == ["a.txt"]
    assert [p["error"] for p in problems] == ["link_loop"]


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
    assert summary.processed == 5
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
