"""A fifth batch of real feed files (tests/fixtures/feeds/world5/, see PROVENANCE.md) of kinds the
batches before lacked — a French SPIP feed closing with its menu, a Drupal date written as a
<time> element, dates in « BST », dates in 2099, Bing News's redirector, Hacker News's
comments-only descriptions, an Atom feed without its namespace, FluxBB, RSS-Bridge — through the
real crawl as a learner's watch reads them: each file served by a real HTTP server on 127.0.0.1
and collected twice (the second time after each changed by a byte), then processed and searched,
and checked against `expected.yml`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_feeds_world import (
    NOW,
    World,
    assert_every_feed_stored,
    assert_found_by_title,
    crawl_world,
    feed_problems,
    processed,
    stored_by_source,
)
from test_feeds_world3 import exact_summary_problems

from conftest import Watcher, feed_source
from watcher.collect.feeds import parse_feed
from watcher.dates import parse_date
from watcher.demo.server import LocalSite, Route
from watcher.model import Entry
from watcher.urls import redirect_target

WORLD5 = Path(__file__).parent / "fixtures" / "feeds" / "world5"
FEEDS: dict[str, dict[str, Any]] = yaml.safe_load((WORLD5 / "expected.yml").read_text("utf-8"))


@pytest.fixture(scope="module")
def world5(tmp_path_factory: pytest.TempPathFactory) -> World:
    return crawl_world(tmp_path_factory.mktemp("world5"), WORLD5, FEEDS)


@pytest.mark.parametrize("name", sorted(FEEDS))
def test_a_real_feed_is_stored_as_a_learner_must_see_it(world5: World, name: str) -> None:
    problems = feed_problems(world5, name, FEEDS[name])
    problems += exact_summary_problems(world5, name, FEEDS[name])
    assert not problems, "\n".join(problems)


def test_no_feed_of_the_fifth_world_fails(world5: World) -> None:
    assert_every_feed_stored(world5, FEEDS)


def test_the_fifth_world_is_processed_and_found_by_the_words_of_its_titles(
    world5: World,
) -> None:
    with processed(world5) as (store, index, later):
        assert_found_by_title(
            store,
            index,
            later,
            (
                ("affaiblissement normes ecologiques", "Europe : vers un « affaiblissement", "fr"),
                ("Losartan recall", "Vivimed Life Sciences", "en"),
                ("Super League", "Real Madrid, Barcelona and Juventus", ""),
                ("Slack Wyrm Bucky", "Slack Wyrm 901", ""),
                # LinuxFr declares « en-US » for its French diaries: read as French from its text
                ("Hurd Guix", "Sorties de GNU Hurd 0.5", "fr"),
            ),
        )


def parsed(name: str, url: str = "", now: datetime | None = None) -> dict[str, Entry]:
    """The entries of one file of this folder as the feed parser reads them, by title."""
    options: dict[str, Any] = {"now": now} if now else {}
    feed = parse_feed((WORLD5 / name).read_bytes(), url or f"https://example.org/{name}", **options)
    return {entry.title: entry for entry in feed.entries}


def test_fixtures_of_the_fifth_world_are_dated_before_the_crawl() -> None:
    """The tests crawl at NOW: every date of these files is before it, but Joshua Wright's."""
    assert datetime(2026, 7, 30, tzinfo=UTC) < NOW


# --- the bugs these files showed (each test seen failing before its fix) ----------------------


def test_a_bing_news_redirect_link_is_the_article_it_leads_to() -> None:
    """Bing News gives every entry's link as its click-through redirector
    (http://www.bing.com/news/apiclick.aspx?ref=FexRss&…&url=<article>&c=…&mkt=…): the article's
    address is the `url` parameter, as in Google's redirector."""
    (entry,) = parsed("bingnews-apiclick-redirect-links.rss").values()
    assert entry.url == (
        "https://www.dailymail.co.uk/sport/football/article-9554407/"
        "Real-Madrid-Barcelona-Juventus-threaten-clubs-withdrawing-Super-League-legal-action.html"
    )
    assert redirect_target("https://www.bing.com/news/search?q=madrid&url=x") == (
        "https://www.bing.com/news/search?q=madrid&url=x"  # a search page is no redirect
    )


def test_a_date_in_a_named_european_zone_is_read_in_that_zone() -> None:
    """Sky Sports writes « Fri, 17 May 2019 06:00:00 BST »: British Summer Time, UTC+1. The
    e-mail parser does not know « BST » and handed the time back without a zone, read then in
    the watch's zone (Paris, UTC+2 in May): an hour off. The zones Europe's feeds name are read
    as what they say; a zone without a fixed meaning (« IST ») still falls to the watch's."""
    entries = parsed("skysports-xsl-bst-dates-image-enclosures.rss")
    assert entries["Insight: Who should Liverpool sign?"].published == datetime(
        2019, 5, 17, 5, 0, tzinfo=UTC
    )
    paris = "Europe/Paris"
    assert parse_date("Fri, 17 May 2019 06:00:00 BST", paris) == datetime(
        2019, 5, 17, 5, tzinfo=UTC
    )
    assert parse_date("Mon, 02 Dec 2019 10:00:00 CET", paris) == datetime(
        2019, 12, 2, 9, tzinfo=UTC
    )
    assert parse_date("Mon, 01 Jul 2019 10:00:00 CEST", paris) == datetime(
        2019, 7, 1, 8, tzinfo=UTC
    )
    assert parse_date("Mon, 01 Jul 2019 10:00:00 WEST", paris) == datetime(
        2019, 7, 1, 9, tzinfo=UTC
    )
    assert parse_date("Mon, 01 Jul 2019 10:00:00 EEST", paris) == datetime(
        2019, 7, 1, 7, tzinfo=UTC
    )
    assert parse_date("Mon, 01 Jul 2019 10:00:00 EDT", paris) == datetime(
        2019, 7, 1, 14, tzinfo=UTC
    )


def test_a_date_given_as_a_time_element_is_read_from_its_datetime() -> None:
    """Drupal writes the date of an item as HTML: <pubDate><time datetime="2019-05-03T19:21:28Z">
    Fri, 05/03/2019 - 15:21</time></pubDate>. feedparser keeps the text (15:21 in Washington,
    read then in the watch's zone: six hours off); the machine-readable datetime is the date."""
    (entry,) = parsed("fda-drupal-time-element-in-pubdate.rss").values()
    assert entry.published == datetime(2019, 5, 3, 19, 21, 28, tzinfo=UTC)


def test_a_link_to_the_entrys_comments_alone_is_no_summary() -> None:
    """Hacker News describes every entry by one link, « Comments », to its discussion (the
    item's <comments>): nothing of the article. A link to the comments inside a text stays."""
    (entry,) = parsed("hackernews-double-escaped-comments-only.rss").values()
    assert (entry.summary, entry.text) == ("", "")


def test_spip_closing_menu_of_rubric_and_keywords_is_not_text() -> None:
    """Reporterre's SPIP feed closes each description with « Lire la suite » (a link to the
    entry, with utm_ parameters), « - <a rel="directory">En bref</a> » and « / <a rel="tag">
    Europe</a> »: the site's menu, not the entry's text."""
    (entry,) = parsed("reporterre-spip-lire-la-suite-tag.rss").values()
    assert entry.text.endswith("affaiblissement historique des normes (…)"), entry.text[-80:]


def test_a_date_long_after_the_crawl_is_no_publication_date() -> None:
    """Nextcloud News's copy of Joshua Wright's feed dates every entry in 2099: no entry was
    published 73 years after it was read. The entry is kept without a date, as an undated one,
    and the warning says why; a date within a day of the crawl (a
    clock a little ahead, a zone misread) stays."""
    crawl = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    entries = parsed("nextcloud-joshuawright-no-guid-2099.rss", now=crawl)
    first = entries["Slack Wyrm 911 - Feeling better"]
    assert first.published is None
    assert first.published_raw == "Wed, 13 Apr 2099 09:07:01 +0100"
    assert any("date dans le futur" in note for note in first.warnings), first.warnings
    body = (WORLD5 / "nextcloud-joshuawright-no-guid-2099.rss").read_bytes()
    soon = parse_feed(body, "https://example.org/feed.rss", now=datetime(2099, 4, 13, tzinfo=UTC))
    assert soon.entries[0].published == datetime(2099, 4, 13, 8, 7, 1, tzinfo=UTC)
    assert crawl + timedelta(days=1) < datetime(2099, 1, 1, tzinfo=UTC)


def test_entries_linked_to_the_sites_home_page_are_told_apart_by_their_titles(
    tmp_path: Path,
) -> None:
    """Lucasdelirium links every weekly update (« AGGIORNAMENTO DEL 28-9-2025 ») to its home
    page, without a GUID: the link names the site, not the entry. Followed by it, next week's
    update became a new version of this one, which left the group's lists. Followed by their
    link and title, both stay. (The second week is this file with its title's date changed, as
    the site's next update would be.)"""
    body = (WORLD5 / "lucasdelirium-uppercase-em-in-description.rss").read_bytes()
    next_week = body.replace(b"AGGIORNAMENTO DEL 28-9-2025", b"AGGIORNAMENTO DEL 5-10-2025")
    assert next_week != body
    route = Route(body=body, headers={"Content-Type": "application/rss+xml"})
    with LocalSite(routes={"/lucas.rss": route}) as site:
        watcher = Watcher(tmp_path)
        watcher.write([feed_source(site, "/lucas.rss", id="lucas")])
        watcher.crawl(NOW)
        route.body = next_week
        second = watcher.crawl(NOW + timedelta(days=7))
        stored = stored_by_source(watcher)["lucas"]
    assert second.results[0].new == 1
    assert sorted(item.title for item in stored) == [
        "AGGIORNAMENTO DEL 28-9-2025",
        "AGGIORNAMENTO DEL 5-10-2025",
    ]
    assert {item.url for item in stored} == {"https://www.lucasdelirium.it/"}


def test_an_enclosure_written_as_a_links_text_is_not_the_entrys_link() -> None:
    """DDay.it writes its photo as <link rel="enclosure" type="image/jpeg">https://…jpg</link>
    (the address as the element's text, not its href): feedparser then gives that photo as the
    entry's link. The entry's link is its rel="alternate" one; and the closing « ... Leggi
    tutto » link to it is no text."""
    (entry,) = parsed("dday-atom-enclosure-href-as-text-leggi-tutto.atom").values()
    assert entry.url == (
        "https://www.dday.it/redazione/52184/"
        "alexa-ufficiale-parla-e-pensa-come-una-persona-e-sara-gratis-con-prime"
    )
    assert entry.text.endswith("e sarà incluso in Prime."), entry.text[-60:]


def test_a_closing_link_to_the_entry_in_another_format_is_no_text() -> None:
    """LinuxFr closes every diary with « Télécharger ce contenu au format Epub » (the entry's
    own address with « .epub ») and « Lire les commentaires » (its « #comments »): neither is
    the entry's text. A link to another document inside the text stays."""
    entries = parsed("linuxfr-journaux-2013-epub-and-comments-links.atom")
    for entry in entries.values():
        assert "Epub" not in entry.text and "commentaires" not in entry.text, entry.text[-80:]
    hurd = entries["Sorties de GNU Hurd 0.5, GNU Guix 0.4"]
    assert hurd.text.endswith("gnumach.git/tree/%3dannounce-1.3"), hurd.text[-80:]
