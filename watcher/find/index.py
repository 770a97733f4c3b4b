"""Full-text index of the watch items (Whoosh); with its helpers ``query_exec``,
``index_columns`` and ``index_codec``, the only modules that import whoosh.

The index is *derived* data: the store is the source of truth, and the caller
re-indexes whatever :meth:`SearchIndex.indexed_ids` says is missing or stale.
Whoosh may lose its last commit on a crash; that heals on the next reconcile.

Design (see docs/search.md):

* French analysis: ``RegexTokenizer | LowercaseFilter | StopFilter(fr + "les", …, each
  also folded) | fold (watcher.text) | _FoldedEndingsFilter | StemFilter(fr)`` on ``title``
  and ``text``: accents are folded *before* stemming, so that a word typed without its
  accents is the same input to the stemmer (« securite », « sécurité »), at index and at
  query time; « -ée(s) » and « -ière(s) », which the stemmer reads only accented, are
  given to it as « -é(s) » and « -ier(s) » would be.
  Keyword-like fields (axis, source, topic, entity, ref, groups, lang, kind) are
  indexed as pre-folded exact terms and are never default search fields.
* ``title_pair`` / ``text_pair`` index each two adjacent words as one term, so that a
  two-word phrase is one term lookup rather than a position check per document (this
  doubles the indexing time; phrase search at 100k items needs it).
* Segments are written by ``watcher.find.index_codec.FlatCodec`` (W3 with posting blocks as
  flat arrays rather than pickles), which numpy decodes without touching the positions.
* Matching and scoring run on whole posting lists with numpy (``watcher.find.query_exec``:
  Whoosh's documents and BM25F scores, checked against Whoosh in the tests); a query
  shape it does not handle runs through Whoosh's matchers.
* Dates, clusters and facets come from per-document columns (``f_*``, ``date``,
  ``cluster``) read once per segment into numpy arrays (``watcher.find.index_columns``);
  collapsing clusters, sorting by date and counting facets over every match are then
  array operations.
* One long-lived searcher, brought up to date before each search (our own
  refresh: whoosh3 3.54.0's ``Searcher.refresh()`` resurrects deleted documents
  and merged segments); a lock serialises searches because Whoosh searchers are
  not thread-safe. Readers take no index lock, so searching goes on while a
  writer (this process or another) commits.
* Group scoping and top-level date windows are applied as docnum masks (group
  masks cached per index generation; dates read from a cached column), not as
  query clauses; nested date windows compile to ``NumericRange``.
* Exclusions (``a -b``) use a fixed ``AndNotMatcher``: whoosh3 3.54.0's lets the
  first document of ``a`` through when ``b`` starts on an earlier document.
* Writers: ``ix.writer(timeout=60, delay=0.25)``, batches committed with no
  merge of existing segments (only tiny segments are merged once there are many);
  :meth:`SearchIndex.rebuild` (``watcher reindex``) writes everything in one commit;
  :meth:`SearchIndex.optimize` merges everything (maintenance).
* Snippets are highlighted from a zlib-compressed copy of the summary and the
  head of the text (``SNIPPET_SOURCE_CHARS``), stored per document and only
  loaded for the hits of the requested page. Titles and snippets are cut into words as the
  analyser would cut them, each distinct word analysed once per searcher's analyser
  (:class:`_Reader`), not through Whoosh's chain of generators and a ``Token`` per word.
* « Did you mean » is whoosh3's corrector on the ``spell`` field, its words looked up in
  sorted lists in memory (each segment's read the second time a suggestion needs it, up to
  SPELL_WORDS in all) rather than by a binary search of disk reads per step of the
  Levenshtein automaton (:class:`_SpellCorrector`).
"""

from __future__ import annotations

import gc
import html
import logging
import math
import os
import re
import shutil
import threading
import warnings
import zlib
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import collectors, highlight, index
from whoosh import query as wq
from whoosh.analysis import (
    Analyzer,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
)
from whoosh.codec.base import Automata
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.lang import stopwords_for_language
from whoosh.matching import AndNotMatcher
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher
from whoosh.spelling import ReaderCorrector
from whoosh.support.levenshtein import distance
from whoosh.util import random_name

from watcher.errors import WatcherError
from watcher.find.index_codec import FlatCodec, as_flat
from watcher.find.index_columns import CACHE_SUFFIX, Columns, SegmentColumns, length_column
from watcher.find.index_writer import PAIRS, SPELL, WORDS, Analysis, BulkWriter, filtered
from watcher.find.query_exec import Evaluator, Unsupported
from watcher.labels import status_key
from watcher.processes import die_with
from watcher.query import (
    And,
    DateWindow,
    FieldMatch,
    MatchAll,
    Node,
    NoSearchableWord,
    Not,
    Or,
    Phrase,
    QueryError,
    Term,
    parse_query,
    positive_text_nodes,
    text_nodes,
)
from watcher.text import ELIDED, fold, name_key
from watcher.workspace import remove_leftovers

__all__ = [
    "FACET_FIELDS",
    "Hit",
    "IndexBusyError",
    "IndexDoc",
    "Names",
    "QueryError",
    "SearchIndex",
    "SearchResults",
]

log = logging.getLogger(__name__)

# per field (`axis`, `topic`), each key's label, or its several names: what a query may write
# instead of the key (`SearchIndex.search`)
Names = Mapping[str, Mapping[str, str | tuple[str, ...]]]

SCHEMA_VERSION = "12"  # 5: watcher.text.fold instead of accent_map (œ -> oe); 6: kind; 7: status;
# 8: "*" no longer part of words; 9: a code article's letter apart from its number (WORD_PATTERN;
# the analysers are kept in the index's table of contents: a change needs a new version);
# 10: one-digit words indexed (« article 6 »), « e-commerce » one word (_OneLetterFilter);
# 11: a code article's letter is a word (« L. 221-18 » is not « R. 221-18 »: _WordTokenizer);
# 12: accents folded before stemming (« securite » is « sécurité »: _FoldedEndingsFilter)
# the copy's position in the store's change log (watcher.find.follow): an index recreated empty
# drops it, so that its follower rebuilds it from the store
POSITION_FILE = "follow.json"
FACET_FIELDS: tuple[str, ...] = ("axis", "source", "topic", "entity", "ref")
BATCH_SIZE = 500
WRITER_TIMEOUT = 60.0
SNIPPET_SOURCE_CHARS = 20_000
SNIPPET_CHUNK_CHARS = 800
SNIPPET_FRAGMENTS = 2
SNIPPET_FALLBACK_CHARS = 240
TITLE_BOOST = 2.0
MAX_LIMIT = 100
RARE_DF = 2  # a word in at most this many documents is "rare" (see suggestion)
RARE_RATIO = 10  # a rare word is corrected only to a word this many times more frequent
SPELL_WORDS = 300_000  # spell words kept in memory for « did you mean », at most (~20 MB)
SMALL_DOCS = 5_000  # a segment under this many documents is small (see _merge_small)
SMALL_MERGE = 10  # small segments merged together
MEDIUM_DOCS = 25_000  # under this many, medium; larger ones are merged only by optimize()
MEDIUM_MERGE = 5  # medium segments merged together
SEGMENT_DOCS = 50_000  # documents per segment written by a rebuild (one worker's chunk)
MAX_PROCESSES = 4  # worker processes of a rebuild, at most
LOAD_DOCS = 2_000  # documents a rebuild's worker reads from the store at a time
_SEP = "\x1f"
# each stop word as written and folded (« même », « meme »): a word typed without its accents
# is the same word (the French analyser folds before stemming)
_STOPWORDS = frozenset(
    w for word in (*stopwords_for_language("fr"), "les", *ELIDED) for w in (word, fold(word))
)


class _FoldFilter(Filter):
    """Accents folded as everywhere in Watcher (:func:`watcher.text.fold`, "œuvr" -> "oeuvr");
    tokens come lower-cased, so ASCII ones are already folded."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        for token in tokens:
            text = token.text
            if not text.isascii():
                token.text = fold(text)
            yield token


# Whoosh's default word pattern without its "*" (wildcard syntax, which Watcher's language has
# not): `sanction*` is `sanction`, and « prix* » (a footnote mark) is the word « prix ».
# The letter of a code article (« L. 221-18 », « R221-18 », « D.311-4 », « A. 441-2 »,
# « LO 136-1 », « L.O. 136-1 », « R.* 366-5 ») is a word of its own, ``l.``, ``r.``, ``d.``,
# ``a.``, ``lo.`` (_WordTokenizer), however it is written: glued to the number or with a dot,
# in any case; with a space or a hyphen only (« L 221-18 », « L-223-1 »), in capitals and not
# « A » nor after « NF » (« NF A 35-016 », « NF C 15-100 » are standards). The star of an
# article decreed in Conseil des ministres (« R*111-19-18 ») is left out: the same article. So
# « L221-18 », « L.221-18 » and « L. 221-18 » are the same words, and not those of
# « R. 221-18 »; « 221-18 » alone, the number's words, finds them all. The number must have a
# hyphen (the recodified codes'): a letter before a plain number (« L. 32 ») is a one-letter
# word, dropped.
# A letter hyphened to a word (« e-commerce », « m-paiement », « e-mail ») is one word with it,
# « ecommerce »: alone, the letter would be dropped and « commerce » found.
_ARTICLE_NUMBER = r"\d+-\d"
WORD_PATTERN = (
    r"(?P<letter>(?<![\w.])(?:(?i:L\.O|LO|[LRDA])(?=\*?" + _ARTICLE_NUMBER
    + r"|(?:\.\*?|\*\.)\s{0,2}" + _ARTICLE_NUMBER + r")"
    r"|(?<!NF )(?<!NF\xa0)(?:LO|[LRD])(?=\*?[\s-]" + _ARTICLE_NUMBER + r")))"
    r"|(?<![\w.-])[^\W\d_]-[^\W\d_]{2,}\w*"
    r"|\w+(?:\.?\w+)*"
)  # fmt: skip


class _WordTokenizer(RegexTokenizer):
    """``WORD_PATTERN``'s words, a code article's letter as ``l.`` (``r.``, ``lo.``…): a word
    no other one is, which the one-letter filter keeps and a query for another letter does not
    find. ``cut`` gives the same words for the bulk writer (watcher.find.index_writer)."""

    def __init__(self) -> None:
        super().__init__(WORD_PATTERN)

    def cut(self, text: str) -> list[str]:
        """The words of ``text`` as this tokenizer gives them (no positions, no offsets)."""
        if _HYPHENED.search(text) is None:  # no article's number: no letter (and 30 % faster)
            return _PLAIN_WORDS.findall(text)
        return [
            m.group() if m.lastgroup is None else _letter_word(m.group())
            for m in self.expression.finditer(text)
        ]

    def __call__(
        self, value: str, positions: bool = False, chars: bool = False,
        keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
        start_char: int = 0, tokenize: bool = True, mode: str = "", **kwargs: Any,
    ) -> Iterator[Token]:  # fmt: skip
        if not tokenize:
            yield from super().__call__(
                value, positions, chars, keeporiginal, removestops, start_pos, start_char,
                tokenize, mode, **kwargs,
            )  # fmt: skip
            return
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, match in enumerate(self.expression.finditer(value)):
            text = match.group()
            t.text = text if match.lastgroup is None else _letter_word(text)
            t.boost = 1.0
            if keeporiginal:
                t.original = text  # type: ignore[attr-defined]
            t.stopped = False
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            yield t


_PLAIN_WORDS = re.compile(WORD_PATTERN.replace("(?P<letter>", "(?:", 1))  # (no group: findall)
_HYPHENED = re.compile(r"\d-\d")


def _letter_word(letter: str) -> str:
    """A code article's letter as a word: « L » is ``l.``, « L.O » ``lo.``."""
    return f"{letter.replace('.', '').lower()}."


class _OneLetterFilter(Filter):
    """A one-letter word (« a », « l », « y »; not a code article's letter, ``l.``) becomes
    empty, which the stop filter after it drops (counting its position away, as for a stop
    word), while a one-digit word (« article 6 », « directive 2 ») is kept; a letter hyphened
    to a word (« e-commerce ») loses its hyphen (« ecommerce »)."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        for token in tokens:
            text = token.text
            if len(text) == 1:
                if not text.isdigit():
                    token.text = ""
            elif text[1:2] == "-":
                token.text = text.replace("-", "")
            yield token


# endings whose accents the French stemmer reads, as folded: « -ée(s) » (« publiée », « lycées »)
# and « -ière(s) » (« première », « dernières »)
_FOLDED_ENDINGS = re.compile(r"(?<=\w\w)e(?=es?$)|(?<=\wier)e(?=s?$)")


class _FoldedEndingsFilter(Filter):
    """Folded words as the French stemmer would read them accented, where its rules need the
    accent: « publiee(s) » is « publie(s) », « premiere(s) » is « premier(s) ». Snowball's
    French stemmer cuts « -ée(s) » (step 2b) and makes « -ière » « -i » (step 4) only accented;
    folded before it (so that « securite » is « sécurité »), « publiée » would be « publie »
    and « publié » « publ », « première » « premier » and « premier » « premi »."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        for token in tokens:
            text = token.text
            if text[-2:] in _FOLDED_TAILS:
                token.text = _FOLDED_ENDINGS.sub("", text, count=1)
            yield token


_FOLDED_TAILS = frozenset({"ee", "es", "re", "rs"})  # (a cheap test before the expression)


def _french_analyzer() -> Analyzer:
    return (
        _WordTokenizer()
        | LowercaseFilter()
        | _OneLetterFilter()
        | StopFilter(stoplist=_STOPWORDS, minsize=1)
        | _FoldFilter()
        | _FoldedEndingsFilter()
        | StemFilter(lang="fr")
    )


class _PairFilter(Filter):
    """Each two adjacent words as one term ("relat client"): a two-word phrase is then a
    single term lookup instead of a position check (see watcher.find.query_exec)."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:  # type: ignore[override]
        prev: str | None = None
        for token in tokens:
            text = token.text
            if prev is not None:
                token.text = f"{prev} {text}"
                yield token
            prev = text


def _pair_analyzer() -> Analyzer:
    return _french_analyzer() | _PairFilter()


def _spell_analyzer() -> Analyzer:
    # unstemmed, folded words of 3+ letters, no digits: the "did you mean" dictionary
    return (
        RegexTokenizer(r"[^\W\d_]{3,}")
        | LowercaseFilter()
        | StopFilter(stoplist=_STOPWORDS, minsize=3)
        | _FoldFilter()
    )


def _build_schema() -> Schema:
    fr = _french_analyzer()
    return Schema(
        item_id=NUMERIC(int, bits=64, signed=False, stored=True, unique=True, sortable=True),
        title=TEXT(analyzer=fr, stored=True, phrase=True),
        text=TEXT(analyzer=fr, stored=False, phrase=True),
        title_pair=TEXT(analyzer=_pair_analyzer(), stored=False, phrase=False),
        text_pair=TEXT(analyzer=_pair_analyzer(), stored=False, phrase=False),
        spell=TEXT(analyzer=_spell_analyzer(), stored=False, phrase=False),
        body_z=STORED(),
        url=STORED(),
        source_id=STORED(),
        published=STORED(),
        date=NUMERIC(int, bits=64, signed=True, sortable=True),
        cluster=NUMERIC(int, bits=64, signed=False, sortable=True),
        groups=ID(),
        axis=ID(),
        source=ID(),
        topic=ID(),
        entity=ID(),
        ref=ID(),
        ref_alias=ID(),
        lang=ID(),
        kind=ID(),  # article | change (a watched page's change)
        status=ID(),  # curation: "retained", "g1:retained" (by some group; by group g1)…
        f_axis=COLUMN(VarBytesColumn()),
        f_source=COLUMN(VarBytesColumn()),
        f_topic=COLUMN(VarBytesColumn()),
        f_entity=COLUMN(VarBytesColumn()),
        f_ref=COLUMN(VarBytesColumn()),
    )


# --------------------------------------------------------------------- data types


class IndexBusyError(WatcherError, RuntimeError):
    """Another writer held the index lock for longer than the writer timeout (60 s)."""

    exit_code = 1
    http_status = 503

    @property
    def message(self) -> str:  # str(): the index's path, for the logs
        return (
            "L'index de recherche est occupé par une autre écriture (un `watcher reindex` en "
            "cours ?) : relancez quand elle sera finie."
        )


@dataclass(frozen=True)
class IndexDoc:
    item_id: int
    groups: tuple[str, ...]  # group ids the item belongs to
    title: str
    text: str  # main text (may be long)
    summary: str
    url: str
    source_id: str
    source_name: str
    axes: tuple[str, ...]  # axis ids
    topics: tuple[str, ...]  # topic ids (PESTEL taxonomy)
    entities: tuple[str, ...]  # normalised entity names, e.g. "Carrefour", "CNIL"
    refs: tuple[str, ...]  # canonical reference keys, e.g. "eu:celex:32016R0679"
    ref_aliases: tuple[str, ...]  # as written / common names: "RGPD", "Règlement (UE) 2016/679"
    published: datetime | None  # UTC-aware
    fetched: datetime  # UTC-aware
    language: str  # "fr"
    cluster_id: int | None = None  # near-duplicate cluster (None: the item alone)
    kind: str = "article"  # "change": a watched page's change (kind:change)
    curation: tuple[str, ...] = ()  # "g1:retained", "g2:rejected": each group's status


@dataclass
class Hit:
    """One result. ``score`` is 0.0 when results are sorted by date."""

    item_id: int
    score: float
    title: str
    title_html: str  # HTML-escaped, matches in <mark>
    snippet_html: str  # HTML-escaped, matches in <mark>
    url: str
    source_id: str
    published: datetime | None


@dataclass
class SearchResults:
    """A page of results; ``total``, ``pages`` and ``facets`` cover every match."""

    query: str
    total: int
    page: int
    pages: int
    limit: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None


# ---------------------------------------------------------------- normalisation


def alias_key(value: str) -> str:
    """Normalise a reference as written: folded, 'n°' dropped, punctuation → spaces.

    'Loi n° 2014-344' and 'loi 2014-344' both give 'loi 2014 344'.
    """
    folded = name_key(value).replace("n°", " ").replace("nº", " ")
    words = "".join(c if c.isalnum() else " " for c in folded).split()
    return " ".join(w for w in words if w not in ("n", "no"))


def _ts(dt: datetime) -> int:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"naive datetime {dt!r}: index dates must be timezone-aware")
    return math.floor(dt.timestamp())


def _column(values: Iterable[str]) -> bytes:
    seen: dict[str, None] = {}
    for v in values:
        v = " ".join(v.replace(_SEP, " ").split())
        if v:
            seen.setdefault(v, None)
    return _SEP.join(seen).encode("utf-8")


def _keys(values: Iterable[str], norm: Callable[[str], str] = name_key) -> list[str]:
    return sorted({k for k in (norm(v) for v in values) if k})


def body_text(summary: str, text: str) -> str:
    """The searchable body: the summary, then the text — without the summary when the text
    already says it (a publisher's lead copied into its description, or a summary cut from the
    text itself), which would make snippets repeat themselves."""
    summary, text = summary.strip(), text.strip()
    lead = " ".join(summary.split()).rstrip(" .…").strip()
    if lead and lead in " ".join(text.split()):
        return text
    return "\n\n".join(p for p in (summary, text) if p)


def _doc_fields(doc: IndexDoc) -> dict[str, Any]:
    body = body_text(doc.summary, doc.text)
    date = doc.published if doc.published is not None else doc.fetched
    return {
        "item_id": doc.item_id,
        "title": doc.title,
        "text": body,
        "title_pair": doc.title,
        "text_pair": body,
        "spell": f"{doc.title}\n{body}",
        "body_z": zlib.compress(body[:SNIPPET_SOURCE_CHARS].encode("utf-8"), 6),
        "url": doc.url,
        "source_id": doc.source_id,
        "published": doc.published,
        "date": _ts(date),
        "cluster": doc.cluster_id if doc.cluster_id is not None else doc.item_id,
        "groups": _keys(doc.groups, str.strip),
        "axis": _keys(doc.axes),
        "source": _keys((doc.source_id, doc.source_name)),
        "topic": _keys(doc.topics),
        "entity": _keys(doc.entities),
        "ref": _keys(doc.refs),
        "ref_alias": _keys(doc.ref_aliases, alias_key),
        "lang": _keys((doc.language,)),
        "kind": _keys((doc.kind,)),
        "status": sorted({*doc.curation, *(c.rsplit(":", 1)[1] for c in doc.curation)}),
        "f_axis": _column(doc.axes),
        "f_source": _column((doc.source_id,)),
        "f_topic": _column(doc.topics),
        "f_entity": _column(doc.entities),
        "f_ref": _column(doc.refs),
    }


# ------------------------------------------------------------------ highlighting


class _MarkFormatter(highlight.Formatter):
    """Escapes everything; wraps matches in <mark>."""

    between = " … "

    def _text(self, text: str) -> str:
        return html.escape(text)

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{html.escape(highlight.get_text(text, token, replace))}</mark>"


# matches apart by a space, a dot, a hyphen or a star only: one mark, « <mark>L. 221-18</mark> »
# rather than « <mark>L</mark>. <mark>221</mark>-<mark>18</mark> »
_MARKS_APART = re.compile(r"</mark>([\s.*-]{1,3})<mark>")


def _joined(marked: str) -> str:
    """``marked`` (HTML) with the matches a space, a dot, a hyphen or a star apart in one mark
    (a code article, « L. 221-18 », is several words)."""
    return _MARKS_APART.sub(r"\1", marked)


class _Word:
    """A word of a text to highlight, as the analyser's token would be: its text after the
    filters, whether it is a stop word, where it is, and whether it is matched (Whoosh's
    fragmenters and formatter read these, and ``copy`` it)."""

    __slots__ = ("boost", "endchar", "matched", "startchar", "stopped", "text")

    def __init__(self, text: str, stopped: bool, startchar: int, endchar: int) -> None:
        self.text = text
        self.stopped = stopped
        self.startchar = startchar
        self.endchar = endchar
        self.matched = False
        self.boost = 1.0

    def copy(self) -> _Word:
        word = _Word(self.text, self.stopped, self.startchar, self.endchar)
        word.matched, word.boost = self.matched, self.boost
        return word


class _Reader:
    """The words of a text as ``analyzer(text, chars=True, mode="query", removestops=False)``
    gives them, without a generator chain and a ``Token`` per word: the French analyser's
    filters look at one word at a time, so each distinct word (as its tokenizer cuts it) goes
    through them once and is then looked up (as ``watcher.find.index_writer`` does when
    writing). Highlighting a page of hits reads thousands of words, most of them already seen.
    An analyser whose tokenizer is not :class:`_WordTokenizer` is run as it is."""

    LIMIT = 50_000  # words remembered (~12 MB; emptied when full)

    def __init__(self, analyzer: Any) -> None:
        self.analyzer = analyzer
        items = getattr(analyzer, "items", None)
        tokenizer = items[0] if items else None
        self.expression = tokenizer.expression if isinstance(tokenizer, _WordTokenizer) else None
        self.filters = items[1:] if items else []
        self.seen: dict[str, tuple[str, bool]] = {}

    def _analysed(self, cut: str) -> tuple[str, bool]:
        out = filtered(self.filters, cut, mode="query", removestops=False)
        if len(out) != 1:  # (cannot happen: the filters neither split nor drop a word)
            raise ValueError(f"the analyser made {out!r} of {cut!r}")
        if len(self.seen) >= self.LIMIT:
            self.seen.clear()
        self.seen[cut] = out[0]
        return out[0]

    def words(self, text: str) -> list[_Word]:
        if self.expression is None:
            return [
                _Word(t.text, t.stopped, t.startchar, t.endchar)
                for t in self.analyzer(text, chars=True, mode="query", removestops=False)
            ]
        seen = self.seen
        found: list[_Word] = []
        for match in self.expression.finditer(text):
            cut = match.group() if match.lastgroup is None else _letter_word(match.group())
            analysed = seen.get(cut) or self._analysed(cut)
            found.append(_Word(analysed[0], analysed[1], match.start(), match.end()))
        return found


def _matched(
    words: list[_Word], terms: frozenset[str], phrases: Collection[tuple[str, ...]]
) -> list[_Word]:
    """The words, each marked ``matched`` when it is one of ``terms`` or a word of one of
    ``phrases`` where that phrase occurs whole (its words in a row, stop words between them
    left aside, as the index counts positions). Whoosh's ``set_matched_filter`` marks every
    word of a phrase wherever it is, and its ``set_matched_filter_phrases`` counts the stop
    words (« hausse des prix » would not be found)."""
    for w in words:
        w.matched = not w.stopped and w.text in terms
    if phrases:
        kept = [w for w in words if not w.stopped and w.text]
        texts = [w.text for w in kept]
        for phrase in phrases:
            n = len(phrase)
            for i in range(len(texts) - n + 1):
                if tuple(texts[i : i + n]) == phrase:
                    for w in kept[i : i + n]:
                        w.matched = True
    return words


def _snippet(
    body: str,
    terms: Collection[str],
    reader: _Reader,
    phrases: Collection[tuple[str, ...]] = (),
) -> str:
    """Up to SNIPPET_FRAGMENTS highlighted fragments, scanning ``body`` chunk by chunk
    so that an early match does not pay for analysing the whole text."""
    termset = frozenset(terms)
    # cheap pre-check: a chunk is analysed only if a (shortened) stem occurs in its
    # folded text; stems are nearly always prefixes of the words they come from
    probes = {t[: max(3, len(t) - 2)] for t in termset | {w for p in phrases for w in p}}
    fragmenter = highlight.ContextFragmenter(maxchars=200, surround=40)
    found: list[Any] = []
    pos = 0
    while pos < len(body) and len(found) < SNIPPET_FRAGMENTS:
        end = min(len(body), pos + SNIPPET_CHUNK_CHARS)
        if end < len(body):
            space = body.rfind(" ", pos + SNIPPET_CHUNK_CHARS // 2, end)
            end = space if space > pos else end
        chunk = body[pos:end]
        pos = end
        folded = fold(chunk)  # hyphens out: « e-commerce » is the word « ecommerc »
        if not any(p in folded for p in probes) and not any(
            p in folded.replace("-", "") for p in probes
        ):
            continue
        words = _matched(reader.words(chunk), termset, phrases)
        fragments = fragmenter.fragment_tokens(chunk, words)
        found.extend(
            highlight.top_fragments(
                fragments,
                SNIPPET_FRAGMENTS - len(found),
                highlight.BasicFragmentScorer(),
                highlight.FIRST,
                minscore=1,
            )
        )
    return _joined(_MarkFormatter().format(found)) if found else ""


def _fallback_snippet(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SNIPPET_FALLBACK_CHARS:
        return html.escape(text)
    cut = text[:SNIPPET_FALLBACK_CHARS]
    space = cut.rfind(" ")
    if space > SNIPPET_FALLBACK_CHARS // 2:
        cut = cut[:space]
    return html.escape(cut) + " …"


# --------------------------------------------------------------------- merging


def _merge_small(writer: Any, segments: list[Any]) -> list[Any]:
    """Merge policy for routine commits: segments are merged in two steps, so that each
    document is rewritten at most twice whatever the size of the index, and the number of
    segments stays bounded. Ten small segments (under SMALL_DOCS documents, such as the
    batches of ``add``) merge into one medium segment; five medium ones (under MEDIUM_DOCS)
    into a large one. Large segments (and the segments of a rebuild) are merged only by
    :meth:`SearchIndex.optimize`."""
    small = [s for s in segments if s.doc_count_all() < SMALL_DOCS]
    medium = [s for s in segments if SMALL_DOCS <= s.doc_count_all() < MEDIUM_DOCS]
    merged = (small if len(small) >= SMALL_MERGE else []) + (
        medium if len(medium) >= MEDIUM_MERGE else []
    )
    for seg in merged:
        reader = SegmentReader(writer.storage, writer.schema, as_flat(seg))
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in merged]


# ----------------------------------------------------------------------- index


class SearchIndex:
    """The Whoosh index under ``path``: upserts, deletes and searches."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._segment_cache: dict[str, SegmentColumns] = {}  # by segment id
        self._length_cache: dict[tuple[str, str], np.ndarray] = {}  # (segment id, field)
        self._cols: Columns | None = None
        self._cols_generation = -2
        self._ix = self._open_or_create()
        self._searcher: Searcher | None = None
        self._generation = -2
        self._visible_cache: dict[frozenset[str], np.ndarray] = {}
        self._visible_generation = -2
        self._reader: _Reader | None = None  # the words of highlighted texts (see _Reader)
        self._spell_cache: dict[str, list[str] | None] = {}  # segment id → its spell words
        self._spell_asked: set[str] = set()  # segments a suggestion needed once

    # -- opening ------------------------------------------------------------

    def _open_or_create(self) -> index.FileIndex:
        self.path.mkdir(parents=True, exist_ok=True)
        marker = self.path / "WATCHER_SCHEMA"
        version = marker.read_text().strip() if marker.exists() else None
        try:
            exists = index.exists_in(str(self.path))
        except Exception as exc:  # a table of contents naming classes this version lacks
            log.warning("index at %s unreadable (%s: %s; written by another version of Watcher?);"
                        " recreating it empty", self.path, type(exc).__name__, exc)  # fmt: skip
            exists = False
            with warnings.catch_warnings():  # whoosh3 leaves the file it read to the GC
                warnings.simplefilter("ignore", ResourceWarning)
                exc.__traceback__ = None
                del exc
                gc.collect()
        if exists and version == SCHEMA_VERSION:
            try:
                return index.open_dir(str(self.path))
            except Exception:  # a damaged index is rebuilt from the store
                log.exception("index at %s unreadable; recreating it empty", self.path)
        elif exists:
            log.warning("index at %s has schema %r, not %r; recreating it empty",
                        self.path, version, SCHEMA_VERSION)  # fmt: skip
        (self.path / POSITION_FILE).unlink(missing_ok=True)
        for old in self.path.glob("*MAIN_*"):  # Whoosh's files (index name MAIN), not others
            if old.name != "MAIN_WRITELOCK" and old.is_file():
                old.unlink(missing_ok=True)
        ix = index.create_in(str(self.path), _build_schema())
        marker.write_text(SCHEMA_VERSION + "\n")
        return ix

    def _get_searcher(self) -> Searcher:
        """The long-lived searcher, brought up to the latest commit. Hold self._lock.

        ``Searcher.refresh()`` is NOT used: in whoosh3 3.54.0 it reuses segment
        readers by segment id only, so documents deleted or replaced since the
        last refresh come back, and segments merged away are resurrected
        (reproduced in tests/test_index.py). This refresh reuses a segment
        reader only when its segment id and deletion count are unchanged (a
        segment's deletions only ever grow).
        """
        latest = self._ix.latest_generation()
        if self._searcher is not None and latest == self._generation:
            return self._searcher
        for attempt in range(10):
            try:
                searcher, generation = self._open_searcher()
                break
            except OSError:  # a writer removed a file between reading the TOC and opening it
                if attempt == 9:
                    raise
        self._searcher, self._generation = searcher, generation
        return searcher

    def _open_searcher(self) -> tuple[Searcher, int]:
        toc = index.TOC.read(self._ix.storage, self._ix.indexname)
        old: dict[str, Any] = {}
        if self._searcher is not None:
            for leaf, _offset in self._searcher.reader().leaf_readers():
                seg = leaf.segment()
                if seg is not None:
                    old[seg.segment_id()] = leaf
        readers: list[Any] = []
        reused: set[str] = set()
        try:
            for seg in map(as_flat, toc.segments):
                prev = old.get(seg.segment_id())
                if (
                    prev is not None
                    and not prev.is_closed
                    and prev.segment().deleted_count() == seg.deleted_count()
                ):
                    readers.append(prev)
                    reused.add(seg.segment_id())
                else:
                    readers.append(
                        SegmentReader(self._ix.storage, toc.schema, seg, generation=toc.generation)
                    )
        except BaseException:
            for r in readers:
                if r.segment().segment_id() not in reused:
                    r.close()
            raise
        reader: Any
        if not readers:
            reader = EmptyReader(toc.schema)
        elif len(readers) == 1:
            reader = readers[0]
        else:
            reader = MultiReader(readers, generation=toc.generation)
        for segid, leaf in old.items():
            if segid not in reused:
                leaf.close()
        live = {seg.segment_id() for seg in toc.segments}
        for segid in [k for k in self._segment_cache if k not in live]:
            del self._segment_cache[segid]  # segments merged away
        for key in [k for k in self._length_cache if k[0] not in live]:
            del self._length_cache[key]
        for segid in [k for k in self._spell_cache if k not in live]:
            del self._spell_cache[segid]
        self._spell_asked &= live
        return Searcher(reader, fromindex=self._ix), int(toc.generation)

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._segment_cache.clear()
            self._length_cache.clear()
            self._spell_cache.clear()
            self._spell_asked.clear()
            self._cols = None
            self._ix.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ------------------------------------------------------------

    def _writer(self) -> BulkWriter:
        """A writer holding the index's write lock (waits up to WRITER_TIMEOUT)."""
        try:
            writer = BulkWriter(
                _writing_index(self.path, self._ix.indexname),
                _analysis(),
                on_segment=_save_columns,
                timeout=WRITER_TIMEOUT,
                delay=0.25,
                codec=FlatCodec(),
            )
        except LockError:
            raise IndexBusyError(
                f"index {self.path} is locked by another writer (waited {WRITER_TIMEOUT} s)"
            ) from None
        # writers' temporary folders and tables of contents (Whoosh writes "_MAIN_<n>.toc.<time>",
        # then renames it) left by a crash: no writer can be using them now
        for stale in self.path.glob(f"{self._ix.indexname}.tmp.*"):
            if stale.name != writer.storage.temp_name:
                shutil.rmtree(stale, ignore_errors=True)
        for stale in self.path.glob(f"_{self._ix.indexname}_*.toc.*"):
            stale.unlink(missing_ok=True)
        remove_leftovers(self.path)  # and the columns' temporary files (index_columns.py)
        return writer

    def add(self, docs: Iterable[IndexDoc], *, batch_size: int = BATCH_SIZE) -> int:
        """Upsert documents by ``item_id``, committing every ``batch_size`` documents.

        Returns how many documents were written. For a full rebuild, use :meth:`rebuild`.
        """
        batch_size = max(1, batch_size)
        total = 0
        batch: dict[int, IndexDoc] = {}
        for doc in docs:
            batch.pop(doc.item_id, None)
            batch[doc.item_id] = doc  # the last version of an id wins
            if len(batch) >= batch_size:
                total += self._write_batch(list(batch.values()))
                batch.clear()
        if batch:
            total += self._write_batch(list(batch.values()))
        return total

    def _write_batch(self, docs: Sequence[IndexDoc]) -> int:
        prepared = [_doc_fields(d) for d in docs]  # fail (bad dates) before taking the lock
        writer = self._writer()
        try:
            self._delete_ids(writer, [fields["item_id"] for fields in prepared])
            for fields in prepared:
                writer.add_document(**fields)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=_merge_small)
        return len(prepared)

    def _delete_ids(self, writer: BulkWriter, item_ids: Sequence[int]) -> int:
        """Mark the live documents of ``item_ids`` deleted in ``writer``'s segments (found
        in the segments' item id columns, not term by term); returns how many."""
        wanted = np.asarray(sorted(set(item_ids)), dtype=np.int64)
        count = 0
        if not len(wanted):
            return 0
        for seg in writer.segments:
            if not seg.doc_count_all():
                continue
            found = np.flatnonzero(np.isin(self._columns_of(writer, seg).item_ids, wanted))
            for docnum in found.tolist():
                if not seg.is_deleted(docnum):
                    seg.delete_document(docnum)
                    count += 1
        return count

    def _columns_of(self, writer: BulkWriter, seg: Any) -> SegmentColumns:
        """A segment's columns, as a search reads them (a reader is opened to decode them
        only when no saved copy exists)."""
        with self._lock:
            cols = self._segment_cache.get(seg.segment_id())
        if cols is not None:
            return cols
        saved = self.path / f"{seg.segment_id()}{CACHE_SUFFIX}"
        cols = SegmentColumns.load(saved, FACET_FIELDS, _SEP, seg.doc_count_all())
        if cols is None:
            cols = _read_columns(writer, seg)
            cols.save(saved, _SEP)
        return cols

    def rebuild(self, docs: Iterable[IndexDoc]) -> int:
        """Replace every document with ``docs``, in one commit (a full reindex), in this
        process: see :meth:`rebuild_from` for the same with worker processes."""
        it = iter(docs)
        chunks = iter(lambda: list(islice(it, SEGMENT_DOCS)), [])
        return self._rebuild(
            segments=(_write_segment(self.path, self._ix.indexname, chunk) for chunk in chunks)
        )

    def rebuild_from(
        self,
        ids: Sequence[int],
        load: Callable[[list[int]], Iterable[IndexDoc]],
        *,
        processes: int | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Replace every document with those of ``ids``, in one commit (a full reindex).

        The ids are cut into chunks of SEGMENT_DOCS; each chunk becomes one segment, written
        by one of ``processes`` worker processes (default: one per core, at most
        MAX_PROCESSES) that reads its documents with ``load(chunk)`` (a picklable callable,
        since workers are spawned) and writes its segment into the index folder; this
        process holds the write lock meanwhile and commits the segments, in the order of
        ``ids``, as the new generation. Searches keep seeing the previous documents until
        then, and an interrupted rebuild leaves the index as it was (the next commit removes
        the orphan segment files)."""
        chunks = [list(ids[i : i + SEGMENT_DOCS]) for i in range(0, len(ids), SEGMENT_DOCS)]
        procs = min(processes or min(os.cpu_count() or 1, MAX_PROCESSES), len(chunks))
        done = 0

        def progress(n: int) -> None:
            nonlocal done
            done += n
            if on_progress:
                on_progress(done, len(ids))

        if procs <= 1:
            return self._rebuild(
                segments=(
                    _load_and_write_segment(str(self.path), self._ix.indexname, load, chunk)
                    for chunk in chunks
                ),
                progress=progress,
            )
        # the workers die with this process: killed with kill -9, it leaves none behind
        pool = ProcessPoolExecutor(
            procs, mp_context=get_context("spawn"), initializer=die_with, initargs=(os.getpid(),)
        )
        try:
            futures = [
                pool.submit(_load_and_write_segment, str(self.path), self._ix.indexname, load, c)
                for c in chunks
            ]
            return self._rebuild(segments=(f.result() for f in futures), progress=progress)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _rebuild(
        self,
        segments: Iterable[tuple[Any, int]],
        progress: Callable[[int], None] | None = None,
    ) -> int:
        writer = self._writer()
        written: list[Any] = []
        count = 0
        try:
            for seg, n in segments:
                if seg is not None:
                    written.append(seg)
                count += n
                if progress:
                    progress(n)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=lambda _writer, _old: list(written))
        return count

    def delete(self, item_ids: Iterable[int]) -> int:
        """Delete documents by ``item_id``; returns how many were in the index."""
        ids = sorted(set(item_ids))
        if not ids:
            return 0
        writer = self._writer()
        try:
            count = self._delete_ids(writer, ids)
        except BaseException:
            writer.cancel()
            raise
        if count:
            writer.commit(mergetype=_merge_small)
        else:
            writer.cancel()
        return count

    def clear(self) -> None:
        """Remove every document (before a full rebuild); readers keep working."""
        writer = self._writer()
        writer.commit(mergetype=_clear_all)

    def optimize(self) -> None:
        """Merge all segments into one (maintenance; holds the write lock meanwhile)."""
        writer = self._writer()
        writer.commit(optimize=True)

    # -- reading ------------------------------------------------------------

    def indexed_ids(self) -> set[int]:
        """Every item_id in the last committed generation (read from a column)."""
        with self._lock:
            reader = self._get_searcher().reader()
            ids: set[int] = set()
            for leaf, _offset in reader.leaf_readers():
                if leaf.doc_count() == 0:
                    continue
                col = self._segment(leaf).item_ids
                if leaf.has_deletions():
                    ids.update(col[list(leaf.all_doc_ids())].tolist())
                else:
                    ids.update(col.tolist())
            return ids

    def doc_count(self) -> int:
        with self._lock:
            return int(self._get_searcher().doc_count())

    def segment_count(self) -> int:
        with self._lock:
            return len(self._get_searcher().reader().leaf_readers())

    # -- searching ----------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        groups: Collection[str] | None,
        now: datetime,
        sort: str = "relevance",
        page: int = 1,
        limit: int = 10,
        facets: bool = True,
        resolve_ref: Callable[[str], list[str]] | None = None,
        names: Names | None = None,
        facet_limit: int | None = 20,
        collapse: bool = True,
    ) -> SearchResults:
        """Run a query in the Watcher language (see watcher.query).

        With ``collapse`` (the default), a near-duplicate cluster counts once: its earliest
        document stands for it in hits, totals and facets.

        ``groups=None`` searches everything; otherwise only documents of those
        groups are visible (hits, totals, facets and suggestions alike); a
        document without any group is only visible with ``groups=None``.
        ``names`` gives, per field (`axis`, `topic`), the label of each key (« Marché &
        concurrence » for `concurrence`), or several names of it: a value written as a label
        finds what its key finds, so a facet read in a footer can be typed back; a name shared
        by several keys (a PESTEL dimension, for its topics) finds what any of them finds.
        Raises QueryError for a malformed query, NoSearchableWord (a QueryError) when no
        word of it can be searched (one-letter and stop words only).
        """
        if sort not in ("relevance", "date"):
            raise ValueError(f"sort must be 'relevance' or 'date', not {sort!r}")
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("now must be timezone-aware")
        limit = max(1, min(int(limit), MAX_LIMIT))
        page = max(1, int(page))
        ast = parse_query(query)

        with self._lock:
            searcher = self._get_searcher()
            compiler = _Compiler(searcher.schema, now, resolve_ref, groups, names)
            texts = text_nodes(ast)
            if texts and not any(compiler.analyze(t.text) for t in texts):
                raise NoSearchableWord(
                    [f'"{t.text}"' if isinstance(t, Phrase) else t.text for t in texts]
                )
            # top-level date windows filter through the cached date column (much
            # cheaper than a NumericRange); nested ones are compiled as ranges
            windows, rest = _split_dates(ast)
            user_q = compiler.compile(rest)
            allowed = self._visible(searcher, groups)  # None: everything
            if windows:
                in_window = self._in_window(searcher, [_window_ts(w, now) for w in windows])
                allowed = in_window if allowed is None else allowed & in_window
            final_q = _runnable(user_q)
            by_date = sort == "date" or not compiler.scored
            docs, scores = self._matches(searcher, final_q, allowed, scored=not by_date)
            cols = self._columns(searcher)
            if collapse and len(docs):
                docs, scores = cols.one_per_cluster(docs, scores)
            total = len(docs)
            start = (page - 1) * limit
            top: list[tuple[int, float | None]] = []
            if total and start < total:
                if by_date:
                    order = cols.newest_first(docs, start + limit)[start : start + limit]
                    top = [(int(d), None) for d in docs[order]]
                else:
                    assert scores is not None
                    order = _best_first(docs, scores, start + limit)[start : start + limit]
                    top = [
                        (int(d), float(scores[i])) for d, i in zip(docs[order], order, strict=True)
                    ]
            pages = math.ceil(total / limit) if total else 0
            hits = [self._hit(searcher, docnum, score, compiler) for docnum, score in top]
            facet_counts: dict[str, list[tuple[str, int]]] = {}
            if facets:
                facet_counts = cols.facets(docs, facet_limit)
            suggestion = self._suggest(searcher, query, ast, allowed, compiler)
        return SearchResults(
            query=query,
            total=total,
            page=page,
            pages=pages,
            limit=limit,
            hits=hits,
            facets=facet_counts,
            suggestion=suggestion,
        )

    def _hit(self, searcher: Searcher, docnum: int, score: float | None,
             compiler: _Compiler) -> Hit:  # fmt: skip
        stored = searcher.reader().stored_fields(docnum)
        reader = self._words_of(compiler.analyzer)
        title = str(stored.get("title", ""))
        body_z = stored.get("body_z")
        body = zlib.decompress(body_z).decode("utf-8") if body_z else ""
        title_html = ""
        if (compiler.title_terms or compiler.title_phrases) and title:
            words = _matched(
                reader.words(title), frozenset(compiler.title_terms), compiler.title_phrases
            )
            fragments = highlight.WholeFragmenter().fragment_tokens(title, words)
            found = highlight.top_fragments(
                fragments, 1, highlight.BasicFragmentScorer(), highlight.FIRST, minscore=1
            )
            title_html = _joined(_MarkFormatter()(title, found))
        snippet_html = ""
        if (compiler.text_terms or compiler.text_phrases) and body:
            snippet_html = _snippet(body, compiler.text_terms, reader, compiler.text_phrases)
        published = stored.get("published")
        return Hit(
            item_id=int(stored["item_id"]),
            score=float(score) if score is not None else 0.0,
            title=title,
            title_html=title_html or html.escape(title),
            snippet_html=snippet_html or _fallback_snippet(body),
            url=str(stored.get("url", "")),
            source_id=str(stored.get("source_id", "")),
            published=published if isinstance(published, datetime) else None,
        )

    def _words_of(self, analyzer: Any) -> _Reader:
        """The reader of highlighted words for the searcher's analyser (the one in the index's
        table of contents: a new one after each commit, whose words are learnt again)."""
        if self._reader is None or self._reader.analyzer is not analyzer:
            self._reader = _Reader(analyzer)
        return self._reader

    # -- matching ----------------------------------------------------------

    def warm(self) -> None:
        """Read now what the first search would read (every segment's columns and field
        lengths: ~0.5 s at 100k items, ~2 s when the columns were never decoded before), so
        that a fresh web process does not make its first user wait for it."""
        with self._lock:
            searcher = self._get_searcher()
            self._columns(searcher)
            for leaf, _offset in searcher.reader().leaf_readers():
                for fieldname in ("title", "text"):
                    self._field_lengths(leaf, fieldname)

    def _segment(self, leaf: Any) -> SegmentColumns:
        """A segment's columns, read once (segments are immutable) and kept in a file beside
        the segment for the next process."""
        seg = leaf.segment()
        key = _segment_key(leaf)
        cols = self._segment_cache.get(key)
        if cols is None:  # decoded once, by whichever process opens the segment first
            saved = self.path / f"{key}{CACHE_SUFFIX}" if seg is not None else None
            if saved is not None:
                cols = SegmentColumns.load(saved, FACET_FIELDS, _SEP, leaf.doc_count_all())
            if cols is None:
                cols = SegmentColumns.read(leaf, FACET_FIELDS, _SEP)
                if saved is not None:
                    cols.save(saved, _SEP)
            self._segment_cache[key] = cols
        return cols

    def _columns(self, searcher: Searcher) -> Columns:
        """Every document's columns in the current generation."""
        if self._cols is None or self._cols_generation != self._generation:
            leaves = [
                leaf
                for leaf, _offset in searcher.reader().leaf_readers()
                if leaf.doc_count_all()  # (an empty one adds no docnums)
            ]
            self._cols = Columns([self._segment(leaf) for leaf in leaves], FACET_FIELDS)
            self._cols_generation = self._generation
        return self._cols

    def _field_lengths(self, leaf: Any, fieldname: str) -> np.ndarray:
        """Per-document lengths of ``fieldname`` in one segment (for BM25F) as Whoosh stores
        them, one byte each (``watcher.find.query_exec.LENGTHS`` decodes them), cached."""
        count = leaf.doc_count_all()
        if not count:  # the EmptyReader of an index without segments has no _perdoc
            return np.zeros(0, dtype=np.uint8)
        key = (_segment_key(leaf), fieldname)
        lengths = self._length_cache.get(key)
        if lengths is None:
            # whoosh3 private: the per-document lengths column of a W3 segment (pinned version)
            reader = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if reader is None:  # no document has the field: Whoosh's default length (1)
                lengths = np.zeros(count, dtype=np.uint8)
            else:
                lengths = length_column(reader, count)
            self._length_cache[key] = lengths
        return lengths

    def _visible(self, searcher: Searcher, groups: Collection[str] | None) -> np.ndarray | None:
        """A mask of the docnums visible to ``groups`` (None: no restriction), cached per
        generation."""
        if groups is None:
            return None
        keys = frozenset(g.strip() for g in groups if g.strip())
        if self._visible_generation != self._generation:
            self._visible_cache.clear()
            self._visible_generation = self._generation
        visible = self._visible_cache.get(keys)
        if visible is None:
            visible = np.zeros(searcher.reader().doc_count_all(), dtype=bool)
            if keys:
                group_q = wq.Or([wq.Term("groups", g) for g in sorted(keys)])
                docs, _ = self._matches(searcher, group_q, None, scored=False)
                visible[docs] = True
            if len(self._visible_cache) >= 8:
                self._visible_cache.clear()
            self._visible_cache[keys] = visible
        return visible

    def _in_window(
        self, searcher: Searcher, bounds: list[tuple[int | None, int | None]]
    ) -> np.ndarray:
        """A mask of the docnums whose date lies in every one of ``bounds`` (inclusive)."""
        lo = max((b[0] for b in bounds if b[0] is not None), default=-(2**63))
        hi = min((b[1] for b in bounds if b[1] is not None), default=2**63 - 1)
        return self._columns(searcher).in_window(lo, hi)

    def _matches(
        self, searcher: Searcher, q: wq.Query, allowed: np.ndarray | None, *, scored: bool
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Live docnums matching ``q`` among ``allowed`` (a mask; None: all), sorted, and
        their scores when ``scored``: on whole posting lists (watcher.find.query_exec), or with
        Whoosh's matchers for a query shape that module does not handle."""
        try:
            evaluator = Evaluator(searcher, self._field_lengths, self._segment_dates)
            return evaluator.run(q, scored=scored, allowed=allowed)
        except Unsupported as exc:
            log.debug("query %r run by Whoosh: %s", q, exc)
        allow = None if allowed is None else set(np.flatnonzero(allowed).tolist())
        if scored:
            found = self._all_scores(searcher, q, allow)
            docs = np.fromiter(sorted(found), dtype=np.int64, count=len(found))
            return docs, np.asarray([found[d] for d in docs.tolist()], dtype=np.float64)
        matching = searcher.docs_for_query(q)
        if allow is not None:
            matching = filter(allow.__contains__, matching)
        return np.asarray(sorted(matching), dtype=np.int64), None

    def _segment_dates(self, leaf: Any) -> np.ndarray:
        return self._segment(leaf).dates

    @staticmethod
    def _all_scores(searcher: Searcher, q: wq.Query, allowed: set[int] | None) -> dict[int, float]:
        """docnum → score of every match among ``allowed`` (None: all), in one pass.

        No top-N collector: Whoosh's matcher replacement and block-quality skipping dropped
        the best document of a filtered search in whoosh3 3.54.0 (page 2 then repeated
        page 1's last hit); every match is needed anyway for the total and the facets."""
        if allowed is not None and not allowed:
            return {}  # nothing visible (Whoosh reads an empty allow set as "no filter")
        everything = collectors.UnlimitedCollector()
        collector: Any = everything
        if allowed is not None:
            collector = collectors.FilterCollector(everything, allow=allowed)
        searcher.search_with_collector(q, collector)
        return {docnum: score for score, docnum in collector.results().top_n}

    # -- did you mean -------------------------------------------------------

    def _suggest(
        self,
        searcher: Searcher,
        query: str,
        ast: Node,
        allowed: np.ndarray | None,
        compiler: _Compiler,
    ) -> str | None:
        spell_field = searcher.schema["spell"]
        reader = searcher.reader()
        corrector: Any = None
        replacements: list[tuple[int, int, str]] = []
        for node in positive_text_nodes(ast):
            if not isinstance(node, Term) or node.end <= node.start:
                continue
            other = self._other_letter(searcher, node, allowed, compiler)
            if other is not None:
                replacements.append((node.start, node.end, other))
                continue
            words = list(spell_field.process_text(node.text, mode="query"))
            if len(words) != 1 or words[0] != name_key(node.text):
                continue  # only plain single words are corrected
            word = words[0]
            df = reader.doc_frequency("spell", word)
            if df > RARE_DF:
                continue
            stems = compiler.analyze(node.text)  # "marches" is rare, but finds "marché"
            if any(reader.doc_frequency(f, s) > RARE_DF for f in ("title", "text") for s in stems):
                continue
            if corrector is None:
                corrector = self._corrector(reader)
            for cand in _closest_first(corrector, word):
                if cand == word or compiler.analyze(cand) == stems:
                    continue  # the same word, or one that finds the same (its stem)
                if df and reader.doc_frequency("spell", cand) < RARE_RATIO * df:
                    continue
                cq = compiler.text_query(cand, node.field)
                if cq is None:
                    continue
                matching = searcher.docs_for_query(cq)
                if any(True for d in matching if allowed is None or allowed[d]):
                    replacements.append((node.start, node.end, cand))
                    break
        if not replacements:
            return None
        out = query
        for start, end, cand in sorted(replacements, reverse=True):
            out = out[:start] + cand + out[end:]
        return out

    def _corrector(self, reader: Any) -> Any:
        """The « did you mean » corrector of ``reader``'s ``spell`` field: Whoosh's own, its
        words looked up in sorted lists in memory (:class:`_SpellCorrector`) rather than in
        the segments' term files, a binary search of reads on disk per step of the
        Levenshtein automaton; Whoosh's as it is the first time a segment is needed, and past
        SPELL_WORDS words in all."""
        leaves = [leaf for leaf, _offset in reader.leaf_readers()]
        if not leaves or not all(isinstance(leaf, SegmentReader) for leaf in leaves):
            return reader.corrector("spell")
        # a segment's words are read the second time a suggestion needs them: reading them
        # (~3 µs a word) costs more than one suggestion from the disk, which a process that
        # searches once (`watcher search`) would pay for nothing
        unread = {_segment_key(leaf) for leaf in leaves} - self._spell_cache.keys()
        if unread - self._spell_asked:
            self._spell_asked |= unread
            return reader.corrector("spell")
        budget = SPELL_WORDS
        lists: list[list[str]] = []
        for leaf in leaves:
            words = self._spell_words(leaf, budget)
            if words is None:
                return reader.corrector("spell")
            budget -= len(words)
            lists.append(words)
        return _SpellCorrector(reader, lists, atomic=len(leaves) == 1 and reader is leaves[0])

    def _spell_words(self, leaf: Any, budget: int) -> list[str] | None:
        """A segment's ``spell`` words, sorted as its term file keeps them (segments are
        immutable: read once, kept by segment id); None past ``budget`` words."""
        key = _segment_key(leaf)
        if key in self._spell_cache:
            words = self._spell_cache[key]
            return None if words is None or len(words) > budget else words
        words = []
        for word in leaf.lexicon("spell"):
            if len(words) >= SPELL_WORDS:
                words = None
                break
            words.append(word.decode("utf-8"))
        self._spell_cache[key] = words
        return None if words is None or len(words) > budget else words

    @staticmethod
    def _other_letter(
        searcher: Searcher, node: Term, allowed: np.ndarray | None, compiler: _Compiler
    ) -> str | None:
        """A code article that finds nothing (`R. 221-18`) written with the letter under which
        its number finds the most (`L. 221-18`, L first at a tie), if one does."""
        article = _ARTICLE_TERM.fullmatch(node.text)
        if article is None:
            return None
        if compiler.analyze(node.text)[:1] != [_letter_word(article["letter"])]:
            return None  # no letter read (« l 221-18 »: the number alone)

        def visible(text: str) -> int:
            q = compiler.text_query(text, node.field)
            if q is None:
                return 0
            return sum(1 for d in searcher.docs_for_query(q) if allowed is None or allowed[d])

        if visible(node.text):
            return None
        best, most = None, 0
        for letter in _ARTICLE_LETTERS:
            if letter == article["letter"].replace(".", "").upper():
                continue
            rest = article["rest"].replace("*", "")  # (« LO 136-1 », without a dot)
            candidate = letter + (rest.lstrip(".") if letter == "LO" else rest)
            if compiler.analyze(candidate)[:1] != [_letter_word(letter)]:
                continue  # « A 221-18 » (a space alone) is no article: the number alone
            found = visible(candidate)
            if found > most:
                best, most = candidate, found
        return best


_ARTICLE_LETTERS = ("L", "R", "D", "A", "LO")  # the most cited first
_ARTICLE_TERM = re.compile(r"(?P<letter>(?i:L\.O|LO|[LRDA]))(?P<rest>(?:\.?\*)?\.?\s*\d+(?:-\d+)+)")


def _closest_first(corrector: Any, word: str) -> list[str]:
    """Known words one edit from ``word``, then two edits away; the most frequent first at each
    distance (whoosh3's ReaderCorrector ranks by frequency alone: its score uses ``maxdist``, not
    the word's distance)."""
    near = corrector.suggest(word, limit=5, maxdist=1, prefix=1)
    return near + [
        c for c in corrector.suggest(word, limit=5, maxdist=2, prefix=1) if c not in near
    ]


class _WordsCursor:
    """A cursor over a sorted list of words, as Whoosh's term cursor moves over a segment's
    words in its term file (``find``: to the first word at or after a word; ``text``: the
    word there, None past the last)."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.at = 0

    def text(self) -> str | None:
        return self.words[self.at] if self.at < len(self.words) else None

    def find(self, word: str) -> str | None:
        self.at = bisect_left(self.words, word)
        return self.text()


class _SpellCorrector(ReaderCorrector):
    """whoosh3's ``ReaderCorrector`` on the ``spell`` field, reading the words from sorted
    lists in memory (one per segment) instead of the term files, and finding the same words:
    a one-segment reader walks them with its Levenshtein automaton
    (``SegmentReader.terms_within``), a reader of several segments computes the distance of
    each word with the prefix (``IndexReader.terms_within``); frequencies are the reader's."""

    def __init__(self, reader: Any, lists: list[list[str]], *, atomic: bool) -> None:
        super().__init__(reader, "spell", reader.schema["spell"])
        self.lists = lists
        self.atomic = atomic

    def _within(self, text: str, maxdist: int, prefix: int) -> Iterator[str]:
        if self.atomic:
            dfa = Automata.levenshtein_dfa(text, maxdist, prefix)
            yield from Automata.find_matches(dfa, _WordsCursor(self.lists[0]))
            return
        start = text[:prefix]
        found: set[str] = set()
        for words in self.lists:
            at = bisect_left(words, start)
            while at < len(words) and words[at].startswith(start):
                found.add(words[at])
                at += 1
        for word in sorted(found):
            if distance(word, text, limit=maxdist) <= maxdist:
                yield word

    def _suggestions(self, text: str, maxdist: int, prefix: int) -> Iterator[tuple[float, str]]:
        freq = self.reader.frequency
        for sug in self._within(text, maxdist, prefix):
            f = freq("spell", sug) or 1
            yield (0 - (maxdist + (1.0 / f * 0.5)), sug)


def _best_first(docs: np.ndarray, scores: np.ndarray, count: int) -> np.ndarray:
    """Indexes of the ``count`` best of ``docs``: best score first, then the lower docnum
    (Whoosh's own order); only the candidates at or above the count-th score are sorted."""
    candidates = np.arange(len(docs))
    if len(docs) > 4 * count:
        floor = np.partition(scores, len(scores) - count)[len(scores) - count]
        candidates = np.flatnonzero(scores >= floor)  # ties at the floor included
    order = np.lexsort((docs[candidates], -scores[candidates]))
    return candidates[order][:count]


def _segment_key(leaf: Any) -> str:
    """A segment reader's cache key: its segment id (a reader without one: its identity)."""
    seg = leaf.segment()
    return seg.segment_id() if seg is not None else f"reader-{id(leaf)}"


def _clear_all(writer: Any, segments: list[Any]) -> list[Any]:
    return []


_ANALYSIS: Analysis | None = None


def _analysis() -> Analysis:
    """This process's analysers for bulk writing (their caches are kept between writes)."""
    global _ANALYSIS
    if _ANALYSIS is None:
        _ANALYSIS = Analysis(
            _french_analyzer(),
            _spell_analyzer(),
            {"title": WORDS, "text": WORDS, "title_pair": PAIRS, "text_pair": PAIRS,
             "spell": SPELL},
        )  # fmt: skip
    return _ANALYSIS


class _WriterStorage(FileStorage):
    """The index folder, for one writer: its temporary files go to a folder of its own
    (whoosh3 names every writer's "<index>.tmp", and a writer removes it when done, which
    would pull files from under a rebuild's other workers)."""

    def __init__(self, path: str, indexname: str) -> None:
        super().__init__(path)
        self.temp_name = f"{indexname}.tmp.{os.getpid()}.{random_name()}"

    def temp_storage(self, name: str | None = None) -> Any:
        return super().temp_storage(self.temp_name)


def _writing_index(path: Path, indexname: str) -> index.FileIndex:
    return index.FileIndex(_WriterStorage(str(path), indexname), indexname=indexname)


def _write_segment(path: Path, indexname: str, docs: Iterable[IndexDoc]) -> tuple[Any, int]:
    """Write ``docs`` as one new segment in the index at ``path`` (no lock taken, no
    commit: the caller holds the lock and commits it) with its columns saved beside it;
    returns the segment (None when ``docs`` is empty) and how many documents it holds."""
    writer = BulkWriter(_writing_index(path, indexname), _analysis(), on_segment=_save_columns,
                        _lk=False, codec=FlatCodec())  # fmt: skip
    count = 0
    try:
        for doc in docs:
            writer.add_document(**_doc_fields(doc))
            count += 1
        if not count:
            writer.cancel()
            return None, 0
        segment = writer._finalize_segment()
    except BaseException:
        writer.cancel()
        raise
    writer._finish()
    return segment, count


def _load_and_write_segment(
    path: str, indexname: str, load: Callable[[list[int]], Iterable[IndexDoc]], ids: list[int]
) -> tuple[Any, int]:
    """A rebuild worker's task (see SearchIndex.rebuild_from): its documents are read
    LOAD_DOCS at a time, so that the worker holds its segment's postings, not its texts."""
    docs = (doc for at in range(0, len(ids), LOAD_DOCS) for doc in load(ids[at : at + LOAD_DOCS]))
    return _write_segment(Path(path), indexname, docs)


def _read_columns(writer: BulkWriter, segment: Any) -> SegmentColumns:
    """Decode a segment's columns through a reader opened for it (and closed)."""
    reader = SegmentReader(writer.storage, writer.schema, as_flat(segment))
    try:
        return SegmentColumns.read(reader, FACET_FIELDS, _SEP)
    finally:
        reader.close()


def _save_columns(writer: BulkWriter, segment: Any) -> None:
    """Decode a new segment's columns and save them beside it, before it is committed (so
    that no search has to decode them)."""
    cols = _read_columns(writer, segment)
    cols.save(Path(writer.storage.folder) / f"{segment.segment_id()}{CACHE_SUFFIX}", _SEP)


def _window_ts(node: DateWindow, now: datetime) -> tuple[int | None, int | None]:
    """A date window as inclusive bounds in epoch seconds (None: open)."""
    start, end = node.bounds(now)
    return (
        math.floor(start.timestamp()) if start is not None else None,
        math.ceil(end.timestamp()) - 1 if end is not None else None,
    )


def _split_dates(ast: Node) -> tuple[list[DateWindow], Node]:
    """Date windows ANDed at the top level, and the rest of the query."""
    if isinstance(ast, DateWindow):
        return [ast], MatchAll()
    if isinstance(ast, And):
        windows = [c for c in ast.children if isinstance(c, DateWindow)]
        if windows:
            rest = [c for c in ast.children if not isinstance(c, DateWindow)]
            if not rest:
                return windows, MatchAll()
            return windows, rest[0] if len(rest) == 1 else And(tuple(rest))
    return [], ast


def _runnable(user_q: wq.Query | None) -> wq.Query:
    """The compiled query as Whoosh can run it: nothing = every document; a bare
    negation = every document but those."""
    if user_q is None:
        return wq.Every()
    if isinstance(user_q, wq.Not):
        return _AndNot(wq.Every(), user_q.query)
    return user_q


class _FixedAndNotMatcher(AndNotMatcher):
    """whoosh3 3.54.0's AndNotMatcher only checks its first document against the
    excluded list when both lists start on the same document, so "a -b" can
    return the first document of a that b contains (when b starts earlier).
    Regression test: test_exclusions_match_set_difference."""

    def _find_first(self) -> None:
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class _AndNot(wq.AndNot):
    """``a`` minus ``b`` with the fixed matcher (faster than And + inverse Not)."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        scored = self.a.matcher(searcher, context)
        excluded = self.b.matcher(searcher, searcher.boolean_context())
        return _FixedAndNotMatcher(scored, excluded)


class _Compiler:
    """AST → Whoosh query; also collects highlight terms and whether text scoring applies."""

    def __init__(
        self,
        schema: Schema,
        now: datetime,
        resolve_ref: Callable[[str], list[str]] | None,
        groups: Collection[str] | None = None,
        names: Names | None = None,
    ) -> None:
        self.analyzer: Any = schema["title"].analyzer
        self.keys_named: dict[str, dict[str, set[str]]] = {}  # field → label's key → keys
        for fieldname, labels in (names or {}).items():
            for key, label in labels.items():
                named = self.keys_named.setdefault(fieldname, {})
                for name in (label,) if isinstance(label, str) else label:
                    named.setdefault(name_key(name), set()).add(name_key(key))
        self.groups = groups
        self.now = now
        self.resolve_ref = resolve_ref
        self.title_terms: set[str] = set()
        self.text_terms: set[str] = set()
        self.title_phrases: set[tuple[str, ...]] = set()
        self.text_phrases: set[tuple[str, ...]] = set()
        self.scored = False
        self._positive: set[int] = set()

    def analyze(self, text: str) -> list[str]:
        return [t.text for t in self.analyzer(text, mode="query")]

    def compile(self, node: Node) -> wq.Query | None:
        self._positive = {id(n) for n in positive_text_nodes(node)}
        return self._compile(node)

    def text_query(self, text: str, fieldname: str | None) -> wq.Query | None:
        words = self.analyze(text)
        if not words:
            return None
        fields = [("title", TITLE_BOOST)] if fieldname == "title" else [
            ("title", TITLE_BOOST), ("text", 1.0)]  # fmt: skip
        subs: list[wq.Query] = []
        for fname, boost in fields:
            if len(words) == 1:
                subs.append(wq.Term(fname, words[0], boost=boost))
            else:
                subs.append(wq.Phrase(fname, words, slop=1, boost=boost))
        return subs[0] if len(subs) == 1 else wq.Or(subs)

    def _compile(self, node: Node) -> wq.Query | None:
        if isinstance(node, Term | Phrase):
            q = self.text_query(node.text, node.field)
            if q is not None and id(node) in self._positive:
                self.scored = True
                words = self.analyze(node.text)
                # a phrase (« "L. 221-18" », « L221-18 ») is highlighted where it occurs whole,
                # not each of its words wherever it is (« 221 » of « L. 221-28 »)
                targets = [(self.title_terms, self.title_phrases)]
                if node.field is None:
                    targets.append((self.text_terms, self.text_phrases))
                for word_set, phrase_set in targets:
                    if len(words) == 1:
                        word_set.update(words)
                    else:
                        phrase_set.add(tuple(words))
            return q
        if isinstance(node, FieldMatch):
            return self._field(node)
        if isinstance(node, DateWindow):
            lo, hi = _window_ts(node, self.now)
            return wq.NumericRange("date", lo, hi, constantscore=True)
        if isinstance(node, And | Or):
            subs = [q for q in (self._compile(c) for c in node.children) if q is not None]
            if not subs:
                return None
            if len(subs) == 1:
                return subs[0]
            if isinstance(node, Or):
                return wq.Or(subs)  # an Or handles its Not children (inverse matcher)
            positives = [q for q in subs if not isinstance(q, wq.Not)]
            negatives = [q.query for q in subs if isinstance(q, wq.Not)]
            if not negatives:
                return wq.And(subs)
            if not positives:
                base: wq.Query = wq.Every()
            else:
                base = positives[0] if len(positives) == 1 else wq.And(positives)
            return _AndNot(base, negatives[0] if len(negatives) == 1 else wq.Or(negatives))
        if isinstance(node, Not):
            inner = self._compile(node.child)
            return None if inner is None else wq.Not(inner)
        if isinstance(node, MatchAll):
            return None
        raise TypeError(f"unknown query node {node!r}")  # pragma: no cover

    def _status(self, value: str) -> wq.Query:
        """The items the groups searched (any group, for a search of every group) gave this
        curation status."""
        status = _status_of(value)
        if status == "unsorted":  # neither retained nor rejected (by the groups searched)
            sorted_ = wq.Or([self._status("retained"), self._status("rejected")])
            return wq.AndNot(wq.Every(), sorted_)
        if self.groups is None:
            return wq.Term("status", status)
        terms: list[wq.Query] = [wq.Term("status", f"{g}:{status}") for g in sorted(self.groups)]
        if not terms:  # no group: nothing is curated
            return wq.Term("status", "")
        return terms[0] if len(terms) == 1 else wq.Or(terms)

    def _field(self, node: FieldMatch) -> wq.Query:
        value = node.value
        if node.field == "status":
            return self._status(value)
        if node.field != "ref":
            written = name_key(value)  # a key, or a label of keys (`names`)
            named = self.keys_named.get(node.field, {}).get(written, set())
            terms = [wq.Term(node.field, k) for k in sorted({written, *named})]
            return terms[0] if len(terms) == 1 else wq.Or(terms)
        if "#" in value and _looks_canonical(value.split("#", 1)[0]):
            # « fr:loi:2014-344#art-12 »: the items citing that article of the act
            return wq.Term("ref_alias", alias_key(value))
        subs: list[wq.Query] = [wq.Term("ref", name_key(value))]
        akey = alias_key(value)
        if akey:
            subs.append(wq.Term("ref_alias", akey))
        if self.resolve_ref is not None and not _looks_canonical(value):
            try:
                keys = self.resolve_ref(value)
            except (ValueError, LookupError):
                log.warning("resolve_ref failed for %r", value, exc_info=True)
                keys = []
            subs.extend(wq.Term("ref", name_key(k)) for k in keys if name_key(k))
        else:
            keys = []
        # a code (« code de la consommation », fr:code:consommation): all its articles, which
        # items are indexed by (fr:code:consommation:l221-18); an article's key, with or without
        # the star of an article decreed in Conseil des ministres (fr:code:…:r*111-19-18)
        for key in {name_key(k) for k in (value, *keys)}:
            if _CODE_KEY.fullmatch(key):
                subs.append(wq.Prefix("ref", f"{key}:"))
            elif found := _CODE_ARTICLE_KEY.fullmatch(key):
                subs.append(
                    _article_query(re.escape(found["code"]), found["letter"], found["number"])
                )
        # an article without its code, as users write it (L221-18, L. 221-18, R*111-19-18):
        # in any code, under its letter
        article = _CODE_ARTICLE.fullmatch(value.strip())
        if article:
            subs.append(_article_query("[^:]+", article["letter"], article["number"]))
        return subs[0] if len(subs) == 1 else wq.Or(subs)


_CODE_KEY = re.compile(r"fr:code:[a-z0-9_-]+")
_CODE_ARTICLE = re.compile(
    r"(?i)(?:art(?:icle|\.)?\s*)?(?P<letter>L\.O|LO|[LRDA])(?:\.?\*)?\.?\s*"
    r"(?P<number>\d+(?:-\d+)*)"
)
_CODE_ARTICLE_KEY = re.compile(
    r"fr:code:(?P<code>[a-z0-9_-]+):(?P<letter>lo|[lrda])\*?(?P<number>\d+(?:-\d+)*)"
)


def _article_query(code: str, letter: str, number: str) -> wq.Query:
    """The ``ref`` keys of an article of the codes whose slug ``code`` (a regular expression)
    matches, its star (« R*111-19-18 ») or not."""
    letter = letter.replace(".", "").lower()
    return wq.Regex("ref", rf"fr:code:{code}:{letter}\*?{re.escape(number)}$")


def _status_of(value: str) -> str:
    """A curation status as written (« retenu », « rejeté », « à-trier », « retained »…): its
    key (watcher.labels.CURATION_STATUSES)."""
    status = status_key(value)
    if status is None:
        raise QueryError(
            f"statut inconnu : « {value} ». Écrivez statut:retenu, statut:rejete ou "
            "statut:a-trier (les articles que le groupe a retenus, rejetés, ou pas encore triés)"
        )
    return status


def _looks_canonical(value: str) -> bool:
    parts = value.split(":")
    return len(parts) >= 3 and all(parts) and parts[0].isalpha() and len(parts[0]) <= 5
