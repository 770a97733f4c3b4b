"""A listing page's article links without a selector (pure: HTML and its address in, URLs out).

A `page` source without `follow` (a newsroom, a section of a newspaper, a blog's home page) has
its article links found here, as a `feed` source has its feed found on a home page:

1. the links of the page's main content: not in its navigation, header, footer, side columns,
   menus (`topmenu` too), breadcrumbs, share buttons, pagination, promotions or ads (by
   element, ARIA role, class and id; a block named for articles, `menu menu_articles`, is
   content); inside
   `<main>` only when the page has one and it holds article links;
2. on the same site as the page (its registrable domain: `presse.example.fr` and
   `www.example.fr` are one site), never the page itself, a tag, category, author, search,
   login, feed or pagination page (courlan's filters, which trafilatura's crawler uses, and
   French words), nor a PDF or media file;
3. whose address looks like an article's: a date or a numeric id, a slug of three words or
   more, or a path deeper than the listing's under it;
4. grouped by the repeated structure they sit in (the same chain of elements and classes from
   the page's body down to the item: the cards of a grid, the items of a list; classes that
   number an item or tell its place or state, `views-row-first`, `odd`, `active`, are left
   out, and a list is the nearest with three items or more, else a pair), the group with the
   most such links first: every group of at least two links is kept unless it is a hub's, its
   items saying no more than labels (fewer than four words: « Presse », « Préparer une
   thèse », a logo) or its links speaking to the reader (« Vous êtes ressortissant… »), when
   its addresses carry no dates; a lone link only when it is a heading's or an article's,
   holds a heading (a card that is one link) or has a date beside it (« 15 mars 2018 », a
   `<time>`), and reads as a title (three words or more, not « Toutes les actualités »); a
   link that only ever says « Voir tout » or « Tous les … » leads to a collection and is left
   out.

`article_links` gives them in page order, without repeats (one article linked from its picture,
its title and « Lire la suite » is one link), with a short reason in French; `next_page_link`
finds the next listing page (`rel="next"`, « Page suivante », « Suivant »). Watcher's spiders
fetch what these return through the same guard and politeness as any address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

import lxml.html
import trafilatura  # noqa: F401  (before courlan: see site_of)
from lxml import etree

from watcher.model import ListingSeen
from watcher.urls import canonical_url

# Elements whose links are never articles of the listing, and roles that say the same.
BOILERPLATE_TAGS = frozenset({"nav", "aside", "menu"})
EDGE_TAGS = frozenset({"header", "footer"})  # the page's, not an article card's own
BOILERPLATE_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
)
# class and id words (split on - _ and spaces) of boilerplate blocks
BOILERPLATE_WORDS = frozenset({
    "nav", "navbar", "navigation", "menu", "menus", "submenu", "megamenu", "breadcrumb",
    "breadcrumbs", "ariane", "fil-ariane", "footer", "pied", "header", "entete", "masthead",
    "topbar", "sidebar", "aside", "share", "sharing", "social", "partage",
    "reseaux", "pagination", "pager", "paginate", "cookie", "cookies", "consent", "skip",
    "evitement", "tags", "tagcloud", "keywords", "mots-cles", "related", "connexes", "newsletter",
    "toolbar", "offcanvas", "drawer", "modal", "popup", "comments", "commentaires",
    "promo", "autopromo", "promotion", "pub", "publicite", "ads", "advert", "sponsor", "sponsored",
})  # fmt: skip
# class and id words that say a block lists articles, whatever else it says (`menu menu_articles`)
CONTENT_WORDS = frozenset({"articles", "posts"})
# class words of an element's place or state, not its kind (`views-row-first`, `item active`):
# left out of the signature, so that the items of one list are alike
STATE_WORDS = frozenset({
    "first", "last", "odd", "even", "alt", "active", "current", "selected", "hover", "focus",
    "open", "show", "hidden", "visible", "clearfix", "on", "off",
})  # fmt: skip
# class words (and rel values) of a link that names a tag, category or author beside a card's title
LINK_WORDS = frozenset({
    "tag", "tags", "cat", "category", "categorie", "rubrique", "author", "auteur", "byline",
    "geotag", "cattag", "marquetag", "label", "badge", "kicker",
})  # fmt: skip
LINK_RELS = frozenset({"tag", "category", "author"})
# ids of the page's main content, as skip links and themes name it
MAIN_IDS = frozenset(
    {"main", "main-content", "maincontent", "content", "contenu", "contenu-principal"}
)
DROP_TAGS = ("script", "style", "noscript", "template", "svg", "select", "option")

# addresses that are never articles (beyond courlan's filters)
NOT_ARTICLE = re.compile(
    r"/(?:tags?|etiquettes?|mots?-cles?|categor(?:y|ies|ie|ies)|rubriques?|themes?|thematiques?|"
    r"auteurs?|authors?|redacteurs?|page|pages|feed|rss|atom|search|recherche|login|logout|"
    r"connexion|deconnexion|inscription|register|compte|account|mon-compte|panier|cart|"
    r"checkout|wp-admin|wp-login\.php|wp-json|xmlrpc\.php|cdn-cgi|contact|contactez-nous|"
    r"mentions-legales|plan-du-site|sitemap|cgu|cgv|cookies|politique-de-confidentialite|"
    r"donnees-personnelles|accessibilite|abonnement|newsletter|partager|share|print|imprimer)"
    r"(?:/|$|\.[a-z]{2,5}$)",
    re.IGNORECASE,
)
PAGINATION = re.compile(r"(?:[?&](?:page|p|paged|start|offset)=\d+|/page/\d+/?$|/p\d+/?$)")
MEDIA = re.compile(
    r"\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|zip|rar|gz|jpe?g|png|gif|webp|svg|mp3|mp4|m4a|ogg|"
    r"avi|mov|webm|ics|csv|xml|json|txt|epub)$",
    re.IGNORECASE,
)
SPIP_SECTION = re.compile(r"(?:^|/)-[^/]+-/?$|(?:^|/)\+-[^/]+-\+/?$")  # SPIP's rubriques and mots
DATE_IN_PATH = re.compile(
    r"(?:^|[/_-])(?:19|20)\d\d(?:[/_-]?(?:0[1-9]|1[0-2]))(?:[/_-]?(?:0[1-9]|[12]\d|3[01]))?(?:$|[/_.-])"
)
NUMERIC_ID = re.compile(
    r"(?:^|[^a-z0-9])\d{3,}(?:$|[^a-z0-9])|(?:article|art|id|node|n)\d{2,}", re.IGNORECASE
)
ID_QUERY = re.compile(r"(?:^|&)(?:id|p|article|art|news|actu|idactu|id_article|nid)=\d+", re.I)
WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
# small words a place name's slug is made of (ile-de-france, saint-jean-de-luz)
GLUE_WORDS = frozenset({"de", "la", "le", "du", "des", "les", "et", "en", "sur", "of", "the", "on"})
NEXT_TEXT = re.compile(
    r"^\s*(?:page\s+suivante|suivante?s?|articles?\s+(?:plus\s+)?(?:anciens|précédents)|"
    r"actualités\s+plus\s+anciennes|next(?:\s+page)?|older\s+(?:posts|entries))\s*[›»>→]*\s*$|"
    r"^\s*[›»→]\s*$",
    re.IGNORECASE,
)

MIN_GROUP = 2  # links a repeated structure must hold to be a listing's
TITLE_WORDS = 4  # an article's title has this many words or more; a hub's label has fewer
LABEL_SHARE = 0.6  # a group this much of labels (or of links without text) is navigation
SERVICE_SHARE = 0.5  # a group this much of links speaking to the reader is services
# a link that speaks to the reader: a procedure or a service (« Vous êtes ressortissant… »)
SERVICE_TEXT = re.compile(r"^\s*(?:vous|votre|vos)\b", re.IGNORECASE)
# a link to more of the listing, not to an article (« Toutes les actualités », « Voir plus »)
MORE_TEXT = re.compile(
    r"^\s*(?:toute?s?\s+les|tous\s+les|voir|lire|en\s+savoir|plus\s+d|retrouve[zr]|consulter|"
    r"acc[ée]der|d[ée]couvr[ie]r?z?|archives?)\b",
    re.IGNORECASE,
)
# a link to a collection of the site's pages, not to one (« Voir tout », « Tous les rendez-vous »)
COLLECTION_TEXT = re.compile(
    r"^\s*(?:(?:en\s+)?voir\s+(?:tout|tous|toutes|plus)|tou(?:te)?s\s+les)\b", re.I
)
SHORT_TEXT = 5  # « Voir tous les rendez-vous », « Découvrir nos offres »: fewer words than this
# a date written near a link: « 15 mars 2018 », « 15 mar 2018 », « 16.03.2018 », « 02/03/2018 »
DATE_TEXT = re.compile(
    r"\b\d{1,2}(?:er)?\s+(?:janv|f[ée]vr|mars?|avr|mai|juin|juil|ao[uû]t|sept|oct|nov|d[ée]c)"
    r"[a-zéû]*\.?\s+(?:19|20)\d\d\b|\b\d{1,2}[./-]\d{1,2}[./-](?:19|20)?\d\d\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Detected:
    """A listing's article links in page order, and why (in French, for the crawl's report)."""

    urls: list[str]
    reason: str
    block: str = ""  # the chain of elements and classes of the largest block of links


# A notice « sans sélecteur follow, … » is shown again when the number of links found is this
# many times more, or fewer, than when it was last shown.
NOTICE_RATIO = 2


def notice_due(shown: ListingSeen | None, found: ListingSeen) -> bool:
    """Whether the crawl report tells the learner again what the recognition of a listing's
    links found: the first time (`shown` None: never shown), after it found nothing, or when
    it changed markedly since it was last shown — another block, or the number of links
    doubled or halved. Article links come and go every week: their addresses are not
    compared, only where they are and how many."""
    if shown is None or shown.count == 0 or found.count == 0:
        return True
    if found.block != shown.block:
        return True
    return found.count >= shown.count * NOTICE_RATIO or found.count * NOTICE_RATIO <= shown.count


@lru_cache(maxsize=4096)
def site_of(url: str) -> str:
    """The registrable domain of an address (`presse.economie.gouv.fr` → `economie.gouv.fr`,
    by courlan and the public suffix list the `tld` package ships: nothing is fetched), or its
    host when it has none (an IP address, `localhost`)."""
    # courlan is imported here, after trafilatura (whose extraction the articles go through
    # anyway): imported first, it imports urllib3 alone, and a later import of trafilatura
    # tries urllib3's optional SOCKS support and warns (DependencyWarning, an error in tests)
    from courlan import extract_domain

    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if not host:
        return ""
    return extract_domain(f"http://{host}/") or host


def _words(value: str | None) -> set[str]:
    if not value:
        return set()
    words: set[str] = set()
    for token in value.split():
        words.add(token.lower())
        spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", "-", token)  # msAside: ms, aside
        words.update(part.lower() for part in re.split(r"[-_]+", spaced) if part)
    return words


def _is_boilerplate(element: etree._Element) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in BOILERPLATE_TAGS:
        return True
    if (element.get("role") or "").lower() in BOILERPLATE_ROLES:
        return True
    words = _words(element.get("class")) | _words(element.get("id"))
    menu = any("menu" in word for word in words)  # `topmenu`, `mainmenu`, `menuhomev2`
    return bool(words & BOILERPLATE_WORDS or menu) and not words & CONTENT_WORDS


def _in_boilerplate(
    link: etree._Element, holds_main: set[etree._Element], before_main: set[etree._Element]
) -> bool:
    """Whether a link sits in navigation, a page header or footer, a side column…: a header,
    footer or class word inside an article card (`<article><header><h2><a>`) is the card's, and
    an element holding the page's main content is not boilerplate whatever it says (a theme's
    page wrapper, a menu left unclosed) for the links after the main content's start."""
    ancestors = [a for a in link.iterancestors() if a.tag not in ("body", "html")]
    card = next((i for i, a in enumerate(ancestors) if a.tag == "article"), -1)
    for position, ancestor in enumerate(ancestors):
        if ancestor in holds_main:
            if link in before_main:
                return True
            continue
        tag = ancestor.tag if isinstance(ancestor.tag, str) else ""
        if tag in BOILERPLATE_TAGS or (ancestor.get("role") or "").lower() in BOILERPLATE_ROLES:
            return True
        if position < card:  # inside the card
            continue
        if tag in EDGE_TAGS or _is_boilerplate(ancestor):
            return True
    return False


def _holding_main(root: etree._Element) -> tuple[set[etree._Element], set[etree._Element]]:
    """The elements that hold the page's main content (`<main>`, `role="main"`, the target of
    a skip link, an element whose id says so, and their ancestors), and the links before the
    first of them in the page."""
    targets = {
        (link.get("href") or "")[1:]
        for link in root.iter("a")
        if (link.get("href") or "").startswith("#") and len(link.get("href") or "") > 1
    }
    marks = [
        element
        for element in root.iter()
        if isinstance(element.tag, str)
        and (
            element.tag == "main"
            or (element.get("role") or "").lower() == "main"
            or (element.get("id") or "").lower() in MAIN_IDS
            or (element.get("id") in targets and "main" in (element.get("id") or "").lower())
        )
    ]
    held: set[etree._Element] = set()
    for mark in marks:
        held.update(mark.iterancestors())
    before: set[etree._Element] = set()
    if marks:
        for element in root.iter():
            if element is marks[0]:
                break
            if element.tag == "a":
                before.add(element)
    return held, before


def _labels_only(link: etree._Element) -> bool:
    """A tag, category or author link beside a card's title (by its rel or class)."""
    rels = set((link.get("rel") or "").lower().split())
    return bool(rels & LINK_RELS) or bool(_words(link.get("class")) & LINK_WORDS)


def _signature(element: etree._Element) -> str:
    """An element's tag and classes, but for classes that number it or tell its place or state
    (`views-row-1`, `views-row-first`, `odd`, `active`); and its id unless a number ends it: two
    blocks named apart (`#kwa_global_haut`, `#kwa_global_droite`) are not a list's items."""
    tag = element.tag if isinstance(element.tag, str) else "?"
    ident = (element.get("id") or "").strip()
    if ident and not ident[-1:].isdigit():
        tag = f"{tag}#{ident}"
    names = (element.get("class") or "").split()
    classes = " ".join(
        sorted(
            name
            for name in names
            if not name[-1:].isdigit() and not set(re.split(r"[-_]+", name.lower())) & STATE_WORDS
        )
    )
    return f"{tag}.{classes}" if classes else tag


def _item_of(link: etree._Element) -> etree._Element:
    """The repeated item a link belongs to: the nearest ancestor (or the link) that has two
    siblings or more of the same element and classes (a card of a grid, an item of a list),
    else the nearest that has one (a pair), else the link. A pair inside an item (two
    paragraphs of a news item, two links of one paragraph) is not the list."""
    node = link
    pair: etree._Element | None = None
    while True:
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return pair if pair is not None else link
        signature = _signature(node)
        alike = [sibling for sibling in parent if _signature(sibling) == signature]
        if node is link:  # a title and its « Lire la suite » are one item's
            alike = [a for a in alike if a is link or a.get("href") != link.get("href")]
        if len(alike) > 2:
            return node
        if len(alike) == 2 and pair is None:
            pair = node
        node = parent


def _structure(link: etree._Element, item: etree._Element) -> str:
    """The chain of elements and classes from the page's body down to the link's repeated
    item: links in one list, or in lists built alike, share it."""
    chain = [_signature(item)]
    for ancestor in item.iterancestors():
        if ancestor.tag in ("body", "html"):
            break
        chain.append(_signature(ancestor))
    return "/".join(reversed(chain))


def looks_like_article(url: str, listing_url: str) -> bool:
    """Whether an address looks like an article's: a date or a numeric id in it, a slug of
    three words or more, or a path deeper than the listing's, under it."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    if DATE_IN_PATH.search(path) or NUMERIC_ID.search(path) or ID_QUERY.search(parts.query):
        return True
    segments = [s for s in path.split("/") if s]
    last = re.sub(r"\.[a-z]{2,5}$", "", segments[-1]) if segments else ""
    words = WORD.findall(last.replace("-", " ").replace("_", " ").replace("+", " "))
    if sum(1 for word in words if word.lower() not in GLUE_WORDS) >= 3:
        return True
    listing = [s for s in urlsplit(listing_url).path.split("/") if s]
    if listing and segments[: len(listing)] == listing and len(segments) > len(listing):
        return len(WORD.findall(last)) >= 2 or any(ch.isdigit() for ch in last)
    return False


def _refused(url: str, listing_url: str) -> bool:
    from courlan.filters import is_navigation_page, is_not_crawlable

    parts = urlsplit(url)
    path = parts.path or "/"
    target = f"{path}?{parts.query}" if parts.query else path
    return bool(
        path in ("", "/")
        or MEDIA.search(path)
        or NOT_ARTICLE.search(path)
        or PAGINATION.search(target)
        or SPIP_SECTION.search(path)
        or (is_navigation_page(url) and "?p=" not in url)  # WordPress's ?p=123 is a post
        or is_not_crawlable(url)
        or url.rstrip("/") == listing_url.rstrip("/")
    )


def _page(html: str) -> etree._Element | None:
    if not html.strip():
        return None
    try:
        parser = lxml.html.HTMLParser(encoding="utf-8")  # the text is decoded already
        root = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError):
        return None
    for element in list(root.iter(*DROP_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    return root


def _base(root: etree._Element, page_url: str) -> str:
    for base in root.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            return canonical_url(href, page_url) or page_url
    return page_url


def _text(link: etree._Element) -> str:
    """What a link says: its text, else its image's alternative text, its title or label."""
    text = " ".join(link.text_content().split())
    if text:
        return text
    for image in link.iter("img"):
        if (image.get("alt") or "").strip():
            return " ".join((image.get("alt") or "").split())
    return " ".join((link.get("title") or link.get("aria-label") or "").split())


def _is_dated(link: etree._Element) -> bool:
    """A date near a link: in a `<time>` or in the text of the link's item, up to three
    levels above it (a news item's date beside its title)."""
    for depth, ancestor in enumerate(link.iterancestors()):
        if depth > 2 or ancestor.tag in ("body", "html"):
            return False
        if any(True for _ in ancestor.iter("time")) or DATE_TEXT.search(
            " ".join(ancestor.itertext())
        ):
            return True
    return False


def _is_title(text: str) -> bool:
    """A lone link's text that reads as an article's title, not « Toutes les actualités »
    (« Découvrez les quatre lauréats en Vendée » is one)."""
    words = len(WORD.findall(text))
    return words >= TITLE_WORDS - 1 and not (words < SHORT_TEXT and MORE_TEXT.match(text))


def _is_collection(text: str) -> bool:
    """A link that says « Voir tout », « Tous les rendez-vous »: to a collection of pages."""
    return len(WORD.findall(text)) < SHORT_TEXT and bool(COLLECTION_TEXT.match(text))


def _is_navigation(urls: list[str], texts: dict[str, str], item_words: dict[str, int]) -> bool:
    """A group whose items say no more than labels (« Presse », « Préparer une thèse », a
    logo) or whose links speak to the reader (« Vous êtes ressortissant… »): a hub's links,
    not a listing's, unless their addresses carry dates."""
    if sum(1 for url in urls if DATE_IN_PATH.search(urlsplit(url).path)) * 2 >= len(urls):
        return False
    labels = sum(1 for url in urls if item_words.get(url, 0) < TITLE_WORDS)
    services = sum(1 for url in urls if SERVICE_TEXT.match(texts.get(url, "")))
    return labels >= LABEL_SHARE * len(urls) or services >= SERVICE_SHARE * len(urls)


def _is_headline(link: etree._Element) -> bool:
    """A link that is a heading's or an `<article>`'s, or holds a heading (a card that is one
    link around its title): a lone headline, « À la une »."""
    if any(True for _ in link.iter("h1", "h2", "h3", "h4")):
        return True
    for depth, ancestor in enumerate(link.iterancestors()):
        if depth > 3 or ancestor.tag in ("body", "html"):
            return False
        if ancestor.tag in ("h1", "h2", "h3", "h4", "article"):
            return True
    return False


def article_links(html: str, page_url: str) -> Detected:
    """A listing page's article links in page order (see the module's docstring)."""
    root = _page(html)
    if root is None:
        return Detected([], "page vide ou illisible")
    base = _base(root, page_url)
    listing = canonical_url(page_url) or page_url
    site = site_of(listing)
    mains = [m for m in root.iter("main")] or root.xpath("//*[@role='main']")
    holds_main, before_main = _holding_main(root)
    groups: dict[str, list[str]] = {}
    in_main: dict[str, bool] = {}
    headline: set[str] = set()
    order: dict[str, int] = {}
    texts: dict[str, str] = {}  # the longest thing a link to each address says
    item_words: dict[str, int] = {}  # the most words the item of a link to each address says
    for position, link in enumerate(root.iter("a")):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = canonical_url(href, base)
        if not url or site_of(url) != site or _refused(url, listing):
            continue
        if not looks_like_article(url, listing) or _labels_only(link):
            continue
        if _in_boilerplate(link, holds_main, before_main):
            continue
        item = _item_of(link)
        structure = _structure(link, item)
        urls = groups.setdefault(structure, [])
        if url not in urls:
            urls.append(url)
        order.setdefault(url, position)
        text = _text(link)
        if len(text) > len(texts.get(url, "")):
            texts[url] = text
        # what the link's item says: a news item's title and summary beside its « Communiqué »
        said = len(WORD.findall(text if item is link else item.text_content()))
        item_words[url] = max(item_words.get(url, 0), said)
        if _is_headline(link) or _is_dated(link):
            headline.add(url)
        if mains and any(main in link.iterancestors() for main in mains):
            in_main[url] = True
    # a link that only ever says « Voir tout » leads to a collection, not to an article
    groups = {k: [u for u in v if not _is_collection(texts.get(u, ""))] for k, v in groups.items()}
    groups = {k: v for k, v in groups.items() if v}
    if not groups:
        return Detected([], "aucun lien du contenu principal ne ressemble à un article")
    if any(in_main.values()):  # the page's <main> holds the listing
        groups = {k: [u for u in v if in_main.get(u)] for k, v in groups.items()}
        groups = {k: v for k, v in groups.items() if v}
    ranked = sorted(groups.items(), key=lambda kv: -len(kv[1]))
    kept = [
        urls
        for _, urls in ranked
        if (len(urls) >= MIN_GROUP and not _is_navigation(urls, texts, item_words))
        or (len(urls) == 1 and urls[0] in headline and _is_title(texts.get(urls[0], "")))
    ]
    if not kept:
        return Detected([], "aucun bloc du contenu principal ne liste des articles")
    chosen: list[str] = []
    for urls in kept:
        chosen.extend(url for url in urls if url not in chosen)
    chosen.sort(key=lambda url: order[url])
    best = ranked[0][0].rsplit("/", 1)[-1]
    blocks = len(kept)
    plural = "s" if blocks > 1 else ""
    reason = (
        f"{len(chosen)} liens d'articles trouvés dans {blocks} bloc{plural} "
        f"répété{plural} (le plus grand : « {best} », {len(ranked[0][1])} liens)"
    )
    return Detected(chosen, reason, ranked[0][0])


def next_page_link(html: str, page_url: str) -> str:
    """The next listing page: `<link rel="next">` or `<a rel="next">`, else a link whose whole
    text is « Page suivante », « Suivant », « Articles plus anciens », « › »… on the same site;
    "" when there is none."""
    root = _page(html)
    if root is None:
        return ""
    base = _base(root, page_url)
    listing = canonical_url(page_url) or page_url
    site = site_of(listing)
    candidates = [
        element.get("href") or ""
        for element in root.iter("a", "link")
        if "next" in (element.get("rel") or "").lower().split()
    ]
    candidates += [
        link.get("href") or ""
        for link in root.iter("a")
        if NEXT_TEXT.match(" ".join(link.text_content().split()) or (link.get("aria-label") or ""))
    ]
    for href in candidates:
        url = canonical_url(href.strip(), base) if href.strip() else ""
        if url and site_of(url) == site and url.rstrip("/") != listing.rstrip("/"):
            return url
    return ""
