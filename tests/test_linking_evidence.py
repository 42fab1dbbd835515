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
