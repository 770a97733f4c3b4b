"""Pinpoints: the articles cited with an act, « la même loi », « son article »."""

from __future__ import annotations

import bisect
import dataclasses
import re

from watcher.understand.refs.candidates import _LATIN, _Cand
from watcher.understand.refs.normalise import _Norm
from watcher.understand.refs.table import _fold

# --- Pinpoints ---------------------------------------------------------------------------
# « article 82 de la loi n° … », « articles 101 et 102 du TFUE », « loi n° …, art. 3 »,
# « Décret n° … - art. 13 », « la loi n° …, notamment ses articles 20 et suivants », « le RGPD
# (…), en son article 24 ».
_PIN_NUM = (
    # « 8-I-2°-b », « 6-I-5 » (the LCEN's article 6, I, 5)
    r"(?:1er|premier|\d+(?:-\d+(?![\d°]))*)(?: (?:" + _LATIN + r")(?![\w]))?(?:-[IVX]+)?(?:-\d+°?)?"
    r"(?:-[a-z]\)|-[a-z](?![\w]))?"
    # « 6.1.f », « 5(1)(c) », « 4 (11) »
    r"(?:\.\d+(?:\.[a-z]\b)?)?(?: ?\(\d{1,2}\)(?:\([a-z]\))?)?"
)
# A subdivision written after an article of a list, before the next article: « articles 4,
# paragraphe 2, et 8 », « l'article 294, paragraphe 2, et l'article 43 ».
_PIN_SUB = (
    r"(?:, (?:paragraphes? \d+|§ ?\d+|alin[ée]as? (?:\d+|1er)|points? (?:[a-z]\)?|\d+\)?)"
    r"|sous [a-z]\))| § ?\d+),?"  # « l'art. 6 § 1 et l'art. 7 § 1 de la directive … »
)
_PIN_SUB_RE = re.compile(_PIN_SUB)
# « articles 8 et 82 », « article 28 et à l'article 46 du règlement … »
_PIN_LIST = (
    r"(?P<pins>"
    + _PIN_NUM
    + r"(?:(?:"
    + _PIN_SUB
    + r")?(?:, | et | à | ou | et (?:à |de )?l['’](?:article|art\.) )"
    + _PIN_NUM
    + r")*)"
)
_PIN_GAP = (
    # (« 6§1 »: a paragraph sign glued to the article)
    r"(?:(?:,? |(?=§))(?:alin[ée]as? (?:\d+|1er)"
    r"|(?:premier|deuxi[èe]me|troisi[èe]me|dernier) alin[ée]a"
    # « article 2, point 12, de la directive », « article 2, sous b) et d), de la directive »
    # « article 4, point 11), du RGPD »
    # (« article 6 III-1 de la loi n° 2004-575 », « 6, III, 1 », « 6 III 1 de la LCEN »: a
    # paragraph in Roman numerals and its item)
    r"|paragraphe \d+|§ ?\d+|points? (?:[a-z]\)?|\d+\)?)|sous [a-z]\)(?: et [a-z]\))?"
    r"|[IVX]+(?:(?:-|,? )\d{1,2}°?(?![\d-]))?|\d+°"
    # « art. 5, 1., a) du RGPD », « art. 6, par. 1, lett. b) RGPD », « article 49 al. 3 de la … »
    r"|\d+\.|[a-z]\)|par\. \d+|lett\. [a-z]\)|al\. ?(?:\d+|1er)"
    # « l'article 192 modifié du décret n° … »: the article as amended
    r"|modifi[ée]e?s?(?= d))){0,3},?"
)
_PIN_BEFORE_RE = re.compile(
    r"(?:[Aa]rticles?|ARTICLES?|[Aa]rt\.) " + _PIN_LIST + _PIN_GAP
    # « article 82 de la loi … », or the act's name right after (« art. 6 RGPD »)
    # « Article 28(3) of the GDPR » (English pages)
    + r" (?:(?:de la|du|de l'|de|des|dudit|de ladite|de notre|of the) ?)?$"
)  # fmt: skip
_PIN_AFTER_RE = re.compile(
    # « Dir. 95/46/CE du Parlement européen et du Conseil, 24 oct. 1995, art. 8 »
    r"(?: du Parlement europ[ée]en et du Conseil)?(?:,? (?:du )?\d{1,2}(?:er)? [a-zéû]+\.? \d{4})?"
    r"(?:(?:,| -| –| —| :)? (?:[Aa]rt\.|[Aa]rticles?) "  # « loi ALUR : art. 14 »
    r"|,? (?:notamment|en|dans) (?:son article|ses articles) "
    # « L'AI Act consacre son article 4 à … », « le RGPD prévoit, dans son article 5, … »
    r"| (?:consacre|pr[ée]voit|dispose|pr[ée]cise|impose)(?:,? (?:en|dans))?"
    r" (?:son article|ses articles) )"
    + _PIN_LIST + r"(?: et suivants)?(?! ?(?:du|de|des|d')\b)"
)  # fmt: skip
# « Directive 2011/83 articles 9 et suivants, article 20 », « Charte … — Article 47, deuxième
# alinéa, et article 48, paragraphe 1 »: the further articles after the first pinpoints.
_PIN_MORE_RE = re.compile(
    _PIN_GAP + r"(?: et suivants)?,? (?:et |ainsi que )?(?:[Aa]rticles?|[Aa]rt\.) " + _PIN_LIST
    + r"(?! ?(?:du|de|des|d')\b)"
)  # fmt: skip
# « Vu la loi n° 78-17 du 6 janvier 1978 relative à …, notamment son article 8 », « La loi du 26
# janvier 2016 de modernisation … instaure, en son article 193, … »: the pinpoint after the title
# (the span stays on the citation).
_PIN_AFTER_TITLE_RE = re.compile(
    # the title may hold a short aside in brackets (« (directive « cadre ») »)
    # « la Constitution, notamment son préambule et son article 61-1 »
    r"(?:[^;()«»\n]|\([^;()\n]{0,80}\)){1,250}?,? (?:notamment|en) (?:son [Pp]r[ée]ambule,? et )?"
    r"(?:son article|ses articles) " + _PIN_LIST
)
# « En son article 1er, la loi de 1986 pose que … »: the pinpoint fronted, at a sentence's start.
_PIN_FRONTED_RE = re.compile(
    r"(?:^|(?<=[.;:] )|(?<=\n))(?:[Ee]n|[Dd]ans) (?:son article|ses articles) " + _PIN_LIST
    + r", (?:la |le |l['’])?$"
)  # fmt: skip
_PIN_GOES_ON_RE = re.compile(
    r"(?:,|,? et) (?P<pins>" + _PIN_NUM + r"(?: et " + _PIN_NUM + r")?)"
    r" (?:de la |du |de l['’]|des )"
)
# « 3-2° » is article 3 (its 2°), « 1er ter » article 1 ter.
_PIN_ONE_RE = re.compile(r"(?:1er|premier|(\d+(?:-\d+(?![\d°]))*))(?: (" + _LATIN + r")(?![\w]))?")
_PINNED_KINDS = frozenset({"fr_text", "eu_act", "fundamental"})
# The articles of EU acts and treaties, of the Conventions and of the Déclaration de 1789 are
# whole numbers: « article 6-1-e du RGPD » is its article 6 (paragraph 1, point e), as « article
# 6.1.e » is (French lois and the Constitution have hyphenated articles: « 8-1 », « 61-1 »).
_WHOLE_ARTICLES = ("eu:", "int:", "fr:ddhc")
_HYPHENED_PIN_RE = re.compile(r"^(art-\d+)(?:-\d+)+(?=$|-[a-z])")
# « l'article 4, 11, du RGPD »: one article (the singular) and its point, not two articles.
_ONE_ARTICLE_POINT_RE = re.compile(r"[Aa]rticle (\d+(?: (?:bis|ter))?), \d{1,2},")


_PIN_ITEM_RE = re.compile(_PIN_NUM)


def _pin_names(pins: str) -> list[str]:
    out = []
    for item in _PIN_ITEM_RE.finditer(_PIN_SUB_RE.sub(" ", pins)):
        p = _PIN_ONE_RE.match(item.group(0))
        assert p is not None
        name = f"art-{p.group(1) or 1}" + (f"-{p.group(2)}" if p.group(2) else "")  # « 1er »
        if name not in out:
            out.append(name)
    return out


# « l'article 18 de la même loi », « l'article 3 du même décret », « l'article 44 de la loi
# organique précitée »: the article of the last text of that type (a loi organique for « loi
# organique ») cited before (within _SAME_TEXT_REACH characters); a bare « la même loi » without
# an article is left alone.
_SAME_TEXT_RE = re.compile(
    # (?=[mcldo]): what every alternative starts with (même, cette, ce, loi, ladite, ordonnance,
    # décret, dit), a cheap test at each position before the look-behinds
    r"(?=[mcldo])(?:(?<=de la )même (?P<f>loi|ordonnance)|(?<=du )même (?P<m>d[ée]cret)"
    # « l'article 84 de cette loi », « l'article 3 de ce décret », « l'article 71 de ce dernier
    # texte » (the text cited last, whatever its type)
    r"|(?<=de )cette (?P<f3>loi|ordonnance)|(?<=de )ce (?P<m3>d[ée]cret)"
    r"|(?<=de )ce (?P<last>dernier texte)"
    # « l'article 4 de cette directive », « l'article 5 du même règlement »: an EU act
    r"|(?<=de )cette (?P<eu_l>directive)|(?<=de la )même (?P<eu_l2>directive)"
    r"|(?<=de )ce (?P<eu_r>r[èe]glement)|(?<=du )même (?P<eu_r2>r[èe]glement)"
    # « l'article 6 de ladite loi », « l'article 3 dudit décret »
    r"|(?<=de )ladite (?P<f5>loi|ordonnance)|(?<=du)dit (?P<m5>d[ée]cret)"
    # « l'article 58 de la loi qui a introduit … », « l'article 4 de la loi, » once one loi
    # alone was cited before in the item: the loi itself, nothing after it that names another
    # (see _BARE_LAW_AFTER_RE)
    r"|(?<=de la )(?P<bare>loi)(?=[,;:.)]|$| (?:qui|que|qu'|a|est|dispose|pr[ée]voit|pr[ée]cise"
    r"|impose|modifie|permet|interdit|institue|cr[ée]e|[ée]nonce|pose|ouvre)(?![\w'-]))"
    r"|(?:(?<=la )|(?<=La )|(?<=l')|(?<=L'))(?P<f2>loi|ordonnance)(?P<org> organique)?"
    r" (?:pr[ée]cit[ée]e|susvis[ée]e|susmentionn[ée]e)"
    r"|(?:(?<=du )|(?<=le )|(?<=Le ))(?P<m2>d[ée]cret)"
    r" (?:pr[ée]cit[ée]|susvis[ée]|susmentionn[ée]))(?![\w-])"
)
_SAME_TEXT_REACH = 2000
# « La loi n° 78-17 du 6 janvier 1978 … Cette loi a pour objectifs … Son article 1er dispose
# que … »: « son article » / « ses articles » in a later sentence is the text cited last, when no
# other text, code, contract or decision is named in between (« cette loi » is the same text).
_ITS_ARTICLE_RE = re.compile(
    r"(?=[Ss])(?<![\w])(?P<its>[Ss]on(?= article )|[Ss]es(?= articles ))(?= articles? (?:1er|\d))"
)
_ITS_REACH = 600
_SAME_TEXT_NAMED_RE = re.compile(
    r"(?i)\b(?:cette|ce|cet|ledit|ladite|la m[êe]me|le m[êe]me) (?:loi|texte|d[ée]cret|ordonnance"
    r"|directive|r[èe]glement)\b"
)
_ANOTHER_TEXT_RE = re.compile(
    r"(?i)\b(?:lois?|codes?|d[ée]crets?|ordonnances?|arr[êe]t[ée]s?|arr[êe]ts?|directives?"
    r"|r[èe]glements?|conventions?|trait[ée]s?|constitution|contrats?|accords?|statuts?|chartes?"
    r"|d[ée]cisions?|d[ée]lib[ée]rations?|avis|circulaires?|jugements?)\b"
)


def _its_articles(t: str, cands: list[_Cand]) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _ITS_ARTICLE_RE.finditer(t):
        earlier = [
            c for c in cands
            if c.kind in ("fr_text", "eu_act") and m.start() - _ITS_REACH <= c.start
            and c.end <= m.start()
        ]  # fmt: skip
        if not earlier:
            continue
        last = max(earlier, key=lambda c: c.end)
        between = t[last.end : m.start()]
        # a later sentence (right after the title, « notamment son article » is the title's)
        if not any(stop in between for stop in (". ", "; ", "\n")):
            continue
        if _ANOTHER_TEXT_RE.search(_SAME_TEXT_NAMED_RE.sub(" ", between)):
            continue
        out.append(dataclasses.replace(last, start=m.start(), end=m.end("its"), group=0))
    return out


def _same_texts(norm: _Norm, cands: list[_Cand]) -> list[_Cand]:
    t = norm.text
    out: list[_Cand] = []
    if ("on article" in t or "es articles" in t) and any(
        c.kind in ("fr_text", "eu_act") for c in cands
    ):
        out += _its_articles(t, cands)
    if (
        "même " not in t
        and "cit" not in t
        and "sus" not in t
        and not (
            "cette loi" in t or "cette ordonnance" in t or "ce décret" in t or "ce decret" in t
            or "dernier texte" in t or "de la loi" in t or "ladite" in t or "dudit" in t
            or "cette directive" in t or "ce règlement" in t or "ce reglement" in t
        )
    ):  # fmt: skip
        return out
    for m in _SAME_TEXT_RE.finditer(t):
        # « la même loi » only with an article (« l'article 18 de la même loi »); « la loi
        # précitée », « l'ordonnance susvisée » point back by themselves
        same = (
            m.group("f") or m.group("m") or m.group("f3") or m.group("m3") or m.group("last")
            or m.group("f5") or m.group("m5") or m.group("bare")
        )  # fmt: skip
        eu = "L" if (m.group("eu_l") or m.group("eu_l2")) else (
            "R" if (m.group("eu_r") or m.group("eu_r2")) else ""
        )  # fmt: skip
        if eu:
            if _PIN_BEFORE_RE.search(t, max(0, m.start() - 160), m.start()) is None:
                continue
            reach = m.start() - _SAME_TEXT_REACH
            acts = [
                c for c in cands if c.kind == "eu_act" and reach <= c.start < c.end <= m.start()
            ]
            if acts and re.fullmatch(rf"eu:celex:3\d{{4}}{eu}\d{{4}}", acts[-1].key):
                out.append(dataclasses.replace(acts[-1], start=m.start(), end=m.end(), group=0))
            continue
        if same and _PIN_BEFORE_RE.search(t, max(0, m.start() - 160), m.start()) is None:
            continue
        typ = same or m.group("f2") or m.group("m2")
        type_key = "fr:" if m.group("last") else "fr:" + _fold(typ) + ":"
        reach = m.start() - _SAME_TEXT_REACH
        earlier = [
            c
            for c in cands
            if c.kind == "fr_text"
            and reach <= c.start < c.end <= m.start()
            and (not m.group("org") or c.label.startswith("Loi organique"))
        ]
        if m.group("bare") and len({c.key for c in earlier}) != 1:
            continue  # « de la loi » alone: only when one text alone, a loi, was cited before
        if earlier and earlier[-1].key.startswith(type_key):
            out.append(dataclasses.replace(earlier[-1], start=m.start(), end=m.end(), group=0))
    return out


# A visa (« Vu le … ; », « vu le …, » in an EU act) whose act's title cites other acts (« …
# modifiant la directive 1999/45/CE et abrogeant le règlement (CEE) no 793/93 … (1), et notamment
# son article 68, »; « Vu le Traité … (TFUE), et notamment son article 102 ; »): « notamment son
# article » is the visa's own act's, the first cited after « vu », not the last one of its title.
_VISA_RE = re.compile(r"(?:^|(?<=[,;:.] ))[Vv]u (?:le |la |les |l['’])")
_VISA_PIN_RE = re.compile(r",? (?:et )?notamment (?:son article|ses articles) " + _PIN_LIST)


def _visa_pins(t: str, chosen: list[_Cand]) -> tuple[dict[int, str], set[int]]:
    """The pinpoints a visa gives its own act (index in ``chosen`` -> pins), and the acts of
    its title (which take none of them)."""
    heads: dict[int, str] = {}
    inner: set[int] = set()
    visas = [m.end() for m in _VISA_RE.finditer(t)]
    order = sorted(range(len(chosen)), key=lambda i: chosen[i].start)
    starts = [chosen[i].start for i in order]
    for k, v in enumerate(visas):
        stop = visas[k + 1] if k + 1 < len(visas) else len(t)
        semi = t.find(";", v, stop)
        stop = semi if semi != -1 else stop
        acts = order[bisect.bisect_left(starts, v) : bisect.bisect_left(starts, stop)]
        if len(acts) < 2 or chosen[acts[0]].kind not in _PINNED_KINDS or chosen[acts[0]].start > v:
            continue
        head = chosen[acts[0]]
        pin = _VISA_PIN_RE.search(t, head.end, stop)
        if pin is None:
            continue
        heads[acts[0]] = pin.group("pins")
        inner.update(i for i in acts[1:] if chosen[i].key != head.key)
    return heads, inner


def _attach_pinpoints(norm: _Norm, chosen: list[_Cand]) -> list[_Cand]:
    """Widen each text's span to the article cited with it and record it as its pinpoint; an
    article list gives one candidate per article (same span)."""
    t = norm.text
    out: list[_Cand] = []
    visa_heads, visa_inner = _visa_pins(t, chosen) if ("vu " in t or "Vu " in t) else ({}, set())
    for i, c in enumerate(chosen):
        if c.kind not in _PINNED_KINDS:
            out.append(c)
            continue
        if i in visa_heads:
            out.extend(_pinned(c, c.start, c.end, visa_heads[i]))
            continue
        floor = chosen[i - 1].end if i else 0
        ceiling = chosen[i + 1].start if i + 1 < len(chosen) else len(t)
        start, end, pins = c.start, c.end, ""
        before = _PIN_BEFORE_RE.search(t, max(floor, c.start - 160), c.start)
        if before is None and " article" in t[max(floor, c.start - 160) : c.start]:
            before = _PIN_FRONTED_RE.search(t, max(floor, c.start - 160), c.start)
        if before is None and out and out[-1].pinpoint and out[-1].end == floor:
            # « les articles 8 de la Déclaration de 1789 et 34 de la Constitution »: the list
            # of articles goes on after the text the first ones belong to
            goes_on = _PIN_GOES_ON_RE.match(t, floor, c.start)
            before = goes_on if goes_on is not None and goes_on.end() == c.start else None
        if before is not None:
            start, pins = (
                before.start("pins" if before.re is _PIN_GOES_ON_RE else 0),
                before.group("pins"),
            )
            if (one := _ONE_ARTICLE_POINT_RE.match(before.group(0))) is not None:
                pins = one.group(1)
        else:
            after = _PIN_AFTER_RE.match(t, c.end)
            if after is not None and after.end() <= ceiling:
                end, pins = after.end(), after.group("pins")
                while (more := _PIN_MORE_RE.match(t, end)) is not None and more.end() <= ceiling:
                    end, pins = more.end(), f"{pins}, {more.group('pins')}"
            elif (
                i not in visa_inner
                and (titled := _PIN_AFTER_TITLE_RE.match(t, c.end, ceiling)) is not None
            ):
                pins = titled.group("pins")
        if not pins:
            out.append(c)
            continue
        out.extend(_pinned(c, start, end, pins))
    return out


def _pinned(c: _Cand, start: int, end: int, pins: str) -> list[_Cand]:
    """One candidate per article of ``pins``, on the span from ``start`` to ``end``."""
    out = []
    names = _pin_names(pins)
    if c.key.startswith(_WHOLE_ARTICLES):
        names = list(dict.fromkeys(_HYPHENED_PIN_RE.sub(r"\1", n) for n in names))
    for name in names:
        pinned = dataclasses.replace(c, start=start, end=end, pinpoint=name)
        number = name[4:]
        if c.link == "official" and c.url.endswith("/jo/texte") and number.isdigit():
            pinned.pinpoint_url = c.url[: -len("texte")] + f"article_{number}"
        out.append(pinned)
    return out
