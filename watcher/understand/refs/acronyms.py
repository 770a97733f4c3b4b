"""An act's ambiguous acronym, read where the item names that act (round 22 of issue 18).

« DSA », « DMA », « DGA », « GPSR », « RSGP », « EAA », « ePrivacy »… are the names a watch meets
most for the EU's digital and consumer acts, and each has other meanings (« DSA » is also a
diploma, a signature algorithm, a company; « DMA » a memory access; « EAA » an airport). The
alias table keeps them as `query` names (accepted after ``ref:`` only), so they are not read in
running text. In an item that names the act itself — by its number (« règlement (UE)
2022/2065 »), its title or an unambiguous name (« Digital Services Act », « directive 2002/58/CE »)
— the same acronym is that act: « le Digital Service Act (DSA) », then « les obligations prévues
par le DSA ». One pass, after the matchers, pure:

* the acronyms are the act's `query` names of one token with a capital after its first letter
  (« DSA », « RSGP », « ePrivacy », « CS3D »; not « Egalim », « Bichet »: a surname or a word
  needs more than the item's naming the act);
* each occurrence is read as a whole token, with its exact case, not inside a word, a path, an
  address or a compound (« DSA-2 », « /dsa/ », « DSA_key »);
* only when a candidate of that act's key was found in the item by another rule (anywhere: a
  title may use the acronym before the text names the act in full), for an EU act or a French
  text (« CEDH » is the Court as often as the Convention);
* not right after a type word of another kind or a bill's (« le Règlement ePrivacy est toujours
  en état de projet » is the proposed regulation, not the directive 2002/58/CE).

Its span is the acronym, its key and label the act's; a longer name found at the same place (« le
règlement DSA ») wins at de-overlapping.

Round 23 adds :func:`_names_with_their_date`: a French text's name followed by the date the table
gives that text (« Sapin II du 9 décembre 2016 », « lois Hamon du 17 mars 2014 »), the date
vouching for a name too ambiguous alone or written in the plural.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re

from watcher.understand.refs.candidates import _Cand
from watcher.understand.refs.dates import _DATE, _parse_date
from watcher.understand.refs.links import EURLEX_CELEX, _legifrance_search
from watcher.understand.refs.normalise import _Norm
from watcher.understand.refs.table import _data, _fold

_ACRONYM_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
# an EU or French act only: « CEDH » names the Convention as often as the Court
_KINDS = frozenset({"eu_act", "fr_text"})
# the acronym after a type word of another kind of text, or of a bill: « le Règlement ePrivacy est
# toujours en état de projet » is the proposed regulation, not the directive 2002/58/CE
_OTHER_TYPE_BEFORE = {
    "L": re.compile(
        r"(?i)(?:r[èe]glement|regulation|proposition|projet|proposal)s?(?: europ[ée]en)? $"
    ),
    "R": re.compile(r"(?i)(?:directive|proposition|projet|proposal)s?(?: europ[ée]enne)? $"),
    "": re.compile(r"(?i)(?:proposition|projet|proposal)s?(?: de)?(?: loi)? $"),
}


def _is_acronym(name: str) -> bool:
    return _ACRONYM_RE.match(name) is not None and any(ch.isupper() for ch in name[1:])


@functools.cache
def _acronyms_by_key() -> dict[str, re.Pattern[str]]:
    out: dict[str, re.Pattern[str]] = {}
    for key, act in _data().acts.items():
        names = sorted((n for n in act.query_names if _is_acronym(n)), key=len, reverse=True)
        if names:
            alts = "|".join(re.escape(n) for n in names)
            out[key] = re.compile(r"(?<![\w/.@_-])(?:" + alts + r")(?![\w/@_-]|\.\w)")
    return out


def _acronyms_in_item(norm: _Norm, cands: list[_Cand]) -> list[_Cand]:
    """The acronyms of the acts the item names, wherever they occur in it."""
    patterns = _acronyms_by_key()
    named: dict[str, _Cand] = {}
    for c in cands:
        if c.key in patterns and c.kind in _KINDS and c.key not in named:
            named[c.key] = c
    out: list[_Cand] = []
    for key, first in named.items():
        celex = re.match(r"eu:celex:\d{5}(?P<type>[LR])", key)
        other = _OTHER_TYPE_BEFORE[celex.group("type") if celex else ""]
        for m in patterns[key].finditer(norm.text):
            if other.search(norm.text, max(0, m.start() - 40), m.start()) is not None:
                continue
            out.append(
                dataclasses.replace(first, start=m.start(), end=m.end(), group=0, pinpoint="",
                                    pinpoint_url="")
            )  # fmt: skip
    return out


# Round 23: a French text's common name followed by its own date (« Sapin II du 9 décembre
# 2016 », « lois Hamon du 17 mars 2014 »): the date the table gives the text vouches for a name
# that is too ambiguous alone (a `query` name, a surname) or written in the plural (« les lois
# Auroux » alone is a group of texts, read nowhere). The name is a `query` name or the part of
# a text name after « loi » (« Hamon » of « loi Hamon »), as a whole word, with « loi » or « lois »
# before it, or capitalised with nothing before it; the date must be the one in the text's label.
_DATED_AFTER_RE = re.compile(r" du (?:" + _DATE + r")")
_LABEL_DATE_RE = re.compile(r" du (?:" + _DATE + r")$")


@functools.cache
def _dated_names() -> tuple[re.Pattern[str] | None, dict[tuple[str, datetime.date], str]]:
    by_name: dict[tuple[str, datetime.date], str] = {}
    for key, act in _data().acts.items():
        if act.kind != "fr_text":
            continue
        m = _LABEL_DATE_RE.search(act.label)
        date = _parse_date(m) if m else None
        if date is None:
            continue
        names = list(act.query_names)
        names += [n.split(" ", 1)[1] for n in act.text_names if n.lower().startswith("loi ")]
        for n in names:
            if len(n) >= 3 and not n.lower().startswith("loi"):
                by_name[(_fold(n), date)] = key
    if not by_name:
        return None, by_name
    alts = "|".join(re.escape(n) for n in sorted({n for n, _ in by_name}, key=len, reverse=True))
    # the folded text before the date ends with a name (and « loi(s) » or nothing before it)
    pattern = re.compile(r"(?:(?<![\w-])lois? )?(?<![\w-])(?P<name>" + alts + r")$")
    return pattern, by_name


def _names_with_their_date(norm: _Norm) -> list[_Cand]:
    """« Sapin II du 9 décembre 2016 »: a text's name followed by the date of that text."""
    t = norm.text
    if " du " not in t:
        return []
    pattern, by_name = _dated_names()
    if pattern is None:
        return []
    out: list[_Cand] = []
    for d in _DATED_AFTER_RE.finditer(t):
        date = _parse_date(d)
        if date is None:
            continue
        lo = max(0, d.start() - 80)
        before = _fold(t[lo : d.start()])
        m = pattern.search(before)
        if m is None or len(before) != d.start() - lo:
            continue  # folding changed the length: offsets would not hold
        key = by_name.get((m.group("name"), date))
        if key is None:
            continue
        if m.start() == m.start("name") and not t[lo + m.start()].isupper():
            continue  # a name without « loi » is capitalised (not « la consommation du … »)
        act = _data().acts[key]
        out.append(
            _Cand(lo + m.start(), d.end(), act.kind, act.key, act.label,
                  _legifrance_search(act.label), "search", date=date)
        )  # fmt: skip
    return out


# Round 29: the short name an act is given right after it is cited, in brackets or after « dite »
# (« la loi de modernisation de l'économie (LME) », « la Directive sur les Droits des
# Consommateurs (CRD) », « le règlement 2023/1115 (RDUE) », « la loi n° 81-766 du 10 août 1981
# sur le prix du livre (dite « loi Lang ») », « la loi n° 2023-221 du 30 mars 2023 tendant à …,
# dite « EGalim 3 » ou « Descrozaille » », « Directive 2014/40/UE (dite TPD) »). The name is
# that act, whether the table knows it or not; it is its own reference (the act is mentioned
# twice). Read after de-overlapping, where nothing was found:
#
# * the act is a French text or an EU act found by its number or its name (not a pointer, not a
#   text known by its date alone: its name usually carries the number key, which the date does
#   not give);
# * in brackets right after it (its date between, « (ALUR) du 24 mars 2014 » after it), the name
#   is an acronym (three characters, two capitals at least: « LME », « CCD II », « EGalim 3 »;
#   not « (VT) »), a type word and a name (« règlement CPC »), or one of the act's own names in
#   the table (« Agec »); not a journal's or an identifier's acronym (« (JORF) », « (NOR) »),
#   not a code's abbreviation, not another act's name; not after an act that the one before
#   repeals or replaces (« … abrogeant le règlement (CE) n° 2006/2004 (règlement CPC) »);
# * after « dite » (« dit » for a règlement, a décret, an arrêté: the word agrees with the act),
#   the act's date and title may come between (a title's own words only: no sentence
#   punctuation, no bracket, no other text's type word), and the name is quoted (« … », a
#   capital first), or an acronym, a type word and a name, or a capitalised word.
_NAME_ACRONYM = r"(?=[A-Za-z0-9]{3})[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*(?:[ -](?:\d|I{1,3}|IV))?"
_NAME_TYPED = (
    r"(?i:loi|r[èe]glement|directive|d[ée]cret|ordonnance) "
    r"[A-ZÉ][\w'-]*(?:[ -](?:\d|I{1,3}|IV|bis))?"
)
_NAME_WORD = r"[A-ZÉ][a-zéèêëàâîïôûüç]{2,}(?:[ -](?:\d|I{1,3}|IV))?"
# a quoted name: a capital first, or a type word and a capital (« loi Lang », « décret LPM »)
_QUOTED = r"(?:[A-ZÉ]|(?i:loi|r[èe]glement|directive|d[ée]cret|ordonnance) [A-ZÉ])[^«»\"\n]{0,40}?"
_ANY_NAME = _NAME_ACRONYM + "|" + _NAME_TYPED + "|" + _NAME_WORD
_BRACKET_NAME_RE = re.compile(r" ?(?:du (?:" + _DATE + r") ?)?\( ?(?P<name>" + _ANY_NAME + r") ?\)")
_DITE_RE = re.compile(
    r"(?P<gap>(?: du [^.;:!?()«»\"\n]{0,200}?| (?:relati(?:f|ve)|portant|pour|tendant|visant|sur"
    r"|concernant|instituant|modifiant|ratifiant|habilitant|autorisant|[ée]tablissant|fixant"
    r"|cr[ée]ant|en faveur|d'orientation|de programmation|de modernisation)\b"
    r"[^.;:!?()«»\"\n]{0,200}?)?)(?: ?[,(])? ?(?<![\w'])(?P<dite>dite?) "
    r"(?:« ?(?P<quoted>" + _QUOTED + r") ?»(?: ou « ?(?P<second>" + _QUOTED + r") ?»)?"
    r"|\"(?P<dquoted>" + _QUOTED + r")\""
    r"|(?P<name>" + _NAME_TYPED + "|" + _NAME_ACRONYM + "|" + _NAME_WORD + r"))"
)
# what a bracket after a text may hold that is not its name
_NOT_A_NAME = frozenset(
    ("JO", "JORF", "JOUE", "JOCE", "JOAN", "NOR", "ELI", "CELEX", "ECLI", "UE", "CE", "CEE",
     "CECA", "PDF", "HTML", "URL", "TTC", "ISO", "EUR")
)  # fmt: skip
# another text's type word in the gap before « dite »: the name may be that text's
_OTHER_TYPE_RE = re.compile(
    r"(?i)\b(?:lois?|d[ée]crets?|r[èe]glements?|directives?|ordonnances?|arr[êe]t[ée]s?|codes?"
    r"|conventions?|trait[ée]s?|accords?)\b"
)
_POINTER_RE = re.compile(
    r"(?i)(?:c(?:e|et|ette|es)|l(?:e|a|es)|ledit|ladite|dudit|de ladite|même|pr[ée]sente?)\b"
)
# an act cited in another's title as the one it repeals or replaces: a bracket after it may name
# the other (« le règlement (UE) 2017/2394 … abrogeant le règlement (CE) n° 2006/2004
# (règlement CPC) »: the new one is the « règlement CPC »)
_IN_TITLE_RE = re.compile(r"(?i)\b(?:abrogeant|rempla[çc]ant)(?: l[ae'] ?| les)? ?$")
_FEMININE_TYPES = ("fr:loi:", "fr:ordonnance:")


def _feminine(key: str) -> bool | None:
    """Whether the act's type word is feminine (« la loi », « la directive »), masculine (« le
    décret », « le règlement »), or unknown."""
    if key.startswith(_FEMININE_TYPES):
        return True
    if key.startswith(("fr:decret:", "fr:arrete:")):
        return False
    m = re.match(r"eu:celex:3\d{4}(?P<type>[LRD])", key)
    return None if m is None else m.group("type") != "R"


def _name_fits(name: str, key: str) -> bool:
    folded = _fold(name)
    if name in _NOT_A_NAME or folded in _data().code_by_name:
        return False
    other = _data().act_by_name.get(folded)
    return other is None or other == key


def _names_in_apposition(norm: _Norm, chosen: list[_Cand]) -> list[_Cand]:
    """The short names acts are given right after them (see above)."""
    t = norm.text
    if "(" not in t and "dit" not in t:
        return []
    spans = [(c.start, c.end) for c in chosen]
    out: list[_Cand] = []

    def add(act: _Cand, start: int, end: int) -> None:
        if start < end and not any(s < end and start < e for s, e in spans):
            spans.append((start, end))
            out.append(
                dataclasses.replace(act, start=start, end=end, group=0, pinpoint="",
                                    pinpoint_url="", date=None)
            )  # fmt: skip

    for i, c in enumerate(chosen):
        if c.kind not in _KINDS or ":du-" in c.key or _POINTER_RE.match(t, c.start) is not None:
            continue
        following = chosen[i + 1].start if i + 1 < len(chosen) else len(t)
        m = _BRACKET_NAME_RE.match(t, c.end)
        if m is not None and _IN_TITLE_RE.search(t, max(0, c.start - 20), c.start) is not None:
            continue
        if (
            m is not None
            and _name_fits(m.group("name"), c.key)
            # a capitalised word alone in brackets is the act's only when the table says so
            # (« (Agec) »; not « (Légifrance) », « (Paris) »)
            and (
                re.fullmatch(_NAME_ACRONYM + "|" + _NAME_TYPED, m.group("name")) is not None
                or _data().act_by_name.get(_fold(m.group("name"))) == c.key
            )
        ):
            add(c, m.start("name"), m.end("name"))
            continue
        m = _DITE_RE.match(t, c.end)
        if m is None or m.start("dite") > following:
            continue
        feminine = _feminine(c.key)
        if feminine is not None and feminine != (m.group("dite") == "dite"):
            continue
        if _OTHER_TYPE_RE.search(m.group("gap")) is not None:
            continue
        for group in ("quoted", "second", "dquoted", "name"):
            if m.group(group) and _name_fits(m.group(group), c.key):
                add(c, m.start(group), m.end(group))
    return out


# Round 30: the names a watch meets most for the acts it follows, where the item does not spell
# the act out (« Entré en vigueur le 25 août, le DSA fait beaucoup parler de lui », « la directive
# RED relative aux équipements radioélectriques », « les lois Égalim 1 (…) et Égalim 2 (…) », « la
# directive européenne « Omnibus » »). Each name has other meanings (« DSA » a diploma, « RED » the
# renewable-energy directive, « Omnibus » the 2025 sustainability package, « INCO » a miner), so
# each is read only where the item speaks of that act's subject: a table of widely cited acts,
# written from general knowledge, each entry with
#
# * its name as the press and the law firms write it, as a whole token with its exact case, and
#   for the three-letter acronyms only after a determiner, a bracket or « dit(e) » (« le DSA »,
#   « du DSA », « l'EAA », « (Agec) »), not in a compound (« DSA-2 »);
# * the words of its subject that must occur in the item (« services numériques », « plateformes
#   en ligne », « modération » for the DSA; « accessibilité » for the EAA; « radioélectrique » for
#   the RED), and the words of the other act the name also means that must not (« renouvelable »
#   for the RED, « CSRD » for the Omnibus);
# * never after a bill's words (« la proposition de règlement … (… DSA) »).
_DET = (
    r"(?:(?<=\b[Ll]e )|(?<=\b[Dd]u )|(?<=\b[Aa]u )|(?<=\b[Ll]['’])|(?<=\()|(?<=\bdite )"
    r"|(?<=\bdit ))"
)
_EGALIM = ("galim", "Galim", "GAlim", "GALIM")
_EGALIM_RE = r"(?:É|E)(?:galim|Galim|GAlim|GALIM) ?"
_TOPIC_NAMES: tuple[tuple[str, tuple[str, ...], str, str, str | None], ...] = (
    # (key, a literal the name holds, the name, subject words the item must hold, words of
    # another act it must not hold)
    ("eu:celex:32022R2065", ("DSA",), _DET + r"DSA",
     r"services? num[ée]riques|plateformes? (?:en ligne|num[ée]riques?)"
     r"|tr[èe]s grandes? plateformes|contenus? illicites?|e-commerce|marketplaces?"
     r"|places? de march[ée]|mod[ée]ration|Digital Services", None),
    ("eu:celex:32022R1925", ("DMA",), _DET + r"DMA",
     r"march[ée]s? num[ée]riques|contr[ôo]leurs? d['’]acc[èe]s|gatekeepers?|Digital Markets",
     None),
    ("eu:celex:32019L0882", ("EAA",), _DET + r"EAA", r"accessibilit[ée]", None),
    ("eu:celex:32011R1169", ("INCO",), r"INCO",
     r"[ée]tiquetage|denr[ée]es|allerg[èe]nes?|alimentaires?", None),
    ("eu:celex:32023R0988", ("GPSR", "RSGP", "RGSP"), r"GPSR|RSGP|RGSP",
     r"s[ée]curit[ée] (?:g[ée]n[ée]rale )?des produits|produits? dangereux|product safety"
     r"|surveillance du march[ée]|rappels? de produits", None),
    ("eu:celex:32014L0053", ("RED",), r"(?<=[Dd]irective )RED(?![ -]?(?:I|\d))",
     r"radio[ée]lectriques?|\bradios?\b", r"renouvelables?|biocarburants?|biomasse"),
    ("eu:celex:32019L2161", ("Omnibus",),
     r"[Dd]irective (?:europ[ée]enne |\(UE\) )?(?:dite )?(?:« ?|\")?Omnibus(?: ?»|\")?",
     r"consommat|prix|promotions?", r"CSRD|CS3D|CSDDD|durabilit[ée]|taxonomie|reporting"),
    ("eu:celex:32023L2225", ("CCD",), r"CCD ?(?:II|2)", r"cr[ée]dits?(?! photo)", None),
    ("fr:loi:2020-105", ("AGEC", "Agec"), _DET + r"(?:AGEC|Agec)",
     r"gaspillage|[ée]conomie circulaire|r[ée]parabilit[ée]|recycl|emballages?|d[ée]chets",
     None),
    ("fr:loi:2018-938", _EGALIM, _EGALIM_RE + r"(?:1|I)", r"\blois?\b", None),
    ("fr:loi:2021-1357", _EGALIM, _EGALIM_RE + r"(?:2|II)", r"\blois?\b", None),
    ("fr:loi:2023-221", _EGALIM, _EGALIM_RE + r"(?:3|III)", r"\blois?\b", None),
)  # fmt: skip
_BILL_NEAR_RE = re.compile(r"(?i)\b(?:propositions?|projets?|proposals?)\b")


_TopicPattern = tuple[
    str, tuple[str, ...], re.Pattern[str], re.Pattern[str], re.Pattern[str] | None
]


@functools.cache
def _topic_patterns() -> tuple[_TopicPattern, ...]:
    return tuple(
        (key, literals, re.compile(r"(?<![\w/.@_-])(?:" + name + r")(?![\w/@_-]|\.\w)"),
         re.compile(r"(?i)" + topic), re.compile(r"(?i)" + other) if other else None)
        for key, literals, name, topic, other in _TOPIC_NAMES
    )  # fmt: skip


def _names_by_topic(norm: _Norm) -> list[_Cand]:
    """A widely cited act's name where the item speaks of that act's subject (see above)."""
    t = norm.text
    out: list[_Cand] = []
    for key, literals, name, topic, other in _topic_patterns():
        if not any(lit in t for lit in literals):
            continue
        found = list(name.finditer(t))
        if not found or topic.search(t) is None or (other is not None and other.search(t)):
            continue
        act = _data().acts[key]
        if key.startswith("eu:celex:"):
            url, link = EURLEX_CELEX.format(key.split(":")[-1]), "official"
        else:
            url, link = _legifrance_search(act.label), "search"
        known = _LABEL_DATE_RE.search(act.label)
        alias_date = _parse_date(known) if known else None  # « la loi du … » in the item: this
        for m in found:
            sentence = re.split(r"[.!?]\s", t[max(0, m.start() - 120) : m.start()])[-1]
            if _BILL_NEAR_RE.search(sentence):
                continue  # « la proposition de règlement … (… DSA) », « le projet Égalim 3 »
            out.append(
                _Cand(m.start(), m.end(), act.kind, key, act.label, url, link,
                      alias_date=alias_date)
            )  # fmt: skip
    return out
