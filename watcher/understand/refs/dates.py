"""The dates references are written with (« 9 juin 2023 », « 1er août 2001 », « 25/02/2026 »)."""

from __future__ import annotations

import datetime
import re

from watcher.understand.refs.table import _fold

# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "juill": 7, "aout": 8, "septembre": 9,
    "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}  # fmt: skip

# the months as written in dates (full or abbreviated)
_MONTH_NAMES = (
    r"janvier|janv\.|f[ée]vrier|f[ée]vr\.|mars|avril|avr\.|mai|juin"
    r"|juillet|juil\.|juill\.|ao[ûu]t|septembre|sept\.|octobre|oct\.|novembre|nov\.|d[ée]cembre"
    r"|d[ée]c\."
)
# « 9 juin 2023 », « 1er août 2001 », « 16 févr. 2015 », « 25/02/2026 »
_DATE = (
    # (« 1ermars 2016 »: glued after « 1er », as some pages are extracted)
    r"(?:(?P<dd>1er|1°|[0-3]?\d)(?: |(?<=1er)(?=[a-zéûA-Z]))"
    r"(?P<mon>" + _MONTH_NAMES + r") (?P<yyyy>1[89]\d\d|20\d\d)"
    r"|(?P<dnd>[0-3]?\d)(?P<dsep>[/.-])(?P<dnm>[01]?\d)(?P=dsep)(?P<dny>1[89]\d\d|20\d\d)"
    # « 14/06/17 »: a year in two digits, with slashes only (not « 21/04/794 », a number)
    r"|(?P<snd>[0-3]?\d)/(?P<snm>[01]?\d)/(?P<sny>\d\d)(?![/\w]))(?!\d)"
)


def _parse_date(m: re.Match[str]) -> datetime.date | None:
    try:
        if m.group("yyyy"):
            day = 1 if m.group("dd") in ("1er", "1°") else int(m.group("dd"))
            month = _MONTHS[_fold(m.group("mon")).rstrip(".")]
            return datetime.date(int(m.group("yyyy")), month, day)
        if m.group("dny"):
            return datetime.date(int(m.group("dny")), int(m.group("dnm")), int(m.group("dnd")))
        if m.group("sny"):
            yy = int(m.group("sny"))  # 1941-2040: the year bound is the caller's (see core)
            return datetime.date(yy + (2000 if yy <= 40 else 1900), int(m.group("snm")),
                                 int(m.group("snd")))  # fmt: skip
    except (ValueError, KeyError):
        return None
    return None
