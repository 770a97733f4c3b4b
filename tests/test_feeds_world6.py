"""A sixth batch of real feed files (tests/fixtures/feeds/world6/, see PROVENANCE.md), French first,
of kinds and generators the batches before lacked — CommitStrip's dates written by a French
locale, a SPIP blog, Flus's Pelican blog, a Jekyll blog whose author is named once for the whole
feed, a Grenoble media on Medium, a Radio France podcast, jsonfeed.org's own JSON Feed, The
Oatmeal's FeedCreator RSS 1.0 in ISO-8859-1, Ghost, Vimeo's untitled entries — through the real
crawl as a learner's watch reads them: each file served by a real HTTP server on 127.0.0.1 and
collected twice (the second time after each changed by a byte), then processed and searched, and
checked against `expected.yml`."""

from __future__ import annotations

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
)
from test_feeds_world3 import exact_summary_problems

from watcher.collect.feeds import parse_feed
from watcher.model import Entry

FEEDS_DIR = Path(__file__).parent / "fixtures" / "feeds"
WORLD6 = FEEDS_DIR / "world6"
FEEDS: dict[str, dict[str, Any]] = yaml.safe_load((WORLD6 / "expected.yml").read_text("utf-8"))


@pytest.fixture(scope="module")
def world6(tmp_path_factory: pytest.TempPathFactory) -> World:
    return crawl_world(tmp_path_factory.mktemp("world6"), WORLD6, FEEDS)


@pytest.mark.parametrize("name", sorted(FEEDS))
def test_a_real_feed_is_stored_as_a_learner_must_see_it(world6: World, name: str) -> None:
    problems = feed_problems(world6, name, FEEDS[name])
    problems += exact_summary_problems(world6, name, FEEDS[name])
    assert not problems, "\n".join(problems)


def test_no_feed_of_the_sixth_world_fails(world6: World) -> None:
    assert_every_feed_stored(world6, FEEDS)


def test_the_sixth_world_is_processed_and_found_by_the_words_of_its_titles(
    world6: World,
) -> None:
    with processed(world6) as (store, index, later):
        assert_found_by_title(
            store,
            index,
            later,
            (
                ("histoire conf-call Teams", "C’est l’histoire d’une conf-call", "fr"),
                # three words and one of them French (« de »): too few to tell a language by
                ("questionnaire securite", "Questionnaire de sécurité", ""),
                ("pris le large", "J'ai pris le large", "fr"),
                ("naufrages espace", "Apollo 13 ou les naufragés", "fr"),
                ("emballages jetables", "« L’idée est d’éviter", "fr"),
                ("reglages filtrer flux", "Des réglages pour filtrer vos flux", "fr"),
                ("Kitty Letter", "I have a free game for you", "en"),
                ("weeknotes fever", "A bout of fever", ""),
            ),
        )


def parsed(path: Path, url: str = "") -> dict[str, Entry]:
    """The entries of one feed file as the feed parser reads them, by title."""
    feed = parse_feed(path.read_bytes(), url or f"https://example.org/{path.name}")
    return {entry.title: entry for entry in feed.entries}


# --- the bugs these files showed (each test seen failing before its fix) ----------------------


def test_the_feeds_author_is_the_author_of_its_entries_that_name_none() -> None:
    """Basile Simon's Jekyll feed names its author once, at the feed's level: RFC 4287 (4.2.1)
    has the feed's atom:author apply to every entry that names none, and JSON Feed 1.1 the
    top-level authors to every item without its own (journal.3960.org names its author on one
    item of two). Read entry by entry, they were stored without author. An entry that names
    its own author keeps it; RSS has no such rule (a channel's managingEditor is an editor)."""
    entries = parsed(WORLD6 / "basilesimon-jekyll-utm-links-no-content.atom")
    assert {entry.author for entry in entries.values()} == {"Basile Simon"}
    journal = parsed(FEEDS_DIR / "world" / "journal3960-jsonfeed11.json")
    assert journal["„Sabine“ am Flughafen Amsterdam"].author == "Frank Boës"
    assert journal["Lecker, lecker"].author == "Frank Boës"
    flus = parsed(WORLD6 / "flus-carnet-pelican-atom-no-content.atom")
    assert {entry.author for entry in flus.values()} == {"Marien"}
    body = (WORLD6 / "basilesimon-jekyll-utm-links-no-content.atom").read_bytes()
    own = body.replace(
        b"<title>Busy busy - weeknotes #25</title>",
        b"<title>Busy busy - weeknotes #25</title><author><name>Invit\xc3\xa9e</name></author>",
    )
    assert own != body
    feed = parse_feed(own, "https://example.org/atom.xml")
    assert {e.title: e.author for e in feed.entries}["Busy busy - weeknotes #25"] == "Invitée"
    oatmeal = parsed(WORLD6 / "oatmeal-feedcreator-rdf-latin1-view-on-website.rdf")
    assert {entry.author for entry in oatmeal.values()} == {"Matthew Inman"}


def test_the_sites_name_before_every_title_is_not_the_title() -> None:
    """Wheels24's feed (Argotic) writes the site's name before every title: « Wheels24.co.za |
    WATCH | Range Rover spices up… ». The name is the site's (its channel's <link> is
    www.wheels24.co.za), not the entry's: a learner reads it on every line of a digest, and
    a search for « Wheels24 » finds every entry. A title that names the channel's title before
    or after a separator (« Korben – … », « … | Framablog ») loses it too; a name followed by a
    colon is the title's own subject (« Framablog : dix ans »), and a title that is only the
    site's name stays."""
    (entry,) = parsed(FEEDS_DIR / "world5" / "wheels24-argotic-logo-enclosure.rss").values()
    assert entry.title == (
        "WATCH | Range Rover spices up its Velar line-up, adds new hybrid model to the range"
    )
    body = (WORLD6 / "commitstrip-wordpress-french-dates-cdata-entities.rss").read_bytes()
    dash = "CommitStrip – Questionnaire".encode()
    titled = body.replace(b"<![CDATA[Questionnaire", b"<![CDATA[" + dash)
    titled = titled.replace(b"bon moment ?]]>", b"bon moment ? | CommitStrip]]>")
    titled = titled.replace(b"<![CDATA[C&rsquo;est", b"<![CDATA[CommitStrip : C&rsquo;est")
    assert titled.count(b"CommitStrip") == body.count(b"CommitStrip") + 3
    titles = sorted(e.title for e in parse_feed(titled, "https://example.org/feed").entries)
    assert titles == [
        "CommitStrip : C’est l’histoire d’une conf-call Teams",
        "Le bon outil, pour le bon projet, au bon moment ?",
        "Questionnaire de sécurité",
    ]
    alone = body.replace(b"<![CDATA[Questionnaire de s\xc3\xa9curit\xc3\xa9]]>", b"CommitStrip")
    assert "CommitStrip" in {e.title for e in parse_feed(alone, "https://example.org/f").entries}


def test_the_entrys_title_opening_its_text_again_is_not_its_text() -> None:
    """Medium opens every story's content with its title again, as a heading (L'avertY's:
    « <h3>📣 « L’idée est d’éviter des montagnes d’emballages jetables »</h3> »): the summary a
    learner reads began with the title they had just read. A heading that opens the text with
    the title again (whatever its emoji and punctuation) is not the entry's text; a heading
    that only starts with the title stays, and so does an untitled entry's first line (its
    title is made from it)."""
    (entry,) = parsed(WORLD6 / "laverty-medium-title-repeated-in-content.rss").values()
    assert entry.summary.startswith("En tant que média à l’écoute des citoyen·ne·s"), entry.summary
    assert entry.text.startswith("En tant que média à l’écoute des citoyen·ne·s"), entry.text[:80]
    body = (WORLD6 / "laverty-medium-title-repeated-in-content.rss").read_bytes()
    longer = body.replace(b"jetables \xc2\xbb</h3>", b"jetables \xc2\xbb, dit Marion Scapin</h3>")
    assert longer != body
    (kept,) = parse_feed(longer, "https://example.org/feed").entries
    assert kept.text.startswith(
        "📣 « L’idée est d’éviter des montagnes d’emballages jetables », "
    ), kept.text[:80]
    untitled = body.replace(
        b"<title><![CDATA[ \xc2\xab L\xe2\x80\x99id\xc3\xa9e est d\xe2\x80\x99\xc3\xa9viter des "
        b"montagnes d\xe2\x80\x99emballages jetables \xc2\xbb]]></title>",
        b"",
    )
    assert untitled.count(b"<title>") == body.count(b"<title>") - 1
    (made,) = parse_feed(untitled, "https://example.org/feed").entries
    assert made.text.startswith("📣 « L’idée est d’éviter"), made.text[:60]
    # a gemlog's « # Title » line goes too; Google News's list, opening with the entry's own
    # article (its first item), is a list of articles, not a heading: it stays
    (gemlog,) = parsed(FEEDS_DIR / "world" / "redterminal-gemlog.atom").values()
    assert gemlog.text.startswith("``` Author, date and license"), gemlog.text[:60]
    (news,) = parsed(FEEDS_DIR / "google-actualites-fr.rss.xml").values()
    assert news.summary.startswith("Coronavirus en Belgique: 200 cas détectés"), news.summary


def test_a_podcast_episodes_credits_and_its_hosts_line_are_not_its_text() -> None:
    """Radio France (France Inter, France Culture, franceinfo: hundreds of podcasts) writes
    every episode's description as « durée : 00:53:58 - Affaires sensibles - par : Christophe
    Barreyre, Fabrice Drouelle - <the episode> - réalisé par : Flora BERNARD, … Vous aimez ce
    podcast ? Pour écouter tous les autres épisodes sans limite, rendez-vous sur Radio
    France. »: the duration, the show (the channel's title), its hosts, its producers and the
    host's line, run into the text without a full stop, are no part of what the episode is
    about, and the learner's summary opened on them. A « durée » that is not the opening
    credits' stays."""
    entries = parsed(WORLD6 / "radiofrance-affairessensibles-podcast-raw-ampersands.rss")
    apollo = entries["Apollo 13 ou les naufragés de l’espace"]
    assert apollo.text == (
        "C'est une épopée qui réunit héroïsme, génie technologique, audace diplomatique, sens du "
        "tragique. L’odyssée d'Apollo 13 c’est un vaisseau spatial en perdition, là-haut, "
        "flirtant avec la lune mais qui au dernier moment se dérobe pour une vulgaire panne "
        "électrique dans la soute du vaisseau."
    )
    assert apollo.summary.startswith("C'est une épopée qui réunit héroïsme"), apollo.summary
    musees = entries["Stéphane Breitwieser, le pilleur de musées"]
    assert musees.text == (
        "Aujourd’hui dans Affaires Sensibles : l’affaire Stéphane Breitwieser, le pilleur de musées"
    )
    body = (WORLD6 / "radiofrance-affairessensibles-podcast-raw-ampersands.rss").read_bytes()
    told = body.replace(b"dur\xc3\xa9e : 00:47:45 - ", b"La dur\xc3\xa9e : ")
    assert told.count(b"La dur") == 2  # the description and its iTunes copy
    kept = {e.title: e for e in parse_feed(told, "https://example.org/f").entries}
    assert kept["Stéphane Breitwieser, le pilleur de musées"].text.startswith("La durée : Affaires")
    # « Oli »'s episodes name their show « Une histoire et... Oli », and name no host
    oli = parsed(WORLD6 / "radiofrance-oli-podcast-show-in-credits-app-promo.rss")
    poulpe = oli['OLI en concert : "Idriss et le secret du poulpe", par Simon Johannin']
    assert poulpe.summary.startswith("Pour se glisser dans la peau d’Idriss"), poulpe.summary


def test_an_episodes_hosts_are_its_authors_not_the_networks_mailbox() -> None:
    """Radio France gives every episode two authors: RSS's <author>, its network's mailbox
    (« podcast@radiofrance.com (Radio France) »), and iTunes's, the episode's hosts
    (« Christophe Barreyre, Fabrice Drouelle »). The learner was shown « Radio France » (the
    mailbox's name) on every episode of every show. A name given without an address, next to a
    mailbox's, is the entry's author; a mailbox alone keeps its name."""
    entries = parsed(WORLD6 / "radiofrance-affairessensibles-podcast-raw-ampersands.rss")
    assert entries["Apollo 13 ou les naufragés de l’espace"].author == (
        "Christophe Barreyre, Fabrice Drouelle"
    )
    assert entries["Stéphane Breitwieser, le pilleur de musées"].author == (
        "Fabrice Drouelle, Franck COGNARD"
    )
    body = (WORLD6 / "radiofrance-affairessensibles-podcast-raw-ampersands.rss").read_bytes()
    alone = body.replace(
        b"<itunes:author>Christophe Barreyre, Fabrice Drouelle</itunes:author>", b""
    )
    assert alone != body
    kept = {e.title: e for e in parse_feed(alone, "https://example.org/f").entries}
    assert kept["Apollo 13 ou les naufragés de l’espace"].author == "Radio France"
