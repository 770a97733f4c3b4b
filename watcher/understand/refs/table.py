"""The data table of codes and common names (``watcher/data/refs_aliases.yml``), loaded once."""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from watcher.text import name_key

# --------------------------------------------------------------------------------------------
# Data table
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Code:
    slug: str
    name: str
    legitext: str | None


@dataclass(frozen=True)
class _Act:
    key: str
    label: str
    text_names: tuple[str, ...]
    query_names: tuple[str, ...]
    kind: str  # "fr_text" | "eu_act" | "fundamental"


@dataclass(frozen=True)
class _DatedEuAct:
    """An EU act as cited by its type and signature date (round 32), with its subject's words."""

    key: str
    label: str
    subjects: tuple[str, ...]  # folded: one must be in the item


@dataclass(frozen=True)
class _Data:
    codes: dict[str, _Code]  # slug -> code
    code_by_name: dict[str, str]  # folded name or abbreviation -> slug
    code_name_re: re.Pattern[str]  # full names (case-insensitive)
    code_slip_re: re.Pattern[str]  # full names with a writer's slip (round 29), tried after
    code_abbrev_re: re.Pattern[str]  # abbreviations (case-sensitive)
    acts: dict[str, _Act]  # key -> act
    act_by_name: dict[str, str]  # folded name -> key (text and query names)
    act_name_re: re.Pattern[str] | None
    act_start_re: re.Pattern[str] | None  # where a name of act_name_re may start (see there)
    iso_ids: dict[str, int]
    iso_known: frozenset[str]
    # (CELEX type letter, signature date) -> the acts of that type signed that day (round 32)
    eu_by_date: dict[tuple[str, datetime.date], tuple[_DatedEuAct, ...]]


# Lower case, no accents, collapsed spaces, straight apostrophes (for table look-ups).
_fold = functools.lru_cache(maxsize=4096)(name_key)


def _accent_tolerant(name: str) -> str:
    """Regex for a literal name where accented letters may be written without accent (and an
    apostrophe lost in extraction, « de l environnement », as a space)."""
    out = []
    for ch in name:
        base = _fold(ch) if ch.strip() else ch
        if ch == " ":
            out.append(" ")
        elif ch in "'’":
            out.append("[' ]")
        elif base != ch.lower() and len(base) == 1:
            out.append(f"[{re.escape(ch)}{re.escape(ch.upper())}{base}{base.upper()}]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


@functools.cache
def _aliases_text() -> str:
    return resources.files("watcher").joinpath("data/refs_aliases.yml").read_text(encoding="utf-8")


@functools.cache
def data_digest() -> str:
    """A digest of the shipped tables of codes and acts (``data/refs_aliases.yml``) and of the
    lois dites (``data/refs_lois_dites.yml``, round 24): part of an enrichment's signature, so
    that items found with a former table are flagged."""
    lois_dites = resources.files("watcher").joinpath("data/refs_lois_dites.yml")
    return hashlib.sha256((_aliases_text() + lois_dites.read_text("utf-8")).encode()).hexdigest()


# Another country's code (« le Code civil du Québec », « le code du travail suisse », « Code civil
# belge »): not a French code, neither alone nor with its articles.
_FOREIGN_CODE = (
    r",? (?:du Qu[ée]bec|qu[ée]b[ée]cois|du Canada|canadien|de Belgique|belge|suisse"
    r"|helv[ée]tique|allemand|du Luxembourg|luxembourgeois|marocain|du Maroc|alg[ée]rien"
    r"|tunisien|s[ée]n[ée]galais"
    r"|ivoirien|camerounais|congolais|malien|burkinab[èe]|b[ée]ninois|gabonais|guin[ée]en|malgache"
    r"|libanais|italien|espagnol|portugais|japonais|n[ée]erlandais|autrichien|mon[ée]gasque"
    r"|de Monaco|OHADA"
    # round 29: a territory's own code of the same name (« Code des postes et télécommunications
    # de Polynésie française », the territory's code, not the former French one)
    r"|de (?:la )?Polyn[ée]sie fran[çc]aise)(?![\w])"
)


# Round 29: the slips writers make in a code's name, each one alone: an article or a preposition
# lost (« code la consommation », « Code de Propriété Intellectuelle »), « de » for « des »
# (« code général de impôts »), a word's plural or feminine ending lost (« code général des
# collectivité territoriales », « code de la sécurité intérieur »). A slipped form never names
# another code (checked where the table is read).
_SLIPPED_ENDING_RE = re.compile(r"(?:(?<=[^s])s|(?<=[ua][rl]|iv)e|(?<=é)e|(?<=ièr)e)$")


def _slips(name: str) -> tuple[str, ...]:
    out = []
    if " de la " in name:
        out += [name.replace(" de la ", " la ", 1), name.replace(" de la ", " de ", 1)]
    if " des " in name:
        out.append(name.replace(" des ", " de ", 1))
    words = name.split(" ")
    for i, w in enumerate(words[1:], start=1):
        short = _SLIPPED_ENDING_RE.sub("", w)
        if short != w and len(short) >= 5:
            out.append(" ".join([*words[:i], short, *words[i + 1 :]]))
    return tuple(out)


@functools.cache
def _data() -> _Data:
    raw: dict[str, Any] = yaml.safe_load(_aliases_text())
    codes: dict[str, _Code] = {}
    by_name: dict[str, str] = {}
    names: list[str] = []
    slips: list[str] = []  # round 29: in a pattern of their own, tried where no name matches
    de_lost: set[str] = set()
    abbrevs: list[str] = []
    real = {_fold(n).replace("'", " ") for c in raw["codes"] for n in c["names"]}
    for c in raw["codes"]:
        codes[c["slug"]] = _Code(c["slug"], c["name"], c.get("legitext"))
        for n in c["names"]:
            # « code l'éducation », « Code l'énergie »: the « de » lost, as writers slip
            slipped: tuple[str, ...] = (n.replace(" de l'", " l'", 1),) if " de l'" in n else ()
            # « du Code commerce »: « de » lost before a noun without article (not followed by
            # a word: « le code commerce électronique », see name_re)
            if re.match(r"code de (?!la |l'|l’)\w", n):
                slipped = (n.replace("code de ", "code ", 1),)
                de_lost.update(slipped)
            for form in (n, *slipped):
                by_name[_fold(form).replace("'", " ")] = c["slug"]
                names.append(form)
            for form in _slips(n):
                if _fold(form).replace("'", " ") not in real:
                    by_name[_fold(form).replace("'", " ")] = c["slug"]
                    slips.append(form)
        for a in c["abbrevs"]:
            # an acronym is also written with dots (« CCH »: « C.C.H. »)
            for form in (a, ".".join(a) + ".") if re.fullmatch("[A-Z]{3,6}", a) else (a,):
                by_name[_fold(form).replace("'", " ")] = c["slug"]
                abbrevs.append(form)
    names.sort(key=len, reverse=True)
    abbrevs.sort(key=len, reverse=True)
    # « code des douanes de l'Union » (« communautaire ») is an EU regulation (see acts), not
    # the French code des douanes.
    name_re = re.compile(
        r"(?:"
        + "|".join(_accent_tolerant(n) + (r"(?! \w\w)" if n in de_lost else "") for n in names)
        + r")(?![\w'])"
        r"(?! de l['’ ]Union| communautaire)(?!" + _FOREIGN_CODE + r")",
        re.IGNORECASE,
    )
    slips.sort(key=len, reverse=True)
    slip_re = re.compile(
        r"(?:" + "|".join(_accent_tolerant(n) for n in slips) + r")(?![\w'])"
        r"(?! de l['’ ]Union| communautaire)(?!" + _FOREIGN_CODE + r")",
        re.IGNORECASE,
    )
    # the final dot may be missing (« art. 1240 C. civ », « C. trav »)
    abbrev_alts = [
        re.escape(a).replace(r"\ ", r" ?") + ("?" if a.endswith(".") and " " in a else "")
        for a in abbrevs
    ]
    # Every abbreviation starts with « C » (or « L », « N »: « LPF », « NCPC »): a cheap
    # look-ahead rules out the other positions.
    lead = "(?=[" + "".join(sorted({a[0] for a in abbrevs})) + "c])"
    # The publishers' abbreviations in lower case (« c. trav. art. L. 1222-9 », « c. séc. soc.
    # art. R. 331-5 », « c. mon. et fin. art. L. 112-2 », as HR and payroll publishers write
    # them): one branch, so that a « c » elsewhere costs one failed literal.
    lower_alts = [alt[len(r"C\. ?") :] for alt in abbrev_alts if alt.startswith(r"C\. ?")]
    lower = r"|(?<![\w.])c\. ?(?:" + "|".join(lower_alts) + ")" if lower_alts else ""
    # a footnote call may be glued to an acronym (« l'article L. 210-1 du CJF1, »)
    # (not inside a longer capitalised acronym: the « CCP » of « HACCP », round 28)
    abbrev_re = re.compile(
        lead
        + r"(?<![A-Z])(?:"
        + "|".join(abbrev_alts)
        + lower
        + r")(?:(?!\w)|(?<=[A-Z]{3})(?=\d(?!\w)))"
    )

    acts: dict[str, _Act] = {}
    act_by_name: dict[str, str] = {}
    text_names: list[str] = []
    for a in raw["acts"]:
        kind = a.get("kind") or ("eu_act" if a["key"].startswith("eu:celex:") else "fr_text")
        act = _Act(a["key"], a["label"], tuple(a["text"]), tuple(a["query"]), kind)
        acts[act.key] = act
        for n in (*act.text_names, *act.query_names):
            act_by_name[_fold(n)] = act.key
        text_names.extend(act.text_names)
    text_names.sort(key=len, reverse=True)
    alts = []
    first_words: dict[str, None] = {}  # ordered set
    first_chars: set[str] = set()  # every character a name may start with, in either case
    for n in text_names:
        first = n.split(" ")[0]
        ch = n[0]
        first_chars.update({ch, ch.lower(), ch.upper(), _fold(ch), _fold(ch).upper()})
        if n.isupper() or (not n.islower() and " " not in n):
            # acronyms and CamelCase: exact case
            alts.append(re.escape(n))
            first_words[re.escape(first)] = None
        elif _fold(first) in ("loi", "directive", "reglement") and " " in n:
            # « loi Bichet », « loi « Bichet » », « loi "Bichet" », « directive « autorisation » »
            # « loi Informatique & Libertés »
            rest = _accent_tolerant(n.split(" ", 1)[1]).replace(" et ", " (?:et|&) ")
            # « la loi française Informatique et Libertés »
            # « la directive européenne INSPIRE », « le règlement européen DORA »
            french = {"loi": "(?:fran[çc]aise )?", "directive": "(?:europ[ée]enne )?",
                      "reglement": "(?:europ[ée]en )?"}[_fold(first)]  # fmt: skip
            # « la loi dite Hamon », « la directive dite « Omnibus » », « le règlement dit DORA »
            # not a shorter name followed by a rank the table does not hold (« la loi Hadopi 2 »
            # is another loi than « la loi Hadopi »): nothing rather than the wrong text
            alts.append(
                f'(?i:{_accent_tolerant(first)} {french}(?:dite? )?(?:[«"“] ?)?{rest}(?: ?[»"”])?)'
                r"(?! (?:2|3|II|III|IV)(?:\.0)?(?!\w|[.,]\d))"
            )
            first_words["(?i:" + _accent_tolerant(first) + ")"] = None
        else:
            alts.append("(?i:" + _accent_tolerant(n) + ")")
            first_words["(?i:" + _accent_tolerant(first) + ")"] = None
    act_re = start_re = None
    if alts:
        # A name may be followed by a footnote number glued to it (« libertés555 »), not by a
        # further digit of its own number (« NIS 2 » is not in « NIS 23 »).
        act_re = re.compile(r"(?<![\w/-])(?:" + "|".join(alts) + r")(?![^\W\d_]|-)(?!(?<=\d)\d)")
        # Each name's pattern begins with the pattern of its first word (both are built
        # character by character, with the same flags), so a name can only start where
        # one of the few distinct first words does: this finds those places far faster
        # than trying the whole alternation of names at every position.
        # A class of the first characters is tested first: most word starts fail there.
        lead = "[" + "".join(re.escape(c) for c in sorted(first_chars)) + "]"
        start_re = re.compile(r"(?<![\w/-])(?=" + lead + r")(?=" + "|".join(first_words) + ")")
    return _Data(
        codes=codes,
        code_by_name=by_name,
        code_name_re=name_re,
        code_slip_re=slip_re,
        code_abbrev_re=abbrev_re,
        acts=acts,
        act_by_name=act_by_name,
        act_name_re=act_re,
        act_start_re=start_re,
        iso_ids={str(k): int(v) for k, v in raw["iso_ids"].items()},
        iso_known=frozenset(str(x) for x in raw["iso_known"]),
        eu_by_date=_eu_by_date(raw.get("eu_act_dates") or []),
    )


def _eu_by_date(
    rows: list[dict[str, Any]],
) -> dict[tuple[str, datetime.date], tuple[_DatedEuAct, ...]]:
    out: dict[tuple[str, datetime.date], tuple[_DatedEuAct, ...]] = {}
    for r in rows:
        letter = r["key"].removeprefix("eu:celex:")[5]
        act = _DatedEuAct(r["key"], r["label"], tuple(_fold(w) for w in r["subject"]))
        out[(letter, r["date"])] = (*out.get((letter, r["date"]), ()), act)
    return out
