"""Entity mentions of a spaCy Doc (:func:`entity_mentions`): the span rules of
:mod:`watcher.understand.entities.spans` applied to each span, then the rules on the
whole text (law names, enumerations, bracketed acronyms, well-known names, common
acronyms, clubs in match reports, journeys, acronyms and their expansions, datelines)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from watcher.text import fold
from watcher.understand.entities.context import (
    acronym_after_la,
    after_a_class,
    after_a_common_acronym,
    employer_cue,
    is_a_designation,
    is_a_league,
    media_cue,
    newspaper_after_a_contracted_article,
    parts_around_a_stray_closer,
)
from watcher.understand.entities.spans import (
    _ACRONYM_SKIPPED,
    _ALL_CAPS_WORD,
    _BRACKETED_ACRONYM,
    _CAPITALISED_TITLES,
    _CURRENCIES,
    _DEMONYM,
    _EVENT_HEADS,
    _FORMER,
    _GLUED,
    _LAW_CUES,
    _LIST_SEPARATOR,
    _LOWER_WORDS_THEN_ACRONYM,
    _MARKUP,
    _MAX_TOKENS,
    _NAME_DETERMINERS,
    _ORG_HEADS,
    _ORG_WORDS,
    _PLACE_PREFIXES,
    _POSSESSIVE,
    _PUNCT_EDGES,
    _ROMAN_ORDINAL,
    _ROMAN_REGIMES,
    _after_a_nationality,
    _after_a_place_head,
    _after_a_portfolio,
    _before_a_char_ref_quote,
    _capitalised_start,
    _closes_a_char_ref,
    _cue_label,
    _extends_right,
    _is_common_state,
    _is_demonym,
    _is_latin_binomial,
    _is_opening_participle,
    _is_opening_phrase,
    _is_opening_verb,
    _is_portfolio,
    _is_quoted_title,
    _label,
    _lower_word,
    _name_and_key,
    _names_a_law,
    _nationality_before_a_name,
    _portfolio_before_a_name,
    _spans,
    _strip_span,
    _title_before_a_name,
    _with_contracted_article,
    _with_name_determiner,
    _wordset,
    entity_key,
)
from watcher.understand.known_names import known_names

if TYPE_CHECKING:  # spaCy is imported lazily: `watcher check` must not pay for it
    from spacy.tokens import Doc


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
    headed: set[str] = set()  # one-word names a head word or a context cue made organisations
    long_names: list[tuple[int, int]] = []  # a body's long name after its acronym and a dash
    text = doc.text  # built from every token at each call: once here
    surnames = {  # "Georges Boulanger": Boulanger; not "La Matmut", the model's "person"
        entity_key(e[-1].text)
        for e in doc.ents
        if e.label_ == "PER" and len(e) > 1 and e[0].lower_ not in _ARTICLES
    }
    for span_start, span_end, predicted in _spans(doc):
        span_start = _with_name_determiner(doc, span_start, span_end)
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
        if end - start > 1 and _nationality_before_a_name(doc, span_start + start):
            start += 1  # "le Marocain Platinum Power": a company (or a person), no place
            predicted = "ORG" if predicted == "LOC" else predicted
        if start < end and words[start] in _CAPITALISED_TITLES:
            title = _title_before_a_name(words[start:end])
            if title is None:
                continue  # "Chef du Gouvernement", "Directeur", "Premier ministre sénégalais"
            start += title  # "Président BIYA": BIYA
        lead = int(start + 1 < end and words[start] == "Le")  # « Le Conseil d'administration »
        if start < end and words[start + lead].lower() == "conseil":  # a board: no name
            board = _after_a_board(words, start + lead, end)
            if board is None:
                continue  # « Le Conseil d'administration a révoqué … »
            start = board
        if start < end:  # "SAMU de Strasbourg": Strasbourg
            start = after_a_common_acronym(words, start, end, known_names().not_names)
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
        after = _after_a_portfolio(doc, _capitalised_start(doc, first, stop), stop)
        if after == stop:
            continue  # "ministre des Mines et de l'Énergie du gouvernement"
        if after is not None:  # "ministre des Carrières du Burkina Faso": the country
            start, first, predicted = after - span_start, after, "LOC"
        place_of_a_minister = after is not None
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
        if markup is None:
            markup = _SPACED_DASH.search(raw)  # "Lengow — Photo": a credit after a dash
        if markup:
            tail = raw[markup.end() :]
            if predicted == "ORG" and _acronym_then_long_name(raw[: markup.start()], tail):
                long_names.append((char_end - len(tail), char_end))  # "HEC - Ecole de Gestion"
            raw, char_end = raw[: markup.start()], char_end - (len(raw) - markup.start())
        article = _article_before_a_known_name(raw)  # "La Macif a annoncé": Macif
        if article:
            raw, char_start = raw[article:], char_start + article
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
        if text[char_end : char_end + 1] == "." and (
            name.rsplit(" ", 1)[-1] in _LEGAL_FORMS or _ENDS_ON_INITIALS.search(name)
        ):  # "Petrolin Infrastructures Corp.", "Minerai de fer Québec inc.", « T.F. : »
            char_end, name = char_end + 1, name + "."
        possessive = _POSSESSIVE.match(text, char_end)  # "Moody" + "'s", "Poor" + " 's"
        if possessive and predicted != "PER":
            char_end = possessive.end()
            name = " ".join(text[char_start:char_end].split())
            key = entity_key(name)
        cue = None if place_of_a_minister else _cue_label(doc, span_start, words[:start])
        if cue is None and end - start == 1 and _after_a_nationality(doc, first):
            cue = "ORG"  # "l'américain Anadar", "le britannique Vodafone"
        if predicted == "PER" and cue is None and _is_quoted_title(doc, first, stop):
            predicted = "MISC"
        known = known_names()
        if key in known.not_names:
            continue  # "Internet", "MWh", « l'État »
        known_key = key if key in known.labels else _with_contracted_article(doc, first, key)
        if cue is None and known_key not in known.labels and words[start] not in _EVENT_HEADS:
            cue = employer_cue(doc, first, predicted)  # "la directrice générale de Cafpi"
            if cue is None:
                cue = media_cue(doc, first)  # "le magazine américain Consumer Reports"
            if (
                cue is None
                and end - start == 1
                and newspaper_after_a_contracted_article(doc, first)
            ):
                cue = "ORG"  # « il livre au Temps »
        product = law or is_a_designation(name) or is_a_league(name)  # "National 2": MISC
        label = "MISC" if product else _label(predicted, cue, name, key)
        cued = cue is not None or (label == "ORG" and predicted != "ORG")
        if (
            cue is None
            and label == "MISC"
            and not product
            and end - start == 1
            and acronym_after_la(doc, first, name)
        ):  # « la SONACOP », « de la BPI » (and « la FAQ », « la RGPP »: see the README)
            label, cued = "ORG", True
        surname = predicted == "PER" and key in surnames  # "Georges Boulanger … Boulanger"
        if not law and cue is None and known_key in known.labels and not surname:
            if _after_a_place_head(doc, first):  # "la ville d'Orange"
                label = "LOC"
            else:
                label, cued = known.labels[known_key], True  # "Leclerc", "Orange", "Intercités"
        out.append(Mention(char_start, char_end, label, name, key, cued))
        if cue == label == "ORG" and " " not in key:
            headed.add(key)
        if law:
            laws.append((char_start, char_end))
    for long_start, long_end in long_names:
        found = _name_and_key(text[long_start:long_end])
        if found is not None:
            out.append(Mention(long_start, long_end, "ORG", *found))
    out.sort(key=lambda m: m.start)
    out = _merged_expansions(
        text, _without_law_names(text, _split_at_stray_closers(text, out), laws)
    )
    out = _routes_split(text, _sites_split(text, _clubs_for_cities(text, out)))
    out = _with_bracketed_acronyms(text, _agreeing_lists(text, _known_name_spans(text, out)))
    out = _syllabic_acronyms(text, out) if "(" in text else out
    out = _apposed_organisations(text, _known_organisations_of_a_country(out))
    out = _without_verbs_before_pronouns(text, _before_a_verb_and_its_object(out))
    out = _without_common_acronyms(text, out) if "(" in text else out
    out = _dateline(text, _as_the_head_word_tells(out, headed))
    return _photo_credits(text, out) if "/" in text else out


def _as_the_head_word_tells(mentions: list[Mention], headed: set[str]) -> list[Mention]:
    """A one-word name a head word or a context cue made an organisation once is one wherever
    the item names it without a cue: "Le prestataire de relation client Webhelp … Webhelp
    prévoit" is an organisation twice, though the model called the second one a person. Only
    organisations: spreading places' and people's cues too broke a held-out floor."""
    if not headed:
        return mentions
    return [
        replace(m, label="ORG", cued=True)
        if m.key in headed and not m.cued and m.label != "ORG"
        else m
        for m in mentions
    ]


_ARTICLES = frozenset({"le", "la", "les", "l'", "l’"})
# A capitalised article opening a mention (the model takes a sentence's first word in: "La
# Macif a annoncé", "Les Dernières Nouvelles d'Alsace le disent").
_OPENING_ARTICLE = re.compile(r"(?:Le|La|Les)\s+(?=\S)")  # "L'" is stripped before


def _article_before_a_known_name(raw: str) -> int:
    """The length of an article opening a mention whose rest is a well-known name while the
    whole is not ("La Macif" -> "Macif"; not "La Poste", "Le Parisien": the list holds them with
    their article); 0 otherwise."""
    article = _OPENING_ARTICLE.match(raw)
    if article is None:
        return 0
    labels = known_names().labels
    if entity_key(raw) in labels or entity_key(raw[article.end() :]) not in labels:
        return 0
    return article.end()


# A company's board, capitalised or not: « le Conseil d'administration de Groupama », « le
# conseil de surveillance ». No name of its own: the company's name after its link is the name.
_ELISIONS = ("d'", "d’")
_BOARD_WORDS = {("d'", "administration"), ("d’", "administration"), ("de", "surveillance")}


def _after_a_board(words: list[str], start: int, end: int) -> int | None:
    """Where the name starts after a board's words and their link ("Conseil d'administration
    de" + "Groupama"), ``start`` when the span is no board, None when it is the board alone."""
    k = start + 1
    low = [w.lower() for w in words[k : k + 2]]
    if low[:1] and low[0] in ("d'administration", "d’administration"):
        k += 1
    elif tuple(low) in _BOARD_WORDS:
        k += 2
    else:
        return start
    if k < end and words[k].lower() in ("de", "du", "des", *_ELISIONS):
        k += 1
        if k < end and words[k].lower() in ("la", "l'", "l’"):
            k += 1
        return k if k < end and words[k][:1].isupper() else None
    return None


# A dash between spaces ends a name: what follows is another part of the line, a photo
# credit or a rubric ("fondateur de Lengow — Photo : …", "Nantes – Actualités"); and, with a
# hyphen too (round 22), an apposition or a byline ("ADEME - AGENCE DE L ENVIRONNEMENT …", "HEC
# - Ecole de Gestion …", "SHÉDIAC - La municipalité de Shédiac"). No labelled name of the
# development parts holds a spaced dash.
_SPACED_DASH = re.compile(r"\s[—–-]\s")


# An organisation's acronym, a spaced dash and its long name in capitalised words (round 22):
# "ADEME - AGENCE DE L ENVIRONNEMENT …", "HEC - Ecole de Gestion de l'Université de Liège" are
# two names, both organisations.
_ACRONYM_LETTERS = re.compile(r"[A-Z]{2,8}")
_LONG_NAME_LINKS = _wordset("de du des d' d’ l' l’ la le les et en pour à aux sur L")
_ELIDED = re.compile(r"^(?:[dlDL]['’])(?=\w)")


def _acronym_then_long_name(left: str, tail: str) -> bool:
    """Whether ``left`` is an acronym and ``tail`` a long name of two words or more, all
    capitalised but their links, opening on no article ("SHÉDIAC - La municipalité": no)."""
    words = tail.split()
    if not _ACRONYM_LETTERS.fullmatch(left) or len(words) < 2 or words[0] in _NAME_DETERMINERS:
        return False
    return (
        all(w in _LONG_NAME_LINKS or _ELIDED.sub("", w)[:1].isupper() for w in words)
        and words[0][:1].isupper()
    )


# Abbreviated legal forms ending a company's name keep their full stop ("Petrolin
# Infrastructures Corp.", "Acme Inc."), which the span's edges lose.
_LEGAL_FORMS = frozenset({"Corp", "Inc", "inc", "Ltd", "Co", "Cie", "Bros"})  # Québec's "inc."
# A name ending on initials keeps the period the model took and the edges' strip dropped:
# speakers of an interview (« J. P. : », « T.F. : »), firms (« Industries T.L.T., »), the
# news sets' labels (round 21). Not "J.-C." (a dash between), nor a whole word ("la SNCF.").
_ENDS_ON_INITIALS = re.compile(r"(?:^|[\s.])[A-Z]\.\s?[A-Z]$")
_STRAY_CLOSERS = frozenset(")»”")


def _split_at_stray_closers(text: str, mentions: list[Mention]) -> list[Mention]:
    """A mention running over a closing bracket or quote it did not open is the names on either
    side ("BAD),la Banque Centrale…" -> "BAD" and "Banque Centrale…"; see
    :func:`~.context.parts_around_a_stray_closer`); an acronym the model called a person is an
    organisation ("GNLF),le Béninois" -> "GNLF"), inhabitants after it are none."""
    if not any(c in _STRAY_CLOSERS for m in mentions for c in m.name):
        return mentions
    out: list[Mention] = []
    for m in mentions:
        raw = text[m.start : m.end]
        if not any(c in _STRAY_CLOSERS for c in raw):
            out.append(m)
            continue
        parts = parts_around_a_stray_closer(raw)
        for k, (a, b) in enumerate(parts):
            name = " ".join(raw[a:b].split())
            found = _name_and_key(name)
            if found is None or (k > 0 and _DEMONYM.match(name)):
                continue
            label = "ORG" if m.label == "PER" and _ALL_CAPS_WORD.match(name) else m.label
            out.append(
                replace(
                    m, start=m.start + a, end=m.start + b, label=label, name=found[0], key=found[1]
                )
            )
    return out


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
        if after_a_class(text, out[i].start):  # "des prestataires comme Mega, Eneco ou …"
            for k in range(i, j + 1):
                if out[k].label != "ORG" and not out[k].cued:
                    out[k] = replace(out[k], label="ORG")
        elif j - i >= 2:
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


# Heads of organisations in an apposition right after a name: "Test-Achats, l'association de
# consommateurs", "Comeos, la fédération du commerce", "Eneo, l'entreprise en charge de…".
# Not "application", "plateforme", "marque": products are MISC.
_APPOSED_HEADS = _wordset(
    """société entreprise groupe compagnie opérateur fournisseur distributeur enseigne banque
    assureur mutuelle association fédération organisation syndicat agence institut fondation
    coopérative firme constructeur fabricant laboratoire cabinet start-up startup filiale
    confédération organisme établissement transporteur"""
)
_APPOSITION = re.compile(r"\s*[»”\"]?\s*,\s*(?:le|la|l['’]|une?)\s*([a-zà-ÿ-]+)")


def _apposed_organisations(text: str, mentions: list[Mention]) -> list[Mention]:
    """A name followed by a comma and an organisation's head in an apposition is an
    organisation, whatever the model called it (see _APPOSED_HEADS)."""
    out = []
    for m in mentions:
        if m.label != "ORG" and not m.cued:
            found = _APPOSITION.match(text, m.end)
            if found is not None and found.group(1) in _APPOSED_HEADS:
                m = replace(m, label="ORG", cued=True)
        out.append(m)
    return out


def _known_organisations_of_a_country(mentions: list[Mention]) -> list[Mention]:
    """A well-known organisation's name and more capitalised words, which the model called a
    place or a person, is that organisation's national branch: "Orange Côte d'Ivoire", "ENEO
    Cameroun", "New Look France" (``watcher/data/entity_names.yml``)."""
    labels = known_names().labels
    out = []
    for m in mentions:
        words = m.name.split()
        if m.label in ("LOC", "PER") and not m.cued and len(words) > 1:
            for n in (1, 2):
                rest = words[n:]
                if (
                    rest
                    and all(_capitalised_place_word(w) for w in rest)
                    and labels.get(entity_key(" ".join(words[:n]))) == "ORG"
                ):
                    m = replace(m, label="ORG", cued=True)
                    break
        out.append(m)
    return out


def _capitalised_place_word(word: str) -> bool:
    """A capitalised word of a place's name, maybe after an elided "d'" ("Côte", "d’Ivoire")."""
    return word[:1].isupper() or (word[:2] in ("d'", "d’") and word[2:3].isupper())


# A pronoun joined to a verb by a hyphen: "Questionne-t-elle", "Renseignez-vous", "Dis-moi".
_HYPHENATED_PRONOUN = re.compile(
    r"-(?:t-)?(?:il|elle|ils|elles|on|vous|nous|moi|toi|le|la|les|lui|leur|en|y)(?![\w-])"
)
# An imperative opening a sentence before an infinitive: "Venez échapper à…".
_IMPERATIVE_THEN_INFINITIVE = re.compile(r"\s+[a-zà-ÿ]+(?:er|ir|re)\b")


def _without_verbs_before_pronouns(text: str, mentions: list[Mention]) -> list[Mention]:
    """A one-word name before a pronoun joined by a hyphen is a verb ("Questionne-t-elle",
    "Renseignez-vous"), and so is one in -ez opening a sentence before an infinitive ("Venez
    échapper"): no names."""
    out = []
    for m in mentions:
        if not m.cued and " " not in m.name and "-" not in m.name:
            if _HYPHENATED_PRONOUN.match(text, m.end):
                continue
            if (
                m.name.endswith("ez")
                and _IMPERATIVE_THEN_INFINITIVE.match(text, m.end)
                and _opens(text, m.start)
            ):
                continue
        out.append(m)
    return out


def _opens(text: str, start: int) -> bool:
    """Whether ``start`` opens the text, a line or a sentence."""
    i = _spaces_before(text, start)
    return i == 0 or text[i - 1] in '.!?:;«"\n•'


# A name in brackets right after a longer one, in capitals or capitalised, maybe two joined by
# a hyphen: "(SONACOP)", "(Sonacop)", "(Syntra-Sonacop)".
_SYLLABIC_IN_BRACKETS = re.compile(r"\s*\(\s*([A-Z][A-Za-z]{2,9}(?:-[A-Z][A-Za-z]{2,9})?)\s*\)")
_NAME_WORD = re.compile(r"[^\W\d_]+")


def _spelled_by_syllables(acronym: str, name: str) -> bool:
    """Whether ``acronym`` is made of the first letters of the name's words in order, one or
    more of each, from its first word on, and spelling half its words or more (links left
    out): "SONACOP" is "SOciété NAtionale de COmmercialisation des Produits pétroliers",
    "Cepici" "CEntre de Promotion des Investissements en Côte d'Ivoire", "Syntra-Sonacop"
    "SYNdicat des TRAvailleurs de la Sonacop". Initials only (one letter a word) are left to
    :func:`_with_bracketed_acronyms`."""
    letters = fold(acronym.replace("-", ""))
    words = [fold(w) for w in _NAME_WORD.findall(name) if w.lower() not in _ACRONYM_SKIPPED]
    if len(words) < 2 or (len(letters) == len(words) and fold(_initials(name)) == letters):
        return False

    def spell(i: int, k: int) -> int:  # words used to spell letters[i:] from words[k] on
        if i == len(letters):
            return k
        if k == len(words):
            return -1
        word = words[k]
        for n in range(min(len(word), len(letters) - i), 0, -1):
            if letters[i : i + n] == word[:n]:
                used = spell(i + n, k + 1)
                if used >= 0:
                    return used
        return -1

    used = spell(0, 0)
    return used >= 2 and used * 2 >= len(words)


def _syllabic_acronyms(text: str, mentions: list[Mention]) -> list[Mention]:
    """A name followed by its acronym in brackets, made of the first syllables of its words
    (see :func:`_spelled_by_syllables`), gives the acronym its label wherever the text names
    it, whatever the model said ("la Société nationale de commercialisation des produits
    pétroliers (Sonacop) … la Sonacop"); the lower-case head the acronym spells belongs to the
    name ("la société Nationale de commercialisation des produits pétroliers (SONACOP)")."""
    labels: dict[str, str] = {}
    out = list(mentions)
    for k, m in enumerate(mentions):
        found = _SYLLABIC_IN_BRACKETS.match(text, m.end)
        if found is None or m.label == "MISC":
            continue
        acronym = found.group(1)
        if not _spelled_by_syllables(acronym, m.name):
            head = _word_before(text, m.start)
            start = _spaces_before(text, m.start) - len(head)
            if not head.isalpha() or not head.islower() or head in _ACRONYM_SKIPPED:
                continue
            name = " ".join(text[start : m.end].split())
            if not _spelled_by_syllables(acronym, name):
                continue
            out[k] = replace(m, start=start, name=name, key=entity_key(name))
        labels[entity_key(acronym)] = m.label
        if not any(n.start == found.start(1) for n in mentions):
            key = entity_key(acronym)
            out.append(Mention(found.start(1), found.end(1), m.label, acronym, key, True))
    if not labels:
        return mentions
    out = [  # the text defines it: a cue
        replace(m, label=labels[m.key], cued=True) if m.key in labels and not m.cued else m
        for m in out
    ]
    return sorted(out, key=lambda m: m.start)


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
    supporters relégation podium attaquant défenseur gardien essai rencontre carton
    coéquipier coéquipiers sélectionneur mercato derby barragiste barragistes"""
)
_WORD = re.compile(r"[\w’'-]+")
_PLACE_WORDS_BEFORE = _wordset(
    """à au aux en dans de du des d' d’ vers près sur le la les l' l’ depuis jusqu'à par
    entre ville région"""
)
_SCORE = re.compile(r"(?<![\d,.])\d{1,2}-\d{1,2}(?![\d-])")  # "victoire 6-0", "(1-1)"
_ONE_WORD_NAME = re.compile(r"^[A-ZÀ-Þ][\w’'-]*$")
# Leagues written with a letter and their level ("L1", "L2", "N2", "D2"): only in a text about
# sport, since roads and university years are written so too ("la N2", "en L1").
_LETTER_LEAGUE = re.compile(r"[LNDR][1-3]")


def _clubs_for_cities(text: str, mentions: list[Mention]) -> list[Mention]:
    """In a text about sport (see _SPORT_WORDS), a one-word place with no cue, named without a
    place's preposition or determiner before it, is a club: "Caen n'a plus gagné depuis fin
    août, Toulouse reste sur trois victoires". A league named by its number ("National 2") is
    one sign of such a text, and there a league written with a letter ("L2") is MISC."""
    words = {w.lower() for w in _WORD.findall(text)}
    league = any(m.label == "MISC" and is_a_league(m.name) for m in mentions)
    if len(words & _SPORT_WORDS) + bool(_SCORE.search(text)) + league < 3:
        return mentions
    out = []
    for m in mentions:
        if _LETTER_LEAGUE.fullmatch(m.name):
            m = replace(m, label="MISC")  # "la montée en L2": a league, in a text about sport
        elif m.label == "LOC" and not m.cued and _ONE_WORD_NAME.match(m.name):
            word = _word_before(text, m.start).lower()  # with only spaces between
            if not word.endswith(("'", "’")) and word not in _PLACE_WORDS_BEFORE:
                m = replace(m, label="ORG")
        out.append(m)
    return out


# A company's site named after it and its town (round 19): "l'usine Renault de Sandouville",
# "l'ex-site Alstom de Reichshoffen", "l'usine Rolls-Royce de Montréal": the company, then the
# place. Not "l'usine des Brasseries du Cameroun", the company's own name after a determiner.
_SITE_HEADS = _wordset(
    """usine usines ex-usine site ex-site sites entrepôt entrepôts raffinerie magasin
    magasins agence succursale"""
)
_COMPANY_OF_A_PLACE = re.compile(r"^(\S.*?) (?:de |d['’])([A-ZÀ-Þ][^ ]*(?: [^ ]+)*)$")


def _sites_split(text: str, mentions: list[Mention]) -> list[Mention]:
    """A company's site "X de Y" after a site's head word (see _SITE_HEADS) is two names: the
    company X, an organisation, and the place Y."""
    out = []
    for m in mentions:
        found = _COMPANY_OF_A_PLACE.match(m.name) if m.label == "ORG" else None
        word = _word_before(text, m.start).lower() if found else ""
        if found and re.split(r"['’]", word)[-1] in _SITE_HEADS:
            company, place = found.group(1), found.group(2)
            place_start = m.end - len(place)
            if (
                text[m.start : m.start + len(company)] == company
                and text[place_start : m.end] == place
            ):
                out.append(
                    replace(m, end=m.start + len(company), name=company, key=entity_key(company))
                )
                out.append(Mention(place_start, m.end, "LOC", place, entity_key(place)))
                continue
        out.append(m)
    return out


# Journeys written with a hyphen: "billets Paris-Lausanne", "reliant Paris-Lille, Paris-Lyon",
# "l'axe Dakar-Paris-Dakar", "la ligne Brig-Lausanne", "la liaison Paris - Dakar" (round 22).
_ROUTE = re.compile(r"^([A-ZÀ-Þ][\w’']+)(?:-[A-ZÀ-Þ][\w’']+)+$")
_ROUTE_PART = re.compile(r"[A-ZÀ-Þ][\w’']+")
_TRAVEL_WORDS = _wordset(
    """trajet trajets liaison liaisons billet billets train trains TGV vol vols reliant relier
    relie relient axe axes ligne lignes desserte dessertes"""
)
_HEADED_ROUTE = re.compile(r"([a-z]+) +(?=[A-ZÀ-Þ])")  # "ligne Brig-Lausanne": the model's head
_SPACED_SECOND_PLACE = re.compile(r"[ \t]+-[ \t]+([A-ZÀ-Þ][\w’']+)(?![\w’'-])")


def _routes_split(text: str, mentions: list[Mention]) -> list[Mention]:
    """A place written "X-Y" (or "X-Y-Z") after a word of travel ("billets Paris-Lausanne"),
    or listed right after such a journey ("reliant Paris-Lille, Paris-Strasbourg"), is two
    places (three); "Paris-Orly", "Saint-Denis" or "Aix-en-Provence" stay whole. A head of
    travel the model took in is dropped ("ligne Brig-Lausanne"), and a one-word place after a
    word of travel and before a spaced hyphen and another capitalised word is the journey's
    start, the word its end ("la liaison Paris - Dakar")."""
    out: list[Mention] = []
    previous: Mention | None = None  # the last journey split
    for m in mentions:
        if m.label != "LOC":
            out.append(m)
            continue
        head = _HEADED_ROUTE.match(text, m.start, m.end)
        if head and head.group(1) in _TRAVEL_WORDS and _ROUTE.match(text[head.end() : m.end]):
            name = text[head.end() : m.end]
            m = replace(m, start=head.end(), name=name, key=entity_key(name))
        found = _ROUTE.match(m.name)
        before = _WORD.findall(text[max(0, m.start - 40) : m.start])[-3:]
        travel = any(re.split(r"['’]", w)[-1] in _TRAVEL_WORDS for w in before)  # "l’axe"
        if found is None and travel and _ONE_WORD_NAME.match(m.name):
            second = _SPACED_SECOND_PLACE.match(text, m.end)
            out.append(m)
            if second:
                place = second.group(1)
                out.append(
                    replace(
                        m,
                        start=second.start(1),
                        end=second.end(1),
                        name=place,
                        key=entity_key(place),
                    )
                )
            continue
        if found is None or found.group(1) in _PLACE_PREFIXES:
            out.append(m)
            continue
        listed = previous is not None and _LIST_SEPARATOR.match(text[previous.end : m.start])
        if not listed and not travel:
            out.append(m)
            continue
        for part in _ROUTE_PART.finditer(m.name):
            start, name = m.start + part.start(), part.group()
            out.append(
                replace(m, start=start, end=start + len(name), name=name, key=entity_key(name))
            )
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


# A photo credit: « Crédit photo : THOMAS SAMSON / AFP », « CREDIT @Naïza RIPPON / RCI
# Guadeloupe », « © Adam Dean/Panos-RÉA »: two to four capitalised words between the credit and
# the agency's slash are the photographer (round 21, three news sets' development parts).
_CREDIT = re.compile(
    r"(?:©|\bCR[EÉ]DITS?\b|\b[Cc]r[ée]dits? ?(?:photos?|PHOTOS?)\b|\b[Cc]r[ée]dits?(?= ?:))"
    r"[ \t]*:?[ \t]*@?[ \t]*([A-ZÀ-Þ][\w’'-]*(?: [A-ZÀ-Þ][\w’'-]*){1,3})[ \t]*/"
)
# Picture libraries, not people: « © Getty Images / AFP ».
_LIBRARY_WORDS = _wordset("Images Image Photos Photo Pictures Press Presse Stock Media News")


def _photo_credits(text: str, mentions: list[Mention]) -> list[Mention]:
    """The photographer a credit names is a person: mentions inside the name or the credit
    are dropped (« Crédit », a bank for the model; « RIPPON »), and one the model ran from the
    sentence before into the name ends before the credit (« Nouvelle-Calédonie.© Adam
    Dean »). One pass over the mentions, the credits found by bisection."""
    credits: list[tuple[int, int, int, str]] = []  # (credit's start, name's start, end, name)
    for found in _CREDIT.finditer(text):
        name = found.group(1)
        if name.rsplit(" ", 1)[-1] in _LIBRARY_WORDS or entity_key(name) in known_names().labels:
            continue
        credits.append((found.start(), found.start(1), found.end(1), name))
    if not credits:
        return mentions
    ends = [end for _, _, end, _ in credits]
    out = [
        Mention(start, end, "PER", name, entity_key(name), True) for _, start, end, name in credits
    ]
    for m in mentions:
        k = bisect.bisect_right(ends, m.start)  # the first credit whose name ends after m starts
        if k == len(credits) or m.end <= credits[k][0]:
            out.append(m)  # overlaps no credit
        elif m.start < credits[k][0]:  # run into the credit: its own part only
            raw = text[m.start : credits[k][0]].rstrip(_PUNCT_EDGES)
            cut = _name_and_key(raw) if raw else None
            if cut is not None:
                out.append(replace(m, end=m.start + len(raw), name=cut[0], key=cut[1]))
    return sorted(out, key=lambda m: m.start)


# A lower-case word followed by an article inside a name is a verb and its object the model ran
# into the name (« L'Autorité sanctionne la société coopérative », « la Ligue nationale de hockey
# enfile les buts », « le ministère de la Santé finance la distribution »: round 21), unless it
# is a preposition or a conjunction (« Mouvement pour les droits et le respect des générations
# futures »); a plural word is the name's own, and only the object goes. Works' titles (MISC)
# are left whole.
_VERB_THEN_ARTICLE = re.compile(
    r" ([a-zà-ÿ][a-zà-ÿ-]+)( (?:(?:la|le|les|un|une|sa|son|ses|leur|leurs) |l['’])(?=\w))"
)
_NO_VERBS = _wordset(
    """à en par pour chez selon avec sur sous dans et ou mais entre contre vers via dont que
    qui après avant depuis de du des au aux envers malgré parmi"""
)


def _before_a_verb_and_its_object(mentions: list[Mention]) -> list[Mention]:
    out = []
    for m in mentions:
        if m.label != "MISC" and " " in m.name:
            for found in _VERB_THEN_ARTICLE.finditer(m.name):
                if found.group(1) in _NO_VERBS:
                    continue
                # a plural ends the name, the article opens the object: « l'Autorité des
                # marchés financiers la somme », « la Cour des comptes la remise »
                plural = found.group(1).endswith(("s", "x"))
                raw = m.name[: found.start(2) if plural else found.start()]
                cut = _name_and_key(raw)
                if cut is not None and cut[0] == raw and m.end - m.start == len(m.name):
                    m = replace(m, end=m.start + len(raw), name=cut[0], key=cut[1])
                break
        out.append(m)
    return out
