"""French numbered and dated texts: lois, ordonnances, décrets, arrêtés, circulaires."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from watcher.dates import date_fr
from watcher.understand.refs.candidates import _NUM_MARK, _Cand
from watcher.understand.refs.dates import _DATE, _MONTH_NAMES, _MONTHS, _parse_date
from watcher.understand.refs.links import LEGIFRANCE, _legifrance_search
from watcher.understand.refs.normalise import _Norm
from watcher.understand.refs.table import _fold

# --- French numbered and dated texts ---------------------------------------------------------
# type word (full or Ref-Lex abbreviation), optional qualifier, then « n° AAAA-N » and/or a date.
_FR_TYPE = (
    r"(?P<type>lois?-cadres?|lois?|LOI|d[ée]crets?-lois?|D\.-L\.|d[ée]crets?|D[ÉE]CRET|ordonnances?|ORDONNANCE"
    r"|arr[êe]t[ée]s?|ARR[ÊE]T[ÉE]|circulaires?|L\. org\.|L\. const\.|L\.|D\.|Ord\.|Circ\.|A\.)"
)
_FR_QUAL = (
    r"(?: (?P<qual>organique|constitutionnelle|de finances(?: rectificative| pour \d{4})?"
    r"|de programmation|de financement de la s[ée]curit[ée] sociale(?: pour \d{4})?"
    r"|interminist[ée]riel(?:le)?|minist[ée]riel(?:le)?|conjoint|simple|royale|imp[ée]rial"
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
# chargé de l'économie du 3 décembre 1987 », « circulaire du Premier ministre du 27 avril 2021 »;
# not « de la ministre … », which public repositories write of Tunisian and Moroccan arrêtés) or
# say who issued them (« circulaire ministérielle », « interministérielle » du …: the feminine of
# the arrêté's qualifier) and a local number
# (« Arrêté n° 78-89/P », « n 04 »): both are read and dropped, the date keys them. A « n » whose
# number was lost in extraction (« Loi n du 13 juin 2006 ») leaves the date. The number may be
# in brackets (« La loi (n° 2010-737) du 1er juillet 2010 »).
# « circulaire » as an adjective (« l'économie circulaire du 10 février 2020 », « une économie
# circulaire »): not a circulaire
_ADJECTIVE_CIRCULAIRE_RE = re.compile(r"(?i)[ée]conomie $")
# a character of an issuer's title: no comma but before « de », « des », « du », « et »
_TITLE_CHAR = r"(?:[^,;.()«»\d]|,(?= (?:de |des |du |et )))"
_FR_TEXT_RE = re.compile(
    r"(?=[ldoac])(?<![\w.])" + _FR_TYPE + _FR_QUAL
    # a loi's acronym before its number, as Ref-Lex and the press write it (« L. DADDUE n°
    # 2013-619 », « loi ELAN n° 2018-1021 »)
    + r"(?: (?P<acr>(?-i:[A-Z]{2,10}(?:-[A-Z0-9]{1,4})?))(?= (?:n|N)))?"
    + r"(?: (?P<issuer>(?-i:[A-Z]{2,8}(?:/[A-Z]{2,8})+)"
    # (a minister's title may hold commas: « du ministre du travail, de l'emploi et de la santé »;
    # a préfet's arrêté is a local act, like a mayor's: not read)
    + r"|(?:du|des) (?:(?:premier )?ministres?|pr[ée]sident|directeur|garde des sceaux)"
    + _TITLE_CHAR + r"{0,100}?(?= du \d)))?"
    # round 29: the mark's « n » lost (« Loi °2016-1321 », « décret (° 2025-813) »), a stray
    # « du » before it (« décret du n° 2023-237 du 31 mars 2023 »)
    + r"(?: (?P<paren>\()?(?:du (?=n ?°|N ?°))?(?P<mark>" + _NUM_MARK + r" ?|num[ée]ro |° ?)?"
    + _FR_NUMBER + r"(?P<numsuf>/[A-Z]{1,3})?(?(paren)\))"
    + r"| (?P<local>(?:n ?°|no|n) ?\d[\w/-]{0,10})(?= du )| (?P<lost>n(?: ?°)?)(?= du ))?"
    # round 29: « le décret en date du 16 avril 2022 »
    + r"(?:(?: du|,|(?P<endate> en date du)) " + _DATE + r")?",
    re.IGNORECASE,
)  # fmt: skip
# The further numbers after a plural type word (« lois n° 2000-1 et n° 2000-2 »); round 25: the
# mark once for all after a plural type word marked (« Décrets n°2017-1434, 2017-1435 et
# 2017-1436 du 29 septembre 2017 », « décrets n° 2009-1026 et 2009-1052 »).
_FR_MORE_RE = re.compile(
    r"(?:,| et| ou) (?P<mark>" + _NUM_MARK + r" ?)?" + _FR_NUMBER + r"(?:(?: du|,) " + _DATE + r")?"
)

# ... and the further dates after a plural type word dated (« les lois du 17 mars 2014 [à
# consulter ici] et du 24 juillet 2020 »: a link's words in square brackets may stand between).
_FR_MORE_DATED_RE = re.compile(r"(?: \[[^\[\]]{1,40}\])?(?:,| et| ou) (?P<du>du) " + _DATE)

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
        date = _parse_date(m) if (m.group("yyyy") or m.group("dny") or m.group("sny")) else None
        if not _fr_text_ok(typ, raw_type in _ABBREV_TYPES, m, date, norm.year):
            continue
        if typ == "circulaire" and _ADJECTIVE_CIRCULAIRE_RE.search(
            norm.text, max(0, m.start() - 10), m.start()
        ):
            continue  # « la loi sur l'économie circulaire du 10 février 2020 »: an adjective
        if typ in ("arrete", "circulaire"):
            num = None  # a local number: the date keys the text
        elif num:
            num = _old_number(m, date, norm.year) or num
        yield _fr_cand(m.start(), m.end(), typ, qual, num, date)
        if not num and date is not None and raw_type.endswith("s"):
            end = m.end()
            while (more := _FR_MORE_DATED_RE.match(norm.text, end)) is not None:
                if (more_date := _parse_date(more)) is None:
                    break
                yield _fr_cand(more.start("du"), more.end(), typ, qual, None, more_date)
                end = more.end()
        if num and raw_type.endswith("s"):  # « les ordonnances n° 45-1483 et n° 45-1484 du … »
            end = m.end()
            while (more := _FR_MORE_RE.match(norm.text, end)) is not None:
                if not _valid_number(more.group("ny"), more.group("nn"), norm.year):
                    break
                if not more.group("mark") and not m.group("mark"):
                    break  # « les lois 2000-1 et 2000-2 »: two bare numbers, not a list
                more_date = (
                    _parse_date(more)
                    if (more.group("yyyy") or more.group("dny") or more.group("sny"))
                    else None
                )
                start = more.start("mark") if more.group("mark") else more.start("num")
                yield _fr_cand(start, more.end(), typ, qual,
                               f"{more.group('ny')}-{more.group('nn')}", more_date)  # fmt: skip
                end = more.end()
    if "oi d" in norm.text:
        yield from _titled_lois(norm.text)
    if "NOR" in norm.text:
        yield from _nor_titled(norm)
    if any(w in norm.text for w in ("oi des ", "cret des ", "OI DES ", "CRET DES ")):
        yield from _two_dated_texts(norm.text)


# The Revolution's and the early 19th century's lois and décrets, dated by the day they were
# voted and the day they were sanctioned: « la loi des 16 et 24 août 1790 », « loi des 16-24 août
# 1790 », « le décret des 2 et 17 mars 1791 », « loi des 28 septembre-6 octobre 1791 ». The first
# date keys them (as Légifrance dates them).
_TWO_DATES_RE = re.compile(
    r"(?=[LlDd])(?<![\w-])(?P<type>[Ll]oi|LOI|[Dd][ée]cret|D[ÉE]CRET) des (?P<d1>1er|[0-3]?\d)"
    r"(?: (?P<m1>" + _MONTH_NAMES + r"))?(?: et | ?- ?)(?:1er|[0-3]?\d) (?P<m2>" + _MONTH_NAMES
    + r") (?P<y>1[78]\d\d)(?!\d)"
)  # fmt: skip


def _two_dated_texts(t: str) -> Iterator[_Cand]:
    for m in _TWO_DATES_RE.finditer(t):
        month = _MONTHS.get(_fold(m.group("m1") or m.group("m2")).rstrip("."))
        day = 1 if m.group("d1") == "1er" else int(m.group("d1"))
        try:
            date = datetime.date(int(m.group("y")), month or 0, day)
        except ValueError:
            continue
        typ = _TYPE_KEYS[_fold(m.group("type")).lower()]
        yield _fr_cand(m.start(), m.end(), typ, None, None, date)


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
        or bool(_ORDONNANCE_LAWMAKING_RE.match(t, m.end()))
    )


# « La première ordonnance du 24 avril 2019 est relative à … », « La seconde ordonnance du 24
# avril 2019(3) procède à la refonte du titre IV du livre IV du code de commerce »: its title
# after « est », or a code it rewrites later in its sentence (no court word near: see above).
_ORDONNANCE_LAWMAKING_RE = re.compile(
    r"(?:\(\d{1,2}\)|\[\d{1,3}\])?(?: (?:est|qui est) (?:relative|relatif|prise)\b"
    r"|[^.;]{0,120}?\b(?:du|le|au) [Cc]ode (?:de |des |du |g[ée]n[ée]ral |mon[ée]taire ))"
)


# « cet arrêté du 7 décembre 2018 du maire de Tresserre »: a local act, not a text of the watch
_LOCAL_ISSUER_AFTER_RE = re.compile(
    r",? (?:(?:du|de la) (?:maire|mairie|commune)"
    r"|par lequel (?:le |la )(?:maire|pr[ée]sidente? du conseil (?:d[ée]partemental|r[ée]gional"
    r"|municipal|communautaire)))\b"
)


_REFLEX_TITLE_RE = re.compile(r", (?:relatif|relative|portant|pris|modifiant|fixant|NOR)\b")


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
    if m.group("acr") and not (typ == "loi" and num and m.group("mark")):
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
        # « L. n° 2015-177 », never « L. 45-1 » (an article); an unnumbered décret as Ref-Lex
        # cites it, its title or NOR after the date (« D., 17 juill. 2008, relatif à … »)
        return bool(num and m.group("mark")) or (
            typ == "decret" and not num and date is not None
            and _REFLEX_TITLE_RE.match(m.string, m.end()) is not None
        )  # fmt: skip
    if num:
        return True
    if date is None:
        return False
    if m.group("endate") and typ == "ordonnance":
        return False  # « par ordonnance en date du … »: a court's, as a rule
    # unnumbered: a court « ordonnance du … » is not a text
    # round 23: « un décret-loi du 30 septembre 1953 », dated as a décret is
    return typ in ("loi", "decret", "decret-loi") or (
        typ == "ordonnance" and _government_ordonnance(m)
    )


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
