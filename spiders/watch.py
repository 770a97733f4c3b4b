"""The one spider of a crawl run: every due source of the watch, whatever its kind.

One spider (hence one Scrapy downloader) for all sources keeps per-domain politeness global:
two sources on the same site share its throttle. Kind-specific callbacks live in
`spiders.feed`, `spiders.page`, `spiders.sitemap` and `spiders.monitor`; the bookkeeping in
`spiders.base`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from spiders.feed import FeedMixin
from spiders.monitor import MonitorMixin
from spiders.sitemap import SitemapMixin


class WatchSpider(FeedMixin, SitemapMixin, MonitorMixin):
    name = "watch"

    async def start(self) -> AsyncIterator[Any]:
        for source in self.sources.values():
            self.on_event({"event": "source_started", "source_id": source.id})
            starts = {
                "feed": self.start_feed,
                "page": self.start_page,
                "sitemap": self.start_sitemap,
                "monitor": self.start_monitor,
            }
            requests = list(starts[source.kind](source))
            if not requests:
                self._finish(source.id)
            for request in requests:
                yield request
