"""The article of an act an item cites (its pinpoint) is kept from processing to the pages.

Items are stored through the Store, processed by the real pipeline (spaCy, references, the
Whoosh index), then read through the web app (Flask test client): the item page, the search
page and the dossier's list of legal texts. A store made before pinpoints were kept is upgraded
when opened, loses nothing, and gets them at the next processing.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from flask.testing import FlaskClient
from web_session import signed_in_client

from watcher.config import load_watch
from watcher.find.index import SearchIndex
from watcher.model import Entry, Pinpoint
from watcher.store import Store
from watcher.store.users import Users
from watcher.understand.process import ProcessReport, process_pending
from watcher.workspace import Workspace

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
EMAIL, PASSWORD = "lea@example.org", "correct horse battery"
LOI = "fr:loi:2016-731"
ELI = "https://www.legifrance.gouv.fr/eli/loi/2016/6/3/2016-731/jo"
RGPD = "eu:celex:32016R0679"

CONFIG = {
    "watch": {"name": "Veille juridique", "timezone": "Europe/Paris"},
    "axes": [{"id": "reglementaire", "label": "Juridique", "keywords": ["loi"]}],
    "groups": [{"id": "g1", "name": "Groupe 1"}],
    "sources": [
        {"id": "legal", "name": "Veille légale", "kind": "feed",
         "url": "https://legal.example.org/rss", "axis": "reglementaire", "groups": ["g1"]},
    ],
}  # fmt: skip

# Sentences as legal news write them (the citations are those of real texts).
TEXTS = {
    "a": (
        "Données clients : ce que rappelle la CNIL",
        "La CNIL rappelle que tout traitement doit reposer sur l'une des bases légales de "
        "l'article 6, paragraphe 1, du RGPD, et que l'article 17 du RGPD consacre le droit à "
        "l'effacement. Le délai de rétractation reste fixé par l'article L. 221-18 du code de la "
        "consommation. L'article 82 de la loi n° 2016-731 du 3 juin 2016 est également cité.",
    ),
    "b": (
        "Procédure pénale : une circulaire précise la loi de 2016",
        "Une circulaire du ministère de la Justice commente l'article 12 de la loi n° 2016-731 "
        "du 3 juin 2016 renforçant la lutte contre le crime organisé.",
    ),
    "c": (
        "Une loi de 2016 toujours discutée",
        "Plusieurs associations demandent une évaluation de la loi n° 2016-731 du 3 juin 2016.",
    ),
}


def _process(workspace: Workspace) -> ProcessReport:
    watch = load_watch(workspace.config)
    store, index = Store(workspace.db), SearchIndex(workspace.index)
    try:
        return process_pending(watch, store, index, NOW)
    finally:
        index.close()
        store.close()


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, dict[str, int]]:
    root = tmp_path_factory.mktemp("pinpoints")
    workspace = Workspace(root / "sources.yml")
    workspace.config.write_text(yaml.safe_dump(CONFIG, allow_unicode=True), encoding="utf-8")
    store = Store(workspace.db)
    entries = [
        Entry(url=f"https://legal.example.org/{key}", title=title, summary=text[:120], text=text,
              guid=key, published=NOW - timedelta(days=n + 1), language="fr")
        for n, (key, (title, text)) in enumerate(TEXTS.items())
    ]  # fmt: skip
    store.store_feed("legal", ["g1"], entries, NOW, url="https://legal", found=None)
    ids = {item.guid: item.id for item in store.list_items()}
    Users(store).add(EMAIL, "Léa", "learner", PASSWORD, group_id="g1", now=NOW)
    store.close()
    _process(workspace)
    return workspace, ids


@pytest.fixture
def client(processed: tuple[Workspace, dict[str, int]]) -> Iterator[FlaskClient]:
    yield from signed_in_client(processed[0], EMAIL, NOW)


def _section(html: str, title: str) -> str:
    """The page's <section> whose heading is `title`."""
    found = re.search(rf"<h2>{title}</h2>(.*?)</section>", html, re.S)
    assert found, f"no section {title!r}"
    return found.group(1)


def test_processing_keeps_the_articles_cited_with_each_act(
    processed: tuple[Workspace, dict[str, int]],
) -> None:
    workspace, ids = processed
    store = Store(workspace.db)
    try:
        view = store.views([ids["a"]])[0]
    finally:
        store.close()
    refs = {r.key: r for r in view.refs}
    assert refs[RGPD].pinpoints == (Pinpoint("art-6"), Pinpoint("art-17"))
    assert refs[LOI].pinpoints == (Pinpoint("art-82", f"{ELI}/article_82"),)
    assert refs[LOI].full_keys() == (f"{LOI}#art-82",)
    # a code article carries its article in its key
    assert refs["fr:code:consommation:L221-18"].pinpoints == ()


def test_item_page_shows_the_articles_cited_linked_to_legifrance(
    client: FlaskClient, processed: tuple[Workspace, dict[str, int]]
) -> None:
    _workspace, ids = processed
    html = client.get(f"/g/g1/items/{ids['a']}").get_data(as_text=True)
    refs = _section(html, "Textes de référence")
    assert f'<a href="{ELI}/article_82" rel="noopener noreferrer">art. 82</a>' in refs
    assert "articles cités : art. 6, art. 17" in refs  # EUR-Lex has no article link to build
    assert "art. L. 221-18" in refs
    other = _section(
        client.get(f"/g/g1/items/{ids['c']}").get_data(as_text=True), "Textes de référence"
    )
    assert "article cité" not in other  # the act alone


def test_search_finds_the_items_citing_an_article(
    client: FlaskClient, processed: tuple[Workspace, dict[str, int]]
) -> None:
    _workspace, ids = processed

    def found(query: str) -> set[int]:
        html = client.get("/g/g1/search", query_string={"q": query}).get_data(as_text=True)
        return {int(n) for n in re.findall(r'href="/g/g1/items/(\d+)"', html)}

    assert found(f"ref:{LOI}") == {ids["a"], ids["b"], ids["c"]}
    assert found(f"ref:{LOI}#art-82") == {ids["a"]}
    assert found(f"ref:{LOI}#art-12") == {ids["b"]}
    assert found(f"ref:{RGPD}#art-17") == {ids["a"]}


def test_dossier_lists_the_articles_cited_of_each_text(client: FlaskClient) -> None:
    period = {"from": "2026-11-01", "to": "2026-11-30"}
    html = client.get("/g/g1/dossier/full", query_string=period).get_data(as_text=True)
    legal = html.split('id="textes"', 1)[1].split('id="actions"', 1)[0]
    row = next(r for r in legal.split("<tr>") if "L. n° 2016-731" in r)
    assert (
        f'articles cités : <a href="{ELI}/article_12">art. 12</a>, '
        f'<a href="{ELI}/article_82">art. 82</a>'
    ) in row
    rgpd = next(r for r in legal.split("<tr>") if "2016/679" in r)
    assert "articles cités : art. 6, art. 17" in rgpd


def test_an_older_store_is_upgraded_and_gets_its_pinpoints_at_the_next_processing(
    processed: tuple[Workspace, dict[str, int]], tmp_path: Path
) -> None:
    workspace, ids = processed
    copy = Workspace(tmp_path / "sources.yml")
    copy.config.write_bytes(workspace.config.read_bytes())
    with sqlite3.connect(workspace.db) as source, sqlite3.connect(copy.db) as target:
        source.backup(target)
    shutil.copytree(workspace.index, copy.index)  # the index as that store made it
    columns = "item_id, key, kind, label, url, link, text, count"
    with sqlite3.connect(copy.db) as db:  # the table as schema 1 had it
        before = db.execute(f"SELECT {columns} FROM item_refs").fetchall()
        db.executescript(
            f"""CREATE TABLE old AS SELECT {columns} FROM item_refs;
            DROP TABLE item_refs; ALTER TABLE old RENAME TO item_refs;
            DELETE FROM meta WHERE key = 'schema_digest';"""
        )
    assert before
    store = Store(copy.db)  # opening it upgrades it
    try:
        views = {v.item.id: v for v in store.views(list(ids.values()))}
        pending = {item.id for item in store.pending_enrichment()}
    finally:
        store.close()
    with sqlite3.connect(copy.db) as db:
        assert sorted(db.execute(f"SELECT {columns} FROM item_refs").fetchall()) == sorted(before)
    assert all(r.pinpoints == () for v in views.values() for r in v.refs)
    assert pending == set(ids.values())  # each cites an act: enriched again by the next run
    report = _process(copy)
    # enriched again, and indexed again (the index held the enrichment made before)
    assert (report.enriched, report.indexed, report.healed) == (3, 3, 0)
    store = Store(copy.db)
    try:
        refs = {r.key: r for r in store.views([ids["b"]])[0].refs}
    finally:
        store.close()
    assert refs[LOI].pinpoints == (Pinpoint("art-12", f"{ELI}/article_12"),)
    # the item is found by the article it cites
    index = SearchIndex(copy.index)
    try:
        found = index.search(f"ref:{LOI}#art-12", groups=["g1"], now=NOW)
    finally:
        index.close()
    assert [hit.item_id for hit in found.hits] == [ids["b"]]
