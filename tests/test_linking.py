"""Citation resolution: library readers, journal names, the matcher's decisions, the sample
article's citations against a test library, and the resolve / run --library commands."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from healthclaims.cli.main import cli
from healthclaims.linking.journals import same_journal
from healthclaims.linking.match import decide, rank
from healthclaims.linking.paper import Author, CitationEvidence, Paper
from healthclaims.linking.readers import LibraryError, read_library
from healthclaims.linking.resolve import Resolver
from healthclaims.linking.text import terms as terms_of
from healthclaims.records.models import Record

DATA = Path(__file__).resolve().parent / "data" / "linking"
ROOT = Path(__file__).resolve().parent.parent


# ----------------------------------------------------------------------------- readers


@pytest.mark.parametrize(("name", "count", "first_title", "problems"), [
    ("sample.bib", 5, "The effectiveness of massage therapy", []),
    ("broken.bib", 2, "Exercise and depression in adolescents", ["broken.bib (line 6)"]),
    ("small.ris", 2, "Exercise and depression in adolescents", []),
    ("small.nbib", 2, "Vitamin D supplements and fracture risk", []),
    ("small.csl.json", 1, "Walking and heart failure", ["small.csl.json (entry 2)", "small.csl.json (entry 3)"]),
    ("small.pubmed.xml", 1, "Oxygen screening in newborn infants", []),
])
def test_each_format_reads_its_papers_and_reports_bad_entries_by_position(name, count, first_title, problems):
    papers, skipped = read_library(DATA / name)
    assert len(papers) == count
    assert papers[0].title.startswith(first_title)
    assert [str(p).split(": ")[0].split("/")[-1] for p in skipped] == problems


def test_fields_come_through_normalised():
    [ris, _] = read_library(DATA / "small.ris")[0]
    assert ris.doi == "10.1000/jah.2015.1" and ris.year == 2015 and [a.family for a in ris.authors] == ["Smith", "Brown"]
    [medline, mouse] = read_library(DATA / "small.nbib")[0]
    assert medline.pmid == "11111111" and medline.journal_abbrev == "Bone Res" and medline.retracted
    assert "Randomized Controlled Trial" in medline.publication_types
    assert medline.authors[0].affiliation.startswith("Department of Medicine")
    assert mouse.corrected and not mouse.retracted and "Mice" in mouse.mesh
    [csl] = read_library(DATA / "small.csl.json")[0]
    assert csl.doi == "10.1000/ehj.5" and csl.year == 2018 and csl.mesh == ["Heart Failure", "Walking"]
    [xml] = read_library(DATA / "small.pubmed.xml")[0]
    assert xml.mesh == ["Humans", "*Oximetry"] and xml.corrected and xml.doi == "10.1000/lancet.1"


def test_unreadable_library_is_an_error_naming_the_file(tmp_path):
    bad = tmp_path / "lib.json"
    bad.write_text("[{", encoding="utf-8")
    with pytest.raises(LibraryError, match="lib.json: not valid CSL-JSON"):
        read_library(bad)
    odd = tmp_path / "lib.txt"
    odd.write_text("hello", encoding="utf-8")
    with pytest.raises(LibraryError, match="unknown library format"):
        read_library(odd)


def test_unknown_pubmed_dtd_is_read_without_the_network(tmp_path):
    text = (DATA / "small.pubmed.xml").read_text(encoding="utf-8").replace("pubmed_250101", "pubmed_990101")
    path = tmp_path / "new.xml"
    path.write_text(text, encoding="utf-8")
    assert [p.pmid for p in read_library(path)[0]] == ["44444444"]


# ----------------------------------------------------------------------------- journals


@pytest.mark.parametrize(("venue", "abbrev", "same"), [
    ("International Journal of General Medicine", "Int J Gen Med", True),
    ("The BMJ", "BMJ", True),
    ("Plos Pathogens", "Plos Pathog", True),
    ("European Heart Journal", "Eur Heart J", True),
    ("the journal Nature", "Nature", True),
    ("The Lancet medical journal", "Lancet", True),
    ("The Lancet", "Lancet Oncol", False),
    ("Nature", "Nat Med", False),
    ("Proceedings of the National Academy of Sciences", "Proc Natl Acad Sci", True),
    ("Archives of Sexual Behaviour", "Arch Sex Behav", True),
    ("Annals of Medicine", "Ann Intern Med", False),
    ("Journal of Clinical Oncology", "J Clin Endocrinol", False),
    # record sources also give a journal's initials or one word of its title as its short name
    ("the Journal of Renal Bone Studies", "Jrbs", True),
    ("Proceedings of the National Academy of Sciences", "Pnas", True),
    ("Quantum Sleep Genetics", "Genetics", True),
    ("Nature", "Genetics", False),
    # a one-word short name that is a journal of its own is that journal, not a cut title
    ("Cell Quantum Sleep", "Cell", False),
    ("the journal Cell", "Cell", True),
    ("Journal of Renal Bone Studies", "Jrs", False),
])
def test_journal_full_names_meet_their_medline_abbreviations(venue, abbrev, same):
    assert same_journal(venue, None, abbrev) is same


def test_no_journal_on_the_paper_is_no_evidence():
    assert same_journal("The BMJ", None, None) is None


# ----------------------------------------------------------------------------- matching


def _paper(pmid, title, family, year=None, journal=None, **kw):
    return Paper(source="t", pmid=pmid, title=title, authors=[Author(family, "J")], year=year, journal_abbrev=journal, **kw)


def test_two_papers_by_the_same_first_author_and_year_stay_ambiguous():
    ev = CitationEvidence("cit-1", first_author="Smith", et_al=True, year=2015)
    papers = [_paper("1", "Exercise and mood in adolescents", "Smith", 2015),
              _paper("2", "Diet and sleep in older adults", "Smith", 2015)]
    ranked = rank(ev, papers, lambda s: 1.0)
    assert decide(ranked) == "ambiguous"
    assert {s.paper.pmid for s in ranked[:2]} == {"1", "2"}


def test_topic_words_break_the_tie_between_them():
    from healthclaims.linking.text import terms

    ev = CitationEvidence("cit-1", first_author="Smith", year=2015, topic_words=terms("exercise improves mood in adolescents"))
    papers = [_paper("1", "Exercise and mood in adolescents", "Smith", 2015),
              _paper("2", "Diet and sleep in older adults", "Smith", 2015)]
    ranked = rank(ev, papers, lambda s: 1.0)
    assert decide(ranked) == "resolved" and ranked[0].paper.pmid == "1"


def test_an_identifier_decides_and_a_year_mismatch_counts_against():
    ev = CitationEvidence("cit-1", doi="10.1/x", year=2001)
    ranked = rank(ev, [_paper("1", "A", "X", 2001, doi="10.1/x"), _paper("2", "B", "Y", 2001)], lambda s: 1.0)
    assert decide(ranked) == "resolved" and ranked[0].paper.pmid == "1"
    assert {e.field: e.match for e in ranked[0].evidence}["doi"] == "exact"
    wrong_year = rank(CitationEvidence("c", first_author="X", year=2001), [_paper("1", "A", "X", 2010)], lambda s: 1.0)[0]
    assert {e.field: e.match for e in wrong_year.evidence}["year"] == "mismatch"
    assert wrong_year.score < rank(CitationEvidence("c", first_author="X"), [_paper("1", "A", "X", 2010)], lambda s: 1.0)[0].score


def test_a_named_study_author_with_an_affiliation_counts():
    ev = CitationEvidence("cit-1", named_authors=["Jane Doe"], affiliations=["University of Example"])
    paper = Paper(source="t", pmid="1", title="T", authors=[Author("Roe", "A"), Author("Doe", "Jane", "University of Example, UK")])
    fields = {e.field: e for e in rank(ev, [paper], lambda s: 1.0)[0].evidence}
    assert fields["author"].match == "exact" and fields["author"].weight > 2.0  # last author: senior
    assert fields["affiliation"].article_value == "University of Example"
    other = Paper(source="t", pmid="2", title="T", authors=[Author("Doe", "Kevin")])  # another initial
    assert {e.field: e.match for e in rank(ev, [other], lambda s: 1.0)[0].evidence}["author"] == "mismatch"


def test_a_person_known_by_a_middle_name_is_the_papers_author():
    # "Dr Ann Blorp said" in the story; the paper lists her as "Blorp, K Ann".
    ev = CitationEvidence("cit-1", other_people=["Ann Blorp"])
    fields = lambda given: {e.field for e in rank(ev, [Paper(source="t", pmid="1", title="T", authors=[
        Author("Roe", "A"), Author("Blorp", given)])], lambda s: 1.0)[0].evidence}
    assert "person" in fields("K Ann") and "person" in fields("Ann K")
    assert "person" not in fields("K A") and "person" not in fields("K Beth")  # an initial alone, or another name


def test_a_family_name_with_particles_is_found_by_its_last_word():
    # The story's "Dr Anka van der Molen"; one library writes the family "van der Molen", another
    # "Molen" with the particles in the given name.
    ev = CitationEvidence("cit-1", first_author="Molen", named_authors=["Anka van der Molen"])
    for family, given in (("van der Molen", "Anka"), ("Molen", "Anka van der")):
        paper = Paper(source="t", pmid="1", title="T", authors=[Author(family, given), Author("Roe", "K")])
        fields = {e.field: e.match for e in rank(ev, [paper], lambda s: 1.0)[0].evidence}
        assert fields["first_author"] == "exact" and "mismatch" not in fields.values()


def test_a_paper_without_the_study_author_the_story_names_has_evidence_against_it():
    # "Dr Ann Blorp, who led the study": a candidate by another team is most likely not her paper.
    ev = CitationEvidence("cit-1", named_authors=["Ann Blorp"], topic_words=terms_of("gout in pensioners"))
    hers = Paper(source="t", pmid="1", title="Gout in pensioners", authors=[Author("Roe", "K"), Author("Blorp", "Ann")])
    other = Paper(source="t", pmid="2", title="Gout in pensioners", authors=[Author("Roe", "K"), Author("Quill", "B")])
    scored = {s.paper.pmid: s for s in rank(ev, [hers, other], lambda s: 1.0)}
    assert [e.match for e in scored["2"].evidence if e.field == "author"] == ["mismatch"]
    assert scored["2"].score < rank(CitationEvidence("c", topic_words=ev.topic_words), [other], lambda s: 1.0)[0].score
    assert "mismatch" not in {e.match for e in scored["1"].evidence}
    # a first author already counted against the paper is not counted twice
    first = CitationEvidence("cit-1", first_author="Ann Blorp", named_authors=["Ann Blorp"])
    assert [e.field for e in rank(first, [other], lambda s: 1.0)[0].evidence if e.match == "mismatch"] == ["first_author"]


# ----------------------------------------------------------------------------- the sample article


@pytest.fixture(scope="module")
def sample_record(nlp) -> Record:
    from healthclaims.batch.runner import extract_one
    from healthclaims.io.textio import read_article

    article = read_article(ROOT / "corpus" / "massage-chronic-back-pain.txt")
    return extract_one(article, "massage-chronic-back-pain", nlp=nlp)


def test_the_sample_articles_citations_resolve_with_their_evidence(sample_record, tmp_path):
    record = sample_record.model_copy(deep=True)
    counts = Resolver([DATA / "sample.bib"], cache_dir=tmp_path).resolve([record])
    assert (counts.resolved, counts.ambiguous, counts.unresolved) == (2, 0, 0)
    kumar, cherkin = (c.resolved for c in record.citations)
    assert kumar.title.startswith("The effectiveness of massage therapy") and kumar.doi == "10.2147/ijgm.s50243"
    assert kumar.source == str(DATA / "sample.bib") and kumar.authors[0] == "Kumar S"
    matched = {e.field: (e.match, e.paper_value) for e in kumar.evidence}
    assert matched["first_author"] == ("exact", "Kumar")
    assert matched["year"] == ("exact", "2013")
    assert matched["venue"][0] == "exact"
    assert matched["study_type"][0] == "exact"
    assert 2 <= len(kumar.candidates) <= 3 and kumar.candidates[0].score == kumar.score > kumar.candidates[1].score + 0.12
    assert cherkin.title.startswith("A randomized trial comparing acupuncture")
    assert {e.field: e.match for e in cherkin.evidence}["first_author"] == "exact"
    assert record.summary.claims_with_resolved_evidence == 3
    assert record.summary.claims_uncited == len(record.claims) - 3
    assert record.linking.libraries == [str(DATA / "sample.bib")]


def test_resolve_reports_the_cpu_time_of_its_steps(sample_record, tmp_path):
    resolver = Resolver([DATA / "sample.bib"], cache_dir=tmp_path)
    started = time.process_time()
    counts = resolver.resolve([sample_record.model_copy(deep=True)])
    spent = time.process_time() - started
    steps = (counts.search_cpu, counts.score_cpu, counts.checks_cpu)
    assert all(step > 0 for step in steps)
    assert sum(steps) <= spent


def test_without_a_matching_paper_citations_stay_unresolved(sample_record, tmp_path):
    record = sample_record.model_copy(deep=True)
    Resolver([DATA / "small.ris"], cache_dir=tmp_path).resolve([record])
    assert [c.resolved.status for c in record.citations] == ["unresolved", "unresolved"]
    assert record.summary.claims_with_unresolved_citation == 3 and record.summary.claims_with_resolved_evidence == 0


# ----------------------------------------------------------------------------- commands


def _outdir(tmp_path, sample_record) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    (out / "massage-chronic-back-pain.json").write_text(sample_record.model_dump_json(indent=2), encoding="utf-8")
    (out / "records.jsonl").write_text(sample_record.model_dump_json() + "\n", encoding="utf-8")
    return out


def test_resolve_rewrites_records_then_skips_them_until_the_library_changes(sample_record, tmp_path):
    out = _outdir(tmp_path, sample_record)
    lib = tmp_path / "lib.bib"
    shutil.copy(DATA / "sample.bib", lib)
    args = ["resolve", str(out), "--library", str(lib), "--cache", str(tmp_path / "cache")]
    first = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert "citations 2: resolved 2  ambiguous 0  unresolved 0  source errors 0" in first.output
    record = json.loads((out / "massage-chronic-back-pain.json").read_text(encoding="utf-8"))
    assert record["citations"][0]["resolved"]["status"] == "resolved"
    assert json.loads((out / "records.jsonl").read_text(encoding="utf-8"))["citations"][0]["resolved"]["status"] == "resolved"
    again = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert "1 unchanged and skipped" in again.output
    lib.write_text(lib.read_text(encoding="utf-8").replace("Kumar, Saravana", "Kumaran, Saravana"), encoding="utf-8")
    changed = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert "0 unchanged" in changed.output


def test_resolve_reports_bad_library_entries_and_needs_a_source(sample_record, tmp_path):
    out = _outdir(tmp_path, sample_record)
    result = CliRunner().invoke(cli, ["resolve", str(out), "--library", str(DATA / "broken.bib"), "--cache", str(tmp_path)])
    assert result.exit_code == 0 and "broken.bib (line 6)" in result.output
    nothing = CliRunner().invoke(cli, ["resolve", str(out)])
    assert nothing.exit_code == 2 and "--library" in nothing.output
    unknown = CliRunner().invoke(cli, ["resolve", str(out), "--online", "scholar"])
    assert unknown.exit_code == 2 and "pubmed, crossref" in unknown.output


def test_resolve_offline_refuses_the_network_while_it_runs(sample_record, tmp_path, monkeypatch):
    import socket

    from healthclaims.linking import folder

    seen = []
    real = folder.resolve_folder

    def spy(*args, **kwargs):
        try:
            socket.getaddrinfo("example.org", 443)
        except OSError as exc:  # OfflineError is a SourceError, not an OSError: record what happened
            seen.append(type(exc).__name__)
        except Exception as exc:  # noqa: BLE001
            seen.append(type(exc).__name__)
        return real(*args, **kwargs)

    monkeypatch.setattr(folder, "resolve_folder", spy)
    out = _outdir(tmp_path, sample_record)
    result = CliRunner().invoke(cli, ["resolve", str(out), "--library", str(DATA / "sample.bib"), "--cache", str(tmp_path),
                                      "--offline"], catch_exceptions=False)
    assert result.exit_code == 0 and seen == ["OfflineError"]


def test_run_with_a_library_resolves_and_a_changed_library_redoes_the_record(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lib = tmp_path / "lib.bib"
    shutil.copy(DATA / "sample.bib", lib)
    out = tmp_path / "out"
    args = ["run", str(ROOT / "corpus"), "-o", str(out), "--library", str(lib), "-q"]
    assert CliRunner().invoke(cli, args, catch_exceptions=False).exit_code == 0
    record = json.loads((out / "massage-chronic-back-pain.json").read_text(encoding="utf-8"))
    assert [c["resolved"]["status"] for c in record["citations"]] == ["resolved", "resolved"]
    fingerprint = record["fingerprint"]
    CliRunner().invoke(cli, args, catch_exceptions=False)
    assert json.loads((out / "manifest.json").read_text())["counts"]["unchanged"] == 1
    lib.write_text(lib.read_text(encoding="utf-8") + "\n@article{x, title={Extra}, author={A, B}, year={2020}}\n")
    CliRunner().invoke(cli, args, catch_exceptions=False)
    assert json.loads((out / "manifest.json").read_text())["counts"]["unchanged"] == 0
    assert json.loads((out / "massage-chronic-back-pain.json").read_text())["fingerprint"] != fingerprint


# ----------------------------------------------------------------------------- index search


def _library_file(tmp_path: Path, items: list[dict]) -> Path:
    """A CSL-JSON library file of ``items``."""
    library = tmp_path / "lib.json"
    library.write_text(json.dumps(items), encoding="utf-8")
    return library


def _indexed(tmp_path: Path, items: list[dict]) -> Path:
    """The library index built from a CSL-JSON file of ``items``."""
    from healthclaims.linking.index import build_index

    target = tmp_path / "lib.sqlite"
    build_index([_library_file(tmp_path, items)], target)
    return target


def test_topic_search_finds_the_paper_by_its_rare_words_within_the_postings_budget(tmp_path, monkeypatch):
    from healthclaims.linking import index as index_module
    from healthclaims.linking.index import LibraryIndex
    from healthclaims.linking.text import terms

    items = [{"id": f"p{i}", "type": "article-journal", "PMID": str(1000 + i),
              "title": f"Obesity and diet in adults, cohort {i}", "author": [{"family": f"Author{i}", "given": "A"}]}
             for i in range(60)]
    items.append({"id": "rare", "type": "article-journal", "PMID": "999",
                  "title": "Obesity and sauerkraut fermentation in adults", "author": [{"family": "Other", "given": "B"}]})
    target = _indexed(tmp_path, items)
    index = LibraryIndex(target)
    ev = CitationEvidence("c1", topic_words=terms("obesity diet adults sauerkraut fermentation"))
    assert index.search(ev)[0].pmid == "999"
    # With a budget that the common words would exceed, only the rare ones are read, and they suffice.
    monkeypatch.setattr(index_module, "_POSTINGS_BUDGET", 10)
    fresh = LibraryIndex(target)
    assert [p.pmid for p in fresh.search(ev)] == ["999"]


def test_a_named_journal_brings_its_paper_in_among_more_topical_ones(tmp_path):
    from healthclaims.linking.index import LibraryIndex
    from healthclaims.linking.text import terms

    # Sixty papers share every topic word; the story's paper shares fewer but is in the named journal.
    items = [{"id": f"p{i}", "type": "article-journal", "PMID": str(1000 + i), "container-title-short": "Other J",
              "title": f"Obesity, diet and sauerkraut in adults, cohort {i}", "author": [{"family": f"Au{i}", "given": "A"}]}
             for i in range(60)]
    items.append({"id": "gold", "type": "article-journal", "PMID": "999", "container-title-short": "Quill J Diet",
                  "title": "Obesity in adults", "author": [{"family": "Other", "given": "B"}]})
    target = _indexed(tmp_path, items)
    index = LibraryIndex(target)
    words = terms("obesity diet adults sauerkraut")
    assert "999" not in [p.pmid for p in index.search(CitationEvidence("c1", topic_words=words))]
    found = [p.pmid for p in index.search(CitationEvidence("c1", topic_words=words, venue="the Quill Journal of Diet"))]
    assert "999" in found


def test_a_stem_too_common_to_read_everywhere_is_still_read_in_titles(tmp_path, monkeypatch):
    from healthclaims.linking import index as index_module
    from healthclaims.linking.index import LibraryIndex
    from healthclaims.linking.text import terms

    # Every paper's abstract speaks of asthma; only the story's paper has it in its title.
    items = [{"id": f"p{i}", "type": "article-journal", "PMID": str(1000 + i), "title": f"Cohort {i} of adults",
              "abstract": "Adults with asthma were followed" + ("; the kettle boiled quietly." if i == 0 else "."),
              "author": [{"family": f"Au{i}", "given": "A"}]} for i in range(100)]
    items.append({"id": "gold", "type": "article-journal", "PMID": "999", "title": "Asthma in schoolchildren",
                  "abstract": "Pupils with asthma.", "author": [{"family": "Other", "given": "B"}]})
    target = _indexed(tmp_path, items)
    monkeypatch.setattr(index_module, "_POSTINGS_BUDGET", 20)
    ev = CitationEvidence("c1", topic_words=terms("asthma asthma asthma, a kettle boiled quietly"))
    assert "999" in [p.pmid for p in LibraryIndex(target).search(ev)]


def _quill_story(venue_phrase: str) -> Record:
    from healthclaims.records import models as R

    text = f"Sauerkraut calms gout\n\nSauerkraut eaten daily calmed gout flares in pensioners, figures {venue_phrase} show."
    span = "figures"
    start = text.index(span)
    citation = R.Citation(id="cit-0", start=start, end=start + len(span), text=span, kind="prose",
                          venue=venue_phrase.split(" ", 1)[1])
    return R.Record(pipeline_version="t", model=R.ModelInfo(name="m", version="1"),
                    article=R.Article(id="a", source="a", sha256="0", encoding="utf-8", text=text, word_count=1,
                                      title="Sauerkraut calms gout"), citations=[citation])


@pytest.mark.parametrize("venue_phrase", ["from Goutwatch", "from Quill Press"])
def test_a_venue_that_names_no_known_journal_does_not_count_against_the_paper(tmp_path, venue_phrase):
    # "figures from Goutwatch" (a charity) or "Quill Press" (a publisher) is no journal the
    # library holds: taken as the venue it would count against the right paper too.
    items = [{"id": "gold", "type": "article-journal", "PMID": "999", "container-title-short": "Zorbic Rheumatol",
              "title": "Daily sauerkraut and gout flares in pensioners", "author": [{"family": "Blorp", "given": "A"}]},
             {"id": "other", "type": "article-journal", "PMID": "998", "container-title-short": "Quill",
              "title": "Kidney stones in adults", "author": [{"family": "Other", "given": "B"}]}]
    library = _library_file(tmp_path, items)
    record = _quill_story(venue_phrase)
    Resolver([library], cache_dir=tmp_path).resolve([record])
    resolved = record.citations[0].resolved
    assert resolved.status == "resolved" and resolved.pmid == "999"
    assert "venue" not in {e.field for e in resolved.evidence}


def test_a_venue_the_library_holds_still_counts_against_other_journals(tmp_path):
    items = [{"id": "gold", "type": "article-journal", "PMID": "999", "container-title-short": "Zorbic Rheumatol",
              "title": "Daily sauerkraut and gout flares in pensioners", "author": [{"family": "Blorp", "given": "A"}]},
             {"id": "other", "type": "article-journal", "PMID": "998", "container-title-short": "Goutwatch",
              "title": "Kidney stones in adults", "author": [{"family": "Other", "given": "B"}]}]
    library = _library_file(tmp_path, items)
    record = _quill_story("from Goutwatch")
    Resolver([library], cache_dir=tmp_path).resolve([record])
    fields = {e.field: e.match for e in record.citations[0].resolved.evidence}
    assert fields.get("venue") == "mismatch"


_SHARED_TITLE = "Fermented cabbage lowers uric acid and gout flares: a randomised trial of daily servings over twelve weeks in"
_TEAM = [Author("Blorp", "A"), Author("Quill", "B"), Author("Zorb", "C")]


def _two_papers(second_authors):
    return [Paper(source="t", pmid="1", title=_SHARED_TITLE + " pensioners", authors=_TEAM),
            Paper(source="t", pmid="2", title=_SHARED_TITLE + " footballers", authors=second_authors)]


def test_a_teams_two_papers_are_told_apart_by_the_words_only_one_has():
    # The shared words tie the scores; the story's "pensioners" is the one word that differs.
    ev = CitationEvidence("c1", topic_words=terms_of("Fermented cabbage lowers uric acid and cuts gout flares in pensioners"))
    ranked = rank(ev, _two_papers(list(reversed(_TEAM))), lambda s: 1.0)
    assert [s.paper.pmid for s in ranked] == ["1", "2"]
    assert decide(ranked) == "resolved"
    assert "topic (vs same team's paper)" in {e.field for e in ranked[0].evidence}


def test_close_papers_of_different_teams_are_not_pulled_apart():
    ev = CitationEvidence("c1", topic_words=terms_of("Fermented cabbage lowers uric acid and cuts gout flares in pensioners"))
    ranked = rank(ev, _two_papers([Author("Other", "D"), Author("Else", "E")]), lambda s: 1.0)
    assert not any(e.field.startswith("topic (vs") for s in ranked for e in s.evidence)


def _scored(*scores):
    from healthclaims.linking.match import Scored

    return [Scored(Paper(source="t", pmid=str(k), title="T"), s, 0.0) for k, s in enumerate(scores)]


def test_a_weak_best_score_decides_when_no_other_paper_comes_close():
    # 0.30 is under the threshold, but the runner-up has not even half of it.
    assert decide(_scored(0.30, 0.12)) == "resolved"
    assert decide(_scored(0.30, 0.25)) == "ambiguous"
    assert decide(_scored(0.15, 0.0)) == "unresolved"


def test_a_strong_best_score_still_needs_its_margin():
    assert decide(_scored(0.62, 0.58)) == "ambiguous"
    assert decide(_scored(0.62, 0.50)) == "resolved"


def test_a_story_using_an_abstracts_own_specific_words_points_to_that_paper():
    # Both abstracts hold every word of the story and the titles are the same; only one
    # abstract is mostly about what the story tells (its exposure, its measure), the other
    # about other things (hip fractures, falls, osteoporosis in the elderly).
    ev = CitationEvidence("c1", topic_words=terms_of("Vitamin D tablets taken by pregnant mothers and bone density"))
    title = "Vitamin D and bone"
    reported = Paper(source="t", pmid="1", title=title,
                     abstract="Pregnant mothers took vitamin D tablets; we measured bone density.")
    other = Paper(source="t", pmid="2", title=title,
                  abstract="Vitamin D tablets, pregnant mothers, bone density; hip fractures, falls, "
                           "osteoporosis, fragility, dementia and frailty in elderly nursing-home residents.")
    ranked = rank(ev, [other, reported], lambda s: 1.0)
    assert [s.paper.pmid for s in ranked] == ["1", "2"]
    assert ranked[0].score > ranked[1].score


def test_a_paper_sharing_none_of_the_storys_words_loses_to_its_authors_paper_on_the_subject():
    # The study leader is first author of another paper (on something else) and a middle
    # author of the one reported: the story's subject words, few as they are, decide.
    ev = CitationEvidence("c1", first_author="Ann Blorp", named_authors=["Ann Blorp"],
                          topic_words=terms_of("A scan finds the gland tumour that raises blood pressure"))
    other = Paper(source="t", pmid="1", title="Dietary fibre and colonic transit in runners",
                  authors=[Author("Blorp", "A"), Author("Quist", "K")])
    reported = Paper(source="t", pmid="2",
                     title="Positron emission imaging with a labelled enzyme inhibitor localises adrenal tumour",
                     authors=[Author("Zorb", "C"), Author("Blorp", "A"), Author("Quill", "B")])
    ranked = rank(ev, [other, reported], lambda s: 1.0)
    assert [s.paper.pmid for s in ranked] == ["2", "1"]
    assert ("topic", "mismatch") in {(e.field, e.match) for e in ranked[1].evidence}


def test_a_teams_paper_without_an_abstract_is_not_out_worded_by_the_others_abstract():
    # Two records of one team with the same title: the story's words in one's abstract tell
    # them apart only when the other record has an abstract too (a record without one says
    # nothing about the words its paper holds).
    ev = CitationEvidence("c1", topic_words=terms_of("Fermented cabbage lowers uric acid in pensioners with kidney stones"))

    def papers(other_abstract):
        return [Paper(source="t", pmid="1", title=_SHARED_TITLE + " pensioners", authors=_TEAM,
                      abstract="Pensioners with kidney stones ate cabbage."),
                Paper(source="t", pmid="2", title=_SHARED_TITLE + " pensioners", authors=_TEAM, abstract=other_abstract)]

    def sibling_points(ranked):
        return {s.paper.pmid for s in ranked for e in s.evidence if e.field == "topic (vs same team's paper)"}

    assert sibling_points(rank(ev, papers(None), lambda s: 1.0)) == set()
    assert sibling_points(rank(ev, papers("Pensioners ate cabbage daily."), lambda s: 1.0)) == {"1"}


def test_an_article_review_fits_a_paper_that_is_a_systematic_review():
    # "the review" in the story; the paper's title says "a systematic review": no disagreement.
    ev = CitationEvidence("c1", study_type="review")
    paper = Paper(source="t", pmid="1", title="Sauerkraut and gout: a systematic review of 40 cohorts", authors=[Author("Roe", "K")])
    fields = {e.field: e.match for e in rank(ev, [paper], lambda s: 1.0)[0].evidence}
    assert fields["study_type"] == "exact"
    primary = Paper(source="t", pmid="2", title="Sauerkraut and gout: a randomised trial", authors=[Author("Roe", "K")])
    assert {e.field: e.match for e in rank(ev, [primary], lambda s: 1.0)[0].evidence}["study_type"] == "mismatch"


def test_a_design_including_an_unknown_family_is_a_load_error():
    from healthclaims.linking.config import LinkingConfig
    from healthclaims.resources import resource_path

    data = json.loads(resource_path("linking.json").read_text(encoding="utf-8"))
    data["designs"]["review"]["includes"] = ["umbrella study"]
    with pytest.raises(ValueError, match="designs.review.includes: no design family umbrella study"):
        LinkingConfig.model_validate(data)
