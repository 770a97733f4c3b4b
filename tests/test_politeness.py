"""Address guard and Retry-After parsing, on real Scrapy requests (no network needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy import Request

from watcher.config import Source, parse_watch
from watcher.crawl import backoff_until, scrapy_settings
from watcher.model import SourceResult
from watcher.politeness import AddressGuardMiddleware, BlockedAddress, retry_after_seconds

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def guard(*private_hosts: str) -> AddressGuardMiddleware:
    return AddressGuardMiddleware(set(private_hosts))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/feed.xml",
        "http://localhost/feed.xml",
        "http://10.1.2.3/",
        "http://192.168.1.10/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://100.100.100.200/",
    ],
)
def test_private_addresses_are_refused_even_after_a_redirect(url: str) -> None:
    # a redirect keeps the source's meta: the redirected request is checked again
    request = Request(url, meta={"source_id": "presse", "allow_private": False})
    with pytest.raises(BlockedAddress):
        guard().process_request(request)


def test_public_addresses_and_allowed_sources_pass() -> None:
    guard().process_request(Request("http://93.184.216.34/feed.xml", meta={"source_id": "a"}))
    allowed = Request(
        "http://127.0.0.1/feed.xml", meta={"source_id": "demo", "allow_private": True}
    )
    guard().process_request(allowed)


def test_robots_txt_of_a_private_host_only_when_a_source_allowed_it() -> None:
    robots = Request("http://127.0.0.1:8765/robots.txt", meta={"dont_obey_robotstxt": True})
    guard("127.0.0.1").process_request(robots)
    with pytest.raises(BlockedAddress):
        guard().process_request(robots)


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert retry_after_seconds(b"120", NOW) == 120
    assert retry_after_seconds("Fri, 27 Nov 2026 10:00:00 GMT", NOW) == 3600
    assert retry_after_seconds("Fri, 27 Nov 2026 08:00:00 GMT", NOW) == 0
    assert retry_after_seconds("bientôt", NOW) is None
    assert retry_after_seconds(None, NOW) is None


def test_backoff_doubles_caps_and_honours_retry_after() -> None:
    source = Source(id="s", kind="feed", url="https://example.org/f", every="6h")
    failed = SourceResult("s", error="erreur")
    assert backoff_until(source, SourceResult("s"), 3, NOW) is None
    assert backoff_until(source, failed, 0, NOW) == NOW + timedelta(hours=6)
    assert backoff_until(source, failed, 2, NOW) == NOW + timedelta(hours=24)
    assert backoff_until(source, failed, 10, NOW) == NOW + timedelta(days=7)
    busy = SourceResult("s", error="429", retry_after=3 * 86400)
    assert backoff_until(source, busy, 0, NOW) == NOW + timedelta(days=3)


def test_scrapy_settings_are_polite() -> None:
    watch = parse_watch(
        'watch: {name: x, contact: "https://example.org/veille"}\n'
        "sources: [{id: a, kind: feed, url: 'http://127.0.0.1/f', allow_private: true},"
        " {id: b, kind: feed, url: 'https://example.org/f'}]\n",
        Path("s.yml"),
    )
    settings = scrapy_settings(watch, None)
    assert settings["ROBOTSTXT_OBEY"] is True
    assert settings["AUTOTHROTTLE_ENABLED"] is True
    assert settings["CONCURRENT_REQUESTS_PER_DOMAIN"] <= 2
    assert "https://example.org/veille" in settings["USER_AGENT"]
    assert settings["DOWNLOAD_MAXSIZE"] == 10_000_000
    assert settings["HTTPERROR_ALLOWED_CODES"] == [304]
    assert settings["WATCHER_PRIVATE_HOSTS"] == ["127.0.0.1"]
    assert settings["TELNETCONSOLE_ENABLED"] is False
    middlewares = settings["DOWNLOADER_MIDDLEWARES"]  # robots.txt obeyed, through the store
    assert middlewares["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] is None
    assert middlewares["watcher.politeness.CachedRobotsTxtMiddleware"] == 100
    assert "scrapy.extensions.throttle.AutoThrottle" in settings["EXTENSIONS_BASE"]
    # the total is our own limit, never below Scrapy's default; politeness is per domain
    assert settings["CONCURRENT_REQUESTS"] >= 16
