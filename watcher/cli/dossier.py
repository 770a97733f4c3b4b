"""`watcher dossier` (the group's block-1 dossier) and `watcher assess …` (assessment records).

Commands parse, call one use case (watcher.jobs.dossier, watcher.jobs.assess) and print in French.
Who acts is given by `--as EMAIL`: the role comes from the web accounts when they exist, else from
sources.yml (a group's tutor or member) and the juries (a jury member is an evaluator). Without
`--as`, reading commands act as an administrator (whoever runs the CLI holds the database).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from watcher.assess.rules import ASSESS_FORMATS, OUTCOMES, jury_issues
from watcher.cli.app import Words, _now, load, main, out, print_json
from watcher.config import Watch
from watcher.dates import clock, date_fr, iso_day
from watcher.errors import AssessError
from watcher.jobs import group_of, open_workspace
from watcher.model import Jury, JuryMember
from watcher.plural import counted
from watcher.report.dossier import EXPORT_FORMATS
from watcher.report.oral import DEFAULT_MINUTES
from watcher.verify.manifest import ORAL_FORMATS
from watcher.workspace import Workspace, output_paths, write_atomically


def period_options(command: Callable[..., None]) -> Callable[..., None]:
    """--group, --from, --to (in this order in --help): a group's period, read by `period`."""
    to = (
        "Fin de la période, incluse : AAAA-MM-JJ, ou une semaine ISO (2026-W48 : jusqu'à son "
        "dimanche) ; défaut : aujourd'hui."
    )
    command = click.option("--to", "end", help=to)(command)
    start = (
        "Début de la période : AAAA-MM-JJ, ou une semaine ISO (2026-W45 : depuis son lundi) ; "
        "défaut : le lundi des 16 dernières semaines, comme la page Dossier de l'appli web."
    )
    command = click.option("--from", "start", help=start)(command)
    group = "Groupe (id dans sources.yml)."
    return click.option("--group", "group_id", required=True, help=group)(command)


def period(start: str | None, end: str | None, watch: Watch) -> tuple[date, date]:
    """The period asked for, read as the web page reads it (`asked_period`); what is not given
    is the web page's default."""
    from watcher.jobs.dossier import asked_period  # the store, the exports: when run

    today = _now().astimezone(ZoneInfo(watch.watch.timezone)).date()
    return asked_period(start, end, today)


OUT_OPTION = click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Où écrire : un dossier (les fichiers y gardent leur nom), ou, pour un seul --format, "
    "le fichier lui-même (rendu.pdf). Défaut : le dossier reports/<groupe>/.",
)


def formats_option(
    known: Sequence[str], help: str
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """--format: formats separated by commas (default: every one of `known`), read into a list,
    each once and in lower case, in the order given; the use case refuses an unknown one."""

    def formats(_ctx: click.Context, _param: click.Parameter, value: str) -> list[str]:
        return list(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))

    return click.option(
        "--format",
        "formats",
        default=",".join(known),
        show_default=True,
        help=help,
        callback=formats,
    )


AS_HELP = (
    "Votre courriel : le rôle vient des comptes de l'appli web, sinon de sources.yml (tuteur, "
    "membre d'un groupe) et des jurys (évaluateur)."
)
AS_READ_HELP = "Votre courriel (le rôle décide de ce que vous voyez) ; sans --as : administrateur."
COMMENT_HELP = "Commentaire gardé avec l'évaluation."


@main.command("dossier")
@period_options
@formats_option(EXPORT_FORMATS, "Formats séparés par des virgules : html, pdf, docx, xlsx.")
@OUT_OPTION
@click.pass_obj
def dossier_command(
    workspace: Workspace,
    group_id: str,
    start: str | None,
    end: str | None,
    formats: list[str],
    out_dir: Path | None,
) -> None:
    """Construit le dossier écrit du bloc 1 d'un groupe pour une période."""
    from watcher.jobs.dossier import (
        collected_outside,
        export_dossier,
    )  # the store, the exports: when run

    watch = load(workspace)
    first, last = period(start, end, watch)
    with open_workspace(workspace) as w:
        written = export_dossier(
            w, watch, group_id, first, last, now=_now(), formats=formats, out=out_dir
        )
        outside = collected_outside(w, watch, written.rendered.dossier)
    d = written.rendered.dossier
    out.print(
        f"Dossier de {d.cover.group_name} {d.cover.period} : "
        f"{counted(int(d.bilan.stats[0][1]), 'article')}, {counted(d.fiche_count, 'fiche')}, "
        f"{counted(len(d.legal), 'référence')}, {d.diffusion.summary()}."
    )
    if outside:
        collected, since, until = outside
        when = (
            f"le {date_fr(since)}" if since == until else f"du {date_fr(since)} au {date_fr(until)}"
        )
        out.print(
            "Aucun article collecté pendant cette période (le dossier compte les articles à leur "
            f"date de collecte) : le groupe a collecté {counted(collected, 'article')} {when}. "
            "Choisissez --from et --to qui couvrent ces dates.",
            markup=False,
        )
    for path in written.paths:
        out.print(f"  {path}", markup=False)


@main.command("oral")
@period_options
@click.option(
    "--minutes",
    type=click.IntRange(1, 240),
    default=DEFAULT_MINUTES,
    show_default=True,
    help="Durée de la présentation, répartie entre les diapositives (notes de l'orateur).",
)
@formats_option(
    ORAL_FORMATS,
    "Formats séparés par des virgules : pptx (modifiable), pdf (support à distribuer).",
)
@OUT_OPTION
@click.pass_obj
def oral_command(
    workspace: Workspace,
    group_id: str,
    start: str | None,
    end: str | None,
    minutes: int,
    formats: list[str],
    out_dir: Path | None,
) -> None:
    """Construit le support de la présentation orale du bloc 1 (PPTX et PDF), à partir des
    données du dossier : plan de veille, méthode, résultats par axe, textes, actions,
    vérification, qui a fait quoi, graphiques, notes de l'orateur minutées."""
    from watcher.jobs.oral import export_oral  # the store, the exports: when run

    watch = load(workspace)
    first, last = period(start, end, watch)
    with open_workspace(workspace) as w:
        written = export_oral(
            w,
            watch,
            group_id,
            first,
            last,
            now=_now(),
            minutes=minutes,
            formats=formats,
            out=out_dir,
        )
    plan = written.rendered.plan
    speakers = ", ".join(
        f"{name} {seconds // 60} min {seconds % 60:02d} s" for name, seconds in plan.speaking
    )
    out.print(
        f"Support de l'oral de {plan.group_name} {plan.period} : "
        f"{counted(len(plan.slides), 'diapositive')}, {plan.minutes} min"
        + (f" ({speakers})" if speakers else "")
        + ".",
        markup=False,
    )
    for path in written.paths:
        out.print(f"  {path}", markup=False)


# --- assessments ------------------------------------------------------------------------------


@main.group("assess")
def assess_group() -> None:
    """Évaluations du bloc 1 : grilles, jurys, niveaux 0–4 signés et verrouillés, décisions."""


@assess_group.command("grids")
@click.pass_obj
def grids_command(workspace: Workspace) -> None:
    """Liste les grilles d'évaluation."""
    from watcher.jobs import assess as jobs  # the store, the exports: when run

    load(workspace)
    with open_workspace(workspace) as w:
        grids = jobs.prepared(w, _now()).grids()
    for grid in grids:
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
    """Charge une grille (YAML : id, name, kind jury|tuteur, competences, levels 0–4,
    oral_levels : les compétences notées à l'oral)."""
    from watcher.jobs import assess as jobs  # the store, the exports: when run

    watch = load(workspace)
    with open_workspace(workspace) as w:
        viewer = jobs.viewer_for(w, watch, as_email)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise AssessError(f"{path} : le fichier doit être en UTF-8") from None
        grid = jobs.load_grid(w, viewer, text, str(path), _now())
    out.print(f"Grille {grid.id} enregistrée ({counted(len(grid.competences), 'compétence')}).")


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
@click.option("--name", required=True, help="Nom du jury (ex. Jury bloc 1 — juin 2027).")
@click.option("--date", "session", required=True, help="Date de la session (AAAA-MM-JJ).")
@click.option(
    "--member",
    "members",
    multiple=True,
    required=True,
    help="Nom;courriel;professionnel|formation;organisation;rôle (répétable).",
)
@click.option("--as", "as_email", default=None, help=AS_READ_HELP)
@click.pass_obj
def jury_add(
    workspace: Workspace, name: str, session: str, members: tuple[str, ...], as_email: str | None
) -> None:
    """Enregistre la composition d'un jury (50 % professionnels, 50 % organisme de formation)."""
    from watcher.jobs import assess as jobs  # the store, the exports: when run

    watch = load(workspace)
    with open_workspace(workspace) as w:
        viewer = jobs.viewer_for(w, watch, as_email)
        jury = Jury(None, name, iso_day(session, "--date"), tuple(_member(m) for m in members))
        saved = jobs.create_jury(w, viewer, jury, now=_now())
    out.print(
        f"Jury n° {saved.id} « {saved.name} » enregistré ({counted(len(saved.members), 'membre')})."
    )
    for problem in jury_issues(saved):
        out.print(f"[yellow]Attention : {problem}[/]")


@assess_group.command("juries")
@click.pass_obj
def juries_command(workspace: Workspace) -> None:
    """Liste les jurys et leur composition."""
    from watcher.jobs import assess as jobs  # the store, the exports: when run

    load(workspace)
    with open_workspace(workspace) as w:
        juries = jobs.prepared(w, _now()).juries()
    if not juries:
        out.print(
            'Aucun jury enregistré. Pour en créer un : watcher assess jury-add --name "Jury bloc '
            '1" --date AAAA-MM-JJ --member "Nom;courriel;professionnel" --member '
            '"Nom;courriel;formation" (autant de professionnels que de membres de l\'organisme).',
            markup=False,
        )
    for jury in juries:
        issues = jury_issues(jury)
        state = "conforme" if not issues else "; ".join(issues)
        out.print(f"[bold]n° {jury.id}[/] {jury.name} — {date_fr(jury.session_date)} — {state}")
        for m in jury.members:
            out.print(f"    {m.name} <{m.email}> — {m.quality}, {m.organisation}", markup=False)


@assess_group.command("record")
@click.option("--as", "as_email", required=True, help="Évaluateur (ou tuteur) qui évalue.")
@click.option("--learner", required=True, help="Courriel de l'apprenant.")
@click.option("--competence", required=True, help="C1 … C7.")
@click.option("--level", type=click.IntRange(0, 4), required=True, help="Niveau atteint, de 0 à 4.")
@click.option("--comment", default="", help=COMMENT_HELP)
@click.option(
    "--grid",
    "grid_id",
    default=None,
    help="Grille (watcher assess grids) ; défaut : bloc1-tuteur pour un tuteur, sinon bloc1-jury.",
)
@click.option(
    "--jury", "jury_id", type=int, default=None, help="Numéro du jury (watcher assess juries)."
)
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
    from watcher.jobs import assess as jobs  # the store, the exports: when run

    watch = load(workspace)
    with open_workspace(workspace) as w:
        viewer = jobs.viewer_for(w, watch, as_email)
        chosen = grid_id or ("bloc1-tuteur" if viewer.role == "tutor" else "bloc1-jury")
        saved = jobs.record_assessment(
            w,
            viewer,
            grid_id=chosen,
            learner=learner,
            group_id=jobs.learner_group(watch, learner),
            competence=competence.upper(),
            level=level,
            comment=comment,
            now=_now(),
            jury_id=jury_id,
        )
        command, which = f"watcher assess sign {saved.id} --as {viewer.email}", ""
        if saved.jury_id is None and w.assessments.grid(saved.grid_id).kind == "jury":
            # a jury's record is signed with the jury: without it the command is refused
            mine = [j.id for j in w.assessments.juries() if j.member(viewer.email) is not None]
            command += f" --jury {mine[0]}" if len(mine) == 1 else " --jury N"
            which = "" if len(mine) == 1 else " (N : votre jury, `watcher assess juries`)"
    out.print(
        f"Évaluation n° {saved.id} (brouillon, version {saved.version}) : {saved.learner} "
        f"{saved.competence} = {saved.level}. Signez-la avec `{command}`{which}."
    )


@assess_group.command("sign")
@click.argument("record_id", metavar="NUMÉRO", type=int)
@click.option("--as", "as_email", required=True, help=AS_HELP)
@click.option("--jury", "jury_id", type=int, default=None, help="Jury d'un brouillon sans jury.")
@click.pass_obj
def sign_command(workspace: Workspace, record_id: int, as_email: str, jury_id: int | None) -> None:
    """Signe une évaluation : elle est ensuite verrouillée."""
    from watcher.jobs import assess as jobs  # the store, the exports: when run

    watch = load(workspace)
    with open_workspace(workspace) as w:
        viewer = jobs.viewer_for(w, watch, as_email)
        signed = jobs.sign_assessment(w, viewer, record_id, _now(), jury_id=jury_id)
    out.print(f"Évaluation n° {signed.id} signée par {signed.signed_by} : verrouillée.")


@assess_group.command("correct")
@click.argument("record_id", metavar="NUMÉRO", type=int)
@click.option("--as", "as_email", required=True, help=AS_HELP)
@click.option("--level", type=click.IntRange(0, 4), required=True, help="Niveau corrigé, de 0 à 4.")
@click.option("--comment", default="", help=COMMENT_HELP)
@click.option("--reason", required=True, help="Motif de la correction (gardé dans l'historique).")
@click.pass_obj
def correct_command(
    workspace: Workspace, record_id: int, as_email: str, level: int, comment: str, reason: str
) -> None:
    """Corrige une évaluation signée : nouvelle version, l'ancienne reste dans l'historique."""
    from watcher.jobs import assess as jobs  # the store, the exports: when run

    watch = load(workspace)
    with open_workspace(workspace) as w:
        viewer = jobs.viewer_for(w, watch, as_email)
        fixed = jobs.correct_assessment(
            w, viewer, record_id, level=level, comment=comment, reason=reason, now=_now()
        )
    out.print(
        f"Correction n° {fixed.id} (version {fixed.version}, brouillon) de l'évaluation "
        f"n° {record_id}. Signez-la pour qu'elle entre en vigueur : `watcher assess sign "
        f"{fixed.id} --as {viewer.email}`."
    )


@assess_group.command("publish")
@click.option("--as", "as_email", required=True, help=AS_HELP)
@click.option("--group", "group_id", default=None, help="Seulement ce groupe (sinon tous).")
@click.pass_obj
def publish_command(workspace: Workspace, as_email: str, group_id: str | None) -> None:
    """Publie aux apprenants et à leur tuteur les évaluations signées et les décisions du jury."""
    from watcher.jobs import assess as jobs  # the store, the exports: when run

    watch = load(workspace)
    if group_id:
        group_of(watch, group_id)  # Unknown (exit 2), not an empty list
    with open_workspace(workspace) as w:
        viewer = jobs.viewer_for(w, watch, as_email)
        published = jobs.publish_assessments(w, viewer, group_id=group_id, now=_now())
    said = counted(published.records, "évaluation publiée", "évaluations publiées")
    if published.decisions:
        said += ", " + counted(
            published.decisions, "décision du jury publiée", "décisions du jury publiées"
        )
    out.print(f"{said}.")


@assess_group.command("decide")
@click.option("--as", "as_email", required=True, help=AS_HELP)
@click.option(
    "--jury", "jury_id", type=int, required=True, help="Numéro du jury (watcher assess juries)."
)
@click.option("--learner", required=True, help="Courriel de l'apprenant.")
@click.option("--date", "decided", required=True, help="Date de la décision (AAAA-MM-JJ).")
@click.option(
    "--outcome", type=Words(OUTCOMES), required=True, help="Décision du jury sur le bloc."
)
@click.option("--comment", default="", help="Commentaire gardé avec la décision.")
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
    from watcher.jobs import assess as jobs  # the store, the exports: when run

    watch = load(workspace)
    with open_workspace(workspace) as w:
        viewer = jobs.viewer_for(w, watch, as_email)
        decision = jobs.record_decision(
            w,
            viewer,
            jury_id=jury_id,
            learner=learner,
            group_id=jobs.learner_group(watch, learner),
            decided_on=iso_day(decided, "--date"),
            outcome=outcome,
            now=_now(),
            comment=comment,
        )
    until = f", valable jusqu'au {date_fr(decision.valid_until)}" if decision.valid_until else ""
    out.print(f"Décision n° {decision.id} : {decision.learner} — {decision.outcome}{until}.")
    out.print(
        "L'apprenant et son tuteur la verront quand les évaluations du groupe seront publiées : "
        f"`watcher assess publish --group {decision.group_id} --as {viewer.email}`."
    )


@assess_group.command("list")
@click.option("--as", "as_email", default=None, help=AS_READ_HELP)
@click.option("--learner", default=None, help="Seulement cet apprenant (courriel).")
@click.option("--group", "group_id", default=None, help="Seulement ce groupe.")
@click.pass_obj
def list_command(
    workspace: Workspace, as_email: str | None, learner: str | None, group_id: str | None
) -> None:
    """Liste les évaluations (toutes les versions) que l'on a le droit de voir."""
    from watcher.jobs import assess as jobs  # the store, the exports: when run

    watch = load(workspace)
    if group_id:
        group_of(watch, group_id)  # Unknown (exit 2), not an empty list
    with open_workspace(workspace) as w:
        viewer = jobs.viewer_for(w, watch, as_email)
        email = jobs.known_learner(w, watch, learner) if learner else None
        found = jobs.records_for(w, viewer, learner=email, group_id=group_id)
    if not found:
        out.print("Aucune évaluation visible.")
    tz = watch.watch.timezone
    for r in found:
        state = (
            f"signée le {clock(r.signed_at, tz)} par {r.signed_by}"
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
@click.option(
    "--format", "fmt", type=Words(ASSESS_FORMATS), required=True, help="Format du fichier."
)
@click.option("--as", "as_email", default=None, help=AS_READ_HELP)
@click.option("--learner", default=None, help="Un apprenant (sinon toute la cohorte).")
@click.option("--group", "group_id", default=None, help="Seulement ce groupe.")
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Où écrire : un dossier (le fichier y prend son nom, evaluations-….<format>), ou le "
    "fichier lui-même (notes.csv). Défaut : le dossier reports/evaluations/.",
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
    from watcher.jobs import assess as jobs  # the store, the exports: when run

    watch = load(workspace)
    if group_id:
        group_of(watch, group_id)  # Unknown (exit 2), not an empty list
    with open_workspace(workspace) as w:
        viewer = jobs.viewer_for(w, watch, as_email)
        exported = jobs.export_assessments(
            w, watch, viewer, fmt, learner=learner, group_id=group_id, now=_now()
        )
    target = output_paths(out_path, workspace.reports / "evaluations", {fmt: exported.filename})[
        fmt
    ]
    write_atomically(target, exported.data)
    if as_json:
        print_json(
            {
                "format": fmt,
                "path": str(target),
                "records": exported.records,
                "decisions": exported.decisions,
                "learner": learner,
                "group": group_id,
            }
        )
        return
    done = counted(exported.records, "évaluation exportée", "évaluations exportées")
    out.print(f"{done} : {target}", markup=False)
