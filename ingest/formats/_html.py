"""Marked-up bodies to plain text: paragraphs separated by one blank line.

The format parsers use this for the HTML and XHTML that ninjs, RSS and NewsML-G2 carry, and
for NITF markup inside NewsML-G2 and ninjs. It keeps only the structure dedupe and storage
need: block elements become paragraphs, white space inside a paragraph is collapsed, and
markup that is not story text (scripts, styles, document heads, HTML5 ``header`` blocks with
slugs and bylines, figures) is dropped. Typography and character repair are left to
``ingest.normalize``.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

__all__ = ["element_to_text", "html_to_text", "local_name", "nitf_to_text"]

#: Elements that start a new paragraph (XHTML, HTML5 and NITF block names).
_BLOCK = frozenset(
    {
        "address", "article", "block", "blockquote", "body", "br", "caption", "dd", "div",
        "dl", "dt", "figcaption", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "hl1", "hl2",
        "hr", "li", "main", "nitf-table", "ol", "p", "pre", "section", "table", "td", "th",
        "tr", "ul",
    }
)  # fmt: skip
#: Elements whose content is not story text (NITF ``media`` is NITF's figure: a picture's
#: reference and caption inside ``body.content``).
_SKIP = frozenset(
    {
        "script", "style", "head", "title", "header", "nav", "figure", "img", "object",
        "iframe", "media",
    }
)  # fmt: skip


def local_name(element: Any) -> str:
    """The lower-cased tag name of ``element`` without its namespace ('' for comments)."""
    tag = element.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def element_to_text(element: Any) -> str:
    """The text of a parsed (X)HTML or NITF element as paragraphs separated by a blank line."""
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            paragraphs.append(text)
        current.clear()

    def walk(node: Any) -> None:
        name = local_name(node)
        if name and name not in _SKIP:
            block = name in _BLOCK
            if block:
                flush()
            if node.text:
                current.append(node.text)
            for child in node:
                walk(child)
                if child.tail:
                    current.append(child.tail)
            if block:
                flush()

    walk(element)
    flush()
    return "\n\n".join(paragraphs)


def html_to_text(html: str) -> str:
    """An HTML string (a fragment or a whole document) as plain-text paragraphs."""
    if not html.strip():
        return ""
    parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    root = etree.fromstring(html, parser=parser)
    if root is None:
        return ""
    return element_to_text(root)


def nitf_to_text(element: Any) -> str:
    """The story text of NITF markup: its ``body.content`` blocks, without the ``body.head``.

    The head repeats the headline and byline, which the parsers read from the item's own
    metadata; an NITF document without ``body.content`` falls back to all of its text.
    """
    contents = [node for node in element.iter() if local_name(node) == "body.content"]
    if not contents:
        return element_to_text(element)
    return "\n\n".join(text for text in map(element_to_text, contents) if text)
