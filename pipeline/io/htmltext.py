"""The fallback HTML-to-text converter, for pages where trafilatura finds no main content.

Block elements become paragraph breaks, entities are decoded, and navigation, form
controls, footers, asides and elements whose class or id names comments/share/ads are
skipped. A page wrapper is never skipped for its class names: ``<body class="one-sidebar">``
or ``<div id="ad_body">`` around the whole page would otherwise take the article with it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# A <form> is not skipped whole: some sites wrap the entire page in one (ASP.NET).
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "nav", "footer", "aside", "iframe", "button", "select",
              "textarea", "label"}
#: Elements that hold the page or its article: their class names do not make them furniture.
_WRAPPER_TAGS = {"html", "body", "main", "article", "form"}
_WRAPPER_NAMES = re.compile(r"(content|article|story|body|main|page|wrap\w*|container)", re.IGNORECASE)
# Layout modifiers ("one-sidebar", "has-section-nav", "ad_body", "menu-open") name what sits
# beside the content; on a wrapper only the words below mean the element itself is furniture.
_STRONG_FURNITURE = re.compile(r"(comments?|respond|share|sharing|social|breadcrumbs?|cookie\w*|newsletter|subscribe|related|trending|footer|advert\w*)", re.IGNORECASE)
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
    "blockquote", "pre", "table", "tr", "figure", "figcaption", "dl", "dt", "dd", "address", "hr",
}
_VOID_TAGS = {"br", "img", "hr", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed", "param", "track"}
_FURNITURE = re.compile(r"(^|[\s_-])(comments?|comment-form|respond|share|sharing|social|nav|navbar|menu|breadcrumbs?|sidebar|advert\w*|ads?|promo|newsletter|related|trending|most-read|popular|cookie\w*|footer|subscribe)($|[\s_-])", re.IGNORECASE)


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_stack: list[str] = []
        self.title: list[str] = []
        self.h1: list[str] = []
        self.in_title = False
        self.in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            if tag == "br" and not self.skip_stack:
                self.parts.append("\n")
            return
        if self.skip_stack:
            self.skip_stack.append(tag)
            return
        names = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role"))
        if tag in _SKIP_TAGS or (names and _is_furniture(tag, names)):
            self.skip_stack.append(tag)
            return
        if tag == "title":
            self.in_title = True
        if tag == "h1":
            self.in_h1 = True
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skip_stack:
            # Pop to the matching open tag; tolerate unclosed children.
            if tag in self.skip_stack:
                while self.skip_stack and self.skip_stack.pop() != tag:
                    pass
            return
        if tag == "title":
            self.in_title = False
        if tag == "h1":
            self.in_h1 = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        if self.skip_stack:
            return
        if self.in_h1:
            self.h1.append(data)
        self.parts.append(data)


def _is_furniture(tag: str, names: str) -> bool:
    if tag in _WRAPPER_TAGS:
        return False
    if _WRAPPER_NAMES.search(names):
        return bool(_STRONG_FURNITURE.search(names))
    return bool(_FURNITURE.search(names))


def html_to_text(html: str) -> tuple[str, str | None]:
    """Return ``(text, title)`` of an HTML document; paragraphs are separated by a blank line."""
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    raw = "".join(parser.parts).replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    lines = [re.sub(r"[ \t\f\v]+", " ", line).strip() for line in raw.split("\n")]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    title = " ".join("".join(parser.title).split()) or " ".join("".join(parser.h1).split()) or None
    text = "\n\n".join(paragraphs)
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}" if text else title
    return text, title


def flush_paragraph(buffer: list[str], paragraphs: list[str], spaces: re.Pattern[str]) -> None:
    """Append the text gathered in ``buffer`` to ``paragraphs`` as one paragraph (each line's runs of
    ``spaces`` collapsed, blank lines dropped; nothing for an empty one), then empty ``buffer``.
    Shared by the Markdown reader and the web-page renderer, which collapse different spaces."""
    lines = [spaces.sub(" ", line).strip() for line in "".join(buffer).split("\n")]
    text = "\n".join(line for line in lines if line)
    if text:
        paragraphs.append(text)
    buffer.clear()
