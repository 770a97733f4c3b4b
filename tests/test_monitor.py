"""Watched pages (`kind: monitor`): versions, word diffs, changes as items, prices — crawled from
a real HTTP server on 127.0.0.1 through the real crawl use case."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from conftest import Watcher, crawl_processes, wait_for, write
from watcher.changes import Price, Segment, price_change, word_diff
from watcher.config import ConfigError, parse_watch
from watcher.demo.server import LocalSite, Route
from watcher.store.pages import PageStore

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Paris")


def offer_page(price: str, terms: str, *, updated: str = "il y a 3 heures") -> str:
    return f"""<!doctype html><html lang="fr"><head><title>Forfait Fibre — Rival</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "Product",
 "name": "Forfait Fibre", "offers": {{"@type": "Offer", "price": "{price}",
 "priceCurrency": "EUR"}}}}</script></head>
<body><nav>Accueil · Offres · Contact</nav>
<main id="offre"><h1>Forfait Fibre</h1>
<p class="conditions">{terms}</p>
<p class="maj">Mis à jour {updated}</p></main>
<footer>© Rival 2026</footer></body></html>"""


def monitor_source(site: LocalSite, path: str = "/offre.html", **extra: Any) -> dict[str, Any]:
    return {
        "id": extra.pop("id", "rival"),
        "name": extra.pop("name", "Offre fibre Rival"),
        "kind": "monitor",
        "url": site.base + path,
        "axis": "concurrence",
        "every": "1h",
        "allow_private": True,
        **extra,
    }


def versions(watcher: Watcher, source_id: str = "rival") -> list[Any]:
    return PageStore(watcher.store()).page_versions(source_id)


def changes(watcher: Watcher) -> list[Any]:
    return [item for item in watcher.store().list_items() if item.kind == "change"]


def test_a_change_between_two_crawls_gives_one_change_item_with_its_diff(
    watcher: Watcher, site: LocalSite
) -> None:
    write(site, "offre.html", offer_page("49.90", "Sans engagement. Box incluse."))
    watcher.write([monitor_source(site, select="#offre .conditions")])
    first = watcher.crawl(NOW)
    assert first.results[0].ok and first.results[0].new == 0
    assert [v.number for v in versions(watcher)] == [1]
    assert changes(watcher) == []  # a first version is no change

    write(site, "offre.html", offer_page("49.90", "Engagement 12 mois. Box incluse."))
    second = watcher.crawl(NOW + timedelta(hours=2))
    assert second.results[0].new == 1

    found = versions(watcher)
    assert [v.text for v in found] == [
        "Sans engagement. Box incluse.",
        "Engagement 12 mois. Box incluse.",
    ]
    [change] = changes(watcher)
    assert found[1].item_id == change.id and found[0].item_id is None
    assert change.title == "Modification : Offre fibre Rival"
    assert change.summary == "Ajouté : « Engagement 12 mois. »\nRetiré : « Sans engagement. »"
    assert change.text == "Engagement 12 mois."
    assert change.url == site.base + "/offre.html"
    assert change.groups == ("g1", "g2")
    assert word_diff(found[0].text, found[1].text) == [
        Segment("-", "Sans engagement."),
        Segment("+", "Engagement 12 mois."),
        Segment("=", "Box incluse."),
    ]

    # nothing changed since: a third crawl stores nothing
    watcher.crawl(NOW + timedelta(hours=4))
    assert len(versions(watcher)) == 2 and len(changes(watcher)) == 1


def test_an_ignored_difference_is_no_change(watcher: Watcher, site: LocalSite) -> None:
    write(site, "offre.html", offer_page("49.90", "Sans engagement.", updated="il y a 3 heures"))
    watcher.write(
        [monitor_source(site, select="#offre", ignore=[r"il y a \d+ heures?", "Mis à jour"])]
    )
    watcher.crawl(NOW)
    write(site, "offre.html", offer_page("49.90", "Sans engagement.", updated="il y a 5 heures"))
    watcher.crawl(NOW + timedelta(hours=2))
    [only] = versions(watcher)
    assert only.text == "Forfait Fibre\nSans engagement."
    assert changes(watcher) == []


def test_without_ignore_the_same_difference_is_a_change(watcher: Watcher, site: LocalSite) -> None:
    write(site, "offre.html", offer_page("49.90", "Sans engagement.", updated="il y a 3 heures"))
    watcher.write([monitor_source(site, select="#offre")])
    watcher.crawl(NOW)
    write(site, "offre.html", offer_page("49.90", "Sans engagement.", updated="il y a 5 heures"))
    watcher.crawl(NOW + timedelta(hours=2))
    assert len(versions(watcher)) == 2
    [change] = changes(watcher)
    assert change.summary == "Ajouté : « 5 »\nRetiré : « 3 »"


def test_a_trigger_reports_a_change_only_when_its_text_appears_or_disappears(
    watcher: Watcher, site: LocalSite
) -> None:
    write(site, "offre.html", offer_page("49.90", "Sans engagement. Box incluse."))
    watcher.write([monitor_source(site, select=".conditions", trigger=r"frais de résiliation")])
    watcher.crawl(NOW)
    # a change that does not touch the trigger: a version, no change item
    write(site, "offre.html", offer_page("49.90", "Sans engagement. Box et décodeur inclus."))
    watcher.crawl(NOW + timedelta(hours=1))
    assert len(versions(watcher)) == 2 and changes(watcher) == []
    # the trigger's text appears: a change
    write(site, "offre.html", offer_page("49.90", "Frais de résiliation : 50 €. Box incluse."))
    watcher.crawl(NOW + timedelta(hours=2))
    [change] = changes(watcher)
    assert "Frais de résiliation" in change.summary
    assert versions(watcher)[2].item_id == change.id
    # …and disappears: another change
    write(site, "offre.html", offer_page("49.90", "Sans frais. Box incluse."))
    watcher.crawl(NOW + timedelta(hours=3))
    assert len(changes(watcher)) == 2


def test_json_ld_price_change_reads_as_a_percentage(watcher: Watcher, site: LocalSite) -> None:
    write(site, "offre.html", offer_page("49.90", "Sans engagement."))
    watcher.write([monitor_source(site, select=".conditions")])
    watcher.crawl(NOW)
    write(site, "offre.html", offer_page("44.90", "Sans engagement."))
    watcher.crawl(NOW + timedelta(hours=1))
    found = versions(watcher)
    assert [v.price for v in found] == [
        Price(Decimal("49.90"), "EUR"),
        Price(Decimal("44.90"), "EUR"),
    ]
    [change] = changes(watcher)
    assert change.summary == "Prix : 49,90 € → 44,90 € (−10 %)"


MICRODATA = """<html><body><div itemscope itemtype="https://schema.org/Product">
<h1 itemprop="name">Abonnement Sérénité</h1>
<div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
<meta itemprop="priceCurrency" content="EUR">
<span itemprop="price" content="{price}">{price} €</span>
</div></div></body></html>"""

RDFA = """<html><body><div vocab="https://schema.org/" typeof="Product">
<h1 property="name">Abonnement Sérénité</h1><div property="offers" typeof="Offer">
<span property="price" content="{price}">{price}</span><meta property="priceCurrency" content="EUR">
</div></div></body></html>"""

SELECTOR = """<html><body><h1>Nos tarifs</h1><table><tr><td>Forfait 100 Go</td>
<td class="tarif">{price} €/mois</td></tr></table></body></html>"""


@pytest.mark.parametrize(
    ("page", "extra"),
    [(MICRODATA, {}), (RDFA, {}), (SELECTOR, {"price": "td.tarif"})],
    ids=["microdata", "rdfa", "selector"],
)
def test_the_price_is_read_from_microdata_rdfa_or_a_selector(
    watcher: Watcher, site: LocalSite, page: str, extra: dict[str, str]
) -> None:
    write(site, "tarifs.html", page.format(price="19,99" if extra else "19.99"))
    watcher.write([monitor_source(site, "/tarifs.html", **extra)])
    watcher.crawl(NOW)
    write(site, "tarifs.html", page.format(price="24,99" if extra else "24.99"))
    watcher.crawl(NOW + timedelta(hours=1))
    per = "mois" if extra else ""  # the selector's cell reads « 19,99 €/mois »
    assert [v.price for v in versions(watcher)] == [
        Price(Decimal("19.99"), "EUR", per),
        Price(Decimal("24.99"), "EUR", per),
    ]
    [change] = changes(watcher)
    unit = "/mois" if extra else ""
    assert change.summary.startswith(f"Prix : 19,99 €{unit} → 24,99 €{unit} (+25 %)")


def test_a_304_or_an_identical_page_stores_nothing(watcher: Watcher, site: LocalSite) -> None:
    body = offer_page("49.90", "Sans engagement.").encode()
    site.routes["/etag.html"] = Route(
        body=body, headers={"Content-Type": "text/html; charset=utf-8"}, conditional=True
    )
    site.routes["/plain.html"] = Route(body=body, headers={"Content-Type": "text/html"})
    watcher.write(
        [
            monitor_source(site, "/etag.html", id="etag"),
            monitor_source(site, "/plain.html", id="plain"),
        ]
    )
    watcher.crawl(NOW)
    second = {r.source_id: r for r in watcher.crawl(NOW + timedelta(hours=1)).results}
    assert second["etag"].not_modified and not second["plain"].not_modified
    assert "If-None-Match" in site.hits_for("/etag.html")[-1].headers
    assert site.hits_for("/etag.html")[-1].status == 304
    assert [len(versions(watcher, s)) for s in ("etag", "plain")] == [1, 1]
    assert changes(watcher) == []


def test_word_diff_and_price_change_are_pure() -> None:
    assert word_diff("a b c\nd", "a x c\nd e") == [
        Segment("=", "a"),
        Segment("-", "b"),
        Segment("+", "x"),
        Segment("=", "c\nd"),
        Segment("+", "e"),
    ]
    before, after = Price(Decimal("49.90"), "EUR"), Price(Decimal("44.90"), "EUR")
    assert price_change(before, after) == "49,90 € → 44,90 € (−10 %)"
    assert price_change(before, before) == ""
    assert price_change(Price(Decimal("1299"), "EUR"), after) == "1\u202f299,00 € → 44,90 € (−97 %)"


def config_issues(source: dict[str, Any]) -> list[str]:
    import yaml

    text = yaml.safe_dump(
        {
            "watch": {"name": "Veille"},
            "axes": [{"id": "concurrence", "label": "Concurrence"}],
            "sources": [{"id": "rival", "url": "https://rival.example/offre", **source}],
        },
        allow_unicode=True,
    )
    with pytest.raises(ConfigError) as caught:
        parse_watch(text, Path("sources.yml"))
    return [str(issue) for issue in caught.value.issues]


def test_check_names_each_bad_key_of_a_watched_page() -> None:
    found = config_issues(
        {
            "kind": "monitor",
            "select": "div[",
            "ignore": ["il y a (\\d+ heures", "ok"],
            "trigger": ".*",
            "follow": "a::attr(href)",
        }
    )
    assert any(line.startswith("sources[0].select: sélecteur invalide") for line in found)
    assert any(
        line.startswith(
            "sources[0].ignore[0]: expression régulière invalide (parenthèse ouverte jamais "
            "fermée, position 7) : "
        )
        for line in found
    )
    assert any(
        line.startswith("sources[0].trigger: ce motif trouve aussi un texte vide") for line in found
    )
    assert any(
        line.startswith(
            "sources[0].follow: clé réservée aux sources de type page (cette source est monitor)"
        )
        for line in found
    )
    assert len(found) == 4, found
    feed = config_issues({"kind": "feed", "select": "main", "trigger": "prix", "render": "browser"})
    assert feed == [
        "sources[0].select: clé réservée aux sources de type monitor (cette source est feed)",
        "sources[0].render: clé réservée aux sources de type monitor (cette source est feed)",
        "sources[0].trigger: clé réservée aux sources de type monitor (cette source est feed)",
    ]


def _count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _stored(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "select v.source_id, v.number, v.text, v.content_hash, v.price, v.currency, "
            "i.title, i.summary from page_versions v left join items i on i.id = v.item_id "
            "order by v.source_id, v.number"
        ).fetchall()


PAGES = 16


def test_kill_9_during_a_watch_crawl_then_a_rerun_gives_the_same_versions(
    tmp_path: Path, site: LocalSite
) -> None:
    def serve(version: int) -> None:
        for n in range(PAGES):
            price = f"{40 + n}.90" if version == 1 else f"{30 + n}.90"
            terms = "Sans engagement." if version == 1 else f"Engagement {n + 1} mois."
            site.routes[f"/offres/{n}.html"] = Route(
                body=offer_page(price, terms).encode(),
                headers={"Content-Type": "text/html; charset=utf-8"},
                delay=0.15,  # slow pages: the crawl is killed half-way through them
                conditional=True,
            )

    watches = {name: Watcher(tmp_path / name) for name in ("killed", "clean")}
    for watch in watches.values():
        watch.root.mkdir()
        watch.write(
            [
                monitor_source(
                    site,
                    f"/offres/{n}.html",
                    id=f"offre-{n}",
                    name=f"Offre {n}",
                    select="#offre .conditions",
                )
                for n in range(PAGES)
            ],
            crawler={"per_domain": 1},
        )
    serve(1)
    for watch in watches.values():
        watch.crawl(NOW)
    serve(2)
    watches["clean"].crawl(NOW + timedelta(hours=1))

    killed = watches["killed"]
    db = killed.workspace.db
    command = [sys.executable, "-m", "watcher.cli.main", "--config", str(killed.workspace.config)]
    crawl = subprocess.Popen(
        [*command, "crawl", "--all"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_for(
        lambda: (
            _count(db, "select count(*) from page_versions where number = 2") >= 2
            or crawl.poll() is not None
        ),
        "the second versions",
    )
    assert crawl.poll() is None, "the crawl ended before it could be killed"
    os.kill(crawl.pid, signal.SIGKILL)
    crawl.wait()
    wait_for(lambda: not crawl_processes(crawl.pid), "the crawl to die with its parent")
    assert _count(db, "select count(*) from page_versions where number = 2") < PAGES
    again = subprocess.run([*command, "crawl", "--all"], capture_output=True, text=True)
    assert again.returncode == 0, again.stdout + again.stderr

    assert _stored(db) == _stored(watches["clean"].workspace.db)
    assert _count(db, "select count(*) from page_versions") == 2 * PAGES
    assert _count(db, "select count(*) from items where kind = 'change'") == PAGES
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"


@contextmanager
def _learner_client(watcher: Watcher, now: datetime, groups: set[str]) -> Iterator[Any]:
    """The web app on ``watcher``'s workspace at ``now``, and a test client signed in as Léa,
    a learner of g1 who also sees ``groups``."""
    from watcher.store.users import Users
    from watcher.web import create_app

    store = watcher.store()
    Users(store).add("lea@example.org", "Léa", "learner", "correct horse battery", now=NOW,
                     group_id="g1", groups=groups)  # fmt: skip
    user = Users(store).by_email("lea@example.org")
    assert user is not None
    store.close()
    app = create_app(watcher.workspace, now=lambda: now, testing=True)
    try:
        client = app.test_client()
        with client.session_transaction() as session:
            session["uid"], session["sv"] = user.id, user.session_version
        yield client
    finally:
        app.extensions["watcher"].close()


def test_a_change_is_processed_searchable_and_in_the_digest(
    watcher: Watcher, site: LocalSite
) -> None:
    from conftest import rss
    from watcher.config import load_watch
    from watcher.jobs import open_workspace
    from watcher.jobs.collect import process
    from watcher.jobs.digest import digest_of
    from watcher.jobs.search import search
    from watcher.report.digest import IsoWeek
    from watcher.report.render import render_digest

    feed = rss(
        site.base,
        [
            {
                "title": "Rival change ses conditions",
                "link": site.base + "/a",
                "description": "Le service client de Rival change.",
            }
        ],
    )
    write(site, "flux.xml", feed)
    write(site, "offre.html", offer_page("49.90", "Sans engagement. Box incluse."))
    watcher.write(
        [
            monitor_source(site, select="#offre .conditions"),
            {
                "id": "presse",
                "kind": "feed",
                "url": site.base + "/flux.xml",
                "axis": "concurrence",
                "every": "1h",
                "allow_private": True,
            },
        ]
    )
    watcher.crawl(NOW)
    write(
        site,
        "offre.html",
        offer_page(
            "44.90",
            "Engagement 12 mois, frais de résiliation selon l'article L. 224-39 du code de "
            "la consommation. Box incluse.",
        ),
    )
    watcher.crawl(NOW + timedelta(hours=2))
    watch = load_watch(watcher.workspace.config)
    later = NOW + timedelta(hours=3)
    with open_workspace(watcher.workspace) as w:
        process(w, watch, later)
        [change] = [i for i in w.store.list_items() if i.kind == "change"]
        [view] = w.store.views([change.id])
        assert [r.label for r in view.refs] == ["Code de la consommation, art. L. 224-39"]

        found = search(w, "kind:change", groups=None, now=later)
        assert [h.item_id for h in found.results.hits] == [change.id]
        articles = search(w, "kind:article", groups=None, now=later)
        assert change.id not in [h.item_id for h in articles.results.hits]
        assert articles.results.total == 1
        assert search(w, "Rival kind:change", groups=["g1"], now=later).results.total == 1

        digest = digest_of(w.store, watch, "g1", IsoWeek.of(later, ZONE), later)
    assert [c.item_id for c in digest.changes] == [change.id]
    assert change.id in digest.shown_ids
    # the legal texts its added text cites are the week's texts too
    assert [(t.label, [c.item_id for c in t.cited_in]) for t in digest.legal] == [
        ("Code de la consommation, art. L. 224-39", [change.id])
    ]
    assert change.id not in [i.item_id for i in digest.items]
    rendered = render_digest(digest)
    assert "Changements détectés" in rendered.html
    assert rendered.subject.endswith("— pages surveillées modifiées")
    assert "<del" in rendered.html and "[−&nbsp;Sans engagement.]</del>" in rendered.html
    assert "<ins" in rendered.html and "[+&nbsp;Engagement 12 mois, frais de" in rendered.html
    assert "49,90 € → 44,90 € (−10 %)" in rendered.html
    assert "== CHANGEMENTS DÉTECTÉS ==" in rendered.text
    assert "À la une" not in rendered.html and "À LA UNE" not in rendered.text  # no article
    assert "Prix : 49,90 € → 44,90 € (−10 %)" in rendered.text
    flat = " ".join(rendered.text.split())
    assert "[− Sans engagement.] [+ Engagement 12 mois, frais de résiliation" in flat
    # the sources: a watched page brings changes, not articles
    rival = "- Offre fibre Rival [secondaire] : page surveillée, 1 changement détecté, en service"
    assert rival in flat
    assert "- presse [secondaire] : 1 article collecté, en service" in flat
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", rendered.html)
    assert "1 changement (page surveillée)" in cells and "1 article" in cells


def test_the_page_of_a_change_shows_its_diff_and_the_versions(
    watcher: Watcher, site: LocalSite
) -> None:
    watcher.write([monitor_source(site, select=".conditions")])
    for hours, terms in enumerate(
        ["Sans engagement.", "Engagement 12 mois.", "Engagement 24 mois."]
    ):
        write(site, "offre.html", offer_page("49.90" if hours < 2 else "39.90", terms))
        watcher.crawl(NOW + timedelta(hours=hours))
    from watcher.config import load_watch
    from watcher.jobs import open_workspace
    from watcher.jobs.collect import process

    with open_workspace(watcher.workspace) as w:  # searchable
        process(w, load_watch(watcher.workspace.config), NOW + timedelta(hours=3))
    first, last = sorted(changes(watcher), key=lambda item: item.id)
    with _learner_client(watcher, NOW + timedelta(hours=3), groups={"g1", "g2"}) as client:
        listed = client.get("/g/g1/search?q=kind:change").get_data(as_text=True)
        assert listed.count("page surveillée, modification détectée le") == 2, listed
        html = client.get(f"/g/g1/items/{last.id}").get_data(as_text=True)
        assert "Ce qui a changé" in html
        # a change is not an article: it was detected, never published
        assert f"modification n° {last.id}" in html and "article n°" not in html
        assert "page surveillée, modification détectée le 01/12/2026 11:00" in html
        assert "date de publication inconnue" not in html and "collecté le" not in html
        assert "Voir la page surveillée sur le site" in html and "Lire l'article" not in html
        assert "<del>12</del> <ins>24</ins>" in html  # inline
        assert "Côte à côte" in html and '<td class="diff">Engagement <del>12</del>' in html
        assert "49,90 € → 39,90 € (−20 %)" in html
        assert html.count("<tr><td>") >= 3 and "Sans engagement." in html  # every version
        assert "Comparer deux versions" in html
        assert '<img class="chart" src="data:image/png;base64,' in html  # the price history
        # compare version 1 with version 3
        compared = client.get(f"/g/g1/items/{last.id}?de=3&a=1").get_data(as_text=True)
        assert "<del>Sans engagement.</del>" in compared
        assert "<ins>Engagement 24 mois.</ins>" in compared
        # the first change is its own pair
        own = client.get(f"/g/g1/items/{first.id}").get_data(as_text=True)
        assert "<del>Sans engagement.</del> <ins>Engagement 12 mois.</ins>" in own


def test_the_starter_s_commented_watched_page_validates_once_uncommented() -> None:
    import yaml

    starter = Path(__file__).resolve().parent.parent / "watcher" / "starter" / "sources.yml"
    lines = starter.read_text(encoding="utf-8").splitlines()
    start = lines.index("  # - id: concurrent-offre")
    block = []
    for line in lines[start:]:
        if not line.startswith("  # ") or (block and line.startswith("  # - ")):
            break
        block.append(line.replace("  # ", "  ", 1))
    source = yaml.safe_load("\n".join(block))[0]
    watch = parse_watch(
        yaml.safe_dump(
            {
                "watch": {"name": "Veille"},
                "axes": [{"id": "concurrence", "label": "Concurrence"}],
                "sources": [source],
            },
            allow_unicode=True,
        ),
        Path("sources.yml"),
    )
    (found,) = watch.sources
    assert found.kind == "monitor" and found.ignore[0] == r"il y a \d+ heures?"


SCRIPTED = """<!doctype html><html lang="fr"><head><title>Offre Rival</title>
<script src="/tarif.js"></script></head>
<body><main><h1>Forfait Fibre</h1><p class="prix">Prix en cours de chargement</p></main>
<script>document.querySelector("h1").textContent = "Forfait Fibre Max";</script>
<img src="/logo.png"></body></html>"""
TARIF_JS = """document.addEventListener("DOMContentLoaded", () => {
  document.querySelector(".prix").textContent = "{price} € par mois";
});"""


# create-react-app's page (its template's public/index.html): all the HTML there is until the
# scripts run
APP_SHELL = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Rival</title>
<script defer="defer" src="/static/js/main.js"></script></head>
<body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div>
</body></html>"""
# a page written on the server by Next.js: its text is there, its scripts' data beside it
NEXT_PAGE = """<!doctype html><html lang="fr"><head><title>Offre Rival</title></head>
<body><div id="__next"><main><h1>Forfait Fibre</h1><p>Sans engagement.</p></main></div>
<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{}},"page":"/offre"}
</script></body></html>"""


def test_a_price_selector_that_finds_nothing_on_a_page_written_by_scripts_says_render_browser(
    watcher: Watcher, site: LocalSite
) -> None:
    """A `price:` that finds nothing in a page its scripts write gave no hint (the group saw no
    price and did not know why): the source's warning now says the page looks written by
    JavaScript, why, and to try `render: browser`; a page read, or one that gives no such
    sign, gets no such warning."""
    write(site, "spa.html", APP_SHELL)
    write(site, "next.html", NEXT_PAGE)
    write(site, "offre.html", offer_page("49.90", "Sans engagement."))
    watcher.write(
        [
            monitor_source(site, "/spa.html", id="spa", price=".prix"),
            monitor_source(site, "/spa.html?texte", id="spa-texte"),
            monitor_source(site, "/spa.html?main", id="spa-main", select="main"),
            monitor_source(site, "/next.html", id="next", price=".prix"),
            monitor_source(site, "/next.html?texte", id="next-texte"),
            monitor_source(site, "/offre.html", id="statique", price=".prix"),
            monitor_source(site, "/offre.html?schema", id="schema"),
        ]
    )
    report = watcher.crawl(NOW)
    warnings = {r.source_id: r.warnings for r in report.results}
    root = "son élément « #root », que ses scripts remplissent, est vide"
    assert warnings["spa"] == [
        f"aucun prix trouvé sur {site.base}/spa.html avec le sélecteur de prix « .prix » : la "
        f"page semble écrite par JavaScript ({root}) : essayez « render: browser » pour la "
        "source « spa » dans sources.yml"
    ]
    assert warnings["spa-texte"] == [
        f"le texte suivi sur {site.base}/spa.html?texte n'est peut-être pas celui que la page "
        f"affiche : la page semble écrite par JavaScript ({root}) : essayez « render: browser » "
        "pour la source « spa-texte » dans sources.yml"
    ]
    assert warnings["spa-main"] == [
        f"aucun texte à suivre trouvé sur {site.base}/spa.html?main avec le sélecteur « main » "
        f": la page semble écrite par JavaScript ({root}) : essayez « render: browser » pour la "
        "source « spa-main » dans sources.yml"
    ]
    [next_price] = warnings["next"]
    assert "(elle porte les données de ses scripts (__NEXT_DATA__))" in next_price
    assert "« render: browser »" in next_price
    # its text read, no price asked: a page written on the server says nothing
    assert warnings["next-texte"] == []
    # no sign of scripts: a price selector that finds nothing says nothing more than before
    assert warnings["statique"] == [] and warnings["schema"] == []


# the browser tests: in CI, Chromium is installed (.ci/setup) and they never skip
NEEDS_CHROMIUM = pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists() and not os.environ.get("CI"),
    reason="Debian chromium is not installed (bash .ci/setup installs it)",
)


@NEEDS_CHROMIUM
def test_render_browser_reads_the_price_only_scripts_write(
    watcher: Watcher, site: LocalSite
) -> None:
    write(site, "offre.html", SCRIPTED)
    write(site, "tarif.js", TARIF_JS.replace("{price}", "29,90"))
    watcher.write(
        [
            monitor_source(site, select="main", price=".prix", render="browser"),
            monitor_source(
                site,
                select="main",
                price=".prix",
                id="sans-navigateur",
                url=site.base + "/offre.html?brut",
            ),
        ]
    )
    report = watcher.crawl(NOW)
    assert all(r.ok for r in report.results), report.results
    [rendered] = versions(watcher)
    assert rendered.price == Price(Decimal("29.90"), "EUR", "mois")
    assert rendered.text == "Forfait Fibre Max\n29,90 € par mois"
    [raw] = versions(watcher, "sans-navigateur")  # the same page, scripts not run
    assert raw.price is None and raw.text == "Forfait Fibre\nPrix en cours de chargement"
    # the document was fetched once by the crawl (the browser was handed its bytes), the
    # page's own script by the browser, the image never
    assert len(site.hits_for("/offre.html")) == len(site.hits_for("/offre.html?brut")) == 1
    assert len(site.hits_for("/tarif.js")) == 1 and site.hits_for("/logo.png") == []

    write(site, "tarif.js", TARIF_JS.replace("{price}", "24,90"))
    watcher.crawl(NOW + timedelta(hours=1))
    [change] = changes(watcher)
    assert change.summary.startswith("Prix : 29,90 €/mois → 24,90 €/mois (−17 %)")


def test_the_dossier_shows_the_price_history_of_a_watched_page(
    watcher: Watcher, site: LocalSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A competitor's price changes between two crawls: the dossier (C1, « Propositions
    d'action ») shows its history as a table and a chart in HTML, DOCX and XLSX, and every
    format still verifies as unchanged; a price edited by hand in the DOCX is reported."""
    import io

    from docx import Document
    from openpyxl import load_workbook

    from watcher.config import load_watch
    from watcher.jobs import open_workspace
    from watcher.jobs.dossier import export_dossier
    from watcher.jobs.verify import verify_file
    from watcher.verify.keys import KEY_ENV

    monkeypatch.delenv(KEY_ENV, raising=False)
    watcher.write([monitor_source(site, select="#offre .conditions")])
    for hours, (price, terms) in enumerate(
        [
            ("49.90", "Sans engagement."),
            ("44.90", "Sans engagement."),
            ("44.90", "Engagement 12 mois."),  # the text changes, not the price
        ]
    ):
        write(site, "offre.html", offer_page(price, terms))
        watcher.crawl(NOW + timedelta(hours=2 * hours))
    [price_change_item, _] = sorted(changes(watcher), key=lambda item: item.id)
    watch = load_watch(watcher.workspace.config)
    made = NOW + timedelta(hours=6)
    day = NOW.astimezone(ZONE).date()
    with open_workspace(watcher.workspace) as w:
        written = export_dossier(w, watch, "g1", day, day, now=made)
        files = {p.suffix[1:]: p.read_bytes() for p in written.paths}

        html = files["html"].decode()
        assert '<h2 id="prix">Veille concurrentielle : historique des prix</h2>' in html
        assert '<td>01/12/2026</td><td class="num">49,90 €</td><td>premier prix relevé</td>' in html
        assert (
            '<td>01/12/2026</td><td class="num">44,90 €</td><td>49,90 € → 44,90 € (−10 %)</td>'
            f'<td><a href="{site.base}/offre.html">n° {price_change_item.id}</a>' in html
        )
        table = html.split('<h2 id="prix">')[1].split("</table>")[0]
        assert table.count("<tr><td>") == 2  # the text's change changed no price
        assert '<img src="data:image/png;base64,' in html
        assert 'alt="Historique du prix — Offre fibre Rival"' in html
        assert "Prix suivis sur 1 page concurrente : 1 changement de prix sur la période" in html

        document = Document(io.BytesIO(files["docx"]))
        headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        assert "Veille concurrentielle : historique des prix" in headings
        [prices] = [t for t in document.tables if t.rows[0].cells[0].text == "Page surveillée"]
        rows = [[c.text for c in row.cells] for row in prices.rows[1:]]
        assert rows == [
            ["Offre fibre Rival", "01/12/2026", "49,90 €", "premier prix relevé", "—"],
            [
                "Offre fibre Rival",
                "01/12/2026",
                "44,90 €",
                "49,90 € → 44,90 € (−10 %)",
                f"n° {price_change_item.id}",
            ],
        ]
        captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
        assert any(c.startswith("Historique du prix — Offre fibre Rival") for c in captions)
        assert len(document.inline_shapes) == 5  # the bilan's four charts and the price's

        sheet = load_workbook(io.BytesIO(files["xlsx"]))["Prix"]
        day_cell = datetime(2026, 12, 1)  # a date cell (shown 01/12/2026): sorted as a date
        assert [[c.value for c in row][:6] for row in sheet.iter_rows(min_row=2)] == [
            ["Offre fibre Rival", day_cell, "49,90 €", "premier prix relevé", 49.9, "EUR"],
            [
                "Offre fibre Rival",
                day_cell,
                "44,90 €",
                "49,90 € → 44,90 € (−10 %)",
                44.9,
                "EUR",
            ],
        ]

        for fmt, data in files.items():
            report = verify_file(data, now=made, w=w, watch=watch)
            assert report.verdict == "unchanged", (
                fmt,
                [(s.id, s.findings) for s in report.sections],
            )

        # a competitor's price edited by hand is reported
        prices.rows[2].cells[2].paragraphs[0].runs[0].text = "42,90 €"
        edited = io.BytesIO()
        document.save(edited)
        report = verify_file(edited.getvalue(), now=made, w=w, watch=watch)
        assert report.verdict == "changed"
        [finding] = [f for s in report.sections for f in s.findings]
        assert finding.kind == "price" and "Prix relevé" in finding.message


def test_a_price_change_is_reported_even_when_the_trigger_does_not_fire(
    watcher: Watcher, site: LocalSite
) -> None:
    """A trigger filters text changes; a price change is always a change."""
    write(site, "offre.html", offer_page("49.90", "Sans engagement. Box incluse."))
    watcher.write([monitor_source(site, select=".conditions", trigger=r"frais de résiliation")])
    watcher.crawl(NOW)
    write(site, "offre.html", offer_page("44.90", "Sans engagement. Box et décodeur inclus."))
    watcher.crawl(NOW + timedelta(hours=1))
    [change] = changes(watcher)
    assert change.summary.startswith("Prix : 49,90 € → 44,90 € (−10 %)\nAjouté :")
    assert versions(watcher)[1].item_id == change.id


def test_a_change_retained_with_its_fiche_is_evidence_in_the_dossier(
    watcher: Watcher, site: LocalSite
) -> None:
    """Through the web app: a learner retains a change of a competitor's page, writes its fiche
    with an action; the dossier's evidence (C1) counts it, its fiche and the price it rests on."""
    from web_session import signed_in_client

    from watcher.config import load_watch
    from watcher.jobs import open_workspace
    from watcher.jobs.collect import process
    from watcher.store.users import Users

    watcher.write([monitor_source(site, select=".conditions")])
    write(site, "offre.html", offer_page("49.90", "Sans engagement."))
    watcher.crawl(NOW)
    write(site, "offre.html", offer_page("44.90", "Engagement 12 mois."))
    watcher.crawl(NOW + timedelta(hours=2))
    later = NOW + timedelta(hours=3)
    with open_workspace(watcher.workspace) as w:
        process(w, load_watch(watcher.workspace.config), later)
        Users(w.store).add(
            "lea@example.org", "Léa", "learner", "correct horse battery", now=NOW, group_id="g1"
        )
    [change] = changes(watcher)
    session = signed_in_client(watcher.workspace, "lea@example.org", later)
    client = next(session)
    try:
        _retain_write_and_read_the_dossier(client, change.id)
    finally:
        next(session, None)  # the app's store closed


def _retain_write_and_read_the_dossier(client: Any, item_id: int) -> None:
    from web_session import CSRF

    item = f"/g/g1/items/{item_id}"
    retained = client.post(f"{item}/curation", data={"status": "retained", "csrf_token": CSRF})
    assert retained.status_code == 303
    assert client.get(f"{item}/fiche").status_code == 200
    saved = client.post(
        f"{item}/fiche",
        data={
            "csrf_token": CSRF,
            "quoi": "Rival baisse le prix de son forfait fibre et ajoute un engagement",
            "summary": "Forfait à 44,90 € au lieu de 49,90 €, engagement 12 mois.",
            "action": "Proposer une remise de fidélité aux clients fibre",
            "action_owner": "Léa",
            "action_deadline": "2026-12-15",
        },
    )
    assert saved.status_code == 303, saved.get_data(as_text=True)

    period = "?from=2026-12-01&to=2026-12-01"
    page = client.get(f"/g/g1/dossier{period}").get_data(as_text=True)
    c1 = page.split('id="preuve-C1"')[1].split("</section>")[0]
    link = f'<a href="/g/g1/items/{item_id}">Modification : Offre fibre Rival</a>'
    assert any(
        fact.startswith(
            "1/1 fiche avec une action proposée, dont 1 avec un responsable et une échéance"
        )
        and link in fact
        for fact in c1.split("\n  <li>")
    )
    assert any(
        fact.startswith("Prix suivis sur 1 page concurrente : 1 changement de prix")
        and link in fact
        for fact in c1.split("\n  <li>")
    )

    full = client.get(f"/g/g1/dossier/full{period}").get_data(as_text=True)
    fiche = full.split(f'<div class="fiche" id="fiche-{item_id}">')[1].split("</div>")[0]
    assert "Modification : Offre fibre Rival" in fiche
    assert "Proposer une remise de fidélité aux clients fibre" in fiche
    actions = full.split('<h1 id="actions">')[1].split('<h1 id="diffusion">')[0]
    assert "Proposer une remise de fidélité aux clients fibre" in actions
    assert f'<a href="#fiche-{item_id}">n° {item_id}</a>' in actions  # the price's change


def test_the_price_history_starts_with_the_price_in_force_when_the_period_starts(
    watcher: Watcher, site: LocalSite
) -> None:
    from watcher.config import load_watch
    from watcher.jobs import open_workspace
    from watcher.jobs.dossier import dossier

    watcher.write([monitor_source(site, select=".conditions")])
    for moment, price in [
        (NOW - timedelta(days=5), "52.90"),
        (NOW - timedelta(days=3), "49.90"),  # in force when the period starts
        (NOW, "44.90"),
        (NOW + timedelta(days=2), "39.90"),  # after the period
    ]:
        write(site, "offre.html", offer_page(price, "Sans engagement."))
        watcher.crawl(moment)
    day = NOW.astimezone(ZONE).date()
    with open_workspace(watcher.workspace) as w:
        shown = dossier(
            w, load_watch(watcher.workspace.config), "g1", day, day, now=NOW + timedelta(days=3)
        )
    [history] = shown.prices
    assert [(p.day, p.price, p.change) for p in history.points] == [
        ("28/11/2026", "49,90 €", "prix au début de la période"),
        ("01/12/2026", "44,90 €", "49,90 € → 44,90 € (−10 %)"),
    ]
    assert history.points[1].item is not None and history.points[0].item is None
    # the other group sees the same page (a source without groups: every group)
    with open_workspace(watcher.workspace) as w:
        other = dossier(w, load_watch(watcher.workspace.config), "g2", day, day, now=NOW)
    assert [p.price for p in other.prices[0].points] == ["49,90 €", "44,90 €"]


def test_successive_changes_of_a_page_are_never_near_duplicates(
    watcher: Watcher, site: LocalSite
) -> None:
    """Each change of a page is its own event: search shows every one (none is folded into
    an earlier one as « aussi publié par » the same page), and none is « another source on
    the same subject » of another."""
    from watcher.config import load_watch
    from watcher.jobs import open_workspace
    from watcher.jobs.collect import process
    from watcher.jobs.search import search

    terms = (
        "Internet très haut débit jusqu'à 8 Gbit/s, appels illimités vers les fixes et les "
        "mobiles en France métropolitaine, télévision avec plus de 200 chaînes incluses. "
        "Sans engagement. Frais de mise en service : 48 €. Box et décodeur TV inclus."
    )
    watcher.write([monitor_source(site, select="#offre .conditions")])
    for hours, price in enumerate(["19,99 €", "21,49 € TTC", "24,99 € TTC"]):
        write(site, "offre.html", offer_page("49.90", f"Prix : {price}. {terms}"))
        watcher.crawl(NOW + timedelta(hours=hours))
    later = NOW + timedelta(hours=3)
    with open_workspace(watcher.workspace) as w:
        process(w, load_watch(watcher.workspace.config), later)
        made = sorted(i.id for i in w.store.list_items() if i.kind == "change")
        assert len(made) == 2
        assert [v.cluster_id for v in w.store.views(made)] == made
        found = search(w, "kind:change", groups=None, now=later)
    assert sorted(h.item_id for h in found.results.hits) == made
    assert [f.also for f in found.found] == [[], []]


PROMO = """<html><body><h1>Box Fibre</h1><div class="offre"><p>Internet très haut débit.</p>
<p class="prix">{price}</p><p>Sans engagement.</p></div></body></html>"""


def test_a_struck_through_price_is_not_the_price_in_force(
    watcher: Watcher, site: LocalSite
) -> None:
    """A promotion strikes the old price through (<del>, <s>, <strike>) next to the new one:
    the price is the one not struck; a selector that names only struck prices still reads
    them (the group asked for them)."""

    def publish(price: str) -> None:  # the same page at two addresses: one source each
        for name in ("offre.html", "ancien.html"):
            write(site, name, PROMO.format(price=price))

    publish("29,99 €/mois")
    watcher.write(
        [
            monitor_source(site, select=".offre", price=".prix"),
            monitor_source(
                site, "/ancien.html", id="ancien", name="Ancien prix", price=".prix del"
            ),
        ]
    )
    watcher.crawl(NOW)
    promo = "<del>29,99 €/mois</del> <ins>24,99 €/mois</ins> pendant 12 mois"
    publish(promo)
    watcher.crawl(NOW + timedelta(hours=1))
    publish("<s>29,99 €</s> 22,99 €/mois")
    watcher.crawl(NOW + timedelta(hours=2))
    assert [v.price for v in versions(watcher)] == [
        Price(Decimal("29.99"), "EUR", "mois"),
        Price(Decimal("24.99"), "EUR", "mois"),
        Price(Decimal("22.99"), "EUR", "mois"),
    ]
    summaries = sorted(c.summary for c in changes(watcher) if c.source_id == "rival")
    assert summaries[0].startswith("Prix : 24,99 €/mois → 22,99 €/mois (−8 %)")
    assert summaries[1].startswith("Prix : 29,99 €/mois → 24,99 €/mois (−17 %)")
    assert [v.price for v in versions(watcher, "ancien")] == [
        None,
        Price(Decimal("29.99"), "EUR", "mois"),
        None,
    ]


def test_a_price_keeps_the_period_it_is_paid_for(watcher: Watcher, site: LocalSite) -> None:
    """« 29,99 €/mois » was stored as 29,99 €: the dossier's price table lost « /mois », and a
    subscription that became a one-off price read « 29,99 € → 1 299,00 € (+4231 %) »."""
    watcher.write([monitor_source(site, select=".offre", price=".prix")])
    for hours, price in enumerate(
        ["29,99 €/mois", "1\u202f299 €", "24,99 € par mois", "27,99 € / mois", "299 €/an"]
    ):
        write(site, "offre.html", PROMO.format(price=price))
        watcher.crawl(NOW + timedelta(hours=hours))
    assert [v.price for v in versions(watcher)] == [
        Price(Decimal("29.99"), "EUR", "mois"),
        Price(Decimal("1299"), "EUR"),
        Price(Decimal("24.99"), "EUR", "mois"),
        Price(Decimal("27.99"), "EUR", "mois"),
        Price(Decimal("299"), "EUR", "an"),
    ]
    summaries = [c.summary.splitlines()[0] for c in sorted(changes(watcher), key=lambda c: c.id)]
    assert summaries == [
        "Prix : 29,99 €/mois → 1\u202f299,00 €",  # no percentage between unlike prices
        "Prix : 1\u202f299,00 € → 24,99 €/mois",
        "Prix : 24,99 €/mois → 27,99 €/mois (+12 %)",
        "Prix : 27,99 €/mois → 299,00 €/an",
    ]


def test_an_older_store_s_changes_folded_as_near_duplicates_come_apart(
    watcher: Watcher, site: LocalSite
) -> None:
    """A store that folded a page's successive changes into one near-duplicate cluster (before
    changes were kept apart) has them analysed again once opened by this version: search then
    shows each."""
    from watcher.config import load_watch
    from watcher.jobs import open_workspace
    from watcher.jobs.collect import process
    from watcher.jobs.search import search

    watcher.write([monitor_source(site, select=".offre", price=".prix")])
    for hours, price in enumerate(["19,99 €", "21,49 € TTC", "24,99 € TTC"]):
        write(site, "offre.html", PROMO.format(price=price))
        watcher.crawl(NOW + timedelta(hours=hours))
    watch = load_watch(watcher.workspace.config)
    later = NOW + timedelta(hours=3)
    with open_workspace(watcher.workspace) as w:
        process(w, watch, later)
    first, second = sorted(c.id for c in changes(watcher))
    with sqlite3.connect(watcher.workspace.db) as conn:  # as the older version left it
        conn.execute("update item_enrichment set cluster_id = ? where item_id = ?", (first, second))
        conn.execute("alter table page_versions drop column per")
        conn.execute("update meta set value = '0' where key = 'schema'")
    with open_workspace(watcher.workspace) as w:
        process(w, watch, later)
        assert [v.cluster_id for v in w.store.views([first, second])] == [first, second]
        found = search(w, "kind:change", groups=None, now=later)
    assert sorted(h.item_id for h in found.results.hits) == [first, second]


def test_a_price_change_s_search_extract_says_the_price_once(
    watcher: Watcher, site: LocalSite
) -> None:
    """The extract of a change in search (CLI and web) read « Prix : 9,99 € → 12,99 € (+30 %)
    Ajouté : « 12,99 » Retiré : « 9,99 » Prix : 9,99 € → 12,99 € (+30 %) 12,99 »: the item's
    text repeated its summary's price line."""
    from watcher.config import load_watch
    from watcher.jobs import open_workspace
    from watcher.jobs.collect import process
    from watcher.jobs.search import search

    watcher.write([monitor_source(site, select=".offre", price=".prix")])
    for hours, price in enumerate(["9,99 €", "12,99 €"]):
        write(site, "offre.html", PROMO.format(price=price))
        watcher.crawl(NOW + timedelta(hours=hours))
    later = NOW + timedelta(hours=2)
    with open_workspace(watcher.workspace) as w:
        process(w, load_watch(watcher.workspace.config), later)
        [hit] = search(w, "kind:change", groups=None, now=later).results.hits
        [marked] = search(w, "prix", groups=None, now=later).results.hits
    assert hit.snippet_html.count("Prix") == 1, hit.snippet_html
    assert marked.snippet_html.count("Prix") == 1, marked.snippet_html
    [change] = changes(watcher)
    assert (
        change.summary == "Prix : 9,99 € → 12,99 € (+30 %)\nAjouté : « 12,99 »\nRetiré : « 9,99 »"
    )


def test_a_watched_page_moved_for_good_says_so(watcher: Watcher, site: LocalSite) -> None:
    """A competitor moved its offer page (301): the crawl followed it without a word, and the
    group kept watching an address that no longer exists. The page is still read (no change
    is lost) and the crawl says where it went; a temporary redirect (302) says nothing."""
    write(site, "nouvelle-offre.html", PROMO.format(price="19,99 €"))
    site.routes["/offre.html"] = Route(status=301, headers={"Location": "/nouvelle-offre.html"})
    site.routes["/promo.html"] = Route(status=302, headers={"Location": "/nouvelle-offre.html"})
    watcher.write(
        [
            monitor_source(site, select=".offre", price=".prix"),
            monitor_source(site, "/promo.html", id="promo", select=".offre", price=".prix"),
        ]
    )
    results = {r.source_id: r for r in watcher.crawl(NOW).results}
    assert results["rival"].ok and results["promo"].ok
    assert results["rival"].warnings == [
        f"page déplacée définitivement (301) vers {site.base}/nouvelle-offre.html : mettez "
        "son adresse à jour dans sources.yml"
    ]
    assert results["promo"].warnings == []
    assert [v.price for v in versions(watcher)] == [Price(Decimal("19.99"), "EUR")]


def test_the_cli_lists_a_change_by_the_day_it_was_detected(
    watcher: Watcher, site: LocalSite
) -> None:
    """`watcher items` and `watcher search` showed « — » as a change's date (it has no date of
    publication): they show when it was detected."""
    from click.testing import CliRunner

    from watcher.cli.main import main

    watcher.write([monitor_source(site, select=".offre", price=".prix")])
    for hours, price in enumerate(["9,99 €", "12,99 €"]):
        write(site, "offre.html", PROMO.format(price=price))
        watcher.crawl(NOW + timedelta(hours=hours))
    config = ["--config", str(watcher.workspace.config)]
    runner = CliRunner()
    assert runner.invoke(main, [*config, "process"]).exit_code == 0
    for command in (["items"], ["search", "--group", "g1", "kind:change"]):
        result = runner.invoke(main, [*config, *command], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        flat = " ".join(result.output.split())
        assert "modification détectée le 01/12/2026 10:00" in flat, result.output


class Target:
    """A server on a loopback port a rendered page must never reach: it writes down every
    TCP connection (`what`, then the request line, empty for a connection that sent nothing:
    a preconnect), answers HTTP with 200 and a WebSocket upgrade with 101, a real handshake;
    with `udp`, every datagram (a STUN binding request) instead."""

    def __init__(self, what: str, *, udp: bool = False) -> None:
        import socketserver

        self.what = what
        self.seen: list[str] = []
        target = self

        class Answer(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                if udp:
                    target.seen.append(f"{target.what} datagram")
                    return
                sock = self.request
                sock.settimeout(5)
                data = b""
                try:
                    while b"\r\n\r\n" not in data:
                        chunk = sock.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                except OSError:
                    pass
                line = data.split(b"\r\n", 1)[0].decode("latin-1")
                target.seen.append(f"{target.what} {line}".strip())
                if not data:
                    return
                key = re.search(rb"(?i)sec-websocket-key: *(\S+)", data)
                if key:
                    import base64
                    import hashlib

                    guid = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
                    accept = base64.b64encode(hashlib.sha1(key.group(1) + guid).digest())
                    sock.sendall(
                        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                        b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n"
                    )
                    return
                sock.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n"
                    b"Access-Control-Allow-Origin: *\r\nConnection: close\r\n\r\ncible"
                )

        server_class = socketserver.ThreadingUDPServer if udp else socketserver.ThreadingTCPServer
        self.server = server_class(("127.0.0.1", 0), Answer)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Target:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


HOSTILE = """<!doctype html><html lang="fr"><head><title>Offre Rival</title>
<link rel="dns-prefetch" href="//rival-interne.test">
<link rel="preconnect" href="http://127.0.0.1:{http}">
<link rel="prefetch" href="http://127.0.0.1:{http}/prefetch">
<link rel="stylesheet" href="http://127.0.0.1:{http}/style.css">
</head><body><main><h1>Forfait Fibre</h1><p class="prix">29,90 € par mois</p>
<p id="secret">rien lu</p><p id="essais"></p><p id="fin"></p></main>
<img src="http://127.0.0.1:{http}/img.png">
<iframe src="http://127.0.0.1:{http}/iframe"></iframe>
<iframe src="file:///etc/hostname"></iframe>
<iframe name="cible" src="about:blank"></iframe>
<form id="f" target="cible" method="post" action="http://127.0.0.1:{http}/form">
<input name="a" value="1"></form>
<a id="telecharger" download="x.txt" href="data:text/plain,telecharge">x</a>
<script>
const target = "http://127.0.0.1:{http}";
// written by the script: the crawl itself follows (and guards) a refresh in the HTML
const refresh = document.createElement("meta");
refresh.httpEquiv = "refresh";
refresh.content = "0; url=" + target + "/refresh";
document.head.append(refresh);
const note = (name, promise) => promise.then(
  (outcome) => { document.getElementById("essais").append(name + " : " + outcome + ". "); },
  () => { document.getElementById("essais").append(name + " : refusé. "); });
const attempts = [
  note("fetch", fetch(target + "/fetch", {mode: "no-cors"}).then(() => "réponse")),
  // the page's own origin answers 302 to another port
  note("redirection", fetch("/redirige").then(() => "réponse")),
  note("file", fetch("file:///etc/hostname").then((r) => r.text()).then((text) => {
    document.getElementById("secret").textContent = "lu : " + text;
    return "lu";
  })),
  note("eventsource", new Promise((done) => {
    const events = new EventSource(target + "/events");
    events.onopen = () => { events.close(); done("ouvert"); };
    events.onerror = () => { events.close(); done("erreur"); };
  })),
  note("webrtc", new Promise((done) => {
    const peer = new RTCPeerConnection({iceServers: [
      {urls: "stun:127.0.0.1:{udp}"},
      {urls: "turn:127.0.0.1:{turn}?transport=tcp", username: "u", credential: "c"},
    ]});
    peer.createDataChannel("fuite");
    peer.onicegatheringstatechange = () => {
      if (peer.iceGatheringState === "complete") done("candidats réunis");
    };
    peer.createOffer().then((offer) => peer.setLocalDescription(offer));
  })),
  note("service worker", navigator.serviceWorker
    ? navigator.serviceWorker.register("/sw.js").then(() => "inscrit") : Promise.reject()),
];
// not awaited: Playwright tells a page its refused WebSocket is closed some time later, now
// and then after the render has been read (the target says whether it was reached)
const ws = new WebSocket("ws://127.0.0.1:{ws}/ws");
ws.onopen = () => { ws.send("fuite"); };
navigator.sendBeacon(target + "/beacon", "fuite");
window.open(target + "/popup");
document.getElementById("f").submit();
document.getElementById("telecharger").click();
Promise.all(attempts).then((outcomes) => {
  document.getElementById("fin").textContent = "Tentatives terminées : " + outcomes.length;
});
</script></body></html>"""


@NEEDS_CHROMIUM
def test_a_rendered_page_reaches_nothing_but_its_own_origin(
    watcher: Watcher, site: LocalSite
) -> None:
    """A hostile page, rendered for a source allowed its own origin on 127.0.0.1, tries every
    way a script has to reach the network: servers on other loopback ports (HTTP, a real
    WebSocket server, a TURN port, a STUN port) receive nothing, and the page is still
    rendered and stored once every attempt has settled (the page's own marker).

    Before the guard was made explicit, the popup's GET, the WebSocket, TURN over TCP, STUN
    datagrams and the TCP preconnect Chromium opens as a frame, a form, a refresh or a popup
    starts navigating all reached the targets, and the refresh left an error page instead of
    the page. Already closed then: fetch, beacon, EventSource, image, style, prefetch, the
    requests of frames and forms, a fetch of the page's own origin redirected to another port
    (its redirected request was refused too), service workers and file://."""
    with (
        Target("http") as http,
        Target("websocket") as ws,
        Target("turn") as turn,
        Target("stun", udp=True) as stun,
    ):
        page = HOSTILE
        for name, port in (("http", http), ("ws", ws), ("turn", turn), ("udp", stun)):
            page = page.replace("{" + name + "}", str(port.port))
        write(site, "offre.html", page)
        write(site, "sw.js", "self.addEventListener('fetch', () => {});")
        site.routes["/redirige"] = Route(
            302, headers={"Location": f"http://127.0.0.1:{http.port}/redirect"}
        )
        watcher.write([monitor_source(site, select="main", price=".prix", render="browser")])
        report = watcher.crawl(NOW)
        assert all(r.ok for r in report.results), report.results
        [rendered] = versions(watcher)
        seen = http.seen + ws.seen + turn.seen + stun.seen
    assert seen == [], seen
    assert "Tentatives terminées : 6" in rendered.text, rendered.text
    assert "rien lu" in rendered.text  # file:// stays closed to a page served over http
    assert rendered.price == Price(Decimal("29.90"), "EUR", "mois")
    assert site.hits_for("/sw.js") == [] and len(site.hits_for("/redirige")) == 1


def test_the_browser_may_resolve_only_the_page_s_own_host_and_port() -> None:
    from watcher.collect.browser import resolver_rules

    assert resolver_rules("https://rival.example/offre", ["203.0.113.7"]) == (
        "MAP rival.example:443 203.0.113.7:443, MAP * ~NOTFOUND"
    )
    assert resolver_rules("http://[2001:db8::1]:8080/", ["2001:db8::1"]) == (
        "MAP [2001:db8::1]:8080 [2001:db8::1]:8080, MAP * ~NOTFOUND"
    )
    # no address (the crawl went through a proxy): the page's own name, still nothing else
    assert resolver_rules("http://rival.example/", []) == (
        "MAP rival.example:80 rival.example:80, MAP * ~NOTFOUND"
    )
    # a name that would add a rule of its own reaches nothing
    assert resolver_rules("http://a, MAP * 10.0.0.1/", []) == "MAP * ~NOTFOUND"


def test_a_watched_page_is_gone_by_the_http_status_it_answered_not_by_the_words_of_its_error(
    watcher: Watcher, site: LocalSite
) -> None:
    """Whether a watched page is gone was read from the words of its last error, which the
    crawl writes elsewhere (spiders.base.HTTP_REASONS): rewording one broke it. The crawl now
    records the HTTP status a failure answered, and « gone » is decided from it."""
    from datetime import date

    from watcher.config import load_watch
    from watcher.jobs.dossier import gather
    from watcher.model import SourceResult
    from watcher.report.dossier import build_dossier

    write(site, "offre.html", offer_page("49.90", "Sans engagement."))
    watcher.write([monitor_source(site)])
    watcher.crawl(NOW)
    site.routes["/offre.html"] = Route(status=410)
    [failed] = watcher.crawl(NOW + timedelta(days=1)).results
    assert (failed.status, failed.error.startswith("page supprimée")) == (410, True)

    def gone(error: str, status: int | None) -> str:
        store = watcher.store()
        try:
            store.record_source_result(
                SourceResult("rival", error=error, status=status), NOW + timedelta(days=2), None
            )
            watch = load_watch(watcher.workspace.config)
            data = gather(store, watch, "g1", date(2026, 11, 30), date(2026, 12, 6), now=NOW)
        finally:
            store.close()
        [history] = build_dossier(data).prices
        return history.gone

    store = watcher.store()
    assert store.source_states()["rival"].last_error_status == 410
    store.close()
    said = "page retirée (410) le 02/12/2026 : le dernier prix relevé n'est plus en ligne"
    assert gone("cette offre a disparu du site", 410) == said  # other words, the same status
    # the words of a 404 without its status (a failure that was no HTTP answer): not gone
    assert gone("page introuvable (404) : vérifiez l'adresse", None) == ""


def test_a_watched_page_gone_says_so_under_its_last_price_in_the_dossier(
    watcher: Watcher, site: LocalSite
) -> None:
    """A competitor's page that answers 410 (or 404) kept showing its last price in the
    dossier's price history as if it were still on line. The history now ends with « page
    retirée (410) le … » (« page introuvable (404) depuis le … »), in every format."""
    import html
    import io
    from datetime import date

    from docx import Document
    from openpyxl import load_workbook

    from watcher.config import load_watch
    from watcher.jobs.dossier import gather
    from watcher.report.dossier import build_dossier
    from watcher.report.export import render
    from watcher.report.oral import plan_oral
    from watcher.report.oral_layout import TextBox

    write(site, "offre.html", offer_page("49.90", "Sans engagement."))
    watcher.write([monitor_source(site)])
    watcher.crawl(NOW)
    write(site, "offre.html", offer_page("44.90", "Sans engagement."))
    watcher.crawl(NOW + timedelta(hours=2))
    site.routes["/offre.html"] = Route(status=410)
    assert not watcher.crawl(NOW + timedelta(days=1)).results[0].ok
    watcher.crawl(NOW + timedelta(days=2))  # still gone: the day it went is kept

    def dossier_files(store: Any) -> dict[str, bytes]:
        watch = load_watch(watcher.workspace.config)
        data = gather(store, watch, "g1", date(2026, 11, 30), date(2026, 12, 6), now=NOW)
        return render(build_dossier(data), ("html", "docx", "xlsx")).files

    said = "page retirée (410) le 02/12/2026 : le dernier prix relevé n'est plus en ligne"
    files = dossier_files(watcher.store())
    page = html.unescape(" ".join(files["html"].decode().split()))
    assert said in page
    assert page.index("44,90") < page.index(said)
    document = Document(io.BytesIO(files["docx"]))
    rows = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    assert ["Offre fibre Rival", "02/12/2026", "—", said, "—"] in rows
    sheet = load_workbook(io.BytesIO(files["xlsx"]))["Prix"]
    assert said in [row[3] for row in sheet.iter_rows(values_only=True)]
    # the oral's prices slide says it under its table, in the same words
    store = watcher.store()
    try:
        watch = load_watch(watcher.workspace.config)
        data = gather(store, watch, "g1", date(2026, 11, 30), date(2026, 12, 6), now=NOW)
    finally:
        store.close()
    [prices] = [s for s in plan_oral(build_dossier(data), minutes=20).slides if s.key == "prix"]
    shown = [p.text for b in prices.boxes if isinstance(b, TextBox) for p in b.paras]
    assert f"Offre fibre Rival — {said}." in shown
    # the change's page, which shows the price history, says it too
    [change] = changes(watcher)
    with _learner_client(watcher, NOW + timedelta(days=2), groups={"g1"}) as client:
        item_page = html.unescape(client.get(f"/g/g1/items/{change.id}").get_data(as_text=True))
        assert (
            "Page retirée (410) le 02/12/2026 : le dernier prix relevé n'est plus en ligne."
            in item_page
        )
        with client.session_transaction() as session:  # the English interface: its words
            session["lang"] = "en"
        item_page = html.unescape(client.get(f"/g/g1/items/{change.id}").get_data(as_text=True))
        assert "Page removed (410) on " in item_page, item_page
        assert ": the last price seen is no longer on line." in item_page

    # back on line: nothing more is said
    write(site, "offre.html", offer_page("44.90", "Sans engagement."))
    del site.routes["/offre.html"]
    watcher.crawl(NOW + timedelta(days=3))
    assert said not in html.unescape(dossier_files(watcher.store())["html"].decode())
