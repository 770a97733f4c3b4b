"""The search index's per-document columns as numpy arrays: dates, item ids, clusters and
facet values, for collapsing clusters, sorting by date and counting facets over every
match of a search without a Python loop per document.

A segment's columns are read once (segments are immutable; the caller caches them by
segment id) and kept in a file beside the segment, which later processes map rather than
read: the pages are the operating system's page cache, shared by every process and thread,
and only those a search touches are read. A :class:`Columns` joins the segments of one
index generation; facet values stay per segment (compact codes into the segment's own
vocabulary, mapped to the generation's vocabulary when counted), so that a new generation
copies nothing but the three per-document integer columns.
"""

from __future__ import annotations

import mmap
import os
import struct
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from watcher.workspace import temporary_beside

__all__ = ["CACHE_SUFFIX", "Columns", "Facet", "SegmentColumns", "length_column", "numeric_column"]

CACHE_SUFFIX = ".watcher_columns.npz"  # after the segment's id, like Whoosh's own files
_CACHE_FORMAT = 2  # 1: int64 codes and lengths, read whole
_ZIP_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # a zip member's local header (30 bytes)


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
    """Whoosh's one-byte field lengths of one segment, as stored (0 past the column's end),
    as uint8."""
    stored = min(getattr(reader, "_count", 0), count)
    out = np.zeros(count, dtype=np.uint8)
    if stored and getattr(reader, "_fixedlen", None) == 1:
        out[:stored] = np.frombuffer(reader._dbfile.get(reader._basepos, stored), dtype=np.uint8)
        return out
    return np.fromiter(reader, dtype=np.uint8, count=count)


def _code_dtype(vocab_size: int) -> np.dtype[Any]:
    return np.dtype(np.uint16) if vocab_size <= 1 << 16 else np.dtype(np.int32)


@dataclass(frozen=True)
class Facet:
    """One facet field of one segment: document d's values are
    ``vocab[c] for c in codes[starts[d] : starts[d + 1]]``."""

    vocab: tuple[str, ...]
    codes: np.ndarray  # uint16 (int32 past 65,536 values), documents one after another
    starts: np.ndarray  # int64, one more than there are documents

    @classmethod
    def from_rows(cls, rows: Iterable[bytes], sep: str) -> Facet:
        index: dict[str, int] = {}
        interned: dict[bytes, list[int]] = {b"": []}
        codes: list[int] = []
        lengths: list[int] = [0]
        for raw in rows:
            row = interned.get(raw)
            if row is None:
                row = interned[raw] = [
                    index.setdefault(v, len(index)) for v in raw.decode("utf-8").split(sep)
                ]
            codes.extend(row)
            lengths.append(len(row))
        return cls(
            tuple(index),
            np.asarray(codes, dtype=_code_dtype(len(index))),
            np.cumsum(np.asarray(lengths, dtype=np.int64)),
        )

    def codes_of(self, docs: np.ndarray) -> np.ndarray:
        """The codes of every value of ``docs`` (docnums of this segment), in one array."""
        starts = self.starts[docs]
        lengths = self.starts[docs + 1] - starts
        total = int(lengths.sum())
        if not total:
            return self.codes[:0]
        shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        return self.codes[shift + np.arange(total)]


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
    # name starts with the segment's id. The file is an uncompressed .npz archive, which
    # `load` maps instead of reading.

    def save(self, path: Path, sep: str) -> None:
        """Write these columns to ``path`` atomically (a file starting with "." first, which
        Whoosh's clean-up leaves alone: `watcher.workspace.temporary_beside`, whose leftovers
        a later save removes); a failure to write only costs the next reader time."""
        arrays: dict[str, Any] = {
            "format": np.asarray([_CACHE_FORMAT], dtype=np.int64),
            "dates": self.dates,
            "item_ids": self.item_ids,
            "clusters": self.clusters,
        }
        for name, facet in self.facets.items():
            arrays[f"vocab_{name}"] = np.frombuffer(sep.join(facet.vocab).encode(), np.uint8)
            arrays[f"codes_{name}"] = facet.codes
            arrays[f"starts_{name}"] = facet.starts
        try:
            with temporary_beside(path) as (stream, temporary):
                np.savez(stream, **arrays)
                os.chmod(temporary, 0o644)  # as the index's other files
                os.replace(temporary, path)
        except OSError:
            pass

    @classmethod
    def load(
        cls, path: Path, facet_fields: Sequence[str], sep: str, count: int
    ) -> SegmentColumns | None:
        """The columns saved at ``path`` for a segment of ``count`` documents, mapped, or
        None when the file is missing, unreadable or not of this format."""
        try:
            data = _map_npz(path)
            if int(data["format"][0]) != _CACHE_FORMAT or len(data["dates"]) != count:
                return None
            facets = {}
            for name in facet_fields:
                vocab = data[f"vocab_{name}"].tobytes().decode()
                facet = Facet(
                    tuple(vocab.split(sep)) if vocab else (),
                    data[f"codes_{name}"],
                    data[f"starts_{name}"],
                )
                if len(facet.starts) != count + 1 or int(facet.starts[-1]) != len(facet.codes):
                    return None
                facets[name] = facet
            return cls(data["dates"], data["item_ids"], data["clusters"], facets)
        except (OSError, KeyError, ValueError, IndexError, struct.error, zipfile.BadZipFile,
                UnicodeDecodeError):  # fmt: skip
            return None


def _map_npz(path: Path) -> dict[str, np.ndarray]:
    """The arrays of an uncompressed .npz archive, as read-only views of the mapped file."""
    with path.open("rb") as fh:
        members = [
            (info.filename, info.header_offset)
            for info in zipfile.ZipFile(fh).infolist()
            if info.compress_type == zipfile.ZIP_STORED and info.filename.endswith(".npy")
        ]
        if not members:
            raise ValueError("no uncompressed arrays")
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    arrays: dict[str, np.ndarray] = {}
    for name, offset in members:
        head = _ZIP_LOCAL_HEADER.unpack_from(mapped, offset)
        if head[0] != b"PK\x03\x04":
            raise ValueError("not a zip member")
        start = offset + _ZIP_LOCAL_HEADER.size + head[9] + head[10]
        view = _Reader(mapped, start)
        version = np.lib.format.read_magic(view)
        shape, fortran, dtype = (
            np.lib.format.read_array_header_1_0(view)
            if version == (1, 0)
            else np.lib.format.read_array_header_2_0(view)
        )
        if fortran or dtype.hasobject or len(shape) != 1:
            raise ValueError("not a flat array")
        arrays[name[: -len(".npy")]] = np.frombuffer(
            mapped, dtype=dtype, count=shape[0], offset=view.pos
        )
    return arrays


class _Reader:
    """Just enough of a file over a mapped buffer for numpy's .npy header readers."""

    def __init__(self, buffer: mmap.mmap, pos: int) -> None:
        self.buffer, self.pos = buffer, pos

    def read(self, size: int = -1, /) -> bytes:
        end = len(self.buffer) if size < 0 else self.pos + size
        data = self.buffer[self.pos : end]
        self.pos += len(data)
        return data


class Columns:
    """The columns of every segment of one generation, indexed by global docnum."""

    def __init__(self, segments: Sequence[SegmentColumns], facet_fields: Sequence[str]) -> None:
        def cat(name: str) -> np.ndarray:
            arrays = [getattr(s, name) for s in segments]
            if len(arrays) == 1:
                return arrays[0]  # (mapped, not copied)
            return np.concatenate(arrays) if arrays else np.empty(0, dtype=np.int64)

        self._segments = list(segments)
        self._shared: np.ndarray | None = None
        self.offsets = np.cumsum([0, *(len(s.dates) for s in segments)]).astype(np.int64)
        self.dates = cat("dates")
        self.item_ids = cat("item_ids")
        self.clusters = cat("clusters")
        self._vocab: dict[str, tuple[str, ...]] = {}
        self._remap: dict[str, list[np.ndarray]] = {}  # a segment's codes → this vocabulary
        for fname in facet_fields:
            index: dict[str, int] = {}
            self._remap[fname] = [
                np.asarray(
                    [index.setdefault(v, len(index)) for v in s.facets[fname].vocab],
                    dtype=np.int64,
                )
                for s in segments
            ]
            self._vocab[fname] = tuple(index)

    def in_window(self, lo: int, hi: int) -> np.ndarray:
        """A mask of the documents dated from ``lo`` to ``hi`` (inclusive)."""
        return (self.dates >= lo) & (self.dates <= hi)

    def one_per_cluster(
        self, docs: np.ndarray, scores: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Of each near-duplicate cluster among ``docs`` (sorted), keep its earliest
        document (date, then item id, then docnum), with its score. Only documents whose
        cluster has other documents in the index are sorted (a few in ten)."""
        multi = np.flatnonzero(self._clustered()[docs])
        if not len(multi):
            return docs, scores
        sub = docs[multi]
        clusters = self.clusters[sub]
        order = np.lexsort((sub, self.item_ids[sub], self.dates[sub], clusters))
        ordered = clusters[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = ordered[1:] != ordered[:-1]
        keep = np.ones(len(docs), dtype=bool)
        keep[multi] = False
        keep[multi[order[first]]] = True
        return docs[keep], scores[keep] if scores is not None else None

    def _clustered(self) -> np.ndarray:
        """A mask of the documents whose cluster id is shared with another document."""
        if self._shared is None:
            _, inverse, counts = np.unique(self.clusters, return_inverse=True, return_counts=True)
            self._shared = counts[inverse] > 1
        return self._shared

    def newest_first(self, docs: np.ndarray, count: int | None = None) -> np.ndarray:
        """Indexes into ``docs``, newest first (ties: highest item id, then docnum); with
        ``count``, only the first ``count`` of them."""
        candidates = np.arange(len(docs))
        if count is not None and len(docs) > 4 * count:
            dates = self.dates[docs]
            floor = np.partition(dates, len(dates) - count)[len(dates) - count]
            candidates = np.flatnonzero(dates >= floor)  # the count newest, ties included
        sub = docs[candidates]
        order = np.lexsort((-sub, -self.item_ids[sub], -self.dates[sub]))
        found = candidates[order]
        return found if count is None else found[:count]

    def facets(self, docs: np.ndarray, limit: int | None) -> dict[str, list[tuple[str, int]]]:
        """Value counts of each facet over ``docs`` (sorted docnums): most frequent first,
        then by name."""
        bounds = np.searchsorted(docs, self.offsets).tolist()
        out: dict[str, list[tuple[str, int]]] = {}
        for fname, vocab in self._vocab.items():
            counts = np.zeros(len(vocab), dtype=np.int64)
            for i, segment in enumerate(self._segments):
                lo, hi = bounds[i], bounds[i + 1]
                if lo == hi:
                    continue
                facet = segment.facets[fname]
                codes = facet.codes_of(docs[lo:hi] - self.offsets[i])
                if len(codes):
                    counts[self._remap[fname][i]] += np.bincount(codes, minlength=len(facet.vocab))
            present = np.flatnonzero(counts)
            if not len(present):
                out[fname] = []
                continue
            if limit is not None and len(present) > limit:
                floor = np.partition(counts[present], len(present) - limit)[len(present) - limit]
                present = present[counts[present] >= floor]  # ties at the floor kept, then cut
            ranked = sorted(
                ((vocab[i], int(counts[i])) for i in present.tolist()),
                key=lambda kv: (-kv[1], kv[0].casefold(), kv[0]),
            )
            out[fname] = ranked if limit is None else ranked[:limit]
        return out
