"""More real feeds from the world (tests/fixtures/feeds/world2/, see PROVENANCE.md) through the
real crawl, as tests/test_feeds_world.py does for feeds/world/: each file served by a real HTTP
server on 127.0.0.1, all collected in one crawl, then again after each changed by a byte; the
stored items are checked against `expected.yml` (written by hand from the files before Watcher
read them) and against the general rules of test_feeds_world."""

from __future__ import annotations

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
from watcher.demo.server import LocalSite, Route

WORLD2 = Path(__file__).parent / "fixtures" / "feeds" / "world2"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((WORLD2 / "expected.yml").read_text("utf-8"))


@pytest.fixture(scope="module")
def world2(tmp_path_factory: pytest.TempPathFactory) -> World:
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
        return World(site.base, results(first), results(second), stored, again)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_real_feed_is_stored_as_a_learner_must_see_it(world2: World, name: str) -> None:
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
