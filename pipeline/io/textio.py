"""Reading article files: byte decoding with detection, format sniffing, HTML and Markdown to
text, titles and article ids.

Everything here is free of spaCy, so that a re-run can decide what is unchanged without
loading a model. ``ArticleError`` carries a message that names the problem.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

ARTICLE_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
FORMATS = ("auto", "text", "markdown", "html")
#: An HTML file at least this large whose article text is shorter than ``MIN_BODY_CHARS``
#: (letters and digits, title left out) lost its body: reported, not a near-empty record.
LARGE_HTML_BYTES = 2_000
MIN_BODY_CHARS = 100

_HTML_START = re.compile(r"\A\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<\?xml[^>]*>\s*<!doctype\s+html)", re.IGNORECASE)
_HTML_TAGS = re.compile(r"</(p|div|body|html|li|h[1-6]|article|span|a)>", re.IGNORECASE)
_MD_SIGNS = (
    re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE),  # ATX heading
    re.compile(r"!?\[[^\]\n]+\]\([^)\s]+[^)]*\)"),  # link or image
    re.compile(r"(\*\*|__)\S[^\n]*?\S\1"),  # strong emphasis
    re.compile(r"(?<![\w*])\*(?![\s*])[^*\n]+(?<![\s*])\*(?![\w*])"),  # *emphasis*
    re.compile(r"^\s{0,3}([-*+]|\d{1,3}\.)[ \t]+\S", re.MULTILINE),  # list item
    re.compile(r"^\s{0,3}>[ \t]?\S", re.MULTILINE),  # block quote
    re.compile(r"^[=-]{3,}[ \t]*$", re.MULTILINE),  # setext underline or front matter
)

#: Magic numbers of binary formats that get renamed to .txt by accident.
_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"\x7fELF", "an executable"),
]


class ArticleError(ValueError):
    """An input file cannot be turned into an article; the message says why."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass
class Article:
    """An article read from disk: ``text`` is what every record offset indexes."""

    source: str
    sha256: str
    encoding: str
    format: str
    title: str | None
    text: str
    extractor: str | None = None  # text | markdown | trafilatura | htmltext
    published: str | None = None  # ISO date from the page's metadata
    authors: list[str] = field(default_factory=list)  # the byline
    site: str | None = None
    url: str | None = None


def sha256_of(data: bytes) -> str:
    """Hex SHA-256 of raw bytes."""
    return hashlib.sha256(data).hexdigest()


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    # Stray bytes inside otherwise valid UTF-8 are nearly always Windows-1252 punctuation
    # pasted from a word processor: decode them as such rather than as U+FFFD or "?".
    if not isinstance(error, UnicodeDecodeError):  # only ever registered for decoding
        raise error
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error("healthclaims_cp1252", _cp1252_fallback)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode article bytes, returning ``(text, encoding_used)``.

    BOMs win (UTF-8, UTF-16, UTF-32); then strict UTF-8; then UTF-8 with a Windows-1252
    fallback for a few stray bytes; then Windows-1252 for 8-bit text (which also covers
    Latin-1's printable range); never a silent ``?``.

    Raises:
        ArticleError: for binary content.
    """
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
                      (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise ArticleError("decode", f"starts with a {name} byte-order mark but is not valid {name}: {exc.reason}") from exc
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ArticleError("binary", f"not a text file: looks like {what}")
    if b"\x00" in data:
        guess = _utf16_without_bom(data)
        if guess is not None:
            return guess
        raise ArticleError("binary", f"not a text file: contains {data.count(0)} NUL byte(s)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    bad = _count_invalid_utf8(data)
    high = sum(1 for b in data if b >= 0x80)
    if high and bad / high < 0.5:
        return data.decode("utf-8", errors="healthclaims_cp1252"), "utf-8+cp1252"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a BOM: NULs sit in every other byte of ASCII text."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    for zeros, name in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros > 0.4 * half:
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                return None
    return None


def _count_invalid_utf8(data: bytes) -> int:
    count = 0

    def handler(error: UnicodeError) -> tuple[str, int]:
        if not isinstance(error, UnicodeDecodeError):
            raise error
        nonlocal count
        count += error.end - error.start
        return "", error.end

    codecs.register_error("healthclaims_count", handler)
    data.decode("utf-8", errors="healthclaims_count")
    return count


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise_text(text: str) -> str:
    """Line endings to ``\\n`` (CRLF and lone CR), stray control characters removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def sniff_format(raw: str) -> str:
    """Guess the format of decoded text with no trustworthy file name (standard input).

    An HTML document (doctype, ``<html>``, ``<head>``, ``<body>``, or markup dense with closing
    block tags) is ``html``; text showing at least two kinds of Markdown syntax is ``markdown``;
    anything else is ``text``.
    """
    head = raw.lstrip("\ufeff")[:20_000]
    if _HTML_START.match(head) or len(_HTML_TAGS.findall(head)) >= 3:
        return "html"
    if sum(1 for sign in _MD_SIGNS if sign.search(head)) >= 2:
        return "markdown"
    return "text"


def format_for(path: Path, raw: str, fmt: str = "auto") -> str:
    """The format to read a file as: ``fmt`` when given, else its suffix's; a ``.txt`` file
    (or one without a known suffix) that holds an HTML document is read as HTML."""
    if fmt != "auto":
        return fmt
    by_suffix = ARTICLE_SUFFIXES.get(path.suffix.lower())
    if by_suffix in ("markdown", "html"):
        return by_suffix
    return "html" if sniff_format(raw) == "html" else "text"


def read_article(path: Path, source: str | None = None, data: bytes | None = None, fmt: str = "auto") -> Article:
    """Read one article file, as ``fmt`` (``auto``: by suffix, see ``format_for``).

    Raises:
        ArticleError: empty, blank, binary, undecodable or unreadable input, or a web page
            whose article text was not found (``no_article_text``).
    """
    if data is None:
        try:
            data = path.read_bytes()
        except PermissionError as exc:
            raise ArticleError("unreadable", "cannot read: permission denied") from exc
        except IsADirectoryError as exc:
            raise ArticleError("unreadable", "is a folder, not a file") from exc
        except OSError as exc:
            raise ArticleError("unreadable", f"cannot read: {exc.strerror or exc}") from exc
    if not data:
        raise ArticleError("empty", "empty file (0 bytes)")
    raw, encoding = decode_bytes(data)
    return article_from_text(raw, source or str(path), sha256_of(data), encoding, format_for(path, raw, fmt))


def article_from_text(raw: str, source: str, sha256: str, encoding: str = "utf-8", fmt: str = "text") -> Article:
    """Build an Article from decoded text (``fmt``: text, markdown, html, or auto to sniff it).

    Raises:
        ArticleError: blank input, or an HTML page whose article text was not found.
    """
    if fmt == "auto":
        fmt = sniff_format(raw)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; allowed: {', '.join(FORMATS)}")
    raw = normalise_text(raw.lstrip("\ufeff"))
    if not raw.strip():
        raise ArticleError("empty", "no text: the file holds only white space")
    if fmt == "html":
        return _article_from_html(raw, source, sha256, encoding)
    title = None
    if fmt == "markdown":
        from healthclaims.io.mdtext import markdown_to_text

        text, title = markdown_to_text(raw)
    else:
        text = raw
    if not text.strip():
        raise ArticleError("empty", "no text: the file holds only white space and markup")
    if title is None:
        title = text.strip().split("\n", 1)[0].strip()[:300] or None
    return Article(source=source, sha256=sha256, encoding=encoding, format=fmt, title=title, text=text, extractor=fmt)


def _article_from_html(raw: str, source: str, sha256: str, encoding: str) -> Article:
    from healthclaims.io.webpage import extract_page

    page = extract_page(raw)
    body = page.text[len(page.title):] if page.title and page.text.startswith(page.title) else page.text
    body_chars = sum(1 for ch in body if ch.isalnum())
    size = len(raw.encode("utf-8"))
    if not page.text.strip() or (size >= LARGE_HTML_BYTES and body_chars < MIN_BODY_CHARS):
        raise ArticleError(
            "no_article_text",
            f"no article text found in {size:,} bytes of HTML: {body_chars} letters and digits of body text "
            f"(extractor {page.extractor}; at least {MIN_BODY_CHARS} expected in a page of {LARGE_HTML_BYTES:,}+ bytes)",
        )
    return Article(source=source, sha256=sha256, encoding=encoding, format="html", title=page.title, text=page.text,
                   extractor=page.extractor, published=page.published, authors=page.authors, site=page.site, url=page.url)


def reader_versions() -> dict[str, str]:
    """Versions of the readers that turn files into article text (they shape every record)."""
    from healthclaims.io.mdtext import markdown_version
    from healthclaims.io.webpage import trafilatura_version

    return {"reader": READER_VERSION, "trafilatura": trafilatura_version(), "markdown-it-py": markdown_version()}


#: Bumped whenever this package's conversion of a file into article text changes.
READER_VERSION = "2"


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
MAX_ID_LENGTH = 120


def safe_id(raw: str) -> str:
    """Turn any string into a file name that cannot escape a folder or clash with a reserved name."""
    value = _UNSAFE.sub("_", raw).strip("._-") or "article"
    value = re.sub(r"\.{2,}", ".", value)
    if value.split(".")[0].lower() in _RESERVED:
        value = "_" + value
    if len(value) > MAX_ID_LENGTH:
        digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        value = value[: MAX_ID_LENGTH - 11] + "_" + digest
    return value


def assign_ids(paths: list[tuple[Path, Path | None]]) -> list[str]:
    """Article ids for ``(file, root)`` pairs: the stem, or the path relative to its root
    joined with ``__`` for nested files; colliding ids get the file's suffix, then a counter."""
    base: list[str] = []
    for path, root in paths:
        rel = path.relative_to(root) if root is not None else Path(path.name)
        parts = [*rel.parts[:-1], rel.stem]
        base.append(safe_id("__".join(parts)))
    counts: dict[str, int] = {}
    for value in base:
        counts[value.lower()] = counts.get(value.lower(), 0) + 1
    ids: list[str] = []
    seen: set[str] = set()
    for value, (path, _root) in zip(base, paths):
        if counts[value.lower()] > 1:
            value = safe_id(f"{value}_{path.suffix.lstrip('.')}")
        candidate, n = value, 2
        while candidate.lower() in seen:
            candidate, n = f"{value}-{n}", n + 1
        seen.add(candidate.lower())
        ids.append(candidate)
    return ids
