"""watcher.collect.byline: trafilatura's byline search on the elements it can match (pure).

``find_author`` must give exactly ``trafilatura.metadata.extract_author``'s answer: on every
page of the test fixtures, and on pages built for each of its rules (expression order,
deleted sidebars and comments, dates inside a byline, length limits, unusual elements)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from trafilatura.metadata import extract_author
from trafilatura.utils import load_html
from trafilatura.xpaths import AUTHOR_XPATHS

from watcher.collect.byline import BYLINE_WORDS, MAX_CANDIDATES, find_author

ROOT = Path(__file__).parent.parent
FIXTURE_PAGES = sorted(
    [
        *(ROOT / "tests" / "fixtures" / "pages").glob("*.html"),
        *(ROOT / "tests" / "fixtures" / "heldout").glob("*.html"),
        *(ROOT / "watcher" / "demo" / "site").rglob("*.html"),
    ]
)


def tree(body: str, head: str = "") -> object:
    html = f"<html><head><title>t</title>{head}</head><body>{body}</body></html>"
    return load_html(html)


@pytest.mark.parametrize("path", FIXTURE_PAGES, ids=lambda p: p.name)
def test_same_author_as_trafilatura_on_every_fixture_page(path: Path) -> None:
    page = load_html(path.read_text(encoding="utf-8"))
    assert find_author(page) == extract_author(page)


PARA = "<p>" + "Un paragraphe de texte ordinaire, sans signature. " * 4 + "</p>"
BUILT = [
    # (body, head, expected author)
    (PARA, "", None),  # no byline word anywhere
    (f'<div class="auteur">Jeanne Martin</div>{PARA}', "", None),  # French class: not a byline
    (f'<span class="author">jeanne martin</span>{PARA}', "", "Jeanne Martin"),
    (f'<p class="byline">Par Paul Durand</p>{PARA}', "", "Par Paul Durand"),  # kept as written
    (f'<div class="post-AuthorName">Léa Petit</div>{PARA}', "", "Léa Petit"),
    (f'<span itemprop="author">Marc Blanc</span>{PARA}', "", "Marc Blanc"),
    (f'<div id="authorbox">Rose Noir</div>{PARA}', "", "Rose Noir"),
    (f'<div class="WriterCredit">Yves Roux</div>{PARA}', "", None),  # case-sensitive test
    (f'<div class="top-writer">Yves Roux</div>{PARA}', "", "Yves Roux"),
    # the second expression's match comes first in the page, the first expression's wins
    (
        f'<span class="byline-x">Anne Vert</span>{PARA}<a rel="author" href="/a">Luc Gris</a>',
        "",
        "Luc Gris",
    ),
    # in a sidebar or a comment list: deleted before the search
    (f'<div class="sidebar"><span class="author">Ann Side</span></div>{PARA}', "", None),
    (f'<aside class="sidebar"><span class="author">Ann Side</span></aside>{PARA}', "", "Ann Side"),
    (
        f'<div id="comments"><p class="author">Bob Comment</p></div>'
        f'<p class="author">Eve Article</p>{PARA}',
        "",
        "Eve Article",
    ),
    # a date inside the byline is deleted from its text, the text after it is kept
    (
        f'<p class="author">Zoé Lune <time>12 mars 2024</time> à Lyon</p>{PARA}',
        "",
        "Zoé Lune à Lyon",
    ),
    (f'<p class="author"><span class="date">hier</span>Ana Sol</p>{PARA}', "", "Ana Sol"),
    # too long, then empty: the next candidate is taken
    (
        f'<div class="author">{"x" * 130}</div><div class="author"></div>'
        f'<div class="author">Max Ciel</div>{PARA}',
        "",
        "Max Ciel",
    ),
    # a link in the head: no text, nothing found
    (PARA, '<link rel="author" href="/auteur">', None),
    # unusual elements go to trafilatura's own function
    (f"<author>Ida Mer</author>{PARA}", "", "Ida Mer"),
]


@pytest.mark.parametrize(("body", "head", "expected"), BUILT)
def test_same_author_as_trafilatura_on_built_pages(
    body: str, head: str, expected: str | None
) -> None:
    page = tree(body, head)
    assert extract_author(page) == expected  # the reference itself, as built
    assert find_author(page) == expected


def test_byline_words_and_attributes_cover_every_test_of_trafilatura() -> None:
    # What find_author looks at must cover what trafilatura's expressions test: every
    # attribute they read, and every word they compare it with (after lower-casing).
    paths = " ".join(xpath.path for xpath in AUTHOR_XPATHS)
    assert set(re.findall(r"@([\w-]+)", paths)) <= {
        "class", "id", "itemprop", "rel", "data-testid", "data-component",
    }  # fmt: skip
    literals = re.findall(r"'([^']+)'", paths)
    assert len(literals) > 15
    for literal in literals:
        if literal == "me":  # rel='me' tests a <rel> child element: find_author defers those
            continue
        for branch in literal.lower().split("|"):
            word = re.sub(r"\[(.)[^\]]*\]", r"\1", branch).replace("-?", "").strip("^")
            assert any(byline in word for byline in BYLINE_WORDS), literal


@pytest.mark.parametrize(
    "body",
    [
        '<span class="author">x</span>' * (MAX_CANDIDATES + 1) + '<p class="byline">Jo Ann</p>',
        '<div class="author">ab ' * 200 + "</div>" * 200,  # nested: each inside the others
        '<div class="sidebar">' + '<span class="author">Ann Side</span>' * 30 + "</div>" + PARA,
    ],
    ids=["many-bylines", "nested-bylines", "bylines-in-a-sidebar"],
)
def test_same_author_as_trafilatura_on_odd_markup(body: str) -> None:
    page = tree(body)
    assert find_author(page) == extract_author(page)
