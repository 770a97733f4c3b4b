"""Standards: NF, EN, ISO, IEC, ASTM… with their amendments and edition years."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from watcher.understand.refs.candidates import _Cand
from watcher.understand.refs.links import ISO_STANDARD, _afnor_search, _iso_search
from watcher.understand.refs.normalise import _Norm
from watcher.understand.refs.table import _data

# --- Standards ----------------------------------------------------------------------------
# A run of designation tokens (« NF EN ISO », « ISO/IEC TR », « FD CEN/TR », « AFNOR SPEC »),
# then a classification index (« Z 42-013 ») or a number (« 9001 », « 20000-1 », « 64.1 »),
# then amendment and edition year in any of their written forms.
_STD_TOKENS = (
    r"PR|NF|XP|FD|AC|BP|GA|EN|ENV|ISO|IEC|CEI|CEN|CENELEC|IEEE|ASTM|ETSI|AFNOR|SPEC|UTE|DTU"
    r"|TR|TS|PAS|DIS|FDIS|CD|WD|DTS|DTR|AWI|Guide|SN|DIN|BS|NBN|UNE|IATF|NTA|OHSAS|HD"
)
# « /A1 », « /Amd 1:2024 », « /NA » (a national annex: « NF EN 1990/NA »), and « +A1:2009 »
# (the year after « +A1 » is the amendment's, as in « EN 149:2001+A1:2009 »). A corrigendum
# « /AC » and an amendment after a slash keep their year, as the Official Journal's lists of
# harmonised standards write them (« EN 556-1:2001/AC:2006 », « EN 60601-1:2006/A1:2013 »).
_AMD = (
    r"(?:/(?P<a1>A\d{1,2}|AC|NA(?![\w]))(?::(?P<a1y>(?:19|20)\d\d)(?!\d))?"
    r"|/Amd ?(?P<a2>\d{1,2})(?: ?: ?(?P<a2y>\d{4}))?"
    r"| ?\+ ?(?P<a3>A\d{1,2}|AC)(?: ?: ?(?:19|20)\d\d(?!\d))?)"
)
# (?=[A-Z]): every designation token starts with a capital (see _FR_TEXT_RE).
# The number may follow the prefix without a space (« EN71 », « ISO26000 ») and be written with
# a thousands space (« NF EN 13 432 », « ISO 26 000 »).
_STD_YEAR = r"(?:19[5-9]|20[0-3])\d"
_STD_YEAR_RE = re.compile(_STD_YEAR)
_STD_RE = re.compile(
    # « NF-EN-14683 »: the tokens and the number may be joined by hyphens (not « ISO-8859-1 »,
    # a character set: a number after a hyphen only after two hyphenated tokens)
    # a national adoption may be glued to a digit before it (« Edition: 2020-02SN EN 14683 »)
    r"(?=[A-Z])(?:(?<![\w/.-])|(?<=\d)(?=(?:SN|DIN|BS|NBN|UNE) (?:EN|ISO) ))"
    r"(?P<pre>(?:" + _STD_TOKENS + r")(?:[ /-](?:" + _STD_TOKENS + r"))*)"
    r"(?: |(?:(?<=-[A-Z]{2})|(?<=-[A-Z]{3}))-(?=\d))?"
    # a classification index may have a part (« NF P 11-213-3 », « NF C 15-100-07 »), or two
    # (the DTUs' « NF P 84-204-1-1 », « NF P 10-202-1-2 »)
    r"(?:(?P<idx>[A-Z]) ?(?P<i1>\d{2})-?(?P<i2>\d{3})(?P<i3>(?:-\d{1,2}){1,2}(?![\d-]))?"
    # a part after a spaced hyphen ends the citation (« EN 71 - 1) », not « ISO 9001 - 3 jours »)
    r"|(?P<num>\d{1,3} \d{3}(?:-\d{1,2}(?![\d-]))?(?!\d| \d)|\d{1,6}(?:-\d{1,3}|- \d{1,2}(?!\d)"
    r"| - \d{1,2}(?= ?(?:[).,;:\]]|$)))*(?:\.\d{1,2})?))"
    # (an edition glued after « v »: « ISO 27001v2013 »)
    r"(?:(?![\w])|(?=v(?:19|20)\d\d(?!\d)))" + _AMD + r"?"
    r"(?: ?: ?(?P<y1>" + _STD_YEAR + r")(?!\d)"  # « :2015 », « : 2015 »
    r"| ?\((?:[a-zéû]+ )?(?P<y2>" + _STD_YEAR + r")\)"  # « (2015) », « (novembre 2003) »
    r"| ?\(version \d+(?:-\d+)? ?: ?(?P<y4>" + _STD_YEAR + r")\)"  # « (version 14001 : 2015) »
    # « version 2015 », « , version 2015 », « édition 2015 », « en version 2015 »
    r"|(?:,| :)? (?:en )?(?:version|[ée]dition) (?P<y3>" + _STD_YEAR + r")(?!\d)"
    # « ISO 9001 v2015 », « ISO 20000-1 v2012 », « ISO 27001v2013 »
    r"| ?[vV]\.? ?(?P<y7>" + _STD_YEAR + r")(?![\w-])"
    # « ISO 9001-2015 » (a hyphen for the colon: see _standard)
    r"|-(?P<y5>" + _STD_YEAR + r")(?![\w-])"
    # « NF P 11-213-3 de mars 2005 », « la NF C 15-100 de 2002 » (not « de 2010 à 2020 »)
    r"| (?:de (?:(?:janvier|f[ée]vrier|mars|mai|juin|juillet|septembre|novembre|d[ée]cembre"
    r"|avril|ao[ûu]t|octobre) )?|d['’](?:avril|ao[ûu]t|octobre) )"  # « d'août 2017 »
    r"(?P<y6>" + _STD_YEAR + r")(?![\w-]| ?(?:à|au|et|-) ?\d))?"
    + r"(?:" + _AMD.replace("a1", "b1").replace("a2", "b2").replace("a3", "b3") + r")?"
)  # fmt: skip
_STD_CUE_RE = re.compile(
    r"(?i)(?:norme|normes|standard|standards|certifi|conforme|référentiel|ISO/IEC|homologu)"
)
_ETSI_VERSION_RE = re.compile(r" ?V\d{1,2}\.\d{1,2}\.\d{1,2}(?![\w.])")
# Personal protective equipment named right before its European standard: « Lunettes EN 166 »,
# « casque EN 397 », « Gants anti-coupures EN 388 », « harnais EN 361 » (a noun of the equipment,
# up to three words after it): the noun says what « EN » and three digits are.
_PPE_BEFORE_RE = re.compile(
    r"(?i)(?<![\w])(?:gants?|casques?|lunettes|surlunettes|harnais|masques?|chaussures?|bottes?"
    r"|bouchons?|protections? (?:auditives?|oculaires?|respiratoires?)|[ée]crans? faciale?s?"
    r"|visi[èe]res?|longes?|antichutes?|gilets?|v[êe]tements?|combinaisons?|genouill[èe]res?"
    r"|EPI)(?: [\w'’-]+){0,3} $"
)
# (not a count: « … EN 300 exemplaires »)
_COUNT_AFTER_RE = re.compile(
    r" (?:exemplaires|unit[ée]s|pi[èe]ces|euros|€|%|m[èe]tres|kg|personnes|fois|jours|mois|ans"
    r"|heures|minutes)(?![\w])"
)
# « testé selon EN 388 », « classés selon EN 13501 »: a test or a classification done
# « selon » a standard names it (lower case, right before; not a year: « SELON EN 2020 »).
_SELON_RE = re.compile(r"(?<![\w])selon $")
_CAMERA_ISO = frozenset(
    [
        "50",
        "64",
        "80",
        "100",
        "125",
        "160",
        "200",
        "250",
        "320",
        "400",
        "500",
        "640",
        "800",
        "1000",
        "1250",
        "1600",
        "2000",
        "2500",
        "3200",
        "4000",
        "5000",
        "6400",
        "8000",
        "10000",
        "12800",
        "25600",
        "51200",
        "102400",
    ]
)
_STD_STARTS = {
    "PR",
    "NF",
    "XP",
    "FD",
    "AC",
    "BP",
    "GA",
    "EN",
    "ISO",
    "IEC",
    "CEI",
    "CEN",
    "AFNOR",
    "UTE",
    *("SN", "DIN", "BS", "NBN", "UNE", "IATF", "NTA"),
    "DTU",
    "OHSAS",
    "HD",
}
# Other countries' bodies, read only as the adopters of a European or international standard
# (« SN EN 14683:2019 », « DIN EN ISO 9001 »).
_NATIONAL_BODIES = frozenset({"SN", "DIN", "BS", "NBN", "UNE"})
_ISO_BODIES = {"ISO", "IEC", "CEI"}


# (a list item may go on with the standard's title in quotes: « EN 14995 ‘Plastics – …’ »)
_LISTED_END_RE = re.compile(r" ?(?:$|[,;.)\]:/('‘“«\"]|et\b|ou\b|type\b)")
_CAPS_BEFORE_RE = re.compile(r"(?<![\w])[A-ZÉÈÀ]{2,} $")


def _standards(norm: _Norm) -> Iterator[_Cand]:
    """Standards; a bare « EN 14683 » or « ISO 22609 » without a « norme » cue next to it is
    kept when the text cites another standard (« masques EN 149, EN 14683 et ISO 22609 »)."""
    t = norm.text
    found = False
    bare = []
    found_keys: list[str] = []
    for m in _STD_RE.finditer(t):
        cand = _standard(norm, m)
        if cand is not None:
            found = True
            found_keys.append(cand.key)
            yield cand
            yield from _more_parts(norm.text, m, cand)
            yield from _more_numbers(norm, m.end(), cand)
        else:
            bare.append(m)
    if "ASTM" in t:
        for m in _ASTM_RE.finditer(t):
            ref = m.group("ref").lower()
            yield _Cand(m.start(), m.end(), "standard", f"std:astm:{ref}", f"ASTM {m.group('ref')}",
                        _afnor_search(f"ASTM {m.group('ref')}"), "search")  # fmt: skip
    for m in bare:
        # without another standard cited: four digits or more (« lunettes EN 1090 »), or after
        # « l' » (« l'EN 1176 »: the preposition « en » never takes it)
        elided = norm.text[max(0, m.start() - 2) : m.start()] in ("l'", "L'", "l’", "L’")
        cand = _standard(norm, m, listed=True, alone=not (found or elided), elided=elided)
        if cand is not None:
            found_keys.append(cand.key)
            yield cand
    if "orme" in norm.text and ("norme" in norm.text or "Norme" in norm.text):
        yield from _bare_normes(norm, found_keys)
    if any(w in t for w in _LOWER_EN_LITERALS):
        yield from _lower_case_en(t)
    if "ISO-" in t or "EN-" in t or "IEC-" in t:
        yield from _hyphenated(t)
    if "TS 1" in t or "TR 1" in t:
        yield from _etsi_bare(t)
    if "(DTU)" in t:
        for m in _DTU_SPELLED_RE.finditer(t):
            num = m.group("num").replace("-", ".")
            yield _Cand(m.start(), m.end(), "standard", f"std:dtu:{num}", f"DTU {num}",
                        _afnor_search(f"DTU {num}"), "search")  # fmt: skip


# ETSI's technical specifications and reports by their number alone, in an item naming ETSI
# (« Référencée TS 103 848 et développée par le comité technique Cyber de l'Etsi »): « TS » or
# « TR » and six digits written 3 + 3, the first « 1 » (ETSI's numbering of those documents).
_ETSI_BARE_RE = re.compile(
    r"(?<![\w/-])(?:(?P<etsi>ETSI|Etsi) )?(?P<kind>TS|TR) (?P<num>1\d{2} \d{3}(?:-\d{1,2})?)"
    r"(?![\d-]| \d)"
)
_ETSI_NAMED_RE = re.compile(r"(?<![\w])(?:ETSI|Etsi)(?![\w])")


def _etsi_bare(t: str) -> Iterator[_Cand]:
    if _ETSI_NAMED_RE.search(t) is None:
        return
    for m in _ETSI_BARE_RE.finditer(t):
        if m.group("etsi") == "ETSI":
            continue  # read with the designations (_standard)
        kind, num = m.group("kind"), m.group("num").replace(" ", "")
        label = f"ETSI {kind} {m.group('num')}"
        yield _Cand(m.start(), m.end(), "standard", f"std:etsi-{kind.lower()}:{num}", label,
                    _afnor_search(label), "search")  # fmt: skip


# « Le Document Technique Unifié (DTU) 31.2 est … »: the name spelled out, its acronym in
# brackets, then the number.
_DTU_SPELLED_RE = re.compile(
    r"(?i:document technique unifi[ée]) \(DTU\) (?P<num>\d{2}(?:[.-]\d{1,2})?)(?![\w-]|[.,]\d)"
)


# « certifiée ISO-9001 », « conforme à la norme EN-71 »: one body joined to its number by a
# hyphen, right after a « norme » / « certifié » cue (« ISO-8859-1 » alone, a character set, is
# not read).
_HYPHENATED_RE = re.compile(
    r"(?<![\w/.-])(?P<pre>ISO|EN|IEC)-(?P<num>(?P<base>\d{2,5})(?:-\d{1,2})?)"
    r"(?: ?: ?(?P<y>" + _STD_YEAR + r"))?(?![\w-])"
)


def _hyphenated(t: str) -> Iterator[_Cand]:
    for m in _HYPHENATED_RE.finditer(t):
        pre, num, base = m.group("pre"), m.group("num"), m.group("base")
        if _STD_CUE_RE.search(t, max(0, m.start() - 25), m.start()) is None:
            continue
        if _STD_YEAR_RE.fullmatch(base) or (pre != "EN" and len(base) < 3) or base in _CAMERA_ISO:
            continue
        year = f":{m.group('y')}" if m.group("y") else ""
        label = f"{pre} {num}{year}"
        search = _afnor_search if pre == "EN" else _iso_search
        yield _Cand(m.start(), m.end(), "standard", f"std:{pre.lower()}:{num}{year}", label,
                    search(label), "search")  # fmt: skip


# « (AFNOR en71 - 1) », « norme en71 - 2 »: « EN » typed in lower case, glued to its number (the
# preposition « en » never is) right after « norme » or the body's name.
_LOWER_EN_LITERALS = ("orme en", "ormes en", "AFNOR en", "NF en")
_LOWER_EN_RE = re.compile(
    r"(?:(?<=[Nn]orme )|(?<=[Nn]ormes )|(?<=AFNOR )|(?<=NF ))en(?P<num>\d{2,5})"
    r"(?: ?- ?(?P<part>\d{1,2})(?= ?(?:[).,;:\]»”]|$)))?(?![\w-])"
)


def _lower_case_en(t: str) -> Iterator[_Cand]:
    for m in _LOWER_EN_RE.finditer(t):
        ref = m.group("num") + (f"-{m.group('part')}" if m.group("part") else "")
        yield _Cand(m.start(), m.end(), "standard", f"std:en:{ref}", f"EN {ref}",
                    _afnor_search(f"EN {ref}"), "search")  # fmt: skip


# The further parts of one standard: « EN 1021-1 et 2 », « NF EN 1176-1 à 7 » (a range: both
# ends), « EN 71-1, -2 et -3 »; each part ends the list or goes on with it.
_MORE_PARTS_RE = re.compile(
    r"(?:, ?| et | à | ou |/| & )-?(?P<part>\d{1,2})(?= ?(?:$|[,;.)\]:(]|et\b|ou\b|à\b))"
)


def _more_parts(t: str, m: re.Match[str], cand: _Cand) -> Iterator[_Cand]:
    body, ref = cand.key.split(":")[1:3]
    if cand.key.count(":") != 2 or "/" in cand.key or ref.count("-") != 1 or m.group("idx"):
        return  # one part, no edition year, no amendment, not a classification index
    base = ref.split("-")[0]
    end = m.end()
    while (more := _MORE_PARTS_RE.match(t, end)) is not None:
        part = more.group("part")
        label = cand.label.rsplit("-", 1)[0] + f"-{part}"
        yield _Cand(more.start("part"), more.end(), "standard", f"std:{body}:{base}-{part}", label,
                    cand.url.rsplit("-", 1)[0] + f"-{part}", cand.link)  # fmt: skip
        end = more.end()


# The further numbers of one body: « les normes ISO 9001 et 14001 », « certifiée ISO
# 9001/14001/45001 », « ISO 9001, 14001 et 45001:2018 », « les normes NF EN 1176 et 1177 »,
# « EN 1176-1 à 1176-7 » (a range: both ends): four or five digits (not a year), a European
# standard's with its part, each ending the list or going on with it.
_MORE_NUMBERS_RE = re.compile(
    r"(?: ?/ ?|, | et | & | à )(?P<num>\d{4,5}(?P<part>-\d{1,2})?)"
    r"(?: ?: ?(?P<y>" + _STD_YEAR + r"))?"
    r"(?= ?(?:$|[,;.)\]/(]|et\b|ou\b|&|à\b))"
)
_EN_BODIES = ("en", "nf-en", "en-iso", "nf-en-iso", "din-en", "sn-en", "bs-en")


def _more_numbers(norm: _Norm, end: int, cand: _Cand) -> Iterator[_Cand]:
    body, ref = cand.key.split(":")[1:3]
    european = body in _EN_BODIES and re.fullmatch(r"\d{4,5}(?:-\d{1,2})?", ref) is not None
    if not european and (body not in ("iso", "iso-iec") or not re.fullmatch(r"\d{4,5}", ref)):
        return
    while (more := _MORE_NUMBERS_RE.match(norm.text, end)) is not None:
        num, year = more.group("num"), more.group("y")
        if more.group(0).startswith(" à ") and not european:
            return  # a range of ISO numbers is not written so
        if more.group("part") and not european:
            return
        if _STD_YEAR_RE.fullmatch(num) or num in _CAMERA_ISO:
            return
        key = f"std:{body}:{num}" + (f":{year}" if year else "")
        pre = "ISO/IEC" if body == "iso-iec" else body.upper().replace("-", " ")
        label = f"{pre} {num}" + (f":{year}" if year else "")
        iso_id = _data().iso_ids.get(key)
        search = _afnor_search if european else _iso_search
        url, link = (ISO_STANDARD.format(iso_id), "official") if iso_id else (
            search(f"{pre} {num}"), "search")  # fmt: skip
        yield _Cand(more.start("num"), more.end(), "standard", key, label, url, link)
        end = more.end()


# « ASTM D6400 », « ASTM F963-17 » (its edition's two digits are not kept)
_ASTM_RE = re.compile(r"(?<![\w/-])ASTM (?P<ref>[A-G]\d{1,5})(?:-\d{2}[a-z]?)?(?![\w-])")
# « la norme européenne 13432 », « la norme harmonisée européenne 13432 »: a European standard by
# its number; « la norme 13432 » alone only in an item citing a standard of that number.
_NORME_NUMBER_RE = re.compile(
    r"(?<![\w])[Nn]ormes? (?:(?:harmonis[ée]es? )?(?P<eu>europ[ée]ennes?) (?:harmonis[ée]es? )?)?"
    r"(?P<num>\d{3,5}(?:-\d{1,2})?)(?![\w-]|[.,]\d)"
)


def _bare_normes(norm: _Norm, found_keys: list[str]) -> Iterator[_Cand]:
    for m in _NORME_NUMBER_RE.finditer(norm.text):
        num = m.group("num")
        if _STD_YEAR_RE.fullmatch(num):
            continue
        if m.group("eu"):
            key = f"std:en:{num}"
        else:
            same = [k for k in found_keys if k.split(":")[2].split("/")[0] == num]
            if not same or len(num) < 4:
                continue
            key = ":".join(same[0].split(":")[:3]).split("/")[0]
        body, ref = key.split(":")[1:3]
        label = f"{body.upper().replace('-', ' ')} {ref}"
        yield _Cand(m.start(), m.end(), "standard", key, label, _afnor_search(label), "search")


def _standard(
    norm: _Norm, m: re.Match[str], listed: bool = False, alone: bool = False, elided: bool = False
) -> _Cand | None:
    pre, start = m.group("pre"), m.start()
    if " " in pre and "\n" in norm.orig and norm.paragraphs:
        # a blank line inside the designation parts two cells of a table (the Official
        # Journal's lists of harmonised standards: « CEN », then « EN 556-1:2001 »): the
        # designation starts after it
        i = bisect.bisect_right(norm.paragraphs, start)
        if i < len(norm.paragraphs) and norm.paragraphs[i] < start + len(pre):
            cut = norm.paragraphs[i] - start  # (where the next paragraph starts)
            pre, start = pre[cut:], start + cut
    if pre.startswith("AFNOR ") and not pre.startswith("AFNOR SPEC"):
        # « la norme AFNOR NF Z 44-022 »: the body named in prose before the designation
        pre, start = pre[len("AFNOR ") :], start + len("AFNOR ")
    tokens = re.split(r"[ /-]", pre)
    if tokens[:2] == ["EN", "NF"]:  # « norme EN NF 1176-3 »: the French adoption, NF EN
        tokens = ["NF", "EN", *tokens[2:]]
        pre = " ".join(tokens)
    if tokens[0] == "ETSI" and tokens[1:] in (["EN"], ["TS"], ["TR"]) and m.group("num"):
        # ETSI's standards (« ETSI EN 303 645 »: a European standard, keyed as the EN) and its
        # technical specifications and reports (« ETSI TS 103 097 », « ETSI TR 103 621 »): six
        # digits, written 3 + 3, a part after a hyphen
        if not re.fullmatch(r"\d{3} ?\d{3}(?:-\d{1,2})*", m.group("num")):
            return None
        tokens = ["EN"] if tokens[1] == "EN" else ["ETSI", tokens[1]]
        pre = " ".join(tokens)
        if tokens == ["EN"]:
            start = m.start("pre") + len("ETSI ")
    first = tokens[0]
    if (first not in _STD_STARTS and tokens[:1] != ["ETSI"]) or (
        first in ("AFNOR", "ETSI") and tokens[1:2] not in (["SPEC"], ["TS"], ["TR"])
    ):
        return None
    if first == "PR" and tokens[1:2] != ["NF"]:
        return None
    if first in _NATIONAL_BODIES and tokens[1:2] not in (["EN"], ["ISO"], ["OHSAS"]):
        return None
    if first == "HD" and (
        len(tokens) > 1
        or len((m.group("num") or "").split("-")[0]) < 3
        or _STD_CUE_RE.search(norm.text, max(0, m.start() - 40), m.start()) is None
    ):
        return None  # a CENELEC harmonisation document after a « norme » cue (not « HD 1080 »)
    if tokens == ["DTU"] and not re.fullmatch(r"\d{2}(?:[.-]\d{1,2})?", m.group("num") or ""):
        return None  # « DTU 20.1 », « DTU 13.3 » (a building trade's document: two digits)
    year = m.group("y1") or m.group("y2") or m.group("y3") or m.group("y4")
    edition = m.group("y7") or m.group("y6")
    if edition:
        year = edition if int(edition) <= norm.year else None  # not an edition to come
    if m.group("y5"):
        num5 = (m.group("num") or "").replace(" ", "")
        if m.group("idx") or not re.fullmatch(r"\d{4,5}", num5) or int(m.group("y5")) > norm.year:
            return None  # « ISO 9001-2015 »: a four- or five-digit number, no part before
        year = m.group("y5")
    amd = _std_amendment(m)
    num, idx = m.group("num"), m.group("idx")
    if num is not None:
        num = num.replace(" ", "")  # « 13 432 »
    intl = any(
        tok in ("EN", "ISO", "IEC", "CEI", "CEN", "ETSI", "DTU", "SPEC", "OHSAS") for tok in tokens
    )
    if idx:
        if (intl and "DTU" not in tokens) or first in ("ISO", "IEC", "CEI", "EN", "CEN"):
            return None
        ref = f"{idx}{m.group('i1')}-{m.group('i2')}{m.group('i3') or ''}"
    else:
        assert num is not None
        if "EN" in tokens and "DTU" not in tokens:
            num = num.replace(".", "-")  # « EN71.2 »: part 2 of EN 71
        elif "DTU" in tokens and re.fullmatch(r"\d{2}-\d{1,2}", num):
            num = num.replace("-", ".")  # « DTU 20-1 », « DTU 43-1 »: the DTU 20.1, 43.1
        ref = num
        base = num.split("-")[0].split(".")[0]
        part = "-" in num
        if first in ("NF", "XP", "FD", "AC", "BP", "GA", "PR", "UTE") and not intl:
            return None  # « NF 461 » (certification mark), « AC 220 »…: no index, no EN/ISO
        cue = _STD_CUE_RE.search(norm.text, max(0, m.start() - 40), m.start())
        if (
            cue is None
            and tokens == ["EN"]
            and not _STD_YEAR_RE.fullmatch(base)
            and _COUNT_AFTER_RE.match(norm.text, m.end()) is None
        ):
            cue = _PPE_BEFORE_RE.search(norm.text, max(0, m.start() - 60), m.start())
        if listed:
            # the text cites a standard: a bare EN or ISO number (not a year) is one too
            if not (tokens in (["EN"], ["ISO"]) and len(base) >= (4 if alone else 3)) or (
                _STD_YEAR_RE.fullmatch(num)
            ):
                return None
            # an item of a list of standards, not « EN 300 magasins » or « OUVERT EN 300 »
            if not (elided or _LISTED_END_RE.match(norm.text, m.end())) or _CAPS_BEFORE_RE.search(
                norm.text, max(0, m.start() - 30), m.start()
            ):
                return None
        cue_ok = cue is not None or listed
        # « ISO 14 jours », « EN 50 mm »: no; « EN 71-1 », « norme jouet EN71 »: yes
        near_cue = _STD_CUE_RE.search(norm.text, max(0, m.start() - 14), m.start())
        selon = tokens == ["EN"] and _SELON_RE.search(norm.text, max(0, m.start() - 6), m.start())
        # « NF EN 3 » (portable extinguishers), « NF EN 54 », « la norme NF EN 71 »: the French
        # adoption's designation names a European standard by itself, whatever its number's
        # length (a bare « EN 54 » needs a cue: « EN 50 mm »)
        two_digits_ok = (
            ("EN" in tokens and part)
            or (tokens == ["EN"] and (near_cue is not None or selon is not None))
            or tokens == ["NF", "EN"]
        )
        if len(base) < 3 and "DTU" not in tokens and not two_digits_ok:
            return None
        if (
            set(tokens) <= _ISO_BODIES
            and not (year or part or amd)
            and _STD_YEAR_RE.fullmatch(num)
            and num not in _data().iso_known
        ):
            return None  # « © ISO/IEC 2013 »: a copyright year, not a standard
        if tokens == ["ISO"] or tokens == ["IEC"] or tokens == ["CEI"]:
            strong = bool(year or part or amd)
            if not strong and base in _CAMERA_ISO:
                return None
            # four or five digits (not a camera's sensitivity, not a year) are a standard's
            # number (« ISO 42001 », « ISO 3166 »)
            long_number = len(base) in (4, 5) and not _STD_YEAR_RE.fullmatch(base)
            if tokens == ["ISO"] and not (
                strong or base in _data().iso_known or cue_ok or long_number
            ):
                return None
            if tokens != ["ISO"] and not (strong or (len(base) == 5 and base.startswith("6"))):
                return None
        elif tokens == ["NTA"] and not (
            len(base) == 4
            and _STD_CUE_RE.search(norm.text, max(0, m.start() - 40), m.end() + 40) is not None
        ):
            return None  # a Dutch NTA (« NTA 8776 »), four digits and a « norme » cue near it
        elif (
            tokens == ["EN"]
            and not (year or part or amd)
            and not (cue_ok or _STD_CUE_RE.search(norm.text, m.end(), m.end() + 12))
            and not (selon and not _STD_YEAR_RE.fullmatch(num))
            # an ETSI standard's version (« EN 301 549 V3.2.1 ») names it as well as a cue
            and _ETSI_VERSION_RE.match(norm.text, m.end()) is None
        ):
            return None  # a bare « EN 9100 » needs a « norme » cue before it or just after it
    body_tokens = ["IEC" if tok == "CEI" else tok for tok in tokens]
    body = "-".join(tok.lower() for tok in body_tokens)
    key = f"std:{body}:{ref.lower()}"
    if year:
        key += f":{year}"
    if amd:
        key += f"/{amd[0].lower()}"
    pre_label = " ".join(" ".join(body_tokens).split())
    pre_label = re.sub(
        r"(ISO|CEN|ETSI) (IEC|TR|TS|IEEE|PAS|DIS|FDIS|CD|WD)",
        r"\1/\2",
        pre.replace("CEI", "IEC"),
    )
    label = f"{pre_label} {ref}" + (f":{year}" if year else "") + (f"/{amd[1]}" if amd else "")
    iso_id = _data().iso_ids.get(key.split("/")[0])
    if iso_id is not None:
        url, link = ISO_STANDARD.format(iso_id), "official"
    elif first in _ISO_BODIES:
        url, link = _iso_search(f"{pre_label} {ref}"), "search"
    else:
        url, link = _afnor_search(f"{pre_label} {ref}"), "search"
    return _Cand(start, m.end(), "standard", key, label, url, link)


def _std_amendment(m: re.Match[str]) -> tuple[str, str] | None:
    """(key part, label part) of an amendment, e.g. ("amd1:2024", "Amd 1:2024") or ("a1", "A1")."""
    for a, n, y in (("a1", "a2", "a2y"), ("b1", "b2", "b2y"), ("a3", "", ""), ("b3", "", "")):
        if m.group(a):
            year = m.group(a + "y") if a in ("a1", "b1") else None
            if year:
                return f"{m.group(a).lower()}:{year}", f"{m.group(a)}:{year}"
            return m.group(a).lower(), m.group(a)
        if not n:
            continue
        if m.group(n):
            year = m.group(y)
            return (f"amd{m.group(n)}" + (f":{year}" if year else ""),
                    f"Amd {m.group(n)}" + (f":{year}" if year else ""))  # fmt: skip
    return None
