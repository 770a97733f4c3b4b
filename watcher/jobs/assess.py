"""Assessment use cases: grids, juries, levels 0–4 recorded, signed, corrected and published,
the block's decision, and the exports (CSV, XLSX, PDF). Each checks the viewer's rights with
the pure rules of `watcher.assess.rules`; the records live in `watcher.store.assess`."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from watcher.assess.rules import (
    ASSESS_FORMATS,
    AccessDenied,
    Viewer,
    can_manage,
    can_publish,
    can_view_decision,
    can_view_oral,
    can_view_record,
    check_can_sign,
    check_can_write,
    correct,
    correct_oral,
    edit_draft,
    edit_oral_draft,
    new_decision,
    new_oral,
    new_record,
    sign,
    sign_oral,
    visible_records,
)
from watcher.config import Watch
from watcher.errors import AssessError, BadValue, LockedError, Unknown
from watcher.grids import BUILTIN_GRIDS, grid_from_yaml
from watcher.jobs import OpenWorkspace
from watcher.model import Decision, Grid, Jury, OralMark, OralRecord, Record
from watcher.report import export
from watcher.store.assess import AssessStore


def prepared(w: OpenWorkspace, now: datetime) -> AssessStore:
    """The assessment records, with the built-in grids in place."""
    w.assessments.ensure_builtin_grids(now)
    return w.assessments


def all_grids(w: OpenWorkspace) -> dict[str, Grid]:
    """Every grid by id: the built-in ones and those loaded since."""
    return {g.id: g for g in (*BUILTIN_GRIDS, *w.assessments.grids())}


# --- who is who -------------------------------------------------------------------------------


def viewer_for(w: OpenWorkspace, watch: Watch, email: str | None) -> Viewer:
    """Who acts under an e-mail address (`--as`): a web account's role, else sources.yml (a
    group's tutor or member) and the juries (a jury member is an evaluator). No address: an
    administrator (whoever runs the command line holds the database)."""
    if email is None:
        return Viewer("admin", "cli")
    email = email.strip().lower()
    user = w.users.by_email(email)
    if user is not None:
        return Viewer.of(user.role, user.email, user.group_id)
    tutored = tuple(g.id for g in watch.groups if g.tutor and g.tutor.email.lower() == email)
    if tutored:
        return Viewer("tutor", email, tutored)
    if any(j.member(email) for j in w.assessments.juries()):
        return Viewer("evaluator", email)
    member_of = tuple(
        g.id for g in watch.groups if any(m.email.lower() == email for m in g.members)
    )
    if member_of:
        return Viewer("learner", email, member_of)
    refused = AccessDenied(
        f"{email} n'est ni évaluateur (jury), ni tuteur, ni apprenant de la veille"
    )
    refused.hint = (
        "Le rôle d'une adresse vient d'un compte de l'appli web (watcher user add "
        f"{email} --name … --role évaluateur), sinon de sources.yml (le tuteur ou un membre "
        "d'un groupe), sinon d'un jury (watcher assess jury-add … --member "
        f'"Nom;{email};professionnel").'
    )
    raise refused


def learner_group(watch: Watch, learner: str) -> str:
    """The group of sources.yml a learner is a member of."""
    for group in watch.groups:
        if any(m.email.lower() == learner.strip().lower() for m in group.members):
            return group.id
    raise AssessError(f"{learner} n'est membre d'aucun groupe de sources.yml")


def learners(w: OpenWorkspace, watch: Watch, group_id: str) -> list[tuple[str, str]]:
    """A group's learners (e-mail, name), by name: the members in sources.yml and the learner
    accounts of the group."""
    found: dict[str, str] = {}
    group = next((g for g in watch.groups if g.id == group_id), None)
    if group is not None:
        found.update({m.email.strip().lower(): m.name for m in group.members})
    for user in w.users.all():
        if user.role == "learner" and user.group_id == group_id:
            found[user.email.lower()] = user.name
    return sorted(found.items(), key=lambda kv: (kv[1].lower(), kv[0]))


def known_learner(w: OpenWorkspace, watch: Watch, learner: str) -> str:
    """A learner's e-mail as the records keep it (lower case); Unknown, naming the learners,
    for an address that is no learner of the watch — in no group of sources.yml, no learner
    account, no record (a mistyped address would give an empty list or export)."""
    email = learner.strip().lower()
    known = {m.email.strip().lower() for g in watch.groups for m in g.members}
    known.update(u.email.lower() for u in w.users.all() if u.role == "learner")
    if email in known:
        return email
    known.update(r.learner for r in w.assessments.records())
    if email in known:
        return email
    listed = ", ".join(sorted(known)) or "aucun"
    raise Unknown(f"Apprenant inconnu : {learner}. Apprenants : {listed}")


# --- grids and juries -------------------------------------------------------------------------


def load_grid(w: OpenWorkspace, viewer: Viewer, text: str, origin: str, now: datetime) -> Grid:
    """A grid written in YAML (id, name, kind jury|tuteur, competences, levels 0–4), saved."""
    if not can_manage(viewer):
        raise AccessDenied("seuls les évaluateurs et les administrateurs chargent une grille")
    grid = grid_from_yaml(text, origin)
    prepared(w, now).save_grid(grid, now=now, by=viewer.email)
    return grid


# --- records and decisions ------------------------------------------------------------------


def _writable_grid(
    w: OpenWorkspace, viewer: Viewer, grid_id: str, group_id: str, jury_id: int | None
) -> Grid:
    """The grid the viewer writes a draft or a correction on, written or oral, for a learner of
    `group_id` (with the jury `jury_id`): AccessDenied when they may not."""
    astore = w.assessments
    grid = astore.grid(grid_id)
    jury = astore.jury(jury_id) if jury_id is not None else None
    check_can_write(viewer, grid, group_id=group_id, jury=jury)
    return grid


def _seen_record(w: OpenWorkspace, viewer: Viewer, record_id: int) -> Record:
    """The record `record_id` as the viewer may see it: one they may not see (the jury's
    drafts and unpublished levels, to a tutor or a learner) is « introuvable », as a missing one,
    so that nobody probes the jury's records by number (the web app answers 404 alike)."""
    record = w.assessments.get(record_id)
    if not can_view_record(viewer, record):
        raise AssessError(f"évaluation n° {record_id} introuvable")
    return record


def _seen_oral(w: OpenWorkspace, viewer: Viewer, oral_id: int) -> OralRecord:
    """`_seen_record` for a record of the oral."""
    record = w.assessments.oral(oral_id)
    if not can_view_oral(viewer, record):
        raise AssessError(f"compte rendu d'oral n° {oral_id} introuvable")
    return record


def record_assessment(
    w: OpenWorkspace,
    viewer: Viewer,
    *,
    grid_id: str,
    learner: str,
    group_id: str,
    competence: str,
    level: int,
    comment: str,
    now: datetime,
    jury_id: int | None = None,
) -> Record:
    """A new draft (version 1), or an edit of the current draft of the same competence."""
    astore = w.assessments
    astore.ensure_builtin_grids(now)
    grid = _writable_grid(w, viewer, grid_id, group_id, jury_id)
    versions = astore.history(learner, grid.id, competence)
    if versions:
        last = versions[-1]
        if last.signed:
            raise LockedError(
                f"{competence} de {learner} est déjà signée (évaluation n° {last.id}) : "
                "enregistrez une correction"
            )
        if last.author != viewer.email.lower():
            raise AccessDenied(f"le brouillon n° {last.id} appartient à {last.author}")
        edited = edit_draft(grid, last, level=level, comment=comment)
        if grid.kind == "jury" and last.jury_id is None and jury_id is not None:
            edited = replace(edited, jury_id=jury_id)  # the jury, once there is one
        return astore.save_draft(edited)
    draft = new_record(
        grid,
        learner=learner,
        group_id=group_id,
        competence=competence,
        level=level,
        comment=comment,
        author=viewer.email,
        now=now,
        jury_id=jury_id,
    )
    return astore.add_record(draft)


def sign_assessment(
    w: OpenWorkspace,
    viewer: Viewer,
    record_id: int,
    now: datetime,
    *,
    jury_id: int | None = None,
) -> Record:
    """Sign a draft; a jury-grid draft written before its jury was chosen is signed with
    `jury_id` (the jury is sealed with it)."""
    astore = w.assessments
    record = _seen_record(w, viewer, record_id)
    grid = astore.grid(record.grid_id)
    if grid.kind == "jury" and jury_id is not None:
        if record.jury_id is None:
            record = replace(record, jury_id=jury_id)
        elif record.jury_id != jury_id:
            raise AssessError(
                f"l'évaluation n° {record.id} relève déjà du jury n° {record.jury_id}"
            )
    jury = astore.jury(record.jury_id) if record.jury_id is not None else None
    check_can_sign(viewer, grid, record, jury)
    return astore.save_signature(sign(record, by=viewer.email, now=now))


def correct_assessment(
    w: OpenWorkspace,
    viewer: Viewer,
    record_id: int,
    *,
    level: int,
    comment: str,
    reason: str,
    now: datetime,
) -> Record:
    """A new draft version correcting a signed one; the signed one stays untouched."""
    astore = w.assessments
    record = _seen_record(w, viewer, record_id)
    grid = _writable_grid(w, viewer, record.grid_id, record.group_id, record.jury_id)
    versions = astore.history(record.learner, record.grid_id, record.competence)
    fixed = correct(
        grid,
        record,
        level=level,
        comment=comment,
        reason=reason,
        author=viewer.email,
        now=now,
        latest_version=versions[-1].version,
    )
    return astore.add_record(fixed)


@dataclass(frozen=True)
class Published:
    """What a publication made visible to the learners and their tutors."""

    records: int  # versions of records, written and oral
    decisions: int = 0  # the jury's decisions on the block


def publish_assessments(
    w: OpenWorkspace, viewer: Viewer, *, group_id: str | None, now: datetime
) -> Published:
    """Publish every signed, not yet published record — written and oral — (of a group, or
    all) to the learners and their tutors, and the jury's decisions with them: a decision is
    not seen before the levels it rests on. How many of each were published."""
    astore = w.assessments
    if not can_publish(viewer):
        raise AccessDenied("seuls les évaluateurs publient les évaluations")
    ids = [
        r.id
        for r in astore.records(group_id=group_id)
        if r.signed and r.published_at is None and r.id is not None
    ]
    orals = [
        o.id
        for o in astore.orals(group_id=group_id)
        if o.signed and o.published_at is None and o.id is not None
    ]
    decisions = [
        d.id
        for d in astore.decisions(group_id=group_id)
        if d.published_at is None and d.id is not None
    ]
    return Published(
        astore.publish(ids, now) + astore.publish_orals(orals, now),
        astore.publish_decisions(decisions, now, by=viewer.email),
    )


# --- the oral ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OralInput:
    """What the jury writes about an oral (a draft, or a correction with its reason)."""

    held_on: date
    duration: int  # minutes
    marks: tuple[OralMark, ...]
    questions: str = ""
    answers: str = ""


def record_oral(
    w: OpenWorkspace,
    viewer: Viewer,
    *,
    grid_id: str,
    learner: str,
    group_id: str,
    oral: OralInput,
    now: datetime,
    jury_id: int | None = None,
) -> OralRecord:
    """A new draft record of a learner's oral (version 1), or an edit of the current draft."""
    astore = w.assessments
    astore.ensure_builtin_grids(now)
    grid = _writable_grid(w, viewer, grid_id, group_id, jury_id)
    versions = astore.orals(learner=learner, grid_id=grid.id)
    if versions:
        last = versions[-1]
        if last.signed:
            raise LockedError(
                f"l'oral de {learner} est déjà signé (compte rendu n° {last.id}) : "
                "enregistrez une correction"
            )
        if last.author != viewer.email.lower():
            raise AccessDenied(f"le brouillon d'oral n° {last.id} appartient à {last.author}")
        edited = edit_oral_draft(
            grid,
            last,
            held_on=oral.held_on,
            duration=oral.duration,
            marks=oral.marks,
            questions=oral.questions,
            answers=oral.answers,
        )
        if last.jury_id is None and jury_id is not None:
            edited = replace(edited, jury_id=jury_id)
        return astore.save_oral_draft(edited)
    draft = new_oral(
        grid,
        learner=learner,
        group_id=group_id,
        author=viewer.email,
        now=now,
        jury_id=jury_id,
        held_on=oral.held_on,
        duration=oral.duration,
        marks=oral.marks,
        questions=oral.questions,
        answers=oral.answers,
    )
    return astore.add_oral(draft)


def sign_oral_record(
    w: OpenWorkspace, viewer: Viewer, oral_id: int, now: datetime, *, jury_id: int | None = None
) -> OralRecord:
    """Sign a draft record of an oral with its jury (50 % / 50 %, the evaluator sits on it):
    then locked."""
    astore = w.assessments
    record = _seen_oral(w, viewer, oral_id)
    grid = astore.grid(record.grid_id)
    if jury_id is not None:
        if record.jury_id is None:
            record = replace(record, jury_id=jury_id)
        elif record.jury_id != jury_id:
            raise AssessError(f"l'oral n° {record.id} relève déjà du jury n° {record.jury_id}")
    jury = astore.jury(record.jury_id) if record.jury_id is not None else None
    # the written record's signing rules, on the same grid and jury
    check_can_sign(viewer, grid, _as_record(record), jury)
    return astore.save_oral_signature(sign_oral(grid, record, by=viewer.email, now=now))


def _as_record(oral: OralRecord) -> Record:
    """The fields the signing rules read (group, author), as a written record."""
    return Record(
        learner=oral.learner,
        group_id=oral.group_id,
        grid_id=oral.grid_id,
        competence="",
        level=0,
        comment="",
        author=oral.author,
        created_at=oral.created_at,
        jury_id=oral.jury_id,
    )


def correct_oral_record(
    w: OpenWorkspace,
    viewer: Viewer,
    oral_id: int,
    *,
    oral: OralInput,
    reason: str,
    now: datetime,
) -> OralRecord:
    """A new draft version correcting a signed record of an oral; the signed one stays."""
    astore = w.assessments
    record = _seen_oral(w, viewer, oral_id)
    grid = _writable_grid(w, viewer, record.grid_id, record.group_id, record.jury_id)
    versions = astore.orals(learner=record.learner, grid_id=record.grid_id)
    fixed = correct_oral(
        grid,
        record,
        held_on=oral.held_on,
        duration=oral.duration,
        marks=oral.marks,
        questions=oral.questions,
        answers=oral.answers,
        reason=reason,
        author=viewer.email,
        now=now,
        latest_version=versions[-1].version,
    )
    return astore.add_oral(fixed)


def orals_for(
    w: OpenWorkspace,
    viewer: Viewer,
    *,
    learner: str | None = None,
    group_id: str | None = None,
) -> list[OralRecord]:
    """Every version of the orals the viewer may see (learners: their own published ones)."""
    return [
        o
        for o in w.assessments.orals(learner=learner, group_id=group_id)
        if can_view_oral(viewer, o)
    ]


def records_for(
    w: OpenWorkspace,
    viewer: Viewer,
    *,
    learner: str | None = None,
    group_id: str | None = None,
) -> list[Record]:
    """Every version the viewer may see (learners: their own published ones only)."""
    astore = w.assessments
    return visible_records(viewer, astore.records(learner=learner, group_id=group_id))


def decisions_for(
    w: OpenWorkspace, viewer: Viewer, *, group_id: str | None = None
) -> list[Decision]:
    astore = w.assessments
    return [d for d in astore.decisions(group_id=group_id) if can_view_decision(viewer, d)]


def create_jury(w: OpenWorkspace, viewer: Viewer, jury: Jury, *, now: datetime) -> Jury:
    astore = w.assessments
    if not can_manage(viewer):
        raise AccessDenied("seuls les évaluateurs et les administrateurs composent un jury")
    return astore.add_jury(jury, now=now, by=viewer.email)


def record_decision(
    w: OpenWorkspace,
    viewer: Viewer,
    *,
    jury_id: int,
    learner: str,
    group_id: str,
    decided_on: date,
    outcome: str,
    now: datetime,
    comment: str = "",
) -> Decision:
    """The block's decision for a learner (a later one supersedes, the earlier one stays)."""
    astore = w.assessments
    if viewer.role != "evaluator":
        raise AccessDenied("seuls les évaluateurs membres du jury enregistrent la décision")
    jury = astore.jury(jury_id)
    earlier = astore.decisions(learner=learner)
    decision = new_decision(
        jury,
        learner=learner,
        group_id=group_id,
        decided_on=decided_on,
        outcome=outcome,
        by=viewer.email,
        now=now,
        comment=comment,
        supersedes=earlier[-1].id if earlier else None,
    )
    return astore.add_decision(decision)


# --- exports ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentExport:
    data: bytes
    filename: str  # evaluations-<learner, group or « cohorte »>.<format>
    records: int
    decisions: int
    orals: int = 0  # versions of records of orals


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text.replace("@", "-at-")).strip("-") or "x"


def export_assessments(
    w: OpenWorkspace,
    watch: Watch,
    viewer: Viewer,
    fmt: str,
    *,
    learner: str | None = None,
    group_id: str | None = None,
    now: datetime,
) -> AssessmentExport:
    """The records and decisions the viewer may see — of a learner, a group or the cohort — as
    CSV, XLSX or PDF."""
    email = known_learner(w, watch, learner) if learner else None
    records = records_for(w, viewer, learner=email, group_id=group_id)
    decisions = [
        d
        for d in decisions_for(w, viewer, group_id=group_id)
        if email is None or d.learner == email
    ]
    orals = orals_for(w, viewer, learner=email, group_id=group_id)
    grids = all_grids(w)
    juries = {j.id: j for j in w.assessments.juries() if j.id is not None}
    groups = [group_id] if group_id else [g.id for g in watch.groups]
    names = {e: n for gid in groups for e, n in learners(w, watch, gid)}
    if fmt == "csv":
        data = export.assessments_csv(records, grids, names, orals, juries)
    elif fmt == "xlsx":
        data = export.assessments_xlsx(
            records, decisions, grids, juries, names, orals, tz=ZoneInfo(watch.watch.timezone)
        )
    elif fmt == "pdf":
        group = next((g for g in watch.groups if g.id == group_id), None)
        scope = (
            f"Apprenant : {names.get(email, learner)}"
            if email and learner
            else f"Groupe {group.name if group else group_id}"
            if group_id
            else "Cohorte"
        )
        # who signed, by name (accounts, then the members and tutors of sources.yml), and
        # when on the watch's clock: the page says the same
        people = {
            p.email.lower(): p.name
            for g in watch.groups
            for p in (*g.members, *([g.tutor] if g.tutor else []))
        }
        people.update({e.lower(): n for e, n in w.users.names().items()})
        data = export.assessments_pdf(
            records,
            decisions,
            grids,
            juries,
            names,
            title="Évaluations du bloc 1",
            scope=scope,
            now=now,
            orals=orals,
            people=people,
            tz=ZoneInfo(watch.watch.timezone),
            groups={g.id: g.name for g in watch.groups},
            published_only=viewer.role in ("learner", "tutor"),
        )
    else:
        raise BadValue(f"format d'export inconnu : {fmt} ({', '.join(ASSESS_FORMATS)})")
    slug = _slug(email) if email else group_id or "cohorte"
    return AssessmentExport(
        data, f"evaluations-{slug}.{fmt}", len(records), len(decisions), len(orals)
    )
