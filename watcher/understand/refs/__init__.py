"""Recognise legal and normative references in French (and English EU) text.

Pure package: no I/O except reading its own data table once
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
  ``eu:celex:32016R0679R(02)``; recommendations ``H``: ``eu:celex:32014H0710``; the CFSP's
  common positions and joint actions ``E``: « position commune 2008/944/PESC » is
  ``eu:celex:32008E0944``).
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
  judiciaires ``tj-``, de grande instance ``tgi-``, de commerce ``tc-``, conseils de prud'hommes
  ``cph-``: ``fr:juris:ca-rouen:21-02009``, ``fr:juris:caa-paris:18PA01234``,
  ``fr:juris:cph-paris:F-19-01234``); the EU courts' ``eu:case:<C or T>-<number>/<yy>``; the
  European Court of Human Rights' ``int:cour-edh:<application n°>`` (« CEDH, gr. ch., 15 nov.
  2016, A et B c. Norvège, n° 24130/11 » → ``int:cour-edh:24130/11``, one per application) or
  ``int:cour-edh:du-<date>`` (« CEDH » names the Court only with a ruling's date or number; the
  Convention is ``int:cedh``); a regulator's decision,
  avis or délibération ``fr:<body>:<number>`` or ``fr:<body>:du-<date>`` with ``<body>`` among
  ``adlc`` (Autorité / Conseil de la concurrence), ``arcep``, ``cnil``, ``cre``, ``asn``,
  ``arcom``, ``amf``, ``acpr``, ``has`` (Haute Autorité de santé, its number's slashes as
  hyphens: ``fr:has:2017.0109-DC-SJ``) (``fr:adlc:19-A-06``, ``fr:adlc:19-DSA-023``,
  ``fr:cnil:SAN-2021-023``; the AMF's doctrine ``fr:amf:DOC-2020-03``, ``fr:amf:2013-02``), and
  ``fr:deliberation:<number>`` for a délibération whose body the item does not name. « Par
  jugement du …, le tribunal a … » (« Par un arrêt du …, la cour ») is the lower court of that
  kind named last before it in the item; « Sous le n° 491629, … demande au Conseil d'Etat » is
  that requête; « Cons. const., 16 juil. 1971, n° 71-44 DC » is the number's decision alone (a
  two-digit year, the date's or the year before); the Conseil constitutionnel's page address
  (``…/decision/2025/20251129QPC.htm``) keys its decision, and so do « QPC n° 2021-940 » and
  « Conseil constitutionnel, 20 mai 2021 » (by date); « confirmé par la Cour de cassation le … »,
  « annulé par le Conseil d'État le … », « censurée par le Conseil constitutionnel le … » (a
  ruling's verb in the passive) is that court's ruling of that date; a pourvoi may stand in
  brackets after the date or follow « pourvoi » without « n° »,
  and « n° 17-20.123 » alone is one in an item naming the Cour de cassation (its dot, or no lower
  court named); « décision … prononcée le … par le tribunal de … » is that court's ruling; a
  délibération's number in brackets after its date keys it (« délibération du 21 janvier 2021
  (n° 2021-13) de la CRE »); a serial of one digit (« délibération du CSA n° 2011-1 ») needs its
  body named (in the citation for a décision or avis), never a local one's. A dated
  act needs its body in the citation (« délibération de la CRE en date du … », « décision du … de
  la commission des sanctions de l'AMF », « AMF, Commission des sanctions, décision du … ») or,
  for a délibération, named in the 400 characters before it or as the subject later in its
  sentence; a recommandation by date needs its body in the citation or right after it (« la
  recommandation de la CNIL du 17 septembre 2020 »); a number after a dated act's comma keys it
  (« AMF, décision du 18 mars 2020, n° SAN-2020-03 »); a local authority's délibération (conseil
  municipal, communautaire…) is never keyed. A « SAN-… » sanction is the CNIL's unless the AMF is
  named in its citation, right after it or last in the 200 characters before it; its number
  alone (« … (SAN-2021-023) ») is keyed in an item naming its body and not the other (the CNIL's
  have three digits after the year, the AMF's one or two). A délibération of before 2000 is
  numbered with a two-digit year (« délibération n° 80-021 du 24 juin 1980 »), a list of them
  goes on past each one's date. The CNIL's formal notices are « MED-2019-013 »; the ARCEP's
  numbers until 2008 « 06-0160 » and the ACPR's collège decisions « 2021-C-45 » are keyed with
  their body named (the ART, the ARCEP's former name, only in full).
  Regulators' full names are read in any case of their words (« Autorité des Marchés
  Financiers »). A publisher's « Cour d'appel, Paris, Pôle 5, chambre 4, 25 Mai 2022 – n° 20/05430 »
  is that cour d'appel's ruling; « l'arrêt C-311/18 » an EU court's case; a pourvoi may end a
  sentence (« n° 20-22.977. ») and « Cour de Cassation, ch. com. 1ermars 2016 » is read. A
  registry number may be written « n° RG 20/01234 » after a lower court's date; a high court's
  number may follow its date in brackets or after a comma (« l'arrêt du Conseil d'État du 19
  juin 2020 (n° 430810) », « le Conseil constitutionnel, dans sa décision du 29 décembre 2013 (n°
  2013-685 DC) »: keyed by the number alone), and so may a lower court's after « a jugé, par un
  arrêt du … (req. n° 20NT02159) »; a list of pourvois goes on with each one's letter (« les
  pourvois n° S 22-21.562 et F 22-24.197 »); « Cassation sociale, 15 février 2023, n° … » is the
  Cour de cassation's; « deux arrêts rendus le … par la cour d'appel de … » its ruling by date;
  a sanction's number may have spaces for its hyphens (« SAN 2023 006 »).

* ``<type>`` is ``loi`` (also lois organiques / constitutionnelles / de finances, which share the
  chronological numbering), ``ordonnance``, ``decret``, ``decret-loi``, ``arrete``, ``circulaire``.
  A text cited only by type and date (``arrêté du 15 octobre 2018``) gets a date key, which is not
  unique (several arrêtés can share a date); when the same text also cites a numbered text of the
  same type and date (``loi n° 2000-597 du 30 juin 2000`` … ``la loi du 30 juin 2000``), the number
  key is reused; « la loi constitutionnelle du 1er mars 2005 » gets the number of the one loi
  constitutionnelle of that date (a table of the Fifth Republic's) the item cites by number.
  The Revolution's texts dated by two days (« loi des 16 et 24 août 1790 ») are keyed by the
  first (``fr:loi:du-1790-08-16``); « ordonnance royale », « décret impérial » are read. A date
  may have a two-digit year with slashes (« Arrêté du 14/06/17 »: 1941–2040). An arrêté or a
  circulaire may name its issuer (« arrêté du ministre de … du … », « circulaire du Premier
  ministre du … ») or its kind (« arrêté interministériel », « circulaire ministérielle » /
  « interministérielle » du …); the date keys it.
* Code slugs are readable (``consommation``, ``commerce``, ``civil``…, see the data file),
  not LEGITEXT ids: a slug exists for every code, a verified LEGITEXT id does not. Articles are
  written without dots or spaces: ``L121-1``, ``R*123-4``, ``LO141``, ``1240``; a prefixed
  article's extraction typos are read as the hyphens they stand for (« L. 592.31 », « Art.
  L2121.7 », « L 111 -1 », and « L. 247 2 » right before the code's name); « L. 121-92-1
  [nouveau] du code … » is that article. A range
  ``L. 121-1 à L. 121-7`` yields one reference per article *written* (both ends, not the
  articles in between); « R.* 366-5 » is ``R*366-5``; an ordinal alinéa may stand between the
  article and its code (« art. L145-4 3ème alinéa du … »), and « du Code commerce » (« de »
  lost before a noun, no word after) is the code; « l'article 1134, devenu 1103, du code civil »
  (the article it became between commas, in a list too) is both; a list yields one per item
  (« , et » may separate them), and goes on after
  a code's name (« R. 311-3
  du code de l'organisation judiciaire, 122 et 125 du code de procédure civile »); « le Code de
  commerce (article L310-3) » is that article. ``du même code`` / ``dudit code`` /
  ``de ce code`` / ``du présent code`` / ``du code précité``, and an article written without a
  code (« l'article R. 462-4 »), resolve to the last code named earlier in the item; an article
  with a plain number (« l'article 1240 ») only in an item about a code so numbered (named in
  its first paragraph: civil, pénal, procédures, douanes, impôts) or right after such a code was
  named (300 characters, no other text named between). A code-numbered article (« L. », « R. »,
  « D. » and a hyphen) before any code is named is the one code the rest of its sentence names by
  its full name, with no other text, article or number between (« l'article L3323-3-1 viendra
  compléter … du Code de la santé publique »; one reference with the code's name when a few
  words only stand between: « article L. 3323-3-1 dans le code de la santé publique »). An
  article of the code du travail's numbering (« L. 1233-30 ») in an item that names no code by
  its full name, speaks of work (salariés, employeur, licenciement…) and not of communes, public
  procurement, public health, transport or defence is the code du travail's. A code pointed back
  to without an article (« ce code », « ledit code », « le nouveau code », « le code » before a
  verb such as « prévoit » or « fixe ») is the last code named before when no other « code » is
  written between; « le / du présent code » is the code the item is (round 32).
* An EU act by its type and signature date without its number (« la directive du 11 mai 2005 »,
  « le règlement communautaire du 11 février 2004 ») is the act of that type signed that day in
  the table's ``eu_act_dates`` whose subject the item speaks of (never the date alone: several
  acts share a day), not a proposal (round 32).
* Common names may follow « dite » (« la loi dite Hamon », « directive dite « BRRD » ») and
  write « & » for « et »; a name right after « proposition de » / « projet de » (a bill), or the
  short title in brackets of an EU proposal's title, is not the act; a name right before its own
  number (« directive « BRRD » 2014/59/UE ») is one reference. « La loi Chatel » is the loi n°
  2008-3 with « 2008 » next to it or in an item that does not say « 2005 », else the loi n°
  2005-67 in an item on insurance or tacit renewal, else not keyed. A list of names after one
  plural type word (« les lois Hamon et Macron », « les lois Egalim 1 et 2 », a rank alone being
  the previous name's) is one reference per name when every item is a name of the table (« les
  lois Auroux », a group, is not keyed).
  « La loi Badinter » is the loi n° 85-677 with « 1985 » next to it or in an item on accidents,
  victims or compensation, else not keyed (the 1981 loi shares the name). « La loi de 1989 » on a
  rental page is the loi n° 89-462, « la loi de 1965 » on a co-ownership page the loi n° 65-557
  (« de » may be left out, as « la loi de 1978 » / « de 1986 » on their subjects). A name of the
  table in brackets after a loi cited by date (« la loi du 24 mars 2014 (Alur) ») keys it when the
  act bears that date; « <text> dite loi X » without a comma is one reference (with a comma, an
  aside, two); a name in quotes after « projet de » is a bill. Round 29: the short name an act
  found by its number or name is given right after it, in brackets (« la loi de modernisation de
  l'économie (LME) », an acronym of three characters or more, a type word and a name, or one of
  its table names) or after « dite » / « dit » agreeing with it (its date and title may come
  between: « … sur le prix du livre (dite « loi Lang ») »), is that act, one reference more.
* ``<body>`` is the standard's prefix in lower case with spaces and slashes turned into hyphens
  (``NF EN ISO`` → ``nf-en-iso``, ``ISO/IEC TR`` → ``iso-iec-tr``; ``CEI`` is written ``iec``);
  classification indexes are written ``z42-013``; amendments ``a1`` or ``amd1:2024``. An
  edition year may follow « v » or a hyphen (« ISO 9001 v2015 », « ISO 9001-2015 »: four or five
  digits, no part); a list goes on with bare numbers of the same ISO body (« ISO
  9001/14001/45001 », « les normes ISO 9001 et 14001 ») and of the same European body, ranges with
  both ends (« les normes NF EN 1176 et 1177 », « EN 1176-1 à 1176-7 »); a bare « EN 388 » right
  after « selon » (« testé selon EN 388 ») is a standard, and so are a bare EN number with an ETSI
  version (« EN 301 549 V3.2.1 »), one right after a piece of protective equipment (« Lunettes EN
  166 », « casque EN 397 », « Gants anti-coupures EN 388 »; not a count or a year) and « NF EN »
  with one or two digits (« NF EN 3 », « NF EN 54 »). An edition may follow « v » glued (« ISO
  27001v2013 », parts allowed), « , version », « édition », « en version » or « de (mois) » (« NF
  P 11-213-3 de mars 2005 », « d'août 2017 »; not « de 2010 à 2020 »); a classification index may
  have a part
  (``std:nf:p11-213-3``); « certifié ISO-9001 »,
  « norme EN-71 » (one body, a hyphen, after a cue), « DTU 20.1 » (``std:dtu:20.1``), « OHSAS
  18001 », « BS OHSAS 18001 » and, after a « norme » cue, « HD 384 » are read; « EN NF 1176-3 » is
  the NF EN. A classification index may have two parts (``std:nf:p84-204-1-1``); « DTU 43-1 » and
  « Document Technique Unifié (DTU) 43.1 » are ``std:dtu:43.1``; a corrigendum or an amendment
  after a slash keeps its year (``std:en:556-1:2001/ac:2006``, ``…/a1:2013``; « +A1:2009 »
  keeps none); a blank line ends a designation (« CEN », then « EN 556-1:2001 » in the next cell
  of an Official Journal list is ``std:en:556-1:2001``). ETSI: « ETSI EN 303 645 » is the EN
  (``std:en:303645``), its technical specifications and reports ``std:etsi-ts:103097``,
  ``std:etsi-tr:103621`` (« TS 103 848 » alone in an item naming ETSI).

Pinpoints: « article 82 de la loi n° 2016-731 », « loi n° 2010-737, art. 3 », « articles 101 et
102 du TFUE », « la loi n° 78-17 …, notamment son article 8 » give the act's key with ``pinpoint``
``art-82`` (``full_key`` ``fr:loi:2016-731#art-82``), one reference per article of a list. The
article's subdivisions are read past and not kept (« art. 6.1.a du RGPD », « article 6, paragraphe
1, point b du RGPD », « article 8-1, VI, alinéa 1er, de la loi … », « article 6-I-5 de la LCEN »,
« article 4, point 11), du RGPD », « article 4 (11) RGPD », « 6§1 », « Article 28(3) of the GDPR »
give ``art-6``, ``art-8-1``…; « l'article 192 modifié du décret … » keeps ``art-192``);
« l'article 18 de la même loi » (« du même décret », « de ladite loi », « dudit décret ») is the
last text cited before when it is of that type; « l'article 58 de
la loi qui … » (« de la loi » alone, then a verb or punctuation) the one text cited before when it
is a loi; « l'article 4 de cette directive » (« du même règlement ») the last EU act cited before
when it is one. Across the item (``anaphora.py``): « article 2.6 du règlement », « de la
directive », « du décret », « articles 2 et 17 de ce texte » are the one text of that type cited
before (nothing when two compete); « l'article 200 » after « l'article 200 du CGI » is that
article again; « (art. 8) » the one text the item names; a name the item gives a text (« … dit
Règlement OSP ») that text when written again. The key stays the act's, so everything grouped
by key (facets, digests, dossiers) groups by act; ``pinpoint_url`` links the article when the
act's link is a Légifrance ELI (``…/jo/article_82``). Code articles keep their article in the key.
« loi ALUR : art. 14 » (a colon before the article) is a pinpoint too.

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

Extraction noise: mojibake (UTF-8 read as Windows-1252 or Latin-10: « DĂ©libĂ©ration »,
« dÃ©cret nÂ° ») is read as the characters it stands for, spans staying on the original text;
« déclaration des droits de lhomme » (an apostrophe lost) is the DDHC. EU acts' names ending with
a rank (« la DSP2 », « DSP 1 », « NIS2 ») are read alone.

Time: a text's number or year after the next year is not read as a text's; the bound is the
``today`` the caller gives ``find_references`` (the enrichment gives its run's date, the search
its ``now``). ``RULES_VERSION`` is part of the enrichment's signature with ``data_digest()``:
bump it when a change of this package finds other references on the same text.

Quality on real text (``tests/data/refs/real_*.jsonl``): ``python -m benchmarks.quality``.

Package layout, one module per concept: ``core`` (the public API and the order the matchers run
in), ``links``, ``table`` (the alias table), ``normalise``, ``dates``, ``candidates``,
``french_texts``, ``identifiers``, ``eu_acts``, ``named_acts``, ``codes``, ``standards``,
``fundamentals``, ``rulings`` (what every court shares), ``high_courts``, ``lower_courts``,
``echr``, ``regulators``, ``decisions``, ``pinpoints``, ``assembly``.
"""

from watcher.understand.refs.core import (
    RULES_VERSION,
    Reference,
    aliases,
    find_references,
    resolve_reference_query,
)
from watcher.understand.refs.table import data_digest

__all__ = [
    "RULES_VERSION",
    "Reference",
    "aliases",
    "data_digest",
    "find_references",
    "resolve_reference_query",
]
