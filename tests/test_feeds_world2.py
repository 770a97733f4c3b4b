"""More real feeds from the world (tests/fixtures/feeds/world2/, see PROVENANCE.md) through the
real crawl, as tests/test_feeds_world.py does for feeds/world/: each file served by a real HTTP
server on 127.0.0.1, all collected in one crawl, then again after each changed by a byte; the
stored items are checked against `expected.yml` (written by hand from the files before Watcher
read them) and against the general rules of test_feeds_world."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_feeds_world import (
    CONTENT_TYPES,
    NOW,
    World,
    expectation_problems,
    general_problems,
    results,
    source_id,
    stored_by_source,
)

from conftest import Watcher, feed_source
from watcher.config import load_watch
from watcher.demo.server import LocalSite, Route
from watcher.find.index import SearchIndex
from watcher.find.search import search
from watcher.store import Store
from watcher.understand.process import process_pending

WORLD2 = Path(__file__).parent / "fixtures" / "feeds" / "world2"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((WORLD2 / "expected.yml").read_text("utf-8"))


@dataclass
class World2(World):
    watcher: Watcher | None = None


@pytest.fixture(scope="module")
def world2(tmp_path_factory: pytest.TempPathFactory) -> World2:
    root = tmp_path_factory.mktemp("world2")
    routes = {
        f"/{name}": Route(
            body=(WORLD2 / name).read_bytes(),
            headers={"Content-Type": CONTENT_TYPES[Path(name).suffix]},
            conditional=True,
        )
        for name in EXPECTED
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
        return World2(site.base, results(first), results(second), stored, again, watcher)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_real_feed_is_stored_as_a_learner_must_see_it(world2: World2, name: str) -> None:
    expected = EXPECTED[name]
    sid = source_id(name)
    result, stored = world2.first[sid], world2.stored.get(sid, [])
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
        found = expectation_problems(item, wanted, world2.base, expected.get("language", ""))
        if wanted.get("no_link") and item.url:
            found.append(f"a link {item.url!r} for an entry that has none")
        start = wanted.get("text_starts")
        if start and not item.text.startswith(start):
            found.append(f"text {item.text[:90]!r} does not start with {start!r}")
        problems += [f"« {title[:50]} »: {p}" for p in found]
    second, again = world2.second[sid], world2.again.get(sid, [])
    if second.not_modified:
        problems.append("the second crawl was answered 304: the feed was not read again")
    if second.new:
        problems.append(f"the second crawl stored {second.new} new entries (duplicates)")
    if sorted(item.id for item in again) != sorted(item.id for item in stored):
        problems.append("the second crawl changed the set of stored items")
    assert not problems, "\n".join(problems)


def test_the_world_is_processed_and_found_by_the_words_of_its_titles(world2: World2) -> None:
    """Processing (entities, axes, topics, references, near-duplicates, index) goes through
    every stored entry of these feeds, and search finds an entry by words of its title, accents
    folded (Bosnian, French, Vietnamese names)."""
    assert world2.watcher is not None
    workspace = world2.watcher.workspace
    watch = load_watch(workspace.config)
    store, index = Store(workspace.database), SearchIndex(workspace.index)
    try:
        report = process_pending(watch, store, index, NOW + timedelta(hours=3))
        total = sum(len(items) for items in world2.again.values())
        assert report.enriched == total
        assert report.indexed == total
        for query, title in (
            ("Sarajlic delegat", "Asim Sarajlić: Izvinjavam se svima"),
            ("Zrijeb Lige nacija", "Žrijeb grupa Lige nacija"),
            ("revue faire", "Revue Faire — no. 46"),
            ("Gowanus", "E.P.A. Plan to Clean Up Gowanus Canal"),
        ):
            page = search(store, index, query, groups=None, now=NOW + timedelta(hours=3))
            found = [f.view.item.title for f in page.found if f.view]
            assert any(t.startswith(title) for t in found), (query, found)
        # Le Monde's 2011 feed says <language>en</language>: its French text is read as French;
        # its one story under two rubrics (two links) is one cluster of near-duplicates
        page = search(store, index, "Montebourg", groups=None, now=NOW + timedelta(hours=3))
        views = [f.view for f in page.found if f.view]
        assert views and {v.language for v in views} == {"fr"}
        stored = [i for i in store.list_items() if i.title.startswith("Montebourg : ")]
        assert len(stored) == 2
        assert len(page.found) == 1 and len(page.found[0].also) == 1
    finally:
        index.close()
        store.close()
