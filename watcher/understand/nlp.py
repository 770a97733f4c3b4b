"""spaCy enrichment: named entities, axes and PESTEL topics, in batches.

The spaCy pipeline is loaded once per process and model (:func:`load_pipeline`), with only
the components enrichment needs: for ``fr_core_news_sm`` that is ``ner`` alone, which has its
own internal tok2vec (about 2x the throughput of the full pipeline, see shared/libraries.md
§3(a)). Axes and topics are matched on the raw text with :mod:`watcher.understand.matching`,
compiled
once per :class:`Enricher`; each document is stemmed once and tested against every matcher.

With ``n_process`` > 1, :meth:`Enricher.enrich_with` runs everything per item (spaCy, entities,
axes, topics, language and a caller's extra step such as references) in worker processes, each
with a single-process ``nlp.pipe``, and sends back only the small results: no Doc crosses a
pipe, and the calling process only has what depends on item order left to do.

Entities are normalised (:func:`normalise_entities`): determiners, titles and generic heads
are stripped ("la société Carrefour" -> "Carrefour", "Mme Élisabeth Borne" -> "Élisabeth
Borne"), casing is fixed ("CARREFOUR" -> "Carrefour" when the item also writes "Carrefour"),
junk is dropped, and mentions with the same folded key are merged and counted.
"""

from __future__ import annotations

import bisect
import gc
import html
import multiprocessing
import os
import re
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from watcher.taxonomy import TopicSpec, outside_subjects
from watcher.text import fold, form_key
from watcher.understand.boilerplate import blank_boilerplate
from watcher.understand.known_names import known_names, name_key
from watcher.understand.matching import Analysed, MatcherSet, analyse, compile_matcher

if TYPE_CHECKING:  # spaCy is imported lazily: `watcher check` must not pay for it
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "AxisSpec",
    "Enricher",
    "Enrichment",
    "Entity",
    "Mention",
    "body_spans",
    "compose",
    "detect_language",
    "entity_key",
    "entity_mentions",
    "in_reference",
    "load_pipeline",
    "normalise_entities",
    "without_references",
]

DEFAULT_MODEL = "fr_core_news_md"
T = TypeVar("T")
LABELS = ("PER", "ORG", "LOC", "MISC")


# --------------------------------------------------------------------------- data types


@dataclass(frozen=True)
class Entity:
    label: str  # PER | ORG | LOC | MISC
    name: str  # normalised display form
    key: str  # folded key for grouping: lower case, no accents, words joined by one space
    count: int  # mentions in this item
    # Where the mentions are: (start, end) character offsets into the analysed text.
    spans: tuple[tuple[int, int], ...] = ()
    # Its span and label are safe to rely on (pre-filling a form): every mention has the same
    # label, not MISC, and it is a place, or a cue backs it, or it is mentioned twice, or it
    # is a name of several words. On the WikiNEuRal sets such entities are right 88-89% of
    # the time, the others 58-59% (benchmarks/quality_entities.py).
    confident: bool = False


@dataclass(frozen=True)
class Enrichment:
    entities: tuple[Entity, ...]
    axes: tuple[str, ...]
    topics: tuple[str, ...]
    language: str  # "fr" | "en" | "und"


@dataclass(frozen=True)
class AxisSpec:
    id: str
    keywords: tuple[str, ...]
    equations: tuple[str, ...] = ()
    topics: frozenset[str] = frozenset()  # an item with one of these topics is on the axis


# --------------------------------------------------------------------------- pipeline


def _components_to_exclude(model: str, keep: Sequence[str]) -> list[str]:
    """Every pipeline component not in ``keep`` and not feeding one of them (tok2vec listeners)."""
    import spacy.util

    if spacy.util.is_package(model):
        root = spacy.util.get_package_path(model)
        cfg_path = next(root.glob("*/config.cfg"), root / "config.cfg")
    else:
        cfg_path = Path(model) / "config.cfg"
    if not cfg_path.exists():
        return []
    config = spacy.util.load_config(cfg_path)
    pipeline: list[str] = list(config["nlp"]["pipeline"])
    needed = set(keep)
    for name in keep:
        tok2vec = config["components"].get(name, {}).get("model", {}).get("tok2vec", {})
        if "Listener" in str(tok2vec.get("@architectures", "")):
            upstream = tok2vec.get("upstream", "tok2vec")
            needed.update(pipeline if upstream == "*" else [upstream])
    return [c for c in pipeline if c not in needed]


@lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL, keep: tuple[str, ...] = ("ner",)) -> Language:
    """Load ``model`` once per process with only ``keep`` (and what they listen to).

    Cached per (model, keep). The model must be installed as a package or be a local path:
    nothing is downloaded.
    """
    import spacy

    return spacy.load(model, exclude=_components_to_exclude(model, keep))


# --------------------------------------------------------------------------- entities


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


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
    fournisseur fournisseurs magazine journal quotidien hebdomadaire laboratoire
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
    sa sas sarl inc ltd gmbh tribunal parti fondation comité collectif"""
)
# Words of sports clubs' names ("Dinamo Zagreb", "Athletic Bilbao"): the model often calls them
# places or people.
_CLUB_WORDS = _wordset(
    "dinamo dynamo deportivo athletic atlético sporting racing spartak lokomotiv"
)
# Words that make a name an organisation only as written, in capitals or capitalised: clubs'
# abbreviations ("FK Rostov", "EV Zoug") and company suffixes ("United Artists Records"; but
# "le Livre Guinness des records").
_ORG_WORDS_AS_WRITTEN = _wordset(
    """FC CF FK AC SC KV IK BK SK HC HK EV RC CD UD NAC SSC AFC Records Corporation Corp
    Company LLC PLC"""
)
# Capitalised portfolio or institution nouns that are not entities on their own after
# "ministre de l'Économie", "président de la République", "chargée de la Consommation".
_PORTFOLIO_CUES = _wordset(
    """ministre ministres ministère chargé chargée secrétaire président présidente
    haut-commissaire haute-commissaire portefeuille"""
)
# Portfolios, one a line: the whole name after the cue and its link ("l'Éducation nationale").
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
    alimentation""".splitlines()
)
_LINKS = _wordset("de du des la l' l’ d' d’")
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
        if word.strip(_PUNCT_EDGES) == "":
            return True
        if end - i < 2:  # never drop the last word
            return False
        if low in _LEADING_DROP:
            return True
        if word in _HEADS_BEFORE_A_LINK and words[i + 1].lower() in _DE:
            return capitalised_after(i + 1)  # "le district des Carrefours": Carrefours
        if low in _TITLES or (_head_case(word) and low in _GENERIC_HEADS):
            return capitalised_after(i + 1)
        # "la CNIL", "La société Carrefour"; but "La Poste", "L'Oréal"
        return low in _DETERMINERS and (word.islower() or not words[i + 1][:1].isupper())

    while start < end and droppable(start):
        start += 1
    while end > start and (
        words[end - 1].strip(_PUNCT_EDGES) == ""
        or words[end - 1].lower() in _TRAILING_DROP
        or words[end - 1] in _TRAILING_PREPOSITIONS  # but "Sierra Madre del Sur"
    ):
        end -= 1
    return start, end


_CAPS_WORD = re.compile(r"[^\W\d_]+")


def _vowels(word: str) -> int:
    return sum(c in _VOWELS for c in word.lower())


def _fix_allcaps(name: str, known: dict[str, str]) -> str:
    """'CARREFOUR BANQUE' -> 'Carrefour Banque'; acronyms (CNIL, DGCCRF, BNP) stay.

    A word also written in mixed case elsewhere in the item takes that form ("CARREFOUR"
    when the item has "Carrefour"). Otherwise a word of 6+ letters with 2+ vowels is
    capitalised, and so, in a name that has such a word, is every other word with 2+ vowels
    ("FREE MOBILE" -> "Free Mobile", "UFC-QUE CHOISIR" -> "UFC-Que Choisir").
    """
    words = _CAPS_WORD.findall(name)
    long_word = any(len(w) >= 6 and _vowels(w) >= 2 for w in words)

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if not word.isupper():
            return word
        seen = known.get(fold(word))
        if seen is not None:
            return seen
        if _vowels(word) >= 2 and (len(word) >= 6 or (long_word and len(word) >= 3)):
            return word[:1] + word[1:].lower()
        return word

    return _CAPS_WORD.sub(fix, name)


def _all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _best_spelling(variants: dict[str, int]) -> str:
    """The display form among the spellings of one key (mixed case first, then the most
    frequent, then the shortest); one written all in capitals is fixed by the caller."""

    def score(item: tuple[str, int]) -> tuple[int, int, int]:
        text, n = item
        letters = [c for c in text if c.isalpha()]
        allcaps = bool(letters) and all(c.isupper() for c in letters)
        alllower = bool(letters) and all(c.islower() for c in letters)
        return (int(not allcaps and not alllower), n, -len(text))

    return max(variants.items(), key=score)[0]


def _known_casing(groups: dict[str, _Group]) -> dict[str, str]:
    """Folded word -> its mixed-case spelling among the item's entities."""
    known: dict[str, str] = {}
    for g in groups.values():
        for variant in g.variants:
            for folded, word in _mixed_case_words(variant):
                known.setdefault(folded, word)
    return known


@lru_cache(maxsize=65536)
def _mixed_case_words(name: str) -> tuple[tuple[str, str], ...]:
    """(folded, as written) of each word of ``name`` written in mixed case ("Carrefour")."""
    return tuple(
        (fold(w), w) for w in _CAPS_WORD.findall(name) if not w.isupper() and not w.islower()
    )


@dataclass
class _Group:
    labels: dict[str, int]
    variants: dict[str, int]
    first: int
    count: int = 0
    spans: list[tuple[int, int]] = field(default_factory=list)
    cued: bool = False


def _cue_label(doc: Doc, ent_start: int, stripped: list[str]) -> str | None:
    """Label told by a generic head or title in the stripped prefix or just before the span."""
    for w in reversed(stripped):
        low = w.lower()
        if low in _HEAD_LABEL and (_head_case(w) or low in _TITLES):
            return _HEAD_LABEL[low]
    if ent_start > 0:
        prev = doc[ent_start - 1].text
        low = prev.lower()
        if low in _HEAD_LABEL and (_head_case(prev) or low in _TITLES):
            return _HEAD_LABEL[low]
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
    if key not in _PORTFOLIOS_FOLDED:
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
_PORTFOLIO_LINKS = _LINKS | _wordset("au aux à")  # "ministre délégué aux Transports"
_PORTFOLIO_SEPARATORS = frozenset({"et", ","})
_PORTFOLIO_LIST_MAX = 6
_ORG_WORDS_FOLDED = frozenset(entity_key(w) for w in _ORG_WORDS)
_CLUB_WORDS_FOLDED = frozenset(entity_key(w) for w in _CLUB_WORDS)
_COMPASS = _wordset("Nord Sud Est Ouest Nord-Est Nord-Ouest Sud-Est Sud-Ouest")
_ACRONYM = re.compile(r"^[A-Z][A-Z&-]{1,5}$")
_ALL_CAPS_WORD = re.compile(r"^[A-Z]{2,10}$")


def _is_club_or_company(name: str, key: str) -> bool:
    return any(w in _CLUB_WORDS_FOLDED for w in key.split()) or any(
        w in _ORG_WORDS_AS_WRITTEN for w in name.split()
    )


# Québec's and Canada's public bodies and companies are named by a common noun and the
# province or the country: "Hydro-Québec", "Héma-Québec", "Loto-Québec", "Santé Canada", "Postes
# Canada", "Air Canada" (but "Bas-Canada", "Nord-Québec" are places).
_CANADIAN_BODY = re.compile(r"^([A-ZÀ-Þ][a-zà-ÿ]+)[- ](?:Québec|Canada)$")


def _is_a_canadian_body(name: str) -> bool:
    found = _CANADIAN_BODY.match(name)
    return found is not None and found.group(1) not in _PLACE_PREFIXES


def _label(predicted: str, cue: str | None, name: str, key: str) -> str:
    if cue is not None:
        return cue
    if predicted != "ORG" and (
        any(w in _ORG_WORDS_FOLDED for w in key.split()) or _is_club_or_company(name, key)
    ):
        return "ORG"
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
_GEO_HEADS_FOLDED = frozenset(entity_key(w) for w in _GEO_HEADS)
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
    if entity_key(doc[place].text) in _GEO_HEADS_FOLDED:
        return False
    if label in ("ORG", "MISC"):
        return True
    return start > 0 and doc[start - 1].text.lower() in _PLURAL_DETERMINERS


def _word_after(doc: Doc, end: int, label: str) -> int:
    """1 if the word after a span belongs to it: a geographic adjective after a place
    ("Amérique centrale"), a year after a MISC name ("Série mondiale 2001"); else 0."""
    if end >= len(doc):
        return 0
    word = doc[end].text
    if label == "LOC":
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
# Separators of an enumeration of names ("Orange, Free, Bouygues Telecom ou SFR").
_LIST_SEPARATOR = re.compile(r"^\s*(?:,\s*)?(?:(?:et|ou)(?:\s+encore)?\s+|,\s*)$")
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


def _with_name_determiner(doc: Doc, start: int) -> int:
    """The span's start, moved back over a capitalised determiner inside a sentence."""
    if start < 2 or doc[start - 1].text not in _NAME_DETERMINERS:
        return start
    before = doc[start - 2].text
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


@dataclass(frozen=True)
class Mention:
    """One entity mention: character offsets into the analysed text, the span's label after
    Watcher's fixes, its normalised name and key, and whether a cue backs its label (a head
    such as "la société", a title such as "Mme", an organisation word such as "Banque")."""

    start: int
    end: int
    label: str
    name: str
    key: str
    cued: bool = False


def entity_mentions(doc: Doc) -> list[Mention]:
    """Every entity mention of a spaCy Doc, with its boundaries and label fixed (see
    :func:`_spans`) and junk left out, in text order. Rules from real news paragraphs
    (tests/data/entities/news_fr_entities.yml): a law's names are no entities
    (:func:`_without_law_names`),
    an enumeration of organisations makes its places and products organisations
    (:func:`_agreeing_lists`), initials in brackets after a name are that name
    (:func:`_with_bracketed_acronyms`); inhabitants ("sept Français sur dix"), a verb opening a
    sentence ("Trouver un appartement"), a sentence's first words called MISC and unquoted
    Latin names of species are no entities; a capitalised determiner inside a sentence belongs
    to the name ("par Les Républicains"), and a portfolio before a name is dropped ("aux
    Transports Jean-Baptiste Djebbari"). From the second set (news_fr_entities2.yml):
    well-known organisations, products and regions take their label from
    ``watcher/data/entity_names.yml`` and its common words are no names
    (:mod:`watcher.understand.known_names`), an acronym and its bracketed long form are two
    whole names (:func:`_merged_expansions`), a city in a match report is its club
    (:func:`_clubs_for_cities`), a journey "Paris-Lille" is two places
    (:func:`_routes_split`). From the third set (news_fr_entities3.yml): undecoded HTML
    character references are mended (:func:`_closes_a_char_ref`,
    :func:`_before_a_char_ref_quote`) and are no capitals, a name ends on no preposition, a
    Roman ordinal alone is none ("XXIe siècle") and with "République" is MISC, the name after a
    work's, an operation's, a vehicle's or a plan's head is MISC ("le livre Noir Canada"), a
    word in capitals is no person ("GASCODE"), a hospital or a school named after a person is
    that name, an organisation, and a word glued to the name by a scraper is cut off
    ("financementLa LDH"). From the eighth round (the four news sets' development parts):
    portfolios listed after a minister are none (:func:`_is_portfolio`), nor are functions
    written with a capital (:func:`_title_before_a_name`), "États" before lower-case words,
    constitutions, a currency's name after "francs", "outre-Manche", web addresses; a name ends
    before Markdown, an emoji or a glued bracket; acronyms defined in the text fix the long
    name's end and their label and those defined by a lower-case phrase are none
    (:func:`_with_bracketed_acronyms`, :func:`_without_common_acronyms`); well-known names of
    several words fix the model's boundaries (:func:`_known_name_spans`) and are found after a
    contracted article ("au Parisien"); a dateline names a place and an agency
    (:func:`_dateline`); a head with a complement ("la société de conseil Wavestone") or a
    nationality in lower case ("l'américain Anadar") tells an organisation, and so does a
    Canadian body's form ("Hydro-Québec"); "district de" is no part of the place; an
    enumeration of places makes its one-word names places."""
    out: list[Mention] = []
    laws: list[tuple[int, int]] = []
    text = doc.text  # built from every token at each call: once here
    surnames = {entity_key(e[-1].text) for e in doc.ents if e.label_ == "PER" and len(e) > 1}
    for span_start, span_end, predicted in _spans(doc):
        span_start = _with_name_determiner(doc, span_start)
        words = [t.text for t in doc[span_start:span_end]]
        if len(words) <= 2 and _is_latin_binomial(doc, span_start):
            continue
        if len(words) == 1:
            if _is_opening_participle(doc, span_start, words[0], predicted):
                continue
            if _is_demonym(doc, span_start, words[0], predicted):
                continue
            if _is_opening_verb(doc, span_start, words[0], predicted):
                continue
            if _extends_right(doc, span_end, words[0]):  # "Conseil" + "constitutionnel"
                words.append(doc[span_end].text)
        if predicted == "MISC" and _is_opening_phrase(doc, span_start, words):
            continue
        start, end = _strip_span(words)
        if start < end and words[start] in _CAPITALISED_TITLES:
            title = _title_before_a_name(words[start:end])
            if title is None:
                continue  # "Chef du Gouvernement", "Directeur", "Premier ministre sénégalais"
            start += title  # "Président BIYA": BIYA
        law = start < end and _names_a_law(doc, span_start + start, words[start:end])
        if law:
            predicted = "MISC"
            if end - start > 1 and words[start] in _LAW_CUES:  # "loi Rebsamen", not "Directive X"
                start += 1
        if predicted == "PER":  # "René Cassin nobel": a person's name ends on a capital
            while end - start > 1 and _lower_word(words[end - 1]):
                end -= 1  # "Guy des marins-pompiers"
        if start < end and _ROMAN_ORDINAL.match(words[start]):
            if end - start == 1:
                continue  # "le XXIe siècle"
            if words[start + 1] in _ROMAN_REGIMES:
                predicted = "MISC"
        if start >= end or end - start > _MAX_TOKENS:
            continue
        first, stop = span_start + start, span_start + end
        if _portfolio_before_a_name(doc, first, words[start:end]):
            start, first, predicted = start + 1, first + 1, "PER"  # "aux Transports" + a name
        raw = doc[first:stop].text  # the span's own text: no need to build the Doc's
        char_start = doc[first].idx
        if raw[:3] in _FORMER and raw[3:4].isupper():  # "X (ex-Twitter)": Twitter
            raw, char_start = raw[3:], char_start + 3
        glued = _GLUED.match(raw)  # "financementLa LDH": LDH
        if glued:
            raw, char_start = raw[glued.end() :], char_start + glued.end()
            if glued.group().endswith(("Des ", "Les ")) and _DEMONYM.match(raw):
                continue  # "structurerDes Marseillais": inhabitants
        char_end = char_start + len(raw)
        raw, char_end = _before_a_char_ref_quote(raw, char_end)
        markup = _MARKUP.search(raw)  # "Ecolo Paris](https://lundi.am", "Social] ⚠️ Le trafic"
        if markup:
            raw, char_end = raw[: markup.start()], char_end - (len(raw) - markup.start())
        found = _name_and_key(raw)
        if found is None:
            continue
        name, key = found
        if _is_common_state(words[start:end]):
            continue  # "des Etats américains", "l'État de droit"; not "États généraux"
        if name.startswith("outre-") or (first > 0 and doc[first - 1].text in _CURRENCIES):
            continue  # "outre-Manche", "outre-Atlantique"; "francs CFA", "franc Pacifique"
        cap = _capitalised_start(doc, first, stop)  # "russe des Affaires étrangères"
        if _is_portfolio(doc, cap, key if cap == first else entity_key(doc[cap:stop].text)):
            continue
        if stop < span_end and _is_portfolio(doc, cap, entity_key(doc[cap:span_end].text)):
            continue  # a person's trailing lower-case words cut off: "Affaires étrangères"
        char_start += len(raw) - len(raw.lstrip(_PUNCT_EDGES))
        char_end -= len(raw) - len(raw.rstrip(_PUNCT_EDGES))
        char_end += _closes_a_char_ref(text, char_start, char_end)
        possessive = _POSSESSIVE.match(text, char_end)  # "Moody" + "'s", "Poor" + " 's"
        if possessive and predicted != "PER":
            char_end = possessive.end()
            name = " ".join(text[char_start:char_end].split())
            key = entity_key(name)
        cue = _cue_label(doc, span_start, words[:start])
        if cue is None and end - start == 1 and _after_a_nationality(doc, first):
            cue = "ORG"  # "l'américain Anadar", "le britannique Vodafone"
        if predicted == "PER" and cue is None and _is_quoted_title(doc, first, stop):
            predicted = "MISC"
        label = "MISC" if law else _label(predicted, cue, name, key)
        known = known_names()
        if key in known.not_names:
            continue  # "Internet", "MWh", « l'État »
        cued = cue is not None or (label == "ORG" and predicted != "ORG")
        surname = predicted == "PER" and key in surnames  # "Georges Boulanger … Boulanger"
        known_key = key if key in known.labels else _with_contracted_article(doc, first, key)
        if not law and cue is None and known_key in known.labels and not surname:
            if _after_a_place_head(doc, first):  # "la ville d'Orange"
                label = "LOC"
            else:
                label, cued = known.labels[known_key], True  # "Leclerc", "Orange", "Intercités"
        out.append(Mention(char_start, char_end, label, name, key, cued))
        if law:
            laws.append((char_start, char_end))
    out = _merged_expansions(text, _without_law_names(text, out, laws))
    out = _routes_split(text, _clubs_for_cities(text, out))
    out = _with_bracketed_acronyms(text, _agreeing_lists(text, _known_name_spans(text, out)))
    out = _without_common_acronyms(text, out) if "(" in text else out
    return _dateline(text, out)


_MONTHS = "|".join(
    _wordset(
        """janvier février fevrier mars avril mai juin juillet août aout septembre octobre
        novembre décembre decembre"""
    )
)
# A news agency's dateline opening a text: "KINSHASA, 29 mai (Xinhua) --", "Diamniadio, 29 mai
# (APS) –", "PARIS, 3 janvier 2024 (AFP) -".
_DATELINE = re.compile(
    r"\s*([A-ZÀ-Þ][\w’'. -]{1,40}?)\s*,\s*(?:le\s+)?\d{1,2}(?:er)?\s+(?:"
    + _MONTHS
    + r")(?:\s+\d{4})?\s*(?:\(\s*([A-ZÀ-Þ][\w .-]{1,25}?)\s*\))?\s*(?:--|[-–—:])",
    re.IGNORECASE,
)


def _dateline(text: str, mentions: list[Mention]) -> list[Mention]:
    """A dateline opening a text names a place, then maybe an agency: "KINSHASA, 29 mai
    (Xinhua) --" (the model calls the place in capitals an organisation), "Diamniadio, 29 mai
    (APS) –" (and the agency a place)."""
    found = _DATELINE.match(text)
    if found is None:
        return mentions
    fixed = {found.span(1): "LOC"}
    if found.group(2):
        fixed[found.span(2)] = "ORG"
    out = []
    for m in mentions:
        label = fixed.pop((m.start, m.end), None)
        out.append(replace(m, label=label, cued=True) if label else m)
    for (start, end), label in fixed.items():  # the agency the model missed
        if label == "ORG":
            name = text[start:end]
            out.append(Mention(start, end, label, name, entity_key(name), True))
    return sorted(out, key=lambda m: m.start)


# A bracket after a name holds its other name: closed within this many characters, or it is
# none (an unclosed one must not swallow the names up to a far ")", nor cost a scan of the text).
_BRACKET_CHARS = 250


def _bracket_after(text: str, end: int) -> tuple[int, int] | None:
    """(start, end) of a bracket opening right after ``end`` (spaces and a quote allowed)."""
    i = end
    while i < len(text) and text[i] in " \t":
        i += 1
    if i >= len(text) or text[i] != "(":
        return None
    close = text.find(")", i, i + _BRACKET_CHARS)
    return (i, close) if close > 0 else None


def _word_before(text: str, end: int) -> str:
    """The word right before ``end`` with only spaces between, or "" (looking back no further
    than them: a regex search from the text's start would cost its length for each name)."""
    i = _spaces_before(text, end)
    start = i
    while start > 0 and _WORD_CHAR.match(text[start - 1]):
        start -= 1
    return text[start:i]


_WORD_CHAR = re.compile(r"[\w’'-]")


def _spaces_before(text: str, end: int) -> int:
    """``end`` moved back over the spaces before it."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _without_law_names(
    text: str, mentions: list[Mention], laws: list[tuple[int, int]]
) -> list[Mention]:
    """A law's name is no entity (the item page lists it as a reference, see
    :mod:`watcher.understand.refs`), nor is its other name in a bracket right after it,
    however the model cut it ("la loi AGEC (Anti-Gaspillage pour une Économie Circulaire)"),
    nor a name right before a bracket holding a law's ("la CSRD (Corporate Sustainability
    Reporting Directive)")."""
    if not laws:
        return mentions
    brackets = sorted(b for _, law_end in laws if (b := _bracket_after(text, law_end)) is not None)
    opens = [b[0] for b in brackets]
    law_spans = set(laws)
    law_starts = sorted(s for s, _ in laws)
    out: list[Mention] = []
    for m in mentions:
        # the last bracket opened before the name is the only one that may hold it: an earlier
        # one closes before it opens, or at the same ")"
        k = bisect.bisect_left(opens, m.start) - 1
        if (m.start, m.end) in law_spans or (k >= 0 and m.end <= brackets[k][1]):
            continue
        after = _bracket_after(text, m.end)
        if after is not None:
            k = bisect.bisect_right(law_starts, after[0])
            if k < len(law_starts) and law_starts[k] <= after[1]:
                continue
        out.append(m)
    return out


def _agreeing_lists(text: str, mentions: list[Mention]) -> list[Mention]:
    """An enumeration of three names or more of which half or more are organisations
    ("Teleperformance, Webhelp, Acticall ou Arvato", "Atac, Casino, Leclerc, Carrefour et
    Système U") lists organisations: the names in it the model called places or products
    (MISC), with no cue, are organisations too. People's names are left alone: Wikipedia's
    lists mix bands and their singers. In one of which more than half are places, the
    one-word names the model called people or products are places ("les quartiers Bonabéri,
    Bépanda et Logbessou")."""
    out = list(mentions)
    i = 0
    while i < len(out):
        j = i
        while j + 1 < len(out) and _LIST_SEPARATOR.match(text[out[j].end : out[j + 1].start]):
            j += 1
        if j - i >= 2:
            members = out[i : j + 1]
            counts: dict[str, int] = {}
            for m in members:
                counts[m.label] = counts.get(m.label, 0) + 1
            if counts.get("ORG", 0) * 2 >= len(members):
                for k in range(i, j + 1):
                    if out[k].label in ("LOC", "MISC") and not out[k].cued:
                        out[k] = replace(out[k], label="ORG")
            elif counts.get("LOC", 0) * 2 > len(members):  # "Bonabéri, Bépanda et Logbessou"
                for k in range(i, j + 1):
                    if out[k].label != "ORG" and not out[k].cued and " " not in out[k].name:
                        out[k] = replace(out[k], label="LOC")
        i = j + 1
    return out


def _initials(name: str) -> str:
    words = re.split(r"[\s'’-]+", name)
    return "".join(w[0] for w in words if w and w.lower() not in _ACRONYM_SKIPPED).upper()


def _with_bracketed_acronyms(text: str, mentions: list[Mention]) -> list[Mention]:
    """A name followed by its initials in brackets gives them its label, whatever the model
    called them: "l'Allocation Demandeur d'Asile (ADA)", "l'Observatoire des tarifs bancaires
    (OTB)", "l'Office de la Protection du Consommateur (OPC)"; lower-case words
    between the name and the bracket that the initials need belong to the name, which the
    model cut short ("Service départemental d'incendie" + "et de secours (SDIS)")."""
    starts = {m.start for m in mentions}
    relabelled: dict[int, str] = {}  # the acronym's start -> the name's label
    out = []
    for m in mentions:
        found = _BRACKETED_ACRONYM.match(text, m.end)
        if found is None:
            gap = _LOWER_WORDS_THEN_ACRONYM.match(text, m.end)
            if gap is not None:
                name = " ".join(text[m.start : gap.end(1)].split())
                if gap.group(2) == _initials(name):
                    m = replace(m, end=gap.end(1), name=name, key=entity_key(name))
                    found = _BRACKETED_ACRONYM.match(text, m.end)
        out.append(m)
        if found is None or found.group(1) != _initials(m.name):
            continue
        if found.start(1) in starts:  # "l'Office de la Protection du Consommateur (OPC)"
            relabelled[found.start(1)] = m.label
            continue
        acronym = found.group(1)
        out.append(
            Mention(found.start(1), found.end(1), m.label, acronym, entity_key(acronym), m.cued)
        )
    if relabelled:
        out = [
            replace(m, label=relabelled[m.start])
            if m.start in relabelled and not m.cued and m.end - m.start < 9
            else m
            for m in out
        ]
    return out


@lru_cache(maxsize=1)
def _known_name_parts() -> tuple[frozenset[str], frozenset[str]]:
    """The folded keys that begin, and those that end, a well-known name of several words
    ("la republique" of "la republique en marche", "suisses" of "3 suisses")."""
    heads, tails = set(), set()
    for key in known_names().labels:
        words = key.split()
        for n in range(1, len(words)):
            heads.add(" ".join(words[:n]))
            tails.add(" ".join(words[n:]))
    return frozenset(heads), frozenset(tails)


_KNOWN_NAME_MORE_WORDS = 3  # words a well-known name may add to a mention on either side
_NEXT_WORDS = re.compile(r"\s*-?([\w’'&+]+(?:\.[\w’'&+]+)*)")  # "La République en marche-MoDem"
_SPACED = re.compile(r"\S+")


def _known_name_spans(text: str, mentions: list[Mention]) -> list[Mention]:
    """A mention that is the start or the end of a well-known name of several words the text
    writes in full becomes that name, with its label, and takes in the mentions it covers:
    "La République" + "en marche", "RED" + "by SFR", "3" + "Suisses"
    (``watcher/data/entity_names.yml``). A person's name opening with a well-known
    organisation is two names: "Renaissance" + "Stéphane Vojetta"."""
    labels = known_names().labels
    heads, tails = _known_name_parts()
    out: list[Mention] = []
    skip_to = -1
    for m in mentions:
        if m.start < skip_to:
            continue  # covered by the well-known name before
        best = None
        if m.key in heads:
            end = m.end
            for _ in range(_KNOWN_NAME_MORE_WORDS):
                word = _NEXT_WORDS.match(text, end)
                if word is None:
                    break
                end = word.end(1)
                key = entity_key(text[m.start : end])
                if key != m.key and key in labels:
                    best = (m.start, end)
        if best is None and m.key in tails:
            start = m.start
            for _ in range(_KNOWN_NAME_MORE_WORDS):
                before = _word_before(text, start)
                if not before or before.islower():
                    break  # "ou le Monde": a determiner in lower case is no part of it
                start = _spaces_before(text, start) - len(before)
                key = entity_key(text[start : m.end])
                if key != m.key and key in labels:
                    best = (start, m.end)
        if best is None and " " in m.key and m.key not in labels:
            best = _known_name_before_lower_words(text, m, labels)
        if best is not None:
            while out and out[-1].end > best[0]:
                out.pop()  # "RED" taken in "RED by SFR" from the left: nothing before it
            name = " ".join(text[best[0] : best[1]].split())
            key = entity_key(name)
            out.append(Mention(best[0], best[1], labels[key], name, key, True))
            skip_to = best[1]
            continue
        out.extend(_known_organisation_before_a_person(text, m, labels))
    return out


def _known_name_before_lower_words(
    text: str, m: Mention, labels: dict[str, str]
) -> tuple[int, int] | None:
    """ "Black Friday bleu-blanc-rouge": a well-known name the model ran into lower-case words
    ends before them."""
    words = list(_SPACED.finditer(text, m.start, m.end))
    k = len(words)
    while k > 1 and _lower_word(words[k - 1].group()):
        k -= 1
    if k == len(words):
        return None
    end = words[k - 1].end()
    return (m.start, end) if entity_key(text[m.start : end]) in labels else None


def _known_organisation_before_a_person(
    text: str, m: Mention, labels: dict[str, str]
) -> list[Mention]:
    """ "le député Renaissance Stéphane Vojetta": a well-known organisation and a person's name
    the model ran together (a person's name of two words or more follows)."""
    if m.label != "PER" or m.key.count(" ") < 2:
        return [m]
    words = list(_SPACED.finditer(text, m.start, m.end))
    for n in (1, 2):
        if len(words) - n < 2 or not all(w.group()[:1].isupper() for w in words[n:]):
            break
        org_end = words[n - 1].end()
        org = text[m.start : org_end]
        if labels.get(entity_key(org)) == "ORG":
            person_start = words[n].start()
            person = text[person_start : m.end]
            return [
                Mention(m.start, org_end, "ORG", org, entity_key(org), True),
                replace(m, start=person_start, name=person, key=entity_key(person)),
            ]
    return [m]


_ACRONYM_IN_BRACKETS = re.compile(r"\(\s*([A-Z][A-Za-z]{1,7})\s*\)")
_ACRONYM_BEFORE_BRACKET = re.compile(r"\b([A-Z][A-Za-z]{1,7})\s*\(([^()]{3,120})\)")
_PHRASE_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_ACRONYM_PHRASE_WORDS = 8
# First words of a phrase in lower case that names a body all the same ("la direction générale
# des finances publiques (DGFiP)"): its acronym stays a name.
_BODY_WORDS = (
    _ORG_WORDS
    | _ORG_HEADS
    | _wordset(
        """direction office comité observatoire service services centre conseil haut haute cour
    tribunal fonds union"""
    )
)


def _lower_phrase_spelling(text: str, bracket: int, acronym: str) -> int | None:
    """Start of the lower-case phrase right before ``bracket`` whose initials spell
    ``acronym`` ("système d'information nutritionnelle" before "(SIN)"), or None."""
    before = text[max(0, bracket - 160) : bracket]
    words = list(_PHRASE_WORD.finditer(before))[-_ACRONYM_PHRASE_WORDS:]
    if not words or before[words[-1].end() :].strip():
        return None  # something other than spaces between the phrase and the bracket
    target = fold(acronym)
    for k in range(len(words) - 1, -1, -1):
        word = words[k].group()
        if not word.islower():
            return None
        phrase = before[words[k].start() :]
        if fold(_initials(phrase)) == target:
            return None if word in _BODY_WORDS else bracket - len(before) + words[k].start()
    return None


def _without_common_acronyms(text: str, mentions: list[Mention]) -> list[Mention]:
    """An acronym defined by a phrase in lower case names a thing, not a body: "un système
    d'information nutritionnelle (SIN)", "la location longue durée (LLD)"; neither it (anywhere
    in the text) nor the phrase's words are names. A body so written keeps its acronym ("la
    direction générale des finances publiques (DGFiP)"). The long form of an acronym that is
    no name is none either: "les IBAN (International Bank Account Number)", "RSE
    (Responsabilité Sociétale des Entreprises)"."""
    dropped_keys: set[str] = set()
    dropped_spans: list[tuple[int, int]] = []
    for found in _ACRONYM_IN_BRACKETS.finditer(text):
        start = _lower_phrase_spelling(text, found.start(), found.group(1))
        if start is not None:
            dropped_keys.add(entity_key(found.group(1)))
            dropped_spans.append((start, found.end()))
    not_names = known_names().not_names
    for found in _ACRONYM_BEFORE_BRACKET.finditer(text):
        acronym, inner = found.group(1), found.group(2)
        if entity_key(acronym) in not_names and _spells(acronym, inner):
            dropped_spans.append((found.start(2), found.end(2)))
    if not dropped_keys and not dropped_spans:
        return mentions
    dropped_spans.sort()
    starts = [s for s, _ in dropped_spans]

    def inside(m: Mention) -> bool:  # the phrases do not overlap: the last one before it
        k = bisect.bisect_right(starts, m.start) - 1
        return k >= 0 and m.end <= dropped_spans[k][1]

    return [m for m in mentions if m.key not in dropped_keys and not inside(m)]


# Words of a match report: a text with three of them or more (a score such as "2-1" counts as
# one) is about sport, and a city named
# there without a place's preposition or determiner is its club ("Caen n'a plus gagné",
# "réduit le score pour Lille", "le nul contre Clermont"; but "la défaite à Bordeaux").
_SPORT_WORDS = _wordset(
    """match matches matchs victoire victoires défaite défaites but buts buteur score
    championnat entraîneur mi-temps penalty pénalty équipe équipes classement nul journée
    supporters relégation podium attaquant défenseur gardien essai rencontre carton"""
)
_WORD = re.compile(r"[\w’'-]+")
_PLACE_WORDS_BEFORE = _wordset(
    """à au aux en dans de du des d' d’ vers près sur le la les l' l’ depuis jusqu'à par
    entre ville région"""
)
_SCORE = re.compile(r"(?<![\d,.])\d{1,2}-\d{1,2}(?![\d-])")  # "victoire 6-0", "(1-1)"
_ONE_WORD_NAME = re.compile(r"^[A-ZÀ-Þ][\w’'-]*$")


def _clubs_for_cities(text: str, mentions: list[Mention]) -> list[Mention]:
    """In a text about sport (see _SPORT_WORDS), a one-word place with no cue, named without a
    place's preposition or determiner before it, is a club: "Caen n'a plus gagné depuis fin
    août, Toulouse reste sur trois victoires"."""
    words = {w.lower() for w in _WORD.findall(text)}
    if len(words & _SPORT_WORDS) + bool(_SCORE.search(text)) < 3:
        return mentions
    out = []
    for m in mentions:
        if m.label == "LOC" and not m.cued and _ONE_WORD_NAME.match(m.name):
            word = _word_before(text, m.start).lower()  # with only spaces between
            if not word.endswith(("'", "’")) and word not in _PLACE_WORDS_BEFORE:
                m = replace(m, label="ORG")
        out.append(m)
    return out


# Journeys written with a hyphen: "billets Paris-Lausanne", "reliant Paris-Lille, Paris-Lyon".
_ROUTE = re.compile(r"^([A-ZÀ-Þ][\w’']+)-([A-ZÀ-Þ][\w’']+)$")
_TRAVEL_WORDS = _wordset(
    """trajet trajets liaison liaisons billet billets train trains TGV vol vols reliant relier
    relie relient"""
)
# First words of one place's compound name ("Saint-Denis" and "Saint-Ouen" are no journeys).
_PLACE_PREFIXES = _wordset(
    """Saint Sainte San Santa Santo São Mont Port Pont Val Bois Fort Grand Grande Petit Petite
    Neuf Vieux Haut Haute Bas Basse Nord Sud Est Ouest Nouvelle Nouveau Île"""
)


def _routes_split(text: str, mentions: list[Mention]) -> list[Mention]:
    """A place written "X-Y" after a word of travel ("billets Paris-Lausanne"), or listed right
    after such a journey ("reliant Paris-Lille, Paris-Strasbourg"), is two places; "Paris-Orly",
    "Saint-Denis" or "Aix-en-Provence" stay whole."""
    out: list[Mention] = []
    previous: Mention | None = None  # the last journey split
    for m in mentions:
        found = _ROUTE.match(m.name) if m.label == "LOC" else None
        if found is None or found.group(1) in _PLACE_PREFIXES:
            out.append(m)
            continue
        before = _WORD.findall(text[max(0, m.start - 40) : m.start])[-3:]
        listed = previous is not None and _LIST_SEPARATOR.match(text[previous.end : m.start])
        if not listed and not any(w in _TRAVEL_WORDS for w in before):
            out.append(m)
            continue
        second = m.start + found.start(2)
        for start, name in ((m.start, found.group(1)), (second, found.group(2))):
            key = entity_key(name)
            out.append(replace(m, start=start, end=start + len(name), name=name, key=key))
        previous = m
    return out


_DOTTED_ACRONYM = re.compile(r"^[A-Z](?:\.?[A-Z]){1,7}\.?$")  # "DGCCRF", "P.E.E.P."


def _spells(acronym: str, name: str) -> bool:
    """Whether ``name``'s initials spell ``acronym`` ("DGCCRF", "Direction Générale de la
    Concurrence, de la Consommation et de la Répression des Fraudes")."""
    return fold(_initials(name)) == fold(acronym.replace(".", ""))


def _headed_by_an_organisation(acronym: Mention, head: Mention) -> Mention:
    """The acronym of a long name whose first piece, its head, is an organisation is one
    ("Caisse de dépôt" + "et placement du" + "Québec" + "(CDPQ)"), whatever the model called
    the acronym."""
    if head.label == "ORG" and acronym.label != "ORG" and not acronym.cued:
        return replace(acronym, label="ORG")
    return acronym


def _merged_expansions(text: str, mentions: list[Mention]) -> list[Mention]:
    """An acronym and the name it stands for, one in brackets after the other, are two whole
    names even where the model cut the long one in pieces: "La DGCCRF (Direction Générale de la
    Concurrence, de la Consommation et de la Répression des Fraudes)", "l'Observatoire pour la
    Conservation et l'Etude des Animaux et Milieux Marins (OCEAMM)". The name takes the
    acronym's label, an organisation's when its head is one; its initials vouch for it,
    however long it is."""

    def whole(start: int, end: int, acronym: Mention) -> Mention:
        name = " ".join(text[start:end].split())
        return Mention(start, end, acronym.label, name, entity_key(name), acronym.cued)

    out: list[Mention] = []
    i = 0
    while i < len(mentions):
        m = mentions[i]
        i += 1
        if not _DOTTED_ACRONYM.match(m.name):
            out.append(m)
            continue
        # the pieces before it: "Observatoire … Conservation" + "Etude … Marins" + "(OCEAMM)"
        bracket = _spaces_before(text, m.start) - 1  # where "(" stands right before it
        if bracket >= 0 and text[bracket] == "(":
            end = _spaces_before(text, bracket)
            for k in range(len(out) - 2, max(-1, len(out) - 5), -1):
                if _spells(m.name, text[out[k].start : end]):
                    m = _headed_by_an_organisation(m, out[k])
                    out[k:] = [whole(out[k].start, end, m)]
                    break
        out.append(m)
        # the pieces after it, in brackets: "DGCCRF" + "(Direction … Fraudes)"
        after = _bracket_after(text, m.end)
        if after is None:
            continue
        inside = []  # the mentions are in text order: those after it, up to the bracket's end
        for k in range(i, len(mentions)):
            if mentions[k].end > after[1]:
                break
            inside.append(k)
        inner = text[after[0] + 1 : after[1]]
        if len(inside) > 1 and _spells(m.name, inner):
            start = after[0] + 1 + len(inner) - len(inner.lstrip())
            out[-1] = m = _headed_by_an_organisation(m, mentions[inside[0]])
            out.append(whole(start, start + len(inner.strip()), m))
            i = inside[-1] + 1
    return out


def normalise_entities(doc: Doc) -> tuple[Entity, ...]:
    """Normalised, merged and counted entities of a spaCy Doc, most mentioned first."""
    groups: dict[str, _Group] = {}
    for m in entity_mentions(doc):
        g = groups.get(m.key)
        if g is None:
            g = groups[m.key] = _Group({}, {}, m.start)
        g.labels[m.label] = g.labels.get(m.label, 0) + 1
        g.variants[m.name] = g.variants.get(m.name, 0) + 1
        g.count += 1
        g.spans.append((m.start, m.end))
        g.cued = g.cued or m.cued
    if not groups:
        return ()
    _merge_surnames(groups)
    known: dict[str, str] | None = None  # the item's mixed-case words, for names in capitals
    out = []
    for key, g in groups.items():
        top = max(g.labels.values())
        label = next(lab for lab in LABELS if g.labels.get(lab) == top)
        if len(g.variants) == 1 and not (name := next(iter(g.variants))).isupper():
            display = name
        else:
            display = _best_spelling(g.variants)
            if _all_caps(display):
                if known is None:
                    known = _known_casing(groups)
                display = _fix_allcaps(display, known)
        confident = (
            len(g.labels) == 1
            and label != "MISC"
            and (label == "LOC" or g.cued or g.count > 1 or " " in key)
        )
        spans = tuple(sorted(g.spans))
        out.append((g.count, -g.first, Entity(label, display, key, g.count, spans, confident)))
    out.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return tuple(e for _, _, e in out)


# A reference's span: (start, end, kind of reference), as watcher.understand.refs finds them.
RefSpan = tuple[int, int, str]


def in_reference(start: int, end: int, label: str, references: Sequence[RefSpan]) -> bool:
    """A mention that is part of a legal or normative citation, not a name of its own: the
    model tags « RGPD », « ISO 9001 », « L. 221-18 », « Code de la consommation » or the « UE »
    of « règlement (UE) 2016/679 » as names. In a decision or a ruling an organisation is its
    issuer (« délibération de la CNIL », « décision du Conseil d'État »): it stays."""
    return any(
        r_start <= start and end <= r_end and (kind != "decision" or label != "ORG")
        for r_start, r_end, kind in references
    )


def without_references(
    entities: Sequence[Entity], references: Sequence[RefSpan]
) -> tuple[Entity, ...]:
    """The entities with their mentions inside citations left out (see :func:`in_reference`),
    counted again; an entity with no mention left is dropped. Offsets are those of the text
    both were found in."""
    if not references:
        return tuple(entities)
    out = []
    for entity in entities:
        spans = tuple(
            (s, e) for s, e in entity.spans if not in_reference(s, e, entity.label, references)
        )
        if len(spans) == len(entity.spans):
            out.append(entity)
        elif spans:
            out.append(
                replace(entity, spans=spans, count=entity.count - (len(entity.spans) - len(spans)))
            )
    return tuple(out)


def _merge_surnames(groups: dict[str, _Group]) -> None:
    """Fold a one-word person mention ("Macron") into the only full name ending with it."""
    full: dict[str, list[str]] = {}
    for key, g in groups.items():
        if " " in key and g.labels.get("PER", 0) >= max(g.labels.values()):
            full.setdefault(key.rsplit(" ", 1)[1], []).append(key)
    for key in [k for k in groups if " " not in k]:
        targets = full.get(key)
        g = groups[key]
        if targets and len(targets) == 1 and g.labels.get("PER", 0) >= max(g.labels.values()):
            t = groups[targets[0]]
            t.count += g.count
            t.labels["PER"] = t.labels.get("PER", 0) + g.count
            t.first = min(t.first, g.first)
            t.spans.extend(g.spans)
            del groups[key]


# --------------------------------------------------------------------------- language

_FR_WORDS = _wordset(
    "le la les des du et est un une pour dans que qui sur au aux pas par avec ce cette sont "
    "à de ont été son sa ses leur plus"
)
_EN_WORDS = _wordset(
    "the and of to is in for that with on are this by was be it as at from has have an "
    "which their its were"
)
_LANG_WORD = re.compile(r"[^\W\d_]+")
# Form keys of those words; a key shared by both lists (none today) would count for French.
_FR_KEYS = frozenset(form_key(w) for w in _FR_WORDS)
_EN_KEYS = frozenset(form_key(w) for w in _EN_WORDS) - _FR_KEYS


def detect_language(text: str, *, sample: int = 3000) -> str:
    """Cheap function-word vote on the first ``sample`` characters: "fr", "en" or "und"."""
    fr = en = 0
    for w in _LANG_WORD.findall(text[:sample].lower()):
        if w in _FR_WORDS:
            fr += 1
        elif w in _EN_WORDS:
            en += 1
    return _vote(fr, en)


def _language_of(doc: Analysed) -> str:
    """detect_language on an already analysed text (whole text, a few dict look-ups)."""
    counts = doc.counts
    fr = sum(counts[k] for k in _FR_KEYS if k in counts)
    en = sum(counts[k] for k in _EN_KEYS if k in counts)
    return _vote(fr, en)


def _vote(fr: int, en: int) -> str:
    if fr >= 2 and fr >= en:
        return "fr"
    if en >= 2 and en > fr:
        return "en"
    return "und"


# --------------------------------------------------------------------------- enricher


def compose(title: str, text: str) -> str:
    """The text an item is analysed as: its title, a blank line, its text."""
    title = (title or "").strip()
    text = (text or "").strip()
    if not title:
        return text
    if not text:
        return title
    return f"{title}\n\n{text}"


def body_spans(
    title: str, text: str, spans: Iterable[tuple[int, int]]
) -> tuple[tuple[int, int], ...]:
    """Offsets into the text that `compose` made of (``title``, ``text``) -> offsets
    into ``text`` itself; spans in the title are left out."""
    head = (title or "").strip()
    body = (text or "").strip()
    if not body:
        return ()
    base = len(head) + 2 if head else 0
    lead = len(text) - len(text.lstrip())
    return tuple((s - base + lead, e - base + lead) for s, e in spans if s >= base)


def _truncate(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut after a sentence end or a space when one is near."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    for sep in (". ", "\n", " "):
        cut = head.rfind(sep)
        if cut >= limit * 0.5:
            return head[: cut + 1]
    return head


class Enricher:
    """Entities, axes and topics for (title, text) pairs, in spaCy batches.

    Matchers are compiled once here (a bad keyword or equation raises ValueError); the spaCy
    pipeline is loaded on first use and shared by every Enricher of the process.
    """

    def __init__(
        self,
        axes: Sequence[AxisSpec],
        topics: Sequence[TopicSpec],
        model: str = DEFAULT_MODEL,
        *,
        max_chars: int = 100_000,
    ) -> None:
        self.model = model
        self.max_chars = max_chars
        self._axes = MatcherSet([(a.id, compile_matcher(a.keywords, a.equations)) for a in axes])
        self._axis_topics = tuple((a.id, a.topics) for a in axes)
        # a topic is what an item is about, not a common word it says once in passing
        # nor a word said in passing in a report of a knife attack (outside_subjects)
        self._topics = MatcherSet(
            [(t.id, compile_matcher(t.keywords, strong=t.strong, weak=t.weak)) for t in topics],
            firmly=True,
            outside=[compile_matcher(o.keywords) for o in outside_subjects()],
        )

    @property
    def nlp(self) -> Language:
        return load_pipeline(self.model)

    def classify(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(axes, topics) matching ``text`` (its boilerplate blanked); no spaCy involved."""
        return self._classify(analyse(blank_boilerplate(text)))

    def _classify(self, doc: Analysed) -> tuple[tuple[str, ...], tuple[str, ...]]:
        axes, topics = self._axes.matching(doc), self._topics.matching(doc)
        if topics:
            found = set(topics)
            matched = set(axes) | {a for a, wanted in self._axis_topics if wanted & found}
            axes = tuple(a for a, _ in self._axis_topics if a in matched)
        return axes, topics

    def enrich(
        self,
        docs: Iterable[tuple[str, str]],
        *,
        batch_size: int = 64,
        n_process: int = 1,
    ) -> Iterator[Enrichment]:
        """One Enrichment per (title, text) pair, in the same order, streamed."""
        for found, _ in self.enrich_with(
            docs, _no_extra, batch_size=batch_size, n_process=n_process
        ):
            yield found

    def enrich_with(
        self,
        docs: Iterable[tuple[str, str]],
        extra: Callable[[str, str], T],
        *,
        batch_size: int = 64,
        n_process: int = 1,
    ) -> Generator[tuple[Enrichment, T], None, None]:
        """(Enrichment, ``extra(title, text)``) per (title, text) pair, in order, streamed.

        Only the text spaCy needs (at most ``max_chars``) goes to ``nlp.pipe``; the full text
        is kept for matching. With ``n_process`` > 1 every step (spaCy, entities, axes,
        topics, language and ``extra``) runs in ``n_process`` worker processes, each with its
        own single-process ``nlp.pipe``, fed ``batch_size`` pairs at a time; only the small
        results come back (no Doc crosses a pipe), so the caller's process stays free.
        ``extra`` must then be picklable (a module-level function). Closing the generator
        before its end stops the workers.
        """
        if n_process == 1:
            yield from self._enrich_here(docs, extra, batch_size)
            return
        if n_process < 1:
            n_process = os.cpu_count() or 1
        load_pipeline(self.model)  # before the workers start: forked ones inherit it, as in spaCy
        ctx = multiprocessing.get_context()
        pool = ctx.Pool(n_process, initializer=_init_worker, initargs=(self, extra, batch_size))
        try:
            for results in pool.imap(_enrich_batch, _batches(docs, batch_size)):
                yield from results
            pool.close()
            pool.join()
        finally:
            pool.terminate()

    def _enrich_here(
        self, docs: Iterable[tuple[str, str]], extra: Callable[[str, str], T], batch_size: int
    ) -> Iterator[tuple[Enrichment, T]]:
        limit = self.max_chars
        waiting: deque[tuple[str, str, str]] = deque()

        def feed() -> Iterator[str]:
            for title, text in docs:
                full = blank_boilerplate(compose(title, text))  # same length, same offsets
                waiting.append((title, text, full))
                yield _truncate(full, limit)

        # The cyclic GC's full collections walk every live object, the pipeline's ~120k
        # included, while the per-item work below allocates enough to trigger them: objects
        # alive now (the pipeline, the caller's) are left out until the stream ends.
        gc.freeze()
        try:
            for doc in self.nlp.pipe(feed(), batch_size=batch_size):
                title, text, full = waiting.popleft()
                analysed = analyse(full)
                axes, topics = self._classify(analysed)
                found = Enrichment(
                    entities=normalise_entities(doc),
                    axes=axes,
                    topics=topics,
                    language=_language_of(analysed),
                )
                yield found, extra(title, text)
        finally:
            gc.unfreeze()


def _no_extra(title: str, text: str) -> None:
    return None


def _batches(docs: Iterable[tuple[str, str]], size: int) -> Iterator[list[tuple[str, str]]]:
    it = iter(docs)
    while batch := list(islice(it, size)):
        yield batch


# The worker processes' state (see Enricher.enrich_with): set once by the pool's initializer.
_WORKER: tuple[Enricher, Callable[[str, str], Any], int] | None = None


def _init_worker(enricher: Enricher, extra: Callable[[str, str], Any], batch_size: int) -> None:
    global _WORKER
    _WORKER = (enricher, extra, batch_size)


def _enrich_batch(batch: list[tuple[str, str]]) -> list[tuple[Enrichment, Any]]:
    assert _WORKER is not None, "worker not initialised"
    enricher, extra, batch_size = _WORKER
    return list(enricher._enrich_here(batch, extra, batch_size))
