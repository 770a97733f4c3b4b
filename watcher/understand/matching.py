"""Keyword and search-equation matching for axes and topics (pure, no I/O).

Matching is accent-, case- and inflection-insensitive: every word goes through the French
Snowball stemmer and accent folding, so "démarchage" matches "Démarchages" and
"DEMARCHAGE", and "prix" matches "Prix".

A document is analysed once (:func:`analyse`), then tested against any number of compiled
matchers (:func:`compile_matcher`), which only do set and dict look-ups.

Each document word gets up to four keys: its **form** (``=`` + the folded word without its
inflection: plural ``s``/``x``, ``-aux`` -> ``-al``, feminine ``-ée``/``-ale``), the same
form marked as **capitalised** (``^``) when the word starts with a capital, and its two
**stems**: ``fold(stem(word))`` (the stemmer sees the accents, which gives the better stems on
well-accented text) and ``stem(fold(word))`` (what an accent-less spelling stems to).

A keyword word matches by form (inflections and case aside; a keyword written with accents
matches the same accents or none: "élèves" finds "ELEVES" but not "élevées"; one written
without accents matches any), and also by stem only
when the stem is long and close to the word (at least 6 letters, at most 2 letters cut):
"sanction" finds "sanctionne", "démarchage" finds "démarchages", but "parler" does not find
"Parlement", "arrêt" not "arrêté", "taxi" not "taxe", "renouvellement" not "renouvelable"
(whose stems cut a derivation, not an inflection). A one-word keyword written with a capital
("CNIL", "Parlement", "IA", "Insee") is a proper name or an acronym: it only matches a word
written with a capital ("Cnil", "CNIL"), never the common word ("ia", "parlement" in
"parlementaire" aside, which has another form anyway). So "donnees" (typed without accents)
still finds "données" and the reverse.

Keywords: a keyword is a word or a phrase; a phrase ("service client", "pouvoir d'achat")
matches its words in sequence, each word as above (in a phrase, capitals do not matter).

Search equations::

    "service client" AND (réclamation OR litige) SAUF publicité
    démarchage ET (téléphonique OU "appels non sollicités")
    NOT banque

* ``AND`` / ``ET`` (or nothing: two terms side by side are ANDed), ``OR`` / ``OU``,
  ``NOT`` / ``SAUF``: unary (``NOT x``) or binary (``x SAUF y`` = ``x AND NOT y``);
  precedence NOT > AND > OR; parentheses group.
* The French operators are recognised in any case (``et``, ``ou``, ``sauf``); the English
  ones only in capitals (``AND``, ``OR``, ``NOT``), since "or" is also a French word.
* ``"..."`` (or « ... ») is a phrase; a hyphenated or elided term (``e-commerce``,
  ``l'inflation``) is the phrase of its words.

A bad equation raises :class:`ValueError` with a French message that names the problem and
where it is, for the configuration validator to report.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import TypeVar

import snowballstemmer

V = TypeVar("V")

__all__ = [
    "Analysed",
    "BoundedCache",
    "Matcher",
    "MatcherSet",
    "analyse",
    "compile_equation",
    "compile_matcher",
    "fold",
    "form_key",
    "matches",
    "word_keys",
]

# Elided articles and pronouns ("l'entreprise", "d’achat", "qu'il", "jusqu'au"): dropped,
# so that "pouvoir d'achat" and "pouvoir d’achat" give the same words.
_ELISION = re.compile(r"\b(?:jusqu|lorsqu|puisqu|quoiqu|qu|[ldjmnstc])['’ʼ]", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")

_STEMMER = snowballstemmer.stemmer("french")


class _CombiningMarks(dict[int, int | None]):
    """str.translate table dropping combining marks: code point -> None (a mark) or itself,
    filled in on first sight of each code point."""

    def __missing__(self, code: int) -> int | None:
        value = None if unicodedata.combining(chr(code)) else code
        self[code] = value
        return value


_DROP_MARKS = _CombiningMarks()


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents ("Élysée" -> "elysee", "Œuvre" -> "oeuvre")."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    if text.isascii():
        return text
    return unicodedata.normalize("NFKD", text).translate(_DROP_MARKS)


class BoundedCache(dict[str, V]):
    """``cache[key]`` is ``compute(key)``, computed on first sight and kept; emptied when it
    holds ``limit`` keys. A dict, so ``map(cache.__getitem__, keys)`` looks up in C."""

    def __init__(self, compute: Callable[[str], V], limit: int) -> None:
        super().__init__()
        self._compute = compute
        self._limit = limit

    def __missing__(self, key: str) -> V:
        if len(self) >= self._limit:
            self.clear()
        value = self[key] = self._compute(key)
        return value


def word_keys(word: str) -> tuple[str, ...]:
    """Matching keys of one document word: its stems (``fold(stem(w))`` and, if different,
    ``stem(fold(w))``), its form key and, if it starts with a capital, its capitalised key."""
    return _KEY_CACHE[word]


FORM = "="  # key prefix: the word without its inflection, folded (no accents)
ACCENTED = "~"  # key prefix: the same, accents kept (a keyword written with accents)
CAPITAL = "^"  # key prefix: the folded form, for a word starting with a capital
MIN_STEM = 6  # a keyword word matches by stem only if its stem is this long …
MAX_CUT = 2  # … and the stemmer cut at most this many letters off the (folded) word


def _uninflected(lower: str) -> str:
    """``lower`` without its nominal inflection: plural, "-aux", feminine "-ée" and "-ale"."""
    if len(lower) > 3:
        if lower.endswith("eaux") or lower.endswith("oux"):
            lower = lower[:-1]
        elif lower.endswith("aux"):
            lower = lower[:-3] + "al"
        elif lower[-1] == "s" and lower[-2] != "s":
            lower = lower[:-1]
    if lower.endswith(("ée", "ee")) or (len(lower) > 4 and lower.endswith("ale")):
        lower = lower[:-1]
    return lower


def form_key(word: str) -> str:
    """The form key of a word: "Sanctions", "sanction" and "SANCTION" -> "=sanction"."""
    return FORM + _uninflected(fold(word))


def _accented_key(lower: str) -> str:
    """The form key with accents kept: "élevées" -> "~élevé", "élèves" -> "~élève"."""
    return ACCENTED + _uninflected(unicodedata.normalize("NFC", lower))


def _stem_keys(lower: str) -> tuple[str, ...]:
    first = fold(_STEMMER.stemWord(lower))
    folded = fold(lower)
    if folded == lower:
        return (first,)
    second = _STEMMER.stemWord(folded)
    return (first,) if second == first else (first, second)


def _word_keys(word: str) -> tuple[str, ...]:
    lower = word.lower()
    form = form_key(lower)
    keys = (*_stem_keys(lower), form, _accented_key(lower))
    return (*keys, CAPITAL + form[1:]) if word[:1].isupper() else keys


def keyword_word_keys(word: str, *, alone: bool) -> frozenset[str]:
    """The keys a keyword word matches: its form (with its accents, if it is written with
    some: "élèves" finds "Élèves" and "ELEVES", not "élevées"), its stems when they are
    safe, or only capitalised words for a one-word keyword written with a capital."""
    lower = word.lower()
    form = form_key(lower)
    if alone and word[:1].isupper():
        return frozenset({CAPITAL + form[1:]})
    folded = fold(lower)
    forms = {form} if folded == lower else {_accented_key(lower), ACCENTED + form[1:]}
    stems = _stem_keys(lower)
    if len(stems[0]) >= MIN_STEM and len(folded) - len(stems[0]) <= MAX_CUT:
        return frozenset({*forms, *stems})
    return frozenset(forms)


def _words(text: str) -> list[str]:
    return _WORD.findall(_ELISION.sub(" ", text))


_KEY_CACHE = BoundedCache(_word_keys, 200_000)
# Whitespace-separated token -> the matching keys of each of its words.
_TOKEN_WORDS = BoundedCache(lambda token: tuple(map(word_keys, _words(token))), 100_000)


class Analysed:
    """A document prepared for matching: each word's keys, how many words have each key
    (``counts``), and where they are (``positions``, worked out on first use: only phrases
    need it)."""

    __slots__ = ("_positions", "counts", "keys")

    def __init__(self, keys: Sequence[tuple[str, ...]]) -> None:
        self.keys = keys  # per word, in order
        self.counts: Mapping[str, int] = Counter(chain.from_iterable(keys))
        self._positions: dict[str, list[int]] | None = None

    def __contains__(self, key: object) -> bool:
        return key in self.counts

    @property
    def positions(self) -> Mapping[str, Sequence[int]]:
        if self._positions is None:
            positions: dict[str, list[int]] = {}
            for i, keys in enumerate(self.keys):
                for key in keys:
                    bucket = positions.get(key)
                    if bucket is None:
                        positions[key] = [i]
                    else:
                        bucket.append(i)
            self._positions = positions
        return self._positions


def analyse(text: str) -> Analysed:
    """Tokenise, stem and fold ``text`` once; the result is reused by every matcher.

    Each whitespace-separated token is cut into words once per process (cached): the same
    words as cutting the whole text, as neither a word nor an elision spans a space."""
    return Analysed(list(chain.from_iterable(map(_TOKEN_WORDS.__getitem__, text.split()))))


# --------------------------------------------------------------------------- terms

Alternatives = frozenset[str]


def _term_keys(text: str) -> tuple[Alternatives, ...]:
    words = _words(text)
    alone = len(words) == 1
    return tuple(keyword_word_keys(w, alone=alone) for w in words)


def _has_word(doc: Analysed, alts: Alternatives) -> bool:
    return any(a in doc.counts for a in alts)


def _has_phrase(doc: Analysed, phrase: tuple[Alternatives, ...]) -> bool:
    counts = doc.counts
    for alts in phrase:  # cheap rejection: most phrases miss a word
        for a in alts:
            if a in counts:
                break
        else:
            return False
    pos = doc.positions
    starts: set[int] = set()
    for a in phrase[0]:
        starts.update(pos.get(a, ()))
    if not starts:
        return False
    for offset, alts in enumerate(phrase[1:], start=1):
        here: set[int] = set()
        for a in alts:
            here.update(p - offset for p in pos.get(a, ()))
        starts &= here
        if not starts:
            return False
    return True


def _has(doc: Analysed, phrase: tuple[Alternatives, ...]) -> bool:
    if len(phrase) == 1:
        return _has_word(doc, phrase[0])
    return _has_phrase(doc, phrase)


# --------------------------------------------------------------------------- equations


@dataclass(frozen=True, slots=True)
class _Term:
    words: tuple[Alternatives, ...]

    def test(self, doc: Analysed) -> bool:
        return _has(doc, self.words)


@dataclass(frozen=True, slots=True)
class _Not:
    child: _Node

    def test(self, doc: Analysed) -> bool:
        return not self.child.test(doc)


@dataclass(frozen=True, slots=True)
class _And:
    children: tuple[_Node, ...]

    def test(self, doc: Analysed) -> bool:
        return all(c.test(doc) for c in self.children)


@dataclass(frozen=True, slots=True)
class _Or:
    children: tuple[_Node, ...]

    def test(self, doc: Analysed) -> bool:
        return any(c.test(doc) for c in self.children)


_Node = _Term | _Not | _And | _Or

_OPERATORS_ANY_CASE = {"et": "AND", "ou": "OR", "sauf": "NOT"}
_OPERATORS_UPPER = {"AND": "AND", "OR": "OR", "NOT": "NOT"}
_QUOTES = {'"': '"', "«": "»", "“": "”"}
_TOKEN = re.compile(r'\s*(?:(?P<open>\()|(?P<close>\))|(?P<quote>["«“])|(?P<word>[^\s()"«»“”]+))')


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # "(" | ")" | "AND" | "OR" | "NOT" | "TERM"
    text: str
    pos: int  # 1-based column, for messages


def _error(equation: str, message: str) -> ValueError:
    return ValueError(f"Équation de recherche invalide « {equation} » : {message}")


def _tokenise(equation: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    i = 0
    n = len(equation)
    while i < n:
        if equation[i].isspace():
            i += 1
            continue
        m = _TOKEN.match(equation, i)
        if m is None:  # a lone closing quote such as » or ”
            raise _error(
                equation, f"guillemet fermant « {equation[i]} » inattendu (colonne {i + 1})."
            )
        col = m.start(m.lastgroup or 0) + 1
        if m.group("open"):
            tokens.append(_Tok("(", "(", col))
            i = m.end()
        elif m.group("close"):
            tokens.append(_Tok(")", ")", col))
            i = m.end()
        elif m.group("quote"):
            closing = _QUOTES[m.group("quote")]
            end = equation.find(closing, m.end())
            if end < 0:
                raise _error(equation, f"guillemet ouvert en colonne {col} jamais refermé.")
            tokens.append(_Tok("TERM", equation[m.end() : end], col))
            i = end + 1
        else:
            word = m.group("word")
            op = _OPERATORS_UPPER.get(word) or _OPERATORS_ANY_CASE.get(word.lower())
            tokens.append(_Tok(op, word, col) if op else _Tok("TERM", word, col))
            i = m.end()
    return tokens


class _Parser:
    """Recursive descent: or := and (OR and)* ; and := unary ((AND|NOT|ε) unary)* ;
    unary := NOT unary | atom ; atom := ( or ) | TERM."""

    def __init__(self, equation: str) -> None:
        self.equation = equation
        self.tokens = _tokenise(equation)
        self.i = 0

    def _peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _missing_operand(self, after: _Tok) -> ValueError:
        return _error(
            self.equation,
            f"il manque un terme après « {after.text} » (colonne {after.pos}).",
        )

    def parse(self) -> _Node:
        if not self.tokens:
            raise _error(self.equation, "l'équation est vide.")
        node = self._or()
        tok = self._peek()
        if tok is not None:  # only a stray ")" can stop the descent early
            raise _error(
                self.equation,
                f"parenthèse fermante sans parenthèse ouvrante (colonne {tok.pos}).",
            )
        return node

    def _or(self) -> _Node:
        children = [self._and()]
        while (tok := self._peek()) is not None and tok.kind == "OR":
            self.i += 1
            if self._peek() is None or self._peek_kind() in {")", "OR", "AND"}:
                raise self._missing_operand(tok)
            children.append(self._and())
        return children[0] if len(children) == 1 else _Or(tuple(children))

    def _peek_kind(self) -> str | None:
        tok = self._peek()
        return tok.kind if tok else None

    def _and(self) -> _Node:
        children = [self._unary()]
        while (tok := self._peek()) is not None and tok.kind in {"AND", "NOT", "TERM", "("}:
            if tok.kind == "AND":
                self.i += 1
                if self._peek() is None or self._peek_kind() in {")", "OR", "AND"}:
                    raise self._missing_operand(tok)
                children.append(self._unary())
            else:  # "x NOT y" / "x SAUF y" is "x AND NOT y"; "x y" is "x AND y"
                children.append(self._unary())
        return children[0] if len(children) == 1 else _And(tuple(children))

    def _unary(self) -> _Node:
        tok = self._peek()
        if tok is None:  # pragma: no cover - callers check first
            raise _error(self.equation, "terme attendu en fin d'équation.")
        if tok.kind == "NOT":
            self.i += 1
            if self._peek() is None or self._peek_kind() in {")", "OR", "AND"}:
                raise self._missing_operand(tok)
            return _Not(self._unary())
        return self._atom()

    def _atom(self) -> _Node:
        tok = self._peek()
        assert tok is not None
        if tok.kind == "(":
            self.i += 1
            if self._peek_kind() == ")":
                raise _error(self.equation, f"parenthèses vides (colonne {tok.pos}).")
            if self._peek() is None:
                raise _error(
                    self.equation, f"parenthèse ouverte en colonne {tok.pos} jamais refermée."
                )
            node = self._or()
            if self._peek_kind() != ")":
                raise _error(
                    self.equation, f"parenthèse ouverte en colonne {tok.pos} jamais refermée."
                )
            self.i += 1
            return node
        if tok.kind == "TERM":
            self.i += 1
            words = _term_keys(tok.text)
            if not words:
                raise _error(
                    self.equation,
                    f"le terme « {tok.text} » (colonne {tok.pos}) ne contient aucun mot.",
                )
            return _Term(words)
        if tok.kind == ")":
            raise _error(
                self.equation,
                f"parenthèse fermante inattendue (colonne {tok.pos}) : un terme était attendu.",
            )
        raise _error(
            self.equation,
            f"opérateur « {tok.text} » (colonne {tok.pos}) sans terme avant lui.",
        )


def compile_equation(equation: str) -> _Node:
    """Parse one search equation; ValueError with a French message if it is malformed."""
    return _Parser(equation).parse()


# --------------------------------------------------------------------------- matcher


@dataclass(frozen=True)
class Matcher:
    """Keywords and equations compiled once; a document matches if any of them does."""

    keywords: tuple[str, ...] = ()
    equations: tuple[str, ...] = ()
    _words: tuple[tuple[str, Alternatives], ...] = field(default=(), repr=False)
    _phrases: tuple[tuple[str, tuple[Alternatives, ...]], ...] = field(default=(), repr=False)
    _trees: tuple[tuple[str, _Node], ...] = field(default=(), repr=False)

    def matches(self, doc: Analysed) -> bool:
        counts = doc.counts
        for _, alts in self._words:
            for a in alts:
                if a in counts:
                    return True
        for _, phrase in self._phrases:
            if _has_phrase(doc, phrase):
                return True
        return any(tree.test(doc) for _, tree in self._trees)

    def hits(self, doc: Analysed) -> tuple[str, ...]:
        """The keywords and equations (as written) that match ``doc``, for explanations."""
        out = [kw for kw, alts in self._words if _has_word(doc, alts)]
        out += [kw for kw, phrase in self._phrases if _has_phrase(doc, phrase)]
        out += [eq for eq, tree in self._trees if tree.test(doc)]
        return tuple(out)

    def __bool__(self) -> bool:
        return bool(self._words or self._phrases or self._trees)


def compile_matcher(keywords: Iterable[str], equations: Iterable[str] = ()) -> Matcher:
    """Compile keywords and search equations; ValueError (French message) on a bad one."""
    kws = tuple(keywords)
    eqs = tuple(equations)
    words: list[tuple[str, Alternatives]] = []
    phrases: list[tuple[str, tuple[Alternatives, ...]]] = []
    for kw in kws:
        keys = _term_keys(kw)
        if not keys:
            raise ValueError(f"Mot-clé invalide « {kw} » : il ne contient aucun mot.")
        if len(keys) == 1:
            words.append((kw, keys[0]))
        else:
            phrases.append((kw, keys))
    trees = tuple((eq, compile_equation(eq)) for eq in eqs)
    return Matcher(kws, eqs, tuple(words), tuple(phrases), trees)


def matches(m: Matcher, doc: Analysed | str) -> bool:
    """True if ``doc`` (analysed, or raw text analysed on the fly) matches ``m``."""
    return m.matches(analyse(doc) if isinstance(doc, str) else doc)


class MatcherSet:
    """Many named matchers tested at once through an inverted index of their keywords.

    A document's distinct words are looked up once each, so the cost grows with the document,
    not with the number of keywords; equations are then evaluated for the matchers not yet
    matched. ``matching`` returns the names of the matching matchers in the given order.
    """

    def __init__(self, named: Sequence[tuple[str, Matcher]]) -> None:
        self.names: tuple[str, ...] = tuple(name for name, _ in named)
        words: dict[str, set[int]] = {}
        phrases: dict[str, list[tuple[int, tuple[Alternatives, ...]]]] = {}
        trees: list[tuple[int, _Node]] = []
        for idx, (_, m) in enumerate(named):
            for _, alts in m._words:
                for a in alts:
                    words.setdefault(a, set()).add(idx)
            for _, phrase in m._phrases:
                for a in phrase[0]:
                    phrases.setdefault(a, []).append((idx, phrase))
            trees.extend((idx, tree) for _, tree in m._trees)
        self._words = words
        self._phrases = phrases
        self._trees = tuple(trees)

    def matching(self, doc: Analysed) -> tuple[str, ...]:
        hit: set[int] = set()
        words, phrases = self._words, self._phrases
        for key in doc.counts:
            found = words.get(key)
            if found is not None:
                hit |= found
            candidates = phrases.get(key)
            if candidates is not None:
                for idx, phrase in candidates:
                    if idx not in hit and _has_phrase(doc, phrase):
                        hit.add(idx)
        for idx, tree in self._trees:
            if idx not in hit and tree.test(doc):
                hit.add(idx)
        names = self.names
        return tuple(names[i] for i in sorted(hit))
