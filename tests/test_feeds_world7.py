"""A seventh batch of real feed files (tests/fixtures/feeds/world7/, see PROVENANCE.md), French
first: the Journal officiel as a Go program writes it (the CNIL's and the Autorité de la
concurrence's decisions: an Atom without its namespace, dates as Go prints them; an RSS whose
titles are the texts' identifiers), Le Monde's 2024 feed without a declaration, and odd ones —
Golem.de's ISO-8859-1, GitHub's commit messages repeating their titles, a Hugo feed whose
content is « ... », an Atom content out of line, a Zola content that only links to itself, a
WordPress.com « Continue reading » — through the real crawl as a learner's watch reads them:
each file served by a real HTTP server on 127.0.0.1 and collected twice (the second time after
each changed by a byte), then processed and searched, and checked against `expected.yml`."""

from __future__ import annotations

from pathlib import Path

from watcher.collect.feeds import parse_feed
from watcher.model import Entry

FEEDS_DIR = Path(__file__).parent / "fixtures" / "feeds"
WORLD7 = FEEDS_DIR / "world7"


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
