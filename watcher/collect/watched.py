"""A watched page's HTML → what versions compare: its watched text and its price (pure).

The text is the part `select:` names (CSS, or `xpath:`), else the page's main text. The price is
read by a `price:` selector when one is given, else from the page's schema.org data — an `Offer`
(or any node with a price) in JSON-LD, microdata or RDFa, all three read by extruct —; the
amount and currency are parsed by price-parser.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import lxml.html
from parsel import Selector

from watcher.changes import Price, Snapshot, normalise, period_of
from watcher.collect.extract import extract_article, html_to_text

_SCHEMA = ("http://schema.org/", "https://schema.org/")
_STRUCTURED = ("json-ld", "microdata", "rdfa")
_STRUCK = ("del", "s", "strike")  # a promotion's old price


def watched_text(html: str, url: str, select: str | None) -> str:
    """The text of the part of the page `select` names (every match, in page order), else of
    its main text (as articles are read), else of its whole body."""
    if select:
        page = Selector(text=html)
        found = (
            page.xpath(select.removeprefix("xpath:"))
            if select.startswith("xpath:")
            else page.css(select)
        )
        parts = []
        for match in found:
            value = match.get()
            parts.append(value if isinstance(match.root, str) else html_to_text(value))
        return "\n".join(parts)
    text = extract_article(html, url).text
    if text:
        return text
    body = Selector(text=html).xpath("//body").get()
    return html_to_text(body or "")


def _plain(value: Any) -> Any:
    """An RDFa value ([{"@value": "12.50"}]) as microdata and JSON-LD write it ("12.50")."""
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
        return value[0].get("@value", value[0])
    return value


def _nodes(data: Any) -> Iterator[dict[str, Any]]:
    """Every object of structured data, depth first, keys without the schema.org prefix."""
    if isinstance(data, dict):
        node = {}
        for key, value in data.items():
            for prefix in _SCHEMA:
                key = key.removeprefix(prefix)
            node[key] = _plain(value)
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(data, list):
        for value in data:
            yield from _nodes(value)


def parse_price(text: str, currency: str = "") -> Price | None:
    """A price written on a page (« 44,90 € », « 1 299 EUR », "49.90", « 29,99 €/mois »)."""
    from price_parser import Price as Parsed

    parsed = Parsed.fromstring(text, currency_hint=currency or None)
    if parsed.amount is None:
        return None
    return Price.of(str(parsed.amount), currency or parsed.currency or "", period_of(text))


def structured_price(html: str, url: str) -> Price | None:
    """The first price of the page's schema.org data (JSON-LD, then microdata, then RDFa)."""
    import extruct

    try:
        data = extruct.extract(html, base_url=url, syntaxes=list(_STRUCTURED), uniform=True)
    except Exception:  # extruct raises what its parsers raise on broken markup
        return None
    for syntax in _STRUCTURED:
        for node in _nodes(data.get(syntax, [])):
            amount = node.get("price", node.get("lowPrice"))
            if isinstance(amount, str | int | float) and str(amount).strip():
                currency = node.get("priceCurrency")
                found = parse_price(str(amount), currency if isinstance(currency, str) else "")
                if found is not None:
                    return found
    return None


def _unstruck(value: str) -> str:
    """A match's HTML without the prices a promotion strikes through (<del>, <s>, <strike>
    inside it: « <del>29,99 €</del> 24,99 € » is 24,99 €)."""
    if "<" not in value:
        return value
    root = lxml.html.fragment_fromstring(value, create_parent="div")
    for struck in list(root.iter(*_STRUCK)):
        if struck is not root:
            struck.drop_tree()  # its tail (the text after it) is kept
    return lxml.html.tostring(root, encoding="unicode")


def page_price(html: str, url: str, selector: str | None) -> Price | None:
    """The page's price: what `selector` finds (the first match that reads as a price, a
    struck-through price left out; a selector that finds only struck prices reads them), else
    its schema.org data's."""
    if selector:
        from watcher.collect.extract import select_all

        values = select_all(html, selector, url)
        for value in [_unstruck(v) for v in values] + values:
            found = parse_price(html_to_text(value) if "<" in value else value)
            if found is not None:
                return found
        return None
    return structured_price(html, url)


# The element a script framework fills in (React, Vue, Next.js, Nuxt, Gatsby), and the data a
# framework writes into a page for its scripts (Next.js, Nuxt)
_APP_ROOTS = ("root", "app", "__next", "__nuxt", "___gatsby")
_SCRIPT_DATA = (
    ("//script[@id='__NEXT_DATA__']", "__NEXT_DATA__"),
    ("//script[contains(., 'window.__NUXT__')]", "window.__NUXT__"),
)


def script_written(html: str, *, empty_only: bool = False) -> str:
    """Why a page looks written by its scripts — what a learner reads after « la page semble
    écrite par JavaScript » —, "" when nothing says so: the empty element a framework fills in,
    a <noscript> asking for JavaScript, the data a framework leaves for its scripts. Such a
    page's text and prices may not be in the HTML the crawl fetched (`render: browser`).
    `empty_only`: the empty element only (the others are also on pages written on the server,
    whose text is all there)."""
    page = Selector(text=html)
    for root in _APP_ROOTS:
        found = page.xpath(f"//body//*[@id='{root}']")
        if found and not (found[0].xpath("string()").get() or "").strip():
            return f"son élément « #{root} », que ses scripts remplissent, est vide"
    if empty_only:
        return ""
    for noscript in page.xpath("//noscript"):
        if "javascript" in (noscript.xpath("string()").get() or "").lower():
            return "son <noscript> demande d'activer JavaScript"
    for path, name in _SCRIPT_DATA:
        if page.xpath(path):
            return f"elle porte les données de ses scripts ({name})"
    return ""


def snapshot_of(
    html: str,
    url: str,
    *,
    select: str | None = None,
    ignore: tuple[str, ...] = (),
    price: str | None = None,
) -> Snapshot:
    """What a fetch of a watched page found, ready to compare with its last version."""
    return Snapshot(
        normalise(watched_text(html, url, select), ignore),
        page_price(html, url, price),
    )
