"""Issue 17 through the web test client and the CLI, on the watch of test_web_app plus one item
that cites a regulation, a code article and a standard, whose text repeats its summary and
whose entities hold the small model's usual mistakes (RGPD and UE as organisations, a
« Check-list » as a place): what evaluators and learners read — labels, dates, the evaluator's
pages, the grading form, the fiche's pre-fill, the accounts page."""

from __future__ import annotations

import html as html_lib
import json
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from test_web_app import CSRF, EMAILS, NOW, PASSWORD, SHARED_SCRIPT, Ids, Web, _build

from watcher.cli.main import main
from watcher.config import load_watch
from watcher.find.index import SearchIndex
from watcher.model import EntityMention, Entry, ItemEnrichment, RefMention, SourceResult
from watcher.store import Store
from watcher.store.users import Users
from watcher.understand.process import sync_index
from watcher.web import create_app
from watcher.workspace import Workspace

SUMMARY = "À partir du 1er janvier 2027, les adhérents bénéficieront de 5 % de remise immédiate."
TEXT = (
    f"{SUMMARY}\n"
    "Check-list : ce que le RGPD impose aux programmes de fidélité. Le règlement (UE) "
    "2016/679 encadre les données des adhérents ; l'article L. 612-1 du code de la "
    "consommation ouvre la médiation. L'enseigne Telvia, installée à Lyon, applique la norme "
    "ISO 10002:2018 et Telvia forme ses conseillers."
)
REFS = (
    RefMention(
        "eu:celex:32016R0679",
        "eu_act",
        "Règlement (UE) 2016/679",
        "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:32016R0679",
        "official",
        "RGPD",
        2,
    ),
    RefMention(
        "fr:code:consommation:L612-1",
        "code_article",
        "Code de la consommation, art. L. 612-1",
        "https://www.legifrance.gouv.fr/search/all?query=L612-1",
        "search",
        "l'article L. 612-1 du code de la consommation",
        1,
    ),
    RefMention(
        "std:iso:10002:2018",
        "standard",
        "ISO 10002:2018",
        "https://www.iso.org/search.html?q=ISO%2010002",
        "search",
        "ISO 10002:2018",
        1,
    ),
)
ENTITIES = (
    EntityMention("ORG", "rgpd", "RGPD", 2),
    EntityMention("ORG", "telvia", "Telvia", 2),
    EntityMention("ORG", "ue", "UE", 1),
    EntityMention("LOC", "check-list", "Check-list", 1),
    EntityMention("LOC", "lyon", "Lyon", 1),
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Ids, int]:
    root = tmp_path_factory.mktemp("evidencewatch")
    workspace, ids = _build(root)
    watch = load_watch(workspace.config)
    store = Store(workspace.database)
    try:
        entry = Entry(
            url="https://news.example.org/fidelite",
            title="Carte de fidélité : remises immédiates chez Telvia",
            summary=SUMMARY,
            text=TEXT,
            guid="fidelite",
            published=NOW,
            language="fr",
        )
        store.store_feed("s1", ["g1"], [entry], NOW, url="https://s1", found=None)
        item = next(i for i in store.list_items() if i.guid == "fidelite")
        store.save_enrichments(
            [
                ItemEnrichment(
                    item_id=item.id,
                    version=item.version,
                    signature="test",
                    language="fr",
                    fingerprint=b"\1" * 8,
                    cluster_id=item.id,
                    axes=("concurrence", "reglementaire"),
                    topics=("pouvoir-achat",),
                    entities=ENTITIES,
                    refs=REFS,
                )
            ],
            NOW,
        )
        store.record_source_result(SourceResult("s1", new=1), NOW, None)
        index = SearchIndex(workspace.index)
        try:
            sync_index(watch, store, index)
        finally:
            index.close()
    finally:
        store.close()
    return root, ids, item.id


@pytest.fixture
def web(base: tuple[Path, Ids, int], tmp_path: Path) -> Iterator[Web]:
    shutil.copytree(base[0], tmp_path / "watch")
    workspace = Workspace(tmp_path / "watch" / "sources.yml")
    app = create_app(workspace, now=lambda: NOW, testing=True)
    yield Web(app, workspace, base[1])
    app.extensions["watcher"].close()


@pytest.fixture
def item_id(base: tuple[Path, Ids, int]) -> int:
    return base[2]


def _text(html: str) -> str:
    """What a person reads: the page without its markup (and without URLs)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _get(client: object, path: str) -> str:
    response = client.get(path)  # type: ignore[attr-defined]
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return str(response.get_data(as_text=True))


# --- 3. every date says which one it is, on the watch's clock ---------------------------------


def test_dates_say_which_they_are_and_the_watch_time_zone(web: Web, item_id: int) -> None:
    client = web.client("learner")
    search = _text(_get(client, "/g/g1/search?q=adhérents"))
    assert "publié le 27/11/2026 13:00" in search  # NOW = 12:00 UTC = 13:00 in Paris
    assert "heures affichées : Europe/Paris" in search
    item = _text(_get(client, f"/g/g1/items/{item_id}"))
    assert "publié le 27/11/2026 13:00 · collecté le 27/11/2026 13:00" in item
    curated = _text(_get(client, "/g/g1/curated"))
    assert "retenu par Learner, le 27/11/2026 13:00" in curated
    archive = _text(_get(client, "/g/g1/digests"))
    assert "Semaine 47 (du 16/11/2026 au 22/11/2026)" in archive
    assert "fichier écrit le" in archive


def test_watcher_status_names_the_watch_time_zone(web: Web) -> None:
    store = Store(web.workspace.db)
    try:
        store.record_source_result(
            SourceResult("shared", new=0), datetime(2026, 11, 27, 7, 5, tzinfo=UTC), None
        )
    finally:
        store.close()
    result = CliRunner().invoke(main, ["-c", str(web.workspace.config), "status"])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "Sources (heures : Europe/Paris)" in output
    assert "27/11/2026 08:05" in output  # 07:05 UTC on the watch's clock, not the machine's
    assert "Synthèses hebdomadaires (heures : Europe/Paris)" in output


# --- 4.–7. the evaluator's path ---------------------------------------------------------------


def test_groups_page_puts_the_dossier_and_the_grading_first_for_evaluators(web: Web) -> None:
    page = _get(web.client("evaluator"), "/groups")
    card = page.split("<h2>Groupe 1", 1)[1].split("</li>", 1)[0]
    links = re.findall(r'href="([^"]+)"', card)
    assert links[:2] == ["/g/g1/dossier#preuves", "/g/g1/assessments"]
    assert "Dossier et preuves" in card and "Évaluer" in card


def test_grading_form_shows_evidence_titles_and_level_descriptors(web: Web) -> None:
    page = _get(web.client("evaluator"), "/g/g1/assessments")
    form = page.split('id="evaluer-l1"', 1)[1].split("</form>", 1)[0]
    c3 = form.split('id="l1-C3"', 1)[1].split("</fieldset>", 1)[0]
    assert "Ce que montre la veille du groupe" in c3
    assert "avec au moins un article collecté" in c3  # C3's evidence
    for level in ("0 — non évaluable", "1 — débutant", "4 — expert"):
        assert level in c3
    assert "Veille menée sans plan ; sources non qualifiées" in c3  # the grid's descriptor
    assert 'type="radio" name="level-C3" value="3"' in c3
    c5 = form.split('id="l1-C5"', 1)[1].split("</fieldset>", 1)[0]
    assert "Telvia baisse le prix de ses forfaits" in c5  # titles, not « n° 1 … (+13) »
    assert not re.search(r"n° \d+, n° \d+", form)


def test_an_evaluator_grades_before_the_jury_is_complete_and_signs_with_one(web: Web) -> None:
    users = Users(web.store)
    users.add("zoe@example.org", "Zoé Éval", "evaluator", PASSWORD, now=NOW)
    zoe = web.app.test_client()
    with zoe.session_transaction() as session:
        user = users.by_email("zoe@example.org")
        assert user is not None
        session.update(csrf=CSRF, uid=user.id, sv=user.session_version)
    page = _get(zoe, "/g/g1/assessments")
    assert "record-form" in page and "vos niveaux restent des brouillons" in page
    saved = zoe.post(
        "/g/g1/assessments/record",
        data={"learner": EMAILS["learner"], "grid_id": "bloc1-jury", "level-C4": "2",
              "comment-C4": "Dossier en DOCX", "csrf_token": CSRF},
    )  # fmt: skip
    assert saved.status_code == 303
    from watcher.store.assess import AssessStore

    draft = AssessStore(web.store).history(EMAILS["learner"], "bloc1-jury", "C4")[-1]
    assert draft.jury_id is None and not draft.signed
    refused = zoe.post(
        "/g/g1/assessments/sign", data={"record_id": str(draft.id), "csrf_token": CSRF}
    )
    assert refused.status_code == 400 and "se signe avec le jury" in refused.get_data(as_text=True)
    jury = zoe.post(
        "/assessments/juries",
        data={"jury_name": "Jury Zoé", "session_date": "2026-12-18", "name-0": "Zoé",
              "email-0": "zoe@example.org", "quality-0": "formation", "name-1": "Pro",
              "email-1": "pro@example.org", "quality-1": "professionnel", "csrf_token": CSRF},
    )  # fmt: skip
    assert jury.status_code == 303
    page = _get(zoe, "/g/g1/assessments")
    sign_form = page.split('class="actions sign-form"', 1)[1].split("</form>", 1)[0]
    jury_id = re.search(r'name="jury_id"><option value="(\d+)">Jury Zoé', sign_form)
    assert jury_id, sign_form
    signed = zoe.post(
        "/g/g1/assessments/sign",
        data={"record_id": str(draft.id), "jury_id": jury_id.group(1), "csrf_token": CSRF},
    )
    assert signed.status_code == 303
    record = AssessStore(web.store).get(draft.id or 0)
    assert record.signed and record.jury_id == int(jury_id.group(1))


def test_every_section_of_the_web_dossiers_contents_is_reachable(web: Web) -> None:
    client = web.client("evaluator")
    page = _get(client, "/g/g1/dossier?from=2026-11-01&to=2026-11-30")
    toc = page.split('<ol class="toc">', 1)[1].split("</ol>", 1)[0]
    links = [html_lib.unescape(h) for h in re.findall(r'href="([^"]+)"', toc)]
    assert len(links) == 12
    for link in links:
        parts = urlsplit(link)
        target = page if not parts.path else None
        if target is None:
            response = client.get(f"{parts.path}?{parts.query}")
            assert response.status_code == 200
            assert response.headers["Content-Type"].startswith("text/html")
            target = response.get_data(as_text=True)
        assert f'id="{unquote(parts.fragment)}"' in target, link


# --- 8. labels, not keys ------------------------------------------------------------------------


def test_search_shows_labels_and_keeps_keys_in_urls(web: Web, item_id: int) -> None:
    client = web.client("learner")
    page = _get(client, "/g/g1/search?q=adhérents")
    facets = page.split('<aside class="facets">', 1)[1].split("</aside>", 1)[0]
    shown = _text(facets)
    for label in ("Règlement (UE) 2016/679", "ISO 10002:2018", "C. consom., art. L. 612-1"):
        assert label in shown
    assert "Marché & concurrence" in shown and "Juridique & réglementaire" in shown
    for key in ("eu:celex:", "std:iso", "fr:code:", "concurrence (", "reglementaire"):
        assert key not in shown
    assert "ref:eu:celex:32016R0679" in unquote(facets)  # the key stays in the link
    hits = _text(page.split('<ol class="hits">', 1)[1].split("</ol>", 1)[0])
    assert "Juridique & réglementaire" in hits and " reglementaire" not in hits
    filtered = _get(client, "/g/g1/search?q=adhérents+ref:std:iso:10002:2018+axis:concurrence")
    chips = _text(filtered.split('<p class="filters">', 1)[1].split("</p>", 1)[0])
    assert "Texte : ISO 10002:2018" in chips and "Axe : Marché & concurrence" in chips
    assert "std:" not in chips
    item = _text(_get(client, f"/g/g1/items/{item_id}"))
    assert "Pouvoir d'achat" in item and "pouvoir-achat" not in item  # a topic's label
    assert "Juridique & réglementaire" in item and " reglementaire " not in f" {item} "


def test_cli_footer_shows_labels_and_json_keeps_keys(web: Web) -> None:
    args = ["-c", str(web.workspace.config), "search", "adhérents", "--group", "g1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    footer = " ".join(result.output.split())
    assert "Textes de référence : " in footer
    for label in ("Règlement (UE) 2016/679", "ISO 10002:2018", "C. consom., art. L. 612-1"):
        assert label in footer
    assert "Axes : " in footer and "Marché & concurrence" in footer
    assert "eu:celex" not in footer and "std:iso" not in footer and "fr:code" not in footer
    as_json = CliRunner().invoke(main, [*args, "--json"])
    facets = json.loads(as_json.output)["facets"]
    assert ["eu:celex:32016R0679", 1] in facets["ref"] and ["concurrence", 1] in facets["axis"]


# --- 9. excerpts say things once ----------------------------------------------------------------


def test_an_excerpt_does_not_repeat_the_summary(web: Web) -> None:
    """The item's text opens with its summary (a lead copied into the description): neither
    the highlighted fragments nor the opening shown without a match repeat it."""
    client = web.client("learner")
    for query in ("remise+immédiate", "ref:std:iso:10002:2018"):
        page = _get(client, f"/g/g1/search?q={query}")
        hit = page.split('<p class="snippet">', 1)[1].split("</p>", 1)[0]
        assert _text(hit).count("bénéficieront de 5 %") == 1, (query, hit)


# --- 10. the fiche's pre-fill --------------------------------------------------------------------


def test_fiche_prefill_keeps_confident_entities_of_the_right_kind(web: Web, item_id: int) -> None:
    page = _get(web.client("learner"), f"/g/g1/items/{item_id}/fiche")
    qui = re.search(r'name="qui" value="([^"]*)"', page)
    ou = re.search(r'name="ou" value="([^"]*)"', page)
    assert qui and ou
    assert html_lib.unescape(qui.group(1)) == "Telvia"  # not « RGPD, UE »
    assert html_lib.unescape(ou.group(1)) == "Lyon"  # not « Check-list »


# --- 11. French durations and numbers ------------------------------------------------------------


def test_sources_page_speaks_french_durations_and_numbers(web: Web) -> None:
    text = _text(_get(web.client("learner"), "/g/g1/sources"))
    assert "collecte toutes les 6 h" in text  # every: 6h (the default)
    assert "day" not in text and "0:00:00" not in text and "1:00:00" not in text
    assert "3,5" in text and not re.search(r"\b\d+\.\d\b", text)  # 14 items in 4 weeks
    assert "flux RSS/Atom" in text and " feed " not in f" {text} "


# --- 12. deleting an account ------------------------------------------------------------------


def test_deleting_an_account_asks_first_on_a_page_without_javascript(web: Web) -> None:
    admin = web.client("admin")
    tutor = web.users.by_email(EMAILS["tutor"])
    assert tutor is not None
    users_page = _get(admin, "/admin/users")
    assert f"/admin/users/{tutor.id}/delete" in users_page
    assert f'action="/admin/users/{tutor.id}/delete"' not in users_page  # no one-click delete
    confirm = _get(admin, f"/admin/users/{tutor.id}/delete")
    assert "Tutor" in confirm and "tom@example.org" in confirm
    # the confirmation is a page of its own, not a script's confirm(): the app's one shared
    # script (a double-click guard) is the only script, and the page works without it
    assert "<script" not in confirm.replace(SHARED_SCRIPT, "") and "confirm(" not in confirm
    assert 'name="confirm" value="oui"' in confirm and "Annuler" in confirm
    unconfirmed = admin.post(f"/admin/users/{tutor.id}/delete", data={"csrf_token": CSRF})
    assert unconfirmed.status_code == 303 and web.users.get(tutor.id) is not None
    done = admin.post(
        f"/admin/users/{tutor.id}/delete", data={"confirm": "oui", "csrf_token": CSRF}
    )
    assert done.status_code == 303 and web.users.get(tutor.id) is None


# --- 13. the smaller points ----------------------------------------------------------------------


def test_retain_is_not_offered_twice_and_records_name_people(web: Web) -> None:
    client = web.client("learner")
    retained = _get(client, f"/g/g1/items/{web.ids.g1}")  # retained by lea in the fixture
    assert 'value="retained"' not in retained and "Remettre à trier" in retained
    assert "retenu par Learner" in _text(retained) and "par lea@example.org" not in retained
    assert 'value="retained"' in _get(client, f"/g/g1/items/{web.ids.g1_twin}")
    curated = _text(_get(client, "/g/g1/curated"))
    assert "retenu par Learner" in curated and "lea@example.org" not in curated
    assert "Source Un" in curated and " s1 " not in f" {curated} "
