"""watcher.dates.parse_date: every format sources use, read in the right zone, → UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from watcher.dates import clock, elapsed, parse_date


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # RFC 822 / 2822 (RSS)
        ("Mon, 02 Nov 2026 10:00:00 +0100", utc(2026, 11, 2, 9, 0)),
        ("Thu, 18 Jul 2024 05:45:05 +0200", utc(2024, 7, 18, 3, 45, 5)),
        ("Sun, 08 Mar 2020 10:32:07 GMT", utc(2020, 3, 8, 10, 32, 7)),
        ("Wed, 04 Nov 2026 09:00:00 EST", utc(2026, 11, 4, 14, 0)),
        ("Wed, 04 Nov 26 14:30:00 +0100", utc(2026, 11, 4, 13, 30)),  # two-digit year
        ("Sun, 04 Nov 2026 14:30:00 +0100", utc(2026, 11, 4, 13, 30)),  # wrong weekday
        # an unknown zone name is read in the watch's zone (CET = Paris in winter)
        ("Wed, 04 Nov 2026 14:30:00 CET", utc(2026, 11, 4, 13, 30)),
        # ISO 8601 / W3C-DTF (Atom, JSON Feed, <time datetime>)
        ("2003-12-13T18:30:02Z", utc(2003, 12, 13, 18, 30, 2)),
        ("2025-01-03T10:14:24+01:00", utc(2025, 1, 3, 9, 14, 24)),
        ("2020-01-20T08:40:32+0100", utc(2020, 1, 20, 7, 40, 32)),
        ("2026-11-10T08:30:00.123456+01:00", utc(2026, 11, 10, 7, 30)),
        ("2026-11-10T08:30:00-05:00", utc(2026, 11, 10, 13, 30)),
        ("2026-11-10 08:30:00Z", utc(2026, 11, 10, 8, 30)),
        ("2026-11-03T14:30", utc(2026, 11, 3, 13, 30)),  # no zone: Paris, winter
        ("2026-07-14T14:30", utc(2026, 7, 14, 12, 30)),  # no zone: Paris, summer
        ("2019-09-11", utc(2019, 9, 10, 22, 0)),  # a day: midnight in Paris
        ("Publié le 2026-11-10 à la une", utc(2026, 11, 9, 23, 0)),
        # French
        ("25/02/2026", utc(2026, 2, 24, 23, 0)),
        ("25.02.2026", utc(2026, 2, 24, 23, 0)),
        ("25-02-2026 14h30", utc(2026, 2, 25, 13, 30)),
        ("mardi 3 novembre 2026 14h30", utc(2026, 11, 3, 13, 30)),
        ("3 novembre 2026 à 14h30", utc(2026, 11, 3, 13, 30)),
        ("3 novembre 2026 à 14 h 30", utc(2026, 11, 3, 13, 30)),
        ("3 novembre 2026, 9:05:07", utc(2026, 11, 3, 8, 5, 7)),
        ("1er décembre 2026", utc(2026, 11, 30, 23, 0)),
        ("1er déc. 2026", utc(2026, 11, 30, 23, 0)),
        ("16 févr. 2026", utc(2026, 2, 15, 23, 0)),
        ("16 fevrier 2026", utc(2026, 2, 15, 23, 0)),
        ("15 août 2026 8h", utc(2026, 8, 15, 6, 0)),
        ("1er DÉCEMBRE 2026", utc(2026, 11, 30, 23, 0)),
        ("mercredi 11 septembre 2019", utc(2019, 9, 10, 22, 0)),
        ("Publié le 20 janvier 2020 par Martin Clavey", utc(2020, 1, 19, 23, 0)),
        ("20\u00a0janvier\u00a02020", utc(2020, 1, 19, 23, 0)),  # non-breaking spaces
        ("  20   janvier\n2020  ", utc(2020, 1, 19, 23, 0)),
        # English month names
        ("3 November 2026", utc(2026, 11, 2, 23, 0)),
    ],
)
def test_parse_date(text: str, expected: datetime) -> None:
    parsed = parse_date(text)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() is not None
    assert parsed.tzinfo == UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Paris switches to summer time on Sunday 29 March 2026 at 02:00 → 03:00
        ("2026-03-29T01:30", utc(2026, 3, 29, 0, 30)),  # still CET (+01:00)
        ("2026-03-29T03:30", utc(2026, 3, 29, 1, 30)),  # already CEST (+02:00)
        ("28/03/2026 12h00", utc(2026, 3, 28, 11, 0)),
        ("30/03/2026 12h00", utc(2026, 3, 30, 10, 0)),
        # and back to winter time on Sunday 25 October 2026 at 03:00 → 02:00
        ("2026-10-24T12:00", utc(2026, 10, 24, 10, 0)),
        ("2026-10-26T12:00", utc(2026, 10, 26, 11, 0)),
        ("2026-10-25T01:30", utc(2026, 10, 24, 23, 30)),  # before the change: CEST
        ("2026-10-25T04:00", utc(2026, 10, 25, 3, 0)),  # after the change: CET
    ],
)
def test_naive_dates_are_read_in_paris_with_dst(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


def test_other_zones() -> None:
    assert parse_date("2026-11-03T14:30", "UTC") == utc(2026, 11, 3, 14, 30)
    assert parse_date("3 novembre 2026 14h30", "America/Montreal") == utc(2026, 11, 3, 19, 30)
    assert parse_date("2026-07-14T12:00", "Europe/London") == utc(2026, 7, 14, 11, 0)
    # an explicit offset wins over the zone
    assert parse_date("2026-11-03T14:30:00+00:00", "Asia/Tokyo") == utc(2026, 11, 3, 14, 30)


def test_an_rfc822_date_whose_zone_has_a_colon_keeps_its_zone() -> None:
    # Mail Online's feed (tests/fixtures/feeds/world/dailymail-whitespace.rss) writes "+01:00";
    # read as a local time in Paris (summer: +02:00) it came out an hour early
    assert parse_date("Thu, 02 Jul 2015 23:18:09 +01:00") == utc(2015, 7, 2, 22, 18, 9)
    assert parse_date("Thu, 02 Jul 2015 23:18:09 -05:30") == utc(2015, 7, 3, 4, 48, 9)


def test_an_rfc822_date_in_minus_zero_is_utc() -> None:
    # RFC 5322: « -0000 » is UTC with the sender's zone unsaid (art19's podcast feeds); it was
    # read as a date without zone, in Paris: two hours early in summer
    assert parse_date("Thu, 23 Jul 2026 11:30:00 -0000") == utc(2026, 7, 23, 11, 30)
    assert parse_date("Thu, 23 Jul 2026 11:30:00") == utc(2026, 7, 23, 9, 30)


def test_a_french_date_keeps_the_zone_it_names_after_its_time() -> None:
    # a French feed's RFC 822 date (day and month in French, which the e-mail parser does not
    # read): "GMT" was dropped and the time read in Paris (summer: +02:00), two hours early
    assert parse_date("mar., 24 juin 2025 08:00:00 GMT") == utc(2025, 6, 24, 8, 0)
    assert parse_date("mar., 24 juin 2025 08:00:00 +0200") == utc(2025, 6, 24, 6, 0)
    assert parse_date("3 novembre 2026 à 14h30 UTC") == utc(2026, 11, 3, 14, 30)
    assert parse_date("25/02/2026 14:30 +01:00", "Asia/Tokyo") == utc(2026, 2, 25, 13, 30)
    # no zone: the watch's, as before; a zone after a bare day does not move the day
    assert parse_date("24 juin 2025 08:00") == utc(2025, 6, 24, 6, 0)
    assert parse_date("24 juin 2025 GMT") == utc(2025, 6, 23, 22, 0)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\u00a0",
        "hier",
        "il y a 3 heures",
        "bientôt",
        "31/02/2026",  # impossible day
        "30 février 2026",
        "32 janvier 2026",
        "2026-13-01",  # impossible month
        "2026-02-30T10:00",
        "2026-11-03T25:00",  # impossible hour
        "3 novembre 2026 25h00",
        "3 truc 2026",  # unknown month name
        "12/2026",
        "novembre 2026",
    ],
)
def test_invalid_dates(text: str) -> None:
    assert parse_date(text) is None


def test_clock_shows_a_moment_in_the_given_zone() -> None:
    moment = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)
    assert clock(moment, "Europe/Paris") == "02/07/2026 00:30"  # summer time, next day
    assert clock(moment, "UTC") == "01/07/2026 22:30"
    assert clock(None, "Europe/Paris") == "—"


def test_elapsed_reads_as_a_person_says_it() -> None:
    """The time a worker has been silent, or a job has run (`watcher status`, the queue page)."""
    start = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
    assert elapsed(start, start + timedelta(seconds=45)) == "45 s"
    assert elapsed(start, start + timedelta(minutes=3, seconds=5)) == "3 min 05 s"
    assert elapsed(start, start + timedelta(hours=2, minutes=5, seconds=9)) == "2 h 05 min"
    assert elapsed(start, start + timedelta(days=3, hours=4, minutes=1)) == "3 j 4 h"
    assert elapsed(start, start + timedelta(days=3, hours=4), english=True) == "3 d 4 h"
    assert elapsed(start, start - timedelta(seconds=2)) == "0 s"  # a clock a little behind
    assert elapsed(None, start) == "—"


def test_a_week_reads_in_french_not_as_its_iso_code() -> None:
    """« 2026-W50 » is an identifier (arguments, file names, URLs): a learner reads the week
    as « semaine 50 » and its days."""
    from watcher.dates import week_days_fr, week_fr

    assert week_fr(2026, 50) == "semaine 50 (du 7 au 13 décembre 2026)"
    assert week_fr(2026, 49) == "semaine 49 (du 30 novembre au 6 décembre 2026)"
    assert week_fr(2026, 1) == "semaine 1 (du 29 décembre 2025 au 4 janvier 2026)"
    assert week_days_fr(date(2027, 2, 1)) == "du 1er au 7 février 2027"
