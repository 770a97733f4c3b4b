"""Crawling: which sources are due (pure), Scrapy's settings, and `crawl_due`, the use case.

Scrapy's reactor cannot restart within a process, so every crawl runs in a process of its own,
forked by this process' crawl worker (`watcher.collect.worker`), which reports its progress; the
CLI, the scheduler and the tests all call `crawl_due`, which can therefore run any number of
times. The crawl dies with its parent, so killing `watcher crawl` really stops the crawl.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from watcher.collect.urls import HTTP_SCHEMES, origin_of
from watcher.collect.worker import CrawlRequest, run_crawl
from watcher.config import Source, Watch
from watcher.model import SourceResult
from watcher.store import SourceState, Store

MAX_BACKOFF = timedelta(days=7)
USER_AGENT = "Watcher/0.1 (veille RNCP 32204; +{contact})"


# --- pure scheduling logic ----------------------------------------------------------------


def next_due(source: Source, state: SourceState | None) -> datetime | None:
    """When the source should next be crawled (None: now, it never was)."""
    if state is None or state.last_attempt_at is None:
        return None
    due = state.last_attempt_at + source.every
    if state.backoff_until and state.backoff_until > due:
        due = state.backoff_until
    return due


def due_sources(
    watch: Watch,
    states: dict[str, SourceState],
    now: datetime,
    *,
    source_id: str | None = None,
    group_id: str | None = None,
    force: bool = False,
) -> list[Source]:
    """Sources to crawl now. `force` (--all) ignores the schedule but not a failing source's
    backoff; naming one source (`source_id`) ignores both: a person asked for it."""
    chosen: list[Source] = []
    for source in watch.sources:
        if source_id and source.id != source_id:
            continue
        if group_id and group_id not in watch.groups_of(source):
            continue
        state = states.get(source.id)
        backed_off = bool(state and state.backoff_until and state.backoff_until > now)
        due = next_due(source, state)
        if source_id or (not backed_off and (force or due is None or due <= now)):
            chosen.append(source)
    return chosen


def backoff_until(
    source: Source, result: SourceResult, failures_before: int, now: datetime
) -> datetime | None:
    """After a failure, wait `every` × 2^(failures-1) (at most 7 days), or what the server
    asked with Retry-After if longer. A success clears the backoff."""
    if result.ok:
        return None
    failures = failures_before + 1
    wait = min(source.every * (2 ** (failures - 1)), MAX_BACKOFF)
    if result.retry_after is not None:
        wait = max(wait, timedelta(seconds=result.retry_after))
    return now + wait


# --- Scrapy settings: politeness and safety in one place ----------------------------------


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


def scrapy_settings(watch: Watch, log_file: Path | None) -> dict[str, Any]:
    from scrapy.settings import default_settings

    crawler = watch.crawler
    hosts = {(urlsplit(s.url).hostname or "").lower() for s in watch.sources}
    return {
        "BOT_NAME": "watcher",
        "USER_AGENT": USER_AGENT.format(contact=watch.watch.contact),
        "ROBOTSTXT_OBEY": True,  # robots.txt kept 24 h in the store: CachedRobotsTxtMiddleware
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": max(crawler.delay, 0.01),
        "AUTOTHROTTLE_MAX_DELAY": 60.0,
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
        # The spider stores entries itself and yields only requests; Scrapy starts this many
        # asyncio tasks for the output of every response (100 by default: most of the CPU of a
        # 304 answer).
        "CONCURRENT_ITEMS": 1,
        # A development check that reads and parses each callback's source; ours are closures
        # made per request, so it parsed spiders/base.py again for every answer.
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        "DOWNLOAD_TIMEOUT": int(crawler.timeout.total_seconds()),
        "DNS_TIMEOUT": 20,
        "DOWNLOAD_MAXSIZE": crawler.max_size,
        "DOWNLOAD_WARNSIZE": max(crawler.max_size // 2, 1),
        "RETRY_ENABLED": True,
        "RETRY_TIMES": crawler.retries,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "REDIRECT_MAX_TIMES": 5,
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
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "watcher.collect.politeness.CachedRobotsTxtMiddleware": 100,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "watcher.collect.politeness.PoliteRetryMiddleware": 550,
        },
        "WATCHER_PRIVATE_ORIGINS": private_origins(watch),
        "WATCHER_MAX_RETRY_WAIT": 30.0,
        "WATCHER_RETRY_BACKOFF": min(max(crawler.delay, 0.05), 2.0),
        "LOG_LEVEL": "INFO",
        "LOG_FILE": str(log_file) if log_file else None,
        "LOG_FILE_APPEND": True,
        "LOG_ENABLED": log_file is not None,
        "LOGSTATS_INTERVAL": 0,
    }


# --- the use case -------------------------------------------------------------------------


@dataclass
class CrawlReport:
    results: list[SourceResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # sources not due

    @property
    def failed(self) -> list[SourceResult]:
        return [r for r in self.results if not r.ok]


def crawl_due(
    watch: Watch,
    store: Store,
    db_path: Path,
    now: datetime,
    *,
    source_id: str | None = None,
    group_id: str | None = None,
    force: bool = False,
    on_event: Callable[[dict[str, Any]], None] | None = None,
    log_file: Path | None = None,
) -> CrawlReport:
    """Crawl the due sources in a crawl process and record how each one went."""
    states = store.source_states()
    sources = due_sources(watch, states, now, source_id=source_id, group_id=group_id, force=force)
    chosen = {source.id for source in sources}
    report = CrawlReport(skipped=[s.id for s in watch.sources if s.id not in chosen])
    if not sources:
        return report
    if on_event:
        on_event({"event": "crawl_started", "sources": [s.id for s in sources]})
    run_id = store.start_run(now)
    by_id = {source.id: source for source in sources}
    recorded: dict[str, SourceResult] = {}

    def record(results: list[SourceResult]) -> None:
        """Each source's outcome is written as the crawl reports it, while the crawl still
        waits out other sites' delays, not all at the end: those reported together (within
        half a second) in one transaction."""
        rows: list[tuple[SourceResult, datetime | None]] = []
        for result in results:
            source = by_id.get(result.source_id)
            if source is None or source.id in recorded:
                continue
            state = states.get(source.id)
            failures = state.consecutive_failures if state else 0
            rows.append((result, backoff_until(source, result, failures, now)))
            recorded[source.id] = result
        if rows:
            store.record_source_results(rows, now)

    def forward(events: list[dict[str, Any]]) -> None:
        record([SourceResult.from_dict(e) for e in events if e.get("event") == "source_done"])
        if on_event:
            for event in events:
                on_event(event)

    # absolute paths: a worker started earlier may not share this process' current directory
    log = log_file.absolute() if log_file else None
    run_crawl(CrawlRequest(watch, db_path.absolute(), list(by_id), now, log), forward)
    finished = datetime.now(UTC)
    interrupted = "collecte interrompue avant la fin : relancez `watcher crawl`"
    record([SourceResult(s.id, error=interrupted) for s in sources if s.id not in recorded])
    report.results = [recorded[source.id] for source in sources]
    store.finish_run(run_id, report.results, finished)
    return report
