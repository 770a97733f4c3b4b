"""The item pipeline: what the spiders yield (`watcher.collect.items`) goes to the store here.

Each item is written in one transaction with what must go with it (a feed's entries with its
validators, an article with its removal from the frontier…; see `watcher.store.crawl`), so a
crawl killed at any point loses nothing and duplicates nothing. The pipeline sets on each item
what the spider needs back (outcomes, the links now in the frontier): the spider counts them
when Scrapy reports the item stored (`item_scraped`).

Every collected text has its mojibake repaired here, once, before it is stored
(`watcher.collect.repair`): the entries of feeds and articles, a watched page's text.

The database and the crawl's moment come from the crawler's settings (`WATCHER_DATABASE`,
`WATCHER_NOW`: `watcher.collect.settings`, whose `crawl_store` the middlewares share).
"""

from __future__ import annotations

from datetime import datetime

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from watcher.changes import PageVersion, change_entry
from watcher.collect.items import (
    ArticleFailed,
    ArticleNotModified,
    ArticlePage,
    CrawlItem,
    FeedEntries,
    FrontierLinks,
    WatchedPage,
)
from watcher.collect.repair import repair_entry, repair_snapshot
from watcher.collect.settings import crawl_store, run_moment
from watcher.model import Entry
from watcher.store.crawl import CrawlStore


class StorePipeline:
    def __init__(self, store: CrawlStore, now: datetime) -> None:
        self.store = store
        self.now = now  # every item of the run is stamped as fetched at this moment

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        store = crawl_store(crawler)
        if store is None:
            raise NotConfigured("a crawl without a store keeps nothing")
        return cls(store, run_moment(crawler.settings))

    def process_item(self, item: CrawlItem) -> CrawlItem:
        store = self.store
        match item:
            case FeedEntries():
                item.entries = [repair_entry(entry) for entry in item.entries]
                item.outcomes = store.store_feed(
                    item.source_id,
                    item.groups,
                    item.entries,
                    self.now,
                    url=item.url,
                    found=item.validators,
                )
            case FrontierLinks():
                item.kept = store.add_to_frontier(
                    item.source_id,
                    item.links,
                    self.now,
                    listing_url=item.page_url,
                    found=item.validators,
                )
            case ArticlePage():
                item.entry = repair_entry(item.entry)
                item.outcome = store.store_article(
                    item.source_id,
                    item.groups,
                    item.entry,
                    self.now,
                    frontier_url=item.frontier_url,
                    found=item.validators,
                )
            case ArticleNotModified():
                store.store_article_unchanged(item.source_id, item.frontier_url)
            case ArticleFailed():
                store.drop_from_frontier(item.source_id, item.frontier_url)
            case WatchedPage():
                item.snapshot = repair_snapshot(item.snapshot)
                page = item

                def describe(last: PageVersion, number: int) -> Entry | None:
                    return change_entry(
                        page.page,
                        page.url,
                        number,
                        last,
                        page.snapshot,
                        trigger=page.trigger,
                        language=page.language,
                    )

                item.outcome = store.store_watched_page(
                    item.source_id,
                    item.groups,
                    item.snapshot,
                    self.now,
                    url=item.url,
                    found=item.validators,
                    describe=describe,
                )
        return item
