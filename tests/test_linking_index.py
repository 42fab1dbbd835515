"""The library index: its topic search ranks papers as a full scan of the library would, a
common surname's papers are found among the topical ones, and what scoring keeps on a paper
(its design, its most specific abstract words) is worked out again when the library or the
configuration changes."""

from __future__ import annotations

import json
import random
from pathlib import Path

from healthclaims.linking import index as index_module
from healthclaims.linking.designs import paper_design
from healthclaims.linking.index import LibraryIndex, build_index
from healthclaims.linking.match import TopicQuery, topic_similarity
from healthclaims.linking.paper import CitationEvidence, Paper
from healthclaims.linking.readers import read_library
from healthclaims.linking.text import paper_stems, terms

DATA = Path(__file__).resolve().parent / "data" / "linking"

#: made-up words: no real paper, person or journal
_WORDS = ["zorb", "quill", "frump", "blix", "mantor", "grevel", "tosk", "wimble", "crandle", "pleth",
          "vorn", "sprock", "dulmer", "kestle", "yarrow", "bimble", "fenwick", "glorp", "hathen", "jiggle"]


def _made_up_library(tmp_path: Path, n: int = 120, seed: int = 3) -> Path:
    rng = random.Random(seed)
    items = [{"id": f"p{i}", "type": "article-journal", "PMID": str(5000 + i),
              "title": " ".join(rng.sample(_WORDS, rng.randint(1, 4))),
              "abstract": " ".join(rng.sample(_WORDS, rng.randint(0, 8))),
              "author": [{"family": f"Au{i}", "given": "A"}]} for i in range(n)]
    library = tmp_path / "made-up.json"
    library.write_text(json.dumps(items), encoding="utf-8")
    return library


def _full_scan(library: Path, index: LibraryIndex, stems: list[str], k: int) -> list[str]:
    """The PMIDs of the best ``k`` papers by reading every paper: each query stem the paper
    holds adds its idf, once more when in the title; ties go to the paper listed first."""
    papers, _ = read_library(library)
    scored = []
    for position, paper in enumerate(papers):
        fields = paper_stems(paper)
        held = set().union(*fields.values())
        score = sum(index.idf(s) * ((s in held) + index_module._TITLE_BONUS * (s in fields["title"]))
                    for s in set(stems))
        if score > 0:
            scored.append((-round(score, 9), position, paper.pmid))
    return [pmid for _, _, pmid in sorted(scored)[:k]]


def test_topic_search_ranks_papers_as_a_full_scan_of_the_library_would(tmp_path, monkeypatch):
    library = _made_up_library(tmp_path)
    target = tmp_path / "made-up.sqlite"
    build_index([library], target)
    # A short pool, so that the cut falls among papers with equal scores.
    monkeypatch.setattr(index_module, "_WIDE_LIMIT", 7)
    rng = random.Random(11)
    for _ in range(25):
        index = LibraryIndex(target)
        stems = terms(" ".join(rng.sample(_WORDS, rng.randint(1, 6))))
        found = [index._papers([i])[0].pmid for i in index._topic_ids(stems, 7)]
        assert found == _full_scan(library, index, stems, 7)


def test_a_common_surnames_papers_are_looked_for_among_the_topical_ones(tmp_path):
    # More papers by the surname than a name look-up keeps: only the one on the story's topic counts.
    items = [{"id": f"p{i}", "type": "article-journal", "PMID": str(1000 + i), "title": f"{_WORDS[i % 10]} cohort",
              "author": [{"family": "Zorblatt", "given": "A"}]} for i in range(index_module._NAME_LIMIT + 10)]
    items.append({"id": "gold", "type": "article-journal", "PMID": "999", "title": "Frumptious glorp in hathens",
                  "author": [{"family": "Other", "given": "B"}, {"family": "Zorblatt", "given": "C"}]})
    items += [{"id": f"q{i}", "type": "article-journal", "PMID": str(2000 + i), "title": f"Glorp in wimbles {i}",
               "author": [{"family": f"Au{i}", "given": "D"}]} for i in range(5)]
    library = tmp_path / "lib.json"
    library.write_text(json.dumps(items), encoding="utf-8")
    target = tmp_path / "lib.sqlite"
    build_index([library], target)
    ev = CitationEvidence("c1", first_author="Zorblatt", topic_words=terms("frumptious glorp hathens"))
    found = [p.pmid for p in LibraryIndex(target).search(ev)]
    assert found[0] == "999"
    assert not {str(1000 + i) for i in range(index_module._NAME_LIMIT + 10)} & set(found)


def test_a_new_index_version_names_a_new_index_file(tmp_path, monkeypatch):
    # A cached index of another format is never opened: the version is part of the file's name.
    before = index_module.library_digest([DATA / "sample.bib"])
    monkeypatch.setattr(index_module, "INDEX_VERSION", index_module.INDEX_VERSION + "-next")
    assert index_module.library_digest([DATA / "sample.bib"]) != before


#: more made-up words than the matcher's count of a paper's specific abstract words
_ABSTRACT_WORDS = _WORDS + ["narwick", "ploddle", "quorbin", "rastle", "snibbet", "trundock", "umbrix", "vextle",
                            "wazzock", "yimble", "zendle", "brackle"]


def _paper() -> Paper:
    return Paper(source="t", title="Glorp in hathens", abstract=" ".join(_ABSTRACT_WORDS))


def test_a_paper_scored_with_two_libraries_weights_gets_each_ones_specific_words():
    # The paper's most specific abstract words depend on the library's idf: a paper scored
    # against one library and then another must not keep the first library's choice.
    stems = terms(" ".join(_ABSTRACT_WORDS))
    assert len(stems) > 20 + 2
    first = {s: 1.0 + i for i, s in enumerate(stems)}
    second = {s: 100.0 - i for i, s in enumerate(stems)}
    query_words = terms("narwick ploddle quorbin zorb quill glorp")
    paper = _paper()
    for weights in (first, second, first):
        idf = weights.__getitem__
        query = TopicQuery.of(query_words, idf)
        assert topic_similarity(query, paper, idf) == topic_similarity(query, _paper(), idf)


def test_a_papers_design_is_worked_out_again_for_a_new_configuration(monkeypatch):
    from healthclaims.linking import designs

    paper = Paper(source="t", title="A randomised controlled trial of glorp")
    calls = []
    real = designs._paper_design
    monkeypatch.setattr(designs, "_paper_design", lambda p, d: calls.append(p) or real(p, d))
    assert paper_design(paper).families == paper_design(paper).families == {"randomized trial"}
    assert len(calls) == 1
    designs.load_config.cache_clear()  # a reloaded configuration is another object
    try:
        paper_design(paper)
    finally:
        designs.load_config.cache_clear()
    assert len(calls) == 2
