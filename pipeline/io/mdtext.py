"""Markdown to plain text with markdown-it-py: emphasis, link and image syntax gone, paragraphs kept.

Each block (paragraph, heading, list item, block quote paragraph, table row, code block)
becomes a paragraph separated by a blank line; a soft line break inside a paragraph is a
space, so hard-wrapped Markdown does not cut sentences at the wrap.
"""

from __future__ import annotations

import re

from healthclaims.io.htmltext import flush_paragraph, html_to_text

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(---|\.\.\.)[ \t]*(\n|\Z)", re.DOTALL)
_FRONT_TITLE = re.compile(r"^title:[ \t]*(.+?)[ \t]*$", re.MULTILINE | re.IGNORECASE)
_SPACES = re.compile(r"[ \t]+")
_BLOCK_CLOSE = {"paragraph_close", "heading_close", "tr_close", "fence", "code_block", "html_block", "hr"}


def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def markdown_version() -> str:
    """The installed markdown-it-py version (part of the records' fingerprint)."""
    from importlib.metadata import version

    return version("markdown-it-py")


def markdown_to_text(source: str) -> tuple[str, str | None]:
    """Return ``(text, title)`` of a Markdown document; the title is the front matter's or the first heading."""
    title = None
    front = _FRONT_MATTER.match(source)
    if front:
        found = _FRONT_TITLE.search(front.group(1))
        title = found.group(1).strip("\"'") if found else None
        source = source[front.end():]
    paragraphs: list[str] = []
    buffer: list[str] = []
    first_heading = None
    in_heading = False
    for token in _parser().parse(source):
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "inline":
            text = _inline(token.children or [])
            buffer.append(text)
            if in_heading and first_heading is None:
                first_heading = " ".join(text.split())
        elif token.type in ("th_open", "td_open") and buffer:
            buffer.append("\t")
        elif token.type in ("fence", "code_block"):
            buffer.append(token.content)
        elif token.type == "html_block":
            buffer.append(html_to_text(token.content)[0])
        if token.type in _BLOCK_CLOSE:
            in_heading = in_heading and token.type != "heading_close"
            flush_paragraph(buffer, paragraphs, _SPACES)
    flush_paragraph(buffer, paragraphs, _SPACES)
    title = title or first_heading
    if title and (not paragraphs or paragraphs[0] != title):
        paragraphs.insert(0, title)
    return "\n\n".join(paragraphs), title


def _inline(children) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "html_inline":
            # <br> is a line break; any other inline tag is markup around text that stays
            parts.append("\n" if re.match(r"<br\b", child.content, re.IGNORECASE) else "")
        # images are left out (their alt text is not part of a sentence); emphasis, links
        # and strikethrough open/close tokens carry no text of their own
    return "".join(parts)
