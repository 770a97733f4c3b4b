"""What a user walking through the web app trips on (the walkthrough of the web app): each test
is a problem met in the browser, written against Flask's test client on test_web_app's watch."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

import pytest
import yaml
from flask.testing import FlaskClient
from test_web_app import CSRF, NOW, Ids, Web, _build, _entry

from watcher.store.assess import AssessStore
from watcher.store.mail import MailStore
from watcher.web import create_app
from watcher.workspace import Workspace


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Ids]:
    root = tmp_path_factory.mktemp("walkthrough")
    _workspace, ids = _build(root)
    return root, ids


@pytest.fixture
def web(base: tuple[Path, Ids], tmp_path: Path) -> Iterator[Web]:
    """A private copy of test_web_app's watch (SQLite), served by the app."""
    shutil.copytree(base[0], tmp_path / "watch")
    workspace = Workspace(tmp_path / "watch" / "sources.yml")
    app = create_app(workspace, now=lambda: NOW, testing=True)
    yield Web(app, workspace, base[1])
    app.extensions["watcher"].close()


def test_a_form_sent_after_the_session_ended_asks_to_sign_in_again(web: Web) -> None:
    """A learner writes a fiche, their session ends (12 h, or « Se déconnecter » on another
    device), they send it: not a bare « 400 formulaire expiré » with « Retour à l'accueil »,
    but the sign-in page saying nothing was saved, which brings them back to the fiche."""
    client = web.app.test_client()  # no session any more: the cookie expired
    fiche = f"/g/g1/items/{web.ids.g1}/fiche"
    response = client.post(
        fiche,
        data={"summary": "Mon résumé", "csrf_token": "a token of the ended session"},
        headers={"Referer": f"http://localhost{fiche}"},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/login?") and f"next={fiche}" in location
    page = unescape(client.get(location).get_data(as_text=True))
    assert "Votre session a pris fin" in page and "n'a pas été enregistré" in page
    assert f'name="next" value="{fiche}"' in page
    assert web.store.fiche("g1", web.ids.g1) is not None  # the fixture's, unchanged
    assert web.store.fiche("g1", web.ids.g1).summary != "Mon résumé"  # type: ignore[union-attr]
    # a form from another site is not a page to come back to
    other = client.post(fiche, data={}, headers={"Referer": "https://evil.example.org/x"})
    assert re.search(r"next=/(&|$)", other.headers["Location"])


def _log_rows(web: Web) -> list[str]:
    html = web.client("learner").get("/g/g1/log").get_data(as_text=True)
    rows = re.findall(r"<tr><td>.*?</tr>", unescape(html), re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in rows]


def test_the_contribution_log_names_a_fiche_s_fields_in_french_once(web: Web) -> None:
    """A learner writes a first fiche with a summary, then clicks « Enregistrer la fiche »
    again (or twice in a row): the log said « qui, quoi, ou, quand, comment, combien, pourquoi,
    summary, importance, action, action_owner, action_deadline, crosscheck_item_id » — every
    field, by its identifier — then logged the unchanged fiche a second time."""
    client = web.client("learner")
    url = f"/g/g1/items/{web.ids.g1_twin}/fiche"
    form = {"summary": "Telvia confirme", "action": "Comparer", "action_owner": "Léa",
            "csrf_token": CSRF}  # fmt: skip
    before = _log_rows(web)
    assert client.post(url, data=form).status_code == 303
    assert client.post(url, data=form).status_code == 303  # the same form, sent again
    added = _log_rows(web)[: len(_log_rows(web)) - len(before)]
    assert len(added) == 1, added
    assert added[0].endswith("Résumé, Action proposée, Responsable"), added[0]
    form["action_deadline"] = "2026-12-15"
    assert client.post(url, data=form).status_code == 303
    assert _log_rows(web)[0].endswith("a rédigé la fiche de Prix des forfaits : Telvia "
                                      "confirmé par l'Arcep Échéance")  # fmt: skip


def test_a_period_refused_is_said_on_the_dossier_page_beside_its_form(web: Web) -> None:
    """A learner picks the dossier's period the wrong way round (or over 400 days): they got a
    bare error page with « Retour à l'accueil »; the dossier page now says what is wrong above
    its form, the dates they typed still in it, and shows the default period's dossier."""
    client = web.client("learner")
    response = client.get("/g/g1/dossier?from=2026-12-01&to=2026-01-01")
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    assert "La fin de la période (1er janvier 2026) précède son début (1er décembre 2026)." in page
    assert 'name="from" value="2026-12-01"' in page and 'name="to" value="2026-01-01"' in page
    assert "par défaut" in page.split("La fin de la période")[1][:300]
    assert "Télécharger le dossier" in page  # the page, not an error page
    too_long = client.get("/g/g1/dossier?from=2020-01-01&to=2026-11-27")
    assert too_long.status_code == 400
    assert "Période trop longue" in too_long.get_data(as_text=True)
    assert 'name="from" value="2020-01-01"' in too_long.get_data(as_text=True)
    # ISO weeks are read as `watcher dossier` reads them (watcher.jobs.dossier.asked_period):
    # the end week up to its Sunday, not its Monday
    typo = client.get("/g/g1/dossier?from=demain")
    assert typo.status_code == 400
    assert "Début de la période : date invalide « demain »" in unescape(typo.get_data(as_text=True))
    weeks = client.get("/g/g1/dossier?from=2026-W45&to=2026-W48")
    assert weeks.status_code == 200
    assert 'name="to" value="2026-11-29"' in weeks.get_data(as_text=True)


def test_a_dossier_period_with_nothing_collected_says_when_the_group_collected(web: Web) -> None:
    """The demo collected today, a learner opens the dossier of last month: every section said
    0 without a word (`watcher dossier` says why); the page now says when the group's items
    were collected and links that period."""
    client = web.client("learner")
    page = unescape(client.get("/g/g1/dossier?from=2026-09-01&to=2026-09-30").get_data(True))
    assert "Aucun article collecté pendant cette période" in page
    assert "le 27 novembre 2026" in page
    assert "/g/g1/dossier?from=2026-11-27&to=2026-11-27" in page
    assert "Aucun article collecté" not in client.get("/g/g1/dossier").get_data(True)


def test_the_search_page_of_a_group_that_has_nothing_yet_says_why(web: Web) -> None:
    """A new group (declared in sources.yml, its account made): its search page said
    « 0 résultat(s) » and nothing else, as if the watch had found nothing."""
    config = yaml.safe_load(web.workspace.config.read_text(encoding="utf-8"))
    config["groups"].append({"id": "g3", "name": "Groupe 3"})
    web.workspace.config.write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    web.users.add("nina@example.org", "Nina", "learner", "mot de passe long", group_id="g3",
                  now=NOW)  # fmt: skip
    client = web.app.test_client()
    user = web.users.by_email("nina@example.org")
    assert user is not None
    with client.session_transaction() as session:
        session.update(csrf=CSRF, uid=user.id, sv=user.session_version)
    page = unescape(client.get("/g/g3/search").get_data(as_text=True))
    assert "Rien n'a encore été collecté pour ce groupe" in page
    assert "Rien n'a encore été collecté" not in web.client("learner").get(
        "/g/g1/search?q=introuvablezz"
    ).get_data(as_text=True)
    # collected, not analysed yet (no `watcher process`, no scheduler): the page says so
    entry = _entry("new1", "Nouvel article", "Un article pas encore analysé.", NOW)
    web.store.store_feed("s1", ["g1"], [entry], NOW, url="https://s1", found=None)
    waiting = unescape(web.client("learner").get("/g/g1/search?q=nouvel").get_data(True))
    assert "1 article collecté pas encore analysé" in waiting


def test_the_pager_reaches_the_last_page_and_a_page_too_far_goes_there(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    """« 53 résultat(s) — page 1 sur 6 » listed « 1 2 3 suivante → »: no way to the last pages
    but one at a time; and an old link to page 9 of 6 showed « page 9 sur 6 » and no result."""
    monkeypatch.setattr("watcher.web.search.PER_PAGE", 2)
    client = web.client("learner")
    first = unescape(client.get("/g/g1/search?q=forfait").get_data(as_text=True))
    pages = int(re.search(r"page 1 sur (\d+)", first).group(1))  # type: ignore[union-attr]
    assert pages >= 5
    pager = first.split('class="pager"')[1].split("</nav>")[0]
    assert f'page={pages}">{pages}</a>' in pager and "…" in pager
    too_far = client.get("/g/g1/search?q=forfait&page=99")
    assert too_far.status_code == 302
    assert too_far.headers["Location"].endswith(f"page={pages}")
    last = unescape(client.get(too_far.headers["Location"]).get_data(as_text=True))
    assert f"page {pages} sur {pages}" in last and 'class="hit"' in last
    assert '?q=forfait">1</a>' in last.split('class="pager"')[1]  # back to the first page


def test_saving_a_search_under_a_name_taken_asks_before_replacing(web: Web) -> None:
    """Léa saved « prix » (the fixture's, sorted by date); Karim saves another query under the
    same name: it silently replaced hers (her feed's readers then got his query)."""
    client = web.client("learner")
    form = {"name": "prix", "q": "forfait -promotion", "sort": "relevance", "csrf_token": CSRF}
    asked = client.post("/g/g1/searches", data=form)
    assert asked.status_code == 409
    page = unescape(asked.get_data(as_text=True))
    assert "Une recherche « prix » existe déjà" in page
    assert 'name="replace" value="1"' in page and "forfait -promotion" in page
    saved = {s.name: s for s in web.store.saved_searches("g1")}
    assert saved["prix"].query == "prix"  # not replaced
    replaced = client.post("/g/g1/searches", data={**form, "replace": "1"})
    assert replaced.status_code == 303
    assert {s.name: s for s in web.store.saved_searches("g1")}["prix"].query == "forfait -promotion"
    other = client.post("/g/g1/searches", data={**form, "name": "forfaits"})
    assert other.status_code == 303  # a new name: saved at once, as before


def test_levels_partly_refused_say_what_was_saved_and_for_whom(web: Web) -> None:
    """An evaluator grades C3 and C4 of a learner, C4 at 0 without the comment a 0 needs: the
    page said « C4 : un niveau 0 … » at the top — whose C4, among the group's learners? and C3,
    saved as a draft meanwhile, was not mentioned (one tends to send it all again)."""
    client = web.client("evaluator")
    form = {"learner": "lea@example.org", "grid_id": "bloc1-jury", "level-C3": "3",
            "level-C4": "0", "csrf_token": CSRF}  # fmt: skip
    response = client.post("/g/g1/assessments/record", data=form)
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    errors = re.findall(r'<p class="error" role="alert">(.*?)</p>', page, re.S)
    assert any("Learner" in e and "C3" in e and "brouillon" in e for e in errors), errors
    assert any(e.startswith("Learner — C4 : ") and "commentaire" in e for e in errors), errors


def test_signing_out_says_so(web: Web) -> None:
    """« Se déconnecter » landed on the bare sign-in form: had it worked? on every device?"""
    client = web.client("learner")
    response = client.post("/logout", data={"csrf_token": CSRF})
    assert response.status_code == 303
    page = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Vous êtes déconnecté(e) de Watcher, sur tous vos appareils." in page
    # signing out again from a tab left open: the sign-in page, without « not saved »
    again = client.post("/logout", data={"csrf_token": "old"})
    assert again.headers["Location"] == "/login?out=1"


def test_an_error_page_says_what_happened_in_words(web: Web) -> None:
    """A mistyped address: the tab read « 404 · Watcher » and the page's heading « 404 »; a
    person reads « Page introuvable » (the code stays beside it for whoever reports it)."""
    client = web.client("learner")
    missing = unescape(client.get("/g/g1/nulle-part").get_data(as_text=True))
    assert "<title>Page introuvable (404) · Watcher</title>" in missing
    assert re.search(r"<h1>Page introuvable <small>404</small></h1>", missing)
    refused = unescape(client.get("/g/g2/search").get_data(as_text=True))
    assert "<title>Accès refusé (403) · Watcher</title>" in refused


def test_an_item_s_axes_and_topics_lead_to_the_group_s_other_items(web: Web) -> None:
    """On an item, « Marché & concurrence » and « Économique » were plain labels, alike: the
    learner who wants the other items of that axis or topic had to type axis:… in the search.
    They now link to the search filtered on them, each saying what it is."""
    page = unescape(web.client("learner").get(f"/g/g1/items/{web.ids.g1}").get_data(True))
    axis = re.search(r'<a class="tag" href="([^"]+)" title="([^"]+)">Marché & concurrence</a>',
                     page)  # fmt: skip
    assert axis and axis.group(1) == "/g/g1/search?q=axis:concurrence", page[:200]
    assert axis.group(2) == "Axe de veille : voir ses articles"
    topic = re.search(r'<a class="tag topic" href="([^"]+)" title="([^"]+)">', page)
    assert topic and topic.group(1) == "/g/g1/search?q=topic:economique"
    assert topic.group(2) == "Thème PESTEL : voir ses articles"
    found = web.client("learner").get(axis.group(1)).get_data(as_text=True)
    assert "Telvia baisse le prix de ses forfaits" in found


def test_the_menu_shows_which_page_is_open(web: Web) -> None:
    """Every menu link looked the same whatever the page: which one am I on (and a screen
    reader said nothing either)?"""
    client = web.client("learner")
    for path, label in (("/g/g1/curated", "Retenus"), ("/g/g1/search?q=prix", "Recherche"),
                        ("/g/g1/dossier", "Dossier")):  # fmt: skip
        page = unescape(client.get(path).get_data(as_text=True))
        nav = page.split('<nav aria-label="Navigation">')[1].split("</nav>")[0]
        current = re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', nav)
        assert current == [label], (path, current)


def test_a_form_from_an_old_tab_leads_back_to_its_page(web: Web) -> None:
    """A fiche typed in a tab opened before signing in again elsewhere (a new session, a new
    form token): « Le formulaire a expiré … rechargez la page » offered only « Retour à
    l'accueil », away from the fiche; it now links back to the form's page."""
    client = web.client("learner")
    fiche = f"/g/g1/items/{web.ids.g1}/fiche"
    response = client.post(fiche, data={"summary": "x", "csrf_token": "an old tab's token"},
                           headers={"Referer": f"http://localhost{fiche}"})  # fmt: skip
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    assert "Le formulaire a expiré" in page
    assert f'<a href="{fiche}">Revenir à la page du formulaire</a>' in page


def test_an_evaluator_finds_the_export_of_every_group_s_assessments(web: Web) -> None:
    """The cohort's export (`/assessments.xlsx`: every group's records) had no link anywhere:
    an evaluator exported group by group, or had to know the address."""
    page = unescape(web.client("evaluator").get("/groups").get_data(as_text=True))
    for fmt in ("csv", "xlsx", "pdf"):
        assert f'href="/assessments.{fmt}"' in page, fmt
    assert "Exporter les évaluations de tous les groupes" in page
    assert web.client("evaluator").get("/assessments.xlsx").status_code == 200
    learner = unescape(web.client("learner").get("/groups").get_data(as_text=True))
    assert 'href="/assessments.xlsx"' not in learner  # theirs only: on their group's page


def test_a_refused_signature_or_correction_names_the_learner(web: Web) -> None:
    """« C1 : l'évaluation n° 1 est déjà signée » at the top of a page of several learners:
    whose C1? Refusals of signatures and corrections now name the learner, as the levels' do."""
    client = web.client("evaluator")
    # signing it again is no refusal (it is signed, as wanted), and the page names whose C1
    signed = client.post("/g/g1/assessments/sign",
                         data={"record_id": str(web.ids.signed), "csrf_token": CSRF})  # fmt: skip
    assert signed.status_code == 303
    page = unescape(client.get(signed.headers["Location"]).get_data(as_text=True))
    assert "Learner : C1 déjà signée et verrouillée : rien à refaire" in page
    no_reason = client.post(f"/g/g1/assessments/{web.ids.signed}/correct",
                            data={"level": "2", "reason": "", "csrf_token": CSRF})  # fmt: skip
    errors = re.findall(r'<p class="error" role="alert">(.*?)</p>',
                        unescape(no_reason.get_data(as_text=True)), re.S)  # fmt: skip
    assert errors and errors[0].startswith("Learner — C1 : "), errors


def test_a_correction_without_a_reason_names_the_form_s_field(web: Web) -> None:
    """A correction sent with an empty « Motif de la correction » answered « une correction doit
    être motivée (--reason) »: a command-line option, on a web page. The web names its field."""
    from test_web_app import ORAL_FORM, _orals

    oral = _orals(web)["oral_signed"]
    client = web.client("evaluator")
    oral_form = {k: v.format(jury=web.ids.jury) for k, v in ORAL_FORM.items()}
    for url, form in ((f"/g/g1/assessments/{web.ids.signed}/correct", {"level": "2"}),
                      (f"/g/g1/assessments/oral/{oral}/correct", oral_form)):  # fmt: skip
        response = client.post(url, data={**form, "reason": " ", "csrf_token": CSRF})
        assert response.status_code == 400, url
        errors = re.findall(r'<p class="error" role="alert">(.*?)</p>',
                            unescape(response.get_data(as_text=True)), re.S)  # fmt: skip
        assert errors and "doit être motivée" in errors[0], (url, errors)
        assert "--" not in errors[0] and "« Motif de la correction »" in errors[0], errors


def test_a_search_naming_an_axis_the_watch_does_not_have_says_so(web: Web) -> None:
    """`axis:juridique` (a word of the label « Juridique & réglementaire », not the axis id)
    showed « 0 résultat(s) » as an empty week would, while `watcher search` names the axis,
    topic or source the watch does not know with the ones it knows. Now the page says it too."""
    client = web.client("learner")
    page = unescape(client.get("/g/g1/search?q=axis:juridique").get_data(as_text=True))
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "0 résultat" in text
    assert (
        "« juridique » n'est pas un axe de cette veille. Axes : concurrence (Marché & "
        "concurrence), reglementaire (Juridique & réglementaire)." in text
    ), text
    page = unescape(
        client.get("/g/g1/search?q=topic:xyz+source:lsa+-axis:concurrence").get_data(as_text=True)
    )
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "« xyz » n'est ni un thème ni une dimension PESTEL. Dimensions : politique" in text
    assert "« lsa » n'est pas une source de cette veille. Sources : s1 (Source Un)" in text
    assert "n'est pas un axe" not in text  # -axis:concurrence names a known axis
    page = unescape(client.get('/g/g1/search?q=axis:"Marché+%26+concurrence"+zzzz').get_data(
        as_text=True))  # fmt: skip
    assert "n'est pas" not in page.split('class="count"')[1].split("</main>")[0]


def test_a_search_saved_over_another_says_what_it_replaced(web: Web) -> None:
    """After « La remplacer par : … », the saved searches' page listed the new search and said
    nothing, while `watcher search --save` says which query it replaced. Now the page says it
    once (the next visit does not)."""
    client = web.client("learner")
    form = {"name": "prix", "q": "forfait -promotion", "sort": "relevance", "csrf_token": CSRF,
            "replace": "1"}  # fmt: skip
    replaced = client.post("/g/g1/searches", data=form)
    assert replaced.status_code == 303
    page = unescape(client.get(replaced.headers["Location"]).get_data(as_text=True))
    assert "Recherche « prix » enregistrée : elle remplace « prix » (tri : date)." in page, page
    again = unescape(client.get("/g/g1/searches").get_data(as_text=True))
    assert "elle remplace" not in again
    other = client.post("/g/g1/searches", data={**form, "name": "forfaits"})
    page = unescape(client.get(other.headers["Location"]).get_data(as_text=True))
    assert "elle remplace" not in page


def test_the_web_counts_agree_with_their_words_in_both_languages(web: Web) -> None:
    """The search page said « 0 résultat(s) », « 11 résultat(s) », the dossier's contents
    « 1 axe(s) »: the command line agrees its counts (watcher.plural), the web did not. Now a
    count is written with `_n` (French: singular for 0 and 1; English: for 1 only)."""
    from watcher.web.i18n import EN

    client = web.client("learner")
    none = unescape(client.get("/g/g1/search?q=introuvablezz").get_data(as_text=True))
    assert "0 résultat" in none and "résultat(s)" not in none
    many = unescape(client.get("/g/g1/search?q=prix&sort=date").get_data(as_text=True))
    assert "11 résultats — page 1 sur 2" in many
    dossier = unescape(client.get("/g/g1/dossier").get_data(as_text=True))
    assert "(s)" not in dossier.split("Sommaire", 1)[-1].split("</ol>", 1)[0]
    with client.session_transaction() as session:
        session["lang"] = "en"
    english = unescape(client.get("/g/g1/search?q=prix&sort=date").get_data(as_text=True))
    assert "11 results" in english
    assert not [m for m in EN if "(s)" in m and "http(s)" not in m]


def test_a_watched_page_is_named_in_french_on_the_sources_page(
    base: tuple[Path, Ids], tmp_path: Path
) -> None:
    """The demo's competitor offer page (kind: monitor) was listed on « Sources » as « monitor ·
    collecte tous les jours », the config's English word among French labels."""
    shutil.copytree(base[0], tmp_path / "watch")
    config = tmp_path / "watch" / "sources.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["sources"].append({"id": "offre", "name": "Offre Box", "kind": "monitor",
                            "url": "https://offre.example.org/box", "select": "#offre",
                            "axis": "concurrence", "groups": ["g1"]})  # fmt: skip
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    app = create_app(Workspace(config), now=lambda: NOW, testing=True)
    try:
        web = Web(app, Workspace(config), base[1])
        page = unescape(web.client("learner").get("/g/g1/sources").get_data(as_text=True))
        text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
        assert "Offre Box page surveillée · collecte" in text, text
        assert "monitor" not in text
        english = web.client("learner")
        english.post("/lang", data={"lang": "en", "csrf_token": CSRF})
        page = unescape(english.get("/g/g1/sources").get_data(as_text=True))
        assert "watched page" in page and "monitor" not in page
    finally:
        app.extensions["watcher"].close()


def test_the_dossier_page_says_what_is_missing_before_handing_it_in(web: Web) -> None:
    """A learner preparing the hand-in saw on the dossier page counts and evidence, but what the
    dossier itself lists as missing (articles not sorted, axes with nothing retained, weeks
    without a digest, sources failing) was only in « Bilan et limites » of the full dossier,
    a click and a long scroll away. The page now lists it above the downloads."""
    client = web.client("learner")
    page = unescape(client.get("/g/g1/dossier").get_data(as_text=True))
    assert 'id="a-completer"' in page
    card = page.split('id="a-completer"')[1].split("</section>")[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", card).split())
    assert "À compléter avant de remettre le dossier" in text, text
    assert "articles collectés n'ont pas été triés" in text, text
    # the group collected everything this week (NOW): the weeks before it are not missed ones
    assert "Semaines sans synthèse" not in text, text
    assert page.index('id="a-completer"') < page.index('id="telecharger"')
    assert "#bilan" in card


def _said_in(page: str, anchor: str) -> list[str]:
    """The status messages of one learner's section of the assessments page."""
    section = page.split(f'id="{anchor}"')[1].split('<section class="card learner"')[0]
    return [m.strip() for m in re.findall(r'<p class="ok" role="status">(.*?)</p>', section, re.S)]


def test_recording_signing_and_correcting_levels_say_it_was_done(web: Web) -> None:
    """An evaluator records C3 and C4 of a learner: the page came back to the learner's
    section without a word (the level shows in the « État » column only, the « Niveau »
    column staying « — »: was it saved?); the same after signing and after a correction. Each
    now says what was done, for whom, and what comes next, in that learner's section."""
    client = web.client("evaluator")
    form = {"learner": "lea@example.org", "grid_id": "bloc1-jury", "level-C3": "3",
            "level-C4": "2", "csrf_token": CSRF}  # fmt: skip
    response = client.post("/g/g1/assessments/record", data=form)
    assert response.status_code == 303
    anchor = response.headers["Location"].split("#")[1]
    page = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert _said_in(page, anchor) == [
        "Learner : C3, C4 enregistrées en brouillon. Signez-les pour les verrouiller."
    ], _said_in(page, anchor)
    assert "Niveau en vigueur" in page
    again = unescape(client.get("/g/g1/assessments").get_data(as_text=True))
    assert _said_in(again, anchor) == []  # said once
    drafts = AssessStore(web.store).records(learner="lea@example.org", grid_id="bloc1-jury")
    drafts = [r for r in drafts if r.competence in ("C3", "C4")]
    signed = client.post("/g/g1/assessments/sign", data={
        "record_id": [str(r.id) for r in drafts], "jury_id": str(web.ids.jury),
        "csrf_token": CSRF})  # fmt: skip
    assert signed.status_code == 303
    page = unescape(client.get(signed.headers["Location"]).get_data(as_text=True))
    assert _said_in(page, anchor) == [
        "Learner : C3, C4 signées et verrouillées ; pour les changer : « Corriger »."
    ], _said_in(page, anchor)
    c3 = next(r for r in drafts if r.competence == "C3")
    fixed = client.post(f"/g/g1/assessments/{c3.id}/correct", data={
        "level": "4", "comment": "", "reason": "Annexe oubliée", "csrf_token": CSRF})  # fmt: skip
    assert fixed.status_code == 303
    page = unescape(client.get(fixed.headers["Location"]).get_data(as_text=True))
    assert _said_in(page, anchor) == [
        "Learner : C3 corrigée (version 2, brouillon). Signez-la pour la verrouiller."
    ], _said_in(page, anchor)


def test_a_tutor_reading_an_item_is_told_who_sorts_it(web: Web) -> None:
    """The company tutor opens an item: « Pas encore trié. » and « Pas de fiche. », with no
    button and no word on why — could they not sort it, or was something broken? The page now
    says that sorting and fiches are the learners' and that they read them here."""
    said = "Le tri et les fiches de veille sont faits par les apprenants du groupe"
    for role in ("tutor", "evaluator"):
        page = unescape(web.client(role).get(f"/g/g1/items/{web.ids.g1}").get_data(as_text=True))
        assert said in page, role
    page = unescape(web.client("learner").get(f"/g/g1/items/{web.ids.g1}").get_data(as_text=True))
    assert said not in page and "Rejeter" in page


def test_the_digest_preview_names_its_week_and_leads_to_the_week_under_way(
    base: tuple[Path, Ids], tmp_path: Path
) -> None:
    """Monday 02:30, the demo collected today: « Aperçu de la synthèse de la semaine à venir »
    opened last week's digest (due at 08:00), « Rien de nouveau cette semaine », while this
    week's items were all there — « à venir » said the opposite of what it showed, and the week
    under way had no preview link. The page now names the next digest's week, its dates and
    when it goes out, and links the preview of the week under way."""
    shutil.copytree(base[0], tmp_path / "watch")
    workspace = Workspace(tmp_path / "watch" / "sources.yml")
    monday = datetime(2026, 11, 30, 1, 30, tzinfo=UTC)  # 02:30 in Paris
    app = create_app(workspace, now=lambda: monday, testing=True)
    try:
        client = Web(app, workspace, base[1]).client("learner")
        page = unescape(client.get("/g/g1/digests").get_data(as_text=True))
        text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
        assert "à venir" not in text
        assert ("Aperçu de la prochaine synthèse semaine 48, du 23/11/2026 au 29/11/2026, "
                "envoi prévu le 30/11/2026 08:00") in text, text  # fmt: skip
        assert ("Aperçu de la semaine en cours semaine 49, du 30/11/2026 au 06/12/2026 : "
                "sa synthèse part après sa fin") in text, text  # fmt: skip
        assert "/g/g1/digests/preview?week=2026-W49" in page
        preview = unescape(client.get("/g/g1/digests/preview").get_data(as_text=True))
        text = " ".join(re.sub(r"<[^>]+>", " ", preview).split())
        assert "Semaine 48, du 23/11/2026 au 29/11/2026" in text, text
        assert "/g/g1/digests/preview?week=2026-W49" in preview
        # its title named the week by its code, « Aperçu de la synthèse Groupe 1 · 2026-W48 »
        assert not re.search(r"\d{4}-W\d{2}", text), text
        assert "Aperçu de la synthèse" in text and "· Semaine 48" in text, text
    finally:
        app.extensions["watcher"].close()


def test_each_group_s_digest_archive_says_when_its_own_digest_was_prepared(web: Web) -> None:
    """Two groups' digests of the same week: the archive looked a week's record up among all the
    watch's digests by the week alone, so the group sorted first lost its own and its row said
    « fichier écrit le … » instead of « préparée le …, pas encore envoyée »."""
    mails = MailStore(web.store)
    for group in ("g1", "g2"):
        folder = web.workspace.reports / group
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "2026-W47.html").write_text("<p>synthèse</p>", encoding="utf-8")
        mails.save_digest(group_id=group, week="2026-W47", subject=f"Semaine {group}",
                          html_path=str(folder / "2026-W47.html"), txt_path="", html="",
                          text="", rendered_at=NOW, collected=1, shown=1,
                          retained=0)  # fmt: skip
    for role, group in (("learner", "g1"), ("evaluator", "g2")):
        page = unescape(web.client(role).get(f"/g/{group}/digests").get_data(as_text=True))
        text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
        assert "préparée le 27/11/2026 13:00, pas encore envoyée" in text, (group, text)


def test_the_plan_de_veille_names_an_axis_s_topics_in_words(web: Web) -> None:
    """« Sources et plan de veille » listed an axis's PESTEL topics by their identifiers in
    sources.yml (« Thèmes PESTEL : donnees-personnelles »), as the starter's axes write them;
    the dossier names them in words (« Données personnelles »), and so does the page now."""
    page = unescape(web.client("learner").get("/g/g1/sources").get_data(as_text=True))
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Thèmes PESTEL : Données personnelles" in text, text
    assert "donnees-personnelles" not in text


def test_the_verify_page_says_what_a_check_proves_on_the_page(web: Web) -> None:
    """Under a report, « Ce que la vérification prouve et ne prouve pas : voir docs/verify.md. »:
    a file of the code's repository, which an evaluator in the web app has no way to open. The
    page now says it itself, before a file is even sent."""
    page = unescape(web.client("evaluator").get("/verify").get_data(as_text=True))
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "docs/verify.md" not in page
    assert "Ce que la vérification prouve" in text and "Ce qu'elle ne prouve pas" in text
    assert "ce n'est pas un détecteur de plagiat" in text, text
    assert "demandez le DOCX" in text, text


def test_an_evaluator_on_a_dossier_page_is_led_to_check_the_handed_in_file(web: Web) -> None:
    """The evaluator opens the group's dossier to grade it: the page is the dossier as the
    records stand today, and nothing on it said how to check that the file the group handed in
    is that dossier (« Vérifier un dossier » is a menu entry among others). The page now says it
    and links the check; learners and the tutor, who cannot verify, are not shown it."""
    said = "Le groupe vous a remis son dossier ?"
    page = unescape(web.client("evaluator").get("/g/g1/dossier").get_data(as_text=True))
    assert said in page
    card = page.split(said)[1].split("</p>")[0]
    assert 'href="/verify"' in card and "Vérifier un dossier" in card
    assert page.index(said) < page.index('id="preuves"')
    for role in ("learner", "tutor"):
        assert said not in web.client(role).get("/g/g1/dossier").get_data(as_text=True), role


def test_publishing_says_how_many_records_the_learners_now_see(web: Web) -> None:
    """« Publier aux apprenants » came back to the top of the page without a word, the counter
    « 0 évaluation(s) signée(s) pas encore publiée(s) » the only sign that it worked."""
    client = web.client("evaluator")
    response = client.post("/g/g1/assessments/publish", data={"csrf_token": CSRF})
    assert response.status_code == 303
    page = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    said = re.findall(r'<p class="ok" role="status">(.*?)</p>', page, re.S)
    assert said == ["1 évaluation publiée : son apprenant la voit désormais."], said


def test_a_message_on_one_record_agrees_in_the_singular(web: Web) -> None:
    """« Learner : C5 enregistrée(s) en brouillon. Signez-les pour les verrouiller. » for one
    competence: the messages now agree with the number of records they speak of."""
    client = web.client("evaluator")
    form = {"learner": "lea@example.org", "grid_id": "bloc1-jury", "level-C5": "3",
            "csrf_token": CSRF}  # fmt: skip
    response = client.post("/g/g1/assessments/record", data=form)
    anchor = response.headers["Location"].split("#")[1]
    page = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert _said_in(page, anchor) == [
        "Learner : C5 enregistrée en brouillon. Signez-la pour la verrouiller."
    ], _said_in(page, anchor)
    c5 = AssessStore(web.store).records(learner="lea@example.org", competence="C5")[-1]
    signed = client.post("/g/g1/assessments/sign", data={
        "record_id": str(c5.id), "jury_id": str(web.ids.jury), "csrf_token": CSRF})  # fmt: skip
    page = unescape(client.get(signed.headers["Location"]).get_data(as_text=True))
    assert _said_in(page, anchor) == [
        "Learner : C5 signée et verrouillée ; pour la changer : « Corriger »."
    ], _said_in(page, anchor)
    published = client.post("/g/g1/assessments/publish", data={"csrf_token": CSRF})
    page = unescape(client.get(published.headers["Location"]).get_data(as_text=True))
    said = re.findall(r'<p class="ok" role="status">(.*?)</p>', page, re.S)
    assert said == ["2 évaluations publiées : chaque apprenant voit désormais les siennes."], said


def test_a_learner_retains_an_item_with_a_note(web: Web) -> None:
    """« Retenir » was a bare button: a learner could say why an item was rejected, never why it
    was kept for the dossier (short of a whole fiche). The retain form now takes an optional
    note, shown on the item page and on « Retenus »."""
    client = web.client("learner")
    item = f"/g/g1/items/{web.ids.old}"
    page = unescape(client.get(item).get_data(as_text=True))
    retain = page.split('value="retained"')[0].rsplit("<form", 1)[1]
    assert 'name="reason"' in retain and "Note (facultatif)" in retain, retain
    note = {"status": "retained", "reason": "Prix d'un concurrent direct", "csrf_token": CSRF}
    response = client.post(f"{item}/curation", data=note)
    assert response.status_code in (302, 303)
    text = " ".join(re.sub(r"<[^>]+>", " ", unescape(client.get(item).get_data(True))).split())
    assert "note : « Prix d'un concurrent direct »" in text, text
    curated = unescape(client.get("/g/g1/curated").get_data(as_text=True))
    assert "Prix d'un concurrent direct" in curated


def test_a_level_sent_for_a_signed_competence_says_where_to_correct_it(web: Web) -> None:
    """A form from an older tab sends a level for a competence signed since: the page said
    « Learner — C1 : C1 de lea@example.org est déjà signée (évaluation n° 1) : enregistrez une
    correction » — the competence twice, the learner twice, and « enregistrez une correction »
    where the page offers « Corriger ». It now says it once, and where."""
    client = web.client("evaluator")
    form = {"learner": "lea@example.org", "grid_id": "bloc1-jury", "level-C1": "4",
            "csrf_token": CSRF}  # fmt: skip
    response = client.post("/g/g1/assessments/record", data=form)
    assert response.status_code == 409
    page = unescape(response.get_data(as_text=True))
    errors = re.findall(r'<p class="error" role="alert">(.*?)</p>', page, re.S)
    said = "signée, verrouillée ; pour la changer : « Corriger » sous C1, avec un motif."
    assert errors == [f"Learner — C1 : {said}"], errors


def test_a_search_a_filter_empties_says_what_removing_it_finds(web: Web) -> None:
    """`Telvia axis:reglementaire` (or « Archive » in the last 7 days) showed « 0 résultat » as
    if the watch had nothing on it, the filter's ✕ aside. Now each filter whose removal finds
    something says what the search finds without it, with its link (the form's period: the
    same search, over every date), as `watcher search` does."""
    client = web.client("learner")

    def hints(url: str) -> list[tuple[str, str]]:
        page = client.get(url).get_data(as_text=True)
        return [(unescape(href), " ".join(unescape(text).split())) for href, text in re.findall(
            r'<p class="hint without"><a href="([^"]*)">(.*?)</a></p>', page, re.S)]  # fmt: skip

    assert hints("/g/g1/search?q=Telvia+axis:reglementaire") == [
        ("/g/g1/search?q=Telvia", "Sans « Axe : Juridique & réglementaire » : 1 résultat")
    ]
    assert hints("/g/g1/search?q=Archive&window=7d") == [
        ("/g/g1/search?q=Archive", "Sans « Période : 7 derniers jours » : 1 résultat")
    ]
    assert hints("/g/g1/search?q=Telvia") == []  # something found: nothing to say
    assert hints("/g/g1/search?q=zzzz+axis:concurrence") == []  # nothing without it either


def test_a_filter_chip_says_what_the_filter_does_and_its_cross_keeps_a_query(web: Web) -> None:
    """`prix SAUF axis:concurrence` showed the chip « Axe : Marché & concurrence ✕ », as if the
    search kept that axis, and its ✕ left `prix SAUF`, refused (« Terme manquant après
    « SAUF » »); `kind:change`, `AXE:concurrence` or `titre:forfait` (field names are
    case-insensitive, French aliases accepted) had no chip to remove them. Now every filter has
    its chip, an excluded one reads « sauf … », and its ✕ removes the exclusion whole."""
    client = web.client("learner")

    def chips(q: str) -> list[tuple[str, str]]:
        page = client.get("/g/g1/search", query_string={"q": q}).get_data(as_text=True)
        return [(" ".join(unescape(text).split()), unescape(href)) for href, text in re.findall(
            r'<a class="chip" href="([^"]*)"[^>]*>(.*?) ✕</a>', page, re.S)]  # fmt: skip

    assert chips("prix SAUF axis:concurrence") == [
        ("sauf Axe : Marché & concurrence", "/g/g1/search?q=prix")
    ]
    assert chips("prix NOT source:s1") == [("sauf Source : Source Un", "/g/g1/search?q=prix")]
    assert chips("prix -axis:concurrence") == [
        ("sauf Axe : Marché & concurrence", "/g/g1/search?q=prix")
    ]
    assert chips("prix AXE:concurrence kind:change titre:forfait") == [
        ("Axe : Marché & concurrence", "/g/g1/search?q=prix+kind:change+titre:forfait"),
        ("Type : modification de page", "/g/g1/search?q=prix+AXE:concurrence+titre:forfait"),
        ("Titre : forfait", "/g/g1/search?q=prix+AXE:concurrence+kind:change"),
    ]
    assert chips('prix "axis:concurrence"') == []  # a phrase, not a filter
    assert chips("prix SAUF") == []  # a refused query has no chip


def test_a_long_query_is_searched_whole_or_refused_with_why(web: Web) -> None:
    """The page cut every query at 500 characters without a word, while the language takes
    1,000: a long query pasted from notes lost its last words (here the one that finds nothing)
    and found what the learner had not asked for. Now it is searched whole, and past 1,000
    characters it is refused with the limit."""
    client = web.client("learner")
    long_query = "forfaits " * 60 + "zzzzinconnu"  # 551 characters
    response = client.get("/g/g1/search", query_string={"q": long_query})
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert 'class="count">0 résultat' in page, page
    response = client.get("/g/g1/search", query_string={"q": "forfaits " * 120})
    assert response.status_code == 400
    assert "Requête trop longue (plus de 1000 caractères)" in unescape(
        response.get_data(as_text=True)
    )


def test_the_account_page_names_one_s_group(web: Web) -> None:
    """« Mon compte » said « Groupe g1 », and every page's header « apprenant · g1 »: the
    group's identifier in sources.yml, where the pages' titles name it « Groupe 1 »."""
    page = unescape(web.client("learner").get("/account").get_data(as_text=True))
    assert "<dt>Groupe</dt><dd>Groupe 1</dd>" in page
    # and the header of every page, beside the role (« apprenant · g1 »)
    for url in ("/account", "/g/g1/search", f"/g/g1/items/{web.ids.g1}"):
        page = unescape(web.client("learner").get(url).get_data(as_text=True))
        assert '<span class="role">apprenant · Groupe 1</span>' in page, url


def test_an_item_s_references_lead_to_the_group_s_items_citing_them(web: Web) -> None:
    """On an item, the axes, topics and entities lead to the group's search filtered on them;
    a reference (« Règlement (UE) 2016/679 ») only led to EUR-Lex: the learner who wants the
    other items of the watch citing it had to know its key to type ref:… in the search."""
    page = unescape(web.client("learner").get(f"/g/g1/items/{web.ids.g1}").get_data(True))
    link = re.search(r'<a href="([^"]+)" class="ref-search">([^<]+)</a>', page)
    assert link, page[page.find("Textes de référence") :][:600]
    assert link.group(1) == "/g/g1/search?q=ref:eu:celex:32016R0679"
    assert link.group(2) == "les articles de la veille qui le citent"
    found = unescape(web.client("learner").get(link.group(1)).get_data(as_text=True))
    assert "Telvia baisse le prix de ses forfaits" in found
    chips = re.findall(r'<a class="chip"[^>]*>([^<]+)</a>', found)
    assert chips == ["Texte : Règlement (UE) 2016/679 (RGPD) ✕"], chips


def _count(client: FlaskClient, group: str, query: str) -> int:
    page = unescape(client.get(f"/g/{group}/search", query_string={"q": query}).get_data(True))
    found = re.search(r'<p class="count"[^>]*>\s*(\d+) résultat', page)
    assert found, page[page.find("<main") :][:1500]
    return int(found.group(1))


def test_a_learner_finds_the_items_the_group_has_not_sorted_yet(web: Web) -> None:
    """Sorting the week for the digest, a learner wants what is left to sort: statut:retenu and
    statut:rejete existed, « statut:a-trier » was refused (« statut inconnu »), and the chip
    of a status read its folded word (« Statut : rejete »)."""
    client = web.client("learner")
    retain = {"status": "retained", "csrf_token": CSRF}
    assert client.post(f"/g/g1/items/{web.ids.g1_twin}/curation", data=retain).status_code == 303
    every = _count(client, "g1", "")
    unsorted = _count(client, "g1", "statut:a-trier")
    assert 0 < unsorted < every
    assert (
        unsorted + _count(client, "g1", "statut:retenu") + _count(client, "g1", "statut:rejete")
        == every
    )
    assert _count(client, "g1", "statut:à-trier") == _count(client, "g1", "statut:non-triés")
    assert _count(client, "g1", "-statut:a-trier") == every - unsorted
    page = unescape(client.get("/g/g1/search?q=statut:a-trier").get_data(as_text=True))
    assert re.findall(r'<a class="chip"[^>]*>([^<]+)</a>', page) == ["Statut : à trier ✕"]
    assert "Prix des forfaits : Telvia confirmé" not in page  # the item just retained
    page = unescape(client.get("/g/g1/search?q=statut:rejete").get_data(as_text=True))
    assert re.findall(r'<a class="chip"[^>]*>([^<]+)</a>', page) == ["Statut : rejeté ✕"]
    # the page of what the group retained and rejected leads to what is left
    page = unescape(client.get("/g/g1/curated").get_data(as_text=True))
    link = re.search(r'<a href="([^"]+)" class="to-sort">', page)
    assert link and link.group(1) == "/g/g1/search?q=statut:a-trier&sort=date"


def test_a_search_that_finds_nothing_says_what_to_try(web: Web) -> None:
    """A word no item holds (« zzzqqq »): the page said « 0 résultat » and nothing else — no
    filter to remove, no suggestion — as if the search had not run. It now says nothing in the
    group's watch matches and what to try; when a suggestion or a filter explains it, that
    alone is said."""
    client = web.client("learner")

    def hint(url: str) -> str | None:
        page = unescape(client.get(url).get_data(as_text=True))
        assert re.search(r'<p class="count"[^>]*>\s*0 résultat', page), url
        found = re.search(r'<p class="hint nothing">([^<]+)</p>', page)
        return found.group(1) if found else None

    said = hint("/g/g1/search?q=zzzqqq")
    assert said and said.startswith("Aucun article de la veille du groupe ne correspond"), said
    assert "moins de mots" in said and "OU" in said
    said = hint("/g/g1/search?q=zzzqqq&window=7d")
    assert said and "dans cette période. Essayez toutes les dates" in said, said
    assert hint("/g/g1/search?q=Telvia+axis:reglementaire") is None  # « Sans « Axe … » » says it


def test_a_search_s_tab_and_history_entry_name_its_query(web: Web) -> None:
    """Three searches open in tabs, or the back button's list: each said « Recherche · Groupe
    1 · Watcher », alike; the saved searches' page did not name the group."""
    client = web.client("learner")

    def title(url: str) -> str:
        page = client.get(url).get_data(as_text=True)
        found = re.search(r"<title>([^<]*)</title>", page)
        assert found, url
        return unescape(found.group(1))

    assert title("/g/g1/search?q=prix+Telvia") == "« prix Telvia » · Recherche · Groupe 1 · Watcher"
    assert title("/g/g1/search") == "Recherche · Groupe 1 · Watcher"
    assert title("/g/g1/searches") == "Recherches enregistrées · Groupe 1 · Watcher"
