"""Politeness that Scrapy does not do by itself: three downloader middlewares. (Safety, the
address guard, is in `watcher.collect.guard`.)

- `PoliteRetryMiddleware` is Scrapy's RetryMiddleware with exponential backoff between tries
  and `Retry-After` honoured: a short wait is waited, a long one ends the source's crawl and is
  remembered so the source is not asked again before then.
- `CachedRobotsTxtMiddleware` is Scrapy's RobotsTxtMiddleware with each site's robots.txt kept
  in the store (RFC 9309 §2.4): reused for 24 h, then asked again with a conditional GET (a 304
  keeps the cached rules); when the site cannot be reached, the stale copy is used.
- `ConditionalGetMiddleware` asks only for what changed: a request marked `conditional` carries
  the validators the store kept for its URL and its source (If-None-Match / If-Modified-Since),
  so an unchanged page answers 304 with no body.

Both read the store whose location the crawl's settings give (`WATCHER_DATABASE`). Everything
else (AutoThrottle, per-domain concurrency, size caps, timeouts, redirect limits) is Scrapy's
own, configured in `watcher.collect.settings.scrapy_settings`.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

from watcher.collect.settings import crawl_store, run_moment
from watcher.model import CachedRobots, Validators

logger = logging.getLogger(__name__)

MAX_WAIT = "WATCHER_MAX_RETRY_WAIT"  # setting: longest Retry-After we wait for in-run (s)
BACKOFF_BASE = "WATCHER_RETRY_BACKOFF"  # setting: first backoff between retries (s)
CONDITIONAL = "conditional"  # request meta: ask with its source's stored validators of its URL


class RetryLater(IgnoreRequest):
    """The server asked us to come back later than we are willing to wait now."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"Retry-After {seconds:.0f}s")
        self.seconds = seconds


def retry_after_seconds(value: bytes | str | None, now: datetime) -> float | None:
    """Seconds asked by a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class PoliteRetryMiddleware(RetryMiddleware):
    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.max_wait = settings.getfloat(MAX_WAIT, 30.0)
        self.backoff = settings.getfloat(BACKOFF_BASE, 1.0)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        asked = retry_after_seconds(response.headers.get("Retry-After"), datetime.now(UTC))
        if asked is not None and asked > self.max_wait:
            raise RetryLater(asked)
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            if asked is not None:
                raise RetryLater(asked)
            return response
        await asyncio.sleep(asked if asked is not None else self._delay(request))
        return retry

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await asyncio.sleep(self._delay(request))
        return retry

    def _delay(self, request: Request) -> float:
        tries = int(request.meta.get("retry_times", 0))
        return float(self.backoff * (2**tries))


# --- robots.txt, cached in the store --------------------------------------------------------


def _relay(shared: Deferred[Any]) -> Deferred[Any]:
    """A Deferred of one's own that fires with what `shared` fires with.

    Several requests wait for one site's robots.txt. Awaiting the shared Deferred itself
    (`maybe_deferred_to_future` adds a callback that returns None) would hand None, that is "no
    robots.txt, everything allowed", to every waiter but the first: Scrapy 2.19's own
    RobotsTxtMiddleware does exactly that. Each waiter gets its own copy instead."""
    own: Deferred[Any] = Deferred()

    def forward(result: Any) -> Any:
        own.callback(result)
        return result  # unchanged, for the next waiter

    shared.addBoth(forward)
    return own


def _validators(response: Response, before: Validators | None) -> Validators:
    found = Validators.from_headers(response.headers)
    if response.status == 304 and before is not None:  # a 304 may omit them: keep ours
        return Validators(found.etag or before.etag, found.last_modified or before.last_modified)
    return found


class CachedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's RobotsTxtMiddleware (same parser, same rules for every request) with the
    robots.txt of each site kept in the store:

    - a copy fetched or confirmed less than 24 h before the run's time is used as is;
    - an older one is asked again with If-None-Match / If-Modified-Since: a 304 keeps the
      cached rules (and restarts the 24 h), a 200 replaces them, a 4xx means no rules;
    - a server error or an unreachable site keeps the stale copy (RFC 9309 §2.3.1.4, §2.4);
      with no copy at all, Scrapy's own behaviour applies.

    A crawl without a store (no `WATCHER_DATABASE`) gets the same, uncached. Unlike Scrapy's own
    middleware, every request that waits for a site's robots.txt gets its rules (see `_relay`)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._store = crawl_store(crawler)
        self._copies: dict[str, CachedRobots] | None = None  # by origin, read once per run
        self._moment = run_moment(crawler.settings)

    def _kept(self) -> dict[str, CachedRobots] | None:
        """The store's robots.txt copies (None: a crawl without a store keeps nothing)."""
        if self._copies is None and self._store is not None:
            self._copies = self._store.robots_copies()
        return self._copies

    async def robot_parser(self, request: Request) -> Any:
        url = urlparse_cached(request)
        netloc = url.netloc
        if netloc in self._parsers:
            known = self._parsers[netloc]
            if isinstance(known, Deferred):  # being fetched by another request: wait for it
                return await maybe_deferred_to_future(_relay(known))
            return known
        kept = self._kept()
        origin = f"{url.scheme}://{netloc}"
        cached = kept.get(origin) if kept is not None else None
        now = self._moment
        if cached is not None and cached.fresh(now):
            self._stats.inc_value("robotstxt/cached")
            return await self._install(netloc, cached.body, request)
        self._parsers[netloc] = Deferred()
        robots_request = Request(
            f"{origin}/robots.txt",
            priority=self.DOWNLOAD_PRIORITY,
            headers=cached.validators.headers() if cached else None,
            meta={"dont_obey_robotstxt": True},
            callback=NO_CALLBACK,
        )
        self._stats.inc_value("robotstxt/request_count")
        try:
            response = await self.crawler.engine.download_async(robots_request)
        except Exception as exc:
            if cached is not None:  # unreachable: the stale copy still says what is allowed
                self._stats.inc_value("robotstxt/stale_used")
                return await self._install(netloc, cached.body, request)
            if not isinstance(exc, IgnoreRequest):
                logger.error(
                    "Error downloading %(request)s: %(error)s",
                    {"request": robots_request, "error": exc},
                    exc_info=True,
                    extra={"spider": self.crawler.spider},
                )
            self._robots_error(exc, netloc)
            return None
        status = response.status
        self._stats.inc_value("robotstxt/response_count")
        self._stats.inc_value(f"robotstxt/response_status_count/{status}")
        if status == 304 and cached is not None:
            body = cached.body
            status = cached.status
        elif 200 <= status < 300:
            body = response.body
        elif 400 <= status < 500 and status != 429:  # "unavailable": no rules (§2.3.1.3)
            body = b""
        elif cached is not None:  # 429, 5xx: the stale copy (§2.3.1.4)
            self._stats.inc_value("robotstxt/stale_used")
            return await self._install(netloc, cached.body, request)
        else:  # no copy: as Scrapy does
            return await self._install(netloc, response.body, request)
        before = cached.validators if cached is not None else None
        entry = CachedRobots(body, status, _validators(response, before), now)
        if kept is not None and self._store is not None:
            kept[origin] = entry
            self._store.save_robots(origin, entry)
        return await self._install(netloc, body, request)

    async def _install(self, netloc: str, body: bytes, request: Request) -> Any:
        parser = build_from_crawler(self._parserimpl, self.crawler, body)
        waiting = self._parsers.get(netloc)
        self._parsers[netloc] = parser
        if isinstance(waiting, Deferred):
            waiting.callback(parser)
        await self.crawler.signals.send_catch_log_async(
            signal=signals.robots_parsed, robotparser=parser, request=request
        )
        return parser


# --- conditional GET, from the validators kept in the store ---------------------------------


class ConditionalGetMiddleware:
    """Adds to each request marked `conditional` (meta) the validators the store kept for its
    URL and its source (two sources that reach one address are each answered for what they
    fetched themselves). Those of the URLs the spider starts with (`start_keys`: the sources'
    own and their frontiers) are read in one query; any other URL is looked up when it is
    requested. A request is given its headers once (retries and redirects keep them, as
    they are)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._store = crawl_store(crawler)
        # the start URLs, read at the first request: their validators, None for those with none
        self._primed: dict[tuple[str, str], Validators | None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if self._store is None or not request.meta.get(CONDITIONAL):
            return
        request.meta[CONDITIONAL] = False  # done: a retry or a redirect keeps these headers
        if self._primed is None:
            spider = self.crawler.spider
            starts: list[tuple[str, str]] = list(getattr(spider, "start_keys", []))
            found = self._store.validators_for(starts)
            self._primed = {key: found.get(key) for key in starts}
        key = (str(request.meta.get("source_id", "")), request.url)
        if key in self._primed:  # serves once: asked again, the URL may have been stored since
            known = self._primed.pop(key)
        else:
            known = self._store.validators_for([key]).get(key)
        if known is not None:
            for name, value in known.headers().items():
                request.headers.setdefault(name, value)
