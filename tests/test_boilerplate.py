"""The boilerplate component: page furniture found line by line, article text left alone."""

from __future__ import annotations

import pytest

from healthclaims.components.boilerplate import Boilerplate, BoilerplateRule
from healthclaims.resources import ResourceError, load_jsonl


@pytest.fixture(scope="module")
def finder():
    return Boilerplate()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Body text.\n\nLeave a Reply\n\nYour email address will not be published.", ["Leave a Reply\n\nYour email address will not be published."]),
        ("Title\n\nBy Jane Q. Writer\n\nHealthDay Reporter\n\nBody.", ["By Jane Q. Writer\n\nHealthDay Reporter"]),
        ("TUESDAY, March 3, 2015 (HealthDay News) -- Walking helps.", ["TUESDAY, March 3, 2015 (HealthDay News) --"]),
        ("LONDON (Reuters) - Walking helps.", ["LONDON (Reuters) -"]),
        ("Body.\n\nAdvertisement\n\nMore body.", ["Advertisement"]),
        ("Body.\n\nMore information\n\nVisit the agency for more on sleep.", ["More information\n\nVisit the agency for more on sleep."]),
        ("Body.\n\n###\n\nAbout Example Health\n\nExample Health is a charity.", ["###\n\nAbout Example Health\n\nExample Health is a charity."]),
        ("Trials showed a benefit. (See Reuters Health story of June 9, 2013.)", ["(See Reuters Health story of June 9, 2013.)"]),
        ("Share this article\n\nBody.", ["Share this article"]),
        # Article sentences that only look like furniture must survive.
        ("About half of the patients improved.\n\nBy contrast, the placebo group did not.", []),
        ("Massage helps. Advertisement campaigns do not.", []),
    ],
)
def test_find(finder, text, expected):
    found = finder.find(text)
    assert [m.text for m in found] == expected
    assert all(text[m.start : m.end] == m.text for m in found)


def test_component_marks_the_sample_comment_form(sample_doc):
    assert [m.text for m in sample_doc._.hc_boilerplate] == ["Leave a Reply\n\nYour email address will not be published."]


def test_bad_rule_file_names_file_and_line(tmp_path):
    path = tmp_path / "rules.jsonl"
    path.write_text('# comment\n{"id": "x", "scope": "line", "pattern": "ok"}\n{"id": "y", "scope": "line", "pattern": "(unclosed"}\n')
    with pytest.raises(ResourceError, match=r"rules.jsonl:3\] pattern: .*invalid regular expression"):
        load_jsonl(path, BoilerplateRule)
    path.write_text('{"id": "z", "scope": "everywhere", "pattern": "x"}\n')
    with pytest.raises(ResourceError, match=r"rules.jsonl:1\] scope"):
        load_jsonl(path, BoilerplateRule)
