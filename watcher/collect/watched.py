"""A watched page's HTML → what versions compare: its watched text and its price (pure).

The text is the part `select:` names (CSS, or `xpath:`), else the page's main text. The price is
read by a `price:` selector when one is given, else from the page's schema.org data — an `Offer`
(or any node with a price) in JSON-LD, microdata or RDFa, all three read by extruct —; the
amount and currency are parsed by price-parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import lxml.html
from parsel import Selector

from watcher.changes import Price, Snapshot, normalise, period_of
from watcher.collect.extract import extract_article, html_to_text

_SCHEMA = ("http://schema.org/", "https://schema.org/")
_STRUCTURED = ("json-ld", "microdata", "rdfa")
_STRUCK = ("del", "s", "strike")  # a promotion's old price
# …or a price struck through by the shop's CSS: Shopware's price--line-through, Magento's
# old-price, PrestaShop's regular-price, Shopify's compare-at price, a « prix barré »
_STRUCK_CLASS = re.compile(
    r"line-?through|strike|crossed|barr[eé]|old-?price|price-?old|was-?price|"
    r"regular-?price|compare-?at|price--compare|ancien-?prix|prix-?ancien",
    re.IGNORECASE,
)
_STRUCK_STYLE = re.compile(r"text-decoration[^;]*line-through", re.IGNORECASE)

# an amount written with its currency: « 7,49 € », « 1 299,99 € », « 12€99 », « EUR 12.50 »
_CURRENCY = r"(?:€|\bEUR\b|\beuros?\b|\$|£|\bCHF\b|\bUSD\b|\bGBP\b)"
_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f.']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_WRITTEN = re.compile(
    rf"(?:{_NUMBER})[ \u00a0\u202f]?{_CURRENCY}(?:\d{{2}}(?!\d))?"
    rf"|{_CURRENCY}[ \u00a0\u202f]?(?:{_NUMBER})",
    re.IGNORECASE,
)
# a price without VAT (« HT », « zzgl. MwSt ») and with VAT (« TTC », « inkl. MwSt »)
_NET = re.compile(
    r"\bHT\b|\bH\.T\.|hors[\s-]+taxes?|(?:zzgl|exkl)\.?\s*(?:MwSt|USt)|ohne\s+(?:MwSt|USt)|"
    r"\bnetto\b|\bexcl(?:\.|uding)?\s*(?:VAT|tax|TVA|BTW)|\bex\.?\s*VAT",
    re.IGNORECASE,
)
_GROSS = re.compile(
    r"\bTTC\b|T\.T\.C\.|toutes\s+taxes\s+comprises|\binkl\.?\s*(?:MwSt|USt)|\bbrutto\b|"
    r"\bincl(?:\.|uding)?\s*(?:VAT|tax|TVA|BTW)|\binc\.?\s*VAT|TVA\s+comprise",
    re.IGNORECASE,
)
# what may stand between a label and the amount it introduces: « zzgl. MwSt (21%): 4,92 € »
_LABEL_BEFORE = re.compile(r"\s*(?:\(\s*\d+(?:[.,]\d+)?\s*%\s*\))?\s*:?\s*")
_LABEL_AFTER = re.compile(r"[\s*]*")  # « 24,99 € HT », « 7,49 € * »
# a price per quantity, not the product's: « 9,96 €/kg », « 13,32 € le litre », « 1,20 € / 100 g »
_PER_QUANTITY = re.compile(
    r"\s*(?:/|\bpar\b|\ble\b|\bla\b|\bau\b|\bpro\b|\bje\b)\s*(?:\d+\s*)?"
    r"(?:kg|kilos?|g|grammes?|l|litres?|liter|ml|cl|m²|m2|m|mètres?|unités?|pièces?|stück|st)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Written:
    start: int
    end: int
    tax: str  # "net" (without VAT), "gross" (with VAT) or "" (not said)
    per_quantity: bool = False  # « 9,96 €/kg »: a price per kilo, litre, metre, piece…


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
    inside it: « <del>29,99 €</del> 24,99 € » is 24,99 €; an element the shop's CSS strikes
    through, by its class or style: « <span class="price--line-through">8,99 €</span> »)."""
    if "<" not in value:
        return value
    root = lxml.html.fragment_fromstring(value, create_parent="div")
    for element in list(root.iter()):
        if element is root or not isinstance(element.tag, str):
            continue
        struck = element.tag in _STRUCK
        struck = struck or bool(_STRUCK_CLASS.search(element.get("class") or ""))
        if struck or _STRUCK_STYLE.search(element.get("style") or ""):
            element.drop_tree()  # its tail (the text after it) is kept
    return lxml.html.tostring(root, encoding="unicode")


def _written_prices(text: str) -> list[_Written]:
    """The amounts `text` writes with their currency, in order, each with what the text says
    of its VAT: a label binds to the amount it introduces (« Inkl. MwSt (21%): 5,95 € ») or,
    right after one, to that amount (« 24,99 € HT »)."""
    found = [_Written(m.start(), m.end(), "") for m in _WRITTEN.finditer(text)]
    if not found:
        return found
    taxes = [""] * len(found)
    for pattern, tax in ((_NET, "net"), (_GROSS, "gross")):
        for label in pattern.finditer(text):
            after = next((i for i, w in enumerate(found) if w.start >= label.end()), None)
            before = next(
                (i for i in range(len(found) - 1, -1, -1) if found[i].end <= label.start()), None
            )
            forward = after is not None and _LABEL_BEFORE.fullmatch(
                text[label.end() : found[after].start]
            )
            backward = before is not None and _LABEL_AFTER.fullmatch(
                text[found[before].end : label.start()]
            )
            # « Prix TTC : 119 € » introduces the amount after it; « 24,99 € HT » qualifies
            # the amount before it, even when another amount follows on the next line
            if after is not None and forward and (":" in forward.group() or not backward):
                taxes[after] = taxes[after] or tax
            elif before is not None and backward:
                taxes[before] = taxes[before] or tax
    return [
        _Written(w.start, w.end, tax, bool(_PER_QUANTITY.match(text, w.end)))
        for w, tax in zip(found, taxes, strict=True)
    ]


def _in_force(text: str) -> str:
    """The part of a price block's text that writes the price in force, "" when it writes no
    amount with a currency: the price with VAT when the block also gives it without (« 4,92 €
    HT / 5,95 € TTC »), else the first amount written with its currency — not a number of the
    block written without one (a promotion's « -16 % » badge, « 2 Fl »), nor a price per kilo
    or per litre beside the product's (« 9,96 €/kg »); the text up to the
    next amount goes with it, for the period it is paid for (« 29,99 € / mois »)."""
    written = _written_prices(text)
    # a price per kilo or per litre beside the product's price is not its price
    written = [w for w in written if not w.per_quantity] or written
    if not written:
        return ""
    chosen = next(
        (w for w in written if w.tax == "gross"),
        next((w for w in written if w.tax != "net"), written[0]),
    )
    following = [w.start for w in written if w.start > chosen.start]
    return text[chosen.start : following[0] if following else len(text)]


def _gross_of_net(html: str, price: Price) -> Price | None:
    """The price with VAT the page shows beside a structured-data price that it labels as
    the price without VAT (a shop's microdata giving « zzgl. MwSt 4,92 € » where the page says
    « Inkl. MwSt 5,95 € »), None when the page shows no such pair."""
    if not _NET.search(html) or not _GROSS.search(html):
        return None
    body = Selector(text=html).xpath("//body").get()
    text = html_to_text(body or "")
    written = _written_prices(text)
    for position, net in enumerate(written):
        if net.tax != "net":
            continue
        amount = parse_price(text[net.start : net.end])
        if amount is None or amount.amount != price.amount:
            continue
        nearby = written[max(0, position - 1) : position + 2]
        gross = next((w for w in nearby if w.tax == "gross"), None)
        if gross is not None:
            found = parse_price(text[gross.start : gross.end])
            if found is not None:
                return Price(found.amount, price.currency or found.currency, price.per)
    return None


def page_price(html: str, url: str, selector: str | None) -> Price | None:
    """The page's price: what `selector` finds (the first match that reads as a price, a
    struck-through price left out; a selector that finds only struck prices reads them), else
    its schema.org data's."""
    if selector:
        from watcher.collect.extract import select_all

        values = select_all(html, selector, url)
        for value in [_unstruck(v) for v in values] + values:
            text = html_to_text(value) if "<" in value else value
            found = parse_price(_in_force(text) or text)
            if found is not None:
                return found
        return None
    found = structured_price(html, url)
    return (_gross_of_net(html, found) or found) if found is not None else None


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


# what a shop calls its price block, in its classes and ids: « price », « prix », « Preis »,
# « tarif » (product-price, prix_ttc, item_price, our-price…)
_PRICE_NAME = re.compile(r"price|prix|preis|tarif", re.IGNORECASE)
_CSS_IDENT = re.compile(r"[A-Za-z_][\w-]*")
_NOT_THE_PRODUCT = ("nav", "header", "footer", "aside", "form", *_STRUCK)


def shown_price(html: str, url: str) -> tuple[str, str] | None:
    """Where a page shows its price when its schema.org data gives none — what a learner can
    name in `price:` —: (a CSS selector, the price as written) for the first element, in page
    order, whose class or id names a price (« price », « prix », « Preis », « tarif »), whose
    text writes an amount with its currency and that `price:` reads as a price, the innermost
    such element, out of menus, headers, footers, forms and struck prices; None when the page
    shows no such block (an article, terms of sale)."""
    root = lxml.html.fromstring(html) if html.strip() else None
    if root is None:
        return None
    named = [
        element
        for element in root.iter()
        if isinstance(element.tag, str)
        and _PRICE_NAME.search(f"{element.get('class') or ''} {element.get('id') or ''}")
    ]
    inner = set(named)
    for element in named:
        for ancestor in element.iterancestors():
            inner.discard(ancestor)
    for element in named:
        if element not in inner or any(
            a.tag in _NOT_THE_PRODUCT or _STRUCK_CLASS.search(a.get("class") or "")
            for a in (element, *element.iterancestors())
        ):
            continue
        written = _WRITTEN.search(_in_force(" ".join(element.text_content().split())))
        if written is None:
            continue
        for selector in _selectors_of(element):
            if page_price(html, url, selector) is not None:
                return selector, " ".join(written.group().split())
    return None


def _selectors_of(element: lxml.html.HtmlElement) -> list[str]:
    """CSS selectors for an element by what names it a price: its id (« #prix »), then each
    class naming a price, with its tag (« span.price »)."""
    found = []
    ident = element.get("id") or ""
    if _PRICE_NAME.search(ident) and _CSS_IDENT.fullmatch(ident):
        found.append(f"#{ident}")
    for name in (element.get("class") or "").split():
        if _PRICE_NAME.search(name) and _CSS_IDENT.fullmatch(name):
            found.append(f"{element.tag}.{name}")
    return found
