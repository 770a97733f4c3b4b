"""A seventh batch of real feed files (tests/fixtures/feeds/world7/, see PROVENANCE.md), French
first: the Journal officiel as a Go program writes it (the CNIL's, the Autorité de la
concurrence's and the Conseil constitutionnel's decisions: an Atom without its namespace,
dates as Go prints them, RSS whose titles are the texts' identifiers), then odd ones —
Golem.de's ISO-8859-1 and closing topics, GitHub's commit messages repeating their titles, a
Hugo feed whose content is « ... », an Atom content out of line, a Zola content that only
links to itself, a WordPress.com « Continue reading » — through the real crawl as a learner's
watch reads them: each file served by a real HTTP server on 127.0.0.1 and collected twice (the
second time after each changed by a byte), then processed and searched, and checked against
`expected.yml`."""

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
    source_id,
)
from test_feeds_world3 import exact_summary_problems

from watcher.collect.feeds import parse_feed
from watcher.model import Entry

FEEDS_DIR = Path(__file__).parent / "fixtures" / "feeds"
WORLD7 = FEEDS_DIR / "world7"
CONCURRENCE = "legifrss-concurrence-atom-no-namespace-empty-updated.atom"
FEEDS: dict[str, dict[str, Any]] = yaml.safe_load((WORLD7 / "expected.yml").read_text("utf-8"))


@pytest.fixture(scope="module")
def world7(tmp_path_factory: pytest.TempPathFactory) -> World:
    return crawl_world(tmp_path_factory.mktemp("world7"), WORLD7, FEEDS)


@pytest.mark.parametrize("name", sorted(FEEDS))
def test_a_real_feed_is_stored_as_a_learner_must_see_it(world7: World, name: str) -> None:
    problems = feed_problems(world7, name, FEEDS[name])
    problems += exact_summary_problems(world7, name, FEEDS[name])
    assert not problems, "\n".join(problems)


def test_no_feed_of_the_seventh_world_fails(world7: World) -> None:
    assert_every_feed_stored(world7, FEEDS)


def test_the_seventh_world_is_processed_and_found_by_the_words_of_its_titles(
    world7: World,
) -> None:
    """Processed, each entry is found by the words of its title. The Autorité de la
    concurrence's four decisions of December 2020 are four texts (four JORFTEXT, four acts:
    a nomination, a delegation, two ends of functions), each its own story: they share their
    formulae and names (estimated similarities 0.39 and 0.55, over the 0.3 threshold), and
    were grouped as one, so that « rapporteure générale adjointe » showed the nomination's
    story under another decision, never the nomination itself."""
    with processed(world7) as (store, index, later):
        decisions = world7.again[source_id(CONCURRENCE)]
        assert len(decisions) == 4
        clusters = {v.item.title[:60]: v.cluster_id for v in store.views([i.id for i in decisions])}
        assert len(set(clusters.values())) == 4, clusters
        assert_found_by_title(
            store,
            index,
            later,
            (
                ("referent deontologue", "Décision du 3 décembre 2020 portant désignation", "fr"),
                (
                    "rapporteure générale adjointe",
                    "Décision du 14 décembre 2020 portant nomination",
                    "fr",
                ),
                ("cessation fonctions rapporteure permanente", "Décision du 8 décembre", "fr"),
                ("Kolmar gaz naturel", "Arrêté du 26 novembre 2020 autorisant", "fr"),
                ("Boba Fett", 'Star Wars: Boba-Fett-Film ist "zu 100 Prozent tot"', "de"),
                ("podcast categories", "Parse podcast categories", ""),
                ("pacman leftover", "Tracking leftover packages with pacman", "en"),
            ),
        )


def parsed(path: Path, url: str = "") -> dict[str, Entry]:
    """The entries of one feed file as the feed parser reads them, by title."""
    feed = parse_feed(path.read_bytes(), url or f"https://example.org/{path.name}")
    return {entry.title: entry for entry in feed.entries}


# --- the bugs these files showed (each test seen failing before its fix) ----------------------


def test_a_placeholder_content_leaves_the_description_as_the_text() -> None:
    """Insanity Industries' Hugo feed gives one post a content:encoded of « ... » alone (its body
    left out) next to a real description: the stored text was the placeholder, dropped as
    such, so the entry had no text at all — a learner's search, topics and references read
    nothing of it. A placeholder content is no text: the description is. A real content,
    longer or shorter than the description, stays the text."""
    entries = parsed(WORLD7 / "feedrs-insanity-hugo-item-xml-base-elided-content.rss")
    assert entries["Pareto-optimal compression"].text == (
        "Everyone wants good compression. But what exactly is good compression? Time for a "
        "closer look."
    )
    assert entries["Tracking leftover packages with pacman"].text.startswith(
        "Automatically resolving and installing dependencies"
    )
    body = (WORLD7 / "feedrs-insanity-hugo-item-xml-base-elided-content.rss").read_bytes()
    dash = body.replace(b"\n                ...\n", b"\n                \xe2\x80\x94\n", 1)
    assert dash != body
    (kept, _) = parse_feed(dash, "https://example.org/index.xml").entries
    assert kept.text.endswith("Time for a closer look."), kept.text


def test_a_title_that_is_its_links_identifier_is_made_from_the_text() -> None:
    """The first Légifrance feed of legifrss titles every entry with the text's identifier
    (« JORFTEXT000042612877 », the last segment of its link) and gives the act's name as its
    description: a learner's list showed a column of identifiers. A one-word title that is
    its link's last segment names nothing: the entry is titled from its text, as an untitled
    one, and says so — and so is « DECISION - JORFTEXT000042620035 », the kind of text before
    its identifier. A title that only resembles its link (another case, no number), or a
    page's name that is its link's (intertwingly's « utf8mb4 », a release's « v3.9.0 »), stays;
    so does a sentence around the identifier (« Le texte JORFTEXT… est paru »)."""
    feed = parse_feed(
        (WORLD7 / "legifrss-jorf-rss-ids-as-titles-no-dates.rss").read_bytes(),
        "https://example.org/feed.rss",
    )
    first = feed.entries[0]
    assert first.title == (
        "Arrêté du 1er décembre 2020 instituant une commission chargée de donner des avis en "
        "matière …"
    ), first.title
    assert first.url == "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000042612877"
    assert any("JORFTEXT000042612877" in note for note in first.warnings), first.warnings
    assert len([note for note in first.warnings if "titre" in note]) == 1, first.warnings
    assert not any(entry.title.startswith("JORFTEXT") for entry in feed.entries)
    body = (WORLD7 / "legifrss-jorf-rss-ids-as-titles-no-dates.rss").read_bytes()
    for other in (b"<title>jorftext000042612877</title>", b"<title>JORFTEXT</title>"):
        kept = body.replace(b"<title>JORFTEXT000042612877</title>", other)
        assert kept != body
        (entry, *_) = parse_feed(kept, "https://example.org/feed.rss").entries
        assert entry.title == other[7:-8].decode(), entry.title
    # the program's feeds by issuer write the text's kind before its identifier
    decisions = parsed(WORLD7 / "legifrss-conseil-constitutionnel-rss-kind-and-id-titles.rss")
    assert "Décision n° 2020-807 DC du 3 décembre 2020" in decisions, sorted(decisions)
    assert not any("JORFTEXT" in title for title in decisions), sorted(decisions)
    for page in ("v3.9.0", "utf8mb4"):
        named = body.replace(b"JORFTEXT000042612877", page.encode())
        assert named.count(page.encode()) == 2
        (entry, *_) = parse_feed(named, "https://example.org/feed.rss").entries
        assert entry.title == page, entry.title
    sentence = body.replace(
        b"<title>JORFTEXT000042612877</title>",
        b"<title>Le texte JORFTEXT000042612877 est paru</title>",
    )
    (entry, *_) = parse_feed(sentence, "https://example.org/feed.rss").entries
    assert entry.title == "Le texte JORFTEXT000042612877 est paru", entry.title


def test_a_commit_messages_subject_line_is_not_its_text() -> None:
    """GitHub's commits feed gives every commit its whole message as content, in a <pre>:
    the subject line — the entry's title — then a blank line and the body. The learner's
    summary opened with the title just read (« Parse podcast categories » was the whole
    summary of that commit). The subject line goes when it is the title and a blank line or
    nothing follows it; a <pre> whose first line only starts like the title stays."""
    entries = parsed(WORLD7 / "github-commits-atom-pre-message-repeats-title.atom")
    assert entries["Parse podcast categories"].summary == ""
    refactor = entries["Refactor RSS parser to use default namespace"]
    assert refactor.summary == (
        "This change avoid some limitations of the Go XML parser regarding XML namespaces"
    )
    keyboard = entries["Use a `Set` instead of an array in a KeyboardHandler's member"]
    assert keyboard.text.startswith("The variable `triggers` is only used"), keyboard.text[:60]
    body = (WORLD7 / "github-commits-atom-pre-message-repeats-title.atom").read_bytes()
    longer = body.replace(
        b"&gt;Refactor RSS parser to use default namespace\n",
        b"&gt;Refactor RSS parser to use default namespace (again)\n",
    )
    assert longer != body
    kept = {e.title: e for e in parse_feed(longer, "https://example.org/main.atom").entries}
    assert kept["Refactor RSS parser to use default namespace"].summary.startswith(
        "Refactor RSS parser to use default namespace (again) This change"
    )


def test_the_sites_topics_closing_the_text_are_not_its_text() -> None:
    """Golem.de closes every description and content with its topics, links to its own
    « specials » pages in a parenthesis: « … Hinweise auf die Umsetzung. (Red Dead Redemption
    2, Red Dead Redemption) ». They are the site's keywords, the same words on every entry of
    a topic, not what the entry says; the learner's summary ended with them. A closing
    parenthesis of links to the site's pages goes; one with a word of its own, or a link to
    another site, stays."""
    entries = parsed(WORLD7 / "golem-feedcreator-latin1-topic-links-pixel.rss")
    twitch = entries["Let's Play: Twitch will Streamer zusammen spielen und singen lassen"]
    assert twitch.summary.endswith("und Singwettbewerbe."), twitch.summary[-60:]
    assert twitch.text.endswith("und Singwettbewerbe."), twitch.text[-60:]
    rdr = entries["Red Dead Redemption 2: Hinweise auf PC-Umsetzung in App von Rockstar Games"]
    assert rdr.summary.endswith("Hinweise auf die Umsetzung."), rdr.summary[-60:]
    body = (WORLD7 / "golem-feedcreator-latin1-topic-links-pixel.rss").read_bytes()
    worded = body.replace(
        b"(&lt;a href=&quot;https://www.golem.de/specials/twitch/",
        b"(siehe &lt;a href=&quot;https://www.golem.de/specials/twitch/",
    )
    elsewhere = body.replace(
        b"(&lt;a href=&quot;https://www.golem.de/specials/twitch/",
        b"(&lt;a href=&quot;https://www.twitch.tv/",
    )
    for changed in (worded, elsewhere):
        assert changed != body
        kept = {e.title: e for e in parse_feed(changed, "https://example.org/rss").entries}
        summary = kept[twitch.title].summary
        assert summary.endswith("Twitch, Amazon)"), summary[-60:]
