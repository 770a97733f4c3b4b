"""A fourth batch of real files (tests/fixtures/feeds/world4/, see PROVENANCE.md) of kinds the
batches before lacked, through the real crawl as a learner's watch reads them: JSON Feeds of real
sites, Mastodon profile and hashtag feeds, Google Alerts and Google News, each served by a real
HTTP server on 127.0.0.1 and collected twice (the second time after each changed by a byte), then
processed and searched; news sitemaps and sitemap indexes crawled from their own origin; two
OPML subscription lists imported as the web app imports them. Everything is checked against
`expected.yml`, written by hand from the files before Watcher read them."""

from __future__ import annotations

from datetime import UTC, datetime
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
    source_id,
    utc,
)
from test_feeds_world3 import exact_summary_problems

from conftest import Watcher, feed_source
from watcher.collect.feeds import parse_feed
from watcher.collect.opml import parse_opml, plan_import
from watcher.config import load_watch
from watcher.demo.server import LocalSite, Route
from watcher.model import Entry

WORLD4 = Path(__file__).parent / "fixtures" / "feeds" / "world4"
EXPECTED: dict[str, Any] = yaml.safe_load((WORLD4 / "expected.yml").read_text("utf-8"))
SITEMAPS: dict[str, dict[str, Any]] = EXPECTED.pop("sitemaps")
OPML: dict[str, dict[str, Any]] = EXPECTED.pop("opml")
FEEDS: dict[str, dict[str, Any]] = EXPECTED


@pytest.fixture(scope="module")
def world4(tmp_path_factory: pytest.TempPathFactory) -> World:
    return crawl_world(tmp_path_factory.mktemp("world4"), WORLD4, FEEDS)


def untitled_summary_problems(world: World, name: str, expected: dict[str, Any]) -> list[str]:
    """`summary_is`, `summary_lacks` and `text_lacks` of the entries without a title (by link),
    which `feed_problems` reads only for the entries it finds by title."""
    stored = {item.url: item for item in world.stored.get(source_id(name), [])}
    problems = []
    for wanted in expected.get("untitled", ()):
        item = stored.get(wanted["url"])
        if item is None:
            continue  # feed_problems says so
        if "summary_is" in wanted and item.summary != wanted["summary_is"]:
            problems.append(f"{wanted['url']}: summary {item.summary!r}")
        problems += [
            f"{wanted['url']}: text keeps {part!r}: {item.text[:200]!r}"
            for part in wanted.get("text_lacks", ())
            if part in item.text
        ]
    return problems


@pytest.mark.parametrize("name", sorted(FEEDS))
def test_a_real_feed_is_stored_as_a_learner_must_see_it(world4: World, name: str) -> None:
    problems = feed_problems(world4, name, FEEDS[name])
    problems += exact_summary_problems(world4, name, FEEDS[name])
    problems += untitled_summary_problems(world4, name, FEEDS[name])
    assert not problems, "\n".join(problems)


def test_no_feed_of_the_fourth_world_fails(world4: World) -> None:
    assert_every_feed_stored(world4, FEEDS)


def test_the_fourth_world_is_processed_and_found_by_the_words_of_its_titles(
    world4: World,
) -> None:
    with processed(world4) as (store, index, later):
        assert_found_by_title(
            store,
            index,
            later,
            (
                ("philosophie statique", "Philosophie du statique", "fr"),
                ("promesse marque", "Brand Promise - The Branding Journal", "fr"),
                ("Estacion bosque milenario", "Exposición “Estación Umbría”", ""),
                # (« Umbria » typed without its accent: folded before the French stemmer)
                ("Estacion Umbria", "Exposición “Estación Umbría”", ""),
                ("Concord history", "This week in Concord history", ""),
                ("Flippening", "Whitepaper Whitewashing", ""),
                ("Shameless blog series", "Shameless blog series plug", ""),
            ),
        )


def parsed(name: str) -> dict[str, Entry]:
    """The entries of one file of this folder as the feed parser reads them, by title."""
    feed = parse_feed((WORLD4 / name).read_bytes(), f"https://example.org/{name}")
    return {entry.title: entry for entry in feed.entries}


# --- sitemaps -------------------------------------------------------------------------------

SITES = {  # the files each site serves, at the paths its sitemaps name
    "immodurable": {
        "/news-sitemap.xml": "immodurable-rankmath-news-sitemap-relative.xml",
        "/sitemap_index.xml": "immodurable-rankmath-sitemap-index-relative.xml",
    },
    "6annonce": {
        "/sitemap_index.xml": "6annonce-yoast-sitemap-index-relative.xml",
        "/page-sitemap.xml": "6annonce-yoast-page-sitemap-relative.xml",
    },
}


def test_the_sitemaps_entries_and_dates_are_read_as_written() -> None:
    from spiders.sitemap import sitemap_entries

    for wanted in SITEMAPS.values():
        if "entries" not in wanted:
            continue
        body = (WORLD4 / SITES[wanted["site"]][wanted["url"]]).read_bytes()
        kind, entries = sitemap_entries(body, "Europe/Paris")
        assert kind == "urlset"
        assert [(loc, when) for loc, when in entries] == [
            (loc, utc(when)) for loc, when in wanted["entries"]
        ]


@pytest.mark.parametrize("source", sorted(SITEMAPS))
def test_a_real_sitemap_asks_for_its_articles_at_its_own_origin(
    tmp_path: Path, source: str
) -> None:
    wanted = SITEMAPS[source]
    routes: dict[str, Route | Any] = {
        path: Route(body=(WORLD4 / name).read_bytes(), headers={"Content-Type": "application/xml"})
        for path, name in SITES[wanted["site"]].items()
    }
    with LocalSite(routes=routes) as site:
        watcher = Watcher(tmp_path)
        watcher.write([{**feed_source(site, wanted["url"], id=source), "kind": "sitemap"}])
        [result] = watcher.crawl(NOW).results
        paths = [hit.path for hit in site.hits]
    assert result.error == wanted["error"], result.error
    if "warning" in wanted:
        assert any(wanted["warning"] in w for w in result.warnings), result.warnings
    sitemaps = [p for p in paths if p.endswith(".xml") and p != wanted["url"]]
    if "sitemaps_asked" in wanted:
        assert sorted(sitemaps) == sorted(wanted["sitemaps_asked"])
    articles = [p for p in paths if not p.endswith(".xml") and p != "/robots.txt"]
    if "asks" in wanted:
        assert sorted(articles) == sorted(wanted["asks"])
    if "asks_count" in wanted:
        assert len(articles) == wanted["asks_count"], articles
    assert set(wanted.get("asks_include", ())) <= set(articles), articles
    assert not set(wanted.get("asks_exclude", ())) & set(articles)


# --- OPML -------------------------------------------------------------------------------------


def watch_without_sources(tmp_path: Path) -> Watcher:
    watcher = Watcher(tmp_path)
    watcher.write([])
    return watcher


@pytest.mark.parametrize("name", sorted(OPML))
def test_a_real_opml_list_is_imported_as_a_learner_must_see_it(tmp_path: Path, name: str) -> None:
    wanted = OPML[name]
    feeds = parse_opml((WORLD4 / name).read_bytes())
    assert len(feeds) == wanted["feeds"]
    by_title = {feed.title: feed for feed in feeds}
    if "first" in wanted:
        assert (feeds[0].title, feeds[0].xml_url) == (
            wanted["first"]["title"],
            wanted["first"]["xml_url"],
        )
    assert set(wanted.get("titles_include", ())) <= set(by_title), sorted(by_title)
    for title, category in wanted.get("categories", {}).items():
        assert by_title[title].category == category, (title, by_title[title].category)
    watcher = watch_without_sources(tmp_path)
    plan = plan_import(feeds, load_watch(watcher.workspace.config), "g1")
    counts = (len(plan.new), len(plan.known), len(plan.rejected))
    assert counts == (wanted["new"], wanted["known"], wanted["rejected"]), (
        counts,
        [(f.xml_url, why) for f, why in plan.rejected],
        [(f.xml_url, sid) for f, sid in plan.known],
    )
    if "rejected_reason" in wanted:
        assert all(wanted["rejected_reason"] in why for _, why in plan.rejected), plan.rejected
    ids = {sid for _, sid in plan.new}
    assert set(wanted.get("ids_include", ())) <= ids, sorted(ids)
    if wanted.get("lines_pass_check"):
        pasted = yaml.safe_load(plan.yaml_lines)
        watcher.write(pasted)
        assert [s.id for s in load_watch(watcher.workspace.config).sources] == [
            sid for _, sid in plan.new
        ]


def test_fixtures_of_the_fourth_world_are_dated_before_the_crawl() -> None:
    """The tests crawl at NOW: every date written in these files is before it."""
    assert datetime(2026, 9, 25, tzinfo=UTC) < NOW


# --- the bugs these files showed (each test seen failing before its fix) ----------------------


def test_a_google_redirect_link_is_the_article_it_leads_to() -> None:
    """Google Alerts gives every entry's link as Google's click-through redirector
    (https://www.google.com/url?rct=j&sa=t&url=<article>&ct=ga&cd=…&usg=…): the article's
    address is the `url` parameter, as FeedBurner's origLink is."""
    entries = parsed("google-alerts-arte-redirect-links.atom")
    assert sorted(entry.url for entry in entries.values()) == [
        "https://www.elmartutino.cl/noticia/cultura/"
        "artepuerto-2026-reune-34-artistas-en-exposicion-gratuita-en-valparaiso",
        "https://www.uct.cl/actualidad/noticias/"
        "exposicion-estacion-umbria-lleva-el-bosque-milenario-de-la-araucania-hasta-la-uct/",
    ]
    (entry,) = parsed("google-alerts-philipdick-2021-commented.atom").values()
    assert entry.url == (
        "https://www.theconcordinsider.com/2021/06/04/this-week-in-concord-history-502/"
    )


def test_a_json_feed_relative_link_is_resolved_against_the_feed_address() -> None:
    """A Hugo theme writes "home_page_url": "/" and relative item urls: resolved against the
    feed's own address, as in RSS and Atom, they lead to the site's pages (they were dropped)."""
    feed = parse_feed(
        (WORLD4 / "strad-hugo-jsonfeed-garbled-dates.json").read_bytes(),
        "https://ecrinum.gitpages.huma-num.fr/demarreur/feed.json",
    )
    assert [entry.url for entry in feed.entries] == [
        "https://ecrinum.gitpages.huma-num.fr/conception-site/",
        "https://ecrinum.gitpages.huma-num.fr/philosophie-statique/",
        "https://ecrinum.gitpages.huma-num.fr/presentation/",
        "https://ecrinum.gitpages.huma-num.fr/ressources/",
    ]
    assert all(entry.published is None for entry in feed.entries)


def test_a_link_to_the_authors_own_computer_is_not_the_entrys_link() -> None:
    """A site built with `hugo server` links every entry to //localhost:1313/…: the learner's
    own computer, not the article. The entry is kept without a link, and the warning says why."""
    feed = parse_feed(
        (WORLD4 / "labveiltech-hugo-jsonfeed-localhost.json").read_bytes(),
        "https://gilliandsami.github.io/feed.json",
    )
    (entry,) = feed.entries
    assert entry.url == ""
    assert any("localhost:1313" in note for note in entry.warnings), entry.warnings
    assert entry.guid == "f51f9cc5f0df9e9c6807c4bb7a3708c4440fd48d"  # followed by its id
    on_this_machine = parse_feed(
        (WORLD4 / "labveiltech-hugo-jsonfeed-localhost.json").read_bytes(),
        "http://127.0.0.1:8765/feed.json",  # a feed read from this machine keeps such links
    )
    assert on_this_machine.entries[0].url == ("http://localhost:1313/posts/article3-brand-promise/")


def test_an_index_whose_sitemaps_are_all_missing_fails_in_french(tmp_path: Path) -> None:
    """One missing sitemap of an index is a warning (above); when none of them can be read, the
    source has nothing to give: it fails, and says where to look."""
    index = (WORLD4 / "6annonce-yoast-sitemap-index-relative.xml").read_bytes()
    routes = {"/sitemap_index.xml": Route(body=index, headers={"Content-Type": "application/xml"})}
    with LocalSite(routes=dict(routes)) as site:
        watcher = Watcher(tmp_path)
        watcher.write(
            [{**feed_source(site, "/sitemap_index.xml", id="annonces"), "kind": "sitemap"}]
        )
        [result] = watcher.crawl(NOW).results
    assert result.error.startswith("le sitemap de l'index n'a pas pu être lu"), result.error
    assert any("/page-sitemap.xml : page introuvable (404)" in w for w in result.warnings), (
        result.warnings
    )
