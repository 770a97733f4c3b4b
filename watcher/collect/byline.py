"""The author named in a page's HTML, as trafilatura finds it, looking at a few elements only
(pure).

trafilatura's ``extract_author`` copies the whole tree, deletes comments, sidebars, dates
and figures from the copy (``AUTHOR_DISCARD_XPATHS``), then runs up to three XPaths over
every element (``AUTHOR_XPATHS``, specific bylines first) and keeps the first match whose
text is 3 to 119 characters long: 2 to 4 ms on an ordinary news page, as long as a third of
the main-text extraction itself. Yet every one of those XPaths can only match an element
whose class, id, itemprop, rel, data-testid or data-component holds one of
:data:`BYLINE_WORDS` (or an ``<author>`` element, or one with a ``<rel>`` child).

:func:`find_author` therefore lists those elements (one cheap XPath over the attributes, in
document order), tests trafilatura's own expressions on each of them alone (rewritten from
``//*[…]`` to ``self::*[…]``), skips an element that the discard expressions would have
deleted with an ancestor, and reads its text from a copy of that element alone with the same
deletions: the same answer as ``extract_author`` (tests/test_byline.py compares them on every
page of the test fixtures and on pages built for each rule). A page with none of those words
costs one XPath; a page with an ``<author>`` or ``<rel>`` element, with more than
:data:`MAX_CANDIDATES` such elements, or a later trafilatura whose expressions cannot be
rewritten, goes to ``extract_author`` itself.
"""

from __future__ import annotations

import re
from copy import deepcopy

import lxml.html
from lxml import etree
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.metadata import extract_author, normalize_authors
from trafilatura.utils import trim
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

__all__ = ["BYLINE_WORDS", "MAX_CANDIDATES", "find_author"]

# Every word the class / id tests of AUTHOR_XPATHS look for, in lower case (they are
# case-sensitive; this list is compared with lower-cased values, so it finds a superset).
BYLINE_WORDS = (
    "author", "byl", "bbl", "username", "screenname", "writer", "zuozhe", "bianji", "xiaobian",
    "channel-name", "submitted-by", "posted-by", "journalist-name",
)  # fmt: skip
_TESTED_PATH = "//@class | //@id | //@itemprop | //@rel | //@data-testid | //@data-component"
_TESTED_VALUES = etree.XPath(_TESTED_PATH, smart_strings=False)  # plain strings: cheap
_TESTED = etree.XPath(_TESTED_PATH)  # strings that know their element
_UNUSUAL = etree.XPath("boolean(//author | //rel)")
_FROM_ROOT = re.compile(r"(^|\|)(\s*)\.?//")
AUTHOR_LENGTH = 120  # as extract_author: extract_metainfo(…, len_limit=120)
# Real pages hold a handful of such elements (0 to 5 on the pages of tests/fixtures); past
# this many (hostile or odd markup: thousands of "author" spans, deep nests of them), looking
# at each alone would cost more than trafilatura's whole-tree search, which is used instead.
MAX_CANDIDATES = 40


def _on_self(xpath: etree.XPath) -> etree.XPath | None:
    """``//*[test]|//author`` as ``self::*[test]|self::author``: the same test, on one element;
    None if the expression is not a union of such steps."""
    path = _FROM_ROOT.sub(r"\1\2self::", xpath.path.strip())
    if "//" in path or not path.startswith("self::"):
        return None
    return etree.XPath(path, namespaces={"re": "http://exslt.org/regular-expressions"})


def _all_on_self(xpaths: list[etree.XPath]) -> list[etree.XPath] | None:
    rewritten = [_on_self(xpath) for xpath in xpaths]
    return [x for x in rewritten if x is not None] if None not in rewritten else None


_AUTHOR = _all_on_self(AUTHOR_XPATHS)
_DISCARD = _all_on_self(AUTHOR_DISCARD_XPATHS)


def _candidates(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Elements holding one of BYLINE_WORDS in a tested attribute, in document order."""
    values = _TESTED_VALUES(tree)
    every = " ".join(map(str, values)).lower() if isinstance(values, list) else ""
    if not any(word in every for word in BYLINE_WORDS):
        return []  # most pages without an author in their meta tags: one pass, no element
    found: dict[lxml.html.HtmlElement, None] = {}
    values = _TESTED(tree)
    for value in values if isinstance(values, list) else ():
        low = str(value).lower()
        if any(word in low for word in BYLINE_WORDS):
            found[value.getparent()] = None
    return list(found)


def _deleted(
    element: lxml.html.HtmlElement,
    discard: list[etree.XPath],
    seen: dict[lxml.html.HtmlElement, bool],
) -> bool:
    """Would the discard expressions delete this element, itself or with an ancestor below
    the root (theirs start from the root's descendants)? ``seen`` keeps the answers."""
    path = []  # the element and its ancestors not yet known, nearest first
    node: lxml.html.HtmlElement | None = element
    while node is not None and node not in seen:
        path.append(node)
        node = node.getparent()
    for node in reversed(path):  # from the top down: deleted if the parent is
        parent = node.getparent()
        seen[node] = parent is not None and (
            seen.get(parent, False) or any(test(node) for test in discard)
        )
    return seen[element]


def find_author(tree: lxml.html.HtmlElement) -> str | None:
    """The author(s) named in the page's HTML: ``trafilatura.metadata.extract_author``."""
    if _AUTHOR is None or _DISCARD is None or _UNUSUAL(tree):
        return extract_author(tree)
    candidates = _candidates(tree)
    if len(candidates) > MAX_CANDIDATES:
        return extract_author(tree)
    seen: dict[lxml.html.HtmlElement, bool] = {}
    for expression in _AUTHOR:
        for element in candidates:
            if not expression(element) or _deleted(element, _DISCARD, seen):
                continue
            alone = prune_unwanted_nodes(deepcopy(element), AUTHOR_DISCARD_XPATHS)
            text = trim(" ".join(alone.itertext()))
            if text and 2 < len(text) < AUTHOR_LENGTH:
                return normalize_authors(None, text)
    return None
