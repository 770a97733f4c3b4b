"""Real product pages (tests/fixtures/shops/) watched as `kind: monitor` sources: served by a
real HTTP server on 127.0.0.1, collected by the real crawl, and the price Watcher records
checked against the price a reader sees on each page (expected.yml, written by hand before
Watcher read the pages)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import Watcher, write
from watcher.changes import Price
from watcher.collect.watched import page_price, shown_price
from watcher.demo.server import LocalSite
from watcher.store.pages import PageStore

SHOPS = Path(__file__).parent / "fixtures" / "shops"
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def expected() -> list[dict[str, Any]]:
    return yaml.safe_load((SHOPS / "expected.yml").read_text(encoding="utf-8"))


def test_the_price_recorded_is_the_one_the_page_shows_and_its_text_is_read(
    watcher: Watcher, site: LocalSite
) -> None:
    sources, wanted = [], {}
    for page in expected():
        price = page["price"]
        for number, extra in enumerate(page["watch"]):
            # one address per source (a watch declares a page once): the same page under /0/, /1/…
            write(site, f"{number}/{page['file']}", (SHOPS / page["file"]).read_bytes())
            source_id = f"{_source_id(page['file'])}-{number}"
            sources.append(
                {
                    "id": source_id,
                    "name": f"{page['file']} {extra or 'schema.org'}",
                    "kind": "monitor",
                    "url": f"{site.base}/{number}/{page['file']}",
                    "axis": "concurrence",
                    "every": "1h",
                    "allow_private": True,
                    **extra,
                }
            )
            wanted[source_id] = Price(Decimal(price["amount"]), price["currency"], price["per"])
    watcher.write(sources)
    result = watcher.crawl(NOW)
    assert all(r.ok for r in result.results), [r for r in result.results if not r.ok]
    pages = PageStore(watcher.store())
    recorded = {}
    for source_id in wanted:
        versions = pages.page_versions(source_id)
        recorded[source_id] = versions[0].price if versions else None
    assert recorded == wanted
    # the text each page's first source watches (its main text): what it must and must not hold
    misread = []
    for page in expected():
        source_id = f"{_source_id(page['file'])}-0"
        text = " ".join(pages.page_versions(source_id)[0].text.split())
        misread += [
            (page["file"], "lost", s) for s in page.get("with", ()) if _plain(s) not in text
        ]
        misread += [(page["file"], "kept", s) for s in page.get("without", ()) if _plain(s) in text]
    assert misread == []


def _source_id(file: str) -> str:
    """A source id of its own for each page (two pages of one shop share their first word)."""
    return re.sub(r"[^a-z0-9]+", "-", file.removesuffix(".html").lower())


def _plain(snippet: str) -> str:
    return " ".join(snippet.split())


@pytest.mark.parametrize(
    ("block", "price"),
    [
        # a promotion's badge and an old price struck by the shop's CSS, not by <del>
        (
            '<span class="badge">-16 %</span> <span class="price--line-through">8,99 €</span>'
            " jetzt 7,49 €",
            Price(Decimal("7.49"), "EUR"),
        ),
        ('<span class="old-price">1 299,99 €</span> <span>1 099,99 €</span>', "1099.99"),
        ('<span style="text-decoration: line-through">49 €</span> 39 €', "39"),
        # without and with VAT: the price a consumer pays
        ("24,99 € HT<br>29,99 € TTC", "29.99"),
        ("zzgl. MwSt (21%): 4,92 € Inkl. MwSt (21%): 5,95 €", "5.95"),
        ("Prix TTC : 119,00 € (99,17 € HT)", "119"),
        # French ways of writing a price
        ("à partir de 12€99", "12.99"),
        ("Lot de 3 : 29,99 €", "29.99"),
        ("dès 9,90 € / mois", Price(Decimal("9.90"), "EUR", "mois")),
        # a price per kilo or per litre written in the block is not the product's price
        ("<small>9,96 €/kg</small> 2,49 €", "2.49"),
        ("(soit 13,32 € le litre) 9,99 €", "9.99"),
    ],
)
def test_a_price_block_reads_as_the_price_in_force(block: str, price: Price | str) -> None:
    page = f'<html><body><h1>Produit</h1><div class="prix">{block}</div></body></html>'
    wanted = price if isinstance(price, Price) else Price(Decimal(price), "EUR")
    assert page_price(page, "https://boutique.example/p", ".prix") == wanted


def test_a_structured_price_without_vat_reads_as_the_price_with_vat() -> None:
    page = (
        '<html><body><div itemscope itemtype="http://schema.org/Offer">'
        '<meta itemprop="price" content="99.17"><meta itemprop="priceCurrency" content="EUR">'
        "<p>99,17 € HT</p><p>119,00 € TTC</p></div></body></html>"
    )
    assert page_price(page, "https://boutique.example/p", None) == Price(Decimal("119"), "EUR")
    # a shop that says nothing of VAT keeps its structured price
    plain = page.replace("HT", "").replace("TTC", "")
    assert page_price(plain, "https://boutique.example/p", None) == Price(Decimal("99.17"), "EUR")


def test_a_page_showing_a_price_outside_schema_org_says_which_price_selector_to_declare(
    watcher: Watcher, site: LocalSite
) -> None:
    """A watched page declared without `price:` whose schema.org data holds no price
    (leboncoin.fr's 2014 ad: « Prix : 240 000 € » in a table row) recorded no price and said
    nothing: the learner could not know the price was there to follow. The source's warning
    now names the page, the price it shows and where, and the `price:` to add in sources.yml;
    that selector reads the page's price. A page whose schema.org data gives the price, and a
    page that shows none (an article, terms of sale), get no such warning."""
    ad = "leboncoin.fr.ad_753398357.html"
    write(site, ad, (SHOPS / ad).read_bytes())
    write(site, "vin.html", (SHOPS / "ebrosia.de.zinfandel.html").read_bytes())
    world = Path(__file__).parent / "fixtures" / "world" / "scs78.de.schuetzenumzug.html"
    write(site, "article.html", world.read_bytes())
    watcher.write(
        [
            {
                "id": source_id,
                "name": source_id,
                "kind": "monitor",
                "url": f"{site.base}/{path}",
                "axis": "concurrence",
                "every": "1h",
                "allow_private": True,
            }
            for source_id, path in (
                ("annonce", ad),
                ("vin", "vin.html"),
                ("article", "article.html"),
            )
        ]
    )
    report = watcher.crawl(NOW)
    warnings = {r.source_id: r.warnings for r in report.results}
    assert warnings["annonce"] == [
        f"aucun prix dans les données schema.org de {site.base}/{ad}, mais la page affiche "
        "« 240 000 € » (« span.price ») : pour suivre ce prix, ajoutez "
        '« price: "span.price" » à la source « annonce » dans sources.yml'
    ]
    assert warnings["vin"] == [] and warnings["article"] == []
    html = (SHOPS / ad).read_text(encoding="utf-8")
    assert page_price(html, f"{site.base}/{ad}", "span.price") == Price(Decimal("240000"), "EUR")


def test_the_price_shown_is_the_product_s_not_the_cart_s_nor_a_struck_one() -> None:
    """The block the hint names is the innermost one named as a price that writes an amount,
    out of the header (a cart's « 0,00 € ») and never a struck promotion price."""
    html = (
        '<html><body><header><a href="/panier" class="cart-price">Panier 0,00 €</a></header>'
        '<main><h1>Lot de 3 torchons</h1><div class="product-price">'
        '<span class="old-price">39,90 €</span> <span class="price-now">29,90 €</span></div>'
        "<p>Lin lavé, 50 × 70 cm.</p></main></body></html>"
    )
    assert shown_price(html, "https://boutique.example/p") == ("span.price-now", "29,90 €")
    assert shown_price("<html><body><p>Conditions générales</p></body></html>", "u") is None
