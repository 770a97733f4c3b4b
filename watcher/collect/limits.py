"""The crawl's fixed limits, in one place (no Scrapy here: `watcher status` reads them): the
numbers `watcher.collect.settings.scrapy_settings` gives Scrapy beside a watch's own `crawler:`
settings, and `crawl_allowance`, the most time they let a crawl of some sources take.

The allowance is what the distributed queue's status calls a crawl job « longue » by when that
job has no history yet (`watcher.jobs.distributed.long_bound`): past it, the job is no longer
slow within the limits the crawl enforces — something the limits do not cover holds it (the
store's database, a page that takes the CPU, the browser…), and a person should look."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from watcher.config import CrawlerSettings, Source

REDIRECT_MAX_TIMES = 5  # redirects followed from one request, each a request of its own
DNS_TIMEOUT = 20  # seconds: a name's lookup (each name is looked up once per crawl)
AUTOTHROTTLE_MAX_DELAY = 60.0  # seconds: the most AutoThrottle stretches a site's delay to
DELAY_JITTER = 1.5  # Scrapy's random delay, at most 1.5 × the delay (when the delay is not 0)
MAX_RETRY_WAIT = 30.0  # seconds: the longest `Retry-After` honoured before giving up
# requests a source of each kind makes per crawl, at most: a feed, or a page and the feed it
# names; a watched page. A page or sitemap source fetches as many articles as its listings
# name: no bound from the settings
FETCHES = {"feed": 2, "monitor": 1}


def retry_backoff(crawler: CrawlerSettings) -> float:
    """The first wait before a retry (doubled at each one), from the watch's delay."""
    return min(max(crawler.delay, 0.05), 2.0)


def fetch_allowance(crawler: CrawlerSettings) -> float:
    """The most seconds one fetch may take under the limits: each of its requests (the first,
    then up to `REDIRECT_MAX_TIMES` redirects) tried `retries` + 1 times, each attempt cut at
    `timeout` (Scrapy's timeout covers the whole answer: a site that sends a byte a minute is
    cut too) after the site's delay at its longest (AutoThrottle's ceiling, with the jitter),
    the waits between attempts (`Retry-After` up to `MAX_RETRY_WAIT`, else the backoff), and a
    name lookup."""
    timeout = crawler.timeout.total_seconds()
    slot_wait = AUTOTHROTTLE_MAX_DELAY * (DELAY_JITTER if crawler.delay > 0 else 1.0)
    backoff = retry_backoff(crawler)
    retry_waits = sum(max(MAX_RETRY_WAIT, backoff * 2**t) for t in range(crawler.retries))
    request = (crawler.retries + 1) * (slot_wait + timeout) + retry_waits + DNS_TIMEOUT
    return (1 + REDIRECT_MAX_TIMES) * request


def crawl_allowance(crawler: CrawlerSettings, sources: Iterable[Source]) -> float | None:
    """The most seconds a crawl of `sources` may take under the limits: its domains are fetched
    at once, so the longest domain's; a domain's fetches counted one after another, each at
    `fetch_allowance` (its robots.txt, then each source's `FETCHES`), and a page rendered in
    the browser twice the timeout more (the browser's start, then the page). None when one
    source has no bound (a page or sitemap source: as many articles as its listings name)."""
    fetch = fetch_allowance(crawler)
    render = 2 * crawler.timeout.total_seconds()
    domains: dict[str, float] = {}
    for source in sources:
        if source.kind not in FETCHES:
            return None
        host = (urlsplit(str(source.url)).hostname or "").lower()
        cost = FETCHES[source.kind] * fetch + (render if source.render == "browser" else 0.0)
        domains[host] = domains.get(host, fetch) + cost  # the domain's robots.txt first
    return max(domains.values(), default=0.0)
