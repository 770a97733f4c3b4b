"""Hostile input met during a real crawl (servers on 127.0.0.1, the real spiders and store):
what the crawl tests of `test_crawl.py` and `test_crawl_guard.py` do not cover. Each input is
reported in French for its source, and the sources beside it are collected."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from conftest import Watcher, feed_source, rss, write
from watcher.demo.server import LocalSite, Route

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

ARTICLE = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    "<p>La DGCCRF rappelle les règles du démarchage téléphonique aux vendeurs de la "
    "région, qui doivent respecter la liste Bloctel avant tout appel commercial.</p>"
    "</article></body></html>"
)


def three_items(base: str) -> bytes:
    return rss(
        base,
        [
            {"title": f"Article {n}", "link": f"{base}/articles/{n}", "guid": f"guid-{n}"}
            for n in (1, 2, 3)
        ],
    )


def test_an_address_too_long_is_refused_for_its_source_which_still_finishes(
    watcher: Watcher, site: LocalSite
) -> None:
    """A sitemap entry of 3,000 characters: Scrapy dropped its request without a word, and the
    source waited for it until the crawl ended (« collecte interrompue avant la fin »), its
    good article never reported. It is refused with a warning naming it, and never asked."""
    write(site, "actu/bonne.html", ARTICLE.format(title="Démarchage : la DGCCRF rappelle"))
    long_path = "/actu/" + "x" * 3000
    write(
        site,
        "sitemap.xml",
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{site.base}/actu/bonne.html</loc></url>"
        f"<url><loc>{site.base}{long_path}</loc></url></urlset>",
    )
    write(site, "good.xml", three_items(site.base))
    watcher.write(
        [
            {**feed_source(site, "/sitemap.xml", id="plan"), "kind": "sitemap"},
            feed_source(site, "/good.xml", id="good"),
        ]
    )
    results = {r.source_id: r for r in watcher.crawl(NOW).results}
    plan = results["plan"]
    assert (plan.error, plan.new, plan.failed) == ("", 1, 1), plan
    [warning] = [w for w in plan.warnings if "trop longue" in w]
    assert f"{site.base}/actu/xxx" in warning
    assert "adresse trop longue (" in warning and "caractères, au plus 2083)" in warning
    assert results["good"].ok and results["good"].new == 3
    assert not [hit for hit in site.hits if len(hit.path) > 2000]


def test_an_entry_of_year_zero_is_kept_without_its_date_and_never_stops_its_feed(
    watcher: Watcher, site: LocalSite
) -> None:
    """An Atom entry dated « 0001-01-01T00:00:00+14:00 » or « 9999-12-31T23:59:59-14:00 » made
    the whole feed fail (« erreur de lecture (OverflowError: date value out of range) »); an
    RSS date of year 0000 or 0001 was read as 2000 or 2001, and « -0001-… » as year 1. Each
    entry is kept without its date, with a warning, beside the good one."""
    entries = "".join(
        f'<entry><id>e{n}</id><title>Entrée {n}</title><link href="{site.base}/e/{n}"/>'
        f"<updated>{moment}</updated></entry>"
        for n, moment in enumerate(
            [
                "0001-01-01T00:00:00+14:00",
                "-0001-01-01T00:00:00Z",
                "2026-11-03T10:00:00+01:00",
                "9999-12-31T23:59:59-14:00",
            ]
        )
    )
    write(
        site,
        "atom.xml",
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Flux</title>'
        f"{entries}</feed>",
    )
    write(
        site,
        "rss.xml",
        rss(
            site.base,
            [
                {"title": f"Ancien {year}", "link": f"{site.base}/r/{year}", "guid": f"r{year}",
                 "pubDate": f"Mon, 01 Jan {year} 00:00:00 +0000"}
                for year in ("0000", "0001")
            ],
        ),
    )  # fmt: skip
    watcher.write(
        [feed_source(site, "/atom.xml", id="atom"), feed_source(site, "/rss.xml", id="rss")]
    )
    results = {r.source_id: r for r in watcher.crawl(NOW).results}
    assert (results["atom"].error, results["atom"].new) == ("", 4), results["atom"]
    assert (results["rss"].error, results["rss"].new) == ("", 2), results["rss"]
    store = watcher.store()
    try:
        dated = {item.title: item.published_at for item in store.list_items()}
    finally:
        store.close()
    assert dated == {
        "Entrée 0": None,
        "Entrée 1": None,
        "Entrée 2": datetime(2026, 11, 3, 9, 0, tzinfo=UTC),
        "Entrée 3": None,
        "Ancien 0000": None,
        "Ancien 0001": None,
    }
    warnings = results["atom"].warnings + results["rss"].warnings
    assert "« Entrée 0 » : date illisible : '0001-01-01T00:00:00+14:00'" in warnings
    assert "« Entrée 3 » : date illisible : '9999-12-31T23:59:59-14:00'" in warnings
    assert "« Entrée 1 » : date impossible ('-0001-01-01T00:00:00Z') : entrée gardée sans date" in (
        warnings
    )
    for year in ("0000", "0001"):
        assert any(
            w.startswith((f"« Ancien {year} » : date illisible", f"« Ancien {year} » : date imp"))
            for w in warnings
        ), warnings


def test_a_redirect_to_an_address_that_is_none_fails_its_source_in_french(
    watcher: Watcher, site: LocalSite
) -> None:
    """A `Location` Scrapy cannot ask (« javascript:… », a port over 65535, an unclosed IPv6
    bracket) reached the learner as « erreur inattendue (ValueError: Port out of range
    0-65535) »; an empty one was asked again and again, up to « trop de redirections
    (boucle ?) ». Each is said for its source; nothing more is asked; the feed beside is read."""
    write(site, "good.xml", three_items(site.base))
    locations = {
        "js": "javascript:alert(1)",
        "port": "http://127.0.0.1:99999/flux.xml",
        "bracket": "http://[::1/flux.xml",
        "empty": "",
    }
    for name, location in locations.items():
        site.routes[f"/{name}"] = Route(status=302, headers={"Location": location})
    watcher.write(
        [feed_source(site, f"/{name}", id=name) for name in locations]
        + [feed_source(site, "/good.xml", id="good")]
    )
    results = {r.source_id: r for r in watcher.crawl(NOW).results}
    assert results["good"].ok and results["good"].new == 3
    assert results["js"].error == (
        "redirection (302) refusée : Watcher ne collecte que les adresses http:// et https:// "
        "(javascript:alert(1))"
    )
    for name in ("port", "bracket"):
        assert results[name].error.startswith(
            f"redirection (302) vers une adresse mal écrite ({locations[name]}"
        ), results[name].error
        assert results[name].error.endswith(
            "ouvrez l'adresse de la source dans un navigateur et corrigez-la"
        )
    assert results["empty"].error == (
        "redirection (302) sans adresse de destination : vérifiez l'adresse"
    )
    for name in locations:
        assert len(site.hits_for(f"/{name}")) == 1, name
    assert {hit.path for hit in site.hits} == {
        "/robots.txt",
        "/good.xml",
        *map("/{}".format, locations),
    }


def test_a_json_feed_nested_thousands_deep_or_cut_short_fails_its_source_in_french(
    watcher: Watcher, site: LocalSite
) -> None:
    """A JSON Feed whose items are 100,000 nested lists failed its source with « erreur de
    lecture (RecursionError: maximum recursion depth exceeded…) », and one cut short said only
    « JSON illisible (JSONDecodeError) »: each now says where, and what to do."""
    version = b'{"version": "https://jsonfeed.org/version/1.1", "items": '
    json_type = {"Content-Type": "application/feed+json"}
    site.routes["/deep.json"] = Route(
        body=version + b"[" * 100_000 + b"]" * 100_000 + b"}", headers=json_type
    )
    site.routes["/cut.json"] = Route(
        body=version + b'[{"id": "a",\n "title": "Ti', headers=json_type
    )
    write(site, "good.xml", three_items(site.base))
    watcher.write(
        [
            feed_source(site, "/deep.json", id="deep"),
            feed_source(site, "/cut.json", id="cut"),
            feed_source(site, "/good.xml", id="good"),
        ]
    )
    results = {r.source_id: r for r in watcher.crawl(NOW).results}
    assert results["good"].ok and results["good"].new == 3
    assert results["deep"].error == (
        "JSON illisible : listes ou objets imbriqués sur des milliers de niveaux, ce n'est pas "
        "un flux ; vérifiez l'adresse de la source"
    )
    assert results["cut"].error == (
        "JSON illisible (ligne 2, colonne 11) : le flux est mal formé ou coupé ; ouvrez son "
        "adresse dans un navigateur pour le vérifier"
    )


def test_an_ill_formed_feed_is_said_so_in_french_not_in_feedparser_s_english(
    watcher: Watcher, site: LocalSite
) -> None:
    """The warning of a feed read tolerantly, and the error of one that cannot be read, quoted
    feedparser's English (« document declared as us-ascii, but parsed as utf-8 », « mismatched
    tag », « syntax error »)."""
    declared_ascii = three_items(site.base).replace(b'encoding="utf-8"', b'encoding="us-ascii"')
    site.routes["/ascii.xml"] = Route(
        body=declared_ascii.replace(b"Flux de test", "Flux évident".encode()),
        headers={"Content-Type": "text/html"},
    )
    mismatched = three_items(site.base).replace(b"<title>Article 3</title>", b"<title>A</titel>")
    site.routes["/tag.xml"] = Route(body=mismatched, headers={"Content-Type": "application/xml"})
    site.routes["/junk.xml"] = Route(
        body=b"pas un flux, du texte", headers={"Content-Type": "text/xml"}
    )
    watcher.write(
        [
            feed_source(site, "/ascii.xml", id="ascii"),
            feed_source(site, "/tag.xml", id="tag"),
            feed_source(site, "/junk.xml", id="junk"),
        ]
    )
    results = {r.source_id: r for r in watcher.crawl(NOW).results}
    assert results["ascii"].ok and results["ascii"].new == 3
    assert (
        "flux mal formé, lu en mode tolérant (encodage annoncé us-ascii, lu en utf-8)"
        in results["ascii"].warnings
    )
    assert results["tag"].ok and results["tag"].new >= 2
    assert (
        "flux mal formé, lu en mode tolérant (balise fermée dans le désordre)"
        in results["tag"].warnings
    )
    assert results["junk"].error == (
        "flux illisible : XML mal formé ou format inconnu (erreur de syntaxe) : ouvrez l'adresse "
        "dans un navigateur pour vérifier que c'est bien un flux RSS ou Atom"
    )
    for result in results.values():
        said = " ".join([result.error, *result.warnings])
        assert not any(
            word in said for word in ("declared", "parsed", "mismatched", "syntax error")
        )


HOSTILE_LINKS = [
    "http://127.0.0.1:99999/actu/port",
    "http://[::1/actu/crochet",
    "http://exa mple.org/actu/espace",
    "//127.0.0.1:0/actu/zero",
]


def test_links_that_are_no_addresses_are_left_out_and_the_rest_is_collected(
    watcher: Watcher, site: LocalSite
) -> None:
    """One link that is no address (a port over 65535, an unclosed « [ », a space in the site's
    name) on a listing, in a feed, a sitemap or a sitemap index failed the whole source with
    Scrapy's English (« erreur de lecture (ValueError: Invalid IPv6 URL) »), and a home page
    announcing its feed at such an address, or an index naming such a sitemap, left its source
    never done (« collecte interrompue avant la fin »). They are left out; the good article of
    each source is collected, and nothing else is asked."""
    write(
        site,
        "actu/bon-article-du-jour.html",
        ARTICLE.format(title="Démarchage : la DGCCRF rappelle"),
    )
    good = f"{site.base}/actu/bon-article-du-jour.html"
    anchors = "".join(
        f'<h2><a href="{href}">Titre de l’article numéro {n}</a></h2>'
        for n, href in enumerate([good, *HOSTILE_LINKS])
    )
    write(site, "liste.html", f"<html><body><main>{anchors}</main></body></html>")
    entries = [
        {"title": f"Entrée {n}", "link": link, "guid": f"e{n}"}
        for n, link in enumerate([good, *HOSTILE_LINKS])
    ]
    write(site, "flux.xml", rss(site.base, entries))
    write(
        site,
        "accueil.html",
        '<html><head><link rel="alternate" type="application/rss+xml" '
        'href="http://127.0.0.1:99999/flux.xml"></head><body>Accueil</body></html>',
    )
    urlset = '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    locs = "".join(f"<url><loc>{loc}</loc></url>" for loc in [good, *HOSTILE_LINKS])
    write(site, "sitemap.xml", f"{urlset}{locs}</urlset>")
    sitemaps = "".join(
        f"<sitemap><loc>{loc}</loc></sitemap>"
        for loc in ["http://127.0.0.1:99999/s.xml", "http://[::1/s.xml", f"{site.base}/sitemap.xml"]
    )
    write(
        site,
        "index.xml",
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{sitemaps}</sitemapindex>",
    )
    watcher.write(
        [
            {**feed_source(site, "/liste.html", id="liste"), "kind": "page", "follow": "h2 a"},
            {**feed_source(site, "/liste.html?sans-follow", id="detection"), "kind": "page"},
            feed_source(site, "/flux.xml", id="flux"),
            feed_source(site, "/accueil.html", id="accueil"),
            {**feed_source(site, "/sitemap.xml", id="plan"), "kind": "sitemap"},
            {**feed_source(site, "/index.xml", id="index"), "kind": "sitemap"},
        ]
    )
    results = {r.source_id: r for r in watcher.crawl(NOW).results}
    for source_id in ("liste", "detection", "flux", "plan", "index"):
        result = results[source_id]
        assert result.error == "" and result.new >= 1, result
    assert results["flux"].new == 1 + len(HOSTILE_LINKS)  # kept, each « entrée sans lien »
    assert sum("entrée sans lien" in w for w in results["flux"].warnings) == len(HOSTILE_LINKS)
    assert results["accueil"].error.startswith("une page HTML a été reçue au lieu d'un flux")
    assert "entrée de sitemap ignorée (adresse mal écrite) : http://[::1/s.xml" in (
        results["index"].warnings
    )
    assert {hit.path for hit in site.hits} == {
        "/robots.txt",
        "/liste.html",
        "/liste.html?sans-follow",
        "/flux.xml",
        "/accueil.html",
        "/sitemap.xml",
        "/index.xml",
        "/actu/bon-article-du-jour.html",
    }


def test_a_json_feed_s_fields_that_are_no_text_are_left_out_not_spelled_as_python(
    watcher: Watcher, site: LocalSite
) -> None:
    """A JSON Feed item whose url was a list, whose title or id an object, whose author's name a
    list: they were kept as their Python spelling, « ['http://x'] » becoming an address on the
    feed's own site (« http://127.0.0.1:…/['http:/x'] »), « {'t': 1} » the title."""
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": ["Flux"],
        "items": [
            {
                "id": {"a": 1},
                "url": ["http://x"],
                "title": {"t": 1},
                "content_text": "La DGCCRF rappelle les règles du démarchage téléphonique.",
                "date_published": [1],
                "authors": [{"name": ["Léa"]}],
            },
            {"id": "bon", "url": f"{site.base}/bon", "title": "Bon", "authors": [{"name": "Inès"}]},
        ],
    }
    site.routes["/flux.json"] = Route(
        body=json.dumps(feed).encode(), headers={"Content-Type": "application/feed+json"}
    )
    watcher.write([feed_source(site, "/flux.json", id="json")])
    [result] = watcher.crawl(NOW).results
    assert (result.error, result.new) == ("", 2), result
    store = watcher.store()
    try:
        stored = sorted((i.title, i.url, i.author) for i in store.list_items())
    finally:
        store.close()
    assert stored == [
        ("Bon", f"{site.base}/bon", "Inès"),
        ("La DGCCRF rappelle les règles du démarchage téléphonique.", "", ""),
    ]


def test_an_unexpected_status_or_a_json_feed_without_items_says_what_to_do(
    watcher: Watcher, site: LocalSite
) -> None:
    """« réponse HTTP inattendue (418) » and « JSON Feed sans liste items » named the problem
    but not what to do."""
    site.routes["/theiere.xml"] = Route(status=418, body=b"I'm a teapot")
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": {"a": 1}}
    site.routes["/sans-items.json"] = Route(
        body=json.dumps(feed).encode(), headers={"Content-Type": "application/feed+json"}
    )
    watcher.write(
        [
            feed_source(site, "/theiere.xml", id="theiere"),
            feed_source(site, "/sans-items.json", id="json"),
        ]
    )
    results = {r.source_id: r for r in watcher.crawl(NOW).results}
    assert results["theiere"].error == (
        "réponse HTTP inattendue (418) : ouvrez l'adresse dans un navigateur pour voir ce que "
        "le site répond"
    )
    assert results["json"].error == (
        "JSON Feed sans liste items : ce JSON ne donne aucune entrée ; vérifiez l'adresse du flux"
    )
