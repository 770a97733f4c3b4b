"""Identifiers written in the text: NOR, Légifrance ids, ELI (Légifrance, data.europa.eu), CELEX."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterator

from watcher.dates import date_fr
from watcher.understand.refs.candidates import _Cand
from watcher.understand.refs.french_texts import _TYPE_LABELS
from watcher.understand.refs.links import EURLEX_CELEX, LEGIFRANCE, _legifrance_search
from watcher.understand.refs.normalise import _Norm
from watcher.understand.refs.table import _Code, _data

# --- NOR ----------------------------------------------------------------------------------
# « NOR : ECOC2301234A », « (NOR: ECOC2604872A) », « NOR:HRUX0817196D »:
# 4 letters, 7 digits, 1 letter, always after the word NOR (bare look-alikes are too common).
# « NOR : BCR Z 10 00067 J »: older texts space the NOR's parts (ministry, office, year, number,
# nature).
_NOR_RE = re.compile(
    r"\bNOR ?:? ?(?P<nor>[A-Z]{4}\d{7}[A-Z]|[A-Z]{3} [A-Z] \d{2} \d{5} [A-Z])(?![\w])"
)


def _nors(norm: _Norm) -> Iterator[_Cand]:
    if "NOR" not in norm.text:  # the pattern's literal: a C scan instead of a regex scan
        return
    for m in _NOR_RE.finditer(norm.text):
        nor = m.group("nor").replace(" ", "")
        yield _Cand(
            m.start(), m.end(), "nor", f"fr:nor:{nor}", f"NOR {nor}",
            _legifrance_search(nor), "search",
        )  # fmt: skip


# --- Légifrance ids -----------------------------------------------------------------------
_LEGI_RE = re.compile(
    r"(?<![A-Za-z0-9])(?P<id>(?:JORF|LEGI|KALI|CNIL)(?:TEXT|ARTI|SCTA|CONT)\d{12})(?!\d)"
)


@functools.cache
def _codes_by_legitext() -> dict[str, _Code]:
    return {c.legitext: c for c in _data().codes.values() if c.legitext}


def _legi_ids(norm: _Norm) -> Iterator[_Cand]:
    t = norm.text
    if not any(kind in t for kind in ("TEXT", "ARTI", "SCTA", "CONT")):  # one is in every id
        return
    for m in _LEGI_RE.finditer(t):
        code_by_legitext = _codes_by_legitext()
        ident = m.group("id")
        label, url, link = ident, _legifrance_search(ident), "search"
        if ident.startswith("JORFTEXT"):
            url, link = f"{LEGIFRANCE}/jorf/id/{ident}", "official"
        elif ident.startswith("LEGIARTI"):
            url, link = f"{LEGIFRANCE}/codes/article_lc/{ident}", "official"
        elif ident in code_by_legitext:
            label = f"{code_by_legitext[ident].name} ({ident})"
            url, link = f"{LEGIFRANCE}/codes/id/{ident}", "official"
        yield _Cand(m.start(), m.end(), "legi_id", f"fr:legi:{ident}", label, url, link)


# --- ELI (Légifrance and data.europa.eu) --------------------------------------------------
_ELI_FR_RE = re.compile(
    # the domain may be left out (« ELI : /eli/loi/2016/10/7/2016-1321/jo/texte »)
    r"(?:(?:https?://)?(?:www\.)?legifrance\.gouv\.fr|(?<![\w./]))/eli/"
    r"(?P<type>loi|decret|ordonnance|arrete|circulaire|decret_legislatif)/"
    r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})/"
    r"(?P<id>[A-Z]{4}\d{7}[A-Z]|\d{2,4}-\d{1,5})(?P<rest>(?:/[A-Za-z0-9_]+)*)/?"
)
_ELI_EU_RE = re.compile(
    r"(?:https?://)?(?:data|eur-lex)\.europa\.eu/eli/(?P<t>reg|dir|dec)(?P<sub>_impl|_del)?/"
    r"(?P<y>\d{4})/(?P<n>\d{1,4})(?P<rest>/oj(?:/[a-z]{3})?|/\d{4}-\d\d-\d\d)?(?![\w/])"
)
_ELI_TYPE_KEYS = {"loi": "loi", "decret": "decret", "ordonnance": "ordonnance", "arrete": "arrete",
                  "circulaire": "circulaire", "decret_legislatif": "decret-loi"}  # fmt: skip


def _elis(norm: _Norm) -> Iterator[_Cand]:
    t = norm.text
    if "/eli/" not in t:  # both patterns hold it: a C scan instead of two regex scans
        return
    for m in _ELI_FR_RE.finditer(t):
        typ = _ELI_TYPE_KEYS[m.group("type")]
        try:
            date = datetime.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            continue
        ident = m.group("id")
        path = m.group(0).split("legifrance.gouv.fr", 1)[-1].rstrip("/")
        url = f"{LEGIFRANCE}{path}"
        if ident[0].isdigit():
            key = f"fr:{typ}:{ident}"
            label = f"{_TYPE_LABELS[typ]} n° {ident} du {date_fr(date)}"
        else:
            key = f"fr:nor:{ident}"
            label = f"{_TYPE_LABELS[typ]} du {date_fr(date)} (NOR {ident})"
        yield _Cand(m.start(), m.end(), "eli", key, label, url, "official", date)
    for m in _ELI_EU_RE.finditer(t):
        letter = {"reg": "R", "dir": "L", "dec": "D"}[m.group("t")]
        celex = f"3{m.group('y')}{letter}{int(m.group('n')):04d}"
        written = m.group(0).split("://", 1)[-1]
        url = ("https://" if written.startswith("eur-lex") else "http://") + written
        yield _Cand(
            m.start(), m.end(), "eli", f"eu:celex:{celex}", _celex_label(celex), url, "official"
        )


# --- CELEX --------------------------------------------------------------------------------
# « CELEX:32016R0679 », « uri=CELEX%3A32024D1245 », bare « 52018PC0033 », corrigendum « R(02) ».
_CELEX_RE = re.compile(
    r"(?<![\w%])(?P<pre>CELEX ?(?::|%3A|=)? ?)?"
    r"(?P<c>[0-9CE](?P<y>19[5-9]\d|20[0-3]\d)(?P<t>[A-Z]{1,2})(?P<n>\d{4})(?:R\(\d{2}\))?)(?![\w(])"
)


# The year and type letter every CELEX number holds: most texts have none, and searching for
# them is cheaper than scanning for the whole pattern.
_CELEX_YEAR_TYPE_RE = re.compile(r"(?:19[5-9]\d|20[0-3]\d)[A-Z]")


def _celexes(norm: _Norm) -> Iterator[_Cand]:
    if _CELEX_YEAR_TYPE_RE.search(norm.text) is None:
        return
    for m in _CELEX_RE.finditer(norm.text):
        celex = m.group("c")
        if not m.group("pre") and not re.fullmatch(
            r"3[RLDF]|5(?:PC|DC|SC|JC)|6(?:CJ|CC|CO|TJ)", celex[0] + m.group("t")
        ):
            continue  # bare 10-character tokens only in the common, unambiguous shapes
        yield _Cand(
            m.start(), m.end(), "celex", f"eu:celex:{celex}", _celex_label(celex),
            EURLEX_CELEX.format(celex), "official",
        )  # fmt: skip


_CELEX_TYPES = {"R": "Règlement", "L": "Directive", "D": "Décision", "F": "Décision-cadre",
                "H": "Recommandation"}  # fmt: skip


def _celex_label(celex: str) -> str:
    act = _data().acts.get(f"eu:celex:{celex}")
    if act:
        return act.label
    m = re.fullmatch(r"3(\d{4})([RLDFH])(\d{4})", celex)
    if m:
        year, typ, num = int(m.group(1)), m.group(2), int(m.group(3))
        return (
            f"{_CELEX_TYPES[typ]} {year}/{num}"
            if year >= 2015
            else f"{_CELEX_TYPES[typ]} CELEX {celex}"
        )
    return f"CELEX {celex}"
