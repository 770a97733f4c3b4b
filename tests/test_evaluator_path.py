"""The demo in Debian's headless Chromium (issue 17): an evaluator who has never seen the app
reaches the evidence of the seven competences in at most three clicks after the login page,
grades with the grid's descriptors beside each level and signs with the jury the demo ships;
the pages learners and evaluators read, on a desktop and on a 390 px phone, show no internal
key, no Python repr, no English (screenshots in $WATCHER_SCREENSHOTS); the accounts page
works at 390 px and asks before deleting."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_web_browser import ARGS, CHROMIUM, SCREENSHOTS

from watcher.cli.demo import DEMO_PASSWORD
from watcher.cli.main import main
from watcher.store import Store
from watcher.store.users import Users
from watcher.web import create_app
from watcher.workspace import Workspace

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="bash .ci/setup installs chromium"),
]

EVALUATOR = "evaluateur@example.org"
TUTOR = "helene.garnier@example.org"
ADMIN = "admin@example.org"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
INTERNAL_KEY = re.compile(r"\b(?:eu:celex:|std:[a-z-]+:|fr:(?:code|loi|decret|nor|legi|arrete):)")
PYTHON_REPR = re.compile(
    r"\b\d+ days?, \d+:\d\d:\d\d|\b\d+:\d\d:\d\d\b|datetime\.|timedelta\(|\bNone\b|\bTrue\b"
    r"|\bFalse\b|\{'|\['|\(\)"
)
ENGLISH = re.compile(
    r"\b(?:day|days|hours|feed|Search|Save|Delete|Submit|Sign in|Log out|Retained"
    r"|Rejected|published|collected|Sources health|per week)\b"
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`watcher demo`, as a teacher runs it: the local site crawled, analysed, the digest,
    the web accounts, the grids and a jury."""
    target = tmp_path_factory.mktemp("evaluator") / "demo"
    result = CliRunner().invoke(main, ["demo", "--dir", str(target), "--port", "0"])
    assert result.exit_code == 0, result.output
    store = Store(target / "watcher.db")
    try:
        Users(store).add(ADMIN, "Ada Admin", "admin", DEMO_PASSWORD, now=_now())
    finally:
        store.close()
    return target


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


@pytest.fixture(scope="module")
def server(demo: Path) -> Iterator[str]:
    import waitress

    app = create_app(Workspace(demo / "sources.yml"), secure_cookies=False)
    wsgi = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=wsgi.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{wsgi.effective_port}"  # type: ignore[union-attr]
    wsgi.close()
    thread.join(timeout=10)
    app.extensions["watcher"].close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


def _page(browser: Any, server: str, viewport: dict[str, int]) -> Any:
    context = browser.new_context(base_url=server, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


class Clicks:
    """Counts what a person clicks."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, locator: Any) -> None:
        self.count += 1
        locator.click()


def _login(page: Any, email: str, click: Clicks) -> None:
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    click(page.locator("form.stack button[type=submit]"))
    page.wait_for_load_state()


def _evidence(page: Any) -> dict[str, list[str]]:
    found = {}
    for code in ("C1", "C2", "C3", "C4", "C5", "C6", "C7"):
        block = page.locator(f"#preuve-{code}")
        assert block.is_visible(), code
        found[code] = block.locator("li").all_inner_texts()
    return found


def test_login_to_the_evidence_of_c1_to_c7_in_three_clicks(browser: Any, server: str) -> None:
    page = _page(browser, server, DESKTOP)
    click = Clicks()
    _login(page, EVALUATOR, click)
    assert page.url.endswith("/groups")
    click(page.locator("a:has-text('Dossier et preuves')").first)
    page.wait_for_url("**/g/demo/dossier**")
    evidence = _evidence(page)
    assert click.count <= 3, click.count
    assert all(evidence[code] for code in evidence)  # each competence has facts
    titles = page.locator("#preuve-C1 ul.titles a").all_inner_texts()
    assert titles and not any(re.fullmatch(r"n° \d+", t) for t in titles)
    page.screenshot(path=str(SCREENSHOTS / "evidence-dossier-desktop.png"), full_page=True)
    page.context.close()


def test_grading_with_evidence_and_descriptors_and_the_demo_jury(browser: Any, server: str) -> None:
    page = _page(browser, server, PHONE)
    click = Clicks()
    _login(page, EVALUATOR, click)
    click(page.locator("a:has-text('Évaluer')").first)
    page.wait_for_url("**/g/demo/assessments**")
    form = page.locator("form.record-form").first
    for code in ("C1", "C2", "C3", "C4", "C5", "C6", "C7"):  # each beside the grid's levels
        fieldset = form.locator(f"fieldset.competence[id$='-{code}']")
        assert fieldset.locator(".evidence li").count() >= 1, code
        assert fieldset.locator("label.level").count() == 6, code  # 0–4 and « pas encore »
        assert "Aucune preuve exploitable." in fieldset.inner_text()
    assert click.count <= 3
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "evidence-grading-phone.png"), full_page=True)
    form.locator("fieldset.competence[id$='-C2'] input[value='3']").check()
    form.locator("textarea[name=comment-C2]").fill("Textes cités avec leurs liens officiels")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    sign = page.locator("form.sign-form").first
    assert "Jury de démonstration" in sign.inner_text()  # shipped by the demo: nothing to type
    # the jury's list (« Jury de démonstration (bloc 1) (05/01/2027) ») fits the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    sign.locator("button").click()
    page.wait_for_load_state()
    row = page.locator("section.learner tbody[data-competence=C2]").first
    assert "verrouillée" in row.inner_text() and "3 — maîtrisé" in row.inner_text()
    page.context.close()


def _check_readable(page: Any, what: str) -> str:
    text = page.inner_text("body")
    assert not INTERNAL_KEY.search(text), (what, INTERNAL_KEY.findall(text))
    assert not PYTHON_REPR.search(text), (what, PYTHON_REPR.findall(text))
    assert not ENGLISH.search(text), (what, ENGLISH.findall(text))
    return str(text)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_what_people_read_has_no_key_no_repr_no_english(
    browser: Any, server: str, demo: Path, viewport: dict[str, int]
) -> None:
    name = "desktop" if viewport is DESKTOP else "phone"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = _page(browser, server, viewport)
    _login(page, "lea.moreau@example.org", Clicks())
    page.goto("/g/demo/search?q=service+client")
    facet = page.locator("aside.facets a.facet[href*='ref%3A'], aside.facets a.facet[href*='ref:']")
    facet.first.click()
    page.wait_for_load_state()
    pages = {"search": page.url}
    page.locator("ol.hits li.hit h2 a").first.click()
    page.wait_for_load_state()
    pages["item"] = page.url
    pages["digest"] = f"{page.url.split('/g/')[0]}/g/demo/digests/preview"
    pages["sources"] = f"{page.url.split('/g/')[0]}/g/demo/sources"
    for what, url in pages.items():
        page.goto(url)
        text = _check_readable(page, what)
        assert text.strip()
        if viewport is PHONE:
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], what
        page.screenshot(path=str(SCREENSHOTS / f"evidence-{what}-{name}.png"), full_page=True)
    page.context.close()
    # the digest as it is mailed (its own CSS), archived by the demo: the legal table fits
    archived = sorted((demo / "reports" / "demo").glob("*.html"))[-1]
    mail = _page(browser, "http://127.0.0.1", viewport)
    mail.goto(archived.as_uri())
    _check_readable(mail, "digest e-mail")
    assert mail.locator("table.legal").count() == 1
    if viewport is PHONE:
        assert mail.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    mail.screenshot(path=str(SCREENSHOTS / f"evidence-digest-mail-{name}.png"), full_page=True)
    mail.context.close()
    # the grading page, as the evaluator reads it
    grading = _page(browser, server, viewport)
    _login(grading, EVALUATOR, Clicks())
    grading.goto("/g/demo/assessments")
    _check_readable(grading, "grading")
    grading.screenshot(path=str(SCREENSHOTS / f"evidence-grading-{name}.png"), full_page=True)
    grading.context.close()


def test_accounts_page_works_on_a_phone_and_asks_before_deleting(
    browser: Any, server: str, demo: Path
) -> None:
    page = _page(browser, server, PHONE)
    _login(page, ADMIN, Clicks())
    page.goto("/admin/users")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(SCREENSHOTS / "evidence-admin-users-phone.png"), full_page=True)
    rows = page.locator("table.users tbody tr")
    target = rows.filter(has_text="karim").first
    assert target.locator("button:has-text('Modifier')").is_visible()
    target.locator("a:has-text('Supprimer')").click()
    page.wait_for_url("**/admin/users/*/delete")
    assert "Supprimer le compte de" in page.inner_text("main")
    page.locator("button:has-text('Supprimer définitivement')").click()
    page.wait_for_url("**/admin/users")
    assert "karim" not in page.inner_text("table.users").lower()
    page.context.close()


def _oral_of(page: Any, name: str) -> Any:
    """The oral section of a learner's card on the grading page."""
    return page.locator("section.learner", has_text=name).locator("section.oral")


def test_the_jury_records_the_oral_on_a_phone(browser: Any, server: str) -> None:
    """Issue 21: record → sign → refused edit → correction → publication, on a 390 px screen;
    the learner then reads her published oral."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = _page(browser, server, PHONE)
    _login(page, EVALUATOR, Clicks())
    page.goto("/g/demo/assessments")
    card = page.locator("section.learner", has_text="Sophie Nguyen")
    card.locator("nav.tabs a:has-text('Oral')").click()  # the oral, beside the written part
    assert page.url.endswith("-oral")
    oral = _oral_of(page, "Sophie Nguyen")
    assert oral.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # record a draft
    form = oral.locator("form.record-oral")
    form.locator("input[name=held_on]").fill("2026-12-18")
    form.locator("input[name=duration]").fill("20")
    for code in ("C1", "C2", "C3", "C4", "C5", "C6", "C7"):
        form.locator(f"select[name=oral-level-{code}]").select_option("3")
    form.locator("textarea[name=oral-obs-C2]").fill("Cite la loi Hamon avec son lien officiel")
    form.locator("textarea[name=questions]").fill("Comment vérifiez-vous une source secondaire ?")
    form.locator("textarea[name=answers]").fill("Précises ; un recoupement montré en exemple")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    oral = _oral_of(page, "Sophie Nguyen")
    assert "Brouillon v1" in oral.inner_text() and "brouillon" in oral.inner_text()
    # a second tab keeps the draft's form open, as a jury member who left it there
    stale = page.context.new_page()
    stale.goto("/g/demo/assessments")
    stale_oral = _oral_of(stale, "Sophie Nguyen")
    stale_oral.locator("details.oral-form summary").click()
    # sign with the demo's jury: locked
    sign = oral.locator("form.sign-oral")
    assert "Jury de démonstration" in sign.inner_text()
    sign.locator("button").click()
    page.wait_for_load_state()
    oral = _oral_of(page, "Sophie Nguyen")
    assert (
        "verrouillée" in oral.inner_text() and "Séance du 18/12/2026 — 20 min" in oral.inner_text()
    )
    assert oral.locator("form.record-oral").count() == 0  # no draft form any more
    # the edit from the stale tab is refused: the signed record is unchanged
    stale_oral.locator("input[name=duration]").fill("45")
    with stale.expect_response("**/assessments/oral") as refused:
        stale_oral.locator("form.record-oral button[type=submit]").click()
    assert refused.value.status == 409
    assert "correction" in stale.inner_text("main")
    stale.close()
    page.reload()
    assert "Séance du 18/12/2026 — 20 min" in _oral_of(page, "Sophie Nguyen").inner_text()
    # a correction: version 2 with its reason, signed in turn
    oral = _oral_of(page, "Sophie Nguyen")
    oral.locator("details.oral-correct summary").click()
    fix = oral.locator("details.oral-correct form")
    fix.locator("select[name=oral-level-C5]").select_option("4")
    fix.locator("textarea[name=oral-obs-C5]").fill("Recoupements montrés en direct")
    fix.locator("input[name=reason]").fill("C5 revu après délibération")
    fix.locator("button[type=submit]").click()
    page.wait_for_load_state()
    _oral_of(page, "Sophie Nguyen").locator("form.sign-oral button").click()
    page.wait_for_load_state()
    oral = _oral_of(page, "Sophie Nguyen")
    text = oral.inner_text()
    assert "v2" in text and "2 versions" in text and "C5 revu après délibération" in text
    assert "4 — expert" in text and "Recoupements montrés en direct" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    oral.screenshot(path=str(SCREENSHOTS / "oral-record-phone.png"))
    # publication: the learner reads her oral, and nothing to fill in
    page.locator("form[action$='/assessments/publish'] button").click()
    page.wait_for_load_state()
    page.context.close()
    learner = _page(browser, server, PHONE)
    _login(learner, "sophie.nguyen@example.org", Clicks())
    learner.goto("/g/demo/assessments")
    mine = learner.locator("section.oral")
    assert mine.count() == 1
    text = _check_readable(learner, "oral learner")
    seen = mine.inner_text()
    assert "publiée" in seen and "Recoupements montrés en direct" in seen
    assert "Précises ; un recoupement montré en exemple" in seen and "18/12/2026" in seen
    assert "Motif de la correction" not in text and learner.locator("select").count() == 0
    assert learner.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    learner.screenshot(path=str(SCREENSHOTS / "oral-learner-phone.png"), full_page=True)
    learner.context.close()


def test_a_double_click_on_sign_signs_once_with_feedback(browser: Any, server: str) -> None:
    """The walkthrough: a double click on « Signer » sent the form twice, and the second answer
    (« déjà signée », 409) replaced the signature that worked. The form is sent once; while the
    server works, its button is disabled and reads « En cours… »."""
    from playwright.sync_api import expect

    page = _page(browser, server, DESKTOP)
    _login(page, EVALUATOR, Clicks())
    page.goto("/g/demo/assessments")
    card = page.locator("section.learner", has_text="Sophie Nguyen")
    form = card.locator("form.record-form")
    form.locator("fieldset.competence[id$='-C4'] input[value='2']").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.url.endswith("/sign") else None)
    held: list[Any] = []  # the server answers once the page has been looked at
    page.route("**/assessments/sign", lambda route: held.append(route))
    sign = card.locator("form.sign-form button")
    assert "Signer" in sign.inner_text()
    # what the button shows while the request is held (locators wait for the navigation)
    sign.evaluate(
        """(button) => new MutationObserver(() => console.log(`sign: ${button.textContent}`
            + ` ${button.disabled} ${button.getAttribute('aria-busy')}`)).observe(button,
            {attributes: true, childList: true, characterData: true, subtree: true})"""
    )
    with page.expect_console_message(lambda m: m.text == "sign: En cours… true true"):
        sign.dblclick()
    page.unroute("**/assessments/sign")
    for route in held:
        route.continue_()
    expect(card.locator("tbody[data-competence=C4]")).to_contain_text("verrouillée")
    assert "déjà signée" not in page.inner_text("main")
    assert len(sent) == 1, sent
    page.context.close()


def test_a_generated_file_s_link_says_it_is_being_prepared(browser: Any, server: str) -> None:
    """The oral's PDF takes seconds: the link reads « En cours… » until the file comes."""
    from playwright.sync_api import expect

    page = _page(browser, server, DESKTOP)
    _login(page, EVALUATOR, Clicks())
    page.goto("/g/demo/dossier")
    link = page.locator("a[download][href*='/oral.pdf?']")
    assert link.inner_text() == "Support PDF"
    with page.expect_download() as download:
        link.click()
        expect(link).to_have_text("En cours…")
        expect(link).to_have_attribute("aria-busy", "true")
    assert download.value.suggested_filename.endswith(".pdf")
    page.context.close()


def test_a_learner_is_told_what_the_group_writes_itself(browser: Any, server: str) -> None:
    """Every format of the dossier leaves the introduction, the answers to the watch's
    questions, the analysis and the conclusion « À compléter par le groupe »: Watcher cannot
    write them. The learners' « À compléter avant de remettre le dossier » said only what the
    bilan lists, so a group could hand in the PDF with those placeholders in it."""
    page = _page(browser, server, DESKTOP)
    _login(page, "lea.moreau@example.org", Clicks())
    page.goto("/g/demo/dossier")
    card = page.locator("#a-completer").inner_text()
    for part in (
        "introduction (contexte, problématique, objectifs)",
        "réponses aux 5 questions de veille",
        "analyse (PESTEL, SWOT, tendances, signaux faibles)",
        "conclusion",
        "DOCX",
    ):
        assert part in card, card
    page.context.close()


def test_the_tutor_sees_the_jury_s_levels_once_they_are_published(
    browser: Any, server: str, demo: Path
) -> None:
    """The jury deliberates in confidence until its results are published to the group: a
    level the evaluator signed reaches the tutor then, as it reaches the learner — not before,
    on the tutor's page, in the group's export nor in `watcher assess list --as`."""
    from playwright.sync_api import expect

    secret = "Synthèses hebdomadaires archivées et diffusées sans retard"
    listed = "lea.moreau@example.org  bloc1-jury  C7"
    evaluator = _page(browser, server, DESKTOP)
    _login(evaluator, EVALUATOR, Clicks())
    evaluator.goto("/g/demo/assessments")
    card = evaluator.locator("section.learner", has_text="Léa Moreau")
    form = card.locator("form.record-form")
    form.locator("fieldset.competence[id$='-C7'] input[value='4']").check()
    form.locator("textarea[name=comment-C7]").fill(secret)
    form.locator("button[type=submit]").click()
    evaluator.wait_for_load_state()
    card.locator("form.sign-form button").click()
    evaluator.wait_for_load_state()
    expect(card.locator("tbody[data-competence=C7]")).to_contain_text("verrouillée")

    def cli_list() -> str:
        config = str(demo / "sources.yml")
        as_tutor = ["--config", config, "assess", "list", "--as", TUTOR]
        result = CliRunner().invoke(main, as_tutor)
        assert result.exit_code == 0, result.output
        return result.output

    tutor = _page(browser, server, DESKTOP)
    _login(tutor, TUTOR, Clicks())
    tutor.goto("/g/demo/assessments")
    assert secret not in tutor.content()
    lea = tutor.locator("section.learner", has_text="Léa Moreau")
    assert "4 — expert" not in " ".join(lea.locator("table.assess").all_inner_texts())
    notice = tutor.locator("p.hint", has_text="délibération reste confidentielle")
    assert notice.is_visible()  # the tutor is told why, and until when
    _check_readable(tutor, "tutor before publication")
    tutor.screenshot(path=str(SCREENSHOTS / "tutor-before-publication.png"), full_page=True)
    export = tutor.request.get(f"{server}/g/demo/assessments.csv")
    assert export.ok and secret not in export.text()
    assert listed not in cli_list()

    evaluator.locator("form[action$='/assessments/publish'] button").click()
    evaluator.wait_for_load_state()
    evaluator.context.close()
    tutor.reload()
    lea = tutor.locator("section.learner", has_text="Léa Moreau")
    row = lea.locator("tbody.locked[data-competence=C7]")  # the jury's grid, not the tutor's
    assert "4 — expert" in row.inner_text() and "publiée" in row.inner_text()
    assert secret in row.inner_text()
    assert secret in tutor.request.get(f"{server}/g/demo/assessments.csv").text()
    assert listed in cli_list()
    tutor.context.close()
