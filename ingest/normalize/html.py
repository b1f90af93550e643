"""HTML to plain text with paragraphs kept: the one rule for every body that arrives as markup
(ninjs ``body_html``, RSS descriptions, NewsML-G2 XHTML, NITF, digitalwires ``article_html``,
HTML mail, and markup left in any text), so the same HTML gives the same text and the same
``content_hash`` whichever format it came in. The format parsers hand parsed XML elements over
through ``ingest.formats._html``.

The markup is parsed by selectolax's lexbor engine, a real HTML5 parser: regular expressions
cannot tell a tag from text that looks like one, nor decode every entity. Block elements
(paragraphs, headings, list items, quotes, table rows) and ``<br>`` end a paragraph; scripts,
styles and other non-text elements are dropped; entities are decoded by the parser.

One exception: HTML5 tree building costs time in proportion to the depth of open elements at
each tag, so markup nested thousands deep (no agency sends it; a hostile feed can) would take
quadratic time. Markup nested deeper than ``MAX_DEPTH`` is flattened instead, in one linear
pass: block tags become paragraph breaks, other tags go, entities are decoded.
"""

from __future__ import annotations

import html as htmllib
import re

from selectolax.lexbor import LexborHTMLParser

__all__ = ["MAX_DEPTH", "html_to_text", "looks_like_html", "strip_shortcodes"]

#: Nesting depth beyond which markup is flattened rather than parsed (see the module doc).
MAX_DEPTH = 256

# A tag agencies use in story bodies; one is enough to treat the text as markup.
_TAG = re.compile(
    r"</?(?:p|br|div|span|a|b|i|u|s|em|strong|h[1-6]|ul|ol|li|dl|dt|dd|section|article|header|"
    r"footer|html|body|head|blockquote|table|tbody|thead|tr|td|th|caption|figure|figcaption|img|"
    r"sup|sub|hr|pre|code|cite|q|small|big|abbr|time|nav|aside|main|script|style|iframe|font|"
    r"nobr|center|tt|strike|del|ins|mark|video|audio|source|picture|svg|embed|object|form|"
    r"noscript|template|endash|emdash)\b[^<>]*>|<!\[CDATA\[",
    re.IGNORECASE,
)
# Empty inline elements that stand for a character (NewsML-G2's ``<endash/>``).
_CHARACTER_ELEMENTS = re.compile(r"<(endash|emdash)\b[^<>]*?/?>(?:\s*</\1\s*>)?", re.IGNORECASE)
_CHARACTERS = {"endash": "\u2013", "emdash": "\u2014"}
# WordPress shortcodes: a pair keeps its text (``[dropcap]M[/dropcap]``), a lone one with an
# underscore or attributes goes (``[contact_form]``, ``[gallery ids="1,2"]``). A bracketed word
# of the text (``[the dollar]``, ``[sic]``) has neither and stays.
# A pair's inner text is bounded, so a text of many brackets costs linear time.
_SHORTCODE_PAIR = re.compile(
    r"\[([a-z][a-z_]{0,31})(?:\s[^\[\]]{0,200})?\]([^\[]{0,2000}?)\[/\1\]", re.DOTALL
)
_SHORTCODE_LONE = re.compile(r"\[/?[a-z]+_[a-z_]*(?:\s[^\[\]]*)?\]|\[[a-z_]+\s+[a-z_]+=[^\[\]]*\]")


def strip_shortcodes(text: str) -> str:
    """``text`` without WordPress shortcodes; a pair's inner text is kept."""
    if "[" not in text:
        return text
    text = _SHORTCODE_PAIR.sub(r"\2", text)
    return _SHORTCODE_LONE.sub("", text)


_BLOCKS = (
    "p, div, h1, h2, h3, h4, h5, h6, li, dt, dd, blockquote, section, article, header, "
    "footer, figure, figcaption, tr, td, th, caption, table, ul, ol, dl, pre, hr, br, address, "
    "aside, main, hl1, hl2, block, nitf-table"
)
# Not story text: code and styles, documents' heads, HTML5 ``header`` and ``nav`` blocks (slugs,
# bylines, menus), figures and pictures (NITF ``media`` is NITF's figure: a picture's reference
# and caption), embedded objects.
_DROPPED = [
    "script", "style", "noscript", "template", "head", "title", "header", "nav", "figure",
    "img", "media", "iframe", "object", "svg",
]  # fmt: skip
# The blocks of _BLOCKS whose edges are marked in the markup; a table's and a row's edges are
# those of their cells.
_MARKED = sorted(
    (name.strip() for name in _BLOCKS.split(",") if name.strip() not in ("table", "tr")),
    key=len,
    reverse=True,
)
_BLOCK_TAG = re.compile(
    rf"<(/?)(?:{'|'.join(re.escape(n) for n in _MARKED)})(?=[\s/>])[^<>]*>", re.IGNORECASE
)


def _mark(match: re.Match[str]) -> str:
    return _BREAK + match[0] if match[1] else match[0] + _BREAK


# U+2029 PARAGRAPH SEPARATOR marks block edges while white space inside blocks is collapsed.
_BREAK = "\u2029"
_SPACE = re.compile(r"[^\S\u2029]+")
_BREAKS = re.compile(r"\s*\u2029[\s\u2029]*")
# Passes of conversion before giving up on text that keeps producing markup (escaped tags).
_MAX_PASSES = 4


def looks_like_html(text: str) -> bool:
    """Whether ``text`` holds at least one HTML tag that story bodies use."""
    return "<" in text and _TAG.search(text) is not None


_ANY_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^<>]*?(/?)>")
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_NON_TEXT = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_NAMES = frozenset(name.strip() for name in _BLOCKS.split(","))


def _nesting_depth(html: str, limit: int) -> int:
    """The deepest nesting of open elements, counted up to ``limit`` (a linear scan)."""
    if html.count("<") - html.count("</") <= limit:  # fewer opening tags than the limit
        return 0
    depth = deepest = 0
    for closing, name, self_closing in _ANY_TAG.findall(html):
        if self_closing or name.lower() in _VOID:
            continue
        if closing:
            depth -= depth > 0
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
    return deepest


def _flatten(html: str) -> str:
    """Text of markup too deep to parse: block tags break paragraphs, entities decoded."""

    def tag(match: re.Match[str]) -> str:
        return _BREAK if match.group(2).lower() in _BLOCK_NAMES else ""

    text = htmllib.unescape(_ANY_TAG.sub(tag, _NON_TEXT.sub("", html)))
    text = _SPACE.sub(" ", text)
    return "\n\n".join(p.strip() for p in _BREAKS.split(text) if p.strip())


def _convert(html: str) -> str:
    html = _CHARACTER_ELEMENTS.sub(lambda m: _CHARACTERS[m[1].lower()], html)
    if _nesting_depth(html, MAX_DEPTH) > MAX_DEPTH:
        return _flatten(html)
    # Block edges are marked in the markup itself, inside each block (after its start tag,
    # before its end tag; after a void one): one pass in C instead of a DOM insert per block,
    # which on a results table of thousands of cells cost more than the parse. Inside the
    # block, never beside a table row: text there would be moved out of the table.
    html = _BLOCK_TAG.sub(_mark, html)
    tree = LexborHTMLParser(html)
    tree.strip_tags(_DROPPED)
    root = tree.body or tree.root
    if root is None:
        return ""
    text = root.text(deep=True, separator="", strip=False)
    text = _SPACE.sub(" ", text)
    return "\n\n".join(p.strip() for p in _BREAKS.split(text) if p.strip())


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment or document: paragraphs separated by one blank line.

    Escaped markup in the text (``&lt;p&gt;``) becomes markup once decoded; it is converted
    again so that the result never looks like HTML, which keeps normalization idempotent.
    """
    text = strip_shortcodes(_convert(html))
    for _ in range(_MAX_PASSES):
        if not looks_like_html(text):
            break
        # Paragraph by paragraph: the blank lines between them are not markup.
        text = "\n\n".join(filter(None, (_convert(p) for p in text.split("\n\n"))))
    return text
