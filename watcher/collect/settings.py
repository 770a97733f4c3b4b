"""Scrapy's settings for a crawl: politeness and safety in one place, and the few settings of
Watcher's own components (the store's location and the crawl's moment, read by the item pipeline
and the middlewares: `WATCHER_DATABASE`, `WATCHER_NOW`); `crawl_store` opens that store once
per crawl for all of them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from scrapy import signals
from scrapy.crawler import Crawler

from watcher.collect.limits import (
    AUTOTHROTTLE_MAX_DELAY,
    DNS_TIMEOUT,
    MAX_RETRY_WAIT,
    REDIRECT_MAX_TIMES,
    retry_backoff,
)
from watcher.config import Watch
from watcher.store.crawl import CrawlStore
from watcher.store.schema import connect, database_url
from watcher.urls import HTTP_SCHEMES, origin_of

USER_AGENT = "Watcher/0.1 (veille RNCP 32204; +{contact})"
DATABASE = "WATCHER_DATABASE"  # the store's SQLAlchemy URL (None: nothing is stored)
NOW = "WATCHER_NOW"  # the crawl's moment: items are stamped with it, robots.txt ages by it


def run_moment(settings: Any) -> datetime:
    """The crawl's moment (`WATCHER_NOW`), or the clock's when a crawl was given none."""
    now = settings.get(NOW)
    return now if isinstance(now, datetime) else datetime.now(UTC)


_stores: WeakKeyDictionary[Crawler, CrawlStore] = WeakKeyDictionary()


def crawl_store(crawler: Crawler) -> CrawlStore | None:
    """The crawl area of the store the crawl's settings name (`WATCHER_DATABASE`; None: a crawl
    that keeps nothing): one engine per crawl, shared by the item pipeline and the middlewares,
    closed with the spider."""
    database = crawler.settings.get(DATABASE)
    if not database:
        return None
    if crawler not in _stores:
        store = _stores[crawler] = CrawlStore(connect(database))
        crawler.signals.connect(store.close, signal=signals.spider_closed, weak=False)
    return _stores[crawler]


UNUSED_COMPONENTS = frozenset(
    {
        "scrapy.extensions.telnet.TelnetConsole",
        "scrapy.extensions.remote_control.RemoteControl",
        "scrapy.extensions.memdebug.MemoryDebugger",
        "scrapy.extensions.feedexport.FeedExporter",
        "scrapy.extensions.spiderstate.SpiderState",
        "scrapy.extensions.logstats.LogStats",
        "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",  # COOKIES_ENABLED is False
    }
)


def _without_unused(base: dict[str, int]) -> dict[str, int]:
    return {path: order for path, order in base.items() if path not in UNUSED_COMPONENTS}


def private_origins(watch: Watch) -> dict[str, list[str]]:
    """The private origins each source with `allow_private: true` may reach: its own url's
    and those it lists in `private_origins` (watcher.collect.guard)."""
    return {
        source.id: sorted({origin_of(source.url), *source.private_origins})
        for source in watch.sources
        if source.allow_private
    }


MAX_CONCURRENT_REQUESTS = 128  # our own limit, all sites together (sockets, memory)


def scrapy_settings(
    watch: Watch,
    log_file: Path | None,
    *,
    database: str | Path | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The settings of a crawl of `watch` that stores what it finds in `database` (a path or a
    URL; None: a crawl that stores nothing, for the tests of the settings) as fetched at `now`."""
    from scrapy.settings import default_settings

    crawler = watch.crawler
    hosts = {(urlsplit(s.url).hostname or "").lower() for s in watch.sources}
    return {
        "BOT_NAME": "watcher",
        "USER_AGENT": USER_AGENT.format(contact=watch.watch.contact),
        "ROBOTSTXT_OBEY": True,  # robots.txt kept 24 h in the store: CachedRobotsTxtMiddleware
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": max(crawler.delay, 0.01),
        "AUTOTHROTTLE_MAX_DELAY": AUTOTHROTTLE_MAX_DELAY,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_DELAY": crawler.delay,
        "RANDOMIZE_DOWNLOAD_DELAY": crawler.delay > 0,
        # Politeness is per site (delay and per_domain above and here); the total only bounds
        # our own resources. With 16 in all, a watch of many sites could not even reach one
        # request per site and delay: requests waiting out a site's delay count in the total.
        "CONCURRENT_REQUESTS": max(
            16, min(MAX_CONCURRENT_REQUESTS, crawler.per_domain * len(hosts))
        ),
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawler.per_domain,
        # (Scrapy 2.19's default, stated:) next request from the site with the fewest in flight
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
        # Each response yields at most a few items (a feed's entries go as one); Scrapy starts
        # this many asyncio tasks for the output of every response (100 by default: most of
        # the CPU of a 304 answer).
        "CONCURRENT_ITEMS": 1,
        # A development check that reads and parses each callback's source; ours are closures
        # made per request, so it parsed spiders/base.py again for every answer.
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        "DOWNLOAD_TIMEOUT": int(crawler.timeout.total_seconds()),
        "DNS_TIMEOUT": DNS_TIMEOUT,
        "DOWNLOAD_MAXSIZE": crawler.max_size,
        "DOWNLOAD_WARNSIZE": max(crawler.max_size // 2, 1),
        "RETRY_ENABLED": True,
        "RETRY_TIMES": crawler.retries,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "REDIRECT_MAX_TIMES": REDIRECT_MAX_TIMES,
        "HTTPERROR_ALLOWED_CODES": [304],
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        # Scrapy imports every component named in the *_BASE settings, even those disabled with
        # None: the ones a crawl never uses (telnet, the remote-control web server, feed exports,
        # cookies…: ~0.4 s of imports in every run's child) are left out of the bases.
        "EXTENSIONS_BASE": _without_unused(default_settings.EXTENSIONS_BASE),
        "DOWNLOADER_MIDDLEWARES_BASE": _without_unused(
            default_settings.DOWNLOADER_MIDDLEWARES_BASE
        ),
        # http and https only: no file:, data:, ftp: or s3: download, whatever a page says
        "DOWNLOAD_HANDLERS_BASE": {
            scheme: default_settings.DOWNLOAD_HANDLERS_BASE[scheme] for scheme in HTTP_SCHEMES
        },
        "DOWNLOAD_HANDLERS": {
            scheme: None
            for scheme in default_settings.DOWNLOAD_HANDLERS_BASE
            if scheme not in HTTP_SCHEMES
        },
        # each host name looked up once; connections go to the addresses the guard checked
        "TWISTED_DNS_RESOLVER": "watcher.collect.guard.PinnedResolver",
        "HTTPCACHE_ENABLED": False,
        "DOWNLOADER_MIDDLEWARES": {
            "watcher.collect.guard.AddressGuardMiddleware": 50,
            "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
            "watcher.collect.guard.CheckedRedirectMiddleware": 600,
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "watcher.collect.politeness.CachedRobotsTxtMiddleware": 100,
            "watcher.collect.politeness.ConditionalGetMiddleware": 120,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "watcher.collect.politeness.PoliteRetryMiddleware": 550,
        },
        # an address too long is refused by the guard, which says so for its source: Scrapy's
        # own check dropped the request unsaid, and its source was never done
        "SPIDER_MIDDLEWARES": {"scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None},
        # what the spiders yield goes to the store (one transaction per item)
        "ITEM_PIPELINES": {"watcher.collect.pipeline.StorePipeline": 300},
        DATABASE: database_url(database) if database is not None else None,
        NOW: now,
        "WATCHER_PRIVATE_ORIGINS": private_origins(watch),
        "WATCHER_MAX_RETRY_WAIT": MAX_RETRY_WAIT,
        "WATCHER_RETRY_BACKOFF": retry_backoff(crawler),
        "LOG_LEVEL": "INFO",
        "LOG_FILE": str(log_file) if log_file else None,
        "LOG_FILE_APPEND": True,
        "LOG_ENABLED": log_file is not None,
        "LOGSTATS_INTERVAL": 0,
    }
