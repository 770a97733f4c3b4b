"""Acts by their common name (RGPD, loi Hamon…) and lois by their year alone (« loi de 1978 »)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

from watcher.understand.refs.candidates import _Cand
from watcher.understand.refs.dates import _DATE, _parse_date
from watcher.understand.refs.links import EURLEX_CELEX, _legifrance_search
from watcher.understand.refs.normalise import _finditer_at, _Norm
from watcher.understand.refs.pinpoints import _PIN_BEFORE_RE
from watcher.understand.refs.table import _data, _fold

# --- Common names (RGPD, loi Hamon…) -------------------------------------------------------


_LABEL_DATE_RE = re.compile(r"du " + _DATE)
_QUOTES_RE = re.compile(r"[«»\"“”]")
# what may stand between a type word and the rest of its name: « loi française … », « loi dite
# … », « règlement dit … »; « & » for « et »
_FRENCH_RE = re.compile(r"(?i)(?<=^loi )fran[çc]aise |(?<=^loi )dite? |(?<=^directive )dite? "
                        r"|(?<=^r[èe]glement )dite? |(?<= )&(?= )")  # fmt: skip


_EUROPEAN_RE = re.compile(r"(?i)(?<=^directive )europ[ée]enne |(?<=^r[èe]glement )europ[ée]en ")
_BILL_BEFORE_RE = re.compile(r"(?i)(?<![\w])(?:proposition|projet)s? de (?:[«\"“] ?)?$")


def _proposal_titled(t: str, at: int) -> bool:
    """An EU proposal's title runs before ``at`` in its sentence (« Proposition de RÈGLEMENT DU
    PARLEMENT EUROPÉEN … »): a short title in brackets there is the proposal's."""
    sentence = t[max(0, at - 400) : at].rsplit(". ", 1)[-1]
    return re.search(r"(?i)\bproposition de (?:directive|r[èe]glement)\b", sentence) is not None


def _dropped(m: re.Match[str]) -> str:
    return "et" if m.group(0) == "&" else ""


def _named_acts(norm: _Norm) -> Iterator[_Cand]:
    data = _data()
    if data.act_name_re is None or data.act_start_re is None:
        return
    for m in _finditer_at(data.act_name_re, norm.text, data.act_start_re):
        if _BILL_BEFORE_RE.search(norm.text, max(0, m.start() - 16), m.start()):
            continue  # a bill's name (« proposition de directive relative aux … »), not the act
        if norm.text[m.start() - 1 : m.start()] == "(" and _proposal_titled(norm.text, m.start()):
            continue  # « Proposition de DIRECTIVE … (directive sur les …) »: its short title
        name = _FRENCH_RE.sub(_dropped, _QUOTES_RE.sub(" ", m.group(0)))
        key = data.act_by_name.get(_fold(name))
        if key is None:  # « directive européenne INSPIRE »: the name without « européenne »
            key = data.act_by_name.get(_fold(_EUROPEAN_RE.sub("", name)))
        if key is None:
            continue
        act = data.acts[key]
        kind = act.kind
        if key.startswith("eu:celex:"):
            url, link = EURLEX_CELEX.format(key.split(":")[-1]), "official"
        else:
            url, link = _legifrance_search(act.label), "search"
        known = _LABEL_DATE_RE.search(act.label)
        alias_date = _parse_date(known) if known else None
        yield _Cand(m.start(), m.end(), kind, key, act.label, url, link, alias_date=alias_date)
    if "ois " in norm.text or "irectives " in norm.text:
        yield from _listed_names(norm.text)
    if "oi de 19" in norm.text or "oi 19" in norm.text:
        yield from _year_named_lois(norm.text)
    if "hâtel" in norm.text or "hatel" in norm.text:
        yield from _shared_name_lois(norm.text, _CHATEL_RE, _chatel_key, dated=False)
    if any(name in norm.text for name in ("Evin", "Évin", "loi evin", "loi évin")):
        yield from _shared_name_lois(norm.text, _EVIN_RE, _evin_key, dated=True)
    if "adinter" in norm.text:
        yield from _shared_name_lois(norm.text, _BADINTER_RE, _badinter_key, dated=True)
    if " (" in norm.text and "oi " in norm.text:
        yield from _dated_then_named(norm)
    if "rt" in norm.text:
        yield from _pinned_acronyms(norm.text)


# « les lois Hamon et Macron », « les lois Egalim 1 et 2 », « les directives NIS et NIS 2 »: a
# list of names after one plural type word, each the name of « loi X » (« directive X »); a rank
# alone (« 2 ») is the previous name's with that rank. Keyed only when every item of a list of
# two or more is a name of the table: a plural name alone is a group of texts (« les lois
# Auroux », « les lois Egalim », « les lois Grenelle »), not one.
_PLURAL_RE = re.compile(r"(?<![\w])(?P<type>[Ll]ois|LOIS|[Dd]irectives) ")
_LIST_SEP_RE = re.compile(r"(?:,| et| ou|, et) ")
_RANK_RE = re.compile(r"(?P<rank>[1-4]|I{1,3}|IV)(?![\w-])")
_RANKED_RE = re.compile(r"^(?P<base>.+) (?:[1-4]|I{1,3}|IV)$")


def _name_key(name: str) -> str | None:
    return _data().act_by_name.get(_fold(_FRENCH_RE.sub(_dropped, _QUOTES_RE.sub(" ", name))))


def _listed_names(t: str) -> Iterator[_Cand]:
    data = _data()
    if data.act_name_re is None:
        return
    for m in _PLURAL_RE.finditer(t):
        single = "loi " if m.group("type").lower() == "lois" else "directive "
        items: list[tuple[int, int, str]] = []  # start, end, key
        pos, base = m.end(), ""
        while True:
            # the type word in the singular before the item: the table's « loi X » matches it
            probe = single + t[pos : pos + 120]
            named = data.act_name_re.match(probe)
            key = _name_key(named.group(0)) if named is not None else None
            if named is not None and key is not None:
                end = pos + named.end() - len(single)
                ranked = _RANKED_RE.match(named.group(0))
                base = ranked.group("base") if ranked else named.group(0)
                first = _RANK_RE.match(t, end + 1) if t[end : end + 1] == " " else None
                if first is not None and first.group("rank") in ("1", "I"):
                    end = first.end()  # « Egalim 1 »: the first of that name
            elif items and base and (rank := _RANK_RE.match(t, pos)) is not None:
                # « Egalim 1 et 2 »: the rank of the name before
                key = _name_key(f"{base} {rank.group('rank')}")
                end = rank.end()
            if key is None:
                break
            items.append((pos, end, key))
            sep = _LIST_SEP_RE.match(t, end)
            if sep is None:
                break
            pos = sep.end()
        if len(items) < 2 or (key is None and not t[pos : pos + 1].islower()):
            continue  # one name (a group of texts), or a list with a name the table lacks
        for start, end, key in items:
            act = data.acts[key]
            if key.startswith("eu:celex:"):
                url, link = EURLEX_CELEX.format(key.split(":")[-1]), "official"
            else:
                url, link = _legifrance_search(act.label), "search"
            # the first item with its type word (« lois Egalim 1 »), as a single name is
            yield _Cand(m.start() if start == m.end() else start, end, act.kind, key, act.label,
                        url, link)  # fmt: skip


# The acronyms the table keeps for queries only (too ambiguous alone in prose: « DSA », « DMA »,
# « DORA ») name their act right after an article: « l'article 16 du DSA », « art. 34 DMA ».
# Not those other things commonly share (« RIA »: a fire hose reel, « CLP », « CRA », « DGA »,
# « PACTE »: a covenant's title in capitals), nor
# the fundamental texts (``fundamentals``).
_NOT_PINNED_ACRONYMS = frozenset({"RIA", "CLP", "CRA", "DGA", "PACTE", "TUE", "CEDH", "DUDH"})


@functools.cache
def _pinned_acronym_re() -> re.Pattern[str]:
    names = sorted(
        {n for act in _data().acts.values() for n in act.query_names
         if re.fullmatch("[A-Z]{3,6}", n) and n not in _NOT_PINNED_ACRONYMS},
        key=len, reverse=True,
    )  # fmt: skip
    return re.compile(r"(?<![\w-])(?:" + "|".join(names or ["(?!)"]) + r")(?![\w-])")


def _pinned_acronyms(t: str) -> Iterator[_Cand]:
    pattern = _pinned_acronym_re()
    # looked for only in the 100 characters after each « article » or « art. » (found with
    # C-speed literal searches: most texts have few), each character once
    starts = sorted(
        at for word in ("rticle", "rt. ") for at in _find_all(t, word)
    )  # fmt: skip
    done = 0
    for at in starts:
        end = min(len(t), at + 100)
        for m in pattern.finditer(t, max(at, done), end):
            if _PIN_BEFORE_RE.search(t, max(0, m.start() - 80), m.start()) is not None:
                yield _acronym_cand(m)
        done = max(done, end)


def _find_all(t: str, word: str) -> Iterator[int]:
    at = t.find(word)
    while at >= 0:
        yield at
        at = t.find(word, at + 1)


def _acronym_cand(m: re.Match[str]) -> _Cand:
    act = _data().acts[_data().act_by_name[_fold(m.group(0))]]
    if act.key.startswith("eu:celex:"):
        url, link = EURLEX_CELEX.format(act.key.split(":")[-1]), "official"
    else:
        url, link = _legifrance_search(act.label), "search"
    return _Cand(m.start(), m.end(), act.kind, act.key, act.label, url, link)


# « la loi de 1978 », « la loi de 1986 »: a year alone names a loi only where its subject is in
# the item (there are other lois of 1978 — Scrivener, CADA — and of 1986); so do « la loi de
# 1989 » (rental housing: the loi n° 89-462) and « la loi de 1965 » (co-ownership), which
# landlords' and co-owners' pages cite so, « de » sometimes left out (« Loi 1989 »), and « la
# loi de 1901 » (« association régie par la loi de 1901 »: the loi of 1 July 1901, keyed by its
# date, the only key it has) in an item on associations; not « une association loi 1901 », the
# name of a kind of association.
_YEAR_LOI_RE = re.compile(r"(?<![\w])[Ll]oi (?:de )?(?P<y>19\d\d)(?![\d/-])")
_YEAR_LOIS = {
    "1978": (
        "fr:loi:78-17",
        re.compile(r"(?i)informatique|\bCNIL\b|\bRGPD\b|donn[ée]es personnelles"),
    ),
    "1986": (
        "fr:loi:86-1067",
        re.compile(
            r"(?i)audiovisuel|t[ée]l[ée]vision|\bradio|\bCSA\b|\bArcom\b|[ée]diteurs? de services"
        ),
    ),
    "1989": ("fr:loi:89-462", re.compile(r"(?i)\bbail\b|\bbaux\b|locataire|bailleur|\bloyers?\b")),
    "1965": ("fr:loi:65-557", re.compile(r"(?i)copropri[ée]t|\bsyndic\b|syndicat des copro")),
    "1901": ("fr:loi:du-1901-07-01", re.compile(r"(?i)associati")),
}


def _year_named_lois(t: str) -> Iterator[_Cand]:
    subject_said: dict[str, bool] = {}  # year -> its subject is in the item (searched once)
    for m in _YEAR_LOI_RE.finditer(t):
        year = m.group("y")
        known = _YEAR_LOIS.get(year)
        if known is None or (year == "1901" and " de " not in m.group(0)):
            continue  # (« une association loi 1901 » names a kind of association)
        if year not in subject_said:
            subject_said[year] = known[1].search(t) is not None
        if not subject_said[year]:
            continue
        # no alias date: a year alone is too weak to key « la loi du 6 janvier 1978 » by number
        act = _data().acts[known[0]]
        yield _Cand(m.start(), m.end(), "fr_text", act.key, act.label,
                    _legifrance_search(act.label), "search")  # fmt: skip


# Names several lois share, each told from the item: « la loi Chatel » names the loi n° 2005-67
# (tacit renewal of insurance and service contracts) and the loi n° 2008-3 (competition for
# consumers): the year written next to the name tells the second (« la loi Châtel de 2008 »,
# « Depuis 2008 et la Loi Chatel »), and so does « 2008 » in an item that does not say « 2005 »;
# otherwise an item on insurance or on tacit renewal means the first. « La loi Badinter » names
# the loi n° 85-677 of 5 July 1985 on road-accident victims and the loi of 1981 abolishing the
# death penalty: the first with « 1985 » next to the name, or in an item on accidents, victims
# or their compensation. Else the name is not keyed.
def _shared_name_re(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])[Ll]oi (?:dite )?(?:[«\"“] ?)?" + name + r"(?: ?[»\"”])?(?![\w])")


_CHATEL_RE = _shared_name_re("Ch[âa]tel")
_CHATEL_2005_RE = re.compile(r"(?i)assur|reconduction|\bpolices?\b")
_BADINTER_RE = _shared_name_re("Badinter")
_BADINTER_1985_RE = re.compile(r"(?i)accident|victime|indemnis|circulation|v[ée]hicule")


_CHATEL_2008_TITLE_RE = re.compile(r"(?i)d[ée]veloppement de la concurrence au service des consom")
_CHATEL_2005_TITLE_RE = re.compile(r"(?i)conforter la confiance et la protection du consom")
# the 2008 loi's telecommunications rules (notice periods, hotlines, termination after twelve
# months), which telecom pages mean by « la loi Chatel »
_CHATEL_TELECOM_RE = re.compile(
    r"(?i)t[ée]l[ée]communications?|op[ée]rateurs? (?:de )?(?:t[ée]l[ée]|mobile|internet)"
    r"|fournisseurs? d['’]acc[eè]s"
)


def _chatel_key(t: str, near: str) -> str | None:
    if "2008" in near and "2005" not in near:
        return "fr:loi:2008-3"
    # the second's year in the item, the first's not (« La Loi Chatel … a été votée le 3
    # janvier 2008 »)
    if "2008" in t and "2005" not in t:
        return "fr:loi:2008-3"
    # its title in the item (« Également intitulée loi pour le développement de la concurrence au
    # service des consommateurs, la loi Chatel … »), or an item on telecommunications that does
    # not say « 2005 » nor speak of insurance or tacit renewal
    if _CHATEL_2008_TITLE_RE.search(t) and not _CHATEL_2005_TITLE_RE.search(t):
        return "fr:loi:2008-3"
    if (
        "2005" not in t
        and _CHATEL_TELECOM_RE.search(t) is not None
        and _CHATEL_2005_RE.search(t) is None
    ):
        return "fr:loi:2008-3"
    if "2008" not in near and _CHATEL_2005_RE.search(t) is not None:
        return "fr:loi:2005-67"
    return None


# « La loi Evin » names the loi n° 91-32 of 10 January 1991 (tobacco and alcohol, what the press
# usually means) and the loi n° 89-1009 of 31 December 1989 (collective health and provident
# insurance: « l'article 4 de la loi Evin », keeping a company's mutuelle after leaving it, on
# every insurer's and mutuelle's page). The year next to the name tells which, then the number or
# date of one of them written in the item; else an item on insurance that says nothing of
# tobacco, alcohol or advertising means the 1989 one.
_EVIN_RE = _shared_name_re("[ÉEée]vin")
_EVIN_1989_RE = re.compile(
    r"(?i)mutuelle|compl[ée]mentaire sant[ée]|contrats? collectifs?|anciens? salari[ée]s?"
    r"|pr[ée]voyance|frais de sant[ée]|garanties? (?:de )?sant[ée]|assureurs?\b"
)
_EVIN_1991_RE = re.compile(r"(?i)taba|alcool|boissons|publicit|fum(?:er|eurs?|oirs?)\b")


def _evin_key(t: str, near: str) -> str | None:
    if "1991" in near:
        return "fr:loi:91-32"
    if "1989" in near:
        return "fr:loi:89-1009"
    # the item names one of them by its number or date, not the other
    says_1989 = "89-1009" in t or "décembre 1989" in t
    if says_1989 != ("91-32" in t or "janvier 1991" in t):
        return "fr:loi:89-1009" if says_1989 else "fr:loi:91-32"
    if _EVIN_1991_RE.search(t) is None and _EVIN_1989_RE.search(t) is not None:
        return "fr:loi:89-1009"
    return "fr:loi:91-32"


def _badinter_key(t: str, near: str) -> str | None:
    if "1981" in near or "peine de mort" in t:
        return None
    if "1985" not in near and _BADINTER_1985_RE.search(t) is None:
        return None
    return "fr:loi:85-677"


def _shared_name_lois(
    t: str, name_re: re.Pattern[str], key_of: Callable[[str, str], str | None], dated: bool
) -> Iterator[_Cand]:
    """The lois a shared name stands for in ``t`` (``key_of(t, the 30 characters around)``);
    ``dated``: the act's date is given, so that « la loi du … dite loi X » gets its number."""
    for m in name_re.finditer(t):
        if _BILL_BEFORE_RE.search(t, max(0, m.start() - 16), m.start()):
            continue
        key = key_of(t, t[max(0, m.start() - 30) : m.end() + 30])
        if key is None:
            continue
        act = _data().acts[key]
        known = _LABEL_DATE_RE.search(act.label) if dated else None
        yield _Cand(m.start(), m.end(), "fr_text", act.key, act.label,
                    _legifrance_search(act.label), "search",
                    alias_date=_parse_date(known) if known else None)  # fmt: skip


# « la loi du 24 mars 2014 (Alur) »: a loi cited by date, then in brackets a name of the table
# whose act bears that date: that act, over both spans (the date alone would get a date key).
_DATED_THEN_NAMED_RE = re.compile(
    r"(?<![\w])[Ll]oi (?:n[°o]? ?)?du " + _DATE + r" \((?P<name>[^()\d]{2,40})\)"
)


def _dated_then_named(norm: _Norm) -> Iterator[_Cand]:
    for m in _DATED_THEN_NAMED_RE.finditer(norm.text):
        name = m.group("name").strip()
        if _fold(name).startswith("loi "):
            continue  # « (loi Hamon) »: a second reference, found as such
        key = _name_key("loi " + name)
        date = _parse_date(m)
        if key is None or not key.startswith("fr:loi:") or date is None:
            continue
        act = _data().acts[key]
        known = _LABEL_DATE_RE.search(act.label)
        if known is None or _parse_date(known) != date:
            continue
        yield _Cand(m.start(), m.end(), "fr_text", act.key, act.label,
                    _legifrance_search(act.label), "search", alias_date=date)  # fmt: skip
