"""Anaphora across an item: a text named once, then pointed back to.

The product reads a whole item (title and body), and a legal text names an act once and then
points back to it: « l'article 2.6 du règlement », « les articles 2 et 17 de ce texte »,
« (art. 8) » under a décret's title, « l'article 200 » after « l'article 200 du CGI ». Each
pointer is resolved to **the one text named earlier that fits it**, and to nothing when two
texts could be meant, when the antecedent is far away, or when another text (named but not
recognised: « le règlement intérieur », « le contrat ») stands between. A missed reference is
better than a false one.

Two passes, both pure functions of the normalised text and the candidates found:

* :func:`_pointers` (before de-overlapping, next to ``pinpoints._same_texts``): a noun phrase
  pointing back (« de ce texte », « du règlement », « de la directive », « du décret ») after an
  article, which ``pinpoints._attach_pinpoints`` then widens to that article;
* :func:`_articles_again` (after the pinpoints are attached): an article cited again by its number
  alone (« l'article 200 », « la disposition L1234-1 », « l'article 29 ») after it was cited with
  its text, and an article in brackets (« (art. 8) », « (Article 4) ») in an item that names one
  text only;
* :func:`_standalone_pointers` (round 21, after the pinpoints are attached): a demonstrative or
  definite type word standing alone (« Cette loi », « Ce décret », « La loi prévoit », « le
  décret en tire », « ces deux arrêtés », « Ce texte, d'ordre public, … »), the one text of that
  type named before it (two for « ces deux », « les deux »; round 22 adds « les deux règlements »
  and « Le Règlement » capitalised before a verb). Its span is the pointer itself, its key the
  antecedent's: in an item's list it is one more mention of a text already listed.
"""

from __future__ import annotations

import bisect
import dataclasses
import re

from watcher.understand.refs.candidates import _LATIN, _Cand
from watcher.understand.refs.codes import _code_mentions
from watcher.understand.refs.normalise import _Norm
from watcher.understand.refs.pinpoints import _ANOTHER_TEXT_RE, _PIN_BEFORE_RE

_TEXT_KINDS = frozenset({"fr_text", "eu_act", "fundamental"})
# how far back an antecedent may be (characters of the normalised item)
_REACH = 1500
# « de ce texte » points to the text named last: nearer still
_THIS_TEXT_REACH = 600

# « les articles 2 et 17 de ce texte », « l'article 2.6 du règlement », « l'article 4, § 1 du
# nouveau règlement », « l'article 8 de la directive », « l'article 3 du décret »: the pointer,
# which an article (checked with _PIN_BEFORE_RE) must precede. A bare type word must end its
# phrase (a stop, a bracket, or a verb): « du règlement intérieur », « du décret n° … » are not
# pointers.
_POINTER_RE = re.compile(
    r"(?=[cdlrRDn])(?:(?<=de )ce (?P<text>texte)"
    r"|(?<=du )(?:nouveau |m[êe]me )?(?P<reg>[Rr][èe]glement)"
    r"|(?<=de la )(?:nouvelle |m[êe]me )?(?P<dir>[Dd]irective)"
    r"|(?<=du )(?P<dec>[Dd][ée]cret))"
    r"(?=[,;:.)]|$| (?:qui|que|qu'|a|est|dispose|pr[ée]voit|pr[ée]cise|impose|modifie|permet"
    r"|interdit|institue|cr[ée]e|[ée]nonce|pose|ouvre|pour|sur|en|et|ou)(?![\w'-]))"
)
# the written type word of each pointer, to find texts of that type named but not recognised
_TYPE_WORD_RE = {
    "reg": re.compile(r"(?i)\br[èe]glements?\b"),
    "dir": re.compile(r"(?i)\bdirectives?\b"),
    "dec": re.compile(r"(?i)\bd[ée]crets?\b"),
}
_POINTER_LITERALS = ("ce texte", "du règlement", "du Règlement", "du reglement", "de la directive",
                     "de la Directive", "du décret", "du Décret", "du decret", "du nouveau",
                     "du même", "de la nouvelle", "de la même")  # fmt: skip
# a bare type word that is itself a pointer (« le règlement », « du décret, »): not another text
_BARE_TYPE_AFTER_RE = re.compile(r"(?:s)?(?=[,;:.)]|$| (?:qui|que|qu'|a|est|et|ou|en)(?![\w'-]))")


def _compatible(kind: str, c: _Cand) -> bool:
    if kind == "text":
        return c.kind in _TEXT_KINDS
    if kind == "reg":
        return c.kind == "eu_act" and re.fullmatch(r"eu:celex:3\d{4}R\d{4}", c.key) is not None
    if kind == "dir":
        return c.kind == "eu_act" and re.fullmatch(r"eu:celex:3\d{4}L\d{4}", c.key) is not None
    return c.kind == "fr_text" and c.key.startswith("fr:decret:")


def _unrecognised_of_type(t: str, kind: str, start: int, end: int, cands: list[_Cand]) -> bool:
    """A text of the pointer's type named between ``start`` and ``end`` that no candidate
    covers (« le règlement intérieur », « un décret en Conseil d'État »), other than a bare
    pointer itself."""
    for w in _TYPE_WORD_RE[kind].finditer(t, start, end):
        if any(c.start <= w.start() < c.end for c in cands):
            continue
        if _BARE_TYPE_AFTER_RE.match(t, w.end()):
            continue
        return True
    return False


def _pointers(norm: _Norm, cands: list[_Cand]) -> list[_Cand]:
    """« de ce texte », « du règlement », « de la directive », « du décret » after an article:
    the one text of that type named before (``cands`` sorted by end)."""
    t = norm.text
    if not any(w in t for w in _POINTER_LITERALS):
        return []
    out: list[_Cand] = []
    ends = [c.end for c in cands]
    for m in _POINTER_RE.finditer(t):
        if _PIN_BEFORE_RE.search(t, max(0, m.start() - 160), m.start()) is None:
            continue  # « le règlement » alone is not a reference; « l'article 5 du règlement »
        kind = next(k for k in ("text", "reg", "dir", "dec") if m.group(k))
        reach = m.start() - (_THIS_TEXT_REACH if kind == "text" else _REACH)
        earlier = [
            c for c in cands[: bisect.bisect_right(ends, m.start())]
            if c.start >= reach and _compatible(kind, c)
        ]  # fmt: skip
        if len({c.key for c in earlier}) != 1:
            continue  # none, or two texts that could be meant
        last = max(earlier, key=lambda c: c.end)
        if kind == "text":
            # nothing else named in between (« de la loi … et du contrat … de ce texte »)
            if _ANOTHER_TEXT_RE.search(t, last.end, m.start()):
                continue
        elif _unrecognised_of_type(t, kind, max(0, reach), m.start(), cands):
            continue
        out.append(
            dataclasses.replace(last, start=m.start(), end=m.end(), group=0, pinpoint="",
                                pinpoint_url="")
        )  # fmt: skip
    return out


# A name the item gives a text it cites: « le Règlement européen n°1371/2007 du 23 octobre 2007
# dit Règlement OSP (Obligations de Services Publics) », « la directive 2019/882 (ci-après
# « EAA ») »: the name, wherever the item writes it again, is that text. The name is capitalised
# (one to four words, an acronym or a title), as a defined term is.
_NAMED_AS_RE = re.compile(
    r"(?: du \d{1,2}(?:er)? [a-zéû]+ \d{4})?,?(?: \(| )?"
    r"(?:dite?s?|appel[ée]e?|surnomm[ée]e?|ci-apr[èe]s(?: d[ée]nomm[ée]e?)?),? "
    r"(?:le |la |l['’])?(?:« ?|\"|“)?"
    r"(?P<name>[A-ZÉ][\w'’-]*(?: (?:[A-ZÉ0-9][\w'’-]*|de|du|des|sur|et)){0,4}(?<![ a-z]de)"
    r"(?<! du)(?<! des)(?<! sur)(?<! et))"
    r"(?! ?[\w-])"
)
_NAMED_AS_LITERALS = ("dit", "appel", "surnomm", "ci-apr")


def _named_again(norm: _Norm, cands: list[_Cand]) -> list[_Cand]:
    """A text's name given in the item (« … dit Règlement OSP »), written again later."""
    t = norm.text
    if not any(w in t for w in _NAMED_AS_LITERALS):
        return []
    out: list[_Cand] = []
    for c in cands:
        if c.kind not in ("fr_text", "eu_act"):
            continue
        m = _NAMED_AS_RE.match(t, c.end)
        if m is None or len(m.group("name")) < 3:
            continue
        name = m.group("name")
        for again in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", t[m.end() :]):
            out.append(
                dataclasses.replace(c, start=m.end() + again.start(), end=m.end() + again.end(),
                                    group=0, pinpoint="", pinpoint_url="")
            )  # fmt: skip
    return out


# An article cited by its number alone: « l'article 200 », « (art. 8) », « (Article 4) »,
# « l'article L. 113-12 », « la disposition L1234-1 » (a code's number, no « article »).
_ART_NUM = (
    r"(?P<p>LO|L|R|D)?(?:\. ?| )?(?P<n>\d+(?:-\d+)*|1er)"
    r"(?: (?P<x>" + _LATIN + r"))?(?![\w-]|[.,]\d)"
)  # fmt: skip
_AGAIN_RE = re.compile(
    r"(?=[(AaLRD])(?:(?P<open>\( ?)|(?<=l')|(?<=L'))(?:[Aa]rticle|ARTICLE|[Aa]rt\.) " + _ART_NUM
    + r"(?P<close> ?\))?"
    # a code's number alone, after a word (« la disposition L1234-1 »)
    r"|(?<=[a-zé] )(?P<code>(?P<cp>L|R|D)\.? ?(?P<cn>\d{3,4}-\d+(?:-\d+)*))(?![\w-]|[.,]\d)"
)  # fmt: skip
# what names the article's own text right after it (then it is not a pointer)
_OWN_TEXT_AFTER_RE = re.compile(
    r",? (?:\S+ )?(?:du|de|des|d'|dudit|de la|de l'|pr[ée]cit[ée]e?|susvis[ée]e?|ci-dessus|of)\b"
)


# an item with articles of its own: headings « Article 4 » at a line's start, or a contract's
# clauses (« les présentes », « conditions générales »)
_OWN_ARTICLES_RE = re.compile(r"(?m)^[ \t#*]*(?:Article|ARTICLE|Art\.) \d")
_CLAUSES_RE = re.compile(
    r"(?i)\b(?:pr[ée]sentes|conditions g[ée]n[ée]rales|CGV|CGU|cahier des charges|statuts"
    r"|contrat|r[èe]glement int[ée]rieur)\b"
)


def _article_id(c: _Cand) -> str | None:
    """The article a found reference cites, as keys write it (« 200 », « L113-12 »)."""
    if c.kind == "code_article":
        return c.key.split(":")[3]
    if c.kind in _TEXT_KINDS and c.pinpoint.startswith("art-"):
        return c.pinpoint[4:]
    return None


def _articles_again(norm: _Norm, chosen: list[_Cand]) -> list[_Cand]:
    """Articles cited again by number, and bracketed articles of the item's one text (``chosen``
    de-overlapped and pinned, sorted by start)."""
    t = norm.text
    if not chosen or ("rt" not in t and "RT" not in t and not re.search(r"[LRD]\.? ?\d", t)):
        return []
    out: list[_Cand] = []
    starts = [c.start for c in chosen]
    for m in _AGAIN_RE.finditer(t):
        i = bisect.bisect_left(starts, m.end())
        if i and chosen[i - 1].end > m.start():
            continue  # already part of a reference
        if any(c.start < m.end() and m.start() < c.end for c in chosen[i : i + 1]):
            continue
        before = [c for c in chosen[:i] if c.end <= m.start() and c.start >= m.start() - _REACH]
        if m.group("code"):
            if i and chosen[i - 1].end >= m.start() - 2:
                continue  # right after a code's name (« Code de la santé publique L793-5 »)
            ident = m.group("cp") + m.group("cn")
        else:
            if _OWN_TEXT_AFTER_RE.match(t, m.end()):
                continue  # « l'article 12 du contrat », « l'article 4 de la loi … »
            number = "1" if m.group("n") == "1er" else m.group("n")
            ident = (m.group("p") or "") + number + (f"-{m.group('x')}" if m.group("x") else "")
        again = [c for c in before if _article_id(c) == ident]
        if again:
            if len({c.key for c in again}) != 1:
                continue  # cited with two texts: which one is meant?
            last = again[-1]
            between = t[last.end : m.start()]
            if last.kind == "code_article":
                mentions = _code_mentions(norm)
                slug = last.key.split(":")[2]
                if any(last.end <= c.start < m.start() and c.slug != slug for c in mentions):
                    continue  # another code named since
            if not (m.group("code") or m.group("p")) and _ANOTHER_TEXT_RE.search(between):
                continue  # a plain number: another text named since may be meant
        elif m.group("open") and m.group("close"):
            # « (art. 8) », « (Article 4) »: the one text the item names before it
            texts = [c for c in before if c.kind in _TEXT_KINDS]
            if len({c.key for c in texts}) != 1 or _code_mentions(norm):
                continue
            if _OWN_ARTICLES_RE.search(norm.orig) or _CLAUSES_RE.search(t):
                continue  # the item's own articles (a contract's, a text's headings)
            last = texts[-1]
            if _ANOTHER_TEXT_RE.search(t, last.end, m.start()):
                continue
            if last.kind == "code_article":
                continue
            number = "1" if m.group("n") == "1er" else m.group("n")
            if m.group("p"):
                continue  # « (art. L. 121-1) » is a code's
            ident = number + (f"-{m.group('x')}" if m.group("x") else "")
        else:
            continue
        s = m.start() + len(m.group("open") or "")
        e = m.end() - len(m.group("close") or "")
        if again or last.kind == "code_article":
            out.append(dataclasses.replace(last, start=s, end=e, group=0))
        else:
            out.append(
                dataclasses.replace(last, start=s, end=e, group=0, pinpoint=f"art-{ident}",
                                    pinpoint_url="")
            )  # fmt: skip
    return out


# A text pointed back to by a demonstrative or definite type word standing alone: « Cette loi
# interdit … », « Ce décret réglemente … », « La loi couvre désormais … », « le décret en tire les
# conséquences », « d'abroger ce même arrêté », « ces deux arrêtés », « Ce texte, d'ordre
# public, … », « Cette directive doit être déclinée … ». It is the one text of that type the item
# names before it (two texts for « ces deux »). A demonstrative must not start a noun phrase of
# its own (« cette loi n° … », « ce décret d'application », « cette loi Evin »); a definite type
# word is a pointer only as a clause's subject or object, right before a verb (« la loi
# prévoit », « que la loi confère »), never after « à », « par », « selon » (« conformément à
# la loi », « prévu par la loi »: the law in general).
# round 29: what a legal act does, as the subject of its sentence (« le règlement s'applique »,
# « le décret détermine », « le règlement a pour objectif »): verbs a payment, a contest's rules or
# a settlement rarely take
_ACT_VERB = (
    r" (?:ne |n['’]|se |s['’])*(?:s['’]applique|pr[ée]voit|impose|entend|stipule|dispose|interdit"
    r"|oblige|d[ée]finit|vise|encadre|instaure|harmonise|exige|d[ée]termine|transpose|abroge"
    r"|a pour (?:objet|objectif|but|ambition))(?![\w'’-])"
)
_STANDALONE_RE = re.compile(
    r"(?<![\w'’-])(?:"
    r"(?P<dem>[Cc]ette(?: m[êe]me)? (?P<dem_f>[Ll]oi|[Oo]rdonnance|[Dd]irective|[Dd][ée]cision)"
    r"|[Cc]e(?: m[êe]me)? (?P<dem_m>[Dd][ée]cret|[Tt]exte|[Rr][èe]glement)"
    r"|[Cc](?:et|e m[êe]me) (?P<dem_a>[Aa]rr[êe]t[ée]|[Aa]rr[êe]t)"
    # round 25: « ladite directive », « dudit décret », « ledit règlement »: a demonstrative
    r"|[Ll]adite (?P<dit_f>[Ll]oi|[Oo]rdonnance|[Dd]irective|[Dd][ée]cision)"
    r"|(?:[Ll]edit|[Dd]udit) (?P<dit_m>[Dd][ée]cret|[Rr][èe]glement|[Aa]rr[êe]t[ée]|[Aa]rr[êe]t))"
    # round 25: « la présente loi », « le présent décret », « la présente directive »: the text
    # the item is (or quotes), named in it before: the one text of that type named before it in
    # the whole item
    r"|(?P<pres>[Ll]a pr[ée]sente (?P<pres_f>[Ll]oi|[Oo]rdonnance|[Dd]irective)"
    r"|(?:[Ll]e|[Dd]u|[Aa]u) pr[ée]sent (?P<pres_m>[Dd][ée]cret|[Rr][èe]glement|[Aa]rr[êe]t[ée]))"
    # « ces deux arrêtés », and (round 22) « Les deux règlements », « les deux directives »
    r"|(?P<two>(?:[Cc]es|[Ll]es) deux (?P<two_t>lois|d[ée]crets|ordonnances|arr[êe]t[ée]s"
    r"|directives|r[èe]glements|arr[êe]ts|d[ée]cisions))"
    # round 23: « la directive », « l'ordonnance » anywhere (after « par », « de », « à », before
    # any word): unlike « la loi », an item rarely speaks of directives or ordinances in general;
    # the word must still end its noun phrase and be the one text of that type in reach
    r"|(?P<defw>[Ll]a (?P<defw_f>[Dd]irective)|[Ll]['’](?P<defw_o>[Oo]rdonnance))"
    r"|(?P<def>(?<![àr] )(?<!selon )(?<!devant )(?<!hors )(?<!sous )"
    # « Le Règlement édicte … » (round 22): capitalised, as a text names the act it is about
    # (« le règlement » in lower case is a payment as often)
    r"(?:[Ll]a (?P<def_f>[Ll]oi)|[Ll]e (?P<def_m>[Dd][ée]cret|R[èe]glement)"
    r"|[Ll]['’](?P<def_o>arr[êe]t[ée])"
    # round 29: « le règlement » in lower case before a verb only an act's subject takes
    # (« le règlement s'applique également à … », « le règlement a pour objectif de … »; not
    # « le règlement est effectué », a payment)
    # (not « la loi ou le règlement prévoit »: rules in general)
    r"|(?<!ou )(?<!et )[Ll]e (?P<def_r>r[èe]glement)(?=" + _ACT_VERB + r")"
    # round 30: « le texte » likewise (« le texte a pour objectif de rééquilibrer … »)
    r"|(?<!ou )(?<!et )[Ll]e (?P<def_t>texte)(?=" + _ACT_VERB + r")))"
    r")(?![\w-])"
)
# what makes a demonstrative the start of a noun phrase naming a text (not a pointer)
_OWN_PHRASE_AFTER_RE = re.compile(
    r",? ?n[°o º]|,? no\b|,? [«\"“\d]"
    r"| (?:du\b|de\b|des\b|d['’]|relati|portant|dite?s?\b|sur\b|pour\b|organique|fran[çc]|europ"
    r"|am[ée]ricain|[A-ZÉ])"
)
# what else starts a noun phrase after « la directive », « l'ordonnance » (round 23): a bracket
# (« la directive (UE) … »), an adjective or a participle naming which one (« la directive
# précédente », « l'ordonnance rendue », « l'ordonnance de référé » is caught by « de »)
_DEFW_OWN_PHRASE_RE = re.compile(
    r" ?\(| (?:pr[ée]c[ée]dente|premi[èe]re|seconde|deuxi[èe]me|nouvelle|ancienne|initiale"
    r"|modifi[ée]e|r[ée]vis[ée]e|propos[ée]e|future|rendue|attaqu[ée]e|contest[ée]e|p[ée]nale"
    r"|civile|m[ée]dicale|sur\b|n°)"
)
# a verb right after a definite type word (« la loi prévoit », « le décret en tire »), possibly
# after a negation or a pronoun
_VERB_AFTER_RE = re.compile(
    r" (?:ne |n['’]|se |s['’]|y |en |les |leur |lui |l['’]|la |le )*"
    r"(?:a|avait|aura|est|était|sera|serait|doit|devait|devra|devrait|peut|pouvait|pourra|pourrait"
    r"|vient|va|fait|entre|entrera|dispose|prévoit|prévoyait|précise|impose|imposait|interdit"
    r"|oblige|encadre|couvre|réglemente|vise|visait|concerne|confère|permet|permettait|définit"
    r"|fixe|modifie|renforce|crée|institue|instaure|introduit|étend|élargit|reprend|transpose"
    r"|complète|remplace|abroge|réforme|consacre|autorise|exige|punit|sanctionne|protège"
    r"|organise|ajoute|limite|pose|énonce|ouvre|supprime|simplifie|facilite|tire|reporte"
    r"|stipule|indique|rend|donne|accorde|assure|garantit|intègre|soumet|contraint|applique"
    r"|prend|porte|mentionne|distingue|réserve|laisse|comporte|contient|prévient|soumettait"
    r"|édicte|détermine|entend"
    r"|s'applique|s’applique)(?![\w'’-])"
)
# the type word of each pointer, to find texts of that type named but not recognised
_STANDALONE_TYPE_RE = {
    "loi": re.compile(r"(?i)(?<![\w-])lois?(?![\w-])"),
    "ordonnance": re.compile(r"(?i)(?<![\w-])ordonnances?(?![\w-])"),
    "decret": re.compile(r"(?i)(?<![\w-])d[ée]crets?(?![\w-])"),
    "arrete": re.compile(r"(?i)(?<![\w-])arr[êe]t[ée]s?(?![\w-])"),
    "directive": re.compile(r"(?i)(?<![\w-])directives?(?![\w-])"),
    "reglement": re.compile(r"(?i)(?<![\w-])r[èe]glements?(?![\w-])"),
    "decision": re.compile(r"(?i)(?<![\w-])d[ée]cisions?(?![\w-])"),
    "arret": re.compile(r"(?i)(?<![\w-])arr[êe]ts?(?![\w-])"),
}
_STANDALONE_LITERALS = ("ette ", "ce ", "Ce ", "es deux", "la ", "La ", "le ", "Le ", "l'", "L'",
                        "l’", "L’", "dite ", "dit ")  # fmt: skip
_BILL_RE = re.compile(r"(?i)\b(?:projets?|propositions?|proposals?) de\b")
# Légifrance's furniture before « ce texte », and « dans ce texte »: the page itself (round 30)
_PAGE_FURNITURE_BEFORE_RE = re.compile(r"(?i)(?:donn[ée]es|r[ée]f[ée]rences?|version) de $|dans $")
# the writer's own text (« Dans ce texte, nous allons explorer … »)
_WRITER_AFTER_RE = re.compile(r",? (?:nous|je|j['’]|on)\b")
# an EU act the item itself calls a law (« l'AI Act », « la loi sur l'IA »): « la loi » may be it
_CALLED_A_LAW_RE = re.compile(r"\bAct\b|(?i:\bloi\b)")


def _standalone_type(m: re.Match[str]) -> str:
    word = _fold_type(m.group("dem_f") or m.group("dem_m") or m.group("dem_a") or m.group("two_t")
                      or m.group("dit_f") or m.group("dit_m") or m.group("pres_f")
                      or m.group("pres_m")
                      or m.group("defw_f") or m.group("defw_o") or m.group("def_f")
                      or m.group("def_m") or m.group("def_o")
                      or m.group("def_r") or m.group("def_t"))  # fmt: skip
    return word


def _fold_type(word: str) -> str:
    w = word.lower().replace("é", "e").replace("ê", "e").replace("è", "e")
    return w[:-1] if w.endswith("s") else w


# how a ruling or a decision is named where it is cited (its candidate's first words)
_DECISION_NAMED_RE = re.compile(
    r"(?i)(?:d[ée]cision|arr[êe]t(?![ée])|jugement|ordonnance|ch\.|chambre"
    r"|cass|c\. ?cass|ce\b|conseil|cour|cjue|cedh|cc\b|tribunal|cons\.)"
)


def _fits(typ: str, c: _Cand, t: str) -> bool:
    if typ == "texte":
        return c.kind in _TEXT_KINDS or c.kind == "code_article"
    if typ in ("loi", "decret", "ordonnance", "arrete"):
        if c.kind == "fr_text" and c.key.startswith(f"fr:{typ}:"):
            return True
        # « la loi » for an EU regulation the item calls a law (« AI Act », « loi sur l'IA »)
        return (
            typ == "loi"
            and c.kind == "eu_act"
            and re.fullmatch(r"eu:celex:3\d{4}R\d{4}", c.key) is not None
            and _CALLED_A_LAW_RE.search(t, c.start, c.end) is not None
        )
    if typ == "directive":
        return c.kind == "eu_act" and re.fullmatch(r"eu:celex:3\d{4}L\d{4}", c.key) is not None
    if typ in ("decision", "arret"):
        # round 22: « cette décision », « cet arrêt », « ces deux arrêts »: a ruling or a
        # regulator's decision named before
        # regulator's decision named before (not a délibération, an avis, a recommandation: « cette
        # décision » after « la délibération de la CNIL … » and « sa décision du 19 juin 2020, le
        # Conseil d'État » is the ruling)
        return c.kind == "decision" and _DECISION_NAMED_RE.match(t, c.start) is not None
    if typ == "reglement":
        return c.kind == "eu_act" and re.fullmatch(r"eu:celex:3\d{4}R\d{4}", c.key) is not None
    return False


def _standalone_pointers(norm: _Norm, chosen: list[_Cand]) -> list[_Cand]:
    """« Cette loi », « Ce décret », « La loi prévoit », « ces deux arrêtés »: the text(s) of that
    type the item names before (``chosen`` de-overlapped, sorted by start)."""
    t = norm.text
    if not chosen or not any(w in t for w in _STANDALONE_LITERALS):
        return []
    matches = list(_STANDALONE_RE.finditer(t))
    if not matches:
        return []
    # a « la directive » that starts its own noun phrase (« la directive de 2008 », « la
    # directive révisée ») is another text named, not a pointer (round 23)
    pointer_spans = [
        (m.start(), m.end())
        for m in matches
        if not m.group("defw")
        or not (_DEFW_OWN_PHRASE_RE.match(t, m.end()) or _OWN_PHRASE_AFTER_RE.match(t, m.end()))
    ]
    starts = [c.start for c in chosen]
    out: list[_Cand] = []
    for m in matches:
        i = bisect.bisect_left(starts, m.end())
        if any(c.start < m.end() and m.start() < c.end for c in chosen[max(0, i - 3) : i + 1]):
            continue  # part of a reference already (« cette loi n° … », « de cette loi »)
        typ = _standalone_type(m)
        if m.group("def"):
            if _VERB_AFTER_RE.match(t, m.end()) is None:
                continue
        elif _OWN_PHRASE_AFTER_RE.match(t, m.end()) or (
            m.group("defw") and _DEFW_OWN_PHRASE_RE.match(t, m.end())
        ):
            continue
        reach = m.start() - (_THIS_TEXT_REACH if typ == "texte" else _REACH)
        if m.group("pres"):
            reach = 0  # the text the item is: named anywhere before
        earlier = [
            c for c in chosen[:i] if c.end <= m.start() and c.start >= reach and _fits(typ, c, t)
        ]
        keys = list(dict.fromkeys(c.key for c in earlier))
        if len(keys) != (2 if m.group("two") else 1):
            continue  # none, or two texts that could be meant
        first = min(earlier, key=lambda c: c.start)
        last = max(earlier, key=lambda c: c.end)
        if typ == "texte":
            if _ANOTHER_TEXT_RE.search(t, last.end, m.start()):
                continue  # another text named since
            if (m.group("def_t") or not m.group("dem").startswith("C")) and (
                last.kind not in ("fr_text", "eu_act")
                or _PAGE_FURNITURE_BEFORE_RE.search(t, max(0, m.start() - 30), m.start())
                or _WRITER_AFTER_RE.match(t, m.end())
                # « le texte » of a bill (« le projet de loi … le texte prévoit »)
                or (m.group("def_t") and _BILL_RE.search(t, max(0, reach), m.start()))
            ):
                # round 30: « ce texte » in lower case (« l'application de ce texte », « ce
                # texte indique ») points back to a loi, a décret, an EU act; after a code's
                # article, or in a page's furniture, it is the page (« Les références de ce
                # texte avant la renumérotation », « Dernière mise à jour des données de ce
                # texte », Légifrance's pages)
                continue
        else:
            # a text of that type named but not recognised (« un projet de loi », « la loi
            # américaine », « Un arrêté fixe … »): since the antecedent, or anywhere in reach
            # for a definite type word
            since = max(0, reach) if m.group("def") or m.group("defw") else first.end
            if any(
                not any(c.start <= w.start() < c.end for c in chosen)
                and not any(s <= w.start() < e for s, e in pointer_spans)
                for w in _STANDALONE_TYPE_RE[typ].finditer(t, since, m.start())
            ):
                continue
        for key in keys:
            ante = max((c for c in earlier if c.key == key), key=lambda c: c.end)
            out.append(
                dataclasses.replace(ante, start=m.start(), end=m.end(), group=0, pinpoint="",
                                    pinpoint_url="")
            )  # fmt: skip
    return out
