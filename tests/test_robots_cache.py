"""robots.txt kept in the store (RFC 9309 §2.4), end to end: real crawls of a real HTTP server on
127.0.0.1; the run's `now` moves the clock, the server's hits show what was asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from conftest import Watcher, feed_source, rss
from watcher.demo.server import LocalSite, Route
from watcher.model import ROBOTS_TTL, CachedRobots, Validators

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
RULES = "User-agent: *\nDisallow: /prive/\n"


@pytest.fixture
def watcher(watcher: Watcher, database: str) -> Watcher:
    """Every test of this module on each database (SQLite, PostgreSQL)."""
    return watcher


def write(site: LocalSite, path: str, body: bytes | str) -> None:
    assert site.root is not None
    target = site.root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body.encode() if isinstance(body, str) else body)


def one_item(site: LocalSite, name: str) -> bytes:
    return rss(site.base, [{"title": name, "link": f"{site.base}/a/{name}", "guid": name}])


def watch_two_feeds(watcher: Watcher, site: LocalSite) -> None:
    """`public` is allowed by RULES, `private` is not."""
    write(site, "robots.txt", RULES)
    write(site, "public.xml", one_item(site, "public"))
    write(site, "prive/feed.xml", one_item(site, "private"))
    watcher.write(
        [
            feed_source(site, "/public.xml", id="public"),
            feed_source(site, "/prive/feed.xml", id="private"),
        ]
    )


def outcome(watcher: Watcher, now: datetime) -> dict[str, str]:
    report = watcher.crawl(now, force=True)
    return {
        r.source_id: r.error or ("304" if r.not_modified else f"new {r.new}")
        for r in report.results
    }


def test_robots_txt_is_reused_for_24_hours_and_still_obeyed(
    watcher: Watcher, site: LocalSite
) -> None:
    watch_two_feeds(watcher, site)
    first = outcome(watcher, NOW)
    assert first["public"] == "new 1"
    assert "robots.txt" in first["private"]
    assert len(site.hits_for("/robots.txt")) == 1

    later = outcome(watcher, NOW + timedelta(hours=23))
    assert len(site.hits_for("/robots.txt")) == 1  # not asked again: the stored copy
    assert later["public"] == "304"
    assert "robots.txt" in later["private"]  # … whose rules still apply
    assert site.hits_for("/prive/feed.xml") == []


def test_after_24_hours_robots_txt_is_asked_again_conditionally_and_a_304_keeps_the_rules(
    watcher: Watcher, site: LocalSite
) -> None:
    watch_two_feeds(watcher, site)
    outcome(watcher, NOW)

    again = outcome(watcher, NOW + ROBOTS_TTL + timedelta(minutes=1))
    hits = site.hits_for("/robots.txt")
    assert len(hits) == 2
    assert hits[-1].headers.get("If-None-Match")  # a conditional GET…
    assert hits[-1].status == 304  # … answered "not modified"
    assert "robots.txt" in again["private"]  # the cached rules were kept
    assert site.hits_for("/prive/feed.xml") == []

    # the 304 confirmed the copy: good for another 24 h from then
    outcome(watcher, NOW + ROBOTS_TTL + timedelta(hours=23))
    assert len(site.hits_for("/robots.txt")) == 2


def test_a_changed_robots_txt_is_obeyed_once_asked_again(watcher: Watcher, site: LocalSite) -> None:
    watch_two_feeds(watcher, site)
    assert outcome(watcher, NOW)["public"] == "new 1"
    write(site, "robots.txt", RULES + "Disallow: /public.xml\n")

    # within 24 h the stored copy is used, as RFC 9309 allows
    assert outcome(watcher, NOW + timedelta(hours=2))["public"] == "304"

    later = outcome(watcher, NOW + ROBOTS_TTL + timedelta(hours=1))
    assert site.hits_for("/robots.txt")[-1].status == 200  # the new rules…
    assert "robots.txt" in later["public"]  # … are obeyed
    assert len(site.hits_for("/public.xml")) == 2  # not asked in the last run

    # and they are the ones kept
    assert "robots.txt" in outcome(watcher, NOW + ROBOTS_TTL + timedelta(hours=2))["public"]
    assert len(site.hits_for("/robots.txt")) == 2


def test_a_missing_robots_txt_is_remembered_too(watcher: Watcher, site: LocalSite) -> None:
    write(site, "public.xml", one_item(site, "public"))
    watcher.write([feed_source(site, "/public.xml", id="public")])
    outcome(watcher, NOW)
    outcome(watcher, NOW + timedelta(hours=1))
    assert [h.status for h in site.hits_for("/robots.txt")] == [404]


def test_an_unreachable_robots_txt_keeps_the_stale_copy(watcher: Watcher, site: LocalSite) -> None:
    watch_two_feeds(watcher, site)
    outcome(watcher, NOW)
    site.routes["/robots.txt"] = Route(status=503, body=b"maintenance")

    later = outcome(watcher, NOW + ROBOTS_TTL + timedelta(hours=1))
    assert [h.status for h in site.hits_for("/robots.txt")][1:] == [503, 503]  # one retry
    assert "robots.txt" in later["private"]  # the stale rules, not "everything allowed"
    assert later["public"] == "304"
    assert site.hits_for("/prive/feed.xml") == []


def test_a_copy_is_fresh_for_24_hours_and_never_from_the_future() -> None:
    copy = CachedRobots(b"", 200, Validators(), NOW)
    assert copy.fresh(NOW)
    assert copy.fresh(NOW + ROBOTS_TTL - timedelta(seconds=1))
    assert not copy.fresh(NOW + ROBOTS_TTL)
    assert not copy.fresh(NOW - timedelta(minutes=1))  # clock went back: ask again


def test_every_request_waiting_for_robots_txt_gets_its_rules(
    watcher: Watcher, site: LocalSite
) -> None:
    """Many sources of one site wait for its robots.txt at once: each must get the rules. (A
    Twisted Deferred shared by several awaiting coroutines hands the second and later ones
    None — "no robots.txt" — which Scrapy 2.19's own RobotsTxtMiddleware lets through.)"""
    write(site, "robots.txt", RULES)
    sources = []
    for n in range(6):
        write(site, f"prive/feed-{n}.xml", one_item(site, f"private-{n}"))
        sources.append(feed_source(site, f"/prive/feed-{n}.xml", id=f"private-{n}"))
    watcher.write(sources, crawler={"per_domain": 2})
    results = outcome(watcher, NOW)
    assert all("robots.txt" in error for error in results.values()), results
    assert [h.path for h in site.hits] == ["/robots.txt"]
