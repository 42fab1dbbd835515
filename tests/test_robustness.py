"""Hazards a batch meets in real folders: any Unicode, long texts, kills and interrupts."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from healthclaims.batch.runner import extract_one, run
from healthclaims.io.textio import article_from_text, normalise_text, sha256_of
from healthclaims.nlp import split_chunks
from healthclaims.records.models import Record, record_json_schema, span_violations
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = record_json_schema()

# Text that looks like news: words, quotes of every kind, dashes, newlines, odd code points.
NEWSY = st.lists(
    st.one_of(
        st.sampled_from(["“", "”", '"', "‘", "’", "'", "—", "--", ",", ".", "?", "\n", "\n\n", "\r\n", " ", "said", "she", "Dr.",
                         "Smith", "et al., 2019", "(", ")", "massage", "may", "reduce", "pain", "percent", "study", "JAMA"]),
        st.text(min_size=1, max_size=12),
    ),
    max_size=60,
).map(" ".join)


def _record(nlp, text: str) -> Record:
    article = article_from_text(text, "prop.txt", sha256_of(text.encode("utf-8", "surrogatepass")))
    return extract_one(article, "prop", nlp=nlp)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Text that normalises to nothing (only control characters) is an "empty" article, tested elsewhere.
@given(text=NEWSY.filter(lambda t: normalise_text(t).strip()))
def test_any_text_gives_a_valid_record_with_exact_spans(nlp, text):
    record = _record(nlp, text)
    assert span_violations(record) == []
    Record.model_validate_json(record.model_dump_json())
    jsonschema.validate(json.loads(record.model_dump_json()), SCHEMA)


def test_schema_validates_a_record(nlp, sample_text):
    jsonschema.validate(json.loads(_record(nlp, sample_text).model_dump_json()), record_json_schema())


def test_same_input_same_bytes(nlp, sample_text):
    assert _record(nlp, sample_text).model_dump_json() == _record(nlp, sample_text).model_dump_json()


def test_five_megabyte_text_is_split_at_paragraphs_with_exact_offsets():
    paragraph = "Researchers said yoga may ease chronic back pain in adults, according to a trial.\n\n"
    text = paragraph * (5_000_000 // len(paragraph) + 1)
    chunks = split_chunks(text)
    assert len(chunks) > 20
    assert "".join(chunk for _offset, chunk in chunks) == text
    assert all(text[offset : offset + len(chunk)] == chunk for offset, chunk in chunks)
    assert all(chunk.endswith("\n\n") for _offset, chunk in chunks[:-1])


def test_split_without_paragraphs_still_exact():
    text = "word " * 100_000
    chunks = split_chunks(text, limit=10_000)
    assert "".join(c for _o, c in chunks) == text and all(len(c) <= 10_000 for _o, c in chunks)


def _start_run(folder: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "healthclaims", "run", str(folder), "-o", str(out), "--quiet", "--batch-size", "1"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def _wait_for_records(out: Path, proc: subprocess.Popen, at_least: int, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline and proc.poll() is None:
        if len([p for p in out.glob("*.json") if p.name != "manifest.json"]) >= at_least:
            return
        time.sleep(0.05)
    pytest.fail("the run finished or stalled before it could be interrupted")


@pytest.fixture
def many(tmp_path, sample_text) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(40):
        (folder / f"a{i:02d}.txt").write_text(sample_text.replace("two decades", f"{i + 2} years"), encoding="utf-8")
    return folder


def test_sigkill_then_rerun_completes_the_work(many, tmp_path):
    out = tmp_path / "out"
    proc = _start_run(many, out)
    _wait_for_records(out, proc, 3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = len(list(out.glob("a*.json")))
    assert done_before < 40
    for path in out.glob("a*.json"):  # whatever was written is whole
        Record.model_validate_json(path.read_bytes())
    rerun = subprocess.run([sys.executable, "-m", "healthclaims", "run", str(many), "-o", str(out), "--quiet"], check=False, cwd=ROOT)
    assert rerun.returncode == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["unchanged"] >= done_before and manifest["counts"]["written"] == 40 - manifest["counts"]["unchanged"]
    lines = (out / "records.jsonl").read_text().splitlines()
    assert sorted(Record.model_validate_json(line).article.id for line in lines) == [f"a{i:02d}" for i in range(40)]
    assert not list(out.glob(".*.tmp"))


def test_sigint_stops_cleanly_with_status_130(many, tmp_path):
    out = tmp_path / "out"
    proc = _start_run(many, out)
    _wait_for_records(out, proc, 2)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=60) == 130
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    kept = list(out.glob("a*.json"))
    assert kept and all(Record.model_validate_json(p.read_bytes()) for p in kept)
    assert len((out / "records.jsonl").read_text().splitlines()) == len(kept)


QUOTE_HAZARDS = {
    "nested.txt": "Nested\n\n“He told me ‘no’ three times before the trial began,” said Dr. Mara Quist, a surgeon at Lakeside Hospital.\n",
    "mixed.txt": "Mixed\n\n\"Yoga eased the pain in most of our patients,\" said Dr. Mara Quist. “It also helped them sleep through the night,” she added.\n",
    "unbalanced.txt": "Unbalanced\n\nDr. Mara Quist said: “Acupuncture reduced hot flashes in the trial participants.\n\nThat is all we know.\n",
    "never_closes.txt": "Run-on\n\n“Massage lowered pain scores in the first week of care,” said Dr. Mara Quist.\n\n“The effect faded by the third month and the patients who stopped early\n\n“did not report any serious side effects during the whole study.\n",
}


def test_quote_and_encoding_hazards_give_correct_records(nlp, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in QUOTE_HAZARDS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "crlf.txt").write_bytes(QUOTE_HAZARDS["mixed.txt"].replace("\n", "\r\n").encode("utf-8"))
    (folder / "windows.txt").write_bytes(QUOTE_HAZARDS["nested.txt"].encode("cp1252"))
    (folder / "utf16.txt").write_bytes(QUOTE_HAZARDS["mixed.txt"].encode("utf-16"))
    (folder / "page.html").write_text(
        "<html><head><title>Page</title><script>document.write('“fake quote here now”')</script></head><body>"
        "<nav>Home | Health</nav><p>&ldquo;Walking every day lowered blood pressure,&rdquo; said Dr. Mara Quist.</p>"
        "<div id='comments'><p>Leave a Reply</p><form>Your email address will not be published.</form></div></body></html>",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    summary = run([folder], out)
    assert (summary.written, summary.failed) == (8, 0)
    records = {Path(r.article.source).name: r for r in (Record.model_validate_json(line) for line in (out / "records.jsonl").read_text().splitlines())}

    def direct(name):
        record = records[name]
        names = {s.id: s.name for s in record.speakers}
        assert span_violations(record) == []
        return [(q.text, names.get(q.speaker_id)) for q in record.quotes if q.kind == "direct"]

    assert direct("nested.txt") == [("He told me ‘no’ three times before the trial began,", "Mara Quist")]
    assert direct("windows.txt") == direct("nested.txt") and records["windows.txt"].article.encoding == "cp1252"
    mixed = [("Yoga eased the pain in most of our patients,", "Mara Quist"), ("It also helped them sleep through the night,", "Mara Quist")]
    assert direct("mixed.txt") == direct("crlf.txt") == direct("utf16.txt") == mixed
    assert "\r" not in records["crlf.txt"].article.text
    assert direct("unbalanced.txt")[0][0].startswith("Acupuncture reduced hot flashes")
    assert [t[:20] for t, _ in direct("never_closes.txt")][:2] == ["Massage lowered pain", "The effect faded by "]
    assert direct("page.html") == [("Walking every day lowered blood pressure,", "Mara Quist")]
    assert "fake quote" not in records["page.html"].article.text and "Leave a Reply" not in records["page.html"].article.text
