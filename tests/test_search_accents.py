"""A word typed without its accents finds the word written with them, and the other way round
(« securite » finds « sécurité »; « sécurité » finds a feed's « securite »), through the search
the command line and the web app run (watcher.find.search.search), on a real store and a real
index: written item by item as the store's changes come in, and rebuilt in bulk
(watcher.find.index_writer). tests/fixtures/PROVENANCE.md (world4 follow-ups): 51 of the 268
accented words of the RSS files of feeds/world2/ and feeds/world3/ gave another index term
typed without their accents, since the French stemmer ran before the accents were folded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from watcher.config import load_watch
from watcher.find.follow import IndexFollower
from watcher.find.index import SCHEMA_VERSION, SearchIndex, _french_analyzer
from watcher.find.search import search
from watcher.model import Entry, ItemEnrichment
from watcher.store import Store
from watcher.understand.process import StoreDocs
from watcher.workspace import Workspace

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
CONFIG = {
    "watch": {"name": "Veille de test", "contact": "https://example.org/contact"},
    "axes": [{"id": "concurrence", "label": "Marché & concurrence"}],
    "groups": [{"id": "g1", "name": "Groupe 1"}],
    "sources": [
        {"id": "s1", "name": "Source Un", "kind": "feed", "url": "https://un.example.org/rss",
         "axis": "concurrence", "groups": ["g1"]},
    ],
}  # fmt: skip
# (key, title, text): accented, and as some feeds write French, without accents
ITEMS = (
    ("securite", "La sécurité des données", "Un rapport sur la sécurité des données de santé."),
    ("activites", "Les activités publiées", "Le bilan des activités publiées cette année."),
    ("lycee", "Le lycée", "La rentrée au lycée professionnel."),
    ("sans-accents", "Les eleves du lycee", "Une etude publiee sur la securite au lycee."),
)


@pytest.fixture(scope="module")
def watch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Store]]:
    root = tmp_path_factory.mktemp("accents")
    workspace = Workspace(root / "sources.yml")
    workspace.config.write_text(yaml.safe_dump(CONFIG, allow_unicode=True), "utf-8")
    store = Store(workspace.database)
    entries = [
        Entry(url=f"https://un.example.org/{key}", title=title, summary=text, text=text,
              guid=key, published=NOW - timedelta(days=1), language="fr")
        for key, title, text in ITEMS
    ]  # fmt: skip
    store.store_feed("s1", ["g1"], entries, NOW, url="https://un", found=None)
    store.save_enrichments(
        [
            ItemEnrichment(item_id=i.id, version=i.version, signature="test", language="fr",
                           fingerprint=i.id.to_bytes(8, "big"), cluster_id=i.id,
                           axes=("concurrence",), topics=(), entities=(), refs=())
            for i in store.list_items()
        ],
        NOW,
    )  # fmt: skip
    try:
        yield workspace, store
    finally:
        store.close()


def _docs(workspace: Workspace, store: Store) -> StoreDocs:
    return StoreDocs.of_store(store, load_watch(workspace.config))


@pytest.fixture(scope="module", params=["followed", "rebuilt"])
def index(request: pytest.FixtureRequest, watch: tuple[Workspace, Store]) -> Iterator[SearchIndex]:
    """The index written as the store's changes come in, or rebuilt in bulk from the store."""
    workspace, store = watch
    index = SearchIndex(workspace.root / f"index-{request.param}")
    follower = IndexFollower(store, index)
    if request.param == "rebuilt":
        assert follower.rebuild(_docs(workspace, store)) == len(ITEMS)
    else:
        assert not follower.catch_up(_docs(workspace, store)).behind
    try:
        yield index
    finally:
        index.close()


def keys(store: Store, index: SearchIndex, query: str) -> set[str]:
    page = search(store, index, query, groups=["g1"], now=NOW, limit=100)
    return {f.view.item.guid for f in page.found if f.view and f.view.item.guid}


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("securite", {"securite", "sans-accents"}),
        ("sécurité", {"securite", "sans-accents"}),
        ("SECURITE", {"securite", "sans-accents"}),
        ("donnees", {"securite"}),
        ("données", {"securite"}),
        ("activites publiees", {"activites"}),
        ("activités publiées", {"activites"}),
        ('"activites publiees"', {"activites"}),
        ("lycee", {"lycee", "sans-accents"}),
        ("lycée", {"lycee", "sans-accents"}),
        ("publié", {"activites", "sans-accents"}),
        ("élèves", {"sans-accents"}),
        ('"securite des donnees"', {"securite"}),
    ],
)
def test_a_word_is_found_with_or_without_its_accents(
    watch: tuple[Workspace, Store], index: SearchIndex, query: str, found: set[str]
) -> None:
    _workspace, store = watch
    assert keys(store, index, query) == found


def test_the_accented_word_is_highlighted_for_a_query_without_accents(
    watch: tuple[Workspace, Store], index: SearchIndex
) -> None:
    _workspace, store = watch
    page = search(store, index, "securite donnees", groups=["g1"], now=NOW)
    (hit,) = [f.hit for f in page.found]
    assert hit.title_html == "La <mark>sécurité</mark> des <mark>données</mark>"
    assert "<mark>sécurité</mark> des <mark>données</mark>" in hit.snippet_html


def test_no_correction_is_proposed_for_a_word_typed_without_accents(
    watch: tuple[Workspace, Store], index: SearchIndex
) -> None:
    _workspace, store = watch
    page = search(store, index, "actvites", groups=["g1"], now=NOW)  # a typing error
    assert page.results.suggestion == "activites"
    assert search(store, index, "activites", groups=["g1"], now=NOW).results.suggestion is None


@pytest.mark.parametrize(
    "words",
    [
        ("sécurité", "securite", "sécurités", "SÉCURITÉ"),
        ("données", "donnees", "donnée", "donnee"),
        ("publiées", "publiees", "publié", "publie", "publiés", "publiée"),
        ("élève", "eleve", "élèves", "eleves"),
        ("activités", "activites", "activité"),
        ("lycée", "lycee", "lycées"),
        ("première", "premiere", "premières"),
        ("actualité", "actualite", "actualités"),
        ("élysée", "elysee", "Élysée"),
        ("réglementation", "reglementation", "réglementations"),
        ("prêt", "pret", "prêts"),
        ("électricité", "electricite"),
        ("œuvre", "oeuvre"),
        ("Umbría", "umbria"),  # (a Spanish name of feeds/world4/, PROVENANCE.md)
    ],
)
def test_a_word_its_inflections_and_its_unaccented_spelling_are_one_term(
    words: tuple[str, ...],
) -> None:
    analyzer = _french_analyzer()
    terms = {tuple(t.text for t in analyzer(w)) for w in words}
    assert len(terms) == 1 and len(next(iter(terms))) == 1, terms


def test_an_index_of_the_previous_schema_is_rebuilt_on_open(
    watch: tuple[Workspace, Store], tmp_path: Path
) -> None:
    """An index written by the previous analyser (stems of accented words) is recreated empty
    when opened, and its follower rebuilds it from the store."""
    workspace, store = watch
    index = SearchIndex(tmp_path / "index")
    assert not IndexFollower(store, index).catch_up(_docs(workspace, store)).behind
    index.close()
    (tmp_path / "index" / "WATCHER_SCHEMA").write_text(f"{int(SCHEMA_VERSION) - 1}\n")
    again = SearchIndex(tmp_path / "index")
    try:
        assert again.indexed_ids() == set()
        assert not IndexFollower(store, again).catch_up(_docs(workspace, store)).behind
        assert keys(store, again, "securite") == {"securite", "sans-accents"}
    finally:
        again.close()
