"""A candidate reference as the matchers find it, before de-overlapping."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

# --------------------------------------------------------------------------------------------
# Candidates and the matchers
# --------------------------------------------------------------------------------------------


@dataclass
class _Cand:
    start: int  # normalised offsets
    end: int
    kind: str
    key: str
    label: str
    url: str
    link: str
    date: datetime.date | None = None
    group: int = 0  # candidates of one match (lists) share a group: they never compete
    alias_date: datetime.date | None = None  # date known from the data table (common names)
    pinpoint: str = ""
    pinpoint_url: str = ""
    decided: datetime.date | None = None  # a ruling's date, when its number keys it


_NUM_MARK = r"(?:n ?°|N ?°|no\.?|No\.?|NO\.?|nr\.?|n(?= \d)|n o(?= ?\d))"  # « n o »: extraction
# The Latin adverbs of inserted articles (« article 6 bis », « 199 undecies »), longest first.
_LATIN = (
    "quaterdecies|quindecies|sexdecies|septdecies|octodecies|novodecies|terdecies|duodecies"
    "|undecies|quinquies|decies|sexies|septies|octies|nonies|novies|vicies|quater|bis|ter"
)
