"""Tests for the evaluation scorer: matching rules, borderline claims, name matching, floors, gold folders."""

from __future__ import annotations

import json

import pytest
from healthclaims.evaluate.fields import names_match, venues_match
from healthclaims.evaluate.report import check_floors, format_errors, format_table, load_gold_dir
from healthclaims.evaluate.scorer import score_article, score_corpus

TEXT = (
    "Yoga eases knee pain, a trial finds.\n\n"
    "Daily yoga reduced knee pain by a third in older adults (Okafor et al., 2021). "
    "\u201cWe were surprised by how quickly patients improved,\u201d said Dr. Amara Okafor, who led the trial. "
    "Okafor said tai chi may work in a similar way. "
    "Yoga costs less than a gym membership. "
    "Stretching programmes and tai chi were offered to the control group."
)


def span(text: str, piece: str, nth: int = 0) -> dict:
    """A gold-style span of the ``nth`` occurrence of ``piece`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return {"start": start, "end": start + len(piece), "text": piece}


def make_gold() -> dict:
    return {
        "id": "yoga-knee",
        "quotes": [
            {
                **span(TEXT, "We were surprised by how quickly patients improved,"),
                "kind": "direct",
                "speaker": "Amara Okafor",
            },
            {
                **span(TEXT, "Okafor said tai chi may work in a similar way."),
                "kind": "indirect",
                "speaker": "Amara Okafor",
            },
        ],
        "citations": [
            {
                **span(TEXT, "Okafor et al., 2021"),
                "kind": "author_year",
                "first_author": "Okafor",
                "year": 2021,
                "venue": "Journal of Joint Care",
            }
        ],
        "claims": [
            {**span(TEXT, "Yoga eases knee pain, a trial finds."), "cited": False, "note": "headline"},
            {
                **span(TEXT, "Daily yoga reduced knee pain by a third in older adults (Okafor et al., 2021)."),
                "cited": True,
            },
            {**span(TEXT, "Okafor said tai chi may work in a similar way."), "cited": False},
            {**span(TEXT, "Yoga costs less than a gym membership."), "cited": False, "note": "borderline: cost"},
        ],
        "techniques": [
            {**span(TEXT, "Yoga"), "canonical": "yoga"},
            {**span(TEXT, "yoga"), "canonical": "yoga"},
            {**span(TEXT, "tai chi"), "canonical": "tai chi"},
            {**span(TEXT, "tai chi", 1), "canonical": "tai chi"},
            {**span(TEXT, "Stretching programmes"), "canonical": "stretching"},
        ],
    }


def to_record(gold: dict, text: str) -> dict:
    """The record a perfect extractor would write for ``gold``."""
    names = sorted({q["speaker"] for q in gold["quotes"] if q["speaker"]})
    ids = {name: f"speaker-{i}" for i, name in enumerate(names)}
    groups: dict[str, list[dict]] = {}
    for m in gold["techniques"]:
        groups.setdefault(m["canonical"], []).append({k: m[k] for k in ("start", "end", "text")})
    return {
        "article": {"id": gold["id"], "text": text},
        "speakers": [{"id": i, "name": n} for n, i in ids.items()],
        "quotes": [
            {"id": f"q{i}", **{k: q[k] for k in ("start", "end", "text", "kind")}, "speaker_id": ids.get(q["speaker"])}
            for i, q in enumerate(gold["quotes"])
        ],
        "citations": [{"id": f"c{i}", **c} for i, c in enumerate(gold["citations"])],
        "claims": [{k: c[k] for k in ("start", "end", "text", "cited")} for c in gold["claims"]],
        "techniques": [
            {"id": f"t{i}", "canonical": c, "category": "exercise", "mentions": ms}
            for i, (c, ms) in enumerate(groups.items())
        ],
    }


def figure_values(summary: dict, names: tuple[str, ...]) -> set:
    return {fig[name] for fig in summary.values() for name in names if name in fig}


def test_perfect_record_scores_one_everywhere():
    summary = score_article(make_gold(), to_record(make_gold(), TEXT)).summary()
    assert figure_values(summary, ("precision", "recall", "f1")) == {1.0}
    assert {v for fig in summary.values() for k, v in fig.items() if k.endswith("_accuracy")} == {1.0}
    assert (summary["claims"]["tp"], summary["claims"]["tp_pred"], summary["claims"]["fn"]) == (3, 4, 0)
    assert (summary["techniques"]["tp"], summary["techniques"]["fp"]) == (3, 0)


def test_empty_record_scores_zero_and_lists_every_miss():
    article = score_article(make_gold(), {"article": {"text": TEXT}})
    summary = article.summary()
    assert figure_values(summary, ("precision", "recall", "f1")) == {0.0}
    assert summary["citations"]["first_author_accuracy"] is None
    assert summary["claims"]["fn"] == 3  # the borderline claim is not a miss
    assert summary["techniques"]["fn"] == 3
    assert sum(e.error == "miss" for e in article.errors) == 2 + 1 + 3 + 3


def quote_pair(gold_len: int, pred: tuple[int, int]) -> tuple[dict, dict]:
    text = "x" * 200
    gold = {"quotes": [{"start": 100, "end": 100 + gold_len, "kind": "direct", "speaker": None}]}
    record = {"article": {"text": text}, "quotes": [{"start": pred[0], "end": pred[1], "kind": "direct"}]}
    return gold, record


@pytest.mark.parametrize(
    "gold_len, pred, matched",
    [
        (40, (100, 140), True),  # identical
        (40, (120, 160), True),  # overlap 20 = half of the longer (40)
        (40, (121, 161), False),  # overlap 19 < 20
        (40, (100, 180), True),  # prediction 80 long, overlap 40 = half of it
        (40, (100, 181), False),  # prediction 81 long: 40 < 40.5
        (41, (100, 120), False),  # overlap 20 < half of 41
    ],
)
def test_quote_matches_at_half_of_the_longer_span(gold_len, pred, matched):
    summary = score_article(*quote_pair(gold_len, pred)).summary()["direct_quotes"]
    assert (summary["tp"], summary["fp"], summary["fn"]) == ((1, 0, 0) if matched else (0, 1, 1))
    assert summary["speaker_accuracy"] == (1.0 if matched else None)  # null speaker vs null speaker is right


def test_quote_of_the_other_kind_does_not_match():
    gold, record = quote_pair(40, (100, 140))
    record["quotes"][0]["kind"] = "indirect"
    summary = score_article(gold, record).summary()
    assert (summary["direct_quotes"]["fn"], summary["indirect_quotes"]["fp"]) == (1, 1)


def test_matching_is_one_to_one():
    gold, record = quote_pair(40, (100, 140))
    record["quotes"].append({"start": 102, "end": 140, "kind": "direct"})
    summary = score_article(gold, record).summary()["direct_quotes"]
    assert (summary["tp"], summary["fp"], summary["fn"]) == (1, 1, 0)


def test_one_prediction_spanning_two_gold_claims_matches_only_one():
    gold = {"claims": [{"start": 0, "end": 10, "cited": False}, {"start": 11, "end": 25, "cited": False}]}
    record = {"claims": [{"start": 0, "end": 25, "cited": False}]}
    article = score_article(gold, record)
    summary = article.summary()["claims"]
    assert (summary["tp"], summary["fp"], summary["fn"]) == (1, 0, 1)
    assert [(e.error, e.start) for e in article.errors] == [("miss", 0)]  # the larger overlap wins


@pytest.mark.parametrize(
    "pred, matched",
    [
        ((0, 100), True),
        ((50, 100), True),  # exactly half of the gold sentence
        ((51, 100), False),
        ((0, 300), True),  # a prediction much longer than the sentence still covers it
    ],
)
def test_claim_matches_when_it_covers_half_of_the_gold(pred, matched):
    gold = {"claims": [{"start": 0, "end": 100, "cited": False}]}
    record = {"article": {"text": "y" * 300}, "claims": [{"start": pred[0], "end": pred[1], "cited": False}]}
    summary = score_article(gold, record).summary()["claims"]
    assert summary["recall"] == (1.0 if matched else 0.0)
    assert summary["precision"] == (1.0 if matched else 0.0)


@pytest.mark.parametrize(
    "predicted, precision, recall, fp, fn",
    [
        ([(0, 10), (20, 30)], 1.0, 1.0, 0, 0),  # both predicted: the borderline one is not a false positive
        ([(0, 10)], 1.0, 1.0, 0, 0),  # borderline missed: not a false negative
        ([(20, 30)], 1.0, 0.0, 0, 1),
        ([(0, 10), (40, 50)], 0.5, 1.0, 1, 0),
    ],
)
def test_borderline_claims_are_neither_false_positives_nor_misses(predicted, precision, recall, fp, fn):
    gold = {
        "claims": [
            {"start": 0, "end": 10, "cited": False},
            {"start": 20, "end": 30, "cited": False, "note": "borderline: description of the technique"},
        ]
    }
    record = {"claims": [{"start": s, "end": e, "cited": False} for s, e in predicted]}
    summary = score_article(gold, record).summary()["claims"]
    assert (summary["precision"], summary["recall"], summary["fp"], summary["fn"]) == (precision, recall, fp, fn)


def test_cited_accuracy_over_matched_claims():
    gold = {"claims": [{"start": 0, "end": 10, "cited": True}, {"start": 20, "end": 30, "cited": False}]}
    record = {"claims": [{"start": 0, "end": 10, "cited": False}, {"start": 20, "end": 30, "cited": False}]}
    article = score_article(gold, record)
    assert article.summary()["claims"]["cited_accuracy"] == 0.5
    assert [(e.error, e.gold, e.predicted) for e in article.errors] == [("cited", True, False)]


@pytest.mark.parametrize(
    "gold, predicted, same",
    [
        ("Amara Okafor", "amara okafor", True),
        ("Amara Okafor", "Okafor", True),
        ("Amara Okafor", "Dr. Okafor", True),
        ("Brian K. Lee", "Brian Lee, M.D.", True),
        ("Scott Neville", "Scott Neville, DC", True),
        ("Tae-Hun Kim", "Kim", True),
        ("Jos\u00e9 Pe\u00f1a", "Jose Pena", True),
        ("Carol Ann O\u2019Brien", "O'Brien", True),
        ("the researchers", "researchers", True),
        ("Amara Okafor", "Amara", False),
        ("Amara Okafor", "Joan Okafo", False),
        ("Ann Gray and Joe Ruiz", "Gray and Ruiz", True),
        ("Ann Gray and Joe Ruiz", "Joe Ruiz", False),
        (None, None, True),
        ("Amara Okafor", None, False),
        (None, "Okafor", False),
    ],
)
def test_speaker_names_match_on_case_folded_name_or_surname(gold, predicted, same):
    assert names_match(gold, predicted) is same


def test_speaker_accuracy_counts_wrong_speakers():
    gold = make_gold()
    record = to_record(gold, TEXT)
    record["speakers"] = [{"id": "speaker-0", "name": "Prof. Okafor"}, {"id": "speaker-1", "name": "Lena Marsh"}]
    record["quotes"][1]["speaker_id"] = "speaker-1"
    article = score_article(gold, record)
    summary = article.summary()
    assert (summary["direct_quotes"]["speaker_accuracy"], summary["indirect_quotes"]["speaker_accuracy"]) == (1.0, 0.0)
    assert [(e.category, e.gold, e.predicted) for e in article.errors] == [
        ("indirect_quotes", "Amara Okafor", "Lena Marsh")
    ]


@pytest.mark.parametrize(
    "gold, predicted, same",
    [
        ("JAMA Internal Medicine", "jama internal medicine", True),
        ("Pediatrics", "the journal Pediatrics", True),
        ("The New England Journal of Medicine", "New England Journal of Medicine", True),
        ("Journal of Sleep Studies", "the Journal of Sleep Studies", True),
        ("Fertility & Sterility", "Fertility and Sterility", True),
        ("The Lancet", "The BMJ", False),
        ("Pediatrics", None, False),
    ],
)
def test_venues_match_ignoring_case_and_a_leading_the_journal(gold, predicted, same):
    assert venues_match(gold, predicted) is same


def test_citation_fields_scored_only_where_gold_states_them():
    gold = {
        "citations": [
            {"start": 0, "end": 20, "first_author": "Okafor", "year": 2021, "venue": "The Lancet"},
            {"start": 30, "end": 50, "year": 2019},  # no first_author, no venue: not scored
        ]
    }
    record = {
        "citations": [
            {"start": 5, "end": 15, "first_author": "A. Okafor", "year": 2020, "venue": "Lancet"},
            {"start": 40, "end": 60, "first_author": "Smith", "year": "2019", "venue": "BMJ"},
            {"start": 70, "end": 80},
        ]
    }
    article = score_article(gold, record)
    summary = article.summary()["citations"]
    assert (summary["tp"], summary["fp"], summary["fn"]) == (2, 1, 0)
    assert summary["first_author_accuracy"] == 1.0
    assert summary["year_accuracy"] == 0.5
    assert summary["venue_accuracy"] == 1.0
    assert [(e.error, e.gold, e.predicted) for e in article.errors if e.error != "false_positive"] == [
        ("year", 2021, 2020)
    ]


def test_techniques_are_grouped_by_canonical():
    gold = make_gold()
    record = {
        "techniques": [
            # one mention of the two gold "tai chi" mentions is enough, whatever it is called
            {"canonical": "taiji", "mentions": [span(TEXT, "tai chi", 1)]},
            {"canonical": "gym", "mentions": [span(TEXT, "gym membership")]},
            {"canonical": "yoga", "mentions": [span(TEXT, "knee pain", 1), span(TEXT, "yoga")]},
        ]
    }
    article = score_article(gold, record)
    summary = article.summary()["techniques"]
    assert (summary["tp"], summary["fn"], summary["tp_pred"], summary["fp"]) == (2, 1, 2, 1)
    assert summary["recall"] == pytest.approx(2 / 3)
    assert summary["precision"] == pytest.approx(2 / 3)
    errors = {(e.error, e.gold or e.predicted, e.text) for e in article.errors if e.category == "techniques"}
    assert errors == {("miss", "stretching", "Stretching programmes"), ("false_positive", "gym", "gym membership")}


def test_corpus_summary_micro_averages_counts():
    gold = {"claims": [{"start": 0, "end": 10, "cited": False}, {"start": 20, "end": 30, "cited": False}]}
    perfect = {"claims": [{"start": 0, "end": 10, "cited": False}, {"start": 20, "end": 30, "cited": False}]}
    half = {"claims": [{"start": 0, "end": 10, "cited": True}, {"start": 40, "end": 50, "cited": False}]}
    score = score_corpus([("a", gold, perfect), ("b", gold, half)])
    claims = score.summary()["claims"]
    assert (claims["tp"], claims["fp"], claims["fn"]) == (3, 1, 1)
    assert claims["precision"] == claims["recall"] == claims["f1"] == 0.75
    assert claims["cited_accuracy"] == pytest.approx(2 / 3)
    assert score.per_article()["a"]["claims"]["f1"] == 1.0
    assert [(e.article, e.error) for e in score.errors()] == [("b", "cited"), ("b", "miss"), ("b", "false_positive")]


def test_record_with_empty_text_scores_as_empty():
    empty = {"article": {"text": ""}, "claims": [], "citations": [], "quotes": [], "speakers": [], "techniques": []}
    summary = score_article(make_gold(), empty).summary()
    assert (summary["claims"]["fn"], summary["citations"]["fn"], summary["techniques"]["fn"]) == (3, 1, 3)


def test_gold_text_that_does_not_match_the_record_is_an_error():
    gold = make_gold()
    with pytest.raises(ValueError, match="same file"):
        score_article(gold, to_record(gold, "\ufeff" + TEXT))


def test_sample_article_converted_to_a_record_scores_one(sample_text):
    gold = {
        "id": "massage-chronic-back-pain",
        "quotes": [
            {
                **span(sample_text, "You have to release the fascia, so it doesn\u2019t hold onto the muscle,"),
                "kind": "direct",
                "speaker": "Victoria VanDam",
            },
            {
                **span(
                    sample_text,
                    "VanDam emphasizes that fascia should be a primary focus of good massage, "
                    "given its structural role within the body.",
                ),
                "kind": "indirect",
                "speaker": "Victoria VanDam",
            },
        ],
        "citations": [
            {
                **span(sample_text, "Kumar et al., 2013"),
                "first_author": "Kumar",
                "year": 2013,
                "venue": "International Journal of General Medicine",
            },
            {**span(sample_text, "Cherkin et al., 2009"), "first_author": "Cherkin", "year": 2009},
        ],
        "claims": [
            {
                **span(sample_text, "Research regarding efficacy of massage for reducing pain intensity is mixed."),
                "cited": False,
            },
            {
                **span(
                    sample_text,
                    "The authors proposed that heterogeneity in terms of study design was a major "
                    "challenge to drawing conclusions from existing evidence.",
                ),
                "cited": True,
            },
        ],
        "techniques": [
            {**span(sample_text, "massage therapy"), "canonical": "massage therapy"},
            {**span(sample_text, "trigger point therapy"), "canonical": "trigger point therapy"},
            {**span(sample_text, "release the fascia"), "canonical": "myofascial release"},
            {**span(sample_text, "releasing the fascia"), "canonical": "myofascial release"},
        ],
    }
    summary = score_corpus([("sample", gold, to_record(gold, sample_text))]).summary()
    assert figure_values(summary, ("precision", "recall", "f1")) == {1.0}
    assert summary["techniques"]["tp"] == 3
    assert summary["citations"]["venue_accuracy"] == 1.0


@pytest.mark.parametrize(
    "floors, failures",
    [
        ({"claims.f1": 0.5, "direct_quotes.speaker_accuracy": 1.0}, []),
        ({"claims.f1": 0.9}, ["claims.f1 = 0.750 is below its floor 0.900"]),
        ({"citations.venue_accuracy": 0.1}, ["citations.venue_accuracy is undefined (nothing scored), floor 0.100"]),
    ],
)
def test_check_floors_lists_figures_below_their_floor(floors, failures):
    summary = {
        "claims": {"f1": 0.75, "cited_accuracy": 0.9},
        "direct_quotes": {"speaker_accuracy": 1.0},
        "citations": {"venue_accuracy": None},
    }
    assert check_floors(summary, floors) == failures


@pytest.mark.parametrize("floors", [{"claims.f2": 0.5}, {"claim.f1": 0.5}, {"claims": 0.5}, {"claims.f1": "high"}])
def test_check_floors_rejects_unknown_keys_and_non_numbers(floors):
    summary = score_corpus([("a", make_gold(), to_record(make_gold(), TEXT))]).summary()
    with pytest.raises(ValueError, match="claims"):
        check_floors(summary, floors)


def test_load_gold_dir_without_gold_files_is_an_error(tmp_path):
    (tmp_path / "story.txt").write_text("A story.", encoding="utf-8")
    with pytest.raises(ValueError, match="no gold files"):
        load_gold_dir(tmp_path)
    with pytest.raises(ValueError, match="does not exist"):
        load_gold_dir(tmp_path / "missing")


def test_load_gold_dir_pairs_gold_with_text(tmp_path):
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.gold.json").write_text(json.dumps(make_gold()), encoding="utf-8")
    (tmp_path / "a.gold.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError, match="a.txt"):
        load_gold_dir(tmp_path)
    (tmp_path / "a.txt").write_text("", encoding="utf-8")
    loaded = load_gold_dir(tmp_path)
    assert [(name, path.name) for name, path, _ in loaded] == [("a", "a.txt"), ("b", "b.txt")]
    assert loaded[1][2]["id"] == "yoga-knee"


def test_format_table_and_errors_are_readable():
    gold = make_gold()
    record = to_record(gold, TEXT)
    record["claims"] = record["claims"][:1]
    score = score_corpus([("yoga-knee", gold, record)])
    table = format_table(score.summary())
    lines = table.splitlines()
    assert lines[0].split()[:6] == ["P", "R", "F1", "TP", "FP", "FN"]
    assert lines[4].startswith("claims") and "cited 1.000" in lines[4]
    assert len(lines) == 6
    errors = format_errors(score.errors())
    assert errors.splitlines()[0] == "== yoga-knee"
    assert "claims miss" in errors and "Daily yoga reduced knee pain" in errors
