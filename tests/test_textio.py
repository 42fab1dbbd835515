"""Reading article files: decoding, line endings, HTML, titles and safe article ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from healthclaims.io.htmltext import html_to_text
from healthclaims.io.textio import ArticleError, assign_ids, decode_bytes, read_article, safe_id

QUOTED = "He said “no” — twice."


@pytest.mark.parametrize(
    "data, text, encoding",
    [
        (QUOTED.encode("utf-8"), QUOTED, "utf-8"),
        (b"\xef\xbb\xbf" + QUOTED.encode("utf-8"), QUOTED, "utf-8-sig"),
        (QUOTED.encode("utf-16"), QUOTED, "utf-16"),
        (QUOTED.encode("cp1252"), QUOTED, "cp1252"),
        ("café naïve".encode("latin-1"), "café naïve", "cp1252"),
        ("Good “text” here. ".encode() + b"\x93Bad\x94" + " é".encode(), "Good “text” here. “Bad” é", "utf-8+cp1252"),
        (QUOTED.encode("utf-16-le"), QUOTED, "utf-16-le"),
    ],
)
def test_decode_bytes(data, text, encoding):
    assert decode_bytes(data) == (text, encoding) or decode_bytes(data)[0].lstrip("\ufeff") == text
    assert "?" not in decode_bytes(data)[0]


@pytest.mark.parametrize(
    "data, kind, words",
    [
        (b"", "empty", "empty file"),
        (b"  \n\t \r\n", "empty", "white space"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary", "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3", "binary", "PDF"),
        (b"text\x00with\x00\x00nuls and more bytes here", "binary", "NUL"),
    ],
)
def test_bad_files_raise_a_clear_error(tmp_path, data, kind, words):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(ArticleError) as info:
        read_article(path)
    assert info.value.kind == kind
    assert words in str(info.value)


def test_line_endings_are_normalised(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"Title\r\n\r\nOne line.\rTwo line.\r\n")
    article = read_article(path)
    assert article.text == "Title\n\nOne line.\nTwo line.\n"
    assert article.title == "Title"


def test_html_is_turned_into_text():
    html = """<html><head><title>Tea &amp; sleep</title><style>p{color:red}</style>
    <script>var quote = "not text";</script></head><body>
    <nav><a href="/">Home</a> | <a href="/news">News</a></nav>
    <h1>Tea &amp; sleep</h1><p>&ldquo;It helps,&rdquo; she said.<br>New line.</p>
    <!-- a comment that is not text -->
    <div class="comment-form">Leave a Reply</div><p>Last&nbsp;paragraph.</p></body></html>"""
    text, title = html_to_text(html)
    assert title == "Tea & sleep"
    assert text == "Tea & sleep\n\n“It helps,” she said.\nNew line.\n\nLast paragraph."


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("article", "article"),
        ("../../etc/passwd", "etc_passwd"),
        ("/abs/path", "abs_path"),
        ("CON", "_CON"),
        ("nul.tar", "_nul.tar"),
        ("a b?c*", "a_b_c"),
        ("..", "article"),
    ],
)
def test_safe_id(raw, expected):
    assert safe_id(raw) == expected


def test_long_ids_are_shortened_uniquely():
    a, b = safe_id("x" * 300 + "a"), safe_id("x" * 300 + "b")
    assert len(a) <= 120 and len(b) <= 120 and a != b


def test_assign_ids_nesting_and_collisions():
    root = Path("c")
    files = [root / "a" / "x.txt", root / "b" / "x.txt", root / "x.txt", root / "x.md", root / "y.html"]
    assert assign_ids([(f, root) for f in files]) == ["a__x", "b__x", "x_txt", "x_md", "y"]


MARKDOWN = """---
title: "Yoga and back pain"
tags: [health]
---
# Yoga and back pain

A trial reported in *The Lancet* found that weekly yoga classes eased chronic back pain,
according to **Dr. Ines Marlow**, who led it. Read [the paper](https://example.org/paper) or see
![a chart](chart.png) the chart.

- Classes lasted _75 minutes_.
- Pain scores fell by 30 percent.

> “It is not a cure,” Marlow said.
"""


def test_markdown_becomes_plain_text(tmp_path):
    path = tmp_path / "yoga.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    article = read_article(path)
    assert (article.format, article.extractor, article.title) == ("markdown", "markdown", "Yoga and back pain")
    for syntax in ("*", "_", "#", "](", "![", "[", "---", "title:"):
        assert syntax not in article.text
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0] == "Yoga and back pain"
    # the wrapped line is one paragraph: a soft break is a space, not a sentence start
    assert paragraphs[1].startswith("A trial reported in The Lancet found that weekly yoga classes eased chronic back pain, according")
    assert "Read the paper or see the chart." in paragraphs[1]
    assert "Classes lasted 75 minutes." in paragraphs and "“It is not a cure,” Marlow said." in paragraphs


def test_markdown_keeps_literal_angle_brackets_and_snake_case(tmp_path):
    path = tmp_path / "stats.md"
    path.write_text("Stats\n\nThe effect held (p < 0.05, n > 100) for the some_variable group.\n", encoding="utf-8")
    assert "The effect held (p < 0.05, n > 100) for the some_variable group." in read_article(path).text


def test_markdown_emphasis_does_not_break_a_sentence_or_make_a_speaker(nlp):
    from healthclaims.batch.runner import extract_one
    from healthclaims.io.textio import article_from_text

    raw = ("# Tai chi\n\nA review in *The Lancet* found that tai chi improved balance in older adults, "
           "said Dr. Ines Marlow, a geriatrician.\n")
    record = extract_one(article_from_text(raw, "-", "0" * 64, fmt="markdown"), "tai-chi", nlp=nlp)
    assert "*" not in record.article.text
    assert "The Lancet" not in [s.name for s in record.speakers]
    [claim] = [c for c in record.claims if "tai chi improved balance" in c.text]
    assert claim.text.startswith("A review in The Lancet found")


@pytest.mark.parametrize(
    "raw, fmt",
    [
        ("<!DOCTYPE html><html><body><p>Hi.</p></body></html>", "html"),
        ("\n  <html lang='en'><head><title>T</title></head><body>x</body></html>", "html"),
        ("<div><p>One.</p><p>Two.</p><p>Three.</p></div>", "html"),
        ("# Title\n\nA [link](https://example.org) here.\n", "markdown"),
        ("Title\n\n* one\n* two\n\nSome **bold** words.\n", "markdown"),
        ("Title\n\nPlain text with a price of 5 * 3 dollars and a <b> tag.\n", "text"),
        ("Title\n\nShe said “yes”. Then she left.\n", "text"),
    ],
)
def test_sniff_format(raw, fmt):
    from healthclaims.io.textio import sniff_format

    assert sniff_format(raw) == fmt


def test_html_saved_as_txt_is_read_as_html(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("<!DOCTYPE html><html><body><p>Yoga eased pain in a trial.</p><footer>Foot</footer></body></html>", encoding="utf-8")
    article = read_article(path)
    assert article.format == "html" and "<p>" not in article.text and "Yoga eased pain in a trial." in article.text
    assert read_article(path, fmt="text").text.startswith("<!DOCTYPE html>")
