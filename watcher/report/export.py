"""The dossier in every format and the assessment exports (bytes; nothing is written here).

`render` turns a `Dossier` into HTML (Jinja, templates/report/), PDF (WeasyPrint, from that
HTML), DOCX (`report.dossier_docx`) and XLSX (`report.dossier_xlsx`); the assessment records
are exported as CSV, XLSX and PDF. The use cases of `watcher.jobs.dossier` and
`watcher.jobs.assess` read the store and write the files. Every cell of a CSV or XLSX goes
through `watcher.report.spreadsheet.inert_cell`: a text that a spreadsheet would take for a
formula stays text.
"""

from __future__ import annotations

import base64
import csv
import gc
import io
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from watcher.assess.rules import (
    BLOCK_LABEL,
    QUALITY_LABELS,
    current_orals,
    current_records,
    learner_sheets,
    oral_seal_intact,
    seal_intact,
)
from watcher.errors import Unknown
from watcher.model import Decision, Grid, Jury, OralRecord, Record
from watcher.plural import counted, plural
from watcher.report.dossier import (
    EXPORT_FORMATS,
    VERIF_HEADERS,
    Dossier,
    fr_date,
)
from watcher.report.dossier_docx import render_docx
from watcher.report.dossier_xlsx import render_xlsx
from watcher.report.spreadsheet import add_sheet, inert_row
from watcher.verify.embed import embed_opc, html_script, pdf_attachment

if TYPE_CHECKING:
    from watcher.report.charts import Chart

MIME = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


# --- HTML and PDF ---------------------------------------------------------------------------------

_env: Environment | None = None


def environment() -> Environment:
    global _env
    if _env is None:
        _env = Environment(
            loader=PackageLoader("watcher", "templates/report"),
            autoescape=select_autoescape(["html"]),
            trim_blocks=False,
            lstrip_blocks=False,
        )
        _env.filters["counted"] = counted  # « 1 source », « 2 sources » (watcher.plural)
        _env.filters["plural"] = plural
    return _env


def _css() -> str:
    loader = environment().loader
    assert loader is not None
    source, _, _ = loader.get_source(environment(), "report.css")
    return source


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_html(dossier: Dossier, charts: Sequence[Chart]) -> str:
    template = environment().get_template("dossier.html")
    return template.render(
        d=dossier,
        manifest=Markup(html_script(dossier.seal.envelope)) if dossier.seal else "",
        charts={
            c.key: {"title": c.title, "caption": c.caption, "src": _data_uri(c.png)} for c in charts
        },
        css=_css(),
        verif=VERIF_HEADERS,
    )


class _GcPause:
    """Renders under way that paused the cyclic GC, and whether it was on before the first."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.renders = 0
        self.was_enabled = False


_gc_pause = _GcPause()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while WeasyPrint makes a PDF (issue 24).

    The hundreds of thousands of boxes a long document makes trigger the collector's full
    collections again and again, each walking every live object of the process — a quarter of
    the dossier's CPU — and they free next to nothing (the boxes go by reference counting: the
    peak memory grew by 3 MiB). Process-wide: the collector stays off while any render runs
    (the web app renders in threads) and comes back when the last one ends, unless it was off
    before the first."""
    with _gc_pause.lock:
        if _gc_pause.renders == 0:
            _gc_pause.was_enabled = gc.isenabled()
            gc.disable()
        _gc_pause.renders += 1
    try:
        yield
    finally:
        with _gc_pause.lock:
            _gc_pause.renders -= 1
            if _gc_pause.renders == 0 and _gc_pause.was_enabled:
                gc.enable()


def html_to_pdf(html: str, attachments: Sequence[Any] = ()) -> bytes:
    from weasyprint import HTML

    with gc_paused():
        pdf = HTML(string=html, base_url=".").write_pdf(attachments=list(attachments))
    assert pdf is not None
    return bytes(pdf)


# --- the dossier in every format ------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedDossier:
    dossier: Dossier
    charts: tuple[Chart, ...]
    files: dict[str, bytes]  # format → bytes


def check_formats(formats: Sequence[str], known: Sequence[str] = EXPORT_FORMATS) -> None:
    """At least one format, each one of ``known`` (the dossier's by default; Unknown, naming
    them, if not)."""
    unknown = [f for f in formats if f not in known]
    choices = f"(formats possibles : {', '.join(known)})."
    if not formats:
        raise Unknown(f"Aucun format demandé {choices}")
    if unknown:
        raise Unknown(f"Format inconnu : {', '.join(unknown)} {choices}")


def render(dossier: Dossier, formats: Sequence[str] = EXPORT_FORMATS) -> RenderedDossier:
    from watcher.report.charts import dossier_charts  # matplotlib: only to render

    check_formats(formats)
    charts = dossier_charts(dossier)
    files: dict[str, bytes] = {}
    html: str | None = None
    if "html" in formats or "pdf" in formats:
        html = render_html(dossier, charts)
    if "html" in formats and html is not None:
        files["html"] = html.encode("utf-8")
    seal = dossier.seal  # the signed manifest, embedded in every format (watcher.verify)
    if "pdf" in formats and html is not None:
        files["pdf"] = html_to_pdf(html, [pdf_attachment(seal.envelope)] if seal else [])
    if "docx" in formats:
        files["docx"] = render_docx(dossier, charts)
        if seal:
            files["docx"] = embed_opc(files["docx"], seal.envelope)
    if "xlsx" in formats:
        files["xlsx"] = render_xlsx(dossier, charts)
    return RenderedDossier(dossier, charts, files)


def render_key(dossier: Dossier) -> Dossier:
    """What the rendered files show: the dossier but the minute it was generated and its signed
    manifest (which says that minute). Two dossiers
    with equal keys (same group, period, store state and day) render to the same files, which
    the web app therefore makes once (`watcher.web.render_cache`)."""
    return replace(dossier, cover=replace(dossier.cover, generated=""), seal=None)


def dossier_filename(group_id: str, start: date, end: date, fmt: str) -> str:
    return f"dossier-{start.isoformat()}-{end.isoformat()}.{fmt}"


# --- assessment exports ---------------------------------------------------------------------------

CSV_HEADERS = (
    "apprenant",
    "nom",
    "groupe",
    "grille",
    "competence",
    "intitule",
    "version",
    "niveau",
    "libelle_niveau",
    "commentaire",
    "auteur",
    "cree_le",
    "signe_par",
    "signe_le",
    "publie_le",
    "corrige_la_version",
    "motif_correction",
    "en_vigueur",
    "sceau_valide",
    # the oral (issue 21): one row per competence of each version of a record of an oral
    "epreuve",
    "date_oral",
    "duree_min",
    "jury",
    "questions",
    "qualite_reponses",
)


# The same columns in the XLSX, which people read in a spreadsheet (the CSV's names are for
# programs: its header stays as it is)
XLSX_HEADERS = (
    "Apprenant",
    "Nom",
    "Groupe",
    "Grille",
    "Compétence",
    "Intitulé",
    "Version",
    "Niveau",
    "Libellé du niveau",
    "Commentaire",
    "Auteur",
    "Créée le",
    "Signée par",
    "Signée le",
    "Publiée le",
    "Corrige la version",
    "Motif de la correction",
    "En vigueur",
    "Sceau valide",
    "Épreuve",
    "Date de l'oral",
    "Durée (min)",
    "Jury",
    "Questions",
    "Qualité des réponses",
)
_MOMENTS = tuple(CSV_HEADERS.index(h) for h in ("cree_le", "signe_le", "publie_le"))
_DAYS = (CSV_HEADERS.index("date_oral"),)
MOMENT_FORMAT, DAY_FORMAT = "DD/MM/YYYY HH:MM", "DD/MM/YYYY"


def _readable(rows: Sequence[Sequence[Any]], tz: tzinfo) -> list[tuple[Any, ...]]:
    """CSV rows as the XLSX shows them: its ISO times as dates and times on the watch's clock
    (`tz`; a spreadsheet sorts and filters them as such), to the minute."""
    readable = []
    for row in rows:
        cells = list(row)
        for n in _MOMENTS:
            if cells[n]:
                moment = datetime.fromisoformat(cells[n]).astimezone(tz)
                cells[n] = moment.replace(tzinfo=None, second=0, microsecond=0)
        for n in _DAYS:
            if cells[n]:
                cells[n] = date.fromisoformat(cells[n])
        readable.append(tuple(cells))
    return readable


def _dates_shown(sheet: Any) -> Any:
    """Date cells shown as people write them: dd/mm/yyyy, with hh:mm when they hold a time."""
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):
                has_time = (cell.value.hour, cell.value.minute) != (0, 0)
                cell.number_format = MOMENT_FORMAT if has_time else DAY_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DAY_FORMAT
    return sheet


def _iso(moment: datetime | date | None) -> str:
    return moment.isoformat() if moment else ""


def _version_cells(
    r: Record | OralRecord, names: Mapping[str, str], in_force: bool, intact: bool
) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The columns of CSV_HEADERS a written record and an oral fill alike: whose record on which
    grid (« apprenant » to « grille »), then its version's history (« auteur » to
    « sceau_valide »)."""
    whose = (r.learner, names.get(r.learner, ""), r.group_id, r.grid_id)
    history = (
        r.author,
        _iso(r.created_at),
        r.signed_by,
        _iso(r.signed_at),
        _iso(r.published_at),
        r.supersedes or "",
        r.reason,
        "oui" if in_force else "non",
        ("oui" if intact else "NON") if r.signed else "",
    )
    return whose, history


def assessment_rows(
    records: Sequence[Record], grids: Mapping[str, Grid], names: Mapping[str, str]
) -> list[tuple[Any, ...]]:
    current = {r.id for r in current_records(records)}
    rows = []
    for r in sorted(records, key=lambda r: (r.learner, r.grid_id, r.competence, r.version)):
        grid = grids.get(r.grid_id)
        whose, history = _version_cells(r, names, r.id in current, seal_intact(r))
        rows.append(
            (
                *whose,
                r.competence,
                grid.competence(r.competence).label if grid else "",
                r.version,
                r.level,
                grid.level(r.level).label if grid else "",
                r.comment,
                *history,
                "écrit",
                "",
                "",
                "",
                "",
                "",
            )
        )
    return rows


def oral_rows(
    orals: Sequence[OralRecord],
    grids: Mapping[str, Grid],
    names: Mapping[str, str],
    juries: Mapping[int, Jury],
) -> list[tuple[Any, ...]]:
    """The records of the orals in the columns of CSV_HEADERS: one row per competence observed
    (the level empty where the grid gives none at the oral)."""
    current = {o.id for o in current_orals(orals)}
    rows = []
    for o in sorted(orals, key=lambda o: (o.learner, o.grid_id, o.version)):
        grid = grids.get(o.grid_id)
        jury = juries.get(o.jury_id) if o.jury_id is not None else None
        whose, history = _version_cells(o, names, o.id in current, oral_seal_intact(o))
        for m in o.marks or ():
            rows.append(
                (
                    *whose,
                    m.competence,
                    grid.competence(m.competence).label if grid else "",
                    o.version,
                    m.level if m.level is not None else "",
                    grid.level(m.level).label if grid and m.level is not None else "",
                    m.observation,
                    *history,
                    "oral",
                    _iso(o.held_on),
                    o.duration,
                    jury.name if jury else "",
                    o.questions,
                    o.answers,
                )
            )
    return rows


def assessments_csv(
    records: Sequence[Record],
    grids: Mapping[str, Grid],
    names: Mapping[str, str],
    orals: Sequence[OralRecord] = (),
    juries: Mapping[int, Jury] | None = None,
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(inert_row(CSV_HEADERS))
    writer.writerows(inert_row(row) for row in assessment_rows(records, grids, names))
    writer.writerows(inert_row(row) for row in oral_rows(orals, grids, names, juries or {}))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def assessments_xlsx(
    records: Sequence[Record],
    decisions: Sequence[Decision],
    grids: Mapping[str, Grid],
    juries: Mapping[int, Jury],
    names: Mapping[str, str],
    orals: Sequence[OralRecord] = (),
    *,
    tz: tzinfo = UTC,
) -> bytes:
    """The records as a workbook for people: a sheet of levels per grid, then every version
    (« Historique », « Oral »: the CSV's columns with French headings, times on the watch's
    clock, `tz`), the decisions and the juries."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    current = current_records(records)
    learners = sorted({r.learner for r in records})
    for grid in grids.values():
        mine = [r for r in current if r.grid_id == grid.id]
        if not mine:
            continue
        levels = {(r.learner, r.competence): r.level for r in mine}
        add_sheet(
            workbook,
            ("Synthèse " + grid.kind)[:31],
            ["Apprenant", "Nom", *[c.code for c in grid.competences]],
            [
                (
                    learner,
                    names.get(learner, ""),
                    *[levels.get((learner, c.code)) for c in grid.competences],
                )
                for learner in learners
                if any(k[0] == learner for k in levels)
            ],
            widths=(32, 24, *([8] * len(grid.competences))),
        )
    add_sheet(
        workbook,
        "Historique",
        XLSX_HEADERS,
        _readable(assessment_rows(records, grids, names), tz),
        widths=(30, 22, 10, 14, 10, 40, 8, 7, 18, 50, 28, 22, 28, 22, 22, 10, 30, 10, 10, 8),
    )
    if orals:
        add_sheet(
            workbook,
            "Oral",
            XLSX_HEADERS,
            _readable(oral_rows(orals, grids, names, juries), tz),
            widths=(
                30,
                22,
                10,
                14,
                10,
                40,
                8,
                7,
                18,
                50,
                28,
                22,
                28,
                22,
                22,
                10,
                30,
                10,
                10,
                8,
                12,
                8,
                24,
                50,
                50,
            ),
        )
    add_sheet(
        workbook,
        "Décisions",
        [
            "Apprenant",
            "Nom",
            "Groupe",
            "Bloc",
            "Jury",
            "Décision",
            "Date",
            "Valable jusqu'au",
            "Commentaire",
            "Enregistrée par",
            "Remplace",
        ],
        [
            (
                d.learner,
                names.get(d.learner, ""),
                d.group_id,
                d.block,
                juries[d.jury_id].name if d.jury_id in juries else d.jury_id,
                d.outcome,
                d.decided_on,
                d.valid_until,
                d.comment,
                d.recorded_by,
                d.supersedes or "",
            )
            for d in decisions
        ],
        widths=(30, 22, 10, 18, 24, 12, 12, 14, 40, 28, 10),
    )
    add_sheet(
        workbook,
        "Jurys",
        ["Jury", "Session", "Nom", "Courriel", "Qualité", "Organisation", "Rôle"],
        [
            (
                j.name,
                j.session_date,
                m.name,
                m.email,
                QUALITY_LABELS[m.quality],
                m.organisation,
                m.role,
            )
            for j in juries.values()
            for m in j.members
        ],
        widths=(24, 12, 24, 30, 36, 26, 12),
    )
    for sheet in workbook.worksheets:
        _dates_shown(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def assessments_pdf(
    records: Sequence[Record],
    decisions: Sequence[Decision],
    grids: Mapping[str, Grid],
    juries: Mapping[int, Jury],
    names: Mapping[str, str],
    *,
    title: str,
    scope: str,
    now: datetime,
    orals: Sequence[OralRecord] = (),
    people: Mapping[str, str] | None = None,
    tz: tzinfo = UTC,
    groups: Mapping[str, str] | None = None,
    published_only: bool = False,
) -> bytes:
    """The records as a PDF for people: signers by name (`people`: e-mail → name), groups by
    name (`groups`: id → name), grids by name, and times on the watch's clock (`tz`), as the
    assessments page shows them; `published_only`: for a learner or a tutor, who see the jury's
    records once published (a decision's basis then says « aucune évaluation publiée », not
    « signée »)."""
    from watcher.assess.rules import decision_basis

    who = {**names, **(people or {})}

    template = environment().get_template("assessments.html")
    used_juries = (
        {r.jury_id for r in records} | {d.jury_id for d in decisions} | {o.jury_id for o in orals}
    )
    seal_ok: Callable[[Record], bool] = seal_intact
    html = template.render(
        title=title,
        scope=scope,
        block=BLOCK_LABEL,
        generated=fr_date(now.astimezone(tz).date()),
        who=lambda email: who.get(email.lower(), email) if email else "",
        when=lambda moment: moment.astimezone(tz).strftime("%d/%m/%Y %H:%M") if moment else "",
        sheets=learner_sheets(records, decisions, names, orals),
        basis=lambda d: decision_basis(d, records, orals),
        oral_seal_ok=oral_seal_intact,
        grids=grids,
        groups=groups or {},
        juries={k: v for k, v in juries.items() if k in used_juries},
        qualities=QUALITY_LABELS,
        css=_css(),
        seal_ok=seal_ok,
        seen="publiée" if published_only else "signée",
        seen_oral="publié" if published_only else "signé",
    )
    return html_to_pdf(html)
