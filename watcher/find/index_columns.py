"""The search index's per-document columns as numpy arrays: dates, item ids, clusters and
facet values, for collapsing clusters, sorting by date and counting facets over every
match of a search without a Python loop per document.

A segment's columns are read once (segments are immutable; the caller caches them by
segment id) and a :class:`Columns` joins the segments of one index generation.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["CACHE_SUFFIX", "Columns", "SegmentColumns", "length_column", "numeric_column"]

CACHE_SUFFIX = ".watcher_columns.npz"  # after the segment's id, like Whoosh's own files
_CACHE_FORMAT = 1


def numeric_column(leaf: Any, name: str) -> np.ndarray:
    """A NUMERIC field's column in one segment as an int64 array.

    Whoosh stores these columns as fixed-width "sortable" unsigned integers (a signed value
    is shifted by 2**(bits-1)); they are read here as raw bytes in one go, rather than
    decoded one document at a time. Anything else takes Whoosh's own reader."""
    count = leaf.doc_count_all()
    if not count:  # no segment (Whoosh's EmptyReader has no columns)
        return np.empty(0, dtype=np.int64)
    field = leaf.schema[name]
    raw_reader = leaf.column_reader(name, translate=False)
    typecode = getattr(raw_reader, "_typecode", None)
    if (
        field.numtype is int
        and typecode in ("B", "H", "I", "Q")
        and getattr(raw_reader, "_count", -1) == count
        and not getattr(raw_reader, "_reverse", False)
    ):
        raw = raw_reader._dbfile.get(raw_reader._basepos, count * raw_reader._fixedlen)
        values = np.frombuffer(raw, dtype=np.dtype(typecode).newbyteorder(">")).astype(np.uint64)
        if field.signed:
            return (values - np.uint64(1 << (field.bits - 1))).astype(np.int64)
        return values.astype(np.int64)
    return np.fromiter(leaf.column_reader(name), dtype=np.int64, count=count)


def length_column(reader: Any, count: int) -> np.ndarray:
    """Whoosh's one-byte field lengths of one segment, as stored (0 past the column's end)."""
    stored = min(getattr(reader, "_count", 0), count)
    out = np.zeros(count, dtype=np.int64)
    if stored and getattr(reader, "_fixedlen", None) == 1:
        out[:stored] = np.frombuffer(reader._dbfile.get(reader._basepos, stored), dtype=np.uint8)
        return out
    return np.fromiter(reader, dtype=np.int64, count=count)


@dataclass(frozen=True)
class Facet:
    """One facet field: value ``codes[starts[d] : starts[d] + lengths[d]]`` of document d."""

    vocab: tuple[str, ...]
    codes: np.ndarray  # int64 indexes into vocab, documents one after another
    lengths: np.ndarray  # int64, values per document

    @classmethod
    def from_rows(cls, rows: Iterable[bytes], sep: str) -> Facet:
        index: dict[str, int] = {}
        interned: dict[bytes, list[int]] = {b"": []}
        codes: list[int] = []
        lengths: list[int] = []
        for raw in rows:
            row = interned.get(raw)
            if row is None:
                row = interned[raw] = [
                    index.setdefault(v, len(index)) for v in raw.decode("utf-8").split(sep)
                ]
            codes.extend(row)
            lengths.append(len(row))
        return cls(
            tuple(index), np.asarray(codes, dtype=np.int64), np.asarray(lengths, dtype=np.int64)
        )

    @classmethod
    def join(cls, parts: Sequence[Facet]) -> Facet:
        index: dict[str, int] = {}
        codes: list[np.ndarray] = []
        for part in parts:
            remap = np.asarray(
                [index.setdefault(v, len(index)) for v in part.vocab], dtype=np.int64
            )
            codes.append(remap[part.codes] if len(part.codes) else part.codes)
        return cls(
            tuple(index),
            np.concatenate(codes) if codes else np.empty(0, dtype=np.int64),
            np.concatenate([p.lengths for p in parts]) if parts else np.empty(0, dtype=np.int64),
        )


@dataclass(frozen=True)
class SegmentColumns:
    dates: np.ndarray  # int64 epoch seconds (published, else fetched)
    item_ids: np.ndarray  # int64
    clusters: np.ndarray  # int64 (a document's own item id when it has no cluster)
    facets: dict[str, Facet]

    @classmethod
    def read(cls, leaf: Any, facet_fields: Sequence[str], sep: str) -> SegmentColumns:
        def rows(fieldname: str) -> Iterable[bytes]:
            return leaf.column_reader(fieldname) if leaf.doc_count_all() else ()

        return cls(
            dates=numeric_column(leaf, "date"),
            item_ids=numeric_column(leaf, "item_id"),
            clusters=numeric_column(leaf, "cluster"),
            facets={f: Facet.from_rows(rows("f_" + f), sep) for f in facet_fields},
        )

    # A segment never changes, so what `read` decodes (~1.5 s for 100k documents, mostly the
    # facet values) is kept next to it, for the next process that opens the index (every
    # `watcher search` is one). Whoosh removes the file with its segment's other files: its
    # name starts with the segment's id.

    def save(self, path: Path, sep: str) -> None:
        """Write these columns to ``path`` atomically (a file starting with "." first, which
        Whoosh's clean-up leaves alone); a failure to write only costs the next reader time."""
        arrays: dict[str, Any] = {
            "format": np.asarray([_CACHE_FORMAT], dtype=np.int64),
            "dates": self.dates,
            "item_ids": self.item_ids,
            "clusters": self.clusters,
        }
        for name, facet in self.facets.items():
            arrays[f"vocab_{name}"] = np.frombuffer(sep.join(facet.vocab).encode(), np.uint8)
            arrays[f"codes_{name}"] = facet.codes
            arrays[f"lengths_{name}"] = facet.lengths
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with tmp.open("wb") as fh:
                np.savez(fh, **arrays)
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)

    @classmethod
    def load(
        cls, path: Path, facet_fields: Sequence[str], sep: str, count: int
    ) -> SegmentColumns | None:
        """The columns saved at ``path`` for a segment of ``count`` documents, or None when
        the file is missing, unreadable or not of this format."""
        try:
            with np.load(path, allow_pickle=False) as data:
                if int(data["format"][0]) != _CACHE_FORMAT or len(data["dates"]) != count:
                    return None
                facets = {}
                for name in facet_fields:
                    vocab = data[f"vocab_{name}"].tobytes().decode()
                    facets[name] = Facet(
                        tuple(vocab.split(sep)) if vocab else (),
                        data[f"codes_{name}"],
                        data[f"lengths_{name}"],
                    )
                return cls(data["dates"], data["item_ids"], data["clusters"], facets)
        except (OSError, KeyError, ValueError, zipfile.BadZipFile, UnicodeDecodeError):
            return None


class Columns:
    """The columns of every segment of one generation, indexed by global docnum."""

    def __init__(self, segments: Sequence[SegmentColumns], facet_fields: Sequence[str]) -> None:
        def cat(name: str) -> np.ndarray:
            arrays = [getattr(s, name) for s in segments]
            return np.concatenate(arrays) if arrays else np.empty(0, dtype=np.int64)

        self.dates = cat("dates")
        self.item_ids = cat("item_ids")
        self.clusters = cat("clusters")
        self._facets = {f: Facet.join([s.facets[f] for s in segments]) for f in facet_fields}
        self._starts = {
            f: np.concatenate(([0], np.cumsum(facet.lengths)[:-1])).astype(np.int64)
            if len(facet.lengths)
            else np.empty(0, dtype=np.int64)
            for f, facet in self._facets.items()
        }

    def in_window(self, lo: int, hi: int) -> np.ndarray:
        """A mask of the documents dated from ``lo`` to ``hi`` (inclusive)."""
        return (self.dates >= lo) & (self.dates <= hi)

    def one_per_cluster(
        self, docs: np.ndarray, scores: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Of each near-duplicate cluster among ``docs`` (sorted), keep its earliest
        document (date, then item id, then docnum), with its score."""
        clusters = self.clusters[docs]
        order = np.lexsort((docs, self.item_ids[docs], self.dates[docs], clusters))
        ordered = clusters[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = ordered[1:] != ordered[:-1]
        chosen = np.sort(order[first])
        return docs[chosen], scores[chosen] if scores is not None else None

    def newest_first(self, docs: np.ndarray) -> np.ndarray:
        """Indexes into ``docs``, newest first (ties: highest item id, then docnum)."""
        return np.lexsort((-docs, -self.item_ids[docs], -self.dates[docs]))

    def facets(self, docs: np.ndarray, limit: int | None) -> dict[str, list[tuple[str, int]]]:
        """Value counts of each facet over ``docs``: most frequent first, then by name."""
        out: dict[str, list[tuple[str, int]]] = {}
        for fname, facet in self._facets.items():
            lengths = facet.lengths[docs]
            total = int(lengths.sum())
            if not total:
                out[fname] = []
                continue
            starts = self._starts[fname][docs]
            # positions of every value of every selected document, in one array
            shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
            counts = np.bincount(facet.codes[shift + np.arange(total)], minlength=len(facet.vocab))
            present = np.flatnonzero(counts)
            if limit is not None and len(present) > limit:
                floor = np.partition(counts[present], len(present) - limit)[len(present) - limit]
                present = present[counts[present] >= floor]  # ties at the floor kept, then cut
            ranked = sorted(
                ((facet.vocab[i], int(counts[i])) for i in present.tolist()),
                key=lambda kv: (-kv[1], kv[0].casefold(), kv[0]),
            )
            out[fname] = ranked if limit is None else ranked[:limit]
        return out
