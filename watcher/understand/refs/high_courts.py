"""High courts' rulings: Conseil constitutionnel, Conseil d'État, Cour de cassation, EU courts."""

from __future__ import annotations

import re
from collections.abc import Iterator

from watcher.dates import date_fr
from watcher.understand.refs.candidates import _Cand
from watcher.understand.refs.dates import _DATE, _parse_date
from watcher.understand.refs.lower_courts import _CA_SEAT_SLUGS, _LOWER_COURT, _LOWER_COURT_KEYS
from watcher.understand.refs.rulings import (
    _JUDGED_HINT_RE,
    _JUDGED_ON,
    _SUBJECT_VERB,
    _dated_or_numbered,
    _decision_cand,
    _pourvoi,
    _slug,
)
from watcher.understand.refs.table import _fold

CONSEIL_CONSTITUTIONNEL = "https://www.conseil-constitutionnel.fr/decision/{}/{}.htm"
# The Conseil constitutionnel's series: laws (DC), QPC, elections (AN, SEN, PDR, ELEC), the
# domain of the law (L), and the rest.
_CC_TYPES = r"DC|QPC|FNR|LP|LOM|ELEC|PDR|REF|ORGA|RIP|AN|SEN|AR16|L|D|I"
_CC_RE = re.compile(
    r"(?=[Ddn\d])(?<![\w:-])(?:(?P<kw>[Dd][ée]cision|[Dd][ée]c\.)s?"
    r"(?: du Conseil constitutionnel)? )?"
    # « n° 2025-1129-QPC »: a hyphen before the series, as some pages write it
    r"(?P<mark>n[°o] ?)?(?P<y>\d{4}|\d{2})-(?P<n>\d{1,4}(?P<joined>[-/]\d{1,4})?)[ -]?"
    r"(?P<t>" + _CC_TYPES + r")(?![\w])"
)  # « n° 2013-334-335 QPC », « n° 2010-14/22 QPC » (as the Conseil writes it): joined cases
# « la décision QPC du 3 mars 2021 »: only the Conseil constitutionnel gives QPC and DC decisions.
# « QPC n° 2021-940 », « la décision QPC n° 2021-940 du 15 octobre 2021 »: the series before
# the number, as the press writes it.
_CC_SERIES_FIRST_RE = re.compile(
    r"(?<![\w])(?P<t>QPC|DC) n[°o] ?(?P<y>\d{4})-(?P<n>\d{1,4})(?![\w.-])"
)
_CC_KIND_DATED_RE = re.compile(r"(?<![\w])[Dd][ée]cision (?:QPC|DC) (?:en date )?du " + _DATE)
# A ruling's number after its date, in brackets or after a comma: a requête (« (n° 430810) »,
# « , req. n° 430810 ») or a Conseil constitutionnel's number (« (n° 2013-685 DC) »).
_NUMBER_AFTER_DATE = (
    r"(?:(?: \(|, )(?:req(?:\.|u[êe]te) )?n[°o] ?(?:(?P<num>\d{5,6})(?![\d/-])"
    # (a decision of before 2000 with its year in two digits: « (n° 71-44 DC) »)
    r"|(?P<ccnum>(?:(?:19|20)\d\d|[5-9]\d)-\d{1,4}[ -]?(?:" + _CC_TYPES + r")(?![\w]))))?"
)
_ECLI_RE = re.compile(r"ECLI:FR:(?P<court>CC|CE[A-Z]*):(?P<y>\d{4}):(?P<id>[0-9A-Z.]*[0-9A-Z])")
# « Cons. d'État », as some legal writers abbreviate it
_CE_NAME = r"(?:CE|C\.E\.|Conseil d['’ ]?[ÉEé]tat|Cons\. d['’][ÉEé]tat)"
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
    # round 23: a list's dash right before it (« -C.E., 13 décembre 1889 », « \-C.E., … » as
    # Markdown escapes it), not a word's hyphen
    r"(?=C)(?:(?<![\w/.(-])|(?<=(?<![\w/.(])-)|(?<=\()(?=Conseil))(?:" + _CE_NAME
    + r"|Ce(?=, \d))"
    + r"(?:, (?P<form>[^,;:()\n]{1,60}?), |,? (?P<form2>" + _CE_FORMS + r"),? |,? )" + _DATE
    + r"(?:,? (?:(?:[^,;:()\n\d]{1,80}, )?(?:req(?:\.|u[êe]te)? )?(?:n[°o]s? ?|num[ée]ro ))?"
    + r"(?P<num>\d{5,6})(?![\d/-]))?"
)  # fmt: skip
# « Conseil d'État n° 428409 du 10 juillet 2020 »: the number first (the full name only).
_CE_NUMBER_FIRST_RE = re.compile(
    r"(?=C)(?<![\w/.(-])(?:Conseil d['’ ]?[ÉEé]tat|C\.E\.),? (?:\((?:d[ée]cisions?|arr[êe]ts?) )?"
    r"(?:req(?:\.|u[êe]te) )?(?:[nN][°o]s? ?|(?=\d{5,6}, lecture du ))"  # ArianeWeb's titles
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
    # « Par une décision du 31 décembre 2024 (n° 484422), le Conseil d'État »: its number
    + r"(?: \((?:(?:req(?:\.|u[êe]te) )?n[°o] ?(?P<bnum>\d{5,6})(?![\d/-])[^()]{0,100}"
    + r"|[^()]{0,120})\))?"
    + r"(?:, (?:enregistr[ée]e?|lue?|rendue?|publi[ée]e?) [^,;()\n]{1,60})?"
    + r",? le (?:(?:juge des r[ée]f[ée]r[ée]s|pr[ée]sident de la section du contentieux) du )?"
    + _CE_NAME
)  # fmt: skip
# A decision's title under the court's name, as a case-law site heads it (« Conseil d'Etat /
# Décision du 7 décembre 2017 n° 408379 »): the Conseil d'État is the court named last before
# it, nearby, and no other court is named in the item.
_CE_SITE_RES = (
    re.compile(r"(?<![\w])[Dd][ée]cision du " + _DATE + r",? n[°o] ?(?P<num>\d{5,6})(?![\d/-])"),
    re.compile(r"(?<![\w])[Dd][ée]cision n[°o] ?(?P<num>\d{5,6}),? du " + _DATE),
)
_CE_NAMED_RE = re.compile(r"(?<![\w])" + _CE_NAME + r"(?![\w])")
_OTHER_COURT_RE = re.compile(
    r"(?i)cour de cassation|\bcass\.|cour d['’ ]appel|tribunal|conseil de prud"
    r"|conseil constitutionnel|cour de justice|cour europ[ée]enne|\bCJUE\b|\bCEDH\b"
)
_CE_SITE_REACH = 300


# The Conseil d'État's decisions on joined requêtes list each one: « 1° Sous le n° 491629, par
# une requête sommaire …, la société Free SAS demande au Conseil d'Etat : »; the Conseil is
# named later in the same sentence (another court's file numbers have other shapes).
_CE_UNDER_NUMBER_RE = re.compile(
    r"(?<![\w])[Ss]ous (?:le|les) n[°o]s? ?(?P<num>\d{5,6})(?![\d/-])"
    r"(?=[^.;:]{0,300}?\bConseil d['’ ]?[ÉEé]tat\b)"
)
# « le Conseil d'État, dans une décision du 17 avril 2019 », « … par un arrêt du … »
_CE_THEN_RE = re.compile(
    r"(?=C)(?<![\w])"
    + _CE_NAME
    + r",? "
    + _SUBJECT_VERB
    + r"(?:dans|par) (?:une|un|sa|son) (?:d[ée]cision|arr[êe]t)"
    r"(?: en date)? du " + _DATE + _NUMBER_AFTER_DATE
)
_CE_NUMBERS_RE = re.compile(
    r"(?=[da])(?<![\w])(?:d[ée]cisions?|arr[êe]ts?) du "
    + _CE_NAME
    + r" n[°o]s? ?(?P<num>\d{5,6})(?!\d)"
)
# « 04-18. 653 » as extracted, « 20-18-844 » (a hyphen for the dot)
# (a full stop may end the sentence right after it: « …, n° 20-22.977. »)
_POURVOI = r"(?P<num>\d{2}-\d{2}(?:\. ?|-)?\d{3})(?!\d|\.\d|-\d)"
# The Cour de cassation's formation and publication code, written between a ruling's date and
# its pourvoi: « Cass. soc., 12 mai 2021, FS-P+B, n° 19-20.123 », « …, F-D, … ».
_CASS_CODE = r"(?:,? (?:FS|FP|F)-[PBDRI](?:\+[PBDRI]){0,3})?"
# « Cass. soc., 3 mars 2021, n° 19-13.425 », « Cass. crim. 12 mai 2021 », « Cass., ch. mixte, … »
# (« Cassation sociale, 15 février 2023, n° 21-19.711 »: the chamber's adjective after the word)
_CASS_RE = re.compile(
    r"(?=C)(?<![\w])(?:Cass|C\. ?[Cc]ass|Cassation(?= (?:sociale|civile|commerciale|criminelle)\b))"
    r"\.?,?(?: (?P<ch>[^,;()\n]{1,30}?))?,? " + _DATE
    # the pourvoi may stand in brackets (« Cass. com. 3 mai 2016 (n° 14-24.586) »)
    + r"(?:" + _CASS_CODE + r"(?:,? | \()(?:n[°o]s? ?|pourvoi (?:n[°o] ?)?)?" + _POURVOI + r")?"
)  # fmt: skip
# « Cass. soc., n° 99-43.336 »: the pourvoi without the date.
_CASS_NUMBER_RE = re.compile(
    r"(?=C)(?<![\w])(?:Cass|C\. ?[Cc]ass)\.?,?(?: (?P<ch>[^,;()\n\d]{1,30}?))?,? "
    r"(?:n[°o]s? ?|pourvoi (?:n[°o] ?)?)" + _POURVOI
)
# The Cour de cassation's pages: « Arrêt n°245 du 3 mars 2021 (19-13.425) - Cour de cassation -
# Chambre sociale » (its court named in the item).
_CASS_SITE_RE = re.compile(
    r"(?=[Aa])(?<![\w])[Aa]rr[êe]t n[°o] ?\d{1,5}(?: [A-Z]{1,3})? du " + _DATE + r" \(" + _POURVOI
)
# The further pourvois of a ruling given on several: « n° 19-13.425 et n° 19-13.426 », « n°s
# 19-13.425, 19-13.426 et 19-13.427 ».
# (each may have its letter, as the Cour de cassation writes them: « n° S 22-21.562 et
# F 22-24.197 »)
_POURVOI_MORE_RE = re.compile(
    r"(?:,| et| ou) (?:n[°o]s? ?|pourvoi (?:n[°o] ?)?)?(?:[A-Z] )?" + _POURVOI
)
_POURVOI_RE = re.compile(
    r"(?<![\w])(?:[Pp]ourvois? n[°o]s? ?|[Pp]ourvoi ?: ?|[Nn][°o] de pourvoi ?:? ?|[Pp]ourvoi )"
    r"(?:[A-Z] )?" + _POURVOI
)
# « l'arrêt n° 17-20.123 de la Cour de cassation », « N°16-26371 » under its heading: a pourvoi's
# number after « n° » in an item naming the Cour de cassation (with its dot, or in an item naming
# no lower court: a cour d'appel may number « 21-02009 »).
_POURVOI_MARKED_RE = re.compile(r"(?<![\w])[nN][°o]s? ?" + _POURVOI)
# The chamber alone, as legal writers cite it: « Crim. 1er mars 2000 », « Soc., 5 mai 2010 »,
# « Civ. 1re, 20 janv. 2021, n° 19-20.680 », « Civ. 1, 10 mai 2006, pourvoi n° 04-18.653 ».
_CASS_CHAMBER_RE = re.compile(
    r"(?<![\w.])(?:Crim\.|Soc\.|Com\.|Civ\.(?: ?[123](?:re|ère|e|ème)?\.?)?|Ass\. pl[ée]n\."
    r"|Ch\. mixte),? "
    + _DATE
    + r"(?:"
    + _CASS_CODE
    + r"(?:,? | \()(?:n[°o]s? ?|pourvoi (?:n[°o] ?)?)?"
    + _POURVOI
    + r")?"
)
# Légifrance's and Juricaf's titles: « Cour de cassation, civile, Chambre sociale, 10 juillet
# 2013, 12-15.177, Inédit ».
_CASS_TITLE_RE = re.compile(
    # (the chamber abbreviated may end without a comma: « Cour de Cassation, ch. com. 1er mars
    # 2016 »; not « chambre sociale » then a date, as a title and the next line)
    r"(?=C)(?<![\w])Cour de [Cc]assation,(?: [^,;()\n]{1,60},){0,3}(?: [^,;()\n\d]{1,30}?\.)? "
    + _DATE + _CASS_CODE
    + r",? (?:n[°o] ?|pourvoi (?:n[°o] ?)?)?" + _POURVOI
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
    + r"(?:,? (?:n[°o] ?|pourvoi (?:n[°o] ?)?)" + _POURVOI + r")?"
)  # fmt: skip
# The further rulings of a citation by date (« … 19/04/2000 et 9/11/2004 »).
_MORE_DATE_RE = re.compile(r" et (?:du )?" + _DATE + r"(?=[,;.)]|$)")
# « Par un arrêt du 2 octobre 2024, publié au bulletin, la Cour de cassation … »
_CASS_AFTER_RE = re.compile(
    # (« un arrêt de principe[1] du 20 mai 2020 »: a qualifier and a footnote call between)
    r"(?=[ad])(?<![\w])(?:d[ée]cision|arr[êe]t)(?: de principe| remarqu[ée]e?)?(?:\[\d{1,3}\])?"
    r"(?: en date du| du| rendue? le) " + _DATE
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
_LOWER_NAMED_RE = re.compile(
    r"(?i)cour d['’ ]appel|\bCA\b|tribunal|\bT[AJ]\b|\bTGI\b|\bCAA\b|prud['’ ]"
)
_COURT_NAMED_RE = re.compile(r"(?i)cour de cassation|cour d['’]appel|tribunal|conseil de prud")
_CASS_CHAMBER_AFTER_RE = re.compile(
    r"(?=[ad])(?<![\w])(?:d[ée]cision|arr[êe]t)(?: rendu| en date)? (?:du|le) " + _DATE
    + r"(?: \((?:n[°o] ?|pourvoi (?:n[°o] ?)?)?" + _POURVOI + r"\))?"
    + r"(?:, [^\d,;()\n]{1,40})?, la " + _CASS_CHAMBERS
)  # fmt: skip
# « l'arrêt de la chambre sociale du 25 novembre 2020 (n° 17-19.523) », « la chambre sociale de
# la Cour de cassation a jugé le 25 novembre 2020 que … »
_CASS_CHAMBER_OF_RE = re.compile(
    r"(?<![\w])(?:[Aa]rr[êe]ts?|[Dd][ée]cisions?) de la " + _CASS_CHAMBERS
    + r"(?: de la Cour de [Cc]assation)?(?: en date)? du " + _DATE
    + r"(?: \((?:n[°o] ?|pourvoi (?:n[°o] ?)?)?" + _POURVOI + r"\))?"
)  # fmt: skip
_CASS_CHAMBER_JUDGED_RE = re.compile(
    r"(?<![\w])(?:[Ll]a |[Ll]['’])" + _CASS_CHAMBERS + r"(?: de la Cour de [Cc]assation)?,? "
    + _JUDGED_ON + _DATE
)  # fmt: skip
_CASS_CHAMBER_THEN_RE = re.compile(
    r"(?<![\w])(?:[Ll]a |[Ll]['’])" + _CASS_CHAMBERS
    + r"(?: de la Cour de [Cc]assation)?,? (?:dans|par) (?:un|son|une|sa)"
    + r" (?:arr[êe]t|d[ée]cision|avis)"
    + r"(?: rendu| en date)? du " + _DATE
    + r"(?: \((?:n[°o] ?|pourvoi (?:n[°o] ?)?)?" + _POURVOI + r"\))?"
)  # fmt: skip
# The Conseil constitutionnel by date, as legal writers cite it: « Cons. const., 27 sept. 2013 »
# (with its number when written: « …, n° 2013-341 QPC », « Cons. const., 16 juil. 1971, n° 71-44
# DC »: a year in two digits, the date's).
_CC_DATED_RE = re.compile(
    # « Conseil constitutionnel, 20 mai 2021 », its name in full as Légifrance's titles write it
    # round 23: « CC, 22 janvier 1980 », the initials with a comma and a date (the code civil's
    # « CC » is never followed by a date)
    r"(?<![\w])(?:Cons\. ?const(?:it)?\.?,?|Conseil constitutionnel,|CC,) (?:d[ée]c\. )?"
    + _DATE
    + r"(?:,? (?:d[ée]c(?:ision|\.) )?(?:n[°o] ?)?(?P<y>\d{4}|[5-9]\d)-(?P<n>\d{1,4}) ?"
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
    + r"(?:,? \(?(?:n[°o]s? ?|pourvoi (?:n[°o] ?)?)"
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
# (« la décision « French Data Network et autres » rendue par le Conseil d'Etat statuant au
# contentieux le 21 avril 2021 (n° 393099, 394922) »: its name in quotes, the formation, the
# Conseil d'État's requêtes after the date)
_SUPREME_RENDERED_RE = re.compile(
    r"(?=[DdAa])(?<![\w])(?:[Dd][ée]cisions?|[Aa]rr[êe]ts?|[Aa]vis)(?: «[^«»]{1,80}»)?"
    r" rendue?s? par (?:la |le |l['’])?"
    r"(?:[^,;.()\n\d]{0,40}? )?" + _SUPREME + r"(?: (?:statuant|si[ée]geant) au contentieux)? le "
    + _DATE + r"(?: \(n[°o]s? ?(?P<num>\d{5,6})(?![\d/-]))?"
)  # fmt: skip
_SUPREME_GAVE_RE = re.compile(r"(?<![\w])" + _SUPREME + r",? a rendu,? le " + _DATE)
# What a ruling did to a text or a party, in the passive, then its date: « confirmé par la Cour
# de cassation le 26 septembre 2007 », « annulé par le Conseil d'État le 22 septembre 2022 »,
# « censurée par le Conseil constitutionnel le 25 janvier 2024 », « condamné définitivement par
# … le » (a past participle of a ruling's verbs, an adverb at most before « par »; never « saisi
# par … le », « proclamés par … le »)
_SUPREME_PASSIVE_RE = re.compile(
    r"(?<![\w])(?:confirm|valid|annul|censur|rejet|cass|tranch|condamn|sanctionn|infirm|examin"
    r"|jug)[ée]e?s? (?:[^\W\d_]+(?:ment|MENT) )?par (?:la |le |l['’])" + _SUPREME
    + r"(?: (?:statuant|si[ée]geant) au contentieux)? le "
    + _DATE + r"(?: \(n[°o]s? ?(?P<num>\d{5,6})(?![\d/-]))?"
)  # fmt: skip
# « le Conseil constitutionnel, dans sa décision du 15 octobre 2021 », « la Cour de cassation,
# par un arrêt du … », and « la décision du Conseil constitutionnel du 15 octobre 2021 »
_SUPREME_THEN_RE = re.compile(
    r"(?=[Cc])(?<![\w])"
    + _SUPREME
    + r",? "
    + _SUBJECT_VERB
    + r"(?:dans|par) (?:une|un|sa|son|l['’]) ?"
    r"(?:d[ée]cision|arr[êe]t|avis)(?: (?:QPC|DC))?(?: en date du| du| rendue? le) "
    + _DATE
    + _NUMBER_AFTER_DATE
)
# « la Cour de cassation a jugé, le 25 novembre 2020, que … », « le Conseil d'État a annulé le 27
# mai 2021 … »
_SUPREME_JUDGED_RE = re.compile(
    r"(?=[Cc])(?<![\w])" + _SUPREME + r",? " + _JUDGED_ON + _DATE
)  # fmt: skip
# (its number may follow the date, in brackets or after a comma: « l'arrêt du Conseil d'État du 19
# juin 2020 (n° 430810) » is that requête; « la décision du Conseil constitutionnel du 29 décembre
# 2013 (n° 2013-685 DC) » is keyed by its number alone)
_SUPREME_OF_RE = re.compile(
    r"(?=[DdAa])(?<![\w])(?:[Dd][ée]cisions?|[Aa]rr[êe]ts?|[Aa]vis) (?:du |de la )" + _SUPREME
    + r"(?: \([^()]{0,60}\))? (?:en date )?du " + _DATE + _NUMBER_AFTER_DATE
)  # fmt: skip
_FRONTED_COURT_LITERALS = (", la cour", ", la Cour", ", le Conseil", ", le CE", ", le C.E.",
                           ", le tribunal", ", le Tribunal")  # fmt: skip
_SUPREME_KEYS = {"cour de cassation": ("cass", "Cour de cassation"),
                 "conseil constitutionnel": ("cc", "Conseil constitutionnel")}  # fmt: skip
# « Le 12 juillet 2016, la Cour de cassation a cassé … », « Le 19 décembre 2013, la cour d'appel
# de Papeete a déclaré … »: a ruling's date fronted at a sentence's start, the court its subject
# and a verb in the past right after (never « Le 3 mars, la Cour de cassation publie … » nor « …
# a été saisie »).
_FRONTED_RE = re.compile(
    r"(?=[Ll]e )(?:(?<=^)|(?<=[.;:] )|(?<=\n))[Ll]e " + _DATE + r", (?:la |le |l['’])"
    r"(?:" + _SUPREME + r"|" + _LOWER_COURT.replace("?P<court>", "?P<lower>") + r")"
    r"(?: \([^()]{0,40}\))?,? (?:a |avait |s['’]est |l['’]a |les a |lui a )(?!été\b)"
)
# The Cour de cassation's avis by their own number (series 70): « Demande d'avis n° X 22-70.005 »,
# « Avis n° 19-70.010 de la Cour de cassation », « (demande n° 21-70.023) ».
_CASS_AVIS_RE = re.compile(
    r"(?=[DdAa])(?<![\w])(?:[Dd]emande d['’]avis|[Dd]emande|[Aa]vis) n[°o] ?(?:[A-Z] )?"
    r"(?P<num>\d{2}-70\.? ?\d{3})(?![\d.])"
)
# The Court of Justice of the EU and the General Court: « CJUE, 1er oct. 2019, Planet49,
# C-673/17 », « aff. C-131/12 »: key eu:case:<C or T>-<number>/<yy>.
_EU_CASE_RE = re.compile(
    # (a case glued to the date before it, as extracted: « 27 janvier 2021C-229/19 »)
    r"(?=[aACT])(?:(?<![\w/-])|(?<=19\d\d)(?=[CT]-)|(?<=20\d\d)(?=[CT]-))"
    r"(?:(?P<aff>[Aa]ff(?:aires?|\.)(?: jointes)?) )?"
    r"(?P<court>[CT])-(?P<n>\d{1,4})/(?P<y>\d{2})(?![\w/])"
)
# The court named before the case number: « CJUE », « Trib. UE », « TPICE », or « la Cour » of
# an EU text (« arrêt de la Cour du 16 juillet 2020, Facebook Ireland et Schrems (C-311/18) »).
_EU_COURT_RE = re.compile(
    r"CJUE|CJCE|CJ UE|Cour de justice|Tribunal de l['’]Union|Trib\. ?UE|Tribunal de l['’ ]UE"
    r"|TPI(?:CE|UE)?\b|Tribunal de premi[èe]re instance|\bCour\b"
    # the court's own lists and headings: « Arrêt du 2 mai 2019, Asendia Spain (C-259/18) »
    r"|[Aa]rr[êe]t du \d|[Oo]rdonnance du \d|[Aa]vocat g[ée]n[ée]ral|[Rr]envoi pr[ée]judiciel"
    # a judgment named by its party (« l'arrêt Schrems II (C-311/18) »)
    r"|[Aa]rr[êe]t [A-Z]"
    # the judgment named by its number right after « arrêt » (« l'arrêt C-311/18 de la CJUE »,
    # « l'arrêt T-612/17 Google Shopping »; the search ends at the number)
    r"|(?<![\w])[Aa]rr[êe]t $"
)
CURIA_CASE = "https://curia.europa.eu/juris/liste.jsf?num={}"


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


def _high_court_rulings(t: str, found: set[str]) -> Iterator[_Cand]:
    """The Conseil d'État's, the Cour de cassation's, the Conseil constitutionnel's rulings,
    and a ruling by a date fronted at a sentence's start (« Le 12 juillet 2016, la cour … »)."""
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
        if "cision" in t and _OTHER_COURT_RE.search(t) is None:
            for m in (m for r in _CE_SITE_RES for m in r.finditer(t)):
                if _CE_NAMED_RE.search(t, max(0, m.start() - _CE_SITE_REACH), m.start()):
                    yield _dated_or_numbered(m, "ce", "Conseil d'État")
        if "ous le" in t:
            for m in _CE_UNDER_NUMBER_RE.finditer(t):
                yield _dated_or_numbered(m, "ce", "Conseil d'État")
    if "cass" in found:
        for m in (*_CASS_RE.finditer(t), *_CASS_NUMBER_RE.finditer(t)):
            yield from _with_more(t, m, "cass", "Cour de cassation")
    if "pourvoi" in found:
        for m in _POURVOI_RE.finditer(t):
            num = _pourvoi(m.group("num"))
            yield _decision_cand(m.start(), m.end(), f"fr:cass:{num}",
                                 f"Cour de cassation, pourvoi n° {num}")  # fmt: skip
            if m.group(0)[:8].lower() == "pourvois":  # « les pourvois n° … et … »
                end = m.end()
                while (more := _POURVOI_MORE_RE.match(t, end)) is not None:
                    yield _dated_or_numbered(more, "cass", "Cour de cassation")
                    end = more.end()
    if "chamber" in found:
        for m in _CASS_CHAMBER_RE.finditer(t):
            yield from _with_more(t, m, "cass", "Cour de cassation")
    if "cassation" in found:
        for pattern in (_CASS_DATED_RE, _CASS_TITLE_RE, _CASS_TITLE_DATED_RE, _CASS_AFTER_RE,
                        _CASS_FORMATION_RE):  # fmt: skip
            for m in pattern.finditer(t):
                yield from _with_more(t, m, "cass", "Cour de cassation")
    if "hambre" in t or "lénière" in t or "leniere" in t:
        for m in (
            *_CASS_CHAMBER_AFTER_RE.finditer(t),
            *_CASS_CHAMBER_THEN_RE.finditer(t),
            *_CASS_CHAMBER_OF_RE.finditer(t),
            *(_CASS_CHAMBER_JUDGED_RE.finditer(t) if _JUDGED_HINT_RE.search(t) else ()),
        ):
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
        lower_named = _LOWER_NAMED_RE.search(t) is not None
        for m in _POURVOI_MARKED_RE.finditer(t) if cass_named is not None else ():
            if "." in m.group("num") or not lower_named:
                yield from _with_more(t, m, "cass", "Cour de cassation")
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
    if supreme and (" par la " in t or " par le " in t or " par l'" in t or " par l’" in t):
        supreme.append(_SUPREME_PASSIVE_RE)
    judged = _JUDGED_HINT_RE.search(t) is not None
    if judged and supreme:
        supreme.append(_SUPREME_JUDGED_RE)
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
            if m.groupdict().get("ccnum") or (court != "ce" and m.groupdict().get("num")):
                continue  # keyed by its number (``_CC_RE``), not by its date as well
            if court == "ce":
                yield from _with_more(t, m, court, name)
            else:
                yield _dated_or_numbered(m, court, name, numbered=False)
