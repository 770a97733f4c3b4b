"""End-to-end crawls against a real HTTP server on 127.0.0.1 (no mocks of Scrapy or the store)."""

from __future__ import annotations

import gzip
import json
import threading
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import Watcher, feed_source, rss, write
from watcher.demo.server import LocalSite, Route
from watcher.safe_yaml import load_yaml

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def watcher(watcher: Watcher, database: str) -> Watcher:
    """Every test of this module on each database (SQLite, PostgreSQL)."""
    return watcher


def items_of(watcher: Watcher, source_id: str | None = None) -> list:
    store = watcher.store()
    try:
        return store.list_items(source_id=source_id)
    finally:
        store.close()


def three_items(base: str) -> bytes:
    return rss(
        base,
        [
            {
                "title": f"Article {n}",
                "link": f"{base}/articles/{n}?utm_source=rss&amp;utm_medium=feed",
                "guid": f"guid-{n}",
                "pubDate": f"Tue, 0{n} Nov 2026 10:00:00 +0100",
                "description": f"Résumé de l'article {n} sur le service client.",
            }
            for n in (1, 2, 3)
        ],
    )


def test_feed_is_stored_once_with_provenance_then_answered_304(
    watcher: Watcher, site: LocalSite
) -> None:
    write(site, "feed.xml", three_items(site.base))
    watcher.write([feed_source(site, "/feed.xml", id="actus", groups=["g1"])])

    first = watcher.crawl(NOW)
    assert [(r.source_id, r.new, r.error) for r in first.results] == [("actus", 3, "")]
    stored = items_of(watcher)
    assert sorted(i.title for i in stored) == ["Article 1", "Article 2", "Article 3"]
    article = next(i for i in stored if i.title == "Article 2")
    assert article.url == f"{site.base}/articles/2"  # tracking parameters removed
    assert article.guid == "guid-2"
    assert article.published_at == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert article.fetched_at == NOW
    assert article.language == "fr"
    assert article.groups == ("g1",)
    assert len(article.content_hash) == 64

    second = watcher.crawl(NOW + timedelta(hours=2))
    assert second.results[0].not_modified
    assert second.results[0].new == 0
    feed_hits = site.hits_for("/feed.xml")
    assert "Watcher/" in feed_hits[0].headers["User-Agent"]
    assert "https://example.org/contact" in feed_hits[0].headers["User-Agent"]
    assert site.hits_for("/robots.txt")  # robots.txt asked before the feed
    assert feed_hits[-1].status == 304
    assert feed_hits[-1].headers.get("If-None-Match")
    assert len(items_of(watcher)) == 3


def test_changed_article_is_an_update_with_history_not_a_new_item(
    watcher: Watcher, site: LocalSite
) -> None:
    write(site, "feed.xml", three_items(site.base))
    watcher.write([feed_source(site, "/feed.xml", id="actus")])
    watcher.crawl(NOW)
    changed = three_items(site.base).replace(
        "Résumé de l'article 2".encode(), "Résumé corrigé de l'article 2".encode()
    )
    write(site, "feed.xml", changed)

    report = watcher.crawl(NOW + timedelta(hours=2))
    assert (report.results[0].new, report.results[0].updated, report.results[0].unchanged) == (
        0,
        1,
        2,
    )
    stored = items_of(watcher)
    assert len(stored) == 3
    article = next(i for i in stored if i.title == "Article 2")
    assert article.version == 2
    assert "corrigé" in article.text
    assert article.updated_at == NOW + timedelta(hours=2)
    store = watcher.store()
    history = store.item_history(article.id)
    store.close()
    assert [h["version"] for h in history] == [1]
    assert "corrigé" not in history[0]["text"]


def test_sources_are_due_on_their_schedule(watcher: Watcher, site: LocalSite) -> None:
    write(site, "a.xml", three_items(site.base))
    write(site, "b.xml", three_items(site.base))
    watcher.write(
        [
            feed_source(site, "/a.xml", id="hourly", every="1h"),
            feed_source(site, "/b.xml", id="daily", every="1d"),
        ]
    )
    assert {r.source_id for r in watcher.crawl(NOW).results} == {"hourly", "daily"}
    later = watcher.crawl(NOW + timedelta(minutes=90))
    assert [r.source_id for r in later.results] == ["hourly"]
    assert later.skipped == ["daily"]
    assert watcher.crawl(NOW + timedelta(minutes=100)).results == []
    assert [r.source_id for r in watcher.crawl(NOW + timedelta(minutes=100), force=True).results]
    assert [r.source_id for r in watcher.crawl(NOW, source_id="daily").results] == ["daily"]


def test_a_source_shared_by_two_groups_is_fetched_once(watcher: Watcher, site: LocalSite) -> None:
    write(site, "feed.xml", three_items(site.base))
    watcher.write([feed_source(site, "/feed.xml", id="shared", groups=["g1", "g2"])])
    watcher.crawl(NOW)
    assert len(site.hits_for("/feed.xml")) == 1
    stored = items_of(watcher)
    assert len(stored) == 3
    assert all(i.groups == ("g1", "g2") for i in stored)
    store = watcher.store()
    assert len(store.list_items(group_id="g2")) == 3
    store.close()


def test_deleted_item_does_not_come_back(watcher: Watcher, site: LocalSite) -> None:
    write(site, "feed.xml", three_items(site.base))
    watcher.write([feed_source(site, "/feed.xml", id="actus")])
    watcher.crawl(NOW)
    store = watcher.store()
    victim = next(i for i in store.list_items() if i.title == "Article 1")
    assert store.delete_item(victim.id, NOW, "ines")
    store.close()
    # new content for every article, so nothing would be "unchanged" by accident
    write(site, "feed.xml", three_items(site.base).replace(b"service client", b"SAV"))
    report = watcher.crawl(NOW + timedelta(hours=2))
    assert report.results[0].new == 0
    assert sorted(i.title for i in items_of(watcher)) == ["Article 2", "Article 3"]


def test_feed_discovered_from_a_home_page(watcher: Watcher, site: LocalSite) -> None:
    write(site, "feed.xml", three_items(site.base))
    write(
        site,
        "index.html",
        '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        "</head><body>Accueil</body></html>",
    )
    watcher.write([feed_source(site, "/", id="site")])
    report = watcher.crawl(NOW)
    assert report.results[0].new == 3
    assert any("flux découvert" in w for w in report.results[0].warnings)


def test_a_doctype_after_a_long_comment_is_removed_before_the_feed_is_read(
    watcher: Watcher, site: LocalSite
) -> None:
    write(
        site,
        "feed.xml",
        '<?xml version="1.0" encoding="utf-8"?>\n<!-- ' + "p" * 5000 + " -->\n"
        '<!DOCTYPE rss [\n<!ENTITY a "' + "A" * 10_000 + '">\n<!ENTITY x "INJECTÉ">\n]>\n'
        '<rss version="2.0"><channel><title>Q</title><item><title>&x; ' + "&a;" * 1000 + "</title>"
        f"<link>{site.base}/q</link><guid>q</guid></item></channel></rss>",
    )
    watcher.write([feed_source(site, "/feed.xml", id="flux")])
    [result] = watcher.crawl(NOW).results
    [item] = items_of(watcher)
    assert "INJECTÉ" not in item.title and "AAAA" not in item.title + item.text
    assert len(item.title) < 5_000
    assert any("entités XML supprimées" in w for w in result.warnings)


def test_control_characters_of_a_feed_never_reach_the_dossier_s_files(
    watcher: Watcher, site: LocalSite, tmp_path: Path
) -> None:
    """A feed's titles and summaries with C0 control characters (a bell written as a character
    reference, a form feed, an escape, a raw vertical tab): stored without them, so the
    group's DOCX and XLSX dossier (XML, where they are forbidden) are still written."""
    from docx import Document
    from openpyxl import load_workbook

    from watcher.config import load_watch
    from watcher.jobs import open_workspace
    from watcher.jobs.dossier import export_dossier
    from watcher.model import Fiche

    items = [
        {
            "title": "Alerte&#7; tarifs&#12;de l'énergie&#27;[31m",
            "link": f"{site.base}/alerte",
            "guid": "alerte",
            "pubDate": "Tue, 24 Nov 2026 10:00:00 +0100",
            "description": "Hausse\x0bdes tarifs\x00 réglementés.",
        }
    ]
    write(site, "feed.xml", rss(site.base, items))
    watcher.write([feed_source(site, "/feed.xml", id="flux")])
    assert watcher.crawl(NOW).results[0].ok
    [item] = items_of(watcher)
    assert item.title == "Alerte tarifs de l'énergie[31m"
    assert item.summary == "Hausse des tarifs réglementés."
    store = watcher.store()
    store.set_curation("g1", item.id, "retained", actor="lea@example.org", now=NOW)
    fiche = Fiche(item.id, "g1", quoi="Les tarifs montent.", action="Prévenir les clients")
    store.save_fiche(fiche, actor="lea@example.org", now=NOW)
    store.close()
    with open_workspace(watcher.workspace) as w:
        written = export_dossier(
            w,
            load_watch(watcher.workspace.config),
            "g1",
            NOW.date() - timedelta(days=30),
            NOW.date(),
            now=NOW,
            out=tmp_path / "out",
            formats=["docx", "xlsx"],
        )
    docx, xlsx = sorted(written.paths, key=lambda path: path.suffix)
    document = Document(str(docx))
    words = [p.text for p in document.paragraphs]
    words += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(item.title in text for text in words)
    actions = load_workbook(xlsx)["Actions"].iter_rows(min_row=2, values_only=True)
    assert [row[2] for row in actions] == [item.title]


ARTICLE = """<html lang="fr"><head><title>{title} | Le Fil</title>
<link rel="canonical" href="{base}/actu/{n}.html?utm_campaign=x">
<meta name="author" content="Claire Petit"></head>
<body><nav><a href="/">Accueil</a> <a href="/contact">Contact</a></nav>
<div class="cookies">Nous utilisons des cookies. Accepter ?</div>
<main><article><h1>{title}</h1><time datetime="2026-11-0{n}T08:30:00+01:00">{n} novembre</time>
<p>La société Alpha Télécom annonce une refonte de son service client. Les conseillers
traiteront désormais les réclamations en moins de 48 heures, conformément aux engagements
pris devant le médiateur de la consommation.</p>
<p>Selon la direction, cette réorganisation concerne 300 conseillers répartis sur trois
plateformes en France. Les associations de consommateurs saluent une avancée mais
demandent des indicateurs publics de satisfaction.</p></article></main>
<aside>À lire aussi : nos autres articles</aside><footer>Mentions légales</footer></body></html>"""


def page_site(site: LocalSite, count: int = 4) -> None:
    """A listing in two pages (`a.suivant`) linking to `count` article pages."""
    half = count // 2

    def links(numbers: range) -> str:
        return "".join(
            f'<h2 class="titre"><a href="/actu/{n}.html?utm_source=home">Titre {n}</a></h2>'
            for n in numbers
        )

    write(
        site,
        "actu/index.html",
        f'<html><body>{links(range(1, half + 1))}<a class="suivant" href="page2.html">Suivant</a>'
        "</body></html>",
    )
    write(site, "actu/page2.html", f"<html><body>{links(range(half + 1, count + 1))}</body></html>")
    for n in range(1, count + 1):
        write(
            site, f"actu/{n}.html", ARTICLE.format(title=f"Titre numéro {n}", n=n, base=site.base)
        )


def test_page_source_follows_listing_pagination_and_extracts_articles(
    watcher: Watcher, site: LocalSite
) -> None:
    page_site(site, 4)
    watcher.write(
        [
            {
                "id": "lefil",
                "kind": "page",
                "url": site.base + "/actu/index.html",
                "follow": "h2.titre a::attr(href)",
                "next": "a.suivant::attr(href)",
                "depth": 2,
                "axis": "concurrence",
                "every": "1h",
                "allow_private": True,
            }
        ]
    )
    report = watcher.crawl(NOW)
    assert report.results[0].error == ""
    assert report.results[0].new == 4
    stored = sorted(items_of(watcher), key=lambda i: i.url)
    assert [i.url for i in stored] == [f"{site.base}/actu/{n}.html" for n in range(1, 5)]
    first = stored[0]
    assert first.title == "Titre numéro 1"
    assert "réclamations en moins de 48 heures" in first.text
    assert "cookies" not in first.text and "Mentions légales" not in first.text
    assert first.author == "Claire Petit"
    assert first.published_at == datetime(2026, 11, 1, 7, 30, tzinfo=UTC)
    # second crawl: listings and articles answer 304, nothing new
    again = watcher.crawl(NOW + timedelta(hours=2))
    assert again.results[0].new == 0
    assert again.results[0].not_modified  # the listing answered 304: no article re-read
    assert [h.status for h in site.hits_for("/actu/index.html")] == [200, 304]
    assert len(site.hits_for("/actu/1.html")) == 1
    assert len(items_of(watcher)) == 4


LISTINGS = Path(__file__).parent / "fixtures" / "listings"

NEWS = """<html lang="fr"><head><title>{title} | Acrimed</title></head>
<body><nav><a href="/">Accueil</a> <a href="/-Notre-association-">L'association</a></nav>
<main><article><h1>{title}</h1><time datetime="2018-03-1{n}T08:30:00+01:00">1{n} mars 2018</time>
<p>Article numéro {n} de la page d'accueil d'Acrimed : la critique des médias, leurs
journaux télévisés et leurs matinales radio, lue par une association d'observation.</p>
<p>Les associations de téléspectateurs saluent le travail mais demandent des sources
publiques, des chiffres d'audience et une réponse des chaînes concernées.</p></article></main>
<footer>Mentions légales</footer></body></html>"""


def test_a_page_source_without_follow_finds_a_real_listing_s_articles(
    watcher: Watcher, site: LocalSite
) -> None:
    """Acrimed's real home page (tests/fixtures/listings/, relative links), no `follow`:
    its 19 labelled articles are found, fetched and stored; nothing else is."""
    labels = load_yaml((LISTINGS / "labels.yml").read_text(encoding="utf-8"), "labels.yml")
    articles = [a.rsplit("/", 1)[1] for a in labels["acrimed.org.accueil.html"]["articles"]]
    write(site, "index.html", (LISTINGS / "acrimed.org.accueil.html").read_bytes())
    for n, slug in enumerate(articles):
        # an address without extension: a folder's index.html, served as text/html
        write(site, f"{slug}/index.html", NEWS.format(title=slug.replace("-", " "), n=n % 10))
    watcher.write(
        [
            {
                "id": "acrimed",
                "kind": "page",
                "url": site.base + "/",
                "axis": "concurrence",
                "every": "1h",
                "allow_private": True,
            }
        ]
    )
    report = watcher.crawl(NOW)
    result = report.results[0]
    assert result.error == ""
    assert result.new == len(articles) == 19
    assert any("sans sélecteur follow" in w for w in result.warnings)
    stored = {i.url for i in items_of(watcher)}
    assert stored == {f"{site.base}/{slug}" for slug in articles}
    fetched = {h.path for h in site.hits}
    assert "/-Notre-association-" not in fetched  # a section, in the menu
    assert "/spip.php" not in {p.split("?")[0] for p in fetched}


def _newsroom(site: LocalSite, slugs: list[str], wrapper: str = "ul class='actus'") -> None:
    """A newsroom at /salle/ listing `slugs` (each an article page of its own) in one block."""
    tag = wrapper.split()[0]
    inner = "li" if tag == "ul" else "div class='carte'"
    close = inner.split()[0]
    cards = "".join(f'<{inner}><a href="/salle/{slug}.html">{slug}</a></{close}>' for slug in slugs)
    write(
        site,
        "salle/index.html",
        f"<html><body><nav><a href='/'>Accueil</a></nav><main><h1>Actualités</h1>"
        f"<{wrapper}>{cards}</{tag}></main></body></html>",
    )
    for n, slug in enumerate(slugs):
        write(site, f"salle/{slug}.html", NEWS.format(title=slug.replace("-", " "), n=n % 10))


def _notices(report: Any) -> list[str]:
    return [w for w in report.results[0].warnings if "sans sélecteur follow" in w]


def test_the_notice_of_a_page_source_without_follow_is_told_once_then_on_marked_changes(
    watcher: Watcher, site: LocalSite
) -> None:
    """« sans sélecteur follow, … » is in the crawl's report the first time, not at each
    crawl after (every crawl is a process of its own: the store remembers), and again when the
    recognition finds its links in another block, twice as many or half as many, or after it
    found none."""
    slugs = [f"2026-11-{day:02d}-communique-de-presse-numero-{day}" for day in range(1, 21)]
    _newsroom(site, slugs[:4])
    watcher.write(
        [
            {
                "id": "salle",
                "kind": "page",
                "url": site.base + "/salle/",
                "axis": "concurrence",
                "every": "1h",
                "allow_private": True,
            }
        ]
    )
    hour = timedelta(hours=1, minutes=1)
    first = watcher.crawl(NOW)
    assert _notices(first) == [
        f"{site.base}/salle/ : sans sélecteur follow, 4 liens d'articles trouvés dans 1 bloc "
        "répété (le plus grand : « li », 4 liens)"
    ]
    _newsroom(site, slugs[:5])  # one more article, in the same list: not told again
    again = watcher.crawl(NOW + hour)
    assert again.results[0].new == 1 and _notices(again) == []
    _newsroom(site, slugs[:7])  # 7 links: fewer than twice the 4 told
    assert _notices(watcher.crawl(NOW + 2 * hour)) == []
    _newsroom(site, slugs[:8])  # twice the 4 links told
    assert "8 liens d'articles" in _notices(watcher.crawl(NOW + 3 * hour))[0]
    _newsroom(site, slugs[:8], wrapper="div class='grille'")  # the same links, another block
    assert "« div.carte », 8 liens" in _notices(watcher.crawl(NOW + 4 * hour))[0]
    assert _notices(watcher.crawl(NOW + 5 * hour, force=True)) == []
    write(site, "salle/index.html", "<html><body><main><p>En travaux.</p></main></body></html>")
    failed = watcher.crawl(NOW + 6 * hour)
    assert "aucun lien d'article reconnu" in failed.results[0].error
    _newsroom(site, slugs[:9], wrapper="div class='grille'")  # back: told again
    assert "9 liens d'articles" in _notices(watcher.crawl(NOW + 7 * hour))[0]


def test_a_page_source_without_follow_and_no_article_link_says_to_write_one(
    watcher: Watcher, site: LocalSite
) -> None:
    write(
        site,
        "presse/index.html",
        '<html><body><nav><a href="/presse/contact">Contact</a></nav><main><h1>Presse</h1>'
        '<p>Nos communiqués sont envoyés par courriel.</p><a href="/presse/kit.pdf">Kit</a>'
        "</main></body></html>",
    )
    watcher.write(
        [
            {
                "id": "salle-de-presse",
                "kind": "page",
                "url": site.base + "/presse/",
                "axis": "concurrence",
                "every": "1h",
                "allow_private": True,
            }
        ]
    )
    result = watcher.crawl(NOW).results[0]
    assert "aucun lien d'article reconnu" in result.error
    assert "« salle-de-presse »" in result.error
    assert 'follow: "h2 a"' in result.error
    assert result.new == 0 and items_of(watcher) == []


def test_selectors_that_name_elements_read_their_link_text_and_date(
    watcher: Watcher, site: LocalSite
) -> None:
    """`follow: "h2.titre a"`, `next: "a.suivant"`, `title: "main h1"`, `date: "main time"`,
    without `::attr()` nor `::text` (`watcher check` accepts them): links are the elements'
    `href`, as Scrapy's `response.follow` reads them, the title is the element's text and the
    date its `datetime`. The HTML of each element was taken for an address (requests for
    « /actu/<h2 class=…> », 404) and for the title."""
    page_site(site, 4)
    source = {
        "id": "lefil",
        "kind": "page",
        "url": site.base + "/actu/index.html",
        "follow": "h2.titre",  # the link inside the heading
        "next": "a.suivant",
        "title": "main h1",
        "date": "main time",
        "depth": 2,
        "axis": "concurrence",
        "every": "1h",
        "allow_private": True,
    }
    watcher.write([source])
    [result] = watcher.crawl(NOW).results
    assert (result.error, result.new, result.failed) == ("", 4, 0)
    stored = sorted(items_of(watcher), key=lambda i: i.url)
    assert [i.url for i in stored] == [f"{site.base}/actu/{n}.html" for n in range(1, 5)]
    assert [i.title for i in stored] == [f"Titre numéro {n}" for n in range(1, 5)]
    assert stored[0].published_at == datetime(2026, 11, 1, 7, 30, tzinfo=UTC)
    assert all("<" not in hit.path for hit in site.hits)


def test_news_sitemap_with_date_window(watcher: Watcher, site: LocalSite) -> None:
    page_site(site, 4)
    urls = "".join(
        f"<url><loc>{site.base}/actu/{n}.html</loc><news:news><news:publication_date>"
        f"2026-11-{day}T08:00:00+01:00</news:publication_date><news:title>T{n}</news:title>"
        "</news:news></url>"
        for n, day in ((1, "02"), (2, "25"), (3, "26"))
    )
    write(
        site,
        "sitemap_news.xml",
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + urls + "</urlset>",
    )
    write(
        site,
        "sitemap_index.xml",
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.base}/sitemap_news.xml</loc></sitemap></sitemapindex>",
    )
    watcher.write(
        [
            {
                "id": "plan",
                "kind": "sitemap",
                "url": site.base + "/sitemap_index.xml",
                "since": "7d",
                "axis": "concurrence",
                "every": "1d",
                "allow_private": True,
            }
        ]
    )
    report = watcher.crawl(NOW)
    assert report.results[0].error == ""
    assert sorted(i.url.rsplit("/", 1)[1] for i in items_of(watcher)) == ["2.html", "3.html"]
    assert site.hits_for("/actu/1.html") == []


def test_a_sitemap_index_and_one_of_its_sitemaps_as_two_sources_each_get_its_articles(
    watcher: Watcher, site: LocalSite
) -> None:
    """A sitemap index declared beside one of its own sitemaps (tests/fixtures/feeds/world4/:
    Yoast's index and its page sitemap): the index's crawl was sent the sitemap's validators
    the other source had kept, was answered 304 and never asked for its articles (« inchangé
    (304) », nothing stored for it). Each source keeps its own validators of an address."""
    page_site(site, 2)
    urls = "".join(f"<url><loc>/actu/{n}.html</loc></url>" for n in (1, 2))
    schema = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    write(site, "page-sitemap.xml", f"<urlset {schema}>{urls}</urlset>")
    index = f"<sitemapindex {schema}><sitemap><loc>/page-sitemap.xml</loc></sitemap>"
    write(site, "sitemap_index.xml", index + "</sitemapindex>")

    def sitemap(source_id: str, path: str) -> dict[str, Any]:
        return {"id": source_id, "kind": "sitemap", "url": site.base + path,
                "axis": "concurrence", "every": "1h", "allow_private": True}  # fmt: skip

    pages = sitemap("pages", "/page-sitemap.xml")
    watcher.write([pages])
    assert [(r.error, r.new) for r in watcher.crawl(NOW).results] == [("", 2)]
    watcher.write([pages, sitemap("plan", "/sitemap_index.xml")])
    [result] = watcher.crawl(NOW + timedelta(minutes=30)).results  # « pages » is not due
    assert (result.source_id, result.error, result.new, result.not_modified) == (
        "plan", "", 2, False)  # fmt: skip
    assert [h.status for h in site.hits_for("/page-sitemap.xml")] == [200, 200]
    # each source's next crawl is conditional, with the validators it kept itself
    again = watcher.crawl(NOW + timedelta(hours=2)).results
    assert [(r.source_id, r.new) for r in again] == [("pages", 0), ("plan", 0)]
    assert [h.status for h in site.hits_for("/page-sitemap.xml")][2:] == [304, 304]


# the bounds do not depend on the database, and a thousand refused articles (each one
# recorded in the frontier in a transaction of its own) take a quarter of a minute
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_huge_sitemap_or_index_gives_its_newest_addresses_or_sitemaps(
    watcher: Watcher, site: LocalSite
) -> None:
    """A sitemap of 1,200 addresses: its 1,000 newest are fetched; an index of 60 sitemaps: its
    50 newest are read. Each says so in a warning. (A hostile index of 50,000 sitemaps of 50,000
    addresses each had no bound.) The articles are refused by robots.txt: each one counts, none
    is downloaded."""
    from spiders.sitemap import MAX_CHILD_SITEMAPS, MAX_SITEMAP_URLS

    write(site, "robots.txt", "User-agent: *\nDisallow: /articles/\n")
    start = datetime(2026, 1, 1, tzinfo=UTC)

    def urlset(urls: list[tuple[str, datetime]]) -> str:
        return (
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(
                f"<url><loc>{url}</loc><lastmod>{day.isoformat()}</lastmod></url>"
                for url, day in urls
            )
            + "</urlset>"
        )

    big = [(f"{site.base}/articles/b{n}", start + timedelta(hours=n)) for n in range(1200)]
    write(site, "big.xml", urlset(big))
    children = "".join(
        f"<sitemap><loc>{site.base}/s/{n}.xml</loc>"
        f"<lastmod>{(start + timedelta(days=n)).isoformat()}</lastmod></sitemap>"
        for n in range(60)
    )
    index = '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    write(site, "index.xml", index + children + "</sitemapindex>")
    for n in range(60):
        write(site, f"s/{n}.xml", urlset([(f"{site.base}/articles/s{n}", start)]))
    watcher.write(
        [
            {**feed_source(site, "/big.xml", id="big"), "kind": "sitemap"},
            {**feed_source(site, "/index.xml", id="index"), "kind": "sitemap"},
        ]
    )
    results = {r.source_id: r for r in watcher.crawl(NOW).results}
    assert MAX_SITEMAP_URLS == 1000 and MAX_CHILD_SITEMAPS == 50
    big_result = results["big"]
    assert big_result.failed == MAX_SITEMAP_URLS  # each refused by robots.txt, none fetched
    refused = {w.split(" : ")[0] for w in big_result.warnings if "robots.txt" in w}
    assert refused == {url for url, _ in big[-MAX_SITEMAP_URLS:]}  # the newest
    assert f"{site.base}/big.xml : 1200 adresses, seuls les 1000 plus récents sont lus" in (
        big_result.warnings
    )
    read = {int(hit.path[3:-4]) for hit in site.hits if hit.path.startswith("/s/")}
    assert read == set(range(10, 60))  # the 50 newest sitemaps
    assert any("60 sitemaps, seuls les 50 plus récents" in w for w in results["index"].warnings)
    assert not [hit for hit in site.hits if hit.path.startswith("/articles/")]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # as above
def test_an_index_of_indexes_asks_for_50_sitemaps_and_1000_articles_per_crawl(
    watcher: Watcher, site: LocalSite
) -> None:
    """An index of 2 indexes of 40 sitemaps of 30 addresses each (each document under its
    bounds, 2,400 articles in all): the source reads 50 sitemaps and asks for 1,000 articles in
    a crawl, and says so; the addresses found and not asked for stay in the frontier for the
    next crawls. (Three levels of 50 sitemaps of 1,000 addresses were 2.5 million articles.)"""
    from spiders.page import MAX_ARTICLES_PER_CRAWL
    from spiders.sitemap import MAX_CHILD_SITEMAPS

    write(site, "robots.txt", "User-agent: *\nDisallow: /articles/\n")
    schema = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'

    def index(locs: list[str]) -> str:
        entries = "".join(f"<sitemap><loc>{site.base}{loc}</loc></sitemap>" for loc in locs)
        return f"<sitemapindex {schema}>{entries}</sitemapindex>"

    write(site, "index.xml", index(["/i/0.xml", "/i/1.xml"]))
    for i in range(2):
        write(site, f"i/{i}.xml", index([f"/s/{i}-{n}.xml" for n in range(40)]))
        for n in range(40):
            urls = "".join(
                f"<url><loc>{site.base}/articles/{i}-{n}-{k}</loc></url>" for k in range(30)
            )
            write(site, f"s/{i}-{n}.xml", f"<urlset {schema}>{urls}</urlset>")
    watcher.write([{**feed_source(site, "/index.xml", id="plan"), "kind": "sitemap"}])
    [result] = watcher.crawl(NOW).results
    assert MAX_CHILD_SITEMAPS == 50 and MAX_ARTICLES_PER_CRAWL == 1000
    sitemaps = [hit.path for hit in site.hits if hit.path.startswith(("/i/", "/s/"))]
    assert len(sitemaps) == MAX_CHILD_SITEMAPS  # the 2 indexes and 48 of their 80 sitemaps
    assert any("plus de 50 sitemaps pour cette source" in w for w in result.warnings)
    assert result.failed == MAX_ARTICLES_PER_CRAWL  # each refused by robots.txt
    assert "plus de 1000 articles à lire : les autres restent en attente pour les " in " ".join(
        result.warnings
    )
    store = watcher.store()
    try:
        waiting = store.frontiers(["plan"])["plan"]
    finally:
        store.close()
    assert len(waiting) == 48 * 30  # asked for (refused, to try again) or not asked for yet


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # as above
def test_a_listing_of_thousands_of_links_gives_its_first_thousand(
    watcher: Watcher, site: LocalSite
) -> None:
    """A listing page of 1,200 article links: its first 1,000 are followed, with a warning."""
    from spiders.page import MAX_LISTING_LINKS

    write(site, "robots.txt", "User-agent: *\nDisallow: /articles/\n")
    links = "".join(f'<h2><a href="/articles/l{n}">Article {n}</a></h2>' for n in range(1200))
    write(site, "liste.html", f"<html><body>{links}</body></html>")
    watcher.write(
        [{**feed_source(site, "/liste.html", id="liste"), "kind": "page", "follow": "h2 a"}]
    )
    [result] = watcher.crawl(NOW).results
    assert MAX_LISTING_LINKS == 1000
    assert result.failed == MAX_LISTING_LINKS  # each refused by robots.txt, none fetched
    refused = {w.split(" : ")[0] for w in result.warnings if "robots.txt" in w}
    assert refused == {f"{site.base}/articles/l{n}" for n in range(MAX_LISTING_LINKS)}
    assert any(
        "1200 liens d'articles, seuls les 1000 premiers sont suivis" in w for w in result.warnings
    )


# --- bad input: each one is reported for its source, the others go on ------------------------


def test_failures_are_explained_and_never_stop_the_other_sources(
    watcher: Watcher, site: LocalSite, tmp_path: Path
) -> None:
    write(site, "good.xml", three_items(site.base))
    write(site, "page.html", "<html><body><h1>Pas un flux</h1></body></html>")
    write(site, "broken.xml", b'<?xml version="1.0"?><rss version="2.0"><channel><title>x<item>')
    write(site, "empty.xml", rss(site.base, []))
    site.routes["/error500.xml"] = Route(status=500, body=b"oops")
    site.routes["/loop1"] = Route(status=302, headers={"Location": "/loop2"})
    site.routes["/loop2"] = Route(status=302, headers={"Location": "/loop1"})
    site.routes["/slow.xml"] = Route(body=three_items(site.base), delay=3)
    site.routes["/huge.xml"] = Route(
        stream=3_000_000, headers={"Content-Type": "application/rss+xml"}
    )
    site.routes["/busy.xml"] = Route(status=429, headers={"Retry-After": "7200"})
    write(site, "robots.txt", "User-agent: *\nDisallow: /prive/\n")
    write(site, "prive/feed.xml", three_items(site.base))
    sources = [
        feed_source(site, "/good.xml", id="good"),
        feed_source(site, "/missing.xml", id="missing"),
        feed_source(site, "/page.html", id="html"),
        feed_source(site, "/broken.xml", id="broken"),
        feed_source(site, "/empty.xml", id="empty"),
        feed_source(site, "/error500.xml", id="error500"),
        feed_source(site, "/loop1", id="loop"),
        feed_source(site, "/slow.xml", id="slow"),
        feed_source(site, "/huge.xml", id="huge"),
        feed_source(site, "/busy.xml", id="busy"),
        feed_source(site, "/prive/feed.xml", id="robots"),
        {**feed_source(site, "/good.xml?private=1", id="private"), "allow_private": False},
    ]
    watcher.write(sources, crawler={"timeout": "1s", "max_size": "1MB", "retries": 1})
    report = watcher.crawl(NOW)
    results = {r.source_id: r for r in report.results}
    assert results["good"].ok and results["good"].new == 3
    assert results["empty"].ok and any("vide" in w for w in results["empty"].warnings)
    expected = {
        "missing": "introuvable (404)",
        "html": "page HTML",
        "broken": "flux",
        "error500": "en erreur (500)",
        "loop": "redirections",
        "slow": "ne répond pas",
        "huge": "trop volumineuse",
        "busy": "Retry-After",
        "robots": "robots.txt",
        "private": "allow_private",
    }
    for source_id, words in expected.items():
        assert words in results[source_id].error, (source_id, results[source_id].error)
    assert len(site.hits_for("/error500.xml")) == 2  # one retry, then give up
    assert site.hits_for("/prive/feed.xml") == []
    assert site.hits_for("/good.xml?private=1") == []
    assert len(items_of(watcher)) == 3

    store = watcher.store()
    states = store.source_states()
    store.close()
    assert states["busy"].backoff_until is not None
    assert states["busy"].backoff_until >= NOW + timedelta(seconds=7200)
    assert states["missing"].consecutive_failures == 1
    assert states["good"].consecutive_failures == 0


def test_a_feed_of_thousands_of_entries_gives_its_first_thousand_and_says_so(
    watcher: Watcher, site: LocalSite
) -> None:
    """A feed (RSS or JSON Feed) of 1,500 entries: its first 1,000 are stored, with a warning
    that says how many it had; a feed of 1,000 is read whole."""
    from watcher.collect.feeds import MAX_ENTRIES

    def entries(count: int, prefix: str) -> list[dict[str, str]]:
        return [
            {"title": f"Entrée {n}", "link": f"{site.base}/{prefix}/{n}", "guid": f"{prefix}-{n}"}
            for n in range(count)
        ]

    write(site, "long.xml", rss(site.base, entries(MAX_ENTRIES + 500, "long")))
    write(site, "exact.xml", rss(site.base, entries(MAX_ENTRIES, "exact")))
    items = [{"id": e["guid"], "url": e["link"], "title": e["title"]} for e in entries(1500, "j")]
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": items}
    site.routes["/long.json"] = Route(
        body=json.dumps(feed).encode(), headers={"Content-Type": "application/feed+json"}
    )
    watcher.write(
        [
            feed_source(site, "/long.xml", id="long"),
            feed_source(site, "/exact.xml", id="exact"),
            feed_source(site, "/long.json", id="json"),
        ]
    )
    results = {r.source_id: r for r in watcher.crawl(NOW).results}
    warning = f"seules les {MAX_ENTRIES} premières sont lues"
    for source_id in ("long", "json"):
        assert results[source_id].ok and results[source_id].new == MAX_ENTRIES
        assert any(f"flux de 1500 entrées : {warning}" in w for w in results[source_id].warnings)
    stored = {item.url for item in items_of(watcher, "long")}
    assert (
        f"{site.base}/long/{MAX_ENTRIES - 1}" in stored
        and f"{site.base}/long/{MAX_ENTRIES}" not in stored
    )
    assert results["exact"].new == MAX_ENTRIES
    assert not any(warning in w for w in results["exact"].warnings)


def test_compression_bombs_and_broken_archives_are_explained_in_french(
    watcher: Watcher, site: LocalSite
) -> None:
    """3 MB of spaces gzipped or deflated to a few kB, against a 1 MB cap: as a feed's
    Content-Encoding (Scrapy stops decompressing) or as a sitemap .xml.gz (read by the spider),
    each is a French sentence, and so is a truncated .xml.gz; the good feed beside is stored."""
    write(site, "good.xml", three_items(site.base))
    spaces = b"<rss>" + b" " * 3_000_000
    xml = {"Content-Type": "application/rss+xml"}
    site.routes["/gzip.xml"] = Route(
        body=gzip.compress(spaces), headers={**xml, "Content-Encoding": "gzip"}
    )
    site.routes["/deflate.xml"] = Route(
        body=zlib.compress(spaces), headers={**xml, "Content-Encoding": "deflate"}
    )
    urlset = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    gzipped = {"Content-Type": "application/gzip"}
    site.routes["/bomb.xml.gz"] = Route(
        body=gzip.compress(urlset + b" " * 3_000_000 + b"</urlset>"), headers=gzipped
    )
    site.routes["/cut.xml.gz"] = Route(body=gzip.compress(urlset * 50)[:12], headers=gzipped)
    watcher.write(
        [
            feed_source(site, "/good.xml", id="good"),
            feed_source(site, "/gzip.xml", id="gzip"),
            feed_source(site, "/deflate.xml", id="deflate"),
            {**feed_source(site, "/bomb.xml.gz", id="bomb"), "kind": "sitemap"},
            {**feed_source(site, "/cut.xml.gz", id="cut"), "kind": "sitemap"},
        ],
        crawler={"max_size": "1MB"},
    )
    results = {r.source_id: r for r in watcher.crawl(NOW).results}
    assert results["good"].ok and results["good"].new == 3
    for source_id in ("gzip", "deflate", "bomb"):
        error = results[source_id].error
        assert error.startswith("réponse trop volumineuse une fois décompressée"), error
        assert "plus de 1 Mo" in error, error
    assert results["cut"].error.startswith("sitemap compressé illisible"), results["cut"].error
    for result in results.values():
        assert "Error" not in result.error and "DOWNLOAD_MAXSIZE" not in result.error


def test_a_failing_source_is_backed_off_not_hammered(watcher: Watcher, site: LocalSite) -> None:
    watcher.write([feed_source(site, "/missing.xml", id="missing", every="1h")])
    watcher.crawl(NOW)
    assert watcher.crawl(NOW + timedelta(minutes=61)).results  # due again after `every`
    # two failures: the next try waits 2 × every
    assert watcher.crawl(NOW + timedelta(minutes=61 + 61)).results == []
    assert watcher.crawl(NOW + timedelta(minutes=61 + 121)).results
    store = watcher.store()
    state = store.source_states()["missing"]
    store.close()
    assert state.consecutive_failures == 3
    assert "404" in state.last_error
    assert len(site.hits_for("/missing.xml")) == 3


def test_each_run_and_each_source_state_is_recorded(watcher: Watcher, site: LocalSite) -> None:
    write(site, "feed.xml", three_items(site.base))
    watcher.write(
        [
            feed_source(site, "/feed.xml", id="actus"),
            feed_source(site, "/missing.xml", id="missing"),
        ]
    )
    watcher.crawl(NOW)
    site.routes["/missing.xml"] = Route(body=three_items(site.base).replace(b"guid-", b"m-"))
    watcher.crawl(NOW + timedelta(hours=2))

    store = watcher.store()
    states = store.source_states()
    with store.engine.connect() as conn:
        runs = conn.exec_driver_sql("select id, complete from crawl_runs order by id").fetchall()
        results = conn.exec_driver_sql(
            "select run_id, source_id, new, not_modified, error != '' from crawl_results "
            "order by run_id, source_id"
        ).fetchall()
    store.close()
    assert states["actus"].items_last_run == 0  # 304 on the second run
    assert states["actus"].last_success_at == NOW + timedelta(hours=2)
    assert states["missing"].consecutive_failures == 0  # recovered
    assert states["missing"].items_last_run == 3
    assert states["missing"].last_error_at == NOW  # the failure is still on record
    assert [complete for _, complete in runs] == [1, 1]
    first, second = (run_id for run_id, _ in runs)
    assert results == [
        (first, "actus", 3, 0, 0),
        (first, "missing", 0, 0, 1),
        (second, "actus", 0, 1, 0),
        (second, "missing", 3, 0, 0),
    ]


def test_a_result_is_recorded_while_a_slower_source_is_still_crawled(
    watcher: Watcher, site: LocalSite
) -> None:
    """Results reach the store in batches, but a quiet crawl does not keep one waiting for the
    next event: here none comes until the test has seen the first result in the store."""
    write(site, "feed.xml", three_items(site.base))
    release = threading.Event()
    slow_body = three_items(site.base).replace(b"guid-", b"slow-")

    def held(handler) -> None:  # type: ignore[no-untyped-def]
        release.wait(timeout=4)
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(slow_body)))
        handler.end_headers()
        handler.wfile.write(slow_body)

    site.routes["/slow.xml"] = held
    watcher.write(
        [feed_source(site, "/feed.xml", id="actus"), feed_source(site, "/slow.xml", id="slow")]
    )
    seen: list[tuple[bool, datetime | None, bool]] = []

    def on_event(event: dict[str, Any]) -> None:
        if event["event"] == "source_done" and event["source_id"] == "actus":
            store = watcher.store()
            try:
                states = store.source_states()
            finally:
                store.close()
            seen.append((release.is_set(), states["actus"].last_success_at, "slow" in states))
            release.set()

    report = watcher.crawl(NOW, on_event=on_event)
    # recorded and reported while the slow source was held (the crawl's timeout is 5 s)
    assert seen == [(False, NOW, False)]
    assert [(r.source_id, r.new) for r in report.results] == [("actus", 3), ("slow", 3)]


def test_server_error_then_recovery_is_retried_within_the_run(
    watcher: Watcher, site: LocalSite
) -> None:
    calls = {"n": 0}
    body = three_items(site.base)

    def flaky(handler) -> None:  # type: ignore[no-untyped-def]
        calls["n"] += 1
        status = 503 if calls["n"] == 1 else 200
        payload = b"busy" if status == 503 else body
        handler.send_response(status)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    site.routes["/flaky.xml"] = flaky
    watcher.write([feed_source(site, "/flaky.xml", id="flaky")])
    report = watcher.crawl(NOW)
    assert report.results[0].ok and report.results[0].new == 3
    assert calls["n"] == 2
