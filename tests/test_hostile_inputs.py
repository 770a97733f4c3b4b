"""Hostile input met during a real crawl (servers on 127.0.0.1, the real spiders and store):
what the crawl tests of `test_crawl.py` and `test_crawl_guard.py` do not cover. Each input is
reported in French for its source, and the sources beside it are collected."""

from __future__ import annotations

from datetime import UTC, datetime

from conftest import Watcher, feed_source, rss, write
from watcher.demo.server import LocalSite

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
