"""Full-text index of the watch items (Whoosh) — the only module that imports whoosh.

The index is *derived* data: the store is the source of truth, and the caller
re-indexes whatever :meth:`SearchIndex.indexed_ids` says is missing or stale.
Whoosh may lose its last commit on a crash; that heals on the next reconcile.

Design (see docs/search.md):

* French analysis: ``RegexTokenizer | LowercaseFilter | StopFilter(fr + "les", …)
  | StemFilter(fr) | CharsetFilter(accent_map)`` on ``title`` and ``text``.
  Keyword-like fields (axis, source, topic, entity, ref, groups, lang) are
  indexed as pre-folded exact terms and are never default search fields.
* Facets come from per-document columns (``f_*``) that are decoded once per
  segment and cached; counting over the whole result set is then a
  ``Counter.update`` over cached tuples.
* One long-lived searcher, brought up to date before each search (our own
  refresh: whoosh3 3.54.0's ``Searcher.refresh()`` resurrects deleted documents
  and merged segments); a lock serialises searches because Whoosh searchers are
  not thread-safe. Readers take no index lock, so searching goes on while a
  writer (this process or another) commits.
* Group scoping and top-level date windows are applied as docnum sets (group
  sets cached per index generation; dates read from a cached column), not as
  query clauses; nested date windows compile to ``NumericRange``.
* Exclusions (``a -b``) use a fixed ``AndNotMatcher``: whoosh3 3.54.0's lets the
  first document of ``a`` through when ``b`` starts on an earlier document.
* Writers: ``ix.writer(timeout=60, delay=0.25)``, batches committed with no
  merge of existing segments (only tiny segments are merged once there are many);
  :meth:`SearchIndex.optimize` merges everything (maintenance).
* Snippets are highlighted from a zlib-compressed copy of the summary and the
  head of the text (``SNIPPET_SOURCE_CHARS``), stored per document and only
  loaded for the hits of the requested page.
"""

from __future__ import annotations

import heapq
import html
import logging
import math
import threading
import zlib
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import Any

from whoosh import collectors, highlight, index
from whoosh import query as wq
from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.index import LockError
from whoosh.lang import stopwords_for_language
from whoosh.matching import AndNotMatcher
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher
from whoosh.support.charset import accent_map

from watcher.query import (
    And,
    DateWindow,
    FieldMatch,
    MatchAll,
    Node,
    Not,
    Or,
    Phrase,
    QueryError,
    Term,
    fold,
    parse_query,
    positive_text_nodes,
)

__all__ = [
    "FACET_FIELDS",
    "Hit",
    "IndexBusyError",
    "IndexDoc",
    "QueryError",
    "SearchIndex",
    "SearchResults",
]

log = logging.getLogger(__name__)

SCHEMA_VERSION = "2"
FACET_FIELDS: tuple[str, ...] = ("axis", "source", "topic", "entity", "ref")
BATCH_SIZE = 500
WRITER_TIMEOUT = 60.0
SNIPPET_SOURCE_CHARS = 20_000
SNIPPET_CHUNK_CHARS = 2_000
SNIPPET_FRAGMENTS = 2
SNIPPET_FALLBACK_CHARS = 240
TITLE_BOOST = 2.0
MAX_LIMIT = 100
RARE_DF = 2  # a word in at most this many documents is "rare" (see suggestion)
RARE_RATIO = 10  # a rare word is corrected only to a word this many times more frequent
TINY_SEGMENT_DOCS = 5_000
MAX_SEGMENTS = 12
_SEP = "\x1f"
_ACCENT_TABLE: dict[int, str] = {int(k): v for k, v in accent_map.items()}  # CharsetFilter map

_STOPWORDS = frozenset(stopwords_for_language("fr")) | {
    "les",
    "jusqu",
    "lorsqu",
    "puisqu",
    "quoiqu",
}


def _french_analyzer() -> Analyzer:
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | StopFilter(stoplist=_STOPWORDS)
        | StemFilter(lang="fr")
        | CharsetFilter(accent_map)
    )


def _spell_analyzer() -> Analyzer:
    # unstemmed, folded words of 3+ letters, no digits: the "did you mean" dictionary
    return (
        RegexTokenizer(r"[^\W\d_]{3,}")
        | LowercaseFilter()
        | StopFilter(stoplist=_STOPWORDS, minsize=3)
        | CharsetFilter(accent_map)
    )


def _build_schema() -> Schema:
    fr = _french_analyzer()
    return Schema(
        item_id=NUMERIC(int, bits=64, signed=False, stored=True, unique=True, sortable=True),
        title=TEXT(analyzer=fr, stored=True, phrase=True),
        text=TEXT(analyzer=fr, stored=False, phrase=True),
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
        f_axis=COLUMN(VarBytesColumn()),
        f_source=COLUMN(VarBytesColumn()),
        f_topic=COLUMN(VarBytesColumn()),
        f_entity=COLUMN(VarBytesColumn()),
        f_ref=COLUMN(VarBytesColumn()),
    )


# --------------------------------------------------------------------- data types


class IndexBusyError(RuntimeError):
    """Another writer held the index lock for longer than the writer timeout (60 s)."""


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
    folded = fold(value).replace("n°", " ").replace("nº", " ")
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


def _keys(values: Iterable[str], norm: Callable[[str], str] = fold) -> list[str]:
    return sorted({k for k in (norm(v) for v in values) if k})


def _doc_fields(doc: IndexDoc) -> dict[str, Any]:
    body = "\n\n".join(p for p in (doc.summary.strip(), doc.text.strip()) if p)
    date = doc.published if doc.published is not None else doc.fetched
    return {
        "item_id": doc.item_id,
        "title": doc.title,
        "text": body,
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


def _snippet(body: str, terms: Collection[str], analyzer: Any) -> str:
    """Up to SNIPPET_FRAGMENTS highlighted fragments, scanning ``body`` chunk by chunk
    so that an early match does not pay for analysing the whole text."""
    termset = frozenset(terms)
    # cheap pre-check: a chunk is analysed only if a (shortened) stem occurs in its
    # folded text; stems are nearly always prefixes of the words they come from
    probes = {t[: max(3, len(t) - 2)] for t in termset}
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
        folded = chunk.lower().translate(_ACCENT_TABLE)
        if not any(p in folded for p in probes):
            continue
        tokens = analyzer(chunk, chars=True, mode="query", removestops=False)
        tokens = highlight.set_matched_filter(tokens, termset)
        fragments = fragmenter.fragment_tokens(chunk, tokens)
        found.extend(
            highlight.top_fragments(
                fragments,
                SNIPPET_FRAGMENTS - len(found),
                highlight.BasicFragmentScorer(),
                highlight.FIRST,
                minscore=1,
            )
        )
    return _MarkFormatter().format(found) if found else ""


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


def _merge_tiny(writer: Any, segments: list[Any]) -> list[Any]:
    """Merge policy for routine commits: leave segments alone unless there are many,
    then merge only the tiny ones (bounded cost; big merges wait for optimize())."""
    if len(segments) <= MAX_SEGMENTS:
        return segments
    tiny = [s for s in segments if s.doc_count_all() <= TINY_SEGMENT_DOCS]
    if len(tiny) < 2:
        return segments
    for seg in tiny:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in tiny]


# ----------------------------------------------------------------------- index


class SearchIndex:
    """The Whoosh index under ``path``: upserts, deletes and searches."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._column_cache: dict[tuple[str, str], list[Any]] = {}
        self._ix = self._open_or_create()
        self._searcher: Searcher | None = None
        self._generation = -2
        self._visible_cache: dict[frozenset[str], set[int]] = {}
        self._visible_generation = -2

    # -- opening ------------------------------------------------------------

    def _open_or_create(self) -> index.FileIndex:
        self.path.mkdir(parents=True, exist_ok=True)
        marker = self.path / "WATCHER_SCHEMA"
        version = marker.read_text().strip() if marker.exists() else None
        if index.exists_in(str(self.path)) and version == SCHEMA_VERSION:
            try:
                return index.open_dir(str(self.path))
            except Exception:  # a damaged index is rebuilt from the store
                log.exception("index at %s unreadable; recreating it empty", self.path)
        elif index.exists_in(str(self.path)):
            log.warning("index at %s has schema %r, not %r; recreating it empty",
                        self.path, version, SCHEMA_VERSION)  # fmt: skip
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
            for seg in toc.segments:
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
        for key in [k for k in self._column_cache if k[0] not in live]:
            del self._column_cache[key]  # segments merged away
        return Searcher(reader, fromindex=self._ix), int(toc.generation)

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._column_cache.clear()
            self._ix.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ------------------------------------------------------------

    def _writer(self) -> Any:
        try:
            return self._ix.writer(timeout=WRITER_TIMEOUT, delay=0.25, limitmb=128)
        except LockError:
            raise IndexBusyError(
                f"index {self.path} is locked by another writer (waited {WRITER_TIMEOUT} s)"
            ) from None

    def add(self, docs: Iterable[IndexDoc], *, batch_size: int = BATCH_SIZE) -> int:
        """Upsert documents by ``item_id``, committing every ``batch_size`` documents.

        Returns how many documents were written. For a full rebuild, pass a larger
        ``batch_size`` (e.g. 5000) and call :meth:`optimize` afterwards.
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
            searcher = writer.searcher()
            for fields in prepared:
                writer.delete_by_term("item_id", fields["item_id"], searcher=searcher)
            for fields in prepared:
                writer.add_document(**fields)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=_merge_tiny)
        return len(prepared)

    def delete(self, item_ids: Iterable[int]) -> int:
        """Delete documents by ``item_id``; returns how many were in the index."""
        ids = sorted(set(item_ids))
        if not ids:
            return 0
        writer = self._writer()
        try:
            searcher = writer.searcher()
            count = sum(writer.delete_by_term("item_id", i, searcher=searcher) for i in ids)
        except BaseException:
            writer.cancel()
            raise
        if count:
            writer.commit(mergetype=_merge_tiny)
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
                col = self._segment_column(leaf, "item_id")
                if leaf.has_deletions():
                    ids.update(col[d] for d in leaf.all_doc_ids())
                else:
                    ids.update(col)
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
        facet_limit: int | None = 20,
        collapse: bool = True,
    ) -> SearchResults:
        """Run a query in the Watcher language (see watcher.query).

        With ``collapse`` (the default), a near-duplicate cluster counts once: its earliest
        document stands for it in hits, totals and facets.

        ``groups=None`` searches everything; otherwise only documents of those
        groups are visible (hits, totals, facets and suggestions alike); a
        document without any group is only visible with ``groups=None``.
        Raises QueryError for a malformed query.
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
            compiler = _Compiler(searcher.schema, now, resolve_ref)
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
            start = (page - 1) * limit
            # every matching docnum, ascending: for the total, the facets and date sorting;
            # a relevance search scores them in the same single pass over the postings
            docs: list[int]
            scores: dict[int, float] = {}
            if not by_date:
                scores = self._all_scores(searcher, final_q, allowed)
                docs = sorted(scores)
            elif allowed is None:
                docs = sorted(searcher.docs_for_query(final_q))
            elif user_q is None:
                docs = sorted(allowed)
            else:
                docs = sorted(filter(allowed.__contains__, searcher.docs_for_query(final_q)))
            if collapse and docs:
                docs = self._one_per_cluster(searcher, docs)
            total = len(docs)
            top: list[tuple[int, float | None]]
            if not docs or start >= total:
                top = []
            elif by_date:
                top = [(d, None) for d in self._top_by_date(searcher, docs, start + limit)]
                top = top[start:]
            else:
                # best score first, then the lower docnum (Whoosh's own order)
                best = heapq.nsmallest(start + limit, docs, key=lambda d: (-scores[d], d))
                top = [(d, scores[d]) for d in best[start:]]
            pages = math.ceil(total / limit) if total else 0
            hits = [self._hit(searcher, docnum, score, compiler) for docnum, score in top]
            facet_counts: dict[str, list[tuple[str, int]]] = {}
            if facets:
                facet_counts = self._facets(searcher, docs, facet_limit)
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

    def _visible(self, searcher: Searcher, groups: Collection[str] | None) -> set[int] | None:
        """Docnums visible to ``groups`` (None: no restriction), cached per generation."""
        if groups is None:
            return None
        keys = frozenset(g.strip() for g in groups if g.strip())
        if self._visible_generation != self._generation:
            self._visible_cache.clear()
            self._visible_generation = self._generation
        visible = self._visible_cache.get(keys)
        if visible is None:
            group_q = wq.Or([wq.Term("groups", g) for g in sorted(keys)])
            visible = set(searcher.docs_for_query(group_q)) if keys else set()
            if len(self._visible_cache) >= 8:
                self._visible_cache.clear()
            self._visible_cache[keys] = visible
        return visible

    def _in_window(
        self, searcher: Searcher, bounds: list[tuple[int | None, int | None]]
    ) -> set[int]:
        """Live docnums whose date lies in every one of ``bounds`` (inclusive)."""
        lo = max((b[0] for b in bounds if b[0] is not None), default=None)
        hi = min((b[1] for b in bounds if b[1] is not None), default=None)
        lo_v = lo if lo is not None else -(2**63)
        hi_v = hi if hi is not None else 2**63
        out: set[int] = set()
        if lo_v > hi_v:
            return out
        leaves: list[tuple[Any, int]] = searcher.reader().leaf_readers()
        for leaf, offset in leaves:
            if leaf.doc_count_all() == 0:
                continue
            keys = self._segment_column(leaf, "sortkey")
            hits = [offset + i for i, (ts, _id) in enumerate(keys) if lo_v <= ts <= hi_v]
            if leaf.has_deletions():
                deleted = leaf.deleted_docs_set  # a cached property
                hits = [d for d in hits if d - offset not in deleted]
            out.update(hits)
        return out

    def _hit(self, searcher: Searcher, docnum: int, score: float | None,
             compiler: _Compiler) -> Hit:  # fmt: skip
        stored = searcher.reader().stored_fields(docnum)
        title = str(stored.get("title", ""))
        body_z = stored.get("body_z")
        body = zlib.decompress(body_z).decode("utf-8") if body_z else ""
        title_html = ""
        if compiler.title_terms and title:
            title_html = highlight.highlight(
                title,
                compiler.title_terms,
                compiler.analyzer,
                highlight.WholeFragmenter(),
                _MarkFormatter(),
                top=1,
            )
        snippet_html = ""
        if compiler.text_terms and body:
            snippet_html = _snippet(body, compiler.text_terms, compiler.analyzer)
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

    # -- facets -------------------------------------------------------------

    def _segment_column(self, leaf: Any, name: str) -> list[Any]:
        """A column of one segment, decoded once and cached (segments are immutable)."""
        seg = leaf.segment()
        key = (seg.segment_id() if seg is not None else f"reader-{id(leaf)}", name)
        cached = self._column_cache.get(key)
        if cached is None:
            if name in ("item_id", "cluster"):
                cached = list(leaf.column_reader(name))
            elif name == "sortkey":
                dates = leaf.column_reader("date")
                item_ids = leaf.column_reader("item_id")
                cached = list(zip(dates, item_ids, strict=True))
            else:
                interned: dict[bytes, tuple[str, ...]] = {b"": ()}
                cached = []
                for raw in leaf.column_reader("f_" + name):
                    vals = interned.get(raw)
                    if vals is None:
                        vals = interned[raw] = tuple(raw.decode("utf-8").split(_SEP))
                    cached.append(vals)
            self._column_cache[key] = cached
        return cached

    def _by_segment(
        self, searcher: Searcher, docs: list[int]
    ) -> Iterator[tuple[Any, int, list[int]]]:
        """(segment reader, offset, local docnums) for the sorted global docnums ``docs``."""
        for leaf, offset in searcher.reader().leaf_readers():
            lo = bisect_left(docs, offset)
            hi = bisect_left(docs, offset + leaf.doc_count_all())
            if lo < hi:
                yield leaf, offset, [d - offset for d in docs[lo:hi]]

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

    def _one_per_cluster(self, searcher: Searcher, docs: list[int]) -> list[int]:
        """Of each near-duplicate cluster, keep its earliest document (the original release);
        the caller lists the other sources of the cluster from the store."""
        first: dict[int, tuple[tuple[int, int], int]] = {}
        for leaf, offset, local in self._by_segment(searcher, docs):
            clusters = self._segment_column(leaf, "cluster")
            keys = self._segment_column(leaf, "sortkey")
            for d in local:
                candidate = (keys[d], d + offset)
                known = first.get(clusters[d])
                if known is None or candidate < known:
                    first[clusters[d]] = candidate
        return sorted(docnum for _key, docnum in first.values())

    def _top_by_date(self, searcher: Searcher, docs: list[int], k: int) -> list[int]:
        """The ``k`` newest of ``docs`` (ties: highest item_id first)."""
        best: list[tuple[tuple[int, int], int]] = []
        for leaf, offset, local in self._by_segment(searcher, docs):
            keys = self._segment_column(leaf, "sortkey")
            pairs = zip(map(keys.__getitem__, local), [d + offset for d in local], strict=True)
            best = heapq.nlargest(k, chain(best, pairs))
        return [docnum for _key, docnum in best]

    def _facets(
        self, searcher: Searcher, docs: list[int], facet_limit: int | None
    ) -> dict[str, list[tuple[str, int]]]:
        counters = {f: Counter[str]() for f in FACET_FIELDS}
        for leaf, _offset, local in self._by_segment(searcher, docs):
            for fname, counter in counters.items():
                values = self._segment_column(leaf, fname)
                counter.update(chain.from_iterable(map(values.__getitem__, local)))
        out: dict[str, list[tuple[str, int]]] = {}
        for fname, counter in counters.items():
            ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0].casefold(), kv[0]))
            out[fname] = ranked if facet_limit is None else ranked[:facet_limit]
        return out

    # -- did you mean -------------------------------------------------------

    def _suggest(
        self,
        searcher: Searcher,
        query: str,
        ast: Node,
        allowed: set[int] | None,
        compiler: _Compiler,
    ) -> str | None:
        spell_field = searcher.schema["spell"]
        reader = searcher.reader()
        corrector: Any = None
        replacements: list[tuple[int, int, str]] = []
        for node in positive_text_nodes(ast):
            if not isinstance(node, Term) or node.end <= node.start:
                continue
            words = list(spell_field.process_text(node.text, mode="query"))
            if len(words) != 1 or words[0] != fold(node.text):
                continue  # only plain single words are corrected
            word = words[0]
            df = reader.doc_frequency("spell", word)
            if df > RARE_DF:
                continue
            if corrector is None:
                corrector = reader.corrector("spell")
            for cand in corrector.suggest(word, limit=5, maxdist=2, prefix=1):
                if cand == word:
                    continue
                if df and reader.doc_frequency("spell", cand) < RARE_RATIO * df:
                    continue
                cq = compiler.text_query(cand, node.field)
                if cq is None:
                    continue
                matching = searcher.docs_for_query(cq)
                if any(True for d in matching if allowed is None or d in allowed):
                    replacements.append((node.start, node.end, cand))
                    break
        if not replacements:
            return None
        out = query
        for start, end, cand in sorted(replacements, reverse=True):
            out = out[:start] + cand + out[end:]
        return out


def _clear_all(writer: Any, segments: list[Any]) -> list[Any]:
    return []


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
    ) -> None:
        self.analyzer: Any = schema["title"].analyzer
        self.now = now
        self.resolve_ref = resolve_ref
        self.title_terms: set[str] = set()
        self.text_terms: set[str] = set()
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
                self.title_terms.update(words)
                if node.field is None:
                    self.text_terms.update(words)
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

    def _field(self, node: FieldMatch) -> wq.Query:
        value = node.value
        if node.field != "ref":
            return wq.Term(node.field, fold(value))
        subs: list[wq.Query] = [wq.Term("ref", fold(value))]
        akey = alias_key(value)
        if akey:
            subs.append(wq.Term("ref_alias", akey))
        if self.resolve_ref is not None and not _looks_canonical(value):
            try:
                keys = self.resolve_ref(value)
            except (ValueError, LookupError):
                log.warning("resolve_ref failed for %r", value, exc_info=True)
                keys = []
            subs.extend(wq.Term("ref", fold(k)) for k in keys if fold(k))
        return subs[0] if len(subs) == 1 else wq.Or(subs)


def _looks_canonical(value: str) -> bool:
    parts = value.split(":")
    return len(parts) >= 3 and all(parts) and parts[0].isalpha() and len(parts[0]) <= 5
