"""Feed bytes → entries (pure). RSS 0.9x/1.0/2.0 and Atom via feedparser, JSON Feed by hand.

Hostile XML is defused *before* feedparser sees it: the DOCTYPE (and with it every entity
declaration and external DTD) is removed, because feedparser's loose fallback parser expands
entities that expat refused (quadratic blowup). The bytes are handed over as a file object so
that feedparser never opens a path or URL that a hostile body might contain.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import feedparser
import lxml.html
from lxml import etree

from watcher.collect.extract import (
    clean_text,
    html_to_text,
    looks_like_html,
    shorten,
    without_site_name,
)
from watcher.collect.repeated import without_repeated
from watcher.dates import date_fr, parse_date
from watcher.model import Entry
from watcher.urls import canonical_url, is_loopback_host, joined, redirect_target

DOCTYPE = re.compile(rb"<!DOCTYPE\b", re.IGNORECASE)
ENTITY = re.compile(rb"<!ENTITY\b", re.IGNORECASE)
UTF8_BOM = b"\xef\xbb\xbf"
# an empty <item/> or <entry/> holds no entry; nested inside a real one (PCMag's FeedBurner feed),
# feedparser closes the real entry there and gives what follows it (the origLink) to the feed
EMPTY_ENTRY = re.compile(rb"<(?:item|entry)\s*/>")
# a date element that holds an HTML <time> (Drupal's: <pubDate><time datetime="2019-05-03T19:21:
# 28Z">Fri, 05/03/2019 - 15:21</time></pubDate>): feedparser keeps the text, a local time without
# its zone; the machine-readable `datetime` is the date
DATE_TIME_ELEMENT = re.compile(
    rb"(<(?:[\w.-]+:)?(pubDate|date|published|updated|created|issued|modified)\b[^>]*>)\s*"
    rb"<time\b[^>]*?\bdatetime\s*=\s*([\"'])([^\"'<>]+)\3[^>]*>[^<]*</time>\s*"
    rb"(</(?:[\w.-]+:)?\2\s*>)"
)
# a document cut short (a transfer that stopped) ends inside its last entry: it does not end
# by closing its root (or channel: a forgotten </item></rss> is no cut), and the last entry
# opened was never closed
ENTRY_OPEN = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s>]")
ENTRY_CLOSE = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>")
ROOT_CLOSE = re.compile(rb"</(?:[\w.-]+:)?(?:rss|feed|RDF|channel)\s*>\s*$")
TITLE_FROM_TEXT = 100  # the longest title made from an untitled entry's text
LONG_NUMBER = re.compile(r"\d{6}")  # a record's number, in an identifier used as a title
# What a title made from an entry's text leaves out (a micro-blog post's: Mastodon, micro.blog):
# links, the mentions a reply opens with, the hashtags that close a line (or make it whole)
_LINK_WORD = re.compile(r"(?:https?://|www\.)\S+$", re.IGNORECASE)
_MENTION_WORD = re.compile(r"@[\w.-]+(?:@[\w.-]+)?:?$")
_HASHTAG_WORD = re.compile(r"#\w[\w·-]*[.,;:!?]*$")
# A sentence's end: « ! », « ? », « … », or a full stop after a word of two letters or more
# (not « M. Dupont », « U.S. »), then a space and a word that does not start in lower case
_SENTENCE_END = re.compile(r"(?:(?<=\w\w)\.|[!?…])[»\"”’)]*(?=\s+(?![a-zà-öø-ÿ])\S)")
# Where a redirecting feed proxy keeps the article's own address next to its click-tracking
# <link> (feedparser's names for feedburner:origLink and pheedo:origLink).
ORIGINAL_LINK_KEYS = ("feedburner_origlink", "pheedo_origlink")
MEDIA_RSS = "http://search.yahoo.com/mrss/"
# the line a WordPress SEO plugin (Yoast) adds to every entry of a feed: « L'article <title> est
# apparu en premier sur <site>. », « Cet article … », « The post <title> appeared first on <site>. »
# and the line a podcast host adds to every episode's notes (Omny Studio's, in SPIEGEL Update's
# feed; Acast's and Megaphone's are the same kind of line; Radio France's closes every episode
# of its hundreds of podcasts, run into the last sentence without a full stop)
HOST_FOOTER = (
    r"See omnystudio\.com/listener for privacy information\."
    r"|Hosted on Acast\. See acast\.com/privacy for more information\."
    r"|Learn more about your ad choices\. Visit megaphone\.fm/adchoices\.?"
    r"|Vous aimez ce podcast\s?\?\s+Pour écouter tous les (?:autres )?épisodes sans limite,"
    r"\s+rendez-vous sur Radio France\."
)
SYNDICATION_FOOTER = re.compile(
    r"(?:(?:The post|L['’]article|Cet article)\s[^\n]{1,400}?\s"
    r"(?:appeared first on|est apparu en premier sur)\s[^\n]{1,200}|" + HOST_FOOTER + ")",
    re.IGNORECASE,
)
SYNDICATION_CUE = re.compile(
    r"appeared first on|est apparu en premier sur|omnystudio\.com/listener|acast\.com/privacy"
    r"|megaphone\.fm/adchoices|rendez-vous sur Radio France",
    re.IGNORECASE,
)
TRAILING_SYNDICATION_FOOTER = re.compile(
    r"(?:^|(?<=[\n.!?…\]])\s*)" + SYNDICATION_FOOTER.pattern + r"\s*$", re.IGNORECASE
)
# a host's line is its own whatever precedes it (Radio France's follows the producers' names)
TRAILING_HOST_FOOTER = re.compile(r"\s*(?:" + HOST_FOOTER + r")\s*$", re.IGNORECASE)
# A podcast episode's credits around its description (Radio France's: « durée : 00:53:58 -
# <show> - par : <hosts> - <the episode> - réalisé par : <producers> »): the duration, the show
# (the channel's title), who presents and who produced it are not what the episode is about
EPISODE_DURATION = r"durée\s*:\s*\d{1,2}(?::\d{2}){1,2}\s+-\s+"
EPISODE_HOSTS = r"(?:par\s*:\s*[^\n]{1,200}?\s+-\s+)?"
EPISODE_PRODUCERS = re.compile(r"\s+-\s+réalisé par\s*:\s*[^\n.!?]{1,200}$", re.IGNORECASE)
# What servers send when nobody chose: HTTP/1.1's old default charset, Apache's AddDefaultCharset.
SERVER_DEFAULT_CHARSETS = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii"})
XML_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([\w.:-]+)["']""")
CHARSET_PARAM = re.compile(r";\s*charset\s*=\s*[\"']?([\w.:-]+)[\"']?", re.IGNORECASE)


class FeedError(Exception):
    """The body is not a usable feed; the message says why, for a learner."""


@dataclass
class ParsedFeed:
    title: str = ""
    language: str = ""
    entries: list[Entry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


MAX_DOCTYPES = 8  # a feed has one DOCTYPE at most; more is an attack
# Entries read from one feed: a news feed shows tens, an archive a few hundred. Beyond, a feed
# (hostile, or a site's whole history) would flood the watch with tens of thousands of items
# in one crawl — every one to analyse, index and read in the group's lists.
MAX_ENTRIES = 1000
FIRST_ELEMENT = re.compile(rb"<\w")  # where feedparser thinks the document's head ends
# inside a declaration: quoted literals, comments and processing instructions are skipped whole
DECLARATION_TOKEN = re.compile(rb"""["'\[\]>]|<!--|<\?""")


def _skip(body: bytes, start: int, opening: bytes) -> int:
    """Index after the end of the comment, processing instruction or quoted literal that
    `opening` starts at `start`; -1 if it never ends."""
    closing = {b"<!--": b"-->", b"<?": b"?>", b'"': b'"', b"'": b"'"}[opening]
    end = body.find(closing, start + len(opening))
    return -1 if end == -1 else end + len(closing)


def _declaration_end(body: bytes, start: int) -> int:
    """Index after the `>` that ends the `<!…` declaration at `start`, internal subset included
    (`[…]`, with its quoted values, comments and processing instructions); -1 if it never ends."""
    pos, subset = start + 2, False
    while True:
        token = DECLARATION_TOKEN.search(body, pos)
        if token is None:
            return -1
        found = token.group()
        if found in (b'"', b"'", b"<!--", b"<?"):
            pos = _skip(body, token.start(), found)
            if pos == -1:
                return -1
            continue
        pos = token.end()
        if found == b"[":
            subset = True
        elif found == b"]":
            subset = False
        elif not subset:  # ">" outside the internal subset
            return pos


def _root_start(body: bytes) -> int:
    """Where the root element starts, as an XML parser sees it (the XML declaration, comments,
    processing instructions and declarations before it skipped); len(body) if it has none."""
    pos = 0
    while True:
        lt = body.find(b"<", pos)
        if lt == -1:
            return len(body)
        for opening in (b"<!--", b"<?"):
            if body.startswith(opening, lt):
                pos = _skip(body, lt, opening)
                break
        else:
            if not body.startswith(b"<!", lt) or body.startswith(b"<![CDATA[", lt):
                return lt
            pos = _declaration_end(body, lt)
        if pos == -1:
            return len(body)


def _head_end(body: bytes) -> int:
    """The end of the part of the document where a DOCTYPE counts: before the root element,
    as an XML parser sees it, and before the first `<name`, as feedparser sees it (its own
    DOCTYPE handling, which keeps "safe" entities for its tolerant parser, looks there)."""
    first = FIRST_ELEMENT.search(body)
    return max(_root_start(body), first.end() if first else 0)


def defuse(body: bytes) -> tuple[bytes, bool]:
    """Remove every DOCTYPE declaration (internal subset included) found before the root
    element, wherever it is there (after a long comment too). Returns (bytes, had_entities)."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = body.decode("utf-16")
        text = re.sub(r"encoding=['\"]utf-16(le|be)?['\"]", 'encoding="utf-8"', text, flags=re.I)
        body = text.encode("utf-8")
    removed: list[bytes] = []
    while True:
        match = DOCTYPE.search(body, 0, _head_end(body))
        if not match:
            break
        if len(removed) == MAX_DOCTYPES:
            raise FeedError("trop de déclarations DOCTYPE : le flux est refusé")
        start = match.start()
        end = _declaration_end(body, start)
        if end == -1:
            raise FeedError("déclaration DOCTYPE non terminée : le flux est mal formé")
        removed.append(body[start:end])
        body = body[:start] + body[end:]
    if not removed:
        return body, bool(ENTITY.search(body))
    return body, any(ENTITY.search(declaration) for declaration in removed)


def _ends_inside_an_entry(body: bytes) -> bool:
    """True when the document stops inside its last entry, as a download cut short does."""
    if ROOT_CLOSE.search(body):
        return False
    opened = [m.start() for m in ENTRY_OPEN.finditer(body)]
    closed = [m.start() for m in ENTRY_CLOSE.finditer(body)]
    return bool(opened) and (not closed or opened[-1] > closed[-1])


def _struct_to_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)  # a UTC struct_time
    except (ValueError, TypeError, OverflowError):
        return None


def _entry_date(raw: dict[str, Any], zone: str) -> tuple[datetime | None, str]:
    for name in ("published", "updated", "created"):
        # dict.get: FeedParserDict.get("updated") falls back to "published" with a
        # DeprecationWarning (feedparser issue 310); "date" and "dc_date" are aliases of these.
        text = dict.get(raw, name)
        if not text:
            continue
        # Our parser first: feedparser reads a date without a zone (or with a zone it does not
        # know, such as CET) as UTC, whereas such a date is in the watch's zone.
        parsed = parse_date(str(text), zone) or _struct_to_datetime(dict.get(raw, f"{name}_parsed"))
        return parsed, str(text)
    return None, ""


# RSS's <author> « address (Name) », and « Name (address) » as feedparser writes an Atom
# author with both: read here, since feedparser's own address pattern stops at a domain ending
# of at most 4 letters and hands the rest over as the name (« x@site.paris (Ville) » → « s
# (Ville »).
_ADDRESS = r"[^\s@()<>]+@[^\s@()<>]+"
_ADDRESS_NAME = re.compile(rf"^({_ADDRESS})\s*\(\s*([^()]*?)\s*\)$")
_NAME_ADDRESS = re.compile(rf"^([^()<>@]*?)\s*[(<]\s*({_ADDRESS})\s*[)>]$")


def _author(raw: dict[str, Any]) -> str:
    """The entry's author by name: feedparser writes « Anthony (noreply@blogger.com) » when a
    feed gives both; the name alone is what a reader cites. A feed that gives only an e-mail
    address (RSS's <author>) keeps it."""
    whole = str(raw.get("author") or "").strip()
    if found := _ADDRESS_NAME.match(whole):
        return found.group(2) or found.group(1)
    if found := _NAME_ADDRESS.match(whole):
        return found.group(1) or found.group(2)
    detail = dict.get(raw, "author_detail") or {}
    name = str(detail.get("name") or "").strip() if isinstance(detail, dict) else ""
    # a mailbox's owner (RSS's <author>podcast@radiofrance.com (Radio France)</author>) next to
    # a name given without an address (iTunes's <itunes:author>, the episode's hosts): the name
    # is the entry's author, the mailbox its network's
    mailbox = isinstance(detail, dict) and bool(detail.get("email"))
    if mailbox and whole and whole != name and "@" not in whole:
        return whole
    return name or whole


def _author_text(raw: dict[str, Any]) -> str:
    """The entry's author as a reader sees it: a name kept in CDATA keeps its entities
    (L'Usine Nouvelle's « O.&#8239;C. »), which are read here."""
    return unescape(_author(raw)).strip()


def _site_names(title: str, link: str) -> tuple[str, ...]:
    """What a feed calls its site: its channel's title, and its channel's <link>'s host
    (« Wheels24.co.za » for www.wheels24.co.za)."""
    host = (urlsplit(link).hostname or "").removeprefix("www.") if link else ""
    names = (" ".join(title.split()), host)
    return tuple(dict.fromkeys(name for name in names if len(name) >= SITE_NAME_MIN))


def _article_link(raw: dict[str, Any]) -> str:
    """The entry's link: the article's own address when a redirecting proxy (FeedBurner,
    Pheedo) gives it next to its click-tracking <link>, else the <link>. feedparser gives an
    entry without <link> its GUID as link; a GUID that is a media file is no link, nor is a
    media file where the entry has an alternate link."""
    for key in ORIGINAL_LINK_KEYS:
        original = str(dict.get(raw, key) or "").strip()
        if original.startswith(("http://", "https://")):
            return original
    link = str(raw.get("link") or "")
    media = _media_of(raw)
    if not _is_media(link, media):
        return link
    # feedparser also takes the text of <link rel="enclosure">https://…jpg</link> (DDay.it's
    # photo, its address written as the element's text) as the entry's link: its alternate
    # link, when it has one, is the entry's
    for candidate in raw.get("links") or []:
        if not isinstance(candidate, dict) or candidate.get("rel", "alternate") != "alternate":
            continue
        href = str(candidate.get("href") or "").strip()
        if href and not _is_media(href, media):
            return href
    return "" if dict.get(raw, "guidislink") else link


def _fragment_root(fragment: str) -> lxml.html.HtmlElement | None:
    """An entry's HTML as a tree under one <div> (None when lxml cannot read it)."""
    try:
        return lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


# what may follow a closing "read more" link and still close the entry: the site's name
# (« Read more of this story at Slashdot. », « Lire la suite sur Le Monde. »)
SITE_TAIL = re.compile(r"^\s*(?:at|on|sur|chez)\s+\S+(?:\s+\S+)?\s*[.!]?\s*$", re.IGNORECASE)


def _without_closing_self_link(fragment: str, own: set[str], base: str) -> str:
    """The HTML without its closing "read more" link: an <a> to the entry itself that no text
    follows but its site's name (« Continue reading… », « Read full article >> », « Read more
    of this story at Slashdot. »), which says nothing to a reader of the summary. A link to the
    entry inside a sentence stays."""
    if not own or "<a" not in fragment.lower() or (root := _fragment_root(fragment)) is None:
        return fragment
    dropped = False
    for anchor in reversed(root.xpath("//a[@href]")):
        if not _is_own(canonical_url(str(anchor.get("href")), base), own):
            continue
        following = anchor.xpath("following::text()[normalize-space()]")
        if following == [anchor.tail] and SITE_TAIL.match(anchor.tail or ""):
            anchor.tail = None  # « Read more of this story » + « at Slashdot. »: its site's name
        elif following:
            break  # text follows: this link and the ones before it are part of the text
        anchor.drop_tree()
        dropped = True
    return lxml.html.tostring(root, encoding="unicode") if dropped else fragment


# the entry itself as a document to download: its own address with a file's extension
# (LinuxFr's « Télécharger ce contenu au format Epub », …/journaux/c--2.epub)
OWN_DOCUMENT = re.compile(r"\.(?:epub|pdf|mobi|azw3|odt|docx?|txt|md)$", re.IGNORECASE)


def _is_own(url: str, own: set[str]) -> bool:
    """True when `url` is the entry's own address, or the entry as a document to download."""
    if url in own:
        return True
    parts = urlsplit(url)
    if not OWN_DOCUMENT.search(parts.path):
        return False
    bare = OWN_DOCUMENT.sub("", parts.path)
    return parts._replace(path=bare).geturl() in own


# the longest label of a button-like link (« Abrir », « Detalles », « Lire la suite »)
BUTTON_WORDS = 3


def _button(label: str) -> bool:
    """A link's label that names an action, not a shared address (« example.org/page »)."""
    words = label.split()
    return 0 < len(words) <= BUTTON_WORDS and not any(c in label for c in "./@#")


def _buttons_only(fragment: str) -> bool:
    """True when the HTML is a row of buttons: two links or more with short labels and not a
    word outside them (an ESRI Geoportal's « Abrir Detalles Metadatos »), no summary of the
    entry. A post sharing one link, or links to addresses, stays."""
    if "<a" not in fragment.lower() or (root := _fragment_root(fragment)) is None:
        return False
    links = root.xpath("//a[@href]")
    if len(links) < 2 or not all(_button(a.text_content()) for a in links):
        return False
    outside = root.xpath("//text()[normalize-space()][not(ancestor::a)]")
    return not outside


def _without_title_element(fragment: str) -> str:
    """The HTML without a <title> element pasted into it (NASA's APOD, as a third party's script
    makes its feed, opens every description with the entry's <title> again): a document's name,
    never the entry's text. An SVG's <title> (an icon's name) goes with its SVG, as before."""
    if "<title" not in fragment.lower() or (root := _fragment_root(fragment)) is None:
        return fragment
    titles = [t for t in root.iter("title") if not t.xpath("ancestor::svg")]
    if not titles:
        return fragment
    for title in titles:
        title.drop_tree()
    return lxml.html.tostring(root, encoding="unicode")


HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# a line of plain text that is a heading: Markdown's and gemtext's « # Title »
TEXT_HEADING = re.compile(r"#{1,6}\s+(.+)")


def _letters(text: str) -> str:
    return "".join(char for char in text.casefold() if char.isalnum())


def _without_title_heading(fragment: str, title: str) -> str:
    """The entry's HTML without the heading that opens it with the entry's title again,
    whatever its emoji and punctuation (Medium opens every story with it: « <h3>📣 « L’idée
    est… »</h3> »; a gemlog with « # Title »): the learner has just read it. Only a heading
    goes, and only when text follows it (Google News opens its list of articles with the
    entry's own: that list item stays) — or a commit message's subject line, the first line
    of a <pre> followed by a blank line or by nothing."""
    wanted = _letters(html_to_text(title)) if title else ""
    if not wanted:
        return fragment
    if "<" not in fragment:
        first, _, rest = fragment.strip().partition("\n")
        heading = TEXT_HEADING.fullmatch(first.strip())
        if heading and rest.strip() and _letters(heading.group(1)) == wanted:
            return rest.strip()
        return fragment
    if (root := _fragment_root(fragment)) is None:
        return fragment
    for node in root.iter():
        if node is root or not isinstance(node.tag, str):
            continue
        if node.tag in HEADINGS:
            if _letters(node.text_content()) != wanted or not node.xpath(
                "following::text()[normalize-space()]"
            ):
                return fragment
            node.drop_tree()
            return lxml.html.tostring(root, encoding="unicode")
        if node.tag == "pre" and len(node) == 0:
            # a commit message (GitHub's commits feed: « <pre>subject\n\nbody</pre> »): its
            # subject line, the title again, goes with the blank line after it
            subject, _, body = (node.text or "").strip().partition("\n")
            if _letters(subject) != wanted or (body.strip() and not body.startswith("\n")):
                return fragment
            node.text = body.strip()
            return lxml.html.tostring(root, encoding="unicode")
        if (node.text or "").strip() or node.tag in ("img", "figure"):
            return fragment  # the entry opens with something else
    return fragment


DIRECTORY_SEPARATOR = re.compile(r"[\s\-–—|/,]*$")
MENU_RELS = frozenset({"directory", "tag"})


def _menu_link(anchor: lxml.html.HtmlElement) -> str:
    """« directory » or « tag » when the link is one of a site's menu (its rel says so)."""
    rels = set(str(anchor.get("rel") or "").lower().split()) & MENU_RELS
    return "directory" if "directory" in rels else next(iter(rels), "")


def _without_directory_link(fragment: str) -> str:
    """The HTML without the links to its section and keywords that close it: SPIP's feeds end
    every description with « - <a href="…/rubrique/" rel="directory">Economie</a> », often
    followed by « / <a rel="tag">mot-clé</a> » (Reporterre), the site's menu, not the entry's
    text (the dashes and slashes between them go too). A section link inside the text stays,
    and so does a closing run of keywords without a section link."""
    if "directory" not in fragment.lower() or (root := _fragment_root(fragment)) is None:
        return fragment
    kinds = []
    while anchors := root.xpath("//a"):
        anchor = anchors[-1]
        kind = _menu_link(anchor)
        if not kind or not DIRECTORY_SEPARATOR.fullmatch(
            "".join(anchor.xpath("following::text()"))
        ):
            break
        previous = anchor.getprevious()
        if previous is not None:
            previous.tail = DIRECTORY_SEPARATOR.sub("", previous.tail or "")
        else:
            parent = anchor.getparent()
            if parent is not None:
                parent.text = DIRECTORY_SEPARATOR.sub("", parent.text or "")
        anchor.drop_tree()
        kinds.append(kind)
    if "directory" not in kinds:
        return fragment
    return lxml.html.tostring(root, encoding="unicode")


TOPIC_SEPARATOR = re.compile(r"\s*,\s*")


def _topic_run(last: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The links, separated by commas alone, that end with `last` (its siblings before it)."""
    run = [last]
    previous = last.getprevious()
    while (
        previous is not None
        and previous.tag == "a"
        and TOPIC_SEPARATOR.fullmatch(previous.tail or "")
        and run[0].getprevious() is previous
    ):
        run.insert(0, previous)
        previous = previous.getprevious()
    return run


def _without_topic_links(fragment: str, own: set[str]) -> str:
    """The HTML without the parenthesis of links to the site's own pages that closes it
    (Golem.de ends every text with its topics: « … die Umsetzung. (<a href="…/specials/
    red-dead-redemption-2/">Red Dead Redemption 2</a>, <a …>Red Dead Redemption</a>) »), the
    site's keywords, not the entry's text. A parenthesis with a word outside its links, or
    with a link to another site or to the entry itself, stays."""
    hosts = {urlsplit(url).hostname for url in own} - {None}
    if not hosts or "(" not in fragment or (root := _fragment_root(fragment)) is None:
        return fragment
    anchors = root.xpath("//a[@href]")
    if not anchors:
        return fragment
    last = anchors[-1]
    tail = last.tail or ""
    if not tail.lstrip().startswith(")") or "".join(last.xpath("following::text()")).strip() != (
        tail.strip()
    ):
        return fragment
    run = _topic_run(last)
    first = run[0]
    previous, parent = first.getprevious(), first.getparent()
    before = previous.tail if previous is not None else parent.text if parent is not None else ""
    if not (before or "").rstrip().endswith("("):
        return fragment
    for anchor in run:
        href = joined(next(iter(own)), str(anchor.get("href")))
        if urlsplit(href).hostname not in hosts or href in own:
            return fragment
    opened = (before or "").rstrip()[:-1].rstrip()
    if previous is not None:
        previous.tail = opened
    elif parent is not None:
        parent.text = opened
    for anchor in run:
        anchor.tail = None
    last.tail = tail.lstrip()[1:]
    for anchor in run:
        anchor.drop_tree()
    return lxml.html.tostring(root, encoding="unicode")


def _without_footer_block(fragment: str) -> str:
    """The HTML without a last block (<p>, <div>) that is the plugin's closing line alone
    (SYNDICATION_FOOTER), dropped before the closing "read more" link is looked for: a
    « Lire la suite » link before that line is then the closing link."""
    if "<" not in fragment or not SYNDICATION_CUE.search(fragment):
        return fragment
    if (root := _fragment_root(fragment)) is None:
        return fragment
    for block in reversed(root.xpath("//p | //div[not(.//p)]")):
        if block.xpath("following::text()[normalize-space()]"):
            break  # text follows: not the closing line
        if SYNDICATION_FOOTER.fullmatch(" ".join(block.text_content().split())):
            block.drop_tree()
            return lxml.html.tostring(root, encoding="unicode")
    return fragment


def _without_footer_line(text: str) -> str:
    """Plain text without the plugin's closing line at its end (a description given as text,
    or the line run into the last paragraph)."""
    if not SYNDICATION_CUE.search(text):
        return text
    text = TRAILING_SYNDICATION_FOOTER.sub("", text).rstrip()
    return TRAILING_HOST_FOOTER.sub("", text).rstrip()


def _media_captions(body: bytes) -> set[str]:
    """Plain texts of the Media RSS descriptions of a feed (the captions of its entries' photos
    and videos). feedparser reads a `media:description` that follows an entry's description as
    the entry's content: Le Monde's entries would have their photo's caption as their text."""
    if MEDIA_RSS.encode() not in body:
        return set()
    # the body is defused already (no DOCTYPE); entities and the network stay off all the same
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError):
        return set()
    if root is None:
        return set()
    captions = (
        html_to_text(element.text or "") for element in root.iter(f"{{{MEDIA_RSS}}}description")
    )
    return {caption for caption in captions if caption}


def _content_text(
    raw: dict[str, Any], own: set[str], base: str, captions: set[str]
) -> tuple[str, str]:
    """(summary, text) as plain text; a photo's caption is not the entry's text."""
    title = str(raw.get("title") or "")
    summary = str(raw.get("summary") or raw.get("description") or "")
    summary = _without_title_heading(_without_title_element(summary), title)
    summary = "" if _buttons_only(summary) else _without_directory_link(summary)
    summary = _without_topic_links(summary, own)
    summary = _without_closing_self_link(_without_footer_block(summary), own, base)
    summary = _without_footer_line(html_to_text(summary))
    contents = raw.get("content") or []
    text = ""
    for content in contents:
        value = _without_title_heading(
            _without_title_element(str(content.get("value") or "")), title
        )
        value = "" if _buttons_only(value) else value
        value = _without_footer_block(_without_topic_links(_without_directory_link(value), own))
        value = _without_footer_line(html_to_text(_without_closing_self_link(value, own, base)))
        # a placeholder (Hugo's « ... » where the post's body was left out) is no text: the
        # description stays the entry's text
        value = _meaningful(value)
        if len(value) > len(text) and value not in captions:
            text = value
    return summary, text or summary


def _capped(items: list[Any], warnings: list[str]) -> list[Any]:
    """The first MAX_ENTRIES entries of a feed (most feeds put the newest first), with a
    warning when there were more."""
    if len(items) <= MAX_ENTRIES:
        return items
    warnings.append(
        f"flux de {len(items)} entrées : seules les {MAX_ENTRIES} premières sont lues "
        "(cherchez sur le site un flux plus court, par rubrique)"
    )
    return items[:MAX_ENTRIES]


def _finish(entries: list[Entry], warnings: list[str]) -> list[Entry]:
    """Resolve duplicated GUIDs: a GUID reused for another link falls back to the link. Entries
    without GUID that share their link but not their title are different entries (FeedForAll's
    sample feed: two recommendations, one partners page): each is followed by its link and its
    title, whatever their order. A repeat (same GUID and link, or same link and title) is
    dropped: a GUID is the publisher's word that two entries are one."""
    seen: dict[str, str] = {}  # identity → link of the first entry under it
    kept: set[tuple[str, str]] = set()  # (identity, title)
    shared: set[str] = set()
    out: list[Entry] = []
    for entry in entries:
        key = entry.key
        if key in seen:
            if entry.url and entry.url != seen[key] and entry.url not in seen:
                warnings.append(
                    f"GUID en double « {entry.guid} » : l'entrée est suivie par son lien"
                )
                entry = Entry(**{**entry.__dict__, "guid": ""})
            elif not entry.guid and (key, entry.title) not in kept:
                shared.add(key)
            else:
                warnings.append(f"entrée en double ignorée : « {entry.title} »")
                continue
        seen.setdefault(entry.key, entry.url)
        kept.add((entry.key, entry.title))
        out.append(entry)
    for key in sorted(shared):
        warnings.append(f"plusieurs entrées sous « {key} » : chacune est suivie par son titre")
    return [
        Entry(**{**e.__dict__, "guid": f"{e.key}#{_title_digest(e.title)}"})
        if e.key in shared
        else e
        for e in out
    ]


def _on_home_page(entries: list[Entry], home: str, base: str, warnings: list[str]) -> list[Entry]:
    """Entries without GUID whose link is the site's home page (the feed's own <link>, or a
    site's root « / »), each followed by its link and title: the link names the site, not the
    entry (Lucasdelirium links every weekly update to its home page), and followed by it alone
    next week's entry would become a new version of this week's."""
    home_url = canonical_url(home, base) if home else ""
    out: list[Entry] = []
    for entry in entries:
        parts = urlsplit(entry.url)
        root = parts.path in ("", "/") and not parts.query
        if not entry.guid and entry.url and (entry.url == home_url or root):
            entry = Entry(**{**entry.__dict__, "guid": f"{entry.url}#{_title_digest(entry.title)}"})
        out.append(entry)
    if any(a.guid != b.guid for a, b in zip(entries, out, strict=True)):
        warnings.append(
            "entrées liées à la page d'accueil du site, sans GUID : "
            "chacune est suivie par son titre"
        )
    return out


def _title_digest(title: str) -> str:
    return hashlib.sha256(title.encode("utf-8")).hexdigest()[:16]


PLACEHOLDER_LENGTH = 3
SITE_NAME_MIN = 3  # a shorter channel title (« A », « TV ») is no site's name to look for
# how far after the crawl an entry's date may be and still be its publication date: a clock a
# little ahead, a zone misread (Nextcloud News's copy of a feed dates every entry in 2099)
FUTURE_SLACK = timedelta(days=1)
# No entry of a feed was published before: « -0001-01-01 », « 0001-01-01 » are placeholders
# (or a date a template failed to fill), and a digest would show them as year 1
EARLIEST_YEAR = 1900


def _meaningful(text: str) -> str:
    """The text, or "" when it is a placeholder: a few characters without a letter (Euronews's
    <description>1</description>, a lone « - » or « … ») say nothing to a reader. A longer text
    without letters stays (GitHub's release notes « 3.9.0 »)."""
    if len(text.strip()) <= PLACEHOLDER_LENGTH and not any(char.isalpha() for char in text):
        return ""
    return text


# what an entry's GUID may point to without being its page: the episode's audio or video file,
# a picture (Apple's podcast sample: no <link>, GUIDs « …/aae20050615.m4a »)
MEDIA_FILE = re.compile(
    r"\.(?:mp3|m4a|m4b|aac|oga|ogg|opus|wav|flac|mp4|m4v|mov|webm|mkv|avi|jpe?g|png|gif|webp)$",
    re.IGNORECASE,
)


def _is_media(address: str, media: frozenset[str]) -> bool:
    """True when `address` is one of the entry's enclosures or names a media file by its
    extension: a download, never the entry's link."""
    try:
        path = urlsplit(address).path
    except ValueError:  # « http://[::1/… »: no address at all, no media file either
        return False
    return address in media or bool(MEDIA_FILE.search(path))


def _media_of(raw: dict[str, Any]) -> frozenset[str]:
    """The addresses of an entry's enclosures (RSS <enclosure>, Atom rel="enclosure")."""
    found = {str(e.get("href") or "") for e in raw.get("enclosures") or [] if isinstance(e, dict)}
    return frozenset(found - {""})


def _on_authors_machine(url: str, base: str) -> bool:
    """True when `url` is on one's own computer (localhost, 127.0.0.1…) while the feed is not:
    a site built on its author's machine (`hugo server`) links every entry to
    « //localhost:1313/… », which leads whoever clicks to their own computer, never the article.
    A feed read from this very machine (a demo, an intranet) keeps its links."""
    return is_loopback_host(urlsplit(url).hostname or "") and not is_loopback_host(
        urlsplit(base).hostname or ""
    )


def title_from_text(text: str, limit: int = TITLE_FROM_TEXT) -> str:
    """The title of an entry that has none (a micro-blog post): the first sentence of its first
    line that has words of its own — not a link, nor hashtags only; without the mentions a
    reply opens with, the links, the hashtags closing the line — never the next line or
    paragraph; cut at a word, with « … », past `limit` characters. A post made of hashtags
    alone is titled by them, its only words."""
    hashtags_only = ""
    for line in text.splitlines():
        words = [w for w in line.split() if not _LINK_WORD.match(w)]
        while words and _MENTION_WORD.match(words[0]):
            del words[0]
        closing = len(words)
        while closing and _HASHTAG_WORD.match(words[closing - 1]):
            closing -= 1
        own = " ".join(words[:closing])
        if not any(ch.isalnum() for ch in own):
            hashtags_only = hashtags_only or " ".join(words)
            continue
        end = _SENTENCE_END.search(own)
        return shorten(own[: end.end()] if end else own, limit)
    return shorten(hashtags_only, limit)


def _is_identifier(title: str, url: str) -> bool:
    """True when the title is its link's last path segment — a word holding a number of six
    digits or more — alone or after one word: the text's identifier (Légifrance's
    « JORFTEXT000042612877 » or « DECISION - JORFTEXT000042620035 » for …/jorf/id/
    JORFTEXT…), which names no subject to a reader. A word that is a page's name
    (« utf8mb4 », a release's « v3.9.0 », « (0,1)-category ») stays its title."""
    segment = unquote(urlsplit(url).path.rstrip("/").rpartition("/")[2]) if url else ""
    words = title.split()
    if not LONG_NUMBER.search(segment) or segment not in words:
        return False
    others = [word for word in words if word != segment and any(c.isalnum() for c in word)]
    return len(others) <= 1


def _without_episode_credits(text: str, names: tuple[str, ...]) -> str:
    """The text without a podcast episode's opening credits (its duration, then its show — a
    name that holds one of the channel's: « Une histoire et... Oli » in « Oli » — and its hosts)
    and closing credits (its producers)."""
    channel = "|".join(re.escape(name) for name in names)
    show = rf"(?:[^\n]{{0,80}}?\b(?:{channel})\b[^\n]{{0,80}}?\s+-\s+)?" if channel else ""
    opening = EPISODE_DURATION + show + EPISODE_HOSTS
    cut = re.sub(rf"^{opening}", "", text, flags=re.IGNORECASE)
    if cut == text:
        return text
    return EPISODE_PRODUCERS.sub("", cut).strip() or text


def media_kind(raw: dict[str, Any]) -> str:
    """What an RSS or Atom entry carries besides its text, in a word for a title: « Vidéo »
    (a Media RSS player, a video), « Épisode » (an audio enclosure), « Image », « Média »
    (another enclosure); "" for nothing."""
    types: list[str] = []
    for media in [*(raw.get("media_content") or []), *(raw.get("enclosures") or [])]:
        if isinstance(media, dict):
            types.append(str(media.get("type") or media.get("medium") or "").lower())
    if raw.get("media_player") or any(t.startswith("video") for t in types):
        return "Vidéo"
    if any(t.startswith("audio") for t in types):
        return "Épisode"
    if any(t.startswith("image") for t in types) or raw.get("media_thumbnail"):
        return "Image"
    return "Média" if _media_of(raw) else ""


def untitled_title(
    kind: str, name: str, url: str, published: datetime | None, zone: str = "Europe/Paris"
) -> str:
    """The title of an entry that has a link but neither title nor text: « Vidéo sans titre —
    Sud Web, 17 juillet 2018 à 20:01 » — what it is, whose (the source's name, else the
    feed's, else the link's site) and when (to the minute: a channel posts two videos a day)."""
    whose = name or (urlsplit(url).hostname or "").removeprefix("www.")
    when = ""
    if published:
        local = published.astimezone(ZoneInfo(zone))
        when = f"{date_fr(local.date())} à {local:%H:%M}"
    details = ", ".join(part for part in (whose, when) if part)
    label = f"{kind or 'Publication'} sans titre"
    return f"{label} — {details}" if details else label


def _make_entry(
    *,
    link: str,
    base: str,
    guid: str,
    title: str,
    summary: str,
    text: str,
    author: str,
    published: datetime | None,
    published_raw: str,
    language: str,
    warnings: list[str],
    media: frozenset[str] = frozenset(),
    now: datetime | None = None,
    site_names: tuple[str, ...] = (),
    kind: str = "",
    source_name: str = "",
    zone: str = "Europe/Paris",
) -> Entry | None:
    summary, text = _meaningful(summary), _meaningful(text)
    # a click-through redirector's link (Google Alerts) is the article it leads to
    absolute = joined(base, link) if link else ""  # "" too for a link that is no address
    url = canonical_url(redirect_target(absolute)) if absolute else ""
    if not url and guid.startswith(("http://", "https://")) and not _is_media(guid, media):
        url = canonical_url(guid)
    title = without_site_name(" ".join(html_to_text(title).split()), site_names, leading=True)
    notes: list[str] = []
    if title and (text or summary) and _is_identifier(title, url):
        notes.append(f"titre « {title} » : l'identifiant du lien, titre tiré du texte")
        title = title_from_text(text or summary)
    elif not title and (title := title_from_text(text or summary)):
        notes.append("entrée sans titre : titre tiré du texte")

    summary = _without_episode_credits(summary, site_names)
    text = _without_episode_credits(text, site_names)
    if url and _on_authors_machine(url, base):
        notes.append(
            f"lien vers {urlsplit(url).netloc}, l'ordinateur de l'auteur du flux (le site a été "
            "publié depuis son poste) : entrée gardée sans lien"
        )
        url = ""
    elif not url:
        notes.append("entrée sans lien")
    if published and now and published > now + FUTURE_SLACK:
        notes.append(
            f"date dans le futur ({published_raw!r}, après la collecte) : entrée gardée sans date"
        )
        published = None
    elif published and published.year < EARLIEST_YEAR:
        notes.append(f"date impossible ({published_raw!r}) : entrée gardée sans date")
        published = None
    elif published_raw and published is None:
        notes.append(f"date illisible : {published_raw!r}")
    elif not published_raw:
        notes.append("entrée sans date")
    if not (title or text) and url and (published or kind):
        # a link, and a date or a media (Vimeo's channels: no title, no description): kept,
        # under a title that says what it is, whose and when — never the address's last part
        title = untitled_title(kind, source_name or (site_names[:1] or ("",))[0], url, published)
        notes.append(f"entrée sans titre ni texte : titre « {title} » donné par Watcher")
    if not (title or text):
        warnings.append("entrée vide ignorée (ni titre ni texte)")
        return None
    if not guid and not url:
        digest = hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()[:24]
        guid = f"sha256:{digest}"
    return Entry(
        url=url,
        title=title,
        summary=shorten(summary or text),
        text=text,
        guid=guid.strip(),
        author=author,
        published=published,
        published_raw=published_raw,
        language=language,
        original_url=link,
        warnings=tuple(notes),
    )


def _json_authors(data: dict[str, Any]) -> str:
    """The names of a JSON Feed's or item's authors (1.1's « authors », 1.0's « author »)."""
    authors = data.get("authors") or ([data["author"]] if data.get("author") else [])
    if not isinstance(authors, list):
        return ""
    names = (_json_text(a, "name").strip() for a in authors if isinstance(a, dict))
    return ", ".join(name for name in names if name)


def _json_text(data: dict[str, Any], key: str) -> str:
    """A JSON Feed's field as text: a string or a number; "" for anything else (a list, an
    object, true), which a hostile or broken feed puts there and which was kept as its Python
    spelling (« ['http://…'] » became an address on the feed's site, « {'t': 1} » a title)."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return str(value)


def _parse_json_feed(
    body: bytes, url: str, zone: str, now: datetime | None, source_name: str = ""
) -> ParsedFeed:
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        raise FeedError(
            f"JSON illisible (ligne {exc.lineno}, colonne {exc.colno}) : le flux est mal formé "
            "ou coupé ; ouvrez son adresse dans un navigateur pour le vérifier"
        ) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise FeedError(
            "JSON illisible (caractères invalides) : ouvrez l'adresse du flux dans un navigateur "
            "pour le vérifier"
        ) from exc
    except RecursionError as exc:  # « [[[[…]]]] » nested deeper than Python's stack
        raise FeedError(
            "JSON illisible : listes ou objets imbriqués sur des milliers de niveaux, ce n'est "
            "pas un flux ; vérifiez l'adresse de la source"
        ) from exc
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        raise FeedError("ce JSON n'est pas un JSON Feed (version https://jsonfeed.org/… absente)")
    feed = ParsedFeed(title=_json_text(data, "title"), language=_json_text(data, "language"))
    # relative item urls resolve against the feed's own address, as in RSS and Atom: a Hugo
    # theme writes « "home_page_url": "/" », which is no base of its own
    base = url
    items = data.get("items") or []
    if not isinstance(items, list):
        raise FeedError(
            "JSON Feed sans liste items : ce JSON ne donne aucune entrée ; vérifiez l'adresse "
            "du flux"
        )
    # JSON Feed 1.1: the feed's authors are the authors of every item that names none
    feed_author = _json_authors(data)
    home = _json_text(data, "home_page_url")
    names = _site_names(feed.title, joined(url, home) if home else "")
    read: list[tuple[dict[str, Any], str, str]] = []  # each item, its summary and its text
    for item in _capped(items, feed.warnings):
        if not isinstance(item, dict):
            continue
        html = _without_title_heading(_json_text(item, "content_html"), _json_text(item, "title"))
        # content_text and summary are plain text, but publishers escape them like HTML
        # ("Add Task &amp; Sub Tasks"): their entities are read
        plain = unescape(_json_text(item, "content_text"))
        text = html_to_text(html) if html else clean_text(plain)
        read.append((item, clean_text(unescape(_json_text(item, "summary"))), text))
    summaries, _blocks = without_repeated([summary for _item, summary, _text in read])
    texts, _blocks = without_repeated([text for _item, _summary, text in read])
    for (item, _summary, _text), summary, text in zip(read, summaries, texts, strict=True):
        raw_date = _json_text(item, "date_published") or _json_text(item, "date_modified")
        author = _json_authors(item) or feed_author
        entry = _make_entry(
            link=_json_text(item, "url") or _json_text(item, "external_url"),
            base=base,
            guid=_json_text(item, "id"),
            title=_json_text(item, "title"),
            summary=summary,
            text=text or summary,
            author=author,
            published=parse_date(raw_date, zone) if raw_date else None,
            published_raw=raw_date,
            language=_json_text(item, "language") or feed.language,
            warnings=feed.warnings,
            now=now,
            site_names=names,
            kind="Média" if item.get("attachments") or item.get("image") else "",
            source_name=source_name,
            zone=zone,
        )
        if entry:
            feed.entries.append(entry)
    feed.entries = _finish(_on_home_page(feed.entries, home, base, feed.warnings), feed.warnings)
    return feed


def _trusted_content_type(content_type: str, body: bytes) -> str:
    """The Content-Type handed to feedparser. A charset of ISO-8859-1 or US-ASCII is what
    servers send when nobody chose one; when the document's XML declaration names another
    encoding (windows-1251, ISO-8859-15, GB2312…), that declaration is the publisher's word and
    the header's charset is dropped, so that the declaration is followed."""
    header = CHARSET_PARAM.search(content_type)
    declared = XML_DECLARED_ENCODING.match(body)
    if not header or not declared or header.group(1).lower() not in SERVER_DEFAULT_CHARSETS:
        return content_type
    if declared.group(1).decode("ascii").lower() in SERVER_DEFAULT_CHARSETS:
        return content_type
    return CHARSET_PARAM.sub("", content_type)


# What feedparser's expat says of an ill-formed feed, in French (its English reached the
# learner: « flux mal formé, lu en mode tolérant (document declared as us-ascii, but parsed as
# utf-8) »)
EXPAT_FRENCH = {
    "undefined entity": "entité non définie",
    "mismatched tag": "balise fermée dans le désordre",
    "syntax error": "erreur de syntaxe",
    "unbound prefix": "préfixe d'espace de noms non déclaré",
    "not well-formed (invalid token)": "caractère ou balise invalide",
    "no element found": "document vide ou coupé",
    "unclosed token": "balise non refermée",
    "junk after document element": "texte après la fin du document",
    "duplicate attribute": "attribut en double",
    "reference to invalid character number": "référence à un caractère invalide",
    "unclosed CDATA section": "section CDATA non refermée",
    "XML or text declaration not at start of entity": "déclaration XML ailleurs qu'au début",
}
ENCODING_OVERRIDE = re.compile(r"declared as (\S+), but parsed as (\S+)")


def _bozo_reason(raw: Any) -> str:
    """Why feedparser found a feed ill-formed, in French (its message is English)."""
    error = getattr(raw, "bozo_exception", None)
    if error is None:
        return "format inconnu"
    text = str(error)
    kind = error.__class__.__name__
    if kind == "CharacterEncodingOverride":
        found = ENCODING_OVERRIDE.search(text)
        if found:
            return f"encodage annoncé {found.group(1)}, lu en {found.group(2)}"
        return "encodage annoncé faux"
    if kind == "CharacterEncodingUnknown":
        return "encodage des caractères inconnu"
    if kind == "NonXMLContentType":
        return "le site ne l'annonce pas comme du XML"
    message = error.getMessage() if hasattr(error, "getMessage") else text
    return EXPAT_FRENCH.get(str(message), "XML mal formé")


def parse_feed(
    body: bytes,
    url: str,
    *,
    content_type: str = "",
    zone: str = "Europe/Paris",
    now: datetime | None = None,
    source_name: str = "",
) -> ParsedFeed:
    """Entries of an RSS, Atom or JSON feed. Raises FeedError when the body is not a feed.
    `now`, the crawl's moment: a date well after it is no publication date (kept as written,
    with a warning). `source_name`: the source's name in sources.yml, for the title of an
    entry that has none and no text."""
    if not body.strip():
        raise FeedError("réponse vide : le serveur n'a rien renvoyé")
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if "json" in content_type.lower() or stripped.startswith(b"{"):
        return _parse_json_feed(stripped, url, zone, now, source_name)
    if looks_like_html(stripped):
        raise FeedError(
            "une page HTML a été reçue au lieu d'un flux : donnez l'adresse du flux RSS/Atom "
            "(ou la page d'accueil du site, s'il annonce son flux)"
        )
    # blank lines before the XML declaration (Klix.ba's feed, a template's indentation) make the
    # document ill-formed for an XML parser: dropped, a UTF-8 BOM kept in front (and a UTF-16
    # document, whose « < » is not a byte of its own, left alone)
    bom = UTF8_BOM if body.startswith(UTF8_BOM) else b""
    rest = body[len(bom) :]
    if (trimmed := rest.lstrip(b" \t\r\n")).startswith(b"<"):
        rest = trimmed
    safe, had_entities = defuse(bom + rest)
    safe = EMPTY_ENTRY.sub(b"", safe)
    safe = DATE_TIME_ELEMENT.sub(rb"\1\4\5", safe)
    headers: dict[str, str] = {}
    if content_type:
        headers["content-type"] = _trusted_content_type(content_type, safe)
    raw = feedparser.parse(
        io.BytesIO(safe),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    feed = ParsedFeed(
        title=str(raw.feed.get("title") or ""),
        language=str(raw.feed.get("language") or "").split("-")[0].lower(),
    )
    if had_entities:
        feed.warnings.append(
            "déclarations d'entités XML supprimées (protection contre les attaques)"
        )
    if not raw.entries and (raw.bozo or not raw.version):
        raise FeedError(
            f"flux illisible : XML mal formé ou format inconnu ({_bozo_reason(raw)}) : ouvrez "
            "l'adresse dans un navigateur pour vérifier que c'est bien un flux RSS ou Atom"
        )
    if raw.bozo and raw.entries:
        feed.warnings.append(f"flux mal formé, lu en mode tolérant ({_bozo_reason(raw)})")
        if _ends_inside_an_entry(safe):
            # its last entry is a fragment (a title without its link, a text cut short): left
            # for the next crawl, which reads it whole
            del raw.entries[-1]
            if not raw.entries:
                raise FeedError(
                    "flux tronqué : le document s'arrête au milieu de sa première entrée "
                    "(téléchargement interrompu ?)"
                )
            feed.warnings.append("flux tronqué : sa dernière entrée, incomplète, est ignorée")
    captions = _media_captions(safe)
    # RFC 4287 (4.2.1): an Atom feed's author is the author of every entry that names none (an
    # RSS channel's managingEditor is its editor, no entry's author)
    feed_author = _author_text(raw.feed) if str(raw.version).startswith("atom") else ""
    home = str(raw.feed.get("link") or "")
    names = _site_names(feed.title, joined(url, home) if home else "")
    # feedparser applies xml:base; links still relative resolve against the feed's own URL
    # (the document's address), not against the channel <link> (the site's home page).
    base = url
    read: list[tuple[Any, str, str, str]] = []  # each entry, its link, summary and text
    for item in _capped(raw.entries, feed.warnings):
        link = _article_link(item)
        # the entry's own addresses: its link, and its comments page (Hacker News describes
        # each entry by one link, « Comments », to its discussion: a closing link to it says
        # nothing of the entry, like a « Continue reading » one)
        own = {canonical_url(str(item.get(key) or ""), base) for key in ("link", "comments")} | {
            canonical_url(link, base)
        }
        read.append((item, link, *_content_text(item, own - {""}, base, captions)))
    # the appeal or footer that closes (opens) most entries is the feed's, not theirs
    summaries, _blocks = without_repeated([summary for _item, _link, summary, _text in read])
    texts, _blocks = without_repeated([text for _item, _link, _summary, text in read])
    for (item, link, _summary, _text), summary, text in zip(read, summaries, texts, strict=True):
        published, published_raw = _entry_date(item, zone)
        language = str(item.get("language") or feed.language or "")
        entry = _make_entry(
            link=link,
            base=base,
            guid=str(item.get("id") or ""),
            title=str(item.get("title") or ""),
            summary=summary,
            text=text,
            author=_author_text(item) or feed_author,
            published=published,
            published_raw=published_raw,
            language=language.split("-")[0].lower(),
            warnings=feed.warnings,
            media=_media_of(item),
            now=now,
            site_names=names,
            kind=media_kind(item),
            source_name=source_name,
            zone=zone,
        )
        if entry:
            feed.entries.append(entry)
    feed.entries = _finish(_on_home_page(feed.entries, home, base, feed.warnings), feed.warnings)
    return feed
