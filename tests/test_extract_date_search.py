"""The date search of extract_article: htmldate is skipped only where it cannot find a date.

`may_hold_date` is the cheap pre-check in front of htmldate's `find_date` (fast mode). Skipping
must never lose a date: each form of date htmldate reads must reach it (the unit tests below,
each on a page where htmldate does find the date), and on every real page of the project a page
the pre-check skips must be one where htmldate finds nothing (so the date extract_article gives
is the same as before the pre-check existed).
"""

from __future__ import annotations

import pytest
from htmldate import find_date
from trafilatura.settings import set_date_params
from trafilatura.utils import load_html

from benchmarks.bench_extract import DEMO_SITE, load_heldout, load_pages, load_world
from watcher.collect.extract import extract_article, may_hold_date

ARTICLE = "<p>" + "Le service client répond aux réclamations des clients dans les délais. " * 6
URL = "https://ex.fr/billet"


def htmldate(html: str, url: str) -> str | None:
    """htmldate's answer as extract_article asks for it (fast mode, the page's URL)."""
    return find_date(load_html(html), **{**set_date_params(False), "url": url})


def page(head: str = "", dated: str = "") -> str:
    return (
        f"<html lang='fr'><head><title>Billet</title>{head}</head><body><main>"
        f"<h1>Billet</h1>{dated}{ARTICLE}</p></main></body></html>"
    )


# Each form of date htmldate's fast search reads, on a page holding no other date-like string.
DATED_PAGES = {
    "ISO date in a meta tag": (page("<meta name='date' content='2019-12-03'>"), URL),
    "numeric day.month.year": (page(dated="<span class='date'>03.12.2019</span>"), URL),
    "French month name": (page(dated="<p class='date'>Publié le 3 décembre 2019</p>"), URL),
    "English month name": (page(dated="<p class='date'>December 3, 2019</p>"), URL),
    "German month name": (page(dated="<p class='date'>3. Dezember 2019</p>"), URL),
    "YYYYMMDD run": (page(dated="<span class='date'>20191203</span>"), URL),
    "ISO timestamp in the text": (page(dated="<p>Mis en ligne 2019-12-03T10:00:00</p>"), URL),
    "date in the URL only": (page(), "https://ex.fr/2019/12/03/billet.html"),
    "two-digit year": (page(dated="<span class='date'>03.12.19</span>"), URL),
    "Unix timestamp (abbr data-utime)": (
        page(dated="<abbr class='published' data-utime='1575331200'>mardi</abbr>"),
        URL,
    ),
    "year split by a tag": (page(dated="<p class='date'>3 décembre 20<b>19</b></p>"), URL),
    "digits as character references": (
        page(dated="<p class='date'>&#51; d&#233;cembre &#50;&#48;&#49;&#57;</p>"),
        URL,
    ),
    "separators as named references": (
        page("<meta name='date' content='03&period;12&period;19'>"),
        URL,
    ),
    "non-ASCII digits": (page(dated="<span class='date'>03.12.２０１９</span>"), URL),
}


@pytest.mark.parametrize("form", list(DATED_PAGES))
def test_a_dated_page_reaches_htmldate(form: str) -> None:
    html, url = DATED_PAGES[form]
    assert htmldate(html, url) == "2019-12-03"  # htmldate reads this form…
    assert may_hold_date(html, url, load_html(html))  # …so the pre-check lets it through
    assert extract_article(html, url).published_raw == "2019-12-03"


def test_a_page_with_no_year_anywhere_is_not_searched() -> None:
    # relative dates only ("mardi dernier"), no year in the markup, the text or the URL
    html = page(dated="<p class='date'>mardi dernier</p>")
    assert htmldate(html, URL) is None  # htmldate finds nothing here…
    assert not may_hold_date(html, URL, load_html(html))  # …so it is not asked
    entry = extract_article(html, URL)
    assert entry.published is None
    assert entry.published_raw == ""
    assert entry.warnings == ()


def real_pages() -> list[tuple[str, str, str]]:
    """Every real page of the project (name, html, url): the saved pages and the demo site's
    articles, the held-out pages, both parts of the world pages (benchmarks/bench_extract.py's
    sets), and the demo site's other pages (home, listings)."""
    pages = load_pages() + load_heldout() + load_world(held_out=False) + load_world(held_out=True)
    named = {page.name for page in pages}
    found = [(page.name, page.html, page.url) for page in pages]
    for path in sorted(DEMO_SITE.rglob("*.html")):
        name = str(path.relative_to(DEMO_SITE))
        if name not in named:
            found.append((name, path.read_text("utf-8"), f"http://127.0.0.1/{name}"))
    return found


REAL_PAGES = real_pages()


@pytest.mark.parametrize(("name", "html", "url"), REAL_PAGES, ids=[p[0] for p in REAL_PAGES])
def test_no_date_lost_on_a_real_page(name: str, html: str, url: str) -> None:
    # The pre-check is the only change to the date search: the date extract_article gives
    # changes only where the pre-check skips a page on which htmldate would find a date.
    final_url = extract_article(html, url).url  # the URL extract_article gives htmldate
    if not may_hold_date(html, final_url, load_html(html)):
        assert htmldate(html, final_url) is None, name
