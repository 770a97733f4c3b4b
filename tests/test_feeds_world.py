"""Real feeds from the world (tests/fixtures/feeds/world/, see PROVENANCE.md) through the real
crawl: each file is served by a real HTTP server on 127.0.0.1, the watch's crawl collects them
all in one run, and the stored items are read back and checked against what a learner must see
(`expected.yml`, written by hand from the files before Watcher ever read them) and against
general rules: a clean title and summary, the right absolute link, a date that is right or
absent, one error in French for the source that is not a feed while the others go on, and the
same items, no more and no fewer, after a second crawl that reads every feed again."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from ftfy.badness import is_bad

from conftest import Watcher, feed_source
from watcher.collect.crawl import CrawlReport
from watcher.config import load_watch
from watcher.demo.server import LocalSite, Route
from watcher.find.index import SearchIndex
from watcher.find.search import search
from watcher.model import SourceResult, StoredItem
from watcher.store import Store
from watcher.understand.process import process_pending

WORLD = Path(__file__).parent / "fixtures" / "feeds" / "world"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((WORLD / "expected.yml").read_text("utf-8"))
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
# what servers commonly send: the type without a charset (the document's own declaration counts)
CONTENT_TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".rdf": "application/rdf+xml",
    ".xml": "application/xml",
    ".json": "application/json",
}
ENCLOSURE = re.compile(r"\.(mp3|m4a|mp4|jpe?g|png|gif)(\?|$)", re.IGNORECASE)
TAG = re.compile(r"<[a-zA-Z/!?][^<>]*>")
ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});")


def source_id(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower())[:60].strip("-")


@dataclass
class World:
    base: str
    first: dict[str, SourceResult]
    second: dict[str, SourceResult]
    stored: dict[str, list[StoredItem]]
    again: dict[str, list[StoredItem]]
    watcher: Watcher | None = None  # the watch, to process what was stored


@contextmanager
def processed(world: World) -> Iterator[tuple[Store, SearchIndex, datetime]]:
    """The world's watch processed three hours after its crawl (every stored entry enriched and
    indexed, checked), its store and index open: (store, index, when)."""
    assert world.watcher is not None
    workspace = world.watcher.workspace
    store, index = Store(workspace.database), SearchIndex(workspace.index)
    try:
        later = NOW + timedelta(hours=3)
        report = process_pending(load_watch(workspace.config), store, index, later)
        total = sum(len(items) for items in world.again.values())
        assert report.enriched == total
        assert report.indexed == total
        yield store, index, later
    finally:
        index.close()
        store.close()


def assert_found_by_title(
    store: Store, index: SearchIndex, when: datetime, cases: Iterable[tuple[str, str, str]]
) -> None:
    """Each (query, title's start, language) finds an item whose title starts so, read in that
    language ("": not checked)."""
    for query, title, language in cases:
        page = search(store, index, query, groups=None, now=when)
        views = [f.view for f in page.found if f.view]
        found = [v for v in views if v.item.title.startswith(title)]
        assert found, (query, [v.item.title for v in views])
        if language:
            assert found[0].language == language, (title, found[0].language)


def assert_every_feed_stored(world: World, expected: dict[str, dict[str, Any]]) -> None:
    """No source of `world` failed, and it stored as many entries as `expected` counts."""
    assert {sid: r.error for sid, r in world.first.items() if r.error} == {}
    assert sum(len(items) for items in world.stored.values()) == sum(
        feed["entries"] for feed in expected.values()
    )


def stored_by_source(watcher: Watcher) -> dict[str, list[StoredItem]]:
    store = watcher.store()
    try:
        items = store.list_items()
    finally:
        store.close()
    found: dict[str, list[StoredItem]] = {}
    for item in items:
        found.setdefault(item.source_id, []).append(item)
    return found


def results(report: CrawlReport) -> dict[str, SourceResult]:
    return {result.source_id: result for result in report.results}


def crawl_world(root: Path, folder: Path, names: Iterable[str]) -> World:
    """Every feed of ``folder`` named in ``names`` served by a real HTTP server and crawled
    once, then again after each file changed by a byte (so that every feed is read and parsed
    again, not answered 304)."""
    routes = {
        f"/{name}": Route(
            body=(folder / name).read_bytes(),
            headers={"Content-Type": CONTENT_TYPES[Path(name).suffix]},
            conditional=True,
        )
        for name in names
    }
    with LocalSite(routes=dict(routes)) as site:
        watcher = Watcher(root)
        watcher.write([feed_source(site, path, id=source_id(path[1:])) for path in routes])
        first = watcher.crawl(NOW)
        stored = stored_by_source(watcher)
        for route in routes.values():
            route.body += b"\n"
        second = watcher.crawl(NOW + timedelta(hours=2))
        again = stored_by_source(watcher)
        return World(site.base, results(first), results(second), stored, again, watcher)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return crawl_world(tmp_path_factory.mktemp("world"), WORLD, EXPECTED)


def utc(value: Any) -> datetime | None:
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def to_second(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC).replace(microsecond=0)


def general_problems(item: StoredItem) -> list[str]:
    """What no stored entry may show a learner, whatever its feed."""
    found = []
    title, summary = item.title, item.summary
    for name, text in (("title", title), ("summary", summary)):
        if TAG.search(text):
            found.append(f"{name} has markup: {TAG.search(text)!r}")
        if ENTITY.search(text):
            found.append(f"{name} has an entity: {ENTITY.search(text)!r}")
        if "CDATA" in text:
            found.append(f"{name} has CDATA")
        if text != text.strip():
            found.append(f"{name} has surrounding whitespace: {text[:40]!r}…{text[-40:]!r}")
        if is_bad(text):
            found.append(f"{name} looks like mojibake: {text[:80]!r}")
    if not title:
        found.append("no title")
    if re.search(r"\s{2,}|[\n\t]", title):
        found.append(f"title has stray whitespace: {title!r}")
    if not re.match(r"https?://[^\s/]+", item.url):
        found.append(f"link is not an absolute web address: {item.url!r}")
    if re.search(r"\s", item.url):
        found.append(f"link has whitespace: {item.url!r}")
    if ENCLOSURE.search(item.url):
        found.append(f"link is an enclosure: {item.url!r}")
    if "utm_" in item.url:
        found.append(f"link keeps tracking parameters: {item.url!r}")
    if item.published_at is not None and item.published_at > NOW:
        found.append(f"date in the future: {item.published_at}")
    return found


def expectation_problems(
    item: StoredItem, expected: dict[str, Any], base: str, language: str
) -> list[str]:
    found = []
    if "url" in expected and item.url != expected["url"].replace("{base}", base):
        found.append(f"link {item.url!r}, expected {expected['url']!r}")
    found += [
        f"link lacks {part!r}: {item.url!r}"
        for part in expected.get("url_has", ())
        if part not in item.url
    ]
    found += [
        f"link keeps {part!r}: {item.url!r}"
        for part in expected.get("url_lacks", ())
        if part in item.url
    ]
    published = to_second(item.published_at)
    if "published" in expected and published != utc(expected["published"]):
        found.append(f"date {published}, expected {utc(expected['published'])}")
    if "published_any" in expected and published not in [
        utc(value) for value in expected["published_any"]
    ]:
        found.append(f"date {published}, expected one of {expected['published_any']}")
    summary = item.summary
    start = expected.get("summary_starts")
    if start and not summary.startswith(start):
        found.append(f"summary {summary[:90]!r} does not start with {start!r}")
    found += [
        f"summary lacks {part!r}: {summary[:200]!r}"
        for part in expected.get("summary_has", ())
        if part not in summary
    ]
    found += [
        f"summary keeps {part!r}: {summary[-200:]!r}"
        for part in expected.get("summary_lacks", ())
        if part in summary
    ]
    starts = expected.get("summary_starts_any")
    if starts and not summary.startswith(tuple(starts)):
        found.append(f"summary {summary[:90]!r} starts with none of {starts!r}")
    found += [
        f"text lacks {part!r}" for part in expected.get("text_has", ()) if part not in item.text
    ]
    found += [
        f"text keeps {part!r}: {item.text[-200:]!r}"
        for part in expected.get("text_lacks", ())
        if part in item.text
    ]
    if "author" in expected and item.author != expected["author"]:
        found.append(f"author {item.author!r}, expected {expected['author']!r}")
    if language and item.language != language:
        found.append(f"language {item.language!r}, expected {language!r}")
    return found


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_real_feed_is_stored_as_a_learner_must_see_it(world: World, name: str) -> None:
    problems = feed_problems(world, name, EXPECTED[name])
    assert not problems, "\n".join(problems)


def feed_problems(world: World, name: str, expected: dict[str, Any]) -> list[str]:
    """What is wrong with the feed ``name`` as ``world`` stored it, against what a learner must
    see (``expected``: its entry of ``expected.yml``) and the general rules."""
    sid = source_id(name)
    result, stored = world.first[sid], world.stored.get(sid, [])
    problems: list[str] = []
    if "error" in expected:
        if expected["error"] not in result.error:
            problems.append(f"error {result.error!r}, expected one naming {expected['error']!r}")
    elif result.error:
        problems.append(f"the source failed: {result.error}")
    if "warning" in expected and not any(expected["warning"] in w for w in result.warnings):
        problems.append(f"no warning naming {expected['warning']!r}: {result.warnings!r}")
    if "no_warning" in expected and any(expected["no_warning"] in w for w in result.warnings):
        problems.append(f"a warning naming {expected['no_warning']!r}: {result.warnings!r}")
    if len(stored) != expected["entries"]:
        problems.append(
            f"{len(stored)} entries stored, expected {expected['entries']}: "
            + repr([item.title for item in stored])
        )
    wanted_items = expected.get("items") or {}
    for item in stored:
        found = general_problems(item)
        if (wanted_items.get(item.title) or {}).get("no_link"):
            found = [p for p in found if not p.startswith("link is not an absolute")]
        problems += [f"« {item.title[:50]} »: {p}" for p in found]
    by_title = {item.title: item for item in stored}
    for title, wanted in wanted_items.items():
        if title not in by_title:
            problems.append(f"no entry titled {title!r}")
            continue
        item = by_title[title]
        found = expectation_problems(item, wanted, world.base, expected.get("language", ""))
        if wanted.get("no_link") and item.url:
            found.append(f"a link {item.url!r} for an entry that has none")
        start = wanted.get("text_starts")
        if start and not item.text.startswith(start):
            found.append(f"text {item.text[:90]!r} does not start with {start!r}")
        problems += [f"« {title[:50]} »: {p}" for p in found]
    by_url = {item.url: item for item in stored}
    for wanted in expected.get("untitled", ()):
        item = by_url.get(wanted["url"])
        if item is None:
            problems.append(f"no entry at {wanted['url']}")
            continue
        if "title_is" in wanted and item.title != wanted["title_is"]:
            problems.append(f"title {item.title!r}, expected {wanted['title_is']!r}")
        if not item.title.startswith(wanted.get("title_starts", "")):
            problems.append(f"title {item.title!r}, expected one from its text")
        problems += expectation_problems(item, wanted, world.base, "")
    # a second crawl that reads the feed again keeps exactly the same items
    second, again = world.second[sid], world.again.get(sid, [])
    if second.not_modified:
        problems.append("the second crawl was answered 304: the feed was not read again")
    if second.new:
        problems.append(f"the second crawl stored {second.new} new entries (duplicates)")
    if sorted(item.id for item in again) != sorted(item.id for item in stored):
        problems.append("the second crawl changed the set of stored items")
    return problems


def test_the_world_crawl_reports_one_french_error_and_the_others_go_on(world: World) -> None:
    failed = {sid: r.error for sid, r in world.first.items() if r.error}
    assert list(failed) == [source_id("scriptingnews-rss-in-json.json")]
    assert "ce JSON n'est pas un JSON Feed" in next(iter(failed.values()))
    assert sum(len(items) for items in world.stored.values()) == sum(
        feed["entries"] for feed in EXPECTED.values()
    )


def test_a_server_default_charset_does_not_override_the_declared_encoding(
    tmp_path: Path,
) -> None:
    """Servers often send ISO-8859-1 by default (HTTP/1.1's old default, Apache's
    AddDefaultCharset); a feed that declares its own encoding is read in that encoding."""
    names = ["oren-windows1251.rss", "qq-news-gb2312.xml", "example-pl-latin2.rss"]
    routes = {
        f"/{name}": Route(
            body=(WORLD / name).read_bytes(),
            headers={"Content-Type": "text/xml; charset=ISO-8859-1"},
        )
        for name in names
    }
    with LocalSite(routes=routes) as site:
        watcher = Watcher(tmp_path)
        watcher.write([feed_source(site, path, id=source_id(path[1:])) for path in routes])
        report = watcher.crawl(NOW)
        stored = stored_by_source(watcher)
    assert [r.error for r in report.results] == ["", "", ""]
    for name in names:
        titles = sorted(item.title for item in stored[source_id(name)])
        assert titles == sorted(EXPECTED[name]["items"]), name
