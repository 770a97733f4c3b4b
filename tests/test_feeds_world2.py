"""More real feeds from the world (tests/fixtures/feeds/world2/, see PROVENANCE.md) through the
real crawl, as tests/test_feeds_world.py does for feeds/world/: each file served by a real HTTP
server on 127.0.0.1, all collected in one crawl, then again after each changed by a byte; the
stored items are checked against `expected.yml` (written by hand from the files before Watcher
read them) and against the general rules of test_feeds_world."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from test_feeds_world import (
    World,
    assert_found_by_title,
    crawl_world,
    feed_problems,
    processed,
)

from watcher.find.search import search

WORLD2 = Path(__file__).parent / "fixtures" / "feeds" / "world2"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((WORLD2 / "expected.yml").read_text("utf-8"))


@pytest.fixture(scope="module")
def world2(tmp_path_factory: pytest.TempPathFactory) -> World:
    return crawl_world(tmp_path_factory.mktemp("world2"), WORLD2, EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_real_feed_is_stored_as_a_learner_must_see_it(world2: World, name: str) -> None:
    problems = feed_problems(world2, name, EXPECTED[name])
    assert not problems, "\n".join(problems)


def test_the_world_is_processed_and_found_by_the_words_of_its_titles(world2: World) -> None:
    """Processing (entities, axes, topics, references, near-duplicates, index) goes through
    every stored entry of these feeds, and search finds an entry by words of its title, accents
    folded (Bosnian, French, Vietnamese names)."""
    with processed(world2) as (store, index, later):
        assert_found_by_title(
            store,
            index,
            later,
            (
                ("Sarajlic delegat", "Asim Sarajlić: Izvinjavam se svima", ""),
                ("Zrijeb Lige nacija", "Žrijeb grupa Lige nacija", ""),
                ("revue faire", "Revue Faire — no. 46", ""),
                ("Gowanus", "E.P.A. Plan to Clean Up Gowanus Canal", ""),
            ),
        )
        # Le Monde's 2011 feed says <language>en</language>: its French text is read as French;
        # its one story under two rubrics (two links) is one cluster of near-duplicates
        page = search(store, index, "Montebourg", groups=None, now=later)
        views = [f.view for f in page.found if f.view]
        assert views and {v.language for v in views} == {"fr"}
        stored = [i for i in store.list_items() if i.title.startswith("Montebourg : ")]
        assert len(stored) == 2
        assert len(page.found) == 1 and len(page.found[0].also) == 1
