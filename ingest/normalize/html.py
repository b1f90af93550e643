"""HTML to plain text with paragraphs kept, for bodies that arrive as HTML (ninjs ``body_html``,
NewsML-G2 XHTML, RSS descriptions).

The markup is parsed by selectolax's lexbor engine, a real HTML5 parser: regular expressions
cannot tell a tag from text that looks like one, nor decode every entity. Block elements
(paragraphs, headings, list items, quotes, table rows) and ``<br>`` end a paragraph; scripts,
styles and other non-text elements are dropped; entities are decoded by the parser.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

__all__ = ["html_to_text", "looks_like_html"]

# A tag agencies use in story bodies; one is enough to treat the text as markup.
_TAG = re.compile(
    r"</?(?:p|br|div|span|a|b|i|u|em|strong|h[1-6]|ul|ol|li|section|article|header|footer|"
    r"html|body|head|blockquote|table|tbody|thead|tr|td|th|figure|figcaption|img|sup|sub|"
    r"hr|pre|code|cite|q|small|abbr|time|nav|aside|main|script|style|iframe)\b[^<>]*>",
    re.IGNORECASE,
)
_BLOCKS = (
    "p, div, h1, h2, h3, h4, h5, h6, li, dt, dd, blockquote, section, article, header, "
    "footer, figure, figcaption, tr, table, ul, ol, dl, pre, hr, br, address, aside, main"
)
_DROPPED = ["script", "style", "noscript", "template", "head", "iframe", "object", "svg"]
# U+2029 PARAGRAPH SEPARATOR marks block edges while white space inside blocks is collapsed.
_BREAK = "\u2029"
_SPACE = re.compile(r"[^\S\u2029]+")
_BREAKS = re.compile(r"\s*\u2029[\s\u2029]*")
# Passes of conversion before giving up on text that keeps producing markup (escaped tags).
_MAX_PASSES = 4


def looks_like_html(text: str) -> bool:
    """Whether ``text`` holds at least one HTML tag that story bodies use."""
    return "<" in text and _TAG.search(text) is not None


def _convert(html: str) -> str:
    tree = LexborHTMLParser(html)
    tree.strip_tags(_DROPPED)
    root = tree.body or tree.root
    if root is None:
        return ""
    for node in root.css(_BLOCKS):
        node.insert_before(_BREAK)
        node.insert_after(_BREAK)
    text = root.text(deep=True, separator="", strip=False)
    text = _SPACE.sub(" ", text)
    return "\n\n".join(p.strip() for p in _BREAKS.split(text) if p.strip())


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment or document: paragraphs separated by one blank line.

    Escaped markup in the text (``&lt;p&gt;``) becomes markup once decoded; it is converted
    again so that the result never looks like HTML, which keeps normalization idempotent.
    """
    text = _convert(html)
    for _ in range(_MAX_PASSES):
        if not looks_like_html(text):
            break
        # Paragraph by paragraph: the blank lines between them are not markup.
        text = "\n\n".join(filter(None, (_convert(p) for p in text.split("\n\n"))))
    return text
