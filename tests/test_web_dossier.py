"""The dossier and assessment pages (watcher/web/dossier.py): Flask's test client on the watch of
test_web_app (two groups, a jury where the evaluator sits, lea's C1 signed and C2 drafted), and
one run in Debian's headless Chromium. The role × page matrix of these routes is in
test_web_app.py.
"""

from __future__ import annotations

import csv
import io
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from test_web_app import CSRF, EMAILS, NOW, PASSWORD, SHARED_SCRIPT, Ids, Web, _build, _web

from watcher.model import Entry
from watcher.store.assess import AssessStore
from watcher.web import create_app
from watcher.workspace import Workspace

PERIOD = "from=2026-11-01&to=2026-11-30"
NOE = "noe@example.org"  # a second learner of g1


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Ids]:
    root = tmp_path_factory.mktemp("dossierwatch")
    _workspace, ids = _build(root)
    return root, ids


@pytest.fixture
def web(base: tuple[Path, Ids], tmp_path: Path) -> Iterator[Web]:
    yield from _web(*base, tmp_path / "watch")


def _astore(web: Web) -> AssessStore:
    return AssessStore(web.store)


def _page(web: Web, role: str, path: str) -> str:
    response = web.client(role).get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    return response.get_data(as_text=True)


def _post(client: Any, path: str, **form: Any) -> Any:
    return client.post(path, data={**form, "csrf_token": CSRF})


def _row(html: str, code: str, anchor: str = "l1") -> str:
    """The table rows of competence `code` (state, history) in the section of one learner."""
    section = html.split(f'id="{anchor}"', 1)[1].split("</section>", 1)[0]
    found = re.search(rf'<tbody[^>]*data-competence="{code}">(.*?)</tbody>', section, re.S)
    assert found, code
    return found.group(1)


def _record_id(web: Web, competence: str, version: int = 1) -> int:
    found = [
        r
        for r in _astore(web).history(EMAILS["learner"], "bloc1-jury", competence)
        if r.version == version
    ]
    assert found and found[0].id is not None
    return found[0].id


# --- the dossier ------------------------------------------------------------------------------


def test_dossier_page_shows_evidence_per_competence_and_contents(web: Web) -> None:
    html = _page(web, "evaluator", f"/g/g1/dossier?{PERIOD}")
    assert "Groupe 1" in html and "Sommaire" in html
    for code in ("C1", "C2", "C3", "C4", "C5", "C6", "C7"):
        assert f'id="preuve-{code}"' in html
    assert "Plan de veille" in html and "Annexe B — Bibliographie et sitographie" in html
    # the evidence links to the group's item pages
    assert f'href="/g/g1/items/{web.ids.g1}"' in html
    # downloads for the four formats, for the same period
    for fmt in ("html", "pdf", "docx", "xlsx"):
        assert f"/g/g1/dossier.{fmt}?from=2026-11-01&amp;to=2026-11-30" in html
    assert "<script" not in html.replace(SHARED_SCRIPT, "") and " style=" not in html
    # an admin reads no item nor fiche (permissions.py): not the dossier either, nor a link to it
    admin = web.client("admin")
    assert admin.get(f"/g/g1/dossier?{PERIOD}").status_code == 403
    assert admin.get(f"/g/g1/dossier.xlsx?{PERIOD}").status_code == 403
    assessments = _page(web, "admin", "/g/g1/assessments")
    assert "/g/g1/dossier" not in assessments and "/g/g2/dossier" not in assessments


def test_default_period_is_the_last_16_weeks(web: Web) -> None:
    html = _page(web, "learner", "/g/g1/dossier")
    # NOW is Friday 2026-11-27: its week starts on Monday 23, 15 weeks earlier is 10 August
    assert 'name="from" value="2026-08-10"' in html
    assert 'name="to" value="2026-11-27"' in html
    assert web.client("learner").get("/g/g1/dossier?from=hier").status_code == 400
    assert web.client("learner").get("/g/g1/dossier?from=2020-01-01").status_code == 400
    assert web.client("learner").get("/g/g1/dossier.odt").status_code == 404


def test_the_dossier_pages_name_weeks_as_people_read_them(web: Web) -> None:
    """Saw: « Semaines sans synthèse : 2026-W45, 2026-W46, 2026-W48. » above the downloads and
    « 2026-W44 »… in the full dossier's diffusion table (W47 has its digest). Sees now the
    weeks with their days, as the digests say them."""
    early = Entry(url="https://s1.example.org/early", title="Un article de novembre", guid="e1")
    web.store.store_feed("s1", ["g1"], [early], datetime(2026, 11, 3, 9, tzinfo=UTC),
                         url="https://s1", found=None)  # fmt: skip
    page = _page(web, "evaluator", f"/g/g1/dossier?{PERIOD}")
    card = page.split('id="a-completer"')[1].split("</section>")[0]
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", card)).split())
    assert (
        "Semaines sans synthèse : semaine 45 (du 2 au 8 novembre 2026), semaine 46 (du 9 au 15 "
        "novembre 2026), semaine 48 (du 23 au 29 novembre 2026)."
    ) in text, text
    full = _page(web, "evaluator", f"/g/g1/dossier/full?{PERIOD}")
    shown = re.sub(r"<script.*?</script>|<style.*?</style>", " ", full, flags=re.S)
    shown = " ".join(unescape(re.sub(r"<[^>]+>", " ", shown)).split())
    assert "Semaine 44 (du 26 octobre au 1er novembre 2026)" in shown, shown
    assert "Semaine 48 (du 23 au 29 novembre 2026)" in shown, shown
    assert not re.search(r"\d{4}-W\d{2}", shown), re.findall(r".{60}\d{4}-W\d{2}", shown)


def _download(web: Web, fmt: str) -> bytes:
    response = web.client("tutor").get(f"/g/g1/dossier.{fmt}?{PERIOD}")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition == f"attachment; filename=g1-dossier-2026-11-01-2026-11-30.{fmt}"
    return response.data


def test_dossier_downloads_parse(web: Web) -> None:
    from watcher.report.export import MIME

    html = web.client("learner").get(f"/g/g1/dossier.html?{PERIOD}")
    assert html.headers["Content-Type"] == MIME["html"]
    assert "sandbox" in html.headers["Content-Security-Policy"]
    text = _download(web, "html").decode("utf-8")
    for anchor in ("preuves", "plan", "resultats", "bibliographie"):
        assert f'id="{anchor}"' in text  # the page's table of contents names real sections

    pdf = PdfReader(io.BytesIO(_download(web, "pdf")))
    pdf_text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "Groupe 1" in pdf_text
    assert "Organiser ou consulter une veille sur l'environnement législatif" in pdf_text

    doc = Document(io.BytesIO(_download(web, "docx")))
    headings = [
        p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"
    ]
    assert "Preuves par compétence (bloc 1)" in headings and "Plan de veille" in headings

    book = load_workbook(io.BytesIO(_download(web, "xlsx")))
    assert "Plan de veille" in book.sheetnames
    header = [c.value for c in book["Plan de veille"][1]]
    assert header[:3] == ["Axe", "Mots-clés / équation", "Source"]


def test_oral_deck_downloads_from_the_dossier_page(web: Web) -> None:
    from pptx import Presentation

    page = _page(web, "learner", f"/g/g1/dossier?{PERIOD}")
    assert f"/g/g1/oral.pptx?{PERIOD}" in page.replace("&amp;", "&")
    assert f"/g/g1/oral.pdf?{PERIOD}" in page.replace("&amp;", "&")
    tutor = web.client("tutor")
    deck = tutor.get(f"/g/g1/oral.pptx?{PERIOD}&minutes=15")
    assert deck.status_code == 200
    assert deck.headers["Content-Type"].endswith("presentationml.presentation")
    assert deck.headers["Content-Disposition"] == (
        "attachment; filename=g1-oral-2026-11-01-2026-11-30.pptx"
    )
    slides = list(Presentation(io.BytesIO(deck.data)).slides)
    assert any("Groupe 1" in sh.text_frame.text for sh in slides[0].shapes if sh.has_text_frame)
    times = [
        re.search(r"Temps prévu : (\d+) min (\d+) s", s.notes_slide.notes_text_frame.text)
        for s in slides
    ]
    assert sum(int(t.group(1)) * 60 + int(t.group(2)) for t in times if t) == 15 * 60
    handout = tutor.get(f"/g/g1/oral.pdf?{PERIOD}&minutes=15")
    assert handout.status_code == 200 and handout.headers["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(handout.data)).pages) == len(slides)
    assert tutor.get(f"/g/g1/oral.pptx?{PERIOD}&minutes=0").status_code == 400
    assert tutor.get(f"/g/g1/oral.pptx?{PERIOD}&minutes=2").status_code == 400  # too short
    assert tutor.get(f"/g/g1/oral.odp?{PERIOD}").status_code == 404


# --- assessments --------------------------------------------------------------------------------


def test_record_sign_lock_correct_publish(web: Web) -> None:
    web.users.add(NOE, "Noé", "learner", PASSWORD, group_id="g1", now=NOW)
    eve = web.client("evaluator")
    page = eve.get("/g/g1/assessments").get_data(as_text=True)
    anchor = re.search(r'<section class="card learner" id="(l\d)">\s*<h2>Learner', page)
    assert anchor  # lea's section ("Learner" is her account name)
    lea = anchor.group(1)
    assert 'name="csrf_token"' in page and 'name="level-C3"' in page
    assert 'name="level-C1"' not in _row(page, "C1", lea)  # C1 is signed: no field for it

    # record a draft, then sign it
    response = _post(eve, "/g/g1/assessments/record", learner=EMAILS["learner"],
                     grid_id="bloc1-jury", jury_id=web.ids.jury, **{"level-C3": "2",
                     "comment-C3": "Textes cités sans lien officiel"})  # fmt: skip
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#{lea}")
    c3 = _record_id(web, "C3")
    assert "brouillon" in _row(eve.get("/g/g1/assessments").get_data(as_text=True), "C3", lea)
    assert _post(eve, "/g/g1/assessments/sign", record_id=c3).status_code == 303
    html = eve.get("/g/g1/assessments").get_data(as_text=True)
    assert "verrouillée" in _row(html, "C3", lea) and "signée le" in _row(html, "C3", lea)

    # a second edit is refused: the signed record stays as it was
    again = _post(eve, "/g/g1/assessments/record", learner=EMAILS["learner"],
                  grid_id="bloc1-jury", jury_id=web.ids.jury, **{"level-C3": "4"})  # fmt: skip
    assert again.status_code == 409
    assert "correction" in again.get_data(as_text=True)
    assert _astore(web).get(c3).level == 2
    # signing it again changes nothing, and says so
    assert _post(eve, "/g/g1/assessments/sign", record_id=c3).status_code == 303
    assert "déjà signée et verrouillée" in eve.get("/g/g1/assessments").get_data(as_text=True)
    assert _astore(web).get(c3).level == 2

    # a correction is version 2, with its reason; the history shows both
    no_reason = _post(eve, f"/g/g1/assessments/{c3}/correct", level="3", comment="x")
    assert no_reason.status_code == 400
    fixed = _post(eve, f"/g/g1/assessments/{c3}/correct", level="3",
                  comment="Liens Légifrance ajoutés", reason="Annexe oubliée")  # fmt: skip
    assert fixed.status_code == 303
    v2 = _record_id(web, "C3", 2)
    assert _astore(web).get(v2).supersedes == c3
    row = _row(eve.get("/g/g1/assessments").get_data(as_text=True), "C3", lea)
    assert "2 versions" in row and "Annexe oubliée" in row and "correction en cours" in row
    assert _post(eve, "/g/g1/assessments/sign", record_id=v2).status_code == 303

    # nothing is visible to the learner before publication
    learner = web.client("learner")
    before = learner.get("/g/g1/assessments").get_data(as_text=True)
    assert "Aucune évaluation publiée" in before and "Textes cités" not in before
    assert _post(eve, "/g/g1/assessments/publish").status_code == 303

    # published: lea sees her own signed records (C1 and both versions of C3), not the draft C2
    mine = learner.get("/g/g1/assessments").get_data(as_text=True)
    assert "Liens Légifrance ajoutés" in mine and "Annexe oubliée" in mine
    assert "3 — maîtrisé" in _row(mine, "C3") and "publiée" in _row(mine, "C3")
    assert "non évaluée" in _row(mine, "C2")  # a draft: not shown
    assert '<span class="badge">brouillon</span>' not in mine
    assert 'name="level-' not in mine and NOE not in mine
    assert "Publier" not in mine and "Corriger" not in mine
    # the other learner of the group sees nothing of lea's; another group's learner: 403
    noe = web.client("learner")
    user = web.users.by_email(NOE)
    assert user is not None
    with noe.session_transaction() as session:
        session["uid"], session["sv"] = user.id, user.session_version
    theirs = noe.get("/g/g1/assessments").get_data(as_text=True)
    assert "Aucune évaluation publiée" in theirs
    assert EMAILS["learner"] not in theirs and "Liens Légifrance" not in theirs
    assert noe.get("/g/g1/assessments.csv").get_data(as_text=True).count("\n") == 1  # header
    assert web.client("other").get("/g/g1/assessments").status_code == 403

    # the tutor sees the group's signed records, not the evaluator's drafts
    _post(eve, "/g/g1/assessments/record", learner=EMAILS["learner"], grid_id="bloc1-jury",
          jury_id=web.ids.jury, **{"level-C5": "1", "comment-C5": "brouillon secret"})  # fmt: skip
    tutor = web.client("tutor").get("/g/g1/assessments").get_data(as_text=True)
    assert "Liens Légifrance ajoutés" in tutor and "brouillon secret" not in tutor
    assert "Bien" in _row(tutor, "C1", lea)


ORAL_FORM = {
    "grid_id": "bloc1-jury",
    "held_on": "2026-12-18",
    "duration": "20",
    **{f"oral-level-C{n}": "3" for n in range(1, 8)},
    "oral-obs-C1": "Actions proposées claires, avec responsables et échéances",
    "oral-obs-C2": "Cite la loi Hamon et le RGPD avec leurs liens officiels",
    "questions": "Comment vérifiez-vous une source secondaire ?",
    "answers": "Réponses précises ; recoupement expliqué avec un exemple",
}


def _oral_section(html: str, anchor: str) -> str:
    found = re.search(rf'<section class="oral" id="{anchor}-oral">(.*?)</section>', html, re.S)
    assert found, f"no oral section for {anchor}"
    return found.group(1)


def test_oral_record_sign_refused_edit_correction_publication(web: Web) -> None:
    eve = web.client("evaluator")
    page = eve.get("/g/g1/assessments").get_data(as_text=True)
    lea = re.search(r'<section class="card learner" id="(l\d)">\s*<h2>Learner', page)
    assert lea
    anchor = lea.group(1)
    section = _oral_section(page, anchor)  # beside the written part, a tab of its own
    assert f'href="#{anchor}-oral"' in page and f'href="#{anchor}-ecrit"' in page
    assert 'name="oral-level-C1"' in section and 'name="questions"' in section

    # record (a draft with the jury), then sign: locked
    answer = _post(eve, "/g/g1/assessments/oral", learner=EMAILS["learner"],
                   jury_id=web.ids.jury, **ORAL_FORM)  # fmt: skip
    assert answer.status_code == 303, answer.get_data(as_text=True)[:600]
    assert answer.headers["Location"].endswith(f"#{anchor}-oral")
    (draft,) = _astore(web).orals(learner=EMAILS["learner"])
    assert draft.duration == 20 and draft.mark("C2") is not None and not draft.signed
    assert draft.mark("C2").level == 3  # type: ignore[union-attr]
    assert "brouillon" in _oral_section(eve.get("/g/g1/assessments").get_data(as_text=True), anchor)
    assert draft.id is not None
    assert _post(eve, f"/g/g1/assessments/oral/{draft.id}/sign").status_code == 303
    signed = _astore(web).oral(draft.id)
    assert signed.signed and signed.jury_id == web.ids.jury
    html = eve.get("/g/g1/assessments").get_data(as_text=True)
    section = _oral_section(html, anchor)
    assert "verrouillée" in section and "Comment vérifiez-vous une source secondaire" in section

    # a second edit is refused, and so is a second signature: the signed record is unchanged
    again = _post(eve, "/g/g1/assessments/oral", learner=EMAILS["learner"],
                  **{**ORAL_FORM, "duration": "45"})  # fmt: skip
    assert again.status_code == 409 and "correction" in again.get_data(as_text=True)
    assert _post(eve, f"/g/g1/assessments/oral/{draft.id}/sign").status_code == 409
    assert _astore(web).oral(draft.id).duration == 20

    # a correction is version 2 with its reason (required); signed in turn
    form = {**ORAL_FORM, "oral-level-C5": "4", "oral-obs-C5": "Recoupements montrés en direct"}
    refused = _post(eve, f"/g/g1/assessments/oral/{draft.id}/correct", **form)
    assert refused.status_code == 400
    fixed = _post(eve, f"/g/g1/assessments/oral/{draft.id}/correct",
                  reason="C5 revu après délibération", **form)  # fmt: skip
    assert fixed.status_code == 303
    v1, v2 = _astore(web).orals(learner=EMAILS["learner"])
    assert v2.version == 2 and v2.supersedes == v1.id and v2.mark("C5").level == 4  # type: ignore[union-attr]
    assert v2.id is not None
    assert _post(eve, f"/g/g1/assessments/oral/{v2.id}/sign").status_code == 303
    section = _oral_section(eve.get("/g/g1/assessments").get_data(as_text=True), anchor)
    assert "2 versions" in section and "C5 revu après délibération" in section

    # nothing for the learner before publication; then her own oral, not the drafts' forms
    learner = web.client("learner")
    before = learner.get("/g/g1/assessments").get_data(as_text=True)
    assert "Recoupements montrés en direct" not in before
    assert _post(eve, "/g/g1/assessments/publish").status_code == 303
    mine = learner.get("/g/g1/assessments").get_data(as_text=True)
    section = _oral_section(mine, "l1")
    assert "Recoupements montrés en direct" in section and "publiée" in section
    assert "Réponses précises" in section and "18/12/2026" in section
    assert 'name="oral-level-' not in mine and "Motif de la correction" not in section
    # the other group's learner: 403; the learner cannot record an oral
    assert web.client("other").get("/g/g1/assessments").status_code == 403
    assert _post(learner, "/g/g1/assessments/oral", learner=EMAILS["learner"],
                 **ORAL_FORM).status_code == 403  # fmt: skip

    # the exports carry the oral; the decision shows what it rests on, written and oral
    rows = list(csv.DictReader(io.StringIO(
        eve.get("/g/g1/assessments.csv").data.decode("utf-8-sig")), delimiter=";"))  # fmt: skip
    oral_rows = [r for r in rows if r["epreuve"] == "oral"]
    assert {r["competence"] for r in oral_rows} >= {"C1", "C2", "C5"}
    assert any(r["version"] == "2" and r["niveau"] == "4" and r["en_vigueur"] == "oui"
               for r in oral_rows if r["competence"] == "C5")  # fmt: skip
    assert all(r["questions"].startswith("Comment") for r in oral_rows)
    book = load_workbook(io.BytesIO(eve.get("/g/g1/assessments.xlsx").data))
    assert "Oral" in book.sheetnames
    decided = _post(eve, "/g/g1/assessments/decision", learner=EMAILS["learner"],
                    jury_id=web.ids.jury, decided_on="2026-12-18", outcome="validé")  # fmt: skip
    assert decided.status_code == 303
    basis = eve.get("/g/g1/assessments").get_data(as_text=True)
    basis = basis.split('class="meta decision-basis"', 1)[1].split("</p>", 1)[0]
    assert "écrit" in basis and "C1" in basis and "séance du 18/12/2026" in basis
    pdf = PdfReader(io.BytesIO(eve.get("/g/g1/assessments.pdf").data))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "Présentation orale des résultats — séance du 18/12/2026" in text
    assert "La décision repose sur" in text and "Recoupements montrés en direct" in text


def test_tutor_fills_the_tutor_grid_and_the_evaluator_cannot_sign_it(web: Web) -> None:
    tutor = web.client("tutor")
    page = tutor.get("/g/g1/assessments").get_data(as_text=True)
    assert "Grille du tuteur en entreprise" in page and 'name="jury_id"' not in page
    response = _post(
        tutor,
        "/g/g1/assessments/record",
        learner=EMAILS["learner"],
        grid_id="bloc1-tuteur",
        **{"level-C7": "3", "comment-C7": "CRM maîtrisé"},
    )
    assert response.status_code == 303
    record = _astore(web).history(EMAILS["learner"], "bloc1-tuteur", "C7")[0]
    assert (
        _post(web.client("evaluator"), "/g/g1/assessments/sign", record_id=record.id).status_code
        == 403
    )  # the tutor signs their own grid
    assert _post(tutor, "/g/g1/assessments/sign", record_id=record.id).status_code == 303
    assert _astore(web).get(record.id or 0).signed_by == EMAILS["tutor"]
    # the evaluator has no form on the tutor grid, the tutor none on the jury grid
    evaluator = _page(web, "evaluator", "/g/g1/assessments?grid=bloc1-tuteur")
    assert 'name="grid_id" value="bloc1-jury"' in evaluator
    assert 'name="grid_id" value="bloc1-tuteur"' not in evaluator
    assert 'name="grid_id" value="bloc1-jury"' not in _page(web, "tutor", "/g/g1/assessments")


def test_admin_manages_juries_but_cannot_grade(web: Web) -> None:
    admin = web.client("admin")
    form = {
        "jury_name": "Jury de décembre",
        "session_date": "2026-12-18",
        "name-0": "Eve",
        "email-0": EMAILS["evaluator"],
        "quality-0": "formation",
        "name-1": "Paul",
        "email-1": "paul@example.org",
        "quality-1": "professionnel",
        "organisation-1": "Telvia",
        "role-1": "président",
        "name-2": "Zoé",
        "email-2": "zoe@example.org",
        "quality-2": "professionnel",
    }
    assert _post(admin, "/assessments/juries", **form).status_code == 303
    html = admin.get("/assessments/juries").get_data(as_text=True)
    assert "Jury de décembre" in html and "composition déséquilibrée" in html
    assert "Composition conforme" in html  # Jury 1 (one of each)
    bad = _post(admin, "/assessments/juries", jury_name="", session_date="demain")
    assert bad.status_code == 400 and "Donnez un nom au jury" in bad.get_data(as_text=True)
    page = admin.get("/g/g1/assessments").get_data(as_text=True)
    assert "record-form" not in page and "Corriger" not in page and "Signer" not in page
    denied = _post(admin, "/g/g1/assessments/record", learner=EMAILS["learner"],
                   grid_id="bloc1-jury", jury_id=web.ids.jury, **{"level-C3": "2"})  # fmt: skip
    assert denied.status_code == 403
    assert _astore(web).history(EMAILS["learner"], "bloc1-jury", "C3") == []


def test_decision_is_valid_five_years(web: Web) -> None:
    eve = web.client("evaluator")
    response = _post(eve, "/g/g1/assessments/decision", learner=EMAILS["learner"],
                     jury_id=web.ids.jury, decided_on="2026-12-18", outcome="validé")  # fmt: skip
    assert response.status_code == 303
    html = web.client("learner").get("/g/g1/assessments").get_data(as_text=True)
    assert "18/12/2031" not in html  # the jury's side only, until it is published
    assert _post(eve, "/g/g1/assessments/publish").status_code == 303
    html = web.client("learner").get("/g/g1/assessments").get_data(as_text=True)
    assert "validé" in html and "18/12/2031" in html
    bad = _post(eve, "/g/g1/assessments/decision", learner=EMAILS["learner"],
                jury_id=web.ids.jury, decided_on="2026-12-18", outcome="admis")  # fmt: skip
    assert bad.status_code == 400 and "décision inconnue" in bad.get_data(as_text=True)


def test_assessment_exports(web: Web) -> None:
    eve = web.client("evaluator")
    response = eve.get("/g/g1/assessments.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == "attachment; filename=evaluations-g1.csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "apprenant" and {r[4] for r in rows[1:]} == {"C1", "C2"}
    one = eve.get(f"/g/g1/assessments.xlsx?learner={EMAILS['learner']}")
    assert "evaluations-lea-at-example.org.xlsx" in one.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(one.data))
    assert "Historique" in book.sheetnames and "Jurys" in book.sheetnames
    pdf = PdfReader(io.BytesIO(eve.get("/g/g1/assessments.pdf").data))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "Évaluations du bloc 1" in " ".join(text.split())
    # a document for people: who signed by name, when on the watch's clock, as the page says
    words = " ".join(text.split())
    assert "Evaluator 27/11/2026 13:00" in words, words
    assert "UTC" not in words
    cohort = eve.get("/assessments.csv")
    assert cohort.headers["Content-Disposition"].endswith("evaluations-cohorte.csv")
    # before publication the learner's own export is empty (header only)
    mine = web.client("learner").get("/g/g1/assessments.csv").data.decode("utf-8-sig")
    assert mine.strip().count("\n") == 0


def test_pages_in_english(web: Web) -> None:
    client = web.client("evaluator")
    client.post("/lang", data={"lang": "en", "csrf_token": CSRF, "next": "/"})
    html = client.get("/g/g1/assessments").get_data(as_text=True)
    assert "Block 1 assessments" in html and "Record levels (draft)" in html
    html = client.get(f"/g/g1/dossier?{PERIOD}").get_data(as_text=True)
    assert "Download the dossier" in html and "Evidence per competence" in html


# --- in a real browser ----------------------------------------------------------------------


@contextmanager
def _served_copy(base: tuple[Path, Ids], tmp_path: Path) -> Iterator[str]:
    """A copy of the built watch served by the web app on 127.0.0.1 (waitress, as in production);
    its address."""
    import shutil

    import waitress

    shutil.copytree(base[0], tmp_path / "watch")
    app = create_app(Workspace(tmp_path / "watch" / "sources.yml"), secure_cookies=False)
    wsgi = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=wsgi.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{wsgi.effective_port}"  # type: ignore[union-attr]
    finally:
        wsgi.close()
        thread.join(timeout=10)
        app.extensions["watcher"].close()


def _sign_in_as_evaluator(page: Any) -> None:
    page.goto("/login")
    page.fill("input[name=email]", EMAILS["evaluator"])
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/groups")


@pytest.mark.slow
@pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists() and not os.environ.get("CI"),
    reason="Debian chromium is not installed (bash .ci/setup installs it)",
)
def test_evaluator_records_and_signs_in_the_browser(base: tuple[Path, Ids], tmp_path: Path) -> None:

    from playwright.sync_api import sync_playwright
    from test_web_browser import ARGS, CHROMIUM, SCREENSHOTS

    with _served_copy(base, tmp_path) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(
            base_url=server, viewport={"width": 390, "height": 844}, is_mobile=True
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text))
        _sign_in_as_evaluator(page)
        page.goto("/g/g1/dossier?from=2026-11-01&to=2026-11-30")
        assert "Preuves par compétence" in page.inner_text("main")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "watcher-dossier-phone.png"), full_page=True)
        page.click("nav.actions >> text=Évaluations")
        page.wait_for_url("**/g/g1/assessments")
        form = page.locator("section.learner form.record-form").first
        form.locator("input[name=level-C3][value='2']").check()
        form.locator("textarea[name=comment-C3]").fill("Références citées, liens à ajouter")
        form.locator("button[type=submit]").click()
        page.wait_for_url("**/g/g1/assessments**")
        row = page.locator("section.learner tbody[data-competence=C3]").first
        assert "brouillon" in row.inner_text()
        page.locator("section.learner form.sign-form button").first.click()
        page.wait_for_load_state()
        row = page.locator("section.learner tbody[data-competence=C3]").first
        assert "verrouillée" in row.inner_text() and "2 — en progrès" in row.inner_text()
        assert page.locator("section.learner input[name=level-C3]").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(SCREENSHOTS / "watcher-assessments-phone.png"), full_page=True)
        assert errors == [], errors  # no CSP violation, nothing else in the console
        context.close()
        browser.close()


@pytest.mark.slow
@pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists() and not os.environ.get("CI"),
    reason="Debian chromium is not installed (bash .ci/setup installs it)",
)
def test_signing_again_from_a_stale_tab_says_it_is_done(
    base: tuple[Path, Ids], tmp_path: Path
) -> None:
    """An evaluator signs in one tab, then clicks « Signer » again in another tab opened
    before (or goes back and clicks twice): the records are signed, as they wanted — the page
    says so once, on the assessments page, with no error and no internal record number."""

    from playwright.sync_api import sync_playwright
    from test_web_browser import ARGS, CHROMIUM

    with _served_copy(base, tmp_path) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(base_url=server)
        first = context.new_page()
        first.set_default_timeout(20_000)
        _sign_in_as_evaluator(first)
        first.goto("/g/g1/assessments")
        form = first.locator("section.learner form.record-form").first
        form.locator("input[name=level-C3][value='2']").check()
        form.locator("textarea[name=comment-C3]").fill("Références citées, liens à ajouter")
        form.locator("input[name=level-C4][value='3']").check()
        form.locator("textarea[name=comment-C4]").fill("Exports XLSX propres")
        form.locator("button[type=submit]").click()
        first.wait_for_url("**/g/g1/assessments**")
        second = context.new_page()
        second.set_default_timeout(20_000)
        second.goto("/g/g1/assessments")
        first.locator("section.learner form.sign-form button").first.click()
        first.wait_for_url("**/g/g1/assessments**")
        assert "signées et verrouillées" in first.locator("[role=status]").inner_text()

        with second.expect_response(lambda r: "/assessments/sign" in r.url) as answer:
            second.locator("section.learner form.sign-form button").first.click()
        assert answer.value.status == 303
        second.wait_for_url("**/g/g1/assessments**")
        assert "/sign" not in second.url  # a reload sends nothing again
        said = second.locator("[role=status]").all_inner_texts()
        assert len(said) == 1, said
        assert "C3, C4 déjà signées et verrouillées" in said[0], said
        assert "n°" not in said[0]
        assert second.locator("[role=alert]").count() == 0
        row = second.locator("section.learner tbody[data-competence=C3]").first
        assert "verrouillée" in row.inner_text() and "2 — en progrès" in row.inner_text()
        context.close()
        browser.close()
