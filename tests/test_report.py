"""``healthclaims report``: pages built from the records, every string escaped, written incrementally."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from healthclaims.batch.runner import extract_one
from healthclaims.cli.main import cli
from healthclaims.io.textio import article_from_text
from healthclaims.records.models import Citation, Claim, Quote, Record
from healthclaims.report.html import build_report, page_name
from healthclaims.report.layout import Piece, layout

HOSTILE = (
    "Cure <script>alert('title')</script> Claims\n\n"
    "A study published in the Journal of Testing (Smith et al., 2020) found that <script>alert(1)</script> "
    "walking lowers blood pressure.\n\n"
    "\u201cSkipping meals \"><img src=x onerror=alert(2)> harms the heart,\u201d said Dr. Ana Ruiz.\n"
)
NO_CLAIMS = "Clinic Opening Hours\n\nThe front desk opens at nine on weekdays.\n"


def _write(outdir: Path, records: list[Record]) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / "records.jsonl").write_text("".join(r.model_dump_json() + "\n" for r in records), encoding="utf-8")


@pytest.fixture(scope="module")
def records(nlp, sample_text) -> list[Record]:
    texts = [("sample", sample_text), ("hostile", HOSTILE), ("hours", NO_CLAIMS)]
    return [extract_one(article_from_text(t, f"{i}.txt", str(n) * 64), i, nlp=nlp) for n, (i, t) in enumerate(texts)]


def _flat(pieces: list[Piece]) -> str:
    return "".join(p.text if p.mark is None else _flat(p.children) for p in pieces)


def _spans(pieces: list[Piece], depth: int = 0):
    for p in pieces:
        if p.mark:
            yield depth, p
            yield from _spans(p.children, depth + 1)


def test_layout_keeps_the_text_and_one_element_per_claim(records):
    for record in records:
        pieces = layout(record)
        assert _flat(pieces) == record.article.text
        top_claims = [p.mark.item_id for p in pieces if p.mark and p.mark.kind == "claim"]
        assert top_claims == [c.id for c in record.claims]
        for _depth, piece in _spans(pieces):  # children lie inside their parent
            assert all(piece.start <= c.start < c.end <= piece.end for c in piece.children)


def _record(text: str, **items) -> Record:
    from healthclaims.records.models import Article, ModelInfo

    article = Article(id="a", source="a.txt", sha256="0" * 64, encoding="utf-8", text=text, word_count=len(text.split()))
    return Record(pipeline_version="t", model=ModelInfo(name="m", version="1"), article=article, **items)


def test_a_span_crossing_a_claim_edge_is_cut_and_keeps_its_id():
    text = "Aa bb cc. Dd ee ff."
    quote = Quote(id="quote-1", start=3, end=12, text=text[3:12], kind="direct")
    claims = [Claim(id="claim-1", start=0, end=9, text=text[0:9], type="efficacy"),
              Claim(id="claim-2", start=10, end=19, text=text[10:19], type="safety")]
    pieces = layout(_record(text, claims=claims, quotes=[quote]))
    assert _flat(pieces) == text
    quote_pieces = [(p.start, p.end) for _d, p in _spans(pieces) if p.mark.kind == "quote"]
    assert quote_pieces == [(3, 9), (9, 10), (10, 12)]  # inside claim-1, between the claims, inside claim-2
    assert [p.mark.item_id for p in pieces if p.mark and p.mark.kind == "claim"] == ["claim-1", "claim-2"]


def test_nested_citation_inside_a_quote_inside_a_claim():
    text = "He said it works (Lee 2020) well."
    claim = Claim(id="claim-1", start=0, end=len(text), text=text, type="efficacy")
    quote = Quote(id="quote-1", start=8, end=32, text=text[8:32], kind="indirect")
    cit = Citation(id="cit-1", start=18, end=26, text=text[18:26], kind="author_year")
    pieces = layout(_record(text, claims=[claim], quotes=[quote], citations=[cit]))
    nested = [(d, p.mark.kind) for d, p in _spans(pieces)]
    assert nested == [(0, "claim"), (1, "quote"), (2, "citation")]


def test_every_article_string_is_escaped(tmp_path, records):
    _write(tmp_path / "out", records)
    build_report(tmp_path / "out")
    page = (tmp_path / "out" / "report" / "articles" / page_name("hostile")).read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert len(re.findall(r"<script\b", page)) == 1  # only the report's own script
    index = (tmp_path / "out" / "report" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert('title')" not in index and "&lt;script&gt;alert(" in index


def test_pages_link_claims_to_citations(tmp_path, records):
    _write(tmp_path / "out", records)
    build_report(tmp_path / "out")
    page = (tmp_path / "out" / "report" / "articles" / page_name("sample")).read_text(encoding="utf-8")
    sample = records[0]
    text = page.split('<article class="text"', 1)[1].split("</article>", 1)[0]
    assert text.count('<mark class="hl claim"') == len(sample.claims)
    cited = next(c for c in sample.claims if c.citation_ids)
    row = page.split(f'<tr id="{cited.id}">', 1)[1].split("</tr>", 1)[0]
    assert f'href="#{cited.citation_ids[0]}"' in row
    assert "International Journal of General Medicine" in page and "Victoria VanDam" in page


def test_index_has_one_row_per_article_with_filter_data(tmp_path, records):
    _write(tmp_path / "out", records)
    build_report(tmp_path / "out")
    index = (tmp_path / "out" / "report" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr data-uncited="(\d+)"', index)
    assert [int(n) for n in rows] == [sum(1 for c in r.claims if not c.cited) for r in records]
    assert 'href="static/report.css"' in index and "http" not in re.sub(r'https?://[^"]*pubmed[^"]*', "", index.split("<main", 1)[0])


def test_rerun_rewrites_only_changed_pages(tmp_path, records, nlp):
    _write(tmp_path / "out", records)
    first = build_report(tmp_path / "out")
    assert (first.written, first.unchanged) == (3, 0)
    assert build_report(tmp_path / "out").written == 0
    pages = tmp_path / "out" / "report" / "articles"
    before = {p.name: p.stat().st_mtime_ns for p in pages.iterdir()}
    changed = extract_one(article_from_text(NO_CLAIMS.replace("nine", "ten"), "hours.txt", "9" * 64), "hours", nlp=nlp)
    _write(tmp_path / "out", [records[0], changed])  # "hostile" is gone, "hours" changed
    third = build_report(tmp_path / "out")
    assert (third.written, third.unchanged, third.removed) == (1, 1, 1)
    assert (pages / page_name("sample")).stat().st_mtime_ns == before[page_name("sample")]
    assert not (pages / page_name("hostile")).exists()
    assert "opens at ten" in (pages / page_name("hours")).read_text(encoding="utf-8")


def test_cli_report_default_folder_and_error(tmp_path, records):
    _write(tmp_path / "out", records)
    result = CliRunner().invoke(cli, ["report", str(tmp_path / "out")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "3 article page(s), 3 written" in result.output
    assert (tmp_path / "out" / "report" / "index.html").is_file()
    result = CliRunner().invoke(cli, ["report", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "not a folder of records" in result.output
