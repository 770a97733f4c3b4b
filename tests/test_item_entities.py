"""Which entities an item's page and the search facets list, through the real pipeline.

An item is stored, processed (spaCy, references, the Whoosh index) and read through the web
app: names that are parts of a legal or normative citation (« RGPD », « ISO 9001 »,
« L. 221-18 ») are references, listed as such, not entities; an issuer named in a decision
stays an organisation; names the model is not sure of (`EntityMention.confident`) are not
listed, neither on the page nor in the facets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import yaml
from flask.testing import FlaskClient
from web_session import signed_in_client

from watcher.config import load_watch
from watcher.find.index import SearchIndex
from watcher.model import Entry, ItemView
from watcher.store import Store
from watcher.store.users import Users
from watcher.understand.process import process_pending
from watcher.workspace import Workspace

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
EMAIL, PASSWORD = "lea@example.org", "correct horse battery"

CONFIG = {
    "watch": {"name": "Veille", "timezone": "Europe/Paris"},
    "axes": [{"id": "reglementaire", "label": "Juridique", "keywords": ["CNIL"]}],
    "groups": [{"id": "g1", "name": "Groupe 1"}],
    "sources": [
        {"id": "presse", "name": "Presse", "kind": "feed", "url": "https://presse.example.org/rss",
         "axis": "reglementaire", "groups": ["g1"]},
    ],
}  # fmt: skip

TITLE = "Données personnelles : la CNIL sanctionne un centre d'appels"
TEXT = (
    "Par la délibération SAN-2023-021 du 28 décembre 2023, la CNIL a sanctionné la société "
    "Vasseur Conseil pour des manquements au RGPD. Le centre d'appels n'était pas certifié "
    "ISO 9001. Le rapporteur a relevé que l'article L. 221-18 du code de la consommation "
    "n'était pas respecté. Selon Vasseur Conseil, les appels venaient de Lyon. Promod, un "
    "concurrent, n'est pas concerné. La Banque de France observe les prix. Le RGPD prévoit des "
    "amendes élevées. Carrefour suit l'affaire."
)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("entities")
    workspace = Workspace(root / "sources.yml")
    workspace.config.write_text(yaml.safe_dump(CONFIG, allow_unicode=True), encoding="utf-8")
    store, index = Store(workspace.db), SearchIndex(workspace.index)
    try:
        entry = Entry(
            url="https://presse.example.org/cnil",
            title=TITLE,
            summary=TEXT[:120],
            text=TEXT,
            guid="cnil",
            published=NOW - timedelta(days=1),
            language="fr",
        )
        store.store_feed("presse", ["g1"], [entry], NOW, url="https://presse", found=None)
        Users(store).add(EMAIL, "Léa", "learner", PASSWORD, group_id="g1", now=NOW)
        process_pending(load_watch(workspace.config), store, index, NOW)
    finally:
        index.close()
        store.close()
    return workspace


@pytest.fixture(scope="module")
def view(workspace: Workspace) -> ItemView:
    store = Store(workspace.db)
    try:
        return store.views([store.list_items()[0].id])[0]
    finally:
        store.close()


@pytest.fixture
def client(workspace: Workspace) -> Iterator[FlaskClient]:
    yield from signed_in_client(workspace, EMAIL, NOW)


def test_names_inside_citations_are_references_not_entities(view: ItemView) -> None:
    names = {e.name for e in view.entities}
    assert not names & {"RGPD", "ISO 9001", "L. 221-18"}
    assert {"eu:celex:32016R0679", "std:iso:9001", "fr:code:consommation:L221-18"} <= {
        r.key for r in view.refs
    }
    # the issuer of a decision is an organisation all the same
    cnil = next(e for e in view.entities if e.name == "CNIL")
    assert cnil.label == "ORG" and cnil.count == 2


def test_item_page_lists_only_the_entities_the_model_is_sure_of(
    client: FlaskClient, view: ItemView
) -> None:
    unsure = {e.name for e in view.entities if not e.confident}
    assert "Promod" in unsure  # one word, said once, no cue: right two times in three
    html = client.get(f"/g/g1/items/{view.item.id}").get_data(as_text=True)
    listed = re.search(r"<h2>Entités</h2>(.*?)</section>", html, re.S)
    assert listed is not None
    names = set(re.findall(r'q=entity:[^"]*">([^<]+)</a>', listed.group(1)))
    assert names == {e.name for e in view.entities if e.confident}
    # a well-known name (watcher/data/entity_names.yml) is sure even said once
    assert {"CNIL", "Vasseur Conseil", "Banque de France", "Carrefour"} <= names
    assert not names & (unsure | {"RGPD", "ISO 9001"})


def test_search_facets_list_only_the_entities_the_model_is_sure_of(
    client: FlaskClient, view: ItemView
) -> None:
    html = client.get("/g/g1/search", query_string={"q": "CNIL"}).get_data(as_text=True)
    assert f'href="/g/g1/items/{view.item.id}"' in html
    aside = html.split('<aside class="facets">', 1)[1].split("</aside>", 1)[0]
    block = re.search(r"<summary>Entités</summary>(.*?)</details>", aside, re.S)
    assert block is not None
    facets = set(re.findall(r'class="facet">([^<]+)</a>', block.group(1)))
    assert {"CNIL", "Vasseur Conseil", "Banque de France", "Carrefour"} <= facets
    assert not facets & {"Promod", "RGPD", "ISO 9001"}
