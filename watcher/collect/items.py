"""What the spiders yield: the entries of a crawl on their way to the store.

Spiders read responses and yield these items; the item pipeline (`watcher.collect.pipeline`)
writes each one in one transaction and fills in what the spider needs to know back (the outcome
of each entry, the links that joined the frontier). A spider never writes to the store itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from watcher.model import Entry, Validators


@dataclass
class FeedEntries:
    """A feed's entries and the feed's validators: stored together (entries whose URL a user
    deleted are left out)."""

    source_id: str
    groups: tuple[str, ...]
    entries: list[Entry]
    url: str  # the feed's URL as requested: its validators are kept under it
    validators: Validators
    outcomes: list[str] = field(default_factory=list)  # set when stored: new/updated/unchanged


@dataclass
class FrontierLinks:
    """Article URLs found on a listing page or a sitemap, and that page's validators: they join
    the source's frontier together (URLs whose item a user deleted are left out)."""

    source_id: str
    links: list[str]
    page_url: str  # the listing or sitemap as requested: its validators are kept under it
    validators: Validators
    kept: list[str] = field(default_factory=list)  # set when stored: the links now in the frontier


@dataclass
class ArticlePage:
    """An article read from a page of the frontier: stored with its validators, and it leaves
    the frontier, at once."""

    source_id: str
    groups: tuple[str, ...]
    entry: Entry
    frontier_url: str  # the article as requested (its key in the frontier)
    validators: Validators
    outcome: str = ""  # set when stored: new/updated/unchanged


@dataclass
class ArticleNotModified:
    """A frontier article answered 304: nothing to store, it leaves the frontier."""

    source_id: str
    frontier_url: str


@dataclass
class ArticleFailed:
    """A frontier article could not be read: it stays in the frontier for a later crawl, and is
    forgotten after a few failures."""

    source_id: str
    frontier_url: str


CrawlItem = FeedEntries | FrontierLinks | ArticlePage | ArticleNotModified | ArticleFailed
