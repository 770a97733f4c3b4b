"""watcher.collect.extract: HTML → text, feed discovery, listing links and article extraction
(pure)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from watcher.collect.extract import (
    clean_text,
    discover_feeds,
    extract_article,
    html_to_text,
    listing_links,
    looks_like_html,
    next_page,
    select_all,
    shorten,
)

ROOT = Path(__file__).parent.parent
SITE = ROOT / "watcher" / "demo" / "site"
PAGES = Path(__file__).parent / "fixtures" / "pages"
BASE = "http://127.0.0.1:8765"
COOKIE_TEXT = "Nous utilisons des cookies"


PARIS = ZoneInfo("Europe/Paris")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def demo(path: str) -> str:
    return (SITE / path).read_text(encoding="utf-8").replace("{{BASE}}", BASE)


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- html_to_text


def test_html_to_text_paragraphs_and_line_breaks() -> None:
    html = "<p>Premier   paragraphe.</p><p>Second<br>ligne</p><ul><li>un</li><li>deux</li></ul>"
    assert html_to_text(html) == "Premier paragraphe.\n\nSecond\nligne\n\nun\n\ndeux"


def test_html_to_text_drops_scripts_styles_and_forms() -> None:
    html = (
        "<div>Avant<script>alert('x')</script><style>p{color:red}</style>"
        "<noscript>Activez JS</noscript><iframe src='x'>cadre</iframe>"
        "<form><input value='v'>Formulaire</form>Après</div>"
    )
    assert html_to_text(html) == "AvantAprès"


def test_html_to_text_entities() -> None:
    assert html_to_text("L&#039;AG &amp; l&rsquo;&Eacute;cole&nbsp;: 5&nbsp;&euro;") == (
        "L'AG & l’École : 5 €"
    )
    assert html_to_text("&laquo;&#160;contre-bilan&#160;&raquo;") == "« contre-bilan »"


def test_html_to_text_plain_text_and_comments() -> None:
    assert html_to_text("  simple   texte \n\n\n  suite ") == "simple texte\n\nsuite"
    assert html_to_text("<p>a<!-- commentaire --> b</p>") == "a b"
    assert html_to_text("") == ""


def test_html_to_text_inline_tags_keep_their_text() -> None:
    assert html_to_text("<p>Le <strong>prix</strong> de <a href='/x'>référence</a>.</p>") == (
        "Le prix de référence."
    )


def test_clean_text_keeps_one_blank_line() -> None:
    assert clean_text("a\u00a0\u202fb\n\n\n\nc\t d\n") == "a b\n\nc d"


# --------------------------------------------------------------------------- shorten


def test_shorten() -> None:
    assert shorten("court") == "court"
    assert shorten("  des   espaces \n multiples ") == "des espaces multiples"
    assert shorten("un deux trois quatre", 12) == "un deux …"
    assert shorten("un, deux; trois quatre", 10) == "un, deux …"  # trailing punctuation cut
    text = "mot " * 200
    short = shorten(text)
    assert short.endswith(" …") and len(short) <= 402


# --------------------------------------------------------------------------- looks_like_html


def test_looks_like_html() -> None:
    assert looks_like_html(b"<!DOCTYPE html><html>")
    assert looks_like_html(b"  \n<HTML lang='fr'>")
    assert looks_like_html(b"<!-- x --><html>")
    assert not looks_like_html(b'<?xml version="1.0"?><rss version="2.0"></rss>')
    assert not looks_like_html(b"<feed xmlns='http://www.w3.org/2005/Atom'>")


# --------------------------------------------------------------------------- discover_feeds


def test_discover_feeds_types_relative_hrefs_and_order() -> None:
    html = """<html><head>
      <link rel="stylesheet" href="/style.css" type="text/css">
      <link rel="alternate" hreflang="en" href="/en/">
      <link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml">
      <link rel="Alternate" type="application/atom+xml; charset=utf-8" href="feed.atom">
      <link rel="alternate" type="application/feed+json" href="https://cdn.example.fr/feed.json">
      <link rel="alternate" type="application/rss+xml" href="/rss.xml">
      <link rel="alternate nofollow" type="application/rdf+xml" href="../index.rdf">
      <link rel="alternate" type="text/html" href="/amp/">
      <link rel="icon" type="application/rss+xml" href="/pas-un-flux.xml">
      <link rel="alternate" type="application/rss+xml">
    </head><body><a href="/autre-flux.xml" type="application/rss+xml" rel="alternate">x</a>
    </body></html>"""
    assert discover_feeds(html, "https://www.example.fr/blog/page.html") == [
        "https://www.example.fr/rss.xml",
        "https://www.example.fr/blog/feed.atom",
        "https://cdn.example.fr/feed.json",
        "https://www.example.fr/index.rdf",
    ]


def test_discover_feeds_on_demo_home() -> None:
    html = demo("home.html")
    assert discover_feeds(html, f"{BASE}/home.html")  # the demo home announces its feed


def test_discover_feeds_on_real_pages() -> None:
    url = "http://www.sauvonsluniversite.com/spip.php?article8532"
    assert discover_feeds(page("sauvonsluniversite.com.spip.html"), url) == [
        "http://www.sauvonsluniversite.com/spip.php?page=backend"
    ]
    assert discover_feeds(
        page("soundofscience.fr.1927.html"), "https://www.soundofscience.fr/1927"
    ) == [
        "https://www.soundofscience.fr/feed",
        "https://www.soundofscience.fr/comments/feed",
        "https://www.soundofscience.fr/1927/feed",
    ]  # the oEmbed alternates (json+oembed, xml+oembed) are not feeds
    assert (
        discover_feeds(
            page("lanouvellerepublique.fr.martin.html"), "https://www.lanouvellerepublique.fr/"
        )
        == []
    )


def test_discover_feeds_none() -> None:
    assert discover_feeds("<html><head><title>x</title></head></html>", "https://ex.fr/") == []


def test_discover_feeds_keeps_only_http_and_https() -> None:
    html = (
        '<link rel="alternate" type="application/rss+xml" href="file:///etc/passwd">'
        '<link rel="alternate" type="application/rss+xml" href=" FILE:///tmp/x.xml">'
        '<link rel="alternate" type="application/atom+xml" href="data:application/atom+xml,x">'
        '<link rel="alternate" type="application/rss+xml" href="ftp://ex.fr/rss">'
        '<link rel="alternate" type="application/rss+xml" href="/rss.xml">'
    )
    assert discover_feeds(html, "https://ex.fr/") == ["https://ex.fr/rss.xml"]


def test_next_page_never_a_file() -> None:
    html = '<a class="next" href="file:///etc/passwd">›</a><a class="next" href="FILE:///x">›</a>'
    assert next_page(html, LISTING_URL, "a.next::attr(href)") == ""


# --------------------------------------------------------------------------- listing links


LISTING = """<html><body>
<nav><a href="/">Accueil</a></nav>
<article><h2><a href="articles/un.html?utm_source=home">Un</a></h2></article>
<article><h2><a href="/articles/deux.html#commentaires">Deux</a></h2></article>
<article><h2><a href="articles/un.html">Un (doublon)</a></h2></article>
<article><h2><a href="https://AUTRE.example.fr:443/trois?b=2&amp;a=1&amp;fbclid=x">Trois</a></h2></article>
<article><h2><a href="javascript:void(0)">Faux lien</a></h2></article>
<article><h2><a href="mailto:redaction@example.fr">Écrire</a></h2></article>
<article><h2><a href="  ">Vide</a></h2></article>
<article><h2>Sans lien</h2></article>
<p class="pagination"><a class="prev" href="page0.html">‹</a>
<a class="next" href="page2.html?utm_medium=x">Suivant ›</a></p>
</body></html>"""
LISTING_URL = "https://www.example.fr/actus/index.html"
EXPECTED_LINKS = [
    "https://www.example.fr/actus/articles/un.html",
    "https://www.example.fr/articles/deux.html",
    "https://autre.example.fr/trois?a=1&b=2",
]


@pytest.mark.parametrize(
    "follow", ["h2 a::attr(href)", "article h2 > a::attr(href)", "xpath://h2/a/@href"]
)
def test_listing_links(follow: str) -> None:
    assert listing_links(LISTING, LISTING_URL, follow) == EXPECTED_LINKS


def test_listing_links_nothing_matches() -> None:
    assert listing_links(LISTING, LISTING_URL, "h3 a::attr(href)") == []
    assert listing_links(LISTING, LISTING_URL, "xpath://h3/a/@href") == []


@pytest.mark.parametrize(
    "selector",
    [
        "a.next::attr(href)",
        "xpath://a[@class='next']/@href",
        "p.pagination a:last-child::attr(href)",
    ],
)
def test_next_page(selector: str) -> None:
    # next_page keeps the URL as written (only resolved): the server may need its parameters
    assert (
        next_page(LISTING, LISTING_URL, selector)
        == "https://www.example.fr/actus/page2.html?utm_medium=x"
    )


def test_next_page_absent_or_not_http() -> None:
    assert next_page(LISTING, LISTING_URL, "a.suivante::attr(href)") == ""
    html = '<a class="next" href="javascript:next()">›</a><a class="next" href="p3.html">›</a>'
    assert (
        next_page(html, LISTING_URL, "a.next::attr(href)") == "https://www.example.fr/actus/p3.html"
    )


def test_select_all_text_and_whitespace() -> None:
    html = (
        "<h1>  Titre\n   sur  deux lignes </h1><time datetime='2026-11-10'>10 nov.</time><p> </p>"
    )
    assert select_all(html, "h1::text", LISTING_URL) == ["Titre sur deux lignes"]
    assert select_all(html, "xpath://time/@datetime", LISTING_URL) == ["2026-11-10"]
    assert select_all(html, "p::text", LISTING_URL) == []


def test_demo_newsroom_listing_and_pagination() -> None:
    url = f"{BASE}/telvia/presse/actualites.html"
    html = demo("telvia/presse/actualites.html")
    expected = [
        f"{BASE}/telvia/presse/communiques/{name}.html"
        for name in (
            "telvia-ouvre-troisieme-centre-relation-client-valenciennes",
            "enquete-satisfaction-2026-service-client",
            "offre-famille-box-fibre-baisse-prix",
            "telvia-lance-telvia-direct",
            "certification-nf-service-relation-client-lille-douai",
        )
    ]
    assert listing_links(html, url, "h2.titre a::attr(href)") == expected
    assert listing_links(html, url, 'xpath://h2[@class="titre"]/a/@href') == expected
    # every link on the page, sidebar repeats included, comes out once
    everything = listing_links(html, url, "a::attr(href)")
    assert len(everything) == len(set(everything))
    assert f"{BASE}/telvia/presse/communiques/telvia-lance-telvia-direct.html" in everything
    assert (
        next_page(html, url, "a.suivant::attr(href)")
        == f"{BASE}/telvia/presse/actualites-page-2.html"
    )
    assert (
        next_page(html, url, 'xpath://a[@rel="next"]/@href')
        == f"{BASE}/telvia/presse/actualites-page-2.html"
    )


# --------------------------------------------------------------------------- demo articles


DEMO_ARTICLES = [
    (
        "telvia/presse/communiques/telvia-lance-telvia-direct.html",
        "Telvia lance « Telvia Direct » : un conseiller 7 jours sur 7 et un rappel garanti "
        "en moins de deux heures",
        "Service de presse Telvia",
        utc(2026, 11, 10, 7, 30),
        "Telvia s’engage à rappeler le client en moins de deux heures.",
    ),
    (
        "lemoine-avocats/blog/delai-retractation-article-l-221-18.html",
        "Délai de rétractation : ce que dit l'article L. 221-18 du code de la consommation",
        "Maître Thomas Girard",
        utc(2026, 11, 5, 7, 0),
        "tracer la demande dans l'outil de gestion des réclamations.",
    ),
    (
        "relation-client-hebdo/articles/mediation-operateurs-tete-saisines.html",
        "Médiation : les télécoms toujours en tête des litiges signalés dans la région",
        "Claire Besson",
        utc(2026, 11, 20, 11, 0),
        "Selon l'Observatoire régional de la consommation",
    ),
    (
        "observatoire/notes/2026-11-12-prix-hygiene-hausse.html",
        "Prix à la consommation : les produits d'hygiène toujours en hausse",
        "Observatoire régional de la consommation",
        utc(2026, 11, 12, 10, 0),
        "le prix le plus bas des trente derniers jours.",
    ),
    (
        "lefilconso/2026/11/black-friday-faux-prix-barres.html",
        "Black Friday : attention aux faux prix barrés",
        "Rédaction Le Fil Conso",
        utc(2026, 11, 24, 6, 30),
        "Signalez-le sur la plateforme SignalConso",
    ),
    (
        "cercle-qualite/articles/mesurer-satisfaction-iso-10004.html",
        "Mesurer la satisfaction : l'apport de l'ISO 10004:2018",
        "Cercle Qualité Client",
        utc(2026, 11, 19, 15, 45),
        "La norme ISO 10004:2018 fournit des lignes directrices",
    ),
    (
        "vasseur/presse/carte-fidelite-remises-immediates.html",
        "Carte de fidélité : Maison Vasseur remplace les points par des remises immédiates",
        "Direction de la communication",
        utc(2026, 11, 27, 8, 0),
        "peuvent clôturer leur carte à tout moment, sans frais.",
    ),
]


@pytest.mark.parametrize(("path", "title", "author", "published", "sentence"), DEMO_ARTICLES)
def test_extract_demo_articles(
    path: str, title: str, author: str, published: datetime, sentence: str
) -> None:
    url = f"{BASE}/{path}?utm_source=newsletter"
    entry = extract_article(demo(path), url)
    assert entry.title == title
    assert entry.author == author
    assert entry.published == published
    assert entry.url == f"{BASE}/{path}"  # the canonical link, tracking removed
    assert entry.original_url == url
    assert entry.language == "fr"
    assert sentence in entry.text
    assert entry.warnings == ()
    for boilerplate in (
        COOKIE_TEXT,
        "Tout accepter",
        "Mentions légales",
        "Politique de confidentialité",
        "Site de démonstration Watcher",
        "Newsletter",
        "Publicité",
    ):
        assert boilerplate not in entry.text, boilerplate
    assert entry.summary and len(entry.summary) <= 402


def test_extract_demo_article_details() -> None:
    path = "telvia/presse/communiques/telvia-lance-telvia-direct.html"
    entry = extract_article(demo(path), f"{BASE}/{path}")
    assert entry.published_raw == "2026-11-10T08:30:00+01:00"
    assert entry.summary.startswith(
        "À partir du 16 novembre 2026, les clients mobiles et fibre de Telvia"
    )
    assert "Contact presse : presse@telvia.example" in entry.text
    for sidebar in (
        "À lire aussi",
        "Telvia ouvre un troisième centre de relation client à Valenciennes",
        "Partager",
    ):
        assert sidebar not in entry.text


def test_extract_with_selectors() -> None:
    path = "telvia/presse/communiques/telvia-lance-telvia-direct.html"
    entry = extract_article(
        demo(path),
        f"{BASE}/{path}",
        title_selector="p.rubrique::text",
        date_selector="xpath://time[@class='publication']/text()",
    )
    assert entry.title == "Communiqués"
    assert entry.published_raw == "10 novembre 2026 à 08 h 30"
    assert entry.published == utc(2026, 11, 10, 7, 30)


def test_extract_unreadable_date_selector_warns() -> None:
    path = "telvia/presse/communiques/telvia-lance-telvia-direct.html"
    entry = extract_article(demo(path), f"{BASE}/{path}", date_selector="p.rubrique::text")
    assert entry.published is None
    assert entry.published_raw == "Communiqués"
    assert entry.warnings == ("date illisible : 'Communiqués'",)


def test_extract_page_without_text() -> None:
    html = "<html><head><title>Vide</title></head><body><div> </div></body></html>"
    entry = extract_article(html, "https://ex.fr/vide?xtor=1")
    assert entry.title == "Vide"
    assert entry.text == ""
    assert entry.url == "https://ex.fr/vide"
    assert "aucun texte principal trouvé dans la page" in entry.warnings


# --------------------------------------------------------------------------- real saved pages


def test_extract_real_spip_page_sauvonsluniversite() -> None:
    url = "http://www.sauvonsluniversite.com/spip.php?article8532"
    entry = extract_article(page("sauvonsluniversite.com.spip.html"), url)
    assert entry.title == "Décisions de l’AG Éducation IDF du mardi 10 septembre"
    # canonical link (other domain, parameter without "=") kept as written
    assert entry.url == "http://www.sauvonsluniversite.fr/spip.php?article8532"
    assert entry.language == "fr"
    assert entry.published_raw == "2019-09-11"
    assert entry.published == utc(2019, 9, 10, 22, 0)
    assert entry.author == ""
    assert (
        "L’AG Éducation Île-de-France inter-degrés a réuni le mardi 10 septembre en tout 80 "
        "collègues en provenance de plus de 30 établissements et écoles."
    ) in entry.text
    assert entry.text.rstrip().endswith(
        "pour centraliser les témoignages et les rendre publics auprès des parents et des médias."
    )
    assert "« contre-bilan de rentrée »" in entry.text  # &#171;&nbsp; decoded
    for boilerplate in (
        "Dans la même rubrique",
        "RDV ESR en lutte",  # sidebar list
        "Mystique du management",  # menu
        "Plan du site",
        "Se connecter",
        "Suivre @sluniversite",
        "Recherche",
        "platform.twitter.com",
    ):
        assert boilerplate not in entry.text, boilerplate
    assert entry.summary.startswith("L'AG Éducation Île-de-France inter-degrés a réuni")
    assert entry.warnings == ()


def test_extract_real_wordpress_page_soundofscience() -> None:
    url = "https://www.soundofscience.fr/1927?utm_source=twitter&utm_medium=social"
    entry = extract_article(page("soundofscience.fr.1927.html"), url)
    assert entry.title == "Une candidature collective à la présidence du HCERES"
    assert entry.url == "https://www.soundofscience.fr/1927"
    assert entry.author == "Martin Clavey"
    assert entry.published_raw == "2020-01-20T08:40:32+01:00"
    assert entry.published == utc(2020, 1, 20, 7, 40, 32)
    assert entry.language == "fr"
    assert entry.text.startswith(
        "En réaction à la candidature du conseiller recherche d’Emmanuel Macron"
    )
    assert "Sans recherche autonome, nous n’avons pas d’avenir" in entry.text
    assert "La première condition est budgétaire" in entry.text
    for boilerplate in (
        "Laisser un commentaire",
        "Votre adresse de messagerie ne sera pas publiée",
        "Akismet",
        "Sur le même thème",
        "Tweets de @SoundofScFr",
        "Powered by",
        "Politique de confidentialité",
        "2 Click",
        "socialSharePrivacy",
    ):
        assert boilerplate not in entry.text, boilerplate
    assert entry.warnings == ()


def test_extract_real_javascript_shell_lanouvellerepublique() -> None:
    # The saved page is an AngularJS shell: the article is loaded by JavaScript, so the HTML
    # holds only unrendered {{…}} templates and admin snippets. The learner must be warned.
    url = "https://www.lanouvellerepublique.fr/indre-et-loire/commune/tours/martin"
    entry = extract_article(page("lanouvellerepublique.fr.martin.html"), url)
    assert entry.url == url  # the canonical link is an ng-href template: ignored
    assert entry.published is None
    assert entry.language == ""  # <html ng-attr-lang="{{…}}">
    assert any("page construite par JavaScript" in w for w in entry.warnings)
    assert "didomi" not in entry.text.lower()  # the cookie-consent script is not text
    assert "La Nouvelle Republique et ses partenaires utilisent des cookies" not in entry.text


def test_heading_block_before_the_title_is_not_part_of_the_text() -> None:
    page = (
        '<html lang="fr"><body><main><article><p class="rubrique">Accessibilité</p>'
        "<h1>Le service client joignable en langue des signes</h1>"
        "<p>"
        + "Depuis le 3 novembre, les clients sourds peuvent joindre un conseiller. " * 8
        + "</p></article></main></body></html>"
    )
    entry = extract_article(page, "http://127.0.0.1:8765/a.html")
    assert entry.title == "Le service client joignable en langue des signes"
    assert entry.text.startswith("Depuis le 3 novembre")


def test_a_breadcrumb_ending_with_the_title_is_not_part_of_the_text() -> None:
    """SPIP's « Accueil > Rubrique > Titre » trail, longer than a category label, is the
    heading block all the same: it ends with the article's title."""
    url = "http://www.sauvonsluniversite.com/spip.php?article8532"
    text = extract_article(page("sauvonsluniversite.com.spip.html"), url).text
    assert "Accueil > Actualités et humeurs" not in text
    assert not text.startswith("Décisions de l’AG Éducation IDF")


def test_the_heading_block_is_found_by_the_page_heading_when_the_title_names_the_site() -> None:
    """A title from the page's meta tags names the site and the category (« Maison 11 pièces
    450 m² Ventes immobilières Calvados - leboncoin.fr »); the text begins with the page's
    own heading (<h1>) after a breadcrumb list: both are the heading block, not the text."""
    html = Path(__file__).parent / "fixtures" / "shops" / "leboncoin.fr.ad_1072097995.html"
    url = "https://www.leboncoin.fr/ventes_immobilieres/1072097995.htm"
    entry = extract_article(html.read_text(encoding="utf-8"), url)
    assert entry.title == "Maison 11 pièces 450 m² Ventes immobilières Calvados"
    first = entry.text.split("\n")[0]
    assert first != "- Accueil"
    assert "Calvados" not in entry.text.split("Prix")[0]  # the trail is gone, not only its head


@pytest.mark.parametrize(
    ("name", "url", "title"),
    [
        # <title>« » Certains rêvent de Matt Duchene à Ottawa|Mathias Brunet »: the blog's name
        # is also an <h2>, the post's title an <h1>
        (
            "blogues.lapresse.ca.1489425440073.html",
            "http://blogues.lapresse.ca/lnh/2017/01/24/certains-revent-de-matt-duchene-a-ottawa/",
            "Certains rêvent de Matt Duchene à Ottawa",
        ),
        # « BMJV | Transparenz bei Preisanpassungen »: the ministry's initials first
        (
            "bmjv.de.preisanpassung.html",
            "https://www.BMJV.de/DE/Verbraucherportal/KonsumImAlltag/TransparenzPreisanpassung/"
            "TransparenzPreisanpassung_node.html",
            "Transparenz bei Preisanpassungen",
        ),
        # « Didier Porte souhaite la Santé à Balkany | Chroniques | Là-bas si j'y suis »
        (
            "la-bas.org.porte.html",
            "https://la-bas.org/la-bas-magazine/chroniques/Didier-Porte-souhaite-la-Sante-a-Balkany",
            "Didier Porte souhaite la Santé à Balkany",
        ),
    ],
)
def test_the_title_is_the_part_of_the_title_element_the_page_heads_its_article_with(
    name: str, url: str, title: str
) -> None:
    """A page without a title in its meta tags and with several <h1>: of its <title>'s parts
    (the site's name, a section's, the article's), the title is the one a heading of the page
    shows, an <h1> before an <h2>."""
    assert extract_article(world(name), url).title == title


def test_the_title_does_not_end_with_the_site_s_name() -> None:
    """« … Calvados - leboncoin.fr »: the site is the source's, not the item's title."""
    html = Path(__file__).parent / "fixtures" / "shops" / "leboncoin.fr.ad_753398357.html"
    url = "http://www.leboncoin.fr/ventes_immobilieres/745837877.htm"
    title = extract_article(html.read_text(encoding="utf-8"), url).title
    assert title == "Maison 130 m² Fontaine Etoupefour Ventes immobilières Calvados"
    named = (
        '<html><head><meta property="og:title" content="Le tchat gagne du terrain | Relation '
        'Client Mag"><meta property="og:site_name" content="Relation Client Mag"></head><body>'
        "<p>" + "Le tchat gagne du terrain chez les moins de 35 ans. " * 8 + "</p></body></html>"
    )
    assert extract_article(named, "https://rcm.example/a").title == "Le tchat gagne du terrain"
    # a title that only names the site stays as it is
    alone = named.replace("Le tchat gagne du terrain | Relation Client Mag", "Relation Client Mag")
    assert extract_article(alone, "https://rcm.example/a").title == "Relation Client Mag"


# ----------------------------------------------------------- dates (tests/fixtures/world/, dev)


def world(name: str) -> str:
    return (Path(__file__).parent / "fixtures" / "world" / name).read_text(encoding="utf-8")


def test_extract_date_not_taken_from_a_sidebar_time() -> None:
    # the first <time> of the page dates another post, in the aside's "latest posts" list
    html = (
        "<html><head><title>Billet</title></head><body>"
        "<main><h1>Billet</h1><p class='info'>27 juin 2019</p>"
        f"<p>{'Un paragraphe du billet, assez long pour être le texte principal. ' * 8}</p></main>"
        "<aside><h2>Le fil du blog</h2><ul><li><a href='/b'>Un autre billet</a>"
        "<time datetime='2019-07-30'>30 juil. 2019</time></li></ul></aside></body></html>"
    )
    entry = extract_article(html, "https://ex.fr/billet")
    assert entry.published_raw != "2019-07-30"


def test_a_publishers_closing_disclaimer_is_not_the_posts_text() -> None:
    """A reader's blog post on Mediapart's Club ends with the site's disclaimer (« Le Club est
    l'espace de libre expression des abonnés de Mediapart. Ses contenus n'engagent pas la
    rédaction. »), which the extractor kept as the post's last paragraph: the post ends with
    its author's own last line."""
    url = "https://blogs.mediapart.fr/elba/blog/260619/violences-policieres-bombe-retardement-mediatique"
    entry = extract_article(world("blogs.mediapart.fr.violences.html"), url)
    assert "Le Club est l'espace" not in entry.text
    assert "n'engagent pas la rédaction" not in entry.text
    assert entry.text.endswith("qui ont rendu celui-ci possible.")


def test_a_reading_time_label_above_the_post_is_not_its_text() -> None:
    """Framablog's posts open with a reading-time label (« Temps de lecture 14 min », the
    Worth The Read plugin), which the extractor kept as the text's first line: furniture
    opens a text as it closes one, and goes the same way (only at either end)."""
    text = extract_article(world("framablog.html"), FRAMABLOG).text
    assert text.startswith("Contribuer, oui, mais comment")
    assert "Temps de lecture" not in text


def test_a_press_release_ends_with_its_contact_not_the_wire_s_credit() -> None:
    """A release on presseportal.de (tests/fixtures/world) ends with its press contact, then
    the wire's credit (« Original-Content von: TravelTrex GmbH, übermittelt durch news
    aktuell »), which the extractor kept as the text's last line."""
    url = "https://www.presseportal.de/pm/103258/2930232"
    text = extract_article(world("presseportal.de.2930232.html"), url).text
    assert "Original-Content von" not in text
    assert text.endswith("Tel. +49 (0) 221-33 606-2513")


def _labelled_with_heading() -> list[dict[str, Any]]:
    """The world pages whose labels name their title and author (sixth batch on)."""
    labels = Path(__file__).parent / "fixtures" / "world" / "pages.yml"
    entries = yaml.safe_load(labels.read_text(encoding="utf-8"))
    return [entry for entry in entries if "title" in entry]


@pytest.mark.parametrize("label", _labelled_with_heading(), ids=lambda label: label["file"])
def test_a_labelled_world_page_reads_as_its_labels(label: dict[str, Any]) -> None:
    """Title, date, author and snippets written by hand from the page before any extractor
    ran on it (tests/fixtures/world/pages.yml); the author as the page names it, whatever its
    case (Watcher writes a lower-case name with capitals: « framasoft » → « Framasoft »)."""
    entry = extract_article(world(label["file"]), label["url"])
    assert entry.title == label["title"]
    assert entry.published is not None
    assert entry.published.astimezone(PARIS).date() == label["date"]
    if not label.get("author_not_read"):  # a known miss, kept in the labels and the README
        assert entry.author.casefold() == (label["author"] or "").casefold()
    text = " ".join(entry.text.split())
    assert [s for s in label["with"] if " ".join(s.split()) not in text] == []
    assert [s for s in label["without"] if " ".join(s.split()) in text] == []


def test_extract_real_blog_date_from_the_post_not_the_sidebar() -> None:
    url = "https://blogs.mediapart.fr/elba/blog/260619/violences-policieres-bombe-retardement-mediatique"
    entry = extract_article(world("blogs.mediapart.fr.violences.html"), url)
    assert entry.published_raw == "2019-06-27"  # "27 juin 2019" by the title, not 30 July
    assert entry.published == utc(2019, 6, 26, 22, 0)


FRAMABLOG = "https://framablog.org/2017/12/02/avancer-ensemble-vers-la-contribution/"


def test_the_microdata_publication_date_before_a_date_the_article_quotes() -> None:
    """Framablog (WordPress, Virtue theme) shows its post's date in a box marked
    ``itemprop="datePublished"`` with no machine-readable attribute (« 2 Déc 2017 »); the first
    <time> of the article is the republished post's own date, at its end (« Griffonné le 30
    novembre 2017 »): the page's date is the one its microdata declares."""
    entry = extract_article(world("framablog.html"), FRAMABLOG)
    assert entry.published == utc(2017, 12, 1, 23, 0)  # 2 December, Paris
    assert entry.published_raw == "2 Déc 2017"
    body = "<p>" + "Le compte rendu de la journée, assez long pour être le texte. " * 8
    page = (
        "<html><body><article><h1>Compte rendu</h1>"
        '<div itemprop="datePublished">2 déc. 2017</div>'
        f'{body}<time datetime="2017-11-30T11:20:00">Écrit le 30</time> novembre</p>'
        '<ol><li itemscope itemtype="http://schema.org/Comment">Un commentaire'
        '<meta itemprop="datePublished" content="2017-12-04"></li></ol></article></body></html>'
    )
    assert extract_article(page, "https://blog.example.fr/cr").published == utc(2017, 12, 1, 23)
    # a comment's date is not the page's, even when it is the only microdata date
    alone = page.replace('<div itemprop="datePublished">2 déc. 2017</div>', "")
    assert extract_article(alone, "https://blog.example.fr/cr").published_raw == (
        "2017-11-30T11:20:00"
    )


def test_a_date_written_inside_a_sentence_keeps_its_words() -> None:
    """trafilatura removes every <time>, a date box's and a sentence's alike: Framablog's post
    ended with « novembre 2017 » for « Griffonné le 30 novembre 2017 », and « La réunion du
    <time>12 mai</time> a réuni… » lost its date. A <time> inside a sentence is read as its
    words; a <time> standing alone (a date box) stays out of the text, and is still the date."""
    lines = extract_article(world("framablog.html"), FRAMABLOG).text.split("\n")
    assert lines[-1] == "Griffonné le 30 novembre 2017"
    page = (
        '<html><body><article><h1>Réunion</h1><p class="date"><time datetime="2026-05-14">'
        "14 mai 2026</time></p><p>La réunion du <time datetime='2026-05-12'>12 mai</time> a "
        "réuni les fédérations du secteur, qui ont signé un accord de branche. "
        + "Les négociations reprendront à l’automne avec les syndicats. " * 6
        + "</p></article></body></html>"
    )
    entry = extract_article(page, "https://ex.fr/reunion")
    assert "La réunion du 12 mai a réuni les fédérations" in entry.text
    assert "14 mai 2026" not in entry.text
    assert entry.published_raw == "2026-05-14"


@pytest.mark.parametrize(
    ("name", "url"),
    [
        # only date in the page: "vom 02.01.2016", describing a link of the sidebar
        (
            "bmjv.de.preisanpassung.html",
            "https://www.BMJV.de/DE/Verbraucherportal/KonsumImAlltag/TransparenzPreisanpassung/"
            "TransparenzPreisanpassung_node.html",
        ),
        # the post (3 Dec. 2011) gives its date in words only; "2010/06" is a link's address
        (
            "pbrunst.de.cyberterrorismus.html",
            "http://www.pbrunst.de/news/2011/12/kein-cyberterrorismus-diesmal/",
        ),
    ],
)
def test_extract_no_date_guessed_from_unrelated_text(name: str, url: str) -> None:
    entry = extract_article(world(name), url)
    assert entry.published is None
    assert entry.published_raw == ""
    assert entry.warnings == ()


# ------------------------------------------- standfirst (chapô) shown outside the article body


@pytest.mark.parametrize(
    ("name", "url", "standfirst"),
    [
        # Libération 2015: an <h2 itemprop="description"> in the article's <header>
        (
            "liberation-1.html",
            "http://www.liberation.fr/monde/2015/04/30/"
            "un-troisieme-francais-mort-dans-le-seisme-au-nepal_1278483",
            "Laurent Fabius a accueilli jeudi matin à Roissy un premier avion spécial "
            "ramenant des rescapés.",
        ),
        # Télé-Loisirs: <p itemprop="description"><strong>…</strong></p> before the body
        (
            "french_article.html",
            "http://www.programme-tv.net/news/tv/"
            "78366-c-a-vous-accusee-de-racisme-charlotte-rampling-repond-video/",
            "Invitée de C à vous, l’actrice Charlotte Rampling au coeur d’un scandale",
        ),
        # SPIP: <div class="chapo">, the meta description cut short with « (...) »
        (
            "paris-luttes.info.grenades.html",
            "https://paris-luttes.info/quand-on-comprend-que-les-grenades-12355",
            "l’Inspection générale de la Gendarmerie nationale rendait son rapport",
        ),
    ],
)
def test_extract_keeps_the_standfirst_shown_above_the_body(
    name: str, url: str, standfirst: str
) -> None:
    """The chapô a page shows above its article (its description, as its meta tags give it)
    is the article's text, even when it stands outside the article's body in the markup."""
    text = " ".join(extract_article(world(name), url).text.split())
    assert standfirst in text
    assert text.index(standfirst) < 400  # first, before the body


def test_extract_adds_no_description_the_page_does_not_show() -> None:
    body = "<p>" + "Le corps de l’article, assez long pour être le texte principal. " * 8 + "</p>"
    description = "Une description que la page ne montre qu’à ses métadonnées, jamais au lecteur."
    teaser = (
        "<aside><p>Une description que la page ne montre qu’à ses métadonnées, jamais au "
        "lecteur.</p></aside>"
    )
    for shown in ("", teaser):
        html = (
            f'<html><head><meta name="description" content="{description}"></head><body>'
            f"<main><h1>Titre</h1>{body}</main>{shown}</body></html>"
        )
        text = extract_article(html, "https://ex.fr/a").text
        assert "métadonnées" not in text


# ------------------------------------- a paragraph written twice, whole and cut (responsive)


def test_extract_drops_the_cut_copy_of_a_paragraph_shown_whole() -> None:
    """A responsive page writes its text twice, whole for large screens and cut with « … Lire
    plus » for small ones (leboncoin.fr's ads): the reader sees it once, so does the text."""
    first = "Vente Maison/villa 11 pièces"
    whole = (
        "Magnifique château du 19 ème siècle édifié sur un parc arboré et clos de 7000 m² "
        "environ, restauré, qui a gardé tous ses éléments anciens et ses salles de réception."
    )
    cut = whole[:90] + "... <span class='read_more'>Lire plus</span>"
    html = (
        "<html><body><main><h1>Maison 11 pièces</h1>"
        f"<p id='description'>{first}<br><br>{whole}</p>"
        f"<p id='description_truncated'>{first}<br><br>{cut}</p>"
        "</main></body></html>"
    )
    text = extract_article(html, "https://ex.fr/annonce").text
    assert text.count(whole[:60]) == 1
    assert text.count(first) == 1
    assert "Lire plus" not in text
    assert whole in text


def test_extract_keeps_a_line_that_ends_with_an_ellipsis_of_its_own() -> None:
    """An ellipsis that cuts no other paragraph of the text is the author's: the line stays."""
    line = (
        "Et puis, au moment où tout semblait joué, la salle entière s'est levée pour applaudir..."
    )
    body = "<p>" + "Le reste du compte rendu du concert, assez long pour le texte. " * 6 + "</p>"
    html = f"<html><body><main><h1>Concert</h1>{body}<p>{line}</p></main></body></html>"
    assert line in extract_article(html, "https://ex.fr/concert").text


# ---------------------------------------------------------- code blocks keep their layout


PRE_PAGE = """<html lang="fr"><head><title>Configurer le portail</title></head><body>
<nav><a href="/">Accueil</a> · <a href="/projets">Projets</a></nav>
<article><h1>Configurer le portail</h1>
<p>Pour lancer le portail au démarrage, il suffit d'un fichier de service systemd, placé dans
le dossier des unités du système, que voici en entier avant de l'activer :</p>
<pre><code>[Service]
Type=simple
ExecStart=/home/pi/musicportal.sh
</code></pre>
<p>La boucle principale du script lit les événements du lecteur et lance la lecture quand une
étiquette est posée dessus, sans écran ni clavier :</p>
<pre>{
if (play) {
        system("mpg321 -q " file " &amp; ");
        }
play=0 ;
}
304-Bird.wav    -&gt; /usr/share/Bird.wav</pre>
<p>Et   voilà :  le jouet est prêt, il suffit de brancher le Raspberry Pi pour que tout
démarre, sans écran ni clavier, dès que la prise est branchée.</p>
</article><footer>Pied de page du blog</footer></body></html>"""


def test_a_code_block_keeps_its_indentation_and_alignment() -> None:
    """A <pre> block's lines keep their leading spaces and the runs of spaces that align them
    (its layout is its meaning: code, a configuration file, a table typed in a terminal);
    the prose around it is still collapsed, one line per paragraph."""
    lines = extract_article(PRE_PAGE, "https://blog.example.fr/portail").text.split("\n")
    assert '        system("mpg321 -q " file " & ");' in lines
    assert "        }" in lines
    assert "304-Bird.wav    -> /usr/share/Bird.wav" in lines
    assert "Type=simple" in lines
    assert any(line.startswith("Et voilà : le jouet est prêt,") for line in lines)
    assert not any(line != line.rstrip() for line in lines)


def test_a_code_block_written_with_line_breaks_keeps_its_indentation() -> None:
    """V8's blog writes its code blocks' lines with <br /> and indents them with spaces
    (tests/fixtures/world/v8-blog.html): trafilatura's text drops the spaces after each break
    (« return x + y; »), the extracted text keeps them, as the page shows them."""
    url = "https://v8.dev/blog/emscripten-standalone-wasm"
    lines = extract_article(world("v8-blog.html"), url).text.split("\n")
    assert "int add(int x, int y) {" in lines
    assert "  return x + y;" in lines
    assert " (i32.add" in lines
    assert "  (local.get $0)" in lines
    assert "  console.log(instance.exports.add(40, 2));" in lines
    assert "wasm   =>   function musl_writev(..) { .. console.log(..) .. }" in lines


def test_a_heading_s_permalink_mark_is_not_part_of_its_text() -> None:
    """Blogs and documentation end each heading with a link to itself, written « # » or « ¶ »
    (V8's blog: « Using standalone mode in Emscripten # »): the mark is the page's furniture,
    the heading's text is what the reader reads."""
    url = "https://v8.dev/blog/emscripten-standalone-wasm"
    lines = extract_article(world("v8-blog.html"), url).text.split("\n")
    assert "Using standalone mode in Emscripten" in lines
    assert "Do we need non-standalone Wasm?" in lines
    assert not [line for line in lines if line.endswith((" #", "¶"))]
    sphinx = (
        "<html><body><main><h1>Guide</h1><p>"
        + "Une introduction assez longue au guide. " * 6
        + '</p><h2>Installer le paquet<a class="headerlink" href="#installer">¶</a></h2><p>'
        + "Le paquet s'installe avec pip, dans un environnement virtuel de préférence. " * 3
        + "</p></main></body></html>"
    )
    assert "Installer le paquet" in extract_article(sphinx, "https://doc.example.fr/g").text.split(
        "\n"
    )
