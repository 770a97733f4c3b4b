"""`watcher dossier` (the group's block-1 dossier) and `watcher assess …` (assessment records).

Commands parse, call one use case (watcher.report.export, watcher.store.assess) and print in French.
Who acts is given by `--as EMAIL`: the role comes from the web accounts when they exist, else from
sources.yml (a group's tutor or member) and the juries (a jury member is an evaluator). Without
`--as`, reading commands act as an administrator (whoever runs the CLI holds the database).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import click
from rich.markup import escape

from watcher.assess.rules import (
    BUILTIN_GRIDS,
    OUTCOMES,
    AccessDenied,
    AssessError,
    Grid,
    Jury,
    JuryMember,
    Viewer,
    grid_from_yaml,
    jury_issues,
)
from watcher.cli.main import _load, err, main, out, print_json
from watcher.config import Watch
from watcher.report.dossier import EXPORT_FORMATS
from watcher.store import Store
from watcher.store.assess import (
    AssessStore,
    correct_assessment,
    create_jury,
    decisions_for,
    publish_assessments,
    record_assessment,
    record_decision,
    records_for,
    sign_assessment,
)
from watcher.workspace import Workspace


def _now() -> datetime:
    return datetime.now(UTC)


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        err.print(f"{option} : date invalide « {value} » (attendu : AAAA-MM-JJ, ex. 2026-09-01)")
        sys.exit(2)


@main.command("dossier")
@click.option("--group", "group_id", required=True, help="Groupe (id dans sources.yml).")
@click.option("--from", "start", required=True, help="Début de la période (AAAA-MM-JJ).")
@click.option("--to", "end", required=True, help="Fin de la période, incluse (AAAA-MM-JJ).")
@click.option(
    "--format",
    "formats",
    default=",".join(EXPORT_FORMATS),
    show_default=True,
    help="Formats séparés par des virgules : html, pdf, docx, xlsx.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Dossier de sortie (par défaut reports/<groupe>/).",
)
@click.pass_obj
def dossier_command(
    workspace: Workspace, group_id: str, start: str, end: str, formats: str, out_dir: Path | None
) -> None:
    """Construit le dossier écrit du bloc 1 d'un groupe pour une période."""
    from watcher.report.export import write_dossier

    watch = _load(workspace)
    first, last = _date(start, "--from"), _date(end, "--to")
    chosen = [f.strip().lower() for f in formats.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in EXPORT_FORMATS]
    if unknown or not chosen:
        err.print(
            f"Format inconnu : {', '.join(unknown) or '(aucun)'} ({', '.join(EXPORT_FORMATS)})"
        )
        sys.exit(2)
    if last < first:
        err.print("La date de fin (--to) précède la date de début (--from).")
        sys.exit(2)
    if not any(g.id == group_id for g in watch.groups):
        known = ", ".join(g.id for g in watch.groups) or "aucun"
        err.print(f"Groupe inconnu : {group_id} (groupes : {known})")
        sys.exit(2)
    store = Store(workspace.db)
    try:
        rendered, paths = write_dossier(
            store,
            watch,
            group_id,
            first,
            last,
            now=_now(),
            reports=workspace.reports,
            out=out_dir,
            formats=chosen,
        )
    finally:
        store.close()
    d = rendered.dossier
    out.print(
        f"Dossier de {d.cover.group_name} {d.cover.period} : "
        f"{d.bilan.stats[0][1]} article(s), {d.fiche_count} fiche(s), {len(d.legal)} référence(s), "
        f"{d.diffusion.with_digest}/{d.diffusion.expected} semaine(s) avec une synthèse."
    )
    for path in paths:
        out.print(f"  {path}", markup=False)


# --- assessments ------------------------------------------------------------------------------


@main.group("assess")
def assess_group() -> None:
    """Évaluations du bloc 1 : grilles, jurys, niveaux 0–4 signés et verrouillés, décisions."""


@contextmanager
def _assess(workspace: Workspace) -> Iterator[tuple[Watch, Store, AssessStore]]:
    watch = _load(workspace)
    store = Store(workspace.db)
    try:
        astore = AssessStore(store)
        astore.ensure_builtin_grids(_now())
        yield watch, store, astore
    except (AssessError, AccessDenied) as exc:
        err.print(f"[red]Refusé :[/] {escape(str(exc))}")
        sys.exit(1)
    finally:
        store.close()


def resolve_viewer(watch: Watch, store: Store, astore: AssessStore, email: str | None) -> Viewer:
    """Who `--as EMAIL` is: a web account's role, else sources.yml and the juries."""
    if email is None:
        return Viewer("admin", "cli")
    email = email.strip().lower()
    try:
        from watcher.store.users import Users
    except ImportError:
        Users = None  # type: ignore[assignment,misc]
    if Users is not None:
        user = Users(store).by_email(email)
        if user is not None:
            return Viewer.of(user.role, user.email, user.group_id)
    tutored = tuple(g.id for g in watch.groups if g.tutor and g.tutor.email.lower() == email)
    if tutored:
        return Viewer("tutor", email, tutored)
    if any(j.member(email) for j in astore.juries()):
        return Viewer("evaluator", email)
    member_of = tuple(
        g.id for g in watch.groups if any(m.email.lower() == email for m in g.members)
    )
    if member_of:
        return Viewer("learner", email, member_of)
    raise AccessDenied(f"{email} n'est ni évaluateur (jury), ni tuteur, ni apprenant de la veille")


def learner_group(watch: Watch, learner: str) -> str:
    for group in watch.groups:
        if any(m.email.lower() == learner.strip().lower() for m in group.members):
            return group.id
    raise AssessError(f"{learner} n'est membre d'aucun groupe de sources.yml")


def learner_names(watch: Watch) -> dict[str, str]:
    return {m.email.lower(): m.name for g in watch.groups for m in g.members}


@assess_group.command("grids")
@click.pass_obj
def grids_command(workspace: Workspace) -> None:
    """Liste les grilles d'évaluation."""
    with _assess(workspace) as (_, _, astore):
        for grid in astore.grids():
            out.print(f"[bold]{grid.id}[/] ({grid.kind}) — {grid.name}")
            for level in grid.levels:
                out.print(f"    {level.label} : {level.descriptor}", markup=False)


@assess_group.command("grid-load")
@click.argument(
    "path", metavar="FICHIER", type=click.Path(dir_okay=False, exists=True, path_type=Path)
)
@click.option("--as", "as_email", default=None, help="Qui charge la grille.")
@click.pass_obj
def grid_load(workspace: Workspace, path: Path, as_email: str | None) -> None:
    """Charge une grille (YAML : id, name, kind jury|tuteur, competences, levels 0–4)."""
    with _assess(workspace) as (watch, store, astore):
        viewer = resolve_viewer(watch, store, astore, as_email)
        if viewer.role not in ("evaluator", "admin"):
            raise AccessDenied("seuls les évaluateurs et les administrateurs chargent une grille")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise AssessError(f"{path} : le fichier doit être en UTF-8") from None
        grid = grid_from_yaml(text, str(path))
        astore.save_grid(grid, now=_now(), by=viewer.email)
        out.print(f"Grille {grid.id} enregistrée ({len(grid.competences)} compétences).")


def _member(text: str) -> JuryMember:
    parts = [p.strip() for p in text.split(";")]
    if len(parts) < 3 or parts[2] not in ("professionnel", "formation"):
        raise AssessError(
            f"membre de jury invalide « {text} » (attendu : Nom;courriel;professionnel|formation"
            "[;organisation[;rôle]])"
        )
    return JuryMember(
        parts[0],
        parts[1].lower(),
        "professionnel" if parts[2] == "professionnel" else "formation",
        parts[3] if len(parts) > 3 else "",
        parts[4] if len(parts) > 4 and parts[4] else "membre",
    )


@assess_group.command("jury-add")
@click.option("--name", required=True)
@click.option("--date", "session", required=True, help="Date de la session (AAAA-MM-JJ).")
@click.option(
    "--member",
    "members",
    multiple=True,
    required=True,
    help="Nom;courriel;professionnel|formation;organisation;rôle (répétable).",
)
@click.option("--as", "as_email", default=None)
@click.pass_obj
def jury_add(
    workspace: Workspace, name: str, session: str, members: tuple[str, ...], as_email: str | None
) -> None:
    """Enregistre la composition d'un jury (50 % professionnels, 50 % organisme de formation)."""
    with _assess(workspace) as (watch, store, astore):
        viewer = resolve_viewer(watch, store, astore, as_email)
        jury = Jury(None, name, _date(session, "--date"), tuple(_member(m) for m in members))
        saved = create_jury(astore, viewer, jury, now=_now())
        out.print(f"Jury n° {saved.id} « {saved.name} » enregistré ({len(saved.members)} membres).")
        for problem in jury_issues(saved):
            out.print(f"[yellow]Attention : {problem}[/]")


@assess_group.command("juries")
@click.pass_obj
def juries_command(workspace: Workspace) -> None:
    """Liste les jurys et leur composition."""
    with _assess(workspace) as (_, _, astore):
        for jury in astore.juries():
            issues = jury_issues(jury)
            state = "conforme" if not issues else "; ".join(issues)
            out.print(f"[bold]n° {jury.id}[/] {jury.name} — {jury.session_date} — {state}")
            for m in jury.members:
                out.print(f"    {m.name} <{m.email}> — {m.quality}, {m.organisation}", markup=False)


@assess_group.command("record")
@click.option("--as", "as_email", required=True, help="Évaluateur (ou tuteur) qui évalue.")
@click.option("--learner", required=True, help="Courriel de l'apprenant.")
@click.option("--competence", required=True, help="C1 … C7.")
@click.option("--level", type=click.IntRange(0, 4), required=True)
@click.option("--comment", default="")
@click.option("--grid", "grid_id", default=None, help="bloc1-jury (défaut) ou bloc1-tuteur…")
@click.option("--jury", "jury_id", type=int, default=None)
@click.pass_obj
def record_command(
    workspace: Workspace,
    as_email: str,
    learner: str,
    competence: str,
    level: int,
    comment: str,
    grid_id: str | None,
    jury_id: int | None,
) -> None:
    """Enregistre (ou modifie, tant qu'il n'est pas signé) le niveau d'un apprenant."""
    with _assess(workspace) as (watch, store, astore):
        viewer = resolve_viewer(watch, store, astore, as_email)
        chosen = grid_id or ("bloc1-tuteur" if viewer.role == "tutor" else "bloc1-jury")
        saved = record_assessment(
            astore,
            viewer,
            grid_id=chosen,
            learner=learner,
            group_id=learner_group(watch, learner),
            competence=competence.upper(),
            level=level,
            comment=comment,
            now=_now(),
            jury_id=jury_id,
        )
        out.print(
            f"Évaluation n° {saved.id} (brouillon, version {saved.version}) : {saved.learner} "
            f"{saved.competence} = {saved.level}. Signez-la avec `watcher assess sign {saved.id}`."
        )


@assess_group.command("sign")
@click.argument("record_id", metavar="NUMÉRO", type=int)
@click.option("--as", "as_email", required=True)
@click.option("--jury", "jury_id", type=int, default=None, help="Jury d'un brouillon sans jury.")
@click.pass_obj
def sign_command(workspace: Workspace, record_id: int, as_email: str, jury_id: int | None) -> None:
    """Signe une évaluation : elle est ensuite verrouillée."""
    with _assess(workspace) as (watch, store, astore):
        viewer = resolve_viewer(watch, store, astore, as_email)
        signed = sign_assessment(astore, viewer, record_id, _now(), jury_id=jury_id)
        out.print(f"Évaluation n° {signed.id} signée par {signed.signed_by} : verrouillée.")


@assess_group.command("correct")
@click.argument("record_id", metavar="NUMÉRO", type=int)
@click.option("--as", "as_email", required=True)
@click.option("--level", type=click.IntRange(0, 4), required=True)
@click.option("--comment", default="")
@click.option("--reason", required=True, help="Motif de la correction (gardé dans l'historique).")
@click.pass_obj
def correct_command(
    workspace: Workspace, record_id: int, as_email: str, level: int, comment: str, reason: str
) -> None:
    """Corrige une évaluation signée : nouvelle version, l'ancienne reste dans l'historique."""
    with _assess(workspace) as (watch, store, astore):
        viewer = resolve_viewer(watch, store, astore, as_email)
        fixed = correct_assessment(
            astore, viewer, record_id, level=level, comment=comment, reason=reason, now=_now()
        )
        out.print(
            f"Correction n° {fixed.id} (version {fixed.version}, brouillon) de l'évaluation "
            f"n° {record_id}. Signez-la pour qu'elle entre en vigueur."
        )


@assess_group.command("publish")
@click.option("--as", "as_email", required=True)
@click.option("--group", "group_id", default=None)
@click.pass_obj
def publish_command(workspace: Workspace, as_email: str, group_id: str | None) -> None:
    """Publie aux apprenants leurs évaluations signées."""
    with _assess(workspace) as (watch, store, astore):
        viewer = resolve_viewer(watch, store, astore, as_email)
        count = publish_assessments(astore, viewer, group_id=group_id, now=_now())
        out.print(f"{count} évaluation(s) publiée(s).")


@assess_group.command("decide")
@click.option("--as", "as_email", required=True)
@click.option("--jury", "jury_id", type=int, required=True)
@click.option("--learner", required=True)
@click.option("--date", "decided", required=True, help="Date de la décision (AAAA-MM-JJ).")
@click.option("--outcome", type=click.Choice(OUTCOMES), required=True)
@click.option("--comment", default="")
@click.pass_obj
def decide_command(
    workspace: Workspace,
    as_email: str,
    jury_id: int,
    learner: str,
    decided: str,
    outcome: str,
    comment: str,
) -> None:
    """Enregistre la décision du jury sur le bloc (validité 5 ans si validé)."""
    with _assess(workspace) as (watch, store, astore):
        viewer = resolve_viewer(watch, store, astore, as_email)
        decision = record_decision(
            astore,
            viewer,
            jury_id=jury_id,
            learner=learner,
            group_id=learner_group(watch, learner),
            decided_on=_date(decided, "--date"),
            outcome=outcome,
            now=_now(),
            comment=comment,
        )
        until = f", valable jusqu'au {decision.valid_until}" if decision.valid_until else ""
        out.print(f"Décision n° {decision.id} : {decision.learner} — {decision.outcome}{until}.")


@assess_group.command("list")
@click.option("--as", "as_email", default=None)
@click.option("--learner", default=None)
@click.option("--group", "group_id", default=None)
@click.pass_obj
def list_command(
    workspace: Workspace, as_email: str | None, learner: str | None, group_id: str | None
) -> None:
    """Liste les évaluations (toutes les versions) que l'on a le droit de voir."""
    with _assess(workspace) as (watch, store, astore):
        viewer = resolve_viewer(watch, store, astore, as_email)
        found = records_for(astore, viewer, learner=learner, group_id=group_id)
        if not found:
            out.print("Aucune évaluation visible.")
        for r in found:
            state = (
                f"signée {r.signed_at:%d/%m/%Y} par {r.signed_by}"
                + (", publiée" if r.published else "")
                if r.signed
                else "brouillon"
            )
            out.print(
                f"n° {r.id}  {r.learner}  {r.grid_id}  {r.competence}  v{r.version}  "
                f"niveau {r.level}  ({state})" + (f"  motif : {r.reason}" if r.reason else ""),
                markup=False,
            )


@assess_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "pdf"]), required=True)
@click.option("--as", "as_email", default=None)
@click.option("--learner", default=None, help="Un apprenant (sinon toute la cohorte).")
@click.option("--group", "group_id", default=None)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Fichier à écrire (défaut : reports/evaluations/).",
)
@click.option("--json", "as_json", is_flag=True, help="Le résumé de l'export en JSON.")
@click.pass_obj
def export_command(
    workspace: Workspace,
    fmt: str,
    as_email: str | None,
    learner: str | None,
    group_id: str | None,
    out_path: Path | None,
    as_json: bool,
) -> None:
    """Exporte les évaluations en CSV, XLSX ou PDF, par apprenant ou pour la cohorte."""
    from watcher.report import export

    with _assess(workspace) as (watch, store, astore):
        viewer = resolve_viewer(watch, store, astore, as_email)
        records = records_for(astore, viewer, learner=learner, group_id=group_id)
        decisions = [
            d
            for d in decisions_for(astore, viewer, group_id=group_id)
            if learner is None or d.learner == learner.strip().lower()
        ]
        grids: dict[str, Grid] = {g.id: g for g in (*BUILTIN_GRIDS, *astore.grids())}
        juries = {j.id: j for j in astore.juries() if j.id is not None}
        names = learner_names(watch)
        if fmt == "csv":
            data = export.assessments_csv(records, grids, names)
        elif fmt == "xlsx":
            data = export.assessments_xlsx(records, decisions, grids, juries, names)
        else:
            scope = (
                f"Apprenant : {names.get(learner.lower(), learner)}"
                if learner
                else f"Groupe {group_id}"
                if group_id
                else "Cohorte"
            )
            data = export.assessments_pdf(
                records,
                decisions,
                grids,
                juries,
                names,
                title="Évaluations du bloc 1",
                scope=scope,
                now=_now(),
            )
        slug = (learner or group_id or "cohorte").replace("@", "-at-")
        target = out_path or workspace.reports / "evaluations" / f"evaluations-{slug}.{fmt}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if as_json:
            print_json(
                {
                    "format": fmt,
                    "path": str(target),
                    "records": len(records),
                    "decisions": len(decisions),
                    "learner": learner,
                    "group": group_id,
                }
            )
            return
        out.print(f"{len(records)} évaluation(s) exportée(s) : {target}", markup=False)
