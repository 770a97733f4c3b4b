"""Feed sources: fetch with Scrapy, parse the bytes with feedparser (watcher.collect.feeds).

A site's home page is accepted too: its `<link rel="alternate">` feed is discovered and fetched.
The entries and the feed's HTTP validators are yielded together (`FeedEntries`) and stored in one
transaction, so a crash can never leave validators saying "seen" for entries that were not
stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from spiders.base import SourcesSpider
from watcher.collect.items import FeedEntries
from watcher.collect.settings import run_moment
from watcher.config import Source

# watcher.collect.feeds and watcher.collect.extract (feedparser, trafilatura…) are imported on
# the first feed that needs parsing: a run whose answers are all 304s never pays for them.


class FeedMixin(SourcesSpider):
    def start_feed(self, source: Source) -> Iterator[Any]:
        yield self.request(source, source.url, self.parse_feed_response, role="source")

    def parse_feed_response(self, response: Response) -> Iterator[Any]:
        source = self.sources[response.meta["source_id"]]
        result = self.results[source.id]
        if response.status == 304:
            result.not_modified = True
            return
        from watcher.collect.extract import discover_feeds, looks_like_html
        from watcher.collect.feeds import FeedError, parse_feed

        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        if looks_like_html(response.body) and not response.meta.get("discovered"):
            feeds = discover_feeds(response.text, response.url)
            if feeds:
                result.warnings.append(f"flux découvert sur la page : {feeds[0]}")
                yield self.request(
                    source, feeds[0], self.parse_feed_response, role="source", discovered=True
                )
                return
        try:
            feed = parse_feed(
                response.body,
                response.url,
                content_type=content_type,
                zone=self.watch.watch.timezone,
                now=run_moment(self.settings),
                source_name=source.name,
            )
        except FeedError as exc:
            self.fail(source, str(exc))
            return
        result.warnings.extend(feed.warnings)
        for entry in feed.entries:
            result.warnings.extend(f"« {entry.title[:60]} » : {w}" for w in entry.warnings)
        if not feed.entries:
            result.warnings.append("flux vide : aucune entrée")
        yield FeedEntries(
            source.id,
            self.groups_of(source),
            feed.entries,
            self.requested_url(response),
            self.validators_of(response),
        )
