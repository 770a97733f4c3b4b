"""The Watcher search language: parse a user query into a small, pure AST.

One language is shared by the CLI, the web app and saved searches. This module
only parses and validates; :mod:`watcher.find.index` turns the AST into a Whoosh
query. It never reads the clock: relative date windows are resolved by
:meth:`DateWindow.bounds` from a ``now`` the caller passes in.

Syntax
======

Words and phrases
    ``prix carrefour`` — every word must match (implicit AND), in the title or
    the text. ``"hausse des prix"`` (or « hausse des prix ») is a phrase. Words
    are analysed in French: case and accents are folded, words are stemmed
    (``marches`` finds « marchés », ``reglementation`` finds « Réglementation »),
    elisions (``l'``, ``d'``, ``qu'``…), one-letter words and stop words (``le``,
    ``les``, ``de``…) are dropped. A query whose every word is dropped this way
    (``x``, ``le``, ``-la``) is refused (:class:`NoSearchableWord`) rather than run as
    "everything".

Boolean operators
    ``ET`` / ``AND``, ``OU`` / ``OR``, ``SAUF`` / ``NOT``, ``-mot`` (exclusion),
    parentheses. ``AND`` binds tighter than ``OR``:
    ``a OR b c`` means ``a OR (b AND c)``. The French operators are recognised in any
    case (``et``, ``ou``, ``sauf``: « et » and « ou » are stop words anyway), the English
    ones only in capitals (``or`` is a French word, « l'or »).

Field operators (field names are case-insensitive; French aliases in brackets)
    ``axis:`` [``axe:``]  axis id, e.g. ``axis:reglementaire``
    ``source:``           source id or source name, e.g. ``source:cnil``
    ``topic:`` [``theme:``]  PESTEL topic id, e.g. ``topic:economique``
    ``entity:`` [``entite:``]  entity name, e.g. ``entity:"Banque de France"``
    ``ref:``              legal/normative reference: a canonical key
                          (``ref:eu:celex:32016R0679``) or a name as written
                          (``ref:RGPD``, ``ref:"loi 2014-344"``)
    ``title:`` [``titre:``]  words or a phrase in the title only
    ``lang:`` [``langue:``]  language code, e.g. ``lang:fr``
    ``kind:``             ``kind:change`` (a watched page's changes) or ``kind:article``
    ``date:``             a date window (see below)

    Values of ``axis``, ``source``, ``topic``, ``entity``, ``ref``, ``lang`` and ``kind`` are
    matched whole, ignoring case and accents; quote values that contain spaces.
    A colon inside a quoted phrase or in a URL (``https://…``) is not an operator.

Date windows (on the publication date, or the fetch date when it is unknown)
    ``date:24h``, ``date:7d`` (or ``7j``), ``date:2w``: the last N hours/days/weeks
    before ``now``. ``date:2026-11-27`` (one day), ``date:2026-11`` (one month),
    ``date:2026`` (one year), ``date:2026-11-01..2026-11-27`` (both days
    included; either side may be left open: ``date:2026-11-01..``),
    ``date:>2026-11-01`` (after that day), ``date:>=2026-11-01``,
    ``date:<2026-11-01``, ``date:<=2026-11-01``. Calendar days are taken in the
    time zone of ``now``.

Errors
    A malformed query raises :class:`QueryError` whose message is written for
    end users, in French.

Axis equations and keywords
    An axis equation of sources.yml (:func:`parse_equation`) is the boolean subset of
    this language: words, phrases, operators, ``-mot`` and parentheses, no fields (a
    colon is part of a word) and no limits; every term must hold a word, and the
    errors say where (``colonne``). A keyword (:func:`parse_keyword`) is one phrase.
    :mod:`watcher.understand.matching` compiles both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeAlias

from watcher.errors import WatcherError
from watcher.text import name_key, words

__all__ = [
    "DATE_EXAMPLE",
    "FIELDS",
    "KEYWORD_FIELDS",
    "MAX_QUERY_LENGTH",
    "SYNTAX_HELP",
    "And",
    "DateWindow",
    "FieldMatch",
    "Filter",
    "MatchAll",
    "NoSearchableWord",
    "Node",
    "Not",
    "Or",
    "Phrase",
    "QueryError",
    "Term",
    "field_filters",
    "parse_equation",
    "parse_keyword",
    "parse_query",
    "positive_text_nodes",
    "text_nodes",
]

MAX_QUERY_LENGTH = 1000
MAX_CLAUSES = 64

#: Canonical field names.
KEYWORD_FIELDS: tuple[str, ...] = (
    "axis",
    "source",
    "topic",
    "entity",
    "ref",
    "lang",
    "kind",
    "status",  # a group's curation: retained or rejected (by the groups searched)
)
FIELDS: tuple[str, ...] = (*KEYWORD_FIELDS, "title", "date")

_FIELD_ALIASES: dict[str, str] = {
    **{name: name for name in FIELDS},
    "axe": "axis",
    "theme": "topic",
    "entite": "entity",
    "titre": "title",
    "langue": "lang",
    "statut": "status",
}

_URL_SCHEMES = frozenset({"http", "https", "ftp", "ftps", "mailto", "file", "urn", "www"})

_FIELD_EXAMPLES: dict[str, str] = {
    "axis": "axis:reglementaire",
    "source": "source:cnil",
    "topic": "topic:economique",
    "entity": 'entity:"Banque de France"',
    "ref": "ref:RGPD",
    "lang": "lang:fr",
    "kind": "kind:change",
    "status": "statut:retenu",
    "title": 'title:"hausse des prix"',
    "date": "date:7d",
}

DATE_EXAMPLE = "date:2026-11-01..2026-11-27 ou date:7d"

# One rule for operator words, in the search box and in axis equations alike: the French
# ones in any case, the English ones only in capitals ("or" is also a French word).
_ENGLISH_OPERATORS: dict[str, str] = {"AND": "AND", "OR": "OR", "NOT": "NOT"}
_FRENCH_OPERATORS: dict[str, str] = {"et": "AND", "ou": "OR", "sauf": "NOT"}


def _operator(word: str) -> str | None:
    """AND, OR or NOT if ``word`` is an operator word, else None."""
    return _ENGLISH_OPERATORS.get(word) or _FRENCH_OPERATORS.get(word.lower())


_QUOTES: dict[str, str] = {'"': '"', "«": "»", "“": "”"}


class QueryError(WatcherError, ValueError):
    """A malformed query; the message is meant for end users (in French). ``column`` is
    where the problem is (1-based), when it is one place."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.column = column

    label = "Recherche invalide"


class NoSearchableWord(QueryError):
    """Every word of the query is one the index ignores (one letter, stop word)."""

    def __init__(self, words: list[str]) -> None:
        shown = " ".join(words)
        super().__init__(
            f"« {shown} » ne contient aucun mot cherchable : les mots d'une seule lettre et les "
            "mots très courants (le, la, les, de, des, et, ou…) sont ignorés. Cherchez un mot "
            'plus précis ou une "expression exacte", ou filtrez avec axis:, source:, '
            "entity:, ref:, date:…"
        )
        self.hint = SYNTAX_HELP


SYNTAX_HELP = """Syntaxe de recherche (tout le détail : docs/search.md) :
  prix carrefour            les deux mots, dans le titre ou le texte
  "hausse des prix"         l'expression exacte
  prix OU tarif             l'un ou l'autre (aussi : ou, OR)
  -mot, SAUF mot            sans ce mot (aussi : sauf, NOT)
  ( … )                     regroupe : (prix OU tarif) -promotion
  axis:reglementaire  source:cnil  topic:economique  entity:"Banque de France"
  ref:RGPD  title:inflation  lang:fr
  date:7d  date:2026-11  date:2026-11-01..2026-11-27  date:>2026-11-01"""


# --------------------------------------------------------------------------- AST


@dataclass(frozen=True)
class Term:
    """A single word to look up in the title and text (``field=None``) or title only."""

    text: str
    field: str | None = None
    start: int = 0  # span of the word in the query string (for suggestions)
    end: int = 0


@dataclass(frozen=True)
class Phrase:
    """A quoted phrase, in the title and text (``field=None``) or title only."""

    text: str
    field: str | None = None


@dataclass(frozen=True)
class FieldMatch:
    """An exact (folded) match on a keyword field: axis, source, topic, entity, ref, lang."""

    field: str
    value: str


@dataclass(frozen=True)
class DateWindow:
    """A date window. Calendar bounds are dates; ``start`` inclusive, ``end`` exclusive."""

    spec: str
    relative: timedelta | None = None
    start: date | None = None
    end: date | None = None

    def bounds(self, now: datetime) -> tuple[datetime | None, datetime | None]:
        """The window as aware datetimes ``[start, end)``; ``None`` means open."""
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("now must be timezone-aware")
        if self.relative is not None:
            return now - self.relative, None

        def midnight(d: date | None) -> datetime | None:
            if d is None:
                return None
            return datetime.combine(d, time(0), tzinfo=now.tzinfo)

        return midnight(self.start), midnight(self.end)


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class MatchAll:
    """The empty query: every document."""


Node: TypeAlias = Term | Phrase | FieldMatch | DateWindow | And | Or | Not | MatchAll


def positive_text_nodes(node: Node) -> list[Term | Phrase]:
    """Terms and phrases that are not under a negation (used for highlighting/scoring)."""
    out: list[Term | Phrase] = []

    def walk(n: Node) -> None:
        if isinstance(n, Term | Phrase):
            out.append(n)
        elif isinstance(n, And | Or):
            for child in n.children:
                walk(child)

    walk(node)
    return out


def text_nodes(node: Node) -> list[Term | Phrase]:
    """Every term and phrase of the query, negated ones included."""
    if isinstance(node, Term | Phrase):
        return [node]
    if isinstance(node, And | Or):
        return [t for child in node.children for t in text_nodes(child)]
    if isinstance(node, Not):
        return text_nodes(node.child)
    return []


# ----------------------------------------------------------------------- lexing


@dataclass(frozen=True)
class _Tok:
    kind: str  # WORD PHRASE FIELD LPAREN RPAREN OP NEG
    text: str  # word text, phrase text, field value, operator name
    start: int
    end: int
    field: str | None = None
    quoted: bool = False


def _excerpt(query: str, start: int, end: int | None = None, width: int = 40) -> str:
    piece = query[start:end] if end is not None else query[start:]
    piece = piece.strip()
    if len(piece) > width:
        piece = piece[: width - 1] + "…"
    return piece


def _read_quoted(query: str, pos: int) -> tuple[str, int]:
    """Read a quoted string starting at ``pos`` (the opening quote); return (text, end)."""
    opening = query[pos]
    closing = _QUOTES[opening]
    closers = {closing, '"'} if opening != '"' else {'"'}
    i = pos + 1
    while i < len(query) and query[i] not in closers:
        i += 1
    if i >= len(query):
        raise QueryError(f"Guillemet non fermé dans « {_excerpt(query, pos)} »", pos + 1)
    return query[pos + 1 : i], i + 1


def _is_word_char(c: str) -> bool:
    return not (c.isspace() or c in "()" or c in _QUOTES)


def _tokenize(query: str, *, fields: bool = True) -> list[_Tok]:
    """The tokens of ``query``; with ``fields`` off, ``name:value`` is a plain word."""
    toks: list[_Tok] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
            continue
        if c == "(":
            toks.append(_Tok("LPAREN", c, i, i + 1))
            i += 1
            continue
        if c == ")":
            toks.append(_Tok("RPAREN", c, i, i + 1))
            i += 1
            continue
        if c in _QUOTES:
            text, end = _read_quoted(query, i)
            toks.append(_Tok("PHRASE", text, i, end))
            i = end
            continue
        if c == "-" and i + 1 < n and (query[i + 1] in "(" or query[i + 1] in _QUOTES):
            toks.append(_Tok("NEG", c, i, i + 1))
            i += 1
            continue
        # a word: up to whitespace, a parenthesis or a quote
        j = i
        while j < n and _is_word_char(query[j]):
            j += 1
        word = query[i:j]
        if word.startswith("-") and len(word) > 1:
            toks.append(_Tok("NEG", "-", i, i + 1))
            i += 1
            word = word[1:]
        operator = _operator(word)
        if operator is not None:
            toks.append(_Tok("OP", operator, i, j))
            i = j
            continue
        if not fields:
            toks.append(_Tok("WORD", word, i, j))
            i = j
            continue
        field_tok, j = _field_token(query, word, i, j)
        toks.append(field_tok)
        i = j
    return toks


# A code article written with a space after its letter (« L. 221-18 », « R 221-18 », « LO 136-1 »,
# « L.O. 136-1 », « R.* 366-5 ») is one term, as « L221-18 » is: its letter is part of it
# (watcher.find.index's analyser keeps it), not a one-letter word of its own, dropped.
_ARTICLE_LETTER = re.compile(r"(?i:L\.O|LO|[LRDA])(?:\.?\*)?\.?")
_ARTICLE_NUMBER = re.compile(r"\d+(?:-\d+)+")


def _join_articles(query: str, toks: list[_Tok]) -> list[_Tok]:
    """``toks`` with each code article's letter and number, two words apart, as one word (or
    one ``title:`` value: `title:L. 221-18`)."""
    out: list[_Tok] = []
    for tok in toks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and tok.kind == "WORD"
            and (prev.kind == "WORD" or (prev.field == "title" and not prev.quoted))
            and _ARTICLE_LETTER.fullmatch(prev.text)
            and _ARTICLE_NUMBER.fullmatch(tok.text)
        ):
            text = query[prev.end - len(prev.text) : tok.end]
            out[-1] = _Tok(prev.kind, text, prev.start, tok.end, field=prev.field)
            continue
        out.append(tok)
    return out


def _field_token(query: str, word: str, start: int, end: int) -> tuple[_Tok, int]:
    """Classify ``word`` (query[start:end]) as a plain word or a ``field:value`` token."""
    prefix, colon, rest = word.partition(":")
    if not colon or not prefix:
        return _Tok("WORD", word, start, end), end
    name = _FIELD_ALIASES.get(name_key(prefix))
    if name is None:
        folded = name_key(prefix)
        looks_like_field = re.fullmatch(r"[a-z_]+", folded) is not None
        if not looks_like_field or folded in _URL_SCHEMES or rest.startswith("/") or not rest:
            return _Tok("WORD", word, start, end), end
        known = ", ".join(f"{f}:" for f in sorted(FIELDS))
        raise QueryError(
            f"Champ inconnu « {prefix}: » dans « {_excerpt(query, start, end)} » "
            f"— champs connus : {known}"
        )
    if rest:
        return _Tok("FIELD", rest, start, end, field=name), end
    # empty value after the colon: maybe a quoted value follows directly
    if end < len(query) and query[end] in _QUOTES:
        value, qend = _read_quoted(query, end)
        if not value.strip():
            raise _empty_value(prefix, name)
        return _Tok("FIELD", value, start, qend, field=name, quoted=True), qend
    raise _empty_value(prefix, name)


def _empty_value(prefix: str, name: str) -> QueryError:
    return QueryError(f"Valeur manquante après « {prefix}: » — exemple : {_FIELD_EXAMPLES[name]}")


# ---------------------------------------------------------------------- parsing


class _Parser:
    """Recursive descent: or := and (OR and)* ; and := unary ((AND)? unary)* ;
    unary := (NOT | -) unary | primary ; primary := ( or ) | word | phrase | field.

    ``equation``: the boolean subset of an axis equation (no field tokens reach it), no
    clause limit, and every word or phrase must hold a word."""

    def __init__(self, query: str, toks: list[_Tok], *, equation: bool = False) -> None:
        self.query = query
        self.toks = toks
        self.pos = 0
        self.clauses = 0
        self.equation = equation

    def peek(self) -> _Tok | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> Node:
        if not self.toks:
            return MatchAll()
        node = self.parse_or()
        tok = self.peek()
        if tok is not None:  # only a stray closing parenthesis can stop parse_or
            raise self._stray_close(tok)
        return node

    def _stray_close(self, tok: _Tok) -> QueryError:
        return QueryError(
            "Parenthèse fermante sans parenthèse ouvrante dans "
            f"« {_excerpt(self.query, 0, tok.end)} »",
            tok.start + 1,
        )

    def _written(self, tok: _Tok) -> str:
        return self.query[tok.start : tok.end]

    def parse_or(self) -> Node:
        first = self.peek()
        if first is not None and first.kind == "OP" and first.text == "OR":
            raise QueryError(f"Terme manquant avant « {self._written(first)} »", first.start + 1)
        children = [self.parse_and()]
        while (tok := self.peek()) is not None and tok.kind == "OP" and tok.text == "OR":
            self.take()
            self._expect_operand(tok)
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self) -> Node:
        children = [self.parse_unary()]
        while (tok := self.peek()) is not None and tok.kind != "RPAREN":
            if tok.kind == "OP" and tok.text == "OR":
                break
            if tok.kind == "OP" and tok.text == "AND":
                self.take()
                self._expect_operand(tok)
            children.append(self.parse_unary())
        return children[0] if len(children) == 1 else And(tuple(children))

    def _expect_operand(self, op: _Tok) -> None:
        nxt = self.peek()
        written = self._written(op)
        if nxt is None or nxt.kind == "RPAREN":
            raise QueryError(f"Terme manquant après « {written} »", op.start + 1)
        if nxt.kind == "OP" and nxt.text in ("AND", "OR"):
            raise QueryError(
                f"Deux opérateurs de suite : « {written} {self._written(nxt)} »", op.start + 1
            )

    def parse_unary(self) -> Node:
        tok = self.peek()
        if tok is None:  # pragma: no cover - guarded by callers
            raise QueryError("Requête incomplète")
        if tok.kind in ("NEG",) or (tok.kind == "OP" and tok.text == "NOT"):
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind == "RPAREN" or (nxt.kind == "OP" and nxt.text != "NOT"):
                raise QueryError(f"Terme manquant après « {self._written(tok)} »", tok.start + 1)
            return Not(self.parse_unary())
        if tok.kind == "OP":
            raise QueryError(f"Terme manquant avant « {self._written(tok)} »", tok.start + 1)
        return self.parse_primary()

    def parse_primary(self) -> Node:
        tok = self.take()
        self.clauses += 1
        if self.clauses > MAX_CLAUSES and not self.equation:
            raise QueryError(f"Requête trop complexe (plus de {MAX_CLAUSES} termes)")
        if tok.kind == "LPAREN":
            nxt = self.peek()
            if nxt is None:
                raise self._unclosed(tok)
            if nxt.kind == "RPAREN":
                raise QueryError(
                    f"Parenthèses vides dans « {_excerpt(self.query, tok.start, nxt.end)} »",
                    tok.start + 1,
                )
            node = self.parse_or()
            close = self.peek()
            if close is None or close.kind != "RPAREN":
                raise self._unclosed(tok)
            self.take()
            return node
        if tok.kind == "RPAREN":
            raise self._stray_close(tok)
        if self.equation and not words(tok.text):
            written = self._written(tok)
            if written in ("»", "”"):
                raise QueryError(
                    f"Guillemet fermant « {written} » sans guillemet ouvrant", tok.start + 1
                )
            raise QueryError(f"Le terme « {written} » ne contient aucun mot", tok.start + 1)
        if tok.kind == "PHRASE":
            return Phrase(" ".join(tok.text.split()))
        if tok.kind == "FIELD":
            return _field_node(tok, self.query)
        word = tok.text.lstrip("+")
        return Term(word, None, tok.start + (len(tok.text) - len(word)), tok.end)

    def _unclosed(self, tok: _Tok) -> QueryError:
        return QueryError(
            f"Parenthèse non fermée dans « {_excerpt(self.query, tok.start)} »", tok.start + 1
        )


def _field_node(tok: _Tok, query: str) -> Node:
    assert tok.field is not None
    value = " ".join(tok.text.split())
    if tok.field == "title":
        if tok.quoted:
            return Phrase(value, "title")
        return Term(value, "title", tok.end - len(tok.text), tok.end)
    if tok.field == "date":
        return parse_date_window(value)
    return FieldMatch(tok.field, value)


# ------------------------------------------------------------------------ dates

_REL_RE = re.compile(r"(\d{1,5})\s*([hdjw])", re.IGNORECASE)
_CAL_RE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_REL_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "j": timedelta(days=1),
              "w": timedelta(weeks=1)}  # fmt: skip


def _bad_date(spec: str) -> QueryError:
    return QueryError(f"Date invalide dans date:{spec} — exemple : {DATE_EXAMPLE}")


def _calendar_span(text: str, spec: str) -> tuple[date, date]:
    """'2026' / '2026-11' / '2026-11-27' → (first day, day after the last day)."""
    m = _CAL_RE.fullmatch(text)
    if m is None:
        raise _bad_date(spec)
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if month is None:
            return date(year, 1, 1), date(year + 1, 1, 1)
        if day is None:
            first = date(year, int(month), 1)
            nxt = date(year + 1, 1, 1) if first.month == 12 else date(year, first.month + 1, 1)
            return first, nxt
        d = date(year, int(month), int(day))
        return d, d + timedelta(days=1)
    except (ValueError, OverflowError):
        raise _bad_date(spec) from None


def parse_date_window(spec: str) -> DateWindow:
    """Parse the value of a ``date:`` operator (without the ``date:`` prefix)."""
    s = spec.strip()
    m = _REL_RE.fullmatch(s)
    if m is not None:
        amount = int(m.group(1))
        if amount < 1:
            raise _bad_date(spec)
        return DateWindow(spec, relative=amount * _REL_UNITS[m.group(2).lower()])
    for op in (">=", "<=", ">", "<"):
        if s.startswith(op):
            first, after = _calendar_span(s[len(op) :].strip(), spec)
            if op == ">=":
                return DateWindow(spec, start=first)
            if op == ">":
                return DateWindow(spec, start=after)
            if op == "<=":
                return DateWindow(spec, end=after)
            return DateWindow(spec, end=first)
    if ".." in s:
        left, _, right = s.partition("..")
        left, right = left.strip(), right.strip()
        if not left and not right:
            raise _bad_date(spec)
        start = _calendar_span(left, spec)[0] if left else None
        end = _calendar_span(right, spec)[1] if right else None
        if start is not None and end is not None and start >= end:
            raise QueryError(
                f"Période vide dans date:{spec} : la première date est après la seconde "
                f"— exemple : {DATE_EXAMPLE}"
            )
        return DateWindow(spec, start=start, end=end)
    first, after = _calendar_span(s, spec)
    return DateWindow(spec, start=first, end=after)


# ------------------------------------------------------------------------- entry


def parse_query(query: str) -> Node:
    """Parse a user query into an AST; raise :class:`QueryError` when it is malformed."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(f"Requête trop longue (plus de {MAX_QUERY_LENGTH} caractères)")
    toks = _join_articles(query, _tokenize(query))
    return _Parser(query, toks).parse()


@dataclass(frozen=True)
class Filter:
    """A ``field:value`` of a query as written: ``text`` is ``query[start:end]``, its exclusion
    (« - », ``SAUF``, ``NOT``) included."""

    field: str  # the canonical name (`AXE:` is axis)
    value: str
    negated: bool  # excluded, by itself or with its parentheses
    start: int
    end: int
    text: str

    @property
    def term(self) -> str:
        """The filter in canonical form: ``-axis:"x"`` for ``SAUF AXE:x``."""
        return f'{"-" if self.negated else ""}{self.field}:"{self.value}"'


def field_filters(query: str) -> list[Filter]:
    """The ``field:value`` filters of a query that can each be removed from it, leaving a query
    that parses (in a group excluded whole, ``SAUF (axis:x OU axis:y)``, they cannot); none
    when the query does not parse."""
    try:
        parse_query(query)
        toks = _tokenize(query)
    except QueryError:
        return []
    found: list[Filter] = []
    negated_groups: list[bool] = []  # for each open parenthesis: is its group excluded?
    prev: _Tok | None = None
    for tok in toks:
        excluding = prev is not None and (
            (prev.kind == "NEG" and prev.end == tok.start) or prev.text == "NOT"
        )
        outer = bool(negated_groups and negated_groups[-1])
        if tok.kind == "LPAREN":
            negated_groups.append(outer != excluding)
        elif tok.kind == "RPAREN" and negated_groups:
            negated_groups.pop()
        elif tok.kind == "FIELD" and tok.field is not None:
            start = prev.start if excluding and prev is not None else tok.start
            rest = f"{query[:start]} {query[tok.end :]}"
            try:
                valid = not rest.strip() or parse_query(rest) is not None
            except QueryError:
                valid = False
            if valid:
                found.append(Filter(tok.field, tok.text, outer != excluding, start, tok.end,
                                    query[start : tok.end]))  # fmt: skip
        prev = tok
    return found


def parse_equation(equation: str) -> Node:
    """Parse an axis equation of sources.yml: the boolean subset of the language (words,
    phrases, ET/OU/SAUF, AND/OR/NOT, ``-mot``, parentheses; no fields). :class:`QueryError`
    « Équation de recherche invalide « … » : … (colonne N). » when it is malformed."""
    try:
        node = _Parser(equation, _tokenize(equation, fields=False), equation=True).parse()
    except QueryError as exc:
        where = f" (colonne {exc.column})" if exc.column is not None else ""
        text = str(exc)
        raise _bad_equation(equation, text[:1].lower() + text[1:] + where) from None
    if isinstance(node, MatchAll):
        raise _bad_equation(equation, "l'équation est vide")
    return node  # words, phrases, And, Or, Not: no token is a field


def _bad_equation(equation: str, problem: str) -> QueryError:
    return QueryError(f"Équation de recherche invalide « {equation} » : {problem}.")


def parse_keyword(keyword: str) -> Phrase:
    """An axis or topic keyword: one phrase, its words in sequence (a one-word phrase is a
    word). :class:`QueryError` if it holds no word."""
    if not words(keyword):
        raise QueryError(f"Mot-clé invalide « {keyword} » : il ne contient aucun mot.")
    return Phrase(keyword)
