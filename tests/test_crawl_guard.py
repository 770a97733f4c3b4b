"""The address guard through real crawls: other schemes, private origins, metadata addresses
and the pinning of each name's addresses (watcher.collect.guard).

Every crawl of this module runs in a crawl worker started with tests/netfence on its
PYTHONPATH: a connection to any address outside 127.0.0.0/8 and ::1 fails at once, without
leaving the machine, and is logged; names under `.test` resolve as each test says. So no test
can reach another address, even against wrong code, and a test can tell which connections the
crawl tried and which names it looked up.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import Watcher, feed_source, rss, write
from watcher.collect.worker import shutdown_workers
from watcher.demo.server import LocalSite, Route

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
FENCE = Path(__file__).parent / "netfence"
CANARY = "CANARI-7f3a9c"  # in local files no crawl may read
REFUSED_ORIGIN = "n'est pas une origine permise"
REFUSED_ALWAYS = "refusée dans tous les cas"
REFUSED_SCHEME = "que les adresses http:// et https://"


class Net:
    """The fence's log and the fake DNS of the crawl processes (tests/netfence)."""

    def __init__(self, folder: Path) -> None:
        self.log = folder / "net.log"
        self.dns = folder / "dns.json"

    def reset(self, answers: dict[str, list[list[str]]] | None = None) -> None:
        """Forget what was logged; `.test` names answer `answers` from the next crawl on."""
        self.log.write_text("", encoding="utf-8")
        self.dns.write_text(json.dumps(answers or {}), encoding="utf-8")

    def events(self) -> list[dict[str, Any]]:
        lines = self.log.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def connections(self) -> list[str]:
        """Connections tried to addresses outside loopback (all refused by the fence)."""
        return [f"{e['connect']} port {e['port']}" for e in self.events() if "connect" in e]

    def lookups(self, name: str) -> list[list[str]]:
        return [e["answer"] for e in self.events() if e.get("lookup") == name]


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Net]:
    fenced = Net(tmp_path_factory.mktemp("net"))
    fenced.reset()
    patch = pytest.MonkeyPatch()
    path = [str(FENCE), *filter(None, [os.environ.get("PYTHONPATH")])]
    patch.setenv("PYTHONPATH", os.pathsep.join(path))
    patch.setenv("WATCHER_TEST_NET_LOG", str(fenced.log))
    patch.setenv("WATCHER_TEST_DNS", str(fenced.dns))
    shutdown_workers()  # the next crawl starts a worker of its own, with the fence
    yield fenced
    shutdown_workers()  # and no later test gets it
    patch.undo()


@pytest.fixture(autouse=True)
def fenced(net: Net) -> Net:
    net.reset()
    return net


@pytest.fixture
def other(tmp_path: Path) -> Iterator[LocalSite]:
    """A second site on 127.0.0.1, on another port: another origin that nothing allows."""
    root = tmp_path / "other"
    root.mkdir()
    with LocalSite(root) as server:
        yield server


def items_of(watcher: Watcher) -> list[Any]:
    store = watcher.store()
    try:
        return store.list_items()
    finally:
        store.close()


def stored_text(watcher: Watcher) -> str:
    return " ".join(f"{i.title} {i.url} {i.text}" for i in items_of(watcher))


def one_item_feed(base: str, title: str) -> bytes:
    return rss(base, [{"title": title, "link": f"{base}/article", "guid": title}])


def page_source(site: LocalSite, path: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": "liste",
        "kind": "page",
        "url": site.base + path,
        "follow": "h2 a::attr(href)",
        "axis": "concurrence",
        "every": "1h",
        "allow_private": True,
        **extra,
    }


def sitemap_source(site: LocalSite, path: str) -> dict[str, Any]:
    return {
        "id": "plan",
        "kind": "sitemap",
        "url": site.base + path,
        "since": "30d",
        "axis": "concurrence",
        "every": "1d",
        "allow_private": True,
    }


def urlset(*urls: str) -> str:
    entries = "".join(
        f"<url><loc>{u}</loc><lastmod>2026-11-26T08:00:00+01:00</lastmod></url>" for u in urls
    )
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'


def sitemap_index(*urls: str) -> str:
    entries = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in urls)
    return f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'


ARTICLE = (
    '<html lang="fr"><head><title>{title}</title></head><body><main><article><h1>{title}</h1>'
    "<p>La société Alpha Télécom annonce une refonte de son service client : les réclamations "
    "seront traitées en moins de 48 heures, selon les engagements pris devant le médiateur.</p>"
    "</article></main></body></html>"
)


# --- hole 1: nothing but http and https reaches the downloader -----------------------------


def test_a_feed_discovered_at_a_file_address_is_never_read(
    watcher: Watcher, site: LocalSite, tmp_path: Path
) -> None:
    canary = tmp_path / "canary.xml"
    canary.write_bytes(one_item_feed(site.base, CANARY))
    write(
        site,
        "index.html",
        '<html><head><link rel="alternate" type="application/rss+xml" '
        f'href="{canary.as_uri()}"></head><body>Accueil</body></html>',
    )
    watcher.write([feed_source(site, "/", id="accueil")])
    [result] = watcher.crawl(NOW).results
    assert CANARY not in stored_text(watcher)
    assert "page HTML" in result.error  # no usable feed announced: the page is no feed


def test_a_sitemap_index_entry_at_a_file_address_is_never_read(
    watcher: Watcher, site: LocalSite, tmp_path: Path
) -> None:
    # the local file is a sitemap: read, it would send the crawl to an article of the site
    canary = tmp_path / "canary-sitemap.xml"
    canary.write_text(urlset(f"{site.base}/lu-dans-un-fichier.html"), encoding="utf-8")
    write(site, "lu-dans-un-fichier.html", ARTICLE.format(title=CANARY))
    write(site, "sitemap_index.xml", sitemap_index(canary.as_uri()))
    watcher.write([sitemap_source(site, "/sitemap_index.xml")])
    [result] = watcher.crawl(NOW).results
    assert site.hits_for("/lu-dans-un-fichier.html") == []
    assert CANARY not in stored_text(watcher)
    assert any("ni http ni https" in w and canary.as_uri() in w for w in result.warnings)


def test_a_url_of_another_scheme_that_reaches_the_crawl_is_refused_by_the_guard(
    watcher: Watcher, site: LocalSite, tmp_path: Path
) -> None:
    # A file: URL in the frontier (as if it had come through some filter): the guard, and
    # Scrapy without any handler for file:, never read it.
    canary = tmp_path / "canary.html"
    canary.write_text(ARTICLE.format(title=CANARY), encoding="utf-8")
    write(site, "liste.html", "<html><body><p>Aucun article</p></body></html>")
    watcher.write([page_source(site, "/liste.html")])
    store = watcher.store()
    try:
        store.add_to_frontier("liste", [canary.as_uri()], NOW)
    finally:
        store.close()
    [result] = watcher.crawl(NOW).results
    assert CANARY not in stored_text(watcher)
    assert any(REFUSED_SCHEME in w and canary.as_uri() in w for w in result.warnings)


def test_a_redirect_to_a_file_address_is_not_followed(
    watcher: Watcher, site: LocalSite, tmp_path: Path
) -> None:
    # Scrapy's RedirectMiddleware drops it already; the guard would refuse it too
    canary = tmp_path / "canary.xml"
    canary.write_bytes(one_item_feed(site.base, CANARY))
    site.routes["/flux.xml"] = Route(status=302, headers={"Location": canary.as_uri()})
    site.routes["/gopher.xml"] = Route(status=307, headers={"Location": "gopher://x.test/_"})
    site.routes["/nowhere.xml"] = Route(status=301)
    watcher.write(
        [
            feed_source(site, "/flux.xml", id="flux"),
            feed_source(site, "/gopher.xml", id="gopher"),
            feed_source(site, "/nowhere.xml", id="nowhere"),
        ]
    )
    results = {r.source_id: r for r in watcher.crawl(NOW).results}
    assert CANARY not in stored_text(watcher)
    # said as such (it was « réponse HTTP inattendue (302) »)
    assert results["flux"].error == (
        f"redirection (302) refusée : Watcher ne collecte que les adresses http:// et https:// "
        f"({canary.as_uri()})"
    )
    assert (
        REFUSED_SCHEME in results["gopher"].error and "gopher://x.test/_" in results["gopher"].error
    )
    assert results["nowhere"].error.startswith("redirection (301) sans adresse de destination")


# --- hole 2: allow_private opens the source's own origin, nothing else ---------------------


def test_a_redirect_to_another_private_origin_is_refused(
    watcher: Watcher, site: LocalSite, other: LocalSite
) -> None:
    site.routes["/flux.xml"] = Route(status=302, headers={"Location": other.base + "/flux.xml"})
    write(other, "flux.xml", one_item_feed(other.base, "Piège"))
    watcher.write([feed_source(site, "/flux.xml", id="flux")])
    [result] = watcher.crawl(NOW).results
    assert REFUSED_ORIGIN in result.error and other.base in result.error
    assert site.base in result.error  # the origin the source may reach
    assert other.hits == []  # not even its robots.txt
    assert items_of(watcher) == []


def test_a_feed_discovered_at_another_private_origin_is_refused(
    watcher: Watcher, site: LocalSite, other: LocalSite
) -> None:
    write(other, "flux.xml", one_item_feed(other.base, "Piège"))
    write(
        site,
        "index.html",
        '<html><head><link rel="alternate" type="application/rss+xml" '
        f'href="{other.base}/flux.xml"></head><body>Accueil</body></html>',
    )
    watcher.write([feed_source(site, "/", id="accueil")])
    [result] = watcher.crawl(NOW).results
    assert REFUSED_ORIGIN in result.error
    assert other.hits == []
    assert items_of(watcher) == []


def test_followed_links_and_next_pages_at_another_private_origin_are_refused(
    watcher: Watcher, site: LocalSite, other: LocalSite
) -> None:
    write(
        site,
        "liste.html",
        '<html><body><h2><a href="/actu/1.html">Un</a></h2>'
        f'<h2><a href="{other.base}/actu/2.html">Deux</a></h2>'
        f'<a class="suivant" href="{other.base}/liste2.html">Suivant</a></body></html>',
    )
    write(site, "actu/1.html", ARTICLE.format(title="Article du site"))
    write(other, "actu/2.html", ARTICLE.format(title="Piège"))
    write(
        other, "liste2.html", '<html><body><h2><a href="/actu/2.html">Deux</a></h2></body></html>'
    )
    watcher.write([page_source(site, "/liste.html", next="a.suivant::attr(href)", depth=2)])
    [result] = watcher.crawl(NOW).results
    assert [i.title for i in items_of(watcher)] == ["Article du site"]
    assert any(REFUSED_ORIGIN in w and f"{other.base}/actu/2.html" in w for w in result.warnings)
    assert REFUSED_ORIGIN in result.error  # the next page is refused
    assert other.hits == []


def test_sitemap_entries_at_another_private_origin_are_refused(
    watcher: Watcher, site: LocalSite, other: LocalSite
) -> None:
    write(site, "sitemap_index.xml", sitemap_index(f"{site.base}/sm.xml", f"{other.base}/sm.xml"))
    write(site, "sm.xml", urlset(f"{site.base}/actu/1.html", f"{other.base}/actu/2.html"))
    write(site, "actu/1.html", ARTICLE.format(title="Article du site"))
    write(other, "sm.xml", urlset(f"{other.base}/actu/3.html"))
    write(other, "actu/2.html", ARTICLE.format(title="Piège"))
    watcher.write([sitemap_source(site, "/sitemap_index.xml")])
    [result] = watcher.crawl(NOW).results
    assert [i.title for i in items_of(watcher)] == ["Article du site"]
    assert REFUSED_ORIGIN in result.error  # the second sitemap
    assert any(REFUSED_ORIGIN in w for w in result.warnings)  # the article
    assert other.hits == []


def test_private_origins_lists_the_other_origins_a_source_may_reach(
    watcher: Watcher, site: LocalSite, other: LocalSite, tmp_path: Path
) -> None:
    third = tmp_path / "third"
    third.mkdir()
    with LocalSite(third) as elsewhere:
        site.routes["/flux.xml"] = Route(status=302, headers={"Location": other.base + "/a.xml"})
        write(other, "a.xml", one_item_feed(other.base, "Flux de l'autre origine"))
        other.routes["/b.xml"] = Route(status=302, headers={"Location": elsewhere.base + "/b"})
        watcher.write(
            [
                feed_source(site, "/flux.xml", id="flux", private_origins=[other.base]),
                feed_source(other, "/b.xml", id="plus-loin", private_origins=[site.base]),
            ]
        )
        results = {r.source_id: r for r in watcher.crawl(NOW).results}
        assert results["flux"].ok and results["flux"].new == 1
        assert [i.title for i in items_of(watcher)] == ["Flux de l'autre origine"]
        assert REFUSED_ORIGIN in results["plus-loin"].error  # listed for another source only
        assert elsewhere.hits == []


# --- link-local and metadata addresses: refused always ----------------------------------------


METADATA_TARGETS = [
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/latest/meta-data/",
    "http://[2002:a9fe:a9fe::]/latest/meta-data/",
    "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
    "http://metadata.test/computeMetadata/v1/",  # a name that resolves to 169.254.169.254
]


@pytest.mark.parametrize("target", METADATA_TARGETS)
def test_a_redirect_to_a_metadata_address_is_refused_before_any_connection(
    watcher: Watcher, site: LocalSite, fenced: Net, target: str
) -> None:
    fenced.reset({"metadata.test": [["169.254.169.254"]]})
    site.routes["/flux.xml"] = Route(status=302, headers={"Location": target})
    watcher.write([feed_source(site, "/flux.xml", id="flux")])
    [result] = watcher.crawl(NOW).results
    assert REFUSED_ALWAYS in result.error
    assert fenced.connections() == []


def test_a_metadata_address_is_refused_even_when_listed_in_private_origins(
    watcher: Watcher, site: LocalSite, fenced: Net
) -> None:
    target = "http://169.254.169.254/latest/meta-data/"
    site.routes["/flux.xml"] = Route(status=302, headers={"Location": target})
    watcher.write(
        [feed_source(site, "/flux.xml", id="flux", private_origins=["http://169.254.169.254"])]
    )
    [result] = watcher.crawl(NOW).results
    assert REFUSED_ALWAYS in result.error
    assert fenced.connections() == []


# --- each name looked up once; connections go to the checked addresses -------------------------


@pytest.fixture
def twins(tmp_path: Path) -> Iterator[tuple[LocalSite, LocalSite, int]]:
    """A site on 127.0.0.1 and one on 127.0.0.2, on the same port: what one name would reach
    if it resolved to either address. (first, second, port)"""
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
    for _ in range(20):
        second = LocalSite(tmp_path / "second", host="127.0.0.2").start()
        port = int(second.base.rsplit(":", 1)[1])
        first = LocalSite(tmp_path / "first", port=port).start()
        if first.base.endswith(f":{port}"):
            break
        first.stop()
        second.stop()
    else:
        raise AssertionError("no port free on both 127.0.0.1 and 127.0.0.2")
    yield first, second, port
    first.stop()
    second.stop()


def test_a_name_that_changes_its_answer_after_the_check_is_never_followed(
    watcher: Watcher, fenced: Net, twins: tuple[LocalSite, LocalSite, int]
) -> None:
    # DNS rebinding: the guard is told a public address, the connection would be told a
    # private one. The crawl must connect where the guard checked (the fence refuses it).
    _, trap, port = twins
    write(trap, "flux.xml", one_item_feed(trap.base, "Piège"))
    fenced.reset({"rebind.test": [["93.184.216.34"], ["127.0.0.2"]]})
    source = {"id": "flux", "kind": "feed", "url": f"http://rebind.test:{port}/flux.xml"}
    watcher.write([{**source, "axis": "concurrence", "every": "1h"}])
    [result] = watcher.crawl(NOW).results
    assert not result.ok
    assert fenced.lookups("rebind.test") == [["93.184.216.34"]]  # once per crawl
    assert set(fenced.connections()) == {f"93.184.216.34 port {port}"}
    assert trap.hits == []
    assert items_of(watcher) == []


def test_an_allowed_name_is_looked_up_once_and_connected_where_it_was_checked(
    watcher: Watcher, fenced: Net, twins: tuple[LocalSite, LocalSite, int]
) -> None:
    checked, trap, port = twins
    base = f"http://pinned.test:{port}"
    write(checked, "flux.xml", one_item_feed(base, "Le bon flux"))
    write(trap, "flux.xml", one_item_feed(base, "Piège"))
    fenced.reset({"pinned.test": [["127.0.0.1"], ["127.0.0.2"]]})
    source = {"id": "flux", "kind": "feed", "url": f"{base}/flux.xml", "allow_private": True}
    watcher.write([{**source, "axis": "concurrence", "every": "1h"}])
    [result] = watcher.crawl(NOW).results
    assert result.ok and result.new == 1
    assert [i.title for i in items_of(watcher)] == ["Le bon flux"]
    assert fenced.lookups("pinned.test") == [["127.0.0.1"]]
    assert {h.path for h in checked.hits} == {"/robots.txt", "/flux.xml"}
    assert trap.hits == []
    assert fenced.connections() == []


def test_a_proxy_set_in_the_environment_is_still_used(
    watcher: Watcher, site: LocalSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The proxy's name is not one the guard checks (whoever runs Watcher chose it): the
    # resolver looks it up as usual. `site` plays the proxy: it serves the path it is asked.
    write(site, "flux.xml", one_item_feed(site.base, "Par le proxy"))
    port = int(site.base.rsplit(":", 1)[1])
    monkeypatch.setenv("http_proxy", f"http://localhost:{port}")
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    shutdown_workers()  # a crawl worker with the proxy in its environment
    try:
        source = feed_source(site, "/flux.xml", id="flux")
        watcher.write([{**source, "url": "http://127.0.0.1:9/flux.xml"}])  # nothing listens
        [result] = watcher.crawl(NOW).results
    finally:
        shutdown_workers()
    assert result.ok, result.error
    assert [i.title for i in items_of(watcher)] == ["Par le proxy"]
    assert [h.path for h in site.hits if h.path.endswith("/flux.xml")] == [
        "http://127.0.0.1:9/flux.xml"
    ]
