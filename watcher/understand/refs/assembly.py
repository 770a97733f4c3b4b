"""Assembling the candidates: the cheap pre-check, NOR links, unified keys, de-overlapping."""

from __future__ import annotations

import bisect
import datetime
import re

from watcher.understand.refs.candidates import _Cand
from watcher.understand.refs.french_texts import _ELI_TYPES, _NOR_NATURE, _eli_url

# --------------------------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------------------------

# Cheap pre-check: text without two digits or one of these words cannot hold a reference.
# Two searches: the one for two digits settles nearly every text at once, far sooner than the
# alternation of words would, which the regex engine tries at every position.
_TRIGGER_DIGITS_RE = re.compile(r"\d\d")
_TRIGGER_WORDS_RE = re.compile(
    r"(?i)eli/|celex|rgpd|gdpr|\bact\b|\blois? |reach|eidas|lcen|r[èe]glement|regulation|directive"
    r"|\bcode\b|livre des proc|constitution|charte|d[ée]claration|pr[ée]ambule|trait[ée]|tfue"
    r"|convention|ecn\+|ddhc|cedh|cesdh|dudh|conv\. ?edh"
    # EU acts' acronyms written alone (« le PPWR », « la CSDDD »): the alias table matches them
    r"|eudr|ppwr|ucpd|avmsd|priips|mifir|sfdr|csddd|\bcsrd\b|emfa|\bmica\b"
    r"|d[ée]cret (?:tertiaire|bacs)"
    # the accessibility act's French names (« l'acte (législatif) européen sur l'accessibilité »)
    r"|acte (?:l[ée]gislatif )?europ[ée]en"
    # an article of one digit and an abbreviated code (« art. 9 C. civ. », « art. 9 CPC »)
    r"|\bart(?:icles?|\.) ?\d"
    # the code's preliminary article with an abbreviated code (« art. liminaire du c. consom. »)
    r"|\bart(?:icle|\.) liminaire"
)
# the codes' acronyms that name them alone (_ACRONYMS_ALONE) and the dotted acronyms, as written
# (a third search, case-sensitive, for the texts the other two let go)
_TRIGGER_ACRONYMS_RE = re.compile(
    r"(?=[CL])(?<![\w.])(?:CGCT|CESEDA|Ceseda|CRPA|CASF|CCH|CMF|CGI|LPF|CIBS|CG3P|CGFP|CJPM|CJA"
    r"|CPCE|CPI|CJF|C\.[A-Z]\.[A-Z]\.)"
)

# round 30: the names read where the item speaks of the act's subject (acronyms._TOPIC_NAMES)
_TRIGGER_TOPIC_NAMES_RE = re.compile(
    r"\b(?:DSA|DMA|EAA|INCO|GPSR|RSGP|RGSP|CCD|AGEC|Agec|[ÉE]G?[Aa]lim)"
)

# EU acts' names that end with a rank (« la DSP2 », « DSP 1 », « NIS2 »), in capitals: C-speed
# literal searches, not one more branch of the words' alternation
_RANKED_NAMES = ("DSP1", "DSP2", "DSP 1", "DSP 2", "PSD1", "PSD2", "NIS2", "NIS 2")


def _triggered(text: str) -> bool:
    return (
        _TRIGGER_DIGITS_RE.search(text) is not None
        or _TRIGGER_WORDS_RE.search(text) is not None
        or _TRIGGER_ACRONYMS_RE.search(text) is not None
        or _TRIGGER_TOPIC_NAMES_RE.search(text) is not None
        or any(name in text for name in _RANKED_NAMES)
    )


def _link_nors(cands: list[_Cand]) -> None:
    """Give an unnumbered French text the ELI built with the NOR written right after it."""
    texts = [c for c in cands if c.kind == "fr_text" and c.key.split(":")[2].startswith("du-")]
    nors = [c for c in cands if c.kind == "nor"]
    for c in texts:
        typ = c.key.split(":")[1]
        following = [n for n in nors if 0 <= n.start - c.end <= 300]
        if not following or c.date is None or typ not in _ELI_TYPES:
            continue
        nor = following[0].key.split(":")[2]
        between = [
            o for o in cands if o.kind == "fr_text" and c.end <= o.start < following[0].start
        ]
        if not between and nor.endswith(_NOR_NATURE[typ]):
            c.url, c.link = _eli_url(typ, c.date, nor), "official"


# The lois constitutionnelles of the Fifth Republic and their dates (Légifrance), to tell which
# one « la loi constitutionnelle du … » is when the item also cites one by its number alone.
_CONSTITUTIONAL_LAWS = {
    f"fr:loi:{num}": datetime.date(*ymd)
    for num, ymd in (
        ("60-525", (1960, 6, 4)), ("62-1292", (1962, 11, 6)), ("63-1327", (1963, 12, 30)),
        ("74-904", (1974, 10, 29)), ("76-527", (1976, 6, 18)), ("92-554", (1992, 6, 25)),
        ("93-952", (1993, 7, 27)), ("93-1256", (1993, 11, 25)), ("95-880", (1995, 8, 4)),
        ("96-138", (1996, 2, 22)), ("98-610", (1998, 7, 20)), ("99-49", (1999, 1, 25)),
        ("99-568", (1999, 7, 8)), ("99-569", (1999, 7, 8)), ("2000-964", (2000, 10, 2)),
        ("2003-267", (2003, 3, 25)), ("2003-276", (2003, 3, 28)), ("2005-204", (2005, 3, 1)),
        ("2005-205", (2005, 3, 1)), ("2007-237", (2007, 2, 23)), ("2007-238", (2007, 2, 23)),
        ("2007-239", (2007, 2, 23)), ("2008-103", (2008, 2, 4)), ("2008-724", (2008, 7, 23)),
        ("2024-200", (2024, 3, 8)),
    )
}  # fmt: skip


def _unify_dated(cands: list[_Cand]) -> None:
    """« la loi du 30 juin 2000 » in a text that also cites « loi n° 2000-597 du 30 juin 2000 »,
    or the same act by a common name (« la loi du 2 avril 1947, dite loi Bichet »), gets the
    number key."""
    numbered: dict[tuple[str, datetime.date], _Cand] = {}
    dated: list[tuple[str, datetime.date, _Cand]] = []
    constitutional: dict[datetime.date, list[_Cand]] = {}
    for c in sorted(cands, key=lambda c: c.start):
        date = c.date or c.alias_date
        if c.kind == "fr_text" and c.key in _CONSTITUTIONAL_LAWS:
            # « Loi constitutionnelle n° 2005-205 », its date written or not: the date it has
            constitutional.setdefault(_CONSTITUTIONAL_LAWS[c.key], []).append(c)
        if c.kind != "fr_text" or date is None:
            continue
        typ, ident = c.key.split(":")[1], c.key.split(":")[2]
        if not ident.startswith("du-"):
            numbered.setdefault((typ, date), c)
        else:
            dated.append((typ, date, c))
    for typ, date, c in dated:
        same_day = constitutional.get(date, [])
        if c.label.startswith("Loi constitutionnelle") and same_day:
            # « la loi constitutionnelle du 1er mars 2005 … Loi constitutionnelle n° 2005-205 »
            # (two were promulgated that day: the one number written in the item tells which)
            if len({n.key for n in same_day}) == 1:
                c.key, c.label = same_day[0].key, same_day[0].label
        elif (typ, date) in numbered:
            ref = numbered[(typ, date)]
            c.key, c.label = ref.key, ref.label
            if ref.link == "official":
                c.url, c.link = ref.url, ref.link


def _unify_rulings(cands: list[_Cand]) -> None:
    """« le Conseil d'État dans une décision du 27 octobre 2011 (Conseil d'État, 27 octobre 2011,
    requête n° 329498) »: a ruling cited by date in a text that also gives its number, with the
    same court and date, gets the number key."""
    numbered: dict[tuple[str, datetime.date], _Cand] = {}
    for c in cands:
        if c.kind == "decision" and c.decided is not None:
            numbered.setdefault((c.key.rsplit(":", 1)[0], c.decided), c)
    if not numbered:
        return
    for c in cands:
        court, _, ident = c.key.rpartition(":")
        if c.kind != "decision" or not ident.startswith("du-"):
            continue
        try:
            date = datetime.date.fromisoformat(ident[3:])
        except ValueError:
            continue
        ref = numbered.get((court, date))
        if ref is not None:
            c.key, c.label, c.url, c.link = ref.key, ref.label, ref.url, ref.link


def _deoverlap(cands: list[_Cand]) -> list[_Cand]:
    """Longest wins; candidates of one list match (same group) never compete with each other."""
    chosen: list[_Cand] = []
    starts: list[int] = []  # the starts of the spans taken, in order
    taken: list[tuple[int, int, str, int]] = []  # the spans taken, in the order of `starts`
    longest = 0  # no span taken is longer: one that overlaps c starts after c.start - longest
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        clash = False
        i = bisect.bisect_left(starts, c.end)
        while not clash and i > 0 and starts[i - 1] > c.start - longest:
            i -= 1
            _, e, k, g = taken[i]
            clash = c.start < e and not (c.group and g == c.group and k == c.kind)
        if not clash:
            chosen.append(c)
            at = bisect.bisect_right(starts, c.start)
            starts.insert(at, c.start)
            taken.insert(at, (c.start, c.end, c.kind, c.group))
            longest = max(longest, c.end - c.start)
    return sorted(chosen, key=lambda c: (c.start, c.end))


# one space, or « dite » between a text and its common name with no comma (« la loi du 5
# juillet 1985 dite loi Badinter »; « la loi du 2 avril 1947, dite loi « Bichet » », an aside,
# stays two references)
_NAME_NUMBER_GAP_RE = re.compile(r" | dite? ")


def _merge_name_and_number(cands: list[_Cand], text: str) -> list[_Cand]:
    """« la directive « BRRD » 2014/59/UE », « la directive dite « BRRD » 2014/59/UE »: a text's
    common name right before its own number (one space between), or after it with « dite »
    (« la loi du 5 juillet 1985 dite loi Badinter »), is one reference, not two. The
    number's candidate stays (its link may be official), over both spans. ``cands`` are sorted."""
    out: list[_Cand] = []
    for c in cands:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.key == c.key
            and prev.kind == c.kind
            and c.kind in ("eu_act", "fr_text")
            and _NAME_NUMBER_GAP_RE.fullmatch(text, prev.end, c.start) is not None
        ):
            c.start = prev.start
            out[-1] = c
        else:
            out.append(c)
    return out
