"""Retry-After parsing, backoff and Scrapy's settings (the address guard: test_guard.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from scrapy.settings import Settings

from watcher.collect.crawl import backoff_until
from watcher.collect.politeness import retry_after_seconds
from watcher.collect.settings import scrapy_settings
from watcher.config import Source, parse_watch
from watcher.model import SourceResult

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


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
    assert settings["WATCHER_PRIVATE_ORIGINS"] == {"a": ["http://127.0.0.1"]}
    assert settings["TWISTED_DNS_RESOLVER"] == "watcher.collect.guard.PinnedResolver"
    assert settings["TELNETCONSOLE_ENABLED"] is False
    middlewares = settings["DOWNLOADER_MIDDLEWARES"]  # robots.txt obeyed, through the store
    assert middlewares["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] is None
    assert middlewares["watcher.collect.politeness.CachedRobotsTxtMiddleware"] == 100
    assert "scrapy.extensions.throttle.AutoThrottle" in settings["EXTENSIONS_BASE"]
    # the total is our own limit, never below Scrapy's default; politeness is per domain
    assert settings["CONCURRENT_REQUESTS"] >= 16


def test_only_http_and_https_can_be_downloaded() -> None:
    watch = parse_watch(
        "watch: {name: x}\nsources: [{id: b, kind: feed, url: 'https://example.org/f'}]\n",
        Path("s.yml"),
    )
    handlers = Settings(scrapy_settings(watch, None)).getwithbase("DOWNLOAD_HANDLERS")
    enabled = {scheme for scheme, handler in handlers.items() if handler}
    assert enabled == {"http", "https"}  # no file:, data:, ftp:, s3:


def test_each_allowed_source_gets_its_own_origin_and_those_it_lists() -> None:
    watch = parse_watch(
        "watch: {name: x}\nsources:\n"
        "- {id: a, kind: feed, url: 'http://127.0.0.1:8081/f', allow_private: true,"
        " private_origins: ['http://127.0.0.1:8082/', 'http://intranet.local']}\n"
        "- {id: b, kind: feed, url: 'HTTP://LocalHost:80/f', allow_private: true}\n"
        "- {id: c, kind: feed, url: 'http://127.0.0.1:8083/f'}\n",
        Path("s.yml"),
    )
    assert scrapy_settings(watch, None)["WATCHER_PRIVATE_ORIGINS"] == {
        "a": ["http://127.0.0.1:8081", "http://127.0.0.1:8082", "http://intranet.local"],
        "b": ["http://localhost"],
    }
