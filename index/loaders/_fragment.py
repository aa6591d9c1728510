"""Text of an HTML fragment (a feed entry's content, a CSV cell holding markup).

A fragment is not a page: there is no boilerplate to find, so it is not sent through the page
extractor (which drops short texts as "no article"). Every text node is kept; block elements end
lines, inline ones (links, emphasis) stay inside their sentence. BeautifulSoup parses; the walk is
one iterative pass, so deeply nested markup cannot exhaust Python's recursion limit.
"""

from __future__ import annotations

import re

_END_BLOCK = object()
_DROP_TAGS = frozenset(
    (
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "svg",
        "canvas",
        "object",
        "embed",
        "head",
        "title",
        "form",
        "button",
        "select",
    )
)
_BLOCK_TAGS = frozenset(
    (
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "nav",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "table",
        "tr",
        "dd",
        "dt",
        "dl",
        "hr",
        "address",
        "details",
        "summary",
    )
)
_CELL_TAGS = frozenset(("td", "th"))
# Text with no tag in it is plain text, even when it holds a "<" (as in "3 < 4").
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>|&(?:[A-Za-z]+|#[0-9]+|#x[0-9A-Fa-f]+);")


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text))


def html_to_text(fragment: str) -> str:
    """The readable text of an HTML fragment, one block per line."""
    from bs4 import BeautifulSoup, NavigableString, Tag
    from bs4.element import PreformattedString

    soup = BeautifulSoup(fragment, "html.parser")
    parts: list[str] = []
    stack: list[object] = [soup]
    while stack:
        node = stack.pop()
        if node is _END_BLOCK:
            parts.append("\n")
        elif isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):  # comments, doctypes, CDATA
                parts.append(str(node))
        elif isinstance(node, Tag) and node.name not in _DROP_TAGS:
            if node.name == "br":
                parts.append("\n")
            elif node.name in _CELL_TAGS:
                parts.append(" | ")
            elif node.name in _BLOCK_TAGS:
                parts.append("\n")
                stack.append(_END_BLOCK)
            stack.extend(reversed(node.contents))
    lines = (" ".join(line.split()).strip(" |") for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def text_of(value: str) -> str:
    """``value`` as text: markup read as HTML, anything else kept as it is."""
    return html_to_text(value) if looks_like_html(value) else value
