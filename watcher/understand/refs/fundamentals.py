"""The Constitution and the texts of the bloc de constitutionnalité, EU treaties, conventions."""

from __future__ import annotations

import re
from collections.abc import Iterator

from watcher.understand.refs.candidates import _Cand
from watcher.understand.refs.links import _legifrance_search
from watcher.understand.refs.normalise import _Norm
from watcher.understand.refs.pinpoints import _PIN_BEFORE_RE
from watcher.understand.refs.table import _data

# --- Constitution and the texts of the bloc de constitutionnalité -------------------------
# « la Constitution », « Constitution du 4 octobre 1958 », « article 61-1 de la Constitution »;
# not « la Constitution du Royaume de Norvège », « Constitution d'une société », « Constitution
# européenne ». The Déclaration de 1789, the Préambule de 1946, the Charte de l'environnement and
# the EU treaties are common names of the data table (kind "fundamental").
_CONSTITUTION_RE = re.compile(
    r"(?<![\w-])(?:(?P<cap>Constitution)|constitution)(?![\w-])"
    r"(?P<tail> du 4 octobre 1958| de 1958| de la Ve R[ée]publique)?"
    # a title in capitals: « CONSTITUTION DU 4 OCTOBRE 1958 »
    r"|(?<![\w-])CONSTITUTION(?P<captail> DU 4 OCTOBRE 1958| DE 1958)(?![\w-])"
)
_CONSTITUTION_BEFORE_RE = re.compile(r"(?:\b[Ll]a|\b[Dd]e la|\bà la|\b[Vv]u la|\bnotre|\bsa) $")
# not another country's (« la Constitution des États-Unis », « de 1791 », « fédérale »); « la
# Constitution des articles … » (lower case after « des ») is ours
_CONSTITUTION_NOT_AFTER_RE = re.compile(
    r" (?:d'|de |des (?=[A-ZÉ])|du |européenne|fédérale"
    r"|[a-zé]+(?:aise|ienne|aine|ande|ole|oise|ine)\b)"
)
# « Si l'article 61-1 de la Constitution institue cette procédure, l'article 62 en détaille les
# effets »: a further bare article in the same sentence, no other text named in between.
_ARTICLE_AGAIN_RE = re.compile(
    r"(?<![\w])l['’]article (?P<n>[1-9]\d?(?:-\d{1,2})?)(?![\w-])"
    r"(?! ?(?:du|de|des|d['’]|dudit|pr[ée]cit[ée]|ci-dessus|susvis[ée])\b)"
)
_OTHER_TEXT_RE = re.compile(
    r"(?i)\b(?:lois?|codes?|d[ée]crets?|ordonnances?|arr[êe]t[ée]s?|r[èe]glements?|directives?"
    r"|trait[ée]s?|chartes?|conventions?|d[ée]clarations?|pr[ée]ambule)\b"
)
# « la Charte », « du Préambule », « la Déclaration » after the text was named in full in the
# item (« l'article 47 de la Charte » after « la Charte des droits fondamentaux »): the one named
# last before.
_FUNDAMENTAL_AGAIN_RE = re.compile(
    r"(?<![\w-])(?:[Ll]a |[Dd]u |[Ll]e |[Aa]u )(?P<word>Charte|Préambule|Déclaration)"
    r"(?! d)(?![\w-])"
    r"(?! (?:sociale|européenne|universelle|olympique|[ée]thique|graphique)\b)"  # another one
)
_FUNDAMENTAL_NAMED = {
    "Charte": (("fr:charte-environnement", re.compile(r"(?i)charte de l'environnement")),
               ("eu:charte", re.compile(r"(?i)charte des droits fondamentaux"))),
    "Préambule": (("fr:preambule-1946", re.compile(
        r"(?i)pr[ée]ambule de (?:la constitution (?:du 27 octobre |de )?)?1946")),),
    "Déclaration": (("fr:ddhc", re.compile(
        r"(?i)d[ée]claration des droits de l['’ ]?homme(?: et du citoyen)?"
        r"|d[ée]claration (?:des droits )?de 1789"
        r"|\bDDHC\b")),),
}  # fmt: skip


def _fundamentals_again(t: str) -> Iterator[_Cand]:
    named: dict[str, list[tuple[int, str]]] = {}
    for m in _FUNDAMENTAL_AGAIN_RE.finditer(t):
        word = m.group("word")
        if word not in named:
            named[word] = sorted(
                (n.end(), key) for key, pattern in _FUNDAMENTAL_NAMED[word]
                for n in pattern.finditer(t)
            )  # fmt: skip
        before = [key for end, key in named[word] if end <= m.start()]
        if before:
            act = _data().acts[before[-1]]
            yield _Cand(m.start("word"), m.end(), "fundamental", act.key, act.label,
                        _legifrance_search(act.label), "search")  # fmt: skip


_CONSTITUTION_LABEL = "Constitution du 4 octobre 1958"


# « l'article 49.3 », « le 49-3 », « recours au 49.3 »: the Constitution's article 49, paragraph 3
# (the government's responsibility on a bill), as the press names it without the Constitution.
_ARTICLE_49_3_RE = re.compile(
    r"(?<![\w.])(?:(?:[Aa]rticle|[Aa]rt\.) |(?<=[Ll]e )|(?<=au )|(?<=du ))49[.-]3(?![\w-]|[.,]\d)"
    r"(?! ?(?:du|de|des|d')\b)"
)


# Abbreviations of the fundamental texts as legal writers cite them (Ref-Lex « Const., art. 34 »,
# « art. 6 § 1 CEDH », « art. 6 TUE »): the ambiguous ones (« CEDH » is also the Court, « TUE »
# a word in capitals) only with an article right before or after them.
_FUNDAMENTAL_ABBREV_RE = re.compile(
    r"(?<![\w.])(?<!Cons\. )"
    r"(?P<abbr>Const\.|TUE|CEDH|DUDH|CESDH|Conv\. ?EDH|Convention EDH)(?![\w])"
)
_FUNDAMENTAL_ABBREVS = {"Const.": "fr:constitution", "TUE": "eu:tue", "CEDH": "int:cedh",
                        "DUDH": "int:dudh", "CESDH": "int:cedh", "Conv.EDH": "int:cedh",
                        "Conv. EDH": "int:cedh", "Convention EDH": "int:cedh"}  # fmt: skip
# (Ref-Lex writes the Constitution's date between: « Const. 4 oct. 1958, art. 61-1 »)
_ART_AFTER_RE = re.compile(
    r"(?:,? \d{1,2} [a-zéû]+\.? \d{4})?,? (?:[Aa]rt\.|[Aa]rticles?) \d"
)  # fmt: skip


def _fundamental_abbrevs(t: str) -> Iterator[_Cand]:
    for m in _FUNDAMENTAL_ABBREV_RE.finditer(t):
        abbr = m.group("abbr")
        pinned = _PIN_BEFORE_RE.search(t, max(0, m.start() - 80), m.start()) or _ART_AFTER_RE.match(
            t, m.end()
        )
        if not pinned and abbr in ("Const.", "TUE", "CEDH", "DUDH"):
            continue
        key = _FUNDAMENTAL_ABBREVS[abbr]
        label = _CONSTITUTION_LABEL if key == "fr:constitution" else _data().acts[key].label
        yield _Cand(m.start(), m.end(), "fundamental", key, label, _legifrance_search(label),
                    "search")  # fmt: skip


def _fundamentals(norm: _Norm) -> Iterator[_Cand]:
    t = norm.text
    if "DH" in t or "TUE" in t or "Const." in t:  # « CEDH », « CESDH », « DUDH », « Conv. EDH »
        yield from _fundamental_abbrevs(t)
    if "49" in t and ("49.3" in t or "49-3" in t):
        for m in _ARTICLE_49_3_RE.finditer(t):
            yield _Cand(
                m.start(), m.end(), "fundamental", "fr:constitution", _CONSTITUTION_LABEL,
                _legifrance_search(_CONSTITUTION_LABEL), "search", pinpoint="art-49",
            )  # fmt: skip
    if "onstitution" in t or "ONSTITUTION" in t:
        last_article = t.rfind("article")  # « article » said after m: where it is said last
        for m in _CONSTITUTION_RE.finditer(t):
            before = t[max(0, m.start() - 8) : m.start()]
            if not (m.group("tail") or m.group("captail")):
                # « la Constitution », « de la Constitution », or « Constitution, art. 49 »
                then_art = m.group("cap") and _ART_AFTER_RE.match(t, m.end())
                if not (_CONSTITUTION_BEFORE_RE.search(before) or then_art):
                    continue
                if _CONSTITUTION_NOT_AFTER_RE.match(t, m.end()) and (
                    m.end() + 1 not in norm.paragraphs  # « … de la Constitution » ends a heading
                ):
                    continue
                if not m.group("cap") and not _PIN_BEFORE_RE.search(t, max(0, m.start() - 60),
                                                                     m.start()):  # fmt: skip
                    continue  # « la constitution » in lower case: only « article N de la … »
            yield _Cand(
                m.start(), m.end(), "fundamental", "fr:constitution", _CONSTITUTION_LABEL,
                _legifrance_search(_CONSTITUTION_LABEL), "search",
            )  # fmt: skip
            if last_article >= m.end() and _PIN_BEFORE_RE.search(
                t, max(0, m.start() - 60), m.start()
            ):
                yield from _constitution_articles_again(t, m.end())
    if "Charte" in t or "Préambule" in t or "Déclaration" in t:
        yield from _fundamentals_again(t)


# The articles cited again after « de la Constitution » are in its sentence, looked at up to this
# many characters (a text with no full stop must not be read to its end after each mention).
_SENTENCE_CHARS = 1000


def _constitution_articles_again(t: str, pos: int) -> Iterator[_Cand]:
    stop = min(len(t), pos + _SENTENCE_CHARS)
    end = min(e for e in (t.find(". ", pos, stop), t.find("\n", pos, stop), stop) if e >= 0)
    for m in _ARTICLE_AGAIN_RE.finditer(t, pos, end):
        if _OTHER_TEXT_RE.search(t, pos, m.start()) or int(m.group("n").split("-")[0]) > 89:
            return
        yield _Cand(
            m.start() + 2, m.end(), "fundamental", "fr:constitution", _CONSTITUTION_LABEL,
            _legifrance_search(_CONSTITUTION_LABEL), "search", pinpoint=f"art-{m.group('n')}",
        )  # fmt: skip
        pos = m.end()
