"""Decisions: where each family of court and regulator patterns is tried."""

from __future__ import annotations

import re
from collections.abc import Iterator

from watcher.understand.refs.candidates import _Cand
from watcher.understand.refs.dates import _parse_date
from watcher.understand.refs.echr import _echr_rulings
from watcher.understand.refs.high_courts import (
    _CC_DATED_RE,
    _CC_KIND_DATED_RE,
    _CC_RE,
    _CC_SERIES_FIRST_RE,
    _CC_TYPES,
    _ECLI_RE,
    _EU_CASE_RE,
    _EU_COURT_RE,
    CONSEIL_CONSTITUTIONNEL,
    CURIA_CASE,
    _high_court_rulings,
)
from watcher.understand.refs.lower_courts import _caa_numbers, _lower_court_rulings
from watcher.understand.refs.normalise import _Norm
from watcher.understand.refs.regulators import (
    _HAS_NAME_RE,
    _HAS_RE,
    _acpr_procedures,
    _regulator_acts,
)
from watcher.understand.refs.rulings import _dated_or_numbered, _decision_cand

# Each family of patterns is tried only where a literal it needs is in the text (``in`` tests
# run at C speed), whereas the patterns have no cheap first character and most texts cite no
# decision. The regulators' patterns are tried where a type word is (« décision », « avis »,
# « délibération »…), found in one pass of a plain alternation of literals.
_HINT_WORDS = (
    ("cc", ("DC", "QPC", "FNR")), ("ecli", ("ECLI:",)),
    ("ce", ("CE,", "CE ", "C.E.", "tat,", "Ce,")),
    ("conseil", ("onseil d",)), ("cass", ("Cass", "cass.")), ("pourvoi", ("ourvoi",)),
    ("cassation", ("assation", "ASSATION")),
    ("consconst", ("Cons. const", "Cons.const", "onstitutionnel,", "CC,")),
    ("chamber", ("Crim.", "Soc.", "Com.", "Civ.", "plén.", "Ch. mixte")),
    ("court", ("RG ", "R.G. ", "ribunal a", "ribunal d", "ribunal j", "ribunal J", "ribunal A",
               "rendu le", "rendue le", "d'appel", "d'Appel", "D'APPEL", "CA ", "attaqu",
               "pertoire g", "TA ", "TJ ", "TGI ", "CAA ", "T. com.", "T.com.", "Trib. com.",
               "pour avis", "emande d", ". adm.", ".adm.", ". jud.", ".jud.", "rud", "CPH ")),
    ("adlc", ("-D", "-A-", "-MC-", " MC ")), ("asn", ("-DC-",)),
    ("eucase", ("C-", "T-")),
)  # fmt: skip
_HINT_FLAT = tuple((word, family) for family, words in _HINT_WORDS for word in words)
# the Conseil constitutionnel's other series, always written with « n° » or « décision »
# (« n° 2021-291 L », « décision n° 2023-1051 AN »)
_CC_LETTER_HINT_RE = re.compile(r"\d-\d{1,4} ?(?:[LDI]|AN|SEN|ELEC|PDR|ORGA|LP|LOM|REF|RIP|AR16)\b")
_CC_URL_RE = re.compile(
    r"(?:https?://)?(?:www\.)?conseil-constitutionnel\.fr/decision/(?P<y>\d{4})/(?P=y)"
    r"(?P<n>\d{1,4}(?:_\d{1,4})?)(?P<t>" + _CC_TYPES + r")\.htm"
)
# the Council's former addresses (until 2018): « http://www.conseil-constitutionnel.fr/conseil-
# constitutionnel/francais/les-decisions/acces-par-date/decisions-depuis-1959/2016/2016-590-qpc/
# decision-n-2016-590-qpc-du-21-octobre-2016.148047.html »
_CC_OLD_URL_RE = re.compile(
    r"(?:https?://)?(?:www\.)?conseil-constitutionnel\.fr/conseil-constitutionnel/francais"
    r"/les-decisions/[\w/-]*?/(?P<y>\d{4})/(?P=y)-(?P<n>\d{1,4})-(?P<t>[a-z0-9]{1,4})"
    r"/decision-n-(?P=y)-(?P=n)-(?P=t)-[\w-]*\.\d+\.html?"
)
_REG_HINT_RE = re.compile("élib|elib|ÉLIB|ELIB|écision|ecision|ÉCISION|ECISION|vis|ecommandation")
_DEC_ABBREV_RE = re.compile(r"(?<![\w])[Dd][ée]c\.")  # « déc. n° … »


# What stands between two cases of one list: « , », « et », an appeal's « P » (« Affaires
# C‑152/19 P et C-165/19 P »), or each case's party, as the Court's opinions list them
# (« les affaires C‑793/19, SpaceNet, C‑794/19, Telekom Deutschland, et C‑140/20, … »).
_EU_CASE_GAP_RE = re.compile(r"(?: P)?(?:, | et |, et | ou |, [A-Z][^\d();:«»\n]{0,60}?, (?:et )?)")


def _cc_decision(m: re.Match[str], y: str, n: str, typ: str, page: str, year: str = "") -> _Cand:
    """A Conseil constitutionnel decision found by ``m``: its key, its label and its page on the
    Council's site (``page``: the number as the address spells it, « 2021940QPC »; ``year``:
    the address's year when ``y`` is written with two digits)."""
    return _decision_cand(
        m.start(), m.end(), f"fr:cc:{y}-{n}-{typ}",
        f"Conseil constitutionnel, décision n° {y}-{n} {typ}",
        CONSEIL_CONSTITUTIONNEL.format(year or y, page),
    )  # fmt: skip


def _decisions(norm: _Norm) -> Iterator[_Cand]:
    t = norm.text
    found = {family for word, family in _HINT_FLAT if word in t}
    if (
        "cc" not in found
        and ("n°" in t or "cision" in t or "éc." in t)
        and _CC_LETTER_HINT_RE.search(t)
    ):
        found.add("cc")
    reg_at = [max(0, h.start() - 1) for h in _REG_HINT_RE.finditer(t)]  # the word's first letter
    if "éc." in t or "ec." in t:
        reg_at = sorted([*reg_at, *(h.start() for h in _DEC_ABBREV_RE.finditer(t))])
    for m in _CC_DATED_RE.finditer(t) if "consconst" in found else ():
        y = m.group("y")
        if m.group("t") and len(y) == 2:
            date = _parse_date(m)
            # the number's year is the referral's: the date's, or the year before (« Cons.
            # const., 20 janv. 1981, n° 80-127 DC »)
            if date is not None and 0 <= date.year - 1900 - int(y) <= 1:
                n, typ = m.group("n"), m.group("t")
                yield _cc_decision(m, y, n, typ, f"{y}{n}{typ}", year=f"19{y}")
            else:
                yield _dated_or_numbered(m, "cc", "Conseil constitutionnel")
        elif m.group("t"):
            n, typ = m.group("n"), m.group("t")
            yield _cc_decision(m, y, n, typ, f"{y}{n}{typ}")
        else:
            yield _dated_or_numbered(m, "cc", "Conseil constitutionnel")
    for m in _CC_KIND_DATED_RE.finditer(t) if "cc" in found else ():
        yield _dated_or_numbered(m, "cc", "Conseil constitutionnel")
    for m in _CC_RE.finditer(t) if "cc" in found else ():
        # a bare number only in the two shapes no other body uses (« 2021-940 QPC »)
        bare_ok = (
            m.group("t") in ("QPC", "DC")
            and not m.group("joined")
            and 1959 <= int(m.group("y")) <= norm.year
            and int(m.group("n")) < 1200  # not « 2019-2020 DC »
        )
        if not (m.group("kw") or m.group("mark") or bare_ok):
            continue
        y, n, typ = m.group("y"), m.group("n").replace("/", "-"), m.group("t")
        year = y if len(y) == 4 else "19" + y
        yield _cc_decision(m, y, n, typ, f"{y}{n.replace('-', '_')}{typ}", year=year)
    for m in _CC_SERIES_FIRST_RE.finditer(t) if "cc" in found else ():
        y, n, typ = m.group("y"), m.group("n"), m.group("t")
        if 1959 <= int(y) <= norm.year:
            yield _cc_decision(m, y, n, typ, f"{y}{n}{typ}")
    if "conseil-constitutionnel.fr/conseil-constitutionnel/" in t:
        for m in _CC_OLD_URL_RE.finditer(t):
            y, n, typ = m.group("y"), m.group("n"), m.group("t").upper()
            if re.fullmatch(_CC_TYPES, typ):
                yield _cc_decision(m, y, n, typ, f"{y}{n}{typ}")
    if "conseil-constitutionnel.fr/decision/" in t:
        # its own page's address (« …/decision/2025/20251129QPC.htm », see links)
        for m in _CC_URL_RE.finditer(t):
            y, n, typ = m.group("y"), m.group("n").replace("_", "-"), m.group("t")
            yield _cc_decision(m, y, n, typ, f"{y}{m.group('n')}{typ}")
    if "ecli" in found:
        for m in _ECLI_RE.finditer(t):
            parts = m.group("id").split(".")
            if m.group("court") == "CC" and len(parts) == 3:
                y, n, typ = parts
                yield _cc_decision(m, y, n, typ, f"{y}{n}{typ}")
            elif m.group("court").startswith("CE") and parts[0].isdigit():
                yield _decision_cand(m.start(), m.end(), f"fr:ce:{parts[0]}",
                                     f"Conseil d'État, n° {parts[0]}")  # fmt: skip
    if "eucase" in found:
        listed_end = -1  # the end of the last case kept: a list goes on from it
        for m in _EU_CASE_RE.finditer(t):
            court = _EU_COURT_RE.search(t, max(0, m.start() - 150), m.start())
            listed = listed_end >= 0 and _EU_CASE_GAP_RE.fullmatch(t, listed_end, m.start())
            if m.group("aff") or court is not None or listed:
                listed_end = m.end()
                case = f"{m.group('court')}-{m.group('n')}/{m.group('y')}"
                yield _decision_cand(
                    m.start(), m.end(), f"eu:case:{case}", f"CJUE, aff. {case}",
                    CURIA_CASE.format(case), "search",
                )  # fmt: skip
    yield from _high_court_rulings(t, found)
    yield from _lower_court_rulings(t, found)
    yield from _echr_rulings(t)
    yield from _caa_numbers(t)
    if "rocédure n" in t or "ROCÉDURE N" in t:
        yield from _acpr_procedures(t)
    yield from _regulator_acts(t, found, reg_at)
    if ("/DC/" in t or "/AC/" in t) and _HAS_NAME_RE.search(t):
        for m in _HAS_RE.finditer(t):
            num = m.group("num")
            yield _decision_cand(m.start(), m.end(), f"fr:has:{num.replace('/', '-')}",
                                 f"Haute Autorité de santé, décision n° {num}")  # fmt: skip
