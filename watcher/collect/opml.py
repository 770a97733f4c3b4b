"""OPML import and export of a plan de veille's feed sources (pure: bytes and data in and out).

sources.yml stays the source of truth, edited by the group: an import never rewrites it, it
proposes the `sources:` lines to paste for the feeds that are not watched yet.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from urllib.parse import urlsplit

from watcher.config import ID_RE, Watch
from watcher.errors import WatcherError
from watcher.safe_yaml import dump_yaml
from watcher.text import fold

MAX_OPML_BYTES = 2_000_000
# Sites whose pages readers once listed as feeds but which publish none: NetNewsWire exported
# its old Twitter accounts as outlines whose xmlUrl is the account's page
# (« https://twitter.com/Arcep?screen_name=… »). Proposed as sources, they would fail at every
# crawl.
NO_FEED_HOSTS = ("twitter.com", "x.com")
MAX_FEEDS = 1000
MAX_DEPTH = 50  # nested folders (outlines in outlines)


class OpmlError(WatcherError, ValueError):
    """The file is not a usable OPML document (message for people)."""


@dataclass(frozen=True)
class OpmlFeed:
    title: str
    xml_url: str
    html_url: str = ""
    category: str = ""  # the enclosing outline's text, or the outline's category attribute


def export_opml(title: str, feeds: list[OpmlFeed], now: datetime) -> bytes:
    """An OPML 2.0 document (feeds grouped by category, as feed readers expect)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(now)
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for feed in feeds:
        parent = body
        if feed.category:
            if feed.category not in folders:
                folders[feed.category] = ET.SubElement(
                    body, "outline", text=feed.category, title=feed.category
                )
            parent = folders[feed.category]
        attrs = {"type": "rss", "text": feed.title, "title": feed.title, "xmlUrl": feed.xml_url}
        if feed.html_url:
            attrs["htmlUrl"] = feed.html_url
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Feeds of an OPML file (nested folders give the category). DOCTYPEs are refused."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError("fichier OPML trop gros (2 Mo au plus)")
    head = data[:4096].lower()
    if b"<!doctype" in data.lower() or b"<!entity" in head:
        raise OpmlError("fichier OPML refusé : les déclarations DOCTYPE/ENTITY sont interdites")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:  # its message is expat's English: where it broke is enough
        line, column = exc.position
        raise OpmlError(
            f"fichier OPML illisible : XML mal formé (ligne {line}, colonne {column + 1})"
        ) from exc
    if root.tag.lower() != "opml":
        raise OpmlError("ce n'est pas un fichier OPML (élément racine <opml> attendu)")
    body = root.find("body")
    if body is None:
        raise OpmlError("fichier OPML sans <body>")
    feeds: list[OpmlFeed] = []
    # Depth first, in document order, with a stack of our own: a file of thousands of nested
    # folders must get an answer, not exhaust Python's recursion.
    stack = [(outline, "", 1) for outline in reversed(body.findall("outline"))]
    while stack:
        outline, category, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise OpmlError(
                f"fichier OPML refusé : dossiers imbriqués sur plus de {MAX_DEPTH} niveaux "
                "(regroupez les flux dans des dossiers moins profonds)"
            )
        text = (outline.get("title") or outline.get("text") or "").strip()
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url:
            if len(feeds) >= MAX_FEEDS:
                raise OpmlError(f"trop de flux dans le fichier ({MAX_FEEDS} au plus)")
            feeds.append(
                OpmlFeed(
                    title=text or url,
                    xml_url=url,
                    html_url=(outline.get("htmlUrl") or "").strip(),
                    category=(outline.get("category") or category).strip().strip("/"),
                )
            )
        inner = text or category
        stack.extend((child, inner, depth + 1) for child in reversed(outline.findall("outline")))
    return feeds


def _slug(text: str) -> str:
    ascii_text = fold(text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:48].strip("-")
    return slug or "flux"


def _axis_for(category: str, watch: Watch) -> str | None:
    wanted = _slug(category)
    for axis in watch.axes:
        if wanted in (axis.id, _slug(axis.label)):
            return axis.id
    return None


@dataclass(frozen=True)
class ImportPlan:
    new: list[tuple[OpmlFeed, str]]  # (feed, proposed id)
    known: list[tuple[OpmlFeed, str]]  # (feed, id of the source that already watches it)
    rejected: list[tuple[OpmlFeed, str]]  # (feed, why)
    yaml_lines: str  # what to paste under `sources:` in sources.yml


def _feed_key(url: str) -> str:
    """What makes two addresses one feed for an import: the same host (any case) and path,
    whether written with http or https, with or without a final slash (MrRSS's export lists
    LinuxFr's « news.atom » once in http and once in https)."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.netloc.lower()}{path}{query}"


def _publishes_no_feed(url: str) -> str:
    """The site's name when `url` is a page of a site that publishes no feed, else ""."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.").removeprefix("mobile.")
    return host if host in NO_FEED_HOSTS else ""


def plan_import(feeds: list[OpmlFeed], watch: Watch, group_id: str | None) -> ImportPlan:
    """Which feeds are new for the watch, and the sources.yml lines that would add them."""
    by_url = {_feed_key(s.url): s.id for s in watch.sources}
    taken = {s.id for s in watch.sources}
    new: list[tuple[OpmlFeed, str]] = []
    known: list[tuple[OpmlFeed, str]] = []
    rejected: list[tuple[OpmlFeed, str]] = []
    entries: list[dict[str, object]] = []
    for feed in feeds:
        url = feed.xml_url
        if not re.match(r"^https?://[^\s/]+", url):
            rejected.append((feed, "adresse non http(s)"))
            continue
        if site := _publishes_no_feed(url):
            rejected.append(
                (
                    feed,
                    f"{site} ne publie pas de flux : cette adresse est une page de compte, pas "
                    "un flux RSS ou Atom (suivez plutôt le site ou le flux de la personne)",
                )
            )
            continue
        if _feed_key(url) in by_url:
            known.append((feed, by_url[_feed_key(url)]))
            continue
        base = _slug(feed.title)
        source_id, n = base, 2
        while source_id in taken or not ID_RE.match(source_id):
            source_id = f"{base}-{n}"
            n += 1
        taken.add(source_id)
        by_url[_feed_key(url)] = source_id
        entry: dict[str, object] = {
            "id": source_id,
            "name": feed.title,
            "kind": "feed",
            "url": url,
        }
        axis = _axis_for(feed.category, watch) if feed.category else None
        if axis:
            entry["axis"] = axis
        entry["level"] = "secondaire"
        entry["every"] = "6h"
        if group_id:
            entry["groups"] = [group_id]
        entries.append(entry)
        new.append((feed, source_id))
    lines = ""
    if entries:
        dumped = dump_yaml(entries, sort_keys=False, width=100)
        lines = (
            "# À coller sous « sources: » dans sources.yml, après vérification :\n"
            "# axe, niveau (primaire/secondaire), fréquence et grille de fiabilité.\n" + dumped
        )
    return ImportPlan(new, known, rejected, lines)
