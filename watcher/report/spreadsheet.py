"""What goes into a cell of the CSV and XLSX files Watcher writes (pure).

Spreadsheets take a cell that starts with `=`, `+`, `-` or `@` (and, on import, a tab or a
carriage return) for a formula: a feed title `=HYPERLINK("http://…","Cliquez")` or a comment
`=cmd|' /C calc'!A0` would run in the tutor's Excel or LibreOffice. `inert_cell` applies OWASP's
rule to every text cell: such a text gets a leading apostrophe, so it is shown as text and never
evaluated. Numbers, dates and empty cells are left as they are (a number stays a number).

Every CSV and XLSX writer of the project passes its cells through `inert_cell` (or `inert_row`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: Any) -> Any:
    """The value to write in a cell: a text a spreadsheet would evaluate gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def inert_row(values: Iterable[Any]) -> list[Any]:
    return [inert_cell(value) for value in values]
