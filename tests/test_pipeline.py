"""The item pipeline: what the spiders yield reaches the store here, each item in one transaction
(the crawls of tests/test_crawl.py and the kills of tests/test_crash.py run it end to end)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from watcher.collect.items import (
    ArticleFailed,
    ArticleNotModified,
    ArticlePage,
    FeedEntries,
    FrontierLinks,
)
from watcher.collect.pipeline import StorePipeline
from watcher.model import Entry, Validators
from watcher.store import Store
from watcher.store.crawl import CrawlStore
from watcher.store.schema import connect

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
SITE = "https://exemple.fr"


@pytest.fixture
def db(database: str) -> str:
    """The store, on each database (SQLite, PostgreSQL)."""
    return database


@pytest.fixture
def pipeline(db: str) -> Iterator[StorePipeline]:
    Store(db).close()  # the crawl child makes the store ready before the crawl
    store = CrawlStore(connect(db))
    yield StorePipeline(store, NOW)
    store.close()


RSS = ("actus", f"{SITE}/rss")  # (source, URL): what validators are kept under
LISTE = ("liste", f"{SITE}/liste")


def entry(n: int, guid: str = "") -> Entry:
    return Entry(url=f"{SITE}/a/{n}", title=f"Article {n}", text=f"Texte {n}.", guid=guid)


def test_a_feeds_entries_and_validators_are_stored_and_a_deleted_url_stays_out(
    pipeline: StorePipeline, db: str
) -> None:
    feed = FeedEntries("actus", ("g1",), [entry(1), entry(2)], f"{SITE}/rss", Validators("e1"))
    assert pipeline.process_item(feed) is feed
    assert feed.outcomes == ["new", "new"]
    store = Store(db)
    try:
        victim = next(i for i in store.list_items() if i.title == "Article 1")
        store.delete_item(victim.id, NOW, "ines")
        assert store.validators_for([RSS]) == {RSS: Validators("e1")}
        assert store.validators_for([("autre", RSS[1])]) == {}  # kept for its source only
    finally:
        store.close()

    # the deleted article comes back under another identity (a new GUID): it stays out
    again = FeedEntries(
        "actus", ("g1",), [entry(1, guid="autre"), entry(2)], f"{SITE}/rss", Validators("e2")
    )
    pipeline.process_item(again)
    assert again.outcomes == ["unchanged"]
    store = Store(db)
    try:
        assert [i.title for i in store.list_items()] == ["Article 2"]
        assert store.validators_for([RSS])[RSS] == Validators("e2")
    finally:
        store.close()


def test_links_join_the_frontier_once_and_a_deleted_url_stays_out(
    pipeline: StorePipeline, db: str
) -> None:
    page = ArticlePage("liste", ("g1",), entry(1), f"{SITE}/a/1", Validators(last_modified="hier"))
    pipeline.process_item(page)
    store = Store(db)
    try:
        store.delete_item(store.list_items()[0].id, NOW, "ines")
        store.add_to_frontier("liste", [f"{SITE}/a/3"], NOW - timedelta(days=1))
    finally:
        store.close()

    links = [f"{SITE}/a/{n}" for n in (2, 1, 3, 2)]
    found = FrontierLinks("liste", links, f"{SITE}/liste", Validators("l1"))
    pipeline.process_item(found)
    assert found.kept == [f"{SITE}/a/2", f"{SITE}/a/3"]  # in order, once, /a/1 left out
    store = Store(db)
    try:
        assert store.frontiers(["liste"]) == {"liste": [f"{SITE}/a/3", f"{SITE}/a/2"]}
        assert store.validators_for([LISTE]) == {LISTE: Validators("l1")}
    finally:
        store.close()


def test_an_article_leaves_the_frontier_stored_unchanged_or_after_three_failures(
    pipeline: StorePipeline, db: str
) -> None:
    urls = [f"{SITE}/a/{n}" for n in (1, 2, 3)]
    pipeline.process_item(FrontierLinks("liste", urls, f"{SITE}/liste", Validators()))

    stored = ArticlePage("liste", ("g1",), entry(1), urls[0], Validators("a1"))
    pipeline.process_item(stored)
    assert stored.outcome == "new"
    pipeline.process_item(ArticleNotModified("liste", urls[1]))
    for _ in range(2):
        pipeline.process_item(ArticleFailed("liste", urls[2]))
    store = Store(db)
    try:
        assert store.frontiers(["liste"]) == {"liste": [urls[2]]}  # tried again next time
        assert store.validators_for([("liste", urls[0])]) == {("liste", urls[0]): Validators("a1")}
        assert [(i.title, i.fetched_at, i.groups) for i in store.list_items()] == [
            ("Article 1", NOW, ("g1",))
        ]
    finally:
        store.close()
    pipeline.process_item(ArticleFailed("liste", urls[2]))
    store = Store(db)
    try:
        assert store.frontiers(["liste"]) == {}  # the third failure forgets it
    finally:
        store.close()
