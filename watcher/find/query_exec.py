"""Evaluate a compiled Whoosh query over whole posting lists at once, with numpy.

Whoosh walks its matcher tree one posting at a time in pure Python, which made a search
of a 30k-item watch take up to 0.4 s. The queries ``watcher.find.index`` compiles only use a
handful of node types (terms, phrases, And, Or, AndNot, Every, numeric ranges), so this
module reads each term's postings block by block (flat arrays, see
``watcher.find.index_codec``), and does the set algebra and the BM25F scoring on arrays.
Scores are Whoosh's own (same formula, same global statistics, same boosts; a phrase
scores as the sum of its words);
``tests/test_query_exec.py`` checks documents and scores against Whoosh's matchers.

Anything else raises :class:`Unsupported`, and the caller falls back to Whoosh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import accumulate, pairwise
from pickle import loads
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.query.positional import Phrase as _Phrase
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from watcher.find.index_codec import FlatLeafMatcher

__all__ = ["LENGTHS", "Evaluator", "Unsupported"]

# Whoosh's one-byte field lengths, decoded (byte 0: the document has no such field, so never
# one that a term of the field matches)
LENGTHS = np.array([max(1, byte_to_length(b)) for b in range(256)], dtype=np.float64)

_EMPTY_IDS = np.empty(0, dtype=np.int64)
_EMPTY_SCORES = np.empty(0, dtype=np.float64)
_INT_SIZE = 4  # whoosh.formats: a position list is a 4-byte count, then pickled deltas

# (docnums, scores): docnums sorted and unique; scores aligned, or None (boolean context)
Result = tuple[np.ndarray, np.ndarray | None]


class Unsupported(Exception):
    """The query has a node this evaluator does not handle; run it with Whoosh."""


class Postings:
    """One term's postings in one segment: docnums, term frequencies, and (when asked
    for) the raw position values."""

    __slots__ = ("ids", "values", "weights")

    def __init__(self, ids: np.ndarray, weights: np.ndarray, values: list[bytes] | None) -> None:
        self.ids = ids
        self.weights = weights
        self.values = values

    def select(self, keep: np.ndarray) -> Postings:
        values = self.values
        if values is not None:
            values = [values[i] for i in np.flatnonzero(keep).tolist()]
        return Postings(self.ids[keep], self.weights[keep], values)


def positions(raw: bytes) -> Iterator[int]:
    """The positions of one posting (whoosh.formats.Positions: a 4-byte count, then the
    pickled list of deltas)."""
    body = raw[_INT_SIZE:]
    return accumulate(loads(body if body.endswith(b".") else body + b"."))


def read_postings(
    leaf: Any, fieldname: str, btext: bytes, *, values: bool, only: np.ndarray | None = None
) -> Postings:
    """The postings of a term in segment ``leaf`` (deleted documents included); with
    ``only`` (sorted docnums), blocks holding none of them are skipped unread."""
    nothing = Postings(_EMPTY_IDS, _EMPTY_SCORES, [] if values else None)
    if not leaf.doc_count_all():  # no segment: Whoosh's EmptyReader has no term table
        return nothing
    fmt = leaf.schema[fieldname].format
    try:  # whoosh3 private: the segment's term table, for a matcher without deletion filter
        m: Any = leaf._terms.matcher(fieldname, btext, fmt, scorer=None)
    except TermNotFound:
        return nothing
    id_parts: list[np.ndarray] = []
    weight_parts: list[np.ndarray] = []
    value_parts: list[bytes] = []
    if isinstance(m, FlatLeafMatcher):  # blocks of watcher.find.index_codec
        below: Any = -1  # every id of the current block is above this
        while m.is_active():
            top: Any = m._maxid
            if only is not None:
                first = int(np.searchsorted(only, below, side="right"))
                if first == len(only):
                    break
                if only[first] > top:
                    below = top
                    m._next_block()
                    continue
            below = top
            ids, weights, at = m.block_arrays()
            id_parts.append(ids)
            weight_parts.append(weights)
            if values:
                value_parts.extend(m.block_values(at) or ())
            m._next_block()
    else:  # inlined postings of a rare term, or a segment of another codec
        ids_: list[int] = []
        weights_: list[float] = []
        while m.is_active():
            ids_.append(m.id())
            weights_.append(m.weight())
            if values:
                value_parts.append(m.value())
            m.next()
        id_parts.append(np.asarray(ids_, dtype=np.int64))
        weight_parts.append(np.asarray(weights_, dtype=np.float64))
    if not id_parts:
        return Postings(_EMPTY_IDS, _EMPTY_SCORES, [] if values else None)
    return Postings(
        np.concatenate(id_parts), np.concatenate(weight_parts), value_parts if values else None
    )


class Evaluator:
    """Evaluates queries for one searcher; ``lengths(leaf, field)`` gives a segment's
    per-document field lengths as Whoosh stores them, one byte each (cached by the caller,
    segments being immutable; decoded with :data:`LENGTHS`), and ``dates(leaf)`` its
    per-document ``date`` values."""

    def __init__(
        self,
        searcher: Any,
        lengths: Callable[[Any, str], np.ndarray],
        dates: Callable[[Any], np.ndarray],
    ) -> None:
        weighting = searcher.weighting
        if type(weighting) is not BM25F or weighting._field_B:
            raise Unsupported(f"weighting {weighting!r}")
        self.searcher = searcher
        self.schema = searcher.schema
        self.B = weighting.B
        self.K1 = weighting.K1
        self._lengths = lengths
        self._dates = dates
        self._leaf: Any = None  # the segment being evaluated
        self._keep: Any = None  # its live and allowed documents (a boolean mask)

    # -- entry point ---------------------------------------------------------

    def run(self, q: wq.Query, *, scored: bool, allowed: np.ndarray | None = None) -> Result:
        """Global docnums of the live documents matching ``q`` (sorted) and, when
        ``scored``, their scores. ``allowed``: a boolean mask over global docnums."""
        self._check(q, scored)
        id_parts: list[np.ndarray] = []
        score_parts: list[np.ndarray] = []
        for leaf, offset in self.searcher.reader().leaf_readers():
            count = leaf.doc_count_all()
            if count == 0:
                continue
            keep = (
                np.ones(count, dtype=bool) if allowed is None else allowed[offset : offset + count]
            )
            if leaf.has_deletions():
                keep = keep.copy()
                keep[np.fromiter(leaf.deleted_docs_set, dtype=np.int64)] = False
            if not keep.any():
                continue
            self._leaf, self._keep = leaf, keep
            ids, scores = self._eval(q, scored)
            id_parts.append(ids + offset)
            if scores is not None:
                score_parts.append(scores)
        self._leaf = self._keep = None
        ids = np.concatenate(id_parts) if id_parts else _EMPTY_IDS
        if not scored:
            return ids, None
        return ids, np.concatenate(score_parts) if score_parts else _EMPTY_SCORES

    def _check(self, q: wq.Query, scored: bool) -> None:
        if isinstance(q, wq.Term | _Phrase):
            if q.fieldname not in self.schema:
                raise Unsupported(f"unknown field {q.fieldname!r}")
            if isinstance(q, _Phrase) and (q.slop != 1 or not q.words):
                raise Unsupported("phrase slop")
            return
        if isinstance(q, wq.NumericRange):
            if q.fieldname != "date" or not q.constantscore:
                raise Unsupported("range")
            return
        if isinstance(q, wq.Every):
            if scored:
                raise Unsupported("scored Every")
            return
        if isinstance(q, wq.AndNot):
            self._check(q.a, scored)
            self._check(q.b, False)
            return
        if isinstance(q, wq.And | wq.Or) and type(q) in (wq.And, wq.Or):
            if isinstance(q, wq.Or) and getattr(q, "scale", None):
                raise Unsupported("scaled Or")
            if q.boost != 1.0:
                raise Unsupported("boosted compound")
            for sub in q.subqueries:
                self._check(sub, scored)
            return
        raise Unsupported(type(q).__name__)

    # -- per segment ---------------------------------------------------------

    def _eval(self, q: wq.Query, scored: bool) -> Result:
        if isinstance(q, wq.Term):
            return self._term(q, scored)
        if isinstance(q, _Phrase):
            return self._phrase(q, scored)
        if isinstance(q, wq.NumericRange):
            return self._range(q, scored)
        if isinstance(q, wq.Every):
            return np.flatnonzero(self._keep).astype(np.int64), None
        if isinstance(q, wq.AndNot):
            a_ids, a_scores = self._eval(q.a, scored)
            b_ids, _ = self._eval(q.b, False)
            excluded = np.zeros(len(self._keep), dtype=bool)
            excluded[b_ids] = True
            keep = ~excluded[a_ids]
            return a_ids[keep], a_scores[keep] if a_scores is not None else None
        if isinstance(q, wq.And):
            return self._and([self._eval(s, scored) for s in q.subqueries], scored)
        if isinstance(q, wq.Or):
            return self._or([self._eval(s, scored) for s in q.subqueries], scored)
        raise Unsupported(type(q).__name__)  # pragma: no cover (checked before)

    def _btext(self, fieldname: str, text: Any) -> bytes | None:
        try:
            btext = self.schema[fieldname].to_bytes(text)
        except ValueError:
            return None
        return btext if (fieldname, btext) in self._leaf else None

    def _bm25(self, fieldname: str, text: Any, p: Postings) -> np.ndarray:
        if not self.schema[fieldname].scorable:
            return p.weights.copy()  # Whoosh's WeightScorer
        searcher = self.searcher
        idf = searcher.idf(fieldname, text)
        avgfl = searcher.avg_field_length(fieldname) or 1
        fl = LENGTHS[self._lengths(self._leaf, fieldname)[p.ids]]
        tf = p.weights
        k1, b = self.K1, self.B
        return idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))

    def _term(self, q: wq.Term, scored: bool) -> Result:
        btext = self._btext(q.fieldname, q.text)
        if btext is None:
            return _EMPTY_IDS, _EMPTY_SCORES if scored else None
        p = self._read(q.fieldname, btext, values=False)
        if not scored:
            return p.ids, None
        scores = self._bm25(q.fieldname, q.text, p)
        if q.boost != 1.0:
            scores *= q.boost
        return p.ids, scores

    def _read(
        self, fieldname: str, btext: bytes, *, values: bool, only: np.ndarray | None = None
    ) -> Postings:
        """A term's postings in the current segment, restricted to the kept documents
        (and to ``only``, sorted docnums, when given)."""
        p = read_postings(self._leaf, fieldname, btext, values=values, only=only)
        keep = self._keep[p.ids]
        if only is not None:
            keep &= np.isin(p.ids, only, assume_unique=True)
        return p if keep.all() else p.select(keep)

    def _phrase(self, q: _Phrase, scored: bool) -> Result:
        """Adjacent words in order (slop 1), as Whoosh's ``SpanNear2(mindist=1)``.

        Candidates come from the ``<field>_pair`` terms (each pair of adjacent words is
        indexed as one term), which is exact for two words; longer phrases are then
        checked on the positions of those candidates only."""
        fieldname, words = q.fieldname, list(q.words)
        empty: Result = (_EMPTY_IDS, _EMPTY_SCORES if scored else None)
        pair_field = fieldname + "_pair"
        candidates: np.ndarray | None = None
        if pair_field in self.schema:
            for first, second in pairwise(words):
                btext = self._btext(pair_field, f"{first} {second}")
                if btext is None:
                    return empty
                ids = self._read(pair_field, btext, values=False, only=candidates).ids
                candidates = ids if candidates is None else candidates[np.isin(candidates, ids)]
                if not len(candidates):
                    return empty
        check_positions = len(words) > 2 or pair_field not in self.schema
        lists: list[Postings] = []
        for word in words:
            btext = self._btext(fieldname, word)
            if btext is None:
                return empty
            lists.append(self._read(fieldname, btext, values=check_positions, only=candidates))
            candidates = lists[-1].ids if candidates is None else candidates
            candidates = np.intersect1d(candidates, lists[-1].ids, assume_unique=True)
        assert candidates is not None
        if len(candidates) and check_positions:
            candidates = candidates[self._adjacent(lists, candidates)]
        if not scored:
            return candidates, None
        total = np.zeros(len(candidates), dtype=np.float64)
        for word, p in zip(words, lists, strict=True):
            sel = np.searchsorted(p.ids, candidates)
            total += self._bm25(fieldname, word, Postings(p.ids[sel], p.weights[sel], None))
        if q.boost != 1.0:
            total *= q.boost
        return candidates, total

    @staticmethod
    def _adjacent(lists: list[Postings], candidates: np.ndarray) -> np.ndarray:
        """For each candidate, whether some start s has word i at s + i for every i."""
        rows = [np.searchsorted(p.ids, candidates).tolist() for p in lists]
        values = [p.values or [] for p in lists]
        keep = np.zeros(len(candidates), dtype=bool)
        for n in range(len(candidates)):
            starts = set(positions(values[0][rows[0][n]]))
            for i in range(1, len(lists)):
                starts.intersection_update(map((-i).__add__, positions(values[i][rows[i][n]])))
                if not starts:
                    break
            keep[n] = bool(starts)
        return keep

    def _range(self, q: wq.NumericRange, scored: bool) -> Result:
        dates = self._dates(self._leaf)
        mask = np.ones(len(dates), dtype=bool)
        if q.start is not None:
            mask &= dates >= q.start if not q.startexcl else dates > q.start
        if q.end is not None:
            mask &= dates <= q.end if not q.endexcl else dates < q.end
        ids = np.flatnonzero(mask & self._keep).astype(np.int64)
        if not scored:
            return ids, None
        return ids, np.full(len(ids), float(q.boost), dtype=np.float64)

    def _and(self, parts: list[Result], scored: bool) -> Result:
        ids = parts[0][0]
        member = np.zeros(len(self._keep), dtype=bool)  # (docnums of this segment)
        for other, _ in parts[1:]:
            member[:] = False
            member[other] = True
            ids = ids[member[ids]]
        if not scored:
            return ids, None
        total = np.zeros(len(ids), dtype=np.float64)
        for sub_ids, sub_scores in parts:
            assert sub_scores is not None
            total += sub_scores[np.searchsorted(sub_ids, ids)]
        return ids, total

    def _or(self, parts: list[Result], scored: bool) -> Result:
        member = np.zeros(len(self._keep), dtype=bool)
        for sub_ids, _ in parts:
            member[sub_ids] = True
        ids = np.flatnonzero(member).astype(np.int64)
        if not scored:
            return ids, None
        dense = np.zeros(len(self._keep), dtype=np.float64)
        for sub_ids, sub_scores in parts:  # each document's scores added in the parts' order
            assert sub_scores is not None
            dense[sub_ids] += sub_scores
        return ids, dense[ids]
