"""The European Court of Human Rights' rulings (« CEDH, 12 janv. 2017, X c. France, n° 12345/10 »).

Key: ``int:cour-edh:<application number>`` (« n° 24130/11 », the number the Court gives each
application: up to six digits, a slash, the year's two digits), one reference per application of
a ruling given on several, or ``int:cour-edh:du-<date>`` when the citation gives no number. The
Convention itself keeps its own key (``int:cedh``, ``fundamentals``): « CEDH » names the Court
only with a ruling's date or number, never alone.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from watcher.dates import date_fr
from watcher.understand.refs.candidates import _Cand
from watcher.understand.refs.dates import _DATE, _parse_date
from watcher.understand.refs.pinpoints import _PIN_BEFORE_RE
from watcher.understand.refs.rulings import _JUDGED_ON, _SUBJECT_VERB, _decision_cand

HUDOC_APPLICATION = 'https://hudoc.echr.coe.int/fre#{{"appno":["{}"]}}'
HUDOC = "https://hudoc.echr.coe.int/fre"
_NAME = "Cour européenne des droits de l'homme"
# The Court as French legal writers name it (« CEDH », « Cour EDH », « C. EDH », its full
# name) and as English pages do (« ECtHR », « European Court of Human Rights »).
_COURT = (
    r"(?:CEDH|Cour ?EDH|C\. ?EDH|ECtHR|ECHR"
    r"|[Cc]our europ[ée]enne des droits de l['’]homme|European Court of Human Rights)"
)
_COURT_ANY_RE = re.compile(_COURT)
# Its formations, written between the court and the date: « gr. ch. », « GC », « 5e sect. »,
# « déc. » (a decision on admissibility), « comité ».
_FORMATION = (
    r"(?:,? (?:\[GC\]|\(GC\)|GC|[Gg]r(?:\.|ande) [Cc]h(?:\.|ambre)|[Gg]rande [Cc]hambre"
    r"|\d{1,2}(?:e|re|ème) [Ss]ect(?:\.|ion)|[Ss]ect\. \d|[Dd][ée]c\.|[Dd][ée]cision|[Cc]omit[ée]"
    r"|pl[ée]n(?:\.|i[èe]re)|ch\.|[Cc]hambre))*"
)
# An application's number: « 12345/10 » (not « 20/01234 », a French registry's number).
_APPLICATION = r"(?P<num>\d{1,6}/\d{2})(?![\d/])"
_NUMBER_MARK = r"(?:(?:[Rr]eq(?:\.|u[êe]te)|[Aa]pplication) )?(?:n[°o]s?\.?|[Nn]os?\.) ?"
# The parties between the date and the number (« X c. France », « A et B c. Norvège [GC] »).
# (not past a sentence's end: « France. Voir … »; « c. France », « S.r.l. » are no end)
_PARTIES = r"(?:,? (?:(?!(?<=[a-zéèû]{2})\. )[^;\n]){1,120}?)?"
# « CEDH, 12 janv. 2017, X c. France, n° 12345/10 », « Cour EDH, 5e sect., 7 juin 2012, Segame
# SA c. France, req. n° 4837/06 », « CEDH 28 juin 2018, … [GC], nos 1828/06 et 34163/07 ».
_CITED_RE = re.compile(
    r"(?=[CcEe])(?<![\w.])" + _COURT + _FORMATION + r",? " + _DATE
    + r"(?:" + _PARTIES + r",? \(?" + _NUMBER_MARK + _APPLICATION + r")?"
)  # fmt: skip
# The further applications of one ruling: « nos 24130/11 et 29758/11 ».
_MORE_RE = re.compile(r"(?:,| et| and) (?:n[°o]s? ?)?" + _APPLICATION)
# « la Cour européenne des droits de l'homme, dans un arrêt du 12 janvier 2017 », « la CEDH a,
# par un arrêt du … », « l'arrêt de la CEDH du 12 janvier 2017 », « Par un arrêt du 12 janvier
# 2017, la Cour européenne des droits de l'homme a … » (the court the subject, after the date).
_THEN_RE = re.compile(
    r"(?<![\w])" + _COURT + r",? " + _SUBJECT_VERB
    + r"(?:dans|par) (?:un|une|son|sa) (?:arr[êe]t|d[ée]cision)(?: en date du| du| rendue? le) "
    + _DATE
)  # fmt: skip
_JUDGED_RE = re.compile(r"(?<![\w])" + _COURT + r",? " + _JUDGED_ON + _DATE)
_OF_RE = re.compile(
    r"(?<![\w])(?:[Aa]rr[êe]ts?|[Dd][ée]cisions?) (?:rendue? par |de )(?:la |l['’])" + _COURT
    + r"(?: \([^()]{0,40}\))?(?: en date)? (?:du|le) " + _DATE
)  # fmt: skip
_AFTER_RE = re.compile(
    r"(?<![\w])(?:[Aa]rr[êe]t|[Dd][ée]cision)(?: en date du| du| rendue? le) " + _DATE
    + r"(?:, [^\d,;()\n]{1,40})?, (?:la |l['’])" + _COURT
)  # fmt: skip
# « Le 12 janvier 2017, la Cour européenne des droits de l'homme a condamné … »: the date fronted
# at a sentence's start, the Court its subject and a verb in the past (never « … a été saisie »).
_FRONTED_RE = re.compile(
    r"(?:(?<=^)|(?<=[.;:] )|(?<=\n))[Ll]e " + _DATE + r", (?:la |l['’])(?P<court>" + _COURT
    + r"),? (?:a |avait |l['’]a |les a |lui a )(?!été\b)"
)  # fmt: skip
# An application's number alone (« AFFAIRE X c. FRANCE (Requête no 4837/06) », « req. n°
# 12345/10 ») in an item naming the Court.
_APPLICATION_RE = re.compile(
    r"(?=[RrAa])(?<![\w])(?:[Rr]equ[êe]tes?|[Rr]eq\.|[Aa]pplications?) (?:n[°o]s?\.?|[Nn]os?\.) ?"
    + _APPLICATION
)
_COURT_NAMED_RE = re.compile(
    r"(?<![\w])(?:CEDH|Cour ?EDH|ECtHR|ECHR)(?![\w])"
    r"|(?i:cour europ[ée]enne des droits de l['’]homme|european court of human rights)"
)
_CASE_NAME_RE = re.compile(r"(?<![\w])(?:c\.|C\.|v\.) [A-ZÉ][\w' -]{2,60},? \(?$")
# « ECLI:CE:ECHR:2016:1115JUD002413011 »: the application's number, zero-padded to seven
# digits, and its year, after the date.
_ECLI_RE = re.compile(r"ECLI:CE:ECHR:\d{4}:\d{4}(?:JUD|DEC)(?P<n>\d{7})(?P<y>\d{2})(?![\w])")
# What the Court's names hold (a C-speed test first: most texts name it nowhere), and what an
# application's number needs before it.
_NAME_LITERALS = ("EDH", "ECHR", "ECtHR", "droits de l", "uman Rights")
_APPLICATION_LITERALS = ("equête", "equete", "eq.", "pplication")
# The Court sits since 1959: an earlier date is not one of its rulings (« CEDH, 4 novembre
# 1950 » is the Convention's signature).
_FIRST_YEAR = 1959


def _application(start: int, end: int, num: str, decided: datetime.date | None) -> _Cand:
    cand = _decision_cand(start, end, f"int:cour-edh:{num}", f"{_NAME}, req. n° {num}",
                          HUDOC_APPLICATION.format(num), "search")  # fmt: skip
    cand.decided = decided
    return cand


def _dated(m: re.Match[str]) -> _Cand | None:
    date = _parse_date(m)
    if date is None or date.year < _FIRST_YEAR:
        return None
    return _decision_cand(m.start(), m.end(), f"int:cour-edh:du-{date.isoformat()}",
                          f"{_NAME}, {date_fr(date)}", HUDOC, "search")  # fmt: skip


def _echr_rulings(t: str) -> Iterator[_Cand]:
    # the Court named: a literal, then its names (one scan) before the patterns' scans
    named_here = any(w in t for w in _NAME_LITERALS) and _COURT_ANY_RE.search(t) is not None
    cited = _CITED_RE.finditer(t) if named_here else ()
    for m in cited:
        date = _parse_date(m)
        if date is None or date.year < _FIRST_YEAR:
            continue
        if t.startswith("CEDH", m.start()) and _PIN_BEFORE_RE.search(t, max(0, m.start() - 80),
                                                                     m.start()):  # fmt: skip
            continue  # « l'article 6 de la CEDH, … »: the Convention
        if not m.group("num"):
            cand = _dated(m)
            if cand is not None:
                yield cand
            continue
        yield _application(m.start(), m.end(), m.group("num"), date)
        end = m.end()
        while (more := _MORE_RE.match(t, end)) is not None:
            yield _application(more.start("num"), more.end(), more.group("num"), date)
            end = more.end()
    dated: list[tuple[_Cand, datetime.date | None]] = []
    for pattern in (_THEN_RE, _OF_RE, _AFTER_RE, _FRONTED_RE, _JUDGED_RE) if named_here else ():
        for m in pattern.finditer(t):
            cand = _dated(m)
            if cand is not None:
                if pattern is _FRONTED_RE:
                    cand.end = m.end("court")  # not the verb after it
                dated.append((cand, _parse_date(m)))
                yield cand
    # (the Court not named: only a case named as it names them, « AFFAIRE X c. FRANCE (Requête
    # no …) »)
    if (named_here and any(w in t for w in _APPLICATION_LITERALS)) or (
        "equête n" in t and ("c. " in t or "C. " in t)
    ):
        named = named_here and _COURT_NAMED_RE.search(t) is not None
        for m in _APPLICATION_RE.finditer(t):
            # the Court named in the item, or a case named as it names them right before
            # (« AFFAIRE SEGAME SA c. FRANCE (Requête no 4837/06) »)
            if not (named or _CASE_NAME_RE.search(t, max(0, m.start() - 100), m.start())):
                continue
            # « l'arrêt de la CEDH du 12 janvier 2017 (requête n° 12345/10) »: that ruling's
            before = [date for c, date in dated if 0 <= m.start() - c.end <= 3]
            yield _application(m.start(), m.end(), m.group("num"), before[0] if before else None)
            end = m.end()
            while (more := _MORE_RE.match(t, end)) is not None:
                yield _application(more.start("num"), more.end(), more.group("num"), None)
                end = more.end()
    if "ECHR:" in t:
        for m in _ECLI_RE.finditer(t):
            num = f"{int(m.group('n'))}/{m.group('y')}"
            yield _application(m.start(), m.end(), num, None)
