"""Assessment records: grids, jury composition, signing and locking, corrections as new versions,
decisions and their five-year validity, access rules for every role, exports and the CLI."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError, IntegrityError

from watcher.assess.rules import (
    AccessDenied,
    Viewer,
    can_publish,
    can_view_decision,
    can_view_dossier,
    can_view_record,
    current_decisions,
    current_orals,
    current_records,
    edit_draft,
    jury_issues,
    new_record,
    oral_seal,
    seal,
    seal_intact,
    sign,
    validity_end,
)
from watcher.cli.main import main
from watcher.errors import AssessError, LockedError
from watcher.grids import DEFAULT_GRID, TUTOR_GRID, grid_from_mapping
from watcher.jobs import OpenWorkspace, open_workspace
from watcher.jobs.assess import (
    correct_assessment,
    create_jury,
    decisions_for,
    prepared,
    publish_assessments,
    record_assessment,
    record_decision,
    records_for,
    sign_assessment,
)
from watcher.model import Jury, JuryMember, OralMark, OralRecord, Record
from watcher.report.export import (
    CSV_HEADERS,
    assessment_rows,
    assessments_csv,
    assessments_pdf,
    assessments_xlsx,
    oral_rows,
)
from watcher.workspace import Workspace

NOW = datetime(2027, 6, 20, 9, 0, tzinfo=UTC)
PRO = JuryMember("Paul Durand", "paul@example.org", "professionnel", "Telvia", "président")
SCHOOL = JuryMember("Anne Petit", "anne@example.org", "formation", "CIEFA")
OUTSIDER = Viewer("evaluator", "zoe@example.org")
PAUL = Viewer("evaluator", "paul@example.org")
ANNE = Viewer("evaluator", "anne@example.org")
ADMIN = Viewer("admin", "admin@example.org")
TUTOR = Viewer("tutor", "helene@example.org", ("g1",))
OTHER_TUTOR = Viewer("tutor", "marc@example.org", ("g2",))
LEA = Viewer("learner", "lea@example.org", ("g1",))
KARIM = Viewer("learner", "karim@example.org", ("g1",))
TOM = Viewer("learner", "tom@example.org", ("g2",))


@pytest.fixture
def w(tmp_path: Path, database: str) -> Iterator[OpenWorkspace]:
    """The watch's store, on each database (SQLite, PostgreSQL)."""
    with open_workspace(Workspace(tmp_path / "sources.yml")) as opened:
        prepared(opened, NOW)
        yield opened


@pytest.fixture
def jury(w: OpenWorkspace) -> Jury:
    return create_jury(
        w, ADMIN, Jury(None, "Jury juin 2027", date(2027, 6, 20), (PRO, SCHOOL)), now=NOW
    )


def _record(
    w: OpenWorkspace,
    jury: Jury,
    learner: str = "lea@example.org",
    group: str = "g1",
    competence: str = "C1",
    level: int = 3,
    comment: str = "Plan de veille clair",
) -> Record:
    return record_assessment(
        w,
        PAUL,
        grid_id=DEFAULT_GRID.id,
        learner=learner,
        group_id=group,
        competence=competence,
        level=level,
        comment=comment,
        now=NOW,
        jury_id=jury.id,
    )


# --- grids and jury ----------------------------------------------------------------------------


def test_default_grid_is_the_block_one_grid() -> None:
    assert [c.code for c in DEFAULT_GRID.competences] == [f"C{n}" for n in range(1, 8)]
    assert DEFAULT_GRID.competence("C2").label.startswith(
        "Organiser ou consulter une veille sur l'env"
    )
    assert [lv.value for lv in DEFAULT_GRID.levels] == [0, 1, 2, 3, 4]
    assert DEFAULT_GRID.level(0).label == "0 — non évaluable"
    assert DEFAULT_GRID.level(4).label == "4 — expert"
    assert "bilan" in DEFAULT_GRID.level(4).evidence
    assert TUTOR_GRID.kind == "tuteur" and len(TUTOR_GRID.competences) == 7


def test_a_teachers_grid_is_validated() -> None:
    levels = [{"value": v, "label": str(v)} for v in range(5)]
    grid = grid_from_mapping({"id": "cdc-lyon", "levels": list(reversed(levels))})
    assert [lv.value for lv in grid.levels] == [0, 1, 2, 3, 4] and len(grid.competences) == 7
    with pytest.raises(AssessError, match="exactement 0, 1, 2, 3 et 4"):
        grid_from_mapping({"id": "x", "levels": levels[:4]})
    with pytest.raises(AssessError, match="en double"):
        grid_from_mapping(
            {"id": "x", "levels": levels, "competences": [{"code": "C1", "label": "a"}] * 2}
        )
    with pytest.raises(AssessError, match="manquant"):
        grid_from_mapping({"id": "x"})


def test_a_used_grid_is_frozen(w: OpenWorkspace, jury: Jury) -> None:
    custom = grid_from_mapping({"id": "bloc1-jury", "levels": [{"value": v} for v in range(5)]})
    _record(w, jury)
    with pytest.raises(AssessError, match="figée"):
        w.assessments.save_grid(custom, now=NOW, by="admin")
    w.assessments.save_grid(replace(custom, id="bloc1-v2"), now=NOW, by="admin")
    assert w.assessments.grid("bloc1-v2").levels[0].label == "0"


def test_jury_composition() -> None:
    assert jury_issues(Jury(1, "ok", date(2027, 6, 20), (PRO, SCHOOL))) == []
    unbalanced = Jury(1, "x", date(2027, 6, 20), (PRO, SCHOOL, replace(PRO, email="b@example.org")))
    assert any("déséquilibrée" in p for p in jury_issues(unbalanced))
    assert "aucun représentant professionnel" in jury_issues(
        Jury(1, "x", date(2027, 6, 20), (SCHOOL,))
    )
    assert jury_issues(Jury(1, "x", date(2027, 6, 20), ())) == ["le jury n'a aucun membre"]


def test_validity_is_five_years() -> None:
    assert validity_end(date(2027, 6, 20)) == date(2032, 6, 20)
    assert validity_end(date(2028, 2, 29)) == date(2033, 2, 28)


# --- locking and versioning -----------------------------------------------------------------


def test_a_draft_can_change_until_it_is_signed(w: OpenWorkspace, jury: Jury) -> None:
    draft = _record(w, jury)
    again = _record(w, jury, level=2)
    assert (again.id, again.version, again.level) == (draft.id, 1, 2)
    signed = sign_assessment(w, PAUL, draft.id or 0, NOW)
    assert signed.signed and signed.signed_by == "paul@example.org" and seal_intact(signed)
    with pytest.raises(LockedError, match="correction"):
        _record(w, jury, level=4)
    with pytest.raises(LockedError):
        edit_draft(DEFAULT_GRID, signed, level=4, comment="x")
    with pytest.raises(LockedError):
        sign_assessment(w, ANNE, signed.id or 0, NOW)
    with pytest.raises(LockedError):
        w.assessments.save_draft(replace(signed, level=4))
    assert w.assessments.get(signed.id or 0) == signed


def test_a_correction_is_a_new_version_and_history_stays(w: OpenWorkspace, jury: Jury) -> None:
    first = sign_assessment(w, PAUL, _record(w, jury).id or 0, NOW)
    later = NOW + timedelta(days=1)
    with pytest.raises(AssessError, match="motivée"):
        correct_assessment(w, ANNE, first.id or 0, level=4, comment="x", reason=" ", now=later)
    fixed = correct_assessment(
        w,
        ANNE,
        first.id or 0,
        level=4,
        comment="Bilan fait",
        reason="erreur de saisie",
        now=later,
    )
    assert (fixed.version, fixed.supersedes, fixed.signed) == (2, first.id, False)
    history = w.assessments.history("lea@example.org", DEFAULT_GRID.id, "C1")
    assert [(r.version, r.level) for r in history] == [(1, 3), (2, 4)]
    # until the correction is signed, the signed version stays in force
    assert [r.level for r in current_records(history)] == [3]
    with pytest.raises(AssessError, match="dernière"):
        correct_assessment(w, PAUL, first.id or 0, level=2, comment="", reason="r", now=later)
    sign_assessment(w, ANNE, fixed.id or 0, later)
    history = w.assessments.history("lea@example.org", DEFAULT_GRID.id, "C1")
    assert [r.level for r in current_records(history)] == [4]
    assert history[0] == first  # the first version is untouched
    with pytest.raises(AssessError, match="pas signée"):
        v3 = correct_assessment(w, PAUL, fixed.id or 0, level=3, comment="", reason="r", now=later)
        correct_assessment(w, PAUL, v3.id or 0, level=3, comment="", reason="r", now=later)


def test_the_database_refuses_to_rewrite_a_signed_record(w: OpenWorkspace, jury: Jury) -> None:
    signed = sign_assessment(w, PAUL, _record(w, jury).id or 0, NOW)
    with pytest.raises(DatabaseError, match="locked"), w.assessments.engine.begin() as conn:
        conn.execute(text("UPDATE assess_records SET level = 0 WHERE id = :i"), {"i": signed.id})
    with pytest.raises(DatabaseError, match="locked"), w.assessments.engine.begin() as conn:
        conn.execute(text("DELETE FROM assess_records WHERE id = :i"), {"i": signed.id})
    assert w.assessments.get(signed.id or 0).level == 3
    # publishing is allowed: it does not touch the content
    assert publish_assessments(w, PAUL, group_id="g1", now=NOW).records == 1
    assert w.assessments.get(signed.id or 0).published


def test_a_tampered_record_breaks_its_seal() -> None:
    draft = new_record(
        DEFAULT_GRID,
        learner="lea@example.org",
        group_id="g1",
        competence="C2",
        level=3,
        comment="ok",
        author="paul@example.org",
        now=NOW,
        jury_id=1,
    )
    signed = sign(draft, by="paul@example.org", now=NOW)
    assert seal_intact(signed)
    assert not seal_intact(replace(signed, level=4))
    assert not seal_intact(draft)


def test_the_seals_of_signed_records_do_not_change() -> None:
    """A seal is stored with its record: the same record gives the same seal from one release
    to the next (else every record signed before would read as tampered with)."""
    kept = {
        "learner": "Lea@example.org",
        "group_id": "g1",
        "author": "Paul@example.org",
        "created_at": NOW,
        "version": 2,
        "supersedes": 7,
        "reason": "erreur",
        "jury_id": 1,
        "signed_by": "Anne@example.org",
        "signed_at": NOW,
    }
    written = Record(grid_id="bloc1", competence="C2", level=3, comment="Bilan « fait »", **kept)
    assert seal(written) == "6249e0a231c005920c61348f3fac2e4afbe018ba0868bfa35c6b7bb58b754851"
    oral = OralRecord(
        grid_id="jury",
        held_on=date(2027, 6, 20),
        duration=20,
        marks=(OralMark("C1", "clair", 3), OralMark("C2", "", None)),
        questions="Q ?",
        answers="R.",
        **kept,
    )
    assert oral_seal(oral) == "8e312d60f10ab7a772801fd274f8e2046cae32d2d8c5d0107f4c5a7ecf30da60"


def test_the_version_in_force_is_the_latest_signed_one_of_each_record() -> None:
    def written(learner: str, competence: str, version: int, signed: bool) -> Record:
        return Record(
            learner=learner,
            group_id="g1",
            grid_id="bloc1",
            competence=competence,
            level=version,
            comment="",
            author="paul@example.org",
            created_at=NOW,
            version=version,
            signed_at=NOW if signed else None,
        )

    def oral(learner: str, version: int, signed: bool) -> OralRecord:
        return OralRecord(
            learner=learner,
            group_id="g1",
            grid_id="jury",
            held_on=date(2027, 6, 20),
            duration=20,
            marks=(),
            questions="",
            answers="",
            author="paul@example.org",
            created_at=NOW,
            version=version,
            signed_at=NOW if signed else None,
        )

    records = [
        written("tom@example.org", "C1", 1, True),
        written("lea@example.org", "C2", 2, True),
        written("lea@example.org", "C2", 3, False),  # a draft correction: not in force
        written("lea@example.org", "C1", 1, True),
        written("lea@example.org", "C2", 1, True),
        written("karim@example.org", "C1", 1, False),  # never signed: nothing in force
    ]
    assert [(r.learner, r.competence, r.version) for r in current_records(records)] == [
        ("lea@example.org", "C1", 1),
        ("lea@example.org", "C2", 2),
        ("tom@example.org", "C1", 1),
    ]
    orals = [oral("tom@example.org", 1, True), oral("lea@example.org", 2, True)]
    orals += [oral("lea@example.org", 1, True), oral("karim@example.org", 1, False)]
    assert [(o.learner, o.version) for o in current_orals(orals)] == [
        ("lea@example.org", 2),
        ("tom@example.org", 1),
    ]


def test_two_versions_with_the_same_number_cannot_exist(w: OpenWorkspace, jury: Jury) -> None:
    draft = _record(w, jury)
    with pytest.raises(AssessError, match="déjà une version 1"):
        w.assessments.add_record(replace(draft, id=None))
    # a version written, read back: every field, its place in the history and its id
    assert w.assessments.get(draft.id or 0) == draft
    with pytest.raises(AssessError, match="évaluation n° 999 introuvable"):
        w.assessments.get(999)
    with pytest.raises(AssessError, match="compte rendu d'oral n° 999 introuvable"):
        w.assessments.oral(999)


def test_record_rules(w: OpenWorkspace, jury: Jury) -> None:
    with pytest.raises(AssessError, match="non évaluable"):
        _record(w, jury, level=0, comment=" ")
    assert _record(w, jury, competence="C7", level=0, comment="absent à l'oral").level == 0
    with pytest.raises(AssessError, match="compétence inconnue"):
        _record(w, jury, competence="C9")
    with pytest.raises(AssessError, match="niveau 5"):
        _record(w, jury, level=5)
    # a draft may wait for its jury (issue 17): it is signed with one (see the test below)
    draft = record_assessment(
        w, PAUL, grid_id=DEFAULT_GRID.id, learner="karim@example.org", group_id="g1",
        competence="C1", level=3, comment="", now=NOW, jury_id=None,
    )  # fmt: skip
    assert draft.jury_id is None and not draft.signed


def test_decisions_are_append_only(w: OpenWorkspace, jury: Jury) -> None:
    first = record_decision(
        w, PAUL, jury_id=jury.id or 0, learner="lea@example.org", group_id="g1",
        decided_on=date(2027, 6, 20), outcome="ajourné", now=NOW,
    )  # fmt: skip
    assert first.valid_until is None
    second = record_decision(
        w, ANNE, jury_id=jury.id or 0, learner="lea@example.org", group_id="g1",
        decided_on=date(2027, 9, 15), outcome="validé", now=NOW,
    )  # fmt: skip
    assert second.supersedes == first.id and second.valid_until == date(2032, 9, 15)
    assert [d.outcome for d in current_decisions(w.assessments.decisions())] == ["validé"]
    assert len(w.assessments.decisions(learner="lea@example.org")) == 2
    with pytest.raises((DatabaseError, IntegrityError)), w.assessments.engine.begin() as conn:
        conn.execute(
            text("UPDATE assess_decisions SET outcome = 'validé' WHERE id = :i"), {"i": first.id}
        )
    with pytest.raises(AccessDenied, match="membre du jury"):
        record_decision(
            w, OUTSIDER, jury_id=jury.id or 0, learner="lea@example.org", group_id="g1",
            decided_on=date(2027, 6, 20), outcome="validé", now=NOW,
        )  # fmt: skip
    lopsided = create_jury(w, ADMIN, Jury(None, "bancal", date(2027, 6, 20), (PRO,)), now=NOW)
    with pytest.raises(AssessError, match="ne peut pas décider"):
        record_decision(
            w, PAUL, jury_id=lopsided.id or 0, learner="lea@example.org", group_id="g1",
            decided_on=date(2027, 6, 20), outcome="validé", now=NOW,
        )  # fmt: skip


# --- access rules for every role ---------------------------------------------------------------


def _cohort(w: OpenWorkspace, jury: Jury) -> dict[str, Record]:
    lea = sign_assessment(w, PAUL, _record(w, jury).id or 0, NOW)
    tom = sign_assessment(
        w, PAUL, _record(w, jury, learner="tom@example.org", group="g2").id or 0, NOW
    )
    karim_draft = _record(w, jury, learner="karim@example.org")
    tutor_draft = record_assessment(
        w, TUTOR, grid_id=TUTOR_GRID.id, learner="lea@example.org", group_id="g1",
        competence="C6", level=3, comment="Diffuse la synthèse", now=NOW,
    )  # fmt: skip
    return {"lea": lea, "tom": tom, "karim_draft": karim_draft, "tutor_draft": tutor_draft}


def _ids(records: list[Record]) -> set[int | None]:
    return {r.id for r in records}


def test_learners_see_their_own_published_records_only(w: OpenWorkspace, jury: Jury) -> None:
    made = _cohort(w, jury)
    assert records_for(w, LEA) == []  # signed but not published yet
    with pytest.raises(AccessDenied):
        publish_assessments(w, LEA, group_id=None, now=NOW)
    publish_assessments(w, PAUL, group_id=None, now=NOW)
    assert _ids(records_for(w, LEA)) == {made["lea"].id}
    assert records_for(w, KARIM) == []  # a draft is never shown to a learner
    assert _ids(records_for(w, TOM)) == {made["tom"].id}
    assert records_for(w, LEA, learner="tom@example.org") == []
    assert not can_publish(LEA) and not can_publish(TUTOR)


def test_tutors_see_their_groups_records(w: OpenWorkspace, jury: Jury) -> None:
    """The jury deliberates in confidence: its signed levels reach the tutor when they are
    published to the group, as they reach the learners; the tutor's own grid is theirs."""
    made = _cohort(w, jury)
    assert _ids(records_for(w, TUTOR)) == {made["tutor_draft"].id}  # the jury's: not yet
    assert records_for(w, OTHER_TUTOR) == []
    signed = sign_assessment(w, TUTOR, made["tutor_draft"].id or 0, NOW)
    assert _ids(records_for(w, TUTOR)) == {signed.id}  # signed by them, not yet published
    assert publish_assessments(w, PAUL, group_id="g1", now=NOW).records == 2
    seen = _ids(records_for(w, TUTOR))
    assert seen == {made["lea"].id, made["tutor_draft"].id}  # not the jury's draft, not g2
    assert records_for(w, OTHER_TUTOR) == []  # g2's signed level waits for its publication
    publish_assessments(w, PAUL, group_id=None, now=NOW)
    assert _ids(records_for(w, OTHER_TUTOR)) == {made["tom"].id}


def test_evaluators_and_admins_see_everything(w: OpenWorkspace, jury: Jury) -> None:
    made = _cohort(w, jury)
    everything = {r.id for r in made.values()}
    assert _ids(records_for(w, PAUL)) == everything
    assert _ids(records_for(w, OUTSIDER)) == everything
    assert _ids(records_for(w, ADMIN)) == everything


def test_who_may_record_and_sign(w: OpenWorkspace, jury: Jury) -> None:
    made = _cohort(w, jury)

    def attempt(viewer: Viewer, grid: str, group: str = "g1") -> None:
        record_assessment(
            w, viewer, grid_id=grid, learner="karim@example.org", group_id=group,
            competence="C2", level=2, comment="", now=NOW,
            jury_id=jury.id if grid == DEFAULT_GRID.id else None,
        )  # fmt: skip

    for viewer in (OUTSIDER, ADMIN, TUTOR, LEA):
        with pytest.raises(AccessDenied):
            attempt(viewer, DEFAULT_GRID.id)
    for viewer in (PAUL, ADMIN, OTHER_TUTOR, LEA):
        with pytest.raises(AccessDenied):
            attempt(viewer, TUTOR_GRID.id)
    with pytest.raises(AccessDenied, match="appartient"):
        record_assessment(
            w,
            ANNE,
            grid_id=DEFAULT_GRID.id,
            learner="karim@example.org",
            group_id="g1",
            competence="C1",
            level=2,
            comment="",
            now=NOW,
            jury_id=jury.id,
        )  # fmt: skip  (Paul's draft)
    with pytest.raises(AccessDenied):
        sign_assessment(w, OUTSIDER, made["karim_draft"].id or 0, NOW)
    with pytest.raises(AssessError, match="introuvable"):  # not hers to see: as a missing one
        sign_assessment(w, LEA, made["tutor_draft"].id or 0, NOW)
    assert sign_assessment(w, TUTOR, made["tutor_draft"].id or 0, NOW).signed
    with pytest.raises(AccessDenied):
        create_jury(w, TUTOR, Jury(None, "x", date(2027, 6, 1), (PRO, SCHOOL)), now=NOW)


def test_dossier_and_decision_visibility(w: OpenWorkspace, jury: Jury) -> None:
    for viewer, groups in (
        (LEA, {"g1"}),
        (TUTOR, {"g1"}),
        (OTHER_TUTOR, {"g2"}),
        (PAUL, {"g1", "g2"}),
        (ADMIN, {"g1", "g2"}),
    ):
        assert {g for g in ("g1", "g2") if can_view_dossier(viewer, g)} == groups
    decision = record_decision(
        w, PAUL, jury_id=jury.id or 0, learner="lea@example.org", group_id="g1",
        decided_on=date(2027, 6, 20), outcome="validé", now=NOW,
    )  # fmt: skip
    viewers = (LEA, KARIM, TUTOR, OTHER_TUTOR, PAUL, ADMIN)
    # the jury's side only, until an evaluator publishes: the jury deliberates in confidence
    seen = [can_view_decision(v, decision) for v in viewers]
    assert seen == [False, False, False, False, True, True]
    assert decisions_for(w, LEA) == decisions_for(w, TUTOR) == []
    assert [d.id for d in decisions_for(w, PAUL)] == [decision.id]
    assert publish_assessments(w, PAUL, group_id="g2", now=NOW).decisions == 0  # not g2's
    published = publish_assessments(w, PAUL, group_id="g1", now=NOW + timedelta(hours=1))
    assert published.decisions == 1
    [shown] = decisions_for(w, LEA)
    assert shown.id == decision.id and shown.published_at == NOW + timedelta(hours=1)
    assert shown.signature == decision.signature  # the decision itself untouched
    seen = [can_view_decision(v, shown) for v in viewers]
    assert seen == [True, False, True, False, True, True]
    assert decisions_for(w, KARIM) == []
    # published once: publishing again changes nothing, and the database keeps it
    assert publish_assessments(w, PAUL, group_id="g1", now=NOW + timedelta(days=1)).decisions == 0
    assert decisions_for(w, LEA)[0].published_at == NOW + timedelta(hours=1)
    with pytest.raises((DatabaseError, IntegrityError)), w.assessments.engine.begin() as conn:
        conn.execute(text("DELETE FROM assess_decision_publications"))
    assert not can_view_record(LEA, replace(decision_record(), learner="lea@example.org"))
    with pytest.raises(AccessDenied):
        Viewer("visitor", "x@example.org")
    assert Viewer.of("tutor", " Helene@Example.org ", "g1") == Viewer(
        "tutor", "helene@example.org", ("g1",)
    )


def test_decisions_recorded_before_the_publication_step_stay_shown(
    w: OpenWorkspace, jury: Jury, tmp_path: Path
) -> None:
    """A store made before the publication of decisions showed each decision as soon as it was
    recorded: opened by this Watcher, its decisions stay shown (published when recorded); the
    decisions recorded after wait for their publication."""
    before = record_decision(
        w, PAUL, jury_id=jury.id or 0, learner="lea@example.org", group_id="g1",
        decided_on=date(2027, 6, 20), outcome="ajourné", now=NOW,
    )  # fmt: skip
    with w.assessments.engine.begin() as conn:  # the store as the Watcher before it left it
        conn.execute(text("DROP TABLE assess_decision_publications"))
        conn.execute(text("UPDATE meta SET value = '0' WHERE key = 'schema'"))
    with open_workspace(Workspace(tmp_path / "sources.yml")) as upgraded:
        [shown] = decisions_for(upgraded, LEA)
        assert (shown.id, shown.published_at) == (before.id, NOW)
        after = record_decision(
            upgraded, PAUL, jury_id=jury.id or 0, learner="lea@example.org", group_id="g1",
            decided_on=date(2027, 9, 15), outcome="validé", now=NOW + timedelta(days=90),
        )  # fmt: skip
        assert [d.id for d in decisions_for(upgraded, LEA)] == [before.id]
        assert not after.published


def decision_record() -> Record:
    return Record("x@example.org", "g1", DEFAULT_GRID.id, "C1", 3, "", "paul@example.org", NOW)


# --- exports ----------------------------------------------------------------------------------


def test_exports_per_learner_and_cohort(w: OpenWorkspace, jury: Jury) -> None:
    first = sign_assessment(w, PAUL, _record(w, jury).id or 0, NOW)
    fixed = correct_assessment(
        w, ANNE, first.id or 0, level=4, comment="Bilan", reason="erreur de saisie", now=NOW
    )
    sign_assessment(w, ANNE, fixed.id or 0, NOW)
    sign_assessment(
        w,
        PAUL,
        _record(w, jury, learner="tom@example.org", group="g2", level=2).id or 0,
        NOW,
    )
    record_decision(
        w, PAUL, jury_id=jury.id or 0, learner="lea@example.org", group_id="g1",
        decided_on=date(2027, 6, 20), outcome="validé", now=NOW,
    )  # fmt: skip
    records, decisions = w.assessments.records(), w.assessments.decisions()
    grids = {g.id: g for g in w.assessments.grids()}
    juries = {j.id or 0: j for j in w.assessments.juries()}
    names = {"lea@example.org": "Léa Moreau", "tom@example.org": "Tom Martin"}

    raw = assessments_csv(records, grids, names)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    lea = [r for r in rows if r["apprenant"] == "lea@example.org"]
    assert [(r["version"], r["niveau"], r["en_vigueur"]) for r in lea] == [
        ("1", "3", "non"),
        ("2", "4", "oui"),
    ]
    assert lea[1]["motif_correction"] == "erreur de saisie" and lea[1]["sceau_valide"] == "oui"
    assert lea[1]["libelle_niveau"] == "4 — expert" and lea[0]["nom"] == "Léa Moreau"

    book = load_workbook(io.BytesIO(assessments_xlsx(records, decisions, grids, juries, names)))
    synthese = book["Synthèse jury"]
    assert [c.value for c in synthese[1]][:3] == ["Apprenant", "Nom", "C1"]
    matrix = {r[0]: r for r in synthese.iter_rows(min_row=2, values_only=True)}
    assert matrix["lea@example.org"][2] == 4 and matrix["tom@example.org"][2] == 2
    decided = list(book["Décisions"].iter_rows(min_row=2, values_only=True))
    assert decided[0][5] == "validé" and decided[0][7].date() == date(2032, 6, 20)
    members = list(book["Jurys"].iter_rows(min_row=2, values_only=True))
    assert {m[4] for m in members} == {
        "représentant professionnel",
        "représentant de l'organisme de formation",
    }
    # the history as an evaluator reads it in a spreadsheet: it said « cree_le », « signe_le »
    # and « 2027-06-20T09:00:00+00:00 » (UTC); now French headings, times on the watch's clock
    paris = ZoneInfo("Europe/Paris")
    book = load_workbook(io.BytesIO(
        assessments_xlsx(records, decisions, grids, juries, names, tz=paris)
    ))  # fmt: skip
    history = book["Historique"]
    headings = [c.value for c in history[1]]
    assert headings[:5] == ["Apprenant", "Nom", "Groupe", "Grille", "Compétence"]
    assert {"Créée le", "Signée le", "Libellé du niveau", "Sceau valide"} <= set(headings)
    assert not any("_" in h for h in headings), headings
    signed = history.cell(row=2, column=headings.index("Signée le") + 1)
    assert signed.value == datetime(2027, 6, 20, 11, 0)  # 09:00 UTC, in Paris
    assert signed.number_format == "DD/MM/YYYY HH:MM"
    decided = book["Décisions"].cell(row=2, column=7)
    assert decided.value.date() == date(2027, 6, 20) and decided.number_format == "DD/MM/YYYY"
    texts = [c for r in history.iter_rows(min_row=2, values_only=True) for c in r]
    assert not any(isinstance(c, str) and "T09:00" in c for c in texts), texts

    mine = [r for r in records if r.learner == "lea@example.org"]
    pdf = assessments_pdf(
        mine, decisions, grids, juries, names, title="Évaluations du bloc 1",
        scope="Apprenant : Léa Moreau", now=NOW, groups={"g1": "Groupe 1"},
    )  # fmt: skip
    page_text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )
    for expected in (
        "Léa Moreau",
        "validé le 20/06/2027",
        "valable jusqu'au 20/06/2032",
        "4 — expert",
        "erreur de saisie",
        "Paul Durand",
        "représentant de l'organisme de formation",
    ):
        assert expected in page_text, expected
    assert "Tom Martin" not in page_text
    # the grid and the group by their names (the corrections' table said « bloc1-jury », the
    # learner's line « groupe g1 »)
    assert "lea@example.org — Groupe 1" in page_text, page_text
    assert f"{DEFAULT_GRID.name} C1 2 4 erreur de saisie" in page_text, page_text
    assert "bloc1-jury" not in page_text and "groupe g1" not in page_text, page_text


# --- CLI --------------------------------------------------------------------------------------

SOURCES = """
watch: {name: "Veille"}
axes: [{id: concurrence, label: "Marché"}]
groups:
  - id: g1
    name: "Groupe 1"
    members: [{name: "Léa Moreau", email: "lea@example.org"}]
    tutor: {name: "Hélène Garnier", email: "helene@example.org"}
sources: []
"""


def test_cli_flow(tmp_path: Path) -> None:
    config = tmp_path / "sources.yml"
    config.write_text(SOURCES, encoding="utf-8")
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(main, ["--config", str(config), "assess", *args])
        return result.exit_code, result.output

    code, output = run(
        "jury-add", "--name", "Jury juin", "--date", "2027-06-20",
        "--member", "Paul Durand;paul@example.org;professionnel;Telvia;président",
        "--member", "Anne Petit;anne@example.org;formation;CIEFA",
    )  # fmt: skip
    assert code == 0 and "Jury n° 1" in output and "Attention" not in output
    code, output = run(
        "record", "--as", "paul@example.org", "--learner", "lea@example.org",
        "--competence", "c1", "--level", "3", "--comment", "clair", "--jury", "1",
    )  # fmt: skip
    assert code == 0 and "Évaluation n° 1 (brouillon" in output
    code, output = run(
        "record", "--as", "lea@example.org", "--learner", "lea@example.org",
        "--competence", "C2", "--level", "4", "--jury", "1",
    )  # fmt: skip
    assert code == 1 and "Refusé" in output
    assert run("sign", "1", "--as", "paul@example.org")[0] == 0
    code, output = run(
        "correct", "1", "--as", "anne@example.org", "--level", "4", "--reason", "erreur"
    )
    assert code == 0 and "version 2" in output
    assert run("sign", "2", "--as", "anne@example.org")[0] == 0
    code, output = run(
        "record", "--as", "helene@example.org", "--learner", "lea@example.org",
        "--competence", "C6", "--level", "3", "--comment", "ok",
    )  # fmt: skip
    assert code == 0, output
    assert run("list", "--as", "lea@example.org")[1].strip() == "Aucune évaluation visible."
    assert run("publish", "--as", "paul@example.org")[1].startswith("2 évaluations publiées")
    listed = run("list", "--as", "lea@example.org")[1]
    assert "v1" in listed and "v2" in listed and "motif : erreur" in listed
    code, output = run(
        "decide", "--as", "paul@example.org", "--jury", "1", "--learner", "lea@example.org",
        "--date", "2027-06-20", "--outcome", "validé",
    )  # fmt: skip
    assert code == 0 and "valable jusqu'au 20 juin 2032" in output
    assert (
        "L'apprenant et son tuteur la verront quand les évaluations du groupe seront publiées : "
        "`watcher assess publish --group g1 --as paul@example.org`." in " ".join(output.split())
    )

    def decisions_seen(who: str) -> int:
        out = tmp_path / "vu.csv"
        code, said = run("export", "--format", "csv", "--as", who, "--out", str(out), "--json")
        assert code == 0, said
        return int(json.loads(said)["decisions"])

    # the jury's side sees it; the learner and the tutor once it is published
    assert [decisions_seen(who) for who in ("paul@example.org", "lea@example.org")] == [1, 0]
    assert decisions_seen("helene@example.org") == 0
    assert run("publish", "--as", "paul@example.org")[1].strip() == (
        "0 évaluation publiée, 1 décision du jury publiée."
    )
    assert run("publish", "--as", "paul@example.org")[1].strip() == "0 évaluation publiée."
    assert [decisions_seen(who) for who in ("lea@example.org", "helene@example.org")] == [1, 1]
    out = tmp_path / "export.csv"
    assert run("export", "--format", "csv", "--out", str(out))[0] == 0
    exported = out.read_text(encoding="utf-8-sig")
    assert exported.count("lea@example.org") == 3  # v1, v2 and the tutor's draft
    assert run("export", "--format", "xlsx", "--learner", "lea@example.org")[0] == 0
    assert (tmp_path / "reports" / "evaluations" / "evaluations-lea-at-example.org.xlsx").exists()


def test_grading_starts_before_the_jury_and_signing_keeps_the_jury_rules(
    w: OpenWorkspace,
) -> None:
    """An evaluator drafts levels before any jury is recorded; signing needs a jury where they
    sit, composed 50 % / 50 %; the jury chosen at signing is sealed with the record."""
    draft = record_assessment(
        w, PAUL, grid_id=DEFAULT_GRID.id, learner="lea@example.org", group_id="g1",
        competence="C2", level=2, comment="Veille juridique partielle", now=NOW,
    )  # fmt: skip
    assert draft.id is not None and draft.jury_id is None
    with pytest.raises(AssessError, match="se signe avec le jury"):
        sign_assessment(w, PAUL, draft.id, NOW)
    lopsided = create_jury(w, ADMIN, Jury(None, "bancal", date(2027, 6, 20), (PRO,)), now=NOW)
    with pytest.raises(AssessError, match="le jury ne peut pas signer"):
        sign_assessment(w, PAUL, draft.id, NOW, jury_id=lopsided.id)
    other = create_jury(w, ADMIN, Jury(None, "sans Paul", date(2027, 6, 20), (SCHOOL,)), now=NOW)
    with pytest.raises(AccessDenied, match="ne siège pas"):
        sign_assessment(w, PAUL, draft.id, NOW, jury_id=other.id)
    assert not w.assessments.get(draft.id).signed
    jury = create_jury(
        w, ADMIN, Jury(None, "Jury juin 2027", date(2027, 6, 20), (PRO, SCHOOL)), now=NOW
    )
    signed = sign_assessment(w, PAUL, draft.id, NOW, jury_id=jury.id)
    assert signed.signed and signed.jury_id == jury.id and seal_intact(signed)


def test_the_export_says_a_version_alike_written_and_oral() -> None:
    """From « auteur » to « sceau_valide », a written record's rows and an oral's read alike: a
    signed, published version with its seal intact; a signed correction (in force) whose seal
    no longer holds; a draft correcting it."""
    whose: dict[str, Any] = {"learner": "lea@example.org", "group_id": "g1", "jury_id": 1}
    whose |= {"author": "paul@example.org", "created_at": NOW, "grid_id": DEFAULT_GRID.id}
    signed: dict[str, Any] = {"signed_at": NOW, "signed_by": "anne@example.org"}
    history: list[dict[str, Any]] = [
        {"id": 1, "published_at": NOW, **signed},
        {"id": 2, "version": 2, "supersedes": 1, "reason": "erreur", **signed},
        {"id": 3, "version": 3, "supersedes": 2, "reason": "encore"},
    ]
    written = [Record(competence="C1", level=3, comment="", **whose, **h) for h in history]
    orals = [
        OralRecord(
            held_on=date(2027, 6, 20),
            duration=20,
            marks=(OralMark("C1", "clair", 3),),
            questions="",
            answers="",
            **whose,
            **h,
        )
        for h in history
    ]
    written[0] = replace(written[0], signature=seal(written[0]))
    orals[0] = replace(orals[0], signature=oral_seal(orals[0]))
    grids, names = {DEFAULT_GRID.id: DEFAULT_GRID}, {"lea@example.org": "Léa Moreau"}
    start, end = CSV_HEADERS.index("auteur"), CSV_HEADERS.index("sceau_valide") + 1
    day = NOW.isoformat()
    expected = [
        ("paul@example.org", day, "anne@example.org", day, day, "", "", "non", "oui"),
        ("paul@example.org", day, "anne@example.org", day, "", 1, "erreur", "oui", "NON"),
        ("paul@example.org", day, "", "", "", 2, "encore", "non", ""),
    ]
    for rows in (assessment_rows(written, grids, names), oral_rows(orals, grids, names, {})):
        assert [row[:4] for row in rows] == [
            ("lea@example.org", "Léa Moreau", "g1", "bloc1-jury")
        ] * 3
        assert [row[start:end] for row in rows] == expected
