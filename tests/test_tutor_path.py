"""The company tutor's path: what the group's tutor reads, fills in and must not do.

The tutor is declared in sources.yml (`tutor:` of a group), gets an account (`watcher user add
… --role tuteur --group …`), receives the weekly digest, reads the group's watch, its digests and
its dossier, fills in the tutor's grid (« Grille du tuteur en entreprise »), and signs out. The
pages say nothing the tutor cannot do, and in the tutor's words (the tutor grid's levels, not the
jury's). Access rules are in `tests/test_web_app.py`'s role × page matrix; here, what the tutor
reads. The walk itself, on the demo in Chromium: `test_tutor_walk_in_chromium`.
"""

from __future__ import annotations

import email
import io
import re
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from digest_fixtures import Sink, SmtpServer
from pypdf import PdfReader
from test_evaluator_path import DESKTOP, Clicks, _check_readable, _login, _page
from test_web_app import CSRF, EMAILS, Ids, Web, _build, _web
from test_web_browser import ARGS, CHROMIUM, SCREENSHOTS

from watcher.cli.demo import DEMO_PASSWORD
from watcher.cli.main import main
from watcher.web import create_app
from watcher.workspace import Workspace


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Ids]:
    root = tmp_path_factory.mktemp("tutorwatch")
    _workspace, ids = _build(root)
    return root, ids


@pytest.fixture
def web(base: tuple[Path, Ids], tmp_path: Path) -> Iterator[Web]:
    yield from _web(*base, tmp_path / "watch")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


# --- the account -------------------------------------------------------------------------------


def test_a_tutor_account_without_its_group_is_refused_in_french_words(web: Web) -> None:
    """`watcher user add … --role tuteur` without --group: the refusal names the role in French
    (« tuteur »), not its code (« tutor »)."""
    result = CliRunner().invoke(
        main,
        ["--config", str(web.workspace.config), "user", "add", "marc@example.org",
         "--name", "Marc Petit", "--role", "tuteur"],
        env={"WATCHER_PASSWORD": "mot-de-passe-du-tuteur"},
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "tuteur" in result.output and "tutor" not in result.output, result.output


# --- what the tutor reads ---------------------------------------------------------------------


def test_saved_searches_do_not_tell_the_tutor_to_save_or_renew(web: Web) -> None:
    """Saving a search and renewing its feed's address are the learners' acts: the tutor's
    page does not ask the tutor to do them."""
    learner = web.client("learner").get("/g/g1/searches").get_data(as_text=True)
    assert "« Nouvelle adresse »" in learner
    tutor = _text(web.client("tutor").get("/g/g1/searches").get_data(as_text=True))
    assert "Nouvelle adresse" not in tutor
    assert "prix" in tutor  # the group's saved search and its feed are there to read
    deleted = web.client("learner").post(
        "/g/g1/searches/delete", data={"name": "prix", "csrf_token": CSRF}
    )
    assert deleted.status_code == 303
    tutor = _text(web.client("tutor").get("/g/g1/searches").get_data(as_text=True))
    assert "puis « Enregistrer »" not in tutor
    assert "Aucune recherche enregistrée" in tutor and "apprenants" in tutor


def test_the_digest_preview_names_its_week_in_words(web: Web) -> None:
    """The preview's title says « semaine 48 », not the ISO code kept for URLs (2026-W48)."""
    page = web.client("tutor").get("/g/g1/digests/preview").get_data(as_text=True)
    title = re.search(r"<h1>(.*?)</h1>", page, re.S)
    assert title is not None
    assert not re.search(r"\d{4}-W\d\d", title.group(1)), title.group(1)
    assert re.search(r"[Ss]emaine \d+", title.group(1)), title.group(1)


def test_the_tutor_reads_the_levels_of_the_tutor_grid(web: Web) -> None:
    """The tutor grids on « 0 — non observé … 4 — autonome et force de proposition »: the
    page's scale and its rule on level 0 say those, not the jury grid's « non évaluable »."""
    tutor = _text(web.client("tutor").get("/g/g1/assessments").get_data(as_text=True))
    assert "non évaluable" not in tutor
    assert "0 (non observé)" in tutor
    evaluator = _text(web.client("evaluator").get("/g/g1/assessments").get_data(as_text=True))
    assert "0 (non évaluable)" in evaluator
    refused = web.client("tutor").post(
        "/g/g1/assessments/record",
        data={"learner": EMAILS["learner"], "grid_id": "bloc1-tuteur", "level-C4": "0",
              "csrf_token": CSRF},
    )  # fmt: skip
    assert refused.status_code == 400
    said = _text(refused.get_data(as_text=True))
    assert "un niveau 0 (non observé) doit être expliqué" in said, said


def test_the_jury_s_decision_comes_out_with_its_levels(web: Web) -> None:
    """The jury decides on records the group does not see yet (signed, not published): the
    tutor and the learner do not see the decision either — the jury deliberates in confidence
    —, while the evaluators see it « pas encore publiée »; once an evaluator publishes, the
    decision and the levels it rests on come out together, to both, in the page and the PDF."""
    decided = web.client("evaluator").post(
        "/g/g1/assessments/decision",
        data={"learner": EMAILS["learner"], "jury_id": str(web.ids.jury),
              "decided_on": "2026-11-27", "outcome": "ajourné", "csrf_token": CSRF},
    )  # fmt: skip
    assert decided.status_code == 303, decided.get_data(as_text=True)[:500]
    evaluator = _text(web.client("evaluator").get("/g/g1/assessments").get_data(as_text=True))
    assert "Décision du jury : ajourné" in evaluator and "l'écrit : C1 3" in evaluator
    assert "pas encore publiée : l'apprenant et son tuteur la verront" in evaluator
    assert "1 décision du jury pas encore publiée." in evaluator

    def seen(role: str) -> tuple[str, str]:
        page = _text(web.client(role).get("/g/g1/assessments").get_data(as_text=True))
        pdf = web.client(role).get("/g/g1/assessments.pdf")
        assert pdf.status_code == 200
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
        return page, re.sub(r"\s+", " ", text)

    for role in ("tutor", "learner"):
        for shown in seen(role):
            assert "ajourné" not in shown and "Décision du jury" not in shown, role
    published = web.client("evaluator").post(
        "/g/g1/assessments/publish", data={"csrf_token": CSRF}, follow_redirects=True
    )
    said = _text(published.get_data(as_text=True))
    assert "1 décision du jury publiée : l'apprenant et son tuteur la voient désormais." in said
    for role in ("tutor", "learner"):
        for shown in seen(role):
            assert "Décision du jury : ajourné" in shown, role
            assert "aucune évaluation signée" not in shown, role
        page, _pdf = seen(role)
        assert "l'écrit : C1 3" in page and "pas encore publiée" not in page, role


def test_the_command_line_does_not_reveal_the_jury_s_records_to_the_tutor(web: Web) -> None:
    """In the web app, a record the tutor may not see answers 404, as a missing one; `watcher
    assess sign|correct N --as <tutor>` says the same for the jury's records (a draft, a level
    signed and not published) as for a number that does not exist: nothing tells the tutor that
    the jury has written something, nor on which grid."""

    def said(*args: str) -> tuple[int, str]:
        done = CliRunner().invoke(
            main, ["--config", str(web.workspace.config), "assess", *args, "--as", EMAILS["tutor"]]
        )
        return done.exit_code, done.output

    for record in (web.ids.signed, web.ids.draft):
        for action in (["sign", str(record)],
                       ["correct", str(record), "--level", "1", "--reason", "essai"]):  # fmt: skip
            code, output = said(*action)
            missing_code, missing = said(action[0], "999999", *action[2:])
            assert (code, output.replace(str(record), "N")) == (
                missing_code,
                missing.replace("999999", "N"),
            ), (action, output)
            assert "jury" not in output, output


# --- the walk, on the demo, in Chromium --------------------------------------------------------

TUTOR = "helene.garnier@example.org"
OTHER_TUTOR = "marc.petit@example.org"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Sink]]:
    """`watcher demo`, then what a school does for a tutor: a second group with its own tutor
    in sources.yml and `watcher user add` for that tutor, the mail: section of a real SMTP server
    on 127.0.0.1, the week's digest sent; an evaluator's draft and signed level (the jury's,
    not published)."""
    target = tmp_path_factory.mktemp("tutor") / "demo"
    runner = CliRunner()
    result = runner.invoke(main, ["demo", "--dir", str(target), "--port", "0"])
    assert result.exit_code == 0, result.output
    config = target / "sources.yml"
    sink = Sink()
    with SmtpServer(sink) as smtp:
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
        data["mail"] = {"host": "127.0.0.1", "port": smtp.port, "starttls": False,
                        "sender": "veille@example.org"}  # fmt: skip
        data["groups"].append(
            {"id": "autre", "name": "Autre groupe",
             "members": [{"name": "Nina Roux", "email": "nina.roux@example.org"}],
             "tutor": {"name": "Marc Petit", "email": OTHER_TUTOR,
                       "role": "maître d'apprentissage"}}
        )  # fmt: skip
        config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

        def run(*args: str, **env: str) -> str:
            done = runner.invoke(main, ["--config", str(config), *args], env=env or None)
            assert done.exit_code == 0, (args, done.output)
            return done.output

        added = run("user", "add", OTHER_TUTOR, "--name", "Marc Petit", "--role", "tuteur",
                    "--group", "autre", WATCHER_PASSWORD=DEMO_PASSWORD)  # fmt: skip
        assert "Compte créé" in added and "tuteur du groupe autre" in added
        run("digest", "--group", "demo", "--week", "courante", "--send", "--early")
        evaluator = "evaluateur@example.org"
        run("assess", "record", "--as", evaluator, "--learner", "lea.moreau@example.org",
            "--competence", "C2", "--level", "1", "--comment", "Délibération en cours")  # fmt: skip
        run("assess", "record", "--as", evaluator, "--learner", "lea.moreau@example.org",
            "--competence", "C3", "--level", "2", "--jury", "1")  # fmt: skip
        signed = run("assess", "list", "--as", evaluator)
        number = re.search(r"n° (\d+) .* C3 ", signed)
        assert number is not None, signed
        run("assess", "sign", number.group(1), "--as", evaluator)
    yield target, sink


@pytest.fixture(scope="module")
def server(demo: tuple[Path, Sink]) -> Iterator[str]:
    import waitress

    app = create_app(Workspace(demo[0] / "sources.yml"), secure_cookies=False)
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


def _mail_to(sink: Sink, address: str) -> EmailMessage:
    mine = [m for m in sink.messages if m.recipients == [address]]
    assert len(mine) == 1, [m.recipients for m in sink.messages]
    message = email.message_from_bytes(mine[0].data, policy=default)
    assert isinstance(message, EmailMessage)
    return message


@pytest.mark.slow
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="bash .ci/setup installs chromium")
def test_tutor_walk_in_chromium(demo: tuple[Path, Sink], server: str, browser: Any) -> None:
    _target, sink = demo
    # the weekly digest reached the tutor, in French, naming her as the group's tutor
    mail = _mail_to(sink, TUTOR)
    assert "Hélène Garnier" in str(mail["To"]) and "[Veille Groupe démo]" in str(mail["Subject"])
    body = mail.get_body(("plain",))
    assert body is not None
    assert "tutrice en entreprise : Hélène Garnier" in body.get_content()
    assert OTHER_TUTOR not in sink.copies()  # another group's tutor gets another group's digest

    page = _page(browser, server, DESKTOP)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _login(page, TUTOR, Clicks())
    assert page.url.endswith("/g/demo/search")  # the group's watch, at once
    _check_readable(page, "search")
    assert "tuteur · Groupe démo" in page.inner_text("header")
    page.locator("ol.hits li.hit h2 a").first.click()
    page.wait_for_load_state()
    item = _check_readable(page, "item")
    assert "sans pouvoir les modifier" in item
    assert page.locator("form[action$='/curation']").count() == 0  # sorting is the learners'
    menu = page.locator("header nav")
    for label, what in (("Retenus", "curated"), ("Recherches enregistrées", "searches"),
                        ("Journal", "log"), ("Sources", "sources")):  # fmt: skip
        menu.locator(f"a:has-text('{label}')").first.click()
        page.wait_for_load_state()
        text = _check_readable(page, what)
        assert "Nouvelle adresse" not in text and "Importer" not in text, what
    menu.locator("a:has-text('Synthèses')").first.click()
    page.wait_for_load_state()
    assert "envoyée le" in _check_readable(page, "digests")
    page.locator("a:has-text('Aperçu de la prochaine synthèse')").click()
    page.wait_for_load_state()
    _check_readable(page, "preview")
    menu.locator("a:has-text('Dossier')").first.click()
    page.wait_for_url("**/g/demo/dossier**")
    assert page.locator("#preuve-C1").is_visible()
    _check_readable(page, "dossier")
    page.screenshot(path=str(SCREENSHOTS / "tutor-dossier-desktop.png"), full_page=True)

    # the tutor's grid: the evidence beside each level, drafts, then signed
    menu.locator("a:has-text('Évaluations')").first.click()
    page.wait_for_url("**/g/demo/assessments**")
    text = _check_readable(page, "assessments")
    assert "Délibération en cours" not in text  # the jury's draft
    assert "2 — en progrès" not in text  # nor its signed level, not published
    assert "non évaluable" not in text and "0 (non observé)" in text
    lea = page.locator("section.learner", has_text="Léa Moreau")
    form = lea.locator("form.record-form")
    assert "Grille du tuteur en entreprise" in lea.inner_text()
    for code in ("C1", "C2", "C3", "C4", "C5", "C6", "C7"):
        fieldset = form.locator(f"fieldset.competence[id$='-{code}']")
        assert fieldset.locator(".evidence li").count() >= 1, code
        assert "non observé" in fieldset.inner_text(), code
        fieldset.locator("input[value='3']").check()
    form.locator("textarea[name=comment-C7]").fill("Utilise le CRM de l'agence sans aide")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    lea = page.locator("section.learner", has_text="Léa Moreau")
    assert "enregistrées en brouillon" in lea.inner_text()
    lea.locator("form.sign-form button").click()
    page.wait_for_load_state()
    lea = page.locator("section.learner", has_text="Léa Moreau")
    row = lea.locator("tbody[data-competence=C7]").first
    assert "verrouillée" in row.inner_text() and "3 — autonome" in row.inner_text()
    _check_readable(page, "assessments signed")
    page.screenshot(path=str(SCREENSHOTS / "tutor-assessments-desktop.png"), full_page=True)

    # what is not hers: another group, the admin's pages, the check of a handed-in file
    for url in ("/g/autre/search", "/g/autre/dossier", "/admin/users", "/verify",
                "/assessments/juries"):  # fmt: skip
        response = page.goto(url)
        assert response is not None and response.status == 403, url
        assert "Accès refusé" in _check_readable(page, url)

    # signing out: the session ends, the watch asks for a password again
    page.goto("/g/demo/")
    page.locator("form[action='/logout'] button").click()
    page.wait_for_url("**/login**")
    assert "déconnecté" in page.inner_text("main")
    page.goto("/g/demo/assessments")
    assert "/login" in page.url
    page.context.close()
