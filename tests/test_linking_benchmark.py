"""The news-linking benchmark's failure list (benchmarks/linking.py --failures), on made-up records."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from healthclaims.records import models as R

_SPEC = importlib.util.spec_from_file_location(
    "linking_benchmark", Path(__file__).resolve().parent.parent / "benchmarks" / "linking.py")
bench = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bench)


def _record(name: str, scores: list[tuple[str, float]]) -> R.Record:
    text = "Gout and sauerkraut\n\nThe study found less gout."
    citations = []
    if scores:
        candidates = [R.PaperCandidate(pmid=pmid, score=score) for pmid, score in scores]
        status = "resolved" if scores[0][1] - (scores[1][1] if len(scores) > 1 else 0) > 0.3 else "ambiguous"
        citations.append(R.Citation(id="cit-0", start=21, end=30, text="The study", kind="prose",
                                    resolved=R.Resolution(status=status, score=scores[0][1], candidates=candidates)))
    return R.Record(pipeline_version="t", model=R.ModelInfo(name="m", version="1"),
                    article=R.Article(id=name, source=name, sha256="0", encoding="utf-8", text=text, word_count=6),
                    citations=citations)


def test_failures_list_the_wrong_and_unanswered_stories_with_their_candidates():
    gold = {n: {"pmid": "1"} for n in ("right", "wrong", "tie", "none")}
    records = [_record("right", [("1", 0.9), ("2", 0.1)]), _record("wrong", [("2", 0.9), ("1", 0.1)]),
               _record("tie", [("1", 0.5), ("2", 0.49)]), _record("none", [])]
    lines = bench.failures(records, gold)
    assert not any("right" in line for line in lines)
    assert "WRONG wrong  gold 1  answered 2" in lines
    assert "NONE  tie  gold 1  answered None" in lines
    assert "    ambiguous  'The study': 1* 0.500, 2 0.490" in lines
    assert lines[lines.index("NONE  none  gold 1  answered None") + 1] == "    no citation found"
