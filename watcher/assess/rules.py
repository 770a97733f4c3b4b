"""Assessment rules for block 1 of RNCP 32204 (pure: no I/O, time is a parameter).

- A **grid** lists the block's competences and the levels 0 (non évaluable) … 4 (expert) with
  their descriptors. The default one is domain.md §4.3; a teacher may load their own, and the
  company tutor has a grid of their own (observations at work).
- A **jury** is recorded with its members and their quality: professionals and school
  representatives (the fiche asks for 50 % / 50 %).
- An **assessment record** is one learner × one competence × one grid: a level and a comment. It
  is a draft until it is signed; once signed it is **locked**: nothing in it changes any more. A
  correction is a new version that points at the one it corrects and gives a reason; the whole
  history stays. The current value of a competence is its latest *signed* version.
- A **decision** closes the block for a learner on a date; the block's certificate is valid for
  five years from that date.
- **Access rules** are plain functions of a `Viewer` (role, e-mail, groups) so that the CLI and the
  web layer apply the same ones: learners see their own published records and nothing else; tutors
  see their group's published records and what they wrote on their own grid (the jury's levels
  stay confidential until they are published); evaluators record and sign; admins see everything
  and manage grids and juries.

The types (Grid, Jury, Record, Decision…) are plain data in `watcher.model`, the built-in grids and
the reading of a teacher's grid in `watcher.grids`, the errors in `watcher.errors`: the store keeps
them without importing this module. This module informs the evaluator and keeps their decisions;
it never computes a level itself.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Literal, TypeVar

from watcher.errors import AssessError, LockedError, WatcherError
from watcher.model import ROLES, Decision, Grid, Jury, OralMark, OralRecord, Record
from watcher.plural import counted

BLOCK_LABEL = "Bloc 1 — Collecte et traitement de l'information commerciale"
VALIDITY_YEARS = 5
# The field's name, as the web form labels it and as the CLI's --reason help describes it.
REASON_MISSING = "une correction doit être motivée : remplissez « Motif de la correction »"

Role = Literal["learner", "tutor", "evaluator", "admin"]
QUALITY_LABELS = {
    "professionnel": "représentant professionnel",
    "formation": "représentant de l'organisme de formation",
}
OUTCOMES = ("validé", "non validé", "ajourné")
ASSESS_FORMATS = ("csv", "xlsx", "pdf")  # the assessments' export (jobs.assess)

_Version = TypeVar("_Version", Record, OralRecord)  # a version of a record, written or oral


class AccessDenied(WatcherError, PermissionError):
    """The viewer may not do this."""

    exit_code = 1
    http_status = 403
    label = "Refusé"


# --- jury ------------------------------------------------------------------------------------


def jury_issues(jury: Jury) -> list[str]:
    """What keeps a jury from deciding: the fiche asks for 50 % professionals and 50 %
    representatives of the training organisation (an empty list: the jury is well formed)."""
    issues: list[str] = []
    if not jury.members:
        return ["le jury n'a aucun membre"]
    emails = [m.email.lower() for m in jury.members]
    if len(set(emails)) != len(emails):
        issues.append("un membre figure deux fois dans le jury")
    pros = sum(1 for m in jury.members if m.quality == "professionnel")
    school = sum(1 for m in jury.members if m.quality == "formation")
    if pros != school:
        issues.append(
            f"composition déséquilibrée : {counted(pros, 'professionnel')} pour "
            f"{counted(school, 'représentant')} de l'organisme de formation (50 % / 50 % "
            "attendus)"
        )
    if pros == 0:
        issues.append("aucun représentant professionnel")
    if school == 0:
        issues.append("aucun représentant de l'organisme de formation")
    return issues


# --- records ---------------------------------------------------------------------------------


def _digest(payload: dict[str, object]) -> str:
    """SHA-256 of a seal's payload, as canonical JSON (sorted keys, UTF-8)."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _version_payload(record: Record | OralRecord) -> dict[str, object]:
    """What every seal locks, written or oral: whose record on which grid, its place in the
    history (version, what it corrects and why), its jury, and who signed it when."""
    return {
        "learner": record.learner.lower(),
        "group": record.group_id,
        "grid": record.grid_id,
        "author": record.author.lower(),
        "version": record.version,
        "supersedes": record.supersedes,
        "reason": record.reason,
        "jury": record.jury_id,
        "signed_by": record.signed_by.lower(),
        "signed_at": record.signed_at.isoformat() if record.signed_at else None,
    }


def seal(record: Record) -> str:
    """The record's seal: a SHA-256 over everything that the signature locks.

    Recomputing it shows whether a signed record was altered behind the application's back
    (it is an integrity seal kept with the record, not a cryptographic signature with keys)."""
    payload = {
        **_version_payload(record),
        "competence": record.competence,
        "level": record.level,
        "comment": record.comment,
    }
    return _digest(payload)


def seal_intact(record: Record) -> bool:
    return record.signed and record.signature == seal(record)


def _check_comment(grid: Grid, level: int, comment: str) -> str:
    comment = comment.strip()
    if level == 0 and not comment:
        raise AssessError(f"un niveau {grid.level(0).named} doit être expliqué dans le commentaire")
    return comment


def new_record(
    grid: Grid,
    *,
    learner: str,
    group_id: str,
    competence: str,
    level: int,
    comment: str,
    author: str,
    now: datetime,
    jury_id: int | None = None,
) -> Record:
    """A draft record, validated against its grid."""
    grid.competence(competence)
    grid.level(level)
    return Record(
        learner=learner.strip().lower(),
        group_id=group_id,
        grid_id=grid.id,
        competence=competence,
        level=level,
        comment=_check_comment(grid, level, comment),
        author=author.strip().lower(),
        created_at=now,
        jury_id=jury_id if grid.kind == "jury" else None,
    )


def edit_draft(grid: Grid, record: Record, *, level: int, comment: str) -> Record:
    """Change a draft; a signed record is locked."""
    if record.signed:
        raise LockedError(
            f"l'évaluation n° {record.id} est signée : elle est verrouillée, "
            "enregistrez une correction (nouvelle version)"
        )
    grid.level(level)
    return replace(record, level=level, comment=_check_comment(grid, level, comment))


def sign(record: Record, *, by: str, now: datetime) -> Record:
    """Sign a draft: from now on it is locked."""
    if record.signed:
        raise LockedError(f"l'évaluation n° {record.id} est déjà signée")
    signed = replace(record, signed_at=now, signed_by=by.strip().lower())
    return replace(signed, signature=seal(signed))


def correct(
    grid: Grid,
    record: Record,
    *,
    level: int,
    comment: str,
    reason: str,
    author: str,
    now: datetime,
    latest_version: int,
) -> Record:
    """A correction of a signed record: a new draft version; the signed one stays as it is."""
    if not record.signed:
        raise AssessError(
            f"l'évaluation n° {record.id} n'est pas signée : modifiez le brouillon directement"
        )
    _check_correction(record, latest_version=latest_version, reason=reason)
    grid.level(level)
    return Record(
        learner=record.learner,
        group_id=record.group_id,
        grid_id=record.grid_id,
        competence=record.competence,
        level=level,
        comment=_check_comment(grid, level, comment),
        author=author.strip().lower(),
        created_at=now,
        version=record.version + 1,
        supersedes=record.id,
        reason=reason.strip(),
        jury_id=record.jury_id,
    )


def _check_correction(record: Record | OralRecord, *, latest_version: int, reason: str) -> None:
    """A correction, written or oral, corrects the latest version and says why."""
    if record.version != latest_version:
        raise AssessError(
            f"la version {record.version} a déjà été corrigée (dernière version : "
            f"{latest_version}) : corrigez la dernière"
        )
    if not reason.strip():
        raise AssessError(REASON_MISSING)


def _in_force(records: Iterable[_Version]) -> list[_Version]:
    """The latest signed version of each record (its `key`: learner × grid, and competence for
    a written one), in the order of their keys; a record with no signed version has none."""
    best: dict[tuple[str, ...], _Version] = {}
    for record in records:
        if not record.signed:
            continue
        seen = best.get(record.key)
        if seen is None or record.version > seen.version:
            best[record.key] = record
    return sorted(best.values(), key=lambda r: r.key)


def current_records(records: Iterable[Record]) -> list[Record]:
    """The value in force for each learner × grid × competence: its latest signed version."""
    return _in_force(records)


# --- the oral --------------------------------------------------------------------------------

MAX_ORAL_MINUTES = 240


def _oral_content(
    grid: Grid,
    *,
    held_on: date,
    duration: int,
    marks: Iterable[OralMark],
    questions: str,
    answers: str,
) -> dict[str, Any]:
    """The checked content of an oral record (AssessError, in French, for each problem)."""
    if grid.kind != "jury":
        raise AssessError("l'oral se note sur une grille du jury")
    if not 1 <= duration <= MAX_ORAL_MINUTES:
        raise AssessError(f"durée de l'oral invalide : de 1 à {MAX_ORAL_MINUTES} minutes")
    given = {}
    for mark in marks:
        grid.competence(mark.competence)
        observation = mark.observation.strip()
        if mark.level is not None:
            if not grid.levelled_at_oral(mark.competence):
                raise AssessError(
                    f"{mark.competence} : la grille {grid.id} ne donne pas de niveau à l'oral "
                    "pour cette compétence (une observation seulement)"
                )
            grid.level(mark.level)
            if mark.level == 0 and not observation:
                raise AssessError(
                    f"{mark.competence} : un niveau {grid.level(0).named} doit être expliqué dans "
                    "l'observation"
                )
        if observation or mark.level is not None:
            given[mark.competence] = OralMark(mark.competence, observation, mark.level)
    return {
        "held_on": held_on,
        "duration": duration,
        "marks": tuple(given[c.code] for c in grid.competences if c.code in given),
        "questions": questions.strip(),
        "answers": answers.strip(),
    }


def new_oral(
    grid: Grid,
    *,
    learner: str,
    group_id: str,
    held_on: date,
    duration: int,
    marks: Iterable[OralMark],
    questions: str,
    answers: str,
    author: str,
    now: datetime,
    jury_id: int | None = None,
) -> OralRecord:
    """A draft record of an oral, validated against its grid."""
    content = _oral_content(
        grid, held_on=held_on, duration=duration, marks=marks, questions=questions, answers=answers
    )
    return OralRecord(
        learner=learner.strip().lower(),
        group_id=group_id,
        grid_id=grid.id,
        author=author.strip().lower(),
        created_at=now,
        jury_id=jury_id,
        **content,
    )


def edit_oral_draft(
    grid: Grid,
    record: OralRecord,
    *,
    held_on: date,
    duration: int,
    marks: Iterable[OralMark],
    questions: str,
    answers: str,
) -> OralRecord:
    """Change a draft; a signed record of the oral is locked."""
    if record.signed:
        raise LockedError(
            f"le compte rendu d'oral n° {record.id} est signé : il est verrouillé, "
            "enregistrez une correction (nouvelle version)"
        )
    content = _oral_content(
        grid, held_on=held_on, duration=duration, marks=marks, questions=questions, answers=answers
    )
    return replace(record, **content)


def oral_gaps(grid: Grid, record: OralRecord) -> list[str]:
    """What a record of the oral lacks before it can be signed: a level for every competence
    the grid grades at the oral."""
    missing = [
        c.code
        for c in grid.competences
        if grid.levelled_at_oral(c.code) and (record.mark(c.code) or OralMark(c.code)).level is None
    ]
    return [f"niveau manquant pour {', '.join(missing)}"] if missing else []


def oral_seal(record: OralRecord) -> str:
    """The seal of a signed record of the oral (as `seal` for a written record)."""
    payload = {
        **_version_payload(record),
        "held_on": record.held_on.isoformat(),
        "duration": record.duration,
        "marks": [[m.competence, m.observation, m.level] for m in record.marks],
        "questions": record.questions,
        "answers": record.answers,
    }
    return _digest(payload)


def oral_seal_intact(record: OralRecord) -> bool:
    return record.signed and record.signature == oral_seal(record)


def sign_oral(grid: Grid, record: OralRecord, *, by: str, now: datetime) -> OralRecord:
    """Sign a draft of the oral (complete: every level the grid asks for): then locked."""
    if record.signed:
        raise LockedError(f"le compte rendu d'oral n° {record.id} est déjà signé")
    gaps = oral_gaps(grid, record)
    if gaps:
        raise AssessError("l'oral ne peut pas être signé : " + " ; ".join(gaps))
    signed = replace(record, signed_at=now, signed_by=by.strip().lower())
    return replace(signed, signature=oral_seal(signed))


def correct_oral(
    grid: Grid,
    record: OralRecord,
    *,
    held_on: date,
    duration: int,
    marks: Iterable[OralMark],
    questions: str,
    answers: str,
    reason: str,
    author: str,
    now: datetime,
    latest_version: int,
) -> OralRecord:
    """A correction of a signed record of the oral: a new draft version, the signed one
    unchanged."""
    if not record.signed:
        raise AssessError(
            f"le compte rendu d'oral n° {record.id} n'est pas signé : modifiez le brouillon"
        )
    _check_correction(record, latest_version=latest_version, reason=reason)
    content = _oral_content(
        grid, held_on=held_on, duration=duration, marks=marks, questions=questions, answers=answers
    )
    return OralRecord(
        learner=record.learner,
        group_id=record.group_id,
        grid_id=record.grid_id,
        author=author.strip().lower(),
        created_at=now,
        jury_id=record.jury_id,
        version=record.version + 1,
        supersedes=record.id,
        reason=reason.strip(),
        **content,
    )


def current_orals(records: Iterable[OralRecord]) -> list[OralRecord]:
    """The oral in force for each learner × grid: its latest signed version."""
    return _in_force(records)


# --- decisions -------------------------------------------------------------------------------


def validity_end(decided_on: date, years: int = VALIDITY_YEARS) -> date:
    """The day the block's validity ends (a 29 February decision ends on 28 February)."""
    try:
        return decided_on.replace(year=decided_on.year + years)
    except ValueError:
        return decided_on.replace(year=decided_on.year + years, day=28)


def decision_seal(decision: Decision) -> str:
    payload = {
        "learner": decision.learner,
        "group": decision.group_id,
        "jury": decision.jury_id,
        "decided_on": decision.decided_on.isoformat(),
        "outcome": decision.outcome,
        "valid_until": decision.valid_until.isoformat() if decision.valid_until else None,
        "block": decision.block,
        "by": decision.recorded_by,
        "supersedes": decision.supersedes,
        "comment": decision.comment,
    }
    return _digest(payload)


def new_decision(
    jury: Jury,
    *,
    learner: str,
    group_id: str,
    decided_on: date,
    outcome: str,
    by: str,
    now: datetime,
    comment: str = "",
    supersedes: int | None = None,
) -> Decision:
    """The block's decision for a learner; only a well-formed jury decides, and a validated
    block is valid five years from the decision date."""
    if outcome not in OUTCOMES:
        raise AssessError(f"décision inconnue « {outcome} » ({', '.join(OUTCOMES)})")
    problems = jury_issues(jury)
    if problems:
        raise AssessError("le jury ne peut pas décider : " + " ; ".join(problems))
    if jury.member(by) is None:
        raise AccessDenied(f"{by} n'est pas membre du jury « {jury.name} »")
    if jury.id is None:
        raise AssessError("le jury doit être enregistré avant de décider")
    decision = Decision(
        learner=learner.strip().lower(),
        group_id=group_id,
        jury_id=jury.id,
        decided_on=decided_on,
        outcome=outcome,
        valid_until=validity_end(decided_on) if outcome == "validé" else None,
        recorded_by=by.strip().lower(),
        recorded_at=now,
        comment=comment.strip(),
        supersedes=supersedes,
    )
    return replace(decision, signature=decision_seal(decision))


def current_decisions(decisions: Iterable[Decision]) -> list[Decision]:
    """The decision in force per learner: the latest one (earlier ones stay in the history)."""
    latest: dict[str, Decision] = {}
    for decision in decisions:
        seen = latest.get(decision.learner)
        if seen is None or (decision.id or 0) > (seen.id or 0):
            latest[decision.learner] = decision
    return sorted(latest.values(), key=lambda d: d.learner)


@dataclass(frozen=True)
class DecisionBasis:
    """What a decision rests on: the written records and the oral in force when it was
    recorded (signed before it; later corrections are not part of it)."""

    written: tuple[Record, ...]
    oral: tuple[OralRecord, ...]


def decision_basis(
    decision: Decision, records: Iterable[Record], orals: Iterable[OralRecord]
) -> DecisionBasis:
    def before(signed_at: datetime | None) -> bool:
        return signed_at is not None and signed_at <= decision.recorded_at

    mine = [r for r in records if r.learner == decision.learner and before(r.signed_at)]
    spoken = [o for o in orals if o.learner == decision.learner and before(o.signed_at)]
    return DecisionBasis(
        tuple(current_records(mine)),
        tuple(current_orals(spoken)),
    )


# --- access rules ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    """Who is asking: what the web layer's user (or the CLI's --as) amounts to."""

    role: str
    email: str
    groups: tuple[str, ...] = ()  # a learner's group, or the groups a tutor follows
    juries: tuple[int, ...] = field(default=())  # juries an evaluator sits on (empty: any)

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise AccessDenied(f"rôle inconnu « {self.role} »")

    @classmethod
    def of(cls, role: str, email: str, group_id: str | None = None) -> Viewer:
        """From the web layer's user (role, e-mail, group of a learner or tutor)."""
        return cls(role, email.strip().lower(), (group_id,) if group_id else ())


def can_view_record(viewer: Viewer, record: Record) -> bool:
    """Learners: their own published records only. Tutors: their groups' published records
    and every version they wrote themselves (their grid's drafts and signed levels) — not the
    jury's levels before they are published: the jury deliberates in confidence until its
    results are published, to the tutor as to the learners. Evaluators and admins: everything."""
    if viewer.role in ("evaluator", "admin"):
        return True
    if viewer.role == "tutor":
        if record.group_id not in viewer.groups:
            return False
        return record.published or record.author == viewer.email.lower()
    return record.learner == viewer.email.lower() and record.published


def visible_records(viewer: Viewer, records: Iterable[Record]) -> list[Record]:
    return [r for r in records if can_view_record(viewer, r)]


def can_view_oral(viewer: Viewer, record: OralRecord) -> bool:
    """The written records' rule: learners their own published orals; tutors their groups'
    published ones (the jury records the oral: nothing of it before publication);
    evaluators and admins everything."""
    if viewer.role in ("evaluator", "admin"):
        return True
    if viewer.role == "tutor":
        return record.group_id in viewer.groups and record.published
    return record.learner == viewer.email.lower() and record.published


def can_view_dossier(viewer: Viewer, group_id: str) -> bool:
    """Learners and tutors see their group's dossier; evaluators and admins every group's."""
    if viewer.role in ("evaluator", "admin"):
        return True
    return group_id in viewer.groups


def check_can_write(viewer: Viewer, grid: Grid, *, group_id: str, jury: Jury | None) -> None:
    """Who may record (and correct) on a grid: jury grid → an evaluator — a draft may wait for
    its jury (grading starts before the jury is composed), but a jury named must be one the
    evaluator sits on; tutor grid → the group's tutor."""
    if grid.kind == "jury":
        if viewer.role != "evaluator":
            raise AccessDenied(
                "seuls les évaluateurs du jury enregistrent et signent sur la grille du jury"
            )
        if jury is not None and jury.member(viewer.email) is None:
            raise AccessDenied(f"{viewer.email} ne siège pas dans ce jury")
        return
    if viewer.role != "tutor" or group_id not in viewer.groups:
        raise AccessDenied("seul le tuteur du groupe renseigne la grille du tuteur")


def check_can_sign(viewer: Viewer, grid: Grid, record: Record, jury: Jury | None) -> None:
    """Signing keeps the jury rules: on the jury grid, the record is signed within a jury the
    evaluator sits on, composed as the fiche asks (50 % professionals, 50 % school)."""
    check_can_write(viewer, grid, group_id=record.group_id, jury=jury)
    if grid.kind == "jury":
        if jury is None:
            raise AssessError(
                "une évaluation du jury se signe avec le jury (--jury) : choisissez un jury "
                "dont vous êtes membre"
            )
        problems = jury_issues(jury)
        if problems:
            raise AssessError("le jury ne peut pas signer : " + " ; ".join(problems))
    if grid.kind == "tuteur" and record.author != viewer.email.lower():
        raise AccessDenied("le tuteur signe ses propres évaluations")


def can_publish(viewer: Viewer) -> bool:
    """Publishing signed records to the learners is the evaluators' (or an admin's) act."""
    return viewer.role in ("evaluator", "admin")


def can_manage(viewer: Viewer) -> bool:
    """Grids and juries are set up by admins (and evaluators)."""
    return viewer.role in ("evaluator", "admin")


def can_view_decision(viewer: Viewer, decision: Decision) -> bool:
    """The records' rule: the learner their own published decision, the tutor their groups'
    published ones — the jury's decision comes out with its levels, when an evaluator
    publishes them, not as the jury records it —; evaluators and admins every one."""
    if viewer.role in ("evaluator", "admin"):
        return True
    if not decision.published:
        return False
    if viewer.role == "tutor":
        return decision.group_id in viewer.groups
    return decision.learner == viewer.email.lower()


# --- summaries for exports -------------------------------------------------------------------


@dataclass(frozen=True)
class LearnerSheet:
    """Everything to print for one learner: current levels per grid, history, decisions."""

    learner: str
    name: str
    group_id: str
    current: tuple[Record, ...]
    history: tuple[Record, ...]
    decisions: tuple[Decision, ...]
    oral: tuple[OralRecord, ...] = ()  # in force (one per grid)
    oral_history: tuple[OralRecord, ...] = ()


def learner_sheets(
    records: Sequence[Record],
    decisions: Sequence[Decision],
    names: Mapping[str, str],
    orals: Sequence[OralRecord] = (),
) -> list[LearnerSheet]:
    learners = sorted(
        {r.learner for r in records} | {d.learner for d in decisions} | {o.learner for o in orals}
    )
    sheets = []
    for learner in learners:
        mine = [r for r in records if r.learner == learner]
        spoken = [o for o in orals if o.learner == learner]
        groups = (
            [r.group_id for r in mine]
            + [d.group_id for d in decisions if d.learner == learner]
            + [o.group_id for o in spoken]
        )
        sheets.append(
            LearnerSheet(
                learner=learner,
                name=names.get(learner, learner),
                group_id=groups[0] if groups else "",
                current=tuple(current_records(mine)),
                history=tuple(sorted(mine, key=lambda r: (r.grid_id, r.competence, r.version))),
                decisions=tuple(
                    sorted(
                        (d for d in decisions if d.learner == learner),
                        key=lambda d: (d.decided_on, d.id or 0),
                    )
                ),
                oral=tuple(current_orals(spoken)),
                oral_history=tuple(sorted(spoken, key=lambda o: (o.grid_id, o.version))),
            )
        )
    return sheets
