"""Dates as sources write them → UTC-aware datetimes (pure).

Feeds use RFC 822 and ISO 8601; French pages and sloppy feeds use « 3 novembre 2026 à 14h30 »,
« 1er déc. 2026 », « 25/02/2026 ». A date without a time zone is read in the watch's zone.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

from watcher.errors import BadValue

MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1,
    "fevrier": 2, "février": 2, "fevr": 2, "févr": 2, "fev": 2, "fév": 2, "feb": 2, "february": 2,
    "mars": 3, "mar": 3, "march": 3,
    "avril": 4, "avr": 4, "apr": 4, "april": 4,
    "mai": 5, "may": 5,
    "juin": 6, "june": 6, "jun": 6,
    "juillet": 7, "juil": 7, "jul": 7, "july": 7,
    "aout": 8, "août": 8, "aug": 8, "august": 8,
    "septembre": 9, "sept": 9, "sep": 9, "september": 9,
    "octobre": 10, "oct": 10, "october": 10,
    "novembre": 11, "nov": 11, "november": 11,
    "decembre": 12, "décembre": 12, "dec": 12, "déc": 12, "december": 12,
}  # fmt: skip

MONTH_NAMES = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


# The house formats (docs/cli.md, « Dates and times »): a moment is written on the watch's
# clock by `clock` (« 27/11/2026 09:30 »), in the commands, the web app, the dossier and
# `watcher verify` alike; a day by `date_fr` (« 27 novembre 2026 »), or by `day_short`
# (« 27/11/2026 ») in a table's cell. JSON output keeps ISO 8601.


def clock(moment: datetime | None, zone: str, *, seconds: bool = False) -> str:
    """A moment as the watch's clock shows it: « 27/11/2026 09:30 » in ``zone`` (« 27/11/2026
    09:30:05 » with `seconds`), « — » if None (not in the machine's own time zone, which a
    server often has at UTC)."""
    shape = "%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M"
    return moment.astimezone(ZoneInfo(zone)).strftime(shape) if moment else "—"


def elapsed(moment: datetime | None, now: datetime, *, english: bool = False) -> str:
    """The time from `moment` to `now` as a person reads it: « 45 s », « 3 min 05 s »,
    « 2 h 05 min », « 3 j 4 h » (« 3 d 4 h » in English); « — » if None."""
    if moment is None:
        return "—"
    return duration((now - moment).total_seconds(), english=english)


def duration(seconds: float | None, *, english: bool = False) -> str:
    """A number of seconds as a person reads it: « 45 s », « 3 min 05 s », « 2 h 05 min »,
    « 3 j 4 h » (« 3 d 4 h » in English); « — » if None."""
    if seconds is None:
        return "—"
    rest = max(0, int(seconds))
    days, rest = divmod(rest, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} {'d' if english else 'j'} {hours} h"
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def day_short(value: date | None) -> str:
    """A day in a table's cell: « 27/11/2026 » ("" for no day)."""
    return f"{value.day:02d}/{value.month:02d}/{value.year}" if value else ""


def date_fr(value: date | None) -> str:
    """« 1er septembre 2026 », « 23 novembre 2026 » ("" for no date)."""
    if value is None:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTH_NAMES[value.month - 1]} {value.year}"


def days_fr(first: date, last: date) -> str:
    """A span of days, the year and month said once when shared: « du 7 au 13 décembre 2026 »,
    « du 30 novembre au 6 décembre 2026 », « du 29 décembre 2025 au 4 janvier 2026 »."""
    start = date_fr(first)
    if first.year == last.year:
        start = start.removesuffix(f" {first.year}")
        if first.month == last.month:
            start = start.removesuffix(f" {MONTH_NAMES[first.month - 1]}")
    return f"du {start} au {date_fr(last)}"


def week_days_fr(monday: date) -> str:
    """The seven days of the week that starts on ``monday``: « du 7 au 13 décembre 2026 »,
    « du 30 novembre au 6 décembre 2026 », « du 29 décembre 2025 au 4 janvier 2026 »."""
    return days_fr(monday, monday + timedelta(days=6))


def week_fr(year: int, week: int) -> str:
    """An ISO week as a person reads it: « semaine 50 (du 7 au 13 décembre 2026) ». Its code
    (2026-W50) stays where it is an identifier: arguments, file names, URLs, JSON."""
    return f"semaine {week} ({week_days_fr(date.fromisocalendar(year, week, 1))})"


def week_code_fr(code: str) -> str:
    """`week_fr` of an ISO week's code, « 2026-W50 »; a text that is not one, as it is."""
    found = re.fullmatch(r"(\d{4})-W(\d{2})", code.strip())
    if found is None:
        return code
    try:
        return week_fr(int(found.group(1)), int(found.group(2)))
    except ValueError:  # no such week (2026-W60)
        return code


def weeks_fr(first: tuple[int, int], last: tuple[int, int]) -> str:
    """ISO weeks from `first` to `last` (year, week), as a person reads them: « semaines 35 à
    49 (du 24 août au 6 décembre 2026) »; one week: `week_fr`."""
    if first == last:
        return week_fr(*first)
    monday = date.fromisocalendar(first[0], first[1], 1)
    sunday = date.fromisocalendar(last[0], last[1], 7)
    return f"semaines {first[1]} à {last[1]} ({days_fr(monday, sunday)})"


_TIME = r"(?:\s*(?:à|a|,|-)?\s*(\d{1,2})\s*(?:h|:)\s*(\d{2})?(?::(\d{2}))?)?"
# a zone written after the time: « mar., 24 juin 2025 08:00:00 GMT » (a French RFC 822 date,
# which the e-mail parser does not read), « 25/02/2026 14:30 +0100 »
_ZONE = r"(?:\s*\b(GMT|UTC|UT|Z)\b|\s*([+-]\d{2}:?\d{2})\b)?"
FRENCH_DATE = re.compile(
    r"(\d{1,2})(?:er)?\s+([a-zéûô]+)\.?\s+(\d{4})" + _TIME + _ZONE, re.IGNORECASE
)
RFC822_COLON_ZONE = re.compile(r"(\s[+-]\d{2}):(\d{2})$")
# RFC 5322's « -0000 »: the time is UTC, the sender's own zone unsaid (art19's podcast feeds);
# the email parser hands it back naive, like a date without any zone
RFC822_UTC_UNSAID = re.compile(r"\s-0000$")
# its year when written in four digits: « 0000 » and « 0001 » are no years of a publication,
# and the email parser, which reads a two-digit year (« 26 ») as 2026, reads them as 2000, 2001
RFC822_YEAR = re.compile(r"\b\d{1,2}\s+[A-Za-z]{3,}\.?\s+(\d{4})\b")
# Zones Europe's feeds name by their abbreviation, which the e-mail parser does not know (it
# knows GMT, UT and the North American ones): « Fri, 17 May 2019 06:00:00 BST » (Sky Sports) is
# British Summer Time. Each is a fixed offset; an abbreviation of several meanings (« IST »:
# India, Ireland, Israel) is left out, and such a date is read in the watch's zone.
NAMED_ZONES = {
    "WET": "+0000", "WEST": "+0100", "BST": "+0100",
    "CET": "+0100", "CEST": "+0200", "MET": "+0100", "MEST": "+0200",
    "EET": "+0200", "EEST": "+0300",
}  # fmt: skip
NAMED_ZONE = re.compile(r"\s(" + "|".join(NAMED_ZONES) + r")$", re.IGNORECASE)
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b" + _TIME + _ZONE)
# the weekday written before a numeric date (French, English, and the Latin languages' short
# names, which agree: « lun », « mar », « dom »…): Monday is 0, as in `date.weekday`
WEEKDAYS = {
    "lundi": 0, "lun": 0, "monday": 0, "mon": 0,
    "mardi": 1, "mar": 1, "tuesday": 1, "tue": 1, "tues": 1,
    "mercredi": 2, "mer": 2, "wednesday": 2, "wed": 2, "mie": 2, "mié": 2,
    "jeudi": 3, "jeu": 3, "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "jue": 3, "gio": 3,
    "vendredi": 4, "ven": 4, "friday": 4, "fri": 4, "vie": 4,
    "samedi": 5, "sam": 5, "saturday": 5, "sat": 5, "sab": 5, "sáb": 5,
    "dimanche": 6, "dim": 6, "sunday": 6, "sun": 6, "dom": 6,
}  # fmt: skip
LEADING_WEEKDAY = re.compile(r"^\s*([^\W\d_]+)\.?\s*,?\s*$")
ISO_DATE = re.compile(
    r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_day(text: str, what: str) -> date:
    """A day typed by a person (2026-09-01); `what` names the value in the error (« --from »).
    Only AAAA-MM-JJ: Python's `date.fromisoformat` also reads « 2026-W48 » (its Monday) and
    « 20261123 », which a person does not mean as one day."""
    try:
        if _ISO_DAY.fullmatch(text.strip()):
            return date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise BadValue(f"{what} : date invalide « {text} » (attendu : AAAA-MM-JJ, ex. 2026-09-01)")


def _aware(dt: datetime, zone: tzinfo) -> datetime:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone)
    return dt.astimezone(UTC)


def _offset(text: str) -> str:
    """« +0100 », « +01:00 » → « +01:00 »."""
    return text if ":" in text else text[:3] + ":" + text[3:]


def _zoned(dt: datetime, name: str | None, offset: str | None, zone: tzinfo) -> datetime:
    """A date read from text, in the zone it names when it names one (only after a time: a
    bare day is the watch's), else in the watch's zone."""
    if name:
        return dt.replace(tzinfo=UTC)
    if offset:
        return datetime.fromisoformat(dt.isoformat() + _offset(offset)).astimezone(UTC)
    return _aware(dt, zone)


def _build(y: int, mo: int, d: int, h: str | None, mi: str | None, s: str | None) -> datetime:
    return datetime(y, mo, d, int(h or 0), int(mi or 0), int(s or 0))


def _day_and_month(first: int, second: int, year: int, before: str) -> tuple[int, int]:
    """(day, month) of a numeric date « first/second/year »: day first, as French sites write
    it, unless the weekday written before it fits only the month-first reading (Drupal's medium
    date, « dim, 05/03/2020 - 11:30 »: Sunday 3 May, not Thursday 5 March)."""
    found = LEADING_WEEKDAY.match(before)
    weekday = WEEKDAYS.get(found.group(1).lower()) if found else None
    if weekday is None or first == second:
        return first, second
    for day, month in ((first, second), (second, first)):
        try:
            if date(year, month, day).weekday() == weekday:
                return day, month
        except ValueError:
            continue
    return first, second


def parse_date(text: str, zone: str = "Europe/Paris") -> datetime | None:
    """Best reading of a date string, or None when it is not a date we can trust."""
    text = " ".join(text.replace("\u00a0", " ").split())
    if not text:
        return None
    tz = ZoneInfo(zone)
    try:
        match = ISO_DATE.search(text)
        if match:
            y, mo, d, h, mi, s, offset = match.groups()
            dt = _build(int(y), int(mo), int(d), h, mi, s)
            zulu = offset == "Z"
            return _zoned(dt, offset if zulu else None, None if zulu else offset, tz)
        try:
            # RFC 822 wants "+0100"; feeds also write "+01:00", which the email parser does not
            # read as a zone (the date would then be taken as the watch's local time).
            rfc822 = RFC822_COLON_ZONE.sub(r"\1\2", text)
            rfc822 = NAMED_ZONE.sub(lambda m: " " + NAMED_ZONES[m.group(1).upper()], rfc822)
            moment = parsedate_to_datetime(rfc822)
            if moment.tzinfo is None and RFC822_UTC_UNSAID.search(rfc822):
                moment = moment.replace(tzinfo=UTC)
            written = RFC822_YEAR.search(rfc822)
            if written and int(written.group(1)) != moment.year:
                return None  # « 0000 », « 0001 »: the email parser reads them as 2000, 2001
            return _aware(moment, tz)
        except (TypeError, ValueError, IndexError):
            pass
        match = FRENCH_DATE.search(text)
        if match:
            d, month_name, y, h, mi, s, name, offset = match.groups()
            month = MONTHS.get(month_name.lower().rstrip("."))
            if month:
                dt = _build(int(y), month, int(d), h, mi, s)
                return _zoned(dt, name, offset, tz) if h else _aware(dt, tz)
        match = NUMERIC_DATE.search(text)
        if match:
            d, mo, y, h, mi, s, name, offset = match.groups()
            day, month = _day_and_month(int(d), int(mo), int(y), text[: match.start()])
            dt = _build(int(y), month, day, h, mi, s)
            return _zoned(dt, name, offset, tz) if h else _aware(dt, tz)
    except (ValueError, OverflowError):  # 31/02/2026, 25:00, year 0 with its zone…
        return None
    return None
