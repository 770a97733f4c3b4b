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
  ``eu:celex:32016R0679R(02)``; recommendations ``H``: ``eu:celex:32014H0710``).
* ``standard``: ``std:<body>:<ref>[:<year>][/<amendment>]`` (``std:nf-en-iso:9001:2015``,
  ``std:nf:z42-013``, ``std:iso:9001:2015/amd1:2024``).
* ``code``: a code cited without an article, or by a part of it (« livre IV du code de
  commerce », « titre II du livre Ier de ce code »), by an acronym that names it alone after a
  masculine determiner (« le CGCT », « du C.C.H. »), or as English translations name it (« the
  French Consumer Code »): ``fr:code:<code slug>`` (``fr:code:commerce``); another country's
  code (« Code civil du Québec », « code pénal marocain ») is not one.
* ``fundamental``: ``fr:constitution`` (« l'article 49.3 » or « le 49-3 » alone is its article
  49), ``fr:ddhc`` (Déclaration de 1789), ``fr:preambule-1946``,
  ``fr:charte-environnement``, ``eu:tfue``, ``eu:tue``, ``eu:charte``, ``int:cedh``, ``int:dudh``.
* ``decision``: ``fr:cc:<year>-<number>-<type>`` (Conseil constitutionnel, ``fr:cc:2019-796-DC``),
  or ``fr:cc:du-<date>`` when cited by date only (« Cons. const., 27 sept. 2013 »);
  ``fr:ce:<requête>`` or ``fr:ce:du-<date>`` (Conseil d'État); ``fr:cass:<pourvoi YY-NN.NNN>`` or
  ``fr:cass:du-<date>`` (Cour de cassation); ``fr:juris:<court>:<number or du-date>`` (cours
  d'appel ``ca-``, cours administratives d'appel ``caa-``, tribunaux administratifs ``ta-``,
  judiciaires ``tj-``, de grande instance ``tgi-``, de commerce ``tc-``:
  ``fr:juris:ca-rouen:21-02009``, ``fr:juris:caa-paris:18PA01234``); the EU courts'
  ``eu:case:<C or T>-<number>/<yy>``; a regulator's decision,
  avis or délibération ``fr:<body>:<number>`` or ``fr:<body>:du-<date>`` with ``<body>`` among
  ``adlc`` (Autorité / Conseil de la concurrence), ``arcep``, ``cnil``, ``cre``, ``asn``,
  ``arcom``, ``amf``, ``acpr``, ``has`` (Haute Autorité de santé, its number's slashes as
  hyphens: ``fr:has:2017.0109-DC-SJ``) (``fr:adlc:19-A-06``, ``fr:cnil:SAN-2021-023``), and
  ``fr:deliberation:<number>`` for a délibération whose body the item does not name. A dated
  act needs its body in the citation (« délibération de la CRE en date du … », « décision du … de
  la commission des sanctions de l'AMF », « AMF, Commission des sanctions, décision du … ») or,
  for a délibération, named in the 400 characters before it or as the subject later in its
  sentence; a local authority's délibération (conseil municipal, communautaire…) is never keyed.

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
  ``de ce code`` / ``du présent code`` / ``du code précité``, and an article written without a
  code (« l'article R. 462-4 »), resolve to the last code named earlier in the item; an article
  with a plain number (« l'article 1240 ») only in an item about a code so numbered (named in
  its first paragraph: civil, pénal, procédures, douanes, impôts) or right after such a code was
  named (300 characters, no other text named between). An article of the code du travail's
  numbering (« L. 1233-30 ») in an item that names no code by its full name, speaks of work
  (salariés, employeur, licenciement…) and not of communes, public procurement, public health,
  transport or defence is the code du travail's.
* ``<body>`` is the standard's prefix in lower case with spaces and slashes turned into hyphens
  (``NF EN ISO`` → ``nf-en-iso``, ``ISO/IEC TR`` → ``iso-iec-tr``; ``CEI`` is written ``iec``);
  classification indexes are written ``z42-013``; amendments ``a1`` or ``amd1:2024``.

Pinpoints: « article 82 de la loi n° 2016-731 », « loi n° 2010-737, art. 3 », « articles 101 et
102 du TFUE », « la loi n° 78-17 …, notamment son article 8 » give the act's key with
``pinpoint`` ``art-82`` (``full_key`` ``fr:loi:2016-731#art-82``), one reference per article of
a list. The article's subdivisions are read past and not kept (« art. 6.1.a du RGPD », « article 6,
paragraphe 1, point b du RGPD », « article 8-1, VI, alinéa 1er, de la loi … » give ``art-6``,
``art-8-1``); « l'article 18 de la même loi » (« du même décret ») is the last text cited before
when it is of that type. The key stays the act's, so everything grouped by key (facets, digests,
dossiers) groups by act; ``pinpoint_url`` links the article when the act's link is a Légifrance ELI
(``…/jo/article_82``). Code articles keep their article in the key.

Links
=====

``link == "official"`` only for a URL built from identifiers present in the text:

* EUR-Lex by CELEX (``https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:…``);
* a Légifrance ELI built from type + signature date + number
  (``/eli/loi/2023/6/9/2023-451/jo/texte``, month/day not zero-padded), or from type + date + a
  NOR written just after the citation; an ELI written in the text;
* a Légifrance id (``/jorf/id/JORFTEXT…``, ``/codes/article_lc/LEGIARTI…``,
  ``/codes/id/LEGITEXT…`` for verified codes);
* an ISO catalogue page from the verified table;
* a Conseil constitutionnel decision page (``/decision/2019/2019796DC.htm``).

Everything else gets ``link == "search"``: a Légifrance, ISO or AFNOR search URL. Common names
(« loi Hamon ») give the key and label from the data table but a search link, since number and
date are not in the text. No id is ever guessed.

Precision over recall: numbered French texts need a type word and an ``AA-N``/``AAAA-N`` number
(court orders ``ordonnance n° 1906898`` do not match); arrêtés are never keyed by a number (local
numbering); EU decisions need a domain; bare ``ISO nnn`` needs an edition year, a part, a known
number or a ``norme``/``standard`` cue nearby, and camera sensitivities (``ISO 400``) are refused;
``NF`` + bare number (certification marks such as ``NF 461``) is refused; a bare ``EN nnnn``
needs a part, a year or a ``norme`` cue; « la Constitution » needs an article before it and no
« de … » after (« Constitution d'une société »); an ``ordonnance`` cited by date only is a
government's when no court words surround it; a regulator's « décision » or « avis » needs its
body named in the item.

Time: a text's number or year after the next year is not read as a text's; the bound is the
``today`` the caller gives ``find_references`` (the enrichment gives its run's date, the search
its ``now``). ``RULES_VERSION`` is part of the enrichment's signature with ``data_digest()``:
bump it when a change of this module finds other references on the same text.

Quality on real text (``tests/data/refs/real_*.jsonl``): ``python -m benchmarks.quality``.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import functools
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import quote, quote_plus

import yaml

from watcher.dates import date_fr
from watcher.text import name_key

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
    # The article of the act cited with it (« article 12 de la loi n° … » → "art-12"), "" if
    # none; code articles carry theirs in the key. An article list gives one reference each.
    pinpoint: str = ""
    pinpoint_url: str = ""  # official link to that article when derivable from the text, else ""

    @property
    def full_key(self) -> str:
        """The canonical key with its pinpoint: ``fr:loi:2014-344#art-12``."""
        return f"{self.key}#{self.pinpoint}" if self.pinpoint else self.key


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
    kind: str  # "fr_text" | "eu_act" | "fundamental"


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


# Lower case, no accents, collapsed spaces, straight apostrophes (for table look-ups).
_fold = functools.lru_cache(maxsize=4096)(name_key)


def _accent_tolerant(name: str) -> str:
    """Regex for a literal name where accented letters may be written without accent (and an
    apostrophe lost in extraction, « de l environnement », as a space)."""
    out = []
    for ch in name:
        base = _fold(ch) if ch.strip() else ch
        if ch == " ":
            out.append(" ")
        elif ch in "'’":
            out.append("[' ]")
        elif base != ch.lower() and len(base) == 1:
            out.append(f"[{re.escape(ch)}{re.escape(ch.upper())}{base}{base.upper()}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


# The version of the recognition rules (this module's code): part of an enrichment's signature
# (``watcher.understand.process.signature``) next to ``data_digest()``, so that items found with
# former rules are flagged for enrichment again. Bump it when a change of this module finds other
# references on the same text (round 9 of issue 18: 9).
RULES_VERSION = 9


@functools.cache
def _aliases_text() -> str:
    return resources.files("watcher").joinpath("data/refs_aliases.yml").read_text(encoding="utf-8")


@functools.cache
def data_digest() -> str:
    """A digest of the shipped table of codes and acts (``data/refs_aliases.yml``): part of an
    enrichment's signature, so that items found with a former table are flagged."""
    return hashlib.sha256(_aliases_text().encode()).hexdigest()


# Another country's code (« le Code civil du Québec », « le code du travail suisse », « Code civil
# belge »): not a French code, neither alone nor with its articles.
_FOREIGN_CODE = (
    r",? (?:du Qu[ée]bec|qu[ée]b[ée]cois|du Canada|canadien|de Belgique|belge|suisse"
    r"|helv[ée]tique|allemand|du Luxembourg|luxembourgeois|marocain|du Maroc|alg[ée]rien"
    r"|tunisien|s[ée]n[ée]galais"
    r"|ivoirien|camerounais|congolais|malien|burkinab[èe]|b[ée]ninois|gabonais|guin[ée]en|malgache"
    r"|libanais|italien|espagnol|portugais|japonais|n[ée]erlandais|autrichien|mon[ée]gasque"
    r"|de Monaco|OHADA)(?![\w])"
)


@functools.cache
def _data() -> _Data:
    raw: dict[str, Any] = yaml.safe_load(_aliases_text())
    codes: dict[str, _Code] = {}
    by_name: dict[str, str] = {}
    names: list[str] = []
    abbrevs: list[str] = []
    for c in raw["codes"]:
        codes[c["slug"]] = _Code(c["slug"], c["name"], c.get("legitext"))
        for n in c["names"]:
            by_name[_fold(n).replace("'", " ")] = c["slug"]
            names.append(n)
        for a in c["abbrevs"]:
            # an acronym is also written with dots (« CCH »: « C.C.H. »)
            for form in (a, ".".join(a) + ".") if re.fullmatch("[A-Z]{3,6}", a) else (a,):
                by_name[_fold(form).replace("'", " ")] = c["slug"]
                abbrevs.append(form)
    names.sort(key=len, reverse=True)
    abbrevs.sort(key=len, reverse=True)
    # « code des douanes de l'Union » (« communautaire ») is an EU regulation (see acts), not
    # the French code des douanes.
    name_re = re.compile(
        r"(?:" + "|".join(_accent_tolerant(n) for n in names) + r")(?![\w'])"
        r"(?! de l['’ ]Union| communautaire)(?!" + _FOREIGN_CODE + r")",
        re.IGNORECASE,
    )
    # the final dot may be missing (« art. 1240 C. civ », « C. trav »)
    abbrev_alts = [
        re.escape(a).replace(r"\ ", r" ?") + ("?" if a.endswith(".") and " " in a else "")
        for a in abbrevs
    ]
    # Every abbreviation starts with « C » (or « L », « N »: « LPF », « NCPC »): a cheap
    # look-ahead rules out the other positions.
    lead = "(?=[" + "".join(sorted({a[0] for a in abbrevs})) + "])"
    # a footnote call may be glued to an acronym (« l'article L. 210-1 du CJF1, »)
    abbrev_re = re.compile(
        lead + r"(?:" + "|".join(abbrev_alts) + r")(?:(?!\w)|(?<=[A-Z]{3})(?=\d(?!\w)))"
    )

    acts: dict[str, _Act] = {}
    act_by_name: dict[str, str] = {}
    text_names: list[str] = []
    for a in raw["acts"]:
        kind = a.get("kind") or ("eu_act" if a["key"].startswith("eu:celex:") else "fr_text")
        act = _Act(a["key"], a["label"], tuple(a["text"]), tuple(a["query"]), kind)
        acts[act.key] = act
        for n in (*act.text_names, *act.query_names):
            act_by_name[_fold(n)] = act.key
        text_names.extend(act.text_names)
    text_names.sort(key=len, reverse=True)
    alts = []
    first_words: dict[str, None] = {}  # ordered set
    first_chars: set[str] = set()  # every character a name may start with, in either case
    for n in text_names:
        first = n.split(" ")[0]
        ch = n[0]
        first_chars.update({ch, ch.lower(), ch.upper(), _fold(ch), _fold(ch).upper()})
        if n.isupper() or (not n.islower() and " " not in n):
            # acronyms and CamelCase: exact case
            alts.append(re.escape(n))
            first_words[re.escape(first)] = None
        elif _fold(first) in ("loi", "directive", "reglement") and " " in n:
            # « loi Bichet », « loi « Bichet » », « loi "Bichet" », « directive « autorisation » »
            rest = _accent_tolerant(n.split(" ", 1)[1])
            # « la loi française Informatique et Libertés »
            french = "(?:fran[çc]aise )?" if _fold(first) == "loi" else ""
            alts.append(f'(?i:{_accent_tolerant(first)} {french}(?:[«"“] ?)?{rest}(?: ?[»"”])?)')
            first_words["(?i:" + _accent_tolerant(first) + ")"] = None
        else:
            alts.append("(?i:" + _accent_tolerant(n) + ")")
            first_words["(?i:" + _accent_tolerant(first) + ")"] = None
    act_re = start_re = None
    if alts:
        # A name may be followed by a footnote number glued to it (« libertés555 »), not by a
        # further digit of its own number (« NIS 2 » is not in « NIS 23 »).
        act_re = re.compile(r"(?<![\w/-])(?:" + "|".join(alts) + r")(?![^\W\d_]|-)(?!(?<=\d)\d)")
        # Each name's pattern begins with the pattern of its first word (both are built
        # character by character, with the same flags), so a name can only start where
        # one of the few distinct first words does: this finds those places far faster
        # than trying the whole alternation of names at every position.
        # A class of the first characters is tested first: most word starts fail there.
        lead = "[" + "".join(re.escape(c) for c in sorted(first_chars)) + "]"
        start_re = re.compile(r"(?<![\w/-])(?=" + lead + r")(?=" + "|".join(first_words) + ")")
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
    "´": "'",  # acute accent typed for an apostrophe (« Conseil d´état »)
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

    __slots__ = ("_paragraphs", "_pos", "_runs", "code_starts", "codes", "orig", "text", "year")

    def __init__(
        self,
        text: str,
        orig: str,
        pos: list[int] | None = None,
        paragraphs: list[int] | None = None,
    ) -> None:
        self.text = text
        self.orig = orig
        # the current year, given by the caller (``find_references``' ``today``): numbers and
        # years after the next year are not texts' (set once the text is normalised)
        self.year = 0
        self.codes: list[_CodeMention] | None = None  # the codes it names (_code_mentions)
        self.code_starts: list[int] = []  # where each of them starts
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


# A word cut at a line break by a non-breaking hyphen, as some pages are extracted (« code de
# l'environ‑ nement »): the hyphen and the white space are dropped.
_CUT_WORD_RE = re.compile("\u2011\\s")


def _normalise(text: str) -> _Norm:
    if "\u00ad" not in text and ("\u2011" not in text or _CUT_WORD_RE.search(text) is None):
        mapped = text.translate(_TRANSLATE) if _MAPPED.search(text) else text
        return _Norm(" ".join(mapped.split()), text)
    return _normalise_chars(text)


def _normalise_chars(text: str) -> _Norm:
    """Character by character, with a full offset map (texts holding soft hyphens or words cut by
    a non-breaking hyphen)."""
    out: list[str] = []
    pos: list[int] = []
    paragraphs: list[int] = []
    pending_space = False
    newlines = 0
    skip_to = 0
    n = len(text)
    for i, ch in enumerate(text):
        if i < skip_to:
            continue
        if ch == "\u2011" and not pending_space and out and out[-1].isalpha():
            j = i + 1
            while j < n and (text[j] in _SPACE_CHARS or text[j].isspace()):
                j += 1
            if j > i + 1 and j < n and text[j].islower():
                skip_to = j  # « environ‑ nement »: one word
                continue
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
    r"|(?P<dnd>[0-3]?\d)(?P<dsep>[/.-])(?P<dnm>[01]?\d)(?P=dsep)(?P<dny>1[89]\d\d|20\d\d))(?!\d)"
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
    pinpoint: str = ""
    pinpoint_url: str = ""
    decided: datetime.date | None = None  # a ruling's date, when its number keys it


_NUM_MARK = r"(?:n ?°|N ?°|no\.?|No\.?|NO\.?|nr\.?|n(?= \d)|n o(?= ?\d))"  # « n o »: extraction

# --- French numbered and dated texts ---------------------------------------------------------
# type word (full or Ref-Lex abbreviation), optional qualifier, then « n° AAAA-N » and/or a date.
_FR_TYPE = (
    r"(?P<type>lois?-cadres?|lois?|LOI|d[ée]crets?-lois?|D\.-L\.|d[ée]crets?|D[ÉE]CRET|ordonnances?|ORDONNANCE"
    r"|arr[êe]t[ée]s?|ARR[ÊE]T[ÉE]|circulaires?|L\. org\.|L\. const\.|L\.|D\.|Ord\.|Circ\.|A\.)"
)
_FR_QUAL = (
    r"(?: (?P<qual>organique|constitutionnelle|de finances(?: rectificative| pour \d{4})?"
    r"|de programmation|de financement de la s[ée]curit[ée] sociale(?: pour \d{4})?"
    r"|interminist[ée]riel|minist[ée]riel|conjoint|simple"
    r"|d[ée]lib[ée]r[ée] en conseil des ministres|fran[çc]aise|d['’]application"
    r"|en Conseil d'[ÉE]tat))?"
)
# « n° 57- 245 » (a space after the hyphen, as extracted) is read as « 57-245 »
_FR_NUMBER = r"(?P<num>(?P<ny>\d{4}|\d{2})-(?: (?=\d{3}))?(?P<nn>\d{1,4}))(?![\d.,/]\d|\d|-\d)"
# The scanning patterns open with a look-ahead for the characters a match can start with (here
# the type words' first letters, case-insensitively like the whole pattern): one cheap test rules
# out most positions before the look-behind and the alternatives are tried there. It must list
# the first letter of every alternative (tests/test_refs.py checks it).
# Arrêtés and circulaires may carry an issuer (« Circulaire DGT/ASN », « arrêté du ministre
# chargé de l'économie du 3 décembre 1987 ») and a local number
# (« Arrêté n° 78-89/P », « n 04 »): both are read and dropped, the date keys them. A « n » whose
# number was lost in extraction (« Loi n du 13 juin 2006 ») leaves the date. The number may be
# in brackets (« La loi (n° 2010-737) du 1er juillet 2010 »).
_FR_TEXT_RE = re.compile(
    r"(?=[ldoac])(?<![\w.])" + _FR_TYPE + _FR_QUAL
    + r"(?: (?P<issuer>(?-i:[A-Z]{2,8}(?:/[A-Z]{2,8})+)"
    + r"|(?:du|des) (?:ministres?|pr[ée]fet|pr[ée]sident|directeur|garde des sceaux)"
    + r"[^,;.()«»\d]{0,80}?(?= du \d)))?"
    + r"(?: (?P<paren>\()?(?P<mark>" + _NUM_MARK + r" ?|num[ée]ro )?" + _FR_NUMBER
    + r"(?P<numsuf>/[A-Z]{1,3})?(?(paren)\))"
    + r"| (?P<local>(?:n ?°|no|n) ?\d[\w/-]{0,10})(?= du )| (?P<lost>n(?: ?°)?)(?= du ))?"
    + r"(?:(?: du|,) " + _DATE + r")?",
    re.IGNORECASE,
)  # fmt: skip
# The further numbers after a plural type word (« lois n° 2000-1 et n° 2000-2 »).
_FR_MORE_RE = re.compile(
    r"(?:,| et| ou) (?P<mark>" + _NUM_MARK + r") ?" + _FR_NUMBER + r"(?:(?: du|,) " + _DATE + r")?"
)

_TYPE_KEYS = {
    "loi": "loi", "lois": "loi", "loi-cadre": "loi", "lois-cadres": "loi",
    "l.": "loi", "l. org.": "loi", "l. const.": "loi",
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


def _valid_number(ny: str, nn: str, this_year: int) -> bool:
    year = int(ny)
    if len(ny) == 2:
        return year >= 45 and len(nn) <= 4
    return 2000 <= year <= this_year + 1


def _fr_texts(norm: _Norm) -> Iterator[_Cand]:
    for m in _FR_TEXT_RE.finditer(norm.text):
        raw_type = _fold(m.group("type"))
        typ = _TYPE_KEYS.get(raw_type)
        if typ is None:
            continue
        qual = m.group("qual")
        if qual and _fold(qual) == "en conseil d'etat" and not (m.group("num") and m.group("mark")):
            # « décret en Conseil d'État » is the kind of décret; its number, when written, follows
            # « n° » (« décret en Conseil d'Etat n° 2019-141 du 27/02/2019 »)
            continue
        num = m.group("num") and f"{m.group('ny')}-{m.group('nn')}"
        date = _parse_date(m) if (m.group("yyyy") or m.group("dny")) else None
        if not _fr_text_ok(typ, raw_type in _ABBREV_TYPES, m, date, norm.year):
            continue
        if typ in ("arrete", "circulaire"):
            num = None  # a local number: the date keys the text
        elif num:
            num = _old_number(m, date, norm.year) or num
        yield _fr_cand(m.start(), m.end(), typ, qual, num, date)
        if num and raw_type.endswith("s"):  # « les ordonnances n° 45-1483 et n° 45-1484 du … »
            end = m.end()
            while (more := _FR_MORE_RE.match(norm.text, end)) is not None:
                if not _valid_number(more.group("ny"), more.group("nn"), norm.year):
                    break
                more_date = _parse_date(more) if (more.group("yyyy") or more.group("dny")) else None
                yield _fr_cand(more.start("mark"), more.end(), typ, qual,
                               f"{more.group('ny')}-{more.group('nn')}", more_date)  # fmt: skip
                end = more.end()
    if "oi d" in norm.text:
        yield from _titled_lois(norm.text)
    if "NOR" in norm.text:
        yield from _nor_titled(norm)


# A loi by a descriptive title and its date: « la loi de régulation bancaire et financière du 22
# octobre 2010 », « la loi d'orientation des mobilités du 24 décembre 2019 » (the title opens
# with one of the nouns lois are named by, so « la loi applicable au contrat du … » is not one).
_LOI_TITLED_RE = re.compile(
    r"(?<![\w-])[Ll]oi (?:de |d['’])(?:r[ée]gulation|modernisation|s[ée]curisation|simplification"
    r"|orientation|transformation|acc[ée]l[ée]ration|r[ée]novation|refondation|transition"
    r"|programmation|d[ée]veloppement|s[ée]paration|mobilisation|sauvegarde|protection"
    r"|reconqu[êe]te|r[ée]forme|confiance|lutte|cohésion)\b[^,;:.()«»\d\n]{0,80}? du " + _DATE
)


# The Journal officiel's titles with the NOR between the type and the date: « Arrêté NOR:
# MCCB0600892A du 30 novembre 2006 modifiant … » (the text by its date, and its NOR).
_NOR_TITLED_RE = re.compile(
    r"(?<![\w])(?P<type>[Aa]rr[êe]t[ée]|ARR[ÊE]T[ÉE]|[Dd][ée]cret|D[ÉE]CRET|[Cc]irculaire) "
    r"\(?NOR ?:? ?(?P<nor>[A-Z]{4}\d{7}[A-Z])\)? du " + _DATE
)


def _nor_titled(norm: _Norm) -> Iterator[_Cand]:
    for m in _NOR_TITLED_RE.finditer(norm.text):
        date = _parse_date(m)
        typ = _TYPE_KEYS.get(_fold(m.group("type")))
        if date is None or typ is None:
            continue
        # its span is the type word: the NOR after it is a reference of its own (``_nors``)
        text = _fr_cand(m.start(), m.end("type"), typ, None, None, date)
        nor = m.group("nor")
        if nor.endswith(_NOR_NATURE[typ]) and typ in _ELI_TYPES:
            text.url, text.link = _eli_url(typ, date, nor), "official"
        yield text


def _titled_lois(t: str) -> Iterator[_Cand]:
    for m in _LOI_TITLED_RE.finditer(t):
        date = _parse_date(m)
        if date is not None:
            yield _fr_cand(m.start(), m.end(), "loi", None, None, date)


# A government ordonnance cited by date (« l'ordonnance du 26 mai 2021 », « une ordonnance du
# 17 février 2005 régissant … ») as opposed to a court order (« Par une ordonnance du 12 mars
# 2020, le juge des référés … »).
_ORDONNANCE_TITLE_RE = re.compile(
    r",? (?:relative|relatif|portant|transposant|r[ée]gissant|modifiant|prise?|ratifi[ée]e?|n ?°)"
)
_COURT_WORDS_RE = re.compile(
    r"(?i)\b(?:juges?|r[ée]f[ée]r[ée]s?|tribunal|cour|pr[ée]sident du|magistrat|greffe|rendue)\b"
)


_AMENDED_TEXT_RE = re.compile(r"(?i)\b(?:loi|code|habilit|l[ée]gislati)")
# « CE, ordonnance du 3 mars 2021, n° 450123 »: a court named right before, or a court's number
# after the date (a requête, a registry number), makes it a court order.
_COURT_BEFORE_ORDER_RE = re.compile(
    r"(?:Conseil d['’ ]?[ÉEé]tat|\bCE|C\.E\.|[Cc]onseil constitutionnel|[Cc]assation),? $"
)
_COURT_NUMBER_AFTER_RE = re.compile(r",? (?:req\. )?n[°o] ?(?:\d{5,8}|\d{2}/\d{4,5})(?![\d/-])")


def _government_ordonnance(m: re.Match[str]) -> bool:
    t = m.string
    after = t[m.end() : m.end() + 100]
    if _COURT_WORDS_RE.search(after) or _COURT_WORDS_RE.search(
        t[max(0, m.start() - 60) : m.start()]
    ):
        return False
    if _COURT_BEFORE_ORDER_RE.search(t, max(0, m.start() - 30), m.start()) or (
        _COURT_NUMBER_AFTER_RE.match(t, m.end())
    ):
        return False
    # « (cette loi a été réécrite) par ordonnance du 12 décembre 2018 »: a text amended by one
    before = t[max(0, m.start() - 80) : m.start()]
    by_one = before.endswith("par ") and _AMENDED_TEXT_RE.search(before) is not None
    return (
        t[max(0, m.start() - 2) : m.start()].lower() == "l'"
        or by_one
        or bool(_ORDONNANCE_TITLE_RE.match(t, m.end()))
    )


# « cet arrêté du 7 décembre 2018 du maire de Tresserre »: a local act, not a text of the watch
_LOCAL_ISSUER_AFTER_RE = re.compile(
    r",? (?:(?:du|de la) (?:maire|mairie|commune)"
    r"|par lequel (?:le |la )(?:maire|pr[ée]sidente? du conseil (?:d[ée]partemental|r[ée]gional"
    r"|municipal|communautaire)))\b"
)


def _fr_text_ok(
    typ: str, abbreviated: bool, m: re.Match[str], date: datetime.date | None, this_year: int
) -> bool:
    num = m.group("num")
    if typ == "arrete" and _LOCAL_ISSUER_AFTER_RE.match(m.string, m.end()):
        return False
    if typ in ("arrete", "circulaire"):
        # local numbers (municipal, ministerial series) never make a national key: the date does
        return date is not None and not (abbreviated and num)  # Ref-Lex « A., 28 août 2006 »
    if m.group("issuer") or m.group("local") or m.group("numsuf"):
        return False
    if num and (
        typ not in _NUMBERED_TYPES
        or not (
            _valid_number(m.group("ny"), m.group("nn"), this_year)
            or _old_number(m, date, this_year)
        )
    ):
        return False
    if abbreviated:
        return bool(num and m.group("mark"))  # « L. n° 2015-177 », never « L. 45-1 » (an article)
    if num:
        return True
    if date is None:
        return False
    # unnumbered: a court « ordonnance du … » is not a text
    return typ in ("loi", "decret") or (typ == "ordonnance" and _government_ordonnance(m))


def _old_number(m: re.Match[str], date: datetime.date | None, this_year: int) -> str | None:
    """« loi n° 1985-677 du 5 juillet 1985 »: a number before 2000 written with its year in full
    (its date of the same year vouches for it), as numbered: « 85-677 »."""
    ny = m.group("ny")
    written_in_full = len(ny) == 4 and ny.startswith("19")
    if written_in_full and date is not None and date.year == int(ny):
        valid = _valid_number(ny[2:], m.group("nn"), this_year)
        return f"{ny[2:]}-{m.group('nn')}" if valid else None
    return None


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


# --- EU acts by citation ------------------------------------------------------------------
_EU_TYPE = (
    r"(?P<type>r[èe]glements?|r[èe]gl\.|directives?|dir\.|d[ée]cisions?-cadres?|d[ée]cisions?"
    r"|regulations?"
    r"|framework decisions?|decisions?|recommandations?|recommendations?)"
)
_EU_QUAL = (
    r"(?: (?P<qual>d[ée]l[ée]gu[ée]e?|d'ex[ée]cution|europ[ée]en(?:ne)?|communautaire"
    r"|du Conseil|de la Commission|d'ex[ée]cution de la Commission"
    r"|d[ée]l[ée]gu[ée]e? de la Commission))?"
)
_EU_DOMAINS = (
    r"UE, Euratom|EU, Euratom|UE|CEE|CE|EU|EEC|EC|Euratom|EURATOM|PESC|CFSP|JAI|JHA|CECA|ECSC"
)
# The domain in brackets, or without them before the number (« règlement CE n° 1907/2006 »,
# « Règlement UE 2016/679 »).
_EU_DOMAIN = (
    r"(?: \((?P<dom>"
    + _EU_DOMAINS
    + r")\)"
    + r"| (?P<dom2>CEE|CE|UE|EU|EC)(?= (?:"
    + _NUM_MARK
    + r" ?)?\d))"
)
_EU_SUFFIX = r"UE|CEE|CE|EU|EEC|EC|EURATOM|Euratom|PESC|CFSP|JAI|JHA|CECA|ECSC"
_EU_NUMBERING = (
    r"(?P<mark>"
    + _NUM_MARK
    + r" ?)?(?P<a>\d{1,4}) ?/ ?(?P<b>\d{1,4})(?: ?/ ?(?P<suf>"
    + _EU_SUFFIX
    + r"))?"
    r"(?![\w/]|-\d|\.\d)"
)
# (?=[rdf]): the type words' first letters (see _FR_TEXT_RE).
_EU_ACT_RE = re.compile(
    # « règlement (UE)2016/679 »: the space after the domain lost in extraction
    r"(?=[rdf])(?<![\w-])" + _EU_TYPE + _EU_QUAL + _EU_DOMAIN + r"? ?" + _EU_NUMBERING,
    re.IGNORECASE,
)
# « …, 2009/110/CE et 2013/36/UE », « … and (EC) No 1925/2006 »: further acts of the same type.
_EU_CONT_RE = re.compile(
    r"(?:,| et| and| ou| or|, et|, and) (?:(?:le|la|les|du|de la|des|au|à la) )?"
    r"(?:\((?P<dom>" + _EU_DOMAINS + r")\) )?" + _EU_NUMBERING
)
_OLD_DOMAINS = {"CE", "CEE", "EC", "EEC", "CECA", "ECSC"}
_DOMAIN_FR = {"EU": "UE", "EC": "CE", "EEC": "CEE", "CFSP": "PESC", "JHA": "JAI", "ECSC": "CECA",
              "EURATOM": "Euratom", "EU, Euratom": "UE, Euratom"}  # fmt: skip


def _looks_year(s: str, this_year: int) -> bool:
    if len(s) == 2:
        return int(s) >= 52
    return len(s) == 4 and 1952 <= int(s) <= this_year + 1


def _full_year(s: str) -> int:
    y = int(s)
    return y + 1900 if len(s) == 2 else y


def _eu_year_number(
    a: str, b: str, dom: str | None, mark: bool, suffix: str | None, letter: str, this_year: int
) -> tuple[int, int, bool] | None:
    """(year, number, year_first) for the pair a/b, or None when it cannot be decided."""
    ya, yb = _looks_year(a, this_year), _looks_year(b, this_year)
    old_regulation = letter == "R" and (suffix or "").upper() in _OLD_DOMAINS
    if suffix:  # directive/decision style AAAA/N/DOM, or legislative decision n° N/AAAA/DOM
        # « règlement 2006/2004/CE »: regulations were « N/AAAA »; « n° N/AAAA/UE »: a decision
        if (old_regulation and yb) or (mark and yb and not (ya and len(a) == 4 and int(a) >= 2015)):
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
        # directives have always been numbered « year/number » (« directive 2001/95 »)
        year_first = letter == "L" or (dom not in _OLD_DOMAINS and len(a) == 4 and int(a) >= 2015)
    else:
        return None
    year_s, num_s = (a, b) if year_first else (b, a)
    year, num = _full_year(year_s), int(num_s)
    if not (1952 <= year <= this_year + 1) or not 1 <= num <= 9999:
        return None
    return year, num, year_first


def _eu_letter(type_word: str) -> str:
    t = _fold(type_word)
    if "cadre" in t or "framework" in t:
        return "F"
    return {"reg": "R", "dir": "L", "dec": "D", "rec": "H"}[t[:3]]


def _eu_cand(
    start: int, end: int, letter: str, qual: str | None, dom: str | None,
    a: str, b: str, mark: bool, suf: str | None, group: int, this_year: int,
) -> _Cand | None:  # fmt: skip
    decided = _eu_year_number(a, b, dom, mark, suf, letter, this_year)
    if decided is None:
        return None
    year, num, year_first = decided
    if letter in ("D", "F", "H") and not (dom or suf):
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
            bool(m.group("mark")), m.group("suf"), group=i, this_year=norm.year,
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
                this_year=norm.year,
            )  # fmt: skip
            if nxt is None:
                break
            if c.group("dom"):
                nxt.start = c.start("dom") - 1
            yield nxt
            pos = c.end()


# Hyphens for slashes, as some sites write EU numbers (« directive 2002-24-CE », « règlement (UE)
# 2016-679 »): only with the domain, before or after the number, since a hyphenated number
# alone is a French text's shape.
_EU_HYPHEN_RE = re.compile(
    r"(?=[rdf])(?<![\w-])" + _EU_TYPE + _EU_QUAL + _EU_DOMAIN + r"? (?P<mark>" + _NUM_MARK
    + r" ?)?(?P<a>\d{2}|\d{4})-(?P<b>\d{1,4})(?:-(?P<suf>" + _EU_SUFFIX + r"))?(?![\w/-]|\.\d)",
    re.IGNORECASE,
)  # fmt: skip


# What every hyphenated citation holds: a domain after the number's hyphen, or a domain right
# before a hyphenated number (a cheap search ruling out nearly every text).
_EU_HYPHEN_SUFFIX_RE = re.compile(r"-(?:CEE?|UE|EU|EC|Euratom|EURATOM)\b")
_EU_DOMAIN_LITERALS = ("UE", "CE", "EU", "EC", "uratom", "URATOM")
_EU_HYPHEN_DOMAIN_RE = re.compile(r"(?:UE|CEE?|EU|EC|uratom|URATOM)\)? (?:n ?° ?)?\d{2,4}-\d")


def _hyphenated_eu_acts(norm: _Norm) -> Iterator[_Cand]:
    t = norm.text
    if _EU_HYPHEN_SUFFIX_RE.search(t) is None and not (
        any(d in t for d in _EU_DOMAIN_LITERALS) and _EU_HYPHEN_DOMAIN_RE.search(t)
    ):
        return
    for m in _EU_HYPHEN_RE.finditer(t):
        dom = m.group("dom") or m.group("dom2")
        if not (dom or m.group("suf")):
            continue
        cand = _eu_cand(
            m.start(), m.end(), _eu_letter(m.group("type")), m.group("qual"), dom, m.group("a"),
            m.group("b"), bool(m.group("mark")), m.group("suf"), group=0, this_year=norm.year,
        )  # fmt: skip
        if cand is not None:
            yield cand


# « les anciennes directives sur les exigences de fonds propres (2006/48/CE et 2006/49/CE) »,
# « la directive dite « BRRD » 2014/59/UE »: a suffixed number whose type word comes earlier in
# the sentence.
_BARE_EU_RE = re.compile(
    r"(?<![\w/])(?P<a>\d{2}|\d{4}) ?/ ?(?P<b>\d{1,4}) ?/ ?(?P<suf>CEE|CE|UE|EEC|EC|EU|Euratom)"
    r"(?![\w/])"
)
_EU_TYPE_BEFORE_RE = re.compile(
    r"(?i)\b(r[èe]glements?|directives?|d[ée]cisions?|regulations?|recommandations?)\b[^.;]*$"
)


_EU_SUFFIX_HINT_RE = re.compile(r"/ ?(?:CEE?|UE|EU|EC|Euratom)|\((?:UE|CEE?|EU|EEC?)\) ")
# « le règlement Omnibus, numéroté (UE) 2026/1744 »: the domain before a number that is away
# from its type word
_BARE_EU_DOM_RE = re.compile(
    r"(?<![\w/])\((?P<dom>UE|CE|EU|EC)\) (?:n° ?)?(?P<a>(?:19|20)\d\d)/(?P<b>\d{1,4})(?![\w/])"
)


# The type word right after a bare number, as EUR-Lex titles an act (« 2004/418/CE: Décision de
# la Commission du 29 avril 2004 ») or a writer names it (« (UE) 2016/425 « Règlement sur les
# équipements de protection individuelle » »): capitalised, as a title.
_EU_TYPE_AFTER_RE = re.compile(r" ?[:)]? ?(?:[«\"“] ?)?(R[èe]glement|Directive|D[ée]cision)\b")
# « (CE) n° 1907/2006 », « le règlement INCO (UE) n° 1169/2011 »: the domain in brackets then
# « n° » and the number before the year is only ever a regulation's citation.
_BARE_EU_REG_RE = re.compile(
    r"(?<![\w/])\((?P<dom>UE|CE|CEE|EU|EC|EEC)\) (?:n ?°|no\.?|No\.?) ?(?P<a>\d{1,4}) ?/ ?"
    r"(?P<b>\d{2}|\d{4})(?![\w/]|-\d|\.\d)"
)


def _eu_type_near(t: str, m: re.Match[str]) -> str | None:
    """The type word of a bare EU number: the last one before it in the sentence (within 120
    characters), or one titling it right after."""
    before = _EU_TYPE_BEFORE_RE.search(t, max(0, m.start() - 120), m.start())
    if before is not None:
        return before.group(1)
    after = _EU_TYPE_AFTER_RE.match(t, m.end())
    return after.group(1) if after is not None else None


def _bare_eu_acts(norm: _Norm) -> Iterator[_Cand]:
    t = norm.text
    if _EU_SUFFIX_HINT_RE.search(t) is None:
        return
    for m in _BARE_EU_RE.finditer(t):
        type_word = _eu_type_near(t, m)
        if type_word is None:
            continue
        cand = _eu_cand(
            m.start(), m.end(), _eu_letter(type_word), None, None, m.group("a"),
            m.group("b"), False, m.group("suf"), group=0, this_year=norm.year,
        )  # fmt: skip
        if cand is not None:
            yield cand
    for m in _BARE_EU_REG_RE.finditer(t) if (") n" in t or ") N" in t) else ():
        decided = _eu_year_number(m.group("a"), m.group("b"), m.group("dom"), True, None, "R",
                                  norm.year)  # fmt: skip
        if decided is None or decided[2]:
            continue  # « (UE) n° 2019/1020 »: the year first, any type
        cand = _eu_cand(m.start(), m.end(), "R", None, m.group("dom"), m.group("a"),
                        m.group("b"), True, None, group=0,
                        this_year=norm.year)  # fmt: skip
        if cand is not None:
            yield cand
    for m in _BARE_EU_DOM_RE.finditer(t):
        type_word = _eu_type_near(t, m)
        if type_word is None:
            continue
        cand = _eu_cand(
            m.start(), m.end(), _eu_letter(type_word), None, m.group("dom"), m.group("a"),
            m.group("b"), False, None, group=0, this_year=norm.year,
        )  # fmt: skip
        if cand is not None:
            yield cand


# --- Common names (RGPD, loi Hamon…) -------------------------------------------------------


_LABEL_DATE_RE = re.compile(r"du " + _DATE)
_QUOTES_RE = re.compile(r"[«»\"“”]")
_FRENCH_RE = re.compile(r"(?i)(?<=^loi )fran[çc]aise ")


def _named_acts(norm: _Norm) -> Iterator[_Cand]:
    data = _data()
    if data.act_name_re is None or data.act_start_re is None:
        return
    for m in _finditer_at(data.act_name_re, norm.text, data.act_start_re):
        key = data.act_by_name.get(_fold(_FRENCH_RE.sub("", _QUOTES_RE.sub(" ", m.group(0)))))
        if key is None:
            continue
        act = data.acts[key]
        kind = act.kind
        if key.startswith("eu:celex:"):
            url, link = EURLEX_CELEX.format(key.split(":")[-1]), "official"
        else:
            url, link = _legifrance_search(act.label), "search"
        known = _LABEL_DATE_RE.search(act.label)
        alias_date = _parse_date(known) if known else None
        yield _Cand(m.start(), m.end(), kind, key, act.label, url, link, alias_date=alias_date)
    if "oi de 19" in norm.text:
        yield from _year_named_lois(norm.text)


# « la loi de 1978 », « la loi de 1986 »: a year alone names a loi only where its subject is in
# the item (there are other lois of 1978 — Scrivener, CADA — and of 1986).
_YEAR_LOI_RE = re.compile(r"(?<![\w])[Ll]oi de (?P<y>19\d\d)(?![\d/-])")
_YEAR_LOIS = {
    "1978": (
        "fr:loi:78-17",
        re.compile(r"(?i)informatique|\bCNIL\b|\bRGPD\b|donn[ée]es personnelles"),
    ),
    "1986": (
        "fr:loi:86-1067",
        re.compile(
            r"(?i)audiovisuel|t[ée]l[ée]vision|\bradio|\bCSA\b|\bArcom\b|[ée]diteurs? de services"
        ),
    ),
}


def _year_named_lois(t: str) -> Iterator[_Cand]:
    subject_said: dict[str, bool] = {}  # year -> its subject is in the item (searched once)
    for m in _YEAR_LOI_RE.finditer(t):
        year = m.group("y")
        known = _YEAR_LOIS.get(year)
        if known is None:
            continue
        if year not in subject_said:
            subject_said[year] = known[1].search(t) is not None
        if not subject_said[year]:
            continue
        # no alias date: a year alone is too weak to key « la loi du 6 janvier 1978 » by number
        act = _data().acts[known[0]]
        yield _Cand(m.start(), m.end(), "fr_text", act.key, act.label,
                    _legifrance_search(act.label), "search")  # fmt: skip


# --- Codes and code articles --------------------------------------------------------------
# One article: « L. 121-1 », « L121-1 », « L-223-1 », « R.* 123 », « LO 141 », « D. 643-35 »,
# « 1240 », « 1er », « liminaire »; a subdivision glued to it (« L. 442-6-I-2° », « 1484-2° »,
# « L. 312-1-I-a) ») is dropped. « l. 1232-6 » (lower case) is read as « L. 1232-6 ».
# A paragraph written after a space (« L. 532-9 II ») is dropped too; « II », « III », « IV »
# are never an article's letter suffix (« 39 AA », « 150 VI » are).
# Lexbase's marker after an article (« R. 771-3 (N° Lexbase : L5790IGK) ») is read past too.
_ART_GLUED = (
    # « L442-6 I 5 », « L442-6.I.5e »: a paragraph and its item after a space or a dot;
    # « L.442-6 / I / 5e »: after slashes
    r"(?: (?:III|II|IV)(?![\w])|[ .](?:I|II|III|IV|V|VI)[ .]\d{1,2}(?:e|°)?(?![\w.])"
    r"| / (?:I|II|III|IV|V|VI)(?: / \d{1,2}(?:e|°)?)?(?![\w.]))?"
    r"(?:-[IVX]+)?(?:-\d+°)?(?:-[a-z]\))?"
    r"(?: \(N° Lexbase ?: ?[A-Z][A-Z0-9]{4,12}\))?"
)
# (a paragraph followed by its item, « L442-6 I 5 », is not a letter: see _ART_GLUED)
_ART_SUFFIX = r"(?:bis|ter|quater|quinquies|(?!I[IV]\b|[IV]{1,2} \d)[A-Z]{1,2}(?![\w.°]))"
_ART = (
    r"(?:(?:LO|L|R|D|A)\*?(?:\. ?| \. | |-)?|l\. ?)?(?:\d+(?:-\d+(?![\d°]))*|1er|liminaire)"
    r"(?: " + _ART_SUFFIX + r")?" + _ART_GLUED + r"(?![\w-])"
)
_ART_SEP = r"(?:, ?| et | à | ou | et/ou |,? ainsi qu'(?:à |aux )?| (?=(?:LO|L|R|D|A)\.? ?\d))"
_ART_LIST = r"(?P<list>" + _ART + r"(?:" + _ART_SEP + _ART + r")*)"
# one article, for « L. 132-1 ancien devenu L. 212-1 du code … » (the article it became)
_ART_ONE_BARE = r"(?:LO|L|R|D|A)\.? ?\d+(?:-\d+)*(?![\w-])"
_BECAME_RE = re.compile(r"devenu (?:l['’]article )?(?P<list>" + _ART_ONE_BARE + r")")
# What may stand between the list and the code name: « , alinéa 2, », « , I, 2°, », « , 9° »,
# « et suivants ».
_ART_GAP = (
    r"(?:,? (?:alin[ée]as?|al\.|premier alin[ée]a|paragraphes?|§|points?) ?[\w°]*"
    r"(?: (?:et|à) \d+(?:er|°)?(?![\w-]))?"  # « alinéas 2 et 3 »
    r"|, [IVX]+\b|,? \d+°|, [a-z]\)| [IVX]+(?=,)| \(\d+°\)| et suivants| et s\."
    r"| anciens?| nouveaux?| \((?:anciennement|ancien|ex\.?|devenu|nouvel?) [^()]{1,30}\)"
    r"| devenu (?:l['’]article )?" + _ART_ONE_BARE + r"){0,4},?"
)
# « du même code », and as legal writers capitalise it, « du même Code », « du présent Code »
_ANAPHORA = (
    r"(?P<ana>m[êe]me [Cc]ode|ce m[êe]me [Cc]ode|ce [Cc]ode|[Cc]ode pr[ée]cit[ée]"
    r"|pr[ée]sent [Cc]ode)"
)
# (?=[AaLRD\d]): what « article », « art. », a prefix (L, R, D, A, LO) or a number start with
# (see _FR_TEXT_RE).
# « ArticlesL. 121-17 » (a space lost in extraction) is read like « Articles L. 121-17 ».
_ART_KW_GLUED = r"(?=(?:LO|L|R|D)\.? ?\d)"
_CODE_ART_RE = re.compile(
    r"(?=[AaLRD\d])(?<![\w.])(?P<kw>(?:[Aa]rticles?|ARTICLES?|[Aa]rt\.)(?: |"
    + _ART_KW_GLUED + r"))?" + _ART_LIST + _ART_GAP
    + r"(?:\.(?= du | de la | de l'))?"  # « art. R. 711-2. du CESEDA »
    + r"(?: (?:(?:du|de la|de l'|des|au|à la|à l'|de) ?)?(?:(?:nouveau|futur|actuel) )?(?:"
    + _ANAPHORA
    + r"|(?P<code>[Cc]ode|CODE|C\.|[A-Z]{3,6}|[Ll]ivre des proc|LIVRE DES PROC|L\.P\.F\.))"
    + r"| (?P<ana2>dudit [Cc]ode))"
)  # fmt: skip
# « l'article R. 462-4 », « ses articles L. 430-1 à L. 430-7 »: an article whose code is not
# named after it (and that is not « article 12 de la loi … », « article 5 du contrat »).
_BARE_ART_RE = re.compile(
    r"(?=[Aa][Rr][Tt])(?<![\w.])(?P<kw>[Aa]rticles?|ARTICLES?|[Aa]rt\.) " + _ART_LIST + _ART_GAP
    + r"(?! ?(?:du|de|des|d'|dudit|pr[ée]cit[ée]|ci-dessus|susvis[ée])\b)"
)  # fmt: skip
# « Code de la consommation - art. L121-34 », « C. consom., futur art. L. 311-3 »
_THEN_ART_RE = re.compile(
    r"(?:(?: ?[-–,] ?| )(?:(?:futur|ancien|nouvel|actuel) )?(?:art\.|[Aa]rticles?) "
    # « le code de commerce prévoit aussi, en son article L. 441-6, … »
    r"| (?:pr[ée]voit|dispose|pr[ée]cise|impose|consacre|[ée]nonce)(?: aussi| [ée]galement"
    r"| notamment)?,? (?:en|dans) (?:son article|ses articles) )"
    r"(?:[Aa]rticles? )?" + _ART_LIST  # « articles Articles 1031-1 à … » as extracted
)
_ONE_ART_RE = re.compile(
    r"(?P<p>LO|L|R|D|A|l(?=\. ?\d))?(?P<star>\*)?(?:\. ?| \. | |-)?"
    r"(?P<n>1er(?![\w])|\d+(?:-\d+(?![\d°]))*|liminaire)"  # « 1er » whole, not « 1 » then « er »
    r"(?: (?P<x>" + _ART_SUFFIX + r"))?" + _ART_GLUED
)
# « titre IV du livre IV du Code de commerce »: the parts of a code written before its name.
_CODE_PART_RE = re.compile(
    r"(?i)(?:(?:livre|titre|chapitre|partie|section) [IVXLC]+(?:er)?(?: bis)?"
    r" (?:du|de la|de l'|de) )+$"
)
# « du code » alone, not the start of a code's name the table lacks (« du code de la route »)
_BARE_CODE_WORD_RE = re.compile(r"(?:[Cc]ode|CODE)(?! (?:de|des|du|d'|[A-Za-zÀ-ÿ]+ (?:de|des|du)\b)"
                                r"|[\w'-])")  # fmt: skip
# Codes whose articles are plain numbers (« l'article 1240 » in the Code civil).
_PLAIN_NUMBERED_CODES = frozenset(
    {"civil", "penal", "procedure-civile", "procedure-penale", "douanes", "impots"}
)
_ODE_RE = re.compile("ode|ODE")  # a literal: found at C speed (every code name starts « code »)
# the one code whose name does not start with « code »
_LIVRE_RE = re.compile(r"(?<![\w])(?:[Ll]ivre des proc|LIVRE DES PROC)")


def _code_starts(t: str) -> Iterator[int]:
    """Where « code » or « Code » (« CODE ») begins a word, or « livre des procédures
    fiscales » begins: where a code name may start."""
    starts = []
    for m in _ODE_RE.finditer(t):
        p = m.start() - 1
        if p >= 0 and t[p] in "Cc" and not (p and (t[p - 1].isalnum() or t[p - 1] == "_")):
            starts.append(p)
    if "ivre des proc" in t or "IVRE DES PROC" in t:
        starts.extend(m.start() for m in _LIVRE_RE.finditer(t))
        starts.sort()
    yield from starts


@dataclass(frozen=True)
class _CodeMention:
    start: int
    end: int
    slug: str
    full: bool  # full name (« code de commerce ») rather than abbreviation (« C. com. »)


def _code_key(name: str) -> str:
    """The table key of a code name or abbreviation as written (apostrophe lost or not)."""
    return _fold(name).replace("'", " ")


def _code_mentions(norm: _Norm) -> list[_CodeMention]:
    """Every code named in the text, by full name or abbreviation, in order (computed once)."""
    if norm.codes is not None:
        return norm.codes
    data = _data()
    t = norm.text
    found: list[_CodeMention] = []
    end = 0
    for p in _code_starts(t):
        if p < end:
            continue
        m = data.code_name_re.match(t, p)
        if m is None:
            continue
        end = m.end()
        slug = data.code_by_name.get(_code_key(m.group(0)))
        if slug is not None:
            found.append(_CodeMention(m.start(), m.end(), slug, True))
    for m in data.code_abbrev_re.finditer(t):
        slug = _abbrev_slug(m.group(0))
        if slug is not None:
            found.append(_CodeMention(m.start(), m.end(), slug, False))
    found.sort(key=lambda c: c.start)
    norm.codes = found
    norm.code_starts = [c.start for c in found]
    return found


def _abbrev_slug(written: str) -> str | None:
    data = _data()
    key = _code_key(written)
    slug = data.code_by_name.get(key) or data.code_by_name.get(key + ".")
    if slug is None:  # written without its optional spaces or final dot (« C.consom »)
        squeezed = key.replace(" ", "").rstrip(".")
        slug = next(
            (s for n, s in data.code_by_name.items() if n.replace(" ", "").rstrip(".") == squeezed),
            None,
        )
    return slug


def _resolve_code(norm: _Norm, pos: int) -> tuple[str, int] | None:
    """The code named at ``pos`` (full name or abbreviation) and where its name ends."""
    data = _data()
    m = data.code_name_re.match(norm.text, pos)
    if m is not None:
        slug = data.code_by_name.get(_code_key(m.group(0)))
    else:
        m = data.code_abbrev_re.match(norm.text, pos)
        slug = _abbrev_slug(m.group(0)) if m is not None else None
    return (slug, m.end()) if slug and m is not None else None


def _code_before(norm: _Norm, pos: int) -> str | None:
    """The last code named before ``pos`` in the item (« du même code », « l'article R. 1 »)."""
    mentions = _code_mentions(norm)
    i = bisect.bisect_left(norm.code_starts, pos)
    return mentions[i - 1].slug if i else None


def _document_code(norm: _Norm, mentions: list[_CodeMention]) -> str | None:
    """The code an item is about: one named by its full name in its first paragraph (a title
    such as « Code civil - Article 1241 ») or in its first 200 characters."""
    if not mentions or not mentions[0].full:
        return None
    first = mentions[0].start
    paragraphs = norm.paragraphs
    if first < 200 or (paragraphs and first < paragraphs[0]):
        return mentions[0].slug
    return None


def _article_cands(
    articles: str, list_start: int, first_start: int, last_end: int, slug: str, group: int,
    plain_ok: bool = True, bare: bool = False,
) -> Iterator[_Cand]:  # fmt: skip
    """One candidate per article of a list: the first reaches back to ``first_start`` (the word
    « article » or the code name), the last forward to ``last_end`` (the code name)."""
    code = _data().codes[slug]
    for a in _ONE_ART_RE.finditer(articles):
        prefix = (a.group("p") or "").upper() + (a.group("star") or "")
        if (
            bare
            and not prefix
            and not (plain_ok and (len(a.group("n")) >= 3 or "-" in a.group("n")))
        ):
            continue  # « l'article 12 » of an unnamed text is not « l'article 1240 » of a code
        number = "1" if a.group("n") == "1er" else a.group("n")
        suffix = a.group("x")
        if suffix and "-" in a.group("n") and re.fullmatch("[IVX]+", suffix):
            suffix = None  # « L. 442-1 I 2° »: a paragraph, not a letter of the article
        extra = f" {suffix}" if suffix else ""
        art = prefix + number + extra
        shown = (
            (prefix + (" " if prefix.startswith("LO") else ". ") if prefix else "")
            + a.group("n")
            + extra
        )
        label = f"{code.name}, art. {shown}"
        lead = len(a.group(0)) - len(a.group(0).lstrip())  # « et 1104 »: not its space
        s, e = list_start + a.start() + lead, list_start + a.end()
        is_last = a.end() == len(articles)
        yield _Cand(
            first_start if a.start() == 0 else s, last_end if is_last else e, "code_article",
            f"fr:code:{slug}:{art.replace(' ', '-')}", label,
            _legifrance_search(f"{code.name} article {art}"), "search", group=group,
        )  # fmt: skip


def _code_articles(norm: _Norm) -> Iterator[_Cand]:
    # Every article kept names a code the text names (« même code », « l'article R. 1 » refer
    # back to one): in a text naming none, the costlier scans for article numbers cannot find
    # anything.
    mentions = _code_mentions(norm)
    if not mentions:
        return
    t = norm.text
    group = 0
    for m in _CODE_ART_RE.finditer(t):
        group += 1
        first = _ONE_ART_RE.match(m.group("list"))
        if not m.group("kw") and (first is None or first.group("p") in (None, "l")):
            continue  # a bare number followed by « du code … » needs the word « article »
        if m.group("ana") or m.group("ana2"):
            # « du présent code » is the code the item is (its title names it), when it is one;
            # « du même code », « dudit code » the code named last
            present = m.group("ana") and "sent" in m.group("ana")
            code_slug = (present and _document_code(norm, mentions)) or _code_before(
                norm, m.start()
            )
            if code_slug is None:
                continue
            slug, end = code_slug, m.end()
        else:
            resolved = _resolve_code(norm, m.start("code"))
            if resolved is None and _BARE_CODE_WORD_RE.match(t, m.start("code")):
                # « l'article 1240 du Code, » after the code was named: that code
                code_slug = _code_before(norm, m.start())
                if code_slug is None:
                    continue
                resolved = code_slug, m.end("code")
            if resolved is None:
                continue
            slug, end = resolved
        yield from _article_cands(m.group("list"), m.start("list"), m.start(), end, slug, group)
        # « article L. 311-37 (devenu R. 312-35) du code … »: the article it became is cited too
        if "devenu" in t[m.end("list") : m.end()]:
            for became in _BECAME_RE.finditer(t, m.end("list"), m.end()):
                yield from _article_cands(became.group("list"), became.start("list"), m.start(),
                                          end, slug, group)  # fmt: skip
    # « Code de la consommation - art. L121-34 »
    for c in mentions:
        then = _THEN_ART_RE.match(t, c.end)
        if then is not None:
            group += 1
            yield from _article_cands(then.group("list"), then.start("list"), c.start, then.end(),
                                      c.slug, group)  # fmt: skip
    # « l'article R. 462-4 », after a code was named: the last code named before it; a plain
    # number (« l'article 1240 ») only in an item about a code whose articles are so numbered.
    document = _document_code(norm, mentions)
    plain_ok = document in _PLAIN_NUMBERED_CODES
    for m in _BARE_ART_RE.finditer(t) if "rt" in t else ():
        before = _code_before(norm, m.start())
        if before is None:
            continue
        group += 1
        yield from _article_cands(
            m.group("list"), m.start("list"), m.start(), m.end("list"), before, group,
            plain_ok=(plain_ok and before == document) or _plain_code_just_named(norm, m),
            bare=True,
        )  # fmt: skip


# Another text named between a code and a plain article number: « l'article 145 » is that
# text's, not the code's.
_OTHER_TEXT_NAMED_RE = re.compile(
    r"(?i)\b(?:lois?|d[ée]crets?|ordonnances?|arr[êe]t[ée]s?|directives?|r[èe]glements?"
    r"|conventions?|trait[ée]s?|constitution|contrats?|accords?|statuts?|charte|code)\b"
)


def _plain_code_just_named(norm: _Norm, m: re.Match[str]) -> bool:
    """« Le Code civil … ; l'article 1240 dispose … »: a plain article number right after a code
    whose articles are so numbered was named by its full name, in the same paragraph (within
    300 characters) and with no other text named in between."""
    t, mentions = norm.text, _code_mentions(norm)
    i = bisect.bisect_left(norm.code_starts, m.start())
    if not i:
        return False
    code = mentions[i - 1]
    if not code.full or code.slug not in _PLAIN_NUMBERED_CODES or m.start() - code.end > 300:
        return False
    return _OTHER_TEXT_NAMED_RE.search(t, code.end, m.start()) is None


# The code du travail's articles have a four-digit first part (« L. 1233-30 », « R. 4121-1 »,
# its parts 1 to 8). A labour-law page often cites them without naming the code (« l'article
# L. 3121-28 », « (L. 1233-30) »): in an item that names no code, speaks of work (salariés,
# employeur, licenciement…) and not of what other codes numbered so govern (communes, public
# procurement, public health, transport, defence), they are the code du travail's.
_LABOUR_ART = r"(?:L|R|D)\.? ?[1-8]\d{3}-\d+(?:-\d+)*(?![\w-])"
_LABOUR_ART_RE = re.compile(
    r"(?<![\w.])(?:(?:[Aa]rticles?|ARTICLES?|[Aa]rt\.) ?|(?<=\())(?P<list>" + _LABOUR_ART
    + r"(?:(?:, | et | à | ou )" + _LABOUR_ART + r")*)"
    # « du présent code » on a code's own page that names no code
    + r"(?: (?:du|de) (?:pr[ée]sent|m[êe]me) [Cc]ode\b| dudit [Cc]ode\b"
    + r"|(?! ?(?:du|de|des|d'|dudit|pr[ée]cit[ée])\b))"
)  # fmt: skip
_LABOUR_HINT_RE = re.compile(r"[LRD]\.? ?[1-8]\d{3}-\d")
_LABOUR_CUE_RE = re.compile(
    r"(?i)\b(?:salari[ée]e?s?|employeurs?|licenciements?|contrats? de travail"
    r"|heures suppl[ée]mentaires"
    r"|dur[ée]e du travail|temps de travail|comit[ée] social et [ée]conomique|CSE"
    r"|inspect(?:ion|eur) du travail|prud['’ ]?hom\w*|conventions? collectives?|cong[ée]s pay[ée]s"
    r"|rupture conventionnelle|repos compensateur|travailleurs?)\b"
)
_OTHER_FOUR_DIGIT_CODES_RE = re.compile(
    r"(?i)collectivit[ée]s? territoriales?|conseils? municipa|\bcommunes?\b|\bmaires?\b"
    r"|commande publique|march[ée]s? publics?|sant[ée] publique|\bpatients?\b|m[ée]dicaments?"
    r"|\btransports?\b|domaine public|\bd[ée]fense\b|\bCGCT\b|\bCGPPP\b"
)


def _labour_articles(norm: _Norm) -> Iterator[_Cand]:
    t = norm.text
    if _LABOUR_HINT_RE.search(t) is None:
        return
    mentions = _code_mentions(norm)
    if any(c.full for c in mentions):
        return  # a code named by its full name: the articles are read against it
    if _LABOUR_CUE_RE.search(t) is None or _OTHER_FOUR_DIGIT_CODES_RE.search(t) is not None:
        return
    for group, m in enumerate(_LABOUR_ART_RE.finditer(t), start=1):
        if t[m.start() - 1 : m.start()] == "(" and t[m.end() : m.end() + 1] != ")":
            continue  # « (L. 1233-30) » alone in its brackets
        if _code_before(norm, m.start()) is not None:
            continue  # after an abbreviated code (« C. trav. », « CSP »): read against it
        yield from _article_cands(m.group("list"), m.start("list"), m.start(), m.end(), "travail",
                                  group)  # fmt: skip


# The acronyms that name a code alone, in running text (« le CGCT prévoit », « dans le
# C.C.H. »), after a masculine determiner (a code is « le code »: « la CPI » is the Cour pénale
# internationale); not the ones other things share (CSP, CSS, CPP, CPC, CCP, COJ).
_ACRONYMS_ALONE = frozenset(
    {"CGCT", "CESEDA", "CRPA", "CASF", "CCH", "CMF", "CGI", "LPF", "CIBS", "CG3P", "CGFP",
     "CJPM", "CJA", "CPCE", "CPI", "CJF"}
)  # fmt: skip
_MASCULINE_BEFORE_RE = re.compile(
    r"(?<![\w])(?:[Ll]e|[Dd]u|[Aa]u|[Cc]e|[Dd]udit|[Ll]edit|m[êe]me|[Nn]otre|actuel|nouveau) $"
)
# « le titre II du livre Ier de ce code », « la partie réglementaire du présent code »: a part of
# the code named before.
_CODE_PART_ANAPHORA_RE = re.compile(
    r"(?i)(?<![\w])(?:(?:livre|titre|chapitre|partie|section) [IVXLC]+(?:er)?(?: bis)?"
    r"(?: (?:du|de la|de l'|de) (?:livre|titre|chapitre|partie) [IVXLC]+(?:er)?(?: bis)?)*"
    r"|partie (?:l[ée]gislative|r[ée]glementaire))"
    r" (?:de ce|du pr[ée]sent|dudit|du m[êe]me) code(?![\w])"
)


# The codes as English translations name them (Légifrance's translations, EU and law-firm pages):
# « the French Consumer Code », « Article L. 221-5 of the French Consumer Code »; « French » is
# required (a « Civil Code » alone may be any country's).
_ENGLISH_CODES = {
    "civil": "civil", "commercial": "commerce", "consumer": "consommation", "labour": "travail",
    "labor": "travail", "criminal": "penal", "penal": "penal", "insurance": "assurances",
    "monetary and financial": "monetaire-financier", "intellectual property":
    "propriete-intellectuelle", "environmental": "environnement", "environment": "environnement",
    "public health": "sante-publique", "social security": "securite-sociale",
    "general tax": "impots", "tax": "impots", "customs": "douanes", "education": "education",
    "energy": "energie", "town planning": "urbanisme", "urban planning": "urbanisme",
    "highway": "route", "transport": "transports", "code of civil procedure": "procedure-civile",
    "code of criminal procedure": "procedure-penale",
}  # fmt: skip
_ENGLISH_CODE_RE = re.compile(
    r"(?<![\w])French (?:(?P<kind>(?i:"
    + "|".join(k for k in sorted(_ENGLISH_CODES, key=len, reverse=True)
               if not k.startswith("code "))
    + r")) Code|(?P<of>Code of (?:Civil|Criminal) Procedure))(?![\w])"
)  # fmt: skip
_ENGLISH_ART_RE = re.compile(
    r"(?<![\w])(?:[Aa]rticles?|[Aa]rt\.) "
    + r"(?P<list>"
    + _ART
    + r"(?:(?:, ?|,? and | to | or )"
    + _ART
    + r")*)"
    + r" of the (?=French )"
)


def _english_codes(norm: _Norm) -> Iterator[_Cand]:
    t = norm.text
    group = 50_000
    for m in _ENGLISH_CODE_RE.finditer(t):
        name = (m.group("kind") or m.group("of")).lower()
        slug = _ENGLISH_CODES[name]
        # the list of articles right before the name
        arts = [a for a in _ENGLISH_ART_RE.finditer(t, max(0, m.start() - 120), m.end())
                if a.end() == m.start()]  # fmt: skip
        art = arts[-1] if arts else None
        if art is not None:
            group += 1
            yield from _article_cands(art.group("list"), art.start("list"), art.start(), m.end(),
                                      slug, group)  # fmt: skip
        else:
            yield _code_cand(m.start(), m.end(), slug)


# what every match of _CODE_PART_ANAPHORA_RE ends with (a C-speed test first)
_CODE_PART_LITERALS = ("ce code", "sent code", "dit code", "me code", "ce Code", "sent Code",
                       "dit Code", "me Code", "CE CODE", "SENT CODE", "DIT CODE",
                       "ME CODE")  # fmt: skip


def _code_cand(start: int, end: int, slug: str) -> _Cand:
    code = _data().codes[slug]
    if code.legitext:
        url, link = f"{LEGIFRANCE}/codes/id/{code.legitext}", "official"
    else:
        url, link = _legifrance_search(code.name), "search"
    return _Cand(start, end, "code", f"fr:code:{slug}", code.name, url, link)


def _codes(norm: _Norm) -> Iterator[_Cand]:
    """Codes cited without an article, or by a part of them (« livre IV du code de commerce »)."""
    t = norm.text
    mentions = _code_mentions(norm)
    for c in mentions:
        if not c.full:
            acronym = t[c.start : c.end].replace(".", "").upper()
            if acronym in _ACRONYMS_ALONE and _MASCULINE_BEFORE_RE.search(
                t, max(0, c.start - 12), c.start
            ):
                yield _code_cand(c.start, c.end, c.slug)
            continue
        part = _CODE_PART_RE.search(t, max(0, c.start - 100), c.start)
        start = part.start() if part is not None else c.start
        yield _code_cand(start, c.end, c.slug)
    if "French " in t:
        yield from _english_codes(norm)
    if mentions and any(w in t for w in _CODE_PART_LITERALS):  # a code named before it
        for m in _CODE_PART_ANAPHORA_RE.finditer(t):
            slug = _code_before(norm, m.start())
            if slug is not None:
                yield _code_cand(m.start(), m.end(), slug)


# --- Standards ----------------------------------------------------------------------------
# A run of designation tokens (« NF EN ISO », « ISO/IEC TR », « FD CEN/TR », « AFNOR SPEC »),
# then a classification index (« Z 42-013 ») or a number (« 9001 », « 20000-1 », « 64.1 »),
# then amendment and edition year in any of their written forms.
_STD_TOKENS = (
    r"PR|NF|XP|FD|AC|BP|GA|EN|ENV|ISO|IEC|CEI|CEN|CENELEC|IEEE|ASTM|ETSI|AFNOR|SPEC|UTE|DTU"
    r"|TR|TS|PAS|DIS|FDIS|CD|WD|DTS|DTR|AWI|Guide|SN|DIN|BS|NBN|UNE|IATF|NTA"
)
# « /A1 », « /Amd 1:2024 », « /NA » (a national annex: « NF EN 1990/NA »), and « +A1:2009 »
# (the year after « +A1 » is the amendment's, as in « EN 149:2001+A1:2009 »).
_AMD = (
    r"(?:/(?P<a1>A\d{1,2}|NA(?![\w]))|/Amd ?(?P<a2>\d{1,2})(?: ?: ?(?P<a2y>\d{4}))?"
    r"| ?\+ ?(?P<a3>A\d{1,2}|AC)(?: ?: ?(?:19|20)\d\d(?!\d))?)"
)
# (?=[A-Z]): every designation token starts with a capital (see _FR_TEXT_RE).
# The number may follow the prefix without a space (« EN71 », « ISO26000 ») and be written with
# a thousands space (« NF EN 13 432 », « ISO 26 000 »).
_STD_YEAR = r"(?:19[5-9]|20[0-3])\d"
_STD_YEAR_RE = re.compile(_STD_YEAR)
_STD_RE = re.compile(
    # « NF-EN-14683 »: the tokens and the number may be joined by hyphens (not « ISO-8859-1 »,
    # a character set: a number after a hyphen only after two hyphenated tokens)
    # a national adoption may be glued to a digit before it (« Edition: 2020-02SN EN 14683 »)
    r"(?=[A-Z])(?:(?<![\w/.-])|(?<=\d)(?=(?:SN|DIN|BS|NBN|UNE) (?:EN|ISO) ))"
    r"(?P<pre>(?:" + _STD_TOKENS + r")(?:[ /-](?:" + _STD_TOKENS + r"))*)"
    r"(?: |(?:(?<=-[A-Z]{2})|(?<=-[A-Z]{3}))-(?=\d))?"
    r"(?:(?P<idx>[A-Z]) ?(?P<i1>\d{2})-?(?P<i2>\d{3})"
    r"|(?P<num>\d{1,3} \d{3}(?!\d| \d)|\d{1,6}(?:-\d{1,3}|- \d{1,2}(?!\d))*(?:\.\d{1,2})?))"
    r"(?![\w])" + _AMD + r"?"
    r"(?: ?: ?(?P<y1>" + _STD_YEAR + r")(?!\d)"  # « :2015 », « : 2015 »
    r"| ?\((?:[a-zéû]+ )?(?P<y2>" + _STD_YEAR + r")\)"  # « (2015) », « (novembre 2003) »
    r"| ?\(version \d+(?:-\d+)? ?: ?(?P<y4>" + _STD_YEAR + r")\)"  # « (version 14001 : 2015) »
    r"| version (?P<y3>" + _STD_YEAR + r")(?!\d))?"  # « version 2015 »
    + r"(?:" + _AMD.replace("a1", "b1").replace("a2", "b2").replace("a3", "b3") + r")?"
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
    *("SN", "DIN", "BS", "NBN", "UNE", "IATF", "NTA"),
}
# Other countries' bodies, read only as the adopters of a European or international standard
# (« SN EN 14683:2019 », « DIN EN ISO 9001 »).
_NATIONAL_BODIES = frozenset({"SN", "DIN", "BS", "NBN", "UNE"})
_ISO_BODIES = {"ISO", "IEC", "CEI"}


# (a list item may go on with the standard's title in quotes: « EN 14995 ‘Plastics – …’ »)
_LISTED_END_RE = re.compile(r" ?(?:$|[,;.)\]:/('‘“«\"]|et\b|ou\b|type\b)")
_CAPS_BEFORE_RE = re.compile(r"(?<![\w])[A-ZÉÈÀ]{2,} $")


def _standards(norm: _Norm) -> Iterator[_Cand]:
    """Standards; a bare « EN 14683 » or « ISO 22609 » without a « norme » cue next to it is
    kept when the text cites another standard (« masques EN 149, EN 14683 et ISO 22609 »)."""
    t = norm.text
    found = False
    bare = []
    found_keys: list[str] = []
    for m in _STD_RE.finditer(t):
        cand = _standard(norm, m)
        if cand is not None:
            found = True
            found_keys.append(cand.key)
            yield cand
        else:
            bare.append(m)
    if "ASTM" in t:
        for m in _ASTM_RE.finditer(t):
            ref = m.group("ref").lower()
            yield _Cand(m.start(), m.end(), "standard", f"std:astm:{ref}", f"ASTM {m.group('ref')}",
                        _afnor_search(f"ASTM {m.group('ref')}"), "search")  # fmt: skip
    for m in bare:
        # without another standard cited: four digits or more (« lunettes EN 1090 »), or after
        # « l' » (« l'EN 1176 »: the preposition « en » never takes it)
        elided = norm.text[max(0, m.start() - 2) : m.start()] in ("l'", "L'", "l’", "L’")
        cand = _standard(norm, m, listed=True, alone=not (found or elided), elided=elided)
        if cand is not None:
            found_keys.append(cand.key)
            yield cand
    if "orme" in norm.text and ("norme" in norm.text or "Norme" in norm.text):
        yield from _bare_normes(norm, found_keys)


# « ASTM D6400 », « ASTM F963-17 » (its edition's two digits are not kept)
_ASTM_RE = re.compile(r"(?<![\w/-])ASTM (?P<ref>[A-G]\d{1,5})(?:-\d{2}[a-z]?)?(?![\w-])")
# « la norme européenne 13432 », « la norme harmonisée européenne 13432 »: a European standard by
# its number; « la norme 13432 » alone only in an item citing a standard of that number.
_NORME_NUMBER_RE = re.compile(
    r"(?<![\w])[Nn]ormes? (?:(?:harmonis[ée]es? )?(?P<eu>europ[ée]ennes?) (?:harmonis[ée]es? )?)?"
    r"(?P<num>\d{3,5}(?:-\d{1,2})?)(?![\w-]|[.,]\d)"
)


def _bare_normes(norm: _Norm, found_keys: list[str]) -> Iterator[_Cand]:
    for m in _NORME_NUMBER_RE.finditer(norm.text):
        num = m.group("num")
        if _STD_YEAR_RE.fullmatch(num):
            continue
        if m.group("eu"):
            key = f"std:en:{num}"
        else:
            same = [k for k in found_keys if k.split(":")[2].split("/")[0] == num]
            if not same or len(num) < 4:
                continue
            key = ":".join(same[0].split(":")[:3]).split("/")[0]
        body, ref = key.split(":")[1:3]
        label = f"{body.upper().replace('-', ' ')} {ref}"
        yield _Cand(m.start(), m.end(), "standard", key, label, _afnor_search(label), "search")


def _standard(
    norm: _Norm, m: re.Match[str], listed: bool = False, alone: bool = False, elided: bool = False
) -> _Cand | None:
    tokens = re.split(r"[ /-]", m.group("pre"))
    first = tokens[0]
    if first not in _STD_STARTS or (first == "AFNOR" and tokens[1:2] != ["SPEC"]):
        return None
    if first == "PR" and tokens[1:2] != ["NF"]:
        return None
    if first in _NATIONAL_BODIES and tokens[1:2] not in (["EN"], ["ISO"]):
        return None
    year = m.group("y1") or m.group("y2") or m.group("y3") or m.group("y4")
    amd = _std_amendment(m)
    num, idx = m.group("num"), m.group("idx")
    if num is not None:
        num = num.replace(" ", "")  # « 13 432 »
    intl = any(tok in ("EN", "ISO", "IEC", "CEI", "CEN", "ETSI", "DTU", "SPEC") for tok in tokens)
    if idx:
        if (intl and "DTU" not in tokens) or first in ("ISO", "IEC", "CEI", "EN", "CEN"):
            return None
        ref = f"{idx}{m.group('i1')}-{m.group('i2')}"
    else:
        assert num is not None
        if "EN" in tokens and "DTU" not in tokens:
            num = num.replace(".", "-")  # « EN71.2 »: part 2 of EN 71
        ref = num
        base = num.split("-")[0].split(".")[0]
        part = "-" in num
        if first in ("NF", "XP", "FD", "AC", "BP", "GA", "PR", "UTE") and not intl:
            return None  # « NF 461 » (certification mark), « AC 220 »…: no index, no EN/ISO
        cue = _STD_CUE_RE.search(norm.text, max(0, m.start() - 40), m.start())
        if listed:
            # the text cites a standard: a bare EN or ISO number (not a year) is one too
            if not (tokens in (["EN"], ["ISO"]) and len(base) >= (4 if alone else 3)) or (
                _STD_YEAR_RE.fullmatch(num)
            ):
                return None
            # an item of a list of standards, not « EN 300 magasins » or « OUVERT EN 300 »
            if not (elided or _LISTED_END_RE.match(norm.text, m.end())) or _CAPS_BEFORE_RE.search(
                norm.text, max(0, m.start() - 30), m.start()
            ):
                return None
        cue_ok = cue is not None or listed
        # « ISO 14 jours », « EN 50 mm »: no; « EN 71-1 », « norme jouet EN71 »: yes
        near_cue = _STD_CUE_RE.search(norm.text, max(0, m.start() - 14), m.start())
        two_digits_ok = ("EN" in tokens and part) or (tokens == ["EN"] and near_cue is not None)
        if len(base) < 3 and "DTU" not in tokens and not two_digits_ok:
            return None
        if (
            set(tokens) <= _ISO_BODIES
            and not (year or part or amd)
            and _STD_YEAR_RE.fullmatch(num)
            and num not in _data().iso_known
        ):
            return None  # « © ISO/IEC 2013 »: a copyright year, not a standard
        if tokens == ["ISO"] or tokens == ["IEC"] or tokens == ["CEI"]:
            strong = bool(year or part or amd)
            if not strong and base in _CAMERA_ISO:
                return None
            # four or five digits (not a camera's sensitivity, not a year) are a standard's
            # number (« ISO 42001 », « ISO 3166 »)
            long_number = len(base) in (4, 5) and not _STD_YEAR_RE.fullmatch(base)
            if tokens == ["ISO"] and not (
                strong or base in _data().iso_known or cue_ok or long_number
            ):
                return None
            if tokens != ["ISO"] and not (strong or (len(base) == 5 and base.startswith("6"))):
                return None
        elif tokens == ["NTA"] and not (
            len(base) == 4
            and _STD_CUE_RE.search(norm.text, max(0, m.start() - 40), m.end() + 40) is not None
        ):
            return None  # a Dutch NTA (« NTA 8776 »), four digits and a « norme » cue near it
        elif (
            tokens == ["EN"]
            and not (year or part or amd)
            and not (cue_ok or _STD_CUE_RE.search(norm.text, m.end(), m.end() + 12))
        ):
            return None  # a bare « EN 9100 » needs a « norme » cue before it or just after it
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
    for a, n, y in (("a1", "a2", "a2y"), ("b1", "b2", "b2y"), ("a3", "", ""), ("b3", "", "")):
        if m.group(a):
            return m.group(a).lower(), m.group(a)
        if not n:
            continue
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
    r"|\bcode\b|livre des proc|constitution|charte|d[ée]claration|pr[ée]ambule|trait[ée]|tfue"
    r"|convention|ecn\+|ddhc|cedh|cesdh|dudh|conv\. ?edh"
)
# the codes' acronyms that name them alone (_ACRONYMS_ALONE) and the dotted acronyms, as written
# (a third search, case-sensitive, for the texts the other two let go)
_TRIGGER_ACRONYMS_RE = re.compile(
    r"(?=[CL])(?<![\w.])(?:CGCT|CESEDA|Ceseda|CRPA|CASF|CCH|CMF|CGI|LPF|CIBS|CG3P|CGFP|CJPM|CJA"
    r"|CPCE|CPI|CJF|C\.[A-Z]\.[A-Z]\.)"
)


def _triggered(text: str) -> bool:
    return (
        _TRIGGER_DIGITS_RE.search(text) is not None
        or _TRIGGER_WORDS_RE.search(text) is not None
        or _TRIGGER_ACRONYMS_RE.search(text) is not None
    )


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
    """« la loi du 30 juin 2000 » in a text that also cites « loi n° 2000-597 du 30 juin 2000 »,
    or the same act by a common name (« la loi du 2 avril 1947, dite loi Bichet »), gets the
    number key."""
    numbered: dict[tuple[str, datetime.date], _Cand] = {}
    dated: list[tuple[str, datetime.date, _Cand]] = []
    for c in sorted(cands, key=lambda c: c.start):
        date = c.date or c.alias_date
        if c.kind != "fr_text" or date is None:
            continue
        typ, ident = c.key.split(":")[1], c.key.split(":")[2]
        if not ident.startswith("du-"):
            numbered.setdefault((typ, date), c)
        else:
            dated.append((typ, date, c))
    for typ, date, c in dated:
        if (typ, date) in numbered:
            ref = numbered[(typ, date)]
            c.key, c.label = ref.key, ref.label
            if ref.link == "official":
                c.url, c.link = ref.url, ref.link


def _unify_rulings(cands: list[_Cand]) -> None:
    """« le Conseil d'État dans une décision du 27 octobre 2011 (Conseil d'État, 27 octobre 2011,
    requête n° 329498) »: a ruling cited by date in a text that also gives its number, with the
    same court and date, gets the number key."""
    numbered: dict[tuple[str, datetime.date], _Cand] = {}
    for c in cands:
        if c.kind == "decision" and c.decided is not None:
            numbered.setdefault((c.key.rsplit(":", 1)[0], c.decided), c)
    if not numbered:
        return
    for c in cands:
        court, _, ident = c.key.rpartition(":")
        if c.kind != "decision" or not ident.startswith("du-"):
            continue
        try:
            date = datetime.date.fromisoformat(ident[3:])
        except ValueError:
            continue
        ref = numbered.get((court, date))
        if ref is not None:
            c.key, c.label, c.url, c.link = ref.key, ref.label, ref.url, ref.link


def _deoverlap(cands: list[_Cand]) -> list[_Cand]:
    """Longest wins; candidates of one list match (same group) never compete with each other."""
    chosen: list[_Cand] = []
    starts: list[int] = []  # the starts of the spans taken, in order
    taken: list[tuple[int, int, str, int]] = []  # the spans taken, in the order of `starts`
    longest = 0  # no span taken is longer: one that overlaps c starts after c.start - longest
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        clash = False
        i = bisect.bisect_left(starts, c.end)
        while not clash and i > 0 and starts[i - 1] > c.start - longest:
            i -= 1
            _, e, k, g = taken[i]
            clash = c.start < e and not (c.group and g == c.group and k == c.kind)
        if not clash:
            chosen.append(c)
            at = bisect.bisect_right(starts, c.start)
            starts.insert(at, c.start)
            taken.insert(at, (c.start, c.end, c.kind, c.group))
            longest = max(longest, c.end - c.start)
    return sorted(chosen, key=lambda c: (c.start, c.end))


# --- Constitution and the texts of the bloc de constitutionnalité -------------------------
# « la Constitution », « Constitution du 4 octobre 1958 », « article 61-1 de la Constitution »;
# not « la Constitution du Royaume de Norvège », « Constitution d'une société », « Constitution
# européenne ». The Déclaration de 1789, the Préambule de 1946, the Charte de l'environnement and
# the EU treaties are common names of the data table (kind "fundamental").
_CONSTITUTION_RE = re.compile(
    r"(?<![\w-])(?:(?P<cap>Constitution)|constitution)(?![\w-])"
    r"(?P<tail> du 4 octobre 1958| de 1958| de la Ve R[ée]publique)?"
    # a title in capitals: « CONSTITUTION DU 4 OCTOBRE 1958 »
    r"|(?<![\w-])CONSTITUTION(?P<captail> DU 4 OCTOBRE 1958| DE 1958)(?![\w-])"
)
_CONSTITUTION_BEFORE_RE = re.compile(r"(?:\b[Ll]a|\b[Dd]e la|\bà la|\b[Vv]u la|\bnotre|\bsa) $")
# not another country's (« la Constitution des États-Unis », « de 1791 », « fédérale »); « la
# Constitution des articles … » (lower case after « des ») is ours
_CONSTITUTION_NOT_AFTER_RE = re.compile(
    r" (?:d'|de |des (?=[A-ZÉ])|du |européenne|fédérale"
    r"|[a-zé]+(?:aise|ienne|aine|ande|ole|oise|ine)\b)"
)
# « Si l'article 61-1 de la Constitution institue cette procédure, l'article 62 en détaille les
# effets »: a further bare article in the same sentence, no other text named in between.
_ARTICLE_AGAIN_RE = re.compile(
    r"(?<![\w])l['’]article (?P<n>[1-9]\d?(?:-\d{1,2})?)(?![\w-])"
    r"(?! ?(?:du|de|des|d['’]|dudit|pr[ée]cit[ée]|ci-dessus|susvis[ée])\b)"
)
_OTHER_TEXT_RE = re.compile(
    r"(?i)\b(?:lois?|codes?|d[ée]crets?|ordonnances?|arr[êe]t[ée]s?|r[èe]glements?|directives?"
    r"|trait[ée]s?|chartes?|conventions?|d[ée]clarations?|pr[ée]ambule)\b"
)
# « la Charte », « du Préambule », « la Déclaration » after the text was named in full in the
# item (« l'article 47 de la Charte » after « la Charte des droits fondamentaux »): the one named
# last before.
_FUNDAMENTAL_AGAIN_RE = re.compile(
    r"(?<![\w-])(?:[Ll]a |[Dd]u |[Ll]e |[Aa]u )(?P<word>Charte|Préambule|Déclaration)"
    r"(?! d)(?![\w-])"
    r"(?! (?:sociale|européenne|universelle|olympique|[ée]thique|graphique)\b)"  # another one
)
_FUNDAMENTAL_NAMED = {
    "Charte": (("fr:charte-environnement", re.compile(r"(?i)charte de l'environnement")),
               ("eu:charte", re.compile(r"(?i)charte des droits fondamentaux"))),
    "Préambule": (("fr:preambule-1946", re.compile(
        r"(?i)pr[ée]ambule de (?:la constitution (?:du 27 octobre |de )?)?1946")),),
    "Déclaration": (("fr:ddhc", re.compile(
        r"(?i)d[ée]claration des droits de l'homme(?: et du citoyen)?|d[ée]claration de 1789"
        r"|\bDDHC\b")),),
}  # fmt: skip


def _fundamentals_again(t: str) -> Iterator[_Cand]:
    named: dict[str, list[tuple[int, str]]] = {}
    for m in _FUNDAMENTAL_AGAIN_RE.finditer(t):
        word = m.group("word")
        if word not in named:
            named[word] = sorted(
                (n.end(), key) for key, pattern in _FUNDAMENTAL_NAMED[word]
                for n in pattern.finditer(t)
            )  # fmt: skip
        before = [key for end, key in named[word] if end <= m.start()]
        if before:
            act = _data().acts[before[-1]]
            yield _Cand(m.start("word"), m.end(), "fundamental", act.key, act.label,
                        _legifrance_search(act.label), "search")  # fmt: skip


_CONSTITUTION_LABEL = "Constitution du 4 octobre 1958"


# « l'article 49.3 », « le 49-3 », « recours au 49.3 »: the Constitution's article 49, paragraph 3
# (the government's responsibility on a bill), as the press names it without the Constitution.
_ARTICLE_49_3_RE = re.compile(
    r"(?<![\w.])(?:(?:[Aa]rticle|[Aa]rt\.) |(?<=[Ll]e )|(?<=au )|(?<=du ))49[.-]3(?![\w-]|[.,]\d)"
    r"(?! ?(?:du|de|des|d')\b)"
)


# Abbreviations of the fundamental texts as legal writers cite them (Ref-Lex « Const., art. 34 »,
# « art. 6 § 1 CEDH », « art. 6 TUE »): the ambiguous ones (« CEDH » is also the Court, « TUE »
# a word in capitals) only with an article right before or after them.
_FUNDAMENTAL_ABBREV_RE = re.compile(
    r"(?<![\w.])(?<!Cons\. )"
    r"(?P<abbr>Const\.|TUE|CEDH|DUDH|CESDH|Conv\. ?EDH|Convention EDH)(?![\w])"
)
_FUNDAMENTAL_ABBREVS = {"Const.": "fr:constitution", "TUE": "eu:tue", "CEDH": "int:cedh",
                        "DUDH": "int:dudh", "CESDH": "int:cedh", "Conv.EDH": "int:cedh",
                        "Conv. EDH": "int:cedh", "Convention EDH": "int:cedh"}  # fmt: skip
_ART_AFTER_RE = re.compile(r",? (?:[Aa]rt\.|[Aa]rticles?) \d")


def _fundamental_abbrevs(t: str) -> Iterator[_Cand]:
    for m in _FUNDAMENTAL_ABBREV_RE.finditer(t):
        abbr = m.group("abbr")
        pinned = _PIN_BEFORE_RE.search(t, max(0, m.start() - 80), m.start()) or _ART_AFTER_RE.match(
            t, m.end()
        )
        if not pinned and abbr in ("Const.", "TUE", "CEDH", "DUDH"):
            continue
        key = _FUNDAMENTAL_ABBREVS[abbr]
        label = _CONSTITUTION_LABEL if key == "fr:constitution" else _data().acts[key].label
        yield _Cand(m.start(), m.end(), "fundamental", key, label, _legifrance_search(label),
                    "search")  # fmt: skip


def _fundamentals(norm: _Norm) -> Iterator[_Cand]:
    t = norm.text
    if "DH" in t or "TUE" in t or "Const." in t:  # « CEDH », « CESDH », « DUDH », « Conv. EDH »
        yield from _fundamental_abbrevs(t)
    if "49" in t and ("49.3" in t or "49-3" in t):
        for m in _ARTICLE_49_3_RE.finditer(t):
            yield _Cand(
                m.start(), m.end(), "fundamental", "fr:constitution", _CONSTITUTION_LABEL,
                _legifrance_search(_CONSTITUTION_LABEL), "search", pinpoint="art-49",
            )  # fmt: skip
    if "onstitution" in t or "ONSTITUTION" in t:
        last_article = t.rfind("article")  # « article » said after m: where it is said last
        for m in _CONSTITUTION_RE.finditer(t):
            before = t[max(0, m.start() - 8) : m.start()]
            if not (m.group("tail") or m.group("captail")):
                # « la Constitution », « de la Constitution », or « Constitution, art. 49 »
                then_art = m.group("cap") and _ART_AFTER_RE.match(t, m.end())
                if not (_CONSTITUTION_BEFORE_RE.search(before) or then_art):
                    continue
                if _CONSTITUTION_NOT_AFTER_RE.match(t, m.end()) and (
                    m.end() + 1 not in norm.paragraphs  # « … de la Constitution » ends a heading
                ):
                    continue
                if not m.group("cap") and not _PIN_BEFORE_RE.search(t, max(0, m.start() - 60),
                                                                     m.start()):  # fmt: skip
                    continue  # « la constitution » in lower case: only « article N de la … »
            yield _Cand(
                m.start(), m.end(), "fundamental", "fr:constitution", _CONSTITUTION_LABEL,
                _legifrance_search(_CONSTITUTION_LABEL), "search",
            )  # fmt: skip
            if last_article >= m.end() and _PIN_BEFORE_RE.search(
                t, max(0, m.start() - 60), m.start()
            ):
                yield from _constitution_articles_again(t, m.end())
    if "Charte" in t or "Préambule" in t or "Déclaration" in t:
        yield from _fundamentals_again(t)


# The articles cited again after « de la Constitution » are in its sentence, looked at up to this
# many characters (a text with no full stop must not be read to its end after each mention).
_SENTENCE_CHARS = 1000


def _constitution_articles_again(t: str, pos: int) -> Iterator[_Cand]:
    stop = min(len(t), pos + _SENTENCE_CHARS)
    end = min(e for e in (t.find(". ", pos, stop), t.find("\n", pos, stop), stop) if e >= 0)
    for m in _ARTICLE_AGAIN_RE.finditer(t, pos, end):
        if _OTHER_TEXT_RE.search(t, pos, m.start()) or int(m.group("n").split("-")[0]) > 89:
            return
        yield _Cand(
            m.start() + 2, m.end(), "fundamental", "fr:constitution", _CONSTITUTION_LABEL,
            _legifrance_search(_CONSTITUTION_LABEL), "search", pinpoint=f"art-{m.group('n')}",
        )  # fmt: skip
        pos = m.end()


# --- Decisions: Conseil constitutionnel, Conseil d'État, Cour de cassation, other courts,
# regulators (Autorité de la concurrence, ARCEP, CNIL, CRE, ASN…) ----------------------------
# Keys: fr:cc:<year>-<number>-<type>, fr:ce:<requête> or fr:ce:du-<date>, fr:cass:<pourvoi
# YY-NN.NNN> or fr:cass:du-<date>, fr:juris:<court>:<number or du-date>, fr:<body>:<number>
# or fr:<body>:du-<date>, fr:deliberation:<number> (body not named).
CONSEIL_CONSTITUTIONNEL = "https://www.conseil-constitutionnel.fr/decision/{}/{}.htm"
# The Conseil constitutionnel's series: laws (DC), QPC, elections (AN, SEN, PDR, ELEC), the
# domain of the law (L), and the rest.
_CC_TYPES = r"DC|QPC|FNR|LP|LOM|ELEC|PDR|REF|ORGA|RIP|AN|SEN|AR16|L|D|I"
_CC_RE = re.compile(
    r"(?=[Ddn\d])(?<![\w-])(?:(?P<kw>[Dd][ée]cision|[Dd][ée]c\.)s?"
    r"(?: du Conseil constitutionnel)? )?"
    r"(?P<mark>n[°o] ?)?(?P<y>\d{4}|\d{2})-(?P<n>\d{1,4}(?P<joined>[-/]\d{1,4})?) ?"
    r"(?P<t>" + _CC_TYPES + r")(?![\w])"
)  # « n° 2013-334-335 QPC », « n° 2010-14/22 QPC » (as the Conseil writes it): joined cases
# « la décision QPC du 3 mars 2021 »: only the Conseil constitutionnel gives QPC and DC decisions.
_CC_KIND_DATED_RE = re.compile(r"(?<![\w])[Dd][ée]cision (?:QPC|DC) (?:en date )?du " + _DATE)
_ECLI_RE = re.compile(r"ECLI:FR:(?P<court>CC|CE[A-Z]*):(?P<y>\d{4}):(?P<id>[0-9A-Z.]*[0-9A-Z])")
# The court or body as the subject, its verb before the citation: « Le Conseil d'État a, par une
# décision du … », « La CRE a alors proposé, par une décision du … », « le Conseil d'État l'a jugé
# dans une décision du … » (an auxiliary and at most three words).
_SUBJECT_VERB = r"(?:(?:l['’])?(?:a|avait)(?: [a-zéèêàâîôûç]+){0,3},? )?"
_CE_NAME = r"(?:CE|C\.E\.|Conseil d['’ ]?[ÉEé]tat)"
# « CE, Ass., 23 déc. 2011, n° 335033 », « CE, 27 mai 1977, Loscos, req. n° 93920 »: the
# parties' name may stand before the number when « req. », « n° » or « numéro » marks it.
# The formation may also follow « CE » without a comma, and the date follow « CE » or the
# formation without one (« CE Ass., 3 juillet 2020 », « CE 10 juillet 2020 n° 428409 », « CE,
# 10e et 9e ch. réunies, 10 juill. 2020 »); a formation written between commas may be anything.
_CE_FORMS = (
    r"(?:[Aa]ss(?:\.|embl[ée]e)|[Ss]ect(?:\.|ion)|[Pp]l[ée]n(?:\.|i[èe]re)|(?:ord\. )?r[ée]f\."
    r"|\d{1,2}(?:e|[èe]me|è|°)(?:(?: et | ?- ?|/)\d{1,2}(?:e|[èe]me|è|°))? (?:ch(?:\.|ambres?)"
    r"|s\.-s(?:ect)?\.|sous-sect(?:\.|ions?)|SSR)(?: r[ée]unies)?|SSR)"
)
_CE_RE = re.compile(
    # « (Conseil d'État, 27 octobre 2011, … ) »: the full name may open brackets, « (CE) » not
    r"(?=C)(?:(?<![\w/.(-])|(?<=\()(?=Conseil))(?:" + _CE_NAME + r"|Ce(?=, \d))"
    + r"(?:, (?P<form>[^,;:()\n]{1,60}?), |,? (?P<form2>" + _CE_FORMS + r"),? |,? )" + _DATE
    + r"(?:,? (?:(?:[^,;:()\n\d]{1,80}, )?(?:req(?:\.|u[êe]te)? )?(?:n[°o]s? ?|num[ée]ro ))?"
    + r"(?P<num>\d{5,6})(?![\d/-]))?"
)  # fmt: skip
# « Conseil d'État n° 428409 du 10 juillet 2020 »: the number first (the full name only).
_CE_NUMBER_FIRST_RE = re.compile(
    r"(?=C)(?<![\w/.(-])(?:Conseil d['’ ]?[ÉEé]tat|C\.E\.),? (?:\((?:d[ée]cisions?|arr[êe]ts?) )?"
    r"(?:req(?:\.|u[êe]te) )?[nN][°o]s? ?"
    r"(?P<num>\d{5,6})(?![\d/-])"
)
# The juge des référés' orders: « CE, ord. réf., 3 mars 2021, n° 450123 » is read above; « CE,
# ordonnance du 3 mars 2021, n° 450123 », « Conseil d'État, ordonnance du juge des référés du …,
# n° … » are written with « du ».
_CE_ORDER_RE = re.compile(
    r"(?=C)(?<![\w/.(-])" + _CE_NAME
    + r",? (?:ord\.|ordonnance)(?: (?:du |de )?juge des r[ée]f[ée]r[ée]s)?"
    r",? (?:du |en date du )?" + _DATE
    + r",? (?:req(?:\.|u[êe]te) )?(?:n[°o]s? ?|num[ée]ro )(?P<num>\d{5,6})(?![\d/-])"
)  # fmt: skip
# The further requêtes of one decision: « n°s 449743, 449744 et 449745 ».
_CE_MORE_RE = re.compile(
    r"(?:,| et| ou) (?:n[°o]s? ?)?(?P<num>\d{5,6})(?![\d/-])(?=$|[,;.)\]]| et | ou | du )"
)  # not « …, n° 449743, 150000 euros »
# « Par une décision du … (…), le Conseil d'État », « Par une décision n° 409654 du 8 novembre
# 2017, enregistrée au greffe le …, le Conseil d'État », « Par une ordonnance du 9 octobre 2020,
# le président de la section du contentieux du Conseil d'État »
_CE_AFTER_RE = re.compile(
    r"(?=[dao])(?<![\w])(?:d[ée]cision|arr[êe]t|ordonnance)"
    r"(?: n[°o] ?(?P<num>\d{5,6})(?![\d/-]))?(?: en date)? du " + _DATE
    + r"(?: \([^()]{0,120}\))?(?:, (?:enregistr[ée]e?|lue?|rendue?|publi[ée]e?) [^,;()\n]{1,60})?"
    + r",? le (?:(?:juge des r[ée]f[ée]r[ée]s|pr[ée]sident de la section du contentieux) du )?"
    + _CE_NAME
)  # fmt: skip
# « le Conseil d'État, dans une décision du 17 avril 2019 », « … par un arrêt du … »
_CE_THEN_RE = re.compile(
    r"(?=C)(?<![\w])"
    + _CE_NAME
    + r",? "
    + _SUBJECT_VERB
    + r"(?:dans|par) (?:une|un|sa|son) (?:d[ée]cision|arr[êe]t)"
    r"(?: en date)? du " + _DATE
)
_CE_NUMBERS_RE = re.compile(
    r"(?=[da])(?<![\w])(?:d[ée]cisions?|arr[êe]ts?) du "
    + _CE_NAME
    + r" n[°o]s? ?(?P<num>\d{5,6})(?!\d)"
)
# « 04-18. 653 » as extracted, « 20-18-844 » (a hyphen for the dot)
_POURVOI = r"(?P<num>\d{2}-\d{2}(?:\. ?|-)?\d{3})(?![\d.]|-\d)"
# The Cour de cassation's formation and publication code, written between a ruling's date and
# its pourvoi: « Cass. soc., 12 mai 2021, FS-P+B, n° 19-20.123 », « …, F-D, … ».
_CASS_CODE = r"(?:,? (?:FS|FP|F)-[PBDRI](?:\+[PBDRI]){0,3})?"
# « Cass. soc., 3 mars 2021, n° 19-13.425 », « Cass. crim. 12 mai 2021 », « Cass., ch. mixte, … »
_CASS_RE = re.compile(
    r"(?=C)(?<![\w])(?:Cass|C\. ?[Cc]ass)\.?,?(?: (?P<ch>[^,;()\n]{1,30}?))?,? " + _DATE
    + r"(?:" + _CASS_CODE + r",? (?:n[°o]s? ?|pourvoi n[°o] ?)?" + _POURVOI + r")?"
)  # fmt: skip
# « Cass. soc., n° 99-43.336 »: the pourvoi without the date.
_CASS_NUMBER_RE = re.compile(
    r"(?=C)(?<![\w])(?:Cass|C\. ?[Cc]ass)\.?,?(?: (?P<ch>[^,;()\n\d]{1,30}?))?,? "
    r"(?:n[°o]s? ?|pourvoi n[°o] ?)" + _POURVOI
)
# The Cour de cassation's pages: « Arrêt n°245 du 3 mars 2021 (19-13.425) - Cour de cassation -
# Chambre sociale » (its court named in the item).
_CASS_SITE_RE = re.compile(
    r"(?=[Aa])(?<![\w])[Aa]rr[êe]t n[°o] ?\d{1,5}(?: [A-Z]{1,3})? du " + _DATE + r" \(" + _POURVOI
)
# The further pourvois of a ruling given on several: « n° 19-13.425 et n° 19-13.426 », « n°s
# 19-13.425, 19-13.426 et 19-13.427 ».
_POURVOI_MORE_RE = re.compile(r"(?:,| et| ou) (?:n[°o]s? ?|pourvoi n[°o] ?)?" + _POURVOI)
_POURVOI_RE = re.compile(
    r"(?<![\w])(?:[Pp]ourvois? n[°o]s? ?|[Pp]ourvoi ?: ?|[Nn][°o] de pourvoi ?:? ?)(?:[A-Z] )?"
    + _POURVOI
)
# The chamber alone, as legal writers cite it: « Crim. 1er mars 2000 », « Soc., 5 mai 2010 »,
# « Civ. 1re, 20 janv. 2021, n° 19-20.680 », « Civ. 1, 10 mai 2006, pourvoi n° 04-18.653 ».
_CASS_CHAMBER_RE = re.compile(
    r"(?<![\w.])(?:Crim\.|Soc\.|Com\.|Civ\.(?: ?[123](?:re|ère|e|ème)?\.?)?|Ass\. pl[ée]n\."
    r"|Ch\. mixte),? "
    + _DATE
    + r"(?:"
    + _CASS_CODE
    + r",? (?:n[°o]s? ?|pourvoi n[°o] ?)?"
    + _POURVOI
    + r")?"
)
# Légifrance's and Juricaf's titles: « Cour de cassation, civile, Chambre sociale, 10 juillet
# 2013, 12-15.177, Inédit ».
_CASS_TITLE_RE = re.compile(
    r"(?=C)(?<![\w])Cour de [Cc]assation,(?: [^,;()\n]{1,60},){0,3} " + _DATE + _CASS_CODE
    + r",? (?:n[°o] ?|pourvoi n[°o] ?)?" + _POURVOI
)  # fmt: skip
# ... and without it, its date alone (« (Cour de cassation, chambre sociale, 19/04/2000 et
# 9/11/2004) »: the chamber is required, the date ends the title).
_CASS_TITLE_DATED_RE = re.compile(
    r"(?=C)(?<![\w])Cour de [Cc]assation,(?: [^,;()\n\d]{1,60},){1,3} " + _DATE + r"(?=[,;.)]| et )"
)
# Its two formations that sit above the chambers, named after the court: « Cour de cassation,
# Assemblée plénière, 13 janvier 2020 », « la Cour de cassation, réunie en chambre mixte le 24
# novembre 2006 » (the pourvoi when written right after).
_CASS_FORMATION_RE = re.compile(
    r"(?=C)(?<![\w])Cour de [Cc]assation,? (?:r[ée]unie |si[ée]geant |statuant )?(?:en )?"
    r"(?:[Cc]hambre mixte|[Aa]ssembl[ée]e pl[ée]ni[èe]re)(?:,| le| du| en date du) " + _DATE
    + r"(?:,? (?:n[°o] ?|pourvoi n[°o] ?)" + _POURVOI + r")?"
)  # fmt: skip
# The further rulings of a citation by date (« … 19/04/2000 et 9/11/2004 »).
_MORE_DATE_RE = re.compile(r" et (?:du )?" + _DATE + r"(?=[,;.)]|$)")
# « Par un arrêt du 2 octobre 2024, publié au bulletin, la Cour de cassation … »
_CASS_AFTER_RE = re.compile(
    r"(?=[ad])(?<![\w])(?:d[ée]cision|arr[êe]t)(?: en date du| du| rendue? le) " + _DATE
    + r"(?:, [^\d,;()\n]{1,40})?, la Cour de [Cc]assation"
)  # fmt: skip
# The Cour de cassation's chambers named alone (« Par un arrêt du 3 mars 2021, la chambre
# sociale … », « la chambre commerciale, dans un arrêt du … »); not a cour d'appel's chamber
# (« la chambre sociale de la cour d'appel »).
_CASS_CHAMBERS = (
    r"(?:[Cc]hambre (?:sociale|commerciale|criminelle|mixte)|[Aa]ssembl[ée]e pl[ée]ni[èe]re"
    r"|(?:[Pp]remi[èe]re|[Dd]euxi[èe]me|[Tt]roisi[èe]me|1re|2e|3e) [Cc]hambre civile)"
    r"(?!,? (?:financi[èe]re et [ée]conomique,? )?(?:de la|d'une|d'un) (?:[Cc]our d['’]|tribunal))"
)
_COURT_NAMED_RE = re.compile(r"(?i)cour de cassation|cour d['’]appel|tribunal|conseil de prud")
_CASS_CHAMBER_AFTER_RE = re.compile(
    r"(?=[ad])(?<![\w])(?:d[ée]cision|arr[êe]t)(?: rendu| en date)? (?:du|le) " + _DATE
    + r"(?: \((?:n[°o] ?|pourvoi n[°o] ?)?" + _POURVOI + r"\))?"
    + r"(?:, [^\d,;()\n]{1,40})?, la " + _CASS_CHAMBERS
)  # fmt: skip
_CASS_CHAMBER_THEN_RE = re.compile(
    r"(?<![\w])(?:[Ll]a |[Ll]['’])" + _CASS_CHAMBERS
    + r"(?: de la Cour de [Cc]assation)?,? (?:dans|par) (?:un|son|une|sa)"
    + r" (?:arr[êe]t|d[ée]cision|avis)"
    + r"(?: rendu| en date)? du " + _DATE
    + r"(?: \((?:n[°o] ?|pourvoi n[°o] ?)?" + _POURVOI + r"\))?"
)  # fmt: skip
# The Conseil constitutionnel by date, as legal writers cite it: « Cons. const., 27 sept. 2013 »
# (with its number when written: « …, n° 2013-341 QPC »).
_CC_DATED_RE = re.compile(
    r"(?<![\w])Cons\. ?const(?:it)?\.?,? (?:d[ée]c\. )?" + _DATE
    + r"(?:,? (?:d[ée]c\. )?n[°o] ?(?P<y>\d{4})-(?P<n>\d{1,4}) ?"
    + r"(?P<t>" + _CC_TYPES + r")(?![\w]))?"
)  # fmt: skip
# « Cour de cassation (chambre criminelle, arrêt n° 1133 du 6 août 2025) »: the date must be the
# ruling's, not that of a text cited after it (« la Cour de cassation rappelle que la loi … du »).
_CASS_DATED_RE = re.compile(
    r"(?=[ac](?:rr|our))(?<![\w])(?:arr[êe]t de la )?cour de cassation\b"
    # nor that of one of its publications (« la Cour de cassation a publié, dans son rapport du »)
    r"(?:(?!lois?\b|d[ée]cret|ordonnance|arr[êe]t[ée]|directive|r[èe]glement|n° ?\d+-"
    r"|rapport|communiqu[ée]|[ée]tude|lettre|circulaire)[^.;\n])"
    r"{0,70}?\bdu "
    + _DATE
    # its pourvoi when written right after (« … du 17 juillet 2019 (n° 19-70.010) »)
    + r"(?:,? \(?(?:n[°o]s? ?|pourvoi n[°o] ?)"
    + _POURVOI
    + r")?",
    re.IGNORECASE,
)
# A ruling's date and pourvoi alone (« 14 octobre 2015, 14-14.196 »: a title whose court,
# « Cour de cassation, chambre sociale », is on the line before), after the court was named.
_DATE_POURVOI_RE = re.compile(
    r"(?<![\w])" + _DATE + r", (?:n[°o] ?)?(?P<num>\d{2}-\d{2}\.\d{3})(?![\d.])"
)
_CASS_NAMED_RE = re.compile(r"Cour de [Cc]assation|COUR DE CASSATION|Cass\.")
# A supreme court's ruling by the date it was given: « décisions rendues par la Chambre sociale
# de la Cour de cassation le 29 janvier 2014 », « la Cour de cassation a rendu le 1er décembre
# 2016 un arrêt » (never « a saisi la Cour de cassation le … »).
_SUPREME = r"(?P<court>[Cc]our de [Cc]assation|Conseil constitutionnel|" + _CE_NAME + r")"
_SUPREME_RENDERED_RE = re.compile(
    r"(?=[DdAa])(?<![\w])(?:[Dd][ée]cisions?|[Aa]rr[êe]ts?|[Aa]vis) rendue?s? par"
    r" (?:la |le |l['’])?"
    r"(?:[^,;.()\n\d]{0,40}? )?" + _SUPREME + r" le " + _DATE
)
_SUPREME_GAVE_RE = re.compile(r"(?<![\w])" + _SUPREME + r",? a rendu,? le " + _DATE)
# « le Conseil constitutionnel, dans sa décision du 15 octobre 2021 », « la Cour de cassation,
# par un arrêt du … », and « la décision du Conseil constitutionnel du 15 octobre 2021 »
_SUPREME_THEN_RE = re.compile(
    r"(?=[Cc])(?<![\w])"
    + _SUPREME
    + r",? "
    + _SUBJECT_VERB
    + r"(?:dans|par) (?:une|un|sa|son|l['’]) ?"
    r"(?:d[ée]cision|arr[êe]t|avis)(?: (?:QPC|DC))?(?: en date du| du| rendue? le) " + _DATE
)
_SUPREME_OF_RE = re.compile(
    r"(?=[DdAa])(?<![\w])(?:[Dd][ée]cisions?|[Aa]rr[êe]ts?|[Aa]vis) (?:du |de la )" + _SUPREME
    + r"(?: \([^()]{0,60}\))? (?:en date )?du " + _DATE
)  # fmt: skip
_FRONTED_COURT_LITERALS = (", la cour", ", la Cour", ", le Conseil", ", le CE", ", le C.E.",
                           ", le tribunal", ", le Tribunal")  # fmt: skip
_SUPREME_KEYS = {"cour de cassation": ("cass", "Cour de cassation"),
                 "conseil constitutionnel": ("cc", "Conseil constitutionnel")}  # fmt: skip
_ADLC_RE = re.compile(
    r"(?=[nN\d])(?<![\w-])(?P<mark>[nN] ?[°o]? ?)?(?P<y>\d{2})[- ](?P<t>DCC|D|A|MC|SOA|DEC)[- ]"
    r"(?P<n>\d{1,3})(?![\w-])"
)
# what names an Autorité de la concurrence number before it (« Aut. conc., 21-D-11 »)
_ADLC_BEFORE_RE = re.compile(r"(?i)d[ée]cision|d[ée]c\.|avis|ADLC|concurrence|conc\.")
_ASN_RE = re.compile(r"(?<![\w-])(?P<num>\d{4}-DC-\d{4})(?![\w-])")
# « CA Versailles (12e ch.), 3 mars 2020 : RG n° 18/01234 », « CA Paris, pôle 5 - ch. 3, 12 janv.
# 2022, n° 19/06644 »; by date alone only at a seat of a cour d'appel (« CA Paris, 9 janv. 2014 »).
_CA_RE = re.compile(
    r"(?=CA )(?<![\w])CA (?:de |d['’])?(?P<city>[A-ZÉ][A-Za-zÉÈÊÀÂÎÔÛÇéèêàâîôûç'-]+)"
    r"(?: \([^()]{1,30}\))?"
    r"(?:, (?:[Pp][ôo]le|ch\.|[Cc]hambre|[0-9]{1,2}(?:e|ème|re)) [^,;()\n]{0,30}){0,2},? " + _DATE
    + r"(?:(?: ?: ?|, )(?:RG ?(?:n[°o])?|n[°o]) ?(?P<num>\d{2}[/-]\d{4,5}|[A-Z]\d{8})(?![\d/]))?"
)  # fmt: skip
_CA_SEATS = (
    "Agen", "Aix-en-Provence", "Amiens", "Angers", "Bastia", "Besançon", "Bordeaux", "Bourges",
    "Caen", "Chambéry", "Colmar", "Dijon", "Douai", "Fort-de-France", "Grenoble", "Limoges", "Lyon",
    "Metz", "Montpellier", "Nancy", "Nîmes", "Orléans", "Paris", "Pau", "Poitiers", "Reims",
    "Rennes", "Riom", "Rouen", "Toulouse", "Versailles", "Basse-Terre", "Cayenne", "Nouméa",
    "Papeete", "Saint-Denis",
)  # fmt: skip
_CA_SEAT_SLUGS = frozenset("-".join(re.findall(r"[a-z0-9]+", name_key(c))) for c in _CA_SEATS)
# The ruling under appeal as the Cour de cassation names it: « Attendu, selon l'arrêt attaqué
# (Rennes, 15 janvier 2014), que … », « les arrêts attaqués (Lyon, 29 avril 2009 et 24 mars
# 2011) »: the city is the seat of the cour d'appel.
_CA_ATTACKED_RE = re.compile(
    r"(?<![\w])arr[êe]ts? attaqu[ée]s? \((?P<city>[A-ZÉ][\w'-]+), " + _DATE + r"(?= et |\))"
)
_AND_DATE_RE = re.compile(r" et " + _DATE + r"\)")
# « Numéro d'inscription au répertoire général : N° RG 19/06644 » in a ruling headed « COUR
# D'APPEL DE PARIS »: the cour d'appel named last before it (at a seat), unless the line names a
# tribunal (the judgment under appeal has its own RG number).
_RG_RE = re.compile(
    r"(?<![\w])(?:N° RG|RG n[°o]|R\.G\. n[°o]|[Rr][ée]pertoire g[ée]n[ée]ral ?: ?(?:N° RG )?)"
    r" ?(?P<num>\d{2}/\d{4,5})(?![\d/])"
)
_CA_NAMED_RE = re.compile(r"(?i)cour d['’]appel d(?:e |['’])(?P<city>[\w-]+)")
_TA_RE = re.compile(
    r"(?=[Tt])(?<![^\W\d])[Tt]ribunal administratif de (?P<city>[A-ZÉ][\w'-]+(?:[- ][A-Z][\w'-]+)*)"
    r"(?:,[^,;()]{1,40})?, " + _DATE + r", n[°o] ?(?P<num>\d{6,8})(?!\d)"
)
# « l'arrêt rendu le 7 mai 2013, entre les parties, par la cour d'appel de Colmar », « un arrêt
# de la cour d'appel de Douai du 24 juin 2004 »
_CA_DATED_RE = re.compile(
    r"(?=a)(?<![\w])arr[êe]t rendu le "
    + _DATE
    + r"(?:, entre les parties,)? par la [Cc]our d['’]appel"
    r" (?:de |d['’])(?P<city>[A-ZÉ][\w'-]+)"
)
# The Haute Autorité de santé's decisions and avis: « décision n° 2017.0109/DC/SJ » (collège
# decision, legal service), « avis n° 2019.0034/AC/SEESP », in an item naming the HAS.
_HAS_RE = re.compile(
    r"(?<![\w])(?:[Dd][ée]cisions?|[Aa]vis) n[°o] ?"
    r"(?P<num>\d{4}\.\d{4}/(?:DC|AC)/[A-Z0-9]{1,8})(?![\w/])(?: du " + _DATE + r")?"
)
_HAS_NAME_RE = re.compile(r"Haute [Aa]utorit[ée] de [Ss]ant[ée]|(?<![\w])HAS(?![\w])")
# Lower courts as Juricaf, Légifrance and law firms title them: « Tribunal de grande instance de
# Paris, Ct0196, 24 mai 2022, 20/03773 », « Cour d'appel de Paris, le 18 juin 2025, n°23/17066 »;
# and their rulings cited by date: « Par arrêt du 18 juin 2025, la cour d'appel de Paris »,
# « le tribunal de commerce de Lille, par jugement du 17 juin 2021 ».
_LOWER_COURT = (
    r"(?P<court>[Cc]our d['’]appel|[Tt]ribunal de grande instance|[Tt]ribunal judiciaire"
    r"|[Tt]ribunal de commerce|[Cc]our administrative d['’]appel|[Tt]ribunal administratif)"
    r" (?:de |d['’])(?P<city>[A-ZÉ][\w'-]+(?:[- ][A-Z][\w'-]+)*)"
)
_LOWER_COURT_KEYS = {"cour d'appel": "ca", "tribunal de grande instance": "tgi",
                     "tribunal judiciaire": "tj", "tribunal de commerce": "tc",
                     "cour administrative d'appel": "caa",
                     "tribunal administratif": "ta"}  # fmt: skip
# A lower court's number: a registry number « 20/01234 », a cour administrative d'appel's
# « 18PA01234 », a tribunal administratif's « 2012345 ».
_COURT_NUMBER = r"(?P<num>\d{2}/\d{4,5}|\d{2}[A-Z]{2}\d{5}|\d{7}|(?:19|20)\d{8})(?![\d/])"
_LOWER_COURT_ANY_CASE = (
    _LOWER_COURT.replace("grande instance", "[Gg]rande [Ii]nstance")
    .replace("judiciaire", "[Jj]udiciaire").replace("de commerce", "de [Cc]ommerce")
    .replace("administratif", "[Aa]dministratif")
)  # fmt: skip
# « Le 12 juillet 2016, la Cour de cassation a cassé … », « Le 19 décembre 2013, la cour d'appel
# de Papeete a déclaré … »: a ruling's date fronted at a sentence's start, the court its subject
# and a verb in the past right after (never « Le 3 mars, la Cour de cassation publie … » nor « …
# a été saisie »).
_FRONTED_RE = re.compile(
    r"(?=[Ll]e )(?:(?<=^)|(?<=[.;:] )|(?<=\n))[Ll]e " + _DATE + r", (?:la |le |l['’])"
    r"(?:" + _SUPREME + r"|" + _LOWER_COURT.replace("?P<court>", "?P<lower>") + r")"
    r"(?: \([^()]{0,40}\))?,? (?:a |avait |s['’]est |l['’]a |les a |lui a )(?!été\b)"
)
_COURT_TITLE_RE = re.compile(
    r"(?=[CcTt])(?<![\w])" + _LOWER_COURT_ANY_CASE + r",(?: [^,;()\n]{1,40},){0,3}? (?:le )?"
    + _DATE + r",? (?:RG )?(?:[nN][°o] ?)?" + _COURT_NUMBER
)  # fmt: skip
# The judgment under appeal as a cour d'appel's ruling names it: « Décision déférée à la Cour :
# Jugement du 14 Janvier 2019 -Tribunal de Grande Instance de PARIS – RG n° 17/04152 ».
_COURT_DEFERRED_RE = re.compile(
    r"(?<![\w])(?:[Jj]ugement|[Oo]rdonnance) du (?i:" + _DATE + r") ?[-–] ?"
    + _LOWER_COURT.replace("grande instance", "[Gg]rande [Ii]nstance")
    .replace("judiciaire", "[Jj]udiciaire").replace("de commerce", "de [Cc]ommerce")
    + r" ?[-–,] ?RG n[°o] ?(?P<num>\d{2}/\d{4,5})(?![\d/])"
)  # fmt: skip
# A lower court's title by date alone: « Cour d'appel de Paris, 3 mars 2020 », « Tribunal
# judiciaire de Lyon, 1re chambre, 5 mai 2021. »
_COURT_TITLE_DATED_RE = re.compile(
    r"(?=[CcTt])(?<![\w])" + _LOWER_COURT + r",(?: [^,;()\n]{1,40},){0,3} (?:le )?" + _DATE
    + r"(?=[,;.)]|$| et | [-–] )"
)  # fmt: skip
# « Jugement du Tribunal de Grande Instance de GRASSE en date du 24 Janvier 2017 enregistré au
# répertoire général sous le n° 15/04593 »
_COURT_REGISTERED_RE = re.compile(
    r"(?=[CcTt])(?<![\w])" + _LOWER_COURT_ANY_CASE + r",? (?:en date )?du (?i:" + _DATE + r")"
    + r"(?:,? (?:enregistr[ée]e? au r[ée]pertoire g[ée]n[ée]ral sous le|sous le|RG))? n[°o] ?"
    + r"(?P<num>\d{2}/\d{4,5})(?![\d/])"
)  # fmt: skip
# The lower court that asked the Cour de cassation for an avis, by the date it asked: « Vu la
# demande d'avis formulée le 29 mai 2007 par la cour d'appel de Caen », « saisine pour avis du
# 3 mars 2021 par le tribunal judiciaire de Lyon ».
_COURT_ASKED_RE = re.compile(
    r"(?=[DdSs])(?<![\w])(?:[Dd]emande d['’]avis|[Ss]aisine pour avis)"
    r"(?: (?:formul[ée]e|form[ée]e|pr[ée]sent[ée]e|transmise|adress[ée]e))?(?: le| du| en date du) "
    + _DATE + r",? par (?:la |le |l['’])" + _LOWER_COURT_ANY_CASE
)  # fmt: skip
# The Cour de cassation's avis by their own number (series 70): « Demande d'avis n° X 22-70.005 »,
# « Avis n° 19-70.010 de la Cour de cassation », « (demande n° 21-70.023) ».
_CASS_AVIS_RE = re.compile(
    r"(?=[DdAa])(?<![\w])(?:[Dd]emande d['’]avis|[Dd]emande|[Aa]vis) n[°o] ?(?:[A-Z] )?"
    r"(?P<num>\d{2}-70\.? ?\d{3})(?![\d.])"
)
# « Par un jugement n° 1907262 du 11 juillet 2022, le tribunal administratif de Versailles »,
# « d'annuler le jugement n° 0802748 du 28 juillet 2011 par lequel (en tant que) le tribunal
# administratif de Bordeaux … » (a number keys the ruling, else its date)
_COURT_AFTER_RE = re.compile(
    r"(?=[aj])(?<![\w])(?:arr[êe]t|jugement)"
    r"(?: n[°o] ?" + _COURT_NUMBER + r"(?:-(?P<more>\d{7}))?)?"
    r"(?: en date du| du| rendu le) " + _DATE
    + r"(?:, [^\d,;()\n]{1,40})?(?:,| par lequel| par laquelle| en tant que) (?:la|le) "
    + _LOWER_COURT
)  # fmt: skip
_RUNNING_TEXT_BEFORE_RE = re.compile(r"(?:\bau|\baux|\bà la) $")
_COURT_THEN_RE = re.compile(
    r"(?=[CcTt])(?<![\w])"
    + _LOWER_COURT
    + r",? "
    + _SUBJECT_VERB
    + r"(?:par|dans) (?:un |son )?(?:arr[êe]t|jugement)(?: en date du| du| rendu le) "
    + _DATE
)
_CA_OF_RE = re.compile(
    r"(?=a)(?<![\w])arr[êe]t de la [Cc]our d['’]appel (?:de |d['’])(?P<city>[A-ZÉ][\w'-]+)"
    r"(?: \([^()]{1,40}\))?(?: en date)? du " + _DATE
)
# Lower courts as legal writers abbreviate them: « CAA Paris, 4e ch., 12 mars 2020, n° 18PA01234 »,
# « TA Lyon, 5 mars 2021, n° 2012345 », « TJ Paris, 5 mars 2021, n° 20/01234 », « TGI Paris,
# 3 mars 2018 », « T. com. Paris, 3 mars 2020 » (« TC » is the Tribunal des conflits: not read).
_COURT_ABBREVS = {"CAA": "caa", "TA": "ta", "TJ": "tj", "TGI": "tgi", "T.com.": "tc",
                  "Trib.com.": "tc", "T.adm.": "ta", "Trib.adm.": "ta",
                  "Trib.jud.": "tj"}  # fmt: skip
_COURT_NAMES = {"caa": "Cour administrative d'appel", "ta": "Tribunal administratif",
                "tj": "Tribunal judiciaire", "tgi": "Tribunal de grande instance",
                "tc": "Tribunal de commerce", "ca": "Cour d'appel"}  # fmt: skip
_COURT_ABBREV_RE = re.compile(
    r"(?=T|CAA)(?<![\w.])(?P<abbr>CAA|TA|TJ|TGI|T\. ?com\.|Trib\. ?com\.|T\. ?adm\.|Trib\. ?adm\."
    r"|Trib\. ?jud\.)(?: de | d['’]| )"
    r"(?P<city>(?:L[ae] )?[A-ZÉ][\w'-]+)(?: \([^()]{1,30}\))?(?:, [^,;()\n]{1,30}?){0,2},? " + _DATE
    + r"(?:(?: ?: ?|,? )(?:RG |req\. )?(?:n[°o] ?)?" + _COURT_NUMBER + r")?"
)  # fmt: skip
# The Court of Justice of the EU and the General Court: « CJUE, 1er oct. 2019, Planet49,
# C-673/17 », « aff. C-131/12 »: key eu:case:<C or T>-<number>/<yy>.
_EU_CASE_RE = re.compile(
    r"(?=[aACT])(?<![\w/-])(?:(?P<aff>[Aa]ff(?:aires?|\.)(?: jointes)?) )?"
    r"(?P<court>[CT])-(?P<n>\d{1,4})/(?P<y>\d{2})(?![\w/])"
)
# The court named before the case number: « CJUE », « Trib. UE », « TPICE », or « la Cour » of
# an EU text (« arrêt de la Cour du 16 juillet 2020, Facebook Ireland et Schrems (C-311/18) »).
_EU_COURT_RE = re.compile(
    r"CJUE|CJCE|CJ UE|Cour de justice|Tribunal de l['’]Union|Trib\. ?UE|Tribunal de l['’ ]UE"
    r"|TPI(?:CE|UE)?\b|Tribunal de premi[èe]re instance|\bCour\b"
    # the court's own lists and headings: « Arrêt du 2 mai 2019, Asendia Spain (C-259/18) »
    r"|[Aa]rr[êe]t du \d|[Oo]rdonnance du \d|[Aa]vocat g[ée]n[ée]ral|[Rr]envoi pr[ée]judiciel"
)
CURIA_CASE = "https://curia.europa.eu/juris/liste.jsf?num={}"
_ISSUERS = {
    "cnil": r"CNIL|Cnil|Commission nationale de l['’ ]informatique et des libert[ée]s",
    "arcep": r"ARCEP|Arcep|Autorit[ée] de r[ée]gulation des communications [ée]lectroniques"
    r"(?:,? (?:et )?des postes(?:,? et de la distribution de la presse)?)?",
    "cre": r"CRE|Commission de r[ée]gulation de l['’ ][ée]nergie",
    "asn": r"ASN|Autorit[ée] de s[ûu]ret[ée] nucl[ée]aire",
    "adlc": r"ADLC|Autorit[ée] de la concurrence|Conseil de la concurrence",
    "arcom": r"ARCOM|Arcom|CSA|Conseil sup[ée]rieur de l['’ ]audiovisuel"
    r"|Autorit[ée] de r[ée]gulation de la communication audiovisuelle et num[ée]rique",
    "amf": r"AMF|Autorit[ée] des march[ée]s financiers",
    "acpr": r"ACPR|Autorit[ée] de contr[ôo]le prudentiel et de r[ée]solution",
    "has": r"HAS|Haute [Aa]utorit[ée] de [Ss]ant[ée]",
}
_ISSUER_NAMES = {
    "cnil": "CNIL", "arcep": "ARCEP", "cre": "CRE", "asn": "ASN",
    "adlc": "Autorité de la concurrence", "arcom": "Arcom", "amf": "AMF", "acpr": "ACPR",
    "has": "Haute Autorité de santé",
}  # fmt: skip
# A literal every name of _ISSUERS holds (a C-speed test before the regex scans).
_ISSUER_LITERALS = ("CNIL", "Cnil", "ommission", "ARCEP", "Arcep", "utorit", "CRE", "ASN", "ADLC",
                    "onseil", "ARCOM", "Arcom", "CSA", "AMF", "ACPR", "HAS", "aute")  # fmt: skip
_ISSUER = "|".join(f"(?P<{k}>{v})" for k, v in _ISSUERS.items())
_ISSUER_RE = re.compile(r"(?<![\w])(?:" + _ISSUER + r")(?![\w])")
_OF = r"(?:de la |du |de l['’ ]|d['’]|de )"
# A regulator's act by number: « délibération n° 2013-175 », « décision no 2021-108C de la
# présidente de la CNIL », « Délibération SAN 2020-012 », « délibération CNIL 2019-093 », « avis
# de l'Autorité n° 2011-0524 »; tried only where a type word is (see _REG_HINT_RE).
_REG_ACT_RE = re.compile(
    r"(?<![\w])(?P<type>[Dd][ée]lib[ée]rations?|D[ÉE]LIB[ÉE]RATION|[Dd][ée]cisions?|D[ÉE]CISION"
    r"|[Aa]vis|[Rr]ecommandations?|[Dd][ée]lib\.|[Dd][ée]c\.)(?: de la formation restreinte)?"
    r"(?: (?:" + _OF + r")?(?P<iss>" + _ISSUER.replace("?P<", "?P<b_") + r")"
    r"| de l['’ ]Autorit[ée]| de la Commission)?"
    r"(?:,? [nN][°o]?s?\.? ?| )"  # « n° », « no », « No. » (English pages)
    # « SAN-2020-012 », « SAN 2020-012 », « SAN – 2020-012 » (a dash between spaces)
    r"(?P<num>SAN(?: ?- ?| )\d{4}-\d{2,4}|\d{4}-\d{2,4}(?:-[A-Z]{2,6}(?![\w-])|[A-Z])?)(?![\w-])"
)  # fmt: skip
_ISSUER_AFTER_RE = re.compile(
    r"(?: du " + _DATE + r")?,? " + _OF + r"(?:la |l['’ ])?(?:pr[ée]sidente? de la )?(?:"
    + _ISSUER.replace("?P<", "?P<a_") + r")(?![\w])"
)  # fmt: skip
# A regulator's decision as legal writers cite it: « AMF, 18 juill. 2016, n° SAN-2016-12 »,
# « ACPR, Commission des sanctions, 5 mai 2021, n° 2020-02 ».
# « CNIL, formation restreinte, 7 janv. 2022, n° SAN-2021-023 », « CNIL, délib. n° 2019-160,
# 21 nov. 2019 »: the number after the date, or after the act's type.
_REG_CITED_RE = re.compile(
    r"(?=[AC])(?<![\w])(?:"
    + _ISSUER.replace("?P<", "?P<c_")
    + r")(?:,? (?:(?:[Cc]omm?\.|[Cc]ommission)"
    r" des sanctions|[Ff]ormation restreinte|[Cc]oll[èe]ge|CoRDiS))?, "
    + r"(?:"
    + _DATE
    + r",? )?(?P<kind>(?:[Dd][ée]lib(?:\.|[ée]ration)|[Dd][ée]c(?:\.|ision)|[Aa]vis) )?"
    + r"(?P<mark>n[°o] ?)?(?P<num>SAN-\d{4}-\d{1,4}|\d{4}-\d{1,4}(?:-[A-Z]{2,6}|[A-Z])?)"
    r"(?![\w-])"
)
_REG_MORE_RE = re.compile(
    r"(?:,| et| ou) (?:n[°o]s? ?)?"
    r"(?P<num>SAN-\d{4}-\d{2,4}|\d{4}-(?!(?:19|20)\d\d(?!\d))\d{2,4}[A-Z]?)(?![\w-])"
)  # not a span of years (« 2021-2022 »)
# The formation that gave the act, between its type and its body: « décision de la commission
# des sanctions de l'AMF du … », « décision du CoRDiS de la CRE du … », « délibération du collège
# de l'Arcom du … ».
_REG_FORMATION = (
    r"(?:de la |du )(?:[Cc]ommission des sanctions|[Ff]ormation restreinte|[Cc]oll[èe]ge"
    r"|CoRDiS|[Cc]omit[ée] de r[èe]glement des diff[ée]rends et des sanctions(?: \(CoRDiS\))?) "
)
# « délibération de la CRE du 18 janvier 2018 », « délibération CNIL du 17 septembre 2020 »,
# « délibération de la Commission de régulation de l'énergie en date du 17 décembre 2020 »
_REG_DATED_RE = re.compile(
    r"(?<![\w])(?P<type>[Dd][ée]lib[ée]rations?|[Dd][ée]cision|[Aa]vis|[Dd][ée]lib\.,?)"
    r"(?: (?:" + _REG_FORMATION + r")?(?:" + _OF + r")?(?:" + _ISSUER + r")"
    r"(?: \((?:CRE|CNIL|ASN|ARCEP|Arcep|ACPR|AMF)\))?)?"
    r"(?: en date)? du " + _DATE
)  # fmt: skip
# Each family of patterns is tried only where a literal it needs is in the text (``in`` tests
# run at C speed), whereas the patterns have no cheap first character and most texts cite no
# decision. The regulators' patterns are tried where a type word is (« décision », « avis »,
# « délibération »…), found in one pass of a plain alternation of literals.
_HINT_WORDS = (
    ("cc", ("DC", "QPC", "FNR")), ("ecli", ("ECLI:",)),
    ("ce", ("CE,", "CE ", "C.E.", "tat,", "Ce,")),
    ("conseil", ("onseil d",)), ("cass", ("Cass", "cass.")), ("pourvoi", ("ourvoi",)),
    ("cassation", ("assation", "ASSATION")), ("consconst", ("Cons. const", "Cons.const")),
    ("chamber", ("Crim.", "Soc.", "Com.", "Civ.", "plén.", "Ch. mixte")),
    ("court", ("RG ", "R.G. ", "ribunal a", "ribunal d", "ribunal j", "ribunal J", "ribunal A",
               "rendu le", "d'appel", "D'APPEL", "CA ", "attaqu", "pertoire g", "TA ", "TJ ",
               "TGI ", "CAA ", "T. com.", "T.com.", "Trib. com.", "pour avis", "emande d",
               ". adm.", ".adm.", "Trib. jud.")),
    ("adlc", ("-D", "-A-", "-MC-", " MC ")), ("asn", ("-DC-",)),
    ("eucase", ("C-", "T-")),
)  # fmt: skip
_HINT_FLAT = tuple((word, family) for family, words in _HINT_WORDS for word in words)
# the Conseil constitutionnel's other series, always written with « n° » or « décision »
# (« n° 2021-291 L », « décision n° 2023-1051 AN »)
_CC_LETTER_HINT_RE = re.compile(r"\d-\d{1,4} ?(?:[LDI]|AN|SEN|ELEC|PDR|ORGA|LP|LOM|REF|RIP|AR16)\b")
_REG_HINT_RE = re.compile("élib|elib|ÉLIB|ELIB|écision|ecision|ÉCISION|ECISION|vis|ecommandation")
_DEC_ABBREV_RE = re.compile(r"(?<![\w])[Dd][ée]c\.")  # « déc. n° … »


def _decision_cand(
    start: int, end: int, key: str, label: str, url: str = "", link: str = ""
) -> _Cand:
    link = link or ("official" if url else "search")
    return _Cand(start, end, "decision", key, label, url or _legifrance_search(label), link)


def _which_issuer(m: re.Match[str], prefix: str = "") -> str | None:
    for slug in _ISSUERS:
        if m.group(prefix + slug):
            return slug
    return None


@dataclass(frozen=True)
class _Issuers:
    """Every regulator named in a text (found once, not once per act), and where each ends."""

    named: list[re.Match[str]]
    ends: list[int]

    @classmethod
    def of(cls, t: str) -> _Issuers:
        named = list(_ISSUER_RE.finditer(t))
        return cls(named, [m.end() for m in named])


def _issuer_near(t: str, issuers: _Issuers, start: int, end: int, after: bool) -> str | None:
    """The regulator named last before ``start`` in the item, or (``after``) first within 300
    characters after ``end``."""
    k = bisect.bisect_right(issuers.ends, start)
    if k:
        return _which_issuer(issuers.named[k - 1])
    following = _ISSUER_RE.search(t, end, end + 300) if after else None
    return _which_issuer(following) if following is not None else None


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
        if m.group("t"):
            y, n, typ = m.group("y"), m.group("n"), m.group("t")
            yield _decision_cand(
                m.start(), m.end(), f"fr:cc:{y}-{n}-{typ}",
                f"Conseil constitutionnel, décision n° {y}-{n} {typ}",
                CONSEIL_CONSTITUTIONNEL.format(y, f"{y}{n}{typ}"),
            )  # fmt: skip
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
        yield _decision_cand(
            m.start(), m.end(), f"fr:cc:{y}-{n}-{typ}",
            f"Conseil constitutionnel, décision n° {y}-{n} {typ}",
            CONSEIL_CONSTITUTIONNEL.format(year, f"{y}{n.replace('-', '_')}{typ}"),
        )  # fmt: skip
    if "ecli" in found:
        for m in _ECLI_RE.finditer(t):
            parts = m.group("id").split(".")
            if m.group("court") == "CC" and len(parts) == 3:
                y, n, typ = parts
                yield _decision_cand(
                    m.start(), m.end(), f"fr:cc:{y}-{n}-{typ}",
                    f"Conseil constitutionnel, décision n° {y}-{n} {typ}",
                    CONSEIL_CONSTITUTIONNEL.format(y, f"{y}{n}{typ}"),
                )  # fmt: skip
            elif m.group("court").startswith("CE") and parts[0].isdigit():
                yield _decision_cand(m.start(), m.end(), f"fr:ce:{parts[0]}",
                                     f"Conseil d'État, n° {parts[0]}")  # fmt: skip
    if "eucase" in found:
        listed_end = -1  # the end of the last case kept: a list goes on from it
        for m in _EU_CASE_RE.finditer(t):
            court = _EU_COURT_RE.search(t, max(0, m.start() - 150), m.start())
            listed = t[listed_end : m.start()] in (", ", " et ", ", et ", " ou ")
            if m.group("aff") or court is not None or listed:
                listed_end = m.end()
                case = f"{m.group('court')}-{m.group('n')}/{m.group('y')}"
                yield _decision_cand(
                    m.start(), m.end(), f"eu:case:{case}", f"CJUE, aff. {case}",
                    CURIA_CASE.format(case), "search",
                )  # fmt: skip
    yield from _court_rulings(t, found)
    yield from _caa_numbers(t)
    if "rocédure n" in t or "ROCÉDURE N" in t:
        yield from _acpr_procedures(t)
    yield from _regulator_acts(t, found, reg_at)
    if ("/DC/" in t or "/AC/" in t) and _HAS_NAME_RE.search(t):
        for m in _HAS_RE.finditer(t):
            num = m.group("num")
            yield _decision_cand(m.start(), m.end(), f"fr:has:{num.replace('/', '-')}",
                                 f"Haute Autorité de santé, décision n° {num}")  # fmt: skip


def _with_more(t: str, m: re.Match[str], court: str, name: str) -> Iterator[_Cand]:
    """The ruling a match names, then the further numbers written after its own (« n°s 19-13.425
    et 19-13.426 »: one ruling on several pourvois or requêtes, one reference each)."""
    yield _dated_or_numbered(m, court, name)
    if not m.groupdict().get("num"):
        end = m.end()
        while (more := _MORE_DATE_RE.match(t, end)) is not None:
            yield _dated_or_numbered(more, court, name)
            end = more.end()
        return
    more_re = _POURVOI_MORE_RE if court == "cass" else _CE_MORE_RE
    end = m.end()
    while (more := more_re.match(t, end)) is not None:
        yield _dated_or_numbered(more, court, name)
        end = more.end()


def _court_rulings(t: str, found: set[str]) -> Iterator[_Cand]:
    if "ce" in found:
        for m in _CE_RE.finditer(t):
            yield from _with_more(t, m, "ce", "Conseil d'État")
    if ("ce" in found or "conseil" in found) and "rd" in t:
        for m in _CE_ORDER_RE.finditer(t):
            yield from _with_more(t, m, "ce", "Conseil d'État")
    if "conseil" in found:
        for m in (*_CE_AFTER_RE.finditer(t), *_CE_THEN_RE.finditer(t)):
            yield _dated_or_numbered(m, "ce", "Conseil d'État")
        for m in (*_CE_NUMBERS_RE.finditer(t), *_CE_NUMBER_FIRST_RE.finditer(t)):
            yield from _with_more(t, m, "ce", "Conseil d'État")
    if "cass" in found:
        for m in (*_CASS_RE.finditer(t), *_CASS_NUMBER_RE.finditer(t)):
            yield from _with_more(t, m, "cass", "Cour de cassation")
    if "pourvoi" in found:
        for m in _POURVOI_RE.finditer(t):
            num = _pourvoi(m.group("num"))
            yield _decision_cand(m.start(), m.end(), f"fr:cass:{num}",
                                 f"Cour de cassation, pourvoi n° {num}")  # fmt: skip
    if "chamber" in found:
        for m in _CASS_CHAMBER_RE.finditer(t):
            yield from _with_more(t, m, "cass", "Cour de cassation")
    if "cassation" in found:
        for pattern in (_CASS_DATED_RE, _CASS_TITLE_RE, _CASS_TITLE_DATED_RE, _CASS_AFTER_RE,
                        _CASS_FORMATION_RE):  # fmt: skip
            for m in pattern.finditer(t):
                yield from _with_more(t, m, "cass", "Cour de cassation")
    if "hambre" in t or "lénière" in t or "leniere" in t:
        for m in (*_CASS_CHAMBER_AFTER_RE.finditer(t), *_CASS_CHAMBER_THEN_RE.finditer(t)):
            # not when the court named last before is a lower one (its own chambers)
            named = list(_COURT_NAMED_RE.finditer(t, max(0, m.start() - 300), m.start()))
            if not named or "assation" in named[-1].group(0):
                yield _dated_or_numbered(m, "cass", "Cour de cassation")
    if "-70" in t:
        for m in _CASS_AVIS_RE.finditer(t):
            yield from _with_more(t, m, "cass", "Cour de cassation")
    if "cass" in found or "cassation" in found:
        for m in _CASS_SITE_RE.finditer(t) if _CASS_NAMED_RE.search(t) else ():
            yield from _with_more(t, m, "cass", "Cour de cassation")
        cass_named = _CASS_NAMED_RE.search(t)  # the first: named before m when it ends before it
        for m in _DATE_POURVOI_RE.finditer(t):
            if cass_named is not None and cass_named.end() <= m.start():
                yield from _with_more(t, m, "cass", "Cour de cassation")
    supreme = (
        [_SUPREME_THEN_RE, _SUPREME_OF_RE]
        if any(w in t for w in ("onstitutionnel", "assation", "onseil d"))
        else []
    )
    if "rendu" in t:
        supreme += [_SUPREME_RENDERED_RE, _SUPREME_GAVE_RE]
    # the court right after the fronted date (literals: most texts have none)
    fronted = any(w in t for w in _FRONTED_COURT_LITERALS)
    for m in _FRONTED_RE.finditer(t) if fronted else ():
        date = _parse_date(m)
        if date is None:
            continue
        if m.group("court"):
            court, name = _SUPREME_KEYS.get(_fold(m.group("court")), ("ce", "Conseil d'État"))
            yield _decision_cand(m.start(), m.end("court"), f"fr:{court}:du-{date.isoformat()}",
                                 f"{name}, {date_fr(date)}")  # fmt: skip
            continue
        lower = _LOWER_COURT_KEYS[_fold(m.group("lower"))]
        if lower == "ca" and _slug(m.group("city")) not in _CA_SEAT_SLUGS:
            continue
        city = m.group("city")
        yield _decision_cand(
            m.start(), m.end("city"), f"fr:juris:{lower}-{_slug(city)}:du-{date.isoformat()}",
            f"{m.group('lower').capitalize()} de {city}, {date_fr(date)}",
        )  # fmt: skip
    for pattern in supreme:
        for m in pattern.finditer(t):
            court, name = _SUPREME_KEYS.get(_fold(m.group("court")), ("ce", "Conseil d'État"))
            yield _dated_or_numbered(m, court, name)
    if "court" not in found:
        return
    for m in _CA_RE.finditer(t):
        city = m.group("city")
        if m.group("num"):
            num = m.group("num").replace("/", "-")
            label = f"Cour d'appel de {city.title()}, RG n° {m.group('num')}"
            yield _decision_cand(m.start(), m.end(), f"fr:juris:ca-{_slug(city)}:{num}", label)
        elif _slug(city) in _CA_SEAT_SLUGS and (date := _parse_date(m)) is not None:
            yield _court_cand(m, "ca", "Cour d'appel", f"du-{date.isoformat()}", date_fr(date))
    for m in _CA_ATTACKED_RE.finditer(t) if "attaqu" in t else ():
        if _slug(m.group("city")) not in _CA_SEAT_SLUGS:
            continue
        ends = [(m, m.start(), m.end())]
        more = _AND_DATE_RE.match(t, m.end())
        if more is not None:
            ends.append((more, more.start() + 4, more.end() - 1))
        for dm, start, end in ends:
            date = _parse_date(dm)
            if date is not None:
                yield _decision_cand(
                    start, end, f"fr:juris:ca-{_slug(m.group('city'))}:du-{date.isoformat()}",
                    f"Cour d'appel de {m.group('city')}, {date_fr(date)}",
                )  # fmt: skip
    for m in _RG_RE.finditer(t) if ("RG" in t or "R.G." in t or "pertoire g" in t) else ():
        line = t[t.rfind("\n", 0, m.start()) + 1 : m.start()]
        if re.search(r"(?i)tribunal|jugement|ordonnance", line):
            continue
        named = [c for c in _CA_NAMED_RE.finditer(t, 0, m.start())
                 if _slug(c.group("city")) in _CA_SEAT_SLUGS]  # fmt: skip
        if named:
            city = named[-1].group("city").title()
            num = m.group("num")
            yield _decision_cand(m.start(), m.end(),
                                 f"fr:juris:ca-{_slug(city)}:{num.replace('/', '-')}",
                                 f"Cour d'appel de {city}, RG n° {num}")  # fmt: skip
    for m in _COURT_DEFERRED_RE.finditer(t) if "RG n" in t else ():
        num = m.group("num")
        court, name = _lower_court(m)
        city = m.group("city")
        key = f"fr:juris:{court}-{_slug(city)}:{num.replace('/', '-')}"
        yield _decision_cand(m.start(), m.end(), key, f"{name} de {city.title()}, n° {num}")
    for m in _COURT_ABBREV_RE.finditer(t):
        court = _COURT_ABBREVS[m.group("abbr").replace(" ", "")]
        num = m.group("num")
        if num:
            yield _court_cand(m, court, _COURT_NAMES[court], num.replace("/", "-"), f"n° {num}")
        elif (date := _parse_date(m)) is not None:
            yield _court_cand(m, court, _COURT_NAMES[court], f"du-{date.isoformat()}",
                              date_fr(date))  # fmt: skip
    for m in _TA_RE.finditer(t):
        city = m.group("city")
        yield _decision_cand(m.start(), m.end(), f"fr:juris:ta-{_slug(city)}:{m.group('num')}",
                             f"Tribunal administratif de {city}, n° {m.group('num')}")  # fmt: skip
    for m in (*_COURT_TITLE_RE.finditer(t), *_COURT_REGISTERED_RE.finditer(t)):
        num = m.group("num")
        yield _court_cand(m, *_lower_court(m), num.replace("/", "-"), f"n° {num}")
    dated = []
    for m in _COURT_AFTER_RE.finditer(t):
        if m.group("num"):
            # « jugement n° 1800620-1803989 »: one judgment on joined requêtes, a key each
            for num in filter(None, (m.group("num"), m.group("more"))):
                cand = _court_cand(m, *_lower_court(m), num.replace("/", "-"), f"n° {num}")
                cand.group = m.start() + 1  # both kept: one judgment, two keys
                yield cand
        else:
            dated.append((m, *_lower_court(m)))
    dated += [(m, *_lower_court(m)) for m in _COURT_THEN_RE.finditer(t)]
    dated += [(m, *_lower_court(m)) for m in _COURT_ASKED_RE.finditer(t)]
    dated += [
        (m, *_lower_court(m))
        for m in _COURT_TITLE_DATED_RE.finditer(t)
        if (_fold(m.group("court")) != "cour d'appel" or _slug(m.group("city")) in _CA_SEAT_SLUGS)
        # a title, not running text: « au tribunal administratif de Lyon, …, le 1er mars 2010 »
        and not _RUNNING_TEXT_BEFORE_RE.search(t, max(0, m.start() - 5), m.start())
    ]
    dated += [(m, "ca", "Cour d'appel") for m in (*_CA_DATED_RE.finditer(t),
                                                  *_CA_OF_RE.finditer(t))]  # fmt: skip
    for m, court, name in dated:
        date = _parse_date(m)
        if date is not None:
            yield _court_cand(m, court, name, f"du-{date.isoformat()}", date_fr(date))


# A cour administrative d'appel's case number names its court (« 11BX02706 »: Bordeaux, 2011):
# « N° 11BX02706 », « req. n° 21TL03575 », whatever the text says around it.
_CAA_CODES = {"PA": "Paris", "VE": "Versailles", "LY": "Lyon", "MA": "Marseille",
              "BX": "Bordeaux", "NT": "Nantes", "DA": "Douai", "NC": "Nancy",
              "TL": "Toulouse"}  # fmt: skip
_CAA_NUMBER_RE = re.compile(
    r"(?<![\w])(?:[Nn][°o]|[Rr]eq\. n[°o]|[Rr]equ[êe]te n[°o]) ?"
    r"(?P<num>\d{2}(?P<code>" + "|".join(_CAA_CODES) + r")\d{5})(?![\w/])"
)
_CAA_CODE_RE = re.compile(r"\d\d(?:" + "|".join(_CAA_CODES) + r")\d{5}")


# the number alone in an item naming a cour administrative d'appel (« Cour administrative d'appel,
# 1ère chambre, 15 février 2024, 22MA00564 »)
_CAA_BARE_RE = re.compile(
    r"(?<![\w/])(?P<num>\d{2}(?P<code>" + "|".join(_CAA_CODES) + r")\d{5})(?![\w/])"
)
_CAA_NAMED_RE = re.compile(r"(?i)cour administrative d['’ ]appel|(?<![\w])CAA(?![\w])")


def _caa_numbers(t: str) -> Iterator[_Cand]:
    if _CAA_CODE_RE.search(t) is None:
        return
    bare = _CAA_BARE_RE.finditer(t) if _CAA_NAMED_RE.search(t) else ()
    for m in (*_CAA_NUMBER_RE.finditer(t), *bare):
        city, num = _CAA_CODES[m.group("code")], m.group("num")
        yield _decision_cand(m.start(), m.end(), f"fr:juris:caa-{_slug(city)}:{num}",
                             f"Cour administrative d'appel de {city}, n° {num}")  # fmt: skip


# The ACPR's sanction decisions are titled by their procedure's number (« Procédure n° 2017-05
# … Commission des sanctions »), in an item naming the ACPR.
_PROCEDURE_RE = re.compile(
    r"(?<![\w])(?:[Pp]roc[ée]dure|PROC[ÉE]DURE) (?:n[°o]|N[°O]) ?(?P<num>20\d\d-\d{1,3}(?: bis)?)"
    r"(?![\w-])"
)
_ACPR_NAMED_RE = re.compile(r"(?i)\bACPR\b|contr[ôo]le prudentiel")


def _acpr_procedures(t: str) -> Iterator[_Cand]:
    if _ACPR_NAMED_RE.search(t) is None:
        return
    for m in _PROCEDURE_RE.finditer(t):
        num = m.group("num").replace(" ", "-")
        yield _decision_cand(m.start(), m.end(), f"fr:acpr:{num}",
                             f"ACPR, Commission des sanctions, procédure n° {num}")  # fmt: skip


def _lower_court(m: re.Match[str]) -> tuple[str, str]:
    """The key prefix and the name of the court a match names (``_LOWER_COURT``)."""
    written = m.group("court")
    return _LOWER_COURT_KEYS[_fold(written)], written.capitalize()


def _court_cand(m: re.Match[str], court: str, name: str, ident: str, shown: str) -> _Cand:
    city = m.group("city")
    return _decision_cand(m.start(), m.end(), f"fr:juris:{court}-{_slug(city)}:{ident}",
                          f"{name} de {city}, {shown}")  # fmt: skip


def _slug(name: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", _fold(name)))


def _pourvoi(num: str) -> str:
    """« 20-16782 » → « 20-16.782 », « 04-18. 653 » → « 04-18.653 », « 20-18-844 » →
    « 20-18.844 »."""
    num = num.replace(" ", "")
    if num.count("-") == 2:
        num = num[:5] + "." + num[6:]
    return num if "." in num else f"{num[:5]}.{num[5:]}"


def _dated_or_numbered(m: re.Match[str], court: str, name: str) -> _Cand:
    num = m.groupdict().get("num")
    if num:
        num = _pourvoi(num) if court == "cass" else num
        what = "pourvoi n°" if court == "cass" else "n°"
        cand = _decision_cand(m.start(), m.end(), f"fr:{court}:{num}", f"{name}, {what} {num}")
        if "yyyy" in m.groupdict():
            cand.decided = _parse_date(m)
        return cand
    date = _parse_date(m)
    if date is None:  # an impossible date: keep the written form, never a wrong key
        return _decision_cand(m.start(), m.start(), "", "")
    return _decision_cand(m.start(), m.end(), f"fr:{court}:du-{date.isoformat()}",
                          f"{name}, {date_fr(date)}")  # fmt: skip


def _regulator_acts(t: str, found: set[str], reg_at: list[int]) -> Iterator[_Cand]:
    for m in _ADLC_RE.finditer(t) if "adlc" in found else ():
        before = t[max(0, m.start() - 30) : m.start()]
        if not m.group("mark") and not _ADLC_BEFORE_RE.search(before):
            continue
        num = f"{m.group('y')}-{m.group('t')}-{m.group('n')}"
        what = "avis" if m.group("t") == "A" else "décision"
        yield _decision_cand(m.start(), m.end(), f"fr:adlc:{num}",
                             f"Autorité de la concurrence, {what} n° {num}")  # fmt: skip
    for m in _ASN_RE.finditer(t) if "asn" in found else ():
        yield _decision_cand(m.start(), m.end(), f"fr:asn:{m.group('num')}",
                             f"ASN, décision n° {m.group('num')}")  # fmt: skip
    # its number follows « n° », a type word (found in reg_at) or is a « SAN- » number
    cited = (", n" in t or "SAN-" in t or reg_at) and any(w in t for w in _ISSUER_LITERALS)
    for m in _REG_CITED_RE.finditer(t) if cited else ():
        issuer = _which_issuer(m, "c_")
        num = m.group("num")
        dated = m.group("yyyy") or m.group("dny")
        marked = m.group("mark") or m.group("kind") or num.startswith("SAN")
        if issuer is not None and marked and (dated or m.group("kind") or m.group("mark")):
            num = m.group("num")
            yield _decision_cand(m.start(), m.end(), f"fr:{issuer}:{num}",
                                 f"{_ISSUER_NAMES[issuer]}, décision n° {num}")  # fmt: skip
    issuers = _Issuers.of(t) if reg_at else _Issuers([], [])
    for at in reg_at:
        act = _REG_ACT_RE.match(t, at)
        if act is not None:
            yield from _regulator_act(t, act, issuers)
            continue
        dated = _REG_DATED_RE.match(t, at)
        if dated is not None:
            yield from _regulator_dated(t, dated)


def _regulator_act(t: str, m: re.Match[str], issuers: _Issuers) -> Iterator[_Cand]:
    num = re.sub(r"^SAN(?: ?- ?| )", "SAN-", m.group("num"))
    typ = _fold(m.group("type"))
    typ = {"delib.": "deliberation", "dec.": "decision"}.get(typ, typ)
    if re.match(r"\d{4}-DC-", num):
        return
    if num.startswith("SAN") or re.fullmatch(r"\d{4}-\d+C", num):
        issuer: str | None = "cnil"
    else:
        issuer = _which_issuer(m, "b_")
    end = m.end()
    if issuer is None:
        after = _ISSUER_AFTER_RE.match(t, m.end())
        if after is not None:
            issuer, end = _which_issuer(after, "a_"), after.end()
    if issuer is None:
        issuer = _issuer_near(t, issuers, m.start(), m.end(), after=True)
    if issuer is None and not typ.startswith("deliberation"):
        return  # « décision n° 2022-0617 » of an unnamed body: not keyed
    if issuer is None and _LOCAL_BODY_RE.search(t, max(0, m.start() - 150), m.end() + 80):
        return  # a local authority's délibération
    body = issuer or "deliberation"
    who = _ISSUER_NAMES.get(issuer or "", "")
    label = f"{who}, {typ.rstrip('s')} n° {num}" if who else f"Délibération n° {num}"
    yield _decision_cand(m.start(), end, f"fr:{body}:{num}", label)
    # « délibérations n° 2021-122 et n° 2021-123 de la CRE »: the same body's further acts
    pos = m.end()
    while (more := _REG_MORE_RE.match(t, pos)) is not None:
        num = more.group("num")
        label = f"{who}, {typ.rstrip('s')} n° {num}" if who else f"Délibération n° {num}"
        yield _decision_cand(more.start("num"), more.end(), f"fr:{body}:{num}", label)
        pos = more.end()


_ISSUER_SUBJECT_RE = re.compile(
    r"(?:\[\d{1,3}\]| \(\d{1,3}\))?, (?:l['’ ]|la |le )"  # a footnote call may come first
    r"(?:(?:[Cc]ommission des sanctions|[Ff]ormation restreinte|[Cc]oll[èe]ge|CoRDiS) "
    + _OF
    + r")?(?:"
    + _ISSUER.replace("?P<", "?P<s_")
    + r")(?![\w])"
)
_ISSUER_LATER_SUBJECT_RE = re.compile(
    r", (?:l['’ ]|la |le )(?:" + _ISSUER.replace("?P<", "?P<s_") + r")(?![\w]) (?!de\b|du\b|d['’])"
)
# « la délibération du 21 novembre 2019 de la CNIL », « décision du 25 novembre 2020 de la
# commission des sanctions de l'AMF »: the body after the date.
# « décision du 26 septembre 2016 par laquelle la présidente de la Haute Autorité de santé … »,
# « … par laquelle la commission des sanctions de l'AMF … »: the body in the relative clause.
_ISSUER_OF_AFTER_RE = re.compile(
    r"(?:,? (?:" + _REG_FORMATION + r")?"
    r"|,? par laquelle (?:le |la |l['’])(?:pr[ée]sidente?|coll[èe]ge|commission des sanctions"
    r"|formation restreinte|directeur g[ée]n[ée]ral|directrice g[ée]n[ée]rale) )"
    + _OF
    + r"(?:"
    + _ISSUER.replace("?P<", "?P<o_")
    + r")(?![\w])"
)
# « AMF, Commission des sanctions, décision du 18 juillet 2016 », « Commission des sanctions de
# l'AMF, décision du 25 novembre 2020 »: the body cited right before the act, as legal writers do.
_ISSUER_CITED_BEFORE_RE = re.compile(
    r"(?<![\w])(?:" + _ISSUER.replace("?P<", "?P<p_") + r")"
    r"(?:,? (?:[Cc]ommission des sanctions|[Ff]ormation restreinte|[Cc]oll[èe]ge|CoRDiS))?"
    # « AMF, décision du … », « la commission des sanctions de l'AMF, dans une décision du … »,
    # « La CRE a alors proposé, par une décision du … »
    r"(?:, |,? " + _SUBJECT_VERB + r"(?:dans|par) (?:une|un|sa|son) )$"
)
# A local authority's act (« délibération n° 2019-001 du conseil municipal », « par délibération
# du conseil communautaire »): not a regulator's, not a reference of the watch.
_LOCAL_BODY_RE = re.compile(
    r"(?i)\bconseil (?:municipal|communautaire|r[ée]gional|d[ée]partemental|m[ée]tropolitain"
    r"|d['’ ]administration|de paris|de la m[ée]tropole)|comit[ée] syndical|\bmairie\b"
    r"|\bcommune\b|assembl[ée]e d[ée]lib[ée]rante"
)


def _regulator_dated(t: str, m: re.Match[str]) -> Iterator[_Cand]:
    date = _parse_date(m)
    if date is None:
        return
    issuer = _which_issuer(m)
    delib = _fold(m.group("type")).startswith("delib")
    if issuer is None and delib:
        sentence = t[max(0, m.start() - 200) : m.start()].rsplit(". ", 1)[-1]
        if _LOCAL_BODY_RE.search(sentence):
            return  # « le conseil municipal … a adopté une délibération du … »
        near = list(_ISSUER_RE.finditer(sentence))
        issuer = _which_issuer(near[-1]) if near else None
    end = m.end()
    if issuer is None:
        # « Par une décision du 26 juillet 2023, l'ARCOM a prononcé … »: the body right after
        subject = _ISSUER_SUBJECT_RE.match(t, m.end())
        if subject is not None:
            issuer, end = _which_issuer(subject, "s_"), subject.end()
    if issuer is None and (of := _ISSUER_OF_AFTER_RE.match(t, m.end())) is not None:
        issuer, end = _which_issuer(of, "o_"), of.end()
    if issuer is None:
        before = _ISSUER_CITED_BEFORE_RE.search(t, max(0, m.start() - 90), m.start())
        issuer = _which_issuer(before, "p_") if before is not None else None
    if issuer is None and delib:
        issuer = _deliberation_body(t, m)
    if issuer is None:
        return
    yield _decision_cand(m.start(), end, f"fr:{issuer}:du-{date.isoformat()}",
                         f"{_ISSUER_NAMES[issuer]}, {date_fr(date)}")  # fmt: skip


def _deliberation_body(t: str, m: re.Match[str]) -> str | None:
    """A délibération is a collegial body's act: the regulator named last in the 400 characters
    before it (« … donnent compétence à la CRE … en application de la délibération du 17
    novembre 2016 »), or as the subject later in its sentence (« Par 2 délibérations du 17
    septembre 2020 abrogeant …, la CNIL précise … »); never where a local authority is named."""
    window = t[max(0, m.start() - 400) : m.start()]
    near = list(_ISSUER_RE.finditer(window))
    if near and not _LOCAL_BODY_RE.search(window):
        return _which_issuer(near[-1])
    rest = t[m.end() : m.end() + 150].split(". ", 1)[0]
    subject = _ISSUER_LATER_SUBJECT_RE.search(rest)
    if subject is not None and not _LOCAL_BODY_RE.search(rest):
        return _which_issuer(subject, "s_")
    return None


# --- Pinpoints ---------------------------------------------------------------------------
# « article 82 de la loi n° … », « articles 101 et 102 du TFUE », « loi n° …, art. 3 »,
# « Décret n° … - art. 13 », « la loi n° …, notamment ses articles 20 et suivants », « le RGPD
# (…), en son article 24 ».
_PIN_NUM = (
    r"(?:1er|premier|\d+(?:-\d+(?![\d°]))*)(?: (?:bis|ter|quater))?(?:-[IVX]+)?(?:-\d+°)?"
    r"(?:-[a-z]\)|-[a-z](?![\w]))?"  # « 8-I-2°-b »
    r"(?:\.\d+(?:\.[a-z]\b)?)?(?:\(\d+\)(?:\([a-z]\))?)?"  # « 6.1.f », « 5(1)(c) »
)
# « articles 8 et 82 », « article 28 et à l'article 46 du règlement … »
_PIN_LIST = (
    r"(?P<pins>"
    + _PIN_NUM
    + r"(?:(?:, | et | à | ou | et (?:à |de )?l['’]article )"
    + _PIN_NUM
    + r")*)"
)
_PIN_GAP = (
    r"(?:,? (?:alin[ée]as? (?:\d+|1er)|(?:premier|deuxi[èe]me|troisi[èe]me|dernier) alin[ée]a"
    # « article 2, point 12, de la directive », « article 2, sous b) et d), de la directive »
    r"|paragraphe \d+|§ ?\d+|points? (?:[a-z]\)?|\d+)|sous [a-z]\)(?: et [a-z]\))?|[IVX]+|\d+°"
    # « art. 5, 1., a) du RGPD », « art. 6, par. 1, lett. b) RGPD », « article 49 al. 3 de la … »
    r"|\d+\.|[a-z]\)|par\. \d+|lett\. [a-z]\)|al\. ?(?:\d+|1er))){0,3},?"
)
_PIN_BEFORE_RE = re.compile(
    r"(?:[Aa]rticles?|ARTICLES?|[Aa]rt\.) " + _PIN_LIST + _PIN_GAP
    # « article 82 de la loi … », or the act's name right after (« art. 6 RGPD »)
    + r" (?:(?:de la|du|de l'|de|des|dudit|de ladite) ?)?$"
)  # fmt: skip
_PIN_AFTER_RE = re.compile(
    # « Dir. 95/46/CE du Parlement européen et du Conseil, 24 oct. 1995, art. 8 »
    r"(?: du Parlement europ[ée]en et du Conseil)?(?:,? (?:du )?\d{1,2}(?:er)? [a-zéû]+\.? \d{4})?"
    r"(?:(?:,| -| –| —)? (?:[Aa]rt\.|[Aa]rticles?) "
    r"|,? (?:notamment|en|dans) (?:son article|ses articles) "
    # « L'AI Act consacre son article 4 à … », « le RGPD prévoit, dans son article 5, … »
    r"| (?:consacre|pr[ée]voit|dispose|pr[ée]cise|impose)(?:,? (?:en|dans))?"
    r" (?:son article|ses articles) )"
    + _PIN_LIST + r"(?: et suivants)?(?! ?(?:du|de|des|d')\b)"
)  # fmt: skip
# « Directive 2011/83 articles 9 et suivants, article 20 », « Charte … — Article 47, deuxième
# alinéa, et article 48, paragraphe 1 »: the further articles after the first pinpoints.
_PIN_MORE_RE = re.compile(
    _PIN_GAP + r"(?: et suivants)?,? (?:et |ainsi que )?(?:[Aa]rticles?|[Aa]rt\.) " + _PIN_LIST
    + r"(?! ?(?:du|de|des|d')\b)"
)  # fmt: skip
# « Vu la loi n° 78-17 du 6 janvier 1978 relative à …, notamment son article 8 », « La loi du 26
# janvier 2016 de modernisation … instaure, en son article 193, … »: the pinpoint after the title
# (the span stays on the citation).
_PIN_AFTER_TITLE_RE = re.compile(
    # the title may hold a short aside in brackets (« (directive « cadre ») »)
    # « la Constitution, notamment son préambule et son article 61-1 »
    r"(?:[^;()«»\n]|\([^;()\n]{0,80}\)){1,250}?,? (?:notamment|en) (?:son [Pp]r[ée]ambule,? et )?"
    r"(?:son article|ses articles) " + _PIN_LIST
)
# « En son article 1er, la loi de 1986 pose que … »: the pinpoint fronted, at a sentence's start.
_PIN_FRONTED_RE = re.compile(
    r"(?:^|(?<=[.;:] )|(?<=\n))(?:[Ee]n|[Dd]ans) (?:son article|ses articles) " + _PIN_LIST
    + r", (?:la |le |l['’])?$"
)  # fmt: skip
# « 3-2° » is article 3 (its 2°), « 1er ter » article 1 ter.
_PIN_ONE_RE = re.compile(r"(?:1er|premier|(\d+(?:-\d+(?![\d°]))*))(?: (bis|ter|quater))?")
_PINNED_KINDS = frozenset({"fr_text", "eu_act", "fundamental"})


_PIN_ITEM_RE = re.compile(_PIN_NUM)


def _pin_names(pins: str) -> list[str]:
    out = []
    for item in _PIN_ITEM_RE.finditer(pins):
        p = _PIN_ONE_RE.match(item.group(0))
        assert p is not None
        name = f"art-{p.group(1) or 1}" + (f"-{p.group(2)}" if p.group(2) else "")  # « 1er »
        if name not in out:
            out.append(name)
    return out


# « l'article 18 de la même loi », « l'article 3 du même décret », « l'article 44 de la loi
# organique précitée »: the article of the last text of that type (a loi organique for « loi
# organique ») cited before (within _SAME_TEXT_REACH characters); a bare « la même loi » without
# an article is left alone.
_SAME_TEXT_RE = re.compile(
    r"(?:(?<=de la )même (?P<f>loi|ordonnance)|(?<=du )même (?P<m>d[ée]cret)"
    # « l'article 84 de cette loi », « l'article 3 de ce décret », « l'article 71 de ce dernier
    # texte » (the text cited last, whatever its type)
    r"|(?<=de )cette (?P<f3>loi|ordonnance)|(?<=de )ce (?P<m3>d[ée]cret)"
    r"|(?<=de )ce (?P<last>dernier texte)"
    r"|(?:(?<=la )|(?<=La )|(?<=l')|(?<=L'))(?P<f2>loi|ordonnance)(?P<org> organique)?"
    r" (?:pr[ée]cit[ée]e|susvis[ée]e|susmentionn[ée]e)"
    r"|(?:(?<=du )|(?<=le )|(?<=Le ))(?P<m2>d[ée]cret)"
    r" (?:pr[ée]cit[ée]|susvis[ée]|susmentionn[ée]))(?![\w-])"
)
_SAME_TEXT_REACH = 2000
# « La loi n° 78-17 du 6 janvier 1978 … Cette loi a pour objectifs … Son article 1er dispose
# que … »: « son article » / « ses articles » in a later sentence is the text cited last, when no
# other text, code, contract or decision is named in between (« cette loi » is the same text).
_ITS_ARTICLE_RE = re.compile(
    r"(?=[Ss])(?<![\w])(?P<its>[Ss]on(?= article )|[Ss]es(?= articles ))(?= articles? (?:1er|\d))"
)
_ITS_REACH = 600
_SAME_TEXT_NAMED_RE = re.compile(
    r"(?i)\b(?:cette|ce|cet|ledit|ladite|la m[êe]me|le m[êe]me) (?:loi|texte|d[ée]cret|ordonnance"
    r"|directive|r[èe]glement)\b"
)
_ANOTHER_TEXT_RE = re.compile(
    r"(?i)\b(?:lois?|codes?|d[ée]crets?|ordonnances?|arr[êe]t[ée]s?|arr[êe]ts?|directives?"
    r"|r[èe]glements?|conventions?|trait[ée]s?|constitution|contrats?|accords?|statuts?|chartes?"
    r"|d[ée]cisions?|d[ée]lib[ée]rations?|avis|circulaires?|jugements?)\b"
)


def _its_articles(t: str, cands: list[_Cand]) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _ITS_ARTICLE_RE.finditer(t):
        earlier = [
            c for c in cands
            if c.kind in ("fr_text", "eu_act") and m.start() - _ITS_REACH <= c.start
            and c.end <= m.start()
        ]  # fmt: skip
        if not earlier:
            continue
        last = max(earlier, key=lambda c: c.end)
        between = t[last.end : m.start()]
        # a later sentence (right after the title, « notamment son article » is the title's)
        if not any(stop in between for stop in (". ", "; ", "\n")):
            continue
        if _ANOTHER_TEXT_RE.search(_SAME_TEXT_NAMED_RE.sub(" ", between)):
            continue
        out.append(dataclasses.replace(last, start=m.start(), end=m.end("its"), group=0))
    return out


def _same_texts(norm: _Norm, cands: list[_Cand]) -> list[_Cand]:
    t = norm.text
    out: list[_Cand] = []
    if ("on article" in t or "es articles" in t) and any(
        c.kind in ("fr_text", "eu_act") for c in cands
    ):
        out += _its_articles(t, cands)
    if (
        "même " not in t
        and "cit" not in t
        and "sus" not in t
        and not (
            "cette loi" in t or "cette ordonnance" in t or "ce décret" in t or "ce decret" in t
            or "dernier texte" in t
        )
    ):  # fmt: skip
        return out
    for m in _SAME_TEXT_RE.finditer(t):
        # « la même loi » only with an article (« l'article 18 de la même loi »); « la loi
        # précitée », « l'ordonnance susvisée » point back by themselves
        same = m.group("f") or m.group("m") or m.group("f3") or m.group("m3") or m.group("last")
        if same and _PIN_BEFORE_RE.search(t, max(0, m.start() - 160), m.start()) is None:
            continue
        typ = same or m.group("f2") or m.group("m2")
        type_key = "fr:" if m.group("last") else "fr:" + _fold(typ) + ":"
        reach = m.start() - _SAME_TEXT_REACH
        earlier = [
            c
            for c in cands
            if c.kind == "fr_text"
            and reach <= c.start < c.end <= m.start()
            and (not m.group("org") or c.label.startswith("Loi organique"))
        ]
        if earlier and earlier[-1].key.startswith(type_key):
            out.append(dataclasses.replace(earlier[-1], start=m.start(), end=m.end(), group=0))
    return out


def _attach_pinpoints(norm: _Norm, chosen: list[_Cand]) -> list[_Cand]:
    """Widen each text's span to the article cited with it and record it as its pinpoint; an
    article list gives one candidate per article (same span)."""
    t = norm.text
    out: list[_Cand] = []
    for i, c in enumerate(chosen):
        if c.kind not in _PINNED_KINDS:
            out.append(c)
            continue
        floor = chosen[i - 1].end if i else 0
        ceiling = chosen[i + 1].start if i + 1 < len(chosen) else len(t)
        start, end, pins = c.start, c.end, ""
        before = _PIN_BEFORE_RE.search(t, max(floor, c.start - 160), c.start)
        if before is None and " article" in t[max(floor, c.start - 160) : c.start]:
            before = _PIN_FRONTED_RE.search(t, max(floor, c.start - 160), c.start)
        if before is not None:
            start, pins = before.start(), before.group("pins")
        else:
            after = _PIN_AFTER_RE.match(t, c.end)
            if after is not None and after.end() <= ceiling:
                end, pins = after.end(), after.group("pins")
                while (more := _PIN_MORE_RE.match(t, end)) is not None and more.end() <= ceiling:
                    end, pins = more.end(), f"{pins}, {more.group('pins')}"
            elif (titled := _PIN_AFTER_TITLE_RE.match(t, c.end, ceiling)) is not None:
                pins = titled.group("pins")
        if not pins:
            out.append(c)
            continue
        for name in _pin_names(pins):
            pinned = dataclasses.replace(c, start=start, end=end, pinpoint=name)
            number = name[4:]
            if c.link == "official" and c.url.endswith("/jo/texte") and number.isdigit():
                pinned.pinpoint_url = c.url[: -len("texte")] + f"article_{number}"
            out.append(pinned)
    return out


def _candidates(norm: _Norm) -> list[_Cand]:
    out: list[_Cand] = []
    group_base = 0
    for matcher in (_fr_texts, _nors, _legi_ids, _elis, _celexes, _eu_acts, _hyphenated_eu_acts,
                    _bare_eu_acts, _named_acts, _code_articles, _labour_articles, _codes,
                    _standards, _fundamentals,
                    _decisions):  # fmt: skip
        found = [c for c in matcher(norm) if c.key]
        for c in found:
            if c.group:
                c.group += group_base
        group_base += 100_000
        out.extend(found)
    return out


def find_references(text: str, today: datetime.date | None = None) -> list[Reference]:
    """All references in text, in order, de-overlapped (longest wins).

    ``today`` bounds the years a text's number or date may carry (a text numbered for the year
    after next is not one); the caller gives its ``now`` (the enrichment gives the run's date),
    the clock is read here only when it gives none. The same key may repeat at different spans.
    """
    if not text or not _triggered(text):
        return []
    norm = _normalise(text)
    norm.year = (today or datetime.date.today()).year
    cands = _candidates(norm)
    _unify_dated(cands)
    _unify_rulings(cands)
    _link_nors(cands)
    cands += _same_texts(norm, sorted(cands, key=lambda c: (c.end, c.start)))
    refs = []
    for c in _attach_pinpoints(norm, _deoverlap(cands)):
        start, end = norm.span(c.start, c.end)
        refs.append(
            Reference(c.kind, c.key, c.label, c.url, c.link, text[start:end], start, end, c.date,
                      c.pinpoint, c.pinpoint_url)
        )  # fmt: skip
    return refs


# --------------------------------------------------------------------------------------------
# Queries and aliases
# --------------------------------------------------------------------------------------------

_KEY_RE = re.compile(
    r"(?:eu:celex:[0-9CE]\d{4}[A-Z]{1,2}\d{4}(?:R\(\d{2}\))?|fr:[a-z-]+:[\w*:.-]+|std:[a-z-]+:[\w:./-]+"
    r"|fr:(?:constitution|ddhc|preambule-1946|charte-environnement)|eu:(?:tfue|tue|charte)|int:[a-z]+"
    r"|eu:case:[CT]-\d+/\d\d)"
)
_BARE_CELEX_RE = re.compile(r"[0-9CE]\d{4}[A-Z]{1,2}\d{4}(?:R\(\d{2}\))?")
_BARE_FR_RE = re.compile(
    r"(?i)(?P<type>loi|d[ée]cret|ordonnance) (?P<num>(?P<ny>\d{4}|\d{2})-(?P<nn>\d{1,4}))"
)


def resolve_reference_query(value: str, today: datetime.date | None = None) -> list[str]:
    """What a user typed after `ref:` in a search -> canonical keys.

    The value may be a canonical key, a common name such as RGPD, or a citation such as
    'Règlement (UE) 2016/679' or 'loi 2014-344'. Empty list if nothing recognised.
    ``today``: as for :func:`find_references`.
    """
    value = value.strip().strip("\"'«» ").strip()
    if not value:
        return []
    if "#" in value and _KEY_RE.fullmatch(value.split("#", 1)[0]):
        return [value.split("#", 1)[0]]  # « fr:loi:2014-344#art-12 »: items are indexed by act
    if _KEY_RE.fullmatch(value):
        return [value]
    if _BARE_CELEX_RE.fullmatch(value.upper()):
        return [f"eu:celex:{value.upper()}"]
    named = _data().act_by_name.get(_fold(value))
    if named:
        return [named]
    m = _BARE_FR_RE.fullmatch(" ".join(value.split()))
    this_year = (today or datetime.date.today()).year
    if m and _valid_number(m.group("ny"), m.group("nn"), this_year):
        return [f"fr:{_TYPE_KEYS[_fold(m.group('type'))]}:{m.group('num')}"]
    keys: list[str] = []
    for ref in find_references(value, today):
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
    m = re.fullmatch(r"eu:celex:(3(\d{4})([RLDFH])(\d{4}))", key)
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
