"""``healthclaims db``: the records as SQLite tables with keys, offsets and full-text search."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from healthclaims.batch.runner import extract_one
from healthclaims.cli.main import cli
from healthclaims.io.textio import article_from_text
from healthclaims.records.models import Record
from healthclaims.report.db import build_database, foreign_key_violations

OTHER = (
    "Walking After Meals\n\n"
    "A randomized trial published in the Journal of Walking Research (Okafor et al., 2021) found that a "
    "ten-minute walk after dinner lowered blood sugar in adults with type 2 diabetes.\n\n"
    "\u201cIt is a cheap habit that works,\u201d said Dr. Amara Okafor, who led the study.\n"
)


def _write(outdir: Path, records: list[Record]) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / "records.jsonl").write_text("".join(r.model_dump_json() + "\n" for r in records), encoding="utf-8")


@pytest.fixture(scope="module")
def records(nlp, sample_text) -> list[Record]:
    sample = article_from_text(sample_text, "corpus/sample.txt", "a" * 64)
    other = article_from_text(OTHER, "other.txt", "b" * 64)
    return [extract_one(sample, "sample", nlp=nlp), extract_one(other, "walking", nlp=nlp)]


def _rows(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def test_row_counts_equal_the_records(tmp_path, records):
    _write(tmp_path / "out", records)
    summary = build_database(tmp_path / "out", tmp_path / "c.db")
    db = tmp_path / "c.db"
    assert summary.inserted == 2
    assert _rows(db, "select count(*) from articles") == [(2,)]
    for table, attr in [("claims", "claims"), ("citations", "citations"), ("quotes", "quotes"),
                        ("speakers", "speakers"), ("techniques", "techniques")]:
        assert _rows(db, f"select count(*) from {table}") == [(sum(len(getattr(r, attr)) for r in records),)], table
    links = sum(len(c.citation_ids) for r in records for c in r.claims)
    assert links > 0 and _rows(db, "select count(*) from claim_citations") == [(links,)]
    mentions = sum(len(t.mentions) for r in records for t in r.techniques)
    assert _rows(db, "select count(*) from technique_mentions") == [(mentions,)]


def test_offsets_and_text_are_the_articles(tmp_path, records):
    _write(tmp_path / "out", records)
    build_database(tmp_path / "out", tmp_path / "c.db")
    for article_id, text in _rows(tmp_path / "c.db", "select id, text from articles"):
        for start, end, span in _rows(tmp_path / "c.db", "select start, end, text from claims where article_id = ?", article_id):
            assert text[start:end] == span


def test_foreign_keys_hold(tmp_path, records):
    _write(tmp_path / "out", records)
    build_database(tmp_path / "out", tmp_path / "c.db")
    assert foreign_key_violations(tmp_path / "c.db") == []
    # The keys are declared, not only satisfied: a claim of a missing article is refused.
    with sqlite3.connect(tmp_path / "c.db") as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("insert into claims (pk, article_id, id) values ('x/claim-1', 'no-such-article', 'claim-1')")


def test_full_text_search_finds_a_claim_by_a_word(tmp_path, records):
    _write(tmp_path / "out", records)
    build_database(tmp_path / "out", tmp_path / "c.db")
    hits = _rows(
        tmp_path / "c.db",
        "select claims.article_id, claims.text from claims_fts join claims on claims.rowid = claims_fts.rowid "
        "where claims_fts match ?", "dinner",
    )
    assert hits and all(aid == "walking" and "dinner" in text for aid, text in hits)
    quotes = _rows(tmp_path / "c.db", "select quotes.text from quotes_fts join quotes on quotes.rowid = quotes_fts.rowid "
                   "where quotes_fts match ?", "habit")
    assert quotes == [("It is a cheap habit that works,",)]


def test_second_run_changes_only_the_changed_article(tmp_path, records, nlp):
    _write(tmp_path / "out", records)
    db = tmp_path / "c.db"
    build_database(tmp_path / "out", db)
    # Tag every row of both articles: rows that are rewritten lose the tag.
    with sqlite3.connect(db) as conn:
        conn.execute("update claims set triggers = 'untouched'")
    changed = extract_one(article_from_text(OTHER.replace("ten-minute", "fifteen-minute"), "other.txt", "c" * 64),
                          "walking", nlp=nlp)
    _write(tmp_path / "out", [records[0], changed])
    summary = build_database(tmp_path / "out", db)
    assert (summary.unchanged, summary.updated, summary.inserted) == (1, 1, 0)
    sample_claims = len(records[0].claims)
    assert _rows(db, "select count(*) from claims where article_id = 'sample' and triggers = 'untouched'") == [(sample_claims,)]
    assert _rows(db, "select count(*) from claims where article_id = 'walking' and triggers = 'untouched'") == [(0,)]
    assert any("fifteen-minute" in t for (t,) in _rows(db, "select text from claims where article_id = 'walking'"))
    assert not any("ten-minute" in t for (t,) in _rows(db, "select text from claims where article_id = 'walking'"))


def test_articles_missing_from_the_folder_stay_unless_pruned(tmp_path, records):
    _write(tmp_path / "out", records)
    db = tmp_path / "c.db"
    build_database(tmp_path / "out", db)
    _write(tmp_path / "out", records[:1])
    assert build_database(tmp_path / "out", db).pruned == 0
    assert _rows(db, "select count(*) from articles") == [(2,)]
    assert build_database(tmp_path / "out", db, prune=True).pruned == 1
    assert _rows(db, "select id from articles") == [("sample",)]
    assert _rows(db, "select count(*) from claims where article_id = 'walking'") == [(0,)]
    assert foreign_key_violations(db) == []


def test_cli_db_reports_counts_and_rejects_a_folder_without_records(tmp_path, records):
    _write(tmp_path / "out", records)
    runner = CliRunner()
    result = runner.invoke(cli, ["db", str(tmp_path / "out"), str(tmp_path / "c.db")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "2 article(s): 2 added, 0 updated, 0 unchanged" in result.output
    (tmp_path / "empty").mkdir()
    result = runner.invoke(cli, ["db", str(tmp_path / "empty"), str(tmp_path / "d.db")])
    assert result.exit_code == 2 and "no records" in result.output


def test_an_invalid_record_names_its_file_and_line(tmp_path, records):
    _write(tmp_path / "out", records)
    with (tmp_path / "out" / "records.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"schema_version": "1.1"}\n')
    result = CliRunner().invoke(cli, ["db", str(tmp_path / "out"), str(tmp_path / "c.db")])
    assert result.exit_code == 2 and "records.jsonl:3" in result.output


def test_the_readme_queries_run_and_answer(tmp_path, records):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sql\n", 1)[1].split("```", 1)[0]
    queries = ["\n".join(line for line in q.splitlines() if not line.startswith("--")) for q in block.split(";")]
    _write(tmp_path / "out", records)
    build_database(tmp_path / "out", tmp_path / "c.db")
    answers = [_rows(tmp_path / "c.db", q) for q in queries if q.strip()]
    assert len(answers) == 4
    uncited_efficacy, per_speaker, _journal, fascia = answers
    assert all(text for _title, text in uncited_efficacy)
    assert per_speaker and per_speaker[0][2] >= 1
    assert fascia and all("fascia" in text.lower() for _aid, text in fascia)
