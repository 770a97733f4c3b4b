"""The jury's record of the oral (issue 21), through the use cases of `watcher.jobs.assess` on a
real store, SQLite and PostgreSQL: a draft, then signed and locked (the application refuses to
edit it, the database's triggers refuse an UPDATE or a DELETE), corrections as new versions with
their reason, the grid's levels at the oral, who sees what, the decision's basis (written and
oral) and the exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from test_assess import ADMIN, ANNE, KARIM, LEA, NOW, OUTSIDER, PAUL, PRO, SCHOOL, TOM, TUTOR

from watcher.assess.rules import (
    AccessDenied,
    Viewer,
    current_orals,
    decision_basis,
    edit_oral_draft,
    oral_seal_intact,
)
from watcher.config import Watch, load_watch
from watcher.errors import AssessError, LockedError
from watcher.grids import DEFAULT_GRID, TUTOR_GRID, grid_from_mapping
from watcher.jobs import OpenWorkspace, open_workspace
from watcher.jobs.assess import (
    OralInput,
    correct_oral_record,
    create_jury,
    export_assessments,
    orals_for,
    prepared,
    publish_assessments,
    record_assessment,
    record_decision,
    record_oral,
    sign_assessment,
    sign_oral_record,
)
from watcher.model import Jury, OralMark, OralRecord
from watcher.workspace import Workspace

SOURCES = """
watch: {name: "Veille"}
axes: [{id: concurrence, label: "Marché"}]
groups:
  - id: g1
    name: "Groupe 1"
    members:
      - {name: "Léa Moreau", email: "lea@example.org"}
      - {name: "Karim Benali", email: "karim@example.org"}
    tutor: {name: "Hélène Garnier", email: "helene@example.org"}
  - id: g2
    name: "Groupe 2"
    members: [{name: "Tom Martin", email: "tom@example.org"}]
sources: []
"""
HELD = date(2027, 6, 20)
LEVELS = {f"C{n}": 3 for n in range(1, 8)}


def _input(
    levels: dict[str, int | None] | None = None,
    observations: dict[str, str] | None = None,
    duration: int = 20,
    held_on: date = HELD,
) -> OralInput:
    levels = LEVELS if levels is None else levels
    observations = observations or {"C2": "Cite le RGPD avec son lien officiel"}
    codes = sorted(set(levels) | set(observations))
    return OralInput(
        held_on,
        duration,
        tuple(OralMark(c, observations.get(c, ""), levels.get(c)) for c in codes),
        questions="Comment vérifiez-vous une source secondaire ?",
        answers="Précises ; un recoupement montré en exemple",
    )


@pytest.fixture
def w(tmp_path: Path, database: str) -> Iterator[OpenWorkspace]:
    """The watch's store, on each database (SQLite, PostgreSQL)."""
    (tmp_path / "sources.yml").write_text(SOURCES, encoding="utf-8")
    with open_workspace(Workspace(tmp_path / "sources.yml")) as opened:
        prepared(opened, NOW)
        yield opened


@pytest.fixture
def watch(w: OpenWorkspace) -> Watch:
    return load_watch(w.workspace.config)


@pytest.fixture
def jury(w: OpenWorkspace) -> Jury:
    return create_jury(w, ADMIN, Jury(None, "Jury juin 2027", HELD, (PRO, SCHOOL)), now=NOW)


GROUPS = {"lea@example.org": "g1", "karim@example.org": "g1", "tom@example.org": "g2"}


def _oral(
    w: OpenWorkspace,
    jury: Jury | None,
    learner: str = "lea@example.org",
    duration: int = 20,
) -> OralRecord:
    """Paul's record of an oral (a new draft, or his draft edited)."""
    return record_oral(
        w,
        PAUL,
        grid_id=DEFAULT_GRID.id,
        learner=learner,
        group_id=GROUPS[learner],
        oral=_input(duration=duration),
        now=NOW,
        jury_id=jury.id if jury else None,
    )


# --- record, sign, lock --------------------------------------------------------------------------


def test_a_draft_changes_until_signed_then_is_locked(w: OpenWorkspace, jury: Jury) -> None:
    draft = _oral(w, None)
    assert (draft.version, draft.signed, draft.jury_id) == (1, False, None)
    again = _oral(w, jury, duration=25)  # the same draft, edited; its jury named now
    assert (again.id, again.version, again.duration, again.jury_id) == (draft.id, 1, 25, jury.id)
    signed = sign_oral_record(w, PAUL, draft.id or 0, NOW)
    assert signed.signed and signed.signed_by == "paul@example.org" and oral_seal_intact(signed)
    assert signed.mark("C2") == OralMark("C2", "Cite le RGPD avec son lien officiel", 3)
    with pytest.raises(LockedError, match="correction"):
        _oral(w, jury, duration=45)
    with pytest.raises(LockedError):
        edit_oral_draft(
            DEFAULT_GRID, signed, held_on=HELD, duration=45, marks=(), questions="", answers=""
        )
    with pytest.raises(LockedError, match="déjà signé"):
        sign_oral_record(w, ANNE, signed.id or 0, NOW)
    with pytest.raises(LockedError):
        w.assessments.save_oral_draft(replace(signed, duration=45))
    assert w.assessments.oral(signed.id or 0) == signed


def test_the_database_refuses_to_rewrite_a_signed_oral(w: OpenWorkspace, jury: Jury) -> None:
    draft = _oral(w, jury)
    with w.assessments.engine.begin() as conn:  # a draft is still the jury's to change
        conn.execute(text("UPDATE assess_orals SET duration = 21 WHERE id = :i"), {"i": draft.id})
    signed = sign_oral_record(w, PAUL, draft.id or 0, NOW)
    for sql in (
        "UPDATE assess_orals SET duration = 45 WHERE id = :i",
        "UPDATE assess_orals SET marks = '[]' WHERE id = :i",
        "UPDATE assess_orals SET answers = 'excellentes' WHERE id = :i",
        "UPDATE assess_orals SET signed_at = NULL WHERE id = :i",
        "DELETE FROM assess_orals WHERE id = :i",
    ):
        with pytest.raises(DatabaseError, match="locked"), w.assessments.engine.begin() as conn:
            conn.execute(text(sql), {"i": signed.id})
    kept = w.assessments.oral(signed.id or 0)
    assert kept == signed and kept.duration == 21 and oral_seal_intact(kept)
    # publishing does not touch the content: allowed
    assert publish_assessments(w, PAUL, group_id="g1", now=NOW).records == 1
    assert w.assessments.oral(signed.id or 0).published


def test_a_tampered_oral_breaks_its_seal(w: OpenWorkspace, jury: Jury) -> None:
    signed = sign_oral_record(w, PAUL, _oral(w, jury).id or 0, NOW)
    assert oral_seal_intact(signed)
    assert not oral_seal_intact(replace(signed, answers="excellentes"))
    assert not oral_seal_intact(replace(signed, marks=signed.marks[1:]))
    assert not oral_seal_intact(_oral(w, jury, learner="karim@example.org"))  # a draft


def test_a_correction_is_a_new_version_and_the_signed_one_stays(
    w: OpenWorkspace, jury: Jury
) -> None:
    first = sign_oral_record(w, PAUL, _oral(w, jury).id or 0, NOW)
    later = NOW + timedelta(days=1)
    fixed_input = _input(levels={**LEVELS, "C5": 4}, observations={"C5": "Recoupements en direct"})
    with pytest.raises(AssessError, match="motivée"):
        correct_oral_record(w, ANNE, first.id or 0, oral=fixed_input, reason=" ", now=later)
    fixed = correct_oral_record(
        w, ANNE, first.id or 0, oral=fixed_input, reason="C5 revu après délibération", now=later
    )
    assert (fixed.version, fixed.supersedes, fixed.signed) == (2, first.id, False)
    assert fixed.reason == "C5 revu après délibération" and fixed.author == "anne@example.org"
    versions = w.assessments.orals(learner="lea@example.org")
    assert [(o.version, (o.mark("C5") or OralMark("C5")).level) for o in versions] == [
        (1, 3),
        (2, 4),
    ]
    assert current_orals(versions) == [first]  # until the correction is signed
    with pytest.raises(AssessError, match="dernière"):
        correct_oral_record(w, PAUL, first.id or 0, oral=fixed_input, reason="r", now=later)
    with pytest.raises(AssessError, match="pas signé"):
        correct_oral_record(w, PAUL, fixed.id or 0, oral=fixed_input, reason="r", now=later)
    sign_oral_record(w, ANNE, fixed.id or 0, later)
    versions = w.assessments.orals(learner="lea@example.org")
    assert [o.version for o in current_orals(versions)] == [2]
    assert versions[0] == first  # the first version is untouched
    with pytest.raises(AssessError, match="déjà une version 2"):
        w.assessments.add_oral(replace(fixed, id=None, signed_at=None))


def test_the_grid_says_which_competences_get_a_level_at_the_oral(
    w: OpenWorkspace, jury: Jury
) -> None:
    oral_grid = grid_from_mapping(
        {**DEFAULT_GRID.to_mapping(), "id": "bloc1-oral", "oral_levels": ["C1", "C2", "C5"]}
    )
    assert grid_from_mapping(oral_grid.to_mapping()) == oral_grid
    with pytest.raises(AssessError, match="absentes de la grille"):
        grid_from_mapping({**DEFAULT_GRID.to_mapping(), "id": "x", "oral_levels": ["C9"]})
    w.assessments.save_grid(oral_grid, now=NOW, by="admin@example.org")

    def oral(levels: dict[str, int | None], observations: dict[str, str]) -> int:
        made = record_oral(
            w, PAUL, grid_id="bloc1-oral", learner="lea@example.org", group_id="g1",
            oral=_input(levels, observations), now=NOW, jury_id=jury.id,
        )  # fmt: skip
        return made.id or 0

    with pytest.raises(AssessError, match="C4 : la grille bloc1-oral ne donne pas de niveau"):
        oral({"C1": 3, "C2": 3, "C5": 3, "C4": 2}, {})
    draft = oral({"C1": 3, "C2": 3}, {"C4": "Diaporama clair, lisible au fond de la salle"})
    with pytest.raises(AssessError, match="niveau manquant pour C5"):
        sign_oral_record(w, PAUL, draft, NOW)
    with pytest.raises(AssessError, match="non évaluable"):
        oral({"C1": 3, "C2": 3, "C5": 0}, {"C4": "Diaporama clair"})
    draft = oral({"C1": 3, "C2": 3, "C5": 0}, {"C5": "Absent pendant la partie vérification"})
    signed = sign_oral_record(w, PAUL, draft, NOW)
    assert [(m.competence, m.level) for m in signed.marks] == [("C1", 3), ("C2", 3), ("C5", 0)]
    with pytest.raises(AssessError, match="figée"):  # used by an oral: frozen
        w.assessments.save_grid(replace(oral_grid, name="autre"), now=NOW, by="admin")
    with pytest.raises(AssessError, match="grille du jury"):
        record_oral(
            w, TUTOR, grid_id=TUTOR_GRID.id, learner="lea@example.org", group_id="g1",
            oral=_input(), now=NOW,
        )  # fmt: skip
    with pytest.raises(AssessError, match="durée"):
        _oral(w, jury, learner="karim@example.org", duration=0)


# --- who does and sees what ----------------------------------------------------------------------


def test_who_records_signs_and_sees_an_oral(w: OpenWorkspace, jury: Jury) -> None:
    for viewer in (TUTOR, LEA, ADMIN):
        with pytest.raises(AccessDenied):
            record_oral(
                w, viewer, grid_id=DEFAULT_GRID.id, learner="lea@example.org", group_id="g1",
                oral=_input(), now=NOW,
            )  # fmt: skip
    with pytest.raises(AccessDenied, match="ne siège pas"):
        record_oral(
            w, OUTSIDER, grid_id=DEFAULT_GRID.id, learner="lea@example.org", group_id="g1",
            oral=_input(), now=NOW, jury_id=jury.id,
        )  # fmt: skip
    lea = _oral(w, None)
    with pytest.raises(AccessDenied, match="appartient"):  # Paul's draft
        record_oral(
            w, ANNE, grid_id=DEFAULT_GRID.id, learner="lea@example.org", group_id="g1",
            oral=_input(), now=NOW,
        )  # fmt: skip
    with pytest.raises(AssessError, match="avec le jury"):
        sign_oral_record(w, PAUL, lea.id or 0, NOW)
    with pytest.raises(AccessDenied):
        sign_oral_record(w, OUTSIDER, lea.id or 0, NOW, jury_id=jury.id)
    lea = sign_oral_record(w, PAUL, lea.id or 0, NOW, jury_id=jury.id)
    assert lea.jury_id == jury.id
    karim = _oral(w, jury, learner="karim@example.org")  # a draft
    tom = sign_oral_record(w, PAUL, _oral(w, jury, learner="tom@example.org").id or 0, NOW)

    def ids(viewer: Viewer) -> set[int | None]:
        return {o.id for o in orals_for(w, viewer)}

    assert ids(LEA) == set() and ids(KARIM) == set()  # signed, not published; a draft
    assert ids(TUTOR) == set()  # the jury's deliberation: nothing before publication
    assert ids(PAUL) == ids(ADMIN) == {lea.id, karim.id, tom.id}
    with pytest.raises(AccessDenied):
        publish_assessments(w, LEA, group_id="g1", now=NOW)
    assert publish_assessments(w, PAUL, group_id="g1", now=NOW).records == 1  # Léa's; g2's waits
    assert ids(LEA) == {lea.id} and ids(KARIM) == set() and ids(TOM) == set()
    assert ids(TUTOR) == {lea.id}  # the group's published orals, not the jury's draft, not g2


def test_the_decision_rests_on_the_written_part_and_the_oral(w: OpenWorkspace, jury: Jury) -> None:
    written = record_assessment(
        w, PAUL, grid_id=DEFAULT_GRID.id, learner="lea@example.org", group_id="g1",
        competence="C1", level=3, comment="Plan clair", now=NOW, jury_id=jury.id,
    )  # fmt: skip
    written = sign_assessment(w, PAUL, written.id or 0, NOW)
    oral = sign_oral_record(w, PAUL, _oral(w, jury).id or 0, NOW)
    decision = record_decision(
        w, PAUL, jury_id=jury.id or 0, learner="lea@example.org", group_id="g1",
        decided_on=HELD, outcome="validé", now=NOW + timedelta(hours=1),
    )  # fmt: skip
    later = NOW + timedelta(days=2)
    fixed = correct_oral_record(
        w, PAUL, oral.id or 0, oral=_input(duration=30), reason="durée mal saisie", now=later
    )
    sign_oral_record(w, PAUL, fixed.id or 0, later)  # after the decision: not its basis
    basis = decision_basis(decision, w.assessments.records(), w.assessments.orals())
    assert basis.written == (written,) and basis.oral == (oral,)


def test_the_exports_carry_the_oral(w: OpenWorkspace, watch: Watch, jury: Jury) -> None:
    first = sign_oral_record(w, PAUL, _oral(w, jury).id or 0, NOW)
    fixed = correct_oral_record(
        w, PAUL, first.id or 0, reason="C5 revu",
        oral=_input(levels={**LEVELS, "C5": 4}, observations={"C5": "Recoupements en direct"}),
        now=NOW,
    )  # fmt: skip
    sign_oral_record(w, PAUL, fixed.id or 0, NOW)
    record_decision(
        w, PAUL, jury_id=jury.id or 0, learner="lea@example.org", group_id="g1",
        decided_on=HELD, outcome="validé", now=NOW + timedelta(hours=1),
    )  # fmt: skip

    made = export_assessments(w, watch, PAUL, "csv", group_id="g1", now=NOW)
    assert made.orals == 2
    rows = list(csv.DictReader(io.StringIO(made.data.decode("utf-8-sig")), delimiter=";"))
    c5 = [(r["version"], r["niveau"], r["en_vigueur"]) for r in rows if r["competence"] == "C5"]
    assert c5 == [("1", "3", "non"), ("2", "4", "oui")]
    assert {r["epreuve"] for r in rows} == {"oral"}
    assert {r["date_oral"] for r in rows} == {"2027-06-20"} and rows[0]["jury"] == "Jury juin 2027"
    assert rows[-1]["motif_correction"] == "C5 revu" and rows[-1]["sceau_valide"] == "oui"

    book = load_workbook(io.BytesIO(export_assessments(w, watch, PAUL, "xlsx", now=NOW).data))
    sheet = list(book["Oral"].iter_rows(values_only=True))
    assert sheet[0][19:22] == ("Épreuve", "Date de l'oral", "Durée (min)")
    assert sheet[1][20] == datetime(2027, 6, 20, 0, 0)  # a date, shown dd/mm/yyyy
    assert len(sheet) == 1 + 2 * 7

    pdf = export_assessments(w, watch, LEA, "pdf", learner="lea@example.org", now=NOW)
    assert pdf.orals == 0  # nothing published yet: the learner's export is empty of it
    publish_assessments(w, PAUL, group_id="g1", now=NOW)
    pdf = export_assessments(w, watch, LEA, "pdf", learner="lea@example.org", now=NOW)
    assert pdf.orals == 2
    page = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages
    )
    for expected in (
        "Présentation orale des résultats — séance du 20/06/2027",
        "Recoupements en direct",
        "Comment vérifiez-vous une source secondaire",
        "La décision repose sur",
    ):
        assert expected in page, expected
