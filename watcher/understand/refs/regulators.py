"""Regulators' decisions, avis and délibérations (Autorité de la concurrence, CNIL, CRE, AMF…)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from watcher.dates import date_fr
from watcher.understand.refs.candidates import _Cand
from watcher.understand.refs.dates import _DATE, _parse_date
from watcher.understand.refs.rulings import _SUBJECT_VERB, _decision_cand
from watcher.understand.refs.table import _fold

# (« DSA »: the rapporteur général's decisions on business secrets, « décision de classement n°
# 19-DSA-023 du 14 janvier 2019 »)
_ADLC_RE = re.compile(
    r"(?=[nN\d])(?<![\w-])(?P<mark>[nN] ?[°o]? ?)?(?P<y>\d{2})[- ]"
    r"(?P<t>DCC|DSA|D|A|MC|SOA|DEC)[- ]"
    r"(?P<n>\d{1,3})(?![\w-])"
)
# what names an Autorité de la concurrence number before it (« Aut. conc., 21-D-11 »)
_ADLC_BEFORE_RE = re.compile(r"(?i)d[ée]cision|d[ée]c\.|avis|ADLC|concurrence|conc\.")
_ASN_RE = re.compile(r"(?<![\w-])(?P<num>\d{4}-DC-\d{4})(?![\w-])")
# The Haute Autorité de santé's decisions and avis: « décision n° 2017.0109/DC/SJ » (collège
# decision, legal service), « avis n° 2019.0034/AC/SEESP », in an item naming the HAS.
_HAS_RE = re.compile(
    r"(?<![\w])(?:[Dd][ée]cisions?|[Aa]vis) n[°o] ?"
    r"(?P<num>\d{4}\.\d{4}/(?:DC|AC)/[A-Z0-9]{1,8})(?![\w/])(?: du " + _DATE + r")?"
)
_HAS_NAME_RE = re.compile(r"Haute [Aa]utorit[ée] de [Ss]ant[ée]|(?<![\w])HAS(?![\w])")
_ISSUERS = {
    # (their full names in any case of their words: « Autorité des Marchés Financiers »,
    # « Commission Nationale de l'Informatique et des Libertés », as web pages write them)
    "cnil": r"CNIL|Cnil|(?i:[Cc]ommission nationale de l['’ ]informatique et des libert[ée]s)",
    "arcep": r"ARCEP|Arcep|(?i:[Aa]utorit[ée] de r[ée]gulation des communications [ée]lectroniques"
    r"(?:,? (?:et )?des postes(?:,? et de la distribution de la presse)?)?"
    # its name until 2005 (not « ART », now the transport regulator's acronym)
    r"|[Aa]utorit[ée] de r[ée]gulation des t[ée]l[ée]communications)",
    "cre": r"CRE|(?i:[Cc]ommission de r[ée]gulation de l['’ ][ée]nergie)",
    "asn": r"ASN|(?i:[Aa]utorit[ée] de s[ûu]ret[ée] nucl[ée]aire)",
    "adlc": r"ADLC|(?i:[Aa]utorit[ée] de la concurrence|[Cc]onseil de la concurrence)",
    "arcom": r"ARCOM|Arcom|CSA|(?i:[Cc]onseil sup[ée]rieur de l['’ ]audiovisuel"
    r"|[Aa]utorit[ée] de r[ée]gulation de la communication audiovisuelle et num[ée]rique)",
    "amf": r"AMF|(?i:[Aa]utorit[ée] des march[ée]s financiers)",
    # (the Autorité de contrôle prudentiel: its name from 2010 to 2013; its acronym « ACP »,
    # which other things share, only as its formation's: « la commission des sanctions de
    # l'ACP »)
    "acpr": r"ACPR|(?i:[Aa]utorit[ée] de contr[ôo]le prudentiel(?: et de r[ée]solution)?)"
    r"|(?<=[Cc]ommission des sanctions de l')ACP",
    "has": r"HAS|Haute [Aa]utorit[ée] de [Ss]ant[ée]",
}
_ISSUER_NAMES = {
    "cnil": "CNIL", "arcep": "ARCEP", "cre": "CRE", "asn": "ASN",
    "adlc": "Autorité de la concurrence", "arcom": "Arcom", "amf": "AMF", "acpr": "ACPR",
    "has": "Haute Autorité de santé",
}  # fmt: skip
# A literal every name of _ISSUERS holds (a C-speed test before the regex scans).
# (and in capitals: the full names are read in any case)
_ISSUER_LITERALS = ("CNIL", "Cnil", "ommission", "ARCEP", "Arcep", "utorit", "CRE", "ASN", "ADLC",
                    "onseil", "ARCOM", "Arcom", "CSA", "AMF", "ACPR", "HAS", "aute",
                    "OMMISSION", "UTORIT", "ONSEIL")  # fmt: skip


def _issuer_pattern(prefix: str = "") -> str:
    """Every regulator's names, one alternative each, in a group named by its slug after
    ``prefix``: a regex holding them twice names each copy's groups apart (``"b_"``: ``b_cnil``
    …), and :func:`_which_issuer` reads them back with the same prefix."""
    return "|".join(f"(?P<{prefix}{k}>{v})" for k, v in _ISSUERS.items())


_ISSUER = _issuer_pattern()
_ISSUER_RE = re.compile(r"(?<![\w])(?:" + _ISSUER + r")(?![\w])")
_OF = r"(?:de la |du |de l['’ ]|d['’]|de )"
# A regulator's act by number: « délibération n° 2013-175 », « décision no 2021-108C de la
# présidente de la CNIL », « Délibération SAN 2020-012 », « délibération CNIL 2019-093 », « avis
# de l'Autorité n° 2011-0524 »; tried only where a type word is (see _REG_HINT_RE).
_REG_ACT_RE = re.compile(
    r"(?<![\w])(?P<type>[Dd][ée]lib[ée]rations?|D[ÉE]LIB[ÉE]RATION|[Dd][ée]cisions?|D[ÉE]CISION"
    r"|[Aa]vis|[Rr]ecommandations?|[Dd][ée]lib\.|[Dd][ée]c\.)"
    # the formation that gave it (« Délibération du collège de l'ARCEP n° 2021-0123 »)
    r"(?: (?:de la formation restreinte|du coll[èe]ge(?: de supervision| de r[ée]solution)?"
    r"|de la [Cc]ommission des sanctions"
    r"|du CoRDiS))?"
    # its acronym may follow its name (« de l'Autorité de régulation … des postes (ARCEP) n° »)
    r"(?: (?:" + _OF + r")?(?P<iss>" + _issuer_pattern("b_") + r")(?: \([A-Za-z]{2,6}\))?"
    r"| de l['’ ]Autorit[ée]| de la Commission)?"
    r"(?:,? [nN][°o]?s?\.? ?| )"  # « n° », « no », « No. » (English pages)
    # « SAN-2020-012 », « SAN 2020-012 », « SAN – 2020-012 » (a dash between spaces)
    # a serial of one digit (« délibération du CSA n° 2011-1 »): a décision's or avis's only
    # with its body in the citation (see _regulator_act)
    # the CNIL's formal notices « MED-2019-013 » likewise
    # (« SAN 2023 006 »: spaces for both hyphens, as some pages write it)
    r"(?P<num>(?:SAN|MED)(?: ?- ?| )\d{4}(?:-\d{2,4}| \d{3}(?!\d))"
    r"|\d{4}-\d{1,4}(?:-[A-Z]{2,6}(?![\w-])|[A-Z])?"
    # a délibération of before 2000, its year in two digits (« délibération n° 80-10 du 1er
    # avril 1980 », the CNIL's from 1978, the CSA's from 1989): see _regulator_act
    r"|(?P<old>(?:7[89]|8\d|9\d)-\d{1,3})"
    # the ART's and the ARCEP's numbers until 2008 (« décision n° 06-0160 »): see _regulator_act
    r"|(?P<art>(?:9[7-9]|0\d)-\d{4})"
    # the ACPR's collège decisions (« décision n° 2021-C-45 »): its body named, see _regulator_act
    r"|(?P<acp>20\d\d-C-\d{1,3}))(?![\w-])"
)  # fmt: skip
_ISSUER_AFTER_RE = re.compile(
    r"(?: du " + _DATE + r")?,? " + _OF + r"(?:la |l['’ ])?(?:pr[ée]sidente? de la "
    r"|(?:[Cc]ommission des sanctions|[Ff]ormation restreinte|[Cc]oll[èe]ge) " + _OF + r")?(?:"
    + _issuer_pattern("a_") + r")(?![\w])"
)  # fmt: skip
# A regulator's decision as legal writers cite it: « AMF, 18 juill. 2016, n° SAN-2016-12 »,
# « ACPR, Commission des sanctions, 5 mai 2021, n° 2020-02 ».
# « CNIL, formation restreinte, 7 janv. 2022, n° SAN-2021-023 », « CNIL, délib. n° 2019-160,
# 21 nov. 2019 »: the number after the date, or after the act's type.
_REG_CITED_RE = re.compile(
    r"(?=[AC])(?<![\w])(?:" + _issuer_pattern("c_") + r")(?:,? (?:(?:[Cc]omm?\.|[Cc]ommission)"
    r" des sanctions|[Ff]ormation restreinte|[Ff]orm\. restr\.|[Cc]oll[èe]ge|CoRDiS))?, "
    + r"(?:"
    + _DATE
    + r",? )?(?P<kind>(?:[Dd][ée]lib(?:\.|[ée]ration)|[Dd][ée]c(?:\.|ision)|[Aa]vis) )?"
    + r"(?P<mark>n[°o] ?)?(?P<num>(?:SAN|MED)-\d{4}-\d{1,4}|\d{4}-\d{1,4}(?:-[A-Z]{2,6}|[A-Z])?)"
    r"(?![\w-])"
)
_REG_MORE_RE = re.compile(
    r"(?: du " + _DATE + r")?(?:,| et| ou|, et) (?:n[°o]s? ?)?"
    r"(?P<num>SAN-\d{4}-\d{2,4}|\d{4}-(?!(?:19|20)\d\d(?!\d))\d{2,4}[A-Z]?"
    r"|(?P<old>(?:7[89]|8\d|9\d)-\d{1,3}))(?![\w-])"
)  # not a span of years (« 2021-2022 »); a date may follow each (« n° 81-16 du 17 février 1981,
# n° 81-117 … »)
# The formation that gave the act, between its type and its body: « décision de la commission
# des sanctions de l'AMF du … », « décision du CoRDiS de la CRE du … », « délibération du collège
# de l'Arcom du … ».
_REG_FORMATION = (
    r"(?:de la |du )(?:[Cc]ommission des sanctions|[Ff]ormation restreinte|[Cc]oll[èe]ge"
    r"|CoRDiS|[Cc]omit[ée] de r[èe]glement des diff[ée]rends et des sanctions(?: \(CoRDiS\))?"
    # its president's (« décision de la présidente de la Commission nationale de l'informatique
    # et des libertés du 16 novembre 2023 portant désignation d'un rapporteur »)
    r"|pr[ée]sidente?) "
)
# « délibération de la CRE du 18 janvier 2018 », « délibération CNIL du 17 septembre 2020 »,
# « délibération de la Commission de régulation de l'énergie en date du 17 décembre 2020 »
_REG_DATED_RE = re.compile(
    r"(?<![\w])(?P<type>[Dd][ée]lib[ée]rations?|[Dd][ée]cision|[Aa]vis|[Dd][ée]lib\.,?"
    r"|[Rr]ecommandation)"
    r"(?: (?:" + _REG_FORMATION + r")?(?:" + _OF + r")?(?:" + _ISSUER + r")"
    r"(?: \((?:CRE|CNIL|ASN|ARCEP|Arcep|ACPR|AMF)\))?)?"
    # a serial number of the formation's that is not the act's key (« décision n°11 du 25
    # novembre 2020 par laquelle la commission des sanctions de l'AMF … »): keyed by date
    r"(?: n[°o] ?\d{1,3}(?![\w-]))?"
    r"(?: en date du| du| rendue? le) " + _DATE
    # its number in brackets after the date (« la délibération du 21 janvier 2021 (n° 2021-13)
    # de la CRE »), or after a comma as legal writers cite it (« AMF, décision du 18 mars 2020,
    # n° SAN-2020-03 »): keyed by number
    + r"(?: \((?:n[°o] ?)?(?P<num>\d{4}-\d{2,4})\)"
    r"|, n[°o] ?(?P<cnum>SAN-\d{4}-\d{1,4}|\d{4}-\d{2,4}(?:-[A-Z]{2,6})?)(?![\w-]))?"
)  # fmt: skip


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


# « une décision de règlement d'un différend … rendue par l'ARCEP le 4 novembre 2010 »: an act a
# regulator rendered on a date (a regulator renders nothing else).
_REG_RENDERED_RE = re.compile(
    r"(?<![\w])rendue?s? par (?:la |le |l['’])(?:" + _issuer_pattern("r_") + r")"
    r"(?: \([A-Za-z]{2,6}\))? (?:le|en date du) " + _DATE
)  # fmt: skip


# The AMF's published doctrine (positions, recommandations, instructions): « Position-
# recommandation AMF DOC-2020-03 », « Position DOC-2013-12 », « Position AMF n° 2013-02 »
# (before its « DOC- » numbering). A « DOC- » number after one of those words or in an item naming
# the AMF; a bare « n° » number only right after « <kind> AMF ».
_AMF_DOCTRINE_RE = re.compile(
    r"(?<![\w-])(?:(?P<kind>(?:[Pp]osition|[Rr]ecommandation|[Ii]nstruction)s?"
    r"(?:-recommandations?)?)(?P<amf> AMF)? (?:n ?°? ?)?)?"
    r"(?P<num>DOC-(?:19|20)\d\d-\d{2}"
    r"|(?:(?<=AMF n°)|(?<=AMF n° )|(?<=AMF n ))(?:19|20)\d\d-\d{2})(?![\w-])"
)


def _amf_doctrine(t: str) -> Iterator[_Cand]:
    named = "AMF" in t or "marchés financiers" in t
    for m in _AMF_DOCTRINE_RE.finditer(t):
        num = m.group("num")
        if not m.group("kind") and not (num.startswith("DOC-") and named):
            continue  # « la commission des sanctions de l'AMF n° … »: not its doctrine
        yield _decision_cand(m.start(), m.end(), f"fr:amf:{num}", f"AMF, doctrine {num}")


def _regulator_acts(t: str, found: set[str], reg_at: list[int]) -> Iterator[_Cand]:
    if "DOC-" in t or "AMF n" in t:
        yield from _amf_doctrine(t)
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
    cited = (", n" in t or "SAN-" in t or "MED-" in t or reg_at) and any(
        w in t for w in _ISSUER_LITERALS
    )
    for m in _REG_CITED_RE.finditer(t) if cited else ():
        issuer = _which_issuer(m, "c_")
        num = m.group("num")
        dated = m.group("yyyy") or m.group("dny")
        marked = m.group("mark") or m.group("kind") or num.startswith(("SAN", "MED"))
        if issuer is not None and marked and (dated or m.group("kind") or m.group("mark")):
            num = m.group("num")
            yield _decision_cand(m.start(), m.end(), f"fr:{issuer}:{num}",
                                 f"{_ISSUER_NAMES[issuer]}, décision n° {num}")  # fmt: skip
    if "rendu" in t:
        for m in _REG_RENDERED_RE.finditer(t):
            issuer, date = _which_issuer(m, "r_"), _parse_date(m)
            if issuer is not None and date is not None:
                yield _decision_cand(m.start(), m.end(), f"fr:{issuer}:du-{date.isoformat()}",
                                     f"{_ISSUER_NAMES[issuer]}, {date_fr(date)}")  # fmt: skip
    if "SAN-" in t or "MED-" in t:
        yield from _sanctions_alone(t)
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
    num = re.sub(r"^(SAN|MED)(?: ?- ?| )(\d{4})[ -]", r"\1-\2-", m.group("num"))
    typ = _fold(m.group("type"))
    typ = {"delib.": "deliberation", "dec.": "decision"}.get(typ, typ)
    if re.match(r"\d{4}-DC-", num):
        return
    if m.group("old") and not typ.startswith("delib"):
        return  # « décision n° 89-256 »: a two-digit year only for a délibération
    issuer = _which_issuer(m, "b_")
    end = m.end()
    if issuer is None:
        after = _ISSUER_AFTER_RE.match(t, m.end())
        if after is not None:
            issuer, end = _which_issuer(after, "a_"), after.end()
    if num.startswith("SAN") and issuer not in ("cnil", "amf"):
        # the CNIL's and the AMF's sanctions are both numbered « SAN-… »: the AMF's when it
        # is named right before (« la Commission des sanctions de l'AMF, dans sa décision
        # SAN-2021-15 »), else the CNIL's
        issuer = _san_body(t, issuers, m.start())
    elif re.fullmatch(r"\d{4}-\d+C", num) or num.startswith("MED"):
        issuer = "cnil"  # its president's control decisions and formal notices
    if m.group("art") and (issuer or _issuer_near(t, issuers, m.start(), m.end(), True)) != "arcep":
        return  # « n° 06-0160 » is the ARCEP's numbering only
    if m.group("acp") and (issuer or _issuer_near(t, issuers, m.start(), m.end(), True)) != "acpr":
        return
    if issuer is None and not typ.startswith("delib") and re.search(r"-\d$", num):
        return  # a decision's serial of one digit: its body must be in the citation
    if issuer is None:
        issuer = _issuer_near(t, issuers, m.start(), m.end(), after=True)
    if issuer is None and not typ.startswith("deliberation"):
        return  # « décision n° 2022-0617 » of an unnamed body: not keyed
    if issuer is None and re.search(r"-\d$", num):
        return  # « délibération n° 2019-1 »: a serial of one digit, as local bodies number
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
        if more.group("old") and not m.group("old"):
            break  # « délibérations n° 2021-122 et 98-12 »: not one series
        label = f"{who}, {typ.rstrip('s')} n° {num}" if who else f"Délibération n° {num}"
        yield _decision_cand(more.start("num"), more.end(), f"fr:{body}:{num}", label)
        pos = more.end()


_ISSUER_SUBJECT_RE = re.compile(
    r"(?:\[\d{1,3}\]| \(\d{1,3}\))?, (?:l['’ ]|la |le )"  # a footnote call may come first
    r"(?:(?:[Cc]ommission des sanctions|[Ff]ormation restreinte|[Cc]oll[èe]ge|CoRDiS) "
    + _OF
    + r")?(?:"
    + _issuer_pattern("s_")
    + r")(?![\w])"
)
_ISSUER_LATER_SUBJECT_RE = re.compile(
    r", (?:l['’ ]|la |le )(?:" + _issuer_pattern("s_") + r")(?![\w]) (?!de\b|du\b|d['’])"
)
# « la délibération du 21 novembre 2019 de la CNIL », « décision du 25 novembre 2020 de la
# commission des sanctions de l'AMF »: the body after the date.
# « décision du 26 septembre 2016 par laquelle la présidente de la Haute Autorité de santé … »,
# « … par laquelle la commission des sanctions de l'AMF … »: the body in the relative clause.
_ISSUER_OF_AFTER_RE = re.compile(
    r"(?:,? (?:" + _REG_FORMATION + r")?"
    r"|,? par laquelle (?:le |la |l['’])(?:pr[ée]sidente?|coll[èe]ge|commission des sanctions"
    r"|formation restreinte|directeur g[ée]n[ée]ral|directrice g[ée]n[ée]rale) "
    # « décision rendue le … concernant le cabinet X par la commission des sanctions de l'ACP »
    r"|(?: [^,;()\n]{1,60}?)? par (?:la |le )(?:[Cc]ommission des sanctions|[Ff]ormation restreinte"
    r"|[Cc]oll[èe]ge) )" + _OF + r"(?:" + _issuer_pattern("o_") + r")(?![\w])"
)
# « AMF, Commission des sanctions, décision du 18 juillet 2016 », « Commission des sanctions de
# l'AMF, décision du 25 novembre 2020 »: the body cited right before the act, as legal writers do.
_ISSUER_CITED_BEFORE_RE = re.compile(
    r"(?<![\w])(?:" + _issuer_pattern("p_") + r")"
    # its acronym after its full name, or the bracket that held it (« … des postes (Arcep) a »)
    r"(?: \([A-Za-z]{2,6}\)|\))?"
    r"(?:,? (?:[Cc]ommission des sanctions|[Ff]ormation restreinte|[Cc]oll[èe]ge|CoRDiS))?"
    # « AMF, décision du … », « la commission des sanctions de l'AMF, dans une décision du … »,
    # « La CRE a alors proposé, par une décision du … »
    r"(?:, |,? " + _SUBJECT_VERB + r"(?:dans|par) (?:(?:une|un|sa|son) )?)$"
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
    # « la recommandation de la CNIL du 17 septembre 2020 »: its body in the citation or right
    # after it (« la recommandation de la Commission du … » is the European Commission's)
    if (
        issuer is None
        and m.group("type").endswith("ecommandation")
        and _ISSUER_OF_AFTER_RE.match(t, m.end()) is None
        and _ISSUER_SUBJECT_RE.match(t, m.end()) is None
    ):
        return
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
    if issuer is None and t[max(0, m.start() - 4) : m.start()] in (" sa ", "son ", " Sa ", "Son "):
        issuer = _possessor(t, m)
    if issuer is None:
        return
    if m.group("cnum"):
        num = m.group("cnum")
        if num.startswith("SAN") and issuer not in ("cnil", "amf"):
            return
        yield _decision_cand(m.start(), end, f"fr:{issuer}:{num}",
                             f"{_ISSUER_NAMES[issuer]}, {m.group('type').rstrip('s,.')} "
                             f"n° {num}")  # fmt: skip
        return
    if m.group("num"):
        yield _decision_cand(m.start(), end, f"fr:{issuer}:{m.group('num')}",
                             f"{_ISSUER_NAMES[issuer]}, {m.group('type').rstrip('s,.')} "
                             f"n° {m.group('num')}")  # fmt: skip
        return
    yield _decision_cand(m.start(), end, f"fr:{issuer}:du-{date.isoformat()}",
                         f"{_ISSUER_NAMES[issuer]}, {date_fr(date)}")  # fmt: skip


def _san_body(t: str, issuers: _Issuers, start: int) -> str:
    """The body of a « SAN-… » sanction whose citation names none: the AMF when it is the
    regulator named last in the 200 characters before it, else the CNIL."""
    k = bisect.bisect_right(issuers.ends, start)
    if k and issuers.ends[k - 1] >= start - 200 and _which_issuer(issuers.named[k - 1]) == "amf":
        return "amf"
    return "cnil"


# A sanction's number alone (« La CNIL a infligé une amende de 150 millions d'euros
# (SAN-2021-023) »): the CNIL's are « SAN-<year>-<three digits> », the AMF's « SAN-<year>-<one
# or two> », and « MED-2019-013 » a CNIL formal notice; keyed only in an item naming that body
# and not the other.
_SAN_ALONE_RE = re.compile(r"(?<![\w–-])(?P<kind>SAN|MED)-(?P<y>20\d\d)-(?P<n>\d{1,3})(?![\w-])")


def _sanctions_alone(t: str) -> Iterator[_Cand]:
    named = {_which_issuer(m) for m in _ISSUER_RE.finditer(t)}
    for m in _SAN_ALONE_RE.finditer(t):
        # (« MED-2019-013 »: the CNIL's formal notices)
        body = "cnil" if len(m.group("n")) == 3 or m.group("kind") == "MED" else "amf"
        if body in named and ({"cnil", "amf"} - {body}).isdisjoint(named):
            num = m.group(0)
            yield _decision_cand(m.start(), m.end(), f"fr:{body}:{num}",
                                 f"{_ISSUER_NAMES[body]}, décision n° {num}")  # fmt: skip


def _possessor(t: str, m: re.Match[str]) -> str | None:
    """« L'Arcep a modifié, par décision du 4 avril 2013, sa décision du 5 novembre 2009 »: the
    act « sa décision » is the regulator named last before it in its sentence (not a local
    authority's)."""
    sentence = t[max(0, m.start() - 300) : m.start()].rsplit(". ", 1)[-1]
    near = list(_ISSUER_RE.finditer(sentence))
    if not near or _LOCAL_BODY_RE.search(sentence):
        return None
    # the subject of the verb right after it, no other clause in between
    rest = sentence[near[-1].end() :]
    if not _SUBJECT_OF_RE.match(rest) or re.search(r"\bqu(?:e|i|')", rest):
        return None
    return _which_issuer(near[-1])


_SUBJECT_OF_RE = re.compile(r"(?: \([A-Za-z]{2,6}\)|\))? (?:a|avait) ")


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
