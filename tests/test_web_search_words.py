"""The web search page treats a query without any searchable word as the command line does: it
says so (400) rather than listing every item, and the syntax hint stays on the page."""

from __future__ import annotations

import html
from collections.abc import Iterator

import pytest
from test_web_app import CSRF, Web, _build, _web


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    root = tmp_path_factory.mktemp("words")
    _workspace, ids = _build(root)
    yield from _web(root, ids, root.parent / "watch")


@pytest.mark.parametrize("query", ["x", "le", "-la", '"de la"'])
def test_a_query_without_searchable_word_is_explained(web: Web, query: str) -> None:
    response = web.client("learner").get("/g/g1/search", query_string={"q": query})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "ne contient aucun mot cherchable" in page
    assert 'class="hit"' not in page
    assert "Syntaxe" in page  # the page's syntax hint
    everything = web.client("learner").get("/g/g1/search")  # an empty query still lists all
    assert everything.status_code == 200 and 'class="hit"' in everything.get_data(as_text=True)


def test_such_a_query_cannot_be_saved(web: Web) -> None:
    client = web.client("learner")
    response = client.post("/g/g1/searches", data={"name": "vide", "q": "le", "csrf_token": CSRF})
    assert response.status_code == 400
    assert "vide" not in {s.name for s in web.store.saved_searches("g1")}


def test_a_real_word_still_finds(web: Web) -> None:
    response = web.client("learner").get("/g/g1/search", query_string={"q": "x prix"})
    assert response.status_code == 200
    assert 'class="hit"' in response.get_data(as_text=True)
