"""The boilerplate component: page furniture found line by line, article text left alone."""

from __future__ import annotations

import pytest
import spacy
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
        # a press release's dateline with its date, in either layout
        ("CHICAGO--August 29, 2016-- Walking helps.", ["CHICAGO--August 29, 2016--"]),
        ("Eastfield, Md. (November 15, 2018)--Walking helps.", ["Eastfield, Md. (November 15, 2018)--"]),
        # ... and a wire service's, after the date
        ("EASTFIELD, Md., Nov. 10, 2016 /PRNewswire/ -- Quilby Inc. announced a trial.", ["EASTFIELD, Md., Nov. 10, 2016 /PRNewswire/ --"]),
        ("Eastfield, March 4, 2019 (GLOBE NEWSWIRE) -- Quilby Inc. announced a trial.", ["Eastfield, March 4, 2019 (GLOBE NEWSWIRE) --"]),
        # ... and a dateline in capitals with its date and a single dash
        ("EASTFIELD, Va., Oct. 1, 2015 - A study of walking has found that it helps.", ["EASTFIELD, Va., Oct. 1, 2015 -"]),
        ("EASTFIELD, Mich. August 7, 2018 - Tart cherries may help.", ["EASTFIELD, Mich. August 7, 2018 -"]),
        ("Eastfield, Va., Oct. 1, 2015 - the day the trial began - was cold.", []),
        ("Researchers in Boston found -- on August 29, 2016 -- that walking helps.", []),
        ("LONDON (Reuters) - Walking helps.", ["LONDON (Reuters) -"]),
        ("Body.\n\nAdvertisement\n\nMore body.", ["Advertisement"]),
        ("Body.\n\nMore information\n\nVisit the agency for more on sleep.", ["More information\n\nVisit the agency for more on sleep."]),
        ("Body.\n\n###\n\nAbout Example Health\n\nExample Health is a charity.", ["###\n\nAbout Example Health\n\nExample Health is a charity."]),
        ("Trials showed a benefit. (See Reuters Health story of June 9, 2013.)", ["(See Reuters Health story of June 9, 2013.)"]),
        ("Share this article\n\nBody.", ["Share this article"]),
        # links to other stories, and share buttons
        ("Body.\n\nMORE: Seven Surprising Things About Naps\n\nMore body.", ["MORE: Seven Surprising Things About Naps"]),
        ("Body.\n\nRelated: Cold baths after a run may not help\n\nMore body.", ["Related: Cold baths after a run may not help"]),
        ("Body.\n\nNaps and the heart: what the evidence says Read more\n\nMore body.", ["Naps and the heart: what the evidence says Read more"]),
        ("Body.\n\nShare via Twitter\n\nMore body.", ["Share via Twitter"]),
        # ... but article text that mentions more is article text
        ("Body.\n\nMore research is needed: the trial was small.\n\nMore body.", []),
        # A press release's "About" paragraph, with its heading on the same line or ending in a colon.
        ("Body.\n\nAbout Quilby Health: Quilby Health is a charity of 3,000 doctors.", ["About Quilby Health: Quilby Health is a charity of 3,000 doctors."]),
        ("Body.\n\nAbout Quilby Health:\n\nQuilby Health is a charity.", ["About Quilby Health:\n\nQuilby Health is a charity."]),
        # An organisation's profile runs over several paragraphs, up to the next heading; its heading may
        # have lower-case joining words.
        (
            (
                "Body.\n\nAbout the Quilby Society of Foot Care\n\nThe Quilby Society is a non-profit group of podiatrists."
                "\n\nIt has 4,000 members in 12 countries."
            ),
            [
                (
                    "About the Quilby Society of Foot Care\n\nThe Quilby Society is a non-profit group of podiatrists."
                    "\n\nIt has 4,000 members in 12 countries."
                )
            ],
        ),
        (
            (
                "Body.\n\nAbout Quilby Health\n\nQuilby Health is a charity.\n\nIt was founded in 1990."
                "\n\nWhat the trial found\n\nWalking helped."
            ),
            ["About Quilby Health\n\nQuilby Health is a charity.\n\nIt was founded in 1990."],
        ),
        # "About the study" and "About <a condition>" blocks are article text, not an organisation's profile.
        ("Body.\n\nAbout the Study\n\nThe trial enrolled 200 adults at four centers.", []),
        ("Body.\n\nAbout Plantar Fasciitis\n\nPlantar fasciitis is inflammation of the tissue under the foot.", []),
        # A profile without a heading, right before the end mark; the same sentence in the body is text.
        (
            "Body.\n\nThe Quilby Board, an agency of the state, protects patients by licensing clinics.\n\n###",
            ["The Quilby Board, an agency of the state, protects patients by licensing clinics.\n\n###"],
        ),
        ("Body.\n\nThe Quilby Board, an agency of the state, protects patients by licensing clinics.\n\nMore body.", []),
        # A safe-harbour notice: its heading and the paragraphs under it, or a paragraph on its own.
        (
            (
                "Body.\n\nCautionary Statement Regarding Forward-Looking Statements\n\nThis release holds statements "
                "on future events.\n\nFactors that may cause results to differ include new product launches."
                "\n\n1 Roe J. Walking and back pain. Quilby Journal, 2016.\n\nCONTACTS\n\nJo Bell"
            ),
            [
                (
                    "Cautionary Statement Regarding Forward-Looking Statements\n\nThis release holds statements "
                    "on future events.\n\nFactors that may cause results to differ include new product launches."
                )
            ],
        ),
        (
            "Body.\n\nQuilby cautions investors that any forward-looking statements made here are uncertain.\n\nMore body.",
            ["Quilby cautions investors that any forward-looking statements made here are uncertain."],
        ),
        # a newsletter sign-up form flattened into one line, its country list included
        (
            ("Body.\n\nCountry Quilbania Zorbia Please enter a valid email address. Sign Up Now You may unsubscribe "
             "from email communication at any time.\n\nMore body."),
            [("Country Quilbania Zorbia Please enter a valid email address. Sign Up Now You may unsubscribe "
              "from email communication at any time.")],
        ),
        ("Patients should enter a valid email address to get their results, the clinic said.", []),
        # a note to journalists about an embargo, up to the link to the paper (kept) or the sentence's end
        (
            ("Body.\n\nWant to embed a link to this study in your story?: Link will be live at the embargo time "
             "http://quill.example/journals/qj/fullarticle/10.1001/qj.2017.1\n\nEMBARGOED UNTIL 00:01 GMT ON MONDAY\n\n"
             "Note: For an embargoed PDF, contact the press office. To speak with the lead author, call 555-0100."),
            [
                "Want to embed a link to this study in your story?: Link will be live at the embargo time",
                "EMBARGOED UNTIL 00:01 GMT ON MONDAY\n\nNote: For an embargoed PDF, contact the press office.",
            ],
        ),
        ("Patients felt less pain. The study was under embargo until Monday, when it showed less pain.", []),
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


def test_spans_group_matches_the_mentions():
    nlp = spacy.blank("en")
    nlp.add_pipe("healthclaims_boilerplate")
    doc = nlp("Body text.\n\nAdvertisement\n\nMore body.\n\nShare this article")
    assert [m.text for m in doc._.hc_boilerplate] == ["Advertisement", "Share this article"]
    assert [(s.start_char, s.end_char, s.label_) for s in doc.spans["boilerplate"]] == [
        (m.start, m.end, "boilerplate") for m in doc._.hc_boilerplate
    ]


def test_saved_pipeline_uses_its_own_copy_of_the_rules(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("healthclaims_boilerplate")
    nlp.to_disk(tmp_path / "saved")
    folder = tmp_path / "saved" / "healthclaims_boilerplate"
    text = "Body text.\n\nPromoted content\n\nMore body."
    assert nlp(text)._.hc_boilerplate == []
    # A reviewer extends the saved copy; models/ is untouched and the saved pipeline follows the copy.
    with (folder / "boilerplate.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"id": "promoted", "scope": "line", "pattern": "Promoted content"}\n')
    assert [m.text for m in spacy.load(tmp_path / "saved")(text)._.hc_boilerplate] == ["Promoted content"]
    assert nlp(text)._.hc_boilerplate == []
    lines = (folder / "boilerplate.jsonl").read_text(encoding="utf-8").count("\n")
    with (folder / "boilerplate.jsonl").open("a", encoding="utf-8") as fh:
        fh.write('{"id": "bad", "scope": "somewhere", "pattern": "x"}\n')
    with pytest.raises(ResourceError, match=rf"{folder / 'boilerplate.jsonl'}:{lines + 1}\] scope"):
        nlp.get_pipe("healthclaims_boilerplate").from_disk(folder)  # what spacy.load calls


def test_to_bytes_round_trip_keeps_the_rules():
    nlp = spacy.blank("en")
    component = nlp.add_pipe("healthclaims_boilerplate")
    other = Boilerplate()
    other._compiled = []  # as if built from an empty rule file
    assert other.find("Body.\n\nAdvertisement\n\nMore.") == []
    other.from_bytes(component.to_bytes())
    assert [m.text for m in other.find("Body.\n\nAdvertisement\n\nMore.")] == ["Advertisement"]
