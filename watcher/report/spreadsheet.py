"""What goes into a cell of the CSV and XLSX files Watcher writes (pure).

Spreadsheets take a cell that starts with `=`, `+`, `-` or `@` (and, on import, a tab or a
carriage return) for a formula: a feed title `=HYPERLINK("http://…","Cliquez")` or a comment
`=cmd|' /C calc'!A0` would run in the tutor's Excel or LibreOffice. `inert_cell` applies OWASP's
rule to every text cell: such a text gets a leading apostrophe, so it is shown as text and never
evaluated. Numbers, dates and empty cells are left as they are (a number stays a number).

Every CSV and XLSX writer of the project passes its cells through `inert_cell` (or `inert_row`);
the XLSX ones write their sheets with `add_sheet`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: Any) -> Any:
    """The value to write in a cell: a text a spreadsheet would evaluate gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def inert_row(values: Iterable[Any]) -> list[Any]:
    return [inert_cell(value) for value in values]


def add_sheet(
    workbook: Any,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    widths: Sequence[int] = (),
    link_column: int | None = None,
) -> Any:
    """A sheet of a workbook (openpyxl): a bold header row that stays in view, wrapped cells,
    column widths, a filter, and the URLs of `link_column` as hyperlinks."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    sheet.append(inert_row(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="1D3557")
        cell.fill = PatternFill("solid", fgColor="E8EEF6")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(inert_row("" if v is None else v for v in row))
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if link_column is not None:
        for row_cells in sheet.iter_rows(
            min_row=2, min_col=link_column + 1, max_col=link_column + 1
        ):
            for cell in row_cells:
                if isinstance(cell.value, str) and cell.value.startswith("http"):
                    cell.hyperlink = cell.value
                    cell.style = "Hyperlink"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    return sheet
