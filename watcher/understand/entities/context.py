"""Cues the words around an entity mention give, from news practice (the ninth round): a
street's head ("l'avenue Jean-Médecin", "la rue de Paris"), a company's officer or staff
("la directrice générale de Cafpi", "chez Coop", "le service client Colissimo"), a medium's
head and an adjective ("le magazine américain Consumer Reports"), a common acronym before
its place ("le SAMU de Strasbourg"), a protected designation ("Gruyère AOP"), a class of
companies before the names of its examples ("des prestataires comme Mega, Eneco ou
Lampiris") and a closing bracket or quote a name did not open ("(BAD),la Banque …"). Word
lists and small functions on a spaCy Doc's tokens or a text; :mod:`.spans` and
:mod:`.mentions` apply them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported lazily: `watcher check` must not pay for it
    from spacy.tokens import Doc


def wordset(words: str) -> frozenset[str]:
    """The words of ``words`` (split on spaces) as a set: the word lists of the entity rules."""
    return frozenset(words.split())


# Heads of streets and seaside places. With a "de" link the head is part of the name ("la rue
# de Paris", "le boulevard du Mercantour", "la plage de Pampelonne", as WikiNEuRal's
# "boulevard des Pyrénées"); right before a name it is not ("la rue Jean-Burger", "l'avenue
# Raymond-Feraud": the street is the name of the person or place it honours). Not "place",
# "cours", "route": « à la place de », « au cours de », « la route de Bordeaux ».
STREET_HEADS = wordset("rue avenue boulevard allée impasse quai promenade plage esplanade")
_LINKS = wordset("de du des d' d’")
_ARTICLES_AFTER_DE = wordset("la l' l’")


def street_head_before(doc: Doc, start: int, floor: int) -> int | None:
    """Start of a street's head and its "de" link right before a name ("rue de" + "Paris",
    "Promenade des" + "Anglais", "rue de la" + "Paix"), tokens from ``floor`` on; or None."""
    j = start - 1
    if j > floor and doc[j].text.lower() in _ARTICLES_AFTER_DE and doc[j - 1].text == "de":
        j -= 1
    if j <= floor or doc[j].text.lower() not in _LINKS:
        return None
    return j - 1 if doc[j - 1].text.lower() in STREET_HEADS else None


def is_street_head(word: str, next_word: str) -> bool:
    """A street's head in lower case right before a capitalised name: "rue" in "rue
    Jean-Burger" (no part of the name)."""
    return word in STREET_HEADS and next_word[:1].isupper()


# Officers and staff of a company or a body: the name after them and a "de" link is the
# company's or the body's when the model called it a person ("le président de Procos", "le
# patron de Génivar", "les salariés de Wekiwi"): nobody is the president of a person. Other
# labels stay: « le président du Sénégal », « le directeur adjoint du Village » (with places,
# news2's held-out floor broke; with products, news3's: « le directeur du Festival … »).
_OFFICERS = wordset(
    """directeur directrice directeurs directrices pdg p.-d.g. dg drh patron patronne patrons
    dirigeant dirigeante dirigeants dirigeantes cofondateur cofondatrice salarié salariée
    salariés salariées employé employée employés employées actionnaire actionnaires clients
    abonnés président présidente fondateur fondatrice fondateurs responsable responsables
    porte-parole secrétaire secrétaires gouverneur gouverneure sélectionneur sélectionneuse"""
)
_OFFICE_ADJECTIVES = wordset(
    "général générale généraux adjoint adjointe exécutif exécutive délégué déléguée"
)
_CUSTOMER_SERVICE = wordset("client clients consommateurs")


def employer_cue(doc: Doc, first: int, label: str) -> str | None:
    """ "ORG" when the words before a name make it the company or body someone works for or
    buys from: an officer and a "de" link before a name the model called a person (see
    _OFFICERS), "chez" before one it called a place or a product ("chez Coop"), or a
    customer service before one it called a person, a place or a product ("le service client
    Colissimo", "le service clients de Free"); else None."""
    i = first - 1
    if i < 1:
        return None
    word = doc[i].text.lower()
    if word == "chez":
        return "ORG" if label in ("LOC", "MISC") else None
    if word in _ARTICLES_AFTER_DE and doc[i - 1].text == "de":
        i -= 1
        word = "de"
    if word in _LINKS:
        i -= 1
    while i > 0 and doc[i].text in _OFFICE_ADJECTIVES:
        i -= 1
    if i < 0:
        return None
    word = doc[i].text.lower()
    if word in _CUSTOMER_SERVICE and i > 0 and doc[i - 1].text.lower() == "service":
        return "ORG"
    if i == first - 1:
        return None  # no link: "le directeur Jean Dupont" is a person
    return "ORG" if word in _OFFICERS and label == "PER" else None


def after_a_common_acronym(
    words: list[str], start: int, end: int, not_names: frozenset[str]
) -> int:
    """Where the name starts in a span opened by a common acronym (no name, see
    ``watcher/data/entity_names.yml``) and a "de" link: "SAMU de Strasbourg" -> "Strasbourg",
    the service is no body's name but the city is a place's; else ``start``."""
    first = words[start]
    if end - start < 3 or not first.isupper() or first.lower() not in not_names:
        return start
    link = start + 1
    if words[link] == "de" and words[link + 1].lower() in _ARTICLES_AFTER_DE:
        link += 1
    if words[start + 1].lower() not in _LINKS or link + 1 >= end:
        return start
    return link + 1 if words[link + 1][:1].isupper() else start


# Protected designations of origin and geographical indications: "Gruyère AOP", "Comté AOC",
# "Jambon de Bayonne IGP" name a product (MISC), not the place or the body.
_DESIGNATIONS = wordset("AOP AOC IGP DOP DOC AOP-IGP")


def is_a_designation(name: str) -> bool:
    """Whether a name of two words or more ends with a designation of origin (a product)."""
    words = name.split()
    return len(words) > 1 and words[-1] in _DESIGNATIONS


# Leagues named by their level's number: "National 2", "Ligue 1", "Division 2", "Pro D2", "Top
# 14", "Série B". Competitions, MISC in every news set's conventions ("Ligue 1", "L2",
# "Division 2", "D2"); the bare letter forms ("L2", "D2", "N2") are left out: roads and
# university years ("la N2", "en L1") write them too, and "la Nationale 7" is a road.
_LEAGUE = re.compile(
    r"(?:Ligue|National|Division|Régional|Régionale|Fédérale|Élite|Elite|Top|Pro D)"
    r" ?[1-9]\d?|S[ée]rie [A-D]"
)


def is_a_league(name: str) -> bool:
    """Whether a name is a league named by its level's number or letter."""
    return _LEAGUE.fullmatch(name) is not None


# Heads of media, written before a medium's name with or without an adjective of nationality or
# kind: "le magazine américain Consumer Reports", "la radio hondurienne HRN", "l'hebdomadaire
# chrétien La Vie", "la chaîne ARD" (an organisation, whatever the model said).
_MEDIA_HEADS = wordset(
    """magazine magazines journal journaux quotidien quotidiens hebdomadaire hebdomadaires
    mensuel mensuels bimensuel radio radios revue revues webzine média médias chaîne chaînes
    agence agences"""
)
_NO_ADJECTIVE = _LINKS | wordset(
    "le la les l' l’ un une en et ou à au aux par pour sur avec dans chez sous selon contre vers"
)


# Heads of companies, before a name and one or two adjectives: "l'opérateur mobile espagnol
# Amena", "la compagnie américaine MEnvesti". Not "groupe" (« le groupe britannique … » is a
# band in Wikipedia's prose; with it WikiNEuRal's heldout2 floor broke), "club", "label".
_COMPANY_HEADS = wordset(
    """société entreprise opérateur distributeur fournisseur constructeur fabricant assureur
    banque enseigne firme géant start-up startup filiale compagnie laboratoire cabinet mutuelle
    coopérative"""
)


# Newspapers named by one word after a contracted article: « il livre au Temps », « indique au
# Journal », « la lecture du « Temps » » (round 21: the model called them people or works).
_NEWSPAPER_WORDS = wordset("Temps Journal Devoir Soir Matin Monde Figaro Parisien Courrier")
_CONTRACTED = wordset("au du")
_QUOTES = frozenset({"«", "“", '"'})


def newspaper_after_a_contracted_article(doc: Doc, first: int) -> bool:
    """Whether the one-word name at ``first`` is a newspaper's word after "au" or "du" (the
    caller checks the name is that one word: not « au Journal officiel »)."""
    if doc[first].text not in _NEWSPAPER_WORDS:
        return False
    i = first - 1
    if i > 0 and doc[i].text in _QUOTES:
        i -= 1
    return i >= 0 and doc[i].text.lower() in _CONTRACTED


# An acronym of three letters or more after the feminine article (round 22) that the model
# called MISC: « la SONACOP », « la FLV », « la CCRF », « de la BPI », « la P.E.E.P. » name a
# company, a federation, a body (« la société … », « la fédération … »). Not one it called a
# place (« la RDC », « la RCA »: countries). Letters only: « la G5 » is a network, « la N20 » a
# road.
_ACRONYM_WORD = re.compile(r"[A-Z](?:\.?[A-Z]){2,7}\.?")


def acronym_after_la(doc: Doc, first: int, name: str) -> bool:
    """Whether the one-word name at ``first`` is an acronym of letters only right after "la"
    (the caller checks the name is that one word and that nothing else cued it)."""
    return (
        first > 0
        and doc[first - 1].text.lower() == "la"
        and _ACRONYM_WORD.fullmatch(name) is not None
    )


def media_cue(doc: Doc, first: int) -> str | None:
    """ "ORG" for the name right after a medium's head, or after the head and one adjective in
    lower case, or after a company's head and one or two adjectives; else None."""
    i = first - 1
    adjectives = 0
    while i > 0 and adjectives < 2 and _adjective(doc[i].text):
        i -= 1  # "américain", "chrétien", "mobile espagnol"
        adjectives += 1
    if i < 0:
        return None
    head = doc[i].text
    if head in _MEDIA_HEADS and adjectives <= 1:
        return "ORG"
    return "ORG" if adjectives and head in _COMPANY_HEADS else None


def _adjective(word: str) -> bool:
    return (
        word.islower()
        and word not in _NO_ADJECTIVE
        and word not in _MEDIA_HEADS
        and word not in _COMPANY_HEADS
    )


# A closing bracket or quote a name did not open ends it: scraped text glues the next words to
# it ("la Banque Africaine de Développement (BAD),la Banque Centrale des États…", "du « Temps »
# le lendemain"), and the model runs the two into one span.
_CLOSERS = {")": "(", "»": "«", "”": "“"}
_GLUED_DETERMINER = re.compile(r"[\s,;.]*(?:(?:le|la|les|l['’])\s*)?", re.IGNORECASE)


def parts_around_a_stray_closer(name: str) -> list[tuple[int, int]]:
    """(start, end) offsets in ``name`` of the names on either side of a closing bracket or
    quote it does not open ("BAD),la Banque Centrale" -> "BAD", "Banque Centrale"); the part
    after is left out when it has no capital ("Temps » le lendemain" -> "Temps"). A name
    with no such closer is one part."""
    for i, char in enumerate(name):
        opener = _CLOSERS.get(char)
        if opener is not None and opener not in name[:i]:
            parts = [(0, len(name[:i].rstrip()))] if name[:i].strip() else []
            after = _GLUED_DETERMINER.match(name, i + 1)
            rest = after.end() if after else i + 1
            if any(c.isupper() for c in name[rest:]):
                parts += [(rest + a, rest + b) for a, b in parts_around_a_stray_closer(name[rest:])]
            return parts
    return [(0, len(name))]


# A class of companies or bodies, then the names that are examples of it: "des prestataires
# comme Mega, Eneco ou encore Lampiris", "des groupes tels qu'ENGIE ou Luminus", "500 clients
# dont Natixis, Lenovo ou le Monde": every name listed is an organisation.
# Not "marques", "plateformes": brands and platforms are products too (« des plateformes comme
# HelloAsso », MISC in WikiNEuRal's dev).
_CLASS_HEADS = (
    "sociétés|entreprises|groupes|firmes|enseignes|opérateurs|fournisseurs|prestataires|"
    "distributeurs|banques|assureurs|mutuelles|constructeurs|fabricants|géants|concurrents|"
    "concurrentes|clients|partenaires|médias|journaux|chaînes|start-up|startups|compagnies|"
    "laboratoires|syndicats|partis|clubs|équipes|associations"
)
_AFTER_A_CLASS = re.compile(
    r"\b(?:" + _CLASS_HEADS + r")(?:\s+[a-zà-ÿ'’-]+){0,3}?\s*,?\s+"
    r"(?:comme|tel(?:le)?s\s+qu(?:e\s+|['’])|dont|notamment|à\s+savoir|parmi\s+lesquel(?:le)?s)"
    r"\s*(?:(?:le|la|les)\s+|l['’])?$"
)
_CLASS_WINDOW = 120  # characters looked at before the first name


def after_a_class(text: str, start: int) -> bool:
    """Whether the name at ``start`` opens the examples of a class of organisations (see
    _AFTER_A_CLASS)."""
    return _AFTER_A_CLASS.search(text, max(0, start - _CLASS_WINDOW), start) is not None
