"""A third batch of real feeds (tests/fixtures/feeds/world3/, see PROVENANCE.md) through the
real crawl, as tests/test_feeds_world.py does for feeds/world/: each file served by a real HTTP
server on 127.0.0.1, all collected in one crawl, then again after each changed by a byte; the
stored items are checked against `expected.yml` (written by hand from the files before Watcher
read them) and against the general rules of test_feeds_world. Ten of these feeds are French
press feeds (Le Parisien, Franceinfo, Euronews, AgoraVox, Libération, Le Figaro, RT, L'Usine
Nouvelle, Le Média, Marianne)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_feeds_world import (
    World,
    assert_every_feed_stored,
    assert_found_by_title,
    crawl_world,
    feed_problems,
    processed,
    source_id,
)

from watcher.collect.feeds import parse_feed
from watcher.dates import parse_date
from watcher.model import Entry

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
    assert_every_feed_stored(world3, EXPECTED)


def test_the_third_world_is_processed_and_found_by_the_words_of_its_titles(
    world3: World,
) -> None:
    """Processing goes through every stored entry of these feeds, French ones are read as
    French, and search finds an entry by words of its title, accents folded."""
    with processed(world3) as (store, index, later):
        assert_found_by_title(
            store,
            index,
            later,
            (
                ("Semiologie Raoult", "Sémiologie de Didier Raoult", "fr"),
                ("emergents mondialisation", "Rattrapage économique des pays émergents", "fr"),
                ("Malhuret Melenchon", "«Le professeur Mélenchon", "fr"),
                ("Saur eaux industrielles", "Saur à la conquête des eaux industrielles", "fr"),
                ("Taapaca", "2007. Peligros del Complejo volcánico Taapaca", ""),
            ),
        )


def parsed(name: str) -> dict[str, Entry]:
    """The entries of one file of this folder as the feed parser reads them, by title."""
    feed = parse_feed((WORLD3 / name).read_bytes(), f"https://example.org/{name}")
    return {entry.title: entry for entry in feed.entries}


def test_a_weekday_settles_a_numeric_date_written_month_first() -> None:
    """Drupal's medium date « dim, 05/03/2020 - 11:30 » (Marianne) is month first: Sunday
    3 May, not Thursday 5 March. Without a weekday, or when it fits the day-first reading,
    a numeric date stays day first, as French sites write it."""
    paris = "Europe/Paris"
    assert parse_date("dim, 05/03/2020 - 11:30", paris) == datetime(2020, 5, 3, 9, 30, tzinfo=UTC)
    assert parse_date("sam, 05/02/2020 - 09:45", paris) == datetime(2020, 5, 2, 7, 45, tzinfo=UTC)
    assert parse_date("Sun, 05/03/2020 - 11:30", paris) == datetime(2020, 5, 3, 9, 30, tzinfo=UTC)
    assert parse_date("jeu. 05/03/2020 11:30", paris) == datetime(2020, 3, 5, 10, 30, tzinfo=UTC)
    assert parse_date("05/03/2020 11:30", paris) == datetime(2020, 3, 5, 10, 30, tzinfo=UTC)
    assert parse_date("mer, 31/12/2025", paris) == datetime(2025, 12, 30, 23, 0, tzinfo=UTC)


def test_a_guid_that_is_an_audio_file_is_not_the_entrys_link() -> None:
    """Apple's podcast sample has no <link>: its GUIDs are the episodes' audio files, which a
    learner must not be sent to as « the article »."""
    entries = parsed("apple-itunes-sample-enclosure-guids.rss")
    assert [entry.url for entry in entries.values()] == ["", "", ""]
    assert all("entrée sans lien" in entry.warnings for entry in entries.values())
    assert len({entry.guid for entry in entries.values()}) == 3  # each still followed by its GUID


def test_a_placeholder_description_is_no_summary() -> None:
    """Euronews writes <description>1</description>: a text without a letter says nothing."""
    entries = parsed("euronews-europe-placeholder-description.rss")
    first = entries[
        "L’UE doit gérer à la fois une crise sanitaire et la plus grave récession "
        "économique de son histoire"
    ]
    assert (first.summary, first.text) == ("", "")
    assert entries["Des vétérans au chevet des soignants"].summary


def test_an_author_written_with_entities_inside_cdata_is_read() -> None:
    entries = parsed("usinenouvelle-une-lire-l-article.rss")
    assert entries["Saur à la conquête des eaux industrielles"].author == "O.\u202fC."


def test_spip_rubric_link_closing_a_description_is_not_text() -> None:
    """SPIP's feeds end every description with « - <a rel="directory">Rubrique</a> », the
    site's menu: not the entry's text."""
    for entry in parsed("agoravox-spip-no-declaration.rss").values():
        assert entry.text.endswith("(...)"), entry.text[-80:]


def test_a_row_of_buttons_is_no_summary() -> None:
    """SERNAGEOMIN's Geoportal describes each record by its buttons only (« Abrir », « Detalles »,
    « Metadatos »): no summary, rather than « Abrir Detalles »."""
    for entry in parsed("sernageomin-georss-spanish-days.rss").values():
        assert (entry.summary, entry.text) == ("", ""), entry.title


def test_an_html_title_inside_a_description_is_not_its_text() -> None:
    """NASA's APOD, as a third party's script makes its feed, opens every description with the
    entry's <title> element again: the summary starts with the text."""
    entry = parsed("apod-acme-title-inside-description.rss")[
        "Venus, Moon, and the Smoking Mountain"
    ]
    assert entry.summary.startswith("Venus has returned as a brilliant morning star."), (
        entry.summary
    )


def test_a_podcast_hosts_closing_line_is_not_the_episodes_text() -> None:
    """Omny Studio closes every episode's notes with « See omnystudio.com/listener for privacy
    information. », in the description and in the content."""
    (entry,) = parsed("spiegel-update-omny-podcast.rss").values()
    assert entry.summary == "Die wichtigsten Nachrichten aus der SPIEGEL-Redaktion."
    assert entry.text == "Die wichtigsten Nachrichten aus der SPIEGEL-Redaktion."
