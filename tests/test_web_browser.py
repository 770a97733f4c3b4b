# ruff: noqa: E501 (payloads and in-page JavaScript are kept on one line each)
"""The web app in a real browser: Debian's headless Chromium driven by Playwright, against the
app served by waitress on 127.0.0.1. The watch is the demo site, crawled and processed for
real, plus a hostile feed whose titles and summaries carry script payloads.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import yaml

from conftest import served
from watcher.collect.crawl import crawl_due
from watcher.config import load_watch
from watcher.demo import prepare_demo, site_root
from watcher.demo.server import LocalSite
from watcher.find.index import SearchIndex
from watcher.report.digest import IsoWeek
from watcher.store import Store
from watcher.store.users import Users
from watcher.understand.process import process_pending
from watcher.web import create_app
from watcher.workspace import Workspace

# the ISO week (on the watch's clock) the fixture's crawl collected the demo's items in
COLLECTED_WEEK: list[str] = []

SHARED_SCRIPT = "/static/watcher.js"  # the one script of the pages: a file, never inline
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
PASSWORD = "mot de passe de test"
SCREENSHOTS = Path(os.environ.get("WATCHER_SCREENSHOTS", tempfile.gettempdir()))

pytestmark = [
    pytest.mark.slow,
    # .ci/setup installs it; on CI a missing browser is a failure, not a skip
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"),
        reason="Debian chromium is not installed (bash .ci/setup installs it)",
    ),
]

# Planted in a feed: each would run script if it reached the page as markup.
EVIL_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Flux piégé</title><link>{base}/</link><language>fr</language>
<item><title>Piège un &lt;script&gt;window.__pwned=1;alert("titre")&lt;/script&gt; service client</title>
<link>{base}/piege/1.html</link><guid>piege-1</guid><pubDate>Thu, 26 Nov 2026 09:00:00 +0100</pubDate>
<description><![CDATA[<p>Piège deux <img src=x onerror="window.__pwned=2;alert('img')"> texte
<a href="javascript:window.__pwned=3;alert('lien')">cliquez</a>
<script>window.__pwned=4;alert('script')</script>
<iframe src="javascript:alert('frame')"></iframe><form action="https://evil.example.org"><input name=x></form>
&lt;img src=x onerror=alert(5)&gt; service client</p>]]></description></item>
<item><title>Piège trois &lt;img src=x onerror=alert(6)&gt; &lt;svg onload=alert(7)&gt;</title>
<link>javascript:alert(8)</link><guid>piege-2</guid><pubDate>Thu, 26 Nov 2026 10:00:00 +0100</pubDate>
<description>&lt;a href="javascript:alert(9)"&gt;x&lt;/a&gt; service client</description></item>
</channel></rss>
"""


@pytest.fixture(scope="module")
def watch_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo watch for group "demo" plus a second group with a source of its own, and a
    hostile feed for "demo"; crawled from a LocalSite and processed (spaCy) once."""
    root = tmp_path_factory.mktemp("browser")
    site_dir = root / "site"
    shutil.copytree(site_root(), site_dir)
    (site_dir / "piege").mkdir()
    (site_dir / "piege" / "rss.xml").write_text(EVIL_FEED, encoding="utf-8")
    with LocalSite(site_dir) as site:
        config = prepare_demo(root / "watch", site.base)
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
        data["groups"].append({"id": "autre", "name": "Autre groupe"})
        for source in data["sources"]:
            source["groups"] = ["autre"] if source["id"] == "observatoire-conso" else ["demo"]
        data["sources"].append({
            "id": "piege", "name": "Flux piégé", "kind": "feed", "url": f"{site.base}/piege/rss.xml",
            "axis": "concurrence", "every": "1h", "allow_private": True, "groups": ["demo"]})  # fmt: skip
        config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        workspace = Workspace(config)
        watch = load_watch(config)
        now = datetime.now(UTC)
        COLLECTED_WEEK[:] = [str(IsoWeek.of(now, ZoneInfo(watch.watch.timezone)))]
        store = Store(workspace.database)
        try:
            crawl_due(watch, workspace.db, now, force=True, log_file=workspace.crawl_log())
            index = SearchIndex(workspace.index)
            try:
                process_pending(watch, store, index, now)
            finally:
                index.close()
            users = Users(store)
            users.add(
                "lea@example.org", "Léa Moreau", "learner", PASSWORD, group_id="demo", now=now
            )
            users.add(
                "karim@example.org", "Karim Benali", "learner", PASSWORD, group_id="demo", now=now
            )
            users.add(
                "zoe@example.org", "Zoé Autre", "learner", PASSWORD, group_id="autre", now=now
            )
            users.add("eve@example.org", "Ève Jury", "evaluator", PASSWORD, now=now)
        finally:
            store.close()
    yield workspace.root


@pytest.fixture(scope="module")
def server(watch_dir: Path) -> Iterator[str]:
    """The app served by waitress (the production server) in a thread on 127.0.0.1."""
    app = create_app(Workspace(watch_dir / "sources.yml"), secure_cookies=False)
    with served(app) as base:
        yield base
    app.extensions["watcher"].close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=server)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def login(page: Any, email: str) -> None:
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/g/*/search")


def test_learner_searches_filters_curates_and_another_group_cannot_see(page: Any) -> None:
    login(page, "lea@example.org")
    page.fill(".searchbar input[name=q]", "service client")
    page.click(".searchbar button[type=submit]")
    page.wait_for_url("**q=service+client**")
    count = page.inner_text("p.count")
    assert "résultat" in count and not count.startswith("0 ")

    # a facet is a filter: clicking it adds axis:… to the query; people read the axis' label,
    # the key stays in the URL and the query
    facet = page.locator("aside.facets details").first.locator("a.facet").first
    label = facet.inner_text()
    query = parse_qs(urlsplit(facet.get_attribute("href") or "").query)["q"][0]
    value = query.split("axis:", 1)[1]
    assert value != label and ":" not in label  # « Marché & concurrence », not its id
    facet.click()
    page.wait_for_url(f"**axis:{value}**")
    assert page.input_value(".searchbar input[name=q]") == f"service client axis:{value}"
    assert page.locator("a.chip").first.inner_text().startswith(f"Axe : {label}")

    # curate the first hit: retain it, then write its fiche de veille
    first = page.locator("ol.hits li.hit h2 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url("**/g/demo/items/*")
    item_url = page.url
    page.click("button[value=retained]")
    page.wait_for_load_state()
    assert page.locator("h1 .status-retained").count() == 1
    page.click("text=Rédiger la fiche de veille")
    page.fill("input[name=quoi]", "Un nouveau canal pour le service client")
    page.fill("textarea[name=summary]", "Résumé écrit par le groupe.")
    page.fill("textarea[name=importance]", "Nos concurrents vont plus vite que nous.")
    page.fill("textarea[name=action]", "Proposer un rappel sous deux heures")
    page.fill("input[name=action_owner]", "Léa")
    page.fill("input[name=action_deadline]", "2026-12-15")
    page.click("text=Enregistrer la fiche")
    page.wait_for_url(item_url)
    assert "Proposer un rappel sous deux heures" in page.inner_text("dl.fiche")

    # it is in the digest preview of the week it was collected in (which follows the curation;
    # not the coming digest's: from Monday 00:00 to the Monday digest's time, that is the week
    # before, and the demo collects on the real clock)
    page.goto(f"/g/demo/digests/preview?week={COLLECTED_WEEK[0]}")
    assert title in page.inner_text("main")
    assert "Proposer un rappel sous deux heures" in page.inner_text("main")
    log = page.goto("/g/demo/log")
    assert log.status == 200 and "Léa Moreau" in page.inner_text("table")

    # signed in as another group's learner: neither the page nor the search shows it
    page.click("header button:has-text('Se déconnecter')")
    page.wait_for_url("**/login?out=1")
    assert "Vous êtes déconnecté(e)" in page.inner_text("main")
    login(page, "zoe@example.org")
    assert page.url.endswith("/g/autre/search")
    assert page.goto(item_url).status == 403
    item_id = item_url.rsplit("/", 1)[1]
    assert page.goto(f"/g/autre/items/{item_id}").status == 404
    assert page.goto("/g/demo/digests/preview").status == 403
    page.goto("/g/autre/search?q=" + title.replace(" ", "+"))
    assert title not in page.inner_text("main")
    page.goto("/g/autre/curated")
    assert title not in page.inner_text("main")


def test_a_learner_s_french_queries_find_and_explain(page: Any) -> None:
    """What a learner types in the demo watch: a truncation mark (`prix*` found nothing), a code
    article as its key writes it (`L221-18` found nothing: the items write « L. 221-18 »; then
    `R221-18` found them too, the letter dropped), an
    exclusion's chip (its ✕ left `prix SAUF`, refused) and a filter that empties the search
    (« 0 résultat » alone)."""
    login(page, "lea@example.org")

    def search(query: str) -> str:
        page.fill(".searchbar input[name=q]", query)
        page.click(".searchbar button[type=submit]")
        page.wait_for_load_state()
        return page.inner_text("p.count")

    assert search("prix") == search("prix*") and not search("prix*").startswith("0 ")
    found = search("L221-18")
    assert not found.startswith("0 ")
    marks = page.locator("ol.hits mark").all_inner_texts()
    assert "L. 221-18" in marks and "221" not in marks, marks
    # the article's letter is kept: R. 221-18 (réglementaire) is another text, which the demo's
    # items do not cite (they found every L. 221-18 item, « 221 » and « 18 » marked)
    for other in ("R221-18", "R. 221-18", '"D. 221-18"'):
        assert search(other).startswith("0 "), other
    assert search("221-18") == found  # the number alone: under any letter
    search("R. 221-18")  # nothing: the page proposes the letter the number is found under
    page.click("p.suggest a")
    page.wait_for_load_state()
    assert page.input_value(".searchbar input[name=q]") == "L. 221-18"
    assert page.inner_text("p.count") == found

    assert search("prix SAUF axis:concurrence").startswith("0 ")
    chip = page.locator("a.chip").first
    assert chip.inner_text().startswith("sauf Axe : Marché & concurrence")
    chip.click()
    page.wait_for_load_state()
    assert page.input_value(".searchbar input[name=q]") == "prix"
    assert page.locator("p.error").count() == 0 and not page.inner_text("p.count").startswith("0 ")

    found = search("RGPD")  # the demo's items cite it as « règlement (UE) 2016/679 » too
    hint = page.locator("p.reference a")
    assert hint.inner_text().startswith('« RGPD » nomme un texte de référence : ref:"RGPD" trouve')
    hint.click()
    page.wait_for_load_state()
    assert page.input_value(".searchbar input[name=q]") == 'ref:"RGPD"'
    assert int(page.inner_text("p.count").split()[0]) > int(found.split()[0])

    assert search("prix date:2020").startswith("0 ")
    hint = page.locator("p.without a")
    assert hint.inner_text().startswith("Sans « Période : 2020 » : "), hint.inner_text()
    hint.click()
    page.wait_for_load_state()
    assert page.input_value(".searchbar input[name=q]") == "prix"
    assert not page.inner_text("p.count").startswith("0 ")


def _signed_in(browser: Any, server: str, *emails: str) -> list[Any]:
    """A tab per account, each in its own browser context (its own cookies), signed in."""
    tabs = []
    for email in emails:
        context = browser.new_context(base_url=server)
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        login(tab, email)
        tabs.append(tab)
    return tabs


def test_two_learners_writing_one_fiche_do_not_overwrite_each_other(
    browser: Any, server: str
) -> None:
    """Léa and Karim open the same item's fiche, each in their browser; Karim saves first. Léa's
    save silently replaced his summary with hers (the last save won, nobody told). It now
    stops, says who saved and when, keeps her text in the form and shows his version; her
    next « Enregistrer la fiche », deliberate, replaces it."""
    tabs = _signed_in(browser, server, "lea@example.org", "karim@example.org")
    lea, karim = tabs
    try:
        lea.goto("/g/demo/search?q=source:piege&sort=date")
        item_url = lea.locator("ol.hits li.hit h2 a").first.get_attribute("href") or ""
        for tab in tabs:
            tab.goto(f"{item_url}/fiche")
        karim.fill("textarea[name=summary]", "Résumé de Karim.")
        karim.click("form.fiche-form button[type=submit]")
        karim.wait_for_url(f"**{item_url}")
        assert "Résumé de Karim." in karim.inner_text("dl.fiche")

        lea.fill("textarea[name=summary]", "Résumé de Léa.")
        lea.fill("textarea[name=importance]", "Un concurrent piégé.")
        alert = _refused(lea, "form.fiche-form button[type=submit]")
        assert alert.startswith("Karim Benali a enregistré cette fiche le "), alert
        assert "vos changements ne sont pas encore enregistrés" in alert
        assert "Résumé de Karim." in lea.inner_text("section.theirs")
        assert lea.input_value("textarea[name=summary]") == "Résumé de Léa."
        assert lea.input_value("textarea[name=importance]") == "Un concurrent piégé."
        karim.reload()
        assert "Résumé de Karim." in karim.inner_text("dl.fiche")  # still his

        lea.click("form.fiche-form button[type=submit]")  # deliberately, having read his version
        lea.wait_for_url(f"**{item_url}")
        assert "Résumé de Léa." in lea.inner_text("dl.fiche")
        assert "Un concurrent piégé." in lea.inner_text("dl.fiche")
    finally:
        for tab in tabs:
            tab.context.close()


def _refused(page: Any, button: str) -> str:
    """Click ``button`` of a form the store refuses as stale (409); the page's alert."""
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.click(button)
    assert sent.value.status == 409
    return str(page.inner_text("p.error[role=alert]"))


def test_a_learner_sorting_from_a_stale_page_does_not_undo_another_s_choice(
    browser: Any, server: str
) -> None:
    """Karim retains an item, with a note, while Léa's page still shows it unsorted; she rejects
    it from that page. Her rejection silently replaced his retention and its note. It now
    writes nothing, says who retained it and when, keeps the reason she typed, and shows the
    current sorting; she chooses again from there."""
    tabs = _signed_in(browser, server, "lea@example.org", "karim@example.org")
    lea, karim = tabs
    try:
        lea.goto("/g/demo/search?q=source:lemoine-avocats&sort=date")
        hits = lea.locator("ol.hits li.hit h2 a").evaluate_all("els => els.map(e => e.href)")
        for item_url in hits:  # one that no other test sorted
            lea.goto(item_url)
            if "Pas encore trié." in lea.inner_text("section.curation"):
                break
        karim.goto(item_url)
        karim.fill("input[placeholder='pourquoi le garder']", "Exemple de piège à montrer")
        karim.click("button[value=retained]")
        karim.wait_for_load_state()
        assert karim.locator("h1 .status-retained").count() == 1

        lea.fill("form.reject input[name=reason] >> nth=-1", "Source non fiable")
        alert = _refused(lea, "button[value=rejected]")
        assert alert.startswith("Karim Benali a retenu cet article le "), alert
        assert "votre choix « Rejeter » n'est pas enregistré" in alert
        assert "Exemple de piège à montrer" in lea.inner_text("section.curation")
        assert lea.input_value("form.reject input[name=reason] >> nth=-1") == "Source non fiable"
        karim.reload()
        assert karim.locator("h1 .status-retained").count() == 1  # still retained, his note
        assert "Exemple de piège à montrer" in karim.inner_text("section.curation")

        lea.click("button[value=rejected]")  # now that she has seen his choice
        lea.wait_for_load_state()
        assert lea.locator("h1 .status-rejected").count() == 1
    finally:
        for tab in tabs:
            tab.context.close()


def test_script_payloads_planted_in_a_feed_never_run(page: Any) -> None:
    dialogs: list[str] = []
    console: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(str(error)))
    login(page, "lea@example.org")
    page.goto("/g/demo/search?q=source:piege&sort=date")
    assert "2 résultats" in page.inner_text("p.count")
    visited = [page.url]
    texts = []
    for href in page.locator("ol.hits li.hit h2 a").evaluate_all("els => els.map(e => e.href)"):
        page.goto(href)
        visited.append(href)
        assert "Piège" in page.inner_text("h1")
        texts.append(page.inner_text("main"))
    page.goto("/g/demo/search?q=pi%C3%A8ge+service+client")
    visited.append(page.url)
    for url in visited:
        page.goto(url)
        state = page.evaluate(
            """() => ({
                pwned: window.__pwned === undefined ? null : window.__pwned,
                scripts: [...document.scripts].map(s => [s.getAttribute('src'), s.text]),
                handlers: [...document.querySelectorAll('*')].flatMap(
                    e => [...e.attributes].filter(a => a.name.startsWith('on')).map(a => a.name)),
                jsLinks: [...document.querySelectorAll('[href],[src],[action]')].filter(
                    e => /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src')
                                                  || e.getAttribute('action') || '')).length,
                frames: document.querySelectorAll('iframe,object,embed,img,svg').length,
                forms: [...document.forms].filter(f => !f.action.startsWith(location.origin)).length,
            })"""
        )
        assert state == {
            "pwned": None, "scripts": [[SHARED_SCRIPT, ""]], "handlers": [], "jsLinks": 0, "frames": 0, "forms": 0,
        }, (url, state)  # fmt: skip
    assert dialogs == []
    assert console == [], console
    # what is left of the payloads after collection is shown as text, where it can be read
    assert any("<img src=x onerror=alert(5)>" in text for text in texts), texts


def test_search_page_on_a_phone(browser: Any, server: str) -> None:
    context = browser.new_context(
        base_url=server, viewport={"width": 390, "height": 844}, device_scale_factor=2,
        is_mobile=True, has_touch=True,
    )  # fmt: skip
    try:
        page = context.new_page()
        login(page, "lea@example.org")
        page.goto("/g/demo/search?q=service+client")
        # nothing wider than the screen: no horizontal scrolling of the page
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        box = page.locator(".searchbar input[name=q]").bounding_box()
        assert box is not None and box["width"] > 250
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "watcher-search-phone.png"), full_page=False)
        page.goto(page.locator("ol.hits li.hit h2 a").first.get_attribute("href"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(SCREENSHOTS / "watcher-item-phone.png"), full_page=False)
    finally:
        context.close()


def test_an_evaluator_verifies_a_handed_in_dossier_on_a_phone(browser: Any, server: str) -> None:
    """docs/verify.md: the evaluator downloads the group's DOCX, the group adds an article by
    hand (and a payload), the evaluator uploads it through the menu « Vérifier un dossier »."""
    import io

    from docx import Document

    context = browser.new_context(
        base_url=server, viewport={"width": 390, "height": 844}, device_scale_factor=2,
        is_mobile=True, has_touch=True,
    )  # fmt: skip
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)  # the dossier is made on request
        page.goto("/login")
        page.fill("input[name=email]", "eve@example.org")
        page.fill("input[name=password]", PASSWORD)
        page.click("form.stack button[type=submit]")
        page.wait_for_load_state()
        end = datetime.now(UTC).date() + timedelta(days=1)  # the demo collects on the real clock
        start = end - timedelta(days=28)
        handed = context.request.get(f"/g/demo/dossier.docx?from={start}&to={end}")
        assert handed.status == 200
        doc = Document(io.BytesIO(handed.body()))
        doc.add_paragraph(
            "Ajouté <script>window.__pwned=10</script> : https://www.lemonde.fr/ajout-main.html"
        )
        edited = io.BytesIO()
        doc.save(edited)
        page.click("nav a:has-text('Vérifier un dossier')")
        page.wait_for_url("**/verify")
        page.set_input_files(
            "input[name=file]",
            files=[{"name": "rendu.docx", "mimeType": "application/octet-stream",
                    "buffer": edited.getvalue()}],
        )  # fmt: skip
        page.click("#verify-form button[type=submit]")
        report = page.wait_for_selector("#rapport")
        assert report is not None
        text = page.inner_text("#rapport")
        assert "Authentique, modifié depuis sa génération" in text, text
        assert "https://www.lemonde.fr/ajout-main.html" in text
        assert "<script>window.__pwned=10</script>" in text  # shown as text, never run
        assert page.evaluate("window.__pwned === undefined")
        assert page.evaluate("[...document.scripts].map(s => [s.getAttribute('src'), s.text])") == [
            [SHARED_SCRIPT, ""]
        ]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "watcher-verify-phone.png"), full_page=True)
    finally:
        context.close()


def test_keyboard_users_skip_the_menu_to_the_page(page: Any) -> None:
    """With the keyboard, every page made one Tab through its eleven menu links and buttons
    before its own first field: the first Tab now reaches « Aller au contenu », whose Enter
    takes the next Tab to the page's first field (the search box here)."""
    login(page, "lea@example.org")
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.textContent.trim()")
    assert skip == "Aller au contenu"
    assert page.locator("a.skip").is_visible()  # shown when it has the focus
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "q"
