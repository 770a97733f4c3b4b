"""EU acts by citation: règlements, directives, décisions (numbered, hyphenated, bare)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from watcher.text import name_key
from watcher.understand.refs.candidates import _NUM_MARK, _Cand
from watcher.understand.refs.dates import _DATE, _parse_date
from watcher.understand.refs.identifiers import _CELEX_TYPES
from watcher.understand.refs.links import EURLEX_CELEX
from watcher.understand.refs.normalise import _Norm
from watcher.understand.refs.table import _data, _fold

# --- EU acts by citation ------------------------------------------------------------------
_EU_TYPE = (
    r"(?P<type>r[èée]glements?|r[èe]gl\.|directives?|dir\.|d[ée]cisions?-cadres?|d[ée]cisions?"
    r"|regulations?"
    r"|framework decisions?|decisions?|recommandations?|recommendations?)"
)
_EU_QUAL = (
    r"(?: (?P<qual>d[ée]l[ée]gu[ée]e?|d'ex[ée]cution|europ[ée]en(?:ne)?|communautaire"
    r"|du Parlement europ[ée]en et du Conseil|du Conseil|de la Commission"
    r"|d'ex[ée]cution de la Commission"
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
    r"(?=[rdf])(?<![\w-])"
    + _EU_TYPE
    + _EU_QUAL
    # a directive's short name, one lower-case word, before its number (« directives marchés
    # 2004/17 et 2004/18 », « directive services 2006/123 », « directive cadre 2000/60 »)
    + r"(?:(?:(?<=directive)|(?<=directives)) (?-i:[a-zéèêàç]{4,15}) (?=(?:19|20)\d\d/\d)|"
    + _EU_DOMAIN
    + r"? ?)"
    + _EU_NUMBERING,
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
    if "PESC" in t or "CFSP" in t:
        yield from _cfsp_acts(t)


# Round 32: an EU act by its type and signature date, without its number (« la directive du 11 mai
# 2005 relative aux pratiques commerciales déloyales », « la directive européenne du 20 janvier
# 2016 », « le règlement communautaire du 11 février 2004 »): the act of the table
# (``eu_act_dates``) of that type signed that day whose subject the item speaks of. Not a
# proposal (« la proposition de directive du … »), not when two acts of the table fit.
_DATED_EU_RE = re.compile(
    r"(?<![\w-])(?P<type>[Dd]irective|DIRECTIVE|[Rr][èe]glement|R[ÈE]GLEMENT)"
    r"(?: (?:europ[ée]enne|europ[ée]en|communautaire|du Conseil"
    r"|du Parlement europ[ée]en et du Conseil|de la Commission|\((?:CEE|CE|UE)\)|CEE|CE|UE))*"
    r",?(?: en date)? du " + _DATE
)
_PROPOSAL_BEFORE_RE = re.compile(r"(?i)(?:propositions?|projets?|proposals?) de (?:la |le )?$")


def _dated_eu_acts(norm: _Norm) -> Iterator[_Cand]:
    t = norm.text
    if " du " not in t:
        return
    folded: str | None = None
    for m in _DATED_EU_RE.finditer(t):
        date = _parse_date(m)
        if date is None:
            continue
        letter = "L" if m.group("type")[0] in "dD" else "R"
        acts = _data().eu_by_date.get((letter, date))
        if not acts or _PROPOSAL_BEFORE_RE.search(t, max(0, m.start() - 30), m.start()):
            continue
        if folded is None:
            folded = name_key(t)  # the whole item: not through _fold's cache
        about = [a for a in acts if any(w in folded for w in a.subjects)]
        if len(about) != 1:
            continue  # its subject not in the item, or two acts of that day that it speaks of
        act = about[0]
        celex = act.key.removeprefix("eu:celex:")
        known = _data().acts.get(act.key)
        yield _Cand(
            m.start(), m.end(), "eu_act", act.key, known.label if known else act.label,
            EURLEX_CELEX.format(celex), "official",
        )  # fmt: skip


# The common foreign and security policy's common positions and joint actions (« Position
# commune 2008/944/PESC », « l'action commune 2008/851/PESC »): CELEX sector letter E; always
# « year/number/PESC » (decisions of that policy since 2009 are read as decisions).
_CFSP_RE = re.compile(
    r"(?<![\w])(?:[Pp]ositions? communes?|[Aa]ctions? communes?|[Cc]ommon [Pp]ositions?"
    r"|[Jj]oint [Aa]ctions?)(?: du Conseil)? (?:n[°o] ?)?"
    r"(?P<y>(?:19|20)\d\d)/(?P<n>\d{1,4})/(?:PESC|CFSP)(?![\w/])"
)
_CFSP_MORE_RE = re.compile(
    r"(?:,| et| and) (?:(?:la|le|l'|the) )?"
    r"(?P<y>(?:19|20)\d\d)/(?P<n>\d{1,4})/(?:PESC|CFSP)(?![\w/])"
)


def _cfsp_acts(t: str) -> Iterator[_Cand]:
    for m in _CFSP_RE.finditer(t):
        pos, found = m.end(), [m]
        while (more := _CFSP_MORE_RE.match(t, pos)) is not None:
            found.append(more)
            pos = more.end()
        for k, f in enumerate(found):
            year, num = int(f.group("y")), int(f.group("n"))
            celex = f"3{year}E{num:04d}"
            start = f.start() if k == 0 else f.start("y")
            yield _Cand(start, f.end(), "eu_act", f"eu:celex:{celex}",
                        f"Position commune {year}/{num}/PESC", EURLEX_CELEX.format(celex),
                        "official")  # fmt: skip


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


# « la directive 93-13 », « directive 85-374 »: a directive's number of the years when directives
# were numbered « yy/n » (1958–1998), a hyphen for the slash and no domain. French texts are not
# « directives » with such numbers (lois, décrets, ordonnances are), so the type word names it.
_EU_HYPHEN_DIRECTIVE_RE = re.compile(
    r"(?=[Dd])(?<![\w-])[Dd]irectives? (?P<mark>" + _NUM_MARK + r" ?)?"
    r"(?P<a>5[89]|[6-8]\d|9[0-8])-(?P<b>\d{1,4})(?![\w/-]|\.\d)"
)  # fmt: skip


def _hyphenated_eu_acts(norm: _Norm) -> Iterator[_Cand]:
    t = norm.text
    if "irective" in t:
        for m in _EU_HYPHEN_DIRECTIVE_RE.finditer(t):
            cand = _eu_cand(m.start(), m.end(), "L", None, None, m.group("a"), m.group("b"),
                            bool(m.group("mark")), None, group=0, this_year=norm.year)  # fmt: skip
            if cand is not None:
                yield cand
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
