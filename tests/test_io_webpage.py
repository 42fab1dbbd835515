"""Saved web pages: the article body and its metadata come out, the page's furniture does not.

The pages in tests/fixtures/html/ were written for these tests; every sentence outside the
article body carries the word "Furniture" (or is a menu, byline or date), so a claim or a
quote containing it came from outside the article.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from healthclaims.batch.runner import extract_one
from healthclaims.io.htmltext import html_to_text
from healthclaims.io.textio import ArticleError, read_article

PAGES = Path(__file__).resolve().parent / "fixtures" / "html"
SIDEBAR = PAGES / "sidebar-form-page.html"  # <body class="one-sidebar ...">, page-wide <form>, ad_body wrapper
INLINE = PAGES / "inline-byline-page.html"  # <body class="ad_body">, byline and date as body paragraphs

#: (page, text that is page furniture, which trap it is)
TRAPS = [
    (SIDEBAR, "Nutrition", "menu"),
    (SIDEBAR, "Trending now", "trending box"),
    (SIDEBAR, "garlic pills", "trending box"),
    (SIDEBAR, "vitamin D prevents the flu", "related links"),
    (SIDEBAR, "cured my arthritis", "comment thread"),
    (SIDEBAR, "magnesium lowers blood pressure", "comment thread"),
    (SIDEBAR, "Leave a Reply", "comment form"),
    (SIDEBAR, "By Priya", "byline"),
    (SIDEBAR, "March 4, 2024", "date"),
    (SIDEBAR, "All rights reserved", "footer"),
    (SIDEBAR, "tag manager", "script"),
    (INLINE, "Recipes", "menu"),
    (INLINE, "apple cider vinegar", "trending box"),
    (INLINE, "kombucha prevents cancer", "related links"),
    (INLINE, "kefir cured my eczema", "comment thread"),
    (INLINE, "miracle food", "comment thread"),
    (INLINE, "By Henrik", "byline"),
    (INLINE, "12 June 2023", "date"),
]

#: (page, sentence of the body that must survive every trap)
BODY = [
    (SIDEBAR, "lowered their systolic blood pressure by an average of 6 points over six months"),
    (SIDEBAR, "The study was funded by a national heart research foundation."),
    (INLINE, "may modestly increase the variety of bacteria in the gut"),
    (INLINE, "rather than changes in stool samples alone."),
]


@pytest.fixture(scope="module")
def articles():
    return {path: read_article(path) for path in (SIDEBAR, INLINE)}


@pytest.fixture(scope="module")
def records(nlp, articles):
    return {path: extract_one(article, path.stem, nlp=nlp) for path, article in articles.items()}


@pytest.mark.parametrize("page, furniture, trap", TRAPS, ids=[f"{p.stem}-{t}-{f}" for p, f, t in TRAPS])
def test_furniture_is_not_in_the_article_text(articles, page, furniture, trap):
    assert furniture not in articles[page].text


@pytest.mark.parametrize("page, furniture, trap", TRAPS, ids=[f"{p.stem}-{t}-{f}" for p, f, t in TRAPS])
def test_no_claim_or_quote_comes_from_furniture(records, page, furniture, trap):
    record = records[page]
    texts = [c.text for c in record.claims] + [q.text for q in record.quotes] + [s.name for s in record.speakers]
    assert not [t for t in texts if furniture in t or "Furniture" in t]


@pytest.mark.parametrize("page, sentence", BODY)
def test_the_body_survives_wrapper_class_names_and_page_wide_form(articles, page, sentence):
    assert sentence in articles[page].text


def test_paragraphs_headings_lists_and_block_quotes_are_separate_paragraphs(articles):
    paragraphs = articles[SIDEBAR].text.split("\n\n")
    assert paragraphs[0] == "Brisk walks lowered blood pressure in older adults"
    assert "What the study did not show" in paragraphs
    assert "Participants walked at a pace that made talking slightly harder." in paragraphs
    assert "“We still need longer trials before anyone throws away their medication,” Ortiz said." in paragraphs
    assert len(paragraphs) == 12


@pytest.mark.parametrize(
    "page, title, published, authors, site, url",
    [
        (SIDEBAR, "Brisk walks lowered blood pressure in older adults", "2024-03-04", ["Priya Venkataraman"],
         "Example Health Daily", "https://health.example.org/2024/03/04/brisk-walks-blood-pressure"),
        (INLINE, "Fermented foods and gut health: what a new review says", "2023-06-12", ["Henrik Salvesen"],
         "Example Wellness Blog", "https://wellness.example.net/fermented-foods-review/"),
    ],
)
def test_page_metadata(articles, page, title, published, authors, site, url):
    article = articles[page]
    assert (article.title, article.published, article.authors, article.site, article.url) == (title, published, authors, site, url)
    assert article.extractor == "trafilatura" and article.format == "html"


def test_metadata_and_quotes_reach_the_record(records):
    record = records[SIDEBAR]
    assert record.article.extractor == "trafilatura"
    assert record.article.published == "2024-03-04" and record.article.authors == ["Priya Venkataraman"]
    speakers = {s.id: s.name for s in record.speakers}
    assert "Priya Venkataraman" not in speakers.values()  # the byline is not a speaker
    direct = {q.text: speakers.get(q.speaker_id) for q in record.quotes if q.kind == "direct"}
    assert direct.get("Walking is cheap, it is safe, and in this trial it worked about as well as a first blood pressure pill,") == "Lena Ortiz"
    assert any("6 points" in c.text for c in record.claims)


def test_the_fallback_converter_is_used_when_trafilatura_finds_nothing(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    article = read_article(SIDEBAR)
    assert article.extractor == "htmltext"
    assert "lowered their systolic blood pressure" in article.text  # not lost to one-sidebar, ad_body or the form
    assert "cured my arthritis" not in article.text and "vitamin D prevents" not in article.text


@pytest.mark.parametrize(
    "html",
    [
        '<body class="one-sidebar"><p>Kept paragraph of the article.</p></body>',
        '<body><form id="aspnetForm"><div><p>Kept paragraph of the article.</p></div></form></body>',
        '<body><div id="ad_body" class="page-wrapper has-section-nav"><p>Kept paragraph of the article.</p></div></body>',
    ],
)
def test_fallback_does_not_drop_page_wrappers(html):
    assert "Kept paragraph of the article." in html_to_text(html)[0]


def test_fallback_still_drops_furniture_inside_the_page():
    html = '<body class="one-sidebar"><div class="sidebar">Side</div><div class="related-stories">Rel</div><p>Body.</p></body>'
    assert html_to_text(html)[0] == "Body."


def test_a_large_page_without_article_text_is_an_error(tmp_path):
    menu = "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(200))
    path = tmp_path / "index.html"
    path.write_text(f"<html><head><title>Index</title></head><body><nav><ul>{menu}</ul></nav></body></html>", encoding="utf-8")
    with pytest.raises(ArticleError) as info:
        read_article(path)
    assert info.value.kind == "no_article_text"
    assert f"{path.stat().st_size:,} bytes of HTML" in str(info.value)


def test_a_small_html_fragment_is_still_an_article(tmp_path):
    path = tmp_path / "snippet.html"
    path.write_text("<p>Yoga eased back pain in a trial.</p>", encoding="utf-8")
    article = read_article(path)
    assert "Yoga eased back pain in a trial." in article.text
