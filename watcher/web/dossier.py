"""The block-1 dossier and the assessment records in the web app (issue 6).

- `/g/<group>/dossier?from=&to=`: the dossier of a period (default: the last 16 ISO weeks, this
  one included, up to today), with the evidence per competence and the table of contents (each
  section opens in `/g/<group>/dossier/full`, the whole dossier as a page), and its downloads
  `/g/<group>/dossier.<html|pdf|docx|xlsx>` generated on request (once for the same content).
  The dossier shows the group's items, fiches and curation: it follows
  `permissions.can_read_group` like the item pages (no admin).
- `/g/<group>/assessments`: levels 0–4 per learner and competence (drafts, signatures,
  corrections as new versions, publication), the block's decision; exports
  `/g/<group>/assessments.<csv|xlsx|pdf>[?learner=]` and `/assessments.<csv|xlsx|pdf>` (every
  record the viewer may see: the cohort).
- `/assessments/juries`, `/assessments/grids`: jury composition and grids.

Every decision about who may do what is taken by `watcher.assess.rules` (the pure rules) through the
use cases of `watcher.jobs.assess`; this module only turns requests into calls and answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.wrappers import Response
from werkzeug.wrappers.response import Response as WerkzeugResponse

from watcher.assess.rules import (
    OUTCOMES,
    QUALITY_LABELS,
    AccessDenied,
    DecisionBasis,
    Viewer,
    can_manage,
    can_publish,
    can_view_dossier,
    can_view_oral,
    can_view_record,
    check_can_sign,
    check_can_write,
    current_decisions,
    current_orals,
    current_records,
    decision_basis,
    jury_issues,
)
from watcher.errors import AssessError, LockedError
from watcher.grids import DEFAULT_GRID
from watcher.jobs import assess as jobs
from watcher.jobs.dossier import (
    DEFAULT_WEEKS,
    PeriodError,
    asked_period,
    collected_outside,
    default_period,
    sealed_dossier,
)
from watcher.jobs.dossier import dossier as dossier_of
from watcher.jobs.dossier_files import FAILED, JOB_FORMATS, stored_file
from watcher.jobs.oral import MIME as ORAL_MIME
from watcher.jobs.oral import oral, oral_filename
from watcher.model import (
    Competence,
    Decision,
    Grid,
    Jury,
    JuryMember,
    OralMark,
    OralRecord,
    Record,
    User,
)
from watcher.report.dossier import EXPORT_FORMATS, Dossier
from watcher.report.export import MIME, dossier_filename, render, render_key
from watcher.report.oral import DEFAULT_MINUTES
from watcher.store.assess import AssessStore
from watcher.web.core import CSP_ARCHIVE, ctx, group_view, now, reader, require_user
from watcher.web.i18n import _, _n
from watcher.web.items import person_names

bp = Blueprint("dossier", __name__)

F = TypeVar("F", bound=Callable[..., Any])

MAX_TEXT = 4000
PREPARING_REFRESH = 3  # seconds between two reloads of a file « en préparation »
JURY_ROWS = 6  # blank member rows of the jury form (no JavaScript to add rows)
ITEM_LINKS = 6  # item titles shown per fact of the evidence (the rest: counted)
EVIDENCE_TITLES = 5  # item titles per fact beside the level choice (the rest: in the dossier)
# The dossier's sections, in the order of the document (anchors of templates/report/dossier.html).
SECTIONS = (
    ("preuves", "Preuves par compétence (bloc 1)"),
    ("introduction", "Introduction et définition des besoins"),
    ("plan", "Plan de veille"),
    ("sources", "Sourcing et évaluation des sources"),
    ("outils", "Outils de recherche et de mise à jour"),
    ("resultats", "Résultats : fiches de veille par axe"),
    ("textes", "Textes juridiques et normatifs"),
    ("actions", "Propositions d'action"),
    ("diffusion", "Diffusion et mise à disposition"),
    ("bilan", "Bilan et limites"),
    ("journal", "Annexe A — Journal des contributions"),
    ("bibliographie", "Annexe B — Bibliographie et sitographie"),
)


# --- who is asking --------------------------------------------------------------------------


def viewer_of(user: User) -> Viewer:
    return Viewer.of(user.role, user.email, user.group_id)


def _sees_dossier(user: User | None, group_id: str) -> bool:
    return user is not None and can_view_dossier(viewer_of(user), group_id)


def dossier_viewer(view: F) -> F:
    """A group's assessment pages: `assess.can_view_dossier` (admins too, who publish)."""
    return group_view(_sees_dossier)(view)


def _astore() -> AssessStore:
    return jobs.prepared(ctx().opened, now())


def _may_write(viewer: Viewer, grid: Grid, group_id: str, jury: Jury | None) -> bool:
    try:
        check_can_write(viewer, grid, group_id=group_id, jury=jury)
    except (AccessDenied, AssessError):
        return False
    return True


def _may_sign(viewer: Viewer, grid: Grid, record: Record, jury: Jury | None) -> bool:
    try:
        check_can_sign(viewer, grid, record, jury)
    except (AccessDenied, AssessError):
        return False
    return True


# --- the dossier ------------------------------------------------------------------------------


def _default_period() -> tuple[date, date]:
    return default_period(now().astimezone(ctx().timezone()).date())


def _asked_period() -> tuple[date, date]:
    """The period of `from` and `to` (the default one for what is not given), read as
    `watcher dossier` reads it (`asked_period`); ValueError with the reason, in the page's
    language, when it cannot be a dossier's."""
    try:
        return asked_period(
            request.args.get("from"),
            request.args.get("to"),
            now().astimezone(ctx().timezone()).date(),
            names=(_("Début de la période"), _("Fin de la période")),
        )
    except PeriodError as exc:
        raise ValueError(_(exc.template, **exc.values)) from None


def requested_period() -> tuple[date, date]:
    """The period asked for (400 with the reason when it cannot be a dossier's)."""
    try:
        return _asked_period()
    except ValueError as exc:
        abort(400, description=str(exc))


def _build(group_id: str, start: date, end: date) -> Dossier:
    context = ctx()
    return dossier_of(context.opened, context.watch(), group_id, start, end, now=now())


def _sealed(group_id: str, start: date, end: date) -> Dossier:
    """The dossier with its signed manifest, to render (watcher.verify)."""
    context = ctx()
    return sealed_dossier(context.opened, context.watch(), group_id, start, end, now=now())


def _oral(group_id: str, start: date, end: date, minutes: int, fmt: str) -> bytes:
    """The oral's deck or handout with its signed manifest (watcher.verify)."""
    context = ctx()
    made = oral(
        context.opened,
        context.watch(),
        group_id,
        start,
        end,
        now=now(),
        minutes=minutes,
        formats=[fmt],
    )
    return made.files[fmt]


def _toc(d: Dossier) -> list[tuple[str, str, str]]:
    """(anchor, title, what it holds) for each section of the dossier."""
    counts = {
        "preuves": _("{n} compétences", n=len(d.evidence)),
        "introduction": _n("{n} axe", "{n} axes", len(d.needs.axes)),
        "plan": _n("{n} axe", "{n} axes", len(d.plan_by_axis()))
        + ", "
        + _n("{n} source", "{n} sources", len(d.sources)),
        "sources": _n("{n} source", "{n} sources", len(d.sources))
        + ", "
        + _n("{n} évaluée", "{n} évaluées", d.sources_rated),
        "resultats": _n("{n} fiche de veille", "{n} fiches de veille", d.fiche_count),
        "textes": _n("{n} référence", "{n} références", len(d.legal)),
        "actions": _n("{n} action proposée", "{n} actions proposées", len(d.actions)),
        "diffusion": _n(
            "{n} semaine sur {e} avec une synthèse diffusée",
            "{n} semaines sur {e} avec une synthèse diffusée",
            d.diffusion.with_digest,
            e=d.diffusion.expected,
        ),
        "journal": _n("{n} contributeur", "{n} contributeurs", len(d.contributions)),
        "bibliographie": _n(
            "{n} référence",
            "{n} références",
            len(d.bibliography.web) + len(d.bibliography.sites) + len(d.bibliography.legal),
        ),
    }
    return [(anchor, title, counts.get(anchor, "")) for anchor, title in SECTIONS]


@bp.get("/g/<group_id>/dossier")
@reader
def dossier_page(group_id: str) -> tuple[str, int]:
    """The dossier of the period asked for; a period refused is said above the form, which
    keeps the dates typed, and the page shows the default period's dossier (400)."""
    period_error = ""
    try:
        start, end = _asked_period()
    except ValueError as exc:
        period_error = str(exc)
        start, end = _default_period()
    d = _build(group_id, start, end)
    preparing = _files_in_preparation(group_id, start, end, d)
    if ctx().dossier_queue is None:
        _make_pdf_soon(group_id, start, end)
    return render_template(
        "web/dossier/dossier.html",
        preparing=preparing,
        failed={fmt for fmt, state in preparing.items() if state == FAILED},
        can_manage=can_manage(viewer_of(require_user())),
        d=d,
        start=start,
        end=end,
        toc=_toc(d),
        formats=EXPORT_FORMATS,
        item_links=ITEM_LINKS,
        weeks=DEFAULT_WEEKS,
        period_error=period_error,
        outside=collected_outside(ctx().opened, ctx().watch(), d),
        typed=(request.args.get("from", ""), request.args.get("to", "")),
    ), (400 if period_error else 200)


def _files_in_preparation(group_id: str, start: date, end: date, d: Dossier) -> dict[str, str]:
    """The distributed mode: the formats whose file a worker has not rendered yet for the
    dossier shown, each asked for now (`_stored_or_asked`), with where it is (`PREPARING` or
    `FAILED`). None in the embedded mode."""
    if ctx().dossier_queue is None:
        return {}
    asked = {fmt: _stored_or_asked(group_id, start, end, d, fmt) for fmt in JOB_FORMATS}
    return {fmt: state for fmt, (body, state) in asked.items() if body is None}


def _stored_or_asked(
    group_id: str, start: date, end: date, d: Dossier, fmt: str, *, again: bool = False
) -> tuple[bytes | None, str]:
    """The distributed mode: the file a worker rendered for the dossier shown, or None once a
    worker is asked for it (once per content: `DossierQueue.request`), with where the request
    is (`PREPARING`, or `FAILED`: the last job failed and is only queued `again` on demand)."""
    context = ctx()
    assert context.dossier_queue is not None
    digest, body = stored_file(context.opened, d, fmt)
    if body is not None:
        return body, ""
    return None, context.dossier_queue.request(
        group_id, start, end, fmt, digest, now(), again=again
    )


def _make_pdf_soon(group_id: str, start: date, end: date) -> None:
    """Start making the page's PDF in the background (`RenderCache.make_soon`): its download,
    a click later, finds it made instead of waiting seconds for WeasyPrint (issue 24). Keyed
    on the dossier it renders, built in that thread: a store that changes meanwhile gives the
    file its own key, never an older one."""
    context = ctx()
    moment = now()

    def keyed() -> tuple[tuple[str, Dossier], Callable[[], bytes]]:
        sealed = sealed_dossier(context.opened, context.watch(), group_id, start, end, now=moment)
        return ("pdf", render_key(sealed)), lambda: render(sealed, ["pdf"]).files["pdf"]

    context.dossier_files.make_soon(keyed)


@bp.get("/g/<group_id>/dossier/full")
@reader
def dossier_full(group_id: str) -> Response:
    """The whole dossier as a page (the HTML export, charts included), shown in the browser:
    where every section of the contents is (`#plan`, `#bilan`, …). Its own inline CSS: in a
    sandbox, like an archived digest. Made once for the same content, as the downloads."""
    start, end = requested_period()
    d = _build(group_id, start, end)
    body = ctx().dossier_files.get(
        ("html", render_key(d)),
        lambda: render(_sealed(group_id, start, end), ["html"]).files["html"],
    )
    response = Response(body)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Content-Security-Policy"] = CSP_ARCHIVE
    return response


def _attachment(body: bytes, fmt: str, filename: str, mime: str = "") -> Response:
    response = Response(body)
    response.headers["Content-Type"] = mime or MIME[fmt]
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    if fmt == "html":  # its own inline CSS: shown, if at all, like an archived digest
        response.headers["Content-Security-Policy"] = CSP_ARCHIVE
    return response


def _preparing(group_id: str, start: date, end: date, fmt: str, state: str) -> Response:
    """The page of a file « en préparation » (HTTP 202), which reloads itself; or, when its
    preparation failed, the page that says so and offers to try again (HTTP 500, no reload)."""
    period: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat()}
    download = url_for("dossier.dossier_download", group_id=group_id, fmt=fmt, **period)
    page = render_template(
        "web/dossier/preparing.html",
        fmt=fmt,
        failed=state == FAILED,
        again=download,
        retry=url_for("dossier.dossier_download", group_id=group_id, fmt=fmt, retry=1, **period),
        back=url_for("dossier.dossier_page", group_id=group_id, **period),
    )
    if state == FAILED:
        return Response(page, status=500, mimetype="text/html")
    waiting = Response(page, status=202, mimetype="text/html")
    waiting.headers["Refresh"] = f"{PREPARING_REFRESH}; url={download}"
    return waiting


@bp.get("/g/<group_id>/dossier.<any(html, pdf, docx, xlsx):fmt>")
@reader
def dossier_download(group_id: str, fmt: str) -> Response:
    """The dossier in one format (the PDF takes seconds): made once for the same content. In
    the distributed mode, the PDF is a workers' job: until it is in the store, a page says it
    is being prepared and reloads itself (HTTP 202); if a worker failed to render it, a page
    says so, and `?retry=1` asks the workers again."""
    start, end = requested_period()
    d = _build(group_id, start, end)
    if ctx().dossier_queue is not None and fmt in JOB_FORMATS:
        again = request.args.get("retry") == "1"
        stored, state = _stored_or_asked(group_id, start, end, d, fmt, again=again)
        if stored is None:
            return _preparing(group_id, start, end, fmt, state)
        return _attachment(stored, fmt, f"{group_id}-{dossier_filename(group_id, start, end, fmt)}")
    body = ctx().dossier_files.get(
        (fmt, render_key(d)), lambda: render(_sealed(group_id, start, end), [fmt]).files[fmt]
    )
    name = f"{group_id}-{dossier_filename(group_id, start, end, fmt)}"
    return _attachment(body, fmt, name)


@bp.get("/g/<group_id>/oral.<any(pptx, pdf):fmt>")
@reader
def oral_download(group_id: str, fmt: str) -> Response:
    """The oral's deck (PPTX) or its handout (PDF) for the period, `?minutes=` long (default
    20), sealed (watcher.verify): made once for the same content, like the dossier's files."""
    start, end = requested_period()
    raw = request.args.get("minutes", "").strip() or str(DEFAULT_MINUTES)
    if not raw.isdigit() or not 1 <= int(raw) <= 240:
        abort(400, description=_("Durée invalide : un nombre de minutes entre 1 et 240."))
    minutes = int(raw)
    d = _build(group_id, start, end)
    body = ctx().dossier_files.get(
        (f"oral-{fmt}", minutes, render_key(d)),
        lambda: _oral(group_id, start, end, minutes, fmt),
    )
    name = f"{group_id}-{oral_filename(start, end, fmt)}"
    return _attachment(body, fmt, name, ORAL_MIME[fmt])


# --- assessments: what the page shows ---------------------------------------------------------


@dataclass(frozen=True)
class Learner:
    email: str
    name: str
    anchor: str


@dataclass
class CompetenceRow:
    competence: Competence
    versions: list[Record]  # oldest first
    in_force: Record | None  # latest signed version
    can_correct: bool = False

    @property
    def latest(self) -> Record | None:
        return self.versions[-1] if self.versions else None


@dataclass
class GridBlock:
    grid: Grid
    rows: list[CompetenceRow]
    writable: bool = False  # the viewer records on this grid for this learner


@dataclass
class OralBlock:
    """A learner's oral: the versions the viewer sees, the one in force, what they may do."""

    grid: Grid
    versions: list[OralRecord]  # oldest first
    in_force: OralRecord | None
    writable: bool = False  # the viewer records (a draft) or corrects on this grid
    can_sign: bool = False  # the latest version is a draft the viewer may sign

    @property
    def latest(self) -> OralRecord | None:
        return self.versions[-1] if self.versions else None


@dataclass
class LearnerBlock:
    learner: Learner
    grids: list[GridBlock]
    to_sign: list[Record] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    decision: Decision | None = None
    oral: OralBlock | None = None
    basis: DecisionBasis | None = None  # what the decision in force rests on


def group_learners(group_id: str) -> list[Learner]:
    """The group's learners: members in sources.yml and learner accounts of the group."""
    context = ctx()
    found = jobs.learners(context.opened, context.watch(), group_id)
    return [Learner(email, name, f"l{n}") for n, (email, name) in enumerate(found, 1)]


def _whose(group_id: str, record: Record) -> str:
    """« Léa Moreau — C1 : », what a refusal about a record starts with."""
    names = {lr.email: lr.name for lr in group_learners(group_id)}
    return f"{names.get(record.learner, record.learner)} — {record.competence} : "


def _learner_or_400(group_id: str, email: str) -> Learner:
    wanted = email.strip().lower()
    for learner in group_learners(group_id):
        if learner.email == wanted:
            return learner
    abort(400, description=_("Cet apprenant n'est pas dans le groupe."))


def writable_grids(
    viewer: Viewer, group_id: str, grids: Iterable[Grid], juries: Sequence[Jury]
) -> list[tuple[Grid, list[Jury]]]:
    """The grids the viewer records on for this group, each with the juries they sit on (an
    evaluator drafts on the jury grid before any jury is recorded: it is chosen to sign)."""
    out = []
    for grid in grids:
        if _may_write(viewer, grid, group_id, None):
            usable = [j for j in juries if grid.kind == "jury" and j.member(viewer.email)]
            out.append((grid, usable))
    return out


def signing_juries(viewer: Viewer, juries: Sequence[Jury]) -> list[Jury]:
    """The juries the viewer may sign with: they sit on it and it is composed as required."""
    return [j for j in juries if j.member(viewer.email) and not jury_issues(j)]


def _rows(grid: Grid, records: Sequence[Record]) -> list[CompetenceRow]:
    in_force = {r.competence: r for r in current_records(records)}
    rows = []
    for competence in grid.competences:
        versions = [r for r in records if r.competence == competence.code]
        versions.sort(key=lambda r: r.version)
        rows.append(CompetenceRow(competence, versions, in_force.get(competence.code)))
    return rows


def _blocks(
    viewer: Viewer,
    group_id: str,
    learners: Sequence[Learner],
    records: Sequence[Record],
    decisions: Sequence[Decision],
    grids: dict[str, Grid],
    write_grid: Grid | None,
    juries: dict[int, Jury],
    can_sign_unattached: bool = False,
) -> list[LearnerBlock]:
    blocks = []
    in_force = {d.learner: d for d in current_decisions(decisions)}
    for learner in learners:
        mine = [r for r in records if r.learner == learner.email]
        shown = sorted({r.grid_id for r in mine if r.grid_id in grids})
        if write_grid is not None and write_grid.id not in shown:
            shown.append(write_grid.id)
        block = LearnerBlock(learner, [])
        for grid_id in shown:
            grid = grids[grid_id]
            gb = GridBlock(grid, _rows(grid, [r for r in mine if r.grid_id == grid_id]))
            gb.writable = write_grid is not None and grid.id == write_grid.id
            for row in gb.rows:
                latest = row.latest
                if latest is None or not gb.writable:
                    continue
                jury = juries.get(latest.jury_id) if latest.jury_id is not None else None
                if latest.signed:
                    row.can_correct = _may_write(viewer, grid, group_id, jury)
                elif _may_sign(viewer, grid, latest, jury) or (
                    grid.kind == "jury"
                    and latest.jury_id is None
                    and latest.author == viewer.email
                    and can_sign_unattached
                ):
                    block.to_sign.append(latest)
            block.grids.append(gb)
        block.decisions = [d for d in decisions if d.learner == learner.email]
        block.decision = in_force.get(learner.email)
        blocks.append(block)
    return blocks


def _oral_block(
    viewer: Viewer,
    group_id: str,
    learner: Learner,
    orals: Sequence[OralRecord],
    grids: dict[str, Grid],
    oral_grid: Grid | None,
    juries: dict[int, Jury],
    can_sign_unattached: bool,
) -> OralBlock | None:
    """The learner's oral on the oral grid (the jury grid the evaluator writes on), or on the
    grid of the orals the viewer may see."""
    mine = [o for o in orals if o.learner == learner.email]
    grid = oral_grid or next((grids[o.grid_id] for o in mine if o.grid_id in grids), None)
    if grid is None:
        return None
    versions = sorted((o for o in mine if o.grid_id == grid.id), key=lambda o: o.version)
    in_force = current_orals(versions)
    block = OralBlock(grid, versions, in_force[0] if in_force else None)
    block.writable = oral_grid is not None and _may_write(viewer, grid, group_id, None)
    latest = block.latest
    if block.writable and latest is not None and not latest.signed:
        jury = juries.get(latest.jury_id) if latest.jury_id is not None else None
        own = latest.author == viewer.email.lower()
        block.can_sign = own and (
            (jury is not None and jury.member(viewer.email) is not None and not jury_issues(jury))
            or (jury is None and can_sign_unattached)
        )
    return block


def _assessments_page(
    group_id: str, errors: Sequence[str] = (), status: int = 200
) -> tuple[str, int]:
    user = require_user()
    viewer = viewer_of(user)
    astore = _astore()
    grids = jobs.all_grids(ctx().opened)
    juries = astore.juries()
    writable = writable_grids(viewer, group_id, grids.values(), juries)
    wanted = request.values.get("grid", "")
    chosen = next((w for w in writable if w[0].id == wanted), writable[0] if writable else None)
    write_grid, write_juries = chosen if chosen else (None, [])
    records = jobs.records_for(ctx().opened, viewer, group_id=group_id)
    orals = jobs.orals_for(ctx().opened, viewer, group_id=group_id)
    decisions = jobs.decisions_for(ctx().opened, viewer, group_id=group_id)
    learners = group_learners(group_id)
    if viewer.role == "learner":  # their own records and nothing else
        learners = [lr for lr in learners if lr.email == viewer.email]
    by_id = {j.id: j for j in juries if j.id is not None}
    sign_with = signing_juries(viewer, juries) if viewer.role == "evaluator" else []
    blocks = _blocks(
        viewer, group_id, learners, records, decisions, grids, write_grid, by_id, bool(sign_with)
    )
    oral_grid = _oral_grid(viewer, group_id, write_grid, grids)
    for block in blocks:
        block.oral = _oral_block(
            viewer, group_id, block.learner, orals, grids, oral_grid, by_id, bool(sign_with)
        )
        if block.decision is not None:
            block.basis = decision_basis(block.decision, records, orals)
    decision_juries = (
        [j for j in juries if j.member(viewer.email)] if viewer.role == ("evaluator") else []
    )
    unpublished = sum(1 for r in records if r.signed and not r.published) + sum(
        1 for o in orals if o.signed and not o.published
    )
    undisclosed = sum(1 for d in decisions if not d.published)
    today = now().astimezone(ctx().timezone()).date()
    evidence: dict[str, Any] = {}
    period = default_period(today)
    if write_grid is not None:  # what the dossier shows, beside each level to choose
        evidence = {c.code: c for c in _build(group_id, *period).evidence}
    page = render_template(
        "web/dossier/assessments.html",
        blocks=blocks,
        errors=errors,
        write_grid=write_grid,
        write_juries=write_juries,
        sign_juries=sign_with,
        evidence=evidence,
        period=period,
        evidence_titles=EVIDENCE_TITLES,
        names=person_names(),
        writable=[w[0] for w in writable],
        juries=by_id,
        decision_juries=decision_juries,
        outcomes=OUTCOMES,
        can_publish=can_publish(viewer),
        can_manage=can_manage(viewer),
        unpublished=unpublished,
        undisclosed=undisclosed,
        is_learner=viewer.role == "learner",
        is_tutor=viewer.role == "tutor",
        formats=jobs.ASSESS_FORMATS,
        today=today,
        oral_juries=[j for j in juries if j.member(viewer.email)]
        if viewer.role == "evaluator"
        else [],
    )
    return page, status


def _oral_grid(
    viewer: Viewer, group_id: str, write_grid: Grid | None, grids: dict[str, Grid]
) -> Grid | None:
    """The grid the viewer records orals on: the jury grid they grade with (the default one
    when they write on another); none for who does not sit on juries."""
    if write_grid is not None and write_grid.kind == "jury":
        return write_grid
    default = grids.get(DEFAULT_GRID.id, DEFAULT_GRID)
    return default if _may_write(viewer, default, group_id, None) else None


@bp.get("/g/<group_id>/assessments")
@dossier_viewer
def assessments_page(group_id: str) -> tuple[str, int]:
    return _assessments_page(group_id)


# --- assessments: writes ---------------------------------------------------------------------


class Refusals:
    """Refusals collected while handling a form: messages and the status to answer."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.status = 200

    def add(self, exc: Exception, prefix: str = "") -> None:
        code = (
            403 if isinstance(exc, AccessDenied) else 409 if isinstance(exc, LockedError) else 400
        )
        self.status = 403 if 403 in (self.status, code) else max(self.status, code)
        self.messages.append(f"{prefix}{exc}")

    def __bool__(self) -> bool:
        return bool(self.messages)


def _done(anchor: str, message: str) -> None:
    """Say on the next page, in that learner's section, what was done (said once)."""
    flash(message, f"done-{anchor}")


def _back_to(group_id: str, anchor: str = "", grid: str = "") -> WerkzeugResponse:
    target = url_for("dossier.assessments_page", group_id=group_id, grid=grid or None)
    return redirect(target + (f"#{anchor}" if anchor else ""), code=303)


def _int(name: str) -> int | None:
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        abort(400)
    return int(raw)


def _visible_record(astore: AssessStore, viewer: Viewer, group_id: str, record_id: int) -> Record:
    """The record, if it is the group's and the viewer may see it (else 404: not revealed)."""
    try:
        record = astore.get(record_id)
    except AssessError:
        abort(404)
    if record.group_id != group_id or not can_view_record(viewer, record):
        abort(404)
    return record


@bp.post("/g/<group_id>/assessments/record")
@dossier_viewer
def record_levels(group_id: str) -> WerkzeugResponse | tuple[str, int]:
    """One learner's levels on one grid (a draft per competence filled in)."""
    viewer = viewer_of(require_user())
    learner = _learner_or_400(group_id, request.form.get("learner", ""))
    astore = _astore()
    grid_id = request.form.get("grid_id", "")
    refusals = Refusals()
    try:
        grid = astore.grid(grid_id)
    except AssessError as exc:
        refusals.add(exc)
        return _assessments_page(group_id, refusals.messages, refusals.status)
    jury_id = _int("jury_id")
    filled = 0
    saved: list[str] = []
    for competence in grid.competences:
        raw = request.form.get(f"level-{competence.code}", "").strip()
        if not raw:
            continue
        filled += 1
        if raw not in ("0", "1", "2", "3", "4"):
            abort(400)
        try:
            jobs.record_assessment(
                ctx().opened,
                viewer,
                grid_id=grid.id,
                learner=learner.email,
                group_id=group_id,
                competence=competence.code,
                level=int(raw),
                comment=request.form.get(f"comment-{competence.code}", "")[:MAX_TEXT],
                now=now(),
                jury_id=jury_id,
            )
            saved.append(competence.code)
        except LockedError:  # the page offers « Corriger » under that competence
            said = _(
                "signée, verrouillée ; pour la changer : « Corriger » sous {code}, avec un motif.",
                code=competence.code,
            )
            refusals.add(LockedError(said), f"{learner.name} — {competence.code} : ")
        except (AccessDenied, AssessError) as exc:
            refusals.add(exc, f"{learner.name} — {competence.code} : ")
    if refusals and saved:  # the others were saved: say so, lest the form be sent again
        refusals.messages.insert(
            0,
            _n("{name} : {codes} enregistré en brouillon ; pas le reste :",
               "{name} : {codes} enregistrés en brouillon ; pas le reste :",
               len(saved), name=learner.name, codes=", ".join(saved)),
        )  # fmt: skip
    if not filled:
        refusals.messages.append(_("Choisissez un niveau pour au moins une compétence."))
        refusals.status = max(refusals.status, 400)
    if refusals:
        return _assessments_page(group_id, refusals.messages, refusals.status)
    codes = ", ".join(saved)
    _done(
        learner.anchor,
        _("{name} : {codes} enregistrée en brouillon. Signez-la pour la verrouiller.",
          name=learner.name, codes=codes)
        if len(saved) == 1
        else _("{name} : {codes} enregistrées en brouillon. Signez-les pour les verrouiller.",
               name=learner.name, codes=codes),
    )  # fmt: skip
    return _back_to(group_id, learner.anchor, grid.id)


@bp.post("/g/<group_id>/assessments/sign")
@dossier_viewer
def sign_records(group_id: str) -> WerkzeugResponse | tuple[str, int]:
    """Sign drafts (one or several `record_id`): they are locked from then on."""
    viewer = viewer_of(require_user())
    astore = _astore()
    raw_ids = request.form.getlist("record_id")
    if not raw_ids or not all(r.isdigit() for r in raw_ids):
        abort(400)
    all_records = [_visible_record(astore, viewer, group_id, int(r)) for r in raw_ids]
    jury_id = _int("jury_id")
    refusals = Refusals()
    signed: list[Record] = []
    # signed already (a second click, a tab opened before), by someone who may sign it: what
    # they wanted is done, and the page says so (who may not sign it is still refused)
    already: list[Record] = []
    for record in all_records:
        assert record.id is not None
        try:
            jobs.sign_assessment(
                ctx().opened,
                viewer,
                record.id,
                now(),
                jury_id=jury_id if record.jury_id is None else None,
            )
            signed.append(record)
        except LockedError:
            already.append(record)
        except (AccessDenied, AssessError) as exc:
            refusals.add(exc, _whose(group_id, record))
    records = signed
    if refusals:
        return _assessments_page(group_id, refusals.messages, refusals.status)
    first = (records or already)[0]
    learner = next((lr for lr in group_learners(group_id) if lr.email == first.learner), None)
    anchor = learner.anchor if learner else ""
    name = learner.name if learner else first.learner
    codes = ", ".join(r.competence for r in records)
    before = ", ".join(r.competence for r in already)
    said = []
    if records:
        said.append(
            _("{name} : {codes} signée et verrouillée ; pour la changer : « Corriger ».",
              name=name, codes=codes)
            if len(records) == 1
            else _("{name} : {codes} signées et verrouillées ; pour les changer : « Corriger ».",
                   name=name, codes=codes)
        )  # fmt: skip
    if already:
        said.append(
            _("{name} : {codes} déjà signée et verrouillée : rien à refaire ; pour la changer : « Corriger ».",  # noqa: E501
              name=name, codes=before)
            if len(already) == 1
            else _("{name} : {codes} déjà signées et verrouillées : rien à refaire ; pour les changer : « Corriger ».",  # noqa: E501
                   name=name, codes=before)
        )  # fmt: skip
    _done(anchor, " ".join(said))
    return _back_to(group_id, anchor, first.grid_id)


@bp.post("/g/<group_id>/assessments/<int:record_id>/correct")
@dossier_viewer
def correct_record(group_id: str, record_id: int) -> WerkzeugResponse | tuple[str, int]:
    """A correction of a signed record: a new draft version with its reason."""
    viewer = viewer_of(require_user())
    astore = _astore()
    record = _visible_record(astore, viewer, group_id, record_id)
    raw = request.form.get("level", "").strip()
    if raw not in ("0", "1", "2", "3", "4"):
        abort(400)
    refusals = Refusals()
    try:
        corrected = jobs.correct_assessment(
            ctx().opened,
            viewer,
            record_id,
            level=int(raw),
            comment=request.form.get("comment", "")[:MAX_TEXT],
            reason=request.form.get("reason", "")[:MAX_TEXT],
            now=now(),
        )
    except (AccessDenied, AssessError) as exc:
        refusals.add(exc, _whose(group_id, record))
        return _assessments_page(group_id, refusals.messages, refusals.status)
    learner = next((lr for lr in group_learners(group_id) if lr.email == record.learner), None)
    anchor = learner.anchor if learner else ""
    _done(
        anchor,
        _("{name} : {code} corrigée (version {n}, brouillon). Signez-la pour la verrouiller.",
          name=learner.name if learner else record.learner, code=record.competence,
          n=corrected.version),
    )  # fmt: skip
    return _back_to(group_id, anchor, record.grid_id)


@bp.post("/g/<group_id>/assessments/publish")
@dossier_viewer
def publish(group_id: str) -> WerkzeugResponse | tuple[str, int]:
    """Every signed record of the group becomes visible to its learner."""
    viewer = viewer_of(require_user())
    try:
        published = jobs.publish_assessments(ctx().opened, viewer, group_id=group_id, now=now())
    except AccessDenied as exc:
        refusals = Refusals()
        refusals.add(exc)
        return _assessments_page(group_id, refusals.messages, refusals.status)
    said = (
        _("{n} évaluations publiées : chaque apprenant voit désormais les siennes.",
          n=published.records)
        if published.records > 1
        else _("1 évaluation publiée : son apprenant la voit désormais.")
        if published.records
        else _("Aucune évaluation signée à publier.")
    )  # fmt: skip
    if published.decisions:
        said += " " + _n(
            "{n} décision du jury publiée : l'apprenant et son tuteur la voient désormais.",
            "{n} décisions du jury publiées : les apprenants et leur tuteur les voient.",
            published.decisions,
        )
    _done("", said)
    return _back_to(group_id)


def _oral_input(grid: Grid) -> tuple[jobs.OralInput | None, str]:
    """The oral form → what the jury writes (None and the reason when it cannot be read)."""
    form = request.form
    try:
        held_on = date.fromisoformat(form.get("held_on", "").strip())
    except ValueError:
        return None, _("Date de l'oral invalide : une date comme 2026-12-18.")
    raw = form.get("duration", "").strip()
    if not raw.isdigit():
        return None, _("Durée de l'oral invalide : un nombre de minutes.")
    marks = []
    for competence in grid.competences:
        level = form.get(f"oral-level-{competence.code}", "").strip()
        if level not in ("", "0", "1", "2", "3", "4"):
            abort(400)
        marks.append(
            OralMark(
                competence.code,
                form.get(f"oral-obs-{competence.code}", "")[:MAX_TEXT],
                int(level) if level else None,
            )
        )
    return (
        jobs.OralInput(
            held_on,
            int(raw[:4]),
            tuple(marks),
            form.get("questions", "")[:MAX_TEXT],
            form.get("answers", "")[:MAX_TEXT],
        ),
        "",
    )


def _visible_oral(astore: AssessStore, viewer: Viewer, group_id: str, oral_id: int) -> OralRecord:
    """The record of an oral, if it is the group's and the viewer may see it (else 404)."""
    try:
        record = astore.oral(oral_id)
    except AssessError:
        abort(404)
    if record.group_id != group_id or not can_view_oral(viewer, record):
        abort(404)
    return record


def _oral_refused(group_id: str, exc: Exception | str) -> tuple[str, int]:
    refusals = Refusals()
    if isinstance(exc, str):
        refusals.messages.append(exc)
        refusals.status = 400
    else:
        refusals.add(exc, _("Oral : "))
    return _assessments_page(group_id, refusals.messages, refusals.status)


@bp.post("/g/<group_id>/assessments/oral")
@dossier_viewer
def record_oral(group_id: str) -> WerkzeugResponse | tuple[str, int]:
    """The jury's record of a learner's oral (a draft, or the edit of one's draft)."""
    viewer = viewer_of(require_user())
    learner = _learner_or_400(group_id, request.form.get("learner", ""))
    astore = _astore()
    try:
        grid = astore.grid(request.form.get("grid_id", "") or DEFAULT_GRID.id)
        oral, problem = _oral_input(grid)
        if oral is None:
            return _oral_refused(group_id, problem)
        jobs.record_oral(
            ctx().opened,
            viewer,
            grid_id=grid.id,
            learner=learner.email,
            group_id=group_id,
            oral=oral,
            now=now(),
            jury_id=_int("jury_id"),
        )
    except (AccessDenied, AssessError) as exc:
        return _oral_refused(group_id, exc)
    return _back_to(group_id, f"{learner.anchor}-oral")


@bp.post("/g/<group_id>/assessments/oral/<int:oral_id>/sign")
@dossier_viewer
def sign_oral(group_id: str, oral_id: int) -> WerkzeugResponse | tuple[str, int]:
    """Sign a draft record of an oral: locked from then on."""
    viewer = viewer_of(require_user())
    record = _visible_oral(_astore(), viewer, group_id, oral_id)
    try:
        jobs.sign_oral_record(
            ctx().opened,
            viewer,
            oral_id,
            now(),
            jury_id=_int("jury_id") if record.jury_id is None else None,
        )
    except (AccessDenied, AssessError) as exc:
        return _oral_refused(group_id, exc)
    anchor = next((lr.anchor for lr in group_learners(group_id) if lr.email == record.learner), "")
    return _back_to(group_id, f"{anchor}-oral")


@bp.post("/g/<group_id>/assessments/oral/<int:oral_id>/correct")
@dossier_viewer
def correct_oral(group_id: str, oral_id: int) -> WerkzeugResponse | tuple[str, int]:
    """A correction of a signed record of an oral: a new draft version with its reason."""
    viewer = viewer_of(require_user())
    astore = _astore()
    record = _visible_oral(astore, viewer, group_id, oral_id)
    try:
        oral, problem = _oral_input(astore.grid(record.grid_id))
        if oral is None:
            return _oral_refused(group_id, problem)
        jobs.correct_oral_record(
            ctx().opened,
            viewer,
            oral_id,
            oral=oral,
            reason=request.form.get("reason", "")[:MAX_TEXT],
            now=now(),
        )
    except (AccessDenied, AssessError) as exc:
        return _oral_refused(group_id, exc)
    anchor = next((lr.anchor for lr in group_learners(group_id) if lr.email == record.learner), "")
    return _back_to(group_id, f"{anchor}-oral")


@bp.post("/g/<group_id>/assessments/decision")
@dossier_viewer
def decide(group_id: str) -> WerkzeugResponse | tuple[str, int]:
    """The jury's decision on the block for a learner (valid five years when validated)."""
    viewer = viewer_of(require_user())
    learner = _learner_or_400(group_id, request.form.get("learner", ""))
    jury_id = _int("jury_id")
    refusals = Refusals()
    try:
        decided_on = date.fromisoformat(request.form.get("decided_on", "").strip())
    except ValueError:
        refusals.messages.append(_("Date de décision invalide : une date comme 2026-12-18."))
        refusals.status = 400
        return _assessments_page(group_id, refusals.messages, refusals.status)
    try:
        if jury_id is None:
            raise AssessError(_("Choisissez le jury."))
        jobs.record_decision(
            ctx().opened,
            viewer,
            jury_id=jury_id,
            learner=learner.email,
            group_id=group_id,
            decided_on=decided_on,
            outcome=request.form.get("outcome", ""),
            now=now(),
            comment=request.form.get("comment", "")[:MAX_TEXT],
        )
    except (AccessDenied, AssessError) as exc:
        refusals.add(exc)
        return _assessments_page(group_id, refusals.messages, refusals.status)
    return _back_to(group_id, learner.anchor)


# --- assessments: exports --------------------------------------------------------------------


def _assessment_export(
    fmt: str, viewer: Viewer, *, group_id: str | None, learner: Learner | None
) -> Response:
    context = ctx()
    exported = jobs.export_assessments(
        context.opened,
        context.watch(),
        viewer,
        fmt,
        learner=learner.email if learner else None,
        group_id=group_id,
        now=now(),
    )
    return _attachment(exported.data, fmt, exported.filename)


@bp.get("/g/<group_id>/assessments.<any(csv, xlsx, pdf):fmt>")
@dossier_viewer
def group_export(group_id: str, fmt: str) -> Response:
    """The group's records the viewer may see (or one learner's: ?learner=)."""
    viewer = viewer_of(require_user())
    learner = None
    wanted = request.args.get("learner", "").strip().lower()
    if viewer.role == "learner":
        wanted = viewer.email
    if wanted:
        learner = next((lr for lr in group_learners(group_id) if lr.email == wanted), None)
        if learner is None:
            abort(404)
    return _assessment_export(fmt, viewer, group_id=group_id, learner=learner)


@bp.get("/assessments.<any(csv, xlsx, pdf):fmt>")
def cohort_export(fmt: str) -> Response:
    """Every record of every group that the viewer may see (the cohort)."""
    viewer = viewer_of(require_user())
    if not can_manage(viewer):
        abort(403)
    return _assessment_export(fmt, viewer, group_id=None, learner=None)


# --- juries and grids ---------------------------------------------------------------------------


def _manager() -> Viewer:
    viewer = viewer_of(require_user())
    if not can_manage(viewer):
        abort(403)
    return viewer


def _juries_page(errors: Sequence[str] = (), status: int = 200, form: Any = None) -> Any:
    juries = _astore().juries()
    return render_template(
        "web/dossier/juries.html",
        juries=[(j, jury_issues(j)) for j in juries],
        errors=errors,
        rows=range(JURY_ROWS),
        qualities=QUALITY_LABELS,
        form=form or {},
        can_manage=True,
    ), status


@bp.route("/assessments/juries", methods=["GET", "POST"])
def juries_page() -> Any:
    """Juries and their composition (professionals and school representatives)."""
    viewer = _manager()
    if request.method == "GET":
        return _juries_page()
    form = request.form
    errors = []
    members = []
    for n in range(JURY_ROWS):
        name = form.get(f"name-{n}", "").strip()[:200]
        email = form.get(f"email-{n}", "").strip().lower()[:254]
        if not name and not email:
            continue
        quality = form.get(f"quality-{n}", "")
        if not name or "@" not in email or quality not in QUALITY_LABELS:
            errors.append(_("Membre {n} : nom, courriel et qualité sont obligatoires.", n=n + 1))
            continue
        members.append(
            JuryMember(
                name,
                email,
                "professionnel" if quality == "professionnel" else "formation",
                form.get(f"organisation-{n}", "").strip()[:200],
                "président" if form.get(f"role-{n}") == "président" else "membre",
            )
        )
    name = form.get("jury_name", "").strip()[:200]
    if not name:
        errors.append(_("Donnez un nom au jury."))
    try:
        session_date = date.fromisoformat(form.get("session_date", "").strip())
    except ValueError:
        errors.append(_("Date de session invalide : une date comme 2026-12-18."))
    if errors:
        return _juries_page(errors, 400, form)
    try:
        jobs.create_jury(
            ctx().opened, viewer, Jury(None, name, session_date, tuple(members)), now=now()
        )
    except (AccessDenied, AssessError) as exc:
        return _juries_page([str(exc)], 403 if isinstance(exc, AccessDenied) else 400, form)
    return redirect(url_for("dossier.juries_page"), code=303)


@bp.route("/assessments/grids", methods=["GET", "POST"])
def grids_page() -> Any:
    """The grids (levels 0–4 and their descriptors); a teacher's own grid is loaded as YAML."""
    viewer = _manager()
    error = ""
    text = ""
    if request.method == "POST":
        text = request.form.get("definition", "")[:100_000]
        try:
            jobs.load_grid(ctx().opened, viewer, text, "la grille", now())
        except (AssessError, ValueError, TypeError, KeyError) as exc:
            error = str(exc)
        if not error:
            return redirect(url_for("dossier.grids_page"), code=303)
    page = render_template(
        "web/dossier/grids.html",
        grids=list(jobs.all_grids(ctx().opened).values()),
        error=error,
        text=text,
        can_manage=True,
    )
    return page, 400 if error else 200
