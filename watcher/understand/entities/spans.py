"""Where an entity mention starts and ends and what it is, on a spaCy Doc: word lists
(determiners, titles, generic heads, portfolios, organisation and place words…) and the
rules that strip, extend, label or drop a span the model found."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from watcher.text import fold
from watcher.understand.entities.context import (
    STREET_HEADS,
    is_street_head,
    street_head_before,
)
from watcher.understand.entities.context import wordset as _wordset
from watcher.understand.known_names import name_key

if TYPE_CHECKING:  # spaCy is imported lazily: `watcher check` must not pay for it
    from spacy.tokens import Doc


LABELS = ("PER", "ORG", "LOC", "MISC")


# Determiners: stripped when lower case ("la CNIL"), or capitalised but followed by a lower-case
# word ("La société Carrefour"); "La Poste", "Le Monde", "L'Oréal" keep theirs.
_DETERMINERS = _wordset(
    """le la les l' l’ un une des du de d' d’ au aux ce cet cette ces son sa ses leur leurs
    notre nos votre vos"""
)
# Prepositions and conjunctions a span may wrongly start with ("Selon Carrefour"): stripped.
_LEADING_DROP = _wordset(
    """à en par pour chez selon avec sur dans et ou mais outre entre contre vers via dont que
    qui quand lors après avant depuis face"""
)
# A name never ends on a determiner, a conjunction or a preposition ("l'Institut national de la
# statistique contre 2823 milliards").
_TRAILING_DROP = _wordset("le la les l' l’ de d' d’ du des et ou à au aux en")
_TRAILING_PREPOSITIONS = _wordset("contre pour par sur avec dans chez selon")  # lower case only
_TITLES = _wordset(
    "m. m mme mmes mlle mlles mm. me maître dr dre pr pre monsieur madame mademoiselle sir"
)
# Generic heads stripped when written in lower case before a proper name ("la société
# Carrefour", "le groupe Casino", "la ville de Lyon", "la députée X"). They also tell the
# entity's type, which the small model often gets wrong: a head inside the span or just before
# it overrides the predicted label.
_ORG_HEADS = _wordset(
    """société sociétés groupe entreprise entreprises banque banques enseigne enseignes marque
    marques firme compagnie géant géants opérateur opérateurs distributeur distributeurs
    assureur assureurs mutuelle constructeur fabricant cabinet start-up startup plateforme
    application filiale agence chaîne fédération syndicat association institut coopérative
    fournisseur fournisseurs prestataire prestataires magazine journal quotidien hebdomadaire
    laboratoire usine usines boulangerie boulangeries
    hypermarché supermarché parti club label hôpital clinique collège lycée"""
)
_LOC_HEADS = _wordset(
    """ville commune région département pays capitale préfecture métropole village
    agglomération aéroport bassin commissariat"""
)
_PER_HEADS = _wordset(
    """président présidente ministre directeur directrice dirigeant dirigeante patron patronne
    fondateur fondatrice pdg dg drh porte-parole député députée sénateur sénatrice maire avocat
    avocate économiste journaliste chanteur chanteuse acteur actrice rappeur rappeuse musicien
    musicienne compositeur compositrice réalisateur réalisatrice producteur productrice écrivain
    écrivaine romancier romancière poète peintre sculpteur architecte entraîneur entraîneuse
    joueur joueuse footballeur footballeuse coureur coureuse roi reine empereur impératrice
    prince princesse pape frère frères sœur sœurs"""
)
# Heads of works, shows, operations, vehicles and plans: the name right after them is MISC ("le
# livre Noir Canada", "l'opération Turquoise", "la navette Discovery", "le plan France THD"),
# quoted or not (le film « Inside Llewyn Davis »). Not "émission", "documentaire",
# "feuilleton": with them WikiNEuRal's heldout2 kept its F1 but lost MISC (0.667 -> 0.663).
_MISC_HEADS = _wordset(
    """film films livre livres roman romans album albums chanson chansons série séries
    opération navette paquebot sonde fusée plan programme spectacle"""
)
_ACRONYM_HEADS = frozenset({"pdg", "dg", "drh"})
_GENERIC_HEADS = _ORG_HEADS | _LOC_HEADS | _PER_HEADS | _MISC_HEADS
_HEAD_LABEL = {
    **dict.fromkeys(_ORG_HEADS, "ORG"),
    **dict.fromkeys(_LOC_HEADS, "LOC"),
    **dict.fromkeys(_PER_HEADS, "PER"),
    **dict.fromkeys(_MISC_HEADS, "MISC"),
    **dict.fromkeys(_TITLES, "PER"),
}
# Words that make a name an organisation whatever the model said ("Banque de France").
_ORG_WORDS = _wordset(
    """banque bank crédit caisse mutuelle mutualité assurance assurances groupe group société
    compagnie holding autorité commission conseil agence institut fédération confédération
    association syndicat université ministère telecom télécom télécoms airlines laboratoires
    sa sas sarl inc ltd gmbh tribunal parti fondation comité collectif chambre
    secrétariat loge"""
)
# Words of sports clubs' names ("Dinamo Zagreb", "Athletic Bilbao"): the model often calls them
# places or people.
_CLUB_WORDS = _wordset(
    "dinamo dynamo deportivo athletic atlético sporting racing spartak lokomotiv"
)
# Words that make a name an organisation only as written, in capitals or capitalised: clubs'
# abbreviations ("FK Rostov", "EV Zoug"; French-speaking clubs' "AS Beauvais", "ES Sétif", "JS
# Kabylie", "OGC Nice", "USL Dunkerque"; not "US", as in "US Open") and company suffixes
# ("United Artists Records"; but "le Livre Guinness des records").
_ORG_WORDS_AS_WRITTEN = _wordset(
    """FC CF FK AC SC KV IK BK SK HC HK EV RC CD UD NAC SSC AFC AS ES JS OGC USL ASC ASM
    Records Corporation Corp Company LLC PLC"""
)
# Corporate nouns that make an organisation of a name of several words they end, capitalised as
# written: companies the model called products, people or places (« West African Resources »,
# « Larian Studios », « Goliath Tech », « Shawinigan Aluminium », « Deux-Sèvres Habitat »,
# « Beluga Transport », « POST Finance »: round 21, six news sets' development parts). Not
# "Terminal" (a station), "TV" (« Apple TV », a product).
_COMPANY_LAST_WORDS = _wordset(
    """Resources Studios Tech Technologies Industries Holdings Logistics Mining Energy
    Aluminium Transport Habitat Finance Pharma Motors Airways Systems Solutions Partners"""
)
# Capitalised portfolio or institution nouns that are not entities on their own after
# "ministre de l'Économie", "président de la République", "chargée de la Consommation".
_PORTFOLIO_CUES = _wordset(
    """ministre ministres ministère chargé chargée secrétaire président présidente
    haut-commissaire haute-commissaire portefeuille présidence vice-président vice-présidente"""
)
# Portfolios, one a line: the whole name after the cue and its link ("l'Éducation nationale").
# Round 19 added the portfolios of francophone governments that the model takes for names
# ("ministre des Mines et de l'Énergie", "ministre du Pétrole", "des Postes et des
# Télécommunications"): on news nobody labelled, 18 wrong mentions on six sites.
_PORTFOLIOS = frozenset(
    line.strip()
    for line in """république
    économie
    finances
    consommation
    transports
    santé
    travail
    intérieur
    justice
    culture
    éducation
    éducation nationale
    agriculture
    industrie
    numérique
    budget
    logement
    écologie
    environnement
    énergie
    commerce
    armées
    défense
    solidarités
    emploi
    recherche
    enseignement supérieur
    sports
    jeunesse
    outre-mer
    europe
    affaires étrangères
    affaires européennes
    affaires sociales
    comptes publics
    fonction publique
    portefeuille
    tourisme
    pme
    transition écologique
    transition énergétique
    cohésion des territoires
    collectivités territoriales
    ville
    famille
    handicap
    égalité
    mer
    ruralité
    francophonie
    autonomie
    alimentation
    mines
    carrières
    géologie
    pétrole
    hydrocarbures
    pêche
    pêches
    affaires maritimes
    économie maritime
    postes
    télécommunications
    communication
    économie numérique
    développement numérique
    transition numérique
    infrastructures
    travaux publics
    équipement
    hydraulique
    assainissement
    eaux et forêts
    élevage
    développement rural
    plan
    décentralisation
    administration territoriale
    aménagement du territoire
    urbanisme
    habitat
    affaires intérieures
    sécurité
    sécurité publique
    forces armées
    anciens combattants
    affaires religieuses
    intégration africaine
    coopération
    relations extérieures
    ressources naturelles
    ressources stratégiques
    affaires municipales
    protection des consommateurs
    enseignement obligatoire
    formation professionnelle
    santé publique
    action sociale
    artisanat""".splitlines()
)
_LINKS = _wordset("de du des la l' l’ d' d’")
HASH = "#"  # a hashtag's mark, a token of its own
_PUNCT_EDGES = " \t\n\r\"'’«»“”‘()[]{},;:.!?-–—…/*•|"
_MAX_TOKENS = 14  # "Conseil des affaires de l'État de la république populaire de Chine"
_MAX_CHARS = 80
_HAS_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿ")


@lru_cache(maxsize=65536)
def entity_key(name: str) -> str:
    """Folded grouping key: "Crédit Agricole" and "CREDIT AGRICOLE" -> "credit agricole"."""
    return name_key(name)


def _stop_words() -> frozenset[str]:
    from spacy.lang.fr.stop_words import STOP_WORDS

    return frozenset(fold(w) for w in STOP_WORDS)


_STOP: frozenset[str] | None = None


def _is_stop_only(key: str) -> bool:
    global _STOP
    if _STOP is None:
        _STOP = _stop_words()
    return all(w in _STOP for w in key.split())


def _head_case(word: str) -> bool:
    """A generic head counts in lower case ("société") or as an acronym ("PDG"), not
    capitalised: "Société Générale", "Groupe SEB", "Banque Populaire" are names."""
    return word.islower() or (word.isupper() and word.lower() in _ACRONYM_HEADS)


def _strip_span(words: list[str]) -> tuple[int, int]:
    """Indices [start, end) of the proper-name part of an entity's tokens."""
    start, end = 0, len(words)

    def capitalised_after(i: int) -> bool:
        return any(w[:1].isupper() or w[:1].isdigit() for w in words[i:end])

    def droppable(i: int) -> bool:
        word = words[i]
        low = word.lower()
        if word.strip(_PUNCT_EDGES) == "" or word == HASH:
            return True
        if end - i < 2:  # never drop the last word
            return False
        if low in _LEADING_DROP:
            return True
        if word in _HEADS_BEFORE_A_LINK and words[i + 1].lower() in _DE:
            return capitalised_after(i + 1)  # "le district des Carrefours": Carrefours
        if is_street_head(word, words[i + 1]):
            return True  # "rue Jean-Burger": Jean-Burger; but "rue de Paris" stays whole
        if low in _TITLES or (_head_case(word) and low in _GENERIC_HEADS):
            return capitalised_after(i + 1)
        # "la CNIL", "La société Carrefour"; but "La Poste", "L'Oréal"
        return low in _DETERMINERS and (word.islower() or not words[i + 1][:1].isupper())

    while start < end and droppable(start):
        start += 1
    # a hashtag (Mastodon): « # » is a token of its own before the tag's word; a mention
    # opening with one is that word at most (« #CNIL »: CNIL), and one ends before the next
    # (« HPC #DistributedComputing », « HPC # »: HPC)
    if start < end and words[start - 1 : start] == [HASH]:
        end = start + 1
    elif HASH in words[start:end]:
        end = words.index(HASH, start, end)
    while end > start and (
        words[end - 1].strip(_PUNCT_EDGES) == ""
        or words[end - 1].lower() in _TRAILING_DROP
        or words[end - 1] in _TRAILING_PREPOSITIONS  # but "Sierra Madre del Sur"
    ):
        end -= 1
    return start, end


def _cue_label(doc: Doc, ent_start: int, stripped: list[str]) -> str | None:
    """Label told by a generic head or title in the stripped prefix or just before the span."""
    if stripped and stripped[-1] in _CAPITALISED_TITLES and stripped[-1] not in _PREMIER:
        return "PER"  # "le Président BIYA": a person, whatever the capitals say
    for w in reversed(stripped):
        low = w.lower()
        if low in _HEAD_LABEL and (_head_case(w) or low in _TITLES):
            return _HEAD_LABEL[low]
        if w in STREET_HEADS:
            return "LOC"  # "avenue Raymond-Feraud"
    if ent_start > 0:
        prev = doc[ent_start - 1].text
        low = prev.lower()
        if low in _HEAD_LABEL and (_head_case(prev) or low in _TITLES):
            return _HEAD_LABEL[low]
        if prev in STREET_HEADS:  # "l'avenue Raymond-Feraud": a street, not a person
            return "LOC"
        if prev in _QUOTES_OPEN and ent_start > 1:  # « la série « Quotidien » »
            before = doc[ent_start - 2].text
            if before in _MISC_HEADS:
                return "MISC"
        return _head_with_a_complement(doc, ent_start)
    return None


_COMPLEMENT_LINKS = _wordset("de d' d’ en")


def _after_a_nationality(doc: Doc, first: int) -> bool:
    """A one-word name after a determiner and a nationality in lower case, an adjective
    standing for "the company": "l'américain Anadar", "le britannique Vodafone" (a person is
    written "l'Américain John Smith")."""
    return (
        first > 1
        and doc[first - 1].text in _NATIONALITIES
        and doc[first - 2].text.lower() in _DETERMINERS
    )


_NATIONALITIES = _wordset(
    """américain américaine canadien canadienne français française britannique allemand
    allemande italien italienne espagnol espagnole chinois chinoise japonais japonaise coréen
    coréenne sud-coréen sud-coréenne indien indienne russe suisse belge néerlandais
    néerlandaise suédois suédoise norvégien norvégienne danois danoise finlandais finlandaise
    irlandais irlandaise luxembourgeois luxembourgeoise autrichien autrichienne polonais
    polonaise portugais portugaise brésilien brésilienne mexicain mexicaine argentin argentine
    australien australienne turc turque israélien israélienne saoudien saoudienne émirati
    qatari marocain marocaine algérien algérienne tunisien tunisienne sénégalais sénégalaise
    ivoirien ivoirienne nigérian nigériane nigérien nigérienne sud-africain sud-africaine
    égyptien égyptienne kényan kényane camerounais camerounaise congolais congolaise
    taïwanais taïwanaise singapourien singapourienne européen européenne québécois québécoise
    californien californienne"""
)
# An English possessive ending a brand's name, which the tokenizer cuts off: "Moody's",
# "Standard & Poor's".
_POSSESSIVE = re.compile(r" ?['’]s\b")
_NO_COMPLEMENT = _LINKS | _LEADING_DROP | _DETERMINERS


def _complement_word(word: str) -> bool:
    """A lower-case word of a head's complement ("conseil", "affaires"), no link nor
    preposition nor determiner."""
    return word.isalpha() and word.islower() and word not in _NO_COMPLEMENT


def _head_with_a_complement(doc: Doc, ent_start: int) -> str | None:
    """ "la société de conseil Wavestone", "la banque d'affaires Lazard": an organisation's head,
    "de" and up to three lower-case words right before the name tell its type."""
    i = ent_start - 1
    while i >= 0 and ent_start - i <= 3 and _complement_word(doc[i].text):
        i -= 1
    if i < 1 or i == ent_start - 1 or doc[i].text not in _COMPLEMENT_LINKS:
        return None
    head = doc[i - 1].text
    return "ORG" if head in _ORG_HEADS else None


def _is_portfolio(doc: Doc, start: int, key: str) -> bool:
    """'Économie' in "ministre de l'Économie", 'République' in "président de la République",
    'Tourisme' in "ministre déléguée aux PME, au Commerce et au Tourisme", 'Affaires étrangères'
    in "le ministre russe des Affaires étrangères": a portfolio of the list after a cue, its
    link and maybe other portfolios of the list."""
    if start == 0 or doc[start - 1].text.lower() not in _PORTFOLIO_LINKS:
        return False
    if not _portfolio_key(key):
        return False
    i = start - 1
    while i >= 0 and doc[i].text.lower() in _PORTFOLIO_LINKS:
        i -= 1
    for _ in range(_PORTFOLIO_LIST_MAX):
        if i < 0:
            return False
        word = doc[i].text
        low = word.lower()
        if low in _PORTFOLIO_CUES:
            return True
        if word.islower() and i > 0 and doc[i - 1].text.lower() in _PORTFOLIO_CUES:
            return True  # "ministre russe", "ministre déléguée"
        if low not in _PORTFOLIO_SEPARATORS:
            return False
        i -= 1  # "et", "," between two portfolios
        j = i
        while j >= 0 and (doc[j].text.islower() and doc[j].text not in _PORTFOLIO_LINKS):
            j -= 1  # the lower-case words of the portfolio before ("Affaires étrangères")
        k = j
        while k >= 0 and doc[k].text[:1].isupper():
            k -= 1
        if k == j or entity_key(doc[k + 1 : i + 1].text) not in _PORTFOLIOS_FOLDED:
            return False
        i = k
        if i < 0 or doc[i].text.lower() not in _PORTFOLIO_LINKS:
            return False
        while i >= 0 and doc[i].text.lower() in _PORTFOLIO_LINKS:
            i -= 1
    return False


_PORTFOLIOS_FOLDED = frozenset(entity_key(w) for w in _PORTFOLIOS)
_KEY_LINKS = frozenset({"de", "des", "du", "la", "l", "d", "au", "aux", "a"})


def _portfolio_key(key: str) -> bool:
    """A portfolio's folded key, or several joined by "et" as one span ("postes et des
    telecommunications", "mines et de l energie")."""
    if key in _PORTFOLIOS_FOLDED:
        return True
    parts = key.split(" et ")
    if len(parts) < 2:
        return False
    for part in parts:
        words = part.split()
        while words and words[0] in _KEY_LINKS:
            words = words[1:]
        if " ".join(words) not in _PORTFOLIOS_FOLDED:
            return False
    return True


def _after_a_portfolio(doc: Doc, cap: int, stop: int) -> int | None:
    """Where the words after a portfolio start when the model ran them into it: ``stop`` for
    lower-case words ("Énergie du gouvernement"), the first capitalised word for the
    government's place ("Carrières du Burkina Faso"); None when the span opens with no
    portfolio after a minister."""
    for j in range(cap + 1, stop - 1):
        if doc[j].text.lower() not in _LINKS or doc[j - 1].text.lower() in _LINKS:
            continue
        if not _is_portfolio(doc, cap, entity_key(doc[cap:j].text)):
            continue
        rest = j
        while rest < stop and doc[rest].text.lower() in _LINKS:
            rest += 1
        if all(t.text.islower() for t in doc[rest:stop]):
            return stop
        return rest if doc[rest].text[:1].isupper() else None
    return None


_PORTFOLIO_LINKS = _LINKS | _wordset("au aux à")  # "ministre délégué aux Transports"
_PORTFOLIO_SEPARATORS = frozenset({"et", ","})
_PORTFOLIO_LIST_MAX = 6
_ORG_WORDS_FOLDED = frozenset(entity_key(w) for w in _ORG_WORDS)
_CLUB_WORDS_FOLDED = frozenset(entity_key(w) for w in _CLUB_WORDS)
_COMPASS = _wordset("Nord Sud Est Ouest Nord-Est Nord-Ouest Sud-Est Sud-Ouest")
_ACRONYM = re.compile(r"^[A-Z][A-Z&-]{1,5}$")
_ALL_CAPS_WORD = re.compile(r"^[A-Z]{2,10}$")


def _is_club_or_company(name: str, key: str) -> bool:
    words = name.split()
    return (
        any(w in _CLUB_WORDS_FOLDED for w in key.split())
        or any(w in _ORG_WORDS_AS_WRITTEN for w in words)
        or (len(words) > 1 and words[-1] in _COMPANY_LAST_WORDS)
    )


# First words of one place's compound name ("Saint-Denis" and "Saint-Ouen" are no journeys).
_PLACE_PREFIXES = _wordset(
    """Saint Sainte San Santa Santo São Mont Port Pont Val Bois Fort Grand Grande Petit Petite
    Neuf Vieux Haut Haute Bas Basse Nord Sud Est Ouest Nouvelle Nouveau Île"""
)
# Québec's and Canada's public bodies and companies are named by a common noun and the
# province or the country: "Hydro-Québec", "Héma-Québec", "Loto-Québec", "Santé Canada", "Postes
# Canada", "Air Canada" (but "Bas-Canada", "Nord-Québec" are places).
_CANADIAN_BODY = re.compile(r"^([A-ZÀ-Þ][a-zà-ÿ]+)[- ](?:Québec|Canada)$")


def _is_a_canadian_body(name: str) -> bool:
    found = _CANADIAN_BODY.match(name)
    return found is not None and found.group(1) not in _PLACE_PREFIXES


# Words that make an organisation of a name they open: "Office national des forêts", "l'Office
# de la protection du consommateur", "l'Office" (but "Microsoft Office" is a product),
# "l'Observatoire régional de la santé", "l'Observatoire".
_ORG_FIRST_WORDS = _wordset("office observatoire")
# A name the model called a person but opened by "Maison" is a firm or a body ("Maison
# Margiela", "la Maison Jean Vilar"); "Maison-Blanche", called a place, stays one.
_HOUSE = "maison"
# A rugby team named after its fifteen players and its country (« le XV de France »), which the
# model calls a work; not "Louis XV" (round 21).
_XV = re.compile(r"^XV (?:de |du |d['’] ?)[A-ZÀ-Þ][a-zà-ÿ-]+$")  # not « le titre XV du TFUE »
# A newspaper's or a newsletter's title: a capitalised article, a newspaper's word and capitalised
# words (« Le Matin Dimanche », « La Lettre du Continent », « L'Echo Touristique »), which the
# model calls works and the news sets organisations (round 21). A work's lower-case words
# keep it a work (« La Lettre écarlate »).
_MEDIA_TITLE = re.compile(
    r"^(?:Le |La |Les |L['’] ?)(?:Matin|Lettre|Echo|Écho|Courrier|Gazette|Tribune|Dépêche"
    r"|Presse|Journal|Quotidien|Nouvelles|Observateur|Soir|Progrès|Républicain|Télégramme)"
    r"(?: (?:de |du |des |d['’])?[A-ZÀ-Þ][\w’'-]*)+$"
)


def _label(predicted: str, cue: str | None, name: str, key: str) -> str:
    if cue is not None:
        return cue
    if predicted != "ORG" and (
        any(w in _ORG_WORDS_FOLDED for w in key.split())
        or key.split(" ", 1)[0] in _ORG_FIRST_WORDS
        or _is_club_or_company(name, key)
    ):
        return "ORG"
    if predicted != "ORG" and _XV.match(name):
        return "ORG"  # "le XV de France": a rugby team
    if predicted != "ORG" and _MEDIA_TITLE.match(name):
        return "ORG"  # "Le Matin Dimanche"
    if predicted == "PER" and " " in key and key.split(" ", 1)[0] == _HOUSE:
        return "ORG"  # "Maison Margiela"
    if name in _COMPASS:  # "le Sud-Ouest de l'Angleterre": a region; but the union "SUD"
        return "LOC"
    if predicted != "ORG" and _is_a_canadian_body(name):
        return "ORG"  # "Hydro-Québec", "Santé Canada"
    if predicted == "PER" and (_ACRONYM.match(name) or _ALL_CAPS_WORD.match(name)):
        return "ORG"  # "GASCODE": a word in capitals is no person's name
    return predicted if predicted in LABELS else "MISC"


_SENTENCE_END = frozenset({".", "!", "?", "…", ":", ";", "»"})
_PARTICIPLE = re.compile(r"(?:é|ée|és|ées|i|ie|is|ise|ises|it|ite|u|ue|us|ues)$")
_PARTICIPLE_E = re.compile(r"(?:é|ée|és|ées)$")
_AFTER_PARTICIPLE = _wordset("par sur à au aux dans en de du des pour avec chez devant")
_INSTITUTION_HEADS = _wordset(
    "Conseil Commission Autorité Assemblée Cour Banque Agence Caisse Haut Haute Tribunal"
)
_ADJECTIVE = re.compile(
    r"^[a-zàâäéèêëîïôöùûüç-]{4,}(?:el|elle|al|ale|aux|ien|ienne|aire|ique|éen|éenne|ais|aise)$"
)


def _is_opening_participle(doc: Doc, i: int, word: str, label: str) -> bool:
    """'Saisi' in "Saisi par les sénateurs, …", 'Invitée' in "Invitée sur France Inter, …":
    a capitalised participle opening a sentence, followed by a preposition, its clause
    closed by a comma; or a participle in -é(e)(s) followed by the comma itself ("Remarqué,
    il signe …"). Names the model calls ORG are kept ("Engie à Paris, …"), and so are
    people's names before a comma ("René, …")."""
    if label == "ORG" or not _PARTICIPLE.search(word.lower()):
        return False
    if i > 0:
        prev = doc[i - 1].text
        if prev.strip() and prev not in _SENTENCE_END:
            return False
    if i + 1 < len(doc) and doc[i + 1].text == ",":
        return label != "PER" and bool(_PARTICIPLE_E.search(word.lower()))
    if i + 1 >= len(doc) or doc[i + 1].text.lower() not in _AFTER_PARTICIPLE:
        return False
    for tok in doc[i + 2 : i + 12]:
        if tok.text == ",":
            return True
        if tok.text in _SENTENCE_END:
            return False
    return False


_OPENING = frozenset({'"', "(", "«", "“"})
_CLOSING = frozenset({'"', ")", "»", "”"})
_LATIN_EPITHET = re.compile(r"^[a-z]{3,}(?:a|ae|i|ii|is|us|um|es|ens|ensis|oides)$")
# Unquoted, only endings French words do not have ("palois", "françaises" are French).
_BARE_EPITHET = re.compile(r"^[a-z]{5,}(?:a|ae|ii|us|um|ens|ensis|oides|genes)$")
_LIST_PUNCT = frozenset({",", ";", ".", ")", "…"})


def _is_latin_binomial(doc: Doc, i: int) -> bool:
    """'Solanum' in « " Solanum rostratum " », 'Osmoderma' in "(Osmoderma eremita)": the
    genus of a species' Latin name, quoted or in brackets, is no entity, nor is the whole
    name when the model takes the epithet in too. Unquoted, a genus and a long epithet before
    a comma or a full stop are one too ("des Hydrangea macrophylla, Hydrangea serrata.")."""
    if i + 2 >= len(doc) or not _LATIN_EPITHET.match(doc[i + 1].text):
        return False
    if i > 0 and doc[i - 1].text in _OPENING and doc[i + 2].text in _CLOSING:
        return True
    return bool(_BARE_EPITHET.match(doc[i + 1].text)) and doc[i + 2].text in _LIST_PUNCT


_QUOTES_OPEN = _OPENING - {"("}
_QUOTES_CLOSE = _CLOSING - {")"}


def _is_quoted_title(doc: Doc, start: int, end: int) -> bool:
    """A name that fills a whole quotation: a person's name is not written so, a title is
    (a film, an album, a song: MISC), which the model often calls a person: « " Prédictions "
    est un film », « " Blonde on Blonde " ». Places are (« " Coombs " est un village »)."""
    return (
        start > 0
        and end < len(doc)
        and doc[start - 1].text in _QUOTES_OPEN
        and doc[end].text in _QUOTES_CLOSE
    )


def _extends_right(doc: Doc, end: int, word: str) -> bool:
    """A lone institutional head followed by a lower-case adjective the model left out."""
    return word in _INSTITUTION_HEADS and end < len(doc) and bool(_ADJECTIVE.match(doc[end].text))


@lru_cache(maxsize=65536)
def _name_and_key(raw: str) -> tuple[str, str] | None:
    """Display name and key of a stripped span's text, or None if it is junk."""
    name = " ".join(raw.strip(_PUNCT_EDGES).split())
    # "m&#xE9;nages": a text whose accents are HTML character references left undecoded by a
    # scraper; the references' hex digits are no capitals
    if len(name) > _MAX_CHARS or not _HAS_UPPER.search(_CHAR_REF.sub("", name)):
        return None
    key = entity_key(name)
    compact = key.replace(" ", "")
    if len(compact) < 2 or compact.isdigit() or _is_stop_only(key):
        return None
    return name, key


_DE = _wordset("de du des d' d’")
_CHAR_REF = re.compile(r"&(?:#[xX][0-9a-fA-F]+|#\d+|[a-zA-Z]+);?")
# A Roman ordinal: "XXIe" (siècle) alone is no name; "IVe République", "IIIe Reich" are MISC.
_ROMAN_ORDINAL = re.compile(r"^[IVXLC]+(?:e|ème|er|ᵉ|ᵉʳ)$")  # "XXIe", "XXᵉ"
_ROMAN_REGIMES = _wordset("République Empire Reich")
_DE_ARTICLE = _wordset("la l' l’")
_NICKNAME_DETERMINERS = _wordset("les le la l' l’ aux au des du")
# Lower-case heads that belong to a place's name ("l'île de Vancouver", "le détroit de Bass",
# "le mont Agou", "le gave de Pau"); the model leaves them out, and they make the name a place
# whatever label it gave ("la montagne de Rigaud"). "ville", "région"… stay out (stripped).
_GEO_HEADS = _wordset(
    """île îles détroit golfe mont monts océan mer cap baie lac lacs archipel péninsule
    presqu'île presqu’île massif désert château quartier district comté canton powiat gave
    canal montagne montagnes fleuve"""
)
# Folded for heads written without their accents ("Ile de Ré"); but "Detroit" is the city, not
# "détroit" (« les Red Wings de Detroit », round 21).
_GEO_HEADS_FOLDED = frozenset(entity_key(w) for w in _GEO_HEADS) - {"detroit"}
# Heads of a town's parts that belong to the name written right after them ("le quartier
# Saint-Esprit") but not to one after a "de" link ("le district des Carrefours", "le quartier de
# Thurlow Gardens").
_HEADS_BEFORE_A_LINK = _wordset("quartier quartiers district")
# Lower-case adjectives that end a place's name: "Amérique centrale", "Afrique subsaharienne",
# "Suisse romande", "Pays basque français".
_GEO_ADJECTIVES = _wordset(
    """centrale central occidentale occidental orientale oriental septentrionale
    septentrional méridionale méridional australe austral subsaharienne équatoriale romande
    romand alémanique française français"""
)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
# Particles of Portuguese, Spanish and Italian place names, which French prose never puts
# between two places of its own: "Serra" + "dos" + "Órgãos" is one place the model split.
_FOREIGN_PLACE_LINKS = _wordset("dos das do da del della delle dei di los las")
# Capitalised heads of leagues and governing bodies: a team's name the model ran into the
# league's ("Marquis de Jonquière de la Ligue nord-américaine de hockey") ends before them.
_LEAGUE_HEADS = _wordset("Ligue League Organisation Fédération Association Conférence")


def _link_after(doc: Doc, i: int) -> int:
    """Tokens of a "de" link at ``i`` ("de", "du", "d'", "de la", "de l'"); 0 if none."""
    if i >= len(doc) or doc[i].text.lower() not in _DE:
        return 0
    if doc[i].text.lower() == "de" and i + 1 < len(doc) and doc[i + 1].text.lower() in _DE_ARTICLE:
        return 2
    return 1


def _nickname_before(doc: Doc, loc_start: int, floor: int) -> int | None:
    """Start of a capitalised nickname + "de" link right before a place, after a determiner:
    "les Hurricanes de la Caroline", "le Lightning de Tampa Bay" (a team, a company)."""
    for link in (1, 2):
        j = loc_start - link
        if j <= floor or _link_after(doc, j) != link:
            continue
        k = j
        while k > floor and k > j - 2 and doc[k - 1].text[:1].isupper() and doc[k - 1].is_alpha:
            k -= 1
        if k < j and k > floor and doc[k - 1].text in _NICKNAME_DETERMINERS:
            return k
    return None


def _geo_head_before(doc: Doc, loc_start: int, floor: int) -> int | None:
    """Start of a lower-case geographic head before a place: "île de" + "Vancouver"; but not
    "district d'" + "Apac" (see _HEADS_BEFORE_A_LINK)."""
    j = loc_start - 1
    linked = j > floor and doc[j].text.lower() in _DE
    if linked:
        j -= 1
    if j >= floor and doc[j].text in _GEO_HEADS:
        return None if linked and doc[j].text in _HEADS_BEFORE_A_LINK else j
    return None


_PLURAL_DETERMINERS = _wordset("les aux des")
# Capitalised first words of events, treaties and competitions: "Jeux de Barcelone", "Coupe
# de France", "Tour de France" are no organisations.
_EVENT_HEADS = _wordset(
    """Jeux Coupe Championnat Championnats Tour Grand Festival Salon Foire Exposition Traité
    Accords Accord Bataille Siège Guerre Conférence Sommet Rallye Open Masters Trophée"""
)


def _is_team_name(doc: Doc, start: int, end: int) -> bool:
    """ "les Canucks de Vancouver", "aux Marquis de Jonquière": a capitalised name, a "de"
    link and a place, after a plural determiner (before the span or, in lower case, its first
    word), name a team or a company, not a place or a person (which the model often says)."""
    if end - start > 1 and doc[start].text in _PLURAL_DETERMINERS:  # the model took it in
        start += 1
    elif start == 0 or doc[start - 1].text.lower() not in _PLURAL_DETERMINERS:
        return False
    if not doc[start].text[:1].isupper() or doc[start].text in _EVENT_HEADS:
        return False
    for i in range(start + 1, end - 1):
        if doc[i - 1].text == "-":  # "les Côtes-d'Armor" is one word, not a team
            continue
        link = _link_after(doc, i)
        if link and i + link < end and doc[i + link].text[:1].isupper():
            return True
    return False


def _joins_a_place(doc: Doc, start: int, end: int, label: str, place: int) -> bool:
    """Whether a name + "de" + a place is one organisation: "Canucks de Vancouver" (a team), a
    name the model called a place or a person too after a plural determiner ("les Mets de New
    York"). Not an event ("Jeux de Barcelone"), a compass point ("le Sud-Ouest de
    l'Angleterre") or a name before a place with a geographic head ("les Rothschild du Canal
    de Suez")."""
    if doc[start].text in _EVENT_HEADS or doc[start:end].text in _COMPASS:
        return False
    if end - start == 1 and _DEMONYM.match(doc[start].text):  # "les Albanais du Kosovo"
        return False
    word = doc[place].text
    if entity_key(word) in _GEO_HEADS_FOLDED or word.lower() in _GEO_HEADS:
        return False
    if label in ("ORG", "MISC"):
        return True
    return start > 0 and doc[start - 1].text.lower() in _PLURAL_DETERMINERS


_COMPASS_AFTER_DU = frozenset({"Nord", "Sud"})


def _word_after(doc: Doc, end: int, label: str) -> int:
    """The number of words after a span that belong to it: a geographic adjective after a
    place ("Amérique centrale"), "du Nord" or "du Sud" after a place ("Amérique" + "du Nord",
    "Corée" + "du Sud"), a year after a MISC name ("Série mondiale 2001"); else 0."""
    if end >= len(doc):
        return 0
    word = doc[end].text
    if label == "LOC":
        if word == "du" and end + 1 < len(doc) and doc[end + 1].text in _COMPASS_AFTER_DU:
            return 2
        return int(word in _GEO_ADJECTIVES)
    return int(label == "MISC" and bool(_YEAR.match(word)))


def _spans(doc: Doc) -> list[tuple[int, int, str]]:
    """The model's entities as (start token, end token, label), with boundaries fixed:

    * an organisation or a MISC name joined by "de" to a place is one organisation ("Canucks"
      + "de" + "Vancouver", "Lightning de Tampa Bay"), and so is any name doing so after a
      plural determiner ("les Mets de New York"; see :func:`_joins_a_place`); so is a
      capitalised nickname the model left out, after a determiner ("les Hurricanes de la
      Caroline");
    * a name with a "de" link after a plural determiner is a team or a company ("les
      Canucks de Vancouver"), whatever label the model gave it;
    * a name takes the lower-case geographic head before it and becomes a place ("l'île de
      Vancouver", "la montagne de Rigaud"), unless the model called it an organisation;
    * a place takes a geographic adjective after it ("Amérique centrale"), a MISC name the
      year after it ("Festival de Cannes 2011");
    * two places joined by a foreign particle are one ("Serra" + "dos" + "Órgãos"), and an
      organisation running into a league after a "de" link is two ("Marquis de Jonquière",
      "Ligue nord-américaine de hockey").
    """
    ents = doc.ents
    out: list[tuple[int, int, str]] = []
    floor = 0  # tokens before it belong to an earlier span
    i = 0
    while i < len(ents):
        ent = ents[i]
        start, end, label = ent.start, ent.end, ent.label_
        following = ents[i + 1] if i + 1 < len(ents) else None
        link = _link_after(doc, end)
        if (
            following is not None
            and following.label_ == "LOC"
            and link
            and following.start == end + link
            and _joins_a_place(doc, start, end, label, following.start)
        ):
            out.append((start, following.end, "ORG"))
            floor = following.end
            i += 2
            continue
        if label == "ORG":  # "Syndicat des travailleurs de la" + "Sonacop"
            j = i
            while j + 1 < len(ents) and (
                (ents[j + 1].start == end and _ends_on_a_link(doc, start, end))
                or _ministry_goes_on(doc, start, end, ents[j + 1].start)
            ):
                j += 1
                end = ents[j].end
            if j > i:
                out.append((start, end, "ORG"))
                floor = end
                i = j + 1
                continue
        if (
            following is not None
            and following.label_ == "LOC"
            and label in ("LOC", "MISC")
            and following.start == end + 1
            and doc[end].text in _FOREIGN_PLACE_LINKS
        ):
            out.append((start, following.end, "LOC"))
            floor = following.end
            i += 2
            continue
        head = _geo_head_before(doc, start, floor)
        if head is None:
            head = street_head_before(doc, start, floor)  # "la rue de" + "Paris"
        if label != "ORG" and _is_team_name(doc, start, end):
            label = "ORG"
        elif head is not None and label != "ORG":
            start, label = head, "LOC"
        elif label == "LOC":
            nickname = _nickname_before(doc, start, floor)
            if nickname is not None:
                start, label = nickname, "ORG"
        if following is None or following.start > end:
            end += _word_after(doc, end, label)
        league = _league_inside(doc, start, end) if label == "ORG" else None
        if league is not None:
            out.append((start, league[0], "ORG"))
            start = league[1]
        out.append((start, end, label))
        floor = end
        i += 1
    return out


# Links an organisation's name may end on when the model cut it before its last name: "de",
# "d'", "du", "des", "de la", "de l'", "en" ("Centre de promotion des investissements en" +
# "Côte d'Ivoire").
_LAST_LINKS = _DE | _DE_ARTICLE | frozenset({"en"})
_COORDINATION = _wordset("et ou , ;")


def _ends_on_a_link(doc: Doc, start: int, end: int) -> bool:
    """Whether an organisation's span, capitalised, ends on a "de" link the model left hanging
    (the name goes on in the next span); not after a coordination ("l'Autorité de la
    concurrence et de la" + "Commissaire européenne" are two)."""
    if end - start < 2 or not doc[start].text[:1].isupper() or doc[end - 1].text not in _LAST_LINKS:
        return False
    k = end - 1
    if doc[k].text in _DE_ARTICLE and doc[k - 1].text == "de" and k - 1 > start:
        k -= 1
    return doc[k - 1].text not in _COORDINATION


_MINISTRIES = _wordset("Ministère ministère")
_PORTFOLIO_JOINS = _wordset("et ,")


def _ministry_goes_on(doc: Doc, start: int, end: int, next_start: int) -> bool:
    """ "Ministère de la Transition Numérique" + "et de la" + "Digitalisation": a ministry's
    name goes on over its other portfolios, joined by "et" or a comma and a "de" link."""
    if doc[start].text not in _MINISTRIES or next_start - end not in (2, 3):
        return False
    if doc[end].text not in _PORTFOLIO_JOINS:
        return False
    return _link_after(doc, end + 1) == next_start - end - 1


def _league_inside(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """(end of the first, start of the second) when an organisation's span runs a name and a
    "de" link into a league's or a governing body's ("Marquis de Jonquière" + "de la" +
    "Ligue nord-américaine de hockey"): two organisations."""
    for i in range(start + 1, end - 2):
        link = _link_after(doc, i)
        if link and i + link < end - 1 and doc[i + link].text in _LEAGUE_HEADS:
            return i, i + link
    return None


# A name right after these words, or starting or ending with the capitalised ones, names a law,
# a regulation or a standard: no entity, whatever the model said ("la loi Egalim", "la Directive
# Corporate Sustainability Reporting", "l'AI Act"): the item page lists laws as references.
_LAW_CUES = _wordset("loi lois directive directives règlement règlements norme normes décret")
_LAW_FIRST_WORDS = _wordset("Loi Directive Règlement Constitution")  # "Constitution de 1996"
_LAW_LAST_WORDS = _wordset("Act Directive Regulation")
# Inhabitants named by a plural or an indefinite determiner or a number ("les Français", "sept
# Français sur dix", "une Anglaise", "des Brestois"): no entity, though the model calls them
# places. Singular "le" is left alone: "le Beaujolais", "le Vexin" are regions.
_DEMONYM = re.compile(r"^[A-ZÀ-Þ][a-zà-ÿ]+(?:ais|aise|aises|ois|oise|oises)$")
_DEMONYM_DETERMINERS = _wordset(
    "les des aux un une ces nos vos leurs plusieurs quelques certains nombreux nombreuses"
)
# A capitalised verb opening a sentence before its object ("Trouver un appartement…",
# « Augmentez les salaires ! », "Lire la suite"): an infinitive or an imperative, no name.
_VERB_ENDING = re.compile(r"(?:er|ez|ir)$")
_OBJECT_DETERMINERS = _wordset(
    "le la les l' l’ un une des du ses son sa leur leurs vos votre nos notre ce cet cette ces"
)
_SENTENCE_OPENERS = _SENTENCE_END | {"«", '"', "“", "]"}
# Capitalised determiners that belong to the name after them when written inside a sentence
# ("par Les Républicains", "sur La Redoute"); the model leaves them out.
_NAME_DETERMINERS = frozenset({"Les", "La", "Le", "L'", "L’"})
# Separators of an enumeration of names ("Orange, Free, Bouygues Telecom ou SFR"), a
# determiner in lower case maybe after them ("Natixis, Lenovo ou le Monde", "la CGT, la FSU").
_LIST_SEPARATOR = re.compile(
    r"^\s*(?:,\s*)?(?:(?:et|ou)(?:\s+encore)?\s+|,\s*)(?:(?:le|la|les)\s+|l['’])?$"
)
_BRACKETED_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Z]{1,7})\s*\)")
_ACRONYM_SKIPPED = _wordset("de du des la le les l d et à au aux en pour sur")
# Up to four lower-case words, then initials in brackets: "(Service départemental d'incendie)
# et de secours (SDIS)".
_LOWER_WORDS_THEN_ACRONYM = re.compile(
    r"((?:\s+[a-zà-ÿ]+(?:['’][a-zà-ÿ]+)?){1,4})\s*\(\s*([A-Z][A-Z]{1,7})\s*\)"
)


def _names_a_law(doc: Doc, first: int, words: list[str]) -> bool:
    """Whether a stripped span names a law, a regulation or a standard (see _LAW_CUES)."""
    if words[0].lower() in _LAW_CUES or words[0] in _LAW_FIRST_WORDS:
        return True
    if words[-1] in _LAW_LAST_WORDS:
        return True
    return first > 0 and doc[first - 1].text.lower() in _LAW_CUES


def _is_demonym(doc: Doc, i: int, word: str, label: str) -> bool:
    """'Français' in "sept Français sur dix": inhabitants, not a place (see _DEMONYM)."""
    if label not in ("LOC", "MISC") or i == 0 or not _DEMONYM.match(word):
        return False
    prev = doc[i - 1]
    if prev.text.lower() in _DEMONYM_DETERMINERS or prev.like_num:
        return True
    # "beaucoup de Français", "des millions de Français"
    return prev.text.lower() in _DE_ONLY and i > 1 and doc[i - 2].text.lower() in _QUANTITIES


# A nationality or an inhabitant in the singular after a definite article, right before a
# name, says who the name is ("le Niçois Jordan Lotomba", "le Marocain Platinum Power", "le
# Béninois Maixent Accrombessi"): no entity, and the name after it no place.
_SINGULAR_DEMONYM = re.compile(
    r"^[A-ZÀ-Þ][a-zà-ÿ]{2,}(?:ais|ois|ain|ien|éen|ol|aise|oise|aine|ienne|éenne|ole)$"
)
# Common nouns with those endings that head a name ("le Palais Bourbon", "le Relais Colis").
_NOT_DEMONYMS = _wordset(
    """Palais Marais Relais Soutien Gardien Ancien Maintien Terrain Lendemain Parrain
    Souverain Prochain Quotidien Musicien Praticien Magicien Physicien Historien Citoyen
    Doyen Moyen"""
)
_SINGULAR_ARTICLES = _wordset("le la l' l’ du au")


def _nationality_before_a_name(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is a nationality in the singular after a definite article and
    before a capitalised name (see _SINGULAR_DEMONYM)."""
    if i == 0 or i + 1 >= len(doc) or doc[i - 1].text.lower() not in _SINGULAR_ARTICLES:
        return False
    word, after = doc[i].text, doc[i + 1].text
    if word in _NOT_DEMONYMS or not (
        _SINGULAR_DEMONYM.match(word) or (word[:1].isupper() and word.lower() in _NATIONALITIES)
    ):
        return False
    return after[:1].isupper() and after.replace("-", "").isalpha()


_DE_ONLY = _wordset("de d' d’")
_CURRENCIES = _wordset("franc francs")
_QUANTITIES = _wordset(
    """beaucoup nombre peu millions milliers centaines dizaines majorité moitié tiers quart
    plupart part proportion"""
)


def _is_opening_verb(doc: Doc, i: int, word: str, label: str) -> bool:
    """'Trouver' in "Trouver un appartement n'est jamais simple" (see _VERB_ENDING)."""
    if label == "ORG" or not word.isalpha():
        return False
    if not _VERB_ENDING.search(word) and (label == "PER" or not word.endswith("re")):
        return False  # "Lire la suite", but "Pierre la …" is a person
    if i > 0 and doc[i - 1].text not in _SENTENCE_OPENERS:
        return False
    return i + 1 < len(doc) and doc[i + 1].text.lower() in _OBJECT_DETERMINERS


def _capitalised_start(doc: Doc, first: int, stop: int) -> int:
    """The first capitalised token of a span that starts with lower-case words ("russe des
    Affaires étrangères"), or ``first``."""
    for i in range(first, stop):
        if doc[i].text.lower() in _PORTFOLIO_CUES:
            return first  # "ministère des Affaires étrangères" is the ministry's name
        if not doc[i].text.islower():
            return i if doc[i].text[:1].isupper() else first
    return first


def _portfolio_before_a_name(doc: Doc, first: int, words: list[str]) -> bool:
    """'Transports' in "le ministre délégué aux Transports Jean-Baptiste Djebbari": a portfolio
    the model ran into the minister's name (but "République française" stays whole)."""
    return (
        len(words) > 1
        and words[1][:1].isupper()
        and _is_portfolio(doc, first, entity_key(words[0]))
    )


def _is_opening_phrase(doc: Doc, i: int, words: list[str]) -> bool:
    """'Démarchage abusif', 'Dés 6 heures ce samedi matin': a MISC span opening a sentence whose
    other words are all in lower case or figures is the sentence's first words, no title."""
    if len(words) < 2 or (i > 0 and doc[i - 1].text not in _SENTENCE_END):
        return False
    return all(w.islower() or w.isdigit() for w in words[1:])


def _with_name_determiner(doc: Doc, start: int, end: int) -> int:
    """The span's start, moved back over a capitalised determiner inside a sentence, or opening
    a quotation the name fills (“La Nouvelle Tribune”, « Le Temps »: a title keeps its
    article)."""
    if start < 2 or doc[start - 1].text not in _NAME_DETERMINERS:
        return start
    before = doc[start - 2].text
    if before in _QUOTES_OPEN and end < len(doc) and doc[end].text in _QUOTES_CLOSE:
        return start - 1
    return start if before in _SENTENCE_OPENERS or before in _OPENING else start - 1


_FORMER = frozenset({"ex-", "Ex-"})
# Where a name ends at the latest in scraped text: a Markdown link's or a tag's bracket, a web
# address, an emoji or a symbol ("[Désobéissance Ecolo Paris](https://lundi.am…)", "[Mouvement
# Social] ⚠️ Le trafic", "appli⬇️").
_MARKUP = re.compile(
    r"[\[\]]|https?://|www\.|[\u2190-\u2bff\U0001f000-\U0001faff]|(?<=[^\W\d_])\("
)  # and a bracket glued to a word: "Société Financière Internationale(SFI)"
_STATES = frozenset({"États", "Etats", "État", "Etat"})
# Functions written with a capital ("le Directeur général", "Président BIYA", "le Chef de
# l'Etat"), as in much African, Belgian and Québec news: no names, nor part of one.
# Public and business offices only: "Sœur Emmanuelle", "Abbé Pierre", "Roi Arthur" are names.
_CAPITALISED_TITLES = _wordset(
    """Président Présidente Vice-président Vice-présidente Ministre Premier Première Directeur
    Directrice Chef Gouverneur Préfet Préfète Sénateur Sénatrice Député Députée Maire
    Commissaire Secrétaire Sélectionneur Sélectionneuse Procureur Procureure"""
)
_PREMIER = frozenset({"Premier", "Première"})  # "Premier League", "Première Nation"
_TITLE_CONTINUATIONS = _wordset(
    """Général Générale Adjoint Adjointe Délégué Déléguée Exécutif Exécutive Ministre
    Ministres"""
)
_GOVERNMENT = frozenset({"Gouvernement"})
# A sentence's last word glued by a scraper to the next one's first ("structurerDes
# Marseillais", "ordinairesLes agents"): the lower-case word and the determiner are no part of
# the name.
_GLUED = re.compile(r"^[a-zà-ÿ]{3,}(?:(?:Les|Le|La|Des|Du|De|Un|Une)\s+|L['’])?(?=[A-ZÀ-Þ])")


def _title_before_a_name(words: list[str]) -> int | None:
    """Words of a function written with a capital at the start of a span: 1 when a name
    follows ("Président BIYA"), None when the span is the function alone ("Directeur", "Chef du
    Gouvernement", "Ministre d'Etat", "Premier ministre sénégalais", "Commissaire européenne",
    "Ministre du Portefeuille"), 0 when something else follows ("Premier League")."""
    rest = words[1:]
    if all(
        w.islower() or w in _TITLE_CONTINUATIONS or w in _STATES or w in _GOVERNMENT
        or entity_key(w) in _PORTFOLIOS_FOLDED
        for w in rest
    ):  # fmt: skip
        return None
    k = 1  # "Secrétaire générale du" + "Syndicat …", "Sélectionneur du" + "Sénégal"
    while k < len(words) and (words[k] in _TITLE_CONTINUATIONS or _lower_word(words[k])):
        if words[k] in _DE:
            break
        k += 1
    if k < len(words) - 1 and words[k] in _DE:
        k += 2 if words[k] == "de" and words[k + 1] in _DE_ARTICLE else 1
        if k < len(words) and words[k][:1].isupper():
            return k  # the office is no part of the name of what it is an office of
    if words[0] not in _PREMIER and all(
        w[:1].isupper() and w not in _TITLE_CONTINUATIONS for w in rest
    ):
        return 1
    return 0


def _is_common_state(words: list[str]) -> bool:
    """ "Etats américains", "État de droit": "État(s)" before lower-case words only is no name
    ("États généraux", an assembly, is one)."""
    return (
        len(words) > 1
        and words[0] in _STATES
        and words[1] != "généraux"
        and all(_lower_word(w) for w in words[1:])
    )


def _lower_word(word: str) -> bool:
    """A word in lower case letters, or a hyphen ("marins" "-" "pompiers")."""
    return word == "-" or (word.islower() and word.replace("-", "").isalpha())


def _closes_a_char_ref(text: str, start: int, end: int) -> int:
    """1 when a name ends on an undecoded HTML character reference whose ";" was stripped as
    punctuation ("Patrick Pouyann&#xE9" + ";"), else 0."""
    last = text.rfind("&", start, end)
    if last < 0 or text[end : end + 1] != ";":
        return 0
    return 1 if _CHAR_REF.fullmatch(text[last : end + 1]) else 0


def _before_a_char_ref_quote(raw: str, end: int) -> tuple[str, int]:
    """A span's text and end cut before an undecoded HTML character reference that stands for
    a quote or a space ("Kim Kardashian&quot;.&#xA0;Les" -> "Kim Kardashian")."""
    for m in _CHAR_REF.finditer(raw):
        if m.start() and not html.unescape(m.group()).isalnum():
            cut = raw[: m.start()]
            return cut, end - (len(raw) - len(cut))
    return raw, end


# "au Parisien", "du Figaro", "aux Républicains": the article of "Le Parisien", "Le Figaro",
# "Les Républicains" merged with the preposition before it.
_CONTRACTED_ARTICLES = {"au": "le", "du": "le", "aux": "les", "des": "les"}


def _with_contracted_article(doc: Doc, start: int, key: str) -> str:
    """The key of a name with the article a contraction before it took ("au Parisien": "le
    parisien"), or ``key``."""
    if start == 0:
        return key
    article = _CONTRACTED_ARTICLES.get(doc[start - 1].text)
    return f"{article} {key}" if article else key


def _after_a_place_head(doc: Doc, start: int) -> bool:
    """'Orange' in "la ville d'Orange": a place's head and a "de" link before the name."""
    return start >= 2 and doc[start - 1].text.lower() in _DE and doc[start - 2].text in _LOC_HEADS
