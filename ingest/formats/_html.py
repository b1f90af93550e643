"""Marked-up bodies to plain text, for the format parsers: HTML strings and parsed XML elements.

The rule itself is ``ingest.normalize.html.html_to_text`` (one HTML5 parser, one set of block
and non-text elements): a string goes to it as it is, and a parsed element (XHTML inside
NewsML-G2, NITF) is serialized without its namespaces first, so the same markup gives the same
text whichever format it arrived in. Typography and character repair are left to
``ingest.normalize``.
"""

from __future__ import annotations

import re
from copy import deepcopy
from typing import Any

from lxml import etree

from ingest.normalize.html import html_to_text

__all__ = ["element_to_text", "html_to_text", "local_name", "nitf_to_text"]

# A start or end tag whose name carries a namespace prefix.
_PREFIXED = re.compile(r"</?[A-Za-z_][\w.-]*:")


def local_name(element: Any) -> str:
    """The lower-cased tag name of ``element`` without its namespace ('' for comments)."""
    tag = element.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _markup(element: Any) -> str:
    """The element as markup without namespace prefixes, for the HTML parser (an XML tree may
    carry XHTML or NITF under a prefix, ``<h:p>``, which the HTML parser would not know; a
    default namespace is only an attribute to it)."""
    # As HTML: an empty element is written open and closed (<title></title>), never <title/>,
    # which an HTML parser reads as the start of a title holding the rest of the document.
    markup = str(etree.tostring(element, method="html", encoding="unicode", with_tail=False))
    if not _PREFIXED.search(markup):
        return markup
    copy = deepcopy(element)
    for node in copy.iter():
        if isinstance(node.tag, str):
            node.tag = local_name(node)
    etree.cleanup_namespaces(copy)
    return str(etree.tostring(copy, method="html", encoding="unicode", with_tail=False))


def element_to_text(element: Any) -> str:
    """The text of a parsed (X)HTML or NITF element as paragraphs separated by a blank line."""
    return html_to_text(_markup(element))


def nitf_to_text(element: Any) -> str:
    """The story text of NITF markup: its ``body.content`` blocks, without the ``body.head``.

    The head repeats the headline and byline, which the parsers read from the item's own
    metadata; an NITF document without ``body.content`` falls back to all of its text.
    """
    contents = [node for node in element.iter() if local_name(node) == "body.content"]
    if not contents:
        return element_to_text(element)
    return "\n\n".join(text for text in map(element_to_text, contents) if text)
