"""What a record tells the matcher about the work a citation points to."""

from __future__ import annotations

from healthclaims.linking.evidence import citation_evidence
from healthclaims.records import models as R


def _record(text: str, spans: list[str], venue: str | None = None) -> R.Record:
    citations = []
    for k, span in enumerate(spans):
        start = text.index(span)
        citations.append(R.Citation(id=f"cit-{k}", start=start, end=start + len(span), text=span, kind="prose",
                                    venue=venue))
    return R.Record(pipeline_version="t", model=R.ModelInfo(name="m", version="1"),
                    article=R.Article(id="a", source="a", sha256="0", encoding="utf-8", text=text, word_count=1,
                                      title=text.split("\n")[0]),
                    citations=citations)


STORY = (
    "Blueberries sharpen memory\n\n"
    "Eating blueberries every morning sharpens the memory of pensioners. "
    "Volunteers aged over seventy remembered more words after twelve weeks. "
    "Dr Ann Blorp, who led the study, said it was cheap."
)


def test_a_one_study_story_lends_its_opening_words_to_the_lone_study():
    record = _record(STORY, ["the study"])
    words = citation_evidence(record, record.citations[0]).topic_words
    assert {"pension", "volunt"} <= {w[:8] for w in words}


def test_opening_words_stay_out_when_the_story_cites_several_studies():
    text = STORY + " A trial in the Zorbic Journal found that apples did not. A review in the Quill Journal agreed."
    record = _record(text, ["A trial in the Zorbic Journal", "A review in the Quill Journal"], venue="Zorbic Journal")
    words = citation_evidence(record, record.citations[1]).topic_words
    assert not {w for w in words if w.startswith("pension")}


def _with_leader(role: str, first_author: str | None = "Blorp") -> R.Record:
    record = _record(STORY, ["the study"])
    record.citations[0].first_author = first_author
    record.speakers = [R.Speaker(id="sp-0", name="Ann Blorp", role=role)]
    return record


def test_a_surname_only_first_author_takes_the_study_leaders_given_name():
    # "Study leader Dr Ann Blorp" gives the citation a first author "Blorp": with the given
    # name, a paper by another Blorp (initial K) no longer counts as hers.
    from healthclaims.linking.match import score_paper
    from healthclaims.linking.paper import Author, Paper

    record = _with_leader("study leader")
    ev = citation_evidence(record, record.citations[0])
    assert ev.first_author == "Ann Blorp"
    hers = Paper(source="t", pmid="1", title="Memory", authors=[Author("Blorp", "A")])
    other = Paper(source="t", pmid="2", title="Memory", authors=[Author("Blorp", "K")])
    fields = {p.pmid: {e.field: e.match for e in score_paper(ev, p, lambda s: 1.0).evidence} for p in (hers, other)}
    assert fields["1"]["first_author"] == "exact"
    assert fields["2"]["first_author"] == "mismatch"


def test_a_first_author_stays_as_written_when_no_author_speaker_shares_the_surname():
    record = _with_leader("study leader", first_author="Quimby")
    assert citation_evidence(record, record.citations[0]).first_author == "Quimby"


def test_a_speaker_who_carried_out_the_study_counts_as_its_author():
    for role in ("carried out the study", "lead scientist", "conducted the research"):
        ev = citation_evidence(_with_leader(role, None), _with_leader(role, None).citations[0])
        assert ev.named_authors == ["Ann Blorp"], role
        assert ev.other_people == []


def _with_speaker(affiliation: str, role: str | None = None) -> R.Record:
    record = _record(STORY.replace(", who led the study, said it", " said the study"), ["the study"])
    record.speakers = [R.Speaker(id="sp-0", name="Ann Blorp", role=role, affiliation=affiliation)]
    return record


def test_a_quoted_researchers_institution_is_evidence_for_a_storys_one_study():
    record = _with_speaker("University of Quarn")
    ev = citation_evidence(record, record.citations[0])
    assert ev.affiliations == ["University of Quarn"]
    assert ev.named_authors == [] and ev.other_people == ["Ann Blorp"]


def test_a_quoted_researchers_role_names_their_institution():
    # "Dr Blorp, director of the Clinical Trials Unit at the University of Quarn, said ...": no
    # author cue, but the role says where the research was done.
    record = _with_speaker(None, "director of the Clinical Trials Unit at the University of Quarn")
    assert citation_evidence(record, record.citations[0]).affiliations == ["University of Quarn"]


def test_a_charity_or_official_speakers_institution_is_not():
    for affiliation, role in (("Quarn Heart Foundation", None), ("Royal College of Quarn", None),
                              ("University of Quarn", "spokeswoman for the University of Quarn")):
        record = _with_speaker(affiliation, role)
        assert citation_evidence(record, record.citations[0]).affiliations == [], affiliation


def test_a_research_reports_institution_is_evidence_for_the_study():
    text = "Yoga eases back pain\n\nResearchers at Quarn University discovered that yoga eased back pain."
    record = _record(text, ["Researchers at Quarn University discovered"])
    assert citation_evidence(record, record.citations[0]).affiliations == ["Quarn University"]


def test_a_quoted_researcher_who_wrote_a_paper_outweighs_a_closer_title():
    # A one-study story quotes its researchers without calling them authors; a paper of theirs
    # on the story's subject beats another team's paper whose title shares one more word.
    from healthclaims.linking.match import decide, rank
    from healthclaims.linking.paper import Author, CitationEvidence, Paper
    from healthclaims.linking.text import terms

    ev = CitationEvidence("c", other_people=["Ann Blorp"], topic_words=terms("blueberries sharpen memory of pensioners"))
    hers = Paper(source="t", pmid="1", title="Blueberries and memory", authors=[Author("Blorp", "A")])
    theirs = Paper(source="t", pmid="2", title="Blueberries, memory and pensioners", authors=[Author("Quist", "K")])
    ranked = rank(ev, [theirs, hers], lambda s: 1.0)
    assert ranked[0].paper.pmid == "1"
    assert decide(ranked, threshold=0.0, margin=0.1) == "resolved"


def test_a_storys_lay_words_in_an_abstract_outweigh_a_title_sharing_common_ones():
    from healthclaims.linking.match import rank
    from healthclaims.linking.paper import CitationEvidence, Paper
    from healthclaims.linking.text import terms

    ev = CitationEvidence("c", topic_words=terms("coffee kills melanoma cells, a cancer drug"))
    technical = Paper(source="t", pmid="1", title="Trimethylxanthine analogues against cutaneous neoplasms",
                      abstract="The coffee compound killed melanoma cells; a cancer drug may follow.")
    general = Paper(source="t", pmid="2", title="Cancer drug prices survey", abstract="Prices of medicines rose.")
    assert rank(ev, [general, technical], lambda s: 1.0)[0].paper.pmid == "1"


TEAM_STORY = (
    "Sleepy gene found\n\n"
    "Some people need more sleep because they carry a gene variant, a study shows. "
    "Scientists at the University of Quilby and Zorbic Maximal University studied sleep in flies. "
    "The study was large, said Professor Kim Roe of Blimpton University, who was not involved."
)


def test_a_one_study_storys_team_institutions_in_its_lead_are_the_studys():
    record = _record(TEAM_STORY, ["a study shows"])
    affiliations = citation_evidence(record, record.citations[0]).affiliations
    assert "University of Quilby" in affiliations and "Zorbic Maximal University" in affiliations
    assert not any("Blimpton" in a for a in affiliations)  # a commenter's institution is not the team's


def test_team_institutions_are_the_ones_a_team_is_at_or_named_by():
    from healthclaims.linking.evidence import team_institutions

    assert team_institutions("A team from Quilby University decoded the signal.") == ["Quilby University"]
    assert team_institutions("Zorbic Institute researchers found it.") == ["Zorbic Institute"]
    assert team_institutions("Patients at Quilby Hospital were happy.") == []


def test_a_bad_research_team_word_is_a_load_error_naming_the_file(tmp_path, monkeypatch):
    import json

    import pytest
    from healthclaims.linking.config import load_config
    from healthclaims.resources import ResourceError, resource_path

    data = json.loads(resource_path("linking.json").read_text(encoding="utf-8"))
    data["research_team_words"] = ["research team"]
    (tmp_path / "linking.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("HEALTHCLAIMS_MODELS", str(tmp_path))
    load_config.cache_clear()
    try:
        with pytest.raises(ResourceError, match=r"(?s)linking\.json.*research_team_words"):
            load_config()
    finally:
        monkeypatch.delenv("HEALTHCLAIMS_MODELS")
        load_config.cache_clear()
