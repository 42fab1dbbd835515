"""Reading article files: decoding, line endings, HTML, titles and safe article ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthclaims.io.textio import ArticleError, assign_ids, decode_bytes, html_to_text, read_article, safe_id

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
