"""Politeness and safety that Scrapy does not do by itself: two downloader middlewares.

- `AddressGuardMiddleware` refuses requests (redirects and robots.txt included) to loopback,
  private, link-local and reserved addresses unless the source says `allow_private: true`.
- `PoliteRetryMiddleware` is Scrapy's RetryMiddleware with exponential backoff between tries
  and `Retry-After` honoured: a short wait is waited, a long one ends the source's crawl and is
  remembered so the source is not asked again before then.

Everything else (robots.txt, AutoThrottle, per-domain concurrency, size caps, timeouts,
redirect limits) is Scrapy's own, configured in `watcher.crawl.scrapy_settings`.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from watcher.urls import is_public_address, resolve_addresses

MAX_WAIT = "WATCHER_MAX_RETRY_WAIT"  # setting: longest Retry-After we wait for in-run (s)
BACKOFF_BASE = "WATCHER_RETRY_BACKOFF"  # setting: first backoff between retries (s)
PRIVATE_HOSTS = "WATCHER_PRIVATE_HOSTS"  # setting: hosts of sources with allow_private


class BlockedAddress(IgnoreRequest):
    """The request pointed to a private or local address the source did not allow."""


class RetryLater(IgnoreRequest):
    """The server asked us to come back later than we are willing to wait now."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"Retry-After {seconds:.0f}s")
        self.seconds = seconds


class AddressGuardMiddleware:
    def __init__(self, private_hosts: set[str]) -> None:
        self.private_hosts = private_hosts
        self.cache: dict[str, bool] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        hosts = {str(h).lower() for h in crawler.settings.getlist(PRIVATE_HOSTS)}
        return cls(hosts)

    def _public(self, host: str) -> bool:
        if host not in self.cache:
            try:
                addresses = resolve_addresses(host)
            except OSError:
                return True  # unresolvable: let the download fail with a DNS error
            self.cache[host] = bool(addresses) and all(is_public_address(a) for a in addresses)
        return self.cache[host]

    def process_request(self, request: Request) -> None:
        host = (urlsplit(request.url).hostname or "").lower()
        if "source_id" in request.meta:  # a source's request (or a redirect of one)
            if request.meta.get("allow_private"):
                return
        elif host in self.private_hosts:  # robots.txt of a host some source allowed
            return
        if not self._public(host):
            raise BlockedAddress(f"adresse privée ou locale refusée : {host}")


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
