"""HTML → text, links and articles (pure: strings in, plain data out)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping
from copy import copy
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from htmldate import find_date
from lxml import etree
from parsel import Selector, SelectorList
from trafilatura.metadata import examine_meta, extract_meta_json, extract_title
from trafilatura.settings import Document, Extractor, set_date_params
from trafilatura.utils import load_html

from watcher.collect.byline import find_author
from watcher.dates import parse_date
from watcher.model import Entry
from watcher.understand.boilerplate import furniture_line
from watcher.urls import canonical_url, http_url

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "text/xml",
    "application/xml",
)
BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "blockquote", "section", "article", "header", "footer", "pre", "dd", "dt", "figure",
}  # fmt: skip
DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "form")
SPACES = re.compile(r"[ \t\u00a0\u202f\u2009]+")
SUMMARY_CHARS = 400
TEMPLATE = re.compile(r"\{\{.+?\}\}", re.DOTALL)  # an unrendered Angular/Vue/Mustache expression
_NO_TEXT = "aucun texte principal trouvé dans la page"
_BLANK_LINES = re.compile(r"\n{3,}")
# trafilatura's options for the main text, as bare_extraction builds them from the arguments
# Watcher gave it (output "python", comments skipped), built once — building them reads its
# settings anew —, each page getting a copy with its own address; and htmldate's parameters
_OPTIONS = Extractor(output_format="python", comments=False)
_DATE_PARAMS = set_date_params(False)


def clean_text(text: str, verbatim: Mapping[str, str] | None = None) -> str:
    """Collapse runs of spaces, keep paragraph breaks. A line of a code block keeps its
    indentation and inner spaces: `verbatim` maps each such line, its spaces collapsed, to the
    line as the page writes it (:func:`code_lines`)."""
    lines = (line.strip() for line in SPACES.sub(" ", text).splitlines())
    if verbatim:
        lines = (verbatim.get(" ".join(line.split()), line) for line in lines)
    # one blank line at most between paragraphs, none at either end
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


_CODE_PARTS = etree.XPath(".//text() | .//lb")  # a code block's text, and its line breaks


def code_lines(body: Any) -> dict[str, str]:
    """The lines of the code blocks (<pre>, which trafilatura keeps as <code>) of an extracted
    body whose spaces say something — indentation, alignment —, each keyed by the line with its
    spaces collapsed (as the extracted text writes it): the line as the page writes it, without
    trailing spaces. A block's lines end at its newlines and at its <br> (trafilatura's <lb>,
    whose following spaces its text drops)."""
    found: dict[str, str] = {}
    if body is None:
        return found
    for code in body.iter("code"):
        if any(ancestor.tag == "code" for ancestor in code.iterancestors()):
            continue  # read with the block around it
        parts = _CODE_PARTS(code)
        written = "".join(
            "\n" if getattr(part, "tag", None) == "lb" else str(part)
            for part in (parts if isinstance(parts, list) else ())
        )
        for line in written.splitlines():
            key = " ".join(line.split())
            if key and line.rstrip() != key:
                found.setdefault(key, line.rstrip())
    return found


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed content), paragraphs kept, scripts dropped."""
    if "<" not in fragment and "&" not in fragment:
        return clean_text(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return clean_text(re.sub(r"<[^>]*>", " ", fragment))
    for bad in list(root.iter(*DROP_TAGS)):
        bad.drop_tree()
    parts: list[str] = []
    _walk(root, parts)
    return clean_text("".join(parts))


def _walk(element: lxml.html.HtmlElement, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "br":  # a line break, not a paragraph
        parts.append("\n")
        return
    block = tag in BLOCK_TAGS
    if block:
        parts.append("\n")
    if element.text and tag:
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append("\n")


def shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    """A short extract: whole words, ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + " …"


def looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]


def discover_feeds(html: str, base_url: str) -> list[str]:
    """Feed URLs a page announces with <link rel="alternate" type="…rss+xml">, in order."""
    selector = Selector(text=html)
    found: list[str] = []
    for link in selector.xpath("//link[@href]"):
        rel = (link.attrib.get("rel") or "").lower().split()
        kind = (link.attrib.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in FEED_TYPES:
            url = http_url(link.attrib["href"], base_url)  # never file:, data:…
            if url and url not in found:
                found.append(url)
    return found


def _selected(html: str, selector: str) -> SelectorList[Selector]:
    page = Selector(text=html)
    if selector.startswith("xpath:"):
        return page.xpath(selector.removeprefix("xpath:"))
    return page.css(selector)


def select_all(html: str, selector: str, base_url: str) -> list[str]:
    """Values matched by a CSS (`::attr()`/`::text`) or `xpath:` selector (an element as its
    HTML)."""
    values = _selected(html, selector).getall()
    return [" ".join(value.split()) for value in values if value and value.strip()]


LINK_TAGS = frozenset({"a", "area", "link"})


def select_links(html: str, selector: str) -> list[str]:
    """The link addresses a `follow` or `next` selector matches: an attribute or a text as
    selected (`a::attr(href)`), and for an element the `href` of the link it is or, as a group
    often writes it (`h2.titre`), of the first link inside it — as Scrapy's `response.follow`
    reads a link element. An element with no link gives nothing (never its HTML as an address).
    """
    links: list[str] = []
    for node in _selected(html, selector):
        root = node.root
        if isinstance(root, str):
            value = root
        elif getattr(root, "tag", None) in LINK_TAGS:
            value = root.get("href") or ""
        else:
            value = node.css("a::attr(href), area::attr(href)").get() or ""
        if value.strip():
            links.append(value.strip())
    return links


def listing_links(html: str, base_url: str, follow: str) -> list[str]:
    """Absolute canonical article URLs of a listing page, in page order, without repeats."""
    links: list[str] = []
    for value in select_links(html, follow):
        url = canonical_url(value, base_url)
        if url and url not in links:
            links.append(url)
    return links


def next_page(html: str, base_url: str, selector: str) -> str:
    for value in select_links(html, selector):
        url = http_url(value, base_url)
        if url:
            return url
    return ""


def _first(html: str, selector: str | None, attribute: str = "") -> str:
    """The first value a `title` or `date` selector matches: an attribute or a text as
    selected, and for an element (`h1`, `time`) its `attribute` when it has one (a `<time>`'s
    `datetime`), else its text — never its HTML."""
    if not selector:
        return ""
    for node in _selected(html, selector):
        root = node.root
        if isinstance(root, str):
            value = root
        else:
            value = (root.get(attribute) if attribute else None) or node.xpath("string()").get("")
        if value.strip():
            return " ".join(value.split())
    return ""


# What sets a site's name off from a title: « | », « • », « · », « :: », or a dash after a space
_SITE_NAME_SEPARATOR = r"(?:\s*(?:[|•·]|::)|\s+[-–—])"


def without_site_name(title: str, names: Iterable[str], *, leading: bool = False) -> str:
    """`title` without its site's name (one of `names`, tried in order) written after it with a
    separator (« … Calvados - leboncoin.fr », « … | Relation Client Mag »), or, when `leading`,
    before it (a feed's « Wheels24.co.za | WATCH | … »: the name is on every entry, not the
    entry's). A name followed by a colon is the title's subject (« Framablog : dix ans »), and
    a title that is only the name stays as it is. Shared by pages (`extract_article`) and feed
    entries (`watcher.collect.feeds`)."""
    for name in names:
        quoted = re.escape(name)
        patterns = [rf"^{quoted}{_SITE_NAME_SEPARATOR}\s*"] if leading else []
        tail = title.rstrip()[-len(name) :]
        if not (name.isascii() and tail.isascii() and tail.lower() != name.lower()):
            # (else the title does not end with the name: no pattern to build, on a hot path)
            patterns.append(rf"{_SITE_NAME_SEPARATOR}\s*{quoted}\s*$")
        for pattern in patterns:
            cut, count = re.subn(pattern, "", title, flags=re.IGNORECASE)
            if count and any(char.isalnum() for char in cut):
                return cut.strip()
    return title


def _page_site_names(site_name: str, url: str) -> list[str]:
    """A page's names for its site: the one it gives (og:site_name) and its address's host."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return list(dict.fromkeys(" ".join(n.split()) for n in (site_name, host) if n.strip()))


_HEADING_LINES = 8  # lines of the text the title may come after (a breadcrumb list's items)


def _drop_heading(text: str, title: str, tree: lxml.html.HtmlElement | None = None) -> str:
    """Text without the article's heading block: the title line and the few short lines
    (category, breadcrumb) that come before it when the extractor keeps them. The title line
    is the page's title or, when that title is not written in the text (a title from the meta
    tags that also names the site), the page's one <h1> (read from `tree` only then); a
    breadcrumb trail longer than a category label is part of the block too when it ends with
    that title (« Accueil > Rubrique > Titre »)."""
    lines = text.split("\n")
    wanted = " ".join(title.split())
    for _ in range(2):
        for position, line in enumerate(lines[:_HEADING_LINES] if wanted else ()):
            if " ".join(line.split()) == wanted:
                if all(
                    len(before) <= 80 or " ".join(before.split()).endswith(wanted)
                    for before in lines[:position]
                ):
                    return "\n".join(lines[position + 1 :]).strip()
                return text
        heading = _page_heading(tree) if tree is not None else ""
        if not heading or heading == wanted:
            break
        wanted, tree = heading, None
    return text


def _page_heading(tree: lxml.html.HtmlElement) -> str:
    """The text of the page's <h1> when it has exactly one (several name the site, sections…)."""
    found = None
    for element in tree.iter("h1"):
        if found is not None:
            return ""
        found = element
    return " ".join(found.text_content().split()) if found is not None else ""


# a paragraph cut short by the page, « … Tribunal de Comme... Lire plus »: an ellipsis at its
# end, then at most a « read more » label
_CUT_COPY = re.compile(
    r"\s*(?:\.\.\.|…|\[\s*(?:\.\.\.|…)\s*\]|\(\s*(?:\.\.\.|…)\s*\))\s*"
    r"(?:(?:lire|voir|afficher|en savoir)\s+(?:la\s+)?(?:suite|plus)|read\s+more|weiterlesen)?"
    r"\s*[»›>+]?\s*$",
    re.IGNORECASE,
)
_CUT_COPY_MIN = 60  # characters a cut copy keeps of the paragraph it repeats


def _without_cut_copies(text: str) -> str:
    """Text without the copy of a paragraph that the page also shows cut short: a responsive
    page writes its description twice, whole for large screens and cut (« … Lire plus ») for
    small ones, and both are in its HTML. A line that ends with an ellipsis and begins another
    line of the text is such a copy; so are the lines just before it that repeat, one for one,
    the lines before that whole paragraph (the copy's first paragraphs, written whole)."""
    if "..." not in text and "…" not in text:
        return text
    lines = text.split("\n")
    dropped: set[int] = set()
    for cut, line in enumerate(lines):
        if "..." not in line and "…" not in line:
            continue
        found = _CUT_COPY.search(line)
        if found is None or found.start() < _CUT_COPY_MIN:
            continue
        stem = line[: found.start()]
        whole = next(
            (
                i
                for i, other in enumerate(lines)
                if i != cut
                and i not in dropped
                and len(other) > len(stem)
                and other.startswith(stem)
            ),
            None,
        )
        if whole is None:
            continue
        dropped.add(cut)
        before, copy = whole - 1, cut - 1
        while (
            before >= 0
            and copy >= 0
            and before != cut
            and copy != whole
            and lines[copy].strip()
            and lines[copy] == lines[before]
        ):
            dropped.add(copy)
            before, copy = before - 1, copy - 1
    if not dropped:
        return text
    return "\n".join(line for i, line in enumerate(lines) if i not in dropped)


# the link to itself a heading ends with (« Installer # », Sphinx's « Installer¶ »): a « # »
# after a space (never « C# »), a pilcrow or a link emoji, at the end of a short line
_PERMALINK_MARK = re.compile(r"(?<=\S)(?:\s+#|\s*[¶🔗])$")
_PERMALINK_LINE = 200  # characters: a heading's line, not a paragraph


def _without_permalink_marks(text: str) -> str:
    """Text without the permalink marks that end headings (« Using standalone mode # »)."""
    if "#" not in text and "¶" not in text and "🔗" not in text:
        return text
    return "\n".join(
        _PERMALINK_MARK.sub("", line) if len(line) <= _PERMALINK_LINE else line
        for line in text.split("\n")
    )


def _without_closing_furniture(text: str) -> str:
    """Text without the lines of page furniture that close it (a publisher's disclaimer, a
    subscription prompt, « Partager », a comment box's line: `furniture_line`), which the
    extractor kept after the article's last paragraph, nor those that open it (a reading-time
    label above the first paragraph: Framablog's « Temps de lecture 14 min »). Only at either
    end: the same words inside an article are the article's."""
    lines = text.split("\n")
    start, end = 0, len(lines)
    while end and (not lines[end - 1].strip() or furniture_line(lines[end - 1])):
        end -= 1
    while start < end and (not lines[start].strip() or furniture_line(lines[start])):
        start += 1
    if (start, end) == (0, len(lines)):
        return text
    return "\n".join(lines[start:end]).strip()


_JSON_LD = etree.XPath(
    'boolean(//script[@type="application/ld+json" or @type="application/settings+json"])'
)


# what separates the parts of a <title> (« Article | Rubrique | Site », « » Article|Blog »);
# never « : » (« Affaire KPMG : un juge se récuse ») nor a hyphen inside a word
_TITLE_PARTS = re.compile(r"\s*[|•·]\s*|\s+[-–—]\s+|^\s*[»›]\s*")


def _headed_title(tree: lxml.html.HtmlElement) -> str:
    """The part of the page's <title> that one of its headings shows, for a page whose meta
    tags give no title and that has several <h1> or none (trafilatura then takes one of the
    <title>'s parts, often the site's or a section's name: « BMJV », « Mathias Brunet »):
    the longest part written in an <h1>, else in an <h2>; "" when no part is."""
    headings = [list(tree.iter("h1")), list(tree.iter("h2"))]
    if len(headings[0]) == 1:  # trafilatura takes a page's one <h1>
        return ""
    element = tree.find(".//head/title")
    raw = " ".join((element.text_content() if element is not None else "").split())
    parts = [part for part in _TITLE_PARTS.split(raw) if part]
    if len(parts) < 2:
        return ""
    parts = [part for part in parts if len(part) >= 8]  # not an acronym, not « Accueil »
    for level in headings:
        shown = [" ".join(h.text_content().split()) for h in level]
        found = [part for part in parts if any(part in text for text in shown)]
        if found:
            return max(found, key=len)
    return ""


def _metadata(tree: lxml.html.HtmlElement) -> Document:
    """Title, author and description as trafilatura finds them (meta tags, JSON-LD, then the
    page's headings and bylines), without the rest of its metadata pass (site name, tags,
    categories, license and the date, which :func:`extract_article` reads itself)."""
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None  # as trafilatura: a one-word author is most often a site name
    # JSON-LD (parsed by a costly regex pass) fills what the meta tags leave empty; trafilatura
    # also lets it override them, which changes no page of benchmarks/bench_extract.py
    if not (metadata.title and metadata.author and metadata.description) and _JSON_LD(tree):
        with contextlib.suppress(Exception):  # as trafilatura: its JSON-LD bugs are ignored
            metadata = extract_meta_json(tree, metadata)
    if not metadata.title:
        metadata.title = _headed_title(tree) or extract_title(tree)
    if not metadata.author:
        metadata.author = find_author(tree)  # extract_author's answer, at a fraction of its cost
    return metadata


# --- the standfirst (chapô) a page shows above its article ----------------------------------

# a description cut short by the site: « … (...) », « […] », « ... », « … »
_CUT_SHORT = re.compile(r"\s*(?:\(\s*\.\.\.\s*\)|\[\s*(?:\.\.\.|…)\s*\]|\.\.\.|…)\s*$")
_STANDFIRST_HEAD = 40  # characters of the description a text of the page must start with
_STANDFIRST_MAX = 1500  # a longer block is a container of the article, not its standfirst
_STANDFIRST_BLOCKS = frozenset({"p", "div", "h2", "h3", "h4", "h5", "h6", "li", "section"})
_STANDFIRST_FURNITURE = frozenset(
    {"nav", "aside", "footer", "a", "script", "style", "noscript", "template", "form"}
)
# text nodes that begin with the description's head: first those that hold its longest word
# as it is (normalize-space() only changes the spaces between words), a cheap test that leaves
# out nearly every node, then the test itself
_TEXT_STARTING = etree.XPath(
    "//body//text()[contains(., $word)][starts-with(normalize-space(.), $head)]"
)


def _standfirst(tree: lxml.html.HtmlElement, description: str, text: str) -> str:
    """The standfirst the page shows above its article when the extracted text lacks it: the
    block of the page whose text begins with the page's description (its meta description or
    og:description, which sites fill with the chapô, sometimes cut short with « (...) »), out
    of menus, asides, footers and links. Both trafilatura and Watcher's text dropped it when
    it stands outside the article's body (a header's <h2 itemprop="description">, SPIP's
    div.chapo, a <p class="description"> above the body); "" when the page shows no such
    block, or the text already has it."""
    wanted = " ".join(_CUT_SHORT.sub("", description).split())
    if len(wanted) < _STANDFIRST_HEAD or wanted[:_STANDFIRST_HEAD] in " ".join(text.split()):
        return ""
    head = wanted[:_STANDFIRST_HEAD]
    matches = _TEXT_STARTING(tree, word=max(head.split(), key=len), head=head)
    for found in matches if isinstance(matches, list) else ():
        element = getattr(found, "getparent", lambda: None)()
        if element is not None and getattr(found, "is_tail", False):
            element = element.getparent()
        while element is not None and element.tag not in _STANDFIRST_BLOCKS:
            if element.tag in _STANDFIRST_FURNITURE or element.tag == "body":
                element = None
                break
            element = element.getparent()
        if element is None or any(
            ancestor.tag in _STANDFIRST_FURNITURE for ancestor in element.iterancestors()
        ):
            continue
        block = " ".join(element.text_content().split())
        if block.startswith(wanted) and len(block) <= _STANDFIRST_MAX:
            return block
    return ""


_XPATHS: dict[str, etree.XPath] = {}
_NOT_FURNITURE = "not(ancestor::aside or ancestor::nav or ancestor::footer)"


def _xpath_first(tree: lxml.html.HtmlElement, *paths: str) -> str:
    for path in paths:
        compiled = _XPATHS.get(path)
        if compiled is None:
            compiled = _XPATHS[path] = etree.XPath(path)
        values = compiled(tree)
        if isinstance(values, list) and values:
            return str(values[0])
    return ""


def _first_attribute(
    tree: lxml.html.HtmlElement, tag: str, name: str, value: str, wanted: str
) -> str:
    """`wanted` of the first `tag` element, in page order, whose `name` is `value` and that has
    it: ``//tag[@name='value']/@wanted`` as a walk over those elements only, without XPath."""
    for element in tree.iter(tag):
        if element.get(name) == value:
            found = element.get(wanted)
            if found is not None:
                return found
    return ""


# schema.org microdata's publication date (« <div itemprop="datePublished">2 Déc 2017</div> »,
# « <meta itemprop="datePublished" content="…"> »), but not a comment's nor a listed item's
_DATE_PUBLISHED = etree.XPath(
    f"//*[contains(@itemprop, 'datePublished')][{_NOT_FURNITURE}]"
    "[not(ancestor-or-self::*[@itemscope][1][contains(@itemtype, 'Comment')])]"
)
_DATE_TEXT_MAX = 60  # characters: a date written out, not a paragraph
# a page whose markup (not only its JSON-LD) names it: the only ones worth the walk
_HAS_MICRODATA_DATE = re.compile(r"""itemprop\s*=\s*["']?[^"'>]*datePublished""")


def _microdata_date_named(html: str) -> bool:
    """Whether the page's markup names a microdata publication date (a plain substring test
    first: most pages never write « datePublished »)."""
    return "datePublished" in html and _HAS_MICRODATA_DATE.search(html) is not None


def _microdata_published(tree: lxml.html.HtmlElement) -> str:
    """The date the page's microdata gives as its publication date: the `content` or
    `datetime` of its first ``itemprop="datePublished"``, else the text it shows when that
    reads as a date. A blog's date box can carry it with no machine-readable attribute (Word-
    Press's Virtue theme: « 2 Déc 2017 »), while the first <time> of the article dates what it
    quotes (Framablog's republished post, « Griffonné le 30 novembre 2017 »); "" when none."""
    found = _DATE_PUBLISHED(tree)
    for element in found if isinstance(found, list) else ():
        if not isinstance(element, etree._Element):
            continue
        if "datePublished" not in str(element.get("itemprop", "")).split():
            continue
        value = element.get("content") or element.get("datetime")
        if value is None:
            value = " ".join(element.text_content().split())
            if len(value) > _DATE_TEXT_MAX or parse_date(value) is None:
                continue
        return str(value)
    return ""


def _in_running_text(element: lxml.html.HtmlElement) -> bool:
    """Whether `element` stands inside a sentence: words before it in its parent, or after it."""
    if (element.tail or "").strip():
        return True
    before = element.getprevious()
    parent = element.getparent()
    text = before.tail if before is not None else (parent.text if parent is not None else "")
    return bool((text or "").strip())


def _quoted_times(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The <time> elements written inside a sentence (« la réunion du <time>12 mai</time> a… »,
    Framablog's « Griffonné le 30 </time>novembre 2017 »), whose words trafilatura's cleaning
    drops with the element (it removes every <time>, a date box's or a sentence's alike)."""
    return [element for element in tree.iter("time") if _in_running_text(element)]


def extract_article(
    html: str,
    url: str,
    *,
    title_selector: str | None = None,
    date_selector: str | None = None,
    zone: str = "Europe/Paris",
) -> Entry:
    """The main text, title, author, dates, language and canonical URL of an article page.

    The page is parsed once (as trafilatura parses it); the metadata this needs is read from
    that tree, and the tree then goes to trafilatura for the main text only: the same text as
    ``bare_extraction(html, with_metadata=True)`` at about the cost of ``trafilatura.extract``
    (benchmarks/bench_extract.py)."""
    tree = load_html(html)
    warnings: list[str] = []
    if tree is None:
        return Entry(url=canonical_url(url), title="", original_url=url, warnings=(_NO_TEXT,))
    canonical = _first_attribute(tree, "link", "rel", "canonical", "href")
    final_url = canonical_url(canonical, url) if canonical else ""
    final_url = final_url or canonical_url(url)
    metadata = _metadata(tree)
    title = _first(html, title_selector) or str(metadata.title or "")
    title = " ".join((title or _xpath_first(tree, "//title/text()")).split())
    if not title_selector:  # a group's own selector is taken as it finds
        title = without_site_name(title, _page_site_names(str(metadata.sitename or ""), final_url))
    raw_date = (
        _first(html, date_selector, "datetime")
        or _first_attribute(tree, "meta", "property", "article:published_time", "content")
        or (_microdata_published(tree) if _microdata_date_named(html) else "")
        or _xpath_first(
            tree,
            # a <time> of the article, then of the page, but not the date of another article
            # listed in a sidebar, a menu or a footer (even inside <main> or <article>)
            f"//article//time[{_NOT_FURNITURE}]/@datetime"
            f" | //main//time[{_NOT_FURNITURE}]/@datetime",
            f"//time[{_NOT_FURNITURE}]/@datetime",
        )
    )
    language = _xpath_first(tree, "/html/@lang").split("-")[0].lower()
    # reads the tree, leaves it as is; comments are not the article's text and Watcher never
    # keeps them: trafilatura's comment extraction is skipped (a quarter of its time on pages
    # with a comment thread; the text is the same on every page of benchmarks/bench_extract.py)
    options = copy(_OPTIONS)
    options.url = url
    options.source = url and url.encode("utf-8", "replace").decode("utf-8")
    # a date written inside a sentence is part of it: read as a <span> (its text kept), then
    # given back its name for the date search below
    quoted = _quoted_times(tree) if "<time" in html else []
    for element in quoted:
        element.tag = "span"
    try:
        document = trafilatura.bare_extraction(tree, options=options)
    finally:
        for element in quoted:
            element.tag = "time"
    # its text and body, read from the Document (as_dict() would first copy all its fields)
    if isinstance(document, dict):
        raw, body = document.get("text"), document.get("body")
    else:
        raw, body = getattr(document, "text", None), getattr(document, "body", None)
    text = clean_text(str(raw or ""), code_lines(body))
    text = _without_permalink_marks(_without_cut_copies(text))
    text = _without_closing_furniture(_drop_heading(text, title, tree))
    standfirst = _standfirst(tree, str(metadata.description or ""), text) if text else ""
    if standfirst:
        text = f"{standfirst}\n{text}"
    if not text:
        warnings.append(_NO_TEXT)
    elif TEMPLATE.search(text):
        warnings.append(
            "page construite par JavaScript (gabarits {{…}} non remplis) : "
            "le texte extrait n'est probablement pas l'article"
        )
    elif not raw_date:  # htmldate on the page's markup (meta tags, JSON-LD, URL, dated
        # elements, timestamps): only for a page that has an article
        raw_date = find_date(tree, **{**_DATE_PARAMS, "url": final_url}) or ""
    published = parse_date(raw_date, zone) if raw_date else None
    if raw_date and published is None:
        warnings.append(f"date illisible : {raw_date!r}")
    return Entry(
        url=final_url,
        title=title,
        summary=shorten(str(metadata.description or "") or text),
        text=text,
        author=str(metadata.author or ""),
        published=published,
        published_raw=raw_date.strip(),
        language=language,
        original_url=url,
        warnings=tuple(warnings),
    )
