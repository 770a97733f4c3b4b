"""Lower courts' rulings: cours d'appel, tribunals, cours administratives d'appel."""

from __future__ import annotations

import re
from collections.abc import Iterator

from watcher.dates import date_fr
from watcher.text import name_key
from watcher.understand.refs.candidates import _Cand
from watcher.understand.refs.dates import _DATE, _parse_date
from watcher.understand.refs.rulings import (
    _JUDGED_HINT_RE,
    _JUDGED_ON,
    _SUBJECT_VERB,
    _decision_cand,
    _slug,
)
from watcher.understand.refs.table import _fold

# A registry number (« RG n° 20/01234 »), as older registries and writers also gave it: the year
# in full (« 2001/03498 »), the number first (« 12004/98 »), a hyphen (« 15-00835 »).
# (« 15 - 04497 »: a spaced hyphen, as some pages write it)
_REGISTRY = r"(?:(?:19|20)\d\d/\d{4,5}|\d{2}(?:[/-]| - )\d{4,5}|\d{3,6}/\d{2})"
# « CA Versailles (12e ch.), 3 mars 2020 : RG n° 18/01234 », « CA Paris, pôle 5 - ch. 3, 12 janv.
# 2022, n° 19/06644 »; by date alone only at a seat of a cour d'appel (« CA Paris, 9 janv. 2014 »).
# The publishers' databases put the city after a comma: « Cour d'appel, Paris, Pôle 5, chambre 4,
# 25 Mai 2022 – n° 20/05430 » (a dash before the number, the month's capital).
_CA_RE = re.compile(
    r"(?=[Cc])(?<![\w])(?:CA (?:de |d['’])?|[Cc]our d['’]appel, )"
    r"(?P<city>[A-ZÉ][A-Za-zÉÈÊÀÂÎÔÛÇéèêàâîôûç'-]+)"
    r"(?: \([^()]{1,30}\))?"
    r"(?:, (?:[Pp][ôo]le|ch\.|[Cc]hambre|[0-9]{1,2}(?:e|ème|re)) [^,;()\n]{0,30}){0,2},? (?i:"
    + _DATE + r")(?:(?: ?: ?|, | - )(?:RG ?(?:n[°o])?|n[°o](?: ?RG)?) ?(?P<num>" + _REGISTRY
    + r"|[A-Z]\d{8})(?![\d/]))?"
)  # fmt: skip
_RG_MORE_RE = re.compile(r"(?:,| et) (?P<mark>(?:RG )?n[°o] ?)(?P<num>\d{2}/\d{4,5})(?![\d/])")
# (« La décision a été prononcée le … par le tribunal … », and a ruling's noun right before:
# « Jugement rendu le 1er Décembre 2021 par le Tribunal de Commerce de NANTERRE », the ruling
# under appeal in a cour d'appel's heading)
_RULING_SUBJECT_RE = re.compile(
    r"(?i)\b(?:(?:d[ée]cision|jugement) (?:a [ée]t[ée] |fut |est )|(?:jugement|ordonnance) )$"
)
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
# de la cour d'appel de Douai du 24 juin 2004 », « deux arrêts rendus le 1er février 2022 par la
# cour d'appel de Nîmes »
_CA_DATED_RE = re.compile(
    r"(?=a)(?<![\w])arr[êe]ts? rendus? le "
    + _DATE
    + r"(?:, entre les parties,)? par la [Cc]our d['’]appel"
    r" (?:de |d['’])(?P<city>[A-ZÉ][\w'-]+)"
)
# Lower courts as Juricaf, Légifrance and law firms title them: « Tribunal de grande instance de
# Paris, Ct0196, 24 mai 2022, 20/03773 », « Cour d'appel de Paris, le 18 juin 2025, n°23/17066 »;
# and their rulings cited by date: « Par arrêt du 18 juin 2025, la cour d'appel de Paris »,
# « le tribunal de commerce de Lille, par jugement du 17 juin 2021 ».
# (the conseils de prud'hommes, labour courts: « conseil de prud'hommes de Paris », also written
# « prud'hommes » without the apostrophe or « Prud'Hommes »)
_LOWER_COURT = (
    r"(?P<court>[Cc]our d['’]appel|[Tt]ribunal de grande instance|[Tt]ribunal judiciaire"
    r"|[Tt]ribunal de commerce|[Cc]our administrative d['’]appel|[Tt]ribunal administratif"
    r"|[Cc]onseil de [Pp]rud['’]?[Hh]ommes)"
    r" (?:de |d['’])(?P<city>[A-ZÉ][\w'-]+(?:[- ][A-Z][\w'-]+)*)"
)
_LOWER_COURT_KEYS = {"cour d'appel": "ca", "tribunal de grande instance": "tgi",
                     "tribunal judiciaire": "tj", "tribunal de commerce": "tc",
                     "cour administrative d'appel": "caa",
                     "tribunal administratif": "ta", "conseil de prud'hommes": "cph",
                     "conseil de prudhommes": "cph"}  # fmt: skip
# A lower court's number: a registry number « 20/01234 », a cour administrative d'appel's
# « 18PA01234 », a tribunal administratif's « 2012345 ».
# A conseil de prud'hommes' « F 19/01234 » (its section's letter), a tribunal de commerce's
# « 2020F00123 » or « J2020000123 ».
_COURT_NUMBER = (
    r"(?P<num>(?:[A-Z] )?" + _REGISTRY + r"|\d{2}[A-Z]{2}\d{5}|\d{7}|[A-Z]?(?:19|20)\d{8}"
    r"|(?:19|20)\d\d[A-Z]\d{5})"
    # a tribunal administratif's section and chamber after its number (« n° 1912345/4-1 »)
    r"(?:(?<=\d{7})/\d{1,2}(?:-\d{1,2})?)?(?![\d/])"
)
_LOWER_COURT_ANY_CASE = (
    _LOWER_COURT.replace("grande instance", "[Gg]rande [Ii]nstance")
    .replace("judiciaire", "[Jj]udiciaire").replace("de commerce", "de [Cc]ommerce")
    .replace("administratif", "[Aa]dministratif")
    # « Cour d'Appel », « Cour Administrative d'Appel »
    .replace("d['’]appel", "d['’][Aa]ppel").replace("administrative", "[Aa]dministrative")
)  # fmt: skip
_COURT_TITLE_RE = re.compile(
    r"(?=[CcTt])(?<![\w])" + _LOWER_COURT_ANY_CASE + r",(?: [^,;()\n]{1,40},){0,3}? (?:le )?"
    + _DATE + r",? (?:RG )?(?:[nN][°o] ?(?:RG )?)?" + _COURT_NUMBER
)  # fmt: skip
# The judgment under appeal as a cour d'appel's ruling names it: « Décision déférée à la Cour :
# Jugement du 14 Janvier 2019 -Tribunal de Grande Instance de PARIS – RG n° 17/04152 ».
_COURT_DEFERRED_RE = re.compile(
    r"(?<![\w])(?:[Jj]ugement|[Oo]rdonnance) du (?i:" + _DATE + r") ?[-–] ?"
    + _LOWER_COURT.replace("grande instance", "[Gg]rande [Ii]nstance")
    .replace("judiciaire", "[Jj]udiciaire").replace("de commerce", "de [Cc]ommerce")
    # (« RG n° 2009F00727 »: a tribunal de commerce's number)
    + r" ?[-–,] ?RG n[°o] ?" + _COURT_NUMBER
)  # fmt: skip
# A lower court's title by date alone: « Cour d'appel de Paris, 3 mars 2020 », « Tribunal
# judiciaire de Lyon, 1re chambre, 5 mai 2021. »
_COURT_TITLE_DATED_RE = re.compile(
    r"(?=[CcTt])(?<![\w])" + _LOWER_COURT + r",(?: [^,;()\n]{1,40},){0,3} (?:le )?" + _DATE
    + r"(?=[,;.)]|$| et | [-–] )"
)  # fmt: skip
# A ruling's heading as legalis.net and others give it: the court, its chamber, then the ruling
# and its date, no comma (« Tribunal de grande instance de Paris 17ème chambre Jugement du 4
# décembre 2009 »)
_COURT_CHAMBER_ACT_RE = re.compile(
    r"(?=[CcTt])(?<![\w])" + _LOWER_COURT
    + r" [^;()\n]{0,25}?[Cc]hambre[^;()\n]{0,25}?"
    r" (?:[Jj]ugement|[Aa]rr[êe]t|[Oo]rdonnance)(?: de r[ée]f[ée]r[ée])? (?:en date )?du " + _DATE
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
# « Par un jugement n° 1907262 du 11 juillet 2022, le tribunal administratif de Versailles »,
# « d'annuler le jugement n° 0802748 du 28 juillet 2011 par lequel (en tant que) le tribunal
# administratif de Bordeaux … » (a number keys the ruling, else its date)
_COURT_AFTER_RE = re.compile(
    # (« Par une ordonnance nos 2303004, 2303012 du 22 novembre 2023, le juge des référés du
    # tribunal administratif de Caen a enjoint … »: a judge's order on joined requêtes)
    r"(?=[ajo])(?<![\w])(?:arr[êe]t|jugement|(?P<order>ordonnance))"
    r"(?: n(?:[°o]s?|os) ?" + _COURT_NUMBER + r"(?:(?:-|, )(?P<more>\d{7}))?)?"
    r"(?: en date du| du| rendu le) " + _DATE
    # « Par jugement du 26 septembre 2022 (décision n°2101185 notifiée …), le tribunal
    # administratif de Caen »: its number in brackets after the date
    + r"(?: \((?:d[ée]cision |requ[êe]te )?n[°o] ?(?P<bnum>\d{7}|\d{2}/\d{4,5})(?![\d/])"
    + r"[^()]{0,120}\))?"
    + r"(?:, [^\d,;()\n]{1,40})?(?:,| par lequel| par laquelle| en tant que) (?:la|le) "
    + r"(?P<judge>(?:juge des r[ée]f[ée]r[ée]s|pr[ée]sident) (?:du |de la ))?" + _LOWER_COURT
)  # fmt: skip
# (« la salariée a saisi le conseil de prud'hommes de Lyon, le 5 mai 2015, de … », « assignée
# devant le tribunal de commerce de Paris, le 3 mars 2020 »: the date the court was seized)
_RUNNING_TEXT_BEFORE_RE = re.compile(
    r"(?:\bau|\baux|\bà la|\bsaisi(?:r|t|e|es|s|ssent|ssant)? (?:le|la|l')|\bdevant (?:le|la|l'))"
    r" ?$"
)
_COURT_THEN_RE = re.compile(
    r"(?=[CcTt])(?<![\w])"
    + _LOWER_COURT
    + r",? "
    + _SUBJECT_VERB
    + r"(?:par|dans) (?:un |son )?(?:arr[êe]t|jugement)(?: en date du| du| rendu le) "
    + _DATE
    # its number in brackets keys it (« a jugé, par un arrêt du 2 juillet 2021 (req. n°
    # 20NT02159), que … »)
    + r"(?: \((?:req(?:\.|u[êe]te) )?(?:RG )?n[°o] ?(?:RG )?"
    + _COURT_NUMBER
    + r"\))?"
)
# « jugement du tribunal administratif de Paris du 3 mars 2021 », « arrêt rendu par la cour
# d'appel de Lyon le 3 mars 2020 », « ordonnance de référé du tribunal judiciaire de Paris du … »
_COURT_OF_RE = re.compile(
    r"(?=[ajo])(?<![\w])(?:arr[êe]t|jugement|ordonnance)(?: de r[ée]f[ée]r[ée])?"
    r" (?:rendue? par (?:la |le |l['’])|de la |du |de l['’])" + _LOWER_COURT
    + r"(?: \([^()]{1,40}\))?(?: en date)? (?:du|le) " + _DATE
)  # fmt: skip
# « d'annuler le jugement du 24 avril 2018 du tribunal administratif de Lyon », « le jugement n°
# 1909242 du 31 mars 2021 du tribunal administratif de Paris », « l'ordonnance du 3 mars 2020 du
# juge des référés du tribunal administratif de Nice »: the ruling, its number and date, then
# its court (as the administrative courts' rulings write the ruling under appeal)
_COURT_DATED_OF_RE = re.compile(
    r"(?=[ajo])(?<![\w])(?:arr[êe]t|jugement|ordonnance)(?: n[°o] ?" + _COURT_NUMBER + r")?"
    r"(?: en date)? du " + _DATE
    + r" (?:du (?:juge des r[ée]f[ée]r[ée]s|pr[ée]sident) )?(?:du |de la |de l['’])" + _LOWER_COURT
)  # fmt: skip
_COURT_OF_LITERALS = ("du tribunal", "du Tribunal", "de la cour", "de la Cour", "du conseil de",
                      "du Conseil de", "par la cour", "par la Cour", "par le tribunal",
                      "par le Tribunal", "par le conseil", "par le Conseil")  # fmt: skip
# « Tribunal judiciaire de Paris, ordonnance de référé du 3 mars 2021 »
_COURT_TITLE_ACT_RE = re.compile(
    r"(?=[CcTt])(?<![\w])" + _LOWER_COURT + r",(?: [^,;()\n]{1,40},){0,2}"
    r" (?:jugement|arr[êe]t|ordonnance)(?: de r[ée]f[ée]r[ée]| sur requ[êe]te)? (?:en date )?du "
    + _DATE
)  # fmt: skip
# « la cour d'appel de Paris a jugé, le 3 mars 2021, que … »
_COURT_JUDGED_RE = re.compile(
    r"(?=[CcTt])(?<![\w])" + _LOWER_COURT + r",? " + _JUDGED_ON + _DATE
)  # fmt: skip
_CA_OF_RE = re.compile(
    r"(?=a)(?<![\w])arr[êe]t de la [Cc]our d['’][Aa]ppel (?:de |d['’])(?P<city>[A-ZÉ][\w'-]+)"
    # its chamber between commas (« …de Paris, chambre 2-9, en date du 15 mai 2024 »)
    r"(?: \([^()]{1,40}\)|, (?:[Cc]hambre|[Pp][ôo]le|ch\.) [^,;()\n]{1,30},)?(?: en date)? du "
    + _DATE
)
# « L'autre décision a été prononcée le 23 mai 2013 par le Tribunal de grande instance de
# Paris », « rendu le 3 mars 2021 par la cour d'appel de Lyon »: what a court renders on a date
_COURT_RENDERED_RE = re.compile(
    r"(?=[rp])(?<![\w])(?:rendue?s?|prononc[ée]e?s?) le (?i:"
    + _DATE
    + r"),? par (?:la |le |l['’])"
    + _LOWER_COURT_ANY_CASE
)
# Lower courts as legal writers abbreviate them: « CAA Paris, 4e ch., 12 mars 2020, n° 18PA01234 »,
# « TA Lyon, 5 mars 2021, n° 2012345 », « TJ Paris, 5 mars 2021, n° 20/01234 », « TGI Paris,
# 3 mars 2018 », « T. com. Paris, 3 mars 2020 » (« TC » is the Tribunal des conflits: not read).
# « CPH Paris », « Cons. prud'h. Lyon » (a conseil de prud'hommes), « T. jud. Paris ».
_COURT_ABBREVS = {"CAA": "caa", "TA": "ta", "TJ": "tj", "TGI": "tgi", "T.com.": "tc",
                  "Trib.com.": "tc", "T.adm.": "ta", "Trib.adm.": "ta",
                  "Trib.jud.": "tj", "T.jud.": "tj", "CPH": "cph"}  # fmt: skip
_COURT_NAMES = {"caa": "Cour administrative d'appel", "ta": "Tribunal administratif",
                "tj": "Tribunal judiciaire", "tgi": "Tribunal de grande instance",
                "tc": "Tribunal de commerce", "ca": "Cour d'appel",
                "cph": "Conseil de prud'hommes"}  # fmt: skip
_COURT_ABBREV_RE = re.compile(
    r"(?=T|C[AP]|Cons\.)(?<![\w.])(?P<abbr>CAA|TA|TJ|TGI|T\. ?com\.|Trib\. ?com\.|T\. ?adm\."
    r"|Trib\. ?adm\.|Trib\. ?jud\.|T\. ?jud\.|CPH|C(?:ons)?\. ?prud['’]?h(?:om)?\.)"
    r"(?: de | d['’]| )"
    r"(?P<city>(?:L[ae] )?[A-ZÉ][\w'-]+)(?: \([^()]{1,30}\))?(?:, [^,;()\n]{1,30}?){0,2},? " + _DATE
    + r"(?:(?: ?: ?|,? )(?:RG |req\. )?(?:n[°o] ?(?:RG )?)?" + _COURT_NUMBER + r")?"
)  # fmt: skip


def _lower_court_rulings(t: str, found: set[str]) -> Iterator[_Cand]:
    """The cours d'appel's and tribunals' rulings, by number or by date."""
    if "court" not in found:
        return
    for m in _CA_RE.finditer(t):
        city = m.group("city")
        if m.group("num"):
            num = _registry(m.group("num"))
            label = f"Cour d'appel de {city.title()}, RG n° {m.group('num')}"
            yield _decision_cand(m.start(), m.end(), f"fr:juris:ca-{_slug(city)}:{num}", label)
            # « RG n° 13/04879 et n° 13/11192 »: the same court's further registry numbers
            pos = m.end()
            while (more := _RG_MORE_RE.match(t, pos)) is not None:
                label = f"Cour d'appel de {city.title()}, RG n° {more.group('num')}"
                yield _decision_cand(more.start("mark"), more.end(),
                                     f"fr:juris:ca-{_slug(city)}:{_registry(more.group('num'))}",
                                     label)  # fmt: skip
                pos = more.end()
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
        abbr = m.group("abbr").replace(" ", "")
        court = "cph" if "prud" in abbr else _COURT_ABBREVS[abbr]
        num = m.group("num")
        if num:
            yield _court_cand(m, court, _COURT_NAMES[court], _registry(num), f"n° {num}")
        elif (date := _parse_date(m)) is not None:
            yield _court_cand(m, court, _COURT_NAMES[court], f"du-{date.isoformat()}",
                              date_fr(date))  # fmt: skip
    for m in _TA_RE.finditer(t):
        city = m.group("city")
        yield _decision_cand(m.start(), m.end(), f"fr:juris:ta-{_slug(city)}:{m.group('num')}",
                             f"Tribunal administratif de {city}, n° {m.group('num')}")  # fmt: skip
    for m in (*_COURT_TITLE_RE.finditer(t), *_COURT_REGISTERED_RE.finditer(t)):
        num = m.group("num")
        yield _court_cand(m, *_lower_court(m), _registry(num), f"n° {num}")
    dated = []
    for m in _COURT_AFTER_RE.finditer(t):
        if m.group("order") and not m.group("judge"):
            # a judge's order (« Par une ordonnance n° … du …, le juge des référés du tribunal
            # … »): not « l'ordonnance du 25 mars 2020, le tribunal … », the government's
            continue
        if m.group("num") or m.group("bnum"):
            # « jugement n° 1800620-1803989 »: one judgment on joined requêtes, a key each
            for num in filter(None, (m.group("num"), m.group("more"), m.group("bnum"))):
                cand = _court_cand(m, *_lower_court(m), _registry(num), f"n° {num}")
                cand.group = m.start() + 1  # both kept: one judgment, two keys
                yield cand
        else:
            dated.append((m, *_lower_court(m)))
    for m in _COURT_THEN_RE.finditer(t):
        if m.group("num"):
            num = m.group("num")
            yield _court_cand(m, *_lower_court(m), _registry(num), f"n° {num}")
        else:
            dated.append((m, *_lower_court(m)))
    # (each tried only where a literal it needs is in the text)
    if any(w in t for w in _COURT_OF_LITERALS):
        dated += [(m, *_lower_court(m)) for m in _COURT_OF_RE.finditer(t)]
        for m in _COURT_DATED_OF_RE.finditer(t):
            if _lower_court(m)[0] == "ca" and _slug(m.group("city")) not in _CA_SEAT_SLUGS:
                continue
            if m.group("num"):
                num = m.group("num")
                yield _court_cand(m, *_lower_court(m), _registry(num), f"n° {num}")
            else:
                dated.append((m, *_lower_court(m)))
    if ", jugement" in t or ", arrêt" in t or ", ordonnance" in t:
        dated += [(m, *_lower_court(m)) for m in _COURT_TITLE_ACT_RE.finditer(t)]
    if "hambre" in t and ("ribunal" in t or "our d" in t):
        dated += [
            (m, *_lower_court(m))
            for m in _COURT_CHAMBER_ACT_RE.finditer(t)
            # a heading, not running text (« … devant le tribunal de … chambre, contre le jugement
            # du … »)
            if not _RUNNING_TEXT_BEFORE_RE.search(t, max(0, m.start() - 20), m.start())
            and (
                _fold(m.group("court")) != "cour d'appel"
                or _slug(m.group("city")) in _CA_SEAT_SLUGS
            )
        ]
    if _JUDGED_HINT_RE.search(t) is not None:
        dated += [(m, *_lower_court(m)) for m in _COURT_JUDGED_RE.finditer(t)]
    dated += [(m, *_lower_court(m)) for m in _COURT_ASKED_RE.finditer(t)]
    dated += [
        (m, *_lower_court(m))
        for m in _COURT_TITLE_DATED_RE.finditer(t)
        if (_fold(m.group("court")) != "cour d'appel" or _slug(m.group("city")) in _CA_SEAT_SLUGS)
        # a title, not running text: « au tribunal administratif de Lyon, …, le 1er mars 2010 »
        and not _RUNNING_TEXT_BEFORE_RE.search(t, max(0, m.start() - 20), m.start())
    ]
    if "par l" in t and ("rendu" in t or "prononc" in t):
        dated += [
            (m, *_lower_court(m))
            for m in _COURT_RENDERED_RE.finditer(t)
            # the ruling named as the subject right before (« La décision a été prononcée »)
            if _RULING_SUBJECT_RE.search(t, max(0, m.start() - 40), m.start())
        ]
    dated += [(m, "ca", "Cour d'appel") for m in (*_CA_DATED_RE.finditer(t),
                                                  *_CA_OF_RE.finditer(t))]  # fmt: skip
    if "ugement" in t or "rrêt" in t:
        yield from _court_named_before(t)
    for m, court, name in dated:
        date = _parse_date(m)
        if date is not None:
            yield _court_cand(m, court, name, f"du-{date.isoformat()}", date_fr(date))


# « Par jugement du 22 mars 2022, le tribunal a rejeté … », « Par un arrêt du 3 mars 2020, la
# cour a … »: « le tribunal », « la cour » alone is the lower court of that kind named last before
# it in the item (a press release's earlier sentence: « … devant le tribunal judiciaire de
# Paris »), within _NAMED_BEFORE_REACH characters.
# The Conseil d'État's formula names the court in the sentence before and its ruling by number:
# « M. B… a demandé au tribunal administratif de Rennes d'annuler … Par un jugement n° 1405338
# du 4 février 2016, ce tribunal (le tribunal administratif) a … ».
_COURT_WORD_AFTER_RE = re.compile(
    r"(?<![\w])(?:jugement|arr[êe]t)(?: n(?:[°o]s?|os) ?" + _COURT_NUMBER + r")?"
    r"(?: en date du| du| rendu le) " + _DATE
    + r", (?:(?:le|ce) (?P<tribunal>tribunal)|(?:la|cette) (?P<cour>cour))"
    # « le tribunal administratif », « la cour administrative d'appel » without their city
    + r"(?P<adm> administrati(?:f|ve d['’]appel)(?= [a-zé]))?"
    r"(?! (?:de|des|du|d['’]|administrati\w*|judiciaire|correctionnel\w*|supr[êe]me|europ[ée]enne"
    r"|constitutionnelle|pour)\b)(?=[ ,])"
)  # fmt: skip
_LOWER_COURT_RE = re.compile(r"(?<![\w])" + _LOWER_COURT)
_HIGHER_COURT_RE = re.compile(
    r"(?i)cour de cassation|conseil d['’ ][ée]tat|conseil constitutionnel|cour de justice"
    r"|cour europ[ée]enne|\bCJUE\b|\bCEDH\b|\bCass\b|tribunal de l['’ ]union"
)
_NAMED_BEFORE_REACH = 1500


def _court_named_before(t: str) -> Iterator[_Cand]:
    for m in _COURT_WORD_AFTER_RE.finditer(t):
        reach = max(0, m.start() - _NAMED_BEFORE_REACH)
        named = list(_LOWER_COURT_RE.finditer(t, reach, m.start()))
        if not named or (date := _parse_date(m)) is None:
            continue
        court, name = _lower_court(named[-1])
        if (court in ("ca", "caa")) != bool(m.group("cour")):
            continue  # « le tribunal » is not the cour d'appel named last
        if m.group("adm") and court not in ("ta", "caa"):
            continue  # « le tribunal administratif » is not the tribunal judiciaire named last
        city = named[-1].group("city")
        if court == "ca" and _slug(city) not in _CA_SEAT_SLUGS:
            continue
        if _HIGHER_COURT_RE.search(t, named[-1].end(), m.start()):
            continue  # another court named since (« la cour » may be the Cour de cassation's)
        if m.group("num"):
            num = m.group("num")
            key = f"fr:juris:{court}-{_slug(city)}:{_registry(num)}"
            yield _decision_cand(m.start(), m.end(), key, f"{name} de {city}, n° {num}")
            continue
        key = f"fr:juris:{court}-{_slug(city)}:du-{date.isoformat()}"
        yield _decision_cand(m.start(), m.end(), key, f"{name} de {city}, {date_fr(date)}")


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


def _registry(num: str) -> str:
    """A registry number as a key part: « 20/01234 » → « 20-01234 », « F 19/01234 » →
    « F-19-01234 »."""
    return num.replace(" - ", "-").replace("/", "-").replace(" ", "-")


def _lower_court(m: re.Match[str]) -> tuple[str, str]:
    """The key prefix and the name of the court a match names (``_LOWER_COURT``)."""
    written = m.group("court")
    return _LOWER_COURT_KEYS[_fold(written)], written.capitalize()


def _court_cand(m: re.Match[str], court: str, name: str, ident: str, shown: str) -> _Cand:
    city = m.group("city")
    return _decision_cand(m.start(), m.end(), f"fr:juris:{court}-{_slug(city)}:{ident}",
                          f"{name} de {city}, {shown}")  # fmt: skip
