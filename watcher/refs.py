"""Recognise legal and normative references in French (and English EU) text.

Pure module: no I/O except reading its own data table once
(``watcher/data/refs_aliases.yml``), no spaCy.

Public API: :class:`Reference`, :func:`find_references`,
:func:`resolve_reference_query`, :func:`aliases`.

Canonical keys
==============

* ``fr_text``: ``fr:<type>:<number>`` for numbered texts (``fr:loi:2023-451``,
  ``fr:decret:84-940``), ``fr:<type>:du-<YYYY-MM-DD>`` for texts cited by type and date only
  (``fr:arrete:du-2018-10-15``).
* ``code_article``: ``fr:code:<code slug>:<article>`` (``fr:code:consommation:L121-1``).
* ``nor``: ``fr:nor:<NOR>`` (``fr:nor:ESRS1827364A``).
* ``legi_id``: ``fr:legi:<id>`` (``fr:legi:JORFTEXT000037562608``).
* ``eli``: the key of the act it names: number → ``fr:<type>:<number>``, NOR → ``fr:nor:<NOR>``,
  data.europa.eu ELI → ``eu:celex:<CELEX>``.
* ``eu_act`` and ``celex``: ``eu:celex:<CELEX>`` (``eu:celex:32016R0679``,
  ``eu:celex:32016R0679R(02)``).
* ``standard``: ``std:<body>:<ref>[:<year>][/<amendment>]`` (``std:nf-en-iso:9001:2015``,
  ``std:nf:z42-013``, ``std:iso:9001:2015/amd1:2024``).

* ``<type>`` is ``loi`` (also lois organiques / constitutionnelles / de finances, which share the
  chronological numbering), ``ordonnance``, ``decret``, ``decret-loi``, ``arrete``, ``circulaire``.
  A text cited only by type and date (``arrêté du 15 octobre 2018``) gets a date key, which is not
  unique (several arrêtés can share a date); when the same text also cites a numbered text of the
  same type and date (``loi n° 2000-597 du 30 juin 2000`` … ``la loi du 30 juin 2000``), the number
  key is reused.
* Code slugs are readable (``consommation``, ``commerce``, ``civil``…, see the data file),
  not LEGITEXT ids: a slug exists for every code, a verified LEGITEXT id does not. Articles are
  written without dots or spaces: ``L121-1``, ``R*123-4``, ``LO141``, ``1240``. A range
  ``L. 121-1 à L. 121-7`` yields one reference per article *written* (both ends, not the
  articles in between); a list yields one per item. ``du même code`` / ``dudit code`` /
  ``de ce code`` resolve to the last code named earlier in the same paragraph;
  ``du présent code`` is not resolved.
* ``<body>`` is the standard's prefix in lower case with spaces and slashes turned into hyphens
  (``NF EN ISO`` → ``nf-en-iso``, ``ISO/IEC TR`` → ``iso-iec-tr``; ``CEI`` is written ``iec``);
  classification indexes are written ``z42-013``; amendments ``a1`` or ``amd1:2024``.

Links
=====

``link == "official"`` only for a URL built from identifiers present in the text:

* EUR-Lex by CELEX (``https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:…``);
* a Légifrance ELI built from type + signature date + number
  (``/eli/loi/2023/6/9/2023-451/jo/texte``, month/day not zero-padded), or from type + date + a
  NOR written just after the citation; an ELI written in the text;
* a Légifrance id (``/jorf/id/JORFTEXT…``, ``/codes/article_lc/LEGIARTI…``,
  ``/codes/id/LEGITEXT…`` for verified codes);
* an ISO catalogue page from the verified table.

Everything else gets ``link == "search"``: a Légifrance, ISO or AFNOR search URL. Common names
(« loi Hamon ») give the key and label from the data table but a search link, since number and
date are not in the text. No id is ever guessed.

Precision over recall: numbered French texts need a type word and an ``AA-N``/``AAAA-N`` number
(court orders ``ordonnance n° 1906898`` do not match); arrêtés are never keyed by a number (local
numbering); EU decisions need a domain; bare ``ISO nnn`` needs an edition year, a part, a known
number or a ``norme``/``standard`` cue nearby, and camera sensitivities (``ISO 400``) are refused;
``NF`` + bare number (certification marks such as ``NF 461``) is refused.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import quote, quote_plus

import yaml

from watcher.dates import date_fr

__all__ = ["Reference", "aliases", "find_references", "resolve_reference_query"]


@dataclass(frozen=True)
class Reference:
    # "fr_text" | "code_article" | "nor" | "legi_id" | "eli" | "eu_act" | "celex" | "standard"
    kind: str
    key: str  # canonical key
    label: str  # human canonical label (French)
    url: str  # official link or search link
    link: str  # "official" | "search"
    text: str  # exactly as written in the source text
    start: int
    end: int
    date: datetime.date | None = None  # date of the act when written


# --------------------------------------------------------------------------------------------
# URLs
# --------------------------------------------------------------------------------------------

LEGIFRANCE = "https://www.legifrance.gouv.fr"
EURLEX_CELEX = "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:{}"
ISO_STANDARD = "https://www.iso.org/standard/{}.html"


# The URL builders and _fold are pure and called again and again with the same few arguments
# (type words, code and act names, labels): small caches spare re-quoting and re-folding them.
@functools.lru_cache(maxsize=1024)
def _legifrance_search(query: str) -> str:
    return f"{LEGIFRANCE}/search/all?tab_selection=all&searchField=ALL&query={quote(query)}"


@functools.lru_cache(maxsize=1024)
def _iso_search(query: str) -> str:
    return f"https://www.iso.org/search.html?q={quote(query)}"


@functools.lru_cache(maxsize=1024)
def _afnor_search(query: str) -> str:
    return f"https://www.boutique.afnor.org/fr-fr/resultats?Keywords={quote_plus(query)}"


# --------------------------------------------------------------------------------------------
# Data table
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Code:
    slug: str
    name: str
    legitext: str | None


@dataclass(frozen=True)
class _Act:
    key: str
    label: str
    text_names: tuple[str, ...]
    query_names: tuple[str, ...]


@dataclass(frozen=True)
class _Data:
    codes: dict[str, _Code]  # slug -> code
    code_by_name: dict[str, str]  # folded name or abbreviation -> slug
    code_name_re: re.Pattern[str]  # full names (case-insensitive)
    code_abbrev_re: re.Pattern[str]  # abbreviations (case-sensitive)
    acts: dict[str, _Act]  # key -> act
    act_by_name: dict[str, str]  # folded name -> key (text and query names)
    act_name_re: re.Pattern[str] | None
    act_start_re: re.Pattern[str] | None  # where a name of act_name_re may start (see there)
    iso_ids: dict[str, int]
    iso_known: frozenset[str]


@functools.lru_cache(maxsize=4096)
def _fold(s: str) -> str:
    """Lower case, no accents, collapsed spaces, straight apostrophes (for table look-ups)."""
    s = unicodedata.normalize("NFKD", s.replace("’", "'"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.lower().split())


def _accent_tolerant(name: str) -> str:
    """Regex for a literal name where accented letters may be written without accent."""
    out = []
    for ch in name:
        base = _fold(ch) if ch.strip() else ch
        if ch == " ":
            out.append(" ")
        elif base != ch.lower() and len(base) == 1:
            out.append(f"[{re.escape(ch)}{re.escape(ch.upper())}{base}{base.upper()}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


@functools.cache
def _data() -> _Data:
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("watcher").joinpath("data/refs_aliases.yml").read_text(encoding="utf-8")
    )
    codes: dict[str, _Code] = {}
    by_name: dict[str, str] = {}
    names: list[str] = []
    abbrevs: list[str] = []
    for c in raw["codes"]:
        codes[c["slug"]] = _Code(c["slug"], c["name"], c.get("legitext"))
        for n in c["names"]:
            by_name[_fold(n)] = c["slug"]
            names.append(n)
        for a in c["abbrevs"]:
            by_name[_fold(a)] = c["slug"]
            abbrevs.append(a)
    names.sort(key=len, reverse=True)
    abbrevs.sort(key=len, reverse=True)
    name_re = re.compile(
        r"(?:" + "|".join(_accent_tolerant(n) for n in names) + r")(?![\w'])", re.IGNORECASE
    )
    abbrev_alts = [re.escape(a).replace(r"\ ", r" ?") for a in abbrevs]
    abbrev_re = re.compile(r"(?:" + "|".join(abbrev_alts) + r")(?!\w)")

    acts: dict[str, _Act] = {}
    act_by_name: dict[str, str] = {}
    text_names: list[str] = []
    for a in raw["acts"]:
        act = _Act(a["key"], a["label"], tuple(a["text"]), tuple(a["query"]))
        acts[act.key] = act
        for n in (*act.text_names, *act.query_names):
            act_by_name[_fold(n)] = act.key
        text_names.extend(act.text_names)
    text_names.sort(key=len, reverse=True)
    alts = []
    first_words: dict[str, None] = {}  # ordered set
    for n in text_names:
        first = n.split(" ")[0]
        if n.isupper() or (not n.islower() and " " not in n):
            # acronyms and CamelCase: exact case
            alts.append(re.escape(n))
            first_words[re.escape(first)] = None
        else:
            alts.append("(?i:" + _accent_tolerant(n) + ")")
            first_words["(?i:" + _accent_tolerant(first) + ")"] = None
    act_re = start_re = None
    if alts:
        act_re = re.compile(r"(?<![\w/-])(?:" + "|".join(alts) + r")(?![\w-])")
        # Each name's pattern begins with the pattern of its first word (both are built
        # character by character, with the same flags), so a name can only start where
        # one of the few distinct first words does: this finds those places far faster
        # than trying the whole alternation of names at every position.
        start_re = re.compile(r"(?<![\w/-])(?=" + "|".join(first_words) + ")")
    return _Data(
        codes=codes,
        code_by_name=by_name,
        code_name_re=name_re,
        code_abbrev_re=abbrev_re,
        acts=acts,
        act_by_name=act_by_name,
        act_name_re=act_re,
        act_start_re=start_re,
        iso_ids={str(k): int(v) for k, v in raw["iso_ids"].items()},
        iso_known=frozenset(str(x) for x in raw["iso_known"]),
    )


# --------------------------------------------------------------------------------------------
# Pre-normalisation with an offset map back into the original text
# --------------------------------------------------------------------------------------------

_SPACE_CHARS = frozenset("\u00a0\u202f\u2009\u2007\u2008\u200a\u2002\u2003\u2004\u2005\u2006")
_CHAR_MAP = {
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "º": "°",  # masculine ordinal indicator, as in « nº »
    "\u2010": "-",
    "\u2011": "-",  # non-breaking hyphen (« 2023‑451 »)
    "\u2012": "-",
    "\u2013": "-",
    "\u2212": "-",
    "\u00ad": "",  # soft hyphen
}
# The one-for-one replacements of _CHAR_MAP, for str.translate (the soft hyphen, which is
# removed, takes the character-by-character path).
_TRANSLATE = str.maketrans({k: v for k, v in _CHAR_MAP.items() if v})
# \s and str.isspace (hence str.split and str.strip) agree: both are Py_UNICODE_ISSPACE.
_LONG_SPACES = re.compile(r"\s\s+")
_MAPPED = re.compile("[" + "".join(k for k, v in _CHAR_MAP.items() if v) + "]")


class _Norm:
    """The normalised text: one space for every run of white space (none at the ends), the
    characters of ``_CHAR_MAP`` replaced, with a map back to offsets in the original text.

    ``text`` is built with C string methods; the offset map and the paragraph offsets
    (normalised offsets where a run holding a blank line was collapsed) are only built when
    asked for: most texts have no reference, and the ones that have need a few offsets.
    """

    __slots__ = ("_paragraphs", "_pos", "_runs", "orig", "text")

    def __init__(
        self,
        text: str,
        orig: str,
        pos: list[int] | None = None,
        paragraphs: list[int] | None = None,
    ) -> None:
        self.text = text
        self.orig = orig
        self._pos = pos
        self._paragraphs = paragraphs
        # (normalised offset of the space of each inner run, original end of the run)
        self._runs: tuple[list[int], list[int], int] | None = None

    def _run_table(self) -> tuple[list[int], list[int], int]:
        if self._runs is None:
            # A run of one white-space character becomes one space in place: offsets only
            # shift at the leading run and at runs of two characters or more.
            spaces: list[int] = []
            ends: list[int] = []
            paragraphs: list[int] = []
            orig = self.orig
            n = len(orig)
            lead = removed = n - len(orig.lstrip())
            if 0 < lead < n and orig.count("\n", 0, lead) >= 2:
                paragraphs.append(0)
            for m in _LONG_SPACES.finditer(orig, lead):
                s, e = m.span()
                if e == n:  # trailing white space: dropped
                    break
                j = s - removed  # normalised offset of the one space left
                spaces.append(j)
                ends.append(e)
                removed += e - s - 1
                if orig.count("\n", s, e) >= 2:
                    paragraphs.append(j + 1)
            self._runs = (spaces, ends, lead)
            if self._paragraphs is None:
                self._paragraphs = paragraphs
        return self._runs

    @property
    def paragraphs(self) -> list[int]:
        if self._paragraphs is None:
            self._run_table()
        assert self._paragraphs is not None
        return self._paragraphs

    def _orig_index(self, j: int) -> int:
        """Index in the original text of normalised character ``j``."""
        if self._pos is not None:
            return self._pos[j]
        spaces, ends, lead = self._run_table()
        r = bisect.bisect_right(spaces, j) - 1
        if r < 0:
            return lead + j
        if spaces[r] == j:  # the space: the last character of its run
            return ends[r] - 1
        return ends[r] + (j - spaces[r] - 1)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self._orig_index(start), self._orig_index(end - 1) + 1


def _normalise(text: str) -> _Norm:
    if "\u00ad" not in text:
        mapped = text.translate(_TRANSLATE) if _MAPPED.search(text) else text
        return _Norm(" ".join(mapped.split()), text)
    return _normalise_chars(text)


def _normalise_chars(text: str) -> _Norm:
    """Character by character, with a full offset map (texts holding soft hyphens)."""
    out: list[str] = []
    pos: list[int] = []
    paragraphs: list[int] = []
    pending_space = False
    newlines = 0
    for i, ch in enumerate(text):
        if ch in _SPACE_CHARS or ch.isspace():
            pending_space = True
            if ch == "\n":
                newlines += 1
            continue
        rep = _CHAR_MAP.get(ch, ch)
        if not rep:
            continue
        if pending_space:
            if out:
                out.append(" ")
                pos.append(i - 1)
            if newlines >= 2:
                paragraphs.append(len(out))
            pending_space = False
            newlines = 0
        out.append(rep)
        pos.append(i)
    return _Norm("".join(out), text, pos, paragraphs)


# --------------------------------------------------------------------------------------------
# Scanning
# --------------------------------------------------------------------------------------------


def _finditer_at(
    pattern: re.Pattern[str], text: str, starts: re.Pattern[str]
) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text)``, trying ``pattern`` only where ``starts``
    matches (a zero-width pattern, cheaper to scan for).

    ``starts`` must match at every position where ``pattern`` can match, and ``pattern`` must
    never match the empty string. Then the result is the same: ``finditer`` tries ``pattern``
    at each position in turn and goes on from the end of each match, and ``pattern.match(text,
    pos)`` is what it tries at ``pos`` (look-behinds still see the text before ``pos``).
    """
    end = 0
    for s in starts.finditer(text):
        pos = s.start()
        if pos < end:
            continue  # inside the previous match
        m = pattern.match(text, pos)
        if m is not None:
            yield m
            end = m.end()


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "juill": 7, "aout": 8, "septembre": 9,
    "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}  # fmt: skip

# « 9 juin 2023 », « 1er août 2001 », « 16 févr. 2015 », « 25/02/2026 »
_DATE = (
    r"(?:(?P<dd>1er|1°|[0-3]?\d) "
    r"(?P<mon>janvier|janv\.|f[ée]vrier|f[ée]vr\.|mars|avril|avr\.|mai|juin"
    r"|juillet|juil\.|juill\.|ao[ûu]t|septembre|sept\.|octobre|oct\.|novembre|nov\.|d[ée]cembre"
    r"|d[ée]c\.) (?P<yyyy>1[89]\d\d|20\d\d)"
    r"|(?P<dnd>[0-3]?\d)/(?P<dnm>[01]?\d)/(?P<dny>1[89]\d\d|20\d\d))(?!\d)"
)


def _parse_date(m: re.Match[str]) -> datetime.date | None:
    try:
        if m.group("yyyy"):
            day = 1 if m.group("dd") in ("1er", "1°") else int(m.group("dd"))
            month = _MONTHS[_fold(m.group("mon")).rstrip(".")]
            return datetime.date(int(m.group("yyyy")), month, day)
        if m.group("dny"):
            return datetime.date(int(m.group("dny")), int(m.group("dnm")), int(m.group("dnd")))
    except (ValueError, KeyError):
        return None
    return None


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


_NUM_MARK = r"(?:n ?°|N ?°|no\.?|No\.?|NO\.?|nr\.?)"

# --- French numbered and dated texts ---------------------------------------------------------
# type word (full or Ref-Lex abbreviation), optional qualifier, then « n° AAAA-N » and/or a date.
_FR_TYPE = (
    r"(?P<type>lois?|LOI|d[ée]crets?-lois?|D\.-L\.|d[ée]crets?|D[ÉE]CRET|ordonnances?|ORDONNANCE"
    r"|arr[êe]t[ée]s?|ARR[ÊE]T[ÉE]|circulaires?|L\. org\.|L\. const\.|L\.|D\.|Ord\.|Circ\.|A\.)"
)
_FR_QUAL = (
    r"(?: (?P<qual>organique|constitutionnelle|de finances(?: rectificative| pour \d{4})?"
    r"|de programmation|de financement de la s[ée]curit[ée] sociale(?: pour \d{4})?"
    r"|interminist[ée]riel|minist[ée]riel|conjoint|simple"
    r"|d[ée]lib[ée]r[ée] en conseil des ministres"
    r"|en Conseil d'[ÉE]tat))?"
)
_FR_NUMBER = r"(?P<num>(?P<ny>\d{4}|\d{2})-(?P<nn>\d{1,4}))(?![\d.,/]\d|\d|-\d)"
# The scanning patterns open with a look-ahead for the characters a match can start with (here
# the type words' first letters, case-insensitively like the whole pattern): one cheap test rules
# out most positions before the look-behind and the alternatives are tried there. It must list
# the first letter of every alternative (tests/test_refs.py checks it).
_FR_TEXT_RE = re.compile(
    r"(?=[ldoac])(?<![\w.])" + _FR_TYPE + _FR_QUAL
    + r"(?: (?P<mark>" + _NUM_MARK + r" ?|num[ée]ro )?" + _FR_NUMBER + r")?"
    + r"(?:(?: du|,) " + _DATE + r")?",
    re.IGNORECASE,
)  # fmt: skip

_TYPE_KEYS = {
    "loi": "loi", "lois": "loi", "l.": "loi", "l. org.": "loi", "l. const.": "loi",
    "decret": "decret", "decrets": "decret", "d.": "decret",
    "decret-loi": "decret-loi", "decrets-lois": "decret-loi", "d.-l.": "decret-loi",
    "ordonnance": "ordonnance", "ordonnances": "ordonnance", "ord.": "ordonnance",
    "arrete": "arrete", "arretes": "arrete", "a.": "arrete",
    "circulaire": "circulaire", "circulaires": "circulaire", "circ.": "circulaire",
}  # fmt: skip
_TYPE_LABELS = {
    "loi": "Loi", "decret": "Décret", "decret-loi": "Décret-loi", "ordonnance": "Ordonnance",
    "arrete": "Arrêté", "circulaire": "Circulaire",
}  # fmt: skip
_ELI_TYPES = {"loi": "loi", "decret": "decret", "ordonnance": "ordonnance", "arrete": "arrete"}
_NOR_NATURE = {"loi": "L", "decret": "D", "arrete": "A", "ordonnance": "R", "circulaire": "C"}
_NUMBERED_TYPES = {"loi", "decret", "ordonnance", "decret-loi"}
_ABBREV_TYPES = {"l.", "d.", "ord.", "circ.", "a.", "l. org.", "l. const.", "d.-l."}


def _valid_number(ny: str, nn: str) -> bool:
    year = int(ny)
    if len(ny) == 2:
        return year >= 45 and len(nn) <= 4
    return 2000 <= year <= datetime.date.today().year + 1


def _fr_texts(norm: _Norm) -> Iterator[_Cand]:
    for m in _FR_TEXT_RE.finditer(norm.text):
        raw_type = _fold(m.group("type"))
        typ = _TYPE_KEYS.get(raw_type)
        if typ is None:
            continue
        qual = m.group("qual")
        if qual and _fold(qual) == "en conseil d'etat":
            continue  # « décret en Conseil d'État » never carries its number in that position
        num = m.group("num")
        date = _parse_date(m) if (m.group("yyyy") or m.group("dny")) else None
        if not _fr_text_ok(typ, raw_type in _ABBREV_TYPES, m, date):
            continue
        yield _fr_cand(m.start(), m.end(), typ, qual, num, date)


def _fr_text_ok(typ: str, abbreviated: bool, m: re.Match[str], date: datetime.date | None) -> bool:
    num = m.group("num")
    if num and (typ not in _NUMBERED_TYPES or not _valid_number(m.group("ny"), m.group("nn"))):
        return False  # arrêtés, circulaires: numbers are local (municipal…), never a national key
    if abbreviated:
        if typ in ("arrete", "circulaire"):
            return date is not None and num is None  # Ref-Lex « A., 28 août 2006 »
        return bool(num and m.group("mark"))  # « L. n° 2015-177 », never « L. 45-1 » (an article)
    if num:
        return True
    # unnumbered: needs a date; a court « ordonnance du … » is not a text
    return date is not None and typ in ("loi", "decret", "arrete", "circulaire")


def _fr_cand(
    start: int, end: int, typ: str, qual: str | None, num: str | None, date: datetime.date | None
) -> _Cand:
    words = [_TYPE_LABELS[typ]]
    if qual and typ == "loi" and _fold(qual) in ("organique", "constitutionnelle"):
        words.append(_fold(qual))
    label = " ".join(words)
    if num:
        key = f"fr:{typ}:{num}"
        label += f" n° {num}"
    else:
        assert date is not None
        key = f"fr:{typ}:du-{date.isoformat()}"
    if date:
        label += f" du {date_fr(date)}"
    url, link = _legifrance_search(label), "search"
    plain = not qual or typ != "loi" or _fold(qual).startswith("de ")
    if num and date and typ in _ELI_TYPES and plain and _number_matches_date(num, date):
        url, link = _eli_url(typ, date, num), "official"
    return _Cand(start, end, "fr_text", key, label, url, link, date)


def _number_matches_date(num: str, date: datetime.date) -> bool:
    ny = num.split("-")[0]
    year = int(ny) + (1900 if len(ny) == 2 else 0)
    return year == date.year


def _eli_url(typ: str, date: datetime.date, ident: str) -> str:
    return (
        f"{LEGIFRANCE}/eli/{_ELI_TYPES[typ]}/{date.year}/{date.month}/{date.day}/{ident}/jo/texte"
    )


# --- NOR ----------------------------------------------------------------------------------
# « NOR : ECOC2301234A », « (NOR: ECOC2604872A) », « NOR:HRUX0817196D »:
# 4 letters, 7 digits, 1 letter, always after the word NOR (bare look-alikes are too common).
_NOR_RE = re.compile(r"\bNOR ?: ?(?P<nor>[A-Z]{4}\d{7}[A-Z])(?![\w])")


def _nors(norm: _Norm) -> Iterator[_Cand]:
    if "NOR" not in norm.text:  # the pattern's literal: a C scan instead of a regex scan
        return
    for m in _NOR_RE.finditer(norm.text):
        nor = m.group("nor")
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
    r"(?:https?://)?(?:www\.)?legifrance\.gouv\.fr/eli/"
    r"(?P<type>loi|decret|ordonnance|arrete|circulaire|decret_legislatif)/"
    r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})/"
    r"(?P<id>[A-Z]{4}\d{7}[A-Z]|\d{2,4}-\d{1,5})(?P<rest>(?:/[A-Za-z0-9_]+)*)/?"
)
_ELI_EU_RE = re.compile(
    r"(?:https?://)?data\.europa\.eu/eli/(?P<t>reg|dir|dec)(?P<sub>_impl|_del)?/"
    r"(?P<y>\d{4})/(?P<n>\d{1,4})(?P<rest>/oj(?:/[a-z]{3})?)?(?![\w/])"
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
        url = "http://" + m.group(0).split("://", 1)[-1]
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


_CELEX_TYPES = {"R": "Règlement", "L": "Directive", "D": "Décision", "F": "Décision-cadre"}


def _celex_label(celex: str) -> str:
    act = _data().acts.get(f"eu:celex:{celex}")
    if act:
        return act.label
    m = re.fullmatch(r"3(\d{4})([RLDF])(\d{4})", celex)
    if m:
        year, typ, num = int(m.group(1)), m.group(2), int(m.group(3))
        return (
            f"{_CELEX_TYPES[typ]} {year}/{num}"
            if year >= 2015
            else f"{_CELEX_TYPES[typ]} CELEX {celex}"
        )
    return f"CELEX {celex}"


# --- EU acts by citation ------------------------------------------------------------------
_EU_TYPE = (
    r"(?P<type>r[èe]glements?|directives?|d[ée]cisions?-cadres?|d[ée]cisions?|regulations?"
    r"|framework decisions?|decisions?)"
)
_EU_QUAL = (
    r"(?: (?P<qual>d[ée]l[ée]gu[ée]e?|d'ex[ée]cution|europ[ée]en(?:ne)?|communautaire"
    r"|du Conseil|de la Commission|d'ex[ée]cution de la Commission"
    r"|d[ée]l[ée]gu[ée]e? de la Commission))?"
)
_EU_DOMAINS = (
    r"UE, Euratom|EU, Euratom|UE|CEE|CE|EU|EEC|EC|Euratom|EURATOM|PESC|CFSP|JAI|JHA|CECA|ECSC"
)
_EU_DOMAIN = r"(?: \((?P<dom>" + _EU_DOMAINS + r")\)| (?P<dom2>CEE|CE|UE)(?= " + _NUM_MARK + r"))"
_EU_SUFFIX = r"UE|CEE|CE|EU|EEC|EC|EURATOM|Euratom|PESC|CFSP|JAI|JHA|CECA|ECSC"
_EU_NUMBERING = (
    r"(?P<mark>"
    + _NUM_MARK
    + r" ?)?(?P<a>\d{1,4})/(?P<b>\d{1,4})(?:/(?P<suf>"
    + _EU_SUFFIX
    + r"))?"
    r"(?![\w/]|-\d|\.\d)"
)
# (?=[rdf]): the type words' first letters (see _FR_TEXT_RE).
_EU_ACT_RE = re.compile(
    r"(?=[rdf])(?<![\w-])" + _EU_TYPE + _EU_QUAL + _EU_DOMAIN + r"? " + _EU_NUMBERING, re.IGNORECASE
)
# « …, 2009/110/CE et 2013/36/UE », « … and (EC) No 1925/2006 »: further acts of the same type.
_EU_CONT_RE = re.compile(
    r"(?:,| et| and| ou| or|, et|, and) (?:(?:le|la|les|du|de la|des|au|à la) )?"
    r"(?:\((?P<dom>" + _EU_DOMAINS + r")\) )?" + _EU_NUMBERING
)
_OLD_DOMAINS = {"CE", "CEE", "EC", "EEC", "CECA", "ECSC"}
_DOMAIN_FR = {"EU": "UE", "EC": "CE", "EEC": "CEE", "CFSP": "PESC", "JHA": "JAI", "ECSC": "CECA",
              "EURATOM": "Euratom", "EU, Euratom": "UE, Euratom"}  # fmt: skip


def _looks_year(s: str) -> bool:
    if len(s) == 2:
        return int(s) >= 52
    return len(s) == 4 and 1952 <= int(s) <= datetime.date.today().year + 1


def _full_year(s: str) -> int:
    y = int(s)
    return y + 1900 if len(s) == 2 else y


def _eu_year_number(
    a: str, b: str, dom: str | None, mark: bool, suffix: bool
) -> tuple[int, int, bool] | None:
    """(year, number, year_first) for the pair a/b, or None when it cannot be decided."""
    ya, yb = _looks_year(a), _looks_year(b)
    if suffix:  # directive/decision style AAAA/N/DOM, or legislative decision n° N/AAAA/DOM
        if mark and yb and not (ya and len(a) == 4 and int(a) >= 2015):
            year_first = False
        elif ya:
            year_first = True
        else:
            return None
    elif ya and not yb:
        year_first = True
    elif yb and not ya:
        year_first = False
    elif ya and yb:
        year_first = dom not in _OLD_DOMAINS and len(a) == 4 and int(a) >= 2015
    else:
        return None
    year_s, num_s = (a, b) if year_first else (b, a)
    year, num = _full_year(year_s), int(num_s)
    if not (1952 <= year <= datetime.date.today().year + 1) or not 1 <= num <= 9999:
        return None
    return year, num, year_first


def _eu_letter(type_word: str) -> str:
    t = _fold(type_word)
    if "cadre" in t or "framework" in t:
        return "F"
    return {"reg": "R", "dir": "L", "dec": "D"}[t[:3]]


def _eu_cand(
    start: int, end: int, letter: str, qual: str | None, dom: str | None,
    a: str, b: str, mark: bool, suf: str | None, group: int,
) -> _Cand | None:  # fmt: skip
    decided = _eu_year_number(a, b, dom, mark, suf is not None)
    if decided is None:
        return None
    year, num, year_first = decided
    if letter in ("D", "F") and not (dom or suf):
        return None  # « décision n° 12/2019 » of some national body: not an EU act
    celex = f"3{year}{letter}{num:04d}"
    key = f"eu:celex:{celex}"
    act = _data().acts.get(key)
    if act:
        label = act.label
    else:
        domain = _DOMAIN_FR.get(dom or "", dom) if dom else None
        suffix = _DOMAIN_FR.get(suf or "", suf) if suf else domain
        word = _CELEX_TYPES[letter]
        q = _fold(qual or "")
        if q.startswith("delegu"):
            word += " délégué" if letter == "R" else " déléguée"
        elif q.startswith("d'execution"):
            word += " d'exécution"
        ys = f"{year % 100:02d}" if year < 1999 else str(year)
        if year >= 2015:
            label = f"{word} ({domain}) {year}/{num}" if domain else f"{word} {year}/{num}"
        elif letter == "R":
            label = f"{word} ({domain}) n° {num}/{ys}" if domain else f"{word} n° {num}/{ys}"
        elif not year_first:
            label = f"{word} n° {num}/{ys}/{suffix}" if suffix else f"{word} n° {num}/{ys}"
        else:
            label = f"{word} {ys}/{num}/{suffix}" if suffix else f"{word} {ys}/{num}"
    return _Cand(
        start, end, "eu_act", key, label, EURLEX_CELEX.format(celex), "official", group=group
    )


def _eu_acts(norm: _Norm) -> Iterator[_Cand]:
    t = norm.text
    if "/" not in t:  # every citation has its « a/b » numbering
        return
    for i, m in enumerate(_EU_ACT_RE.finditer(t), start=1):
        letter = _eu_letter(m.group("type"))
        dom = m.group("dom") or m.group("dom2")
        cand = _eu_cand(
            m.start(), m.end(), letter, m.group("qual"), dom, m.group("a"), m.group("b"),
            bool(m.group("mark")), m.group("suf"), group=i,
        )  # fmt: skip
        if cand is None:
            continue
        yield cand
        plural = _fold(m.group("type")).endswith("s")
        pos = m.end()
        while (c := _EU_CONT_RE.match(t, pos)) is not None:
            cdom = c.group("dom") or dom
            if not (plural or c.group("dom") or c.group("suf") or c.group("mark")):
                break
            nxt = _eu_cand(
                c.start("a") - (len(c.group("mark") or "")), c.end(), letter, m.group("qual"),
                cdom, c.group("a"), c.group("b"), bool(c.group("mark")), c.group("suf"), group=i,
            )  # fmt: skip
            if nxt is None:
                break
            if c.group("dom"):
                nxt.start = c.start("dom") - 1
            yield nxt
            pos = c.end()


# --- Common names (RGPD, loi Hamon…) -------------------------------------------------------


_LABEL_DATE_RE = re.compile(r"du " + _DATE)


def _named_acts(norm: _Norm) -> Iterator[_Cand]:
    data = _data()
    if data.act_name_re is None or data.act_start_re is None:
        return
    for m in _finditer_at(data.act_name_re, norm.text, data.act_start_re):
        key = data.act_by_name.get(_fold(m.group(0)))
        if key is None:
            continue
        act = data.acts[key]
        kind = "eu_act" if key.startswith("eu:") else "fr_text"
        if kind == "eu_act":
            url, link = EURLEX_CELEX.format(key.split(":")[-1]), "official"
        else:
            url, link = _legifrance_search(act.label), "search"
        known = _LABEL_DATE_RE.search(act.label)
        alias_date = _parse_date(known) if known else None
        yield _Cand(m.start(), m.end(), kind, key, act.label, url, link, alias_date=alias_date)


# --- Code articles ------------------------------------------------------------------------
# One article: « L. 121-1 », « L121-1 », « R.* 123 », « LO 141 », « D. 643-35 », « 1240 », « 1er ».
_ART = (
    r"(?:(?:LO|L|R|D|A)\*?(?:\. ?| )?)?(?:\d+(?:-\d+)*|1er)"
    r"(?: (?:bis|ter|quater|quinquies))?(?![\w-])"
)
_ART_SEP = r"(?:, ?| et | à | ou | et/ou |,? ainsi qu'(?:à |aux )?| (?=(?:LO|L|R|D|A)\.? ?\d))"
_ART_LIST = r"(?P<list>" + _ART + r"(?:" + _ART_SEP + _ART + r")*)"
# What may stand between the list and the code name: « , alinéa 2, », « , 3°, », « du I ».
_ART_GAP = (
    r"(?:,? (?:alin[ée]as?|al\.|premier alin[ée]a|paragraphes?|§) ?[\w°]*,?|, [IVX]+,| [IVX]+,)?"
)
_ANAPHORA = r"(?P<ana>m[êe]me code|ce m[êe]me code|ce code|code pr[ée]cit[ée])"
# (?=[AaLRD\d]): what « article », « art. », a prefix (L, R, D, A, LO) or a number start with
# (see _FR_TEXT_RE).
_CODE_ART_RE = re.compile(
    r"(?=[AaLRD\d])(?<![\w.])(?P<kw>(?:[Aa]rticles?|ARTICLES?|[Aa]rt\.) )?" + _ART_LIST + _ART_GAP
    + r"(?: (?:(?:du|de la|de l'|des|au|à la|à l'|de) ?)?(?:" + _ANAPHORA
    + r"|(?P<code>[Cc]ode|CODE|C\.|[A-Z]{3,6}))| (?P<ana2>dudit code))"
)  # fmt: skip
_ONE_ART_RE = re.compile(
    r"(?P<p>LO|L|R|D|A)?(?P<star>\*)?(?:\. ?| )?(?P<n>\d+(?:-\d+)*|1er)"
    r"(?: (?P<x>bis|ter|quater|quinquies))?"
)


def _resolve_code(norm: _Norm, pos: int) -> tuple[str, int] | None:
    """The code named at ``pos`` (full name or abbreviation) and where its name ends."""
    data = _data()
    m = data.code_name_re.match(norm.text, pos) or data.code_abbrev_re.match(norm.text, pos)
    if m is None:
        return None
    slug = data.code_by_name.get(_fold(m.group(0)))
    if slug is None:
        # abbreviation written without its optional space (« C.consom. »)
        slug = next(
            (
                s
                for n, s in data.code_by_name.items()
                if n.replace(" ", "") == _fold(m.group(0)).replace(" ", "")
            ),
            None,
        )
    return (slug, m.end()) if slug else None


def _code_articles(norm: _Norm) -> Iterator[_Cand]:
    data = _data()
    # Every article kept names a code the text names (« même code » refers back to one): in a
    # text naming none, the costlier scan for article numbers cannot find anything.
    t = norm.text
    if data.code_name_re.search(t) is None and data.code_abbrev_re.search(t) is None:
        return
    last_code: tuple[str, int] | None = None  # slug, normalised offset where it was named
    for i, m in enumerate(_CODE_ART_RE.finditer(norm.text), start=1):
        first = _ONE_ART_RE.match(m.group("list"))
        if not m.group("kw") and (first is None or first.group("p") is None):
            continue  # a bare number followed by « du code … » needs the word « article »
        if m.group("ana") or m.group("ana2"):
            paragraph = bisect.bisect_right(norm.paragraphs, m.start())
            if last_code is None or bisect.bisect_right(norm.paragraphs, last_code[1]) != paragraph:
                continue
            slug, end = last_code[0], m.end()
        else:
            resolved = _resolve_code(norm, m.start("code"))
            if resolved is None:
                continue
            slug, end = resolved
            last_code = (slug, m.start())
        code = data.codes[slug]
        list_start = m.start("list")
        for a in _ONE_ART_RE.finditer(m.group("list")):
            prefix = (a.group("p") or "") + (a.group("star") or "")
            number = "1" if a.group("n") == "1er" else a.group("n")
            extra = f" {a.group('x')}" if a.group("x") else ""
            art = prefix + number + extra
            shown = (
                (prefix + (" " if prefix.startswith("LO") else ". ") if prefix else "")
                + a.group("n")
                + extra
            )
            label = f"{code.name}, art. {shown}"
            s, e = list_start + a.start(), list_start + a.end()
            is_last = a.end() == len(m.group("list"))
            yield _Cand(
                m.start() if a.start() == 0 else s, end if is_last else e, "code_article",
                f"fr:code:{slug}:{art.replace(' ', '-')}", label,
                _legifrance_search(f"{code.name} article {art}"), "search", group=i,
            )  # fmt: skip


# --- Standards ----------------------------------------------------------------------------
# A run of designation tokens (« NF EN ISO », « ISO/IEC TR », « FD CEN/TR », « AFNOR SPEC »),
# then a classification index (« Z 42-013 ») or a number (« 9001 », « 20000-1 », « 64.1 »),
# then amendment and edition year in any of their written forms.
_STD_TOKENS = (
    r"PR|NF|XP|FD|AC|BP|GA|EN|ENV|ISO|IEC|CEI|CEN|CENELEC|IEEE|ASTM|ETSI|AFNOR|SPEC|UTE|DTU"
    r"|TR|TS|PAS|DIS|FDIS|CD|WD|DTS|DTR|Guide"
)
_AMD = r"(?:/(?P<a1>A\d{1,2})|/Amd ?(?P<a2>\d{1,2})(?: ?: ?(?P<a2y>\d{4}))?)"
# (?=[A-Z]): every designation token starts with a capital (see _FR_TEXT_RE).
_STD_RE = re.compile(
    r"(?=[A-Z])(?<![\w/.-])(?P<pre>(?:" + _STD_TOKENS + r")(?:[ /](?:" + _STD_TOKENS + r"))*) "
    r"(?:(?P<idx>[A-Z]) ?(?P<i1>\d{2})-?(?P<i2>\d{3})|(?P<num>\d{1,6}(?:-\d{1,3})*(?:\.\d{1,2})?))"
    r"(?![\w])" + _AMD + r"?"
    r"(?: ?: ?(?P<y1>(?:19[5-9]|20[0-3])\d)(?!\d)"  # « :2015 », « : 2015 »
    r"| ?\((?P<y2>(?:19[5-9]|20[0-3])\d)\)"  # « (2015) »
    r"| version (?P<y3>(?:19[5-9]|20[0-3])\d)(?!\d))?"  # « version 2015 »
    + r"(?:" + _AMD.replace("a1", "b1").replace("a2", "b2") + r")?"
)  # fmt: skip
_STD_CUE_RE = re.compile(
    r"(?i)(?:norme|normes|standard|standards|certifi|conforme|référentiel|ISO/IEC|homologu)"
)
_CAMERA_ISO = frozenset(
    [
        "50",
        "64",
        "80",
        "100",
        "125",
        "160",
        "200",
        "250",
        "320",
        "400",
        "500",
        "640",
        "800",
        "1000",
        "1250",
        "1600",
        "2000",
        "2500",
        "3200",
        "4000",
        "5000",
        "6400",
        "8000",
        "10000",
        "12800",
        "25600",
        "51200",
        "102400",
    ]
)
_STD_STARTS = {
    "PR",
    "NF",
    "XP",
    "FD",
    "AC",
    "BP",
    "GA",
    "EN",
    "ISO",
    "IEC",
    "CEI",
    "CEN",
    "AFNOR",
    "UTE",
}
_ISO_BODIES = {"ISO", "IEC", "CEI"}


def _standards(norm: _Norm) -> Iterator[_Cand]:
    t = norm.text
    for m in _STD_RE.finditer(t):
        cand = _standard(norm, m)
        if cand is not None:
            yield cand


def _standard(norm: _Norm, m: re.Match[str]) -> _Cand | None:
    tokens = re.split(r"[ /]", m.group("pre"))
    first = tokens[0]
    if first not in _STD_STARTS or (first == "AFNOR" and tokens[1:2] != ["SPEC"]):
        return None
    if first == "PR" and tokens[1:2] != ["NF"]:
        return None
    year = m.group("y1") or m.group("y2") or m.group("y3")
    amd = _std_amendment(m)
    num, idx = m.group("num"), m.group("idx")
    intl = any(tok in ("EN", "ISO", "IEC", "CEI", "CEN", "ETSI", "DTU", "SPEC") for tok in tokens)
    if idx:
        if (intl and "DTU" not in tokens) or first in ("ISO", "IEC", "CEI", "EN", "CEN"):
            return None
        ref = f"{idx}{m.group('i1')}-{m.group('i2')}"
    else:
        assert num is not None
        ref = num
        base = num.split("-")[0].split(".")[0]
        part = "-" in num
        if first in ("NF", "XP", "FD", "AC", "BP", "GA", "PR", "UTE") and not intl:
            return None  # « NF 461 » (certification mark), « AC 220 »…: no index, no EN/ISO
        if len(base) < 3 and "DTU" not in tokens:
            return None  # « ISO 14 jours »
        if tokens == ["ISO"] or tokens == ["IEC"] or tokens == ["CEI"]:
            strong = bool(year or part or amd)
            if not strong and base in _CAMERA_ISO:
                return None
            cue = _STD_CUE_RE.search(norm.text, max(0, m.start() - 40), m.start())
            if tokens == ["ISO"] and not (strong or base in _data().iso_known or cue):
                return None
            if tokens != ["ISO"] and not (strong or (len(base) == 5 and base.startswith("6"))):
                return None
        elif tokens == ["EN"] and not (year or part or amd):
            return None
    body_tokens = ["IEC" if tok == "CEI" else tok for tok in tokens]
    body = "-".join(tok.lower() for tok in body_tokens)
    key = f"std:{body}:{ref.lower()}"
    if year:
        key += f":{year}"
    if amd:
        key += f"/{amd[0].lower()}"
    pre_label = " ".join(" ".join(body_tokens).split())
    pre_label = re.sub(
        r"(ISO|CEN|ETSI) (IEC|TR|TS|IEEE|PAS|DIS|FDIS|CD|WD)",
        r"\1/\2",
        m.group("pre").replace("CEI", "IEC"),
    )
    label = f"{pre_label} {ref}" + (f":{year}" if year else "") + (f"/{amd[1]}" if amd else "")
    iso_id = _data().iso_ids.get(key.split("/")[0])
    if iso_id is not None:
        url, link = ISO_STANDARD.format(iso_id), "official"
    elif first in _ISO_BODIES:
        url, link = _iso_search(f"{pre_label} {ref}"), "search"
    else:
        url, link = _afnor_search(f"{pre_label} {ref}"), "search"
    return _Cand(m.start(), m.end(), "standard", key, label, url, link)


def _std_amendment(m: re.Match[str]) -> tuple[str, str] | None:
    """(key part, label part) of an amendment, e.g. ("amd1:2024", "Amd 1:2024") or ("a1", "A1")."""
    for a, n, y in (("a1", "a2", "a2y"), ("b1", "b2", "b2y")):
        if m.group(a):
            return m.group(a).lower(), m.group(a)
        if m.group(n):
            year = m.group(y)
            return (f"amd{m.group(n)}" + (f":{year}" if year else ""),
                    f"Amd {m.group(n)}" + (f":{year}" if year else ""))  # fmt: skip
    return None


# --------------------------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------------------------

# Cheap pre-check: text without two digits or one of these words cannot hold a reference.
# Two searches: the one for two digits settles nearly every text at once, far sooner than the
# alternation of words would, which the regex engine tries at every position.
_TRIGGER_DIGITS_RE = re.compile(r"\d\d")
_TRIGGER_WORDS_RE = re.compile(
    r"(?i)eli/|celex|rgpd|gdpr|\bact\b|\bloi |reach|eidas|lcen|r[èe]glement|regulation|directive"
)


def _triggered(text: str) -> bool:
    return _TRIGGER_DIGITS_RE.search(text) is not None or _TRIGGER_WORDS_RE.search(text) is not None


def _link_nors(cands: list[_Cand]) -> None:
    """Give an unnumbered French text the ELI built with the NOR written right after it."""
    texts = [c for c in cands if c.kind == "fr_text" and c.key.split(":")[2].startswith("du-")]
    nors = [c for c in cands if c.kind == "nor"]
    for c in texts:
        typ = c.key.split(":")[1]
        following = [n for n in nors if 0 <= n.start - c.end <= 300]
        if not following or c.date is None or typ not in _ELI_TYPES:
            continue
        nor = following[0].key.split(":")[2]
        between = [
            o for o in cands if o.kind == "fr_text" and c.end <= o.start < following[0].start
        ]
        if not between and nor.endswith(_NOR_NATURE[typ]):
            c.url, c.link = _eli_url(typ, c.date, nor), "official"


def _unify_dated(cands: list[_Cand]) -> None:
    """« la loi du 30 juin 2000 » after « loi n° 2000-597 du 30 juin 2000 » gets the number key."""
    numbered: dict[tuple[str, datetime.date], _Cand] = {}
    for c in sorted(cands, key=lambda c: c.start):
        date = c.date or c.alias_date
        if c.kind != "fr_text" or date is None:
            continue
        typ, ident = c.key.split(":")[1], c.key.split(":")[2]
        if not ident.startswith("du-"):
            numbered.setdefault((typ, date), c)
        elif (typ, date) in numbered:
            ref = numbered[(typ, date)]
            c.key, c.label = ref.key, ref.label
            if ref.link == "official":
                c.url, c.link = ref.url, ref.link


def _deoverlap(cands: list[_Cand]) -> list[_Cand]:
    """Longest wins; candidates of one list match (same group) never compete with each other."""
    chosen: list[_Cand] = []
    taken: list[tuple[int, int, str, int]] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        clash = any(
            c.start < e and s < c.end and not (c.group and g == c.group and k == c.kind)
            for s, e, k, g in taken
        )
        if not clash:
            chosen.append(c)
            taken.append((c.start, c.end, c.kind, c.group))
    return sorted(chosen, key=lambda c: (c.start, c.end))


def _candidates(norm: _Norm) -> list[_Cand]:
    out: list[_Cand] = []
    group_base = 0
    for matcher in (_fr_texts, _nors, _legi_ids, _elis, _celexes, _eu_acts, _named_acts,
                    _code_articles, _standards):  # fmt: skip
        found = list(matcher(norm))
        for c in found:
            if c.group:
                c.group += group_base
        group_base += 100_000
        out.extend(found)
    return out


def find_references(text: str) -> list[Reference]:
    """All references in text, in order, de-overlapped (longest wins).

    The same key may repeat at different spans.
    """
    if not text or not _triggered(text):
        return []
    norm = _normalise(text)
    cands = _candidates(norm)
    _unify_dated(cands)
    _link_nors(cands)
    refs = []
    for c in _deoverlap(cands):
        start, end = norm.span(c.start, c.end)
        refs.append(
            Reference(c.kind, c.key, c.label, c.url, c.link, text[start:end], start, end, c.date)
        )
    return refs


# --------------------------------------------------------------------------------------------
# Queries and aliases
# --------------------------------------------------------------------------------------------

_KEY_RE = re.compile(
    r"(?:eu:celex:[0-9CE]\d{4}[A-Z]{1,2}\d{4}(?:R\(\d{2}\))?|fr:[a-z-]+:[\w*:.-]+|std:[a-z-]+:[\w:./-]+)"
)
_BARE_CELEX_RE = re.compile(r"[0-9CE]\d{4}[A-Z]{1,2}\d{4}(?:R\(\d{2}\))?")
_BARE_FR_RE = re.compile(
    r"(?i)(?P<type>loi|d[ée]cret|ordonnance) (?P<num>(?P<ny>\d{4}|\d{2})-(?P<nn>\d{1,4}))"
)


def resolve_reference_query(value: str) -> list[str]:
    """What a user typed after `ref:` in a search -> canonical keys.

    The value may be a canonical key, a common name such as RGPD, or a citation such as
    'Règlement (UE) 2016/679' or 'loi 2014-344'. Empty list if nothing recognised.
    """
    value = value.strip().strip("\"'«» ").strip()
    if not value:
        return []
    if _KEY_RE.fullmatch(value):
        return [value]
    if _BARE_CELEX_RE.fullmatch(value.upper()):
        return [f"eu:celex:{value.upper()}"]
    named = _data().act_by_name.get(_fold(value))
    if named:
        return [named]
    m = _BARE_FR_RE.fullmatch(" ".join(value.split()))
    if m and _valid_number(m.group("ny"), m.group("nn")):
        return [f"fr:{_TYPE_KEYS[_fold(m.group('type'))]}:{m.group('num')}"]
    keys: list[str] = []
    for ref in find_references(value):
        if ref.key not in keys:
            keys.append(ref.key)
    return keys


def aliases(key: str) -> list[str]:
    """Common names and short forms for a canonical key, used for indexing.

    E.g. eu:celex:32016R0679 -> ['RGPD', 'GDPR', …, 'Règlement (UE) 2016/679', …].
    """
    out: list[str] = []
    act = _data().acts.get(key)
    if act:
        out.extend(act.text_names)
        out.extend(act.query_names)
        out.append(act.label)
    m = re.fullmatch(r"eu:celex:(3(\d{4})([RLDF])(\d{4}))", key)
    if m:
        celex, year, num = m.group(1), int(m.group(2)), int(m.group(4))
        out.append(celex)
        out.append(f"{year}/{num}" if year >= 2015 else f"{num}/{year}")
    m = re.fullmatch(r"fr:(loi|decret|ordonnance):(\d{2,4}-\d{1,4})", key)
    if m:
        out.append(f"{_TYPE_LABELS[m.group(1)]} n° {m.group(2)}")
        out.append(m.group(2))
    m = re.fullmatch(r"fr:nor:([A-Z]{4}\d{7}[A-Z])", key)
    if m:
        out.append(m.group(1))
    seen: list[str] = []
    for a in out:
        if a not in seen:
            seen.append(a)
    return seen
