"""The dossier as an XLSX workbook (openpyxl): one sheet per table a group reuses in a
spreadsheet or a CRM — plan de veille, source grid, references, actions, evidence — and the
charts. Every cell goes through `spreadsheet.inert_cell` (`add_sheet` does it)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from watcher.report.dossier import VERIF_HEADERS, Dossier
from watcher.report.spreadsheet import add_sheet, inert_cell
from watcher.verify.embed import add_xlsx_sheet

if TYPE_CHECKING:
    from watcher.report.charts import Chart


_DAY = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
DAY_FORMAT = "DD/MM/YYYY"  # how a date cell shows: as the dossier writes dates


def _day(text: str) -> date | str:
    """A date the dossier wrote « 30/11/2026 » as a date (a spreadsheet sorts and filters it
    as one), anything else as it is."""
    found = _DAY.fullmatch(text)
    return date(int(found[3]), int(found[2]), int(found[1])) if found else text


def _date_cells(sheet: Any) -> Any:
    """Date cells shown dd/mm/yyyy (openpyxl's default is yyyy-mm-dd)."""
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.is_date:
                cell.number_format = DAY_FORMAT
    return sheet


def _sheet(workbook: Any, title: str, headers: Sequence[str], rows: Any, **options: Any) -> Any:
    """`spreadsheet.add_sheet`, its date cells shown dd/mm/yyyy."""
    return _date_cells(add_sheet(workbook, title, headers, rows, **options))


def _plan(workbook: Any, d: Dossier) -> None:
    _sheet(
        workbook,
        "Plan de veille",
        [
            "Axe",
            "Mots-clés / équation",
            "Source",
            "URL",
            "Type",
            "Note fiabilité",
            "Fréquence",
            "Outil",
            "Responsable",
            "Destinataires",
        ],
        [
            (
                r.axis,
                r.keywords,
                r.source,
                r.url,
                r.level,
                r.rating,
                r.frequency,
                r.tool,
                r.owner,
                r.recipients,
            )
            for r in d.plan
        ],
        widths=(22, 40, 28, 40, 11, 12, 18, 30, 28, 40),
        link_column=3,
    )


def _sources(workbook: Any, d: Dossier) -> None:
    _sheet(
        workbook,
        "Grille des sources",
        [
            "Source",
            "URL",
            "Outil",
            "Type",
            "Axes",
            *[label for _, label in VERIF_HEADERS],
            "Total /15",
            "Collectés",
            "Retenus",
            "Comptés",
            "État",
            "Fréquence",
            "Collectes (période)",
            "Échecs (période)",
        ],
        [
            (
                s.name,
                s.url,
                s.kind,
                s.level,
                s.axes,
                *(s.criteria if s.criteria else (None,) * 5),
                s.total,
                s.collected,
                s.retained,
                s.unit,
                s.state,
                s.frequency,
                s.attempts,
                s.failed_attempts,
            )
            for s in d.sources
        ],
        widths=(30, 40, 28, 11, 26, 11, 11, 11, 11, 11, 10, 10, 10, 20, 40, 18, 12, 12),
        link_column=1,
    )


def _references(workbook: Any, d: Dossier) -> None:
    _sheet(
        workbook,
        "Références",
        [
            "Nature",
            "Référence",
            "Citation (Ref-Lex)",
            "Clé",
            "Lien",
            "Lien officiel",
            "Première collecte",
            "Articles",
            "Retenus",
            "N° des articles",
        ],
        [
            (
                r.nature,
                r.label,
                r.cited,
                r.key,
                r.url,
                "oui" if r.official else "non (recherche)",
                _day(r.first_seen),
                len(r.items),
                r.retained,
                ", ".join(str(i.id) for i in r.items),
            )
            for r in d.legal
        ],
        widths=(22, 36, 36, 30, 50, 14, 11, 9, 9, 20),
        link_column=4,
    )


def _actions(workbook: Any, d: Dossier) -> None:
    _sheet(
        workbook,
        "Actions",
        ["Action proposée", "Axe", "Article", "URL", "Responsable", "Échéance", "Suivi"],
        [
            (a.action, a.axis, a.item.title, a.item.url, a.owner, _day(a.deadline), a.status)
            for a in d.actions
        ],
        widths=(50, 22, 40, 40, 20, 12, 16),
        link_column=3,
    )


def _prices(workbook: Any, d: Dossier) -> None:
    if not d.prices:
        return
    rows: list[tuple[Any, ...]] = []
    for h in d.prices:
        rows += [
            (
                h.product,
                _day(p.day),
                p.price,
                p.change,
                p.amount,
                h.currency,
                f"n° {p.item.id}" if p.item else "",
                h.url,
            )
            for p in h.points
        ]
        if h.gone:  # the page no longer answers: its last price is not on line any more
            rows.append((h.product, _day(h.gone_day), "", h.gone, None, "", "", h.url))
    _sheet(
        workbook,
        "Prix",
        ["Page surveillée", "Date", "Prix", "Évolution", "Montant", "Devise", "Article", "URL"],
        rows,
        widths=(30, 12, 14, 34, 10, 8, 12, 40),
        link_column=7,
    )


def _evidence(workbook: Any, d: Dossier) -> None:
    _sheet(
        workbook,
        "Preuves par compétence",
        ["Compétence", "Intitulé", "Ce que montre la veille", "N° des articles"],
        [
            (c.code, c.label, f.text, ", ".join(str(i.id) for i in f.items))
            for c in d.evidence
            for f in c.facts
        ],
        widths=(10, 50, 70, 30),
    )


def _charts(workbook: Any, charts: Sequence[Chart]) -> None:
    from openpyxl.drawing.image import Image

    sheet = workbook.create_sheet("Graphiques")
    row = 1
    for chart in charts:
        sheet.cell(row=row, column=1, value=inert_cell(chart.title))
        image = Image(io.BytesIO(chart.png))
        image.width, image.height = image.width * 0.45, image.height * 0.45
        sheet.add_image(image, f"A{row + 1}")
        row += int(image.height / 20) + 4


def render_xlsx(dossier: Dossier, charts: Sequence[Chart] = ()) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in (_plan, _sources, _references, _actions, _prices, _evidence):
        sheet(workbook, dossier)
    if charts:
        _charts(workbook, charts)
    workbook.properties.title = f"Plan de veille — {dossier.cover.group_name}"
    workbook.properties.creator = "Watcher"
    if dossier.seal:  # the signed manifest: a very hidden sheet, its code in every footer
        code = f"Code de vérification : {dossier.seal.code} (watcher verify)"
        workbook.properties.identifier = dossier.seal.code
        workbook.properties.description = code
        for sheet in workbook.worksheets:
            sheet.oddFooter.left.text = code
        add_xlsx_sheet(workbook, dossier.seal.envelope)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
