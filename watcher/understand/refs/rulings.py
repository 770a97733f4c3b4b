"""Court rulings: Conseil constitutionnel, Conseil d'État, Cour de cassation, lower, EU courts."""

from __future__ import annotations

import re
from collections.abc import Iterator

from watcher.dates import date_fr
from watcher.text import name_key
from watcher.understand.refs.candidates import _Cand
from watcher.understand.refs.dates import _DATE, _parse_date
from watcher.understand.refs.links import _legifrance_search
from watcher.understand.refs.table import _fold

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


def _decision_cand(
    start: int, end: int, key: str, label: str, url: str = "", link: str = ""
) -> _Cand:
    link = link or ("official" if url else "search")
    return _Cand(start, end, "decision", key, label, url or _legifrance_search(label), link)


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
