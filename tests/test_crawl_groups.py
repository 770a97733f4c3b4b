"""A group added to a source already crawled for another group gets what the source offers now
(and a group removed from it gets nothing new), through the crawl use case the CLI uses, against
a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from test_crawl import page_site

from conftest import Watcher, feed_source, reopened_older, rss, write
from watcher.collect.crawl import CrawlReport, fetched_in_full
from watcher.config import load_watch
from watcher.demo.server import LocalSite
from watcher.jobs import collect, open_workspace
from watcher.model import SourceResult
from watcher.store import Store

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def watcher(watcher: Watcher, database: str) -> Watcher:
    """Every test of this module on each database (SQLite, PostgreSQL)."""
    return watcher


def crawl(watcher: Watcher, now: datetime) -> CrawlReport:
    """A crawl as `watcher crawl` runs it (watcher.jobs.collect.crawl)."""
    watch = load_watch(watcher.workspace.config)
    with open_workspace(watcher.workspace) as w:
        return collect.crawl(w, watch, now)


def titles(watcher: Watcher, group_id: str) -> list[str]:
    store = watcher.store()
    try:
        return sorted(item.title for item in store.list_items(group_id=group_id))
    finally:
        store.close()


def feed(site: LocalSite, numbers: range) -> bytes:
    return rss(
        site.base,
        [
            {
                "title": f"Article {n}",
                "link": f"{site.base}/articles/{n}",
                "guid": f"guid-{n}",
                "pubDate": f"Tue, 0{n} Nov 2026 10:00:00 +0100",
                "description": f"Résumé de l'article {n} sur la relation client.",
            }
            for n in numbers
        ],
    )


def source(site: LocalSite, groups: list[str]) -> dict[str, Any]:
    return feed_source(site, "/feed.xml", id="actus", groups=groups)


def test_a_group_added_to_a_crawled_feed_gets_the_items_the_feed_shows_now(
    watcher: Watcher, site: LocalSite
) -> None:
    write(site, "feed.xml", feed(site, range(1, 4)))
    watcher.write([source(site, ["g1"])])
    assert crawl(watcher, NOW).results[0].new == 3
    write(site, "feed.xml", feed(site, range(2, 5)))  # article 1 leaves the feed
    assert crawl(watcher, NOW + timedelta(hours=2)).results[0].new == 1
    assert titles(watcher, "g1") == ["Article 1", "Article 2", "Article 3", "Article 4"]

    watcher.write([source(site, ["g1", "g2"])])  # g2 joins; the feed has not changed
    joined = crawl(watcher, NOW + timedelta(hours=4))
    assert [(r.error, r.new, r.not_modified) for r in joined.results] == [("", 0, False)]
    joined_hit = site.hits_for("/feed.xml")[-1]
    assert joined_hit.status == 200
    assert "If-None-Match" not in joined_hit.headers  # asked in full, once
    # g2 gets what the feed shows now, not the source's whole history; g1 keeps its items
    assert titles(watcher, "g2") == ["Article 2", "Article 3", "Article 4"]
    assert titles(watcher, "g1") == ["Article 1", "Article 2", "Article 3", "Article 4"]
    store = watcher.store()
    try:
        stored = store.list_items(source_id="actus")
    finally:
        store.close()
    assert len(stored) == 4  # nothing stored twice
    fetched = {item.title: item.fetched_at for item in stored}
    assert fetched["Article 2"] == NOW  # nothing dated again
    assert fetched["Article 4"] == NOW + timedelta(hours=2)

    # nothing changed since: the validators are sent again
    again = crawl(watcher, NOW + timedelta(hours=6))
    assert again.results[0].not_modified
    last = site.hits_for("/feed.xml")[-1]
    assert last.status == 304
    assert last.headers.get("If-None-Match")

    # g1 leaves the source: what the source brings next goes to g2 only
    watcher.write([source(site, ["g2"])])
    write(site, "feed.xml", feed(site, range(2, 6)))
    later = crawl(watcher, NOW + timedelta(hours=8))
    assert later.results[0].new == 1
    assert site.hits_for("/feed.xml")[-1].headers.get("If-None-Match")  # no group joined
    assert titles(watcher, "g2") == ["Article 2", "Article 3", "Article 4", "Article 5"]
    assert titles(watcher, "g1") == ["Article 1", "Article 2", "Article 3", "Article 4"]


def test_a_group_added_to_a_crawled_page_source_gets_its_articles(
    watcher: Watcher, site: LocalSite
) -> None:
    page_site(site, 4)  # a listing whose first page links to two articles
    listing = {
        "id": "lefil",
        "kind": "page",
        "url": site.base + "/actu/index.html",
        "follow": "h2.titre a::attr(href)",
        "axis": "concurrence",
        "every": "1h",
        "allow_private": True,
    }
    watcher.write([{**listing, "groups": ["g1"]}])
    assert crawl(watcher, NOW).results[0].new == 2

    watcher.write([{**listing, "groups": ["g1", "g2"]}])
    joined = crawl(watcher, NOW + timedelta(hours=2))
    assert [(r.error, r.new) for r in joined.results] == [("", 0)]
    assert titles(watcher, "g2") == ["Titre numéro 1", "Titre numéro 2"]
    assert titles(watcher, "g1") == ["Titre numéro 1", "Titre numéro 2"]
    assert [h.status for h in site.hits_for("/actu/1.html")] == [200, 200]

    again = crawl(watcher, NOW + timedelta(hours=4))
    assert again.results[0].not_modified
    assert [h.status for h in site.hits_for("/actu/index.html")] == [200, 200, 304]


def test_the_groups_a_source_was_crawled_for_are_kept_and_an_older_store_gets_the_column(
    database: str,
) -> None:
    """A store made before `fetched_for` gets it when opened (its sources' groups not known:
    each is fetched in full once); a successful crawl records its groups, a failed one not."""
    store = Store(database)
    store.record_source_result(SourceResult("actus", new=2), NOW, None)
    store = reopened_older(store, database, "source_state", "fetched_for")
    try:
        (kept,) = store.source_states().values()
        assert (kept.items_last_run, kept.fetched_for) == (2, None)
        assert fetched_in_full(("g1",), kept)
        groups = {"actus": ("g2", "g1")}
        store.record_source_results([SourceResult("actus", new=1)], NOW, lambda *_: None, groups)
        assert store.source_states()["actus"].fetched_for == ("g1", "g2")
        failed = [SourceResult("actus", error="HTTP 503")]
        store.record_source_results(failed, NOW, lambda *_: None, {"actus": ("g3",)})
        state = store.source_states()["actus"]
    finally:
        store.close()
    assert state.fetched_for == ("g1", "g2")
    assert not fetched_in_full(("g2",), state)  # a group removed: conditional GET as before
    assert fetched_in_full(("g1", "g3"), state)
