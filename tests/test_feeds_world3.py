"""A third batch of real feeds (tests/fixtures/feeds/world3/, see PROVENANCE.md) through the
real crawl, as tests/test_feeds_world.py does for feeds/world/: each file served by a real HTTP
server on 127.0.0.1, all collected in one crawl, then again after each changed by a byte; the
stored items are checked against `expected.yml` (written by hand from the files before Watcher
read them) and against the general rules of test_feeds_world. Ten of these feeds are French
press feeds (Le Parisien, Franceinfo, Euronews, AgoraVox, Libération, Le Figaro, RT, L'Usine
Nouvelle, Le Média, Marianne)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_feeds_world import NOW, World, crawl_world, feed_problems, source_id

from watcher.config import load_watch
from watcher.find.index import SearchIndex
from watcher.find.search import search
from watcher.store import Store
from watcher.understand.process import process_pending

WORLD3 = Path(__file__).parent / "fixtures" / "feeds" / "world3"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((WORLD3 / "expected.yml").read_text("utf-8"))


@pytest.fixture(scope="module")
def world3(tmp_path_factory: pytest.TempPathFactory) -> World:
    return crawl_world(tmp_path_factory.mktemp("world3"), WORLD3, EXPECTED)


def exact_summary_problems(world: World, name: str, expected: dict[str, Any]) -> list[str]:
    """`summary_is`: the stored summary, exactly (a placeholder such as « 1 » is none)."""
    stored = {item.title: item for item in world.stored.get(source_id(name), [])}
    return [
        f"« {title[:50]} »: summary {stored[title].summary!r}, expected {wanted['summary_is']!r}"
        for title, wanted in (expected.get("items") or {}).items()
        if "summary_is" in wanted
        and title in stored
        and stored[title].summary != wanted["summary_is"]
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_real_feed_is_stored_as_a_learner_must_see_it(world3: World, name: str) -> None:
    problems = feed_problems(world3, name, EXPECTED[name])
    problems += exact_summary_problems(world3, name, EXPECTED[name])
    assert not problems, "\n".join(problems)


def test_no_source_of_the_third_world_fails(world3: World) -> None:
    assert {sid: r.error for sid, r in world3.first.items() if r.error} == {}
    assert sum(len(items) for items in world3.stored.values()) == sum(
        feed["entries"] for feed in EXPECTED.values()
    )


def test_the_third_world_is_processed_and_found_by_the_words_of_its_titles(
    world3: World,
) -> None:
    """Processing goes through every stored entry of these feeds, French ones are read as
    French, and search finds an entry by words of its title, accents folded."""
    assert world3.watcher is not None
    workspace = world3.watcher.workspace
    watch = load_watch(workspace.config)
    store, index = Store(workspace.database), SearchIndex(workspace.index)
    try:
        later = NOW + timedelta(hours=3)
        report = process_pending(watch, store, index, later)
        total = sum(len(items) for items in world3.again.values())
        assert report.enriched == total
        assert report.indexed == total
        for query, title, language in (
            ("Semiologie Raoult", "Sémiologie de Didier Raoult", "fr"),
            ("emergents mondialisation", "Rattrapage économique des pays émergents", "fr"),
            ("Malhuret Melenchon", "«Le professeur Mélenchon", "fr"),
            ("Saur eaux industrielles", "Saur à la conquête des eaux industrielles", "fr"),
            ("Taapaca", "2007. Peligros del Complejo volcánico Taapaca", ""),
        ):
            page = search(store, index, query, groups=None, now=later)
            views = [f.view for f in page.found if f.view]
            found = [v for v in views if v.item.title.startswith(title)]
            assert found, (query, [v.item.title for v in views])
            if language:  # Le Parisien's feed declares no language: read from its text
                assert found[0].language == language, (title, found[0].language)
    finally:
        index.close()
        store.close()
